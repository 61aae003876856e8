"""Command lines a tool's grammar accepts, for fuzzing and property tests.

`examples("ip", 50, seed=1)` walks grammar/ip.lark with the same cursor that parses
(ipemu/syntax.py): at each step it picks one of the keywords or value kinds the parser
accepts there, writes a keyword whole or as an abbreviation that still resolves to it
(iproute2's first-match rule), a value as an example of its kind, and stops where the
grammar may end. Deterministic for a seed; no kernel is needed.
"""
from __future__ import annotations

import random
from typing import Iterator

from ipemu import syntax

# an example word for each value kind of the grammars (%declare in grammar/*.lark)
SAMPLES: dict[str, tuple[str, ...]] = {
    "DEVICE_NAME": ("lo", "eth0", "veth0", "veth1", "br0"),
    "IFNAME": ("veth0", "veth1", "br0", "dummy0", "v10"),
    "LINK_KIND": ("veth", "bridge", "dummy", "vlan"),
    "IP_ADDRESS": ("10.0.2.15", "192.168.2.11", "fe80::1", "127.0.0.1"),
    "IP_PREFIX": ("10.0.2.0/24", "192.168.2.11/24", "default", "2001:db8::/64"),
    "BRD_ADDRESS": ("+", "-", "192.168.2.255"),
    "LINK_ADDRESS": ("02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff"),
    "NUMBER": ("0", "1", "100", "1500"),
    "GROUP_ID": ("default", "1"),
    "NETNS_NAME": ("red", "blue"),
    "NETNS_NEW": ("red", "blue"),
    "TABLE_ID": ("main", "local", "100"),
    "SCOPE_ID": ("global", "link", "host"),
    "PROTO_ID": ("kernel", "static", "boot"),
    "PREF_VALUE": ("low", "medium", "high"),
    "ROUTE_TYPE": ("unicast", "local", "blackhole"),
    "LIFETIME": ("forever", "60"),
    "ONOFF": ("on", "off"),
    "FAMILY_NAME": ("inet", "inet6", "link"),
    "FILE_NAME": ("cmds.txt", "-"),
    "VLAN_ID": ("10", "20"),
    "VLAN_PROTO": ("802.1Q", "802.1ad"),
    "QOS_MAP": ("1:2",),
    "WORD": ("x",),
    "NUD_STATE": ("permanent", "reachable", "stale", "noarp", "all"),
    # grammar/bridge.lark
    "PORT_STATE": ("0", "3", "forwarding"),
    "HWMODE": ("vepa", "veb"),
    "VLAN_RANGE": ("10", "20-30"),
    # grammar/ping.lark
    "HOST": ("10.0.2.2", "127.0.0.1", "localhost", "::1"),
    "COUNT": ("1", "3"),
    "IDENTIFIER": ("1234",),
    "FLOW_LABEL": ("0x12",),
    "INTERVAL": ("0.2", "1"),
    "PRELOAD": ("2",),
    "MARK": ("7",),
    "PMTU_HINT": ("do", "dont", "want", "probe"),
    "NODEINFO_OPT": ("help", "name"),
    "PATTERN": ("ff", "0a0b"),
    "TOS": ("0x10", "16"),
    "PACKET_SIZE": ("0", "56", "1400"),
    "SNDBUF": ("65536",),
    "TTL": ("1", "64"),
    "TIMESTAMP_OPT": ("tsonly", "tsandaddr"),
    "DEADLINE": ("1", "2"),
    "TIMEOUT": ("1",),
    # grammar/tcpdump_options.lark
    "FILTER_WORD": ("icmp", "arp", "host", "10.0.2.2", "and", "port", "53"),
    "BUFFER_SIZE": ("1024",),
    "FILE_SIZE": ("1",),
    "SECRET": ("esp-secret",),
    "SECONDS": ("60",),
    "TSTAMP_TYPE": ("host",),
    "DIRECTION": ("in", "out", "inout"),
    "SNAPLEN": ("0", "96", "262144"),
    "PACKET_TYPE": ("vxlan", "snmp"),
    "FILE_COUNT": ("2",),
    "LINK_TYPE": ("EN10MB", "LINUX_SLL"),
    "COMMAND": ("gzip",),
    "USER_NAME": ("root",),
    "PRECISION": ("micro", "nano"),
    # grammar/route.lark
    "AF_LIST": ("inet", "inet6", "inet,inet6", "ip"),
    "TARGET": ("default", "10.0.0.0", "10.0.0.0/8", "192.168.2.12", "2001:db8::/64"),
    "METRIC": ("0", "5", "100"),
    "NETMASK": ("255.0.0.0", "255.255.255.0"),
    "GATEWAY": ("10.0.2.2", "127.0.0.1", "fe80::1"),
    # grammar/ip.lark: ip rule, ip netns, the link kinds' options
    "TTL_VALUE": ("64", "auto", "inherit"),
    "TOS_VALUE": ("0x10", "inherit", "AF11"),
    "MARK_MASK": ("0x1", "7/0xff"),
    "UID_RANGE": ("1000-2000",),
    "PORT_RANGE": ("53", "1000-2000"),
    "RULE_TYPE": ("blackhole", "unreachable", "prohibit", "local", "7"),
    "NSID_VALUE": ("0", "1", "auto"),
    "PID": ("1",),
}


def _abbreviation(rng: random.Random, cursor: syntax.Cursor, kw: syntax.Keyword) -> str:
    """The keyword or a shorter prefix that the cursor resolves to it."""
    if kw.whole or rng.random() < 0.6:
        return kw.text
    for length in range(1, len(kw.text)):
        hit = cursor.match(kw.text[:length])
        if hit is not None and hit.text == kw.text:
            return kw.text[:length]
    return kw.text


def line(tool: str, rng: random.Random, max_words: int = 12,
         hidden: frozenset[str] = frozenset(), prefix: tuple[str, ...] = ()) -> list[str]:
    """One random command line (argv without the tool's name), starting with the
    words of `prefix` (`("rule", "add")` walks only `ip rule add`'s rules)."""
    cursor = syntax.grammar(tool).cursor(hidden)
    words: list[str] = []
    for word in prefix:
        cursor.feed(word)
        words.append(word)
    while len(words) < max_words + len(prefix):
        keywords, kinds = cursor.expected()
        if words and cursor.can_end() and rng.random() < 0.3:
            break
        keywords = [k for k in keywords if k.text != "help"]   # help only prints usage
        choices = [("kw", k) for k in keywords] + [("value", v) for v in kinds
                                                     if v in SAMPLES]
        if not choices:
            break
        what, item = rng.choice(choices)
        word = (_abbreviation(rng, cursor, item) if what == "kw"
                else rng.choice(SAMPLES[item]))
        fed = cursor.feed(word)
        if cursor.stopped or (what == "kw" and fed.keyword != item.text):
            break   # cannot happen for a consistent grammar; never emit a wrong line
        words.append(word)
    _, kinds = cursor.expected()
    if cursor.takes_value() and kinds[0] in SAMPLES:     # an option's value, never cut off
        words.append(cursor.feed(rng.choice(SAMPLES[kinds[0]])))
    return [str(w) for w in words]


# a grammar named otherwise than the command it is for
COMMANDS = {"tcpdump_options": "tcpdump"}


def examples(tool: str, n: int, seed: int = 0) -> Iterator[str]:
    """`n` command lines of `tool` its grammar accepts, each a string to run."""
    rng = random.Random(seed)
    for _ in range(n):
        yield " ".join([COMMANDS.get(tool, tool)] + line(tool, rng))
