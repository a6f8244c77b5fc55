"""Print the Markdown tables of ``docs/acceptable-use.md`` and ``docs/bias.md`` from the last
training reports.

    python training/report_tables.py

Reads ``training/reports/request_guard_heldout.json`` (written by ``train_request_guard.py``),
``training/reports/request_guard_second_opinion.json`` (``train_second_opinion.py``) and
``training/reports/bias_model_heldout.json`` (``train_bias_model.py``), so the figures in the docs
are copied from a run, never typed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPORTS = Path(__file__).resolve().parent / "reports"


def _at(curve: list[dict[str, float]], bar: float) -> dict[str, float]:
    """The curve's point at ``bar`` (the curves are sampled every 0.01)."""
    return min(curve, key=lambda p: abs(p["threshold"] - bar))


def clause_table(report: dict[str, Any]) -> str:
    rows = [
        "| clause | shipped bar | recall at the bar | FPR at the bar | bar 0.10 lower: recall / FPR "
        "| bar 0.05 higher: recall / FPR |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for clause, bar in sorted(report["thresholds"].items()):
        curve = report["curves"][clause]
        here, low, high = _at(curve, bar), _at(curve, bar - 0.10), _at(curve, bar + 0.05)
        rows.append(
            f"| {clause} | {bar:.2f} | {here['recall']:.3f} | {here['fpr']:.4f} "
            f"| {low['recall']:.3f} / {low['fpr']:.4f} | {high['recall']:.3f} / {high['fpr']:.4f} |"
        )
    return "\n".join(rows)


def source_table(report: dict[str, Any]) -> str:
    rows = ["| held-out source | recall / FPR | hard-negative FPR |", "| --- | --- | --- |"]
    for name, s in sorted(report["per_source"].items()):
        rows.append(f"| {name} | {s['recall']:.3f} / {s['fpr']:.3f} | {s['hard_negative_fpr']:.3f} |")
    o = report["overall"]
    rows.append(f"| **pooled** | **{o['recall']:.3f} / {o['fpr']:.3f}** | {o['hard_negative_fpr']:.3f} |")
    return "\n".join(rows)


def length_table(report: dict[str, Any]) -> str:
    """Recall and FPR by the request's length band, guard and classifier alone, with each
    band's adjustment of the bars."""
    adjust = {f"from {e['from_words']} words": e["adjust"] for e in report["length_bars"]}
    guard, alone = report["overall"]["by_length"], report["ablations_by_rules"]["none"]["by_length"]
    rows = [
        "| words | bars adjusted by | guard: recall / FPR | classifier alone: recall / FPR | requests |",
        "| --- | --- | --- | --- | --- |",
    ]
    for band, g in guard.items():
        a = alone[band]
        rows.append(
            f"| {band.removeprefix('from ').removesuffix(' words')}+ | {adjust[band]:+.2f} "
            f"| {g['recall']:.3f} / {g['fpr']:.3f} | {a['recall']:.3f} / {a['fpr']:.3f} | {g['n']} |"
        )
    return "\n".join(rows)


def second_opinion_table(report: dict[str, Any]) -> str:
    first, both = report["first_stage_alone"], report["with_second_opinion"]
    rows = [
        "| held-out source | first stage alone: recall / FPR | with the second opinion: recall / FPR |",
        "| --- | --- | --- |",
    ]
    for name in sorted(first["per_source"]):
        a, b = first["per_source"][name], both["per_source"][name]
        rows.append(f"| {name} | {a['recall']:.3f} / {a['fpr']:.3f} | {b['recall']:.3f} / {b['fpr']:.3f} |")
    rows.append(
        f"| **pooled** | **{first['recall']:.3f} / {first['fpr']:.3f}** (hard negatives "
        f"{first['hard_negative_fpr']:.3f}) | **{both['recall']:.3f} / {both['fpr']:.3f}** (hard negatives "
        f"{both['hard_negative_fpr']:.3f}) |"
    )
    langs = sorted(first["recall_by_lang"])
    rows.append("")
    rows.append(
        "Recall by language, first stage → with the second opinion: "
        + ", ".join(f"{k} {first['recall_by_lang'][k]:.3f} → {both['recall_by_lang'][k]:.3f}" for k in langs)
        + f"; asked about {report['asked_share_of_allowed']:.0%} of allowed requests."
    )
    return "\n".join(rows)


def bias_table(report: dict[str, Any]) -> str:
    rows = [
        "| held-out source | rules alone: F1 / span recall / FPR | rules + learned: F1 / span recall / FPR |",
        "| --- | --- | --- |",
    ]
    for name in sorted(report["rules_alone"], key=lambda n: (n == "pooled", n)):
        a, b = report["rules_alone"][name], report["with_model"][name]
        cells = [f"{x['f1']:.3f} / {x['span_recall']:.3f} / {x['fpr']:.3f}" for x in (a, b)]
        label = f"**{name}**" if name == "pooled" else name
        rows.append(f"| {label} | {cells[0]} | {cells[1]} |")
    bars = report["bars"]
    one = report["single_bar_pooled"]
    text = "\n".join(rows) + (
        "\n\nShipped bars: " + ", ".join(f"{k} {v:.2f}" for k, v in bars.items())
        + f". One bar for every kind ({report['single_bar']:.2f}) would give "
        f"{one['f1']:.3f} / {one['span_recall']:.3f} / {one['fpr']:.3f}."
    )
    if "fair_bar" in report:
        counts, none = report["fair_counts"], report["no_fair_bar_pooled"]
        text += (
            f" A personality, age or appearance rule hit read below {report['fair_bar']:.2f} is left as "
            f"advice: {counts['of_them_read_fair_pass']} of the {counts['rule_hits_on_pass_drafts']} such hits "
            f"on pass drafts, {counts['of_them_read_fair']} of the {counts['rule_hits_on_gold']} on gold spans; "
            f"without that the pool would be {none['f1']:.3f} / {none['span_recall']:.3f} / {none['fpr']:.3f}."
        )
    return text


def main() -> int:
    heldout = json.loads((REPORTS / "request_guard_heldout.json").read_text(encoding="utf-8"))
    print("## Held out by source (guard, shipped rules)\n")
    print(source_table(heldout))
    if "length_bars" in heldout:
        print("\n## By length\n")
        print(length_table(heldout))
    print("\n## The trade-off per clause\n")
    print(clause_table(heldout))
    second = REPORTS / "request_guard_second_opinion.json"
    if second.is_file():
        print("\n## The second opinion\n")
        print(second_opinion_table(json.loads(second.read_text(encoding="utf-8"))))
    bias = REPORTS / "bias_model_heldout.json"
    if bias.is_file():
        print("\n## The bias guard, held out by source\n")
        print(bias_table(json.loads(bias.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
