"""DHCPv6 as tcpdump 4.99.3 prints it (print-dhcp6.c dhcp6_print(), dhcp6opt_print()):
the message type, and under -v the transaction id and every option."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, Truncated
from ipemu.tcpdump.util import nd_printjnp

MSGTYPES = {1: "solicit", 2: "advertise", 3: "request", 4: "confirm", 5: "renew",
            6: "rebind", 7: "reply", 8: "release", 9: "decline", 10: "reconfigure",
            11: "inf-req", 12: "relay-fwd", 13: "relay-reply", 14: "leasequery",
            15: "leasequery-reply"}
OPTS = {1: "client-ID", 2: "server-ID", 3: "IA_NA", 4: "IA_TA", 5: "IA_ADDR",
        6: "option-request", 7: "preference", 8: "elapsed-time", 9: "relay-message",
        11: "authentication", 12: "server-unicast", 13: "status-code", 14: "rapid-commit",
        15: "user-class", 16: "vendor-class", 17: "vendor-specific-info",
        18: "interface-ID", 19: "reconfigure-message", 20: "reconfigure-accept",
        21: "SIP-servers-domain", 22: "SIP-servers-address", 23: "DNS-server",
        24: "DNS-search-list", 25: "IA_PD", 26: "IA_PD-prefix", 31: "SNTP-servers",
        32: "lifetime", 27: "NIS-server", 28: "NIS+-server", 29: "NIS-domain-name",
        30: "NIS+-domain-name", 33: "BCMCS-domain-name", 34: "BCMCS-server",
        36: "Geoconf-Civic", 37: "Remote-ID", 38: "Subscriber-ID", 39: "Client-FQDN",
        40: "PANA-agent", 41: "POSIX-timezone", 42: "POSIX-tz-database",
        43: "Echo-request-option", 44: "Lease-query", 45: "LQ-client-data", 46: "Clt-time",
        47: "LQ-relay-data", 48: "LQ-client-link", 56: "NTP-server", 64: "AFTR-Name",
        112: "MUD-URL"}
STCODES = {0: "Success", 1: "UnspecFail", 2: "NoAddrsAvail", 3: "NoBinding", 4: "NotOnLink",
           5: "UseMulticast", 6: "NoPrefixAvail", 7: "UnknownQueryType", 8: "MalformedQuery",
           9: "NotConfigured", 10: "NotAllowed"}
ADDRESS_LISTS = (22, 23, 31, 27, 28, 34, 40, 48)


class _Trunc(Exception):
    """dhcp6opt_print()'s `goto trunc`."""


def _opt(code: int) -> str:
    return OPTS.get(code, f"opt_{code}")


def _hex(d: Dissector, p: int, start: int, end: int) -> str:
    return "".join(f"{d.u8(p + i):02x}" for i in range(start, end))


def dhcp6opt_print(d: Dissector, cp: int, ep: int) -> None:
    """dhcp6opt_print(): each option in ` (name ...)`."""
    try:
        while cp < ep:
            if ep < cp + 4 or not d.ttest(cp, 4):
                raise _Trunc
            optlen = d.u16(cp + 2)
            if ep < cp + 4 + optlen:
                raise _Trunc
            opttype = d.u16(cp)
            d.p(f" ({_opt(opttype)}")
            if not d.ttest(cp + 4, optlen):
                raise _Trunc
            _option(d, opttype, cp + 4, optlen, cp)
            cp += 4 + optlen
    except _Trunc:
        d.nd_print_trunc()


def _option(d: Dissector, opttype: int, tp: int, optlen: int, cp: int) -> None:
    from ipemu.tcpdump.dns import fqdn_print
    end = tp + optlen
    if opttype in (1, 2):
        if optlen < 2:
            d.p(" ?)")
            return
        duid = d.u16(tp)
        if duid == 1:
            if optlen >= 8:
                d.p(f" hwaddr/time type {d.u16(tp + 2)} time {d.u32(tp + 4)} "
                    f"{_hex(d, tp, 8, optlen)})")
            else:
                d.p(" ?)")
        elif duid == 2:
            d.p(f" vid {_hex(d, tp, 2, 10)})" if optlen >= 10 else " ?)")
        elif duid == 3:
            d.p(f" hwaddr type {d.u16(tp + 2)} {_hex(d, tp, 4, optlen)})" if optlen >= 4
                else " ?)")
        else:
            d.p(f" type {duid})")
    elif opttype == 5:
        if optlen < 24:
            d.p(" ?)")
            return
        d.p(f" {d.ip6addr_string(tp)} pltime:{d.u32(tp + 16)} vltime:{d.u32(tp + 20)}")
        if optlen > 24:
            dhcp6opt_print(d, tp + 24, end)
        d.p(")")
    elif opttype in (6, 43):
        if optlen % 2:
            d.p(" ?)")
            return
        for i in range(0, optlen, 2):
            d.p(" " + _opt(d.u16(tp + i)))
        d.p(")")
    elif opttype == 7:
        d.p(f" {d.u8(tp)})" if optlen == 1 else " ?)")
    elif opttype == 8:
        d.p(f" {d.u16(tp)})" if optlen == 2 else " ?)")
    elif opttype == 9:
        d.p(" (")
        d.push_snaplen(tp, optlen)
        try:
            dhcp6_print(d, tp, optlen)
        finally:
            d.pop_snaplen()
        d.p(")")
    elif opttype == 11:
        _auth(d, tp, optlen)
    elif opttype in (14, 20):
        d.p(")")
    elif opttype in (18, 38):
        d.p(f" {_hex(d, tp, 0, min(optlen, 10))}...)")
    elif opttype == 19:
        if optlen != 1:
            d.p(" ?)")
            return
        kind = d.u8(tp)
        d.p({5: " for renew)", 11: " for inf-req)"}.get(kind, f" for ???({kind:02x}))"))
    elif opttype in ADDRESS_LISTS:
        if optlen % 16:
            d.p(" ?)")
            return
        for i in range(0, optlen, 16):
            d.p(" " + d.ip6addr_string(tp + i))
        d.p(")")
    elif opttype in (21, 24):
        while tp < end:
            d.p(" ")
            tp = fqdn_print(d, tp, end)
            if tp is None:
                raise _Trunc
        d.p(")")
    elif opttype == 13:
        if optlen < 2:
            d.p(" ?)")
            return
        code = d.u16(tp)
        d.p(" " + ("INVALID code" if code > 255 else STCODES.get(code, f"code{code}")) + ")")
    elif opttype in (3, 25):
        if optlen < 12:
            d.p(" ?)")
            return
        d.p(f" IAID:{d.u32(tp)} T1:{d.u32(tp + 4)} T2:{d.u32(tp + 8)}")
        if optlen > 12:
            dhcp6opt_print(d, tp + 12, end)
        d.p(")")
    elif opttype == 4:
        if optlen < 4:
            d.p(" ?)")
            return
        d.p(f" IAID:{d.u32(tp)}")
        if optlen > 4:
            dhcp6opt_print(d, tp + 4, end)
        d.p(")")
    elif opttype == 26:
        if optlen < 25:
            d.p(" ?)")
            return
        d.p(f" {d.ip6addr_string(tp + 9)}/{d.u8(tp + 8)}")
        d.p(f" pltime:{d.u32(tp)} vltime:{d.u32(tp + 4)}")
        if optlen > 25:
            dhcp6opt_print(d, tp + 25, end)
        d.p(")")
    elif opttype in (32, 46):
        d.p(f" {d.u32(tp)})" if optlen == 4 else " ?)")
    elif opttype == 37:
        if optlen < 4:
            d.p(" ?)")
            return
        d.p(f" {d.u32(tp)} {_hex(d, tp, 4, min(optlen, 14))}...)")
    elif opttype == 44:
        if optlen < 17:
            d.p(" ?)")
            return
        qtype = d.u8(tp)
        d.p({1: " by-address", 2: " by-clientID"}.get(qtype, f" type_{qtype}"))
        d.p(" " + d.ip6addr_string(tp + 1))
        if optlen > 17:
            dhcp6opt_print(d, tp + 17, end)
        d.p(")")
    elif opttype == 45:
        if optlen > 0:
            dhcp6opt_print(d, tp, end)
        d.p(")")
    elif opttype == 47:
        if optlen < 16:
            d.p(" ?)")
            return
        d.p(f" {d.ip6addr_string(tp)} {_hex(d, tp, 16, min(optlen, 26))}...)")
    elif opttype == 56:
        _ntp_server(d, tp, optlen, end)
    elif opttype == 64:
        _aftr_name(d, tp, optlen)
    elif opttype in (41, 42, 112):
        if optlen < 5:
            d.p(" ?)")
            return
        d.p(" ")
        nd_printjnp(d, tp, optlen)
        d.p(")")
    else:
        d.p(")")


def _auth(d: Dissector, tp: int, optlen: int) -> None:
    if optlen < 11:
        d.p(" ?)")
        return
    proto, alg, rdm = d.u8(tp), d.u8(tp + 1), d.u8(tp + 2)
    d.p({2: " proto: delayed", 3: " proto: reconfigure"}.get(proto, f" proto: {proto}"))
    d.p(", alg: HMAC-MD5" if alg == 1 else f", alg: {alg}")
    d.p(", RDM: mono" if rdm == 0 else f", RDM: {rdm}")
    tp += 3
    d.p(", RD:")
    for _ in range(4):
        d.p(f" {d.u16(tp):04x}")
        tp += 2
    infolen = optlen - 11
    if proto == 2:
        if infolen:
            if infolen < 20:
                d.p(" ??")
            else:
                realmlen = infolen - 20
                if realmlen > 0:
                    d.p(", realm: ")
                for _ in range(realmlen):
                    d.p(f"{d.u8(tp):02x}")
                    tp += 1
                d.p(f", key ID: {d.u32(tp):08x}")
                tp += 4
                d.p(", HMAC-MD5:")
                for _ in range(4):
                    d.p(f" {d.u32(tp):08x}")
                    tp += 4
    elif proto == 3:
        if infolen != 17:
            d.p(" ??")
        else:
            kind = d.u8(tp)
            d.p({1: " reconfig-key", 2: " type: HMAC-MD5"}.get(kind, " type: ??"))
            tp += 1
            d.p(" value:")
            for _ in range(4):
                d.p(f" {d.u32(tp):08x}")
                tp += 4
    else:
        d.p(" ??")
    d.p(")")


def _ntp_server(d: Dissector, tp: int, optlen: int, end: int) -> None:
    from ipemu.tcpdump.dns import fqdn_print
    if optlen < 4:
        d.p(" ?)")
        return
    while tp < end - 4:
        code, sublen = d.u16(tp), d.u16(tp + 2)
        tp += 4
        if tp + sublen > end:
            raise _Trunc
        d.p(f" subopt:{code}")
        if code in (1, 2):
            d.p(f" {d.ip6addr_string(tp)}" if sublen == 16 else " ?")
        elif code == 3:
            d.p(" ")
            if fqdn_print(d, tp, tp + sublen) is None:
                raise _Trunc
        else:
            d.p(" ?")
        tp += sublen
    d.p(")")


def _aftr_name(d: Dissector, tp: int, optlen: int) -> None:
    if optlen < 3:
        d.p(" ?)")
        return
    remain = optlen
    d.p(" ")
    while remain and d.u8(tp):
        label_len = d.u8(tp)
        tp += 1
        if label_len < remain - 1:
            nd_printjnp(d, tp, label_len)
            tp += label_len
            remain -= label_len + 1
            if d.u8(tp):
                d.p(".")
        else:
            d.p(" ?")
            break
    d.p(")")


def dhcp6_print(d: Dissector, cp: int, length: int) -> None:
    """dhcp6_print(): `dhcp6 TYPE`, under -v `(xid=... options)` or a relay's addresses."""
    d.protocol = "dhcp6"
    d.p("dhcp6")
    ep = min(d.snapend, cp + length)
    if not d.ttest(cp, 4):
        d.nd_print_trunc()
        return
    msgtype = d.u8(cp)
    name = MSGTYPES.get(msgtype, f"msgtype-{msgtype}")
    if not d.opts.vflag:
        d.p(f" {name}")
        return
    d.p(f" {name} (")
    if msgtype not in (12, 13):
        d.p(f"xid={d.u32(cp) & 0xFFFFFF:x}")
        dhcp6opt_print(d, cp + 4, ep)
    else:
        try:
            d.p(f"linkaddr={d.ip6addr_string(cp + 2)}")
            d.p(f" peeraddr={d.ip6addr_string(cp + 18)}")
        except Truncated:
            d.nd_print_trunc()
            return
        dhcp6opt_print(d, cp + 34, ep)
    d.p(")")
