"""iproute2's `tc`: qdiscs and classes (tc/tc.c, tc_qdisc.c, tc_class.c) with the
kinds pfifo/bfifo, pfifo_fast, tbf, htb, netem, fq_codel and ingress (q_*.c): argv ->
QdiscRequest/ClassRequest -> ipemu/kernel/sch_api.py -> records -> the printers in
ipemu/tools/tc_print.py. Errors are tc's texts and statuses: a usage or parse error of
tc itself is -1 (255), a kind's parse error 1, the kernel's refusal 2."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel import sch_api as S
from ipemu.kernel import sch_notify as N
from ipemu.kernel.requests import NLM_F
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import get_unsigned, matches
from ipemu.tools.ll_proto import NUMERIC, ll_proto_a2n
from ipemu.tools.rtnl import talk_error
from ipemu.tools import tc_parse as P
from ipemu.tools import tc_print as TP

USAGE = ("Usage:\ttc [ OPTIONS ] OBJECT { COMMAND | help }\n"
         "\ttc [-force] -batch filename\n"
         "where  OBJECT := { qdisc | class | filter | chain |\n"
         "\t\t    action | monitor | exec }\n"
         "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |\n"
         "\t\t    -o[neline] | -j[son] | -p[retty] | -c[olor]\n"
         "\t\t    -b[atch] [filename] | -n[etns] name | -N[umeric] |\n"
         "\t\t     -nm | -nam[es] | { -cf | -conf } path\n"
         "\t\t     -br[ief] }\n")
QDISC_USAGE = (
    "Usage: tc qdisc [ add | del | replace | change | show ] dev STRING\n"
    "       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]\n"
    "       [ estimator INTERVAL TIME_CONSTANT ]\n"
    "       [ stab [ help | STAB_OPTIONS] ]\n"
    "       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]\n"
    "       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n"
    "\n"
    "       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]\n"
    "Where:\n"
    "QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }\n"
    "OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help\n"
    "STAB_OPTIONS := ... try tc qdisc add stab help\n"
    "QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }\n")
CLASS_USAGE = (
    "Usage: tc class [ add | del | change | replace | show ] dev STRING\n"
    "       [ classid CLASSID ] [ root | parent CLASSID ]\n"
    "       [ [ QDISC_KIND ] [ help | OPTIONS ] ]\n"
    "\n"
    "       tc class show [ dev STRING ] [ root | parent CLASSID ]\n"
    "Where:\n"
    "QDISC_KIND := { prio | cbq | etc. }\n"
    "OPTIONS := ... try tc class add <desired QDISC_KIND> help\n")

MODIFY = {"add": NLM_F.EXCL | NLM_F.CREATE, "change": NLM_F(0),
          "replace": NLM_F.CREATE | NLM_F.REPLACE, "link": NLM_F.REPLACE}


class Opts:
    """tc's global flags (tc.c main())."""

    def __init__(self) -> None:
        self.stats = 0
        self.details = 0
        self.raw = 0
        self.json = False
        self.pretty = False
        self.color = False
        self.graph = False
        self.force = False
        self.batch: str | None = None
        self.timestamp = 0          # -timestamp, -tshort: print_timestamp() in tc monitor
        self.timestamp_short = 0


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        return _run(ctx, argv[1:])
    except P.TcExit as done:
        ctx.term.err(done.message)
        return done.status
    except CommandError as err:
        ctx.term.err(err.message)
        return err.status


def _color_option(word: str) -> str | None:
    """matches_color(): -color (any prefix of it) with an optional =always|auto|never;
    the WHEN ("" when bare), or None when the word is not that option."""
    base, eq, when = word.partition("=")
    if not matches(base, "-color") or (eq and when not in ("always", "auto", "never")):
        return None
    return when


def _run(ctx: ToolContext, args: list[str]) -> int:
    opts = Opts()
    TP.USE_IEC[0] = False
    TP.ONELINE[0] = False
    NUMERIC[0] = False
    while args and args[0].startswith("-"):
        word = args.pop(0)
        if matches(word, "-stats") or matches(word, "-statistics"):
            opts.stats += 1
        elif matches(word, "-details"):
            opts.details += 1
        elif matches(word, "-raw"):
            opts.raw += 1
        elif matches(word, "-Version"):
            ctx.term.out(ctx.profile["tc_version"] + "\n")
            return 0
        elif matches(word, "-help"):
            ctx.term.err(USAGE)
            return 0
        elif matches(word, "-pretty"):
            opts.pretty = True
        elif matches(word, "-graph"):
            opts.graph = True
        elif matches(word, "-json"):
            opts.json = True
        elif matches(word, "-iec"):
            TP.USE_IEC[0] = True
        elif matches(word, "-netns"):
            # tc.c main(): NEXT_ARG() (argc counts argv[0]: a last -netns goes on with
            # argv[1] NULL), then netns_switch(), checked before -Numeric and -names
            value = args.pop(0) if args else None
            if value is None:
                raise P.TcExit('Cannot open network namespace "(null)": '
                               "No such file or directory\n", 255)
            from ipemu.tools.netns_links import netns_switch
            try:
                ctx.netns = netns_switch(ctx, value, 255)
            except CommandError as err:
                raise P.TcExit(err.message, 255)
        elif matches(word, "-Numeric"):
            NUMERIC[0] = True           # tc.c: ++numeric (ll_proto_n2a() prints [N])
        elif matches(word, "-force"):
            opts.force = True
        elif matches(word, "-names") or matches(word, "-nm"):
            continue
        elif matches(word, "-cf") or matches(word, "-conf"):
            # tc.c main(): checked before matches_color(), so `-c` is -cf and takes the
            # next word (the object, typed after -c for colour) as its file; as the
            # last word it takes nothing (NEXT_ARG() leaves argc at 1) and usage follows
            if args:
                args.pop(0)
        elif matches(word, "-batch"):
            # tc.c main(): the next word is the file; without one usage() (which
            # returns) prints, and again when no object follows
            if not args:
                ctx.term.err(USAGE)
                continue
            opts.batch = args.pop(0)
        elif _color_option(word) is None and matches(word, "-oneline"):
            TP.ONELINE[0] = True        # tc.c: _SL_ = "\\" (print_nl() prints it)
        elif _color_option(word) is None and matches(word, "-timestamp"):
            opts.timestamp += 1         # tc.c main(): for `tc monitor`'s accept_tcmsg()
        elif _color_option(word) is None and matches(word, "-tshort"):
            opts.timestamp += 1
            opts.timestamp_short += 1
        elif _color_option(word) is None and \
                matches(word, "-brief") and not matches(word, "-batch"):
            continue
        elif _color_option(word) is not None:
            when = _color_option(word)
            # check_enable_color(): always, or auto on a terminal; never with -json
            opts.color = when in ("", "always") or (
                when == "auto" and bool(getattr(ctx.session, "stdout_tty", False)))
        else:
            raise P.TcExit(f'Option "{word}" is unknown, try "tc -help".\n', 255)
    if opts.batch is not None:
        return _batch(ctx, opts, opts.batch)
    if not args:
        ctx.term.err(USAGE)
        return 0
    return _do_cmd(ctx, opts, args)


# do_cmd()'s paths that return -1 rather than exit(-1): in a batch they are one
# failed line ("Command failed FILE:N"), where an exit ends the batch there
_RETURNS = re.compile(r'(Object|Command) ".*" is unknown, try "tc |What is ".*"\? Try "tc ')


def _batch(ctx: ToolContext, opts: Opts, name: str) -> int:
    """batch() over lib/utils.c do_batch(): each line of the file (`-`: standard
    input) is a tc command without `tc` and its options, run with the options given
    before -batch; a line that fails prints `Command failed FILE:N` and ends the batch
    unless -force (status 1). An error tc reports by exit() ends it at once."""
    from ipemu.tools.ip_batch import do_batch

    def line(argv: list[str]) -> bool:
        try:
            return _do_cmd(ctx, opts, argv) != 0
        except P.TcExit as done:
            if done.status == 255 and not _RETURNS.match(done.message):
                raise
            ctx.term.err(done.message)
            return True
        except CommandError as err:
            if err.status > 128:
                raise               # a signal (tc's assert) ends the process
            ctx.term.err(err.message)
            return True
    return do_batch(ctx, name, opts.force, line)


def _do_cmd(ctx: ToolContext, opts: Opts, args: list[str]) -> int:
    """do_cmd(): the object's handler."""
    obj, rest = args[0], args[1:]
    if matches(obj, "qdisc"):
        return _do_qdisc(ctx, opts, rest)
    if matches(obj, "class"):
        return _do_class(ctx, opts, rest)
    if matches(obj, "filter"):
        return _do_filter(ctx, rest, opts.stats, opts.json, opts.pretty)
    if matches(obj, "actions"):
        from ipemu.tools.tc_actions import do_action
        return do_action(ctx, rest, opts)
    if matches(obj, "chain"):
        return _do_chain(ctx, rest, opts.json, opts.pretty)
    if matches(obj, "monitor"):
        from ipemu.tools.tc_monitor import do_tcmonitor
        return do_tcmonitor(ctx, opts, rest)
    if matches(obj, "help"):
        ctx.term.err(USAGE)
        return 0
    raise P.TcExit(f'Object "{obj}" is unknown, try "tc help".\n', 255)


# -------------------------------------------------------------------- qdisc
def _do_object(ctx: ToolContext, opts: Opts, args: list[str], obj: str, verbs: tuple,
               modify, listing, usage: str) -> int:
    """do_qdisc() / do_class(): the verbs that modify (`delete` among them), the three
    names of a listing, `help`; a listing without words."""
    if not args:
        return listing(ctx, opts, [])
    cmd, rest = args[0], args[1:]
    for name in verbs:
        if matches(cmd, name):
            return modify(ctx, False, MODIFY[name], rest)
    if matches(cmd, "delete"):
        return modify(ctx, True, NLM_F(0), rest)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return listing(ctx, opts, rest)
    if matches(cmd, "help"):
        ctx.term.err(usage)
        return 0
    raise P.TcExit(f'Command "{cmd}" is unknown, try "tc {obj} help".\n', 255)


def _do_qdisc(ctx: ToolContext, opts: Opts, args: list[str]) -> int:
    return _do_object(ctx, opts, args, "qdisc", ("add", "change", "replace", "link"),
                      _qdisc_modify, _qdisc_list, QDISC_USAGE)


def _qdisc_modify(ctx: ToolContext, delete: bool, flags: NLM_F, args: list[str]) -> int:
    """tc_qdisc_modify(): dev, handle, root/ingress/parent, then the kind's options."""
    dev = kind = ""
    handle = parent = 0
    stab: dict | None = None
    est: tuple = ()
    while args:
        word = args.pop(0)
        if word == "dev":
            value = P.next_arg(args)
            if dev:
                P.duparg("dev", value)
            dev = value
        elif word == "handle":
            if handle:
                P.duparg("handle", args[0] if args else "handle")
            value = P.next_arg(args)
            handle = P.get_qdisc_handle(value, "invalid qdisc ID")
        elif word == "root":
            if parent:
                raise P.TcExit('Error: "root" is duplicate parent ID\n', 255)
            parent = S.TC_H_ROOT
        elif word in ("ingress", "clsact"):
            if parent:
                raise P.TcExit(f'Error: "{word}" is a duplicate parent ID\n', 255)
            parent, kind, handle = S.TC_H_INGRESS, word, 0xFFFF0000
            break
        elif word == "parent":
            value = P.next_arg(args)
            if parent:
                P.duparg("parent", value)
            parent = P.get_tc_classid(value, "invalid parent ID")
        elif matches(word, "estimator"):
            est = P.parse_estimator(args, ctx.term.err, bool(est))
        elif matches(word, "stab"):
            # parse_size_table(): its words, then the loop goes on at the next one
            spec = P.parse_size_table(args)
            if spec is None:
                return 255                  # check_size_table_opts(): -1, no word
            stab = spec
        elif matches(word, "help"):
            ctx.term.err(QDISC_USAGE)       # usage()'s -1 is not returned: on it goes
        else:
            kind = word
            break
    qopts = P.parse_qdisc_opts(ctx, kind, args, dev) if kind else ()
    if not kind and args:
        raise P.TcExit(f'Garbage instead of arguments "{args[0]} ...". '
                       'Try "tc qdisc help".\n', 255)
    ifindex = _ifindex(ctx, dev) if dev else 0
    req = S.QdiscRequest(delete, ifindex, parent, handle, kind, qopts,
                         NLM_F.REQUEST | NLM_F.ACK | flags,
                         P.calc_size_table(stab) if stab else (), est)
    try:
        N.modify_qdisc(ctx.netns, req, S.tc_del_qdisc if delete else S.tc_modify_qdisc)
    except KernelError as err:
        raise talk_error(err)
    return 0


def _ifindex(ctx: ToolContext, name: str) -> int:
    # ll_init_map() first (a dump, which runs no held linkwatch event), then
    # ll_name_to_index() from its cache: `tc qdisc show dev X` leaves X's event held
    # (recorded: scripts39_neighlab's notes)
    dev = ctx.netns.getlink(name, sync=False)
    if dev is None:
        raise P.TcExit(f'Cannot find device "{name}"\n', 1)
    return dev.ifindex


def _qdisc_list(ctx: ToolContext, opts: Opts, args: list[str]) -> int:
    """tc_qdisc_list(): dump, filtered by dev, root/ingress, parent or handle."""
    dev = ""
    fparent = fhandle = 0
    invisible = False
    while args:
        word = args.pop(0)
        if word == "dev":
            dev = P.next_arg(args)
        elif word in ("root", "ingress", "clsact") or matches(word, "parent") \
                or matches(word, "handle"):
            if fparent:
                raise P.TcExit(P.invarg_text("parent is already specified", word), 255)
            if fhandle:
                raise P.TcExit(P.invarg_text("handle is already specified", word), 255)
            if word == "root":
                fparent = S.TC_H_ROOT
            elif word in ("ingress", "clsact"):
                fparent = S.TC_H_INGRESS
            elif matches(word, "parent"):
                fparent = P.get_tc_classid(P.next_arg(args), "invalid parent ID")
            else:
                fhandle = P.get_qdisc_handle(P.next_arg(args), "invalid handle ID")
        elif matches(word, "help"):
            ctx.term.err(QDISC_USAGE)       # usage()'s -1 is not returned: on it goes
        elif word == "invisible":
            invisible = True        # TCA_DUMP_INVISIBLE
        else:
            raise P.TcExit(f'What is "{word}"? Try "tc qdisc help".\n', 255)
    ifindex = _ifindex(ctx, dev) if dev else 0
    names = {d.ifindex: d.name for d in ctx.netns.devices.values()}
    msgs = [msg for msg in S.tc_dump_qdisc(ctx.netns, ifindex, invisible)
            if not (fhandle and msg.handle != fhandle or fparent and msg.parent != fparent)]
    if opts.json:
        ctx.term.out(TP.qdisc_json(msgs, names, bool(ifindex), opts))
        return 0
    ctx.term.out(TP.oneline("".join(TP.qdisc_text(msg, names, bool(ifindex), opts)
                                    for msg in msgs)))
    return 0


# -------------------------------------------------------------------- class
def _do_class(ctx: ToolContext, opts: Opts, args: list[str]) -> int:
    return _do_object(ctx, opts, args, "class", ("add", "change", "replace"),
                      _class_modify, _class_list, CLASS_USAGE)


def _class_modify(ctx: ToolContext, delete: bool, flags: NLM_F, args: list[str]) -> int:
    """tc_class_modify()."""
    dev = kind = ""
    classid = parent = 0
    est: tuple = ()
    while args:
        word = args.pop(0)
        if word == "dev":
            dev = P.next_arg(args)
        elif word == "classid":
            value = P.next_arg(args)
            if classid:
                P.duparg("classid", value)     # tc_class_modify(): a second classid
            classid = P.get_tc_classid(value, "invalid class ID")
        elif word == "root":
            if parent:
                raise P.TcExit('Error: "root" is duplicate parent ID\n', 255)
            parent = S.TC_H_ROOT
        elif word == "parent":
            value = P.next_arg(args)
            if parent:
                P.duparg("parent", value)
            parent = P.get_tc_classid(value, "invalid parent ID")
        elif matches(word, "estimator"):
            est = P.parse_estimator(args, ctx.term.err, bool(est))
        elif matches(word, "help"):
            ctx.term.err(CLASS_USAGE)       # usage()'s -1 is not returned: on it goes
        else:
            kind = word
            break
    copts = P.parse_class_opts(ctx, kind, args, dev, bool(flags & NLM_F.EXCL)) if kind \
        else ()
    ifindex = _ifindex(ctx, dev) if dev else 0
    req = S.ClassRequest(delete, ifindex, parent, classid, kind, copts,
                         NLM_F.REQUEST | NLM_F.ACK | flags, est)
    try:
        warning = N.ctl_tclass(ctx.netns, req, S.tc_ctl_tclass)
    except KernelError as err:
        raise talk_error(err)
    if warning:
        ctx.term.err(f"Warning: {warning}\n")  # nl_dump_ext_ack() of an ACK with a message
    return 0


def _class_list(ctx: ToolContext, opts: Opts, args: list[str]) -> int:
    """tc_class_list(): a dump needs the device (`Cannot send dump request` else)."""
    dev = ""
    fparent = fclassid = 0
    while args:
        word = args.pop(0)
        if word == "dev":
            dev = P.next_arg(args)
        elif word == "classid":
            fclassid = P.get_tc_classid(P.next_arg(args), "invalid class ID")
        elif word == "root":
            if fparent:
                raise P.TcExit('Error: "root" is duplicate parent ID\n', 255)
            fparent = S.TC_H_ROOT
        elif word == "parent":
            value = P.next_arg(args)
            if fparent:
                P.duparg("parent", value)
            fparent = P.get_tc_classid(value, "invalid parent ID")
        elif matches(word, "help"):
            ctx.term.err(CLASS_USAGE)       # usage()'s -1 is not returned: on it goes
        else:
            raise P.TcExit(f'What is "{word}"? Try "tc class help".\n', 255)
    if not dev:
        return 0                # tc_dump_tclass(): no device, nothing dumped
    ifindex = _ifindex(ctx, dev)
    out = []
    if opts.graph:
        # print_class(): with show_graph every class of the dump goes to the graph,
        # before the parent and classid filters (and before any JSON: -j -g prints
        # the graph's text, recorded)
        ctx.term.out(TP.graph_text(S.tc_dump_tclass(ctx.netns, ifindex), opts))
        return 0
    for msg in S.tc_dump_tclass(ctx.netns, ifindex):
        # tc_dump_tclass_qdisc(): a parent picks the qdisc of its major
        if fparent and msg.classid & 0xFFFF0000 != fparent & 0xFFFF0000:
            continue
        if fclassid and msg.classid != fclassid:
            continue
        out.append(TP.class_text(msg, opts))
    ctx.term.out(TP.oneline("".join(out), only_stats=True))
    return 0


# -------------------------------------------------------------------- filter
FILTER_TALK = "We have an error talking to the kernel\n"


def _do_filter(ctx: ToolContext, args: list[str], stats: int = 0, json: bool = False,
               pretty: bool = False) -> int:
    """do_filter() for u32 filters."""
    if not args:
        return _filter_list(ctx, [], stats, json, pretty)
    cmd, rest = args[0], args[1:]
    if matches(cmd, "add"):
        return _filter_modify(ctx, False, rest, NLM_F.EXCL | NLM_F.CREATE)
    if matches(cmd, "change"):
        return _filter_modify(ctx, False, rest, NLM_F(0))
    if matches(cmd, "replace"):
        return _filter_modify(ctx, False, rest, NLM_F.CREATE)
    if matches(cmd, "delete"):
        return _filter_modify(ctx, True, rest)
    if matches(cmd, "get"):
        return _filter_get(ctx, rest)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return _filter_list(ctx, rest, stats, json, pretty)
    if matches(cmd, "help"):
        ctx.term.err(FILTER_USAGE)
        return 0
    raise P.TcExit(f'Command "{cmd}" is unknown, try "tc filter help".\n', 255)


# tc_filter.c usage()
FILTER_USAGE = (
    "Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]\n"
    "       tc filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]\n"
    "       tc filter get dev STRING parent CLASSID protocol PROTO handle FILTERID "
    "pref PRIO FILTER_TYPE\n"
    "       tc filter get block BLOCK_INDEX protocol PROTO handle FILTERID pref PRIO "
    "FILTER_TYPE\n"
    "       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]\n"
    "       [ estimator INTERVAL TIME_CONSTANT ]\n"
    "       [ root | ingress | egress | parent CLASSID ]\n"
    "       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]\n"
    "\n"
    "       tc filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]\n"
    "       tc filter show [ block BLOCK_INDEX ]\n"
    "Where:\n"
    "FILTER_TYPE := { rsvp | u32 | bpf | fw | route | etc. }\n"
    "FILTERID := ... format depends on classifier, see there\n"
    "OPTIONS := ... try tc filter add <desired FILTER_KIND> help\n")
# tc_filter_modify()/tc_filter_list(): TC_H_ROOT and clsact's two directions
FILTER_PARENTS = {"root": 0xFFFFFFFF, "ingress": 0xFFFFFFF2, "egress": 0xFFFFFFF3}


def _filter_modify(ctx: ToolContext, delete: bool, args: list[str],
                   flags: NLM_F = NLM_F(0), chain_cmd: str = "") -> int:
    """tc_filter_modify(): dev, parent, prio, protocol, chain, then u32's selector;
    RTM_NEWCHAIN/RTM_DELCHAIN too (`chain_cmd` "new"/"del": do_chain())."""
    from ipemu.kernel import sch_cls_u32 as U
    dev = kind = ""
    parent = prio = 0
    chain = None
    # tc_filter_modify(): ETH_P_ALL unless given, for a filter request that may create
    protocol = U.ETH_P_ALL if flags & NLM_F.CREATE and not chain_cmd else 0
    keys: tuple = ()
    classid = 0
    fhandle = None
    est: tuple = ()
    while args:
        word = args.pop(0)
        if word == "dev":
            dev = P.next_arg(args)
        elif word in FILTER_PARENTS or word == "parent":
            parent = _parent_arg(word, args, parent)
        elif word == "handle":
            value = P.next_arg(args)
            if fhandle is not None:
                P.duparg("handle", value)
            fhandle = value
        elif matches(word, "help"):
            ctx.term.err(FILTER_USAGE)
            return 0
        elif matches(word, "preference") or matches(word, "priority"):
            value = P.next_arg(args)
            if not value.isdigit() or int(value) > 0xFFFF:
                raise P.TcExit(P.invarg_text("invalid priority value", value), 255)
            prio = int(value)
        elif matches(word, "protocol"):
            protocol = _protocol_arg(args)
        elif matches(word, "chain"):
            chain = _chain_arg(args, chain)
        elif matches(word, "estimator"):
            # parse_estimator(): TCA_RATE, which only a police action would use
            est = P.parse_estimator(args, ctx.term.err, bool(est))
        else:
            kind = word
            break
    # tc_filter_modify(): the device is looked up before the kind parses its options
    if dev:
        dev_obj = ctx.netns.getlink(dev, sync=False)      # ll_init_map() first
        if dev_obj is None:
            raise P.TcExit(f'Cannot find device "{dev}"\n', 1)
        ifindex = dev_obj.ifindex
    else:
        ifindex = 0
    actions: tuple = ()
    handle = divisor = 0
    selector = False
    bpf: dict | None = None
    if kind == "u32":
        if fhandle is not None:
            handle = P.get_u32_handle(fhandle)
            if handle is None:
                raise P.TcExit("Illegal filter ID\n", 1)
        options: dict = {"given": bool(args)}     # u32_parse_opt(): no words, no options
        keys, classid, specs = P.parse_u32(args, options,
                                           handle if fhandle is not None else None)
        handle = options.get("handle", handle)
        divisor = options.get("divisor", 0)
        selector = bool(options.get("sel"))
        actions = tuple(_action_request(ctx, spec) for spec in specs)
    elif kind == "bpf" and not (not delete and
                                "bpf" in ctx.netns.kernel.get("missing_classifiers", [])):
        if fhandle is not None:
            handle = P._get_u32(fhandle, 0)
            if handle is None:
                raise P.TcExit('Illegal "handle"\n', 1)
        bpf = P.parse_bpf(args, lambda name: _read_text(ctx, name))
        actions = tuple(_action_request(ctx, spec) for spec in bpf["actions"])
        options = {"given": bpf["options"]}
    elif not kind and fhandle is not None:
        raise P.TcExit('Must specify filter type when using "handle"\n', 255)
    elif kind in ("flower", "fw") and not delete and \
            kind in ctx.netns.kernel.get("missing_classifiers", []):
        # flower_parse_opt() / fw_parse_opt() take their options (and refuse what
        # they refuse), then the kernel has no such classifier
        from ipemu.tools import tc_flower
        if kind == "flower":
            tc_flower.parse_flower(args, protocol)
        else:
            if fhandle is not None:
                # fw_parse_opt(): HANDLE[/FWMASK], each get_u32(..., 0)
                head, slash, mask = fhandle.partition("/")
                if P._get_u32(head, 0) is None:
                    raise P.TcExit('Illegal "handle"\n', 1)
                if slash and P._get_u32(mask, 0) is None:
                    raise P.TcExit('Illegal "handle" mask\n', 1)
            tc_flower.parse_fw(args)
    elif kind == "route" and not delete and \
            kind in ctx.netns.kernel.get("missing_classifiers", []):
        _route_options(ctx, fhandle, args)
    elif kind in ("flow", "tcindex", "rsvp") and not delete and \
            kind in ctx.netns.kernel.get("missing_classifiers", []):
        # their parse_fopt() take the words (ipemu reads them unchecked), then the
        # kernel has no such classifier
        args.clear()
    elif kind in UNMODELLED_FILTERS and not delete and \
            kind in ctx.netns.kernel.get("missing_classifiers", []):
        # a classifier the kernel has no module for: tc parses its options, the
        # kernel's tcf_proto_lookup_ops() then finds none (not simulated elsewhere)
        _skip_filter_options(ctx, kind, args)
    elif kind and args:
        # get_filter_kind() found no f_KIND.so: its stand-in parse_noqopt() takes no
        # words (tc_filter.c); with none, the request goes to the kernel with the kind
        raise P.TcExit(f'Unknown filter "{kind}", hence option "{args[0]}" is unparsable\n',
                       1)
    if chain_cmd:
        return _chain_modify(ctx, U.ChainRequest(chain_cmd, ifindex, parent, chain or 0,
                                                 kind))
    if bpf:
        classid = bpf["classid"]
    req = U.FilterRequest(delete, ifindex, parent, prio, protocol, kind, keys, classid,
                          actions, handle, divisor, selector, flags,
                          kind not in ("u32", "bpf") or options["given"], chain or 0,
                          options.get("ht", 0) if kind == "u32" else 0,
                          options.get("link") if kind == "u32" else None,
                          _u32_unsimulated(options) if kind == "u32" else "",
                          options.get("hmask", 0) if kind == "u32" else 0,
                          options.get("hoff", 0) if kind == "u32" else 0,
                          options.get("indev") if kind == "u32" else None,
                          tuple(sorted(options["offset"].items()))
                          if kind == "u32" and options.get("offset") else (),
                          options.get("flags", 0) if kind == "u32" else
                          bpf["gen_flags"] if bpf else 0,
                          bpf["ops"] if bpf else (), bool(bpf and bpf["direct"]))
    try:
        N.tfilter(ctx.netns, req, U.tc_del_tfilter if delete else U.tc_new_tfilter)
    except KernelError as err:
        raise CommandError(talk_error(err).message + FILTER_TALK, 2)
    except U.U32Unsimulated as err:
        raise CommandError(f"ipemu: u32 {err} is not simulated yet\n", 1) from None
    return 0


def _read_text(ctx: ToolContext, name: str) -> str | None:
    """fopen() and the whole file (None: it does not open)."""
    try:
        return ctx.session.open_text(name)
    except OSError:
        return None


def _u32_unsimulated(options: dict) -> str:
    """The u32 options ipemu takes but does not act on (the kernel's checks before the
    key node is made still run)."""
    return ""


# classifiers whose options tc reads here only to hand the kernel a kind it may
# lack (basic: f_basic.c's basic_parse_opt(); matchall: f_matchall.c's)
UNMODELLED_FILTERS = {
    "basic": ("Usage: ... basic [ match EMATCH_TREE ]\n"
              "                 [ action ACTION_SPEC ] [ classid CLASSID ]\n\n"
              "Where:\tSELECTOR := SAMPLE SAMPLE ...\n"
              "\tFILTERID := X:Y:Z\n"
              "\tACTION_SPEC := ... look at individual actions\n\n"
              "NOTE: CLASSID is parsed as hexadecimal input.\n"),
    "matchall": ("Usage: ... matchall [skip_sw | skip_hw]\n"
                 "                 [ action ACTION_SPEC ] [ classid CLASSID ]\n\n"
                 "Where: SELECTOR := SAMPLE SAMPLE ...\n"
                 "       FILTERID := X:Y:Z\n"
                 "       ACTION_SPEC := ... look at individual actions\n\n"
                 "NOTE: CLASSID is parsed as hexadecimal input.\n"),
    "cgroup": ("Usage: ... cgroup [ match EMATCH_TREE ]\n"
               "                  [ action ACTION_SPEC ]\n"),
}


def _skip_filter_options(ctx: ToolContext, kind: str, args: list[str]) -> None:
    """The options of a classifier in UNMODELLED_FILTERS, read as its parse_fopt()
    reads them: `match` takes the ematch tree (parse_ematch(), which leaves the words
    from the one its parser stepped back to), `classid`/`flowid` a class id, `action`
    the rest; another word is `What is`."""
    from ipemu.tools import tc_ematch
    while args:
        word = args.pop(0)
        if kind in ("basic", "cgroup") and matches(word, "match"):
            if not args:
                P.next_arg(args)
            args[:] = tc_ematch.parse_ematch(args, _read_text(ctx, tc_ematch.EMATCH_MAP))
        elif kind != "cgroup" and (matches(word, "classid") or word == "flowid"):
            value = P.next_arg(args)
            try:
                P.get_tc_classid(value, "invalid classid")
            except P.TcExit:
                raise P.TcExit('Illegal "classid"\n', 1) from None
        elif word == "help":
            raise P.TcExit(UNMODELLED_FILTERS[kind], 1)
        elif matches(word, "action") or word == "police":
            args.clear()
        elif kind == "matchall" and word in ("skip_sw", "skip_hw"):
            continue
        else:
            raise P.TcExit(f'What is "{word}"?\n' + UNMODELLED_FILTERS[kind], 1)


ROUTE_USAGE = ("Usage: ... route [ from REALM | fromif TAG ] [ to REALM ]\n"
               "                [ classid CLASSID ] [ action ACTION_SPEC ]\n"
               "       ACTION_SPEC := ... look at individual actions\n"
               "       CLASSID := X:Y\n"
               "\n"
               "NOTE: CLASSID is parsed as hexadecimal input.\n")


def _route_options(ctx: ToolContext, fhandle: str | None, args: list[str]) -> None:
    """f_route.c route_parse_opt(): to/from REALM (rtnl_rtrealm_a2n()), fromif DEV,
    classid/flowid, order, police/action (the rest), help; status 1 on an error."""
    from ipemu.render.names import realm_a2n
    if fhandle is not None and P._get_u32(fhandle, 0) is None:
        raise P.TcExit('Illegal "handle"\n', 1)
    while args:
        word = args.pop(0)
        if matches(word, "to") or matches(word, "from"):
            name = "to" if matches(word, "to") else "from"
            if realm_a2n(P.next_arg(args)) is None:
                raise P.TcExit(f'Illegal "{name}"\n', 1)
        elif matches(word, "fromif"):
            value = P.next_arg(args)
            if ctx.netns.getlink(value, sync=False) is None:      # ll_name_to_index()
                raise P.TcExit('Illegal "fromif"\n', 1)
        elif matches(word, "classid") or word == "flowid":
            value = P.next_arg(args)
            try:
                P.get_tc_classid(value, "invalid classid")
            except P.TcExit:
                raise P.TcExit('Illegal "classid"\n', 1) from None
        elif matches(word, "order"):
            if P._get_u32(P.next_arg(args), 0) is None:
                raise P.TcExit('Illegal "order"\n', 1)
        elif matches(word, "police") or matches(word, "action"):
            P.next_arg(args)
            args.clear()
        elif word == "help":
            raise P.TcExit(ROUTE_USAGE, 1)
        else:
            raise P.TcExit(f'What is "{word}"?\n' + ROUTE_USAGE, 1)


def _parent_arg(word: str, args: list[str], parent: int) -> int:
    """`root`/`ingress`/`egress` or `parent ID` of tc_filter_list(),
    tc_filter_get() and tc_chain_list(): once only."""
    if word in FILTER_PARENTS:
        if parent:
            raise P.TcExit(f'Error: "{word}" is duplicate parent ID\n', 255)
        return FILTER_PARENTS[word]
    value = P.next_arg(args)
    if parent:
        P.duparg("parent", value)
    return P.get_tc_classid(value, "invalid parent ID")


def _filter_list(ctx: ToolContext, args: list[str], stats: int = 0,
                 json: bool = False, pretty: bool = False) -> int:
    """tc_filter_list(): a device's filters, on the root qdisc or the parent given."""
    from ipemu.kernel import sch_cls_u32 as U
    words = _list_args(ctx, args)
    if words is None:
        return 0
    dev, parent, prio, protocol, chain = words
    if not dev:
        # tc_filter_list() dumps with ifindex 0 all the same: tc_dump_tfilter() finds
        # no device and answers nothing, inside new_json_obj()'s array (recorded:
        # `tc -j filter show` prints `[]`)
        return _print_filters(ctx, [], (parent, prio, protocol, chain), stats, json, pretty)
    ifindex = _ifindex(ctx, dev)
    # tcm_info carries prio and protocol: the kernel's tcf_chain_dump() skips other
    # protos, and print_filter() leaves out what was asked for (filter_prio, ...)
    msgs = [m for m in U.tc_dump_tfilter(ctx.netns, ifindex, parent, chain)
            if (not prio or m.prio == prio) and (not protocol or m.protocol == protocol)]
    return _print_filters(ctx, msgs, (parent, prio, protocol, chain), stats, json, pretty)


def _list_args(ctx: ToolContext, args: list[str]):
    """tc_filter_list()'s words (filters and chains alike): (dev, parent, prio,
    protocol, chain), or None after `help`."""
    dev = ""
    parent = prio = protocol = 0
    chain = None
    while args:
        word = args.pop(0)
        if word == "dev":
            dev = P.next_arg(args)
        elif word in FILTER_PARENTS or word == "parent":
            parent = _parent_arg(word, args, parent)
        elif word == "handle":
            P.next_arg(args)            # a dump names no handle (tc_filter_get() does)
        elif matches(word, "preference") or matches(word, "priority"):
            value = P.next_arg(args)
            if prio:
                raise P.TcExit(f'Error: duplicate "priority": "{value}" is the second '
                               'value.\n', 255)
            number = get_unsigned(value)
            if number is None:
                raise P.TcExit(P.invarg_text("invalid preference", value), 255)
            prio = number
        elif matches(word, "protocol"):
            protocol = _protocol_arg(args)
        elif matches(word, "chain"):
            chain = _chain_arg(args, chain)
        elif matches(word, "help"):
            ctx.term.err(FILTER_USAGE)
            return None
        else:
            # tc_filter_list(): the message starts with a blank
            raise P.TcExit(f' What is "{word}"? Try "tc filter help"\n', 255)
    return dev, parent, prio, protocol, chain


def _print_filters(ctx: ToolContext, msgs: list, asked: tuple, stats: int, json: bool,
                   pretty: bool) -> int:
    """print_filter() of each message, leaving out what the dump asked for."""
    parent, prio, protocol, chain = asked
    names = {d.ifindex: d.name for d in ctx.netns.devices.values()}
    if json:
        try:
            ctx.term.out(TP.filter_json(msgs, parent, bool(prio), bool(protocol), chain,
                                        pretty, names, bool(stats)))
        except TP.JsonAbort as abort:
            ctx.term.out(abort.flushed)
            raise CommandError(TP.JSONW_ASSERT, 134) from None
        return 0
    out = [TP.filter_text(msg, parent, bool(prio),
                          bool(protocol), chain, names, bool(stats), pretty)
           for msg in msgs]
    ctx.term.out(TP.oneline("".join(out)))
    return 0


def _filter_get(ctx: ToolContext, args: list[str]) -> int:
    """tc_filter_get(): one filter by parent, protocol, prio, kind and handle, printed
    whole (print_filter() with only the device filtered)."""
    from ipemu.kernel import sch_cls_u32 as U
    dev = kind = ""
    parent = prio = protocol = 0
    fhandle = chain = None
    while args:
        word = args.pop(0)
        if word == "dev":
            dev = P.next_arg(args)
        elif word in FILTER_PARENTS or word == "parent":
            parent = _parent_arg(word, args, parent)
        elif word == "handle":
            fhandle = P.next_arg(args)
        elif matches(word, "preference") or matches(word, "priority"):
            value = P.next_arg(args)
            if not value.isdigit() or int(value) > 0xFFFF:
                raise P.TcExit(P.invarg_text("invalid priority value", value), 255)
            prio = int(value)
        elif matches(word, "protocol"):
            protocol = _protocol_arg(args)
        elif matches(word, "chain"):
            chain = _chain_arg(args, chain)
        elif matches(word, "help"):
            ctx.term.err(FILTER_USAGE)
            return 0
        else:
            kind = word
            break
    for missing, text in ((not protocol, "Must specify filter protocol"),
                          (not prio, "Must specify filter priority"),
                          (not parent, "Must specify filter parent"),
                          (not kind, "Must specify filter type"),
                          (not dev, 'Must specify netdevice "dev" or block index "block"')):
        if missing:
            raise P.TcExit(text + "\n", 255)
    ifindex = _ifindex(ctx, dev)
    if kind not in ("u32", "bpf"):
        raise CommandError(f"ipemu: `tc filter get` of {kind} filters is not simulated\n", 1)
    handle = 0
    if kind == "bpf":
        # bpf_parse_opt(): get_u32(handle, 0), then its options (none needed)
        if fhandle is not None:
            handle = P._get_u32(fhandle, 0)
            if handle is None:
                raise P.TcExit('Illegal "handle"\n', 1)
        P.parse_bpf(args, lambda name: _read_text(ctx, name))
    else:
        if fhandle is not None:
            handle = P.get_u32_handle(fhandle)
            if handle is None:
                raise P.TcExit("Illegal filter ID\n", 1)
        P.parse_u32(args)
    if fhandle is None:
        raise P.TcExit('Must specify filter "handle"\n', 255)
    req = U.FilterRequest(False, ifindex, parent, prio, protocol, kind, handle=handle,
                          chain=chain or 0)
    try:
        msg = U.tc_get_tfilter(ctx.netns, req)
    except KernelError as err:
        raise CommandError(talk_error(err).message + FILTER_TALK, 2)
    names = {d.ifindex: d.name for d in ctx.netns.devices.values()}
    ctx.term.out(TP.filter_text(msg, 0, names=names))
    return 0


CHAIN_USAGE = ("Usage: tc chain [ add | del | get | show ] [ dev STRING ]\n"
               "       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]\n")


def _do_chain(ctx: ToolContext, args: list[str], json: bool = False,
              pretty: bool = False) -> int:
    """do_chain() (tc_filter.c): add and delete through tc_filter_modify(), get through
    tc_filter_get(), show through tc_filter_list()."""
    if not args:
        # tc_filter_list(RTM_GETCHAIN) with no device: an empty dump (`[]` under -j)
        return _chain_list(ctx, [], json, pretty)
    cmd, rest = args[0], args[1:]
    if matches(cmd, "add"):
        return _filter_modify(ctx, False, rest, NLM_F.EXCL | NLM_F.CREATE, "new")
    if matches(cmd, "delete"):
        return _filter_modify(ctx, True, rest, NLM_F(0), "del")
    if matches(cmd, "get"):
        return _chain_get(ctx, rest, json)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        return _chain_list(ctx, rest, json, pretty)
    if matches(cmd, "help"):
        ctx.term.err(CHAIN_USAGE)
        return 0
    raise P.TcExit(f'Command "{cmd}" is unknown, try "tc chain help".\n', 255)


def _chain_arg(args: list[str], chain: int | None) -> int:
    """`chain INDEX`: once, get_u32() base 0."""
    value = P.next_arg(args)
    if chain is not None:
        P.duparg("chain", value)
    index = get_unsigned(value)
    if index is None:
        raise P.TcExit(P.invarg_text("invalid chain index value", value), 255)
    return index


def _chain_modify(ctx: ToolContext, req) -> int:
    """RTM_NEWCHAIN / RTM_DELCHAIN: no answer is printed (rtnl_talk() without echo)."""
    from ipemu.kernel import sch_cls_u32 as U
    try:
        U.tc_ctl_chain(ctx.netns, req)
    except KernelError as err:
        raise CommandError(talk_error(err).message + FILTER_TALK, 2)
    return 0


def _chain_get(ctx: ToolContext, args: list[str], json: bool) -> int:
    """tc_filter_get(RTM_GETCHAIN): dev and parent needed; the answer printed with only
    the device filtered (print_filter())."""
    from ipemu.kernel import sch_cls_u32 as U
    dev = ""
    parent = 0
    chain = None
    while args:
        word = args.pop(0)
        if word == "dev":
            dev = P.next_arg(args)
        elif word in FILTER_PARENTS or word == "parent":
            parent = _parent_arg(word, args, parent)
        elif matches(word, "chain"):
            chain = _chain_arg(args, chain)
        elif matches(word, "help"):
            ctx.term.err(FILTER_USAGE)
            return 0
        else:
            raise CommandError(f"ipemu: `tc chain get ... {word}` is not simulated\n", 1)
    if not parent:
        raise P.TcExit("Must specify filter parent\n", 255)
    if not dev:
        raise P.TcExit('Must specify netdevice "dev" or block index "block"\n', 255)
    ifindex = _ifindex(ctx, dev)
    try:
        answer = U.tc_ctl_chain(ctx.netns, U.ChainRequest("get", ifindex, parent, chain or 0))
    except KernelError as err:
        raise CommandError(talk_error(err).message + FILTER_TALK, 2)
    ctx.term.out(_print_chains([answer], 0, json))
    return 0


def _chain_list(ctx: ToolContext, args: list[str], json: bool, pretty: bool = False) -> int:
    """tc_filter_list(RTM_GETCHAIN): the chains of the block the parent names (only
    the one `chain` asks for, tc_dump_chain()); pref, protocol, handle change nothing."""
    from ipemu.kernel import sch_cls_u32 as U
    words = _list_args(ctx, args)
    if words is None:
        return 0
    dev, parent, _, _, chain = words
    if not dev:
        # (as _filter_list(): an empty dump, `[]` under -j)
        ctx.term.out(_print_chains([], parent, json, chain, pretty))
        return 0
    ifindex = _ifindex(ctx, dev)
    chains = [c for c in U.tc_dump_chain(ctx.netns, ifindex, parent)
              if chain is None or c[1] == chain]
    ctx.term.out(_print_chains(chains, parent, json, chain, pretty))
    return 0


def _print_chains(chains: list, filter_parent: int, json: bool,
                  filter_chain: int | None = None, pretty: bool = False) -> str:
    """print_filter() of RTM_NEWCHAIN messages: the parent unless it is the one asked
    for, then the chain index unless it is the one asked for (-j -p: json_writer's
    pretty layout, `[ ]` when empty, as recorded)."""
    if json:
        from ipemu.render.printer import JsonWriter
        jw = JsonWriter(pretty)
        jw.start_array()
        for tcm_parent, index in chains:
            jw.start_object()
            pairs: list = []
            if filter_parent != tcm_parent:
                pairs.append(("parent", TP.sprint_classid(tcm_parent)))
            if filter_chain != index:
                pairs.append(("chain", index))
            TP._emit(jw, pairs)
            jw.end_object()
        jw.end_array()
        return jw.text() + "\n"
    out = ""
    for tcm_parent, index in chains:
        shown = "" if filter_parent and filter_parent == tcm_parent else \
            {0xFFFFFFFF: "root ", 0xFFFFFFF2: "ingress ", 0xFFFFFFF3: "egress "}.get(
                tcm_parent, f"parent {TP.sprint_classid(tcm_parent)} ")
        out += f"chain {shown}" + ("" if filter_chain == index else f"chain {index} ") + "\n"
    return out


def _protocol_arg(args) -> int:
    """`protocol NAME`: ll_proto_a2n(), a name of llproto_names[] or a number."""
    value = P.next_arg(args)
    ident = ll_proto_a2n(value)
    if ident is None:
        raise P.TcExit(P.invarg_text("invalid protocol", value), 255)
    return ident


def _action_request(ctx: ToolContext, spec: list):
    """parse_mirred() / parse_gact(): one action's words as its request."""
    from ipemu.kernel import act_mirred as A
    kind, words, argc = spec
    if kind == "police":
        return A.ActionRequest("police")        # m_police.c parsed it already
    if kind == "gact":
        control = {"continue": -1, "drop": A.TC_ACT_SHOT, "shot": A.TC_ACT_SHOT,
                   "pass": A.TC_ACT_OK, "ok": A.TC_ACT_OK, "reclassify": 1,
                   "pipe": A.TC_ACT_PIPE, "trap": 8}
        if words and words[0] in ("goto", "jump"):
            return A.ActionRequest("gact", action=_action_ext(words))
        if not words or words[0] not in control:
            raise P.TcExit(f"Bad action type {words[0] if words else kind}\n"
                           + P.GACT_USAGE, 255)
        if len(words) > 1 and matches(words[1], "random"):
            # parse_gact()'s `random TYPE CONTROL VAL`, as `tc actions` parses it
            from ipemu.tools import tc_actions
            try:
                tc_actions._parse_gact(tc_actions._Words([kind] + list(words)))
            except tc_actions._Fail as fail:
                raise P.TcExit(fail.text + "bad action parsing\n"
                               f"parse_action: bad value ({argc}:{kind})!\n"
                               'Illegal "action"\n', 1) from None
        return A.ActionRequest("gact", action=control[words[0]])
    bad = (f"bad action parsing\nparse_action: bad value ({argc}:mirred)!\n"
           'Illegal "action"\n')
    # parse_direction(): each word is followed by NEXT_ARG() (the line must go on),
    # `dev NAME` ends it; a word it does not know is "not supported"
    direction = verb = dev_name = None
    index = 0
    i = 0
    if words[:1] == ["index"]:
        # parse_mirred() -> parse_direction(): `index N` first binds the action of that
        # index as it is (no direction: eaction 0, which the kernel refuses for an
        # index that has no action)
        if len(words) < 2:
            P.next_arg([])
        if not words[1].isdigit() or int(words[1]) > 0xFFFFFFFF:
            raise P.TcExit('Illegal "index"\n' + bad, 1)
        return A.ActionRequest("mirred", 0, 0, A.TC_ACT_STOLEN, int(words[1]))
    while True:
        if i >= len(words):
            P.next_arg([])                      # incomplete_command()
        word = words[i]
        if direction is None and word in ("egress", "ingress"):
            direction = word
        elif word == "index" and i + 1 < len(words) and words[i + 1].isdigit():
            index = int(words[i + 1])
            i += 1
        elif direction is not None and verb is None and word in ("redirect", "mirror"):
            verb = word
        elif verb is not None and word == "dev":
            if i + 1 >= len(words):
                P.next_arg([])
            dev_name = words[i + 1]
            # parse_direction() after the device: a mirror's control word
            # (parse_action_control_dflt()), then `index N`
            rest = words[i + 2:]
            if verb == "mirror" and rest:
                from ipemu.tools.tc_actions import _Words, _parse_control
                w = _Words(rest)
                _parse_control(w, A.TC_ACT_PIPE, quiet=True)
                rest = rest[w.i:]
            if len(rest) >= 2 and rest[0] == "index" and rest[1].isdigit():
                index = int(rest[1])
            break
        elif direction is not None and i + 1 >= len(words):
            P.next_arg([])      # the NEXT_ARG() that follows the direction's word
        else:
            raise P.TcExit(f"mirred option not supported {word}\n" + bad, 1)
        i += 1
    eaction = {("egress", "redirect"): A.TCA_EGRESS_REDIR,
               ("egress", "mirror"): A.TCA_EGRESS_MIRROR,
               ("ingress", "redirect"): A.TCA_INGRESS_REDIR,
               ("ingress", "mirror"): A.TCA_INGRESS_MIRROR}[(direction, verb)]
    dev = ctx.netns.getlink(dev_name, sync=False)      # ll_init_map() first
    if dev is None:
        raise P.TcExit(f'Cannot find device "{dev_name}"\n' + bad, 1)
    action = A.TC_ACT_STOLEN if eaction in (A.TCA_EGRESS_REDIR, A.TCA_INGRESS_REDIR) \
        else A.TC_ACT_PIPE
    return A.ActionRequest("mirred", eaction, dev.ifindex, action, index)


TC_ACT_JUMP = 0x10000000
TC_ACT_GOTO_CHAIN = 0x20000000


def _action_ext(words: list) -> int:
    """__parse_action_control(): `goto chain INDEX` and `jump COUNT` (base 10, 28 bits);
    a failure there is parse_gact()'s usage()."""
    if words[0] == "goto":
        if len(words) < 2:
            P.next_arg([])
        if not matches(words[1], "chain"):
            raise P.TcExit('"chain index" expected\n' + P.GACT_USAGE, 255)
        if len(words) < 3:
            P.next_arg([])
        index = words[2]
        if not index.isdigit() or int(index) > 0x0FFFFFFF:
            raise P.TcExit('Illegal "chain index"\n' + P.GACT_USAGE, 255)
        return TC_ACT_GOTO_CHAIN | int(index)
    if len(words) < 2:
        P.next_arg([])
    count = words[1]
    if not count.isdigit() or int(count) > 0x0FFFFFFF:
        raise P.TcExit(f'Invalid "jump count" ({count})\n' + P.GACT_USAGE, 255)
    return TC_ACT_JUMP | int(count)
