"""Dashboard and executive aggregations, the PPTX / XLSX reports and the `report` command (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from click.testing import CliRunner
from pptx import Presentation
from sqlalchemy import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from hubdash import db, i18n
from hubdash.cli import main
from hubdash.domain.enums import Accumulation, IndicatorKind, Measure, PdcaStage, Role, Status
from hubdash.domain.errors import UserError
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import SYSTEM, Actor, PermissionDenied
from hubdash.exports.executive import report_file
from hubdash.exports.executive_pptx import executive_pptx
from hubdash.fmt import Display
from hubdash.models import Endorsement, VisionRevision
from hubdash.services import dashboard as dashboards
from hubdash.services import executive
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def export_report(
    *, session: Session, actor: Actor, fmt: str, lang: str, region_id: int | None = None, fiscal_year: int | None = None
) -> bytes:
    """The report file as the page and the CLI make it."""
    summary = executive.executive_report(session=session, actor=actor, region_id=region_id, fiscal_year=fiscal_year)
    return report_file(summary, fmt, Display(lang))


@pytest.fixture
def region(session: Session) -> dict:
    """Two hubs, two goals, an outcome level indicator and an activity flow indicator, FY2024 entered."""
    r = factories.region(session, "r1", name="湊原地域")
    h1 = factories.hub(session, r.id, "H1", name="素材拠点")
    h2 = factories.hub(session, r.id, "H2", name="バイオ拠点")
    g1 = factories.goal(session, r.id, "G1", title="新産業の創出")
    g2 = factories.goal(session, r.id, "G2", title="人材の定着", position=1)
    k01 = factories.indicator(session, r.id, "K01", name="共同研究件数", goal_id=g1.id)
    k02 = factories.indicator(
        session, r.id, "K02", name="訪問件数", goal_id=g2.id, kind=IndicatorKind.ACTIVITY, measure=Measure.FLOW
    )
    t_h1 = factories.target(session, k01, h1)  # 0 -> 100 from FY2023Q4 to FY2027Q4: expected 25 at FY2024Q4
    factories.target(session, k01, h2)
    factories.target(session, k01, None, target_value=200.0)
    factories.target(session, k02, h1, target_value=16.0, accumulation=Accumulation.CUMULATIVE)
    year = ("FY2024Q1", "FY2024Q2", "FY2024Q3", "FY2024Q4")
    factories.quarterly_values(session, h1, k01, dict(zip(year, (5, 10, 15, 25), strict=True)))  # on track
    factories.quarterly_values(session, h2, k01, dict(zip(year, (2, 4, 6, 8), strict=True)))  # off track
    factories.quarterly_values(session, h1, k02, dict(zip(year, (1, 1, 1, 0.8), strict=True)))  # 3.8 of 4: at risk
    factories.target_change(
        session,
        t_h1,
        "中間評価で目標を引き上げ",
        changed_at=datetime(2024, 8, 1, tzinfo=UTC),
        before={"target_value": 80.0},
        after={"target_value": 100.0},
    )
    for quarter, stage in ((1, PdcaStage.CLOSED), (2, PdcaStage.CLOSED), (3, PdcaStage.ACT)):
        factories.pdca_cycle(session, h1, 2024, quarter, stage=stage)
    factories.pdca_cycle(session, h2, 2024, 1, stage=PdcaStage.CLOSED)
    for hub in (h1, h2):
        factories.submitted(session, hub, *year)
    o1 = factories.organisation(session, r.id, "O1")
    factories.organisation(session, r.id, "O2")
    revision = VisionRevision(region_id=r.id, number=1, reason="策定")
    session.add(revision)
    session.flush()
    session.add(Endorsement(region_id=r.id, revision_id=revision.id, organisation_id=o1.id, person_name="佐藤"))
    session.commit()
    return {"region": r, "h1": h1, "h2": h2, "k01": k01, "k02": k02, "t_h1": t_h1}


def test_executive_summary_of_one_region(session: Session, region: dict) -> None:
    summary = executive.executive_summary(session=session, region_id=region["region"].id)
    assert summary.as_of == FiscalQuarter(2024, 4)
    assert summary.complete and summary.coverage is not None and summary.coverage.submitted == 2
    assert summary.national is None
    assert summary.counts == {Status.ON_TRACK: 1, Status.AT_RISK: 1, Status.OFF_TRACK: 1, Status.NO_DATA: 0}
    lights = {(row.row, row.goal): row.status for row in summary.lights.itertuples()}
    assert lights == {
        ("H1 素材拠点", "G1"): "on_track",
        ("H1 素材拠点", "G2"): "at_risk",
        ("H2 バイオ拠点", "G1"): "off_track",
    }
    # outcome indicators behind their path, furthest first: H2 is 17 of 100 behind, the region 17 of 200
    assert list(summary.risks["hub"].fillna("region")) == ["H2 バイオ拠点", "region"]
    assert list(summary.risks["behind"]) == [17.0, 8.5]
    # G1: one target on track, one off track: neither most, so at risk (not the worst of the two)
    [goal_1, goal_2] = summary.regions[0].goals
    assert (goal_1.code, goal_1.status, goal_2.status) == ("G1", Status.AT_RISK, Status.AT_RISK)
    assert goal_1.rollup.on_track_share == 0.5 and [t.hub for t in goal_1.deciding()] == []
    assert [t.status for t in goal_2.deciding()] == [Status.AT_RISK]
    last = summary.trend[(summary.trend.fiscal_year == 2024) & (summary.trend.quarter == 4)]
    assert dict(zip(last.status, last.targets, strict=True)) == {
        "on_track": 1,
        "at_risk": 1,
        "off_track": 1,
        "no_data": 0,
    }
    assert len(summary.trend) == executive.TREND_QUARTERS * len(Status)
    completion = {row.row: (row.closed, row.cycles, row.completion) for row in summary.pdca.itertuples()}
    assert completion == {"H1 素材拠点": (2, 3, 66.7), "H2 バイオ拠点": (1, 1, 100.0)}


def test_executive_summary_of_all_regions_has_a_row_per_region(session: Session, region: dict) -> None:
    other = factories.region(session, "r2", name="別地域")
    factories.goal(session, other.id, "G1")
    session.commit()
    summary = executive.executive_summary(session=session)
    assert [r.name for r in summary.regions] == ["湊原地域", "別地域"]
    assert set(summary.lights["row"]) == {"湊原地域", "別地域"}
    assert summary.lights.set_index("row").loc["別地域", "status"] == "no_data"
    assert summary.counts[Status.OFF_TRACK] == 1


def test_fiscal_year_moves_the_as_of_quarter(session: Session, region: dict) -> None:
    summary = executive.executive_summary(session=session, region_id=region["region"].id, fiscal_year=2023)
    assert summary.as_of == FiscalQuarter(2023, 4)
    # the level indicators have no value yet; the cumulative flow sits at its baseline, on its path
    assert summary.counts == {Status.ON_TRACK: 1, Status.AT_RISK: 0, Status.OFF_TRACK: 0, Status.NO_DATA: 2}


def test_dashboard_filters_and_parts(session: Session, region: dict) -> None:
    region_id = region["region"].id
    view = dashboards.dashboard(session=session, region_id=region_id)
    assert len(view.heatmap) == 3
    assert view.heatmap.set_index(["hub", "indicator"]).loc[("H2 バイオ拠点", "K01"), "achievement"] == 8.0
    assert len(dashboards.dashboard(session=session, region_id=region_id, goal_code="G1").heatmap) == 2
    assert list(dashboards.dashboard(session=session, region_id=region_id, kind="activity").heatmap["indicator"]) == [
        "K02"
    ]
    only_h2 = dashboards.dashboard(session=session, region_id=region_id, hub_id=region["h2"].id)
    assert list(only_h2.heatmap["hub"]) == ["H2 バイオ拠点"] and list(only_h2.pdca["hub"]) == ["H2 バイオ拠点"]
    assert list(view.pdca["stage"]) == ["closed", "closed", "act", "closed"]
    assert (view.endorsed_current, view.council_organisations) == (1, 2)
    options = dashboards.dashboard_options(session=session, region_id=region_id)
    assert [o.code for o in options.indicators] == ["K01", "K02"] and options.fiscal_years == [2024]


def test_indicator_paths_hold_the_engines_statuses_projection_and_rebaselining(session: Session, region: dict) -> None:
    paths = dashboards.indicator_paths(session=session, region_id=region["region"].id, indicator_id=region["k01"].id)
    frame = paths.frame
    assert set(frame["panel"]) == {"", "H1 素材拠点", "H2 バイオ拠点"}
    h1 = frame[frame.panel == "H1 素材拠点"]
    path = h1[h1.layer == "path"].set_index("x")
    assert path.loc[2024.75, "actual"] == 25 and path.loc[2024.75, "status"] == "on_track"
    assert path.loc[2023.75, "expected"] == 0  # the path starts at the baseline
    assert h1[h1.layer == "target"]["value"].tolist() == [100.0]
    projection = h1[h1.layer == "projection"]
    assert projection["x"].tolist()[0] == 2024.75 and projection["value"].tolist() == [25, 100.0]
    [event] = h1[h1.layer == "event"].itertuples()
    assert event.x == 2024.25 and "中間評価で目標を引き上げ" in event.reason and "80.0 → 100.0" in event.reason
    assert frame[(frame.panel == "H2 バイオ拠点")]["status"].dropna().iloc[-5:].tolist()[-1] == "no_data"
    table = paths.targets.set_index("panel")
    assert table.loc["H2 バイオ拠点", "status"] == "off_track" and table.loc["H1 素材拠点", "rebaselined"] == 1


def test_pptx_has_a_summary_slide_per_region_and_a_slide_per_off_track_goal(session: Session, region: dict) -> None:
    # a third target of G1, off track, makes most of G1 off track
    k03 = factories.indicator(session, region["region"].id, "K03", name="特許件数", goal_id=region["k01"].goal_id)
    factories.target(session, k03, region["h2"])
    factories.quarterly_values(session, region["h2"], k03, {"FY2024Q4": 1})
    session.commit()
    data = export_report(session=session, actor=SYSTEM, fmt="pptx", lang="ja", region_id=region["region"].id)
    slides = list(Presentation(io.BytesIO(data)).slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles == [
        "地域産学官連携拠点 進捗報告",
        "湊原地域：2024年度 第4四半期時点の進捗状況",
        "湊原地域：G1 新産業の創出（遅れ）",
    ]
    subtitle = slides[0].placeholders[1].text
    assert "2024年度 第4四半期時点（すべての拠点の提出がそろった最新の四半期）" in subtitle
    [summary_chart] = [shape.chart for shape in slides[1].shapes if shape.has_chart]
    assert list(summary_chart.plots[0].categories) == ["● 順調", "▲ 要注意", "✖ 遅れ", "– 未入力"]
    assert list(summary_chart.series[0].values) == [1, 1, 2, 0]
    texts = " ".join(shape.text_frame.text for shape in slides[1].shapes if shape.has_text_frame)
    assert "集計ルール" in texts  # the rule is written in the report
    [goal_chart] = [shape.chart for shape in slides[2].shapes if shape.has_chart]
    assert list(goal_chart.plots[0].categories) == ["H2 バイオ拠点 / K03 特許件数", "H2 バイオ拠点 / K01 共同研究件数"]


def test_the_all_regions_report_opens_with_the_national_summary(session: Session, region: dict) -> None:
    other = factories.region(session, "r2", name="別地域")
    hub = factories.hub(session, other.id, "H1", name="別拠点")
    goal = factories.goal(session, other.id, "G1", title="別の目標")
    k01 = factories.indicator(session, other.id, "K01", goal_id=goal.id)
    factories.target(session, k01, hub)
    year = {"FY2024Q3": 30, "FY2024Q4": 30}  # ahead of its path: on track, and so at the quarter before
    factories.quarterly_values(session, hub, k01, year)
    factories.submitted(session, hub, *year)
    session.commit()
    summary = executive.executive_summary(session=session)
    national = summary.national
    assert national is not None and summary.as_of == FiscalQuarter(2024, 4) and summary.complete
    assert [r.name for r in national.by_share] == ["別地域", "湊原地域"]  # 100 % on track, then 33 %
    assert national.regions_by_status[Status.ON_TRACK] == 1 and national.regions_by_status[Status.AT_RISK] == 1
    assert [(g.region, g.goal.code) for g in national.goals_behind][0] == ("湊原地域", "G1")
    assert national.by_change[0].change is not None
    slides = list(Presentation(io.BytesIO(report_file(summary, "pptx", Display("en")))).slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles[:6] == [
        "Regional innovation hubs progress report",
        "National summary as of FY2024 Q4",
        "Regions by share of hub targets on track (FY2024 Q4)",
        "Change since the quarter before (FY2024 Q4)",
        "Strategic goals most behind across regions (FY2024 Q4)",
        "Appendix: the regions",
    ]
    assert titles[6:] == ["湊原地域: progress as of FY2024 Q4", "別地域: progress as of FY2024 Q4"]  # by code
    [ranking] = [shape.chart for shape in slides[2].shapes if shape.has_chart]
    assert list(ranking.plots[0].categories) == ["別地域", "湊原地域"]
    assert list(ranking.series[0].values) == [100.0, 33.3]


def test_a_quarter_one_hub_has_entered_is_provisional_and_not_the_headline(session: Session, region: dict) -> None:
    factories.quarterly_values(session, region["h1"], region["k01"], {"FY2025Q1": 30})
    session.commit()
    summary = executive.executive_summary(session=session, region_id=region["region"].id)
    assert summary.as_of == FiscalQuarter(2024, 4) and summary.complete
    [newer] = summary.newer
    assert (newer.period, newer.reported, newer.hubs, newer.submitted) == (FiscalQuarter(2025, 1), 1, 2, 0)
    text = " ".join(
        s.placeholders[1].text
        for s in Presentation(io.BytesIO(report_file(summary, "pptx", Display("en")))).slides
        if s.slide_layout.name == "Title Slide"
    )
    assert "FY2025 Q1 (provisional): 1 of 2 hubs reported (0 submitted)" in text
    chosen = executive.executive_summary(session=session, region_id=region["region"].id, at=FiscalQuarter(2025, 1))
    assert chosen.as_of == FiscalQuarter(2025, 1) and not chosen.complete
    assert chosen.coverage is not None and (chosen.coverage.reported, chosen.coverage.submitted) == (1, 0)


def test_xlsx_holds_the_same_numbers(session: Session, region: dict) -> None:
    data = export_report(session=session, actor=SYSTEM, fmt="xlsx", lang="en", region_id=region["region"].id)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "About",
        "Regions",
        "Strategic goals",
        "Targets",
        "By quarter",
        "Top risks",
        "PDCA completion",
    ]
    about = dict(list(book["About"].values)[1:])
    assert about["As of"] == "FY2024 Q4"
    assert about["Completeness"] == "As of FY2024 Q4, the latest quarter every hub has submitted."
    assert "more than 50 %" in about["Roll-up rule"]
    rows = list(book["Regions"].values)
    assert rows[1][:5] == ("r1", "湊原地域", "FY2024 Q4", "▲ At risk", 33.3)
    assert rows[1][-4:] == (1, 1, 1, 0)
    risks = list(book["Top risks"].values)
    assert [r[7] for r in risks[1:]] == [17.0, 8.5]


def test_reports_need_the_export_permission_and_stay_in_the_readers_region(session: Session, region: dict) -> None:
    other = factories.region(session, "r2")
    viewer = factories.user(session, "viewer", Role.VIEWER, region_id=other.id)
    with pytest.raises(PermissionDenied):
        export_report(session=session, actor=viewer, fmt="pptx", lang="ja", region_id=region["region"].id)
    data = export_report(session=session, actor=viewer, fmt="pptx", lang="en", region_id=None)
    titles = [s.shapes.title.text for s in Presentation(io.BytesIO(data)).slides]
    assert not any("湊原地域" in title for title in titles)
    with pytest.raises(UserError, match="must end in one of: pptx, xlsx"):
        export_report(session=session, actor=SYSTEM, fmt="pdf", lang="ja")


def test_report_command_writes_pptx_and_xlsx(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Session(engine) as session:
        factories_region = factories.region(session, "r1", name="湊原地域")
        factories.goal(session, factories_region.id)
        session.commit()
    monkeypatch.setenv("HUBDASH_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(tmp_path / "r.pptx"), "--region", "r1", "--fy", "令和6年度"])
    assert result.exit_code == 0, result.output
    assert len(Presentation(str(tmp_path / "r.pptx")).slides) == 2
    result = runner.invoke(main, ["report", str(tmp_path / "r.xlsx"), "--lang", "en"])
    assert result.exit_code == 0 and openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[:2] == ["About", "Regions"]
    result = runner.invoke(main, ["report", str(tmp_path / "r.zip"), "--quarter", "FY2024Q4"])
    assert result.exit_code == 0 and "as of FY2024Q4" in result.output, result.output
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        assert archive.namelist() == ["hubdash-r1.pptx"]
        assert len(Presentation(io.BytesIO(archive.read("hubdash-r1.pptx"))).slides) == 2
    bad = runner.invoke(main, ["report", str(tmp_path / "r.pptx"), "--region", "nowhere"])
    assert bad.exit_code == 1 and 'no region with code "nowhere"' in bad.output
    assert runner.invoke(main, ["report", str(tmp_path / "r.pdf")]).exit_code == 1


# --- the pages, on the Japanese and English sample regions ------------------------------------------


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("HUBDASH_DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


def _page(name: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / name), default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_executive_page_shows_the_numbers_of_the_report(app_db: str, lang: str) -> None:
    at = _page("executive.py", lang)
    assert not at.exception, at.exception
    metrics = {m.label: int(m.value) for m in at.metric}
    engine = db.make_engine(app_db)
    with Session(engine) as session:
        summary = executive.executive_summary(session=session, region_id=1)
    slides = list(Presentation(io.BytesIO(executive_pptx(summary, Display(lang)))).slides)
    [chart] = [shape.chart for shape in slides[1].shapes if shape.has_chart]
    assert dict(zip(chart.plots[0].categories, chart.series[0].values, strict=True)) == metrics
    assert sum(metrics.values()) > 0
    at.segmented_control[0].set_value("all").run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_dashboard_page_filters_by_hub_and_kind(app_db: str, lang: str) -> None:
    at = _page("dashboard.py", lang)
    assert not at.exception, at.exception
    assert at.caption[0].value == i18n.t("dashboard.as_of", lang, period=FiscalQuarter(2026, 2).label(lang))
    at.selectbox[0].select_index(1).run()
    at.selectbox[2].set_value(IndicatorKind.OUTCOME).run()
    assert not at.exception, at.exception
    assert all(i18n.label(IndicatorKind.OUTCOME, lang) in option for option in at.selectbox[4].options)
