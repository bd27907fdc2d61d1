"""Read-only tables that show what they hold: every row (up to a limit, then the table scrolls), a dash for a
missing value, widths that keep the columns in view, and a line of text instead of an empty grid (Streamlit's
own empty grid reads "empty" in every language)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from hubdash.fmt import DASH
from hubdash.ui.session import t

ROW_PX = 35  # Streamlit's row height; the header row has the same
MAX_ROWS = 25  # rows shown before a table scrolls: a region's 25 indicators fit


WRAP_PX = 84  # rows taller than 4rem wrap their text (here three lines): long sentences are read whole


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
