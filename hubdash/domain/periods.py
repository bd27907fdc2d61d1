"""Japanese fiscal years (年度) and fiscal quarters: arithmetic, parsing and labels (shared/DOMAIN.md).

A fiscal year is named by the calendar year it starts in: FY2024 = 2024-04-01 .. 2025-03-31,
Q1 = Apr-Jun, Q2 = Jul-Sep, Q3 = Oct-Dec, Q4 = Jan-Mar.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, overload

from hubdash.domain.enums import PdcaCadence
from hubdash.domain.errors import Message, UserError

MIN_FISCAL_YEAR = 1900
MAX_FISCAL_YEAR = 2999

ACCEPTED_FORMS: tuple[str, ...] = (
    "FY2024Q1",
    "2024Q1",
    "2024-Q1",
    "2024年度第1四半期",
    "2024年度Q1",
    "令和6年度第1四半期",
    "R6Q1",
)
ACCEPTED_YEAR_FORMS: tuple[str, ...] = ("2024", "FY2024", "2024年度", "令和6年度", "R6")

LANGUAGES: tuple[str, ...] = ("ja", "en")

# Councils work on Japan time; a server running in UTC would otherwise still be in the old
# quarter for the first nine hours of April 1st.
JST = timezone(timedelta(hours=9), "JST")


_QUARTER_KEYS = ("period.not_a_quarter", "period.not_a_quarter_because")


class PeriodError(UserError):
    """Text or numbers that do not name a fiscal quarter (or a fiscal year)."""

    def __init__(
        self,
        text: str,
        reason: Message | None = None,
        *,
        year: bool = False,
    ) -> None:
        self.text = text
        self.reason = reason
        forms = ", ".join(ACCEPTED_YEAR_FORMS if year else ACCEPTED_FORMS)
        keys = ("period.not_a_year", "period.not_a_year_because") if year else _QUARTER_KEYS
        if reason is None:
            super().__init__(keys[0], text=text, forms=forms)
        else:
            super().__init__(keys[1], text=text, forms=forms, reason=reason)


# era -> (English name, offset to the Gregorian year, last era year or None). 元 (gannen) is year 1.
_REIWA = ("Reiwa", 2018, None)
_HEISEI = ("Heisei", 1988, 31)
_ERAS: dict[str, tuple[str, int, int | None]] = {"令和": _REIWA, "R": _REIWA, "平成": _HEISEI, "H": _HEISEI}

# Patterns run on NFKC-normalised, upper-cased text. [0-9] rather than \d: \d would also take
# Arabic-Indic and other digits that NFKC leaves alone.
_ERA_YEAR = r"(?P<era_year>元|[1-9][0-9]{0,2})"
_ERA_LATIN_YEAR = r"(?P<era_year>[1-9][0-9]{0,2})"
_NENDO = rf"(?:(?P<western>[0-9]{{4}})|(?P<era>令和|平成){_ERA_YEAR})年度"
_Q_LATIN = r"Q(?P<q>[1-4])"
_Q_ANY = r"(?:第(?P<q_ja>[1-4])四半期|Q(?P<q>[1-4]))"

_QUARTER_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        rf"FY(?P<western>[0-9]{{4}})\s*{_Q_LATIN}",
        rf"(?P<western>[0-9]{{4}})(?:\s*|-){_Q_LATIN}",
        rf"{_NENDO}\s*{_Q_ANY}",
        rf"(?P<era>[RH]){_ERA_LATIN_YEAR}\s*{_Q_LATIN}",
    )
)
_YEAR_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"(?:FY)?(?P<western>[0-9]{4})",
        _NENDO,
        rf"(?P<era>[RH]){_ERA_LATIN_YEAR}",
    )
)


def _normalize(text: object) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper() if isinstance(text, str) else ""


_YEAR_RANGE = Message("period.year_range", {"first": MIN_FISCAL_YEAR, "last": MAX_FISCAL_YEAR})


def _year_from_match(groups: dict[str, str | None]) -> tuple[int, Message | None]:
    """Return the fiscal year a matched year part names, and why it is out of range (or None)."""
    if (western := groups.get("western")) is not None:
        fiscal_year = int(western)
    else:
        era, era_year_text = groups["era"], groups["era_year"]
        assert era is not None and era_year_text is not None
        name, offset, last = _ERAS[era]
        era_year = 1 if era_year_text == "元" else int(era_year_text)
        fiscal_year = offset + era_year
        if last is not None and era_year > last:
            return fiscal_year, Message("period.era_ends", {"era": name, "last": last})
    if not MIN_FISCAL_YEAR <= fiscal_year <= MAX_FISCAL_YEAR:
        return fiscal_year, _YEAR_RANGE
    return fiscal_year, None


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of: {', '.join(LANGUAGES)}")


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    """One quarter of a Japanese fiscal year; orders chronologically."""

    fiscal_year: int
    quarter: int

    def __post_init__(self) -> None:
        for name in ("fiscal_year", "quarter"):
            value = getattr(self, name)
            # bool is an int subclass; FiscalQuarter(True, 1) is always a bug.
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"FiscalQuarter.{name} must be an int, got {value!r}")
        text = f"FY{self.fiscal_year}Q{self.quarter}"
        if not 1 <= self.quarter <= 4:
            raise PeriodError(text, Message("period.quarter_range"))
        if not MIN_FISCAL_YEAR <= self.fiscal_year <= MAX_FISCAL_YEAR:
            raise PeriodError(text, _YEAR_RANGE)

    @classmethod
    def from_date(cls, d: date) -> FiscalQuarter:
        """Return the fiscal quarter containing the date d."""
        return cls(fiscal_year_of(d), quarter_of(d))

    @classmethod
    def parse(cls, text: str) -> FiscalQuarter:
        """Parse any accepted text form (see ACCEPTED_FORMS); raise PeriodError otherwise."""
        return parse_period(text)

    @classmethod
    def from_index(cls, index: int) -> FiscalQuarter:
        """Return the quarter whose index is index (inverse of FiscalQuarter.index)."""
        fiscal_year, quarter0 = divmod(index, 4)
        return cls(fiscal_year, quarter0 + 1)

    @property
    def index(self) -> int:
        """Consecutive integer per quarter: fiscal_year * 4 + quarter - 1."""
        return quarter_index(self.fiscal_year, self.quarter)

    @property
    def axis_position(self) -> float:
        """The quarter on a continuous time axis: the fiscal year plus a quarter's share (FY2024 Q3 -> 2024.5)."""
        return self.fiscal_year + (self.quarter - 1) / 4

    @property
    def start_date(self) -> date:
        """First day of the quarter."""
        month = 3 * self.quarter + 1
        if month > 12:
            return date(self.fiscal_year + 1, month - 12, 1)
        return date(self.fiscal_year, month, 1)

    @property
    def end_date(self) -> date:
        """Last day of the quarter (inclusive)."""
        # Computed directly rather than as next().start_date - 1 day, which fails for FY2999Q4.
        month, day = {1: (6, 30), 2: (9, 30), 3: (12, 31), 4: (3, 31)}[self.quarter]
        return date(self.fiscal_year + (self.quarter == 4), month, day)

    def __add__(self, n: int) -> FiscalQuarter:
        """Return the quarter n quarters later (n may be negative)."""
        if not isinstance(n, int) or isinstance(n, bool):
            return NotImplemented
        return type(self).from_index(self.index + n)

    __radd__ = __add__

    @overload
    def __sub__(self, other: int) -> FiscalQuarter: ...
    @overload
    def __sub__(self, other: FiscalQuarter) -> int: ...
    def __sub__(self, other: int | FiscalQuarter) -> FiscalQuarter | int:
        """Return the quarter n quarters earlier, or the number of quarters between two quarters."""
        if isinstance(other, FiscalQuarter):
            return self.index - other.index
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return type(self).from_index(self.index - other)

    def next(self) -> FiscalQuarter:
        """Return the following quarter."""
        return self + 1

    def previous(self) -> FiscalQuarter:
        """Return the preceding quarter."""
        return self - 1

    def canonical(self) -> str:
        """Return the canonical text form, e.g. "FY2024Q1"."""
        return f"FY{self.fiscal_year}Q{self.quarter}"

    def label(self, lang: str) -> str:
        """Return the display label: "2024年度 第1四半期" for "ja", "FY2024 Q1" for "en"."""
        year = fiscal_year_label(self.fiscal_year, lang)
        return f"{year} 第{self.quarter}四半期" if lang == "ja" else f"{year} Q{self.quarter}"

    __str__ = canonical


@overload
def quarter_index(fiscal_year: int, quarter: int) -> int: ...
@overload
def quarter_index(fiscal_year: Any, quarter: Any) -> Any: ...  # SQL column expressions
def quarter_index(fiscal_year: Any, quarter: Any) -> Any:
    """The consecutive number of a quarter (see FiscalQuarter.index), of ints or of SQL column expressions."""
    return fiscal_year * 4 + quarter - 1


CADENCE_QUARTERS: dict[PdcaCadence, int] = {PdcaCadence.QUARTER: 1, PdcaCadence.HALF: 2, PdcaCadence.YEAR: 4}


def cadence_quarters(cadence: PdcaCadence | str) -> int:
    """How many quarters one PDCA cycle of the cadence covers."""
    return CADENCE_QUARTERS[PdcaCadence(cadence)]


def fiscal_year_of(d: date) -> int:
    """Return the fiscal year (named by its starting calendar year) containing the date d."""
    return d.year if d.month >= 4 else d.year - 1


def quarter_of(d: date) -> int:
    """Return the fiscal quarter number (1..4) containing the date d."""
    return (d.month - 4) % 12 // 3 + 1


def parse_period(text: str) -> FiscalQuarter:
    """Parse any accepted text form of a fiscal quarter (see ACCEPTED_FORMS); raise PeriodError otherwise."""
    normalized = _normalize(text)
    for pattern in _QUARTER_PATTERNS:
        if (match := pattern.fullmatch(normalized)) is not None:
            groups = match.groupdict()
            fiscal_year, reason = _year_from_match(groups)
            if reason is None:
                # Exactly one of the two quarter groups matched (q_ja only exists in 年度 patterns).
                return FiscalQuarter(fiscal_year, int(groups["q"] or groups["q_ja"] or 0))
            raise PeriodError(str(text), reason)
    raise PeriodError(str(text))


def quarters_between(start: FiscalQuarter, end: FiscalQuarter) -> list[FiscalQuarter]:
    """Return the quarters from start to end, both included; empty if end is before start."""
    return [FiscalQuarter.from_index(i) for i in range(start.index, end.index + 1)]


def current_quarter(today: date | None = None) -> FiscalQuarter:
    """Return the fiscal quarter containing today (in Japan time unless today is given)."""
    return FiscalQuarter.from_date(datetime.now(JST).date() if today is None else today)


def fiscal_year_label(fy: int, lang: str) -> str:
    """Return the display label of a fiscal year: "2024年度" for "ja", "FY2024" for "en"."""
    _check_lang(lang)
    return f"{fy}年度" if lang == "ja" else f"FY{fy}"


def parse_fiscal_year(text: str) -> int:
    """Parse a fiscal year (see ACCEPTED_YEAR_FORMS) to its starting calendar year, or raise PeriodError."""
    normalized = _normalize(text)
    reason = None
    for pattern in _YEAR_PATTERNS:
        if (match := pattern.fullmatch(normalized)) is not None:
            fiscal_year, reason = _year_from_match(match.groupdict())
            if reason is None:
                return fiscal_year
            break
    raise PeriodError(str(text), reason, year=True)
