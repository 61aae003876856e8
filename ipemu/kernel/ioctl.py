"""The socket ioctls net-tools use, and the /proc/net files they read: SIOCGIF*/SIOCSIF*
on an ifreq (dev_ioctl() in net/core/dev_ioctl.c, devinet_ioctl() in
net/ipv4/devinet.c), SIOCSARP/SIOCDARP (arp_ioctl() in net/ipv4/arp.c), and the rows of
/proc/net/dev (dev_seq_show()), /proc/net/arp (arp_seq_show()) and /proc/net/if_inet6
(if6_seq_show()). Requests in (requests.Ifreq, ArpReq), plain frozen rows out."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.addr import Ifa4, Scope
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import RTN
from ipemu.kernel.neigh import NUD_VALID, Nud
from ipemu.kernel.netdev import IFF, LinkStats, NetDevice
from ipemu.kernel.requests import NLM_F, AddrRequest, ArpReq, Ifreq, LinkRequest
from ipemu.plainclass import dataclass, replace

# <linux/sockios.h>
SIOCGIFCONF = 0x8912
SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
SIOCGIFADDR = 0x8915
SIOCSIFADDR = 0x8916
SIOCGIFDSTADDR = 0x8917
SIOCSIFDSTADDR = 0x8918
SIOCGIFBRDADDR = 0x8919
SIOCSIFBRDADDR = 0x891A
SIOCGIFNETMASK = 0x891B
SIOCSIFNETMASK = 0x891C
SIOCGIFMTU = 0x8921
SIOCSIFMTU = 0x8922
SIOCSIFHWADDR = 0x8924
SIOCSIFNAME = 0x8923
SIOCDIFADDR = 0x8936
SIOCGIFHWADDR = 0x8927
SIOCDARP = 0x8953
SIOCSARP = 0x8955
SIOCGIFTXQLEN = 0x8942
SIOCSIFTXQLEN = 0x8943
SIOCGIFMAP = 0x8970
SIOCSIFMAP = 0x8971
SIOCDEVPRIVATE = 0x89F0         # ..0x89FF: the driver's own (ifconfig's SIOCSKEEPALIVE
                                # is SIOCDEVPRIVATE, SIOCSOUTFILL SIOCDEVPRIVATE + 2)

# <linux/if_arp.h>
ARPHRD_ETHER = 1
ARPHRD_LOOPBACK = 772
ATF_COM = 0x02
ATF_PERM = 0x04
ATF_PUBL = 0x08
ATF_NETMASK = 0x20
ATF_DONTPUB = 0x40

# dev_change_flags(): what SIOCSIFFLAGS may change (__dev_change_flags())
CHANGEABLE = (IFF.UP | IFF.DEBUG | IFF.NOTRAILERS | IFF.NOARP | IFF.PROMISC | IFF.ALLMULTI
              | IFF.MULTICAST | IFF.PORTSEL | IFF.AUTOMEDIA | IFF.DYNAMIC)

_DEVINET = {SIOCGIFADDR, SIOCGIFBRDADDR, SIOCGIFDSTADDR, SIOCGIFNETMASK, SIOCSIFADDR,
            SIOCSIFBRDADDR, SIOCSIFDSTADDR, SIOCSIFNETMASK}


# dev->type of each link type (include/uapi/linux/if_arp.h): a tun is ARPHRD_NONE
# (tun_net_init()), ipip ARPHRD_TUNNEL, sit ARPHRD_SIT, gre ARPHRD_IPGRE
ARPHRD_OF = {"loopback": ARPHRD_LOOPBACK, "none": 0xFFFE, "ipip": 768, "sit": 776,
             "gre": 778}


def hwtype(dev: NetDevice) -> int:
    """dev->type: ARPHRD_ETHER but for the link types above."""
    return ARPHRD_OF.get(dev.info.link_type, ARPHRD_ETHER)


# ------------------------------------------------------------------ /proc rows
@dataclass(frozen=True)
class ProcNetDevRow:
    """One line of /proc/net/dev (dev_seq_printf_stats()): the name and counters."""

    name: str
    stats: LinkStats


@dataclass(frozen=True)
class ProcArpRow:
    """One line of /proc/net/arp (arp_format_neigh_entry(), arp_format_pneigh_entry())."""

    ip: ipaddress.IPv4Address
    hwtype: int
    flags: int                  # ATF_COM, ATF_PERM, ATF_PUBL
    hwaddr: bytes
    mask: str                   # "*"
    dev: str


@dataclass(frozen=True)
class ProcIfInet6Row:
    """One line of /proc/net/if_inet6 (if6_seq_show())."""

    address: ipaddress.IPv6Address
    ifindex: int
    prefixlen: int
    scope: int                  # ipv6_addr_scope() bits: 0x20 link, 0x10 host, ...
    flags: int
    dev: str


def proc_net_dev(ns) -> list[ProcNetDevRow]:
    """dev_seq_show(): every device, in index order (for_each_netdev)."""
    return [ProcNetDevRow(dev.name, replace(dev.stats)) for dev in ns.device_list()]


def proc_net_arp(ns) -> list[ProcArpRow]:
    """arp_seq_show() through neigh_seq (NEIGH_SEQ_SKIP_NOARP): the entries, then the
    proxy ones. Flags: ATF_COM for a valid entry, ATF_PERM for a permanent one."""
    rows = []
    for n in ns.stack.arp.entries.values():
        if not int(n.state) & ~int(Nud.NOARP):
            continue        # neigh_get_first(): NONE entries (a refused add's) too
        dev = ns.by_index(n.ifindex)
        if dev is None:
            continue
        flags = (ATF_COM if n.state & NUD_VALID else 0) | \
            (ATF_PERM if n.state & Nud.PERMANENT else 0)
        hw = n.lladdr if n.state & NUD_VALID and n.lladdr else bytes(6)
        rows.append(ProcArpRow(n.addr, hwtype(dev), flags, hw, "*", dev.name))
    for family, address, ifindex in ns.dump_pneigh():
        dev = ns.by_index(ifindex)
        if family == 4:
            rows.append(ProcArpRow(address, hwtype(dev) if dev else ARPHRD_ETHER,
                                   ATF_PUBL | ATF_PERM, bytes(6), "*",
                                   dev.name if dev else "*"))
    return rows


def _v6_scope(addr: ipaddress.IPv6Address) -> int:
    """ipv6_addr_scope() as if6_seq_show() prints it (IPV6_ADDR_SCOPE_MASK bits)."""
    if addr.is_loopback:
        return 0x10
    if addr.is_link_local:
        return 0x20
    if addr.is_site_local:
        return 0x40
    return 0x00


def proc_if_inet6(ns) -> list[ProcIfInet6Row]:
    """if6_seq_show(): every IPv6 address (tentative ones too). The kernel walks a hash
    table; here the devices' order, each device's addresses newest first."""
    from ipemu.kernel.records_more import addr_msg
    rows = []
    for dev in ns.device_list():
        for ifa in ns.ifa6(dev):
            # ifp->flags, as RTM_NEWADDR carries them (IFA_F_PERMANENT: the
            # link-local address's too)
            rows.append(ProcIfInet6Row(ifa.address, dev.ifindex, ifa.prefixlen,
                                       _v6_scope(ifa.address), int(addr_msg(dev, ifa).flags),
                                       dev.name))
    return rows


# ----------------------------------------------------------------- interfaces
def _device(ns, name: str) -> NetDevice:
    dev = ns.by_name(name.partition(":")[0])
    if dev is None:
        raise KernelError(Errno.ENODEV)
    return dev


def ifconf(ns) -> list[str]:
    """SIOCGIFCONF (inet_gifconf()): one name per IPv4 address, its label, device by
    device."""
    return [ifa.label for dev in ns.device_list() for ifa in ns.ifa4(dev)]


def ioctl(ns, cmd: int, req: Ifreq) -> Ifreq:
    """sock_ioctl() on an AF_INET socket: the device calls (dev_ioctl()) and the
    address calls (devinet_ioctl()). A get returns the ifreq filled in."""
    if cmd in _DEVINET:
        return devinet_ioctl(ns, cmd, req)
    dev = _device(ns, req.name)
    if cmd == SIOCGIFFLAGS:
        # ifr_flags is a short: IFF_LOWER_UP and above do not fit
        return replace(req, flags=int(dev.flags) & 0xFFFF)
    if cmd == SIOCSIFFLAGS:
        if ":" in req.name:
            return _alias_flags(ns, dev, req)
        old = int(dev.flags)
        new = req.flags & 0xFFFF
        change = (old ^ new) & CHANGEABLE
        ns.new_link(LinkRequest(ifindex=dev.ifindex, ifi_flags=new & CHANGEABLE,
                                ifi_change=int(change)))
        return req
    if cmd == SIOCGIFMTU:
        return replace(req, mtu=dev.mtu)
    if cmd == SIOCSIFMTU:
        ns.set_mtu(dev, req.mtu)
        return req
    if cmd == SIOCGIFHWADDR:
        return replace(req, hwaddr=dev.address, hwtype=hwtype(dev))
    if cmd == SIOCSIFHWADDR:
        # dev_set_mac_address(): a driver that sets addresses, then the family must
        # be the device's type
        ns.check_set_mac_address(dev)
        if req.hwtype != hwtype(dev):
            raise KernelError(Errno.EINVAL)
        ns.set_address(dev, req.hwaddr)
        dev.addr_assign_set = True          # dev_set_mac_address(): NET_ADDR_SET
        return req
    if cmd == SIOCSIFNAME:
        # dev_ioctl(): dev_change_name() with ifr_newname cut to IFNAMSIZ - 1
        ns.rename(dev, req.newname[:15])
        return req
    if cmd == SIOCGIFTXQLEN:
        return replace(req, qlen=dev.txqlen)
    if cmd == SIOCSIFTXQLEN:
        if req.qlen < 0:
            raise KernelError(Errno.EINVAL)
        ns.new_link(LinkRequest(ifindex=dev.ifindex, txqlen=req.qlen))
        return req
    if cmd == SIOCGIFMAP:
        return req                      # dev_getifmap(): any device answers (zeros)
    if cmd == SIOCSIFMAP:
        # dev_setifmap(): only a driver with ndo_set_config (ISA-era NICs); none of
        # the virtual kinds has one
        raise KernelError(Errno.EOPNOTSUPP)
    if SIOCDEVPRIVATE <= cmd <= SIOCDEVPRIVATE + 15:
        raise KernelError(_siocdevprivate(dev))
    raise KernelError(Errno.EINVAL)


def _siocdevprivate(dev: NetDevice) -> Errno:
    """dev_siocdevprivate() with ifr_data a small number (ifconfig's keepalive and
    outfill values): a driver with ndo_siocdevprivate reads its argument from that
    address first (the bridge's old_dev_ioctl(), ip_tunnel_siocdevprivate(): EFAULT,
    recorded for a bridge); the others have none (EOPNOTSUPP)."""
    if dev.kind == "bridge" or dev.tnl is not None:
        return Errno.EFAULT
    return Errno.EOPNOTSUPP


def inet6_ioctl(ns, cmd: int, ifindex: int, addr: ipaddress.IPv6Address,
                prefixlen: int) -> None:
    """inet6_ioctl() with a struct in6_ifreq: SIOCSIFADDR is addrconf_add_ifaddr() ->
    inet6_addr_add() (IFA_F_PERMANENT, lifetimes infinite), SIOCDIFADDR is
    addrconf_del_ifaddr() -> inet6_addr_del() (address and prefix length must match)."""
    if cmd == SIOCSIFADDR:
        ns.new_addr(AddrRequest(6, ifindex, prefixlen, local=addr, address=addr,
                                flags=NLM_F.REQUEST | NLM_F.CREATE | NLM_F.EXCL))
    elif cmd == SIOCDIFADDR:
        from ipemu.kernel.addrconf import has_inet6_dev
        dev = ns.by_index(ifindex)
        if dev is not None and not has_inet6_dev(dev):
            # inet6_addr_del(): no inet6_dev (an MTU under IPV6_MIN_MTU) is ENXIO
            # (recorded: tutorials44d_ifconfig_alias_cheats, `mtu 1000` then `inet6 del`)
            raise KernelError(Errno.ENXIO)
        ns.del_addr(AddrRequest(6, ifindex, prefixlen, local=addr, address=addr))
    else:
        raise KernelError(Errno.EINVAL)


def _alias_flags(ns, dev: NetDevice, req: Ifreq) -> Ifreq:
    """devinet_ioctl() SIOCSIFFLAGS on `dev:label`: taking the alias down deletes its
    address; anything else is accepted and changes nothing."""
    ifa = _find_label(ns, dev, req.name)
    if ifa is None:
        raise KernelError(Errno.EADDRNOTAVAIL)
    if not req.flags & IFF.UP:
        ns.del_ifa4(dev, ifa)
    return req


def _find_label(ns, dev: NetDevice, label: str, local=None) -> Ifa4 | None:
    if local is not None:
        for ifa in ns.ifa4(dev):
            if ifa.label == label and ifa.local == local:
                return ifa
    for ifa in ns.ifa4(dev):
        if ifa.label == label:
            return ifa
    return None


def inet_abc_len(addr: ipaddress.IPv4Address) -> int:
    """inet_abc_len(): the classful prefix length of an address (-1: multicast)."""
    a = int(addr)
    if a >> 24 == 0 or a == 0xFFFFFFFF:
        return 0
    if a >> 31 == 0:
        return 8
    if a >> 30 == 0b10:
        return 16
    if a >> 29 == 0b110:
        return 24
    if a >> 28 == 0b1111:
        return 32
    return -1


def _mask_len(mask: int) -> int | None:
    """inet_mask_len() of a contiguous mask; None for a bad one (bad_mask())."""
    inverted = ~mask & 0xFFFFFFFF
    if inverted & (inverted + 1):
        return None
    return 32 - inverted.bit_length()


def _bcast(ifa: Ifa4) -> int:
    return int(ifa.broadcast) if ifa.broadcast is not None else 0


def devinet_ioctl(ns, cmd: int, req: Ifreq) -> Ifreq:
    """devinet_ioctl(): the ifa whose label is the name (the address given first, 4.4BSD
    style, then the label alone); a set deletes it, changes it, inserts it again."""
    dev = _device(ns, req.name)
    ifa = _find_label(ns, dev, req.name, req.addr if cmd in (
        SIOCGIFADDR, SIOCGIFBRDADDR, SIOCGIFDSTADDR, SIOCGIFNETMASK) else None)
    if ifa is None and cmd != SIOCSIFADDR:
        raise KernelError(Errno.EADDRNOTAVAIL)
    if cmd == SIOCGIFADDR:
        return replace(req, addr=ifa.local)
    if cmd == SIOCGIFBRDADDR:
        return replace(req, addr=ipaddress.IPv4Address(_bcast(ifa)))
    if cmd == SIOCGIFDSTADDR:
        return replace(req, addr=ifa.address)
    if cmd == SIOCGIFNETMASK:
        return replace(req, addr=ifa.network.netmask)
    if cmd == SIOCSIFADDR:
        _set_ifaddr(ns, dev, ifa, req)
    elif cmd == SIOCSIFBRDADDR:
        if _bcast(ifa) != int(req.addr):
            ns.del_ifa4(dev, ifa)
            _reinsert(ns, dev, _fresh(ifa, broadcast=req.addr))
    elif cmd == SIOCSIFDSTADDR:
        if ifa.address != req.addr:
            if inet_abc_len(req.addr) < 0:
                raise KernelError(Errno.EINVAL)
            ns.del_ifa4(dev, ifa)
            _reinsert(ns, dev, _fresh(ifa, address=req.addr))
    elif cmd == SIOCSIFNETMASK:
        _set_netmask(ns, dev, ifa, req)
    return req


def _fresh(ifa: Ifa4, **changes) -> Ifa4:
    """The ifa as inet_insert_ifa() takes it back: no longer marked secondary."""
    return replace(ifa, secondary=False, **changes)


def _set_ifaddr(ns, dev: NetDevice, ifa: Ifa4 | None, req: Ifreq) -> None:
    """SIOCSIFADDR: a classful mask, the broadcast derived from it; 0.0.0.0 deletes
    the address (inet_insert_ifa() frees an ifa without a local address)."""
    prefixlen = inet_abc_len(req.addr)
    if prefixlen < 0:
        raise KernelError(Errno.EINVAL)
    label = req.name if ":" in req.name else dev.name
    if ifa is not None:
        if ifa.local == req.addr:
            return
        label = ifa.label
        ns.del_ifa4(dev, ifa)
    if dev.flags & IFF.POINTOPOINT:
        prefixlen = 32
    broadcast = None
    if dev.flags & IFF.BROADCAST and prefixlen < 31:
        host = (1 << (32 - prefixlen)) - 1
        broadcast = ipaddress.IPv4Address(int(req.addr) | host)
    ns.devconf_setall(dev)                      # inet_set_ifa(): ipv4_devconf_setall()
    if int(req.addr) == 0:
        return
    # inet_set_ifa(): an address of 127.0.0.0/8 gets scope host, on any device
    # (recorded: `ifconfig lo:1 127.0.0.2` shows `scope host lo:1`, case
    # tutorials37b_plug_loopback_alias)
    scope = Scope.HOST if int(req.addr) >> 24 == 127 else Scope.UNIVERSE
    ns.add_ifa4(dev, Ifa4(local=req.addr, prefixlen=prefixlen, address=req.addr,
                          broadcast=broadcast, label=label, scope=scope))


def _set_netmask(ns, dev: NetDevice, ifa: Ifa4, req: Ifreq) -> None:
    """SIOCSIFNETMASK: the broadcast follows the mask only when it was the old mask's."""
    prefixlen = _mask_len(int(req.addr))
    if prefixlen is None:
        raise KernelError(Errno.EINVAL)
    if prefixlen == ifa.prefixlen:
        return
    old_mask = int(ifa.network.netmask)
    new_mask = int(req.addr)
    ns.del_ifa4(dev, ifa)
    broadcast = ifa.broadcast
    if dev.flags & IFF.BROADCAST and prefixlen < 31 and \
            _bcast(ifa) == (int(ifa.local) | ~old_mask & 0xFFFFFFFF):
        broadcast = ipaddress.IPv4Address(int(ifa.local) | ~new_mask & 0xFFFFFFFF)
    _reinsert(ns, dev, _fresh(ifa, prefixlen=prefixlen, broadcast=broadcast))


def _reinsert(ns, dev: NetDevice, ifa: Ifa4) -> None:
    """SIOCSIFBRDADDR, SIOCSIFDSTADDR and SIOCSIFNETMASK call inet_insert_ifa() and
    drop what it returns: an ifa that now duplicates another (same local and mask:
    __inet_insert_ifa()'s EEXIST) is freed and the ioctl still succeeds, so the address
    is gone (recorded: `ifconfig DEV ADDR netmask M` where ADDR/M is already there)."""
    try:
        ns.add_ifa4(dev, ifa)
    except KernelError:
        pass


# ------------------------------------------------------------------------ arp
def _arp_device(ns, req: ArpReq) -> NetDevice:
    """arp_req_set() / arp_req_delete(): the device named, else the one the route to
    the address leaves by (ip_route_output() with RTO_ONLINK)."""
    if req.dev:
        dev = ns.by_name(req.dev)
        if dev is None:
            raise KernelError(Errno.ENODEV)
        return dev
    try:
        route, _ = ns.lookup(req.ip)
    except KernelError as err:
        raise KernelError(err.errno)
    if route.type == RTN.LOCAL:
        return ns.by_name("lo")
    if route.gateway is not None or route.oif is None:
        raise KernelError(Errno.ENETUNREACH)
    return ns.by_index(route.oif)


def _zero_mask(req: ArpReq) -> bool:
    return bool(req.flags & ATF_NETMASK) and req.netmask is not None and not int(req.netmask)


def _arp_req_set_proxy(ns, dev, on: str) -> None:
    """arp_req_set_proxy(): a proxy entry of mask 0 is the device's proxy_arp (all's
    with no device). Recorded: `arp -i eth0 -s ADDR HW netmask 0.0.0.0 pub` leaves
    conf/eth0/proxy_arp 1, `arp -i eth0 -d ADDR netmask 0.0.0.0 pub` 0 again."""
    name = dev.name if dev is not None else "all"
    ns.set_sysctl(f"net.ipv4.conf.{name}.proxy_arp", on)


def arp_ioctl(ns, cmd: int, req: ArpReq) -> None:
    """arp_ioctl(): SIOCSARP sets an entry (PERMANENT with ATF_PERM, else STALE), with
    ATF_PUBL a proxy entry; SIOCDARP deletes one (ENXIO: none there)."""
    table = ns.stack.arp
    if cmd in (SIOCSARP, SIOCDARP) and not req.flags & ATF_PUBL and \
            req.flags & (ATF_NETMASK | ATF_DONTPUB):
        raise KernelError(Errno.EINVAL)     # arp_ioctl(): a mask only for a proxy entry
    if req.dev and req.flags & ATF_COM:
        # arp_ioctl(): a device named must be of the hardware address's type (lo's
        # ARPHRD_LOOPBACK is no ether: EINVAL, pub or not; recorded)
        named = ns.by_name(req.dev)
        if named is None:
            raise KernelError(Errno.ENODEV)
        if hwtype(named) != req.hatype:
            raise KernelError(Errno.EINVAL)
    if cmd == SIOCSARP:
        if req.flags & ATF_PUBL:
            # arp_req_set_public(): a mask other than /32 is refused before the device
            # is looked for (recorded: tutorials36b_linuxfaq_arp_command)
            if req.flags & ATF_NETMASK and req.netmask is not None and \
                    int(req.netmask) not in (0, 0xFFFFFFFF):
                raise KernelError(Errno.EINVAL)
            dev = _arp_device(ns, req) if req.dev else None
            if dev is None and req.flags & ATF_COM and req.ha is not None:
                # arp_req_set_public(): no device named, the one that owns the
                # hardware address given (dev_getbyhwaddr_rcu()), ENODEV if none
                dev = next((d for d in ns.device_list() if d.address == req.ha), None)
                if dev is None:
                    raise KernelError(Errno.ENODEV)
            if _zero_mask(req):
                _arp_req_set_proxy(ns, dev, "1")
                return
            ns.pneigh_add(req.ip, dev.ifindex if dev else 0, create=True, excl=False)
            return
        dev = _arp_device(ns, req)
        if dev.flags & (IFF.NOARP | IFF.LOOPBACK):
            raise KernelError(Errno.EINVAL)
        n = table.entry(dev.ifindex, req.ip)
        state = Nud.PERMANENT if req.flags & ATF_PERM else Nud.STALE
        table.set_static(n, req.ha if req.flags & ATF_COM else None, state, n.router)
        return
    if cmd == SIOCDARP:
        if req.flags & ATF_PUBL:
            dev = _arp_device(ns, req) if req.dev else None
            if req.flags & ATF_NETMASK and req.netmask is not None and \
                    int(req.netmask) != 0xFFFFFFFF:
                # arp_req_delete_public(): another mask than /32 is EINVAL but 0,
                # which turns proxy_arp off (arp_req_set_proxy(net, dev, 0))
                if int(req.netmask):
                    raise KernelError(Errno.EINVAL)
                _arp_req_set_proxy(ns, dev, "0")
                return
            try:
                ns.pneigh_delete(req.ip, dev.ifindex if dev else 0)
            except KernelError:
                raise KernelError(Errno.ENXIO)
            return
        dev = _arp_device(ns, req)
        n = table.lookup(dev.ifindex, req.ip)
        if n is None or n.state & Nud.NOARP:
            raise KernelError(Errno.ENXIO)
        table.delete(dev.ifindex, req.ip)
        return
    raise KernelError(Errno.EINVAL)
