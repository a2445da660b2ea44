"""Render the synthesis document as one HTML page: the web page, and the source of the PDF."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..vocabulary import agree, fill
from .wording import fr_date, fr_datetime, fr_number, fr_percent, plural, short_datetime, key_figures, values_note, version_label

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class _DocumentEnvironment(Environment):
    """Read `doc.values` as the document's "values" key, not as the dict method of that name."""

    def getattr(self, obj, attribute):
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def capfirst(value: str) -> str:
    """Upper-case the first letter only ("les 4 Vivre" → "Les 4 Vivre")."""
    return value[:1].upper() + value[1:] if value else ""


def css_string(value: str) -> Markup:
    """Return `value` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(ch if ch.isalnum() or ch in " -—–.,:;()" else f"\\{ord(ch):x} " for ch in value)
    return Markup(f'"{escaped}"')


_env = _DocumentEnvironment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                            trim_blocks=True, lstrip_blocks=True)
_env.filters.update(fr_date=fr_date, fr_datetime=fr_datetime, short_datetime=short_datetime, capfirst=capfirst, css_string=css_string,
                    fr_number=fr_number, fr_percent=fr_percent, agree=agree, inwords=lambda text, vocabulary: fill(str(text), vocabulary))
_env.globals.update(plural=plural, values_note=values_note, version_label=version_label, key_figures=key_figures)


def render(doc: dict, downloads: list[dict] | None = None, illustrations: dict[str, str] | None = None,
           review: dict | None = None, script: str | None = None) -> str:
    """Return the synthesis page; `downloads` adds a download bar, `illustrations` maps persona ids to image URLs,
    `review` ({action, csrf_token, op_id, messages: markup}) adds the reviewers' opinion forms, `script` the downloads' module (web page only)."""

    def illustration(entry: dict) -> str | None:
        if illustrations is None:
            return entry.get("illustration")
        return illustrations.get(entry.get("persona_id") or entry.get("id"))

    return _env.get_template("synthesis.html").render(doc=doc, downloads=downloads or [], illustration=illustration,
                                                      review=review, script=script)
