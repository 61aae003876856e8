"""Routing, signalling and link protocols of tcpdump 4.99.3: EIGRP (print-eigrp.c),
HSRP (print-hsrp.c), EAPOL/EAP (print-eap.c), Ethernet CFM (print-cfm.c), SOME/IP
(print-someip.c) and timed (print-timed.c) whole. RSVP is in rsvp.py, IS-IS, CLNP and
ES-IS in isis.py, LSP ping in lspping.py."""
from __future__ import annotations

import struct

from ipemu.tcpdump.dissect import Dissector, bittok2str, tok2str
from ipemu.tcpdump.util import nd_printjnp, unsigned_relts

EIGRP_OPCODES = {1: "Update", 3: "Query", 4: "Reply", 5: "Hello", 6: "IPX SAP", 7: "Probe"}
EAP_FRAME_TYPES = {0: "EAP packet", 1: "EAPOL start", 2: "EAPOL logoff", 3: "EAPOL key",
                   4: "Encapsulated ASF alert"}
HSRP_OPCODES = ("hello", "coup", "resign")
HSRP_STATES = {0: "initial", 1: "learn", 2: "listen", 4: "speak", 8: "standby", 16: "active"}


EIGRP_TLVS = {0x0001: "General Parameters", 0x0002: "Authentication", 0x0003: "Sequence",
              0x0004: "Software Version", 0x0005: "Next Multicast Sequence",
              0x0102: "IP Internal routes", 0x0103: "IP External routes",
              0x0202: "AppleTalk Internal routes", 0x0203: "AppleTalk External routes",
              0x0204: "AppleTalk Cable setup", 0x0302: "IPX Internal routes",
              0x0303: "IPX External routes"}
EIGRP_FLAGS = [(0x01, "Init"), (0x02, "Conditionally Received"), (0x04, "Restart"),
               (0x08, "End-of-Table")]
EIGRP_EXT_PROTOS = {1: "IGRP", 2: "EIGRP", 3: "Static", 4: "RIP", 5: "Hello", 6: "OSPF",
                    7: "IS-IS", 8: "EGP", 9: "BGP", 10: "IDRP", 11: "Connected"}
# each TLV's fixed part after its 4-byte header (eigrp_tlv_*_t sizes)
EIGRP_TLV_SIZES = {0x0001: 8, 0x0004: 4, 0x0102: 22, 0x0103: 42, 0x0204: 8, 0x0202: 24,
                   0x0203: 40}


def eigrp_print(d: Dissector, bp: int, length: int) -> None:
    """eigrp_print(): the opcode line without -v; with it the header and each TLV."""
    d.protocol = "eigrp"
    if not d.ttest(bp, 20):    # ND_TCHECK_SIZE(eigrp_com_header)
        d.nd_print_trunc()
        return
    version, opcode = d.u8(bp), d.u8(bp + 1)
    if version != 2:
        d.p(f"EIGRP version {version} packet not supported")
        return
    if not d.opts.vflag:
        d.p(f"EIGRP {tok2str(EIGRP_OPCODES, 'unknown (%u)', opcode)}, length: {length}")
        return
    if length < 20:
        d.p(f"EIGRP {tok2str(EIGRP_OPCODES, 'unknown (%u)', opcode)}, length: {length} "
            "(too short, < 20)")
        return
    tlen = length - 20
    d.p(f"\n\tEIGRP v{version}, opcode: {tok2str(EIGRP_OPCODES, 'unknown, type: %u', opcode)}"
        f" ({opcode}), chksum: 0x{d.u16(bp + 2):04x}, Flags: "
        f"[{bittok2str(EIGRP_FLAGS, 'none', d.u32(bp + 4))}]\n\tseq: 0x{d.u32(bp + 8):08x}, "
        f"ack: 0x{d.u32(bp + 12):08x}, VRID: {d.u16(bp + 16)}, AS: {d.u16(bp + 18)}, "
        f"length: {tlen}")
    tptr = bp + 20
    while tlen > 0:
        if not d.ttest(tptr, 4):
            d.nd_print_trunc()
            return
        tlv_len, tlv_type = d.u16(tptr + 2), d.u16(tptr)
        if tlv_len < 4 or tlv_len > tlen:
            d.print_unknown_data(tptr + 4, "\n\t    ", tlen)
            return
        d.p(f"\n\t  {EIGRP_TLVS.get(tlv_type, 'Unknown')} TLV (0x{tlv_type:04x}), "
            f"length: {tlv_len}")
        if not d.ttest(tptr, tlv_len):
            d.nd_print_trunc()
            return
        _eigrp_tlv(d, tlv_type, tptr + 4, tlv_len - 4)
        if d.opts.vflag > 1:
            d.print_unknown_data(tptr + 4, "\n\t    ", tlv_len - 4)
        tptr += tlv_len
        tlen -= tlv_len


def _eigrp_metrics(d: Dissector, at: int) -> str:
    return (f"\n\t      delay {d.u32(at) // 100} ms, bandwidth {d.u32(at + 4)} Kbps, mtu "
            f"{d.u16(at + 8) << 8 | d.u8(at + 10)}, hop {d.u8(at + 11)}, reliability "
            f"{d.u8(at + 12)}, load {d.u8(at + 13)}")


def _eigrp_ip_prefix(d: Dissector, nexthop: int, plen_at: int) -> bool:
    bits = d.u8(plen_at)
    if bits > 32:
        d.p(f"\n\t    illegal prefix length {bits}")
        return False
    raw = d.bytes_(plen_at + 1, (bits + 7) // 8) + bytes(4)
    text = ".".join(str(b) for b in raw[:4])
    if not d.opts.nflag:
        text = d.opts.hosts.get(text, text)
    d.p(f"\n\t    IPv4 prefix: {text:>15}/{bits}, nexthop: ")
    d.p("self" if d.u32(nexthop) == 0 else d.ipaddr_string(nexthop))
    return True


def _eigrp_tlv(d: Dissector, kind: int, t: int, tlen: int) -> None:
    """One TLV's body (eigrp_print()'s switch)."""
    size = EIGRP_TLV_SIZES.get(kind)
    if size is not None and tlen < size:
        d.p(f" (too short, < {4 + size})")
        return
    if kind == 0x0001:
        d.p(f"\n\t    holdtime: {d.u16(t + 6)}s, k1 {d.u8(t)}, k2 {d.u8(t + 1)}, "
            f"k3 {d.u8(t + 2)}, k4 {d.u8(t + 3)}, k5 {d.u8(t + 4)}")
    elif kind == 0x0004:
        d.p(f"\n\t    IOS version: {d.u8(t)}.{d.u8(t + 1)}, EIGRP version "
            f"{d.u8(t + 2)}.{d.u8(t + 3)}")
    elif kind == 0x0102:
        if _eigrp_ip_prefix(d, t, t + 20):
            d.p(_eigrp_metrics(d, t + 4))
    elif kind == 0x0103:
        if _eigrp_ip_prefix(d, t, t + 40):
            d.p(f"\n\t      origin-router {d.ipaddr_string(t + 4)}, origin-as {d.u32(t + 8)}"
                f", origin-proto {EIGRP_EXT_PROTOS.get(d.u8(t + 22), 'unknown')}, flags "
                f"[0x{d.u8(t + 23):02x}], tag 0x{d.u32(t + 12):08x}, metric {d.u32(t + 16)}")
            d.p(_eigrp_metrics(d, t + 24))
    elif kind == 0x0204:
        d.p(f"\n\t    Cable-range: {d.u16(t)}-{d.u16(t + 2)}, Router-ID {d.u32(t + 4)}")
    elif kind in (0x0202, 0x0203):
        cable = t + (20 if kind == 0x0202 else 36)
        d.p(f"\n\t     Cable-Range: {d.u16(cable)}-{d.u16(cable + 2)}, nexthop: ")
        d.p("self" if d.u32(t) == 0 else f"{d.u16(t)}.{d.u16(t + 2)}")
        if kind == 0x0203:
            d.p(f"\n\t      origin-router {d.u32(t + 4)}, origin-as {d.u32(t + 8)}, "
                f"origin-proto {EIGRP_EXT_PROTOS.get(d.u8(t + 16), 'unknown')}, flags "
                f"[0x{d.u8(t + 17):02x}], tag 0x{d.u32(t + 12):08x}, metric {d.u16(t + 18)}")
        d.p(_eigrp_metrics(d, t + (4 if kind == 0x0202 else 20)))
    elif d.opts.vflag <= 1:
        d.print_unknown_data(t, "\n\t    ", tlen)


EAP_CODES = {1: "Request", 2: "Response", 3: "Success", 4: "Failure"}
EAP_TYPES = {0: "No proposed", 1: "Identity", 2: "Notification", 3: "Nak",
             4: "MD5-challenge", 5: "OTP", 6: "GTC", 13: "TLS", 18: "SIM", 21: "TTLS",
             23: "AKA", 43: "FAST", 254: "Expanded types", 255: "Experimental"}
EAP_TLS_FLAGS = [(0x80, "L bit"), (0x40, "More fragments bit"), (0x20, "Start bit")]
EAP_AKA_SUBTYPES = {1: "Challenge", 2: "Auth reject", 4: "Sync failure", 5: "Identity",
                    10: "Start", 11: "Challenge", 12: "Notification", 13: "Reauth",
                    14: "Client error"}


def eapol_print(d: Dissector, bp: int) -> None:
    """eapol_print(): the frame type, version and length; under -v an EAP packet's
    code, id and type (eap_print())."""
    d.protocol = "eap"
    if not d.ttest(bp, 4):
        d.nd_print_trunc()
        return
    kind = d.u8(bp + 1)    # struct eap_frame_t: version, type, length
    eap_len = d.u16(bp + 2)
    d.p(f"{EAP_FRAME_TYPES.get(kind, 'unknown')} ({kind}) v{d.u8(bp)}, len {eap_len}")
    if not d.opts.vflag or kind != 0:
        return
    if eap_len == 0:
        d.nd_print_trunc()
        return
    d.p(", ")
    eap_print(d, bp + 4, eap_len)


def eap_print(d: Dissector, cp: int, length: int) -> None:
    """eap_print() (print-eap.c)."""
    code, elen = d.u8(cp), d.u16(cp + 2)
    if elen != length:
        d.p("EAP fragment?")
        return
    d.p(f"{EAP_CODES.get(code, 'unknown')} ({code}), id {d.u8(cp + 1)}, len {elen}")
    if elen < 4:
        d.p(" (too short for EAP header)")
        return
    if not d.ttest(cp, elen):
        d.nd_print_trunc()
        return
    if code not in (1, 2):
        return
    if elen < 5:
        d.p(" (too short for EAP request/response)")
        return
    sub = d.u8(cp + 4)
    d.p(f"\n\t\t Type {EAP_TYPES.get(sub, 'unknown')} ({sub})")
    if sub == 1:
        if elen > 5:
            d.p(", Identity: ")
            nd_printjnp(d, cp + 5, elen - 5)
    elif sub == 2:
        if elen < 6:
            d.p(" (too short for EAP Notification request/response)")
            return
        d.p(", Notification: ")
        nd_printjnp(d, cp + 5, elen - 5)
    elif sub == 3:
        if elen < 6:
            d.p(" (too short for EAP Legacy NAK request/response)")
            return
        sep = ""
        for i in range(5, elen):
            t = d.u8(cp + i)
            d.p(f"{sep} {EAP_TYPES.get(t, 'unknown')} ({t})")
            sep = ","
    elif sub in (13, 21, 43):
        label = {13: "TLS/TTLS", 21: "TLS/TTLS", 43: "FAST"}[sub]
        if elen < 6:
            d.p(f" (too short for EAP {label} request/response)")
            return
        flags = d.u8(cp + 5)
        if sub == 21:
            d.p(f" TTLSv{flags & 7}")
        elif sub == 43:
            d.p(f" FASTv{flags & 7}")
        d.p(f" flags [{bittok2str(EAP_TLS_FLAGS, 'none', flags)}] 0x{flags:02x}")
        if flags & 0x80:
            if elen < 10:
                d.p(f" (too short for EAP {label} request/response with length)")
                return
            d.p(f", len {d.u32(cp + 6)}")
    elif sub in (18, 23):
        if elen < 6:
            d.p(" (too short for EAP SIM/AKA request/response)")
            return
        st = d.u8(cp + 5)
        d.p(f" subtype [{EAP_AKA_SUBTYPES.get(st, 'unknown')}] 0x{st:02x}")


def hsrp_print(d: Dissector, bp: int, length: int) -> None:
    """hsrp_print(): version 0's opcode, state, group and virtual address; under -v
    its timers, priority and authentication data."""
    d.protocol = "hsrp"
    version = d.u8(bp)
    d.p(f"HSRPv{version}")
    if version != 0:
        return
    op = d.u8(bp + 1)
    d.p(f"-{HSRP_OPCODES[op] if op < len(HSRP_OPCODES) else f'unknown ({op})'} ")
    d.p(f"{length}: state={tok2str(HSRP_STATES, 'Unknown (%u)', d.u8(bp + 2))} ")
    d.p(f"group={d.u8(bp + 6)} ")
    if d.u8(bp + 7):
        d.p(f"[reserved={d.u8(bp + 7)}!] ")
    d.p(f"addr={d.ipaddr_string(bp + 16)}")
    if d.opts.vflag:
        d.p(f" hellotime={unsigned_relts(d.u8(bp + 3))}")
        d.p(f" holdtime={unsigned_relts(d.u8(bp + 4))}")
        d.p(f" priority={d.u8(bp + 5)}")
        d.p(' auth="')
        nd_printjnp(d, bp + 8, 8)
        d.p('"')


CFM_OPCODES = {1: "Continuity Check Message", 2: "Loopback Reply", 3: "Loopback Message",
               4: "Linktrace Reply", 5: "Linktrace Message"}
# ccm_interval_base[] (floats: printed as the double of the float)
CCM_INTERVALS = [struct.unpack("!f", struct.pack("!f", v))[0]
                 for v in (0.0, 0.003333, 0.01, 0.1, 1.0, 10.0, 60.0, 600.0)]
CFM_MD_FORMATS = {0: "IEEE 802.1", 1: "No MD Name present", 2: "DNS string",
                  3: "MAC + 16Bit Integer", 4: "Character string"}
CFM_MA_FORMATS = {0: "IEEE 802.1", 1: "Primary VID", 2: "Character string",
                  3: "16Bit Integer", 4: "RFC2685 VPN-ID"}
CFM_LTR_FLAGS = [(0x80, "UseFDB Only"), (0x40, "FwdYes"), (0x20, "Terminal MEP")]
CFM_LTR_ACTIONS = {1: "Exact Match", 2: "Filtering DB", 3: "MIP CCM DB"}
CFM_TLVS = {0: "End", 1: "Sender ID", 2: "Port status", 3: "Interface status", 4: "Data",
            5: "Reply Ingress", 6: "Reply Egress", 31: "Organization Specific"}
CFM_PORT_STATUS = {1: "Blocked", 2: "Up"}
CFM_IF_STATUS = {1: "Up", 2: "Down", 3: "Testing", 5: "Dormant", 6: "not present",
                 7: "lower Layer down"}
CFM_CHASSIS_IDS = {0: "Reserved", 1: "Chassis component", 2: "Interface alias",
                   3: "Port component", 4: "MAC address", 5: "Network address",
                   6: "Interface name", 7: "Locally assigned"}


class _CfmShort(Exception):
    """cfm_print()'s `goto tooshort`."""


def _cfm_network_addr(d: Dissector, tptr: int, length: int) -> bool:
    """cfm_network_addr_print(): True when the TLV's hex should follow."""
    from ipemu.tcpdump.bgp import AF_VALUES
    if length < 1:
        d.p("\n\t  Network Address Type (invalid, no data")
        return False
    t = d.u8(tptr)
    d.p(f"\n\t  Network Address Type {AF_VALUES.get(t, 'Unknown')} ({t})")
    if t == 1:
        if length != 5:
            d.p(f"(invalid IPv4 address length {length - 1})")
            return True
        d.p(f", {d.ipaddr_string(tptr + 1)}")
        return False
    if t == 2:
        if length != 17:
            d.p(f"(invalid IPv6 address length {length - 1})")
            return True
        d.p(f", {d.ip6addr_string(tptr + 1)}")
        return False
    return True


def cfm_print(d: Dissector, bp: int, length: int) -> None:
    """cfm_print() (print-cfm.c, Ethernet CFM/Y.1731 on ethertypes 0x8902 and 0xabcd):
    version, opcode, MD level; under -v the message's fields and its TLVs."""
    d.protocol = "cfm"
    try:
        _cfm(d, bp, length)
    except _CfmShort:
        d.p("\n\t\t packet is too short")


def _cfm(d: Dissector, bp: int, length: int) -> None:
    from ipemu.tcpdump.names import OUIS
    if length < 4:
        raise _CfmShort()
    if not d.ttest(bp, 4):
        d.nd_print_trunc()
        return
    first = d.u8(bp)
    if first & 0x1F != 0:
        d.p(f"CFMv{first & 0x1F} not supported, length {length}")
        return
    opcode = d.u8(bp + 1)
    d.p(f"CFMv0 {tok2str(CFM_OPCODES, 'unknown (%u)', opcode)}, MD Level "
        f"{first >> 5}, length {length}")
    if not d.opts.vflag:
        return
    flags, first_tlv = d.u8(bp + 2), d.u8(bp + 3)
    d.p(f"\n\tFirst TLV offset {first_tlv}")
    tptr, tlen = bp + 4, length - 4
    if first_tlv > tlen:
        d.p(f" (too large, must be <= {tlen})")
        return
    if opcode == 1:
        if first_tlv < 70:
            d.p(" (too small 1, must be >= 70)")
            return
        if tlen < 70:
            raise _CfmShort()
        if not d.ttest(tptr, 70):
            d.nd_print_trunc()
            return
        interval = flags & 0x07
        d.p(f", Flags [CCM Interval {interval}{', RDI' if flags & 0x80 else ''}]")
        if interval:
            base = CCM_INTERVALS[interval]
            d.p(f"\n\t  CCM Interval {base:.3f}s, min CCM Lifetime {base * 3.25:.3f}s, "
                f"max CCM Lifetime {base * 3.5:.3f}s")
        d.p(f"\n\t  Sequence Number 0x{d.u32(tptr):08x}, MA-End-Point-ID "
            f"0x{d.u16(tptr + 4):04x}")
        namesp, remaining = tptr + 6, 48
        md_format = d.u8(namesp)
        namesp += 1
        remaining -= 1
        if md_format != 1:
            md_len = d.u8(namesp)
            namesp += 1
            remaining -= 1
            d.p(f"\n\t  MD Name Format {CFM_MD_FORMATS.get(md_format, 'Unknown')} "
                f"({md_format}), MD Name length {md_len}")
            if md_len > remaining - 3:
                d.p(f" (too large, must be <= {remaining - 2})")
                return
            d.p("\n\t  MD Name: ")
            if md_format in (2, 4):
                nd_printjnp(d, namesp, md_len)
            elif md_format == 3:
                d.p(f"\n\t  MAC {d.etheraddr_string(namesp)}" if md_len == 6
                    else "\n\t  MAC (length invalid)")
            else:
                d.print_unknown_data(namesp, "\n\t    ", md_len)
            namesp += md_len
            remaining -= md_len
        else:
            d.p(f"\n\t  MD Name Format {CFM_MD_FORMATS.get(md_format, 'Unknown')} "
                f"({md_format})")
        ma_format, ma_len = d.u8(namesp), d.u8(namesp + 1)
        namesp += 2
        remaining -= 2
        d.p(f"\n\t  MA Name-Format {CFM_MA_FORMATS.get(ma_format, 'Unknown')} "
            f"({ma_format}), MA name length {ma_len}")
        if ma_len > remaining:
            d.p(f" (too large, must be <= {remaining})")
            return
        d.p("\n\t  MA Name: ")
        if ma_format == 2:
            nd_printjnp(d, namesp, ma_len)
        else:
            d.print_unknown_data(namesp, "\n\t    ", ma_len)
    elif opcode == 5:
        if first_tlv < 17:
            d.p(" (too small 4, must be >= 17)")
            return
        if tlen < 17:
            raise _CfmShort()
        if not d.ttest(tptr, 17):
            d.nd_print_trunc()
            return
        d.p(f", Flags [{bittok2str([(0x80, 'Use Forwarding-DB only')], 'none', flags)}]")
        d.p(f"\n\t  Transaction-ID 0x{d.u32(tptr):08x}, ttl {d.u8(tptr + 4)}")
        d.p(f"\n\t  Original-MAC {d.etheraddr_string(tptr + 5)}, Target-MAC "
            f"{d.etheraddr_string(tptr + 11)}")
    elif opcode == 4:
        if first_tlv < 6:
            d.p(" (too small 5, must be >= 6)")
            return
        if tlen < 6:
            raise _CfmShort()
        if not d.ttest(tptr, 6):
            d.nd_print_trunc()
            return
        d.p(f", Flags [{bittok2str(CFM_LTR_FLAGS, 'none', flags)}]")
        d.p(f"\n\t  Transaction-ID 0x{d.u32(tptr):08x}, ttl {d.u8(tptr + 4)}")
        action = d.u8(tptr + 5)
        d.p(f"\n\t  Replay-Action {CFM_LTR_ACTIONS.get(action, 'Unknown')} ({action})")
    else:
        d.print_unknown_data(tptr, "\n\t  ", tlen - first_tlv)
    tptr += first_tlv
    tlen -= first_tlv
    while tlen > 0:
        ttype = d.u8(tptr)
        d.p(f"\n\t{CFM_TLVS.get(ttype, 'Unknown')} TLV (0x{ttype:02x})")
        if ttype == 0:
            return
        if tlen < 3:
            raise _CfmShort()
        if not d.ttest(tptr, 3):
            d.nd_print_trunc()
            return
        tl = d.u16(tptr + 1)
        d.p(f", length {tl}")
        tptr += 3
        tlen -= 3
        tlv_ptr = tptr
        if tlen < tl:
            raise _CfmShort()
        if not d.ttest(tptr, tl):
            d.nd_print_trunc()
            return
        hexdump = False
        if ttype in (2, 3):
            if tl < 1:
                d.p(" (too short, must be >= 1)")
                return
            st = d.u8(tptr)
            table = CFM_PORT_STATUS if ttype == 2 else CFM_IF_STATUS
            d.p(f", Status: {table.get(st, 'Unknown')} ({st})")
        elif ttype == 31:
            if tl < 4:
                d.p(" (too short, must be >= 4)")
                return
            oui = int.from_bytes(d.bytes_(tptr, 3), "big")
            d.p(f", Vendor: {OUIS.get(oui, 'Unknown')} ({oui}), Sub-Type {d.u8(tptr + 3)}")
            hexdump = True
        elif ttype == 1:
            if tl < 1:
                d.p(" (too short, must be >= 1)")
                tptr += tl
                tlen -= tl
                continue
            done, tptr, tlen, tl, hexdump = _cfm_sender_id(d, tptr, tlen, tl)
            if done == "next":
                tptr += tl
                tlen -= tl
                continue
            if done == "return":
                return
        else:
            hexdump = True
        if hexdump or d.opts.vflag > 1:
            d.print_unknown_data(tlv_ptr, "\n\t  ", tl)
        tptr += tl
        tlen -= tl


def _cfm_sender_id(d: Dissector, tptr: int, tlen: int, tl: int):
    """cfm_print()'s Sender ID TLV: (how it ends: "break", "next" or "return", the
    pointer, tlen and TLV length it leaves, hexdump)."""
    from ipemu.tcpdump.hexdump import hex_print
    hexdump = False
    chassis_len = d.u8(tptr)
    tptr += 1
    tlen -= 1
    tl -= 1
    if chassis_len:
        if tl < 1:
            d.p("\n\t  (TLV too short)")
            return "next", tptr, tlen, tl, hexdump
        ctype = d.u8(tptr)
        tl -= 1
        d.p(f"\n\t  Chassis-ID Type {CFM_CHASSIS_IDS.get(ctype, 'Unknown')} ({ctype}), "
            f"Chassis-ID length {chassis_len}")
        if tl < chassis_len:
            d.p("\n\t  (TLV too short)")
            return "next", tptr, tlen, tl, hexdump
        if ctype == 4:
            if chassis_len != 6:
                d.p(" (invalid MAC address length)")
                hexdump = True
            else:
                d.p(f"\n\t  MAC {d.etheraddr_string(tptr + 1)}")
        elif ctype == 5:
            hexdump |= _cfm_network_addr(d, tptr + 1, chassis_len)
        elif ctype in (6, 2, 7, 1, 3):
            nd_printjnp(d, tptr + 1, chassis_len)
        else:
            hexdump = True
        tl -= chassis_len
        tptr += 1 + chassis_len
        tlen -= 1 + chassis_len
    if tl == 0:
        return "break", tptr, tlen, tl, hexdump
    mlen = d.u8(tptr)
    tptr += 1
    tlen -= 1
    tl -= 1
    d.p(f"\n\t  Management Address Domain Length {mlen}")
    if mlen:
        if tl < mlen:
            d.p("\n\t  (TLV too short)")
            return "next", tptr, tlen, tl, hexdump
        tl -= mlen
        d.p(hex_print(d.bytes_(tptr, mlen), "\n\t  Management Address Domain: "))
        tptr += mlen
        tlen -= mlen
        if tl < 1:
            d.p(" (Management Address Length is missing)")
            return "break", tptr, tlen, tl, True
        alen = d.u8(tptr)
        tptr += 1
        tlen -= 1
        tl -= 1
        d.p(f"\n\t  Management Address Length {alen}")
        if alen:
            if tl < alen:
                d.p("\n\t  (TLV too short)")
                return "return", tptr, tlen, tl, hexdump
            tl -= alen
            d.p(hex_print(d.bytes_(tptr, alen), "\n\t  Management Address: "))
            tptr += alen
            tlen -= alen
    return "break", tptr, tlen, tl, hexdump


def msdp_print(d: Dissector, sp: int, length: int) -> None:
    """msdp_print() (print-msdp.c, TCP 639): each TLV's type, -v's lengths, and -vv's
    data packet inside a source-active message."""
    d.protocol = "msdp"
    d.p(": msdp")
    kind, tlen = d.u8(sp), d.u16(sp + 1)
    if tlen > 1500 or tlen < 3 or kind == 0 or kind > 7:
        d.nd_print_trunc()
        return
    while length:
        kind, tlen = d.u8(sp), d.u16(sp + 1)
        if tlen > 1400 or d.opts.vflag:
            d.p(f" [len {tlen}]")
        if tlen < 3 or length < tlen:
            d.nd_print_trunc()
            return
        sp += 3
        length -= 3
        if kind in (1, 3):
            entries = d.u8(sp)
            d.p(f" {'SA' if kind == 1 else 'SA-Response'} {entries} entries")
            if entries * 12 + 8 < tlen:
                d.p(" [w/data]")
                if d.opts.vflag > 1:
                    d.p(" ")
                    d.ip_print(sp + entries * 12 + 8 - 3, tlen - (entries * 12 + 8))
        elif kind == 2:
            d.p(f" SA-Request for {d.ipaddr_string(sp + 1)}")
        elif kind == 4:
            d.p(" Keepalive")
            if tlen != 3:
                d.p(f"[len={tlen}] ")
        elif kind == 5:
            d.p(" Notification")
        else:
            d.p(f" [type={kind} len={tlen}]")
        sp += tlen - 3
        length -= tlen - 3


SOMEIP_MSG_TYPES = {0x00: "REQUEST", 0x01: "REQUEST_NO_RETURN", 0x02: "NOTIFICATION",
                    0x80: "RESPONSE", 0x81: "ERROR", 0x20: "TP_REQUEST",
                    0x21: "TP_REQUEST_NO_RETURN", 0x22: "TP_NOTIFICATION", 0xA0: "TP_RESPONSE",
                    0xA1: "TP_ERROR"}
SOMEIP_RETURN_CODES = {
    0x00: "E_OK", 0x01: "E_NOT_OK", 0x02: "E_UNKNOWN_SERVICE", 0x03: "E_UNKNOWN_METHOD",
    0x04: "E_NOT_READY", 0x05: "E_NOT_REACHABLE", 0x06: "E_TIMEOUT",
    0x07: "E_WRONG_PROTOCOL_VERSION", 0x08: "E_WRONG_INTERFACE_VERSION",
    0x09: "E_MALFORMED_MESSAGE", 0x0A: "E_WRONG_MESSAGE_TYPE", 0x0B: "E_E2E_REPEATED",
    0x0C: "E_E2E_WRONG_SEQUENCE", 0x0D: "E_E2E", 0x0E: "E_E2E_NOT_AVAILABLE",
    0x0F: "E_E2E_NO_NEW_DATA"}


def someip_print(d: Dissector, bp: int, length: int) -> None:
    """someip_print() (print-someip.c, UDP 30490): the message header on the UDP line,
    ending in a newline of its own."""
    d.protocol = "someip"
    d.p("SOMEIP")
    if length < 16:
        d.p(" (invalid)")
        return
    mid = d.u32(bp)
    d.p(f", service {mid >> 16}, {'event' if mid & 0x8000 else 'method'} {mid & 0x7FFF}")
    d.p(f", len {d.u32(bp + 4)}")
    rid = d.u32(bp + 8)
    d.p(f", client {rid >> 16}, session {rid & 0xFFFF}, pver {d.u8(bp + 12)}, "
        f"iver {d.u8(bp + 13)}, msgtype {SOMEIP_MSG_TYPES.get(d.u8(bp + 14), 'Unknown')}, "
        f"retcode {SOMEIP_RETURN_CODES.get(d.u8(bp + 15), 'Unknown')}\n")


TSP_TYPES = ["TSP_ANY", "TSP_ADJTIME", "TSP_ACK", "TSP_MASTERREQ", "TSP_MASTERACK",
             "TSP_SETTIME", "TSP_MASTERUP", "TSP_SLAVEUP", "TSP_ELECTION", "TSP_ACCEPT",
             "TSP_REFUSE", "TSP_CONFLICT", "TSP_RESOLVE", "TSP_QUIT", "TSP_DATE",
             "TSP_DATEREQ", "TSP_DATEACK", "TSP_TRACEON", "TSP_TRACEOFF", "TSP_MSITE",
             "TSP_MSITEREQ", "TSP_TEST", "TSP_SETDATE", "TSP_SETDATEREQ", "TSP_LOOP"]


def timed_print(d: Dissector, bp: int) -> None:
    """timed_print() (print-timed.c, BSD timed's TSP on UDP 525)."""
    d.protocol = "timed"
    t = d.u8(bp)
    d.p(TSP_TYPES[t] if t < len(TSP_TYPES) else f"(tsp_type {t:#x})")
    d.p(f" vers {d.u8(bp + 1)} seq {d.u16(bp + 2)}")
    if t == 24:
        d.p(f" hopcnt {d.u8(bp + 4)}")
    elif t in (5, 1, 22, 23):
        sec = struct.unpack("!i", d.bytes_(bp + 4, 4))[0]
        usec = struct.unpack("!i", d.bytes_(bp + 8, 4))[0]
        if usec < 0:
            return
        d.p(" time ")
        if sec < 0 and usec != 0:
            sec += 1
            if sec == 0:
                d.p("-")
            usec = 1000000 - usec
        d.p(f"{sec}.{usec:06d}")
    d.p(" name ")
    nd_printjnp(d, bp + 12, 256)


# -- IGRP (IP protocol 9): print-igrp.c --------------------------------------------
def _igrp_entry(d, at: int) -> None:
    delay = int.from_bytes(d.bytes_(at + 3, 3), "big")
    bandwidth = int.from_bytes(d.bytes_(at + 6, 3), "big")
    metric = min(bandwidth + delay, 0xFFFFFF)
    d.p(f" d={10 * delay} b={0 if bandwidth == 0 else 10000000 // bandwidth} "
        f"r={d.u8(at + 11)} l={d.u8(at + 12)} M={metric} mtu={d.u16(at + 9)} "
        f"in {d.u8(at + 13)} hops")


def igrp_print(d, bp: int, length: int) -> None:
    """igrp_print(): the header (opcode, version, edition, AS, route counts), -v's
    checksum, then interior, system and exterior routes of 14 bytes each."""
    d.protocol = "igrp"
    d.p("igrp:")
    nint, nsys, nxt = d.u16(bp + 4), d.u16(bp + 6), d.u16(bp + 8)
    vop = d.u8(bp)
    op = {1: "update", 2: "request"}.get(vop & 0x0F, f"op-#{vop & 0x0F}")
    d.p(f" {op} V{vop >> 4} edit={d.u8(bp + 1)} AS={d.u16(bp + 2)} ({nint}/{nsys}/{nxt})")
    cksum = d.u16(bp + 10)
    if d.opts.vflag:
        d.p(f" checksum=0x{cksum:04x}")
    length = (length - 12) & 0xFFFFFFFF
    cp = bp + 12
    while length >= 14:
        net = [d.u8(cp), d.u8(cp + 1), d.u8(cp + 2)]
        if nint > 0:
            d.p(f" *.{net[0]}.{net[1]}.{net[2]}")
            _igrp_entry(d, cp)
            nint -= 1
        elif nsys > 0:
            d.p(f" {net[0]}.{net[1]}.{net[2]}.0")
            _igrp_entry(d, cp)
            nsys -= 1
        elif nxt > 0:
            d.p(f" X{net[0]}.{net[1]}.{net[2]}.0")
            _igrp_entry(d, cp)
            nxt -= 1
        else:
            d.p(f" [extra bytes {length}]")
            break
        cp += 14
        length -= 14
    if nint or nsys or nxt or length:
        d.p(" (invalid)")


# -- Cisco VQP (UDP 1589): print-vqp.c -----------------------------------------------
VQP_MSG_TYPES = {1: "Request, Join Port", 2: "Response, VLAN", 3: "Request, Reconfirm",
                 4: "Response, Reconfirm"}
VQP_ERRORS = {0: "No error", 3: "Access denied", 4: "Shutdown port", 5: "Wrong VTP domain"}
VQP_OBJECTS = {0x0C01: "Client IP Address", 0x0C02: "Port Name", 0x0C03: "VLAN Name",
               0x0C04: "VTP Domain", 0x0C05: "Ethernet Packet", 0x0C06: "MAC Null",
               0x0C08: "MAC Address"}


def vqp_print(d, pptr: int, length: int) -> None:
    """vqp_print(): a VMPS client's VLAN query and the server's answer: the header,
    then under -v each object (addresses, names, MACs)."""
    from ipemu.tcpdump.util import nd_printjnp
    d.protocol = "vqp"
    d.need(pptr, 8)
    if length < 8:
        d.p(" (invalid)")
        return
    version = d.u8(pptr)
    if version != 1:
        d.p(f"VQP version {version} packet not supported")
        return
    mtype, err = d.u8(pptr + 1), d.u8(pptr + 2)
    mname = VQP_MSG_TYPES.get(mtype, f"unknown ({mtype})")
    ename = VQP_ERRORS.get(err, "unknown")
    if d.opts.vflag < 1:
        d.p(f"VQPv{version} {mname} Message, error-code {ename} ({err}), length {length}")
        return
    nitems = d.u8(pptr + 3)
    d.p(f"\n\tVQPv{version}, {mname} Message, error-code {ename} ({err}), "
        f"seq 0x{d.u32(pptr + 4):08x}, items {nitems}, length {length}")
    tptr, tlen = pptr + 8, length - 8
    while nitems and tlen:
        d.need(tptr, 6)
        if tlen < 6:
            d.p(" (invalid)")
            return
        otype, olen = d.u32(tptr), d.u16(tptr + 4)
        tptr += 6
        tlen -= 6
        d.p(f"\n\t  {VQP_OBJECTS.get(otype, 'Unknown')} Object (0x{otype:08x}), "
            f"length {olen}, value: ")
        if otype == 0 or olen == 0:
            return
        d.need(tptr, olen)
        if olen > tlen:
            d.p(" (invalid)")
            return
        if otype == 0x0C01:
            if olen != 4:
                d.p(" (invalid)")
                return
            d.p(f"{d.ipaddr_string(tptr)} (0x{d.u32(tptr):08x})")
        elif otype in (0x0C02, 0x0C03, 0x0C04, 0x0C05):
            nd_printjnp(d, tptr, olen)
        elif otype in (0x0C06, 0x0C08):
            if olen != 6:
                d.p(" (invalid)")
                return
            d.p(d.etheraddr_string(tptr))
        elif d.opts.vflag <= 1:
            d.print_unknown_data(tptr, "\n\t    ", olen)
        tptr += olen
        tlen -= olen
        nitems -= 1
