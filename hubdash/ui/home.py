"""The home page's tables: hubs, goals and sectors of a region, with translated headers."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from hubdash.domain.enums import Sector, Status
from hubdash.domain.status import STATUS_SYMBOLS
from hubdash.services.regions import GoalSummary, HubSummary
from hubdash.ui import fmt
from hubdash.ui.session import label, t
from hubdash.ui.tables import row_px_to_fit, table


def _counts_text(counts: dict[Status, int]) -> str:
    return "  ".join(f"{STATUS_SYMBOLS[s]}{counts.get(s, 0)}" for s in Status)


def hub_table(hubs: list[HubSummary]) -> pd.DataFrame:
    """Hubs with theme, core institution and status counts."""
    return pd.DataFrame(
        {
            t("col.code"): [h.code for h in hubs],
            t("col.hub"): [h.name for h in hubs],
            t("col.theme"): [h.theme for h in hubs],
            t("col.core_institution"): [h.core_institution for h in hubs],
            t("col.statuses"): [_counts_text(h.statuses) for h in hubs],
        }
    )


def hubs(rows: list[HubSummary]) -> None:
    """The hubs table with every column, the status counts included, in view at 1400 px."""
    frame = hub_table(rows)
    widths = dict(zip(frame.columns, (50, 265, 210, 230), strict=False))  # the counts: the rest, about 180 px
    table(
        frame,
        column_config={c: st.column_config.Column(width=w) for c, w in widths.items()} | statuses_column(),
        row_height=row_px_to_fit(frame, widths),
    )


def statuses_column() -> dict[str, Any]:
    """The status counts' column: its symbols explained when the header is pointed at."""
    return {t("col.statuses"): st.column_config.Column(help=t("col.statuses_help"))}


def hub_status_frame(hubs: list[HubSummary]) -> pd.DataFrame:
    """One row per hub and status with the number of targets, for charts.status_by_hub."""
    return pd.DataFrame(
        [
            {"hub": fmt.coded(h.code, h.name), "status": s.value, "count": h.statuses.get(s, 0)}
            for h in hubs
            for s in Status
        ],
        columns=["hub", "status", "count"],
    )


def goal_table(goals: list[GoalSummary]) -> pd.DataFrame:
    """Strategic goals with indicator counts, the goal's roll-up (status, share on track) and status counts."""
    return pd.DataFrame(
        {
            t("col.code"): [g.code for g in goals],
            t("col.goal"): [g.title for g in goals],
            t("col.indicator_count"): [g.indicators for g in goals],
            t("col.status"): [fmt.status(g.rollup.status) for g in goals],
            t("rollup.on_track_share"): [fmt.share(g.rollup.on_track_share) for g in goals],
            t("col.statuses"): [_counts_text(g.statuses) for g in goals],
        }
    )


def sector_table(counts: dict[Sector, int]) -> pd.DataFrame:
    """Organisations per sector."""
    return pd.DataFrame({t("col.sector"): [label(s) for s in counts], t("col.organisations"): list(counts.values())})
