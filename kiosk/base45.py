"""Base45 (RFC 9285): bytes as QR alphanumeric characters, so a signed token stays a small QR."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def encode(data: bytes) -> str:
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        c, n = divmod(n, 45 * 45)
        b, a = divmod(n, 45)
        out += (ALPHABET[a], ALPHABET[b], ALPHABET[c])
    if len(data) % 2:
        b, a = divmod(data[-1], 45)
        out += (ALPHABET[a], ALPHABET[b])
    return "".join(out)


def decode(text: str) -> bytes:
    """Raises ValueError on a character outside the alphabet, a dangling character or overflow."""
    try:
        values = [_INDEX[c] for c in text]
    except KeyError as exc:
        raise ValueError(f"not base45: {exc.args[0]!r}") from None
    if len(values) % 3 == 1:
        raise ValueError("base45 length")
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if n > 0xFFFF:
                raise ValueError("base45 overflow")
            out += n.to_bytes(2, "big")
        else:
            n = chunk[0] + chunk[1] * 45
            if n > 0xFF:
                raise ValueError("base45 overflow")
            out.append(n)
    return bytes(out)
