"""Render the synthesis document as one HTML page: the web page, and the source of the PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..typography import french_datetime
from ..vocabulary import agree, fill

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
          "décembre")


class _DocumentEnvironment(Environment):
    """Read `doc.values` as the document's "values" key, not as the dict method of that name."""

    def getattr(self, obj, attribute):
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def fr_date(value: str | None) -> str:
    """Return "29 novembre 2017" for "2017-11-29" (the text itself if it is not an ISO date)."""
    if not value:
        return ""
    try:
        day = datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return value
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def _moment(value: str | None) -> datetime | None:
    """Read an ISO timestamp (UTC), or None when it is missing or not one."""
    try:
        return datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S") if value else None
    except ValueError:
        return None


def fr_datetime(value: str | None) -> str:
    """Return "22 novembre 2026 à 11 h 05" for an ISO timestamp in UTC, in the app's time zone (Europe/Paris)."""
    moment = _moment(value)
    if moment is None:
        return value or ""
    return french_datetime(moment)


def short_datetime(value: str | None) -> str:
    """Return "22/11/2026 10:05" for an ISO timestamp (tables)."""
    moment = _moment(value)
    return moment.strftime("%d/%m/%Y %H:%M") if moment else (value or "")


def capfirst(value: str) -> str:
    """Upper-case the first letter only ("les 4 Vivre" → "Les 4 Vivre")."""
    return value[:1].upper() + value[1:] if value else ""


def css_string(value: str) -> Markup:
    """Return `value` as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(ch if ch.isalnum() or ch in " -—–.,:;()" else f"\\{ord(ch):x} " for ch in value)
    return Markup(f'"{escaped}"')


_env = _DocumentEnvironment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                            trim_blocks=True, lstrip_blocks=True)
_env.filters.update(fr_date=fr_date, fr_datetime=fr_datetime, short_datetime=short_datetime, capfirst=capfirst, css_string=css_string, agree=agree,
                    inwords=lambda text, vocabulary: fill(str(text), vocabulary))


def render(doc: dict, downloads: list[dict] | None = None, illustrations: dict[str, str] | None = None,
           review: dict | None = None) -> str:
    """Return the synthesis page; `downloads` adds a download bar, `illustrations` maps persona ids to image URLs,
    `review` ({action, op_id, messages}) adds the reviewers' opinion forms (web page only)."""

    def illustration(entry: dict) -> str | None:
        if illustrations is None:
            return entry.get("illustration")
        return illustrations.get(entry.get("persona_id") or entry.get("id"))

    return _env.get_template("synthesis.html").render(doc=doc, downloads=downloads or [], illustration=illustration,
                                                      review=review)
