"""TIPC (ethertype 0x88ca) as tcpdump 4.99.3 prints it (print-tipc.c): payload
messages, internal (link, bundler, changeover, fragmenter, broadcast) messages and
neighbour detection, -v's second line of each."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, tok2str

TIPCUSER_VALUES = {0: "Low Importance Data payload", 1: "Medium Importance Data payload",
                   2: "High Importance Data payload", 3: "Critical Importance Data payload",
                   5: "Broadcast Link Protocol internal",
                   6: "Message Bundler Protocol internal",
                   7: "Link State Protocol internal", 8: "Connection Manager internal",
                   10: "Link Changeover Protocol internal",
                   11: "Name Table Update Protocol internal",
                   12: "Message Fragmentation Protocol internal",
                   13: "Neighbor Detection Protocol internal"}
# tipcmtype_values[]: DIRECT_MSG and MCAST_MSG swapped, as tcpdump has them
TIPCMTYPE_VALUES = {0: "CONN_MSG", 1: "MCAST_MSG", 2: "NAMED_MSG", 3: "DIRECT_MSG"}
TIPC_LINKCONF_MTYPE_VALUES = {0: "Link request", 1: "Link response"}
PAYLOAD_USERS = (0, 1, 2, 3, 11, 8)
INTERNAL_USERS = (5, 6, 7, 10, 12)
LINK_CONFIG = 13


def _addr(a: int) -> str:
    """TIPC_ZONE.TIPC_CLUSTER.TIPC_NODE"""
    return f"{(a >> 24) & 0xFF}.{(a >> 12) & 0xFFF}.{a & 0xFFF}"


def _head(w0: int) -> tuple[int, int, int, int]:
    return (w0 >> 29) & 0x07, (w0 >> 25) & 0x0F, (w0 >> 21) & 0x0F, w0 & 0x1FFFF


def _print_payload(d: Dissector, bp: int) -> None:
    w0 = d.u32(bp)
    ver, user, hsize, msize = _head(w0)
    w1 = d.u32(bp + 4)
    mtype = (w1 >> 29) & 0x07
    prev_node, orig_port, dest_port = d.u32(bp + 12), d.u32(bp + 16), d.u32(bp + 20)
    tail = (f"headerlength {hsize * 4} bytes, MessageSize {msize} bytes, "
            f"{tok2str(TIPCUSER_VALUES, 'unknown', user)}, "
            f"messageType {tok2str(TIPCMTYPE_VALUES, 'Unknown', mtype)}")
    if hsize <= 6:
        d.p(f"TIPC v{ver}.0 {_addr(prev_node)}:{orig_port} > {dest_port}, {tail}")
        return
    orig_node, dest_node = d.u32(bp + 24), d.u32(bp + 28)
    d.p(f"TIPC v{ver}.0 {_addr(orig_node)}:{orig_port} > {_addr(dest_node)}:{dest_port}, "
        f"{tail}")
    if d.opts.vflag:
        w2 = d.u32(bp + 8)
        d.p(f"\n\tPrevious Node {_addr(prev_node)}, Broadcast Ack {w1 & 0xFFFF}, "
            f"Link Ack {(w2 >> 16) & 0xFFFF}, Link Sequence {w2 & 0xFFFF}")


def _print_internal(d: Dissector, bp: int) -> None:
    w0 = d.u32(bp)
    ver, user, hsize, msize = _head(w0)
    w1 = d.u32(bp + 4)
    mtype = (w1 >> 29) & 0x07
    orig_node, dest_node = d.u32(bp + 24), d.u32(bp + 28)
    d.p(f"TIPC v{ver}.0 {_addr(orig_node)} > {_addr(dest_node)}, headerlength {hsize * 4} "
        f"bytes, MessageSize {msize} bytes, {tok2str(TIPCUSER_VALUES, 'unknown', user)}, "
        f"messageType {tok2str(TIPCMTYPE_VALUES, 'Unknown', mtype)} (0x{w1:08x})")
    if d.opts.vflag:
        w2 = d.u32(bp + 8)
        prev_node = d.u32(bp + 12)
        w4, w5 = d.u32(bp + 16), d.u32(bp + 20)
        trans_seq = d.u32(bp + 32)
        w9 = d.u32(bp + 36)
        d.p(f"\n\tPrevious Node {_addr(prev_node)}, Session No. {(w5 >> 16) & 0xFFFF}, "
            f"Broadcast Ack {w1 & 0xFFFF}, Sequence Gap {(w1 >> 16) & 0x1FFF},  "
            f"Broadcast Gap After {(w2 >> 16) & 0xFFFF}, Broadcast Gap To {w2 & 0xFFFF}, "
            f"Last Sent Packet No. {(w4 >> 16) & 0xFFFF}, Next sent Packet No. {w4 & 0xFFFF}, "
            f"Transport Sequence {trans_seq}, msg_count {(w9 >> 16) & 0xFFFF}, "
            f"Link Tolerance {w9 & 0xFFFF}")


def _print_link_conf(d: Dissector, bp: int) -> None:
    w0 = d.u32(bp)
    ver, user, hsize, msize = _head(w0)
    w1 = d.u32(bp + 4)
    mtype = (w1 >> 29) & 0x07
    dest_domain, prev_node = d.u32(bp + 8), d.u32(bp + 12)
    d.p(f"TIPC v{ver}.0 {_addr(prev_node)} > {_addr(dest_domain)}, headerlength {hsize * 4} "
        f"bytes, MessageSize {msize} bytes, {tok2str(TIPCUSER_VALUES, 'unknown', user)}, "
        f"messageType {tok2str(TIPC_LINKCONF_MTYPE_VALUES, 'Unknown', mtype)}")
    if d.opts.vflag:
        ntwrk_id, w5 = d.u32(bp + 16), d.u32(bp + 20)
        d.p(f"\n\tNodeSignature {w1 & 0xFFFF}, network_id {ntwrk_id}, media_id {w5 & 0xFF}")


def tipc_print(d: Dissector, bp: int, length: int, caplen: int) -> None:
    d.protocol = "tipc"
    user = (d.u32(bp) >> 25) & 0x0F
    if user in PAYLOAD_USERS:
        _print_payload(d, bp)
    elif user == LINK_CONFIG:
        _print_link_conf(d, bp)
    elif user in INTERNAL_USERS:
        _print_internal(d, bp)
