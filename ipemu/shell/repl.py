"""The interactive front ends' entry: a terminal gets the live shell (live.py: real
time, Ctrl-C, jobs, attached terminals); input that is not a terminal runs line by
line on virtual time, as bash runs a script from its standard input.

Imported only when ipemu starts without -c or a subcommand.
"""
from __future__ import annotations

import sys

from ipemu.session import Session


def prompt_text(session: Session) -> str:
    return f"[root@{session.host.hostname} ~]# "


def run_lines_from(session: Session, stream, after_line=None) -> int:
    """Input that is not a terminal (a pipe, a file): run it line by line, as bash
    does with a script on its standard input."""
    from ipemu.bash.parser import incomplete

    def run(text: str) -> int:
        term, status = session.run_line(text.rstrip("\n"))
        for kind, out in term.chunks:
            (sys.stdout if kind == "stdout" else sys.stderr).write(out)
        if after_line is not None:
            after_line()
        return status

    status = 0
    pending = ""
    for line in stream:
        # a construct over several lines (a loop, a here-document) runs once whole
        pending += line
        if not incomplete(pending.rstrip("\n")):
            status, pending = run(pending), ""
    if pending:
        status = run(pending)     # it ends unfinished: bash's error for that
    return status


def run_repl(session: Session, after_line=None, name: str | None = None) -> int:
    """The shell: live on a terminal (served as `name` for `ipemu attach`), else the
    lines of standard input on virtual time. `after_line()` runs after every command
    line (saving `--state`)."""
    if not sys.stdin.isatty():
        return run_lines_from(session, sys.stdin, after_line)
    from ipemu.shell.live import run_live
    return run_live(session, name, after_line)
