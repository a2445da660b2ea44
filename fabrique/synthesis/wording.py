"""French wording shared by every renderer, so that the web page, the PDF, the DOCX, the ODT and
the spreadsheets say the same thing in the same words: dates and times in Europe/Paris, the
version a reader understands, numbers and percentages written the French way."""

from __future__ import annotations

from datetime import datetime

from ..typography import local_time
from ..vocabulary import fill, words

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
          "décembre")
NBSP = "\u00a0"
NNBSP = "\u202f"  # thin no-break space: thousands, and before "%"


def fr_date(value: str | None) -> str:
    """Return "1er décembre 2026" for "2026-12-01" (the text itself if it is not an ISO date)."""
    if not value:
        return ""
    try:
        day = datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return value
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def paris(value: str | None) -> datetime | None:
    """Read an ISO timestamp in UTC and return it in the app's time zone, Europe/Paris unless configured (None when it is not one)."""
    try:
        moment = datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S") if value else None
    except ValueError:
        return None
    return local_time(moment) if moment else None


def fr_datetime(value: str | None) -> str:
    """Return "1er décembre 2026 à 10 h 42" (Paris time) for an ISO timestamp in UTC."""
    moment = paris(value)
    if moment is None:
        return value or ""
    return f"{fr_date(moment.date().isoformat())} à {moment.hour} h {moment.minute:02d}"


def short_datetime(value: str | None) -> str:
    """Return "01/12/2026 10:42" (Paris time) for an ISO timestamp (tables)."""
    moment = paris(value)
    return moment.strftime("%d/%m/%Y %H:%M") if moment else (value or "")


def version_label(doc: dict) -> str:
    """Return the version as a reader understands it: "version du 1er décembre 2026 à 10 h 42"."""
    return f"version du {fr_datetime(doc['version_at'])}"


def fr_number(value: float | int, decimals: int = 0) -> str:
    """Return 1 234,5 for 1234.5: a comma for decimals, thin spaces between thousands."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def fr_percent(share: float) -> str:
    """Return "33,0 %" for 0.33."""
    return f"{fr_number(100 * share, 1)}{NBSP}%"


def plural(count: int, one: str, many: str) -> str:
    """Return "1 point", "2 points", "0 point" (French: 0 and 1 are singular)."""
    return f"{fr_number(count)} {one if count < 2 else many}"


def values_note(values: dict, vocabulary: dict | None = None) -> str:
    """Say where the values ranking comes from, in one sentence, in the template's words."""
    vocabulary = vocabulary or words()
    if values["basis"] == "votes":
        note = f"{plural(values['total_points'], 'point', 'points')} répartis par {plural(values['voters'], 'personne', 'personnes')}."
    elif values["basis"] == "imported":
        note = f"{plural(values['total_points'], 'point', 'points')}, classement repris"
    elif values["basis"] == "replay":
        return "Classement consolidé de la démarche publiée (aucun vote enregistré dans Fabrique)."
    else:
        return fill("Aucun vote sur {value.les} n'a été enregistré : voici {value.les} {value|proposés|proposées} par le cadre.", vocabulary)
    sources = [f"de l'atelier « {c['label']} »" for c in values["imported"]]
    if values["basis"] == "imported":
        return f"{note} {' et '.join(sources)} (" + fill("{value.pl} {value|importés|importées}).", vocabulary)
    if sources:
        note += f" Classement également repris {' et '.join(sources)} : " + " ; ".join(
            ", ".join(f"{r['label']} ({plural(r['points'], 'point', 'points')})" for r in c["ranking"]) for c in values["imported"]) + "."
    return note


def key_figures(doc: dict) -> str:
    """Return the figures every format states on its cover: "3 participants · 4 pistes · 7 soutiens · 1 engagement"."""
    vocab, p = doc["template"]["vocabulary"], doc["participation"]
    supports = sum(r["supports"] for r in doc["annexes"]["pistes"] if r["status"] == "visible")
    return " · ".join((plural(p["total"], "participant", "participants"),
                       plural(p["totals"]["pistes"], vocab["piste"]["sg"], vocab["piste"]["pl"]),
                       plural(supports, "soutien", "soutiens"),
                       plural(p["totals"]["engagements"], vocab["engagement"]["sg"], vocab["engagement"]["pl"])))
