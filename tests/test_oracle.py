"""The recorded real-kernel cases of ../shared/oracle (when that directory is present)
through the oracle's own checker: every case must pass."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ORACLE = Path(__file__).resolve().parent.parent.parent / "shared" / "oracle"


def _check(emulator: str, cases: list[Path]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ORACLE / "diff.py"), "--emulator", emulator,
                             "--json", *map(str, cases)], stdout=subprocess.PIPE, text=True)


@pytest.mark.skipif(not (ORACLE / "diff.py").is_file(), reason="no ../shared/oracle here")
def test_oracle_cases_keep_passing():
    emulator = f"{sys.executable} -m ipemu run --scenario bare --hostname oracle"
    cases = sorted((ORACLE / "public").glob("*.cmds"))
    assert cases, "the oracle directory holds no cases"
    # the cases in two halves, checked at once: each case is a process of its own,
    # and the suite otherwise leaves the second CPU idle
    runs = [_check(emulator, half) for half in (cases[0::2], cases[1::2]) if half]
    status = {}
    for run in runs:
        out, _ = run.communicate(timeout=600)
        status.update({Path(c["case"]).name: c["status"] for c in json.loads(out)["cases"]})
    broken = sorted(p.stem for p in cases if status.get(p.stem) != "PASS")
    assert not broken, f"oracle cases that fail: {broken}"
