"""The change log names a target by its indicator and hub (or the whole region), not by a stored id."""

from __future__ import annotations

from sqlmodel import Session

from hubdash import audit, i18n
from hubdash.domain.permissions import SYSTEM
from hubdash.services import audit_log

from .. import factories


def test_a_target_is_named_by_its_indicator_and_its_hub_or_the_whole_region(session: Session) -> None:
    region = factories.region(session, "r1")
    hub = factories.hub(session, region.id, "H1", name="北の拠点")  # type: ignore[arg-type]  # flushed: has an id
    indicator = factories.indicator(session, region.id, "K01", name="共同研究契約件数")  # type: ignore[arg-type]
    for target in (factories.target(session, indicator, hub), factories.target(session, indicator, None)):
        audit.record(session, SYSTEM, "target.update", target, region_id=region.id, before={}, after={})
    session.commit()
    trail = audit_log.audit_trail(session=session, actor=SYSTEM, where=audit_log.AuditFilter(what="target"))
    assert sorted(i18n.render(line.subject, "ja") for line in trail) == [
        "H1 北の拠点 の指標 K01 共同研究契約件数 の目標値",
        "地域全体 の指標 K01 共同研究契約件数 の目標値",
    ]
