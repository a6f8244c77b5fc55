#!/usr/bin/env bash
# mypy --strict over the whole rai_assistant namespace and the example plugin.
# The package maps assistant/, plugins/, guards/ and policy_corpus/ to rai_assistant,
# rai_assistant.plugins, rai_assistant.guards and rai_assistant.policy_corpus (pyproject.toml).
# mypy cannot follow that mapping, so this builds the same tree from symlinks in build/typecheck.
set -euo pipefail
cd "$(dirname "$0")/.."
view=build/typecheck/rai_assistant
rm -rf build/typecheck
mkdir -p "$view"
for entry in assistant/*; do
    name=$(basename "$entry")
    [ "$name" = "__pycache__" ] && continue
    ln -s "../../../$entry" "$view/$name"
done
for pkg in plugins guards policy_corpus; do
    ln -s "../../../$pkg" "$view/$pkg"
done
exec "${MYPY:-.venv/bin/mypy}" "$@"
