"""ARP for Ethernet and IPv4: the 28-byte payload arp_create() builds for a request or a
reply. On veth and lo the frame stays 42 bytes; only real NICs pad it to 60.
"""
from __future__ import annotations

import ipaddress
import struct
from enum import IntEnum

from ipemu.kernel.wire.ethernet import ETH_ALEN, ETH_P_IP, ZERO_MAC
from ipemu.plainclass import dataclass

ARPHRD_ETHER = 1
ARP_LEN = 28

_ARP = struct.Struct("!HHBBH6s4s6s4s")


class ArpOp(IntEnum):
    REQUEST = 1
    REPLY = 2


@dataclass
class ArpPacket:
    """`struct arphdr` followed by sender and target hardware and protocol addresses.

    Linux leaves the target hardware address zero in every request it sends, broadcast
    or unicast (arp_solicit() passes no target_hw), and fills it in a reply."""

    op: int
    sha: bytes
    spa: ipaddress.IPv4Address
    tha: bytes
    tpa: ipaddress.IPv4Address
    htype: int = ARPHRD_ETHER
    ptype: int = ETH_P_IP
    hlen: int = ETH_ALEN
    plen: int = 4

    @classmethod
    def request(cls, sha: bytes, spa: ipaddress.IPv4Address,
                tpa: ipaddress.IPv4Address) -> ArpPacket:
        """"who-has tpa tell spa", as arp_solicit() sends it."""
        return cls(ArpOp.REQUEST, sha, spa, ZERO_MAC, tpa)

    @classmethod
    def reply(cls, sha: bytes, spa: ipaddress.IPv4Address, tha: bytes,
              tpa: ipaddress.IPv4Address) -> ArpPacket:
        """"spa is-at sha", addressed to the requester (tha, tpa)."""
        return cls(ArpOp.REPLY, sha, spa, tha, tpa)

    def pack(self) -> bytes:
        return _ARP.pack(self.htype, self.ptype, self.hlen, self.plen, self.op,
                         self.sha, self.spa.packed, self.tha, self.tpa.packed)

    @classmethod
    def unpack(cls, data: bytes) -> tuple[ArpPacket, bytes]:
        """The packet and what follows it (a NIC's padding, if any)."""
        if len(data) < ARP_LEN:
            raise ValueError(f"ARP packet too short: {len(data)} bytes")
        htype, ptype, hlen, plen, op, sha, spa, tha, tpa = _ARP.unpack_from(data)
        if (hlen, plen) != (ETH_ALEN, 4):
            raise ValueError(f"not Ethernet/IPv4 ARP (hlen {hlen}, plen {plen})")
        packet = cls(op, sha, ipaddress.IPv4Address(spa), tha, ipaddress.IPv4Address(tpa),
                     htype=htype, ptype=ptype, hlen=hlen, plen=plen)
        return packet, bytes(data[ARP_LEN:])
