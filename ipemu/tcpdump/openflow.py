"""OpenFlow over TCP ports 6633/6653 as tcpdump 4.99.3 prints it (print-openflow.c
openflow_print()): `: OpenFlow`, then a line per message with its version, type (the
1.0 and 1.3 tables), length and xid, and ` (invalid)` for a body whose length the
type does not allow. Under -v the bodies' decoders of print-openflow-1.0.c and -1.3.c
are ported for HELLO (1.3's elements too), ECHO data and 1.3's FEATURES_REPLY only:
a segment holding a message another decoder would
print is left as plain TCP, as before."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.hexdump import hex_and_ascii_print

VERSIONS = {1: "1.0", 2: "1.1", 3: "1.2", 4: "1.3", 5: "1.4", 6: "1.5"}
HEADER = 8
NONE, FIX, MIN = 0, 1, 2
# (name, decoder, requirement, value): decoder "data" is of_data_print(), "other" one
# ipemu has not ported, None none
OF10 = [("HELLO", "data", MIN, 0), ("ERROR", "other", MIN, 4), ("ECHO_REQUEST", "data", MIN, 0),
        ("ECHO_REPLY", "data", MIN, 0), ("VENDOR", "other", MIN, 4),
        ("FEATURES_REQUEST", None, FIX, 0), ("FEATURES_REPLY", "other", MIN, 24),
        ("GET_CONFIG_REQUEST", None, FIX, 0), ("GET_CONFIG_REPLY", "other", FIX, 4),
        ("SET_CONFIG", "other", FIX, 4), ("PACKET_IN", "other", MIN, 10),
        ("FLOW_REMOVED", "other", FIX, 80), ("PORT_STATUS", "other", FIX, 56),
        ("PACKET_OUT", "other", MIN, 8), ("FLOW_MOD", "other", MIN, 64),
        ("PORT_MOD", "other", FIX, 24), ("STATS_REQUEST", "other", MIN, 4),
        ("STATS_REPLY", "other", MIN, 4), ("BARRIER_REQUEST", None, FIX, 0),
        ("BARRIER_REPLY", None, FIX, 0), ("QUEUE_GET_CONFIG_REQUEST", "other", FIX, 4),
        ("QUEUE_GET_CONFIG_REPLY", "other", MIN, 8)]
OF13 = [("HELLO", "hello13", MIN, 0), ("ERROR", "other", MIN, 4), ("ECHO_REQUEST", "data", MIN, 0),
        ("ECHO_REPLY", "data", MIN, 0), ("EXPERIMENTER", "other", MIN, 8),
        ("FEATURES_REQUEST", None, FIX, 0), ("FEATURES_REPLY", "features13", FIX, 24),
        ("GET_CONFIG_REQUEST", None, FIX, 0), ("GET_CONFIG_REPLY", "other", FIX, 4),
        ("SET_CONFIG", "other", FIX, 4), ("PACKET_IN", None, NONE, 0),
        ("FLOW_REMOVED", None, NONE, 0), ("PORT_STATUS", "other", FIX, 72),
        ("PACKET_OUT", None, NONE, 0), ("FLOW_MOD", None, NONE, 0), ("GROUP_MOD", None, NONE, 0),
        ("PORT_MOD", "other", FIX, 32), ("TABLE_MOD", "other", FIX, 8),
        ("MULTIPART_REQUEST", None, NONE, 0), ("MULTIPART_REPLY", None, NONE, 0),
        ("BARRIER_REQUEST", None, FIX, 0), ("BARRIER_REPLY", None, FIX, 0),
        ("QUEUE_GET_CONFIG_REQUEST", "other", FIX, 8), ("QUEUE_GET_CONFIG_REPLY", None, NONE, 0),
        ("ROLE_REQUEST", "other", FIX, 16), ("ROLE_REPLY", "other", FIX, 16),
        ("GET_ASYNC_REQUEST", None, FIX, 0), ("GET_ASYNC_REPLY", "other", FIX, 24),
        ("SET_ASYNC", "other", FIX, 24), ("METER_MOD", None, NONE, 0)]


def _msgtype(version: int, kind: int) -> tuple | None:
    table = OF10 if version == 1 else OF13 if version == 4 else None
    return table[kind] if table is not None and kind < len(table) else None


def _valid(mti: tuple, body: int) -> bool:
    return not ((mti[2] == FIX and body != mti[3]) or (mti[2] == MIN and body < mti[3]))


def _unported(d: Dissector, cp: int, length: int) -> bool:
    """Whether -v would reach a body decoder ipemu has not ported."""
    while length >= 4 and d.ttest(cp, 4):
        mti = _msgtype(d.u8(cp), d.u8(cp + 1))
        size = d.u16(cp + 2)
        if size < HEADER:
            return False
        if mti is not None and mti[1] == "other" and _valid(mti, size - HEADER):
            return True
        if size > length:
            return False
        cp, length = cp + size, length - size
    return False


def openflow_print(d: Dissector, cp: int, length: int) -> bool:
    """openflow_print(); False (nothing printed) when -v would need an unported decoder."""
    if d.opts.vflag and _unported(d, cp, length):
        return False
    d.protocol = "openflow"
    d.p(": OpenFlow")
    while length:
        version = d.u8(cp)
        cp, length = cp + 1, length - 1
        d.p(f"\n\tversion {VERSIONS.get(version, f'unknown (0x{version:02x})')}")
        if length < 1:
            return _partial(d, cp, length)
        kind = d.u8(cp)
        cp, length = cp + 1, length - 1
        mti = _msgtype(version, kind)
        d.p(f", type {mti[0]}" if mti else f", type unknown (0x{kind:02x})")
        if length < 2:
            return _partial(d, cp, length)
        size = d.u16(cp)
        cp, length = cp + 2, length - 2
        d.p(f", length {size}{' (too short!)' if size < HEADER else ''}")
        if length < 4:
            return _partial(d, cp, length)
        d.p(f", xid 0x{d.u32(cp):08x}")
        cp, length = cp + 4, length - 4
        if size < HEADER:
            d.p(" (invalid)")
            d.need(cp, length)
            return True
        body = size - HEADER
        _message(d, cp, body, mti)
        if body > length:
            break
        cp, length = cp + body, length - body
    return True


def _partial(d: Dissector, cp: int, length: int) -> bool:
    d.p(" (end of TCP payload)")
    d.need(cp, length)
    return True


def _message(d: Dissector, cp: int, body: int, mti: tuple | None) -> None:
    """of_message_print()."""
    if mti is not None and not _valid(mti, body):
        d.p(" (invalid)")
    elif mti is not None and d.opts.vflag and mti[1] == "data":
        # of_data_print()
        if body:
            d.p(f"\n\t data ({body} octets)")
            if d.opts.vflag >= 2:
                # hex_and_ascii_print(): what was captured, then the truncation
                have = min(body, d.avail(cp))
                d.p(hex_and_ascii_print(d.bytes_(cp, have), "\n\t  "))
            d.need(cp, body)
        return
    elif mti is not None and d.opts.vflag and mti[1] == "hello13":
        _hello13(d, cp, body)
        return
    elif mti is not None and d.opts.vflag and mti[1] == "features13":
        _features13(d, cp)
        return
    d.need(cp, body)


CAPABILITIES = [(1 << 0, "FLOW_STATS"), (1 << 1, "TABLE_STATS"), (1 << 2, "PORT_STATS"),
                (1 << 3, "GROUP_STATS"), (1 << 5, "IP_REASM"), (1 << 6, "QUEUE_STATS"),
                (1 << 8, "PORT_BLOCKED")]
CAPABILITIES_UNASSIGNED = ~0x16F & 0xFFFFFFFF


def _features13(d: Dissector, cp: int) -> None:
    """of13_features_reply_print()."""
    d.p(f"\n\t dpid 0x{d.u32(cp) << 32 | d.u32(cp + 4):016x}, n_buffers {d.u32(cp + 8)}, "
        f"n_tables {d.u8(cp + 12)}, auxiliary_id {d.u8(cp + 13)}")
    caps = d.u32(cp + 16)
    d.p(f"\n\t capabilities 0x{caps:08x}")
    if caps & ~CAPABILITIES_UNASSIGNED:
        d.p(f" ({bittok2str(CAPABILITIES, '', caps)})")
    if caps & CAPABILITIES_UNASSIGNED:
        d.p(" (bogus)")
    d.need(cp + 20, 4)


VERSION_BITS = [(1 << (v - 1), name) for v, name in VERSIONS.items()]
VERSION_BITS_UNASSIGNED = ~0x3F & 0xFFFFFFFF


def _hello13(d: Dissector, cp: int, length: int) -> None:
    """of13_hello_elements_print(): the version bitmap element."""
    while length:
        if length < 4:
            d.p(" (invalid)")
            d.need(cp, length)
            return
        kind, bmlen = d.u16(cp), d.u16(cp + 2)
        cp, length = cp + 4, length - 4
        d.p(f"\n\t type {'VERSIONBITMAP' if kind == 1 else f'unknown (0x{kind:04x})'}"
            f", length {bmlen}")
        if bmlen < 4 or bmlen > 4 + length:
            d.p(" (invalid)")
            d.need(cp, length)
            return
        if kind == 1 and bmlen == 8:
            bitmap = d.u32(cp)
            d.p(f", bitmap 0x{bitmap:08x}")
            # of_bitmap_print()
            if bitmap & ~VERSION_BITS_UNASSIGNED:
                d.p(f" ({bittok2str(VERSION_BITS, '', bitmap)})")
            if bitmap & VERSION_BITS_UNASSIGNED:
                d.p(" (bogus)")
        else:
            if kind == 1:
                d.p(" (bogus)")
            d.need(cp, bmlen - 4)
        cp, length = cp + bmlen - 4, length - (bmlen - 4)
