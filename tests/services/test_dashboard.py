"""The dashboard's fiscal-year view of a flow target: the year to date against its (seasonal) expected path."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from hubdash.domain.enums import Accumulation, Measure
from hubdash.services.dashboard import fiscal_year_paths
from tests import factories


@pytest.fixture
def flow(session: Session) -> dict:
    region = factories.region(session, "r1")
    hub = factories.hub(session, region.id, "H1", name="素材拠点")
    k01 = factories.indicator(session, region.id, "K01", measure=Measure.FLOW)
    # 10 a year by FY2024 (0 -> 40 over four years), most of it in January to March
    factories.target(session, k01, hub, target_value=40.0, profile=[0.1, 0.25, 0.45, 1.0])
    factories.target(session, k01, None, target_value=40.0, accumulation=Accumulation.CUMULATIVE)
    factories.quarterly_values(session, hub, k01, {"FY2024Q1": 1, "FY2024Q2": 2})
    session.commit()
    return {"region": region, "hub": hub, "k01": k01}


def test_a_flow_targets_year_runs_from_zero_along_its_profile(session: Session, flow: dict) -> None:
    year = fiscal_year_paths(session=session, region_id=flow["region"].id, indicator_id=flow["k01"].id)
    assert year.fiscal_year == 2024 and year.as_of is not None and year.as_of.quarter == 2
    hub = year.frame[year.frame.panel == "H1 素材拠点"]
    assert list(hub["x"]) == [0, 1, 2, 3, 4]
    assert list(hub["expected"]) == [0.0, 1.0, 2.5, 4.5, 10.0]
    assert list(hub["actual"].fillna(-1)) == [0.0, 1.0, 3.0, -1, -1]  # Q3 and Q4 are not known yet
    assert list(hub["status"]) == ["no_data", "on_track", "on_track", "no_data", "no_data"]
    assert set(hub["year_total"]) == {10.0} and set(hub["profile"]) == {"10/25/45/100"}
    # the region-wide target is cumulative and straight: this year's part of it, a quarter of 10 a quarter
    region = year.frame[year.frame.panel == ""]
    assert list(region["expected"]) == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert list(region["actual"].fillna(-1))[:3] == [0.0, 1.0, 3.0]


def test_a_level_indicator_has_no_year_view(session: Session, flow: dict) -> None:
    level = factories.indicator(session, flow["region"].id, "K02")
    factories.target(session, level, flow["hub"])
    session.commit()
    year = fiscal_year_paths(session=session, region_id=flow["region"].id, indicator_id=level.id, fiscal_year=2024)
    assert year.frame.empty
