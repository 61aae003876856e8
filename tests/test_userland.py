"""The userland network scripts call (issue 18): edge cases beside the recorded
transcripts (transcripts/userland/), each expected output taken from the recording
machine (Debian 12: GNU sed 4.9, mawk 1.3.4, coreutils 9.1, bash 5.2), the kernel's
views after traffic, and no traceback for any input."""
from __future__ import annotations

import os
import zlib

import pytest

from ipemu.session import Session
from ipemu.tools.userland_tools import USERLAND_TOOLS


def run(session: Session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


@pytest.fixture(scope="module")
def session() -> Session:
    return Session.create()


@pytest.mark.parametrize("line, expected", [
    ("printf 'a\\nb\\nc\\nd\\n' | sed -n 'N;s/\\n/+/p'", "a+b\nc+d\n"),
    ("printf 'a\\nb\\nc\\n' | sed '1!G;h;$!d'", "c\nb\na\n"),
    ("awk 'function fact(n) { return n <= 1 ? 1 : n * fact(n-1) } BEGIN { print fact(10) }'",
     "3628800\n"),
    ("printf 'x:3\\ny:1\\nz:2\\n' | sort -t: -k2n", "y:1\nz:2\nx:3\n"),
    ("echo 'hello world' | cut -c2-4,7-", "ellworld\n"),
    ("echo 'a1b2' | tr -c 'a-z\\n' '#'", "a#b#\n"),
    ("printf 'k v\\nk2 v2\\n' | awk '{ m[$1] = $2 } END { for (k in m) n++; print n, m[\"k2\"] }'",
     "2 v2\n"),
    ("printf '%q\\n' 'a\tb'", "$'a\\tb'\n"),
    # mawk converts with strtod() (hex too) but takes a field as a number only when it
    # ends in a digit (check_strnum()): "0x10" > 5, "0x1A" compared as a string
    ("printf '0x1A\\n0x10\\n0x\\n0x1.8p1\\n' | awk '{print $1+0, ($1 > 5)}'",
     "26 0\n16 1\n0 0\n3 0\n"),
])
def test_outputs_as_recorded(session, line, expected):
    assert run(session, line) == (expected, 0)


def test_views_follow_the_namespace_and_its_traffic():
    session = Session.create()
    for line in ("ip netns add red",
                 "ip link add veth0 type veth peer name veth1 netns red",
                 "ip addr add 10.9.0.1/24 dev veth0", "ip link set veth0 up",
                 "ip -n red addr add 10.9.0.2/24 dev veth1", "ip -n red link set veth1 up",
                 "ip -n red link set lo up", "ping -c 2 10.9.0.2"):
        assert run(session, line)[1] == 0, line
    out, _ = run(session, "ip -s -j link show veth0")
    import json
    stats = json.loads(out)[0]["stats64"]
    assert run(session, "cat /sys/class/net/veth0/statistics/tx_packets") == (
        f"{stats['tx']['packets']}\n", 0)
    assert run(session, "cat /sys/class/net/veth0/operstate") == ("up\n", 0)
    assert run(session, "ls /var/run/netns") == ("red\n", 0)
    assert run(session, "ip netns exec red cat /sys/class/net/veth1/address")[0] == \
        run(session, "ip -n red -br link show veth1 | awk '{print $3}'")[0]
    # /proc/net/route in the namespace: its own connected route
    out, _ = run(session, "ip netns exec red awk 'NR > 1 {print $1, $2}' /proc/net/route")
    assert out == "veth1 0000090A\n"      # 10.9.0.0 in network order, read as a host u32
    assert run(session, "cat /sys/class/net/veth1/mtu") == (
        "cat: /sys/class/net/veth1/mtu: No such file or directory\n", 1)


def test_tee_writes_the_namespace_sysctl():
    session = Session.create()
    assert run(session, "echo 1 | tee /proc/sys/net/ipv4/ip_forward") == ("1\n", 0)
    assert run(session, "sysctl net.ipv4.ip_forward") == ("net.ipv4.ip_forward = 1\n", 0)


def test_xargs_runs_ip_for_each_name():
    session = Session.create()
    run(session, "ip link add d0 type dummy")
    run(session, "ip link add d1 type dummy")
    assert run(session, "printf 'd0\\nd1\\n' | xargs -n1 ip link set up dev")[1] == 0
    assert run(session, "cat /sys/class/net/d0/operstate /sys/class/net/d1/operstate") == (
        "unknown\nunknown\n", 0)


GARBAGE = ["", "-", "--", "-z", "--nope", "'", "\\", "{", "}", "[", "(", ")", "/", "//",
           "s/", "y/a/", "%", "%*d", "-n", "-k", "0", "-1", "1e999", "@", "$", "\\(", "a-",
           "[[:nope:]]", "BEGIN {", "{print $-1}", "x", "-F", "-v", "-I", "-d", "+"]


SECONDS = ("", "x", "-")
LONG = os.environ.get("IPEMU_LONG") == "1"      # the suite's long run (README "Testing")


def odd_arguments(tool: str) -> list[tuple[str, str]]:
    """Every odd first argument, each with one of the second ones in the suite (which
    one turns with the argument and the tool, so every pair comes up over the tools),
    and with all three in the long run: 37 lines a tool, not 111."""
    if LONG:
        return [(first, second) for first in GARBAGE for second in SECONDS]
    turn = zlib.crc32(tool.encode())
    return [(first, SECONDS[(turn + i) % 3]) for i, first in enumerate(GARBAGE)]


@pytest.mark.parametrize("tool", sorted(set(USERLAND_TOOLS) - {"xargs", "env"}))
def test_no_traceback_for_odd_arguments(session, tool):
    for first, second in odd_arguments(tool):
        term, status = session.run_line(f"echo data | {tool} '{first}' {second}".replace(
            "''", "x") if "'" not in first else f"echo data | {tool} \"{first}\" {second}")
        assert "internal error" not in term.text(), (tool, first, second, term.text())
        assert status != 70, (tool, first, second)


def test_every_odd_pair_comes_up_over_the_tools():
    tools = sorted(set(USERLAND_TOOLS) - {"xargs", "env"})
    pairs = {pair for tool in tools for pair in odd_arguments(tool)}
    assert pairs == {(first, second) for first in GARBAGE for second in SECONDS}


def test_el7_uname_is_centos_7_9s():
    # as public CentOS 7.9 consoles show it (RHEL's coreutils answers -p and -i)
    session = Session.create("el7", "bare", "centos7")
    assert run(session, "uname -a") == (
        "Linux centos7 3.10.0-1160.el7.x86_64 #1 SMP Mon Oct 19 16:18:59 UTC 2020 "
        "x86_64 x86_64 x86_64 GNU/Linux\n", 0)


FIND_LINES = ["find /proc/sys/net/ipv4/neigh/d0",
              "find /proc/sys/net/ipv6/conf -maxdepth 1 -type d",
              # a command run from the walk changes what is below (a device comes)
              "find /proc/sys/net/ipv4/conf -maxdepth 1 -path '*/conf' -exec ip link add d9 "
              "type dummy ';' -o -print",
              "find /proc/sys/net/ipv4/neigh/d9 -empty", "find /proc/sys/net/unix | wc -l"]


def test_find_reads_the_sysctls_once_a_walk_as_every_listing_reads_them(monkeypatch):
    """find keeps the namespace's sysctl keys while nothing runs (procfs would work
    them all out again for every file below /proc/sys/net): what it lists is what
    listing every directory afresh lists."""
    from ipemu.tools import find

    def walked() -> list:
        session = Session.create("default", "bare", "h", 0)
        run(session, "ip link add d0 type dummy")
        return [run(session, line) for line in FIND_LINES]
    fast = walked()
    keep = find._Finder.listdir

    def afresh(self, path):
        self.net_keys = None
        return keep(self, path)
    monkeypatch.setattr(find._Finder, "listdir", afresh)
    assert walked() == fast
    assert fast[2][0].endswith("/proc/sys/net/ipv4/conf/d9\n/proc/sys/net/ipv4/conf/default\n"
                               "/proc/sys/net/ipv4/conf/lo\n")
    assert all(status == 0 for _, status in fast) and fast[0][0].count("\n") > 5
