"""Widgets shared by several pages: the page title, status metrics, a chart with its table, enum pickers."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from hubdash.charts import ChartView
from hubdash.domain.enums import Status
from hubdash.ui import fmt
from hubdash.ui.chart_cache import ChartSpec, cached_view
from hubdash.ui.session import label, language, t
from hubdash.ui.text import css_string

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


def chart_view(view: ChartView | ChartSpec, column_config: dict[str, Any] | None = None, *, key: str = "") -> None:
    """A chart with a tab holding the table of the same numbers.

    With a `key` the tabs are built lazily: only the open one runs and is sent (switching reruns the page).
    """
    chart_tab, table_tab = st.tabs(
        [t("common.chart"), t("common.table")], key=key or None, on_change="rerun" if key else "ignore"
    )
    if chart_tab.open is not False:
        if isinstance(view, ChartSpec):
            chart_tab.vega_lite_chart(view.spec, width="stretch")
        else:
            chart_tab.altair_chart(view.chart, width="stretch")
    if table_tab.open is not False:
        table_tab.dataframe(view.table, hide_index=True, width="stretch", column_config=column_config, placeholder="–")


def cached_chart(
    name: str, choices: tuple[object, ...], build: Callable[[], ChartView], column_config: dict[str, Any] | None = None
) -> None:
    """chart_view of a chart built once per data version for these choices (all `build` depends on) and language."""
    chart_view(cached_view((name, language(), *choices), build), column_config, key=f"chart-{name}")


def file_uploader(label_key: str, *, types: list[str], max_mb: int, key: str) -> Any:
    """st.file_uploader (labelled with catalogue text) whose own words read in the user's language: Streamlit
    draws its button ("Upload") and its size line ("200MB per file") in English only, so a style puts catalogue
    text in their place."""
    box = "hd-upload"
    button = f'.st-key-{box} [data-testid="stFileUploaderDropzone"] button p'
    limit = f'.st-key-{box} [data-testid="stFileUploaderDropzoneInstructions"] span'
    kinds = ", ".join(x.upper() for x in types)
    st.html(
        f"""<style>
{button}, {limit} {{ font-size: 0; }}
{button}::after, {limit}::after {{ font-size: 0.875rem; }}
{button}::after {{ content: {css_string(t("common.upload_button"))}; }}
{limit}::after {{ content: {css_string(t("common.upload_limit", mb=max_mb, types=kinds))}; }}
</style>"""
    )
    with st.container(key=box):
        return st.file_uploader(t(label_key), type=types, max_upload_size=max_mb, key=key)


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
