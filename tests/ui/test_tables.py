"""Tables read whole: a row wraps when a name is longer than its column, and never between a code and its name."""

from __future__ import annotations

import pandas as pd

from hubdash.ui.tables import ROW_PX, TWO_LINES_PX, WRAP_PX, _codes_kept_with_names, height, row_px_to_fit

HUBS = {
    "ja": ["H1 先端素材・精密加工イノベーション拠点", "H2 食と健康バイオ拠点"],
    "en": ["H1 Advanced Materials and Precision Machining Innovation Hub", "H2 Food and Health Bio Hub"],
}


def test_japanese_hub_names_fit_their_column_on_one_line() -> None:
    assert row_px_to_fit(pd.DataFrame({"hub": HUBS["ja"]}), {"hub": 275}) is None


def test_a_longer_english_name_wraps_onto_a_second_line_not_cut() -> None:
    frame = pd.DataFrame({"hub": HUBS["en"], "n": [1.0, 2.0]})
    assert row_px_to_fit(frame, {"hub": 275}) == TWO_LINES_PX
    assert row_px_to_fit(frame, {"hub": 150}) == WRAP_PX  # three lines
    assert row_px_to_fit(frame, {"hub": 275, "absent": 10}) == TWO_LINES_PX  # a column not shown is not measured


def test_an_empty_table_needs_one_line() -> None:
    empty = pd.DataFrame({"hub": pd.Series([], dtype="str")})
    assert row_px_to_fit(empty, {"hub": 100}) is None
    assert height(0) == ROW_PX + 3


def test_a_wrapped_row_keeps_each_code_with_its_name() -> None:
    frame = pd.DataFrame({"hub": [*HUBS["ja"], "地域全体", None], "rate": [40.0, 45.0, 50.0, None]})
    joined = _codes_kept_with_names(frame)
    assert joined["hub"].tolist()[:3] == [
        "H1\u00a0先端素材・精密加工イノベーション拠点",
        "H2\u00a0食と健康バイオ拠点",
        "地域全体",
    ]
    assert pd.isna(joined["hub"].iloc[3])
    assert joined["rate"].tolist()[:3] == [40.0, 45.0, 50.0]
    assert _codes_kept_with_names(pd.DataFrame({"x": ["H1 / K04 / FY2026 Q3"]}))["x"][0] == "H1 / K04 / FY2026 Q3"
    # words inside a name still break where they may
    assert (
        _codes_kept_with_names(pd.DataFrame({"x": ["K02 Start-ups founded"]}))["x"][0] == "K02\u00a0Start-ups founded"
    )
