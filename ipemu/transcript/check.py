"""Replay transcripts through ipemu and compare, after the masking rules of mask.py.

`ipemu check FILE|DIR...` prints the unified diff of each transcript's first
mismatching command and `N passed, M failed`; a transcript whose header says `# needs:`
is expected to fail: listed as XFAIL and counted apart (`K expected to fail`), not a
failure. `--update` rewrites the files from ipemu's output (only when ipemu is known
to be right: see README).
"""
from __future__ import annotations

import difflib
import sys
from collections.abc import Callable
from pathlib import Path

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass
from ipemu.transcript.format import Transcript, parse, render
from ipemu.transcript.mask import (MacMasker, literal_macs, mask_rtt, mask_ss_total,
                                   mask_tcpdump, mask_route6, sort_arp, sort_local_fe80,
                                   sort_neigh)
from ipemu.transcript.runner import as_recorded, run_lines


@dataclass
class Mismatch:
    index: int
    command: str
    diff: str


@dataclass
class Result:
    path: str
    steps: int
    mismatch: Mismatch | None
    outputs: list[str]
    statuses: list[int]
    needs: str | None = None      # the header's `# needs:`: known not to pass yet

    @property
    def ok(self) -> bool:
        return self.mismatch is None


def _numbers(text: str) -> list[int]:
    return [int(w) for w in text.replace(",", " ").split() if w.isdigit()]


def terminals(tr: Transcript) -> dict[int, list[int]]:
    """`# terminal: N [N...] before M`: steps typed in other terminals just before
    step M, each stopped with ^C where the log shows it (1-based step numbers)."""
    out: dict[int, list[int]] = {}
    for value in tr.header_all("terminal"):
        head, _, tail = value.partition("before")
        out.setdefault(int(tail.strip()), []).extend(_numbers(head))
    return out


def replay(tr: Transcript, roundtrip: bool | Callable[[int, tuple], tuple] = False
           ) -> tuple[list[str], list[int]]:
    """Each step's output and status. With `roundtrip`, the host and everything the
    replay holds of it are saved and restored before every step (the `--state` test);
    a function (step number, what the replay holds) -> what it goes on with, instead,
    chooses the steps (tests/test_state.py round-trips a sample of them in CI)."""
    from ipemu.process import SIGINT
    from ipemu.session import Session
    from ipemu.tools.context import Terminal

    session = Session.create(tr.header.get("profile", "default"),
                             tr.header.get("scenario", "bare"), tr.hostname,
                             int(tr.header.get("seed", "0")))
    # recorded lines each ran as `bash -c LINE`; a console log of one interactive
    # shell (the seed) says `# shell: interactive`
    if tr.header.get("shell") != "interactive":
        as_recorded(session)
        if "line-timeout" in tr.header:
            # a recorder of another bound (ipemu.fuzz.diff's record(timeout=5.0))
            session.line_timeout = float(tr.header["line-timeout"])
    think = float(tr.header.get("think", "0"))
    starts = terminals(tr)
    elsewhere: dict[int, object] = {}
    outputs, statuses = [], []
    background: list[tuple[int, object]] = []   # (step index, job): status known later
    for number, step in enumerate(tr.steps, 1):
        if roundtrip:
            held = (session, elsewhere, background)
            if roundtrip is True:
                from ipemu.state import roundtrip as saved_and_restored
                session, elsewhere, background = saved_and_restored(held)
            else:
                session, elsewhere, background = roundtrip(number, held)
        if think and step.command:
            session.host.sleep(think)
        for other in starts.get(number, []):
            elsewhere[other] = session.start_elsewhere(tr.steps[other - 1].command)
        if number in elsewhere:
            job = elsewhere.pop(number)
            if job.proc is not None and not job.proc.done:
                job.proc.signal(SIGINT)
            text, status = job.term.text(), job.exit_status
        else:
            session.last_job = None
            term, status = session.run_line(step.command)
            text = term.text()
            # the recorder's `COMMAND &` line (the whole line backgrounded) reports the
            # job's final status; a line that only starts a job on its way does not
            command = step.command.rstrip()
            if session.last_job is not None and command.endswith("&") \
                    and not command.endswith("&&"):
                background.append((number - 1, session.last_job))
        if text and not text.endswith("\n"):
            text += "\n"
        outputs.append(text)
        statuses.append(status)
    if (session.jobs or session.recorder_jobs) and outputs:
        rest = Terminal()
        session.collect_jobs(rest)
        outputs[-1] += rest.text()
    for index, job in background:
        statuses[index] = job.exit_status   # what `wait PID` reports for the job
    return outputs, statuses


def normalize(outputs: list[str], commands: list[str], raw_bash_c: bool = False
              ) -> list[str]:
    """Both sides of a comparison through the same masking rules (mask.py)."""
    masker = MacMasker(literal_macs(commands))
    out = []
    for text, command in zip(outputs, commands):
        if not text:            # every rule below leaves "" as it is (a third of outputs)
            out.append(text)
            continue
        if not raw_bash_c:
            # `ipemu record` wrote bash -c's "bash: line 1: " as an interactive
            # shell's "bash: " until 2026-11-28: both sides so (tests/oracle_cases,
            # recorded by the oracle's record.py, keep the raw form)
            text = text.replace("bash: line 1: ", "bash: ")
        text = sort_local_fe80(mask_tcpdump(mask_rtt(text)))
        if _is_neigh_show(command):
            text = sort_neigh(text)
        if _is_arp_show(command):
            text = sort_arp(text)
        if _is_route6(command):
            text = mask_route6(text)   # before naming MACs: it fixes the order
        if _is_ss_summary(command):
            text = mask_ss_total(text)
        out.append(masker.mask(text))
    return out


def _is_arp_show(command: str) -> bool:
    """net-tools `arp` listing the cache (not -s, -d or -f), possibly in a namespace."""
    words = command.split()
    if words[:3] == ["ip", "netns", "exec"]:
        words = words[4:]
    return bool(words) and words[0] == "arp" and not any(
        w.startswith("-") and not w.startswith("--") and set(w[1:]) & set("sdf")
        for w in words[1:])


def _is_ss_summary(command: str) -> bool:
    """`ss -s` (or --summary) anywhere on the line, possibly in a namespace or a pipe."""
    words = command.split()
    return "ss" in words and any(
        w == "--summary" or w.startswith("-") and not w.startswith("--") and "s" in w[1:]
        for w in words[words.index("ss") + 1:])


def _is_route6(command: str) -> bool:
    words = command.split()
    return bool(words) and words[0] == "route" and (
        any("inet6" in w for w in words) or
        any(w.startswith("-") and not w.startswith("--") and "6" in w for w in words))


def _ip_object(command: str) -> str | None:
    """The object word of an `ip` command line (after its options)."""
    words = command.split()
    if words[:3] == ["ip", "netns", "exec"]:
        words = words[4:]   # the command run in a namespace
    if not words or words[0] != "ip":
        return None
    i = 1
    while i < len(words) and words[i].startswith("-"):
        if words[i] in ("-n", "-netns", "--netns", "-f", "-family", "-b", "-batch"):
            i += 1
        i += 1
    return words[i] if i < len(words) else None


def _is_neigh_show(command: str) -> bool:
    obj = _ip_object(command)
    return bool(obj) and ("neighbour".startswith(obj) or "neighbor".startswith(obj)) and \
        "-j" not in command.split()


def read_transcript(path: str | Path) -> str:
    """A transcript's text; bytes that are not UTF-8 kept as surrogate escapes (a
    recorded log may hold any bytes a program printed). Raises OSError."""
    return Path(path).read_bytes().decode("utf-8", "surrogateescape")


def check_transcript(path: str | Path,
                     roundtrip: bool | Callable[[int, tuple], tuple] = False) -> Result:
    tr = parse(read_transcript(path))
    outputs, statuses = replay(tr, roundtrip)
    commands = [s.command for s in tr.steps]
    want, got = compared(tr, outputs)
    mismatch = None
    expected_status = tr.exit_statuses
    for i, (w, g) in enumerate(zip(want, got)):
        status_bad = expected_status is not None and i < len(expected_status) and \
            expected_status[i] != statuses[i]
        if w != g or status_bad:
            diff = "".join(difflib.unified_diff(
                w.splitlines(keepends=True), g.splitlines(keepends=True),
                "expected (recorded)", "ipemu", n=3))
            if status_bad:
                diff += f"exit status: expected {expected_status[i]}, ipemu {statuses[i]}\n"
            mismatch = Mismatch(i + 1, commands[i], diff)
            break
    return Result(str(path), len(tr.steps), mismatch, outputs, statuses,
                  tr.header.get("needs"))


def compared(tr: Transcript, outputs: list[str]) -> tuple[list[str], list[str]]:
    """The recorded outputs and ipemu's, as they are compared: masked alike, and as
    the header says (`compare: pasted`, `cut: N...`). transcripts/public/measure.py
    judges every step by the same two lists."""
    commands = [s.command for s in tr.steps]
    want = normalize([s.output for s in tr.steps], commands)
    got = normalize(outputs, commands)
    if tr.header.get("compare") == "pasted":
        want, got = [_pasted(w) for w in want], [_pasted(g) for g in got]
    for number in set(_numbers(tr.header.get("cut", ""))):
        i = number - 1
        if i < len(got) and got[i].startswith(want[i]):
            got[i] = want[i]   # the log shows only the first lines of this output
    return want, got


def _pasted(text: str) -> str:
    """A log pasted from a web page has lost the blanks at line ends and the empty lines
    at the end of an output."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(ln + "\n" for ln in lines)


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files += sorted(path.rglob("*.txt"))
        else:
            files.append(path)
    return files


def main(paths: list[str], update: bool = False) -> int:
    passed = failed = unreadable = expected = 0
    for path in collect(paths):
        try:
            result = check_transcript(path)
        except OSError as err:
            sys.stderr.write(f"ipemu check: {path}: {err.strerror}\n")
            unreadable += 1
            continue
        except CommandError as err:        # an unknown scenario in the header
            sys.stderr.write(f"ipemu check: {path}: {err.message}")
            unreadable += 1
            continue
        except KeyError as err:            # an unknown profile
            sys.stderr.write(f"ipemu check: {path}: unknown profile {err}\n")
            unreadable += 1
            continue
        if result.ok:
            passed += 1
            print(f"PASS {path}")
            continue
        m = result.mismatch
        if result.needs:
            # a transcript marked `# needs:` is expected to fail until that work lands
            expected += 1
            print(f"XFAIL {path}: command {m.index}: {m.command} (needs: {result.needs})")
            continue
        failed += 1
        print(f"FAIL {path}: command {m.index}: {m.command}")
        sys.stdout.write(m.diff)
        if update:
            tr = parse(read_transcript(path))
            path.write_bytes(render(tr, result.outputs).encode("utf-8", "surrogateescape"))
            print(f"  updated {path}")
    print(f"{passed} passed, {failed} failed" +
          (f", {expected} expected to fail (needs:)" if expected else "") +
          (f", {unreadable} not read" if unreadable else ""))
    return 2 if unreadable else 0 if failed == 0 else 1
