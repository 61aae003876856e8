"""`ipemu run`: a command script in, a console transcript out (the oracle's format:
prompt lines with the command, then exactly what it printed; background output
under `wait`)."""
from __future__ import annotations

import sys

from ipemu.errors import CommandError
from ipemu.session import Session


def prompt(hostname: str) -> str:
    return f"[root@{hostname} ~]# "


def script_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        stripped = line.rstrip()
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        out.append(stripped)
    return out


def run_lines(session: Session, lines: list[str], hostname: str) -> tuple[str, list[int]]:
    parts = []
    statuses = []
    for line in lines:
        parts.append(prompt(hostname) + line + "\n")
        term, status = session.run_line(line)
        text = term.text()
        if text and not text.endswith("\n"):
            text += "\n"
        parts.append(text)
        statuses.append(status)
    leftover = []
    if session.jobs:
        from ipemu.tools.context import Terminal
        rest = Terminal()
        session.collect_jobs(rest)
        leftover.append(rest.text())
    return "".join(parts + leftover), statuses


def run_script(path: str, *, profile: str, scenario: str, hostname: str, seed: int = 0,
               home: str | None = None) -> int:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as err:
        sys.stderr.write(f"ipemu run: {path}: {err.strerror}\n")
        return 2
    try:
        session = Session.create(profile, scenario, hostname, seed, home=home)
    except CommandError as err:
        sys.stderr.write(err.message)
        return 2
    output, _ = run_lines(session, script_lines(text), session.host.hostname)
    sys.stdout.write(output)
    return 0
