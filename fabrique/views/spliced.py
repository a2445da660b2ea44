"""Pages gzip-compressed in pieces, their constant pieces compressed once (the phone's pages).

A whole room loads the join form and the phone page at once. 31 of the phone page's 37 KB are
the template's data, the same for every phone, and the rest of it but the phone's own snapshot
is the same for every phone speaking one language; the join form differs from phone to phone
only by its CSRF token. Compressing the whole page for each phone was a tenth of a join's cost.
Here the constant pieces are deflated once, and only what is written per phone each time. Each
piece is ended by a full flush (RFC 1951): its blocks refer to nothing before them and end on a
byte boundary, so pieces compressed apart join into one valid deflate stream, as parallel gzip
tools do.
"""

from __future__ import annotations

import struct
import zlib

from flask import current_app, make_response, request

_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip (RFC 1952): deflate, no name, no date, unknown OS
_LAST_BLOCK = b"\x03\x00"  # an empty final block, which ends the deflate stream
# What is compressed per phone is at most about 5 KB: zlib's fastest level, an 8 KB window and a small hash
# table (setting up its default 256 KB of state cost more than compressing) take 5 % more bytes
# than its default level, in two thirds of the time. The constant pieces get its default.
_PER_PAGE = {"level": 1, "wbits": -13, "memLevel": 6}
_ONCE = {"level": 6, "wbits": -zlib.MAX_WBITS, "memLevel": 8}
# Shorter than this, a per-phone text (the join form's CSRF token, ~90 bytes) goes as a stored block:
# deflating it saved a few dozen bytes but setting up a compressor for it cost more than the rest.
_STORED_BELOW = 256
_PAGES_KEPT = 256  # pages kept of each kind: bounded, as the address is part of the key and anyone may vary its query


class Piece:
    """Constant text, deflated once."""

    __slots__ = ("text", "raw", "deflated")

    def __init__(self, text: str):
        self.text = text
        self.raw = text.encode()
        self.deflated = _deflate(self.raw, **_ONCE)


def kept_pieces(kind: str, key, render, slot: str) -> list[Piece]:
    """Return the constant pieces of a page between its `slot`s, `render()`ed once per `key` and kept."""
    kept = current_app.extensions.setdefault(kind, {})
    pieces = kept.get(key)
    if pieces is None:
        if len(kept) >= _PAGES_KEPT:
            kept.clear()
        pieces = kept[key] = [Piece(text) for text in render().split(slot)]
    return pieces


def spliced_page(pieces: list[Piece], fill: tuple[str | Piece, ...]):
    """Return the page of `pieces` with `fill` in each slot between them: in gzip, the pieces not
    compressed again, for a browser that takes it; else as text (compressed as any page, if the
    browser takes another encoding)."""
    parts: list[str | Piece] = [pieces[0]]
    for piece in pieces[1:]:
        parts += [*fill, piece]
    if not request.accept_encodings.quality("gzip"):
        return "".join(part.text if isinstance(part, Piece) else part for part in parts)
    response = make_response(gzip_pieces(*parts))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def gzip_pieces(*parts: str | Piece) -> bytes:
    """Return the parts, in order, as one gzip member: each Piece as deflated once, each text deflated now."""
    out, crc, size = [_HEADER], 0, 0
    for part in parts:
        if isinstance(part, Piece):
            raw, deflated = part.raw, part.deflated
        else:
            raw = part.encode()
            deflated = _stored(raw) if len(raw) < _STORED_BELOW else _deflate(raw, **_PER_PAGE)
        crc, size = zlib.crc32(raw, crc), size + len(raw)
        out.append(deflated)
    out += [_LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(out)


def _stored(raw: bytes) -> bytes:
    """Return `raw` as one stored (uncompressed) deflate block, not the last (RFC 1951, 3.2.4).

    Every piece before it ends byte-aligned, so its 3 header bits and their padding are one zero byte."""
    return b"\x00" + struct.pack("<HH", len(raw), len(raw) ^ 0xFFFF) + raw


def _deflate(raw: bytes, level: int, wbits: int, memLevel: int) -> bytes:  # noqa: N803 (zlib's names)
    compressor = zlib.compressobj(level, zlib.DEFLATED, wbits, memLevel)
    return compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH)
