"""Administering accounts and places: roles need their scope, archived places leave the pickers, all audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from hubdash.domain.enums import Role, Sector
from hubdash.domain.errors import UserError
from hubdash.domain.permissions import SYSTEM, PermissionDenied
from hubdash.models import AuditEvent, User
from hubdash.services import audit_log, places, regions, users
from tests import factories


def test_roles_need_their_region_and_hubs(session: Session) -> None:
    region, other = factories.region(session, "r1"), factories.region(session, "r2")
    hub, foreign = factories.hub(session, region.id, "H1"), factories.hub(session, other.id, "H9")
    add = lambda **kw: users.add_user(session=session, actor=SYSTEM, data=users.UserInput(**kw))  # noqa: E731
    with pytest.raises(UserError, match="needs a region"):
        add(username="c", display_name="C", role=Role.COUNCIL_MEMBER)
    with pytest.raises(UserError, match="at least one hub"):
        add(username="m", display_name="M", role=Role.HUB_MANAGER, region_id=region.id)
    with pytest.raises(UserError, match="must belong"):
        add(username="m", display_name="M", role=Role.HUB_MANAGER, region_id=region.id, hub_ids=(foreign.id,))
    with pytest.raises(UserError, match="not a role"):
        add(username="p", display_name="P", role=Role.WORKSHOP_PARTICIPANT, region_id=region.id)
    manager = add(username="m", display_name="M", role=Role.HUB_MANAGER, region_id=region.id, hub_ids=(hub.id,))
    with pytest.raises(UserError, match="taken"):
        add(username="M", display_name="Other", role=Role.VIEWER)
    line = next(u for u in users.list_users(session=session, actor=SYSTEM) if u.id == manager.id)
    assert line.hub_ids == (hub.id,) and not line.has_password


def test_only_administrators_manage_users_and_places(session: Session) -> None:
    region = factories.region(session)
    council = factories.user(session, "c", Role.COUNCIL_MEMBER, region_id=region.id)
    with pytest.raises(PermissionDenied):
        users.list_users(session=session, actor=council)
    with pytest.raises(PermissionDenied):
        places.create_hub(session=session, actor=council, region_id=region.id, code="H5", name="H")
    with pytest.raises(PermissionDenied):
        audit_log.audit_trail(session=session, actor=council, where=audit_log.AuditFilter())


def test_archived_places_keep_their_history_and_leave_the_pickers(session: Session) -> None:
    region = places.create_region(session=session, actor=SYSTEM, code="r9", name="Region 9")
    hub = places.create_hub(session=session, actor=SYSTEM, region_id=region.id, code="H1", name="Hub")  # type: ignore[arg-type]
    places.create_organisation(
        session=session,
        actor=SYSTEM,
        region_id=region.id,
        code="O1",
        name="Org",
        sector=Sector.FINANCE,  # type: ignore[arg-type]
    )
    with pytest.raises(UserError, match="already used"):
        places.create_hub(session=session, actor=SYSTEM, region_id=region.id, code="H1", name="again")  # type: ignore[arg-type]
    places.rename(session=session, actor=SYSTEM, kind="hub", place_id=hub.id, name="Hub renamed")  # type: ignore[arg-type]
    places.set_archived(session=session, actor=SYSTEM, kind="hub", place_id=hub.id, archived=True)  # type: ignore[arg-type]
    assert regions.list_hubs(session=session, region_id=region.id) == []  # type: ignore[arg-type]
    places.set_archived(session=session, actor=SYSTEM, kind="region", place_id=region.id, archived=True)  # type: ignore[arg-type]
    assert region not in regions.list_regions(session=session)
    assert region in regions.list_regions(session=session, include_archived=True)
    kept = places.all_places(session=session, actor=SYSTEM)[0]
    assert kept.hubs[0].name == "Hub renamed" and kept.hubs[0].archived_at is not None
    actions = session.exec(select(AuditEvent.action)).all()
    assert {"region.create", "hub.create", "organisation.create", "hub.rename", "hub.archive", "region.archive"} <= set(
        actions
    )


def test_the_audit_trail_filters_by_who_what_when_and_region(session: Session) -> None:
    one, two = factories.region(session, "r1"), factories.region(session, "r2")
    places.create_hub(session=session, actor=SYSTEM, region_id=one.id, code="H1", name="A")  # type: ignore[arg-type]
    places.create_hub(session=session, actor=SYSTEM, region_id=two.id, code="H2", name="B")  # type: ignore[arg-type]
    users.add_user(session=session, actor=SYSTEM, data=users.UserInput("v", "V", Role.VIEWER))
    session.commit()
    trail = lambda **kw: audit_log.audit_trail(session=session, actor=SYSTEM, where=audit_log.AuditFilter(**kw))  # noqa: E731
    assert len(trail()) == 3
    assert [e.region for e in trail(region_id=two.id)] == ["Region r2"]  # by name
    assert [e.action for e in trail(what="user")] == ["user.add"]
    assert trail(who="nobody") == [] and len(trail(who="SYSTEM")) == 3
    first = trail()[-1].occurred_at
    assert len(trail(since=first)) == 3 and trail(until=first) == []
    assert session.exec(select(User)).one().password_hash is None
