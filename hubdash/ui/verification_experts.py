"""The effect verification's outside experts: who is invited, their opinions per goal or target, the council's
answers; the invitation form (the council) and the opinion form (an invited expert, while under review)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hubdash.domain.enums import ExpertSector, VerificationStage
from hubdash.services import verification as service
from hubdash.services.regions import active_goals
from hubdash.services.verification_record import OpinionRow, VerificationRecord
from hubdash.ui import fmt, identity, runtime
from hubdash.ui.session import label, t
from hubdash.ui.text import flash, md, show
from hubdash.ui.verification_table import target_name


def experts(record: VerificationRecord, *, editable: bool) -> None:
    """The invited experts, and (the council, before publishing) the form that invites one."""
    if record.experts:
        st.dataframe(
            pd.DataFrame(
                {
                    t("verification.col_expert"): [e.name for e in record.experts],
                    t("col.organisation"): [e.organisation for e in record.experts],
                    t("col.sector"): [label(e.sector) for e in record.experts],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("verification.no_experts"))
    if editable:
        _invite_form(record)


def _invite_form(record: VerificationRecord) -> None:
    invited = {e.user_id for e in record.experts}
    accounts = [
        a for a in runtime.read(service.expert_accounts, region_id=record.region_id) if a.user_id not in invited
    ]
    with st.expander(t("verification.invite")):
        if not accounts:
            st.caption(t("verification.no_expert_accounts"))
            return
        by_id = {a.user_id: a for a in accounts}
        with st.form("verification_invite", clear_on_submit=True):
            user_id = st.selectbox(
                t("verification.expert_account"),
                list(by_id),
                index=None,
                format_func=lambda i: f"{by_id[i].name} ({by_id[i].email or '–'})",
                placeholder=t("common.choose"),
            )
            organisation = st.text_input(t("col.organisation"), placeholder=t("verification.organisation_hint"))
            sector = st.selectbox(
                t("col.sector"), list(ExpertSector), index=None, format_func=label, placeholder=t("common.choose")
            )
            if st.form_submit_button(t("verification.invite_button"), icon=":material/person_add:"):
                if user_id is None or sector is None:
                    st.error(t("verification.error_invite_fields"))
                elif runtime.write(
                    service.invite_expert, verification_id=record.verification_id, user_id=user_id,
                    organisation=organisation, sector=sector,
                ):  # fmt: skip
                    flash("verification.invited", name=by_id[user_id].name)
                    st.rerun()


def opinions(record: VerificationRecord, *, can_answer: bool) -> None:
    """Every opinion with its answer; the council answers the open ones until the verification is published."""
    if not record.opinions:
        st.caption(t("verification.no_opinions"))
    for opinion in record.opinions:
        with st.container(border=True):
            subject = opinion.subject or t("verification.subject_all")
            who = f"{opinion.expert_name} ({opinion.expert_organisation})"
            st.markdown(md("verification.opinion_line", who=who, subject=subject, when=fmt.when(opinion.written_at)))
            show(opinion.body)
            if opinion.answer:
                st.markdown(md("verification.answer_line", who=opinion.answered_by, when=fmt.when(opinion.answered_at)))
                show(opinion.answer)
            elif can_answer:
                _answer_form(opinion)
            else:
                st.caption(t("verification.no_answer_yet"))


def _answer_form(opinion: OpinionRow) -> None:
    with st.form(f"answer_{opinion.opinion_id}_{opinion.version}"):
        answer = st.text_area(t("verification.col_answer"), placeholder=t("verification.answer_hint"))
        if st.form_submit_button(t("verification.answer_button"), icon=":material/reply:"):
            if runtime.write(
                service.answer_opinion, opinion_id=opinion.opinion_id, version=opinion.version, answer=answer
            ):
                flash("verification.answered", who=opinion.expert_name)
                st.rerun()


def opinion_form(record: VerificationRecord) -> None:
    """An invited expert writes an opinion on the whole verification, a goal or a target (while under review)."""
    who = identity.actor()
    if who.user_id not in {e.user_id for e in record.experts}:
        return
    if record.stage is not VerificationStage.REVIEW:
        st.info(t("verification.opinions_closed", stage=label(record.stage)))
        return
    goals = runtime.read(active_goals, region_id=record.region_id)
    subjects: dict[str, str] = {"all": t("verification.subject_all")}
    subjects |= {f"goal:{g.id}": f"{g.code} {g.title}" for g in goals}
    subjects |= {f"target:{r.target_id}": target_name(r) for r in record.kpis}
    with st.form("verification_opinion", clear_on_submit=True):
        st.markdown(f"**{t('verification.write_opinion')}**")
        picked = st.selectbox(
            t("verification.col_subject"),
            list(subjects),
            index=None,
            format_func=subjects.__getitem__,
            placeholder=t("common.choose"),
        )
        body = st.text_area(t("verification.col_opinion"), placeholder=t("verification.opinion_hint"))
        if st.form_submit_button(t("verification.send_opinion"), type="primary", icon=":material/rate_review:"):
            kind, _, ident = (picked or "all").partition(":")
            goal_id = int(ident) if kind == "goal" else None
            target_id = int(ident) if kind == "target" else None
            if runtime.write(
                service.write_opinion, verification_id=record.verification_id, body=body, goal_id=goal_id,
                target_id=target_id,
            ):  # fmt: skip
                flash("verification.opinion_sent")
                st.rerun()
