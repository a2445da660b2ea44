"""Lay out an HTML page (stdin) as PDF (stdout) with WeasyPrint: the child process of `to_pdf`.

Run by path, not as a module, so that it imports WeasyPrint only (not the app). It fetches
nothing: only `data:` URLs are resolved.
"""

import logging
import sys


def main() -> int:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = sys.stdin.buffer.read().decode("utf-8")
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
