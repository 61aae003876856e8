"""Profiles are data: every version-dependent text (version banners, usage texts, option
strings) comes from ipemu/profiles/*.toml and the usage sets they name, and no tool
module carries a version of its own."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipemu.profiles import available, load, usage_file
from ipemu.session import Session

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
