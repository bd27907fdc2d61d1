"""The editable parts of a region's vision and their keys: "statement", "goal:G2", "commitment:finance"."""

from __future__ import annotations

from enum import StrEnum

from hubdash.domain.enums import Sector
from hubdash.domain.errors import UserError


class PartKind(StrEnum):
    """What a part of the vision is."""

    STATEMENT = "statement"
    GOAL = "goal"
    COMMITMENT = "commitment"


class UnknownPart(UserError):
    """Text that names no part of the vision."""

    def __init__(self, text: str) -> None:
        super().__init__("vision.error_unknown_part", part=text)


class PartKey(str):
    """The key of one part, as stored (drafts, presence, comments, revisions): a str, parsed once here."""

    __slots__ = ()

    def __new__(cls, text: str) -> PartKey:
        if isinstance(text, PartKey):
            return text
        kind, _, code = str(text).partition(":")
        if text == PartKind.STATEMENT.value:
            return super().__new__(cls, text)
        if kind == PartKind.GOAL.value and code.strip() and code == code.strip():
            return super().__new__(cls, text)
        if kind == PartKind.COMMITMENT.value and code in {s.value for s in Sector}:
            return super().__new__(cls, text)
        raise UnknownPart(str(text))

    @classmethod
    def statement(cls) -> PartKey:
        """The vision statement."""
        return cls(PartKind.STATEMENT.value)

    @classmethod
    def goal(cls, code: str) -> PartKey:
        """A strategic goal (its title and description) by code."""
        return cls(f"{PartKind.GOAL.value}:{code}")

    @classmethod
    def commitment(cls, sector: Sector) -> PartKey:
        """One sector's commitment."""
        return cls(f"{PartKind.COMMITMENT.value}:{Sector(sector).value}")

    @property
    def kind(self) -> PartKind:
        """Statement, goal or commitment."""
        return PartKind(self.partition(":")[0])

    @property
    def goal_code(self) -> str:
        """The goal's code ("" unless this is a goal)."""
        return self.partition(":")[2] if self.kind is PartKind.GOAL else ""

    @property
    def sector(self) -> Sector | None:
        """The sector of a commitment (None otherwise)."""
        return Sector(self.partition(":")[2]) if self.kind is PartKind.COMMITMENT else None

    @property
    def is_goal(self) -> bool:
        """Whether this part is a strategic goal (it has a title besides its text)."""
        return self.kind is PartKind.GOAL


STATEMENT = PartKey.statement()
