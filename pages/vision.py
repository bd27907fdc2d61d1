"""Vision: the region's shared vision, its strategic goals, sector commitments, revisions and endorsements."""

import pandas as pd
import streamlit as st

from hubdash import ui
from hubdash.services.vision import current_vision, endorsement_coverage, list_revisions

region_id = ui.require_region()
ui.page_title("vision.title")
vision = ui.read(current_vision, region_id=region_id)

if vision.latest_revision is None:
    st.info(ui.t("vision.empty"))
    st.stop()

latest = vision.latest_revision
st.caption(
    ui.t(
        "vision.revision_line",
        number=latest.number,
        author=latest.author_name,
        when=ui.when(latest.created_at),
    )
)
st.markdown(vision.statement.body if vision.statement else "")

st.subheader(ui.t("vision.goals"))
for goal in vision.goals:
    with st.container(border=True):
        st.markdown(f"**{goal.code}　{goal.title}**")
        st.markdown(goal.description)

st.subheader(ui.t("vision.commitments"))
for sector, part in vision.commitments.items():
    if part.body:
        st.markdown(f"**{ui.label(sector)}**")
        st.markdown(part.body)

coverage = ui.read(endorsement_coverage, region_id=region_id)
st.subheader(ui.t("vision.endorsements"))
endorsed = sum(row.is_current for row in coverage)
st.metric(ui.t("vision.endorsed_current", number=latest.number), f"{endorsed} / {len(coverage)}")
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.organisation"): [r.organisation for r in coverage],
            ui.t("col.sector"): [ui.label(r.sector) for r in coverage],
            ui.t("col.endorsement"): [
                ui.t("vision.endorsed")
                if r.is_current
                else ui.t("vision.endorsed_earlier", number=r.revision_number)
                if r.revision_number
                else ui.t("vision.not_endorsed")
                for r in coverage
            ],
            ui.t("col.person"): [r.person_name for r in coverage],
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(ui.t("vision.history"))
revisions = ui.read(list_revisions, region_id=region_id)
st.dataframe(
    pd.DataFrame(
        {
            ui.t("col.revision"): [r.number for r in revisions],
            ui.t("col.when"): [ui.when(r.created_at) for r in revisions],
            ui.t("col.author"): [r.author_name for r in revisions],
            ui.t("col.reason"): [r.reason for r in revisions],
        }
    ),
    hide_index=True,
    width="stretch",
)
