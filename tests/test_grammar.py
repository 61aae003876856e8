"""grammar/ip.lark through ipemu/syntax.py: iproute2's first-match abbreviations, the
words a grammar refuses (the tool then prints iproute2's error), profiles' tables, and
generated input."""
from __future__ import annotations

import pytest

from ipemu import grammar_table, syntax
from ipemu.grammar_gen import examples
from ipemu.session import Session


def resolved(line: str, hidden: frozenset[str] = frozenset()) -> list[str]:
    """What each word is: its keyword, its value kind, or !WORD where the grammar
    stopped."""
    return [w.keyword or w.kind or f"!{w}" for w in syntax.tokenize("ip", line.split(), hidden)]


@pytest.mark.parametrize("line, expected", [
    # ip.c cmds[]: the first object in table order
    ("a", ["address"]), ("r", ["route"]), ("n", ["neighbor"]), ("l", ["link"]),
    ("m", ["maddress"]), ("t", ["tunnel"]), ("s", ["sr"]), ("h", ["help"]),
    # do_iplink(): set before show; do_ipaddr(): list first
    ("link s", ["link", "set"]), ("addr l", ["address", "list"]), ("link l", ["link", "lst"]),
    # ip.c main(): -s is -stats, -h -human (before -help), - alone -loops
    ("-s -d -h link", ["-stats", "-details", "-human", "link"]),
    ("- 3 link", ["-loops", "NUMBER", "link"]),
    ("-4 -6 -0", ["-4", "-6", "-0"]),
    # iproute_modify(): pr is priority; the filter's pr is protocol
    ("route add 10.0.0.0/8 via 1.2.3.4 pr 5 pre low",
     ["route", "add", "IP_PREFIX", "via", "IP_ADDRESS", "priority", "NUMBER", "pref",
      "PREF_VALUE"]),
    ("route show pr kernel t main", ["route", "show", "protocol", "PROTO_ID", "table",
                                     "TABLE_ID"]),
    ("route add unreachable 10/8", ["route", "add", "unreachable", "IP_PREFIX"]),
    # whole words: `d` is no `dev` nor `down`; it is `dynamic` (matches(), recorded in
    # ip/scripts38_link_dynamic_abbrev: `argument of "dynamic" must be "on" or "off"`)
    ("link set d up", ["link", "set", "dynamic", "ONOFF"]),
    ("link set dev up", ["link", "set", "dev", "DEVICE_NAME"]),
    # the inner parser sees a word first: vlan's `l` is loose_binding, not link
    ("link add v0 type vlan id 5 l on", ["link", "add", "DEVICE_NAME", "type", "vlan", "id",
                                        "VLAN_ID", "loose_binding", "ONOFF"]),
    ("link add v0 type veth peer name v1 addr 02:00:00:00:00:01",
     ["link", "add", "DEVICE_NAME", "type", "veth", "peer", "name", "IFNAME", "address",
      "LINK_ADDRESS"]),
    ("monitor l a all all-n", ["monitor", "label", "address", "all", "all-nsid"]),
    ("address add 1.2.3.4/24 dev eth0 brd + h",
     ["address", "add", "IP_PREFIX", "dev", "DEVICE_NAME", "brd", "BRD_ADDRESS", "help"]),
    # iprule_modify(): from/to whole, t is tun_id (before table), p preference, the
    # last word the action; iprule_list_flush_or_save(): d is dst (dev is whole)
    ("rule add from 10.0.0.0/8 t 5 p 10 lookup 100 blackhole",
     ["rule", "add", "from", "IP_PREFIX", "tun_id", "NUMBER", "preference", "NUMBER",
      "lookup", "TABLE_ID", "RULE_TYPE"]),
    ("rule add type g 3", ["rule", "add", "type", "goto", "NUMBER"]),
    # iplink_parse(): t is txqueuelen, ty type
    ("link add v0 t 5 ty dummy", ["link", "add", "DEVICE_NAME", "txqueuelen", "NUMBER",
                                  "type", "dummy"]),
    ("rule add n", ["rule", "add", "nop"]),
    ("rule list d 10.0.0.0/8 not", ["rule", "list", "dst", "IP_PREFIX", "not"]),
    # do_netns(): show before set, list-id whole-word selectors
    ("netns s", ["netns", "show"]), ("netns a red", ["netns", "add", "NETNS_NEW"]),
    ("netns p red", ["netns", "pids", "NETNS_NAME"]),
    ("netns list-i nsid 3", ["netns", "list-id", "nsid", "NSID_VALUE"]),
    # the kinds' parse_opt(): vxlan's d is dev, dst dstport; macvlan's m is mode
    ("link add vx0 type vxlan id 5 d lo dst 4789 noud",
     ["link", "add", "DEVICE_NAME", "type", "vxlan", "id", "NUMBER", "dev", "DEVICE_NAME",
      "dstport", "NUMBER", "noudpcsum"]),
    ("link add m0 link lo type macvlan m bridge nop",
     ["link", "add", "DEVICE_NAME", "link", "DEVICE_NAME", "type", "macvlan", "mode",
      "bridge", "nopromisc"]),
    # iptuntap.c parse_args(): user and group for add only (del takes them as names)
    ("tuntap add mode t u root p", ["tuntap", "add", "mode", "tun", "user", "WORD", "pi"]),
    ("tap del mode tap user", ["tap", "delete", "mode", "tap", "IFNAME"]),
    # iptunnel.c parse_args(): whole words but dsfield and help; any other is the name
    ("tunnel add t0 mode gre key 5 ds inherit h",
     ["tunnel", "add", "IFNAME", "mode", "gre", "key", "WORD", "dsfield", "TOS_VALUE",
      "help"]),
    ("tunnel a mod ipip", ["tunnel", "add", "IFNAME", "IFNAME"]),
    ("tunl c t0 name t1", ["tunl", "change", "IFNAME", "name", "IFNAME"]),
    # link_gre.c: t is ttl; erspan's words are erspan's; link_iptnl.c: d is dev
    ("link add e0 type erspan t 5 erspan_dir in",
     ["link", "add", "DEVICE_NAME", "type", "erspan", "ttl", "TTL_VALUE", "erspan_dir",
      "ingress"]),
    ("link add s0 type sit d lo mode any isatap",
     ["link", "add", "DEVICE_NAME", "type", "sit", "dev", "DEVICE_NAME", "mode", "any",
      "isatap"]),
    # iplink_bond.c: p is peer_notify_delay, pri primary (before primary_reselect)
    ("link add b0 type bond p 5 pri lo m 802.3ad",
     ["link", "add", "DEVICE_NAME", "type", "bond", "peer_notify_delay", "NUMBER",
      "primary", "DEVICE_NAME", "mode", "802.3ad"]),
])
def test_first_match_in_table_order(line, expected):
    assert resolved(line) == expected


def test_refused_words_are_left_to_the_tool():
    assert resolved("link frob x") == ["link", "!frob", "!x"]
    assert resolved("'' link") == ["!''", "!link"]


def test_profile_hides_objects_it_has_not():
    from ipemu.profiles import load as load_profile
    from ipemu.tools.ip import objects_hidden
    hidden = objects_hidden(load_profile("el7"))
    assert {"vrf", "fou", "stats"} <= hidden and "link" not in hidden
    assert resolved("s", hidden) == ["!s"]          # 3.10 has no sr, nor stats
    assert resolved("s") == ["sr"]


@pytest.mark.parametrize("line, err, status", [
    ("ip frob", 'Object "frob" is unknown, try "ip help".\n', 1),
    ("ip link frob", 'Command "frob" is unknown, try "ip link help".\n', 255),
    ("ip -frob link", 'Option "-frob" is unknown, try "ip -help".\n', 255),
    ("ip -color=maybe link", 'Option "-color=maybe" is unknown, try "ip -help".\n', 255),
    ("ip -s=1 link", 'Option "-s=1" is unknown, try "ip -help".\n', 255),
    ("ip link set dev", 'Command line is not complete. Try option "help"\n', 255),
])
def test_errors_keep_iproute2s_text(line, err, status):
    session = Session.create(scenario="bare")
    term, got = session.run_line(line)
    assert (term.stream("stderr"), got) == (err, status)


def test_el7_object_table():
    session = Session.create(profile="el7", scenario="bare")
    term, status = session.run_line("ip vrf")
    assert term.stream("stderr") == 'Object "vrf" is unknown, try "ip help".\n'


def test_examples_are_deterministic_and_parse_whole():
    lines = list(examples("ip", 40, seed=7))
    assert lines == list(examples("ip", 40, seed=7)) and len(lines) == 40
    for text in lines:
        words = text.split()[1:]
        cursor = syntax.grammar("ip").cursor()
        cursor.feed_all(words)
        assert not cursor.stopped, text


def test_examples_never_crash_ip():
    """Generated lines run: errors are iproute2's texts, never ipemu's internal one."""
    session = Session.create(scenario="bare")
    for text in examples("ip", 150, seed=11):
        if " monitor" in text or "-batch" in text or " -b" in text:
            continue   # monitor runs until interrupted; -batch reads files
        term, status = session.run_line(text)
        assert "internal error" not in term.text(), (text, term.text())


@pytest.mark.parametrize("name", grammar_table.TOOLS)
def test_table_matches_its_grammar(name):
    from ipemu.lark_cache import grammar_text
    assert syntax.load_table(name).GRAMMAR_SHA256 == grammar_table.grammar_digest(
        grammar_text(name)), (f"grammar/{name}.lark changed: run `python -m "
                              f"ipemu.grammar_table` and commit ipemu/parsers/{name}_table.py")


def test_every_tool_grammar_has_a_table():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    grammars = {p.stem for p in (root / "grammar").glob("*.lark")} - {"shell", "tcpdump"}
    assert grammars == set(grammar_table.TOOLS)


@pytest.mark.parametrize("name", grammar_table.TOOLS)
def test_table_accepts_what_lark_accepts(name):
    """The table-driven cursor and Lark's own interactive parser agree, word by word,
    on which terminals may come next and where the input may end."""
    from lark import Lark, Token

    from ipemu.lark_cache import grammar_text
    lark = Lark(grammar_text(name), parser="lalr")
    g = syntax.grammar(name)
    for text in examples(name, 60, seed=3):
        words = text.split()[1:]
        cursor = g.cursor()
        interactive = lark.parse_interactive()
        for word in words:
            ours = {k.terminal for k in cursor.expected()[0]} | set(cursor.expected()[1])
            theirs = {t for t in interactive.accepts() if t in g.keywords or t in g.values}
            assert ours == theirs, (text, word)
            fed = cursor.feed(word)
            terminal = (next(k.terminal for k in g.keywords.values() if k.text == fed.keyword
                             and k.terminal in theirs) if fed.keyword else fed.kind)
            interactive.feed_token(Token(terminal, word))
        assert cursor.can_end() == ("$END" in interactive.accepts()), text


@pytest.mark.parametrize("name", grammar_table.TOOLS)
def test_table_is_made_the_same_every_time(name):
    """The generated module is what the generator writes now (states numbered from
    the start, not in Lark's set order)."""
    assert grammar_table.source(name) == grammar_table.module_path(name).read_text()
