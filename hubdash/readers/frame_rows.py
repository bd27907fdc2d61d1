"""Rows held as columns: a file or an import may hold 200,000 of them, read and compared as pandas columns,
and handed out one row at a time to code that iterates, as over a list."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

import pandas as pd

T = TypeVar("T")


class FrameRows(Sequence[T]):
    """A sequence of rows backed by `frame` (index reset); the rows are built once, when first asked for."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        self._rows: list[T] | None = None

    @abstractmethod
    def _build(self) -> list[T]:
        """The rows of `frame`, in order."""

    def _listed(self) -> list[T]:
        if self._rows is None:
            self._rows = self._build()
        return self._rows

    def __len__(self) -> int:
        return len(self.frame)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self._listed()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._listed())

    def __eq__(self, other: object) -> bool:
        """Equal to a list (or another sequence) of the same values, as a list would be."""
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable like a list: no hash
