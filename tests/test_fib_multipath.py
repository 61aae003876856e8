"""fib_multipath.py: the kernel's multipath hash ported (siphash of struct flow_keys,
jhash_2words) and fib_select_multipath()'s choice, against the reference vectors and
choices the real kernel (6.18) made (`ip route get` in `unshare -n`, seed 1234)."""
import ipaddress

from ipemu.kernel import fib_multipath as mp


def test_siphash_reference_vector():
    # SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e
    key = bytes(range(16))
    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    assert mp.siphash(bytes(range(15)), k0, k1) == 0xA129CA6149BE45E5


def _path(sysctls: dict, dst: str, src: str | None = None, proto: int = 0,
          sport: int = 0, dport: int = 0, weights=(1, 1)) -> int:
    h = mp.fib_multipath_hash(sysctls, ipaddress.IPv4Address(src) if src else None,
                              ipaddress.IPv4Address(dst), proto, sport, dport)
    return mp.select_multipath(h, mp.upper_bounds(list(weights)), [None] * len(weights),
                               None) + 1


def test_recorded_choices():
    """Each row: what the kernel chose between `nexthop via A dev x1 nexthop via B dev
    x2` (weights 1,1) or x1/x2/x3 (1,2,3)."""
    seed = {"net.ipv4.fib_multipath_hash_seed": "1234"}
    pol1 = dict(seed, **{"net.ipv4.fib_multipath_hash_policy": "1"})
    pol3 = dict(seed, **{"net.ipv4.fib_multipath_hash_policy": "3",
                         "net.ipv4.fib_multipath_hash_fields": "2"})
    assert [_path(seed, f"192.0.2.{i}") for i in (1, 7, 33, 200)] == [1, 2, 1, 1]
    assert [_path(seed, f"198.51.100.{i}", weights=(1, 2, 3)) for i in (1, 7, 33, 200)] \
        == [2, 2, 3, 3]
    assert _path(pol1, "192.0.2.1", proto=6, sport=1000, dport=80) == 2
    assert [_path(pol3, f"192.0.2.{i}") for i in range(1, 9)] == [1, 1, 2, 1, 1, 2, 2, 1]


def test_seed_zero_is_unknown():
    assert mp.fib_multipath_hash({}, None, ipaddress.IPv4Address("192.0.2.1"), 0, 0, 0) is None


def test_source_preference():
    """A nexthop whose device holds the flow's source wins over the hash's (the
    scoring of fib_select_multipath()); a dead one (bound -1) is passed over."""
    bounds = mp.upper_bounds([1, 1])
    a, b = ipaddress.IPv4Address("10.0.1.1"), ipaddress.IPv4Address("10.0.2.1")
    assert mp.select_multipath(0, bounds, [a, b], b) == 1
    assert mp.select_multipath(2**31 - 1, bounds, [a, b], a) == 0
    assert mp.select_multipath(0, bounds, [a, b], ipaddress.IPv4Address("10.0.3.1")) == 0
    assert mp.select_multipath(0, mp.upper_bounds([None, 1]), [a, b], None) == 1


def _path6(sysctls: dict, dst: str, proto: int = 0, sport: int = 0, dport: int = 0,
           weights=(1, 1)) -> int:
    h = mp.rt6_multipath_hash(sysctls, None, ipaddress.IPv6Address(dst), proto, sport, dport)
    return mp.select_multipath(h, mp.upper_bounds(list(weights)), [None] * len(weights),
                               None) + 1


def test_recorded_choices_v6():
    """`ip -6 route get` over siblings via x1, x2 (1,1) or x1, x2, x3 (1,2,3), seed 1234
    (net.ipv4's: it serves IPv6 too), policy 0 and 1 (net.ipv6's)."""
    seed = {"net.ipv4.fib_multipath_hash_seed": "1234"}
    pol1 = dict(seed, **{"net.ipv6.fib_multipath_hash_policy": "1"})
    hosts = ("1", "7", "33", "200", "a", "b", "c", "d")
    assert [_path6(seed, f"2001:db8:9::{h}") for h in hosts] == [1, 1, 2, 1, 2, 1, 1, 1]
    assert [_path6(seed, f"2001:db8:8::{h}", weights=(1, 2, 3)) for h in hosts] == \
        [3, 3, 3, 2, 1, 2, 3, 3]
    assert [_path6(pol1, f"2001:db8:9::{h}", 6, 1000, 80) for h in hosts] == \
        [2, 2, 2, 1, 1, 1, 1, 1]
