"""tc's argument parsers: handles and class ids (tc_util.c), rates, sizes, times and
percentages (lib/utils.c, lib/utils_math.c), and each kind's options as its q_*.c
parse_qopt()/parse_copt() reads them, into the kernel's units (sch_api.py)."""
from __future__ import annotations

import math
import re

from ipemu.tools.ipargs import matches

TIME_UNITS_PER_SEC = 1000000
TICK_IN_USEC = 15.625        # /proc/net/psched: 1000 ns per us over 64 ns per tick
U32_MAX = 0xFFFFFFFF

RATE_SUFFIXES = (("bit", 1.), ("Kibit", 1024.), ("kbit", 1000.), ("mibit", 1024. ** 2),
                 ("mbit", 1e6), ("gibit", 1024. ** 3), ("gbit", 1e9),
                 ("tibit", 1024. ** 4), ("tbit", 1e12), ("Bps", 8.), ("KiBps", 8. * 1024),
                 ("KBps", 8000.), ("MiBps", 8. * 1024 ** 2), ("MBps", 8e6),
                 ("GiBps", 8. * 1024 ** 3), ("GBps", 8e9), ("TiBps", 8. * 1024 ** 4),
                 ("TBps", 8e12))
_NUM = re.compile(r"(?a)\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


class TcExit(Exception):
    """tc stops: this text on stderr, this status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def next_arg(args: list[str]) -> str:
    """NEXT_ARG(): incomplete_command() when the line ends."""
    if not args:
        raise TcExit('Command line is not complete. Try option "help"\n', 255)
    return args.pop(0)


def duparg(key: str, arg: str) -> None:
    raise TcExit(f'Error: duplicate "{key}": "{arg}" is the second value.\n', 255)


def invarg_text(msg: str, arg: str) -> str:
    return f'Error: argument "{arg}" is wrong: {msg}\n'


def strtod(text: str) -> tuple[float | None, str]:
    """strtod(): the number at the start and the rest (None when there is none)."""
    m = _NUM.match(text)
    if m is None:
        return None, text
    return float(m.group(0)), text[m.end():]


def _strtoul16(text: str) -> tuple[int | None, str]:
    m = re.match(r"(0[xX])?([0-9a-fA-F]+)", text)
    if m is None:
        return None, text
    return int(m.group(2), 16), text[m.end():]


def get_qdisc_handle(text: str, msg: str) -> int:
    """get_qdisc_handle(): `1:` or `1` (hex major), `none`; what follows the colon is
    not read (`1:0` is `1:`, as strtoul() stops there)."""
    if text == "none":
        return 0
    maj, rest = _strtoul16(text)
    if maj is None or maj >= 1 << 16 or not (rest == "" or rest.startswith(":")):
        raise TcExit(invarg_text(msg, text), 255)
    return maj << 16


def get_tc_classid(text: str, msg: str) -> int:
    """get_tc_classid(): `root`, `none`, `1:10`, `:10`, `1` (hex)."""
    if text == "root":
        return 0xFFFFFFFF
    if text == "none":
        return 0
    maj, rest = _strtoul16(text)
    if maj is None:
        maj, rest = 0, text
        if not rest.startswith(":"):
            raise TcExit(invarg_text(msg, text), 255)
    if rest.startswith(":"):
        if maj >= 1 << 16:
            raise TcExit(invarg_text(msg, text), 255)
        minor, tail = _strtoul16(rest[1:])
        if minor is None:
            minor, tail = 0, rest[1:]
        if tail or minor >= 1 << 16:
            raise TcExit(invarg_text(msg, text), 255)
        return maj << 16 | minor
    if rest:
        raise TcExit(invarg_text(msg, text), 255)
    return maj


def get_rate64(text: str) -> int | None:
    """get_rate64(): bits/s with a suffix (case-insensitive), as bytes/s."""
    bps, rest = strtod(text)
    if bps is None:
        return None
    if rest:
        for name, scale in RATE_SUFFIXES:
            if name.lower() == rest.lower():
                bps *= scale
                break
        else:
            return None
    return int(bps / 8)


def get_size(text: str) -> int | None:
    """get_size(): bytes, with kb/k, mb/m, gb/g, kbit, mbit, gbit or b."""
    sz, rest = strtod(text)
    if sz is None:
        return None
    scale = {"kb": 1024, "k": 1024, "gb": 1024 ** 3, "g": 1024 ** 3, "gbit": 1024 ** 3 // 8,
             "mb": 1024 ** 2, "m": 1024 ** 2, "mbit": 1024 ** 2 // 8, "kbit": 1024 // 8,
             "b": 1, "": 1}.get(rest.lower())
    if scale is None:
        return None
    sz *= scale
    # `*size = sz; if (*size != floor(sz))`: the fraction is dropped, only an overflow
    # (or a negative size) fails
    if sz < 0 or sz >= U32_MAX + 1:
        return None
    return int(sz)


def get_time(text: str) -> int | None:
    """get_time(): microseconds, from s/sec/secs, ms/msec/msecs, us/usec/usecs."""
    t, rest = strtod(text)
    if t is None:
        return None
    low = rest.lower()
    if low in ("s", "sec", "secs"):
        t *= TIME_UNITS_PER_SEC
    elif low in ("ms", "msec", "msecs"):
        t *= 1000
    elif low in ("us", "usec", "usecs", ""):
        pass
    else:
        return None
    return int(t) & U32_MAX


def get_percent_rate64(ctx, text: str, dev: str) -> int | None:
    """get_percent_rate64() (tc_util.c parse_percent_rate()): a share of the device's
    /sys/class/net/DEV/speed (read_prop()), in Mbit; its messages go to stderr and
    the caller then says the value is illegal. None on failure."""
    from ipemu import procfs
    err = ctx.term.err
    if not dev:
        err("No device specified; specify device to rate limit by percentage\n")
        return None
    path = f"/sys/class/net/{dev}/speed"
    try:
        value = procfs.read(ctx.host, ctx.netns, path)
    except OSError as e:
        if e.errno == 22:       # speed_show()'s -EINVAL: fgets() reads nothing
            err(f'property "speed" in file {path} is currently unknown\n'
                f"Failed to parse {path}\n")
        else:
            err(f"fopen {path}: {e.strerror}\n")
        return None
    if value is None:
        err(f"fopen {path}: No such file or directory\n")
        return None
    speed = int(value.strip())
    # sscanf("%m[0-9.%]"), then parse_percent(): strtod()/100 within [0,1], then only "%"
    m = re.match(r"[0-9.%]+", text)
    if not m:
        err("Specified rate value could not be read or is malformed\n")
        return None
    lead = re.match(r"(?a)\d*\.?\d*", m.group(0)).group(0)
    num = float(lead) if lead not in ("", ".") else 0.0
    perc = num / 100.0
    if perc > 1.0 or perc < 0.0:
        err(f"Invalid rate specified; should be between [0,100]% but is {text}\n")
        return None
    if lead in ("", ".") or m.group(0)[len(lead):] not in ("", "%"):
        err("Specified rate value could not be read or is malformed\n")
        return None
    text = f"{perc * speed * 1000 * 1000:f}"
    if len(text) >= 20:
        err("Unable to parse calculated rate\n")
        return None
    return get_rate64(text)


def get_percent(text: str) -> int | None:
    """parse_percent() then set_percent(): a share of 2^32-1."""
    val, rest = strtod(text)
    if val is None:
        val, rest = 0.0, text
    val /= 100.
    if val > 1.0 or val < 0.0 or rest not in ("", "%"):
        return None
    return int(round(val * U32_MAX))


def time2tick(us: float) -> int:
    """tc_core_time2tick(): the unsigned microseconds times ticks per microsecond."""
    return int(int(us) * TICK_IN_USEC) & U32_MAX


def tick2time(ticks: int) -> int:
    return int(ticks / TICK_IN_USEC)


def calc_xmittime(rate: int, size: int) -> int:
    """tc_calc_xmittime()."""
    return time2tick(TIME_UNITS_PER_SEC * (size / rate))


def calc_xmitsize(rate: int, ticks: int) -> int:
    """tc_calc_xmitsize()."""
    return int(rate * tick2time(ticks) / TIME_UNITS_PER_SEC)


def _number_next(args: list[str], signed: bool = False) -> bool:
    """NEXT_IS_NUMBER(): the next word starts with a digit."""
    return bool(args) and bool(args[0]) and (args[0][0].isdigit()
                                            or signed and args[0][0] == "-")


# -------------------------------------------------------------------- qdiscs
# the kinds tc 6.1 has a qdisc_util for (tc/q_*.c); any other (mq, noqueue) gets
# get_qdisc_kind()'s parse_noqopt(), which refuses every option word (recorded)
KNOWN_TO_TC = ("pfifo", "bfifo", "pfifo_fast", "pfifo_head_drop", "tbf", "htb", "netem",
               "fq_codel", "ingress", "clsact", "prio", "sfq", "red", "codel", "fq", "cake",
               "hfsc", "drr", "qfq", "multiq", "plug", "pie", "hhf", "choke", "sfb",
               "ets", "skbprio", "cbs", "taprio", "mqprio", "gred", "fq_pie", "etf", "cbq")


def parse_qdisc_opts(ctx, kind: str, args: list[str], dev: str) -> tuple:
    """The kind's parse_qopt(); an error is status 1 (tc_qdisc_modify() `return 1`)."""
    if kind == "netem":
        # the distribution tables are the installed package's (the profile's)
        return tuple(_netem(args, (ctx.profile["tc_lib"], ctx.profile["tc_distributions"])))
    if kind == "tbf":
        return tuple(_tbf(args, lambda text: get_percent_rate64(ctx, text, dev)))
    if kind == "fq":
        return tuple(QDISC_PARSERS["fq"](args, lambda text: get_percent_rate64(ctx, text,
                                                                               dev)))
    if kind in ("prio", "sfq", "red"):
        # (explain() and sfq's burst warning go to stderr and the parse goes on)
        return tuple(QDISC_PARSERS[kind](args, ctx.term.err))
    parser = QDISC_PARSERS.get(kind)
    if parser is not None:
        return tuple(parser(args))
    if kind not in KNOWN_TO_TC and args:
        # get_qdisc_kind(): no q_KIND.so, parse_noqopt()
        raise TcExit(f'Unknown qdisc "{kind}", hence option "{args[0]}" is unparsable\n', 1)
    return ()


def _fifo(args: list[str], kind: str = "pfifo") -> list:
    """fifo_parse_opt(): its messages name the kind (qu->id)."""
    out = []
    while args:
        word = args.pop(0)
        if word == "limit":
            value = next_arg(args)
            size = get_size(value)
            if size is None:
                raise TcExit(f'{kind}: Illegal value for "limit": "{value}"\n', 1)
            out.append(("limit", size))
        elif word == "help":
            raise TcExit(FIFO_USAGE, 1)
        else:
            raise TcExit(f'{kind}: unknown parameter "{word}"\n' + FIFO_USAGE, 1)
    return out


FIFO_USAGE = "Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]\n"


def _none(args: list[str]) -> list:
    return []


TBF_USAGE = ("Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]\n"
             "\t[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]\n")


def _tbf_illegal(arg: str, val: str) -> TcExit:
    # explain1() (q_tbf.c): the one line, no usage after it
    return TcExit(f'tbf: illegal value for "{arg}": "{val}"\n', 1)


def _tbf(args: list[str], percent=None) -> list:
    """tbf_parse_opt(): rate, burst, and a limit (given, or from latency); `percent`
    reads a rate given as a share of the link speed (get_percent_rate64())."""
    limit = latency = buffer = rate = prate = mtu = overhead = mpu = 0
    atm = False
    while args:
        word = args.pop(0)
        if matches(word, "limit"):
            value = next_arg(args)
            if limit:
                raise TcExit('tbf: duplicate "limit" specification\n', 1)
            if latency:
                raise TcExit('tbf: specifying both "latency" and "limit" is not allowed\n', 1)
            limit = get_size(value)
            if limit is None:
                raise _tbf_illegal("limit", value)
        elif matches(word, "latency"):
            value = next_arg(args)
            if latency:
                raise TcExit('tbf: duplicate "latency" specification\n', 1)
            if limit:
                raise TcExit('tbf: specifying both "limit" and "/latency" is not allowed\n', 1)
            latency = get_time(value)
            if latency is None:
                raise _tbf_illegal("latency", value)
        elif matches(word, "burst") or word in ("buffer", "maxburst"):
            value = next_arg(args)
            if buffer:
                raise TcExit('tbf: duplicate "buffer/burst/maxburst" specification\n', 1)
            # explain1(parm_name, ...): the word as typed; get_size_and_cell()
            buffer = get_size(value.split("/")[0]) if _get_size_and_cell(value) else None
            if buffer is None:
                raise _tbf_illegal(word, value)
        elif word == "rate":
            value = next_arg(args)
            if rate:
                raise TcExit('tbf: duplicate "rate" specification\n', 1)
            rate = percent(value) if "%" in value and percent else get_rate64(value)
            if rate is None:
                raise _tbf_illegal("rate", value)
        elif word in ("mtu", "minburst"):
            value = next_arg(args)
            if mtu:
                raise TcExit('tbf: duplicate "mtu/minburst" specification\n', 1)
            mtu = get_size(value.split("/")[0]) if _get_size_and_cell(value) else None
            if mtu is None:
                raise _tbf_illegal(word, value)
        elif matches(word, "peakrate"):
            value = next_arg(args)
            if prate:
                raise TcExit('tbf: duplicate "peakrate" specification\n', 1)
            prate = percent(value) if "%" in value and percent else get_rate64(value)
            if prate is None:
                raise _tbf_illegal("peakrate", value)
        elif matches(word, "overhead"):
            # tbf_parse_opt(): get_u16(.., 10), the rate's overhead (printed back)
            value = next_arg(args)
            if overhead:
                raise TcExit('tbf: duplicate "overhead" specification\n', 1)
            if not value.isdigit() or int(value) > 0xFFFF:
                raise _tbf_illegal("overhead", value)
            overhead = int(value)
        elif word == "mpu":
            value = next_arg(args)
            if mpu:
                raise TcExit('tbf: duplicate "mpu" specification\n', 1)
            mpu = get_size(value)
            if mpu is None:
                raise _tbf_illegal("mpu", value)
        elif matches(word, "linklayer"):
            # get_linklayer() (tc_util.c): ethernet, atm, adsl (atm's cells too)
            value = next_arg(args)
            if value not in ("ethernet", "atm", "adsl"):
                raise _tbf_illegal("linklayer", value)
            atm = value != "ethernet"
        elif word == "help":
            raise TcExit(TBF_USAGE, 1)
        else:
            raise TcExit(f'tbf: unknown parameter "{word}"\n' + TBF_USAGE, 1)
    missing = ""
    if not rate:
        missing += 'tbf: the "rate" parameter is mandatory.\n'
    if not buffer:
        missing += 'tbf: the "burst" parameter is mandatory.\n'
    if prate and not mtu:
        missing += 'tbf: when "peakrate" is specified, "mtu" must also be specified.\n'
    if not limit and not latency:
        missing += 'tbf: either "limit" or "latency" is required.\n'
    if missing:
        raise TcExit(missing + TBF_USAGE, 1)
    if not limit:
        lim = rate * latency / TIME_UNITS_PER_SEC + buffer
        if prate:
            lim = min(lim, prate * latency / TIME_UNITS_PER_SEC + mtu)
        # opt.limit is a __u32: the double converts through a 64-bit register
        # (cvttsd2si) and keeps its low 32 bits, so a huge rate*latency wraps
        limit = int(lim) & 0xFFFFFFFF
    # TCA_TBF_PARMS carries the buffer in ticks, TCA_TBF_BURST in bytes (the kernel's pick)
    out = [("rate", rate), ("buffer", calc_xmittime(rate, buffer)), ("burst", buffer),
           ("limit", limit)]
    if prate:
        # the peak rate's bucket: TCA_TBF_PARMS's mtu in ticks, TCA_TBF_PBURST in bytes
        out += [("peakrate", prate), ("mtu", calc_xmittime(prate, mtu)), ("pburst", mtu)]
    if overhead:
        out.append(("overhead", overhead))
    if mpu:
        out.append(("mpu", mpu))
    if atm:
        out.append(("linklayer", "atm"))
    return out


NETEM_USAGE = (
    "Usage: ... netem [ limit PACKETS ]\n"
    "                 [ delay TIME [ JITTER [CORRELATION]]]\n"
    "                 [ distribution {uniform|normal|pareto|paretonormal} ]\n"
    "                 [ corrupt PERCENT [CORRELATION]]\n"
    "                 [ duplicate PERCENT [CORRELATION]]\n"
    "                 [ loss random PERCENT [CORRELATION]]\n"
    "                 [ loss state P13 [P31 [P32 [P23 P14]]]\n"
    "                 [ loss gemodel PERCENT [R [1-H [1-K]]]\n"
    "                 [ ecn ]\n"
    "                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]\n"
    "                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]\n"
    "                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]\n"
    "                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}\n"
    "                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]\n")


def _illegal(what: str) -> TcExit:
    return TcExit(f'Illegal "{what}"\n', 1)


def _ticks(value: str, what: str) -> int:
    """get_ticks()."""
    us = get_time(value)
    if us is None:
        raise _illegal(what)
    if int(us * TICK_IN_USEC) >> 32:
        # tc_core_time2big(): a time past 32 bits of ticks (a negative one wrapped)
        raise TcExit(f"Illegal {us} time (too large)\n" + _illegal(what).message, 1)
    return time2tick(us)


def _pct(value: str, what: str) -> int:
    p = get_percent(value)
    if p is None:
        raise _illegal(what)
    return p


def _netem(args: list[str], tables: tuple = ("", ())) -> list:
    """netem_parse_opt(): the options ipemu models (delay, loss, duplicate, corrupt,
    reorder, rate, limit); the loss models, distributions and slots are parsed with
    tc's errors but not kept."""
    o: dict = {"limit": 1000}
    loss_model = None
    distribution = False
    while args:
        word = args.pop(0)
        if matches(word, "limit"):
            value = next_arg(args)
            size = get_size(value)
            if size is None:
                raise _illegal("limit")
            o["limit"] = size
        elif matches(word, "latency") or matches(word, "delay"):
            o["latency"] = _ticks(next_arg(args), "latency")
            if _number_next(args):
                o["jitter"] = _ticks(next_arg(args), "latency")
                if _number_next(args):
                    o["delay_corr"] = _pct(next_arg(args), "latency")
        elif matches(word, "loss") or matches(word, "drop"):
            if o.get("loss") or loss_model:
                raise _illegal("duplicate loss argument\n")
            value = next_arg(args)
            if value in ("state", "gemodel"):
                # the Gilbert-Elliott models: the first value, then up to four (state)
                # or three (gemodel) more while the next word is a number; parsed, not
                # modelled (they are not kept)
                names = ("p13", "p31", "p32", "p23", "p14") if value == "state" else \
                    ("gemodel p", "gemodel r", "gemodel h", "gemodel k")
                loss_model = value
                _pct(next_arg(args), f"loss {names[0]}")
                for name in names[1:]:
                    if not _number_next(args):
                        break
                    _pct(next_arg(args), f"loss {name}")
                continue
            if not value[:1].isdigit():
                if value != "random":
                    raise TcExit(f"Unknown loss parameter: {value}\n", 1)
                value = next_arg(args)
            o["loss"] = _pct(value, "loss percent")
            if _number_next(args):
                o["loss_corr"] = _pct(next_arg(args), "loss correlation")
        elif matches(word, "ecn"):
            o["ecn"] = True
        elif matches(word, "reorder"):
            o["reorder"] = _pct(next_arg(args), "reorder")
            if _number_next(args):
                o["reorder_corr"] = _pct(next_arg(args), "reorder")
        elif matches(word, "corrupt"):
            o["corrupt"] = _pct(next_arg(args), "corrupt")
            if _number_next(args):
                o["corrupt_corr"] = _pct(next_arg(args), "corrupt")
        elif matches(word, "gap"):
            value = next_arg(args)
            if not value.isdigit():
                raise _illegal("gap")
            o["gap"] = int(value)
        elif matches(word, "duplicate"):
            o["duplicate"] = _pct(next_arg(args), "duplicate")
            if _number_next(args):
                o["dup_corr"] = _pct(next_arg(args), "duplicate")
        elif matches(word, "distribution"):
            _distribution(next_arg(args), tables)
            distribution = True
        elif matches(word, "rate"):
            rate = get_rate64(next_arg(args))
            if rate is None:
                raise _illegal("rate")
            o["rate"] = rate
            # netem_parse_opt(): then PACKETOVERHEAD (signed), CELLSIZE, CELLOVERHEAD
            # (signed), each taken when the next word looks like a number
            for key, signed in (("packet_overhead", True), ("cell_size", False),
                                ("cell_overhead", True)):
                if _number_next(args, signed):
                    value = args.pop(0)
                    if not re.fullmatch(r"(?a)[-+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)", value):
                        raise _illegal("rate")
                    o[key] = int(value, 16) if value.lstrip("+-")[:2].lower() == "0x" \
                        else int(value, 8 if value.lstrip("+-").startswith("0") else 10)
        elif matches(word, "slot"):
            _netem_slot(args, tables)
        else:
            raise TcExit(("" if word == "help" else f'What is "{word}"?\n') + NETEM_USAGE, 1)
    if o.get("reorder"):
        if not o.get("latency"):
            raise TcExit("reordering not possible without specifying some delay\n"
                         + NETEM_USAGE, 1)
        o.setdefault("gap", 1)
    elif o.get("gap"):
        raise TcExit("gap specified without reorder probability\n" + NETEM_USAGE, 1)
    if o.get("ecn") and not o.get("loss") and not loss_model:
        raise TcExit("ecn requested without loss model\n" + NETEM_USAGE, 1)
    if distribution and not (o.get("latency") and o.get("jitter")):
        raise TcExit("distribution specified but no latency and jitter values\n"
                     + NETEM_USAGE, 1)
    return list(o.items())


def _distribution(name: str, tables: tuple) -> None:
    """get_distribution(): the table get_tc_lib()/NAME.dist must open; `tables` is the
    profile's tc_lib and tc_distributions (recorded: `distribution uniform` has no
    table, though the usage names it)."""
    lib, names = tables
    if name not in names:
        raise TcExit(f"No distribution data for {name} "
                     f"({lib}/{name}.dist: No such file or directory)\n", 1)


def _time64(value: str, what: str) -> int:
    """get_time64(): nanoseconds (s, ms, us, ns; none is ns)."""
    t, rest = strtod(value)
    if t is None:
        raise _illegal(what)
    scale = {"": 1, "s": 10**9, "sec": 10**9, "secs": 10**9, "ms": 10**6, "msec": 10**6,
             "msecs": 10**6, "us": 1000, "usec": 1000, "usecs": 1000, "ns": 1,
             "nsec": 1, "nsecs": 1}.get(rest.lower())
    if scale is None:
        raise _illegal(what)
    return int(t * scale)


def _netem_slot(args: list[str], tables: tuple) -> None:
    """netem_parse_opt()'s `slot MIN_DELAY [MAX_DELAY]` or `slot distribution TABLE
    DELAY JITTER`, then `packets N` and `bytes SIZE`: parsed (its errors are tc's), not
    modelled (the slot is not kept)."""
    if _number_next(args):
        low = _time64(next_arg(args), "slot min_delay")
        if _number_next(args):
            if _time64(next_arg(args), "slot max_delay") < low:
                raise _illegal("slot max_delay")
    else:
        word = next_arg(args)
        if word != "distribution":
            raise TcExit(f"Unknown slot parameter: {word}\n", 1)
        _distribution(next_arg(args), tables)
        _time64(next_arg(args), "slot delay")
        if _time64(next_arg(args), "slot jitter") <= 0:
            raise TcExit("Non-positive jitter\n", 1)
    if args and matches(args[0], "packets"):
        args.pop(0)
        if not args or not re.fullmatch(r"(?a)[-+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)", args[0]):
            raise _illegal("slot packets")
        args.pop(0)
    if args and matches(args[0], "bytes"):
        args.pop(0)
        if not args or get_size(args[0]) is None:
            raise _illegal("slot bytes")
        args.pop(0)


HTB_USAGE = (
    "Usage: ... qdisc add ... htb [default N] [r2q N]\n"
    "                      [direct_qlen P] [offload]\n"
    " default  minor id of class to which unclassified packets are sent {0}\n"
    " r2q      DRR quantums are computed as rate in Bps/r2q {10}\n"
    " debug    string of 16 numbers each 0-3 {0}\n\n"
    " direct_qlen  Limit of the direct queue {in packets}\n"
    " offload  enable hardware offload\n"
    "... class add ... htb rate R1 [burst B1] [mpu B] [overhead O]\n"
    "                      [prio P] [slot S] [pslot PS]\n"
    "                      [ceil R2] [cburst B2] [mtu MTU] [quantum Q]\n"
    " rate     rate allocated to this class (class can still borrow)\n"
    " burst    max bytes burst which can be accumulated during idle period {computed}\n"
    " mpu      minimum packet size used in rate computations\n"
    " overhead per-packet size overhead used in rate computations\n"
    " linklay  adapting to a linklayer e.g. atm\n"
    " ceil     definite upper class rate (no borrows) {rate}\n"
    " cburst   burst but for ceil {computed}\n"
    " mtu      max packet size we create rate map for {1600}\n"
    " prio     priority of leaf; lower are served first {0}\n"
    " quantum  how much bytes to serve from leaf at once {use r2q}\n"
    "\nTC HTB version 3.3\n")


def _htb_explain1(arg: str) -> TcExit:
    """q_htb.c explain1(): the word, then explain()'s usage (recorded)."""
    return TcExit(f'Illegal "{arg}"\n' + HTB_USAGE, 1)


def _htb(args: list[str]) -> list:
    """htb_parse_opt()."""
    out = []
    while args:
        word = args.pop(0)
        if matches(word, "r2q"):
            value = next_arg(args)
            if not value.isdigit():
                raise _htb_explain1("r2q")
            out.append(("r2q", int(value)))
        elif matches(word, "default"):
            value = next_arg(args)
            try:
                out.append(("defcls", int(value, 16)))
            except ValueError:
                raise _htb_explain1("default") from None
        elif matches(word, "debug"):
            next_arg(args)                  # sixteen digits 0-3, read as far as they go
        elif matches(word, "direct_qlen"):
            value = next_arg(args)
            if not value.isdigit():
                raise _htb_explain1("direct_qlen")
            out.append(("direct_qlen", int(value)))
        elif matches(word, "offload"):
            out.append(("offload", True))   # TCA_HTB_OFFLOAD
        else:
            # htb_parse_opt() has no case for help
            raise TcExit(f'What is "{word}"?\n' + HTB_USAGE, 1)
    return out


# the kinds whose qdisc_util has a parse_copt in iproute2 6.1's tc/q_*.c
CLASSFUL = ("htb", "hfsc", "cbq", "drr", "qfq", "ets", "atm", "dsmark")


CBQ_CLASS_USAGE = ("Usage: ... cbq\tbandwidth BPS rate BPS maxburst PKTS [ avpkt BYTES ]\n"
                   "\t\t[ minburst PKTS ] [ bounded ] [ isolated ]\n"
                   "\t\t[ allot BYTES ] [ mpu BYTES ] [ weight RATE ]\n"
                   "\t\t[ prio NUMBER ] [ cell BYTES ] [ ewma LOG ]\n"
                   "\t\t[ estimator INTERVAL TIME_CONSTANT ]\n"
                   "\t\t[ split CLASSID ] [ defmap MASK/CHANGE ]\n"
                   "\t\t[ overhead BYTES ] [ linklayer TYPE ]\n")     # q_cbq.c explain_class()


def _cbq_class(args: list[str], excl: bool) -> bool:
    """cbq_parse_class_opt() (q_cbq.c, iproute2 6.1): the words and the checks after
    them; whether any attribute goes in TCA_OPTIONS. The values are not kept: no
    kernel ipemu simulates has cbq (Linux 6.3 removed it), so the request then fails
    on the qdisc it names."""
    from ipemu.tools.ipargs import get_integer

    def bad(name: str) -> TcExit:
        return TcExit(f'Illegal "{name}"\n', 1)
    rate = bandwidth = avpkt = allot = prio = 0
    change_burst = wrr = attrs = lss = False
    while args:
        word = args.pop(0)
        if matches(word, "rate") or matches(word, "bandwidth"):
            name = "rate" if matches(word, "rate") else "bandwidth"
            value = get_rate64(next_arg(args))
            if value is None or value > U32_MAX:
                raise bad(name)
            if name == "rate":
                rate = value
            else:
                bandwidth = value
        elif any(matches(word, k) for k in ("minidle", "minburst", "maxburst")):
            name = next(k for k in ("minidle", "minburst", "maxburst") if matches(word, k))
            if _get_u32(next_arg(args), 0) is None:
                raise bad(name)
            change_burst = change_burst or name != "minidle"
            lss = True
        elif any(matches(word, k) for k in ("bounded", "borrow", "isolated", "sharing")):
            lss = True
        elif matches(word, "ewma"):
            value = get_integer(next_arg(args))
            if value is None:
                raise bad("ewma")
            if value > 31:
                raise TcExit("ewma_log must be < 32\n", 1)
            lss = True
        elif matches(word, "cell"):
            value = get_size(next_arg(args))
            if value is None:
                raise bad("cell")
            if value & (value - 1) or not value:
                raise TcExit("cell must be 2^n\n", 1)
        elif matches(word, "prio"):
            value = _get_u32(next_arg(args), 0)
            if value is None:
                raise bad("prio")
            if value > 8:
                raise TcExit('"prio" must be number in the range 1...8\n', 1)
            prio, wrr = value, True
        elif any(matches(word, k) for k in ("allot", "avpkt", "mpu", "weight")):
            name = next(k for k in ("allot", "avpkt", "mpu", "weight") if matches(word, k))
            value = get_size(next_arg(args))
            if value is None:
                raise bad(name)
            if name == "allot":
                allot = value
            elif name == "avpkt":
                avpkt, lss = value, True
            elif name == "weight":
                wrr = True
        elif matches(word, "split"):
            value = next_arg(args)
            try:
                get_tc_classid(value, "")
            except TcExit:
                raise TcExit("Invalid split node ID.\n", 1) from None
            attrs = True
        elif matches(word, "defmap"):
            if not re.match(r"(?a)\s*[+-]?(0[xX])?[0-9a-fA-F]", next_arg(args)):
                raise TcExit("Invalid defmap, should be MASK32[/MASK]\n", 1)
            attrs = True
        elif matches(word, "overhead"):
            value = next_arg(args)
            if not value.isdigit() or int(value) > 0xFFFF:
                raise bad("overhead")
        elif matches(word, "linklayer"):
            if next_arg(args) not in ("ethernet", "atm", "adsl"):
                raise bad("linklayer")
        elif matches(word, "help"):
            raise TcExit(CBQ_CLASS_USAGE, 1)
        else:
            raise TcExit(f'What is "{word}"?\n' + CBQ_CLASS_USAGE, 1)
    if rate and allot < avpkt * 3 // 2:
        allot = avpkt * 3 // 2
    if change_burst:
        if not avpkt:
            raise TcExit("CBQ: avpkt is required for max/minburst.\n", 1)
        if not bandwidth or not rate:
            raise TcExit("CBQ: bandwidth&rate are required for max/minburst.\n", 1)
    # `tc class add` sends NLM_F_EXCL: a class without prio gets TC_CBQ_MAXPRIO and
    # an allot from avpkt; WRR parameters (then, or with prio/weight) need an allot
    if not prio and excl:
        wrr = True
        allot = allot or avpkt * 3 // 2
    if wrr and not allot:
        raise TcExit('CBQ: "allot" is required to set WRR parameters.\n', 1)
    return attrs or wrr or bool(rate) or lss


HFSC_CLASS_USAGE = ("Usage: ... hfsc [ [ rt SC ] [ ls SC ] | [ sc SC ] ] [ ul SC ]\n"
                    "\n"
                    "SC := [ [ m1 BPS ] d SEC ] m2 BPS\n"
                    "\n"
                    " m1 : slope of first segment\n"
                    " d  : x-coordinate of intersection\n"
                    " m2 : slope of second segment\n"
                    "\n"
                    "Alternative format:\n"
                    "\n"
                    "SC := [ [ umax BYTE ] dmax SEC ] rate BPS\n"
                    "\n"
                    " umax : maximum unit of work\n"
                    " dmax : maximum delay\n"
                    " rate : rate\n"
                    "\n"
                    "Remarks:\n"
                    " - at least one of 'rt', 'ls' or 'sc' must be specified\n"
                    " - 'ul' can only be specified with 'ls' or 'sc'\n"
                    "\n")


def get_rate32(text: str) -> int | None:
    """lib/utils_math.c get_rate(): get_rate64()'s bytes/s into an unsigned int; a value
    the conversion does not keep (2^32 or more, negative) fails."""
    bps, rest = strtod(text)
    if bps is None:
        return None
    if rest:
        for name, scale in RATE_SUFFIXES:
            if name.lower() == rest.lower():
                bps *= scale
                break
        else:
            return None
    value = bps / 8
    if not 0 <= value < U32_MAX + 1:
        return None
    return int(value)


def _hfsc_rate(ctx, value: str, dev: str) -> int | None:
    """hfsc_get_sc1()/sc2(): get_percent_rate() with a `%`, get_rate() else."""
    if "%" in value:
        rate = get_percent_rate64(ctx, value, dev)
        return None if rate is None or rate > U32_MAX else rate
    return get_rate32(value)


def _hfsc_sc1(ctx, args: list[str], dev: str, say: list) -> tuple | None:
    """hfsc_get_sc1(): [ [ m1 BPS ] d SEC ] m2 BPS, on a copy of the words (the
    caller's move on only when it succeeds); None: not this form, or an illegal value
    (explain1()'s message in `say`)."""
    words = list(args)
    m1 = d = 0
    if matches(words[0], "m1"):
        next_arg_c(words)
        m1 = _hfsc_rate(ctx, words[0], dev)
        if m1 is None:
            say.append('HFSC: Illegal "m1"\n')
            return None
        next_arg_c(words)
    if matches(words[0], "d"):
        next_arg_c(words)
        d = get_time(words[0])
        if d is None:
            say.append('HFSC: Illegal "d"\n')
            return None
        next_arg_c(words)
    if not matches(words[0], "m2"):
        return None
    next_arg_c(words)
    m2 = _hfsc_rate(ctx, words[0], dev)
    if m2 is None:
        say.append('HFSC: Illegal "m2"\n')
        return None
    args[:] = words
    return m1, d, m2


def _hfsc_sc2(ctx, args: list[str], dev: str, say: list) -> tuple | None:
    """hfsc_get_sc2(): [ [ umax BYTE ] dmax SEC ] rate BPS."""
    words = list(args)
    umax = dmax = 0
    if matches(words[0], "umax"):
        next_arg_c(words)
        umax = get_size(words[0])
        if umax is None:
            say.append('HFSC: Illegal "umax"\n')
            return None
        next_arg_c(words)
    if matches(words[0], "dmax"):
        next_arg_c(words)
        dmax = get_time(words[0])
        if dmax is None:
            say.append('HFSC: Illegal "dmax"\n')
            return None
        next_arg_c(words)
    if not matches(words[0], "rate"):
        return None
    next_arg_c(words)
    rate = _hfsc_rate(ctx, words[0], dev)
    if rate is None:
        say.append('HFSC: Illegal "rate"\n')
        return None
    if umax and not dmax:
        say.append("HFSC: umax given but dmax is zero.\n")
        return None
    args[:] = words
    if dmax and math.ceil(umax * TIME_UNITS_PER_SEC / dmax) > rate:
        return math.ceil(umax * TIME_UNITS_PER_SEC / dmax), dmax, rate
    return 0, 1, rate       # a convex curve: only its slopes matter here


def next_arg_c(words: list[str]) -> None:
    """NEXT_ARG() on argv pointing at words[0]: the next word becomes words[0]."""
    words.pop(0)
    if not words:
        raise TcExit('Command line is not complete. Try option "help"\n', 255)


def _hfsc_class(ctx, args: list[str], dev: str) -> bool:
    """q_hfsc.c hfsc_parse_class_opt(): rt/ls/sc/ul service curves; an error is
    explain1()'s `HFSC: Illegal "rt"` (after the curve's own message, if any)."""
    ok = set()
    while args:
        word = args[0]
        name = next((n for n in ("rt", "ls", "sc", "ul") if matches(word, n)), None)
        if name is not None:
            next_arg_c(args)
            # hfsc_get_sc(): the second form when the first fails, then the slopes
            say: list = []
            curve = _hfsc_sc1(ctx, args, dev, say) or _hfsc_sc2(ctx, args, dev, say)
            if curve is not None and not curve[0] and not curve[2]:
                say.append("HFSC: Service Curve has two zero slopes\n")
                curve = None
            if curve is None:
                raise TcExit("".join(say) + f'HFSC: Illegal "{name}"\n', 1)
            ok.update(("rt", "ls") if name == "sc" else (name,))
        elif matches(word, "help"):
            raise TcExit(HFSC_CLASS_USAGE, 1)
        else:
            raise TcExit(f'HFSC: What is "{word}" ?\n' + HFSC_CLASS_USAGE, 1)
        args.pop(0)
    if not ok:
        raise TcExit("HFSC: no parameters given\n" + HFSC_CLASS_USAGE, 1)
    if "ul" in ok and "ls" not in ok:
        raise TcExit("HFSC: Upper-limit Service Curve without Link-Share Service Curve\n"
                     + HFSC_CLASS_USAGE, 1)
    return True


def _drr_class(ctx, args: list[str], dev: str) -> bool:
    """q_drr.c drr_parse_class_opt(): `quantum SIZE` (strcmp, no abbreviation)."""
    given = False
    while args:
        word = args.pop(0)
        if word == "quantum":
            if get_size(next_arg(args)) is None:
                raise TcExit('Illegal "quantum"\n', 1)
            given = True
        elif word == "help":
            raise TcExit("Usage: ... drr quantum SIZE\n", 1)
        else:
            raise TcExit(f'What is "{word}"?\nUsage: ... drr quantum SIZE\n', 1)
    return given


def _qfq_class(ctx, args: list[str], dev: str) -> bool:
    """q_qfq.c qfq_parse_class_opt(): `weight NUMBER`, `maxpkt BYTES` (get_u32 base 10)."""
    usage = "Usage: ... qfq weight NUMBER maxpkt BYTES\n"
    given = False
    while args:
        word = args.pop(0)
        name = next((n for n in ("weight", "maxpkt") if matches(word, n)), None)
        if name is not None:
            if _get_u32(next_arg(args), 10) is None:
                raise TcExit(f'Illegal "{name}"\n', 1)
            given = True
        elif word == "help":
            raise TcExit(usage, 1)
        else:
            raise TcExit(f'What is "{word}"?\n' + usage, 1)
    return given


CLASS_PARSERS = {"hfsc": _hfsc_class, "drr": _drr_class, "qfq": _qfq_class}


def parse_class_opts(ctx, kind: str, args: list[str], dev: str,
                     excl: bool = True) -> tuple:
    """htb_parse_class_opt(); other kinds have no classes here."""
    if kind not in CLASSFUL:
        # tc_class_modify(): a kind without parse_copt (get_qdisc_kind()'s stand-in for
        # an unknown one too), before the device is looked up
        raise TcExit(f'Error: Qdisc "{kind}" is classless.\n', 1)
    if kind == "cbq":
        # TCA_OPTIONS with cbq's attributes: another kind's class policy refuses them
        return (("foreign_opts", "cbq"),) if _cbq_class(args, excl) else ()
    if kind in CLASS_PARSERS:
        # their attributes (TCA_HFSC_RSC..., TCA_DRR_QUANTUM, TCA_QFQ_WEIGHT/LMAX) are
        # too short for htb_policy should an htb qdisc be the parent
        # (drr and qfq always nest TCA_OPTIONS, empty when no option is given)
        return (("foreign_opts", kind),) if CLASS_PARSERS[kind](ctx, args, dev) else \
            (("foreign_opts", kind), ("foreign_empty", True))
    if kind != "htb":
        if args:
            raise TcExit(f'Unknown qdisc "{kind}", hence option "{args[0]}" is unparsable\n',
                         1)
        return ()
    rate = ceil = buffer = cbuffer = prio = mpu = overhead = quantum = 0
    mtu = 1600
    linklayer = "ethernet"
    while args:
        word = args.pop(0)
        if matches(word, "prio"):
            value = next_arg(args)
            if not value.isdigit():
                raise _htb_explain1("prio")
            prio = int(value)
        elif matches(word, "mtu"):
            value = next_arg(args)
            if not value.isdigit():
                raise _htb_explain1("mtu")
            mtu = int(value)
        elif matches(word, "mpu") or matches(word, "overhead"):
            # get_u16()
            value = next_arg(args)
            name = "mpu" if matches(word, "mpu") else "overhead"
            if not value.isdigit() or int(value) > 0xFFFF:
                raise _htb_explain1(name)
            if name == "mpu":
                mpu = int(value)
            else:
                overhead = int(value)
        elif matches(word, "quantum"):
            value = next_arg(args)
            if not value.isdigit() or int(value) > U32_MAX:
                raise _htb_explain1("quantum")
            quantum = int(value)
        elif matches(word, "linklayer"):
            # get_linklayer(): ethernet, atm or adsl (atm's name)
            value = next_arg(args)
            if value not in ("ethernet", "atm", "adsl"):
                raise _htb_explain1("linklayer")
            linklayer = "atm" if value == "adsl" else value
        elif matches(word, "burst") or word in ("buffer", "maxburst"):
            buffer = get_size(next_arg(args).split("/")[0])
            if buffer is None:
                raise _htb_explain1("buffer")
        elif matches(word, "cburst") or word in ("cbuffer", "cmaxburst"):
            cbuffer = get_size(next_arg(args).split("/")[0])
            if cbuffer is None:
                raise _htb_explain1("cbuffer")
        elif word == "ceil":
            value = next_arg(args)
            if ceil:
                raise TcExit('Double "ceil" spec\n', 1)
            ceil = get_percent_rate64(ctx, value, dev) if "%" in value else \
                get_rate64(value)
            if ceil is None:
                raise _htb_explain1("ceil")
        elif word == "rate":
            value = next_arg(args)
            if rate:
                raise TcExit('Double "rate" spec\n', 1)
            rate = get_percent_rate64(ctx, value, dev) if "%" in value else \
                get_rate64(value)
            if rate is None:
                raise _htb_explain1("rate")
        else:
            raise TcExit(("" if word == "help" else f'What is "{word}"?\n') + HTB_USAGE, 1)
    if not rate:
        raise TcExit('"rate" is required.\n', 1)
    ceil = ceil or rate
    hz = 1000000000         # get_hz(): /proc/net/psched on a high-resolution clock
    buffer = buffer or rate // hz + mtu
    cbuffer = cbuffer or ceil // hz + mtu
    extra = (("quantum", quantum),) if quantum else ()
    return (("prio", prio), ("rate", rate), ("ceil", ceil),
            ("buffer", calc_xmittime(rate, buffer)), ("cbuffer", calc_xmittime(ceil, cbuffer)),
            ("mpu", mpu), ("overhead", overhead), ("linklayer", linklayer)) + extra


def _fq_codel(args: list[str]) -> list:
    """fq_codel_parse_opt(): the kernel keeps times in 1024 ns units."""
    out = []
    while args:
        word = args.pop(0)
        if word in ("limit", "flows", "quantum", "drop_batch"):
            value = next_arg(args)
            if not value.isdigit():
                raise TcExit(f'Illegal "{word}"\n', 1)
            out.append((word, int(value)))
        elif word in ("target", "interval", "ce_threshold"):
            value = next_arg(args)
            us = get_time(value)
            if us is None:
                raise TcExit(f'Illegal "{word}"\n', 1)
            out.append((word, (us * 1000 >> 10) * 1024 // 1000))
        elif word == "memory_limit":
            size = get_size(next_arg(args))
            if size is None:
                raise TcExit('Illegal "memory_limit"\n', 1)
            out.append(("memory_limit", size))
        elif word in ("ecn", "noecn"):
            out.append(("ecn", word == "ecn"))
        else:
            raise TcExit(("" if word == "help" else f'What is "{word}"?\n') + FQ_CODEL_USAGE, 1)
    return out


FQ_CODEL_USAGE = (            # q_fq_codel.c explain(), as the recording machine printed it
    "Usage: ... fq_codel\t[ limit PACKETS ] [ flows NUMBER ]\n"
    "[ memory_limit BYTES ]\n"
    "[ target TIME ] [ interval TIME ]\n"
    "[ quantum BYTES ] [ [no]ecn ]\n"
    "[ ce_threshold TIME ]\n"
    "[ ce_threshold_selector VALUE/MASK ]\n"
    "[ drop_batch SIZE ]\n")

PRIO_USAGE = "Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]\n"


def _prio(args: list[str], err=None) -> list:
    """prio_parse_opt(): bands, then priomap's numbers (each below bands). `bands`
    after `priomap` calls explain() and goes on (no return): the usage, then the rest
    of the line (recorded: the usage, then `Cannot find device`)."""
    bands, priomap, pmap = 3, [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1], False
    idx = 0
    while args:
        word = args.pop(0)
        if word == "bands":
            if pmap and err is not None:
                err(PRIO_USAGE)
            value = next_arg(args)
            try:
                bands = int(value, 10)
            except ValueError:
                raise TcExit('Illegal "bands"\n', 1) from None
        elif word == "priomap":
            if pmap:
                raise TcExit("Error: duplicate priomap\n", 1)
            pmap = True
        elif word == "multiqueue":
            continue
        elif word == "help":
            raise TcExit(PRIO_USAGE, 1)
        elif not pmap:
            raise TcExit(f'What is "{word}"?\n' + PRIO_USAGE, 1)
        else:
            if not word.isdigit():
                raise TcExit('Illegal "priomap" element\n', 1)
            if int(word) >= bands:
                raise TcExit('"priomap" element is out of bands\n', 1)
            if idx > 15:
                raise TcExit('"priomap" index > TC_PRIO_MAX=15\n', 1)
            priomap[idx] = int(word)
            idx += 1
    return [("bands", bands), ("priomap", tuple(priomap))]


SFQ_USAGE = ("Usage: ... sfq\t[ limit NUMBER ] [ perturb SECS ] [ quantum BYTES ]\n"
             "\t\t[ divisor NUMBER ] [ flows NUMBER] [ depth NUMBER ]\n"
             "\t\t[ headdrop ]\n"
             "\t\t[ redflowlimit BYTES ] [ min BYTES ] [ max BYTES ]\n"
             "\t\t[ avpkt BYTES ] [ burst PACKETS ] [ probability P ]\n"
             "\t\t[ ecn ] [ harddrop ]\n")
# sfq_parse_opt()'s words: (its getter, the name its error says: quantum's and depth's
# messages name another word, as q_sfq.c has them), and whether it is a RED word
SFQ_WORDS = {"quantum": ("size", "limit", False), "perturb": ("int", "perturb", False),
             "limit": ("u32", "limit", False), "divisor": ("u32", "divisor", False),
             "flows": ("u32", "flows", False), "depth": ("u32", "flows", False),
             "redflowlimit": ("u32", "redflowlimit", True), "min": ("u32", "min", True),
             "max": ("u32", "max", True), "burst": ("unsigned", "burst", True),
             "avpkt": ("size", "avpkt", True), "probability": ("double", "probability", True)}


def _sfq(args: list[str], err=None) -> list:
    """sfq_parse_opt() (q_sfq.c): the words, each value checked, `limit` above 1, the
    RED words needing `redflowlimit` and their thresholds in order. (The kernel side
    keeps no sfq options: only the parse's errors matter here.)"""
    from ipemu.tools.ipargs import get_integer, get_unsigned
    red = False
    values: dict[str, float] = {}
    while args:
        word = args.pop(0)
        if word in SFQ_WORDS:
            getter, name, is_red = SFQ_WORDS[word]
            text = next_arg(args)
            if getter == "size":
                value = get_size(text)
            elif getter == "int":
                value = get_integer(text)
            elif getter == "double":
                m = re.match(r"(?a)\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text)
                value = float(m.group(0)) if m else None
            else:
                value = get_unsigned(text)
            if value is None:
                raise TcExit(f'Illegal "{name}"\n', 1)
            if word == "limit" and value < 2:
                raise TcExit('Illegal "limit", must be > 1\n', 1)
            values[word] = value
            red = red or is_red
        elif word in ("headdrop",):
            continue
        elif word in ("ecn", "harddrop"):
            red = True
        elif word == "help":
            raise TcExit(SFQ_USAGE, 1)
        else:
            raise TcExit(f'What is "{word}"?\n' + SFQ_USAGE, 1)
    if red:
        limit = values.get("redflowlimit", 0)
        if not limit:
            raise TcExit("Required parameter (redflowlimit) is missing\n", 1)
        qmax = values.get("max", 0) or limit // 4
        qmin = values.get("min", 0) or qmax // 3
        if qmax > limit:
            raise TcExit('"max" is larger than "limit"\n', 1)
        if qmin >= qmax:
            raise TcExit('"min" is not smaller than "max"\n', 1)
        # (avpkt 0 divides by zero in q_sfq.c, a SIGFPE: not simulated, taken as 1)
        avpkt = values.get("avpkt", 1000) or 1
        burst = values.get("burst", 0) or (2 * qmin + qmax) // (3 * avpkt)
        wlog = red_eval_ewma(qmin, burst, avpkt)
        if isinstance(wlog, str):
            raise TcExit(wlog + "SFQ: failed to calculate EWMA constant.\n", 1)
        if wlog < 0:
            raise TcExit("SFQ: failed to calculate EWMA constant.\n", 1)
        if wlog >= 10 and err is not None:
            err(f"SFQ: WARNING. Burst {burst} seems to be too large.\n")
        if red_eval_p(qmin, qmax, values.get("probability", 0.02)) < 0:
            raise TcExit("SFQ: failed to calculate probability.\n", 1)
    return []


RED_USAGE = ("Usage: ... red\tlimit BYTES [min BYTES] [max BYTES] avpkt BYTES [burst PACKETS]\n"
             "\t\t[adaptive] [probability PROBABILITY] [bandwidth KBPS]\n"
             "\t\t[ecn] [harddrop] [nodrop]\n"
             "\t\t[qevent early_drop block IDX] [qevent mark block IDX]\n")
RED_FLAGS = ("ecn", "harddrop", "nodrop", "adaptative", "adaptive")


def _red(args: list[str], err=None) -> list:
    """red_parse_opt() (q_red.c): the words and their values, limit and avpkt
    required, the thresholds' defaults, the bandwidth's (a warning), the EWMA and
    probability exponents. (No kernel the oracle records has red: the parse's
    messages are what matters; the kernel side keeps no red options.)"""
    from ipemu.tools.ipargs import get_unsigned
    values: dict[str, float] = {}
    rate = 0
    while args:
        word = args.pop(0)
        if word in ("limit", "min", "max", "avpkt"):
            value = get_size(next_arg(args))
            if value is None:
                raise TcExit(f'Illegal "{word}"\n', 1)
            values[word] = value
        elif word == "burst":
            value = get_unsigned(next_arg(args))
            if value is None:
                raise TcExit('Illegal "burst"\n', 1)
            values[word] = value
        elif word == "probability":
            text = next_arg(args)
            m = re.match(r"(?a)\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text)
            if not m:
                raise TcExit('Illegal "probability"\n', 1)
            values[word] = float(m.group(0))
        elif word == "bandwidth":
            text = next_arg(args)
            if "%" in text:
                raise TcExit("ipemu: red's bandwidth in percent of the link speed is not "
                             "simulated\n", 1)
            rate = get_rate64(text)
            if rate is None or rate > 0xFFFFFFFF:
                raise TcExit('Illegal "bandwidth"\n', 1)
        elif word in RED_FLAGS:
            continue
        elif matches(word, "qevent"):
            raise TcExit("ipemu: red's qevent blocks are not simulated\n", 1)
        elif word == "help":
            raise TcExit(RED_USAGE, 1)
        else:
            raise TcExit(f'What is "{word}"?\n' + RED_USAGE, 1)
    limit, avpkt = values.get("limit", 0), values.get("avpkt", 0)
    if not limit or not avpkt:
        raise TcExit("RED: Required parameter (limit, avpkt) is missing\n", 1)
    qmin = values.get("min", 0)
    qmax = values.get("max", 0) or (qmin * 3 if qmin else limit // 4)
    qmin = qmin or qmax // 3
    burst = values.get("burst", 0) or (2 * qmin + qmax) // (3 * avpkt)
    if not rate and err is not None:
        err("RED: set bandwidth to 10Mbit\n")
    wlog = red_eval_ewma(qmin, burst, avpkt)
    if isinstance(wlog, str):
        raise TcExit(wlog + "RED: failed to calculate EWMA constant.\n", 1)
    if wlog < 0:
        raise TcExit("RED: failed to calculate EWMA constant.\n", 1)
    if wlog >= 10 and err is not None:
        err(f"RED: WARNING. Burst {burst} seems to be too large.\n")
    if red_eval_p(qmin, qmax, values.get("probability", 0.02)) < 0:
        raise TcExit("RED: failed to calculate probability.\n", 1)
    return []


def red_eval_ewma(qmin: int, burst: int, avpkt: int) -> int | str:
    """tc_red_eval_ewma() (tc_red.c): the smallest Wlog with burst + 1 - qmin/avpkt <=
    (1 - (1 - W)^burst) / W, -1 when none below 32, its message when `a` is below 1."""
    a = burst + 1 - qmin / avpkt
    if a < 1.0:
        return (f"tc_red_eval_ewma() burst {burst} is too small ? Try burst "
                f"{1 + qmin // avpkt}\n")
    w = 0.5
    for wlog in range(1, 32):
        if a <= (1 - (1 - w) ** burst) / w:
            return wlog
        w /= 2
    return -1


def red_eval_p(qmin: int, qmax: int, prob: float) -> int:
    """tc_red_eval_P() (tc_red.c): Plog = log(prob / (qmax - qmin))."""
    i = qmax - qmin
    if not i:
        return 0
    if i < 0:
        return -1
    prob /= i
    for i in range(32):
        if prob > 1.0:
            return i
        prob *= 2
    return -1


QDISC_PARSERS = {"prio": _prio, "sfq": _sfq, "red": _red, "pfifo": _fifo, "bfifo": lambda a: _fifo(a, "bfifo"),
                 "pfifo_head_drop": lambda a: _fifo(a, "pfifo_head_drop"), "tbf": _tbf,
                 "netem": _netem, "htb": _htb, "fq_codel": _fq_codel, "ingress": _none,
                 "clsact": _none}


# ---------------------------------------------------------------------- u32
# f_u32.c parse_ip(): (field, byte offset, width in bits) of an IPv4 header word
# parse_ip() and parse_ip6() (f_u32.c): field -> (offset, bits); ports and ICMP as if
# the IPv4 header had no options
U32_IP_FIELDS = {"tos": (1, 8), "dsfield": (1, 8), "precedence": (1, 8), "ihl": (0, 8),
                 "protocol": (9, 8), "dport": (22, 16), "sport": (20, 16),
                 "icmp_type": (20, 8), "icmp_code": (21, 8)}
U32_IP_FLAGS = {"nofrag": (0, 0x3FFF), "firstfrag": (0x2000, 0x3FFF), "df": (0x4000, 0x4000),
                "mf": (0x2000, 0x2000)}
U32_IP6_FIELDS = {"protocol": (6, 8), "flowlabel": (0, 32), "dport": (42, 16),
                  "sport": (40, 16), "icmp_type": (40, 8), "icmp_code": (41, 8)}


class _BadMatch(Exception):
    """parse_selector() returned -1: u32_parse_opt() says Illegal "match"."""


def _u32_key(val: int, mask: int, off: int, bits: int,
             offmask: int = 0) -> tuple[int, int, int, int]:
    """pack_key8/16/32(): a value at a byte offset as a masked word of its 4-byte slot
    (a u16 at an offset not 4-aligned, or a u8 at 3 mod 4, takes the low bits)."""
    if val >> bits or mask >> bits:
        raise _BadMatch
    shift = {8: (24, 16, 8, 0), 16: (16, 0, 0, 0), 32: (0, 0, 0, 0)}[bits][off & 3]
    return ((val & mask) << shift, mask << shift, off & ~3, offmask)


def _get_u32(text: str, base: int) -> int | None:
    """get_u32(): strtoul() in that base over the whole word, at most 32 bits."""
    m = re.fullmatch(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|[0-9a-fA-F]+)" if base == 16 else
                     r"\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if m is None:
        return None
    digits = m.group(2)
    value = int(digits, 16 if base == 16 or digits[:2].lower() == "0x" else
                8 if digits.startswith("0") else 10)
    if m.group(1) == "-" and value:
        return None                 # strtoul() wraps it past 32 bits
    return value if value <= 0xFFFFFFFF else None


def _u32_num(text: str, bits: int) -> int | None:
    """A key as parse_u8/16/32() reads it (get_u32() base 0), within its width."""
    value = _get_u32(text, 0)
    return value if value is not None and value < 1 << bits else None


def _parse_at(args: list[str], off: int, offmask: int) -> tuple[int, int]:
    """parse_at(): `at [nexthdr+]N` after a value (NEXT_ARG() past `at` first)."""
    if not args or args[0] != "at":
        return off, offmask
    args.pop(0)
    word = next_arg(args)
    if len(word) > len("nexthdr+") and word.startswith("nexthdr+"):
        offmask, word = -1, word[len("nexthdr+"):]
    elif matches(word, "nexthdr+"):
        offmask, word = -1, next_arg(args)
    m = re.fullmatch(r"(?a)\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", word)
    if m is None:
        raise _BadMatch             # get_integer(): strtol() base 0 over the whole word
    digits = m.group(2)
    value = int(digits, 16) if digits[:2].lower() == "0x" else \
        int(digits, 8) if digits.startswith("0") else int(digits)
    return (-value if m.group(1) == "-" else value), offmask


def _parse_uN(args: list[str], bits: int, off: int, offmask: int) -> list:
    """parse_u8/u16/u32(): VALUE MASK [at OFF]; the mask is hex (get_u32 base 16)."""
    if len(args) < 2:
        raise _BadMatch
    key, mask = _get_u32(args.pop(0), 0), _get_u32(args.pop(0), 16)
    if key is None or mask is None:
        raise _BadMatch
    if bits < 32 and (key >> bits or mask >> bits):
        raise _BadMatch
    off, offmask = _parse_at(args, off, offmask)
    return [_u32_key(key, mask, off, bits, offmask)]


def _ip_addr_keys(args: list[str], off: int) -> list:
    """parse_ip_addr(): get_prefix_1() (default/any/all: 0/0; /LEN or /NETMASK), then
    one key, mask 0 for /0."""
    import ipaddress
    text = next_arg(args)
    if text in ("default", "any", "all"):
        addr, plen = 0, 0
    else:
        try:
            net = ipaddress.IPv4Network(text, strict=False)
        except ValueError:
            raise _BadMatch from None
        addr, plen = int(ipaddress.IPv4Address(text.split("/")[0])), net.prefixlen
    off, offmask = _parse_at(args, off, 0)
    mask = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF if plen else 0
    return [(addr & mask, mask, off, offmask)]


def _ip6_addr_keys(args: list[str], off: int) -> list:
    """parse_ip6_addr(): a key per 32-bit word the prefix covers (none for /0)."""
    import ipaddress
    text = next_arg(args)
    if text in ("default", "any", "all"):
        addr, plen = 0, 0
    else:
        try:
            net = ipaddress.IPv6Network(text, strict=False)
            addr = int(ipaddress.IPv6Address(text.split("/")[0]))
        except ValueError:
            raise _BadMatch from None
        plen = net.prefixlen
    off, offmask = _parse_at(args, off, 0)
    keys = []
    for i in range(0, plen, 32):
        word = (addr >> (96 - i)) & 0xFFFFFFFF
        mask = 0xFFFFFFFF if i + 31 < plen else (0xFFFFFFFF << (32 - (plen - i))) & 0xFFFFFFFF
        keys.append((word & mask, mask, off + 4 * (i // 32), offmask))
    return keys


def _ether_keys(args: list[str], off: int) -> list:
    """parse_ether_addr(): six u8 keys from the MAC header (src at -8, dst at -14)."""
    text = next_arg(args)
    parts = text.split(":")
    if len(parts) < 6 or not all(re.fullmatch(r"[0-9a-fA-F]{1,2}", p) for p in parts[:6]):
        raise TcExit(f"parse_ether_addr: improperly formed address '{text}'\n"
                     'Illegal "match"\n', 1)
    off, offmask = _parse_at(args, off, 0)
    return [_u32_key(int(p, 16), 0xFF, off + i, 8, offmask) for i, p in enumerate(parts[:6])]


def _u32_match(args: list[str], options: dict | None = None) -> list:
    """parse_selector(): the keys (val, mask, off, offmask) one `match` adds."""
    try:
        return _selector(args, options)
    except _BadMatch:
        raise TcExit('Illegal "match"\n', 1) from None


def _selector(args: list[str], options: dict | None) -> list:
    if not args:
        raise _BadMatch
    what = args.pop(0)
    for name, bits in (("u32", 32), ("u16", 16), ("u8", 8)):
        if matches(what, name):
            next_arg(list(args))
            return _parse_uN(args, bits, 0, 0)
    if matches(what, "ip"):
        next_arg(list(args))
        if len(args) < 2:
            raise _BadMatch
        field = args.pop(0)
        if field in ("src", "dst"):
            return _ip_addr_keys(args, 12 if field == "src" else 16)
        if field in U32_IP_FLAGS:
            val, mask = U32_IP_FLAGS[field]
            return [_u32_key(val, mask, 6, 16)]
        name = next((k for k in ("dsfield", "precedence") if matches(field, k)), field)
        if name in U32_IP_FIELDS:
            next_arg(list(args))
            off, bits = U32_IP_FIELDS[name]
            return _parse_uN(args, bits, off, 0)
        raise _BadMatch
    if matches(what, "ip6"):
        next_arg(list(args))
        if len(args) < 2:
            raise _BadMatch
        field = args.pop(0)
        if field in ("src", "dst"):
            return _ip6_addr_keys(args, 8 if field == "src" else 24)
        if field in U32_IP6_FIELDS:
            off, bits = U32_IP6_FIELDS[field]
            return _parse_uN(args, bits, off, 0)
        raise _BadMatch
    for proto in ("udp", "tcp"):
        if matches(what, proto):
            # parse_tcp()/parse_udp(): ports of the next header
            next_arg(list(args))
            if len(args) < 2 or args[0] not in ("src", "dst"):
                raise _BadMatch
            field = args.pop(0)
            return _parse_uN(args, 16, 0 if field == "src" else 2, -1)
    if matches(what, "icmp"):
        next_arg(list(args))
        if len(args) < 2 or args[0] not in ("type", "code"):
            raise _BadMatch
        field = args.pop(0)
        return _parse_uN(args, 8, 0 if field == "type" else 1, -1)
    if matches(what, "mark"):
        # parse_mark(): TCA_U32_MARK, no key (the recording kernel does not dump it)
        next_arg(list(args))
        if len(args) <= 1:
            raise _BadMatch
        val = _get_u32(args.pop(0), 0)
        if val is None:
            raise TcExit('Illegal "mark" value\nIllegal "match"\n', 1)
        next_arg(list(args))
        mask = _get_u32(args.pop(0), 0)
        if mask is None:
            raise TcExit('Illegal "mark" mask\nIllegal "match"\n', 1)
        next_arg(list(args))
        if val & mask != val:
            raise TcExit('Illegal "mark" (impossible combination)\nIllegal "match"\n', 1)
        return []
    if matches(what, "ether"):
        next_arg(list(args))
        if len(args) < 2 or args[0] not in ("src", "dst"):
            raise _BadMatch
        field = args.pop(0)
        return _ether_keys(args, -8 if field == "src" else -14)
    raise _BadMatch


def pack_keys(sel: list, keys: list) -> bool:
    """pack_key(): a key at an offset (and offmask) already in the selector merges into
    it (False when their common bits disagree); a new one is added."""
    for val, mask, off, offmask in keys:
        for i, (v, m, o, om) in enumerate(sel):
            if o == off and om == offmask:
                if (val ^ v) & (mask & m):
                    return False
                sel[i] = (v | val, m | mask, o, om)
                break
        else:
            sel.append((val, mask, off, offmask))
    return True


U32_USAGE = ("Usage: ... u32 [ match SELECTOR ... ] [ link HTID ] [ classid CLASSID ]\n"
             "               [ action ACTION_SPEC ] [ offset OFFSET_SPEC ]\n"
             "               [ ht HTID ] [ hashkey HASHKEY_SPEC ]\n"
             "               [ sample SAMPLE ] [skip_hw | skip_sw]\n"
             "or         u32 divisor DIVISOR\n"
             "\n"
             "Where: SELECTOR := SAMPLE SAMPLE ...\n"
             "       SAMPLE := { ip | ip6 | udp | tcp | icmp | u{32|16|8} | mark }\n"
             "                 SAMPLE_ARGS [ divisor DIVISOR ]\n"
             "       FILTERID := X:Y:Z\n"
             "\nNOTE: CLASSID is parsed at hexadecimal input.\n")    # f_u32.c explain()


def _u32_divisor(value: str) -> int | None:
    """get_unsigned(..., 0) of a divisor: a power of two from 1 to 0x100."""
    number = int(value, 0) if re.fullmatch(r"(?a)0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*",
                                           value) else None
    if not number or number > 0x100 or (number - 1) & number:
        return None
    return number


def _u32_offset(args: list[str], sel: dict) -> None:
    """parse_offset(): plus/at/mask/shift/eat, up to the first other word (get_be16()
    of a mask in hex, get_integer() of the others)."""
    from ipemu.tools.ipargs import get_integer
    # sel.flags: TC_U32_OFFSET (plus), TC_U32_VAROFFSET (at, mask, shift), TC_U32_EAT
    off = dict(sel.get("offset") or {"flags": 0, "off": 0, "offoff": 0, "offmask": 0,
                                     "offshift": 0})
    while args:
        word = args[0]
        if matches(word, "plus") or matches(word, "at") or matches(word, "shift"):
            args.pop(0)
            value = get_integer(next_arg(args))
            if value is None:
                raise TcExit('Illegal "offset"\n', 1)
            if matches(word, "plus"):
                off["off"] = value & 0xFFFF
                off["flags"] |= 2
            elif matches(word, "at"):
                if value % 2:
                    raise TcExit('offset "at" must be even\nIllegal "offset"\n', 1)
                off["offoff"] = value & 0xFFFF
                off["flags"] |= 4
            else:
                off["offshift"] = value & 0xFF
                off["flags"] |= 4
        elif matches(word, "mask"):
            args.pop(0)
            value = _get_u32(next_arg(args), 16)
            if value is None or value > 0xFFFF:
                raise TcExit('Illegal "offset"\n', 1)
            off["offmask"] = value          # get_be16(): as written
            off["flags"] |= 4
        elif not matches(word, "eat"):
            break
        else:
            args.pop(0)
            off["flags"] |= 8
        sel["offset"] = off
        sel["sel"] = True


def _u32_hashkey(args: list[str], sel: dict) -> None:
    """parse_hashkey(): mask (get_be32() in hex) and at (a multiple of 4)."""
    from ipemu.tools.ipargs import get_integer
    while args:
        word = args[0]
        if matches(word, "mask"):
            args.pop(0)
            mask = _get_u32(next_arg(args), 16)
            if mask is None:
                raise TcExit('Illegal "hashkey"\n', 1)
            sel["hmask"] = mask         # sel->hmask (get_be32(): as written)
        elif matches(word, "at"):
            args.pop(0)
            value = get_integer(next_arg(args))
            if value is None or value % 4:
                raise TcExit('Illegal "hashkey"\n', 1)
            sel["hoff"] = value
        else:
            break
        sel["sel"] = True               # sel_ok: TCA_U32_SEL goes


def parse_u32(args: list[str], options: dict | None = None,
              handle: int | None = None) -> tuple[tuple, int, list]:
    """u32_parse_opt(): the matches, the flowid/classid and the actions (each a list:
    the kind, then its words; the tool resolves device names). A `divisor`, `ht`
    (TCA_U32_HASH), `link`, `order`, the flags and what ipemu does not act on
    (offset, hashkey, indev) go into `options` when the caller gives one."""
    keys: list = []
    classid = 0
    actions: list = []
    options = {} if options is None else options
    htid = 0
    sample = False
    flags = 0
    while args:
        word = args.pop(0)
        if matches(word, "match"):
            if not pack_keys(keys, _u32_match(args)):
                raise TcExit('Illegal "match"\n', 1)
            options["sel"] = True   # sel_ok: TCA_U32_SEL goes, even without keys
        elif matches(word, "offset"):
            next_arg(list(args))
            _u32_offset(args, options)
        elif matches(word, "hashkey"):
            next_arg(list(args))
            _u32_hashkey(args, options)
        elif matches(word, "classid") or word == "flowid":
            classid = get_tc_classid(next_arg(args), "invalid class ID")
        elif matches(word, "action"):
            if not args:
                next_arg(args)          # NEXT_ARG()
            actions += _parse_actions(args)
        elif matches(word, "police"):
            argc = len(args) + 1
            next_arg(list(args))        # NEXT_ARG()
            error = parse_police(args)
            if error is not None:
                raise TcExit(error + 'Illegal "police"\n', 1)
            actions.append(["police", [], argc])
        elif matches(word, "divisor"):
            number = _u32_divisor(next_arg(args))
            if number is None:
                raise TcExit('Illegal "divisor"\n', 1)
            options["divisor"] = number
        elif matches(word, "order"):
            order = _get_u32(next_arg(args), 0)
            if order is None:
                raise TcExit('Illegal "order"\n', 1)
            options["order"] = order
        elif word == "link":
            link = get_u32_handle(next_arg(args))
            if link is None:
                raise TcExit('Illegal "link"\n', 1)
            if link & 0xFFF:
                raise TcExit('"link" must be a hash table.\n', 1)
            options["link"] = link
        elif word == "ht":
            ht = get_u32_handle(next_arg(args))
            if ht is None:
                raise TcExit('Illegal "ht"\n', 1)
            if handle is not None and ht & 0xFFF:
                raise TcExit('"ht" must be a hash table.\n', 1)
            htid = (htid & 0xFF000) | (ht & 0xFFF00000) if sample else ht & 0xFFFFF000
        elif word == "sample":
            next_arg(list(args))
            try:
                sampled = _selector(args, None)
            except _BadMatch:
                raise TcExit('Illegal "sample"\n', 1) from None
            if len(sampled) != 1:
                raise TcExit('"sample" must contain exactly ONE key.\n', 1)
            divisor = 0x100
            if args and args[0] == "divisor":
                args.pop(0)
                divisor = _u32_divisor(next_arg(args))
                if divisor is None:
                    raise TcExit('Illegal sample "divisor"\n', 1)
                next_arg(list(args))    # NEXT_ARG() past the divisor
            val, mask = sampled[0][0], sampled[0][1]
            # u32_hash_fold(): the masked value shifted down to the mask's lowest bit
            fold = (val & mask) >> ((mask & -mask).bit_length() - 1) if mask else 0
            htid = ((fold % divisor) << 12) | (htid & 0xFFF00000)
            sample = True
        elif word == "indev":
            if not args:
                raise TcExit("Illegal indev\n", 1)
            options["indev"] = args.pop(0)
        elif word == "skip_hw":
            flags |= 1
        elif word == "skip_sw":
            flags |= 2
        elif word == "help":
            raise TcExit(U32_USAGE, 1)
        else:
            raise TcExit(f'What is "{word}"?\n' + U32_USAGE, 1)
    order = options.get("order", 0)
    if order:
        if handle is not None and handle & 0xFFF and order != handle & 0xFFF:
            raise TcExit('"order" contradicts "handle"\n', 1)
        options["handle"] = (handle or 0) | order       # t->tcm_handle |= order
    if htid:
        options["ht"] = htid
    if flags == 3:
        raise TcExit("skip_hw and skip_sw are mutually exclusive\n", 1)
    if flags:
        options["flags"] = flags
    return tuple(keys), classid, actions


def _strtoul_hex(text: str) -> tuple[int, int]:
    """strtoul(text, &end, 16): the value and how many characters it took (0: none)."""
    m = re.match(r"(?a)\s*([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)", text)
    if m is None:
        return 0, 0
    value = int(m.group(3), 16)
    return (-value) % (1 << 64) if m.group(1) == "-" else value, m.end()


def get_u32_handle(text: str) -> int | None:
    """get_u32_handle() (f_u32.c): HTID:HASH:NODE in hex (each part strtoul()'s, the
    character after it skipped), or 0x...; None where tc says "Illegal"."""
    if ":" not in text:
        if text.startswith("0x"):
            value, used = _strtoul_hex(text)
            return value if used == len(text) and value <= U32_MAX else None
        return None
    parts = [0, 0, 0]
    rest = text
    for i, limit in enumerate((0x1000, 0x100, 0x1000)):
        value, used = _strtoul_hex(rest)
        if not used and rest and (rest[0] != ":" or i == 2):
            return None
        if value >= limit:
            return None
        parts[i] = value
        rest = rest[used:]
        if not rest:
            break
        rest = rest[1:]
    return (parts[0] << 20) | (parts[1] << 12) | parts[2]


# action_a2n() (tc_util.c): the control words in its table order, each a prefix match
_A2N = ("continue", "drop", "shot", "pass", "ok", "reclassify", "pipe", "goto", "jump", "trap")
# act_parse_police()'s branch for a bare control word (m_police.c), in its order
_POLICE_CONTROL = ("reclassify", "drop", "shot", "continue", "pass", "ok", "pipe", "goto")
_EXT_VAL_MASK = 0x0FFFFFFF   # TC_ACT_EXT_VAL_MASK
POLICE_USAGE = (
    "Usage: ... police [ rate BPS burst BYTES[/BYTES] ] \n"
    "\t\t[ pkts_rate RATE pkts_burst PACKETS ] [ mtu BYTES[/BYTES] ]\n"
    "\t\t[ peakrate BPS ] [ avrate BPS ] [ overhead BYTES ]\n"
    "\t\t[ linklayer TYPE ] [ CONTROL ]\n"
    "Where: CONTROL := conform-exceed <EXCEEDACT>[/NOTEXCEEDACT]\n"
    "\t\t  Define how to handle packets which exceed (<EXCEEDACT>)\n"
    "\t\t  or conform (<NOTEXCEEDACT>) the configured bandwidth limit.\n"
    "       EXCEEDACT/NOTEXCEEDACT := { pipe | ok | reclassify | drop | continue |\n"
    "\t\t\t\t   goto chain <CHAIN_INDEX> }\n")


def action_a2n(word: str, allow_num: bool) -> str | None:
    """action_a2n() (tc_util.c): the control word `word` abbreviates (or, when numbers
    are allowed, the number itself), else None."""
    for name in _A2N:
        if matches(word, name):
            return name
    if allow_num and re.fullmatch(r"(?a)\s*[-+]?\d+", word):
        return word
    return None


def parse_action_control(args: list[str], allow_num: bool) -> str | None:
    """parse_action_control() (tc_util.c): one control word (goto chain N, jump N),
    consumed; None, or what it printed when it failed."""
    if not args:
        return ""
    name = action_a2n(args[0], allow_num)
    if name is None:
        return f"Bad action type {args[0]}\n"
    if name == "goto":
        args.pop(0)
        if not args:
            next_arg(args)
        if not matches(args[0], "chain"):
            return '"chain index" expected\n'
        args.pop(0)
        if not args:
            next_arg(args)
        index = _get_u32(args[0], 10)
        if index is None or index > _EXT_VAL_MASK:
            return 'Illegal "chain index"\n'
    elif name == "jump":
        args.pop(0)
        if not args:
            next_arg(args)
        count = _get_u32(args[0], 10)
        if count is None or count > _EXT_VAL_MASK:
            return f'Invalid "jump count" ({args[0]})\n'
    args.pop(0)                 # NEXT_ARG_FWD()
    return None


def parse_action_control_slash(args: list[str], allow_num: bool) -> str | None:
    """parse_action_control_slash() (tc_util.c): EXCEED[/CONFORM] in one word (a bad
    half fails silently), or as words with a lone "/" between."""
    word = args[0]
    if "/" in word:
        first, second = word.split("/", 1)
        if action_a2n(first, allow_num) is None or action_a2n(second, allow_num) is None:
            return ""
        args.pop(0)
        return None
    ok = 0
    while args:
        if ok == 1:
            if args[0] != "/":
                break
            args.pop(0)
            if not args:
                next_arg(args)
        elif ok > 1:
            break
        error = parse_action_control(args, allow_num)
        if error is not None:
            return error
        ok += 1
    return None


def _get_size_and_cell(text: str) -> bool:
    """get_size_and_cell() (tc_util.c): SIZE[/CELL], the cell a power of two."""
    size, slash, cell = text.partition("/")
    if get_size(size) is None:
        return False
    if not slash:
        return True
    value = _get_u32(cell, 0)
    return value is not None and value in [1 << i for i in range(32)]


def parse_police(args: list[str]) -> str | None:
    """act_parse_police() (m_police.c): its words, up to the first it does not know
    (left for the filter); None, or what it printed when they are no policer. Bad
    values, second values and `help` end tc there (invarg(), duparg(), usage())."""
    ok = 0
    seen: dict[str, str] = {}

    def once(key: str, dup: str, value: str) -> None:
        if key in seen:
            duparg(dup, value)
        seen[key] = value

    while args:
        word = args[0]
        if matches(word, "index"):
            args.pop(0)
            value = next_arg(args)
            if _get_u32(value, 10) is None:
                raise TcExit(invarg_text("index", value), 255)
            seen["index"] = value
        elif matches(word, "burst") or word in ("buffer", "maxburst"):
            args.pop(0)
            value = next_arg(args)
            once("burst", "buffer/burst", value)
            if not _get_size_and_cell(value):
                raise TcExit(invarg_text("buffer", value), 255)
        elif word in ("mtu", "minburst"):
            args.pop(0)
            value = next_arg(args)
            once("mtu", "mtu/minburst", value)
            if not _get_size_and_cell(value):
                raise TcExit(invarg_text("mtu", value), 255)
        elif word == "mpu":
            args.pop(0)
            value = next_arg(args)
            once("mpu", "mpu", value)
            if get_size(value) is None:
                raise TcExit(invarg_text("mpu", value), 255)
        elif word in ("rate", "avrate") or matches(word, "peakrate"):
            key = word if word in ("rate", "avrate") else "peakrate"
            args.pop(0)
            value = next_arg(args)
            once(key, key, value)
            rate = get_rate64(value)
            if rate is None or (key == "avrate" and rate > U32_MAX):
                raise TcExit(invarg_text(key, value), 255)
        elif any(matches(word, k) for k in _POLICE_CONTROL):
            error = parse_action_control(args, False)
            if error is not None:
                return error
            ok += 1
            continue
        elif word == "conform-exceed":
            args.pop(0)
            if not args:
                next_arg(args)
            error = parse_action_control_slash(args, True)
            if error is not None:
                return error
            ok += 1
            continue
        elif matches(word, "overhead"):
            args.pop(0)
            value = next_arg(args)
            number = _get_u32(value, 10)
            if number is None or number > 0xFFFF:
                raise TcExit(invarg_text("overhead", value), 255)
        elif matches(word, "linklayer"):
            args.pop(0)
            value = next_arg(args)
            if not any(matches(value, k) for k in ("ethernet", "atm", "adsl")):
                raise TcExit(invarg_text("linklayer", value), 255)
        elif matches(word, "pkts_rate") or matches(word, "pkts_burst"):
            key = "pkts_rate" if matches(word, "pkts_rate") else "pkts_burst"
            args.pop(0)
            value = next_arg(args)
            once(key, key, value)
            if not re.fullmatch(r"(?a)\s*\+?(0[xX][0-9a-fA-F]+|\d+)", value) \
                    or int(value, 0 if value.strip().lower().startswith("0x") else 10) >= 1 << 64:
                raise TcExit(invarg_text(key, value), 255)
        elif word == "help":
            raise TcExit(POLICE_USAGE, 255)
        else:
            break
        ok += 1
    if not ok:
        return ""
    if "rate" in seen and "avrate" in seen:
        return ""
    if not any(k in seen for k in ("rate", "avrate", "index", "mtu", "pkts_rate")):
        return "'rate' or 'avrate' or 'mtu' or 'pkts_rate' MUST be specified.\n"
    if "rate" in seen and "burst" not in seen and "avrate" not in seen:
        return "'burst' requires 'rate'.\n"
    if "pkts_rate" in seen and "pkts_burst" not in seen:
        return "'pkts_burst' requires 'pkts_rate'.\n"
    if "pkts_rate" in seen and "rate" in seen:
        return "'rate' and 'pkts_rate' are not allowed in same action.\n"
    if "peakrate" in seen:
        if "rate" not in seen:
            return "'peakrate' requires 'rate'.\n"
        if "mtu" not in seen:
            return "'mtu' is required, if 'peakrate' is requested.\n"
    return None


# action_a2n()'s control words: gact takes them as its kind
GACT_WORDS = ("continue", "drop", "shot", "pass", "ok", "reclassify", "pipe", "trap", "goto",
              "jump")   # action_a2n()
GACT_USAGE = ("Usage: ... gact <ACTION> [RAND] [INDEX]\n"
              "Where: \tACTION := reclassify | drop | continue | pass | pipe |\n"
              "       \t          goto chain <CHAIN_INDEX> | jump <JUMP_COUNT>\n"
              "\tRAND := random <RANDTYPE> <ACTION> <VAL>\n"
              "\tRANDTYPE := netrand | determ\n"
              "\tVAL : = value not exceeding 10000\n"
              "\tJUMP_COUNT := Absolute jump from start of action list\n"
              "\tINDEX := index value used\n\n")


def _parse_actions(args: list[str]) -> list:
    """parse_action() (m_action.c): KIND ARGS, again after each `action`, up to
    flowid/classid. Each is [kind, words, argc] (argc: what was left at its kind,
    for parse_action's `bad value` message)."""
    out = []
    while args:
        word = args[0]
        if word == "action":
            args.pop(0)
            continue
        if word in ("flowid", "classid"):
            break
        argc = len(args)
        kind = args.pop(0)
        if kind == "police":
            # act_parse_police() with its action_util: NEXT_ARG() past "police"
            next_arg(list(args))
            error = parse_police(args)
            if error is not None:
                # parse_action()'s bad_val, then u32_parse_opt()'s complaint
                raise TcExit(error + "bad action parsing\n"
                             f"parse_action: bad value ({argc}:police)!\n"
                             'Illegal "action"\n', 1)
            out.append(["police", [], argc])
        elif kind == "mirred":
            words = []
            while args and args[0] not in ("action", "flowid", "classid"):
                words.append(args.pop(0))
            out.append(["mirred", words, argc])
        elif kind in GACT_WORDS or kind == "gact":
            words = [kind] if kind != "gact" else []
            while args and args[0] not in ("action", "flowid", "classid"):
                words.append(args.pop(0))
            out.append(["gact", words, argc])
        else:
            # an unknown kind reaches gact's parser (get_action_kind()'s fallback)
            raise TcExit(f"Bad action type {kind}\n" + GACT_USAGE, 255)
    return out


# ------------------------------------------------------------------ stab (tc_stab.c)
STAB_USAGE = (
    "Usage: ... stab [ mtu BYTES ] [ tsize SLOTS ] [ mpu BYTES ]\n"
    "                [ overhead BYTES ] [ linklayer TYPE ] ...\n"
    "   mtu       : max packet size we create rate map for {2047}\n"
    "   tsize     : how many slots should size table have {512}\n"
    "   mpu       : minimum packet size used in rate computations\n"
    "   overhead  : per-packet size overhead used in rate computations\n"
    "   linklayer : adapting to a linklayer e.g. atm\n"
    "Example: ... stab overhead 20 linklayer atm\n")
LINKLAYER_UNSPEC, LINKLAYER_ETHERNET, LINKLAYER_ATM = 0, 1, 2


def _get_integer10(text: str) -> int | None:
    """get_integer(..., 10): strtol() over the whole word, within an int."""
    m = re.fullmatch(r"\s*[+-]?[0-9]+", text)
    if m is None:
        return None
    value = int(text)
    return value if -(1 << 31) <= value < 1 << 31 else None


def parse_size_table(args: list[str]) -> dict | None:
    """parse_size_table(): the words after `stab` up to the first that is none of its
    keywords; None (tc returns -1 without a word) when no option that
    check_size_table_opts() wants came (a linklayer, an mpu or an overhead)."""
    if not args:
        next_arg(args)                              # NEXT_ARG() past `stab`
    if matches(args[0], "help"):
        raise TcExit(STAB_USAGE, 255)
    s = {"mtu": 0, "mpu": 0, "overhead": 0, "tsize": 0, "linklayer": LINKLAYER_UNSPEC}
    while args:
        word = args[0]
        if matches(word, "mtu") or matches(word, "mpu") or matches(word, "tsize"):
            key = "mtu" if matches(word, "mtu") else "mpu" if matches(word, "mpu") else "tsize"
            args.pop(0)
            value = next_arg(args)
            if s[key]:
                duparg(key, value)
            number = _get_u32(value, 10)
            if number is None:
                # invarg("mtu", "invalid mtu"): the two the other way round
                msg = "invalid table size" if key == "tsize" else f"invalid {key}"
                raise TcExit(invarg_text(key, msg), 255)
            s[key] = number
        elif matches(word, "overhead"):
            args.pop(0)
            value = next_arg(args)
            if s["overhead"]:
                duparg("overhead", value)
            number = _get_integer10(value)
            if number is None:
                raise TcExit(invarg_text("overhead", "invalid overhead"), 255)
            s["overhead"] = number
        elif matches(word, "linklayer"):
            args.pop(0)
            value = next_arg(args)
            if s["linklayer"] != LINKLAYER_UNSPEC:
                duparg("linklayer", value)
            if matches(value, "ethernet"):
                s["linklayer"] = LINKLAYER_ETHERNET
            elif matches(value, "atm") or matches(value, "adsl"):
                s["linklayer"] = LINKLAYER_ATM
            else:
                raise TcExit(invarg_text("linklayer", "invalid linklayer"), 255)
        else:
            break
    if not (s["linklayer"] >= LINKLAYER_ETHERNET or s["mpu"] or s["overhead"]):
        return None
    return s


ATM_CELL_SIZE, ATM_CELL_PAYLOAD = 53, 48


def _adjust_size(sz: int, mpu: int, linklayer: int) -> int:
    """tc_adjust_size(): at least mpu; ATM pays whole 53-byte cells of 48 bytes."""
    sz = max(sz, mpu)
    if linklayer == LINKLAYER_ATM:
        return -(-sz // ATM_CELL_PAYLOAD) * ATM_CELL_SIZE
    return sz


def calc_size_table(s: dict) -> tuple[tuple, tuple]:
    """tc_calc_size_table(): the struct tc_sizespec sent (linklayer, overhead, mpu, mtu,
    tsize, cell_log, size_log, cell_align) and the table of sizes (none when only an
    overhead is asked on ethernet)."""
    if s["linklayer"] <= LINKLAYER_ETHERNET and not s["mpu"]:
        return (s["linklayer"], s["overhead"], s["mpu"], 0, 0, 0, 0, 0), ()
    mtu = s["mtu"] or 2047
    tsize = s["tsize"] or 512
    cell_log = 0
    while (mtu >> cell_log) > tsize - 1:
        cell_log += 1
    size_log = 0
    while True:
        data = [_adjust_size((i + 1) << cell_log, s["mpu"], s["linklayer"])
                for i in range(tsize)]
        if all(sz >> size_log <= 0xFFFF for sz in data):
            break
        size_log += 1
    table = tuple(sz >> size_log for sz in data)
    return (s["linklayer"], s["overhead"], s["mpu"], mtu, tsize, cell_log, size_log,
            -1), table


# ------------------------------------------------------------------ bpf (f_bpf.c)
BPF_USAGE = (
    "Usage: ... bpf ...\n"
    "\n"
    "BPF use case:\n"
    " bytecode BPF_BYTECODE\n"
    " bytecode-file FILE\n"
    "\n"
    "eBPF use case:\n"
    " object-file FILE [ section CLS_NAME ] [ export UDS_FILE ] [ verbose ] "
    "[ direct-action ] [ skip_hw | skip_sw ]\n"
    " object-pinned FILE [ direct-action ] [ skip_hw | skip_sw ]\n"
    "\n"
    "Common remaining options:\n"
    " [ action ACTION_SPEC ]\n"
    " [ classid CLASSID ]\n"
    "\n"
    "Where BPF_BYTECODE := 's,c t f k,c t f k,c t f k,...'\n"
    "c,t,f,k and s are decimals; s denotes number of 4-tuples\n"
    "\n"
    "Where FILE points to a file containing the BPF_BYTECODE string,\n"
    "an ELF file containing eBPF map definitions and bytecode, or a\n"
    "pinned eBPF program.\n"
    "\n"
    "Where CLS_NAME refers to the section name containing the\n"
    "classifier (default 'classifier').\n"
    "\n"
    "Where UDS_FILE points to a unix domain socket file in order\n"
    "to hand off control of all created eBPF maps to an agent.\n"
    "\n"
    "ACTION_SPEC := ... look at individual actions\n"
    "NOTE: CLASSID is parsed as hexadecimal input.\n")
_BPF_PARSE_FAIL = "Unable to parse bpf command line\n"
_SCANF_UINT = re.compile(r"\s*[+-]?[0-9]+")


def _scanf_u(text: str, pos: int, bits: int) -> tuple[int | None, int]:
    """sscanf()'s %hu / %hhu / %u at pos: strtoul() wrapped to the width."""
    m = _SCANF_UINT.match(text, pos)
    if m is None:
        return None, pos
    value = int(m.group(0))
    return value % (1 << bits), m.end()


def _bpf_file_text(raw: str) -> str:
    """bpf_parse_string() from a file: newlines become commas (one per run), runs of
    blanks one blank."""
    out, prev = [], " "
    for c in raw:
        if c == "\n":
            if prev != ",":
                out.append(",")
            prev = ","
        elif c in " \t":
            if prev != " ":
                out.append(c)
            prev = " "
        else:
            out.append(c)
            prev = c
    return "".join(out)


def bpf_ops_parse(text: str) -> tuple | None:
    """bpf_ops_parse(): `s,c t f k,...`; None for what it refuses (-EINVAL), after
    printing nothing or one of its own messages (raised as TcExit)."""
    length, pos = _scanf_u(text, 0, 16)
    if length is None or pos >= len(text) or text[pos] != ",":
        return None                     # sscanf("%hu%c") and the separator
    if length == 0 or length > 4096:
        return None
    ops = []
    i = text.find(",")
    while i != -1 and i + 1 < len(text):
        token = i + 1
        if len(ops) >= length:
            raise TcExit("Real program length exceeds encoded length parameter!\n"
                         + _BPF_PARSE_FAIL, 1)
        insn, p = [], token
        for bits in (16, 8, 8, 32):
            value, p = _scanf_u(text, p, bits)
            if value is None:
                break
            insn.append(value)
        if len(insn) != 4:
            raise TcExit(f"Error at instruction {len(ops)}!\n" + _BPF_PARSE_FAIL, 1)
        ops.append(tuple(insn))
        i = text.find(",", token)
    if len(ops) != length:
        raise TcExit("Parsed program length is less than encoded length parameter!\n"
                     + _BPF_PARSE_FAIL, 1)
    return tuple(ops)


def parse_bpf(args: list[str], read_file) -> dict:
    """bpf_parse_opt(): the program (bytecode / bytecode-file; eBPF objects are not
    loadable here), classid, direct-action, skip_hw/skip_sw, actions; what it sends."""
    out: dict = {"options": bool(args), "ops": (), "classid": 0, "direct": False,
                 "gen_flags": 0, "actions": []}
    seen_run = False
    while args:
        word = args[0]
        run = matches(word, "run")
        if run or not (matches(word, "classid") or matches(word, "flowid") or
                       matches(word, "direct-action") or matches(word, "da") or
                       matches(word, "skip_hw") or matches(word, "skip_sw") or
                       matches(word, "action") or matches(word, "police") or
                       matches(word, "help")):
            if run:
                args.pop(0)
                value = next_arg(args)
                if seen_run:
                    duparg("run", value)
                args.insert(0, value)
            elif seen_run:
                raise TcExit(f'What is "{word}"?\n' + BPF_USAGE, 1)
            seen_run = True
            out["ops"] = _bpf_do_parse(args, read_file)
            continue
        args.pop(0)
        if matches(word, "classid") or matches(word, "flowid"):
            value = next_arg(args)
            try:
                out["classid"] = get_tc_classid(value, "")
            except TcExit:
                raise TcExit('Illegal "classid"\n', 1) from None
        elif matches(word, "direct-action") or matches(word, "da"):
            out["direct"] = True
        elif matches(word, "skip_hw"):
            out["gen_flags"] |= 1
        elif matches(word, "skip_sw"):
            out["gen_flags"] |= 2
        elif matches(word, "action") or word == "police":
            if not args:
                next_arg(args)
            if word == "police":
                args.insert(0, "police")
            out["actions"] += _parse_actions(args)
        else:
            raise TcExit(BPF_USAGE, 1)
    if out["ops"] == "object":
        raise TcExit("mkdir /sys/fs/bpf/tc/ failed: No such file or directory\n"
                     "Continuing without mounted eBPF fs. Too old kernel?\n"
                     "Cannot initialize ELF context!\n"
                     "Unable to load program\n", 1)
    return out


def _bpf_do_parse(args: list[str], read_file) -> tuple | str:
    """bpf_do_parse(): the mode word, then its argument; an eBPF object cannot load."""
    word = args.pop(0)
    if matches(word, "bytecode") or word == "bc":
        mode = "bytecode"
    elif matches(word, "bytecode-file") or word == "bcf":
        mode = "file"
    elif matches(word, "object-file") or word == "obj" or \
            matches(word, "object-pinned") or matches(word, "pinned") or matches(word, "fd"):
        mode = "ebpf"
    else:
        raise TcExit(f'What mode is "{word}"?\n' + _BPF_PARSE_FAIL, 1)
    value = next_arg(args)
    if mode == "ebpf":
        # its section, program, export and verbose words; bpf_load_common() then
        # fails (no ELF object opens here: the recording machine's messages for a
        # file that is not there, whose bpffs is not mounted either)
        for key, takes in (("section", True), ("program", True), ("export", True),
                           ("verbose", False)):
            if args and (args[0] == key if key == "program" else matches(args[0], key)):
                args.pop(0)
                if takes:
                    next_arg(args)
        return "object"
    if mode == "file":
        text = read_file(value)
        if text is None:
            raise TcExit("Cannot fopen: No such file or directory\n" + _BPF_PARSE_FAIL, 1)
        text = _bpf_file_text(text)
    else:
        text = value
    ops = bpf_ops_parse(text)
    if ops is None:
        raise TcExit(_BPF_PARSE_FAIL, 1)
    return ops


# ------------------------------------------------------------------ estimator
EST_USAGE = ("Usage: ... estimator INTERVAL TIME-CONST\n"
             "  INTERVAL is interval between measurements\n"
             "  TIME-CONST is averaging time constant\n"
             "Example: ... est 1sec 8sec\n")


def tc_setup_estimator(a: int, time_const: int) -> tuple[int, int] | None:
    """tc_setup_estimator() (tc_estimator.c): the interval as a power of two of 250 ms
    (-2..3) and the EWMA's log, from the two times in microseconds."""
    interval = 0
    while interval <= 5:
        if a <= (1 << interval) * (TIME_UNITS_PER_SEC // 4):
            break
        interval += 1
    if interval > 5:
        return None
    interval -= 2
    ewma_log = 1
    while ewma_log < 32:
        w = 1.0 - 1.0 / (1 << ewma_log)
        if a / (-math.log(w)) > time_const:
            break
        ewma_log += 1
    ewma_log -= 1
    if ewma_log == 0 or ewma_log >= 31:
        return None
    return interval, ewma_log


def parse_estimator(args: list[str], err, seen: bool) -> tuple[int, int]:
    """parse_estimator() (m_estimator.c): INTERVAL and TIME-CONST (`help` prints the
    usage and goes on); invarg()'s two arguments the other way round, as in the
    source."""
    value = next_arg(args)
    if seen:
        duparg("estimator", value)
    if matches(value, "help"):
        err(EST_USAGE)
    a = get_time(value)
    if a is None:
        raise TcExit(invarg_text("estimator", "invalid estimator interval"), 255)
    value = next_arg(args)
    if matches(value, "help"):
        err(EST_USAGE)
    time_const = get_time(value)
    if time_const is None:
        raise TcExit(invarg_text("estimator", "invalid estimator time constant"), 255)
    est = tc_setup_estimator(a, time_const)
    if est is None:
        raise TcExit("Error: estimator parameters are out of range.\n", 255)
    return est


# ------------------------------------------------------------ the AQM qdiscs' words
# codel_parse_opt(), pie_parse_opt(), fq_parse_opt(), cake_parse_opt() (q_codel.c,
# q_pie.c, q_fq.c, q_cake.c): each word compared whole (strcmp), the value of one
# that takes a value checked, `help` or an unknown word its explain(); the recording
# kernel has none of these qdiscs, so only what tc refuses ever shows
CODEL_USAGE = ("Usage: ... codel [ limit PACKETS ] [ target TIME ]\n"
               "\t\t [ interval TIME ] [ ecn | noecn ]\n"
               "\t\t [ ce_threshold TIME ]\n")
PIE_USAGE = ("Usage: ... pie [ limit PACKETS ] [ target TIME ]\n"
             "               [ tupdate TIME ] [ alpha ALPHA ] [ beta BETA ]\n"
             "               [ bytemode | nobytemode ] [ ecn | noecn ]\n"
             "               [ dq_rate_estimator | no_dq_rate_estimator ]\n")
FQ_USAGE = ("Usage: ... fq\t[ limit PACKETS ] [ flow_limit PACKETS ]\n"
            "\t\t[ quantum BYTES ] [ initial_quantum BYTES ]\n"
            "\t\t[ maxrate RATE  ] [ buckets NUMBER ]\n"
            "\t\t[ [no]pacing ] [ refill_delay TIME ]\n"
            "\t\t[ low_rate_threshold RATE ]\n"
            "\t\t[ orphan_mask MASK]\n"
            "\t\t[ timer_slack TIME]\n"
            "\t\t[ ce_threshold TIME ]\n"
            "\t\t[ horizon TIME ]\n"
            "\t\t[ horizon_{cap|drop} ]\n")
CAKE_USAGE = (
    "Usage: ... cake [ bandwidth RATE | unlimited* | autorate-ingress ]\n"
    "                [ rtt TIME | datacentre | lan | metro | regional |\n"
    "                  internet* | oceanic | satellite | interplanetary ]\n"
    "                [ besteffort | diffserv8 | diffserv4 | diffserv3* ]\n"
    "                [ flowblind | srchost | dsthost | hosts | flows |\n"
    "                  dual-srchost | dual-dsthost | triple-isolate* ]\n"
    "                [ nat | nonat* ]\n"
    "                [ wash | nowash* ]\n"
    "                [ split-gso* | no-split-gso ]\n"
    "                [ ack-filter | ack-filter-aggressive | no-ack-filter* ]\n"
    "                [ memlimit LIMIT ]\n"
    "                [ fwmark MASK ]\n"
    "                [ ptm | atm | noatm* ] [ overhead N | conservative | raw* ]\n"
    "                [ mpu N ] [ ingress | egress* ]\n"
    "                (* marks defaults)\n")
HFSC_USAGE = "Usage: ... hfsc [ default CLASSID ]\n\n default: default class for unclassified packets\n"
DSMARK_USAGE = "Usage: dsmark indices INDICES [ default_index DEFAULT_INDEX ] [ set_tc_index ]\n"


def _unsigned(text: str) -> bool:
    return _get_u32(text, 0) is not None


def _pie_factor(text: str) -> bool:
    value = _get_u32(text, 0)
    return value is not None and value <= 32


def _rate_or_percent(text: str) -> bool:
    # a percentage is checked by the caller's get_percent_rate() (the device's speed)
    return "%" in text or get_rate64(text) is not None


def _strtol_range(lo: int, hi: int):
    def check(text: str) -> bool:
        return re.fullmatch(r"\s*[+-]?[0-9]+", text) is not None and lo <= int(text) <= hi
    return check


def _is_time(text: str) -> bool:
    return get_time(text) is not None


_AQM_WORDS = {
    "codel": ({"limit": _unsigned, "target": _is_time, "ce_threshold": _is_time,
               "interval": _is_time}, ("ecn", "noecn"), CODEL_USAGE),
    "pie": ({"limit": _unsigned, "target": _is_time, "tupdate": _is_time,
             "alpha": _pie_factor, "beta": _pie_factor},
            ("ecn", "noecn", "bytemode", "nobytemode", "dq_rate_estimator",
             "no_dq_rate_estimator"), PIE_USAGE),
    "fq": ({"limit": _unsigned, "flow_limit": _unsigned, "buckets": _unsigned,
            "maxrate": _rate_or_percent, "low_rate_threshold": lambda t: get_rate64(t)
            is not None, "ce_threshold": _is_time, "timer_slack": _is_time,
            "horizon": _is_time, "defrate": _rate_or_percent, "quantum": _unsigned,
            "initial_quantum": _unsigned, "orphan_mask": _unsigned,
            "refill_delay": _is_time},
           ("horizon_drop", "horizon_cap", "pacing", "nopacing"), FQ_USAGE),
    "cake": ({"bandwidth": lambda t: get_rate64(t) is not None, "rtt": _is_time,
              "overhead": _strtol_range(-64, 256), "mpu": _strtol_range(0, 256),
              "memlimit": lambda t: get_size(t) is not None,
              "fwmark": lambda t: _get_u32(t, 0) is not None},
             ("unlimited", "autorate-ingress", "datacentre", "lan", "metro", "regional",
              "internet", "oceanic", "satellite", "interplanetary", "besteffort",
              "precedence", "diffserv8", "diffserv4", "diffserv", "diffserv3", "nowash",
              "wash", "split-gso", "no-split-gso", "flowblind", "srchost", "dsthost",
              "hosts", "flows", "dual-srchost", "dual-dsthost", "triple-isolate", "nat",
              "nonat", "ptm", "atm", "noatm", "raw", "conservative", "ipoa-vcmux",
              "ipoa-llcsnap", "bridged-vcmux", "bridged-llcsnap", "pppoa-vcmux",
              "pppoa-llc", "pppoe-vcmux", "pppoe-llcsnap", "pppoe-ptm", "bridged-ptm",
              "via-ethernet", "ethernet", "ether-vlan", "docsis", "ingress", "egress",
              "no-ack-filter", "ack-filter", "ack-filter-aggressive"), CAKE_USAGE),
}
# the messages of a value each refuses (`Illegal "WORD"` unless named here)
_AQM_BAD = {("fq", "orphan_mask"): 'Illegal "initial_quantum"\n',
            ("fq", "timer_slack"): 'Illegal "timer_slack"\n',
            ("cake", "overhead"): 'Illegal "overhead", valid range is -64 to 256\\n',
            ("cake", "mpu"): 'Illegal "mpu", valid range is 0 to 256\\n'}


def _aqm(kind: str):
    values, flags, usage = _AQM_WORDS[kind]

    def parse(args: list[str], percent=None) -> list:
        while args:
            word = args.pop(0)
            if word in values:
                value = next_arg(args)
                if not values[word](value) or values[word] is _rate_or_percent and \
                        "%" in value and (percent is None or percent(value) is None):
                    if kind == "cake" and word in ("memlimit", "fwmark"):
                        raise TcExit(f'Illegal value for "{word}": "{value}"\n', 1)
                    raise TcExit(_AQM_BAD.get((kind, word), f'Illegal "{word}"\n'), 1)
            elif word in flags:
                continue
            elif word == "help":
                raise TcExit(usage, 1)
            else:
                raise TcExit(f'What is "{word}"?\n' + usage, 1)
        return []
    return parse


def _hfsc(args: list[str]) -> list:
    """hfsc_parse_opt(): `default CLASSID` (hex) once."""
    defcls = 0
    while args:
        word = args.pop(0)
        if matches(word, "default"):
            value = next_arg(args)
            if defcls:
                raise TcExit('HFSC: Double "default"\n', 1)
            number = _get_u32(value, 16)
            if number is None or number > 0xFFFF:
                raise TcExit('HFSC: Illegal "default"\n', 1)
            defcls = number
        elif matches(word, "help"):
            raise TcExit(HFSC_USAGE, 1)
        else:
            raise TcExit(f'HFSC: What is "{word}" ?\n' + HFSC_USAGE, 1)
    return []


def _dsmark(args: list[str]) -> list:
    """dsmark_parse_opt(): indices (required), default_index, set_tc_index; any
    fault is its one-line usage."""
    indices = 0
    while args:
        word = args.pop(0)
        if word in ("indices", "default_index", "default"):
            value = next_arg(args)
            m = re.fullmatch(r"\s*[+-]?(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)", value)
            if m is None:
                raise TcExit(DSMARK_USAGE, 1)
            if word == "indices":
                indices = int(value, 0) & 0xFFFF if value.strip() not in ("0x", "0X") else 0
        elif word != "set_tc_index":
            raise TcExit(DSMARK_USAGE, 1)
    if not indices:
        raise TcExit(DSMARK_USAGE, 1)
    return []


for _kind in _AQM_WORDS:
    QDISC_PARSERS.setdefault(_kind, _aqm(_kind))
QDISC_PARSERS.setdefault("hfsc", _hfsc)
QDISC_PARSERS.setdefault("dsmark", _dsmark)
