"""tc's printers: print_qdisc() (tc_qdisc.c), print_class() (tc_class.c), the
statistics (tc_util.c print_tcstats2_attr()) and each kind's print_qopt()/print_xstats()
(q_*.c), from the kernel's records (sch_api.QdiscMsg, ClassMsg)."""
from __future__ import annotations

from ipemu.tools.ll_proto import ll_proto_n2a
from ipemu.kernel.sch_api import TC_H_ROOT, ClassMsg, QdiscMsg, QStats
from ipemu.tools.tc_parse import TIME_UNITS_PER_SEC, U32_MAX, calc_xmitsize, tick2time


def _g(x: float) -> str:
    """C's %g."""
    return f"{x:g}"


# tc's use_iec (-iec): set for each run of tc by tc.py
USE_IEC = [False]
ONELINE = [False]       # tc -o: print_nl() prints _SL_, a backslash


def oneline(text: str, only_stats: bool = False) -> str:
    """Under -o the newlines print_nl() made become backslashes: every one of a qdisc
    or filter listing; of a class listing only print_tcstats2_attr()'s between the
    Sent and backlog lines (print_class() ends its lines with fprintf(), recorded)."""
    if not ONELINE[0]:
        return text
    if only_stats:
        return text.replace(") \n backlog ", ") \\ backlog ")
    return text.replace("\n", "\\")


def sprint_rate(rate: int) -> str:
    """sprint_rate(): bits/s in the largest unit (1000, or 1024 with -iec and an "i")
    that divides it well."""
    rate <<= 3
    kilo = 1024 if USE_IEC[0] else 1000
    units = ("", "K", "M", "G", "T")
    i = 0
    while i < len(units) - 1:
        if rate < kilo or (rate % kilo and rate < 1000 * kilo):
            break
        rate //= kilo
        i += 1
    return f"{rate}{units[i]}{'i' if i and USE_IEC[0] else ''}bit"


def sprint_size(sz: int) -> str:
    """sprint_size() (lib/json_print_math.c)."""
    sz = int(sz) & U32_MAX
    mega, kilo = 1024 * 1024, 1024
    if sz >= mega and abs(mega * round(sz / mega) - sz) < 1024:
        return f"{_g(round(sz / mega))}Mb"
    if sz >= kilo and abs(kilo * round(sz / kilo) - sz) < 16:
        return f"{_g(round(sz / kilo))}Kb"
    return f"{sz}b"


def sprint_time(us: float) -> str:
    """sprint_time(): the value as a __u32 of microseconds, %.3g."""
    t = int(us) & U32_MAX
    if t >= TIME_UNITS_PER_SEC:
        return f"{t / TIME_UNITS_PER_SEC:.3g}s"
    if t >= 1000:
        return f"{t / 1000:.3g}ms"
    return f"{t}us"


def sprint_classid(h: int) -> str:
    """print_tc_classid()."""
    if h == TC_H_ROOT:
        return "root"
    if h == 0:
        return "none"
    if h >> 16 == 0:
        return f":{h & 0xFFFF:x}"
    if h & 0xFFFF == 0:
        return f"{h >> 16:x}:"
    return f"{h >> 16:x}:{h & 0xFFFF:x}"


def _pct(p: int) -> str:
    return f"{_g(100. * p / U32_MAX)}%"


# -------------------------------------------------------------------- kinds
def _fifo(kind: str, o: dict, details) -> str:
    if kind == "bfifo":
        return f"limit {sprint_size(o['limit'])}"
    return f"limit {o['limit']}p"


def _pfifo_fast(kind: str, o: dict, details) -> str:
    """prio_print_opt() (pfifo_fast is printed by prio's code)."""
    priomap = o.get("priomap", (1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1))
    return f"bands {o.get('bands', 3)} priomap" + "".join(f" {b}" for b in priomap)


def _tbf(kind: str, o: dict, details) -> str:
    """tbf_print_opt()."""
    rate = o["rate"]
    out = f"rate {sprint_rate(rate)} "
    buffer = calc_xmitsize(rate, o["buffer"])
    # -d: the kernel dumps cell_log 0 and the rate's mpu (psched_ratecfg_getrate())
    mpu = sprint_size(o.get("mpu", 0))
    out += f"burst {sprint_size(buffer)}/1 mpu {mpu} " if details.details else \
        f"burst {sprint_size(buffer)} "
    if details.raw:
        out += f"[{o['buffer']:08x}] "
    prate = o.get("peakrate", 0)
    if prate:
        out += f"peakrate {sprint_rate(prate)} "
        if o["mtu"]:
            mtu = sprint_size(calc_xmitsize(prate, o["mtu"]))
            out += f"mtu {mtu}/1 mpu {mpu} " if details.details else f"minburst {mtu} "
            if details.raw:
                out += f"[{o['mtu']:08x}] "
    latency = _tbf_latency(o)
    if latency >= 0.0:
        out += f"lat {sprint_time(latency)} "
    if details.raw or latency < 0.0:
        out += f"limit {sprint_size(o['limit'])} "
    if o.get("overhead"):
        out += f"overhead {o['overhead']} "
    if details.details or o.get("linklayer"):
        out += f"linklayer {o.get('linklayer', 'ethernet')} "
    return out


def _tbf_latency(o: dict) -> float:
    """tbf_print_opt(): the rate's latency, or the peak rate's when that is longer."""
    latency = TIME_UNITS_PER_SEC * (o["limit"] / o["rate"]) - tick2time(o["buffer"])
    prate = o.get("peakrate", 0)
    if prate:
        latency = max(latency, TIME_UNITS_PER_SEC * (o["limit"] / prate) - tick2time(o["mtu"]))
    return latency


def _htb_qdisc(kind: str, o: dict, details) -> str:
    """htb_print_opt() with TCA_HTB_INIT and TCA_HTB_DIRECT_QLEN."""
    defcls = o.get("defcls", 0)
    default = f"{defcls:#x}" if defcls else "0"
    ver = " ver 3.17" if details.details else ""           # HTB_VER >> 16, & 0xffff
    return (f"r2q {o.get('r2q', 10)} default {default} "
            f"direct_packets_stat {o.get('direct_pkts', 0)}{ver} "
            f"direct_qlen {o['direct_qlen']}")


def htb_class_opts(o: dict, opts) -> str:
    """htb_print_opt() with TCA_HTB_PARMS: prio (and quantum) of a leaf only
    (`if (!hopt->level)`), the level with details."""
    rate, ceil = o["rate"], o["ceil"]
    level = o.get("level", 0)
    burst = sprint_size(calc_xmitsize(rate, o['buffer']))
    cburst = sprint_size(calc_xmitsize(ceil, o['cbuffer']))
    # psched_ratecfg_getrate(): the overhead, mpu and link layer come back as given
    overhead = f"overhead {o['overhead']} " if o.get("overhead") else ""
    linklayer = o.get("linklayer", "ethernet")
    mpu = sprint_size(o.get("mpu", 0))
    if opts.details:
        # htb_change_class(): quantum rate / r2q, kept within 1000..200000
        quantum = o.get("quantum") or min(max(rate // o.get("r2q", 10), 1000), 200000)
        leaf = f"prio {o['prio']} quantum {quantum} " if not level else ""
        return (f"{leaf}rate {sprint_rate(rate)} {overhead}"
                f"ceil {sprint_rate(ceil)} linklayer {linklayer} burst {burst}/1 mpu {mpu} "
                f"cburst {cburst}/1 mpu {mpu} level {level} {_htb_raw(o, opts)}")
    leaf = f"prio {o['prio']} " if not level else ""
    ll = f"linklayer {linklayer} " if linklayer != "ethernet" else ""
    return (f"{leaf}rate {sprint_rate(rate)} {overhead}ceil {sprint_rate(ceil)} {ll}"
            f"burst {burst} cburst {cburst} {_htb_raw(o, opts)}")


def _htb_raw(o: dict, opts) -> str:
    """htb_print_opt() with show_raw: the buckets in ticks."""
    if not getattr(opts, "raw", 0):
        return ""
    return f"buffer [{o['buffer']:08x}] cbuffer [{o['cbuffer']:08x}] "


def _netem(kind: str, o: dict, details) -> str:
    """netem_print_opt()."""
    out = f"limit {o['limit']}"
    if o.get("latency"):
        out += f" delay {sprint_time(tick2time(o['latency']))}"
        if o.get("jitter"):
            out += f"  {sprint_time(tick2time(o['jitter']))}"
            if o.get("delay_corr"):
                out += f" {_pct(o['delay_corr'])}"
    if o.get("loss"):
        out += f" loss {_pct(o['loss'])}"
        if o.get("loss_corr"):
            out += f" {_pct(o['loss_corr'])}"
    if o.get("duplicate"):
        out += f" duplicate {_pct(o['duplicate'])}"
        if o.get("dup_corr"):
            out += f" {_pct(o['dup_corr'])}"
    if o.get("reorder"):
        out += f" reorder {_pct(o['reorder'])}"
        if o.get("reorder_corr"):
            out += f" {_pct(o['reorder_corr'])}"
    if o.get("corrupt"):
        out += f" corrupt {_pct(o['corrupt'])}"
        if o.get("corrupt_corr"):
            out += f" {_pct(o['corrupt_corr'])}"
    if o.get("rate"):
        out += f" rate {sprint_rate(o['rate'])}"
    if o.get("ecn"):
        out += " ecn "
    if o.get("gap"):
        out += f" gap {o['gap']}"
    return out


def _fq_codel(kind: str, o: dict, details) -> str:
    """fq_codel_print_opt()."""
    out = (f"limit {o['limit']}p flows {o['flows']} quantum {o['quantum']} "
           f"target {sprint_time(o['target'])} ")
    if o.get("ce_threshold"):
        out += f"ce_threshold {sprint_time(o['ce_threshold'])} "
    out += f"interval {sprint_time(o['interval'])} "
    out += f"memory_limit {sprint_size(o['memory_limit'])} "
    if o.get("ecn"):
        out += "ecn "
    return out + f"drop_batch {o['drop_batch']} "


def _ingress(kind: str, o: dict, details) -> str:
    # ingress_print_opt() (q_ingress.c); q_clsact.c has no print_qopt
    return "---------------- " if kind == "ingress" else ""


PRINT_QOPT = {"pfifo": _fifo, "bfifo": _fifo, "pfifo_head_drop": _fifo, "pfifo_fast": _pfifo_fast, "prio": _pfifo_fast,
              "tbf": _tbf,
              "htb": _htb_qdisc, "netem": _netem, "fq_codel": _fq_codel,
              "ingress": _ingress, "clsact": _ingress}


# -------------------------------------------------------------------- lines
def stats_text(s: QStats) -> str:
    """print_tcstats2_attr() with the prefix " ": TCA_STATS_RATE_EST (an estimator's
    gen_estimator_read(): its averages >> 8) before the backlog, on its line."""
    rate = ""
    if s.est:
        rate = f"rate {sprint_rate(s.est[4] >> 8)} {s.est[5] >> 8}pps "
    return (f" Sent {s.bytes} bytes {s.packets} pkt (dropped {s.drops}, overlimits "
            f"{s.overlimits} requeues {s.requeues}) \n"
            f" {rate}backlog {sprint_size(s.backlog)} {s.qlen}p requeues {s.requeues}\n")


def _fq_codel_xstats(x: dict) -> str:
    return (f"  maxpacket {x['maxpacket']} drop_overlimit {x['drop_overlimit']} "
            f"new_flow_count {x['new_flow_count']} ecn_mark {x['ecn_mark']}\n"
            f"  new_flows_len {x['new_flows_len']} old_flows_len {x['old_flows_len']}\n")


def stab_fields(spec: tuple) -> list[tuple[str, object]]:
    """print_size_table(): what of TCA_STAB_BASE is set (sprint_linklayer()'s names)."""
    linklayer, overhead, mpu, mtu, tsize = spec[:5]
    out: list[tuple[str, object]] = []
    if linklayer:
        out.append(("linklayer", {1: "ethernet", 2: "atm"}.get(linklayer, "unknown")))
    for key, value in (("overhead", overhead), ("mpu", mpu), ("mtu", mtu), ("tsize", tsize)):
        if value:
            out.append((key, value))
    return out


def qdisc_text(msg: QdiscMsg, names: dict, filtered: bool, opts) -> str:
    """print_qdisc()."""
    out = f"qdisc {msg.kind} {msg.handle >> 16:x}:"
    if opts.raw:
        out += f"[{msg.handle:08x}]"
    out += " "
    if not filtered:
        # print_devname() (tc/tc_util.c): the name in COLOR_IFNAME under -color
        name = f"{names.get(msg.ifindex, msg.ifindex)} "
        out += "dev " + (f"\x1b[36m{name}\x1b[0m" if getattr(opts, "color", False) else name)
    if msg.parent == TC_H_ROOT:
        out += "root "
    elif msg.parent:
        out += f"parent {sprint_classid(msg.parent)} "
    if msg.refcnt != 1:
        out += f"refcnt {msg.refcnt} "
    printer = PRINT_QOPT.get(msg.kind)
    if printer is not None and (msg.opts or msg.kind in ("pfifo_fast", "ingress", "clsact")):
        out += printer(msg.kind, dict(msg.opts), opts)
    out += "\n"
    if opts.details and msg.stab:
        # print_size_table(), then print_nl()
        out += " " + "".join(f"{k} {v} " for k, v in stab_fields(msg.stab)) + "\n"
    if opts.stats:
        out += stats_text(msg.stats)
        if msg.xstats and msg.kind == "fq_codel":
            out += _fq_codel_xstats(dict(msg.xstats))
    return out


def class_text(msg: ClassMsg, opts, dev_name: str | None = None) -> str:
    """print_class() for a device's dump (filter_ifindex set: no `dev`), or with the
    device named (tc monitor)."""
    out = f"class {msg.kind} {sprint_classid(msg.classid)} "
    if dev_name is not None:
        out += f"dev {dev_name} "
    out += "root " if msg.parent == TC_H_ROOT else f"parent {sprint_classid(msg.parent)} "
    if msg.leaf:
        out += f"leaf {msg.leaf >> 16:x}: "
    if msg.kind == "htb":
        out += htb_class_opts(dict(msg.opts), opts)
    out += "\n"
    if opts.stats and msg.kind == "tbf":
        # print_class(): TCA_STATS2 is there but empty (tbf_class_ops has no
        # dump_stats), so only the newline after print_tcstats_attr()
        out += "\n"
    elif opts.stats:
        out += stats_text(msg.stats)
        if msg.kind == "htb":
            x = dict(msg.xstats)
            out += f" lended: {x['lends']} borrowed: {x['borrows']} giants: {x['giants']}\n"
            out += f" tokens: {x['tokens']} ctokens: {x['ctokens']}\n\n"
    return out


class _GraphNode:
    """struct graph_node (tc_class.c): a class, the hlist it is on, its links."""

    def __init__(self, msg) -> None:
        self.msg = msg
        self.lst: list = []
        self.parent = None
        self.right = None
        self.count = 0
        self.freed = False

    def has_next(self) -> bool:
        # a node graph_cls_show() already freed is read anyway (a stale right_node
        # leads there): glibc's tcache keeps a safe-linked, never NULL, pointer in its
        # first word, hlist.next; the other fields stay as they were
        return self.freed or self.lst.index(self) < len(self.lst) - 1


def _graph_indent(node, newline: bool = False, spaces: int = 0) -> str:
    """graph_indent(): a column per ancestor ("|" while it has a next sibling), walked
    down the right_node links the call leaves behind (a later call may follow them)."""
    buf = ""
    while node is not None and node.parent is not None:
        node.parent.right = node
        node = node.parent
    while node is not None and node.right is not None:
        buf += "|    " if node.has_next() else "     "
        node = node.right
    if newline:
        if node.has_next() and node.count:
            buf += "|    |"
        elif node.has_next():
            buf += "|     "
        elif node.count:
            buf += "     |"
        else:
            buf += "      "
    return buf + " " * spaces


def graph_text(msgs, opts) -> str:
    """tc -g class show: graph_node_add() for each class of the dump (each on the
    head of its list), then graph_cls_show() from the root classes down."""
    roots: list = []
    others: list = []
    for msg in msgs:
        node = _GraphNode(msg)
        node.lst = roots if msg.parent == TC_H_ROOT else others
        node.lst.insert(0, node)
    return _graph_show(roots, others, opts)


def _graph_show(level_list: list, others: list, opts) -> str:
    out = ""
    for cls in list(level_list):
        children: list = []
        for child in list(others):
            if child.msg.parent == cls.msg.classid:
                others.remove(child)
                child.lst = children
                children.insert(0, child)
                cls.count += 1
                child.parent = cls
        out += _graph_indent(cls) + f"+---({sprint_classid(cls.msg.classid)}) {cls.msg.kind} "
        if cls.msg.kind == "htb":
            out += htb_class_opts(dict(cls.msg.opts), opts)
        buf = ""
        if opts.stats:
            kind = cls.msg.kind
            buf = _graph_indent(cls, True, len(kind) - 2 + len(sprint_classid(cls.msg.classid)))
            # print_tcstats_attr() with the indent as its prefix, no newline after
            lines = [line[1:] for line in stats_text(cls.msg.stats).splitlines()]
            out += "\n" + "".join(buf + line + "\n" for line in lines[:-1]) + buf + lines[-1]
            buf = ""
            if cls.has_next() or cls.count:
                buf = "\n" + _graph_indent(cls, True)
        out += buf + "\n"
        out += _graph_show(children, others, opts)
        if not cls.has_next():
            out += _graph_indent(cls) + "\n"
        cls.freed = True                        # free(cls)
    return out


def _mask2bits(mask: int) -> int:
    """mask2bits() (f_u32.c): the prefix length of a netmask, -1 for another mask."""
    host = ~mask & 0xFFFFFFFF
    if host & (host + 1) & 0xFFFFFFFF:
        return -1
    return 32 - host.bit_length()


def _u32_pretty(val: int, mask: int, off: int, ipv6: bool) -> list | None:
    """print_ipv4() / print_ipv6() (f_u32.c, tc -p): what they make of a key, as
    [newline first?, (json name, value, text)...] or ["addr", "src"|"dst", address,
    bits]; None for a key they skip without a word (their break: the "XXX: Default
    print_raw" is a comment only)."""
    if off == 0 and mask == 0x0F000000:
        return [True, ("ip_ihl", val >> 24, f"  match IP ihl {val >> 24}")]
    if off == 0 and mask == 0x00FF0000:
        hexed = f"{val >> 16:#x}" if val >> 16 else "0"
        return [True, ("ip_dsfield", hexed, f"  match IP dsfield {hexed}")]
    if off == 8 and mask == 0x00FF0000:
        return [True, ("ip_protocol", val >> 16, f"  match IP protocol {val >> 16}")]
    if off in (12, 16) and _mask2bits(mask) >= 0:
        # inet_ntop(AF_INET, ...) of the key for both families
        addr = ".".join(str((val >> s) & 0xFF) for s in (24, 16, 8, 0))
        return ["addr", "src" if off == 12 else "dst", addr, _mask2bits(mask)]
    if off == 20:
        low, high = ("sport", "dport") if ipv6 else ("dport", "sport")
        if mask == 0x0000FFFF:
            if ipv6:
                return [True, ("sport", val & 0xFFFF, f"  match sport {val & 0xFFFF}")]
            return [False, ("dport", val & 0xFFFF, f"match dport {val & 0xFFFF}")]
        if mask == 0xFFFF0000:
            if ipv6:
                return [False, ("dport", val >> 16, f"match dport {val >> 16}")]
            return [True, ("sport", val >> 16, f"  match sport {val >> 16}")]
        if mask == 0xFFFFFFFF:
            return [True, (low, val & 0xFFFF, f"  match {low} {val & 0xFFFF}, "),
                    (high, val >> 16, f"match {high} {val >> 16}")]
    return None


def u32_offset_text(o: dict) -> str:
    """u32_print_opt()'s offset: `    offset MASK>>SHIFT at OFF ` (VAROFFSET), `plus N `,
    ` eat `, after print_nl()."""
    flags = o.get("flags", 0) if o else 0
    out = ""
    if flags & 6:
        out += "\n    offset "
        if flags & 4:
            out += f"{o['offmask']:04x}>>{o['offshift']} at {o['offoff']} "
        if o["off"]:
            out += f"plus {o['off'] - 0x10000 if o['off'] & 0x8000 else o['off']} "
    if flags & 8:
        out += " eat "
    return out


def u32_key_text(val: int, mask: int, off: int, offmask: int, proto: int | None) -> str:
    """show_keys(): print_raw()'s line, or under -p (`proto` the filter's protocol)
    the printer of an IPv4 or IPv6 filter (print_nl() before most of its words)."""
    if proto in (0x0800, 0x86DD):
        decoded = _u32_pretty(val, mask, off, proto == 0x86DD)
        if decoded is None:
            return ""
        if decoded[0] == "addr":
            _, which, addr, bits = decoded
            return f"\n  match IP {which} {addr}/{bits}"
        return ("\n" if decoded[0] else "") + "".join(t for _, _, t in decoded[1:])
    return f"\n  match {val:08x}/{mask:08x} at {'nexthdr+' if offmask else ''}{off}"


def u32_key_json(jw, val: int, mask: int, off: int, offmask: int, proto: int | None) -> None:
    """show_keys() under -j: a "match" object each; under -p an IPv4/IPv6 printer that
    decodes the key returns before its close_json_object(), leaving "match" open (the
    writer's depth then trips jsonw_destroy()'s assert at the end)."""
    jw.name("match")
    jw.start_object()
    if proto in (0x0800, 0x86DD):
        decoded = _u32_pretty(val, mask, off, proto == 0x86DD)
        if decoded is None:
            jw.end_object()
        elif decoded[0] == "addr":
            _, which, addr, bits = decoded
            jw.name(which)
            jw.start_object()
            _emit(jw, [("address", addr), ("prefixlen", bits)])
            jw.end_object()
        else:
            _emit(jw, [(name, value) for name, value, _ in decoded[1:]])
        return
    _emit(jw, [("value", f"{val:x}"), ("mask", f"{mask:x}"),
               ("offmask", "nexthdr+" if offmask else ""), ("off", off)])
    jw.end_object()


def bpf_opt_fields(prog) -> list[tuple[str, object]]:
    """bpf_print_opt() up to the program: the handle (%#x), the class id, the flags."""
    out: list[tuple[str, object]] = [("handle", f"{prog.handle:#x}" if prog.handle else "0")]
    if prog.classid:
        out.append(("flowid", sprint_classid(prog.classid)))
    if prog.direct:
        out.append(("direct-action", True))
    if prog.gen_flags & 1:
        out.append(("skip_hw", True))
    if prog.gen_flags & 2:
        out.append(("skip_sw", True))
    out.append(("not_in_hw", True))
    return out


def filter_text(msg, filter_parent: int, prio_given: bool = False,
                protocol_given: bool = False, chain_index: int | None = None,
                names: dict | None = None, stats: bool = False, pretty: bool = False,
                dev_name: str | None = None) -> str:
    """print_filter() (tc_filter.c) and u32_print_opt() (f_u32.c): the parent, the
    protocol and the pref the dump asked for are not repeated."""
    proto = ll_proto_n2a(msg.protocol)
    out = "filter "
    if dev_name is not None:
        out += f"dev {dev_name} "       # print_devname() when the dump named no device
    if not filter_parent or filter_parent != msg.parent:
        out += {0xFFFFFFFF: "root ", 0xFFFFFFF2: "ingress ", 0xFFFFFFF3: "egress "}.get(
            msg.parent, f"parent {sprint_classid(msg.parent)} ")
    if not protocol_given:
        out += f"protocol {proto} "
    if not prio_given:
        out += f"pref {msg.prio} "
    # print_filter(): TCA_CHAIN unless it is the chain the dump asked for
    out += f"{msg.kind} " if chain_index == msg.chain else f"{msg.kind} chain {msg.chain} "
    if msg.kind == "bpf" and msg.node is not None:
        out += "".join(f"{k} " if v is True else f"{k} {v} "
                       for k, v in bpf_opt_fields(msg.node))
        ops = msg.node.ops
        # bpf_print_ops(): the program as tc takes it, quoted, no blank after
        out += f"bytecode '{len(ops)}," + ",".join(f"{c} {t} {f} {k}"
                                                  for c, t, f, k in ops) + "'\n"
        for order, act in enumerate(msg.actions, 1):
            out += f"\taction order {order}: " + action_text(act, names or {}, stats) + "\n"
        return out
    if msg.htid is None:
        return out + "\n"
    if msg.node is None:
        return out + f"fh {msg.htid >> 20:x}: ht divisor {msg.divisor} \n"
    h = msg.node.handle
    # sprint_u32_handle(): HTID:, the bucket unless 0, :NODE
    bkt = (h >> 12) & 0xFF
    out += (f"fh {h >> 20:x}:{f'{bkt:x}' if bkt else ''}:{h & 0xFFF:x} order {h & 0xFFF} "
            f"key ht {h >> 20:x} bkt {bkt:x} ")
    # u32_print_opt(): a class id, starred when the selector is terminal (tc makes it
    # so with any classid: `*flowid 1:2`, actions or not); a terminal selector
    # without one (actions decide)
    terminal = msg.node.terminal
    if msg.node.classid:
        out += f"{'*' if terminal else ''}flowid {sprint_classid(msg.node.classid)} "
    elif terminal:
        out += "terminal flowid "
    if msg.node.link:
        out += f"link {msg.node.link >> 20:x}: "
    out += ("skip_hw " if msg.node.cls_flags & 1 else "") + \
        ("skip_sw " if msg.node.cls_flags & 2 else "") + "not_in_hw "
    for val, mask, off, offmask in msg.node.keys:
        out += u32_key_text(val, mask, off, offmask, msg.protocol if pretty else None)
    out += u32_offset_text(msg.node.offset)
    if msg.node.hmask:
        out += f"\n    hash mask {msg.node.hmask:08x} at {msg.node.hoff} "
    indev = (names or {}).get(msg.node.ifindex) if msg.node.ifindex else None
    if indev is not None:
        out += f"\n  input dev {indev}\n"       # print_nl() before and after
    out += "\n"
    for order, act in enumerate(msg.actions, 1):
        out += f"\taction order {order}: " + action_text(act, names or {}, stats) + "\n"
    return out


# action_n2a(): a control action's name
_CONTROL = {-1: "continue", 0: "pass", 1: "reclassify", 2: "drop", 3: "pipe", 4: "stolen",
            5: "queued", 6: "repeat", 7: "redirect", 8: "trap"}
_MIRRED = {1: "Egress Redirect", 2: "Egress Mirror", 3: "Ingress Redirect",
           4: "Ingress Mirror"}


def ll_index_to_name(names: dict, ifindex: int) -> str:
    """lib/ll_map.c ll_index_to_name(): "*" for index 0 (a mirred target that is
    gone), the name when the index is a device's, else ll_idx_n2a()'s "ifN"."""
    if ifindex == 0:
        return "*"
    return names.get(ifindex, f"if{ifindex}")


def action_text(act, names: dict, stats: bool, hw: str = "") -> str:
    """print_mirred() (m_mirred.c), print_tm() under -s, then print_action()'s
    statistics (print_tcstats_attr()), `hw` (an action dump's not_in_hw) and the
    hardware statistics' use once asked for."""
    out = (f"mirred ({_MIRRED[act.eaction]} to device {ll_index_to_name(names, act.ifindex)}) "
           f"{_CONTROL.get(act.action, 'unknown')}\n\tindex {act.index} "
           f"ref {getattr(act, 'ref', 1)} bind {getattr(act, 'bind', 1)}")
    if stats:
        # tcf_tm_dump(): clock ticks since; print_tm() leaves out a zero
        for name, ticks in (("installed", act.install), ("used", act.lastuse),
                            ("firstused", act.firstuse)):
            if ticks:
                out += f" {name} {ticks // 100} sec"
        out += (f"\n\tAction statistics:\n\tSent {act.bytes} bytes {act.packets} pkt "
                f"(dropped {act.drops}, overlimits {act.overlimits} requeues 0) \n"
                "\tbacklog 0b 0p requeues 0")
    out += "\n" + hw
    if act.hw_stats_valid:
        out += "\tused_hw_stats disabled\n"
    return out


# -------------------------------------------------------------------- JSON (-j)
def _qopt_json(kind: str, o: dict, opts) -> list[tuple[str, object]]:
    """The PRINT_ANY/PRINT_JSON keys of each kind's print_qopt(), in order; a nested
    object is a (key, list) pair."""
    if kind in ("pfifo", "bfifo", "pfifo_head_drop"):
        return [("limit", o["limit"])]
    if kind in ("pfifo_fast", "prio"):
        return [("bands", o.get("bands", 3)),
                ("priomap", list(o.get("priomap", (1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1,
                                                   1, 1)))),
                ("multiqueue", False)]
    if kind == "tbf":
        rate = o["rate"]
        buffer = calc_xmitsize(rate, o["buffer"])
        out: list = [("rate", rate)]
        if opts.details:
            out += [("burst", f"{sprint_size(buffer)}/1"), ("mpu", o.get("mpu", 0))]
        else:
            out.append(("burst", buffer))
        if opts.raw:
            out.append(("burst_raw", f"0x{o['buffer']:x}"))
        prate = o.get("peakrate", 0)
        if prate and o["mtu"]:
            # the peak rate itself is PRINT_FP: text only
            mtu = calc_xmitsize(prate, o["mtu"])
            if opts.details:
                out += [("mtu", f"{sprint_size(mtu)}/1"), ("mpu", o.get("mpu", 0))]
            else:
                out.append(("minburst", mtu))
            if opts.raw:
                out.append(("mtu_raw", f"0x{o['mtu']:x}"))
        latency = _tbf_latency(o)
        if latency >= 0.0:
            out.append(("lat", int(latency)))
        if opts.raw or latency < 0.0:
            out.append(("limit", o["limit"]))
        if o.get("overhead"):
            out.append(("overhead", o["overhead"]))      # qopt->rate.overhead
        if opts.details or o.get("linklayer"):
            out.append(("linklayer", o.get("linklayer", "ethernet")))
        return out
    if kind == "htb":
        defcls = o.get("defcls", 0)
        out = [("r2q", o.get("r2q", 10)), ("default", f"{defcls:#x}" if defcls else "0"),
               ("direct_packets_stat", o.get("direct_pkts", 0))]
        if opts.details:
            out.append(("ver", "3.17"))
        return out + [("direct_qlen", o["direct_qlen"])]
    if kind == "fq_codel":
        out = [("limit", o["limit"]), ("flows", o["flows"]), ("quantum", o["quantum"]),
               ("target", o["target"])]
        if o.get("ce_threshold"):
            out.append(("ce_threshold", o["ce_threshold"]))
        out += [("interval", o["interval"]), ("memory_limit", o["memory_limit"])]
        if o.get("ecn"):
            out.append(("ecn", True))
        return out + [("drop_batch", o["drop_batch"])]
    if kind == "netem":
        return _netem_json(o)
    return []


def _netem_json(o: dict) -> list:
    """netem_print_opt() in a JSON context: times in seconds, shares as fractions."""
    def share(p: int) -> float:
        return p / U32_MAX

    out: list = [("limit", o["limit"])]
    if o.get("latency"):
        out.append(("delay", [("delay", tick2time(o["latency"]) / 1e6),
                              ("jitter", tick2time(o.get("jitter", 0)) / 1e6),
                              ("correlation", share(o.get("delay_corr", 0)))]))
    for key, name, corr in (("loss", "loss-random", "loss_corr"),
                            ("duplicate", "duplicate", "dup_corr"),
                            ("reorder", "reorder", "reorder_corr"),
                            ("corrupt", "corrupt", "corrupt_corr")):
        if o.get(key):
            out.append((name, [(key, share(o[key])), ("correlation", share(o.get(corr, 0)))]))
    if o.get("rate"):
        out.append(("rate", [("rate", o["rate"]), ("packetoverhead", 0), ("cellsize", 0),
                             ("celloverhead", 0)]))
    return out + [("ecn", bool(o.get("ecn"))), ("gap", o.get("gap", 0))]


def _emit(jw, pairs: list) -> None:
    from ipemu.render.printer import _json_value
    for key, value in pairs:
        jw.name(key)
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            jw.start_object()
            _emit(jw, value)
            jw.end_object()
        elif isinstance(value, list):
            jw.start_array()
            for item in value:
                jw.value(_json_value(item))
            jw.end_array()
        elif isinstance(value, float):
            jw.value(f"{value:g}")                      # jsonw_float(): %g
        else:
            jw.value(_json_value(value))


def _stats_json(s: QStats) -> list:
    rate = [("rate", s.est[4] >> 8), ("pps", s.est[5] >> 8)] if s.est else []
    return [("bytes", s.bytes), ("packets", s.packets), ("drops", s.drops),
            ("overlimits", s.overlimits), ("requeues", s.requeues)] + rate + \
        [("backlog", s.backlog), ("qlen", s.qlen)]


def filter_json(msgs: list, filter_parent: int, prio_given: bool, protocol_given: bool,
                chain_index: int | None, pretty: bool, names: dict | None = None,
                stats: bool = False) -> str:
    """print_filter() and u32_print_opt() under -j: parent, protocol, pref, kind,
    chain, then the table's or node's options (-p decodes an IP filter's keys)."""
    from ipemu.render.printer import JsonWriter
    jw = JsonWriter(pretty)
    jw.start_array()
    for msg in msgs:
        jw.start_object()
        pairs: list = []
        if not filter_parent or filter_parent != msg.parent:
            name = {0xFFFFFFFF: "root", 0xFFFFFFF2: "ingress", 0xFFFFFFF3: "egress"}.get(
                msg.parent)
            pairs.append((name, True) if name else ("parent", sprint_classid(msg.parent)))
        if not protocol_given:
            pairs.append(("protocol", ll_proto_n2a(msg.protocol)))
        if not prio_given:
            pairs.append(("pref", msg.prio))
        pairs.append(("kind", msg.kind))
        if chain_index != msg.chain:
            pairs.append(("chain", msg.chain))
        _emit(jw, pairs)
        if msg.kind == "bpf" and msg.node is not None:
            jw.name("options")
            jw.start_object()
            _emit(jw, bpf_opt_fields(msg.node))
            jw.name("bytecode")
            jw.start_object()
            _emit(jw, [("length", len(msg.node.ops))])
            jw.name("insns")
            jw.start_array()
            for c, t, f, k in msg.node.ops:
                jw.start_object()
                _emit(jw, [("code", c), ("jt", t), ("jf", f), ("k", k)])
                jw.end_object()
            jw.end_array()
            jw.end_object()
            if msg.actions:
                _actions_json(jw, msg.actions, names or {}, stats)
            jw.end_object()
        elif msg.htid is not None:
            jw.name("options")
            jw.start_object()
            if msg.node is None:
                _emit(jw, [("fh", f"{msg.htid >> 20:x}:"), ("ht_divisor", msg.divisor)])
            else:
                h = msg.node.handle
                bkt = (h >> 12) & 0xFF
                opts = [("fh", f"{h >> 20:x}:{f'{bkt:x}' if bkt else ''}:{h & 0xFFF:x}"),
                        ("order", h & 0xFFF), ("key_ht", f"{h >> 20:x}"),
                        ("bkt", f"{bkt:x}")]
                if msg.node.classid:
                    opts.append(("flowid", sprint_classid(msg.node.classid)))
                if msg.node.link:
                    opts.append(("link", f"{msg.node.link >> 20:x}:"))
                if msg.node.cls_flags & 1:
                    opts.append(("skip_hw", True))
                if msg.node.cls_flags & 2:
                    opts.append(("skip_sw", True))
                opts.append(("not_in_hw", True))
                _emit(jw, opts)
                for val, mask, off, offmask in msg.node.keys:
                    # show_keys(): one "match" object per key (the name repeats)
                    u32_key_json(jw, val, mask, off, offmask,
                                 msg.protocol if pretty else None)
                if msg.node.hmask:
                    _emit(jw, [("hash_mask", f"{msg.node.hmask:x}"),
                               ("hash_off", msg.node.hoff)])
                indev = (names or {}).get(msg.node.ifindex) if msg.node.ifindex else None
                if indev is not None:
                    _emit(jw, [("input_dev", indev)])
                if msg.actions:
                    _actions_json(jw, msg.actions, names or {}, stats)
            jw.end_object()
        jw.end_object()
    if jw.depth != 1:
        # print_filter() flushed each filter; delete_json_obj()'s end of the array is
        # still buffered when jsonw_destroy() asserts (SIGABRT), so it never shows
        raise JsonAbort(jw.text())
    jw.end_array()
    return jw.text() + "\n"


class JsonAbort(Exception):
    """jsonw_destroy()'s assert(self->depth == 0) failed: what was flushed before."""

    def __init__(self, flushed: str) -> None:
        super().__init__(flushed)
        self.flushed = flushed


JSONW_ASSERT = "tc: json_writer.c:107: jsonw_destroy: Assertion `self->depth == 0' failed.\n"


def _actions_json(jw, actions, names: dict, stats: bool = False) -> None:
    """tcf_action_print() -> print_mirred() under -j: one object per action; under -s
    print_tm()'s ages that are not zero (in seconds) and the action's statistics
    (print_tcstats2_attr()'s JSON names)."""
    jw.name("actions")
    jw.start_array()
    for order, act in enumerate(actions, 1):
        jw.start_object()
        verb, direction = {1: ("redirect", "egress"), 2: ("mirror", "egress"),
                           3: ("redirect", "ingress"), 4: ("mirror", "ingress")}[act.eaction]
        pairs = [("order", order), ("kind", "mirred"), ("mirred_action", verb),
                 ("direction", direction), ("to_dev", names.get(act.ifindex, "")),
                 ("control_action", [("type", _CONTROL.get(act.action, "unknown"))]),
                 ("index", act.index), ("ref", getattr(act, "ref", 1)),
                 ("bind", getattr(act, "bind", 1))]
        if stats:
            pairs += [(name, ticks // 100) for name, ticks in (
                ("installed", act.install), ("last_used", act.lastuse),
                ("first_used", act.firstuse)) if ticks]
            pairs.append(("stats", [("bytes", act.bytes), ("packets", act.packets),
                                    ("drops", act.drops), ("overlimits", act.overlimits),
                                    ("requeues", 0), ("backlog", 0), ("qlen", 0)]))
        _emit(jw, pairs)
        jw.end_object()
    jw.end_array()


def qdisc_json(msgs: list[QdiscMsg], names: dict, filtered: bool, opts) -> str:
    """print_qdisc() under -j: one array of objects (json_writer.c's layout, -p too)."""
    from ipemu.render.printer import JsonWriter
    jw = JsonWriter(opts.pretty)
    jw.start_array()
    for msg in msgs:
        jw.start_object()
        pairs: list = [("kind", msg.kind), ("handle", f"{msg.handle >> 16:x}:")]
        if not filtered:
            pairs.append(("dev", names.get(msg.ifindex, str(msg.ifindex))))
        if msg.parent == TC_H_ROOT:
            pairs.append(("root", True))
        elif msg.parent:
            pairs.append(("parent", sprint_classid(msg.parent)))
        if msg.refcnt != 1:
            pairs.append(("refcnt", msg.refcnt))
        _emit(jw, pairs)
        jw.name("options")
        jw.start_object()
        if msg.opts or msg.kind == "pfifo_fast":
            _emit(jw, _qopt_json(msg.kind, dict(msg.opts), opts))
        jw.end_object()
        if opts.details and msg.stab:
            jw.name("stab")
            jw.start_object()
            _emit(jw, stab_fields(msg.stab))
            jw.end_object()
        if opts.stats:
            _emit(jw, _stats_json(msg.stats))
            if msg.xstats and msg.kind == "fq_codel":
                _emit(jw, list(msg.xstats))
        jw.end_object()
    jw.end_array()
    return jw.text() + "\n"
