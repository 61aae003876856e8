"""Numbers to the names iproute2 prints (and back): scopes, route types, protocols,
tables, as in /etc/iproute2/rt_* and lib/rt_names.c."""
from __future__ import annotations

import ipaddress

SCOPES = {0: "global", 255: "nowhere", 254: "host", 253: "link", 200: "site"}
RTN_TYPES = {0: "none", 1: "unicast", 2: "local", 3: "broadcast", 4: "anycast",
             5: "multicast", 6: "blackhole", 7: "unreachable", 8: "prohibit", 9: "throw",
             10: "nat", 11: "xresolve"}
PROTOCOLS = {0: "unspec", 1: "redirect", 2: "kernel", 3: "boot", 4: "static", 8: "gated",
             9: "ra", 10: "mrt", 11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp",
             15: "ntk", 16: "dhcp", 18: "keepalived", 42: "babel", 99: "openr", 186: "bgp",
             187: "isis", 188: "ospf", 189: "rip", 192: "eigrp"}
TABLES = {255: "local", 254: "main", 253: "default", 0: "unspec"}


# the files rt_names.c reads (CONFDIR /etc/iproute2), each with its directory of
# *.conf files where it has one, and the largest id each takes
FILES = {"table": ("/etc/iproute2/rt_tables", "/etc/iproute2/rt_tables.d", 0xFFFFFFFF),
         "proto": ("/etc/iproute2/rt_protos", "/etc/iproute2/rt_protos.d", 255),
         "scope": ("/etc/iproute2/rt_scopes", None, 255),
         "realm": ("/etc/iproute2/rt_realms", None, 255),
         "group": ("/etc/iproute2/group", None, 0x7FFFFFFF)}
BUILTIN = {"table": TABLES, "proto": PROTOCOLS, "scope": SCOPES, "realm": {0: "cosmos"},
           "group": {0: "default"}}
# what was read of the running tool's files (tools.context.NAME_FILES), and for
# which run of a tool
_read: dict[str, dict[int, str]] = {}
_read_for: list = [None]


def _files():
    """The host's files of the tool running now (None: the built-in names only), its
    warning writer; iproute2 reads the files once a process, so a tool started
    after an edit sees it."""
    from ipemu.tools import context
    current = context.NAME_FILES
    if _read_for[0] is not current:
        _read.clear()
        _read_for[0] = current
    return current[0], current[1]


def _db(kind: str) -> dict[int, str]:
    """rtnl_tab_initialize()/rtnl_hash_initialize(): `ID NAME` lines (decimal or 0x),
    `#` comments; the directory's *.conf files after the file (a later line wins for
    an id, the first for a name)."""
    fs, warn = _files()
    names = _read.get(kind)
    if names is not None:
        return names
    names = {}
    path, directory, limit = FILES[kind]
    paths = [path]
    if directory is not None and fs is not None:
        try:
            paths += [f"{directory}/{n}" for n in fs.listdir(directory) if n.endswith(".conf")]
        except OSError:
            pass
    for one in paths:
        try:
            text = fs.read(one).decode("utf-8", "replace") if fs is not None else ""
        except OSError:
            continue
        for line in text.splitlines():
            words = line.strip(" \t").split()
            if not words or words[0].startswith("#") or len(words) < 2:
                continue
            word = words[0]
            try:
                number = int(word, 16) if word[:2] in ("0x", "0X") else int(word)
            except ValueError:
                # the rest of the file is not read (the line keeps its newline)
                if warn is not None:
                    warn(f"Database {one} is corrupted at {line.lstrip(' ')}\n\n")
                break
            if 0 <= number <= limit:
                names[number] = words[1]
    _read[kind] = names
    return names


def _n2a(kind: str, value: int) -> str:
    name = BUILTIN[kind].get(value)
    if name is None:
        name = _db(kind).get(value)
    return str(value) if name is None else name


def scope_name(value: int) -> str:
    return _n2a("scope", value)


def rtn_type_name(value: int) -> str:
    return RTN_TYPES.get(value, str(value))


def proto_name(value: int) -> str:
    return _n2a("proto", value)


def table_name(value: int) -> str:
    return _n2a("table", value)


def realm_name(value: int) -> str:
    return _n2a("realm", value)


def group_name(value: int) -> str:
    return _n2a("group", value)


def _a2n(kind: str, text: str, limit: int) -> int | None:
    for number, name in BUILTIN[kind].items():
        if name == text:
            return number
    for number, name in _db(kind).items():
        if name == text:
            return number
    from ipemu.tools.ipargs import get_unsigned
    value = get_unsigned(text)
    if value is None or value > limit:
        return None
    return value


def scope_a2n(text: str) -> int | None:
    return _a2n("scope", text, 255)


def proto_a2n(text: str) -> int | None:
    return _a2n("proto", text, 255)


def table_a2n(text: str) -> int | None:
    return _a2n("table", text, 0xFFFFFFFF)


def realm_a2n(text: str) -> int | None:
    return _a2n("realm", text, 255)


def group_a2n(text: str) -> int | None:
    return _a2n("group", text, 0x7FFFFFFF)


# rtnl_rtntype_a2n()'s names read with matches(), in its order
_RTNTYPE_MATCHES = ("broadcast", "anycast", "multicast", "prohibit", "unreachable",
                    "blackhole", "xresolve", "unicast")
_RTN_NUMBERS = {name: number for number, name in RTN_TYPES.items()}


def rtn_type_a2n(text: str) -> int | None:
    """rtnl_rtntype_a2n(): a type's name, else a number (strtoul(arg, &end, 0), the
    whole word, at most 255: `ip route show type 7`)."""
    if text in ("local", "nat", "brd", "throw"):
        return {"local": 2, "nat": 10, "brd": 3, "throw": 9}[text]
    if text:
        for name in _RTNTYPE_MATCHES:
            if name.startswith(text):
                return _RTN_NUMBERS[name]
    from ipemu.tools.ipargs import get_unsigned
    value = get_unsigned(text) if text[:1].isdigit() else None
    return value if value is not None and value <= 255 else None


# /etc/iproute2/rt_dsfield of the recorded host (Debian 12): names printed for a tos
DSFIELD = {0x00: "default", 0x28: "AF11", 0x30: "AF12", 0x38: "AF13", 0x48: "AF21",
           0x50: "AF22", 0x58: "AF23", 0x68: "AF31", 0x70: "AF32", 0x78: "AF33",
           0x88: "AF41", 0x90: "AF42", 0x98: "AF43", 0x20: "CS1", 0x40: "CS2", 0x60: "CS3",
           0x80: "CS4", 0xA0: "CS5", 0xC0: "CS6", 0xE0: "CS7", 0xB8: "EF"}


def dsfield_n2a(value: int) -> str:
    """rtnl_dsfield_n2a(): the name, else "0x%02x"."""
    return DSFIELD.get(value, f"0x{value:02x}")


def host_names():
    """The running `ip -resolve`'s lookup (address -> name or None), None without -r."""
    if not _CONTEXT:
        # (an import here each time costs importlib's _handle_fromlist(), a Python call)
        from ipemu.tools import context
        _CONTEXT.append(context)
    return _CONTEXT[0].HOST_NAMES


_CONTEXT: list = []     # [ipemu.tools.context], on first need


def format_host(addr) -> str:
    """lib/utils.c format_host_r(): with -resolve the name resolve_address() finds
    (gethostbyaddr()), else the number (rt_addr_n2a())."""
    names = host_names()
    if names is not None:
        name = names(addr)
        if name is not None:
            return name
    return ntop(addr)


# the text of the addresses printed, by class and int: ipaddress works an IPv6
# address's text out afresh each time (~5 us: the longest run of zero hextets);
# bounded, emptied when full
_TEXT: dict[tuple, str] = {}
_TEXT_MAX = 65536
_V6_KEY = 1 << 128


def ntop(addr) -> str:
    """rt_addr_n2a() -> inet_ntop(): str() of the address, but a v4-mapped IPv6 one,
    or one with 96 zero bits and a non-zero seventh word, ends in dotted IPv4
    (::ffff:10.0.0.1, ::10.0.0.2) as glibc writes them; remembered for a plain
    IPv4/IPv6 address (no scope id)."""
    cls = addr.__class__
    if cls is not _IPV4 and (cls is not _IPV6 or addr._scope_id is not None):
        return str(addr)
    # one int for both families (not a tuple holding the class, which the garbage
    # collector would walk): an IPv6 address above IPv4's range
    key = addr._ip if cls is _IPV4 else addr._ip | _V6_KEY
    text = _TEXT.get(key)
    if text is None:
        if cls is _IPV4:
            text = str(addr)
        else:
            high = addr._ip >> 32
            if high == 0xFFFF or (high == 0 and addr._ip >> 16):
                from ipemu.tools.ip_misc import inet6_ntop
                text = inet6_ntop(addr._ip)
            else:
                text = ipv6_text(addr._ip)
        if len(_TEXT) >= _TEXT_MAX:
            _TEXT.clear()
        _TEXT[key] = text
    return text


def ipv6_text(ip: int) -> str:
    """str(IPv6Address(ip)) (RFC 5952 as ipaddress writes it: hextets in lower-case
    hex without leading zeros, the longest run of two or more zero hextets, the first
    of equal runs, as `::`), without ipaddress's per-hextet list work."""
    text = "%x:%x:%x:%x:%x:%x:%x:%x" % (ip >> 112, ip >> 96 & 0xFFFF, ip >> 80 & 0xFFFF,
                                        ip >> 64 & 0xFFFF, ip >> 48 & 0xFFFF,
                                        ip >> 32 & 0xFFFF, ip >> 16 & 0xFFFF, ip & 0xFFFF)
    if "0:0" not in text:
        return text
    if not _ZERO_RUNS:
        import re
        _ZERO_RUNS.append(re.compile(r"(?:^|:)0(?::0)+(?::|$)").finditer)
    best = None
    most = 1
    for m in _ZERO_RUNS[0](text):
        zeros = m.group().count("0")
        if zeros > most:
            best, most = m, zeros
    if best is None:
        return text
    return text[:best.start()] + "::" + text[best.end():]


_ZERO_RUNS: list = []   # [the finditer of runs of two or more zero hextets]
_IPV4, _IPV6 = ipaddress.IPv4Address, ipaddress.IPv6Address
