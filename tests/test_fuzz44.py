"""Round 44's differential fuzzing (fuzz44: the families brfdb44, linkprop44 and
neighping44 of ipemu/fuzz/families.py, seeds 560000 up) and what it found. The golden
texts are the cases tests/oracle_cases/fuzz44_* (recorded twice on the project's
Debian 12 machine, Linux 6.18, iproute2 6.1, iputils 20221126; replayed whole by
tests/test_rounds.py); the tests here pin one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

from ipemu.fuzz import diff, families  # noqa: E402

_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output

BRIDGE = ("sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
          "sysctl -q -w net.ipv6.conf.all.disable_ipv6=1",
          "ip netns add red", "ip netns add blue",
          "ip link add br0 address 02:00:00:00:00:20 type bridge",
          "ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 "
          "address 02:00:00:00:00:11 netns red",
          "ip link add v2 address 02:00:00:00:00:12 type veth peer name v3 "
          "address 02:00:00:00:00:13 netns blue",
          "ip link set v0 master br0", "ip link set v2 master br0",
          "ip addr add 10.0.0.1/24 dev br0", "ip -n red addr add 10.0.0.2/24 dev v1",
          "ip -n blue addr add 10.0.0.3/24 dev v3", "ip -n red link set v1 up",
          "ip -n blue link set v3 up", "ip link set v0 up", "ip link set v2 up",
          "ip link set br0 up")


def _bridge():
    s = _shell()
    for line in BRIDGE:
        _run(s, line)
    return s


def test_the_round_44_families_are_generated():
    """The three families make their own lines, with their topologies (brfdb44: br0
    with v0/v2 whose peers are in red/blue; neighping44: v0/v1 and v2/v3 apart)."""
    for name in ("brfdb44", "linkprop44", "neighping44"):
        lines = [line for seed in range(560000, 560030)
                 for line in diff.sequence(seed, only=(name,))]
        assert lines, name
    brfdb = diff.sequence(560000, only=("brfdb44",))
    assert any(line.startswith("bridge fdb") for line in brfdb)
    assert "ip link set v0 master br0" in brfdb
    assert families.SETTLE["neighping44"] == ("sleep 3", "sleep 3")


def test_a_permanent_fdb_entry_passes_frames_up_and_one_on_the_bridge_drops_them():
    """br_handle_frame_finish(): an entry with BR_FDB_LOCAL (added permanent, on a port
    or on the bridge) takes the frames to its address up to the bridge, not on to the
    port; br_dev_xmit() -> br_forward(NULL) frees a frame of the bridge's own to an
    entry on the bridge itself. ipemu forwarded the first and raised AttributeError on
    the second (seed 560042). Recorded: fuzz44_fdb_local_entry."""
    _case("fuzz44_fdb_local_entry")
    s = _bridge()
    _run(s, "bridge fdb replace 02:00:00:00:00:11 dev br0")
    out = _run(s, "ping -c 1 -W 1 10.0.0.2")
    assert "1 packets transmitted, 0 received" in out


def test_fdb_add_of_an_own_address_exists():
    """fdb_add_entry() finds the local entry of the bridge's or a port's own address
    (NLM_F_EXCL: EEXIST, on whatever port); ipemu added a second one (seeds 560032,
    560060). Recorded: fuzz44_fdb_add_own_address."""
    _case("fuzz44_fdb_add_own_address")
    s = _bridge()
    assert _run(s, "bridge fdb add 02:00:00:00:00:10 dev v2 master static") == \
        "RTNETLINK answers: File exists\n"


def test_a_port_held_learning_by_hand_is_not_live():
    """br_set_port_state() -> br_port_state_selection(): the bridge's carrier is on
    while a port forwards; a port set listening/learning/disabled does not count, so
    br0 loses its carrier when the other port goes down, and gets it back when the
    port is set forwarding (seed 560076). Recorded: fuzz44_br_carrier_manual_state."""
    _case("fuzz44_br_carrier_manual_state")
    s = _bridge()
    _run(s, "bridge link set dev v0 state 2")
    _run(s, "ip link set v2 down")
    assert "NO-CARRIER" in _run(s, "ip link show br0")
    _run(s, "bridge link set dev v0 state 3")
    assert "LOWER_UP" in _run(s, "ip link show br0")


def test_the_answer_to_a_unicast_probe_dates_used():
    """A STALE entry a packet used goes DELAY, then PROBE; the answer to its unicast
    ARP probe makes it REACHABLE with `used` dated too (`used 1/1/1`), while probes
    that get no answer leave `used` at the packet's instant (seed 560003). Recorded:
    fuzz44_neigh_used_probe, fuzz44_neigh_probe_unanswered."""
    _case("fuzz44_neigh_used_probe")
    _case("fuzz44_neigh_probe_unanswered")


def test_a_learnt_entry_is_used_by_the_answer_to_a_probe():
    """bridge -s fdb: the learnt entries' used/updated ages through a host's DELAY and
    PROBE: its unicast probe refreshes `updated` of the sender's entry, the answer
    `used` (ipemu matched already: seed 560035 differed by the lines' timing, the
    real side's DELAY running out a second before ipemu's). Recorded:
    fuzz44_fdb_used_arp_probe."""
    _case("fuzz44_fdb_used_arp_probe")


def test_a_flag_change_without_carrier_drops_the_neighbours():
    """__dev_notify_flags(): a change of a bit other than UP/PROMISC/ALLMULTI sends
    NETDEV_CHANGE, and on a link without carrier arp_netdev_event() runs
    neigh_carrier_down(): the INCOMPLETE entry of a ping and the STALE/REACHABLE ones
    go, the permanent stays; ipemu kept them (seed 560098). Recorded:
    fuzz44_neigh_flags_nocarrier."""
    _case("fuzz44_neigh_flags_nocarrier")
    s = _shell()
    for line in ("ip link add v0 type veth peer name v1", "ip link set v0 up",
                 "ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:98 dev v0 nud stale"):
        _run(s, line)
    _run(s, "ip link set v0 promisc on")
    assert "10.0.0.8" in _run(s, "ip neigh show nud all")
    _run(s, "ip link set v0 multicast off")
    assert "10.0.0.8" not in _run(s, "ip neigh show nud all")


def test_what_waited_in_an_entry_made_stale_takes_it_to_delay():
    """__neigh_update() of an INCOMPLETE entry to STALE with an lladdr sends what waited
    in its arp_queue through neigh_resolve_output(), whose neigh_event_send() takes
    the STALE entry to DELAY (and PROBE 5 s on); ipemu left it STALE (seed 560118).
    Recorded: fuzz44_neigh_queue_stale_delay."""
    _case("fuzz44_neigh_queue_stale_delay")
    s = _shell()
    for line in ("ip link add v2 type veth peer name v3", "ip link set v2 up",
                 "ip link set v3 up", "ip addr add 192.168.5.1/24 dev v2",
                 "ping -c 1 -W 0.5 192.168.5.9"):
        _run(s, line)
    _run(s, "ip neigh change 192.168.5.9 lladdr 02:00:00:00:00:99 dev v2 nud stale")
    assert _run(s, "ip neigh show 192.168.5.9").endswith("DELAY \n")


def test_fdb_del_with_a_vlan_finds_only_that_vlans_entry():
    """br_fdb_delete() with NDA_VLAN: __br_fdb_delete(br, p, addr, vid) looks for
    that VLAN's entry only; a bridge without vlan_filtering has its entries on VLAN
    0, so `vlan 1` or `vlan 10` finds nothing (ENOENT); ipemu deleted the entry
    (seed 560237). Recorded: fuzz44_fdb_del_vlan."""
    _case("fuzz44_fdb_del_vlan")
    s = _bridge()
    _run(s, "bridge fdb add 02:00:00:00:00:61 dev v0 master static")
    assert _run(s, "bridge fdb del 02:00:00:00:00:61 dev v0 master vlan 1") == \
        "RTNETLINK answers: No such file or directory\n"
    assert _run(s, "bridge fdb del 02:00:00:00:00:61 dev v0 master") == ""


def test_fdb_entries_age():
    """br_fdb_cleanup(): learnt entries and entries added `dynamic` go once their last
    update is ageing_time old (static and local ones stay, a ping refreshes the
    learnt ones); ipemu aged nothing unless ageing_time was 0 (seed 560208).
    Recorded: fuzz44_fdb_ageing."""
    _case("fuzz44_fdb_ageing")
    s = _bridge()
    _run(s, "ip link set br0 type bridge ageing_time 1000")
    _run(s, "bridge fdb add 02:00:00:00:00:61 dev v2 master dynamic")
    _run(s, "bridge fdb add 02:00:00:00:00:62 dev v2 master static")
    _run(s, "sleep 9.5")
    assert "02:00:00:00:00:61" in _run(s, "bridge fdb show br br0")
    _run(s, "sleep 1")
    out = _run(s, "bridge fdb show br br0")
    assert "02:00:00:00:00:61" not in out and "02:00:00:00:00:62" in out


def test_a_bridge_port_keeps_its_number():
    """find_portno(): a port takes the lowest number free when it joins and keeps it;
    ipemu numbered the ports by their place, so the second port became 0x1 once the
    first had left (seed 560269). Recorded: fuzz44_br_port_no."""
    _case("fuzz44_br_port_no")
    s = _shell()
    for line in ("ip link add br0 type bridge", "ip link add v0 type veth peer name v1",
                 "ip link add v2 type veth peer name v3", "ip link set v0 master br0",
                 "ip link set v2 master br0", "ip link set v0 nomaster"):
        _run(s, line)
    assert "port_no 0x2" in _run(s, "ip -d link show v2")


def test_the_bridges_fdb_flush_empties_the_dynamic_entries():
    """IFLA_BR_FDB_FLUSH: br_fdb_flush() with flags_mask BR_FDB_STATIC deletes the
    learnt, dynamic and externally learnt entries, keeps the static and local ones;
    ipemu parsed `fdb_flush` and did nothing (seed 560322). Recorded:
    fuzz44_br_fdb_flush."""
    _case("fuzz44_br_fdb_flush")
    s = _bridge()
    _run(s, "bridge fdb add 02:00:00:00:00:61 dev v2 master dynamic")
    _run(s, "bridge fdb add 02:00:00:00:00:62 dev v2 master static")
    _run(s, "ip link set br0 type bridge fdb_flush")
    out = _run(s, "bridge fdb show br br0")
    assert "02:00:00:00:00:61" not in out and "02:00:00:00:00:62" in out
