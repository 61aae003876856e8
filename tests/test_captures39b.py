"""captures39b: tcpdump on layer 2, bridges (tests/oracle_cases/captures39b_*, recorded
twice on the Debian 12 machine: tcpdump 4.99.3, iproute2 6.1, Linux 6.18), and the
behaviours they showed, each on its own:

- br_handle_frame_finish() passes a switched frame up the bridge device only when the
  bridge is promiscuous (IFF_PROMISC: a capture without -p, or `ip link set br0 promisc
  on`): `tcpdump -p -i br0` sees broadcasts and frames for the bridge, not the unicast
  it forwards between ports;
- BR_ROOT_BLOCK: a root_block port that would be the root port goes listening and its
  forward delay restarts at every better BPDU (br_root_port_block());
- BR_BPDU_GUARD: a BPDU on a guard port disables it (br_stp_rcv() ->
  br_stp_disable_port()), and it stays disabled, guard off or not, until the port goes
  down and up;
- br_fdb_update(): an fdb entry added by hand (static or dynamic, not local) moves to
  the port its address is heard on; a sticky one (`static sticky`) never moves;
- a local entry (the bridge's own address, a port's) is never learnt on another port,
  and a frame to a port's own address goes up the bridge, not out to a host using it.
"""
from __future__ import annotations

import sys
from pathlib import Path

# the captures39b_ cases replay whole in tests/test_rounds.py (PREFIXES)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_capture35 import run, session  # noqa: E402,F401

TWO = [
    "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add n1",
    "ip netns add n2",
    "ip netns exec n1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip netns exec n2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip link add br0 address 02:00:00:39:b3:00 type bridge",
    "ip link add p1 address 02:00:00:39:b3:a1 type veth peer name eth0 netns n1 address 02:00:00:39:b3:01",
    "ip link add p2 address 02:00:00:39:b3:a2 type veth peer name eth0 netns n2 address 02:00:00:39:b3:02",
    "ip link set p1 master br0",
    "ip link set p2 master br0",
    "ip link set p1 up",
    "ip link set p2 up",
    "ip link set br0 up",
    "ip -n n1 addr add 10.39.3.1/24 dev eth0",
    "ip -n n2 addr add 10.39.3.2/24 dev eth0",
    "ip -n n1 link set eth0 up",
    "ip -n n2 link set eth0 up",
    "sleep 2",
]

# recorded (captures39b_manpage_promisc_bridge), without the timestamps
ARP_REQ = ("02:00:00:39:b3:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: "
           "Request who-has 10.39.3.2 tell 10.39.3.1, length 28\n")
ECHO_REQ = ("02:00:00:39:b3:01 > 02:00:00:39:b3:02, ethertype IPv4 (0x0800), length 98: "
            "10.39.3.1 > 10.39.3.2: ICMP echo request")


def capture_br0(session, options: str) -> str:
    run(session, f"timeout 4 tcpdump {options} -i br0 -n -e -t -c 4 > cap.txt 2>&1 &")
    run(session, "sleep 1")
    assert run(session, "ip netns exec n1 ping -c 1 10.39.3.2 > /dev/null; echo $?") == "0\n"
    run(session, "wait")
    return run(session, "cat cap.txt")


def test_capture_without_p_makes_the_bridge_see_what_it_switches(session):
    for line in TWO:
        run(session, line)
    out = capture_br0(session, "")
    assert ARP_REQ in out and ECHO_REQ in out and "4 packets captured" in out
    # libpcap's PACKET_MR_PROMISC is not the user's flag: ip link shows no PROMISC
    assert "PROMISC" not in run(session, "ip link show br0")


def test_p_on_a_bridge_sees_only_broadcasts_and_its_own(session):
    for line in TWO:
        run(session, line)
    out = capture_br0(session, "-p")
    assert ARP_REQ in out
    assert "ICMP" not in out and "Reply" not in out
    assert "1 packet captured\n" in out


def test_p_on_a_bridge_set_promisc_by_hand_sees_all(session):
    for line in TWO:
        run(session, line)
    run(session, "ip link set br0 promisc on")
    out = capture_br0(session, "-p")
    assert ECHO_REQ in out and "4 packets captured" in out


STP = [
    "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add sw1",
    "ip netns exec sw1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip -n sw1 link add brA address 02:00:00:39:b8:0a type bridge stp_state 1 priority 4096"
    " forward_delay 200 hello_time 100 max_age 600",
    "ip link add br0 address 02:00:00:39:b8:00 type bridge stp_state 1 forward_delay 200"
    " hello_time 100 max_age 600",
    "ip link add up1 address 02:00:00:39:b8:a1 type veth peer name swp1 netns sw1 address 02:00:00:39:b8:b1",
    "ip -n sw1 link set swp1 master brA",
    "ip link set up1 master br0",
    "ip -n sw1 link set swp1 up",
    "ip -n sw1 link set brA up",
    "ip link set up1 up",
    "ip link set br0 up",
    "sleep 6",
]
UP1 = ("3: up1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state {} "
       "priority 32 cost 2 \n")


def test_root_block_keeps_the_root_port_listening(session):
    for line in STP:
        run(session, line)
    assert run(session, "bridge link show dev up1") == UP1.format("forwarding")
    run(session, "bridge link set dev up1 root_block on")
    for _ in range(3):              # each better BPDU starts its forward delay again
        run(session, "sleep 2")
        assert run(session, "bridge link show dev up1") == UP1.format("listening")
    run(session, "bridge link set dev up1 root_block off")
    run(session, "sleep 5")
    assert run(session, "bridge link show dev up1") == UP1.format("forwarding")


def test_bpdu_guard_disables_the_port_until_it_goes_down_and_up(session):
    for line in STP:
        run(session, line)
    run(session, "bridge link set dev up1 guard on")
    run(session, "sleep 2")
    assert run(session, "bridge link show dev up1") == UP1.format("disabled")
    run(session, "bridge link set dev up1 guard off")
    run(session, "sleep 2")
    assert run(session, "bridge link show dev up1") == UP1.format("disabled")
    run(session, "ip link set up1 down")
    run(session, "ip link set up1 up")
    run(session, "sleep 1")
    assert run(session, "bridge link show dev up1") == UP1.format("listening")


THREE = [
    "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    *[f"ip netns add h{i}" for i in (1, 2, 3)],
    *[f"ip netns exec h{i} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
      "net.ipv6.conf.default.disable_ipv6=1" for i in (1, 2, 3)],
    "ip link add br0 address 02:00:00:39:bb:00 type bridge",
    *[f"ip link add v{i} address 02:00:00:39:bb:a{i} type veth peer name eth0 netns h{i} "
      f"address 02:00:00:39:bb:0{i}" for i in (1, 2, 3)],
    *[f"ip link set v{i} master br0" for i in (1, 2, 3)],
    *[f"ip link set v{i} up" for i in (1, 2, 3)],
    "ip link set br0 up",
    *[f"ip -n h{i} addr add 10.39.11.{i}/24 dev eth0" for i in (1, 2, 3)],
    *[f"ip -n h{i} link set eth0 up" for i in (1, 2, 3)],
    "ip -n h1 neigh add 10.39.11.2 lladdr 02:00:00:39:bb:02 dev eth0",
    "ip -n h2 neigh add 10.39.11.1 lladdr 02:00:00:39:bb:01 dev eth0",
    "sleep 2",
]
FDB = "bridge fdb show br br0 | grep -v permanent | sort"
H2_PINGS = "ip netns exec h2 ping -c 1 -W 1 10.39.11.1 > /dev/null; echo $?"


def test_static_and_dynamic_user_entries_move_when_their_address_is_heard(session):
    # br_fdb_update(): a non-local entry moves to the port its source is heard on,
    # keeping its state (recorded, captures39b_bridge8_static_fdb_capture)
    for line in THREE:
        run(session, line)
    run(session, "bridge fdb add 02:00:00:39:bb:02 dev v3 master static")
    assert run(session, H2_PINGS) == "0\n"
    assert run(session, FDB) == ("02:00:00:39:bb:01 dev v1 master br0 \n"
                                 "02:00:00:39:bb:02 dev v2 master br0 static\n")
    run(session, "bridge fdb replace 02:00:00:39:bb:02 dev v3 master dynamic")
    assert run(session, H2_PINGS) == "0\n"
    assert run(session, FDB) == ("02:00:00:39:bb:01 dev v1 master br0 \n"
                                 "02:00:00:39:bb:02 dev v2 master br0 \n")


def test_a_sticky_entry_stays(session):
    for line in THREE:
        run(session, line)
    # bridge's default state is permanent, and a sticky entry may not be local
    assert run(session, "bridge fdb replace 02:00:00:39:bb:02 dev v3 master sticky") == \
        "RTNETLINK answers: Invalid argument\n"
    run(session, "bridge fdb replace 02:00:00:39:bb:02 dev v3 master static sticky")
    sticky = "02:00:00:39:bb:02 dev v3 sticky master br0 static\n"
    assert run(session, FDB) == sticky
    assert run(session, H2_PINGS) == "1\n"          # the replies go out of v3
    assert run(session, FDB) == "02:00:00:39:bb:01 dev v1 master br0 \n" + sticky


OWN = [
    "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add h1",
    "ip netns add h3",
    "ip netns exec h1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip netns exec h3 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
    "ip link add br0 address 02:00:00:39:bc:00 type bridge",
    "ip link add v1 address 02:00:00:39:bc:a1 type veth peer name eth0 netns h1 address 02:00:00:39:bc:01",
    "ip link add v3 address 02:00:00:39:bc:a3 type veth peer name eth0 netns h3 address 02:00:00:39:bc:00",
    "ip link set v1 master br0",
    "ip link set v3 master br0",
    "ip link set v1 up",
    "ip link set v3 up",
    "ip link set br0 up",
    "ip -n h1 addr add 10.39.12.1/24 dev eth0",
    "ip -n h3 addr add 10.39.12.3/24 dev eth0",
    "ip -n h1 link set eth0 up",
    "ip -n h3 link set eth0 up",
    "sleep 2",
]
# recorded (captures39b_own_addr_source): the learnt and local entries, both times
OWN_FDB = ("02:00:00:39:bc:00 dev br0 master br0 permanent\n"
           "02:00:00:39:bc:01 dev v1 master br0 \n"
           "02:00:00:39:bc:a1 dev v1 master br0 permanent\n"
           "02:00:00:39:bc:a3 dev v3 master br0 permanent\n")
H3_PINGS = "ip netns exec h3 ping -c 1 -W 1 10.39.12.1 > /dev/null; echo $?"
OWN_LIST = "bridge fdb show br br0 | grep -v self | sort"


def test_the_bridges_own_address_as_a_source_is_not_learnt(session):
    for line in OWN:
        run(session, line)
    assert run(session, H3_PINGS) == "1\n"      # h1's replies go up br0
    assert run(session, OWN_LIST) == OWN_FDB


def test_a_ports_own_address_as_a_source_is_not_learnt(session):
    for line in OWN:
        run(session, line)
    run(session, "ip -n h3 link set eth0 address 02:00:00:39:bc:a1")
    assert run(session, H3_PINGS) == "1\n"
    assert run(session, OWN_LIST) == OWN_FDB
