"""The one display formatter: numbers, times in the reader's time zone, periods, statuses and "code name" labels.

Pure (no Streamlit): the pages (through hubdash.ui.fmt) and the exported files use the same Display, so a
number or a date reads the same on the screen and in the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hubdash import i18n
from hubdash.domain.enums import Status
from hubdash.domain.errors import Message, UserError
from hubdash.domain.periods import FiscalQuarter, fiscal_year_label
from hubdash.domain.permissions import OPEN_MODE_ADMIN, SYSTEM
from hubdash.domain.rollup import DEFAULT_RULE, RollupRule
from hubdash.domain.status import STATUS_SYMBOLS

DEFAULT_ZONE = "Asia/Tokyo"  # councils work on Japan time
DASH = "–"


def zone(name: str | None) -> ZoneInfo:
    """The named IANA time zone, or Japan's when the name is missing or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def number(value: float | None, digits: int = 1) -> str:
    """A number for reading: thousands separators, at most `digits` decimals, no trailing zeros; a dash for none."""
    if value is None:
        return DASH
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimals_of(values: Iterable[float | None], limit: int = 3) -> int:
    """How many decimals the numbers are written with (the most any of them needs, at most `limit`)."""
    found = 0
    for value in values:
        if value is None or not math.isfinite(value):
            continue
        exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            found = max(found, min(limit, -exponent))
    return found


def coded(code: str, name: str) -> str:
    """A hub, goal or indicator as people name it: "H1 ものづくりDX拠点"."""
    return f"{code} {name}" if name else code


@dataclass(frozen=True)
class Display:
    """How one reader reads: their language and time zone."""

    lang: str
    tz: ZoneInfo = field(default_factory=lambda: zone(None))

    def t(self, key: str, **values: object) -> str:
        """Catalogue text in the reader's language."""
        return i18n.t(key, self.lang, **{k: i18n.shown(v, self.lang) for k, v in values.items()})

    def label(self, member: StrEnum) -> str:
        """The name of an enum member."""
        return i18n.label(member, self.lang)

    def message(self, message: Message | UserError) -> str:
        """A message, or what a user error says."""
        return i18n.render(message.message if isinstance(message, UserError) else message, self.lang)

    def period(self, period: FiscalQuarter | None) -> str:
        """A fiscal quarter as users write it: 2024年度 第1四半期 / FY2024 Q1."""
        return period.label(self.lang) if period else self.t("common.none")

    def fiscal_year(self, fiscal_year: int) -> str:
        """2024年度 / FY2024."""
        return fiscal_year_label(fiscal_year, self.lang)

    def status(self, status: Status) -> str:
        """A status with its symbol, so that colour is never the only cue."""
        return f"{STATUS_SYMBOLS[status]} {self.label(status)}"

    def rollup_rule(self, rule: RollupRule = DEFAULT_RULE) -> str:
        """The roll-up rule as the council reads it, on pages and in reports."""
        return self.t("rollup.rule", on=round(rule.on_track_above * 100), off=round(rule.off_track_above * 100))

    def share(self, share: float | None) -> str:
        """A share as a whole percentage ("60 %"), a dash for none."""
        return DASH if share is None else f"{round(share * 100)} %"

    def person(self, name: str | None) -> str:
        """Who did something, as stored: the open-mode administrator and the system in the reader's language."""
        special = {OPEN_MODE_ADMIN.name: "audit.open_mode_admin", SYSTEM.name: "audit.system"}.get(name or "")
        return self.t(special) if special else (name or DASH)

    def when(self, moment: datetime | None, *, with_time: bool = True) -> str:
        """A stored time (aware: models.UTCDateTime reads every timestamp back in UTC) in the reader's time zone."""
        if moment is None:
            return DASH
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
