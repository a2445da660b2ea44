"""The WebSocket unmasking the eventlet server uses (`serve.py`) gives eventlet's own bytes.

eventlet's `_apply_mask` is the reference: every payload size across the three length encodings
of a frame (7, 16 and 64 bits), every offset a payload read in pieces can start at, the mask as
eventlet reads it (a tuple of four ints) or as bytes.
"""

from __future__ import annotations

import random
import warnings

from fabrique.websocket_mask import unmask

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # eventlet announces its deprecation on import
    from eventlet.websocket import RFC6455WebSocket

reference = RFC6455WebSocket.__dict__["_apply_mask"].__func__


def test_unmasking_gives_eventlets_own_bytes_for_every_size_and_offset():
    rng = random.Random(7)
    for size in [*range(0, 40), 125, 126, 127, 1000, 65535, 65536, 70001]:
        payload = rng.randbytes(size)
        mask = tuple(rng.randrange(256) for _ in range(4))
        for offset in range(0, 9):
            assert unmask(payload, mask, size, offset) == reference(payload, mask, size, offset), (size, offset)
        assert unmask(payload, bytes(mask)) == reference(payload, bytes(mask))
        assert unmask(bytearray(payload), mask, size // 2, 3) == reference(bytearray(payload), mask, size // 2, 3)


def test_unmasking_twice_gives_back_what_the_phone_sent():
    text = "Une piste « vivre ensemble » — 60 caractères, accents compris…".encode()
    mask = (0x37, 0xFA, 0x21, 0x3D)
    masked = unmask(text, mask)
    assert masked != text
    assert unmask(masked, mask) == text
    # read in two pieces, as a frame arriving in two reads is: the mask's cycle carries on
    assert unmask(masked[:5], mask, 5, 0) + unmask(masked[5:], mask, None, 5) == text
