from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hubdash.domain.periods import (
    ACCEPTED_FORMS,
    ACCEPTED_YEAR_FORMS,
    JST,
    MAX_FISCAL_YEAR,
    MIN_FISCAL_YEAR,
    FiscalQuarter,
    PeriodError,
    current_quarter,
    fiscal_year_label,
    fiscal_year_of,
    parse_fiscal_year,
    parse_period,
    quarter_of,
    quarters_between,
)

FY2024Q1 = FiscalQuarter(2024, 1)

quarters = st.builds(
    FiscalQuarter, st.integers(MIN_FISCAL_YEAR, MAX_FISCAL_YEAR), st.integers(min_value=1, max_value=4)
)
dates = st.dates(min_value=date(MIN_FISCAL_YEAR, 4, 1), max_value=date(MAX_FISCAL_YEAR + 1, 3, 31))


def full_width(text: str) -> str:
    """Turn ASCII letters, digits, punctuation and spaces into their full-width forms."""
    return "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# --- fiscal year and quarter of a date ---------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 3, 31), FiscalQuarter(2023, 4)),
        (date(2024, 4, 1), FiscalQuarter(2024, 1)),
        (date(2024, 6, 30), FiscalQuarter(2024, 1)),
        (date(2024, 7, 1), FiscalQuarter(2024, 2)),
        (date(2024, 9, 30), FiscalQuarter(2024, 2)),
        (date(2024, 10, 1), FiscalQuarter(2024, 3)),
        (date(2024, 12, 31), FiscalQuarter(2024, 3)),
        (date(2025, 1, 1), FiscalQuarter(2024, 4)),
        (date(2025, 3, 31), FiscalQuarter(2024, 4)),
        (date(2025, 4, 1), FiscalQuarter(2025, 1)),
    ],
)
def test_from_date_boundaries(d: date, expected: FiscalQuarter) -> None:
    assert FiscalQuarter.from_date(d) == expected
    assert fiscal_year_of(d) == expected.fiscal_year
    assert quarter_of(d) == expected.quarter


def test_from_date_accepts_datetime() -> None:
    assert FiscalQuarter.from_date(datetime(2025, 1, 1, 0, 0)) == FiscalQuarter(2024, 4)


@given(dates)
def test_from_date_matches_month_table(d: date) -> None:
    # Spelled out month by month so the property does not just restate the formula.
    by_month = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}
    q = FiscalQuarter.from_date(d)
    assert q.quarter == by_month[d.month]
    assert q.fiscal_year == (d.year if d.month >= 4 else d.year - 1)
    assert q.start_date <= d <= q.end_date


@given(quarters)
def test_from_date_of_start_and_end_is_the_quarter(q: FiscalQuarter) -> None:
    assert FiscalQuarter.from_date(q.start_date) == q
    assert FiscalQuarter.from_date(q.end_date) == q


# --- start and end dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "start", "end"),
    [
        (FiscalQuarter(2024, 1), date(2024, 4, 1), date(2024, 6, 30)),
        (FiscalQuarter(2024, 2), date(2024, 7, 1), date(2024, 9, 30)),
        (FiscalQuarter(2024, 3), date(2024, 10, 1), date(2024, 12, 31)),
        (FiscalQuarter(2024, 4), date(2025, 1, 1), date(2025, 3, 31)),
        (FiscalQuarter(2999, 4), date(3000, 1, 1), date(3000, 3, 31)),
    ],
)
def test_start_and_end_dates(q: FiscalQuarter, start: date, end: date) -> None:
    assert q.start_date == start
    assert q.end_date == end


@given(quarters)
def test_quarters_tile_the_calendar(q: FiscalQuarter) -> None:
    if q.fiscal_year < MAX_FISCAL_YEAR or q.quarter < 4:
        assert q.next().start_date == q.end_date + timedelta(days=1)


# --- construction and validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fiscal_year", "quarter"),
    [(2024, 0), (2024, 5), (2024, -1), (MIN_FISCAL_YEAR - 1, 4), (MAX_FISCAL_YEAR + 1, 1)],
)
def test_out_of_range_construction_raises_period_error(fiscal_year: int, quarter: int) -> None:
    with pytest.raises(PeriodError, match="FY2024Q1"):
        FiscalQuarter(fiscal_year, quarter)


@pytest.mark.parametrize(("fiscal_year", "quarter"), [(2024.0, 1), (2024, "1"), (True, 1), (2024, True)])
def test_non_int_construction_raises_type_error(fiscal_year: object, quarter: object) -> None:
    with pytest.raises(TypeError):
        FiscalQuarter(fiscal_year, quarter)  # type: ignore[arg-type]


def test_is_frozen_hashable_and_ordered() -> None:
    q = FiscalQuarter(2024, 1)
    with pytest.raises(AttributeError):
        q.quarter = 2  # type: ignore[misc]
    assert {q, FiscalQuarter(2024, 1)} == {q}
    assert FiscalQuarter(2023, 4) < FiscalQuarter(2024, 1) < FiscalQuarter(2024, 2)
    assert sorted([FiscalQuarter(2025, 1), FiscalQuarter(2024, 4), FiscalQuarter(2024, 1)]) == [
        FiscalQuarter(2024, 1),
        FiscalQuarter(2024, 4),
        FiscalQuarter(2025, 1),
    ]


def test_period_error_is_a_value_error_and_carries_text() -> None:
    with pytest.raises(ValueError) as info:
        parse_period("2024Q5")
    assert isinstance(info.value, PeriodError)
    assert info.value.text == "2024Q5"
    assert str(info.value) == (
        '"2024Q5" is not a fiscal quarter; use one of: '
        "FY2024Q1, 2024Q1, 2024-Q1, 2024年度第1四半期, 2024年度Q1, 令和6年度第1四半期, R6Q1"
    )


def test_accepted_forms_all_parse_to_the_example() -> None:
    assert ACCEPTED_FORMS[0] == "FY2024Q1"
    assert {parse_period(form) for form in ACCEPTED_FORMS} == {FY2024Q1}
    assert {parse_fiscal_year(form) for form in ACCEPTED_YEAR_FORMS} == {2024}


# --- index and arithmetic ----------------------------------------------------------------------


def test_index() -> None:
    assert FiscalQuarter(2024, 1).index == 2024 * 4
    assert FiscalQuarter(2024, 4).index + 1 == FiscalQuarter(2025, 1).index
    assert FiscalQuarter.from_index(2024 * 4 + 3) == FiscalQuarter(2024, 4)


@given(quarters)
def test_from_index_inverts_index(q: FiscalQuarter) -> None:
    assert FiscalQuarter.from_index(q.index) == q


@given(quarters, quarters)
def test_index_order_matches_quarter_order(a: FiscalQuarter, b: FiscalQuarter) -> None:
    assert (a < b) == (a.index < b.index)
    assert b - a == b.index - a.index


@pytest.mark.parametrize(
    ("q", "n", "expected"),
    [
        (FiscalQuarter(2024, 4), 1, FiscalQuarter(2025, 1)),
        (FiscalQuarter(2024, 3), 2, FiscalQuarter(2025, 1)),
        (FiscalQuarter(2024, 1), -1, FiscalQuarter(2023, 4)),
        (FiscalQuarter(2024, 2), 8, FiscalQuarter(2026, 2)),
        (FiscalQuarter(2024, 2), -9, FiscalQuarter(2022, 1)),
        (FiscalQuarter(2024, 2), 0, FiscalQuarter(2024, 2)),
    ],
)
def test_add_across_year_ends(q: FiscalQuarter, n: int, expected: FiscalQuarter) -> None:
    assert q + n == expected
    assert n + q == expected
    assert expected - n == q
    assert expected - q == n


def test_next_and_previous_across_year_end() -> None:
    assert FiscalQuarter(2024, 4).next() == FiscalQuarter(2025, 1)
    assert FiscalQuarter(2025, 1).previous() == FiscalQuarter(2024, 4)
    assert FiscalQuarter(2024, 2).next() == FiscalQuarter(2024, 3)


def test_difference_of_quarters() -> None:
    assert FiscalQuarter(2025, 1) - FiscalQuarter(2024, 4) == 1
    assert FiscalQuarter(2024, 1) - FiscalQuarter(2025, 1) == -4


def test_arithmetic_past_the_supported_range_raises_period_error() -> None:
    with pytest.raises(PeriodError):
        FiscalQuarter(MAX_FISCAL_YEAR, 4).next()
    with pytest.raises(PeriodError):
        FiscalQuarter(MIN_FISCAL_YEAR, 1).previous()


@pytest.mark.parametrize("other", [1.0, "1", True, None])
def test_arithmetic_with_non_int_raises_type_error(other: object) -> None:
    with pytest.raises(TypeError):
        FY2024Q1 + other  # type: ignore[operator]
    with pytest.raises(TypeError):
        FY2024Q1 - other  # type: ignore[operator]


@given(quarters, st.integers(-400, 400))
def test_add_then_subtract_round_trips(q: FiscalQuarter, n: int) -> None:
    try:
        moved = q + n
    except PeriodError:
        return
    assert moved - n == q
    assert moved - q == n


def test_quarters_between() -> None:
    assert quarters_between(FiscalQuarter(2024, 3), FiscalQuarter(2025, 2)) == [
        FiscalQuarter(2024, 3),
        FiscalQuarter(2024, 4),
        FiscalQuarter(2025, 1),
        FiscalQuarter(2025, 2),
    ]
    assert quarters_between(FY2024Q1, FY2024Q1) == [FY2024Q1]
    assert quarters_between(FiscalQuarter(2024, 2), FY2024Q1) == []


@given(quarters, quarters)
def test_quarters_between_length_and_order(a: FiscalQuarter, b: FiscalQuarter) -> None:
    if b.index - a.index > 200:
        b = a + 200
    between = quarters_between(a, b)
    assert len(between) == max(0, b - a + 1)
    assert all(y - x == 1 for x, y in pairwise(between))


# --- current quarter ---------------------------------------------------------------------------


def test_current_quarter_of_a_given_day() -> None:
    assert current_quarter(date(2024, 3, 31)) == FiscalQuarter(2023, 4)
    assert current_quarter(date(2024, 4, 1)) == FiscalQuarter(2024, 1)


def test_current_quarter_uses_japan_time() -> None:
    before = FiscalQuarter.from_date(datetime.now(JST).date())
    result = current_quarter()
    after = FiscalQuarter.from_date(datetime.now(JST).date())
    assert result in {before, after}


# --- labels ------------------------------------------------------------------------------------


def test_labels() -> None:
    q = FiscalQuarter(2024, 1)
    assert q.canonical() == "FY2024Q1"
    assert str(q) == "FY2024Q1"
    assert f"{q}" == "FY2024Q1"
    assert q.label("ja") == "2024年度 第1四半期"
    assert q.label("en") == "FY2024 Q1"
    assert FiscalQuarter(2024, 4).label("ja") == "2024年度 第4四半期"
    assert FiscalQuarter(2024, 4).label("en") == "FY2024 Q4"
    assert fiscal_year_label(2024, "ja") == "2024年度"
    assert fiscal_year_label(2024, "en") == "FY2024"


@pytest.mark.parametrize("lang", ["fr", "JA", "", "ja_JP"])
def test_unknown_language_raises(lang: str) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        FY2024Q1.label(lang)
    with pytest.raises(ValueError, match="unsupported language"):
        fiscal_year_label(2024, lang)


@given(quarters, st.sampled_from(["ja", "en"]))
def test_label_round_trips(q: FiscalQuarter, lang: str) -> None:
    assert parse_period(q.label(lang)) == q
    assert FiscalQuarter.parse(full_width(q.label(lang))) == q


@given(quarters)
def test_canonical_round_trips(q: FiscalQuarter) -> None:
    assert parse_period(q.canonical()) == q
    assert parse_period(str(q)) == q
    assert parse_period(full_width(q.canonical())) == q
    assert parse_period(q.canonical().lower()) == q


@given(st.integers(MIN_FISCAL_YEAR, MAX_FISCAL_YEAR), st.sampled_from(["ja", "en"]))
def test_fiscal_year_label_round_trips(fy: int, lang: str) -> None:
    assert parse_fiscal_year(fiscal_year_label(fy, lang)) == fy


@given(st.builds(FiscalQuarter, st.integers(2019, MAX_FISCAL_YEAR), st.integers(min_value=1, max_value=4)))
def test_reiwa_forms_round_trip(q: FiscalQuarter) -> None:
    n = q.fiscal_year - 2018
    assert parse_period(f"令和{n}年度第{q.quarter}四半期") == q
    assert parse_period(f"R{n}Q{q.quarter}") == q
    assert parse_fiscal_year(f"令和{n}年度") == q.fiscal_year
    assert parse_fiscal_year(f"R{n}") == q.fiscal_year


def test_pickles() -> None:
    assert pickle.loads(pickle.dumps(FY2024Q1)) == FY2024Q1


# --- parsing: accepted forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The forms in DOMAIN.md.
        ("FY2024Q1", FiscalQuarter(2024, 1)),
        ("2024Q2", FiscalQuarter(2024, 2)),
        ("2024-Q3", FiscalQuarter(2024, 3)),
        ("2024年度第4四半期", FiscalQuarter(2024, 4)),
        ("2024年度Q1", FiscalQuarter(2024, 1)),
        ("令和6年度第1四半期", FiscalQuarter(2024, 1)),
        ("R6Q1", FiscalQuarter(2024, 1)),
        # Full-width digits and letters.
        ("２０２４年度第１四半期", FiscalQuarter(2024, 1)),
        ("ＦＹ２０２４Ｑ１", FiscalQuarter(2024, 1)),
        ("２０２４Ｑ１", FiscalQuarter(2024, 1)),
        ("２０２４－Ｑ１", FiscalQuarter(2024, 1)),
        ("２０２４年度Ｑ１", FiscalQuarter(2024, 1)),
        ("令和６年度第１四半期", FiscalQuarter(2024, 1)),
        ("Ｒ６Ｑ１", FiscalQuarter(2024, 1)),
        # Case-insensitive Latin letters.
        ("fy2024q1", FiscalQuarter(2024, 1)),
        ("Fy2024Q1", FiscalQuarter(2024, 1)),
        ("2024q1", FiscalQuarter(2024, 1)),
        ("r6q1", FiscalQuarter(2024, 1)),
        ("h30q2", FiscalQuarter(2018, 2)),
        # Spaces between the parts and around the whole text.
        ("FY2024 Q1", FiscalQuarter(2024, 1)),
        ("2024 Q1", FiscalQuarter(2024, 1)),
        ("2024年度 第1四半期", FiscalQuarter(2024, 1)),
        ("2024年度 Q1", FiscalQuarter(2024, 1)),
        ("令和6年度 第1四半期", FiscalQuarter(2024, 1)),
        ("R6 Q1", FiscalQuarter(2024, 1)),
        ("  FY2024Q1\n", FiscalQuarter(2024, 1)),
        ("\u3000２０２４年度\u3000第１四半期\u3000", FiscalQuarter(2024, 1)),
        # Eras: Reiwa N = 2018 + N, Heisei N = 1988 + N, 元 = 1.
        ("令和元年度第1四半期", FiscalQuarter(2019, 1)),
        ("令和元年度Q3", FiscalQuarter(2019, 3)),
        ("R1Q1", FiscalQuarter(2019, 1)),
        ("令和7年度第2四半期", FiscalQuarter(2025, 2)),
        ("平成30年度第1四半期", FiscalQuarter(2018, 1)),
        ("H30Q1", FiscalQuarter(2018, 1)),
        ("平成31年度第4四半期", FiscalQuarter(2019, 4)),
        ("H31Q1", FiscalQuarter(2019, 1)),
        ("平成元年度第1四半期", FiscalQuarter(1989, 1)),
        ("H1Q1", FiscalQuarter(1989, 1)),
        ("令和6年度Q1", FiscalQuarter(2024, 1)),
        # The one-character era ligature ㋿ is NFKC for 令和.
        ("㋿6年度第1四半期", FiscalQuarter(2024, 1)),
        # Range edges.
        ("FY1900Q1", FiscalQuarter(1900, 1)),
        ("FY2999Q4", FiscalQuarter(2999, 4)),
    ],
)
def test_parse_accepted(text: str, expected: FiscalQuarter) -> None:
    assert parse_period(text) == expected
    assert FiscalQuarter.parse(text) == expected


# --- parsing: rejected forms -------------------------------------------------------------------

BAD_PERIODS = [
    "",
    "   ",
    "2024Q5",
    "2024Q0",
    "FY24Q1",
    "24Q1",
    "2024/04",
    "2024-04",
    "2024/Q1",
    "20241",
    "2024",
    "FY2024",
    "2024年度",
    "Q1",
    "FY2024Q",
    "FY2024Q1Q2",
    "FY2024Q1 extra",
    "FY2024-Q1",
    "FY2024_Q1",
    "FY 2024Q1",
    "2024 - Q1",
    "2024第1四半期",
    "FY2024第1四半期",
    "2024年度第5四半期",
    "2024年度第0四半期",
    "2024年度第一四半期",
    "2024年度1四半期",
    "2024年第1四半期",
    "2024 年度第1四半期",
    "R0Q1",
    "R06Q1",
    "R元Q1",
    "RQ1",
    "R6第1四半期",
    "令和0年度第1四半期",
    "令和6第1四半期",
    "H0Q1",
    "H32Q1",
    "平成32年度第1四半期",
    "平成45年度Q1",
    "S63Q1",
    "昭和63年度第1四半期",
    "FY1899Q4",
    "FY3000Q1",
    "R982Q1",
    "２０２４Ｑ５",
    "Ｒ０Ｑ１",
    "\u0662\u0660\u0662\u0664Q1",  # Arabic-Indic digits: NFKC keeps them, so they must not pass as 2024.
    "2024-04-01",
]


@pytest.mark.parametrize("text", BAD_PERIODS)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert f'"{text}"' in str(info.value)
    assert "FY2024Q1" in str(info.value)
    assert info.value.text == text


def test_parse_rejects_a_non_string() -> None:
    with pytest.raises(PeriodError, match="FY2024Q1"):
        parse_period(None)  # type: ignore[arg-type]


def test_out_of_range_parse_says_why() -> None:
    with pytest.raises(PeriodError, match=r"Heisei ends with year 31"):
        parse_period("H32Q1")
    with pytest.raises(PeriodError, match=r"1900\.\.2999"):
        parse_period("FY3000Q1")


# --- fiscal years ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", 2024),
        ("FY2024", 2024),
        ("fy2024", 2024),
        ("2024年度", 2024),
        ("令和6年度", 2024),
        ("R6", 2024),
        ("r6", 2024),
        ("２０２４", 2024),
        ("ＦＹ２０２４", 2024),
        ("２０２４年度", 2024),
        ("令和６年度", 2024),
        ("Ｒ６", 2024),
        (" 2024 ", 2024),
        ("令和元年度", 2019),
        ("R1", 2019),
        ("平成30年度", 2018),
        ("H30", 2018),
        ("平成31年度", 2019),
        ("平成元年度", 1989),
    ],
)
def test_parse_fiscal_year_accepted(text: str, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "24",
        "FY24",
        "2024Q1",
        "FY2024Q1",
        "2024年",
        "令和6",
        "R0",
        "R06",
        "H32",
        "平成32年度",
        "1899",
        "3000",
        "FY 2024",
        "2024/25",
    ],
)
def test_parse_fiscal_year_rejects(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_fiscal_year(text)
    message = str(info.value)
    assert f'"{text}" is not a fiscal year' in message
    assert "FY2024" in message
    assert "令和6年度" in message
    assert info.value.text == text
