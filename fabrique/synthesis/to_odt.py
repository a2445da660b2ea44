"""Render the synthesis as an OpenDocument text (odfpy), the open format French public bodies are
asked to use: the same text as the DOCX (`editable.write`), with real headings, a table of
contents, lists and tables whose columns fit what they hold."""

from __future__ import annotations

import io

from odf.opendocument import OpenDocumentText
from odf import dc, meta
from odf.style import (FontFace, Footer, ListLevelProperties, MasterPage, PageLayout, PageLayoutProperties, ParagraphProperties,
                       Style, TableCellProperties, TableColumnProperties, TableProperties, TextProperties)
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import (H, IndexBody, IndexTitleTemplate, List, ListItem, ListLevelStyleBullet, ListStyle, P, PageNumber, Span,
                      TableOfContent, TableOfContentSource)

from .editable import column_widths, write

FONT = "Liberation Sans"
INK, MUTED_COLOR = "#1d2330", "#5b6272"
TEXT_WIDTH_CM = 17.0  # A4, 2 cm margins


def _cm(value: float) -> str:
    return f"{value:.2f}cm"


class _Writer:
    """The writer interface of `editable`, over odfpy."""

    def __init__(self):
        self.doc = OpenDocumentText()
        self._styles()
        self._tables = 0
        self.outline: list[tuple[int, str]] = []  # the headings, for the table of contents
        self.toc_body = None

    def _styles(self) -> None:
        d = self.doc
        d.fontfacedecls.addElement(FontFace(name=FONT, fontfamily=FONT, fontfamilygeneric="swiss"))
        layout = PageLayout(name="A4")
        layout.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm", margintop="2cm", marginbottom="2cm",
                                               marginleft="2cm", marginright="2cm", printorientation="portrait"))
        d.automaticstyles.addElement(layout)
        self.footer_master = MasterPage(name="Standard", pagelayoutname=layout)
        d.masterstyles.addElement(self.footer_master)

        def paragraph_style(name, size, bold=False, italic=False, color=INK, outline=None, space=0.2, family="paragraph",
                            parent=None, **extra):
            style = Style(name=name, family=family, **({"parentstylename": parent} if parent else {}),
                          **({"defaultoutlinelevel": str(outline)} if outline else {}))
            style.addElement(TextProperties(fontname=FONT, fontsize=f"{size}pt", color=color, language="fr", country="FR",
                                            fontweight="bold" if bold else "normal", fontstyle="italic" if italic else "normal"))
            style.addElement(ParagraphProperties(marginbottom=_cm(space), **extra))
            d.styles.addElement(style)
            return style

        self.normal = paragraph_style("Standard", 10.5)
        self.title_style = paragraph_style("Title", 26, bold=True, space=0.4)
        self.headings = {level: paragraph_style(f"Heading_20_{level}", size, bold=True, outline=level, space=0.25, margintop=_cm(0.4),
                                                keepwithnext="always")
                         for level, size in ((1, 18), (2, 14), (3, 12), (4, 11))}
        for level, style in self.headings.items():
            style.setAttribute("displayname", f"Heading {level}")
        self.quote = paragraph_style("Quotations", 10.5, italic=True, marginleft="0.8cm")
        self.cell_text = paragraph_style("Table_20_Contents", 9, space=0)
        self.cell_head = paragraph_style("Table_20_Heading", 9, bold=True, space=0)
        self.page_break_style = Style(name="PageBreak", family="paragraph", parentstylename=self.normal)
        self.page_break_style.addElement(ParagraphProperties(breakbefore="page"))
        d.automaticstyles.addElement(self.page_break_style)
        self.looks = {}
        for look, props in (("bold", {"fontweight": "bold"}), ("italic", {"fontstyle": "italic"}), ("muted", {"color": MUTED_COLOR})):
            style = Style(name=f"T_{look}", family="text")
            style.addElement(TextProperties(**props))
            d.automaticstyles.addElement(style)
            self.looks[look] = style
        bullets = ListStyle(name="Bullets")
        level = ListLevelStyleBullet(level="1", bulletchar="•")
        level.addElement(ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.4cm"))
        bullets.addElement(level)
        d.automaticstyles.addElement(bullets)
        self.bullet_style = bullets
        cell = Style(name="Cell", family="table-cell")
        cell.addElement(TableCellProperties(border="0.5pt solid #b9b4aa", padding="0.08cm"))
        d.automaticstyles.addElement(cell)
        head = Style(name="HeadCell", family="table-cell")
        head.addElement(TableCellProperties(border="0.5pt solid #b9b4aa", padding="0.08cm", backgroundcolor="#eeebe4"))
        d.automaticstyles.addElement(head)
        self.cell_style, self.head_style = cell, head
        self._colors = {}

    def _color(self, color: str):
        if color not in self._colors:
            style = Style(name=f"C{len(self._colors)}", family="text")
            style.addElement(TextProperties(color=color))
            self.doc.automaticstyles.addElement(style)
            self._colors[color] = style
        return self._colors[color]

    def _size(self, size: float, bold: bool, italic: bool, muted: bool):
        name = f"P_{size}_{int(bold)}{int(italic)}{int(muted)}"
        if name not in self._colors:
            style = Style(name=name, family="paragraph", parentstylename=self.normal)
            style.addElement(TextProperties(fontsize=f"{size}pt", fontweight="bold" if bold else "normal",
                                            fontstyle="italic" if italic else "normal", color=MUTED_COLOR if muted else INK))
            self.doc.automaticstyles.addElement(style)
            self._colors[name] = style
        return self._colors[name]

    def properties(self, *, title, subject, author, comments, created):
        self.doc.meta.addElement(dc.Title(text=title))
        self.doc.meta.addElement(dc.Subject(text=subject))
        self.doc.meta.addElement(dc.Creator(text=author))
        self.doc.meta.addElement(dc.Description(text=comments))
        self.doc.meta.addElement(dc.Language(text="fr-FR"))
        self.doc.meta.addElement(meta.CreationDate(text=created.isoformat()))

    def footer(self, text: str):
        footer = Footer()
        paragraph = P(stylename=self._size(8, False, False, True), text=f"{text} · page ")
        paragraph.addElement(PageNumber(selectpage="current"))
        footer.addElement(paragraph)
        self.footer_master.addElement(footer)

    def title(self, text: str):
        self.doc.text.addElement(P(stylename=self.title_style, text=text))

    def heading(self, text: str, level: int, color: str | None = None):
        self.outline.append((level, text))
        heading = H(outlinelevel=level, stylename=self.headings[min(level, 4)])
        if color:
            heading.addElement(Span(stylename=self._color(color), text=text))
        else:
            heading.addText(text)
        self.doc.text.addElement(heading)

    def para(self, text: str = "", *, bold: bool = False, italic: bool = False, muted: bool = False, size: float | None = None,
             style=None, color: str | None = None):
        paragraph = P(stylename=self._size(size or 10.5, bold, italic, muted))
        if color:
            paragraph.addElement(Span(stylename=self._color(color), text=text))
        elif text:
            paragraph.addText(text)
        self.doc.text.addElement(paragraph)

    def runs(self, parts, quote: bool = False):
        paragraph = P(stylename=self.quote if quote else self.normal)
        for text, look in parts:
            if text:
                paragraph.addElement(Span(stylename=self.looks[look], text=text) if look else Span(text=text))
        self.doc.text.addElement(paragraph)

    def bullets(self, items):
        if not items:
            return
        listing = List(stylename=self.bullet_style)
        for item in items:
            entry = ListItem()
            paragraph = P(stylename=self.normal)
            if isinstance(item, tuple):
                paragraph.addText(item[0])
                if item[1]:
                    paragraph.addElement(Span(stylename=self.looks["muted"], text=f" — {item[1]}"))
            else:
                paragraph.addText(item)
            entry.addElement(paragraph)
            listing.addElement(entry)
        self.doc.text.addElement(listing)

    def table(self, headers, rows, caption: str | None = None):
        if caption:
            self.para(caption, bold=True)
        rows = [["" if value is None else str(value) for value in row] for row in rows]
        self._tables += 1
        name = f"Tableau{self._tables}"
        table_style = Style(name=name, family="table")
        table_style.addElement(TableProperties(width=_cm(TEXT_WIDTH_CM), align="left"))
        self.doc.automaticstyles.addElement(table_style)
        table = Table(name=name, stylename=table_style)
        for index, width in enumerate(column_widths(headers, rows, TEXT_WIDTH_CM)):
            column_style = Style(name=f"{name}.C{index}", family="table-column")
            column_style.addElement(TableColumnProperties(columnwidth=_cm(width)))
            self.doc.automaticstyles.addElement(column_style)
            table.addElement(TableColumn(stylename=column_style))
        header_rows = TableHeaderRows()  # repeated on every page the table runs over
        header = TableRow()
        for text in headers:
            cell = TableCell(stylename=self.head_style, valuetype="string")
            cell.addElement(P(stylename=self.cell_head, text=str(text)))
            header.addElement(cell)
        header_rows.addElement(header)
        table.addElement(header_rows)
        for row in rows:
            line = TableRow()
            for value in row:
                cell = TableCell(stylename=self.cell_style, valuetype="string")
                for part in value.split("\n") or [""]:
                    cell.addElement(P(stylename=self.cell_text, text=part))
                line.addElement(cell)
            table.addElement(line)
        self.doc.text.addElement(table)
        self.para()

    def toc(self):
        self.heading("Sommaire", 1)
        toc = TableOfContent(name="Sommaire", protected="true")
        source = TableOfContentSource(outlinelevel="2")
        template = IndexTitleTemplate()
        source.addElement(template)
        toc.addElement(source)
        self.toc_body = IndexBody()  # filled with the headings once they are all written
        toc.addElement(self.toc_body)
        self.doc.text.addElement(toc)

    def finish(self):
        if self.toc_body is not None:
            for level, text in self.outline:
                if level <= 2 and text != "Sommaire":
                    self.toc_body.addElement(P(stylename=self._size(10.5 if level == 1 else 9.5, level == 1, False, False),
                                               text=("" if level == 1 else "    ") + text))

    def page_break(self):
        self.doc.text.addElement(P(stylename=self.page_break_style))

    def new_section(self):
        self.page_break()


def render(doc: dict) -> bytes:
    """Return the synthesis as an .odt file."""
    w = _Writer()
    write(w, doc)
    w.finish()
    out = io.BytesIO()
    w.doc.write(out)
    return out.getvalue()
