"""The endorsement tables: coverage by sector for the chart, and every council organisation's endorsement."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hubdash.services import vision as svc
from hubdash.ui import fmt
from hubdash.ui.session import label, t
from hubdash.ui.tables import row_px_to_fit, table


def coverage_frame(coverage: list[svc.SectorCoverage]) -> pd.DataFrame:
    """One row per sector and endorsement state (current | earlier | none), for charts.endorsement_coverage."""
    return pd.DataFrame(
        [
            {"sector": c.sector.value, "state": state, "organisations": getattr(c, state)}
            for c in coverage
            for state in ("current", "earlier", "none")
        ],
        columns=["sector", "state", "organisations"],
    )


def _state(r: svc.EndorsementRow, latest: int | None) -> str:
    if r.is_current and r.revision_number != latest:
        return t("vision_journeys.endorsed_carried", number=r.revision_number)
    if r.is_current:
        return t("vision.endorsed")
    if r.revision_number:
        return t("vision.endorsed_earlier", number=r.revision_number)
    return t("vision.not_endorsed")


def endorsement_table(coverage: svc.Coverage) -> None:
    """Every council organisation with its endorsement state, person, time and comment, all rows in view."""
    rows = coverage.rows
    frame = pd.DataFrame(
        {
            t("col.organisation"): [r.organisation for r in rows],
            t("col.sector"): [label(r.sector) for r in rows],
            t("col.endorsement"): [_state(r, coverage.latest) for r in rows],
            t("col.person"): [r.person_name for r in rows],
            t("col.when"): [fmt.when(r.endorsed_at, with_time=False) if r.endorsed_at else "" for r in rows],
            t("vision.endorse_comment"): [r.comment for r in rows],
        }
    )
    # every column in view at 1400 px; names and comments read whole, on more lines if need be
    widths = dict(zip(frame.columns, (215, 115, 150, 150, 85, 225), strict=True))
    table(
        frame,
        max_rows=20,
        column_config={c: st.column_config.TextColumn(width=w) for c, w in widths.items()},
        row_height=row_px_to_fit(frame, widths),
    )
