"""Authentication for the HTTP service: authenticators, rate limits and FastAPI dependencies.

``create_app`` puts an :class:`~rai_assistant.identity.Authenticator` on ``app.state.authenticator``
(usually :func:`build_authenticator`: API keys, plus OIDC bearer tokens where ``[server.oidc]`` is
configured) and a :class:`RateLimiter` on ``app.state.rate_limiter``. Routes declare what they
need with ``Depends(require(Role.WRITER))`` (or ``Depends(current_principal)`` for any role).
A missing or bad credential is 401, a valid one without the role is 403, a principal over its
request rate is 429 with ``Retry-After``.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from rai_assistant.errors import BusyError, ConfigError
from rai_assistant.identity import Authenticator, AuthError, ForbiddenError, Principal, Role
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from rai_assistant.app import Assistant
    from rai_assistant.config import OIDCSettings
    from rai_assistant.keys import KeyStore

__all__ = [
    "ChainAuthenticator",
    "KeyAuthenticator",
    "OIDCAuthenticator",
    "RateLimiter",
    "build_authenticator",
    "current_principal",
    "require",
]

_KEY_PREFIX = "rai_"
_JWKS_REFRESH_MIN = 30.0  # seconds between fetches forced by unknown key ids


def _bearer(authorization: str) -> str:
    value = authorization.strip()
    if not value:
        raise AuthError(
            "no credential given: send 'Authorization: Bearer <API key>' (create a key with `rai keys create`)"
        )
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header must read 'Bearer <API key or token>'")
    return token.strip()


# ---------------------------------------------------------------- API keys


class KeyAuthenticator:
    """``Authorization: Bearer rai_<key id>_<secret>`` checked against the key store."""

    def __init__(self, keys: KeyStore) -> None:
        self.keys = keys

    def authenticate(self, authorization: str) -> Principal:
        return self.keys.authenticate(_bearer(authorization))


# ---------------------------------------------------------------- OIDC bearer tokens


class OIDCAuthenticator:
    """JWTs of one identity provider, verified with its published keys (JWKS).

    Keys are read from a file or fetched from a URL (cached; fetched again, at most every 30 s,
    when a token names a key id the cache does not hold, which is how providers rotate keys).
    """

    def __init__(
        self,
        settings: OIDCSettings,
        *,
        fetch: Callable[[str], Mapping[str, Any]] | None = None,
        refresh_interval: float = _JWKS_REFRESH_MIN,
    ) -> None:
        self.settings = settings
        self._fetch = fetch or _fetch_jwks
        self._refresh_interval = refresh_interval
        self._lock = threading.Lock()
        self._keys: dict[str, Any] = {}
        self._loaded_at = -math.inf

    def _load(self) -> None:
        s = self.settings
        if s.jwks_file is not None:
            try:
                data = json.loads(Path(s.jwks_file).expanduser().read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"cannot read the JWKS file {s.jwks_file}: {exc}") from exc
        else:
            data = dict(self._fetch(str(s.jwks_url)))
        import jwt

        try:
            jwks = jwt.PyJWKSet.from_dict(data)
        except jwt.PyJWTError as exc:
            raise ConfigError(f"the JWKS of {s.issuer} has no usable keys: {exc}") from exc
        self._keys = {k.key_id or "": k for k in jwks.keys}
        self._loaded_at = time.monotonic()

    def _key(self, kid: str) -> Any:
        with self._lock:
            now = time.monotonic()
            stale = now - self._loaded_at > self.settings.jwks_cache_seconds
            unknown = kid not in self._keys and now - self._loaded_at >= self._refresh_interval
            if stale or unknown:
                self._load()
            key = self._keys.get(kid)
            if key is None and not kid and len(self._keys) == 1:
                key = next(iter(self._keys.values()))
        if key is None:
            raise AuthError("the token was signed with a key the identity provider does not publish")
        return key

    def authenticate(self, authorization: str) -> Principal:
        import jwt

        s = self.settings
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError("the bearer token is not a valid JWT") from exc
        alg = header.get("alg")
        if alg not in s.algorithms:
            raise AuthError(f"tokens signed with {alg!r} are not accepted; expected {', '.join(s.algorithms)}")
        key = self._key(str(header.get("kid") or ""))
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=list(s.algorithms),
                audience=s.audience,
                issuer=s.issuer,
                leeway=s.leeway,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("the bearer token has expired: sign in again") from exc
        except jwt.PyJWTError as exc:
            raise AuthError(f"the bearer token was refused ({type(exc).__name__}): sign in again") from exc
        tenant = claims.get(s.tenant_claim)
        if not isinstance(tenant, str) or not tenant.strip():
            raise AuthError(f"the token has no {s.tenant_claim!r} claim naming the tenant; ask your administrator")
        raw_roles = claims.get(s.roles_claim, [])
        if isinstance(raw_roles, str):
            raw_roles = raw_roles.split()
        known = {r.value for r in Role}
        roles = frozenset(Role(r) for r in raw_roles if isinstance(r, str) and r in known) if isinstance(raw_roles, list) else frozenset()
        name = claims.get(s.name_claim, "")
        return Principal(
            tenant=tenant.strip(),
            subject=f"oidc:{claims['sub']}",
            name=name.strip()[:100] if isinstance(name, str) else "",
            roles=roles,
            via="oidc",
        )


def _fetch_jwks(url: str) -> Mapping[str, Any]:
    import httpx

    try:
        response = httpx.get(url, timeout=5.0, follow_redirects=False)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise AuthError(f"cannot fetch the identity provider's keys from {url}; try again later") from exc
    if not isinstance(data, dict):
        raise AuthError(f"the identity provider's keys at {url} are not a JWKS document")
    return data


# ---------------------------------------------------------------- picking by token shape


class ChainAuthenticator:
    """API keys (``rai_...``) go to the key store, JWTs (three dot-separated parts) to OIDC."""

    def __init__(self, keys: Authenticator | None = None, oidc: Authenticator | None = None) -> None:
        self.keys = keys
        self.oidc = oidc

    def authenticate(self, authorization: str) -> Principal:
        token = _bearer(authorization)
        if token.startswith(_KEY_PREFIX) and self.keys is not None:
            return self.keys.authenticate(authorization)
        if token.count(".") == 2 and self.oidc is not None:
            return self.oidc.authenticate(authorization)
        accepted = " or ".join(
            w for w, on in (("an API key (rai_...)", self.keys), ("an OIDC token", self.oidc)) if on
        )
        raise AuthError(f"the credential is not recognised: send {accepted or 'nothing; no sign-in is set up'}")


def build_authenticator(assistant: Assistant) -> ChainAuthenticator:
    """API keys from the assistant's database, and OIDC tokens when ``[server.oidc]`` is set."""
    from rai_assistant.keys import KeyStore

    oidc = assistant.config.server.oidc
    return ChainAuthenticator(
        keys=KeyAuthenticator(KeyStore.for_assistant(assistant)),
        oidc=OIDCAuthenticator(oidc) if oidc is not None else None,
    )


# ---------------------------------------------------------------- rate limits


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    """In-memory token buckets: ``per_minute`` sustained, ``burst`` at once, per key."""

    def __init__(self, per_minute: float, burst: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, cost: float = 1.0) -> float:
        """Spend ``cost`` tokens; return 0, or the seconds to wait when the bucket is empty."""
        now = self._clock()
        with self._lock:
            if len(self._buckets) > 100_000:  # forget idle callers rather than grow without bound
                self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < 3600}
            bucket = self._buckets.setdefault(key, _Bucket(self.burst, now))
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            if bucket.tokens >= cost:
                bucket.tokens -= cost
                return 0.0
            return (cost - bucket.tokens) / self.rate

    def check(self, key: str, cost: float = 1.0) -> None:
        wait = self.take(key, cost)
        if wait > 0:
            raise BusyError(
                f"too many requests: wait {math.ceil(wait)} s and try again", status=429, retry_after=wait
            )


# ---------------------------------------------------------------- dependencies


async def current_principal(request: Request) -> Principal:
    """The principal proven by the request's ``Authorization`` header (401 when none).

    Counts the request against the principal's rate limit (429 past it); failed sign-ins count
    against the caller's address, so hammering the key check is limited too.
    """
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    authenticator: Authenticator | None = getattr(request.app.state, "authenticator", None)
    if authenticator is None:
        raise AuthError("this server has no authenticator configured; every request is refused")
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    address = request.client.host if request.client else "unknown"
    try:
        # Key lookups and JWKS fetches block: keep them off the event loop.
        principal = await run_in_threadpool(authenticator.authenticate, request.headers.get("authorization", ""))
    except AuthError:
        if limiter is not None:
            limiter.check(f"addr:{address}")
        raise
    if limiter is not None:
        limiter.check(f"principal:{principal.tenant}\x00{principal.subject}")
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that admits principals holding any of ``roles`` (admin counts as writer/reviewer)."""

    async def dependency(request: Request) -> Principal:
        principal = await current_principal(request)
        if roles and not principal.has(*roles):
            wanted = " or ".join(r.value for r in roles)
            raise ForbiddenError(f"this action needs the {wanted} role; ask a tenant admin for a key with it")
        return principal

    return dependency
