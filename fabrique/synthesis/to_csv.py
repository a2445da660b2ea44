"""Render the raw data of the synthesis as CSV: a zip holding one CSV file per table, or one table.

The files are what a French spreadsheet opens without an import dialog: UTF-8 with a byte-order
mark, ";" between fields, CRLF line ends. A text cell that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, as OWASP
advises against CSV injection; the JSON and XLSX exports keep such text exactly as typed.
"""

from __future__ import annotations

import csv
import io
import zipfile

from .tables import tables

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return str(value)


def render_table(table) -> bytes:
    """Return one table as a CSV file."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_one(doc: dict, name: str) -> bytes | None:
    """Return the table called `name` as a CSV file, or None if there is no such table."""
    table = next((t for t in tables(doc) if t.name == name), None)
    return render_table(table) if table is not None else None


def render(doc: dict) -> bytes:
    """Return a zip of every table as `<name>.csv`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables(doc):
            archive.writestr(f"{table.name}.csv", render_table(table))
    return out.getvalue()
