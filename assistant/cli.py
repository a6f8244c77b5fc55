"""The ``rai`` command line. Heavy libraries load only inside the commands that need them."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer
from rai_assistant.cli_db import db_app
from rai_assistant.cli_keys import keys_app
from rai_assistant.cli_plugin import plugin_app
from rai_assistant.errors import RaiError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from rai_assistant.app import Assistant
    from rai_assistant.report import ReportHeader
    from rai_assistant.types import Draft, Finding

__all__ = ["app", "main"]

app = typer.Typer(
    name="rai",
    help="Draft HR feedback, goals and reviews that follow the Responsible AI Policy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
policy_app = typer.Typer(help="Read, search and check coverage of the policy.", no_args_is_help=True)
audit_app = typer.Typer(help="Read and verify the audit log.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate the guards and retrieval on labelled files.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.add_typer(eval_app, name="eval")
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(plugin_app, name="plugin")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
_state: dict[str, Any] = {"config": None, "pm": None}

T = TypeVar("T")


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _assistant() -> Assistant:
    from rai_assistant.app import Assistant
    from rai_assistant.config import load_config

    return Assistant(load_config(_state["config"]), pm=_state["pm"])


def _guarded(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except RaiError as exc:
        _fail(str(exc))


@app.callback()
def _root(
    config: Path | None = typer.Option(None, "--config", help="Config file (default: $RAI_CONFIG)."),
    plugins_dir: list[Path] = typer.Option(  # noqa: B008 - typer's option declaration
        [], "--plugins-dir", help="Load every *.py file in this directory as a plugin (repeatable; also $RAI_PLUGINS_DIR)."
    ),
) -> None:
    # main() builds the plugin manager before parsing (plugins add commands), with the
    # directories _plugin_dirs_from_argv found; called another way, build it here.
    _state["config"] = config
    dirs = [str(d) for d in plugins_dir]
    if dirs and dirs != _state.get("dirs"):
        from rai_assistant.plugin_manager import build_plugin_manager

        _state["pm"] = _guarded(lambda: build_plugin_manager(dirs=dirs))
        _state["dirs"] = dirs


def _plugin_dirs_from_argv(argv: list[str]) -> list[str]:
    """The ``--plugins-dir`` values before the sub-command: plugins load before typer parses."""
    found: list[str] = []
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--plugins-dir" and i + 1 < len(argv):
            found.append(argv[i + 1])
            i += 2
            continue
        if arg.startswith("--plugins-dir="):
            found.append(arg.split("=", 1)[1])
        elif not arg.startswith("-"):
            break  # the sub-command: options after it are its own
        elif arg == "--config":
            i += 1
        i += 1
    return found


def _read_file(path: Path, what: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {what} file {path}: {exc.strerror}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        _fail(f"{what} file {path} is not UTF-8 text: save it as UTF-8 and try again")


def _print_findings(findings: list[Finding]) -> None:
    for f in findings:
        colour = {"block": "red", "flag": "yellow", "advice": "cyan"}[f.verdict.value]
        where = f" at {f.span.text!r}" if f.span else ""
        out.print(
            f"  [{colour}]{f.verdict.value}[/] {escape(f.guard)} [{', '.join(f.clauses)}] "
            f"{escape(f.category)}{escape(where)}: {escape(f.message)}"
        )
        if f.suggestion:
            out.print(f"      suggestion: {escape(f.suggestion)}")


def _print_draft(draft: Draft) -> None:
    if draft.blocked:
        err.print(f"[bold red]blocked[/] (draft {draft.draft_id}):")
        err.print(escape(draft.refusal))
        return
    out.print(f"[bold]Draft {draft.draft_id}[/] ({draft.feature}, {draft.status})\n")
    out.print(escape(draft.text))
    out.print(f"\n[dim]── {escape(draft.notice)}[/]")
    if draft.label:
        out.print(
            f"[dim]   source type: {draft.label['digitalSourceType'].rsplit('/', 1)[-1]}; "
            f"policy: {', '.join(f'{k} {v}' for k, v in draft.label['policy'].items())}; "
            f"hash: {draft.label['contentHash'][:23]}…[/]"
        )
        for key, value in sorted((draft.label.get("extensions") or {}).items()):
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            out.print(f"[dim]   {escape(str(key))}: {escape(shown)}[/]")
    if draft.findings:
        out.print("\nFindings:")
        _print_findings(draft.findings)
    if draft.citations:
        out.print("\nPolicy clauses applied: " + ", ".join(c.id for c in draft.citations))
    if draft.status == "pending_review":
        out.print(f"\nNext: rai accept {draft.draft_id} --reviewer \"Your Name\" [--text-file EDITED]  |  rai reject {draft.draft_id} --reviewer \"Your Name\"")


_LABEL_FORMAT_OPTION = typer.Option(
    None, "--label-format", help="Also print the label in this format: text, json, or a plugin's (see `rai plugins`)."
)


def _require_label_format(assistant: Assistant, label_format: str | None) -> None:
    """Exit 2 naming the registered formats when ``label_format`` is not one (before any work)."""
    if label_format is not None and label_format not in assistant.label_formats():
        _fail(f"no label format named {label_format!r}; registered formats: {', '.join(assistant.label_formats())}")


def _show(assistant: Assistant, result: Draft, as_json: bool, label_format: str | None) -> None:
    """Print a draft (or its JSON); with ``label_format``, its label rendered in that format."""
    _require_label_format(assistant, label_format)
    rendered: tuple[str, str] | None = None
    if label_format is not None and result.label is not None:
        rendered = _guarded(lambda: assistant.render_label(result, label_format))
    if as_json:
        data = result.to_dict()
        if rendered is not None:
            data["label_rendered"] = {"format": label_format, "media_type": rendered[1], "text": rendered[0]}
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    _print_draft(result)
    if rendered is not None:
        out.print(f"\nLabel ({escape(str(label_format))}):")
        out.print(escape(rendered[0]), markup=False, highlight=False)


def _parse_sets(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"--set takes KEY=VALUE, got {pair!r}")
        values[key.strip()] = value
    return values


@app.command()
def draft(
    feature: str = typer.Argument(..., help="feedback, goal, self_review, summary, or a plugin's feature."),
    subject: str | None = typer.Option(None, help="Who the feedback or summary is about."),
    owner: str | None = typer.Option(None, help="Whose goal it is."),
    author: str | None = typer.Option(None, help="Who is writing (self-reviews: the employee)."),
    notes: str | None = typer.Option(None, help="Your notes (data for the draft, never instructions)."),
    notes_file: Path | None = typer.Option(None, "--notes-file", help="Read the notes from a UTF-8 file."),
    feedback_file: Path | None = typer.Option(None, "--feedback-file", help="Summary: received feedback, one comment per line."),
    relationship: str | None = typer.Option(None, help="peer, manager, direct_report or other."),
    tone: str | None = typer.Option(None, help="For example: constructive, encouraging, direct."),
    set_: list[str] = typer.Option([], "--set", help="Any other input field, as KEY=VALUE."),
    model: str | None = typer.Option(None, "--model", help="local (default), openai:MODEL, fake, or a plugin's model."),
    as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
    label_format: str | None = _LABEL_FORMAT_OPTION,
) -> None:
    """Draft text with a feature; the draft waits for a person to accept, edit or reject it."""
    if notes is not None and notes_file is not None:
        _fail("give the notes either with --notes or with --notes-file, not both")
    if notes_file is not None:
        notes = _read_file(notes_file, "notes")
    feature = feature.replace("-", "_")
    inputs: dict[str, Any] = {
        k: v
        for k, v in {
            "subject": subject,
            "owner": owner,
            "author": author,
            "notes": notes,
            "relationship": relationship,
            "tone": tone,
        }.items()
        if v is not None
    }
    if feedback_file is not None:
        inputs["feedback"] = [line for line in _read_file(feedback_file, "feedback").splitlines() if line.strip()]
    inputs |= _parse_sets(set_)
    user = os.environ.get("RAI_USER") or os.environ.get("USER", "")
    assistant = _guarded(_assistant)
    _require_label_format(assistant, label_format)
    result = _guarded(lambda: assistant.draft(feature, inputs, model=model, user=user))
    _show(assistant, result, as_json, label_format)
    if result.blocked:
        raise typer.Exit(1)


@app.command()
def accept(
    draft_id: str = typer.Argument(...),
    reviewer: str = typer.Option(..., "--reviewer", help="Your name: the person accepting the text."),
    text_file: Path | None = typer.Option(None, "--text-file", help="Your edited text (UTF-8)."),
    override_reason: str = typer.Option("", "--override-reason", help="Why open findings are acceptable as written."),
    as_json: bool = typer.Option(False, "--json"),
    label_format: str | None = _LABEL_FORMAT_OPTION,
) -> None:
    """Accept a pending draft as final text (optionally with your edit); the label records it."""
    text = _read_file(text_file, "edited text") if text_file is not None else None
    assistant = _guarded(_assistant)
    _require_label_format(assistant, label_format)
    result = _guarded(lambda: assistant.accept(draft_id, reviewer, text=text, override_reason=override_reason))
    if as_json or label_format is not None:
        _show(assistant, result, as_json, label_format)
        return
    out.print(escape(result.text))
    out.print(f"\n[dim]── {escape(result.notice)}[/]")
    if result.label:
        out.print(f"[dim]   source type: {result.label['digitalSourceType'].rsplit('/', 1)[-1]}; hash: {result.label['contentHash']}[/]")


@app.command()
def reject(
    draft_id: str = typer.Argument(...),
    reviewer: str = typer.Option(..., "--reviewer"),
    reason: str = typer.Option("", "--reason"),
) -> None:
    """Reject a pending draft."""
    result = _guarded(lambda: _assistant().reject(draft_id, reviewer, reason))
    out.print(f"Draft {result.draft_id} rejected by {escape(result.reviewer)}.")


@app.command()
def show(
    draft_id: str = typer.Argument(...),
    as_json: bool = typer.Option(False, "--json"),
    label_format: str | None = _LABEL_FORMAT_OPTION,
) -> None:
    """Show a stored draft with its label (extensions included) and findings."""
    assistant = _guarded(_assistant)
    result = _guarded(lambda: assistant.get(draft_id))
    _show(assistant, result, as_json, label_format)


@app.command()
def check(
    text: str = typer.Argument(..., help="Text to check, or - to read standard input."),
    feature: str = typer.Option("feedback", help="Which feature's guards to apply."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Check your own text with the draft guards (bias, personal data, quality)."""
    if text == "-":
        text = sys.stdin.read()
    findings = _guarded(lambda: _assistant().check(text, feature))
    if as_json:
        out.print_json(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
        return
    if not findings:
        out.print("No findings.")
        return
    _print_findings(findings)
    if any(f.verdict.value != "advice" for f in findings):
        raise typer.Exit(1)


@app.command()
def plugins(as_json: bool = typer.Option(False, "--json", help="Print the list as JSON.")) -> None:
    """List every plugin: what it registered and which other hooks it implements."""
    from rai_assistant.plugin_manager import KIND_NAMES, hooks_by_plugin

    assistant = _guarded(_assistant)
    reg = assistant.registry
    rows: dict[str, list[str]] = {}
    for (kind, name), plugin in sorted(reg.origin.items()):
        rows.setdefault(plugin, []).append(f"{KIND_NAMES[kind]} {name}")
    hooks = hooks_by_plugin(assistant.pm)
    if as_json:
        data = [
            {"plugin": plugin, "hooks": implemented, "registers": rows.get(plugin, [])}
            for plugin, implemented in hooks.items()
        ]
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    # Every plugin, also those that only watch (audit_event, on_violation) or amend labels.
    table = Table("plugin", "registers", "other hooks")
    for plugin, implemented in hooks.items():
        others = [h for h in implemented if not h.startswith("register_")]
        table.add_row(plugin, ", ".join(rows.get(plugin, [])) or "-", ", ".join(others) or "-")
    out.print(table)
    out.print(f"Label formats: {', '.join(assistant.label_formats())}")


@app.command()
def models() -> None:
    """List the model providers and what each needs."""
    assistant = _guarded(_assistant)
    table = Table("model", "description", "needs")
    for prefix, spec in sorted(assistant.registry.models.items()):
        table.add_row(prefix + (f":{spec.default_name}" if spec.default_name else ""), spec.description, spec.needs)
    out.print(table)
    out.print(f"Default: {assistant.config.model}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind; anything but loopback needs keys or OIDC."),
    port: int = typer.Option(8765),
) -> None:
    """Serve the HTTP API and the drafting page (sign in with an API key or OIDC token)."""
    import ipaddress

    import uvicorn
    from rai_assistant.keys import KeyStore
    from rai_assistant.server import create_app

    assistant = _guarded(_assistant)
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and assistant.config.server.oidc is None:
        keys = _guarded(lambda: [k for k in KeyStore.for_assistant(assistant).list() if k.active])
        if not keys:
            _fail(
                f"refusing to serve on {host}: no API key exists and no [server.oidc] is configured, so "
                "nobody could sign in. Create a key with `rai keys create --tenant NAME --role admin` or configure OIDC, "
                "or bind 127.0.0.1"
            )
    if host not in assistant.config.server.allowed_hosts and not loopback:
        err.print(
            f"[yellow]note:[/] requests must name an allowed host ({', '.join(assistant.config.server.allowed_hosts)}); "
            "add the server's name to [server] allowed_hosts"
        )
    server = assistant.config.server
    uvicorn.run(
        create_app(assistant),
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        # Connections beyond what the pool and queue can hold are refused early by uvicorn (503).
        limit_concurrency=max(64, (server.workers + server.queue) * 4),
        timeout_keep_alive=5,
    )


# ---------------------------------------------------------------- policy


@policy_app.command("show")
def policy_show(clause: str | None = typer.Argument(None, help="A clause id, e.g. 4.3.")) -> None:
    """Print the policy's clauses (or one clause)."""
    assistant = _guarded(_assistant)
    for policy in assistant.registry.policies.values():
        for c in policy.clauses:
            if clause is None or c.id == clause:
                out.print(f"[bold]{c.id}[/] [dim]{escape(c.section)} — {policy.policy_id} {policy.version}[/]")
                out.print(escape(c.text) + "\n")
    if clause is not None and assistant.clause(clause) is None:
        _fail(f"no clause {clause!r}; run `rai policy show` for the list")


@policy_app.command("search")
def policy_search(query: str = typer.Argument(...), k: int = typer.Option(5, "-k")) -> None:
    """Find the clauses most relevant to a question."""
    assistant = _guarded(_assistant)
    if not query.strip():
        _fail("the query is empty: type a question about the policy")
    for p in _guarded(lambda: assistant.retrieve(query, k=k)):
        out.print(f"[bold]{p.clause.id}[/] ({p.score:.3f}) {escape(' '.join(p.clause.text.split())[:300])}")


@policy_app.command("ask")
def policy_ask(
    question: str = typer.Argument(..., help="A question about what the policy allows."),
    model: str | None = typer.Option(None, "--model", help="Answer in words with this model (else: the clauses only)."),
    k: int = typer.Option(3, "-k", help="How many clauses to consider."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Answer a question from the policy: the clauses that answer it, and with --model a short answer citing them."""
    from rai_assistant.policy_qa import answer_question

    if not question.strip():
        _fail("the question is empty: ask what you want to know about the policy")
    assistant = _guarded(_assistant)
    passages = _guarded(lambda: assistant.retrieve(question, k=max(1, min(k, 10))))
    chat = _guarded(lambda: assistant.model(model)) if model else None
    result = _guarded(lambda: answer_question(question, passages, chat))
    if as_json:
        out.print_json(json.dumps(result, ensure_ascii=False, default=str))
        return
    if chat is not None:
        out.print(escape(str(result.get("answer", ""))) + "\n")
    for p in passages:
        out.print(f"[bold]{p.clause.id}[/] {escape(' '.join(p.clause.text.split()))}")


@policy_app.command("add")
def policy_add(
    file: Path = typer.Argument(..., help="A policy document (Markdown or plain text, UTF-8)."),
    policy_id: str | None = typer.Option(None, "--id", help="Policy id (default: from the file name)."),
) -> None:
    """Add a company policy; its clauses get ids from its numbering or headings, prefixed by the policy id."""
    import shutil

    from rai_assistant.policy import load_policy_file, slugify

    document = _guarded(lambda: load_policy_file(file, policy_id))
    assistant = _guarded(_assistant)
    if document.policy_id in assistant.registry.policies:
        existing = assistant.registry.policies[document.policy_id]
        if existing.source and Path(existing.source).parent != assistant.config.policy_dir():
            _fail(f"policy id {document.policy_id!r} is taken by a plugin; choose another with --id")
    folder = assistant.config.policy_dir()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = file.suffix.lower() if file.suffix.lower() in {".md", ".txt", ".markdown"} else ".txt"
    target = folder / f"{slugify(document.policy_id, max_words=8) or document.policy_id}{suffix}"
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(file, tmp)
    tmp.replace(target)
    hints = file.with_name(file.stem + ".hints.toml")
    if hints.is_file():
        shutil.copyfile(hints, target.with_name(target.stem + ".hints.toml"))
    fresh = _guarded(_assistant)
    _guarded(lambda: fresh.policy_index)
    out.print(
        f"added policy {document.policy_id} ({len(document.clauses)} clauses, version {document.version}); "
        f"clause ids: {', '.join(c.id for c in document.clauses[:8])}{' …' if len(document.clauses) > 8 else ''}"
    )


@policy_app.command("coverage")
def policy_coverage() -> None:
    """Show which enabled guards enforce each clause for each feature."""
    assistant = _guarded(_assistant)
    matrix = assistant.coverage()
    features = list(matrix)
    table = Table(title="Guards enforcing each clause, by feature")
    table.add_column("clause", no_wrap=True)
    for feature in features:
        table.add_column(feature, overflow="fold")
    clauses = next(iter(matrix.values())).keys() if matrix else []
    for clause in clauses:
        table.add_row(clause, *[", ".join(matrix[f][clause]) or "[red]UNCOVERED[/]" for f in features])
    out.print(table)
    disabled = {n: s.reason for n, s in assistant.config.guards.items() if not s.enabled}
    for name, reason in disabled.items():
        out.print(f"[yellow]disabled[/] {name}: {escape(reason)}")


# ---------------------------------------------------------------- audit


@audit_app.command("tail")
def audit_tail(n: int = typer.Option(20, "-n")) -> None:
    """Print the last audit records."""
    assistant = _guarded(_assistant)
    for r in assistant.audit.records(last=n):
        out.print_json(json.dumps(r, ensure_ascii=False))


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; exits 1 if it was altered."""
    assistant = _guarded(_assistant)
    problems = assistant.verify_audit()
    seq, digest = assistant.audit.head()
    if problems:
        for p in problems:
            err.print(f"[red]tampered:[/] {escape(p)}")
        raise typer.Exit(1)
    out.print(f"audit log intact: {seq} records, head {digest[:16]}")


# ---------------------------------------------------------------- eval


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    # JSON Lines separates records on "\n" only: str.splitlines() would also split inside a
    # valid record at U+2028, U+2029, U+0085 or a form feed, which json.dumps(ensure_ascii=False)
    # leaves unescaped. A "\r" before the "\n" (a CRLF file) is JSON white space.
    for n, line in enumerate(_read_file(path, "evaluation").split("\n"), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            _fail(f"{path}:{n} is not valid JSON ({exc.msg}); each line must be one JSON object")
        if not isinstance(item, dict) or "id" not in item:
            _fail(f"{path}:{n} must be a JSON object with an \"id\"")
        yield item


def _sidecar(path: Path) -> Path:
    return path.with_name(path.stem + "_meta" + path.suffix)


def _meta(path: Path) -> dict[str, dict[str, Any]] | None:
    sidecar = _sidecar(path)
    if not sidecar.is_file():
        return None
    return {m["id"]: m for m in _read_jsonl(sidecar)}


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _cannot_write(path: Path, what: str, exc: OSError) -> NoReturn:
    _fail(f"cannot write the {what} to {path}: {exc.strerror or exc}; give a file in a folder you can write to")


def _write_atomic(path: Path, text: str, what: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it: never a partial file."""
    tmp = _temp_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _cannot_write(path, what, exc)


def _write_predictions(path: Path, preds: list[dict[str, Any]]) -> None:
    _write_atomic(path, "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), "predictions")


def _print_lines(lines: list[str]) -> None:
    for line in lines:
        out.print(line, markup=False, highlight=False)


_REPORT_OPTION = typer.Option(
    None, "--report", help="Also write a self-contained HTML report (needs matplotlib) for compliance review."
)


def _prepare_report(path: Path | None) -> None:
    """Fail before the evaluation, not after it, if the report cannot be drawn or written."""
    if path is None:
        return
    from rai_assistant.report import require_plotting

    _guarded(require_plotting)
    if path.is_dir():
        _fail(f"cannot write the report to {path}: it is a folder; give a file name, such as {path / 'report.html'}")
    probe = _temp_beside(path)
    try:
        probe.write_text("", encoding="utf-8")
    except OSError as exc:
        _cannot_write(path, "report", exc)
    probe.unlink()


def _write_report(path: Path, render: Callable[[ReportHeader], str], assistant: Assistant, file: Path,
                  items: int, per_item: float) -> None:
    import hashlib
    from datetime import UTC, datetime

    from rai_assistant.app import VERSION
    from rai_assistant.report import ReportHeader

    files = [f for f in (file, _sidecar(file)) if f == file or f.is_file()]
    header = ReportHeader(
        generated=datetime.now(UTC),
        version=VERSION,
        policies=assistant.policy_versions(),
        # Names only: a path can hold a user name. The hash is of the bytes as read.
        files=tuple((f.name, hashlib.sha256(_read_file(f, "evaluation").encode("utf-8")).hexdigest()) for f in files),
        items=items,
        seconds_per_item=per_item,
    )
    _write_atomic(path, render(header), "report")
    out.print(f"report: {path}", markup=False, highlight=False)


@eval_app.command("requests")
def eval_requests(
    file: Path = typer.Argument(...),
    out_path: Path = typer.Option(..., "--out"),
    report: Path | None = _REPORT_OPTION,
) -> None:
    """Judge each request with the request guards; print precision, recall, F1 and more."""
    from rai_assistant._eval_requests import (
        Measurement,
        evaluate_requests,
        format_requests,
        measure_request,
        predict_request,
    )

    _prepare_report(report)
    assistant = _guarded(_assistant)
    gold = list(_read_jsonl(file))
    preds = []
    measured: dict[str, Measurement] = {}
    _guarded(partial(assistant.judge_request, "warm-up request", "free"))
    start = time.perf_counter()
    for item in gold:
        judge = partial(assistant.judge_request, item["text"], item.get("feature") or "free", measure=report is not None)
        findings = _guarded(judge)
        verdict, clauses = predict_request(findings)
        blocking = sorted((f for f in findings if f.blocking), key=lambda f: -(1.0 if f.score is None else f.score))
        category = blocking[0].category if blocking else ""
        preds.append({"id": item["id"], "verdict": verdict, "clauses": clauses, "category": category})
        if (m := measure_request(findings)) is not None:
            measured[str(item["id"])] = m
    per_item = (time.perf_counter() - start) / max(1, len(gold))
    _write_predictions(out_path, preds)
    results = evaluate_requests(gold, preds, _meta(file), per_item, measured)
    _print_lines(format_requests(results))
    if report is not None:
        from rai_assistant.report import requests_report

        _write_report(report, partial(requests_report, results), assistant, file, len(gold), per_item)


@eval_app.command("drafts")
def eval_drafts(
    file: Path = typer.Argument(...),
    out_path: Path = typer.Option(..., "--out"),
    report: Path | None = _REPORT_OPTION,
) -> None:
    """Judge each draft with the draft guards; print precision, recall, F1 and span recall."""
    from rai_assistant._eval_drafts import evaluate_drafts, format_drafts, predict_draft

    _prepare_report(report)
    assistant = _guarded(_assistant)
    gold = list(_read_jsonl(file))
    preds = []
    _guarded(partial(assistant.check, "Warm-up text for the guards."))
    start = time.perf_counter()
    for item in gold:
        findings = _guarded(partial(assistant.check, item["text"]))
        preds.append(predict_draft(item["text"], findings, item["id"]))
    per_item = (time.perf_counter() - start) / max(1, len(gold))
    _write_predictions(out_path, preds)
    results = evaluate_drafts(gold, preds, _meta(file), per_item)
    _print_lines(format_drafts(results))
    if report is not None:
        from rai_assistant.report import drafts_report

        _write_report(report, partial(drafts_report, results), assistant, file, len(gold), per_item)


@eval_app.command("questions")
def eval_questions(
    file: Path = typer.Argument(...),
    out_path: Path = typer.Option(..., "--out"),
    report: Path | None = _REPORT_OPTION,
) -> None:
    """Retrieve clauses for each question; print recall@1, recall@3 and MRR."""
    from rai_assistant._eval_questions import evaluate_questions, format_questions

    _prepare_report(report)
    assistant = _guarded(_assistant)
    gold = list(_read_jsonl(file))
    _guarded(partial(assistant.retrieve, "warm-up question", k=5))
    preds = []
    start = time.perf_counter()
    for item in gold:
        passages = _guarded(partial(assistant.retrieve, item["question"], k=8))
        preds.append({"id": item["id"], "clauses": [p.clause.id for p in passages]})
    per_item = (time.perf_counter() - start) / max(1, len(gold))
    _write_predictions(out_path, preds)
    results = _guarded(partial(evaluate_questions, gold, preds, per_item))
    _print_lines(format_questions(results))
    if report is not None:
        from rai_assistant.report import questions_report

        _write_report(report, partial(questions_report, results), assistant, file, len(gold), per_item)


def _load_plugin_commands() -> None:
    """Let plugins add sub-commands; a broken plugin must not hide the built-in commands' errors."""
    try:
        from rai_assistant.plugin_manager import build_plugin_manager

        dirs = _plugin_dirs_from_argv(sys.argv)
        pm = build_plugin_manager(dirs=dirs)
        _state["dirs"] = dirs
    except RaiError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from exc
    pm.hook.register_commands(cli=app)
    _state["pm"] = pm


def main() -> None:
    if os.environ.get("RAI_TRACE_PLUGINS", "") not in ("", "0"):
        import logging

        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
    _load_plugin_commands()
    app()


if __name__ == "__main__":
    main()
