"""glibc's resolver as the tools see it (getaddrinfo, getnameinfo): /etc/hosts first,
then the DNS of the world behind the host's NIC (ipemu/kernel/world.py), if any.

A host without a world (a bare namespace) has no DNS: a name not in /etc/hosts fails
with EAI_AGAIN ("Temporary failure in name resolution"), as in the recorded
namespaces; with a world, an unknown name is EAI_NONAME ("Name or service not
known"), as on a host whose DNS answers NXDOMAIN.
"""
from __future__ import annotations

import ipaddress

EAI_NONAME = "Name or service not known"
EAI_AGAIN = "Temporary failure in name resolution"
EAI_ADDRFAMILY = "Address family for hostname not supported"

# Debian's /etc/hosts without the host's own line (used when the host has none)
# (ping's table before: a namespace sees the recording host's file, whose localhost
# is IPv4 only)
DEFAULT_HOSTS = ("127.0.0.1\tlocalhost\n"
                 "::1\tip6-localhost ip6-loopback\n")


class ResolveError(Exception):
    """getaddrinfo() failed: `text` is gai_strerror()'s."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def hosts_entries(session) -> list[tuple[ipaddress._BaseAddress, list[str]]]:
    """The lines of the host's /etc/hosts as (address, names)."""
    text = session.read_text("/etc/hosts") if session is not None else None
    entries = []
    for line in (DEFAULT_HOSTS if text is None else text).splitlines():
        words = line.partition("#")[0].split()
        if len(words) < 2:
            continue
        try:
            entries.append((ipaddress.ip_address(words[0]), words[1:]))
        except ValueError:
            continue
    return entries


def _worlds(session):
    host = getattr(session, "host", None)
    return getattr(host, "worlds", ()) or ()


def inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """glibc's __inet_aton_exact(), which getaddrinfo() tries first: one to four numbers
    (0x hex, 0 octal, else decimal), the last filling the bytes left (`1.1` is
    1.0.0.1, `127.1` is 127.0.0.1)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = []
    for part in parts:
        try:
            if part[:2].lower() == "0x":
                value = int(part[2:] or "0", 16)
            elif part.startswith("0") and len(part) > 1:
                value = int(part[1:], 8)
            else:
                value = int(part, 10) if part.isdigit() else None
        except ValueError:
            return None
        if value is None:
            return None
        values.append(value)
    head, last = values[:-1], values[-1]
    if any(v > 255 for v in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    number = last
    for i, v in enumerate(head):
        number |= v << (24 - 8 * i)
    return ipaddress.IPv4Address(number)


def getaddrinfo(session, name: str, family: int = 0):
    """The first address of `name` (family 4, 6 or 0 for either, IPv4 first as
    ping's AI_CANONNAME lookups come back on a host without IPv6 routes)."""
    families = (family,) if family else (4, 6)
    try:
        addr = ipaddress.ip_address(name)
    except ValueError:
        addr = inet_aton(name) if 4 in families else None
    if addr is not None:
        if addr.version in families:
            return addr
        raise ResolveError(EAI_ADDRFAMILY)
    entries = hosts_entries(session)
    known = False
    for fam in families:
        for address, names in entries:
            if name in names:
                known = True
                if address.version == fam:
                    return address
    if known:
        raise ResolveError(EAI_ADDRFAMILY)
    worlds = _worlds(session)
    for world in worlds:
        found = world.names.get(name.rstrip(".").lower())
        if found is not None and found.version in families:
            return found
    raise ResolveError(EAI_NONAME if worlds else EAI_AGAIN)


def getnameinfo(session, addr) -> str | None:
    """The name of an address (/etc/hosts, then the world's names), None without one."""
    for address, names in hosts_entries(session):
        if address == addr:
            return names[0]
    for world in _worlds(session):
        if addr in world.ptr:
            return world.ptr[addr]
    return None
