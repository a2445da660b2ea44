"""Render the synthesis as an editable Word document (python-docx): real headings (the navigation
pane shows the plan), a table of contents, bullet lists and tables whose columns fit what they
hold, in the same order as the web page and the PDF. The text itself is `editable.write`."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .editable import column_widths, write

FONT = "Arial"  # Liberation Sans and Arimo share its metrics, on any machine that opens the file
TEXT_WIDTH_CM = 17.0  # A4, 2 cm margins
INK = RGBColor(0x1D, 0x23, 0x30)
MUTED = RGBColor(0x5B, 0x62, 0x72)


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


class _Writer:
    """A thin layer over python-docx for the few shapes the synthesis uses."""

    def __init__(self):
        self.doc = Document()
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10.5)
        normal.font.color.rgb = INK
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "fr-FR")
        rpr.append(lang)
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
            styles[name].font.name = FONT
            styles[name].font.color.rgb = INK
        # A4 with 2 cm margins: what French public bodies print on.
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
        self.outline: list[tuple[int, str]] = []  # the headings, for the table of contents
        self.toc_paragraph = None

    def heading(self, text: str, level: int, color: str | None = None):
        self.outline.append((level, text))
        paragraph = self.doc.add_heading(level=level)
        run = paragraph.add_run(text)
        if color:
            run.font.color.rgb = _rgb(color)
        return paragraph

    def para(self, text: str = "", *, bold: bool = False, italic: bool = False, muted: bool = False, size: float | None = None,
             style: str | None = None, color: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
            if muted:
                run.font.color.rgb = MUTED
            if color:
                run.font.color.rgb = _rgb(color)
            if size:
                run.font.size = Pt(size)
        return paragraph

    def bullets(self, items):
        for item in items:
            if isinstance(item, tuple):  # (main text, details in grey)
                paragraph = self.doc.add_paragraph(style="List Bullet")
                paragraph.add_run(item[0])
                if item[1]:
                    detail = paragraph.add_run(f" — {item[1]}")
                    detail.font.color.rgb = MUTED
                    detail.font.size = Pt(9)
            else:
                self.doc.add_paragraph(item, style="List Bullet")

    def table(self, headers, rows, caption: str | None = None):
        if caption:
            self.para(caption, bold=True)
        rows = [["" if value is None else str(value) for value in row] for row in rows]
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = [Cm(width) for width in column_widths(headers, rows, TEXT_WIDTH_CM)]
        header = table.rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, headers):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = True
            run.font.size = Pt(9)
            _shade(cell, "EEEBE4")
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                run = cell.paragraphs[0].add_run(value)
                run.font.size = Pt(9)
        # Word reads each cell's width, LibreOffice the grid's: set both.
        for column, width in zip(table.columns, widths):
            column.width = width
            for cell in column.cells:
                cell.width = width
        self.para()
        return table

    def page_break(self):
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def finish(self):
        """Write the table of contents' entries, now that every heading is known."""
        if self.toc_paragraph is None:
            return
        anchor = self.toc_paragraph
        entries = [(level, text) for level, text in self.outline if level <= 2 and text != "Sommaire"]
        for index, (level, text) in enumerate(entries):
            paragraph = self.doc.add_paragraph()
            run = paragraph.add_run(("" if level == 1 else "    ") + text)
            run.bold = level == 1
            run.font.size = Pt(10.5 if level == 1 else 9.5)
            if index == len(entries) - 1:
                paragraph.add_run()._r.append(_field_part("end", None))
            anchor._p.addnext(paragraph._p)
            anchor = paragraph

    def title(self, text: str):
        self.doc.add_paragraph(text, style="Title")

    def runs(self, parts, quote: bool = False):
        paragraph = self.doc.add_paragraph(style="Quote" if quote else None)
        for text, look in parts:
            if not text:
                continue
            run = paragraph.add_run(text)
            run.bold, run.italic = look == "bold", look == "italic"
            if look == "muted":
                run.font.color.rgb = MUTED
        return paragraph

    def properties(self, *, title, subject, author, comments, created):
        props = self.doc.core_properties
        props.title, props.subject, props.author, props.comments, props.created = title, subject, author, comments, created
        props.language = "fr-FR"

    def footer(self, text: str):
        _page_number_footer(self.doc.sections[0], text)

    def new_section(self):
        self.doc.add_section(WD_SECTION.NEW_PAGE)

    def toc(self):
        """Add a table of contents field, its entries already written: every reader shows them as they
        are, and "Update field" adds the page numbers."""
        self.heading("Sommaire", 1)
        self.toc_paragraph = self.doc.add_paragraph()
        for kind, value in (("begin", None), (None, 'TOC \\o "1-2" \\h \\z \\u'), ("separate", None)):
            self.toc_paragraph.add_run()._r.append(_field_part(kind, value))


def _field_part(kind: str | None, instruction: str | None):
    """Return a field's begin/separate/end mark (`kind`), or its instruction text."""
    if kind:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = instruction
    return element


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _page_number_footer(section, text: str) -> None:
    paragraph = section.footer.paragraphs[0]
    run = paragraph.add_run(f"{text} · page ")
    run.font.size = Pt(8)
    run.font.color.rgb = MUTED
    field = paragraph.add_run()
    field.font.size = Pt(8)
    for kind, value in (("begin", None), (None, "PAGE"), ("end", None)):
        field._r.append(_field_part(kind, value))


def render(doc: dict) -> bytes:
    """Return the synthesis as a .docx file."""
    w = _Writer()
    write(w, doc)
    w.finish()
    out = io.BytesIO()
    w.doc.save(out)
    return out.getvalue()
