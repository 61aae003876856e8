"""Job control the transcripts use: `wait`, `jobs`, `kill %N` (bash builtins) and
coreutils `timeout`."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.process import SIGINT, SIGKILL, SIGTERM, Process
from ipemu.tools.builtins import invalid_interval, duration
from ipemu.tools.context import ToolContext

SIGNALS = {"INT": SIGINT, "KILL": SIGKILL, "TERM": SIGTERM, "2": SIGINT, "9": SIGKILL,
           "15": SIGTERM}


def main(ctx: ToolContext, argv: list[str]):
    name = argv[0]
    if name == "wait":
        ctx.session.wait_jobs(ctx.term)
        return 0   # bash: `wait` without arguments always succeeds
    if name == "jobs":
        return _jobs(ctx)
    if name == "kill":
        return _kill(ctx, argv[1:])
    return _timeout(ctx, argv[1:])


def _jobs(ctx: ToolContext) -> int:
    jobs = ctx.session.jobs
    for i, job in enumerate(jobs):
        mark = "+" if i == len(jobs) - 1 else ("-" if i == len(jobs) - 2 else " ")
        state = "Running" if not job.done else (
            "Done" if job.exit_status == 0 else f"Exit {job.exit_status}")
        command = job.line.rstrip().rstrip("&").rstrip()
        ctx.term.out(f"[{job.number}]{mark}  {state:<24}{command} &\n")
    return 0


def _kill(ctx: ToolContext, args: list[str]) -> int:
    signum = SIGTERM
    if args and args[0].startswith("-"):
        name = args.pop(0)[1:].upper().removeprefix("SIG")
        if name not in SIGNALS:
            raise CommandError(f"bash: kill: {name}: invalid signal specification\n", 1)
        signum = SIGNALS[name]
    if not args:
        raise CommandError("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec"
                           " ... or kill -l [sigspec]\n", 2)
    status = 0
    for spec in args:
        job = None
        if spec.startswith("%") and spec[1:].isdigit():
            job = next((j for j in ctx.session.jobs if j.number == int(spec[1:])), None)
        if job is None:
            ctx.term.err(f"bash: kill: {spec}: no such job\n")
            status = 1
        elif job.proc is not None and not job.proc.done:
            job.proc.signal(signum)
    return status


class _Timeout(Process):
    """coreutils timeout: SIGTERM to the command when the time is up, status 124."""

    def __init__(self, ctx: ToolContext, child: Process, seconds: float):
        super().__init__(ctx.host, ctx.term)
        self.child = child
        self.fired = False
        child.on_exit.append(self._child_exited)
        # timeout 0 (and inf) never fires (coreutils settimeout())
        self.event = ctx.host.clock.call_later(seconds, self, "_expire") \
            if 0 < seconds < float("inf") else None

    def _child_exited(self, child: Process) -> None:
        self.exit(124 if self.fired else child.status)

    def _expire(self) -> None:
        if not self.child.done:
            self.fired = True
            self.child.signal(SIGTERM)

    def signal(self, signum: int) -> None:
        self.child.signal(signum)

    def cleanup(self) -> None:
        self.host.clock.cancel(self.event)


def _timeout(ctx: ToolContext, args: list[str]):
    while args and args[0].startswith("-") and args[0] != "--":
        opt = args.pop(0)
        if opt in ("-s", "-k") and args:
            args.pop(0)
    if args and args[0] == "--":
        args.pop(0)
    if len(args) < 2:
        raise CommandError("timeout: missing operand\nTry 'timeout --help' for more "
                           "information.\n", 125)
    seconds = duration(args[0])
    if seconds is None:
        raise invalid_interval("timeout", args[0])
    result = ctx.session.dispatch(args[1:], ctx.term, netns=ctx.netns)
    if not isinstance(result, Process):
        return result
    if result.done:
        return result.status
    return _Timeout(ctx, result, seconds)
