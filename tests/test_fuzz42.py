"""Round 42's differential fuzzing (ipemu.fuzz.families: vlanbr42, macvlan42, vxlan42:
traffic through a vlan_filtering bridge, macvlans in each mode and vxlan with its
options, on topologies of their own drawn with IPv6 off, followed by the listings that
show what the traffic did) and what it found. The golden texts are the cases
tests/oracle_cases/fuzz42_* (recorded twice on the project's Debian 12 machine, Linux
6.18, iproute2 6.1, iputils 20221126; replayed whole by tests/test_rounds.py); the
tests here pin the generator, its safety filter and one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.fuzz import diff, families

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

ONLY = ("vlanbr42", "macvlan42", "vxlan42")


def _generated(family: str, seeds=range(500000, 500060)) -> list[list[str]]:
    return [diff.sequence(seed, only=(family,)) for seed in seeds]


_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output


def test_round_42s_families_have_their_lines():
    lines = [line for family in ONLY for seq in _generated(family) for line in seq]
    for part in ("type bridge vlan_filtering 1", "bridge vlan add dev v0 vid ", " pvid",
                 " untagged", "ip netns exec red ping -c ", "ip netns exec blue ping -c ",
                 "type macvlan mode private", "type macvlan mode vepa", "mode passthru",
                 "ip link set mv1 netns blue", "type vxlan id 42", "group 239.1.1.1 dev v0",
                 "bridge fdb append 00:00:00:00:00:00 dev vx0 dst ", " dstport 8472",
                 "ip -s -d link show type vxlan", "bridge -s vlan show", "tc -s qdisc",
                 "ip link set vx0 master br0", " -b 10.0.0.255", " -M do"):
        assert any(part in line for line in lines), part


def test_round_42s_topologies_turn_ipv6_off_first():
    """Every namespace has IPv6 off before its devices are made (their inet6_dev copies
    conf/default), so only the lines' own traffic is counted."""
    for family in ONLY:
        for lines in _generated(family, range(500000, 500010)):
            first_dev = next(i for i, line in enumerate(lines) if " link add " in line)
            head = lines[:first_dev]
            assert "sysctl -q -w net.ipv6.conf.default.disable_ipv6=1" in head
            for ns in ("red", "blue"):
                if f"ip netns add {ns}" in head:
                    assert f"ip netns exec {ns} sysctl -q -w " \
                        "net.ipv6.conf.default.disable_ipv6=1" in head


def test_the_pings_in_namespaces_pass_the_filter_and_stay_bounded():
    names = {"devs": ["lo", "v0"], "netns": ["red", "blue"]}
    allowed = families.ALLOWED["vlanbr42"]
    assert diff.safe("ip netns exec red ping -c 1 -W 1 10.0.0.3".split(), names, allowed)
    assert not diff.safe("ip netns exec red ping -c 1 -W 1 10.0.0.3".split(), names)
    assert not diff.safe("ip netns exec 1 ping -c 1 -W 1 10.0.0.3".split(), names, allowed)
    assert not diff.safe("ip netns exec red ip -c link".split(), names, allowed)
    for family in ONLY:
        for lines in _generated(family):
            for line in lines:
                words = line.split()
                if "ping" in words:
                    ping = words[words.index("ping"):]
                    assert ping[ping.index("-c") + 1] in ("1", "2") and "-W" in ping, line
                assert " netns 1" not in line and "/proc" not in line, line


def test_vxlan_routes_by_the_entrys_via_not_the_devices_lower():
    """vxlan_xmit_one(): the route's oif is the fdb entry's remote_ifindex; an entry
    appended without `via` is routed by the tables (no route: TX errors, carrier),
    one routed back into the vxlan is a circular route (collisions); before, ipemu
    took the device's `dev` and looped until RecursionError."""
    _case("fuzz42_vxlan_fdb_remote_ifindex")


def test_broadcast_pings_do_not_fragment_by_default():
    """ping4_run(): -b (or a group) without -M is IP_PMTUDISC_DO."""
    _case("fuzz42_ping_broadcast_df")
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip addr add 10.0.0.1/24 dev v0",
                 "ip link set v0 up", "ip link set v1 up"):
        _run(s, line)
    assert "local error: message too long, mtu=1500" in \
        _run(s, "ping -c 1 -W 1 -b -s 1473 10.0.0.255")
    assert "local error" not in _run(s, "ping -c 1 -W 1 -b -M want -s 1473 10.0.0.255")


def test_vxlan_replace_never_makes_a_group_entry():
    _case("fuzz42_vxlan_fdb_replace_group")


def test_a_broadcast_route_learns_a_path_mtu():
    """Linux 6.16+ keeps a subnet broadcast route's fib_info: its exception applies."""
    _case("fuzz42_broadcast_route_pmtu")


def test_vxlan_down_flushes_what_it_learnt():
    _case("fuzz42_vxlan_stop_flush")


def test_macvlans_fill_their_lowers_lists():
    _case("fuzz42_macvlan_lower_lists")


def test_macvlan_reassembles_broadcast_fragments():
    _case("fuzz42_macvlan_broadcast_defrag")


def test_a_passthru_macvlans_address_is_its_lowers():
    """macvlan_set_mac_address() in passthru mode sets the lower's; NETDEV_CHANGEADDR
    brings it back to the macvlan."""
    _case("fuzz42_macvlan_passthru_address")


def test_macvlans_get_broadcasts_from_a_work_queue():
    """macvlan_broadcast_enqueue(): the macvlans' copies come after the lower's stack
    has answered and the exchange it started has gone on (BROADCAST_DELAY)."""
    _case("fuzz42_macvlan_broadcast_queue")


def test_a_broadcast_too_big_for_the_veth_peer_is_enobufs():
    """veth_xmit()'s drop of a subnet broadcast (a NOARP neighbour: no queue to wait
    in) comes back to sendmsg() as ENOBUFS."""
    _case("fuzz42_veth_broadcast_enobufs")


def test_vxlan_group_entries_and_local_floods():
    """vxlan_find_mac() of any destination MAC (an ff:ff:ff:ff:ff:ff entry takes the
    broadcasts); a `local` VTEP's flood to its group goes out through the oif without
    a route (the on-link guess)."""
    _case("fuzz42_vxlan_group_entries")


def test_a_bridged_vteps_error_about_a_broadcast_is_dropped():
    """The need-to-frag a bridge port builds about a broadcast has the broadcast MAC
    as its source: br_handle_frame() drops it; the route has learnt the MTU."""
    _case("fuzz42_vxlan_bridge_broadcast_pmtu")


def test_a_source_macvlan_gets_its_listed_senders_frames():
    """macvlan_forward_source(): frames from a listed MAC reach the source-mode
    macvlan whatever their destination."""
    _case("fuzz42_macvlan_source_forward")
