"""Executive reports from the page: one region's files are made when clicked; the report of every region takes
seconds, so it is built first while the page shows how far it is, then downloaded."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor
from hubdash.exports.executive import MIME_TYPES, REPORT_FORMATS, region_file_name, report_file, zip_files
from hubdash.exports.names import file_name
from hubdash.fmt import Display
from hubdash.services.executive import ExecutiveSummary, executive_report
from hubdash.ui import fmt, runtime
from hubdash.ui.identity import actor
from hubdash.ui.session import display, t

DOWNLOAD_LABELS = {"pptx": "executive.download_pptx", "xlsx": "executive.download_xlsx"}
BUILT_KEY = "executive_report_built"
# every region: one PowerPoint, one Excel workbook, or one PowerPoint per region in a ZIP file
KINDS = {"pptx": "reports.kind_pptx", "xlsx": "reports.kind_xlsx", "zip": "reports.kind_zip"}
MIME_TYPES_ALL = {**MIME_TYPES, "zip": "application/zip"}

Progress = Callable[[float, str], None]


def _build(kind: str, at: FiscalQuarter | None, who: Actor, reader: Display, progress: Progress) -> bytes:
    summary = runtime.read_fresh(executive_report, actor=who, region_id=None, at=at)
    progress(0.25, reader.t("reports.step_summary", regions=len(summary.regions)))
    if kind != "zip":
        return report_file(summary, kind, reader, progress=lambda done: progress(0.25 + 0.75 * done, ""))
    files = []
    for n, region in enumerate(summary.regions, start=1):
        one = runtime.read_fresh(executive_report, actor=who, region_id=region.id, at=summary.as_of)
        files.append((region_file_name(region.code, "pptx"), report_file(one, "pptx", reader)))
        progress(0.25 + 0.75 * n / len(summary.regions), region.name)
    return zip_files(files)


def report_downloads(summary: ExecutiveSummary, region_id: int | None, at: FiscalQuarter | None) -> None:
    """One region: a download button per format. Every region: choose, build (with progress), then download.

    Files are named for what they are, as of the summary's quarter: 湊原地域_エグゼクティブ報告_2026年度第2四半期.pptx.
    """
    reader, who = display(), actor()
    scope = summary.regions[0].name if region_id is not None and summary.regions else t("files.all_regions")
    name = partial(file_name, scope, t("files.executive_report"), reader.period(summary.as_of))
    if region_id is not None:

        def made(kind: str) -> bytes:
            summary = runtime.read_fresh(executive_report, actor=who, region_id=region_id, at=at)
            return report_file(summary, kind, reader)

        for column, kind in zip(st.columns(len(REPORT_FORMATS)), REPORT_FORMATS, strict=True):
            column.download_button(
                t(DOWNLOAD_LABELS[kind]),
                data=partial(made, kind),
                file_name=name(ext=kind),
                mime=MIME_TYPES[kind],
                icon=":material/download:",
                on_click="ignore",
            )
        return
    kind = (
        st.segmented_control(t("reports.kind"), list(KINDS), format_func=lambda k: t(KINDS[k]), default="pptx")
        or "pptx"
    )
    wanted = (kind, at, reader.lang)
    built = st.session_state.get(BUILT_KEY)
    if st.button(t("reports.build"), icon=":material/build:"):
        with st.status(t("reports.building"), expanded=True) as status:
            bar = st.progress(0.0, text=t("reports.step_start"))

            def show(done: float, text: str) -> None:
                bar.progress(min(done, 1.0), text=text or None)

            data = _build(kind, at, who, reader, show)
            status.update(label=t("reports.built", size=fmt.number(len(data) / 1_000_000, 1)), state="complete")
        built = st.session_state[BUILT_KEY] = (wanted, data)
    if built and built[0] == wanted:
        st.download_button(
            t("reports.download", kind=t(KINDS[kind])),
            data=built[1],
            file_name=name(ext=kind),
            mime=MIME_TYPES_ALL[kind],
            icon=":material/download:",
            on_click="ignore",
            type="primary",
        )
