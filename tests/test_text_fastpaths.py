"""Printing's shortcuts give what the general code gives: an IPv6 address's text as
ipaddress writes it, remembered texts as inet_ntop() writes them, link-local
addresses made from a MAC as ipaddress makes them from bytes."""
from __future__ import annotations

import ipaddress
import random

from ipemu.kernel.addr import eui64_link_local
from ipemu.render.names import ipv6_text, ntop


def test_ipv6_text_is_ipaddress_text():
    rng = random.Random(37)
    edges = [0, 1, (1 << 128) - 1, 0xFFFF << 32, 0xFE80 << 112, 1 << 112 | 1,
             int(ipaddress.IPv6Address("1:0:0:2:0:0:0:3")),
             int(ipaddress.IPv6Address("1:0:0:2:0:0:3:4")),
             int(ipaddress.IPv6Address("0:0:1:0:0:0:0:2")),
             int(ipaddress.IPv6Address("a0:10:0:0:1::"))]
    for _ in range(20000):
        value = 0
        for _ in range(8):
            value = value << 16 | rng.choice([0, 0, 0, 1, 0x10, 0xA0, 0xFFFF,
                                              rng.randrange(1 << 16)])
        edges.append(value)
    for value in edges:
        assert ipv6_text(value) == str(ipaddress.IPv6Address(value)), hex(value)


def test_remembered_texts_are_inet_ntop_s():
    """ntop(): str() but for the v4-mapped and v4-compatible IPv6 addresses glibc's
    inet_ntop() ends in a dotted quad; the same answer when remembered."""
    want = {"10.0.0.1": "10.0.0.1", "fe80::1": "fe80::1", "::": "::",
            "2001:db8::1%eth0": "2001:db8::1%eth0", "::ffff:1.2.3.4": "::ffff:1.2.3.4",
            "::10.0.0.2": "::10.0.0.2", "::1": "::1", "::ffff": "::ffff"}
    for _ in range(2):
        for text, shown in want.items():
            assert ntop(ipaddress.ip_address(text)) == shown, text
    assert ntop(ipaddress.ip_network("10.0.0.0/8")) == "10.0.0.0/8"


def test_a_link_local_address_from_a_mac_is_ipaddress_s():
    rng = random.Random(3)
    for _ in range(2000):
        mac = bytes(rng.randrange(256) for _ in range(6))
        iid = bytes([mac[0] ^ 0x02, mac[1], mac[2], 0xFF, 0xFE, mac[3], mac[4], mac[5]])
        want = ipaddress.IPv6Address(b"\xfe\x80" + b"\x00" * 6 + iid)
        got = eui64_link_local(mac)
        assert got == want and hash(got) == hash(want) and str(got) == str(want)
        assert type(got) is ipaddress.IPv6Address and got.scope_id is None
