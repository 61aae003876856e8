"""Pass rate of transcripts: `python measure.py DIR|FILE...` prints, per transcript,
the commands whose output (and exit status) match after masking, and the totals
(commands matched / commands, whole transcripts). Unlike `ipemu check`, it goes on
after the first mismatch, so a later command is judged on ipemu's own state."""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.transcript.check import collect, compared, read_transcript, replay
from ipemu.transcript.format import parse


def measure(path: Path) -> tuple[int, int, int | None]:
    # read as `ipemu check` reads it: read_text()'s universal newlines would turn a
    # recorded "\r" (curl's progress meter) into "\n" on one side only
    tr = parse(read_transcript(path))
    outputs, statuses = replay(tr)
    want, got = compared(tr, outputs)
    expected = tr.exit_statuses or []
    ok = 0
    first = None
    for i, (w, g) in enumerate(zip(want, got)):
        good = w == g and (i >= len(expected) or expected[i] == statuses[i])
        ok += good
        if not good and first is None:
            first = i + 1
    return ok, len(tr.steps), first


def main(argv: list[str]) -> int:
    total = matched = whole = files = 0
    for path in collect(argv):
        ok, n, first = measure(path)
        files += 1
        total += n
        matched += ok
        whole += first is None
        print(f"{ok:3d}/{n:<3d} {path}" + (f"  (first failing: {first})" if first else ""))
    if total:
        print(f"commands: {matched}/{total} ({100 * matched / total:.1f}%), "
              f"transcripts: {whole}/{files}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
