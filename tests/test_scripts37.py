"""Round 37's scripts (transcripts/scripts/scripts37_*: scripts written for ipemu in the
shape of public netns labs, selftests and helpers, each naming what it was modelled on)
given to `ipemu run` a line at a time, every run (test_scripts.py replays only a slice
of the corpus); the transcripts themselves run under the transcript plugin. And the
behaviours they brought, each on its own, from the recordings beside them."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402


CASES = test_scripts.round_cases("scripts37_")


def test_round37_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 10


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts37_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_lines = test_scripts.output_of


def test_a_deleted_devices_sysctls_go_with_it():
    # devinet_sysctl_unregister(): recorded in kernel/scripts37_sysctl_device_gone
    out = _lines("ip link add va type veth peer name vb\n"
                 "sysctl -w net.ipv4.conf.va.rp_filter=2 >/dev/null; ip link del va\n"
                 "sysctl -q -w net.ipv4.conf.va.rp_filter=1; echo $?\n")
    assert out == ("sysctl: cannot stat /proc/sys/net/ipv4/conf/va/rp_filter: "
                   "No such file or directory\n1\n")


def test_wait_n_finds_a_script_job_that_ended_before():
    # bash FILE keeps exited jobs until reported (shell/scripts37_script_job_table)
    out = _lines("printf 'true & a=$!\\nsleep 0.1\\nwait -n -p x; "
                 "echo \"$? $([[ $x == $a ]] && echo a)\"\\n' > j.sh\nbash j.sh\n")
    assert out == "0 a\n"


def test_getopt_normalizes_and_reports():
    out = _lines("getopt -n my -o 'ab:c::' -l 'name:,opt::' -- -a -bX -c x --name=1 "
                 "--opt --bad 2>&1; echo $?\n")
    assert out == ("my: unrecognized option '--bad'\n"
                   " -a -b 'X' -c '' --name '1' --opt '' -- 'x'\n1\n")


def test_mawk_refuses_gawks_three_argument_match():
    out = _lines("awk 'BEGIN{match(\"a\",\"a\",M)}'; echo $?\n")
    assert out == "awk: line 1: syntax error at or near ,\n2\n"


def test_timeout_signals_a_trapping_bash():
    # shell/scripts37_timeout_traps: the trap runs, the shell goes on
    out = _lines("timeout 0.5 bash -c 'trap \"echo T\" TERM; sleep 2; echo after' 2>&1; "
                 "echo \"rc $?\"\n"
                 "timeout 0.5 bash -c 'trap \"echo cleanup\" EXIT; sleep 2'; echo \"rc $?\"\n")
    assert out == "Terminated\nT\nafter\nrc 124\ncleanup\nrc 124\n"


def test_kill_of_a_background_bash_meets_its_trap():
    # shell/scripts37_kill_job_trap: the trap waits for the sleep, then exits 5
    out = _lines("printf '%s\\n' 'bash -c \"trap \\\"echo T; exit 5\\\" TERM; sleep 1\" & p=$!; "
                 "sleep 0.2; kill $p; wait $p; echo \"rc $?\"' > k.sh\nbash k.sh\n")
    assert out == "T\nrc 5\n"
