"""Render the synthesis document as JSON: the document itself (docs/synthesis.schema.json)."""

from __future__ import annotations

import json


def render(doc: dict) -> bytes:
    """Return the document as indented UTF-8 JSON."""
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
