"""The application object: holds the plugin manager, registry, config, stores and the road.

Every interface (Python API, CLI, HTTP API, LangChain runnable) goes through
:meth:`Assistant.draft`, :meth:`Assistant.accept` and :meth:`Assistant.reject`, so no feature and
no interface can leave the road.
"""

from __future__ import annotations

import os
import secrets
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pluggy
from pydantic import BaseModel, ValidationError
from rai_assistant import label as labels
from rai_assistant.audit import AuditLog
from rai_assistant.config import AppConfig, load_config
from rai_assistant.errors import ConfigError, InputError, NotFoundError
from rai_assistant.guarding import StageRunner
from rai_assistant.identity import Principal, Role
from rai_assistant.plugin_manager import Registry, build_plugin_manager, call_each, check_registry, collect
from rai_assistant.store import DraftStore
from rai_assistant.types import (
    ENFORCEABLE_CLAUSES,
    Clause,
    Draft,
    FeatureSpec,
    Finding,
    GuardContext,
    GuardSpec,
    Passage,
    Stage,
)

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.runnables import Runnable
    from rai_assistant.db import Database
    from rai_assistant.enforcement import Enforcement
    from rai_assistant.privacy import Vault
    from rai_assistant.retrieval import PolicyIndex

__all__ = ["Assistant", "VERSION", "DEFAULT_POLICY"]

VERSION = "0.1.0"
DEFAULT_POLICY = "betterworks-rai"
FREE_FEATURE = "free"


def _clean_text(value: str, field: str, limit: int) -> str:
    """Reject what no person types; keep everything else exactly as typed."""
    if "\x00" in value:
        raise InputError(f"{field} contains a NUL character: paste plain text")
    if len(value) > limit:
        raise InputError(
            f"{field} is {len(value):,} characters; the limit is {limit:,}. Shorten it or split it into "
            "several drafts"
        )
    bad = sum(1 for ch in value if unicodedata.category(ch) == "Cs")
    if bad:
        raise InputError(f"{field} contains broken Unicode (lone surrogates): re-copy the text")
    return value


class Assistant:
    """A configured rai-assistant: ``Assistant().draft("feedback", subject=..., notes=...)``.

    Building one loads the plugins, validates the configuration and checks that every
    enforceable clause is covered by an enabled guard for every feature; it raises
    :class:`ConfigError` or :class:`PluginError` otherwise.
    """

    #: The product version written into labels and the audit log.
    version: str = VERSION

    def __init__(
        self,
        config: AppConfig | None = None,
        *,
        pm: pluggy.PluginManager | None = None,
        plugins: Sequence[object] = (),
    ) -> None:
        self.config = config if config is not None else load_config()
        self.pm = pm if pm is not None else build_plugin_manager(extra=plugins)
        self.registry: Registry = collect(self.pm, self.config)
        check_registry(self.registry)
        self._check_guard_settings()
        self.coverage_problems = self._coverage_problems()
        if self.coverage_problems:
            raise ConfigError("; ".join(self.coverage_problems))
        self.data_dir: Path = self.config.resolved_data_dir()
        self._runners: dict[tuple[Stage, str], StageRunner] = {}
        self._models: dict[str, BaseChatModel] = {}
        self._lock = threading.Lock()
        self._clauses: dict[str, Clause] = {
            c.id: c for p in self.registry.policies.values() for c in p.clauses
        }

    # ------------------------------------------------------------------ start-up checks

    def _check_guard_settings(self) -> None:
        unknown = sorted(set(self.config.guards) - set(self.registry.guards))
        if unknown:
            raise ConfigError(
                f"the configuration names unknown guard(s) {', '.join(unknown)}; "
                f"known guards: {', '.join(sorted(self.registry.guards))} (see `rai plugins`)"
            )

    def enabled_guards(self, feature: str, stage: Stage | None = None) -> list[GuardSpec]:
        return [
            g
            for g in self.registry.guards.values()
            if self.config.guard(g.name).enabled
            and g.applies_to(feature)
            and (stage is None or stage in g.stages)
        ]

    def coverage(self) -> dict[str, dict[str, list[str]]]:
        """``{feature: {clause: [enabled guard names]}}`` for every enforceable clause."""
        matrix: dict[str, dict[str, list[str]]] = {}
        for feature in sorted(self.registry.features):
            row: dict[str, list[str]] = {c: [] for c in ENFORCEABLE_CLAUSES}
            for guard in self.enabled_guards(feature):
                for clause in guard.clauses:
                    if clause in row:
                        row[clause].append(guard.name)
            matrix[feature] = row
        return matrix

    def _coverage_problems(self) -> list[str]:
        uncovered: dict[str, list[str]] = {}
        for feature, row in self.coverage().items():
            for clause, guards in row.items():
                if not guards:
                    uncovered.setdefault(clause, []).append(feature)
        problems = []
        for clause, features in uncovered.items():
            disabled = sorted(
                g.name
                for g in self.registry.guards.values()
                if clause in g.clauses and not self.config.guard(g.name).enabled
            )
            hint = f" (disabled: {', '.join(disabled)})" if disabled else ""
            problems.append(
                f"clause {clause} is not covered by any enabled guard for feature "
                f"{', '.join(repr(f) for f in features)}{hint}: enable a guard for it or install a plugin "
                "that covers it"
            )
        return problems

    # ------------------------------------------------------------------ lazily built parts

    @cached_property
    def database(self) -> Database:
        """The database of drafts, audit log, enforcement and keys, migrated to the newest schema."""
        from rai_assistant.db import Database

        database = Database.from_config(self.config)
        database.upgrade()
        return database

    @cached_property
    def store(self) -> DraftStore:
        return DraftStore(self.database)

    @cached_property
    def audit(self) -> AuditLog:
        log = AuditLog(self.database)
        self._audit_config(log)
        return log

    @cached_property
    def salt(self) -> bytes:
        path = self.data_dir / "audit.salt"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        return path.read_bytes()

    @cached_property
    def policy_index(self) -> PolicyIndex:
        from rai_assistant.embeddings import get_embedder
        from rai_assistant.retrieval import PolicyIndex

        index = PolicyIndex(
            list(self.registry.policies.values()),
            get_embedder(),
            path=self.data_dir / "policy-index",
            url=self.config.resolved_chroma_url(),
        )
        index.ensure_index()
        return index

    def policy_versions(self) -> dict[str, str]:
        return {p.policy_id: p.version for p in self.registry.policies.values()}

    def clause(self, clause_id: str) -> Clause | None:
        return self._clauses.get(clause_id)

    def _runner(self, stage: Stage, feature: str) -> StageRunner:
        key = (stage, feature)
        with self._lock:
            runner = self._runners.get(key)
            if runner is None:
                specs = self.enabled_guards(feature, stage)
                timeouts = {
                    s.name: t for s in specs if (t := self.config.guard(s.name).timeout) is not None
                }
                runner = StageRunner(stage, specs, timeouts)
                self._runners[key] = runner
            return runner

    def model(self, name: str | None = None) -> BaseChatModel:
        """Build (once) the chat model named ``PREFIX[:NAME]``; raises ModelError with a hint."""
        full = name or self.config.model
        with self._lock:
            if full in self._models:
                return self._models[full]
        prefix, _, rest = full.partition(":")
        spec = self.registry.models.get(prefix)
        if spec is None:
            raise NotFoundError(
                f"unknown model {full!r}; available: {', '.join(sorted(self.registry.models))} (see `rai models`)"
            )
        built = spec.factory(rest or spec.default_name, dict(self.config.plugins.get(prefix, {})))
        with self._lock:
            self._models[full] = built
        return built

    # ------------------------------------------------------------------ audit helpers

    def _audit_config(self, log: AuditLog) -> None:
        disabled = {
            name: s.reason for name, s in sorted(self.config.guards.items()) if not s.enabled
        }
        previous = log.last("config")
        last = previous["data"].get("disabled_guards") if previous else None
        if last != disabled:
            self._emit(log, "config", {"disabled_guards": disabled, "version": VERSION})

    def _emit(self, log: AuditLog, kind: str, data: Mapping[str, Any], *, draft_id: str = "", feature: str = "") -> dict[str, Any]:
        record = log.append(kind, data, draft_id=draft_id, feature=feature)
        self.pm.hook.audit_event(event=record)
        if draft_id:
            self.store.set_audit_anchor(draft_id, record["seq"], record["hash"])
        return record

    def _hash(self, value: str) -> str:
        from rai_assistant.privacy import salted_hash

        return salted_hash(value, self.salt) if value else ""

    @staticmethod
    def _finding_record(f: Finding) -> dict[str, Any]:
        # Offsets and categories only: span text may hold personal data.
        return {
            "guard": f.guard,
            "clauses": list(f.clauses),
            "verdict": f.verdict.value,
            "category": f.category,
            "span": [f.span.start, f.span.end] if f.span else None,
        }

    # ------------------------------------------------------------------ request stage

    def judge_request(
        self, text: str, feature: str = FREE_FEATURE, *, people: Sequence[str] = (), measure: bool = False
    ) -> list[Finding]:
        """Run the request guards on ``text`` (as ``rai eval requests`` does) and return findings.

        ``measure=True`` also returns guards' scores below their bars (:attr:`Verdict.SCORE`).
        """
        _clean_text(text, "request", self.config.max_request_chars)
        ctx = GuardContext(services=self, feature=feature, stage=Stage.REQUEST, notes=text, people=tuple(people), measure=measure)
        return self._runner(Stage.REQUEST, feature).run(text, ctx)

    def check(self, text: str, feature: str = "feedback", *, notes: str = "") -> list[Finding]:
        """Run the draft guards on a person's own text (``rai check``)."""
        if not text.strip():
            raise InputError("there is no text to check: pass the text to judge")
        _clean_text(text, "text", self.config.max_request_chars)
        ctx = GuardContext(services=self, feature=feature, stage=Stage.DRAFT, notes=notes)
        return self._runner(Stage.DRAFT, feature).run(text, ctx)

    # ------------------------------------------------------------------ the road

    def feature(self, name: str) -> FeatureSpec:
        spec = self.registry.features.get(name)
        if spec is None:
            raise NotFoundError(
                f"unknown feature {name!r}; available: {', '.join(sorted(self.registry.features))}"
            )
        return spec

    def _validate_inputs(self, spec: FeatureSpec, inputs: Mapping[str, Any]) -> BaseModel:
        if not isinstance(inputs, Mapping):
            raise InputError(f"inputs for {spec.name!r} must be a mapping of field names to values")
        for key, value in inputs.items():
            if isinstance(value, str):
                _clean_text(value, key, self.config.max_request_chars)
        try:
            return spec.input_model.model_validate(dict(inputs))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()
            )
            raise InputError(f"invalid input for {spec.name!r}: {problems}") from exc

    def draft(
        self,
        feature: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        model: str | None = None,
        user: str = "",
        tenant: str = "",
        roster: Sequence[str] = (),
        principal: Principal | None = None,
        **fields: Any,
    ) -> Draft:
        """Run the road for one request. Returns a pending draft, or a blocked one with a refusal.

        ``principal`` (the HTTP service passes it) is who asks: it replaces ``user`` and
        ``tenant`` and makes the draft theirs (``draft.tenant``, ``draft.owner``).

        Raises :class:`InputError` for malformed input, :class:`NotFoundError` for an unknown
        feature or model, :class:`ModelError` when the model is unavailable, fails or times out
        (an outage: audited as ``model_error``, never counted as a policy violation). Guard and
        placeholder problems never raise: they block.
        """
        from rai_assistant import road

        if principal is not None:
            user, tenant = principal.subject, principal.tenant
        owner = principal.subject if principal is not None else ""
        request = road.open_request(
            self, feature, dict(inputs or {}) | fields, model=model, user=user, tenant=tenant, owner=owner,
            roster=roster,
        )
        return road.run(self, request)

    def retrieve(self, query: str, k: int = 3, *, notes: bool = False) -> list[Passage]:
        """The policy passages most relevant to ``query``, best first.

        ``notes=True`` (the road's retrieval for a draft) skips the multilingual reranking pass
        for English text; a policy question always gets it.
        """
        return self.policy_index.search(query[:1000], k=k, rerank="non-english" if notes else "always")

    def _check_passages(self, feature: str, passages: Sequence[Passage]) -> list[Finding]:
        """Run the passages-stage guards on what retrieval found, before the model sees it."""
        text = "\n\n".join(f"[{p.clause.id}] {p.clause.text}" for p in passages)
        ctx = GuardContext(
            services=self, feature=feature,
            stage=Stage.PASSAGES,
            passages=tuple(passages), policy_versions=self.policy_versions(),
        )
        return self._runner(Stage.PASSAGES, feature).run(text, ctx)

    def _generate(
        self, chat: BaseChatModel, system: str, user: str, vault: Vault, max_tokens: int,
        examples: Sequence[tuple[str, str]] = (),
    ) -> str:
        """Call the model within ``model_timeout`` (see :func:`rai_assistant.modelcall.generate`)."""
        from rai_assistant import modelcall

        return modelcall.generate(chat, system, user, vault, max_tokens, self.config.model_timeout, examples)

    def _revise(self, chat: BaseChatModel, text: str, findings: list[Finding], vault: Vault, spec: FeatureSpec) -> str | None:
        """One revision of the flagged spans (see :func:`rai_assistant.modelcall.revise`)."""
        from rai_assistant import modelcall

        return modelcall.revise(chat, text, findings, vault, spec, self.config.model_timeout)

    def _amend_label(self, label: dict[str, Any], feature: str) -> dict[str, Any]:
        answers = call_each(self.pm, "amend_label", label=dict(label), feature=feature)
        results = [cast("Mapping[str, Any] | None", result) for _, result in answers]
        return labels.apply_amendments(label, results, [name for name, _ in answers])

    def _cite(self, findings: Sequence[Finding], passages: Sequence[Passage] = ()) -> list[Clause]:
        seen: dict[str, Clause] = {}
        for f in findings:
            for cid in f.clauses:
                c = self._clauses.get(cid)
                if c is not None:
                    seen.setdefault(cid, c)
        for p in passages:
            seen.setdefault(p.clause.id, p.clause)
        return list(seen.values())

    def refusal_text(self, blocking: Sequence[Finding]) -> str:
        """What the user reads: the guard's message, the clause id and the clause's own words."""
        parts = []
        for f in blocking[:3]:
            clause = self._clauses.get(f.clauses[0]) if f.clauses else None
            quote = f' Policy {clause.id}: "{_shorten(clause.text)}"' if clause else ""
            parts.append(f"{f.message}{quote}")
        return "\n".join(parts)

    # ------------------------------------------------------------------ a person's decision

    def get(self, draft_id: str, *, principal: Principal | None = None) -> Draft:
        """A stored draft; with ``principal``, only one they may see (else :class:`NotFoundError`)."""
        from rai_assistant import review

        draft, _notes, _people = review.load_for(self, draft_id, principal)
        return draft

    def label_formats(self) -> list[str]:
        """The names of the registered label formats (``text`` and ``json`` built in)."""
        return sorted(self.registry.label_formats)

    def render_label(self, draft: Draft, format_name: str) -> tuple[str, str]:
        """``draft``'s disclosure label in a registered format: ``(text, media type)``.

        :raises NotFoundError: no format of that name (the message lists the registered ones).
        :raises InputError: the draft has no label (it was blocked).
        """
        fmt = self.registry.label_formats.get(format_name)
        if fmt is None:
            raise NotFoundError(
                f"no label format named {format_name!r}; registered formats: {', '.join(self.label_formats())}"
            )
        if draft.label is None:
            raise InputError(f"draft {draft.draft_id} was blocked and has no disclosure label")
        return fmt.render(draft.label), fmt.media_type

    def list_drafts(
        self, *, principal: Principal | None = None, status: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        """Newest drafts first, without texts: the principal's tenant, and only their own for a writer."""
        if principal is None:
            return self.store.list(status, limit)
        if principal.has(Role.REVIEWER):
            return self.store.list(status, limit, tenant=principal.tenant)
        if not principal.has(Role.WRITER):
            return []
        # The store filters by tenant; a writer's own drafts are picked from a wider window.
        rows = self.store.list(status, max(limit * 10, 500), tenant=principal.tenant)
        return [r for r in rows if r.get("owner") == principal.subject][:limit]

    def accept(
        self,
        draft_id: str,
        reviewer: str = "",
        *,
        text: str | None = None,
        override_reason: str = "",
        principal: Principal | None = None,
    ) -> Draft:
        """A named person accepts a pending draft, optionally with their edit (5.review).

        An edit is judged again by the draft guards. Open bias or personal-data findings block
        acceptance unless the reviewer gives a written override reason, which is audited.
        With ``principal`` the reviewer is the principal (their name, else their key id), and
        only a draft they may decide can be accepted (:class:`NotFoundError` /
        :class:`ForbiddenError`). The audit log stores the reviewer as a salted hash.
        """
        from rai_assistant import review

        return review.accept(
            self, draft_id, reviewer, text=text, override_reason=override_reason, principal=principal
        )

    def reject(
        self, draft_id: str, reviewer: str = "", reason: str = "", *, principal: Principal | None = None
    ) -> Draft:
        """A person rejects a pending draft; the same rights as :meth:`accept`."""
        from rai_assistant import review

        return review.reject(self, draft_id, reviewer, reason, principal=principal)

    def audit_records(
        self, principal: Principal | None = None, *, since: int = 0, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Audit records from ``since`` on; with ``principal``, only their tenant's, and no free text.

        Records hold no draft texts by design; the one free text a person types into a decision
        (an override reason) is replaced by whether one was given.
        """
        out: list[dict[str, Any]] = []
        for record in self.audit.records(since=max(since, 0) or None):
            data = record.get("data") or {}
            if principal is not None:
                if data.get("tenant") != principal.tenant:
                    continue
                if "override_reason" in data:
                    data = {k: v for k, v in data.items() if k != "override_reason"} | {
                        "override_reason_given": bool(data["override_reason"])
                    }
                    record = record | {"data": data}
            out.append(record)
            if len(out) >= limit:
                break
        return out

    @cached_property
    def enforcement(self) -> Enforcement:
        from rai_assistant.config import plugin_section
        from rai_assistant.enforcement import Enforcement, EnforcementSettings

        settings = plugin_section(self.config, "enforcement", EnforcementSettings)
        return Enforcement(self.database, settings)

    def _record_violation(self, user: str, tenant: str, blocking: list[Finding]) -> str:
        """Count a blocked request, escalate (plugins may raise the level) and audit it (5.enforcement)."""
        count = self.enforcement.violations(user) + 1
        answers = self.pm.hook.on_violation(user=user, tenant=tenant, findings=blocking, count=count)
        level = self.enforcement.level_for(count, answers)
        clauses = sorted({c for f in blocking for c in f.clauses})
        self.enforcement.record_violation(user, tenant, clauses, level)
        self._emit(
            self.audit,
            "enforcement",
            {"user": user, "tenant": tenant, "violations": count, "level": level, "clauses": clauses},
        )
        return level

    # ------------------------------------------------------------------ audit verification

    def verify_audit(self) -> list[str]:
        """Problems in the audit chain, or drafts whose last audit record is gone (truncation)."""
        problems = [f"record {p.seq}: {p.problem}" for p in self.audit.verify()]
        stored = {r["seq"]: r["hash"] for r in self.audit.records()}
        for draft_id, seq, digest in self.store.anchors():
            if stored.get(seq) != digest:
                problems.append(f"draft {draft_id}: its audit record {seq} is missing or changed")
        return problems

    # ------------------------------------------------------------------ LangChain

    def runnable(self, feature: str, *, model: str | None = None) -> Runnable[Mapping[str, Any], dict[str, Any]]:
        """The road as a LangChain Runnable: inputs mapping in, ``Draft.to_dict()`` out."""
        from langchain_core.runnables import RunnableLambda

        self.feature(feature)

        def run(inputs: Mapping[str, Any]) -> dict[str, Any]:
            return self.draft(feature, inputs, model=model).to_dict()

        return RunnableLambda(run, name=f"rai_{feature}")


def _shorten(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
