#!/usr/bin/env bash
# mypy --strict over the whole rai_assistant namespace and the example plugin.
# The package maps assistant/, plugins/, guards/ and policy_corpus/ to rai_assistant,
# rai_assistant.plugins, rai_assistant.guards and rai_assistant.policy_corpus (pyproject.toml).
# mypy cannot follow that mapping, so this builds the same tree from symlinks in build/typecheck.
#
# Arguments go to mypy: with none, it checks the packages pyproject.toml names; with files, only
# those (tests/test_hook_typing.py checks small plugins this way, with rai_assistant resolvable).
# The view is brought up to date in place (never removed), so two runs at once do not disturb
# each other.
set -euo pipefail
cd "$(dirname "$0")/.."
view=build/typecheck/rai_assistant
mkdir -p "$view"
wanted=()
for entry in assistant/* plugins guards policy_corpus; do
    name=$(basename "$entry")
    [ "$name" = "__pycache__" ] && continue
    target="../../../$entry"
    wanted+=("$name")
    if [ "$(readlink "$view/$name" 2>/dev/null)" != "$target" ]; then
        rm -rf "$view/$name"
        ln -s "$target" "$view/$name"
    fi
done
# Drop entries whose source is gone (a removed or renamed module).
for link in "$view"/* "$view"/.[!.]*; do
    [ -e "$link" ] || [ -L "$link" ] || continue
    name=$(basename "$link")
    keep=0
    for w in "${wanted[@]}"; do [ "$w" = "$name" ] && keep=1 && break; done
    [ "$keep" = 1 ] || rm -rf "$link"
done
exec "${MYPY:-.venv/bin/mypy}" "$@"
