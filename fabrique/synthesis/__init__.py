"""The synthesis: pure functions from an atelier's data to one document (`model`), then one
renderer per format, each drawing from that document only.

| format | renderer          | what it is                                                      |
|--------|-------------------|-----------------------------------------------------------------|
| html   | `to_html.render`  | the web page, print-ready (also the source of the PDF)          |
| pdf    | `to_pdf.render`   | the same page laid out for A4 by WeasyPrint                     |
| docx   | `to_docx.render`  | an editable Word document: headings, bullet lists, tables       |
| odt    | `to_odt.render`   | the same editable text as OpenDocument (`editable.write`)       |
| xlsx   | `to_xlsx.render`  | the raw data, one sheet per table (`tables`)                    |
| csv    | `to_csv.render`   | the same tables, one CSV file each, in a zip (or one table)     |
| json   | `to_json.render`  | the document itself, described by docs/synthesis.schema.json    |

`exports` renders every format but JSON in a child process, and keeps files by version.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from .model import build, build_for_demarche  # noqa: F401  (the package's entry points)


@dataclass(frozen=True)
class Format:
    extension: str
    label: str
    mimetype: str


FORMATS = {
    "pdf": Format("pdf", "PDF", "application/pdf"),
    "docx": Format("docx", "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": Format("odt", "OpenDocument (ODT)", "application/vnd.oasis.opendocument.text"),
    "xlsx": Format("xlsx", "Tableur (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": Format("zip", "Données CSV (zip)", "application/zip"),
    "json": Format("json", "JSON", "application/json"),
}

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-–—_.,;:!?'’\"«»()\[\]{}<>/\\|#&@+=*%$]+", text) if w]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def file_stem(doc: dict) -> tuple[str, str]:
    """Return the file name without extension, as ASCII and as readable UTF-8.

    "Synthese-Aix-Marseille-Provence-Atelier-CODEV-2026-11-22" and
    "Synthèse-Aix-Marseille-Provence-Atelier-CODEV-2026-11-22": the territory, the atelier (or
    démarche) name, and the date of its last session (else of the export).
    """
    cover = doc["cover"]
    date = (cover["dates"][-1] if cover["dates"] else doc["generated_at"][:10])
    parts = ["Synthèse", *_words(cover["territory"]), *_words(cover["name"])[:12], date]
    readable = "-".join(_UNSAFE.sub("", p) for p in parts if _UNSAFE.sub("", p))
    plain = "-".join(w for w in (re.sub(r"[^A-Za-z0-9-]+", "", _ascii(p)) for p in parts) if w)
    return plain[:150].strip("-") or "Synthese", readable[:150].strip("-") or "Synthèse"


def content_disposition(doc: dict, extension: str, suffix: str = "") -> str:
    """Return an attachment header naming the file in ASCII, and in UTF-8 for browsers that read `filename*`."""
    plain, readable = file_stem(doc)
    if suffix:
        plain, readable = f"{plain}-{re.sub(r'[^A-Za-z0-9_-]+', '', suffix)}", f"{readable}-{_UNSAFE.sub('', suffix)}"
    return f"attachment; filename=\"{plain}.{extension}\"; filename*=UTF-8''{quote(readable + '.' + extension, safe='')}"
