"""The fixes round 42's policy-routing and multi-homing tutorials led to (their cases,
tutorials42b_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1, iputils 20221126, util-linux 2.38.1),
twice, the two recordings alike under diff.py's masks. The cases name tables in
/etc/iproute2/rt_tables through a home copy bind-mounted over the file, in the
recorder's private mount namespace (the machine's own /etc must not change)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


HINT = "       dmesg(1) may have more information after failed mount system call.\n"


# --- mount --bind: a home copy of rt_tables over /etc's (tutorials42b_mount_bind_*)

def test_a_bind_mounted_rt_tables_names_the_tables_until_it_is_unmounted():
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "ip addr add 10.20.0.1/24 dev veth0", "ip link set veth0 up",
                   "cp /etc/iproute2/rt_tables rt_tables",
                   "echo '200 mytable' >> rt_tables",
                   "ip rule add from 10.20.0.1 table 200")
    assert _run(shell, "mount -B rt_tables /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "ip rule show from 10.20.0.1") == (
        "32765:\tfrom 10.20.0.1 lookup mytable\n", 0)
    # a write through the mount point lands in the copy
    _run(shell, 'echo "201 other" >> /etc/iproute2/rt_tables')
    assert _run(shell, "tail -2 rt_tables") == ("200 mytable\n201 other\n", 0)
    # mounts stack: each umount takes the top one off
    assert _run(shell, "mount -o bind rt_tables /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "umount /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "ip rule show from 10.20.0.1")[0].endswith("lookup mytable\n")
    assert _run(shell, "umount /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "ip rule show from 10.20.0.1") == (
        "32765:\tfrom 10.20.0.1 lookup 200\n", 0)
    assert _run(shell, "umount /etc/iproute2/rt_tables") == (
        "umount: /etc/iproute2/rt_tables: not mounted.\n", 32)
    assert _run(shell, "grep -c . /etc/iproute2/rt_tables") == ("11\n", 0)


def test_mount_bind_errors_are_libmounts():
    shell = _shell("mkdir d")
    assert _run(shell, "mount --bind rt_tables /etc/iproute2/rt_tables") == (
        "mount: /etc/iproute2/rt_tables: special device rt_tables does not exist.\n"
        + HINT, 32)
    assert _run(shell, "mount --bind /etc/iproute2/rt_tables /etc/iproute2/rt_tablez") == (
        "mount: /etc/iproute2/rt_tablez: mount point does not exist.\n" + HINT, 32)
    assert _run(shell, "mount --bind d /etc/iproute2/rt_tables") == (
        "mount: /etc/iproute2/rt_tables: mount point is not a directory.\n" + HINT, 32)
    assert _run(shell, "mount --bind /etc/hostname /mnt") == (
        "mount: /mnt: mount(2) system call failed: Not a directory.\n" + HINT, 32)
    assert _run(shell, "mount --bind /mnt") == (
        "mount: /mnt: mount(2) system call failed: No such file or directory.\n" + HINT, 32)
    assert _run(shell, "mount --bind") == (
        "mount: bad usage\nTry 'mount --help' for more information.\n", 1)
    assert _run(shell, "mount --bnd d /mnt") == (
        "mount: unrecognized option '--bnd'\nTry 'mount --help' for more information.\n", 1)


def test_a_bind_mounted_directory_shows_and_takes_the_sources_files():
    shell = _shell("mkdir -p a b", "echo one > a/f")
    assert _run(shell, "mount --bind a b") == ("", 0)
    assert _run(shell, "cat b/f") == ("one\n", 0)
    _run(shell, "echo two > b/f")
    assert _run(shell, "cat a/f") == ("two\n", 0)
    assert _run(shell, "umount b") == ("", 0)
    assert _run(shell, "ls b") == ("", 0)
    assert _run(shell, "umount nosuch") == ("umount: nosuch: no mount point specified.\n", 32)


# --- ip_route_connect(): the second lookup with the chosen source
#     (tutorials42b_oneuptime_unreachable_policy)

def test_connect_looks_the_route_up_again_with_the_source_it_chose():
    shell = _shell("ip netns add gw", "ip link add eth0 type veth peer name g0 netns gw",
                   "ip addr add 192.168.1.10/24 dev eth0", "ip link set eth0 up",
                   "ip link set lo up", "ip -n gw addr add 192.168.1.1/24 dev g0",
                   "ip -n gw link set g0 up", "ip route add default via 192.168.1.1",
                   "ip route add unreachable 10.50.0.0/24 table 100",
                   "ip rule add from 192.168.1.0/24 table 100")
    # the first lookup (no source) finds main's default route and the source
    # 192.168.1.10; the second, from it, meets table 100's unreachable route
    assert _run(shell, "ping -c 1 -W 1 10.50.0.1") == (
        "ping: connect: No route to host\n", 2)
    # a source the rule does not match leaves the first answer standing
    assert _run(shell, "ping -c 1 -W 1 10.60.0.1")[0].startswith(
        "PING 10.60.0.1 (10.60.0.1) 56(84) bytes of data.\n")


# --- dead gateways: fib_good_nh() (tutorials42b_ahern_multipath_use_neigh,
#     tutorials42b_nexthop_group_dead_gateway)

_GETS = ("for p in 1000 1001 1002 1003 1004 1005; do ip route get 15.0.0.5 ipproto tcp "
         "sport $p dport 22 | head -1; done")
_VIA2 = "15.0.0.5 via 12.0.0.2 dev swp1 src 12.0.0.1 uid 0 \n"
_VIA3 = "15.0.0.5 via 12.0.0.3 dev swp1 src 12.0.0.1 uid 0 \n"


def _tor(route: str):
    return _shell("sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
                  "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                  "sysctl -qw net.ipv4.fib_multipath_hash_policy=1",
                  "sysctl -qw net.ipv4.fib_multipath_hash_seed=7",
                  "ip netns add tor", "ip link add swp1 type veth peer name s1 netns tor",
                  "ip addr add 12.0.0.1/24 dev swp1", "ip link set swp1 up",
                  "ip link set lo up", "ip -n tor addr add 12.0.0.3/24 dev s1",
                  "ip -n tor link set s1 up", "ip -n tor link set lo up",
                  "ip -n tor addr add 15.0.0.5/32 dev lo", route)


def test_use_neigh_passes_over_a_gateway_whose_neighbour_is_not_valid():
    shell = _tor("ip route add 15.0.0.0/16 nexthop via 12.0.0.2 dev swp1 weight 1 "
                 "nexthop via 12.0.0.3 dev swp1 weight 1")
    hashed = _VIA2 * 4 + _VIA3 + _VIA2
    assert _run(shell, _GETS) == (hashed, 0)
    _run(shell, "ping -c 1 -W 1 12.0.0.2")           # INCOMPLETE, FAILED 3 s on
    assert _run(shell, _GETS) == (hashed, 0)          # the sysctl is 0
    _run(shell, "sysctl -w net.ipv4.fib_multipath_use_neigh=1")
    assert _run(shell, _GETS) == (_VIA3 * 6, 0)
    # the ping's echo leaves by the good leg too
    assert "1 received" in _run(shell, "ping -c 1 -W 1 15.0.0.5")[0]
    # STALE is NUD_VALID; no entry at all counts as good
    _run(shell, "ip neigh replace 12.0.0.2 lladdr 02:00:00:00:00:02 dev swp1 nud stale")
    assert _run(shell, _GETS) == (hashed, 0)
    _run(shell, "ip neigh replace 12.0.0.2 dev swp1 nud failed")
    assert _run(shell, _GETS) == (_VIA3 * 6, 0)
    _run(shell, "ip neigh del 12.0.0.2 dev swp1")
    assert _run(shell, _GETS) == (hashed, 0)


def test_a_nexthop_group_checks_its_gateways_without_the_sysctl():
    shell = _tor("ip nexthop add id 1 via 12.0.0.2 dev swp1")
    for line in ("ip nexthop add id 2 via 12.0.0.3 dev swp1", "ip nexthop add id 101 group 1/2",
                 "ip route add 15.0.0.0/16 nhid 101", "ping -c 1 -W 1 12.0.0.2"):
        _run(shell, line)
    assert _run(shell, _GETS) == (_VIA3 * 6, 0)
    assert "1 received" in _run(shell, "ping -c 1 -W 1 15.0.0.5")[0]
    # none good: the group's first entry
    _run(shell, "ip neigh replace 12.0.0.3 dev swp1 nud failed")
    assert _run(shell, _GETS) == (_VIA2 * 6, 0)


# --- the datagrams of an ECMP route follow the flow's hash, as ip route get does
#     (tutorials42b_ecmp_pings_per_flow)

def test_pings_leave_by_the_gateway_ip_route_get_names():
    shell = _shell("sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
                   "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                   "sysctl -qw net.ipv4.fib_multipath_hash_seed=11",
                   "ip netns add g1", "ip netns add g2",
                   "ip link add eth0 type veth peer name x0 netns g1",
                   "ip link add eth1 type veth peer name x1 netns g2",
                   "ip addr add 10.1.0.2/24 dev eth0", "ip addr add 10.2.0.2/24 dev eth1",
                   "ip link set eth0 up", "ip link set eth1 up",
                   "ip -n g1 addr add 10.1.0.1/24 dev x0", "ip -n g2 addr add 10.2.0.1/24 dev x1",
                   "ip -n g1 link set x0 up", "ip -n g2 link set x1 up",
                   "for n in g1 g2; do ip -n $n link set lo up; for i in 1 2; do "
                   "ip -n $n addr add 203.0.113.$i/32 dev lo; done; done",
                   "ip -n g1 route add default via 10.1.0.2",
                   "ip -n g2 route add default via 10.2.0.2",
                   "ip route add default nexthop via 10.1.0.1 dev eth0 "
                   "nexthop via 10.2.0.1 dev eth1")
    # recorded: 203.0.113.1 hashes to the second leg, .2 to the first
    assert _run(shell, "ip route get 203.0.113.1 | head -1") == (
        "203.0.113.1 via 10.2.0.1 dev eth1 src 10.2.0.2 uid 0 \n", 0)
    _run(shell, "ping -c 1 -W 1 203.0.113.1")
    assert _run(shell, "ip neigh show | cut -d' ' -f1-3") == ("10.2.0.1 dev eth1\n", 0)
    _run(shell, "ping -c 1 -W 1 203.0.113.2")
    assert _run(shell, "ip neigh show dev eth0 | cut -d' ' -f1") == ("10.1.0.1\n", 0)


def test_a_router_forwards_each_flow_by_the_leg_its_hash_names():
    # tutorials42b_ecmp_router_forwarding: ip_mkroute_input() hashes the datagram
    shell = _shell("sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
                   "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                   "sysctl -qw net.ipv4.fib_multipath_hash_seed=11",
                   "sysctl -qw net.ipv4.ip_forward=1",
                   "ip netns add p1", "ip netns add p2", "ip netns add pc",
                   "ip link add eth0 type veth peer name x0 netns p1",
                   "ip link add eth1 type veth peer name x1 netns p2",
                   "ip link add eth2 type veth peer name eth0 netns pc",
                   "ip addr add 10.1.0.2/24 dev eth0", "ip addr add 10.2.0.2/24 dev eth1",
                   "ip addr add 192.168.50.1/24 dev eth2",
                   "for d in eth0 eth1 eth2; do ip link set $d up; done",
                   "ip -n p1 addr add 10.1.0.1/24 dev x0", "ip -n p2 addr add 10.2.0.1/24 dev x1",
                   "ip -n p1 link set x0 up", "ip -n p2 link set x1 up",
                   "for n in p1 p2; do ip -n $n link set lo up; "
                   "ip -n $n addr add 203.0.113.2/32 dev lo; done",
                   "ip -n p1 route add 192.168.50.0/24 via 10.1.0.2",
                   "ip -n p2 route add 192.168.50.0/24 via 10.2.0.2",
                   "ip -n pc addr add 192.168.50.10/24 dev eth0", "ip -n pc link set eth0 up",
                   "ip -n pc route add default via 192.168.50.1",
                   "ip route add default nexthop via 10.1.0.1 dev eth0 "
                   "nexthop via 10.2.0.1 dev eth1")
    # recorded: 203.0.113.2 from the LAN host hashes to the second leg
    assert _run(shell, "ip route get 203.0.113.2 from 192.168.50.10 iif eth2 | head -1") == (
        "203.0.113.2 from 192.168.50.10 via 10.2.0.1 dev eth1 \n", 0)
    assert "1 received" in _run(shell, "ip netns exec pc ping -c 1 -W 1 203.0.113.2")[0]
    assert _run(shell, "ip neigh show dev eth1 | cut -d' ' -f1") == ("10.2.0.1\n", 0)
    assert _run(shell, "ip neigh show dev eth0") == ("", 0)
