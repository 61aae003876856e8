"""Round 38's differential fuzzing (ipemu.fuzz.families: kinds38, linkset, bridge38,
lifetime, monitor) and what it found. The findings' golden texts are the cases
tests/oracle_cases/fuzz38_* (recorded on the project's Debian 12 machine, replayed by
tests/test_rounds.py); the tests here pin the generator and one fix each in process."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.fuzz import diff, families

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

ONLY = ("kinds38", "linkset", "bridge38", "lifetime", "monitor")
NAMES = {"devs": ["lo", "v0"], "netns": ["red"]}


def _generated(seeds=range(410000, 410150)) -> list[str]:
    return [line for seed in seeds
            for line in diff.sequence(seed, only=ONLY)[:-len(diff.LISTINGS)]]


def test_round_38s_families_have_their_lines():
    """vlan QoS maps and protocols, macvlan/ipvlan modes, bond options, vxlan and
    tunnel options, bridge port options, ip link set combinations and selectors,
    bridge vlan/fdb/link, lifetimes that run out, ip monitor beside changes."""
    lines = _generated()
    for part in ("type vlan", "-qos-map", "type macvlan", " mode ", "type bond", "type vxlan",
                 "type ip6tnl", "type bridge_slave", "type ipvlan", "ip link set group",
                 " alias ", " nomaster", "ip -s -s link", "link show type ", "bridge vlan add",
                 "bridge fdb append", "bridge link set", " valid_lft ", "sleep 2.3",
                 "ip -d link show", "timeout 1 ip", " monitor", "wait"):
        assert any(part in line for line in lines), part


def test_the_monitor_lines_are_bounded_and_safe():
    for line in _generated():
        words = line.split()
        if "monitor" in words:
            assert words[:2] == ["timeout", "1"] and words[-1] == "wait", line
            assert diff.safe(words, NAMES, families.ALLOWED["monitor"]), line
    # a timeout only of ip, of a few seconds; sleep only short; wait bare
    for line in ("timeout 100 ip monitor", "timeout 1 sh -c x", "sleep 100", "wait 1",
                 "timeout 1 ip monitor & kill 0", "ip monitor"):
        assert not diff.safe(line.split(), NAMES, families.ALLOWED["monitor"]), line
    assert not diff.safe("timeout 1 ip monitor & sleep 0.3 ; wait".split(), NAMES)


def _case(name: str) -> None:
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(
        next(p for p in corpus.oracle_cases() if p.stem == name))


def test_ip_j_monitor_prints_text():
    _case("fuzz38_monitor_json_is_text")


def test_an_unchanged_mac_skips_the_driver():
    _case("fuzz38_link_address_unchanged")


def test_a_group_change_validates_members_only():
    _case("fuzz38_link_group_addrgenmode")


def test_bridge_vlan_ids_checked_by_br_afspec():
    _case("fuzz38_bridge_vlan_invalid_vid")


def test_ip6tnl_options_parsed_before_the_kernel_refuses():
    _case("fuzz38_ip6tnl_options")


def test_xdp_words_after_off_are_a_mode():
    _case("fuzz38_xdp_mode")


def test_fdb_append_of_an_address_the_device_has():
    _case("fuzz38_fdb_append_existing")


def test_neighbours_flushed_on_down_are_announced_newest_first():
    _case("fuzz38_monitor_link_down_neigh")


def test_bridge_fdb_and_port_messages_under_monitor():
    _case("fuzz38_monitor_bridge_fdb")


def test_a_bridge_without_ports_after_having_some_has_tso_max_size():
    _case("fuzz38_bridge_tso_max_size")


def test_ipv6_neighbours_go_after_the_routes_and_the_peers_at_its_carrier_loss():
    _case("fuzz38_monitor_link_down_neigh6")


def test_changeaddr_flushes_neighbours_and_the_bridge_takes_multicast_entries():
    _case("fuzz38_changeaddr_neigh_fdb")


def test_unicast_fdb_entries_make_a_device_promiscuous_once():
    _case("fuzz38_uc_promisc")


def test_a_second_netns_is_a_duplicate_before_the_device_lookup():
    _case("fuzz38_link_set_netns_twice")


def test_fdb_master_and_self_both_apply_in_rtnl_fdb_adds_order():
    _case("fuzz38_fdb_master_self")


def test_routes_deleted_at_down_keep_their_linkdown_flag():
    _case("fuzz38_monitor_down_linkdown")


def test_kernel_stp_started_on_a_bridge_without_ports_takes_its_carrier():
    _case("fuzz38_bridge_stp_carrier")


def test_carrier_changes_of_devices_just_made():
    _case("fuzz38_carrier_changes")
