"""The interactive prompt (prompt_toolkit): a plain shell on the simulated host.

Imported only when ipemu starts without -c or a subcommand. Job control, several
terminals and labs come later; this is the line loop every one of them builds on.
"""
from __future__ import annotations

import sys

from ipemu.session import Session


def prompt_text(session: Session) -> str:
    return f"[root@{session.host.hostname} ~]# "


def run_lines_from(session: Session, stream, after_line=None) -> int:
    """Input that is not a terminal (a pipe, a file): run it line by line, as bash
    does with a script on its standard input."""
    status = 0
    for line in stream:
        term, status = session.run_line(line.rstrip("\n"))
        for kind, text in term.chunks:
            (sys.stdout if kind == "stdout" else sys.stderr).write(text)
        if after_line is not None:
            after_line()
    return status


def run_repl(session: Session, after_line=None) -> int:
    """`after_line()` runs after every command line (saving `--state`)."""
    if not sys.stdin.isatty():
        return run_lines_from(session, sys.stdin, after_line)
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    prompt = PromptSession(history=InMemoryHistory())
    status = 0
    while True:
        try:
            line = prompt.prompt(prompt_text(session))
        except KeyboardInterrupt:
            continue
        except EOFError:
            sys.stdout.write("logout\n")
            return status
        stripped = line.strip()
        if stripped in ("exit", "logout") or stripped.startswith("exit "):
            return int(stripped.split()[1]) if len(stripped.split()) > 1 and \
                stripped.split()[1].isdigit() else status
        term, status = session.run_line(line)
        for stream, text in term.chunks:
            (sys.stdout if stream == "stdout" else sys.stderr).write(text)
        sys.stdout.flush()
        if after_line is not None:
            after_line()
