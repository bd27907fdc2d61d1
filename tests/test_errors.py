"""Every error a user can cause carries a catalogue key, so that it reaches them in their language."""

from __future__ import annotations

import ast
import importlib
import inspect
import typing
from pathlib import Path

import pytest

from hubdash import i18n
from hubdash.domain.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
# Where the errors a user can cause are raised: the rules, the file readers and the services.
RAISING = sorted(p for folder in ("domain", "readers", "services") for p in (ROOT / "hubdash" / folder).glob("*.py"))
# Raised for a programmer's mistake, never because of what a user typed or uploaded.
NOT_FOR_USERS = {AssertionError, NotImplementedError, TypeError}
# Errors that never reach a user, and why.
INTERNAL = {
    ("status.py", "ValueError"): "TargetSpec's invariants; the target services refuse bad input before",
    ("periods.py", "ValueError"): "an unsupported language code passed by the code",
    ("progress_file.py", "ValueError"): "parse_number's signal to its callers, which report 'not a number'",
    ("sample_files.py", "SampleDataError"): "the bundled sample files are the developers' files, not a user's",
}


def _raised(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every `raise Name(...)` in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
            found.append((node.lineno, node.exc.func.id))
    return found


def _module(path: Path) -> object:
    return importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))


def test_the_scan_finds_the_raises() -> None:
    assert len([r for p in RAISING for r in _raised(p)]) > 50


@pytest.mark.parametrize("path", RAISING, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_raise_in_domain_readers_and_services_is_a_user_error(path: Path) -> None:
    module = _module(path)
    wrong = []
    for line, name in _raised(path):
        raised = getattr(module, name, None) or getattr(__builtins__, name, None)
        if raised is None and isinstance(__builtins__, dict):
            raised = __builtins__.get(name)
        if inspect.isfunction(raised):  # a helper that builds the error
            raised = typing.get_type_hints(raised).get("return")
        ok = inspect.isclass(raised) and (issubclass(raised, UserError) or raised in NOT_FOR_USERS)
        if not ok and (path.name, name) not in INTERNAL:
            wrong.append(f"line {line}: {name}")
    assert wrong == [], f"{path.name} raises errors without a catalogue key"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_user_error_reads_in_the_users_language(lang: str) -> None:
    from hubdash.domain.periods import FiscalQuarter, PeriodError

    with pytest.raises(PeriodError) as info:
        FiscalQuarter.parse("2024年度第5四半期")
    text = i18n.message(info.value, lang)
    assert "2024年度第5四半期" in text and "FY2024Q1" in text
    assert ("年度の四半期として読めません" in text) == (lang == "ja")
