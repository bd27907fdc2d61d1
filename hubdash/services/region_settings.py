"""A region's own choices: its achievement rating scale (effect verification) and whether summaries count a
quarter complete only once the secretariat has confirmed it (quarterly sign-off)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from hubdash import audit, db
from hubdash.domain.errors import EditConflict, NotFound
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.domain.rating import DEFAULT_SCALE, RatingScale
from hubdash.models import Region, RegionSetting, utcnow


@dataclass(frozen=True)
class RegionSettings:
    """What a region has chosen (the defaults until it chooses): its scale and whether to wait for the sign-off."""

    region_id: int
    rating_scale: RatingScale
    confirmed_only: bool
    version: int  # 0: nothing stored yet


def region_settings(*, session: Session, region_id: int) -> RegionSettings:
    """The region's settings, or the defaults (scale A–D, every submitted quarter counts)."""
    row = session.get(RegionSetting, region_id)
    if row is None:
        return RegionSettings(region_id, DEFAULT_SCALE, False, 0)
    scale = RatingScale.from_json(row.rating_scale) if row.rating_scale else DEFAULT_SCALE
    return RegionSettings(region_id, scale, row.confirmed_only, row.version)


def _save(session: Session, actor: Actor, region_id: int, version: int, values: dict[str, Any]) -> RegionSetting:
    if session.get(Region, region_id) is None:
        raise NotFound("regions.error_no_region", region=region_id)
    row = session.get(RegionSetting, region_id)
    before = audit.snapshot(row)
    now = utcnow()
    if row is None:
        # the first save: the region's row is created here, or by whoever saved first (then: a conflict)
        created = db.add_unique(
            session, RegionSetting(region_id=region_id, updated_at=now, updated_by_name=actor.name, **values)
        )
        row = session.get(RegionSetting, region_id)
        assert row is not None
        if not created or version != 0:
            raise EditConflict(f"region {region_id}", current_version=row.version, theirs=audit.snapshot(row))
    elif not db.update_checked(
        session,
        RegionSetting,
        where={"region_id": region_id},
        version=version,
        values={**values, "updated_at": now, "updated_by_name": actor.name},
    ):
        session.refresh(row)
        raise EditConflict(f"region {region_id}", current_version=row.version, theirs=audit.snapshot(row))
    session.refresh(row)
    audit.record(session, actor, "region_setting.update", row, entity_id=region_id, before=before)
    return row


def set_rating_scale(
    *, session: Session, actor: Actor, region_id: int, scale: RatingScale, version: int
) -> RegionSettings:
    """The region's achievement scale for its effect verifications (published ones keep the scale they used)."""
    db.lock_for_write(session)
    require(actor, Permission.EDIT_VERIFICATION, region_id=region_id)
    _save(session, actor, region_id, version, {"rating_scale": scale.to_json()})
    return region_settings(session=session, region_id=region_id)


def set_confirmed_only(
    *, session: Session, actor: Actor, region_id: int, confirmed_only: bool, version: int
) -> RegionSettings:
    """Whether the region's summaries count a quarter complete only once the secretariat has confirmed it."""
    db.lock_for_write(session)
    require(actor, Permission.SIGN_OFF, region_id=region_id)
    _save(session, actor, region_id, version, {"confirmed_only": confirmed_only})
    return region_settings(session=session, region_id=region_id)
