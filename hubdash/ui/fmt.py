"""hubdash.fmt for this session: numbers, times, periods and statuses as the signed-in reader reads them."""

from __future__ import annotations

from datetime import datetime

from hubdash.domain.enums import Status
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.rollup import DEFAULT_RULE, RollupRule
from hubdash.fmt import coded, number
from hubdash.ui.session import display

__all__ = ["coded", "fiscal_year", "number", "period", "person", "rollup_rule", "share", "status", "when"]


def period(value: FiscalQuarter | None) -> str:
    """A fiscal quarter as users write it: 2024年度 第1四半期 / FY2024 Q1."""
    return display().period(value)


def fiscal_year(value: int) -> str:
    """2024年度 / FY2024."""
    return display().fiscal_year(value)


def status(value: Status) -> str:
    """A status with its symbol."""
    return display().status(value)


def when(moment: datetime | None, *, with_time: bool = True) -> str:
    """A stored time in the browser's time zone (Japan's when unknown)."""
    return display().when(moment, with_time=with_time)


def person(name: str | None) -> str:
    """Who did something: the open-mode administrator and the system in the reader's language."""
    return display().person(name)


def rollup_rule(rule: RollupRule = DEFAULT_RULE) -> str:
    """The roll-up rule as the council reads it."""
    return display().rollup_rule(rule)


def share(value: float | None) -> str:
    """A share as a whole percentage, a dash for none."""
    return display().share(value)
