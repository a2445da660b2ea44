"""Produce a synthesis file in any format, outside the live server's process.

Building the document of a big atelier reads thousands of rows, and laying it out takes up to a
second (DOCX, ODT, a workbook) or many (PDF): all CPU, which under eventlet would hold every
phone of the room. So a download runs `worker.py` in a child process, which reads the database,
builds the document and renders it, while a green `subprocess` waits without blocking the
server. Files are kept by what they show (link, scope, version, format): a second download of
the same version is served from memory.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path
from threading import Lock

from . import to_csv, to_docx, to_json, to_odt, to_pdf, to_xlsx

WORKER = Path(__file__).with_name("worker.py")
TIMEOUT_SECONDS = 300
CACHE_SIZE = 16
# What the child needs to open the same database and catalogue as the server.
WORKER_CONFIG = ("SQLALCHEMY_DATABASE_URI", "SESSIONS_DIR", "PERSONAS_DIR", "SECRET_KEY", "ASYNC_MODE", "PUBLIC_URL")


class ExportError(RuntimeError):
    """The file could not be produced (its message says why, for the server's log)."""


def render(fmt: str, doc: dict, illustrations: dict[str, str] | None = None) -> bytes:
    """Return the file in `fmt`, rendered here (the worker's and the command line's way)."""
    if fmt == "pdf":
        return to_pdf.render(doc, illustrations=illustrations or {})
    renderer = {"docx": to_docx, "odt": to_odt, "xlsx": to_xlsx, "csv": to_csv, "json": to_json}[fmt]
    return renderer.render(doc)


def produce_here(atelier_id: int, whole_demarche: bool, fmt: str) -> tuple[str, bytes]:
    """Return (Content-Disposition, file), built and rendered in this process (the worker's way)."""
    from ..extensions import db
    from ..models import Atelier
    from . import FORMATS, build, build_for_demarche, content_disposition

    atelier = db.session.get(Atelier, atelier_id)
    doc = build_for_demarche(atelier.demarche) if whole_demarche else build(atelier)
    return content_disposition(doc, FORMATS[fmt].extension), render(fmt, doc, illustrations(doc) if fmt == "pdf" else None)


def produce(config, atelier_id: int, whole_demarche: bool, fmt: str) -> tuple[str, bytes]:
    """Return (Content-Disposition, file) for an atelier's (or its démarche's) synthesis, made in a child process."""
    payload = {"config": {k: str(config[k]) for k in WORKER_CONFIG if config.get(k) is not None},
               "atelier_id": atelier_id, "demarche": whole_demarche, "format": fmt}
    try:
        done = subprocess.run([sys.executable, str(WORKER)], input=json.dumps(payload).encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExportError(f"la production du {fmt.upper()} a dépassé {TIMEOUT_SECONDS} s") from exc
    header, _, body = done.stdout.partition(b"\n")
    if done.returncode != 0 or not body:
        raise ExportError(done.stderr.decode("utf-8", "replace").strip()[-2000:] or f"la production du {fmt.upper()} a échoué")
    return json.loads(header)["disposition"], body


_cache: OrderedDict[tuple, tuple[str, bytes]] = OrderedDict()
_lock = Lock()


def cached(key: tuple, make) -> tuple[str, bytes]:
    """Return what `make()` returns for `key` (link, scope, version, format), kept in memory once made."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    made = make()
    with _lock:
        _cache[key] = made
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return made


def illustrations(doc: dict) -> dict[str, str]:
    """Return the persona illustrations as data: URLs (the PDF fetches nothing from outside)."""
    from .. import catalog

    out = {}
    for persona_id in {p["id"] for p in doc["personas"]} | {entry["persona_id"] for entry in doc["lens"]}:
        persona = catalog().personas.get(persona_id)
        if persona is not None and persona.illustration_path.is_file():
            out[persona_id] = "data:image/svg+xml;base64," + base64.b64encode(persona.illustration_path.read_bytes()).decode("ascii")
    return out
