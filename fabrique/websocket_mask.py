"""The XOR mask of a WebSocket frame (RFC 6455, 5.3), applied to a whole payload at once.

Every frame a phone sends is masked. eventlet's server unmasks it one byte at a time in Python,
building a one-byte `bytes` per byte: 7.6 % of the server's time in a closed loop of votes at
1,000 phones (py-spy). The entry point (`serve.py`) puts `unmask` in its place; gevent's
server (wsproto) already XORs whole integers.
"""

from __future__ import annotations


def unmask(data, mask, length: int | None = None, offset: int = 0) -> bytes:
    """Return the first `length` bytes of `data` (all by default) XORed with the 4-byte `mask`,
    whose cycle starts `offset` bytes into the frame's payload (a payload read in pieces)."""
    payload = bytes(data if length is None else data[:length])
    size = len(payload)
    if not size:
        return b""
    turn = offset % 4
    key = bytes(mask[turn:]) + bytes(mask[:turn])
    stream = (key * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(stream, "little")).to_bytes(size, "little")
