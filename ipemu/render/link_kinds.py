"""`ip -d link` details of the kinds of issue 17 (vrf, bond, ipvlan, gre/gretap,
ipip/sit): each kind's print_opt() and slave print_opt() of iproute2 6.1, text and
JSON from the same calls."""
from __future__ import annotations

from ipemu.kernel.records import BondInfo, BondSlaveInfo, IpvlanInfo, TunnelInfo, VrfInfo
from ipemu.render.printer import Printer

# ip/iplink_bond.c's name tables (get_name(): "UNKNOWN" past their end)
BOND_MODES = ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
              "balance-tlb", "balance-alb")
ARP_VALIDATE = ("none", "active", "backup", "all", "filter", "filter_active",
                "filter_backup")
ARP_ALL_TARGETS = ("any", "all")
PRIMARY_RESELECT = ("always", "better", "failure")
FAIL_OVER_MAC = ("none", "active", "follow")
XMIT_HASH_POLICY = ("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac")
LACP_ACTIVE = ("off", "on")
LACP_RATE = ("slow", "fast")
AD_SELECT = ("stable", "bandwidth", "count")
SLAVE_STATES = ("ACTIVE", "BACKUP")
MII_STATUS = ("UP", "GOING_DOWN", "DOWN", "GOING_BACK")


def _name(table: tuple, index: int) -> str:
    return table[index] if 0 <= index < len(table) else "UNKNOWN"


def print_kind_opts(p: Printer, info, cache) -> bool:
    """The kind's print_opt() for these records; False when the record is not one."""
    if isinstance(info, VrfInfo):
        p.any("table", "table %u ", info.table)        # vrf_print_opt()
        return True
    if isinstance(info, BondInfo):
        print_bond_opts(p, info, cache)
        return True
    if isinstance(info, IpvlanInfo):
        # ipvlan_print_opt(): " mode %s " then one flag
        p.any("mode", " mode %s ", {0: "l2", 1: "l3", 2: "l3s"}.get(info.mode, "unknown"))
        flag = "private" if info.flags & 1 else "vepa" if info.flags & 2 else "bridge"
        p.any(flag, flag + " ", True)
        return True
    if isinstance(info, TunnelInfo):
        if info.kind in ("ipip", "sit"):
            print_iptnl_opts(p, info, cache)
        else:
            print_gre_opts(p, info, cache)
        return True
    return False


def _endpoint(p: Printer, name: str, addr) -> None:
    """tnl_print_endpoint(): the address, or "any"."""
    value = "any" if addr is None or addr.is_unspecified else str(addr)
    if p.is_json:
        p.js(name, value)
    else:
        p.fp("%s %s ", name, value)


def _ttl_tos(p: Printer, info: TunnelInfo) -> None:
    if p.is_json or info.ttl:
        p.any("ttl", "ttl %u ", info.ttl)
    else:
        p.fp("ttl %s ", "inherit")
    if info.tos:
        if p.is_json or info.tos != 1:
            p.any("tos", "tos %s ", hex(info.tos))
        else:
            p.fp("tos %s ", "inherit")


def _encap(p: Printer, info: TunnelInfo) -> None:
    """tnl_print_encap(): nothing for TUNNEL_ENCAP_NONE."""
    kind, flags, sport, dport = info.encap
    if not kind:
        return
    p.open_object("encap")
    p.fp("encap ")
    p.any("type", "%s ", {1: "fou", 2: "gue"}.get(kind, "unknown"))
    if p.is_json:
        p.js("sport", sport)
        p.js("dport", dport)
        p.js("csum", bool(flags & 1))
        p.js("csum6", bool(flags & 2))
        p.js("remcsum", bool(flags & 4))
    else:
        p.fp("encap-sport %s ", str(sport) if sport else "auto")
        p.fp("encap-dport %d ", dport)
        for bit, word in ((1, "encap-csum"), (2, "encap-csum6"), (4, "encap-remcsum")):
            p.fp("%s%s ", "" if flags & bit else "no", word)
    p.close_object()


def print_gre_opts(p: Printer, info: TunnelInfo, cache) -> None:
    """gre_print_opt() of iproute2 6.1's ip/link_gre.c (gre, gretap, erspan)."""
    import ipaddress        # here: a link without a tunnel prints no address
    if info.collect_md:
        p.any("external", "external ", True)
    _endpoint(p, "remote", info.remote)
    _endpoint(p, "local", info.local)
    if info.link:
        p.any("link", "dev %s ", cache.name(info.link))
    _ttl_tos(p, info)
    if not info.pmtudisc:
        p.any("pmtudisc", "nopmtudisc ", False)
    elif p.is_json:
        p.js("pmtudisc", True)
    if info.ignore_df:
        p.any("ignore_df", "ignore-df ", True)
    if info.iflags & 0x2000:
        p.any("ikey", "ikey %s ", str(ipaddress.IPv4Address(info.ikey)))
    if info.oflags & 0x2000:
        p.any("okey", "okey %s ", str(ipaddress.IPv4Address(info.okey)))
    for flags, bit, word in ((info.iflags, 0x1000, "iseq"), (info.oflags, 0x1000, "oseq"),
                             (info.iflags, 0x8000, "icsum"), (info.oflags, 0x8000, "ocsum")):
        if flags & bit:
            p.any(word, word + " ", True)
    if info.fwmark:
        p.any("fwmark", "fwmark %s ", hex(info.fwmark))
    if info.erspan_index is not None:
        p.any("erspan_index", "erspan_index %u ", info.erspan_index)
    if info.erspan_ver is not None:
        p.any("erspan_ver", "erspan_ver %u ", info.erspan_ver)
    if info.erspan_dir is not None:
        p.any("erspan_dir", "erspan_dir %s ", "egress" if info.erspan_dir else "ingress")
    if info.erspan_hwid is not None:
        p.any("erspan_hwid", "erspan_hwid %s ", hex(info.erspan_hwid))
    _encap(p, info)


IPTNL_PROTOS = {4: "ipip", 41: "ip6ip", 137: "mplsip", 0: "any"}


def print_iptnl_opts(p: Printer, info: TunnelInfo, cache) -> None:
    """iptunnel_print_opt() of iproute2 6.1's ip/link_iptnl.c (ipip, sit)."""
    import ipaddress
    if info.collect_md:
        p.any("external", "external ", True)
    if info.protocol in IPTNL_PROTOS:
        p.any("proto", "%s ", IPTNL_PROTOS[info.protocol])
    _endpoint(p, "remote", info.remote)
    _endpoint(p, "local", info.local)
    if info.link:
        p.any("link", "dev %s ", cache.name(info.link))
    _ttl_tos(p, info)
    if info.pmtudisc:
        p.any("pmtudisc", "pmtudisc ", True)
    else:
        p.any("pmtudisc", "nopmtudisc ", False)
    if info.isatap:
        p.any("isatap", "isatap ", True)
    if info.ip6rd and info.ip6rd[1]:
        prefix, plen, relay, rlen = info.ip6rd
        if p.is_json:
            p.js("prefix", str(prefix))
            p.js("prefixlen", plen)
            if relay:
                p.js("relay_prefix", str(ipaddress.IPv4Address(relay)))
                p.js("relay_prefixlen", rlen)
        else:
            p.fp("6rd-prefix %s/%u ", str(prefix), plen)
            if relay:
                p.fp("6rd-relay_prefix %s/%u ", str(ipaddress.IPv4Address(relay)), rlen)
    if info.fwmark:
        p.any("fwmark", "fwmark %s ", hex(info.fwmark))
    _encap(p, info)


def print_bond_opts(p: Printer, info: BondInfo, cache) -> None:
    """bond_print_opt() of iproute2 6.1's ip/iplink_bond.c, in its order."""
    a = dict(info.attrs)
    p.any("mode", "mode %s ", _name(BOND_MODES, a["mode"]))
    if a.get("active_slave"):
        p.any("active_slave", "active_slave %s ", cache.name(a["active_slave"]))
    for key in ("miimon", "updelay", "downdelay", "peer_notify_delay", "use_carrier",
                "arp_interval"):
        p.any(key, key + " %u ", a[key])
    p.any("arp_missed_max", "arp_missed_max %u ", a["missed_max"])
    for key, text in (("arp_ip_target", "arp_ip_target "), ("ns_ip6_target", "ns_ip6_target ")):
        if a.get(key):
            p.open_array(key)
            p.fp(text)
            p.fp(",".join(str(t) for t in a[key]))
            if p.is_json:
                for target in a[key]:
                    p.any(None, "%s", str(target))
            p.fp(" ")
            p.close_array()
    if not a["arp_validate"] and p.is_json:
        p.js("arp_validate", None)
    else:
        p.any("arp_validate", "arp_validate %s ", _name(ARP_VALIDATE, a["arp_validate"]))
    p.any("arp_all_targets", "arp_all_targets %s ", _name(ARP_ALL_TARGETS,
                                                           a["arp_all_targets"]))
    if a.get("primary"):
        p.any("primary", "primary %s ", cache.name(a["primary"]))
    p.any("primary_reselect", "primary_reselect %s ",
          _name(PRIMARY_RESELECT, a["primary_reselect"]))
    p.any("fail_over_mac", "fail_over_mac %s ", _name(FAIL_OVER_MAC, a["fail_over_mac"]))
    p.any("xmit_hash_policy", "xmit_hash_policy %s ",
          _name(XMIT_HASH_POLICY, a["xmit_hash_policy"]))
    p.any("resend_igmp", "resend_igmp %u ", a["resend_igmp"])
    p.any("num_peer_notif", "num_grat_arp %u ", a["num_peer_notif"])
    for key in ("all_slaves_active", "min_links", "lp_interval", "packets_per_slave"):
        p.any(key, key + " %u ", a[key])
    p.any("ad_lacp_active", "lacp_active %s ", _name(LACP_ACTIVE, a["lacp_active"]))
    p.any("ad_lacp_rate", "lacp_rate %s ", _name(LACP_RATE, a["lacp_rate"]))
    p.any("ad_select", "ad_select %s ", _name(AD_SELECT, a["ad_select"]))
    if "ad_actor_sys_prio" in a:
        p.any("ad_actor_sys_prio", "ad_actor_sys_prio %u ", a["ad_actor_sys_prio"])
        p.any("ad_user_port_key", "ad_user_port_key %u ", a["ad_user_port_key"])
        p.any("ad_actor_system", "ad_actor_system %s ",
              ":".join(f"{b:02x}" for b in a["ad_actor_system"]))
    p.any("tlb_dynamic_lb", "tlb_dynamic_lb %u ", a["tlb_dynamic_lb"])


def print_slave_opts(p: Printer, info, cache) -> bool:
    """The master kind's slave print_opt(); False when the record is not one."""
    if isinstance(info, VrfInfo):
        p.any("table", "table %u ", info.table)        # vrf_slave_print_opt()
        return True
    if isinstance(info, BondSlaveInfo):
        # bond_slave_print_opt() of ip/iplink_bond_slave.c
        p.any("state", "state %s ", _name(SLAVE_STATES, info.state))
        p.any("mii_status", "mii_status %s ", _name(MII_STATUS, info.mii_status))
        p.any("link_failure_count", "link_failure_count %d ", info.link_failure_count)
        p.any("perm_hwaddr", "perm_hwaddr %s ", ":".join(f"{b:02x}" for b in info.perm_hwaddr))
        p.any("queue_id", "queue_id %d ", info.queue_id)
        p.any("prio", "prio %d ", info.prio)
        return True
    return False
