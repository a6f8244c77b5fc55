"""Who is asking: roles, principals and the authenticator contract of the service.

A :class:`Principal` is what a credential proves: the tenant, a stable subject id, a display
name and the roles. ``user``, ``tenant`` and ``reviewer`` on the road come from here, never from a
request body. Credentials are API keys (``rai keys create``, hashed at rest) or, where configured,
OIDC bearer tokens; both end up as the same :class:`Principal`.

Roles:

* ``writer``   drafts, and reads, accepts, edits or rejects the drafts they wrote;
* ``reviewer`` reads and decides any draft of the tenant, except one about themselves;
* ``admin``    everything a writer and a reviewer can do in the tenant, and manages its keys;
* ``auditor``  reads the tenant's audit records and metrics; never draft texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from rai_assistant.errors import RaiError

__all__ = ["AuthError", "Authenticator", "ForbiddenError", "Principal", "Role"]


class Role(StrEnum):
    WRITER = "writer"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    AUDITOR = "auditor"


class AuthError(RaiError):
    """No credential, or one that is unknown, revoked, expired or malformed (HTTP 401)."""


class ForbiddenError(RaiError):
    """A valid credential without the right to this action or this object (HTTP 403)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """What a credential proves. ``subject`` is stable (key id or OIDC ``sub``)."""

    tenant: str
    subject: str
    name: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)
    via: str = "key"  # "key" | "oidc"

    def has(self, *roles: Role) -> bool:
        """True when the principal holds any of ``roles`` (admin holds writer and reviewer)."""
        held = set(self.roles)
        if Role.ADMIN in held:
            held |= {Role.WRITER, Role.REVIEWER}
        return any(r in held for r in roles)

    @property
    def label(self) -> str:
        """How the principal is shown to people of its own tenant (never written to the audit log)."""
        return self.name or self.subject


class Authenticator(Protocol):
    """Turns the ``Authorization`` header into a principal, or raises :class:`AuthError`."""

    def authenticate(self, authorization: str) -> Principal: ...
