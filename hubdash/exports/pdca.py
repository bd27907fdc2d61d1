"""The PDCA record of a hub for a fiscal year as XLSX and Markdown, and the tables the PDCA page shows (pure).

The page and the files share the table builders here, so a cycle reads the same on screen and on paper.
"""

from __future__ import annotations

import pandas as pd

from hubdash.exports.tables import Sheet, write_xlsx
from hubdash.fmt import Display, coded, number
from hubdash.services.pdca import ActionRow, CheckRow, CycleDetail, HubYearRecord
from hubdash.text import escape, to_markdown

# The written parts of a cycle and their catalogue keys, in the order of the cycle.
FIELD_KEYS: dict[str, str] = {
    "objectives": "pdca.field_objectives",
    "do_summary": "pdca.field_do_summary",
    "check_evaluation": "pdca.field_check_evaluation",
    "effect_rating": "pdca.field_effect_rating",
    "future_course": "pdca.field_future_course",
    "external_opinion": "pdca.field_external_opinion",
    "act_summary": "pdca.field_act_summary",
}


def check_frame(rows: list[CheckRow], d: Display) -> pd.DataFrame:
    """The Check table with translated headers: indicator, unit, value, change, compared, expected, target, status."""
    return pd.DataFrame(
        {
            d.t("col.indicator"): [coded(r.indicator_code, r.indicator_name) for r in rows],
            d.t("col.unit"): [r.unit for r in rows],
            d.t("col.value"): [number(r.value, 2) for r in rows],
            d.t("pdca.change"): [number(r.change, 2) for r in rows],
            d.t("col.compared"): [number(r.actual, 2) for r in rows],
            d.t("col.expected"): [number(r.expected, 2) for r in rows],
            d.t("col.target"): [number(r.target, 2) for r in rows],
            d.t("col.status"): [d.status(r.status) for r in rows],
        },
        dtype=object,
    )


# The action-item table's columns (the page's editor keys them by these names) and their headers.
ACTION_COLUMNS: dict[str, str] = {
    "title": "col.action",
    "owner": "col.owner",
    "due": "col.due",
    "status": "col.action_status",
    "evidence": "pdca.evidence",
    "origin": "col.origin",
    "indicators": "col.indicators",
}


def action_frame(actions: list[ActionRow], indicators: dict[int, str], d: Display) -> pd.DataFrame:
    """A cycle's action items, one column per ACTION_COLUMNS key: due dates as dates, the rest as text.

    `indicators` maps indicator ids to codes. Every column is text (or dates) even with no items, so an
    empty table still edits as text.
    """
    return pd.DataFrame(
        {
            "title": pd.Series([a.item.title for a in actions], dtype=object),
            "owner": pd.Series([a.owner for a in actions], dtype=object),
            "due": pd.Series([a.item.due_date for a in actions], dtype=object),
            "status": pd.Series([d.label(a.item.status) for a in actions], dtype=object),
            "evidence": pd.Series([a.item.evidence for a in actions], dtype=object),
            "origin": pd.Series([d.label(a.item.origin) for a in actions], dtype=object),
            "indicators": pd.Series(
                [", ".join(indicators.get(i, "?") for i in a.item.indicator_ids) for a in actions], dtype=object
            ),
        }
    )


def _translated_actions(actions: list[ActionRow], indicators: dict[int, str], d: Display) -> pd.DataFrame:
    frame = action_frame(actions, indicators, d)
    frame["due"] = [due.isoformat() if due else "–" for due in frame["due"]]
    return frame.rename(columns={key: d.t(label) for key, label in ACTION_COLUMNS.items()})


def period_text(detail: CycleDetail, d: Display) -> str:
    """The quarters a cycle covers: "2024年度 第1四半期" or "FY2024 Q1 – FY2024 Q2"."""
    first, last = detail.period, detail.last_quarter
    return d.period(first) if first == last else f"{d.period(first)} – {d.period(last)}"


def _cycle_fields(detail: CycleDetail, d: Display) -> dict[str, str]:
    c = detail.cycle
    values = {name: str(getattr(c, name) or "") for name in FIELD_KEYS}
    values["effect_rating"] = f"{c.effect_rating} / 4" if c.effect_rating else "–"
    values["future_course"] = d.label(c.future_course) if c.future_course else "–"
    return {
        d.t("col.period"): period_text(detail, d),
        d.t("col.stage"): d.label(c.stage),
    } | {d.t(key): values[name] for name, key in FIELD_KEYS.items()}


def markdown(record: HubYearRecord, d: Display) -> str:
    """The year's record as a Markdown document: one section per cycle with its table of actions and Check."""
    hub = record.hub
    heading = d.t("pdca.export_heading", hub=escape(coded(hub.code, hub.name)), year=d.fiscal_year(record.fiscal_year))
    lines = [
        f"# {heading}",
        "",
        f"- {d.t('app.region')}: {escape(record.region)}",
        f"- {d.t('col.core_institution')}: {escape(record.core_institution or '–')}",
        "",
    ]
    if not record.cycles:
        lines.append(d.t("pdca.no_cycle"))
    for detail in record.cycles:
        fields = _cycle_fields(detail, d)
        period, stage = list(fields.items())[:2]
        lines += [f"## {period[1]} ({stage[1]})", ""]
        for title, text in list(fields.items())[2:]:
            lines += [f"### {title}", "", to_markdown(text) or "–", ""]
        lines += [
            f"### {d.t('pdca.actions')}",
            "",
            _table(_translated_actions(detail.actions, record.indicators, d)),
            "",
        ]
        lines += [f"### {d.t('pdca.check_table')}", "", _table(check_frame(detail.check, d)), ""]
        if detail.comments:
            lines += [f"### {d.t('pdca.comments')}", ""]
            lines += [
                f"- {escape(d.person(c.author_name))} ({d.when(c.created_at)}): {escape(c.body)}"
                for c in detail.comments
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: object) -> str:
    return escape(value).replace("  \n", " ")


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "–"
    header = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def _with_period(frame: pd.DataFrame, column: str, text: str) -> pd.DataFrame:
    frame.insert(0, column, text)
    return frame


def _sheet(title: str, frame: pd.DataFrame) -> Sheet:
    rows = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
    return Sheet(title, [str(c) for c in frame.columns], rows)


def xlsx(record: HubYearRecord, d: Display) -> bytes:
    """The year's record as a workbook: cycles, action items, Check tables and stage history, one sheet each."""
    period_col = d.t("col.period")
    columns = [period_col, d.t("col.stage"), *(d.t(key) for key in FIELD_KEYS.values())]
    cycles = pd.DataFrame([_cycle_fields(c, d) for c in record.cycles], columns=columns, dtype=object)
    actions = pd.concat(
        [
            _with_period(_translated_actions(c.actions, record.indicators, d), period_col, period_text(c, d))
            for c in record.cycles
        ]
        or [_translated_actions([], record.indicators, d)]
    )
    checks = pd.concat(
        [_with_period(check_frame(c.check, d), period_col, period_text(c, d)) for c in record.cycles]
        or [check_frame([], d)]
    )
    history = pd.DataFrame(
        [
            {
                period_col: period_text(c, d),
                d.t("col.when"): d.when(h.changed_at),
                d.t("col.who"): d.person(h.changed_by_name),
                d.t("pdca.from_stage"): d.label(h.from_stage) if h.from_stage else "–",
                d.t("col.stage"): d.label(h.to_stage),
                d.t("col.reason"): h.reason,
            }
            for c in record.cycles
            for h in c.history
        ],
        columns=[
            period_col,
            d.t("col.when"),
            d.t("col.who"),
            d.t("pdca.from_stage"),
            d.t("col.stage"),
            d.t("col.reason"),
        ],
        dtype=object,
    )
    summary = Sheet(
        d.t("pdca.sheet_summary"),
        ["", ""],
        [
            [d.t("col.hub"), coded(record.hub.code, record.hub.name)],
            [d.t("col.core_institution"), record.core_institution],
            [d.t("app.region"), record.region],
            [period_col, d.fiscal_year(record.fiscal_year)],
        ],
    )
    return write_xlsx(
        [
            summary,
            _sheet(d.t("pdca.sheet_cycles"), cycles),
            _sheet(d.t("pdca.actions"), actions),
            _sheet(d.t("pdca.check_table"), checks),
            _sheet(d.t("pdca.history"), history),
        ]
    )
