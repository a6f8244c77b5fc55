"""Whole-stage latency through the real road: every enabled guard, run by guardrails-ai.

Prints p50 / p95 (ms) of the request stage (acceptable use, disclosure, injection, prompt
extraction, volume excluded) and of the output stage (bias, sensitive facts, grounding, personal
data, quality) at 200, 1,000 and 5,000 characters, plus the placeholder round trip and a full
draft with the fake model. Run: ``python bench/bench_stages.py`` (one core: ``taskset -c 0``).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("RAI_DATA_DIR", tempfile.mkdtemp(prefix="rai-bench-"))
os.environ.setdefault("RAI_LOAD_PLUGINS", "")

from _timing import p50_p95  # noqa: E402
from rai_assistant.app import Assistant  # noqa: E402
from rai_assistant.config import load_config  # noqa: E402
from rai_assistant.types import GuardContext, Stage  # noqa: E402

REQUEST = (
    "Notes for Dana's feedback: she ran the warehouse cycle count for the spring quarter and cut "
    "mis-picks from 3.1% to 1.4%. She trained two new pickers on the handheld scanners and wrote "
    "a one-page guide they still use. Her end-of-shift handover notes are sometimes missing the "
    "open exceptions, so the night lead has to call her. Next quarter she wants to lead the "
    "returns project with Omar. "
)
DRAFT = (
    "Dana, thank you for running the spring cycle count: mis-picks fell from 3.1% to 1.4%. The "
    "scanner guide you wrote for the two new pickers is still in use. One suggestion: list the "
    "open exceptions in your end-of-shift handover so the night lead does not need to call. "
)


NAMES = ("Dana", "Omar", "Ines", "Kofi", "Mei", "Tariq", "Lena", "Arun", "Zoe", "Pavel")


def sized(base: str, n: int, i: int = 0) -> str:
    """``n`` characters of ``base``, varied by ``i`` (another name, another figure)."""
    varied = base.replace("Dana", NAMES[i % len(NAMES)]).replace("3.1%", f"{3 + i % 7}.{i % 10}%")
    return (f"[{i}] " + varied * (n // len(varied) + 1))[:n]


def measure(fn: Callable[[int], object], runs: int) -> tuple[float, float]:
    """Times ``fn(i)`` for i in range(runs); each call gets new text so no cache answers it."""
    fn(-1)
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return p50_p95(times)


def main() -> None:
    app = Assistant(load_config(None, model="fake"))
    request = app._runner(Stage.REQUEST, "feedback")
    output = app._runner(Stage.DRAFT, "feedback")
    print("stage                      chars    p50 ms   p95 ms")
    for n in (200, 1000, 5000):
        def run_request(i: int, n: int = n) -> object:
            text = sized(REQUEST, n, i)
            return request.run(text, GuardContext(feature="feedback", stage=Stage.REQUEST, notes=text))

        p50, p95 = measure(run_request, 200 if n < 5000 else 60)
        print(f"request stage (all guards) {n:>6} {p50:>8.2f} {p95:>8.2f}")
    for n in (200, 1000, 5000):
        def run_output(i: int, n: int = n) -> object:
            ctx = GuardContext(feature="feedback", stage=Stage.DRAFT, notes=sized(REQUEST, n, i), people=("Dana",))
            return output.run(sized(DRAFT, n, i), ctx)

        p50, p95 = measure(run_output, 200 if n < 5000 else 60)
        print(f"output stage (all guards)  {n:>6} {p50:>8.2f} {p95:>8.2f}")
    p50, p95 = measure(lambda i: app.draft("feedback", subject="Dana Whitfield", notes=sized(REQUEST, 400, i), user=f"u{i}"), 40)
    print(f"whole road, fake model     {400:>6} {p50:>8.2f} {p95:>8.2f}")
    start = time.perf_counter()
    for i in range(200):
        text = sized(REQUEST, 1000, i + 1000)
        request.run(text, GuardContext(feature="feedback", stage=Stage.REQUEST, notes=text))
    print(f"request stage throughput: {200 / (time.perf_counter() - start):.0f} requests/s")


if __name__ == "__main__":
    main()
