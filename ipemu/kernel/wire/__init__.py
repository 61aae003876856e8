"""Packet formats: the bytes the simulated kernel builds and parses, checksums included.

Pure functions over bytes (stdlib only, no I/O), one module per format, in the spirit of
smoltcp's `wire`: each format is a dataclass with `pack()` and a classmethod `unpack(data)`
that returns the parsed header and the bytes that follow it.

- `ethernet`: Ethernet II header, ETH_P_* ethertypes, MAC helpers (broadcast, multicast).
- `arp`: ARP for Ethernet/IPv4 (the kernel's 28-byte request and reply).
- `ipv4`: IPv4 header, its checksum, and the RFC 1071 internet checksum used by all.
- `icmp`: ICMP echo, destination unreachable, time exceeded (with the quoted datagram).
- `ipv6`: IPv6 header, hop-by-hop router alert (MLD), the upper-layer pseudo-header.
- `icmpv6`: echo, neighbour discovery (NS/NA/RS with options), MLDv2 report, errors.
- `udp`: UDP over IPv4 or IPv6, with its pseudo-header checksum.
"""
