"""The PDCA record of a hub for a fiscal year as XLSX and Markdown, in the reader's language (pure)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd

from hubdash import i18n
from hubdash.domain.periods import fiscal_year_label
from hubdash.domain.status import STATUS_SYMBOLS
from hubdash.services.pdca import CheckRow, CycleDetail, HubYearRecord

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


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def _day(moment: datetime | None) -> str:
    if moment is None:
        return "–"
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def check_frame(rows: list[CheckRow], lang: str) -> pd.DataFrame:
    """The Check table with translated headers: indicator, unit, value, change, compared, expected, target, status."""
    t = i18n.t
    return pd.DataFrame(
        {
            t("col.indicator", lang): [f"{r.indicator_code} {r.indicator_name}" for r in rows],
            t("col.unit", lang): [r.unit for r in rows],
            t("col.value", lang): [_number(r.value) for r in rows],
            t("pdca.change", lang): [_number(r.change) for r in rows],
            t("col.compared", lang): [_number(r.actual) for r in rows],
            t("col.expected", lang): [_number(r.expected) for r in rows],
            t("col.target", lang): [_number(r.target) for r in rows],
            t("col.status", lang): [f"{STATUS_SYMBOLS[r.status]} {i18n.label(r.status, lang)}" for r in rows],
        }
    )


def _period(detail: CycleDetail, lang: str) -> str:
    first, last = detail.period, detail.last_quarter
    return first.label(lang) if first == last else f"{first.label(lang)} – {last.label(lang)}"


def _actions_rows(detail: CycleDetail, indicators: dict[int, str], lang: str) -> list[dict[str, str]]:
    t = i18n.t
    return [
        {
            t("col.action", lang): a.item.title,
            t("col.owner", lang): a.owner,
            t("col.due", lang): a.item.due_date.isoformat() if a.item.due_date else "–",
            t("col.action_status", lang): i18n.label(a.item.status, lang),
            t("col.origin", lang): i18n.label(a.item.origin, lang),
            t("col.indicators", lang): ", ".join(indicators.get(i, "?") for i in a.item.indicator_ids),
            t("pdca.evidence", lang): a.item.evidence,
        }
        for a in detail.actions
    ]


def _cycle_fields(detail: CycleDetail, lang: str) -> dict[str, str]:
    c = detail.cycle
    values = {name: str(getattr(c, name) or "") for name in FIELD_KEYS}
    values["effect_rating"] = f"{c.effect_rating} / 4" if c.effect_rating else "–"
    values["future_course"] = i18n.label(c.future_course, lang) if c.future_course else "–"
    return {
        i18n.t("col.period", lang): _period(detail, lang),
        i18n.t("col.stage", lang): i18n.label(c.stage, lang),
    } | {i18n.t(key, lang): values[name] for name, key in FIELD_KEYS.items()}


def markdown(record: HubYearRecord, lang: str) -> str:
    """The year's record as a Markdown document: one section per cycle with its table of actions and Check."""
    t = i18n.t
    hub = record.hub
    lines = [
        f"# {t('pdca.export_heading', lang, hub=f'{hub.code} {hub.name}', year=_year(record, lang))}",
        "",
        f"- {t('app.region', lang)}: {record.region}",
        f"- {t('col.core_institution', lang)}: {record.core_institution or '–'}",
        "",
    ]
    if not record.cycles:
        lines.append(t("pdca.no_cycle", lang))
    for detail in record.cycles:
        fields = _cycle_fields(detail, lang)
        period, stage = list(fields.items())[:2]
        lines += [f"## {period[1]} ({stage[1]})", ""]
        for heading, text in list(fields.items())[2:]:
            lines += [f"### {heading}", "", text.strip() or "–", ""]
        lines += [
            f"### {t('pdca.actions', lang)}",
            "",
            _table(pd.DataFrame(_actions_rows(detail, record.indicators, lang))),
            "",
        ]
        lines += [f"### {t('pdca.check_table', lang)}", "", _table(check_frame(detail.check, lang)), ""]
        if detail.comments:
            lines += [f"### {t('pdca.comments', lang)}", ""]
            lines += [f"- {c.author_name} ({_day(c.created_at)}): {c.body}" for c in detail.comments]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _year(record: HubYearRecord, lang: str) -> str:
    return fiscal_year_label(record.fiscal_year, lang)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "–"
    header = "| " + " | ".join(_cell(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows])


def xlsx(record: HubYearRecord, lang: str) -> bytes:
    """The year's record as a workbook: cycles, action items, Check tables and stage history, one sheet each."""
    t = i18n.t
    period_col = t("col.period", lang)
    columns = [t("col.period", lang), t("col.stage", lang), *(t(key, lang) for key in FIELD_KEYS.values())]
    cycles = pd.DataFrame([_cycle_fields(d, lang) for d in record.cycles], columns=columns)
    actions = pd.DataFrame(
        [
            {period_col: _period(d, lang)} | row
            for d in record.cycles
            for row in _actions_rows(d, record.indicators, lang)
        ]
    )
    checks = pd.concat(
        [check_frame(d.check, lang).assign(**{period_col: _period(d, lang)}) for d in record.cycles] or [pd.DataFrame()]
    )
    history = pd.DataFrame(
        [
            {
                period_col: _period(d, lang),
                t("col.when", lang): _day(h.changed_at),
                t("col.who", lang): h.changed_by_name,
                t("pdca.from_stage", lang): i18n.label(h.from_stage, lang) if h.from_stage else "–",
                t("col.stage", lang): i18n.label(h.to_stage, lang),
                t("col.reason", lang): h.reason,
            }
            for d in record.cycles
            for h in d.history
        ]
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        title = pd.DataFrame(
            {
                "": [t("col.hub", lang), t("col.core_institution", lang), t("app.region", lang), period_col],
                " ": [
                    f"{record.hub.code} {record.hub.name}",
                    record.core_institution,
                    record.region,
                    _year(record, lang),
                ],
            }
        )
        title.to_excel(writer, sheet_name=t("pdca.sheet_summary", lang), index=False)
        cycles.to_excel(writer, sheet_name=t("pdca.sheet_cycles", lang), index=False)
        actions.to_excel(writer, sheet_name=t("pdca.actions", lang)[:31], index=False)
        checks.to_excel(writer, sheet_name=t("pdca.check_table", lang)[:31], index=False)
        history.to_excel(writer, sheet_name=t("pdca.history", lang)[:31], index=False)
    return buffer.getvalue()
