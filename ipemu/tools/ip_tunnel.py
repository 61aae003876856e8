"""`ip tunnel` for IPv4 tunnels (iproute2 6.1 ip/iptunnel.c, ip/tunnel.c): add, change,
del and show through the tunnel ioctls on the fallback devices (gre0, tunl0, sit0),
which the kernel answers in kernel/ip_tunnel.py."""
from __future__ import annotations

import ipaddress

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel.ip_tunnel import (GRE_CSUM, GRE_KEY, GRE_SEQ, IPPROTO_GRE, IPPROTO_IPIP,
                                    IPPROTO_IPV6, IPPROTO_MPLS, tunnel_ioctl)
from ipemu.kernel.netdev import TunnelPriv
from ipemu.plainclass import replace
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import Args, check_ifname, duparg2, get_addr, get_prefix, \
    incomplete_command, invarg, matches
from ipemu.tools.rtnl import strerror

# iptunnel.c tunnel_mode_is_ipv6(): a `mode` of these sends the command to ip6tunnel.c
IPV6_MODES = ("ipv6/ipv6", "ip6ip6", "vti6", "ip/ipv6", "ipv4/ipv6", "ipip6", "ip4ip6",
              "ip6gre", "gre/ipv6", "any/ipv6", "any")
STRPROTO = {IPPROTO_IPIP: "ip", IPPROTO_GRE: "gre", IPPROTO_IPV6: "ipv6", 50: "esp",
            IPPROTO_MPLS: "mpls", 0: "any"}
BASEDEV = {IPPROTO_IPIP: "tunl0", IPPROTO_GRE: "gre0", IPPROTO_IPV6: "sit0"}
VTI_ISVTI = 0x0001      # iproute2's flag in i_flags for `mode vti`


# <linux/if_tunnel.h> SIOCDEVPRIVATE + 5, 6 and 9, 10
SIOCADDPRL, SIOCDELPRL = 0x89F5, 0x89F6
SIOCADD6RD, SIOCDEL6RD = 0x89F9, 0x89FA


def tnl_defname(p) -> str | None:
    """tnl_defname(): the mode's fallback device; ip_vti0 for vti (an ipip-protocol
    tunnel flagged VTI_ISVTI)."""
    if p.protocol == IPPROTO_IPIP and p.i_flags & VTI_ISVTI:
        return "ip_vti0"
    return BASEDEV.get(p.protocol)


def do_iptunnel(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_iptunnel(): an IPv6 mode goes to ip6tunnel (not simulated), else the
    command the first word abbreviates."""
    ipv6 = opts.family == 6
    for i, word in enumerate(argv[:-1]):
        if word == "mode":
            ipv6 = ipv6 or argv[i + 1] in IPV6_MODES
            break
    if ipv6:
        return _ip6_without_driver(ctx, opts, argv)
    if not argv:
        return do_show(ctx, [], opts)
    cmd = argv[0]
    kw = keyword(cmd)               # grammar/ip.lark tunnel_cmd
    if kw == "add":
        return do_add(ctx, "add", argv[1:])
    if kw == "change":
        return do_add(ctx, "chg", argv[1:])
    if kw == "delete":
        return do_del(ctx, argv[1:])
    if kw in ("show", "lst", "list"):
        return do_show(ctx, argv[1:], opts)
    if kw == "prl":
        return do_prl(cmd, argv[1:], ctx)
    if kw == "6rd":
        return do_6rd(cmd, argv[1:], ctx)
    if kw == "help":
        raise usage_error("ip_tunnel", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip tunnel help"\n', 255)


def _strtoul(text: str, base: int) -> int | None:
    """strtoul() of the whole word in `base` (0: C's prefixes; 16: an optional 0x):
    leading blanks and a sign allowed (a minus wraps), None when a character is left."""
    body = text.lstrip(" \t\n\v\f\r")
    neg = body.startswith("-")
    if body[:1] in ("-", "+"):
        body = body[1:]
    if base in (0, 16) and body[:2].lower() == "0x" and len(body) > 2:
        body, base = body[2:], 16
    elif base == 0:
        base = 8 if body.startswith("0") and len(body) > 1 else 10
    try:
        value = int(body, base) if body and body.isalnum() else None
    except ValueError:
        return None
    if value is None:
        return None
    return (-value) % (1 << 64) if neg else value


def _ip6_parse_args(ctx: ToolContext, argv: list[str], cmd: str) -> tuple[str, str]:
    """ip6tunnel.c parse_args() (6.1): every word compared whole (dsfield and help
    matched), the values checked as it checks them; any other word is the name, a
    change's first word looked up at once. Returns the name ("" for none) and the
    mode's base device (do_add(), do_del())."""
    name = ""
    basedev = "ip6tnl0"
    medium = None
    args = list(argv)
    count = 0
    i = 0

    def value() -> str:
        if i + 1 >= len(args):
            raise incomplete_command()
        return args[i + 1]

    while i < len(args):
        word = args[i]
        if word == "mode":
            mode = value()
            i += 1
            if mode in ("ipv6/ipv6", "ip6ip6", "ip/ipv6", "ipv4/ipv6", "ipip6", "ip4ip6",
                        "any/ipv6", "any"):
                basedev = "ip6tnl0"
            elif mode == "vti6":
                basedev = "ip6_vti0"
            elif mode in ("ip6gre", "gre/ipv6"):
                basedev = "ip6gre0"
            else:
                raise CommandError(f'Unknown tunnel mode "{mode}"\n', 255)
        elif word in ("remote", "local"):
            get_addr(value(), 6)
            i += 1
        elif word == "dev":
            medium = value()
            i += 1
        elif word == "encaplimit":
            i += 1      # get_u8(...) < -1 is never true: any word is taken
            value_ = args[i] if i < len(args) else None
            if value_ is None:
                raise incomplete_command()
        elif word in ("hoplimit", "ttl", "hlim"):
            text = value()
            i += 1
            number = _strtoul(text, 0)
            if number is None or number > 0xFF:
                raise invarg("invalid TTL", text)
        elif word in ("tclass", "tc", "tos") or matches(word, "dsfield"):
            text = value()
            i += 1
            number = _strtoul(text, 16)
            if text != "inherit" and (number is None or number > 0xFF):
                raise invarg("invalid TClass", text)
        elif word in ("flowlabel", "fl"):
            text = value()
            i += 1
            number = _strtoul(text, 16)
            if text != "inherit" and (number is None or number > 0xFFFFF):
                raise invarg("invalid Flowlabel", text)
        elif word == "dscp":
            text = value()
            i += 1
            if text != "inherit":
                raise invarg("not inherit", text)
        elif word in ("key", "ikey", "okey"):
            from ipemu.tools.ip_link_kinds import _tnl_key
            _tnl_key(word, value())
            i += 1
        elif word in ("allow-localremote", "noallow-localremote", "seq", "iseq", "oseq",
                      "csum", "icsum", "ocsum"):
            pass
        else:
            if word == "name":
                word = value()
                i += 1
            elif matches(word, "help"):
                raise CommandError(ctx.profile.usage("ip6_tunnel"), 255)
            if name:
                raise duparg2("name", word)
            if not check_ifname(word):
                raise invarg('"name" not a valid ifname', word)
            name = word
            if cmd == "change" and count == 0:
                # tnl_get_ioctl(): no such device without the driver
                raise CommandError(f'get tunnel "{word}" failed: {_no_tunnel(ctx, word)}\n', 1)
        count += 1
        i += 1
    if medium is not None and ctx.netns.by_name(medium) is None:
        raise CommandError(f'Cannot find device "{medium}"\n', 1)     # nodev()
    return name, basedev


def _ip6_without_driver(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ip6tunnel() on a kernel without ip6_tunnel: parse_args() as it reads the
    words, then every ioctl names a device that is not there (ENODEV): a name's own,
    or the mode's fallback (ip6tnl0, ip6gre0, ip6_vti0). With the driver there, IPv6
    tunnels are not simulated."""
    if not argv:
        return _ip6_list(ctx, opts)
    cmd = argv[0]
    kw = next((k for k in ("add", "change", "delete", "show", "lst", "list", "help")
               if matches(cmd, k)), None)
    if kw == "help":
        raise CommandError(ctx.profile.usage("ip6_tunnel"), 255)
    if kw is None:
        raise CommandError(f'Command "{cmd}" is unknown, try "ip -f inet6 tunnel help".\n',
                           255)
    name, basedev = _ip6_parse_args(ctx, argv[1:], kw)
    listing = kw in ("show", "lst", "list") and (not name or opts.stats)
    if not listing and "ip6tnl" not in ctx.netns.kernel.get("missing_drivers", []):
        raise CommandError("ipemu: `ip -6 tunnel` is not simulated yet\n", 1)
    if kw in ("add", "change"):
        # do_add() -> tnl_add_ioctl(): the name's device for a change, else the base's
        err = "" if name else "Tunnel interface name not specified\n"
        target = name if kw == "change" and name else basedev
        raise CommandError(f'{err}add tunnel "{target}" failed: No such device\n', 1)
    if kw == "delete":
        # tnl_del_ioctl(): the name's device, else the base's
        target = name or basedev
        raise CommandError(f'delete tunnel "{target}" failed: {_no_tunnel(ctx, target)}\n', 1)
    if not name or opts.stats:
        return _ip6_list(ctx, opts)
    raise CommandError(f'get tunnel "{name}" failed: {_no_tunnel(ctx, name)}\n', 1)


def _no_tunnel(ctx: ToolContext, name: str) -> str:
    """What an ioctl of ip6_tunnel's on `name` meets without the driver: no device
    (ENODEV), or a device that is not a tunnel, whose dev_siocdevprivate() has no
    ndo_siocdevprivate (EOPNOTSUPP; recorded: `ip -6 tunnel show eth0` of a veth)."""
    return "Operation not supported" if ctx.netns.by_name(name) is not None else \
        "No such device"


def _ip6_list(ctx: ToolContext, opts: IpOptions) -> int:
    """ip6tunnel.c do_show() -> do_tunnels_list(): only IPv6 tunnel devices
    (ARPHRD_TUNNEL6, ip6gre) are listed, and there are none without the driver (no
    ip6tnl0 fallback either): nothing is printed but new_json_obj()'s empty array."""
    if opts.json:
        ctx.term.out(_empty_json(opts))
    return 0


def _addr32(text: str) -> ipaddress.IPv4Address | None:
    """get_addr32(): "any" is 0; anything but an address ends the program."""
    from ipemu.tools.ipargs import parse_addr_1
    if text == "any":
        return None
    pfx = parse_addr_1(text, 4)
    if pfx is None:
        raise CommandError(f'Error: an IP address is expected rather than "{text}"\n', 1)
    return pfx.address if int(pfx.address) else None


def parse_args(ctx: ToolContext, argv: list[str], cmd: str) -> tuple[TunnelPriv, str, bool]:
    """parse_args(): the ip_tunnel_parm (DF on unless nopmtudisc), its name and
    whether it was given; the protocol from the mode or the name's start."""
    from ipemu.tools.ip_link_kinds import _tnl_key, _tos
    p = TunnelPriv(protocol=0, pmtudisc=True, ip6rd=())
    name = ""
    isatap = vti = False
    medium = None
    count = 0
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark tunnel_opt
        if kw == "mode":
            value = args.next_arg()
            if value in ("ipip", "ip/ip"):
                p.protocol = IPPROTO_IPIP
            elif value in ("gre", "gre/ip"):
                p.protocol = IPPROTO_GRE
            elif value in ("sit", "ipv6/ip"):
                p.protocol = IPPROTO_IPV6
            elif value == "isatap":
                p.protocol, isatap = IPPROTO_IPV6, True
            elif value == "vti":      # refused once parsed, as the ioctl would go
                p.protocol, vti = IPPROTO_IPIP, True
            else:
                raise CommandError(f'Unknown tunnel mode "{value}"\n', 255)
        elif kw in ("key", "ikey", "okey"):
            key = _tnl_key(kw, args.next_arg())
            if kw != "okey":
                p.i_flags, p.i_key = p.i_flags | GRE_KEY, key
            if kw != "ikey":
                p.o_flags, p.o_key = p.o_flags | GRE_KEY, key
        elif kw in ("seq", "iseq", "oseq", "csum", "icsum", "ocsum"):
            bit = GRE_SEQ if kw.endswith("seq") else GRE_CSUM
            if kw[0] != "o":
                p.i_flags |= bit
            if kw[0] != "i":
                p.o_flags |= bit
        elif kw in ("nopmtudisc", "pmtudisc"):
            p.pmtudisc = kw == "pmtudisc"
        elif kw in ("remote", "local"):
            setattr(p, kw, _addr32(args.next_arg()))
        elif kw == "dev":
            medium = args.next_arg()
        elif kw in ("ttl", "hoplimit", "hlim"):
            value = args.next_arg()
            if value != "inherit":
                from ipemu.tools.ip_link_kinds import _ttl
                p.ttl = _ttl(value)
        elif kw in ("tos", "tclass", "dsfield"):
            p.tos = _tos(args.next_arg())
        else:
            if kw == "name":
                word = args.next_arg()
            elif kw == "help":
                raise usage_error("ip_tunnel", ctx.profile)
            if name:
                raise duparg2("name", word)
            if not check_ifname(word):
                raise invarg('"name" not a valid ifname', word)
            name = word
            if cmd == "chg" and count == 0:
                p = _get(ctx, word)
        count += 1
        args.advance()
    if p.protocol == 0:
        for stem, proto in (("gre", IPPROTO_GRE), ("ipip", IPPROTO_IPIP),
                            ("sit", IPPROTO_IPV6), ("isatap", IPPROTO_IPV6)):
            if name.startswith(stem):
                p.protocol = proto
                isatap = isatap or stem == "isatap"
                break
        else:
            if name.startswith("vti"):
                p.protocol, vti = IPPROTO_IPIP, True
    if (p.i_flags | p.o_flags) & GRE_KEY and not vti and p.protocol != IPPROTO_GRE:
        raise CommandError("Keys are not allowed with ipip and sit tunnels\n", 1)
    if medium is not None:
        dev = ctx.netns.by_name(medium)
        if dev is None:
            raise CommandError(f'Cannot find device "{medium}"\n', 1)
        p.link = dev.ifindex
    if p.remote is not None and p.remote.is_multicast:
        if not p.i_key:
            p.i_key, p.i_flags = int(p.remote), p.i_flags | GRE_KEY
        if not p.o_key:
            p.o_key, p.o_flags = int(p.remote), p.o_flags | GRE_KEY
        if p.local is None:
            raise CommandError("A broadcast tunnel requires a source address\n", 1)
    if vti:
        p.i_flags |= VTI_ISVTI
    p.isatap = isatap
    return p, name, bool(name)


def _tnl_gen_ioctl(ctx: ToolContext, request: int, medium: str, what: str) -> int:
    """tnl_gen_ioctl(): the request on the named device; a missing one is ENODEV,
    printed as `NAME: ioctl 89f5 failed: No such device` (do_iptunnel() -> 1)."""
    if not request:
        # no prefix or entry given: ioctl(fd, 0) is no command dev_ioctl() knows
        raise CommandError(f"{medium}: ioctl 0 failed: Inappropriate ioctl for device\n", 1)
    dev = ctx.netns.by_name(medium)
    if dev is None:
        raise CommandError(f"{medium}: ioctl {request:x} failed: No such device\n", 1)
    if dev.tnl is None or dev.kind != "sit":
        # dev_siocdevprivate(): a device without ndo_siocdevprivate (all but sit)
        raise CommandError(f"{medium}: ioctl {request:x} failed: Operation not supported\n",
                           1)
    raise CommandError(f"ipemu: `ip tunnel {what}` is not simulated yet\n", 1)


def do_prl(cmd: str, argv: list[str], ctx: ToolContext | None = None) -> int:
    """do_prl(): one potential router list entry of an ISATAP device, parsed as
    iproute2 parses it; the SIOCADDPRL/SIOCDELPRL ioctl is not simulated."""
    count = 0
    medium = None
    request = 0
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark prl_opt
        if kw in ("prl-default", "prl-nodefault", "prl-delete"):
            _addr32(args.next_arg())
            count += 1
            request = SIOCDELPRL if kw == "prl-delete" else SIOCADDPRL
        elif kw == "dev":
            value = args.next_arg()
            if not check_ifname(value):
                raise invarg('"dev" not a valid ifname', value)
            medium = value
        else:
            raise CommandError(f'Invalid PRL parameter "{word}"\n', 255)
        if count > 1:
            raise CommandError("One PRL entry at a time\n", 255)
        args.advance()
    if medium is None:
        raise CommandError("Must specify device\n", 255)
    if ctx is not None:
        return _tnl_gen_ioctl(ctx, request, medium, cmd)
    raise CommandError(f"ipemu: `ip tunnel {cmd}` is not simulated yet\n", 1)


def do_6rd(cmd: str, argv: list[str], ctx: ToolContext | None = None) -> int:
    """do_6rd(): a sit device's 6rd prefixes, parsed as iproute2 parses them (get_prefix()
    exits with its own error); the SIOCADD6RD/SIOCDEL6RD ioctl is not simulated."""
    medium = None
    request = 0
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark ip6rd_opt
        if kw == "6rd-prefix":
            get_prefix(args.next_arg(), 6)
            request = SIOCADD6RD
        elif kw == "6rd-relay_prefix":
            get_prefix(args.next_arg(), 4)
            request = SIOCADD6RD
        elif kw == "6rd-reset":
            request = SIOCDEL6RD
        elif kw == "dev":
            value = args.next_arg()
            if not check_ifname(value):
                raise invarg('"dev" not a valid ifname', value)
            medium = value
        else:
            raise CommandError(f'Invalid 6RD parameter "{word}"\n', 255)
        args.advance()
    if medium is None:
        raise CommandError("Must specify device\n", 255)
    if ctx is not None:
        return _tnl_gen_ioctl(ctx, request, medium, cmd)
    raise CommandError(f"ipemu: `ip tunnel {cmd}` is not simulated yet\n", 1)


def _get(ctx: ToolContext, name: str) -> TunnelPriv:
    """tnl_get_ioctl(): SIOCGETTUNNEL on the device."""
    try:
        return replace(tunnel_ioctl(ctx.netns, "get", name, TunnelPriv()))
    except KernelError as err:
        raise CommandError(f'get tunnel "{name}" failed: {strerror(err.errno)}\n', 1)


def do_add(ctx: ToolContext, cmd: str, argv: list[str]) -> int:
    """do_add(): SIOCADDTUNNEL (or CHG) on the mode's fallback device (CHG on the
    named tunnel itself)."""
    p, name, _ = parse_args(ctx, argv, cmd)
    if p.ttl and not p.pmtudisc:
        raise CommandError("ttl != 0 and nopmtudisc are incompatible\n", 1)
    basedev = tnl_defname(p)
    if basedev is None:
        raise CommandError("cannot determine tunnel mode (ipip, gre, vti or sit)\n", 1)
    ifname = name if cmd == "chg" and name else basedev
    try:
        tunnel_ioctl(ctx.netns, cmd, ifname, p, name)
    except KernelError as err:
        raise CommandError(f'add tunnel "{ifname}" failed: {strerror(err.errno)}\n', 1)
    return 0


def do_del(ctx: ToolContext, argv: list[str]) -> int:
    """do_del(): SIOCDELTUNNEL on the named tunnel (or the mode's fallback)."""
    p, name, _ = parse_args(ctx, argv, "del")
    ifname = name or tnl_defname(p) or ""   # tnl_del_ioctl(): the name, else the fallback
    try:
        tunnel_ioctl(ctx.netns, "del", ifname, p, name)
    except KernelError as err:
        raise CommandError(f'delete tunnel "{ifname}" failed: {strerror(err.errno)}\n', 1)
    return 0


def _empty_json(opts: IpOptions) -> str:
    """new_json_obj() then delete_json_obj() with nothing between: the empty array."""
    from ipemu.render.printer import Printer
    p = Printer(True, opts.pretty)
    p.begin()
    p.end()
    return p.text()


def do_show(ctx: ToolContext, argv: list[str], opts: IpOptions | None = None) -> int:
    """do_show(): one tunnel by name (its mode known), else every gre, ipip and sit
    device of the link dump that matches (ip_tunnel_parm_match()), in
    do_tunnels_list()'s JSON array with -j."""
    p, name, _ = parse_args(ctx, argv, "get")
    basedev = tnl_defname(p)
    if basedev is not None:
        ctx.term.out(print_tunnel(name or basedev, _get(ctx, name or basedev),
                                    ctx.netns) + "\n")
        return 0
    out = []
    for dev in ctx.netns.device_list():
        if dev.tnl is None or dev.kind not in ("gre", "ipip", "sit"):
            continue
        if name and dev.name != name:
            continue
        t = dev.tnl
        if (p.link and p.link != t.link) or (p.remote and p.remote != t.remote) or \
                (p.local and p.local != t.local) or (p.i_key and p.i_key != t.i_key):
            continue
        out.append(print_tunnel(dev.name, t, ctx.netns) + "\n")
    if opts is not None and opts.json:
        if out:
            raise CommandError("ipemu: `ip -j tunnel show` of tunnels is not simulated yet\n", 1)
        ctx.term.out(_empty_json(opts))
        return 0
    ctx.term.out("".join(out))
    return 0


def print_tunnel(name: str, t: TunnelPriv, ns=None) -> str:
    """print_tunnel(): name, mode, endpoints, device, TTL, TOS, DF, the 6rd prefix of
    a sit, then tnl_print_gre_flags()."""
    from ipemu.tools.ip_rule import DSFIELD
    parts = [f"{name}: {STRPROTO.get(t.protocol, 'unknown')}/ip ",
             f"remote {t.remote if t.remote is not None else 'any'} ",
             f"local {t.local if t.local is not None else 'any'}"]
    if t.link:
        dev = ns.by_index(t.link) if ns is not None else None
        if dev is not None:              # ll_index_to_name()
            parts.append(f" dev {dev.name}")
    parts.append(f" ttl {t.ttl}" if t.ttl else " ttl inherit")
    if t.tos:
        if t.tos == 1:
            parts.append(" tos inherit")
        else:
            text = DSFIELD.get(t.tos & ~1, f"{t.tos & ~1:x}")
            parts.append(f" tos {'inherit/' if t.tos & 1 else ''}{text}")
    if not t.pmtudisc:
        parts.append(" nopmtudisc")
    if t.protocol == IPPROTO_IPV6 and t.ip6rd and t.ip6rd[1]:
        parts.append(f" 6rd-prefix {t.ip6rd[0]}/{t.ip6rd[1]}")
        if t.ip6rd[2]:
            parts.append(f" 6rd-relay_prefix {ipaddress.IPv4Address(t.ip6rd[2])}"
                         f"/{t.ip6rd[3]}")
    if t.i_flags & GRE_KEY and t.o_flags & GRE_KEY and t.i_key == t.o_key:
        parts.append(f" key {t.i_key}")
    else:
        if t.i_flags & GRE_KEY:
            parts.append(f" ikey {t.i_key}")
        if t.o_flags & GRE_KEY:
            parts.append(f" okey {t.o_key}")
    if t.protocol == IPPROTO_GRE:
        for flags, bit, text in ((t.i_flags, GRE_SEQ, "Drop packets out of sequence."),
                                 (t.i_flags, GRE_CSUM,
                                  "Checksum in received packet is required."),
                                 (t.o_flags, GRE_SEQ, "Sequence packets on output."),
                                 (t.o_flags, GRE_CSUM, "Checksum output packets.")):
            if flags & bit:
                parts.append(f"\n  {text}")
    return "".join(parts)
