#!/usr/bin/env bash
# The main job: one feedback draft through the whole road on the embedded default model.
set -euo pipefail
cd "$(dirname "$0")/.."
export RAI_DATA_DIR="${RAI_DATA_DIR:-$PWD/.rai-data}"
.venv/bin/rai draft feedback \
  --subject "Priya Raman" \
  --relationship peer \
  --notes "Priya led the checkout redesign this quarter and shipped it two weeks early. Conversion rose 4%. Her demo to the sales team ran 20 minutes over, so questions were cut short. Next quarter she could rehearse with a timer." \
  --model local
