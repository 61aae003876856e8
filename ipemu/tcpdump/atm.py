"""ATM as tcpdump 4.99.3 prints it: Sun raw ATM (print-sunatm.c), RFC 1483 LLC
encapsulation (print-atm.c's atm_if_print()), Linux Classical IP over ATM (print-cip.c),
the VC demultiplexing of atm_print(), Q.2931 signalling (sig_print()), OAM cells
(oam_print(), its CRC-10 from checksum.c) and LAN emulation (print-lane.c)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, tok2str

LINKTYPE_ATM_RFC1483 = 100
LINKTYPE_ATM_CLIP = 106
LINKTYPE_SUNATM = 123

# atm.h
ATM_UNKNOWN, ATM_LANE, ATM_LLC = 0, 1, 2
ATM_HDR_LEN_NOHEC = 4
ATM_OAM_NOHEC, ATM_OAM_HEC = 0, 1

VCI_PPC, VCI_BCC, VCI_OAMF4SC, VCI_OAMF4EC, VCI_METAC, VCI_ILMIC = 0x05, 0x02, 0x03, 0x04, 0x01, 0x10
Q2931 = 0x09
LLC_UI = 0x03
LLCSAP_IP, LLCSAP_SNAP, LLCSAP_ISONS = 0x06, 0xAA, 0xFE

MSGTYPE2STR = {0x02: "Call_proceeding", 0x07: "Connect", 0x0F: "Connect_ack", 0x05: "Setup",
               0x4D: "Release", 0x5A: "Release_complete", 0x46: "Restart",
               0x4E: "Restart_ack", 0x7D: "Status", 0x75: "Status_enquiry",
               0x80: "Add_party", 0x81: "Add_party_ack", 0x82: "Add_party_reject",
               0x83: "Drop_party", 0x84: "Drop_party_ack"}
OAM_F_VALUES = {VCI_OAMF4SC: "OAM F4 (segment)", VCI_OAMF4EC: "OAM F4 (end)"}
ATM_PTY_VALUES = {0: "user data, uncongested, SDU 0", 1: "user data, uncongested, SDU 1",
                  2: "user data, congested, SDU 0", 3: "user data, congested, SDU 1",
                  4: "VCC OAM F5 flow segment", 5: "VCC OAM F5 flow end-to-end",
                  6: "Traffic Control and resource Mgmt"}
OAM_CELLTYPE_FM, OAM_CELLTYPE_PM, OAM_CELLTYPE_AD, OAM_CELLTYPE_SM = 0x1, 0x2, 0x8, 0xF
OAM_CELLTYPE_VALUES = {OAM_CELLTYPE_FM: "Fault Management",
                       OAM_CELLTYPE_PM: "Performance Management",
                       OAM_CELLTYPE_AD: "activate/deactivate",
                       OAM_CELLTYPE_SM: "System Management"}
OAM_FM_FUNCTYPE_AIS, OAM_FM_FUNCTYPE_RDI, OAM_FM_FUNCTYPE_CONTCHECK, OAM_FM_FUNCTYPE_LOOPBACK = 0, 1, 4, 8
OAM_CELLTYPE2TOKARY = {
    OAM_CELLTYPE_FM: {0: "AIS", 1: "RDI", 4: "Continuity Check", 8: "Loopback"},
    OAM_CELLTYPE_PM: {0: "Forward Monitoring", 1: "Backward Reporting",
                      2: "Monitoring and Reporting"},
    OAM_CELLTYPE_AD: {0: "Performance Monitoring", 1: "Continuity Check"},
}
OAM_PAYLOAD_LEN = 48
OAM_FUNCTION_SPECIFIC_LEN = 45
OAM_CELLTYPE_FUNCTYPE_LEN = 1
LECOP2STR = {0x0001: "configure request", 0x0101: "configure response",
             0x0002: "join request", 0x0102: "join response", 0x0003: "ready query",
             0x0103: "ready indication", 0x0004: "register request",
             0x0104: "register response", 0x0005: "unregister request",
             0x0105: "unregister response", 0x0006: "ARP request", 0x0106: "ARP response",
             0x0007: "flush request", 0x0107: "flush response", 0x0008: "NARP request",
             0x0009: "topology request"}


def _crc10_table() -> list[int]:
    """checksum.c's init_crc10_table() (CRC10_POLYNOMIAL 0x633)."""
    table = []
    for i in range(256):
        accum = (i << 2) & 0xFFFF
        for _ in range(8):
            accum = (accum << 1) & 0xFFFF
            if accum & 0x400:
                accum ^= 0x633
        table.append(accum)
    return table


CRC10_TABLE = _crc10_table()


def verify_crc10_cksum(accum: int, data: bytes) -> int:
    for byte in data:
        accum = (((accum << 8) & 0x3FF) ^ CRC10_TABLE[(accum >> 2) & 0xFF] ^ byte) & 0xFFFF
    return accum


def oam_print(d: Dissector, p: int, length: int, hec: int) -> None:
    d.protocol = "oam"
    cell_header = d.u32(p + hec)
    byte = d.u8(p + ATM_HDR_LEN_NOHEC + hec)
    cell_type, func_type = (byte >> 4) & 0x0F, byte & 0x0F
    vpi = (cell_header >> 20) & 0xFF
    vci = (cell_header >> 4) & 0xFFFF
    payload = (cell_header >> 1) & 0x7
    clp = cell_header & 0x1
    d.p(f"{tok2str(OAM_F_VALUES, 'OAM F5', vci)}, vpi {vpi}, vci {vci}, payload "
        f"[ {tok2str(ATM_PTY_VALUES, 'Unknown', payload)} ], clp {clp}, length {length}")
    if not d.opts.vflag:
        return
    d.p(f"\n\tcell-type {tok2str(OAM_CELLTYPE_VALUES, 'unknown', cell_type)} ({cell_type})")
    functypes = OAM_CELLTYPE2TOKARY.get(cell_type)
    if functypes is None:
        d.p(f", func-type unknown ({func_type})")
    else:
        d.p(f", func-type {tok2str(functypes, 'none', func_type)} ({func_type})")
    p += ATM_HDR_LEN_NOHEC + hec
    kind = cell_type << 4 | func_type
    body = p + OAM_CELLTYPE_FUNCTYPE_LEN
    if kind == (OAM_CELLTYPE_FM << 4 | OAM_FM_FUNCTYPE_LOOPBACK):
        d.need(body, 45)                # struct oam_fm_loopback_t
        indicator = "Request" if d.u8(body) & 0x1 else "Reply"
        d.p(f"\n\tLoopback-Indicator {indicator}, Correlation-Tag 0x{d.u32(body + 1):08x}")
        # GET_BE_U_2(&id[idx]) at each odd idx: the last reads one byte past the field
        d.p("\n\tLocation-ID ")
        for idx in range(1, 12, 2):
            d.p(f"{d.u16(body + 5 + idx):04x} ")
        d.p("\n\tSource-ID   ")
        for idx in range(1, 12, 2):
            d.p(f"{d.u16(body + 17 + idx):04x} ")
    elif kind in (OAM_CELLTYPE_FM << 4 | OAM_FM_FUNCTYPE_AIS,
                  OAM_CELLTYPE_FM << 4 | OAM_FM_FUNCTYPE_RDI):
        d.need(body, 45)                # struct oam_fm_ais_rdi_t
        d.p(f"\n\tFailure-type 0x{d.u8(body):02x}")
        d.p("\n\tLocation-ID ")
        for idx in range(1, 16, 2):
            d.p(f"{d.u16(body + 1 + idx):04x} ")
    cksum = d.u16(p + OAM_CELLTYPE_FUNCTYPE_LEN + OAM_FUNCTION_SPECIFIC_LEN) & 0x3FF
    shouldbe = verify_crc10_cksum(0, d.data[p:p + OAM_PAYLOAD_LEN])
    d.p(f"\n\tcksum 0x{cksum:03x} ({'' if shouldbe == 0 else 'in'}correct)")


def atm_llc_print(d: Dissector, p: int, length: int, caplen: int) -> int:
    from ipemu.tcpdump.llc import llc_print
    hdrlen = llc_print(d, p, length, caplen, None, None)
    if hdrlen < 0:
        if not d.opts.suppress_default_print:
            d.default_print(p, caplen)
        hdrlen = -hdrlen
    return hdrlen


def sig_print(d: Dissector, p: int) -> None:
    if d.u8(p) == Q2931:
        d.p("Q.2931")
        d.p(f":{tok2str(MSGTYPE2STR, 'msgtype#%u', d.u8(p + 5))} ")
        d.need(p + 2, 3)
        d.p(f"CALL_REF:0x{int.from_bytes(d.data[p + 2:p + 5], 'big'):06x}")
    else:
        d.p(f"SSCOP, proto {d.u8(p)} ")


def _lane_hdr_print(d: Dissector, bp: int) -> None:
    d.p(f"lecid:{d.u16(bp):x} ")


def lane_print(d: Dissector, p: int, length: int, caplen: int) -> None:
    d.protocol = "lane"
    if d.u16(p) == 0xFF00:
        d.p(f"lec: proto {d.u8(p + 2):x} vers {d.u8(p + 3):x} "
            f"{tok2str(LECOP2STR, 'opcode-#%u', d.u16(p + 4))}")
        return
    d.need(p, 2)
    d.ether_common_print(p + 2, length - 2, caplen - 2,
                         encap_header=lambda dd: _lane_hdr_print(dd, p))


def atm_print(d: Dissector, vpi: int, vci: int, traftype: int, p: int, length: int,
              caplen: int) -> None:
    d.protocol = "atm"
    if d.opts.eflag:
        d.p(f"VPI:{vpi} VCI:{vci} ")
    if vpi == 0:
        if vci == VCI_PPC:
            sig_print(d, p)
            return
        if vci == VCI_BCC:
            d.p("broadcast sig: ")
            return
        if vci in (VCI_OAMF4SC, VCI_OAMF4EC):
            oam_print(d, p, length, ATM_OAM_HEC)
            return
        if vci == VCI_METAC:
            d.p("meta: ")
            return
        if vci == VCI_ILMIC:
            d.p("ilmi: ")
            from ipemu.tcpdump.snmp import snmp_print
            snmp_print(d, p, length)
            return
    if traftype == ATM_LANE:
        lane_print(d, p, length, caplen)
    else:
        atm_llc_print(d, p, length, caplen)


def sunatm_if_print(d: Dissector, length: int, caplen: int) -> None:
    """The 4-byte SunATM header: direction and traffic type, VPI, VCI."""
    d.protocol = "sunatm"
    if d.opts.eflag:
        d.p("Tx: " if d.u8(0) & 0x80 else "Rx: ")
    traftype = {1: ATM_LANE, 2: ATM_LLC}.get(d.u8(0) & 0x0F, ATM_UNKNOWN)
    vpi = d.u8(1)
    vci = d.u16(2)
    d.ll_hdr_len += 4
    atm_print(d, vpi, vci, traftype, 4, length - 4, caplen - 4)


def _llc_ui_hdr(sap: int) -> int:
    return sap << 16 | sap << 8 | 0x03


def atm_if_print(d: Dissector, length: int, caplen: int) -> None:
    """DLT_ATM_RFC1483: Cisco's NLPID byte, or an LLC header (after a Fore driver's
    802.6 MAC header when the first three bytes are no LLC header ipemu expects)."""
    d.protocol = "atm"
    p = 0
    if d.u8(p) == LLC_UI:
        if d.opts.eflag:
            d.p("CNLPID ")
        d.ll_hdr_len += 1
        from ipemu.tcpdump.isis import isoclns_print
        isoclns_print(d, p + 1, length - 1)
        return
    d.need(p, 3)
    llchdr = int.from_bytes(d.data[p:p + 3], "big")
    hdrlen = 0
    if llchdr not in (_llc_ui_hdr(LLCSAP_SNAP), _llc_ui_hdr(LLCSAP_ISONS),
                      _llc_ui_hdr(LLCSAP_IP)):
        if d.opts.eflag:
            d.p(f"{d.u32(p):08x}{d.u32(p + 4):08x} {d.u32(p + 8):08x}{d.u32(p + 12):08x} ")
        d.need(p, 20)
        p += 20
        length -= 20
        caplen -= 20
        hdrlen += 20
    d.ll_hdr_len += hdrlen
    d.ll_hdr_len += atm_llc_print(d, p, length, caplen)


RFCLLC = bytes((0xAA, 0xAA, 0x03, 0x00, 0x00, 0x00))


def cip_if_print(d: Dissector, length: int, caplen: int) -> None:
    """Linux Classical IP over ATM: an LLC/SNAP header, or IP alone."""
    d.protocol = "cip"
    if d.opts.eflag:
        d.p(f"{length}: ")
    d.need(0, len(RFCLLC))
    if d.data[:6] == RFCLLC:
        from ipemu.tcpdump.llc import llc_print
        hdrlen = llc_print(d, 0, length, caplen, None, None)
        if hdrlen < 0:
            if not d.opts.suppress_default_print:
                d.default_print(0, caplen)
            hdrlen = -hdrlen
    else:
        hdrlen = 0
        d.ip_print(0, length)
    d.ll_hdr_len += hdrlen


IF_PRINTERS = {
    LINKTYPE_ATM_RFC1483: atm_if_print,
    LINKTYPE_ATM_CLIP: cip_if_print,
    # the DLT values themselves in a file's header (linktype_to_dlt() keeps them:
    # TESTLIST's heap-overflow-2 and llc-xid-heapoverflow)
    11: atm_if_print,
    19: cip_if_print,
    LINKTYPE_SUNATM: sunatm_if_print,
}
