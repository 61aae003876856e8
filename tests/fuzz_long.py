"""The long fuzz run of issue 16: generated command lines, in chunks, over several
processes, every finding collected (hypothesis stops at the first one).

    .venv/bin/python tests/fuzz_long.py --lines 100000 --jobs 2 [--seed 0] [--out F.json]

The lines are those of tests/test_robust_fuzz.py (the recorded scripts' lines and
lines walked from grammar/ip.lark, mutated: words dropped, repeated, swapped, replaced
by bad addresses, huge numbers, unicode, control characters, long words; or a tool's
name and a soup of words), drawn with `random` from a seed per chunk, so a chunk
replays alike. Each case starts a host as a recorded transcript left it after some of
its steps and runs 1 to 6 lines on it. After every generated line it checks what
test_robust_fuzz.check_line checks: no exception, no internal error (status 70), a
finite clock, an end within the bound, a refusal with a non-zero status, the kernel's
invariants. It prints each finding with what reproduces it, then a summary line.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import signal
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHUNK = 500          # generated lines per chunk (one seed each)


def _mutated(rng: random.Random, fz) -> str:
    """random's version of test_robust_fuzz.mutated_line (same actions, same odds)."""
    if rng.randint(0, 4) == 0:
        words = [rng.choice(fz.VOCABULARY + fz.ODD_WORDS) for _ in range(rng.randint(0, 8))]
        return " ".join([rng.choice(fz.TOOLS)] + words)
    words = rng.choice(fz.CORPUS).split()
    for _ in range(rng.randint(0, 5)):
        if not words:
            break
        i = rng.randint(0, len(words) - 1)
        action = rng.choice(["drop", "repeat", "swap", "odd", "word", "keep"])
        if action == "drop":
            del words[i]
        elif action == "repeat":
            words.insert(i, words[i])
        elif action == "swap" and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        elif action == "odd":
            words[i] = rng.choice(fz.ODD_WORDS)
        elif action == "word":
            words.insert(i, rng.choice(fz.VOCABULARY))
    return " ".join(words)


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _check(fz, session, line: str) -> str | None:
    """What is wrong after running one line (None when nothing is)."""
    from invariants import violations
    from ipemu.process import Bound
    before = session.host.clock.now
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(fz.WALL_LIMIT)
    try:
        term, status = session.run_line(line)
    except _Hang:
        return f"still running after {fz.WALL_LIMIT} s of real time"
    except BaseException:   # noqa: B036 - KeyboardInterrupt from the program is a finding too
        return "exception: " + traceback.format_exc(limit=-3).strip().splitlines()[-1] + \
            "\n" + traceback.format_exc(limit=-3)
    finally:
        signal.alarm(0)
    text = term.text()
    if status == 70 or "internal error" in text or "Traceback" in text:
        return f"internal error (status {status}): {text[-400:]!r}"
    if not math.isfinite(session.host.clock.now):
        return "clock not finite"
    commands = 1 + len(fz.OPERATORS.findall(line))
    if session.host.clock.now - before > commands * (Bound.seconds + 60):
        return f"ran {session.host.clock.now - before} virtual seconds"
    if fz.refusal_fails(line) and term.stream("stderr").startswith(fz.REFUSALS) \
            and status == 0:
        return f"refused with status 0: {text[-200:]!r}"
    wrong = violations(session.host)
    if wrong:
        return f"invariants: {wrong[:3]}"
    return None


def run_chunk(seed: int, lines: int = CHUNK) -> dict:
    """`lines` generated lines from `seed`; the findings and counts."""
    import test_robust_fuzz as fz
    from ipemu.process import Bound
    from ipemu.session import Session
    Bound.seconds = 5.0        # as in the suite: an endless command costs little
    rng = random.Random(seed)
    done, cases, findings = 0, 0, []
    started = time.time()
    while done < lines:
        t = rng.randrange(len(fz.TRANSCRIPTS))
        tr = fz.TRANSCRIPTS[t]
        steps = [s.command for s in tr.steps]
        prefix = steps[:rng.randint(0, len(steps))]
        generated = [_mutated(rng, fz) for _ in range(rng.randint(1, 6))]
        session = Session.create(tr.header.get("profile", "default"),
                                 tr.header.get("scenario", "bare"), tr.hostname,
                                 int(tr.header.get("seed", "0")))
        cases += 1
        for n, line in enumerate(prefix + generated):
            wrong = _check(fz, session, line)
            if n >= len(prefix):
                done += 1
            if wrong:
                findings.append({"seed": seed, "transcript": t, "prefix": len(prefix),
                                 "lines": generated, "line": line, "what": wrong})
                break
    return {"seed": seed, "lines": done, "cases": cases, "findings": findings,
            "seconds": round(time.time() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=0, help="first chunk's seed")
    ap.add_argument("--out", help="write the summary and findings as JSON")
    args = ap.parse_args(argv)
    seeds = [args.seed + i for i in range(math.ceil(args.lines / CHUNK))]
    started = time.time()
    total = cases = 0
    findings: list[dict] = []
    with multiprocessing.Pool(args.jobs) as pool:
        for result in pool.imap_unordered(run_chunk, seeds):
            total += result["lines"]
            cases += result["cases"]
            findings += result["findings"]
            for f in result["findings"]:
                print(f"FINDING seed {f['seed']} transcript #{f['transcript']} prefix "
                      f"{f['prefix']}: {f['line']!r}\n    {f['what']}", flush=True)
            print(f"chunk {result['seed']}: {result['lines']} lines, {result['cases']} cases,"
                  f" {len(result['findings'])} findings, {result['seconds']} s;"
                  f" {total} lines in {time.time() - started:.0f} s", flush=True)
    wall = time.time() - started
    print(f"{total} lines in {cases} cases, {wall:.0f} s wall ({args.jobs} processes): "
          f"{len(findings)} findings")
    if args.out:
        Path(args.out).write_text(json.dumps({"lines": total, "cases": cases,
                                              "seconds": round(wall), "jobs": args.jobs,
                                              "findings": findings}, indent=1))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
