"""iproute2's argument conventions, in one place: keyword matching, NEXT_ARG, and the
parsers and error messages of lib/utils.c.

iproute2 does not accept "any unique prefix": `matches(word, keyword)` is true when
the word is a prefix of the keyword, and each command tries its keywords in its own
order, so the first keyword in that order wins (`ip a` is address, `ip r` route).
Some keywords are compared whole (`strcmp`), which callers say with `word == "..."`.
"""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass


class _LazyIpaddress:
    """The ipaddress module, imported on first use (~1 ms of a start that parses no
    address: `ip link show`); the first look-up puts the module itself in its place."""

    def __getattr__(self, name: str):
        import ipaddress as module
        globals()["ipaddress"] = module
        return getattr(module, name)


ipaddress = _LazyIpaddress()


def matches(word: str, keyword: str) -> bool:
    """lib/utils.c matches(): the word is a non-empty prefix of the keyword (an empty
    word matches nothing: `ip ''` is an unknown object)."""
    return bool(word) and keyword.startswith(word)


def first_match(word: str, table: list[str]) -> str | None:
    """The first keyword of `table`, in order, that `word` abbreviates."""
    for keyword in table:
        if matches(word, keyword):
            return keyword
    return None


# exit statuses: iproute2's exit(-1) is 255; `return -1` from a do_* is 1 (ip negates)
EXIT_ARG = 255


def invarg(msg: str, arg: str) -> CommandError:
    return CommandError(f'Error: argument "{arg}" is wrong: {msg}\n', EXIT_ARG)


def duparg(key: str, arg: str) -> CommandError:
    return CommandError(f'Error: duplicate "{key}": "{arg}" is the second value.\n', EXIT_ARG)


def duparg2(key: str, arg: str) -> CommandError:
    return CommandError(f'Error: either "{key}" is duplicate, or "{arg}" is a garbage.\n', EXIT_ARG)


def missarg(key: str) -> CommandError:
    return CommandError(f'Error: argument "{key}" is required\n', EXIT_ARG)


def incomplete_command() -> CommandError:
    return CommandError('Command line is not complete. Try option "help"\n', EXIT_ARG)


class Args:
    """A cursor over argv with iproute2's NEXT_ARG / PREV_ARG habits."""

    def __init__(self, argv: list[str]):
        self.argv = list(argv)
        self.i = 0

    def __bool__(self) -> bool:
        return self.i < len(self.argv)

    @property
    def cur(self) -> str:
        return self.argv[self.i]

    def advance(self) -> None:
        self.i += 1

    def next_arg(self) -> str:
        """NEXT_ARG(): step to the value of a keyword; missing: incomplete command."""
        self.i += 1
        if self.i >= len(self.argv):
            raise incomplete_command()
        return self.argv[self.i]

    def rest(self) -> list[str]:
        return self.argv[self.i:]

    def peek_next(self) -> str | None:
        return self.argv[self.i + 1] if self.i + 1 < len(self.argv) else None


# ---------------------------------------------------------------- addresses
FAMILY_NAMES = {0: "any valid", 4: "inet", 6: "inet6", 17: "link"}


@dataclass
class Prefix:
    """inet_prefix: an address with its family and bit length; `any` for default/all."""

    family: int                 # 4 or 6
    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    bitlen: int
    prefixlen_given: bool
    is_default: bool = False    # "default" / "all" / "any"

    @property
    def network(self):
        cls = ipaddress.IPv4Network if self.family == 4 else ipaddress.IPv6Network
        return cls((int(self.address), self.bitlen), strict=False)


# four decimal parts without a leading zero (which would make a part octal)
_DECIMAL_QUAD_RE = r"(?:0|[1-9][0-9]{0,2})(?:\.(?:0|[1-9][0-9]{0,2})){3}"
_DECIMAL_QUAD = None    # compiled on first use: re (with its enum) stays off a start


def _regex(name: str, pattern: str):
    """The module's regular expression `name`, compiled and kept on first use (a line
    like `ip link show` needs none: importing re costs a start ~1.5 ms)."""
    import re
    compiled = re.compile(pattern)
    globals()[name] = compiled
    return compiled


def _parse_ipv4_loose(text: str) -> ipaddress.IPv4Address | None:
    """get_addr_ipv4(): 1 to 4 parts, strtoul base 0 each (so 010 is octal)."""
    parts = text.split(".")
    if len(parts) == 4 and (_DECIMAL_QUAD or _regex("_DECIMAL_QUAD", _DECIMAL_QUAD_RE)).fullmatch(text):
        # the common dotted quad, plain decimal: one int, no octal or hex to read
        a, b, c, d = map(int, parts)
        if a <= 255 and b <= 255 and c <= 255 and d <= 255:
            return ipaddress.IPv4Address(a << 24 | b << 16 | c << 8 | d)
        return None
    if not 1 <= len(parts) <= 4:
        return None
    out = []
    for part in parts:
        value = _strtoul0(part)
        if value is None or value > 255:
            return None
        out.append(value)
    out += [0] * (4 - len(out))
    return ipaddress.IPv4Address(bytes(out))


_C_DIGITS = {16: frozenset("0123456789abcdefABCDEF"), 8: frozenset("01234567"),
             10: frozenset("0123456789")}


def _strtoul0(text: str) -> int | None:
    """strtoul(text, &end, 0) taking the whole word, as get_unsigned() and
    get_addr_ipv4() call it: leading blanks and a sign (`-1` is ULONG_MAX), then C's
    digits only (Python's int() would take full-width digits and `_`: `mtu １５００`
    is refused by iproute2, `mtu " 1400"` taken, recorded)."""
    body = text.lstrip(" \t\n\v\f\r")
    neg = body[:1] == "-"
    if body[:1] in ("+", "-"):
        body = body[1:]
    if body[:2] in ("0x", "0X") and body[2:3] and body[2] in _C_DIGITS[16]:
        digits, base = body[2:], 16
    elif body[:1] == "0" and len(body) > 1:
        digits, base = body[1:], 8
    else:
        digits, base = body, 10
    if not digits or not all(ch in _C_DIGITS[base] for ch in digits):
        return None
    value = int(digits, base)
    if value > 0xFFFFFFFFFFFFFFFF:
        return None                     # ERANGE
    return (-value) & 0xFFFFFFFFFFFFFFFF if neg else value


def parse_addr_1(text: str, family: int) -> Prefix | None:
    """get_addr_1(): "default"/"all"/"any", IPv6 if it has a colon, else IPv4."""
    if text == "default":
        # the family stays open (0) until another argument or the command decides
        fam = family or 4
        zero = ipaddress.ip_address(0 if fam == 4 else "::")
        return Prefix(family, zero, -2, True, is_default=True)
    if text in ("all", "any"):
        # __get_addr_1(): the family asked for, open (0) when none was, as "default"
        fam = family or 4
        zero = ipaddress.ip_address(0 if fam == 4 else "::")
        return Prefix(family, zero, -2, False, is_default=True)
    if ":" in text:
        if family not in (0, 6) or "%" in text:     # inet_pton() knows no scope id
            return None
        try:
            return Prefix(6, ipaddress.IPv6Address(text), 128, False)
        except ValueError:
            return None
    if family not in (0, 4):
        return None
    addr = _parse_ipv4_loose(text)
    if addr is None:
        return None
    return Prefix(4, addr, 32, False)


def _parse_netmask(text: str) -> int | None:
    """get_netmask(): a decimal (or 0x/0) length, or a dotted contiguous netmask."""
    value = _strtoul0(text)
    if value is not None and text.strip() == text:
        return value
    mask = _parse_ipv4_loose(text)
    if mask is None:
        return None
    host = ~int(mask) & 0xFFFFFFFF
    if host & (host + 1):
        return None
    return 32 - host.bit_length()


# a plain dotted quad, maybe with a plain decimal length: what most lines carry, read
# at once; anything else (octal, hex, short forms, names, IPv6) takes the full path
# (each part 0 to 255 and the length 0 to 32, without a leading zero: what matches
# is in range)
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PLAIN_PREFIX_RE = rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}(?:/(3[0-2]|[12][0-9]|[0-9]))?"
_PLAIN_PREFIX = None    # _regex() on first use


def _plain_ipv4(text: str, family: int) -> Prefix | None:
    """parse_prefix_1() of a plain dotted quad (`10.0.0.1`, `10.0.0.0/8`), None when
    `text` is anything else or out of range (the full parse then decides)."""
    if family not in (0, 4):
        return None
    found = _PLAIN_READ.get(text)
    if found is None:
        found = _read_plain_ipv4(text)
        if len(_PLAIN_READ) >= 1024:
            _PLAIN_READ.clear()
        _PLAIN_READ[text] = found
    if not found:
        return None
    pfx = Prefix(4, ipaddress.IPv4Address(found[0]), found[1], found[2])
    if PLAIN_TRACE is not None:
        PLAIN_TRACE.append((text, pfx))
    return pfx


# while a request template is learnt (ip_route.line_plan()): each plain quad read, as
# (the word read, the Prefix made of it), so that the template knows which of its
# fields came from which word
PLAIN_TRACE: list | None = None


# text -> what _read_plain_ipv4() made of it: the words a batch repeats (its
# gateway, its device's prefix) are read once; a fresh Prefix is made each time
_PLAIN_READ: dict[str, tuple[int, int, bool] | bool] = {}


def plain_prefix_regex():
    """The compiled _PLAIN_PREFIX_RE: four canonical octets, a length maybe (groups:
    the octets' texts, the length's or None)."""
    return _PLAIN_PREFIX or _regex("_PLAIN_PREFIX", _PLAIN_PREFIX_RE)


def _read_plain_ipv4(text: str) -> tuple[int, int, bool] | bool:
    """(address, bit length, length given) of a plain dotted quad, else False."""
    m = plain_prefix_regex().fullmatch(text)
    if m is None:
        return False
    a, b, c, d, plen = m.groups()
    address = int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d)
    if plen is None:
        return address, 32, False
    return address, int(plen), True


def parse_prefix_1(text: str, family: int) -> Prefix | None:
    """get_prefix_1()."""
    return _plain_ipv4(text, family) or _parse_prefix_full(text, family)


def _parse_prefix_full(text: str, family: int) -> Prefix | None:
    addr_part, slash, plen_part = text.partition("/")
    pfx = parse_addr_1(addr_part, family)
    if pfx is None:
        return None
    maxlen = 32 if pfx.family == 4 else 128
    if slash:
        if pfx.bitlen == -2:
            return None
        plen = _parse_netmask(plen_part)
        if plen is None or plen > maxlen:
            return None
        pfx.bitlen = plen
        pfx.prefixlen_given = True
    elif pfx.bitlen == -2:
        pfx.bitlen = 0
    return pfx


def get_prefix(text: str, family: int) -> Prefix:
    if family == 17:
        # lib/utils.c get_prefix(): AF_PACKET (`ip -0 ...`) takes no prefix at all
        raise CommandError(f'Error: "{text}" may be inet prefix, but it is not allowed '
                           'in this context.\n', 1)
    pfx = parse_prefix_1(text, family)
    if pfx is None:
        raise CommandError(
            f'Error: {FAMILY_NAMES.get(family, "???")} prefix is expected rather than "{text}".\n', 1)
    return pfx


def get_addr(text: str, family: int) -> Prefix:
    pfx = (_plain_ipv4(text, family) if "/" not in text else None) or parse_addr_1(text, family)
    if pfx is None:
        raise CommandError(
            f'Error: {FAMILY_NAMES.get(family, "???")} address is expected rather than "{text}".\n', 1)
    return pfx


def get_unsigned(text: str) -> int | None:
    """get_unsigned() with base 0, limited to 32 bits."""
    value = _strtoul0(text)
    if value is None or value > 0xFFFFFFFF:
        return None
    return value


def atoi(text: str) -> int:
    """atoi(): leading blanks, a sign, decimal digits; 0 when there are none."""
    text = text.lstrip(" \t\n\v\f\r")
    sign = text[:1] if text[:1] in ("+", "-") else ""
    end = len(sign)
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    return int(text[:end]) if end > len(sign) else 0


def c_short(value: int) -> int:
    """The value as a C `short` keeps it (16 bits, signed)."""
    value &= 0xFFFF
    return value - 0x10000 if value & 0x8000 else value


def get_u64(text: str) -> int | None:
    """get_u64() with base 0: strtoull() (leading blanks, a sign: `-1` is 2**64 - 1),
    the whole word a number, no overflow."""
    body = text.lstrip(" \t\n\v\f\r")
    neg = body[:1] == "-"
    if body[:1] in "+-" and body:
        body = body[1:]
    value = _strtoul0(body) if body[:1] not in "+- " else None
    if value is None or value > 0xFFFFFFFFFFFFFFFF:
        return None
    return (-value) & 0xFFFFFFFFFFFFFFFF if neg else value


def get_integer(text: str) -> int | None:
    """get_integer(): strtol base 0, sign allowed, fits in int."""
    neg = text.startswith("-")
    body = text[1:] if neg or text.startswith("+") else text
    value = _strtoul0(body)
    if value is None:
        return None
    value = -value if neg else value
    if not -(2 ** 31) <= value < 2 ** 31:
        return None
    return value


def parse_lladdr(text: str) -> bytes | None:
    """ll_addr_a2n(): colon-separated hex bytes."""
    out = []
    for part in text.split(":"):
        if not part or len(part) > 2:
            return None
        try:
            out.append(int(part, 16))
        except ValueError:
            return None
    return bytes(out)


# isspace() of ip's C locale: the ASCII blanks only (a full-width U+3000 copied from a
# CJK page is three bytes of a name, as the kernel then sees it)
_C_SPACE = frozenset(" \t\n\v\f\r")


def _c_strlen(name: str) -> int:
    """strlen(): bytes, as argv carries them (UTF-8; undecodable bytes kept as
    surrogates)."""
    return len(name) if name.isascii() else len(name.encode("utf-8", "surrogateescape"))


def check_ifname(name: str) -> bool:
    """check_ifname() (lib/utils.c): non-empty, strlen() below IFNAMSIZ, no '/' or
    isspace() byte."""
    return 0 < _c_strlen(name) < 16 and not any(c == "/" or c in _C_SPACE for c in name)


def check_altifname(name: str, limit: int | None = 128) -> bool:
    """check_altifname(): like check_ifname() but up to ALTIFNAMSIZ (128); iproute2
    6.1's own has no limit (`limit=None`: the kernel's policy decides)."""
    if limit is not None and _c_strlen(name) >= limit:
        return False
    return len(name) > 0 and not any(c == "/" or c in _C_SPACE for c in name)


def group_a2n(text: str) -> int | None:
    """rtnl_group_a2n(): a name of /etc/iproute2/group (Debian: default), else strtol()
    base 0 stored in an int, so 2^32 reads as 0 and what lands negative is refused."""
    if text == "default":
        return 0
    text = text.lstrip(" \t\n\v\f\r")       # strtol() skips leading blanks
    neg = text.startswith("-")
    body = text[1:] if neg or text.startswith("+") else text
    value = _strtol0(body)
    if value is None:
        return None
    value = -value if neg else value
    value = max(-(2 ** 63), min(value, 2 ** 63 - 1))      # strtol() saturates
    value = (value + 2 ** 31) % 2 ** 32 - 2 ** 31          # then the int keeps 32 bits
    return value if value >= 0 else None


def _strtol0(text: str) -> int | None:
    """The digits strtol() base 0 reads, all of the text (0x hex, 0 octal): C's
    digits only (`group ５` is refused, recorded)."""
    if text[:1] in ("+", "-") or text[:1] in _C_SPACE:
        return None
    return _strtoul0(text)
