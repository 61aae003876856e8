"""tcpdump 4.99.3's packet printer and libpcap 1.10.3's filter language, in Python.

    format_packet(frame, ts, PrintOptions(nflag=1), linktype=1) -> the text tcpdump prints
    compile_filter("icmp or arp") -> predicate(frame, linktype) -> bool
"""
from __future__ import annotations

# the printer's names are imported when first asked for (PEP 562): `ip rule` needs
# only ipemu.tcpdump.names, and importing that imports this package
_LAZY = {"LINKTYPE_ETHERNET": "dissect", "LINKTYPE_LINUX_SLL": "dissect",
         "LINKTYPE_LINUX_SLL2": "dissect", "LINKTYPE_RAW": "dissect",
         "PrintOptions": "dissect", "PrintState": "dissect", "format_packet": "printer",
         "format_timestamp": "printer", "FilterError": "filter"}


def compile_filter(text: str, linktype: int | None = None, **kwargs):
    """A predicate(frame, linktype) -> bool for a pcap-filter expression; raises
    FilterError with libpcap's message (what tcpdump prints after `tcpdump: `)."""
    from ipemu.tcpdump.filter import compile_filter as _compile
    if linktype is None:
        from ipemu.tcpdump.dissect import LINKTYPE_ETHERNET as linktype
    return _compile(text, linktype, **kwargs)


def __getattr__(name: str):
    where = _LAZY.get(name)
    if where is None:
        raise AttributeError(name)
    import importlib
    value = getattr(importlib.import_module(f"ipemu.tcpdump.{where}"), name)
    globals()[name] = value
    return value


__all__ = [
    "LINKTYPE_ETHERNET", "LINKTYPE_LINUX_SLL", "LINKTYPE_LINUX_SLL2", "LINKTYPE_RAW",
    "PrintOptions", "PrintState", "compile_filter", "format_packet", "format_timestamp",
]
