"""Configuration: one TOML file, validated; every plugin validates its own section.

Where things come from, first match wins:

* the file: ``--config PATH``, else ``$RAI_CONFIG``, else ``$XDG_CONFIG_HOME/rai-assistant/config.toml``
  when it exists; no file means defaults;
* the data directory (drafts, audit log, policy index): ``$RAI_DATA_DIR``, else ``data_dir`` in the
  file, else the user data directory (``$XDG_DATA_HOME/rai-assistant``);
* the model: ``--model``, else ``$RAI_MODEL``, else ``model`` in the file, else ``local``;
* the Chroma server: ``$RAI_CHROMA_URL``, else ``chroma_url`` in the file, else the embedded index;
* the database (drafts, audit log, API keys): ``$RAI_DATABASE_URL``, else ``database_url`` in the
  file (``postgresql+psycopg://USER:PASSWORD@HOST/DB``), else SQLite in the data directory.

Example::

    model = "openai:gpt-4o-mini"

    [guards.quality]
    enabled = false
    reason = "Team pilots its own writing-quality checks (ticket HR-214)."

    [plugins.rate_limit]
    per_user_per_hour = 60
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rai_assistant.errors import ConfigError

__all__ = ["AppConfig", "GuardSetting", "OIDCSettings", "ServerSettings", "load_config", "plugin_section"]

M = TypeVar("M", bound=BaseModel)


class GuardSetting(BaseModel):
    """Per-guard switches. Turning a guard off needs a written reason, which is audited."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    reason: str = ""
    timeout: float | None = Field(default=None, gt=0, le=300)


_ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})


class OIDCSettings(BaseModel):
    """``[server.oidc]``: accept bearer tokens (JWTs) of one identity provider.

    Keys come from ``jwks_file`` or ``jwks_url`` (fetched, cached, fetched again when a token
    names an unknown key id). Only asymmetric algorithms are accepted; ``exp``, ``nbf``, ``iss``
    and ``aud`` are checked. The tenant, name and roles are read from the claims named here.
    """

    model_config = ConfigDict(extra="forbid")

    issuer: str = Field(min_length=1)
    audience: str = Field(min_length=1)
    jwks_url: str | None = None
    jwks_file: Path | None = None
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"], min_length=1)
    tenant_claim: str = "tenant"
    name_claim: str = "name"
    roles_claim: str = "roles"
    leeway: float = Field(default=30.0, ge=0, le=300)
    jwks_cache_seconds: float = Field(default=600.0, ge=0)

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, algorithms: list[str]) -> list[str]:
        bad = sorted(set(algorithms) - _ASYMMETRIC)
        if bad:
            raise ValueError(
                f"algorithm(s) {', '.join(bad)} are not allowed: use asymmetric ones "
                f"({', '.join(sorted(_ASYMMETRIC))}); a shared secret would let any holder mint tokens"
            )
        return algorithms

    @model_validator(mode="after")
    def _one_key_source(self) -> OIDCSettings:
        if (self.jwks_url is None) == (self.jwks_file is None):
            raise ValueError("set exactly one of jwks_url or jwks_file under [server.oidc]")
        return self


class ServerSettings(BaseModel):
    """``[server]``: how ``rai serve`` admits, limits and runs requests."""

    model_config = ConfigDict(extra="forbid")

    #: Host headers the server answers to (anything else is 400).
    allowed_hosts: list[str] = Field(default_factory=lambda: ["localhost", "127.0.0.1", "testserver"], min_length=1)
    #: Model names a client may ask for; empty means only the configured default ``model``.
    models: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=64 * 1_048_576)
    #: Token bucket per principal: sustained requests per minute and the burst on top.
    rate_per_minute: float = Field(default=120.0, gt=0)
    rate_burst: int = Field(default=30, ge=1)
    #: Threads running drafts and decisions, and how many more may wait before answering 503.
    workers: int = Field(default=4, ge=1, le=256)
    queue: int = Field(default=16, ge=0, le=10_000)
    #: ``/metrics`` without a key (for a scraper on a private network); else auditor or admin.
    metrics_public: bool = False
    oidc: OIDCSettings | None = None


class AppConfig(BaseModel):
    """The application's settings. Unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    model: str = "local"
    data_dir: Path | None = None
    chroma_url: str | None = None
    database_url: str | None = None
    #: Seconds a draft waits for the model before giving up (503 to an HTTP client).
    model_timeout: float = Field(default=30.0, gt=0, le=3600)
    revise: bool = True
    max_request_chars: int = Field(default=20_000, ge=100, le=1_000_000)
    retrieved_clauses: int = Field(default=3, ge=1, le=10)
    guards: dict[str, GuardSetting] = Field(default_factory=dict)
    plugins: dict[str, dict[str, Any]] = Field(default_factory=dict)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @field_validator("guards")
    @classmethod
    def _reason_for_off(cls, guards: dict[str, GuardSetting]) -> dict[str, GuardSetting]:
        for name, setting in guards.items():
            if not setting.enabled and len(setting.reason.strip()) < 10:
                raise ValueError(
                    f"guard {name!r} is disabled without a reason: add "
                    f'reason = "..." (at least 10 characters) under [guards.{name}]'
                )
        return guards

    def resolved_data_dir(self) -> Path:
        env = os.environ.get("RAI_DATA_DIR")
        if env:
            return Path(env).expanduser()
        if self.data_dir is not None:
            return self.data_dir.expanduser()
        from platformdirs import user_data_dir

        return Path(user_data_dir("rai-assistant", appauthor=False))

    def policy_dir(self) -> Path:
        """Where ``rai policy add`` keeps a company's own policy files."""
        return self.resolved_data_dir() / "policies"

    def resolved_chroma_url(self) -> str | None:
        return os.environ.get("RAI_CHROMA_URL") or self.chroma_url

    def resolved_database_url(self) -> str | None:
        """The database URL, or ``None`` for SQLite in the data directory."""
        return os.environ.get("RAI_DATABASE_URL") or self.database_url

    def served_models(self) -> list[str]:
        """The model names an HTTP client may ask for: ``[server] models``, else the default model."""
        return list(self.server.models) or [self.model]

    def guard(self, name: str) -> GuardSetting:
        return self.guards.get(name, GuardSetting())


def _default_config_path() -> Path | None:
    env = os.environ.get("RAI_CONFIG")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "rai-assistant" / "config.toml"
    return path if path.is_file() else None


def load_config(path: str | Path | None = None, **overrides: Any) -> AppConfig:
    """Read and validate the configuration; raise :class:`ConfigError` saying what to fix."""
    file = Path(path).expanduser() if path is not None else _default_config_path()
    data: dict[str, Any] = {}
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file {file} does not exist: create it or unset RAI_CONFIG") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {file} is not valid TOML: {exc}") from exc
    env_model = os.environ.get("RAI_MODEL")
    if env_model:
        data["model"] = env_model
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return AppConfig.model_validate(data)
    except ValidationError as exc:
        where = f" in {file}" if file else ""
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid configuration{where}: {problems}") from exc


def plugin_section(config: AppConfig, name: str, schema: type[M]) -> M:
    """Validate the ``[plugins.NAME]`` section with the plugin's own pydantic schema."""
    try:
        return schema.model_validate(config.plugins.get(name, {}))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid [plugins.{name}] section: {problems}") from exc
