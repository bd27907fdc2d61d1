"""Errors a user can cause: each carries a catalogue key and values, so it reaches the user in their language.

The domain knows no catalogue: `hubdash.i18n` installs the renderer that str() uses (English, for logs
and the command line); the UI renders the same key and values in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Renderer = Callable[["Message"], str]
_renderer: Renderer | None = None


def use_renderer(renderer: Renderer) -> None:
    """Install how messages read in str() (hubdash.i18n does this on import)."""
    global _renderer
    _renderer = renderer


@dataclass(frozen=True)
class Message:
    """A catalogue key and the values of its placeholders; a value may itself be a Message."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return _renderer(self) if _renderer else f"{self.key} {dict(self.values)}"


class UserError(ValueError):
    """An error the user caused: nothing was changed, and `message` says what to do in their language."""

    def __init__(self, key: str, /, **values: Any) -> None:
        self.message = Message(key, values)
        super().__init__(key)

    @property
    def key(self) -> str:
        """The catalogue key of the message."""
        return self.message.key

    def __str__(self) -> str:
        return str(self.message)


class NotFound(UserError):
    """Something the user asked for does not exist (any more), e.g. a hub deleted in another tab."""


class EditConflict(UserError):
    """Someone saved the same thing after this editor read it; nothing was written.

    Carries what the other person saved (`theirs`, with `saved_by` and the version it is at now) and,
    where the caller gave it, what this editor tried to save (`mine`), so that no words are lost.
    """

    def __init__(
        self,
        subject: str,
        *,
        current_version: int | None = None,
        saved_by: str = "",
        theirs: Any = None,
        mine: Any = None,
        saved_revision: int | None = None,
    ) -> None:
        key = "conflict.saved_by" if saved_by else "conflict.saved_meanwhile"
        super().__init__(key, subject=subject, name=saved_by)
        self.subject = subject
        self.current_version = current_version
        self.saved_by = saved_by
        self.theirs = theirs
        self.mine = mine
        self.saved_revision = saved_revision
