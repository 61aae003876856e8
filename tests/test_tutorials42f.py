"""The fixes round 42b's macvlan, macvtap and VXLAN tutorials led to (their cases,
tutorials42f_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1), twice, the two recordings alike under
diff.py's masks."""
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


_VXLAN = ("ip link add eth0 type veth peer name eth1",
          "ip addr add 10.0.0.1/24 dev eth0", "ip link set eth0 up",
          "ip link add vxlan0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev eth0 "
          "maxaddress 3")


def test_vxlan_fdb_entry_under_another_src_vni_is_never_found_again():
    # 6.16+ (the FDB an rhashtable keyed by MAC and VNI): vxlan_fdb_alloc() keys the
    # entry by NDA_SRC_VNI, vxlan_find_mac_rcu() looks up the default VNI on a device
    # without collect-metadata: a second add of that MAC creates a second entry, del
    # finds only that one (tutorials42f_vxlan_fdb_options)
    shell = _shell(*_VXLAN)
    assert _run(shell, "bridge fdb add 02:00:00:00:0a:06 dev vxlan0 dst 10.0.0.8 src_vni 5") \
        == ("", 0)
    assert _run(shell, "bridge fdb add 02:00:00:00:0a:06 dev vxlan0 dst 10.0.0.9") == ("", 0)
    assert _run(shell, "bridge fdb show dev vxlan0") == (
        "02:00:00:00:0a:06 dst 10.0.0.9 self permanent\n"
        "02:00:00:00:0a:06 dst 10.0.0.8 self permanent\n", 0)
    assert _run(shell, "bridge fdb del 02:00:00:00:0a:06 dev vxlan0") == ("", 0)
    assert _run(shell, "bridge fdb del 02:00:00:00:0a:06 dev vxlan0") == (
        "RTNETLINK answers: No such file or directory\n", 255)
    assert _run(shell, "bridge fdb show dev vxlan0") == (
        "02:00:00:00:0a:06 dst 10.0.0.8 self permanent\n", 0)


def test_vxlan_fdb_src_vni_of_the_default_vni_is_the_same_entry():
    shell = _shell(*_VXLAN, "bridge fdb add 02:00:00:00:0a:03 dev vxlan0 dst 10.0.0.5")
    assert _run(shell, "bridge fdb add 02:00:00:00:0a:03 dev vxlan0 dst 10.0.0.9 src_vni 42") \
        == ("RTNETLINK answers: File exists\n", 255)


def test_vxlan_stray_entries_count_toward_maxaddress():
    # vxlan_fdb_create(): addrcnt >= maxaddr is ENOSPC before the lookup finds nothing
    shell = _shell(*_VXLAN,
                   "bridge fdb add 02:00:00:00:0a:01 dev vxlan0 dst 10.0.0.5",
                   "bridge fdb add 02:00:00:00:0a:02 dev vxlan0 dst 10.0.0.5",
                   "bridge fdb add 02:00:00:00:0a:06 dev vxlan0 dst 10.0.0.8 src_vni 5")
    assert _run(shell, "bridge fdb add 02:00:00:00:0a:06 dev vxlan0 dst 10.0.0.8 port 0") == (
        "RTNETLINK answers: No space left on device\n", 255)


def test_macvtap_class_device_directory():
    # tap_create_cdev()'s device_create(): macvtap/tapIFINDEX with dev, device,
    # power, subsystem and uevent (tutorials42f_macvtap_dev_tap)
    shell = _shell("ip netns add lan", "ip link add eth0 type veth peer name eth0 netns lan",
                   "ip link add link eth0 name macvtap0 type macvtap mode bridge")
    assert _run(shell, "ls /sys/class/net/macvtap0/macvtap/") == ("tap3\n", 0)
    assert _run(shell, "ls /sys/class/net/macvtap0/macvtap/tap3") == (
        "dev  device  power  subsystem  uevent\n", 0)
    out, status = _run(shell, "ls /sys/class/net/macvtap0/macvtap/tap4")
    assert (out, status) == ("ls: cannot access '/sys/class/net/macvtap0/macvtap/tap4': "
                             "No such file or directory\n", 2)


_MACVLANS = ("ip netns add lan",
             "ip link add eth0 address 02:00:00:00:00:01 type veth peer name eth0 netns lan",
             "ip link add link eth0 address 00:19:d1:29:d2:58 type macvlan",
             "ip link add link eth0 address 00:19:d1:29:d2:59 type macvlan",
             "ip link add link eth0 address 00:19:d1:29:d2:58 type macvlan",
             "ip link add link eth0 address 02:00:00:00:00:01 type macvlan",
             "ip link set macvlan1 up", "ip link set eth0 up")


def test_macvlan_address_of_an_open_macvlan_or_the_lower_is_busy():
    # macvlan_set_mac_address() -> macvlan_addr_busy(): the lower's address, or one
    # an open macvlan of the port has (a down one's is free: macvlan_hash_lookup()
    # holds only open ones) (tutorials42f_jimstudt_macvlan_autoname)
    shell = _shell(*_MACVLANS)
    assert _run(shell, "ip link set macvlan0 address 00:19:d1:29:d2:59") == (
        "RTNETLINK answers: Address already in use\n", 2)
    assert _run(shell, "ip link set macvlan0 address 02:00:00:00:00:01") == (
        "RTNETLINK answers: Address already in use\n", 2)
    assert _run(shell, "ip link set macvlan0 address 00:19:d1:29:d2:61") == ("", 0)
    assert _run(shell, "ip link set macvlan2 address 00:19:d1:29:d2:61") == ("", 0)


def test_macvlan_open_with_a_busy_address_fails():
    # macvlan_open(): EADDRINUSE when the lower or an open macvlan has the address
    shell = _shell(*_MACVLANS)
    assert _run(shell, "ip link set macvlan3 up") == (
        "RTNETLINK answers: Address already in use\n", 2)
    assert _run(shell, "ip link set macvlan2 up") == ("", 0)
    assert _run(shell, "ip link set macvlan0 up") == (
        "RTNETLINK answers: Address already in use\n", 2)
    assert _run(shell, "ip -br link show macvlan0") == (
        "macvlan0@eth0    DOWN           00:19:d1:29:d2:58 <BROADCAST,MULTICAST> \n", 0)


def test_passthru_port_gives_the_lower_its_address_back():
    # macvlan_port_destroy(): the lower takes port->perm_addr again when the passthru
    # macvlan that changed its address goes (tutorials42f_macvlan_passthru_fdb)
    shell = _shell("ip netns add far", "ip netns add vm",
                   "ip link add eth0 address 02:00:00:00:00:01 type veth peer name eth0 "
                   "netns far address 02:00:00:00:00:02",
                   "ip link set eth0 up", "ip -n far link set eth0 up",
                   "ip link add link eth0 name mvp type macvlan mode passthru",
                   "ip link set mvp netns vm", "ip -n vm link set mvp up",
                   "ip -n vm link set mvp address 02:00:00:00:00:99")
    assert _run(shell, "ip -br link show eth0") == (
        "eth0@if2         UP             02:00:00:00:00:99 <BROADCAST,MULTICAST,UP,LOWER_UP> \n", 0)
    _run(shell, "ip -n vm link del mvp")
    assert _run(shell, "ip -br link show eth0") == (
        "eth0@if2         UP             02:00:00:00:00:01 <BROADCAST,MULTICAST,UP,LOWER_UP> \n", 0)
