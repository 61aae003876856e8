"""Fuzzing (issue 16): command lines of the recorded scripts and lines generated from
grammar/ip.lark, mutated (words dropped, repeated, swapped, replaced by bad addresses,
huge numbers, unicode, control characters, very long words), run in sequences on a
host a transcript built. After every line: no exception escaped, no internal error
(status 70), the line ended within its virtual-time bound, a refusal has a non-zero
status, and the kernel's invariants hold (tests/invariants.py).

The suite runs a bounded, reproducible sample (40 examples; 400 in the suite's long
run, IPEMU_LONG=1). The long run of this file alone:

    IPEMU_FUZZ_EXAMPLES=100000 .venv/bin/python -m pytest tests/test_robust_fuzz.py -q
"""
from __future__ import annotations

import math
import os
import re
import signal
import sys
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from invariants import violations  # noqa: E402

from ipemu.process import Bound  # noqa: E402
from ipemu.session import Session  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
def _generated() -> set[str]:
    """ip command lines walked from grammar/ip.lark (ipemu.grammar_gen, issue 11)."""
    try:
        from ipemu.grammar_gen import examples
    except ImportError:
        return set()
    return set(examples("ip", 400, seed=16))


# the recorded scripts' lines and lines generated from the grammar
CORPUS = sorted({ln.strip() for p in (ROOT / "transcripts").rglob("*.cmds")
                 for ln in p.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")} | _generated())
VOCABULARY = sorted({w for ln in CORPUS for w in ln.split()})
ODD_WORDS = [
    "300.1.1.1", "10.0.0.1/33", "10.0.0.0/-1", "1.2.3", "::g", "fe80::1%", "fe80::1%999",
    "::ffff:1.2.3.4", "ff02::1%lo", "255.255.255.255", "0.0.0.0/0", "-1", "0", "4294967296",
    "18446744073709551616", "99999999999999999999", "0x", "1e400", "nan", "inf", "é", "名前",
    "\u202e", "\x01", "\t", "a" * 3000, "''", '"', "\\", "%", "/", "..", "$'\\xff'", "-", "--",
    "dev", "lo", "all", "default", "table", "255", "local", "via", "master", "nomaster",
]
OPERATORS = re.compile(r"[;&|<>]")
# iproute2's refusals; usage texts are not among them (net-tools s20160308's route
# prints its usage and exits 0: E_USAGE is 0 there)
REFUSALS = ("Error: ", "RTNETLINK answers: ", "Cannot find device",
            "Command line is not complete")
# 40 in the suite, 400 in its long run (IPEMU_LONG=1)
EXAMPLES = int(os.environ.get("IPEMU_FUZZ_EXAMPLES",
                              "400" if os.environ.get("IPEMU_LONG") == "1" else "40"))
WALL_LIMIT = 30       # seconds of real time one line may take before it counts as a hang


TOOLS = ["ip", "ip link", "ip addr", "ip route", "ip neigh", "ip rule", "ip netns",
         "ip -6 route", "ip -4 addr", "ping -c 1", "ping -c 2 -i 0.2", "tcpdump -c 2 -i",
         "sysctl -w", "route", "route add", "bridge link", "timeout 2", "sleep", "cat", "grep",
         "wc", "echo", "ip -all netns exec", "ip netns exec"]


@st.composite
def word_soup(draw) -> str:
    """A tool name and words from anywhere: what a person mistyping might send."""
    words = draw(st.lists(st.sampled_from(VOCABULARY + ODD_WORDS), min_size=0, max_size=8))
    return " ".join([draw(st.sampled_from(TOOLS))] + words)


@st.composite
def mutated_line(draw) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(word_soup())
    words = draw(st.sampled_from(CORPUS)).split()
    for _ in range(draw(st.integers(0, 5))):
        if not words:
            break
        i = draw(st.integers(0, len(words) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "odd", "word", "keep"]))
        if action == "drop":
            del words[i]
        elif action == "repeat":
            words.insert(i, words[i])
        elif action == "swap" and i + 1 < len(words):
            words[i], words[i + 1] = words[i + 1], words[i]
        elif action == "odd":
            words[i] = draw(st.sampled_from(ODD_WORDS))
        elif action == "word":
            words.insert(i, draw(st.sampled_from(VOCABULARY)))
    return " ".join(words)


ROUTEL_TRACEBACK = re.compile(r'Traceback \(most recent call last\):\n  File "/usr/bin/routel"')


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def check_line(session: Session, line: str) -> None:
    before = session.host.clock.now
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(WALL_LIMIT)
    try:
        term, status = session.run_line(line)
    except _Hang:
        pytest.fail(f"still running after {WALL_LIMIT} s of real time: {line!r}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    text = term.text()
    assert status != 70 and "internal error" not in text, (line, text)
    # routel is a Python script on the real machine: its own traceback (`routel routel`:
    # json.decoder.JSONDecodeError, recorded) is its output, not ipemu's
    assert "Traceback" not in ROUTEL_TRACEBACK.sub("", text), (line, text)
    assert math.isfinite(session.host.clock.now), line
    commands = 1 + len(OPERATORS.findall(line))
    assert session.host.clock.now - before <= commands * (Bound.seconds + 60), line
    if refusal_fails(line) and term.stream("stderr").startswith(REFUSALS):
        assert status != 0, (line, text)
    wrong = violations(session.host)
    assert not wrong, (line, wrong)


# programs whose status is not their first refusal's: a script's is its last command's
_STATUS_OF_OTHERS = ("ss", "bash", "sh", "dash", "source", ".")


def refusal_fails(line: str) -> bool:
    """Whether a line that prints a refusal first must end with a status other than 0:
    one command, not `! CMD` (bash's negation), not ss (it reports a failed netlink
    dump and goes on, exit 0: recorded, tools/ss_headers), not a script run (its
    status is its last command's)."""
    first = line.split()[:1]
    if OPERATORS.search(line) or line.lstrip().startswith("!") or not first or \
            "$" in first[0]:
        return False        # (a command named by an expansion: which one is unknown)
    return first[0] not in _STATUS_OF_OTHERS and not first[0].endswith(".sh") and \
        not first[0].startswith("./")


def __getattr__(name: str):
    # TRANSCRIPTS (every recorded transcript, parsed; tests/fuzz_long.py reads it) is
    # parsed when first asked for, not when the module is collected
    if name == "TRANSCRIPTS":
        return [corpus.transcript(p) for p in corpus.paths()]
    raise AttributeError(name)


@st.composite
def host_and_lines(draw):
    """A host as a recorded transcript left it after some of its steps (devices,
    namespaces, bridges, traffic), then mutated lines."""
    tr = draw(st.sampled_from([corpus.transcript(p) for p in corpus.paths()]))
    steps = [s.command for s in tr.steps]
    prefix = steps[:draw(st.integers(0, len(steps)))]
    return tr, prefix, draw(st.lists(mutated_line(), min_size=1, max_size=6))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 40,
          suppress_health_check=list(HealthCheck))
@given(case=host_and_lines())
def test_mutated_command_lines(case):
    tr, prefix, lines = case
    session = Session.create(tr.header.get("profile", "default"),
                             tr.header.get("scenario", "bare"), tr.hostname,
                             int(tr.header.get("seed", "0")))
    saved = Bound.seconds
    Bound.seconds = 5.0        # an endless command costs little here
    try:
        for line in prefix + lines:
            check_line(session, line)
    finally:
        Bound.seconds = saved


def test_invariants_hold_over_the_transcripts_that_need_later_work():
    """The invariants describe real kernels: they hold after each recorded step.
    tests/test_state.py checks them after every step of the transcripts it replays
    (one replay for both checks); here the ones it leaves out, whose header `needs:`
    later work."""
    for path in corpus.paths():
        if not corpus.needs_later_work(path):
            continue
        tr = corpus.transcript(path)
        session = Session.create(tr.header.get("profile", "default"),
                                 tr.header.get("scenario", "bare"), tr.hostname,
                                 int(tr.header.get("seed", "0")))
        for step in tr.steps:
            session.run_line(step.command)
            assert not violations(session.host), (path.name, step.command)
