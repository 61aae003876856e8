"""The parse_opt() of the link kinds of issue 17 that ip_link.py hands on: vrf
(ip/iplink_vrf.c), bond (iplink_bond.c), ipvlan/ipvtap (iplink_ipvlan.c), gre/gretap
(link_gre.c) and ipip/sit (link_iptnl.c), iproute2 6.1. Each returns the
IFLA_INFO_DATA it builds, or raises what iproute2 prints. The words come from
grammar/ip.lark (vrf_opt, bond_opt, gre_opt, erspan_opt, ipip_opt, sit_opt,
ipvlan_opt): each loop dispatches on the keyword the grammar resolved a word to, in
iproute2's order there; a word the grammar did not take has none and is refused."""
from __future__ import annotations

from ipemu.errors import CommandError
import ipaddress

from ipemu.kernel.requests import KindData, VrfData
from ipemu.render.names import table_a2n
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import usage_text
from ipemu.tools.ipargs import Args, get_prefix, get_unsigned, invarg, matches, parse_addr_1


def parse_vrf_options(ctx: ToolContext, argv: list[str], create: bool) -> VrfData:
    """vrf_parse_opt(): `table ID`; explain() goes to stderr and the command fails."""
    table = None
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark vrf_opt
        if kw == "table":
            value = args.next_arg()
            table = table_a2n(value)
            if table is None:
                raise invarg("invalid table ID\n", value)
        elif kw == "help":
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
        name = keyword(word)        # grammar/ip.lark bond_opt
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
                from ipemu.tools.ipargs import get_addr
                targets = [get_addr(t, 6).address for t in value.split(",") if t][:16]
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


def _get_uint(text: str, top: int) -> int | None:
    value = get_unsigned(text)
    return value if value is not None and value <= top else None


def _tnl_key(name: str, text: str) -> int:
    """tnl_parse_key(): a dotted quad or an unsigned number."""
    if "." in text:
        return int(_get_addr32(text))
    value = get_unsigned(text)
    if value is None:
        raise CommandError(f'invalid value for "{name}": "{text}"; it should be an '
                           'unsigned integer\n', 255)
    return value


def _tos(text: str) -> int:
    """rtnl_dsfield_a2n() as the tunnels use it: inherit is 1."""
    from ipemu.tools.ip_rule import DSFIELD
    if text == "inherit":
        return 1
    for value, name in DSFIELD.items():
        if name.lower() == text.lower():
            return value
    value = get_unsigned(text if text.lower().startswith("0x") else "0x" + text)
    if value is None or value > 255:
        raise invarg("bad TOS value", text)
    return value


def _ttl(text: str) -> int:
    if text == "inherit":
        return 0
    value = _get_uint(text, 255)
    if value is None:
        raise invarg("invalid TTL\n", text)
    return value


def _tnl_addr(text: str):
    """get_addr(AF_INET): "any" is the unspecified address."""
    from ipemu.tools.ipargs import get_addr
    if text == "any":
        return None
    return get_addr(text, 4).address


# TUNNEL_ENCAP_FLAG_*: the [no]encap-* words set or clear them
ENCAP_FLAGS = {"encap-csum": 1, "encap-udp6-csum": 2, "encap-remcsum": 4}


def _encap_option(word: str | None, args: Args, state: dict) -> bool:
    """The encap words gre_parse_opt() and iptunnel_parse_opt() share (`word` the
    keyword of grammar/ip.lark tnl_encap_opt)."""
    if word == "noencap":
        state["encap_type"] = 0
    elif word == "encap":
        value = args.next_arg()
        if value not in ("fou", "gue", "none"):
            raise invarg("Invalid encap type.", value)
        state["encap_type"] = {"none": 0, "fou": 1, "gue": 2}[value]
    elif word == "encap-sport":
        value = args.next_arg()
        port = 0 if value == "auto" else _get_uint(value, 0xFFFF)
        if port is None:
            raise invarg("Invalid source port.", value)
        state["encap_sport"] = port
    elif word == "encap-dport":
        value = args.next_arg()
        port = _get_uint(value, 0xFFFF)
        if port is None:
            raise invarg("Invalid destination port.", value)
        state["encap_dport"] = port
    elif (word or "").removeprefix("no") in ENCAP_FLAGS:
        bit = ENCAP_FLAGS[word.removeprefix("no")]
        on = not word.startswith("no")
        state["encap_flags"] = (state["encap_flags"] | bit) if on else \
            (state["encap_flags"] & ~bit)
    else:
        return False
    return True


def _existing_tunnel(ctx: ToolContext, create: bool, name: str | None):
    """parse_opt() for `set`: RTM_GETLINK first, the device's parameters the start."""
    if create or name is None:
        return None
    dev = ctx.netns.by_name(name)
    if dev is None or dev.tnl is None:
        raise CommandError("Failed to get existing tunnel info.\n", 1)
    return dev.tnl


GRE_FLAG_WORDS = {   # word -> (input bits, output bits, set)
    "seq": (0x1000, 0x1000, True), "noseq": (0x1000, 0x1000, False),
    "iseq": (0x1000, 0, True), "noiseq": (0x1000, 0, False),
    "oseq": (0, 0x1000, True), "nooseq": (0, 0x1000, False),
    "csum": (0x8000, 0x8000, True), "nocsum": (0x8000, 0x8000, False),
    "icsum": (0x8000, 0, True), "noicsum": (0x8000, 0, False),
    "ocsum": (0, 0x8000, True), "noocsum": (0, 0x8000, False),
}

def parse_gre_options(ctx: ToolContext, argv: list[str], create: bool,
                      kind: str = "gre", name: str | None = None) -> KindData:
    """gre_parse_opt() (ip/link_gre.c) for gre, gretap and erspan: its words in its
    order (matches() for the GRE ones), print_help() on stderr for any other."""
    old = _existing_tunnel(ctx, create, name)
    st = {"iflags": 0, "oflags": 0, "ikey": 0, "okey": 0, "local": None, "remote": None,
          "pmtudisc": 1, "ignore_df": 0, "tos": 0, "ttl": 0, "link": 0, "encap_type": 0,
          "encap_flags": 0, "encap_sport": 0, "encap_dport": 0, "metadata": False,
          "fwmark": 0, "erspan_index": 0, "erspan_ver": 1, "erspan_dir": 0,
          "erspan_hwid": 0}
    if old is not None:
        st.update(iflags=old.i_flags, oflags=old.o_flags, ikey=old.i_key, okey=old.o_key,
                  local=old.local, remote=old.remote, pmtudisc=int(old.pmtudisc),
                  ignore_df=int(old.ignore_df), tos=old.tos, ttl=old.ttl, link=old.link,
                  fwmark=old.fwmark, metadata=old.collect_md, erspan_ver=old.erspan_ver,
                  erspan_index=old.erspan_index, erspan_dir=old.erspan_dir,
                  erspan_hwid=old.erspan_hwid)
        st["encap_type"], st["encap_flags"], st["encap_sport"], st["encap_dport"] = old.encap
    erspan = kind == "erspan"
    args = Args(argv)
    while args:
        word = args.cur
        gre_word = keyword(word)    # grammar/ip.lark gre_opt, erspan_opt
        if gre_word in ("key", "ikey", "okey"):
            key = _tnl_key(gre_word, args.next_arg())
            if gre_word != "okey":
                st["iflags"] |= 0x2000
                st["ikey"] = key
            if gre_word != "ikey":
                st["oflags"] |= 0x2000
                st["okey"] = key
        elif gre_word in ("nokey", "noikey", "nookey"):
            if gre_word != "nookey":
                st["iflags"] &= ~0x2000
                st["ikey"] = 0
            if gre_word != "noikey":
                st["oflags"] &= ~0x2000
                st["okey"] = 0
        elif gre_word in GRE_FLAG_WORDS:
            ibits, obits, on = GRE_FLAG_WORDS[gre_word]
            for key, bits in (("iflags", ibits), ("oflags", obits)):
                st[key] = st[key] | bits if on else st[key] & ~bits
        elif gre_word in ("nopmtudisc", "pmtudisc"):
            st["pmtudisc"] = int(gre_word == "pmtudisc")
        elif gre_word in ("remote", "local"):
            st[gre_word] = _tnl_addr(args.next_arg())
        elif gre_word == "dev":
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None:      # exit(nodev()): -1
                raise CommandError(f'Cannot find device "{value}"\n', 255)
            st["link"] = dev.ifindex
        elif gre_word in ("ttl", "hoplimit", "hlim"):
            st["ttl"] = _ttl(args.next_arg())
        elif gre_word in ("tos", "tclass", "dsfield"):
            st["tos"] = _tos(args.next_arg())
        elif _encap_option(gre_word, args, st):
            pass
        elif gre_word == "external":
            st["metadata"] = True
        elif gre_word in ("ignore-df", "noignore-df"):
            st["ignore_df"] = 1 if gre_word == "ignore-df" else 2
        elif gre_word == "fwmark":
            value = args.next_arg()
            mark = get_unsigned(value)
            if mark is None:
                raise invarg("invalid fwmark\n", value)
            st["fwmark"] = mark
        elif erspan and gre_word == "erspan":
            value = args.next_arg()
            index = get_unsigned(value)
            if index is None:
                raise invarg("invalid erspan index\n", value)
            if index & ~((1 << 20) - 1) or index == 0:
                raise invarg("erspan index must be > 0 and <= 20-bit\n", value)
            st["erspan_index"] = index
        elif erspan and gre_word == "erspan_ver":
            value = args.next_arg()
            ver = _get_uint(value, 255)
            if ver is None:
                raise invarg("invalid erspan version\n", value)
            if ver > 2:
                raise invarg("erspan version must be 0/1/2\n", value)
            st["erspan_ver"] = ver
        elif erspan and gre_word == "erspan_dir":
            value = args.next_arg()
            if keyword(value) == "ingress":       # grammar/ip.lark erspan_dir
                st["erspan_dir"] = 0
            elif keyword(value) == "egress":
                st["erspan_dir"] = 1
            else:
                raise invarg("Invalid erspan direction.", value)
        elif erspan and gre_word == "erspan_hwid":
            value = args.next_arg()
            hwid = _get_uint(value, 0xFFFF)
            if hwid is None:
                raise invarg("invalid erspan hwid\n", value)
            st["erspan_hwid"] = hwid
        else:
            raise CommandError(usage_text(f"ip_link_{kind}", ctx.profile), 1)
        args.advance()
    remote = st["remote"]
    if remote is not None and remote.is_multicast:
        if not st["ikey"]:
            st["ikey"], st["iflags"] = int(remote) >> 24, st["iflags"] | 0x2000
        if not st["okey"]:
            st["okey"], st["oflags"] = int(remote) >> 24, st["oflags"] | 0x2000
        if st["local"] is None:
            raise CommandError("A broadcast tunnel requires a source address.\n", 1)
    if st["metadata"]:
        return KindData((("collect_md", True),))
    attrs = [("ikey", st["ikey"]), ("okey", st["okey"]), ("iflags", st["iflags"]),
             ("oflags", st["oflags"])]
    if st["local"] is not None:
        attrs.append(("local", st["local"]))
    if st["remote"] is not None:
        attrs.append(("remote", st["remote"]))
    attrs.append(("pmtudisc", st["pmtudisc"]))
    if st["ignore_df"]:
        attrs.append(("ignore_df", st["ignore_df"] & 1))
    attrs.append(("tos", st["tos"]))
    if st["link"]:
        attrs.append(("link", st["link"]))
    attrs += [("ttl", st["ttl"]), ("fwmark", st["fwmark"])]
    if erspan:
        attrs.append(("erspan_ver", st["erspan_ver"]))
        if st["erspan_ver"] == 1 and st["erspan_index"]:
            attrs.append(("erspan_index", st["erspan_index"]))
        elif st["erspan_ver"] == 2:
            attrs += [("erspan_dir", st["erspan_dir"]), ("erspan_hwid", st["erspan_hwid"])]
    attrs += [(key, st[key]) for key in ("encap_type", "encap_flags", "encap_sport",
                                         "encap_dport")]
    return KindData(tuple(attrs))


IPTNL_MODES = {"ipv6/ipv4": 41, "ip6ip": 41, "ipv4/ipv4": 4, "ipip": 4, "ip4ip4": 4,
               "mpls/ipv4": 137, "mplsip": 137, "any/ipv4": 0, "any": 0}


def parse_iptnl_options(ctx: ToolContext, argv: list[str], create: bool,
                        kind: str = "ipip", name: str | None = None) -> KindData:
    """iptunnel_parse_opt() (ip/link_iptnl.c) for ipip and sit: mostly whole words;
    print_help() on stderr for any other."""
    old = _existing_tunnel(ctx, create, name)
    st = {"local": None, "remote": None, "pmtudisc": 1, "tos": 0, "iflags": 0, "ttl": 0,
          "proto": 0, "link": 0, "encap_type": 0, "encap_flags": 0, "encap_sport": 0,
          "encap_dport": 0, "metadata": False, "fwmark": 0, "6rd": None, "6rd_relay": None}
    if old is not None:
        st.update(local=old.local, remote=old.remote, pmtudisc=int(old.pmtudisc),
                  tos=old.tos, ttl=old.ttl, proto=old.protocol, link=old.link,
                  fwmark=old.fwmark, metadata=old.collect_md, iflags=1 if old.isatap else 0)
    sit = kind == "sit"
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark ipip_opt, sit_opt
        if kw == "mode":
            value = args.next_arg()
            proto = IPTNL_MODES.get(value)
            if proto is None or (proto == 41 and not sit):
                raise invarg("Cannot guess tunnel mode.", value)
            st["proto"] = proto
        elif kw in ("remote", "local"):
            st[kw] = _tnl_addr(args.next_arg())
        elif kw == "dev":
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None:      # exit(nodev()): -1
                raise CommandError(f'Cannot find device "{value}"\n', 255)
            st["link"] = dev.ifindex
        elif kw in ("ttl", "hoplimit", "hlim"):
            st["ttl"] = _ttl(args.next_arg())
        elif kw in ("tos", "tclass", "tc", "dsfield"):
            st["tos"] = _tos(args.next_arg())
        elif kw in ("nopmtudisc", "pmtudisc"):
            st["pmtudisc"] = int(kw == "pmtudisc")
        elif sit and kw == "isatap":
            st["iflags"] |= 1
        elif _encap_option(kw, args, st):
            pass
        elif kw == "external":
            st["metadata"] = True
        elif kw == "6rd-prefix":
            # get_prefix() exits with its own error before invarg("invalid 6rd_prefix")
            st["6rd"] = get_prefix(args.next_arg(), 6).network
        elif kw == "6rd-relay_prefix":
            st["6rd_relay"] = get_prefix(args.next_arg(), 4).network
        elif kw == "6rd-reset":
            st["6rd"], st["6rd_relay"] = ipaddress.IPv6Network("2002::/16"), None
        elif kw == "fwmark":
            value = args.next_arg()
            mark = get_unsigned(value)
            if mark is None:
                raise invarg("invalid fwmark\n", value)
            st["fwmark"] = mark
        else:
            raise CommandError(usage_text(f"ip_link_{kind}", ctx.profile), 1)
        args.advance()
    if st["ttl"] and not st["pmtudisc"]:
        raise CommandError("ttl != 0 and nopmtudisc are incompatible\n", 255)
    attrs: list = [("proto", st["proto"])]
    if st["metadata"]:
        return KindData(tuple(attrs + [("collect_md", True)]))
    if st["local"] is not None:
        attrs.append(("local", st["local"]))
    if st["remote"] is not None:
        attrs.append(("remote", st["remote"]))
    attrs += [("pmtudisc", st["pmtudisc"]), ("tos", st["tos"]), ("ttl", st["ttl"]),
              ("link", st["link"]), ("fwmark", st["fwmark"])]
    attrs += [(key, st[key]) for key in ("encap_type", "encap_flags", "encap_sport",
                                         "encap_dport")]
    if sit:
        attrs.append(("isatap", st["iflags"]))
        if st["6rd"] is not None:
            attrs += [("6rd_prefix", st["6rd"].network_address),
                      ("6rd_prefixlen", st["6rd"].prefixlen)]
        if st["6rd_relay"] is not None:
            attrs += [("6rd_relay_prefix", int(st["6rd_relay"].network_address)),
                      ("6rd_relay_prefixlen", st["6rd_relay"].prefixlen)]
    return KindData(tuple(attrs))


def parse_ipvlan_options(ctx: ToolContext, argv: list[str], create: bool,
                         kind: str = "ipvlan", name: str | None = None) -> KindData:
    """ipvlan_parse_opt() (ip/iplink_ipvlan.c): a mode and one flag; the flags
    attribute always goes."""
    usage = usage_text(f"ip_link_{kind}", ctx.profile)
    attrs: list = []
    flags, flag_given = 0, False
    args = Args(argv)
    while args:
        word = args.cur
        kw = keyword(word)          # grammar/ip.lark ipvlan_opt
        if kw == "mode":
            value = args.next_arg()
            if value not in ("l2", "l3", "l3s"):
                raise CommandError('Error: argument of "mode" must be either "l2", "l3" or '
                                   '"l3s"\n', 1)
            attrs.append(("mode", ("l2", "l3", "l3s").index(value)))
        elif kw == "private" and not flag_given:
            flags, flag_given = flags | 1, True
        elif kw == "vepa" and not flag_given:
            flags, flag_given = flags | 2, True
        elif kw == "bridge" and not flag_given:
            flag_given = True
        elif kw == "help":
            raise CommandError(usage, 1)
        else:
            raise CommandError(f'{kind}: unknown option "{word}"?\n' + usage, 1)
        args.advance()
    attrs.append(("flags", flags))
    return KindData(tuple(attrs))


def _kind(parser, kind: str):
    """A parse_opt() that knows its link_util's id."""
    return lambda ctx, argv, create, name=None: parser(ctx, argv, create, kind, name)


# the kinds parsed here: kind -> parse_opt(ctx, argv, create, name)
# bridge_slave_parse_opt() (ip/iplink_bridge_slave.c): its keywords in the order it
# tries them (matches(): an abbreviation takes the first), on/off ones by their
# IFLA_BRPORT_* as ipemu's port settings name them
_BRIDGE_SLAVE_WORDS = (
    "fdb_flush", "state", "priority", "cost", "hairpin", "guard", "root_block",
    "fastleave", "learning", "flood", "mcast_flood", "bcast_flood", "mcast_to_unicast",
    "proxy_arp", "proxy_arp_wifi", "mcast_router", "mcast_fast_leave", "neigh_suppress",
    "group_fwd_mask", "vlan_tunnel", "isolated", "locked", "backup_port", "nobackup_port",
    "help")
_BRIDGE_SLAVE_ONOFF = {"mcast_fast_leave": "fastleave"}
_BRIDGE_SLAVE_NUMBERS = {"state": ("state is invalid", 0xFF),
                         "priority": ("priority is invalid", 0xFFFF),
                         "cost": ("cost is invalid", 0xFFFFFFFF),
                         "mcast_router": ("invalid mcast_router", 0xFF)}


def parse_bridge_slave_options(ctx: ToolContext, argv: list[str], create: bool,
                               name: str | None = None) -> KindData:
    """bridge_slave_parse_opt(): IFLA_INFO_SLAVE_DATA for a bridge port (`ip link set
    DEV type bridge_slave ...`), kept as `bridge link set` names the settings."""
    attrs: list[tuple[str, object]] = []
    args = Args(argv)
    while args:
        word = args.cur
        kw = next((k for k in _BRIDGE_SLAVE_WORDS if matches(word, k)), None)
        if kw in _BRIDGE_SLAVE_NUMBERS:
            msg, limit = _BRIDGE_SLAVE_NUMBERS[kw]
            value = get_unsigned(args.next_arg())
            if value is None or value > limit:
                raise invarg(msg, args.cur)
            attrs.append((kw, value))
        elif kw == "backup_port":
            value = args.next_arg()
            other = ctx.netns.by_name(value)       # ll_name_to_index()
            if other is None:
                raise invarg("Device does not exist\n", value)
            attrs.append(("backup_port", other.ifindex))
        elif kw == "nobackup_port":
            attrs.append(("backup_port", 0))
        elif kw == "fdb_flush":
            attrs.append(("fdb_flush", True))      # IFLA_BRPORT_FLUSH
        elif kw == "group_fwd_mask":
            value = get_unsigned(args.next_arg())   # get_u16(.., 0)
            if value is None or value > 0xFFFF:
                raise invarg("invalid group_fwd_mask", args.cur)
            attrs.append(("group_fwd_mask", value))
        elif kw == "help" or kw is None:
            if kw is None:
                ctx.term.err(f'bridge_slave: unknown option "{word}"?\n')
            # explain() on stderr, parse_opt() returns -1: ip's status 1
            raise CommandError(usage_text("ip_link_bridge_slave", ctx.profile), 1)
        else:
            value = args.next_arg()
            # bridge_slave_parse_on_off(): parse_on_off() fails with exit(1)
            on = next((i for i, v in enumerate(("off", "on")) if matches(value, v)), None)
            if on is None:
                raise CommandError(f'Error: argument of "{kw}" must be one of "off", '
                                   f'"on", not "{value}"\n', 1)
            attrs.append((_BRIDGE_SLAVE_ONOFF.get(kw, kw), bool(on)))
        args.advance()
    return KindData(tuple(attrs))


# geneve_parse_opt()'s words in its order (matches(): a prefix picks the first), each
# with the attribute check_duparg() marks
_GENEVE_WORDS = (("id", "id"), ("vni", "id"), ("remote", "remote"), ("ttl", "ttl"),
                 ("hoplimit", "ttl"), ("tos", "tos"), ("dsfield", "tos"),
                 ("df", "df"), ("label", "flowlabel"), ("flowlabel", "flowlabel"),
                 ("dstport", "dstport"), ("external", "external"),
                 ("noexternal", "external"), ("udpcsum", "udpcsum"),
                 ("noudpcsum", "udpcsum"), ("udp6zerocsumtx", "udp6zerocsumtx"),
                 ("noudp6zerocsumtx", "udp6zerocsumtx"),
                 ("udp6zerocsumrx", "udp6zerocsumrx"),
                 ("noudp6zerocsumrx", "udp6zerocsumrx"),
                 ("innerprotoinherit", "innerprotoinherit"))


def _geneve_value(word: str, text: str) -> None:
    """The checks geneve_parse_opt() makes on a keyword's value (invarg(): exit 255)."""
    from ipemu.tools.ipargs import get_addr
    if word in ("id", "vni"):
        value = get_unsigned(text)
        if value is None or value >= 1 << 24:
            raise invarg("invalid id", text)
    elif word == "remote":
        addr = get_addr(text, 0).address        # get_addr(AF_UNSPEC): exits itself
        if addr is None or addr.is_multicast:   # is_addrtype_inet_not_multi()
            raise invarg("invalid remote address", text)
    elif word in ("ttl", "hoplimit") and text not in ("inherit", "auto"):
        value = get_unsigned(text)
        if value is None:
            raise invarg("invalid TTL", text)
        if value > 255:
            raise invarg("TTL must be <= 255", text)
    elif word in ("tos", "dsfield") and text != "inherit":
        _tos(text)
    elif word == "df" and text not in ("unset", "set", "inherit"):
        raise invarg("DF must be 'unset', 'set' or 'inherit'", text)
    elif word in ("label", "flowlabel"):
        value = get_unsigned(text)
        if value is None or value > 0xFFFFF:
            raise invarg("invalid flowlabel", text)
    elif word == "dstport" and _get_uint(text, 0xFFFF) is None:
        raise invarg("dstport", text)


def parse_geneve_options(ctx: ToolContext, argv: list[str], create: bool,
                         name: str | None = None) -> KindData:
    """geneve_parse_opt() (ip/iplink_geneve.c, 6.1): what it refuses before any
    request (a bad or duplicate value, an unknown word, no VNI, no remote on add);
    what it accepts goes to a kernel without the geneve driver: IFLA_INFO_DATA is
    sent (IFLA_GENEVE_ID always), its attributes are not kept."""
    from ipemu.tools.ipargs import duparg2, incomplete_command
    seen: set = set()
    metadata = False
    remote = False
    i = 0
    while i < len(argv):
        word = argv[i]
        hit = next(((kw, attr) for kw, attr in _GENEVE_WORDS if matches(word, kw)), None)
        if hit is None:
            if not matches(word, "help"):
                ctx.term.err(f'geneve: unknown command "{word}"?\n')
            raise CommandError(usage_text("ip_link_geneve", ctx.profile), 1)
        kw, attr = hit
        takes_value = attr not in ("external", "udpcsum", "udp6zerocsumtx",
                                   "udp6zerocsumrx", "innerprotoinherit")
        if takes_value:
            i += 1
            if i >= len(argv):
                raise incomplete_command()      # NEXT_ARG()
        if attr in seen:                        # check_duparg() -> duparg2()
            raise duparg2(attr if takes_value else argv[i], argv[i])
        seen.add(attr)
        if takes_value:
            _geneve_value(kw, argv[i])
        if kw in ("external", "noexternal"):
            metadata = kw == "external"
        remote = remote or kw == "remote"
        i += 1
    if metadata and "id" in seen:
        raise CommandError("geneve: both 'external' and vni cannot be specified\n", 1)
    if not metadata:
        if "id" not in seen:
            raise CommandError("geneve: missing virtual network identifier\n", 1)
        if create and not remote:
            raise CommandError("geneve: remote link partner not specified\n", 1)
    return KindData(())


def parse_dsa_options(ctx: ToolContext, argv: list[str], create: bool,
                      name: str | None = None) -> KindData:
    """dsa_parse_opt() (ip/iplink_dsa.c): `conduit` (or the older `master`) DEVICE,
    whole words, the device looked up at once (ll_name_to_index()); `help` or any
    other word prints the usage, after `dsa: unknown command` for the latter."""
    attrs: list[tuple[str, object]] = []
    args = Args(argv)
    while args:
        word = args.cur
        if word in ("conduit", "master"):
            value = args.next_arg()
            other = ctx.netns.by_name(value)
            if other is None:
                raise invarg("Device does not exist\n", value)
            attrs.append(("conduit", other.ifindex))     # IFLA_DSA_MASTER
        else:
            if word != "help":
                ctx.term.err(f'dsa: unknown command "{word}"?\n')
            raise CommandError(usage_text("ip_link_dsa", ctx.profile), 1)
        args.advance()
    return KindData(tuple(attrs))


IP6TNL_MODES = {"ipv6/ipv6": 41, "ip6ip6": 41, "ip/ipv6": 4, "ipv4/ipv6": 4, "ipip6": 4,
                "ip4ip6": 4, "any/ipv6": 0, "any": 0}


def _get_base(text: str, base: int, top: int) -> int | None:
    """get_u8/u16/u32(&val, arg, base): strtoul() of the whole word, at most `top`."""
    from ipemu.tools.ipargs import _strtoul0
    if base == 16:
        body = text[2:] if text[:2].lower() == "0x" else text
        if not body or any(c not in "0123456789abcdefABCDEF" for c in body):
            return None
        value = int(body, 16)
    else:
        value = _strtoul0(text)
    return value if value is not None and value <= top else None


def _ip6_tunnel_value(word: str, args: Args) -> bool:
    """The values link_ip6tnl.c and link_gre6.c check alike, each `inherit` or a number
    in range (invarg() and 255 otherwise): hop limit, traffic class, flow label, dscp,
    fwmark. `word` the parser's own reading of the keyword (`dsfield` for any word it
    matched to that); False when it is none of these."""
    if word in ("ttl", "hoplimit", "hlim"):
        what, base, top = "invalid HLIM\n", 0, 0xFF
    elif word in ("tos", "tclass", "tc", "dsfield"):
        what, base, top = "invalid TClass", 16, 0xFF
    elif word in ("flowlabel", "fl"):
        what, base, top = "invalid Flowlabel", 16, 0xFFFFF
    elif word == "fwmark":
        what, base, top = "invalid fwmark\n", 0, 0xFFFFFFFF
    elif word == "dscp":
        value = args.next_arg()
        if value != "inherit":
            raise invarg("not inherit", value)
        return True
    else:
        return False
    value = args.next_arg()
    if value != "inherit" and _get_base(value, base, top) is None:
        raise invarg(what, value)
    return True


def parse_ip6tnl_options(ctx: ToolContext, argv: list[str], create: bool,
                         kind: str = "ip6tnl", name: str | None = None) -> KindData:
    """ip6tunnel_parse_opt() (ip/link_ip6tnl.c): whole words (matches() for dev only);
    a set reads the device's tunnel first ("Failed to get existing tunnel info.").
    No kernel here has the kind: the words are checked, the kernel refuses it."""
    from ipemu.tools.ipargs import get_addr
    _existing_tunnel(ctx, create, name)
    args = Args(argv)
    while args:
        word = args.cur
        if word == "mode":
            value = args.next_arg()
            if value not in IP6TNL_MODES:
                raise invarg("Cannot guess tunnel mode.", value)
        elif word in ("remote", "local"):
            value = args.next_arg()
            if value != "any":
                get_addr(value, 6)        # "Error: inet6 address is expected ..."
        elif matches(word, "dev"):
            value = args.next_arg()
            if ctx.netns.by_name(value) is None:      # exit(nodev())
                raise CommandError(f'Cannot find device "{value}"\n', 255)
        elif word == "encaplimit":
            args.next_arg()            # get_u8() < -1 never holds: any word goes
        elif _ip6_tunnel_value("dsfield" if word not in ("tos", "tclass", "tc") and
                               matches(word, "dsfield") else word, args):
            pass
        elif word in ("allow-localremote", "noallow-localremote", "external"):
            pass
        elif _encap_option(word, args, {"encap_flags": 0}):
            pass
        else:
            raise CommandError(usage_text(f"ip_link_{kind}", ctx.profile), 1)
        args.advance()
    return KindData(())


# gre_parse_opt() of ip/link_gre6.c: matches() for the GRE words, `dev`, `ttl` and
# `tos` (their synonyms in this order), strcmp() for the rest
_GRE6_MATCHED = ("key", "nokey", "ikey", "noikey", "okey", "nookey", "seq", "noseq",
                 "iseq", "noiseq", "oseq", "nooseq", "csum", "nocsum", "icsum", "noicsum",
                 "ocsum", "noocsum", "remote", "local", "dev", "ttl", "hoplimit", "hlim",
                 "tos", "tclass", "dsfield")
_GRE6_FLAGS = ("noencap", "encap-csum", "noencap-csum", "encap-udp6-csum",
               "noencap-udp6-csum", "encap-remcsum", "noencap-remcsum", "external",
               "allow-localremote", "noallow-localremote")


def parse_gre6_options(ctx: ToolContext, argv: list[str], create: bool,
                       kind: str = "ip6gre", name: str | None = None) -> KindData:
    """gre_parse_opt() (ip/link_gre6.c) for ip6gre, ip6gretap and ip6erspan: the words
    are checked in its order (the erspan ones for every kind), gre_print_help() on
    stderr for any other (status 1). No kernel here has the kinds: the kernel refuses
    what the words make."""
    from ipemu.tools.ipargs import get_addr
    _existing_tunnel(ctx, create, name)
    args = Args(argv)
    while args:
        word = args.cur
        kw = next((k for k in _GRE6_MATCHED if matches(word, k)), None)
        if kw is None and word in _GRE6_FLAGS:
            kw = word
        if kw in ("key", "ikey", "okey"):
            _tnl_key(kw, args.next_arg())
        elif kw in ("remote", "local"):
            value = args.next_arg()
            if value not in ("any", "all", "default"):
                get_addr(value, 6)        # "Error: inet6 address is expected ..."
        elif kw == "dev":
            value = args.next_arg()
            if ctx.netns.by_name(value) is None:      # exit(nodev())
                raise CommandError(f'Cannot find device "{value}"\n', 255)
        elif kw in ("ttl", "hoplimit", "hlim", "tos", "tclass", "dsfield"):
            _ip6_tunnel_value(kw, args)
        elif kw is not None:
            pass                  # the flags: [no]key..., [no]seq, [no]csum, encap flags
        elif word in ("flowlabel", "fl", "dscp", "fwmark"):
            _ip6_tunnel_value(word, args)
        elif word == "encap":
            value = args.next_arg()
            if value not in ("fou", "gue", "none"):
                raise invarg("Invalid encap type.", value)
        elif word == "encap-sport":
            value = args.next_arg()
            if value != "auto" and _get_base(value, 0, 0xFFFF) is None:
                raise invarg("Invalid source port.", value)
        elif word == "encap-dport":
            value = args.next_arg()
            if _get_base(value, 0, 0xFFFF) is None:
                raise invarg("Invalid destination port.", value)
        elif word == "encaplimit":
            value = args.next_arg()
            if value != "none" and _get_base(value, 0, 0xFF) is None:
                raise invarg("invalid ELIM", value)
        elif word == "erspan":
            value = args.next_arg()
            index = _get_base(value, 0, 0xFFFFFFFF)
            if index is None:
                raise invarg("invalid erspan index\n", value)
            if index & ~((1 << 20) - 1) or index == 0:
                raise invarg("erspan index must be > 0 and <= 20-bit\n", value)
        elif word == "erspan_ver":
            value = args.next_arg()
            ver = _get_base(value, 0, 0xFF)
            if ver is None:
                raise invarg("invalid erspan version\n", value)
            if ver > 2:
                raise invarg("erspan version must be 0/1/2\n", value)
        elif word == "erspan_dir":
            value = args.next_arg()
            if not (matches(value, "ingress") or matches(value, "egress")):
                raise invarg("Invalid erspan direction.", value)
        elif word == "erspan_hwid":
            value = args.next_arg()
            if _get_base(value, 0, 0xFFFF) is None:
                raise invarg("invalid erspan hwid\n", value)
        else:
            usage = usage_text("ip_link_ip6gre", ctx.profile)
            if kind != "ip6gre":          # lu->id in "%-9s"
                usage = usage.replace("ip6gre   ", f"{kind:<9}", 1)
            raise CommandError(usage, 1)
        args.advance()
    return KindData(())


def parse_bareudp_options(ctx: ToolContext, argv: list[str], create: bool,
                          name: str | None = None) -> KindData:
    """bareudp_parse_opt() (ip/iplink_bareudp.c): matches() for each word, a second
    value of one is duparg2(), dstport and ethertype required (missarg()). No kernel
    here has the kind."""
    from ipemu.tools.ipargs import duparg2, missarg
    from ipemu.tools.ll_proto import ll_proto_a2n
    seen: set[str] = set()

    def once(key: str, shown: str, value: str) -> None:
        if key in seen:
            raise duparg2(shown, value)
        seen.add(key)

    args = Args(argv)
    while args:
        word = args.cur
        if matches(word, "dstport"):
            value = args.next_arg()
            once("dstport", "dstport", value)
            if _get_base(value, 0, 0xFFFF) is None:
                raise invarg("dstport", value)
        elif matches(word, "ethertype"):
            value = args.next_arg()
            once("ethertype", "ethertype", value)
            if ll_proto_a2n(value) is None:
                raise invarg("ethertype", value)
        elif matches(word, "srcportmin"):
            value = args.next_arg()
            once("srcportmin", "srcportmin", value)
            if _get_base(value, 0, 0xFFFF) is None:
                raise invarg("srcportmin", value)
        elif matches(word, "multiproto") or matches(word, "nomultiproto"):
            once("multiproto", word, word)
        elif matches(word, "help"):
            raise CommandError(usage_text("ip_link_bareudp", ctx.profile), 1)
        else:
            raise CommandError(f'bareudp: unknown command "{word}"?\n'
                               + usage_text("ip_link_bareudp", ctx.profile), 1)
        args.advance()
    if "dstport" not in seen:
        raise missarg("dstport")
    if "ethertype" not in seen:
        raise missarg("ethertype")
    return KindData(())


def parse_vti_options(ctx: ToolContext, argv: list[str], create: bool,
                      kind: str = "vti", name: str | None = None) -> KindData:
    """vti_parse_opt() (ip/link_vti.c) and vti6_parse_opt() (link_vti6.c): matches()
    for key/ikey/okey/remote/local/dev, strcmp() for fwmark, print_help on stderr for
    any other word (status 1); a set reads the device's tunnel first. No kernel here
    has the kinds."""
    from ipemu.tools.ipargs import get_addr
    _existing_tunnel(ctx, create, name)
    family = 6 if kind == "vti6" else 4
    args = Args(argv)
    while args:
        word = args.cur
        kw = next((k for k in ("key", "ikey", "okey", "remote", "local", "dev")
                   if matches(word, k)), None)
        if kw in ("key", "ikey", "okey"):
            _tnl_key(kw, args.next_arg())
        elif kw in ("remote", "local"):
            value = args.next_arg()
            if value not in ("any", "all", "default"):
                get_addr(value, family)
        elif kw == "dev":
            value = args.next_arg()
            if ctx.netns.by_name(value) is None:      # exit(nodev())
                raise CommandError(f'Cannot find device "{value}"\n', 255)
        elif word == "fwmark":
            value = args.next_arg()
            if _get_base(value, 0, 0xFFFFFFFF) is None:
                raise invarg("invalid fwmark\n", value)
        else:
            usage = usage_text("ip_link_vti", ctx.profile)
            if kind == "vti6":            # vti6_print_help(): IPV6_ADDRESS
                usage = usage.replace("... vti ", "... vti6", 1) \
                    .replace("IP_ADDRESS", "IPV6_ADDRESS", 1)
            raise CommandError(usage, 1)
        args.advance()
    return KindData(())


def parse_xfrm_options(ctx: ToolContext, argv: list[str], create: bool,
                       name: str | None = None) -> KindData:
    """xfrm_parse_opt() (ip/link_xfrm.c): dev and if_id (not 0) by matches(),
    external; external with either is refused, and without it if_id is required."""
    from ipemu.tools.ipargs import missarg
    link = if_id = 0
    metadata = False
    args = Args(argv)
    while args:
        word = args.cur
        if matches(word, "dev"):
            value = args.next_arg()
            dev = ctx.netns.by_name(value)
            if dev is None:
                raise CommandError(f'Cannot find device "{value}"\n', 255)
            link = dev.ifindex
        elif matches(word, "if_id"):
            value = args.next_arg()
            if_id = _get_base(value, 0, 0xFFFFFFFF) or 0
            if not if_id:
                raise invarg("if_id value is invalid", value)
        elif word == "external":
            metadata = True
        else:
            raise CommandError(usage_text("ip_link_xfrm", ctx.profile), 1)
        args.advance()
    if metadata:
        if if_id or link:
            raise CommandError("xfrmi: both 'external' and if_id/link cannot be "
                               "specified\n", 1)
        return KindData(())
    if not if_id:
        raise missarg("IF_ID")
    return KindData(())


def parse_hsr_options(ctx: ToolContext, argv: list[str], create: bool,
                      name: str | None = None) -> KindData:
    """hsr_parse_opt() (ip/iplink_hsr.c), matches() for each word: supervision, version
    and proto take any u8 (its `get_u8() == 0 || get_u8() == 1` tests the parse, not
    the value), slave1/slave2 a device ("No such interface"); help or another word
    prints the usage on stderr (status 1). No kernel here has the kind."""
    args = Args(argv)
    while args:
        word = args.cur
        if matches(word, "supervision"):
            value = args.next_arg()
            if _get_base(value, 0, 0xFF) is None:
                raise invarg("ADDR-BYTE is invalid", value)
        elif matches(word, "version"):
            value = args.next_arg()
            if _get_base(value, 0, 0xFF) is None:
                raise invarg("version is invalid", value)
        elif matches(word, "proto"):
            value = args.next_arg()
            if _get_base(value, 0, 0xFF) is None:
                raise invarg("protocol is invalid", value)
        elif matches(word, "slave1") or matches(word, "slave2"):
            value = args.next_arg()
            if ctx.netns.by_name(value) is None:
                raise invarg("No such interface", value)
        elif matches(word, "help"):
            raise CommandError(usage_text("ip_link_hsr", ctx.profile), 1)
        else:
            raise CommandError(f'hsr: what is "{word}"?\n'
                               + usage_text("ip_link_hsr", ctx.profile), 1)
        args.advance()
    return KindData(())


MACSEC_CIPHERS = ("default", "gcm-aes-128", "GCM-AES-128", "gcm-aes-256", "GCM-AES-256",
                  "gcm-aes-xpn-128", "GCM-AES-XPN-128", "gcm-aes-xpn-256", "GCM-AES-XPN-256")


def _macsec_one_of(ctx: ToolContext, key: str, value: str, names: tuple) -> None:
    """parse_one_of() (lib/utils.c): matches() over the names, else its message and
    -EINVAL, which macsec_parse_opt() returns (iplink_modify(): status 1)."""
    if not any(matches(value, n) for n in names):
        listed = "".join(f'"{n}", ' for n in names)
        raise CommandError(f'Error: argument of "{key}" must be one of {listed}'
                           f'not "{value}"\n', 1)


def parse_macsec_options(ctx: ToolContext, argv: list[str], create: bool,
                         name: str | None = None) -> KindData:
    """macsec_parse_opt() (ip/ipmacsec.c): get_sci_portaddr() first (sci, port,
    address: optional, done once an sci or a port is read), then strcmp() of each
    word; the send_sci/end_station/scb and replay/window checks at the end. No kernel
    here has the kind."""
    from ipemu.tools.bridge_mdb import ll_addr_a2n
    from ipemu.tools.ipargs import duparg, duparg2
    args = Args(argv)
    p = a = s = False
    while args:                       # get_sci_portaddr(..., port_only, optional)
        word = args.cur
        if word == "sci":
            if p:
                raise invarg("expected address", word)
            if a:
                raise invarg("expected port", word)
            value = args.next_arg()
            if _get_base(value if value[:2].lower() == "0x" else value, 16,
                         0xFFFFFFFFFFFFFFFF) is None:
                raise invarg("expected sci", value)
            s = True
        elif word == "port":
            value = args.next_arg()
            port = _get_base(value, 0, 0xFFFF)
            if port is None:
                raise invarg("expected port", value)
            if port == 0:
                raise invarg("expected port != 0", value)
            p = True
        elif word == "address":
            value = args.next_arg()
            mac, left, printed = ll_addr_a2n(value, 6)
            if mac is None:
                raise CommandError(printed + f'Error: argument "{left}" is wrong: '
                                   'expected lladdr\n', 255)
            a = True
        else:
            break
        args.advance()
        if s or p:                    # sci_complete(), port_only
            break
    cipher = icvlen = False
    es = scb = send_sci = False
    replay = None
    window = None
    encoding_sa = False
    while args:
        word = args.cur
        if word == "cipher":
            value = args.next_arg()
            if cipher:
                raise duparg("cipher", value)
            if value not in MACSEC_CIPHERS:
                raise invarg("expected: default, gcm-aes-128, gcm-aes-256, gcm-aes-xpn-128 "
                             "or gcm-aes-xpn-256", value)
            cipher = True
        elif word == "icvlen":
            value = args.next_arg()
            if icvlen:
                raise duparg("icvlen", value)
            length = _get_base(value, 10, 0xFF)
            if length is None:
                raise invarg("expected ICV length", value)
            if not 8 <= length <= 16:
                raise invarg("ICV length must be in the range {8..16}", value)
            icvlen = length != 0
        elif word in ("encrypt", "send_sci", "end_station", "scb", "protect", "replay"):
            value = args.next_arg()
            _macsec_one_of(ctx, word, value, ("off", "on"))
            on = not matches(value, "off")
            if word == "send_sci":
                send_sci = on
            elif word == "end_station":
                es = on
            elif word == "scb":
                scb = on
            elif word == "replay":
                replay = on
        elif word == "window":
            value = args.next_arg()
            window = _get_base(value, 0, 0xFFFFFFFF)
            if window is None:
                raise invarg("expected replay window size", value)
        elif word == "validate":
            _macsec_one_of(ctx, word, args.next_arg(), ("disabled", "check", "strict"))
        elif word == "encodingsa":
            if encoding_sa:
                raise duparg2("encodingsa", "encodingsa")
            value = args.next_arg()
            if _get_base(value, 0, 3) is None:
                raise invarg("expected an { 0..3 }", value)
            encoding_sa = True
        elif word == "offload":
            _macsec_one_of(ctx, word, args.next_arg(), ("off", "phy", "mac"))
        else:
            raise CommandError(f'macsec: unknown command "{word}"?\n'
                               + usage_text("ip_link_macsec", ctx.profile), 1)
        args.advance()
    if (send_sci and (es or scb)) or (es and scb):        # check_txsc_flags()
        raise CommandError("invalid combination of send_sci/end_station/scb\n", 1)
    if window is not None and replay is None:
        raise CommandError("replay window set, but replay protection not enabled. did you "
                           f"mean 'replay on window {window}'?\n", 1)
    if window is None and replay:
        raise CommandError("replay protection enabled, but no window set. did you mean "
                           "'replay on window VALUE'?\n", 1)
    return KindData(())


KIND_PARSERS = {
    "dsa": parse_dsa_options,
    "bridge_slave": parse_bridge_slave_options,
    "vrf": lambda ctx, argv, create, name=None: parse_vrf_options(ctx, argv, create),
    "bond": lambda ctx, argv, create, name=None: parse_bond_options(ctx, argv, create),
    "gre": _kind(parse_gre_options, "gre"),
    "gretap": _kind(parse_gre_options, "gretap"),
    "erspan": _kind(parse_gre_options, "erspan"),
    "ipip": _kind(parse_iptnl_options, "ipip"),
    "sit": _kind(parse_iptnl_options, "sit"),
    "ip6tnl": _kind(parse_ip6tnl_options, "ip6tnl"),
    "ip6gre": _kind(parse_gre6_options, "ip6gre"),
    "ip6gretap": _kind(parse_gre6_options, "ip6gretap"),
    "ip6erspan": _kind(parse_gre6_options, "ip6erspan"),
    "bareudp": parse_bareudp_options,
    "vti": _kind(parse_vti_options, "vti"),
    "vti6": _kind(parse_vti_options, "vti6"),
    "xfrm": parse_xfrm_options,
    "hsr": parse_hsr_options,
    "macsec": parse_macsec_options,
    "ipvlan": _kind(parse_ipvlan_options, "ipvlan"),
    "ipvtap": _kind(parse_ipvlan_options, "ipvtap"),
}
