"""Clean what people type: normalised, without control characters, within length limits.

Output is escaped by the templates and by the browser scripts (textContent); cleaning here is
about storing tidy text and refusing what would not fit, with a message the person understands.
"""

from __future__ import annotations

import re
import unicodedata

from .actions import Refused

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u2028\u2029]")
_SPACES = re.compile(r"[ \t]+")

LIMITS = {
    "pseudonym": (2, 40),
    "college": (1, 200),
    "piste": (5, 500),
    "reve": (5, 300),
    "word": (1, 30),
    "hashtag": (1, 40),
    "engagement_title": (3, 300),
    "engagement_text": (0, 1000),
    "comment": (1, 2000),
}

# What the message calls each kind of text, and whether the noun is feminine (for agreement).
LABELS = {
    "pseudonym": ("Le pseudonyme", False),
    "college": ("Le collège", False),
    "piste": ("La piste", True),
    "reve": ("Le rêve", False),
    "word": ("Le mot", False),
    "hashtag": ("Le hashtag", False),
    "engagement_title": ("Le titre", False),
    "engagement_text": ("Le texte", False),
    "comment": ("Le commentaire", False),
}


def clean(value, kind: str, multiline: bool = False) -> str:
    """Return `value` tidied, or raise Refused if it is not text or its length is out of bounds."""
    label, feminine = LABELS[kind]
    if not isinstance(value, str):
        raise Refused(f"{label} doit être un texte.", "invalid")
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text)
        text = "".join(ch for ch in text if ch == "\n" or not _CONTROL.match(ch))
    else:
        text = _CONTROL.sub(" ", text.replace("\n", " "))
        text = _SPACES.sub(" ", text)
    text = text.strip()
    low, high = LIMITS[kind]
    if len(text) < low:
        short = "courte" if feminine else "court"
        raise Refused(f"{label} est trop {short} ({low} caractères au moins)." if low > 1 else f"{label} est vide.", "too_short")
    if len(text) > high:
        long_ = "longue" if feminine else "long"
        raise Refused(f"{label} est trop {long_} : {len(text)} caractères pour {high} au plus.", "too_long")
    return text


def key(text: str) -> str:
    """Return the form used to compare two texts: case- and accent-insensitive."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
