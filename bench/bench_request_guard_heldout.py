"""Request guards on sources they were not trained on: the honest figure for the acceptable-use guard.

    python bench/bench_request_guard_heldout.py --jobs 2   # 40 folds: about 55 minutes on two cores

Each source of ``training/data/requests/`` (one group of authors and one style each) is held out
in turn; a classifier is trained on every other source and the held-out lines are judged through
the serving path with the shipped rules. Prints recall, false-positive rate (all allowed lines and
hard negatives), right-clause rate per held-out source and pooled, and recall by style, language
and clause. Thresholds are chosen on the pooled held-out scores, as the shipped ones are.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import train_request_guard  # noqa: E402

if __name__ == "__main__":
    sys.exit(train_request_guard.main(["--heldout", *sys.argv[1:]]))
