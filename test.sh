#!/usr/bin/env bash
# Install what the tests need (Debian's chromium included) and run the whole suite,
# once with ASYNC_MODE=threading and once with ASYNC_MODE=eventlet.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/common.sh
ensure_venv test

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installation de chromium (Debian)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null
  else
    echo "chromium est nécessaire pour les tests de bout en bout : apt-get install chromium" >&2
    exit 1
  fi
fi

status=0
for mode in threading eventlet; do
  echo "== ASYNC_MODE=$mode"
  ASYNC_MODE=$mode .venv/bin/python -m pytest "$@" || status=$?
done
exit $status
