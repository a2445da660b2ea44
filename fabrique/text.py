"""Clean what people type: normalised, without control characters, within length limits.

Output is escaped by the templates and by the browser scripts (textContent); cleaning here is
about storing tidy text and refusing what would not fit, with a message the person understands.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from .actions import Refused
from .i18n import N_

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
    "reviewer": (2, 80),
    "after": (0, 600),
}

# What a refused text is told, one complete sentence per kind of text and problem (French nouns
# agree in gender, other languages in other ways): %(min)s and %(max)s are the bounds, %(n)s the
# length typed. "empty" serves the kinds that need one character, "too_short" those that need more.
MESSAGES = {
    "pseudonym": {
        "not_text": N_("Le pseudonyme doit être un texte."),
        "too_short": N_("Le pseudonyme est trop court (%(min)s caractères au moins)."),
        "too_long": N_("Le pseudonyme est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "college": {
        "not_text": N_("Le collège doit être un texte."),
        "empty": N_("Le collège est vide."),
        "too_long": N_("Le collège est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "piste": {
        "not_text": N_("{Piste.le} doit être un texte."),
        "too_short": N_("{Piste.le} est trop {piste|court|courte} (%(min)s caractères au moins)."),
        "too_long": N_("{Piste.le} est trop {piste|long|longue} : %(n)s caractères pour %(max)s au plus."),
    },
    "reve": {
        "not_text": N_("{Reve.le} doit être un texte."),
        "too_short": N_("{Reve.le} est trop {reve|court|courte} (%(min)s caractères au moins)."),
        "too_long": N_("{Reve.le} est trop {reve|long|longue} : %(n)s caractères pour %(max)s au plus."),
    },
    "word": {
        "not_text": N_("Le mot doit être un texte."),
        "empty": N_("Le mot est vide."),
        "too_long": N_("Le mot est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "hashtag": {
        "not_text": N_("Le hashtag doit être un texte."),
        "empty": N_("Le hashtag est vide."),
        "too_long": N_("Le hashtag est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "engagement_title": {
        "not_text": N_("Le titre doit être un texte."),
        "too_short": N_("Le titre est trop court (%(min)s caractères au moins)."),
        "too_long": N_("Le titre est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "engagement_text": {
        "not_text": N_("Le texte doit être un texte."),
        "too_long": N_("Le texte est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "comment": {
        "not_text": N_("Le commentaire doit être un texte."),
        "empty": N_("Le commentaire est vide."),
        "too_long": N_("Le commentaire est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "after": {
        "not_text": N_("« Et après » doit être un texte."),
        "too_long": N_("« Et après » est trop long : %(n)s caractères pour %(max)s au plus."),
    },
    "reviewer": {
        "not_text": N_("Le nom doit être un texte."),
        "too_short": N_("Indiquez votre nom ou un pseudonyme (%(min)s caractères au moins)."),
        "too_long": N_("Le nom est trop long : %(n)s caractères pour %(max)s au plus."),
    },
}


def clean(value, kind: str, multiline: bool = False) -> str:
    """Return `value` tidied, or raise Refused if it is not text or its length is out of bounds."""
    if not isinstance(value, str):
        raise _refused(kind, "not_text", "invalid")
    text = unicodedata.normalize("NFC", value)
    if multiline:
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text)
        text = _CONTROL.sub("", text)  # line breaks are not control characters here
    else:
        text = _CONTROL.sub(" ", text.replace("\n", " "))
        text = _SPACES.sub(" ", text)
    text = text.strip()
    low, high = LIMITS[kind]
    if len(text) < low:
        raise _refused(kind, "too_short" if low > 1 else "empty", "too_short", min=low)
    if len(text) > high:
        raise _refused(kind, "too_long", "too_long", n=len(text), max=high)
    return text


def _refused(kind: str, problem: str, code: str, **values) -> Refused:
    """Return the refusal for `problem` with a text of this kind, in the person's language."""
    return Refused(_(MESSAGES[kind][problem], **values), code)


def key(text: str) -> str:
    """Return the form used to compare two texts: case- and accent-insensitive."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))

