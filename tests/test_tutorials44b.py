"""The fixes round 44b's non-English tutorials led to (their cases, tutorials44b_, are
replayed whole by test_rounds.py): the order of the rtnetlink messages when a veth end
moves to another namespace and when that namespace goes. Every expected text was
recorded on the project's Debian 12 machine (Linux 6.18) with the oracle's recorder
(record.py), twice, alike; case tutorials44b_nskhuman_ip_monitor_netns_ru."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _monitor(setup: tuple[str, ...], monitor: str, *lines: str) -> list[str]:
    """What `timeout 3 MONITOR &` prints while LINES run (after SETUP)."""
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1",) + setup:
        assert shell.run_line(line)[1] == 0, line
    term, _ = shell.run_line(f"timeout 3 {monitor} > mon.txt &")
    shell.run_line("sleep 1")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    shell.run_line("wait")
    term, status = shell.run_line("cat mon.txt")
    assert status == 0
    return term.text().splitlines()


SETUP = ("ip netns add x",
         "ip link add v0 address 02:00:00:00:06:01 type veth peer name v1 "
         "address 02:00:00:00:06:02",
         "ip link set v0 up", "ip link set v1 up")


def test_the_peer_message_of_a_moved_veth_follows_the_move():
    # veth_close() turns the peer's carrier off; linkwatch's (urgent) work waits for
    # rtnl, which __dev_change_net_namespace() holds to the end: the peer's message
    # comes after the DELLINK, names the moved end by index in its new namespace, and
    # default_operstate() finds no device of that index beside it: DOWN
    out = _monitor(SETUP, "ip monitor all", "ip link set v1 netns x")
    assert out == [
        "[LINK]2: v1@v0: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN group "
        "default ",
        "    link/ether 02:00:00:00:06:02 brd ff:ff:ff:ff:ff:ff",
        "[NETCONF]Deleted inet v1 ",
        "[NETCONF]Deleted inet6 v1 ",
        "[NSID]nsid 0 (iproute2 netns name: x)",
        "[LINK]Deleted 2: v1@v0: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group "
        "default ",
        "    link/ether 02:00:00:00:06:02 brd ff:ff:ff:ff:ff:ff new-netns x new-ifindex 2",
        "[LINK]3: v0@if2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state "
        "DOWN group default ",
        "    link/ether 02:00:00:00:06:01 brd ff:ff:ff:ff:ff:ff link-netns x",
    ]


def test_a_dying_namespace_releases_its_nsid_before_its_veth_goes():
    # cleanup_net(): unhash_nsid() (RTM_DELNSID) before the pernet exit methods
    # (default_device_exit_batch(): the veth and its peer here)
    out = _monitor(SETUP + ("ip link set v1 netns x",), "ip monitor all",
                   "ip netns del x")
    assert out[:3] == [
        "[NSID]Deleted nsid 0 (iproute2 netns name: x)",
        "[LINK]3: v0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN group "
        "default ",
        "    link/ether 02:00:00:00:06:01 brd ff:ff:ff:ff:ff:ff",
    ]
