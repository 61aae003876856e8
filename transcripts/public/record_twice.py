"""Record a public source's command sequence twice on the real kernel and keep it
when both runs agree (after ipemu's masking rules): `python record_twice.py X.cmds...`.

Root on Linux only (it runs `ipemu record`'s fresh net/mount/uts namespaces). The
.cmds file's leading `#` lines (what it covers, `source: URL`, `title: ...`,
adaptations) become the transcript's header; steps whose output differs between
the two runs are reported and the transcript is not written.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ipemu.transcript.check import normalize
from ipemu.transcript.record import RecordError, record
from ipemu.transcript.runner import script_lines


def header_lines(text: str) -> list[str]:
    head = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        head.append(line.rstrip())
    return head


def record_twice(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    lines = script_lines(text)
    runs = [record(lines) for _ in range(2)]
    outs = []
    for body, _statuses in runs:
        steps = body.split("[root@oracle ~]# ")[1:]
        outs.append(normalize([s.partition("\n")[2] for s in steps], lines))
    unstable = [i for i, (a, b) in enumerate(zip(*outs)) if a != b]
    if runs[0][1] != runs[1][1]:
        unstable += [i for i, (a, b) in enumerate(zip(runs[0][1], runs[1][1])) if a != b]
    if unstable:
        for i in sorted(set(unstable)):
            print(f"{path}: step {i + 1} differs between runs: {lines[i]}")
        return False
    body, statuses = runs[0]
    head = header_lines(text) + ["# scenario: bare",
                                 "# exit: " + " ".join(str(s) for s in statuses)]
    path.with_suffix(".txt").write_text("\n".join(head) + "\n" + body, encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    bad = 0
    for name in argv:
        try:
            ok = record_twice(Path(name))
        except RecordError as err:
            print(err)
            return 2
        bad += not ok
        print(("kept " if ok else "UNSTABLE ") + name)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
