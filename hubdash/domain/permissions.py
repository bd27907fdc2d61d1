"""Who may do what: the role table of shared/DOMAIN.md and the one check every mutating service calls."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubdash.domain.enums import Permission, Role
from hubdash.domain.errors import UserError

__all__ = ["Actor", "Permission", "PermissionDenied", "allows", "require"]


_READER = frozenset({Permission.READ, Permission.EXPORT_REPORTS, Permission.READ_VERIFICATION})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COUNCIL_MEMBER: _READER
    | {
        Permission.EDIT_VISION,
        Permission.ENDORSE,
        Permission.COMMENT,
        Permission.RESOLVE_COMMENT,
        Permission.POST_IDEA,
        Permission.VOTE_IDEA,
        Permission.FACILITATE_WORKSHOP,
        Permission.EDIT_INDICATORS,
        Permission.EDIT_TARGETS,
        Permission.SIGN_OFF,
        Permission.EDIT_VERIFICATION,
    },
    Role.HUB_MANAGER: _READER
    | {
        Permission.COMMENT,
        Permission.RESOLVE_COMMENT,
        Permission.POST_IDEA,
        Permission.VOTE_IDEA,
        Permission.ENTER_PROGRESS,
        Permission.EDIT_PDCA,
    },
    Role.VIEWER: _READER,
    # no READ: a participant sees only the workshop's pages (the ideas board, presentation, vision)
    Role.WORKSHOP_PARTICIPANT: frozenset({Permission.POST_IDEA, Permission.VOTE_IDEA, Permission.COMMENT}),
    # no READ: an outside expert sees only the effect verifications they are invited to
    Role.OUTSIDE_EXPERT: frozenset({Permission.READ_VERIFICATION, Permission.WRITE_OPINION}),
}

# Permissions that act on one hub: a hub manager holds them only for the hubs in their scope.
HUB_SCOPED = frozenset({Permission.ENTER_PROGRESS, Permission.EDIT_PDCA})
# Permissions that act in one workshop: a participant holds them only in the workshop they joined.
WORKSHOP_SCOPED = frozenset({Permission.POST_IDEA, Permission.VOTE_IDEA})


@dataclass(frozen=True)
class Actor:
    """The person behind a service call: user, role, organisation and scope."""

    name: str
    role: Role
    user_id: int | None = None
    username: str | None = None
    organisation_id: int | None = None
    region_id: int | None = None  # None: every region
    hub_ids: frozenset[int] = field(default_factory=frozenset)
    open_mode: bool = False
    workshop_id: int | None = None  # a workshop participant's one workshop
    participant_id: int | None = None
    session_id: int | None = None  # the server-side sign-in session this actor came from
    verification_ids: frozenset[int] = field(default_factory=frozenset)  # an outside expert's verifications

    @property
    def key(self) -> str:
        """A stable identity for drafts, presence and votes: the account, or the workshop participant."""
        if self.participant_id is not None:
            return f"participant:{self.participant_id}"
        return self.username or f"open:{self.name}"


OPEN_MODE_ADMIN = Actor(name="open-mode administrator", role=Role.ADMIN, username="open-admin", open_mode=True)
# The actor of bulk loads run from the command line (sample data, demo data).
SYSTEM = Actor(name="hubdash (system)", role=Role.ADMIN, username="system")


class PermissionDenied(UserError):
    """Raised by require(); the message says who was refused what (nothing was changed)."""

    def __init__(self, actor: Actor, permission: Permission, detail: str = "") -> None:
        self.actor = actor
        self.permission = permission
        super().__init__(
            "app.permission_denied", name=actor.name, role=actor.role, permission=permission, scope=detail.strip()
        )


def allows(
    actor: Actor,
    permission: Permission,
    *,
    region_id: int | None = None,
    hub_id: int | None = None,
    organisation_id: int | None = None,
    workshop_id: int | None = None,
    verification_id: int | None = None,
) -> bool:
    """Whether the actor holds the permission for that region, hub, organisation, workshop and verification."""
    if permission not in ROLE_PERMISSIONS[actor.role]:
        return False
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.WORKSHOP_PARTICIPANT:
        return _participant_allows(actor, permission, region_id, hub_id, workshop_id)
    if actor.role is Role.OUTSIDE_EXPERT:  # only in the verifications they are invited to, never on a hub
        in_scope = verification_id is not None and verification_id in actor.verification_ids
        return in_scope and hub_id is None and (region_id is None or region_id == actor.region_id)
    if region_id is not None and actor.region_id is not None and region_id != actor.region_id:
        return False
    if permission in HUB_SCOPED and actor.role is Role.HUB_MANAGER:
        if hub_id is None or hub_id not in actor.hub_ids:
            return False
    if permission is Permission.ENDORSE and organisation_id is not None:
        return actor.organisation_id == organisation_id
    return True


def _participant_allows(
    actor: Actor, permission: Permission, region_id: int | None, hub_id: int | None, workshop_id: int | None
) -> bool:
    # only in the region of their workshop, never on a hub's things (PDCA comments), and posting and
    # voting only in the workshop they joined
    if region_id is None or region_id != actor.region_id or hub_id is not None:
        return False
    return permission not in WORKSHOP_SCOPED or (workshop_id is not None and workshop_id == actor.workshop_id)


def require(
    actor: Actor,
    permission: Permission,
    *,
    region_id: int | None = None,
    hub_id: int | None = None,
    organisation_id: int | None = None,
    workshop_id: int | None = None,
    verification_id: int | None = None,
) -> None:
    """Raise PermissionDenied unless the actor holds the permission for that region, hub, organisation, workshop."""
    if not allows(
        actor,
        permission,
        region_id=region_id,
        hub_id=hub_id,
        organisation_id=organisation_id,
        workshop_id=workshop_id,
        verification_id=verification_id,
    ):
        scope = "".join(
            f" {name}={value}"
            for name, value in (
                ("region", region_id),
                ("hub", hub_id),
                ("organisation", organisation_id),
                ("workshop", workshop_id),
                ("verification", verification_id),
            )
            if value is not None
        )
        raise PermissionDenied(actor, permission, f" ({scope.strip()})" if scope else "")
