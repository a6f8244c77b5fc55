"""Round trip and latency of the personal-data vault (rai_assistant.privacy).

Run: ``.venv/bin/python bench/bench_privacy.py [--texts 10000] [--seed 7]``

1. ``restore(protect(text)) == text`` on generated texts mixing names, e-mail addresses, phone
   numbers, ids, card and bank numbers, addresses, unicode and placeholder-like strings; prints
   how many were exact (all must be) and exits non-zero otherwise.
2. p50/p95 time of protect + restore on texts of 200, 1,000 and 5,000 characters, one fresh
   vault per text (as on the road), after one warm-up call that loads presidio; for a typical
   mix (a few values per 1,000 characters) and a dense one (a quarter of the words).
3. With ``--dev FOLDER``: the round trip on every dev text, the pii_leak guard's findings on the
   dev drafts (none holds contact details or ids) and the words the name guess protects.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import p50_p95  # noqa: E402
from rai_assistant.privacy import Vault  # noqa: E402

GIVEN = ["Priya", "Tomás", "Zoë", "Oluwaseun", "Mei", "Jean-Luc", "Siobhán", "Will", "Grace", "Ahmed", "Ana"]
FAMILY = ["Sharma", "O'Neil", "Nguyen", "Müller", "García", "Okafor", "van der Berg", "Kowalski"]
FILLER = (
    "the quarterly review went well and the team shipped the billing migration on time . "
    "she mentored two new engineers , ran the incident retro and cut p95 latency by 40 % . "
    "Next quarter the goal is to own the roadmap for the payments platform in London . "
    "Notes from the 1:1 on 12/03/2024 : wants more stretch work ; follow up in Q3 . "
    "Überprüfung abgeschlossen — très bien — 很好 — отлично — 🎉 . "
).split(" ")


def _value(rng: random.Random) -> str:
    choice = rng.randrange(14)
    g, f = rng.choice(GIVEN), rng.choice(FAMILY)
    if choice == 0:
        return f"{g} {f}"
    if choice == 1:
        return f"{g}'s"
    if choice == 2:
        return f"{g.lower()}.{f.lower().replace(' ', '')}@example.{rng.choice(['com', 'co.uk', 'de'])}"
    if choice == 3:
        n = rng.randint(0, 9999)
        return rng.choice(
            [f"+44 20 7946 {n:04d}", f"(415) 555-{n:04d}", f"+1 212-555-{n:04d}", f"030 9018{n:04d}"]
        )
    if choice == 4:
        return rng.choice([f"EMP-{rng.randint(1000, 99999)}", f"employee id {rng.randint(10000, 99999)}"])
    if choice == 5:
        return rng.choice(["SSN 536-90-4399", "NI number AB123456C", "4111 1111 1111 1111"])
    if choice == 6:
        return rng.choice(["IBAN GB82 WEST 1234 5698 7654 32", f"account number {rng.randint(10**7, 10**9)}"])
    if choice == 7:
        return rng.choice(["221B Baker Street, London NW1 6XE", "10.0.0.1", "https://linkedin.com/in/x-y"])
    if choice == 8:
        return rng.choice(["[PERSON_1]", "[EMAIL_2]", "[LITERAL_1]", "[PERSON 1]", "PERSON_1]", "[X_1_2]"])
    if choice == 9:
        return f"with {g}"
    if choice == 10:
        return f"Dr. {f.split()[-1]}"
    if choice == 11:
        return "".join(rng.choice("[]_ABC123 \n\t'’-.@") for _ in range(rng.randint(1, 12)))
    return rng.choice(FILLER)


def generate(rng: random.Random, length: int, density: float = 0.25) -> str:
    """About ``density`` of the words are personal values or placeholder-like junk."""
    parts: list[str] = []
    size = 0
    while size < length:
        piece = _value(rng) if rng.random() < density else rng.choice(FILLER)
        parts.append(piece)
        size += len(piece) + 1
    return rng.choice([" ", " ", "\n"]).join(parts)[:length]


def _vault(rng: random.Random) -> Vault:
    people = [f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" for _ in range(rng.randint(0, 3))]
    return Vault.for_request(people=people, roster=rng.sample(GIVEN, 2))


def round_trip(n: int, seed: int) -> int:
    rng = random.Random(seed)
    exact = 0
    failures: list[str] = []
    for _ in range(n):
        vault = _vault(rng)
        text = generate(rng, rng.choice([40, 120, 300, 800]))
        if vault.restore(vault.protect(text)) == text:
            exact += 1
        elif len(failures) < 3:
            failures.append(text)
    print(f"round trip: {exact}/{n} exact")
    for text in failures:
        print(f"  not exact: {text!r}")
    return exact


def latency(seed: int, repeats: int = 60) -> None:
    rng = random.Random(seed)
    Vault.for_request(people=["Warm Up"]).protect("warm up a@b.com +44 20 7946 0958")
    # "typical": a few values per 1,000 characters, like real notes; "dense": one word in four
    for mix, density in (("typical", 0.02), ("dense", 0.25)):
        for length in (200, 1000, 5000):
            times: list[float] = []
            for _ in range(repeats):
                text = generate(rng, length, density)
                vault = _vault(rng)
                start = time.perf_counter()
                vault.restore(vault.protect(text))
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p50, p95 = p50_p95(times)
            print(f"protect+restore {mix:>7} {length:>5} chars: p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")


def dev_set(folder: Path) -> None:
    """Round trip on every dev text, and what the guard and the name guess make of them."""
    from rai_assistant.guards.pii_leak import check_draft
    from rai_assistant.types import GuardContext, Stage

    rows = []
    for name, field in (
        ("requests.jsonl", "text"),
        ("drafts.jsonl", "text"),
        ("questions.jsonl", "question"),
    ):
        path = folder / name
        if path.exists():
            rows += [
                (name, json.loads(line)[field]) for line in path.read_text().splitlines() if line.strip()
            ]
    exact = 0
    guessed: dict[str, int] = {}
    for _, text in rows:
        vault = Vault.for_request()
        if vault.restore(vault.protect(text)) == text:
            exact += 1
        for placeholder, value in vault.placeholders.items():
            if placeholder.startswith(("[PERSON_", "[SURNAME_")):
                guessed[value] = guessed.get(value, 0) + 1
    print(f"dev texts: {exact}/{len(rows)} round trip exact")
    drafts = [text for name, text in rows if name == "drafts.jsonl"]
    ctx = GuardContext(feature="feedback", stage=Stage.DRAFT)
    flagged = [(text, f) for text in drafts for f in check_draft(text, ctx)]
    print(
        f"pii_leak on {len(drafts)} dev drafts (none holds contact details or ids): {len(flagged)} findings"
    )
    for text, f in flagged:
        print(f"  {f.category}: {f.span.text if f.span else ''!r} in {text[:80]!r}")
    print(f"name guesses in dev texts (no people passed): {len(guessed)} distinct words")
    print("  " + ", ".join(sorted(guessed)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dev", type=Path, help="also measure on a dev folder (/work/shared/eval/dev)")
    args = parser.parse_args()
    latency(args.seed)
    if args.dev:
        dev_set(args.dev)
    exact = round_trip(args.texts, args.seed)
    return 0 if exact == args.texts else 1


if __name__ == "__main__":
    sys.exit(main())
