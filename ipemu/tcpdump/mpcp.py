"""IEEE 802.3 MAC control frames (ethertype 0x8808) as print-mpcp.c mpcp_print() prints
them: PAUSE (802.3x flow control) and EPON's MPCP gate, report and registration
messages; other opcodes (802.1Qbb PFC's 0x0101) as Unknown, their hex under -v."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str

OPCODES = {1: "Pause", 2: "Gate", 3: "Report", 4: "Register Request", 5: "Register",
           6: "Register ACK"}
GRANT_FLAGS = [(0x08, "Discovery"), (0x10, "Force Grant #1"), (0x20, "Force Grant #2"),
               (0x40, "Force Grant #3"), (0x80, "Force Grant #4")]
REG_REQ_FLAGS = [(1, "Register"), (3, "De-Register")]
REG_FLAGS = [(1, "Re-Register"), (2, "De-Register"), (3, "ACK"), (4, "NACK")]
REPORT_BITMAP = [(1 << i, f"Q{i}") for i in range(8)]
REG_ACK_FLAGS = [(0, "NACK"), (1, "ACK")]


def mpcp_print(d: Dissector, pptr: int, length: int) -> None:
    """mpcp_print()."""
    d.protocol = "mpcp"
    opcode, timestamp = d.u16(pptr), d.u32(pptr + 2)
    d.p(f"MPCP, Opcode {OPCODES.get(opcode, f'Unknown ({opcode})')}")
    if opcode != 1:
        d.p(f", Timestamp {timestamp} ticks")
    d.p(f", length {length}")
    if not d.opts.vflag:
        return
    tptr = pptr + 6
    if opcode == 1:
        return
    if opcode == 2:
        first = d.u8(tptr)
        grants = first & 0x7
        d.p(f"\n\tGrant Numbers {grants}, Flags [ {bittok2str(GRANT_FLAGS, '?', first & ~0x7)} ]")
        tptr += 1
        for grant in range(1, grants + 1):
            d.p(f"\n\tGrant #{grant}, Start-Time {d.u32(tptr)} ticks, duration "
                f"{d.u16(tptr + 4)} ticks")
            tptr += 6
        d.p(f"\n\tSync-Time {d.u16(tptr)} ticks")
    elif opcode == 3:
        queue_sets = d.u8(tptr)
        tptr += 1
        d.p(f"\n\tTotal Queue-Sets {queue_sets}")
        for _ in range(1, queue_sets):
            bitmap = d.u8(tptr)
            # the set's number printed is queue_sets, as print-mpcp.c has it
            d.p(f"\n\t  Queue-Set #{queue_sets}, Report-Bitmap "
                f"[ {bittok2str(REPORT_BITMAP, 'Unknown', bitmap)} ]")
            tptr += 1
            report = 1
            while bitmap:
                if bitmap & 1:
                    d.p(f"\n\t    Q{report} Report, Duration {d.u16(tptr)} ticks")
                    tptr += 2
                report += 1
                bitmap >>= 1
    elif opcode == 4:
        d.p(f"\n\tFlags [ {bittok2str(REG_REQ_FLAGS, 'Reserved', d.u8(tptr))} ], "
            f"Pending-Grants {d.u8(tptr + 1)}")
    elif opcode == 5:
        d.p(f"\n\tAssigned-Port {d.u16(tptr)}, Flags "
            f"[ {bittok2str(REG_FLAGS, 'Reserved', d.u8(tptr + 2))} ]"
            f"\n\tSync-Time {d.u16(tptr + 3)} ticks, Echoed-Pending-Grants {d.u8(tptr + 5)}")
    elif opcode == 6:
        d.p(f"\n\tEchoed-Assigned-Port {d.u16(tptr + 1)}, Flags "
            f"[ {bittok2str(REG_ACK_FLAGS, 'Reserved', d.u8(tptr))} ]"
            f"\n\tEchoed-Sync-Time {d.u16(tptr + 3)} ticks")
    else:
        d.print_unknown_data(pptr, "\n\t", length)
