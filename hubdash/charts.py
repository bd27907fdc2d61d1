"""Pure Altair chart builders: a DataFrame in, an alt.Chart out; status colours come from hubdash.domain.status."""

from __future__ import annotations

import json
from dataclasses import dataclass

import altair as alt
import pandas as pd

from hubdash import i18n
from hubdash.domain.enums import PdcaStage, Sector, Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.status import STATUS_COLORS, STATUS_SYMBOLS

# Japanese glyphs need a CJK font; browsers pick the first one installed.
FONT = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif'


# Small multiples have fixed widths (Vega-Lite cannot stretch a facet): two panels of this width, their axes and
# the gap fit the page's main column at 1400 px with the sidebar open; legends go below them, never to the right.
PANEL_WIDTH = 330
_BOTTOM_LEGEND = alt.Legend(orient="bottom", titleOrient="left", labelLimit=0)

# What the builders return: a single chart, layers, or small multiples.
AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart


def _styled(chart: AnyChart) -> AnyChart:
    styled: AnyChart = (
        chart.configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT)
    )
    return styled


def projected(chart: AnyChart, size: int = 22) -> AnyChart:
    """A chart restyled for a projector: every axis and legend text at `size` px, read from the back of a room."""
    large: AnyChart = chart.configure_axis(
        labelFont=FONT, titleFont=FONT, labelFontSize=size, titleFontSize=size, labelLimit=0
    ).configure_legend(
        labelFont=FONT,
        titleFont=FONT,
        labelFontSize=size,
        titleFontSize=size,
        symbolSize=size * 12,
        columns=1,
        labelLimit=0,
    )
    return large


# Shapes repeat the status, so that colour is never the only cue.
STATUS_SHAPES: dict[Status, str] = {
    Status.ON_TRACK: "circle",
    Status.AT_RISK: "triangle-up",
    Status.OFF_TRACK: "cross",
    Status.NO_DATA: "square",
}


def status_scale(labels: dict[Status, str]) -> alt.Scale:
    """A colour scale mapping each status label to the engine's colour-blind-safe colour."""
    return alt.Scale(domain=[labels[s] for s in Status], range=[STATUS_COLORS[s] for s in Status])


def status_shape_scale(labels: dict[Status, str]) -> alt.Scale:
    """A shape scale mapping each status label to its marker shape."""
    return alt.Scale(domain=[labels[s] for s in Status], range=[STATUS_SHAPES[s] for s in Status])


def status_by_hub(frame: pd.DataFrame, labels: dict[Status, str], titles: dict[str, str]) -> AnyChart:
    """Stacked bars: how many of each hub's targets are in each status.

    `frame` columns: hub (display name), status (Status value), count. `titles` keys: hub, count.
    """
    data = frame.assign(
        status_label=[labels[Status(s)] for s in frame["status"]],
        order=[list(Status).index(Status(s)) for s in frame["status"]],
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("hub:N", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("count:Q", title=titles["count"], stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "status_label:N", scale=status_scale(labels), title=None, legend=alt.Legend(orient="bottom")
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("hub:N", title=titles["hub"]),
                alt.Tooltip("status_label:N", title=""),
                alt.Tooltip("count:Q", title=titles["count"]),
            ],
        )
        .properties(height=alt.Step(36))
    )
    return _styled(chart)


def status_bar(frame: pd.DataFrame, axis_title: str) -> AnyChart:
    """Horizontal bars of how many targets are in each status.

    `frame` has one row per status with columns status, label, count (see status_counts).
    """
    labels = {Status(s): label for s, label in zip(frame["status"], frame["label"], strict=True)}
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=list(frame["label"]), title=None),
            x=alt.X("count:Q", title=axis_title),
            color=alt.Color("label:N", scale=status_scale(labels), legend=None),
            tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("count:Q", title=axis_title)],
        )
        .properties(height=alt.Step(34))
    )
    return _styled(chart)


# --- dashboard and executive summary (issue 6) ---------------------------------------------------
# Builders below take the language and return a ChartView: the chart and a table of the same numbers,
# with translated headers, so that every chart has a table view.

STAGE_COLORS: dict[PdcaStage, str] = {
    PdcaStage.PLAN: "#56B4E9",
    PdcaStage.DO: "#009E73",
    PdcaStage.CHECK: "#F0E442",
    PdcaStage.ACT: "#CC79A7",
    PdcaStage.CLOSED: "#BBBBBB",
}
ENDORSEMENT_STATES: dict[str, str] = {
    "current": "dashboard.endorsement_current",
    "earlier": "dashboard.endorsement_earlier",
    "none": "dashboard.endorsement_none",
}
ENDORSEMENT_COLORS: tuple[str, ...] = ("#009E73", "#56B4E9", "#BBBBBB")
EVENT_COLOR = "#CC79A7"


@dataclass(frozen=True)
class ChartView:
    """A chart and the table view of the same numbers."""

    chart: AnyChart
    table: pd.DataFrame


def _t(key: str, lang: str) -> str:
    return i18n.t(key, lang)


def _status_labels(lang: str) -> dict[Status, str]:
    return {s: f"{STATUS_SYMBOLS[s]} {i18n.label(s, lang)}" for s in Status}


def fiscal_year_axis(lang: str, title: str | None = None) -> alt.Axis:
    """A continuous quarter axis (fiscal year + share) labelled by fiscal year: 2024年度 / FY2024."""
    expr = "format(datum.value, 'd') + '年度'" if lang == "ja" else "'FY' + format(datum.value, 'd')"
    return alt.Axis(title=title, labelExpr=expr, tickMinStep=1, labelAngle=0, grid=True)


def _period_labels(frame: pd.DataFrame, lang: str) -> pd.Series:
    return pd.Series(
        [
            FiscalQuarter(int(fy), int(q)).label(lang) if pd.notna(fy) and pd.notna(q) else None
            for fy, q in zip(frame["fiscal_year"], frame["quarter"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def _two_line_period_axis(title: str | None = None) -> alt.Axis:
    # "2024年度 第1四半期" / "FY2024 Q1" on two lines: readable, never truncated.
    return alt.Axis(title=title, labelExpr="split(datum.label, ' ')", labelAngle=0, labelLimit=0)


def indicator_paths(frame: pd.DataFrame, lang: str, unit: str) -> ChartView:
    """Small multiples (one panel per hub): actual against the expected path, projection, re-baselinings.

    `frame`: rows of services.dashboard.IndicatorPaths.frame (layer path/projection/baseline/target/event).
    """
    labels = {s: i18n.label(s, lang) for s in Status}  # the legend's marker already shows the shape
    whole = _t("indicators.whole_region", lang)
    data = frame.assign(
        panel=[p or whole for p in frame["panel"]],
        period=_period_labels(frame, lang),
        status_label=pd.Series(
            [labels[Status(s)] if isinstance(s, str) else None for s in frame["status"]],
            index=frame.index,
            dtype=object,
        ),
    )
    x = alt.X("x:Q", axis=fiscal_year_axis(lang), scale=alt.Scale(zero=False, nice=False))
    value_title = f"{_t('col.value', lang)} ({unit})"
    period_tip = alt.Tooltip("period:N", title=_t("col.period", lang))
    base = alt.Chart()
    path = base.transform_filter(alt.datum.layer == "path")
    expected = path.mark_line(color="#777777", strokeWidth=1.5).encode(
        x=x,
        y=alt.Y("expected:Q", title=value_title),
        tooltip=[period_tip, alt.Tooltip("expected:Q", title=_t("col.expected", lang), format=",.2f")],
    )
    actual = path.transform_filter("isValid(datum.actual)")
    actual_line = actual.mark_line(color="#222222").encode(x=x, y="actual:Q")
    points = actual.mark_point(filled=True, size=70, opacity=1).encode(
        x=x,
        y="actual:Q",
        color=alt.Color(
            "status_label:N", scale=status_scale(labels), title=_t("col.status", lang), legend=_BOTTOM_LEGEND
        ),
        shape=alt.Shape(
            "status_label:N", scale=status_shape_scale(labels), title=_t("col.status", lang), legend=_BOTTOM_LEGEND
        ),
        tooltip=[
            period_tip,
            alt.Tooltip("actual:Q", title=_t("col.compared", lang), format=",.2f"),
            alt.Tooltip("expected:Q", title=_t("col.expected", lang), format=",.2f"),
            alt.Tooltip("status_label:N", title=_t("col.status", lang)),
        ],
    )
    projection = (
        base.transform_filter(alt.datum.layer == "projection")
        .mark_line(strokeDash=[6, 4], color="#0072B2", strokeWidth=2)
        .encode(x=x, y="value:Q", tooltip=[alt.Tooltip("value:Q", title=_t("dashboard.projection", lang))])
    )
    ends = (
        base.transform_filter((alt.datum.layer == "baseline") | (alt.datum.layer == "target"))
        .transform_calculate(
            mark=f"datum.layer == 'baseline' ? '{_t('col.baseline', lang)}' : '{_t('col.target', lang)}'"
        )
        .encode(x=x, y="value:Q")
    )
    end_marks = ends.mark_point(shape="diamond", size=110, filled=True, color="#000000").encode(
        tooltip=[alt.Tooltip("mark:N", title=""), alt.Tooltip("value:Q", title=value_title, format=",.2f")]
    )
    end_text = ends.mark_text(dy=-12, fontSize=11, color="#000000").encode(text="mark:N")
    events = base.transform_filter(alt.datum.layer == "event")
    event_rules = events.mark_rule(color=EVENT_COLOR, strokeWidth=2).encode(
        x=x,
        tooltip=[period_tip, alt.Tooltip("reason:N", title=_t("dashboard.rebaselined", lang))],
    )
    event_text = events.mark_text(text="↻", dy=-4, fontSize=16, color=EVENT_COLOR, baseline="top", y=0).encode(x=x)
    layered = alt.layer(
        expected, actual_line, points, projection, end_marks, end_text, event_rules, event_text, data=data
    ).properties(width=PANEL_WIDTH, height=220)
    chart = layered.facet(
        facet=alt.Facet("panel:N", title=None, header=alt.Header(labelLimit=0, labelFontSize=13)), columns=2
    ).resolve_scale(y="independent")
    path_rows = data[data["layer"] == "path"]
    table = pd.DataFrame(
        {
            _t("col.hub", lang): path_rows["panel"],
            _t("col.period", lang): path_rows["period"],
            _t("col.compared", lang): path_rows["actual"],
            _t("col.expected", lang): path_rows["expected"],
            _t("col.status", lang): path_rows["status_label"],
        }
    )
    return ChartView(_styled(chart), table)


def target_summary_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each target of the charted indicator: baseline, target, where it stands and when the trend reaches it."""
    labels = _status_labels(lang)

    def period(value: object) -> str:
        return value.label(lang) if isinstance(value, FiscalQuarter) else "–"

    return pd.DataFrame(
        {
            _t("col.hub", lang): [p or _t("indicators.whole_region", lang) for p in frame["panel"]],
            _t("col.baseline", lang): frame["baseline"],
            _t("col.baseline_period", lang): [period(v) for v in frame["baseline_period"]],
            _t("col.target", lang): frame["target"],
            _t("col.target_period", lang): [period(v) for v in frame["target_period"]],
            _t("col.compared", lang): frame["actual"],
            _t("col.expected", lang): frame["expected"],
            f"{_t('col.achievement', lang)} (%)": frame["achievement"],
            _t("col.status", lang): [labels[Status(s)] for s in frame["status"]],
            _t("dashboard.reach", lang): [period(v) for v in frame["reach"]],
            _t("dashboard.rebaselined", lang): frame["rebaselined"],
        }
    )


def achievement_heatmap(frame: pd.DataFrame, lang: str) -> ChartView:
    """Hubs by indicators, coloured by achievement (%), with the status symbol in each cell.

    `frame`: services.dashboard.Dashboard.heatmap.
    """
    labels = _status_labels(lang)
    data = frame.assign(
        symbol=[STATUS_SYMBOLS[Status(s)] for s in frame["status"]],
        status_label=[labels[Status(s)] for s in frame["status"]],
    )
    achievement_title = f"{_t('col.achievement', lang)} (%)"
    base = alt.Chart(data).encode(
        # every code readable: upright for a few indicators, turned for a region's 25
        x=alt.X(
            "indicator:N",
            title=_t("col.indicator", lang),
            axis=alt.Axis(labelAngle=0 if data["indicator"].nunique() <= 12 else -90, orient="top", labelOverlap=False),
        ),
        y=alt.Y("hub:N", title=None, axis=alt.Axis(labelLimit=0)),
        tooltip=[
            alt.Tooltip("hub:N", title=_t("col.hub", lang)),
            alt.Tooltip("indicator_name:N", title=_t("col.indicator", lang)),
            alt.Tooltip("achievement:Q", title=achievement_title, format=",.1f"),
            alt.Tooltip("actual:Q", title=_t("col.compared", lang), format=",.2f"),
            alt.Tooltip("expected:Q", title=_t("col.expected", lang), format=",.2f"),
            alt.Tooltip("unit:N", title=_t("col.unit", lang)),
            alt.Tooltip("status_label:N", title=_t("col.status", lang)),
        ],
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color(
            "achievement:Q",
            title=achievement_title,
            # viridis stays readable for the common colour-vision deficiencies
            scale=alt.Scale(scheme="viridis", domain=[0, 100], clamp=True),
            legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=240, titleLimit=0),
        )
    )
    text = base.mark_text(fontSize=13).encode(
        text="symbol:N",
        color=alt.condition("datum.achievement > 55", alt.value("#000000"), alt.value("#ffffff")),
    )
    chart = alt.layer(cells, text).properties(height=alt.Step(34), width=alt.Step(44))
    table = pd.DataFrame(
        {
            _t("col.hub", lang): data["hub"],
            _t("col.code", lang): data["indicator"],
            _t("col.indicator", lang): data["indicator_name"],
            _t("col.compared", lang): data["actual"],
            _t("col.expected", lang): data["expected"],
            achievement_title: data["achievement"],
            _t("col.unit", lang): data["unit"],
            _t("col.status", lang): data["status_label"],
        }
    )
    return ChartView(_styled(chart), table)


def pdca_timeline(frame: pd.DataFrame, lang: str) -> ChartView:
    """The stage of each hub's PDCA cycles along the fiscal quarters (services.dashboard.Dashboard.pdca)."""
    stage_labels = {s: i18n.label(s, lang) for s in PdcaStage}
    data = frame.assign(
        period=_period_labels(frame, lang), stage_label=[stage_labels[PdcaStage(s)] for s in frame["stage"]]
    )
    base = alt.Chart(data).encode(
        x=alt.X("start:Q", axis=fiscal_year_axis(lang), scale=alt.Scale(zero=False, nice=False)),
        x2="end:Q",
        y=alt.Y("hub:N", title=None, axis=alt.Axis(labelLimit=0)),
        tooltip=[
            alt.Tooltip("hub:N", title=_t("col.hub", lang)),
            alt.Tooltip("period:N", title=_t("col.period", lang)),
            alt.Tooltip("stage_label:N", title=_t("col.stage", lang)),
        ],
    )
    bars = base.mark_bar(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(
            "stage_label:N",
            title=_t("col.stage", lang),
            scale=alt.Scale(domain=list(stage_labels.values()), range=[STAGE_COLORS[s] for s in PdcaStage]),
            legend=alt.Legend(orient="bottom"),
        )
    )
    text = (
        base.transform_calculate(mid="(datum.start + datum.end) / 2")
        .mark_text(fontSize=11, color="#000000")
        .encode(x="mid:Q", text="stage_label:N")
    )
    chart = alt.layer(bars, text).properties(height=alt.Step(34))
    table = pd.DataFrame(
        {
            _t("col.hub", lang): data["hub"],
            _t("col.period", lang): data["period"],
            _t("col.stage", lang): data["stage_label"],
        }
    )
    return ChartView(_styled(chart), table)


def endorsement_coverage(frame: pd.DataFrame, lang: str) -> ChartView:
    """Council organisations per sector by whether they endorse the current revision of the vision."""
    state_labels = {state: _t(key, lang) for state, key in ENDORSEMENT_STATES.items()}
    sector_labels = {s.value: i18n.label(s, lang) for s in Sector}
    data = frame.assign(
        sector_label=[sector_labels[s] for s in frame["sector"]],
        state_label=[state_labels[s] for s in frame["state"]],
        order=[list(ENDORSEMENT_STATES).index(s) for s in frame["state"]],
    )
    count_title = _t("col.organisations", lang)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("sector_label:N", title=None, sort=list(sector_labels.values()), axis=alt.Axis(labelLimit=0)),
            x=alt.X("organisations:Q", title=count_title, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "state_label:N",
                title=None,
                scale=alt.Scale(domain=list(state_labels.values()), range=list(ENDORSEMENT_COLORS)),
                legend=alt.Legend(orient="bottom", labelLimit=0),  # whole labels, never "Endorses the c…"
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("sector_label:N", title=_t("col.sector", lang)),
                alt.Tooltip("state_label:N", title=_t("col.endorsement", lang)),
                alt.Tooltip("organisations:Q", title=count_title),
            ],
        )
        .properties(height=alt.Step(30))
    )
    table = pd.DataFrame(
        {
            _t("col.sector", lang): data["sector_label"],
            _t("col.endorsement", lang): data["state_label"],
            count_title: data["organisations"],
        }
    )
    return ChartView(_styled(chart), table)


def status_counts(counts: dict[Status, int], lang: str) -> ChartView:
    """How many targets are in each status, as bars in the engine's colours and with its symbols."""
    labels = _status_labels(lang)
    frame = pd.DataFrame(
        {
            "status": [s.value for s in Status],
            "label": [labels[s] for s in Status],
            "count": [counts[s] for s in Status],
        }
    )
    chart = status_bar(frame, _t("home.targets", lang))
    table = pd.DataFrame({_t("col.status", lang): frame["label"], _t("home.targets", lang): frame["count"]})
    return ChartView(chart, table)


def traffic_lights(frame: pd.DataFrame, lang: str, row_title: str) -> ChartView:
    """Rows (hubs, or regions) by strategic goal, each cell the roll-up of its targets (domain.rollup).

    `frame`: services.executive.ExecutiveSummary.lights (row, goal, status, on_track (%), known).
    """
    labels = _status_labels(lang)
    share_title = _t("rollup.on_track_share", lang)
    data = frame[["row", "goal", "status", "on_track", "known"]].assign(
        symbol=[STATUS_SYMBOLS[Status(s)] for s in frame["status"]],
        status_label=[labels[Status(s)] for s in frame["status"]],
    )
    base = alt.Chart(data).encode(
        x=alt.X("goal:N", title=_t("col.goal", lang), axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("row:N", title=None, sort=list(dict.fromkeys(data["row"])), axis=alt.Axis(labelLimit=0)),
        tooltip=[
            alt.Tooltip("row:N", title=row_title),
            alt.Tooltip("goal:N", title=_t("col.goal", lang)),
            alt.Tooltip("status_label:N", title=_t("col.status", lang)),
            alt.Tooltip("on_track:Q", title=f"{share_title} (%)"),
            alt.Tooltip("known:Q", title=_t("rollup.with_data", lang)),
        ],
    )
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color("status_label:N", scale=status_scale(labels), title=None, legend=alt.Legend(orient="bottom"))
    )
    text = base.mark_text(fontSize=13, color="#000000").encode(text="symbol:N")
    chart = alt.layer(cells, text).properties(height=alt.Step(22), width=alt.Step(56))
    rows = frame.drop_duplicates("row")
    data["cell"] = [
        label if pd.isna(share) else f"{label} ({int(share)} %)"
        for label, share in zip(data["status_label"], data["on_track"], strict=True)
    ]
    table = data.pivot(index="row", columns="goal", values="cell").reindex(list(rows["row"]))
    table.index.name = row_title
    table.columns.name = None
    table = table.reset_index()
    table[_t("executive.detail", lang)] = [
        detail_link(r, h) for r, h in zip(rows["row_region_id"], rows["row_hub_id"], strict=True)
    ]
    return ChartView(_styled(chart), table)


def region_ranking(frame: pd.DataFrame, lang: str) -> ChartView:
    """Regions ranked by the share of their hub targets on track, each bar in the colour of the region's roll-up.

    `frame`: one row per region in rank order: region, region_id, status, on_track (%), change (points), known.
    """
    labels = _status_labels(lang)
    share_title = f"{_t('rollup.on_track_share', lang)} (%)"
    change_title = _t("national.change", lang)
    data = frame.assign(status_label=[labels[Status(s)] for s in frame["status"]])
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("region:N", title=None, sort=list(data["region"]), axis=alt.Axis(labelLimit=0)),
            x=alt.X("on_track:Q", title=share_title, scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "status_label:N", scale=status_scale(labels), title=None, legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                alt.Tooltip("region:N", title=_t("app.region", lang)),
                alt.Tooltip("status_label:N", title=_t("col.status", lang)),
                alt.Tooltip("on_track:Q", title=share_title),
                alt.Tooltip("change:Q", title=change_title, format="+.0f"),
                alt.Tooltip("known:Q", title=_t("rollup.with_data", lang)),
            ],
        )
        .properties(height=alt.Step(18))
    )
    table = pd.DataFrame(
        {
            _t("national.rank", lang): range(1, len(data) + 1),
            _t("app.region", lang): data["region"],
            _t("col.status", lang): data["status_label"],
            share_title: data["on_track"],
            change_title: data["change"],
            _t("rollup.with_data", lang): data["known"],
            _t("executive.detail", lang): [detail_link(r) for r in data["region_id"]],
        }
    )
    return ChartView(_styled(chart), table)


def fiscal_year_path(frame: pd.DataFrame, lang: str, unit: str) -> ChartView:
    """Small multiples (one panel per target) of one fiscal year: the year so far against the expected path.

    `frame`: services.dashboard.YearPaths.frame. x runs from the start of the year (0) to the end of Q4 (4); the
    grey line is the expected (seasonal) path, the black line and the points the actual, the dashed rule the
    expected total of the year.
    """
    labels = {s: i18n.label(s, lang) for s in Status}
    whole = _t("indicators.whole_region", lang)
    keys = ("yearpath.start", "yearpath.q1", "yearpath.q2", "yearpath.q3", "yearpath.q4")
    ticks = {x: _t(key, lang) for x, key in enumerate(keys)}
    data = frame.assign(
        panel=[p or whole for p in frame["panel"]],
        when=[ticks[int(x)] for x in frame["x"]],
        status_label=[labels[Status(s)] for s in frame["status"]],
    )
    value_title = f"{_t('yearpath.so_far', lang)} ({unit})"
    label_expr = " : ".join(f"datum.value == {q} ? '{text}'" for q, text in ticks.items()) + " : ''"
    x = alt.X(
        "x:Q", title=None, scale=alt.Scale(domain=[0, 4]), axis=alt.Axis(values=[0, 1, 2, 3, 4], labelExpr=label_expr)
    )
    when_tip = alt.Tooltip("when:N", title=_t("col.period", lang))
    base = alt.Chart()
    expected = base.mark_line(
        color="#777777", strokeWidth=2, point=alt.OverlayMarkDef(color="#777777", size=30)
    ).encode(
        x=x,
        y=alt.Y("expected:Q", title=value_title),
        tooltip=[when_tip, alt.Tooltip("expected:Q", title=_t("yearpath.expected", lang), format=",.2f")],
    )
    actual = base.transform_filter("isValid(datum.actual)")
    actual_line = actual.mark_line(color="#222222", strokeWidth=2.5).encode(x=x, y="actual:Q")
    points = (
        actual.transform_filter("datum.x > 0")
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=x,
            y="actual:Q",
            color=alt.Color(
                "status_label:N", scale=status_scale(labels), title=_t("col.status", lang), legend=_BOTTOM_LEGEND
            ),
            shape=alt.Shape(
                "status_label:N",
                scale=status_shape_scale(labels),
                title=_t("col.status", lang),
                legend=_BOTTOM_LEGEND,
            ),
            tooltip=[
                when_tip,
                alt.Tooltip("actual:Q", title=_t("yearpath.actual", lang), format=",.2f"),
                alt.Tooltip("expected:Q", title=_t("yearpath.expected", lang), format=",.2f"),
                alt.Tooltip("status_label:N", title=_t("col.status", lang)),
                alt.Tooltip("profile:N", title=_t("profile.title", lang)),
            ],
        )
    )
    total = (
        base.transform_filter("datum.x == 4")
        .mark_rule(strokeDash=[4, 4], color="#0072B2")
        .encode(
            y="year_total:Q",
            tooltip=[alt.Tooltip("year_total:Q", title=_t("yearpath.year_total", lang), format=",.2f")],
        )
    )
    layered = alt.layer(total, expected, actual_line, points, data=data).properties(width=PANEL_WIDTH, height=200)
    chart = layered.facet(
        facet=alt.Facet("panel:N", title=None, header=alt.Header(labelLimit=0, labelFontSize=13)), columns=2
    ).resolve_scale(y="independent")
    rows = data[data["x"] > 0]
    table = pd.DataFrame(
        {
            _t("col.hub", lang): rows["panel"],
            _t("col.period", lang): rows["when"],
            _t("yearpath.actual", lang): rows["actual"],
            _t("yearpath.expected", lang): rows["expected"],
            _t("col.status", lang): rows["status_label"],
            _t("profile.title", lang): rows["profile"],
        }
    )
    return ChartView(_styled(chart), table)


def detail_link(region_id: float, hub_id: float | None = None) -> str:
    """The relative URL behind an executive item: the hub on the dashboard, or the region's own summary.

    Ids come from DataFrame columns, where a missing hub is NaN (or None) and ids may be floats.
    """
    if hub_id is None or pd.isna(hub_id):
        return f"executive?region={int(region_id)}"
    return f"dashboard?region={int(region_id)}&hub={int(hub_id)}"


def risk_table(frame: pd.DataFrame, lang: str, *, with_region: bool = True) -> pd.DataFrame:
    """The top risks (services.executive.ExecutiveSummary.risks) with translated headers and detail links.

    The column they are ranked by (how far behind) comes first, then what is behind and where, so that the
    reason for the order is in view on a laptop screen; the region only when the list spans regions.
    """
    labels = _status_labels(lang)
    columns = {
        _t("executive.behind", lang): frame["behind"],
        _t("col.status", lang): [labels[Status(s)] for s in frame["status"]],
        _t("col.indicator", lang): frame["indicator"],
        _t("col.hub", lang): [_t("indicators.whole_region", lang) if pd.isna(h) else h for h in frame["hub"]],
        f"{_t('col.achievement', lang)} (%)": frame["achievement"],
        _t("col.compared", lang): frame["actual"],
        _t("col.expected", lang): frame["expected"],
        _t("col.unit", lang): frame["unit"],
    }
    if with_region:
        columns[_t("app.region", lang)] = frame["region"]
    columns[_t("executive.detail", lang)] = [
        f"dashboard?region={r}" + ("" if pd.isna(h) else f"&hub={int(h)}") + f"&indicator={i}"
        for r, h, i in zip(frame["region_id"], frame["hub_id"], frame["indicator_id"], strict=True)
    ]
    return pd.DataFrame(columns)


def status_trend(frame: pd.DataFrame, lang: str) -> ChartView:
    """How many targets were in each status, quarter by quarter (services.executive.ExecutiveSummary.trend)."""
    labels = _status_labels(lang)
    data = frame.assign(
        period=_period_labels(frame, lang),
        status_label=[labels[Status(s)] for s in frame["status"]],
        order=[list(Status).index(Status(s)) for s in frame["status"]],
    )
    order = list(dict.fromkeys(data["period"]))
    count_title = _t("home.targets", lang)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("period:N", sort=order, axis=_two_line_period_axis()),
            y=alt.Y("targets:Q", title=count_title, stack="zero"),
            color=alt.Color(
                "status_label:N", scale=status_scale(labels), title=None, legend=alt.Legend(orient="bottom")
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("period:N", title=_t("col.period", lang)),
                alt.Tooltip("status_label:N", title=_t("col.status", lang)),
                alt.Tooltip("targets:Q", title=count_title),
            ],
        )
        .properties(height=260)
    )
    table = data.pivot(index="period", columns="status_label", values="targets").reindex(order)
    table = table[[labels[s] for s in Status]]
    table.index.name = _t("col.period", lang)
    table.columns.name = None
    return ChartView(_styled(chart), table.reset_index())


def achievement_by_quarter(frame: pd.DataFrame, lang: str) -> ChartView:
    """The median achievement (%) of all targets, quarter by quarter (ExecutiveSummary.achievement)."""
    data = frame.assign(period=_period_labels(frame, lang))
    title = _t("executive.median_achievement", lang)
    base = alt.Chart(data).encode(
        x=alt.X("period:N", sort=list(data["period"]), axis=_two_line_period_axis()),
        y=alt.Y("achievement:Q", title=title),
        tooltip=[
            alt.Tooltip("period:N", title=_t("col.period", lang)),
            alt.Tooltip("achievement:Q", title=title, format=",.1f"),
        ],
    )
    chart = alt.layer(base.mark_line(color="#0072B2"), base.mark_point(filled=True, size=60, color="#0072B2"))
    table = pd.DataFrame({_t("col.period", lang): data["period"], title: data["achievement"]})
    return ChartView(_styled(chart.properties(height=260)), table)


def pdca_completion(frame: pd.DataFrame, lang: str, row_title: str) -> ChartView:
    """Share of PDCA cycles closed in the fiscal year so far, per hub or region (ExecutiveSummary.pdca)."""
    title = _t("executive.pdca_completion_axis", lang)
    data = frame[["row", "cycles", "closed", "completion"]]
    base = alt.Chart(data).encode(
        y=alt.Y("row:N", title=None, sort=list(data["row"]), axis=alt.Axis(labelLimit=0)),
        x=alt.X("completion:Q", title=title, scale=alt.Scale(domain=[0, 100])),
        tooltip=[
            alt.Tooltip("row:N", title=row_title),
            alt.Tooltip("closed:Q", title=_t("executive.closed_cycles", lang)),
            alt.Tooltip("cycles:Q", title=_t("executive.cycles", lang)),
            alt.Tooltip("completion:Q", title=title, format=".1f"),
        ],
    )
    chart = alt.layer(base.mark_bar(color="#009E73"), base.mark_text(align="left", dx=4).encode(text="completion:Q"))
    table = pd.DataFrame(
        {
            row_title: data["row"],
            _t("executive.closed_cycles", lang): data["closed"],
            _t("executive.cycles", lang): data["cycles"],
            title: data["completion"],
            _t("executive.detail", lang): [f"pdca?region={int(r)}" for r in frame["row_region_id"]],
        }
    )
    return ChartView(_styled(chart.properties(height=alt.Step(22))), table)


def payload_bytes(chart: AnyChart) -> int:
    """The size of a chart's spec with its inlined data, as JSON: about what the browser receives."""
    return len(json.dumps(chart.to_dict(), ensure_ascii=False, default=str).encode("utf-8"))


def completion_rate(frame: pd.DataFrame, titles: dict[str, str]) -> AnyChart:
    """A line of the PDCA completion rate (%) by quarter.

    `frame` columns: period (display label, in order), rate (0..100). `titles` keys: period, rate.
    """
    order = list(frame["period"])
    chart = (
        alt.Chart(frame)
        .mark_line(point=True, color="#0072B2")
        .encode(
            x=alt.X("period:N", sort=order, title=titles["period"], axis=alt.Axis(labelAngle=-45, labelLimit=200)),
            y=alt.Y("rate:Q", title=titles["rate"], scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("period:N", title=titles["period"]),
                alt.Tooltip("rate:Q", title=titles["rate"], format=".0f"),
            ],
        )
        .properties(height=280)
    )
    return _styled(chart)
