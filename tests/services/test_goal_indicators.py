"""The indicators shown under each goal of the vision: their targets rolled up, as of the latest complete quarter."""

from __future__ import annotations

from sqlmodel import Session

from hubdash.domain.enums import Status
from hubdash.services.vision import goal_indicators
from tests import factories


def test_an_indicator_stands_by_the_roll_up_of_its_targets_at_the_latest_complete_quarter(session: Session) -> None:
    region = factories.region(session)
    goal = factories.goal(session, region.id, "G1")
    k01 = factories.indicator(session, region.id, "K01", goal_id=goal.id)
    hubs = [factories.hub(session, region.id, code) for code in ("H1", "H2", "H3")]
    for hub in hubs:
        factories.target(session, k01, hub)  # 0 -> 100 from FY2023Q4 to FY2027Q4: 6.25 by FY2024Q1
    for hub, value in zip(hubs, (7, 8, 0), strict=True):
        factories.quarterly_values(session, hub, k01, {"FY2024Q1": value})
        factories.submitted(session, hub, "FY2024Q1")
    factories.quarterly_values(session, hubs[0], k01, {"FY2024Q2": 0})  # entered, not submitted: not counted yet
    session.commit()
    [indicator] = goal_indicators(session=session, region_id=region.id)["G1"]
    assert indicator.status is Status.ON_TRACK  # two of three on track; the worst of them would read off track
