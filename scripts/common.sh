# Shared by run.sh and test.sh: make sure the project's virtual environment exists and is current.
# Usage: ensure_venv [extras]   (e.g. ensure_venv test)

ensure_venv() {
  local extras="${1:-}" spec="." stamp
  [ -n "$extras" ] && spec=".[$extras]"
  if [ ! -x .venv/bin/python ]; then
    if ! python3 -m venv .venv 2>/dev/null; then
      # Debian ships venv separately; install it when we may.
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
        rm -rf .venv && python3 -m venv .venv
      else
        echo "Python 3.11+ avec le module venv est nécessaire (Debian : apt-get install python3-venv)." >&2
        return 1
      fi
    fi
    .venv/bin/python -m pip install -q --upgrade pip
  fi
  # Reinstall only when the dependencies changed since the last install.
  stamp="$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
  if [ "$(cat .venv/.fabrique-installed 2>/dev/null)" != "$stamp" ]; then
    echo "Installation des dépendances ($spec)…"
    .venv/bin/python -m pip install -q -e "$spec"
    echo "$stamp" > .venv/.fabrique-installed
  fi
}
