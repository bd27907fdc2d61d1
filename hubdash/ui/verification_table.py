"""The effect verification's tables: every outcome target and every hub with ratings and decided courses, and the
council's form for a target's or a hub's business-effect rating, course and reason."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from hubdash.domain.enums import EffectRating, FutureCourse
from hubdash.exports import verification as export
from hubdash.services import verification as service
from hubdash.services.verification_record import HubRow, KpiRow, VerificationRecord, subject_of
from hubdash.ui import runtime
from hubdash.ui.fmt import coded
from hubdash.ui.session import display, label, t
from hubdash.ui.text import flash, md


def frame(table: export.Table) -> pd.DataFrame:
    """One of the document's tables as the page shows it (the same rows as the files)."""
    return pd.DataFrame([list(row) for row in table.rows], columns=list(table.header))


# The page puts the year's judgement first (the files keep the municipal order): indicator, hub and unit, then actual,
# the year's target, the measured percentage, the grade, the status, the effect, the course and its reason, then
# baseline and target with their periods, then the goal.
SCREEN_ORDER = (1, 2, 3, 9, 8, 10, 11, 12, 13, 14, 15, 4, 5, 6, 7, 0)
# the texts get room; the short columns fit their header and values (Streamlit sizes a column without a width)
WIDTHS: dict[int, Literal["small", "medium", "large"]] = {1: "medium", 15: "large", 0: "medium", 13: "medium"}


def kpi_table(record: VerificationRecord) -> None:
    """Every outcome target at the end of the fiscal year, with its ratings and decided course."""
    d = display()
    kpis, hubs, *_ = export.tables(record, d)
    shown = frame(kpis).iloc[:, list(SCREEN_ORDER)]
    config = {kpis.header[i]: st.column_config.Column(width=WIDTHS.get(i), pinned=i in (1, 2)) for i in SCREEN_ORDER}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
    st.caption(md("verification.kpi_caption", period=d.period(record.period), scale=export.scale_text(record.scale, d)))
    st.subheader(t("verification.hub_table"))
    st.dataframe(frame(hubs), hide_index=True, width="stretch")


def _decision_fields(
    key: str, effect: EffectRating | None, course: FutureCourse | None, reason: str
) -> service.Decision:
    effects, courses = list(EffectRating), list(FutureCourse)
    left, right = st.columns(2)
    chosen_effect = left.selectbox(
        t("verification.col_effect"),
        effects,
        index=effects.index(effect) if effect else None,
        format_func=label,
        placeholder=t("common.choose"),
        key=f"{key}_effect",
    )
    chosen_course = right.selectbox(
        t("verification.col_course"),
        courses,
        index=courses.index(course) if course else None,
        format_func=label,
        placeholder=t("common.choose"),
        key=f"{key}_course",
    )
    typed = st.text_area(t("col.reason"), reason, placeholder=t("verification.reason_hint"), key=f"{key}_reason")
    return service.Decision(chosen_effect, chosen_course, typed, 0)


def target_form(record: VerificationRecord) -> None:
    """Pick a target; rate its business effect and decide its course with the reason."""
    by_id: dict[int, KpiRow] = {row.target_id: row for row in record.kpis}
    target_id = st.selectbox(
        t("verification.pick_target"),
        list(by_id),
        index=None,
        format_func=lambda i: _target_text(by_id[i]),
        placeholder=t("common.choose"),
        key="verification_target",
    )
    if target_id is None:
        return
    row = by_id[target_id]
    key = f"decide_target_{target_id}_{row.decision_version}"
    with st.form(key):
        typed = _decision_fields(key, row.effect, row.course, row.reason)
        if st.form_submit_button(t("verification.save_decision"), icon=":material/gavel:"):
            decision = service.Decision(typed.effect, typed.course, typed.reason, row.decision_version)
            if runtime.write(
                service.decide_target, verification_id=record.verification_id, target_id=target_id, decision=decision
            ):
                flash("verification.decision_saved", subject=subject_of(row))
                st.rerun()


def target_name(row: KpiRow) -> str:
    """A target in a picker: "K02 name (H1)", or the region's with "(region-wide)" beside its hubs' targets."""
    return subject_of(row) if row.hub_code else f"{subject_of(row)} ({t('verification.region_wide')})"


def _target_text(row: KpiRow) -> str:
    course = label(row.course) if row.course else "–"
    return f"{target_name(row)} · {row.rating or '–'} · {course}"


def hub_form(record: VerificationRecord) -> None:
    """Pick a hub; rate its business effect and decide its course with the reason."""
    by_id: dict[int, HubRow] = {row.hub_id: row for row in record.hubs}
    hub_id = st.selectbox(
        t("verification.pick_hub"),
        list(by_id),
        index=None,
        format_func=lambda i: coded(by_id[i].hub_code, by_id[i].hub_name),
        placeholder=t("common.choose"),
        key="verification_hub",
    )
    if hub_id is None:
        return
    row = by_id[hub_id]
    key = f"decide_hub_{hub_id}_{row.decision_version}"
    with st.form(key):
        typed = _decision_fields(key, row.effect, row.course, row.reason)
        if st.form_submit_button(t("verification.save_decision"), icon=":material/gavel:"):
            decision = service.Decision(typed.effect, typed.course, typed.reason, row.decision_version)
            if runtime.write(
                service.decide_hub, verification_id=record.verification_id, hub_id=hub_id, decision=decision
            ):
                flash("verification.decision_saved", subject=coded(row.hub_code, row.hub_name))
                st.rerun()
