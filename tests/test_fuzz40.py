"""Round 40's differential fuzzing (ipemu.fuzz.families.links40: link kinds through
their life; neigh40: neighbour states on each kind of device) and what it found. The
findings' golden texts are the cases tests/oracle_cases/fuzz40_* (recorded twice on
the project's Debian 12 machine, Linux 6.18 without the ip6gre/bareudp drivers,
iproute2 6.1; replayed whole by tests/test_rounds.py); the tests here pin the
generator, its safety filter and one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.fuzz import diff, families

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

ONLY = ("links40", "neigh40")


def _generated(seeds=range(450000, 450060)) -> list[str]:
    return [line for seed in seeds
            for line in diff.sequence(seed, only=ONLY)[:-len(diff.LISTINGS)]]


def test_round_40s_families_have_their_lines():
    lines = _generated()
    for part in ("type macvlan mode ", "type macvtap", "type vxlan id ", "type ifb",
                 " type bond", " type vlan", "ip link set x0 type macvlan ",
                 " type vxlan ", " master br0", " nomaster", " netns red", "ip -n red ",
                 "ip -d -j link show", "ip -d link show", "ip link del",
                 "ip neigh add ", "ip neigh replace ", "ip neigh change ", " nud permanent",
                 " nud noarp", " router", " extern_learn", "ip -s neigh", "ip -s -s neigh",
                 "neigh flush", "ip neigh get ", "ip link set ", "ip addr flush dev "):
        assert any(part in line for line in lines), part


def test_the_families_stay_in_their_namespaces():
    """Every generated line passes the safety filter as it is (no PID after netns,
    no proxy entry of no device); the topologies have fixed MACs (the solicited-node
    groups and NOARP entries of the listings are comparable)."""
    for seed in range(450000, 450040):
        lines = diff.sequence(seed, only=ONLY)
        for line in lines:
            assert " netns 1" not in line, line
            assert not (" neigh " in line and "proxy" in line), line
        assert all(" address 02:00:00:00:00:" in line for line in lines
                   if line.startswith("ip link add ") and " type veth peer" in line
                   and line.split()[3] in ("v0", "v2")), seed


def _case(name: str) -> None:
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(
        next(p for p in corpus.oracle_cases() if p.stem == name))


def _shell():
    from ipemu.session import Session
    return Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


def test_a_macvlans_max_mtu_is_its_lowers():
    """macvlan_common_newlink(): `MTU range: 68 - lowerdev->max_mtu` (seed 450034: a
    macvlan over an ifb showed maxmtu 65535, the kernel 0)."""
    _case("fuzz40_macvlan_maxmtu")
    shell = _shell()
    for line in ("ip link add i0 type ifb", "ip link add link i0 m0 type macvlan"):
        assert _run(shell, line) == ("", 0)
    out, _ = _run(shell, "ip -d link show m0")
    assert "minmtu 68 maxmtu 0 " in out


def test_ip6gre_and_bareudp_read_their_words_before_the_kernel_refuses_them():
    """link_gre6.c's gre_parse_opt() and iplink_bareudp.c's bareudp_parse_opt() (seeds
    450171: `encaplimit 256` is `invalid ELIM`; 450189: bareudp without ethertype)."""
    _case("fuzz40_gre6_bareudp_parse")
    shell = _shell()
    assert _run(shell, "ip link add x type ip6gre encaplimit 256") == (
        'Error: argument "256" is wrong: invalid ELIM\n', 255)
    assert _run(shell, "ip link add x type bareudp dstport 6635") == (
        'Error: argument "ethertype" is required\n', 255)
    assert _run(shell, "ip link add x type ip6gretap hoplimit 64 fl 5")[0] == \
        "Error: Unknown device type.\n"


def test_mld_reports_on_links_that_are_not_ready_make_the_ff02_16_entry():
    """igmp6_group_added() reports a join on an IFF_UP device, carrier or not, and
    igmp6_leave_group() a leave whatever the device's state; mld_ifc_work() sends,
    and ip6_finish_output2() makes the NOARP entry of ff02::16 before the device
    drops the report (seeds 450013, 450096, 450133, 450159)."""
    _case("fuzz40_mld_noarp_entries")
    shell = _shell()
    for line in ("ip link add v0 type veth peer name v1",
                 "ip addr add 2001:db8::1/64 dev v0 nodad", "sleep 1.2"):
        assert _run(shell, line)[1] == 0
    assert _run(shell, "ip neigh show nud noarp") == ("", 0)      # a join while down
    for line in ("ip addr del 2001:db8::1/64 dev v0", "sleep 1.2"):
        assert _run(shell, line)[1] == 0
    assert _run(shell, "ip neigh show nud noarp") == (
        "ff02::16 dev v0 lladdr 33:33:00:00:00:16 NOARP \n", 0)


def test_a_bridges_snoopers_group_joined_at_its_open_is_not_reported():
    """br_multicast_open() joins ff02::6a in ndo_open(), before IFF_UP: no report, so
    a bridge up without ports (and without carrier: its address set) has dropped only
    its IGMP reports (recorded: TX dropped 2 a second after the up, 4 once an
    address's join was reported)."""
    shell = _shell()
    for line in ("ip link add br0 address 02:00:00:00:00:20 type bridge", "ip link set br0 up", "sleep 1.2"):
        assert _run(shell, line)[1] == 0
    out, _ = _run(shell, "ip -s link show br0")
    assert out.splitlines()[-1].split()[3] == "2"
    for line in ("ip addr add 2001:db8::9/64 dev br0", "sleep 1.2"):
        assert _run(shell, line)[1] == 0
    out, _ = _run(shell, "ip -s link show br0")
    assert out.splitlines()[-1].split()[3] == "4"


def test_vti_and_xfrm_read_their_words_before_the_kernel_refuses_them():
    """vti_parse_opt()/vti6_parse_opt() (an address of the other family, a bad key or
    fwmark, print_help with lu->id) and xfrm_parse_opt() (if_id 0 invalid, external
    with dev refused, if_id required)."""
    _case("fuzz40_vti_xfrm_parse")
    shell = _shell()
    assert _run(shell, "ip link add x type xfrm dev lo external") == (
        "xfrmi: both 'external' and if_id/link cannot be specified\n", 1)
    assert _run(shell, "ip link add x type vti6 remote 10.0.0.2") == (
        'Error: inet6 address is expected rather than "10.0.0.2".\n', 1)


def test_hsr_reads_its_words_before_the_kernel_refuses_it():
    """hsr_parse_opt(): `get_u8() == 0 || get_u8() == 1` tests the parse, so version
    and proto take any u8; `hsr: what is "foo"?` and the usage on stderr."""
    _case("fuzz40_hsr_parse")
    shell = _shell()
    assert _run(shell, "ip link add x type hsr version 7 proto 9") == (
        "Error: Unknown device type.\n", 2)
    out, status = _run(shell, "ip link add x type hsr foo")
    assert status == 1 and out.startswith('hsr: what is "foo"?\nUsage:\tip link add name ')


def test_a_noarp_change_empties_both_neighbour_tables():
    """arp_netdev_event() and ndisc_netdev_event() at NETDEV_CHANGE with IFF_NOARP
    changed: neigh_changeaddr() on both tables, permanent entries too (seed 450217:
    ipemu kept the IPv6 ones)."""
    _case("fuzz40_arp_off_flushes_nd")


def test_macsec_reads_its_words_before_the_kernel_refuses_it():
    """macsec_parse_opt(): the SCI words first (a port of 0, an sci after a port),
    parse_one_of()'s -EINVAL (status 1), the txsc flag and replay window checks."""
    _case("fuzz40_macsec_parse")
    shell = _shell()
    assert _run(shell, "ip link add x type macsec port 5 sci 5") == (
        'macsec: unknown command "sci"?\n' + _usage("ip_link_macsec"), 1)
    assert _run(shell, "ip link add x type macsec replay on") == (
        "replay protection enabled, but no window set. did you mean 'replay on window "
        "VALUE'?\n", 1)


def _usage(name: str) -> str:
    from ipemu.profiles import load
    return load(test_bash_c_lines.ORACLE_PROFILE).usage(name)


def test_route_get6_of_a_link_local_destination_with_iif():
    """ip6_route_input_lookup(): rt6_need_strict() sets RT6_LOOKUP_F_IFACE with the
    input device as the oif (seed 450461: dev v2, ipemu took the first fe80::/64);
    rt6_fill_node() puts no RTA_UID (ipemu printed `uid 0` under iif)."""
    _case("fuzz40_route_get6_iif_linklocal")


def test_a_vxlan_change_of_address_family_is_refused_before_its_port():
    """vxlan_nl2conf() on changelink: the group's and the local address's family
    against what vxlan_config_validate() gave the device (AF_INET with no address),
    before `Cannot change port` (seed 450719); the local text ends `old.`."""
    _case("fuzz40_vxlan_change_family")
