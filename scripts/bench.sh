#!/usr/bin/env bash
# Runs every benchmark in bench/ and prints its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export RAI_DATA_DIR="${RAI_DATA_DIR:-$(mktemp -d)}"
for b in bench/bench_*.py; do
  echo "== $b"
  .venv/bin/python "$b"
done
