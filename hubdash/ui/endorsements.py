"""The endorsement tables: coverage by sector for the chart, and every council organisation's endorsement."""

from __future__ import annotations

import pandas as pd

from hubdash.services import vision as svc
from hubdash.ui import fmt
from hubdash.ui.session import label, t


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


def endorsement_table(rows: list[svc.EndorsementRow]) -> pd.DataFrame:
    """Every council organisation with its endorsement state, person, time and comment."""
    return pd.DataFrame(
        {
            t("col.organisation"): [r.organisation for r in rows],
            t("col.sector"): [label(r.sector) for r in rows],
            t("col.endorsement"): [
                t("vision.endorsed")
                if r.is_current
                else t("vision.endorsed_earlier", number=r.revision_number)
                if r.revision_number
                else t("vision.not_endorsed")
                for r in rows
            ],
            t("col.person"): [r.person_name for r in rows],
            t("col.when"): [fmt.when(r.endorsed_at) if r.endorsed_at else "" for r in rows],
            t("vision.endorse_comment"): [r.comment for r in rows],
        }
    )
