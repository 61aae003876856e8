"""printf()'s field widths as C counts them: in bytes. A device name, label or alias
typed from a page in Chinese or Japanese is UTF-8 in argv and in the kernel, and
`%-16s` (ip -br), `%-15.15s` (ifconfig -s), `%6s` (/proc/net/dev) pad it to a width of
bytes, so three CJK characters (9 bytes) take 9 of the 16 columns' padding, where
Python's `%` and f-strings would count 3. Text that is ASCII (nearly all of it) takes
the plain path."""
from __future__ import annotations

_PRIVATE = 0xF0000      # supplementary private use: marks that never occur in output


def _raw(text: str) -> bytes:
    # the bytes argv carried: UTF-8, an undecodable byte kept as a surrogate
    return text.encode("utf-8", "surrogateescape")


def cpad(text: str, width: int, left: bool = True, precision: int | None = None) -> str:
    """`%-{width}.{precision}s` (left) or `%{width}.{precision}s` of `text`, in bytes."""
    if text.isascii():
        if precision is not None:
            text = text[:precision]
        return text.ljust(width) if left else text.rjust(width)
    raw = _raw(text)
    if precision is not None:
        raw = raw[:precision]
    pad = b" " * (width - len(raw))
    return (raw + pad if left else pad + raw).decode("utf-8", "surrogateescape")


def c_percent(fmt: str, values) -> str:
    """`fmt % values` as printf() pads: a non-ASCII string value stands in as one mark
    character per byte while Python pads, then comes back."""
    out = fmt % values
    if out.isascii():
        return out
    single = not isinstance(values, tuple)
    vals = (values,) if single else values
    marks = []
    subst = list(vals)
    for i, value in enumerate(vals):
        if value.__class__ is str and not value.isascii():
            mark = chr(_PRIVATE + len(marks)) * len(_raw(value))
            marks.append((mark, value))
            subst[i] = mark
    if not marks:
        return out
    padded = fmt % (subst[0] if single else tuple(subst))
    for mark, value in marks:
        if mark not in padded:          # cut by a precision: C would cut the bytes
            return out
        padded = padded.replace(mark, value, 1)
    return padded
