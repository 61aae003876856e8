"""Round 38b's differential fuzzing (ipemu.fuzz.families: neighstate, rulerte) and what
it found. The findings' golden texts are the cases tests/oracle_cases/fuzz38b_*
(recorded on the project's Debian 12 machine, replayed by tests/test_rounds.py); the
tests here pin the generator and one fix each in process."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.fuzz import diff

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

ONLY = ("neighstate", "rulerte")


def _generated(seeds=range(420000, 420100)) -> list[str]:
    return [line for seed in seeds
            for line in diff.sequence(seed, only=ONLY)[:-len(diff.LISTINGS)]]


def test_round_38bs_families_have_their_lines():
    """neighbour entries walked through states with -s/-d listings and flushes; rules
    sending traffic to tables, routes there, route get with the rules' selectors."""
    lines = _generated()
    for part in ("ip neigh replace ", "ip neigh change ", " nud probe", " nud stale",
                 "ip -s neigh ", "ip -s -s neigh ", "ip -d neigh ", "ip neigh flush ",
                 "ip rule add pref ", " fwmark ", " uidrange ", "ip route get ", " mark ",
                 " uid ", " iif ", " fibmatch", "ip -d rule show", " table 100",
                 "ip -6 route get "):
        assert any(part in line for line in lines), part
    # no proxy entries (shared between namespaces) and no listing of the kernel's own
    # NOARP group entries (their ages and, with random MACs, their names differ)
    assert not any("proxy" in line for line in lines)
    assert not any(line.startswith("ip") and " neigh " in line and
                   ("nud all" in line or "nud noarp" in line) and " add " not in line
                   and " replace " not in line and " change " not in line
                   for line in lines)


def _case(name: str) -> None:
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(
        next(p for p in corpus.oracle_cases() if p.stem == name))


def test_a_probe_entry_told_probe_again_keeps_its_timer():
    _case("fuzz38b_neigh_probe_again")


def test_confirmed_moves_as_neigh_update_moves_it():
    _case("fuzz38b_neigh_confirmed_on_change")


def test_an_update_without_extern_learn_clears_it():
    _case("fuzz38b_neigh_extern_learn_cleared")


def test_fibmatch_of_the_on_link_guess_is_no_route_to_host():
    _case("fuzz38b_route_get_fibmatch_oif")


def test_no_icmp6_error_for_a_frame_to_a_multicast_mac_and_probes_move_used():
    _case("fuzz38b_neigh6_probe_multicast_mac")
