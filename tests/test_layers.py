"""The layers hold: each folder imports only what lies below it, only the UI imports Streamlit, no import circles.

domain -> (models, db, i18n, fmt, text, audit, readers) -> services -> seed -> charts -> exports -> ui -> pages, cli.
Every import counts, also those inside functions and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hubdash"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """Every module the file imports (submodules where `from package import submodule` names one)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if _is_module(candidate) else node.module)
    return found


SOURCES = {
    _module_name(p): p
    for p in [*PACKAGE.rglob("*.py"), *(ROOT / "app_pages").glob("*.py"), ROOT / "app.py", ROOT / "main.py"]
}
IMPORTS = {name: _imports(path) for name, path in SOURCES.items()}
INTERNAL = {
    name: {i for i in imported if i == "hubdash" or i.startswith("hubdash.")} for name, imported in IMPORTS.items()
}

# Each layer and the layers (by prefix) its modules may import from hubdash.
LAYERS: dict[str, tuple[str, ...]] = {
    "hubdash.domain": ("hubdash.domain",),
    "hubdash.readers": ("hubdash.domain", "hubdash.readers"),
    "hubdash.models": ("hubdash.domain",),
    "hubdash.db": (),
    "hubdash.i18n": ("hubdash.domain",),
    "hubdash.audit": ("hubdash.domain", "hubdash.models"),
    "hubdash.services": (
        "hubdash.domain",
        "hubdash.models",
        "hubdash.db",
        "hubdash.i18n",
        "hubdash.audit",
        "hubdash.fmt",
        "hubdash.readers",
        "hubdash.services",
    ),
    "hubdash.seed": (
        "hubdash.domain",
        "hubdash.models",
        "hubdash.db",
        "hubdash.audit",
        "hubdash.readers",
        "hubdash.services",
        "hubdash.seed",
    ),
    "hubdash.fmt": ("hubdash.domain", "hubdash.i18n"),
    "hubdash.text": (),  # the one renderer of user Markdown (markdown-it-py, nh3): exports and the UI use it
    "hubdash.charts": ("hubdash.domain", "hubdash.i18n", "hubdash.fmt"),
    "hubdash.exports": (
        "hubdash.domain",
        "hubdash.i18n",
        "hubdash.fmt",
        "hubdash.text",
        "hubdash.readers",
        "hubdash.services",
        "hubdash.exports",
    ),
    "hubdash.cli": (
        "hubdash.domain",
        "hubdash.db",
        "hubdash.i18n",
        "hubdash.fmt",
        "hubdash.readers",
        "hubdash.services",
        "hubdash.seed",
        "hubdash.exports",
    ),
}
UI_AND_PAGES = ("hubdash.ui", "app_pages", "app", "main")


def _layer(name: str) -> str | None:
    return next((layer for layer in LAYERS if name == layer or name.startswith(layer + ".")), None)


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_sources_are_found() -> None:
    assert {"hubdash.domain.periods", "hubdash.services.vision", "hubdash.ui.runtime", "app_pages.vision"} <= set(
        SOURCES
    )
    assert "hubdash.domain.periods" in INTERNAL["hubdash.services.progress"]


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if _layer(n)))
def test_each_module_imports_only_the_layers_below_it(name: str) -> None:
    allowed = LAYERS[_layer(name) or ""]
    wrong = sorted(i for i in INTERNAL[name] if i != "hubdash" and not _within(i, allowed))
    assert wrong == [], f"{name} may import only {', '.join(allowed) or 'no hubdash module'}"


def test_the_domain_imports_only_the_standard_library() -> None:
    wrong = {
        name: sorted(
            i for i in imported if i.split(".")[0] not in sys.stdlib_module_names and not i.startswith("hubdash")
        )
        for name, imported in IMPORTS.items()
        if _within(name, ("hubdash.domain",))
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_only_the_ui_and_the_pages_import_streamlit() -> None:
    importers = sorted(n for n, imported in IMPORTS.items() if any(i.split(".")[0] == "streamlit" for i in imported))
    assert importers and all(_within(n, UI_AND_PAGES) for n in importers), importers


def test_there_is_no_import_circle() -> None:
    graph = {name: {i for i in imported if i in SOURCES and i != name} for name, imported in INTERNAL.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


def test_ui_modules_and_pages_stay_small() -> None:
    sizes = defaultdict(int)
    for name, path in SOURCES.items():
        if _within(name, ("hubdash.ui",)) or name.startswith("app_pages."):
            sizes[name] = len(path.read_text(encoding="utf-8").splitlines())
    too_long = {n: s for n, s in sizes.items() if s > (150 if n.startswith("app_pages.") else 200)}
    assert too_long == {}
