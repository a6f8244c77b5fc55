"""The request trainer's choice of bars by length (``training/train_request_guard.py``), on
scores made up here: short harmful queries score low, long harmless text scores high."""

from __future__ import annotations

import random
from types import ModuleType

import numpy as np


def _scored(trainer: ModuleType) -> list[tuple[object, float, str, int]]:
    rng = random.Random(7)
    rows = []
    for words, harmful, harmless, n in ((3, (0.45, 0.75), (0.0, 0.35), 200), (20, (0.6, 1.0), (0.0, 0.8), 600),
                                        (90, (0.75, 1.0), (0.3, 0.95), 200)):
        for k in range(n):
            blocked = k % 2 == 0
            lo, hi = harmful if blocked else harmless
            item = trainer.Item("", "violence" if blocked else "benign", "made-up")
            rows.append((item, rng.uniform(lo, hi), "violence", words))
    return rows


def test_length_bars_catch_more_without_more_false_positives(trainer: ModuleType) -> None:
    scored = _scored(trainer)
    y = np.asarray([i.blocked for i, *_ in scored])
    zero = [0.0] * len(trainer.LENGTH_BANDS)
    plain, _ = trainer.choose_thresholds([(i, p, c) for i, p, c, _ in scored])
    one_bar = trainer.length_blocked(scored, plain, zero)
    bars, adjust, _ = trainer.choose_length_bars(scored)
    by_length = trainer.length_blocked(scored, bars, adjust)
    assert by_length[~y].sum() <= one_bar[~y].sum()
    assert by_length[y].sum() > one_bar[y].sum()
    # short queries get a lower bar than long pasted text
    short, long = trainer._band(3), trainer._band(90)
    assert adjust[short] < 0 and adjust[short] < adjust[long], adjust
    assert all(a in trainer.LENGTH_ADJUST_GRID for a in adjust)


def test_scores_that_do_not_depend_on_length_leave_the_bars_alone(trainer: ModuleType) -> None:
    rng = random.Random(3)
    scored = []
    for k in range(900):
        blocked = k % 2 == 0
        score = rng.uniform(0.5, 1.0) if blocked else rng.uniform(0.0, 0.6)
        item = trainer.Item("", "violence" if blocked else "benign", "made-up")
        scored.append((item, score, "violence", (3, 20, 90)[k % 3]))
    _, adjust, _ = trainer.choose_length_bars(scored)
    # any move has to pay for itself in blocks at no more false positives; with no length effect
    # nothing much can, so the adjustments stay small
    assert max(abs(a) for a in adjust) <= 0.1
