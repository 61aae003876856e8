"""`ip link`: add, set, delete, show (iproute2 ip/iplink.c)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel.netdev import IFF
from ipemu.kernel.requests import (NLM_F, BridgeData, LinkInfo, LinkRequest, VethData,
                                   VlanData)
from ipemu.profiles import Profile
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error, usage_text
from ipemu.tools.ipargs import (EXIT_ARG, Args, check_altifname, check_ifname, duparg, duparg2, get_integer,
                                get_unsigned, invarg, matches, parse_addr_1)
from ipemu.tools.rtnl import talk_error

KNOWN_KINDS = {"veth", "bridge", "dummy", "vlan", "vxlan", "macvlan", "ipvlan", "bond",
               "team", "gre", "ipip", "sit", "vrf", "vcan", "vxcan", "geneve", "wireguard",
               "ifb", "nlmon", "netdevsim", "tun", "tap"}
VLAN_FLAGS = ("reorder_hdr", "gvrp", "mvrp", "loose_binding", "bridge_binding")
# ll_proto_a2n(): the names iproute2 knows for an EtherType (strcasecmp)
LL_PROTOS = {"802.1q": 0x8100, "802.1ad": 0x88A8, "ip": 0x0800, "ipv6": 0x86DD, "arp": 0x0806}


@dataclass
class LinkArgs:
    """What iplink_parse() collects for one device."""

    up: bool | None = None
    name: str | None = None
    dev: str | None = None
    mtu: int | None = None
    qlen: int | None = None
    address: bytes | None = None
    broadcast: bytes | None = None
    master: str | None = None       # "" for nomaster
    group: int | None = None
    kind: str | None = None
    kind_args: list[str] = field(default_factory=list)
    netns: str | None = None
    alias: str | None = None
    ifi_flags: int = 0              # ifinfomsg flags asked for (arp, multicast, promisc...)
    ifi_change: int = 0             # ... and which of them
    carrier: bool | None = None
    proto_down: bool | None = None
    proto_down_reason: bool = False
    index: int | None = None
    link: str | None = None


# iplink_parse(): option -> (IFF bit, whether `on` sets it); `trailers on` and `arp on`
# clear IFF_NOTRAILERS / IFF_NOARP
FLAG_OPTIONS = {"multicast": (IFF.MULTICAST, True), "allmulticast": (IFF.ALLMULTI, True),
                "promisc": (IFF.PROMISC, True), "trailers": (IFF.NOTRAILERS, False),
                "arp": (IFF.NOARP, False), "dynamic": (IFF.DYNAMIC, True)}
IFALIASZ = 256


def ll_addr(text: str) -> bytes:
    """ll_addr_a2n(): hex bytes separated by ':' (sscanf %x each), or a dotted IPv4."""
    if "." in text:
        pfx = parse_addr_1(text, 4)
        if pfx is None:
            raise CommandError(f'"{text}" is invalid lladdr.\n', 1)
        return pfx.address.packed
    out = []
    for piece in text.split(":")[:32]:
        digits = ""
        body = piece[2:] if piece[:2].lower() == "0x" else piece
        for ch in body.lstrip():
            if ch in "0123456789abcdefABCDEF":
                digits += ch
            else:
                break
        if not digits:
            raise CommandError(f'"{piece}" is invalid lladdr.\n', 1)
        value = int(digits, 16)
        if value > 255:
            raise CommandError(f'"{piece}" is invalid lladdr.\n', 1)
        out.append(value)
    return bytes(out)


def on_off(key: str, value: str) -> CommandError:
    return CommandError(f'Error: argument of "{key}" must be "on" or "off", not "{value}"\n', 1)


def parse(args: Args, create: bool, ctx: ToolContext) -> LinkArgs:
    """iplink_parse(): the attribute loop; stops after `type KIND`."""
    req = LinkArgs()
    while args:
        word = args.cur
        kw = keyword(word)
        if kw == "up":
            req.up = True
        elif kw == "down":
            req.up = False
        elif kw == "name":
            value = args.next_arg()
            if req.name is not None:
                raise duparg("name", value)
            if not check_ifname(value):
                raise invarg('"name" not a valid ifname', value)
            req.name = value
            if req.dev is None:
                req.dev = value
        elif kw == "index":
            value = args.next_arg()
            idx = get_integer(value) or 0
            if idx <= 0:
                raise invarg('Invalid "index" value', value)
            req.index = idx
        elif kw == "link":
            req.link = args.next_arg()
        elif kw == "address":
            req.address = ll_addr(args.next_arg())
        elif kw == "broadcast" or kw == "brd":
            req.broadcast = ll_addr(args.next_arg())
        elif kw == "txqueuelen" or kw == "qlen" or kw == "txqlen":
            value = args.next_arg()
            if req.qlen is not None:
                raise duparg("txqueuelen", value)
            qlen = get_integer(value)
            if qlen is None:
                raise invarg('Invalid "txqueuelen" value\n', value)
            req.qlen = qlen
        elif kw == "mtu":
            value = args.next_arg()
            if req.mtu is not None:
                raise duparg("mtu", value)
            mtu = get_integer(value)
            if mtu is None:
                raise invarg('Invalid "mtu" value\n', value)
            req.mtu = mtu
        elif kw == "netns":
            value = args.next_arg()
            if value not in ctx.host.namespaces and get_integer(value) is None:
                raise invarg('Invalid "netns" value\n', value)
            req.netns = value
        elif kw in FLAG_OPTIONS:
            value = args.next_arg()
            if value not in ("on", "off"):
                raise on_off(word, value)
            bit, on_sets = FLAG_OPTIONS[kw]
            req.ifi_change |= bit
            if (value == "on") == on_sets:
                req.ifi_flags |= bit
            else:
                req.ifi_flags &= ~bit
        elif kw in ("carrier", "protodown"):
            value = args.next_arg()
            if value not in ("on", "off"):
                raise on_off(word, value)
            if kw == "carrier":
                req.carrier = value == "on"
            else:
                req.proto_down = value == "on"
        elif kw == "protodown_reason":
            reason = args.next_arg()
            if get_unsigned(reason) is None or get_unsigned(reason) > 31:
                raise invarg("invalid protodown reason\n", reason)
            value = args.next_arg()
            if not matches(value, "on") and not matches(value, "off"):
                raise on_off("protodown_reason", value)
            req.proto_down_reason = True
        elif kw == "master":
            value = args.next_arg()
            if ctx.netns.by_name(value) is None:
                raise invarg("Device does not exist\n", value)
            req.master = value
        elif kw == "nomaster":
            req.master = ""
        elif kw == "type":
            req.kind = args.next_arg()
            args.advance()
            req.kind_args = args.rest()
            args.i = len(args.argv)
            break
        elif kw == "alias":
            value = args.next_arg()
            if len(value.encode()) >= IFALIASZ:
                raise invarg("alias too long\n", value)
            req.alias = value          # the last one given wins (nla_parse())
        elif kw == "group":
            value = args.next_arg()
            if req.group is not None:
                raise duparg("group", value)
            group = 0 if value == "default" else get_integer(value)
            if group is None:
                raise invarg('Invalid "group" value\n', value)
            req.group = group
        elif kw in ("mode", "state", "addrgenmode", "gso_max_size", "gso_max_segs",
                      "gro_max_size", "numtxqueues", "numrxqueues", "vrf", "parentdev"):
            args.next_arg()
        else:
            if kw == "help":
                raise usage_error("ip_link", ctx.profile)
            if kw == "dev":
                word = args.next_arg()
            if req.dev != req.name:
                raise duparg2("dev", word)
            if not check_altifname(word):
                raise invarg('"dev" not a valid ifname', word)
            req.dev = word
        args.advance()
    if req.name is None:
        req.name = req.dev
    elif req.dev is None:
        req.dev = req.name
    if req.group is not None and req.dev is None:
        return req
    if not create:
        if req.dev is None:
            raise CommandError('Not enough information: "dev" argument is required.\n', EXIT_ARG)
        if ctx.netns.by_name(req.dev) is None:
            raise CommandError(f'Cannot find device "{req.dev}"\n', 1)
    elif req.name != req.dev:
        raise CommandError('both "name" and "dev" cannot be used when creating devices.\n',
                           EXIT_ARG)
    elif req.link is not None and ctx.netns.by_name(req.link) is None:
        raise CommandError(f'Cannot find device "{req.link}"\n', 1)
    return req


def do_iplink(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    from ipemu.tools.ip_addr import list_or_flush
    if not argv:
        return list_or_flush(ctx, opts, [], do_link=True)
    cmd = argv[0]
    kw = keyword(cmd)
    if kw == "add":
        return modify(ctx, opts, argv[1:], "add")
    if kw == "set" or kw == "change":
        return modify(ctx, opts, argv[1:], "set")
    if kw == "replace":
        return modify(ctx, opts, argv[1:], "replace")
    if kw == "delete":
        return modify(ctx, opts, argv[1:], "delete")
    if kw == "show" or kw == "lst" or kw == "list":
        return list_or_flush(ctx, opts, argv[1:], do_link=True)
    if kw == "xstats":
        raise CommandError("xstats: missing argument\n", 1)
    if kw == "afstats":
        return 0
    if kw == "property":
        raise usage_error("ip_link", ctx.profile)
    if kw == "help":
        return link_help(ctx, argv[1:])
    raise CommandError(f'Command "{cmd}" is unknown, try "ip link help".\n', EXIT_ARG)


def link_help(ctx: ToolContext, argv: list[str]) -> int:
    """iplink.c do_help(): `ip link help TYPE` prints the type's print_help() on stdout
    when the profile's iproute2 has one; anything else is usage()."""
    if argv and argv[0] in ctx.profile["ip_link_help_types"]:
        ctx.term.out(usage_text(f"ip_link_{argv[0]}", ctx.profile))
        return 0
    raise usage_error("ip_link", ctx.profile)


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], mode: str) -> int:
    """iplink_modify(): the request iproute2 builds, then the kernel's answer."""
    create = mode in ("add", "replace")
    args = Args(argv)
    parsed = parse(args, create, ctx)
    if parsed.group is not None and parsed.dev is None:
        return modify_group(ctx, parsed, mode)
    ns = ctx.netns
    try:
        if mode == "delete":
            ns.del_link(LinkRequest(ifindex=ns.by_name(parsed.dev).ifindex))
            return 0
        if create:
            if parsed.kind is None:
                raise CommandError('Not enough information: "type" argument is required\n', 1)
            req = build_request(ctx, parsed, flags=NLM_F.CREATE | (
                NLM_F.EXCL if mode == "add" else NLM_F.REPLACE))
            if req is None:
                return 1
        else:
            if parsed.kind is not None and parsed.kind_args:
                if matches(parsed.kind_args[0], "help"):
                    raise usage_error("ip_link", ctx.profile)
                if parsed.kind == "veth" and parsed.kind_args[0] == "peer":
                    parse(Args(parsed.kind_args[1:]), False, ctx)  # the peer must exist
            dev = ns.by_name(parsed.dev)
            if parsed.address is not None and len(parsed.address) != len(dev.address):
                raise CommandError(f"Invalid address length {len(parsed.address)} - must be "
                                   f"{len(dev.address)} bytes\n", 1)
            req = build_request(ctx, parsed, ifindex=dev.ifindex)
        ns.new_link(req)
    except KernelError as err:
        raise talk_error(err)
    return 0


def _flags(parsed: LinkArgs) -> dict:
    """ifi_flags / ifi_change: `up` and `down` set and mark IFF_UP, the flag options
    theirs."""
    flags, change = int(parsed.ifi_flags), int(parsed.ifi_change)
    if parsed.up is not None:
        flags = flags | int(IFF.UP) if parsed.up else flags & ~int(IFF.UP)
        change |= int(IFF.UP)
    if not change:
        return {}
    return {"ifi_flags": flags, "ifi_change": change}


def _netns(ctx: ToolContext, value: str | None) -> dict:
    """netns_get_fd(): a name under /run/netns, else a process id."""
    if value is None:
        return {}
    if value in ctx.host.namespaces:
        return {"net_ns": value}
    return {"net_ns_pid": get_integer(value)}


def build_request(ctx: ToolContext, parsed: LinkArgs, ifindex: int = 0,
                  flags: NLM_F = NLM_F(0)) -> LinkRequest | None:
    """The ifinfomsg and attributes iplink_modify() sends; None when iproute2 has
    already answered by itself (the veth's help text)."""
    ns = ctx.netns
    master = None
    if parsed.master is not None:
        master = ns.by_name(parsed.master).ifindex if parsed.master else 0
    link = None
    if parsed.link is not None:
        lower = ns.by_name(parsed.link)
        if lower is None:
            raise CommandError(f'Cannot find device "{parsed.link}"\n', 1)
        link = lower.ifindex
    linkinfo = None
    if parsed.kind is not None:
        linkinfo = _linkinfo(ctx, parsed)
        if linkinfo is None:
            return None
    # set: the name goes as IFLA_IFNAME only when it changes; add: it names the device
    ifname = parsed.name if ifindex == 0 or parsed.name != parsed.dev else None
    return LinkRequest(ifindex=ifindex, ifname=ifname, mtu=parsed.mtu,
                       address=parsed.address, broadcast=parsed.broadcast,
                       txqlen=parsed.qlen, group=parsed.group, master=master, link=link,
                       linkinfo=linkinfo, flags=NLM_F.REQUEST | NLM_F.ACK | flags,
                       ifalias=parsed.alias, carrier=parsed.carrier,
                       proto_down=parsed.proto_down if parsed.proto_down is not None else
                       (False if parsed.proto_down_reason else None),
                       **_flags(parsed), **_netns(ctx, parsed.netns))


def _linkinfo(ctx: ToolContext, parsed: LinkArgs) -> LinkInfo | None:
    """IFLA_LINKINFO: the kind, and the data its link_util parses (iplink_veth.c,
    iplink_vlan.c, iplink_bridge.c)."""
    kind, argv = parsed.kind, parsed.kind_args
    if kind == "veth":
        if argv and matches(argv[0], "help"):
            ctx.term.out(usage_text("ip_link_veth", ctx.profile))
            return None
        if not argv:
            return LinkInfo("veth")
        peer = parse_veth_peer(ctx, argv)
        return LinkInfo("veth", VethData(build_request(ctx, peer)))
    if kind == "vlan":
        if not argv:     # `type vlan` alone: no IFLA_INFO_DATA at all
            return LinkInfo("vlan")
        vlan = parse_vlan_options(argv, ctx.profile)
        return LinkInfo("vlan", VlanData(vlan["id"], vlan["protocol"],
                                         tuple(vlan["flags"].items()),
                                         tuple(vlan["ingress"]), tuple(vlan["egress"])))
    if kind == "bridge":
        return LinkInfo("bridge", BridgeData(tuple(parse_bridge_options(argv, ctx.profile).items()))
                        if argv else None)
    if kind == "dummy" and argv:
        raise CommandError(f'Garbage instead of arguments "{argv[0]} ...". Try "ip link '
                           'help".\n', 1)
    return LinkInfo(kind)


def parse_vlan_options(argv: list[str], profile: Profile) -> dict:
    """vlan_parse_opt() (ip/iplink_vlan.c); its explain() is the profile's text."""
    out: dict = {"id": None, "protocol": 0x8100, "flags": {}, "ingress": [], "egress": []}
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)
        if kw == "protocol":
            value = args.next_arg()
            proto = LL_PROTOS.get(value.lower())
            if proto is None:
                proto = get_unsigned(value)
                if proto is None or proto > 0xFFFF:
                    raise invarg("protocol is invalid", value)
            out["protocol"] = proto
        elif kw == "id":
            value = args.next_arg()
            vid = get_unsigned(value)
            if vid is None or vid > 0xFFFF:
                raise invarg("id is invalid", value)
            out["id"] = vid
        elif kw in VLAN_FLAGS:
            flag = kw
            value = args.next_arg()
            if value not in ("on", "off"):
                raise on_off(flag, value)
            out["flags"][flag] = value == "on"
        elif kw == "ingress-qos-map" or kw == "egress-qos-map":
            key = "ingress" if kw == "ingress-qos-map" else "egress"
            args.advance()
            while args and ":" in args.cur:
                left, _, right = args.cur.partition(":")
                low, high = get_unsigned(left), get_unsigned(right)
                if low is None or high is None:
                    raise invarg(f"invalid {key}-qos-map", args.cur)
                out[key].append((low, high))
                args.advance()
            continue
        elif kw == "help":
            raise CommandError(usage_text("ip_link_vlan", profile), 1)
        else:
            raise CommandError(f'vlan: unknown command "{word}"?\n'
                               + usage_text("ip_link_vlan", profile), 1)
        args.advance()
    return out


def parse_bridge_options(argv: list[str], profile: Profile) -> dict[str, str]:
    """bridge_parse_opt(): `KEY VALUE` pairs named in the profile's bridge usage text."""
    usage = usage_text("ip_link_bridge", profile)
    bridge_options = set(re.findall(r"\[ ([a-z_]+)", usage))
    options = {}
    i = 0
    while i < len(argv):
        key = argv[i]
        if key not in bridge_options:
            raise CommandError(f'bridge: unknown command "{key}"?\n' + usage, 1)
        if key == "fdb_flush":
            i += 1
            continue
        if i + 1 >= len(argv):
            from ipemu.tools.ipargs import incomplete_command
            raise incomplete_command()
        options[key] = argv[i + 1]
        i += 2
    return options


def parse_veth_peer(ctx: ToolContext, argv: list[str]) -> LinkArgs:
    """veth_parse_opt(): `peer [name NAME] [attributes]`, parsed like a new link."""
    if not argv:
        return LinkArgs()
    if argv[0] != "peer":
        ctx.term.out(usage_text("ip_link_veth", ctx.profile))
        raise CommandError("", 1)
    args = Args(argv[1:])
    peer = parse(args, True, ctx)
    if peer.kind is not None:
        raise duparg("type", peer.kind)
    return peer


def modify_group(ctx: ToolContext, parsed: LinkArgs, mode: str) -> int:
    """`ip link set group N up`, `ip link delete group N`: the group is the selector
    (ifi_index 0, IFLA_GROUP), the kernel applies the change to each member."""
    if mode not in ("set", "delete"):
        raise CommandError("group cannot be used when creating devices.\n", EXIT_ARG)
    try:
        if mode == "delete":
            ctx.netns.del_link(LinkRequest(group=parsed.group))
        else:
            ctx.netns.new_link(build_request(ctx, parsed))
    except KernelError as err:
        raise talk_error(err)
    return 0
