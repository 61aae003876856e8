"""The recorded real-kernel cases of ../shared/oracle (when that directory is present)
through the oracle's own checker: every case must pass."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ORACLE = Path(__file__).resolve().parent.parent.parent / "shared" / "oracle"


@pytest.mark.skipif(not (ORACLE / "diff.py").is_file(), reason="no ../shared/oracle here")
def test_oracle_cases_keep_passing():
    emulator = f"{sys.executable} -m ipemu run --scenario bare --hostname oracle"
    done = subprocess.run([sys.executable, str(ORACLE / "diff.py"), "--emulator", emulator,
                           "--json", str(ORACLE / "public")], capture_output=True, text=True,
                          check=False, timeout=600)
    result = json.loads(done.stdout)
    status = {Path(c["case"]).name: c["status"] for c in result["cases"]}
    cases = {p.stem for p in (ORACLE / "public").glob("*.cmds")}
    assert cases, "the oracle directory holds no cases"
    broken = sorted(name for name in cases if status.get(name) != "PASS")
    assert not broken, f"oracle cases that fail: {broken}"
