"""`tc actions` (tc/m_action.c do_action()): add, change and replace (tc_action_modify()
over parse_action()), get and delete (tc_action_gd()), list and flush
(tc_act_list_or_flush()), of the actions table the kernel keeps apart from filters
(net/sched/act_api.c; ipemu/kernel/act_mirred.py). mirred's words are read as
m_mirred.c's parse_direction() reads them; the other kinds tc knows are parsed
as far as their words go and refused by the kernel, which has no module for them."""
from __future__ import annotations

from ipemu.kernel import act_mirred as A
from ipemu.kernel.errors import KernelError
from ipemu.tools import tc_parse as P
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import matches
from ipemu.tools.rtnl import talk_error
from ipemu.tools.tc_print import ll_index_to_name

ACT_USAGE = (
    "usage: tc actions <ACTSPECOP>*\n"
    "Where: \tACTSPECOP := ACR | GD | FL\n"
    "\tACR := add | change | replace <ACTSPEC>*\n"
    "\tGD := get | delete | <ACTISPEC>*\n"
    "\tFL := ls | list | flush | <ACTNAMESPEC>\n"
    "\tACTNAMESPEC :=  action <ACTNAME>\n"
    "\tACTISPEC := <ACTNAMESPEC> <INDEXSPEC>\n"
    "\tACTSPEC := action <ACTDETAIL> [INDEXSPEC] [HWSTATSSPEC] [SKIPSPEC]\n"
    "\tINDEXSPEC := index <32 bit indexvalue>\n"
    "\tHWSTATSSPEC := hw_stats [ immediate | delayed | disabled ]\n"
    "\tSKIPSPEC := [ skip_sw | skip_hw ]\n"
    "\tACTDETAIL := <ACTNAME> <ACTPARAMS>\n"
    "\t\tExample ACTNAME is gact, mirred, bpf, etc\n"
    "\t\tEach action has its own parameters (ACTPARAMS)\n"
    "\n")

MIRRED_USAGE = ("Usage: mirred <DIRECTION> <ACTION> [index INDEX] <dev DEVICENAME>\n"
                "where:\n"
                "\tDIRECTION := <ingress | egress>\n"
                "\tACTION := <mirror | redirect>\n"
                "\tINDEX  is the specific policy instance id\n"
                "\tDEVICENAME is the devicename\n")

# the action_util kinds Debian's tc carries (its m_*.c, linked in): their words are
# taken, the kernel then has no module for them
TC_KINDS = ("gact", "mirred", "police", "skbedit", "pedit", "vlan", "csum", "nat", "simple",
            "connmark", "ct", "ctinfo", "sample", "tunnel_key", "bpf", "ife", "xt", "gate",
            "mpls")
# action_a2n()'s words, each read as a prefix (matches())
_A2N = (("continue", -1), ("drop", 2), ("shot", 2), ("pass", 0), ("ok", 0),
        ("reclassify", 1), ("pipe", 3), ("goto", A.TC_ACT_GOTO_CHAIN),
        ("jump", A.TC_ACT_JUMP), ("trap", 8))
_HW_STATS = ("immediate", "delayed", "disabled")


class _Fail(Exception):
    """parse_action()'s -1: what was printed on the way (tc_action_modify() adds
    `Illegal "action"`)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def action_a2n(word: str) -> int | None:
    for name, value in _A2N:
        if matches(word, name):
            return value
    return None


def _u32(text: str) -> int | None:
    """get_u32(..., 10): the whole word, decimal, 32 bits."""
    return int(text) if text.isdigit() and int(text) <= 0xFFFFFFFF else None


# struct tc_gact_p pp is not initialised in parse_gact(): a probability get_u16()
# refuses leaves the stack's value, which the recording machine's tc prints as 0x1000
GACT_PVAL_UNSET = 0x1000


def _u16_dec(text: str) -> int | None:
    """get_u16(..., 10): strtoul() of the whole word (blanks and a sign allowed before
    it), at most 0xFFFF."""
    from ipemu.tools.cnum import strtol_whole
    value = strtol_whole(text, 10)
    if value is None:
        return None
    if value < 0:
        value %= 1 << 64
    return value if value <= 0xFFFF else None


class _Words:
    """argc/argv as parse_action() and the kinds' parsers move them."""

    def __init__(self, words: list[str], i: int = 0) -> None:
        self.words = words
        self.i = i

    @property
    def argc(self) -> int:
        return len(self.words) - self.i

    @property
    def cur(self) -> str | None:
        return self.words[self.i] if self.i < len(self.words) else None

    def next_arg(self) -> str:
        """NEXT_ARG(): incomplete_command() (an exit) when nothing follows."""
        self.i += 1
        if self.i >= len(self.words):
            raise P.TcExit('Command line is not complete. Try option "help"\n', 255)
        return self.words[self.i]

    def bad_val(self) -> str:
        return f"parse_action: bad value ({self.argc}:{self.cur or '(null)'})!\n"


def _parse_control(w: _Words, default: int, quiet: bool) -> tuple[int, str]:
    """__parse_action_control(): a control word (with goto's `chain N`, jump's count)
    taken and passed; else the default (parse_action_control_dflt()) and what it
    printed. Returns (control, messages)."""
    if not w.argc:
        return default, ""
    result = action_a2n(w.cur)
    if result is None:
        return default, "" if quiet else f"Bad action type {w.cur}\n"
    if result == A.TC_ACT_GOTO_CHAIN:
        if not matches(w.next_arg(), "chain"):
            return default, '"chain index" expected\n'
        n = _u32(w.next_arg())
        if n is None or n > A.TC_ACT_EXT_VAL_MASK:
            return default, 'Illegal "chain index"\n'
        result |= n
    elif result == A.TC_ACT_JUMP:
        n = _u32(w.next_arg())
        if n is None or n > A.TC_ACT_EXT_VAL_MASK:
            return default, f'Invalid "jump count" ({w.cur})\n'
        result |= n
    w.i += 1                                        # NEXT_ARG_FWD()
    return result, ""


def _parse_direction(ctx: ToolContext, w: _Words) -> A.TableRequest:
    """m_mirred.c parse_direction()."""
    ok = iok = mirror = redir = ingress = egress = 0
    eaction = index = 0
    action = 0
    dev = ""
    while w.argc > 0:
        word = w.cur
        if matches(word, "action"):
            w.next_arg()
            break
        if not egress and matches(word, "egress"):
            egress = 1
            if ingress:
                raise _Fail("Can't have both egress and ingress\n")
            w.next_arg()
            ok += 1
            continue
        if not ingress and matches(word, "ingress"):
            ingress = 1
            if egress:
                raise _Fail("Can't have both ingress and egress\n")
            w.next_arg()
            ok += 1
            continue
        if matches(word, "index"):
            index = _u32(w.next_arg())
            if index is None:
                raise _Fail('Illegal "index"\n')
            iok += 1
            if not ok:
                w.i += 1
                break
        elif not ok:
            ctx.term.err(f"was expecting egress or ingress ({word})\n")
            break
        elif not mirror and matches(word, "mirror"):
            mirror = 1
            if redir:
                raise _Fail("Can't have both mirror and redir\n")
            eaction = A.TCA_EGRESS_MIRROR if egress else A.TCA_INGRESS_MIRROR
            action = A.TC_ACT_PIPE
            ok += 1
        elif not redir and matches(word, "redirect"):
            redir = 1
            if mirror:
                raise _Fail("Can't have both mirror and redir\n")
            eaction = A.TCA_EGRESS_REDIR if egress else A.TCA_INGRESS_REDIR
            action = A.TC_ACT_STOLEN
            ok += 1
        elif (redir or mirror) and matches(word, "dev"):
            name = w.next_arg()
            if dev:
                P.duparg("dev", name)
            dev = name[:15]
            w.i += 1
            break
        w.next_arg()
    if not ok and not iok:
        raise _Fail("")
    ifindex = 0
    if dev:
        found = ctx.netns.getlink(dev, sync=False)      # ll_init_map(), ll_name_to_index()
        if found is None:
            raise _Fail(f'Cannot find device "{dev}"\n')
        ifindex = found.ifindex
    if eaction in (A.TCA_EGRESS_MIRROR, A.TCA_INGRESS_MIRROR):
        action, said = _parse_control(w, A.TC_ACT_PIPE, quiet=True)
        ctx.term.err(said)
    if w.argc:
        if iok and matches(w.cur, "index"):
            raise _Fail("mirred: Illegal double index\n")
        if matches(w.cur, "index"):
            index = _u32(w.next_arg())
            if index is None:
                raise _Fail('mirred: Illegal "index"\n')
            w.i += 1
    return A.TableRequest("mirred", eaction, ifindex, action, index)


def _parse_mirred(ctx: ToolContext, w: _Words) -> A.TableRequest:
    """parse_mirred(): `mirred` then a direction (or an index)."""
    word = w.next_arg()
    if matches(word, "egress") or matches(word, "ingress") or matches(word, "index"):
        return _parse_direction(ctx, w)
    if matches(word, "help"):
        raise P.TcExit(MIRRED_USAGE, 255)
    raise _Fail(f"mirred option not supported {word}\n")


def _parse_gact(w: _Words) -> A.TableRequest:
    """parse_gact(): a control (its usage() when there is none), `random ...`,
    `index N`."""
    if matches(w.cur, "gact"):
        w.next_arg()
    if not matches(w.cur, "index"):
        action, said = _parse_control(w, 0, quiet=False)
        if said:
            raise P.TcExit(said + P.GACT_USAGE, 255)
        if w.argc and matches(w.cur, "random"):
            kind = w.next_arg()
            if not (matches(kind, "netrand") or matches(kind, "determ")):
                raise _Fail('Illegal "random type"\n')
            w.next_arg()
            _action, said = _parse_control(w, 0, quiet=False)
            if said:
                raise P.TcExit(said + P.GACT_USAGE, 255)
            # get_u16(&pp.pval, *argv, 10), *argv NULL at the end of the line: on
            # failure pp.pval keeps what the stack held (recorded: 0x1000)
            pval = _u16_dec(w.cur) if w.argc > 0 else None
            if pval is None:
                raise _Fail(f"Illegal probability val 0x{GACT_PVAL_UNSET:x}\n")
            if pval > 10000:
                raise _Fail(f"Illegal probability val  0x{pval:x}\n")
            w.i += 1
        elif w.argc and matches(w.cur, "help"):
            raise P.TcExit(P.GACT_USAGE, 255)
    if w.argc and matches(w.cur, "index"):
        if _u32(w.next_arg()) is None:
            raise P.TcExit('Illegal "index"\n' + P.GACT_USAGE, 255)
        w.i += 1
    return A.TableRequest("gact")


def _new_cmd(word: str) -> bool:
    return any(matches(word, c) for c in ("change", "replace", "delete", "get", "add"))


def parse_action(ctx: ToolContext, w: _Words) -> list[A.TableRequest]:
    """parse_action() for TCA_ACT_TAB: `action KIND ARGS [cookie HEX] [hw_stats
    TYPE] [no_percpu] [skip_sw|skip_hw]`, again and again, up to a new command word."""
    if w.argc <= 0:
        raise _Fail("")
    reqs: list[A.TableRequest] = []
    eap = 0
    while w.argc > 0:
        word = w.cur
        if word == "action":
            w.i += 1
            eap = 1
            continue
        if word in ("flowid", "classid"):
            break
        if word == "help":
            raise _Fail("")
        if _new_cmd(word):
            if reqs:
                break
            return reqs
        kind = "gact" if action_a2n(word) is not None else word
        eap = 0
        if kind not in TC_KINDS:
            kind = "gact"       # get_action_kind()'s fallback (it rewrites the name)
        start = w.i
        try:
            if kind == "mirred":
                req = _parse_mirred(ctx, w)
            elif kind == "gact":
                req = _parse_gact(w)
            else:
                # a kind the kernel cannot load: its words, as far as they go
                w.i += 1
                while w.argc and w.cur != "action" and not _new_cmd(w.cur):
                    w.i += 1
                req = A.TableRequest(kind)
        except _Fail as fail:
            w.i = start
            raise _Fail(fail.text + "bad action parsing\n" + w.bad_val())
        cookie = None
        if w.cur == "cookie":
            text = w.next_arg()
            if len(text) > 64:
                raise P.TcExit(P.invarg_text(f"{len(text)} Max allowed size 64", text), 255)
            try:
                cookie = bytes.fromhex(text) if len(text) % 2 == 0 and \
                    all(c in "0123456789abcdefABCDEF" for c in text) else None
            except ValueError:
                cookie = None
            if cookie is None:
                raise P.TcExit(P.invarg_text("cookie must be a hex string\n", text), 255)
            w.i += 1
        hw_stats = ""
        if w.cur is not None and matches(w.cur, "hw_stats"):
            value = w.next_arg()
            hw_stats = next((s for s in _HW_STATS if matches(value, s)), "")
            if not hw_stats:
                raise P.TcExit(P.invarg_text("value is invalid\n", value), 255)
            w.i += 1
        flags = []
        if w.cur == "no_percpu":
            flags.append("no_percpu")
            w.i += 1
        for _ in range(2):
            if w.cur in ("skip_sw", "skip_hw"):
                flags.append(w.cur)
                w.i += 1
        reqs.append(A.TableRequest(req.kind, req.eaction, req.ifindex, req.action,
                                   req.index, cookie, tuple(f for f in (
                                       "no_percpu", "skip_hw", "skip_sw") if f in flags),
                                   hw_stats))
    if eap > 0:
        raise _Fail(f"bad action empty {eap}\n" + w.bad_val())
    return reqs


# ----------------------------------------------------------------- printing
_CONTROL = {-1: "continue", 0: "pass", 1: "reclassify", 2: "drop", 3: "pipe", 4: "stolen",
            5: "queued", 6: "repeat", 7: "redirect", 8: "trap"}
_MIRRED = {1: ("Egress Redirect", "redirect", "egress"),
           2: ("Egress Mirror", "mirror", "egress"),
           3: ("Ingress Redirect", "redirect", "ingress"),
           4: ("Ingress Mirror", "mirror", "ingress")}


def control_pairs(action: int) -> list:
    """print_action_control(): action_n2a() and goto's chain or jump's count."""
    ext = action & ~A.TC_ACT_EXT_VAL_MASK if action >= 0 else 0
    if ext == A.TC_ACT_GOTO_CHAIN:
        return [("type", "goto"), ("chain", action & A.TC_ACT_EXT_VAL_MASK)]
    if ext == A.TC_ACT_JUMP:
        return [("type", "jump"), ("jump", action & A.TC_ACT_EXT_VAL_MASK)]
    return [("type", _CONTROL.get(action, "unknown"))]


def _control_text(action: int) -> str:
    pairs = control_pairs(action)
    text = pairs[0][1]
    if len(pairs) > 1:
        text += (" chain " if pairs[1][0] == "chain" else " ") + str(pairs[1][1])
    return text


def _one_action_text(msg, names: dict, stats: bool) -> str:
    """tc_print_one_action(): print_mirred() (print_tm() under -s), the statistics,
    the cookie, the flags and not_in_hw, hw_stats, used_hw_stats."""
    what = _MIRRED.get(msg.eaction, ("unknown",))[0]
    out = (f"mirred ({what} to device {ll_index_to_name(names, msg.ifindex)}) "
           f"{_control_text(msg.action)}\n\tindex {msg.index} ref {msg.ref} bind {msg.bind}")
    if stats:
        for name, ticks in (("installed", msg.install), ("used", msg.lastuse),
                            ("firstused", msg.firstuse)):
            if ticks:
                out += f" {name} {ticks // 100} sec"
    out += "\n"
    if stats:
        out += (f"\tAction statistics:\n\tSent {msg.bytes} bytes {msg.packets} pkt "
                f"(dropped {msg.drops}, overlimits 0 requeues 0) \n"
                "\tbacklog 0b 0p requeues 0\n")
    if msg.cookie:
        out += f"\tcookie {msg.cookie.hex()}\n"
    out += "".join(f"\t{f}" for f in msg.flags)
    if "skip_hw" not in msg.flags:
        out += "\tnot_in_hw"
    out += "\n"
    if msg.hw_stats:
        out += f"\thw_stats {msg.hw_stats}\n"
    if msg.hw_stats_valid:
        out += "\tused_hw_stats disabled\n"
    return out


def _one_action_pairs(msg, order: int, names: dict, stats: bool) -> list:
    _what, verb, direction = _MIRRED.get(msg.eaction, ("unknown", "unknown", "unknown"))
    pairs: list = [("order", order), ("kind", "mirred"), ("mirred_action", verb),
                   ("direction", direction), ("to_dev", names.get(msg.ifindex, "")),
                   ("control_action", control_pairs(msg.action)),
                   ("index", msg.index), ("ref", msg.ref), ("bind", msg.bind)]
    if stats:
        pairs += [(name, ticks // 100) for name, ticks in (
            ("installed", msg.install), ("last_used", msg.lastuse),
            ("first_used", msg.firstuse)) if ticks]
        pairs.append(("stats", [("bytes", msg.bytes), ("packets", msg.packets),
                                ("drops", msg.drops), ("overlimits", 0),
                                ("requeues", 0), ("backlog", 0), ("qlen", 0)]))
    if msg.cookie:
        pairs.append(("cookie", msg.cookie.hex()))
    pairs += [(f, True) for f in msg.flags]
    if "skip_hw" not in msg.flags:
        pairs.append(("not_in_hw", True))
    return pairs


def _print_action(ctx: ToolContext, msgs, total: int, first: int, opts) -> None:
    """print_action() of one answer: `total acts N`, then each action by its order
    (a dump's from 0, a get's from 1, its count 0)."""
    names = {d.ifindex: d.name for d in ctx.netns.devices.values()}
    if opts.json:
        from ipemu.render.printer import JsonWriter
        from ipemu.tools.tc_print import _emit
        jw = JsonWriter(opts.pretty)
        jw.start_array()
        jw.start_object()
        _emit(jw, [("total acts", total)])
        jw.end_object()
        jw.start_object()
        jw.name("actions")
        jw.start_array()
        for order, msg in enumerate(msgs, first):
            jw.start_object()
            pairs = _one_action_pairs(msg, order, names, bool(opts.stats))
            if msg.hw_stats:
                pairs.append(("hw_stats", [msg.hw_stats]))
            if msg.hw_stats_valid:
                pairs.append(("used_hw_stats", ["disabled"]))
            _emit(jw, pairs)
            jw.end_object()
        jw.end_array()
        jw.end_object()
        jw.end_array()
        ctx.term.out(jw.text() + "\n")
        return
    out = [f"total acts {total}\n"]
    for order, msg in enumerate(msgs, first):
        out.append(f"\n\taction order {order}: "
                   + _one_action_text(msg, names, bool(opts.stats)))
    ctx.term.out("".join(out))


def _talk_failed(ctx: ToolContext, err: KernelError, what: str) -> None:
    ctx.term.err(talk_error(err).message + what)


def do_action(ctx: ToolContext, args: list[str], opts) -> int:
    """do_action(): one command after another until the words run out."""
    w = _Words(args)
    while w.argc > 0:
        word = w.cur
        if matches(word, "add") or matches(word, "change") or matches(word, "replace"):
            replace = not matches(word, "add")
            w.i += 1
            try:
                reqs = parse_action(ctx, w)
            except _Fail as fail:
                ctx.term.err(fail.text + 'Illegal "action"\n')
                return 255
            try:
                A.tcf_action_add(ctx.netns, tuple(reqs), replace, ctx.netns.clock.now)
            except KernelError as err:
                _talk_failed(ctx, err, "We have an error talking to the kernel\n")
                return 255
        elif matches(word, "delete") or matches(word, "get"):
            get = matches(word, "get")
            w.i += 1
            ret = _action_gd(ctx, w, get, opts)
            if ret < 0:
                return 255
        elif matches(word, "list") or matches(word, "show") or matches(word, "lst") \
                or matches(word, "flush"):
            if w.argc <= 2:
                ctx.term.err(ACT_USAGE)
                return 255
            kind = w.words[w.i + 2]
            if matches(word, "flush"):
                try:
                    A.tcf_action_flush(ctx.netns, kind)
                except KernelError as err:
                    _talk_failed(ctx, err, "We have an error flushing\n")
                    return 1
                return 0
            msgs = A.tcf_action_dump(ctx.netns, kind)
            if msgs:
                _print_action(ctx, msgs, len(msgs), 0, opts)
            elif opts.json:
                ctx.term.out("[]\n" if not opts.pretty else "[ ]\n")
            return 0
        elif matches(word, "help"):
            ctx.term.err(ACT_USAGE)
            return 255
        else:
            ctx.term.err(f'Command "{word}" is unknown, try "tc actions help".\n')
            return 255
    return 0


def _action_gd(ctx: ToolContext, w: _Words, get: bool, opts) -> int:
    """tc_action_gd(): the word after the command is passed over, then `[action] KIND
    index N` again and again. A kernel error returns 1 with the words unmoved, so
    do_action() reads them again as a command."""
    start = w.i
    i = w.i + 1
    words = w.words
    items = []
    while i < len(words):
        if words[i] == "action":
            i += 1
            continue
        if words[i] == "help":
            return -1
        kind = words[i]
        if kind not in TC_KINDS:
            kind = "gact"       # get_action_kind() rewrote the name it was given
        i += 1
        if i >= len(words) or not matches(words[i], "index"):
            ctx.term.err(f"Error: no index specified action: {kind}\n")
            return -1
        i += 1
        if i >= len(words):
            raise P.TcExit('Command line is not complete. Try option "help"\n', 255)
        index = _u32(words[i])
        if index is None:
            ctx.term.err('Illegal "index"\n')
            return -1
        i += 1
        items.append((kind, index))
    try:
        if get:
            msgs = A.tcf_action_get(ctx.netns, tuple(items))
        else:
            A.tcf_action_del(ctx.netns, tuple(items))
    except KernelError as err:
        _talk_failed(ctx, err, "We have an error talking to the kernel\n")
        w.i = start
        return 1
    if get:
        _print_action(ctx, msgs, 0, 1, opts)
    w.i = i
    return 0
