"""`ip link`: add, set, delete, show (iproute2 ip/iplink.c)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error, usage_text
from ipemu.tools.ipargs import (EXIT_ARG, Args, check_altifname, check_ifname, duparg, duparg2, get_integer,
                                get_unsigned, invarg, matches, parse_addr_1)
from ipemu.tools.rtnl import talk_error

KNOWN_KINDS = {"veth", "bridge", "dummy", "vlan", "vxlan", "macvlan", "ipvlan", "bond",
               "team", "gre", "ipip", "sit", "vrf", "vcan", "vxcan", "geneve", "wireguard",
               "ifb", "nlmon", "netdevsim", "tun", "tap"}
SIMULATED_KINDS = {"veth", "bridge", "dummy", "vlan"}
VLAN_FLAGS = ("reorder_hdr", "gvrp", "mvrp", "loose_binding", "bridge_binding")
# ll_proto_a2n(): the names iproute2 knows for an EtherType (strcasecmp)
LL_PROTOS = {"802.1q": 0x8100, "802.1ad": 0x88A8, "ip": 0x0800, "ipv6": 0x86DD, "arp": 0x0806}


@dataclass
class LinkRequest:
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
    promisc: bool | None = None
    index: int | None = None
    link: str | None = None


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


def parse(args: Args, create: bool, ctx: ToolContext) -> LinkRequest:
    """iplink_parse(): the attribute loop; stops after `type KIND`."""
    req = LinkRequest()
    while args:
        word = args.cur
        if word == "up":
            req.up = True
        elif word == "down":
            req.up = False
        elif word == "name":
            value = args.next_arg()
            if req.name is not None:
                raise duparg("name", value)
            if not check_ifname(value):
                raise invarg('"name" not a valid ifname', value)
            req.name = value
            if req.dev is None:
                req.dev = value
        elif word == "index":
            value = args.next_arg()
            idx = get_integer(value) or 0
            if idx <= 0:
                raise invarg('Invalid "index" value', value)
            req.index = idx
        elif matches(word, "link"):
            req.link = args.next_arg()
        elif matches(word, "address"):
            req.address = ll_addr(args.next_arg())
        elif matches(word, "broadcast") or word == "brd":
            req.broadcast = ll_addr(args.next_arg())
        elif matches(word, "txqueuelen") or word == "qlen" or matches(word, "txqlen"):
            value = args.next_arg()
            if req.qlen is not None:
                raise duparg("txqueuelen", value)
            qlen = get_integer(value)
            if qlen is None:
                raise invarg('Invalid "txqueuelen" value\n', value)
            req.qlen = qlen
        elif word == "mtu":
            value = args.next_arg()
            if req.mtu is not None:
                raise duparg("mtu", value)
            mtu = get_integer(value)
            if mtu is None:
                raise invarg('Invalid "mtu" value\n', value)
            req.mtu = mtu
        elif word == "netns":
            value = args.next_arg()
            if value not in ctx.host.namespaces and get_integer(value) is None:
                raise invarg('Invalid "netns" value\n', value)
            req.netns = value
        elif word in ("multicast", "allmulticast", "promisc", "trailers", "arp", "dynamic",
                      "carrier", "protodown"):
            value = args.next_arg()
            if value not in ("on", "off"):
                raise on_off(word, value)
            if word == "promisc":
                req.promisc = value == "on"
        elif matches(word, "master"):
            value = args.next_arg()
            if ctx.netns.by_name(value) is None:
                raise invarg("Device does not exist\n", value)
            req.master = value
        elif matches(word, "nomaster"):
            req.master = ""
        elif matches(word, "type"):
            req.kind = args.next_arg()
            args.advance()
            req.kind_args = args.rest()
            args.i = len(args.argv)
            break
        elif matches(word, "alias"):
            req.alias = args.next_arg()
        elif word == "group":
            value = args.next_arg()
            if req.group is not None:
                raise duparg("group", value)
            group = 0 if value == "default" else get_integer(value)
            if group is None:
                raise invarg('Invalid "group" value\n', value)
            req.group = group
        elif word in ("mode", "state", "addrgenmode", "gso_max_size", "gso_max_segs",
                      "gro_max_size", "numtxqueues", "numrxqueues", "vrf", "parentdev"):
            args.next_arg()
        else:
            if matches(word, "help"):
                raise usage_error("ip_link")
            if word == "dev":
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
    if matches(cmd, "add"):
        return modify(ctx, opts, argv[1:], "add")
    if matches(cmd, "set") or matches(cmd, "change"):
        return modify(ctx, opts, argv[1:], "set")
    if matches(cmd, "replace"):
        return modify(ctx, opts, argv[1:], "replace")
    if matches(cmd, "delete"):
        return modify(ctx, opts, argv[1:], "delete")
    if matches(cmd, "show") or matches(cmd, "lst") or matches(cmd, "list"):
        return list_or_flush(ctx, opts, argv[1:], do_link=True)
    if matches(cmd, "xstats"):
        raise CommandError("xstats: missing argument\n", 1)
    if matches(cmd, "afstats"):
        return 0
    if matches(cmd, "property"):
        raise usage_error("ip_link")
    if matches(cmd, "help"):
        return link_help(ctx, argv[1:])
    raise CommandError(f'Command "{cmd}" is unknown, try "ip link help".\n', EXIT_ARG)


def link_help(ctx: ToolContext, argv: list[str]) -> int:
    """`ip link help TYPE` prints the type's usage on stdout; plain help is usage()."""
    if argv and argv[0] in ("veth", "bridge", "vlan"):
        ctx.term.out(usage_text(f"ip_link_{argv[0]}"))
        return 0
    if argv and argv[0] == "dummy":
        ctx.term.out("Usage: ... dummy\n")
        return 0
    raise usage_error("ip_link")


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], mode: str) -> int:
    create = mode in ("add", "replace")
    args = Args(argv)
    req = parse(args, create, ctx)
    ns = ctx.netns
    if req.group is not None and req.dev is None:
        return modify_group(ctx, req, mode)
    if mode == "delete":
        dev = ns.by_name(req.dev)
        try:
            ns.delete_device(dev)
        except KernelError as err:
            raise talk_error(err)
        return 0
    if mode == "replace":
        if ns.by_name(req.dev or "") is not None:
            raise talk_error(KernelError(Errno.EOPNOTSUPP))
    if create:
        if req.kind is None:
            raise CommandError('Not enough information: "type" argument is required\n', 1)
        return add_link(ctx, req)
    if req.kind is not None and req.kind_args:
        if matches(req.kind_args[0], "help"):
            raise usage_error("ip_link")
        if req.kind == "veth" and req.kind_args[0] == "peer":
            parse(Args(req.kind_args[1:]), False, ctx)  # the peer must exist
    return set_link(ctx, req)


def add_link(ctx: ToolContext, req: LinkRequest) -> int:
    ns = ctx.netns
    kind = req.kind
    if kind == "veth" and req.kind_args and matches(req.kind_args[0], "help"):
        ctx.term.out(usage_text("ip_link_veth"))
        return 1
    lower = None
    if req.link is not None:
        lower = ns.by_name(req.link)
        if lower is None:
            raise CommandError(f'Cannot find device "{req.link}"\n', 1)
    vlan = parse_vlan_options(req.kind_args) if kind == "vlan" and req.kind_args else None
    if kind not in SIMULATED_KINDS or kind in ctx.profile.get("kernel", {}).get(
            "missing_drivers", []):
        raise talk_error(KernelError(Errno.EOPNOTSUPP, "Unknown device type"))
    if req.address is not None and len(req.address) != 6:
        raise talk_error(KernelError(Errno.EINVAL))
    if req.mtu is not None and kind != "vlan" and not 68 <= req.mtu <= 65535:
        raise talk_error(KernelError(Errno.EINVAL))
    if req.name is not None and len(req.name) >= 16:
        raise talk_error(KernelError(Errno.EINVAL, "Attribute failed policy validation"))
    try:
        if kind == "veth":
            peer = parse_veth_peer(ctx, req.kind_args)
            # the kernel registers (and so names) the peer first
            peer_name = peer.name or _free_name(ns, "veth", skip=req.name)
            name = req.name or _free_name(ns, "veth", skip=peer_name)
            if req.address is not None and req.address[0] & 1:
                raise KernelError(Errno.EADDRNOTAVAIL)
            # `ip link add NAME netns A type veth peer name P netns B`: each end is
            # created in its own namespace
            home = ctx.host.namespaces.get(req.netns, ns) if req.netns else ns
            peer_home = ctx.host.namespaces.get(peer.netns, ns) if peer.netns else ns
            dev = home.add_veth(name, peer_name, address=req.address,
                                peer_address=peer.address, mtu=req.mtu, peer_mtu=peer.mtu,
                                peer_ns=peer_home)
            if peer.qlen is not None:
                dev.peer.txqlen = peer.qlen & 0xFFFFFFFF
            if peer.up:
                ns.set_up(dev.peer, True)
        elif kind == "dummy":
            if req.kind_args:
                raise CommandError(
                    f'Garbage instead of arguments "{req.kind_args[0]} ...". Try "ip link '
                    'help".\n', 1)
            dev = ns.create_device(req.name or _free_name(ns, "dummy"), "dummy",
                                   address=req.address, mtu=req.mtu)
        elif kind == "vlan":
            if vlan is None:     # `type vlan` alone: no IFLA_INFO_DATA at all
                raise KernelError(Errno.EINVAL, "8021q: VLAN properties not specified")
            dev = ns.add_vlan(req.name or _free_name(ns, "vlan"), lower, vlan["id"],
                              vlan["protocol"], address=req.address, mtu=req.mtu)
            flags = dev.vlan.flags
            for flag, on in vlan["flags"].items():
                name = flag.upper()
                if on and name not in flags:
                    flags.append(name)
                elif not on and name in flags:
                    flags.remove(name)
            flags.sort(key=lambda f: VLAN_FLAGS.index(f.lower()))
            dev.vlan.ingress_qos = vlan["ingress"] or []
            dev.vlan.egress_qos = vlan["egress"] or []
        else:
            parse_bridge_options(req.kind_args)     # iproute2 refuses bad options itself
            dev = ns.add_bridge(req.name or _free_name(ns, "bridge"), address=req.address,
                                mtu=req.mtu)
        if req.qlen is not None:
            dev.txqlen = req.qlen & 0xFFFFFFFF
        if req.group is not None:
            dev.group = req.group
        if req.master:
            try:
                ns.set_master(dev, ns.by_name(req.master))
            except KernelError:
                # rtnl_newlink_create(): out_unregister, the device (and its peer) gone
                (home if kind == "veth" else ns).delete_device(dev)
                raise
        if req.up:
            ns.set_up(dev, True)
    except KernelError as err:
        raise talk_error(err)
    return 0


BRIDGE_OPTIONS = None


def parse_vlan_options(argv: list[str]) -> dict:
    """vlan_parse_opt() (ip/iplink_vlan.c)."""
    out: dict = {"id": None, "protocol": 0x8100, "flags": {}, "ingress": [], "egress": []}
    args = Args(argv)
    while args:
        word = args.cur
        if matches(word, "protocol"):
            value = args.next_arg()
            proto = LL_PROTOS.get(value.lower())
            if proto is None:
                proto = get_unsigned(value)
                if proto is None or proto > 0xFFFF:
                    raise invarg("protocol is invalid", value)
            out["protocol"] = proto
        elif matches(word, "id"):
            value = args.next_arg()
            vid = get_unsigned(value)
            if vid is None or vid > 0xFFFF:
                raise invarg("id is invalid", value)
            out["id"] = vid
        elif any(matches(word, flag) for flag in VLAN_FLAGS):
            flag = next(f for f in VLAN_FLAGS if matches(word, f))
            value = args.next_arg()
            if value not in ("on", "off"):
                raise on_off(flag, value)
            out["flags"][flag] = value == "on"
        elif matches(word, "ingress-qos-map") or matches(word, "egress-qos-map"):
            key = "ingress" if matches(word, "ingress-qos-map") else "egress"
            args.advance()
            while args and ":" in args.cur:
                left, _, right = args.cur.partition(":")
                low, high = get_unsigned(left), get_unsigned(right)
                if low is None or high is None:
                    raise invarg(f"invalid {key}-qos-map", args.cur)
                out[key].append((low, high))
                args.advance()
            continue
        elif matches(word, "help"):
            raise CommandError(usage_text("ip_link_vlan"), 1)
        else:
            raise CommandError(f'vlan: unknown command "{word}"?\n' + usage_text("ip_link_vlan"),
                               1)
        args.advance()
    return out


def parse_bridge_options(argv: list[str]) -> dict[str, str]:
    """bridge_parse_opt(): `KEY VALUE` pairs named in the bridge's usage text."""
    global BRIDGE_OPTIONS
    if BRIDGE_OPTIONS is None:
        import re
        BRIDGE_OPTIONS = set(re.findall(r"\[ ([a-z_]+)", usage_text("ip_link_bridge")))
    options = {}
    i = 0
    while i < len(argv):
        key = argv[i]
        if key not in BRIDGE_OPTIONS:
            raise CommandError(f'bridge: unknown command "{key}"?\n'
                               + usage_text("ip_link_bridge"), 1)
        if key == "fdb_flush":
            i += 1
            continue
        if i + 1 >= len(argv):
            from ipemu.tools.ipargs import incomplete_command
            raise incomplete_command()
        options[key] = argv[i + 1]
        i += 2
    return options


def _free_name(ns, prefix: str, skip: str | None = None) -> str:
    n = 0
    while ns.by_name(f"{prefix}{n}") is not None or f"{prefix}{n}" == skip:
        n += 1
    return f"{prefix}{n}"


def parse_veth_peer(ctx: ToolContext, argv: list[str]) -> LinkRequest:
    """veth_parse_opt(): `peer [name NAME] [attributes]`, parsed like a new link."""
    if not argv:
        return LinkRequest()
    if argv[0] != "peer":
        ctx.term.out(usage_text("ip_link_veth"))
        raise CommandError("", 1)
    args = Args(argv[1:])
    peer = parse(args, True, ctx)
    if peer.kind is not None:
        raise duparg("type", peer.kind)
    return peer


def modify_group(ctx: ToolContext, req: LinkRequest, mode: str) -> int:
    """`ip link set group N up`: the change applies to every device of the group."""
    if mode == "delete":
        raise talk_error(KernelError(Errno.EPERM))
    if mode != "set":
        raise CommandError("group cannot be used when creating devices.\n", EXIT_ARG)
    for dev in ctx.netns.device_list():
        if dev.group == req.group and req.up is not None:
            ctx.netns.set_up(dev, req.up)
    return 0


def set_link(ctx: ToolContext, req: LinkRequest) -> int:
    ns = ctx.netns
    dev = ns.by_name(req.dev)
    try:
        if req.address is not None:
            if len(req.address) != len(dev.address):
                raise CommandError(
                    f"Invalid address length {len(req.address)} - must be "
                    f"{len(dev.address)} bytes\n", 1)
        if req.netns is not None:
            target = ctx.host.namespaces.get(req.netns)
            if target is None:
                raise KernelError(Errno.ESRCH)  # a pid: no such process here
            ns.move_device(dev, target)
            return 0
        # do_setlink() applies in this order and stops at the first refusal, keeping
        # what it did before (recorded: transcripts/robust/link_set_whole.txt):
        # address, mtu, group, name, flags, master, txqlen
        if req.address is not None:
            ns.set_address(dev, req.address)
        if req.mtu is not None:
            ns.set_mtu(dev, req.mtu)
        if req.group is not None:
            dev.group = req.group
        if req.name is not None and req.name != req.dev:
            ns.rename(dev, req.name)
        if req.up is not None:
            ns.set_up(dev, req.up)
        if req.master is not None:
            master = ns.by_name(req.master) if req.master else None
            if master is not None and master.kind != "bridge":
                raise KernelError(Errno.EOPNOTSUPP)
            ns.set_master(dev, master)
        if req.qlen is not None:
            dev.txqlen = req.qlen & 0xFFFFFFFF
    except KernelError as err:
        raise talk_error(err)
    return 0
