"""Round 42's scripts (transcripts/scripts/scripts42_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: bash 5.2, iproute2 6.1; the recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts42_")


def test_round42_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 1


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts42_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_MIRRED = ("ip link add ifb0 type ifb; ip link add va type veth peer name vb\n"
           "tc qdisc add dev va handle ffff: ingress\n"
           "tc filter add dev va parent ffff: protocol ip u32 match u32 0 0"
           " action mirred egress redirect dev ifb0\n")


def test_a_filters_actions_are_released_after_an_rcu_grace_period():
    # scripts42_tc_prio: u32's keys go through tcf_queue_work(), so the actions of a
    # filter deleted (alone or with its qdisc) keep their index and bind for 10-20 ms;
    # a filter added at once takes the next index (recorded on the real kernel)
    out = _lines(_MIRRED +
                 "tc filter add dev va parent ffff: protocol ip u32 match u32 0 0"
                 " action mirred egress redirect dev ifb0 index 1\n"
                 "tc qdisc del dev va ingress; tc actions ls action mirred\n"
                 "sleep 0.1; tc actions ls action mirred; echo ==\n"
                 "tc qdisc add dev va handle ffff: ingress\n"
                 "tc filter add dev va parent ffff: protocol ip pref 5 u32 match u32 0 0"
                 " action mirred egress redirect dev ifb0\n"
                 "tc filter del dev va parent ffff: pref 5; tc actions ls action mirred\n"
                 "tc filter add dev va parent ffff: protocol ip pref 5 u32 match u32 0 0"
                 " action mirred egress redirect dev ifb0; tc actions ls action mirred\n")
    act = ("\taction order {o}: mirred (Egress Redirect to device ifb0) stolen\n"
           "\tindex {i} ref {b} bind {b}\n\tnot_in_hw\n\tused_hw_stats disabled\n")
    assert out == ("total acts 1\n\n" + act.format(o=0, i=1, b=2) + "==\n"
                   "total acts 1\n\n" + act.format(o=0, i=1, b=1) +
                   "total acts 2\n\n" + act.format(o=0, i=1, b=1) + "\n"
                   + act.format(o=1, i=2, b=1))
