"""The fixes round 48's virtual-device cases led to (its cases, tunnels48_, are replayed
whole by test_rounds.py): vxlan_config_validate()'s IPv6 checks, the endpoint scopes
and a lower device whose IPv6 is disabled. Every expected text was recorded on the
project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a
pty: Linux 6.18, iproute2 6.1), twice, the two recordings alike under diff.py's
masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

SCOPES = "Error: Invalid combination of local and remote address scopes.\n"


def _shell():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("ip link add eth0 address 02:00:00:48:16:01 type veth peer name eth1 "
                   "address 02:00:00:48:16:02")
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, _ = shell.run_line(f"{line}; echo rc=$?")
    body, _, rc = term.text().rpartition("rc=")
    return body, int(rc)


def test_link_local_endpoints_want_each_other_and_a_lower_device():
    shell = _shell()
    add = "ip link add vx0 type vxlan id 10 dstport 4789 "
    assert _run(shell, add + "local fe80::1 remote fe80::2") == (
        "Error: Local interface required for link-local local/remote addresses.\n", 2)
    assert _run(shell, add + "remote fe80::2") == (SCOPES, 2)
    assert _run(shell, add + "local 2001:db8::1 remote fe80::2 dev eth0") == (SCOPES, 2)
    assert _run(shell, add + "local fe80::1 remote 2001:db8::2 dev eth0") == (SCOPES, 2)
    # a link-scope group is a link-local remote; no remote at all is fine too
    assert _run(shell, add + "local fe80::1 group ff02::100 dev eth0") == ("", 0)
    assert _run(shell, "ip link add vx1 type vxlan id 12 dstport 4789 local fe80::1 "
                       "dev eth0") == ("", 0)


def test_a_link_local_vni_belongs_to_its_lower_device():
    # vxlan_vni_in_use(): VXLAN_F_IPV6_LINKLOCAL devices on other lower devices differ
    shell = _shell()
    add = "ip link add {} type vxlan id 10 dstport 4789 local fe80::1 remote {} dev {}"
    assert _run(shell, add.format("vx0", "fe80::2", "eth0")) == ("", 0)
    assert _run(shell, add.format("vx1", "fe80::3", "eth1")) == ("", 0)
    assert _run(shell, add.format("vx2", "fe80::4", "eth0")) == (
        "Error: A VXLAN device with the specified VNI already exists.\n", 2)


def test_an_ipv6_vxlan_on_a_lower_device_without_ipv6_is_refused():
    shell = _shell()
    _run(shell, "sysctl -q -w net.ipv6.conf.eth1.disable_ipv6=1")
    denied = ("Error: IPv6 support disabled by administrator.\n", 2)
    assert _run(shell, "ip link add vx5 type vxlan id 13 dstport 4789 group ff05::13 "
                       "dev eth1") == denied
    assert _run(shell, "ip link add vx5 type vxlan id 13 dstport 4789 remote 2001:db8::5 "
                       "dev eth1") == denied
    assert _run(shell, "ip link add vx5 type vxlan id 13 dstport 4789 remote 192.0.2.5 "
                       "dev eth1") == ("", 0)
    # no inet6_dev under IPV6_MIN_MTU: nothing to ask (recorded: made at mtu 1200)
    _run(shell, "ip link set eth1 mtu 1200")
    assert _run(shell, "ip link add vx7 type vxlan id 15 dstport 4789 group ff05::15 "
                       "dev eth1") == ("", 0)


def test_a_macvtap_names_its_character_device_with_the_lowest_free_minor():
    # macvtap_device_event(): tap_get_minor() (idr_alloc from 1), device_create() of
    # tapIFINDEX with MKDEV(major, minor); a deleted macvtap's minor is reused
    # (recorded: tunnels48_macvtap_chardev, major 246 on the recording kernel)
    shell = _shell()
    for name in ("macvtap0", "macvtap1"):
        _run(shell, f"ip link add link eth0 name {name} type macvtap mode bridge")
    assert _run(shell, "cat /sys/class/net/macvtap0/macvtap/tap4/dev "
                       "/sys/class/net/macvtap1/macvtap/tap5/dev") == ("246:1\n246:2\n", 0)
    assert _run(shell, "cat /sys/class/net/macvtap1/macvtap/tap5/uevent") == (
        "MAJOR=246\nMINOR=2\nDEVNAME=tap5\n", 0)
    _run(shell, "ip link del macvtap0")
    _run(shell, "ip link add link eth0 name macvtap2 type macvtap")
    assert _run(shell, "cat /sys/class/net/macvtap2/macvtap/tap6/dev") == ("246:1\n", 0)
    assert _run(shell, "readlink /sys/class/net/macvtap2/macvtap/tap6/subsystem "
                       "/sys/class/net/macvtap2/macvtap/tap6/device") == (
        "../../../../../../class/macvtap\n../../../macvtap2\n", 0)
    assert _run(shell, "cat /sys/class/net/macvtap2/macvtap/tap6/device/ifindex") == ("6\n", 0)


def test_vxlans_sharing_a_socket_share_its_group_membership():
    # vxlan_igmp_join() on the shared vxlan_sock: the second join is EADDRINUSE and
    # vxlan_group_used() keeps the group while another device on the socket is up
    shell = _shell()
    _run(shell, "ip link set eth0 up")
    for name, vni in (("vx4", 4), ("vx5", 5)):
        _run(shell, f"ip link add {name} type vxlan id {vni} dstport 4789 "
                    "group 239.1.1.4 dev eth0")
        _run(shell, f"ip link set {name} up")
    _run(shell, "ip link add vx7 type vxlan id 7 dstport 8472 group 239.1.1.4 dev eth0")
    text, _ = _run(shell, "ip maddr show dev eth0")
    assert "\tinet  239.1.1.4\n" in text
    _run(shell, "ip link set vx7 up")     # another port: another socket, another user
    text, _ = _run(shell, "ip maddr show dev eth0")
    assert "\tinet  239.1.1.4 users 2\n" in text
    _run(shell, "ip link set vx7 down")
    _run(shell, "ip link set vx4 down")
    text, _ = _run(shell, "ip maddr show dev eth0")
    assert "\tinet  239.1.1.4\n" in text
    _run(shell, "ip link set vx5 down")
    assert "239.1.1.4" not in _run(shell, "ip maddr show dev eth0")[0]


def test_a_link_local_source_is_learnt_with_the_underlay_device():
    # vxlan_set_mac() reads skb->dev's ifindex (the lower device) before
    # eth_type_trans(); vxlan_snoop() keeps it for an IPv6 link-local source, so the
    # reply finds its way back at once (recorded: tunnels48_vxlan_linklocal_ping)
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("ip netns add h2",
                 "ip link add eth0 address 02:00:00:48:1f:01 type veth peer name eth0 "
                 "address 02:00:00:48:1f:02 netns h2",
                 "ip link set eth0 up", "ip -n h2 link set eth0 up", "sleep 3.5",
                 "ip link add vx0 address 02:00:00:48:1f:10 type vxlan id 10 dstport 4789 "
                 "local fe80::ff:fe48:1f01 remote fe80::ff:fe48:1f02 dev eth0",
                 "ip -n h2 link add vx0 address 02:00:00:48:1f:11 type vxlan id 10 "
                 "dstport 4789 local fe80::ff:fe48:1f02 remote fe80::ff:fe48:1f01 dev eth0",
                 "ip addr add 10.10.0.1/24 dev vx0", "ip -n h2 addr add 10.10.0.2/24 dev vx0",
                 "ip link set vx0 up", "ip -n h2 link set vx0 up"):
        shell.run_line(line)
    text, rc = _run(shell, "ping -c 2 -i 0.3 10.10.0.2")
    assert rc == 0 and "pipe" not in text
    assert _run(shell, "bridge fdb show dev vx0") == (
        "02:00:00:48:1f:11 dst fe80::ff:fe48:1f02 via eth0 self \n"
        "00:00:00:00:00:00 dst fe80::ff:fe48:1f02 via eth0 self permanent\n", 0)
