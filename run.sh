#!/usr/bin/env bash
# Install Fabrique in .venv/ (first time only) and start it: SQLite, one process, La Fabrique template.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/common.sh
ensure_venv
exec .venv/bin/python serve.py "$@"
