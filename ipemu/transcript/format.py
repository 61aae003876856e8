"""The transcript format: a console log as copied from a terminal.

    # any description lines
    # scenario: bare            (optional header: `# key: value` before the first prompt)
    # exit: 0 0 1               (optional: one exit status per command)
    [root@oracle ~]# ip link show
    1: lo: <LOOPBACK> ...

Everything before the first prompt line is header. A prompt line is
`[USER@HOST DIR]# COMMAND`; what follows up to the next prompt is the output.
"""
from __future__ import annotations

import re

from ipemu.plainclass import dataclass, field

PROMPT_RE = re.compile(r"^\[([A-Za-z0-9_.-]+)@([A-Za-z0-9_.-]+) ([^\]]*)\][#$] ?")


@dataclass
class Step:
    command: str
    output: str


@dataclass
class Transcript:
    header: dict[str, str] = field(default_factory=dict)
    repeated: list[tuple[str, str]] = field(default_factory=list)   # every header line
    description: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    hostname: str = "localhost"

    def header_all(self, key: str) -> list[str]:
        return [v for k, v in self.repeated if k == key]

    @property
    def exit_statuses(self) -> list[int] | None:
        raw = self.header.get("exit")
        return [int(x) for x in raw.split()] if raw else None


def parse(text: str) -> Transcript:
    tr = Transcript()
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and not PROMPT_RE.match(lines[i]):
        line = lines[i].rstrip("\n")
        body = line[1:].strip() if line.startswith("#") else line.strip()
        key, sep, value = body.partition(":")
        if sep and key.strip() and " " not in key.strip():
            tr.header[key.strip().lower()] = value.strip()
            tr.repeated.append((key.strip().lower(), value.strip()))
        elif body:
            tr.description.append(body)
        i += 1
    current: Step | None = None
    typing = False          # the command so far is incomplete: `> ` lines continue it
    inside: tuple[str, ...] = ()    # the here-documents it is known to end inside
    for line in lines[i:]:
        m = PROMPT_RE.match(line)
        if m:
            tr.hostname = m.group(2)
            current = Step(line[m.end():].rstrip("\n").rstrip(), "")
            tr.steps.append(current)
            typing = True
            inside = ()
            continue
        if current is not None and typing and line.startswith("> ") and not inside:
            typing, inside = _incomplete_in(current.command)
        if current is not None and typing and line.startswith("> "):
            # bash's PS2: a construct typed over several lines
            row = line[2:].rstrip("\n")
            current.command += "\n" + row
            inside = inside if _still_inside(row, inside) else ()
        elif current is not None:
            typing = False
            current.output += line
    return tr


def _incomplete_in(command: str) -> tuple[bool, tuple[str, ...]]:
    from ipemu.bash.parser import incomplete_in
    return incomplete_in(command)


def _still_inside(row: str, delimiters: tuple[str, ...]) -> bool:
    from ipemu.bash.parser import still_inside
    return still_inside(row, delimiters)


def render(tr: Transcript, outputs: list[str]) -> str:
    """A transcript with the same header and commands and new outputs."""
    head = [f"# {d}\n" for d in tr.description]
    head += [f"# {k}: {v}\n" for k, v in tr.header.items()]
    body = []
    for step, out in zip(tr.steps, outputs):
        command = step.command.replace("\n", "\n> ")     # continuation lines (PS2)
        body.append(f"[root@{tr.hostname} ~]# {command}\n{out}")
    return "".join(head + body)
