"""The role table of shared/DOMAIN.md, as require() enforces it."""

from __future__ import annotations

import pytest

from hubdash import i18n
from hubdash.domain.enums import Role
from hubdash.domain.permissions import (
    OPEN_MODE_ADMIN,
    ROLE_PERMISSIONS,
    Actor,
    Permission,
    PermissionDenied,
    allows,
    require,
)

COUNCIL = Actor(name="Sato", role=Role.COUNCIL_MEMBER, region_id=1, organisation_id=10)
MANAGER = Actor(name="Suzuki", role=Role.HUB_MANAGER, region_id=1, hub_ids=frozenset({5}))
VIEWER = Actor(name="Tanaka", role=Role.VIEWER, region_id=1)


def test_admin_may_do_everything() -> None:
    for permission in Permission:
        require(OPEN_MODE_ADMIN, permission, region_id=3, hub_id=9, organisation_id=4)


@pytest.mark.parametrize(
    ("actor", "permission", "allowed"),
    [
        (COUNCIL, Permission.EDIT_VISION, True),
        (COUNCIL, Permission.EDIT_TARGETS, True),
        (COUNCIL, Permission.POST_IDEA, True),
        (COUNCIL, Permission.ENTER_PROGRESS, False),
        (COUNCIL, Permission.MANAGE_USERS, False),
        (MANAGER, Permission.ENTER_PROGRESS, True),
        (MANAGER, Permission.EDIT_PDCA, True),
        (MANAGER, Permission.COMMENT, True),
        (MANAGER, Permission.EDIT_VISION, False),
        (MANAGER, Permission.ENDORSE, False),
        (VIEWER, Permission.READ, True),
        (VIEWER, Permission.EXPORT_REPORTS, True),
        (VIEWER, Permission.COMMENT, False),
        (VIEWER, Permission.ENTER_PROGRESS, False),
    ],
)
def test_role_table(actor: Actor, permission: Permission, allowed: bool) -> None:
    assert allows(actor, permission, region_id=1, hub_id=5, organisation_id=10) is allowed


def test_council_member_acts_only_in_their_region() -> None:
    require(COUNCIL, Permission.EDIT_VISION, region_id=1)
    with pytest.raises(PermissionDenied, match="may not edit the vision") as info:
        require(COUNCIL, Permission.EDIT_VISION, region_id=2)
    assert info.value.permission is Permission.EDIT_VISION


def test_hub_manager_enters_progress_only_for_their_hubs() -> None:
    require(MANAGER, Permission.ENTER_PROGRESS, region_id=1, hub_id=5)
    with pytest.raises(PermissionDenied):
        require(MANAGER, Permission.ENTER_PROGRESS, region_id=1, hub_id=6)
    with pytest.raises(PermissionDenied):
        require(MANAGER, Permission.ENTER_PROGRESS, region_id=1)


def test_endorsement_only_for_ones_own_organisation() -> None:
    require(COUNCIL, Permission.ENDORSE, region_id=1, organisation_id=10)
    with pytest.raises(PermissionDenied):
        require(COUNCIL, Permission.ENDORSE, region_id=1, organisation_id=11)


def test_every_role_has_an_entry_and_viewers_only_read() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert ROLE_PERMISSIONS[Role.VIEWER] == {Permission.READ, Permission.EXPORT_REPORTS, Permission.READ_VERIFICATION}


def test_refusal_message_names_actor_and_permission() -> None:
    with pytest.raises(PermissionDenied) as info:
        require(VIEWER, Permission.EDIT_TARGETS, region_id=1)
    assert str(info.value) == "Tanaka (Viewer) may not edit targets here; nothing was changed."
    assert i18n.message(info.value, "ja") == (
        "Tanaka（閲覧者）には、ここで「目標値の編集」をする権限がありません。何も変更していません。"
    )


PARTICIPANT = Actor(
    name="Yamada (A Univ)", role=Role.WORKSHOP_PARTICIPANT, region_id=1, workshop_id=7, participant_id=3
)


@pytest.mark.parametrize(
    ("permission", "scope", "allowed"),
    [
        (Permission.POST_IDEA, {"region_id": 1, "workshop_id": 7}, True),
        (Permission.VOTE_IDEA, {"region_id": 1, "workshop_id": 7}, True),
        (Permission.VOTE_IDEA, {"region_id": 1, "workshop_id": 8}, False),  # another workshop
        (Permission.VOTE_IDEA, {"region_id": 1}, False),  # no workshop named
        (Permission.POST_IDEA, {"region_id": 2, "workshop_id": 7}, False),  # another region
        (Permission.COMMENT, {"region_id": 1}, True),  # on the vision of the workshop's region
        (Permission.COMMENT, {"region_id": 1, "hub_id": 5}, False),  # not on a hub's PDCA cycle
        (Permission.COMMENT, {}, False),
        (Permission.READ, {"region_id": 1}, False),  # the workshop's pages only
        (Permission.RESOLVE_COMMENT, {"region_id": 1}, False),
        (Permission.EDIT_VISION, {"region_id": 1}, False),
    ],
)
def test_a_workshop_participant_acts_in_their_workshop_only(permission: Permission, scope: dict, allowed: bool) -> None:
    assert allows(PARTICIPANT, permission, **scope) is allowed
    assert PARTICIPANT.key == "participant:3"
