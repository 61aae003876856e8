"""Ethernet II frames: the 14-byte header (no 802.1Q), ethertypes, and MAC helpers.

MAC addresses are 6-byte `bytes`, as the kernel's `NetDevice.address` holds them.
"""
from __future__ import annotations

import ipaddress
import struct

from ipemu.plainclass import dataclass

ETH_ALEN = 6
ETH_HLEN = 14
# Minimum frame without FCS. Only real NIC drivers pad up to it; veth and lo send short
# frames as they are (a 42-byte ARP frame on veth, checked with tcpdump -e).
ETH_ZLEN = 60

ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
ETH_P_IPV6 = 0x86DD

BROADCAST_MAC = b"\xff" * ETH_ALEN
ZERO_MAC = bytes(ETH_ALEN)


def mac_to_str(mac: bytes) -> str:
    """`02:00:00:00:00:01`, lower case, as the kernel and tcpdump print it."""
    return ":".join(f"{b:02x}" for b in mac)


def mac_from_str(text: str) -> bytes:
    """Parse `aa:bb:cc:dd:ee:ff` into 6 bytes."""
    parts = text.split(":")
    if len(parts) != ETH_ALEN:
        raise ValueError(f"not a MAC address: {text!r}")
    return bytes(int(p, 16) for p in parts)


def is_broadcast_mac(mac: bytes) -> bool:
    return mac == BROADCAST_MAC


def is_multicast_mac(mac: bytes) -> bool:
    """The group bit (least significant bit of the first octet); broadcast has it too."""
    return bool(mac[0] & 1)


def ipv4_multicast_mac(group: ipaddress.IPv4Address) -> bytes:
    """ip_eth_mc_map(): 01:00:5e followed by the low 23 bits of the group address."""
    low = int(group) & 0x7FFFFF
    return b"\x01\x00\x5e" + low.to_bytes(3, "big")


def ipv6_multicast_mac(group: ipaddress.IPv6Address) -> bytes:
    """ipv6_eth_mc_map(): 33:33 followed by the low 32 bits of the group address."""
    return b"\x33\x33" + group.packed[12:]


def pad_frame(frame: bytes) -> bytes:
    """Pad a frame to ETH_ZLEN with zeros, as a real NIC driver does (veth and lo do not)."""
    return frame + bytes(max(0, ETH_ZLEN - len(frame)))


@dataclass
class EthernetHeader:
    """Destination, source and ethertype of an Ethernet II frame."""

    dst: bytes
    src: bytes
    ethertype: int

    def pack(self, payload: bytes = b"") -> bytes:
        """The 14-byte header followed by `payload`."""
        return self.dst + self.src + struct.pack("!H", self.ethertype) + payload

    @classmethod
    def unpack(cls, data: bytes) -> tuple[EthernetHeader, bytes]:
        if len(data) < ETH_HLEN:
            raise ValueError(f"Ethernet frame too short: {len(data)} bytes")
        (ethertype,) = struct.unpack_from("!H", data, 12)
        return cls(bytes(data[0:6]), bytes(data[6:12]), ethertype), bytes(data[ETH_HLEN:])
