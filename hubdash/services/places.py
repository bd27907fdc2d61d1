"""Regions, hubs and organisations, administered: create, rename, archive (kept with their history, out of pickers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, SQLModel, col, select

from hubdash import audit, db
from hubdash.domain.enums import Sector
from hubdash.domain.errors import NotFound, UserError
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.models import Hub, Organisation, Region, id_of, utcnow

KINDS: dict[str, type[Region] | type[Hub] | type[Organisation]] = {
    "region": Region,
    "hub": Hub,
    "organisation": Organisation,
}


class PlaceInputError(UserError):
    """A code or name that cannot be used: empty, too long, or a code already taken."""


def _code_and_name(code: str, name: str) -> tuple[str, str]:
    code, name = code.strip(), " ".join(name.split())
    if not code or len(code) > 40 or any(ch.isspace() for ch in code):
        raise PlaceInputError("places.error_code", limit=40)
    if not name or len(name) > 200:
        raise PlaceInputError("places.error_name", limit=200)
    return code, name


def _region(session: Session, region_id: int) -> Region:
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound("regions.error_no_region", region=region_id)
    return region


def _taken(session: Session, model: type[SQLModel], code: str, region_id: int | None) -> None:
    query = select(model).where(model.code == code)  # type: ignore[attr-defined]  # every place has a code
    if region_id is not None:
        query = query.where(model.region_id == region_id)  # type: ignore[attr-defined]  # hubs, organisations
    if session.exec(query).first() is not None:
        raise PlaceInputError("places.error_code_taken", code=code)


def create_region(*, session: Session, actor: Actor, code: str, name: str) -> Region:
    """A new region."""
    db.lock_for_write(session)
    require(actor, Permission.MANAGE_REGIONS)
    code, name = _code_and_name(code, name)
    _taken(session, Region, code, None)
    region = Region(code=code, name=name)
    session.add(region)
    audit.record(session, actor, "region.create", region)
    return region


def create_hub(*, session: Session, actor: Actor, region_id: int, code: str, name: str) -> Hub:
    """A new hub in a region."""
    db.lock_for_write(session)
    require(actor, Permission.MANAGE_REGIONS, region_id=region_id)
    _region(session, region_id)
    code, name = _code_and_name(code, name)
    _taken(session, Hub, code, region_id)
    hub = Hub(region_id=region_id, code=code, name=name)
    session.add(hub)
    audit.record(session, actor, "hub.create", hub)
    return hub


def create_organisation(
    *, session: Session, actor: Actor, region_id: int, code: str, name: str, sector: Sector, council_member: bool = True
) -> Organisation:
    """A new organisation of a region."""
    db.lock_for_write(session)
    require(actor, Permission.MANAGE_REGIONS, region_id=region_id)
    _region(session, region_id)
    code, name = _code_and_name(code, name)
    _taken(session, Organisation, code, region_id)
    row = Organisation(region_id=region_id, code=code, name=name, sector=Sector(sector), council_member=council_member)
    session.add(row)
    audit.record(session, actor, "organisation.create", row)
    return row


def _place(session: Session, kind: str, place_id: int) -> Region | Hub | Organisation:
    model = KINDS.get(kind)
    row = session.get(model, place_id) if model else None
    if not isinstance(row, Region | Hub | Organisation):
        raise NotFound("places.error_not_found", kind=kind, id=place_id)
    return row


def _region_of(row: Region | Hub | Organisation) -> int | None:
    return row.id if isinstance(row, Region) else row.region_id


def rename(*, session: Session, actor: Actor, kind: str, place_id: int, name: str) -> Region | Hub | Organisation:
    """Give a region, hub or organisation ("region" | "hub" | "organisation") a new name."""
    db.lock_for_write(session)
    row = _place(session, kind, place_id)
    require(actor, Permission.MANAGE_REGIONS, region_id=_region_of(row))
    _, name = _code_and_name(row.code, name)
    before = audit.snapshot(row)
    row.name = name
    session.add(row)
    audit.record(session, actor, f"{kind}.rename", row, region_id=_region_of(row), before=before)
    return row


def set_archived(
    *, session: Session, actor: Actor, kind: str, place_id: int, archived: bool
) -> Region | Hub | Organisation:
    """Archive a region, hub or organisation (its history stays; pickers leave it out), or bring it back."""
    db.lock_for_write(session)
    row = _place(session, kind, place_id)
    require(actor, Permission.MANAGE_REGIONS, region_id=_region_of(row))
    if (row.archived_at is not None) == archived:
        return row
    before = audit.snapshot(row)
    row.archived_at = utcnow() if archived else None
    session.add(row)
    action = f"{kind}.archive" if archived else f"{kind}.unarchive"
    audit.record(session, actor, action, row, region_id=_region_of(row), before=before)
    return row


@dataclass(frozen=True)
class RegionPlaces:
    """A region with all its hubs and organisations, archived ones included."""

    region: Region
    hubs: list[Hub]
    organisations: list[Organisation]


def all_places(*, session: Session, actor: Actor) -> list[RegionPlaces]:
    """Every region with its hubs and organisations, for the administration page."""
    require(actor, Permission.MANAGE_REGIONS)
    hubs: dict[int, list[Hub]] = defaultdict(list)
    for hub in session.exec(select(Hub).order_by(col(Hub.code))).all():
        hubs[hub.region_id].append(hub)
    organisations: dict[int, list[Organisation]] = defaultdict(list)
    for organisation in session.exec(select(Organisation).order_by(col(Organisation.code))).all():
        organisations[organisation.region_id].append(organisation)
    return [
        RegionPlaces(region, hubs[id_of(region)], organisations[id_of(region)])
        for region in session.exec(select(Region).order_by(col(Region.code))).all()
    ]
