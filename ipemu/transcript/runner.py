"""`ipemu run`: a command script in, a console transcript out (the oracle's format:
prompt lines with the command, then exactly what it printed; background output
under `wait`)."""
from __future__ import annotations

import io

import sys

from ipemu.errors import CommandError
from ipemu.session import Session


# the profile of the machine the oracle's recorder runs on (ipemu/profiles/oracle-vm.toml:
# this machine's tools, its kernel without the dummy, 8021q, gre... drivers and netem)
ORACLE_PROFILE = "oracle-vm"
# record.py's CMD_TIMEOUT (and ipemu record's): a line still running is killed then,
# give or take the 0.05 s its select() loop sleeps between looks
RECORDER_TIMEOUT = 60.05


def as_recorded(session: Session) -> Session:
    """Lines as the recorders run them: each its own `bash -c LINE`, killed when it
    runs past RECORDER_TIMEOUT (unless --timeout asks for another bound)."""
    from ipemu.process import Bound
    session.bash_c = True
    if Bound.seconds == Bound.DEFAULT:
        session.line_timeout = RECORDER_TIMEOUT
    return session


def as_oracle(session: Session) -> Session:
    """As the oracle's record.py runs a case: as_recorded(), on its 80x24
    pseudo-terminal (ss lays its columns out over the 80)."""
    as_recorded(session)
    session.winsize = 80
    return session


def prompt(hostname: str) -> str:
    return f"[root@{hostname} ~]# "


def script_lines(text: str) -> list[str]:
    """The commands of a script: one a line, except a construct that goes on over
    several lines (a `for` loop, a function, a here-document), which is one command
    with its newlines, as bash reads it."""
    from ipemu.bash.parser import incomplete_in
    lines = text.splitlines()
    out = []
    i = 0
    while i < len(lines):
        stripped = lines[i].rstrip()
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            i += 1
            continue
        more, inside = incomplete_in(stripped)
        if not more:
            out.append(stripped)
            i += 1
            continue
        end = _construct_end(lines, i, stripped)
        if end is None:
            end = _construct_end_by_lines(lines, i, stripped, inside)
        out.append("\n".join([stripped] + lines[i + 1:end + 1]))
        i = end + 1
    return out


def _construct_end(lines: list[str], i: int, first: str) -> int | None:
    """The last line of the construct that starts at line i, from one parse of the
    rest of the script; None when that parse cannot say (a syntax error, no end),
    or when what it says is not what asking at every line would find: the lines up
    to it are complete and the ones before it are not."""
    from ipemu.bash.parser import first_command_end, incomplete_in
    rest = "\n".join([first] + lines[i + 1:])
    pos = first_command_end(rest)
    if pos is None:
        return None
    end = len(lines) - 1 if pos >= len(rest) else i + rest.count("\n", 0, pos) - 1
    if end <= i:
        return None
    if incomplete_in("\n".join([first] + lines[i + 1:end + 1]))[0]:
        return None
    if end - 1 > i and not incomplete_in("\n".join([first] + lines[i + 1:end]))[0]:
        return None
    return end


def _construct_end_by_lines(lines: list[str], i: int, first: str,
                            inside: tuple[str, ...]) -> int:
    """_construct_end() by asking at every line (the end of the script when the
    construct never ends)."""
    from ipemu.bash.parser import incomplete_in, still_inside
    pending = first
    for j in range(i + 1, len(lines)):
        pending += "\n" + lines[j]
        if still_inside(lines[j], inside):
            continue
        more, inside = incomplete_in(pending)
        if not more:
            return j
    return len(lines) - 1


def case_lines(text: str) -> list[str]:
    """The commands of a case file as the oracle's record.py reads them
    (parse_case()): every line that is not blank or a `#` comment, trailing blanks
    cut, each run alone as `bash -c LINE` (a loop typed over three lines is three
    commands, two of them bash's syntax errors, as on the real machine)."""
    # the lines of a text file as Python reads it (universal newlines: \n, \r\n, \r),
    # not str.splitlines(), which also breaks at U+2028, \x85, \v, \f...: a case may
    # carry those inside a command
    lines = io.StringIO(text, newline=None).read().split("\n")
    return [line.rstrip() for line in lines
            if line.strip() and not line.lstrip().startswith("#")]


def run_lines(session: Session, lines: list[str], hostname: str,
              after_line=None) -> tuple[str, list[int]]:
    """The transcript of `lines`; `after_line()` runs after each (saving `--state`)."""
    parts = []
    statuses = []
    for line in lines:
        # the lines after the first were typed at bash's PS2 prompt
        parts.append(prompt(hostname) + line.replace("\n", "\n> ") + "\n")
        term, status = session.run_line(line)
        if after_line is not None:
            after_line()
        text = term.text()
        if text and not text.endswith("\n"):
            text += "\n"
        parts.append(text)
        statuses.append(status)
    leftover = []
    if session.jobs or session.recorder_jobs:
        from ipemu.tools.context import Terminal
        rest = Terminal()
        session.collect_jobs(rest)
        leftover.append(rest.text())
    return "".join(parts + leftover), statuses


def run_script(path: str, *, profile: str, scenario: str, hostname: str, seed: int = 0,
               state_path: str | None = None, home: str | None = None) -> int:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            text = fh.read()     # bytes that are not UTF-8 reach the commands as bash's do
    except OSError as err:
        sys.stderr.write(f"ipemu run: {path}: {err.strerror}\n")
        return 2
    from ipemu.state import StateError, save
    try:
        session = Session.open(state_path, profile, scenario, hostname, seed, home)
    except CommandError as err:
        sys.stderr.write(err.message)
        return 2
    except KeyError as err:
        sys.stderr.write(f"ipemu: unknown profile {err}\n")
        return 2
    except StateError as err:
        sys.stderr.write(f"{err}\n")
        return 2
    as_oracle(session)
    after = None if state_path is None else (lambda: save(state_path, session))
    output, _ = run_lines(session, case_lines(text), session.host.hostname, after)
    sys.stdout.write(as_read(output))
    return 0


def as_read(transcript: str) -> str:
    """The transcript as the oracle's checker has a recorded one: diff.py reads the
    .out file in text mode, where Python's universal newlines turn "\r\n" and a lone
    "\r" (systemctl's console lines, progress meters, a pager's redraw) into "\n",
    while it takes the emulator's bytes as they come. `ipemu check` compares bytes."""
    return transcript.replace("\r\n", "\n").replace("\r", "\n")
