"""`ip nexthop` (iproute2 ip/ipnexthop.c): add, replace, delete, get, show and flush
nexthop objects (the kernel side: ipemu/kernel/nexthop.py)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.nexthop import NhObj, NhRequest, nh_add, nh_del, nh_dump_filtered, \
    nh_find_group_resilient, nh_get
from ipemu.render.link import LinkCache
from ipemu.render.names import proto_a2n
from ipemu.render.nexthop import print_nexthop
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import EXIT_ARG, get_addr, get_unsigned, incomplete_command, invarg, \
    matches
from ipemu.tools.rtnl import dump_error, talk_error


def do_ipnh(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipnh()."""
    if not argv:
        return list_or_flush(ctx, opts, [], flush=False)
    cmd, rest = argv[0], argv[1:]
    if matches(cmd, "add"):
        return modify(ctx, opts, rest, replace=False)
    if matches(cmd, "replace"):
        return modify(ctx, opts, rest, replace=True)
    if matches(cmd, "delete"):
        return delete(ctx, opts, rest)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return list_or_flush(ctx, opts, rest, flush=False)
    if matches(cmd, "get"):
        return get(ctx, opts, rest)
    if matches(cmd, "flush"):
        return list_or_flush(ctx, opts, rest, flush=True)
    if matches(cmd, "bucket"):
        return bucket(ctx, opts, rest)
    if matches(cmd, "help"):
        raise usage_error("ip_nexthop", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip nexthop help".\n', EXIT_ARG)


def _parse_id(value: str) -> int:
    """ipnh_parse_id()."""
    nhid = get_unsigned(value)
    if nhid is None:
        raise invarg("invalid id value", value)
    return nhid


def _next(argv: list[str], i: int) -> str:
    if i + 1 >= len(argv):
        raise incomplete_command()
    return argv[i + 1]


def _parse_group(text: str) -> tuple[tuple[int, int], ...] | None:
    """add_nh_group_attr(): ID[,WEIGHT]/...; a weight from 1 to 256 (one out of range
    is its own error, met member by member)."""
    out = []
    for part in text.split("/"):
        nhid, comma, weight = part.partition(",")
        number = get_unsigned(nhid)
        if number is None:
            return None
        w = 1
        if comma:
            w = get_unsigned(weight)
            if w is None or not 1 <= w <= 256:
                raise invarg('"weight" is invalid\n', weight)
        out.append((number, w))
    return tuple(out)


def modify(ctx: ToolContext, opts: IpOptions, argv: list[str], replace: bool) -> int:
    """ipnh_modify(): RTM_NEWNEXTHOP with CREATE and EXCL (add) or REPLACE."""
    # (`ip -0`: nh_family AF_PACKET, which rtm_to_nh_config() refuses)
    fields: dict = {"family": opts.family if opts.family in (4, 6, 17) else 0}
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "id":
            fields["id"] = _parse_id(_next(argv, i))
            i += 1
        elif word == "dev":
            value = _next(argv, i)
            i += 1
            fields["oif"] = _ifindex(ctx, value)
            fields["family"] = fields["family"] or 4
        elif word == "via":
            value = _next(argv, i)
            i += 1
            family = fields["family"]
            if value in ("inet", "inet6"):
                family = 4 if value == "inet" else 6
                value = _next(argv, i)
                i += 1
            if family == 17:
                # get_addr_1() reads a link address under AF_PACKET: the family
                # matches, the kernel refuses it (an unparsable one is not modelled)
                i += 1
                continue
            addr = get_addr(value, family)
            if fields["family"] and fields["family"] != addr.family:
                raise invarg("address family mismatch\n", value)
            fields["family"] = addr.family
            fields["gateway"] = addr.address
        elif word == "blackhole":
            fields["blackhole"] = True
            fields["family"] = fields["family"] or 4
        elif word == "onlink":
            fields["onlink"] = True
        elif word == "group":
            value = _next(argv, i)
            i += 1
            group = _parse_group(value)
            if group is None:
                raise invarg('"group" value is invalid\n', value)
            fields["group"] = group
        elif matches(word, "protocol"):
            value = _next(argv, i)
            i += 1
            proto = proto_a2n(value)
            if proto is None:
                raise invarg('"protocol" value is invalid\n', value)
            fields["protocol"] = proto
        elif word == "help":
            raise usage_error("ip_nexthop", ctx.profile)
        elif word == "encap" and i + 2 < len(argv) and argv[i + 1] == "mpls":
            # lwt_parse_encap() takes the labels (and a ttl); the kernel's
            # lwtunnel_valid_encap_type() finds no MPLS encap ops: this kernel has no
            # mpls_iptunnel module to load (recorded)
            i += 2
            if i + 2 < len(argv) and argv[i + 1] == "ttl":
                i += 2
            fields["encap_unsupported"] = True
        elif word == "fdb":
            fields["fdb"] = True
        elif word == "type":
            i = _parse_group_type(argv, i, fields)
        elif word == "encap":
            # lwt_parse_encap(): the type's words; the first it does not know is next
            from ipemu.tools.ip_lwtunnel import parse_encap
            fields["encap"], i, devices = parse_encap(argv, i)
            if devices:
                raise CommandError("ipemu: `ip nexthop ... encap seg6local` with iif/oif "
                                   "is not simulated yet\n", 1)
            continue
        else:
            raise invarg("", word)
        i += 1
    if fields.pop("encap_unsupported", False):
        raise CommandError("Error: lwt encapsulation type not supported.\n", 2)
    try:
        nh_add(ctx.netns, NhRequest(replace=replace, **fields))
    except KernelError as err:
        raise talk_error(err)
    return 0


def _parse_group_type(argv: list[str], i: int, fields: dict) -> int:
    """parse_nh_group_type(): mpath, or resilient with its optional buckets (get_u16),
    idle_timer and unbalanced_timer (seconds, sent in clock_t); returns the index of
    the last word taken."""
    name = _next(argv, i)
    i += 1
    if name not in ("mpath", "resilient"):
        raise invarg('"type" value is invalid\n', name)
    fields["group_type"] = 1 if name == "resilient" else 0
    if name == "mpath" or i + 1 >= len(argv):
        return i
    # parse_nh_group_type_res(): the words it knows, up to the first it does not
    while i + 1 < len(argv) and argv[i + 1] in ("buckets", "idle_timer", "unbalanced_timer"):
        key = argv[i + 1]
        value = _next(argv, i + 1)
        number = get_unsigned(value)
        if key == "buckets":
            if number is None or number > 0xFFFF:
                raise invarg("invalid buckets value", value)
        elif number is None or number >= 0xFFFFFFFF // 100:
            raise invarg(f"invalid {key.replace('_', ' ')} value", value)
        fields[key] = number if key == "buckets" else number * 100
        i += 2
    return i


def _id_only(ctx: ToolContext, argv: list[str]) -> int | None:
    nhid = None
    i = 0
    while i < len(argv):
        if argv[i] == "id":
            nhid = _parse_id(_next(argv, i))
            i += 1
        elif argv[i] == "help":
            raise usage_error("ip_nexthop", ctx.profile)
        else:
            raise invarg("", argv[i])
        i += 1
    return nhid


def delete(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """RTM_DELNEXTHOP of an id (none given: the kernel finds no id 0)."""
    nhid = _id_only(ctx, argv)
    try:
        nh_del(ctx.netns, nhid)
    except KernelError as err:
        raise talk_error(err)
    return 0


def get(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipnh_get(): `id ID` is required."""
    nhid = _id_only(ctx, argv)
    if nhid is None:
        raise usage_error("ip_nexthop", ctx.profile)
    return _show_ids(ctx, opts, [nhid])


def _show_ids(ctx: ToolContext, opts: IpOptions, ids: list[int]) -> int:
    try:
        objs = [nh_get(ctx.netns, nhid) for nhid in ids]
    except KernelError as err:
        raise talk_error(err)
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    cache = LinkCache({m.ifindex: m for m in ctx.netns.dump_links()})
    for obj in objs:
        print_nexthop(p, obj, cache, opts.details, numeric=opts.numeric)
    p.end()
    ctx.term.out(p.text())
    return 0


def list_or_flush(ctx: ToolContext, opts: IpOptions, argv: list[str], flush: bool) -> int:
    """ipnh_list_flush(): `id` shows one; `dev`, `groups`, `protocol` filter a dump;
    a flush deletes what the filter selects (groups first when it is all of them)."""
    dev = None
    groups = False
    proto = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if matches(word, "dev"):
            value = _next(argv, i)
            i += 1
            dev = _ifindex(ctx, value)
        elif matches(word, "groups"):
            groups = True
        elif word == "id":
            nhid = _parse_id(_next(argv, i))
            if flush:
                # delete_nexthop(): its -1 is do_cmd()'s 1
                try:
                    nh_del(ctx.netns, nhid)
                except KernelError as err:
                    raise talk_error(err, 1)
                return 0
            return _show_ids(ctx, opts, [nhid])
        elif matches(word, "protocol"):
            value = _next(argv, i)
            i += 1
            proto = get_unsigned(value)
            if proto is None:
                raise invarg("invalid protocol value", value)
        elif matches(word, "help"):
            raise usage_error("ip_nexthop", ctx.profile)
        elif matches(word, "fdb"):
            pass    # NHA_FDB in the dump request: rtm_dump_nexthop() ignores it
        elif matches(word, "master") or matches(word, "vrf"):
            raise CommandError(f"ipemu: `ip nexthop show {word}` is not simulated yet\n", 1)
        else:
            raise invarg("", word)
        i += 1

    family = opts.family if opts.family in (4, 6) else 0

    def selected(obj: NhObj) -> bool:
        # the kernel's filters (the request's nhm_family, NHA_OIF, NHA_GROUPS), then
        # iproute2's own of the protocol (filter_nexthop())
        if nh_dump_filtered(obj, family, dev, groups):
            return False
        return proto is None or obj.protocol == proto

    if flush:
        flushed = 0
        passes = [True, False] if not argv else [groups]
        for only_groups in passes:
            for obj in [o for o in ctx.netns.nexthops.values() if selected(o)]:
                if only_groups and not obj.group or obj.id not in ctx.netns.nexthops:
                    continue
                nh_del(ctx.netns, obj.id)
                flushed += 1
        ctx.term.out(f"Flushed {flushed} nexthops\n" if flushed else "Nothing to flush\n")
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    cache = LinkCache({m.ifindex: m for m in ctx.netns.dump_links()})
    for obj in ctx.netns.nexthops.values():
        if selected(obj):
            print_nexthop(p, obj, cache, opts.details, numeric=opts.numeric)
    p.end()
    ctx.term.out(p.text())
    return 0


# ---------------------------------------------------------------- buckets
def bucket(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipnh_bucket(): list/show (the default) or get."""
    if not argv:
        return _bucket_list(ctx, opts, [])
    cmd, rest = argv[0], argv[1:]
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return _bucket_list(ctx, opts, rest)
    if matches(cmd, "get"):
        return _bucket_get(ctx, opts, rest)
    raise usage_error("ip_nexthop", ctx.profile)


def _print_buckets(ctx: ToolContext, p: Printer, obj: NhObj, only: int | None = None,
                   nhid: int | None = None) -> None:
    """print_nexthop_bucket() of each bucket: the id, the "bucket" object
    (print_nh_res_bucket(): index, the idle time in clock_t printed by print_tv() as
    seconds with %g, text and JSON alike, nhid), then print_rt_flags()'s "flags"
    array (nh_fill_res_bucket() copies the nexthop's flags)."""
    now = ctx.netns.clock.now
    for index, entry in enumerate(obj.res.buckets):
        if entry is None or only is not None and index != only:
            continue
        if nhid is not None and entry[0] != nhid:
            continue
        idle = float("%g" % (int((now - entry[-1]) * 100) / 100))  # since its last use
        p.open_object()
        p.any("id", "id %u ", obj.id)
        p.open_object("bucket")
        p.any("index", "index %u ", index)
        p.any("idle_time", "idle_time %s ", int(idle) if idle.is_integer() else idle)
        p.any("nhid", "nhid %u ", entry[0])
        p.close_object()
        p.open_array("flags")
        p.close_array()
        p.fp("\n")
        p.close_object()


def _ifindex(ctx: ToolContext, name: str) -> int:
    """ll_name_to_index() of a `dev` argument, or iproute2's invarg(): an RTM_GETLINK
    by name, which runs the device's held linkwatch event."""
    device = ctx.netns.getlink(name)
    if device is None:
        raise invarg("Device does not exist\n", name)
    return device.ifindex


def _bucket_list(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipnh_bucket_list(): the resilient groups' buckets, filtered by id, nhid, dev."""
    nhid_filter = group_id = dev = None
    i = 0
    while i < len(argv):
        word = argv[i]
        if matches(word, "dev"):
            value = _next(argv, i)
            i += 1
            dev = _ifindex(ctx, value)
        elif word == "id":
            group_id = _parse_id(_next(argv, i))
            i += 1
        elif word == "nhid":
            nhid_filter = _parse_id(_next(argv, i))
            i += 1
        elif matches(word, "help"):
            raise usage_error("ip_nexthop", ctx.profile)
        else:
            raise invarg("", word)
        i += 1
    if group_id is not None:
        # rtm_dump_nexthop_bucket(): the one group, which must be resilient (ENOENT
        # has no message: rtnl_dump_done() prints none)
        try:
            nh_find_group_resilient(ctx.netns, group_id)
        except KernelError as err:
            message = "Dump terminated\n" if err.extack is None else dump_error(err).message
            if not opts.json:
                raise CommandError(message, 2)
            # new_json_obj() began the array before the dump failed; stdout is
            # flushed at exit, after the error lines (recorded: `[`, `[ ` with -p)
            ctx.term.err(message)
            ctx.term.out("[ " if opts.pretty else "[")
            return 2
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    for obj in ctx.netns.nexthops.values():
        if obj.res is None or group_id is not None and obj.id != group_id:
            continue
        if dev is not None:
            members = [ctx.netns.nexthops.get(m) for m, _ in obj.group]
            if not any(m is not None and m.oif == dev for m in members):
                continue
        _print_buckets(ctx, p, obj, nhid=nhid_filter)
    p.end()
    ctx.term.out(p.text())
    return 0


def _bucket_get(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipnh_bucket_get(): `id ID index INDEX`, both required."""
    nhid = index = None
    i = 0
    while i < len(argv):
        if argv[i] == "id":
            nhid = _parse_id(_next(argv, i))
        elif argv[i] == "index":
            value = _next(argv, i)
            index = get_unsigned(value)
            if index is None or index > 0xFFFF:
                raise invarg("invalid bucket index value", value)
        else:
            raise usage_error("ip_nexthop", ctx.profile)
        i += 2
    if not nhid or index is None:
        raise usage_error("ip_nexthop", ctx.profile)
    try:
        obj = nh_find_group_resilient(ctx.netns, nhid)
    except KernelError as err:
        raise talk_error(err)
    if index >= len(obj.res.buckets):
        # rtm_get_nexthop_bucket()
        raise talk_error(KernelError(Errno.ENOENT, "Bucket index out of bounds"))
    p = Printer(opts.json, opts.pretty, opts.oneline, color=opts.color)
    p.begin()
    _print_buckets(ctx, p, obj, only=index)
    p.end()
    ctx.term.out(p.text())
    return 0
