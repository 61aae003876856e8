"""Route messages as rtnetlink bytes: RTM_NEWROUTE as fib_dump_info() (IPv4) and
rt6_fill_node() (IPv6) put them in a dump, which is what `ip route save` writes
(save_route(): each message whole, nlmsghdr included), and the reverse for `ip route
restore` and `showdump` (rtnl_from_file()). Host byte order (x86: little-endian),
attributes padded to 4 bytes (NLA_ALIGN)."""
from __future__ import annotations

import ipaddress
import struct

from ipemu.kernel.records_more import RTNH_F, RouteMsg, RtnhMsg

ROUTE_DUMP_MAGIC = 0x45311224           # iproute.c route_dump_magic
NLMSG_HDRLEN = 16
RTM_NEWROUTE = 24
NLM_F_MULTI, NLM_F_DUMP_FILTERED = 0x2, 0x20

# include/uapi/linux/rtnetlink.h
RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC = 1, 4, 5, 6, 7
RTA_METRICS, RTA_MULTIPATH, RTA_FLOW, RTA_CACHEINFO, RTA_TABLE = 8, 9, 11, 12, 15
RTA_VIA, RTA_PREF, RTA_NH_ID = 18, 20, 30
# RTAX_* of RTA_METRICS (RTAX_LOCK = 1 holds the locked ones' bits)
RTAX = {"mtu": 2, "window": 3, "rtt": 4, "rttvar": 5, "ssthresh": 6, "cwnd": 7,
        "advmss": 8, "reordering": 9, "hoplimit": 10, "initcwnd": 11, "features": 12,
        "rto_min": 13, "initrwnd": 14, "quickack": 15, "fastopen_no_cookie": 17}
RTAX_LOCK, RTAX_CC_ALGO = 1, 16
_RTAX_NAME = {v: k for k, v in RTAX.items()}
_PREF = {"medium": 0, "high": 1, "low": 3}     # ICMPV6_ROUTER_PREF_*
_PREF_NAME = {v: k for k, v in _PREF.items()}
AF_INET, AF_INET6 = 2, 10


def _attr(kind: int, payload: bytes) -> bytes:
    """One struct nlattr, padded to NLA_ALIGNTO."""
    return struct.pack("<HH", 4 + len(payload), kind) + payload + bytes(-len(payload) % 4)


def _u32(kind: int, value: int) -> bytes:
    return _attr(kind, struct.pack("<I", value & 0xFFFFFFFF))


def _addr(kind: int, address) -> bytes:
    return _attr(kind, address.packed)


def _gateway(family: int, gateway) -> bytes:
    """fib_nexthop_info(): RTA_GATEWAY of the route's own family, else RTA_VIA."""
    if gateway.version == (4 if family == AF_INET else 6):
        return _addr(RTA_GATEWAY, gateway)
    via_family = AF_INET if gateway.version == 4 else AF_INET6
    return _attr(RTA_VIA, struct.pack("<H", via_family) + gateway.packed)


def _metrics(metrics: tuple) -> bytes:
    """rtnetlink_put_metrics(): RTAX_LOCK first when any is locked, then each set
    metric in RTAX order; nothing when none is set."""
    shown = [(RTAX[name], value, locked) for name, value, *rest in metrics
             for locked in [bool(rest and rest[0])] if value and name in RTAX]
    if not shown:
        return b""
    lock = 0
    for number, _value, locked in shown:
        if locked:
            lock |= 1 << number
    body = _u32(RTAX_LOCK, lock) if lock else b""
    for number, value, _locked in sorted(shown):
        body += _u32(number, value)
    return _attr(RTA_METRICS, body)


def _multipath(family: int, hops: tuple) -> bytes:
    """fib_add_multipath() / rt6_fill_node()'s siblings: a struct rtnexthop each, its
    gateway (and realms) inside."""
    body = b""
    for hop in hops:
        inner = _gateway(family, hop.gateway) if hop.gateway is not None else b""
        if hop.flow:
            inner += _u32(RTA_FLOW, hop.flow)
        body += struct.pack("<HBBi", 8 + len(inner), int(hop.flags), hop.weight - 1,
                            hop.oif or 0) + inner
    return _attr(RTA_MULTIPATH, body)


def route_bytes(msg: RouteMsg, seq: int = 0, pid: int = 0) -> bytes:
    """One RTM_NEWROUTE of a dump, as the kernel fills it."""
    v4 = msg.family == 4
    family = AF_INET if v4 else AF_INET6
    table = msg.table
    attrs = _u32(RTA_TABLE, table)
    if msg.dst.prefixlen:
        attrs += _addr(RTA_DST, msg.dst.network_address)
    if v4:
        # fib_dump_info(): priority, metrics, prefsrc, then the nexthop
        if msg.priority:
            attrs += _u32(RTA_PRIORITY, msg.priority)
        attrs += _metrics(msg.metrics)
        if msg.prefsrc is not None:
            attrs += _addr(RTA_PREFSRC, msg.prefsrc)
    else:
        # rt6_fill_node(): prefsrc, metrics, the metric (always), then the nexthop
        if msg.prefsrc is not None:
            attrs += _addr(RTA_PREFSRC, msg.prefsrc)
        attrs += _metrics(msg.metrics)
        attrs += _u32(RTA_PRIORITY, msg.priority)
    if msg.nhid is not None:
        attrs += _u32(RTA_NH_ID, msg.nhid)
    if msg.multipath:
        attrs += _multipath(family, msg.multipath)
    else:
        # (with a nexthop object, nexthop_compat_mode 1 still sends its gateway)
        if msg.gateway is not None:
            attrs += _gateway(family, msg.gateway)
        if msg.oif is not None:
            attrs += _u32(RTA_OIF, msg.oif)
        if v4 and msg.flow:
            attrs += _u32(RTA_FLOW, msg.flow)
    if not v4:
        # rtnl_put_cacheinfo(): no dst entry, so only the expiry; then RTA_PREF
        attrs += _attr(RTA_CACHEINFO, struct.pack("<IIiIIIII", 0, 0, msg.expires,
                                                   0, 0, 0, 0, 0))
        attrs += _attr(RTA_PREF, bytes([_PREF.get(msg.pref, 0)]))
    scope = msg.scope if v4 else 0
    head = struct.pack("<BBBBBBBBI", family, msg.dst.prefixlen, 0, msg.tos,
                       table if table < 256 else 252, msg.protocol, scope, int(msg.type),
                       int(msg.flags))
    body = head + attrs
    return struct.pack("<IHHII", NLMSG_HDRLEN + len(body), RTM_NEWROUTE,
                       NLM_F_MULTI | NLM_F_DUMP_FILTERED, seq & 0xFFFFFFFF, pid) + body


def _attrs(data: bytes) -> list[tuple[int, bytes]]:
    """parse_rtattr(): (type, payload) of each well-formed attribute."""
    out = []
    at = 0
    while at + 4 <= len(data):
        length, kind = struct.unpack_from("<HH", data, at)
        if length < 4 or at + length > len(data):
            break
        out.append((kind & 0x3FFF, data[at + 4:at + length]))
        at += (length + 3) & ~3
    return out


def _ip(family: int, raw: bytes):
    return ipaddress.IPv4Address(raw[:4]) if family == AF_INET else \
        ipaddress.IPv6Address(raw[:16])


def _gateway_of(family: int, kind: int, raw: bytes):
    if kind == RTA_VIA:
        via_family = struct.unpack_from("<H", raw)[0]
        return _ip(via_family, raw[2:])
    return _ip(family, raw)


def route_from_bytes(message: bytes) -> RouteMsg | None:
    """A route message read back (None: not an IPv4/IPv6 route)."""
    if len(message) < NLMSG_HDRLEN + 12:
        return None
    family, dst_len, _src_len, tos, table, protocol, scope, rtype, flags = \
        struct.unpack_from("<BBBBBBBBI", message, NLMSG_HDRLEN)
    if family not in (AF_INET, AF_INET6):
        return None
    values: dict = {}
    hops = []
    metrics = []
    for kind, raw in _attrs(message[NLMSG_HDRLEN + 12:]):
        if kind in (RTA_TABLE, RTA_PRIORITY, RTA_OIF, RTA_NH_ID, RTA_FLOW) and len(raw) >= 4:
            values[kind] = struct.unpack_from("<I", raw)[0]
        elif kind in (RTA_DST, RTA_PREFSRC):
            values[kind] = _ip(family, raw)
        elif kind in (RTA_GATEWAY, RTA_VIA):
            values[RTA_GATEWAY] = _gateway_of(family, kind, raw)
        elif kind == RTA_PREF and raw:
            values[kind] = _PREF_NAME.get(raw[0], "medium")
        elif kind == RTA_CACHEINFO and len(raw) >= 12:
            values[kind] = struct.unpack_from("<i", raw, 8)[0]
        elif kind == RTA_METRICS:
            lock = 0
            for number, value in _attrs(raw):
                if number == RTAX_LOCK:
                    lock = struct.unpack_from("<I", value)[0]
                elif number in _RTAX_NAME and len(value) >= 4:
                    metrics.append((_RTAX_NAME[number], struct.unpack_from("<I", value)[0],
                                    bool(lock >> number & 1)))
        elif kind == RTA_MULTIPATH:
            at = 0
            while at + 8 <= len(raw):
                length, hop_flags, hop_count, ifindex = struct.unpack_from("<HBBi", raw, at)
                if length < 8:
                    break
                inner = dict((k, v) for k, v in _attrs(raw[at + 8:at + length]))
                gw = next(((k, v) for k, v in inner.items() if k in (RTA_GATEWAY, RTA_VIA)),
                          None)
                hops.append(RtnhMsg(_gateway_of(family, *gw) if gw else None, ifindex or None,
                                    hop_count + 1, RTNH_F(hop_flags),
                                    struct.unpack_from("<I", inner[RTA_FLOW])[0]
                                    if RTA_FLOW in inner else 0))
                at += (length + 3) & ~3
    base = values.get(RTA_DST) or (ipaddress.IPv4Address(0) if family == AF_INET
                                   else ipaddress.IPv6Address(0))
    dst = ipaddress.ip_network(f"{base}/{dst_len}", strict=False)
    return RouteMsg(dst, values.get(RTA_TABLE, table), rtype, protocol, scope,
                    values.get(RTA_PRIORITY, 0), tos, values.get(RTA_PREFSRC),
                    values.get(RTA_GATEWAY), values.get(RTA_OIF), RTNH_F(flags),
                    values.get(RTA_PREF, "medium"), tuple(hops), values.get(RTA_NH_ID),
                    values.get(RTA_CACHEINFO, 0), tuple(metrics), values.get(RTA_FLOW, 0))


def read_messages(data: bytes, start: int = 4) -> tuple[list[bytes], str | None]:
    """rtnl_from_file(): the whole messages in turn, and the message it stops with
    (None: a clean end of file); `start` is where `data` begins in the file (after
    the magic), for the position a malformed message reports (ftell())."""
    out = []
    at = 0
    while True:
        if at == len(data):
            return out, None
        if len(data) - at < NLMSG_HDRLEN:
            return out, "rtnl-from_file: truncated message\n"
        length = struct.unpack_from("<I", data, at)[0]
        if length < NLMSG_HDRLEN or length > 16384:
            # the position after the header's fread()
            signed = length - (1 << 32) if length >> 31 else length      # an int
            return out, f"!!!malformed message: len={signed} @{start + at + NLMSG_HDRLEN}\n"
        aligned = (length - NLMSG_HDRLEN + 3) & ~3
        if len(data) - at - NLMSG_HDRLEN < aligned:
            return out, "rtnl-from_file: truncated message\n"
        out.append(data[at:at + length])
        at += NLMSG_HDRLEN + aligned


# ------------------------------------------------------------------ addresses
ADDR_DUMP_MAGIC = 0x47361222            # ipaddress.c ipadd_dump_magic
RTM_NEWADDR = 20
IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, IFA_BROADCAST = 1, 2, 3, 4
IFA_CACHEINFO, IFA_FLAGS, IFA_RT_PRIORITY, IFA_PROTO = 6, 8, 9, 11


def _cacheinfo(msg, stamp: int) -> bytes:
    """put_cacheinfo(): ifa_prefered, ifa_valid, cstamp, tstamp (hundredths of a
    second since boot)."""
    return _attr(IFA_CACHEINFO, struct.pack("<IIII", msg.preferred_lft & 0xFFFFFFFF,
                                            msg.valid_lft & 0xFFFFFFFF, stamp, stamp))


def addr_bytes(msg, seq: int = 0, pid: int = 0, boot: float = 0.0,
               filtered: bool = False) -> bytes:
    """One RTM_NEWADDR of a dump: inet_fill_ifaddr() (IPv4) or inet6_fill_ifaddr()
    (IPv6), with their attributes in their order; `boot` is the clock's time at boot,
    for the time stamps; `filtered`: the dump asked for one device
    (NLM_F_DUMP_FILTERED)."""
    stamp = max(0, int((msg.tstamp - boot) * 100)) & 0xFFFFFFFF
    flags = int(msg.flags)
    if msg.family == 4:
        attrs = b""
        if msg.address is not None and int(msg.address):
            attrs += _addr(IFA_ADDRESS, msg.address)
        if int(msg.local):
            attrs += _addr(IFA_LOCAL, msg.local)
        if msg.broadcast is not None and int(msg.broadcast):
            attrs += _addr(IFA_BROADCAST, msg.broadcast)
        if msg.label:
            attrs += _attr(IFA_LABEL, msg.label.encode("utf-8", "surrogateescape") + b"\0")
        if msg.proto:
            attrs += _attr(IFA_PROTO, bytes([msg.proto]))
        attrs += _u32(IFA_FLAGS, flags)
        if msg.metric:
            attrs += _u32(IFA_RT_PRIORITY, msg.metric)
        attrs += _cacheinfo(msg, stamp)
        family = AF_INET
    else:
        peer = msg.peer
        attrs = _addr(IFA_LOCAL, msg.local) + _addr(IFA_ADDRESS, peer) if peer is not None \
            else _addr(IFA_ADDRESS, msg.local)
        if msg.metric:
            attrs += _u32(IFA_RT_PRIORITY, msg.metric)
        attrs += _cacheinfo(msg, stamp) + _u32(IFA_FLAGS, flags)
        if msg.proto:
            attrs += _attr(IFA_PROTO, bytes([msg.proto]))
        family = AF_INET6
    body = struct.pack("<BBBBi", family, msg.prefixlen, flags & 0xFF, msg.scope,
                       msg.ifindex) + attrs
    return struct.pack("<IHHII", NLMSG_HDRLEN + len(body), RTM_NEWADDR,
                       NLM_F_MULTI | (NLM_F_DUMP_FILTERED if filtered else 0),
                       seq & 0xFFFFFFFF, pid) + body


def addr_from_bytes(message: bytes):
    """An address message read back as an AddrMsg (None: not IPv4/IPv6)."""
    from ipemu.kernel.records_more import AddrMsg, IFA_F
    if len(message) < NLMSG_HDRLEN + 8:
        return None
    family, prefixlen, flags, scope, ifindex = struct.unpack_from("<BBBBi", message,
                                                                  NLMSG_HDRLEN)
    if family not in (AF_INET, AF_INET6):
        return None
    values: dict = {}
    for kind, raw in _attrs(message[NLMSG_HDRLEN + 8:]):
        if kind in (IFA_ADDRESS, IFA_LOCAL, IFA_BROADCAST):
            values[kind] = _ip(family, raw)
        elif kind == IFA_LABEL:
            values[kind] = raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        elif kind in (IFA_FLAGS, IFA_RT_PRIORITY) and len(raw) >= 4:
            values[kind] = struct.unpack_from("<I", raw)[0]
        elif kind == IFA_PROTO and raw:
            values[kind] = raw[0]
        elif kind == IFA_CACHEINFO and len(raw) >= 16:
            values[kind] = struct.unpack_from("<II", raw)
    local = values.get(IFA_LOCAL, values.get(IFA_ADDRESS))
    if local is None:
        return None
    preferred, valid = values.get(IFA_CACHEINFO, (0xFFFFFFFF, 0xFFFFFFFF))
    return AddrMsg(4 if family == AF_INET else 6, ifindex, prefixlen,
                   IFA_F(values.get(IFA_FLAGS, flags)), scope, local,
                   values.get(IFA_ADDRESS), values.get(IFA_BROADCAST),
                   values.get(IFA_LABEL), values.get(IFA_RT_PRIORITY, 0), valid, preferred,
                   values.get(IFA_PROTO, 0))


# ------------------------------------------------------------------ rules
RULE_DUMP_MAGIC = 0x71706986            # iprule.c rule_dump_magic
RTM_NEWRULE = 32
# include/uapi/linux/fib_rules.h
FRA_DST, FRA_SRC, FRA_IIFNAME, FRA_GOTO, FRA_PRIORITY = 1, 2, 3, 4, 6
FRA_FWMARK, FRA_FLOW, FRA_SUPPRESS_IFGROUP, FRA_SUPPRESS_PREFIXLEN = 10, 11, 13, 14
FRA_TABLE, FRA_FWMASK, FRA_OIFNAME, FRA_L3MDEV, FRA_UID_RANGE = 15, 16, 17, 19, 20
FRA_PROTOCOL, FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE = 21, 22, 23, 24
FRA_TUN_ID = 12
FIB_RULE_INVERT, FIB_RULE_UNRESOLVED = 0x2, 0x4
FIB_RULE_IIF_DETACHED, FIB_RULE_OIF_DETACHED = 0x8, 0x10
FR_ACT_GOTO = 2


def rule_bytes(rule, seq: int = 0, pid: int = 0, status: dict | None = None) -> bytes:
    """One RTM_NEWRULE of a dump, as fib_nl_fill_rule() fills it: the header, the
    table and the suppressors always, the protocol, the devices, the priority when not
    0, the mark, goto, ranges, then fib4_rule_fill()/fib6_rule_fill()'s prefixes."""
    v4 = rule.family == 4
    status = status or {}
    flags = (FIB_RULE_INVERT if rule.invert else 0) | \
        (FIB_RULE_UNRESOLVED if status.get("unresolved") else 0) | \
        (FIB_RULE_IIF_DETACHED if status.get("iif_detached") else 0) | \
        (FIB_RULE_OIF_DETACHED if status.get("oif_detached") else 0)
    attrs = _u32(FRA_TABLE, rule.table) + _u32(FRA_SUPPRESS_PREFIXLEN, rule.suppress_prefixlen)
    attrs += _attr(FRA_PROTOCOL, bytes([rule.protocol & 0xFF]))
    for kind, name in ((FRA_IIFNAME, rule.iifname), (FRA_OIFNAME, rule.oifname)):
        if name:
            attrs += _attr(kind, name.encode() + b"\0")
    if rule.priority:
        attrs += _u32(FRA_PRIORITY, rule.priority)
    if rule.mark:
        attrs += _u32(FRA_FWMARK, rule.mark)
    if rule.mark or rule.mark_mask:
        attrs += _u32(FRA_FWMASK, rule.mark_mask)
    if rule.target:
        attrs += _u32(FRA_GOTO, rule.target)
    if rule.suppress_ifgroup != -1:
        attrs += _u32(FRA_SUPPRESS_IFGROUP, rule.suppress_ifgroup)
    if rule.tun_id:
        # nla_put_be64(): no FRA_PAD where unaligned access is cheap (x86_64)
        attrs += _attr(FRA_TUN_ID, struct.pack(">Q", rule.tun_id))
    if rule.l3mdev:
        attrs += _attr(FRA_L3MDEV, b"\x01")
    if rule.uid_range is not None:
        attrs += _attr(FRA_UID_RANGE, struct.pack("<II", *rule.uid_range))
    for kind, ports in ((FRA_SPORT_RANGE, rule.sport), (FRA_DPORT_RANGE, rule.dport)):
        if ports is not None:
            attrs += _attr(kind, struct.pack("<HH", *ports))
    if rule.ip_proto:
        attrs += _attr(FRA_IP_PROTO, bytes([rule.ip_proto]))
    dst_len = rule.dst.network.prefixlen if rule.dst is not None else 0
    src_len = rule.src.network.prefixlen if rule.src is not None else 0
    if dst_len:
        attrs += _addr(FRA_DST, rule.dst.ip)
    if src_len:
        attrs += _addr(FRA_SRC, rule.src.ip)
    if v4 and rule.flow:
        # fib4_rule_fill(): the realms (rule4->tclassid) after the prefixes
        attrs += _u32(FRA_FLOW, rule.flow)
    head = struct.pack("<BBBBBBBBI", AF_INET if v4 else AF_INET6, dst_len, src_len,
                       rule.tos, rule.table if rule.table < 256 else 252, 0, 0,
                       int(rule.action), flags)
    body = head + attrs
    return struct.pack("<IHHII", NLMSG_HDRLEN + len(body), RTM_NEWRULE, NLM_F_MULTI,
                       seq & 0xFFFFFFFF, pid) + body


def rule_from_bytes(message: bytes):
    """A rule message read back as the request `ip rule restore` sends (RuleMsg);
    None when it is not an IPv4/IPv6 rule."""
    from ipemu.kernel.fib_rules import RuleMsg
    if len(message) < NLMSG_HDRLEN + 12:
        return None
    kind = struct.unpack_from("<H", message, 4)[0]
    family, dst_len, src_len, tos, table, _r1, _r2, action, flags = \
        struct.unpack_from("<BBBBBBBBI", message, NLMSG_HDRLEN)
    if kind != RTM_NEWRULE or family not in (AF_INET, AF_INET6):
        return None
    values = dict(_attrs(message[NLMSG_HDRLEN + 12:]))

    def u32(kind: int) -> int | None:
        raw = values.get(kind)
        return struct.unpack_from("<I", raw)[0] if raw is not None and len(raw) >= 4 else None

    def signed(value: int | None) -> int | None:
        return value - (1 << 32) if value is not None and value >> 31 else value

    def prefix(kind: int, length: int):
        raw = values.get(kind)
        if raw is None:
            return None
        return ipaddress.ip_interface((_ip(family, raw), length))

    def text(kind: int) -> str | None:
        raw = values.get(kind)
        return raw.split(b"\0")[0].decode(errors="replace") if raw is not None else None

    def ports(kind: int):
        raw = values.get(kind)
        return struct.unpack_from("<HH", raw) if raw is not None and len(raw) >= 4 else None
    uid = values.get(FRA_UID_RANGE)
    return RuleMsg(
        family=4 if family == AF_INET else 6, action=action,
        table=u32(FRA_TABLE) if FRA_TABLE in values else table,
        invert=bool(flags & FIB_RULE_INVERT), tos=tos,
        src=prefix(FRA_SRC, src_len), dst=prefix(FRA_DST, dst_len),
        priority=u32(FRA_PRIORITY), fwmark=u32(FRA_FWMARK), fwmask=u32(FRA_FWMASK),
        iifname=text(FRA_IIFNAME), oifname=text(FRA_OIFNAME),
        protocol=values[FRA_PROTOCOL][0] if values.get(FRA_PROTOCOL) else None,
        suppress_prefixlen=signed(u32(FRA_SUPPRESS_PREFIXLEN)),
        suppress_ifgroup=signed(u32(FRA_SUPPRESS_IFGROUP)), goto=u32(FRA_GOTO),
        uid_range=struct.unpack_from("<II", uid) if uid is not None and len(uid) >= 8
        else None,
        ip_proto=values[FRA_IP_PROTO][0] if values.get(FRA_IP_PROTO) else None,
        sport=ports(FRA_SPORT_RANGE), dport=ports(FRA_DPORT_RANGE),
        tun_id=struct.unpack_from(">Q", values[FRA_TUN_ID])[0]
        if len(values.get(FRA_TUN_ID, b"")) >= 8 else None,
        l3mdev=bool(values.get(FRA_L3MDEV, b"\0")[:1] != b"\0"),
        flow=u32(FRA_FLOW))
