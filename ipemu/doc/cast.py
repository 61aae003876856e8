"""asciicast v2 (asciinema's format): a header line of JSON, then one event per line,
`[time, "o", text]`, times in seconds from the start, never decreasing.

The session is paced by the virtual clock, not by sleeps: each command is typed at a
steady rate when the host reached it, and its output appears when the host finished
it, so a `ping -c 4` takes its 3 seconds. Typing is added on top of the host's time
(the outputs do not depend on whether a cast is written).
"""
from __future__ import annotations

import json
from pathlib import Path

TYPE_DELAY = 0.04        # seconds per typed character
ENTER_DELAY = 0.3        # the pause before Enter
WIDTH, HEIGHT = 80, 24


def events(doc, result) -> list[tuple[float, str]]:
    """(time, text) for every visible command in the order it ran."""
    out: list[tuple[float, str]] = []
    typing = 0.0          # seconds spent typing so far, added to the host's time
    now = 0.0
    for timing in result.timings:
        slot = doc.slots[timing.slot]
        out.append((now, slot.prompt))           # the prompt is back as the output ends
        now = max(now, timing.typed_at + typing)  # typing starts when the host is there
        for ch in slot.command:
            now += TYPE_DELAY
            typing += TYPE_DELAY
            out.append((now, ch))
        now += ENTER_DELAY
        typing += ENTER_DELAY
        out.append((now, "\r\n"))
        text = result.outputs.get(timing.slot, "")
        now = max(now, timing.done_at + typing)
        if text:
            out.append((now, text.replace("\n", "\r\n")))
    return out


def render(doc, result, title: str | None = None) -> str:
    evs = events(doc, result)
    width = max([WIDTH] + [len(line) for _, text in evs for line in text.split("\r\n")])
    header = {"version": 2, "width": width, "height": HEIGHT,
              "env": {"TERM": "xterm-256color", "SHELL": "/bin/bash"}}
    if title:
        header["title"] = title
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps([round(t, 6), "o", text], ensure_ascii=False) for t, text in evs]
    return "\n".join(lines) + "\n"


def write_cast(outcome, path: str) -> None:
    if outcome.result is None:
        return
    Path(path).write_text(render(outcome.doc, outcome.result, outcome.path.name),
                          encoding="utf-8")
