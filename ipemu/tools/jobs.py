"""Job control: `wait`, `jobs`, `kill %N`, `fg`, `bg` (bash builtins) and coreutils
`timeout`."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.process import SIGINT, SIGKILL, SIGTERM, Process
from ipemu.tools.builtins import invalid_interval, duration
from ipemu.tools.context import ToolContext
from ipemu.tools.printf import _prefix      # bash's `bash: line N: ` under bash -c

def _signal_names() -> dict[str, int]:
    """timeout's operand_to_signal(): a name (HUP, TERM, ...) or a number."""
    from ipemu.bash.traps import SIGNALS as NAMES
    table = {name: number for number, name in enumerate(NAMES, 1)}
    table.update({str(number): number for number in range(1, len(NAMES) + 1)})
    return table


SIGNALS = _signal_names()


WAIT_USAGE = "wait: usage: wait [-fn] [-p var] [id ...]\n"


def _wait_options(ctx: ToolContext, args: list[str]) -> tuple[str, str | None, list[str]]:
    """wait.def's internal_getopt (list, "fnp:"): the flags, -p's variable, the ids."""
    flags, var = "", None
    while args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        opt, args = args[0], args[1:]
        for i, letter in enumerate(opt[1:], 1):
            if letter == "p":
                if opt[i + 1:]:
                    var = opt[i + 1:]
                elif args:
                    var, args = args[0], args[1:]
                else:
                    raise CommandError(f"{_prefix(ctx)}wait: -p: option requires an "
                                       f"argument\n{WAIT_USAGE}", 2)
                break
            if letter not in "fn":
                raise CommandError(f"{_prefix(ctx)}wait: -{letter}: invalid option\n"
                                   f"{WAIT_USAGE}", 2)
            flags += letter
    if args and args[0] == "--":
        args = args[1:]
    return flags, var, args


def _set_pid_var(ctx: ToolContext, var: str | None, pid: int) -> None:
    """wait -p VAR: the pid of the job whose status wait returns."""
    shell = getattr(ctx.session, "tool_shell", None) or getattr(ctx.session, "sh", None)
    if var and shell is not None:
        shell.set(var, str(pid))


def main(ctx: ToolContext, argv: list[str]):
    name = argv[0]
    if name == "wait":
        flags, var, ids = _wait_options(ctx, argv[1:])
        if var:
            # wait.def: "unset it first so it's unset if wait fails" (bash 5.2:
            # `wait -n -p x` with no jobs left leaves x unset, recorded)
            shell = getattr(ctx.session, "tool_shell", None)
            var_state = getattr(shell, "vars", None)
            if var_state is not None and not getattr(var_state.get(var), "readonly", False):
                var_state.pop(shell.deref(var), None)
        if "n" in flags:
            return _wait_next(ctx, ids, var)
        argv = ["wait", *ids]
    if name == "wait":
        known = {j.pid for j in ctx.session.jobs}
        pids = argv[1:]
        if pids and all(p.isdigit() and int(p) not in known and int(p) in ctx.session.bgpids
                        for p in pids):
            # a job `wait` took before: its status is kept (bgp_search())
            return ctx.session.bgpids[int(pids[-1])]
        jobs = _wait_targets(ctx, argv[1:])
        if jobs is None:
            return 127
        for job in jobs:
            _child_ran(job)
        from ipemu.bash import process
        if ctx.session.live or process.STEPPING:
            # a live terminal, or a background list's own `wait` (its shell is a
            # process the clock steps: `( sleep 1 & wait; echo done ) &` at the
            # prompt): a process the list waits for, the clock left to its driver;
            # a list's shell waits for the jobs it started itself, never for the job
            # it is (its level: interp.forked()'s subshell)
            shell = getattr(ctx.session, "tool_shell", None)
            if process.STEPPING and shell is not None:
                jobs = [j for j in jobs if j.subshell == shell.subshell]
            return _WaitJobs(ctx, [j.proc for j in jobs if not j.done],
                             jobs[-1] if argv[1:] and jobs else None)
        notices = _notices(ctx, jobs)
        status = ctx.session.wait_jobs(ctx.term, jobs)
        ctx.term.err(notices())
        if ctx.session.bash_c and argv[1:]:
            for job in jobs:
                ctx.session.bgpids[job.pid] = job.exit_status
        if argv[1:] and jobs:
            _set_pid_var(ctx, var, jobs[-1].pid)
        # bash: `wait` without arguments always succeeds; `wait ID` is ID's status
        return status if len(argv) > 1 else 0
    if name == "jobs":
        return _jobs(ctx, argv[1:])
    if name == "disown":
        return _disown(ctx, argv[1:])
    if name == "kill":
        if ctx.program:
            # /usr/bin/kill (execvp() found it: env, xargs, sudo, a path, ...)
            from ipemu.tools.procps_kill import main as procps_kill
            return procps_kill(ctx, argv)
        return _kill(ctx, argv[1:])
    if name in ("fg", "bg"):
        return _fg_bg(ctx, name, argv[1:])
    return _timeout(ctx, argv[1:])


class _Notices:
    """wait_for()'s notify_and_cleanup() under `wait`: the jobs that end by then, in
    the table's order, each a signal killed with its notice (Job.signal_notice()); a
    job that ended before and was reaped said nothing more. Called once the waiting
    is over, it says them and reaps the jobs."""

    def __init__(self, ctx: ToolContext, waited: list):
        session = ctx.session
        shell = getattr(session, "tool_shell", None)
        self.table = [j for j in session.jobs if not getattr(j, "reaped", False)]
        self.traps = dict(shell.traps) if shell is not None else {}
        self.prefix = _prefix(ctx)
        self.level = shell.subshell if shell is not None else 0
        # a script file's bash (startup_state 0) keeps the jobs that exited without a
        # signal in its table (notify_of_job_status()): only `wait -n`'s own job goes
        self.from_file = shell is not None and shell.from_file
        # the recorders' own `wait` line (their `COMMAND &` jobs are not bash's)
        # runs outside any line's shell: it says nothing
        self.quiet = not session.bash_c or getattr(session, "current_line", None) is None \
            or (shell is not None and shell.dash)

    def __call__(self) -> str:
        if self.quiet:
            return ""
        text = ""
        for job in self.table:
            if job.done and job.subshell == self.level:
                if self.from_file and not getattr(job.proc, "termsig", 0):
                    continue
                text += job.signal_notice(self.prefix, self.traps)
                job.reaped = True
        return text


_notices = _Notices


def _wait_targets(ctx: ToolContext, args: list[str]):
    """The jobs `wait [ID...]` waits for (every job without IDs); None after bash's
    error for an ID that is no child (wait_for_single_pid(), status 127)."""
    jobs = ctx.session.jobs
    if not args:
        return list(jobs)
    chosen = []
    for spec in args:
        if spec.startswith("%"):
            job = _job_spec(ctx, spec)
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


def _table(ctx: ToolContext) -> list:
    """The shell's job table: a job a non-interactive shell has reaped after a
    foreground command (notify_and_cleanup()) is gone from it, though `wait PID` still
    finds its status (bgpids)."""
    start = getattr(getattr(ctx.session, "tool_shell", None), "jobs_from", 0)
    # a ( ) or a piped function forgot its parent's jobs (without_job_control())
    return [j for j in ctx.session.jobs if not getattr(j, "reaped", False)
            and j.subshell >= start]


def _job_spec(ctx: ToolContext, spec: str):
    """get_job_spec(): %N, %%, %+ (the current job), %- (the previous one), %NAME,
    %?NAME (more than one such job: bash's "ambiguous job spec", here none)."""
    table = _table(ctx)
    body = spec[1:] if spec.startswith("%") else spec
    if body in ("%", "+", ""):
        return table[-1] if table else None
    if body == "-":
        return table[-2] if len(table) > 1 else (table[-1] if table else None)
    if body.isdigit():
        return next((j for j in table if j.number == int(body)), None)
    # get_job_by_name(): %NAME, the job one of whose processes' commands begins with
    # NAME; %?NAME, one whose command holds it (JM_SUBSTRING)
    substring = body.startswith("?")
    name = body[1:] if substring else body
    found = [j for j in table
             if any((name in str(c)) if substring else str(c).startswith(name)
                    for c in (j.stages or [j.line]))]
    return found[0] if len(found) == 1 else None


def _flags(ctx: ToolContext, name: str, args: list[str], letters: str,
           usage: str) -> tuple[str, list[str]]:
    """internal_getopt() for a job builtin: option letters until the first operand
    (`--` ends them), bash's `invalid option` and usage lines for another."""
    flags = ""
    specs: list[str] = []
    for arg in args:
        if arg.startswith("-") and len(arg) > 1 and arg != "--" and not specs:
            bad = next((c for c in arg[1:] if c not in letters), None)
            if bad is not None:
                raise CommandError(f"{_prefix(ctx)}{name}: -{bad}: invalid option\n"
                                   f"{name}: usage: {usage}\n", 2)
            flags += arg[1:]
        elif arg != "--":
            specs.append(arg)
    return flags, specs


def _jobs(ctx: ToolContext, args: list[str]) -> int:
    """bash's jobs_builtin(): -l adds the pid, -p prints only pids, -r/-s only running
    or stopped jobs, JOBSPECs narrow the list; a job reported as ended here is not
    noticed again."""
    session = ctx.session
    flags, specs = _flags(ctx, "jobs", args, "lnprs",
                          "jobs [-lnprs] [jobspec ...] or jobs -x command [args]")
    table = _table(ctx)
    chosen = table
    status = 0
    if specs:
        chosen = []
        for spec in specs:
            job = _job_spec(ctx, spec)
            if job is None:
                ctx.term.err(f"{_prefix(ctx)}jobs: {spec}: no such job\n")
                status = 1
            elif job not in chosen:
                chosen.append(job)
    for job in chosen:
        if "r" in flags and (job.done or job.stopped) or "s" in flags and not job.stopped:
            continue
        if "p" in flags:
            ctx.term.out(f"{job.pid}\n")
        elif "l" in flags:
            ctx.term.out(session.job_line(job, pid=True))
        else:
            ctx.term.out(session.job_line(job))
    if session.live:
        session.jobs[:] = [j for j in session.jobs if not j.done]
    else:
        # notified: delete_job(); a subshell's `jobs` (`$(jobs -p)`, a pipeline's)
        # runs in a forked copy of the table: the parent's entries stay
        shell = getattr(session, "tool_shell", None)
        level = shell.subshell if shell is not None else 0
        for job in chosen:
            if job.done and job.subshell == level:
                job.reaped = True
    return status


def _disown(ctx: ToolContext, args: list[str]) -> int:
    """bash's disown_builtin(): the jobs leave the table (-h: they stay, marked not to
    get the shell's SIGHUP; the kernel's hang-up reaches them all the same)."""
    flags, specs = _flags(ctx, "disown", args, "ahr", "disown [-h] [-ar] [jobspec ... | pid ...]")
    table = _table(ctx)
    status = 0
    if not specs and "a" in flags:
        chosen = [j for j in table if "r" not in flags or not (j.done or j.stopped)]
    elif not specs:
        chosen = table[-1:]
        if not chosen:
            ctx.term.err(f"{_prefix(ctx)}disown: current: no such job\n")
            return 1
    else:
        chosen = []
        for spec in specs:
            job = next((j for j in table if j.pid == int(spec)), None) if spec.isdigit() \
                else _job_spec(ctx, spec)
            if job is None:
                ctx.term.err(f"{_prefix(ctx)}disown: {spec}: no such job\n")
                status = 1
            else:
                chosen.append(job)
    if "h" not in flags:
        for job in chosen:
            job.reaped = True       # no longer a job, still this shell's child
    return status


def _child_ran(job) -> None:
    """waitpid() gives the CPU to the children: what a job wrote as it started is on
    its terminal by the time `wait` returns (session.py's _Forked)."""
    for fork in getattr(job, "forks", ()):
        fork._ran()


def _wait_next(ctx: ToolContext, ids: list[str] = (), var: str | None = None):
    """`wait -n [-p VAR] [ID...]`: the status of the next job (of those named) to end
    (one that ended and was not reported yet comes first); 127 when there is none
    (wait_for_any_job()); an ID that is no job is said so."""
    table = _table(ctx)
    if ids:
        chosen = []
        for spec in ids:
            job = _job_spec(ctx, spec) if spec.startswith("%") else next(
                (j for j in table if str(j.pid) == spec), None)
            if job is None:
                ctx.term.err(f"{_prefix(ctx)}wait: {spec}: no such job\n")
            elif job not in chosen:
                chosen.append(job)
        table = chosen
    for job in table:
        _child_ran(job)
    notices = _notices(ctx, table)
    for job in table:
        if job.done:
            ctx.term.err(notices())     # wait_for_any_job()'s notify_of_job_status()
            job.reaped = True
            _set_pid_var(ctx, var, job.pid)
            return job.exit_status
    running = [j for j in table if not j.done]
    if not running:
        return 127
    return _WaitAny(ctx, running, notices, var)


class _WaitAny(Process):
    """`wait -n` waiting: ends with the status of the first job that ends."""

    def __init__(self, ctx: ToolContext, jobs: list, notices=None, var: str | None = None):
        super().__init__(ctx.host, ctx.term)
        self.jobs = jobs
        self.notices = notices
        self.var = var
        # the shell whose variable -p sets (the one running wait)
        self.shell = getattr(ctx.session, "tool_shell", None) if var else None
        for job in jobs:
            job.proc.on_exit.append(self._job_ended)

    def _job_ended(self, proc: Process) -> None:
        if self.done:
            return
        if self.notices is not None:
            self.term.err(self.notices())
        for job in self.jobs:
            if job.proc is proc:
                job.reaped = True
                if self.var and self.shell is not None:
                    self.shell.set(self.var, str(job.pid))
        self.exit(proc.status)


class _WaitJobs(Process):
    """`wait` in a live shell: a foreground job until every background job has ended
    (Ctrl-C ends the waiting, not the jobs)."""

    wait_limit = None

    def __init__(self, ctx: ToolContext, procs: list[Process], last=None):
        super().__init__(ctx.host, ctx.term)
        self.pending = len(procs)
        self.last = last            # `wait ID...`: the last job's status is wait's
        for proc in procs:
            proc.on_exit.append(self._job_ended)
        if not self.pending:
            self.exit(self._status())

    def _status(self) -> int:
        return self.last.exit_status if self.last is not None else 0

    def _job_ended(self, proc: Process) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.exit(self._status())


def _signal_number(spec: str) -> int | None:
    """bash's decode_signal(): a number, or a name with or without SIG, any case."""
    from ipemu.bash.traps import SIGNALS as NAMES, signal_name
    name = signal_name(spec)
    if name is None or not name.startswith("SIG"):
        return 0 if name == "EXIT" else None
    return NAMES.index(name[3:]) + 1


# dash's signal_names[] (mksignames.c on glibc): the number for a signal it has no name for
DASH_SIGNALS = ("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM 16 "
                "CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS 32 "
                "33 " + " ".join(f"RTMIN+{i}" if i else "RTMIN" for i in range(16)) + " " +
                " ".join(f"RTMAX-{i}" if i else "RTMAX" for i in range(14, -1, -1))).split()


def _dash_kill_list(ctx: ToolContext, args: list[str]) -> int:
    """dash's killcmd() -l: no operand lists 0 and every signal, one a line; else only
    the first operand, a number (an exit status above 128 less 128) whose name it
    prints; `Illegal number` for another word, `invalid signal number or exit
    status` out of range (sh_error(): status 2); an option after it is nextopt()'s
    `Illegal option`."""
    if args and args[0].startswith("-") and len(args[0]) > 1:
        ctx.term.err(f"{_prefix(ctx)}kill: Illegal option {args[0][:2]}\n")
        return 2
    if not args:
        ctx.term.out("0\n" + "".join(name + "\n" for name in DASH_SIGNALS))
        return 0
    spec = args[0]
    if not spec.isdigit():
        ctx.term.err(f"{_prefix(ctx)}kill: Illegal number: {spec}\n")
        return 2
    number = int(spec)
    if number > 128:
        number -= 128
    if not 0 < number <= len(DASH_SIGNALS):
        ctx.term.err(f"{_prefix(ctx)}kill: invalid signal number or exit status: {spec}\n")
        return 2
    ctx.term.out(DASH_SIGNALS[number - 1] + "\n")
    return 0


def _kill(ctx: ToolContext, args: list[str]) -> int:
    """bash's kill builtin (jobs.c, builtins/kill.def): `-s SIG`, `-n NUM`, `-SIG`,
    `-l [SIG]`; each target a job (%N) or a process id (a job's, or any process the
    host runs)."""
    from ipemu.bash.traps import SIGNALS as NAMES
    args = list(args)
    signum = SIGTERM
    shell = getattr(ctx.session, "tool_shell", None)
    if shell is not None and shell.dash and args and args[0] == "-l":
        return _dash_kill_list(ctx, args[1:])
    if shell is not None and shell.dash and args and args[0] == "-L":
        ctx.term.err(f"{_prefix(ctx)}kill: Illegal option -L\n")     # nextopt("ls:")
        return 2
    if args and args[0] in ("-l", "-L"):
        for spec in args[1:] or [None]:
            if spec is None:
                from ipemu.bash.traps import _signal_table
                ctx.term.out(_signal_table())      # display_signal_list(), as `trap -l`
            elif spec.isdigit():
                number = int(spec) & 0x7f if int(spec) > 128 else int(spec)
                if number == 0:
                    ctx.term.out("EXIT\n")     # signal_name (0): the EXIT trap's
                    continue
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
    dash = shell is not None and shell.dash
    for spec in args:
        proc = None
        if dash and not spec.startswith("%") and not spec.lstrip("-").isdigit():
            # dash's killcmd(): number() refuses it, sh_error() ends the builtin
            ctx.term.err(f"{_prefix(ctx)}kill: Illegal number: {spec}\n")
            return 2
        if spec.startswith("%"):
            job = _job_spec(ctx, spec)
            if job is None and dash:
                ctx.term.err(f"{_prefix(ctx)}kill: No such job: {spec}\n")
                return 2
            if job is None:
                ctx.term.err(f"{_prefix(ctx)}kill: {spec}: no such job\n")
                status = 1
                continue
            proc = job.proc
        elif spec.lstrip("-").isdigit():
            proc = _process(ctx, int(spec))
            if proc is None or proc.done:
                # dash's killcmd(): sh_warnx("%s\n", strerror(errno)) ends in a
                # newline of its own after the one sh_warnx() adds
                ctx.term.err(f"{_prefix(ctx)}kill: No such process\n\n" if dash else
                             f"{_prefix(ctx)}kill: ({spec}) - No such process\n")
                status = 1
                continue
        else:
            ctx.term.err(f"{_prefix(ctx)}kill: {spec}: arguments must be process or job IDs\n")
            status = 1
            continue
        if proc is not None and not proc.done and signum:
            signal_process(ctx, proc, signum)
    return status


def _process(ctx: ToolContext, pid: int):
    """The process with that pid: a job's, or any the machine runs (None: none)."""
    job = next((j for j in ctx.session.jobs if j.pid == pid), None)
    if job is not None:
        return job.proc
    machine = getattr(ctx.session, "machine", None)
    return machine.processes.get(pid) if machine is not None else None


def process_of(ctx: ToolContext, pid: int):
    """kill(2)'s target for a program's kill (procps_kill): the process still running
    with that pid, True for init or the session's shell (no Process of its own: the
    signal is only looked at), None when there is none (ESRCH)."""
    proc = _process(ctx, pid)
    if proc is not None and not proc.done:
        return proc
    shell = getattr(ctx.session, "sh", None)
    if pid == 1 or (shell is not None and pid == shell.pid):
        # init is always there (SIGNAL_UNKILLABLE: what it has no handler for is
        # dropped, kill(2) still succeeds)
        return True
    return None


def signal_process(ctx: ToolContext, proc: Process, signum: int,
                   at_once: bool = False) -> None:
    """kill(PID, SIGNUM) of a running process, as bash's kill builtin sends it;
    `at_once`: sent by a program of its own (/usr/bin/kill), done before that
    program exits, not when the shell's job next gets the CPU."""
    if not ctx.session.live and getattr(proc, "interp", None) is not None and \
            signum not in STOPPING and signum not in (SIGCONT, *IGNORED):
        # a script's `kill PID` of a job that is a bash: that shell alone gets it
        # (kill_pid() without job control), its trap or its death (ShellProcess)
        proc.signal_pid(signum)
        return
    if at_once or ctx.session.live or not any(j.proc is proc for j in ctx.session.jobs):
        _send(proc, signum, False)
    else:
        # the child dies when it next gets the CPU, after the shell went on:
        # `kill %1; jobs` still lists it Running (nothing reaped it yet)
        ctx.host.clock.call_later(0, _Delivery(proc, signum), "deliver")


SIGQUIT, SIGCONT, SIGSTOP = 3, 18, 19
# signals whose default action is to stop the process, or to do nothing
STOPPING = frozenset((19, 20, 21, 22))
IGNORED = frozenset((17, 23, 28))           # SIGCHLD, SIGURG, SIGWINCH


def _send(proc: Process, signum: int, job: bool) -> None:
    """The signal's default action on the process (signal.c's sig_kernel_*()); what
    the process ignores is its own (Process.ignored)."""
    if signum == SIGCONT:
        proc.cont()
    elif signum in STOPPING:
        proc.stop()
    elif signum in IGNORED:
        pass
    else:
        proc.cont()     # bash's kill_pid(): a stopped job gets SIGCONT too
        proc.signal(signum)


class _Delivery:
    """A signal on its way to a job (kill_pid() then the child's turn on the CPU)."""

    def __init__(self, proc: Process, signum: int):
        self.proc, self.signum = proc, signum

    def deliver(self) -> None:
        if not self.proc.done:
            _send(self.proc, self.signum, True)


class _Timeout(Process):
    """coreutils timeout: a signal (SIGTERM, or `-s SIG`) to the command when the time
    is up, status 124."""

    def __init__(self, ctx: ToolContext, child: Process, seconds: float,
                 signum: int = SIGTERM, preserve: bool = False, kill_after: float = 0):
        super().__init__(ctx.host, ctx.term)
        self.child = child
        self.signum = signum
        self.preserve = preserve
        self.kill_after = kill_after
        self.fired = False
        child.on_exit.append(self._child_exited)
        # timeout 0 (and inf) never fires (coreutils settimeout())
        self.event = ctx.host.clock.call_later(seconds, self, "_expire") \
            if 0 < seconds < float("inf") else None

    def _child_exited(self, child: Process) -> None:
        if self.done:
            return
        # timeout.c main(): the child's status, 124 when it timed out (unless
        # --preserve-status); SIGKILL sent to the whole group ends timeout itself too
        if self.fired and child.status == 128 + SIGKILL:
            self.termsig = SIGKILL
            self.exit(128 + SIGKILL)
        elif not self.fired and child.termsig and child.status == 128 + child.termsig:
            # a child a signal killed on its own: timeout raise()s that signal on
            # itself (its shell says `Killed   timeout 5 ...`)
            self.termsig = child.termsig
            self.exit(child.status)
        else:
            self.exit(124 if self.fired and not self.preserve else child.status)

    verbose: tuple | None = None     # -v: (the terminal, the command's name)

    def _say_signal(self, signum: int) -> None:
        if self.verbose is not None:
            term, command = self.verbose
            name = next((n for n, v in SIGNALS.items() if v == signum), str(signum))
            term.err(f"timeout: sending signal {name} to command ‘{command}’\n")

    def _expire(self) -> None:
        if not self.child.done:
            self.fired = True
            self._say_signal(self.signum)
            self.child.signal(self.signum)
            if self.kill_after and not self.child.done:
                # cleanup(): --kill-after arms a second alarm for SIGKILL
                self.event = self.host.clock.call_later(self.kill_after, self, "_kill")

    def _kill(self) -> None:
        if not self.child.done:
            self._say_signal(SIGKILL)
            self.child.signal(SIGKILL)

    def signal(self, signum: int) -> None:
        self.child.signal(signum)

    def cleanup(self) -> None:
        self.host.clock.cancel(self.event)


# timeout.c's long options: main()'s getopt_long(argc, argv, "+k:s:v", long_options)
_TIMEOUT_LONGS = {"foreground": "", "kill-after=": "k", "preserve-status": "",
                  "signal=": "s", "verbose": "v", "help": "", "version": ""}


def _timeout(ctx: ToolContext, args: list[str]):
    signum = SIGTERM
    preserve = verbose = False
    kill_after = 0.0
    from ipemu.tools import gnuopt
    options, args = gnuopt.parse(args, "k:s:v", _TIMEOUT_LONGS, "timeout", status=125,
                                 permute=False)
    for opt, value in options:
        if opt in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "timeout", opt)
        if opt == "--preserve-status":
            preserve = True
        elif opt == "v":
            verbose = True
        elif opt == "k":
            kill_after = duration(value)
            if kill_after is None:
                raise invalid_interval("timeout", value)
        elif opt == "s":
            name = value.upper().removeprefix("SIG")
            if name not in SIGNALS:
                # coreutils' quoting in a UTF-8 locale, as this machine prints it
                raise CommandError(f"timeout: ‘{value}’: invalid signal\nTry 'timeout "
                                   "--help' for more information.\n", 125)
            signum = SIGNALS[name]
    if len(args) < 2:
        # timeout.c: fewer than two operands is usage(EXIT_CANCELED), which says no
        # more than where to look
        raise CommandError("Try 'timeout --help' for more information.\n", 125)
    seconds = duration(args[0])
    if seconds is None:
        raise invalid_interval("timeout", args[0])
    # timeout forks its command (timeout.c main(): fork() then execvp() in the child):
    # timeout's PID comes first and is the command's parent
    machine = getattr(ctx.session, "machine", None)
    own_pid = machine.next_pid() if machine is not None else 0
    result = ctx.session.dispatch(
        args[1:], ctx.term, netns=ctx.netns, stdin=ctx.stdin,
        not_found=("timeout: failed to run command ‘{name}’: No such file or directory\n",
                   127))
    if not isinstance(result, Process):
        return result
    if result.done:
        return result.status
    result.parent_pid = own_pid
    proc = _Timeout(ctx, result, seconds, signum, preserve, kill_after)
    proc.reserved_pid = own_pid
    if verbose:
        # -v: cleanup()'s `sending signal %s to command %s` (quote(): ‘…’ here)
        proc.verbose = (ctx.term, args[1])
    return proc


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
