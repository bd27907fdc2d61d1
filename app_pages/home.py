"""Home: an overview of the selected region as of its latest complete quarter: hubs, goals, statuses, who has
submitted."""

import streamlit as st

from hubdash import charts, ui
from hubdash.domain.enums import Status
from hubdash.services.regions import region_overview
from hubdash.services.reporting import region_reporting
from hubdash.ui import home as home_ui
from hubdash.ui import reporting as reporting_ui
from hubdash.ui import todo as todo_ui
from hubdash.ui.tables import table

region_id = ui.require_region()
overview = ui.read(region_overview, region_id=region_id)
if overview is None:
    st.info(ui.t("app.no_region"))
    st.stop()

st.title(ui.literal(overview.region.name))
if overview.region.description:
    st.caption(ui.literal(overview.region.description))
todo_ui.todo_list(region_id)

c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
c1.metric(ui.t("home.hubs"), len(overview.hubs))
c2.metric(ui.t("home.goals"), len(overview.goals))
c3.metric(ui.t("home.organisations"), sum(overview.organisations_by_sector.values()))
c4.metric(ui.t("home.latest_quarter"), ui.fmt.period(overview.latest))

st.subheader(ui.md("home.status_heading", period=ui.fmt.period(overview.latest)))
reporting_ui.as_of(overview.latest, overview.complete)
reporting_ui.newer_quarters(overview.newer)
ui.status_metrics(overview.statuses)
st.altair_chart(
    charts.status_by_hub(
        home_ui.hub_status_frame(overview.hubs),
        {s: ui.label(s) for s in Status},
        {"hub": ui.t("col.hub"), "count": ui.t("home.targets")},
    ),
    width="stretch",
)

st.subheader(ui.t("home.hubs"))
home_ui.hubs(overview.hubs)

st.subheader(ui.t("reporting.who_submitted"))
reporting_ui.reporting_table_view(reporting_ui.reporting_table(ui.read(region_reporting, region_id=region_id)))
st.caption(ui.t("reporting.who_submitted_help"))

st.subheader(ui.t("home.goals"))
table(home_ui.goal_table(overview.goals), column_config=home_ui.statuses_column())
st.caption(ui.fmt.rollup_rule())

st.subheader(ui.t("home.sectors"))
table(home_ui.sector_table(overview.organisations_by_sector))
