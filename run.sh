#!/usr/bin/env bash
# Install Fabrique in .venv/ (first time only) and start it: SQLite, one process, La Fabrique template.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/common.sh
ensure_venv
# Pango lays out the synthesis PDF (WeasyPrint); install it from Debian when we may.
if ! .venv/bin/python -c "import weasyprint" >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installation de Pango (Debian), pour la synthèse en PDF…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core >/dev/null
fi
exec .venv/bin/python serve.py "$@"
