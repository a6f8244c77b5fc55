#!/usr/bin/env bash
# System programs the test suite starts for real: a PostgreSQL server (storage tests on
# 127.0.0.1) and Debian's Chromium (the page's end-to-end tests). Installs what is missing with
# apt when run as root; otherwise prints the command to run. Idempotent and quick when present.
set -euo pipefail
missing=()
have_initdb() {
  command -v initdb >/dev/null 2>&1 && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1
}
have_initdb || missing+=(postgresql)
{ command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "could not install ${missing[*]} with apt; the tests that need them skip with that reason" >&2
  fi
else
  echo "missing system packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  echo "(the tests that need them skip with that reason)" >&2
fi
