"""What crossed the wire during a lab: a packet tap on every namespace of the lab's
host (the stack's `open_tap`, as tcpdump opens one), reduced to a set of facts the
goals ask about: echo replies that reached a namespace, ARP requests and replies seen
on a device. Facts are plain tuples, so the watch is data like the rest of the host.

A namespace added later (`ip netns add`) is tapped the moment it is added: the watch
is one of the host's observers.
"""
from __future__ import annotations

import ipaddress
import struct

from ipemu.kernel.wire.arp import ArpOp, ArpPacket
from ipemu.kernel.wire.ethernet import ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, EthernetHeader
from ipemu.kernel.wire.icmp import IcmpEcho, IcmpType
from ipemu.kernel.wire.icmpv6 import Icmp6Echo, Icmp6Type
from ipemu.kernel.wire.ipv4 import IPv4Header
from ipemu.kernel.wire.ipv6 import IPv6Header
from ipemu.plainclass import dataclass, field

ETH_P_8021Q = 0x8100
ETH_P_8021AD = 0x88A8
IPPROTO_ICMP = 1
IPPROTO_ICMPV6 = 58

# fact kinds
ECHO_REPLY = "echo-reply"        # (kind, ns, dev, src): a reply delivered to ns
ARP_REQUEST = "arp-request"      # (kind, ns, dev, target)
ARP_REPLY = "arp-reply"          # (kind, ns, dev, sender)


@dataclass
class NsTap:
    """The tap's owner in one namespace: it knows which namespace a frame was in."""

    watch: "WireWatch"
    ns: str

    def on_frame(self, ts: float, raw: bytes, dev, outgoing: bool) -> None:
        self.watch.saw(self.ns, raw, dev, outgoing)


@dataclass
class WireWatch:
    host: object
    seen: set = field(default_factory=set)

    def start(self) -> None:
        """Tap every namespace now and every one added from now on."""
        if self not in self.host.observers:
            self.host.observers.append(self)
        for name, ns in self.host.namespaces.items():
            self.tap(name, ns)

    def namespace_added(self, name: str, ns) -> None:
        self.tap(name, ns)

    def tap(self, name: str, ns) -> None:
        """Open this watch's tap on the namespace, unless it has one already. (Its
        stack is made now if it was not: that draws from the host's random source, so
        a lab's MACs are not those of the same commands outside a lab.)"""
        stack = ns.stack
        if not any(self._owns(tap) for tap in stack.taps):
            stack.open_tap(None, NsTap(self, name).on_frame)

    def _owns(self, tap) -> bool:
        owner = getattr(tap.callback, "__self__", None)
        return isinstance(owner, NsTap) and owner.watch is self

    # ------------------------------------------------------------------ frames
    def saw(self, ns_name: str, raw: bytes, dev, outgoing: bool) -> None:
        try:
            self._parse(ns_name, raw, dev, outgoing)
        except (ValueError, struct.error):
            pass        # a frame the goals never ask about (or a malformed one)

    def _parse(self, ns_name: str, raw: bytes, dev, outgoing: bool) -> None:
        eth, rest = EthernetHeader.unpack(raw)
        ethertype = eth.ethertype
        while ethertype in (ETH_P_8021Q, ETH_P_8021AD):     # the tag of a VLAN trunk
            (ethertype,) = struct.unpack_from("!H", rest, 2)
            rest = rest[4:]
        if ethertype == ETH_P_ARP:
            arp, _ = ArpPacket.unpack(rest)
            if arp.op == ArpOp.REQUEST:
                self.seen.add((ARP_REQUEST, ns_name, dev.name, str(arp.tpa)))
            elif arp.op == ArpOp.REPLY:
                self.seen.add((ARP_REPLY, ns_name, dev.name, str(arp.spa)))
            return
        if outgoing or dev.master is not None:
            return      # a reply counts where it is delivered, not on a bridge's port
        if ethertype == ETH_P_IP:
            ip, payload = IPv4Header.unpack(rest)
            if ip.protocol != IPPROTO_ICMP or not payload:
                return
            if payload[0] == IcmpType.ECHOREPLY:
                IcmpEcho.unpack(payload)
                self._reply(ns_name, dev, ip.src, ip.dst)
        elif ethertype == ETH_P_IPV6:
            ip, payload = IPv6Header.unpack(rest)
            if ip.next_header != IPPROTO_ICMPV6 or not payload:
                return
            if payload[0] == Icmp6Type.ECHO_REPLY:
                Icmp6Echo.unpack(payload)
                self._reply(ns_name, dev, ip.src, ip.dst)

    def _reply(self, ns_name: str, dev, src, dst) -> None:
        """An echo reply to one of the namespace's own addresses: its ping was
        answered."""
        ns = self.host.namespaces.get(ns_name)
        if ns is not None and dst in ns.local_addresses():
            self.seen.add((ECHO_REPLY, ns_name, dev.name, str(src)))

    # ------------------------------------------------------------------ queries
    def echo_reply(self, ns: str, src: ipaddress.IPv4Address | ipaddress.IPv6Address,
                   dev: str | None = None) -> bool:
        return any(f[0] == ECHO_REPLY and f[1] == ns and f[3] == str(src)
                   and (dev is None or f[2] == dev) for f in self.seen)

    def arp_request(self, ns: str | None, dev: str,
                    target: ipaddress.IPv4Address) -> bool:
        return any(f[0] == ARP_REQUEST and (ns is None or f[1] == ns) and f[2] == dev
                   and f[3] == str(target) for f in self.seen)
