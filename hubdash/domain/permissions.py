"""Who may do what: the role table of shared/DOMAIN.md and the one check every mutating service calls."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubdash.domain.enums import Permission, Role
from hubdash.domain.errors import UserError

__all__ = ["Actor", "Permission", "PermissionDenied", "allows", "require"]


_READER = frozenset({Permission.READ, Permission.EXPORT_REPORTS})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COUNCIL_MEMBER: _READER
    | {
        Permission.EDIT_VISION,
        Permission.ENDORSE,
        Permission.COMMENT,
        Permission.POST_IDEA,
        Permission.VOTE_IDEA,
        Permission.FACILITATE_WORKSHOP,
        Permission.EDIT_INDICATORS,
        Permission.EDIT_TARGETS,
    },
    Role.HUB_MANAGER: _READER
    | {
        Permission.COMMENT,
        Permission.POST_IDEA,
        Permission.VOTE_IDEA,
        Permission.ENTER_PROGRESS,
        Permission.EDIT_PDCA,
    },
    Role.VIEWER: _READER,
}

# Permissions that act on one hub: a hub manager holds them only for the hubs in their scope.
HUB_SCOPED = frozenset({Permission.ENTER_PROGRESS, Permission.EDIT_PDCA})


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

    @property
    def key(self) -> str:
        """A stable identity for drafts, presence and votes."""
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
) -> bool:
    """Whether the actor holds the permission for that region, hub and organisation."""
    if permission not in ROLE_PERMISSIONS[actor.role]:
        return False
    if actor.role is Role.ADMIN:
        return True
    if region_id is not None and actor.region_id is not None and region_id != actor.region_id:
        return False
    if permission in HUB_SCOPED and actor.role is Role.HUB_MANAGER:
        if hub_id is None or hub_id not in actor.hub_ids:
            return False
    if permission is Permission.ENDORSE and organisation_id is not None:
        return actor.organisation_id == organisation_id
    return True


def require(
    actor: Actor,
    permission: Permission,
    *,
    region_id: int | None = None,
    hub_id: int | None = None,
    organisation_id: int | None = None,
) -> None:
    """Raise PermissionDenied unless the actor holds the permission for that region, hub and organisation."""
    if not allows(actor, permission, region_id=region_id, hub_id=hub_id, organisation_id=organisation_id):
        scope = "".join(
            f" {name}={value}"
            for name, value in (("region", region_id), ("hub", hub_id), ("organisation", organisation_id))
            if value is not None
        )
        raise PermissionDenied(actor, permission, f" ({scope.strip()})" if scope else "")
