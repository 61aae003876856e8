"""Profiles are data: every version-dependent text (version banners, usage texts, option
strings) comes from ipemu/profiles/*.toml and the usage sets they name, and no tool
module carries a version of its own."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ipemu.profiles import Profile, available, load, usage_file
from ipemu.session import Session
from ipemu.tools.ip import HANDLERS
from ipemu.tools.ipargs import first_match

TOOLS = Path(__file__).resolve().parent.parent / "ipemu" / "tools"
VERSION_KEYS = ["ip_version", "ping_version", "tcpdump_version", "route_version"]


def run(profile: str, line: str) -> tuple[str, str, int]:
    term, status = Session.create(profile, "bare").run_line(line)
    return term.stream("stdout"), term.stream("stderr"), status


@pytest.mark.parametrize("name", available())
def test_every_profile_has_every_key_of_the_default(name):
    # tools index the profile without defaults of their own: a missing key is a bug
    assert set(load("default").values) <= set(load(name).values)


@pytest.mark.parametrize("name", available())
def test_a_usage_set_only_replaces_texts_of_the_default_set(name):
    usage_set = load(name)["usage_set"]
    if not usage_set:
        return
    folder = TOOLS / "usage" / usage_set
    assert folder.is_dir()
    for text in folder.glob("*.txt"):
        assert (TOOLS / "usage" / text.name).is_file(), text.name
        assert usage_file(text.stem, usage_set) == text


def _version_literals() -> set[str]:
    """The default profile's version numbers: 6.1.0, 20221126, 4.99.3, 1.10.3, 2.10 ..."""
    default = load("default")
    found: set[str] = set()
    for key in VERSION_KEYS:
        found |= set(re.findall(r"\b\d{8}\b|\b\d+\.\d+(?:\.\d+)?\b", default[key]))
    return found


def test_no_tool_module_carries_a_version_literal():
    literals = _version_literals()
    assert {"6.1.0", "20221126", "4.99.3", "1.10.3", "2.10"} <= literals
    for module in sorted(TOOLS.glob("*.py")):
        text = module.read_text()
        for literal in literals:
            assert not re.search(rf"(?<![\d.]){re.escape(literal)}(?![\d.])", text), (
                f"{module.name} holds {literal!r}: version texts belong in ipemu/profiles/")


# -- default: this machine's tools (Debian 12), as recorded

def test_default_versions_are_the_profile_texts():
    profile = load("default")
    assert run("default", "ip -V") == (profile["ip_version"] + "\n", "", 0)
    assert run("default", "ping -V") == (profile["ping_version"], "", 0)
    assert run("default", "route -V") == (profile["route_version"], "", 0)
    assert run("default", "tcpdump --version") == (profile["tcpdump_version"], "", 0)
    assert profile["ping_version"].startswith("ping from iputils 20221126\n")
    assert profile["tcpdump_version"].startswith("tcpdump version 4.99.3\n")


def test_default_tcpdump_help_is_version_then_usage_on_stdout():
    # tcpdump 4.99.3 tcpdump.c: case 'h': print_usage(stdout)
    out, err, status = run("default", "tcpdump -h")
    assert (err, status) == ("", 0)
    assert out == load("default")["tcpdump_version"] + load("default").usage("tcpdump_usage")
    assert "Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n" in out


def test_default_ping_without_destination_is_an_error_message():
    assert run("default", "ping") == (
        "", "ping: usage error: Destination address required\n", 1)


# -- el7: CentOS 7's tools, from the sources of their versions

def test_el7_ping_prints_iputils_s20160308_texts():
    # iputils s20160308 ping.c: case 'V': printf("ping utility, iputils-%s\n", SNAPSHOT)
    assert run("el7", "ping -V") == ("ping utility, iputils-s20160308\n", "", 0)
    # s20160308 ping.c usage(), then ping6_usage(1); `if (!argc) usage();` exits 2
    out, err, status = run("el7", "ping")
    assert (out, status) == ("", 2)
    assert err.startswith(
        "Usage: ping [-aAbBdDfhLnOqrRUvV64] [-c count] [-i interval] [-I interface]\n"
        "            [-m mark] [-M pmtudisc_option] [-l preload] [-p pattern] [-Q tos]\n")
    assert "Usage: ping -6 [-aAbBdDfhLnOqrRUvV] [-c count]" in err
    assert err == load("el7").usage("ping_usage")
    assert run("el7", "ping -h")[1:] == (err, 2)


def test_el7_ping_refuses_options_s20160308_lacks():
    # -C came after s20160308: getopt() reports it, then usage()
    out, err, status = run("el7", "ping -C 127.0.0.1")
    assert (out, status) == ("", 2)
    assert err.startswith("ping: invalid option -- 'C'\nUsage: ping [-aAbBdDfhLnOqrRUvV64]")


def test_el7_tcpdump_prints_4_9_2_texts_on_stderr():
    # tcpdump-4.9.2 tcpdump.c print_version() and print_usage() write to stderr
    assert run("el7", "tcpdump --version") == (
        "", "tcpdump version 4.9.2\nlibpcap version 1.5.3\nOpenSSL 1.0.2k-fips  26 Jan 2017\n", 0)
    out, err, status = run("el7", "tcpdump -h")
    assert (out, status) == ("", 0)
    assert err.startswith("tcpdump version 4.9.2\nlibpcap version 1.5.3\n")
    assert ("Usage: tcpdump [-aAbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ]\n"
            "\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n") in err
    # case 's': error("invalid snaplen %s", optarg)
    assert run("el7", "tcpdump -s 999999") == ("", "tcpdump: invalid snaplen 999999\n", 1)
    # --count came with 4.99
    assert run("el7", "tcpdump --count")[1].startswith("tcpdump: unrecognized option '--count'\n")


def test_el7_ip_prints_iproute2_3_10_texts():
    # iproute2 v3.10.0 ip/ip.c: printf("ip utility, iproute2-ss%s\n", SNAPSHOT)
    assert run("el7", "ip -V") == ("ip utility, iproute2-ss130716\n", "", 0)
    out, err, status = run("el7", "ip help")
    assert out == ""
    assert err.startswith(
        "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
        "       ip [ -force ] -batch filename\n"
        "where  OBJECT := { link | addr | addrlabel | route | rule | neigh | ntable |\n")


# -- every usage text a tool prints is the profile's

def _usage_calls():
    """(module, line, call) for each usage_text()/usage_error() call in ipemu/tools."""
    for module in sorted(TOOLS.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("usage_text", "usage_error")):
                yield module.name, node.lineno, node


def test_every_usage_call_names_the_profile():
    # a call without one printed the default's text under --profile el7
    calls = list(_usage_calls())
    assert len(calls) > 20
    for module, line, call in calls:
        named = len(call.args) >= 2 or any(k.arg == "profile" for k in call.keywords)
        assert named, f"{module}:{line} prints a usage text without the profile"


def test_no_code_reads_the_profile_with_a_default_of_its_own():
    # a default belongs in default.toml, once; Profile offers no get(key, default)
    assert not hasattr(Profile, "get")
    for module in sorted((TOOLS.parent).rglob("*.py")):
        assert not re.search(r"profile\.get\(|INTERVAL_DRIFT", module.read_text()), module


# (command line, usage text, stream, status) on each profile: iproute2's usage()
# functions write to stderr and exit(-1); a link type's help goes to stdout
EL7_USAGES = [
    ("ip help", "ip", "stderr", 255),
    ("ip link help", "ip_link", "stderr", 255),
    # v3.10.0 iplink.c do_iplink(): `help` is usage() whatever follows
    ("ip link help veth", "ip_link", "stderr", 255),
    ("ip link help bridge", "ip_link", "stderr", 255),
    ("ip address help", "ip_address", "stderr", 255),
    ("ip route help", "ip_route", "stderr", 255),
    ("ip neigh help", "ip_neigh", "stderr", 255),
    ("ip netns help", "ip_netns", "stderr", 255),
    ("ip xfrm", "ip_xfrm", "stderr", 255),
    ("ip rule help", "ip_rule", "stderr", 255),
    ("ip monitor help", "ip_monitor", "stderr", 255),
    # link_veth.c usage() is a printf; veth_parse_opt() returns -1
    ("ip link add veth0 type veth help", "ip_link_veth", "stdout", 1),
    ("ip link add link lo name v0 type vlan help", "ip_link_vlan", "stderr", 1),
    ("ping", "ping_usage", "stderr", 2),
    # net-tools' 2013 snapshot: usage(void), all on stderr, exit(E_USAGE)
    ("ifconfig -h", "ifconfig_usage", "stderr", 0),
    ("netstat -h", "netstat_usage", "stderr", 0),
]
DEFAULT_USAGES = [case for case in EL7_USAGES if case[0] not in (
    "ip link help veth", "ip link help bridge", "ping", "ifconfig -h", "netstat -h")] + [
    # v6.1.0 iplink.c do_help(): the link_util's print_help(), on stdout
    ("ip link help veth", "ip_link_veth", "stdout", 0),
    ("ip link help bridge", "ip_link_bridge", "stdout", 0),
    ("ip link help vlan", "ip_link_vlan", "stdout", 0),
    ("ip link help dummy", "ip_link_dummy", "stdout", 0),
]


@pytest.mark.parametrize("line, name, stream, status", EL7_USAGES)
def test_el7_prints_its_own_usage_texts(line, name, stream, status):
    out, err, got = run("el7", line)
    text = load("el7").usage(name)
    assert {"stdout": out, "stderr": err}[stream] == text
    assert {"stdout": err, "stderr": out}[stream] == ""
    assert got == status


@pytest.mark.parametrize("line, name, stream, status", DEFAULT_USAGES)
def test_default_prints_its_usage_texts(line, name, stream, status):
    out, err, got = run("default", line)
    assert ({"stdout": out, "stderr": err}[stream], got) == (load("default").usage(name), status)


def test_every_el7_usage_text_is_printed_by_some_command():
    printed = {name for _, name, _, _ in EL7_USAGES} | {"tcpdump_usage"}
    assert {text.stem for text in (TOOLS / "usage" / "el7").glob("*.txt")} <= printed


def test_el7_ip_texts_are_3_10s_not_the_defaults():
    # v3.10.0 iprule.c usage(): one line of commands, no l3mdev/uidrange/SUPPRESSOR
    assert load("el7").usage("ip_rule").startswith(
        "Usage: ip rule [ list | add | del | flush ] SELECTOR ACTION\n")
    for name in ("ip", "ip_link", "ip_address", "ip_route", "ip_neigh", "ip_netns", "ip_rule",
                 "ip_monitor", "ip_link_vlan"):
        assert load("el7").usage(name) != load("default").usage(name), name


# -- ip.c's object table is the profile's

# simulated objects an older profile's ip does not have (v3.10.0 ip/ip.c cmds[]: no vrf, no nexthop)
# not in 3.10's cmds[]
ABSENT_OBJECTS = {"el7": {"vrf", "nexthop", "macsec", "stats", "fou", "ila", "sr", "mptcp",
                          "ioam"}}


@pytest.mark.parametrize("name", available())
def test_every_simulated_ip_object_is_in_each_profiles_table(name):
    # an object missing from a table could never be reached
    assert set(HANDLERS) - ABSENT_OBJECTS.get(name, set()) <= set(load(name)["ip_objects"])


def test_el7_objects_are_iproute2_3_10s():
    # v3.10.0 ip/ip.c cmds[]: no fou, ila, macsec, vrf, sr, nexthop, mptcp, ioam, stats
    for word in ("vrf", "nexthop", "macsec", "mptcp", "stats", "s", "f", "i", "v"):
        assert run("el7", f"ip {word}") == (
            "", f'Object "{word}" is unknown, try "ip help".\n', 1), word
        assert "is unknown" not in run("default", f"ip {word}")[1], word
    table = load("el7")["ip_objects"]
    assert [first_match(w, table) for w in ("a", "r", "n", "l", "t", "m", "h")] == [
        "address", "route", "neighbor", "link", "tunnel", "maddress", "help"]
    assert run("el7", "ip r")[2] == 0


def test_default_objects_are_iproute2_6_1s():
    table = load("default")["ip_objects"]
    assert table.index("macsec") < table.index("tunnel") and table[-2:] == ["help", "stats"]
    assert [first_match(w, table) for w in ("s", "st", "i", "f")] == ["sr", "stats", "ila", "fou"]


# -- el7's net-tools: the 2013-10-04 git snapshot (upstream commit 2356964)

def test_el7_route_version_is_the_snapshots_on_stderr():
    # Makefile RELEASE = 2.10-alpha; route.c version(): fprintf(stderr, ...), exit(0)
    out, err, status = run("el7", "route -V")
    assert (out, status) == ("", 0)
    assert err == load("el7")["route_version"] and err.startswith("net-tools 2.10-alpha\n")


def test_el7_route_usage_is_on_stderr_with_status_0():
    # the snapshot's usage(void): all on stderr, exit(E_USAGE) and E_USAGE is 0
    profile = load("el7")
    usage = profile.usage("route_usage") + profile.usage("route_families")
    for line in ("route -h", "route foo"):
        out, err, status = run("el7", line)
        assert (out, status) == ("", 0), line
        # one stream, in the program's order: the text, then print_aflist()'s lines
        assert err.startswith("Usage: route [-nNvee] [-FC] [<AF>]"), line
        assert err.endswith("    ddp (Appletalk DDP) x25 (CCITT X.25) \n"), line
        assert sorted(err.splitlines()) == sorted(usage.splitlines()), line
    # lib/inet_sr.c usage(void) returns E_USAGE: `route add` alone is not an error
    assert run("el7", "route add") == ("", profile.usage("inet_route"), 0)
    # 2.10 asks usage(E_OPTERR) for a bad word, usage(E_USAGE) on stdout for -h
    assert run("default", "route foo")[2] == 3
    assert run("default", "route -h")[0].startswith("Usage: route [-nNvee] [-FC] [<AF>]")


def test_el7_route_errors_end_in_mains_usage():
    # INET_setroute(): a message and `return E_OPTERR`; main(): if (i == E_OPTERR) usage();
    out, err, status = run("el7", "route add 1.2.3.4 mss 5")
    assert (out, status) == ("", 0)
    assert err.startswith("route: Invalid MSS/MTU.\nUsage: route [-nNvee] [-FC] [<AF>]")
    # 2.10 follows the message with inet_route's usage and E_OPTERR
    assert run("default", "route add 1.2.3.4 mss 5") == (
        "", "route: Invalid MSS/MTU.\n" + load("default").usage("inet_route"), 3)


def test_el7_route_unknown_target_is_status_1():
    # the snapshot's INET_setroute(): herror(target); return (1); 2.10 returns E_LOOKUP
    assert run("el7", "route add nosuchhost") == ("", "nosuchhost: Unknown host\n", 1)
    assert run("default", "route add nosuchhost")[2] == 6
    assert run("el7", "route add 1.2.3.4 gw nosuchgw")[2] == 6
