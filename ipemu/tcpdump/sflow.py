"""sFlow v5 under -v as tcpdump 4.99.3 prints it (print-sflow.c sflow_print()): the
datagram's header, then each flow or counter sample (compact and expanded) with its
records: raw packet headers, Ethernet frames, extended switch data; generic, Ethernet,
100BaseVG, VLAN and processor counters. A record or sample shorter than its structure
ends the datagram with ` (invalid)`."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector

SAMPLE_FORMATS = {1: "flow sample", 2: "counter sample", 3: "expanded flow sample",
                  4: "expanded counter sample"}
FLOW_TYPES = {1: "Raw packet", 2: "Ethernet frame", 3: "IPv4 Data", 4: "IPv6 Data",
              1001: "Extended Switch data", 1002: "Extended Router data",
              1003: "Extended Gateway data", 1004: "Extended User data",
              1005: "Extended URL data", 1006: "Extended MPLS data",
              1007: "Extended NAT data", 1008: "Extended MPLS tunnel",
              1009: "Extended MPLS VC", 1010: "Extended MPLS FEC",
              1011: "Extended MPLS LVP FEC", 1012: "Extended VLAN Tunnel"}
RAW_PROTOCOLS = {1: "Ethernet", 11: "IPv4", 12: "IPv6"}
COUNTER_TYPES = {1: "Generic counter", 2: "Ethernet counter", 3: "Token ring counter",
                 4: "100 BaseVG counter", 5: "Vlan counter", 1001: "Processor counter"}
DIRECTIONS = {0: "unknown", 1: "full-duplex", 2: "half-duplex", 3: "in", 4: "out"}


class _Invalid(Exception):
    """A decoder's `return 1`: sflow_print()'s `goto invalid`."""


def _u64(d: Dissector, off: int) -> int:
    return d.u32(off) << 32 | d.u32(off + 4)


def _u24(d: Dissector, off: int) -> int:
    return d.u8(off) << 16 | d.u16(off + 1)


def sflow_verbose_print(d: Dissector, pptr: int, length: int, ip_version: int) -> None:
    """sflow_print() past its -v test (the caller checked the lengths and version)."""
    if ip_version == 1:
        nsamples = d.u32(pptr + 24)
        d.p(f"sFlowv{d.u32(pptr)}, IPv4 agent {d.ipaddr_string(pptr + 8)}, agent-id "
            f"{d.u32(pptr + 12)}, seqnum {d.u32(pptr + 16)}, uptime {d.u32(pptr + 20)}, "
            f"samples {nsamples}, length {length}")
        head = 28
    else:
        nsamples = d.u32(pptr + 36)
        d.p(f"sFlowv{d.u32(pptr)}, IPv6 agent {d.ip6addr_string(pptr + 8)}, agent-id "
            f"{d.u32(pptr + 24)}, seqnum {d.u32(pptr + 28)}, uptime {d.u32(pptr + 32)}, "
            f"samples {nsamples}, length {length}")
        head = 40
    tptr, tlen = pptr, length
    try:
        if tlen < head:
            raise _Invalid()
        tptr, tlen = tptr + head, tlen - head
        while nsamples > 0 and tlen > 0:
            kind, slen = d.u32(tptr) & 0x0FFF, d.u32(tptr + 4)
            if tlen < 8:
                raise _Invalid()
            tptr, tlen = tptr + 8, tlen - 8
            d.p(f"\n\t{SAMPLE_FORMATS.get(kind, 'Unknown')} ({kind}), length {slen},")
            if kind == 0 or slen == 0:
                return
            if tlen < slen:
                raise _Invalid()
            d.need(tptr, slen)
            if kind in (1, 3):
                _flow_sample(d, tptr, tlen, expanded=kind == 3)
            elif kind in (2, 4):
                _counter_sample(d, tptr, tlen, expanded=kind == 4)
            elif d.opts.vflag <= 1:
                d.print_unknown_data(tptr, "\n\t    ", slen)
            tptr, tlen = tptr + slen, tlen - slen
            nsamples -= 1
    except _Invalid:
        d.p(" (invalid)")
        d.need(tptr, tlen)


def _flow_sample(d: Dissector, p: int, length: int, expanded: bool) -> None:
    """sflow_print_flow_sample() and sflow_print_expanded_flow_sample()."""
    if expanded:
        if length < 44:
            raise _Invalid()
        records = d.u32(p + 40)
        d.p(f" seqnum {d.u32(p)}, type {d.u32(p + 4)}, idx {d.u32(p + 8)}, rate "
            f"{d.u32(p + 12)}, pool {d.u32(p + 16)}, drops {d.u32(p + 20)}, records {records}")
        _flow_records(d, p + 44, length - 44, records)
        return
    if length < 32:
        raise _Invalid()
    records = d.u32(p + 28)
    d.p(f" seqnum {d.u32(p)}, type {d.u8(p + 4)}, idx {_u24(d, p + 5)}, rate {d.u32(p + 8)}, "
        f"pool {d.u32(p + 12)}, drops {d.u32(p + 16)}, input {d.u32(p + 20)} output "
        f"{d.u32(p + 24)} records {records}")
    _flow_records(d, p + 32, length - 32, records)


def _flow_records(d: Dissector, tptr: int, tlen: int, nrecords: int) -> None:
    """sflow_print_flow_records()."""
    while nrecords > 0:
        if tlen < 8:
            raise _Invalid()
        fmt = d.u32(tptr)
        kind, enterprise, flen = fmt & 0x0FFF, fmt >> 12, d.u32(tptr + 4)
        name = FLOW_TYPES.get(kind, "Unknown") if enterprise == 0 else "Unknown"
        d.p(f"\n\t    enterprise {enterprise} {name} ({kind}) length {flen}")
        tptr, tlen = tptr + 8, tlen - 8
        if tlen < flen:
            raise _Invalid()
        if enterprise == 0:
            if kind == 1:
                if tlen < 16:
                    raise _Invalid()
                proto = d.u32(tptr)
                d.p(f"\n\t      protocol {RAW_PROTOCOLS.get(proto, 'Unknown')} ({proto}), "
                    f"length {d.u32(tptr + 4)}, stripped bytes {d.u32(tptr + 8)}, "
                    f"header_size {d.u32(tptr + 12)}")
            elif kind == 1001:
                if tlen < 16:
                    raise _Invalid()
                d.p(f"\n\t      src vlan {d.u32(tptr)}, src pri {d.u32(tptr + 4)}, dst vlan "
                    f"{d.u32(tptr + 8)}, dst pri {d.u32(tptr + 12)}")
            elif kind == 2:
                if tlen < 24:
                    raise _Invalid()
                d.p(f"\n\t      frame len {d.u32(tptr)}, type {d.u32(tptr + 20)}")
            elif kind not in FLOW_TYPES and d.opts.vflag <= 1:
                d.print_unknown_data(tptr, "\n\t\t", flen)
        tptr, tlen = tptr + flen, tlen - flen
        nrecords -= 1


def _counter_sample(d: Dissector, p: int, length: int, expanded: bool) -> None:
    """sflow_print_counter_sample() and sflow_print_expanded_counter_sample()."""
    size = 16 if expanded else 12
    if length < size:
        raise _Invalid()
    records = d.u32(p + size - 4)
    if expanded:
        kind, index = d.u32(p + 4), d.u32(p + 8)
    else:
        kind, index = d.u8(p + 4), _u24(d, p + 5)
    d.p(f" seqnum {d.u32(p)}, type {kind}, idx {index}, records {records}")
    _counter_records(d, p + size, length - size, records)


def _counter_records(d: Dissector, tptr: int, tlen: int, nrecords: int) -> None:
    """sflow_print_counter_records(): the enterprise is format >> 20 there."""
    while nrecords > 0:
        if tlen < 8:
            raise _Invalid()
        fmt = d.u32(tptr)
        kind, enterprise, clen = fmt & 0x0FFF, fmt >> 20, d.u32(tptr + 4)
        name = COUNTER_TYPES.get(kind, "Unknown") if enterprise == 0 else "Unknown"
        d.p(f"\n\t    enterprise {enterprise}, {name} ({kind}) length {clen}")
        tptr, tlen = tptr + 8, tlen - 8
        if tlen < clen:
            raise _Invalid()
        if enterprise == 0:
            printer = COUNTER_PRINTERS.get(kind)
            if printer is not None:
                printer(d, tptr, tlen)
            elif d.opts.vflag <= 1:
                d.print_unknown_data(tptr, "\n\t\t", clen)
        tptr, tlen = tptr + clen, tlen - clen
        nrecords -= 1


def _generic(d: Dissector, p: int, length: int) -> None:
    if length < 88:
        raise _Invalid()
    direction, status = d.u32(p + 16), d.u32(p + 20)
    d.p(f"\n\t      ifindex {d.u32(p)}, iftype {d.u32(p + 4)}, ifspeed {_u64(d, p + 8)}, "
        f"ifdirection {direction} ({DIRECTIONS.get(direction, 'Unknown')})")
    d.p(f"\n\t      ifstatus {status}, adminstatus: {'up' if status & 1 else 'down'}, "
        f"operstatus: {'up' if (status >> 1) & 1 else 'down'}")
    d.p(f"\n\t      In octets {_u64(d, p + 24)}, unicast pkts {d.u32(p + 32)}, multicast "
        f"pkts {d.u32(p + 36)}, broadcast pkts {d.u32(p + 40)}, discards {d.u32(p + 44)}")
    d.p(f"\n\t      In errors {d.u32(p + 48)}, unknown protos {d.u32(p + 52)}")
    d.p(f"\n\t      Out octets {_u64(d, p + 56)}, unicast pkts {d.u32(p + 64)}, multicast "
        f"pkts {d.u32(p + 68)}, broadcast pkts {d.u32(p + 72)}, discards {d.u32(p + 76)}")
    d.p(f"\n\t      Out errors {d.u32(p + 80)}, promisc mode {d.u32(p + 84)}")


def _ethernet(d: Dissector, p: int, length: int) -> None:
    if length < 52:
        raise _Invalid()
    v = [d.u32(p + 4 * i) for i in range(13)]
    d.p(f"\n\t      align errors {v[0]}, fcs errors {v[1]}, single collision {v[2]}, "
        f"multiple collision {v[3]}, test error {v[4]}")
    d.p(f"\n\t      deferred {v[5]}, late collision {v[6]}, excessive collision {v[7]}, "
        f"mac trans error {v[8]}")
    d.p(f"\n\t      carrier error {v[9]}, frames too long {v[10]}, mac receive errors "
        f"{v[11]}, symbol errors {v[12]}")


def _token_ring(d: Dissector, p: int, length: int) -> None:
    """print_sflow_counter_token_ring(): prints nothing."""


def _basevg(d: Dissector, p: int, length: int) -> None:
    if length < 80:
        raise _Invalid()
    d.p(f"\n\t      in high prio frames {d.u32(p)}, in high prio octets {_u64(d, p + 4)}")
    d.p(f"\n\t      in norm prio frames {d.u32(p + 12)}, in norm prio octets "
        f"{_u64(d, p + 16)}")
    d.p(f"\n\t      in ipm errors {d.u32(p + 24)}, oversized {d.u32(p + 28)}, in data errors "
        f"{d.u32(p + 32)}, null addressed frames {d.u32(p + 36)}")
    d.p(f"\n\t      out high prio frames {d.u32(p + 40)}, out high prio octets "
        f"{_u64(d, p + 44)}, trans into frames {d.u32(p + 52)}")
    d.p(f"\n\t      in hc high prio octets {_u64(d, p + 56)}, in hc norm prio octets "
        f"{_u64(d, p + 64)}, out hc high prio octets {_u64(d, p + 72)}")


def _vlan(d: Dissector, p: int, length: int) -> None:
    if length < 28:
        raise _Invalid()
    d.p(f"\n\t      vlan_id {d.u32(p)}, octets {_u64(d, p + 4)}, unicast_pkt {d.u32(p + 12)}, "
        f"multicast_pkt {d.u32(p + 16)}, broadcast_pkt {d.u32(p + 20)}, discards "
        f"{d.u32(p + 24)}")


def _processor(d: Dissector, p: int, length: int) -> None:
    if length < 28:
        raise _Invalid()
    # the free memory is labelled total_mem too, as print-sflow.c has it
    d.p(f"\n\t      5sec {d.u32(p)}, 1min {d.u32(p + 4)}, 5min {d.u32(p + 8)}, total_mem "
        f"{_u64(d, p + 12)}, total_mem {_u64(d, p + 20)}")


COUNTER_PRINTERS = {1: _generic, 2: _ethernet, 3: _token_ring, 4: _basevg, 5: _vlan,
                    1001: _processor}
