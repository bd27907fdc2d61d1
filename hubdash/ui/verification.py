"""The effect verification page's frame: who may open it, the fiscal year, the stages and their moves."""

from __future__ import annotations

import streamlit as st

from hubdash.domain.enums import Role, VerificationStage
from hubdash.domain.permissions import Permission, allows
from hubdash.services import verification as service
from hubdash.services.verification_record import VerificationRecord
from hubdash.ui import fmt, identity, region, runtime
from hubdash.ui.session import label, t
from hubdash.ui.text import flash, md

YEAR_KEY = "verification_year"


def require_reader() -> int:
    """Open the database and check the person; the region the page shows (an outside expert's own)."""
    runtime.start()
    who = identity.actor()
    if who.role is Role.OUTSIDE_EXPERT and who.region_id is not None:
        return who.region_id
    return region.require_region()


def can_edit(region_id: int) -> bool:
    """Whether the person runs the region's verifications (the council, administrators)."""
    return allows(identity.actor(), Permission.EDIT_VERIFICATION, region_id=region_id)


def year_picker(region_id: int) -> service.YearLine | None:
    """The fiscal year box: every year with values (an outside expert: the years they are invited to)."""
    who = identity.actor()
    lines = runtime.read(service.verification_years, region_id=region_id)
    if who.role is Role.OUTSIDE_EXPERT:
        mine = {v for v, _, _ in runtime.read(service.expert_verifications, user_id=who.user_id or 0)}
        lines = [line for line in lines if line.verification_id in mine]
    if not lines:
        st.info(t("verification.no_years"))
        return None
    by_year = {line.fiscal_year: line for line in lines}
    years = list(by_year)
    wanted = st.session_state.get(YEAR_KEY)
    started = [y for y in years if by_year[y].verification_id is not None]
    index = years.index(wanted) if wanted in years else years.index(started[0]) if started else min(1, len(years) - 1)
    chosen = st.selectbox(
        t("verification.fiscal_year"), years, index=index, format_func=lambda y: _year_text(by_year[y])
    )
    st.session_state[YEAR_KEY] = chosen
    return by_year[chosen]


def _year_text(line: service.YearLine) -> str:
    year = fmt.fiscal_year(line.fiscal_year)
    if line.stage is None:
        return f"{year} · {t('verification.not_started')}"
    return f"{year} · {label(line.stage)} · {t('verification.version', number=line.number)}"


def start(region_id: int, line: service.YearLine) -> None:
    """A year without a verification: say so, and let the council start it."""
    st.info(t("verification.not_started_yet", year=fmt.fiscal_year(line.fiscal_year)))
    if can_edit(region_id) and st.button(
        t("verification.start", year=fmt.fiscal_year(line.fiscal_year)), type="primary", icon=":material/play_arrow:"
    ):
        if runtime.write(service.open_verification, region_id=region_id, fiscal_year=line.fiscal_year):
            flash("verification.started", year=fmt.fiscal_year(line.fiscal_year))
            st.rerun()


def stage_line(record: VerificationRecord) -> None:
    """The stages with the current one marked, the version, and a correction's reason."""
    st.markdown(" → ".join(f"**[{label(s)}]**" if s is record.stage else label(s) for s in VerificationStage))
    parts = [md("verification.version", number=record.number)]
    if record.published_at is not None:
        parts.append(md("verification.published_line", when=fmt.when(record.published_at), who=record.published_by))
    st.caption(" · ".join(parts))
    if record.correction_reason:
        st.caption(md("verification.correction_line", reason=record.correction_reason))


def _move(record: VerificationRecord, to: VerificationStage, reason: str = "") -> None:
    moved = runtime.write(
        service.move_stage, verification_id=record.verification_id, version=record.version, to_stage=to, reason=reason
    )
    if moved is not None:
        flash("verification.moved", stage=label(to))
        st.rerun()


def stage_moves(record: VerificationRecord) -> None:
    """Forward one stage, publish a decided verification, back with a reason, or correct a published one."""
    stages = list(VerificationStage)
    here = stages.index(record.stage)
    if record.stage is VerificationStage.PUBLISHED:
        with st.expander(t("verification.correct")), st.form("verification_correct"):
            st.caption(t("verification.correct_help"))
            reason = st.text_area(t("col.reason"), placeholder=t("verification.reason_hint"))
            if st.form_submit_button(t("verification.correct_button"), icon=":material/edit_note:"):
                if runtime.write(
                    service.start_correction, verification_id=record.verification_id, version=record.version,
                    reason=reason,
                ):  # fmt: skip
                    flash("verification.correction_started", number=record.number + 1)
                    st.rerun()
        return
    if record.stage is VerificationStage.DECIDED:
        undecided = len(record.kpis) - record.decided()
        if undecided:
            st.warning(md("verification.undecided", count=undecided))
        if st.button(t("verification.publish"), type="primary", icon=":material/public:"):
            if runtime.write(service.publish, verification_id=record.verification_id, version=record.version):
                flash("verification.published", number=record.number)
                st.rerun()
    else:
        onward = stages[here + 1]
        if st.button(
            t("verification.move_forward", stage=label(onward)), type="primary", icon=":material/arrow_forward:"
        ):
            _move(record, onward)
    if here > 0:
        with st.expander(t("verification.move_back")), st.form("verification_back"):
            back = st.selectbox(
                t("col.stage"), stages[:here][::-1], format_func=label, index=None, placeholder=t("common.choose")
            )
            reason = st.text_input(t("col.reason"), placeholder=t("verification.reason_hint"))
            if st.form_submit_button(t("verification.move_back_button")) and back is not None:
                _move(record, back, reason)


def history_note(record: VerificationRecord) -> None:
    """Who may do what at this stage, in one line."""
    key = {
        VerificationStage.DRAFT: "verification.stage_help_draft",
        VerificationStage.REVIEW: "verification.stage_help_review",
        VerificationStage.DECIDED: "verification.stage_help_decided",
        VerificationStage.PUBLISHED: "verification.stage_help_published",
    }[record.stage]
    st.caption(t(key))
