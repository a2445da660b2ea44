"""Refresh the English catalogue from the sources, keeping existing translations.

    .venv/bin/python scripts/i18n.py            # update fabrique/translations/en/LC_MESSAGES/messages.po
    .venv/bin/python scripts/i18n.py --check    # exit 1 if a message has no English translation

Texts come from `_()`/`gettext()`/`ngettext()` in Python and templates, and from `t("…")` in the browser
scripts. The interface is written in French: French needs no catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PO = ROOT / "fabrique" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def current_messages() -> dict:
    """Return every interface text (msgid, or (singular, plural) for ngettext → a source location)."""
    found: dict = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / "fabrique", METHODS, options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        if isinstance(message, str) and message:
            found.setdefault(message, filename)
        elif isinstance(message, tuple) and len(message) == 2 and all(message):
            found.setdefault(message, filename)  # ngettext: the singular and the plural
    from fabrique.i18n import js_message_ids

    for message in js_message_ids():
        found.setdefault(message, "static/js")
    return found


def main() -> int:
    existing = read_po(PO.open("rb")) if PO.exists() else Catalog(locale="en")
    messages = current_messages()
    catalog = Catalog(locale="en", project="Fabrique", charset="utf-8")
    for msgid, where in sorted(messages.items(), key=lambda item: item[0] if isinstance(item[0], tuple) else (item[0],)):
        old = existing.get(msgid[0] if isinstance(msgid, tuple) else msgid)
        string = old.string if old is not None else ""
        if isinstance(msgid, tuple) and not isinstance(string, tuple):
            string = ("", "")
        catalog.add(msgid, string, locations=[(where, 0)])
    missing = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    if "--check" in sys.argv:
        for msgid in missing:
            print(f"sans traduction : {msgid!r}")
        return 1 if missing else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as out:
        write_po(out, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)
    print(f"{len(catalog)} messages, {len(missing)} sans traduction anglaise.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
