"""Charts built once per version of the data: their Vega-Lite specifications are cached beside the reads.

Building an Altair chart and turning it into Vega-Lite (with Altair's schema validation) is most of a page
run; the same chart for the same data, language and choices is built once and then sent as stored. The
cache is keyed on the change stamp (services.audit_log.change_stamp), like every cached read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from hubdash.charts import AnyChart, ChartView
from hubdash.ui import runtime

SPECS_KEPT = 500  # sets of charts (a page's choices x languages x data versions)


@dataclass(frozen=True)
class ChartSpec:
    """A chart as Streamlit sends it (Vega-Lite, its data as Arrow) and the table of the same numbers."""

    spec: dict[str, Any]
    table: pd.DataFrame


def specification(chart: AnyChart) -> dict[str, Any]:
    """The Vega-Lite specification of an Altair chart exactly as st.altair_chart would send it."""
    # Streamlit's own conversion: its theme and Arrow datasets, under its lock on Altair's global settings.
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    spec: dict[str, Any] = dict(_convert_altair_to_vega_lite_spec(chart))
    return spec


@st.cache_data(show_spinner=False, ttl=runtime.READ_TTL_SECONDS, max_entries=SPECS_KEPT)
def _specs(key: tuple[object, ...], stamp: int, _build: Callable[[], Mapping[str, ChartView]]) -> dict[str, ChartSpec]:
    return {name: ChartSpec(specification(view.chart), view.table) for name, view in _build().items()}


def cached_views(key: tuple[object, ...], build: Callable[[], Mapping[str, ChartView]]) -> dict[str, ChartSpec]:
    """The charts `build` makes, built once per data version for `key`: everything else they depend on
    (page, choices, language), as scalars."""
    return _specs(key, runtime.data_version(), build)


def cached_view(key: tuple[object, ...], build: Callable[[], ChartView]) -> ChartSpec:
    """One chart, as cached_views."""
    return cached_views(key, lambda: {"chart": build()})["chart"]
