"""`ipemu lab`: list the labs, open the shell on one, or verify them.

    ipemu lab                       one line per lab: name, title
    ipemu lab NAME [--seed N]       the shell on the lab's host, its task shown first
    ipemu lab --verify [NAME...]    play each reference solution on a fresh host
"""
from __future__ import annotations

import sys

from ipemu.errors import CommandError
from ipemu.labs import available, load


def list_labs() -> int:
    names = available()
    width = max((len(n) for n in names), default=0)
    for name in names:
        try:
            title = load(name).title
        except CommandError as err:
            title = err.message.strip()
        sys.stdout.write(f"{name:<{width}}  {title}\n")
    return 0


def verify_labs(names: list[str], seed: int, profile: str) -> int:
    """Each lab: `ok` or `FAIL` and why; then `N passed, M failed` (status 1 when
    one failed)."""
    from ipemu.labs.run import verify
    names = names or available()
    width = max(len(n) for n in names)
    passed = failed = 0
    for name in names:
        verdict = verify(name, seed, profile)
        if verdict.ok:
            passed += 1
            sys.stdout.write(f"ok    {name:<{width}}  {verdict.title}\n")
        else:
            failed += 1
            sys.stdout.write(f"FAIL  {name:<{width}}  {verdict.reason}\n")
    sys.stdout.write(f"{passed} passed, {failed} failed\n")
    return 1 if failed else 0


def open_lab(name: str, seed: int, profile: str, home: str | None,
             host_name: str | None) -> int:
    """The shell on the lab's host (live on a terminal, else the lines of standard
    input), the task printed before the first prompt."""
    from ipemu.labs.run import LabRun
    try:
        session = LabRun.start(name, seed, profile)
    except CommandError as err:
        sys.stderr.write(err.message)
        return err.status
    session.fs.real_home = home
    sys.stdout.write(session.machine.lab.task(session.host) + "\n")
    sys.stdout.flush()
    from ipemu.shell.repl import run_repl
    return run_repl(session, name=host_name)
