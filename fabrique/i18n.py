"""Interface language: French by default, English available.

Translations live in `fabrique/translations/<lang>/LC_MESSAGES/messages.po`; the compiled `.mo`
files are built from them when the app starts (when missing or older), so no build step is needed.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_request_context, request
from flask_babel import Babel, get_locale, gettext, refresh
from markupsafe import Markup

LANGUAGES = ("fr", "en")
LANGUAGE_COOKIE = "fabrique_langue"
TRANSLATIONS = Path(__file__).parent / "translations"

babel = Babel()


def N_(text: str) -> str:
    """Mark a French text for the catalogue without translating it yet (translated where it is shown)."""
    return text


def select_locale() -> str:
    """Return the language for this request: the participant's, else the browser's choice, else French.

    Outside a request (the command line), French unless `g.language` says otherwise.
    """
    chosen = getattr(g, "language", None)
    if not chosen and has_request_context():
        chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else "fr"


@contextmanager
def speaking(language: str | None):
    """Answer in `language` (None: the browser's cookie) for one Socket.IO event or one page.

    A request context reuses the app context already pushed if there is one (Flask-SocketIO's
    events; tests hold one for their whole run), and Flask-Babel caches the locale in that
    context's `g`: the cache is emptied on the way in and on the way out, so nothing that
    follows answers in this one's language.
    """
    if language:
        g.language = language
    else:
        g.pop("language", None)
    refresh()
    try:
        yield
    finally:
        g.pop("language", None)
        refresh()


def compile_translations() -> None:
    """Compile each messages.po into messages.mo when the .mo is missing or older."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            messages = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, messages)


def init_app(app) -> None:
    """Set up Flask-Babel with the locale selector."""
    compile_translations()
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.globals.update(js_messages=js_messages, get_locale=get_locale, lang_attr=lang_attr)


def lang_attr(language: str | None) -> Markup:
    """Return ` lang="…"` for an element holding text in `language` (a template's), when the page is in another."""
    if not language or language == get_locale().language:
        return Markup("")
    return Markup(' lang="{}"').format(language)


_JS_CALL = re.compile(r"""\btw?\(\s*"((?:[^"\\]|\\.)*)"|\btw?\(\s*'((?:[^'\\]|\\.)*)'""")  # t("…") and tw("…")


@lru_cache(maxsize=1)
def js_message_ids() -> tuple[str, ...]:
    """Return every text the browser scripts pass to t("…") or tw("…") (they are written in French)."""
    ids = set()
    for script in (Path(__file__).parent / "static" / "js").rglob("*.js"):
        for double, single in _JS_CALL.findall(script.read_text(encoding="utf-8")):
            ids.add(double or single)  # written plainly: no escapes inside t("…")
    return tuple(sorted(ids))


def js_messages() -> dict[str, str]:
    """Return the browser scripts' texts in the current language (empty in French: t() falls back).

    The default phase titles come along: the stage is broadcast to every screen of an atelier in
    French, and each browser shows its titles in its own language.
    """
    if str(get_locale()) == "fr":
        return {}
    from .phases import PHASE_TITLES

    return {message: gettext(message) for message in (*js_message_ids(), *PHASE_TITLES.values())}
