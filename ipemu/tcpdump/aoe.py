"""ATA over Ethernet (ethertype 0x88a2), as tcpdump 4.99.3's print-aoe.c aoe_print()
prints it: the version and flags, under -v the header and each command's arguments
(issue ATA command, query config, MAC mask list, reserve/release)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str

CMDS = {0: "Issue ATA Command", 1: "Query Config Information", 2: "MAC Mask List",
        3: "Reserve/Release"}
FLAGS = [(0x08, "Response"), (0x04, "Error"), (0x02, "MBZ-1"), (0x01, "MBZ-0")]
ERRORS = {1: "Unrecognized command code", 2: "Bad argument parameter", 3: "Device unavailable",
          4: "Config string present", 5: "Unsupported version", 6: "Target is reserved"}
AFLAGS = [(0x80, "MBZ-7"), (0x40, "Ext48"), (0x20, "MBZ-5"), (0x10, "Device"), (0x08, "MBZ-3"),
          (0x04, "MBZ-2"), (0x02, "Async"), (0x01, "Write")]
CCMDS = {0: "read config string", 1: "test config string", 2: "test config string prefix",
         3: "set config string", 4: "force set config string"}
MCMDS = {0: "Read Mac Mask List", 1: "Edit Mac Mask List"}
MERRORS = {1: "Unspecified Error", 2: "Bad DCmd directive", 3: "Mask list full"}
DCMDS = {0: "No Directive", 1: "Add mac address to mask list",
         2: "Delete mac address from mask list"}
RCMDS = {0: "Read reserve list", 1: "Set reserve list", 2: "Force set reserve list"}


def _invalid(d: Dissector, cp: int, length: int) -> None:
    """The decoders' `invalid:` label: ` (invalid)`, then the length's check."""
    d.p(" (invalid)")
    d.need(cp, length)


def _issue(d: Dissector, cp: int, length: int) -> None:
    if length < 12:
        return _invalid(d, cp, length)
    d.p(f"\n\tAFlags: [{bittok2str(AFLAGS, 'none', d.u8(cp))}], Err/Feature: {d.u8(cp + 1)}"
        f", Sector Count: {d.u8(cp + 2)}, Cmd/Status: {d.u8(cp + 3)}")
    d.p(f"\n\tlba0: {d.u8(cp + 4)}" + "".join(f", lba{i}: {d.u8(cp + 4 + i)}" for i in range(1, 6)))
    d.need(cp + 10, 2)
    if length - 12:
        d.p(f"\n\tData: {length - 12} bytes")


def _query(d: Dissector, cp: int, length: int) -> None:
    from ipemu.tcpdump.util import nd_printn
    if length < 8:
        return _invalid(d, cp, length)
    b = d.u8(cp + 5)
    d.p(f"\n\tBuffer Count: {d.u16(cp)}, Firmware Version: {d.u16(cp + 2)}, Sector Count: "
        f"{d.u8(cp + 4)}, AoE: {b >> 4}, CCmd: {CCMDS.get(b & 0x0F, 'Unknown (0x02x)')}")
    cslen = d.u16(cp + 6)
    cp += 8
    length -= 8
    if cslen > 1024 or cslen > length:
        return _invalid(d, cp, length)
    if cslen:
        d.p(f"\n\tConfig String (length {cslen}): ")
        nd_printn(d, cp, cslen)


def _mac(d: Dissector, cp: int, length: int) -> None:
    if length < 4:
        return _invalid(d, cp, length)
    m, e, count = d.u8(cp + 1), d.u8(cp + 2), d.u8(cp + 3)
    d.p(f"\n\tMCmd: {MCMDS.get(m, f'Unknown (0x{m:02x})')}, MError: "
        f"{MERRORS.get(e, f'Unknown (0x{e:02x})')}, Dir Count: {count}")
    cp += 4
    length -= 4
    if count * 8 > length:
        return _invalid(d, cp, length)
    for _ in range(count):
        c = d.u8(cp + 1)
        d.p(f"\n\t DCmd: {DCMDS.get(c, f'Unknown (0x{c:02x})')}, Ethernet Address: "
            f"{d.etheraddr_string(cp + 2)}")
        cp += 8


def _reserve(d: Dissector, cp: int, length: int) -> None:
    if length < 2 or (length - 2) % 6:
        return _invalid(d, cp, length)
    r, n = d.u8(cp), d.u8(cp + 1)
    d.p(f"\n\tRCmd: {RCMDS.get(r, f'Unknown (0x{r:02x})')}, NMacs: {n}")
    cp += 2
    length -= 2
    if n * 6 != length:
        return _invalid(d, cp, length)
    for i in range(n):
        d.p(f"\n\tEthernet Address {i}: {d.etheraddr_string(cp)}")
        cp += 6


def aoe_print(d: Dissector, cp: int, length: int) -> None:
    """aoe_print() and aoev1_print()."""
    d.protocol = "aoe"
    d.p(f"AoE length {length}")
    if length < 1:
        return _invalid(d, cp, length)
    ver = d.u8(cp) >> 4
    d.p(f", Ver {ver}")
    if ver != 1:
        return
    if length < 10:
        return _invalid(d, cp, length)
    flags = d.u8(cp) & 0x0F
    d.p(f", Flags: [{bittok2str(FLAGS, 'none', flags)}]")
    if not d.opts.vflag:
        return
    if flags & 0x04:
        e = d.u8(cp + 1)
        d.p(f"\n\tError: {ERRORS.get(e, f'Invalid ({e})')}")
    command = d.u8(cp + 5)
    d.p(f"\n\tMajor: 0x{d.u16(cp + 2):04x}, Minor: 0x{d.u8(cp + 4):02x}, Command: "
        f"{CMDS.get(command, f'Unknown (0x{command:02x})')}, Tag: 0x{d.u32(cp + 6):08x}")
    decoder = {0: _issue, 1: _query, 2: _mac, 3: _reserve}.get(command)
    if decoder:
        decoder(d, cp + 10, length - 10)
