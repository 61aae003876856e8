"""ETSI GeoNetworking (ethertypes 0x8947 and 0x0707, print-geonet.c) and ISO CALM FAST
(ethertype 0x1111, print-calm-fast.c) as tcpdump 4.99.3 prints them."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, tok2str

MSG_TYPE_VALUES = {0: "CAM", 1: "DENM", 101: "TPEGM", 102: "TSPDM", 103: "VPM", 104: "SRM",
                   105: "SLAM", 106: "ecoCAM", 107: "ITM", 150: "SA"}
NEXT_HDR_TXT = {0: "Any", 1: "BTP-A", 2: "BTP-B", 3: "IPv6"}
HDR_TYPE_TXT = {(0, None): "Any", (1, None): "Beacon", (2, None): "GeoUnicast",
                (3, 0): "GeoAnycastCircle", (3, 1): "GeoAnycastRect",
                (3, 2): "GeoAnycastElipse", (4, 0): "GeoBroadcastCircle",
                (4, 1): "GeoBroadcastRect", (4, 2): "GeoBroadcastElipse",
                (5, 0): "TopoScopeBcast-SH", (5, 1): "TopoScopeBcast-MH",
                (6, 0): "LocService-Request", (6, 1): "LocService-Reply"}
# the extended header's size where geonet_print() knows it (-1 elsewhere)
HDR_SIZE = {(0, None): 0, (1, None): 0, (5, 0): 0, (5, 1): 68 - 36}


def _src_text(d: Dissector, src: int | None) -> str:
    return d.etheraddr_string(src) if src is not None else ""


def _key(hdr_type: int, hdr_subtype: int) -> tuple[int, int | None]:
    return (hdr_type, None) if hdr_type <= 2 else (hdr_type, hdr_subtype)


def geonet_print(d: Dissector, bp: int, length: int, src: int | None) -> None:
    d.protocol = "geonet"
    d.p("GeoNet ")
    if src is not None:
        d.p(f"src:{_src_text(d, src)}")
    d.p("; ")
    if length < 36:
        d.p(f" (common header length {length} < 36) (invalid)")
        return
    version, next_hdr = d.u8(bp) >> 4, d.u8(bp) & 0x0F
    hdr_type, hdr_subtype = d.u8(bp + 1) >> 4, d.u8(bp + 1) & 0x0F
    payload_length = d.u16(bp + 4)
    hop_limit = d.u8(bp + 7)
    key = _key(hdr_type, hdr_subtype)
    d.p(f"v:{version} ")
    d.p(f"NH:{next_hdr}-{NEXT_HDR_TXT.get(next_hdr, 'Unknown')} ")
    d.p(f"HT:{hdr_type}-{hdr_subtype}-{HDR_TYPE_TXT.get(key, 'Unknown')} ")
    d.p(f"HopLim:{hop_limit} ")
    d.p(f"Payload:{payload_length} ")
    # print_long_pos_vector()
    d.p(f"GN_ADDR:{d.linkaddr_string(bp + 8, 8)} ")
    d.p(f"lat:{d.u32(bp + 20)} ")
    d.p(f"lon:{d.u32(bp + 24)}")
    d.need(bp, 36)
    length -= 36
    bp += 36
    hdr_size = HDR_SIZE.get(key, -1)
    if hdr_size >= 0:
        if length < hdr_size:
            d.p(f" (header size {hdr_size} > {length}) (invalid)")
            return
        d.need(bp, hdr_size)
        length -= hdr_size
        bp += hdr_size
        if next_hdr in (1, 2):
            if length < 4:
                d.p(f" (BTP length {length} < 4) (invalid)")
                return
            d.p(f"; BTP Dst:{d.u16(bp)}")
            d.p(f" Src:{d.u16(bp + 2)}")
            length -= 4
            bp += 4
            if length >= 2:
                d.p(f"; ItsPduHeader v:{d.u8(bp)}")
                msg_type = d.u8(bp + 1)
                d.p(f" t:{msg_type}-{tok2str(MSG_TYPE_VALUES, 'unknown (%u)', msg_type)}")
    if d.opts.vflag:
        d.default_print(bp, length)


def calm_fast_print(d: Dissector, bp: int, length: int, src: int | None) -> None:
    d.protocol = "calm_fast"
    d.p("CALM FAST")
    if src is not None:
        d.p(f" src:{_src_text(d, src)}")
    d.p("; ")
    if length < 2:
        d.p(f" (length {length} < 2) (invalid)")
        d.need(bp, length)
        return
    d.p(f"SrcNwref:{d.u8(bp)}; ")
    d.p(f"DstNwref:{d.u8(bp + 1)}; ")
    if d.opts.vflag:
        d.default_print(bp + 2, length - 2)
