"""How fast ipemu replays the recorded real-kernel cases, against how long the real
kernel and tools took to run them (the oracle's NAME.time files). Not a test.

    python benchmarks/replay.py [ORACLE_DIR]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from ipemu.session import Session
from ipemu.transcript.runner import run_lines, script_lines


def main() -> int:
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "oracle" / "public"
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    cases = sorted(root.glob("*.cmds"))
    if not cases:
        print(f"no cases under {root}")
        return 1
    real = emulated = 0.0
    for case in cases:
        times = case.with_suffix(".time")
        if times.is_file():
            real += sum(float(x) for x in times.read_text().split())
        start = time.perf_counter()
        session = Session.create("default", "bare", "oracle")
        run_lines(session, script_lines(case.read_text()), "oracle")
        emulated += time.perf_counter() - start
    print(f"{len(cases)} cases: real kernel {real:.1f} s, ipemu {emulated:.2f} s "
          f"({real / emulated:.0f}x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
