"""The recorded real-kernel cases of ../shared/oracle (when that directory is present)
through the oracle's own checker: every case must pass.

diff.py's main() judges every case in this process, with its `run_emulator()` (a shell
command per case) replaced by `ipemu run`'s own function on a captured stdout: 31
process starts were 10 s of the suite's CPU, and the process boundary is not what
they check. One test runs diff.py as the oracle does, `ipemu run` a process per
case, on a few cases, and holds the in-process output to the process's byte for byte."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ORACLE = Path(__file__).resolve().parent.parent.parent / "shared" / "oracle"
EMULATOR = f"{sys.executable} -m ipemu run --scenario bare --hostname oracle"
# the cases the process test runs (diff.py's order): errors, an option set, a capture
THROUGH_PROCESSES = ("addr_errors", "ping_options", "tcpdump_list_errors")

pytestmark = pytest.mark.skipif(not (ORACLE / "diff.py").is_file(),
                                reason="no ../shared/oracle here")


def _cases() -> list[Path]:
    cases = sorted((ORACLE / "public").glob("*.cmds"))
    assert cases, "the oracle directory holds no cases"
    return cases


def _diff_module():
    spec = importlib.util.spec_from_file_location("oracle_diff", ORACLE / "diff.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_in_process(case: str) -> tuple[str, str, int]:
    """What `EMULATOR CASE` prints (stdout as diff.py decodes it, stderr, status), from
    the function `ipemu run` calls (ipemu/cli.py main(): these options, its default
    profile), in this process."""
    from ipemu.transcript.runner import ORACLE_PROFILE, run_script
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run_script(case, profile=ORACLE_PROFILE, scenario="bare",
                            hostname="oracle")
    # the process writes UTF-8 (surrogates escaped) and diff.py decodes it so
    text = out.getvalue().encode("utf-8", "surrogateescape")
    return text.decode("utf-8", "surrogateescape"), err.getvalue(), status


def _judge(diff, cases: list[Path]) -> dict[str, str]:
    """diff.py --json over `cases`: case name -> PASS, FAIL or STALE."""
    argv = ["diff.py", "--emulator", EMULATOR, "--json", *map(str, cases)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        old, sys.argv = sys.argv, argv
        try:
            diff.main()
        finally:
            sys.argv = old
    return {Path(c["case"]).name: c["status"] for c in json.loads(out.getvalue())["cases"]}


def test_oracle_cases_keep_passing(monkeypatch):
    cases = _cases()
    diff = _diff_module()
    monkeypatch.setattr(diff, "run_emulator", lambda prefix, case, timeout:
                        run_in_process(case))
    status = _judge(diff, cases)
    broken = sorted(p.stem for p in cases if status.get(p.stem) != "PASS")
    assert not broken, f"oracle cases that fail: {broken}"


def test_oracle_cases_through_ipemu_run_processes():
    """diff.py as the oracle runs it (a shell command, `ipemu run` a process per case),
    on a few cases; their in-process output is the process's, byte for byte."""
    cases = [p for p in _cases() if p.stem in THROUGH_PROCESSES]
    assert [p.stem for p in cases] == list(THROUGH_PROCESSES)
    done = subprocess.run([sys.executable, str(ORACLE / "diff.py"), "--emulator", EMULATOR,
                           "--json", *map(str, cases)], stdout=subprocess.PIPE, text=True,
                          timeout=600)
    status = {Path(c["case"]).name: c["status"] for c in json.loads(done.stdout)["cases"]}
    assert status == {name: "PASS" for name in THROUGH_PROCESSES}
    diff = _diff_module()
    for case in cases:
        assert run_in_process(str(case)) == diff.run_emulator(EMULATOR, str(case), 60), case
