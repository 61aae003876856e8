"""IPv4 tunnels (Linux 6.1 net/ipv4/ip_tunnel.c, ip_gre.c, ipip.c, net/ipv6/sit.c):
gre and ipip carry IP datagrams in IP, gretap and erspan Ethernet frames in GRE, sit
IPv6 in IPv4.

The drivers are modules: the first use of one (a link of its kind, or the ioctl of
`ip tunnel` on its fallback device: dev_load() asks for "netdev-gre0") loads it, and
its pernet init makes the fallback devices (gre0, gretap0, erspan0 for ip_gre; tunl0
for ipip; sit0 for sit) in every namespace there is and every one made later
(net.core.fb_tunnels_only_for_init_net is 0). A tunnel's MTU is the underlay's (or
1500) less its headers (ip_tunnel_bind_dev()); it has no carrier management (state
UNKNOWN). The recording machine's kernel has none of these modules: this follows the
sources only."""
from __future__ import annotations

import dataclasses
import ipaddress
from typing import TYPE_CHECKING

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import IFF, KINDS, NetDevice, TunnelPriv
from ipemu.kernel.requests import KindData, LinkRequest

if TYPE_CHECKING:
    from ipemu.kernel.netns import NetNamespace

GRE_CSUM = 0x8000
GRE_ROUTING = 0x4000
GRE_KEY = 0x2000
GRE_SEQ = 0x1000
GRE_VERSION = 0x0007
IPPROTO_IPIP = 4
IPPROTO_GRE = 47
IPPROTO_IPV6 = 41
IPPROTO_MPLS = 137
ETH_HLEN = 14
IP_MAX_MTU = 65535
ETH_DATA_LEN = 1500
IPV4_MIN_MTU = 68
IPV6_MIN_MTU = 1280
ETH_P_TEB = 0x6558
ETH_P_ERSPAN = 0x88BE
TUNNEL_KINDS = ("gre", "gretap", "erspan", "ipip", "sit")
# the module each kind is in, and the fallback devices its pernet init makes
MODULE_OF = {"gre": "ip_gre", "gretap": "ip_gre", "erspan": "ip_gre", "ipip": "ipip",
             "sit": "sit"}
FALLBACKS = {"ip_gre": (("gre0", "gre"), ("gretap0", "gretap"), ("erspan0", "erspan")),
             "ipip": (("tunl0", "ipip"),), "sit": (("sit0", "sit"),)}
# MODULE_ALIAS_NETDEV(): the device names whose ioctl loads a module
NETDEV_ALIASES = {"gre0": "ip_gre", "gretap0": "ip_gre", "erspan0": "ip_gre",
                  "tunl0": "ipip", "sit0": "sit"}
ERSPAN_HDR_LEN = {0: 0, 1: 8, 2: 12}     # erspan_hdr_len()


def is_ether_kind(kind: str) -> bool:
    return kind in ("gretap", "erspan")


def gre_calc_hlen(o_flags: int) -> int:
    """gre_calc_hlen(): 4 bytes, and 4 more each for checksum, key and sequence."""
    return 4 + sum(4 for flag in (GRE_CSUM, GRE_KEY, GRE_SEQ) if o_flags & flag)


def t_hlen(kind: str, t: TunnelPriv) -> int:
    """tunnel->hlen + sizeof(struct iphdr)."""
    if kind in ("ipip", "sit"):
        return 20
    if kind == "erspan":
        return (4 if t.erspan_ver == 0 else 8) + ERSPAN_HDR_LEN.get(t.erspan_ver, 8) + 20
    return gre_calc_hlen(t.o_flags) + 20


# ---------------------------------------------------------------- modules
def module_loaded(ns: "NetNamespace", module: str) -> bool:
    host = ns.host
    return host is not None and module in host.modules


def load_module(ns: "NetNamespace", module: str) -> bool:
    """request_module(): a module the profile's kernel has is loaded once per host;
    its pernet init runs in every namespace (register_pernet_device()). False when
    the kernel has no such driver."""
    kinds = [kind for kind, mod in MODULE_OF.items() if mod == module]
    if any(kind in ns.kernel.get("missing_drivers", []) for kind in kinds):
        return False
    host = ns.host
    if host is None or module in host.modules:
        return True
    host.modules.append(module)
    for other in list(host.namespaces.values()):
        pernet_init(other, module)
    return True


def pernet_init(ns: "NetNamespace", module: str) -> None:
    """ip_tunnel_init_net() / sit_init_net(): the module's fallback devices, each
    registered and announced (__ip_tunnel_create())."""
    for name, kind in FALLBACKS.get(module, ()):
        if ns.by_name(name) is not None:
            continue
        t = TunnelPriv(protocol=_default_protocol(kind), pmtudisc=False, fallback=True)
        if kind == "sit":
            t.ttl = 64                   # ipip6_fb_tunnel_init()
        dev = _register(ns, name, kind, t, address=bytes(6) if is_ether_kind(kind) else None)
        # __ip_tunnel_create(): limits of its own; sit's come from its setup
        if kind != "sit":
            top = IP_MAX_MTU - t_hlen(kind, t) - (ETH_HLEN if is_ether_kind(kind) else 0)
            dev.info = dataclasses.replace(dev.info, min_mtu=68, max_mtu=top)
        ns._notify_link(dev)


def _default_protocol(kind: str) -> int:
    return {"ipip": IPPROTO_IPIP, "sit": IPPROTO_IPV6}.get(kind, IPPROTO_GRE)


def _register(ns: "NetNamespace", name: str, kind: str, t: TunnelPriv, *,
              address: bytes | None = None, mtu: int | None = None) -> NetDevice:
    """register_netdevice() of a tunnel: its addresses are the endpoints (an Ethernet
    one has a MAC), its MTU what ip_tunnel_bind_dev() makes of the underlay."""
    ether = is_ether_kind(kind)
    if not ether:
        address = (t.local or ipaddress.IPv4Address(0)).packed
        broadcast = (t.remote or ipaddress.IPv4Address(0)).packed
    else:
        broadcast = b"\xff" * 6
    dev = ns.create_device(name, kind, address=address, broadcast=broadcast,
                           mtu=mtu if mtu is not None else bind_mtu(ns, kind, t),
                           announce=False)
    dev.tnl = t
    dev.carrier = True
    if not ether:
        dev.addr_assign_random = False
        if t.remote is not None and not t.remote.is_multicast:
            dev.own_flags = IFF.NOARP | IFF.POINTOPOINT     # ip_tunnel_bind_dev()
    ns.announce_netconf(dev)
    return dev


def bind_mtu(ns: "NetNamespace", kind: str, t: TunnelPriv) -> int:
    """ip_tunnel_bind_dev() (ipip6_tunnel_bind_dev() for sit): the device the remote
    is routed by (or the one named) gives the MTU, else 1500; less the headers."""
    tdev = None
    if t.remote is not None:
        try:
            route, _ = ns.lookup(t.remote, oif=ns.by_index(t.link) if t.link else None)
            tdev = ns.by_index(route.oif) if route.oif is not None else None
        except KernelError:
            tdev = None
    if tdev is None and t.link:
        tdev = ns.by_index(t.link)
    hlen = t_hlen(kind, t)
    if kind == "sit":
        if tdev is None or tdev.vrf_table is not None:
            return ETH_DATA_LEN - hlen
        return max(tdev.mtu - hlen, IPV6_MIN_MTU)
    base = min(tdev.mtu, IP_MAX_MTU) if tdev is not None else ETH_DATA_LEN
    mtu = base - hlen - (ETH_HLEN if is_ether_kind(kind) else 0)
    return max(mtu, IPV4_MIN_MTU)


# ---------------------------------------------------------------- rtnetlink
def tunnel_validate(req: LinkRequest) -> None:
    """ipgre_tunnel_validate() / ipgre_tap_validate() / erspan_validate() /
    ipip_tunnel_validate() / ipip6_validate(): the checks that need no device."""
    kind = req.linkinfo.kind
    data = req.linkinfo.data if isinstance(req.linkinfo.data, KindData) else None
    if is_ether_kind(kind) and req.address is not None:
        if len(req.address) != 6:
            raise KernelError(Errno.EINVAL)
        if req.address[0] & 1 or req.address == bytes(6):
            raise KernelError(Errno.EADDRNOTAVAIL)
    if data is None:
        return
    if kind in ("gre", "gretap", "erspan"):
        if is_ether_kind(kind) and data.has("remote") and data.get("remote") is None:
            raise KernelError(Errno.EINVAL)
        if (data.get("iflags", 0) | data.get("oflags", 0)) & (GRE_VERSION | GRE_ROUTING):
            raise KernelError(Errno.EINVAL)
        if kind == "erspan" and data.get("erspan_ver", 1) != 0 and \
                not data.has("collect_md") and \
                (data.get("iflags", 0) | data.get("oflags", 0)) != GRE_SEQ | GRE_KEY:
            raise KernelError(Errno.EINVAL)  # type II/III: GRE sequence and key only
    elif kind == "ipip" and data.get("proto", IPPROTO_IPIP) not in (IPPROTO_IPIP,
                                                                   IPPROTO_MPLS, 0):
        raise KernelError(Errno.EINVAL)


def parms_from(kind: str, data: KindData | None, old: TunnelPriv | None = None
               ) -> TunnelPriv:
    """ipgre_netlink_parms() / erspan_netlink_parms() / ipip_netlink_parms() /
    ipip6_netlink_parms(): the attributes onto zeroed parms (pmtudisc unless told
    otherwise; a TTL sets DF for ipip and sit)."""
    t = TunnelPriv(protocol=_default_protocol(kind))
    if old is not None:
        t.ip6rd, t.erspan_ver = old.ip6rd, old.erspan_ver
    if data is None:
        t.pmtudisc = False               # no attributes: frag_off stays 0
        return t
    get = data.get
    t.link = get("link", 0) or 0
    t.local, t.remote = get("local"), get("remote")
    t.ttl, t.tos = get("ttl", 0), get("tos", 0)
    t.i_flags, t.o_flags = get("iflags", 0), get("oflags", 0)
    t.i_key, t.o_key = get("ikey", 0), get("okey", 0)
    t.pmtudisc = bool(get("pmtudisc", 1)) or (kind in ("ipip", "sit") and bool(t.ttl))
    if t.ignore_df and t.pmtudisc:
        raise KernelError(Errno.EINVAL)
    if data.has("ignore_df"):
        if get("ignore_df") and t.pmtudisc:
            raise KernelError(Errno.EINVAL)
        t.ignore_df = bool(get("ignore_df"))
    t.collect_md = data.has("collect_md")
    t.fwmark = get("fwmark", 0)
    if kind in ("ipip", "sit") and data.has("proto"):
        t.protocol = get("proto")
    if kind == "sit":
        t.isatap = bool(get("isatap", 0))
        if data.has("6rd_prefix"):
            t.ip6rd = (get("6rd_prefix"), get("6rd_prefixlen"), get("6rd_relay_prefix", 0),
                       get("6rd_relay_prefixlen", 0))
    if kind == "erspan":
        t.erspan_ver = get("erspan_ver", t.erspan_ver)
        if t.erspan_ver > 2:
            raise KernelError(Errno.EINVAL)
        t.erspan_index = get("erspan_index", 0)
        t.erspan_dir, t.erspan_hwid = get("erspan_dir", 0), get("erspan_hwid", 0)
    t.encap = (get("encap_type", 0), get("encap_flags", 0), get("encap_sport", 0),
               get("encap_dport", 0))
    return t


def tunnel_find(ns: "NetNamespace", kind: str, t: TunnelPriv) -> NetDevice | None:
    """ip_tunnel_find(): a tunnel of the same kind with the same endpoints, device
    and (GRE) input key."""
    for dev in ns.device_list():
        o = dev.tnl
        if o is None or dev.kind != kind:
            continue
        if (o.local, o.remote, o.link) == (t.local, t.remote, t.link) and \
                (o.i_key if o.i_flags & GRE_KEY else 0) == (t.i_key if t.i_flags & GRE_KEY
                                                            else 0):
            return dev
    return None


def tunnel_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """ipgre_newlink() / erspan_newlink() / ipip_newlink() / ipip6_newlink() then
    ip_tunnel_newlink(): the same tunnel twice is EEXIST; registered, an Ethernet one
    with a random MAC, the MTU bound to the underlay (a given one clamped)."""
    from ipemu.kernel.drivers import _created, alloc_name
    kind = req.linkinfo.kind
    data = req.linkinfo.data if isinstance(req.linkinfo.data, KindData) else None
    t = parms_from(kind, data)
    if tunnel_find(dest, kind, t) is not None:
        raise KernelError(Errno.EEXIST)
    mtu = None
    if req.mtu is not None:
        top = IP_MAX_MTU - t_hlen(kind, t) - (ETH_HLEN if is_ether_kind(kind) else 0)
        mtu = min(max(req.mtu, 68), top)
    dev = _register(dest, alloc_name(dest, req.ifname, kind), kind, t,
                    address=req.address if is_ether_kind(kind) else None, mtu=mtu)
    _created(dev, req)
    return dev


def tunnel_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """ipgre_changelink() and the others: new parameters (a fallback device takes
    none: EINVAL), the endpoints as the device's addresses, the MTU rebound."""
    if dev.tnl.fallback:
        raise KernelError(Errno.EINVAL)
    data = req.linkinfo.data if isinstance(req.linkinfo.data, KindData) else None
    t = parms_from(dev.kind, data, dev.tnl)
    other = tunnel_find(ns, dev.kind, t)
    if other is not None and other is not dev:
        raise KernelError(Errno.EEXIST)
    _apply(ns, dev, t)


def _apply(ns: "NetNamespace", dev: NetDevice, t: TunnelPriv) -> None:
    """ip_tunnel_update(): new parms, addresses and MTU, announced."""
    dev.tnl = t
    if not is_ether_kind(dev.kind):
        dev.address = (t.local or ipaddress.IPv4Address(0)).packed
        dev.broadcast = (t.remote or ipaddress.IPv4Address(0)).packed
        dev.own_flags = IFF.NOARP | (IFF.POINTOPOINT if t.remote is not None else IFF(0))
    dev.mtu = bind_mtu(ns, dev.kind, t)
    ns._notify_link(dev)


# ---------------------------------------------------------------- ioctl
def tunnel_ioctl(ns: "NetNamespace", cmd: str, ifname: str, parm: TunnelPriv,
                 name: str = "") -> TunnelPriv | None:
    """dev_ioctl() of SIOCGETTUNNEL/ADD/CHG/DELTUNNEL on `ifname` (dev_load() loads a
    module for its fallback's name first): ipgre_tunnel_ctl()/ipip_tunnel_ctl()/
    ipip6_tunnel_ctl() through ip_tunnel_ctl(). Returns the parms for a GET."""
    dev = ns.by_name(ifname)
    if dev is None and ifname in NETDEV_ALIASES:
        load_module(ns, NETDEV_ALIASES[ifname])
        dev = ns.by_name(ifname)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    if dev.tnl is None or is_ether_kind(dev.kind):
        raise KernelError(Errno.EOPNOTSUPP if dev.tnl is None else Errno.EINVAL)
    kind = dev.kind
    if cmd == "get":
        if dev.tnl.fallback and name:
            found = tunnel_find(ns, kind, parm)
            return (found or dev).tnl
        return dev.tnl
    if cmd in ("add", "chg"):
        if kind == "gre" and (parm.protocol != IPPROTO_GRE or
                              (parm.i_flags | parm.o_flags) & (GRE_VERSION | GRE_ROUTING)):
            raise KernelError(Errno.EINVAL)
        if kind == "ipip" and parm.protocol not in (IPPROTO_IPIP, IPPROTO_MPLS, 0):
            raise KernelError(Errno.EINVAL)
        if kind == "sit" and parm.protocol not in (IPPROTO_IPV6, IPPROTO_IPIP, IPPROTO_MPLS,
                                                   0):
            raise KernelError(Errno.EINVAL)
        if parm.ttl:
            parm.pmtudisc = True
        if not parm.i_flags & GRE_KEY:
            parm.i_key = 0
        if not parm.o_flags & GRE_KEY:
            parm.o_key = 0
        found = tunnel_find(ns, kind, parm)
        if cmd == "add":
            if found is not None:
                raise KernelError(Errno.EEXIST)
            new_name = name or _next_name(ns, kind)
            t = dataclasses.replace(parm, fallback=False)
            if kind == "sit":
                t.ip6rd = ns.by_name("sit0").tnl.ip6rd if ns.by_name("sit0") else t.ip6rd
            dev = _register(ns, new_name, kind, t)
            top = IP_MAX_MTU - t_hlen(kind, t)
            if kind != "sit":
                dev.info = dataclasses.replace(dev.info, min_mtu=68, max_mtu=top)
            ns._notify_link(dev)
            return None
        target = dev
        if dev.tnl.fallback:
            if found is None:
                raise KernelError(Errno.EINVAL)
            target = found
        if found is not None and found is not target:
            raise KernelError(Errno.EEXIST)
        if target.tnl.fallback:
            raise KernelError(Errno.EINVAL)
        _apply(ns, target, dataclasses.replace(parm, fallback=False, ip6rd=target.tnl.ip6rd))
        return None
    if cmd == "del":
        target = dev
        if dev.tnl.fallback:
            found = tunnel_find(ns, kind, parm)
            if found is None:
                raise KernelError(Errno.ENOENT)
            if found is dev:
                raise KernelError(Errno.EPERM)
            target = found
        ns.delete_device(target)
        return None
    raise KernelError(Errno.EINVAL)


def _next_name(ns: "NetNamespace", kind: str) -> str:
    """__ip_tunnel_create() without a name: the kind's "%d" (gre1, tunl1...)."""
    stem = {"gre": "gre", "ipip": "tunl", "sit": "sit"}[kind]
    n = 0
    while ns.by_name(f"{stem}{n}") is not None:
        n += 1
    return f"{stem}{n}"


def kind_loaded(ns: "NetNamespace", kind: str) -> bool:
    """rtnl_link_ops_get() after request_module(): the kind's module is there."""
    return load_module(ns, MODULE_OF[kind])


# ---------------------------------------------------------------- the wire
@dataclasses.dataclass
class Encap:
    """An IP payload that is a tunnel's: `data` the bytes a capture shows (a GRE
    header and the inner packet or frame), `inner` what the receiving tunnel gets."""

    data: bytes
    inner: object = None

    def __bytes__(self) -> bytes:
        return self.data

    def __len__(self) -> int:
        return len(self.data)


def _gre_header(t: TunnelPriv, proto: int, body: bytes) -> bytes:
    """gre_build_header(): flags and protocol, then checksum, key and sequence."""
    flags = t.o_flags & (GRE_CSUM | GRE_KEY | GRE_SEQ)
    head = flags.to_bytes(2, "big") + proto.to_bytes(2, "big")
    if flags & GRE_CSUM:
        head += bytes(4)
    if flags & GRE_KEY:
        head += t.o_key.to_bytes(4, "big")
    if flags & GRE_SEQ:
        t.o_seqno += 1
        head += t.o_seqno.to_bytes(4, "big")
    if flags & GRE_CSUM:
        from ipemu.kernel.wire.ipv4 import internet_checksum
        csum = internet_checksum(head + body)
        head = head[:4] + csum.to_bytes(2, "big") + head[6:]
    return head


def tunnel_xmit(stack, dev: NetDevice, frame) -> None:
    """ipgre_xmit() / gre_tap_xmit() / ipip_tunnel_xmit() / ipip6_tunnel_xmit() and
    ip_tunnel_xmit(): the inner packet (or frame) behind the outer header, from the
    tunnel's local address (or the route's source) to its remote; TTL inherit (0)
    takes the inner one's, DF as pmtudisc says."""
    from ipemu.kernel import packet as P
    t = dev.tnl
    if t.remote is None or t.collect_md:
        dev.stats.tx_errors += 1              # no destination: dropped
        return
    kind = dev.kind
    if kind in ("gretap", "erspan"):
        inner = frame
        if kind == "erspan":
            dev.stats.tx_dropped += 1         # ERSPAN mirroring is not simulated
            return
        payload = frame.to_bytes()
        proto, body = IPPROTO_GRE, _gre_header(t, ETH_P_TEB, payload) + payload
        inner_ttl = 64
    else:
        inner = frame.payload
        if isinstance(inner, P.Ipv4):
            ethertype, inner_ttl = P.ETH_P_IP, inner.ttl
        elif isinstance(inner, P.Ipv6):
            ethertype, inner_ttl = P.ETH_P_IPV6, inner.hop_limit
        else:
            dev.stats.tx_dropped += 1
            return
        if kind == "ipip" and not isinstance(inner, P.Ipv4) or \
                kind == "sit" and not isinstance(inner, P.Ipv6):
            dev.stats.tx_dropped += 1         # the wrong family for the tunnel
            return
        from ipemu.kernel.encode import frame_bytes
        payload = frame_bytes(P.Frame(b"\0" * 6, b"\0" * 6, ethertype, inner))[14:]
        if kind == "gre":
            proto, body = IPPROTO_GRE, _gre_header(t, ethertype, payload) + payload
        else:
            proto, body = (IPPROTO_IPIP if kind == "ipip" else IPPROTO_IPV6), payload
    lower = dev.netns.by_index(t.link) if t.link else None
    try:
        src = t.local or stack.connect_source(t.remote, lower)
    except KernelError:
        dev.stats.tx_carrier += 1             # ip_tunnel_xmit(): no route
        return
    ttl = t.ttl or inner_ttl
    tos = 0 if t.tos == 1 else t.tos
    pkt = P.Ipv4(src, t.remote, proto, Encap(body, inner), ttl=ttl, tos=tos,
                 id=stack.next_ip_id(), df=t.pmtudisc)
    stack.ip_output(pkt, oif=lower)


def tunnel_rcv(stack, dev_in: NetDevice, pkt) -> bool:
    """gre_rcv()/ipip_rcv()/ipip6_rcv() with ip_tunnel_lookup(): the tunnel whose
    endpoints and key match (the fallback device when up and nothing else does), up,
    takes the inner packet (or frame). True when a tunnel module took the datagram."""
    from ipemu.kernel import packet as P
    ns = stack.ns
    proto = pkt.proto
    kinds = {IPPROTO_GRE: ("gre", "gretap"), IPPROTO_IPIP: ("ipip", "sit"),
             IPPROTO_IPV6: ("sit",)}.get(proto)
    if kinds is None or not isinstance(pkt.payload, Encap):
        return False
    modules = {MODULE_OF[k] for k in kinds}
    if not any(module_loaded(ns, m) for m in modules):
        return False
    enc = pkt.payload
    key = None
    if proto == IPPROTO_GRE:
        flags = int.from_bytes(enc.data[:2], "big")
        ethertype = int.from_bytes(enc.data[2:4], "big")
        off = 4 + (4 if flags & GRE_CSUM else 0)
        if flags & GRE_KEY:
            key = int.from_bytes(enc.data[off:off + 4], "big")
        kinds = ("gretap",) if ethertype == ETH_P_TEB else ("gre",)
    elif proto == IPPROTO_IPIP:
        kinds = ("ipip",)
    best = None
    for dev in ns.device_list():
        t = dev.tnl
        if t is None or dev.kind not in kinds or not dev.admin_up or t.fallback:
            continue
        if t.remote is not None and t.remote != pkt.src:
            continue
        if t.local is not None and t.local != pkt.dst:
            continue
        if (t.i_key if t.i_flags & GRE_KEY else None) != key:
            continue
        if best is None or (t.remote is not None, t.local is not None) > \
                (best.tnl.remote is not None, best.tnl.local is not None):
            best = dev
    if best is None:
        fb = next((d for d in ns.device_list() if d.tnl is not None and d.tnl.fallback
                   and d.kind in kinds and d.admin_up), None)
        best = fb
    if best is None:
        return True                            # no tunnel: dropped
    inner = enc.inner
    if best.kind == "gretap":
        stack.netif_rx(best, inner)
    else:
        ethertype = P.ETH_P_IP if isinstance(inner, P.Ipv4) else P.ETH_P_IPV6
        stack.netif_rx(best, P.Frame(best.address, best.address, ethertype, inner))
    return True
