"""`encap TYPE ...` of ip route (iproute2 ip/iproute_lwtunnel.c lwt_parse_encap()):
the words each type's parser takes, compared whole (strcmp) as iproute2 does; the
first word a parser does not know goes back to iproute_modify()."""
from __future__ import annotations

import ipaddress

from ipemu.errors import CommandError
from ipemu.kernel.lwtunnel import (SEG6_FLAVORS, SEG6_LOCAL_ACTIONS, SEG6_MODES, TUNNEL_CSUM,
                                   TUNNEL_KEY, TUNNEL_SEQ, LwtEncap)
from ipemu.render.names import table_a2n
from ipemu.tools.ip_rule import dsfield_a2n
from ipemu.tools.ipargs import (EXIT_ARG, _strtoul0, duparg2, get_addr, incomplete_command,
                                invarg, missarg)

# read_encap_type()'s names, in LWTUNNEL_ENCAP_* order (encap_type_usage() lists them)
ENCAP_TYPES = ("mpls", "ip", "ila", "ip6", "seg6", "bpf", "seg6local", "rpl", "ioam6", "xfrm")
_NOT_SIMULATED = ()


class _Words:
    """argv from a position, with NEXT_ARG() (incomplete command past the end)."""

    def __init__(self, argv: list[str], i: int):
        self.argv, self.i = argv, i

    @property
    def cur(self) -> str:
        return str(self.argv[self.i])

    def more(self) -> bool:
        return self.i < len(self.argv)

    def next_arg(self) -> str:
        self.i += 1
        if self.i >= len(self.argv):
            raise incomplete_command()
        return str(self.argv[self.i])


def parse_encap(argv: list[str], i: int) -> tuple[LwtEncap, int, dict]:
    """lwt_parse_encap() at argv[i] == "encap": the request's encap, the index of the
    first word left to iproute_modify(), and device names to look up (iif, oif)."""
    w = _Words(argv, i)
    name = w.next_arg()
    if name == "help":
        usage = "Usage: ip route ... encap TYPE [ OPTIONS ] [...]\n" + "".join(
            f"{t} {'TYPE := ' if n == 0 else '      '}\n" for n, t in enumerate(ENCAP_TYPES))
        raise CommandError(usage, EXIT_ARG)
    if name not in ENCAP_TYPES:
        raise invarg('"encap type" value is invalid\n', name)
    w.next_arg()
    if w.i == len(argv) - 1:
        raise CommandError('Error: unexpected end of line after "encap"\n', EXIT_ARG)
    parser = {"seg6": _seg6, "seg6local": _seg6local, "ip": _ip, "ip6": _ip,
              "mpls": _mpls, "ioam6": _ioam6, "rpl": _rpl, "ila": _ila, "xfrm": _xfrm,
              "bpf": _bpf}[name]
    devices: dict = {}
    encap = parser(w, name, devices)
    return encap, w.i, devices


def _once(seen: set, key: str, value: str) -> None:
    if key in seen:
        raise duparg2(key, value)
    seen.add(key)


def parse_srh(segbuf: str, hmac: int, encap: bool) -> tuple:
    """parse_srh(): one segment per comma-separated field (one more, left ::, when
    the SRH is inline), given in order from segments[first_segment] down; the
    segments as segments[0..first_segment]."""
    nsegs = segbuf.count(",") + 1 + (0 if encap else 1)
    segs = [ipaddress.IPv6Address(0)] * nsegs
    at = nsegs - 1
    for text in (t for t in segbuf.split(",") if t):      # strtok(): no empty fields
        segs[at] = get_addr(text, 6).address
        at -= 1
    return tuple(segs)


def _seg6(w: _Words, _name: str, _devices: dict) -> LwtEncap:
    """parse_encap_seg6(): mode, segs (after mode), hmac."""
    seen: set = set()
    mode, segbuf, hmac = -1, "", 0
    while w.more():
        word = w.cur
        if word == "mode":
            value = w.next_arg()
            _once(seen, "mode", value)
            if value not in SEG6_MODES:
                raise invarg('"mode" value is invalid\n', value)
            mode = SEG6_MODES.index(value)
        elif word == "segs":
            value = w.next_arg()
            _once(seen, "segs", value)
            if mode == -1:
                raise invarg('"segs" provided before "mode"\n', value)
            segbuf = value
        elif word == "hmac":
            value = w.next_arg()
            _once(seen, "hmac", value)
            hmac = _strtoul0(value) or 0      # get_u32(), its failure not checked
        else:
            break
        w.i += 1
    # parse_srh()'s `encap` is the mode as an int: only inline (0) is false
    return LwtEncap("seg6", mode=mode, segs=parse_srh(segbuf, hmac, mode != 0),
                    hmac=hmac & 0xFFFFFFFF)


def _seg6local(w: _Words, _name: str, devices: dict) -> LwtEncap:
    """parse_encap_seg6local()."""
    seen: set = set()
    fields: dict = {}
    action = None
    segbuf, hmac, srh = "", 0, False
    while w.more():
        word = w.cur
        if word == "action":
            value = w.next_arg()
            _once(seen, "action", value)
            if value not in SEG6_LOCAL_ACTIONS[1:]:
                raise invarg('"action" value is invalid\n', value)
            action = value
        elif word in ("table", "vrftable"):
            value = w.next_arg()
            _once(seen, word, value)
            table = table_a2n(value)
            if table is None:
                raise invarg("invalid table id\n" if word == "table"
                             else "invalid vrf table id\n", value)
            fields[word] = table
        elif word in ("nh4", "nh6"):
            value = w.next_arg()
            _once(seen, word, value)
            fields[word] = get_addr(value, 4 if word == "nh4" else 6).address
        elif word in ("iif", "oif"):
            value = w.next_arg()
            _once(seen, word, value)
            devices[word] = value           # ll_name_to_index(): looked up by modify()
        elif word == "count":
            _once(seen, "count", word)
            fields["count"] = True
        elif word == "flavors":
            value = w.next_arg()
            _once(seen, "flavors", value)
            fields["flavors"] = _flavors(value)
            if fields["flavors"] & (1 << SEG6_FLAVORS.index("next-csid")):
                _next_csid_lengths(w, fields)
        elif word == "srh":
            value = w.next_arg()
            _once(seen, "srh", value)
            if value != "segs":
                raise invarg('missing "segs" attribute for srh\n', value)
            value = w.next_arg()
            _once(seen, "segs", value)
            segbuf, srh = value, True
            if w.i + 1 >= len(w.argv):
                break       # !NEXT_ARG_OK(): the segments' word is left to the caller
            w.i += 1
            if w.cur != "hmac":
                continue
            value = w.next_arg()
            _once(seen, "hmac", value)
            hmac = _strtoul0(value) or 0
        elif word == "endpoint":
            # lwt_parse_bpf(SEG6_LOCAL_BPF): bpf_parse_and_load_common() cannot load a
            # program here; its error, then exit(-1) (recorded)
            from ipemu.tools.bpf_parse import bpf_parse_error
            w.next_arg()
            raise CommandError(bpf_parse_error(w.argv, w.i, None) +
                               "Failed to parse eBPF program: Operation not permitted\n",
                               EXIT_ARG)
        else:
            break
        w.i += 1
    if action is None:
        raise CommandError("Missing action type\n", EXIT_ARG)
    segs = parse_srh(segbuf, hmac, action == "End.B6.Encaps") if srh else ()
    return LwtEncap("seg6local", action=action, segs=segs, hmac=hmac if srh else 0, srh=srh,
                    **fields)


def _next_csid_lengths(w: _Words, fields: dict) -> None:
    """seg6local_parse_flavors() after a flavor set with next-csid: `lblen` then
    `nflen` may follow, in that order only (get_u8(): a number up to 255, any base);
    a word that is neither goes back to the behaviour's loop."""
    for word, what in (("lblen", "locator-block length"),
                       ("nflen", "locator-node function length")):
        if w.i + 1 < len(w.argv) and w.argv[w.i + 1] == word:
            w.i += 1
            value = w.next_arg()
            number = _strtoul0(value)
            if number is None or number > 0xFF:
                raise invarg(f'"{what}" value is invalid\n', value)
            fields[word] = number


def _flavors(text: str) -> int:
    """parse_seg6local_flavors(): comma-separated names (any case), none twice."""
    mask = 0
    names = [n for n in text.split(",") if n]
    if not names:
        raise invarg('invalid "flavors" attribute\n', text)
    for name in names:
        index = next((i for i, f in enumerate(SEG6_FLAVORS) if f and f == name.lower()),
                     None)
        if index is None or mask & (1 << index):
            raise invarg('invalid "flavors" attribute\n', text)
        mask |= 1 << index
    return mask


def _ip(w: _Words, name: str, _devices: dict) -> LwtEncap:
    """parse_encap_ip() / parse_encap_ip6(): id, dst, src, tos (tc), ttl (hoplimit),
    key, csum, seq."""
    family = 4 if name == "ip" else 6
    tos_word, ttl_word = ("tos", "ttl") if family == 4 else ("tc", "hoplimit")
    seen: set = set()
    fields: dict = {}
    flags = 0
    while w.more():
        word = w.cur
        if word == "id":
            value = w.next_arg()
            _once(seen, "id", value)
            number = _strtoul0(value)
            if number is None or number > 0xFFFFFFFFFFFFFFFF:
                raise invarg('"id" value is invalid\n', value)
            fields["id"] = number
        elif word in ("dst", "src"):
            value = w.next_arg()
            _once(seen, word, value)
            fields[word] = get_addr(value, family).address
        elif word == tos_word:
            value = w.next_arg()
            _once(seen, tos_word, value)
            tos = dsfield_a2n(value)
            if tos is None:
                raise invarg(f'"{tos_word}" value is invalid\n', value)
            fields["tos"] = tos
        elif word == ttl_word:
            value = w.next_arg()
            _once(seen, ttl_word, value)
            ttl = _strtoul0(value)
            if ttl is None or ttl > 255:
                raise invarg(f'"{ttl_word}" value is invalid\n', value)
            fields["ttl"] = ttl
        elif word in ("key", "csum", "seq"):
            _once(seen, word, word)
            flags |= {"key": TUNNEL_KEY, "csum": TUNNEL_CSUM, "seq": TUNNEL_SEQ}[word]
        elif word in ("geneve_opts", "vxlan_opts", "erspan_opts"):
            raise CommandError(f"ipemu: `encap {name} ... {word}` is not simulated yet\n", 1)
        else:
            break
        w.i += 1
    return LwtEncap(name, flags=flags, **fields)


def _mpls(w: _Words, _name: str, _devices: dict) -> LwtEncap:
    """parse_encap_mpls(): a label stack (LABEL/LABEL...), then ttl."""
    text = w.cur
    labels = text.split("/")
    if not all(label.isdigit() and int(label) < 1 << 20 for label in labels):
        # get_addr(.., AF_MPLS) exits first with its own text
        raise CommandError(f'Error: mpls address is expected rather than "{text}".\n', 1)
    w.i += 1
    seen: set = set()
    while w.more() and w.cur == "ttl":
        value = w.next_arg()
        _once(seen, "ttl", value)
        ttl = _strtoul0(value)
        if ttl is None or ttl > 255:
            raise invarg('"ttl" value is invalid\n', value)
        w.i += 1
    return LwtEncap("mpls")


# include/uapi/linux/ioam6_iptunnel.h and ioam6.h: the frequency bounds, the modes
# (IOAM6_IPTUNNEL_MODE_*, from 1) and the largest pre-allocated trace
IOAM6_FREQ_MIN, IOAM6_FREQ_MAX = 1, 1000000
IOAM6_MODES = (None, "inline", "encap", "auto")
IOAM6_TRACE_DATA_SIZE_MAX = 244


def _u32_dec(text: str) -> int | None:
    """get_u32(.., 10)."""
    return int(text) if text.isascii() and text.isdigit() and int(text) <= 0xFFFFFFFF else None


def _ioam6_freq(text: str) -> tuple[int, int] | None:
    """parse_ioam6_freq(): exactly one '/', a decimal on each side (strtok(): an
    empty side leaves one token only)."""
    if text.count("/") != 1:
        return None
    parts = [t for t in text.split("/") if t]
    if len(parts) != 2:
        return None
    k, n = _u32_dec(parts[0]), _u32_dec(parts[1])
    return None if k is None or n is None else (k, n)


def _ioam6(w: _Words, _name: str, _devices: dict) -> LwtEncap:
    """parse_encap_ioam6() (iproute2 6.1): [freq K/N] [mode MODE] [tundst ADDR] then
    `trace prealloc` with type, ns and size in any order, each required. Its loop
    steps with NEXT_ARG_FWD(), so at the end of the line the last word it read is the
    one handed back (iproute_modify() reads it again)."""
    if w.cur == "freq":
        text = w.next_arg()
        if len(text) > 15:
            raise invarg("Invalid frequency (too long)", text)
        freq = _ioam6_freq(text)
        if freq is None:
            raise invarg("Invalid frequency (malformed)", text)
        k, n = freq
        if not IOAM6_FREQ_MIN <= k <= IOAM6_FREQ_MAX:
            raise invarg('Out of bound "k" frequency', text)
        if not IOAM6_FREQ_MIN <= n <= IOAM6_FREQ_MAX:
            raise invarg('Out of bound "n" frequency', text)
        if k > n:
            raise invarg("Frequency with k > n is forbidden", text)
        w.next_arg()
    mode = 1
    if w.cur == "mode":
        text = w.next_arg()
        if text not in IOAM6_MODES[1:]:
            raise invarg("Invalid mode", text)
        mode = IOAM6_MODES.index(text)
        w.next_arg()
    if w.cur != "tundst":
        if mode != 1:
            raise missarg("tundst")
    else:
        if mode == 1:
            raise invarg("Inline mode does not need tundst", w.cur)
        get_addr(w.next_arg(), 6)
        w.next_arg()
    if w.cur != "trace":
        raise missarg("trace")
    if w.next_arg() != "prealloc":
        raise missarg("prealloc")
    seen: dict = {}
    while w.i + 1 < len(w.argv):                # NEXT_ARG_OK(), NEXT_ARG_FWD()
        w.i += 1
        word = w.cur
        if word not in ("type", "ns", "size"):
            break
        text = w.next_arg()
        if word in seen:
            raise duparg2(word, text)
        value = _strtoul0(text)
        if word == "type":
            if value is None or value > 0xFFFFFFFF or not value:
                raise invarg("Invalid trace type", text)
        elif word == "ns":
            if value is None or value > 0xFFFF:
                raise invarg("Invalid namespace ID", text)
        else:
            if value is None or value > 0xFFFF or not value:
                raise invarg("Invalid trace size", text)
            if value % 4:
                raise invarg("Trace size must be a 4-octet multiple", text)
            if value > IOAM6_TRACE_DATA_SIZE_MAX:
                raise invarg("Trace size is too big", text)
        seen[word] = value
    for word in ("type", "ns", "size"):
        if word not in seen:
            raise missarg(word)
    return LwtEncap("ioam6")


def _rpl(w: _Words, _name: str, _devices: dict) -> LwtEncap:
    """parse_encap_rpl(): `segs` once (parse_rpl_srh(): each comma-separated field an
    IPv6 address, get_addr()'s error otherwise); the first other word goes back."""
    seen: set = set()
    while w.more() and w.cur == "segs":
        value = w.next_arg()
        _once(seen, "segs", value)
        for text in (t for t in value.split(",") if t):
            get_addr(text, 6)
        w.i += 1
    return LwtEncap("rpl")


# ila_common.h's names: csum modes, the identifier types the kernel can be given,
# the hooks
ILA_CSUM_MODES = ("adj-transport", "neutral-map", "neutral-map-auto", "no-action")
ILA_IDENT_TYPES = ("luid", "use-format")
ILA_HOOK_TYPES = ("output", "input")


def _addr64(text: str) -> bool:
    """get_addr64(): one to four groups of hex digits (strtoul(.., 16), each up to
    0xffff) separated by ':'."""
    parts = text.split(":")
    if len(parts) > 4:
        return False
    for part in parts:
        digits = part.lstrip(" \t\n\v\f\r")
        digits = digits[1:] if digits[:1] in ("+", "-") else digits
        digits = digits[2:] if digits[:2].lower() == "0x" else digits
        if not digits or any(c not in "0123456789abcdefABCDEF" for c in digits) or \
                int(digits, 16) > 0xFFFF:
            return False
    return True


def _ila(w: _Words, _name: str, _devices: dict) -> LwtEncap:
    """parse_encap_ila(): the locator (get_addr64(): `Bad locator`, exit 1), then
    csum-mode, ident-type and hook-type by their names (compared whole)."""
    if not _addr64(w.cur):
        raise CommandError(f"Bad locator: {w.cur}\n", 1)
    w.i += 1
    tables = {"csum-mode": ILA_CSUM_MODES, "ident-type": ILA_IDENT_TYPES,
              "hook-type": ILA_HOOK_TYPES}
    while w.more() and w.cur in tables:
        word = w.cur
        value = w.next_arg()
        if value not in tables[word]:
            raise invarg(f'"{word}" value is invalid\n', value)
        w.i += 1
    return LwtEncap("ila")


def _xfrm(w: _Words, _name: str, devices: dict) -> LwtEncap:
    """parse_encap_xfrm(): if_id (required, non-zero) and link_dev; its loop steps
    over any other word too, so the rest of the line is its own (a `dev` after it is
    never read)."""
    usage = "Usage: ip route ... encap xfrm if_id IF_ID [ link_dev LINK ]\n"
    seen: set = set()
    while w.more():
        word = w.cur
        if word == "if_id":
            value = w.next_arg()
            _once(seen, "if_id", value)
            if_id = _strtoul0(value)
            if if_id is None or if_id > 0xFFFFFFFF or if_id == 0:
                raise invarg('"if_id" value is invalid\n', value)
        elif word == "link_dev":
            value = w.next_arg()
            _once(seen, "link_dev", value)
            devices["xfrm_link"] = value    # ll_name_to_index(): exit(nodev())
        elif word == "help":
            raise CommandError(usage, EXIT_ARG)
        w.i += 1
    if "if_id" not in seen:
        raise CommandError(usage, EXIT_ARG)
    return LwtEncap("xfrm")


def _bpf(w: _Words, _name: str, _devices: dict) -> LwtEncap:
    """parse_encap_bpf(): in, out and xmit each take a program (lwt_parse_bpf() ->
    bpf_parse_and_load_common(), which cannot load one here: its error, then
    `Failed to parse eBPF program` with strerror() of its -1), headroom (non-zero;
    the first one counts); NEXT_ARG_FWD() after each."""
    usage = ("Usage: ip route ... encap bpf [ in BPF ] [ out BPF ] [ xmit BPF ] [...]\n"
             "BPF := obj FILE [ section NAME ] [ verbose ]\n")
    from ipemu.tools.bpf_parse import bpf_parse_error
    while w.more():
        word = w.cur
        if word in ("in", "out", "xmit"):
            w.next_arg()
            raise CommandError(bpf_parse_error(w.argv, w.i, None) +
                               "Failed to parse eBPF program: Operation not permitted\n",
                               EXIT_ARG)
        if word == "headroom":
            value = w.next_arg()
            headroom = _strtoul0(value)
            if headroom is None or headroom > 0xFFFFFFFF or headroom == 0:
                raise invarg("headroom is invalid\n", value)
        elif word == "help":
            raise CommandError(usage, EXIT_ARG)
        else:
            break
        w.i += 1
    return LwtEncap("bpf")
