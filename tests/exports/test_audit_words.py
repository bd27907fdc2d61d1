"""Every action the code records has its words in the change log (an action missing from ACTION_KEYS would show
as its stored name, e.g. `verification.decide`, to the administrator reading the log)."""

from __future__ import annotations

import ast
from pathlib import Path

from hubdash import i18n
from hubdash.exports.audit import ACTION_KEYS

ROOT = Path(__file__).resolve().parents[2] / "hubdash"
# actions recorded under a computed name: what each computation can give
COMPUTED = {
    *("region.rename", "hub.rename", "organisation.rename", "region.archive", "hub.unarchive"),
    *("quarter.confirm", "quarter.return", "pdca_cycle.reopen", "pdca_cycle.stage"),
}


def _recorded() -> set[str]:
    """The literal action names passed to audit.record, and the literal names a variable passed there may hold."""
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "record"):
                continue
            if not (isinstance(call.func.value, ast.Name) and call.func.value.id == "audit") or len(call.args) < 3:
                continue
            for node in ast.walk(call.args[2]):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and "." in node.value[1:]:
                    found.add(node.value)
    return found


def test_the_code_records_actions_and_the_scan_finds_them() -> None:
    recorded = _recorded()
    assert {"vision.save", "verification.publish", "quarter.supersede", "reminder.sent"} <= recorded


def test_every_recorded_action_has_its_words_in_both_languages() -> None:
    missing = sorted((_recorded() | COMPUTED) - set(ACTION_KEYS))
    assert missing == [], f"actions without words in the change log: {missing}"
    for name, key in ACTION_KEYS.items():
        for lang in ("ja", "en"):
            words = i18n.t(key, lang)
            assert words and words != key and "." not in words.split()[0], (name, lang, words)
