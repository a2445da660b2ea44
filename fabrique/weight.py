"""What a phone downloads on its first visit: the participant page and every file it pulls in,
counted as the compressed bytes the server sends (read by a test and by scripts/phone_weight.py)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

BUDGET = 60 * 1024  # the phone's first visit, compressed

_REFERENCES = re.compile(r"""(?:src|href)="([^"]+)"|\bfrom\s+"([^"]+)"|\bimport\s+"([^"]+)"|url\(["']?([^"')]+)""")


def references(base: str, body: str) -> list[str]:
    """Return the URLs a page, stylesheet or module refers to (scripts, styles, modules, images)."""
    found = []
    for groups in _REFERENCES.findall(body):
        ref = next(g for g in groups if g)
        if ref.startswith(("data:", "#", "mailto:")) or ref.startswith("/langue/") or ref == "/":
            continue
        found.append(urljoin(base, ref))
    return found


def first_visit(fetch, page_url: str, extra=()) -> dict[str, int]:
    """Return {url: compressed bytes} for a page and what it loads; fetch(url) → (bytes sent, text or None)."""
    seen: dict[str, int] = {}
    queue = [page_url, *extra]
    origin = urlparse(page_url).netloc
    while queue:
        url = queue.pop(0)
        if url in seen or urlparse(url).netloc not in ("", origin):
            continue
        sent, text = fetch(url)
        seen[url] = sent
        if text is not None:
            queue.extend(references(url, text))
    return seen
