"""LLDP as tcpdump 4.99.3 prints it (print-lldp.c lldp_print()): the system name without
-v; under -v every basic TLV (chassis and port IDs, TTL, descriptions, capabilities,
management addresses) and the IEEE 802.3 organisation TLVs (lldp_private_8023_print()).
The 802.1, TIA (LLDP-MED), IANA and DCBX organisation TLVs are not ported: they print
as their hex, which is what tcpdump prints for subtypes it does not know."""
from __future__ import annotations

from ipemu.tcpdump import names
from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.util import nd_printjnp

TLV_NAMES = {0: "End", 1: "Chassis ID", 2: "Port ID", 3: "Time to Live", 4: "Port Description",
             5: "System Name", 6: "System Description", 7: "System Capabilities",
             8: "Management Address", 127: "Organization specific"}
CHASSIS_SUBTYPES = {1: "Chassis component", 2: "Interface alias", 3: "Port component",
                    4: "MAC address", 5: "Network address", 6: "Interface name", 7: "Local"}
PORT_SUBTYPES = {1: "Interface alias", 2: "Port component", 3: "MAC address",
                 4: "Network Address", 5: "Interface Name", 6: "Agent circuit ID", 7: "Local"}
CAPS = [(1, "Other"), (2, "Repeater"), (4, "Bridge"), (8, "WLAN AP"), (16, "Router"),
        (32, "Telephone"), (64, "Docsis"), (128, "Station Only")]
AF_VALUES = {0: "Reserved", 1: "IPv4", 2: "IPv6", 3: "NSAP", 4: "HDLC", 5: "BBN 1822",
             6: "802", 7: "E.163", 8: "E.164", 9: "F.69", 10: "X.121", 11: "Novell IPX",
             12: "Appletalk", 13: "Decnet IV", 14: "Banyan Vines",
             15: "E.164 with NSAP subaddress", 196: "Layer-2 VPN", 25: "VPLS"}
INTF_NUMB = {2: "Interface Index", 3: "System Port Number"}
OUIS = {0x0080C2: "IEEE 802.1 Private", 0x00120F: "IEEE 802.3 Private", 0x0012BB: "ANSI/TIA",
        0x001B21: "DCBX", 0x00005E: "IANA"}
SUBTYPES_8023 = {1: "MAC/PHY configuration/status", 2: "Power via MDI", 3: "Link aggregation",
                 4: "Max frame size"}
AUTONEG = [(1, "supported"), (2, "enabled")]
PMD_CAPS = [(1 << 14, "10BASE-T hdx"), (1 << 13, "10BASE-T fdx"), (1 << 12, "100BASE-T4"),
            (1 << 11, "100BASE-TX hdx"), (1 << 10, "100BASE-TX fdx"),
            (1 << 9, "100BASE-T2 hdx"), (1 << 8, "100BASE-T2 fdx"),
            (1 << 7, "Pause for fdx links"), (1 << 6, "Asym PAUSE for fdx"),
            (1 << 5, "Sym PAUSE for fdx"), (1 << 4, "Asym and Sym PAUSE for fdx"),
            (1 << 3, "1000BASE-{X LX SX CX} hdx"), (1 << 2, "1000BASE-{X LX SX CX} fdx"),
            (1 << 1, "1000BASE-T hdx"), (1 << 0, "1000BASE-T fdx")]
MAU_TYPES = (
    "Unknown", "AUI", "10BASE_5", "FOIRL", "10BASE2", "10BASET duplex mode unknown",
    "10BASEFP", "10BASEFB", "10BASEFL duplex mode unknown", "10BROAD36", "10BASET hdx",
    "10BASET fdx", "10BASEFL hdx", "10BASEFL fdx", "100BASET4", "100BASETX hdx",
    "100BASETX fdx", "100BASEFX hdx", "100BASEFX fdx", "100BASET2 hdx", "100BASET2 fdx",
    "1000BASEX hdx", "1000BASEX fdx", "1000BASELX hdx", "1000BASELX fdx", "1000BASESX hdx",
    "1000BASESX fdx", "1000BASECX hdx", "1000BASECX fdx", "1000BASET hdx", "1000BASET fdx",
    "10GBASEX", "10GBASELX4", "10GBASER", "10GBASEER", "10GBASELR", "10GBASESR", "10GBASEW",
    "10GBASEEW", "10GBASELW", "10GBASESW")
MDI = [(1, "PSE"), (2, "supported"), (4, "enabled"), (8, "can be controlled")]
POWER_PAIRS = {1: "signal", 2: "spare"}
POWER_CLASSES = {1: "class0", 2: "class1", 3: "class2", 4: "class3", 5: "class4"}
AGGREGATION = [(1, "supported"), (2, "enabled")]


class _Trunc(Exception):
    """lldp_print()'s `goto trunc`."""


def lldp_print(d: Dissector, tptr: int, length: int) -> None:
    """lldp_print()."""
    d.protocol = "lldp"
    d.p(f"LLDP, length {length}")
    v = d.opts.vflag
    try:
        while length >= 2:
            # ND_TCHECK_*() here is a `goto trunc`: the printing ends without a longjmp
            if not d.ttest(tptr, 2):
                raise _Trunc()
            tlv = d.u16(tptr)
            kind, tlv_len = tlv >> 9, tlv & 0x1FF
            tptr, length = tptr + 2, length - 2
            if v:
                d.p(f"\n\t{TLV_NAMES.get(kind, 'Unknown')} TLV ({kind}), length {tlv_len}")
            if not kind or not tlv_len:
                break
            if not d.ttest(tptr, tlv_len) or length < tlv_len:
                raise _Trunc()
            hexdump = _tlv(d, kind, tptr, tlv_len) if v or kind == 5 else False
            if v > 1 or (v and hexdump):
                d.print_unknown_data(tptr, "\n\t  ", tlv_len)
            tptr, length = tptr + tlv_len, length - tlv_len
    except _Trunc:
        d.nd_print_trunc()


def _tlv(d: Dissector, kind: int, tptr: int, tlv_len: int) -> bool:
    """One TLV's value (under -v, or the system name); True to dump its hex too."""
    if kind in (1, 2):
        if tlv_len < 2:
            raise _Trunc()
        subtype = d.u8(tptr)
        table, mac, net = ((CHASSIS_SUBTYPES, 4, 5) if kind == 1 else (PORT_SUBTYPES, 3, 4))
        d.p(f"\n\t  Subtype {table.get(subtype, 'Unknown')} ({subtype}): ")
        if subtype == mac:
            if tlv_len < 7:
                raise _Trunc()
            d.p(d.etheraddr_string(tptr + 1))
        elif subtype == net:
            d.p(_network_addr(d, tptr + 1, tlv_len - 1))
        elif subtype in table:
            nd_printjnp(d, tptr + 1, tlv_len - 1)
        else:
            return True
    elif kind == 3:
        if tlv_len < 2:
            raise _Trunc()
        d.p(f": TTL {d.u16(tptr)}s")
    elif kind in (4, 5):
        d.p(": ")
        nd_printjnp(d, tptr, tlv_len)
    elif kind == 6:
        d.p("\n\t  ")
        nd_printjnp(d, tptr, tlv_len)
    elif kind == 7:
        if tlv_len < 4:
            raise _Trunc()
        cap, ena = d.u16(tptr), d.u16(tptr + 2)
        d.p(f"\n\t  System  Capabilities [{bittok2str(CAPS, 'none', cap)}] (0x{cap:04x})")
        d.p(f"\n\t  Enabled Capabilities [{bittok2str(CAPS, 'none', ena)}] (0x{ena:04x})")
    elif kind == 8:
        if not _mgmt_addr(d, tptr, tlv_len):
            raise _Trunc()
    elif kind == 127:
        if tlv_len < 3:
            raise _Trunc()
        oui = d.u8(tptr) << 16 | d.u16(tptr + 1)
        d.p(f": OUI {OUIS.get(oui, names.OUIS.get(oui, 'Unknown'))} (0x{oui:06x})")
        return _private_8023(d, tptr, tlv_len) if oui == 0x00120F else True
    else:
        return True
    return False


def _network_addr(d: Dissector, tptr: int, n: int) -> str:
    """lldp_network_addr_print()."""
    if n < 1:
        raise _Trunc()
    af = d.u8(tptr)
    printer = {1: (4, d.ipaddr_string), 2: (16, d.ip6addr_string),
               6: (6, d.etheraddr_string)}.get(af)
    name = AF_VALUES.get(af, "Unknown")
    if printer is None:
        return f"AFI {name} ({af}), no AF printer !"
    if n - 1 < printer[0]:
        raise _Trunc()
    return f"AFI {name} ({af}): {printer[1](tptr + 1)}"


def _mgmt_addr(d: Dissector, tptr: int, tlen: int) -> bool:
    """lldp_mgmt_addr_tlv_print()."""
    if tlen < 1:
        return False
    alen = d.u8(tptr)
    tptr, tlen = tptr + 1, tlen - 1
    if tlen < alen:
        return False
    d.p(f"\n\t  Management Address length {alen}, {_network_addr(d, tptr, alen)}")
    tptr, tlen = tptr + alen, tlen - alen
    if tlen < 5:
        return False
    sub = d.u8(tptr)
    d.p(f"\n\t  {INTF_NUMB.get(sub, 'Unknown')} Interface Numbering ({sub}): {d.u32(tptr + 1)}")
    tptr, tlen = tptr + 5, tlen - 5
    if tlen:
        oid_len = d.u8(tptr)
        if tlen < 1 + oid_len:
            return False
        if oid_len:
            d.p(f"\n\t  OID length {oid_len}")
            nd_printjnp(d, tptr + 1, oid_len)
    return True


def _private_8023(d: Dissector, tptr: int, tlv_len: int) -> bool:
    """lldp_private_8023_print(): True to dump the TLV's hex."""
    if tlv_len < 4:
        return False
    sub = d.u8(tptr + 3)
    d.p(f"\n\t  {SUBTYPES_8023.get(sub, 'unknown')} Subtype ({sub})")
    if sub == 1:
        if tlv_len < 9:
            return False
        an, pmd, mau = d.u8(tptr + 4), d.u16(tptr + 5), d.u16(tptr + 7)
        d.p(f"\n\t    autonegotiation [{bittok2str(AUTONEG, 'none', an)}] (0x{an:02x})")
        d.p(f"\n\t    PMD autoneg capability [{bittok2str(PMD_CAPS, 'unknown', pmd)}] "
            f"(0x{pmd:04x})")
        d.p(f"\n\t    MAU type {MAU_TYPES[mau] if mau < len(MAU_TYPES) else 'unknown'} "
            f"(0x{mau:04x})")
    elif sub == 2:
        if tlv_len < 7:
            return False
        d.p(f"\n\t    MDI power support [{bittok2str(MDI, 'none', d.u8(tptr + 4))}], power "
            f"pair {POWER_PAIRS.get(d.u8(tptr + 5), 'unknown')}, power class "
            f"{POWER_CLASSES.get(d.u8(tptr + 6), 'unknown')}")
    elif sub == 3:
        if tlv_len < 9:
            return False
        d.p(f"\n\t    aggregation status [{bittok2str(AGGREGATION, 'none', d.u8(tptr + 4))}], "
            f"aggregation port ID {d.u32(tptr + 5)}")
    elif sub == 4:
        if tlv_len < 6:
            return False
        d.p(f"\n\t    MTU size {d.u16(tptr + 4)}")
    else:
        return True
    return False
