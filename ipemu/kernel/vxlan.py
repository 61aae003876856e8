"""vxlan devices (Linux drivers/net/vxlan/vxlan_core.c): an Ethernet device whose frames
travel in UDP over the underlay to the remote its FDB names for the destination MAC
(the all-zeroes entry, made from `remote`/`group`, for the rest); what arrives on the
UDP port with its VNI is decapsulated and received on it, and its source MAC learnt.

Here: rtnl_link_ops (validate, newlink, changelink) and the configuration rules
(vxlan_nl2conf(), vxlan_config_validate(), vxlan_config_apply())."""
from __future__ import annotations

import ipaddress
import zlib

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import RTN
from ipemu.kernel.netdev import NetDevice, VxlanFdb, VxlanPriv
from ipemu.kernel.packet import Udp
from ipemu.kernel.requests import LinkRequest, VxlanData
from ipemu.plainclass import dataclass

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.kernel.netns import NetNamespace

VXLAN_N_VID = 1 << 24
NUD_REACHABLE = 0x02
NUD_NOARP = 0x40
NUD_PERMANENT = 0x80
VXLAN_HEADROOM = 50           # IPv4 + UDP + VXLAN + inner Ethernet headers
VXLAN6_HEADROOM = 70
ETH_MIN_MTU = 68
ETH_MAX_MTU = 65535
ALL_ZEROS_MAC = bytes(6)
# the attributes that name a field of VxlanPriv as they are (vxlan_nl2conf())
# vxlan_nl2conf()'s order of the attributes it copies (after the id, addresses, link,
# ttl and ttl_inherit): on a change, the flags vxlan_nl2flag() takes with
# changelink_supported false, UDP_CSUM, LIMIT and the ports, are refused when present
# at all, the value the device has too (recorded on this kernel)
PLAIN = ("tos", "df", "label", "learning", "ageing", "proxy", "rsc", "l2miss", "l3miss",
         "limit", "external", "port_range", "port", "udp_csum", "udp_zero_csum6_tx",
         "udp_zero_csum6_rx", "remcsum_tx", "remcsum_rx", "gbp", "gpe", "vnifilter")
FLAG_NAMES = {"proxy": "PROXY", "rsc": "RSC", "l2miss": "L2MISS", "l3miss": "L3MISS",
              "external": "COLLECT_METADATA", "udp_zero_csum6_tx": "UDP_ZERO_CSUM6_TX",
              "udp_zero_csum6_rx": "UDP_ZERO_CSUM6_RX", "remcsum_tx": "REMCSUM_TX",
              "remcsum_rx": "REMCSUM_RX", "gbp": "GBP", "gpe": "GPE"}
FIXED = {key: f"vxlan: cannot change {name} flag" for key, name in FLAG_NAMES.items()}
# vxlan_flag_attr_error(): VNIFILTER is not among the flags it names
FIXED["vnifilter"] = "vxlan: cannot change flag"
FIXED.update({"udp_csum": "Cannot change UDP_CSUM flag", "limit": "Cannot change limit",
              "port_range": "Cannot change port range", "port": "Cannot change port"})


# the flags outside VXLAN_F_ALLOWED_GPE (vxlan_private.h)
_NOT_GPE = ("learning", "ttl_inherit", "proxy", "rsc", "l2miss", "l3miss", "remcsum_tx",
            "remcsum_rx", "gbp")


def _data(req: LinkRequest) -> VxlanData | None:
    data = req.linkinfo.data if req.linkinfo is not None else None
    return data if isinstance(data, VxlanData) else None


def vxlan_validate(req: LinkRequest) -> None:
    """vxlan_validate(): the address, the MTU's range, the data present, the VNI."""
    if req.address is not None:
        if len(req.address) != 6:
            raise KernelError(Errno.EINVAL, "Provided link layer address is not Ethernet")
        if req.address[0] & 1 or req.address == ALL_ZEROS_MAC:
            raise KernelError(Errno.EADDRNOTAVAIL, "Provided Ethernet address is not unicast")
    if req.mtu is not None and not ETH_MIN_MTU <= req.mtu <= ETH_MAX_MTU:
        raise KernelError(Errno.EINVAL, "MTU must be between 68 and 65535")
    data = _data(req)
    if data is None:
        raise KernelError(Errno.EINVAL,
                          "Required attributes not provided to perform the operation")
    vni = data.get("id")
    if vni is not None and vni >= VXLAN_N_VID:
        raise KernelError(Errno.ERANGE, "VXLAN ID must be lower than 16777216")
    low, high = data.get("port_range", (0, 0))
    if high < low:
        raise KernelError(Errno.EINVAL, "Invalid source port range")


def nl2conf(data: VxlanData, conf: VxlanPriv, changelink: bool) -> None:
    """vxlan_nl2conf(): the attributes onto a configuration (a copy of the device's
    own for a change, which refuses to change the VNI, the port and most flags)."""
    vni = data.get("id")
    if vni is not None:
        if changelink and vni != conf.vni:
            raise KernelError(Errno.EOPNOTSUPP, "Cannot change VNI")
        conf.vni = vni
    for key in ("remote", "local"):
        if data.has(key):
            value = data.get(key)
            if changelink and value is not None and value.version != _conf_family(conf, key):
                # (vxlan_nl2conf()'s two texts: "... old group", "... old.")
                raise KernelError(Errno.EOPNOTSUPP,
                                  "New group address family does not match old group"
                                  if key == "remote" else
                                  "New local address family does not match old")
            setattr(conf, key, value)
    if data.has("link"):
        conf.link = data.get("link")
    if data.has("ttl"):
        conf.ttl = data.get("ttl")
    if data.has("ttl_inherit"):
        if changelink:
            raise KernelError(Errno.EOPNOTSUPP, "vxlan: cannot change TTL_INHERIT flag")
        conf.ttl_inherit = True
    for key in PLAIN:
        if not data.has(key):
            continue
        value = data.get(key)
        if changelink and key in FIXED:
            raise KernelError(Errno.EOPNOTSUPP, FIXED[key])
        if key == "port":
            value = value or (4790 if conf.gpe or data.get("gpe") else 8472)
        setattr(conf, key, value)
    if conf.vnifilter and not conf.external:
        raise KernelError(Errno.EINVAL, "vxlan: vnifilter only supported with metadata mode")


def _conf_family(conf: VxlanPriv, key: str) -> int:
    """The family of the device's remote_ip or saddr: vxlan_config_validate() gave one
    with no address the other's, or AF_INET (recorded: `set ... type vxlan remote
    2001:db8::2` of a device made without addresses is refused for its group's family
    before its port, fuzz40 seed 450719)."""
    own = getattr(conf, key)
    other = conf.local if key == "remote" else conf.remote
    return own.version if own is not None else other.version if other is not None else 4


def _family(addr) -> int:
    return addr.version if addr is not None else 0


def config_validate(ns: "NetNamespace", conf: VxlanPriv, old: NetDevice | None
                    ) -> NetDevice | None:
    """vxlan_config_validate(): one family for local and remote, no multicast local,
    the lower device (required for a group), no other device with this VNI and port.
    Returns the lower device."""
    if conf.gpe and (not conf.external or any(getattr(conf, key) for key in _NOT_GPE)):
        # VXLAN_F_ALLOWED_GPE: GPE only in collect-metadata mode, with none of the
        # other flags (learning included, which iproute2 clears for `external` only)
        raise KernelError(Errno.EINVAL,
                          "VXLAN GPE does not support this combination of attributes")
    if not conf.ageing:
        conf.ageing = 300           # FDB_AGE_DEFAULT (a change to 0 too)
    local_family, remote_family = _family(conf.local), _family(conf.remote)
    if local_family and remote_family and local_family != remote_family:
        raise KernelError(Errno.EINVAL, "Local and remote address must be from the same family")
    if conf.local is not None and conf.local.is_multicast:
        raise KernelError(Errno.EINVAL, "Local address cannot be multicast")
    use_ipv6 = 6 in (local_family, remote_family)
    linklocal = use_ipv6 and not conf.external and _linklocal_pair(conf)
    if conf.label and not use_ipv6:
        raise KernelError(Errno.EINVAL, "Label attribute only applies to IPv6 VXLAN devices")
    lower = None
    if conf.link:
        lower = ns.by_index(conf.link)
        if lower is None:
            raise KernelError(Errno.ENODEV, "Invalid local interface, device not found")
        from ipemu.kernel.addrconf import has_inet6_dev
        if use_ipv6 and has_inet6_dev(lower) and ns.ipv6_disabled(lower):
            # __in6_dev_get(lowerdev) and idev->cnf.disable_ipv6 (recorded: a group
            # ff05::66 on a veth made after default.disable_ipv6=1)
            raise KernelError(Errno.EPERM, "IPv6 support disabled by administrator")
    elif conf.remote is not None and conf.remote.is_multicast:
        raise KernelError(Errno.EINVAL,
                          "Local interface required for multicast remote destination")
    elif linklocal:
        raise KernelError(Errno.EINVAL,
                          "Local interface required for link-local local/remote addresses")
    for dev in ([] if conf.vnifilter else ns.device_list()):
        # vxlan_vni_in_use(), not asked for a vnifilter device: another device's VNI
        # (a vnifilter one's list), port, family and receive flags (VXLAN_F_RCV_FLAGS:
        # gbp, gpe, udp6zerocsumrx, remcsumrx, metadata, vnifilter; recorded: `id 42
        # gbp` and `id 42 udp6zerocsumrx` live side by side, `l2miss` or
        # `udp6zerocsumtx` do not make another)
        other = dev.vxlan
        if dev is old or other is None:
            continue
        vni_used = any(v == conf.vni for v, _ in other.vnis) if other.vnifilter \
            else other.vni == conf.vni
        if vni_used and other.port == conf.port and \
                (6 in (_family(other.local), _family(other.remote))) == use_ipv6 and \
                _rcv_flags(other) == _rcv_flags(conf) and \
                not (linklocal and other.link != conf.link):
            # (VXLAN_F_IPV6_LINKLOCAL: a link-local device's VNI is its lower device's)
            raise KernelError(Errno.EEXIST, "A VXLAN device with the specified VNI already exists")
    return lower


def _ipv6_type(addr) -> str:
    """What vxlan_config_validate() asks of ipv6_addr_type(): "any" (none given or
    ::), "linklocal-unicast" (fe80::/10), "linklocal" (a link-scope multicast group,
    IPV6_ADDR_MULTICAST | IPV6_ADDR_LINKLOCAL), else "other"."""
    if addr is None or addr.is_unspecified:
        return "any"
    if addr.is_multicast:
        return "linklocal" if (addr.packed[1] & 0x0f) == 2 else "other"
    if addr.packed[0] == 0xfe and (addr.packed[1] & 0xc0) == 0x80:
        return "linklocal-unicast"
    return "other"


def _linklocal_pair(conf: VxlanPriv) -> bool:
    """vxlan_config_validate()'s scopes of an IPv6 device (not collect-metadata): a
    link-local local wants a link-local (or no) remote and makes the device
    VXLAN_F_IPV6_LINKLOCAL; any other local refuses a link-local unicast remote."""
    local, remote = _ipv6_type(conf.local), _ipv6_type(conf.remote)
    if local == "linklocal-unicast":
        if remote not in ("linklocal", "linklocal-unicast", "any"):
            raise KernelError(Errno.EINVAL,
                              "Invalid combination of local and remote address scopes")
        return True
    if remote == "linklocal-unicast":
        raise KernelError(Errno.EINVAL, "Invalid combination of local and remote address scopes")
    return False


def _rcv_flags(conf: VxlanPriv) -> tuple:
    """VXLAN_F_RCV_FLAGS of a configuration (how the receive side reads a packet: two
    devices differing in them may share a VNI and port)."""
    return (conf.gbp, conf.gpe, conf.udp_zero_csum6_rx, conf.remcsum_rx, conf.external,
            conf.vnifilter)


def headroom(conf: VxlanPriv) -> int:
    return VXLAN6_HEADROOM if 6 in (_family(conf.local), _family(conf.remote)) \
        else VXLAN_HEADROOM


def vxlan_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """vxlan_newlink() -> __vxlan_dev_create(): the configuration checked, the MTU
    from the lower device (vxlan_config_apply()), registered, and the default FDB entry
    for a remote that is not "any"."""
    from ipemu.kernel.drivers import _created, alloc_name
    conf = VxlanPriv(vni=0)
    nl2conf(_data(req), conf, changelink=False)
    lower = config_validate(dest, conf, None)
    mtu = req.mtu if req.mtu is not None else 1500
    tso = 65536
    if lower is not None:
        max_mtu = max(lower.mtu - headroom(conf), ETH_MIN_MTU)
        mtu = min(req.mtu if req.mtu is not None else max_mtu, max_mtu)
        tso = lower.tso_max_size
    dev = dest.create_device(alloc_name(dest, req.ifname, "vxlan"), "vxlan",
                             address=req.address, mtu=mtu, announce=False)
    conf.link_net = ns                # __vxlan_dev_create(): vxlan->net = src_net
    if conf.gpe:
        # vxlan_config_apply() -> vxlan_raw_setup(): ARPHRD_NONE without an address,
        # POINTOPOINT|NOARP|MULTICAST (recorded: `link/none`)
        from ipemu.kernel.netdev import IFF
        from ipemu.plainclass import replace
        dev.info = replace(dev.info, link_type="none",
                           base_flags=IFF.POINTOPOINT | IFF.NOARP | IFF.MULTICAST)
        dev.address = dev.broadcast = b""     # addr_len 0
    dev.vxlan = conf
    dev.netns.vxlan_seen = True
    ns.vxlan_seen = True
    ns.vxlan_socks.append(dev)
    dev.tso_max_size = tso
    dev.carrier = True              # no carrier handling: up means UNKNOWN operstate
    if conf.remote is not None and not conf.remote.is_unspecified:
        conf.fdb.append(VxlanFdb(ALL_ZEROS_MAC, conf.remote, ifindex=conf.link))
    if lower is not None:
        # __vxlan_dev_create(): netdev_upper_dev_link() -> NETDEV_CHANGEUPPER, whose
        # RTM_NEWLINK of the lower comes before the new device's own (recorded)
        lower.netns.notify_link(lower)
    dest.announce_netconf(_created(dev, req))
    return dev


def vxlan_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """vxlan_changelink(): a copy of the configuration changed and checked, then the
    default FDB entry follows a new remote, and it is applied."""
    import copy
    data = _data(req)
    if data is None:
        return
    conf = copy.copy(dev.vxlan)
    conf.fdb = dev.vxlan.fdb
    nl2conf(data, conf, changelink=True)
    config_validate(ns, conf, dev)
    old, old_ifindex = dev.vxlan.remote, dev.vxlan.link
    if conf.remote != old:
        zeros = [e for e in conf.fdb if e.mac == ALL_ZEROS_MAC and e.src_vni == 0]
        if conf.remote is not None and not conf.remote.is_unspecified and \
                not any(_rdst_equal(e, conf.remote, 0, None, conf.link, conf) for e in zeros):
            # vxlan_fdb_update(NLM_F_APPEND): a remote the entry has already stays one
            conf.fdb.append(VxlanFdb(ALL_ZEROS_MAC, conf.remote, ifindex=conf.link))
        if old is not None and not old.is_unspecified:
            # __vxlan_fdb_delete() of the old default_dst: vxlan_fdb_find_rdst() wants
            # its remote_ifindex too, so a remote added before a `dev` change stays
            # (recorded: remote 10.0.0.3 via eth0 kept after `dev lo`, `remote 10.0.0.4`)
            match = [e for e in zeros if _rdst_equal(e, old, 0, None, old_ifindex, conf)]
            if match:
                conf.fdb.remove(match[0])
    dev.vxlan = conf
    dev.netns.vxlan_seen = True


def change_mtu_limit(dev: NetDevice, mtu: int) -> None:
    """vxlan_change_mtu(): at most the lower device's MTU minus the headroom."""
    conf = dev.vxlan
    lower = dev.netns.by_index(conf.link) if conf.link else None
    if lower is not None and mtu > lower.mtu - headroom(conf):
        raise KernelError(Errno.EINVAL)


def is_any(addr) -> bool:
    return addr is None or (isinstance(addr, (ipaddress.IPv4Address, ipaddress.IPv6Address))
                            and addr.is_unspecified)


# ------------------------------------------------------------------ packet paths
VXLAN_HLEN = 8
VXLAN_HF_VNI = 0x08000000         # the I flag
PORT_MIN, PORT_MAX = 32768, 61000  # inet_get_local_port_range() (max exclusive here)


@dataclass
class VxlanUdp(Udp):
    """A UDP datagram carrying a VXLAN header and an Ethernet frame: `data` holds the
    bytes a capture shows, `inner` the frame itself for the receiver."""

    inner: object = None
    zero_csum: bool = False     # noudpcsum / udp6zerocsumtx: a checksum of 0 ("none")


def vxlan_header(vni: int) -> bytes:
    """struct vxlanhdr: the I flag and the VNI (vxlan_build_skb())."""
    return VXLAN_HF_VNI.to_bytes(4, "big") + (vni << 8).to_bytes(4, "big")


def flow_src_port(frame, conf: VxlanPriv) -> int:
    """udp_flow_src_port(): the inner flow's hash scaled into the source port range
    (the same both ways: the flow dissector's hash is symmetric)."""
    low, high = conf.port_range if conf.port_range != (0, 0) else (PORT_MIN, PORT_MAX)
    inner = frame.payload
    ends = sorted([bytes(frame.src), bytes(frame.dst)])
    if hasattr(inner, "src") and hasattr(inner, "dst") and not isinstance(inner, bytes):
        ends = sorted([str(inner.src).encode(), str(inner.dst).encode()])
    digest = zlib.crc32(b"|".join(ends) + frame.ethertype.to_bytes(2, "big"))
    return low + (digest * (high - low) >> 32)


def find_mac(conf: VxlanPriv, mac: bytes, src_vni: int = 0) -> list[VxlanFdb]:
    """vxlan_find_mac(): the remotes of an entry (an entry is all its rdsts); on a
    collect-metadata device the entry of that VNI. Since the FDB became an rhashtable
    keyed by (MAC, VNI) (6.16, "vxlan: Convert FDB table to rhashtable"),
    vxlan_find_mac_rcu() looks up the default VNI on other devices: an entry
    stored there under another NDA_SRC_VNI (src_vni kept non-zero) is never found."""
    return [e for e in conf.fdb if e.mac == mac
            and e.src_vni == (src_vni if conf.external else 0)]


def vxlan_xmit(stack, dev: NetDevice, frame) -> None:
    """vxlan_xmit(): the remotes of the destination MAC, else those of the all-zeroes
    entry (broadcasts too); each gets a copy in UDP (vxlan_xmit_one())."""
    conf = dev.vxlan
    if conf.proxy and frame.ethertype == 0x0806:
        arp_reduce(stack, dev, frame)
        return
    if conf.proxy and _is_ns(frame):
        neigh_reduce(dev, frame)
        return
    # (a group's or the broadcast MAC's own entry too: vxlan_find_mac() of h_dest
    # whatever it is; recorded, fuzz42 seed 521025: an `ff:ff:ff:ff:ff:ff dst GROUP`
    # entry takes the ARP requests from the all-zeros one)
    info = getattr(frame.payload, "tun_info", None)
    if conf.external and info is not None and not conf.vnifilter:
        # vxlan_xmit() of a collect-metadata device: a frame with TX tunnel info (the
        # route's LWTUNNEL_ENCAP_IP state, skb_tunnel_info()) goes to that info's
        # destination and VNI, vxlan_xmit_one() with no rdst (recorded:
        # tutorials46c_vxlan_lwt_traffic)
        vxlan_xmit_one(stack, dev, frame,
                       VxlanFdb(ALL_ZEROS_MAC, info.dst, vni=info.id or 0), md=info)
        return
    remotes = find_mac(conf, bytes(frame.dst))
    if not remotes:
        remotes = find_mac(conf, ALL_ZEROS_MAC)
    if not remotes:
        if conf.l2miss and not frame.dst[0] & 1:
            dev.netns.notify_fdb_miss(dev, bytes(frame.dst))     # vxlan_fdb_miss()
        dev.stats.tx_dropped += 1
        return
    for entry in remotes:
        entry.used = stack.clock.now
        vxlan_xmit_one(stack, dev, frame, entry)


def arp_reduce(stack, dev: NetDevice, frame) -> None:
    """arp_reduce(): with `proxy` every ARP frame the device would send is consumed;
    a request whose target the device's neighbour table holds CONNECTED (and not
    behind an all-zeroes remote: a bridge-local neighbour) is answered with a reply
    received on the device (netif_rx()); none for the rest (recorded: a ping across a
    proxy VTEP with no neighbour entry sends nothing and loses every echo)."""
    from ipemu.kernel import packet as P
    arp = frame.payload
    if dev.noarp or not isinstance(arp, P.Arp) or arp.op != 1 or \
            int(arp.tpa) >> 24 == 127 or arp.tpa.is_multicast:
        return
    answer = _proxy_neighbour(dev, dev.netns.stack.arp, arp.tpa)
    if answer is None:
        return
    n = answer[0]
    reply = P.Frame(bytes(arp.sha), bytes(n.lladdr), 0x0806,
                    P.Arp(2, bytes(n.lladdr), arp.tpa, bytes(arp.sha), arp.spa))
    dev.netns.stack.netif_rx(dev, reply, counted=0)


def _proxy_neighbour(dev: NetDevice, table, addr):
    """What arp_reduce() and neigh_reduce() answer from: the device's CONNECTED
    neighbour entry for `addr` with its link-layer address, and that address's FDB
    entry (None: no answer, also when the entry is behind an all-zeroes remote, a
    bridge-local neighbour)."""
    from ipemu.kernel.neigh import _CONNECTED
    n = table.lookup(dev.ifindex, addr)
    if n is None or not int(n.state) & _CONNECTED or not n.lladdr:
        return None
    found = find_mac(dev.vxlan, bytes(n.lladdr))
    if found and is_any(found[0].dst):
        return None
    return n, found


def _is_ns(frame) -> bool:
    from ipemu.kernel import packet as P
    pkt = frame.payload
    return isinstance(pkt, P.Ipv6) and isinstance(pkt.payload, P.Icmp6) and \
        pkt.payload.type == P.NDISC_NEIGHBOUR_SOLICITATION and pkt.payload.code == 0


def neigh_reduce(dev: NetDevice, frame) -> None:
    """neigh_reduce(): with `proxy` a neighbour solicitation is consumed too, and
    answered from the device's neighbour table as arp_reduce() answers ARP:
    vxlan_na_create() makes the advertisement (solicited, override, router when the
    FDB entry says so) from the target to the asker, received on the device."""
    from ipemu.kernel import packet as P
    pkt, msg = frame.payload, frame.payload.payload
    if pkt.dst.is_loopback or msg.target is None or msg.target.is_multicast:
        return
    answer = _proxy_neighbour(dev, dev.netns.stack.nd, msg.target)
    if answer is None:
        return
    n, found = answer
    router = 0x80000000 if found and found[0].router else 0
    na = P.Icmp6(P.NDISC_NEIGHBOUR_ADVERTISEMENT, target=msg.target, lladdr=bytes(n.lladdr),
                 flags=router | 0x40000000 | 0x20000000)
    reply = P.Frame(bytes(frame.src), bytes(n.lladdr), P.ETH_P_IPV6,
                    P.Ipv6(msg.target, pkt.src, P.IPPROTO_ICMPV6, na, hop_limit=255))
    dev.netns.stack.netif_rx(dev, reply, counted=0)


def socket_net(dev: NetDevice):
    """vxlan->net: the namespace of the device's socket (the one it was made in)."""
    return dev.vxlan.link_net or dev.netns


def socket_devices(ns) -> list:
    """The live vxlan devices whose socket is in `ns` (vxlan_vs_find_vni() looks in the
    socket's namespace), in creation order; those of a deleted namespace are gone."""
    socks = ns.vxlan_socks
    live = [d for d in socks if d.vxlan is not None and d.netns.devices.get(d.ifindex) is d]
    if len(live) != len(socks):
        socks[:] = live
    own = [d for d in ns.device_list() if d.vxlan is not None and
           d.vxlan.link_net in (None, ns) and d not in live]
    return live + own


def udp_sockets(ns) -> list[tuple[int, int]]:
    """The kernel's UDP sockets the open vxlan devices of `ns` hold (vxlan_open() ->
    vxlan_sock_add(): one per family and port, shared by every device on it,
    released with the last one's vxlan_stop()), as (family, port): an IPv6 one
    (in6addr_any, IPV6_V6ONLY) for a device with an IPv6 remote, group or local
    (VXLAN_F_IPV6) or one collecting metadata (`external`), an IPv4 one (INADDR_ANY)
    for the others and the metadata ones; the sockets ss and netstat list (recorded:
    `0.0.0.0:4789`, `[::]:4789`). In the order the devices were opened (the dump's
    order is the UDP hash's slots, (port + the namespace's random mix) & mask: two
    ports may come either way)."""
    found: list[tuple[int, int]] = []
    for dev in socket_devices(ns):
        if not dev.admin_up:
            continue
        conf = dev.vxlan
        v6 = default_family(conf) == 6 or conf.external
        for family, on in ((6, v6), (4, not v6 or conf.external)):
            if on and (family, conf.port) not in found:
                found.append((family, conf.port))
    return found


def _route_source(stack, conf: VxlanPriv, dst, lower):
    """vxlan_get_route() / vxlan6_get_route(): the route toward the remote is looked
    up whether or not a local address is configured (recorded: with `local` on lo,
    a flood to remotes nothing routes counts TX errors and carrier errors); the source
    is the local address, else the route's."""
    if conf.local is None:
        return stack.connect_source(dst, lower)
    if lower is not None and not lower.is_up and dst.version == 4:
        raise KernelError(Errno.ENETUNREACH)
    if dst.version == 4 and not stack._local_v4(conf.local) and \
            stack.ns.inet_addr_type_dev_table(None, conf.local) != RTN.LOCAL:
        # ip_route_output_key_hash_rcu(): a saddr that is no address of ours
        # (__ip_dev_find(), the flow has no FLOWI_FLAG_ANYSRC) fails the lookup,
        # which udp_tunnel_dst_lookup() reports as ENETUNREACH (recorded: `local`
        # an address of no device, every flood a TX error and a carrier error;
        # fuzz seed 484005, lead43_vxlan_nonlocal_src)
        raise KernelError(Errno.ENETUNREACH)
    try:
        stack.ns.lookup(dst, oif=lower)
    except KernelError:
        if lower is None or dst.version == 6:
            raise KernelError(Errno.ENETUNREACH) from None
        # ip_route_output_key_hash_rcu(): with an oif a failed lookup is taken as on
        # link (a group of `group G dev DEV` with no multicast route; recorded,
        # fuzz42 seed 521032: the `local` VTEP's floods reach the group)
    return conf.local


def _route_dev(stack, dst, lower) -> NetDevice | None:
    """The device of the route toward the remote (the skb's dst->dev, which an error
    about the packet takes its source from)."""
    try:
        route, _ = stack.ns.lookup(dst, oif=lower)
    except KernelError:
        return lower
    return stack.ns.by_index(route.oif) if route.oif is not None else lower


def _count_sent(dev: NetDevice, frame) -> None:
    """iptunnel_xmit_stats(): a packet, and skb->len less the inner Ethernet header."""
    dev.stats.tx_packets += 1
    dev.stats.tx_bytes += len(frame) - 14


def vxlan_xmit_one(stack, dev: NetDevice, frame, entry: VxlanFdb, md=None) -> None:
    """vxlan_xmit_one() for an IPv4 remote: route (by the lower device when one is
    named) in the socket's namespace (vxlan->net, which may not be the device's),
    source from the configuration or the route, TTL auto is the route's (1 for a
    group), no DF unless asked, the UDP checksum on."""
    from ipemu.kernel import packet as P
    conf = dev.vxlan
    dst = entry.dst
    if is_any(dst):
        dev.stats.tx_dropped += 1
        return
    net = socket_net(dev)
    stack = net.stack
    # vxlan_xmit_one(): the route's oif is the entry's rdst->remote_ifindex (`via`;
    # the device's `dev` only for the entry its remote or group made), so an entry
    # appended without `via` is routed by the tables alone (recorded, fuzz42: no
    # route left to its dst, TX errors and carrier errors, nothing on the lower)
    lower = net.by_index(entry.ifindex) if entry.ifindex else None
    if dst.version == 6:
        if lower is not None and conf.local is not None:
            # ip6_route_output_flags(): an oif is strict (RT6_LOOKUP_F_IFACE) only
            # with no source; with `local` it is a preference (recorded,
            # oracle28b_vxlan_ipv6_underlay: a remote `via` the vxlan itself still
            # leaves by the route's device)
            try:
                stack.ns.lookup(dst, oif=lower)
            except KernelError:
                lower = None
        _xmit_one6(stack, dev, frame, entry, lower)
        return
    try:
        src = _route_source(stack, conf, dst, lower)
        if _route_dev(stack, dst, lower) is dev:
            # udp_tunnel_dst_lookup(): "circular route", -ELOOP: a collision
            raise KernelError(Errno.ELOOP)
    except KernelError as err:
        # no route: vxlan_xmit_one()'s tx_error counts an error (ENETUNREACH: a
        # carrier error too; ELOOP, a route back into the device: a collision),
        # never a packet sent
        dev.stats.tx_errors += 1
        if err.errno == Errno.ENETUNREACH:
            dev.stats.tx_carrier += 1
        elif err.errno == Errno.ELOOP:
            dev.stats.tx_collisions += 1
        return
    path_mtu = stack.route_mtu(dst, lower)
    if check_pmtu(dev, frame, path_mtu - VXLAN_HEADROOM):
        return
    ttl = outer_ttl(conf, frame, dst) or 64      # ip4_dst_hoplimit()
    tos = outer_tos(conf, frame)
    vni = conf.vni
    if md is not None:
        # the tunnel info's key: its TTL (0: the route's) and TOS, its VNI
        ttl, tos, vni = md.ttl or 64, (md.tos or 0) & ~3 | outer_tos(conf, frame) & 3, entry.vni
    port = entry.port or conf.port
    # udp_set_csum(): the checksum left to the device (CHECKSUM_PARTIAL: recorded,
    # `tcpdump -vv` on the veth shows "bad udp cksum" both ways); 0 with noudpcsum
    udp = VxlanUdp(flow_src_port(frame, conf), port,
                   vxlan_header(vni) + frame.to_bytes(), inner=frame,
                   partial=conf.udp_csum, zero_csum=not conf.udp_csum)
    pkt = P.Ipv4(src, dst, P.IPPROTO_UDP, udp, ttl=ttl, tos=tos, id=stack.next_ip_id(),
                 df=_outer_df(conf, frame))
    if pkt.df and P.l3_length(pkt) > path_mtu and not dst.is_multicast:
        # ip_fragment(): DF and too big: a need-to-frag error to ourselves (the
        # outer source is ours), the packet dropped; iptunnel_xmit() counts the
        # failed ip_local_out() as a drop (recorded: TX dropped 1, IpFragFails 1)
        from ipemu.kernel import snmp
        snmp.mib_of(stack).ip["FragFails"] += 1
        stack.icmp_send(pkt, P.ICMP_DEST_UNREACH, P.ICMP_FRAG_NEEDED,
                        _route_dev(stack, dst, lower) or dev, info=path_mtu)
        dev.stats.tx_dropped += 1
        return
    _count_sent(dev, frame)
    stack.ip_output(pkt, oif=lower)


def _xmit_one6(stack, dev: NetDevice, frame, entry: VxlanFdb, lower) -> None:
    """vxlan_xmit_one() for an IPv6 remote (vxlan6_get_route(), udp_tunnel6_xmit_skb()):
    the source configured or chosen for the route, hop limit auto is 64 (1 for a group),
    the configured flow label, the UDP checksum on unless udp6zerocsumtx."""
    from ipemu.kernel import packet as P
    conf = dev.vxlan
    dst = entry.dst
    try:
        src = _route_source(stack, conf, dst, lower)
    except KernelError:
        src = None
    if src is None:
        dev.stats.tx_errors += 1      # no route: vxlan6_get_route() fails, counted
        dev.stats.tx_carrier += 1     # ... as ENETUNREACH
        return
    path_mtu = stack.route_mtu(dst, lower)
    if check_pmtu(dev, frame, path_mtu - VXLAN6_HEADROOM):
        return
    hop_limit = outer_ttl(conf, frame, dst) or 64      # ip6_dst_hoplimit()
    port = entry.port or conf.port
    # udp_tunnel6_xmit_skb(): the checksum left to the device (CHECKSUM_PARTIAL: a
    # capture on the veth shows it bad) unless udp6zerocsumtx; the flow label is the
    # configured one (ip6_flow_hdr(), no automatic label: recorded, none shown)
    udp = VxlanUdp(flow_src_port(frame, conf), port,
                   vxlan_header(conf.vni) + frame.to_bytes(), inner=frame,
                   partial=not conf.udp_zero_csum6_tx, zero_csum=conf.udp_zero_csum6_tx)
    pkt = P.Ipv6(src, dst, P.IPPROTO_UDP, udp, hop_limit=hop_limit, flow_label=conf.label,
                 traffic_class=outer_tos(conf, frame))
    if len(frame) + 56 > path_mtu and not dst.is_multicast:
        # ip6_fragment(): a tunnel's packet (skb_scrub_packet() cleared ignore_df)
        # is never cut: a packet too big to ourselves, the packet dropped, and
        # ip6tunnel_xmit() counts an error (recorded: TX errors 1, no packet)
        stack.icmp6_send(pkt, P.ICMPV6_PKT_TOOBIG, 0, _route_dev(stack, dst, lower) or dev,
                         mtu=path_mtu)
        dev.stats.tx_errors += 1
        return
    _count_sent(dev, frame)
    stack.ip6_output(pkt, oif=lower)


def outer_ttl(conf: VxlanPriv, frame, dst) -> int:
    """vxlan_xmit_one(): `ttl inherit` (VXLAN_F_TTL_INHERIT) copies the inner packet's
    TTL or hop limit (ip_tunnel_get_ttl(); 0 for ARP), else the configured one (1 for
    a group when auto); 0 leaves it to the route (ip4_dst_hoplimit(): 64)."""
    from ipemu.kernel import packet as P
    if conf.ttl_inherit:
        inner = frame.payload
        return inner.ttl if isinstance(inner, P.Ipv4) else \
            inner.hop_limit if isinstance(inner, P.Ipv6) else 0
    return conf.ttl or (1 if dst.is_multicast else 0)


def outer_tos(conf: VxlanPriv, frame) -> int:
    """vxlan_xmit_one(): the configured TOS, or with `tos inherit` the inner packet's
    (ip_tunnel_get_dsfield(); recorded: ping -Q 0x10 leaves in an outer tos 0x10),
    then ip_tunnel_ecn_encap(): the inner ECN bits copied, CE as ECT(0)."""
    from ipemu.kernel import packet as P
    inner = frame.payload
    dsfield = inner.tos if isinstance(inner, P.Ipv4) else \
        inner.traffic_class if isinstance(inner, P.Ipv6) else 0
    tos = dsfield if conf.tos == 1 else conf.tos
    ecn = dsfield & 3
    return (tos & ~3) | (2 if ecn == 3 else ecn)


def _outer_df(conf: VxlanPriv, frame) -> bool:
    """vxlan_xmit_one(): DF on the outer header when `df set`, or with `df inherit`
    for an IPv6 frame or an IPv4 one with DF."""
    from ipemu.kernel import packet as P
    if conf.df == 1:
        return True
    if conf.df == 2:
        inner = frame.payload
        return isinstance(inner, P.Ipv6) or (isinstance(inner, P.Ipv4) and inner.df)
    return False


def check_pmtu(dev: NetDevice, frame, mtu: int) -> bool:
    """skb_tunnel_check_pmtu(): an inner packet larger than the path MTU less the
    headroom teaches its own route that MTU (skb_dst_update_pmtu_no_confirm(): the
    exception `ip route get` shows as `cache expires 599sec mtu 1450`), and goes on.
    On a bridge port (no route of ours to teach) the sender is told instead: an ICMP
    need-to-frag or ICMPv6 packet too big from the inner destination, received back
    on the device (vxlan_encap_bypass()); True then, the frame is not sent."""
    from ipemu.kernel import packet as P
    inner = frame.payload
    if not isinstance(inner, (P.Ipv4, P.Ipv6)) or len(frame) - 14 <= mtu:
        return False
    if not dev.bridge_port:
        dev.netns.update_pmtu(inner.dst, mtu)
        return False
    if isinstance(inner, P.Ipv4) and inner.src in dev.netns.local_addresses():
        # a packet of ours through the bridge still has its route (skb_dst): it
        # learns the MTU too, before the error is built
        dev.netns.update_pmtu(inner.dst, mtu)
    error = _pmtud_icmp(inner, mtu)
    if error is None:
        return False
    reply = P.Frame(bytes(frame.src), bytes(frame.dst), frame.ethertype, error)
    length = len(reply)
    dev.stats.tx_packets += 1           # vxlan_encap_bypass(): the device's tx ...
    dev.stats.tx_bytes += length
    dev.netns.stack.netif_rx(dev, reply, counted=0)
    dev.stats.rx_packets += 1           # ... and rx counts, skb->len with the header
    dev.stats.rx_bytes += length
    return True


def _pmtud_icmp(inner, mtu: int):
    """iptunnel_pmtud_check_icmp() / iptunnel_pmtud_check_icmpv6() and their build
    functions: the error, or None where none is due (a fragment or a datagram without
    DF, broadcast, multicast or loopback ends, an error about an error)."""
    from ipemu.kernel import packet as P
    if isinstance(inner, P.Ipv4):
        from ipemu.kernel.encode import ipv4_bytes
        if mtu < 576 or not inner.df or inner.is_fragment:
            return None
        if int(inner.dst) == 0xFFFFFFFF or inner.dst.is_multicast or \
                int(inner.src) >> 24 in (0, 127) or int(inner.src) == 0xFFFFFFFF or \
                inner.src.is_multicast:
            return None
        if isinstance(inner.payload, P.Icmp) and inner.payload.type not in (
                P.ICMP_ECHO, P.ICMP_ECHOREPLY, 13, 14, 15, 16, 17, 18):
            return None                 # icmp_is_err()
        quoted = ipv4_bytes(inner)[:576 - 20 - 8]
        return P.Ipv4(inner.dst, inner.src, P.IPPROTO_ICMP,
                      P.Icmp(P.ICMP_DEST_UNREACH, P.ICMP_FRAG_NEEDED, quoted=quoted,
                             gateway=mtu), ttl=inner.ttl, tos=0, id=0, df=True)
    from ipemu.kernel.encode import ipv6_bytes
    if mtu < 1280 or inner.src.is_unspecified or inner.src.is_multicast or \
            inner.src.is_loopback or inner.frag_offset:
        return None
    if isinstance(inner.payload, P.Icmp6) and (inner.payload.type < 128 or
                                               inner.payload.type == 137):
        return None                     # icmpv6_is_err(), NDISC_REDIRECT
    quoted = ipv6_bytes(inner)[:1280 - 40 - 8]
    return P.Ipv6(inner.dst, inner.src, P.IPPROTO_ICMPV6,
                  P.Icmp6(P.ICMPV6_PKT_TOOBIG, 0, quoted=quoted, mtu=mtu),
                  hop_limit=inner.hop_limit)


def vxlan_rcv(stack, pkt, iif: NetDevice | None = None) -> bool:
    """vxlan_udp_encap_recv() -> vxlan_rcv(): a datagram to the port of an open vxlan
    device of this namespace with the I flag and its VNI is taken; its source MAC is
    learnt (vxlan_snoop()) and the inner frame received on the device. True when a
    vxlan socket took the datagram."""
    udp = pkt.payload
    devs = [d for d in socket_devices(stack.ns)
            if d.admin_up and d.vxlan.port == udp.dport]
    if not devs:
        return False
    data = udp.data
    if len(data) < VXLAN_HLEN + 14 or not int.from_bytes(data[:4], "big") & VXLAN_HF_VNI:
        return True                        # dropped by the socket's encap handler
    vni = int.from_bytes(data[4:8], "big") >> 8
    dev = next((d for d in devs if d.vxlan.vni == vni), None)
    if dev is None:
        # vxlan_vs_find_vni(): a socket whose device collects metadata (and filters
        # no VNIs) looks up VNI 0 for every VNI: that device takes them all
        dev = next((d for d in devs if d.vxlan.external and not d.vxlan.vnifilter), None)
    inner = getattr(udp, "inner", None)
    if inner is None and dev is not None:
        # a datagram reassembled from the underlay's fragments carries the frame as
        # bytes (vxlan_rcv() reads it from the skb as any other)
        from ipemu.kernel.encode import frame_from_bytes
        inner = frame_from_bytes(bytes(data[VXLAN_HLEN:]))
    if dev is None or inner is None:
        return True
    if bytes(inner.src) == dev.address:
        return True                        # vxlan_set_mac(): our own frame looped
    if dev.vxlan.learning and vxlan_snoop(stack, dev, pkt.src, bytes(inner.src), iif):
        return True
    if getattr(inner.payload, "tun_info", None) is not None:
        inner.payload.tun_info = None       # the sender's TX info stays with the sender
    if dev.vxlan.external and not isinstance(inner.payload, bytes):
        # vxlan_rcv(): the outer addresses and the VNI kept as RX tunnel metadata
        # (udp_tun_rx_dst()), which arp_process() turns into its reply's
        # (iptunnel_metadata_reply())
        from ipemu.kernel.lwtunnel import LwtEncap
        try:
            inner.payload.tun_rx = LwtEncap("ip", id=vni, src=pkt.dst, dst=pkt.src)
        except AttributeError:
            pass
    dev.netns.stack.netif_rx(dev, inner)    # the device's namespace (x-netns)
    return True


def vxlan_snoop(stack, dev: NetDevice, src_ip, mac: bytes,
                iif: NetDevice | None = None) -> bool:
    """vxlan_snoop(): learn where a source MAC lives; a static entry that disagrees
    makes the frame be dropped (True). New entries go first in the list (the 6.18
    kernel's fdb_list, newest first: what `bridge fdb show` prints). An IPv6
    link-local source is learnt with the underlay device it came in on (vxlan_set_mac()
    reads skb->dev's ifindex before eth_type_trans(): recorded `dst fe80::... via eth0
    self`), any other with none."""
    conf = dev.vxlan
    if mac[0] & 1:
        return False
    linklocal = src_ip.version == 6 and src_ip.is_link_local
    src_ifindex = iif.ifindex if linklocal and iif is not None else 0
    entries = find_mac(conf, mac)
    if entries:
        entry = entries[0]
        # the remote must match in address and in remote_ifindex: the source's
        # ifindex is 0 but for an IPv6 link-local source (the underlay device's; where
        # it is not known, those match on the address alone), so an entry made with
        # `via DEV` never matches an IPv4 source, and a static one drops every frame
        # from its MAC (recorded: fuzz42b_vxlan_via_snoop_drop, fuzzer seed 540212)
        if entry.dst == src_ip and (entry.ifindex == src_ifindex or
                                    linklocal and iif is None):
            entry.updated = stack.clock.now
            return False
        if entry.state & (NUD_PERMANENT | NUD_NOARP):
            return True
        entry.dst = src_ip
        entry.updated = stack.clock.now
        return False
    if conf.limit and _addrcnt(conf) >= conf.limit:
        return False            # vxlan_fdb_update_create(): ENOSPC, nothing learnt
    conf.fdb.insert(0, VxlanFdb(mac, src_ip, state=NUD_REACHABLE, updated=stack.clock.now,
                                used=stack.clock.now, ifindex=src_ifindex))
    return False


def _addrcnt(conf: VxlanPriv) -> int:
    """vxlan->addrcnt: the FDB's entries (an entry's extra remotes are not counted)."""
    return len({(e.mac, e.src_vni) for e in conf.fdb})


# ----------------------------------------------------------------- the FDB by hand
def _rdst_equal(entry: VxlanFdb, dst, port: int, vni: int | None, ifindex: int,
                conf: VxlanPriv) -> bool:
    """vxlan_fdb_find_rdst(): address, port, VNI and device all equal."""
    return entry.dst == dst and (entry.port or conf.port) == (port or conf.port) and \
        (entry.vni if entry.vni is not None else conf.vni) == \
        (vni if vni is not None else conf.vni) and entry.ifindex == ifindex


def _fdb_nh_check(dev: NetDevice, nhid: int) -> None:
    """vxlan_fdb_nh_update(): the id must name an fdb nexthop group whose family is
    the device's default remote's."""
    obj = dev.netns.nexthops.get(nhid) if dev.netns is not None else None
    if obj is None:
        raise KernelError(Errno.EINVAL, "Nexthop id does not exist")
    if not obj.fdb:
        raise KernelError(Errno.EINVAL, "Nexthop is not a fdb nexthop")
    if not obj.group:
        raise KernelError(Errno.EINVAL, "Nexthop is not a multipath group")
    members = [dev.netns.nexthops.get(m) for m, _ in obj.group]
    has_v4 = any(m is not None and m.family == 4 for m in members)
    # default_dst.remote_ip's family: the remote's, else the local address's
    remote = dev.vxlan.remote if dev.vxlan.remote is not None else dev.vxlan.local
    v6 = getattr(remote, "version", 4) == 6
    if has_v4 == v6:
        raise KernelError(Errno.EAFNOSUPPORT, "Nexthop group family not supported")


def fdb_nh_flush(ns, ids: set[int]) -> None:
    """vxlan_fdb_nh_flush() on NEXTHOP_EVENT_DEL: the entries using a deleted group go."""
    for dev in ns.device_list():
        conf = dev.vxlan
        if conf is not None and any(row.nhid in ids for row in conf.fdb):
            conf.fdb[:] = [row for row in conf.fdb if row.nhid not in ids]


def default_family(conf: VxlanPriv) -> int:
    """default_dst.remote_ip's family: the remote's (or group's), else the local
    address's, else IPv4 (vxlan_config_validate(): "Unless IPv6 is explicitly
    requested, assume IPv4")."""
    for addr in (conf.remote, conf.local):
        if isinstance(addr, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            return addr.version
    return 4


# ndm_flags (include/uapi/linux/neighbour.h) and vxlan_private.h's own bit
NTF_USE, NTF_SELF, NTF_MASTER, NTF_EXT_LEARNED, NTF_STICKY, NTF_ROUTER = \
    0x01, 0x02, 0x04, 0x10, 0x40, 0x80
NTF_VXLAN_ADDED_BY_USER = 0x100


def fdb_add(dev: NetDevice, mac: bytes, dst, state: int, flags, port: int = 0,
            vni: int | None = None, ifindex: int = 0, router: bool = False,
            src_vni: int = 0, nhid: int = 0, ntf: int | None = None) -> None:
    """vxlan_fdb_add() -> vxlan_fdb_update(): a state and a destination (or an fdb
    nexthop group: NDA_NH_ID) are required; an existing entry refuses EXCL, has its
    first remote replaced (unicast only) or one appended (zero and multicast MACs
    only); a new one needs CREATE, goes first. `ntf` is the request's ndm_flags: the
    entry keeps them (less NTF_USE) with NTF_VXLAN_ADDED_BY_USER (vxlan_fdb_alloc()'s
    f->flags), and vxlan_fdb_info() gives them back (`self master`, `extern_learn`)."""
    from ipemu.kernel.requests import NLM_F
    conf = dev.vxlan
    if not state & (NUD_PERMANENT | NUD_REACHABLE) or dst is None and not nhid:
        raise KernelError(Errno.EINVAL)
    if dst is not None and dst.version != default_family(conf):
        # vxlan_fdb_add(): a remote of the other family than the device's default
        # destination (recorded: `dst 192.0.2.2` on a vxlan with an IPv6 local)
        raise KernelError(Errno.EAFNOSUPPORT)
    if nhid:
        _fdb_nh_check(dev, nhid)
    port = 0 if port == conf.port else port
    vni = None if vni == conf.vni else vni
    rows = find_mac(conf, mac, src_vni)
    unicast = not mac[0] & 1 and mac != ALL_ZEROS_MAC
    now = dev.netns.clock.now if dev.netns is not None else 0.0
    # vxlan_fdb_alloc(): a new entry is updated and used now
    # vxlan_fdb_alloc(): f->key.vni = src_vni, which on a device without
    # collect-metadata is the default VNI unless NDA_SRC_VNI names another (recorded
    # on 6.18: `src_vni 5` on vni 42 makes an entry no later add, del or transmit finds)
    key_vni = src_vni if conf.external else (0 if src_vni in (0, conf.vni) else src_vni)
    if ntf is None:
        ntf = NTF_SELF | (NTF_ROUTER if router else 0)
    fdb_flags = (ntf | NTF_VXLAN_ADDED_BY_USER) & ~NTF_USE
    router = bool(fdb_flags & NTF_ROUTER)
    new = VxlanFdb(mac, dst, state=state, port=port, vni=vni, ifindex=ifindex, router=router,
                   updated=now, used=now, src_vni=key_vni,
                   nhid=nhid or None, ntf=fdb_flags)
    if rows:
        if flags & NLM_F.EXCL:
            raise KernelError(Errno.EEXIST)
        # vxlan_fdb_update_existing(): what changes is notified, and the entry (all its
        # remotes) is updated now
        changed = any(row.state != state for row in rows)
        if flags & NLM_F.REPLACE:
            if not unicast:
                raise KernelError(Errno.EOPNOTSUPP,
                                  "Cannot replace non-unicast fdb entries")
            changed |= (rows[0].dst, rows[0].port, rows[0].vni, rows[0].ifindex) != \
                (dst, port, vni, ifindex)
            rows[0].dst, rows[0].port, rows[0].vni, rows[0].ifindex = dst, port, vni, ifindex
        elif flags & NLM_F.APPEND and not unicast:
            if not any(_rdst_equal(r, dst, port, vni, ifindex, conf) for r in rows):
                new.used = rows[0].used
                conf.fdb.insert(conf.fdb.index(rows[-1]) + 1, new)
                rows.append(new)
                changed = True
        # "Do not allow an externally learned entry to take over an entry added by
        # the user": state and flags change only otherwise
        if not (fdb_flags & NTF_EXT_LEARNED and rows[0].ntf & NTF_VXLAN_ADDED_BY_USER):
            changed |= any(row.ntf != fdb_flags for row in rows)
            for row in rows:
                row.state, row.ntf, row.router = state, fdb_flags, router
        for row in rows:
            if changed:
                row.updated = now
        return
    if not flags & NLM_F.CREATE:
        raise KernelError(Errno.ENOENT)
    if flags & NLM_F.REPLACE and not unicast:
        # vxlan_fdb_update_create(): "Disallow replace to add a multicast entry" (or
        # the all-zeros one), no message (recorded, fuzz42: `bridge fdb replace
        # ff:ff:ff:ff:ff:ff dev vx0 dst ...` with no such entry)
        raise KernelError(Errno.EOPNOTSUPP)
    if conf.limit and _addrcnt(conf) >= conf.limit:
        # vxlan_fdb_create(): `maxaddress` entries at most, the default one among
        # them (recorded: maxaddress 2 takes one more, then No space left on device)
        raise KernelError(Errno.ENOSPC)
    conf.fdb.insert(0, new)


def fdb_delete(dev: NetDevice, mac: bytes, dst, port: int = 0, vni: int | None = None,
               ifindex: int = 0, src_vni: int = 0) -> None:
    """vxlan_fdb_delete() -> __vxlan_fdb_delete(): one remote when a destination is
    named (none matching: nothing happens), else the whole entry."""
    conf = dev.vxlan
    rows = find_mac(conf, mac, src_vni)
    if not rows:
        raise KernelError(Errno.ENOENT)
    if dst is not None and not dst.is_unspecified:
        port = 0 if port == conf.port else port
        vni = None if vni == conf.vni else vni
        match = [r for r in rows if _rdst_equal(r, dst, port, vni, ifindex, conf)]
        if not match:
            return
        if len(rows) > 1:
            conf.fdb.remove(match[0])
            return
    for row in rows:
        conf.fdb.remove(row)


def fdb_cacheinfo(dev: NetDevice, mac: bytes, now: float) -> tuple[int, int] | None:
    """vxlan_fdb_info()'s NDA_CACHEINFO: ndm_used and ndm_updated in clock_t, the
    entry's (its first remote's: every remote of an entry shares its times)."""
    from ipemu.kernel.bridge import clock_t_since
    rows = find_mac(dev.vxlan, mac) if dev.vxlan is not None else []
    if not rows:
        return None
    return clock_t_since(now, rows[0].used), clock_t_since(now, rows[0].updated)


def _ntf_fields(row: VxlanFdb) -> dict:
    """vxlan_fdb_info(): ndm_flags = fdb->flags (a u8: NTF_VXLAN_ADDED_BY_USER falls
    off)."""
    ntf = row.ntf
    return {"self_flag": bool(ntf & NTF_SELF), "router": bool(ntf & NTF_ROUTER),
            "ext_learned": bool(ntf & NTF_EXT_LEARNED), "sticky": bool(ntf & NTF_STICKY),
            "master_flag": bool(ntf & NTF_MASTER)}


def fdb_dump(ns: "NetNamespace") -> list:
    """RTM_GETNEIGH (PF_BRIDGE) of the vxlan devices: vxlan_fdb_dump() ->
    vxlan_fdb_info(), a message per remote; the port and VNI only when they differ
    from the device's, the via device when one is set."""
    from ipemu.kernel.records import FdbMsg
    out = []
    for dev in ns.device_list():
        conf = dev.vxlan
        if conf is None:
            continue
        # vxlan_fdb_info(): NDA_LINK_NETNSID when vxlan->net is not the device's
        net = socket_net(dev)
        nsid = ns.peer_id(net, alloc=True) if net is not ns else None
        for row in conf.fdb:
            if row.nhid is not None:
                # vxlan_fdb_info(): NDA_NH_ID in place of the remote's attributes
                out.append(FdbMsg(dev.ifindex, row.mac, None, row.state, link_netnsid=nsid,
                                  nhid=row.nhid, **_ntf_fields(row)))
                continue
            out.append(FdbMsg(dev.ifindex, row.mac, row.dst, row.state, **_ntf_fields(row),
                              port=row.port if row.port and row.port != conf.port else None,
                              vni=row.vni if row.vni is not None and row.vni != conf.vni
                              else None,
                              via=row.ifindex or None, link_netnsid=nsid,
                              # vxlan_fdb_info(): NDA_SRC_VNI on a metadata device
                              src_vni=row.src_vni if conf.external and row.src_vni
                              else None))
    return out


# ---------------------------------------------------------------- vnifilter
# drivers/net/vxlan/vxlan_vnifilter.c: RTM_NEWTUNNEL/RTM_DELTUNNEL change the VNI list
# of a `vnifilter` device (an entry is a VNI or a range, with a group or remote),
# RTM_GETTUNNEL dumps it (consecutive VNIs with one remote as a range, or each with
# its counters)

@dataclass(frozen=True)
class TunnelMsg:
    """An RTM_NEWTUNNEL message of the dump (family AF_BRIDGE): the device and its
    VXLAN_VNIFILTER_ENTRY attributes as (start, end, remote, stats): end 0 for a
    single VNI, remote None when it is any, stats the eight counters or None."""

    ifindex: int
    entries: tuple


def _vnifilter_dev(ns: "NetNamespace", ifindex: int, not_vxlan: str) -> NetDevice:
    dev = ns.by_index(ifindex)
    if dev is None:
        raise KernelError(Errno.ENODEV)
    if dev.vxlan is None:
        raise KernelError(Errno.EINVAL, not_vxlan)
    return dev


def vnifilter_process(ns: "NetNamespace", ifindex: int, delete: bool,
                      entries: tuple) -> None:
    """vxlan_vnifilter_process(): each entry (start, end, group) in order, each VNI of
    a range in turn; the first failure ends the request, what went before stays (an
    entry with neither start nor end, a multicast group on a device without a lower
    device, a VNI to delete that is not there). An end below the start is no VNI."""
    dev = _vnifilter_dev(ns, ifindex, "vxlan: The device is not a vxlan device")
    conf = dev.vxlan
    if not conf.vnifilter:
        raise KernelError(Errno.EOPNOTSUPP)
    for start, end, group in entries:
        if not start and not end:
            raise KernelError(Errno.EINVAL, "vni start nor end found in vni entry")
        for vni in range(start, (end or start) + 1):
            at = next((i for i, (v, _) in enumerate(conf.vnis) if v == vni), None)
            if delete:
                if at is None:
                    raise KernelError(Errno.ENOENT)
                _default_fdb(conf, vni, conf.vnis[at][1], None)
                del conf.vnis[at]
                continue
            if group is not None and group.is_multicast and not conf.link:
                raise KernelError(Errno.EINVAL,
                                  "Local interface required for multicast remote group")
            if at is not None:
                _default_fdb(conf, vni, conf.vnis[at][1], group)
                conf.vnis[at] = (vni, group)        # vxlan_vni_update(): a new remote
            else:
                _default_fdb(conf, vni, None, group)
                conf.vnis.append((vni, group))
                conf.vnis.sort(key=lambda entry: entry[0])


def _default_fdb(conf: VxlanPriv, vni: int, old, new) -> None:
    """vxlan_update_default_fdb_entry() as the recording kernel does it: a VNI's
    remote is a remote of the all-zeros entry of that VNI (src_vni and vni both the
    VNI, PERMANENT|REACHABLE; a new entry first in the list, a new remote appended to
    the entry); a remote replaced stays (recorded: the old one is still listed), and
    the VNI's delete (`new` None) takes only its current remote."""
    if old == new:
        return
    rows = [e for e in conf.fdb if e.mac == ALL_ZEROS_MAC and e.src_vni == vni]
    if new is not None and not new.is_unspecified:
        entry = VxlanFdb(ALL_ZEROS_MAC, new, vni=vni, ifindex=conf.link, src_vni=vni)
        if rows:
            if not any(e.dst == new for e in rows):
                conf.fdb.insert(conf.fdb.index(rows[-1]) + 1, entry)
        else:
            conf.fdb.insert(0, entry)
    elif new is None and old is not None:
        conf.fdb[:] = [e for e in conf.fdb if not (
            e.mac == ALL_ZEROS_MAC and e.src_vni == vni and e.dst == old)]


def vnifilter_dump(ns: "NetNamespace", ifindex: int, stats: bool) -> list[TunnelMsg]:
    """vxlan_vnifilter_dump(): one device (its ifindex; EINVAL for a device that is not
    a vxlan or has no vnifilter) or every vnifilter vxlan with VNIs, in ifindex order."""
    if ifindex:
        dev = _vnifilter_dev(ns, ifindex, "The device is not a vxlan device")
        if not dev.vxlan.vnifilter:
            raise KernelError(Errno.EINVAL)
        devices = [dev]
    else:
        devices = [d for d in ns.device_list() if d.vxlan is not None and d.vxlan.vnifilter]
    out = []
    for dev in devices:
        entries: list = []
        for vni, remote in dev.vxlan.vnis:
            shown = None if remote is None or remote.is_unspecified else remote
            if stats:
                entries.append((vni, 0, shown, (0,) * 8))
            elif entries and vni == entries[-1][1] + 1 and remote == entries[-1][3]:
                entries[-1] = (entries[-1][0], vni, shown, remote)
            else:
                entries.append((vni, vni, shown, remote))
        if not stats:
            # vnifilter_fill_entry(): END only for a range
            entries = [(s, e if e != s else 0, shown, None) for s, e, shown, _ in entries]
        if entries:
            out.append(TunnelMsg(dev.ifindex, tuple(entries)))
    return out
