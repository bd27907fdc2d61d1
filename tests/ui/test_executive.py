"""The executive page's charts: built from the summary alone, each with only the rows it draws."""

from __future__ import annotations

from typing import Any

import pandas as pd

from hubdash import charts
from hubdash.domain.enums import Status
from hubdash.services.executive import ExecutiveSummary
from hubdash.ui.executive import executive_views


def _data(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return next(iter(spec["datasets"].values()))


def test_executive_views_send_only_the_rows_they_draw() -> None:
    summary = ExecutiveSummary(
        region_id=None,
        as_of=None,
        regions=[],
        counts=dict.fromkeys(Status, 1),
        lights=pd.DataFrame(
            {
                "row": ["北海道"],
                "row_region_id": [1],
                "row_hub_id": [None],
                "goal": ["G1"],
                "status": ["at_risk"],
                "on_track": [40],
                "known": [5],
            }
        ),
        risks=pd.DataFrame(),
        trend=pd.DataFrame([{"fiscal_year": 2024, "quarter": 1, "status": s.value, "targets": 1} for s in Status]),
        achievement=pd.DataFrame([{"fiscal_year": 2024, "quarter": 1, "achievement": 50.0}]),
        pdca=pd.DataFrame(
            [{"row": "北海道", "row_region_id": 1, "row_hub_id": None, "cycles": 4, "closed": 3, "completion": 75.0}]
        ),
    )
    views = executive_views(summary, "en")
    assert set(views) == {"counts", "lights", "trend", "achievement", "pdca"}
    sizes = {name: len(_data(view.chart.to_dict())) for name, view in views.items()}
    assert sizes == {"counts": 4, "lights": 1, "trend": 4, "achievement": 1, "pdca": 1}
    assert all(charts.payload_bytes(view.chart) < 10_000 for view in views.values())
