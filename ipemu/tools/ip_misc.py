"""Small `ip` objects: `ip addrlabel` (ip/ipaddrlabel.c), `ip token` (ip/iptoken.c)."""
from __future__ import annotations

import ipaddress
import os

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.tcp import tcp_of
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import EXIT_ARG, Args, get_addr, get_prefix, get_unsigned, \
    incomplete_command, invarg, matches, missarg

ADDRLABEL_USAGE = ("Usage: ip addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]\n"
                   "       ip addrlabel [ list | flush | help ]\n")
TOKEN_USAGE = "Usage: ip token [ list | set | del | get ] [ TOKEN ] [ dev DEV ]\n"


def inet6_ntop(value: int) -> str:
    """glibc 2.36 inet_ntop6(): the first longest run of two or more zero words is
    `::`, and an address whose first 96 bits are zero with a non-zero seventh word, or
    one in ::ffff:0:0/96, ends in dotted IPv4. tcpdump's addrtostr6() is the same
    BIND inet_ntop6() (held equal on 200,000 addresses heavy in 0 and ffff words)."""
    from ipemu.tcpdump.dissect import ip6addr_string_raw
    return ip6addr_string_raw(value.to_bytes(16, "big"))


def _rtnl_error(err: KernelError) -> CommandError:
    """rtnl_talk() failing: the extack message or `RTNETLINK answers`, and the do_*
    function's -2 (exit status 2)."""
    if err.extack:
        return CommandError(f"Error: {err.extack}.\n", 2)
    return CommandError(f"RTNETLINK answers: {os.strerror(err.errno.value)}\n", 2)


def _ifindex(ctx: ToolContext, name: str) -> int:
    dev = ctx.netns.by_name(name)
    if dev is None:
        raise invarg("dev is invalid\n", name)     # ll_name_to_index() gave 0
    return dev.ifindex


# ------------------------------------------------------------------- addrlabel
def do_addrlabel(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipaddrlabel()."""
    if not argv:
        return addrlabel_list(ctx, opts, [])
    word = argv[0]
    if matches(word, "list") or matches(word, "lst") or matches(word, "show"):
        return addrlabel_list(ctx, opts, argv[1:])
    if matches(word, "add"):
        return addrlabel_modify(ctx, opts, argv[1:], add=True)
    if matches(word, "delete"):
        return addrlabel_modify(ctx, opts, argv[1:], add=False)
    if matches(word, "flush"):
        if len(argv) > 1:
            raise CommandError('"ip addrlabel flush" does not allow extra arguments\n', 1)
        if opts.family == 4:
            raise _no_inet_dump("Flush")
        # flush_addrlabel(): each dumped entry deleted by its own request
        ctx.netns.addrlabels = []
        return 0
    if matches(word, "help"):
        raise CommandError(ADDRLABEL_USAGE, EXIT_ARG)
    raise CommandError(f'Command "{word}" is unknown, try "ip addrlabel help".\n', EXIT_ARG)


def _no_inet_dump(what: str) -> CommandError:
    """A dump for AF_INET: only PF_INET6 registered RTM_GETADDRLABEL (rtnetlink_rcv_msg()
    finds no PF_UNSPEC handler either); the list returns 1 (exit 255), the flush -1."""
    return CommandError(f"RTNETLINK answers: Operation not supported\n{what} terminated\n",
                        255 if what == "Dump" else 1)


def addrlabel_list(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipaddrlabel_list() and print_addrlabel()."""
    from ipemu.kernel.addrlabel import addrlabel_table
    if argv:
        raise CommandError('"ip addrlabel show" does not take any arguments.\n', 1)
    if opts.family == 4:
        raise _no_inet_dump("Dump")
    names = {dev.ifindex: dev.name for dev in ctx.netns.device_list()}
    p = Printer(opts.json, opts.pretty, color=opts.color)
    p.begin()
    for prefix, prefixlen, ifindex, label in addrlabel_table(ctx.netns):
        p.open_object()
        p.fp("prefix ")
        p.color_any("inet6", "address", "%s", inet6_ntop(prefix))
        p.any("prefixlen", "/%u ", prefixlen)
        if ifindex:
            p.fp("dev ")
            p.color_any("ifname", "ifname", "%s ", names.get(ifindex, f"if{ifindex}"))
        p.any("label", "label %u ", label)
        p.fp("\n")
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def addrlabel_modify(ctx: ToolContext, opts: IpOptions, argv: list[str], add: bool) -> int:
    """ipaddrlabel_modify(): prefix and label are required; an add is NLM_F_EXCL."""
    from ipemu.kernel.addrlabel import addrlabel_add, addrlabel_del
    prefix = None
    ifindex = 0
    label = None
    family = opts.family if opts.family in (4, 6) else 0
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("prefix", "dev", "label"):
            if i + 1 >= len(argv):
                raise incomplete_command()
            i += 1
            value = argv[i]
            if word == "prefix":
                prefix = get_prefix(value, family)
            elif word == "dev":
                ifindex = _ifindex(ctx, value)
            else:
                label = get_unsigned(value)
                if label is None or label == 0xFFFFFFFF:
                    raise invarg("label is invalid\n", value)
        i += 1
    if prefix is None:
        raise CommandError('Not enough information: "prefix" argument is required.\n', 1)
    if label is None:
        raise CommandError('Not enough information: "label" argument is required.\n', 1)
    if family == 4:
        # ifal_family AF_INET (-4; iproute2 makes only AF_UNSPEC AF_INET6): PF_INET has
        # no RTM_NEWADDRLABEL/RTM_DELADDRLABEL handler and rtnetlink_rcv_msg() finds
        # no PF_UNSPEC one either, EOPNOTSUPP before any attribute is looked at
        raise _rtnl_error(KernelError(Errno.EOPNOTSUPP))
    if prefix.family != 6:
        # ifal_policy: IFAL_ADDRESS is a struct in6_addr, 4 bytes fail validation
        raise CommandError("Error: Attribute failed policy validation.\n", 2)
    try:
        if add:
            addrlabel_add(ctx.netns, int(prefix.address), prefix.bitlen, ifindex, label)
        else:
            addrlabel_del(ctx.netns, int(prefix.address), prefix.bitlen, ifindex)
    except KernelError as err:
        raise _rtnl_error(err) from None
    return 0


# ----------------------------------------------------------------------- token
def do_token(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_iptoken()."""
    if not argv:
        return token_list(ctx, opts, [])
    word = argv[0]
    if matches(word, "list") or matches(word, "lst") or matches(word, "show") \
            or matches(word, "get"):
        return token_list(ctx, opts, argv[1:])
    if matches(word, "set") or matches(word, "add"):
        return token_set(ctx, argv[1:], delete=False)
    if matches(word, "delete"):
        return token_set(ctx, argv[1:], delete=True)
    if matches(word, "help"):
        raise CommandError(TOKEN_USAGE, EXIT_ARG)
    raise CommandError(f'Command "{word}" is unknown, try "ip token help".\n', EXIT_ARG)


def token_list(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """iptoken_list() and print_token(): an AF_INET6 link dump (devices with an
    inet6_dev), loopback and NOARP devices skipped."""
    from ipemu.kernel.addrconf import has_inet6_dev
    from ipemu.kernel.netdev import IFF
    ifindex = 0
    for i, word in enumerate(argv):
        if word == "dev":
            if i + 1 >= len(argv):
                raise incomplete_command()
            ifindex = _ifindex(ctx, argv[i + 1])
            break
    p = Printer(opts.json, opts.pretty, color=opts.color)
    p.begin()
    for dev in sorted(ctx.netns.device_list(), key=lambda d: d.ifindex):
        if not has_inet6_dev(dev) or (ifindex and dev.ifindex != ifindex):
            continue
        if dev.flags & (IFF.LOOPBACK | IFF.NOARP):
            continue
        p.open_object()
        p.fp("token ")
        p.color_any("inet6", "token", "%s", inet6_ntop(dev.ipv6_token))
        p.fp(" dev ")
        p.color_any("ifname", "ifname", "%s\n", dev.name)
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def token_set(ctx: ToolContext, argv: list[str], delete: bool) -> int:
    """iptoken_set(): the first token and the first device count; `del` sets ::."""
    have_token = delete
    token = 0
    dev = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "dev":
            if i + 1 >= len(argv):
                raise incomplete_command()
            i += 1
            if dev is None:
                _ifindex(ctx, argv[i])
                dev = ctx.netns.by_name(argv[i])
        else:
            if matches(word, "help"):
                raise CommandError(TOKEN_USAGE, EXIT_ARG)
            if not have_token:
                token = int(get_prefix(word, 6).address)
                have_token = True
        i += 1
    if not have_token:
        raise CommandError("Not enough information: token is required.\n", 1)
    if dev is None:
        raise CommandError('Not enough information: "dev" argument is required.\n', 1)
    try:
        ctx.netns.inet6_set_iftoken(dev, token)
    except KernelError as err:
        raise _rtnl_error(err) from None
    return 0


# ----------------------------------------------------------------- tcp_metrics
TCPM_USAGE = ("Usage:\tip tcp_metrics/tcpmetrics { COMMAND | help }\n"
              "\tip tcp_metrics { show | flush } SELECTOR\n"
              "\tip tcp_metrics delete [ address ] ADDRESS\n"
              "SELECTOR := [ [ address ] PREFIX ]\n")
CMD_LIST, CMD_DEL, CMD_FLUSH = 1, 2, 4
TCPM_CMDS = (("list", CMD_LIST), ("lst", CMD_LIST), ("show", CMD_LIST),
             ("delete", CMD_DEL), ("remove", CMD_DEL), ("flush", CMD_FLUSH))


def do_tcp_metrics(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_tcp_metrics(): over the namespace's tcp_metrics cache, which ends of TCP
    connections fill (kernel/tcp.py tcp_update_metrics())."""
    if not argv:
        return tcpm_do_cmd(ctx, opts, CMD_LIST, [])
    for name, code in TCPM_CMDS:
        if matches(argv[0], name):
            return tcpm_do_cmd(ctx, opts, code, argv[1:])
    if matches(argv[0], "help"):
        raise CommandError(TCPM_USAGE, EXIT_ARG)
    raise CommandError(f'Command "{argv[0]}" is unknown, try "ip tcp_metrics help".\n',
                       EXIT_ARG)


def tcpm_do_cmd(ctx: ToolContext, opts: IpOptions, cmd: int, argv: list[str]) -> int:
    """tcpm_do_cmd(): a GET or DEL of one address is ESRCH when the cache has no entry
    for it (tcp_metrics_nl_cmd_get()/_del()), a flush of a prefix or family deletes
    what a dump finds ("Nothing to flush." when none), a flush of everything (one DEL
    without an address) empties the cache."""
    family = opts.family if opts.family in (4, 6) else 0
    daddr = saddr = None
    atype = False
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("src", "source"):
            if i + 1 >= len(argv):
                raise incomplete_command()
            i += 1
            if matches(argv[i], "help"):
                raise CommandError(TCPM_USAGE, EXIT_ARG)
            if saddr is not None:
                raise CommandError(f'Error: either "{word}" is duplicate, or "{argv[i]}" '
                                   'is a garbage.\n', EXIT_ARG)
            saddr = get_prefix(argv[i], family)
            if saddr.is_default or saddr.bitlen != (32 if saddr.family == 4 else 128):
                raise CommandError('Error: a specific IP address is expected rather than '
                                   f'"{argv[i]}"\n', 1)
        else:
            who = "address"
            if word in ("addr", "address"):
                who = word
                if i + 1 >= len(argv):
                    raise incomplete_command()
                i += 1
            if matches(argv[i], "help"):
                raise CommandError(TCPM_USAGE, EXIT_ARG)
            if daddr is not None:
                raise CommandError(f'Error: either "{who}" is duplicate, or "{argv[i]}" '
                                   'is a garbage.\n', EXIT_ARG)
            daddr = get_prefix(argv[i], family)
            atype = not daddr.is_default and \
                daddr.bitlen == (32 if daddr.family == 4 else 128)
            if cmd & CMD_DEL and not atype:
                raise CommandError('Error: a specific IP address is expected rather than '
                                   f'"{argv[i]}"\n', 1)
        # the loop's body ends with argc--, argv++ and so does its for(): every word
        # after an address (or a source's value) is skipped unread
        i += 2
    if cmd == CMD_DEL and not atype:
        raise CommandError('Error: argument "address" is required\n', EXIT_ARG)
    if cmd == CMD_FLUSH and atype:
        cmd = CMD_DEL
    table = tcp_of(ctx.netns.stack).metrics
    if cmd == CMD_FLUSH and (daddr is None or daddr.bitlen <= 0) and \
            (saddr is None or saddr.bitlen <= 0) and family == 0:
        table.clear()           # one TCP_METRICS_CMD_DEL for all (tcp_metrics_flush_all())
        return 0
    if cmd == CMD_DEL or (cmd == CMD_LIST and atype):
        # tcp_metrics_nl_cmd_get()/_del(): the entries of that destination (and source)
        hits = [m for m in table if _tcpm_is(m.daddr, daddr) and
                (saddr is None or _tcpm_is(m.saddr, saddr))]
        if not hits:
            raise CommandError("RTNETLINK answers: No such process\n", 2)
        if cmd == CMD_DEL:
            for m in hits:
                table.remove(m)
            return 0
        # printed without new_json_obj(): no JSON writer, so text even with -j
        p = Printer(False)
        _tcpm_print(p, hits[0], ctx.netns.stack.clock.now, opts)
        ctx.term.out(p.text())
        return 0
    # a dump (tcp_metrics_nl_dump()), filtered by process_msg()
    shown = [m for m in table
             if (family == 0 or m.daddr.version == family) and
             (daddr is None or daddr.bitlen < 0 or _tcpm_in(m.daddr, daddr)) and
             (saddr is None or saddr.bitlen < 0 or _tcpm_in(m.saddr, saddr))]
    if cmd == CMD_FLUSH:
        if not shown:
            ctx.term.err("Nothing to flush.\n")
            return 0
        for m in shown:
            table.remove(m)
        if opts.stats:
            ctx.term.out(f"\n*** Round 1, deleting {len(shown)} entries ***\n"
                         "*** Flush is complete after 1 round ***\n")
        return 0
    p = Printer(opts.json, opts.pretty)
    p.begin()
    for m in shown:
        _tcpm_print(p, m, ctx.netns.stack.clock.now, opts)
    p.end()
    ctx.term.out(p.text())
    return 0


def _tcpm_is(addr, prefix) -> bool:
    return addr.version == prefix.family and addr.packed == prefix.address.packed


def _tcpm_in(addr, prefix) -> bool:
    if addr.version != prefix.family:
        return False
    net = ipaddress.ip_network(f"{prefix.address}/{prefix.bitlen}", strict=False)
    return addr in net


def _tcpm_float(p: Printer, key: str, value: float) -> None:
    """print_float(PRINT_JSON, ...): jsonw_float()'s "%g"."""
    if p.is_json:
        p.jw.name(key)
        p.jw.value("%g" % value)


def _tcpm_print(p: Printer, m, now: float, opts: IpOptions) -> None:
    """process_msg() and print_tcp_metrics() (ip/tcp_metrics.c): dst, age (ms since
    tcpm_stamp, from TCP_METRICS_ATTR_AGE), the set metrics in index order (cwnd),
    then rtt and rttvar in microseconds (JSON: seconds), the source."""
    p.open_object()
    p.any("dst", "%s", str(m.daddr))
    age_ms = int(round((now - m.stamp) * 1000))
    _tcpm_float(p, "age", age_ms / 1000.0)
    p.fp(" age %d.%03dsec" % divmod(age_ms, 1000))
    if m.cwnd:
        p.js("cwnd", m.cwnd)
        p.fp(f" cwnd {m.cwnd}")
    if m.rtt_us:
        _tcpm_float(p, "rtt", m.rtt_us / 1e6)
        p.fp(f" rtt {m.rtt_us}us")
    if m.rttvar_us:
        _tcpm_float(p, "rttvar", m.rttvar_us / 1e6)
        p.fp(f" rttvar {m.rttvar_us}us")
    p.any("source", " source %s", str(m.saddr))
    p.fp("\n")
    p.close_object()


# ---------------------------------------------------------------------- macsec
MACSEC_USAGE = (
    "Usage: ip macsec add DEV tx sa { 0..3 } [ OPTS ] key ID KEY\n"
    "       ip macsec set DEV tx sa { 0..3 } [ OPTS ]\n"
    "       ip macsec del DEV tx sa { 0..3 }\n"
    "       ip macsec add DEV rx SCI [ on | off ]\n"
    "       ip macsec set DEV rx SCI [ on | off ]\n"
    "       ip macsec del DEV rx SCI\n"
    "       ip macsec add DEV rx SCI sa { 0..3 } [ OPTS ] key ID KEY\n"
    "       ip macsec set DEV rx SCI sa { 0..3 } [ OPTS ]\n"
    "       ip macsec del DEV rx SCI sa { 0..3 }\n"
    "       ip macsec show\n"
    "       ip macsec show DEV\n"
    "       ip macsec offload DEV [ off | phy | mac ]\n"
    "where  OPTS := [ pn <u32> | xpn <u64> ] [ salt SALT ] [ ssci <u32> ] [ on | off ]\n"
    "       ID   := 128-bit hex string\n"
    "       KEY  := 128-bit or 256-bit hex string\n"
    "       SCI  := { sci <u64> | port { 1..2^16-1 } address <lladdr> }\n"
    "       SALT := 96-bit hex string\n")


def do_macsec(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipmacsec(): the usage, then genl_init_handle() for the "macsec" family, which
    a kernel without the macsec driver does not have (CTRL_CMD_GETFAMILY: ENOENT)."""
    if not argv or matches(argv[0], "help"):
        raise CommandError(MACSEC_USAGE, EXIT_ARG)
    if "macsec" in ctx.profile["kernel"].get("missing_drivers", []):
        raise CommandError("RTNETLINK answers: No such file or directory\n"
                           "Error talking to the kernel\n", 1)
    raise CommandError(f"ipemu: `ip macsec {argv[0]}` is not simulated yet\n", 1)


# ------------------------------------------------- generic netlink families, mroute
_GENL_MISSING = CommandError("RTNETLINK answers: No such file or directory\n"
                             "Error talking to the kernel\n", 1)


def do_genl_missing(ctx: ToolContext, opts: IpOptions, argv: list[str], obj: str) -> int:
    """do_ipl2tp(), do_ipfou(): the usage for no command or help, then
    genl_init_handle() of a family the recording kernel does not have (no l2tp, fou
    module): CTRL_CMD_GETFAMILY answers ENOENT."""
    if not argv or matches(argv[0], "help"):
        raise CommandError(ctx.profile.usage(f"ip_{obj}"), EXIT_ARG)
    if obj not in ctx.profile["kernel"].get("missing_drivers", []):
        raise CommandError(f"ipemu: `ip {obj} {argv[0]}` is not simulated yet\n", 1)
    raise _GENL_MISSING


def do_l2tp(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    return do_genl_missing(ctx, opts, argv, "l2tp")


def do_fou(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    return do_genl_missing(ctx, opts, argv, "fou")


def do_multiroute(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_multiroute() -> mroute_list(): no multicast routes are made here, so a dump
    is empty. Its words as mroute_list() reads them (table, iif, from, to: a prefix of
    RTNL_FAMILY_IPMR/IP6MR, which get_prefix() does not know: "???"); a table given is
    asked for by the strict dump (ipmr_rtm_dumproute(), ip6mr_rtm_dumproute()), and
    only each family's own exists: IPv4's default (253, asked for when none is given),
    IPv6's main (254)."""
    from ipemu.render.names import table_a2n
    if argv and not (matches(argv[0], "list") or matches(argv[0], "show")
                     or matches(argv[0], "lst")):
        if matches(argv[0], "help"):
            raise CommandError(ctx.profile.usage("ip_mroute"), EXIT_ARG)
        raise CommandError(f'Command "{argv[0]}" is unknown, try "ip mroute help".\n',
                           EXIT_ARG)
    six = opts.family == 6
    if opts.family not in (0, 4, 6):
        return 0                    # the family has no multicast routing
    table = 0 if six else 253       # filter.tb: IPv4's default for backward compatibility
    iif = None
    args = Args(argv[1:])
    while args:
        word = args.cur
        if matches(word, "table"):
            value = args.next_arg()
            tid = table_a2n(value)
            if tid is None:
                if value == "all":
                    table = 0
                elif value == "help":
                    raise CommandError(ctx.profile.usage("ip_mroute"), EXIT_ARG)
                else:
                    raise invarg("table id value is invalid\n", value)
            else:
                table = tid
        elif word == "iif":
            iif = args.next_arg()
        elif matches(word, "from"):
            get_prefix(args.next_arg(), 129 if six else 128)
        else:
            if word == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise CommandError(ctx.profile.usage("ip_mroute"), EXIT_ARG)
            get_prefix(word, 129 if six else 128)
        args.advance()
    if iif is not None and ctx.netns.getlink(iif, sync=False) is None:
        raise CommandError(f'Cannot find device "{iif}"\n', 1)
    if table and table != (254 if six else 253):
        ctx.term.err(f"Error: {'ipv6' if six else 'ipv4'}: MR table does not exist.\n")
        if opts.json:
            ctx.term.out("[]\n")
        raise CommandError("Dump terminated\n", 1)
    if opts.json:
        ctx.term.out("[]\n")
    return 0


def do_multirule(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """`ip mrule` (do_multirule() -> do_iprule() with RTNL_FAMILY_IPMR/IP6MR): the
    rules of multicast routing, from the default rule ipmr_rules_init() /
    ip6mr_rules_init() make; add, delete, flush and list as `ip rule` does them (a
    prefix of these families is refused by get_prefix(): "???")."""
    from ipemu.syntax import keyword      # (the grammar reads mrule's words as rule's)
    from ipemu.tools import ip_rule
    family = 129 if opts.family == 6 else 128
    if not argv:
        return ip_rule.list_or_flush(ctx, opts, [], family=family)
    cmd, rest = argv[0], argv[1:]
    kw = keyword(cmd)
    if kw in ("list", "lst", "show"):
        return ip_rule.list_or_flush(ctx, opts, rest, family=family)
    if kw == "flush":
        return ip_rule.list_or_flush(ctx, opts, rest, flush=True, family=family)
    if kw in ("add", "delete"):
        return ip_rule.modify(ctx, opts, rest, kw == "add", family=family)
    if kw == "help":
        raise ip_rule.usage(ctx.profile)
    if kw in ("save", "restore"):
        raise CommandError(f"ipemu: `ip mrule {cmd}` is not simulated yet\n", 1)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip rule help".\n', EXIT_ARG)


def do_seg6(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_seg6() (ip/ipseg6.c): `tunsrc show` answers the namespace's seg6 tunnel
    source (net->ipv6.seg6_data: :: until set), `tunsrc set` sets it (any IPv6
    address: seg6_genl_set_tunsrc()), `hmac show` dumps the HMAC keys (none); the usage
    for no command or help."""
    if not argv or matches(argv[0], "help"):
        raise CommandError(ctx.profile.usage("ip_sr"), EXIT_ARG)
    if not (matches(argv[0], "hmac") or matches(argv[0], "tunsrc")):
        raise invarg("unknown", argv[0])
    if len(argv) < 2:
        raise incomplete_command()
    what = "hmac" if matches(argv[0], "hmac") else "tunsrc"
    if matches(argv[1], "show"):
        p = Printer(opts.json, opts.pretty)
        p.begin()
        if what == "tunsrc":
            p.open_object()
            p.any("tunsrc", "tunsrc addr %s\n",
                  str(ipaddress.IPv6Address(ctx.netns.seg6_tunsrc)))
            p.close_object()
        p.end()
        ctx.term.out(p.text())
        return 0
    if not matches(argv[1], "set"):
        raise invarg("unknown", argv[1])
    if len(argv) < 3:
        raise incomplete_command()
    if what == "tunsrc":
        ctx.netns.seg6_tunsrc = get_addr(argv[2], 6).address.packed
        return 0
    keyid = get_unsigned(argv[2])
    if not keyid:
        raise invarg("hmac KEYID value is invalid", argv[2])
    if len(argv) < 4:
        raise incomplete_command()
    if argv[3] not in ("sha1", "sha256"):
        raise invarg("hmac ALGO value is invalid", argv[3])
    # getpass() of the key's secret from the terminal
    raise CommandError("ipemu: `ip sr hmac set` is not simulated yet\n", 1)


def _u64_hex(text: str) -> int | None:
    """get_u64(.., 16): hex digits, an optional 0x, at most 64 bits."""
    digits = text[2:] if text[:2].lower() == "0x" else text
    if not digits or any(c not in "0123456789abcdefABCDEF" for c in digits):
        return None
    value = int(digits, 16)
    return value if value <= 0xFFFFFFFFFFFFFFFF else None


def _ioam_id(text: str, top: int, what: str) -> int:
    """get_u16()/get_u32() with base 0, else invarg()."""
    from ipemu.tools.ipargs import _strtoul0
    value = _strtoul0(text)
    if value is None or value > top:
        raise invarg(what, text)
    return value


def do_ioam6(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ioam6() (ip/ipioam6.c, 6.1): `namespace` show/add/del/set and `schema`
    show/add/del, their words compared whole; the IOAM6 genetlink family's answers
    (kernel/ioam6.py) as rtnl_talk() reports them (exit 1)."""
    from ipemu.kernel import ioam6
    from ipemu.tools.rtnl import talk_error
    if not argv or argv[0] == "help":
        raise CommandError(ctx.profile.usage("ip_ioam"), EXIT_ARG)
    args = Args(argv)
    ns = ctx.netns
    obj = args.cur
    if obj not in ("namespace", "schema"):
        raise invarg("Unknown", obj)
    cmd = args.next_arg()
    try:
        if obj == "namespace" and cmd == "show":
            return _ioam_show(ctx, opts, ioam6.dump_namespaces(ns), _print_ioam_namespace)
        if obj == "schema" and cmd == "show":
            return _ioam_show(ctx, opts, ioam6.dump_schemas(ns), _print_ioam_schema)
        if obj == "namespace" and cmd == "add":
            ns_id = _ioam_id(args.next_arg(), 0xFFFF, "Invalid namespace ID")
            data = wide = None
            if args.peek_next() is not None:
                word = args.argv[args.i + 1]
                args.advance()
                if word == "data":
                    data = _ioam_id(args.next_arg(), 0xFFFFFFFF, "Invalid data")
                elif word == "wide":
                    wide = _u64_hex(args.next_arg())
                    if wide is None:
                        raise invarg("Invalid wide data", args.cur)
                else:
                    raise invarg("Invalid argument", word)
            if args.peek_next() is not None:
                word = args.argv[args.i + 1]
                args.advance()
                if data is None or word != "wide":
                    raise invarg("Unexpected argument", word)
                wide = _u64_hex(args.next_arg())
                if wide is None:
                    raise invarg("Invalid wide data", args.cur)
            ioam6.add_namespace(ns, ns_id, data, wide)
        elif obj == "namespace" and cmd == "del":
            ioam6.del_namespace(ns, _ioam_id(args.next_arg(), 0xFFFF, "Invalid namespace ID"))
        elif obj == "namespace" and cmd == "set":
            ns_id = _ioam_id(args.next_arg(), 0xFFFF, "Invalid namespace ID")
            if args.next_arg() != "schema":
                raise invarg("Unknown", args.cur)
            text = args.next_arg()
            sc_id = None if text == "none" else _ioam_id(text, 0xFFFFFFFF, "Invalid schema ID")
            ioam6.ns_set_schema(ns, ns_id, sc_id)
        elif obj == "schema" and cmd == "add":
            sc_id = _ioam_id(args.next_arg(), 0xFFFFFFFF, "Invalid schema ID")
            data = args.next_arg()
            raw = data.encode("utf-8", "surrogateescape")
            if len(raw) > 1020:             # IOAM6_MAX_SCHEMA_DATA_LEN
                raise invarg("Schema DATA too big", data)
            ioam6.add_schema(ns, sc_id, raw)
        elif obj == "schema" and cmd == "del":
            ioam6.del_schema(ns, _ioam_id(args.next_arg(), 0xFFFFFFFF, "Invalid schema ID"))
        else:
            raise invarg("Unknown", cmd)
    except KernelError as err:
        raise talk_error(err, 1) from None
    return 0


def _ioam_show(ctx: ToolContext, opts: IpOptions, rows: list, printer) -> int:
    p = Printer(opts.json, opts.pretty)
    p.begin()
    for row in rows:
        p.open_object()
        printer(p, row)
        p.close_object()
    p.end()
    ctx.term.out(p.text())
    return 0


def _print_ioam_namespace(p: Printer, row: tuple) -> None:
    """print_namespace(): the id, [schema], data (print_hex(): bare hex in JSON),
    wide (print_0xhex())."""
    ns_id, data, wide, sc_id = row
    p.any("namespace", "namespace %u", ns_id)
    if sc_id is not None:
        p.any("schema", " [schema %u]", sc_id)
    if data is not None:
        p.fp(", data %#010x", data)
        p.js("data", "%x" % data)
    if wide is not None:
        p.fp(", wide %#018x", wide)
        p.js("wide", "%#x" % wide)
    p.nl()


def _print_ioam_schema(p: Printer, row: tuple) -> None:
    """print_schema(): the id, [namespace], then each data byte (print_hhu() with an
    empty key in JSON, after a null "data")."""
    sc_id, data, ns_id = row
    p.any("schema", "schema %u", sc_id)
    if ns_id is not None:
        p.any("namespace", " [namespace %u]", ns_id)
    p.null("data", ", data:")
    for byte in data:
        p.any("", " %02x", byte)
    p.nl()


def do_mptcp(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipmptcp.c do_mptcp(): endpoints (add/delete/show/flush) and limits (set/show)
    of the in-kernel path manager (kernel/mptcp_pm.py); limits and endpoints print
    as text even under -j (iproute2 6.1 opens no JSON object there)."""
    if not argv or matches(argv[0], "help"):
        raise CommandError(ctx.profile.usage("ip_mptcp"), EXIT_ARG)
    from ipemu.kernel import mptcp_pm
    try:
        if matches(argv[0], "limits"):
            if len(argv) == 1 or matches(argv[1], "show"):
                pm = mptcp_pm.pernet(ctx.netns)
                ctx.term.out(f"add_addr_accepted {pm.add_addr_accept_max} "
                             f"subflows {pm.subflows_max} \n")
                return 0
            if matches(argv[1], "set"):
                _mptcp_limits_set(ctx, argv[2:])
                return 0
        elif matches(argv[0], "endpoint"):
            cmd = argv[1] if len(argv) > 1 else "show"
            if matches(cmd, "show") and len(argv) <= 2:
                _mptcp_show(ctx, opts, mptcp_pm.dump_addrs(ctx.netns))
                return 0
            if matches(cmd, "flush") and len(argv) == 2:
                mptcp_pm.flush_addrs(ctx.netns)
                return 0
            if not any(matches(cmd, word) for word in
                       ("add", "delete", "change", "show", "flush")):
                raise _mptcp_unknown(cmd)
            simple = _mptcp_endpoint_cmd(ctx, opts, cmd, argv[2:])
            if simple is not None:
                return simple
        elif not matches(argv[0], "monitor"):
            raise _mptcp_unknown(argv[0])
        if matches(argv[0], "limits") and not matches(argv[1], "set"):
            raise _mptcp_unknown(argv[1])
    except KernelError as err:
        raise _rtnl_error(err) from None
    raise CommandError(f"ipemu: `ip mptcp {' '.join(argv[:2])}` is not simulated yet\n", 1)


def _mptcp_unknown(word: str) -> CommandError:
    """do_mptcp()'s last words for a command it does not know, at either level."""
    return CommandError(f'Command "{word}" is unknown, try "ip mptcp help".\n', EXIT_ARG)


# ipmptcp.c mptcp_addr_flag_names: the words of FLAG-LIST, in the order they print
_MPTCP_FLAGS = (("signal", 1), ("subflow", 2), ("backup", 4), ("fullmesh", 8),
                ("nobackup", 0), ("nofullmesh", 0))


def _mptcp_show(ctx: ToolContext, opts: IpOptions, endpoints: list) -> None:
    """mptcp_addr_dump()/mptcp_addr_show(): a line per endpoint, or under -j one JSON
    array of objects (address, port, id, a true member per flag, dev)."""
    if not opts.json:
        for entry in endpoints:
            ctx.term.out(_mptcp_endpoint_line(ctx, entry))
        return
    import json
    items = []
    for entry in endpoints:
        obj = {"address": str(entry.addr)}
        if entry.port:
            obj["port"] = entry.port
        obj["id"] = entry.id
        flags = entry.flags
        for name, bit in _MPTCP_FLAGS:
            if flags & bit:
                obj[name] = True
            flags &= ~bit
        if flags:
            obj["rawflags"] = f"{flags:02x}"
        if entry.ifindex:
            dev = ctx.netns.by_index(entry.ifindex)
            if dev is not None:
                obj["dev"] = dev.name
            else:
                obj["dev_idx"] = entry.ifindex
        items.append(obj)
    ctx.term.out(json.dumps(items, separators=(",", ":")) + "\n")


def _mptcp_endpoint_line(ctx: ToolContext, entry) -> str:
    """print_mptcp_addrinfo(): address, port, id, the flags' words, dev."""
    out = f"{entry.addr} "
    if entry.port:
        out += f"port {entry.port} "
    out += f"id {entry.id} "
    flags = entry.flags
    for name, bit in _MPTCP_FLAGS:
        if flags & bit:
            out += f"{name} "
        flags &= ~bit
    if flags:
        out += f"rawflags {flags:02x} "
    if entry.ifindex:
        dev = ctx.netns.by_index(entry.ifindex)
        out += f"dev {dev.name} " if dev is not None else f"dev_idx {entry.ifindex} "
    return out + "\n"


def _mptcp_limits_set(ctx: ToolContext, args: list[str]) -> None:
    """mptcp_limit_get_set(): subflows and add_addr_accepted, u32 each."""
    from ipemu.kernel import mptcp_pm
    subflows = accepted = None
    i = 0
    while i < len(args):
        word = args[i]
        if matches(word, "subflows") or matches(word, "add_addr_accepted"):
            key = "subflows" if matches(word, "subflows") else "add_addr_accepted"
            if i + 1 >= len(args):
                raise incomplete_command()
            value = get_unsigned(args[i + 1])
            if value is None:
                raise invarg(f"invalid {key}\n", args[i + 1])
            if key == "subflows":
                subflows = value
            else:
                accepted = value
            i += 2
            continue
        raise invarg("unknown limit", word)
    mptcp_pm.set_limits(ctx.netns, subflows, accepted)


def _mptcp_endpoint_cmd(ctx: ToolContext, opts: IpOptions, cmd: str,
                        args: list[str]) -> int | None:
    """mptcp_parse_opt() for add, delete by a non-zero id and show by id; None for
    what is not simulated (change, delete of id 0)."""
    from ipemu.kernel import mptcp_pm
    adding, deling, showing = matches(cmd, "add"), matches(cmd, "delete"), matches(cmd, "show")
    setting = matches(cmd, "change")
    if not (adding or deling or showing or setting):
        return None
    addr = None
    ident, id_set, ifindex, flags, port = 0, False, 0, 0, 0
    i = 0
    while i < len(args):
        word = args[i]
        flag = next((bit for name, bit in _MPTCP_FLAGS if name == word), None)
        if flag is not None:
            flags |= flag
            if adding and flags & 1 and flags & 8:
                raise invarg("flags mustn't have both signal and fullmesh", word)
            if setting and flags & ~(4 | 8):
                raise invarg("invalid flags, backup and fullmesh only", word)
        elif word in ("id", "dev", "port") or matches(word, "id") or matches(word, "dev") \
                or matches(word, "port"):
            if i + 1 >= len(args):
                raise incomplete_command()
            value = args[i + 1]
            if matches(word, "id"):
                number = get_unsigned(value)
                if number is None or number > 255:
                    raise invarg("invalid ID\n", value)
                ident, id_set = number, True
            elif matches(word, "dev"):
                dev = ctx.netns.by_name(value)
                if dev is None:
                    raise invarg("device does not exist\n", value)
                ifindex = dev.ifindex
            else:
                number = get_unsigned(value)
                if number is None or number > 0xFFFF:
                    raise invarg("expected port", value)
                port = number
            i += 1
        else:
            addr = get_addr(word, 0).address    # get_addr() exits on a bad address
        i += 1
    if adding and addr is None:
        raise missarg("ADDRESS")
    if deling and not id_set:
        raise missarg("ID")
    if deling and ident and addr is not None:
        raise invarg("invalid for non-zero id address\n", "ADDRESS")
    if deling and not ident and addr is None:
        raise invarg("address is needed for deleting id 0 address\n", "ID")
    if setting and id_set and port:
        raise invarg("port can't be used with id", "port")
    if adding and port and not flags & 1:
        raise invarg("flags must have signal when using port", "port")
    if adding:
        mptcp_pm.add_addr(ctx.netns, mptcp_pm.MptcpEndpoint(addr, ident, port, flags, ifindex))
        return 0
    if deling:
        if ident:
            mptcp_pm.del_addr(ctx.netns, ident)
        # id 0 with an address: mptcp_nl_remove_id_zero_address() acts on the
        # connections only (none here), whether or not an endpoint has that address
        return 0
    if setting:
        mptcp_pm.set_flags(ctx.netns, ident, addr, port, flags)
        return 0
    if not id_set:
        return None
    entry = next((e for e in mptcp_pm.pernet(ctx.netns).endpoints if e.id == ident), None)
    if entry is None:
        raise KernelError(Errno.EINVAL, "address not found")
    _mptcp_show(ctx, opts, [entry])
    return 0


def do_ila(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipila(): the usage for no command or help; a command goes to
    genl_init_handle() of the "ila" family, which the recording kernel does not have."""
    if not argv or matches(argv[0], "help"):
        raise CommandError(ctx.profile.usage("ip_ila"), EXIT_ARG)
    if "ila" not in ctx.profile["kernel"].get("missing_drivers", []):
        raise CommandError("ipemu: `ip ila` is not simulated yet\n", 1)
    raise _GENL_MISSING
