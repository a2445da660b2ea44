"""Render the synthesis as PDF: the same HTML page, laid out for A4 by WeasyPrint.

WeasyPrint takes a few seconds on a long synthesis and holds the CPU meanwhile; under eventlet
that would freeze every phone of a live atelier. So the layout runs in a child process
(`pdf_worker.py`: HTML on stdin, PDF on stdout), which a green `subprocess` waits for without
blocking the server. The child fetches nothing but `data:` URLs (the embedded persona
illustrations), so no text typed by a participant can make it read a file or the network.
WeasyPrint needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import to_html

WORKER = Path(__file__).with_name("pdf_worker.py")
TIMEOUT_SECONDS = 300


class PdfError(RuntimeError):
    """The PDF could not be produced (WeasyPrint or Pango missing, or the layout failed)."""


def render(doc: dict, illustrations: dict[str, str] | None = None) -> bytes:
    """Return the synthesis as PDF bytes (laid out in a child process)."""
    return html_to_pdf(to_html.render(doc, illustrations=illustrations or {}))


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML page as PDF in a child process."""
    try:
        done = subprocess.run([sys.executable, str(WORKER)], input=html.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"la mise en page du PDF a dépassé {TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise PdfError(done.stderr.decode("utf-8", "replace").strip()[-2000:] or "la mise en page du PDF a échoué")
    return done.stdout
