"""The synthesis PDF read back as a reader shows it, through poppler's `pdftotext`.

pypdf decodes a font with an embedded encoding CMap (WeasyPrint writes one for some subsets of
Liberation Sans) one byte at a time, so its text came back as "\\x00S\\x00y…"; poppler, like
the PDF readers CODEV members use, follows the CMap.
"""

import subprocess


def pdf_pages(body: bytes) -> list[str]:
    """Return the text of each page of a PDF, in order."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True, timeout=60).stdout
    pages = text.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(body: bytes) -> str:
    """Return the whole text of a PDF, pages joined by a space."""
    return " ".join(pdf_pages(body))
