"""The HTTP service under load: drafts/s and p50/p99 latency with 50 concurrent clients.

Starts ``rai serve`` in a subprocess on 127.0.0.1 with the instant ``fake`` model (so every
millisecond measured is the service's own overhead: guards, placeholders, retrieval, label,
storage, audit, HTTP), creates one writer key per client, and lets 50 clients draft varied
feedback for a fixed time. Prints drafts/s, p50/p95/p99, and the one-client latency for scale.

Run: ``python bench/bench_server.py [--clients 50] [--seconds 20]``.
Target (issue 10): >= 300 drafts/s and p99 <= 50 ms of overhead over the model on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import p50_p95  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RAI = str(Path(sys.executable).with_name("rai"))

WHO = ["Dana", "Omar", "Ines", "Kofi", "Mei", "Tariq", "Lena", "Arun", "Zoe", "Pavel"]
DID = [
    "ran the spring cycle count and cut mis-picks",
    "rewrote the onboarding checklist for new support staff",
    "migrated the billing reports to the new warehouse schema",
    "led the quarterly planning workshop for the design team",
    "fixed the flaky deployment pipeline before the release freeze",
    "negotiated the renewal terms with the logistics supplier",
    "mentored two interns through their first code reviews",
    "organised the customer advisory board meeting in March",
    "reduced the ticket backlog by triaging stale requests weekly",
    "documented the incident runbook for payment outages",
    "built the dashboard that tracks late shipments by region",
    "coordinated the office move without losing a day of work",
]
NEXT = [
    "could share drafts earlier so reviewers have time",
    "might delegate the weekly status email to grow the team",
    "should flag blockers in stand-up rather than at the deadline",
    "could write shorter summaries for the leadership updates",
    "may want to pair with finance on the budget forecast",
    "could timebox investigations before escalating",
    "might rehearse demos with a timer",
    "should keep the handover notes current at the end of each shift",
    "could involve support earlier in release planning",
    "may set clearer acceptance criteria for requests",
    "could publish the roadmap changes in one place",
    "might ask for feedback from the night shift too",
]


def _notes(i: int) -> tuple[str, str]:
    combos = list(itertools.product(range(len(DID)), range(len(NEXT))))
    a, b = combos[i % len(combos)]
    who = WHO[i % len(WHO)]
    return who + " Example", f"{who} {DID[a]} ({i % 97 + 3}% better than last quarter). {who} {NEXT[b]}."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data: Path, config: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RAI_DATA_DIR": str(data), "RAI_CONFIG": str(config), "RAI_LOAD_PLUGINS": ""})
    return env


def _key(env: dict[str, str], name: str) -> str:
    out = subprocess.run(
        [RAI, "keys", "create", "--tenant", "bench", "--role", "writer", "--name", name],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    match = re.search(r"rai_[A-Za-z0-9_\-]+", out)
    if not match:
        raise SystemExit(f"could not read a key from `rai keys create`: {out!r}")
    return match.group(0)


async def _client(base: str, key: str, start: int, until: float, lat: list[float], codes: dict[int, int]) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        i = start
        while time.perf_counter() < until:
            subject, notes = _notes(i)
            t = time.perf_counter()
            res = await http.post("/v1/drafts/feedback", json={"inputs": {"subject": subject, "notes": notes}})
            lat.append((time.perf_counter() - t) * 1000)
            codes[res.status_code] = codes.get(res.status_code, 0) + 1
            i += 1000


async def _load(base: str, keys: list[str], seconds: float) -> tuple[list[float], dict[int, int], float]:
    lat: list[float] = []
    codes: dict[int, int] = {}
    t0 = time.perf_counter()
    until = t0 + seconds
    await asyncio.gather(*(_client(base, k, n, until, lat, codes) for n, k in enumerate(keys)))
    return lat, codes, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="rai-bench-server-") as tmp:
        data, config = Path(tmp) / "data", Path(tmp) / "rai.toml"
        # Limits are raised so the benchmark measures throughput, not the rate limiter.
        config.write_text(
            'model = "fake"\n'
            "[plugins.enforcement]\n"
            "per_user_per_hour = 1000000\nper_tenant_per_hour = 1000000\nnear_duplicates_per_hour = 1000000\n"
            "[server]\n"
            "rate_per_minute = 1000000\nrate_burst = 100000\n"
            # Every client waits its turn (no 503s): the queue holds all of them.
            f"queue = {args.clients + 10}\n",
            encoding="utf-8",
        )
        env = _env(data, config)
        keys = [_key(env, f"Bench {n}") for n in range(args.clients)]
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        # The server's log goes to a file: a pipe nobody reads fills up and stalls the server.
        log_path = Path(tmp) / "server.log"
        log = log_path.open("w", encoding="utf-8")
        server = subprocess.Popen(
            [RAI, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
            stdout=subprocess.DEVNULL, stderr=log, text=True,
        )
        try:
            deadline = time.time() + 120
            while True:
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.time() > deadline:
                    raise SystemExit("the server did not start: " + log_path.read_text(encoding="utf-8")[-4000:])
                time.sleep(0.5)
            # Warm up (policy index, guards, first model call), then one client for scale.
            for n in range(3):
                subject, notes = _notes(10_000 + n)
                httpx.post(
                    base + "/v1/drafts/feedback", json={"inputs": {"subject": subject, "notes": notes}},
                    headers={"Authorization": f"Bearer {keys[0]}"}, timeout=600,
                )
            one_lat, one_codes, _ = asyncio.run(_load(base, keys[:1], 10.0))
            lat, codes, took = asyncio.run(_load(base, keys, args.seconds))
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print("the server did not stop within 30 s of SIGTERM; killed it", file=sys.stderr)
                server.kill()
                server.wait()
            log.close()
            errors = [ln for ln in log_path.read_text(encoding="utf-8").splitlines() if "ERROR" in ln]
            if errors:
                print(f"server log: {len(errors)} errors, e.g. {errors[0][:200]}", file=sys.stderr)
    ok = codes.get(200, 0)
    p50, _ = p50_p95(one_lat)
    print(f"one client: p50 {p50:.1f} ms over {len(one_lat)} drafts ({one_codes})")
    ordered = sorted(lat)
    p99 = ordered[max(0, -(-99 * len(ordered) // 100) - 1)]
    c50, c95 = p50_p95(lat)
    print(f"{args.clients} clients, {took:.1f} s: {ok / took:.1f} drafts/s (HTTP 200), {len(lat) / took:.1f} answers/s")
    print(f"latency ms: p50 {c50:.1f}  p95 {c95:.1f}  p99 {p99:.1f}  (instant model: all of it is overhead)")
    print(f"status codes: {dict(sorted(codes.items()))}")


if __name__ == "__main__":
    main()
