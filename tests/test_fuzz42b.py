"""Round 42b's differential fuzzing (fuzz42b: the round-42 families vlanbr42, macvlan42,
vxlan42 again, and rounds 39-41's, seeds 540000 up) and what it found. The golden texts
are the cases tests/oracle_cases/fuzz42b_* (recorded twice on the project's Debian 12
machine, Linux 6.18, iproute2 6.1, iputils 20221126; replayed whole by
tests/test_rounds.py); the tests here pin one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output


def test_ping_bound_to_a_device_with_no_address_sends_its_echo():
    """ping -I v0 on a host with no address: the source is INADDR_ANY (no bound
    source), the route is ip_route_output_key_hash_rcu()'s on-link guess and, with no
    local table yet, arp_constructor() makes the neighbour NOARP with the broadcast
    MAC: the echo leaves at once (98 bytes on v0, none of ARP). ipemu refused it as a
    nonlocal source. Recorded: fuzz42b_bindtodevice_noaddr (seed 540047)."""
    _case("fuzz42b_bindtodevice_noaddr")
    s = _shell()
    for line in ("sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
                 "ip link add v0 type veth peer name v1", "ip link set v0 up",
                 "ip link set v1 up"):
        _run(s, line)
    out = _run(s, "ping -I v0 -c 1 -W 1 10.0.0.11")
    assert "from 0.0.0.0 v0: 56(84) bytes of data." in out
    stats = _run(s, "ip -s link show v0").splitlines()
    assert stats[-1].split()[:2] == ["98", "1"]
    assert "10.0.0.11 dev v0 lladdr ff:ff:ff:ff:ff:ff NOARP" in \
        _run(s, "ip neigh show nud all")


def test_ipv6_neighbours_refused_on_a_device_with_ipv6_disabled():
    """neigh_add(): tbl->allow_add() (ndisc_allow_add()) before the lookup, so add,
    change and replace all say 'IPv6 is disabled on this device' (status 2); a proxy
    entry is made before it. disable_ipv6 flushes the device's nd_tbl entries, a
    permanent one too (rt6_disable_ip()). Recorded: fuzz42b_ndisc_allow_add."""
    _case("fuzz42b_ndisc_allow_add")
    s = _shell()
    _run(s, "ip link add v0 type veth peer name v1")
    _run(s, "ip -6 neigh add fe80::2 lladdr 02:00:00:00:00:02 dev v0")
    _run(s, "sysctl -q -w net.ipv6.conf.v0.disable_ipv6=1")
    assert _run(s, "ip -6 neigh show dev v0 nud all") == ""
    assert _run(s, "ip -6 neigh change fe80::2 lladdr 02:00:00:00:00:03 dev v0; echo $?") \
        == "Error: IPv6 is disabled on this device.\n2\n"


def test_vxlan_static_entry_with_via_drops_its_macs_frames():
    """vxlan_snoop(): the entry matches the source by remote address and
    remote_ifindex, 0 for an IPv4 source; a static entry made with `via v0` does not,
    and static entries are not migrated: the frame is dropped. ipemu matched the
    address alone and answered. Recorded: fuzz42b_vxlan_via_snoop_drop (seed 540212)."""
    _case("fuzz42b_vxlan_via_snoop_drop")


def test_a_delay_entry_on_a_down_lo_probes_into_the_noop_qdisc():
    """__neigh_update(): a DELAY entry's timer runs at once and probes; on lo, down,
    the ARP meets the noop qdisc, whose noop_enqueue() counts it as TX dropped.
    Recorded: fuzz42b_neigh_delay_probe (seed 540251)."""
    _case("fuzz42b_neigh_delay_probe")
