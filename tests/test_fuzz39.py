"""Round 39's differential fuzzing (ipemu.fuzz.families: tc39, sysctl39, netns39,
linkaddr39) and what it found. The findings' golden texts are the cases
tests/oracle_cases/fuzz39_* (recorded twice on the project's Debian 12 machine, alike;
replayed by tests/test_rounds.py); the tests here pin the generator, its safety filter
and one fix each."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.fuzz import diff, families

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

ONLY = ("tc39", "sysctl39", "netns39", "linkaddr39")


def _generated(seeds=range(430000, 430100)) -> list[str]:
    return [line for seed in seeds
            for line in diff.sequence(seed, only=ONLY)[:-len(diff.LISTINGS)]]


def test_round_39s_families_have_their_lines():
    lines = _generated()
    for part in ("tc qdisc add dev v0 root handle 1: htb", "tc class add dev v0 parent 1:",
                 "tc filter add dev v0 parent 1: protocol ip", " u32 match ip ", " flowid ",
                 " netem ", " tbf rate ", "tc -s ", "tc -d ", "tc -j ",
                 "sysctl -w net.ipv6.conf.", ".disable_ipv6=1", "net.ipv4.ip_forward=",
                 ".rp_filter=", ".arp_ignore=", " iif ", "ip netns add blue",
                 "ip -n red ", "ip netns exec red ip ", "ip -all netns exec ip ",
                 " netns red", " netns blue", "ip link set v0 down", "ip link set v0 up",
                 "keep_addr_on_down", " route show proto kernel"):
        assert any(part in line for line in lines), part


def test_the_families_stay_in_their_namespaces():
    """exec and -all only for netns39 (the recorder's /run/netns is its own tmpfs), the
    namespace's own ip_forward only for sysctl39; never another namespace's name."""
    names = {"devs": ["v0"], "netns": ["red", "blue"]}
    allowed = families.ALLOWED["netns39"]
    for line in ("ip netns exec red ip link", "ip -all netns exec ip -br addr",
                 "ip netns add blue", "ip netns del red", "ip netns list",
                 "ip -n red link set v1 netns blue"):
        assert diff.safe(line.split(), names, allowed), line
    for line in ("ip netns exec 1 ip link", "ip netns add x", "ip netns exec",
                 "ip netns list red", "ip netns identify 1", "ip netns attach x 1",
                 "ip -all netns del x"):
        assert not diff.safe(line.split(), names, allowed), line
    assert not diff.safe("ip netns exec red ip link".split(), names)
    assert not diff.safe("ip -all netns exec ip link".split(), names)
    assert diff.safe("sysctl -w net.ipv4.ip_forward=1".split(), names,
                     families.ALLOWED["sysctl39"])
    assert not diff.safe("sysctl -w net.ipv4.ip_forward=1".split(), names)


def _case(name: str) -> None:
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(
        next(p for p in corpus.oracle_cases() if p.stem == name))


def test_sfq_parses_its_words_before_the_kernel_is_asked():
    _case("fuzz39_sfq_options")


def test_prio_bands_after_priomap_prints_the_usage_and_goes_on():
    _case("fuzz39_prio_bands_after_priomap")


def test_a_filters_device_is_looked_up_before_its_classifier_parses():
    _case("fuzz39_filter_dev_first")


def test_tbf_takes_mpu_and_linklayer():
    _case("fuzz39_tbf_mpu")


def test_a_loopback_destination_on_lo_is_a_martian_without_route_localnet():
    _case("fuzz39_route_get_loopback_iif")


def test_red_parses_its_words_before_the_kernel_is_asked():
    _case("fuzz39_red_options")


def test_a_rate_in_percent_is_a_share_of_the_links_speed():
    _case("fuzz39_percent_rates")


def test_tc_p_decodes_u32_keys_by_the_filters_protocol():
    _case("fuzz39_u32_pretty")


def test_a_filter_flush_naming_a_protocol_is_refused_first():
    _case("fuzz39_filter_flush_with_protocol")


def test_a_bridges_carrier_loss_fired_by_its_ports_linkwatch_run_waits_a_second():
    _case("fuzz39_bridge_carrier_after_port_run")


def test_classes_of_qdiscs_whose_class_ops_have_no_change():
    _case("fuzz39_class_ops_without_change")


def test_linkwatchs_delayed_work_a_second_ahead_is_not_a_wrap():
    """linkwatch_schedule_work(): a `nextevent` set to now + HZ comes back from the
    subtraction a hair above HZ for some instants; that is HZ, not a wrap (taken for
    one, the work rescheduled itself at the same instant forever: seed 430372)."""
    from ipemu.kernel.link_watch import HZ, LinkWatch

    class Clock:
        def __init__(self):
            self.calls = []

        def call_at(self, when, obj, name):
            self.calls.append(when)

    for now in (3.3000000000000003, 0.1 + 0.2, 12345.678901, 7.7):
        lw = LinkWatch(nextevent=now + HZ)
        clock = Clock()
        lw._schedule(clock, now)
        assert lw.work_when == now + HZ and clock.calls == [now + HZ]
