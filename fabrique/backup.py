"""Backups of a running database.

SQLite: the online backup API copies the file page by page while the server keeps writing (a
plain `cp` of a WAL database can miss committed pages or catch a half-written one). The copy
is a standalone SQLite file: restoring is pointing DATABASE_URL at it (or copying it in place,
the server stopped). PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import Engine

PAGES_PER_STEP = 1024  # the writer gets the database back between steps


def backup(engine: Engine, destination: Path) -> None:
    """Write a consistent copy of the database behind `engine` to `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    backend = engine.url.get_backend_name()
    if backend == "sqlite":
        _sqlite(engine.url.database, destination)
    elif backend == "postgresql":
        _pg_dump(engine, destination)
    else:
        raise RuntimeError(f"Pas de sauvegarde prévue pour {backend}.")


def _sqlite(path: str, destination: Path) -> None:
    partial = destination.with_name(destination.name + ".partial")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(partial)
    try:
        source.backup(target, pages=PAGES_PER_STEP, sleep=0.005)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()
    os.replace(partial, destination)  # a backup file is either whole or absent


def _pg_dump(engine: Engine, destination: Path) -> None:
    binary = shutil.which("pg_dump") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)), None)
    if binary is None:
        raise RuntimeError("pg_dump est introuvable (Debian : apt-get install postgresql-client).")
    url = engine.url.set(drivername="postgresql")
    result = subprocess.run([binary, "--format=custom", "--file", str(destination),
                             url.render_as_string(hide_password=False)], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump a échoué : {result.stderr.strip()}")
