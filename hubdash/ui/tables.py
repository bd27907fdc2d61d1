"""Read-only tables that show what they hold: every row (up to a limit, then the table scrolls), a dash for a
missing value, widths that keep the columns in view, and a line of text instead of an empty grid (Streamlit's
own empty grid reads "empty" in every language)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from hubdash.fmt import DASH
from hubdash.ui.session import t

ROW_PX = 35  # Streamlit's row height; the header row has the same
MAX_ROWS = 25  # rows shown before a table scrolls: a region's 25 indicators fit


WRAP_PX = 84  # rows taller than 4rem wrap their text (here three lines): long sentences are read whole
CODE_THEN_NAME = re.compile(r"^([A-Z]{1,2}\d{1,3}) (?=[^\W\d_])")  # "H1 name", "K01 name" (not "H1 / K04")
TWO_LINES_PX = 66  # the lowest row that wraps its text: a name one line cannot hold is read whole on two


def text_px(text: str) -> float:
    """About how wide a table cell draws `text` (a Japanese character 13.2 px, a space 3.5, a Latin letter 6.6 at
    most on average), its padding included."""
    return 16 + sum(13.2 if unicodedata.east_asian_width(ch) in "WF" else 3.5 if ch == " " else 6.6 for ch in text)


def row_px_to_fit(frame: pd.DataFrame, widths: Mapping[str, int]) -> int | None:
    """A row height at which every cell of the columns in `widths` is read whole: None (one line) when each fits
    its column, two lines or three when some name or sentence is longer (English names run long)."""
    lines = max(
        (
            text_px(str(value)) / width
            for column, width in widths.items()
            if column in frame
            for value in frame[column].unique()  # a file's thousands of rows name a few hubs
        ),
        default=0.0,
    )
    if lines <= 1:
        return None
    return TWO_LINES_PX if lines <= 2 else WRAP_PX


def _codes_kept_with_names(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with "H1 name" joined by a no-break space: a row that wraps breaks inside the name, never
    between a code and its name (the grid wraps at spaces first)."""

    def joined(value: object) -> object:
        return CODE_THEN_NAME.sub("\\1\u00a0", value) if isinstance(value, str) else value

    return frame.map(joined)


def height(rows: int, max_rows: int = MAX_ROWS, row_px: int = ROW_PX) -> int:
    """The height in pixels that shows `rows` rows (at most `max_rows`) and the header without scrolling."""
    return ROW_PX + row_px * min(rows, max_rows) + 3


def table(
    frame: pd.DataFrame,
    *,
    wide: Iterable[str] = (),
    empty: str = "common.no_rows",
    max_rows: int = MAX_ROWS,
    column_config: dict[str, Any] | None = None,
    container: Any = None,
    **options: Any,
) -> Any:
    """A table with its rows in view (`wide`: columns given the most room); `empty`: catalogue text for no rows;
    `row_height=WRAP_PX` for rows whose sentences must be read whole."""
    where = st if container is None else container
    if frame.empty:
        where.caption(t(empty))
        return None
    if options.get("row_height"):
        frame = _codes_kept_with_names(frame)
    config: dict[str, Any] = {name: st.column_config.Column(width="large") for name in wide}
    config.update(column_config or {})
    options.setdefault("hide_index", True)
    return where.dataframe(
        frame,
        width="stretch",
        height=height(len(frame), max_rows, options.get("row_height") or ROW_PX),
        placeholder=DASH,
        column_config=config,
        **options,
    )
