"""The rule behind the races: every service that records a change takes its turn (db.lock_for_write) first.

A service that reads before it writes without it would, on SQLite, read outside the write lock (a vote
budget counted before another vote lands) and, on PostgreSQL, miss what must go one at a time.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "hubdash"
MODULES = sorted([*(ROOT / "services").glob("*.py"), *(ROOT / "seed").glob("*.py")])


def _calls(function: ast.FunctionDef) -> set[str]:
    return {
        call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        for call in ast.walk(function)
        if isinstance(call, ast.Call)
    }


def test_every_service_that_records_a_change_takes_its_turn_first() -> None:
    functions = {
        f"{path.stem}.{node.name}": node
        for path in MODULES
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    }
    locking = {"lock_for_write"}
    while True:  # functions that lock, directly or through a helper that does
        more = {name.split(".")[-1] for name, node in functions.items() if _calls(node) & locking} - locking
        if not more:
            break
        locking |= more
    assert {"lock_vision", "save_part", "_cycle_for_edit"} <= locking  # the scan sees the helpers
    missing = [
        name
        for name, node in functions.items()
        if not node.name.startswith("_") and "record" in _calls(node) and not _calls(node) & locking
    ]
    assert missing == []
