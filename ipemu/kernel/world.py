"""The world behind a NIC: what a host's frames meet when they leave a physical device
(the default scenario's eth0). A simulated peer that the stack hands each frame to
(`Stack.dev_xmit`), and that answers as the network out there would:

- the gateway (and any other neighbour on the link) answers ARP and ping (TTL 64);
- an address beyond it answers ping after the round trip its path declares, with
  the TTL its own stack starts from minus the routers on the way (64 - hops);
- each router on the way answers a probe whose TTL runs out there with an ICMP time
  exceeded (traceroute's hops); a router the scenario marks silent answers nothing;
- a UDP probe that reaches its host earns a port unreachable (traceroute's last hop).

The world is data (a scenario's `[world]` table, `from_spec`), saved with the host;
the names it knows (its DNS) are read by the resolver in user space
(ipemu/tools/resolver.py). Round trips are deterministic: each reply's jitter is a
hash of who answers and what, never the host's random source.
"""
from __future__ import annotations

import ipaddress

from ipemu.kernel import packet as P
from ipemu.plainclass import dataclass, field

IPv4 = ipaddress.IPv4Address
ROUTER_QUOTE = 28        # what a router quotes of the probe (RFC 792: header + 8 bytes)
HOST_QUOTE = 576 - 28    # what a Linux host quotes (icmp_send())


@dataclass
class Router:
    """One router on the path out; `rtt` is the round trip to it, in seconds."""

    address: IPv4
    rtt: float
    silent: bool = False          # sends no time exceeded (traceroute shows * * *)


@dataclass
class Remote:
    """A host out there: how many routers lie between (the first ones are the path's),
    the TTL its stack starts from, and the round trip to it."""

    address: IPv4
    hops: int
    rtt: float
    ttl: int = 64


@dataclass
class World:
    dev: object                    # the NetDevice the world lies behind
    gateway: IPv4
    gateway_mac: bytes
    path: list[Router] = field(default_factory=list)    # path[0] is the gateway
    hosts: list[Remote] = field(default_factory=list)
    internet: bool = True          # other public addresses answer too
    names: dict[str, IPv4] = field(default_factory=dict)     # the DNS out there
    ptr: dict[IPv4, str] = field(default_factory=dict)       # its reverse names
    link_rtt: float = 0.00035      # a round trip on the link (ARP, the gateway)

    # ------------------------------------------------------------ the model
    def remote(self, addr: IPv4) -> Remote | None:
        """Who answers at `addr`: a declared host, the gateway, or (with `internet`) a
        public address some hops past the path; None: nobody (a private network
        nobody declared, or an address the world does not route)."""
        for host in self.hosts:
            if host.address == addr:
                return host
        for k, router in enumerate(self.path):
            if router.address == addr:
                return Remote(addr, k, router.rtt)
        if not self.internet or not addr.is_global:
            return None
        from zlib import crc32      # here: zlib is a shared library to load
        seed = crc32(addr.packed)
        extra = 2 + seed % 6
        last = self.path[-1].rtt if self.path else self.link_rtt
        return Remote(addr, len(self.path) + extra, last + 0.004 * extra + (seed >> 8) % 9000 / 1e6)

    def hop(self, k: int, target: Remote) -> Router | None:
        """The k-th router (1-based) on the way to `target`: the declared path, then
        routers that do not answer probes (most of the internet's middle)."""
        if k <= len(self.path):
            return self.path[k - 1]
        if k <= target.hops:
            return Router(IPv4(0), target.rtt * k / (target.hops + 1), silent=True)
        return None

    @staticmethod
    def jitter(rtt: float, *key) -> float:
        """A round trip of `rtt` seconds, varied by up to 8% as a hash of `key`."""
        from zlib import crc32
        spread = crc32(repr(key).encode()) % 1000 / 1000
        return rtt * (0.96 + 0.08 * spread)

    # ----------------------------------------------------------- the frames
    def receive(self, frame: P.Frame) -> None:
        """A frame the host sent out of `dev`."""
        if frame.ethertype == P.ETH_P_ARP:
            self._arp(frame.payload)
        elif frame.ethertype == P.ETH_P_IP and frame.dst == self.gateway_mac:
            self._ip(frame.payload)

    def _send(self, delay: float, payload, ethertype: int = P.ETH_P_IP) -> None:
        dev = self.dev
        frame = P.Frame(dev.address, self.gateway_mac, ethertype, payload)
        dev.netns.clock.call_later(delay, dev.netns.stack, "netif_rx", dev, frame)

    def _arp(self, arp: P.Arp) -> None:
        if arp.op == 1 and arp.tpa == self.gateway:
            reply = P.Arp(2, self.gateway_mac, self.gateway, arp.sha, arp.spa)
            self._send(self.link_rtt, reply, P.ETH_P_ARP)

    def _ip(self, pkt: P.Ipv4) -> None:
        if pkt.is_fragment:
            return
        target = self.remote(pkt.dst)
        if target is None:
            return
        if pkt.ttl <= target.hops:           # it dies at router number pkt.ttl
            router = self.hop(pkt.ttl, target)
            if router is None or router.silent:
                return
            self._error(pkt, router.address, pkt.ttl - 1, router.rtt,
                        P.ICMP_TIME_EXCEEDED, 0, ROUTER_QUOTE)
            return
        payload = pkt.payload
        if pkt.proto == P.IPPROTO_ICMP and payload.type == P.ICMP_ECHO:
            reply = P.Ipv4(pkt.dst, pkt.src, P.IPPROTO_ICMP,
                           P.Icmp(P.ICMP_ECHOREPLY, 0, payload.id, payload.seq, payload.data),
                           ttl=target.ttl - target.hops, id=payload.seq & 0xFFFF, df=False)
            self._send(self.jitter(target.rtt, str(pkt.dst), payload.id, payload.seq), reply)
        elif pkt.proto == P.IPPROTO_UDP:
            self._error(pkt, pkt.dst, target.hops, target.rtt, P.ICMP_DEST_UNREACH,
                        P.ICMP_PORT_UNREACH, HOST_QUOTE)

    def _error(self, pkt: P.Ipv4, src: IPv4, routers_back: int, rtt: float,
               type_: int, code: int, quote: int) -> None:
        from ipemu.kernel.encode import ipv4_bytes
        quoted = ipv4_bytes(pkt)[:quote]
        err = P.Ipv4(src, pkt.src, P.IPPROTO_ICMP, P.Icmp(type_, code, quoted=quoted),
                     ttl=64 - routers_back, id=pkt.id, df=False, tos=0xC0)
        self._send(self.jitter(rtt, str(src), pkt.ttl, pkt.id), err)


def world_of(ns, dev) -> World | None:
    """The world behind `dev`, if a scenario put one there."""
    for world in getattr(getattr(ns, "host", None), "worlds", ()):
        if world.dev is dev:
            return world
    return None


def _ms(value) -> float:
    return float(value) / 1000.0


def from_spec(ns, spec: dict) -> World:
    """A scenario's `[world]` table (see ipemu/scenarios/default.toml)."""
    dev = ns.by_name(spec.get("dev", "eth0"))
    if dev is None:
        raise ValueError(f"world: no device {spec.get('dev', 'eth0')}")
    gateway = IPv4(spec["gateway"])
    mac = bytes(int(part, 16) for part in spec["gateway_mac"].split(":"))
    path = [Router(gateway, _ms(spec.get("gateway_rtt_ms", 0.35)))]
    for hop in spec.get("hop", []):
        path.append(Router(IPv4(hop["address"]) if "address" in hop else IPv4(0),
                           _ms(hop["rtt_ms"]), silent="address" not in hop))
    hosts = [Remote(IPv4(h["address"]), len(path) + h.get("hops", 0), _ms(h["rtt_ms"]),
                    h.get("ttl", 64)) for h in spec.get("host", [])]
    names, ptr = {}, {}
    for h in spec.get("host", []) + spec.get("hop", []):
        for name in h.get("names", []):
            names[name] = IPv4(h["address"])
        if "ptr" in h:
            ptr[IPv4(h["address"])] = h["ptr"]
    return World(dev, gateway, mac, path, hosts, spec.get("internet", True), names, ptr,
                 _ms(spec.get("gateway_rtt_ms", 0.35)))
