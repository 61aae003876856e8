"""`bridge` (iproute2 bridge/): `bridge link` lists bridge ports, their STP state and
settings and `bridge link set` changes them; `bridge vlan` as a kernel without VLAN
filtering answers it; `bridge fdb` (bridge_fdb.py)."""
from __future__ import annotations

import os

from ipemu.errors import CommandError
from ipemu.kernel.bridge import BrPortConf, br_setlink
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import IFF
from ipemu.kernel.records import LinkMsg
from ipemu.render.link import LinkCache, port_state_name, print_flags
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import Args, duparg, get_unsigned, matches
from ipemu.tools.ipargs import atoi as _atoi, c_short as _short
from ipemu import syntax
from ipemu.syntax import keyword


EXIT_ARG = 255       # bridge's exit(-1)


def main(ctx: ToolContext, argv: list[str]) -> int:
    """bridge.c main() and do_cmd(), each word matched through grammar/bridge.lark."""
    cursor = syntax.grammar("bridge").cursor()
    args = list(argv[1:])
    flags: set[str] = set()
    color = False
    batch_file = None
    while args and args[0].startswith("-"):
        if args[0] == "--":
            cursor.feed(args.pop(0))
            break
        opt = args[0][1:] if args[0].startswith("--") else args[0]
        base, eq, when = opt.partition("=")
        kw = cursor.match(base if eq else opt)
        if kw is not None and eq and (kw.text != "-color" or
                                      when not in ("", "always", "auto", "never")):
            kw = None       # matches_color(): -color=WHEN is the one option with '='
        if kw is None:
            raise CommandError(f'Option "{opt}" is unknown, try "bridge help".\n', EXIT_ARG)
        cursor.feed(args.pop(0), as_word=base if eq else opt)
        if kw.text == "-color":
            # matches_color(): bare -c is "always"; check_enable_color(): auto asks
            # whether stdout is a terminal, and JSON never has colours
            color = when in ("", "always") or (
                when == "auto" and bool(getattr(ctx.session, "stdout_tty", False)))
            continue
        value = None
        if cursor.takes_value():
            if not args and kw.text == "-netns":
                # netns_switch(argv[1]) with no argv[1]: glibc prints the NULL so
                raise CommandError('Cannot open network namespace "(null)": '
                                   "No such file or directory\n", EXIT_ARG)
            if not args:
                raise _usage(ctx)
            value = args.pop(0)
            cursor.feed(value)
        if kw.text == "-help":
            raise _usage(ctx)
        if kw.text == "-netns":
            from ipemu.tools.netns_links import netns_switch
            # bridge.c main(): netns_switch(), as ip's -n
            ctx.netns = netns_switch(ctx, value, EXIT_ARG)
            continue
        if kw.text == "-Version":
            # bridge.c main(): printf("%s utility, %s\n", argv[0], version); exit(0)
            ctx.term.out(f"{argv[0]} utility, {ctx.profile['bridge_version']}\n")
            return 0
        if kw.text == "-family":
            # main(): inet and inet6 set preferred_family (read only by `fdb add ...
            # dst`'s get_addr(), as -4/-6), help is usage(), else invarg()
            if value == "help":
                raise _usage(ctx)
            if value not in ("inet", "inet6"):
                raise CommandError(f'Error: argument "{value}" is wrong: invalid protocol '
                                   "family\n", EXIT_ARG)
            flags.add("-4" if value == "inet" else "-6")
            continue
        if kw.text == "-batch":
            batch_file = value          # main(): the last -batch names the file
            continue
        flags.add(kw.text)
    if batch_file is not None:
        # main(): with a batch file the words after the options are not read
        return _batch(ctx, batch_file, cursor, flags, color)
    if not args:
        raise _usage(ctx)
    return _do_cmd(ctx, cursor.feed_all(args), flags, color)


def _batch(ctx: ToolContext, name: str, start, flags: set[str], color: bool) -> int:
    """bridge.c batch() over lib/utils.c do_batch(): each line of `name` (`-`: standard
    input) is a bridge command without the `bridge` word (br_batch_cmd() -> do_cmd()),
    read with the options given before -batch. A line that fails prints `Command
    failed FILE:LINE` and ends the batch (status 1) unless -force; an error iproute2
    reports by exit() (usage texts, unknown commands, invarg()) ends it at once."""
    from ipemu.tools.ip_batch import do_batch

    def line(argv: list[str]) -> bool:
        try:
            return _do_cmd(ctx, start.copy().feed_all(argv), flags, color) != 0
        except CommandError as err:
            if _exits(err):
                raise
            ctx.term.err(err.message)
            return True
    return do_batch(ctx, name, "-force" in flags, line)


# what bridge/ reports by exit(), not by a return to do_batch(): usage() texts, the
# `Command "X" is unknown` of do_fdb()/do_link()/do_mdb()/do_vlan()/do_vni() and
# monitor's unknown argument, lib/utils.c invarg()/duparg()/duparg2() and NEXT_ARG()'s
# incomplete_command()
_EXIT_TEXTS = ("Usage: ", "Command \"", "Argument \"", "Error: argument \"",
               "Error: duplicate \"", "Error: either \"", "Command line is not complete")


def _exits(err: CommandError) -> bool:
    return getattr(err, "exits", False) or err.message.startswith(_EXIT_TEXTS)


def _do_cmd(ctx: ToolContext, words: list, flags: set[str], color: bool) -> int:
    """bridge.c do_cmd(): the object and its command."""
    obj, cmd = keyword(words[0]), keyword(words[1]) if len(words) > 1 else None
    p = Printer("-json" in flags, "-pretty" in flags, color=color)
    if obj == "help":
        raise _usage(ctx)
    if obj == "link" and (len(words) == 1 or cmd in ("show", "lst", "list")):
        return link_show(ctx, Args(words[2:] if cmd else words[1:]), p, "-details" in flags)
    if obj == "link" and cmd in ("set", "change"):
        return link_modify(ctx, words[2:])
    if obj == "link" and cmd == "help":
        raise CommandError(ctx.profile.usage("bridge_link"), EXIT_ARG)
    if obj == "link":
        raise CommandError(f'Command "{words[1]}" is unknown, try "bridge link help".\n',
                           EXIT_ARG)
    if obj == "vlan":
        return do_vlan(ctx, words[1:], flags)
    if obj == "fdb":
        from ipemu.tools.bridge_fdb import do_fdb
        return do_fdb(ctx, words[1:], p, stats="-stats" in flags or "-statistics" in flags)
    if obj == "mdb":
        from ipemu.tools.bridge_mdb import do_mdb
        p = Printer("-json" in flags, "-pretty" in flags, "-oneline" in flags, color=color)
        return do_mdb(ctx, [str(w) for w in words[1:]], p, flags)
    if obj == "vni":
        from ipemu.tools.bridge_vni import do_vni
        return do_vni(ctx, [str(w) for w in words[1:]], p, flags)
    if obj == "monitor":
        from ipemu.tools.bridge_monitor import do_monitor
        return do_monitor(ctx, [str(w) for w in words[1:]], flags)
    if obj not in ("mdb", "vni", "monitor"):
        # bridge.c do_cmd(): no object matches
        raise CommandError(f'Object "{words[0]}" is unknown, try "bridge help".\n',
                           EXIT_ARG)
    raise CommandError(f"ipemu: `bridge {' '.join(str(w) for w in words[:2])}` is not "
                       "simulated yet\n", 1)


def _usage(ctx: ToolContext) -> CommandError:
    """bridge.c usage(): on stderr, exit(-1)."""
    return CommandError(ctx.profile.usage("bridge"), EXIT_ARG)


def _bridge_link_name(msg: LinkMsg, cache: LinkCache) -> tuple[str, bool]:
    """The bridge dump carries IFLA_LINK but not the peer's namespace id, so `bridge`
    names the peer index as if it were local: a veth whose peer sits in another
    namespace shows as `pa@br0` when the local ifindex 2 is br0. Any port whose
    iflink is another device's has it (a macvlan port is `mv0@vA`: recorded)."""
    if not msg.link or msg.link == msg.ifindex:
        # br_fill_ifinfo() sends IFLA_LINK only when dev_get_iflink() differs from
        # the port's own ifindex (rtnetlink's nla_put_iflink() also sends it when the
        # peer is in another namespace; the bridge dump does not)
        return msg.ifname, False
    if msg.link not in cache.links:
        return f"{msg.ifname}@if{msg.link}", False
    return f"{msg.ifname}@{cache.name(msg.link)}", not cache.flags(msg.link) & IFF.UP


# The port flags bridge/link.c's print_protinfo() prints under -d, in its order
PORT_FLAGS = ("hairpin", "guard", "root_block", "fastleave", "learning", "flood",
              "mcast_flood", "bcast_flood", "mcast_router", "mcast_to_unicast",
              "neigh_suppress", "vlan_tunnel", "isolated", "locked")
# brlink_modify()'s on/off keywords and the fields they set
ONOFF_KEYS = ("guard", "hairpin", "fastleave", "root_block", "learning", "learning_sync",
              "flood", "mcast_flood", "bcast_flood", "mcast_to_unicast", "neigh_suppress",
              "vlan_tunnel", "isolated", "locked")
STP_STATES = ("disabled", "listening", "learning", "forwarding", "blocking")


def link_show(ctx: ToolContext, args: Args, p: Printer, details: bool = False) -> int:
    dev_filter = None
    while args:
        if args.cur == "dev":
            value = args.next_arg()
            if dev_filter is not None:
                raise duparg("dev", value)
            dev_filter = value
        args.advance()
    ns = ctx.netns
    only = None
    if dev_filter is not None:
        only = ns.by_name(dev_filter)
        if only is None:
            raise CommandError(f'Cannot find device "{dev_filter}"\n', EXIT_ARG)  # nodev(): -1
    links = ns.dump_links()
    cache = LinkCache({m.ifindex: m for m in links})
    p.begin()
    for msg in links:
        if msg.slave_kind != "bridge_slave" or (only and msg.ifindex != only.ifindex):
            continue
        name, mdown = _bridge_link_name(msg, cache)
        p.open_object()
        p.any("ifindex", "%d: ", msg.ifindex)
        p.color_any("ifname", None, "%s: ", name)   # print_name_and_link(): COLOR_IFNAME
        if "@" in name:
            # print_name_and_link(): IFLA_LINK by the name it has here
            p.js("link", name.split("@", 1)[1])
        p.js("ifname", msg.ifname)
        print_flags(p, msg.flags, mdown)
        p.any("mtu", "mtu %u ", msg.mtu)
        p.any("master", "master %s ", cache.name(msg.master))
        conf = msg.slave_data.conf
        p.any("state", "state %s ", port_state_name(msg.slave_data.state))
        p.any("priority", "priority %d ", conf.priority)
        p.any("cost", "cost %d ", conf.cost)
        if details:
            # print_protinfo(): the flags on a line of their own, indented by 4
            p.fp("\n    ")
            for key in PORT_FLAGS:
                value = getattr(conf, key)
                if isinstance(value, bool):
                    # print_on_off(): true/false in JSON
                    if p.is_json:
                        p.js(key, value)
                    else:
                        p.fp(f"{key} %s ", "on" if value else "off")
                else:
                    p.any(key, f"{key} %s ", value)
                if key == "vlan_tunnel" and conf.backup_port:
                    # IFLA_BRPORT_BACKUP_PORT, sent only when one is set
                    p.any("backup_port", "backup_port %s ", cache.name(conf.backup_port))
        p.fp("\n")
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def _next(argv: list[str], i: int, ctx: ToolContext) -> str:
    """NEXT_ARG(): a missing value is an incomplete command."""
    if i + 1 >= len(argv):
        raise CommandError("Command line is not complete. Try option \"help\"\n", EXIT_ARG)
    return argv[i + 1]


def link_modify(ctx: ToolContext, argv: list[str]) -> int:
    """brlink_modify(): the port settings of IFLA_PROTINFO (an on/off word must be one
    of the two, exit(-EINVAL); cost and priority by atoi(), cost 0 not sent)."""
    dev = None
    changes: dict = {}
    state = backup = None
    flags = 0
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            dev = _next(argv, i, ctx)
            i += 1
        elif word in ONOFF_KEYS:
            value = _next(argv, i, ctx)
            i += 1
            if value not in ("on", "off"):
                raise CommandError(f'Error: argument of "{word}" must be one of "off", "on", '
                                   f'not "{value}"\n', 256 - 22)
            changes[word] = value == "on"
        elif word == "mcast_router":
            changes["mcast_router"] = _atoi(_next(argv, i, ctx)) & 0xFF
            i += 1
        elif word in ("cost", "priority"):
            value = _atoi(_next(argv, i, ctx))
            i += 1
            if word == "priority":
                value &= 0xFFFF
                if value < 0x8000:         # __s16 priority: sent when >= 0
                    changes["priority"] = value
            elif value & 0xFFFFFFFF:
                changes["cost"] = value & 0xFFFFFFFF
        elif word == "state":
            value = _next(argv, i, ctx)
            i += 1
            if value and (value.lstrip("+-").isdigit()):
                # `__s8 state = strtol()`: a negative one is not sent
                number = max(-(1 << 63), min(int(value), (1 << 63) - 1))
                state = ((number & 0xFF) ^ 0x80) - 0x80
                state = state if state >= 0 else None
            elif value in STP_STATES:
                state = STP_STATES.index(value)
            else:
                raise CommandError("Error: invalid STP port state\n", EXIT_ARG)
        elif word == "self":
            flags |= BRIDGE_FLAGS_SELF
        elif word == "master":
            flags |= BRIDGE_FLAGS_MASTER
        elif word == "backup_port":
            value = _next(argv, i, ctx)
            i += 1
            other = ctx.netns.by_name(value)
            if other is None:
                raise CommandError(f"Error: device {value} does not exist\n", EXIT_ARG)
            backup = other
        elif word == "nobackup_port":
            backup = None
            changes["backup_port"] = 0
        elif word == "hwmode":
            flags = BRIDGE_FLAGS_SELF           # (an assignment: `master` before it is lost)
            if _next(argv, i, ctx) not in ("vepa", "veb"):
                raise CommandError('Mode argument must be "vepa" or "veb".\n', EXIT_ARG)
            i += 1
        else:
            raise CommandError(ctx.profile.usage("bridge_link"), EXIT_ARG)   # link.c usage()
        i += 1
    if dev is None:
        raise CommandError("Device is a required argument.\n", EXIT_ARG)
    device = ctx.netns.by_name(dev)
    if device is None:
        raise CommandError(f'Cannot find bridge device "{dev}"\n', EXIT_ARG)
    try:
        changes.pop("learning_sync", None)     # no switchdev under a simulated port
        # rtnl_bridge_setlink(): the master's ndo_bridge_setlink without flags or with
        # `master`, then with `self` the device's own: only a bridge has one here
        # (br_setlink() of the bridge itself: its IFLA_AF_SPEC holds nothing to do)
        if not flags or flags & BRIDGE_FLAGS_MASTER:
            br_setlink(device, changes, state, backup)
        if flags & BRIDGE_FLAGS_SELF and device.kind != "bridge":
            raise KernelError(Errno.EOPNOTSUPP)
    except KernelError as err:
        raise CommandError(f"RTNETLINK answers: {os.strerror(err.errno.value)}\n", EXIT_ARG)
    return 0


BRIDGE_FLAGS_MASTER, BRIDGE_FLAGS_SELF = 1, 2   # if_bridge.h


VLAN_HEADER = "port              vlan-id  \n"     # "%-16s  %-9s" (IFNAMSIZ, VLAN_ID_LEN)


def do_vlan(ctx: ToolContext, argv: list[str], flags: set[str]) -> int:
    """do_vlan() on a kernel without CONFIG_BRIDGE_VLAN_FILTERING: no port has VLANs to
    list, adding one is refused, deleting from a port is a no-op."""
    if ctx.profile["kernel"].get("bridge_vlan_filtering", True):
        raise CommandError("ipemu: `bridge vlan` with VLAN filtering is not simulated yet\n", 1)
    if not argv:
        return vlan_show(ctx, [], flags)
    cmd, rest = argv[0], argv[1:]
    kw = keyword(cmd)
    if kw in ("add", "delete"):
        return vlan_modify(ctx, rest, add=kw == "add")
    if kw in ("show", "lst", "list"):
        return vlan_show(ctx, rest, flags)
    if kw == "tunnelshow":
        return vlan_show(ctx, rest, flags, tunnel=True)
    if kw == "help":
        raise CommandError(ctx.profile.usage("bridge_vlan"), EXIT_ARG)   # vlan.c usage()
    if kw == "set":
        return vlan_option_set(ctx, rest)
    if cmd == "global":                 # strcmp(), not matches()
        return vlan_global(ctx, rest, flags)
    raise CommandError(f'Command "{cmd}" is unknown, try "bridge vlan help".\n', EXIT_ARG)


def vlan_modify(ctx: ToolContext, argv: list[str], add: bool) -> int:
    """vlan_modify(): a device and a VLAN id (a short, by atoi()) are required."""
    dev = None
    vid = vid_end = -1
    to_self = to_master = vrange = pvid = tunnel = False
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "self":
            to_self = True
        elif word == "master":
            to_master = True
        elif word == "dev":
            dev = _next(argv, i, ctx)
            i += 1
        elif word == "vid":
            value = _next(argv, i, ctx)
            i += 1
            first, dash, last = value.partition("-")
            vid = _short(_atoi(first))
            if dash:
                vid_end = _short(_atoi(last))
                vrange = True
        elif word == "pvid":
            pvid = True
        elif word == "untagged":
            pass
        elif word == "tunnel_info":
            i = _tunnel_info(ctx, argv, i)
            tunnel = True
        elif matches(word, "help"):
            _next(argv, i, ctx)          # NEXT_ARG(): the word after it is skipped
            i += 1
        i += 1
    if dev is None or vid == -1:
        raise CommandError("Device and VLAN ID are required arguments.\n", EXIT_ARG)
    device = ctx.netns.by_name(dev)
    if device is None:
        raise CommandError(f'Cannot find bridge device "{dev}"\n', EXIT_ARG)
    if vid >= 4096:
        raise CommandError(f'Invalid VLAN ID "{vid & 0xFFFF}"\n', EXIT_ARG)
    if vrange:
        if vid_end == -1 or vid_end >= 4096 or vid >= vid_end:
            raise CommandError(f'Invalid VLAN range "{vid & 0xFFFF}-{vid_end & 0xFFFF}"\n',
                               EXIT_ARG)
        if pvid:
            raise CommandError("pvid cannot be configured for a vlan range\n", EXIT_ARG)
    # rtnl_bridge_setlink()/dellink(): the master's ndo_bridge_*link without flags or
    # with `master` (br_afspec() with the port), then with `self` the device's own (a
    # bridge's, with no port); neither is EOPNOTSUPP
    via_master = to_master or not to_self
    if via_master:
        if device.master is None or device.master.kind != "bridge":
            raise CommandError("RTNETLINK answers: Operation not supported\n", EXIT_ARG)
        _br_afspec(device, add, tunnel, vid, vid_end if vrange else None)
    if to_self:
        if device.kind != "bridge":
            raise CommandError("RTNETLINK answers: Operation not supported\n", EXIT_ARG)
        _br_afspec(None, add, tunnel, vid, vid_end if vrange else None)
    return 0


def _br_afspec(port, add: bool, tunnel: bool, vid: int, vid_end: int | None) -> None:
    """br_afspec(): IFLA_BRIDGE_VLAN_TUNNEL_INFO only on a port with BR_VLAN_TUNNEL
    (EINVAL); br_process_vlan_info()'s br_vlan_valid_id() (0 < vid < 4095, each end of
    a range) with its extack on setlink (br_dellink() passes none); then br_vlan_info(),
    whose VLAN part this kernel lacks: an add is EOPNOTSUPP, a delete nothing
    (recorded, fuzz38_bridge_vlan_invalid_vid)."""
    if tunnel:
        if port is None or not getattr(port.brport, "vlan_tunnel", False):
            raise CommandError("RTNETLINK answers: Invalid argument\n", EXIT_ARG)
    elif any(not 0 < v < 4095 for v in (vid, vid_end) if v is not None):
        if add:
            raise CommandError("Error: bridge: Vlan id is invalid.\n", EXIT_ARG)
        raise CommandError("RTNETLINK answers: Invalid argument\n", EXIT_ARG)
    if add:
        raise CommandError("RTNETLINK answers: Operation not supported\n", EXIT_ARG)


def _tunnel_info(ctx: ToolContext, argv: list[str], i: int) -> int:
    """parse_tunnel_info(): `tunnel_info id ID[-ID]`, ids below 2^24 (get_u32 base 0);
    the index of the last word it took."""
    from ipemu.tools.ipargs import invarg
    word = _next(argv, i, ctx)
    i += 1
    if not matches(word, "id"):
        raise invarg("tunnel id expected", word)
    value = _next(argv, i, ctx)
    i += 1
    first, dash, last = value.partition("-")
    for text in (first, last) if dash else (first,):
        number = get_unsigned(text)
        if number is None or number >= 1 << 24:
            raise invarg("invalid tun id", first)   # both name the first part
    return i


def _vid_range(ctx: ToolContext, value: str) -> None:
    """vlan_option_set()'s and vlan_global_option_set()'s `vid` checks (shorts by atoi())."""
    first, dash, last = value.partition("-")
    vid = _short(_atoi(first))
    if dash:
        vid_end = _short(_atoi(last))
        if vid >= vid_end or vid_end >= 4096:
            raise CommandError(f'Invalid VLAN range "{vid & 0xFFFF}-{vid_end & 0xFFFF}"\n',
                               EXIT_ARG)
    if vid >= 4096:
        raise CommandError(f'Invalid VLAN ID "{vid & 0xFFFF}"\n', EXIT_ARG)


def _option_dev(ctx: ToolContext, name: str) -> None:
    if ctx.netns.by_name(name) is None:
        raise CommandError(f'Cannot find network device "{name}"\n', EXIT_ARG)


def _get_number(text: str, top: int, what: str) -> None:
    """get_u8/u32/u64(&val, *argv, 0) or invarg("invalid WHAT", *argv)."""
    from ipemu.tools.ipargs import _strtoul0, invarg
    number = _strtoul0(text)
    if number is None or number > top:
        raise invarg(f"invalid {what}", text)


_GLOBAL_OPTS = {"mcast_snooping": 0xFF, "mcast_querier": 0xFF, "mcast_igmp_version": 0xFF,
                "mcast_mld_version": 0xFF, "mcast_last_member_count": 0xFFFFFFFF,
                "mcast_startup_query_count": 0xFFFFFFFF,
                **{k: 2 ** 64 - 1 for k in (
                    "mcast_last_member_interval", "mcast_membership_interval",
                    "mcast_querier_interval", "mcast_query_interval",
                    "mcast_query_response_interval", "mcast_startup_query_interval")}}


def vlan_option_set(ctx: ToolContext, argv: list[str], global_opts: bool = False) -> int:
    """vlan_option_set() / vlan_global_option_set(): words checked as they come (unknown
    ones skipped), then RTM_NEWVLAN, which a kernel without CONFIG_BRIDGE_VLAN_FILTERING
    has no handler for (rtnetlink_rcv_msg(): -EOPNOTSUPP)."""
    dev = vid = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            dev = _next(argv, i, ctx)
            i += 1
            _option_dev(ctx, dev)
        elif word == "vid":
            vid = _next(argv, i, ctx)
            i += 1
            _vid_range(ctx, vid)
        elif word == "state" and not global_opts:
            value = _next(argv, i, ctx)
            i += 1
            # strtol() of the whole word, else parse_stp_state()'s exact (lower-case) names
            numeric = value.lstrip("+-").isdigit() and value.strip() == value
            state = int(value) if numeric else (
                STP_STATES.index(value) if value in STP_STATES else -1)
            if state == -1:
                raise CommandError("Error: invalid STP state\n", EXIT_ARG)
        elif word == "mcast_router" and not global_opts:
            _get_number(_next(argv, i, ctx), 0xFF, "mcast_router")
            i += 1
        elif global_opts and word in _GLOBAL_OPTS:
            _get_number(_next(argv, i, ctx), _GLOBAL_OPTS[word], word)
            i += 1
        elif (word == "help") if global_opts else "help".startswith(word):
            _next(argv, i, ctx)
            i += 1
        i += 1
    if dev is None or vid is None:
        raise CommandError("Device and VLAN ID are required arguments.\n", EXIT_ARG)
    raise CommandError("RTNETLINK answers: Operation not supported\n", EXIT_ARG)


def vlan_global(ctx: ToolContext, argv: list[str], flags: set[str]) -> int:
    """vlan_global(): show/lst/list or set by strcmp(); anything else is usage()."""
    if not argv or argv[0] in ("show", "lst", "list"):
        return vlan_show(ctx, argv[1:], flags | {"-details"})
    if argv[0] == "set":
        return vlan_option_set(ctx, argv[1:], global_opts=True)
    raise CommandError(ctx.profile.usage("bridge_vlan"), EXIT_ARG)


def vlan_show(ctx: ToolContext, argv: list[str], flags: set[str], tunnel: bool = False) -> int:
    """vlan_show(): the header, and no port with VLANs; -d asks RTM_GETVLAN, which this
    kernel does not answer; -s lists the ports' VLAN statistics (none)."""
    i = 0
    dev = None
    vid = 0
    while i < len(argv):
        if argv[i] == "dev":
            value = _next(argv, i, ctx)
            if dev is not None:
                raise duparg("dev", value)
            dev = value
            i += 1
        elif argv[i] == "vid":
            value = _next(argv, i, ctx)
            if vid:
                raise duparg("vid", value)
            vid = _atoi(value)
            i += 1
        i += 1
    if dev is not None and ctx.netns.by_name(dev) is None:
        raise CommandError(f'Cannot find device "{dev}"\n', EXIT_ARG)   # nodev(): -1
    json = "-json" in flags
    if "-details" in flags and not tunnel:
        if json:
            ctx.term.err("RTNETLINK answers: Operation not supported\nDump terminated\n")
            ctx.term.out("[")
        else:
            ctx.term.out(VLAN_HEADER)
            ctx.term.err("RTNETLINK answers: Operation not supported\nDump terminated\n")
        return 1
    if json:
        ctx.term.out("[ ]\n" if "-pretty" in flags else "[]\n")
    elif "-stats" in flags or "-statistics" in flags:
        ctx.term.out("port              vlan-id\n")
    else:
        ctx.term.out(VLAN_HEADER.rstrip("\n") + ("  tunnel-id" if tunnel else "") + "\n")
    return 0
