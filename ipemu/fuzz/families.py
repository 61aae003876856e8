"""The families of lines the differential fuzzer generates (ipemu.fuzz.diff), each a
weighted share of the lines: grammar walks (grammar/ip.lark, grammar/bridge.lark) where
a tool's syntax is there, hand-written shapes where the grammar reads free words
(`ip nexthop`, `ip maddress`, `ip netconf`, a bridge's options, tc).

Each family is a function (rng, names) -> the line's words, or None (nothing to say);
`names` holds the sequence's devices and namespaces. A sequence has a focus family
whose lines come more often, so that its objects meet each other (a nexthop group
names the nexthops made before it, a route names the group).
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable

from ipemu import grammar_gen, syntax

NETNS = ("red", "blue")
BAD = ("300.1.1.1", "10.0.0.1/33", "1.2.3", "::g", "4294967296", "-1", "nosuch",
       "0x", "65536", "10.0.0.0/-1", "fe80::1%lo", "2001:db8::1/129", "99999999999")
# keywords whose lines print what a namespace does not hold alike, read files, or block
# (`ip netns` is not among the objects: its set/attach/exec never come up)
AVOID = re.compile(r"^(monitor|help|save|restore|showdump|xstats|afstats|exec|attach|"
                   r"identify|pids|-b|-batch|-force|-rc|-rcvbuf|-l|-loops|-c|-color|-t|"
                   r"-ts|-timestamp|-tshort)$")
OBJECTS = ("link", "address", "route", "neigh", "rule")
OPTIONS = ((), ("-4",), ("-6",), ("-br",), ("-o",), ("-d",))
# bridge(8)'s lines, walked from grammar/bridge.lark (mdb: free words)
BRIDGE_OBJECTS = ("link", "fdb", "vlan")
BRIDGE_OPTIONS = ((), ("-d",), ("-s",), ("-j",), ("-c",))
# the devices a `kind` line may make (and later lines name)
NEW_DEVS = ("x0", "x1")
# the kinds this kernel has (oracle-vm profile) and some it has not (their options
# are parsed before the kernel refuses the kind)
KINDS = (("vxlan", 4), ("macvlan", 4), ("macvtap", 2), ("ifb", 2), ("veth", 3),
         ("bridge", 4), ("vlan", 2), ("ipvlan", 1), ("vrf", 1), ("gre", 1), ("gretap", 1),
         ("ipip", 1), ("sit", 1), ("bond", 1), ("dummy", 1), ("erspan", 1), ("ipvtap", 1))
NUD = ("permanent", "noarp", "reachable", "stale", "delay", "probe", "failed",
       "incomplete", "none", "all")
MACS = ("02:00:00:00:00:01", "02:00:00:00:00:02", "33:33:00:00:00:01",
        "01:00:5e:00:00:01", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff")


def samples(names: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    devs = tuple(names["devs"]) + ("nosuch0",)
    return dict(grammar_gen.SAMPLES,
                DEVICE_NAME=devs, IFNAME=devs + ("v4", "br1"),
                IP_ADDRESS=("10.0.0.1", "10.0.0.2", "10.0.1.1", "192.168.5.9", "fe80::1",
                            "2001:db8::1", "127.0.0.1", "0.0.0.0"),
                IP_PREFIX=("10.0.0.0/24", "10.0.0.2/24", "10.0.0.5", "default",
                           "2001:db8::1/64", "10.9.0.0/16", "0.0.0.0/0", "192.168.5.0/24"),
                NETNS_NAME=NETNS, NETNS_NEW=NETNS,
                TABLE_ID=("main", "local", "100", "default", "255"),
                NUMBER=("0", "1", "100", "1500", "1280", "65535"),
                MAC=("02:00:00:00:00:01", "33:33:00:00:00:01", "01:00:5e:00:00:01"))


def walk(rng: random.Random, names: dict[str, list[str]], tool: str, words: list[str],
         bad: float = 0.08, max_words: int = 10) -> list[str]:
    """`words` (the tool's name first) and what the grammar accepts after them, chosen
    at random: keywords whole or abbreviated, values of the sequence's names."""
    s = samples(names)
    cursor = syntax.grammar(tool).cursor()
    cursor.feed_all(words[1:])
    words = list(words)
    while len(words) < max_words + 2:
        keywords, kinds = cursor.expected()
        if cursor.can_end() and rng.random() < 0.3:
            break
        choices = [("kw", k) for k in keywords if not AVOID.match(k.text)]
        choices += [("value", v) for v in kinds if v in s]
        if not choices:
            break
        what, item = rng.choice(choices)
        if what == "kw":
            word = grammar_gen._abbreviation(rng, cursor, item)
        else:
            word = rng.choice(BAD) if rng.random() < bad else rng.choice(s[item])
        fed = cursor.feed(word)
        words.append(word)
        if cursor.stopped or (what == "kw" and fed.keyword != item.text):
            break
    if cursor.takes_value():
        _, kinds = cursor.expected()
        words.append(rng.choice(s.get(kinds[0], ("x",))))
    return words


def _dev(rng: random.Random, names: dict[str, list[str]], missing: float = 0.05) -> str:
    devs = [d for d in names["devs"]]
    return "nosuch0" if rng.random() < missing or not devs else rng.choice(devs)


def _value(rng: random.Random, good: tuple[str, ...], bad: float = 0.06) -> str:
    return rng.choice(BAD) if rng.random() < bad else rng.choice(good)


# ---------------------------------------------------------------- the families

def ip_walk(rng, names):
    """`ip [OPT] link|address|route|neigh|rule ...` from grammar/ip.lark."""
    return walk(rng, names, "ip", ["ip", *rng.choice(OPTIONS), rng.choice(OBJECTS)])


def bridge_walk(rng, names):
    """`bridge [OPT] link|fdb|vlan ...` from grammar/bridge.lark."""
    return walk(rng, names, "bridge",
                ["bridge", *rng.choice(BRIDGE_OPTIONS), rng.choice(BRIDGE_OBJECTS)])


NH_IDS = ("1", "2", "3", "4", "5", "10")


def _nh_spec(rng, names) -> list[str]:
    """What follows `id N` in ipnh_modify(): a device, a gateway, blackhole, a group."""
    shape = rng.random()
    six = rng.random() < 0.25
    gw = _value(rng, ("fe80::2", "2001:db8::2") if six else ("10.0.0.2", "10.0.0.3",
                                                              "192.168.5.2", "10.0.1.1"))
    if shape < 0.25:
        words = ["dev", _dev(rng, names)]
    elif shape < 0.55:
        words = ["via", gw, "dev", _dev(rng, names)]
        if rng.random() < 0.2:
            words.append("onlink")
    elif shape < 0.65:
        words = ["blackhole"]
    elif shape < 0.72:
        words = ["via", gw, "fdb"]
    else:
        members = rng.sample(NH_IDS[:5], rng.randint(1, 3))
        group = "/".join(m + (f",{rng.choice(('1', '2', '10', '256', '0', '257'))}"
                              if rng.random() < 0.3 else "") for m in members)
        words = ["group", group]
        r = rng.random()
        if r < 0.2:
            words += ["type", "resilient"]
            if rng.random() < 0.6:
                words += ["buckets", rng.choice(("8", "16", "2", "0", "65536"))]
            if rng.random() < 0.4:
                words += ["idle_timer", rng.choice(("0", "60", "120"))]
            if rng.random() < 0.2:
                words += ["unbalanced_timer", rng.choice(("0", "30"))]
        elif r < 0.3:
            words += ["type", rng.choice(("mpath", "nosuch"))]
        if rng.random() < 0.1:
            words.append("fdb")
    if rng.random() < 0.15:
        words += ["proto", rng.choice(("static", "boot", "99", "nosuch"))]
    if six and shape < 0.25:
        return ["-6"] + words
    return words


def nexthop(rng, names):
    """ip nexthop (ipnexthop.c): objects, groups, their use by routes and listings."""
    r = rng.random()
    if r < 0.40:
        cmd = rng.choice(("add", "add", "add", "replace", "a", "repl"))
        spec = _nh_spec(rng, names)
        pre = []
        if spec and spec[0] == "-6":
            pre, spec = ["-6"], spec[1:]
        return ["ip", *pre, "nexthop", cmd, "id", _value(rng, NH_IDS), *spec]
    if r < 0.55:
        # a route through a nexthop object (RTA_NH_ID)
        six = rng.random() < 0.25
        dst = rng.choice(("2001:db8:1::/64", "2001:db8:2::/64", "default")) if six else \
            rng.choice(("10.9.0.0/16", "10.8.0.0/24", "default", "192.168.7.0/24"))
        words = ["ip", *(["-6"] if six else []), "route",
                 rng.choice(("add", "replace", "add", "append", "change", "del")), dst,
                 "nhid", _value(rng, NH_IDS)]
        if rng.random() < 0.2:
            words += ["table", rng.choice(("100", "main"))]
        if rng.random() < 0.15:
            words += rng.choice((["dev", _dev(rng, names)], ["via", "10.0.0.2"],
                                 ["metric", "10"], ["mtu", "1400"]))
        return words
    if r < 0.65:
        return ["ip", "nexthop", rng.choice(("del", "delete", "get")), "id",
                _value(rng, NH_IDS)]
    if r < 0.85:
        words = ["ip", *rng.choice(((), ("-4",), ("-6",), ("-d",), ("-j",), ("-s",))),
                 "nexthop", rng.choice(("show", "list", "ls", "sh"))]
        f = rng.random()
        if f < 0.2:
            words += ["id", _value(rng, NH_IDS)]
        elif f < 0.35:
            words += ["dev", _dev(rng, names)]
        elif f < 0.5:
            words.append(rng.choice(("groups", "fdb", "nogroups")))
        elif f < 0.55:
            words += ["protocol", rng.choice(("static", "boot"))]
        return words
    if r < 0.93:
        words = ["ip", "nexthop", "flush"]
        f = rng.random()
        if f < 0.3:
            words += ["dev", _dev(rng, names)]
        elif f < 0.5:
            words.append("groups")
        elif f < 0.6:
            words += ["id", _value(rng, NH_IDS)]
        return words
    words = ["ip", "nexthop", "bucket", rng.choice(("show", "list", "get"))]
    if rng.random() < 0.6:
        words += ["id", _value(rng, NH_IDS)]
    if words[3] == "get" and rng.random() < 0.7:
        words += ["index", rng.choice(("0", "1", "7", "100"))]
    return words


V4_NEIGH = ("10.0.0.2", "10.0.0.3", "10.0.0.9", "192.168.5.7", "10.0.1.1", "0.0.0.0")
V6_NEIGH = ("fe80::2", "2001:db8::2", "fe80::9", "ff02::1")


def neigh(rng, names):
    """ip neigh depth (ipneigh.c): proxy entries, NUD states, router, extern_learn,
    flush, get, -s listings."""
    r = rng.random()
    six = rng.random() < 0.3
    addr = _value(rng, V6_NEIGH if six else V4_NEIGH)
    if r < 0.45:
        cmd = rng.choice(("add", "add", "replace", "change", "del", "chg"))
        words = ["ip", "neigh", cmd]
        if rng.random() < 0.2:
            return words + ["proxy", addr, "dev", _dev(rng, names)]
        words.append(addr)
        if rng.random() < 0.7:
            words += ["lladdr", _value(rng, MACS)]
        words += ["dev", _dev(rng, names)]
        if rng.random() < 0.6:
            words += ["nud", rng.choice(NUD)]
        for flag in ("router", "extern_learn", "managed", "use"):
            if rng.random() < 0.12:
                words.append(flag)
        if rng.random() < 0.1:
            words += ["protocol", rng.choice(("static", "zebra", "77"))]
        return words
    if r < 0.65:
        words = ["ip", *rng.choice(((), ("-s",), ("-s", "-s"), ("-4",), ("-6",), ("-j",),
                                    ("-br",))), "neigh", rng.choice(("show", "list"))]
        f = rng.random()
        if f < 0.25:
            words.append("proxy")
        elif f < 0.5:
            words += ["nud", rng.choice(NUD)]
        elif f < 0.65:
            words += ["dev", _dev(rng, names)]
        elif f < 0.7:
            words.append(rng.choice(("unused", "nomaster")))
        elif f < 0.8:
            words.append(rng.choice(("10.0.0.0/24", "fe80::/64", addr)))
        return words
    if r < 0.85:
        words = ["ip", *rng.choice(((), ("-4",), ("-6",), ("-s",))), "neigh", "flush"]
        f = rng.random()
        if f < 0.4:
            words += ["dev", _dev(rng, names)]
        if rng.random() < 0.4:
            words += ["nud", rng.choice(NUD)]
        if rng.random() < 0.15:
            words.append("proxy")
        if rng.random() < 0.1 or len(words) == 4:
            words.append(rng.choice(("all", "to", "10.0.0.0/24")))
            if words[-1] == "to":
                words.append(addr)
        return words
    words = ["ip", "neigh", "get", addr, "dev", _dev(rng, names)]
    if rng.random() < 0.2:
        words.insert(3, "proxy")
    return words


def address(rng, names):
    """ip address flags and lifetimes (ipaddress.c ipaddr_modify(), the list filters)."""
    r = rng.random()
    six = rng.random() < 0.45
    if r < 0.5:
        pfx = _value(rng, ("2001:db8::5/64", "2001:db8:1::1/64", "fe80::5/64",
                           "2001:db8::9/128") if six else
                     ("10.0.0.5/24", "10.0.2.1/24", "192.168.5.7/24", "10.0.0.1/24",
                      "10.0.0.6/32"))
        cmd = rng.choice(("add", "add", "change", "replace", "del"))
        words = ["ip", *(["-6"] if six and rng.random() < 0.3 else []), "address", cmd,
                 pfx, "dev", _dev(rng, names)]
        flags = ("nodad", "optimistic", "mngtmpaddr", "home", "noprefixroute",
                 "autojoin", "deprecated", "secondary", "temporary", "dadfailed",
                 "tentative", "permanent", "stable-privacy")
        for _ in range(rng.choice((0, 1, 1, 2))):
            words.append(rng.choice(flags))
        if rng.random() < 0.5:
            valid = rng.choice(("forever", "100", "30", "0", "4294967295", "x"))
            words += ["valid_lft", valid]
            if rng.random() < 0.7:
                words += ["preferred_lft", rng.choice(("forever", "0", "50", "100",
                                                       "200"))]
        elif rng.random() < 0.2:
            words += ["preferred_lft", rng.choice(("0", "60", "forever"))]
        if rng.random() < 0.15:
            words += ["metric", rng.choice(("10", "0", "4294967295"))]
        if rng.random() < 0.1:
            words += ["scope", rng.choice(("link", "host", "global", "site", "7"))]
        if not six and rng.random() < 0.1:
            words += ["label", rng.choice(("v0:1", "x", "v0:lab"))]
        return words
    if r < 0.8:
        words = ["ip", *rng.choice(((), ("-4",), ("-6",), ("-br",), ("-o",), ("-j",),
                                    ("-d",), ("-s",))), "address",
                 rng.choice(("show", "list", "ls"))]
        if rng.random() < 0.4:
            words += ["dev", _dev(rng, names)]
        for _ in range(rng.choice((0, 1, 1, 2))):
            words.append(rng.choice(("dynamic", "permanent", "-permanent", "deprecated",
                                     "tentative", "-tentative", "nodad", "mngtmpaddr",
                                     "noprefixroute", "primary", "secondary",
                                     "-deprecated", "home", "optimistic", "dadfailed",
                                     "autojoin", "stable-privacy", "temporary")))
        if rng.random() < 0.15:
            words += ["scope", rng.choice(("link", "global", "host"))]
        return words
    words = ["ip", *rng.choice(((), ("-4",), ("-6",))), "address", "flush"]
    words += ["dev", _dev(rng, names)]
    if rng.random() < 0.4:
        words.append(rng.choice(("permanent", "dynamic", "secondary", "primary",
                                 "nodad", "deprecated")))
    if rng.random() < 0.2:
        words += ["scope", rng.choice(("link", "global"))]
    return words


BRIDGE_OPTS = (("stp_state", ("0", "1", "2")), ("forward_delay", ("0", "400", "1500", "4")),
               ("hello_time", ("100", "200", "1")), ("max_age", ("2000", "600")),
               ("ageing_time", ("30000", "0", "1000")), ("priority", ("0", "100", "65536")),
               ("vlan_filtering", ("0", "1")), ("vlan_default_pvid", ("1", "0", "4095")),
               ("vlan_protocol", ("802.1Q", "802.1ad", "x")),
               ("mcast_snooping", ("0", "1")), ("mcast_querier", ("0", "1")),
               ("group_fwd_mask", ("0", "0x4000", "8")), ("nf_call_iptables", ("1",)),
               ("mcast_router", ("0", "1", "2")), ("vlan_stats_enabled", ("1",)),
               ("mcast_igmp_version", ("2", "3", "4")), ("mcast_mld_version", ("1", "2")),
               ("mcast_hash_max", ("512", "3")), ("address", ("02:00:00:00:00:0b",)),
               ("group_address", ("01:80:c2:00:00:03", "01:80:c2:00:00:10")),
               ("fdb_flush", ()), ("mcast_stats_enabled", ("1",)))


def _kind_opts(rng, names, kind: str, name: str, verb: str) -> list[str]:
    """`ip link VERB ... name NAME type KIND` and the kind's options."""
    head = ["ip", "link", verb]
    link = None
    if kind in ("macvlan", "macvtap", "vlan", "ipvlan", "ipvtap") and rng.random() < 0.9 \
            and verb == "add":
        link = _dev(rng, names)
        head += ["link", link]
    head += ["name", name] if rng.random() < 0.5 or verb != "add" else [name]
    if kind == "bridge":
        words = head + ["type", "bridge"]
        for _ in range(rng.randint(0, 3)):
            key, values = rng.choice(BRIDGE_OPTS)
            words.append(key)
            if values:
                words.append(_value(rng, values, 0.04))
        return words
    if kind == "ifb" or kind == "dummy":
        return head + ["type", kind]
    if kind == "vxlan" and verb == "add":
        # a VNI most of the time (else "Error: A VXLAN ID must be specified" ...)
        head += ["type", "vxlan", "id", _value(rng, ("5", "42", "16777215", "16777216"))]
        return walk(rng, names, "ip", head, max_words=len(head) + 4)
    return walk(rng, names, "ip", head + ["type", kind], max_words=len(head) + 5)


def kind(rng, names):
    """`ip link add` of more kinds with their options, `ip link set` of them, their
    detailed listing and removal."""
    name = rng.choice(NEW_DEVS)
    k = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    r = rng.random()
    if r < 0.5:
        return _kind_opts(rng, names, k, name, "add")
    if r < 0.62:
        return _kind_opts(rng, names, k, name, rng.choice(("set", "change")))
    if r < 0.8:
        words = ["ip", "link", "set", rng.choice(NEW_DEVS + tuple(names["devs"][1:]))]
        for _ in range(rng.randint(1, 2)):
            words += rng.choice((["up"], ["down"], ["mtu", _value(rng, ("1400", "9000",
                                                                        "68", "65536"))],
                                 ["master", _dev(rng, names)], ["nomaster"],
                                 ["address", _value(rng, MACS[:2])],
                                 ["txqlen", "100"], ["alias", "lab"], ["arp", "off"],
                                 ["promisc", "on"], ["netns", "red"]))
        return words
    if r < 0.92:
        return ["ip", *rng.choice((("-d",), ("-d", "-j"), ("-s",), ("-d", "-s"), ("-br",),
                                   ("-o", "-d"))), "link", "show",
                *rng.choice(((name,), ("dev", name), ("type", k), ("master", "br0"), ()))]
    return ["ip", "link", rng.choice(("del", "delete")), rng.choice((name, "dev " + name))]


def listing(rng, names):
    """The listings with their statistics, details and JSON."""
    opts = rng.choice((("-s",), ("-s", "-s"), ("-d",), ("-j",), ("-j", "-p"), ("-d", "-j"),
                       ("-s", "-j"), ("-br",), ("-o",), ("-4",), ("-6",), ("-d", "-s"),
                       ("-br", "-j"), ("-o", "-s"), ("-h", "-s"), ("-iec", "-s")))
    obj = rng.choice(("link", "link", "address", "address", "route", "neigh", "rule",
                      "nexthop", "maddress", "netconf"))
    # (not ntable: its reachable times are random, its statistics the host's)
    words = ["ip", *opts, obj]
    if obj in ("link", "address") and rng.random() < 0.5:
        words += rng.choice((["show", "dev", _dev(rng, names)], ["show", "up"],
                             ["show", "type", rng.choice(("veth", "bridge", "vxlan"))],
                             ["show", "master", "br0"]))
    elif obj == "route" and rng.random() < 0.5:
        words += rng.choice((["show", "table", "all"], ["get", "10.0.0.2"],
                             ["show", "dev", _dev(rng, names)], ["list", "table", "local"]))
    return words


def tunnel(rng, names):
    """ip tunnel (iptunnel.c) from grammar/ip.lark."""
    return walk(rng, names, "ip", ["ip", *rng.choice(((), ("-4",), ("-6",))), "tunnel"])


def maddress(rng, names):
    """ip maddress (ipmaddr.c): the link-layer groups added by hand, the listing."""
    r = rng.random()
    if r < 0.4:
        return ["ip", "maddress", rng.choice(("add", "del", "delete")),
                _value(rng, ("33:33:00:00:00:05", "01:00:5e:00:00:05", "02:00:00:00:00:07",
                             "ff02::5", "224.0.0.5")), "dev", _dev(rng, names)]
    words = ["ip", *rng.choice(((), ("-4",), ("-6",), ("-j",), ("-0",))), "maddress"]
    if rng.random() < 0.6:
        words += ["show", *rng.choice((("dev", _dev(rng, names)), (_dev(rng, names),), ()))]
    return words


SYSCTL_KEYS = ("forwarding", "proxy_arp", "rp_filter", "mc_forwarding",
               "ignore_routes_with_linkdown", "proxy_ndp")


def netconf(rng, names):
    """ip netconf (ipnetconf.c), and the sysctls it shows."""
    if rng.random() < 0.4:
        family = rng.choice(("ipv4", "ipv6"))
        where = rng.choice(("all", "default") + tuple(names["devs"]))
        key = rng.choice(SYSCTL_KEYS)
        return ["sysctl", "-w",
                f"net.{family}.conf.{where}.{key}={rng.choice(('0', '1', '2'))}"]
    words = ["ip", *rng.choice(((), ("-4",), ("-6",), ("-j",))), "netconf"]
    if rng.random() < 0.7:
        words += ["show", *rng.choice((("dev", _dev(rng, names)), ()))]
    return words


QDISCS = (("pfifo", ("limit", ("10", "1000"))), ("bfifo", ("limit", ("10kb", "1000"))),
          ("tbf", None), ("htb", ("default", ("10", "0x20"))), ("pfifo_fast", None),
          ("netem", ("delay", ("10ms",))), ("fq_codel", None), ("ingress", None),
          ("clsact", None), ("prio", ("bands", ("3", "4"))), ("mq", None),
          ("noqueue", None), ("sfq", None))


def tc(rng, names):
    """tc qdisc/class/filter (tc/*.c) with the kinds this kernel has and some it has
    not."""
    dev = _dev(rng, names)
    r = rng.random()
    if r < 0.45:
        kind_, opt = rng.choice(QDISCS)
        words = ["tc", "qdisc", rng.choice(("add", "replace", "change", "del")), "dev", dev]
        if kind_ in ("ingress", "clsact"):
            words.append(kind_)
        else:
            # mostly a handle given: an automatic one (8001:...) comes from a counter
            # the whole host shares (qdisc_alloc_handle()), so it differs
            words += rng.choice((["root"], ["root", "handle", "1:"], ["root", "handle", "1:"],
                                 ["parent", "1:10", "handle", "10:"],
                                 ["handle", "2:", "parent", "1:1"]))
            words.append(kind_)
            if kind_ == "tbf":
                words += ["rate", rng.choice(("1mbit", "100kbit", "x")), "burst",
                          rng.choice(("10k", "32kbit", "1600")),
                          rng.choice(("latency", "limit")), rng.choice(("50ms", "3000"))]
            elif opt and rng.random() < 0.7:
                key, values = opt
                words += [key, rng.choice(values)]
        return words
    if r < 0.65:
        words = ["tc", *rng.choice(((), ("-s",), ("-d",), ("-j",), ("-s", "-d"))),
                 rng.choice(("qdisc", "class", "filter")), "show"]
        if rng.random() < 0.6 or words[-2] != "qdisc":
            words += ["dev", dev]
        return words
    if r < 0.85:
        words = ["tc", "class", rng.choice(("add", "change", "replace", "del")), "dev", dev,
                 "parent", rng.choice(("1:", "1:1", "2:")), "classid",
                 rng.choice(("1:1", "1:10", "1:20"))]
        if words[2] != "del":
            words += ["htb", "rate", rng.choice(("1mbit", "10mbit", "512kbit", "0"))]
            if rng.random() < 0.4:
                words += ["ceil", rng.choice(("2mbit", "100kbit"))]
            if rng.random() < 0.2:
                words += ["prio", rng.choice(("0", "7", "8"))]
        return words
    words = ["tc", "filter", rng.choice(("add", "del")), "dev", dev,
             "parent", rng.choice(("1:", "ffff:")), "protocol", rng.choice(("ip", "all")),
             "prio", "1"]
    if words[2] == "add":
        words += ["u32", "match", "ip", rng.choice(("dst", "src")),
                  rng.choice(("10.0.0.2/32", "10.0.0.0/24")),
                  "flowid", rng.choice(("1:10", "1:20"))]
    return words


# ping's targets: ours, the peer's, loopback, nobody's, link-local with a scope, names
PING_TARGETS = ("10.0.0.1", "10.0.0.2", "127.0.0.1", "::1", "10.0.0.9", "localhost",
                "0", "fe80::1%v0", "ff02::1%v0", "10.0.0.255", "2001:db8::1", "nosuch.invalid")
# option words that take a value (the walk's value replaced by a bounded one)
PING_BOUNDED = {"-c": ("1", "2", "3"), "-i": ("0.2", "0.01", "0", "1"), "-w": ("1", "2"),
                "-W": ("1",), "-l": ("1", "2", "3")}


def ping(rng, names):
    """ping lines walked from grammar/ping.lark, each bounded (-c at most 3, -W 1,
    short intervals and deadlines), its targets the sequence's own addresses."""
    words = grammar_gen.line("ping", rng, max_words=8)
    out: list[str] = []
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        if prev in PING_BOUNDED:
            out.append(rng.choice(PING_BOUNDED[prev]))
        elif prev == "-I":
            out.append(rng.choice(tuple(names["devs"]) + ("nosuch", "10.0.0.1")))
        elif w in ("localhost", "::1", "127.0.0.1", "ip6-localhost"):
            out.append(rng.choice(PING_TARGETS))
        else:
            out.append(w)
    if "-V" not in out and "-h" not in out and not any(w in PING_TARGETS for w in out):
        out.append(rng.choice(PING_TARGETS))
    if "-c" not in out:
        out = ["-c", "2"] + out
    if "-w" not in out and "-W" not in out:
        out = ["-W", "1"] + out
    return ["ping"] + out


ROUTE_NETS = ("192.168.5.0", "10.1.0.0", "172.16.0.0", "default", "10.0.0.0", "192.168.5.7",
              "300.1.1.1", "10.1", "fd01::/64", "2001:db8::/32", "host1", "0.0.0.0")


def nettools_route(rng, names):
    """net-tools `route` lines as tutorials type them (add/del of -net/-host with
    netmask, gw, dev, metric, mss, window, irtt, reject), and listings."""
    if rng.random() < 0.2:
        return ["route"] + rng.choice((["-n"], ["-ee"], ["-6", "-n"], ["-A", "inet6"], ["-e"]))
    words = ["route"] + rng.choice(([], ["-n"], ["-A", "inet"], ["-6"], ["-A", "inet6"]))
    words.append(rng.choice(("add", "del", "add")))
    kind = rng.choice(("-net", "-host", "", "default"))
    if kind == "default":
        words.append("default")
    else:
        words += ([kind] if kind else []) + [rng.choice(ROUTE_NETS)]
    for opt in rng.sample(("netmask", "gw", "dev", "metric", "mss", "window", "irtt",
                           "reject", "mod", "dyn"), rng.randint(0, 3)):
        if opt == "netmask":
            words += ["netmask", rng.choice(("255.255.255.0", "255.255.0.0", "255.0.255.0",
                                             "255.255.255.255"))]
        elif opt == "gw":
            words += ["gw", rng.choice(("10.0.0.2", "10.0.0.254", "192.168.9.1", "fd00::2"))]
        elif opt == "dev":
            words += ["dev", _dev(rng, names)]
        elif opt == "metric":
            words += ["metric", rng.choice(("0", "1", "100", "x"))]
        elif opt in ("mss", "window", "irtt"):
            words += [opt, rng.choice(("1400", "64", "65536", "100"))]
        else:
            words.append(opt)
    return words


def ifconfig(rng, names):
    """net-tools `ifconfig` lines: listings, and a device or alias with addresses,
    masks, flags, mtu, txqueuelen, hw ether, IPv6 add/del."""
    if rng.random() < 0.2:
        return ["ifconfig"] + rng.choice(([], ["-a"], ["-s"], ["-a", "-s"], [_dev(rng, names)]))
    dev = _dev(rng, names)
    words = ["ifconfig", dev + rng.choice(("", "", ":1", ":2"))]
    for opt in rng.sample(("addr", "netmask", "broadcast", "up", "down", "mtu", "hw", "add",
                           "del", "promisc", "-promisc", "arp", "-arp", "allmulti",
                           "txqueuelen", "pointopoint"), rng.randint(1, 3)):
        if opt == "addr":
            words.append(rng.choice(("10.0.0.1", "192.168.1.10", "10.0.0.300", "10.0.0.5/24",
                                     "fd00::1/64")))
        elif opt == "netmask":
            words += ["netmask", rng.choice(("255.255.255.0", "255.0.0.0", "255.0.255.0"))]
        elif opt == "broadcast":
            words += ["broadcast", rng.choice(("10.0.0.255", "10.0.0.3"))]
        elif opt == "mtu":
            words += ["mtu", rng.choice(("1400", "9000", "68", "1279", "x"))]
        elif opt == "hw":
            words += ["hw", "ether", rng.choice(("02:00:00:00:00:31", "01:00:00:00:00:01",
                                                 "zz"))]
        elif opt in ("add", "del"):
            words += [opt, rng.choice(("fd00::1/64", "2001:db8::1/48", "10.0.0.9"))]
        elif opt == "txqueuelen":
            words += ["txqueuelen", rng.choice(("100", "0", "5000"))]
        elif opt == "pointopoint":
            words += ["pointopoint", "10.0.0.9"]
        else:
            words.append(opt)
    return words


Family = Callable[[random.Random, dict], "list[str] | None"]
# (name, function, weight): the share of lines each family has
FAMILIES: tuple[tuple[str, Family, int], ...] = (
    ("ip", ip_walk, 30), ("bridge", bridge_walk, 12), ("nexthop", nexthop, 10),
    ("neigh", neigh, 8), ("address", address, 8), ("kind", kind, 10),
    ("listing", listing, 8), ("tunnel", tunnel, 3), ("maddress", maddress, 3),
    ("netconf", netconf, 3), ("tc", tc, 5), ("ping", ping, 4), ("route", nettools_route, 3),
    ("ifconfig", ifconfig, 3))
# the listing a sequence of a focus ends with, beside the usual ones
FOCUS_LISTINGS = {"nexthop": ("ip nexthop", "ip -6 nexthop"), "kind": ("ip -d link",),
                  "tc": ("tc qdisc", "tc class show dev v0"), "maddress": ("ip maddress",),
                  "netconf": ("ip netconf",), "neigh": ("ip neigh show proxy dev v0",),
                  "tunnel": ("ip tunnel show",), "route": ("route -n", "route -6 -n"),
                  "ifconfig": ("ifconfig -a",)}


def pick(rng: random.Random, focus: str | None = None) -> tuple[str, Family]:
    """A family by weight; the sequence's focus half of the time."""
    if focus is not None and rng.random() < 0.5:
        return next((n, f) for n, f, _ in FAMILIES if n == focus)
    name, fn, _ = rng.choices(FAMILIES, [w for _, _, w in FAMILIES])[0]
    return name, fn
