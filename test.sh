#!/usr/bin/env bash
# Install what the tests need (Debian's chromium included) and run the whole suite,
# once in each server mode: ASYNC_MODE=threading, gevent, then eventlet.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/common.sh
ensure_venv test

# chromium for the browser tests; Pango and HarfBuzz for WeasyPrint (the synthesis PDF);
# poppler's pdftotext to read the PDF back as readers show it.
if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || ! .venv/bin/python -c "import weasyprint" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installation de chromium et de Pango (Debian)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b poppler-utils >/dev/null
  else
    echo "chromium et Pango sont nécessaires aux tests : apt-get install chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core poppler-utils" >&2
    exit 1
  fi
fi

# PostgreSQL, Redis and nginx: the several-process deployment is tested on the real parts.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v redis-server >/dev/null || ! [ -x /usr/sbin/nginx ] || ! command -v openssl >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installation de postgresql, redis-server et nginx (Debian)…"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql redis-server nginx openssl >/dev/null
  else
    echo "postgresql, redis-server et nginx sont nécessaires aux tests : apt-get install postgresql redis-server nginx" >&2
    exit 1
  fi
fi

status=0
for mode in threading gevent eventlet; do
  echo "== ASYNC_MODE=$mode"
  ASYNC_MODE=$mode .venv/bin/python -m pytest "$@" || status=$?
done
exit $status
