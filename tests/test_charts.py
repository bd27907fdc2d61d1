"""Chart builders: the rows they draw, their encodings, the engine's status colours, labels in ja and en."""

from __future__ import annotations

import pandas as pd
import pytest

from hubdash import charts
from hubdash.domain.enums import Status
from hubdash.domain.status import STATUS_COLORS


def _layers(spec: dict) -> list[dict]:
    return spec["spec"]["layer"] if "spec" in spec else spec["layer"]


def _data(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


PATHS = pd.DataFrame(
    [
        {"panel": "", "layer": "path", "x": 2024.0, "fiscal_year": 2024, "quarter": 1, "expected": 1.0, "actual": 2.0,
         "status": "on_track"},
        {"panel": "", "layer": "path", "x": 2024.25, "fiscal_year": 2024, "quarter": 2, "expected": 2.0, "actual": None,
         "status": "no_data"},
        {"panel": "", "layer": "projection", "x": 2024.0, "value": 2.0},
        {"panel": "", "layer": "projection", "x": 2025.0, "value": 9.0},
        {"panel": "", "layer": "baseline", "x": 2023.75, "value": 0.0},
        {"panel": "", "layer": "target", "x": 2027.75, "value": 20.0},
        {"panel": "", "layer": "event", "x": 2024.25, "fiscal_year": 2024, "quarter": 2, "reason": "見直し"},
    ],
    columns=["panel", "layer", "x", "fiscal_year", "quarter", "expected", "actual", "value", "status", "reason"],
)  # fmt: skip


@pytest.mark.parametrize(("lang", "axis", "whole"), [("ja", "'年度'", "地域全体"), ("en", "'FY' +", "Whole region")])
def test_indicator_paths_are_small_multiples_with_readable_fiscal_year_axis(lang: str, axis: str, whole: str) -> None:
    view = charts.indicator_paths(PATHS, lang, "件")
    spec = view.chart.to_dict()
    assert spec["facet"]["field"] == "panel" and spec["resolve"]["scale"]["y"] == "independent"
    layers = _layers(spec)
    assert axis in layers[0]["encoding"]["x"]["axis"]["labelExpr"]
    rows = _data(spec)
    assert {r["panel"] for r in rows} == {whole}
    assert [r["period"] for r in rows if r["layer"] == "path"] == (
        ["2024年度 第1四半期", "2024年度 第2四半期"] if lang == "ja" else ["FY2024 Q1", "FY2024 Q2"]
    )
    projection = next(layer for layer in layers if layer["mark"].get("strokeDash"))
    assert projection["transform"][0]["filter"] == "(datum.layer === 'projection')"
    points = next(layer for layer in layers if layer["mark"]["type"] == "point" and "color" in layer["encoding"])
    assert points["encoding"]["color"]["scale"]["range"] == [STATUS_COLORS[s] for s in Status]
    assert any(layer["mark"]["type"] == "rule" for layer in layers), "re-baselinings are marked"
    compared = view.table.iloc[:, 2].tolist()
    assert compared[0] == 2.0 and pd.isna(compared[1])


def test_heatmap_draws_one_cell_per_hub_and_indicator_with_the_status_symbol() -> None:
    frame = pd.DataFrame(
        {
            "hub": ["H1 a", "H1 a", "H2 b"],
            "indicator": ["K01", "K02", "K01"],
            "indicator_name": ["x", "y", "x"],
            "unit": ["件"] * 3,
            "achievement": [120.0, 40.0, None],
            "actual": [12.0, 4.0, None],
            "expected": [10.0, 5.0, 10.0],
            "status": ["on_track", "off_track", "no_data"],
        }
    )
    view = charts.achievement_heatmap(frame, "en")
    spec = view.chart.to_dict()
    assert [r["symbol"] for r in _data(spec)] == ["●", "✖", "–"]
    cells = _layers(spec)[0]["encoding"]["color"]
    assert cells["field"] == "achievement" and cells["scale"]["clamp"] is True
    assert list(view.table["Status"]) == ["● On track", "✖ Off track", "– No data"]


def test_traffic_lights_colour_cells_by_the_engine_and_link_each_row() -> None:
    frame = pd.DataFrame(
        {
            "row": ["北海道", "北海道", "青森県"],
            "row_region_id": [1, 1, 2],
            "row_hub_id": [None, None, None],
            "goal": ["G1", "G2", "G1"],
            "status": ["off_track", "at_risk", "on_track"],
            "on_track": [20, 50, None],
            "known": [5, 4, 0],
        }
    )
    view = charts.traffic_lights(frame, "ja", "地域")
    scale = _layers(view.chart.to_dict())[0]["encoding"]["color"]["scale"]
    assert scale["range"] == [STATUS_COLORS[s] for s in Status]
    assert scale["domain"] == ["● 順調", "▲ 要注意", "✖ 遅れ", "– 未入力"]
    table = view.table.fillna("")
    assert table.to_dict("records") == [
        {"地域": "北海道", "G1": "✖ 遅れ (20 %)", "G2": "▲ 要注意 (50 %)", "詳細": "executive?region=1"},
        {"地域": "青森県", "G1": "● 順調", "G2": "", "詳細": "executive?region=2"},
    ]


def test_status_trend_labels_quarters_as_users_write_them_on_two_lines() -> None:
    frame = pd.DataFrame(
        [
            {"fiscal_year": 2024, "quarter": 4, "status": s.value, "targets": n}
            for s, n in zip(Status, (3, 2, 1, 0), strict=True)
        ]
    )
    view = charts.status_trend(frame, "ja")
    spec = view.chart.to_dict()
    assert spec["encoding"]["x"]["axis"]["labelExpr"] == "split(datum.label, ' ')"
    assert {r["period"] for r in _data(spec)} == {"2024年度 第4四半期"}
    assert view.table.to_dict("records") == [
        {"期間": "2024年度 第4四半期", "● 順調": 3, "▲ 要注意": 2, "✖ 遅れ": 1, "– 未入力": 0}
    ]


def test_pdca_timeline_bars_span_the_cycle_and_use_the_font_stack() -> None:
    frame = pd.DataFrame(
        [{"hub": "H1 a", "fiscal_year": 2024, "quarter": 2, "start": 2024.25, "end": 2024.5, "stage": "check"}]
    )
    spec = charts.pdca_timeline(frame, "ja").chart.to_dict()
    bars = _layers(spec)[0]["encoding"]
    assert bars["x"]["field"] == "start" and bars["x2"]["field"] == "end"
    assert _data(spec)[0]["stage_label"] == "評価"
    assert "Noto Sans CJK JP" in spec["config"]["font"]


YEAR = pd.DataFrame(
    [
        {"panel": "H1 素材拠点", "x": x, "quarter": x, "expected": e, "actual": a, "status": s, "year_total": 10.0,
         "profile": "10/25/45/100"}
        for x, e, a, s in ((0, 0.0, 0.0, "no_data"), (1, 1.0, 1.5, "on_track"), (2, 2.5, 2.0, "at_risk"),
                           (3, 4.5, None, "no_data"), (4, 10.0, None, "no_data"))
    ]
)  # fmt: skip


@pytest.mark.parametrize(("lang", "q1", "start"), [("ja", "第1四半期", "期首"), ("en", "Q1", "Start")])
def test_the_fiscal_year_chart_reads_the_year_to_date_against_the_path(lang: str, q1: str, start: str) -> None:
    view = charts.fiscal_year_path(YEAR, lang, "件")
    spec = view.chart.to_dict()
    total, expected, actual, points = _layers(spec)
    assert expected["mark"]["color"] == "#777777" and expected["encoding"]["y"]["field"] == "expected"
    assert actual["encoding"]["y"]["field"] == "actual" and total["mark"]["type"] == "rule"
    assert points["encoding"]["color"]["scale"]["range"] == [STATUS_COLORS[s] for s in Status]
    label_expr = expected["encoding"]["x"]["axis"]["labelExpr"]
    assert f"'{q1}'" in label_expr and f"'{start}'" in label_expr
    rows = _data(spec)
    assert len(rows) == 5 and rows[1]["actual"] == 1.5
    assert view.table.shape == (4, 6)  # one row per quarter, the start of the year left out


def test_the_region_ranking_colours_each_region_by_its_roll_up_and_links_it() -> None:
    frame = pd.DataFrame(
        [
            {"region": "青森県", "region_id": 2, "status": "on_track", "on_track": 80, "change": 5, "known": 10},
            {"region": "北海道", "region_id": 1, "status": "off_track", "on_track": 20, "change": None, "known": 10},
        ]
    )
    view = charts.region_ranking(frame, "en")
    spec = view.chart.to_dict()
    assert spec["encoding"]["y"]["sort"] == ["青森県", "北海道"]
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert list(view.table["Rank"]) == [1, 2]
    assert list(view.table["Detail"]) == ["executive?region=2", "executive?region=1"]
