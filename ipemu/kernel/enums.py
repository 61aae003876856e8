"""The kernel's IntEnum and IntFlag classes, made without the standard `enum` module.

`enum` and what it imports (types, functools) cost a one-shot start ~3 ms, and
`ip link show` needs a dozen of these classes (issue 19). The classes made here behave
as Python 3.11's `class X(IntEnum)` / `class X(IntFlag)` with the same body do, in every
use ipemu makes of them: `.name`, `.value`, `X(value)` (IntFlag's KEEP boundary: any
int, composites named as Flag._missing_ names them), `X[name]`, iteration, `len`,
`str()`/`format()` as the int, `repr()`, `|`/`&`/`^`/`~` and `in` on flags, hashing and
equality as ints, pickling and deep copies as the members themselves.
tests/test_startup.py holds every member of every class to the standard library's
class made from the same body (`standard()`).

    @int_enum                   @int_flag
    class RTN:                  class IFF:
        UNICAST = 1                 UP = 0x1
"""
from __future__ import annotations

MADE: list = []         # (kind, body, class made) for every class: the tests compare them

_MAPPING_PROXY = type(type.__dict__)       # types.MappingProxyType without `types`


class EnumType(type):
    """The part of enum.EnumType ipemu's enums use (no functional API)."""

    def __call__(cls, value):
        # Enum.__new__: the member with that value, else _missing_()
        try:
            return cls._value2member_map_[value]
        except (KeyError, TypeError):
            pass
        if type(value) is cls:
            return value
        return cls._missing_(value)

    def __iter__(cls):
        return (cls._member_map_[name] for name in cls._member_names_)

    def __reversed__(cls):
        return (cls._member_map_[name] for name in reversed(cls._member_names_))

    def __len__(cls):
        return len(cls._member_names_)

    def __bool__(cls):
        return True

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __contains__(cls, member):
        if isinstance(member, cls):
            return member._name_ in cls._member_map_
        # 3.11 warns and raises for a non-member: the standard class says how
        return member in standard_of(cls)

    def __repr__(cls):
        if issubclass(cls, IntFlag):
            return "<flag %r>" % (cls.__name__,)
        return "<enum %r>" % (cls.__name__,)

    @property
    def __members__(cls):
        return _MAPPING_PROXY(cls._member_map_)

    def __setattr__(cls, name, value):
        if name in cls.__dict__.get("_member_map_", ()):
            raise AttributeError("cannot reassign member %r" % (name,))
        super().__setattr__(name, value)

    def __delattr__(cls, name):
        if name in cls.__dict__.get("_member_map_", ()):
            raise AttributeError("%r cannot delete member %r." % (cls.__name__, name))
        super().__delattr__(name)


class IntEnum(int, metaclass=EnumType):
    """enum.IntEnum's members: ints that know their name."""

    _member_names_: list = []
    _member_map_: dict = {}
    _value2member_map_: dict = {}

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_

    # ReprEnum: str() and format() are the int's, only repr() is the enum's
    __str__ = int.__repr__
    __format__ = int.__format__

    def __repr__(self) -> str:
        return "<%s.%s: %s>" % (type(self).__name__, self._name_, int.__repr__(self._value_))

    def __reduce_ex__(self, proto):
        return type(self), (self._value_,)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @classmethod
    def _missing_(cls, value):
        raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))


class IntFlag(IntEnum):
    """enum.IntFlag (boundary KEEP): Flag's operations, ported from Python 3.11's enum.py."""

    _flag_mask_ = 0
    _singles_mask_ = 0
    _all_bits_ = 0
    _by_definition_ = False
    _inverted_ = None

    @classmethod
    def _iter_member_(cls, value: int):
        # Flag._iter_member_by_value_ (or _by_def_ when the values are not in order)
        found = []
        bits = value & cls._flag_mask_
        while bits:
            low = bits & -bits
            found.append(cls._value2member_map_.get(low))
            bits ^= low
        if cls._by_definition_:
            found.sort(key=lambda m: m._sort_order_)
        return found

    @classmethod
    def _missing_(cls, value):
        # Flag._missing_ with the KEEP boundary: a pseudo-member for any int
        if not isinstance(value, int):
            raise ValueError("%r is not a valid %s" % (value, cls.__qualname__))
        flag_mask, singles_mask, all_bits = cls._flag_mask_, cls._singles_mask_, cls._all_bits_
        neg_value = None
        if not ~all_bits <= value <= all_bits or value & (all_bits ^ flag_mask):
            if value < 0:
                value = max(all_bits + 1, 2 ** (value.bit_length())) + value
        if value < 0:
            neg_value = value
            value = all_bits + 1 + value
        unknown = value & ~flag_mask
        aliases = value & ~singles_mask
        member_value = value & singles_mask
        pseudo = int.__new__(cls, value)
        pseudo._value_ = value
        if member_value or aliases:
            members = []
            combined = 0
            for m in cls._iter_member_(member_value):
                members.append(m)
                combined |= m._value_
            if aliases:
                value = member_value | aliases
                for pm in cls._member_map_.values():
                    if pm not in members and pm._value_ and pm._value_ & value == pm._value_:
                        members.append(pm)
                        combined |= pm._value_
            unknown = value ^ combined
            pseudo._name_ = "|".join([m._name_ for m in members])
            if not combined:
                pseudo._name_ = None
            elif unknown:
                pseudo._name_ += "|%r" % (unknown,)
        else:
            pseudo._name_ = None
        pseudo = cls._value2member_map_.setdefault(value, pseudo)
        if neg_value is not None:
            cls._value2member_map_[neg_value] = pseudo
        return pseudo

    def __contains__(self, other) -> bool:
        if not isinstance(other, type(self)):
            raise TypeError("unsupported operand type(s) for 'in': %r and %r" % (
                type(other).__qualname__, type(self).__qualname__))
        return other._value_ & self._value_ == other._value_

    def __iter__(self):
        return iter(self._iter_member_(self._value_))

    def __len__(self) -> int:
        return self._value_.bit_count()

    def __bool__(self) -> bool:
        return bool(self._value_)

    def __repr__(self) -> str:
        if self._name_ is None:
            return "<%s: %s>" % (type(self).__name__, int.__repr__(self._value_))
        return "<%s.%s: %s>" % (type(self).__name__, self._name_, int.__repr__(self._value_))

    def __or__(self, other):
        if isinstance(other, int):
            return type(self)(self._value_ | int(other))
        return NotImplemented

    def __and__(self, other):
        if isinstance(other, int):
            return type(self)(self._value_ & int(other))
        return NotImplemented

    def __xor__(self, other):
        if isinstance(other, int):
            return type(self)(self._value_ ^ int(other))
        return NotImplemented

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __invert__(self):
        if self._inverted_ is None:
            self._inverted_ = type(self)(~self._value_)
        return self._inverted_


def _make(base, cls, name: str | None = None, namespace: dict | None = None):
    """The class `class X(base)` with the body of `cls` makes (members in order, a
    second name for a value an alias of the first), as enum._simple_enum makes it;
    or with the body `namespace` (`class X(metaclass=int_enum)`: no class made of
    the body first, ~60k instructions an enum at every start)."""
    if namespace is None:
        name, namespace, qualname = cls.__name__, vars(cls), cls.__qualname__
    else:
        qualname = namespace["__qualname__"]
    doc = namespace.get("__doc__")
    members = {k: v for k, v in namespace.items() if not k.startswith("_")}
    body = {"__module__": namespace["__module__"], "__qualname__": qualname,
            "__doc__": doc if doc is not None else "An enumeration.",
            "_member_names_": [], "_member_map_": {}, "_value2member_map_": {}}
    made = type.__new__(EnumType, name, (base,), body)
    names, by_name, by_value = made._member_names_, made._member_map_, made._value2member_map_
    flag = base is IntFlag
    single_bits = multi_bits = 0
    for name, value in members.items():
        member = by_value.get(value)
        if member is None:
            member = int.__new__(made, value)
            member._value_ = value
            member._name_ = name
            member._sort_order_ = len(names)
            by_value[value] = member
            if not flag or (value and value & (value - 1) == 0):
                names.append(name)
                single_bits |= value
            else:
                multi_bits |= value
        by_name[name] = member
        type.__setattr__(made, name, member)
    if flag:
        type.__setattr__(made, "_flag_mask_", single_bits | multi_bits)
        type.__setattr__(made, "_singles_mask_", single_bits)
        type.__setattr__(made, "_all_bits_", 2 ** ((single_bits | multi_bits).bit_length()) - 1)
        values = [m._value_ for m in made]
        type.__setattr__(made, "_by_definition_", values != sorted(values))
    MADE.append((base, cls if cls is not None else (made.__name__, dict(namespace)), made))
    return made


def int_enum(cls, bases: tuple | None = None, namespace: dict | None = None) -> type[IntEnum]:
    """`class X(IntEnum)` with the body of `cls` (members only: no methods): as a
    decorator (`@int_enum`), or `class X(metaclass=int_enum)`, which makes no class of
    the body first."""
    if namespace is not None:
        return _make(IntEnum, None, cls, namespace)
    return _make(IntEnum, cls)


def int_flag(cls, bases: tuple | None = None, namespace: dict | None = None) -> type[IntFlag]:
    """`class X(IntFlag)` with the body of `cls` (IntFlag's boundary, KEEP), as
    int_enum() takes it."""
    if namespace is not None:
        return _make(IntFlag, None, cls, namespace)
    return _make(IntFlag, cls)


def body_class(body) -> type:
    """The class of an enum's body as MADE keeps it (a metaclass= body as its name and
    namespace: the class its statement would have made)."""
    if isinstance(body, tuple):
        name, namespace = body
        return type(name, (), dict(namespace))
    return body


_STANDARD: dict = {}


def standard_of(made):
    """The standard library's class from the same body (for what ipemu never asks of
    these classes but Python does: a non-member `in` the class), and for the tests."""
    if made not in _STANDARD:
        import enum
        for base, cls, mine in MADE:
            if mine is made:
                etype = enum.IntFlag if base is IntFlag else enum.IntEnum
                _STANDARD[made] = enum._simple_enum(etype)(body_class(cls))
    return _STANDARD[made]


def is_enum(value) -> bool:
    """Is `value` a member of an enum (these classes' or the standard library's)?"""
    if isinstance(value, IntEnum):
        return True
    import sys
    std = sys.modules.get("enum")
    return std is not None and isinstance(value, std.Enum)


def is_enum_class(cls) -> bool:
    """Is `cls` an enum class (these classes' or the standard library's)?"""
    if isinstance(cls, EnumType):
        return True
    import enum
    return isinstance(cls, type) and issubclass(cls, enum.Enum)
