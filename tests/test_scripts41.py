"""Round 41's scripts (transcripts/scripts/scripts41_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: iproute2 6.1, bash 5.2; the recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts41_")


def test_round41_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 1


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts41_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_ACT = ("\n\taction order {o}: mirred ({what} to device lo) {ctl}\n"
        "\tindex {i} ref 1 bind 0\n\tnot_in_hw\n")


def test_tc_actions_add_get_list_delete_flush():
    # scripts41_tdc_mirred: tc-testing's mirred.json; ipemu knew only `tc actions ls`
    # (`Command "add" is unknown`). A get prints `total acts 0` and orders from 1 without
    # used_hw_stats (not dumped yet), a dump orders by index from 0 (recorded)
    out = _lines("tc actions add action mirred egress mirror index 15 dev lo\n"
                 "tc actions add action mirred ingress mirror dev lo jump 10\n"
                 "tc actions get action mirred index 15\n"
                 "tc actions ls action mirred\n"
                 "tc actions del action mirred index 1; tc actions flush action mirred; "
                 "tc actions ls action mirred; echo \"rc $?\"\n")
    hw = "\tused_hw_stats disabled\n"
    assert out == (
        "total acts 0\n" + _ACT.format(o=1, what="Egress Mirror", ctl="pipe", i=15)
        + "total acts 2\n"
        + _ACT.format(o=0, what="Ingress Mirror", ctl="jump 10", i=1) + hw
        + _ACT.format(o=1, what="Egress Mirror", ctl="pipe", i=15) + hw
        + "rc 0\n")


@pytest.mark.parametrize("line, said", [
    # EEXIST without extack; a kind the kernel cannot load; goto chain without a filter
    ("tc actions add action mirred egress redirect index 15 dev lo; "
     "tc actions add action mirred egress mirror index 15 dev lo",
     "RTNETLINK answers: File exists\nWe have an error talking to the kernel\n"),
    ("tc actions add action mirred egress redirect index 2 dev lo action pipe",
     "Error: Failed to load TC action module.\nWe have an error talking to the kernel\n"),
    ("tc actions add action mirred ingress mirror dev lo goto chain 42 index 90",
     "Error: can't goto NULL proto/chain.\nWe have an error talking to the kernel\n"),
    # one index twice in one batch: the first is still reserved (EAGAIN)
    ("tc actions add action mirred egress redirect dev lo index 3 action mirred egress "
     "mirror dev lo index 3",
     "RTNETLINK answers: Resource temporarily unavailable\n"
     "We have an error talking to the kernel\n"),
    ("tc actions add action mirred index 5",
     "Error: act_mirred: Unknown mirred option.\nWe have an error talking to the kernel\n"),
    # parse_direction()'s complaints, then parse_action()'s bad_val at the kind
    ("tc actions add action mirred inbound mirror index 20 dev lo",
     'mirred option not supported inbound\nbad action parsing\n'
     'parse_action: bad value (7:mirred)!\nIllegal "action"\n'),
    ("tc actions add action mirred egress remirror index 20 dev lo",
     'Command line is not complete. Try option "help"\n'),
    ("tc actions add action mirred egress mirror index 12 dev lo index 13",
     'mirred: Illegal double index\nbad action parsing\n'
     'parse_action: bad value (9:mirred)!\nIllegal "action"\n'),
    ("tc actions add action", 'bad action empty 1\nparse_action: bad value (0:(null))!\n'
     'Illegal "action"\n'),
    # tc_action_gd() returns 1 with its words unmoved: do_action() reads them again
    ("tc actions get action mirred index 77",
     "Error: TC action with specified index not found.\n"
     "We have an error talking to the kernel\n"
     'Command "action" is unknown, try "tc actions help".\n'),
    ("tc actions get action gact index 1",
     "Error: Specified TC action kind not found.\nWe have an error talking to the kernel\n"
     'Command "action" is unknown, try "tc actions help".\n'),
    ("tc actions del action mirred", "Error: no index specified action: mirred\n"),
    ("tc actions flush action foo",
     "Error: Cannot flush unknown TC action.\nWe have an error flushing\n"),
])
def test_tc_actions_errors(line, said):
    assert _lines(line + "\n") == said


def test_tc_actions_cookie_flags_and_json():
    # recorded: the cookie, hw_stats, no_percpu and skip_hw (not_in_hw left out); -j
    out = _lines("tc actions add action mirred egress mirror dev lo index 7 cookie 1234 "
                 "hw_stats immediate\n"
                 "tc actions add action mirred egress mirror dev lo index 8 no_percpu skip_hw\n"
                 "tc actions get action mirred index 7 action mirred index 8\n"
                 "tc -j actions ls action mirred\n")
    assert out == (
        "total acts 0\n\n\taction order 1: mirred (Egress Mirror to device lo) pipe\n"
        "\tindex 7 ref 1 bind 0\n\tcookie 1234\n\tnot_in_hw\n\thw_stats immediate\n"
        "\n\taction order 2: mirred (Egress Mirror to device lo) pipe\n"
        "\tindex 8 ref 1 bind 0\n\tno_percpu\tskip_hw\n"
        '[{"total acts":2},{"actions":[{"order":0,"kind":"mirred","mirred_action":"mirror",'
        '"direction":"egress","to_dev":"lo","control_action":{"type":"pipe"},"index":7,'
        '"ref":1,"bind":0,"cookie":"1234","not_in_hw":true,"hw_stats":["immediate"],'
        '"used_hw_stats":["disabled"]},{"order":1,"kind":"mirred","mirred_action":"mirror",'
        '"direction":"egress","to_dev":"lo","control_action":{"type":"pipe"},"index":8,'
        '"ref":1,"bind":0,"no_percpu":true,"skip_hw":true,"used_hw_stats":["disabled"]}]}]\n')


def test_netns_monitor_into_a_file_keeps_its_lines_until_killed():
    # netns_monitor() printf()s without fflush(): into a file stdio keeps the lines and
    # the SIGTERM that ends it loses them (recorded: nsmon.txt empty); on the terminal
    # (ipemu's wait shows a background job's output) each line goes out at once
    out = _lines("ip netns add m1; ip netns monitor > nsmon.txt 2>&1 & sleep 0.3; "
                 "ip netns add m2; ip netns del m1; sleep 0.3; kill %1; wait; cat nsmon.txt; "
                 "wc -c < nsmon.txt\n"
                 "ip netns monitor & sleep 0.3; ip netns add m3; sleep 0.3; kill %1; wait\n")
    assert out == "0\nadd m3\n"
