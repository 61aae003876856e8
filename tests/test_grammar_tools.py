"""grammar/ping.lark and the other getopt tools through ipemu/syntax.py getopt(): the
profiles' option strings agree with the grammars, options split as glibc's
getopt_long() splits them, and the errors keep glibc's text."""
from __future__ import annotations

import getopt as pygetopt

import pytest

from ipemu import syntax
from ipemu.profiles import load as load_profile
from ipemu.session import Session

PROFILES = ("default", "el7", "oracle-vm")


def _takes_value(name: str, option: str, hidden: frozenset[str]) -> bool:
    cursor = syntax.grammar(name).cursor(hidden)
    cursor.feed(option)
    return cursor.takes_value()


@pytest.mark.parametrize("profile", PROFILES)
def test_ping_optstring_agrees_with_the_grammar(profile):
    optstring = load_profile(profile)["ping_optstring"]
    hidden = syntax.letters_hidden("ping", optstring)
    for i, ch in enumerate(optstring):
        if ch == ":":
            continue
        wants = optstring[i + 1:i + 2] == ":"
        assert _takes_value("ping", "-" + ch, hidden) == wants, (profile, ch)


@pytest.mark.parametrize("argv", [
    "-c 3 10.0.0.1", "-qc3 host", "host -c 1 -i 0.2", "-c", "-x", "-- -c 3",
    "-nqW1 -w 2 a b", "-c3 -- -n", "-", "-I eth0 -s 100 -t 1 x", "-N", "-?", "-h",
])
@pytest.mark.parametrize("profile", PROFILES)
def test_ping_splits_as_gnu_getopt(profile, argv):
    optstring = load_profile(profile)["ping_optstring"]
    args = argv.split()
    try:
        expected = pygetopt.gnu_getopt(args, optstring)
        expected = ([(o, v if v or optstring[optstring.index(o[1]) + 1:][:1] == ":" else None)
                     for o, v in expected[0]], expected[1])
    except pygetopt.GetoptError as err:
        expected = err.opt
    try:
        pairs, operands = syntax.getopt("ping", "ping", args,
                                        syntax.letters_hidden("ping", optstring))
        got = (pairs, [str(w) for w in operands])
    except syntax.GetoptError as err:
        got = err.message.rsplit("'", 2)[-2]
    assert got == expected


@pytest.mark.parametrize("line, err, status", [
    ("ping -x 1.2.3.4", "ping: invalid option -- 'x'\n", 2),
    ("ping -c", "ping: option requires an argument -- 'c'\n", 2),
    ("ping -N", "ping: option requires an argument -- 'N'\n", 2),   # iputils 20221126, run
])
def test_ping_errors_keep_glibcs_text(line, err, status):
    session = Session.create(scenario="bare")
    term, got = session.run_line(line)
    assert term.stream("stderr").startswith(err) and got == status


def test_ping_operands_are_hosts():
    pairs, operands = syntax.getopt("ping", "ping", ["-c", "1", "example.com"])
    assert pairs == [("-c", "1")] and [w.kind for w in operands] == ["HOST"]


@pytest.mark.parametrize("profile", PROFILES)
def test_tcpdump_options_agree_with_the_grammar(profile):
    data = load_profile(profile)
    optstring, longopts = data["tcpdump_optstring"], tuple(data["tcpdump_longopts"])
    hidden = syntax.letters_hidden("tcpdump_options", optstring, longopts)
    for i, ch in enumerate(optstring):
        if ch != ":":
            wants = optstring[i + 1:i + 2] == ":"
            assert _takes_value("tcpdump_options", "-" + ch, hidden) == wants, (profile, ch)
    for name in longopts:
        wants = name.endswith("=")
        assert _takes_value("tcpdump_options", "--" + name.rstrip("="), hidden) == wants


@pytest.mark.parametrize("argv", [
    "-ni eth0 -c 3 icmp", "icmp -n", "-i", "--interface=lo -w x.pcap", "--interface lo",
    "--list", "--inter lo", "--nu", "--version=1", "--micro", "--frob", "-- -n", "-#vv",
    "-r", "--time-stamp-precision", "--i", "-s0 port 53",
])
@pytest.mark.parametrize("profile", PROFILES)
def test_tcpdump_splits_as_gnu_getopt(profile, argv):
    data = load_profile(profile)
    optstring, longopts = data["tcpdump_optstring"], tuple(data["tcpdump_longopts"])
    args = argv.split()
    try:
        opts, operands = pygetopt.gnu_getopt(args, optstring, list(longopts))
        expected = ([(o, v if _takes(o, optstring, longopts) else None) for o, v in opts],
                    operands)
    except pygetopt.GetoptError as err:
        expected = err.opt
    try:
        pairs, words = syntax.getopt("tcpdump_options", "tcpdump", args,
                                     syntax.letters_hidden("tcpdump_options", optstring,
                                                           longopts))
        got = (pairs, [str(w) for w in words])
    except syntax.GetoptError as err:
        got = err.message.split("'")[1].lstrip("-") if "--" in err.message else \
            err.message.rsplit("'", 2)[-2]
    assert got == expected


def _takes(option: str, optstring: str, longopts: tuple[str, ...]) -> bool:
    if option.startswith("--"):
        return option[2:] + "=" in longopts
    return optstring[optstring.index(option[1]) + 1:][:1] == ":"


@pytest.mark.parametrize("name, tool", [("ping", "ping"), ("tcpdump_options", "tcpdump")])
def test_examples_split_back_whole(name, tool):
    """Generated lines of a getopt grammar split back through getopt() without an
    error, every value drawn from its kind's samples."""
    from ipemu.grammar_gen import SAMPLES, examples
    g = syntax.grammar(name)
    assert set(g.values) <= set(SAMPLES)
    lines = list(examples(name, 50, seed=5))
    assert lines == list(examples(name, 50, seed=5))
    for text in lines:
        syntax.getopt(name, tool, text.split()[1:])


def _resolved(name: str, line: str) -> list[str]:
    return [w.keyword or w.kind or f"!{w}" for w in syntax.tokenize(name, line.split())]


@pytest.mark.parametrize("line, expected", [
    # bridge.c main(): -s is -stats, -c -color (before -compressvlans), -d -details
    ("-s -c -d l", ["-stats", "-color", "-details", "link"]),
    ("-compressvlans v show", ["-compressvlans", "vlan", "show"]),
    # cmds[]: link fdb mdb vlan vni monitor help
    ("m", ["mdb"]), ("v", ["vlan"]), ("f", ["fdb"]), ("h", ["help"]),
    # do_fdb(): add before append; fdb_modify(): the MAC is what no keyword takes
    ("fdb a 02:00:00:00:00:01 dev vx0 dst 10.0.0.2 s",
     ["fdb", "add", "LINK_ADDRESS", "dev", "DEVICE_NAME", "dst", "IP_ADDRESS", "static"]),
    ("fdb d 0:0:0:0:0:0 dev vx0", ["fdb", "delete", "LINK_ADDRESS", "dev", "DEVICE_NAME"]),
    ("link show dev eth0", ["link", "show", "dev", "DEVICE_NAME"]),
    ("monitor l f x", ["monitor", "link", "file", "FILE_NAME"]),
])
def test_bridge_first_match(line, expected):
    assert _resolved("bridge", line) == expected


@pytest.mark.parametrize("line, err, status", [
    ("bridge -x link", 'Option "-x" is unknown, try "bridge help".\n', 255),
    ("bridge fdb frob", 'Command "frob" is unknown, try "bridge fdb help".\n', 255),
    ("bridge", "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n", 255),    # run
    ("bridge -h", "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n", 255),
])
def test_bridge_errors(line, err, status):
    session = Session.create(scenario="bare")
    term, got = session.run_line(line)
    assert term.stream("stderr").startswith(err) and got == status


def test_bridge_examples_never_crash():
    from ipemu.grammar_gen import examples
    session = Session.create(scenario="bare")
    for text in examples("bridge", 80, seed=2):
        if " monitor" in text or "-b" in text.split():
            continue
        term, _ = session.run_line(text)
        assert "internal error" not in term.text(), (text, term.text())


@pytest.mark.parametrize("line, expected", [
    # ipneigh_modify(): lladdr, nud, proxy before protocol; the address is the rest
    ("neigh add 10.0.0.2 l 02:00:00:00:00:01 dev eth0 nud permanent",
     ["neighbor", "add", "IP_ADDRESS", "lladdr", "LINK_ADDRESS", "dev", "DEVICE_NAME", "nud",
      "NUD_STATE"]),
    ("n a 10.0.0.2 pr 1.2.3.4", ["neighbor", "add", "IP_ADDRESS", "proxy", "IP_ADDRESS"]),
    ("n a 1.2.3.4 e dev x", ["neighbor", "add", "IP_ADDRESS", "extern_learn", "dev",
                             "DEVICE_NAME"]),
    # do_show_or_flush(): whole words but protocol and help
    ("n show dev eth0 nud all", ["neighbor", "show", "dev", "DEVICE_NAME", "nud", "NUD_STATE"]),
    ("n flush d", ["neighbor", "flush", "IP_PREFIX"]),
])
def test_ip_neigh_first_match(line, expected):
    assert _resolved("ip", line) == expected


def test_neigh_completion():
    from ipemu.shell.complete import completions
    session = Session.create(scenario="bare")
    assert completions("ip neigh add 10.0.0.2 dev lo nud p", session) == ["permanent", "probe"]
    assert "lladdr" in completions("ip neigh add 10.0.0.2 ", session)


# ---------------------------------------------------------------- route (net-tools)
@pytest.mark.parametrize("line, expected", [
    # getopt permutes: the words come after every option, -net/-host stay words
    ("-n add -net 10.0.0.0 netmask 255.0.0.0 -e dev lo",
     ["-n", "-e", "add", "-net", "TARGET", "netmask", "NETMASK", "dev", "DEVICE_NAME"]),
    ("-A inet6 del default gw fe80::1 eth0",
     ["-A", "del", "TARGET", "gw", "GATEWAY", "DEVICE_NAME"]),
    ("--pro=inet add -host 1.2.3.4 reject", ["--protocol", "add", "-host", "TARGET", "reject"]),
    # every word of INET_setroute() is compared whole: `g` is a device
    ("add default g", ["add", "TARGET", "DEVICE_NAME"]),
    ("frob", ["!frob"]),
])
def test_route_splits_as_glibc_getopt(line, expected):
    from ipemu.tools.route import GETOPT_MODE
    pairs, words = syntax.getopt("route", "route", line.split(), mode=GETOPT_MODE)
    got = [o for o, _ in pairs] + [w.keyword or w.kind or f"!{w}" for w in words]
    assert got == expected


@pytest.mark.parametrize("line, err, status", [
    # glibc's messages, each counted as '?' (help: usage(0)) and the loop goes on;
    # recorded on Debian 12 (net-tools 2.10) in a fresh namespace
    ("route -x -y", "route: invalid option -- 'x'\nroute: invalid option -- 'y'\n", 0),
    ("route --v", "route: option '--v' is ambiguous; possibilities: '--verbose' '--version'\n",
     0),
    ("route --fib=2", "route: option '--fib' doesn't allow an argument\n", 0),
    ("route -A", "route: option requires an argument -- 'A'\n", 0),
    ("route --tcpip", "route.c: Internal Error `longopts 1 range'.\n", 1),
    ("route -A -net", "Unknown address family `#net'.\n", 1),      # renamed before getopt
])
def test_route_errors_keep_glibcs_text(line, err, status):
    session = Session.create(scenario="bare")
    term, got = session.run_line(line)
    assert term.stream("stderr").startswith(err) and got == status


def test_route_examples_never_crash():
    from ipemu.grammar_gen import examples
    session = Session.create(scenario="bare")
    lines = list(examples("route", 120, seed=4))
    assert any(" add " in f" {text} " for text in lines)
    for text in lines:
        term, _ = session.run_line(text)
        assert "internal error" not in term.text().lower() or "longopts" in term.text(), \
            (text, term.text())
