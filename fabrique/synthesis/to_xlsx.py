"""Render the raw data of the synthesis as a workbook (openpyxl): one sheet per table of `tables`."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .tables import tables
from .wording import version_label

HEADER_FILL = PatternFill("solid", fgColor="EEEBE4")
WIDE = {"texte", "titre", "pour", "comment", "commentaire", "paradoxe", "atout", "défi", "mots associés", "engagement"}


def render(doc: dict) -> bytes:
    """Return the workbook as .xlsx bytes."""
    book = Workbook()
    book.remove(book.active)
    cover = doc["cover"]
    book.properties.title = f"{cover['title']} — {cover['name']}"[:250]
    book.properties.subject = f"{cover['method']} — {cover['territory']}"[:250]
    book.properties.creator = "Fabrique"
    book.properties.language = "fr-FR"
    book.properties.description = f"Synthèse, {version_label(doc)}"
    for table in tables(doc):
        sheet = book.create_sheet(table.name[:31])
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        for row in table.rows:
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                cell.value = value
                if isinstance(value, str):
                    # Text stays text: a piste starting with "=" is not a formula (no CSV/formula injection),
                    # and it reads back exactly as typed.
                    cell.data_type = TYPE_STRING
                    if "\n" in value or len(value) > 60:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column, name in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = 60 if name in WIDE else max(12, len(name) + 4)
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
