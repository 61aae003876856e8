"""What tools send the kernel: rtnetlink requests with the NLM_F_* flags iproute2 sets
(`ip addr add` = CREATE|EXCL, `replace` = CREATE|REPLACE, `change` = REPLACE). The
kernel alone decides what a request means (NetNamespace.new_addr / del_addr)."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import IntFlag


class NLM_F(IntFlag):
    """nlmsg_flags of a NEW request (<linux/netlink.h>)."""

    REQUEST = 0x01
    ACK = 0x04
    REPLACE = 0x100
    EXCL = 0x200
    CREATE = 0x400
    APPEND = 0x800


@dataclass(frozen=True)
class AddrRequest:
    """RTM_NEWADDR / RTM_DELADDR as ipaddress.c ipaddr_modify() builds it: the header
    (family, prefixlen, scope, ifindex) and the attributes given (None: absent)."""

    family: int
    ifindex: int
    prefixlen: int
    local: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None   # IFA_LOCAL
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None  # IFA_ADDRESS
    broadcast: ipaddress.IPv4Address | None = None
    label: str | None = None
    scope: int = 0
    metric: int = 0
    nodad: bool = False
    noprefixroute: bool = False
    flags: NLM_F = NLM_F.REQUEST | NLM_F.ACK
