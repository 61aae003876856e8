"""IS-IS, as tcpdump 4.99.3's print-isoclns.c isis_print() prints it: the common header's
checks, each PDU type's brief line, and under -v the fixed header and every TLV (areas,
neighbours, reachability old and extended with their sub-TLVs, multi-topology, IPv6,
authentication, adjacency state, hostname, LSP entries, checksums, restart signalling,
router capability...)."""
from __future__ import annotations

import struct

from ipemu.tcpdump.dissect import Dissector, Truncated, bittok2str, ip6addr_string_raw, tok2str
from ipemu.tcpdump.util import nd_printjnp

SYSTEM_ID_LEN, NODE_ID_LEN, LSP_ID_LEN = 6, 7, 8
ISIS_PDUS = {15: "L1 Lan IIH", 16: "L2 Lan IIH", 17: "p2p IIH", 18: "L1 LSP", 20: "L2 LSP",
             24: "L1 CSNP", 25: "L2 CSNP", 26: "L1 PSNP", 27: "L2 PSNP"}
# each PDU type's fixed header after the 8-byte common one (isis_*_header sizes)
ISIS_FIXED = {15: 19, 16: 19, 17: 12, 18: 19, 20: 19, 24: 25, 25: 25, 26: 9, 27: 9}

TLV_NAMES = {
    1: "Area address(es)", 2: "IS Reachability", 3: "ES Neighbor(s)", 4: "Partition DIS",
    5: "Prefix Neighbors", 6: "IS Neighbor(s)", 7: "Instance Identifier", 8: "Padding",
    9: "LSP entries", 10: "Authentication", 12: "Checksum",
    13: "Purge Originator Identifier", 14: "LSP Buffersize", 22: "Extended IS Reachability",
    24: "IS Alias ID", 42: "DECnet Phase IV", 66: "Lucent Proprietary",
    128: "IPv4 Internal Reachability", 129: "Protocols supported",
    130: "IPv4 External Reachability", 131: "Inter-Domain Information Type",
    132: "IPv4 Interface address(es)", 133: "IPv4 authentication (deprecated)",
    134: "Traffic Engineering Router ID", 135: "Extended IPv4 Reachability",
    138: "Shared Risk Link Group", 143: "Multi-Topology-Aware Port Capability",
    144: "Multi-Topology Capability", 176: "Nortel Proprietary", 177: "Nortel Proprietary",
    137: "Hostname", 211: "Restart Signaling", 222: "Multi Topology IS Reachability",
    229: "Multi Topology", 232: "IPv6 Interface address(es)",
    235: "Multi-Topology IPv4 Reachability", 236: "IPv6 reachability",
    237: "Multi-Topology IP6 Reachability", 240: "Point-to-point Adjacency State",
    241: "Hello PDU Sequence Number", 242: "IS-IS Router Capability", 250: "Vendor Private",
}
NLPIDS = {0x00: "NULL", 0x08: "Q.933", 0x09: "LMI", 0x80: "SNAP", 0x81: "CLNP", 0x82: "ES-IS",
          0x83: "IS-IS", 0x84: "CONS", 0x85: "IDRP", 0xC1: "ISIS_SPB", 0xB1: "FRF.15",
          0xCC: "IPv4", 0xCF: "PPP", 0x8A: "X25 ES-IS", 0x8E: "IPv6"}      # nlpid_values
CIRCUIT_TYPES = {1: "Level 1 only", 2: "Level 2 only", 3: "Level 1, Level 2"}
LSP_ISTYPES = {0: "Unused 0x0 (invalid)", 1: "L1 IS", 2: "Unused 0x2 (invalid)", 3: "L2 IS"}
PTP_ADJ = {0: "Up", 1: "Initializing", 2: "Down"}
VIRTUAL = {0: "IsNotVirtual", 1: "IsVirtual"}
RESTART_FLAGS = [(0x1, "Restart Request"), (0x2, "Restart Acknowledgement"),
                 (0x4, "Suppress adjacency advertisement")]
MT_NAMES = {0: "IPv4 unicast", 1: "In-Band Management", 2: "IPv6 unicast", 3: "Multicast",
            4095: "Development, Experimental or Proprietary"}
MT_FLAGS = [(0x4000, "ATT bit set"), (0x8000, "Overload bit set")]
AUTH_TYPES = {1: "simple text password", 3: "Generic Crypto key-id", 54: "HMAC-MD5 password",
              255: "Routing Domain private password"}
IDRP_TYPES = {0: "Reserved", 1: "Routing-Domain Specific", 2: "AS Number Tag"}
ROUTER_CAP_FLAGS = [(0x01, "S bit"), (0x02, "D bit")]
ROUTER_CAP_SR_FLAGS = [(0x80, "ipv4"), (0x40, "ipv6")]
EXT_IS_SUBTLVS = {
    3: "Administrative groups", 4: "Link Local/Remote Identifier", 5: "Link Remote Identifier",
    6: "IPv4 interface address", 8: "IPv4 neighbor address", 9: "Maximum link bandwidth",
    10: "Reservable link bandwidth", 11: "Unreserved bandwidth",
    18: "Traffic Engineering Metric", 19: "Link Attribute", 20: "Link Protection Type",
    21: "Interface Switching Capability", 12: "Bandwidth Constraints (old)",
    22: "Bandwidth Constraints", 32: "LAN Adjacency Segment Identifier", 29: "SPB Metric",
    250: "Reserved for cisco specific extensions", 251: "Reserved for cisco specific extensions",
    252: "Reserved for cisco specific extensions", 253: "Reserved for cisco specific extensions",
    254: "Reserved for cisco specific extensions", 255: "Reserved for future expansion"}
EXT_IP_SUBTLVS = {1: "32-Bit Administrative tag", 2: "64-Bit Administrative tag",
                  3: "Prefix SID", 117: "Management Prefix Color"}
PREFIX_SID_FLAGS = [(0x80, "Readvertisement"), (0x40, "Node"), (0x20, "No-PHP"),
                    (0x10, "Explicit NULL"), (0x08, "Value"), (0x04, "Local")]
PREFIX_SID_ALGOS = {0: "SPF", 1: "strict-SPF"}
LINK_ATTRIBUTES = [(0x01, "Local Protection Available"),
                   (0x02, "Link excluded from local protection path"),
                   (0x04, "Local maintenance required")]
LAN_ADJ_SID_FLAGS = [(0x80, "Address family IPv6"), (0x40, "Backup"), (0x20, "Value"),
                     (0x10, "Local significance"), (0x08, "Set of adjacencies"),
                     (0x04, "Persistent")]
# gmpls_link_prot_values (gmpls.c)
GMPLS_LINK_PROT = [(0x01, "Extra Traffic"), (0x02, "Unprotected"), (0x04, "Shared"),
                   (0x08, "Dedicated 1:1"), (0x10, "Dedicated 1+1"), (0x20, "Enhanced"),
                   (0x40, "Reserved"), (0x80, "Reserved")]
# gmpls.c diffserv_te_bc_values[], gmpls_switch_cap_values[], gmpls_encoding_values[],
# gmpls_switch_cap_tsc_indication_values[]
DIFFSERV_TE_BC = {0: "Russian dolls", 1: "Maximum allocation",
                  254: "Maximum allocation with E-LSP support"}
GMPLS_SWITCH_CAPS = {1: "Packet-Switch Capable-1", 2: "Packet-Switch Capable-2",
                     3: "Packet-Switch Capable-3", 4: "Packet-Switch Capable-4",
                     51: "Layer-2 Switch Capable", 100: "Time-Division-Multiplex",
                     150: "Lambda-Switch Capable", 200: "Fiber-Switch Capable"}
GMPLS_ENCODINGS = {1: "Packet", 2: "Ethernet V2/DIX", 3: "ANSI/ETSI PDH", 4: "Reserved",
                   5: "SDH ITU-T G.707/SONET ANSI T1.105", 6: "Reserved", 7: "Digital Wrapper",
                   8: "Lambda (photonic)", 9: "Fiber", 10: "Reserved", 11: "FiberChannel"}
GMPLS_TSC_INDICATIONS = {0: "Standard SONET/SDH", 1: "Arbitrary SONET/SDH"}


class _TlvTrunc(Exception):
    """isis_print()'s `goto tlv_trunc` (the TLV's -vv hex, then the next TLV)."""


def isis_print_id(d: Dissector, at: int, id_len: int) -> str:
    """isis_print_id(): system ID `xxxx.xxxx.xxxx`, then `.nn` and `-nn` for node and
    LSP IDs."""
    b = d.bytes_(at, id_len)
    text = f"{b[0]:02x}{b[1]:02x}.{b[2]:02x}{b[3]:02x}.{b[4]:02x}{b[5]:02x}"
    if id_len >= NODE_ID_LEN:
        text += f".{b[6]:02x}"
    if id_len == LSP_ID_LEN:
        text += f"-{b[7]:02x}"
    return text


def isonsap_string(d: Dissector, at: int, length: int) -> str:
    """GET_ISONSAP_STRING() (addrtoname.c isonsap_string()): hex, a dot after the first
    byte and after every second one after it."""
    if length < 1 or length > 20:
        return "isonsap_string: illegal length"
    b = d.bytes_(at, length)
    out = []
    for i, byte in enumerate(b):
        out.append(f"{byte:02x}")
        if i & 1 == 0 and i + 1 < length:
            out.append(".")
    return "".join(out)


def _c_mod(a: int, m: int) -> int:
    """C's % (truncating toward zero)."""
    r = abs(a) % m
    return -r if a < 0 else r


def _s32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def create_osi_cksum(data: bytes, checksum_offset: int, length: int) -> int:
    """create_osi_cksum() (checksum.c): the Fletcher checksum the field should hold."""
    c0 = c1 = 0
    for idx in range(length):
        if idx not in (checksum_offset, checksum_offset + 1):
            c0 += data[idx]
        c1 += c0
    c0 %= 255
    c1 %= 255
    mul = ((length - checksum_offset) * c0) & 0xFFFFFFFF
    x = _s32(mul - c0 - c1)
    y = _s32(c1 - mul - 1)
    if y >= 0:
        y += 1
    if x < 0:
        x -= 1
    x, y = _c_mod(x, 255), _c_mod(y, 255)
    if x == 0:
        x = 255
    if y == 0:
        y = 255
    return ((x << 8) | (y & 0xFF)) & 0xFFFF


def osi_print_cksum(d: Dissector, at: int, checksum: int, offset: int, length: int) -> None:
    """osi_print_cksum()."""
    if (not checksum or offset < 0 or not d.ttest(at + offset, 2) or offset > length
            or not d.ttest(at, length)):
        d.p(" (unverified)")
        return
    calc = create_osi_cksum(d.data[at:at + length], offset, length)
    d.p(" (correct)" if calc == checksum else f" (incorrect should be 0x{calc:04x})")


def _metric(byte: int) -> str:
    return f"{byte & 0x3F}, {'External' if byte & 0x40 else 'Internal'}"


def _metric_block(d: Dissector, at: int) -> None:
    """isis_print_metric_block()."""
    d.p(f", Default Metric: {_metric(d.u8(at))}")
    for i, name in ((1, "Delay"), (2, "Expense"), (3, "Error")):
        if not d.u8(at + i) & 0x80:
            d.p(f"\n\t\t  {name} Metric: {_metric(d.u8(at + i))}")


def _tlv_ip_reach(d: Dissector, cp: int, ident: str, length: int) -> bool:
    """isis_print_tlv_ip_reach(): False when the TLV is too short (isis_print() stops)."""
    while length > 0:
        if length < 12:
            d.p(f"short IPv4 Reachability ({length} vs 12)")
            return False
        d.need(cp, 12)
        mask = d.u32(cp + 8)
        inv = ~mask & 0xFFFFFFFF
        plen = 32 - inv.bit_length() if inv & (inv + 1) == 0 else -1    # mask2plen()
        if plen == -1:
            d.p(f"{ident}IPv4 prefix: {d.ipaddr_string(cp + 4)} mask {d.ipaddr_string(cp + 8)}")
        else:
            d.p(f"{ident}IPv4 prefix: {d.ipaddr_string(cp + 4):>15}/{plen}")
        dm = d.u8(cp)
        d.p(f", Distribution: {'down' if dm & 0x80 else 'up'}, Metric: {_metric(dm)}")
        for i, name in ((1, "Delay"), (2, "Expense"), (3, "Error")):
            if not d.u8(cp + i) & 0x80:
                d.p(f"{ident}  {name} Metric: {_metric(d.u8(cp + i))}")
        length -= 12
        cp += 12
    return True


def _ip_reach_subtlv(d: Dissector, tptr: int, subt: int, subl: int, ident: str) -> bool:
    """isis_print_ip_reach_subtlv(): False after its [|isis]."""
    d.p(f"{ident}{EXT_IP_SUBTLVS.get(subt, 'unknown')} subTLV #{subt}, length: {subl}")
    if not d.ttest(tptr, subl):
        d.nd_print_trunc()
        return False
    if subt in (1, 117):
        while subl >= 4:
            v = d.u32(tptr)
            d.p(f", 0x{v:08x} (={v})")
            tptr += 4
            subl -= 4
    elif subt == 2:
        while subl >= 8:
            d.p(f", 0x{d.u32(tptr):08x}{d.u32(tptr + 4):08x}")
            tptr += 8
            subl -= 8
    elif subt == 3:
        flags, algo = d.u8(tptr), d.u8(tptr + 1)
        if flags & 0x08:
            if subl < 5:
                d.nd_print_trunc()
                return False
            sid = int.from_bytes(d.bytes_(tptr + 2, 3), "big")
        else:
            if subl < 6:
                d.nd_print_trunc()
                return False
            sid = d.u32(tptr + 2)
        d.p(f", Flags [{bittok2str(PREFIX_SID_FLAGS, 'None', flags)}], Algo "
            f"{PREFIX_SID_ALGOS.get(algo, 'Unknown')} ({algo}), "
            f"{'label' if flags & 0x08 else 'index'} {sid}")
    else:
        if not d.print_unknown_data(tptr, "\n\t\t    ", subl):
            return False
    return True


def _extd_ip_reach(d: Dissector, tptr: int, ident: str, v6: bool) -> int:
    """isis_print_extd_ip_reach(): the bytes taken, 0 when something went wrong."""
    metric = d.u32(tptr)
    processed = 4
    tptr += 4
    status = d.u8(tptr)
    if not v6:
        tptr += 1
        bits = status & 0x3F
        if bits > 32:
            d.p(f"{ident}IPv4 prefix: bad bit length {bits}")
            return 0
        processed += 1
    else:
        bits = d.u8(tptr + 1)
        if bits > 128:
            d.p(f"{ident}IPv6 prefix: bad bit length {bits}")
            return 0
        tptr += 2
        processed += 2
    nbytes = (bits + 7) // 8
    prefix = d.bytes_(tptr, nbytes)
    tptr += nbytes
    processed += nbytes
    if not v6:
        text = ".".join(str(b) for b in (prefix + bytes(4))[:4])
        if not d.opts.nflag:
            text = d.opts.hosts.get(text, text)
        d.p(f"{ident}IPv4 prefix: {text:>15}/{bits}")
    else:
        text = ip6addr_string_raw((prefix + bytes(16))[:16])
        if not d.opts.nflag:
            text = d.opts.hosts.get(text, text)
        d.p(f"{ident}IPv6 prefix: {text}/{bits}")
    d.p(f", Distribution: {'down' if status & 0x80 else 'up'}, Metric: {metric}")
    has_sub = status & (0x20 if v6 else 0x40)
    if not v6 and has_sub:
        d.p(", sub-TLVs present")
    elif v6:
        d.p(f", {'External' if status & 0x40 else 'Internal'}"
            f"{', sub-TLVs present' if has_sub else ''}")
    if has_sub:
        sublen = d.u8(tptr)
        tptr += 1
        processed += sublen + 1
        d.p(f" ({sublen})")
        while sublen > 0:
            subt, subl = d.u8(tptr), d.u8(tptr + 1)
            tptr += 2
            if not _ip_reach_subtlv(d, tptr, subt, subl, ident + "  "):
                return 0
            tptr += subl
            sublen = (sublen - (subl + 2)) & 0xFFFFFFFF      # u_int
    return processed


def _bw(d: Dissector, at: int) -> str:
    """A bandwidth subTLV's IEEE float in bytes/s as %.3f Mbps."""
    f = struct.unpack("!f", d.bytes_(at, 4))[0]
    # C computes bw.f * 8 / 1000000 in float, promoted to double for printf
    f = struct.unpack("!f", struct.pack("!f", f * 8))[0]
    f = struct.unpack("!f", struct.pack("!f", f / 1000000))[0]
    return f"{f:.3f}"


def _ext_is_reach(d: Dissector, tptr: int, ident: str, tlv_type: int, remaining: int) -> int:
    """isis_print_ext_is_reach(): the bytes taken, 0 when something went wrong."""
    if not d.ttest(tptr, NODE_ID_LEN) or remaining < NODE_ID_LEN:
        return 0
    d.p(f"{ident}IS Neighbor: {isis_print_id(d, tptr, NODE_ID_LEN)}")
    tptr += NODE_ID_LEN
    remaining -= NODE_ID_LEN
    proc = NODE_ID_LEN
    if tlv_type != 24:          # the Alias TLV's metric is implicit
        if not d.ttest(tptr, 3) or remaining < 3:
            return 0
        d.p(f", Metric: {int.from_bytes(d.bytes_(tptr, 3), 'big')}")
        tptr += 3
        remaining -= 3
        proc += 3
    if not d.ttest(tptr, 1) or remaining < 1:
        return 0
    sum_len = d.u8(tptr)
    tptr += 1
    remaining -= 1
    proc += 1
    d.p(f", {'' if sum_len else 'no '}sub-TLVs present")
    if not sum_len:
        return proc
    d.p(f" ({sum_len})")
    ident = ident + "  "
    while sum_len:
        if not d.ttest(tptr, 2):
            return 0
        if remaining < 2:
            d.p(f"{ident}Remaining data in TLV shorter than a subTLV header")
            return proc + remaining
        if sum_len < 2:
            d.p(f"{ident}Remaining data in subTLVs shorter than a subTLV header")
            return proc + sum_len
        st, sl = d.u8(tptr), d.u8(tptr + 1)
        tptr += 2
        remaining -= 2
        sum_len -= 2
        proc += 2
        d.p(f"{ident}{EXT_IS_SUBTLVS.get(st, 'unknown')} subTLV #{st}, length: {sl}")
        if sum_len < sl:
            d.p(" (remaining data in subTLVs shorter than the current subTLV)")
            return proc + sum_len
        if remaining < sl:
            d.p(" (> remaining tlv length)")
            return proc + remaining
        if not d.ttest(tptr, sl):
            return 0
        cur = tptr
        left = sl
        if st in (3, 4, 5):
            if sl >= 4:
                d.p(f", 0x{d.u32(cur):08x}")
                if sl == 8:
                    d.p(f", 0x{d.u32(cur + 4):08x}")
        elif st in (6, 8):
            if sl >= 4:
                d.p(f", {d.ipaddr_string(cur)}")
        elif st in (9, 10):
            if sl >= 4:
                d.p(f", {_bw(d, cur)} Mbps")
        elif st == 11:
            if sl >= 32:
                for te_class in range(8):
                    d.p(f"{ident}  TE-Class {te_class}: {_bw(d, cur)} Mbps")
                    cur += 4
                    left -= 4
        elif st in (12, 22):
            if sl:
                model = d.u8(cur)
                d.p(f"{ident}Bandwidth Constraints Model ID: "
                    f"{DIFFSERV_TE_BC.get(model, 'unknown')} ({model})")
                cur += 1
                left -= 1
                te_class = 0
                while left >= 4:
                    d.p(f"{ident}  Bandwidth constraint CT{te_class}: {_bw(d, cur)} Mbps")
                    cur += 4
                    left -= 4
                    te_class += 1
        elif st == 18:
            if sl >= 3:
                d.p(f", {int.from_bytes(d.bytes_(cur, 3), 'big')}")
        elif st == 19:
            if sl == 2:
                v = d.u16(cur)
                d.p(f", [ {bittok2str(LINK_ATTRIBUTES, 'Unknown', v)} ] (0x{v:04x})")
        elif st == 20:
            if sl >= 2:
                d.p(f", {bittok2str(GMPLS_LINK_PROT, 'none', d.u8(cur))}, "
                    f"Priority {d.u8(cur + 1)}")
        elif st == 29:
            if sl >= 6:
                d.p(f", LM: {int.from_bytes(d.bytes_(cur, 3), 'big')}, P: {d.u8(cur + 3)}, "
                    f"P-ID: {d.u16(cur + 4)}")
                cur += 4
                left -= 4
        elif st == 32:
            if sl >= 8:
                flags = d.u8(cur)
                d.p(f"{ident}  Flags: [{bittok2str(LAN_ADJ_SID_FLAGS, 'none', flags)}]")
                vf, lf = bool(flags & 0x20), bool(flags & 0x10)
                d.p(f"{ident}  Weight: {d.u8(cur + 1)}")
                cur += 2
                left -= 2
                if left >= SYSTEM_ID_LEN:
                    d.p(f"{ident}  Neighbor System-ID: {isis_print_id(d, cur, SYSTEM_ID_LEN)}")
                if vf and lf:
                    d.p(f"{ident}  Label: "
                        f"{int.from_bytes(d.bytes_(cur + SYSTEM_ID_LEN, 3), 'big')}")
                elif not vf and not lf:
                    d.p(f"{ident}  Index: {d.u32(cur + SYSTEM_ID_LEN)}")
                else:
                    d.p(" (invalid)")
        elif st == 21:
            if sl >= 36:
                cap = d.u8(cur)
                d.p(f"{ident}  Interface Switching Capability:"
                    f"{GMPLS_SWITCH_CAPS.get(cap, 'Unknown')}, LSP Encoding: "
                    f"{GMPLS_ENCODINGS.get(d.u8(cur + 1), 'Unknown')}")
                cur += 4
                left -= 4
                d.p(f"{ident}  Max LSP Bandwidth:")
                for level in range(8):
                    d.p(f"{ident}    priority level {level}: {_bw(d, cur)} Mbps")
                    cur += 4
                    left -= 4
                if cap in (1, 2, 3, 4):
                    if left >= 6:
                        d.p(f"{ident}  Min LSP Bandwidth: {_bw(d, cur)} Mbps"
                            f"{ident}  Interface MTU: {d.u16(cur + 4)}")
                elif cap == 100:
                    if left >= 8:
                        ind = d.u8(cur + 4)
                        d.p(f"{ident}  Min LSP Bandwidth: {_bw(d, cur)} Mbps{ident}  Indication "
                            f"{GMPLS_TSC_INDICATIONS.get(ind, f'Unknown ({ind})')}")
                elif left and not d.print_unknown_data(cur, "\n\t\t    ", left):
                    return 0
        else:
            if not d.print_unknown_data(cur, "\n\t\t    ", left):
                return 0
        # what the decoder stepped over inside came off the sum and the count but
        # not off tlv_remaining, as there
        tptr = cur + left
        remaining -= left
        sum_len -= sl
        proc += sl
    return proc


def _mtid(d: Dissector, tptr: int, ident: str, remaining: int) -> int:
    """isis_print_mtid(): 2, or 0 when fewer bytes are left."""
    if remaining < 2:
        return 0
    v = d.u16(tptr)
    d.p(f"{ident}{MT_NAMES.get(v & 0x0FFF, 'Reserved for IETF Consensus')}")
    d.p(f" Topology (0x{v & 0x0FFF:03x}), Flags: [{bittok2str(MT_FLAGS, 'none', v & 0xF000)}]")
    return 2


def _reach_list(d: Dissector, tptr: int, tlen: int, step) -> bool:
    """The loop shared by the extended reachability TLVs: False for isis_print()'s
    `goto trunc`."""
    while tlen != 0:
        n = step(tptr, tlen)
        if n == 0:
            return False
        if tlen < n:
            d.p(f" [remaining tlv length {tlen} < {n}] (invalid)")
            break
        tlen = (tlen - n) & 0xFF
        tptr += n & 0xFF
    return True


def _router_cap_subtlv(d: Dissector, tptr: int, tlen: int) -> None:
    """isis_print_router_cap_subtlv()."""
    while tlen >= 2:
        subt, subl = d.u8(tptr), d.u8(tptr + 1)
        tlen -= 2
        tptr += 2
        d.p(f"\n\t\t{'SR-Capabilities' if subt == 2 else 'unknown'} subTLV #{subt}, "
            f"length: {subl}")
        if subl > tlen:
            break
        if not d.ttest(tptr, subl):
            return
        if subt == 2:
            flags = d.u8(tptr)
            d.p(f", Flags [{bittok2str(ROUTER_CAP_SR_FLAGS, 'None', flags)}], Range "
                f"{int.from_bytes(d.bytes_(tptr + 1, 3), 'big')}")
            sp, stlen = tptr + 4, (subl - 4) & 0xFF
            while stlen >= 5:
                stype, slen = d.u8(sp), d.u8(sp + 1)
                stlen -= 2
                sp += 2
                if slen > stlen:
                    break
                if stype == 1:
                    if slen == 3:
                        d.p(f", SID value {int.from_bytes(d.bytes_(sp, 3), 'big')}")
                    elif slen == 4:
                        d.p(f", SID value {d.u32(sp)}")
                    else:
                        d.p(f", Unknown SID length{slen}")
                else:
                    d.print_unknown_data(sp, "\n\t\t  ", slen)
                sp += slen
                stlen -= slen
        else:
            d.print_unknown_data(tptr, "\n\t\t", subl)
        tlen -= subl
        tptr += subl


def _mcid(d: Dissector, at: int) -> None:
    """isis_print_mcid()."""
    if not d.ttest(at, 51):
        d.nd_print_trunc()
        return
    d.p(f"ID: {d.u8(at)}, Name: ")
    nd_printjnp(d, at + 1, 32)
    d.p(f"\n\t              Lvl: {d.u16(at + 33)}, Digest: ")
    d.p("".join(f"{b:02x} " for b in d.bytes_(at + 35, 16)))


class _SubtlvEnd(Exception):
    """The SPB sub-TLV printers' early returns (their text printed)."""


def _mt_port_cap_subtlv(d: Dissector, tptr: int, length: int) -> None:
    """isis_print_mt_port_cap_subtlv() (SPB MCID, digest, BVID)."""
    names = {4: "SPB MCID", 5: "SPB Digest", 6: "SPB BVID"}
    try:
        while length > 2:
            st, sl = d.u8(tptr), d.u8(tptr + 1)
            d.p(f"\n\t       {names.get(st, 'unknown')} subTLV #{st}, length: {sl}")
            tptr += 2
            length -= 2
            if length < sl:
                d.p(" (> containing TLV length)")
                return
            if not d.ttest(tptr, sl):
                d.nd_print_trunc()
                return
            if st == 4:
                if sl < 102:
                    raise _SubtlvEnd()
                d.p("\n\t         MCID: ")
                _mcid(d, tptr)
                d.p("\n\t         AUX-MCID: ")
                _mcid(d, tptr + 51)
                tptr += 102
                length -= 102
                sl -= 102
            elif st == 5:
                if sl < 33:
                    raise _SubtlvEnd()
                b = d.u8(tptr)
                d.p(f"\n\t        RES: {b >> 5} V: {(b >> 4) & 1} A: {(b >> 2) & 3} D: {b & 3}")
                tptr += 1
                d.p("\n\t         Digest: ")
                for i in range(1, 9):
                    d.p(f"{d.u32(tptr):08x} ")
                    if i % 4 == 0 and i != 8:
                        d.p("\n\t                 ")
                    tptr += 4
                length -= 33
                sl -= 33
            elif st == 6:
                while sl:
                    if sl < 4:
                        raise _SubtlvEnd()
                    d.p(f"\n\t           ECT: {d.u32(tptr):08x}")
                    tptr += 4
                    length -= 4
                    sl -= 4
                    if sl < 2:
                        raise _SubtlvEnd()
                    w = d.u16(tptr)
                    d.p(f" BVID: {w >> 4}, U:{(w >> 3) & 1:01x} M:{(w >> 2) & 1:01x} ")
                    tptr += 2
                    length -= 2
                    sl -= 2
            tptr += sl
            length -= sl
    except _SubtlvEnd:
        d.p(" (too short)")


def _mt_capability_subtlv(d: Dissector, tptr: int, length: int) -> None:
    """isis_print_mt_capability_subtlv() (SPB instance, SPBM service identifier)."""
    names = {1: "SPB Instance", 3: "SPBM Service Identifier and Unicast Address"}
    while length > 2:
        st, sl = d.u8(tptr), d.u8(tptr + 1)
        tptr += 2
        length -= 2
        d.p(f"\n\t      {names.get(st, 'unknown')} subTLV #{st}, length: {sl}")
        if length < sl:
            d.p(" (> containing TLV length)")
            return
        if not d.ttest(tptr, sl):
            d.nd_print_trunc()
            return
        if st == 1:
            if sl < 19:
                d.p(" (too short)")
                return
            d.p(f"\n\t        CIST Root-ID: {d.u32(tptr):08x} {d.u32(tptr + 4):08x}, Path Cost: "
                f"{d.u32(tptr + 8):08x}, Prio: {d.u16(tptr + 12)}")
            tptr += 14
            d.p(f"\n\t        RES: {d.u16(tptr) >> 5}, V: {(d.u16(tptr) >> 4) & 1}, "
                f"SPSource-ID: {d.u32(tptr) & 0xFFFFF}")
            tptr += 4
            trees = d.u8(tptr)
            d.p(f", No of Trees: {trees:x}")
            tptr += 1
            length -= 19
            sl -= 19
            while trees:
                if sl < 8:
                    d.nd_print_trunc()
                    return
                b = d.u8(tptr)
                d.p(f"\n\t         U:{b >> 7}, M:{(b >> 6) & 1}, A:{(b >> 5) & 1}, RES:{b & 0x1F}")
                d.p(f", ECT: {d.u32(tptr + 1):08x}")
                v = int.from_bytes(d.bytes_(tptr + 5, 3), "big")
                d.p(f", BVID: {(v >> 12) & 0xFFF}, SPVID: {v & 0xFFF}")
                tptr += 8
                length -= 8
                sl -= 8
                trees -= 1
        elif st == 3:
            if sl < 8:
                d.nd_print_trunc()
                return
            d.p(f"\n\t        BMAC: {d.u32(tptr):08x}{d.u16(tptr + 4):04x}")
            w = d.u16(tptr + 6)
            d.p(f", RES: {w >> 12}, VID: {w & 0xFFF}")
            tptr += 8
            length -= 8
            sl -= 8
            while sl >= 4:
                v = d.u32(tptr)
                d.p(f"\n\t        T: {v >> 31}, R: {(v >> 30) & 1}, RES: {(v >> 24) & 0x3F}, "
                    f"ISID: {v & 0xFFFFFF}")
                tptr += 4
                length -= 4
                sl -= 4
        tptr += sl
        length -= sl


def _tlv(d: Dissector, tlv_type: int, pptr: int, tlv_len: int, optr: int, length: int,
         lsp_header: int) -> bool:
    """One TLV's value (isis_print()'s switch): False to end the PDU's printing with
    isis_print()'s return 1; _TlvTrunc for `goto tlv_trunc`."""
    tptr, tlen = pptr, tlv_len
    v = d.opts.vflag
    ident = "\n\t      "
    if tlv_type == 1:
        while tlen:
            alen = d.u8(tptr)
            tptr += 1
            tlen -= 1
            if tlen < alen:
                raise _TlvTrunc()
            d.p(f"\n\t      Area address (length: {alen}): {isonsap_string(d, tptr, alen)}")
            tptr += alen
            tlen -= alen
    elif tlv_type == 6:
        while tlen:
            if tlen < 6:
                raise _TlvTrunc()
            d.p(f"\n\t      SNPA: {isis_print_id(d, tptr, 6)}")
            tlen -= 6
            tptr += 6
    elif tlv_type == 7:
        if tlen < 4:
            raise _TlvTrunc()
        n = (tlen - 2) // 2
        d.p(f"\n\t      Instance ID: {d.u16(tptr)}, ITIDs({n}){':' if n else ''} ")
        for i in range(n):
            # each value printed as read: a truncated list keeps the ones before it
            d.p(str(d.u16(tptr + 2 + 2 * i)) + (", " if i < n - 1 else ""))
    elif tlv_type == 8:
        pass
    elif tlv_type in (222, 22, 24):
        if tlv_type == 222:
            mt = _mtid(d, tptr, ident, tlen)
            if mt == 0:
                raise Truncated()
            tptr += mt
            tlen -= mt
        if not _reach_list(d, tptr, tlen,
                           lambda t, n: _ext_is_reach(d, t, ident, tlv_type, n)):
            raise Truncated()
    elif tlv_type == 2:
        if tlen < 1:
            raise _TlvTrunc()
        b = d.u8(tptr)
        d.p(f"\n\t      {VIRTUAL.get(b, f'bogus virtual flag 0x{b:02x}')}")
        tptr += 1
        tlen -= 1
        while tlen:
            if tlen < 11:
                raise _TlvTrunc()
            d.need(tptr, 11)
            d.p(f"\n\t      IS Neighbor: {isis_print_id(d, tptr + 4, NODE_ID_LEN)}")
            _metric_block(d, tptr)
            tlen -= 11
            tptr += 11
    elif tlv_type == 3:
        while tlen:
            if tlen < 10:
                raise _TlvTrunc()
            d.need(tptr, 10)
            d.p(f"\n\t      ES Neighbor: {isis_print_id(d, tptr + 4, SYSTEM_ID_LEN)}")
            _metric_block(d, tptr)
            tlen -= 10
            tptr += 10
    elif tlv_type in (128, 130):
        try:
            ok = _tlv_ip_reach(d, pptr, ident, tlv_len)
        except Truncated:
            ok = False
        if not ok:
            return False
    elif tlv_type in (135, 235, 236, 237):
        if tlv_type in (235, 237):
            mt = _mtid(d, tptr, ident, tlen)
            if mt == 0:
                raise Truncated()
            tptr += mt
            tlen -= mt
        v6 = tlv_type in (236, 237)
        if not _reach_list(d, tptr, tlen, lambda t, n: _extd_ip_reach(d, t, ident, v6)):
            raise Truncated()
    elif tlv_type == 232:
        while tlen:
            if tlen < 16:
                raise _TlvTrunc()
            d.p(f"\n\t      IPv6 interface address: {d.ip6addr_string(tptr)}")
            tptr += 16
            tlen -= 16
    elif tlv_type == 10:
        if tlen < 1:
            raise _TlvTrunc()
        auth = d.u8(tptr)
        tptr += 1
        tlen -= 1
        d.p(f"\n\t      {AUTH_TYPES.get(auth, f'unknown Authentication type 0x{auth:02x}')}: ")
        if auth == 1:
            nd_printjnp(d, tptr, tlen)
        elif auth == 54:
            d.p("".join(f"{d.u8(tptr + i):02x}" for i in range(tlen)))
            if tlen != 16:
                d.p(", (invalid subTLV) ")
            d.p(" (unchecked)")         # signature_verify() without -M
        elif auth == 3:
            if tlen < 2:
                raise _TlvTrunc()
            d.p(f"{d.u16(tptr)}, password: ")
            d.p("".join(f"{d.u8(tptr + 2 + i):02x}" for i in range(tlen - 2)))
        else:
            if not d.print_unknown_data(tptr, "\n\t\t  ", tlen):
                return None     # isis_print()'s return 0
    elif tlv_type == 240:
        if tlen >= 1:
            s = d.u8(tptr)
            d.p(f"\n\t      Adjacency State: {PTP_ADJ.get(s, 'unknown')} ({s})")
            tlen -= 1
        if tlen > 4:
            d.p(f"\n\t      Extended Local circuit-ID: 0x{d.u32(tptr + 1):08x}")
            tlen -= 4
        if tlen >= SYSTEM_ID_LEN:
            d.p(f"\n\t      Neighbor System-ID: {isis_print_id(d, tptr + 5, SYSTEM_ID_LEN)}")
            tlen -= SYSTEM_ID_LEN
        if tlen >= 4:
            d.p(f"\n\t      Neighbor Extended Local circuit-ID: 0x{d.u32(tptr + 11):08x}")
    elif tlv_type == 129:
        d.p("\n\t      NLPID(s): ")
        while tlen:
            b = d.u8(tptr)
            d.p(f"{NLPIDS.get(b, 'unknown')} (0x{b:02x})")
            if tlen > 1:
                d.p(", ")
            tptr += 1
            tlen -= 1
    elif tlv_type == 143:
        if tlen < 2:
            raise _TlvTrunc()
        w = d.u16(tptr)
        d.p(f"\n\t       RES: {w >> 12}, MTID(s): {w & 0x0FFF}")
        if tlen > 2:
            _mt_port_cap_subtlv(d, tptr + 2, tlen - 2)
    elif tlv_type == 144:
        if tlen < 2:
            raise _TlvTrunc()
        w = d.u16(tptr)
        d.p(f"\n\t      O: {(w >> 15) & 1}, RES: {(w >> 12) & 7}, MTID(s): {w & 0x0FFF}")
        if tlen > 2:
            _mt_capability_subtlv(d, tptr + 2, tlen - 2)
    elif tlv_type == 134:
        if tlen < 4:
            raise _TlvTrunc()
        d.p(f"\n\t      Traffic Engineering Router ID: {d.ipaddr_string(pptr)}")
    elif tlv_type == 132:
        while tlen:
            if tlen < 4:
                raise _TlvTrunc()
            d.p(f"\n\t      IPv4 interface address: {d.ipaddr_string(tptr)}")
            tptr += 4
            tlen -= 4
    elif tlv_type == 137:
        d.p("\n\t      Hostname: ")
        nd_printjnp(d, tptr, tlen)
    elif tlv_type == 138:
        if tlen >= NODE_ID_LEN:
            d.p(f"\n\t      IS Neighbor: {isis_print_id(d, tptr, NODE_ID_LEN)}")
            tptr += NODE_ID_LEN
            tlen -= NODE_ID_LEN
            if tlen >= 1:
                d.p(f", Flags: [{'numbered' if d.u8(tptr) & 1 else 'unnumbered'}]")
                tptr += 1
                tlen -= 1
                for what in ("interface", "neighbor"):
                    if tlen < 4:
                        return True
                    d.p(f"\n\t      IPv4 {what} address: {d.ipaddr_string(tptr)}")
                    tptr += 4
                    tlen -= 4
                while tlen:
                    if tlen < 4:
                        raise _TlvTrunc()
                    d.p(f"\n\t      Link-ID: 0x{d.u32(tptr):08x}")
                    tptr += 4
                    tlen -= 4
    elif tlv_type == 9:
        while tlen:
            if tlen < 16:
                raise _TlvTrunc()
            d.need(tptr + 2 + LSP_ID_LEN - 1, 1)
            d.p(f"\n\t      lsp-id: {isis_print_id(d, tptr + 2, LSP_ID_LEN)}")
            d.p(f", seq: 0x{d.u32(tptr + 10):08x}")
            d.p(f", lifetime: {d.u16(tptr):5d}s")
            d.p(f", chksum: 0x{d.u16(tptr + 14):04x}")
            tlen -= 16
            tptr += 16
    elif tlv_type == 12:
        if tlen >= 2:
            d.need(tptr, 2)
            d.p(f"\n\t      checksum: 0x{d.u16(tptr):04x} ")
            osi_print_cksum(d, optr, d.u16(tptr), tptr - optr, length)
    elif tlv_type == 13:
        if tlen < 1:
            raise _TlvTrunc()
        n = d.u8(tptr)
        tptr += 1
        tlen -= 1
        if n == 0:
            d.p(" No system IDs supplied")
        else:
            if tlen < SYSTEM_ID_LEN:
                raise _TlvTrunc()
            d.p(f"\n\t      Purge Originator System-ID: {isis_print_id(d, tptr, SYSTEM_ID_LEN)}")
            tptr += SYSTEM_ID_LEN
            tlen -= SYSTEM_ID_LEN
            if n > 1:
                if tlen < SYSTEM_ID_LEN:
                    raise _TlvTrunc()
                d.need(tptr, 2 * SYSTEM_ID_LEN + 1)
                d.p(f"\n\t      Received from System-ID: {isis_print_id(d, tptr, SYSTEM_ID_LEN)}")
    elif tlv_type == 229:
        while tlen:
            if tlen != 1:
                mt = _mtid(d, tptr, ident, tlen)
                if mt == 0:
                    raise Truncated()
                tptr += mt
                tlen -= mt
            else:
                d.p("\n\t      invalid MT-ID")
                break
    elif tlv_type == 211:
        if tlen >= 1:
            d.p(f"\n\t      Flags [{bittok2str(RESTART_FLAGS, 'none', d.u8(tptr))}]")
            tptr += 1
            tlen -= 1
            if tlen >= 2:
                d.p(f", Remaining holding time {d.u16(tptr)}s")
                tptr += 2
                tlen -= 2
                if tlen == SYSTEM_ID_LEN:
                    d.p(f", for {isis_print_id(d, tptr, SYSTEM_ID_LEN)}")
    elif tlv_type == 131:
        if tlen >= 1:
            t = d.u8(tptr)
            d.p(f"\n\t      Inter-Domain Information Type: "
                f"{IDRP_TYPES.get(t, f'Unknown (0x{t:02x})')}")
            tptr += 1
            tlen -= 1
            if t == 2:
                if tlen < 2:
                    raise _TlvTrunc()
                d.p(f"AS Number: {d.u16(tptr)}")
            elif not d.print_unknown_data(tptr, "\n\t      ", tlen):
                return None
    elif tlv_type == 14:
        if tlen >= 2:
            d.p(f"\n\t      LSP Buffersize: {d.u16(tptr)}")
    elif tlv_type == 4:
        while tlen:
            if tlen < SYSTEM_ID_LEN:
                raise _TlvTrunc()
            d.p(f"\n\t      {isis_print_id(d, tptr, SYSTEM_ID_LEN)}")
            tptr += SYSTEM_ID_LEN
            tlen -= SYSTEM_ID_LEN
    elif tlv_type == 5:
        if tlen >= 4:
            d.need(tptr, 4)
            d.p("\n\t      Metric Block")
            _metric_block(d, tptr)
            tptr += 4
            tlen -= 4
            while tlen:
                plen = d.u8(tptr)
                tptr += 1
                tlen -= 1
                if plen < 2:
                    d.p(f"\n\t\tAddress: prefix length {plen} < 2")
                    break
                if tlen < plen // 2:
                    break
                d.p(f"\n\t\tAddress: {isonsap_string(d, tptr, plen // 2)}/{plen * 4}")
                tptr += plen // 2
                tlen -= plen // 2
    elif tlv_type == 241:
        if tlen >= 4:
            d.p(f"\n\t      Sequence number: {d.u32(tptr)}")
    elif tlv_type == 242:
        if tlen < 5:
            d.p(f" [object length {tlen} < 5] (invalid)")
        else:
            d.p(f"\n\t      Router-ID {d.ipaddr_string(tptr)}")
            d.p(f", Flags [{bittok2str(ROUTER_CAP_FLAGS, 'none', d.u8(tptr + 4))}]")
            if tlen > 5:
                _router_cap_subtlv(d, tptr + 5, tlen - 5)
    elif tlv_type == 250:
        if tlen >= 3:
            from ipemu.tcpdump.names import OUIS
            vendor = int.from_bytes(d.bytes_(tptr, 3), "big")
            d.p(f"\n\t      Vendor: {OUIS.get(vendor, 'Unknown')} ({vendor})")
            if tlen > 3 and not d.print_unknown_data(tptr + 3, "\n\t\t", tlen - 3):
                return None
    else:
        if v <= 1 and not d.print_unknown_data(pptr, "\n\t\t", tlv_len):
            return None
    return True


def isis_print(d: Dissector, p: int, length: int) -> bool:
    """isis_print(): False where it returns 0 (isoclns_print() then dumps the PDU)."""
    d.protocol = "isis"
    v, e = d.opts.vflag, d.opts.eflag
    if not d.ttest(p, 8) or length < 8:
        d.nd_print_trunc()
        return True
    if not e:
        d.p("IS-IS")
    fixed_len, version, id_len = d.u8(p + 1), d.u8(p + 2), d.u8(p + 3)
    if version != 1:
        d.p(f"version {version} packet not supported")
        return False
    if id_len not in (6, 0):
        d.p(f"system ID length of {id_len} is not supported")
        return False
    pdu_version = d.u8(p + 5)
    if pdu_version != 1:
        d.p(f"version {pdu_version} packet not supported")
        return False
    if length < fixed_len:
        d.p(f"fixed header length {fixed_len} > packet length {length}")
        return False
    if fixed_len < 8:
        d.p(f"fixed header length {fixed_len} < minimum header size 8")
        return False
    pdu_max_area = d.u8(p + 7)
    if pdu_max_area == 255:
        d.p("bad packet -- 255 areas")
        return False
    max_area = pdu_max_area or 3
    pdu_type = d.u8(p + 4)
    sep = "" if e else ", "
    if not v:
        d.p(sep + tok2str(ISIS_PDUS, "unknown PDU-Type %u", pdu_type))
    else:
        d.p(f"{sep}length {length}")
        d.p(f"\n\t{tok2str(ISIS_PDUS, 'unknown, type %u', pdu_type)}, hlen: {fixed_len}, v: "
            f"{version}, pdu-v: {pdu_version}, sys-id-len: 6 ({id_len}), max-area: "
            f"{max_area} ({pdu_max_area})")
        if v > 1 and not d.print_unknown_data(p, "\n\t", 8):
            return False
    h = p + 8
    size = ISIS_FIXED.get(pdu_type)
    if size is None:
        if not v:
            d.p(f", length {length}")
            return True
        d.print_unknown_data(h, "\n\t  ", length)
        return False
    if fixed_len != 8 + size:
        lead = "- " if pdu_type in (26, 27) else ", "
        shown = size if pdu_type in (18, 20) else 8 + size
        d.p(f"{lead}bogus fixed header length {fixed_len} should be {shown}")
        return False
    if not d.ttest(h, size) or length < 8 + size:
        d.nd_print_trunc()
        return True
    if not v:
        if pdu_type in (15, 16):
            d.p(f", src-id {isis_print_id(d, h + 1, 6)}, lan-id {isis_print_id(d, h + 12, 7)}"
                f", prio {d.u8(h + 11)}")
        elif pdu_type == 17:
            d.p(f", src-id {isis_print_id(d, h + 1, 6)}")
        elif pdu_type in (18, 20):
            d.p(f", lsp-id {isis_print_id(d, h + 4, 8)}, seq 0x{d.u32(h + 12):08x}, "
                f"lifetime {d.u16(h + 2):5d}s")
        else:
            d.p(f", src-id {isis_print_id(d, h + 2, 7)}")
        d.p(f", length {length}")
        return True
    packet_len = length
    pdu_len = d.u16(h + 9 if pdu_type in (15, 16, 17) else h)
    if packet_len > pdu_len:
        packet_len = length = pdu_len
    if pdu_type in (15, 16):
        ct = d.u8(h)
        d.p(f"\n\t  source-id: {isis_print_id(d, h + 1, 6)},  holding time: {d.u16(h + 7)}s, "
            f"Flags: [{CIRCUIT_TYPES.get(ct, f'unknown circuit type 0x{ct:02x}')}]")
        d.p(f"\n\t  lan-id:    {isis_print_id(d, h + 12, 7)}, Priority: {d.u8(h + 11) & 0x7F}, "
            f"PDU length: {pdu_len}")
    elif pdu_type == 17:
        ct = d.u8(h)
        d.p(f"\n\t  source-id: {isis_print_id(d, h + 1, 6)}, holding time: {d.u16(h + 7)}s, "
            f"Flags: [{CIRCUIT_TYPES.get(ct, f'unknown circuit type 0x{ct:02x}')}]")
        d.p(f"\n\t  circuit-id: 0x{d.u8(h + 11):02x}, PDU length: {pdu_len}")
    elif pdu_type in (18, 20):
        d.p(f"\n\t  lsp-id: {isis_print_id(d, h + 4, 8)}, seq: 0x{d.u32(h + 12):08x}, "
            f"lifetime: {d.u16(h + 2):5d}s\n\t  chksum: 0x{d.u16(h + 16):04x}")
        osi_print_cksum(d, h + 4, d.u16(h + 16), 12, (length - 12) & 0xFFFFFFFF)
        tb = d.u8(h + 18)
        d.p(f", PDU length: {pdu_len}, Flags: [ {'Overload bit set, ' if tb & 0x4 else ''}")
        if tb & 0x78:
            d.p(("default " if tb & 0x8 else "") + ("delay " if tb & 0x10 else "")
                + ("expense " if tb & 0x20 else "") + ("error " if tb & 0x40 else "")
                + "ATT bit set, ")
        d.p(("P bit set, " if tb & 0x80 else "") + f"{LSP_ISTYPES[tb & 3]} ]")
    elif pdu_type in (24, 25):
        d.p(f"\n\t  source-id:    {isis_print_id(d, h + 2, 7)}, PDU length: {pdu_len}")
        d.p(f"\n\t  start lsp-id: {isis_print_id(d, h + 9, 8)}")
        d.p(f"\n\t  end lsp-id:   {isis_print_id(d, h + 17, 8)}")
    else:
        d.p(f"\n\t  source-id:    {isis_print_id(d, h + 2, 7)}, PDU length: {pdu_len}")
    if v > 1 and not d.print_unknown_data(h, "\n\t  ", size):
        return False
    if packet_len < 8 + size:
        d.p(f" [packet length {packet_len} < {8 + size}] (invalid)")
        return True
    packet_len -= 8 + size
    pptr = h + size
    try:
        while packet_len > 0:
            d.need(pptr, 2)
            if packet_len < 2:
                raise Truncated()
            tlv_type, tlv_len = d.u8(pptr), d.u8(pptr + 1)
            pptr += 2
            packet_len -= 2
            d.p(f"\n\t    {TLV_NAMES.get(tlv_type, 'unknown')} TLV #{tlv_type}, "
                f"length: {tlv_len}")
            if packet_len < tlv_len:
                raise Truncated()
            try:
                done = _tlv(d, tlv_type, pptr, tlv_len, p, length, h)
            except _TlvTrunc:
                done = True
            if done is None:
                return False
            if not done:
                return True
            if v > 1 and not d.print_unknown_data(pptr, "\n\t      ", tlv_len):
                return False
            pptr += tlv_len
            packet_len -= tlv_len
    except Truncated:
        d.nd_print_trunc()
        return True
    if packet_len != 0:
        d.p(f"\n\t      {packet_len} straggler bytes")
    return True


# -- CLNP and ES-IS (the rest of print-isoclns.c) ------------------------------
CLNP_PDUS = {1: "Error Report", 29: "MD", 28: "Data", 30: "Echo Request", 31: "Echo Response"}
CLNP_FLAGS = [(0x80, "Segmentation permitted"), (0x40, "more Segments"),
              (0x20, "request Error Report")]
CLNP_OPTIONS = {193: "Discard Reason", 205: "Priority", 195: "QoS Maintenance",
                197: "Security", 200: "Source Routing", 203: "Route Recording",
                204: "Padding"}
RFD_CLASSES = {0x0: "General", 0x8: "Address", 0x9: "Source Routeing", 0xA: "Lifetime",
               0xB: "PDU Discarded", 0xC: "Reassembly"}
RFD_ERRORS = {
    0x0: {0: "Reason not specified", 1: "Protocol procedure error", 2: "Incorrect checksum",
          3: "PDU discarded due to congestion", 4: "Header syntax error (cannot be parsed)",
          5: "Segmentation needed but not permitted", 6: "Incomplete PDU received",
          7: "Duplicate option"},
    0x8: {0: "Destination address unreachable", 1: "Destination address unknown"},
    0x9: {0: "Unspecified source routeing error", 1: "Syntax error in source routeing field",
          2: "Unknown address in source routeing field", 3: "Path not acceptable"},
    0xA: {0: "Lifetime expired while data unit in transit",
          1: "Lifetime expired during reassembly"},
    0xB: {0: "Unsupported option not specified", 1: "Unsupported protocol version",
          2: "Unsupported security option", 3: "Unsupported source routeing option",
          4: "Unsupported recording of route option"},
    0xC: {0: "Reassembly interference"},
}
SCOPES = {0x40: "Source Address Specific", 0x80: "Destination Address Specific",
          0xC0: "Globally unique"}
SR_RR = {0: "partial", 1: "complete"}
SR_RR_STRINGS = {200: "source routing", 203: "recording of route in progress"}
QOS_GLOBAL = [(0x20, "reserved"), (0x10, "sequencing vs. delay"), (0x08, "congested"),
              (0x04, "delay vs. cost"), (0x02, "error vs. delay"), (0x01, "error vs. cost")]
ESIS_PDUS = {6: "redirect", 2: "ESH", 4: "ISH"}
ESIS_OPTIONS = {129: "Protocols supported", 195: "QoS Maintenance", 197: "Security",
                198: "ES Configuration Time", 205: "Priority", 225: "Addressk Mask",
                226: "SNPA Mask"}


def _dump_to_snapend(d: Dissector, p: int) -> None:
    """The `length indicator < min PDU size:` hex, up to the snapshot end."""
    while p < d.snapend:
        d.p(f"{d.u8(p):02X}")
        p += 1


def clnp_print(d: Dissector, pptr: int, length: int) -> bool:
    """clnp_print(): False where it returns 0."""
    d.protocol = "clnp"
    optr = pptr
    if not d.ttest(pptr, 9):
        d.nd_print_trunc()
        return True
    li = d.u8(pptr + 1)
    if not d.opts.eflag:
        d.p("CLNP")
    if d.u8(pptr + 2) != 1:
        d.p(f"version {d.u8(pptr + 2)} packet not supported")
        return False
    if li > length:
        d.p(f" length indicator({li}) > PDU size ({length})!")
        return False
    if li < 9:
        d.p(f" length indicator {li} < min PDU size:")
        _dump_to_snapend(d, pptr)
        return False
    pdu_type, flags = d.u8(pptr + 4) & 0x1F, d.u8(pptr + 4) & 0xE0
    pptr += 9
    rem = li - 9
    addrs = []
    for _ in range(2):
        if rem < 1:
            d.p("li < size of fixed part of CLNP header and addresses")
            return False
        alen = d.u8(pptr)
        pptr += 1
        rem -= 1
        if rem < alen:
            d.p("li < size of fixed part of CLNP header and addresses")
            return False
        if not d.ttest(pptr, alen):
            d.nd_print_trunc()
            return True
        addrs.append((pptr, alen))
        pptr += alen
        rem -= alen
    (dst, dstl), (src, srcl) = addrs
    sep = "" if d.opts.eflag else ", "
    pdu_name = CLNP_PDUS.get(pdu_type, f"unknown ({pdu_type})")
    if not d.opts.vflag:
        d.p(f"{sep}{isonsap_string(d, src, srcl)} > {isonsap_string(d, dst, dstl)}, "
            f"{pdu_name}, length {length}")
        return True
    d.p(f"{sep}length {length}")
    lifetime = d.u8(optr + 3)
    d.p(f"\n\t{pdu_name} PDU, hlen: {li}, v: {d.u8(optr + 2)}, lifetime: {lifetime // 2}."
        f"{(lifetime % 2) * 5}s, Segment PDU length: {d.u16(optr + 5)}, checksum: "
        f"0x{d.u16(optr + 7):04x}")
    osi_print_cksum(d, optr, d.u16(optr + 7), 7, li)
    d.p(f"\n\tFlags [{bittok2str(CLNP_FLAGS, 'none', flags)}]")
    d.p(f"\n\tsource address (length {srcl}): {isonsap_string(d, src, srcl)}"
        f"\n\tdest   address (length {dstl}): {isonsap_string(d, dst, dstl)}")
    if flags & 0x80:
        if rem < 6:
            d.p("li < size of fixed part of CLNP header, addresses, and segment part")
            return False
        if not d.ttest(pptr, 6):
            d.nd_print_trunc()
            return True
        d.p(f"\n\tData Unit ID: 0x{d.u16(pptr):04x}, Segment Offset: {d.u16(pptr + 2)}, "
            f"Total PDU Length: {d.u16(pptr + 4)}")
        pptr += 6
        rem -= 6
    while rem:
        if rem < 2:
            d.p(", bad opts/li")
            return False
        op, opli = d.u8(pptr), d.u8(pptr + 1)
        pptr += 2
        rem -= 2
        if opli > rem:
            d.p(f", opt ({op}) too long")
            return False
        if not d.ttest(pptr, opli):
            d.nd_print_trunc()
            return True
        rem -= opli
        tptr, tlen = pptr, opli
        d.p(f"\n\t  {CLNP_OPTIONS.get(op, 'Unknown')} Option #{op}, length {opli}, value: ")
        if op in (200, 203):
            if tlen < 2:
                d.p(", bad opt len")
                return False
            d.p(f"{SR_RR.get(d.u8(tptr), 'Unknown')} "
                f"{SR_RR_STRINGS.get(op, f'Unknown Option {op}')}")
            off = d.u8(tptr + 1)
            if off == 0:
                d.p(" Bad NSAP offset (0)")
            elif off - 1 > tlen:
                d.p(" Bad NSAP offset (past end of option)")
            else:
                tptr += off - 1
                tlen -= off - 1
                while tlen > 0:
                    alen = d.u8(tptr)
                    if tlen < alen + 1:
                        d.p("\n\t    NSAP address goes past end of option")
                        break
                    if alen > 0:
                        d.p(f"\n\t    NSAP address (length {alen}): "
                            f"{isonsap_string(d, tptr + 1, alen)}")
                    tlen -= alen + 1
        elif op == 205:
            if tlen < 1:
                d.p(", bad opt len")
                return False
            d.p(f"0x{d.u8(tptr) & 0x0F:1x}")
        elif op == 195:
            if tlen < 1:
                d.p(", bad opt len")
                return False
            b = d.u8(tptr)
            d.p(f"\n\t    Format Code: {SCOPES.get(b & 0xC0, 'Reserved')}")
            if b & 0xC0 == 0xC0:
                d.p(f"\n\t    QoS Flags [{bittok2str(QOS_GLOBAL, 'none', b & 0x3F)}]")
        elif op == 197:
            if tlen < 2:
                d.p(", bad opt len")
                return False
            d.p(f"\n\t    Format Code: {SCOPES.get(d.u8(tptr) & 0xC0, 'Reserved')}, "
                f"Security-Level {d.u8(tptr + 1)}")
        elif op == 193:
            if tlen < 1:
                d.p(", bad opt len")
                return False
            e = d.u8(tptr)
            major, minor = e >> 4, e & 0x0F
            minor_name = RFD_ERRORS[major].get(minor, "Unknown") if major in RFD_ERRORS \
                else "Unknown"
            d.p(f"\n\t    Class: {RFD_CLASSES.get(major, 'Unknown')} Error (0x{major:01x}), "
                f"{minor_name} (0x{minor:01x})")
        elif op == 204:
            d.p("padding data")
        else:
            d.print_unknown_data(tptr, "\n\t  ", opli)
        if d.opts.vflag > 1:
            d.print_unknown_data(pptr, "\n\t  ", opli)
        pptr += opli
    if pdu_type in (1, 31) and d.u8(pptr) == 0x81:
        d.p("\n\t-----original packet-----\n\t")
        clnp_print(d, pptr, (length - li) & 0xFFFFFFFF)
        return True
    if length > pptr - optr:
        d.p(f"\n\t  undecoded non-header data, length {(length - li) & 0xFFFFFFFF}")
        d.print_unknown_data(pptr, "\n\t  ", length - (pptr - optr))
    return True


def esis_print(d: Dissector, pptr: int, length: int) -> None:
    """esis_print()."""
    d.protocol = "esis"
    if not d.opts.eflag:
        d.p("ES-IS")
    if length <= 2:
        d.p("bad pkt!" if d.opts.qflag else "no header at all!")
        return
    if not d.ttest(pptr, 9):
        d.nd_print_trunc()
        return
    li = d.u8(pptr + 1)
    optr = pptr
    if d.u8(pptr) != 0x82:
        d.p(f" nlpid 0x{d.u8(pptr):02x} packet not supported")
        return
    version = d.u8(pptr + 2)
    if version != 1:
        d.p(f" version {version} packet not supported")
        return
    if li > length:
        d.p(f" length indicator({li}) > PDU size ({length})!")
        return
    if li < 11:
        d.p(f" length indicator {li} < min PDU size:")
        _dump_to_snapend(d, pptr)
        return
    ptype = d.u8(pptr + 4) & 0x1F
    sep = "" if d.opts.eflag else ", "
    if not d.opts.vflag:
        d.p(f"{sep}{ESIS_PDUS.get(ptype, f'unknown type ({ptype})')}, length {length}")
        return
    d.p(f"{sep}length {length}\n\t{ESIS_PDUS.get(ptype, f'unknown type: {ptype}')} ({ptype})")
    d.p(f", v: {version}, checksum: 0x{d.u16(pptr + 7):04x}")
    osi_print_cksum(d, pptr, d.u16(pptr + 7), 7, li)
    d.p(f", holding time: {d.u16(pptr + 5)}s, length indicator: {li}")
    if d.opts.vflag > 1:
        d.print_unknown_data(optr, "\n\t", 9)
    pptr += 9
    li -= 9

    def bad(what: str) -> None:
        d.p(f", bad {what}/li")

    if ptype == 6:
        fields = []
        for i in range(3):
            if not d.ttest(pptr, 1):
                d.nd_print_trunc()
                return
            if li < 1:
                return bad("redirect")
            n = d.u8(pptr)
            pptr += 1
            if i < 2:
                li -= 1
            if not d.ttest(pptr, n):
                d.nd_print_trunc()
                return
            if li < n:
                return bad("redirect")
            fields.append((pptr, n))
            pptr += n
            li -= n
            if i == 0:
                d.p(f"\n\t  {isonsap_string(d, pptr - n, n)}")
        (snpa, snpal), (neta, netal) = fields[1], fields[2]
        if snpal == 6:
            d.p(f"\n\t  SNPA (length: {snpal}): {d.etheraddr_string(snpa)}")
        else:
            d.p(f"\n\t  SNPA (length: {snpal}): {d.linkaddr_string(snpa, snpal)}")
        if netal:
            d.p(f"\n\t  NET (length: {netal}) {isonsap_string(d, neta, netal)}")
    elif ptype == 2:
        if not d.ttest(pptr, 1):
            d.nd_print_trunc()
            return
        if li < 1:
            return bad("esh")
        n = d.u8(pptr)
        pptr += 1
        li -= 1
        d.p(f"\n\t  Number of Source Addresses: {n}")
        while n > 0:
            if not d.ttest(pptr, 1):
                d.nd_print_trunc()
                return
            if li < 1:
                return bad("esh")
            alen = d.u8(pptr)
            pptr += 1
            li -= 1
            if not d.ttest(pptr, alen):
                d.nd_print_trunc()
                return
            if li < alen:
                return bad("esh")
            d.p(f"\n\t  NET (length: {alen}): {isonsap_string(d, pptr, alen)}")
            pptr += alen
            li -= alen
            n -= 1
    elif ptype == 4:
        if not d.ttest(pptr, 1):
            d.nd_print_trunc()
            return
        if li < 1:
            return bad("ish")
        alen = d.u8(pptr)
        pptr += 1
        li -= 1
        if not d.ttest(pptr, alen):
            d.nd_print_trunc()
            return
        if li < alen:
            return bad("ish")
        d.p(f"\n\t  NET (length: {alen}): {isonsap_string(d, pptr, alen)}")
        pptr += alen
        li -= alen
    else:
        if d.opts.vflag <= 1 and d.ttest(pptr, 1):
            d.print_unknown_data(pptr, "\n\t  ", d.avail(pptr))
        return
    while li:
        if li < 2:
            d.p(", bad opts/li")
            return
        op, opli = d.u8(pptr), d.u8(pptr + 1)
        pptr += 2
        li -= 2
        if opli > li:
            d.p(f", opt ({op}) too long")
            return
        li -= opli
        tptr = pptr
        d.p(f"\n\t  {ESIS_OPTIONS.get(op, 'Unknown')} Option #{op}, length {opli}, value: ")
        if op == 198:
            if opli == 2:
                d.p(f"{d.u16(tptr)}s")
            else:
                d.p("(bad length)")
        elif op == 129:
            # the loop counts opli itself down: -vv's hex below then shows nothing
            # and the next option is read where this one began
            while opli > 0:
                b = d.u8(tptr)
                d.p(f"{NLPIDS.get(b, 'unknown')} (0x{b:02x})")
                if opli > 1:
                    d.p(", ")
                tptr += 1
                opli -= 1
        else:
            d.print_unknown_data(tptr, "\n\t  ", opli)
        if d.opts.vflag > 1:
            d.print_unknown_data(pptr, "\n\t  ", opli)
        pptr += opli


def isoclns_print(d: Dissector, p: int, length: int) -> None:
    """isoclns_print(): by the NLPID, CLNP, ES-IS, IS-IS, or what it carries."""
    d.protocol = "isoclns"
    nlpid = d.u8(p)
    if d.opts.eflag:
        d.p(f"OSI NLPID {NLPIDS.get(nlpid, 'Unknown')} (0x{nlpid:02x}): ")
    if nlpid == 0x81:
        if not clnp_print(d, p, length):
            d.print_unknown_data(p, "\n\t", length)
    elif nlpid == 0x82:
        esis_print(d, p, length)
    elif nlpid == 0x83:
        if not isis_print(d, p, length):
            d.print_unknown_data(p, "\n\t", length)
    elif nlpid == 0x00:
        d.p(f"{'' if d.opts.eflag else ', '}length: {length}")
    elif nlpid == 0xCC:
        d.ip_print(p + 1, length - 1)
    elif nlpid == 0x8E:
        d.ip6_print(p + 1, length - 1)
    elif nlpid == 0xCF:
        from ipemu.tcpdump.l2 import ppp_print
        ppp_print(d, p + 1, length - 1)
    elif nlpid == 0x08:
        from ipemu.tcpdump.fr import q933_print
        q933_print(d, p + 1, length - 1)
    else:
        if not d.opts.eflag:
            d.p(f"OSI NLPID 0x{nlpid:02x} unknown")
        d.p(f"{'' if d.opts.eflag else ', '}length: {length}")
        if length > 1:
            d.print_unknown_data(p, "\n\t", length)
