"""`ip xfrm` (iproute2 ip/ipxfrm.c, ip/xfrm_policy.c, ip/xfrm_state.c,
ip/xfrm_monitor.c): policies over the kernel's SPD (ipemu/kernel/xfrm.py), states
parsed as iproute2 parses them and refused as this kernel refuses them (it has the
algorithms but no esp4/ah4/ipcomp types), and a monitor that waits for its signal.

Parsing keeps iproute2's cursor habits (NEXT_ARG, PREV_ARG, NEXT_ARG_OK, and the
`argc == *argcp` test for "nothing read"), since its error messages depend on them.
"""
from __future__ import annotations

import os
import time

from ipemu.errors import CommandError
from ipemu.kernel import xfrm as kx
from ipemu.kernel.errors import KernelError
from ipemu.process import Process
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import EXIT_ARG, _strtoul0, duparg, duparg2, get_addr, \
    get_prefix, incomplete_command, invarg, matches, missarg

XFRM_USAGE = ("Usage: ip xfrm XFRM-OBJECT { COMMAND | help }\n"
              "where  XFRM-OBJECT := state | policy | monitor\n")

_PROTO_TAIL = ("SELECTOR := [ src ADDR[/PLEN] ] [ dst ADDR[/PLEN] ] [ dev DEV ] [ UPSPEC ]\n"
               "UPSPEC := proto { { tcp | udp | sctp | dccp } [ sport PORT ] [ dport PORT ] |\n"
               "                  { icmp | ipv6-icmp | mobility-header } [ type NUMBER ] [ code NUMBER ] |\n"
               "                  gre [ key { DOTTED-QUAD | NUMBER } ] | PROTO }\n")
_LIMIT_TAIL = ("LIMIT-LIST := [ LIMIT-LIST ] limit LIMIT\n"
               "LIMIT := { time-soft | time-hard | time-use-soft | time-use-hard } SECONDS |\n"
               "         { byte-soft | byte-hard } SIZE | { packet-soft | packet-hard } COUNT\n")

# xfrm_policy.c usage()
POLICY_USAGE = (
    "Usage: ip xfrm policy { add | update } SELECTOR dir DIR [ ctx CTX ]\n"
    "\t[ mark MARK [ mask MASK ] ] [ index INDEX ] [ ptype PTYPE ]\n"
    "\t[ action ACTION ] [ priority PRIORITY ] [ flag FLAG-LIST ]\n"
    "\t[ if_id IF_ID ] [ LIMIT-LIST ] [ TMPL-LIST ]\n"
    "Usage: ip xfrm policy { delete | get } { SELECTOR | index INDEX } dir DIR\n"
    "\t[ ctx CTX ] [ mark MARK [ mask MASK ] ] [ ptype PTYPE ]\n"
    "\t[ if_id IF_ID ]\n"
    "Usage: ip xfrm policy { deleteall | list } [ nosock ] [ SELECTOR ] [ dir DIR ]\n"
    "\t[ index INDEX ] [ ptype PTYPE ] [ action ACTION ] [ priority PRIORITY ]\n"
    "\t[ flag FLAG-LIST ]\n"
    "Usage: ip xfrm policy flush [ ptype PTYPE ]\n"
    "Usage: ip xfrm policy count\n"
    "Usage: ip xfrm policy set [ hthresh4 LBITS RBITS ] [ hthresh6 LBITS RBITS ]\n"
    "Usage: ip xfrm policy setdefault DIR ACTION [ DIR ACTION ] [ DIR ACTION ]\n"
    "Usage: ip xfrm policy getdefault\n"
    + _PROTO_TAIL +
    "DIR := in | out | fwd\n"
    "PTYPE := main | sub\n"
    "ACTION := allow | block\n"
    "FLAG-LIST := [ FLAG-LIST ] FLAG\n"
    "FLAG := localok | icmp\n"
    + _LIMIT_TAIL +
    "TMPL-LIST := [ TMPL-LIST ] tmpl TMPL\n"
    "TMPL := ID [ mode MODE ] [ reqid REQID ] [ level LEVEL ]\n"
    "ID := [ src ADDR ] [ dst ADDR ] [ proto XFRM-PROTO ] [ spi SPI ]\n"
    "XFRM-PROTO := esp | ah | comp | route2 | hao\n"
    "MODE := transport | tunnel | beet | ro | in_trigger\n"
    "LEVEL := required | use\n")

# xfrm_state.c usage()
STATE_USAGE = (
    "Usage: ip xfrm state { add | update } ID [ ALGO-LIST ] [ mode MODE ]\n"
    "        [ mark MARK [ mask MASK ] ] [ reqid REQID ] [ seq SEQ ]\n"
    "        [ replay-window SIZE ] [ replay-seq SEQ ] [ replay-oseq SEQ ]\n"
    "        [ replay-seq-hi SEQ ] [ replay-oseq-hi SEQ ]\n"
    "        [ flag FLAG-LIST ] [ sel SELECTOR ] [ LIMIT-LIST ] [ encap ENCAP ]\n"
    "        [ coa ADDR[/PLEN] ] [ ctx CTX ] [ extra-flag EXTRA-FLAG-LIST ]\n"
    "        [ offload [dev DEV] dir DIR ]\n"
    "        [ output-mark OUTPUT-MARK [ mask MASK ] ]\n"
    "        [ if_id IF_ID ] [ tfcpad LENGTH ]\n"
    "Usage: ip xfrm state allocspi ID [ mode MODE ] [ mark MARK [ mask MASK ] ]\n"
    "        [ reqid REQID ] [ seq SEQ ] [ min SPI max SPI ]\n"
    "Usage: ip xfrm state { delete | get } ID [ mark MARK [ mask MASK ] ]\n"
    "Usage: ip xfrm state deleteall [ ID ] [ mode MODE ] [ reqid REQID ]\n"
    "        [ flag FLAG-LIST ]\n"
    "Usage: ip xfrm state list [ nokeys ] [ ID ] [ mode MODE ] [ reqid REQID ]\n"
    "        [ flag FLAG-LIST ]\n"
    "Usage: ip xfrm state flush [ proto XFRM-PROTO ]\n"
    "Usage: ip xfrm state count\n"
    "ID := [ src ADDR ] [ dst ADDR ] [ proto XFRM-PROTO ] [ spi SPI ]\n"
    "XFRM-PROTO := esp | ah | comp | route2 | hao\n"
    "ALGO-LIST := [ ALGO-LIST ] ALGO\n"
    "ALGO := { enc | auth } ALGO-NAME ALGO-KEYMAT |\n"
    "        auth-trunc ALGO-NAME ALGO-KEYMAT ALGO-TRUNC-LEN |\n"
    "        aead ALGO-NAME ALGO-KEYMAT ALGO-ICV-LEN |\n"
    "        comp ALGO-NAME\n"
    "MODE := transport | tunnel | beet | ro | in_trigger\n"
    "FLAG-LIST := [ FLAG-LIST ] FLAG\n"
    "FLAG := noecn | decap-dscp | nopmtudisc | wildrecv | icmp | af-unspec | align4 | esn\n"
    "EXTRA-FLAG-LIST := [ EXTRA-FLAG-LIST ] EXTRA-FLAG\n"
    "EXTRA-FLAG := dont-encap-dscp | oseq-may-wrap\n"
    + _PROTO_TAIL + _LIMIT_TAIL +
    "ENCAP := { espinudp | espinudp-nonike | espintcp } SPORT DPORT OADDR\n"
    "DIR := in | out\n")

MONITOR_USAGE = ("Usage: ip xfrm monitor [ nokeys ] [ all-nsid ] [ all | OBJECTS | help ]\n"
                 "OBJECTS := { acquire | expire | SA | aevent | policy | report }\n")

# ipxfrm.c xfrmproto_types[]
XFRMPROTO = {"esp": 50, "ah": 51, "comp": 108, "route2": 43, "hao": 60, "ipsec-any": 255}
XFRMPROTO_NAME = {v: k for k, v in XFRMPROTO.items()}
MODES = ((kx.XFRM_MODE_TRANSPORT, "transport"), (kx.XFRM_MODE_TUNNEL, "tunnel"),
         (kx.XFRM_MODE_ROUTEOPTIMIZATION, "ro"), (kx.XFRM_MODE_IN_TRIGGER, "in_trigger"),
         (kx.XFRM_MODE_BEET, "beet"))
DIRS = {"in": kx.XFRM_POLICY_IN, "out": kx.XFRM_POLICY_OUT, "fwd": kx.XFRM_POLICY_FWD}
DIR_NAMES = {v: k for k, v in DIRS.items()}
SHARES = {0: "any", 1: "session", 2: "user", 3: "unique"}
IPPROTO_TCP, IPPROTO_UDP, IPPROTO_DCCP, IPPROTO_SCTP = 6, 17, 33, 132
IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_GRE, IPPROTO_MH = 1, 58, 47, 135
LIMITS = ("time-soft", "soft_add_expires_seconds"), ("time-hard", "hard_add_expires_seconds"), \
    ("time-use-soft", "soft_use_expires_seconds"), \
    ("time-use-hard", "hard_use_expires_seconds"), ("byte-soft", "soft_byte_limit"), \
    ("byte-hard", "hard_byte_limit"), ("packet-soft", "soft_packet_limit"), \
    ("packet-hard", "hard_packet_limit")
LIMIT_FIELDS = dict(LIMITS)

# the algorithms xfrm_find_algo() finds on this kernel (crypto_has_alg() of each
# entry of net/xfrm/xfrm_algo.c's tables, by name or compat name): recorded
# probes; every AEAD is missing. Values: the ICV's full bits (auth), else 0
ALGOS = {
    "auth": {"hmac(md5)": 128, "md5": 128, "hmac(sha1)": 160, "sha1": 160,
             "hmac(sha256)": 256, "sha256": 256, "hmac(sha384)": 384, "sha384": 384,
             "hmac(sha512)": 512, "sha512": 512, "digest_null": 0},
    "enc": {"cbc(aes)": 0, "aes": 0, "rfc3686(ctr(aes))": 0, "ecb(cipher_null)": 0,
            "cipher_null": 0},
    "comp": {"deflate": 0},
    "aead": {},
}
ALGO_TYPES = ("enc", "auth", "comp", "aead", "auth-trunc")


def _proto_names() -> dict[int, str]:
    """getprotobynumber(): the first name /etc/protocols gives a number."""
    from ipemu.tcpdump.names import PROTO_BY_NAME
    names: dict[int, str] = {}
    for name, number in PROTO_BY_NAME.items():
        names.setdefault(number, name)
    return names


def strxf_proto(proto: int) -> str:
    return _proto_names().get(proto, str(proto))


def _hex(value: int) -> str:
    """printf's %#x: no 0x for zero."""
    return f"{value:#x}" if value else "0"


def get_uint(text: str, bits: int, base: int = 0) -> int | None:
    """get_u8/get_u16/get_u32/get_u64(): strtoul() of the whole word, within range."""
    if base == 16:
        try:
            value = int(text, 16) if text and text.strip() == text and \
                text.lstrip("+-")[:1] != "" and "_" not in text else None
        except ValueError:
            value = None
    else:
        value = _strtoul0(text)
    if value is None or value < 0 or value >= 1 << bits:
        return None
    return value


class Cursor:
    """argc/argv as iproute2 walks them: NEXT_ARG, PREV_ARG, NEXT_ARG_OK."""

    def __init__(self, argv: list[str], start: int = 0):
        self.argv = argv
        self.i = start

    @property
    def argc(self) -> int:
        return len(self.argv) - self.i

    @property
    def cur(self) -> str:
        return self.argv[self.i]

    def next(self) -> str:
        self.i += 1
        if self.argc <= 0:
            raise incomplete_command()
        return self.cur

    def next_ok(self) -> bool:
        return self.argc - 1 > 0

    def prev(self) -> None:
        self.i -= 1


class XfrmParser:
    """The parsers of ipxfrm.c over one command line, with preferred_family."""

    def __init__(self, ctx: ToolContext, opts: IpOptions, argv: list[str]):
        self.ctx = ctx
        self.args = Cursor(argv)
        self.family = opts.family if opts.family in (4, 6) else 0
        self.filter: dict = {}

    # ------------------------------------------------------------ selector
    def selector(self, sel: kx.XfrmSelector) -> None:
        """xfrm_selector_parse()."""
        a = self.args
        start, src_family, dst_family, upspec = a.argc, 0, 0, False
        while True:
            word = a.cur
            if word in ("src", "dst"):
                pfx = get_prefix(a.next(), self.family)
                sel.family = pfx.family
                if word == "src":
                    sel.saddr, sel.prefixlen_s, src_family = int(pfx.address), pfx.bitlen, pfx.family
                    self.filter["sel_src_mask"] = pfx.bitlen
                else:
                    sel.daddr, sel.prefixlen_d, dst_family = int(pfx.address), pfx.bitlen, pfx.family
                    self.filter["sel_dst_mask"] = pfx.bitlen
            elif word == "dev":
                name = a.next()
                if name == "none":
                    sel.ifindex = 0
                else:
                    from ipemu.tools.ip_link import ll_name_to_index
                    dev = ll_name_to_index(self.ctx.netns, name)
                    if dev is None:
                        raise invarg("DEV value is invalid", name)
                    sel.ifindex = dev.ifindex
                self.filter["sel_dev_mask"] = True
            elif upspec:
                a.prev()
                break
            else:
                upspec = True
                self.upspec(sel)
            if not a.next_ok():
                break
            a.next()
        if src_family and dst_family and src_family != dst_family:
            raise invarg('the same address family is required between values after "src" '
                         'and "dst"', a.cur)
        if a.argc == start:
            raise missarg("SELECTOR")

    def upspec(self, sel: kx.XfrmSelector) -> None:
        """xfrm_selector_upspec_parse()."""
        a = self.args
        start = a.argc
        ports = types = grekey = False
        while True:
            word = a.cur
            if word == "proto":
                value = a.next()
                if value == "any":
                    sel.proto = 0
                else:
                    from ipemu.tcpdump.names import PROTO_BY_NAME
                    number = PROTO_BY_NAME.get(value)
                    if number is None:
                        number = get_uint(value, 8)
                        if number is None:
                            raise invarg("PROTO value is invalid", value)
                    sel.proto = number
                self.filter["upspec_proto_mask"] = True
            elif word in ("sport", "dport"):
                ports = True
                value = a.next()
                port = get_uint(value, 16)
                if port is None:
                    raise invarg(f'value after "{word}" is invalid', value)
                setattr(sel, word, port)
                if port:
                    setattr(sel, word + "_mask", 0xFFFF)
                self.filter[f"upspec_{word}_mask"] = True
            elif word in ("type", "code"):
                types = True
                value = a.next()
                number = get_uint(value, 16)
                if number is None or number & ~0xFF:
                    raise invarg(f'value after "{word}" is invalid', value)
                which = "sport" if word == "type" else "dport"
                setattr(sel, which, number)
                setattr(sel, which + "_mask", 0xFFFF)
                self.filter[f"upspec_{which}_mask"] = True
            elif word == "key":
                grekey = True
                value = a.next()
                if "." in value:
                    key = int(get_addr(value, 4).address)
                else:
                    key = get_uint(value, 32)
                    if key is None:
                        raise CommandError('value after "key" is invalid\n', EXIT_ARG)
                sel.sport, sel.dport = key >> 16, key & 0xFFFF
                sel.sport_mask = sel.dport_mask = 0xFFFF
                self.filter["upspec_dport_mask"] = True
            else:
                a.prev()
                break
            if not a.next_ok():
                break
            a.next()
        if a.argc == start:
            raise missarg("UPSPEC")
        name = strxf_proto(sel.proto)
        if ports and sel.proto not in (IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_DCCP, 0):
            raise CommandError(f'"sport" and "dport" are invalid with PROTO value "{name}"\n', 1)
        if types and sel.proto not in (IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_MH):
            raise CommandError(f'"type" and "code" are invalid with PROTO value "{name}"\n', 1)
        if grekey and sel.proto != IPPROTO_GRE:
            raise CommandError(f'"key" is invalid with PROTO value "{name}"\n', 1)

    # ------------------------------------------------------------------ ID
    def xfrm_id(self, obj, loose: bool = False) -> None:
        """xfrm_id_parse() into obj's family, saddr, daddr, proto and spi."""
        a = self.args
        start, src_family, dst_family = a.argc, 0, 0
        while True:
            word = a.cur
            if word in ("src", "dst"):
                pfx = get_prefix(a.next(), self.family)
                obj.family = pfx.family
                if word == "src":
                    obj.saddr, src_family = int(pfx.address), pfx.family
                else:
                    obj.daddr, dst_family = int(pfx.address), pfx.family
            elif word == "proto":
                value = a.next()
                if value not in XFRMPROTO:
                    raise invarg("XFRM-PROTO value is invalid", value)
                obj.proto = XFRMPROTO[value]
            elif word == "spi":
                value = a.next()
                spi = get_uint(value, 32)
                if spi is None:
                    raise invarg("SPI value is invalid", value)
                obj.spi = spi
            else:
                a.prev()
                break
            if not a.next_ok():
                break
            a.next()
        if src_family and dst_family and src_family != dst_family:
            raise invarg('the same address family is required between values after "src" '
                         'and "dst"', a.cur)
        if obj.spi and obj.proto:
            name = XFRMPROTO_NAME.get(obj.proto, str(obj.proto))
            if obj.proto in (kx.IPPROTO_ROUTING, kx.IPPROTO_DSTOPTS):
                raise CommandError(f'"spi" is invalid with XFRM-PROTO value "{name}"\n', 1)
            if obj.proto == kx.IPPROTO_COMP and obj.spi >= 0x10000:
                raise CommandError(f'SPI value is too large with XFRM-PROTO value "{name}"\n', 1)
        if not loose and not obj.proto:
            raise missarg("XFRM-PROTO")
        if a.argc == start:
            raise missarg("ID")

    def mode(self) -> int:
        """xfrm_mode_parse() (prefixes allowed: matches())."""
        word = self.args.cur
        for value, name in MODES:
            if matches(word, name):
                return value
        raise invarg("MODE value is invalid", word)

    def u32(self, msg: str) -> int:
        value = get_uint(self.args.next(), 32)
        if value is None:
            raise invarg(msg, self.args.cur)
        return value

    def mark(self) -> tuple[int, int]:
        """xfrm_parse_mark()."""
        a = self.args
        value = self.u32("MARK value is invalid\n")
        if a.argc > 1:
            a.next()
        else:
            return value, 0xFFFFFFFF
        if a.cur == "mask":
            return value, self.u32("MASK value is invalid\n")
        a.prev()
        return value, 0xFFFFFFFF

    def lifetime(self, lft: dict) -> None:
        """xfrm_lifetime_cfg_parse()."""
        word = self.args.cur
        if word not in LIMIT_FIELDS:
            raise invarg("LIMIT value is invalid", word)
        value = get_uint(self.args.next(), 64)
        if value is None:
            raise invarg(f'value after "{word}" is invalid', self.args.cur)
        lft[LIMIT_FIELDS[word]] = value

    def policy_dir(self) -> int:
        word = self.args.cur
        if word not in DIRS:
            raise invarg("DIR value is invalid", word)
        return DIRS[word]

    def ptype(self) -> int:
        word = self.args.cur
        if word not in ("main", "sub"):
            raise invarg("PTYPE value is invalid", word)
        return 0 if word == "main" else 1

    def action(self) -> int:
        word = self.args.cur
        if word not in ("allow", "block"):
            raise invarg("ACTION value is invalid\n", word)
        return 0 if word == "allow" else 1

    def flags(self, names: dict[str, int], bits: int = 8, msg: str = "FLAG value is invalid") -> int:
        """xfrm_policy_flag_parse() / xfrm_state_flag_parse(): a hex number, or flag
        names up to the first word that is none (left for the caller)."""
        a = self.args
        word = a.cur
        if len(word) > 2 and word.startswith("0x"):
            value = get_uint(word, bits, 16)
            if value is None:
                raise invarg(msg, word)
            return value
        flags = 0
        while True:
            if a.cur in names:
                flags |= names[a.cur]
            else:
                a.prev()
                break
            if not a.next_ok():
                break
            a.next()
        return flags

    def tmpl(self, tmpl: kx.XfrmTmpl) -> None:
        """xfrm_tmpl_parse()."""
        a = self.args
        start, seen_id = a.argc, False
        while True:
            word = a.cur
            if word == "mode":
                a.next()
                tmpl.mode = self.mode()
            elif word == "reqid":
                tmpl.reqid = self.u32("REQID value is invalid")
            elif word == "level":
                value = a.next()
                if value not in ("required", "use"):
                    raise invarg("LEVEL value is invalid\n", value)
                tmpl.optional = int(value == "use")
            else:
                if seen_id:
                    a.prev()
                    break
                seen_id = True
                self.family = 0
                self.xfrm_id(tmpl)
                self.family = tmpl.family
            if not a.next_ok():
                break
            a.next()
        if a.argc == start:
            raise missarg("TMPL")


def _kernel_error(err: KernelError) -> CommandError:
    """rtnl_talk() failing: the extack, else `RTNETLINK answers`; exit(2)."""
    if err.extack:
        return CommandError(f"Error: {err.extack}.\n", 2)
    return CommandError(f"RTNETLINK answers: {os.strerror(err.errno.value)}\n", 2)


# ------------------------------------------------------------------ printers
def _addr(family: int, value: int) -> str:
    """rt_addr_n2a()."""
    if family == 6:
        from ipemu.tools.ip_misc import inet6_ntop
        return inet6_ntop(value)
    return ".".join(str(value >> s & 0xFF) for s in (24, 16, 8, 0))


class XfrmPrinter:
    """The printers of ipxfrm.c: -s for show_stats, -o's `\\` for _SL_."""

    def __init__(self, opts: IpOptions):
        self.stats = opts.stats
        self.oneline = opts.oneline
        self.sl = "\\" if opts.oneline else "\n"

    def selector(self, sel: kx.XfrmSelector, ctx: ToolContext, prefix: str = "") -> str:
        """xfrm_selector_print()."""
        out = [prefix, f"src {_addr(sel.family, sel.saddr)}/{sel.prefixlen_s} ",
               f"dst {_addr(sel.family, sel.daddr)}/{sel.prefixlen_d} "]
        if sel.proto:
            out.append(f"proto {strxf_proto(sel.proto)} ")
        if sel.proto in (IPPROTO_ICMP, IPPROTO_ICMPV6):
            # type/code is stored at sport/dport in selector
            if sel.sport_mask:
                out.append(f"type {sel.sport} ")
            if sel.dport_mask:
                out.append(f"code {sel.dport} ")
        elif sel.proto == IPPROTO_GRE:
            if sel.sport_mask or sel.dport_mask:
                out.append(f"key {(sel.sport << 16) + sel.dport} ")
        elif sel.proto == IPPROTO_MH:
            if sel.sport_mask:
                out.append(f"type {sel.sport} ")
            if sel.dport_mask and self.stats:
                out.append(f"(dport) 0x{_htons(sel.dport):04x} ")
        else:
            if sel.sport_mask:
                out.append(f"sport {sel.sport} ")
            if sel.dport_mask:
                out.append(f"dport {sel.dport} ")
        if sel.ifindex > 0:
            dev = ctx.netns.by_index(sel.ifindex)
            out.append(f"dev {dev.name if dev else 'if%d' % sel.ifindex} ")
        if self.stats:
            out.append(f"uid {sel.user}")
        out.append(self.sl)
        return "".join(out)

    def lifetime(self, lft: dict, add_time: int, use_time: int, prefix: str) -> str:
        """xfrm_lifetime_print() of a policy (its current bytes and packets stay 0)."""
        def lim(v: int) -> str:
            return "(INF)" if v == kx.XFRM_INF else str(v)

        def strxf_time(t: int) -> str:
            return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t)) if t else "-"
        sl, p = self.sl, prefix
        when, used = strxf_time(add_time), strxf_time(use_time)
        return (f"{p}lifetime config:{sl}"
                f"{p}  limit: soft {lim(lft['soft_byte_limit'])}(bytes),"
                f" hard {lim(lft['hard_byte_limit'])}(bytes){sl}"
                f"{p}  limit: soft {lim(lft['soft_packet_limit'])}(packets),"
                f" hard {lim(lft['hard_packet_limit'])}(packets){sl}"
                f"{p}  expire add: soft {lft['soft_add_expires_seconds']}(sec), "
                f"hard {lft['hard_add_expires_seconds']}(sec){sl}"
                f"{p}  expire use: soft {lft['soft_use_expires_seconds']}(sec), "
                f"hard {lft['hard_use_expires_seconds']}(sec){sl}"
                f"{p}lifetime current:{sl}"
                f"{p}  0(bytes), 0(packets){sl}"
                f"{p}  add {when} use {used}{sl}")

    def tmpl(self, tmpl: kx.XfrmTmpl, prefix: str) -> str:
        """xfrm_tmpl_print() of one template (xfrm_id_info_print() with its title)."""
        sl, s = self.sl, self.stats
        out = [prefix, f"tmpl src {_addr(tmpl.family, tmpl.saddr)} ",
               f"dst {_addr(tmpl.family, tmpl.daddr)}{sl}", prefix, "\t",
               f"proto {XFRMPROTO_NAME.get(tmpl.proto, str(tmpl.proto))} "]
        if s or tmpl.spi:
            out.append(f"spi 0x{tmpl.spi:08x}" + (f"({tmpl.spi})" if s else "") + " ")
        out.append(f"reqid {tmpl.reqid}" + (f"(0x{tmpl.reqid:08x})" if s else "") + " ")
        out.append("mode " + dict(MODES).get(tmpl.mode, str(tmpl.mode)) + sl)
        if s or tmpl.optional:
            out += [prefix, "\t"]
            if tmpl.optional == 0:
                out.append("level required " if s else "")
            elif tmpl.optional == 1:
                out.append("level use ")
            else:
                out.append(f"level {tmpl.optional} ")
            if s:
                out.append(f"share {SHARES.get(tmpl.share, str(tmpl.share))} ")
            out.append(sl)
        if s:
            out += [prefix, "\t", f"enc-mask {tmpl.ealgos:08x} ",
                    f"auth-mask {tmpl.aalgos:08x} ", f"comp-mask {tmpl.calgos:08x}", sl]
        return "".join(out)

    def policy(self, pol: kx.XfrmPolicy, ctx: ToolContext, title: str = "") -> str:
        """xfrm_policy_print() -> xfrm_policy_info_print() -> xfrm_xfrma_print()."""
        s, sl, buf = self.stats, self.sl, "\t"
        out = [self.selector(pol.sel, ctx, title), buf,
               f"dir {DIR_NAMES.get(pol.dir, str(pol.dir))} "]
        if pol.action == kx.XFRM_POLICY_ALLOW:
            out.append("action allow " if s else "")
        elif pol.action == kx.XFRM_POLICY_BLOCK:
            out.append("action block ")
        else:
            out.append(f"action {pol.action} ")
        if s:
            out.append(f"index {pol.index} ")
        out.append(f"priority {pol.priority} ")
        out.append(f"ptype {'main' if pol.ptype == 0 else 'sub' if pol.ptype == 1 else pol.ptype} ")
        if s:
            out.append(f"share {SHARES.get(pol.share, str(pol.share))} ")
        if s or pol.flags:
            out.append("flag ")
            flags = pol.flags
            for bit, name in ((1, "localok"), (2, "icmp")):     # XFRM_FLAG_PRINT
                if flags & bit:
                    flags &= ~bit
                    out.append(name + (" " if flags else ""))
            if flags:
                out.append(f"{flags:x}")
        if s:
            out.append(f" (0x{pol.flags:08b})")
        out.append(sl)
        if s:
            out.append(self.lifetime(pol.lft, pol.add_time, pol.use_time, buf))
        if pol.mark_v or pol.mark_m:
            out.append(f"\tmark {_hex(pol.mark_v)}/{_hex(pol.mark_m)} {sl}")
        for tmpl in pol.tmpls:
            out.append(self.tmpl(tmpl, buf))
        if pol.if_id:
            out.append(f"{buf}if_id {_hex(pol.if_id)}{sl}")
        if self.oneline:
            out.append("\n")
        return "".join(out)


def _htons(value: int) -> int:
    return ((value & 0xFF) << 8) | (value >> 8)


# ------------------------------------------------------------------ do_xfrm
def do_xfrm(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    """ipxfrm.c do_xfrm()."""
    if argv and (matches(argv[0], "state") or matches(argv[0], "sa")):
        return do_xfrm_state(ctx, opts, argv[1:])
    if argv and matches(argv[0], "policy"):
        return do_xfrm_policy(ctx, opts, argv[1:])
    if argv and matches(argv[0], "monitor"):
        return do_xfrm_monitor(ctx, opts, argv[1:])
    raise usage_error("ip_xfrm", ctx.profile)


def do_xfrm_policy(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """xfrm_policy.c do_xfrm_policy()."""
    if not argv:
        return policy_list(ctx, opts, [], False)
    word, rest = argv[0], argv[1:]
    if matches(word, "add") or matches(word, "update"):
        return policy_modify(ctx, opts, rest, excl=matches(word, "add"))
    if matches(word, "delete"):
        policy_get_or_delete(ctx, opts, rest, delete=True)
        return 0
    if matches(word, "deleteall") or matches(word, "delall"):
        return policy_list(ctx, opts, rest, True)
    if matches(word, "list") or matches(word, "show") or matches(word, "lst"):
        return policy_list(ctx, opts, rest, False)
    if matches(word, "get"):
        pol = policy_get_or_delete(ctx, opts, rest, delete=False)
        ctx.term.out(XfrmPrinter(opts).policy(pol, ctx))
        return 0
    if matches(word, "flush"):
        return policy_flush(ctx, opts, rest)
    if matches(word, "count"):
        return spd_getinfo(ctx, opts)
    if matches(word, "set"):
        return spd_setinfo(ctx, opts, rest)
    if matches(word, "setdefault"):
        return spd_setdefault(ctx, rest)
    if matches(word, "getdefault"):
        ctx.term.out(default_text(kx.xfrm_net(ctx.netns).default))
        return 0
    if matches(word, "help"):
        raise CommandError(POLICY_USAGE, EXIT_ARG)
    raise CommandError(f'Command "{word}" is unknown, try "ip xfrm policy help".\n', EXIT_ARG)


def default_text(values: list[int]) -> str:
    """xfrm_policy_default_print() (values by direction: in, out, fwd)."""
    names = {0: "unspec", 1: "block", 2: "accept"}
    return (f"Default policies:\n in:  {names.get(values[0], 'unknown')}\n"
            f" fwd: {names.get(values[2], 'unknown')}\n"
            f" out: {names.get(values[1], 'unknown')}\n")


def policy_modify(ctx: ToolContext, opts: IpOptions, argv: list[str], excl: bool) -> int:
    """xfrm_policy_modify(): XFRM_MSG_NEWPOLICY (add) or UPDPOLICY (update)."""
    p = XfrmParser(ctx, opts, argv)
    a = p.args
    pol = kx.XfrmPolicy(sel=kx.XfrmSelector(family=p.family))
    seen: set = set()
    while a.argc > 0:
        word = a.cur
        if word in ("dir", "ctx", "ptype"):
            if word in seen:
                raise duparg(word, word)
            seen.add(word)
            a.next()
            if word == "dir":
                pol.dir = p.policy_dir()
            elif word == "ptype":
                pol.ptype = p.ptype()
        elif word == "mark":
            pol.mark_v, pol.mark_m = p.mark()
        elif word == "index":
            pol.index = p.u32("INDEX value is invalid")
        elif word == "action":
            a.next()
            pol.action = p.action()
        elif word == "priority":
            pol.priority = p.u32("PRIORITY value is invalid")
        elif word == "flag":
            a.next()
            pol.flags = p.flags({"localok": 1, "icmp": 2})
        elif word == "limit":
            a.next()
            p.lifetime(pol.lft)
        elif word == "tmpl":
            if len(pol.tmpls) >= 1024 // 64:
                raise CommandError("Too many tmpls: buffer overflow\n", 1)
            tmpl = kx.XfrmTmpl(family=p.family)
            a.next()
            p.tmpl(tmpl)
            pol.tmpls.append(tmpl)
        elif word == "if_id":
            pol.if_id = p.u32("IF_ID value is invalid")
        else:
            if "sel" in seen:
                raise duparg("unknown", word)
            seen.add("sel")
            p.selector(pol.sel)
            if not p.family:
                p.family = pol.sel.family
        a.i += 1
    if "dir" not in seen:
        raise CommandError("Not enough information: DIR is required.\n", 1)
    if not pol.mark_m:
        pol.mark_v = 0          # no XFRMA_MARK: the kernel's mark is 0/0
    if not pol.sel.family:
        pol.sel.family = 4
    try:
        kx.policy_insert(ctx.netns, pol, excl)
    except KernelError as err:
        raise _kernel_error(err) from None
    return 0


def policy_get_or_delete(ctx: ToolContext, opts: IpOptions, argv: list[str],
                         delete: bool) -> kx.XfrmPolicy:
    """xfrm_policy_get_or_delete()."""
    p = XfrmParser(ctx, opts, argv)
    a = p.args
    sel = kx.XfrmSelector(family=p.family)
    direction, ptype, index, mark, if_id = 0, 0, 0, (0, 0), 0
    seen: set = set()
    while a.argc > 0:
        word = a.cur
        if word in ("dir", "ctx", "ptype", "index"):
            if word in seen:
                raise duparg(word, word)
            seen.add(word)
            if word == "index":
                index = p.u32("INDEX value is invalid")
            else:
                a.next()
                if word == "dir":
                    direction = p.policy_dir()
                elif word == "ptype":
                    ptype = p.ptype()
        elif word == "mark":
            mark = p.mark()
        elif word == "if_id":
            if_id = p.u32("IF_ID value is invalid")
        else:
            if "sel" in seen:
                raise invarg("unknown", word)
            seen.add("sel")
            p.selector(sel)
            if not p.family:
                p.family = sel.family
        a.i += 1
    if "dir" not in seen:
        raise CommandError("Not enough information: DIR is required.\n", 1)
    if "sel" not in seen and "index" not in seen:
        raise CommandError("Not enough information: either SELECTOR or INDEX is required.\n", 1)
    if "sel" in seen and "index" in seen:
        raise duparg2("SELECTOR", "INDEX")
    if not sel.family:
        sel.family = 4
    mark_v, mark_m = mark if mark[0] & mark[1] else (0, 0)
    try:
        return kx.policy_find(ctx.netns, direction, ptype, sel, index, mark_v, mark_m,
                              if_id, delete)
    except KernelError as err:
        raise _kernel_error(err) from None


def _addr_match(a: int, b: int, bits: int, family: int) -> bool:
    """xfrm_addr_match() == 0: the first `bits` bits equal."""
    width = 32 if family == 4 else 128
    bits = min(bits, width)
    shift = width - bits
    return (a >> shift) == (b >> shift)


def _filter_match(pol: kx.XfrmPolicy, flt: dict, fsel: kx.XfrmSelector) -> bool:
    """xfrm_policy_filter_match()."""
    if not flt.get("use"):
        return True
    sel = pol.sel
    if fsel.family and fsel.family != sel.family:
        return False
    if "dir" in flt and pol.dir != flt["dir"]:
        return False
    if flt.get("nosock") and pol.dir >= kx.XFRM_POLICY_MAX:
        return False
    if "ptype" in flt and pol.ptype != flt["ptype"]:
        return False
    if flt.get("sel_src_mask") and not _addr_match(sel.saddr, fsel.saddr,
                                                    flt["sel_src_mask"], sel.family):
        return False
    if flt.get("sel_dst_mask") and not _addr_match(sel.daddr, fsel.daddr,
                                                    flt["sel_dst_mask"], sel.family):
        return False
    if flt.get("sel_dev_mask") and sel.ifindex != fsel.ifindex:
        return False
    if flt.get("upspec_proto_mask") and sel.proto != fsel.proto:
        return False
    if flt.get("upspec_sport_mask") and sel.sport != fsel.sport:
        return False
    if flt.get("upspec_dport_mask") and sel.dport != fsel.dport:
        return False
    for key in ("index", "action", "priority"):
        if key in flt and getattr(pol, key) != flt[key]:
            return False
    if "flags" in flt and not pol.flags & flt["flags"]:
        return False
    return True


def policy_list(ctx: ToolContext, opts: IpOptions, argv: list[str], deleteall: bool) -> int:
    """xfrm_policy_list_or_deleteall()."""
    p = XfrmParser(ctx, opts, argv)
    a = p.args
    flt = p.filter
    flt["use"] = bool(argv) or bool(p.family)
    fsel = kx.XfrmSelector(family=p.family)
    seen_sel = False
    while a.argc > 0:
        word = a.cur
        if word == "dir":
            a.next()
            flt["dir"] = p.policy_dir()
        elif word == "index":
            flt["index"] = p.u32("INDEX value is invalid")
        elif word == "ptype":
            a.next()
            flt["ptype"] = p.ptype()
        elif word == "action":
            a.next()
            flt["action"] = p.action()
        elif word == "priority":
            flt["priority"] = p.u32("PRIORITY value is invalid")
        elif word == "flag":
            a.next()
            flt["flags"] = p.flags({"localok": 1, "icmp": 2})
        elif word == "nosock":
            flt["nosock"] = True
        else:
            if seen_sel:
                raise invarg("unknown", word)
            seen_sel = True
            p.selector(fsel)
            if not p.family:
                p.family = fsel.family
        a.i += 1
    ns = ctx.netns
    matched = [pol for pol in kx.xfrm_net(ns).policies if _filter_match(pol, flt, fsel)]
    if deleteall:
        failed, count = False, 0
        if opts.stats > 1:
            ctx.term.err("Delete-all round = 0\n")
        for pol in matched:
            if pol.dir >= kx.XFRM_POLICY_MAX:
                continue            # can't delete socket policies
            try:
                # xfrm_policy_keep(): the index and dir, with no XFRMA_POLICY_TYPE
                kx.policy_find(ns, pol.dir, kx.XFRM_POLICY_TYPE_MAIN, None, pol.index,
                               pol.mark_v, pol.mark_m, pol.if_id, delete=True)
            except KernelError:
                failed = True
            count += 1
        if failed:
            raise CommandError("Failed to send delete-all request: No such file or directory\n", 1)
        if opts.stats > 1:
            # a round of deletes, then a round that finds nothing more
            rounds = f"Delete-all nlmsg count = {count}\nDelete-all round = 1\n" if count else ""
            ctx.term.err(rounds + "Delete-all completed\n")
        return 0
    printer = XfrmPrinter(opts)
    ctx.term.out("".join(printer.policy(pol, ctx) for pol in matched))
    return 0


def policy_flush(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """xfrm_policy_flush()."""
    p = XfrmParser(ctx, opts, argv)
    a = p.args
    ptype, seen = kx.XFRM_POLICY_TYPE_MAIN, False
    while a.argc > 0:
        if a.cur == "ptype":
            if seen:
                raise duparg("ptype", "ptype")
            seen = True
            a.next()
            ptype = p.ptype()
        else:
            raise invarg("unknown", a.cur)
        a.i += 1
    if opts.stats > 1:
        ctx.term.err("Flush policy\n")
    kx.policy_flush(ctx.netns, ptype)
    return 0


def spd_getinfo(ctx: ToolContext, opts: IpOptions) -> int:
    """xfrm_spd_getinfo() -> print_spdinfo()."""
    net = kx.xfrm_net(ctx.netns)
    counts = kx.spd_counts(ctx.netns)
    sl = "\\" if opts.oneline else "\n"
    out = f"\t SPD IN  {counts[0]} OUT {counts[1]} FWD {counts[2]}"
    if opts.stats:
        out += f" (Sock: IN {counts[3]} OUT {counts[4]} FWD {counts[5]})"
    out += sl
    if opts.stats > 1:
        out += (f"\t SPD buckets: count {net.idx_hmask} Max {kx.XFRM_POLICY_HASHMAX}{sl}"
                f"\t SPD IPv4 thresholds: local {net.hthresh4[0]} remote {net.hthresh4[1]}{sl}"
                f"\t SPD IPv6 thresholds: local {net.hthresh6[0]} remote {net.hthresh6[1]}{sl}")
    if opts.oneline:
        out += "\n"
    ctx.term.out(out)
    return 0


def spd_setinfo(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """xfrm_spd_setinfo(): the lookup thresholds (hthresh4/hthresh6)."""
    a = Cursor(argv)
    values: dict = {}
    while a.argc > 0:
        word = a.cur
        if word not in ("hthresh4", "hthresh6"):
            raise invarg("unknown", word)
        if word in values:
            raise duparg(word, word)
        top = 32 if word == "hthresh4" else 128
        bits = []
        for side in ("LBITS", "RBITS"):
            text = a.next()
            value = get_uint(text, 8)
            if value is None or value > top:
                raise invarg(f"{word} {side} value is invalid", text)
            bits.append(value)
        values[word] = tuple(bits)
        a.i += 1
    net = kx.xfrm_net(ctx.netns)
    for word, bits in values.items():
        setattr(net, word, bits)
    return 0


def spd_setdefault(ctx: ToolContext, argv: list[str]) -> int:
    """xfrm_spd_setdefault(): struct xfrm_userpolicy_default {in, fwd, out}."""
    a = Cursor(argv)
    given = {"in": 0, "fwd": 0, "out": 0}
    while a.argc > 0:
        word = a.cur
        if word not in given:
            raise invarg("unknown direction", word)
        if given[word]:
            raise duparg(word, word)
        value = a.next()
        if value not in ("block", "accept"):
            raise invarg(f"{word} policy value is invalid", value)
        given[word] = kx.XFRM_USERPOLICY_BLOCK if value == "block" else kx.XFRM_USERPOLICY_ACCEPT
        a.i += 1
    kx.set_default(ctx.netns, [given["in"], given["out"], given["fwd"]])
    return 0


# ------------------------------------------------------------------ state
def do_xfrm_state(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """xfrm_state.c do_xfrm_state() over an SAD that stays empty."""
    if not argv:
        return 0
    word, rest = argv[0], argv[1:]
    if matches(word, "add") or matches(word, "update"):
        return state_modify(ctx, opts, rest)
    if matches(word, "allocspi"):
        raise CommandError("ipemu: `ip xfrm state allocspi` is not simulated yet\n", 1)
    if matches(word, "delete") or matches(word, "get"):
        return state_get_or_delete(ctx, opts, rest)
    if matches(word, "deleteall") or matches(word, "delall"):
        return state_list(ctx, opts, rest, True)
    if matches(word, "list") or matches(word, "show") or matches(word, "lst"):
        return state_list(ctx, opts, rest, False)
    if matches(word, "flush"):
        return state_flush(ctx, opts, rest)
    if matches(word, "count"):
        # xfrm_sad_getinfo(): with -s the hash's size (xfrm_state_hmask + 1: 8 at
        # first) and its limit (xfrm_state_hashmax)
        extra = " (buckets count 8 Max 1048576)" if opts.stats else ""
        ctx.term.out(f"\t SAD count 0{extra}\n")
        return 0
    if matches(word, "help"):
        raise CommandError(STATE_USAGE, EXIT_ARG)
    raise CommandError(f'Command "{word}" is unknown, try "ip xfrm state help".\n', EXIT_ARG)


def state_list(ctx: ToolContext, opts: IpOptions, argv: list[str], deleteall: bool) -> int:
    """xfrm_state_list_or_deleteall(): its filter parsed (a loose ID, mode, reqid,
    flags), then a dump of an empty SAD."""
    p = XfrmParser(ctx, opts, argv)
    a = p.args
    have_id = False
    while a.argc > 0:
        word = a.cur
        if word == "nokeys":
            pass
        elif word == "mode":
            a.next()
            p.mode()
        elif word == "reqid":
            p.u32("REQID value is invalid")
        elif word == "flag":
            a.next()
            p.flags(STATE_FLAGS)
        else:
            if have_id:
                raise invarg("unknown", word)
            have_id = True
            p.xfrm_id(_SaInfo(p.family), loose=True)
        a.i += 1
    if deleteall and opts.stats > 1:
        # nothing to delete: the first round finds no state
        ctx.term.err("Delete-all round = 0\nDelete-all completed\n")
    return 0


def state_flush(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """xfrm_state_flush(): [ proto XFRM-PROTO ]; an empty SAD flushes quietly."""
    a = Cursor(argv)
    proto = 0
    seen = False
    while a.argc > 0:
        if a.cur == "proto":
            if seen:
                raise duparg("proto", "proto")
            seen = True
            value = a.next()
            if value not in XFRMPROTO:
                raise invarg("XFRM-PROTO value is invalid", value)
            proto = XFRMPROTO[value]
        else:
            raise invarg("unknown", a.cur)
        a.i += 1
    if opts.stats > 1:
        name = XFRMPROTO_NAME.get(proto, str(proto))
        ctx.term.err(f'Flush state with XFRM-PROTO value "{name}"\n')
    return 0


def state_get_or_delete(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """xfrm_state_get_or_delete(): an ID looks up nothing (ESRCH); without one there
    is no source address to look up by (xfrm_user_state_lookup(): EINVAL)."""
    p = XfrmParser(ctx, opts, argv)
    a = p.args
    have_id = False
    while a.argc > 0:
        if a.cur == "mark":
            p.mark()
        else:
            if have_id:
                raise invarg("unknown", a.cur)
            have_id = True
            p.xfrm_id(kx.XfrmTmpl())
        a.i += 1
    errno = "No such process" if have_id else "Invalid argument"
    raise CommandError(f"RTNETLINK answers: {errno}\n", 2)


class _SaInfo:
    """What xfrm_state_modify() fills of struct xfrm_usersa_info."""

    def __init__(self, family: int):
        self.family, self.saddr, self.daddr, self.proto, self.spi = family, 0, 0, 0, 0
        self.mode, self.flags, self.sel_family = 0, 0, 0


STATE_FLAGS = {"noecn": 1, "decap-dscp": 2, "nopmtudisc": 4, "wildrecv": 8, "icmp": 16,
               "af-unspec": 32, "align4": 64, "esn": 128}


def _algo_key(key: str) -> None:
    """xfrm_algo_parse(): a 0x key is hex pairs (odd length: a leading 0)."""
    if len(key) > 2 and key.startswith("0x"):
        digits = key[2:]
        if len(digits) % 2:
            digits = "0" + digits
        if (len(digits) + 1) // 2 > 512:
            raise invarg("ALGO-KEYMAT value makes buffer overflow\n", key)
        for i in range(0, len(digits), 2):
            if get_uint(digits[i:i + 2], 8, 16) is None:
                raise invarg("ALGO-KEYMAT value is invalid", key)
    elif len(key) > 512:
        raise invarg("ALGO-KEYMAT value makes buffer overflow\n", key)


def state_modify(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """xfrm_state_modify(), then the kernel's xfrm_add_sa(): xfrm_state_construct()
    finds the algorithms (attach_aead, auth_trunc, auth, crypt, comp in that order),
    then xfrm_init_state() finds no type for the protocol."""
    p = XfrmParser(ctx, opts, argv)
    a = p.args
    sa = _SaInfo(p.family)
    algos: dict = {}
    seen: set = set()
    replay_window = 0
    while a.argc > 0:
        word = a.cur
        if word == "mode":
            a.next()
            sa.mode = p.mode()
        elif word == "mark":
            p.mark()
        elif word == "reqid":
            p.u32("REQID value is invalid")
        elif word == "seq":
            p.u32("SEQ value is invalid")
        elif word in ("replay-window", "replay-seq", "replay-seq-hi", "replay-oseq",
                      "replay-oseq-hi", "if_id", "tfcpad", "output-mark"):
            value = p.u32(f'value after "{word}" is invalid')
            if word == "replay-window":
                replay_window = value
            if word == "output-mark" and a.argc > 1:
                a.next()
                if a.cur == "mask":
                    p.u32("mask value is invalid\n")
                else:
                    a.prev()
        elif word == "flag":
            a.next()
            sa.flags = p.flags(STATE_FLAGS)
        elif word == "extra-flag":
            a.next()
            p.flags({"dont-encap-dscp": 1, "oseq-may-wrap": 2}, 32, '"EXTRA-FLAG" is invalid')
        elif word == "sel":
            a.next()
            p.family = 0
            sel = kx.XfrmSelector(family=0)
            p.selector(sel)
            p.family = sa.sel_family = sel.family
        elif word == "limit":
            a.next()
            p.lifetime({})
        elif word == "encap":
            a.next()
            if a.cur not in ("espinudp-nonike", "espinudp", "espintcp"):
                raise invarg("ENCAP-TYPE value is invalid", a.cur)
            for which in ("SPORT", "DPORT"):
                if get_uint(a.next(), 16) is None:
                    raise invarg(f'{which} value after "encap" is invalid', a.cur)
            get_addr(a.next(), 0)
        elif word in ("coa", "ctx"):
            if word in seen:
                raise duparg(word, word)
            seen.add(word)
            value = a.next()
            if word == "coa":
                get_prefix(value, p.family)
        elif word == "offload":
            raise CommandError("ipemu: `ip xfrm state add offload` is not simulated yet\n", 1)
        elif word in ALGO_TYPES:
            _algo(p, word, algos)
        else:
            if "id" in seen:
                raise invarg("unknown", word)
            seen.add("id")
            p.xfrm_id(sa)
            if not p.family:
                p.family = sa.family
        a.i += 1
    if sa.flags & STATE_FLAGS["esn"] and replay_window == 0:
        raise CommandError("Error: esn flag set without replay-window.\n", EXIT_ARG)
    if replay_window > 4096:        # XFRMA_REPLAY_ESN_MAX
        raise CommandError(f"Error: replay-window ({replay_window}) > XFRMA_REPLAY_ESN_MAX "
                           f"(4096).\n", EXIT_ARG)
    if "id" not in seen:
        raise CommandError("Not enough information: ID is required\n", 1)
    _state_checks(sa, algos, "coa" in seen)
    if sa.mode not in (kx.XFRM_MODE_TRANSPORT, kx.XFRM_MODE_TUNNEL,
                       kx.XFRM_MODE_ROUTEOPTIMIZATION, kx.XFRM_MODE_BEET):
        raise CommandError("Error: Unsupported mode.\n", 2)    # verify_newsa_info()
    # xfrm_state_construct(): each algorithm looked up, in attach order
    for kind, label in (("aead", "AEAD"), ("auth-trunc", "AUTH_TRUNC"), ("auth", "AUTH"),
                        ("enc", "CRYPT"), ("comp", "COMP")):
        if kind not in algos:
            continue
        name, trunc = algos[kind]
        table = ALGOS["auth" if kind == "auth-trunc" else kind]
        if name not in table:
            raise CommandError(f"Error: Requested {label} algorithm not found.\n", 2)
        if kind == "auth-trunc" and trunc > table[name]:
            raise CommandError("Error: Invalid length requested for truncated ICV.\n", 2)
    _init_state_mode(sa)
    # __xfrm_init_state(): xfrm_get_type() finds no esp4/ah4/ipcomp/mip6 module
    raise CommandError("Error: Requested type not found.\n", 2)


def _init_state_mode(sa: _SaInfo) -> None:
    """__xfrm_init_state()'s inner mode: the selector's family (the SA's unless `sel`
    or flag af-unspec said otherwise) must have the mode (xfrm4_mode_map[] has no
    ro), and only tunnel modes may change the family."""
    family = sa.family or 4
    sel_family = sa.sel_family
    if not sel_family and not sa.flags & STATE_FLAGS["af-unspec"]:
        sel_family = family     # copy_from_user_state()
    if not sel_family:
        return
    modes = {4: (kx.XFRM_MODE_TRANSPORT, kx.XFRM_MODE_TUNNEL, kx.XFRM_MODE_BEET),
             6: (kx.XFRM_MODE_TRANSPORT, kx.XFRM_MODE_TUNNEL, kx.XFRM_MODE_BEET,
                 kx.XFRM_MODE_ROUTEOPTIMIZATION)}
    if sa.mode not in modes[sel_family]:
        raise CommandError("Error: Requested mode not found.\n", 2)
    if sa.mode not in (kx.XFRM_MODE_TUNNEL, kx.XFRM_MODE_BEET) and family != sel_family:
        raise CommandError("Error: Only tunnel modes can accommodate a change of family.\n", 2)


def _algo(p: XfrmParser, kind: str, algos: dict) -> None:
    """One ALGO of xfrm_state_modify(): its duplicates, name, key and length."""
    a = p.args
    word = a.cur
    have = set(algos)
    if kind == "aead" and have & {"enc", "auth", "auth-trunc", "aead"} or \
            kind == "enc" and have & {"enc", "aead"} or \
            kind in ("auth", "auth-trunc") and have & {"auth", "auth-trunc", "aead"} or \
            kind == "comp" and "comp" in have:
        raise duparg("ALGO-TYPE", word)
    if not a.next_ok():
        raise missarg("ALGO-NAME")
    name = a.next()
    trunc = 0
    if kind != "comp":
        if not a.next_ok():
            raise missarg("ALGO-KEYMAT")
        key = a.next()
        if kind in ("aead", "auth-trunc"):
            what = "ALGO-ICV-LEN" if kind == "aead" else "ALGO-TRUNC-LEN"
            if not a.next_ok():
                raise missarg(what)
            text = a.next()
            value = get_uint(text, 32)
            if value is None:
                raise invarg(f"{what} value is invalid", text)
            trunc = value
        _algo_key(key)
    algos[kind] = (name, trunc)


def _state_checks(sa: _SaInfo, algos: dict, coa: bool) -> None:
    """xfrm_state_modify()'s checks of the mode and algorithms against the protocol."""
    name = XFRMPROTO_NAME.get(sa.proto, str(sa.proto))
    have = set(algos)
    if sa.proto in (kx.IPPROTO_ESP, kx.IPPROTO_AH, kx.IPPROTO_COMP):
        if not (sa.mode in (kx.XFRM_MODE_TRANSPORT, kx.XFRM_MODE_TUNNEL) or
                sa.mode == kx.XFRM_MODE_BEET and sa.proto == kx.IPPROTO_ESP):
            raise CommandError(f'MODE value is invalid with XFRM-PROTO value "{name}"\n', 1)
        if sa.proto == kx.IPPROTO_ESP:
            if "comp" in have:
                raise CommandError(f'ALGO-TYPE value "comp" is invalid with XFRM-PROTO value '
                                   f'"{name}"\n', 1)
            if not have & {"enc", "aead"}:
                raise CommandError(f'ALGO-TYPE value "enc" or "aead" is required with '
                                   f'XFRM-PROTO value "{name}"\n', 1)
        elif sa.proto == kx.IPPROTO_AH:
            if have & {"enc", "aead", "comp"}:
                raise CommandError(f'ALGO-TYPE values "enc", "aead", and "comp" are invalid '
                                   f'with XFRM-PROTO value "{name}"\n', 1)
            if not have & {"auth", "auth-trunc"}:
                raise CommandError(f'ALGO-TYPE value "auth" or "auth-trunc" is required with '
                                   f'XFRM-PROTO value "{name}"\n', 1)
        else:
            if have & {"enc", "auth", "auth-trunc", "aead"}:
                raise CommandError(f'ALGO-TYPE values "enc", "auth", "auth-trunc", and "aead" '
                                   f'are invalid with XFRM-PROTO value "{name}"\n', 1)
            if "comp" not in have:
                raise CommandError(f'ALGO-TYPE value "comp" is required with XFRM-PROTO value '
                                   f'"{name}"\n', 1)
    elif have:
        raise CommandError(f'ALGO is invalid with XFRM-PROTO value "{name}"\n', 1)
    if sa.proto in (kx.IPPROTO_ROUTING, kx.IPPROTO_DSTOPTS):
        if sa.mode == 0:
            raise CommandError(f'"mode" is required with XFRM-PROTO value "{name}"\n', 1)
        if sa.mode not in (kx.XFRM_MODE_ROUTEOPTIMIZATION, kx.XFRM_MODE_IN_TRIGGER):
            raise CommandError(f'MODE value is invalid with XFRM-PROTO value "{name}"\n', 1)
        if not coa:
            raise CommandError(f'"coa" is required with XFRM-PROTO value "{name}"\n', 1)
    elif coa:
        raise CommandError(f'"coa" is invalid with XFRM-PROTO value "{name}"\n', 1)


# ------------------------------------------------------------------ monitor
MONITOR_OBJECTS = ("acquire", "expire", "SA", "aevent", "policy", "report")


def do_xfrm_monitor(ctx: ToolContext, opts: IpOptions, argv: list[str]):
    """xfrm_monitor.c do_xfrm_monitor(): the groups asked for (all by default), then
    rtnl_listen() until a signal ends it."""
    a = Cursor(argv)
    objects: list[str] = []
    while a.argc > 0:
        word = a.cur
        if matches(word, "file"):
            a.next()
            raise CommandError("ipemu: `ip xfrm monitor file` is not simulated yet\n", 1)
        if word in ("nokeys", "all") or matches(word, "all-nsid"):
            pass
        elif any(matches(word, o) for o in MONITOR_OBJECTS):
            objects.append(next(o for o in MONITOR_OBJECTS if matches(word, o)))
        elif matches(word, "help"):
            raise CommandError(MONITOR_USAGE, EXIT_ARG)
        else:
            raise CommandError(f'Argument "{word}" is unknown, try "ip xfrm monitor help".\n',
                               EXIT_ARG)
        a.i += 1
    # an object asked for leaves only the groups asked for (groups = 0)
    return XfrmMonitor(ctx, opts, not objects or "policy" in objects).start()


class XfrmMonitor(Process):
    """A listener on the XFRM netlink groups (xfrm_accept_msg()): the policy events
    the kernel sends; states never come (none is ever made). It runs until a signal
    (`timeout 2 ip xfrm monitor` ends with 124)."""

    def __init__(self, ctx: ToolContext, opts: IpOptions, policy: bool):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.ns = ctx.netns
        self.printer = XfrmPrinter(opts)
        self.policy = policy

    def start(self) -> "XfrmMonitor":
        self.ns.subscribe(self)
        return self

    def blocked(self) -> bool:
        return True

    def cleanup(self) -> None:
        self.ns.unsubscribe(self)

    def notify(self, rtm, msg) -> None:
        if self.done or rtm != "xfrm" or not self.policy:
            return
        event, payload = msg
        p = self.printer
        if event == kx.FLUSHPOLICY:
            # xfrm_policy_flush_print()
            text = f"Flushed policy ptype {'main' if payload == 0 else 'sub'} {p.sl}"
            text += "\n" if p.oneline else ""
        elif event == kx.GETDEFAULT:
            text = default_text(payload)
        elif event == kx.POLEXPIRE:
            # xfrm_policy_print() of XFRM_MSG_POLEXPIRE: the policy, then whether hard
            pol, hard = payload
            text = p.policy(pol, self.ctx, "Expired ")
            if p.oneline:
                text = text[:-1]
            text += f"\thard {hard}{p.sl}" + ("\n" if p.oneline else "")
        else:
            title = {kx.DELPOLICY: "Deleted ", kx.UPDPOLICY: "Updated "}.get(event, "")
            text = p.policy(payload, self.ctx, title)
        self.term.out(text)
