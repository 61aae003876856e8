"""tcpdump 4.99.3's packet printer and libpcap 1.10.3's filter language, in Python.

    format_packet(frame, ts, PrintOptions(nflag=1), linktype=1) -> the text tcpdump prints
    compile_filter("icmp or arp") -> predicate(frame, linktype) -> bool
"""
from __future__ import annotations

from ipemu.tcpdump.dissect import (
    LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW, PrintOptions,
    PrintState)
from ipemu.tcpdump.printer import format_packet, format_timestamp


def compile_filter(text: str, linktype: int = LINKTYPE_ETHERNET, **kwargs):
    """A predicate(frame, linktype) -> bool for a pcap-filter expression; raises
    FilterError with libpcap's message (what tcpdump prints after `tcpdump: `)."""
    from ipemu.tcpdump.filter import compile_filter as _compile
    return _compile(text, linktype, **kwargs)


def __getattr__(name: str):
    if name == "FilterError":
        from ipemu.tcpdump.filter import FilterError
        return FilterError
    raise AttributeError(name)


__all__ = [
    "LINKTYPE_ETHERNET", "LINKTYPE_LINUX_SLL", "LINKTYPE_LINUX_SLL2", "LINKTYPE_RAW",
    "PrintOptions", "PrintState", "compile_filter", "format_packet", "format_timestamp",
]
