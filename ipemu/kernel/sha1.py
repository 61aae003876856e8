"""SHA-1's block function alone (lib/crypto/sha1.c sha1_transform()): the kernel's
RFC 7217 addresses hash one 64-byte block with no padding and no length, which
hashlib cannot do."""
from __future__ import annotations

import struct

# sha1_init(): the standard initial state
SHA1_IV = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)
_MASK = 0xFFFFFFFF


def _rol(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & _MASK


def sha1_transform(state: tuple[int, ...], block: bytes) -> tuple[int, ...]:
    """One SHA-1 compression of a 64-byte block (big-endian words) into `state`."""
    w = list(struct.unpack(">16I", block))
    for i in range(16, 80):
        w.append(_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1))
    a, b, c, d, e = state
    for i in range(80):
        if i < 20:
            f, k = (b & c) | (~b & d), 0x5A827999
        elif i < 40:
            f, k = b ^ c ^ d, 0x6ED9EBA1
        elif i < 60:
            f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
        else:
            f, k = b ^ c ^ d, 0xCA62C1D6
        a, b, c, d, e = (_rol(a, 5) + (f & _MASK) + e + k + w[i]) & _MASK, a, _rol(b, 30), c, d
    return tuple((x + y) & _MASK for x, y in zip(state, (a, b, c, d, e)))
