"""util-linux's taskset (schedutils/taskset.c): a program started with a CPU affinity.
The box runs every program on the same simulated CPUs, so the list or mask is only
checked (against the CPUs the profile gives, /sys/devices/system/cpu/online)."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

BAD_USAGE = "taskset: bad usage\nTry 'taskset --help' for more information.\n"


def _cpu_list(text: str) -> set[int] | None:
    """lib/cpuset.c's cpulist_parse(): `0,2-3`, `0-7:2`; None when it cannot parse."""
    cpus: set[int] = set()
    for part in text.split(","):
        m = re.fullmatch(r"(?a)(\d+)(?:-(\d+)(?::(\d+))?)?", part)
        if m is None:
            return None
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        step = int(m.group(3)) if m.group(3) else 1
        if last < first or step == 0:
            return None
        cpus.update(range(first, last + 1, step))
    return cpus


def _cpu_mask(text: str) -> set[int] | None:
    """cpumask_parse(): a hexadecimal mask, `0x` allowed."""
    digits = text[2:] if text.lower().startswith("0x") else text
    if not digits or not re.fullmatch(r"[0-9a-fA-F]+", digits):
        return None
    mask = int(digits, 16)
    return {bit for bit in range(mask.bit_length()) if mask >> bit & 1}


def main(ctx: ToolContext, argv: list[str]):
    args = argv[1:]
    use_list = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        if opt in ("--cpu-list", "--all-tasks"):
            use_list = use_list or opt == "--cpu-list"
            continue
        for letter in opt[1:]:
            if letter == "c":
                use_list = True
            elif letter != "a":
                raise CommandError(f"taskset: invalid option -- '{letter}'\n"
                                   "Try 'taskset --help' for more information.\n", 1)
    if len(args) < 2:
        raise CommandError(BAD_USAGE, 1)
    cpus = _cpu_list(args[0]) if use_list else _cpu_mask(args[0])
    if cpus is None:
        kind = "list" if use_list else "mask"
        raise CommandError(f"taskset: failed to parse CPU {kind}: {args[0]}\n", 1)
    online = int(ctx.profile["nproc"])
    if not any(cpu < online for cpu in cpus):
        # sched_setaffinity() refuses a set with no CPU online (EINVAL); the pid is
        # taskset's own, before it execs the program
        pid = ctx.session.machine.next_pid()
        raise CommandError(f"taskset: failed to set pid {pid}'s affinity: Invalid argument\n",
                           1)
    return ctx.session.dispatch(
        args[1:], ctx.term, netns=ctx.netns, stdin=ctx.stdin,
        not_found=("taskset: failed to execute {name}: No such file or directory\n", 127))
