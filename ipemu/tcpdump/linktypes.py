"""Link types whose frames are Ethernet with a switch tag, or IP behind a pseudo-header
(tcpdump 4.99.3): Marvell DSA and EDSA (print-dsa.c), Broadcom tags (print-brcmtag.c),
Linux NFLOG (print-nflog.c), IP over InfiniBand (print-ipoib.c), Solaris IPNET
(print-ipnet.c) and Linux vsockmon (print-vsock.c)."""
from __future__ import annotations

from ipemu.tcpdump import names
from ipemu.tcpdump.dissect import Dissector, tok2str

LINKTYPE_IPNET = 226
LINKTYPE_NFLOG = 239
LINKTYPE_IPOIB = 242
LINKTYPE_VSOCK = 271
LINKTYPE_DSA_TAG_BRCM = 281
LINKTYPE_DSA_TAG_BRCM_PREPEND = 282
LINKTYPE_DSA_TAG_DSA = 284
LINKTYPE_DSA_TAG_EDSA = 285


# -- print-dsa.c ---------------------------------------------------------------
DSA_MODES = {0: "To CPU", 1: "From CPU", 2: "To Sniffer", 3: "Forward"}
DSA_CODES = {0: "BPDU (MGMT) Trap", 1: "Frame2Reg", 2: "IGMP/MLD Trap", 3: "Policy Trap",
             4: "ARP Mirror", 5: "Policy Mirror"}


def _dsa_tag_common(d: Dissector, p: int) -> None:
    """tag_common_print(): the 4-byte DSA tag (the last 4 of EDSA's 8)."""
    b0, b1, b2, b3 = d.u8(p), d.u8(p + 1), d.u8(p + 2), d.u8(p + 3)
    mode = (b0 & 0xC0) >> 6
    tagged = (b0 & 0x20) >> 5
    dev = b0 & 0x1F
    port = (b1 & 0xF8) >> 3
    trunk = (b1 & 0x04) >> 2          # DSA_TRUNK and DSA_RX_SNIFF: the same bit
    cfi = b1 & 0x01
    pri = (b2 & 0xE0) >> 5
    vid = ((b2 & 0x0F) << 8) | b3
    code = (((b1 & 0x06) >> 1) << 1) | ((b2 & 0x10) >> 4)
    if d.opts.eflag:
        d.p(f"mode {DSA_MODES.get(mode, 'unknown')}, ")
        if mode == 3:
            d.p(f"dev {dev}, {'trunk' if trunk else 'port'} {port}, ")
        elif mode == 1:
            d.p(f"target dev {dev}, port {port}, ")
        elif mode == 0:
            d.p(f"source dev {dev}, port {port}, ")
            d.p(f"code {DSA_CODES.get(code, 'reserved')}, ")
        elif mode == 2:
            d.p(f"source dev {dev}, port {port}, ")
            d.p(f"{'ingress' if trunk else 'egress'} sniff, ")
        d.p("tagged, " if tagged else "untagged, ")
        d.p("CFI, " if cfi else "")
        d.p(f"VID {vid}, ")
        d.p(f"FPri {pri}, ")
    else:
        if mode == 3:
            d.p(f"Forward {'trunk' if trunk else 'port'} {dev}.{port}, ")
        elif mode == 1:
            d.p(f"CPU > port {dev}.{port}, ")
        elif mode == 0:
            d.p(f"port {dev}.{port} > CPU, ")
        elif mode == 2:
            d.p(f"port {dev}.{port} > {'Rx' if trunk else 'Tx'} Sniffer, ")
        d.p(f"VLAN {vid}{'t' if tagged else 'u'}, ")


def _dsa_tag_print(d: Dissector, p: int) -> None:
    d.p("Marvell DSA " if d.opts.eflag else "DSA ")
    _dsa_tag_common(d, p)


def _edsa_tag_print(d: Dissector, p: int) -> None:
    etype = d.u16(p)
    if d.opts.eflag:
        d.p(f"Marvell EDSA ethertype 0x{etype:04x} "
            f"({tok2str(names.ETHERTYPES, 'Unknown', etype)}), ")
        d.p(f"rsvd {d.u8(p + 2)} {d.u8(p + 3)}, ")
    else:
        d.p(f"EDSA 0x{etype:04x}, ")
    _dsa_tag_common(d, p + 4)


def dsa_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "dsa"
    d.ll_hdr_len += d.ether_common_print(0, length, caplen, _dsa_tag_print, 4)


def edsa_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "edsa"
    d.ll_hdr_len += d.ether_common_print(0, length, caplen, _edsa_tag_print, 8)


# -- print-brcmtag.c -------------------------------------------------------------
BRCM_TE = {0: "None", 1: "Untag", 2: "Header", 3: "Reserved"}
BRCM_RC = {1: "mirror", 2: "MAC learning", 4: "switching", 8: "prot term",
           16: "prot snoop", 32: "exception"}


def _brcm_tag_print(d: Dissector, p: int) -> None:
    tag = [d.u8(p + i) for i in range(4)]
    d.p(f"BRCM tag OP: {'IG' if tag[0] else 'EG'}")
    if tag[0] & (1 << 5):
        d.p(f", TC: {(tag[1] >> 2) & 7}")
        d.p(f", TE: {BRCM_TE[tag[1] & 3]}")
        d.p(f", TS: {tag[1] >> 7}")
        d.p(f", DST map: 0x{((tag[2] << 8) | tag[3]) & 0x1FF:04x}")
    else:
        d.p(f", CID: {tag[1]}")
        d.p(f", RC: {BRCM_RC.get(tag[2], 'reserved')}")
        d.p(f", TC: {(tag[3] >> 5) & 7}")
        d.p(f", port: {tag[3] & 0x1F}")
    d.p(", ")


def brcm_tag_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "brcm-tag"
    d.ll_hdr_len += d.ether_common_print(0, length, caplen, _brcm_tag_print, 4)


def brcm_tag_prepend_if_print(d: Dissector, length: int, caplen: int) -> None:
    d.protocol = "brcm-tag-prepend"
    d.need(0, 4)
    d.ll_hdr_len += 4
    if d.opts.eflag:
        _brcm_tag_print(d, 0)
    d.ll_hdr_len += d.ether_print(4, length - 4, caplen - 4)


# -- print-nflog.c -------------------------------------------------------------
NFLOG_FAMILIES = {2: "IPv4", 10: "IPv6"}
NFULA_PAYLOAD = 9


def _nflog_hdr_print(d: Dissector, length: int) -> None:
    d.p(f"version {d.u8(1)}, resource ID {d.u16(2)}")
    family = d.u8(0)
    if not d.opts.qflag:
        d.p(f", family {NFLOG_FAMILIES.get(family, 'Unknown')} ({family})")
    else:
        d.p(", " + NFLOG_FAMILIES.get(family, f"Unknown NFLOG (0x{family:02x})"))
    d.p(f", length {length}: ")


def nflog_if_print(d: Dissector, length: int, caplen: int) -> None:
    """The 4-byte header (big-endian), then TLVs whose length and type are in the
    capturing host's order (little-endian here) up to NFULA_PAYLOAD, the packet."""
    d.protocol = "nflog"
    if caplen < 4:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    d.ll_hdr_len += 4
    if d.u8(1) != 0:
        d.p(f"version {d.u8(1)} (unknown)")
        return
    if d.opts.eflag:
        _nflog_hdr_print(d, length)
    p, h_size = 4, 4
    length = (length - 4) & 0xFFFFFFFF
    caplen = (caplen - 4) & 0xFFFFFFFF
    while length > 0:
        if caplen < 4:
            d.nd_print_trunc()
            d.ll_hdr_len += h_size - 4
            return
        d.need(p, 4)
        size = d.data[p] | d.data[p + 1] << 8
        if size % 4:
            size = (size + 4 - size % 4) & 0xFFFF
        if size < 4 or caplen < size:
            d.nd_print_trunc()
            d.ll_hdr_len += h_size - 4
            return
        if d.data[p + 2] | d.data[p + 3] << 8 == NFULA_PAYLOAD:
            p += 4
            h_size += 4
            length = (length - 4) & 0xFFFFFFFF
            caplen = (caplen - 4) & 0xFFFFFFFF
            break
        p += size
        h_size = (h_size + size) & 0xFFFF
        length = (length - size) & 0xFFFFFFFF
        caplen = (caplen - size) & 0xFFFFFFFF
    family = d.u8(0)
    if family == 2:
        d.ip_print(p, length)
    elif family == 10:
        d.ip6_print(p, length)
    else:
        if not d.opts.eflag:
            _nflog_hdr_print(d, (length + 4) & 0xFFFFFFFF)
        if not d.opts.suppress_default_print:
            d.default_print(p, caplen)
    d.ll_hdr_len += h_size - 4


# -- print-ipoib.c -------------------------------------------------------------
IPOIB_HDRLEN = 44


def _ipoib_hdr_print(d: Dissector, length: int) -> None:
    etype = d.u16(40)
    if not d.opts.qflag:
        d.p(f", ethertype {tok2str(names.ETHERTYPES, 'Unknown', etype)} (0x{etype:04x})")
    else:
        d.p(f", ethertype {tok2str(names.ETHERTYPES, 'Unknown', etype)}")
    d.p(f", length {length}: ")


def ipoib_if_print(d: Dissector, length: int, caplen: int) -> None:
    """A 44-byte header (the 20-byte hardware addresses twice, the type at 40)."""
    d.protocol = "ipoib"
    if caplen < IPOIB_HDRLEN:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    if length < IPOIB_HDRLEN:
        d.nd_print_trunc()
        d.ll_hdr_len += length
        return
    if d.opts.eflag:
        d.p(d.protocol.upper())         # nd_print_protocol_caps()
        _ipoib_hdr_print(d, length)
    d.ll_hdr_len += IPOIB_HDRLEN
    etype = d.u16(40)
    if not d.ethertype_print(etype, IPOIB_HDRLEN, length - IPOIB_HDRLEN,
                             caplen - IPOIB_HDRLEN):
        if not d.opts.eflag:
            _ipoib_hdr_print(d, length)
        if not d.opts.suppress_default_print:
            d.default_print(IPOIB_HDRLEN, caplen - IPOIB_HDRLEN)


# -- print-ipnet.c -------------------------------------------------------------
IPNET_HDRLEN = 24
IPNET_FAMILIES = {2: "IPv4", 26: "IPv6"}        # Solaris's AF_INET and AF_INET6


def _ipnet_hdr_print(d: Dissector, length: int) -> None:
    d.p(f"{d.u32(16)} > {d.u32(20)}")
    family = d.u8(1)
    if not d.opts.qflag:
        d.p(f", family {IPNET_FAMILIES.get(family, 'Unknown')} ({family})")
    else:
        d.p(", " + IPNET_FAMILIES.get(family, f"Unknown Ethertype (0x{family:04x})"))
    d.p(f", length {length}: ")


def ipnet_if_print(d: Dissector, length: int, caplen: int) -> None:
    """Solaris's ipnet header: version, family, type, length, interfaces, then the
    source and destination zones."""
    d.protocol = "ipnet"
    d.need(0, IPNET_HDRLEN)
    d.ll_hdr_len += IPNET_HDRLEN
    if d.opts.eflag:
        _ipnet_hdr_print(d, length)
    family = d.u8(1)
    if family == 2:
        d.ip_print(IPNET_HDRLEN, length - IPNET_HDRLEN)
    elif family == 26:
        d.ip6_print(IPNET_HDRLEN, length - IPNET_HDRLEN)
    else:
        if not d.opts.eflag:
            _ipnet_hdr_print(d, length)
        if not d.opts.suppress_default_print:
            d.default_print(IPNET_HDRLEN, caplen - IPNET_HDRLEN)


# -- print-vsock.c -------------------------------------------------------------
VSOCK_HDRLEN = 32                   # struct af_vsockmon_hdr
VIRTIO_VSOCK_HDRLEN = 44            # struct virtio_vsock_hdr
VSOCK_TRANSPORTS = {0: "UNKNOWN", 1: "NO_INFO", 2: "VIRTIO"}
VSOCK_OPS = {0: "UNKNOWN", 1: "CONNECT", 2: "DISCONNECT", 3: "CONTROL", 4: "PAYLOAD"}
VIRTIO_TYPES = {1: "STREAM"}
VIRTIO_OPS = {0: "INVALID", 1: "REQUEST", 2: "RESPONSE", 3: "RST", 4: "SHUTDOWN", 5: "RW",
              6: "CREDIT UPDATE", 7: "CREDIT REQUEST"}


def _le(d: Dissector, off: int, n: int) -> int:
    d.need(off, n)
    return int.from_bytes(d.data[off:off + n], "little")


def _vsock_virtio_hdr_print(d: Dissector, h: int) -> None:
    d.p(f"len {_le(d, h + 24, 4)}")
    kind = _le(d, h + 28, 2)
    d.p(f", type {VIRTIO_TYPES.get(kind, f'Invalid type ({kind})')}")
    op = _le(d, h + 30, 2)
    d.p(f", op {VIRTIO_OPS.get(op, f'Invalid op ({op})')}")
    d.p(f", flags {_le(d, h + 32, 4):x}")
    d.p(f", buf_alloc {_le(d, h + 36, 4)}")
    d.p(f", fwd_cnt {_le(d, h + 40, 4)}")


def vsock_if_print(d: Dissector, length: int, caplen: int) -> None:
    """The vsockmon header (little-endian): transport, -v's virtio header, the
    addresses (CID.port) and operation, the captured length; -vv's payload in hex."""
    d.protocol = "vsock"
    if caplen < VSOCK_HDRLEN:
        d.nd_print_trunc()
        d.ll_hdr_len += caplen
        return
    d.ll_hdr_len += VSOCK_HDRLEN
    transport = _le(d, 26, 2)
    d.p(VSOCK_TRANSPORTS.get(transport, f"Invalid transport ({transport})"))
    transport_size = VIRTIO_VSOCK_HDRLEN if transport == 2 else 0
    ret = 0
    if d.opts.vflag:
        if caplen < VSOCK_HDRLEN + transport_size:
            ret = -1
        else:
            if transport == 2:
                d.p(" (")
                _vsock_virtio_hdr_print(d, VSOCK_HDRLEN)
                d.p(")")
            d.p("\n\t")
    else:
        d.p(" ")
    op = _le(d, 24, 2)
    d.p(f"{_le(d, 0, 8)}.{_le(d, 16, 4)} > {_le(d, 8, 8)}.{_le(d, 20, 4)} "
        f"{VSOCK_OPS.get(op, f' invalid op ({op})')}, length {caplen}")
    if ret < 0:
        d.nd_print_trunc()
        return
    total = VSOCK_HDRLEN + transport_size
    if d.opts.vflag > 1 and op == 4:
        if caplen > total:
            d.p("\n")
            d.print_unknown_data(total, "\t", caplen - total)
        else:
            d.nd_print_trunc()


IF_PRINTERS = {
    LINKTYPE_IPNET: ipnet_if_print,
    LINKTYPE_NFLOG: nflog_if_print,
    LINKTYPE_IPOIB: ipoib_if_print,
    LINKTYPE_VSOCK: vsock_if_print,
    LINKTYPE_DSA_TAG_BRCM: brcm_tag_if_print,
    LINKTYPE_DSA_TAG_BRCM_PREPEND: brcm_tag_prepend_if_print,
    LINKTYPE_DSA_TAG_DSA: dsa_if_print,
    LINKTYPE_DSA_TAG_EDSA: edsa_if_print,
}


from ipemu.tcpdump import atm as _atm  # noqa: E402  (imports this module's Dissector)

IF_PRINTERS.update(_atm.IF_PRINTERS)

from ipemu.tcpdump import juniper as _juniper  # noqa: E402

IF_PRINTERS.update(_juniper.IF_PRINTERS)

from ipemu.tcpdump import arcnet as _arcnet  # noqa: E402
from ipemu.tcpdump import atalk as _atalk  # noqa: E402

# LINKTYPE_ARCNET_BSD (7), LINKTYPE_ARCNET_LINUX (129), LINKTYPE_LTALK (114)
IF_PRINTERS.update({7: _arcnet.arcnet_if_print, 129: _arcnet.arcnet_linux_if_print,
                    114: _atalk.ltalk_if_print})

from ipemu.tcpdump import ieee80211 as _ieee80211  # noqa: E402

# LINKTYPE_IEEE802_11 (105), _RADIOTAP (127), _PRISM (119), _AVS (163)
IF_PRINTERS.update(_ieee80211.IF_PRINTERS)
