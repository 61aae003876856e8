"""The long state check: every transcript saved and restored before every one of its
steps (CI round-trips a sample: tests/test_state.py), and the pins of the classes the
state can hold (tests/data/state_classes.json) checked or rewritten.

    .venv/bin/python tests/state_long.py [--jobs 2] [--write]

It prints each transcript whose replay differs after a round-trip, each class the
state held that no pin names (and each pin whose class is gone), then a summary line.
With --write it pins each class at the step where the smallest saved state holds it
(a sampled step when one holds it) and writes the file. Exit status 1 on a finding.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _one(name: str) -> tuple[str, str | None, dict[int, list], float]:
    """(transcript, the diff of its first mismatch or None, step -> [classes, size])."""
    import test_state as ts
    from ipemu import state
    from ipemu.transcript.check import check_transcript

    start = time.process_time()
    seen: dict[int, list] = {}

    def saved_and_restored(number: int, held: tuple) -> tuple:
        text = state.dumps(held)
        doc = json.loads(text)
        seen[number] = [sorted(ts.classes(doc, text)), len(text)]
        return state.from_document(doc)

    result = check_transcript(ts.ROOT / name, roundtrip=saved_and_restored)
    diff = None if result.ok else f"step {result.mismatch.index}: {result.mismatch.diff}"
    return name, diff, seen, time.process_time() - start


def pins(results, ts) -> dict[str, list]:
    """Each class at its cheapest step, a sampled one first."""
    best: dict[str, tuple] = {}
    for name, _, seen, _ in results:
        sampled = ts.sample(name, ts.steps(ts.ROOT / name))
        for step, (names, size) in seen.items():
            for cls in names:
                key = (step not in sampled, size, name, step)
                if cls not in best or key < best[cls]:
                    best[cls] = key
    return {cls: [key[2], key[3]] for cls, key in sorted(best.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--write", action="store_true", help="rewrite the pins")
    args = ap.parse_args(argv)
    import test_state as ts

    names = [ts.rel(p) for p in ts.TRANSCRIPTS]
    start = time.perf_counter()
    with multiprocessing.Pool(args.jobs) as pool:
        results = pool.map(_one, names, chunksize=4)
    wall = time.perf_counter() - start
    findings = 0
    for name, diff, _, _ in results:
        if diff is not None:
            findings += 1
            print(f"FAIL {name} {diff}")
    want = pins(results, ts)
    if args.write:
        lines = [f" {json.dumps(cls)}: {json.dumps(pin)}" for cls, pin in want.items()]
        ts.PINS_FILE.write_text('{"classes": {\n' + ",\n".join(lines) + "\n}}\n")
    else:
        have = json.loads(ts.PINS_FILE.read_text())["classes"]
        for cls in sorted(set(want) - set(have)):
            findings += 1
            print(f"UNPINNED {cls} (first at {want[cls][0]} step {want[cls][1]})")
        for cls in sorted(set(have) - set(want)):
            findings += 1
            print(f"GONE {cls} (pinned at {have[cls][0]} step {have[cls][1]})")
    steps = sum(len(seen) for _, _, seen, _ in results)
    cpu = sum(r[3] for r in results)
    print(f"{len(results)} transcripts, {steps} round-trips, {len(want)} classes, "
          f"{findings} findings, {wall:.0f} s wall, {cpu:.0f} s CPU in {args.jobs} processes")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
