"""Every place that shows text goes through the renderer or shows only our own text (an AST scan of the UI).

Streamlit renders Markdown (images and links included) in st.markdown, st.caption, st.write, alerts, titles,
widget labels, help texts and the options of radio / pills / segmented controls. The convention
(hubdash/ui/text.py): what such a call gets is built only from
- string literals and catalogue text `t("key")` (values allowed only if they are themselves safe),
- hubdash.ui.text's `md(...)`, `literal(...)`, `message(...)` (values escaped), `show(...)` for user Markdown,
- formatting of our own values: `label`, `fmt.period/when/fiscal_year/status/number`, `len`, the escaped diff.
A name or attribute read from data (a title, a name, a comment) is never safe on its own.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    [*(ROOT / "hubdash" / "ui").glob("*.py"), *(ROOT / "app_pages").glob("*.py"), ROOT / "main.py", ROOT / "app.py"]
)
RENDERER = ROOT / "hubdash" / "ui" / "text.py"  # where the renderer's output meets st.html (reviewed by hand)

# calls whose first argument (or body=) Streamlit renders as Markdown
MARKDOWN = {"markdown", "caption", "write", "info", "success", "warning", "error", "title", "header", "subheader"}
MARKDOWN |= {"toast", "html", "latex", "text"}
# widgets whose label (first argument, or label=) is Markdown
LABELLED = {"button", "download_button", "link_button", "expander", "popover", "metric", "checkbox", "toggle"}
LABELLED |= {"text_input", "text_area", "number_input", "selectbox", "multiselect", "segmented_control", "radio"}
LABELLED |= {"pills", "date_input", "time_input", "file_uploader", "form_submit_button", "slider", "page_link"}
LABELLED |= {"select_slider", "color_picker", "camera_input", "chat_input", "feedback"}
# widgets whose options are shown as Markdown (format_func's result)
MARKDOWN_OPTIONS = {"segmented_control", "radio", "pills"}
SAFE_CALLS = {
    "t",
    "md",
    "literal",
    "message",
    "label",
    "len",
    "int",
    "period",
    "when",
    "fiscal_year",
    "status",
    "number",
}
SAFE_CALLS |= {"diff_markdown", "to_html", "escape", "page_title"}
SAFE_CALLS |= {"share", "rollup_rule", "coverage_text"}  # percentages, the roll-up rule, counts of hubs by quarter
SAFE_CALLS |= {"css_string"}  # text quoted for a style's content: it cannot end the string or the style
SAFE_NAMES = {"LANGUAGE_NAMES.__getitem__", "label"}  # format_func values that map to our own text
# receivers that are not Streamlit: hubdash's own write(), loggers, a progress file Column's header()
NOT_STREAMLIT = {"logger", "logging", "LOG", "_log", "runtime", "ui", "c", "pdca_export", "export"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _name(node.func) + "()"
    return ""


def safe(node: ast.expr | None, names: dict[str, list[ast.expr]] | None = None) -> bool:
    """Whether an expression can only hold text that Markdown shows as we wrote it.

    `names`: what each variable of the file is assigned; a variable is safe when every value it is given is.
    """
    names = names or {}

    def each(nodes: list[ast.expr]) -> bool:
        return all(safe(n, names) for n in nodes)

    if node is None:
        return True
    if isinstance(node, ast.Name) and node.id in names:
        assigned = names[node.id]
        return bool(assigned) and each([a for a in assigned if a is not node])
    if isinstance(node, ast.ListComp | ast.GeneratorExp):
        return safe(node.elt, names)
    if isinstance(node, ast.Constant):
        return node.value is None or isinstance(node.value, str | int | float | bool)
    if isinstance(node, ast.JoinedStr):
        return each([v.value for v in node.values if isinstance(v, ast.FormattedValue)])
    if isinstance(node, ast.IfExp):
        return each([node.body, node.orelse])
    if isinstance(node, ast.BoolOp):
        return each(node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return each([node.left, node.right])
    if isinstance(node, ast.List | ast.Tuple):
        return each(node.elts)
    if isinstance(node, ast.Call):
        called = _name(node.func).split(".")[-1]
        if called == "join" and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Constant):
            return each(node.args)  # "sep".join(safe parts)
        if called in {"md", "literal", "message", "escape", "to_html", "diff_markdown"}:
            return True  # they escape or render whatever they get
        if called in SAFE_CALLS:
            return each([k.value for k in node.keywords]) and all(
                isinstance(a, ast.Constant | ast.Subscript | ast.Name | ast.Attribute | ast.Call) for a in node.args
            )
    return False


def _assignments(tree: ast.AST) -> dict[str, list[ast.expr]]:
    """Every value given to each plain variable of a file (`x = ...`, `x := ...`)."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.NamedExpr | ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            found.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.For | ast.comprehension) and isinstance(node.target, ast.Name):
            found.setdefault(node.target.id, []).append(ast.Name("<loop>"))  # data: never safe by itself
        elif isinstance(node, ast.arg):
            found.setdefault(node.arg, []).append(ast.Name("<argument>"))
    return found


def _format_func_safe(node: ast.expr, names: dict[str, list[ast.expr]]) -> bool:
    if isinstance(node, ast.Lambda):
        return safe(node.body, names)
    return _name(node).split(".", 1)[-1] in SAFE_NAMES or _name(node) in SAFE_NAMES


@dataclass(frozen=True)
class Shown:
    """One place where a Streamlit call shows text."""

    where: str
    call: str
    ok: bool


def shown_text(source: str, name: str, *, renderer: bool = False) -> list[Shown]:
    """Every Markdown-rendering Streamlit call in a file's source, and whether what it shows is safe."""
    found = []
    tree = ast.parse(source)
    names = _assignments(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, _name(node.func.value)
        if receiver.split(".")[0] in NOT_STREAMLIT or receiver.endswith("column_config"):
            continue
        where = f"{name}:{node.lineno}"
        keywords = {k.arg: k.value for k in node.keywords}
        shown: list[ast.expr | None] = []
        if method in MARKDOWN and (node.args or "body" in keywords):
            shown = list(node.args) if method == "write" else [node.args[0] if node.args else keywords["body"]]
        elif method in LABELLED and (node.args or "label" in keywords):
            shown = [node.args[0] if node.args else keywords["label"]]
        elif method == "tabs" and node.args:
            shown = [node.args[0]]
        else:
            continue
        shown.append(keywords.get("help"))
        ok = all(safe(s, names) for s in shown)
        if method in MARKDOWN_OPTIONS and "format_func" in keywords:
            ok = ok and _format_func_safe(keywords["format_func"], names)
        ok = ok or renderer  # hubdash/ui/text.py: the renderer's own output and md() text
        found.append(Shown(where, f"{receiver}.{method}", ok))
    return found


ALL = [
    s
    for path in FILES
    for s in shown_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), renderer=path == RENDERER)
]


def test_the_scan_finds_the_places_that_show_text() -> None:
    calls = {s.call.split(".")[-1] for s in ALL}
    assert {"markdown", "caption", "info", "error", "subheader", "button", "expander", "html"} <= calls
    assert len(ALL) > 150
    assert any(s.where.startswith("app_pages/pdca.py") and s.call.endswith("caption") for s in ALL)


@pytest.mark.parametrize("shown", ALL, ids=lambda s: s.where)
def test_every_place_shows_catalogue_text_or_rendered_user_text(shown: Shown) -> None:
    assert shown.ok, f"{shown.where}: {shown.call}(...) may show user text without hubdash.ui.text"


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ('st.markdown(t("x"))', True),
        ('st.caption(t("x", n=len(rows)))', True),
        ('st.caption(t("x", name=user.name))', False),
        ('st.caption(md("x", name=user.name))', True),
        ("st.markdown(comment.body)", False),
        ("st.markdown(f'**{goal.title}**')", False),
        ("st.markdown(f'**{literal(goal.title)}**')", True),
        ("column.caption(f'{a.name} · {fmt.when(a.at)}')", False),
        ("st.subheader(workshop.title)", False),
        ("st.button(f'{hub.code}')", False),
        ("st.segmented_control('x', [1], format_func=lambda h: fmt.coded(h.code, h.name))", False),
        ("st.segmented_control('x', [1], format_func=lambda h: literal(fmt.coded(h.code, h.name)))", True),
        ("st.html(user_text)", False),
        ("st.write(value)", False),
        ("who = literal(a.name)\nst.caption(f'{who} · {fmt.when(a.at)}')", True),
        ("who = a.name\nst.caption(f'{who} · {fmt.when(a.at)}')", False),
        ("for who in names:\n    st.caption(who)", False),
        ("st.markdown(' · '.join(literal(n) for n in names))", True),
        ("st.markdown(' · '.join(n for n in names))", False),
    ],
)
def test_the_convention_tells_safe_from_unsafe(code: str, ok: bool) -> None:
    (found,) = shown_text(code, "probe.py")
    assert found.ok is ok
