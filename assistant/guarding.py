"""Running guards as guardrails-ai validators, failing closed.

Each stage of the road runs one guardrails ``Guard`` holding one validator per enabled guard.
The validator calls the guard's ``check`` in a worker thread with the guard's timeout. A guard
that raises or runs out of time produces a blocking finding naming it: it never lets text
through. Telemetry is switched off on every Guard (offline it would hang the process).

:func:`validator_guard` adapts any third-party guardrails ``Validator`` into a :class:`GuardSpec`.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from functools import lru_cache
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from rai_assistant.types import Finding, GuardContext, GuardSpec, Span, Stage, Verdict

if TYPE_CHECKING:
    from guardrails import Guard

__all__ = ["StageRunner", "validator_guard", "crash_finding"]

log = logging.getLogger("rai.guards")

# Guardrails runs each validation in a fresh contextvars.Context, so the findings of the call
# in progress travel through a thread-local: validators must run synchronously in the caller's
# thread (GUARDRAILS_RUN_SYNC, set on first use; it is also about twice as fast).
_state = threading.local()


def crash_finding(spec: GuardSpec, problem: str) -> Finding:
    """The blocking finding recorded when a guard cannot give a verdict."""
    return Finding(
        guard=spec.name,
        clauses=spec.clauses[:1] or ("3.accountability",),
        verdict=Verdict.BLOCK,
        category="guard_failure",
        message=(
            f"The {spec.name} guard could not check this text ({problem}), so it was stopped "
            "to be safe. Try again; if it keeps happening, ask your administrator to check "
            f"`rai plugins` and the {spec.name} guard's installation."
        ),
    )


def _trace_messages() -> bool:
    return os.environ.get("RAI_TRACE_PLUGINS", "") not in ("", "0")


def _log_crash(spec: GuardSpec, ctx: GuardContext, kind: str, frames: str) -> None:
    """Log where a guard crashed, for its author. The exception's message may quote the text
    judged (personal data), so it is logged only with ``RAI_TRACE_PLUGINS=1``; frames and type
    always are."""
    log.error(
        "guard %s crashed (%s stage, feature %s): %s; the draft was blocked\n%s",
        spec.name, ctx.stage.value, ctx.feature, kind, frames.rstrip(),
    )


def _describe(exc: BaseException) -> tuple[str, str]:
    """(type and message; the traceback's frames) of a guard's exception.

    The finding shown to the person who asked carries the message (it is about their own
    request); the log carries it only with ``RAI_TRACE_PLUGINS=1``.
    """
    kind = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    frames = "Traceback (most recent call last):\n" + "".join(traceback.format_tb(exc.__traceback__))
    return kind, frames


class _DaemonWorkers:
    """Reusable daemon threads for guard checks.

    Daemon threads, so an abandoned check never holds up the process's exit (a
    ``ThreadPoolExecutor`` joins its workers at exit: the CLI used to wait for a hung guard).
    Reused, because starting a thread per check cost about a millisecond per stage. A worker
    whose check ran past its timeout stays busy until the check returns; the pool starts another
    one when no worker is idle.
    """

    def __init__(self) -> None:
        self._tasks: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._count = 0

    def submit(self, task: Callable[[], None]) -> None:
        with self._lock:
            if self._idle > 0:
                self._idle -= 1
            else:
                self._count += 1
                threading.Thread(target=self._work, name=f"rai-guard-{self._count}", daemon=True).start()
        self._tasks.put(task)

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            task()
            with self._lock:
                self._idle += 1


_workers = _DaemonWorkers()


def _in_thread(spec: GuardSpec, text: str, ctx: GuardContext, timeout: float) -> tuple[str, Any]:
    """Run the check on a daemon worker: ("ok", findings) | ("error", exc) | ("timeout", None)."""
    box: list[tuple[str, Any]] = []
    done = threading.Event()

    def work() -> None:
        try:
            box.append(("ok", list(spec.check(text, ctx))))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller, which blocks
            box.append(("error", exc))
        finally:
            done.set()

    _workers.submit(work)
    if not done.wait(timeout):
        return "timeout", None
    return box[0]


def _child(spec: GuardSpec, text: str, ctx: GuardContext, conn: Connection) -> None:
    try:
        result: tuple[str, Any] = ("ok", list(spec.check(text, ctx)))
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, which blocks
        result = ("error", _describe(exc))
    try:
        conn.send(result)
    except Exception as exc:  # noqa: BLE001 - e.g. a finding that cannot be pickled
        conn.send(("error", (f"its findings cannot be sent back: {type(exc).__name__}", "")))
    finally:
        conn.close()


def _in_process(spec: GuardSpec, text: str, ctx: GuardContext, timeout: float) -> tuple[str, Any]:
    """Run the check in a forked child that is killed at the timeout."""
    mp = multiprocessing.get_context("fork")
    receive, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(spec, text, ctx, send), daemon=True, name=f"rai-guard-{spec.name}")
    try:
        proc.start()
    except OSError as exc:
        return "error", (f"cannot start its process: {exc.strerror}", "")
    send.close()
    try:
        if not receive.poll(timeout):
            return "timeout", None
        outcome: tuple[str, Any] = receive.recv()
        return outcome
    except (EOFError, OSError):
        return "error", (f"its process died (exit code {proc.exitcode})", "")
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(1)


_warm_lock = threading.Lock()
_warmed: set[Callable[[], None]] = set()


def _warm(spec: GuardSpec) -> BaseException | None:
    """Run ``spec.warm`` once per process (outside the timeout); the error if it raised."""
    warm = spec.warm
    if warm is None or warm in _warmed:
        return None
    with _warm_lock:
        if warm in _warmed:
            return None
        try:
            warm()
        except Exception as exc:  # noqa: BLE001 - reported as the guard's crash, fail closed
            return exc
        _warmed.add(warm)
    return None


def _run_check(spec: GuardSpec, text: str, ctx: GuardContext, timeout: float) -> list[Finding]:
    failed = _warm(spec)
    if failed is not None:
        kind, frames = _describe(failed)
        _log_crash(spec, ctx, kind if _trace_messages() else kind.split(":", 1)[0], frames)
        return [crash_finding(spec, kind)]
    ctx = dataclasses.replace(ctx, deadline=time.monotonic() + timeout)
    if spec.isolation == "process":
        status, payload = _in_process(spec, text, ctx, timeout)
    else:
        status, payload = _in_thread(spec, text, ctx, timeout)
    if status == "timeout":
        log.warning(
            "guard %s gave no verdict within %g s (%s stage, feature %s); the draft was blocked%s",
            spec.name, timeout, ctx.stage.value, ctx.feature,
            " and its process killed" if spec.isolation == "process" else "",
        )
        return [crash_finding(spec, f"it took longer than {timeout:g} s")]
    if status == "error":
        if isinstance(payload, BaseException):
            kind, frames = _describe(payload)
        else:
            kind, frames = payload
        _log_crash(spec, ctx, kind if _trace_messages() else kind.split(":", 1)[0], frames)
        return [crash_finding(spec, kind)]
    findings: list[Finding] = []
    for item in payload:
        if not isinstance(item, Finding):
            return [crash_finding(spec, f"it returned a {type(item).__name__}, not a Finding")]
        findings.append(item)
    return findings


def import_guardrails() -> None:
    """Import guardrails-ai without the five seconds its schema library spends at import.

    guardrails asks for ``jsonschema[format-nongpl]``, whose ``rfc3987_syntax`` compiles 39
    grammars when jsonschema's format checkers load (5.3 s of a 10 s CLI draft on our 2-core
    machine). Its only use is checking the ``iri`` formats of JSON schemas, which neither
    guardrails' string validators nor ours ask for. So while guardrails (and with it jsonschema)
    is first imported, that one module is reported missing; jsonschema then simply has no ``iri``
    checker, and anything importing ``rfc3987_syntax`` later gets the real module.
    """
    if "guardrails" in sys.modules:
        return
    hidden = "rfc3987_syntax" not in sys.modules and "jsonschema" not in sys.modules
    if hidden:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import guardrails  # noqa: F401
    finally:
        if hidden and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    # guardrails opens OpenTelemetry spans around every guard and validator call and serialises
    # their inputs into span attributes, with or without an exporter: about a third of a draft's
    # guard time. Off unless an OTLP endpoint is configured (or the caller chose a setting).
    from guardrails.settings import settings

    tracing = any(os.environ.get(v, "").strip() for v in ("OTEL_EXPORTER_OTLP_ENDPOINT", "RAI_OTEL_ENDPOINT"))
    if settings.disable_tracing is None and not tracing:
        settings.disable_tracing = True


@lru_cache(maxsize=1)
def _validator_class() -> type[Any]:
    """Define and register our validator class with guardrails on first use (not at import)."""
    import_guardrails()
    from guardrails.classes.validation.validation_result import ErrorSpan, FailResult, PassResult
    from guardrails.validator_base import Validator, register_validator

    @register_validator(name="rai_assistant/guard", data_type="string")
    class RaiGuardValidator(Validator):  # type: ignore[misc]
        """Runs one rai-assistant guard; findings go to the stage's collector."""

        def __init__(self, spec: GuardSpec, timeout: float, **kwargs: Any) -> None:
            super().__init__(on_fail="noop", **kwargs)
            self.rai_spec = spec
            self.rai_timeout = timeout

        def _validate(self, value: Any, metadata: dict[str, Any]) -> Any:
            ctx: GuardContext | None = getattr(_state, "ctx", None)
            sink: tuple[list[Finding], set[str]] | None = getattr(_state, "sink", None)
            if ctx is None or sink is None:
                raise RuntimeError("rai guard validator called outside StageRunner.run")
            text = value if isinstance(value, str) else str(value)
            findings = _run_check(self.rai_spec, text, ctx, self.rai_timeout)
            sink[0].extend(findings)
            sink[1].add(self.rai_spec.name)
            failing = [f for f in findings if f.verdict not in (Verdict.ADVICE, Verdict.SCORE)]
            if not failing:
                return PassResult()
            spans = [
                ErrorSpan(start=f.span.start, end=f.span.end, reason=f.message)
                for f in failing
                if f.span is not None
            ]
            return FailResult(
                error_message="; ".join(f.message for f in failing)[:2000],
                error_spans=spans or None,
            )

    return RaiGuardValidator


def _new_guard() -> Guard:
    os.environ["GUARDRAILS_RUN_SYNC"] = "true"
    os.environ.setdefault("LITELLM_OFFLINE_MODE", "true")
    import_guardrails()
    from guardrails import Guard

    guard = Guard()
    guard.configure(allow_metrics_collection=False)
    return guard


class StageRunner:
    """One stage's guards for one feature, run through a single guardrails ``Guard``."""

    def __init__(self, stage: Stage, specs: Sequence[GuardSpec], timeouts: dict[str, float]) -> None:
        self.stage = stage
        self.specs = tuple(specs)
        self._timeouts = timeouts
        self._guard: Guard | None = None
        self._lock = threading.Lock()

    def _ensure_guard(self) -> Guard:
        with self._lock:
            if self._guard is None:
                cls = _validator_class()
                guard = _new_guard()
                validators = [cls(spec, self._timeouts.get(spec.name, spec.timeout)) for spec in self.specs]
                if validators:
                    guard.use(*validators)
                self._guard = guard
            return self._guard

    def run(self, text: str, ctx: GuardContext) -> list[Finding]:
        """Judge ``text``; returns every finding, blocking ones included. Never raises for a guard."""
        if not self.specs:
            return []
        guard = self._ensure_guard()
        findings: list[Finding] = []
        ran: set[str] = set()
        _state.ctx, _state.sink = ctx, (findings, ran)
        try:
            guard.validate(text)
        except Exception as exc:  # noqa: BLE001 - guardrails itself failed: every guard blocks
            return [crash_finding(spec, f"guardrails failed: {type(exc).__name__}") for spec in self.specs]
        finally:
            _state.ctx, _state.sink = None, None
        # A validator that guardrails skipped is a guard that gave no verdict: fail closed.
        for spec in self.specs:
            if spec.name not in ran:
                findings.append(crash_finding(spec, "guardrails did not run it"))
        return findings


def validator_guard(
    name: str,
    validator: Any,
    *,
    clauses: Sequence[str],
    stages: Sequence[Stage] = (Stage.DRAFT,),
    verdict: Verdict = Verdict.BLOCK,
    category: str = "",
    description: str = "",
    features: Sequence[str] = (),
    timeout: float = 5.0,
) -> GuardSpec:
    """Wrap a third-party guardrails-ai ``Validator`` instance as a rai-assistant guard.

    The validator's ``FailResult`` becomes one finding per error span (or one without a span),
    with the clause ids given here and ``verdict``.
    """

    def check(text: str, ctx: GuardContext) -> list[Finding]:
        result = validator.validate(text, {"feature": ctx.feature, "stage": ctx.stage.value})
        if getattr(result, "outcome", "pass") != "fail":
            return []
        message = getattr(result, "error_message", "") or f"{name} rejected the text"
        spans = getattr(result, "error_spans", None) or []
        suggestion = getattr(result, "fix_value", None)
        fix = suggestion if isinstance(suggestion, str) else ""
        cat = category or name

        def finding(msg: str, span: Span | None) -> Finding:
            return Finding(
                guard=name, clauses=tuple(clauses), verdict=verdict, message=msg, category=cat,
                span=span, suggestion=fix,
            )

        if not spans:
            return [finding(message, None)]
        return [
            finding(getattr(s, "reason", "") or message, Span(s.start, s.end, text[s.start : s.end]))
            for s in spans
        ]

    return GuardSpec(
        name=name,
        clauses=tuple(clauses),
        stages=tuple(stages),
        check=check,
        description=description or f"guardrails-ai validator {type(validator).__name__}",
        features=tuple(features),
        timeout=timeout,
    )
