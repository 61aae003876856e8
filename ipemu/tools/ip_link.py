"""`ip link`: add, set, delete, show (iproute2 ip/iplink.c)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel import Later
from ipemu.kernel.errors import KernelError
from ipemu.kernel.netdev import IFF
from ipemu.plainclass import dataclass, field, replace
from ipemu.profiles import Profile
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, ll_drop_by_index, usage_error, usage_text
from ipemu.tools.ipargs import (EXIT_ARG, Args, check_altifname, check_ifname, duparg, duparg2,
                                get_addr, get_integer, group_a2n, get_unsigned, invarg, matches,
                                incomplete_command, missarg, parse_addr_1)
from ipemu.tools.rtnl import talk_error

# the request module's names, loaded by the first request (`ip link show` sends none)
NLM_F, BridgeData, LinkInfo, LinkRequest, MacvlanData, VethData, VlanData, VxlanData = (
    Later("ipemu.kernel.requests", name, globals()) for name in (
        "NLM_F", "BridgeData", "LinkInfo", "LinkRequest", "MacvlanData", "VethData", "VlanData",
        "VxlanData"))

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
    link_netnsid: int | None = None     # `link-netns NAME` / `link-netnsid ID`
    alias: str | None = None
    ifi_flags: int = 0              # ifinfomsg flags asked for (arp, multicast, promisc...)
    ifi_change: int = 0             # ... and which of them
    carrier: bool | None = None
    proto_down: bool | None = None
    proto_down_reason: bool = False
    index: int | None = None
    link: str | None = None
    addrgenmode: str | None = None  # IFLA_AF_SPEC: AF_INET6 IFLA_INET6_ADDR_GEN_MODE
    numtxqueues: int | None = None
    numrxqueues: int | None = None
    gso_max_size: int | None = None
    gso_max_segs: int | None = None
    gro_max_size: int | None = None
    vf: bool = False                # IFLA_VFINFO_LIST given
    operstate: str | None = None    # IFLA_OPERSTATE
    link_mode: int | None = None    # IFLA_LINKMODE


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
        value = _scanf_x(piece)
        if value is None or not 0 <= value <= 255:
            raise CommandError(f'"{piece}" is invalid lladdr.\n', 1)
        out.append(value)
    return bytes(out)


def _scanf_x(text: str) -> int | None:
    """glibc's sscanf(text, "%x", &int): blanks, a sign, an optional 0x (alone it
    reads as 0: recorded, `address 0x` is one byte), hex digits as strtoul() takes
    them, the result cut to an int. None when nothing matches."""
    body = text.lstrip(" \t\n\v\f\r")
    neg = body[:1] == "-"
    if body[:1] in ("-", "+"):
        body = body[1:]
    prefixed = body[:2].lower() == "0x"
    if prefixed:
        body = body[2:]
    digits = ""
    for ch in body:
        if ch not in "0123456789abcdefABCDEF":
            break
        digits += ch
    if not digits and not prefixed:
        return None
    value = min(int(digits or "0", 16), (1 << 64) - 1)
    if neg:
        value = -value % (1 << 64)
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _atoi(text: str) -> int:
    """atoi(): the leading decimal digits after blanks and a sign (0 for none), as
    iplink_parse() reads `index` (so 10.0.0.1/33 is 10)."""
    import re
    m = re.match(r"(?a)\s*([-+]?\d+)", text)
    value = int(m.group(1)) if m else 0
    value = max(-(2 ** 63), min(value, 2 ** 63 - 1))      # (int)strtol(): saturated,
    return (value + 2 ** 31) % 2 ** 32 - 2 ** 31           # then cut to 32 bits


def parse_on_off(key: str, value: str) -> bool:
    """lib/utils.c parse_on_off(): parse_one_of() over "off", "on" (abbreviations
    match, off first); iplink_parse() returns its -EINVAL, so ip exits 22."""
    for i, name in enumerate(("off", "on")):
        if matches(value, name):
            return bool(i)
    raise CommandError(f'Error: argument of "{key}" must be one of "off", "on", '
                       f'not "{value}"\n', 22)


def on_off(key: str, value: str) -> CommandError:
    return CommandError(f'Error: argument of "{key}" must be "on" or "off", not "{value}"\n', 1)


# iplink_parse()'s values that are only checked here (IFLA_LINKMODE, IFLA_OPERSTATE,
# addrgenmode, the GSO/GRO sizes, the queue counts): the check and its message
LINK_MODES = ("DEFAULT", "DORMANT", "TESTING")     # link_modes[]: IF_LINK_MODE_* order
OPER_STATES = ("UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP")
CHECKED_VALUES = {
    "mode": (lambda v: v.lower() in ("default", "dormant"), "Invalid link mode\n"),
    "state": (lambda v: v.upper() in OPER_STATES, "Invalid operstate\n"),
    "numtxqueues": (lambda v: get_integer(v) is not None, 'Invalid "numtxqueues" value\n'),
    "numrxqueues": (lambda v: get_integer(v) is not None, 'Invalid "numrxqueues" value\n'),
    "addrgenmode": (lambda v: v.lower() in ("eui64", "none", "stable_secret", "random"),
                    "Invalid address generation mode\n"),
    "gso_max_size": (lambda v: get_unsigned(v) is not None, 'Invalid "gso_max_size" value\n'),
    "gso_max_segs": (lambda v: (get_unsigned(v) or 0) <= 65535 and get_unsigned(v) is not None,
                     'Invalid "gso_max_segs" value\n'),
    "gro_max_size": (lambda v: get_unsigned(v) is not None, 'Invalid "gro_max_size" value\n'),
}


VF_LINK_STATES = ("auto", "enable", "disable")


def _vf(args: Args) -> None:
    """iplink_parse_vf(): the VF settings after `vf NUM`, each checked as it comes;
    the first word that is none of them ends the list (PREV_ARG()), and a `vf`
    with none at all is an incomplete command."""
    start = args.i
    while args.peek_next() is not None:
        word = args.peek_next()
        args.advance()
        if matches(word, "mac"):
            ll_addr(args.next_arg())
        elif matches(word, "vlan"):
            value = args.next_arg()
            if get_unsigned(value) is None:
                raise invarg('Invalid "vlan" value\n', value)
            for key in ("qos", "proto"):
                if args.peek_next() is not None and matches(args.peek_next(), key):
                    args.advance()
                    args.next_arg()
        elif word in ("rate", "max_tx_rate", "min_tx_rate") or matches(word, "rate") or \
                matches(word, "max_tx_rate") or matches(word, "min_tx_rate"):
            value = args.next_arg()
            if get_unsigned(value) is None:
                name = "rate" if matches(word, "rate") else \
                    "max tx rate" if matches(word, "max_tx_rate") else "min tx rate"
                raise invarg(f'Invalid "{name}" value\n', value)
        elif matches(word, "spoofchk") or matches(word, "query_rss"):
            value = args.next_arg()
            if not (matches(value, "on") or matches(value, "off")):
                raise on_off("spoofchk" if matches(word, "spoofchk") else "query_rss", value)
        elif matches(word, "trust"):
            value = args.next_arg()
            if not (matches(value, "on") or matches(value, "off")):
                raise invarg('Invalid "trust" value\n', value)
        elif matches(word, "state"):
            value = args.next_arg()
            if not any(matches(value, st) for st in VF_LINK_STATES):
                raise invarg('Invalid "state" value\n', value)
        elif matches(word, "node_guid") or matches(word, "port_guid"):
            args.next_arg()
        else:
            args.i -= 1                 # PREV_ARG()
            break
    if args.i == start:
        raise incomplete_command()


def _xdp(args: Args, ctx: ToolContext) -> None:
    """xdp_parse() (iplink_xdp.c) after iplink_parse()'s NEXT_ARG(): `off`/`none` as the
    last word detaches (nothing is attached here); anything else is bpf_do_parse()'s
    with XDP's table (eBPF modes only), which loads nothing here
    (tools/bpf_parse.py); its failure is iplink_parse()'s exit(-1)."""
    from ipemu.tools.bpf_parse import bpf_parse_error
    args.next_arg()
    rest = args.argv[args.i:]
    if len(rest) == 1 and rest[0] in ("off", "none"):
        args.i = len(args.argv)
        return
    raise CommandError(bpf_parse_error(args.argv, args.i, ctx), 255)


def parse(args: Args, create: bool, ctx: ToolContext) -> LinkArgs:
    """iplink_parse(): the attribute loop; stops after `type KIND`."""
    req = LinkArgs()
    seen: set[str] = set()
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
            if req.index:
                raise duparg("index", value)
            idx = _atoi(value)
            if idx <= 0:
                raise invarg('Invalid "index" value', value)
            req.index = idx
        elif word == "vf":
            value = args.next_arg()
            if get_integer(value) is None:
                raise invarg('Invalid "vf" value\n', value)
            if req.dev is None:
                raise missarg("dev")
            _vf(args)
            req.vf = True
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
        elif kw in ("link-netns", "link-netnsid"):
            value = args.next_arg()
            if req.link_netnsid is not None and req.link_netnsid != -1:
                raise duparg("link-netns/link-netnsid", value)
            if kw == "link-netnsid":
                nsid = get_integer(value)
                if nsid is None:
                    raise invarg('Invalid "link-netnsid" value\n', value)
            else:
                # get_netnsid_from_name(), else set_netnsid_from_name(NAME, -1): the
                # namespace gets an id here first
                other = ctx.host.namespaces.get(value)
                if other is None:
                    raise invarg('Invalid "link-netns" value\n', value)
                nsid = ctx.netns.peer_id(other, alloc=True)
            req.link_netnsid = nsid
        elif kw == "netns":
            value = args.next_arg()
            # iplink_parse(): a second netns is duparg() unless the first one's value
            # (an fd, or a PID by get_integer()) was -1
            from ipemu.tools.ip_netns import _plain_file
            if req.netns is not None and (
                    _netns_file(ctx, req.netns) is not None or _plain_file(ctx, req.netns)
                    or req.netns in ctx.host.namespaces or get_integer(req.netns) != -1):
                raise duparg("netns", value)
            # a plain file under /run/netns opens: its fd goes to the kernel (EINVAL)
            if _netns_file(ctx, value) is None and value not in ctx.host.namespaces and \
                    not _plain_file(ctx, value) and get_integer(value) is None:
                raise invarg('Invalid "netns" value\n', value)
            req.netns = value
        elif kw in FLAG_OPTIONS:
            value = args.next_arg()
            if value not in ("on", "off"):
                raise on_off(kw, value)     # iplink_parse()'s own name for the flag
            bit, on_sets = FLAG_OPTIONS[kw]
            req.ifi_change |= bit
            if (value == "on") == on_sets:
                req.ifi_flags |= bit
            else:
                req.ifi_flags &= ~bit
        elif kw in ("carrier", "protodown"):
            value = args.next_arg()
            on = parse_on_off(kw, value)
            if kw == "carrier":
                req.carrier = on
            else:
                req.proto_down = on
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
            # ll_name_to_index(): an RTM_GETLINK by name, which runs the master's held
            # linkwatch event (a bridge's carrier change waiting for the rate limit)
            master = ll_name_to_index(ctx.netns, value)
            if master is None:
                raise invarg("Device does not exist\n", value)
            req.master = master.name
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
            group = group_a2n(value)      # rtnl_group_a2n()
            if group is None:
                raise invarg('Invalid "group" value\n', value)
            req.group = group
        elif kw == "vrf":
            value = args.next_arg()
            vrf = ctx.netns.by_name(value)
            if vrf is None or vrf.vrf_table is None:     # name_is_vrf()
                raise invarg("Not a valid VRF name\n", value)
            req.master = value
        elif kw in CHECKED_VALUES:
            value = args.next_arg()
            check, message = CHECKED_VALUES[kw]
            if kw in ("numtxqueues", "numrxqueues"):
                if kw in seen:
                    raise duparg(kw, value)
                seen.add(kw)
            if not check(value):
                raise invarg(message, value)
            if kw == "addrgenmode":
                req.addrgenmode = value.lower()
            elif kw == "state":
                req.operstate = value.upper()       # get_operstate(): strcasecmp
            elif kw == "mode":
                req.link_mode = LINK_MODES.index(value.upper())
            elif kw in ("numtxqueues", "numrxqueues"):
                setattr(req, kw, get_integer(value) & 0xFFFFFFFF)   # addattr32()
            elif kw in ("gso_max_size", "gso_max_segs", "gro_max_size"):
                setattr(req, kw, get_unsigned(value))               # addattr32()
        elif kw == "parentdev":
            args.next_arg()
        elif word in ("xdp", "xdpgeneric", "xdpdrv", "xdpoffload"):
            _xdp(args, ctx)
            break
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
    if req.index and not create and req.netns is None:
        raise CommandError("index can be used only when creating devices or when moving "
                           "device to another netns.\n", EXIT_ARG)
    if req.group is not None and req.dev is None:
        return req
    if not create:
        if req.dev is None:
            raise CommandError('Not enough information: "dev" argument is required.\n', EXIT_ARG)
        device = ll_name_to_index(ctx.netns, req.dev)
        if device is None:
            raise CommandError(f'Cannot find device "{req.dev}"\n', 1)
        if device.name != req.dev and req.name == req.dev:
            req.dev = req.name = device.name    # the request carries the index only
    elif req.name != req.dev:
        raise CommandError('both "name" and "dev" cannot be used when creating devices.\n',
                           EXIT_ARG)
    elif req.link is not None and ll_name_to_index(ctx.netns, req.link) is None:
        raise CommandError(f'Cannot find device "{req.link}"\n', 1)
    return req


def ll_name_to_index(ns, name: str):
    """iproute2's ll_name_to_index(): RTM_GETLINK by name, then if_nametoindex(), whose
    SIOCGIFINDEX ends the name at a colon (dev_ioctl(): alias names such as eth0:1),
    so `ip link delete veth0:` deletes veth0 (recorded: scripts/ana13zs_veth)."""
    device = ns.getlink(name)
    if device is None and ":" in name:
        device = ns.by_name(name.split(":", 1)[0])
    return device


def do_iplink(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    from ipemu.tools.ip_addr import list_or_flush
    if not argv:
        ctx.do_link = True          # ipaddr_list_link()
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
        ctx.do_link = True          # ipaddr_list_link()
        return list_or_flush(ctx, opts, argv[1:], do_link=True)
    if kw == "xstats":
        from ipemu.tools.ip_link_xstats import link_xstats
        return link_xstats(ctx, opts, argv[1:])
    if kw == "afstats":
        from ipemu.tools.ip_link_xstats import link_afstats
        return link_afstats(ctx, opts, argv[1:])
    if kw == "property":
        return link_prop(ctx, argv[1:])
    if kw == "help":
        return link_help(ctx, argv[1:])
    raise CommandError(f'Command "{cmd}" is unknown, try "ip link help".\n', EXIT_ARG)


def link_prop(ctx: ToolContext, argv: list[str]) -> int:
    """iplink_prop(): `add` or `del`, then iplink_prop_mod(): altnames and the device."""
    if not argv:
        raise usage_error("ip_link", ctx.profile)
    if matches(argv[0], "add"):
        add = True
    elif matches(argv[0], "del"):
        add = False
    elif matches(argv[0], "help"):
        raise usage_error("ip_link", ctx.profile)
    else:
        raise CommandError("Operator required\n", EXIT_ARG)
    args = Args(argv[1:])
    dev = None
    names: list[str] = []
    while args:
        word = args.cur
        if matches(word, "altname"):
            value = args.next_arg()
            # iproute2 6.1's check_altifname() has no length limit: the kernel's
            # IFLA_ALT_IFNAME policy (ALTIFNAMSIZ - 1) refuses a longer one
            if not check_altifname(value, limit=None):
                raise invarg("not a valid altname", value)
            names.append(value)
        elif matches(word, "help"):
            raise usage_error("ip_link", ctx.profile)
        else:
            if word == "dev":
                word = args.next_arg()
            if dev is not None:
                raise duparg2("dev", word)
            if not check_altifname(word):
                raise invarg('"dev" not a valid ifname', word)
            dev = word
        args.advance()
    if dev is None:
        raise CommandError('Not enough of information: "dev" argument is required.\n', EXIT_ARG)
    device = ctx.netns.by_name(dev)
    if device is None:
        raise CommandError(f'Cannot find device "{dev}"\n', 1)
    try:
        ctx.netns.link_prop(device, names, add)
    except KernelError as err:
        raise talk_error(err)
    return 0


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
        if parsed.kind_args:
            # iplink_parse() stops after `type KIND`: with a group and no device,
            # what is left is garbage before anything else
            raise CommandError(f'Garbage instead of arguments "{parsed.kind_args[0]} ...". '
                               'Try "ip link help".\n', EXIT_ARG)
        return modify_group(ctx, parsed, mode)
    ns = ctx.netns
    try:
        if mode == "delete":
            # iplink_modify(): a kind's parse_opt() reads what follows `type KIND` for
            # RTM_DELLINK too, as for a create (no NLM_F_CREATE, but no set either)
            if parsed.kind is not None and parsed.kind_args:
                if parsed.kind == "veth" and parsed.kind_args[0] == "peer":
                    # veth_parse_opt() -> iplink_parse() of the peer, no NLM_F_CREATE:
                    # the peer named must exist
                    parse(Args(parsed.kind_args[1:]), False, ctx)
                if _linkinfo(ctx, parsed, True) is None:
                    return 1
            ifindex = ns.by_name(parsed.dev).ifindex
            ns.del_link(LinkRequest(ifindex=ifindex))
            ll_drop_by_index(opts, ifindex)
            return 0
        if create:
            if parsed.kind is None:
                raise CommandError('Not enough information: "type" argument is required\n', 1)
            req = build_request(ctx, parsed, flags=NLM_F.CREATE | (
                NLM_F.EXCL if mode == "add" else NLM_F.REPLACE))
            if req is None:
                return 1
            if parsed.index:
                # iplink_modify(): `index IDX` is the ifinfomsg's ifi_index
                req = replace(req, ifindex=parsed.index)
        else:
            if parsed.kind is not None and parsed.kind_args:
                # iplink_modify(): `help` is ip link's usage only for a kind without a
                # link_util; one with a parse_opt() takes it as its own word below
                if matches(parsed.kind_args[0], "help") and \
                        parsed.kind not in ctx.profile["ip_link_utils"]:
                    raise usage_error("ip_link", ctx.profile)
                if parsed.kind == "veth" and parsed.kind_args[0] == "peer":
                    parse(Args(parsed.kind_args[1:]), False, ctx)  # the peer must exist
            dev = ns.by_name(parsed.dev)
            # nl_get_ll_addr_len(): the device's IFLA_ADDRESS length, asked only when
            # the kernel sends one (rtnl_fill_ifinfo(): not for addr_len 0, a tun)
            if parsed.address is not None and dev.address \
                    and len(parsed.address) != len(dev.address):
                raise CommandError(f"Invalid address length {len(parsed.address)} - must be "
                                   f"{len(dev.address)} bytes\n", 1)
            req = build_request(ctx, parsed, ifindex=dev.ifindex)
            if req is None:
                return 1
        ns.new_link(req)
    except KernelError as err:
        raise talk_error(err)
    ll_drop_by_index(opts, req.ifindex)     # iplink_modify(): after the kernel's answer
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


NOT_A_NAMESPACE = "/"     # IFLA_NET_NS_FD of a file that is no namespace: EINVAL


def _netns_file(ctx: ToolContext, value: str) -> str | None:
    """netns_get_fd(): open() of the word when it holds a '/' (`netns
    /var/run/netns/NAME`, `/proc/PID/ns/net`, relative to the working directory), else
    of /var/run/netns/WORD: the namespace's name, NOT_A_NAMESPACE for a file or a
    directory that opens (`netns ..`, `netns ''`: EINVAL from the kernel), None when
    open() fails (the word is then tried as a pid)."""
    from ipemu.tools.netns_links import NotANamespace, open_netns
    try:
        ns = open_netns(ctx, value if "/" in value else "/run/netns/" + value)
    except NotANamespace:
        return NOT_A_NAMESPACE
    except OSError:
        return None
    if "/" not in value:
        return value if ns is ctx.host.namespaces.get(value) else None
    for name, named in ctx.host.namespaces.items():
        if named is ns and name:
            return name
    return ns.name


def _netns(ctx: ToolContext, value: str | None) -> dict:
    """netns_get_fd(): a name under /run/netns or a path, else a process id."""
    if value is None:
        return {}
    by_path = _netns_file(ctx, value)
    if by_path is not None:
        return {"net_ns": by_path}
    from ipemu.tools.ip_netns import _plain_file
    if _plain_file(ctx, value):
        # /run/netns/NAME opens, a file that is no namespace: EINVAL (recorded)
        return {"net_ns": NOT_A_NAMESPACE}
    if value in ctx.host.namespaces:
        return {"net_ns": value}
    pid = get_integer(value)
    if pid is not None and pid > 1:
        # get_net_ns_by_pid(): the namespace of a process the machine runs (a shell's
        # $$, a background job); PID 1 and unknown ones are the kernel layer's
        from ipemu.tools.ip_netns import _process_netns
        ns = _process_netns(ctx, pid)
        if ns is not None and ns is not ctx.host.namespaces.get(ns.name):
            return {"net_ns_of_pid": ns}        # a namespace no name holds
        if ns is not None:
            return {"net_ns": ns.name}
    return {"net_ns_pid": pid}


def build_request(ctx: ToolContext, parsed: LinkArgs, ifindex: int = 0,
                  flags: NLM_F | None = None) -> LinkRequest | None:
    """The ifinfomsg and attributes iplink_modify() sends; None when iproute2 has
    already answered by itself (the veth's help text). `flags` None: none."""
    if flags is None:
        flags = NLM_F(0)
    ns = ctx.netns
    master = None
    if parsed.master is not None:
        master = ns.by_name(parsed.master).ifindex if parsed.master else 0
    link = None
    if parsed.link is not None and ifindex == 0:    # iplink_modify(): only on create
        lower = ns.by_name(parsed.link)
        if lower is None:
            raise CommandError(f'Cannot find device "{parsed.link}"\n', 1)
        link = lower.ifindex
    linkinfo = None
    if parsed.kind is not None:
        linkinfo = _linkinfo(ctx, parsed, bool(flags & NLM_F.CREATE))
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
                       addrgenmode=parsed.addrgenmode,
                       num_tx_queues=parsed.numtxqueues, num_rx_queues=parsed.numrxqueues,
                       gso_max_size=parsed.gso_max_size, gso_max_segs=parsed.gso_max_segs,
                       gro_max_size=parsed.gro_max_size, vfinfo=parsed.vf,
                       operstate=parsed.operstate, link_mode=parsed.link_mode,
                       link_netnsid=parsed.link_netnsid,
                       **_flags(parsed), **_netns(ctx, parsed.netns))


def _linkinfo(ctx: ToolContext, parsed: LinkArgs, create: bool = True) -> LinkInfo | None:
    """IFLA_LINKINFO: the kind, and the data its link_util parses (iplink_veth.c,
    iplink_vlan.c, iplink_bridge.c)."""
    kind, argv = parsed.kind, parsed.kind_args
    if kind == "veth":
        if argv and matches(argv[0], "help"):     # iplink_parse()'s help, before veth's
            ctx.term.out(usage_text("ip_link_veth", ctx.profile))
            return None
        if not argv:
            return LinkInfo("veth")
        peer = parse_veth_peer(ctx, argv)
        peer_req = build_request(ctx, peer)
        if peer.index:
            # veth_parse_opt(): the peer's `index IDX` is its own ifinfomsg's ifi_index
            peer_req = replace(peer_req, ifindex=peer.index)
        return LinkInfo("veth", VethData(peer_req))
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
    if kind in ("macvlan", "macvtap"):
        return LinkInfo(kind, parse_macvlan_options(kind, argv, ctx.profile, ctx.term.err)
                        if argv else None)
    if kind == "vxlan":
        if not argv:          # no parse_opt(): no IFLA_INFO_DATA
            return LinkInfo("vxlan")
        return LinkInfo("vxlan", parse_vxlan_options(ctx, argv, create))
    from ipemu.tools.ip_link_kinds import KIND_PARSERS, parse_geneve_options
    if kind == "geneve":
        if not argv:     # iplink_modify(): parse_opt() only with arguments
            return LinkInfo(kind)
        return LinkInfo(kind, parse_geneve_options(ctx, argv, create, parsed.dev))
    if kind in KIND_PARSERS:
        # iplink_modify(): parse_opt() only with arguments; none: no IFLA_INFO_DATA
        if not argv:
            return LinkInfo(kind)
        return LinkInfo(kind, KIND_PARSERS[kind](ctx, argv, create, parsed.dev))
    if argv and kind not in ctx.profile["ip_link_utils"]:
        # iplink_modify(): no link_util for the kind, words after it
        raise CommandError(f'Garbage instead of arguments "{argv[0]} ...". Try "ip link '
                           'help".\n', 1)
    if argv:
        # a link_util without parse_opt() (dummy, ifb, nlmon) ignores the words, but
        # its IFLA_INFO_DATA nest goes, empty (a set on a device without changelink():
        # EOPNOTSUPP)
        from ipemu.kernel.requests import KindData
        return LinkInfo(kind, KindData())
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
            args.next_arg()         # NEXT_ARG(): a word must follow, a map or not
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


# MACVLAN_MODE_* and MACVLAN_FLAG_* of the words grammar/ip.lark's macvlan_mode and
# macvlan_flag take
MACVLAN_MODES = {"private": 1, "vepa": 2, "bridge": 4, "passthru": 8, "source": 16}
MACVLAN_FLAGS = {"nopromisc": 1, "nodst": 2, "null": 0}


def parse_macvlan_options(kind: str, argv: list[str], profile: Profile,
                          warn=None) -> MacvlanData:
    """macvlan_parse_opt() (ip/iplink_macvlan.c, macvtap's too): explain() is the
    kind's help text, pfx_err() names the kind; `warn` writes what ll_addr_a2n()
    prints for a word that ends a `macaddr set` list (the parse goes on)."""
    usage = usage_text(f"ip_link_{kind}", profile)
    mode = flags = bc_queue_len = None
    mac_mode = mac = None
    mac_data: list[bytes] = []
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark macvlan_opt
        if kw == "mode":
            value = args.next_arg()
            if keyword(value) not in MACVLAN_MODES:
                raise CommandError('Error: argument of "mode" must be "private", "vepa", '
                                   f'"bridge", "passthru" or "source", not "{value}"\n', 1)
            mode = MACVLAN_MODES[value]
        elif kw == "flag":
            value = args.next_arg()
            if keyword(value) not in MACVLAN_FLAGS:
                raise CommandError('Error: argument of "flag" must be "nopromisc", "nodst" '
                                   f'or "null", not "{value}"\n', 1)
            flags = (flags or 0) | MACVLAN_FLAGS[value]
        elif kw == "macaddr":
            value = args.next_arg()
            if keyword(value) not in ("add", "del", "set", "flush"):
                raise CommandError(usage, 1)
            mac_mode = ("add", "del", "flush", "set").index(value)   # MACVLAN_MACADDR_*
            if value in ("add", "del"):
                mac = ll_addr(args.next_arg())
                if len(mac) != 6:
                    raise CommandError("", 1)
            elif value == "set":
                # the addresses up to the first word ll_addr_a2n() does not read as
                # one of ETH_ALEN bytes (its message printed), which is read again
                # as an option (PREV_ARG(): `m` is then `mode`)
                while args.i + 1 < len(args.argv):
                    try:
                        found = ll_addr(args.argv[args.i + 1])
                    except CommandError as err:
                        if warn is not None:
                            warn(err.message)
                        break
                    if len(found) != 6:
                        break
                    args.advance()
                    mac_data.append(found)
        elif kw == "nopromisc":
            flags = (flags or 0) | 1
        elif kw == "nodst":
            flags = (flags or 0) | 2
        elif kw == "bcqueuelen":
            value = args.next_arg()
            bc_queue_len = get_unsigned(value)
            if bc_queue_len is None or bc_queue_len > 0xFFFFFFFF:
                raise CommandError('Error: argument of "bcqueuelen" must be a positive '
                                   f'integer [0-4294967295], not "{value}"\n', 1)
        elif kw == "help":
            raise CommandError(usage, 1)
        else:
            raise CommandError(f'{kind}: unknown option "{word}"?\n' + usage, 1)
        args.advance()
    if flags is not None and flags & 1 and mode != 8:
        raise CommandError(f"{kind}: nopromisc flag only valid in passthru mode\n" + usage, 1)
    return MacvlanData(mode, flags, bc_queue_len, mac_mode, mac, tuple(mac_data))


# vxlan_parse_opt()'s on/off words (grammar/ip.lark vxlan_opt): the attribute each sets
VXLAN_SWITCHES = {"nolearning": ("learning", False), "learning": ("learning", True),
                  "noproxy": ("proxy", False), "proxy": ("proxy", True),
                  "norsc": ("rsc", False), "rsc": ("rsc", True),
                  "nol2miss": ("l2miss", False), "l2miss": ("l2miss", True),
                  "nol3miss": ("l3miss", False), "l3miss": ("l3miss", True),
                  "udpcsum": ("udp_csum", True), "noudpcsum": ("udp_csum", False),
                  "udp6zerocsumtx": ("udp_zero_csum6_tx", True),
                  "noudp6zerocsumtx": ("udp_zero_csum6_tx", False),
                  "udp6zerocsumrx": ("udp_zero_csum6_rx", True),
                  "noudp6zerocsumrx": ("udp_zero_csum6_rx", False),
                  "remcsumtx": ("remcsum_tx", True), "noremcsumtx": ("remcsum_tx", False),
                  "remcsumrx": ("remcsum_rx", True), "noremcsumrx": ("remcsum_rx", False),
                  "external": ("external", True), "noexternal": ("external", False),
                  "gbp": ("gbp", True), "gpe": ("gpe", True)}


def _check_duparg(seen: set, attr: str, key: str, arg: str) -> None:
    """check_duparg(): each attribute once."""
    if attr in seen:
        raise duparg2(key, arg)
    seen.add(attr)


def parse_vxlan_options(ctx: ToolContext, argv: list[str], create: bool) -> VxlanData:
    """vxlan_parse_opt() (ip/iplink_vxlan.c): the attributes in the order it adds
    them; the warnings it prints go to stderr and the command goes on."""
    usage = usage_text("ip_link_vxlan", ctx.profile)
    attrs: dict = {}
    seen: set = set()
    saddr = daddr = None
    learning, metadata, vnifilter, dstport = True, False, False, 0
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark vxlan_opt
        if kw in ("id", "vni"):
            value = args.next_arg()
            _check_duparg(seen, "id", "id", value)
            vni = get_unsigned(value)
            if vni is None or vni >= 1 << 24:
                raise invarg("invalid id", value)
            attrs["id"] = vni
        elif kw in ("group", "remote"):
            group = kw == "group"
            if daddr is not None and daddr.is_multicast != group:
                raise CommandError("vxlan: both group and remote cannot be specified\n", 1)
            value = args.next_arg()
            _check_duparg(seen, "group", "group" if group else "remote", value)
            family = saddr.version if saddr is not None else 0
            daddr = get_addr(value, family).address
            if daddr.is_multicast != group or daddr.is_unspecified:
                raise invarg("invalid group address" if group else "invalid remote address",
                             value)
        elif kw == "local":
            value = args.next_arg()
            _check_duparg(seen, "local", "local", value)
            saddr = get_addr(value, daddr.version if daddr is not None else 0).address
            if saddr.is_multicast or saddr.is_unspecified:
                raise invarg("invalid local address", value)
        elif kw == "dev":
            value = args.next_arg()
            _check_duparg(seen, "link", "dev", value)
            lower = ll_name_to_index(ctx.netns, value)     # vxlan_parse_opt()
            if lower is None:
                raise CommandError(f'Cannot find device "{value}"\n', EXIT_ARG)
            attrs["link"] = lower.ifindex
        elif kw in ("ttl", "hoplimit"):
            value = args.next_arg()
            _check_duparg(seen, "ttl", "ttl", value)
            if value == "inherit":
                attrs["ttl_inherit"] = True
            elif value == "auto":
                attrs["ttl"] = 0
            else:
                ttl = get_unsigned(value)
                if ttl is None:
                    raise invarg("invalid TTL", value)
                if ttl > 255:
                    raise invarg("TTL must be <= 255", value)
                attrs["ttl"] = ttl
        elif kw in ("tos", "dsfield"):
            value = args.next_arg()
            _check_duparg(seen, "tos", "tos", value)
            if value == "inherit":
                attrs["tos"] = 1
            else:
                from ipemu.tools.ip_rule import dsfield_a2n
                tos = dsfield_a2n(value)    # rt_dsfield's names (AF11, CS1, EF...)
                if tos is None:
                    raise invarg("bad TOS value", value)
                attrs["tos"] = tos
        elif kw == "df":
            value = args.next_arg()
            _check_duparg(seen, "df", "df", value)
            if value not in ("unset", "set", "inherit"):
                raise invarg("DF must be 'unset', 'set' or 'inherit'", value)
            attrs["df"] = ("unset", "set", "inherit").index(value)
        elif kw in ("label", "flowlabel"):
            value = args.next_arg()
            _check_duparg(seen, "label", "flowlabel", value)
            label = get_unsigned(value)
            if label is None or label & ~0xFFFFF:
                raise invarg("invalid flowlabel", value)
            attrs["label"] = label
        elif kw == "ageing":
            value = args.next_arg()
            _check_duparg(seen, "ageing", "ageing", value)
            age = 0 if value == "none" else get_unsigned(value)
            if age is None:
                raise invarg("ageing timer", value)
            attrs["ageing"] = age
        elif kw == "maxaddress":
            value = args.next_arg()
            _check_duparg(seen, "limit", "maxaddress", value)
            limit = 0 if value == "unlimited" else get_unsigned(value)
            if limit is None:
                raise invarg("max addresses", value)
            attrs["limit"] = limit
        elif kw in ("port", "srcport"):
            value = args.next_arg()
            _check_duparg(seen, "port_range", "srcport", value)
            low = get_unsigned(value)
            if low is None or low > 0xFFFF:
                raise invarg("min port", value)
            value = args.next_arg()
            high = get_unsigned(value)
            if high is None or high > 0xFFFF:
                raise invarg("max port", value)
            if low or high:
                attrs["port_range"] = (low, high)
        elif kw == "dstport":
            value = args.next_arg()
            _check_duparg(seen, "port", "dstport", value)
            port = get_unsigned(value)
            if port is None or port > 0xFFFF:
                raise invarg("dst port", value)
            dstport = port
        elif kw in ("vnifilter", "novnifilter"):
            _check_duparg(seen, "vnifilter", word, word)
            vnifilter = word == "vnifilter"
            attrs["vnifilter"] = vnifilter       # IFLA_VXLAN_VNIFILTER, 1 or 0
        elif kw == "help":
            raise CommandError(usage, 1)
        elif kw in VXLAN_SWITCHES:
            attr, value = VXLAN_SWITCHES[kw]
            _check_duparg(seen, attr, word, word)
            if attr == "learning":
                learning = value
            else:
                attrs[attr] = value
            if attr == "external":
                metadata = value
                if value:
                    learning = False
        else:
            raise CommandError(f'vxlan: unknown command "{word}"?\n' + usage, 1)
        args.advance()
    if not metadata and vnifilter:
        raise CommandError("vxlan: vnifilter is valid only when 'external' is set\n", 1)
    if metadata and "id" in seen:
        raise CommandError("vxlan: both 'external' and vni cannot be specified\n", 1)
    if not metadata and not vnifilter and "id" not in seen and create:
        raise CommandError("vxlan: missing virtual network identifier\n", 1)
    if daddr is not None and daddr.is_multicast and "link" not in seen:
        raise CommandError("vxlan: 'group' requires 'dev' to be specified\n", 1)
    if "port" not in seen and attrs.get("gpe"):
        dstport = 4790
    elif "port" not in seen and create:
        ctx.term.err("vxlan: destination port not specified\n"
                     "Will use Linux kernel default (non-standard value)\n"
                     "Use 'dstport 4789' to get the IANA assigned value\n"
                     "Use 'dstport 0' to get default and quiet this message\n")
    if saddr is not None:
        attrs["local"] = saddr
    if daddr is not None:
        attrs["remote"] = daddr
    if create or "learning" in seen:
        attrs["learning"] = learning
    if dstport:
        attrs["port"] = dstport
    return VxlanData(tuple(attrs.items()))


# ip/iplink_bridge.c bridge_parse_opt(): the options it compares with matches(), in its
# order (the others, newer, whole)
BRIDGE_MATCHES = (
    "forward_delay", "hello_time", "max_age", "ageing_time", "stp_state", "priority",
    "vlan_filtering", "vlan_protocol", "group_fwd_mask", "group_address", "fdb_flush",
    "vlan_default_pvid", "vlan_stats_enabled", "vlan_stats_per_port", "mcast_router",
    "mcast_snooping", "mcast_query_use_ifaddr", "mcast_querier", "mcast_hash_elasticity",
    "mcast_hash_max", "mcast_last_member_count", "mcast_startup_query_count",
    "mcast_last_member_interval", "mcast_membership_interval", "mcast_querier_interval",
    "mcast_query_interval", "mcast_query_response_interval",
    "mcast_startup_query_interval", "mcast_stats_enabled", "mcast_igmp_version",
    "mcast_mld_version", "nf_call_iptables", "nf_call_ip6tables", "nf_call_arptables")


def parse_bridge_options(argv: list[str], profile: Profile) -> dict[str, str]:
    """bridge_parse_opt(): `KEY VALUE` pairs named in the profile's bridge usage text."""
    import re       # here, not at the top: `ip link show` needs no re (~1.5 ms of a start)
    usage = usage_text("ip_link_bridge", profile)
    bridge_options = set(re.findall(r"\[ ([a-z_]+)", usage))
    options = {}
    i = 0
    while i < len(argv):
        key = argv[i]
        if key == "help":       # (a shorter word matches hello_time first)
            raise CommandError(usage, 1)        # bridge_parse_opt(): explain()
        # bridge_parse_opt() reads its options with matches() in this order: the
        # first one the word abbreviates (`f 400` is forward_delay; recorded)
        key = next((name for name in BRIDGE_MATCHES if name.startswith(key) and
                    name in bridge_options), key)
        if key not in bridge_options:
            raise CommandError(f'bridge: unknown command "{argv[i]}"?\n' + usage, 1)
        if key == "fdb_flush":
            options[key] = "1"                  # IFLA_BR_FDB_FLUSH (a flag)
            i += 1
            continue
        if i + 1 >= len(argv):
            from ipemu.tools.ipargs import incomplete_command
            raise incomplete_command()
        top = _BRIDGE_NUMBERS.get(key)
        if key == "vlan_protocol" and argv[i + 1].lower() not in LL_PROTOS:
            # bridge_parse_opt(): ll_proto_a2n(), a name or get_u16(.., 0)
            from ipemu.tools.ipargs import _strtoul0, invarg
            number = _strtoul0(argv[i + 1])
            if number is None or number > _U16:
                raise invarg("invalid vlan_protocol", argv[i + 1])
        if top is not None:
            # bridge_parse_opt(): get_u8/u16/u32/u64(&val, *argv, 0) or invarg()
            from ipemu.tools.ipargs import _strtoul0, invarg
            number = _strtoul0(argv[i + 1])
            if number is None or number > top:
                raise invarg(f"invalid {key}", argv[i + 1])
        value = argv[i + 1]
        if key == "group_address":
            # ll_addr_a2n() reads it (its message, status 1, for a bad byte); the
            # bytes go as IFLA_BR_GROUP_ADDR, as many as were typed
            value = ll_addr(value).hex(":")
        options[key] = value
        i += 2
    return options


# ip/iplink_bridge.c (iproute2 6.1) bridge_parse_opt(): the options read as plain
# numbers, by the width of their get_uN()
_U8, _U16, _U32, _U64 = 0xFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF
_BRIDGE_NUMBERS = {
    "forward_delay": _U32, "hello_time": _U32, "max_age": _U32, "ageing_time": _U32,
    "stp_state": _U32, "priority": _U16, "vlan_filtering": _U8,
    "vlan_default_pvid": _U16, "vlan_stats_enabled": _U8, "vlan_stats_per_port": _U8,
    "group_fwd_mask": _U16, "mcast_router": _U8, "mcast_snooping": _U8,
    "mcast_query_use_ifaddr": _U8, "mcast_querier": _U8, "mcast_hash_elasticity": _U32,
    "mcast_hash_max": _U32, "mcast_last_member_count": _U32,
    "mcast_startup_query_count": _U32, "mcast_last_member_interval": _U64,
    "mcast_membership_interval": _U64, "mcast_querier_interval": _U64,
    "mcast_query_interval": _U64, "mcast_query_response_interval": _U64,
    "mcast_startup_query_interval": _U64, "mcast_stats_enabled": _U8,
    "mcast_igmp_version": _U8, "mcast_mld_version": _U8, "mcast_vlan_snooping": _U8,
    "nf_call_iptables": _U8,
    "nf_call_ip6tables": _U8, "nf_call_arptables": _U8, "no_linklocal_learn": _U8,
}


def parse_veth_peer(ctx: ToolContext, argv: list[str]) -> LinkArgs:
    """veth_parse_opt(): `peer [name NAME] [attributes]`, parsed like a new link."""
    if not argv:
        return LinkArgs()
    if keyword(argv[0]) != "peer":
        ctx.term.out(usage_text("ip_link_veth", ctx.profile))
        raise CommandError("", 1)
    args = Args(argv[1:])
    peer = parse(args, True, ctx)
    if peer.group is not None and peer.name is None and peer.dev is None:
        # iplink_parse() of the peer: a group with no device named selects devices,
        # which a creation cannot (its own loop took every word)
        raise CommandError("group cannot be used when creating devices.\n", EXIT_ARG)
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


# ---------------------------------------------------------------- batch line plans
FAST_SET = True         # the tests turn the plans off to compare with the full path


FAST_VETH = True        # (as FAST_SET)


def line_plan(ctx: ToolContext, opts: IpOptions, words: list
              ) -> "SetFlagPlan | VethAddPlan | None":
    """A plan for the `link` lines of a batch of the shape of `words` (the whole line
    as the grammar read it, the object first; ipemu/tools/ip_batch.py keys it by the
    grammar's line shape, which generalises device names): `link set [dev] NAME
    up|down` (`change` alike), the most common line of a batch after routes, and
    `link add NAME type veth peer name PEER`. Any other line has no plan (None) and
    takes the full path."""
    if len(words) == 8 and keyword(words[1]) == "add":
        return _veth_plan(ctx, opts, words)
    if not FAST_SET or len(words) not in (4, 5) or \
            keyword(words[1]) not in ("set", "change"):
        return None
    last = keyword(words[-1])
    if last not in ("up", "down"):
        return None
    at = 2
    if len(words) == 5:
        if keyword(words[2]) != "dev":
            return None
        at = 3
    if keyword(words[at]) is not None:
        return None
    # iplink_parse() of `dev NAME up`: LinkArgs(up, dev=name=NAME); build_request()'s
    # ifinfomsg for a device of some index (a set: no IFLA_IFNAME), the line's own
    # index put in per line
    parsed = LinkArgs(up=last == "up", name=words[at], dev=words[at])
    template = build_request(ctx, parsed, ifindex=1)
    return SetFlagPlan(at, template, opts)


def _veth_plan(ctx: ToolContext, opts: IpOptions, words: list) -> "VethAddPlan | None":
    """`link add NAME type veth peer name PEER`: iplink_parse() of NAME (`dev`) and
    veth_parse_opt()'s of `name PEER` read nothing else, so the request
    build_request() makes for one such line is every such line's with the two names
    put in."""
    if not FAST_VETH or keyword(words[2]) is not None or keyword(words[3]) != "type" or \
            words[4] != "veth" or keyword(words[5]) != "peer" or \
            keyword(words[6]) != "name" or keyword(words[7]) is not None or \
            not check_altifname(words[2]) or not check_ifname(words[7]):
        return None
    parsed = parse(Args(words[2:]), True, ctx)
    template = build_request(ctx, parsed, flags=NLM_F.CREATE | NLM_F.EXCL)
    if template is None or template.ifname != words[2] or \
            template.linkinfo.data.peer.ifname != words[7]:
        return None
    return VethAddPlan(template, opts)


class VethAddPlan:
    """iplink_modify() of `link add NAME type veth peer name PEER` for a later line of
    the shape: iplink_parse()'s checks of the two names (check_altifname() of the
    device, check_ifname() of the peer's `name`), the request with the line's names,
    the kernel's answer. None, having printed nothing, when a name fails its check
    (the full path prints the error)."""

    __slots__ = ("template", "opts")
    run_lines = None

    def __init__(self, template, opts: IpOptions) -> None:
        self.template, self.opts = template, opts

    def __call__(self, ctx: ToolContext, words: list) -> int | None:
        name, peer = words[2], words[7]
        if words[4] != "veth" or not check_altifname(name) or not check_ifname(peer):
            return None
        template = self.template
        info = template.linkinfo
        req = replace(template, ifname=name, linkinfo=replace(
            info, data=replace(info.data, peer=replace(info.data.peer, ifname=peer))))
        try:
            ctx.netns.new_link(req)
        except KernelError as err:
            raise talk_error(err)
        ll_drop_by_index(self.opts, req.ifindex)
        return 0


class SetFlagPlan:
    """iplink_modify() of `link set [dev] NAME up|down` for a later line of the shape:
    iplink_parse()'s name check and ll_name_to_index() (RTM_GETLINK by name), the
    request build_request() makes for it (`template` with the device's index), the
    kernel's answer, ll_drop_by_index(). None, having printed nothing, when the name is
    not a plain device name of the namespace (the full path prints its error)."""

    __slots__ = ("at", "template", "opts")
    run_lines = None        # (ip_batch: no run of lines taken at once)

    def __init__(self, at: int, template, opts: IpOptions) -> None:
        self.at, self.template, self.opts = at, template, opts

    def __call__(self, ctx: ToolContext, words: list) -> int | None:
        name = words[self.at]
        if not check_altifname(name):
            return None
        ns = ctx.netns
        device = ll_name_to_index(ns, name)
        if device is None or device.name != name:
            return None
        req = replace(self.template, ifindex=device.ifindex)
        try:
            ns.new_link(req)
        except KernelError as err:
            raise talk_error(err)
        ll_drop_by_index(self.opts, req.ifindex)
        return 0
