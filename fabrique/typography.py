"""French typography and time for every screen and export: no-break spaces, dates in Europe/Paris."""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from markupsafe import Markup


# French typography: a narrow no-break space before ? ! ; and a no-break space before : and
# inside « », so that a lone « ? » never wraps to its own line.
NBSP, NNBSP = "\u00a0", "\u202f"
_BEFORE_TALL = re.compile(r"[ \u00a0]+([?!;])")
_BEFORE_COLON = re.compile(r"[ \u202f]+(:)(?=\s|$)")
_GUILLEMETS_OPEN = re.compile(r"«[ \u202f]*")
_GUILLEMETS_CLOSE = re.compile(r"[ \u202f]*»")


def typo(text) -> str:
    """Return French text with its no-break spaces (before « ? ! ; : », inside « »)."""
    if not text:
        return text or ""
    value = str(text)
    value = _BEFORE_TALL.sub(NNBSP + r"\1", value)
    value = _BEFORE_COLON.sub(NBSP + r"\1", value)
    value = _GUILLEMETS_OPEN.sub("«" + NBSP, value)
    value = _GUILLEMETS_CLOSE.sub(NBSP + "»", value)
    return Markup(value) if isinstance(text, Markup) else value


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def local_time(moment):
    """Return a UTC moment (aware, naive UTC, or ISO text) in the app's time zone (Europe/Paris unless
    FABRIQUE_TIMEZONE or the app's TIMEZONE setting says otherwise)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    zone = (current_app.config.get("TIMEZONE") if has_app_context() else None) or os.environ.get("FABRIQUE_TIMEZONE") or "Europe/Paris"
    return moment.astimezone(ZoneInfo(zone))


def french_datetime(moment) -> str:
    """Return « 1er décembre 2026 à 10 h 42 » in the app's time zone."""
    local = local_time(moment)
    day = f"{local.day}{'er' if local.day == 1 else ''}"
    return f"{day}{NBSP}{MONTHS[local.month - 1]} {local.year} à {local.hour}{NBSP}h{NBSP}{local.minute:02d}"
