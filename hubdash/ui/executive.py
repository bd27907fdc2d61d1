"""The executive summary's charts and the report downloads."""

from __future__ import annotations

from functools import partial

import streamlit as st

from hubdash import charts, i18n
from hubdash.charts import ChartView
from hubdash.exports.executive import MIME_TYPES, REPORT_FORMATS, report_file
from hubdash.exports.names import file_name
from hubdash.services.executive import ExecutiveSummary, executive_report
from hubdash.ui import runtime
from hubdash.ui.session import actor, display, t

DOWNLOAD_LABELS = {"pptx": "executive.download_pptx", "xlsx": "executive.download_xlsx"}


def executive_views(summary: ExecutiveSummary, lang: str) -> dict[str, ChartView]:
    """Every chart of the executive summary page, built from the summary alone (no Streamlit call)."""
    row_title = i18n.t("col.hub" if summary.region_id is not None else "app.region", lang)
    return {
        "counts": charts.status_counts(summary.counts, lang),
        "lights": charts.traffic_lights(summary.lights, lang, row_title),
        "trend": charts.status_trend(summary.trend, lang),
        "achievement": charts.achievement_by_quarter(summary.achievement, lang),
        "pdca": charts.pdca_completion(summary.pdca, lang, row_title),
    }


def report_downloads(summary: ExecutiveSummary, region_id: int | None, fiscal_year: int | None) -> None:
    """A download button per report format; the file is made when clicked (all regions take a few seconds)."""
    reader, who = display(), actor()

    def made(fmt: str) -> bytes:
        summary = runtime.read_fresh(executive_report, actor=who, region_id=region_id, fiscal_year=fiscal_year)
        return report_file(summary, fmt, reader)

    scope = summary.regions[0].name if region_id is not None and summary.regions else t("files.all_regions")
    period = reader.period(summary.as_of)
    for column, fmt in zip(st.columns(len(REPORT_FORMATS)), REPORT_FORMATS, strict=True):
        column.download_button(
            t(DOWNLOAD_LABELS[fmt]),
            data=partial(made, fmt),
            file_name=file_name(scope, t("files.executive_report"), period, ext=fmt),
            mime=MIME_TYPES[fmt],
            icon=":material/download:",
            on_click="ignore",
        )
