"""The bias guard on draft sources it was not trained on: the honest figure for its learned reading.

    python bench/bench_bias_heldout.py          # about 10 minutes on two cores

Each source of ``training/data/drafts/train_*.jsonl`` and ``tuning.jsonl`` (a source in several
languages, one language at a time) is held out in turn; the learned reading is trained on the
others and the held-out drafts are judged as the guard judges them (phrase rules, then the
model). Prints F1, span recall and the false-positive rate per held-out source and pooled, for the
rules alone and with the model, at the bar chosen on those out-of-source judgements.
``heldout_en.jsonl`` and ``heldout_multi.jsonl`` are measured with ``rai eval drafts`` instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import train_bias_model  # noqa: E402

if __name__ == "__main__":
    sys.exit(train_bias_model.main(["--heldout", *sys.argv[1:]]))
