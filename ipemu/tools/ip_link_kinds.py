"""The parse_opt() of the link kinds of issue 17 that ip_link.py hands on: vrf
(ip/iplink_vrf.c), bond (iplink_bond.c), ipvlan/ipvtap (iplink_ipvlan.c), gre/gretap
(link_gre.c) and ipip/sit (link_iptnl.c), iproute2 6.1. Each returns the
IFLA_INFO_DATA it builds, or raises what iproute2 prints."""
from __future__ import annotations

from ipemu.errors import CommandError
import ipaddress

from ipemu.kernel.requests import KindData, VrfData
from ipemu.render.names import table_a2n
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text
from ipemu.tools.ipargs import Args, get_unsigned, invarg, matches, parse_addr_1


def parse_vrf_options(ctx: ToolContext, argv: list[str], create: bool) -> VrfData:
    """vrf_parse_opt(): `table ID`; explain() goes to stderr and the command fails."""
    table = None
    args = Args(argv)
    while args:
        word = args.cur
        if matches(word, "table"):
            value = args.next_arg()
            table = table_a2n(value)
            if table is None:
                raise invarg("invalid table ID\n", value)
        elif matches(word, "help"):
            raise CommandError(usage_text("ip_link_vrf", ctx.profile), 1)
        else:
            raise CommandError(f'vrf: unknown option "{word}"?\n'
                               + usage_text("ip_link_vrf", ctx.profile), 1)
        args.advance()
    return VrfData(table)


# ip/iplink_bond.c's tables: option -> (names in index order, attribute)
BOND_TABLES = {
    "mode": ("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
             "balance-tlb", "balance-alb"),
    "arp_validate": ("none", "active", "backup", "all", "filter", "filter_active",
                     "filter_backup"),
    "arp_all_targets": ("any", "all"),
    "primary_reselect": ("always", "better", "failure"),
    "fail_over_mac": ("none", "active", "follow"),
    "xmit_hash_policy": ("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4",
                         "vlan+srcmac"),
    "lacp_rate": ("slow", "fast"),
    "lacp_active": ("off", "on"),
    "ad_select": ("stable", "bandwidth", "count"),
}
# numeric options: word -> (attribute, largest value)
BOND_NUMBERS = {
    "miimon": ("miimon", 0xFFFFFFFF), "updelay": ("updelay", 0xFFFFFFFF),
    "downdelay": ("downdelay", 0xFFFFFFFF),
    "peer_notify_delay": ("peer_notify_delay", 0xFFFFFFFF),
    "use_carrier": ("use_carrier", 0xFF), "arp_interval": ("arp_interval", 0xFFFFFFFF),
    "arp_missed_max": ("missed_max", 0xFF), "resend_igmp": ("resend_igmp", 0xFFFFFFFF),
    "all_slaves_active": ("all_slaves_active", 0xFF), "min_links": ("min_links", 0xFFFFFFFF),
    "lp_interval": ("lp_interval", 0xFFFFFFFF),
    "packets_per_slave": ("packets_per_slave", 0xFFFFFFFF),
    "ad_user_port_key": ("ad_user_port_key", 0xFFFF),
    "ad_actor_sys_prio": ("ad_actor_sys_prio", 0xFFFF),
    "tlb_dynamic_lb": ("tlb_dynamic_lb", 0xFF),
}
# bond_parse_opt()'s if-chain: (word, matches() or strcmp()), in its order
BOND_WORDS = (("mode", True), ("active_slave", True), ("clear_active_slave", True),
              ("miimon", True), ("updelay", True), ("downdelay", True),
              ("peer_notify_delay", True), ("use_carrier", True), ("arp_interval", True),
              ("arp_ip_target", True), ("ns_ip6_target", False), ("arp_validate", True),
              ("arp_all_targets", True), ("arp_missed_max", False), ("primary", True),
              ("primary_reselect", True), ("fail_over_mac", True),
              ("xmit_hash_policy", True), ("resend_igmp", True), ("num_grat_arp", True),
              ("num_unsol_na", True), ("all_slaves_active", True), ("min_links", True),
              ("lp_interval", True), ("packets_per_slave", True), ("lacp_rate", True),
              ("lacp_active", False), ("ad_select", True), ("ad_user_port_key", True),
              ("ad_actor_sys_prio", True), ("ad_actor_system", True),
              ("tlb_dynamic_lb", True), ("help", True))


def _bond_word(word: str) -> str | None:
    for name, prefix in BOND_WORDS:
        if (matches(word, name) if prefix else word == name):
            return name
    return None


def _get_index(table: tuple, text: str) -> int:
    """get_index(): a decimal index within the table, else a name (strcmp)."""
    if text.isdigit() and int(text) < len(table):
        return int(text)
    return table.index(text) if text in table else -1


def _get_addr32(text: str) -> ipaddress.IPv4Address:
    """get_addr32(): an IPv4 address or exit(1)."""
    pfx = parse_addr_1(text, 4)
    if pfx is None:
        raise CommandError(f'Error: an IP address is expected rather than "{text}"\n', 1)
    return pfx.address


def parse_bond_options(ctx: ToolContext, argv: list[str], create: bool) -> KindData:
    """bond_parse_opt(): the IFLA_BOND_* attributes in the order given; explain() on
    stderr for help and unknown words (exit 1), invarg() for bad values."""
    usage = usage_text("ip_link_bond", ctx.profile)
    attrs: list = []
    args = Args(argv)
    while args:
        word = args.cur
        name = _bond_word(word)
        if name in BOND_TABLES:
            value = args.next_arg()
            index = _get_index(BOND_TABLES[name], value)
            if index < 0:
                raise invarg(f"invalid {name}", value)
            attrs.append((name, index))
        elif name in ("active_slave", "primary"):
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None:
                raise CommandError(f'Cannot find device "{value}"\n', 1)    # nodev()
            attrs.append((name, dev.ifindex))
        elif name == "clear_active_slave":
            attrs.append(("active_slave", 0))
        elif name in BOND_NUMBERS:
            attr, top = BOND_NUMBERS[name]
            value = args.next_arg()
            number = get_unsigned(value)
            if number is None or number > top:
                raise invarg(f"invalid {name}", value)
            attrs.append((attr, number))
        elif name in ("num_grat_arp", "num_unsol_na"):
            value = args.next_arg()
            number = get_unsigned(value)
            if number is None or number > 0xFF:
                raise invarg("invalid num_grat_arp|num_unsol_na", value)
            attrs.append(("num_peer_notif", number))
        elif name == "arp_ip_target":
            targets: list = []
            if args.i + 1 < len(args.argv):
                value = args.next_arg()
                targets = [_get_addr32(t) for t in value.split(",") if t][:16]
            attrs.append(("arp_ip_target", tuple(targets)))
        elif name == "ns_ip6_target":
            targets = []
            if args.i + 1 < len(args.argv):
                value = args.next_arg()
                targets = [ipaddress.IPv6Address(t) for t in value.split(",") if t][:16]
            attrs.append(("ns_ip6_target", tuple(targets)))
        elif name == "ad_actor_system":
            from ipemu.tools.ip_link import ll_addr
            attrs.append(("ad_actor_system", ll_addr(args.next_arg())))
        elif name == "help":
            raise CommandError(usage, 1)
        else:
            raise CommandError(f'bond: unknown command "{word}"?\n' + usage, 1)
        args.advance()
    return KindData(tuple(attrs))


# the kinds parsed here: kind -> parse_opt(ctx, argv, create)
KIND_PARSERS = {
    "vrf": parse_vrf_options,
    "bond": parse_bond_options,
}
