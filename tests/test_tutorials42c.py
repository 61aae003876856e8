"""The fixes round 42's ARP and neighbour tutorials led to (their cases, tutorials42c_,
are replayed whole by test_rounds.py). Every expected text was recorded on the
project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a
pty: Linux 6.18, iproute2 6.1, iputils 20221126, net-tools 2.10), twice, the two
recordings alike under diff.py's masks."""
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


CASES = Path(__file__).resolve().parent / "oracle_cases"


def _case_until(name: str, command: str, nth: int = 1):
    """A shell that ran the case's lines before the nth occurrence of `command`."""
    lines = [line for line in (CASES / f"{name}.cmds").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    shell, seen = _shell(), 0
    for line in lines:
        if line == command:
            seen += 1
            if seen == nth:
                return shell
        shell.run_line(line)
    raise AssertionError(f"{command!r} not in {name}")


# --- ___neigh_create(): confirmed = now - 2 x the device's base_reachable_time

def test_new_entry_is_confirmed_twice_the_devices_base_reachable_time_ago():
    # n->parms is the device's copy (arp_constructor()), not the table's 30 s: the
    # entry made by the ping at 9.5 s (the peer's link down) shows 9, not 67
    shell = _case_until("tutorials42c_nud_timers", "ip -s neigh show 10.42.5.2")
    assert _run(shell, "ip -s neigh show 10.42.5.2") == (
        "10.42.5.2 dev eth0  used 7/9/4probes 6 FAILED \n", 0)


# --- neigh_resolve_output() -> neigh_hh_init(): the first packet through an entry
# made valid by hand moves `used`; later ones go through neigh_hh_output()

def test_first_packet_through_a_permanent_entry_moves_used():
    shell = _case_until("tutorials42c_failed_gateway", "ip -s neigh show 10.42.2.254")
    assert _run(shell, "ip -s neigh show 10.42.2.254") == (
        "10.42.2.254 dev eth0 lladdr 02:00:00:42:02:fe  used 0/0/0probes 6 PERMANENT \n", 0)


# --- arping's check_ifflags(): printf(), so on stdout (tutorials42c_kuznet_locktime)

def test_arping_interface_down_is_said_on_stdout():
    shell = _case_until("tutorials42c_kuznet_locktime",
                        "ip netns exec b arping -U -c 1 -I eth0 10.42.7.2 > /dev/null; echo $?")
    assert _run(shell, "ip netns exec b arping -U -c 1 -I eth0 10.42.7.2 > /dev/null; "
                       "echo $?") == ("2\n", 0)
    assert _run(shell, "ip netns exec b arping -U -c 1 -I eth0 10.42.7.2; echo $?") == (
        'Interface "eth0" is down\n2\n', 0)


# --- neigh_max_probes() and arp_solicit(): a PROBE entry adds mcast_resolicit
# broadcasts after its unicast probes (tutorials42c_lkml_arp_tunables)

def test_probe_entry_broadcasts_mcast_resolicit_times_after_its_unicast_probes():
    shell = _case_until("tutorials42c_lkml_arp_tunables", "ip -s neigh show 10.42.10.2", 2)
    assert _run(shell, "ip -s neigh show 10.42.10.2") == (
        "10.42.10.2 dev eth0  used 4/5/2probes 4 FAILED \n", 0)


def test_probe_entry_without_mcast_resolicit_stops_after_its_unicast_probes():
    shell = _case_until("tutorials42c_lkml_arp_tunables", "ip -s neigh show 10.42.10.2")
    assert _run(shell, "ip -s neigh show 10.42.10.2") == (
        "10.42.10.2 dev eth0  used 3/4/1probes 2 FAILED \n", 0)


# --- __neigh_update(): a FAILED entry learnt again dates its confirmation 2 x
# base_reachable_time back; a change to a state not valid leaves `updated`
# (tutorials42c_lkml_failed_relearnt)

def test_failed_entry_learnt_from_a_request_is_confirmed_as_a_new_one():
    shell = _case_until("tutorials42c_lkml_failed_relearnt", "ip -s neigh show 10.42.11.2", 2)
    assert _run(shell, "ip -s neigh show 10.42.11.2") == (
        "10.42.11.2 dev eth0 lladdr 02:00:00:42:0b:02  used 2/5/1probes 0 STALE \n", 0)


def test_nud_failed_by_hand_keeps_updated():
    shell = _case_until("tutorials42c_lkml_failed_relearnt", "ip -s neigh show 10.42.11.2", 5)
    assert _run(shell, "ip -s neigh show 10.42.11.2") == (
        "10.42.11.2 dev eth0  used 4/7/3probes 0 FAILED \n", 0)


# --- unres_qlen: QUEUE_LEN_BYTES in SKB_TRUESIZE(ETH_FRAME_LEN) units, and the
# oldest waiting packets dropped to make room (tutorials42c_lkml_unres_qlen)

def test_unres_qlen_is_unres_qlen_bytes_in_frame_truesizes():
    shell = _shell("ip link add eth0 type veth peer name eth1")
    assert _run(shell, "sysctl -w net.ipv4.neigh.eth0.unres_qlen=1") == (
        "net.ipv4.neigh.eth0.unres_qlen = 1\n", 0)
    assert _run(shell, "sysctl net.ipv4.neigh.eth0.unres_qlen_bytes") == (
        "net.ipv4.neigh.eth0.unres_qlen_bytes = 2090\n", 0)
    assert _run(shell, "sysctl -w net.ipv4.neigh.eth0.unres_qlen_bytes=1000") == (
        "net.ipv4.neigh.eth0.unres_qlen_bytes = 1000\n", 0)
    assert _run(shell, "sysctl net.ipv4.neigh.eth0.unres_qlen") == (
        "net.ipv4.neigh.eth0.unres_qlen = 0\n", 0)


def test_a_short_queue_keeps_the_newest_pings():
    shell = _case_until("tutorials42c_lkml_unres_qlen",
                        "ping -c 6 -i 0.2 -W 5 10.42.17.9 | grep -v '^$'", 2)
    assert _run(shell, "ping -c 6 -i 0.2 -W 5 10.42.17.9 | grep -v '^$'")[0].splitlines()[1:3] == [
        "From 10.42.17.1 icmp_seq=5 Destination Host Unreachable",
        "From 10.42.17.1 icmp_seq=6 Destination Host Unreachable"]
