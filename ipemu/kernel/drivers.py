"""The drivers' rtnl_link_ops: how each kind of device checks a link request before
anything is made (->validate), makes its device (->newlink) and changes its own data
later (->changelink). drivers/net/veth.c, drivers/net/dummy.c, net/bridge/br_netlink.c,
net/8021q/vlan_netlink.c, drivers/net/macvlan.c; the generic steps around them are in rtnetlink.py."""
from __future__ import annotations

from collections.abc import Callable

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.link_watch import veth_carrier_off
from ipemu.kernel.mcast import mc_sync
from ipemu.kernel.br_mdb import br_multicast_toggle
from ipemu.kernel.netdev import (ETH_P_8021AD, ETH_P_8021Q, KINDS, MACVLAN_FLAG_NODST,
                                 MACVLAN_FLAG_NOPROMISC, MACVLAN_MODE_BRIDGE,
                                 MACVLAN_MODE_PASSTHRU, MACVLAN_MODE_PRIVATE,
                                 MACVLAN_MODE_SOURCE, MACVLAN_MODE_VEPA, MacvlanPriv, NetDevice,
                                 own_list)
from ipemu.kernel.requests import LinkRequest, MacvlanData, VethData, VlanData
from ipemu.kernel.bond import bond_changelink, bond_enslave, bond_newlink, bond_release, \
    bond_validate
from ipemu.kernel.ip_tunnel import (TUNNEL_KINDS, kind_loaded, tunnel_changelink,
                                    tunnel_newlink, tunnel_validate)
from ipemu.kernel.ipvlan import ipvlan_changelink, ipvlan_newlink, ipvlan_validate
from ipemu.kernel.vrf import vrf_add_slave, vrf_del_slave, vrf_newlink, vrf_validate
from ipemu.kernel.vxlan import vxlan_changelink, vxlan_newlink, vxlan_validate
from ipemu.plainclass import dataclass, replace

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.kernel.netns import NetNamespace

ETH_ALEN = 6
ETH_MIN_MTU = 68
ETH_MAX_MTU = 65535
VLAN_VID_MASK = 0xFFF
VLAN_FLAGS = ("reorder_hdr", "gvrp", "mvrp", "loose_binding", "bridge_binding")


def is_valid_ether_addr(mac: bytes) -> bool:
    """Neither multicast nor all zeroes (<linux/etherdevice.h>)."""
    return not mac[0] & 1 and mac != bytes(len(mac))


def eth_validate(req: LinkRequest, extack: str | None = None) -> None:
    """The IFLA_ADDRESS check dummy_validate(), br_validate() and veth_validate() share."""
    if req.address is not None:
        if len(req.address) != ETH_ALEN:
            raise KernelError(Errno.EINVAL, extack)
        if not is_valid_ether_addr(req.address):
            raise KernelError(Errno.EADDRNOTAVAIL, extack)


def br_validate(req: LinkRequest) -> None:
    """br_policy (the IFLA_INFO_DATA parse before br_validate()): IFLA_BR_GROUP_ADDR is
    NLA_BINARY of at most ETH_ALEN bytes (a longer one fails the policy, a shorter one
    is br_changelink()'s EINVAL); then br_validate()'s address check."""
    data = req.linkinfo.data if req.linkinfo is not None else None
    group = dict(getattr(data, "options", ())).get("group_address")
    if group is not None and len(group.split(":")) > ETH_ALEN:
        raise KernelError(Errno.EINVAL, "Attribute failed policy validation")
    eth_validate(req)


def veth_validate(req: LinkRequest) -> None:
    """veth_validate(): the address, and an MTU is_valid_veth_mtu() accepts."""
    eth_validate(req)
    if req.mtu is not None and not ETH_MIN_MTU <= req.mtu <= ETH_MAX_MTU:
        raise KernelError(Errno.EINVAL)


def vlan_validate(req: LinkRequest) -> None:
    """vlan_validate(): address, then the VLAN data (protocol, id)."""
    eth_validate(req, "8021q: Invalid link address")
    data = req.linkinfo.data if req.linkinfo is not None else None
    if not isinstance(data, VlanData):
        raise KernelError(Errno.EINVAL, "8021q: VLAN properties not specified")
    if data.protocol is not None and data.protocol not in (ETH_P_8021Q, ETH_P_8021AD):
        raise KernelError(Errno.EPROTONOSUPPORT, "8021q: Invalid VLAN protocol")
    if data.id is not None and data.id >= VLAN_VID_MASK:
        raise KernelError(Errno.ERANGE, "8021q: Invalid VLAN id")


def dev_validate_mtu(kind: str, mtu: int) -> None:
    """dev_validate_mtu(): the driver's limits (max 0: none)."""
    info = KINDS[kind]
    if mtu < info.min_mtu:
        raise KernelError(Errno.EINVAL, "mtu less than device minimum")
    if info.max_mtu > 0 and mtu > info.max_mtu:
        raise KernelError(Errno.EINVAL, "mtu greater than device maximum")


def alloc_name(ns: "NetNamespace", name: str | None, kind: str) -> str:
    """dev_alloc_name(): no name given means "KIND%d", the lowest free number."""
    if name is not None:
        # dev_get_valid_name(): a name with '%' is a pattern (dev_alloc_name_ns())
        if "%" not in name:
            return name
        from ipemu.kernel.dev import dev_valid_name
        return ns._alloc_name_pattern(name) if dev_valid_name(name) else name
    n = 0
    while ns.by_name(f"{kind}{n}") is not None:
        n += 1
    return f"{kind}{n}"


def _created(dev: NetDevice, req: LinkRequest) -> NetDevice:
    """What rtnl_create_link() sets from the request besides MTU and address."""
    if req.txqlen is not None:
        dev.txqlen = req.txqlen & 0xFFFFFFFF
    if req.group is not None:
        dev.group = req.group
    if req.broadcast is not None:
        dev.broadcast = req.broadcast
    # rtnl_create_link(): the GSO/GRO limits asked for (validate_linkmsg() checked
    # them against the new device's: not modelled at creation)
    set_gso_limits(dev, req)
    if req.num_tx_queues is not None or req.num_rx_queues is not None:
        # alloc_netdev_mqs() with IFLA_NUM_TX_QUEUES / IFLA_NUM_RX_QUEUES; tx queues
        # asked for are all real ones (veth_init_queues() keeps them)
        from ipemu.plainclass import replace
        dev.info = replace(dev.info, numtxqueues=req.num_tx_queues or dev.info.numtxqueues,
                           numrxqueues=req.num_rx_queues or dev.info.numrxqueues,
                           real_numtxqueues=req.num_tx_queues or dev.info.real_numtxqueues,
                           real_numrxqueues=req.num_rx_queues or dev.info.real_numrxqueues)
    return dev


# the peers' KindInfo by (the info, real tx queues, real rx queues): one record
# shared by every peer of that shape (a copy a peer was ~0.5 KB of 10,000 pairs'
# memory); bounded, past the bound a record is made afresh
_PEER_INFOS: dict = {}


def _peer_info(info, real_tx: int, real_rx: int):
    key = (info, real_tx, real_rx)
    found = _PEER_INFOS.get(key)
    if found is None:
        from ipemu.plainclass import replace
        found = replace(info, real_numtxqueues=real_tx, real_numrxqueues=real_rx)
        if len(_PEER_INFOS) < 256:
            _PEER_INFOS[key] = found
    return found


def check_queues(req: LinkRequest) -> None:
    """rtnl_create_link(): 1 to 4096 queues each way."""
    if req.num_tx_queues is not None and not 1 <= req.num_tx_queues <= 4096:
        raise KernelError(Errno.EINVAL, "Invalid number of transmit queues")
    if req.num_rx_queues is not None and not 1 <= req.num_rx_queues <= 4096:
        raise KernelError(Errno.EINVAL, "Invalid number of receive queues")


def veth_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """veth_newlink(): the peer is made, registered and configured first (in its own
    namespace, or the caller's); without peer data it takes the device's own
    attributes but name and address. The device is registered last; if that fails
    the peer goes again."""
    data = req.linkinfo.data
    if isinstance(data, VethData):
        peer_req = data.peer
        veth_validate(peer_req)
        if peer_req.addrgenmode is not None:
            # the peer's IFLA_AF_SPEC, as the device's own on a link being made: no
            # inet6_dev for it yet (recorded on 6.18: `peer name eth3 ... addrgenmode
            # eui64` is EAFNOSUPPORT, and nothing is made)
            raise KernelError(Errno.EAFNOSUPPORT)
        peer_ns = ns.resolve_netns(peer_req) or ns
        peer_name, peer_address = peer_req.ifname, peer_req.address
    else:
        peer_req, peer_ns, peer_name, peer_address = req, dest, None, None
    if peer_req.mtu is not None:
        dev_validate_mtu("veth", peer_req.mtu)
    check_queues(peer_req)
    # veth_newlink(): the peer's own ifi_index is taken only when the device's own
    # was given too (`if (ifmp && (dev->ifindex != 0))`: recorded)
    peer_ifindex = peer_req.ifindex if peer_req is not req and peer_req.ifindex > 0 \
        and req.ifindex > 0 else None
    peer = peer_ns.create_device(alloc_name(peer_ns, peer_name, "veth"), "veth",
                                 address=peer_address, mtu=peer_req.mtu, announce=False,
                                 ifindex=peer_ifindex)
    _created(peer, peer_req)
    # veth_newlink() calls veth_init_queues(peer, tb) with the device's own
    # attributes: the peer keeps all its queues real only where the device's own
    # numtxqueues/numrxqueues were given (recorded: `ip link add c0 type veth peer
    # name c1 numrxqueues 3` lists rx-0 alone under c1/queues)
    info = peer.info
    real_tx = info.numtxqueues if req.num_tx_queues is not None else 1
    real_rx = info.numrxqueues if req.num_rx_queues is not None else 1
    if (real_tx, real_rx) != (info.real_numtxqueues, info.real_numrxqueues):
        peer.info = _peer_info(info, real_tx, real_rx)
    peer_ns.announce_netconf(peer)
    try:
        # rtnl_configure_link(peer): veth_open() of a device without its peer yet
        if peer_req is not req:
            peer_ns.configure_flags(peer, peer_req.ifi_flags, peer_req.ifi_change)
        if peer_req is not req and peer_req.ifi_change & 1 and peer_req.ifi_flags & 1:
            raise KernelError(Errno.ENOTCONN)
        peer_ns.notify_link(peer)
        dev = dest.create_device(alloc_name(dest, req.ifname, "veth"), "veth",
                                 address=req.address, mtu=req.mtu, announce=False)
    except KernelError:
        peer_ns.unregister(peer, notify_link=False)
        raise
    _created(dev, req)
    dev.peer, peer.peer = peer, dev
    # register_netdevice()'s NETDEV_REGISTER: the device's netconf messages first
    dest.announce_netconf(dev)
    if peer_ns is not dest:
        # rtnl_configure_link(dev)'s message (rtnl_fill_link_netnsid()) gives the peer's
        # namespace an id in the device's (RTM_NEWNSID after the netconf ones,
        # recorded: ip monitor all); the peer's own message went out before the
        # two were tied, so its namespace names the device's only when it next fills
        # a message about the peer (a dump, a change)
        dest.peer_id(peer_ns, alloc=True)
    veth_carrier_off(dest, peer, dev)
    return dev


def dummy_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    dev = dest.create_device(alloc_name(dest, req.ifname, "dummy"), "dummy",
                             address=req.address, mtu=req.mtu, announce=False)
    dest.announce_netconf(_created(dev, req))
    return dev


def ifb_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """ifb's rtnl_link_ops (drivers/net/ifb.c): no options (iproute2 has no parse_opt
    for it and drops any words), "ifb%d" when unnamed."""
    dev = dest.create_device(alloc_name(dest, req.ifname, "ifb"), "ifb",
                             address=req.address, mtu=req.mtu, announce=False)
    dest.announce_netconf(_created(dev, req))
    return dev


def br_dev_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """br_dev_newlink(): register, then br_changelink()'s STP settings; for the VLAN
    filtering a kernel without it refuses."""
    conf: dict = {}
    try:
        if req.linkinfo is not None:
            # br_changelink() after register: a refused option unregisters the bridge
            opts = dict(getattr(req.linkinfo.data, "options", ()))
            opts.pop("fdb_flush", None)         # a new bridge has nothing to flush
            br_set_options(conf, opts, _br_vlan_refusal(ns, req))
        _br_vlan_check(ns, req)
    except KernelError:
        # ... and the index register_netdevice() gave it is not handed out again
        # (recorded: each refused `type bridge` moves the next device's ifindex on)
        dest._new_ifindex()
        raise
    dev = dest.create_device(alloc_name(dest, req.ifname, "bridge"), "bridge",
                             address=req.address, mtu=req.mtu, announce=False)
    dev.br_conf = conf
    if req.linkinfo is not None and \
            "mcast_querier" in dict(getattr(req.linkinfo.data, "options", ())):
        from ipemu.kernel.br_mdb import br_set_querier
        br_set_querier(dev, dest.clock.now)     # br_multicast_set_querier()
    dest.announce_netconf(_created(dev, req))
    from ipemu.kernel.bridge import _bridge_entries, fdb_notify
    own = [m for m in _bridge_entries(dev, None) if m.mac == dev.address]
    for msg in own:
        # the bridge's own local entry, told of as it is made (RTM_NEWNEIGH of
        # PF_BRIDGE after the netconf ones); IFLA_ADDRESS's br_stp_change_bridge_id()
        # -> br_fdb_change_mac_address() then deletes and makes it again (recorded,
        # fuzz38_monitor_bridge_fdb)
        fdb_notify(dest, msg)
        if req.address is not None:
            fdb_notify(dest, msg, deleted=True)
            fdb_notify(dest, msg)
    if req.address is not None:
        # br_dev_newlink(): IFLA_ADDRESS -> br_stp_change_bridge_id() on the new
        # bridge, down and without ports
        dest.br_id_changed_down(dev)
    from ipemu.kernel.br_stp import br_stp_changed
    br_stp_changed(dev)
    _br_stp_selection(dest, dev)
    from ipemu.kernel.bridge import fdb_stamp_locals
    fdb_stamp_locals(dev)           # the bridge's own address: its first local entry
    return dev


def vlan_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """vlan_newlink(): id and lower device required, then vlan_check_real_dev() and
    the lower device's MTU as the limit (add_vlan); vlan_changelink() sets the flags
    and priority maps."""
    data: VlanData = req.linkinfo.data
    lower = None
    if req.link is not None:
        lower = ns.by_index(req.link)
        if lower is None and data.id is not None:
            raise KernelError(Errno.ENODEV, "8021q: link does not exist")
    dev = dest.add_vlan(alloc_name(dest, req.ifname, "vlan"), lower, data.id,
                        data.protocol if data.protocol is not None else ETH_P_8021Q,
                        address=req.address, mtu=req.mtu, announce=False)
    vlan_changelink(dest, dev, req)
    dest.announce_netconf(_created(dev, req))
    return dev


def vlan_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """vlan_changelink(): flags (kept in the order vlan_fill_info() reports them) and
    the priority maps."""
    data = req.linkinfo.data
    if not isinstance(data, VlanData):
        return
    flags = dev.vlan.flags
    for flag, on in data.flags:
        name = flag.upper()
        if on and name not in flags:
            flags.append(name)
        elif not on and name in flags:
            flags.remove(name)
    flags.sort(key=lambda f: VLAN_FLAGS.index(f.lower()))
    if data.ingress_qos:
        dev.vlan.ingress_qos = list(data.ingress_qos)
    if data.egress_qos:
        dev.vlan.egress_qos = list(data.egress_qos)


def _br_stp_selection(ns: "NetNamespace", dev: NetDevice) -> None:
    """br_stp_start() with kernel STP ends in br_port_state_selection(), which finds no
    live port on a bridge without ports: its carrier goes off, up or down, and stays
    off when STP stops (recorded, fuzz38_bridge_stp_carrier)."""
    stp = dev.br_stp
    if stp is None or not stp.on() or dev.ports or dev.br_selected:
        return
    dev.br_selected = True
    if not dev.admin_up:
        ns.br_id_changed_down(dev)      # the carrier it was registered with goes off
    elif dev.carrier:
        ns._set_carrier(dev, ns._bridge_carrier(dev))


def br_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """br_changelink(): the STP settings are kept (and reported), in the kernel's
    order; STP itself (port states, timers) and the other options are not simulated."""
    snooping = dev.br_conf.get("mcast_snooping", 1) == 1
    prio = dev.br_conf.get("priority", 0x8000)
    options = dict(getattr(req.linkinfo.data, "options", ()))
    flush = options.pop("fdb_flush", None) is not None
    try:
        br_set_options(dev.br_conf, options, _br_vlan_refusal(ns, req))
        _br_vlan_check(ns, req)
        if flush:
            # IFLA_BR_FDB_FLUSH: br_fdb_flush() with flags_mask BR_FDB_STATIC, every
            # entry but the static and local ones (recorded:
            # fuzz44_br_fdb_flush, seed 560322)
            from ipemu.kernel.bridge import br_fdb_flush_dynamic
            br_fdb_flush_dynamic(ns, dev)
    finally:
        from ipemu.kernel.bridge import br_set_bridge_priority
        br_set_bridge_priority(dev, prio)
        if "mcast_querier" in options:
            from ipemu.kernel.br_mdb import br_set_querier
            br_set_querier(dev, ns.clock.now)     # br_multicast_set_querier()
        br_multicast_toggle(ns, dev, snooping)     # what was set before a refusal stays
    if "ageing_time" in options:
        from ipemu.kernel.bridge import br_fdb_cleanup
        br_fdb_cleanup(ns, dev)
    mc_sync(ns, dev)        # br_multicast_toggle(): the snoopers joined or left
    from ipemu.kernel.br_stp import br_stp_changed
    br_stp_changed(dev)
    _br_stp_selection(ns, dev)
    ns._notify_link(dev)


def br_sysfs_store(ns: "NetNamespace", dev: NetDevice, key: str, value: int) -> None:
    """store_bridge_parm() (br_sysfs_br.c): a bridge/ file's value through the same
    setters as br_changelink() (clock_t units too), then netdev_state_change()."""
    snooping = dev.br_conf.get("mcast_snooping", 1) == 1
    prio = dev.br_conf.get("priority", 0x8000)
    br_set_options(dev.br_conf, {key: str(value)})
    from ipemu.kernel.bridge import br_set_bridge_priority
    br_set_bridge_priority(dev, prio)
    if key == "mcast_querier":
        from ipemu.kernel.br_mdb import br_set_querier
        br_set_querier(dev, ns.clock.now)     # br_multicast_set_querier()
    br_multicast_toggle(ns, dev, snooping)
    if key == "ageing_time":
        from ipemu.kernel.bridge import br_fdb_cleanup
        br_fdb_cleanup(ns, dev)
    mc_sync(ns, dev)
    from ipemu.kernel.br_stp import br_stp_changed
    br_stp_changed(dev)
    _br_stp_selection(ns, dev)
    ns._notify_link(dev)


def br_set_options(conf: dict, options: dict, vlan_refusal: KernelError | None = None
                   ) -> None:
    """The STP, forwarding and multicast parts of br_changelink(), on a bridge's
    br_conf, in its order: a value refused stops it there, the ones before it stay
    set. `vlan_refusal`: what IFLA_BR_VLAN_FILTERING meets on a kernel without it."""
    for key in BR_CHANGELINK_ORDER:
        if key == "vlan_filtering":
            if vlan_refusal is not None:
                raise vlan_refusal
            continue
        if key == "group_address":
            if options.get(key) is not None:
                conf["group_address"] = _br_group_addr(options[key])
            continue
        value = _c_number(options.get(key))
        if value is None:
            continue
        if key == "group_fwd_mask":
            if value & BR_GROUPFWD_RESTRICTED:
                raise KernelError(Errno.EINVAL)
            conf[key] = value & 0xFFFF
            continue
        if key.startswith("nf_call_") or key == "no_linklocal_learn":
            # br_opt_toggle(.., !!val); IFLA_BR_MULTI_BOOLOPT's BR_BOOLOPT_NO_LL_LEARN
            conf[key] = 1 if value else 0
            continue
        if key.startswith("mcast_") and key != "mcast_snooping":
            _br_set_mcast(conf, key, value)
            continue
        stp = conf.get("stp_state", 0)
        if key in BR_RANGES or key == "ageing_time":
            # br_set_forward_delay(), br_set_hello_time(), br_set_max_age(),
            # br_set_ageing_time(): clock_t_to_jiffies(), the range checked in
            # jiffies, kept in jiffies and shown through jiffies_to_clock_t(): at
            # HZ 250 an odd value comes back one lower (ageing_time 5 shows 4)
            jiffies = value * HZ // 100
            if key in BR_RANGES and (key != "forward_delay" or stp) and not \
                    BR_RANGES[key][0] * HZ // 100 <= jiffies <= BR_RANGES[key][1] * HZ // 100:
                raise KernelError(Errno.ERANGE)
            value = jiffies * 100 // HZ
        if key == "stp_state":
            value = 1 if value else 0           # br_stp_set_enabled(): BR_KERNEL_STP
            if value:                           # br_stp_start(): forward_delay into range
                low, high = BR_RANGES["forward_delay"]
                conf["forward_delay"] = min(max(conf.get("forward_delay", 1500), low), high)
        if key == "mcast_snooping":
            value = 1 if value else 0           # br_multicast_toggle(): !!val
        conf[key] = value & 0xFFFF if key == "priority" else value


def _c_number(text: str | None) -> int | None:
    """The value ip sent: its get_u32(.., 0) read the word as C's strtoul() with base
    0 does (0x hex, a leading 0 octal)."""
    if not text:
        return None
    try:
        if text[:2].lower() == "0x":
            return int(text[2:], 16)
        return int(text, 8) if text[0] == "0" else int(text) if text.isdigit() else None
    except ValueError:
        return None


# br_changelink()'s IFLA_BR_* in the order it applies them (the ones ipemu keeps)
BR_CHANGELINK_ORDER = (
    "forward_delay", "hello_time", "max_age", "ageing_time", "stp_state", "priority",
    "vlan_filtering", "group_fwd_mask", "group_address", "mcast_router", "mcast_snooping",
    "mcast_query_use_ifaddr", "mcast_querier",
    "mcast_hash_elasticity", "mcast_hash_max", "mcast_last_member_count",
    "mcast_startup_query_count", "mcast_last_member_interval", "mcast_membership_interval",
    "mcast_querier_interval", "mcast_query_interval", "mcast_query_response_interval",
    "mcast_startup_query_interval", "mcast_stats_enabled", "mcast_igmp_version",
    "mcast_mld_version", "nf_call_iptables", "nf_call_ip6tables", "nf_call_arptables",
    "no_linklocal_learn")
# br_private.h: the link-local groups a bridge never forwards (STP, MAC pause, LACP)
BR_GROUPFWD_RESTRICTED = 0x7


def _br_group_addr(text: str) -> bytes:
    """br_changelink()'s IFLA_BR_GROUP_ADDR: six bytes (ll_addr_a2n() sends what was
    typed), a link-local 01:80:c2:00:00:0X group but the pause, slow-protocols and
    PAE addresses (X 1, 2, 3); anything else EINVAL."""
    try:
        addr = bytes(int(part, 16) for part in text.split(":"))
    except ValueError:
        raise KernelError(Errno.EINVAL) from None
    if len(addr) != 6 or addr[:5] != b"\x01\x80\xc2\x00\x00" or addr[5] & 0xF0 \
            or addr[5] in (1, 2, 3):
        raise KernelError(Errno.EINVAL)
    return addr
_MCAST_BOOLS = ("mcast_query_use_ifaddr", "mcast_querier", "mcast_stats_enabled")
_MCAST_VERSIONS = {"mcast_igmp_version": (2, 3), "mcast_mld_version": (1, 2)}
# br_multicast_set_query_intvl(), br_multicast_set_startup_query_intvl(): at least 1 s
# (msecs_to_jiffies(1000)), at most a day
_MCAST_INTVL_BOUNDS = {"mcast_query_interval": (250, 86400 * 250),
                       "mcast_startup_query_interval": (250, 86400 * 250)}
HZ = 250                # the oracle's kernel: 3124 for startup_query_interval's 31.25 s


def _br_set_mcast(conf: dict, key: str, value: int) -> None:
    """br_changelink()'s IFLA_BR_MCAST_*: routers 0-2 (br_multicast_set_router()),
    IGMP 2-3 and MLD 1-2 (br_multicast_set_igmp_version()/..._mld_version()), flags as
    !!val, hash_elasticity only warned about (always RHT_ELASTICITY, 16), intervals
    through clock_t_to_jiffies() and back (jiffies_to_clock_t()) as sysfs shows them."""
    if key == "mcast_router":
        if value not in (0, 1, 2):
            raise KernelError(Errno.EINVAL)
    elif key in _MCAST_VERSIONS:
        if value not in _MCAST_VERSIONS[key]:
            raise KernelError(Errno.EINVAL)
    elif key in _MCAST_BOOLS:
        value = 1 if value else 0
    elif key == "mcast_hash_elasticity":
        return
    elif key.endswith("_interval"):
        jiffies = value * HZ // 100
        low, high = _MCAST_INTVL_BOUNDS.get(key, (0, None))
        jiffies = max(jiffies, low) if high is None else min(max(jiffies, low), high)
        value = jiffies * 100 // HZ
    else:
        value &= 0xFFFFFFFF
    conf[key] = value


# br_private.h BR_MIN/MAX_* in clock_t (centiseconds); forward_delay only with STP on
BR_RANGES = {"forward_delay": (200, 3000), "hello_time": (100, 1000), "max_age": (600, 4000)}


def _br_vlan_refusal(ns: "NetNamespace", req: LinkRequest) -> KernelError | None:
    """br_changelink(): IFLA_BR_VLAN_FILTERING goes to br_vlan_filter_toggle(), which a
    kernel built without CONFIG_BRIDGE_VLAN_FILTERING answers EOPNOTSUPP (recorded:
    any value; br_dev_newlink() then unregisters the new bridge)."""
    data = req.linkinfo.data if req.linkinfo is not None else None
    if ns.kernel.get("bridge_vlan_filtering", True) or \
            "vlan_filtering" not in dict(getattr(data, "options", ())):
        return None
    return KernelError(Errno.EOPNOTSUPP)


def _br_vlan_check(ns: "NetNamespace", req: LinkRequest) -> None:
    """br_changelink()'s last step, IFLA_BR_MULTI_BOOLOPT: multicast VLAN snooping
    needs VLAN filtering, never on in a kernel without it."""
    data = req.linkinfo.data if req.linkinfo is not None else None
    options = dict(getattr(data, "options", ()))
    if ns.kernel.get("bridge_vlan_filtering", True):
        return
    if _c_number(options.get("mcast_vlan_snooping")):
        # br_boolopt_multi_toggle() -> br_multicast_toggle_vlan_snooping(): VLAN
        # filtering is never on here
        raise KernelError(Errno.EINVAL, "bridge: Cannot enable multicast vlan snooping "
                          "with vlan filtering disabled")


MACVLAN_MODES = (MACVLAN_MODE_PRIVATE, MACVLAN_MODE_VEPA, MACVLAN_MODE_BRIDGE,
                 MACVLAN_MODE_PASSTHRU, MACVLAN_MODE_SOURCE)


def macvlan_validate(req: LinkRequest) -> None:
    """macvlan_validate(): the address, known flags, a known mode."""
    eth_validate(req)
    data = req.linkinfo.data if req.linkinfo is not None else None
    if not isinstance(data, MacvlanData):
        return
    if data.flags is not None and data.flags & ~(MACVLAN_FLAG_NOPROMISC | MACVLAN_FLAG_NODST):
        raise KernelError(Errno.EINVAL)
    if data.mode is not None and data.mode not in MACVLAN_MODES:
        raise KernelError(Errno.EINVAL)
    if data.macaddr is not None:
        # IFLA_MACVLAN_MACADDR (the last one given): six bytes of a unicast address
        if len(data.macaddr) != 6:
            raise KernelError(Errno.EINVAL)
        if not is_valid_ether_addr(data.macaddr):
            raise KernelError(Errno.EADDRNOTAVAIL)
    if any(not is_valid_ether_addr(mac) for mac in data.macaddr_data):
        raise KernelError(Errno.EADDRNOTAVAIL)      # `macaddr set`'s list too (recorded)


def macvlan_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """macvlan_common_newlink(): a lower device is required (a macvlan's own lower when
    one is named), the MTU is the lower's or at most it, a passthru port takes no other
    macvlan and a passthru macvlan takes the lower's MAC; registered, linked to its
    port, and the lower's operstate copied (netif_stacked_transfer_operstate())."""
    from ipemu.kernel.macvlan import port_passthru
    kind = req.linkinfo.kind
    data = req.linkinfo.data if isinstance(req.linkinfo.data, MacvlanData) else MacvlanData()
    if req.link is None:
        raise KernelError(Errno.EINVAL)
    lower = ns.by_index(req.link)
    if lower is None:
        raise KernelError(Errno.ENODEV)
    if lower.macvlan is not None:
        lower = lower.lower
    mtu = lower.mtu if req.mtu is None else req.mtu
    if mtu > lower.mtu:
        raise KernelError(Errno.EINVAL)
    if lower.info.link_type != "ether" or lower.kind == "loopback":
        raise KernelError(Errno.EINVAL)          # macvlan_port_create()
    if not lower.macvlans and (lower.master is not None and lower.master.kind == "bridge"
                               or lower.ipvlan_port is not None
                               or lower.bond_slave is not None):
        # ... netdev_is_rx_handler_busy(): a bridge port's, ipvlan port's or bond
        # slave's handler is there already
        raise KernelError(Errno.EBUSY)
    if port_passthru(lower):
        raise KernelError(Errno.EINVAL)
    mode = data.mode if data.mode is not None else MACVLAN_MODE_VEPA
    address = req.address
    if mode == MACVLAN_MODE_PASSTHRU:
        if lower.macvlans:
            raise KernelError(Errno.EINVAL)
        address = lower.address                  # eth_hw_addr_inherit()
    # macvlan_common_newlink(): IFLA_MACVLAN_MACADDR_MODE only in source mode, its
    # change made before the device is registered (a refusal leaves nothing)
    if data.macaddr_mode is not None and mode != MACVLAN_MODE_SOURCE:
        raise KernelError(Errno.EINVAL)
    priv = MacvlanPriv(mode, data.flags or 0,
                       data.bc_queue_len if data.bc_queue_len is not None else 1000)
    if data.macaddr_mode is not None:
        macvlan_changelink_sources(priv, data)
    dev = dest.create_device(alloc_name(dest, req.ifname, kind), kind, address=address,
                             mtu=mtu, announce=False)
    dev.lower = lower
    dev.macvlan = priv
    if kind == "macvtap":
        priv.tap_minor = tap_get_minor(ns, dest)
    # macvlan_common_newlink(): "MTU range: 68 - lowerdev->max_mtu" (over an ifb, whose
    # ifb_setup() leaves max_mtu 0, a macvlan has no upper bound: `maxmtu 0`, recorded)
    if dev.info.max_mtu != lower.info.max_mtu:
        dev.info = replace(dev.info, max_mtu=lower.info.max_mtu)
    dev.tso_max_size = lower.tso_max_size
    dev.carrier = lower.carrier
    # netif_stacked_transfer_operstate() before register: a carrier-off not counted,
    # so the first change counted is the lower's carrier coming on
    dev.carrier_first_up = not lower.carrier
    if not lower.macvlans:
        lower.macvlan_perm_addr = lower.address     # macvlan_port_create()
    own_list(lower, "macvlans").append(dev)
    # macvlan_common_newlink(): netdev_upper_dev_link() -> NETDEV_CHANGEUPPER, whose
    # RTM_NEWLINK of the lower comes before the new device's own (recorded)
    lower.netns.notify_link(lower)
    dest.announce_netconf(_created(dev, req))
    return dev


def tap_get_minor(*namespaces) -> int:
    """tap_get_minor(): idr_alloc(&minor_idr, q, 1, TAP_NUM_DEVS), the lowest minor no
    macvtap in any namespace holds (macvtap_device_event(NETDEV_REGISTER); the
    NETDEV_UNREGISTER of a deleted one frees its minor for the next)."""
    seen = {id(ns): ns for ns in namespaces}
    host = getattr(namespaces[0], "host", None)
    for ns in getattr(host, "namespaces", {}).values():
        seen.setdefault(id(ns), ns)
    used = {dev.macvlan.tap_minor for ns in seen.values() for dev in ns.device_list()
            if dev.kind == "macvtap" and dev.macvlan is not None}
    minor = 1
    while minor in used:
        minor += 1
    return minor


def macvlan_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """macvlan_changelink(): no way into or out of passthru mode."""
    data = req.linkinfo.data
    if not isinstance(data, MacvlanData):
        return
    priv = dev.macvlan
    if data.mode is not None:
        if (data.mode == MACVLAN_MODE_PASSTHRU) != (priv.mode == MACVLAN_MODE_PASSTHRU):
            raise KernelError(Errno.EINVAL)
        priv.mode = data.mode
    if data.flags is not None:
        priv.flags = data.flags
    if data.bc_queue_len is not None:
        priv.bc_queue_len = data.bc_queue_len
    if data.macaddr_mode is not None:
        if priv.mode != MACVLAN_MODE_SOURCE:
            raise KernelError(Errno.EINVAL)
        macvlan_changelink_sources(priv, data)


MACVLAN_MACADDR_ADD, MACVLAN_MACADDR_DEL, MACVLAN_MACADDR_FLUSH, MACVLAN_MACADDR_SET = range(4)


def macvlan_changelink_sources(priv, data: MacvlanData) -> None:
    """macvlan_changelink_sources(): add (an address already there is no error), del
    (a missing one neither), flush, or set (flush, then the address and the list)."""
    mode, addr = data.macaddr_mode, data.macaddr
    if mode in (MACVLAN_MACADDR_ADD, MACVLAN_MACADDR_DEL) and addr is None:
        raise KernelError(Errno.EINVAL)
    if mode == MACVLAN_MACADDR_ADD:
        _add_source(priv, addr)
    elif mode == MACVLAN_MACADDR_DEL:
        if addr in priv.sources:
            priv.sources.remove(addr)
    elif mode in (MACVLAN_MACADDR_FLUSH, MACVLAN_MACADDR_SET):
        priv.sources.clear()
        if mode == MACVLAN_MACADDR_SET:
            for mac in ((addr,) if addr is not None else ()) + tuple(data.macaddr_data):
                _add_source(priv, mac)
    else:
        raise KernelError(Errno.EINVAL)


def _add_source(priv, addr: bytes) -> None:
    """macvlan_hash_add_source(): once per address."""
    if addr not in priv.sources:
        priv.sources.append(addr)


def macvlan_source_order(sources: list) -> list:
    """macvlan_fill_info_macaddr(): the port's source hash walked bucket by bucket
    (macvlan_eth_hash(): hash_64() of the address read as a little-endian u64 shifted
    up 16 bits, 8 bits kept), each bucket newest first (hlist_add_head_rcu())."""
    def bucket(mac: bytes) -> int:
        value = (int.from_bytes(mac, "little") << 16) & 0xFFFFFFFFFFFFFFFF
        return ((value * 0x61C8864680B583EB) & 0xFFFFFFFFFFFFFFFF) >> 56
    return [mac for _, _, mac in sorted((bucket(mac), -i, mac)
                                        for i, mac in enumerate(sources))]


def tun_validate(req: LinkRequest) -> None:
    """tun_validate(): tun/tap devices are made through /dev/net/tun only."""
    raise KernelError(Errno.EOPNOTSUPP, "tun/tap creation via rtnetlink is not supported.")


@dataclass(frozen=True)
class LinkOps:
    """struct rtnl_link_ops: what one kind's driver does with a link request."""

    kind: str
    validate: Callable[[LinkRequest], None]
    newlink: Callable
    changelink: Callable | None = None
    module_load: Callable | None = None    # a module with pernet devices to load first


@dataclass(frozen=True)
class MasterOps:
    """ndo_add_slave / ndo_del_slave of a master kind other than the bridge."""

    add_slave: Callable
    del_slave: Callable


MASTER_OPS = {
    "vrf": MasterOps(vrf_add_slave, vrf_del_slave),
    "bond": MasterOps(bond_enslave, bond_release),
}

LINK_OPS = {
    "veth": LinkOps("veth", veth_validate, veth_newlink),
    "dummy": LinkOps("dummy", eth_validate, dummy_newlink),
    "ifb": LinkOps("ifb", eth_validate, ifb_newlink),
    "bridge": LinkOps("bridge", br_validate, br_dev_newlink, br_changelink),
    "vlan": LinkOps("vlan", vlan_validate, vlan_newlink, vlan_changelink),
    "macvlan": LinkOps("macvlan", macvlan_validate, macvlan_newlink, macvlan_changelink),
    "macvtap": LinkOps("macvtap", macvlan_validate, macvlan_newlink, macvlan_changelink),
    "tun": LinkOps("tun", tun_validate, None),
    "vxlan": LinkOps("vxlan", vxlan_validate, vxlan_newlink, vxlan_changelink),
    "vrf": LinkOps("vrf", vrf_validate, vrf_newlink),
    "bond": LinkOps("bond", bond_validate, bond_newlink, bond_changelink),
    "ipvlan": LinkOps("ipvlan", ipvlan_validate, ipvlan_newlink, ipvlan_changelink),
    "ipvtap": LinkOps("ipvtap", ipvlan_validate, ipvlan_newlink, ipvlan_changelink),
    **{kind: LinkOps(kind, tunnel_validate, tunnel_newlink, tunnel_changelink, kind_loaded)
       for kind in TUNNEL_KINDS},
}


def set_gso_limits(dev, req: LinkRequest) -> None:
    """netif_set_gso_max_size(), netif_set_gso_max_segs(), netif_set_gro_max_size():
    the limits a request asks for (no notification of their own)."""
    if req.gso_max_size is not None:
        dev.gso_max_size = req.gso_max_size
    if req.gso_max_segs is not None:
        dev.gso_max_segs = req.gso_max_segs
    if req.gro_max_size is not None:
        dev.gro_max_size = req.gro_max_size
