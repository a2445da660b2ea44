"""Fill English translations into the catalogue from a JSON file {"French": "English", …}.

    .venv/bin/python scripts/translate.py new.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "fabrique" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def main() -> int:
    pairs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    catalog = read_po(PO.open("rb"))
    unknown = [fr for fr in pairs if catalog.get(fr) is None]
    for fr, en in pairs.items():
        if catalog.get(fr) is not None:
            catalog.get(fr).string = en
    with PO.open("wb") as out:
        write_po(out, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)
    for fr in unknown:
        print(f"absent du catalogue (lancez scripts/i18n.py d'abord) : {fr!r}")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
