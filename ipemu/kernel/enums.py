"""The kernel's IntEnum and IntFlag classes made as the standard library makes its own
(re.RegexFlag, http.HTTPStatus, signal's): `enum._simple_enum` turns a plain class body
into the same enum class, members and behaviour without the metaclass's checks per
member. Each enum made the usual way cost a one-shot start ~0.1 ms, and `ip link show`
imports a dozen (issue 19); tests/test_startup.py checks each against the usual one.

    @int_enum                   @int_flag
    class RTN:                  class IFF:
        UNICAST = 1                 UP = 0x1
"""
from __future__ import annotations

from enum import IntEnum, IntFlag

try:                    # CPython 3.11+'s own fast path (private: checked by the tests)
    from enum import _simple_enum
except ImportError:     # pragma: no cover - another Python: the usual metaclass
    _simple_enum = None

MADE: list = []         # every class made here, for the tests' comparison


def _usual(etype, cls):
    """The enum made by the metaclass from the same body (without _simple_enum)."""
    members = {k: v for k, v in vars(cls).items() if not k.startswith("_")}
    made = etype(cls.__name__, members, module=cls.__module__, qualname=cls.__qualname__)
    made.__doc__ = cls.__doc__
    return made


def int_enum(cls) -> type[IntEnum]:
    """`class X(IntEnum)` with the body of `cls` (members only: no methods)."""
    made = _simple_enum(IntEnum)(cls) if _simple_enum else _usual(IntEnum, cls)
    MADE.append((IntEnum, cls, made))
    return made


def int_flag(cls) -> type[IntFlag]:
    """`class X(IntFlag)` with the body of `cls` (IntFlag's boundary, KEEP)."""
    made = _simple_enum(IntFlag)(cls) if _simple_enum else _usual(IntFlag, cls)
    MADE.append((IntFlag, cls, made))
    return made
