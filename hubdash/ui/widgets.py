"""Widgets shared by several pages: the page title, status metrics, a chart with its table, enum pickers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from hubdash.charts import ChartView
from hubdash.domain.enums import Status
from hubdash.ui import fmt
from hubdash.ui.session import label, t

E = TypeVar("E", bound=StrEnum)
# Served by the app itself: a Material icon as page icon would make every browser fetch it from Google.
FAVICON = str(Path(__file__).parent / "assets" / "favicon.png")


def page_title(key: str) -> None:
    """The page's h1, from the catalogue."""
    st.title(t(key))


def status_metrics(counts: dict[Status, int]) -> None:
    """Four metrics, one per status."""
    for column, status in zip(st.columns(len(Status)), Status, strict=True):
        column.metric(fmt.status(status), counts.get(status, 0))


def chart_view(view: ChartView, column_config: dict[str, Any] | None = None) -> None:
    """A chart with a tab holding the table of the same numbers."""
    chart_tab, table_tab = st.tabs([t("common.chart"), t("common.table")])
    chart_tab.altair_chart(view.chart, width="stretch")
    table_tab.dataframe(view.table, hide_index=True, width="stretch", column_config=column_config, placeholder="–")


def enum_select(container: Any, key: str, enum: type[E], current: E | None) -> E:
    """A selectbox over an enum's members with translated labels, starting at `current`."""
    options = list(enum)
    chosen: E = container.selectbox(
        t(key),
        options,
        options.index(enum(current)) if current else 0,
        format_func=label,
        placeholder=t("common.choose"),
    )
    return chosen
