"""Job control: `wait`, `jobs`, `kill %N`, `fg`, `bg` (bash builtins) and coreutils
`timeout`."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.process import SIGINT, SIGKILL, SIGTERM, Process
from ipemu.tools.builtins import invalid_interval, duration
from ipemu.tools.context import ToolContext
from ipemu.tools.printf import _prefix      # bash's `bash: line N: ` under bash -c

SIGNALS = {"INT": SIGINT, "KILL": SIGKILL, "TERM": SIGTERM, "2": SIGINT, "9": SIGKILL,
           "15": SIGTERM}


def main(ctx: ToolContext, argv: list[str]):
    name = argv[0]
    if name == "wait":
        jobs = _wait_targets(ctx, argv[1:])
        if jobs is None:
            return 127
        if ctx.session.live:
            return _WaitJobs(ctx, [j.proc for j in jobs if not j.done])
        status = ctx.session.wait_jobs(ctx.term, jobs)
        # bash: `wait` without arguments always succeeds; `wait ID` is ID's status
        return status if len(argv) > 1 else 0
    if name == "jobs":
        return _jobs(ctx)
    if name == "kill":
        return _kill(ctx, argv[1:])
    if name in ("fg", "bg"):
        return _fg_bg(ctx, name, argv[1:])
    return _timeout(ctx, argv[1:])


def _wait_targets(ctx: ToolContext, args: list[str]):
    """The jobs `wait [ID...]` waits for (every job without IDs); None after bash's
    error for an ID that is no child (wait_for_single_pid(), status 127)."""
    jobs = ctx.session.jobs
    if not args:
        return list(jobs)
    chosen = []
    for spec in args:
        if spec.startswith("%"):
            job = next((j for j in jobs if spec[1:].isdigit() and j.number == int(spec[1:])),
                       None)
            if job is None:
                ctx.term.err(f"{_prefix(ctx)}wait: {spec}: no such job\n")
                return None
        elif spec.isdigit():
            job = next((j for j in jobs if j.pid == int(spec)), None)
            if job is None:
                ctx.term.err(f"{_prefix(ctx)}wait: pid {spec} is not a child of this shell\n")
                return None
        else:
            raise CommandError(f"bash: wait: `{spec}': not a pid or valid job spec\n", 1)
        if job not in chosen:
            chosen.append(job)
    return chosen


def _jobs(ctx: ToolContext) -> int:
    """bash's `jobs`: a job reported as ended here is not noticed again."""
    session = ctx.session
    for job in list(session.jobs):
        ctx.term.out(session.job_line(job))
    if session.live:
        session.jobs[:] = [j for j in session.jobs if not j.done]
    return 0


class _WaitJobs(Process):
    """`wait` in a live shell: a foreground job until every background job has ended
    (Ctrl-C ends the waiting, not the jobs)."""

    wait_limit = None

    def __init__(self, ctx: ToolContext, procs: list[Process]):
        super().__init__(ctx.host, ctx.term)
        self.pending = len(procs)
        for proc in procs:
            proc.on_exit.append(self._job_ended)
        if not self.pending:
            self.exit(0)

    def _job_ended(self, proc: Process) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.exit(0)


def _signal_number(spec: str) -> int | None:
    """bash's decode_signal(): a number, or a name with or without SIG, any case."""
    from ipemu.bash.traps import SIGNALS as NAMES, signal_name
    name = signal_name(spec)
    if name is None or not name.startswith("SIG"):
        return 0 if name == "EXIT" else None
    return NAMES.index(name[3:]) + 1


def _kill(ctx: ToolContext, args: list[str]) -> int:
    """bash's kill builtin (jobs.c, builtins/kill.def): `-s SIG`, `-n NUM`, `-SIG`,
    `-l [SIG]`; each target a job (%N) or a process id (a job's, or any process the
    host runs)."""
    from ipemu.bash.traps import SIGNALS as NAMES
    args = list(args)
    signum = SIGTERM
    if args and args[0] == "-l":
        for spec in args[1:] or [None]:
            if spec is None:
                from ipemu.bash.traps import _signal_table
                ctx.term.out(_signal_table())      # display_signal_list(), as `trap -l`
            elif spec.isdigit():
                number = int(spec) & 0x7f if int(spec) > 128 else int(spec)
                if not 1 <= number <= len(NAMES):
                    raise CommandError(f"bash: kill: {spec}: invalid signal specification\n", 1)
                ctx.term.out(NAMES[number - 1] + "\n")
            else:
                number = _signal_number(spec)
                if number is None:
                    raise CommandError(f"bash: kill: {spec}: invalid signal specification\n", 1)
                ctx.term.out(f"{number}\n")
        return 0
    if args and args[0] in ("-s", "-n"):
        if len(args) < 2:
            raise CommandError(f"bash: kill: {args[0]}: option requires an argument\n", 1)
        spec = args[1]
        args = args[2:]
        number = _signal_number(spec)
        if number is None:
            raise CommandError(f"bash: kill: {spec}: invalid signal specification\n", 1)
        signum = number
    elif args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        spec = args.pop(0)[1:]
        number = _signal_number(spec)
        if number is None:
            raise CommandError(f"bash: kill: {spec}: invalid signal specification\n", 1)
        signum = number
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        raise CommandError("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec"
                           " ... or kill -l [sigspec]\n", 2)
    status = 0
    for spec in args:
        proc = None
        if spec.startswith("%"):
            job = next((j for j in ctx.session.jobs if j.number == int(spec[1:])), None) \
                if spec[1:].isdigit() else None
            if job is None:
                ctx.term.err(f"{_prefix(ctx)}kill: {spec}: no such job\n")
                status = 1
                continue
            proc = job.proc
        elif spec.lstrip("-").isdigit():
            pid = int(spec)
            job = next((j for j in ctx.session.jobs if j.pid == pid), None)
            if job is not None:
                proc = job.proc
            else:
                machine = getattr(ctx.session, "machine", None)
                proc = machine.processes.get(pid) if machine is not None else None
            if proc is None or proc.done:
                ctx.term.err(f"{_prefix(ctx)}kill: ({spec}) - No such process\n")
                status = 1
                continue
        else:
            ctx.term.err(f"{_prefix(ctx)}kill: {spec}: arguments must be process or job IDs\n")
            status = 1
            continue
        if proc is not None and not proc.done and signum:
            proc.cont()     # bash's kill_pid(): a stopped job gets SIGCONT too
            proc.signal(signum)
    return status


class _Timeout(Process):
    """coreutils timeout: a signal (SIGTERM, or `-s SIG`) to the command when the time
    is up, status 124."""

    def __init__(self, ctx: ToolContext, child: Process, seconds: float,
                 signum: int = SIGTERM):
        super().__init__(ctx.host, ctx.term)
        self.child = child
        self.signum = signum
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
            self.child.signal(self.signum)

    def signal(self, signum: int) -> None:
        self.child.signal(signum)

    def cleanup(self) -> None:
        self.host.clock.cancel(self.event)


def _timeout(ctx: ToolContext, args: list[str]):
    signum = SIGTERM
    while args and args[0].startswith("-") and args[0] != "--":
        opt = args.pop(0)
        if opt in ("-s", "-k") and args:
            value = args.pop(0)
            if opt == "-s":
                name = value.upper().removeprefix("SIG")
                if name not in SIGNALS:
                    # coreutils' quoting in a UTF-8 locale, as this machine prints it
                    raise CommandError(f"timeout: ‘{value}’: invalid signal\nTry 'timeout "
                                       "--help' for more information.\n", 125)
                signum = SIGNALS[name]
    if args and args[0] == "--":
        args.pop(0)
    if len(args) < 2:
        # timeout.c: fewer than two operands is usage(EXIT_CANCELED), which says no
        # more than where to look
        raise CommandError("Try 'timeout --help' for more information.\n", 125)
    seconds = duration(args[0])
    if seconds is None:
        raise invalid_interval("timeout", args[0])
    result = ctx.session.dispatch(args[1:], ctx.term, netns=ctx.netns, stdin=ctx.stdin)
    if not isinstance(result, Process):
        return result
    if result.done:
        return result.status
    return _Timeout(ctx, result, seconds, signum)


def _fg_bg(ctx: ToolContext, name: str, args: list[str]):
    """bash's fg_builtin()/bg_builtin(): `fg` prints the job's command and waits for
    it in the foreground; `bg` prints `[N]+ COMMAND &` and lets it run."""
    session = ctx.session
    if not session.live:
        raise CommandError(f"bash: {name}: no job control\n", 1)
    spec = args[0] if args else None
    if spec is None:
        job = session.jobs[-1] if session.jobs else None
    else:
        number = spec.lstrip("%")
        job = next((j for j in session.jobs if number.isdigit() and j.number == int(number)),
                   None)
    if job is None or job.done:
        raise CommandError(f"bash: {name}: {spec or 'current'}: no such job\n", 1)
    proc = job.proc
    if name == "bg":
        if not job.stopped:
            ctx.term.err(f"{_prefix(ctx)}bg: job {job.number} already in background\n")
            return 0
        ctx.term.out(f"[{job.number}]+ {job.command} &\n")
        proc.cont()
        return 0
    ctx.term.out(job.command + "\n")
    session.jobs.remove(job)        # back in the foreground: no notice when it ends
    proc.job_number, proc.job_command = job.number, job.command
    proc.cont()
    return proc
