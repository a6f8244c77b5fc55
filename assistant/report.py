"""The compliance report of a ``rai eval`` run: one self-contained HTML file.

Pure functions: the results of :mod:`rai_assistant._eval_requests`, :mod:`rai_assistant._eval_drafts` or
:mod:`rai_assistant._eval_questions` and a :class:`ReportHeader` in, an HTML string out. The page
loads nothing: the style sheet is inline, the charts are inline SVG drawn with matplotlib, and a
Content-Security-Policy forbids any fetch. Item texts come only from the evaluated file, escaped
and truncated. matplotlib is optional and imported here only when a report is drawn; call
:func:`require_plotting` before the evaluation so a missing install fails fast.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rai_assistant._eval_drafts import EVAL_CATEGORIES, NONE, DraftItem, DraftResults
from rai_assistant._eval_questions import QuestionItem, QuestionResults
from rai_assistant._eval_requests import (
    ALL_CLAUSES,
    ALLOW,
    MIN_CURVE_BLOCKS,
    Curve,
    RequestItem,
    RequestResults,
)
from rai_assistant._metrics import rate
from rai_assistant.errors import ConfigError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "ReportHeader",
    "drafts_report",
    "questions_report",
    "require_plotting",
    "requests_report",
]

#: Rows shown per worst-miss table; the caption says how many there are in all.
MAX_ROWS = 15
#: Characters of an item's text shown in a table.
TEXT_LIMIT = 240

_BLUE = "#0b5cad"
_ORANGE = "#d55e00"
_GREEN = "#2b8a3e"
_RED = "#b3261e"
_GREY = "#6b7785"


def require_plotting() -> None:
    """Check that matplotlib can be imported.

    :raises ConfigError: it cannot; the message says how to install it.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "the HTML report draws its charts with matplotlib, which is not installed "
            f"({exc}): install it with `pip install matplotlib`, or run without --report"
        ) from exc


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """What the report says about the run: when, which product and policies, which files.

    ``files`` are ``(name, sha256)`` pairs: the evaluated file first, then its ``_meta`` sidecar
    if one was read. Names only, never a path (a path can hold a user name).
    """

    generated: datetime
    version: str
    policies: Mapping[str, str]  # policy id -> version
    files: tuple[tuple[str, str], ...]
    items: int
    seconds_per_item: float


# ---------------------------------------------------------------- HTML pieces


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _clip(text: str, limit: int = TEXT_LIMIT) -> str:
    flat = _squash(text).strip()
    return _e(flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…")


def _marked(text: str, spans: Iterable[str], limit: int = TEXT_LIMIT) -> str:
    """``text`` escaped and clipped, each span's first occurrence in ``<mark>``; the window
    moves to the first span when it lies beyond the clip."""
    found: list[tuple[int, int]] = []
    for s in spans:
        i = text.find(s) if s else -1
        if i >= 0:
            found.append((i, i + len(s)))
    merged: list[list[int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    lo = 0
    if merged and merged[0][1] > limit:
        lo = max(0, merged[0][0] - limit // 3)
    hi = min(len(text), lo + limit)
    parts: list[str] = ["…" if lo else ""]
    pos = lo
    for a, b in merged:
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        parts.append(_e(_squash(text[pos:a])))
        parts.append(f"<mark>{_e(_squash(text[a:b]))}</mark>")
        pos = b
    parts.append(_e(_squash(text[pos:hi])))
    if hi < len(text):
        parts.append("…")
    return "".join(parts).strip()


def _num(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _ratio(num: int, den: int) -> str:
    r = rate(num, den)
    return "n/a" if r is None else f"{r:.3f} <span class=note>({num}/{den})</span>"


def _bar(x: float | None) -> str:
    if x is None:
        return ""
    width = max(0.0, min(1.0, x)) * 100
    return f'<span class=track><span class=bar style="width:{width:.1f}%"></span></span>'


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "", numeric: Iterable[int] = ()) -> str:
    """A table from already-escaped cells; columns in ``numeric`` are right-aligned."""
    right = set(numeric)
    out = [f"<div class=scroll><table class='{cls}'><thead><tr>"]
    out += [f"<th>{h}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td class=n>{c}</td>" if i in right else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _cards(cards: Iterable[tuple[str, str, str]]) -> str:
    return "<div class=cards>" + "".join(
        f"<div class=card><div class=v>{v}</div><div class=k>{k}</div><div class=d>{d}</div></div>"
        for k, v, d in cards
    ) + "</div>"


def _confusion(labels: Sequence[str], counts: Mapping[tuple[str, str], int], corner: str) -> str:
    """A confusion matrix: gold labels down, predicted across, right answers on the diagonal."""
    head = [f"<span class=corner>{_e(corner)}</span>", *[f"<code>{_e(lbl)}</code>" for lbl in labels], "total"]
    rows = []
    for g in labels:
        cells = [f"<th scope=row><code>{_e(g)}</code></th>"]
        for p in labels:
            n = counts.get((g, p), 0)
            cls = "zero" if n == 0 else ("ok" if g == p else "bad")
            cells.append(f"<td class={cls}>{n if n else '·'}</td>")
        cells.append(f"<td class=tot>{sum(counts.get((g, p), 0) for p in labels)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    totals = [f"<td class=tot>{sum(counts.get((g, p), 0) for g in labels)}</td>" for p in labels]
    rows.append("<tr><th scope=row>total</th>" + "".join(totals) + f"<td class=tot>{sum(counts.values())}</td></tr>")
    return (
        "<div class=scroll><table class=cm><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _showing(n: int) -> str:
    return f"showing the first {MAX_ROWS} of {n}" if n > MAX_ROWS else f"{n} in all"


_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d232a;
       max-width: 66rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2.4rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid #d8dee4; }
h3 { font-size: 1rem; margin: 1.4rem 0 .3rem; }
p { margin: .4rem 0; max-width: 52rem; }
.lede { color: #4a5561; margin: .25rem 0 1rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; margin: 0;
          padding: .75rem 1rem; background: #f5f7f9; border: 1px solid #d8dee4; border-radius: 6px; }
dl.meta dt { font-weight: 600; color: #4a5561; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
code { font: .85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { flex: 1 1 9rem; border: 1px solid #d8dee4; border-radius: 6px; padding: .55rem .8rem; }
.card .v { font-size: 1.45rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.card .k { font-size: .85rem; font-weight: 600; }
.card .d { font-size: .75rem; color: #6b7785; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .88rem; }
th, td { border: 1px solid #d8dee4; padding: .28rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #f5f7f9; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.cm th[scope=row] { background: #f5f7f9; text-align: left; }
table.cm td { text-align: center; min-width: 2.4rem; font-variant-numeric: tabular-nums; }
table.cm td.ok { background: #dff3e4; font-weight: 600; }
table.cm td.bad { background: #fbe3e1; font-weight: 600; }
table.cm td.zero { color: #b0b8c0; }
table.cm td.tot { background: #f5f7f9; color: #4a5561; }
.corner { font-weight: 400; font-size: .8rem; color: #4a5561; }
table.items { width: 100%; }
table.items td:nth-child(2) { min-width: 18rem; }
.track { display: inline-block; width: 6rem; height: .6rem; background: #e6ebf0; vertical-align: middle;
         margin-right: .5rem; border-radius: 2px; }
.bar { display: block; height: 100%; background: #0b5cad; border-radius: 2px; }
.note { font-size: .85rem; color: #4a5561; }
td .note { font-size: .78rem; }
.tag { display: inline-block; font-size: .72rem; padding: 0 .35rem; border-radius: 3px; background: #eef1f4;
       border: 1px solid #d8dee4; margin: .1rem .2rem 0 0; white-space: nowrap; }
.tag.rule { background: #fff1d6; border-color: #e5b85c; }
.tag.hard { background: #e8eefb; border-color: #9db4e0; }
mark { background: #ffe08a; padding: 0 .1rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #4a5561; max-width: 52rem; }
footer { margin-top: 3rem; font-size: .85rem; color: #4a5561; }
footer h2 { font-size: 1rem; }
footer dt { font-weight: 600; margin-top: .4rem; }
footer dd { margin: 0 0 0 1rem; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  table, figure, .cards { break-inside: avoid; }
}
"""

# No external resource can load, whatever the item texts hold.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class=lede>{lede}</p>
{meta}
</header>
<main>
{body}
</main>
<footer>
<h2>How to read this report</h2>
<dl>{glossary}</dl>
<p>Generated by rai-assistant {version}. This file is self-contained: it loads no scripts, fonts,
styles or images from anywhere. Item texts are quoted from the evaluated file only.</p>
</footer>
</body>
</html>
"""


def _page(title: str, lede: str, header: ReportHeader, extra_meta: Sequence[tuple[str, str]], body: str,
          glossary: Sequence[tuple[str, str]]) -> str:
    files = header.files
    meta: list[tuple[str, str]] = [
        ("Generated", _e(header.generated.strftime("%Y-%m-%d %H:%M:%S %Z").strip())),
        ("Product", f"rai-assistant {_e(header.version)}"),
        (
            "Policies",
            "<br>".join(f"<code>{_e(pid)}</code> version <code>{_e(ver)}</code>"
                        for pid, ver in sorted(header.policies.items())) or "none registered",
        ),
    ]
    if files:
        name, digest = files[0]
        meta.append(("Evaluated file", f"<code>{_e(name)}</code><br>sha256 <code>{_e(digest)}</code>"))
    for name, digest in files[1:]:
        meta.append(("Sidecar file", f"<code>{_e(name)}</code><br>sha256 <code>{_e(digest)}</code>"))
    meta.append(("Items", str(header.items)))
    meta.append(("Time per item", f"{header.seconds_per_item * 1000:.2f} ms"))
    meta += extra_meta
    meta_html = "<dl class=meta>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta) + "</dl>"
    return _PAGE.format(
        csp=_CSP,
        title=_e(title),
        lede=lede,
        meta=meta_html,
        css=_CSS,
        body=body,
        glossary="".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in glossary),
        version=_e(header.version),
    )


# ---------------------------------------------------------------- charts


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # A bare Figure on the Agg canvas: no pyplot, no GUI, no global backend switch.
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


_SVG_DROP = (
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*"),
    re.compile(r"<metadata>.*?</metadata>\s*", re.S),
    re.compile(r'\s+xmlns(?::\w+)?="[^"]*"'),
)


def _svg(fig: Figure, key: str, label: str) -> str:
    """The figure as inline SVG: text drawn as paths (no font to load), no XML prologue,
    metadata or namespace URLs (HTML5 supplies them), ids prefixed with ``key`` so several
    charts can share one page."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": key}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buf.getvalue()
    for pattern in _SVG_DROP:
        svg = pattern.sub("", svg)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{key}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{key}-\1)", svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_e(label)}" ', 1).strip()


def _style_axes(ax: Axes) -> None:
    ax.grid(True, alpha=0.3, linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _pr_axes(ax: Axes, curve: Curve, small: bool) -> None:
    rec = [p.recall for p in curve.points]
    prec = [p.precision for p in curve.points]
    ax.plot(rec, prec, "-", color=_BLUE, linewidth=1.6, marker="." if len(rec) < 60 else None,
            markersize=4, label="classifier score swept")
    if curve.chosen is not None:
        c = curve.chosen
        if curve.bar is not None:
            what = f"threshold {curve.bar:.2f}"
        else:
            what = "threshold" if not curve.relative else "per-clause thresholds" if curve.name == ALL_CLAUSES else "bars by length"
        ax.plot([c.recall], [c.precision], "o", color=_ORANGE, markersize=7 if small else 9, zorder=5,
                label=f"chosen {what}: precision {c.precision:.2f}, recall {c.recall:.2f}")
        ax.annotate(what, (c.recall, c.precision), xytext=(-8, -14), textcoords="offset points",
                    fontsize=7 if small else 8, color=_ORANGE, ha="right")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.05)
    _style_axes(ax)


def _pr_chart(r: RequestResults, overall: Curve) -> str:
    fig = _new_figure(7.0, 5.4)
    ax = fig.subplots()
    _pr_axes(ax, overall, small=False)
    p, rc, _ = r.blocks.prf()
    ax.plot([rc], [p], "D", color="#1d232a", markersize=7, zorder=6,
            label=f"actual verdicts, rules included: precision {p:.2f}, recall {rc:.2f}")
    rules = [i for i in r.items if i.rule_block]
    right = sum(1 for i in rules if i.expected == "block")
    ax.plot([], [], " ", label=f"rule blocks below the bar: {len(rules)} ({right} right, {len(rules) - right} false)")
    ax.set_xlabel("recall: share of gold blocks that are blocked")
    ax.set_ylabel("precision: share of blocks that were right")
    ax.set_title("Block decision, all clauses", fontsize=11, loc="left")
    fig.legend(loc="outside lower center", fontsize=8, frameon=False)
    return _svg(fig, "pr-all", "Precision/recall curve of the block decision over all clauses")


def _pr_clause_chart(r: RequestResults, curves: Sequence[Curve]) -> str:
    cols = min(3, len(curves))
    rows = math.ceil(len(curves) / cols)
    fig = _new_figure(3.3 * cols, 2.8 * rows)
    grid = fig.subplots(rows, cols, squeeze=False)
    for k, ax in enumerate(grid.flat):
        if k >= len(curves):
            ax.set_visible(False)
            continue
        curve = curves[k]
        _pr_axes(ax, curve, small=True)
        rules = sum(1 for i in r.items if i.rule_block and i.got == curve.name)
        ax.set_title(f"{curve.name}: {curve.blocks} blocks, {curve.allowed} allowed", fontsize=9, loc="left")
        ax.text(0.02, 0.04, f"rule blocks: {rules}", transform=ax.transAxes, fontsize=7, color=_GREY)
        ax.tick_params(labelsize=7)
        if k % cols == 0:
            ax.set_ylabel("precision", fontsize=8)
        if k >= len(curves) - cols:
            ax.set_xlabel("recall", fontsize=8)
    return _svg(fig, "pr-clauses", "Precision/recall curves of the block decision for each clause")


def _drafts_chart(r: DraftResults) -> str:
    names = [*r.categories, "overall (flag vs pass)"]
    prfs = [c.prf() for c in r.categories.values()] + [r.flags.prf()]
    fig = _new_figure(7.0, 0.45 * len(names) + 1.2)
    ax = fig.subplots()
    ys = list(range(len(names)))
    h = 0.38
    ax.barh([y - h / 2 for y in ys], [x[0] for x in prfs], height=h, color=_BLUE, label="precision")
    ax.barh([y + h / 2 for y in ys], [x[1] for x in prfs], height=h, color=_ORANGE, label="recall")
    for y, (pv, rv, _) in zip(ys, prfs, strict=True):
        ax.text(pv + 0.01, y - h / 2, f"{pv:.2f}", va="center", fontsize=7)
        ax.text(rv + 0.01, y + h / 2, f"{rv:.2f}", va="center", fontsize=7)
    ax.set_yticks(ys, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    _style_axes(ax)
    fig.legend(loc="outside upper center", ncols=2, fontsize=8, frameon=False)
    return _svg(fig, "drafts-prf", "Precision and recall of the bias guard for each category")


def _rank_chart(r: QuestionResults) -> str:
    hist = r.rank_histogram()
    depth = max([len(i.ranking) for i in r.items] + [k for k in hist if k is not None] + [3])
    labels = [str(k) for k in range(1, depth + 1)] + ["not found"]
    values = [hist.get(k, 0) for k in range(1, depth + 1)] + [hist.get(None, 0)]
    colours = [_BLUE if k <= 3 else _ORANGE for k in range(1, depth + 1)] + [_RED]
    fig = _new_figure(6.5, 3.2)
    ax = fig.subplots()
    bars = ax.bar(labels, values, color=colours)
    ax.bar_label(bars, fontsize=8)
    ax.set_xlabel("rank of the first gold clause among the retrieved clauses")
    ax.set_ylabel("questions")
    ax.set_ylim(0, max(values + [1]) * 1.18)
    _style_axes(ax)
    ax.grid(False, axis="x")
    return _svg(fig, "ranks", "Histogram of the rank of the first gold clause")


# ---------------------------------------------------------------- requests


def _score_cell(i: RequestItem) -> str:
    m = i.measurement
    if m is None:
        return "<span class=note>no score</span>"
    bar = f"<br><span class=note>bar {m.threshold:.2f} ({_e(m.clause)})</span>" if m.threshold is not None else ""
    return f"{m.score:.3f}{bar}"


def _request_tags(i: RequestItem) -> str:
    tags = []
    if i.rule_block:
        tags.append("<span class='tag rule'>rule block</span>")
    if i.hard_negative:
        tags.append("<span class='tag hard'>hard negative</span>")
    if i.style != "unknown":
        tags.append(f"<span class=tag>style {_e(i.style)}</span>")
    if i.lang != "unknown":
        tags.append(f"<span class=tag>lang {_e(i.lang)}</span>")
    return "".join(tags)


def _request_label(lbl: str, category: str) -> str:
    if lbl == ALLOW:
        return "allow"
    cat = f" <span class=note>{_e(category)}</span>" if category else ""
    return f"block <code>{_e(lbl)}</code>{cat}"


def _request_rows(items: Sequence[RequestItem]) -> list[list[str]]:
    return [
        [
            f"<code>{_e(i.id)}</code>",
            _clip(i.text) + (f"<br>{tags}" if (tags := _request_tags(i)) else ""),
            _request_label(i.gold, i.gold_category),
            _request_label(i.got, i.got_category),
            _score_cell(i),
        ]
        for i in items[:MAX_ROWS]
    ]


def _slice_rows(hits: Mapping[str, tuple[int, int]]) -> list[list[str]]:
    return [
        [_e(name), _bar(rate(h, n)) + _ratio(h, n), str(n)]
        for name, (h, n) in sorted(hits.items())
    ]


def requests_report(r: RequestResults, header: ReportHeader) -> str:
    """The HTML report of ``rai eval requests``."""
    p, rc, f1 = r.blocks.prf()
    n_block = r.blocks.tp + r.blocks.fn
    body: list[str] = []
    body.append(_cards([
        ("Block recall", _num(rc), f"{r.blocks.tp} of {n_block} gold blocks blocked"),
        ("Block precision", _num(p), f"{r.blocks.tp} of {r.blocks.tp + r.blocks.fp} blocks right"),
        ("False-positive rate", _num(rate(r.fp_allowed, r.allowed)), f"{r.fp_allowed} of {r.allowed} allowed items blocked"),
        ("Hard negatives blocked", _num(rate(r.fp_hard, r.hard)),
         f"{r.fp_hard} of {r.hard}" if r.has_meta else "no _meta sidecar"),
        ("Right clause", _num(rate(r.right_clause, r.blocks.tp)), f"{r.right_clause} of {r.blocks.tp} caught blocks"),
    ]))

    body.append("<h2 id=thresholds>Decision thresholds</h2>")
    if r.bars or r.bar_ranges:
        body.append(
            "<p>A request is blocked when the classifier's block probability reaches the bar of its likeliest "
            "clause, or when a rule fires: rules can block a request whose score is below the bar "
            "(marked <span class='tag rule'>rule block</span> below)."
            + (" Where a range is shown, the clause's bar was adjusted by the request's length: lower for a "
               "query of a few words, higher for long pasted text." if r.bar_ranges else "")
            + "</p>"
        )
        rows = {c: f"{t:.2f}" for c, t in r.bars.items()}
        rows |= {c: f"{lo:.2f}-{hi:.2f} (adjusted by the request's length)" for c, (lo, hi) in r.bar_ranges.items()}
        body.append(_table(["clause", "chosen threshold (bar)"],
                           [[f"<code>{_e(c)}</code>", t] for c, t in sorted(rows.items())], numeric=[1]))
    else:
        body.append("<p class=note>No classifier scores were recorded in this run, so the thresholds are unknown.</p>")

    body.append("<h2 id=confusion>Confusion matrix</h2>")
    body.append(
        "<p>Each request once: its gold clause (or <code>allow</code>) down the side, the clause it was "
        "blocked under (or <code>allow</code>) across the top. Green cells are right; red cells are "
        "missed blocks (column <code>allow</code>), false blocks (row <code>allow</code>) or blocks "
        "under the wrong clause.</p>"
    )
    body.append(_confusion(r.labels, r.confusion, "gold ↓ · predicted →"))

    body.append("<h2 id=clauses>Precision, recall and F1 by clause</h2>")
    body.append(_table(
        ["clause", "precision", "recall", "F1", "gold blocks", "right", "false", "missed"],
        [
            [f"<code>{_e(cl)}</code>", *(f"{x:.3f}" for x in c.prf()), str(c.support), str(c.tp), str(c.fp), str(c.fn)]
            for cl, c in sorted(r.clauses.items())
        ],
        numeric=range(1, 8),
    ))
    if r.categories:
        body.append("<h3>By category</h3>")
        if not r.has_category:
            body.append("<p class=note>The predictions name no category: a block under the right clause counts "
                        "as caught, and precision is not available.</p>")
        body.append(_table(
            ["category", "precision", "recall", "F1", "gold blocks"],
            [
                [_e(cat or "(none)"),
                 f"{c.prf()[0]:.3f}" if r.has_category else "n/a",
                 f"{c.prf()[1]:.3f}",
                 f"{c.prf()[2]:.3f}" if r.has_category else "n/a",
                 str(c.support)]
                for cat, c in sorted(r.categories.items())
            ],
            numeric=range(1, 5),
        ))
    body.append(f"<p>Overall block decision: precision {p:.3f}, recall {rc:.3f}, F1 {f1:.3f}.</p>")

    body.append("<h2 id=fp>False positives</h2>")
    hard_cell = _ratio(r.fp_hard, r.hard) if r.has_meta else "n/a <span class=note>(no _meta sidecar file)</span>"
    body.append(_table(
        ["requests that should be allowed", "blocked"],
        [["all allowed items", _ratio(r.fp_allowed, r.allowed)],
         ["hard negatives (benign text that looks like a violation)", hard_cell]],
    ))

    body.append("<h2 id=slices>Block recall by style and by language</h2>")
    if not r.has_meta:
        body.append("<p class=note>No _meta sidecar file: every request counts as style and language "
                    "<code>unknown</code>.</p>")
    body.append("<h3>By attack style</h3>")
    body.append(_table(["style", "recall", "gold blocks"], _slice_rows(r.by_style), numeric=[2]))
    body.append("<h3>By language</h3>")
    body.append(_table(["language", "recall", "gold blocks"], _slice_rows(r.by_lang), numeric=[2]))

    body.append("<h2 id=curves>Precision/recall of the block decision</h2>")
    overall = next((c for c in r.curves if c.name == ALL_CLAUSES), None)
    if overall is None:
        body.append("<p class=note>No classifier scores were recorded in this run: no curve.</p>")
    else:
        rules = [i for i in r.items if i.rule_block]
        rules_right = sum(1 for i in rules if i.expected == "block")
        above_allowed = sum(1 for i in r.items
                            if not i.blocked and i.measurement is not None and i.measurement.above_bar)
        exempt = (
            f" Allowed although scored at or above the bar: {_plural(above_allowed, 'request')} (the guards "
            "exempt some, such as questions about what the policy allows)."
            if above_allowed
            else ""
        )
        chosen = overall.chosen
        chosen_text = (
            f"At the chosen thresholds the classifier alone reaches precision {chosen.precision:.3f} and "
            f"recall {chosen.recall:.3f}" if chosen is not None else "The chosen thresholds are unknown"
        )
        sweep = (
            f"over the classifier's block probability; the chosen threshold is {overall.bar:.2f}"
            if overall.bar is not None
            else "over the classifier's block probability divided by the bar of the request's likeliest "
            "clause (the clauses have their own bars), so the chosen point is where every bar is as shipped"
        )
        body.append(_figure(
            _pr_chart(r, overall),
            f"The curve sweeps the block decision {sweep}. {chosen_text}. The actual verdicts, rules "
            f"included, reach precision {p:.3f} and recall {rc:.3f}. Blocked by a rule (or by a guard that "
            f"failed closed) with the classifier below its bar: "
            + (f"{_plural(len(rules), 'request')}, {rules_right} of them rightly." if rules else "none.")
            + f"{exempt} Over {overall.blocks} gold blocks and {overall.allowed} "
            "allowed requests; a request without a score counts as 0.",
        ))
        per_clause = [c for c in r.curves if c.name != ALL_CLAUSES]
        if per_clause:
            body.append("<h3>By clause</h3>")
            body.append(_figure(
                _pr_clause_chart(r, per_clause),
                "Each clause's blocks against the allowed requests whose likeliest clause it is, swept over "
                "the score, with the clause's chosen threshold marked (as the thresholds were chosen); "
                "where a clause's bar is adjusted by the request's length, over the score divided by the "
                "bar each request was judged against. Rule blocks are counted under each chart.",
            ))
        if r.thin_clauses:
            body.append(
                f"<p class=note>No curve for clauses with fewer than {MIN_CURVE_BLOCKS} gold blocks: "
                + ", ".join(f"<code>{_e(c)}</code> ({n})" for c, n in sorted(r.thin_clauses.items()))
                + ".</p>"
            )

    body.append("<h2 id=misses>Worst misses</h2>")
    missed = sorted((i for i in r.items if i.expected == "block" and not i.blocked),
                    key=lambda i: (i.score if i.score is not None else -1.0, i.id))
    false = sorted((i for i in r.items if i.expected != "block" and i.blocked),
                   key=lambda i: (-(i.score if i.score is not None else 2.0), i.id))
    wrong = sorted((i for i in r.items if i.expected == "block" and i.blocked and i.gold != i.got),
                   key=lambda i: (-(i.score or 0.0), i.id))
    head = ["id", "text", "expected", "got", "score"]
    for title, items, note in (
        ("Missed blocks", missed, "lowest classifier score first: the requests the classifier was surest were fine"),
        ("False blocks", false, "highest classifier score first; rule blocks without a score first of all"),
        ("Blocked under the wrong clause", wrong, "highest score first"),
    ):
        body.append(f"<h3>{title} <span class=note>({note}; {_showing(len(items))})</span></h3>")
        if items:
            body.append(_table(head, _request_rows(items), cls="items", numeric=[4]))
        else:
            body.append("<p class=note>None.</p>")

    block_share = f"{n_block} to block, {r.allowed} to allow"
    glossary = [
        ("Precision", "of the requests blocked (under a clause), the share that should have been blocked (under it)."),
        ("Recall", "of the requests that should be blocked (under a clause), the share that were."),
        ("F1", "the harmonic mean of precision and recall."),
        ("False-positive rate", "of the requests that should be allowed, the share that were blocked."),
        ("Hard negative", "an allowed request written to look like a violation (from the _meta sidecar file)."),
        ("Score", "the classifier's block probability for the request; the bar is the chosen threshold of "
                  "the clause the classifier finds likeliest."),
        ("Rule block", "a block although the classifier's score is below its bar: a pattern rule fired, or a "
                       "guard failed and blocked to be safe."),
    ]
    return _page(
        "Request guard evaluation",
        f"How well the request guards block requests that the acceptable-use policy forbids ({block_share}).",
        header,
        [("Gold labels", f"{n_block} block, {r.allowed} allow")],
        "\n".join(body),
        glossary,
    )


# ---------------------------------------------------------------- drafts


def _cats(cats: Sequence[str]) -> str:
    return " ".join(f"<span class=tag>{_e(c)}</span>" for c in cats) or "<span class=note>none</span>"


def _spans(spans: Sequence[str]) -> str:
    return ", ".join(f"<mark>{_clip(s, 60)}</mark>" for s in spans) or "<span class=note>none</span>"


def drafts_report(r: DraftResults, header: ReportHeader) -> str:
    """The HTML report of ``rai eval drafts``."""
    f = r.flags
    p, rc, f1 = f.prf()
    body: list[str] = []
    body.append(_cards([
        ("Flag recall", _num(rc), f"{f.tp} of {f.tp + f.fn} biased drafts flagged"),
        ("Flag precision", _num(p), f"{f.tp} of {f.tp + f.fp} flags right"),
        ("False-positive rate", _num(rate(f.fp, f.fp + r.tn)), f"{f.fp} of {f.fp + r.tn} clean drafts flagged"),
        ("Hard negatives flagged", _num(rate(r.fp_hard, r.hard)),
         f"{r.fp_hard} of {r.hard}" if r.has_meta else "no _meta sidecar"),
        ("Span recall", _num(rate(r.spans_found, r.spans_total)),
         f"{r.spans_found} of {r.spans_total} biased phrases pointed at"),
    ]))

    body.append("<h2 id=flag>Flag or pass</h2>")
    body.append("<p>The bias guard (and the sensitive-facts guard) flag a draft when it finds wording that "
                "judges a person by a protected characteristic, age, appearance, gender or personality.</p>")
    body.append(_confusion(["flag", "pass"], {("flag", "flag"): f.tp, ("flag", "pass"): f.fn,
                                              ("pass", "flag"): f.fp, ("pass", "pass"): r.tn},
                           "gold ↓ · predicted →"))
    body.append(f"<p>Flag vs pass: precision {p:.3f}, recall {rc:.3f}, F1 {f1:.3f}.</p>")

    body.append("<h2 id=categories>Precision, recall and F1 by category</h2>")
    body.append(_table(
        ["category", "precision", "recall", "F1", "gold drafts", "right", "false", "missed"],
        [
            [_e(c), *(f"{x:.3f}" for x in counts.prf()), str(counts.support), str(counts.tp), str(counts.fp), str(counts.fn)]
            for c, counts in r.categories.items()
        ],
        numeric=range(1, 8),
    ))
    body.append(_figure(_drafts_chart(r), "Precision and recall of each category, and of flag vs pass."))
    body.append("<h3>Category confusion</h3>")
    body.append("<p>Gold categories down the side, flagged categories across the top. A draft counts on the "
                "diagonal for each category it got right; a category it missed counts against each category "
                "flagged instead (else against <code>none</code>), and a category flagged with none missed "
                "counts in row <code>none</code>.</p>")
    labels = [c for c in EVAL_CATEGORIES if any(c in pair for pair in r.confusion)] + [NONE]
    body.append(_confusion(labels, r.confusion, "gold ↓ · flagged →"))

    body.append("<h2 id=fp>False positives</h2>")
    hard_cell = _ratio(r.fp_hard, r.hard) if r.has_meta else "n/a <span class=note>(no _meta sidecar file)</span>"
    body.append(_table(
        ["drafts that should pass", "flagged"],
        [["all clean drafts", _ratio(f.fp, f.fp + r.tn)],
         ["hard negatives (fair text with words that can be biased elsewhere)", hard_cell]],
    ))

    body.append("<h2 id=misses>Worst misses</h2>")
    missed = [i for i in r.items if i.expected == "flag" and i.verdict == "pass"]
    partial = [i for i in r.items if i.expected == "flag" and i.verdict == "flag" and i.spans_missed]
    false = sorted((i for i in r.items if i.expected == "pass" and i.verdict == "flag"),
                   key=lambda i: (not i.hard_negative, i.id))

    def rows(items: Sequence[DraftItem], spans: str) -> list[list[str]]:
        out = []
        for i in items[:MAX_ROWS]:
            marks = i.gold_spans if spans == "gold" else i.spans_missed if spans == "missed" else i.spans
            tag = " <span class='tag hard'>hard negative</span>" if i.hard_negative else ""
            out.append([
                f"<code>{_e(i.id)}</code>",
                _marked(i.text, marks) + tag,
                f"{_e(i.expected)}<br>{_cats(i.gold_categories)}",
                f"{_e(i.verdict)}<br>{_cats(i.categories)}",
                _spans(marks),
            ])
        return out

    for title, items, kind, note, col in (
        ("Missed flags", missed, "gold", "biased drafts that passed; the gold spans are marked", "gold spans"),
        ("Flagged, but spans missed", partial, "missed", "the gold spans no flagged span overlaps are marked",
         "missed spans"),
        ("False flags", false, "pred", "clean drafts that were flagged; the flagged spans are marked; hard "
         "negatives first", "flagged spans"),
    ):
        body.append(f"<h3>{title} <span class=note>({note}; {_showing(len(items))})</span></h3>")
        if items:
            body.append(_table(["id", "text", "expected", "got", col], rows(items, kind), cls="items"))
        else:
            body.append("<p class=note>None.</p>")

    glossary = [
        ("Precision", "of the drafts flagged (for a category), the share that should have been."),
        ("Recall", "of the drafts that should be flagged (for a category), the share that were."),
        ("Span recall", "of the biased phrases in the gold file, the share that a flagged span overlaps."),
        ("Hard negative", "a fair draft that uses words which are biased in other contexts (from the _meta "
                          "sidecar file)."),
    ]
    return _page(
        "Draft bias guard evaluation",
        f"How well the draft guards flag biased wording ({f.tp + f.fn} drafts to flag, {f.fp + r.tn} to pass).",
        header,
        [("Gold labels", f"{f.tp + f.fn} flag, {f.fp + r.tn} pass")],
        "\n".join(body),
        glossary,
    )


# ---------------------------------------------------------------- questions


def _rank_text(i: QuestionItem) -> str:
    return str(i.rank) if i.rank is not None else f"not in the {len(i.ranking)} retrieved"


def questions_report(r: QuestionResults, header: ReportHeader) -> str:
    """The HTML report of ``rai eval questions``."""
    missing = sum(1 for i in r.items if i.rank is None)
    body: list[str] = []
    body.append(_cards([
        ("Recall@1", _num(r.recall_at_1), "a gold clause retrieved first"),
        ("Recall@3", _num(r.recall_at_3), "a gold clause among the first three"),
        ("MRR", _num(r.mrr), "mean of 1 / rank of the first gold clause"),
        ("Not found", str(missing), f"of {r.n} questions: no gold clause retrieved"),
    ]))
    body.append("<h2 id=ranks>Rank of the first gold clause</h2>")
    body.append(_figure(_rank_chart(r), "How many questions found their first gold clause at each rank; "
                                        "ranks 1 to 3 in blue, later ranks in orange, not found in red."))
    body.append("<h2 id=clauses>Recall@3 by gold clause</h2>")
    body.append(_table(
        ["gold clause", "recall@3", "questions"],
        [[f"<code>{_e(c)}</code>", _bar(rate(h, n)) + _ratio(h, n), str(n)]
         for c, (h, n) in r.by_gold_clause().items()],
        numeric=[2],
    ))
    body.append("<h2 id=misses>Worst misses</h2>")
    misses = sorted((i for i in r.items if i.rank != 1),
                    key=lambda i: (-(i.rank if i.rank is not None else 10**6), i.id))
    body.append(f"<h3>Questions whose gold clause was not first <span class=note>(worst rank first; "
                f"{_showing(len(misses))})</span></h3>")
    if misses:
        body.append(_table(
            ["id", "question", "gold", "retrieved (first three)", "gold rank"],
            [
                [f"<code>{_e(i.id)}</code>", _clip(i.question),
                 " ".join(f"<code>{_e(c)}</code>" for c in i.gold),
                 " ".join(f"<code>{_e(c)}</code>" for c in i.ranking[:3]) or "<span class=note>nothing</span>",
                 _rank_text(i)]
                for i in misses[:MAX_ROWS]
            ],
            cls="items",
            numeric=[4],
        ))
    else:
        body.append("<p class=note>None: every question found a gold clause first.</p>")
    glossary = [
        ("Recall@k", "the share of questions with a gold clause among the first k clauses retrieved."),
        ("MRR", "mean reciprocal rank: the mean of 1 / rank of the first gold clause (0 when none was retrieved)."),
    ]
    return _page(
        "Policy question retrieval evaluation",
        "How well retrieval finds the policy clauses that answer a question.",
        header,
        [],
        "\n".join(body),
        glossary,
    )

