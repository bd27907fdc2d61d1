"""Dashboard (detail): each indicator against its path per hub, achievement heatmap, PDCA stages, endorsements."""

import streamlit as st

from hubdash import charts, ui
from hubdash.domain.enums import IndicatorKind, Measure
from hubdash.domain.periods import fiscal_year_label
from hubdash.services.dashboard import dashboard, dashboard_options, fiscal_year_paths, indicator_paths
from hubdash.ui import reporting as reporting_ui
from hubdash.ui.tables import table

region_id = ui.require_region()
ui.page_title("dashboard.title")
options = ui.read(dashboard_options, region_id=region_id)
if not options.indicators:
    st.info(ui.t("dashboard.empty"))
    st.stop()
lang = ui.language()
kind_names = {k: ui.label(k) for k in IndicatorKind}


def _from_url(name: str, choices: list) -> int:
    # Links from the executive summary open the dashboard on one hub and indicator.
    wanted = st.query_params.get(name)
    ids = [getattr(c, "id", c) for c in choices]
    return ids.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in ids else 0


hub_col, goal_col, kind_col, year_col = st.columns(4)
hub_choices = [None, *options.hubs]
hub_id = hub_col.selectbox(
    ui.t("col.hub"),
    hub_choices,
    index=_from_url("hub", hub_choices),
    format_func=lambda h: options.hubs[h] if h else ui.t("dashboard.all_hubs"),
    placeholder=ui.t("common.choose"),
)
goal_code = goal_col.selectbox(
    ui.t("col.goal"),
    [None, *options.goals],
    format_func=lambda g: f"{g} {options.goals[g]}" if g else ui.t("dashboard.all_goals"),
    placeholder=ui.t("common.choose"),
)
kind = kind_col.selectbox(
    ui.t("col.kind"),
    [None, *IndicatorKind],
    format_func=lambda k: kind_names[k] if k else ui.t("dashboard.all_kinds"),
    placeholder=ui.t("common.choose"),
)
fiscal_year = year_col.selectbox(
    ui.t("dashboard.fiscal_year"),
    [None, *reversed(options.fiscal_years)],
    format_func=lambda y: fiscal_year_label(y, lang) if y else ui.t("dashboard.latest"),
    placeholder=ui.t("common.choose"),
)
kind_value = kind.value if kind else None

view = ui.read(
    dashboard, region_id=region_id, hub_id=hub_id, goal_code=goal_code, kind=kind_value, fiscal_year=fiscal_year
)
st.caption(ui.md("dashboard.as_of", period=ui.fmt.period(view.as_of)))
if view.coverage is not None and not view.coverage.complete:
    st.warning(reporting_ui.coverage_text(view.coverage), icon=":material/hourglass_top:")


@st.fragment  # choosing another indicator redraws only this part
@ui.guarded
def paths_section() -> None:
    indicators = [
        o for o in options.indicators if (goal_code in (None, o.goal_code)) and (kind_value in (None, o.kind.value))
    ]
    if not indicators:
        st.info(ui.t("dashboard.no_match"))
        return
    indicator = st.selectbox(
        ui.t("col.indicator"),
        indicators,
        index=_from_url("indicator", indicators),
        format_func=lambda o: f"{ui.fmt.coded(o.code, o.name)} ({o.unit}) · {kind_names[o.kind]}",
        placeholder=ui.t("common.choose"),
    )
    where = {"region_id": region_id, "indicator_id": indicator.id, "hub_id": hub_id, "fiscal_year": fiscal_year}
    choices = (region_id, indicator.id, hub_id, fiscal_year)
    ui.cached_chart(
        "paths", choices, lambda: charts.indicator_paths(ui.read(indicator_paths, **where).frame, lang, indicator.unit)
    )
    st.caption(ui.t("dashboard.paths_help"))
    targets = st.expander(ui.t("dashboard.targets_table"), key="targets-table", on_change="rerun")
    if targets.open:
        with targets:
            table(charts.target_summary_table(ui.read(indicator_paths, **where).targets, lang))
    if indicator.measure is Measure.FLOW:
        year = ui.read(fiscal_year_paths, **where)
        st.subheader(ui.t("yearpath.title", year=ui.fmt.fiscal_year(year.fiscal_year)))
        if year.frame.empty:
            st.info(ui.t("dashboard.no_match"))
        else:
            ui.cached_chart("year", choices, lambda: charts.fiscal_year_path(year.frame, lang, indicator.unit))
            st.caption(ui.t("yearpath.help"))


st.subheader(ui.t("dashboard.paths"))
paths_section()
choices = (region_id, hub_id, goal_code, kind_value, fiscal_year)

st.subheader(ui.t("dashboard.heatmap"))
if view.heatmap.empty:
    st.info(ui.t("dashboard.no_match"))
else:
    ui.cached_chart("heatmap", choices, lambda: charts.achievement_heatmap(view.heatmap, lang))
    st.caption(ui.t("dashboard.heatmap_help"))

st.subheader(ui.t("dashboard.pdca"))
if view.pdca.empty:
    st.info(ui.t("dashboard.no_cycles"))
else:
    ui.cached_chart("pdca", choices, lambda: charts.pdca_timeline(view.pdca, lang))

st.subheader(ui.t("dashboard.endorsements"))
st.metric(ui.t("dashboard.endorsed_current"), f"{view.endorsed_current} / {view.council_organisations}", border=False)
if not view.endorsements.empty:
    ui.cached_chart("endorsements", (region_id,), lambda: charts.endorsement_coverage(view.endorsements, lang))
