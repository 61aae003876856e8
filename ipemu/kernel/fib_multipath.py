"""Which nexthop of a multipath IPv4 route a flow takes: fib_multipath_hash() of
net/ipv4/route.c over the flow's keys, and fib_select_multipath() of
net/ipv4/fib_semantics.c over the nexthops' upper bounds (fib_rebalance()).

The hash is the flow dissector's siphash of struct flow_keys (__flow_hash_from_keys()
with the key fib_multipath_hash_construct_key() makes of
net.ipv4.fib_multipath_hash_seed). With the seed 0 the kernel draws a key at boot
(the same for every namespace, another each boot), so no path can be known then:
the hash is taken as 0 (the first live nexthop), and only the source address
preference decides.
"""
from __future__ import annotations

import struct

from ipemu.plainclass import replace

_M64 = (1 << 64) - 1
_M32 = 0xFFFFFFFF
IPPROTO_UDP = 17

# fib_multipath_hash_fields bits (include/net/ip_fib.h FIB_MULTIPATH_HASH_FIELD_*)
FIELD_SRC_IP, FIELD_DST_IP, FIELD_IP_PROTO = 0x1, 0x2, 0x4
FIELD_SRC_PORT, FIELD_DST_PORT = 0x10, 0x20
FIELD_OUTER_MASK = 0x3F


def _rotl64(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _M64


def siphash(data: bytes, k0: int, k1: int) -> int:
    """lib/siphash.c __siphash_aligned(): SipHash-2-4 of `data` under the key (k0, k1)."""
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573

    def sipround() -> None:
        nonlocal v0, v1, v2, v3
        v0 = (v0 + v1) & _M64
        v1 = _rotl64(v1, 13) ^ v0
        v0 = _rotl64(v0, 32)
        v2 = (v2 + v3) & _M64
        v3 = _rotl64(v3, 16) ^ v2
        v0 = (v0 + v3) & _M64
        v3 = _rotl64(v3, 21) ^ v0
        v2 = (v2 + v1) & _M64
        v1 = _rotl64(v1, 17) ^ v2
        v2 = _rotl64(v2, 32)

    end = len(data) - len(data) % 8
    for i in range(0, end, 8):
        m = int.from_bytes(data[i:i + 8], "little")
        v3 ^= m
        sipround()
        sipround()
        v0 ^= m
    b = ((len(data) << 56) | int.from_bytes(data[end:], "little")) & _M64
    v3 ^= b
    sipround()
    sipround()
    v0 ^= b
    v2 ^= 0xFF
    for _ in range(4):
        sipround()
    return v0 ^ v1 ^ v2 ^ v3


def _rol32(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _M32


def jhash_2words(a: int, b: int, initval: int) -> int:
    """include/linux/jhash.h jhash_2words(): __jhash_nwords(a, b, 0, ...)'s final mix."""
    iv = (initval + 0xDEADBEEF + (2 << 2)) & _M32
    a, b, c = (a + iv) & _M32, (b + iv) & _M32, iv
    c ^= b
    c = (c - _rol32(b, 14)) & _M32
    a ^= c
    a = (a - _rol32(c, 11)) & _M32
    b ^= a
    b = (b - _rol32(a, 25)) & _M32
    c ^= b
    c = (c - _rol32(b, 16)) & _M32
    a ^= c
    a = (a - _rol32(c, 4)) & _M32
    b ^= a
    b = (b - _rol32(a, 14)) & _M32
    c ^= b
    c = (c - _rol32(b, 24)) & _M32
    return c


def flow_hash_v4(seed: int, src: bytes, dst: bytes, proto: int, sport: int,
                 dport: int) -> int:
    """fib_multipath_hash_from_keys() of IPv4 flow keys: __flow_hash_consistentify()
    (the smaller address and port first, compared as the host reads them), then
    siphash of struct flow_keys from `basic` through the addrs union's first 12
    bytes (flow_keys_hash_length(): 48), under the seed written four times."""
    if int.from_bytes(dst, "little") < int.from_bytes(src, "little"):
        src, dst = dst, src
    sp, dp = struct.pack("!H", sport), struct.pack("!H", dport)
    if int.from_bytes(dp, "little") < int.from_bytes(sp, "little"):
        sp, dp = dp, sp
    # basic (n_proto, ip_proto), tags, vlan, cvlan, keyid, ports, icmp, addrs
    data = bytes((0, 0, proto, 0)) + bytes(24) + sp + dp + bytes(4) + src + dst + bytes(4)
    key = (seed << 32) | seed
    return (siphash(data, key, key) & _M32) or 1


def flow_hash_v6(seed: int, src: bytes, dst: bytes, proto: int, sport: int,
                 dport: int, flowlabel: int = 0) -> int:
    """fib_multipath_hash_from_keys() of IPv6 flow keys: the smaller address first
    (memcmp()), then siphash of struct flow_keys through the whole addrs union and its
    padding (flow_keys_hash_length(): 72); the flow label sits in `tags`."""
    if dst < src:
        src, dst = dst, src
    sp, dp = struct.pack("!H", sport), struct.pack("!H", dport)
    if int.from_bytes(dp, "little") < int.from_bytes(sp, "little"):
        sp, dp = dp, sp
    data = bytes((0, 0, proto, 0)) + struct.pack("<I", flowlabel) + bytes(20) + sp + dp + \
        bytes(4) + src + dst + bytes(4)
    key = (seed << 32) | seed
    return (siphash(data, key, key) & _M32) or 1


def rt6_multipath_hash(sysctls: dict, src, dst, proto: int, sport: int,
                       dport: int) -> int | None:
    """rt6_multipath_hash() of a flow without a packet (inet6_rtm_getroute() builds
    none: the protocol is 0 unless given, the flow label 0); the seed is net.ipv4's.
    None when the seed is the boot's random one."""
    seed = int(sysctls.get("net.ipv4.fib_multipath_hash_seed", "0") or 0) & _M32
    if not seed:
        return None
    policy = sysctls.get("net.ipv6.fib_multipath_hash_policy", "0")
    s = src.packed if src is not None else bytes(16)
    d = dst.packed
    if policy == "1":
        return flow_hash_v6(seed, s, d, proto, sport, dport) >> 1
    if policy == "3":
        # rt6_multipath_custom_hash_fl6(): the outer fields asked for, no inner mix
        fields = int(sysctls.get("net.ipv6.fib_multipath_hash_fields", "7") or 0, 0)
        if not fields & FIELD_OUTER_MASK:
            return 0
        zero = bytes(16)
        return flow_hash_v6(seed, s if fields & FIELD_SRC_IP else zero,
                            d if fields & FIELD_DST_IP else zero,
                            proto if fields & FIELD_IP_PROTO else 0,
                            sport if fields & FIELD_SRC_PORT else 0,
                            dport if fields & FIELD_DST_PORT else 0) >> 1
    # 0 (L3: addresses, flow label, next header) and 2 (the same without a packet)
    return flow_hash_v6(seed, s, d, proto, 0, 0) >> 1


def fib_multipath_hash(sysctls: dict, src, dst, proto: int, sport: int,
                       dport: int) -> int | None:
    """fib_multipath_hash() of a flow (ip route get's: its fake skb says the same as
    the flow): the 31-bit hash the nexthops' upper bounds are compared with; None
    when the seed is the boot's random one. `proto` 0 stands for the get's default
    (UDP: inet_rtm_getroute())."""
    seed = int(sysctls.get("net.ipv4.fib_multipath_hash_seed", "0") or 0) & _M32
    if not seed:
        return None
    policy = sysctls.get("net.ipv4.fib_multipath_hash_policy", "0")
    s = src.packed if src is not None else bytes(4)
    d = dst.packed
    proto = proto or IPPROTO_UDP
    if policy == "1":
        return flow_hash_v4(seed, s, d, proto, sport, dport) >> 1
    if policy == "3":
        # fib_multipath_custom_hash_skb(): the outer fields asked for, mixed with the
        # (absent) inner hash
        fields = int(sysctls.get("net.ipv4.fib_multipath_hash_fields", "7") or 0, 0)
        if not fields & FIELD_OUTER_MASK:
            outer = 0
        else:
            zero = bytes(4)
            outer = flow_hash_v4(seed, s if fields & FIELD_SRC_IP else zero,
                                 d if fields & FIELD_DST_IP else zero,
                                 proto if fields & FIELD_IP_PROTO else 0,
                                 sport if fields & FIELD_SRC_PORT else 0,
                                 dport if fields & FIELD_DST_PORT else 0)
        return jhash_2words(outer, 0, 0) >> 1
    # 0 (L3) and 2 (inner L3, which a plain IPv4 packet is itself)
    return flow_hash_v4(seed, s, d, 0, 0, 0) >> 1


def upper_bounds(weights: list[int | None]) -> list[int]:
    """fib_rebalance(): each live nexthop's upper bound in the 31-bit hash space
    (None: a dead one, bound -1)."""
    total = sum(w for w in weights if w is not None)
    bounds, w = [], 0
    for weight in weights:
        if weight is None:
            bounds.append(-1)
            continue
        w += weight
        bounds.append(((w << 31) + total // 2) // total - 1)
    return bounds


def select_multipath(hash_: int, bounds: list[int], saddrs: list, saddr) -> int | None:
    """fib_select_multipath(): the index of the nexthop the flow takes. A nexthop
    whose device has the flow's source scores 2, the one the hash falls in (and
    every later one) 1; the first best wins (saddr 0: the hash's at once)."""
    score, chosen = -1, None
    for i, bound in enumerate(bounds):
        if bound == -1:
            continue
        nh_score = 0
        if saddr is not None and saddrs[i] == saddr:
            nh_score += 2
        if hash_ <= bound:
            nh_score += 1
        if score < nh_score:
            chosen = i
            if nh_score == 3 or (saddr is None and nh_score == 1):
                return chosen
            score = nh_score
    return chosen


def fib_good_nh(ns, h) -> bool:
    """fib_good_nh() / ipv4_good_nh(): a nexthop through a gateway is good unless
    its neighbour entry exists in a state that is not NUD_VALID (no entry counts as
    NUD_REACHABLE; a nexthop without a gateway is not looked at)."""
    from ipemu.kernel.neigh import NUD_VALID
    if h.gateway is None or ns._stack is None:
        return True
    stack = ns.stack
    table = stack.arp if h.gateway.version == 4 else stack.nd
    n = table.entries.get((h.oif, h.gateway))
    return n is None or bool(n.state & NUD_VALID)


def select_path(ns, route, src, dst, proto: int = 0, sport: int = 0, dport: int = 0,
                 saddr=None):
    """fib_select_path() (fib6_select_path() for IPv6) of a multipath route without an
    output device: the route as it goes through the nexthop the flow's hash
    (fib_multipath_hash(), rt6_multipath_hash()) and, for IPv4, its source (`saddr`:
    a locally generated flow's; None for a forwarded one) choose. A route
    that is not multipath, or one through a resilient group, comes back as it is."""
    hops = route.nexthops
    if not hops:
        return route
    nhid = route.nhid
    if nhid is not None:
        obj = ns.nexthops.get(nhid)
        if obj is None:
            return route
        if obj.res is not None:
            return _select_res(ns, route, obj.res, src, dst, proto, sport, dport)
    if dst.version == 6:
        return _select_path6(ns, route, src, dst, proto, sport, dport)
    hash_ = fib_multipath_hash(ns.sysctls, src, dst, proto, sport, dport)
    devices = ns.devices
    weights: list[int | None] = []
    saddrs = []
    for h in hops:
        dev = devices.get(h.oif)
        alive = dev is not None and (nhid is not None or dev.admin_up and not (
            not dev.carrier and ns._ignores_linkdown4(dev)) and not (
            dev.dead4 and (route.table, route.seq) in dev.dead4))
        weights.append(h.weight if alive else None)
        # fib_info_update_nhc_saddr(): inet_select_addr() of the nexthop's device
        saddrs.append(ns.select_source(dev, h.gateway or dst.__class__(0))
                      if alive and nhid is None else None)
    if all(w is None for w in weights):
        return route
    bounds = upper_bounds(weights)
    if nhid is not None:
        # nexthop_select_path_hthr(): the hash alone, no source preference; a
        # nexthop object's neighbour is always checked (nexthop_is_good_nh(): "does
        # not rely on a sysctl"), the first good one taken when the hash finds none,
        # the group's first when none is good
        saddr = None
        good = [b != -1 and fib_good_nh(ns, h) for h, b in zip(hops, bounds)]
        if not any(good):
            i = 0
        else:
            i = next((j for j, b in enumerate(bounds) if good[j] and (hash_ or 0) <= b),
                     good.index(True))
    else:
        if ns.sysctls.get("net.ipv4.fib_multipath_use_neigh", "0") not in ("0", ""):
            # fib_select_multipath(): with fib_multipath_use_neigh a nexthop whose
            # gateway's neighbour is not NUD_VALID (INCOMPLETE, FAILED) is passed
            # over, its share of the hash space left to nobody (recorded: flows
            # hashed to a FAILED gateway go to the other leg, case
            # tutorials42b_ahern_multipath_use_neigh)
            bounds = [b if fib_good_nh(ns, h) else -1 for h, b in zip(hops, bounds)]
        i = select_multipath(hash_ or 0, bounds, saddrs, saddr)
    if i is None:
        return route
    h = hops[i]
    if h.gateway == route.gateway and h.oif == route.oif:
        return route
    return replace(route, gateway=h.gateway, oif=h.oif, onlink=h.onlink, flow=h.flow,
                   encap=h.encap)


def _select_path6(ns, route, src, dst, proto: int, sport: int, dport: int):
    """fib6_select_path(): the first sibling whose upper bound (rt6_upper_bound_set(),
    dead ones left out) holds the flow's hash; no source preference."""
    hops = route.nexthops
    devices = ns.devices
    weights: list[int | None] = []
    for h in hops:
        dev = devices.get(h.oif)
        alive = dev is not None and dev.admin_up and not (
            not dev.carrier and ns._ignores_linkdown6(dev)) and not (
            dev.dead6 and (route.table, route.seq) in dev.dead6)
        weights.append(h.weight if alive else None)
    if all(w is None for w in weights):
        return route
    hash_ = rt6_multipath_hash(ns.sysctls, src, dst, proto, sport, dport)
    i = select_multipath(hash_ or 0, upper_bounds(weights), [None] * len(hops), None)
    if i is None:
        return route
    h = hops[i]
    if h.gateway == route.gateway and h.oif == route.oif:
        return route
    return replace(route, gateway=h.gateway, oif=h.oif, onlink=h.onlink, flow=h.flow,
                   encap=h.encap)


def _select_res(ns, route, res, src, dst, proto: int, sport: int, dport: int):
    """nexthop_select_path_res(): a resilient group's bucket hash % num_buckets
    names the nexthop (with the seed 0 the hash is unknown: bucket 0)."""
    if dst.version == 6:
        hash_ = rt6_multipath_hash(ns.sysctls, src, dst, proto, sport, dport)
    else:
        hash_ = fib_multipath_hash(ns.sysctls, src, dst, proto, sport, dport)
    index = (hash_ or 0) % res.num_buckets
    bucket = res.buckets[index] if res.buckets else None
    if bucket is None:
        return route
    # nh_res_bucket_set_busy(): the bucket's used time is now (it is not idle for the
    # next upkeep until its idle timer has run)
    obj = ns.nexthops[route.nhid]
    buckets = list(res.buckets)
    buckets[index] = (bucket[0], bucket[1], ns.clock.now)
    ns.nexthops[route.nhid] = replace(obj, res=replace(res, buckets=tuple(buckets)))
    member = ns.nexthops.get(bucket[0])
    if member is None or (member.gateway == route.gateway and member.oif == route.oif):
        return route
    return replace(route, gateway=member.gateway, oif=member.oif, onlink=member.onlink)
