"""Juniper's link types as tcpdump 4.99.3 prints them (print-juniper.c): the "MGC"
header juniper_parse_header() reads (direction, flags, -vv's extension TLVs, the PIC's
cookie), then the frame of each PIC: Ethernet, PPP, Frame Relay, Cisco HDLC, PPPoE,
PPPoE over ATM, the ATM1 PIC (OAM cells, LLC, Cisco's NLPID, bare IP) and the
Encryption Services PIC (its IPsec header, then IP)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str, tok2str

LINKTYPE_JUNIPER_ES = 132
LINKTYPE_JUNIPER_ATM1 = 137
LINKTYPE_JUNIPER_PPPOE = 167
LINKTYPE_JUNIPER_PPPOE_ATM = 168
LINKTYPE_JUNIPER_ETHER = 178
LINKTYPE_JUNIPER_PPP = 179
LINKTYPE_JUNIPER_FRELAY = 180
LINKTYPE_JUNIPER_CHDLC = 181

JUNIPER_BPF_PKT_IN = 0x1
JUNIPER_BPF_NO_L2 = 0x2
JUNIPER_BPF_EXT = 0x80
JUNIPER_MGC_NUMBER = 0x4D4743           # "MGC"
JUNIPER_EXT_TLV_OVERHEAD = 2
LS_COOKIE_ID, AS_COOKIE_ID = 0x54, 0x47

JUNIPER_DIRECTION_VALUES = {1: "In", 0: "Out"}
JNX_FLAG_VALUES = [(0x80, "Ext"), (0x40, "Filter"), (0x4, "IIF"), (0x2, "no-L2"), (0x1, "In")]
JNX_EXT_TLV_VALUES = {1: "Device Interface Index", 2: "Device Interface Name",
                      3: "Device Media Type", 4: "Logical Interface Index",
                      5: "Logical Unit Number", 6: "Logical Interface Encapsulation",
                      7: "TTP derived Device Media Type",
                      8: "TTP derived Logical Interface Encapsulation"}
JUNIPER_IPSEC_TYPE_VALUES = {1: "ESP ENCR-AUTH", 2: "ESP ENCR-AH AUTH", 3: "ESP AUTH",
                             4: "AH AUTH", 5: "ESP ENCR"}
# juniper_cookie_table[]: the PIC types this module prints, their cookie length and name
COOKIE_TABLE = {LINKTYPE_JUNIPER_ATM1: (4, "ATM1"), LINKTYPE_JUNIPER_PPPOE: (0, "PPPoE"),
                LINKTYPE_JUNIPER_PPPOE_ATM: (0, "PPPoE ATM"), LINKTYPE_JUNIPER_ES: (0, "ES")}
JUNIPER_IFMT_VALUES = {
    1: 'Ethernet', 2: 'FDDI', 3: 'Token-Ring', 4: 'PPP', 57: 'PPP-Subordinate',
    5: 'Frame-Relay', 6: 'Cisco-HDLC', 7: 'SMDS-DXI', 8: 'ATM-PVC', 9: 'PPP-CCC',
    10: 'Frame-Relay-CCC', 48: 'Extended FR-CCC', 11: 'IP-over-IP', 12: 'GRE',
    13: 'PIM-Encapsulator', 14: 'PIM-Decapsulator', 15: 'Cisco-HDLC-CCC', 16: 'VLAN-CCC',
    32: 'Extended-VLAN-CCC', 17: 'Multilink-PPP', 18: 'Multilink-FR',
    39: 'Multilink-FR-UNI-NNI', 19: 'Multilink', 40: 'LinkService', 20: 'LSI',
    22: 'ATM-CCC-Cell-Relay', 23: 'IPSEC-over-IP', 24: 'GGSN', 27: 'PPP-TCC',
    28: 'Frame-Relay-TCC', 49: 'Extended FR-TCC', 29: 'Cisco-HDLC-TCC', 30: 'Ethernet-CCC',
    31: 'VPN-Loopback-tunnel', 33: 'Ethernet-over-ATM', 46: 'Ethernet-VPLS-over-ATM',
    34: 'Monitor', 35: 'Ethernet-TCC', 36: 'VLAN-TCC', 37: 'Extended-VLAN-TCC',
    38: 'Controller', 41: 'VPLS', 42: 'VLAN-VPLS', 43: 'Extended-VLAN-VPLS',
    44: 'Logical-tunnel', 45: 'General-Services', 56: 'PPPoE',
    52: 'Flexible-Ethernet-Services', 50: 'Flexible-FrameRelay', 53: 'Flow-collection',
    60: 'PIC Peer', 59: 'Dynamic-Flow-Capture',
}
JUNIPER_IFLE_VALUES = {
    59: 'Aggregator', 9: 'CCC over ATM', 32: 'ATM CCC Cell Relay',
    26: 'CISCO compatible NLPID', 56: 'Ethernet over ATM CCC', 41: 'Ethernet over ATM LLC',
    53: 'Ethernet VPLS over ATM LLC', 5: 'ATM LLC', 55: 'MLPPP over ATM LLC', 3: 'ATM NLPID',
    61: 'PPPoE over ATM LLC', 8: 'PPP over FUNI', 7: 'PPP over ATM LLC',
    6: 'PPP over ATM VCMUX', 2: 'ATM SNAP', 43: 'ATM SNAP TCC', 35: 'ATM VCMUX TCC',
    4: 'ATM VCMUX', 18: 'C-HDLC', 25: 'C-HDLC CCC', 65: 'C-HDLC via dialer', 38: 'C-HDLC TCC',
    58: 'Collector', 33: 'Crypto', 14: 'Ethernet', 39: 'Ethernet CCC',
    51: 'Extended VLAN VPLS', 62: 'PPPoE over Ethernet', 45: 'Ethernet TCC', 50: 'VLAN VPLS',
    49: 'VPLS', 42: 'Extended VLAN CCC', 47: 'Extended VLAN TCC', 13: 'FR CCC', 10: 'FR NLPID',
    54: 'FR CCC', 12: 'FR PPP', 11: 'FR SNAP', 36: 'FR TCC', 34: 'GGSN', 22: 'GRE NULL',
    23: 'PPP over GRE', 20: 'IPIP', 60: 'LAPD', 30: 'LSI Null', 57: 'LT VLAN', 48: 'MFR',
    29: 'MLFR', 28: 'MLPPP', 44: 'Monitor', 24: 'PIMd', 21: 'PIM Null', 17: 'PPP', 63: 'PPPoE',
    19: 'PPP CCC', 64: '', 37: 'PPP TCC', 52: 'General Services', 27: 'VLAN CCC',
    46: 'VLAN TCC', 40: 'VT',
}


class L2Info:
    """struct juniper_l2info_t (the fields these printers use)."""

    def __init__(self, pictype: int, length: int, caplen: int):
        self.pictype = pictype
        self.length = length
        self.caplen = caplen
        self.header_len = 0
        self.cookie_len = 0
        self.cookie = [0] * 8
        self.proto = 0
        self.flags = 0
        self.direction = 0


def _read_tlv_value(d: Dissector, p: int, tlv_type: int, tlv_len: int) -> int:
    """juniper_read_tlv_value(): types below 128 little-endian, the rest big-endian."""
    if tlv_len not in (1, 2, 3, 4):
        return -1
    d.need(p, tlv_len)
    raw = d.data[p:p + tlv_len]
    value = int.from_bytes(raw, "little" if tlv_type < 128 else "big")
    return value - (1 << 32) if value >= 1 << 31 else value      # an int


def ip_heuristic_guess(d: Dissector, p: int, length: int) -> bool:
    first = d.u8(p)
    if 0x45 <= first <= 0x4F:
        d.ip_print(p, length)
    elif 0x60 <= first <= 0x6F:
        d.ip6_print(p, length)
    else:
        return False
    return True


def juniper_parse_header(d: Dissector, l2: L2Info) -> bool:
    """False when the printer stops here (no magic, no L2 header, invalid)."""
    p = 0
    l2.flags = d.u8(p + 3)
    l2.direction = l2.flags & JUNIPER_BPF_PKT_IN
    d.need(p, 3)
    if int.from_bytes(d.data[p:p + 3], "big") != JUNIPER_MGC_NUMBER:
        d.p("no magic-number found!")
        return False
    if d.opts.eflag:
        d.p(f"{tok2str(JUNIPER_DIRECTION_VALUES, '---', l2.direction):>3} ")
    jnx_header_len = 4
    vv = d.opts.vflag > 1
    if vv:
        d.p(f"\n\tJuniper PCAP Flags [{bittok2str(JNX_FLAG_VALUES, 'none', l2.flags)}]")
    if l2.flags & JUNIPER_BPF_EXT:
        tptr = p + jnx_header_len
        extension_length = d.u16(tptr)
        jnx_header_len += 2
        tptr += 2
        jnx_header_len += extension_length
        if vv:
            d.p(f", PCAP Extension(s) total length {extension_length}")
        d.need(tptr, extension_length)
        while extension_length > JUNIPER_EXT_TLV_OVERHEAD:
            tlv_type = d.u8(tptr)
            tlv_len = d.u8(tptr + 1)
            tptr += 2
            if tlv_type == 0 or tlv_len == 0:
                break
            if extension_length < tlv_len + JUNIPER_EXT_TLV_OVERHEAD:
                # ND_LCHECK_U()
                d.p(f" [extension_length {extension_length} < "
                    f"{tlv_len + JUNIPER_EXT_TLV_OVERHEAD}] (invalid)")
                return False
            if vv:
                d.p(f"\n\t  {tok2str(JNX_EXT_TLV_VALUES, 'Unknown', tlv_type)} Extension TLV "
                    f"#{tlv_type}, length {tlv_len}, value ")
            value = _read_tlv_value(d, tptr, tlv_type, tlv_len)
            if tlv_type == 2:
                pass                            # IFD_NAME: /* FIXME */
            elif value != -1 and vv:
                if tlv_type in (3, 7):
                    d.p(f"{tok2str(JUNIPER_IFMT_VALUES, 'Unknown', value)} ({value & 0xFFFFFFFF})")
                elif tlv_type in (6, 8):
                    d.p(f"{tok2str(JUNIPER_IFLE_VALUES, 'Unknown', value)} ({value & 0xFFFFFFFF})")
                else:
                    d.p(f"{value & 0xFFFFFFFF}")
            tptr += tlv_len
            extension_length -= tlv_len + JUNIPER_EXT_TLV_OVERHEAD
        if vv:
            d.p("\n\t-----original packet-----\n\t")
    if l2.flags & JUNIPER_BPF_NO_L2:
        if d.opts.eflag:
            d.p("no-L2-hdr, ")
        d.need(p + jnx_header_len + 4, 1)
        if not ip_heuristic_guess(d, p + jnx_header_len + 4,
                                  l2.length - (jnx_header_len + 4)):
            d.p("no IP-hdr found!")
        l2.header_len = jnx_header_len + 4
        return False
    l2.header_len = jnx_header_len
    p += l2.header_len
    l2.length -= l2.header_len
    l2.caplen -= l2.header_len
    entry = COOKIE_TABLE.get(l2.pictype)
    if entry is not None:
        cookie_len, name = entry
        l2.cookie_len += cookie_len
        first = d.u8(p)
        if first == LS_COOKIE_ID:
            l2.cookie_len += 2
        elif first == AS_COOKIE_ID:
            l2.cookie_len = 8
        l2.header_len += l2.cookie_len
        l2.length -= l2.cookie_len
        l2.caplen -= l2.cookie_len
        if d.opts.eflag:
            d.p(f"{name}-PIC, cookie-len {l2.cookie_len}")
        if l2.cookie_len > 8:
            d.p(" (invalid)")
            return False
        if l2.cookie_len > 0:
            d.need(p, l2.cookie_len)
            if d.opts.eflag:
                d.p(", cookie 0x")
            for idx in range(l2.cookie_len):
                l2.cookie[idx] = d.u8(p + idx)
                if d.opts.eflag:
                    d.p(f"{l2.cookie[idx]:02x}")
        if d.opts.eflag:
            d.p(": ")
        l2.proto = d.u16(p + l2.cookie_len)
    if d.opts.eflag:
        d.p(f"hlen {l2.header_len}, proto 0x{l2.proto:04x}, ")
    return True


def _start(d: Dissector, protocol: str, pictype: int, length: int, caplen: int) -> L2Info | None:
    d.protocol = protocol
    l2 = L2Info(pictype, length, caplen)
    if not juniper_parse_header(d, l2):
        d.ll_hdr_len += l2.header_len
        return None
    return l2


def juniper_ether_if_print(d: Dissector, length: int, caplen: int) -> None:
    l2 = _start(d, "juniper_ether", LINKTYPE_JUNIPER_ETHER, length, caplen)
    if l2 is not None:
        d.ll_hdr_len += l2.header_len + d.ether_print(l2.header_len, l2.length, l2.caplen)


def juniper_pppoe_if_print(d: Dissector, length: int, caplen: int) -> None:
    l2 = _start(d, "juniper_pppoe", LINKTYPE_JUNIPER_PPPOE, length, caplen)
    if l2 is not None:
        d.ether_print(l2.header_len, l2.length, l2.caplen)
        d.ll_hdr_len += l2.header_len


def juniper_ppp_if_print(d: Dissector, length: int, caplen: int) -> None:
    l2 = _start(d, "juniper_ppp", LINKTYPE_JUNIPER_PPP, length, caplen)
    if l2 is not None:
        from ipemu.tcpdump.l2 import ppp_print
        ppp_print(d, l2.header_len, l2.length)
        d.ll_hdr_len += l2.header_len


def juniper_frelay_if_print(d: Dissector, length: int, caplen: int) -> None:
    l2 = _start(d, "juniper_frelay", LINKTYPE_JUNIPER_FRELAY, length, caplen)
    if l2 is not None:
        from ipemu.tcpdump.fr import fr_print
        fr_print(d, l2.header_len, l2.length)
        d.ll_hdr_len += l2.header_len


def juniper_chdlc_if_print(d: Dissector, length: int, caplen: int) -> None:
    l2 = _start(d, "juniper_chdlc", LINKTYPE_JUNIPER_CHDLC, length, caplen)
    if l2 is not None:
        from ipemu.tcpdump.l2 import chdlc_print
        chdlc_print(d, l2.header_len, l2.length)
        d.ll_hdr_len += l2.header_len


def juniper_pppoe_atm_if_print(d: Dissector, length: int, caplen: int) -> None:
    l2 = _start(d, "juniper_pppoe_atm", LINKTYPE_JUNIPER_PPPOE_ATM, length, caplen)
    if l2 is not None:
        p = l2.header_len
        ethertype = d.u16(p)
        if not d.ethertype_print(ethertype, p + 2, l2.length - 2, l2.caplen - 2):
            d.p(f"unknown ethertype 0x{ethertype:04x}")
        d.ll_hdr_len += l2.header_len


def juniper_atm1_if_print(d: Dissector, length: int, caplen: int) -> None:
    l2 = _start(d, "juniper_atm1", LINKTYPE_JUNIPER_ATM1, length, caplen)
    if l2 is None:
        return
    p = l2.header_len
    d.ll_hdr_len += l2.header_len
    if l2.cookie[0] == 0x80:                    # an OAM cell
        from ipemu.tcpdump.atm import ATM_OAM_NOHEC, oam_print
        oam_print(d, p, l2.length, ATM_OAM_NOHEC)
        return
    d.need(p, 3)
    if int.from_bytes(d.data[p:p + 3], "big") in (0xFEFE03, 0xAAAA03):   # NLPID, SNAP
        from ipemu.tcpdump.llc import llc_print
        if llc_print(d, p, l2.length, l2.caplen, None, None) > 0:
            return
    if d.u8(p) == 0x03:                         # Cisco style NLPID
        from ipemu.tcpdump.isis import isoclns_print
        isoclns_print(d, p + 1, l2.length - 1)
        return
    ip_heuristic_guess(d, p, l2.length)         # vcmux encapsulation


def juniper_es_if_print(d: Dissector, length: int, caplen: int) -> None:
    """The Encryption Services PIC: an IPsec header (SA index, TTL, type, SPI, tunnel
    addresses) before IP; the types without a bundle rewrite 16 bytes."""
    l2 = _start(d, "juniper_es", LINKTYPE_JUNIPER_ES, length, caplen)
    if l2 is None:
        return
    ih = l2.header_len
    d.need(ih, 16)                              # struct juniper_ipsec_header
    es_type = d.u8(ih + 3)
    if es_type in (1, 2):
        rewrite_len, bundle = 0, True
    elif es_type in (3, 4, 5):
        rewrite_len, bundle = 16, False
    else:
        d.p(f"ES Invalid type {es_type}, length {l2.length}")
        d.ll_hdr_len += l2.header_len
        return
    l2.length -= rewrite_len
    p = ih + rewrite_len
    if d.opts.eflag:
        head = (f"ES SA, index {d.u16(ih)}, ttl {d.u8(ih + 2)} type "
                f"{tok2str(JUNIPER_IPSEC_TYPE_VALUES, 'Unknown', es_type)} ({es_type}), ")
        if not bundle:
            head += (f"spi {d.u32(ih + 4)}, Tunnel {d.ipaddr_string(ih + 8)} > "
                     f"{d.ipaddr_string(ih + 12)}, ")
        d.p(head + f"length {l2.length}\n")
    d.ip_print(p, l2.length)
    d.ll_hdr_len += l2.header_len


IF_PRINTERS = {
    LINKTYPE_JUNIPER_ES: juniper_es_if_print,
    LINKTYPE_JUNIPER_ATM1: juniper_atm1_if_print,
    LINKTYPE_JUNIPER_PPPOE: juniper_pppoe_if_print,
    LINKTYPE_JUNIPER_PPPOE_ATM: juniper_pppoe_atm_if_print,
    LINKTYPE_JUNIPER_ETHER: juniper_ether_if_print,
    LINKTYPE_JUNIPER_PPP: juniper_ppp_if_print,
    LINKTYPE_JUNIPER_FRELAY: juniper_frelay_if_print,
    LINKTYPE_JUNIPER_CHDLC: juniper_chdlc_if_print,
}
