"""Interface addresses: IPv4 (`in_ifaddr`) and IPv6 (`inet6_ifaddr`), and where the kernel
puts a new one in a device's list.
"""
from __future__ import annotations

import ipaddress

from ipemu.kernel.fib import Scope
from ipemu.kernel.netdev import dev_addr_changed
from ipemu.plainclass import dataclass, field

INFINITY_LIFE_TIME = 0xFFFFFFFF


# ifa_proto of the addresses the kernel makes itself (include/uapi/linux/if_addr.h)
IFAPROT_KERNEL_LO, IFAPROT_KERNEL_RA, IFAPROT_KERNEL_LL = 1, 2, 3


@dataclass
class Ifa4:
    local: ipaddress.IPv4Address
    prefixlen: int
    address: ipaddress.IPv4Address       # the peer for point-to-point, else == local
    broadcast: ipaddress.IPv4Address | None = None
    scope: int = Scope.UNIVERSE
    label: str = ""
    secondary: bool = False
    metric: int = 0
    noprefixroute: bool = False
    autojoin: bool = False            # IFA_F_MCAUTOJOIN
    proto: int = 0
    # set_ifa_lifetime(): seconds from tstamp (the clock's time when last set);
    # a finite valid lifetime clears IFA_F_PERMANENT, a zero preferred one deprecates
    valid_lft: int = INFINITY_LIFE_TIME
    preferred_lft: int = INFINITY_LIFE_TIME
    tstamp: float = 0.0
    deprecated: bool = False

    family = 4

    @property
    def has_peer(self) -> bool:
        return self.address != self.local

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network((int(self.address), self.prefixlen), strict=False)

    def same_subnet(self, other: Ifa4) -> bool:
        return self.prefixlen == other.prefixlen and other.address in self.network


@dataclass
class Ifa6:
    address: ipaddress.IPv6Address
    prefixlen: int
    scope: int = Scope.UNIVERSE
    peer: ipaddress.IPv6Address | None = None
    tentative: bool = False
    dadfailed: bool = False
    nodad: bool = False
    permanent: bool = True            # added by hand (not autoconf): IFA_F_PERMANENT
    noprefixroute: bool = False
    # inet6_rtm_newaddr() keeps these given flags too (IFA_F_HOMEADDRESS, _MANAGETEMPADDR)
    home: bool = False
    mngtmpaddr: bool = False
    autojoin: bool = False            # IFA_F_MCAUTOJOIN
    metric: int = 0
    proto: int = 0
    # inet6_addr_add() / inet6_addr_modify(): as Ifa4's (IFA_F_PERMANENT is a
    # finite valid lifetime's absence: the link-local address has it too)
    valid_lft: int = INFINITY_LIFE_TIME
    preferred_lft: int = INFINITY_LIFE_TIME
    tstamp: float = 0.0
    deprecated: bool = False
    # IFA_F_STABLE_PRIVACY (RFC 7217 addresses) and ifp->stable_privacy_retry
    stable_privacy: bool = False
    stable_privacy_retry: int = 0
    optimistic: bool = False          # IFA_F_OPTIMISTIC: usable while DAD runs (RFC 4429)
    # IFA_F_TEMPORARY (RFC 4941) and ifp->ifpub: the public address it was made for
    temporary: bool = False
    ifpub: ipaddress.IPv6Address | None = None
    # ifp->regen_count of a temporary address: 1 once addrconf_verify_rtnl() made its
    # successor
    regen_count: int = 0
    # a temporary address's ifp->cstamp (when it was made: its tstamp is the public
    # address's) and the desync_factor its preferred lifetime was cut by
    cstamp: float = 0.0
    desync: int = 0
    # ifp->dad_nonce: the nonce option of the DAD probe last sent for it (enhanced_dad);
    # a probe that comes back with it is our own, looped (ndisc_recv_ns())
    dad_nonce: bytes | None = field(default=None, compare=False)

    family = 6

    @property
    def local(self) -> ipaddress.IPv6Address:
        return self.address

    @property
    def network(self) -> ipaddress.IPv6Network:
        return ipaddress.IPv6Network((int(self.address), self.prefixlen), strict=False)


def ipv6_scope(addr: ipaddress.IPv6Address) -> int:
    """The scope the kernel gives an IPv6 address (ipv6_addr_scope, in rtnetlink terms);
    a multicast group's scope is in its address (ff02:: link, ff05:: site)."""
    if addr.is_multicast:
        return {1: Scope.HOST, 2: Scope.LINK, 5: Scope.SITE}.get(addr.packed[1] & 0x0F,
                                                                  Scope.UNIVERSE)
    if addr.is_loopback:
        return Scope.HOST
    if addr.is_link_local:
        return Scope.LINK
    if addr.is_site_local:
        return Scope.SITE
    return Scope.UNIVERSE


# ipv6_link_dev_addr() orders by the IPV6_ADDR_SCOPE_* value, larger first
_V6_SCOPE_RANK = {Scope.UNIVERSE: 0xE, Scope.SITE: 0x5, Scope.LINK: 0x2, Scope.HOST: 0x1}


def insert_ifa4(ifas: list[Ifa4], new: Ifa4) -> None:
    """__inet_insert_ifa(): secondaries go last, a primary after the last primary whose
    scope is not wider than its own (so scope link/host before global)."""
    dev_addr_changed()
    last_primary = 0
    for i, ifa in enumerate(ifas):
        if not ifa.secondary and new.scope <= ifa.scope:
            last_primary = i + 1
    if new.secondary:
        ifas.append(new)
    else:
        ifas.insert(last_primary, new)


def insert_ifa6(ifas: list[Ifa6], new: Ifa6) -> None:
    """ipv6_link_dev_addr(): before the first address of the same or a narrower scope."""
    dev_addr_changed()
    rank = _V6_SCOPE_RANK.get(new.scope, 0)
    for i, ifa in enumerate(ifas):
        if rank >= _V6_SCOPE_RANK.get(ifa.scope, 0):
            ifas.insert(i, new)
            return
    ifas.append(new)


def eui64_link_local(mac: bytes) -> ipaddress.IPv6Address:
    """fe80::/64 with the modified EUI-64 interface id of a 48-bit MAC."""
    iid = (mac[0] ^ 0x02) << 56 | mac[1] << 48 | mac[2] << 40 | 0xFFFE << 24 | \
        mac[3] << 16 | mac[4] << 8 | mac[5]
    # made as IPv6Address(int)'s __init__ makes it, without checking the int again
    addr = _new(ipaddress.IPv6Address)
    addr._ip = _LINK_LOCAL_BASE | iid
    addr._scope_id = None
    return addr


_new = object.__new__
_LINK_LOCAL_BASE = 0xFE80 << 112


def set_ifa_lifetime(ifa: Ifa4 | Ifa6, valid_lft: int, preferred_lft: int, now: float) -> None:
    """devinet.c set_ifa_lifetime() (inet6_addr_add()/inet6_addr_modify() do the same):
    an infinite valid lifetime makes the address permanent (IFA_F_PERMANENT)."""
    dev_addr_changed()
    ifa.valid_lft = valid_lft
    ifa.preferred_lft = preferred_lft
    ifa.deprecated = preferred_lft == 0
    ifa.tstamp = now


def ifa_lifetimes(ifa: Ifa4 | Ifa6, now: float) -> tuple[int, int]:
    """inet_fill_ifaddr() / inet6_fill_ifaddr(): the lifetimes left, in whole seconds
    since tstamp; the valid one counts down only when the preferred one is finite. A
    permanent IPv4 address reports both infinite, an IPv6 one only when its preferred
    lifetime is infinite too."""
    valid, preferred = ifa.valid_lft, ifa.preferred_lft
    if valid == INFINITY_LIFE_TIME and (ifa.family == 4 or preferred == INFINITY_LIFE_TIME):
        return INFINITY_LIFE_TIME, INFINITY_LIFE_TIME
    if preferred != INFINITY_LIFE_TIME:
        # whole seconds of (jiffies - tstamp) / HZ: a timer due on the second itself
        # (a deprecation at tstamp + preferred_lft) counts it whole, though the float
        # sum may fall short of it by an ulp (recorded: `deprecated ... valid_lft 1sec
        # preferred_lft 0sec` in the RTM_NEWADDR of a 2/1 address)
        tval = int(now - ifa.tstamp + 1e-6)
        preferred = max(preferred - tval, 0)
        if valid != INFINITY_LIFE_TIME:
            valid = max(valid - tval, 0)
    return valid, preferred
