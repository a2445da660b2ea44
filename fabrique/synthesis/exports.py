"""Produce the synthesis in any format — the web page and one CSV table included — outside the
live server's process.

Building the document of a big atelier reads thousands of rows, and laying it out takes up to a
second (the page, DOCX, ODT, a workbook) or many (PDF): all CPU, which under eventlet would hold
every phone of the room. So every format runs `worker.py` in a child process, which reads the
database, builds the document and renders it, while a green `subprocess` waits without blocking
the server. Files are kept by what they show (link, scope, version, format, table): a second
download of the same version is served from memory, and requests for a file being made wait
for that one child instead of starting another.

The web page is the same for every reader of a version but for three things made per request:
the review forms' CSRF token and op_id, and the messages flashed after an opinion was sent. The
child renders the page with a slot for each (`SLOTS`, HTML comments no escaped text can produce),
and the server fills them (`personalise`): a few string replacements, not a rebuild.
"""

from __future__ import annotations

import base64
import importlib
import json
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path
from threading import Event, Lock

from markupsafe import Markup, escape

from . import to_html

WORKER = Path(__file__).with_name("worker.py")
TIMEOUT_SECONDS = 300
CACHE_SIZE = 16
# What the child needs to open the same database and catalogue as the server.
WORKER_CONFIG = ("SQLALCHEMY_DATABASE_URI", "SESSIONS_DIR", "PERSONAS_DIR", "SECRET_KEY", "ASYNC_MODE", "PUBLIC_URL")


class ExportError(RuntimeError):
    """The file could not be produced (its message says why, for the server's log)."""


# What the server writes into a cached page for each request (see the module's docstring).
SLOTS = {"csrf_token": "<!--fabrique:csrf-token-->", "op_id": "<!--fabrique:op-id-->", "messages": "<!--fabrique:messages-->"}


def render(fmt: str, doc: dict, illustrations: dict[str, str] | None = None) -> bytes:
    """Return the file in `fmt`, rendered here (the worker's and the command line's way)."""
    if fmt not in ("pdf", "docx", "odt", "xlsx", "csv", "json"):
        raise ValueError(fmt)
    # Imported when used: a worker making the page or the JSON starts without the office libraries.
    renderer = importlib.import_module(f"{__package__}.to_{fmt}")
    if fmt == "pdf":
        return renderer.render(doc, illustrations=illustrations or {})
    return renderer.render(doc)


def render_page(doc: dict, page: dict) -> bytes:
    """Return the web page with its per-request parts left as slots (`page`: downloads, the review
    forms' fixed fields such as their action, or None for no forms, and the downloads' script)."""
    review = {**page["review"], **{name: Markup(slot) for name, slot in SLOTS.items()}} if page.get("review") else None
    return to_html.render(doc, downloads=page.get("downloads"), review=review, script=page.get("script")).encode("utf-8")


def personalise(body: bytes, csrf_token: str, op_id: str, messages: list[tuple[str, str]]) -> bytes:
    """Fill a cached page's slots for one request: its CSRF token, a fresh op_id and its flashed messages."""
    shown = "".join(f'<p class="review-message review-{escape(category)}">{escape(message)}</p>' for category, message in messages)
    parts = {"csrf_token": escape(csrf_token), "op_id": escape(op_id),
             "messages": f'<div class="review-messages" role="alert">{shown}</div>' if messages else ""}
    for name, slot in SLOTS.items():
        body = body.replace(slot.encode("ascii"), str(parts[name]).encode("utf-8"))
    return body


def produce_here(atelier_id: int, whole_demarche: bool, fmt: str, options: dict | None = None) -> tuple[str, bytes]:
    """Return (Content-Disposition, file), built and rendered in this process (the worker's way):
    `fmt` "html" is the web page (`options["page"]`), "csv" with `options["table"]` one table."""
    from ..extensions import db
    from ..models import Atelier
    from . import FORMATS, build, build_for_demarche, content_disposition

    options = options or {}
    atelier = db.session.get(Atelier, atelier_id)
    doc = build_for_demarche(atelier.demarche) if whole_demarche else build(atelier)
    if fmt == "html":
        return "inline", render_page(doc, options.get("page", {}))
    if fmt == "csv" and options.get("table"):
        from . import to_csv

        body = to_csv.render_one(doc, options["table"])
        if body is None:
            raise ExportError(f"pas de table {options['table']!r}")
        return content_disposition(doc, "csv", suffix=options["table"]), body
    return content_disposition(doc, FORMATS[fmt].extension), render(fmt, doc, illustrations(doc) if fmt == "pdf" else None)


def produce(config, atelier_id: int, whole_demarche: bool, fmt: str, options: dict | None = None) -> tuple[str, bytes]:
    """Return (Content-Disposition, file) for an atelier's (or its démarche's) synthesis, made in a child process."""
    payload = {"config": {k: str(config[k]) for k in WORKER_CONFIG if config.get(k) is not None},
               "atelier_id": atelier_id, "demarche": whole_demarche, "format": fmt, "options": options or {}}
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
_making: dict[tuple, "_Making"] = {}
_lock = Lock()


class _Making:
    """A file one request is making, that others asking for the same key wait for."""

    def __init__(self):
        self.done = Event()
        self.result: tuple[str, bytes] | None = None
        self.error: BaseException | None = None


def cached(key: tuple, make) -> tuple[str, bytes]:
    """Return what `make()` returns for `key` (link, scope, version, format…), kept in memory once made."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        making = _making.get(key)
        owner = making is None
        if owner:
            making = _making[key] = _Making()
    if not owner:
        if not making.done.wait(TIMEOUT_SECONDS) or making.error is not None:
            raise ExportError(f"le fichier attendu n'a pas été produit : {making.error or 'délai dépassé'}")
        return making.result
    try:
        made = make()
    except BaseException as exc:
        making.error = exc
        raise
    else:
        making.result = made
        with _lock:
            _cache[key] = made
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return made
    finally:
        with _lock:
            _making.pop(key, None)
        making.done.set()


def illustrations(doc: dict) -> dict[str, str]:
    """Return the persona illustrations as data: URLs (the PDF fetches nothing from outside)."""
    from .. import catalog

    out = {}
    for persona_id in {p["id"] for p in doc["personas"]} | {entry["persona_id"] for entry in doc["lens"]}:
        persona = catalog().personas.get(persona_id)
        if persona is not None and persona.illustration_path.is_file():
            out[persona_id] = "data:image/svg+xml;base64," + base64.b64encode(persona.illustration_path.read_bytes()).decode("ascii")
    return out
