"""API keys: created by ``rai keys create``, shown once, stored only as a hash.

A token reads ``rai_<key id>_<secret>``: the key id (16 hex characters) is public and names the
key in listings and in the audit log; the secret (32 random bytes, URL-safe base64) is never
stored, only its SHA-256 together with the key id. A high-entropy secret needs no slow hash.
:meth:`KeyStore.authenticate` turns a token (or an ``Authorization: Bearer`` header) into a
:class:`~rai_assistant.identity.Principal` whose ``subject`` is the key id.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rai_assistant.db import Database, api_keys
from rai_assistant.errors import InputError, NotFoundError
from rai_assistant.identity import AuthError, Principal, Role
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from rai_assistant.app import Assistant

__all__ = ["KeyRecord", "KeyStore", "validate_label"]

PREFIX = "rai"
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_TOKEN = re.compile(r"rai_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")
_LAST_USED_EVERY = 60.0  # seconds: at most one write per key per minute
_MAX_LABEL = 100
# Hashed when the key id is unknown, so an unknown key costs the same as a wrong secret.
_DUMMY_HASH = hashlib.sha256(b"rai-assistant unknown key").hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _secret_hash(key_id: str, secret: str) -> str:
    return hashlib.sha256(f"{key_id}:{secret}".encode("ascii")).hexdigest()


def validate_label(value: str, what: str, *, required: bool = True) -> str:
    """A tenant or key name: non-empty (when required), at most 100 printable characters."""
    if not isinstance(value, str):
        raise InputError(f"{what} must be text")
    if required and not value.strip():
        raise InputError(f"{what} is empty: give a short name such as 'acme'")
    if len(value) > _MAX_LABEL:
        raise InputError(f"{what} is {len(value)} characters long: use at most {_MAX_LABEL}")
    if value != value.strip():
        raise InputError(f"{what} starts or ends with spaces: remove them")
    for ch in value:
        category = unicodedata.category(ch)
        # Cc control, Cf format (bidi overrides, zero-width), Co/Cs/Cn unassigned or private, Zl/Zp breaks.
        if category in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"):
            raise InputError(
                f"{what} contains an invisible or control character (U+{ord(ch):04X}): use printable text only"
            )
    return value


def _role(value: str | Role) -> Role:
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InputError(f"unknown role {value!r}: use one of {known}") from None


def _key_id(value: str) -> str:
    if not isinstance(value, str) or not _KEY_ID.fullmatch(value):
        raise InputError(f"{value!r} is not a key id: key ids are 16 hex characters, as `rai keys list` shows")
    return value


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """What is stored about a key, without its secret."""

    key_id: str
    tenant: str
    role: Role
    name: str
    created_at: str
    revoked_at: str | None = None
    last_used_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "tenant": self.tenant,
            "role": self.role.value,
            "name": self.name,
            "created_at": self.created_at,
            "revoked_at": self.revoked_at,
            "last_used_at": self.last_used_at,
            "active": self.active,
        }


def _record(row: Any) -> KeyRecord:
    return KeyRecord(
        key_id=row.key_id,
        tenant=row.tenant,
        role=Role(row.role),
        name=row.name,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


_COLUMNS = (
    api_keys.c.key_id,
    api_keys.c.tenant,
    api_keys.c.role,
    api_keys.c.name,
    api_keys.c.created_at,
    api_keys.c.revoked_at,
    api_keys.c.last_used_at,
)


class KeyStore:
    """Create, list, revoke and check API keys. Also an :class:`~rai_assistant.identity.Authenticator`."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._touched: dict[str, float] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_assistant(cls, assistant: Assistant) -> KeyStore:
        """The key store in the assistant's database (schema brought up to date)."""
        return cls(assistant.database)

    def create(self, tenant: str, role: str | Role, name: str = "") -> tuple[KeyRecord, str]:
        """A new key and its token. The token is returned once and cannot be recovered later."""
        tenant = validate_label(tenant, "tenant")
        name = validate_label(name, "key name", required=False)
        the_role = _role(role)
        key_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        record = KeyRecord(key_id=key_id, tenant=tenant, role=the_role, name=name, created_at=_now())
        try:
            with self.database.begin() as conn:
                conn.execute(
                    api_keys.insert().values(
                        key_id=key_id,
                        tenant=tenant,
                        role=the_role.value,
                        name=name,
                        secret_hash=_secret_hash(key_id, secret),
                        created_at=record.created_at,
                    )
                )
        except SQLAlchemyError as exc:
            raise self.database.error("create the API key", exc) from exc
        return record, f"{PREFIX}_{key_id}_{secret}"

    def list(self, tenant: str | None = None) -> list[KeyRecord]:
        """Keys, newest first; of one tenant when ``tenant`` is given. Never secrets or hashes."""
        query = select(*_COLUMNS).order_by(api_keys.c.created_at.desc(), api_keys.c.key_id)
        if tenant is not None:
            query = query.where(api_keys.c.tenant == validate_label(tenant, "tenant"))
        try:
            with self.database.read() as conn:
                return [_record(r) for r in conn.execute(query)]
        except SQLAlchemyError as exc:
            raise self.database.error("list the API keys", exc) from exc

    def get(self, key_id: str) -> KeyRecord:
        """One key by id; :class:`NotFoundError` when there is none."""
        key_id = _key_id(key_id)
        try:
            with self.database.read() as conn:
                row = conn.execute(select(*_COLUMNS).where(api_keys.c.key_id == key_id)).first()
        except SQLAlchemyError as exc:
            raise self.database.error("read the API key", exc) from exc
        if row is None:
            raise NotFoundError(f"no API key with id {key_id}: see `rai keys list`")
        return _record(row)

    def revoke(self, key_id: str) -> KeyRecord:
        """Revoke a key for good (revoking it again changes nothing); returns the stored record."""
        key_id = _key_id(key_id)
        try:
            with self.database.begin() as conn:
                conn.execute(
                    update(api_keys)
                    .where(and_(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None)))
                    .values(revoked_at=_now())
                )
        except SQLAlchemyError as exc:
            raise self.database.error("revoke the API key", exc) from exc
        return self.get(key_id)

    def authenticate(self, token: str) -> Principal:
        """The principal a token proves; :class:`AuthError` for a missing, malformed, unknown or revoked one.

        Accepts the bare token or an ``Authorization`` header value (``Bearer <token>``).
        """
        value = token.strip() if isinstance(token, str) else ""
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "bearer":
            value = rest.strip()
        if not value:
            raise AuthError("no API key given: send 'Authorization: Bearer rai_...' (create one with `rai keys create`)")
        match = _TOKEN.fullmatch(value)
        if match is None:
            raise AuthError("the API key is malformed: it should look like rai_<key id>_<secret>, as printed once")
        key_id, secret = match.groups()
        try:
            with self.database.read() as conn:
                row = conn.execute(
                    select(api_keys.c.secret_hash, *_COLUMNS).where(api_keys.c.key_id == key_id)
                ).first()
        except SQLAlchemyError as exc:
            raise self.database.error("check the API key", exc) from exc
        stored = row.secret_hash if row is not None else _DUMMY_HASH
        matches = hmac.compare_digest(stored.encode("ascii"), _secret_hash(key_id, secret).encode("ascii"))
        if row is None or not matches:
            raise AuthError("the API key is not known: check it, or ask a tenant admin for a new one")
        if row.revoked_at is not None:
            raise AuthError("the API key was revoked: ask a tenant admin for a new one")
        self._touch(key_id)
        return Principal(
            tenant=row.tenant, subject=key_id, name=row.name, roles=frozenset({Role(row.role)}), via="key"
        )

    def _touch(self, key_id: str) -> None:
        """Record use at most once a minute per key (across processes too, by the WHERE clause)."""
        now = time.monotonic()
        with self._lock:
            last = self._touched.get(key_id)
            if last is not None and now - last < _LAST_USED_EVERY:
                return
            self._touched[key_id] = now
        stamp = datetime.now(UTC)
        cutoff = (stamp - timedelta(seconds=_LAST_USED_EVERY)).isoformat(timespec="seconds")
        try:
            with self.database.begin() as conn:
                conn.execute(
                    update(api_keys)
                    .where(
                        and_(
                            api_keys.c.key_id == key_id,
                            or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at < cutoff),
                        )
                    )
                    .values(last_used_at=stamp.isoformat(timespec="seconds"))
                )
        except SQLAlchemyError as exc:
            raise self.database.error("record the API key's use", exc) from exc
