"""`ip link` lines (iproute2 ipaddress.c print_linkinfo and friends), text and JSON."""
from __future__ import annotations


from ipemu.kernel import Later
from ipemu.kernel.netdev import IFF
from ipemu.kernel.records import BridgeInfo, BridgePortInfo, LinkMsg, Stats64
from ipemu.plainclass import dataclass, field, replace
from ipemu.render.printer import Printer

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only
    from ipemu.kernel.records_kinds import MacvlanInfo, TunInfo, VlanInfo, VxlanInfo

# the kinds' `-d` details, loaded by the first that prints them
print_kind_opts = Later("ipemu.render.link_kinds", "print_kind_opts", globals())
print_slave_opts = Later("ipemu.render.link_kinds", "print_slave_opts", globals())

# print_link_flags(): the order iproute2 prints flag names in
FLAG_ORDER = ("LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI",
              "PROMISC", "MASTER", "SLAVE", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL",
              "NOTRAILERS", "UP", "LOWER_UP", "DORMANT", "ECHO")
_FLAG_BITS = tuple((name, int(IFF[name])) for name in FLAG_ORDER)
_UP, _RUNNING, _POINTOPOINT = int(IFF.UP), int(IFF.RUNNING), int(IFF.POINTOPOINT)

GROUP_NAMES = {0: "default"}


@dataclass
class ShowOptions:
    """The global options and filters that change how links and addresses print."""

    family: int = 0          # 0 any, 4, 6, 17 (link only: AF_PACKET)
    details: int = 0
    stats: int = 0
    oneline: bool = False
    brief: bool = False
    do_link: bool = False
    group: bool = True       # profile: print "group NAME"
    reduced_header: bool = False  # the IPv6 link dump: no qdisc, master, group
    showqueue: bool = True   # filter.showqueue: set by show, not by `ip monitor`
    human: int = 0           # -h: statistics through print_num()
    iec: bool = False
    numeric: bool = False    # -N: rtnl_group_n2a() prints the number


def mac_text(mac: bytes) -> str:
    """ll_addr_n2a()'s "%02x" bytes joined by colons."""
    if mac.__class__ is bytes:
        return mac.hex(":")
    return ":".join(f"{b:02x}" for b in mac)


# <linux/if_arp.h>: the ARPHRD_* number of each name arphrd_names[] prints (-N: "[N]")
ARPHRD_NUMBER = {"ether": 1, "loopback": 772, "none": 0xFFFE, "void": 0xFFFF, "ipip": 768,
                 "tunnel6": 769, "sit": 776, "gre": 778, "gre6": 823}


def ll_addr_text(addr: bytes, link_type: str) -> str:
    """ll_addr_n2a(): an IP tunnel's 4-byte address is its endpoint, dotted."""
    if len(addr) == 4 and link_type in ("gre", "ipip", "sit"):
        return ".".join(str(b) for b in addr)
    return mac_text(addr)


@dataclass
class LinkCache:
    """What iproute2 keeps beside a dump: ll_map (ifindex → the last link record seen:
    name and flags, lib/ll_map.c) and netns_map (nsid → the name under /run/netns).
    Printers read names here, never from the kernel."""

    links: dict[int, LinkMsg] = field(default_factory=dict)
    netns: dict[int, str] = field(default_factory=dict)

    def remember(self, msg: LinkMsg, deleted: bool = False) -> None:
        """ll_remember_index(): an index it knows keeps its name (iproute2 6.1 only
        rehashes a renamed entry) and takes the new flags."""
        known = self.links.get(msg.ifindex)
        if deleted:
            self.links.pop(msg.ifindex, None)
        elif known is not None:
            self.links[msg.ifindex] = replace(msg, ifname=known.ifname)
        else:
            self.links[msg.ifindex] = msg

    def name(self, ifindex: int) -> str:
        """ll_index_to_name(): `ifN` for an index it does not know."""
        msg = self.links.get(ifindex)
        return msg.ifname if msg is not None else f"if{ifindex}"

    def flags(self, ifindex: int) -> IFF:
        msg = self.links.get(ifindex)
        return msg.flags if msg is not None else IFF(0)


def name_and_link(msg: LinkMsg, cache: LinkCache) -> tuple[str, str | None, bool]:
    """print_name_and_link() (lib/utils.c): `name@link` (a veth's peer, a VLAN's lower
    device; `@NONE` for a veth without a peer yet), `@ifN` for a link in another
    namespace, and the M-DOWN mark when the linked device is not UP. Returns the text,
    the JSON `link` value (None: not printed) and M-DOWN."""
    if msg.link is None:
        return msg.ifname, None, False
    if msg.link == 0:
        return f"{msg.ifname}@NONE", None, False
    if msg.link_netnsid is not None:
        return f"{msg.ifname}@if{msg.link}", None, False
    link = cache.name(msg.link)
    # an index this namespace does not have (the IPv6 link dump's peer elsewhere) is
    # `ifN`, without M-DOWN (recorded)
    known = msg.link in cache.links
    return f"{msg.ifname}@{link}", link, known and not cache.flags(msg.link) & IFF.UP


def print_flags(p: Printer, flags: IFF, mdown: bool) -> None:
    names = []
    bits = int(flags)       # plain ints: a flag class's `&` is a call a bit
    if bits & _UP and not bits & _RUNNING:
        names.append("NO-CARRIER")
    for name, bit in _FLAG_BITS:
        if bits & bit:
            names.append(name)
    if mdown:
        names.append("M-DOWN")
    p.open_array("flags")
    p.fp("<%s> ", ",".join(names))
    for name in names:
        p.any(None, None, name)
    p.close_array()


def oper_state_color(operstate: str) -> str | None:
    """oper_state_color(): UP green, DOWN red, the others plain."""
    return {"UP": "up", "DOWN": "down"}.get(operstate)


def print_link(p: Printer, msg: LinkMsg, cache: LinkCache, opts: ShowOptions,
               deleted: bool = False) -> None:
    """print_linkinfo(): the link part of `ip link show` / `ip address show` / monitor."""
    if opts.reduced_header and msg.link is not None:
        # inet6_fill_ifinfo() sends IFLA_LINK only when it differs from the device's own
        # index, and no IFLA_LINK_NETNSID: a peer elsewhere is named by its index here
        # (recorded: `eth0` for an eth0 whose peer is index 2 too in its namespace)
        msg = replace(msg, link=None if msg.link == msg.ifindex else msg.link,
                      link_netnsid=None)
    name, peer_name, mdown = name_and_link(msg, cache)
    if deleted:
        p.any("deleted", "Deleted ", True)      # before the brief form too
    if opts.brief:
        # print_linkinfo_brief() names the link as print_name_and_link() does
        if peer_name is not None:
            p.js("link", peer_name)
        elif msg.link == 0:
            p.js("link", None)
        elif msg.link_netnsid is not None:
            p.js("link_index", msg.link)
        p.color_any("ifname", None, "%-16s ", name)
        p.js("ifname", msg.ifname)
        p.color_any(oper_state_color(msg.operstate), "operstate", "%-14s ", msg.operstate)
        if opts.family == 17:
            if msg.address:             # no IFLA_ADDRESS for a device without one
                p.color_any("mac", "address", "%s ", ll_addr_text(msg.address, msg.link_type))
            print_flags(p, msg.flags, mdown)
            p.fp("\n")
        return
    p.any("ifindex", "%d: ", msg.ifindex)
    if peer_name is not None:
        p.js("link", peer_name)
    elif msg.link == 0:
        p.js("link", None)
    elif msg.link_netnsid is not None:
        p.js("link_index", msg.link)
    p.color_any("ifname", None, "%s: ", name)     # print_name_and_link()
    p.js("ifname", msg.ifname)
    print_flags(p, msg.flags, mdown)
    p.any("mtu", "mtu %u ", msg.mtu)
    v6_dump = opts.reduced_header
    if not v6_dump:
        if msg.qdisc is not None:       # no IFLA_QDISC in an AF_BRIDGE message
            p.any("qdisc", "qdisc %s ", msg.qdisc)
        if msg.master is not None:
            p.any("master", "master %s ", cache.name(msg.master))
    p.fp("state ")
    p.color_any(oper_state_color(msg.operstate), "operstate", "%s ", msg.operstate)
    if opts.do_link:
        # link_modes[] (ipaddress.c): a mode past them prints as a number
        modes = ("DEFAULT", "DORMANT", "TESTING")
        mode = modes[msg.link_mode] if msg.link_mode < len(modes) else str(msg.link_mode)
        p.any("linkmode", "mode %s ", mode)
    if not v6_dump and opts.group and msg.group is not None:
        group = str(msg.group) if opts.numeric else GROUP_NAMES.get(msg.group, str(msg.group))
        p.any("group", "group %s ", group)
    if msg.event is not None:
        p.any("event", "event %s ", msg.event)       # IFLA_EVENT (link_events[])
    qlen = _signed32(msg.txqlen)
    if qlen and opts.showqueue:
        p.any("txqlen", "qlen %d", qlen)
    if opts.family in (0, 17) or opts.details:
        p.nl()
        # ll_type_n2a(): -N prints dev->type as "[N]" instead of arphrd_names[]'s name
        link_type = f"[{ARPHRD_NUMBER.get(msg.link_type, 1)}]" if opts.numeric \
            else msg.link_type
        p.any("link_type", "    link/%s ", link_type)
        if msg.address:                 # dev->addr_len 0 (a tun): neither is sent
            p.color_any("mac", "address", "%s", ll_addr_text(msg.address, msg.link_type))
            if msg.broadcast is None or v6_dump:
                pass                    # no IFLA_BROADCAST (br_fill_ifinfo(),
                                        # inet6_fill_ifinfo())
            elif int(msg.flags) & _POINTOPOINT:
                p.fp(" peer ")
                p.js("link_pointtopoint", True)
            else:
                p.fp(" brd ")
            if msg.broadcast is not None and not v6_dump:
                p.color_any("mac", "broadcast", "%s",
                            ll_addr_text(msg.broadcast, msg.link_type))
    if msg.link_netnsid is not None and not opts.reduced_header:
        if p.is_json:
            p.js("link_netnsid", msg.link_netnsid)
        else:
            ns_name = cache.netns.get(msg.link_netnsid)
            p.fp(" link-netns %s" % ns_name if ns_name else " link-netnsid %d" % msg.link_netnsid)
    if msg.new_netnsid is not None:
        # print_linkinfo(): the name get_name_from_nsid() finds in the netns map (one
        # an `ip monitor all` learned from the NSID message before), else the id;
        # both PRINT_FP only, as is new-ifindex (nothing in JSON)
        ns_name = cache.netns.get(msg.new_netnsid)
        p.fp(" new-netns %s" % ns_name if ns_name else " new-netnsid %d" % msg.new_netnsid)
    if msg.new_ifindex is not None:
        p.fp(" new-ifindex %d" % msg.new_ifindex)
    if msg.proto_down:
        # print_linkinfo(): IFLA_PROTO_DOWN, sent by drivers that can go proto down
        p.any("proto_down", " protodown on ", True)
    if v6_dump or msg.family == 7:
        # inet6_fill_ifinfo() sends only the name, address, MTU, link, operstate and
        # its IFLA_PROTINFO: -d finds nothing more to print (recorded: `ip -6 -d addr`);
        # br_fill_ifinfo() (AF_BRIDGE) no more than that and the master (recorded:
        # `ip -d monitor link`, fuzz46_monitor_brport_details, seed 580017)
        return
    if opts.details:
        print_details(p, msg, cache, opts)
    if (opts.do_link or opts.details) and msg.ifalias is not None:
        # print_linkinfo(): IFLA_IFALIAS on a line of its own
        p.nl()
        p.any("ifalias", "    alias %s", msg.ifalias)
    if opts.do_link and opts.stats:
        p.nl()
        print_stats(p, msg.stats, opts.stats, opts.human, opts.iec)
    if msg.altnames:
        # print_linkinfo(): IFLA_PROP_LIST, an `altname` line each
        p.open_array("altnames")
        for name in msg.altnames:
            p.nl()
            p.fp("    altname ")
            p.any(None, "%s", name)
        p.close_array()


def _signed32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def print_details(p: Printer, msg: LinkMsg, cache: LinkCache, opts: ShowOptions) -> None:
    p.any("promiscuity", " promiscuity %u ", msg.promiscuity)
    p.any("allmulti", " allmulti %u ", msg.allmulti)
    p.any("min_mtu", "minmtu %u ", msg.min_mtu)
    p.any("max_mtu", "maxmtu %u ", msg.max_mtu)
    if msg.kind is not None or msg.slave_kind is not None:
        p.open_object("linkinfo")
        if msg.kind is not None:
            p.nl()
            p.any("info_kind", "    %s ", msg.kind)
            if isinstance(msg.info_data, BridgeInfo):
                p.open_object("info_data")
                print_bridge_opts(p, msg.info_data)
                p.close_object()
            elif msg.info_data is not None:
                p.open_object("info_data")
                _print_info_data(p, msg.info_data, cache)
                p.close_object()
        if msg.slave_kind is not None:
            p.nl()
            # print_linktype(): the text says "%s_slave", JSON the kernel's kind as is
            p.fp("    %s ", msg.slave_kind)
            p.js("info_slave_kind", msg.slave_kind.removesuffix("_slave"))
            p.open_object("info_slave_data")
            if isinstance(msg.slave_data, BridgePortInfo):
                print_bridge_port_opts(p, msg.slave_data, cache)
            else:
                print_slave_opts(p, msg.slave_data, cache)
            p.close_object()
        p.close_object()
    if opts.do_link and msg.addrgenmode is not None:
        p.any("inet6_addr_gen_mode", "addrgenmode %s ", msg.addrgenmode)
    p.any("num_tx_queues", "numtxqueues %u ", msg.num_tx_queues)
    p.any("num_rx_queues", "numrxqueues %u ", msg.num_rx_queues)
    p.any("gso_max_size", "gso_max_size %u ", msg.gso_max_size)
    p.any("gso_max_segs", "gso_max_segs %u ", msg.gso_max_segs)
    p.any("tso_max_size", "tso_max_size %u ", msg.tso_max_size)
    p.any("tso_max_segs", "tso_max_segs %u ", 65535)
    p.any("gro_max_size", "gro_max_size %u ", msg.gro_max_size)


def _print_info_data(p: Printer, info: object, cache: LinkCache) -> None:
    """The IFLA_INFO_DATA of a kind other than a bridge (records_kinds.py's records,
    loaded with the first of them a link carried)."""
    from ipemu.kernel.records_kinds import MacvlanInfo, TunInfo, VlanInfo, VxlanInfo
    if isinstance(info, VlanInfo):
        print_vlan_opts(p, info)
    elif isinstance(info, MacvlanInfo):
        print_macvlan_opts(p, info)
    elif isinstance(info, VxlanInfo):
        print_vxlan_opts(p, info, cache)
    elif isinstance(info, TunInfo):
        print_tun_opts(p, info)
    else:
        print_kind_opts(p, info, cache)


VLAN_PROTOCOLS = {0x8100: "802.1Q", 0x88A8: "802.1ad"}


def print_vlan_opts(p: Printer, info: VlanInfo) -> None:
    """vlan_print_opt() of iproute2's ip/iplink_vlan.c (the kernel always sends the
    flags; the QoS maps only when they hold mappings)."""
    p.any("protocol", "protocol %s ", VLAN_PROTOCOLS[info.protocol])
    p.any("id", "id %u ", info.id)
    flags = info.flags
    p.open_array("flags")
    p.fp("<")
    for i, flag in enumerate(flags):
        p.any(None, "%s," if i < len(flags) - 1 else "%s", flag)
    p.fp("> ")
    p.close_array()
    for key, name, mappings in (("ingress_qos", "ingress-qos-map", info.ingress_qos),
                                ("egress_qos", "egress-qos-map", info.egress_qos)):
        if not mappings:
            continue
        p.open_array(key)
        p.nl()
        p.fp("      %s { ", name)
        for low, high in mappings:
            p.open_object()
            p.any("from", None, low)
            p.any("to", None, high)
            p.close_object()
            p.fp("%u:%u ", low, high)
        p.close_array()
        p.fp("} ")


MACVLAN_MODE_NAMES = {1: "private", 2: "vepa", 4: "bridge", 8: "passthru", 16: "source"}


def print_macvlan_opts(p: Printer, info: MacvlanInfo) -> None:
    """macvlan_print_opt() of iproute2 6.1's ip/iplink_macvlan.c."""
    p.any("mode", "mode %s ", MACVLAN_MODE_NAMES.get(info.mode, "unknown"))
    if info.flags & 1:
        p.any("nopromisc", "nopromisc ", True)
    if info.flags & 2:
        p.any("nodst", "nodst ", True)
    p.any("bcqueuelen", "bcqueuelen %u ", info.bc_queue_len)
    p.any("usedbcqueuelen", "usedbcqueuelen %u ", info.bc_queue_len_used)
    # in source mode, the count of remote MACs after the queue lengths
    if info.mode == 16 and info.macaddr_count is not None:
        p.any("macaddr_count", "remotes (%d) ", info.macaddr_count)
        if info.macaddr_count:      # IFLA_MACVLAN_MACADDR_DATA: sent when not empty
            p.open_array("macaddr_data")
            for mac in info.macaddr_data:
                p.any(None, "%s ", mac.hex(":"))
            p.close_array()


def _id_names(key: str) -> dict[int, str]:
    """getpwuid()/getgrgid() of the simulated host: the default profile's /etc/passwd
    or /etc/group (Debian's base-passwd: every profile's), read when first needed."""
    from ipemu.profiles import load
    table = {}
    for line in load()[key].splitlines():
        fields = line.split(":")
        if len(fields) > 2 and fields[2].isdigit():
            table.setdefault(int(fields[2]), fields[0])
    return table


_ID_NAMES: dict[str, dict[int, str]] = {}


def id_name(key: str, value: int) -> str | None:
    """The user (key "etc_passwd") or group ("etc_group") named by a number."""
    if key not in _ID_NAMES:
        _ID_NAMES[key] = _id_names(key)
    return _ID_NAMES[key].get(value)


def _no(p: Printer, key: str, text: str, value: bool) -> None:
    """The [no]FLAG words of vxlan_print_opt(): a boolean in JSON."""
    if p.is_json:
        p.js(key, value)
    else:
        p.fp("%s%s ", "" if value else "no", text)


def print_vxlan_opts(p: Printer, info: VxlanInfo, cache: LinkCache) -> None:
    """vxlan_print_opt() of iproute2 6.1's ip/iplink_vxlan.c."""
    if info.external:
        p.any("external", "external ", True)
    if info.vnifilter:
        # print_bool(.., "vnifilter", ..): no blank after it (`vnifilterid 0`)
        p.any("vnifilter", "vnifilter", True)
    p.any("id", "id %u ", info.vni)
    if info.remote is not None and not info.remote.is_unspecified:
        six = "6" if info.remote.version == 6 else ""
        key = "group" if info.remote.is_multicast else "remote"
        p.any(key + six, key + " %s ", str(info.remote))
    if info.local is not None and not info.local.is_unspecified:
        p.any("local6" if info.local.version == 6 else "local", "local %s ", str(info.local))
    if info.link:
        p.any("link", "dev %s ", cache.name(info.link))
    if p.is_json:
        p.open_object("port_range")
        p.js("low", info.port_range[0])
        p.js("high", info.port_range[1])
        p.close_object()
    else:
        p.fp("srcport %u %u ", *info.port_range)
    p.any("port", "dstport %u ", info.port)
    p.js("learning", info.learning)
    if not info.learning:
        p.fp("nolearning ")
    for key, value in (("proxy", info.proxy), ("rsc", info.rsc), ("l2miss", info.l2miss),
                       ("l3miss", info.l3miss)):
        if value:
            p.any(key, f"{key} ", True)
    if info.tos:
        # vxlan_print_opt(): print_0xhex(), a "0x1" string in JSON (inherit is 1)
        if p.is_json:
            p.js("tos", "%#x" % info.tos)
        elif info.tos != 1:
            p.fp("tos %#x ", info.tos)
        else:
            p.fp("tos inherit ")
    if info.ttl_inherit:
        p.fp("ttl inherit ")
    elif p.is_json or info.ttl:
        p.any("ttl", "ttl %u ", info.ttl)
    else:
        p.fp("ttl auto ")
    if info.df == 0:
        p.js("df", "unset")
    else:
        p.any("df", "df %s ", "set" if info.df == 1 else "inherit")
    if info.label:
        # print_0xhex(): a string in JSON
        p.any("label", "flowlabel %s ", "%#x" % info.label)
    if info.ageing == 0:
        p.any("ageing", "ageing none ", 0)
    else:
        p.any("ageing", "ageing %u ", info.ageing)
    if info.limit:
        p.any("limit", "maxaddr %u ", info.limit)
    _no(p, "udp_csum", "udpcsum", info.udp_csum)
    _no(p, "udp_zero_csum6_tx", "udp6zerocsumtx", info.udp_zero_csum6_tx)
    _no(p, "udp_zero_csum6_rx", "udp6zerocsumrx", info.udp_zero_csum6_rx)
    if info.remcsum_tx:
        p.any("remcsum_tx", "remcsumtx ", True)
    if info.remcsum_rx:
        p.any("remcsum_rx", "remcsumrx ", True)
    if info.gbp:
        p.any("gbp", "gbp ", True)
    if info.gpe:
        p.any("gpe", "gpe ", True)


def print_on_off(p: Printer, key: str, fmt: str, value: bool) -> None:
    """print_on_off(): "on"/"off" in text, a boolean in JSON."""
    if p.is_json:
        p.js(key, value)
    else:
        p.fp(fmt, "on" if value else "off")


def print_tun_opts(p: Printer, info: TunInfo) -> None:
    """tun_print_opt() of iproute2 6.1's ip/iptuntap.c."""
    p.any("type", "type %s ", {1: "tun", 2: "tap"}.get(info.type, f"UNKNOWN:{info.type}"))
    print_on_off(p, "pi", "pi %s ", info.pi)
    print_on_off(p, "vnet_hdr", "vnet_hdr %s ", info.vnet_hdr)
    if info.multi_queue:                # print_mq()
        p.any("multi_queue", "multi_queue ", True)
        p.any("numqueues", "numqueues %u ", info.num_queues)
        p.any("numdisabled", "numdisabled %u ", info.num_disabled_queues)
    else:
        p.js("multi_queue", False)
    print_on_off(p, "persist", "persist %s ", info.persist)
    for key, value in (("user", info.owner), ("group", info.group)):
        if value != -1:                 # print_owner(), print_group()
            name = id_name("etc_passwd" if key == "user" else "etc_group", value)
            if name is not None:
                p.any(key, f"{key} %s ", name)
            else:
                p.any(key, f"{key} %u ", value)


def bridge_id_text(bid: bytes) -> str:
    """iproute2 prints bridge ids as priority.MAC with unpadded hex bytes."""
    return bid[:2].hex() + "." + ":".join(f"{b:x}" for b in bid[2:])


def print_timer(p: Printer, key: str, clock_t: int) -> None:
    """_print_timer() (ip/iplink_bridge.c, iplink_bridge_slave.c): the clock_t value
    as a timeval, `%4i.%.2i` in text, `%i.%.2i` as a bare JSON number (0.00 too)."""
    sec, centi = divmod(clock_t, 100)
    if p.is_json:
        p.jw.name(key)
        p.jw.value(f"{sec}.{centi:02d}")
    else:
        p.fp(f"{key} {sec:4d}.{centi:02d} ")


def print_bridge_opts(p: Printer, info: BridgeInfo) -> None:
    bid = bridge_id_text(info.bridge_id)
    fields = [
        ("forward_delay", info.forward_delay), ("hello_time", info.hello_time),
        ("max_age", info.max_age), ("ageing_time", info.ageing_time),
        ("stp_state", info.stp_state), ("priority", info.priority), ("vlan_filtering", 0),
    ]
    for key, value in fields:
        p.any(key, f"{key} %u ", value)
    p.any("bridge_id", "bridge_id %s ", bid)
    p.any("root_id", "designated_root %s ", bridge_id_text(info.root_id))
    for key, value in (("root_port", info.root_port), ("root_path_cost", info.root_path_cost),
                       ("topology_change", info.topology_change),
                       ("topology_change_detected", info.topology_change_detected)):
        p.any(key, f"{key} %u ", value)
    for key in ("hello_timer", "tcn_timer", "topology_change_timer", "gc_timer"):
        print_timer(p, key, getattr(info, key))
    # print_0xhex(): "%#llx" (C prints 0 bare), a string in JSON too
    fwd_mask = info.group_fwd_mask
    p.any("group_fwd_mask", "group_fwd_mask %s ", f"{fwd_mask:#x}" if fwd_mask else "0")
    p.any("group_addr", "group_address %s ", info.group_address.hex(":"))
    for key, value in (("mcast_snooping", info.mcast_snooping), ("no_linklocal_learn", info.no_linklocal_learn),
                       ("mcast_vlan_snooping", 0), ("mcast_router", info.mcast_router),
                       ("mcast_query_use_ifaddr", info.mcast_query_use_ifaddr),
                       ("mcast_querier", info.mcast_querier),
                       ("mcast_hash_elasticity", 16), ("mcast_hash_max", info.mcast_hash_max),
                       ("mcast_last_member_cnt", info.mcast_last_member_count),
                       ("mcast_startup_query_cnt", info.mcast_startup_query_count),
                       ("mcast_last_member_intvl", info.mcast_last_member_interval),
                       ("mcast_membership_intvl", info.mcast_membership_interval),
                       ("mcast_querier_intvl", info.mcast_querier_interval),
                       ("mcast_query_intvl", info.mcast_query_interval),
                       ("mcast_query_response_intvl", info.mcast_query_response_interval),
                       ("mcast_startup_query_intvl", info.mcast_startup_query_interval),
                       ("mcast_stats_enabled", info.mcast_stats_enabled),
                       ("mcast_igmp_version", info.mcast_igmp_version),
                       ("mcast_mld_version", info.mcast_mld_version),
                       ("nf_call_iptables", info.nf_call_iptables),
                       ("nf_call_ip6tables", info.nf_call_ip6tables),
                       ("nf_call_arptables", info.nf_call_arptables)):
        text = {"mcast_last_member_cnt": "mcast_last_member_count",
                "mcast_startup_query_cnt": "mcast_startup_query_count",
                "mcast_last_member_intvl": "mcast_last_member_interval",
                "mcast_membership_intvl": "mcast_membership_interval",
                "mcast_querier_intvl": "mcast_querier_interval",
                "mcast_query_intvl": "mcast_query_interval",
                "mcast_query_response_intvl": "mcast_query_response_interval",
                "mcast_startup_query_intvl": "mcast_startup_query_interval"}.get(key, key)
        p.any(key, f"{text} %u ", value)


# iproute2's port_states[] (bridge/link.c, ip/iplink_bridge_slave.c)
PORT_STATES = ("disabled", "listening", "learning", "forwarding", "blocking")


def port_state_name(state: int) -> str:
    return PORT_STATES[state] if state < len(PORT_STATES) else str(state)


def _onoff(value: bool) -> str:
    return "on" if value else "off"


def _print_on_off(p: Printer, key: str, text: str, value: bool) -> None:
    """print_on_off() (lib/json_print.c): "on"/"off" in text, a JSON boolean."""
    p.fp(f"{text} %s ", _onoff(value))
    p.js(key, bool(value))


def _print_0xhex(p: Printer, key: str, text: str, value: int) -> None:
    """print_0xhex(): C's "%#llx" in both, a JSON string ("0" for zero: no 0x then)."""
    shown = "%#x" % value if value else "0"
    p.fp(f"{text} %s ", shown)
    p.js(key, shown)


# iplink_bridge_slave.c fwd_mask_tbl[]: the bits with a name
_FWD_MASK_NAMES = {0: "stp", 2: "lacp", 14: "lldp"}


def _fwd_mask_str(mask: int) -> str:
    """_bitmask2str(): each bit set by its name, else as 0x value, comma-separated."""
    parts = [_FWD_MASK_NAMES.get(i, f"{1 << i:#x}") for i in range(16) if mask >> i & 1]
    return ",".join(parts) if parts else "0x0"


def print_bridge_port_opts(p: Printer, port: BridgePortInfo,
                           cache: LinkCache | None = None) -> None:
    state = port_state_name(port.state)
    number = port.port_no
    conf = port.conf
    designated = bridge_id_text(port.designated_bridge)
    port_id = (conf.priority << 10) | number      # br_make_port_id()
    p.any("state", "state %s ", state)
    p.any("priority", "priority %d ", conf.priority)
    p.any("cost", "cost %d ", conf.cost)
    # bridge_slave_print_opt() (ip/iplink_bridge_slave.c, 6.1)
    for key in ("hairpin", "guard", "root_block", "fastleave", "learning", "flood"):
        _print_on_off(p, key, key, getattr(conf, key))
    _print_0xhex(p, "id", "port_id", port_id)
    _print_0xhex(p, "no", "port_no", number)
    p.any("designated_port", "designated_port %u ",
          port_id if port.designated_port is None else port.designated_port)
    p.any("designated_cost", "designated_cost %u ", port.designated_cost)
    p.any("bridge_id", "designated_bridge %s ", designated)
    p.any("root_id", "designated_root %s ", designated if port.designated_root is None
          else bridge_id_text(port.designated_root))
    for key in ("hold_timer", "message_age_timer", "forward_delay_timer"):
        print_timer(p, key, getattr(port, key))
    p.any("topology_change_ack", "topology_change_ack %u ", port.topology_change_ack)
    p.any("config_pending", "config_pending %u ", port.config_pending)
    for key in ("proxy_arp", "proxy_arp_wifi"):
        _print_on_off(p, key, key, getattr(conf, key))
    p.any("multicast_router", "mcast_router %u ", conf.mcast_router)
    # text only: "we already printed fast_leave before"
    p.fp("mcast_fast_leave %s ", _onoff(conf.fastleave))
    for key, text in (("mcast_flood", "mcast_flood"), ("bcast_flood", "bcast_flood"),
                      ("mcast_to_unicast", "mcast_to_unicast"),
                      ("neigh_suppress", "neigh_suppress")):
        _print_on_off(p, key, text, getattr(conf, key))
    _print_0xhex(p, "group_fwd_mask", "group_fwd_mask", conf.group_fwd_mask)
    p.any("group_fwd_mask_str", "group_fwd_mask_str %s ", _fwd_mask_str(conf.group_fwd_mask))
    for key in ("vlan_tunnel", "isolated", "locked"):
        _print_on_off(p, key, key, getattr(conf, key))
    if conf.backup_port and cache is not None:
        # IFLA_BRPORT_BACKUP_PORT, sent only while a backup port is set
        p.any("backup_port", "backup_port %s ", cache.name(conf.backup_port))


def print_num(width: int, count: int, human: int = 0, iec: bool = False) -> str:
    """print_num() (ip/ipaddress.c): the count as is, or with -h scaled by 1000 (1024
    with -iec) to a k/M/G/T/P/E unit, with as many decimals (up to two) as fit in three
    digits; right-aligned in width, a space after."""
    base = 1024 if iec else 1000
    if not human or count < base:
        return f"{count:>{width}} "
    prefix = "kMGTPE"
    unit = 0
    powi = 1
    while True:
        powi *= base
        if count // base < powi or unit + 1 >= len(prefix):
            break
        unit += 1
    precision = 2
    powj = 1
    while precision > 0:
        powj *= 10
        if count // powi < powj:
            break
        precision -= 1
    text = f"{count / powi:.{precision}f}{prefix[unit]}{'i' if iec else ''}"
    return f"{text:>{width}} "


def print_stats(p: Printer, s: Stats64, level: int, human: int = 0,
                iec: bool = False, transns: bool = True) -> None:
    """print_stats64(): columns sized to the widest number (size_columns(), which
    leaves them at their headers' widths under -h), the numbers through print_num();
    `transns` False: no IFLA_CARRIER_CHANGES to show (`ip stats`)."""
    changes = s.carrier_changes if transns else 0
    if p.is_json:
        p.open_object("stats64")
        p.open_object("rx")
        for key, value in (("bytes", s.rx_bytes), ("packets", s.rx_packets),
                           ("errors", s.rx_errors), ("dropped", s.rx_dropped),
                           ("over_errors", s.rx_over_errors), ("multicast", s.rx_mcast)):
            p.js(key, value)
        if level > 1:
            for key, value in (("length_errors", s.rx_length_errors),
                               ("crc_errors", s.rx_crc_errors),
                               ("frame_errors", s.rx_frame_errors),
                               ("fifo_errors", s.rx_fifo_errors),
                               ("missed_errors", s.rx_missed)):
                p.js(key, value)
            if s.rx_nohandler:
                p.js("nohandler", s.rx_nohandler)
            if s.rx_otherhost_dropped:
                p.js("otherhost", s.rx_otherhost_dropped)
        p.close_object()
        p.open_object("tx")
        for key, value in (("bytes", s.tx_bytes), ("packets", s.tx_packets),
                           ("errors", s.tx_errors), ("dropped", s.tx_dropped),
                           ("carrier_errors", s.tx_carrier), ("collisions", s.tx_collisions)):
            p.js(key, value)
        if level > 1:
            for key, value in (("aborted_errors", s.tx_aborted_errors),
                               ("fifo_errors", s.tx_fifo_errors),
                               ("window_errors", s.tx_window_errors),
                               ("heartbeat_errors", s.tx_heartbeat_errors),
                               ("carrier_changes", changes))[:5 if transns else 4]:
                p.js(key, value)
        p.close_object()
        p.close_object()
        return
    cols = [len("*X errors:"), len("packets"), len("errors"), len("dropped"),
            len("heartbt"), len("overrun"), len("compressed"), len("otherhost")]

    def size(*values):
        if human:
            return
        for i, v in enumerate(values):
            cols[i] = max(cols[i], len(str(v)))

    size(s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, s.rx_missed, s.rx_mcast, 0, 0)
    if level > 1:
        size(0, s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors, s.rx_fifo_errors,
             s.rx_over_errors, s.rx_nohandler, s.rx_otherhost_dropped)
    size(s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, s.tx_carrier, s.tx_collisions, 0, 0)
    if level > 1:
        size(0, 0, s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors,
             s.tx_heartbeat_errors, changes, 0)

    def nums(values, first=0):
        return "".join(print_num(cols[i + first], v, human, iec) for i, v in enumerate(values))

    def head(label, names):
        return f"    {label}: {'bytes':>{cols[0] - 4}} " + "".join(
            f"{n:>{cols[i + 1]}} " for i, n in enumerate(names)) + f"{'':>{cols[6]}}"

    def block(label, names, values, err_names, err_values, extra=()):
        p.fp("%s", head(label, names))
        p.nl()
        p.fp("    %s", nums(values))
        if level > 1:
            p.nl()
            # the RX errors line adds ` nohandler` and ` otherhost` (cols[6], cols[7])
            # only when those counters are not zero
            p.fp(f"    {label} errors:%s %s", " " * (cols[0] - 10), " ".join(
                f"{n:>{cols[i + 1]}}" for i, n in enumerate(err_names)) + "".join(
                f"{' ' + n:>{cols[col] + 1}}" for col, n, v in extra if v))
            p.nl()
            p.fp("%s%s", " " * (cols[0] + 5), nums(err_values, 1) + "".join(
                print_num(cols[col], v, human, iec) for col, _, v in extra if v))
    tx_err_values = (s.tx_aborted_errors, s.tx_fifo_errors, s.tx_window_errors,
                     s.tx_heartbeat_errors, changes)

    block("RX", ("packets", "errors", "dropped", "missed", "mcast"),
          (s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, s.rx_missed, s.rx_mcast),
          ("length", "crc", "frame", "fifo", "overrun"),
          (s.rx_length_errors, s.rx_crc_errors, s.rx_frame_errors, s.rx_fifo_errors,
           s.rx_over_errors),
          ((6, "nohandler", s.rx_nohandler), (7, "otherhost", s.rx_otherhost_dropped)))
    p.nl()
    block("TX", ("packets", "errors", "dropped", "carrier", "collsns"),
          (s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, s.tx_carrier, s.tx_collisions),
          ("aborted", "fifo", "window", "heartbt", "transns" if transns else ""),
          tx_err_values if transns else tx_err_values[:4])
