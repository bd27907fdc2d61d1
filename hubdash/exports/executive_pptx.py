"""The executive report as PowerPoint: native, editable charts and Japanese text (python-pptx).

One title slide saying which quarter the report is as of (and whether every hub has submitted it); for every
region first the national picture (targets by status, regions ranked by share on track, the biggest changes
since the quarter before, the goals most behind), then an appendix; per region a summary slide (status counts
as a bar chart, goals rolled up by the stated rule as a table); per off-track goal a slide with its indicators
that are behind their path. Every number comes from services.executive.ExecutiveSummary, the object the
executive summary page draws.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.text.text import Font
from pptx.util import Inches, Pt

from hubdash.domain.enums import Status
from hubdash.domain.status import STATUS_COLORS, STATUS_ORDER
from hubdash.exports.chart_workbook import ChartData
from hubdash.exports.report_text import as_of_text, coverage_text
from hubdash.fmt import Display, number
from hubdash.services.executive import ExecutiveSummary, GoalStatus, NationalSummary, RegionSummary, TargetRow

# Latin text in a plain face; Japanese in a face every Japanese Windows and macOS has.
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Meiryo"
GOAL_SLIDE_ROWS = 12
MOVERS = 5
TITLE_LAYOUT, SECTION_LAYOUT, TITLE_ONLY_LAYOUT = 0, 2, 5


def _fonts(font: Font, size: int | None = None) -> None:
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    latin = font._rPr.get_or_add_latin()  # noqa: SLF001 - python-pptx has no API for the East Asian face
    if latin.getnext() is None or latin.getnext().tag != latin.tag.replace("latin", "ea"):
        ea = OxmlElement("a:ea")
        ea.set("typeface", EAST_ASIAN_FONT)
        latin.addnext(ea)


def _title(slide: Slide, text: str, size: int = 28) -> None:
    title = slide.shapes.title
    assert title is not None
    title.text = text
    for paragraph in title.text_frame.paragraphs:
        for run in paragraph.runs:
            _fonts(run.font, size)


def _text(slide: Slide, text: str, left: float, top: float, width: float, height: float, size: int = 14) -> None:
    frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
    frame.word_wrap = True
    for n, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        _fonts(run.font, size)


def _table(
    slide: Slide, header: list[str], rows: list[list[str]], left: float, top: float, width: float, size: int = 11
) -> None:
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(left), Inches(top), Inches(width), Inches(0.3 * (len(rows) + 1))
    )
    table = shape.table
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r in range(len(rows) + 1):
        for c in range(len(header)):
            for paragraph in table.cell(r, c).text_frame.paragraphs:
                for run in paragraph.runs:
                    _fonts(run.font, size)


def _bar_chart(
    slide: Slide,
    categories: list[str],
    series_name: str,
    values: list[float | None],
    colors: list[str],
    box: tuple[float, float, float, float],
    number_format: str = "#,##0",
    font_size: int = 12,
) -> None:
    data = ChartData(number_format=number_format)  # its embedded workbook keeps every category as text
    data.categories = categories
    data.add_series(series_name, values)  # type: ignore[no-untyped-call]  # python-pptx is untyped here
    left, top, width, height = box
    frame: Any = slide.shapes.add_chart(  # python-pptx types it as a Chart; it is the GraphicFrame holding one
        XL_CHART_TYPE.BAR_CLUSTERED,
        Inches(left),
        Inches(top),
        Inches(width),
        Inches(height),
        data,  # type: ignore[arg-type]  # CategoryChartData is a ChartData; the stub names only the base
    )
    chart = frame.chart
    chart.has_legend = False
    chart.font.size = Pt(font_size)
    chart.font.name = LATIN_FONT
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = number_format
    plot.data_labels.number_format_is_linked = False
    category_axis = chart.category_axis
    category_axis.reverse_order = True  # first category on top, as on the page
    for point, color in zip(plot.series[0].points, colors, strict=True):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = RGBColor.from_string(color.lstrip("#"))  # type: ignore[no-untyped-call]  # untyped in python-pptx


def _share(d: Display, summary: RegionSummary | ExecutiveSummary) -> str:
    counts = summary.rollup.counts
    return d.t(
        "report.on_track_share",
        on_track=counts[Status.ON_TRACK],
        total=sum(counts.values()),
        share=d.share(summary.rollup.on_track_share),
    )


def _region_slide(prs: PresentationType, region: RegionSummary, d: Display) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, d.t("report.region_slide", region=region.name, period=d.period(region.as_of)))
    _text(slide, _share(d, region), 0.5, 1.4, 6.0, 0.5, 16)
    _bar_chart(
        slide,
        [d.status(s) for s in STATUS_ORDER],
        d.t("home.targets"),
        [region.counts[s] for s in STATUS_ORDER],
        [STATUS_COLORS[s] for s in STATUS_ORDER],
        (0.5, 2.0, 6.0, 4.5),
    )
    rows = [[g.code, g.title, d.status(g.status), _goal_share(d, g)] for g in region.goals]
    header = [d.t("col.code"), d.t("col.goal"), d.t("col.status"), d.t("rollup.on_track_share")]
    _table(slide, header, rows, 6.9, 2.0, 6.0)
    _text(slide, d.rollup_rule(), 6.9, 6.6, 6.0, 0.6, 10)


def _goal_share(d: Display, goal: GoalStatus) -> str:
    known = goal.rollup.known
    return d.t("rollup.counts", on_track=goal.rollup.counts[Status.ON_TRACK], known=known) if known else "–"


def _title_slide(prs: PresentationType, summary: ExecutiveSummary, d: Display) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    scope = summary.regions[0].name if summary.region_id is not None and summary.regions else None
    _title(slide, d.t("report.title"), 36)
    subtitle = slide.placeholders[1]
    lines = [d.t("report.subtitle", scope=scope or d.t("executive.all_regions"), period=d.period(summary.as_of))]
    lines.append(as_of_text(summary, d))
    lines.extend(coverage_text(d, c) for c in summary.newer)
    subtitle.text = "\n".join(lines)
    for n, paragraph in enumerate(subtitle.text_frame.paragraphs):
        for run in paragraph.runs:
            _fonts(run.font, 20 if n == 0 else 14)


def _national_slides(prs: PresentationType, summary: ExecutiveSummary, national: NationalSummary, d: Display) -> None:
    period = d.period(summary.as_of)
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, d.t("report.national_slide", period=period))
    _text(slide, _share(d, summary), 0.5, 1.4, 6.0, 0.5, 16)
    _bar_chart(
        slide,
        [d.status(s) for s in STATUS_ORDER],
        d.t("home.targets"),
        [summary.counts[s] for s in STATUS_ORDER],
        [STATUS_COLORS[s] for s in STATUS_ORDER],
        (0.5, 2.0, 6.0, 4.5),
    )
    regions = "\n".join(f"{d.status(s)}: {national.regions_by_status[s]}" for s in STATUS_ORDER)
    _text(slide, f"{d.t('national.regions_by_status')}\n{regions}", 6.9, 2.0, 6.0, 2.2, 16)
    _text(slide, d.rollup_rule(), 6.9, 4.6, 6.0, 1.4, 12)

    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, d.t("report.ranking_slide", period=period), 24)
    ranked = [r for r in national.by_share if r.rollup.known]
    _bar_chart(
        slide,
        [r.name for r in ranked],
        d.t("rollup.on_track_share"),
        [round((r.rollup.on_track_share or 0.0) * 100, 1) for r in ranked],
        [STATUS_COLORS[r.rollup.status] for r in ranked],
        (0.5, 1.2, 12.3, 6.1),
        "0",
        font_size=8 if len(ranked) > 20 else 12,
    )

    changed = [r for r in national.by_change if r.change is not None]
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, d.t("report.movers_slide", period=period), 24)
    header = [d.t("app.region"), d.t("national.change"), d.t("rollup.on_track_share"), d.t("col.status")]
    for n, (key, group) in enumerate(
        (("national.risers", changed[:MOVERS]), ("national.fallers", changed[::-1][:MOVERS]))
    ):
        rows = [
            [r.name, f"{r.change:+.0f}", d.share(r.rollup.on_track_share), d.status(r.rollup.status)] for r in group
        ]
        _text(slide, d.t(key), 0.5 + 6.4 * n, 1.3, 6.0, 0.4, 14)
        if rows:
            _table(slide, header, rows, 0.5 + 6.4 * n, 1.8, 6.0)

    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, d.t("report.goals_behind_slide", period=period), 24)
    header = [d.t("app.region"), d.t("col.goal"), d.t("col.status"), d.t("rollup.on_track_share")]
    rows = [
        [g.region, f"{g.goal.code} {g.goal.title}", d.status(g.goal.status), _goal_share(d, g.goal)]
        for g in national.goals_behind
    ]
    _table(slide, header, rows, 0.5, 1.3, 12.3, 10)

    slide = prs.slides.add_slide(prs.slide_layouts[SECTION_LAYOUT])
    _title(slide, d.t("report.appendix"), 32)


def _behind_first(goal: GoalStatus) -> list[TargetRow]:
    behind = [t for t in goal.targets if t.status in (Status.OFF_TRACK, Status.AT_RISK)]
    return sorted(behind, key=lambda t: -(t.behind or 0.0))[:GOAL_SLIDE_ROWS]


def _goal_slide(prs: PresentationType, region: RegionSummary, goal: GoalStatus, d: Display) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, d.t("report.goal_slide", region=region.name, code=goal.code, goal=goal.title), 24)
    targets = _behind_first(goal)
    _text(slide, d.t("report.goal_caption", shown=len(targets), total=len(goal.targets)), 0.5, 1.3, 12, 0.4)
    _bar_chart(
        slide,
        [f"{t.hub} / {t.indicator}" for t in targets],
        f"{d.t('col.achievement')} (%)",
        [round(t.achievement, 1) if t.achievement is not None else None for t in targets],
        [STATUS_COLORS[t.status] for t in targets],
        (0.5, 1.8, 5.8, 5.4),
        "0.0",
    )
    header = [
        d.t("col.hub"),
        d.t("col.indicator"),
        d.t("col.compared"),
        d.t("col.expected"),
        d.t("col.status"),
    ]
    rows = [
        [t.hub or "", t.indicator, f"{number(t.actual)} {t.unit}", number(t.expected), d.status(t.status)]
        for t in targets
    ]
    _table(slide, header, rows, 6.5, 1.8, 6.5)


def executive_pptx(summary: ExecutiveSummary, d: Display, progress: Callable[[float], None] | None = None) -> bytes:
    """The executive report of a summary as a .pptx file; `progress` hears the share of regions done."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    _title_slide(prs, summary, d)
    if summary.national is not None:
        _national_slides(prs, summary, summary.national, d)
    for n, region in enumerate(summary.regions, start=1):
        _region_slide(prs, region, d)
        for goal in region.goals:
            if goal.status is Status.OFF_TRACK:
                _goal_slide(prs, region, goal, d)
        if progress:
            progress(n / len(summary.regions) * 0.9)
    out = io.BytesIO()
    prs.save(out)
    if progress:
        progress(1.0)
    return out.getvalue()
