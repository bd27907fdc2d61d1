"""Pure Altair chart builders: a DataFrame in, an alt.Chart out; status colours come from hubdash.status."""

from __future__ import annotations

import altair as alt
import pandas as pd

from hubdash.enums import Status
from hubdash.status import STATUS_COLORS

# Japanese glyphs need a CJK font; browsers pick the first one installed.
FONT = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif'


def _styled(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFont=FONT, titleFont=FONT)
    )


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


def status_by_hub(frame: pd.DataFrame, labels: dict[Status, str], titles: dict[str, str]) -> alt.Chart:
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


def status_bar(frame: pd.DataFrame, axis_title: str) -> alt.Chart:
    """Horizontal bars of how many targets are in each status.

    `frame` has one row per status with columns status, label, count (as ui.status_frame gives).
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


def target_path(frame: pd.DataFrame, labels: dict[Status, str], titles: dict[str, str]) -> alt.LayerChart:
    """Actual values against the straight expected path, points coloured by status.

    `frame` columns: period (display label, in order), actual (may be empty), expected, status_label.
    `titles` keys: period, value, expected, actual.
    """
    order = list(frame["period"])
    axis = alt.Axis(labelAngle=-45, labelLimit=200)
    base = alt.Chart(frame).encode(x=alt.X("period:N", sort=order, title=titles["period"], axis=axis))
    expected = base.mark_line(strokeDash=[6, 4], color="#555555").encode(
        y=alt.Y("expected:Q", title=titles["value"]),
        tooltip=[
            alt.Tooltip("period:N", title=titles["period"]),
            alt.Tooltip("expected:Q", title=titles["expected"], format=",.1f"),
        ],
    )
    actual_rows = base.transform_filter("isValid(datum.actual)")
    actual_line = actual_rows.mark_line(color="#333333").encode(y="actual:Q")
    points = actual_rows.mark_point(filled=True, size=90).encode(
        y="actual:Q",
        color=alt.Color("status_label:N", scale=status_scale(labels), title=None),
        shape=alt.Shape("status_label:N", scale=status_shape_scale(labels), title=None),
        tooltip=[
            alt.Tooltip("period:N", title=titles["period"]),
            alt.Tooltip("actual:Q", title=titles["actual"], format=",.1f"),
            alt.Tooltip("expected:Q", title=titles["expected"], format=",.1f"),
            alt.Tooltip("status_label:N", title=""),
        ],
    )
    return _styled(alt.layer(expected, actual_line, points).properties(height=320))


def completion_rate(frame: pd.DataFrame, titles: dict[str, str]) -> alt.Chart:
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
