"""A page gzip-compressed in pieces, its constant pieces compressed once (the phone page).

A whole room loads the phone page at once, and 31 of its 37 KB are the template's data, the same
for every phone; what follows it (the interface's messages, the scripts) is the same for every
phone speaking one language. Compressing the whole page for each phone was a tenth of a join's
cost. Here those pieces are deflated once, and only what comes before them per phone. Each piece
is ended by a full flush (RFC 1951): its blocks refer to nothing before them and end on a byte
boundary, so pieces compressed apart join into one valid deflate stream, as parallel gzip tools do.
"""

from __future__ import annotations

import struct
import zlib

_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip (RFC 1952): deflate, no name, no date, unknown OS
_LAST_BLOCK = b"\x03\x00"  # an empty final block, which ends the deflate stream
# What is compressed per phone is about 5 KB: zlib's fastest level, an 8 KB window and a small hash
# table (setting up its default 256 KB of state cost more than compressing) take 5 % more bytes
# than its default level, in two thirds of the time. The constant pieces get its default.
_PER_PAGE = {"level": 1, "wbits": -13, "memLevel": 6}
_ONCE = {"level": 6, "wbits": -zlib.MAX_WBITS, "memLevel": 8}
_TAILS_KEPT = 32  # pages × languages: a handful in practice


class Piece:
    """Constant text, deflated once."""

    __slots__ = ("text", "raw", "deflated")

    def __init__(self, text: str):
        self.text = text
        self.raw = text.encode()
        self.deflated = _deflate(self.raw, **_ONCE)


_tails: dict[str, Piece] = {}


def gzip_around(page: str, piece: Piece) -> bytes | None:
    """Return `page` as one gzip member, `piece` and what follows it not compressed again (None if it lacks `piece`)."""
    # A short needle, then one comparison: searching for the 31 KB piece itself costs more.
    needle = piece.text[:64]
    at = page.find(needle)
    while at >= 0 and not page.startswith(piece.text, at):
        at = page.find(needle, at + 1)
    if at < 0:
        return None
    tail_text = page[at + len(piece.text):]
    tail = _tails.get(tail_text)
    if tail is None:
        if len(_tails) >= _TAILS_KEPT:
            _tails.clear()
        tail = _tails[tail_text] = Piece(tail_text)
    return gzip_pieces(page[:at], piece, tail)


def gzip_pieces(*parts: str | Piece) -> bytes:
    """Return the parts, in order, as one gzip member: each Piece as deflated once, each text deflated now."""
    out, crc, size = [_HEADER], 0, 0
    for part in parts:
        if isinstance(part, Piece):
            raw, deflated = part.raw, part.deflated
        else:
            raw = part.encode()
            deflated = _deflate(raw, **_PER_PAGE)
        crc, size = zlib.crc32(raw, crc), size + len(raw)
        out.append(deflated)
    out += [_LAST_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)]
    return b"".join(out)


def _deflate(raw: bytes, level: int, wbits: int, memLevel: int) -> bytes:  # noqa: N803 (zlib's names)
    compressor = zlib.compressobj(level, zlib.DEFLATED, wbits, memLevel)
    return compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH)
