"""Produce a synthesis file in any format, outside the live server's event loop.

Laying out a PDF takes seconds, a DOCX, an ODT or a workbook up to a second or more on a big
atelier: all CPU, which under eventlet would hold every phone of the room. So every format but
JSON is rendered in a child process (`worker.py`: the document as JSON
on stdin, the file on stdout), which a green `subprocess` waits for without blocking the server.
Files are kept by what they show (the document's version): a second download of the same
version is served from memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path
from threading import Lock

from . import to_csv, to_docx, to_json, to_odt, to_pdf, to_xlsx

WORKER = Path(__file__).with_name("worker.py")
IN_WORKER = ("pdf", "docx", "odt", "xlsx", "csv")  # each can take over ~50 ms on a big atelier
TIMEOUT_SECONDS = 300
CACHE_SIZE = 16


class ExportError(RuntimeError):
    """The file could not be produced (its message says why, for the server's log)."""


def render(fmt: str, doc: dict, illustrations: dict[str, str] | None = None) -> bytes:
    """Return the file in `fmt`, rendered here (the worker's and the command line's way)."""
    if fmt == "pdf":
        return to_pdf.render(doc, illustrations=illustrations or {})
    renderer = {"docx": to_docx, "odt": to_odt, "xlsx": to_xlsx, "csv": to_csv, "json": to_json}[fmt]
    return renderer.render(doc)


def render_outside(fmt: str, doc: dict, illustrations: dict[str, str] | None = None) -> bytes:
    """Return the file in `fmt`, rendered in a child process (JSON, cheap, stays here)."""
    if fmt not in IN_WORKER:
        return render(fmt, doc, illustrations)
    payload = json.dumps({"format": fmt, "doc": doc, "illustrations": illustrations or {}}, ensure_ascii=False).encode("utf-8")
    try:
        done = subprocess.run([sys.executable, str(WORKER)], input=payload, capture_output=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExportError(f"la production du {fmt.upper()} a dépassé {TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0 or not done.stdout:
        raise ExportError(done.stderr.decode("utf-8", "replace").strip()[-2000:] or f"la production du {fmt.upper()} a échoué")
    return done.stdout


_cache: OrderedDict[tuple, bytes] = OrderedDict()
_lock = Lock()


def cached(key: tuple, fmt: str, doc: dict, illustrations: dict[str, str] | None = None) -> bytes:
    """Return the file for `key` (what it shows: link, scope, version, format) from memory, else make it."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    body = render_outside(fmt, doc, illustrations)
    with _lock:
        _cache[key] = body
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return body


def forget() -> None:
    """Drop every kept file (tests)."""
    with _lock:
        _cache.clear()
