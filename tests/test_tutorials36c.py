"""tutorials36c: public tutorials and course labs in languages other than English replayed whole (each case
names its page on its first line). Every expected text was recorded on the project's
Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a pty),
twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

CASES = [p for p in corpus.oracle_cases() if p.stem.startswith("tutorials36c_")]


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_tutorials36c_cases_replay_whole(cmds):
    # the suite's slice of the corpus holds only some of them: these, every run
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)


def test_a_second_classifier_at_a_u32_prio_is_refused_for_its_kind():
    # tc_new_tfilter(): the proto found at (protocol, prio) is compared by kind before any
    # classifier module is looked up (recorded: tutorials36c_ecom_htb_sfq_eth1)
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    term, status = shell.run_line(
        "ip link add eth1 type veth peer name p1; tc qdisc add dev eth1 root handle 1: htb; "
        "tc filter add dev eth1 protocol ip parent 1:0 prio 1 u32 match ip dport 80 0xffff "
        "flowid 1:2; tc filter add dev eth1 protocol ip parent 1:0 prio 1 handle 6 fw "
        "flowid 1:3; tc filter add dev eth1 protocol ip parent 1:0 prio 2 handle 6 fw "
        "flowid 1:3")
    assert term.text() == ("Error: Specified filter kind does not match existing one.\n"
                           "We have an error talking to the kernel\n"
                           "Error: TC classifier not found.\n"
                           "We have an error talking to the kernel\n")
