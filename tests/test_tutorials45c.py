"""The fixes round 45's third pass over traffic control tutorials led to (their cases,
tutorials45c_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE`
on a pty: Linux 6.18, iproute2 6.1), twice, the two recordings alike under diff.py's
masks."""
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


def test_u32_flowid_with_action_is_starred():
    """f_u32.c sets TC_U32_TERMINAL for a flowid as for an action, and u32_print_opt()
    stars a classid whenever the selector is terminal: a filter with both prints
    `*flowid` (iproute2's doc/actions/mirred-usage example, recorded in
    tutorials45c_mirredusage_lo_redirect)."""
    shell = _shell("ip link add eth0 type veth peer name eth0b",
                   "tc qdisc add dev lo ingress",
                   "tc filter add dev lo parent ffff: protocol ip prio 10 u32 match u32 0 0 "
                   "flowid 1:2 action mirred egress redirect dev eth0")
    text, status = _run(shell, "tc filter show dev lo parent ffff:")
    assert status == 0
    assert text.splitlines()[2] == (
        "filter protocol ip pref 10 u32 chain 0 fh 800::800 order 2048 key ht 800 bkt 0 "
        "*flowid 1:2 not_in_hw ")
    # an action without a classid: "terminal flowid" (recorded in tutorials43c_huschi_mirred_span)
    shell.run_line("tc filter add dev lo parent ffff: protocol ip prio 11 u32 match u32 0 0 "
                   "action mirred egress mirror dev eth0")
    text, _ = _run(shell, "tc filter show dev lo parent ffff: prio 11")
    assert "bkt 0 terminal flowid not_in_hw " in text
