"""LLDP as tcpdump 4.99.3 prints it (print-lldp.c lldp_print()): the system name without
-v; under -v every basic TLV (chassis and port IDs, TTL, descriptions, capabilities,
management addresses) and the organisation TLVs of IEEE 802.1 (lldp_private_8021_print():
VLANs, link aggregation, DCB's ETS/PFC/application priority, EVB, CDCP), IEEE 802.3
(lldp_private_8023_print()), ANSI/TIA LLDP-MED (lldp_private_tia_print()), IANA's MUD
URL (lldp_private_iana_print()) and DCBX 1.01 (lldp_private_dcbx_print()). The OUI's name
is oui.c's first match (0x0080c2 is "Ethernet bridged", OUI_RFC2684, before 802.1's)."""
from __future__ import annotations

from ipemu.tcpdump import names
from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.util import nd_printjnp, nd_printn

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
        d.p(f": OUI {names.OUIS.get(oui, 'Unknown')} (0x{oui:06x})")
        printer = PRIVATE_PRINTERS.get(oui)
        return printer(d, tptr, tlv_len) if printer else True
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


SUBTYPES_8021 = {1: "Port VLAN Id", 2: "Port and Protocol VLAN ID", 3: "VLAN name",
                 4: "Protocol Identity", 7: "Link aggregation", 8: "Congestion Notification",
                 9: "ETS Configuration", 10: "ETS Recommendation",
                 11: "Priority Flow Control Configuration", 12: "Application Priority",
                 13: "EVB", 14: "CDCP"}
PPVID_FLAGS = [(1 << 1, "supported"), (1 << 2, "enabled")]
EVB_MODES = {0: "Not Supported", 1: "EVB Bridge", 2: "EVB Station",
             3: "Reserved for future Standardization"}


def _row(values: list[int], width: int) -> str:
    """A `%-Nd ` row of the DCB tables."""
    return "".join(f"{v:<{width}d} " for v in values)


def _bits(value: int) -> str:
    """The `%-2d ` row of a priority bitmap, bit 0 first."""
    return _row([(value >> i) & 1 for i in range(8)], 2)


def _ets_tables(d: Dissector, ptr: int) -> None:
    """print_ets_priority_assignment_table(), print_tc_bandwidth_table(),
    print_tsa_assignment_table(): the 4 nibble bytes, then 8 and 8 bytes."""
    nibbles = []
    for i in range(4):
        byte = d.u8(ptr + i)
        nibbles += [byte >> 4, byte & 0x0F]
    d.p("\n\t    Priority Assignment Table"
        "\n\t     Priority : 0   1   2   3   4   5   6   7"
        f"\n\t     Value    : {_row(nibbles, 3)[:-1]}")
    d.p("\n\t    TC Bandwidth Table\n\t     TC%   : 0   1   2   3   4   5   6   7"
        f"\n\t     Value : {_row([d.u8(ptr + 4 + i) for i in range(8)], 3)[:-1]}")
    d.p("\n\t    TSA Assignment Table"
        "\n\t     Traffic Class: 0   1   2   3   4   5   6   7"
        f"\n\t     Value        : {_row([d.u8(ptr + 12 + i) for i in range(8)], 3)[:-1]}")


def _private_8021(d: Dissector, tptr: int, tlv_len: int) -> bool:
    """lldp_private_8021_print(): True to dump the TLV's hex."""
    if tlv_len < 4:
        return False
    sub = d.u8(tptr + 3)
    d.p(f"\n\t  {SUBTYPES_8021.get(sub, 'unknown')} Subtype ({sub})")
    if sub == 1:
        if tlv_len < 6:
            return False
        d.p(f"\n\t    port vlan id (PVID): {d.u16(tptr + 4)}")
    elif sub == 2:
        if tlv_len < 7:
            return False
        flags = d.u8(tptr + 4)
        d.p(f"\n\t    port and protocol vlan id (PPVID): {d.u16(tptr + 5)}, flags "
            f"[{bittok2str(PPVID_FLAGS, 'none', flags)}] (0x{flags:02x})")
    elif sub == 3:
        if tlv_len < 6:
            return False
        d.p(f"\n\t    vlan id (VID): {d.u16(tptr + 4)}")
        if tlv_len < 7:
            return False
        sublen = d.u8(tptr + 6)
        if tlv_len < 7 + sublen:
            return False
        d.p("\n\t    vlan name: ")
        nd_printjnp(d, tptr + 7, sublen)
    elif sub == 4:
        if tlv_len < 5:
            return False
        sublen = d.u8(tptr + 4)
        if tlv_len < 5 + sublen:
            return False
        d.p("\n\t    protocol identity: ")
        nd_printjnp(d, tptr + 5, sublen)
    elif sub == 7:
        if tlv_len < 9:
            return False
        d.p(f"\n\t    aggregation status [{bittok2str(AGGREGATION, 'none', d.u8(tptr + 4))}], "
            f"aggregation port ID {d.u32(tptr + 5)}")
    elif sub == 8:
        if tlv_len < 6:
            return False
        for label, off in (("CNPV", 4), ("Ready", 5)):
            d.p(f"\n\t    Pre-Priority {label} Indicator"
                "\n\t     Priority : 0  1  2  3  4  5  6  7"
                f"\n\t     Value    : {_bits(d.u8(tptr + off))}")
    elif sub == 9:
        if tlv_len < 25:
            return False
        tval = d.u8(tptr + 4)
        # (tval >> 6) & 0x02 as print-lldp.c has it: CBS is never 1
        d.p(f"\n\t    Willing:{tval >> 7}, CBS:{(tval >> 6) & 0x02}, "
            f"RES:{(tval >> 3) & 0x07}, Max TCs:{tval & 0x07}")
        _ets_tables(d, tptr + 5)
    elif sub == 10:
        if tlv_len < 25:
            return False
        d.p(f"\n\t    RES: {d.u8(tptr + 4)}")
        _ets_tables(d, tptr + 5)
    elif sub == 11:
        if tlv_len < 6:
            return False
        tval = d.u8(tptr + 4)
        d.p(f"\n\t    Willing: {tval >> 7}, MBC: {(tval >> 6) & 0x01}, "
            f"RES: {(tval >> 4) & 0x03}, PFC cap:{tval & 0x0F} \n\t    PFC Enable"
            "\n\t     Priority : 0  1  2  3  4  5  6  7"
            f"\n\t     Value    : {_bits(d.u8(tptr + 5))}")
    elif sub == 12:
        if tlv_len < 5:
            return False
        d.p(f"\n\t    RES: {d.u8(tptr + 4)}")
        if tlv_len <= 5:
            return False
        sublen = tlv_len - 5
        if sublen % 3:
            return False
        d.p("\n\t    Application Priority Table")
        for i in range(0, sublen, 3):
            tval = d.u8(tptr + i + 5)
            d.p(f"\n\t      Priority: {tval >> 5}, RES: {(tval >> 3) & 0x03}, "
                f"Sel: {tval & 0x07}, Protocol ID: {d.u16(tptr + i + 6)}")
    elif sub == 13:
        if tlv_len < 9:
            return False
        tval = d.u8(tptr + 4)
        d.p(f"\n\t    EVB Bridge Status\n\t      RES: {tval >> 3}, BGID: {(tval >> 2) & 1}, "
            f"RRCAP: {(tval >> 1) & 1}, RRCTR: {tval & 1}")
        tval = d.u8(tptr + 5)
        d.p(f"\n\t    EVB Station Status\n\t      RES: {tval >> 4}, SGID: {(tval >> 3) & 1}, "
            f"RRREQ: {(tval >> 2) & 1},RRSTAT: {tval & 0x03}")
        tval = d.u8(tptr + 6)
        d.p(f"\n\t    R: {tval >> 5}, RTE: {tval & 0x1F}, ")
        tval = d.u8(tptr + 7)
        d.p(f"EVB Mode: {EVB_MODES.get(tval >> 6, 'unknown')} [{tval >> 6}]"
            f"\n\t    ROL: {(tval >> 5) & 1}, RWD: {tval & 0x1F}, ")
        tval = d.u8(tptr + 8)
        d.p(f"RES: {tval >> 6}, ROL: {(tval >> 5) & 1}, RKA: {tval & 0x1F}")
    elif sub == 14:
        if tlv_len < 8:
            return False
        tval = d.u8(tptr + 4)
        d.p(f"\n\t    Role: {tval >> 7}, RES: {(tval >> 4) & 0x07}, Scomp: {(tval >> 3) & 1} "
            f"ChnCap: {d.u16(tptr + 6) & 0x0FFF}")
        sublen = tlv_len - 8
        if sublen % 3:
            return False
        for i in range(0, sublen, 3):
            tval = d.u8(tptr + i + 8) << 16 | d.u16(tptr + i + 9)
            d.p(f"\n\t    SCID: {tval >> 12}, SVID: {tval & 0x000FFF}")
    else:
        return True
    return False


def _private_iana(d: Dissector, tptr: int, tlv_len: int) -> bool:
    """lldp_private_iana_print(): the MUD URL (RFC 8520), printed whole by nd_printn()."""
    if tlv_len < 8:
        return False
    sub = d.u8(tptr + 3)
    d.p(f"\n\t  {'MUD-URL' if sub == 1 else 'unknown'} Subtype ({sub})")
    if sub != 1:
        return True
    d.p("\n\t  MUD-URL=")
    nd_printn(d, tptr + 4, tlv_len - 4)
    return False


SUBTYPES_TIA = {1: "LLDP-MED Capabilities", 2: "Network policy", 3: "Location identification",
                4: "Extended power-via-MDI", 5: "Inventory - hardware revision",
                6: "Inventory - firmware revision", 7: "Inventory - software revision",
                8: "Inventory - serial number", 9: "Inventory - manufacturer name",
                10: "Inventory - model name", 11: "Inventory - asset ID"}
TIA_INVENTORY = {5: "Hardware revision", 6: "Firmware revision", 7: "Software revision",
                 8: "Serial number", 9: "Manufacturer name", 10: "Model name", 11: "Asset ID"}
TIA_CAPS = [(1, "LLDP-MED capabilities"), (2, "network policy"), (4, "location identification"),
            (8, "extended power via MDI-PSE"), (16, "extended power via MDI-PD"),
            (32, "Inventory")]
TIA_DEVICE_TYPES = {1: "endpoint class 1", 2: "endpoint class 2", 3: "endpoint class 3",
                    4: "network connectivity"}
TIA_APPLICATIONS = {1: "voice", 2: "voice signaling", 3: "guest voice",
                    4: "guest voice signaling", 5: "softphone voice", 6: "video conferencing",
                    7: "streaming video", 8: "video signaling"}
TIA_POLICY_BITS = [(1 << 7, "Unknown"), (1 << 6, "Tagged"), (1 << 5, "reserved")]
TIA_LOCATION_FORMATS = {1: "coordinate-based LCI", 2: "civic address LCI", 3: "ECS ELIN"}
TIA_ALTITUDES = {1: "meters", 2: "floors"}
TIA_DATUMS = {1: "World Geodesic System 1984", 2: "North American Datum 1983 (NAVD88)",
              3: "North American Datum 1983 (MLLW)"}
TIA_LCI_WHAT = {0: "location of DHCP server",
                1: "location of the network element believed to be closest to the client",
                2: "location of the client"}
TIA_CA_TYPES = {1: "national subdivisions (state,canton,region,province,prefecture)",
                2: "county, parish, gun, district", 3: "city, township, shi",
                4: "city division, borough, city district, ward chou",
                5: "neighborhood, block", 6: "street"}
TIA_POWER_SOURCES = {1: "PSE - primary power source", 2: "local - backup power source",
                     3: "PSE+local - reserved"}
TIA_POWER_PRIORITIES = {1: "critical", 2: "high", 3: "low"}


def _latlon(d: Dissector, ptr: int) -> int:
    """lldp_extract_latlon(): 34 bits."""
    return (d.u8(ptr) & 0x3) << 32 | d.u32(ptr + 1)


def _private_tia(d: Dissector, tptr: int, tlv_len: int) -> bool:
    """lldp_private_tia_print() (LLDP-MED): True to dump the TLV's hex."""
    if tlv_len < 4:
        return False
    sub = d.u8(tptr + 3)
    d.p(f"\n\t  {SUBTYPES_TIA.get(sub, 'unknown')} Subtype ({sub})")
    if sub == 1:
        if tlv_len < 7:
            return False
        caps, kind = d.u16(tptr + 4), d.u8(tptr + 6)
        d.p(f"\n\t    Media capabilities [{bittok2str(TIA_CAPS, 'none', caps)}] (0x{caps:04x})"
            f"\n\t    Device type [{TIA_DEVICE_TYPES.get(kind, 'unknown')}] (0x{kind:02x})")
    elif sub == 2:
        if tlv_len < 8:
            return False
        app = d.u8(tptr + 4)
        d.p(f"\n\t    Application type [{TIA_APPLICATIONS.get(app, 'none')}] (0x{app:02x})"
            f", Flags [{bittok2str(TIA_POLICY_BITS, 'none', d.u8(tptr + 5))}]"
            f"\n\t    Vlan id {(d.u16(tptr + 5) & 0x1FFE) >> 1}"
            f", L2 priority {(d.u16(tptr + 6) & 0x01FF) >> 6}"
            f", DSCP value {d.u16(tptr + 6) & 0x003F}")
    elif sub == 3:
        if tlv_len < 5:
            return False
        fmt = d.u8(tptr + 4)
        d.p(f"\n\t    Location data format {TIA_LOCATION_FORMATS.get(fmt, 'unknown')} "
            f"(0x{fmt:02x})")
        if fmt == 1:
            if tlv_len < 21:
                return False
            alt = d.u8(tptr + 15) >> 4
            datum = d.u8(tptr + 20)
            d.p(f"\n\t    Latitude resolution {d.u8(tptr + 5) >> 2}, latitude value "
                f"{_latlon(d, tptr + 5)}"
                f"\n\t    Longitude resolution {d.u8(tptr + 10) >> 2}, longitude value "
                f"{_latlon(d, tptr + 10)}"
                f"\n\t    Altitude type {TIA_ALTITUDES.get(alt, 'unknown')} ({alt})"
                f"\n\t    Altitude resolution {(d.u16(tptr + 15) >> 6) & 0x3F}, altitude "
                f"value 0x{d.u32(tptr + 16) & 0x3FFFFFFF:x}"
                f"\n\t    Datum {TIA_DATUMS.get(datum, 'unknown')} (0x{datum:02x})")
        elif fmt == 2:
            if tlv_len < 6:
                return False
            lci_len = d.u8(tptr + 5)
            if lci_len < 3 or tlv_len < 7 + lci_len:
                return False
            what = d.u8(tptr + 6)
            d.p(f"\n\t    LCI length {lci_len}, LCI what {TIA_LCI_WHAT.get(what, 'unknown')} "
                f"(0x{what:02x}), Country-code ")
            nd_printjnp(d, tptr + 7, 2)
            lci_len -= 3
            ptr = tptr + 9
            while lci_len > 0:
                if lci_len < 2:
                    return False
                ca_type, ca_len = d.u8(ptr), d.u8(ptr + 1)
                ptr, lci_len = ptr + 2, lci_len - 2
                d.p(f"\n\t      CA type '{TIA_CA_TYPES.get(ca_type, 'unknown')}' ({ca_type}), "
                    f"length {ca_len}: ")
                if not ca_type or not ca_len or lci_len < ca_len:
                    return False
                nd_printjnp(d, ptr, ca_len)
                ptr, lci_len = ptr + ca_len, lci_len - ca_len
        elif fmt == 3:
            d.p("\n\t    ECS ELIN id ")
            nd_printjnp(d, tptr + 5, tlv_len - 5)
        else:
            d.p("\n\t    Location ID ")
            d.print_unknown_data(tptr + 5, "\n\t      ", tlv_len - 5)
    elif sub == 4:
        if tlv_len < 7:
            return False
        byte = d.u8(tptr + 4)
        # `& 0xC0 >> 6` binds as `& 0x03`: the power source's low bits decide, as printed
        power = d.u16(tptr + 5)
        d.p(f"\n\t    Power type [{'PD device' if byte & 0x03 else 'PSE device'}]"
            f", Power source [{TIA_POWER_SOURCES.get((byte & 0x30) >> 4, 'none')}]"
            f"\n\t    Power priority [{TIA_POWER_PRIORITIES.get(byte & 0x0F, 'none')}] "
            f"(0x{byte & 0x0F:02x})")
        d.p(f", Power {power / 10:.1f} Watts" if power < 1024 else f", Power {power} (Reserved)")
    elif sub in TIA_INVENTORY:
        d.p(f"\n\t  {TIA_INVENTORY[sub]} ")
        nd_printjnp(d, tptr + 4, tlv_len - 4)
    else:
        return True
    return False


DCBX_SUBTYPES = {1: "DCB Capability Exchange Protocol Rev 1",
                 2: "DCB Capability Exchange Protocol Rev 1.01"}


def _dcbx_info(d: Dissector, ptr: int) -> None:
    """The versions, info block and subtype every DCBX feature TLV starts with."""
    tval = d.u8(ptr + 2)
    d.p(f"\n\t      Oper_Version: {d.u8(ptr)}\n\t      Max_Version: {d.u8(ptr + 1)}"
        f"\n\t      Info block(0x{tval:02X}): Enable bit: {int(bool(tval & 0x80))}, "
        f"Willing bit: {int(bool(tval & 0x40))}, Error Bit: {int(bool(tval & 0x20))}"
        f"\n\t      SubType: {d.u8(ptr + 3)}")


def _private_dcbx(d: Dissector, pptr: int, length: int) -> bool:
    """lldp_private_dcbx_print() (DCBX 1.01): its own TLVs inside; a short one ends the
    TLV's printing without the ` [|lldp]` of lldp_print()'s truncation."""
    if length < 4:
        return False
    sub = d.u8(pptr + 3)
    d.p(f"\n\t  {DCBX_SUBTYPES.get(sub, 'unknown')} Subtype ({sub})")
    if sub == 1:
        return True
    tptr, tlen = pptr + 4, length - 4
    hexdump = False
    while tlen >= 2:
        if not d.ttest(tptr, 2):
            return hexdump
        tlv = d.u16(tptr)
        kind, tlv_len = tlv >> 9, tlv & 0x1FF
        hexdump = False
        tptr, tlen = tptr + 2, tlen - 2
        if not kind or not tlv_len:
            break
        if not d.ttest(tptr, tlv_len) or tlen < tlv_len:
            return hexdump
        if kind == 1:
            if tlv_len < 10:
                return hexdump
            d.p(f"\n\t    Control - Protocol Control (type 0x1, length {tlv_len})"
                f"\n\t      Oper_Version: {d.u8(tptr)}\n\t      Max_Version: {d.u8(tptr + 1)}"
                f"\n\t      Sequence Number: {d.u32(tptr + 2)}"
                f"\n\t      Acknowledgement Number: {d.u32(tptr + 6)}")
        elif kind == 2:
            if tlv_len < 17:
                return hexdump
            d.p(f"\n\t    Feature - Priority Group (type 0x2, length {tlv_len})")
            _dcbx_info(d, tptr)
            d.p("\n\t      Priority Allocation")
            pgval = d.u32(tptr + 4)
            for i in range(8):
                d.p(f"\n\t          PgId_{i}: {(pgval >> (28 - 4 * i)) & 0xF}")
            d.p("\n\t      Priority Group Allocation")
            for i in range(8):
                d.p(f"\n\t          Pg percentage[{i}]: {d.u8(tptr + 8 + i)}")
            d.p(f"\n\t      NumTCsSupported: {d.u8(tptr + 16)}")
        elif kind == 3:
            if tlv_len < 6:
                return hexdump
            d.p(f"\n\t    Feature - Priority Flow Control (type 0x3, length {tlv_len})")
            _dcbx_info(d, tptr)
            tval = d.u8(tptr + 4)
            d.p(f"\n\t      PFC Config (0x{tval:02X})")
            for i in range(8):
                d.p(f"\n\t          Priority Bit {i}: "
                    f"{'Enabled' if tval & (1 << i) else 'Disabled'}")
            d.p(f"\n\t      NumTCPFCSupported: {d.u8(tptr + 5)}")
        elif kind == 4:
            if tlv_len < 4:
                return hexdump
            d.p(f"\n\t    Feature - Application (type 0x4, length {tlv_len})")
            _dcbx_info(d, tptr)
            left, mptr = tlv_len - 4, tptr + 4
            while left >= 6:
                uval = d.u8(mptr + 2) << 16 | d.u16(mptr + 3)
                d.p(f"\n\t      Application Value\n\t          Application Protocol ID: "
                    f"0x{d.u16(mptr):04x}\n\t          SF (0x{uval >> 22:x}) Application "
                    f"Protocol ID is {'Socket Number' if uval >> 22 else 'L2 EtherType'}"
                    f"\n\t          OUI: 0x{uval & 0x3FFFFF:06x}"
                    f"\n\t          User Priority Map: 0x{d.u8(mptr + 5):02x}")
                left, mptr = left - 6, mptr + 6
        else:
            hexdump = True
        if d.opts.vflag > 1 or (d.opts.vflag and hexdump):
            d.print_unknown_data(tptr, "\n\t    ", tlv_len)
        tlen, tptr = tlen - tlv_len, tptr + tlv_len
    return hexdump


PRIVATE_PRINTERS = {0x0080C2: _private_8021, 0x00120F: _private_8023, 0x00005E: _private_iana,
                    0x0012BB: _private_tia, 0x001B21: _private_dcbx}
