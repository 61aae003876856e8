"""`ip address add`, `change`, `replace`, `delete` (iproute2 ip/ipaddress.c
ipaddr_modify()): apart from ipemu/tools/ip_addr.py, whose listing `ip link show` shares
and loads, so that a listing loads none of this."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel import Later
from ipemu.kernel.errors import Errno, KernelError
from ipemu.syntax import keyword
from ipemu.tools.ip import usage_error
from ipemu.tools.ip_addr import FLAG_NAMES, READONLY_FLAGS, V6ONLY_FLAGS
from ipemu.tools.ipargs import (Args, Prefix, duparg, duparg2, get_addr, get_prefix, get_unsigned,
                                invarg, matches)
from ipemu.tools.rtnl import talk_error

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only
    from ipemu.tools.context import ToolContext
    from ipemu.tools.ip import IpOptions

scope_a2n = Later("ipemu.render.names", "scope_a2n", globals())
NLM_F = Later("ipemu.kernel.requests", "NLM_F", globals())
# an attribute sent with no payload (ipaddr_modify()'s IFA_BROADCAST of `brd +` with no
# address to take it from)
EMPTY_ATTRIBUTE = object()
AddrRequest = Later("ipemu.kernel.requests", "AddrRequest", globals())
Scope = Later("ipemu.kernel.fib", "Scope", globals())


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], mode: str) -> int:
    """ipaddr_modify(): parse, then one RTM_NEWADDR / RTM_DELADDR."""
    import ipaddress        # here: `ip link show` (and a dump) needs no address parsed
    # (`ip -0`: ifa_family AF_PACKET, whose prefixes get_prefix() refuses)
    family = opts.family if opts.family in (4, 6, 17) else 0
    args = Args(argv)
    dev_name = label = None
    local: Prefix | None = None
    peer: Prefix | None = None
    brd_mode = None
    broadcast = None
    scope = None
    metric = 0
    flags: set[str] = set()
    lifetimes = {}
    anycast = None
    while args:
        word = args.cur
        kw = keyword(word)
        if kw in ("peer", "remote"):
            value = args.next_arg()
            # peer_len is the address's byte length: none for "default" of no family
            if peer is not None and not (peer.is_default and not peer.family):
                raise duparg("peer", value)
            peer = get_prefix(value, family)
            family = family or peer.family
        elif kw == "broadcast" or kw == "brd":
            value = args.next_arg()
            if brd_mode is not None:
                raise duparg("broadcast", value)
            if value in ("+", "-"):
                brd_mode = value
            else:
                broadcast = get_addr(value, family)
                family = family or broadcast.family
                brd_mode = "addr"
        elif kw == "anycast":
            value = args.next_arg()
            if anycast is not None:
                raise duparg("anycast", value)
            anycast = get_addr(value, family)
            family = family or anycast.family
        elif kw == "scope":
            value = args.next_arg()
            scope = scope_a2n(value)
            if scope is None:
                raise invarg("invalid scope value.", value)
        elif kw == "dev":
            dev_name = args.next_arg()
        elif kw == "label":
            label = args.next_arg()
        elif kw == "metric" or kw == "priority" or kw == "preference":
            value = args.next_arg()
            metric = get_unsigned(value)
            if metric is None:
                raise invarg('"metric" value is invalid\n', value)
        elif kw == "valid_lft" or kw == "preferred_lft":
            key = "valid_lft" if kw == "valid_lft" else "preferred_lft"
            if key in lifetimes:
                raise duparg(key, word)
            value = args.next_arg()
            life = 0xFFFFFFFF if value == "forever" else get_unsigned(value)
            if life is None:
                raise invarg(f"{key} value", value)
            lifetimes[key] = life
        elif kw in FLAG_NAMES:
            if word in READONLY_FLAGS:
                ctx.term.err(f"Warning: {word} option is not mutable from userspace\n")
            elif word in V6ONLY_FLAGS and family != 6:
                ctx.term.err(f"Warning: {word} option can be set only for IPv6 addresses\n")
            else:
                flags.add(word)
        else:
            if kw == "local":
                word = args.next_arg()
            if matches(word, "help"):   # the value after `local` too, as iproute2 does
                raise usage_error("ip_address", ctx.profile)
            # local_len is the address's byte length: none for "default" of no family
            if local is not None and not (local.is_default and not local.family):
                raise duparg2("local", word)
            local = get_prefix(word, family)
            family = family or local.family
        args.advance()
    if dev_name is None:
        raise CommandError('Not enough information: "dev" argument is required.\n', 1)
    wildcard = False
    if peer is None and local is not None:
        if mode == "delete" and local.family == 4 and not local.prefixlen_given:
            ctx.term.err(
                "Warning: Executing wildcard deletion to stay compatible with old scripts.\n"
                f"         Explicitly specify the prefix length ({argv_local(argv)}/32) to avoid "
                "this warning.\n"
                "         This special behaviour is likely to disappear in further releases,\n"
                "         fix your scripts!\n")
            wildcard = True
    prefixlen = peer.bitlen if peer is not None else (local.bitlen if local else 0)
    if brd_mode in ("+", "-") and mode != "delete":
        if family != 4:
            raise CommandError("Broadcast can be set only for IPv4 addresses\n", 1)
        base = peer if peer is not None else local
        if base is None:
            # neither address given: `brd = peer` copies an inet_prefix with no bytes,
            # and the IFA_BROADCAST it adds is empty (its bytelen), which
            # ifa_ipv4_policy's NLA_U32 refuses before anything else is looked at
            broadcast = EMPTY_ATTRIBUTE
        elif base.bitlen <= 30:
            host = (1 << (32 - base.bitlen)) - 1
            value = int(base.address) | host if brd_mode == "+" else int(base.address) & ~host
            broadcast = Prefix(4, ipaddress.IPv4Address(value), 32, False)
    if scope is None and mode != "delete":
        scope = Scope.HOST if local is not None and local.family == 4 and \
            local.address.packed[0] == 127 else Scope.UNIVERSE
    dev = ctx.netns.getlink(dev_name)            # ll_name_to_index()
    if dev is None:
        raise CommandError(f'Cannot find device "{dev_name}"\n', 1)
    if lifetimes:
        valid = lifetimes.get("valid_lft", 0xFFFFFFFF)
        if not valid:
            raise CommandError("valid_lft is zero\n", 1)
        if valid < lifetimes.get("preferred_lft", 0xFFFFFFFF):
            raise CommandError("preferred_lft is greater than valid_lft\n", 1)
    if "autojoin" in flags and not (local is not None and local.address.is_multicast):
        raise CommandError("autojoin needs multicast address\n", 1)
    if broadcast is EMPTY_ATTRIBUTE:
        # rtnetlink's nlmsg_parse() against the policy, before the handler runs
        raise talk_error(KernelError(Errno.EINVAL, "Attribute failed policy validation"))
    if local is not None and local.is_default and not local.family and peer is None:
        local = None        # no bytes: neither IFA_LOCAL nor IFA_ADDRESS, family 0
    if local is None and peer is not None and (family or peer.family) == 4 and \
            mode != "delete":
        # IFA_ADDRESS alone: rtm_to_ifaddr() wants IFA_LOCAL
        raise talk_error(KernelError(Errno.EINVAL, "ipv4: Local address is not supplied"))
    if local is None and peer is None:
        if family == 4 and mode != "delete":
            # rtm_to_ifaddr(): no IFA_LOCAL
            raise talk_error(KernelError(Errno.EINVAL, "ipv4: Local address is not supplied"))
        if family == 6:
            # inet6_rtm_newaddr() / inet6_rtm_deladdr(): extract_addr() finds none
            raise talk_error(KernelError(Errno.EINVAL))
        if family != 4:
            # family 0: rtnetlink has no handler for AF_UNSPEC
            raise talk_error(KernelError(Errno.EOPNOTSUPP))
        # `ip -4 address del dev D [label L]`: inet_rtm_deladdr() with neither IFA_LOCAL
        # nor IFA_ADDRESS takes the first address (of that label)
    local = local or peer
    address = None if wildcard or local is None else (peer or local).address
    req = _request(family, dev.ifindex, prefixlen, local.address if local is not None else None,
                   address, broadcast.address if broadcast is not None else None, label,
                   scope, metric, flags, mode, lifetimes)
    return _send(ctx, req, mode)


def _request(family: int, ifindex: int, prefixlen: int, local, address, broadcast, label,
             scope, metric: int, flags: set, mode: str, lifetimes: dict) -> "AddrRequest":
    """The ifaddrmsg and attributes ipaddr_modify() sends."""
    return AddrRequest(family=6 if family == 6 else 4, ifindex=ifindex, prefixlen=prefixlen,
                       local=local, address=address, broadcast=broadcast,
                       label=label, scope=scope or 0, metric=metric,
                       nodad="nodad" in flags, noprefixroute="noprefixroute" in flags,
                       home="home" in flags, mngtmpaddr="mngtmpaddr" in flags,
                       autojoin="autojoin" in flags, optimistic="optimistic" in flags,
                       flags=_modify_flags(mode),
                       valid_lft=lifetimes.get("valid_lft", 0xFFFFFFFF),
                       preferred_lft=lifetimes.get("preferred_lft", 0xFFFFFFFF))


def _send(ctx: ToolContext, req, mode: str) -> int:
    """rtnl_talk() of the request: the kernel's refusal as iproute2 prints it."""
    try:
        if mode == "delete":
            ctx.netns.del_addr(req)
        else:
            ctx.netns.new_addr(req)
    except KernelError as err:
        raise talk_error(err)
    return 0


# ---------------------------------------------------------------- batch line plans
FAST_ADD = True         # the tests turn the plans off to compare with the full path
_NO_FLAGS: frozenset = frozenset()


def line_plan(ctx: ToolContext, opts: IpOptions, words: list) -> "AddPlan | None":
    """A plan for the `address` lines of a batch of the shape of `words` (the whole
    line as the grammar read it; ip_batch keys it by the grammar's line shape, which
    generalises device names): `address add PREFIX dev NAME` (or `dev NAME PREFIX`),
    nothing else on the line, no family or an IPv4 one. Any other line has no plan
    (None) and takes the full path."""
    if not FAST_ADD or len(words) != 5 or keyword(words[1]) != "add" or \
            opts.family not in (0, 4, None):
        return None
    if keyword(words[2]) == "dev" and keyword(words[4]) is None:
        at_local, at_dev = 4, 3
    elif keyword(words[3]) == "dev" and keyword(words[2]) is None:
        at_local, at_dev = 2, 4
    else:
        return None
    if keyword(words[at_dev]) is not None:
        return None
    return AddPlan(at_local, at_dev)


class AddPlan:
    """ipaddr_modify() of `address add PREFIX dev NAME` for a later line of the shape:
    get_prefix() of a plain IPv4 dotted quad (anything else: None, the full path),
    the scope (host for 127/8), ll_name_to_index() (RTM_GETLINK by name), the request
    (_request()), the kernel's answer. None, having printed nothing, when the line is
    not the plan's (the full path then prints what is wrong)."""

    __slots__ = ("at_local", "at_dev")
    run_lines = None        # (ip_batch: no run of lines taken at once)

    def __init__(self, at_local: int, at_dev: int) -> None:
        self.at_local, self.at_dev = at_local, at_dev

    def __call__(self, ctx: ToolContext, words: list) -> int | None:
        from ipemu.tools.ipargs import _plain_ipv4
        local = _plain_ipv4(words[self.at_local], 0)
        if local is None:
            return None
        dev = ctx.netns.getlink(words[self.at_dev])            # ll_name_to_index()
        if dev is None:
            return None
        scope = Scope.HOST if local.address.packed[0] == 127 else Scope.UNIVERSE
        req = _request(4, dev.ifindex, local.bitlen, local.address, local.address, None,
                       None, scope, 0, _NO_FLAGS, "add", {})
        return _send(ctx, req, "add")


# ipaddr_modify(): the flags each command sends (made on first use: a dump sends none)
MODIFY_FLAGS: dict = {}


def _modify_flags(mode: str):
    """NLM_F_REQUEST | NLM_F_ACK and the flags of `mode`."""
    if not MODIFY_FLAGS:
        MODIFY_FLAGS.update({"add": NLM_F.CREATE | NLM_F.EXCL, "change": NLM_F.REPLACE,
                             "replace": NLM_F.CREATE | NLM_F.REPLACE, "delete": NLM_F(0)})
    return NLM_F.REQUEST | NLM_F.ACK | MODIFY_FLAGS[mode]


def argv_local(argv: list[str]) -> str:
    for word in argv:
        if word[:1].isdigit():
            return word
    return argv[0] if argv else ""
