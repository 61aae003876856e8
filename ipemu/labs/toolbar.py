"""The live shell's bottom line on a lab's machine: the lab and its progress
(prompt_toolkit's bottom_toolbar, redrawn every second, since a ping running in the
background may meet a goal while the learner types)."""
from __future__ import annotations

from functools import partial

REFRESH = 1.0       # seconds between redraws of the toolbar


def prompt_options(shell) -> dict:
    """PromptSession options for `shell`'s terminal: none unless its machine runs a lab."""
    if shell.machine.lab is None:
        return {}
    return {"bottom_toolbar": partial(toolbar, shell), "refresh_interval": REFRESH}


def toolbar(shell) -> str:
    machine = shell.machine
    try:
        return machine.lab.toolbar(machine.host)
    except Exception as err:  # noqa: BLE001 - the toolbar must never end the prompt
        return f" lab: cannot check the goals ({type(err).__name__}: {err}) "
