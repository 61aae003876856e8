"""A shell on a simulated machine: runs command lines the way bash would (lists,
`&&`/`||`, pipes, redirections, background jobs, `timeout`, `wait`) and dispatches each
command to its tool. Every front end (transcript runner, `ipemu -c`, the live shell, an
attached terminal) goes through here.

A line runs as steps (a generator) that stop wherever the shell must wait for a
process. Who resumes them decides how time passes: `run_line` jumps through virtual
time at once (transcripts, `-c`); `start_line` / `poll` / `interrupt` let a live driver
run the clock with the wall and deliver Ctrl-C (Mininet's sendCmd / monitor / sendInt).
"""
from __future__ import annotations

import os
import sys

TYPE_CHECKING = False       # typing's, without importing typing or collections (start-up)
if TYPE_CHECKING:
    from collections.abc import Generator

from ipemu.errors import CommandError
from ipemu.files import FileSystem
from ipemu.kernel.host import Host
from ipemu.plainclass import dataclass, field
from ipemu.process import (SIGHUP, SIGINT, SIGKILL, SIGNAL_NAMES, SIGPIPE, SIGTERM, SIGTSTP,
                            Process, wait_for)
from ipemu.bash.traps import SIGNALS as SIGNAL_ABBREVS
from ipemu.profiles import Profile
from ipemu.profiles import load as load_profile
from ipemu.bash.state import DEFAULT_VARS, ShellState, Var, fresh
from ipemu.tools.context import Routing, Terminal, ToolContext
from ipemu.tools.userland_tools import USERLAND_TOOLS

# command name -> module with main(ctx, argv) -> int | Process; imported on first use
TOOLS = {
    "ip": "ipemu.tools.ip",
    "route": "ipemu.tools.route",
    "ifconfig": "ipemu.tools.ifconfig",
    "nameif": "ipemu.tools.nameif",
    "arp": "ipemu.tools.arp",
    "ipmaddr": "ipemu.tools.ipmaddr",
    "netstat": "ipemu.tools.netstat",
    "ss": "ipemu.tools.ss",
    "curl": "ipemu.tools.curl",
    "ssh": "ipemu.tools.ssh", "scp": "ipemu.tools.ssh", "whereis": "ipemu.tools.whereis",
    "wget": "ipemu.tools.wget",
    "arping": "ipemu.tools.arping",
    "bridge": "ipemu.tools.bridge",
    "ping": "ipemu.tools.ping",
    "ping4": "ipemu.tools.ping",      # Debian's symlinks to ping
    "ping6": "ipemu.tools.ping",
    "tcpdump": "ipemu.tools.tcpdump",
    "tc": "ipemu.tools.tc",
    "sysctl": "ipemu.tools.sysctl",
    "sleep": "ipemu.tools.builtins",
    "true": "ipemu.tools.builtins",
    "false": "ipemu.tools.builtins",
    "echo": "ipemu.tools.builtins",
    "hostname": "ipemu.tools.builtins",
    **{name: "ipemu.tools.nettools_misc"
       for name in ("mii-tool", "iptunnel", "rarp", "plipconfig", "slattach")},
    **{name: "ipemu.tools.builtins"
       for name in ("dnsdomainname", "domainname", "nisdomainname", "ypdomainname")},
    "wait": "ipemu.tools.jobs",
    "jobs": "ipemu.tools.jobs",
    "kill": "ipemu.tools.jobs",
    "timeout": "ipemu.tools.jobs",
    "taskset": "ipemu.tools.taskset",
    "stdbuf": "ipemu.tools.stdbuf",
    **{name: "ipemu.tools.tty" for name in ("tty", "stty", "tput")},
    "lsof": "ipemu.tools.lsof",
    "docker": "ipemu.tools.docker",
    "fg": "ipemu.tools.jobs",
    "bg": "ipemu.tools.jobs",
    "disown": "ipemu.tools.jobs",
    "traceroute": "ipemu.tools.traceroute",
    "traceroute6": "ipemu.tools.traceroute",
    "tcptraceroute": "ipemu.tools.tcptraceroute",
    "tracepath": "ipemu.tools.tracepath",
    "clear": "ipemu.tools.userland",
    "ls": "ipemu.tools.userland",
    "pwd": "ipemu.tools.userland",
    "cd": "ipemu.tools.userland",
    "which": "ipemu.tools.userland",
    "history": "ipemu.tools.userland",
    "help": "ipemu.tools.userland",
    "lab": "ipemu.tools.lab",
    "nstat": "ipemu.tools.nstat",
    **{name: "ipemu.tools.procps" for name in ("ps", "pgrep", "pkill", "pidof")},
    "unshare": "ipemu.tools.unshare",
    "routel": "ipemu.tools.routel",
    "rtmon": "ipemu.tools.rtmon",
    "genl": "ipemu.tools.genl",
    **{name: "ipemu.tools.devlink" for name in ("devlink", "rdma")},
    "arpd": "ipemu.tools.arpd",
    "rtacct": "ipemu.tools.rtacct",
    **{name: "ipemu.tools.lnstat" for name in ("lnstat", "rtstat", "ctstat")},
    **{name: "ipemu.tools.textcols" for name in ("column", "stat", "diff")},
}
TOOLS.update(USERLAND_TOOLS)     # echo, printf, sed, awk, ... (ipemu/tools/userland_tools.py)


WRITE_TIME = 0.0005     # seconds a command writing to a socket takes
# seconds a command line costs before its program acts: the recorder's `bash -c LINE`
# and the program's fork, execve and dynamic loading (a few ms between the lines of the
# recordings; 4 ms orders the IPv6 start-up reports as the recorded ones are ordered)
EXEC_TIME = 0.004
# how long (virtual seconds) a reader of an empty named pipe waits for its writers
FIFO_WAIT = 60.0


@dataclass
class Job:
    """A background job: its command line, its own terminal, and its process."""

    number: int
    line: str
    term: Terminal
    proc: Process | None
    status: int = 0
    redirects: list = field(default_factory=list)
    pid: int = 0
    forks: list = field(default_factory=list)    # _Forked sinks until the child ran
    reaped: bool = False        # deleted from a non-interactive shell's job table
    subshell: int = 0           # $BASH_SUBSHELL of the shell that started it: its owner
    stages: list = field(default_factory=list)  # a pipeline's commands, one a process

    @property
    def done(self) -> bool:
        return self.proc is None or self.proc.done

    @property
    def exit_status(self) -> int:
        return self.proc.status if self.proc is not None else self.status

    @property
    def stopped(self) -> bool:
        return self.proc is not None and not self.proc.done and self.proc.stopped

    @property
    def state(self) -> str:
        """The state column of bash's `jobs` and its `Done` notices."""
        if self.stopped:
            return "Stopped"
        if not self.done:
            return "Running"
        signum = getattr(self.proc, "termsig", 0)
        if signum:
            return SIGNAL_NAMES.get(signum, f"Signal {signum}")
        status = self.exit_status
        if status - 128 in (SIGHUP, SIGINT, SIGKILL, SIGTERM):
            return SIGNAL_NAMES[status - 128]
        return "Done" if status == 0 else f"Exit {status}"

    def signal_notice(self, prefix: str, traps=()) -> str:
        """What a shell without a terminal says of a job a signal killed when it reaps
        it (jobs.c notify_of_job_status(): `%s: line %d: ` then pretty_print_job()'s
        JLIST_NONINTERACTIVE, `%5ld %-24s` and the command): nothing for SIGINT,
        SIGTERM (Debian's DONT_REPORT_SIGTERM), SIGPIPE (DONT_REPORT_SIGPIPE) or a
        signal the shell traps (recorded)."""
        signum = getattr(self.proc, "termsig", 0)
        if not signum or signum in (SIGINT, SIGPIPE, SIGTERM) or \
                f"SIG{SIGNAL_ABBREVS[signum - 1]}" in traps:
            return ""
        name = SIGNAL_NAMES.get(signum, f"Signal {signum}")
        if len(self.stages) < 2:
            return f"{prefix}{self.pid:5d} {name:<24}{self.command}\n"
        # print_pipeline(): a line per process, the status only where it differs
        # from the first's (`kill %1` killed them all); ipemu's stages have no pids
        # of their own: the job's, counted up, as bash forks them one after another
        text = f"{prefix}{self.pid:5d} {name:<24}{self.stages[0]}\n"
        for number, stage in enumerate(self.stages[1:], 1):
            text += f"     {self.pid + number:5d} {'':<22}| {stage}\n"
        return text

    @property
    def command(self) -> str:
        return self.line.rstrip().removesuffix("&").rstrip()


@dataclass
class Waiting:
    """What a running line waits for: a process (killed after `limit` virtual seconds
    when nothing can end it; a live shell waits for the user's Ctrl-C instead)."""

    proc: Process
    limit: float | None


@dataclass
class Foreground:
    """A line started in a live shell: its remaining steps and the process it waits on."""

    line: str
    steps: Generator
    waiting: Waiting | None = None
    interrupted: bool = False


# a line's steps (a name for annotations only: collections.abc costs a start ~1.5 ms)
Steps = "Generator[Waiting, None, int]"


DEFAULT_PATH = DEFAULT_VARS["PATH"]
# what both recorders (the oracle's record.py ENV, `ipemu record`) add to a line's
# environment beyond a login shell's, with HOSTNAME, exported
RECORDER_ENV = {"LC_ALL": "C.UTF-8", "TZ": "UTC"}


def _is_builtin(name: str) -> bool:
    from ipemu.bash.interp import BASH_BUILTIN_NAMES
    return name in BASH_BUILTIN_NAMES


@dataclass
class Session:
    host: Host
    profile: Profile
    jobs: list[Job] = field(default_factory=list)
    last_status: int = 0
    last_job: Job | None = None
    # the host's files (ipemu/files.py); the working directory is root's home, as in
    # the transcripts' prompt
    fs: FileSystem = field(default_factory=FileSystem)
    cwd: str = "/root"
    env: dict[str, str] = field(default_factory=dict)
    machine: object = None          # the Machine (ipemu/machine.py) this shell runs on
    # the shell language's state: variables, functions, positional parameters, options
    sh: ShellState = field(default_factory=fresh)
    # the live terminal (a sink behind it); None: each line collects its own output
    term: Terminal | None = None
    foreground: Foreground | None = None
    # what `ls` needs of the terminal: its width, and whether the running command's
    # stdout is it (not a pipe or a file); None columns: not a terminal at all
    columns: int | None = 80
    stdout_tty: bool = True
    # the program's stdin is a regular file (`< FILE`), so ftell()/fseek() work on it;
    # False for a pipe or a here-document (ESPIPE)
    stdin_seekable: bool = True
    stderr_tty: bool = True     # the same for stderr (systemd's console: "\r\n" on a tty)
    # the terminal's size in columns as TIOCGWINSZ tells a program (ss lays its
    # columns out over it); 0: none set, as on `ipemu record`'s pseudo-terminals (the
    # oracle's record.py sets 80x24: `ipemu run`)
    winsize: int = 0
    # the line's pty settings as stty changed them (tools/tty.py Termios); None: the
    # defaults of a fresh pty
    termios: object = None
    current_line: str | None = None     # the `bash -c` line running now
    shell_signal: int = 0               # a signal a tool sent the line's shell
    # the stages of the running pipelines after the stage running now (ps sees them)
    pipe_later: tuple = ()
    line_children: list = field(default_factory=list)   # nested shells' jobs this line
    # the shell (or subshell) state of the tool running now: its exported variables
    # are the tool's environment (`env`)
    tool_shell: ShellState | None = None
    # the pid of a `-c` shell whose last command runs in its place (execve() without
    # a fork: $$ is then that program's pid), while that command starts
    exec_pid: int | None = None
    # the child shells running now (`ip netns exec NS bash -c ...`): pid -> namespace
    child_shells: dict = field(default_factory=dict)
    # and what ps shows of them: pid -> bash.state.ChildShell
    child_procs: dict = field(default_factory=dict)
    # the statuses of jobs a `wait` took out of the table (jobs.c's bgpids): pid -> status
    bgpids: dict = field(default_factory=dict)
    # the lines typed at this terminal, oldest first (the live shell's history file)
    history: list | None = None
    # each line runs as the recorders' `bash -c LINE` (ipemu run/check, `ipemu -c`): a
    # new shell in root's home, nothing of the last line's shell state, bash -c's
    # messages; False: a prompt where the lines share one shell (live, docs, labs)
    bash_c: bool = False
    # the process ends after this line (`ipemu -c LINE`: cli._shell()):
    # what the line makes need not be walked by Python's collector again
    # (ip_batch._young_collections())
    process_ends: bool = False
    # and one still running after this many (virtual) seconds is killed as theirs
    # are (record.py's CMD_TIMEOUT); None: --timeout's bound and its Ctrl-C
    line_timeout: float | None = None
    # the virtual time the line running now started: its shell's loops end at the
    # --timeout bound (Bound.seconds) past it, as its programs do
    line_started: float = 0.0
    # in bash_c mode, the terminal of the line running now: its own jobs write there
    line_term: Terminal | None = None
    # in bash_c mode, the jobs of the recorder's `COMMAND &` lines, for its `wait`
    recorder_jobs: list[Job] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.machine is None:
            from ipemu.machine import Machine
            self.machine = Machine(self.host, self.profile, fs=self.fs)
        self.machine.shells.append(self)
        if not self.sh.pid:
            # $$: a login shell started before the processes it runs (their PIDs
            # come from the machine's table, which this must not move)
            from ipemu.machine import FIRST_PID
            self.sh.pid = FIRST_PID - len(self.machine.shells)
            self.sh.random_seed = self.sh.pid

    # the live terminal and a running line are the front end's, not the host's state
    __transient__ = ("term", "foreground", "history", "tool_shell", "exec_pid",
                     "child_shells", "child_procs", "line_term", "process_ends",
                     "pipe_later")

    def __restore__(self) -> None:
        self.term = None
        self.foreground = None
        self.tool_shell = None
        self.exec_pid = None
        self.child_shells = {}
        self.child_procs = {}
        self.pipe_later = ()
        self.line_term = None
        self.history = None
        self.process_ends = False

    @classmethod
    def create(cls, profile: str = "default", scenario: str = "bare",
               hostname: str | None = None, seed: int = 0,
               home: str | None = None) -> "Session":
        """A new machine, booted from a scenario (or its cached snapshot), and its first
        shell. `home`: a real directory that holds the home's files (None: in memory)."""
        from ipemu.snapshot import booted
        session = booted(profile, scenario, seed, lambda: cls._boot(profile, scenario, seed))
        if hostname is not None:
            session.host.hostname = hostname
        session.fs.real_home = home
        return session

    @classmethod
    def open(cls, state_path: str | None, profile: str = "default", scenario: str = "bare",
             hostname: str | None = None, seed: int = 0, home: str | None = None
             ) -> "Session":
        """`--state PATH`: the shell saved there (its host, files, jobs and clock), or a
        new one from the scenario while there is no file yet. `home` is this run's,
        whatever the saved one had. Raises StateError for a file it cannot use."""
        import os       # not pathlib: every `ipemu -c` comes here (ipemu/data.py)
        if state_path is None or not os.path.exists(state_path):
            return cls.create(profile, scenario, hostname, seed, home)
        from ipemu.state import StateError, load
        session = load(state_path)
        if not isinstance(session, cls):
            raise StateError(f"ipemu: {state_path}: is not an ipemu state file")
        session.fs.real_home = home
        return session

    @classmethod
    def _boot(cls, profile: str, scenario: str, seed: int) -> "Session":
        from ipemu.scenarios import boot
        prof = load_profile(profile)
        # the release strings are the kernel's too (/proc/sys/kernel/osrelease, version)
        host = Host(seed=seed, kernel={**prof["kernel"], "osrelease": prof["uname_release"],
                                       "version": prof["uname_version"],
                                       "nr_cpus": int(prof["nproc"])})
        session = cls(host, prof)
        boot(session, scenario)
        return session

    @property
    def live(self) -> bool:
        """A shell on a live terminal: output as it is written, bash's job notices."""
        return self.term is not None

    # ------------------------------------------------------------------ lines
    def run_line(self, line: str) -> tuple[Terminal, int]:
        """Run one command line on virtual time; returns what it printed and its exit
        status."""
        if self.bash_c:
            self.new_shell()
        term = Terminal()
        if not self.bash_c:
            return term, self._drive(self._line_steps(line, term))
        # each `bash -c` is a new shell: no job of an earlier line is its own. The
        # recorder's `COMMAND &` jobs are the recorder's, which its `wait` line collects
        # (record.py's Background); any other line's jobs are that line's: they write
        # on its terminal as they go, and die when it ends
        recorder = line.strip() == "wait"
        if recorder:
            self.jobs, self.recorder_jobs = self.recorder_jobs, []
        if _whole_line_background(line) or recorder:
            try:
                return term, self._drive(self._line_steps(line, term))
            finally:
                self.recorder_jobs += self.jobs
                self.jobs = []
        self.line_term = term
        self.current_line = line        # bash -c LINE: the shell's cmdline (ps, pgrep -f)
        self.line_children = []
        try:
            status = self._drive(self._line_steps(line, term))
        finally:
            self.line_term = None
            self.current_line = None
        self._hang_up(list(self.jobs))
        # a nested shell's background lists are in the same foreground process group
        for proc in self.line_children:
            if not proc.done:
                proc.signal(1)
        self.line_children = []
        return term, status

    def _hang_up(self, jobs: list) -> None:
        """The line's bash exits: the session leader's exit hangs up its terminal and
        the kernel sends SIGHUP to its foreground process group (disassociate_ctty()),
        where a non-interactive bash's jobs are (no job control); `nohup` makes a
        program ignore it. Either way the jobs are no later line's."""
        for job in jobs:
            if job in self.jobs:
                self.jobs.remove(job)
            job.term.sink = _Discard()       # the terminal is gone
            if not job.done and not job.line.startswith("nohup "):
                for fork in job.forks:
                    fork.held = None         # hung up before the child ran
                job.proc.signal(1)

    def new_shell(self) -> None:
        """The state a new `bash -c` starts from: the login environment, the home
        directory, `$?` 0 (the recorders start one per line, record.py's Job). Files,
        the kernel and background jobs are the host's and stay."""
        seed = self.sh.random_seed
        self.sh = fresh(self.sh.pid)
        self.sh.random_seed = seed
        self.cwd = self.sh.get("HOME") or "/root"
        for name, value in RECORDER_ENV.items():
            self.sh.vars[name] = Var(value, exported=True)
        self.sh.vars["HOSTNAME"] = Var(self.host.hostname, exported=True)
        self.env = {}
        self.last_status = 0
        self.bgpids = {}
        self.termios = None          # each line has a fresh pty

    def _drive(self, steps: Steps) -> int:
        """The virtual-time driver: jump from event to event until each wait is over."""
        if self.line_timeout is not None:
            return self._drive_killed_after(steps, self.line_timeout)
        self.line_started = self.host.clock.now
        try:
            waiting = next(steps)
            while True:
                wait_for(self.host, waiting.proc, limit=waiting.limit)
                waiting = steps.send(None)
        except StopIteration as stop:
            return stop.value

    def _drive_killed_after(self, steps: Steps, seconds: float) -> int:
        """The recorders' way with a line that does not end: SIGKILL to its process
        group after `seconds` (record.py's CMD_TIMEOUT, killpg()): what it printed so
        far stays, no summary (ping's, tcpdump's) comes, the rest of the line does not
        run, and the status is 137."""
        clock = self.host.clock
        deadline = clock.now + seconds
        first_pid = self.machine.last_pid
        try:
            waiting = next(steps)
            while True:
                proc = waiting.proc
                # `wait` for a `COMMAND &` line's job: that job gets its own time
                # from now (record.py's Background.collect(), one job after another)
                job = any(j.proc is proc for j in self.jobs)
                end = clock.now + seconds if job else deadline
                own = waiting.limit
                if own is not None and clock.now + own < end:
                    wait_for(self.host, proc, limit=own)
                elif not clock.run_until_done(proc, end):
                    clock.advance_to(end)
                    if not proc.done and job:
                        proc.signal(SIGKILL)
                    elif not proc.done:
                        steps.close()
                        jobs = {id(j.proc) for j in self.jobs if j.proc is not None}
                        for other in list(self.machine.processes.values()):
                            if other.pid > first_pid and id(other) not in jobs:
                                other.signal(SIGKILL)
                        proc.signal(SIGKILL)
                        return 128 + SIGKILL
                waiting = steps.send(None)
        except StopIteration as stop:
            return stop.value

    def _line_steps(self, line: str, term: Terminal) -> Steps:
        """A command line (or a whole script) run by the shell language's interpreter
        (ipemu/bash/), command by command."""
        from ipemu.bash.interp import Ctx, Interp
        # each line behaves as `bash -c LINE` does (how transcripts are recorded): an
        # error that ends a script ends the line
        if self.sh.aliases and not self.bash_c:
            from ipemu.bash.dirs import expand_alias
            line = expand_alias(line, self.sh.aliases)
        interp = Interp(self, self.sh, self.last_status, interactive=False)
        interp.c_string = self.bash_c
        status = yield from interp.run_shell(line, Ctx(term))
        self.last_status = status
        return status

    # ---------------------------------------------------- the live driver's side
    def start_line(self, line: str) -> bool:
        """Start a line in the live terminal; True while it runs (poll, interrupt)."""
        self.foreground = Foreground(line, self._line_steps(line, self.term))
        return self._resume(None)

    def poll(self) -> bool:
        """Resume the foreground line if what it waits for has ended; True while the
        line still runs."""
        fg = self.foreground
        if fg is None:
            return False
        if fg.waiting is not None and not fg.waiting.proc.done:
            return True
        proc = fg.waiting.proc if fg.waiting is not None else None
        if fg.interrupted and proc is not None and proc.status == 128 + SIGINT:
            # bash: a job killed by SIGINT ends the whole line; a program that caught
            # it (ping, tcpdump) exits normally and the line goes on
            fg.steps.close()
            self.term.out("\n")
            self.last_status = proc.status
            self.foreground = None
            return False
        return self._resume(None)

    def _resume(self, value) -> bool:
        fg = self.foreground
        try:
            fg.waiting = fg.steps.send(value)
        except StopIteration:
            self.foreground = None
            return False
        fg.interrupted = False
        return self.poll()

    def interrupt(self, signum: int = SIGINT) -> None:
        """Ctrl-C: the signal goes to the foreground job (not to background jobs)."""
        fg = self.foreground
        if fg is None or fg.waiting is None or fg.waiting.proc.done:
            return
        fg.interrupted = True
        fg.waiting.proc.signal(signum)

    def suspend(self) -> None:
        """Ctrl-Z: SIGTSTP stops the foreground job; it becomes a stopped job (bash's
        `[1]+  Stopped ...`, status 148) and the prompt comes back. (bash would go on
        with the rest of a list; here the line ends with the stopped job.)"""
        fg = self.foreground
        if fg is None or fg.waiting is None or fg.waiting.proc.done:
            return
        proc = fg.waiting.proc
        proc.stop()
        fg.steps.close()
        self.foreground = None
        job = self.adopt(proc, fg.line)
        self.term.out("\n" + self.job_line(job))
        self.last_status = 128 + SIGTSTP

    def adopt(self, proc: Process, line: str) -> Job:
        """A foreground process put in the job table (stopped by Ctrl-Z): it keeps the
        number it had if `fg` brought it from there."""
        number = getattr(proc, "job_number", 0) or \
            max((j.number for j in self.jobs), default=0) + 1
        command = getattr(proc, "job_command", "") or line
        job = Job(number, command, proc.term, proc, pid=proc.pid)
        proc.job_number, proc.job_command = number, command
        self.jobs.append(job)
        self.jobs.sort(key=lambda j: j.number)
        if job is not self.jobs[-1]:    # the stopped one is the current job (`+`)
            self.jobs.remove(job)
            self.jobs.append(job)
        return job

    @property
    def busy(self) -> bool:
        return self.foreground is not None

    def notices(self) -> str:
        """bash's notices before a prompt: each background job that ended since, as
        `[N]+  Done                    COMMAND`; the job leaves the table."""
        lines = []
        for job in [j for j in self.jobs if j.done]:
            lines.append(self.job_line(job))
            self.jobs.remove(job)
        return "".join(lines)

    def reap_jobs(self) -> None:
        """A non-interactive shell's notify_and_cleanup() after a foreground command:
        the background jobs that ended leave the job table without a word (bash's
        DONT_REPORT_SIGTERM; `wait PID` still has their status)."""
        for job in self.jobs:
            if job.done:
                job.reaped = True

    def job_line(self, job: Job, pid: bool = False) -> str:
        """One line of `jobs`: `+` marks the current job, `-` the previous one."""
        table = [j for j in self.jobs if not j.reaped or j is job]
        index = table.index(job)
        mark = "+" if index == len(table) - 1 else (
            "-" if index == len(table) - 2 else " ")
        state = job.state
        if state == "Stopped" and not self.live:
            # waitpid() without WUNTRACED: a shell without job control never sees it
            state = "Running"
        command = job.command + (" &" if not job.done and state != "Stopped" else "")
        stages = getattr(job, "stages", None) or []
        if pid and len(stages) > 1:
            # print_pipeline()'s JLIST_LONG: a line per process, its pid (ipemu's
            # stages have none of their own: the job's, counted up) and `| COMMAND`
            amp = " &" if not job.done and state != "Stopped" else ""
            text = f"[{job.number}]{mark} {job.pid:5d} {state:<24}{stages[0]}\n"
            for number, stage in enumerate(stages[1:], 1):
                text += f"     {job.pid + number:5d} {'':<22}| {stage}"
                text += (amp if number == len(stages) - 1 else "") + "\n"
            return text
        if pid:         # `jobs -l`: pretty_print_job()'s JLIST_LONG
            return f"[{job.number}]{mark} {job.pid:5d} {state:<24}{command}\n"
        return f"[{job.number}]{mark}  {state:<24}{command}\n"

    # ------------------------------------------------------------------- jobs
    # a `LIST &` is being started: what it does at once is the job's, not the
    # foreground's (a named pipe it reads does not make the shell wait)
    starting_job = False

    def start_background(self, interp, and_or, ctx) -> Job:
        """`LIST &`: one tool runs as the job's process; anything more (a pipeline, a
        list, a compound command, a function) runs as a shell process of its own."""
        outer, self.starting_job = self.starting_job, True
        try:
            return self._start_background(interp, and_or, ctx)
        finally:
            self.starting_job = outer

    def _start_background(self, interp, and_or, ctx) -> Job:
        from ipemu.bash.interp import Ctx
        # bash numbers a job one above the highest in the table
        number = max((j.number for j in self.jobs if not j.reaped), default=0) + 1
        job_term = Terminal()    # until bash has printed the job's number
        forks: list = []
        if self.line_term is not None:
            # the job's stdout and stderr are the list's own (a pipe: `{ a & b; } | c`)
            job_term.sink = _Forked(self.host, job_term,
                                    Routing(ctx.term, {"stdout": "stdout",
                                                       "stderr": "stderr"}), forks)
        # a shell without job control gives an asynchronous list /dev/null for its
        # stdin (execute_command_internal(): `stdin_redir`); a live one keeps the terminal
        from ipemu.bash.interp import Input
        job_ctx = Ctx(job_term, None if self.live else Input(""), ctx.netns)
        own = self.line_term is not None
        # one program is the job's process itself (its pid is $!), started at once
        proc = self._job_tool(interp, and_or, job_ctx, forks if own else None)
        if proc is None:
            from ipemu.bash.process import ShellProcess
            steps = interp.forked(lambda: interp.exec_and_or(and_or, job_ctx))
            if own:
                steps = _after_fork(self.host, job_term, steps)
            proc = self.machine.spawn(ShellProcess(self.host, job_term, steps))
            # the forked shell execs a list's one simple command (`nohup CMD &`: $!
            # is CMD's PID, ps names it), not a function's body
            from ipemu.bash.interp import _one_simple
            first = and_or.first.commands[0] if _one_simple(and_or) else None
            # (`exec CMD &` execs by itself: its program keeps the pid the forked
            # shell's exec_pid gives it, which fuser and ss find: tools35_procs)
            proc.execs = first is not None and not (
                first.words and (first.words[0] in interp.state.functions or
                                 first.words[0] == "exec"))
            proc.start()
        status = proc.status if isinstance(proc, Process) else proc
        from ipemu.bash.printer import command_text, pipeline_stages
        job = Job(number, command_text(and_or), job_term,
                  proc if isinstance(proc, Process) else None, status)
        job.pid = proc.pid if isinstance(proc, Process) else self.machine.next_pid()
        job.forks = forks
        job.subshell = interp.state.subshell
        job.stages = pipeline_stages(and_or)
        if own and isinstance(proc, Process) and not proc.done:
            _AsyncSignals(self.host, proc)
        self.jobs.append(job)
        interp.state.last_bg_pid = job.pid
        self.last_job = job
        if self.live:
            self._go_live(job)
        return job

    def _job_tool(self, interp, and_or, ctx, forks: list | None = None):
        """A background job that is one of the session's tools: its Process (or
        its status, when it ended at once); None for anything else."""
        from ipemu.bash import ast
        from ipemu.bash.builtins import BUILTINS
        pipeline = and_or.first
        if and_or.rest or pipeline.bang or len(pipeline.commands) != 1:
            return None
        cmd = pipeline.commands[0]
        if not isinstance(cmd, ast.Simple) or not cmd.words or cmd.assigns:
            return None
        try:
            argv = self._drive(interp.expand_words(cmd.words))
        except Exception:   # noqa: BLE001 - the shell process reports it
            return None
        if not argv or argv[0] in interp.state.functions or argv[0] in BUILTINS or \
                argv[0] in ("bash", "sh", "dash", "sudo", "su", "nohup"):
            return None     # the shell runs these (and the program they start)
        try:
            inner, closer = self._drive(interp.open_redirects(cmd.redirects, ctx))
        except CommandError as err:
            interp._command_error(ctx, err)
            return 1
        # its stdin is the job's (/dev/null without job control)
        stdin = ctx.stdin.peek_all() if ctx.stdin is not None else None
        if forks is not None and inner.term is not ctx.term:
            # a redirection's file gets nothing before the child ran either
            inner.term.sink = _Forked(self.host, inner.term, inner.term.sink, forks)
        result = self._dispatch(argv, inner.term, stdin, ctx.netns, prefix=interp.prefix())
        closer()
        return result

    def _go_live(self, job: Job) -> None:
        """bash prints `[N] PID` as it starts the job; then the job writes to the live
        terminal as it goes. (In a transcript its output waits for `wait`, the oracle's
        convention.)"""
        self.term.err(f"[{job.number}] {job.pid}\n")
        written, job.term.chunks = job.term.chunks, []
        job.term.sink = Routing(self.term, _targets(job.redirects))
        for stream, text in written:
            job.term.write(stream, text)

    def start_elsewhere(self, line: str) -> Job:
        """A command typed in another terminal of this host: it runs concurrently in a
        shell of its own, its output goes to that terminal, and it is not one of this
        shell's jobs."""
        other = self.machine.shell(term=Terminal())
        other.start_line(line)
        fg = other.foreground
        proc = fg.waiting.proc if fg is not None and fg.waiting is not None else None
        return Job(0, line, other.term, proc, other.last_status)

    def wait_jobs(self, term: Terminal, jobs: list[Job] | None = None) -> int:
        """`wait`: run until the jobs end, then print each one's output in the order
        they were started (the transcript convention of the oracle)."""
        jobs = list(self.jobs if jobs is None else jobs)
        for job in jobs:
            if job.proc is None:
                continue
            if self.line_timeout is None:
                wait_for(self.host, job.proc)
            elif not self.host.clock.run_until_done(job.proc,
                                                    self.host.clock.now + self.line_timeout):
                # record.py's Background.collect(): each job, in turn, this long
                # after `wait`, then SIGKILL (no summary)
                self.host.clock.advance_to(self.host.clock.now + self.line_timeout)
                if not job.proc.done:
                    job.proc.signal(SIGKILL)
        for job in jobs:
            _apply_redirects(job.redirects, job.term, term)
            self.jobs.remove(job)
        return jobs[-1].exit_status if jobs else 0

    def collect_jobs(self, term: Terminal) -> None:
        """The jobs never waited for, after the last line (the recorder's first)."""
        self.jobs, self.recorder_jobs = self.recorder_jobs + self.jobs, []
        self.wait_jobs(term)

    # ------------------------------------------------------------- files
    def run_command(self, cmd, term: Terminal, stdin: str | None = None) -> int:
        """One simple command (shell_line's outline of one) on virtual time."""
        from ipemu.bash.interp import Ctx, Input, Interp
        from ipemu.bash.interp import _quote as quote
        text = " ".join(quote(word) for word in cmd.argv)
        text += "".join(f" {op}{quote(target) if target else ''}"
                        for op, target in cmd.redirects)
        interp = Interp(self, self.sh, self.last_status, interactive=False)
        ctx = Ctx(term, Input(stdin) if stdin is not None else None)
        return self._drive(interp.run_shell(text, ctx))

    def _open_input(self, target: str) -> str:
        """`< FILE`: bash opens it before the command runs; a directory opens, and
        the command's read fails (textutils.DirectoryInput)."""
        try:
            return self.open_text(target)
        except IsADirectoryError:
            from ipemu.tools.textutils import DirectoryInput
            return DirectoryInput()
        except OSError as err:
            raise CommandError(f"bash: {target}: {err.strerror}\n", 1)

    def _user_path(self, shell: ShellState) -> bool:
        """Whether PATH can name a program of the user's before the box's: not the
        login PATH while nothing was written under /usr/local (its only entries ahead
        of the box's own directories); a PATH search costs a start two modules."""
        var = shell.vars.get("PATH")
        if var is None or var.value != DEFAULT_PATH:
            return True
        return any(path.startswith("/usr/local/") for path in self.fs.files)

    def _dispatch(self, argv: list[str], term: Terminal, stdin: str | None = None,
                  netns=None, prefix: str = "bash: ", missing: str = "command not found",
                  output: str | None = None, not_found: tuple[str, int] | None = None,
                  search: bool = True, program: bool | None = None):
        """Run a tool. `output`: the host file its standard output goes to (cat and
        grep refuse to read it). `not_found`: the caller's own line for a missing
        command (a format with {name}) and its exit status. `program`: it runs as a
        program, not as the shell's builtin of that name (ToolContext.program; None:
        as one when another tool runs it, `search`)."""
        if program is None:
            program = search
        if not argv:
            return 0
        name = argv[0]
        if search and self.tool_shell is not None and "/" not in name and \
                self._user_path(self.tool_shell):
            # the program another tool starts (`ip netns exec NS ping`) is found in the
            # PATH of the environment it was given: a file the user put first wins
            from ipemu.bash.lookup import shadowing_program
            var = self.tool_shell.vars.get("PATH")
            found = shadowing_program(self.fs, self.cwd, var.value if var is not None
                                      and var.exported else None, name)
            if found is not None:
                return self._script_process([found] + argv[1:], term, stdin, netns)
        if "/" in name and search:
            # a program named by its path (`timeout 5 /usr/bin/ping`, `ip netns exec NS
            # /sbin/ip`): the box's program, under the name it was run by, or a file
            # the user made
            from ipemu.bash.programs import ARGV0_TOOLS, Argv0Sink, shell_for_path, tool_for_path
            tool = tool_for_path(name)
            if tool is not None:
                if tool in ARGV0_TOOLS:
                    from ipemu.tools.context import RedirectTerminal
                    term = RedirectTerminal(sink=Argv0Sink(term, tool, name))
                return self._dispatch([tool] + argv[1:], term, stdin, netns, prefix, missing,
                                      output, not_found, search=False, program=True)
            if shell_for_path(name) is None and self.read_file(name) is not None:
                if not_found is not None and not self.fs.is_executable(
                        self.fs.resolve(name, self.cwd)):
                    # the tool's execvp() fails with EACCES: its own line with that
                    # errno (ip's cmd_exec() exits 1; taskset's errexec() 126)
                    term.err(not_found[0].format(name=name).replace(
                        "No such file or directory", "Permission denied"))
                    return 126 if not_found[1] == 127 else not_found[1]
                return self._script_process(argv, term, stdin, netns)
        module_name = TOOLS.get(name)
        if module_name is None:
            from ipemu.tools.textutils import TEXT_TOOLS
            if name in TEXT_TOOLS:
                return TEXT_TOOLS[name](argv, "" if stdin is None else stdin, term,
                                         self.open_text,
                                         lambda n: output is not None and self._path(n) == output)
            from ipemu.bash.programs import shell_for_path
            if name in ("bash", "sh", "dash") or shell_for_path(name) is not None:
                return self._shell_process(argv, term, stdin, netns)
            if name == "sudo":
                # /usr/bin/sudo started by a tool (`ip netns exec NS sudo arp -s ...`):
                # the shell's own sudo (bash/programs.py), in a process of its own
                return self._shell_process(["bash", "-c", 'exec "$@"', "sudo", *argv],
                                           term, stdin, netns)
            if not_found is not None:
                term.err(not_found[0].format(name=name))
                return not_found[1]
            term.err(f"{prefix}{name}: {missing}\n")
            return 127
        __import__(module_name)     # importlib.import_module()'s, without importlib
        module = sys.modules[module_name]
        ctx = ToolContext(self.host, netns or self.host.init_ns, term, self.profile, self,
                          stdin, output, self.exec_pid, program)
        if prefix != "bash: " and _is_builtin(name):
            ctx.prefix = prefix     # a builtin's warnings name the line too (error_prolog())
        try:
            result = module.main(ctx, argv)
            if isinstance(result, Process) and not result.pid:
                result.cmdline = argv       # /proc/PID/cmdline (ps, pgrep -f, pidof)
                if netns is not None and result.netns is None:
                    result.netns = netns
                from ipemu.kernel.uts import current
                if current(self) is not None and getattr(result, "uts", None) is None:
                    result.uts = current(self)      # unshare -u sleep 60 &
                self.machine.spawn(result)
            return result
        except CommandError as err:
            message = err.message
            if prefix != "bash: " and message.startswith("bash: ") and \
                    not message.startswith(prefix) and _is_builtin(name):
                # a builtin's error_prolog(): in a script or under `bash -c`, the
                # shell's name and line ("s.sh: line 3: cd: ...")
                message = prefix + message[len("bash: "):]
            term.err(message)
            return err.status
        except Exception as err:  # noqa: BLE001 - a bug must not cost the user the host
            term.err(f"ipemu: internal error in `{name}`: {type(err).__name__}: {err}\n"
                     "ipemu: the host is unchanged by the failed part; please report this line\n")
            return 70

    def _path(self, name: str) -> str:
        from ipemu.procfs import _canonical
        path = self.fs.resolve(name, self.cwd)
        if self.fs.links:
            try:
                path = self.fs.follow(path)     # `ln -s` links (to the views too)
            except OSError:
                pass                            # ELOOP: the open itself says so
        return _canonical(path)                 # /var/run is /run

    def write_file(self, name: str, data: bytes, append: bool = False,
                   netns=None) -> None:
        """Create, truncate or append to a file (OSError as open(2) fails); in /sys
        and /proc as `netns` (default: the host's own namespace) shows them."""
        path = self._path(name)
        code = self._pseudo_errno(path, "create", netns)
        if code == 0:
            from ipemu import procfs
            # a sysfs attribute with a store(): the write sets it (EINVAL refused)
            code = procfs.write(netns or self.host.init_ns, path,
                                data.decode("utf-8", "surrogateescape"))
        if code:
            raise OSError(code, os.strerror(code), path)
        if code is None:
            self.fs.write(path, data, append)

    def check_writable(self, name: str, netns=None) -> None:
        """The OSError opening `name` for writing would raise, without writing."""
        path = self._path(name)
        code = self._pseudo_errno(path, "create", netns)
        if code:
            raise OSError(code, os.strerror(code), path)
        if code is None:
            self.fs.check_writable(path)

    def _pseudo_errno(self, path: str, op: str, netns=None) -> int | None:
        """procfs.pseudo_errno() of an absolute path: what sysfs and procfs say to a
        new file, directory or unlink there (None: not theirs)."""
        if not path.startswith(("/sys", "/proc")):
            return None
        from ipemu import procfs
        return procfs.pseudo_errno(self.host, netns or self.host.init_ns, path, op)

    def can_write(self, name: str) -> bool:
        try:
            self.check_writable(name)
        except OSError:
            return False
        return True

    def open_file(self, name: str) -> bytes:
        """A file's content (OSError: ENOENT, EISDIR, ENOTDIR)."""
        path = self._path(name)
        if self.fs.fifos and self.fs.is_fifo(path):
            self._let_writers_run(path)
        return self.fs.read(path)

    def _let_writers_run(self, path: str) -> None:
        """open(2) of a named pipe for reading waits for a writer, and its reads go on
        until the last writer closes it (pipe_read()): the clock runs, event by
        event, until the pipe holds data and no writer has it open (a list started
        with `&` that writes to it, `(echo hi > fifo &); read x < fifo`, `ping ... >
        fifo & cat fifo`), at most FIFO_WAIT virtual seconds: a pipe nobody writes
        reads as empty then, where the real reader waits for ever. A shell the clock
        is stepping must not run it again (tools/jobs.py): it reads what is there."""
        from ipemu.bash import process
        if process.STEPPING or self.live or self.starting_job:
            return
        clock, fs = self.host.clock, self.fs
        bound = clock.now + FIFO_WAIT
        while not (fs.files.get(path) and not fs.fifo_writers.get(path)
                   and not self._fifo_writer_runs(path)):
            due = clock.next_event_time()
            if due is None or due > bound or not fs.is_fifo(path):
                return
            clock.advance_to(due)

    def read_file(self, name: str) -> bytes | None:
        try:
            return self.open_file(name)
        except OSError:
            return None

    def open_text(self, name: str, netns=None) -> str:
        """A file as text for cat and friends: the host's files, /proc/sys and the
        kernel's views (/sys/class/net, /proc/net, /run/netns: ipemu/procfs.py) as
        `netns` (default: the host's own namespace) shows them."""
        path = self._path(name)
        from ipemu import procfs
        if path == "/proc/loadavg":
            from ipemu.tools import procinfo
            return procinfo.proc_loadavg(self.host, self.machine)   # its processes
        view = procfs.read(self.host, netns or self.host.init_ns, path)
        if view is not None:
            return view
        if path == "/sys/devices/system/cpu/online":
            # the CPUs the recording machine has (drivers/base/cpu.c's cpulist)
            count = int(self.profile["nproc"])
            return "0\n" if count == 1 else f"0-{count - 1}\n"
        if path.startswith("/proc/sys/"):
            from ipemu.tools.sysctl import WRITE_ONLY, lookup, unreadable
            # /proc/sys/net is the reader's namespace's (`ip netns exec NS cat ...`)
            key = path[len("/proc/sys/"):].replace("/", ".")
            value = lookup(netns or self.host.init_ns, key)
            if value is None:
                raise OSError(2, "No such file or directory", path)
            if key in WRITE_ONLY:
                raise OSError(13, "Permission denied", path)
            if unreadable(netns or self.host.init_ns, key):
                raise OSError(5, "Input/output error", path)
            return value + "\n"
        if path.startswith("/proc/") and path[6:7].isdigit():
            from ipemu.tools.procps import proc_pid_view
            text = proc_pid_view(self, path)
            if text == "dir":
                raise OSError(21, "Is a directory", path)
            if text is not None:
                return text
        from ipemu.output import decode
        if self.fs.fifos and self.fs.is_fifo(path):
            self._let_writers_run(path)
        return decode(self.fs.read(path))

    def _fifo_writer_runs(self, path: str) -> bool:
        """A program still running has its output on the named pipe (`ping ... >
        FIFO &`: the shell started it and went on; its descriptor stays open)."""
        for proc in list(self.machine.processes.values()):
            term = proc.term
            while term is not None and not proc.done:
                fds = getattr(getattr(term, "sink", None), "fds", None)
                if fds and any(getattr(d, "fifo", "") == path for d in fds.values()):
                    return True
                term = getattr(getattr(term, "sink", None), "outer", None)
        return False

    def read_text(self, name: str) -> str | None:
        try:
            return self.open_text(name)
        except OSError:
            return None

    def _shell_process(self, argv: list[str], term: Terminal, stdin: str | None, netns):
        """`bash ...` started by another tool (`ip netns exec NS bash -c ...`,
        `timeout`): a shell process; its status when it ended at once."""
        from ipemu.bash.interp import Ctx, Input, Interp
        from ipemu.bash.process import ShellProcess
        # the environment is the calling shell's (or what env made of it)
        interp = Interp(self, self.tool_shell or self.sh, self.last_status)
        tty, err_tty = getattr(self, "tool_stdio_tty", (True, True))
        ctx = Ctx(term, Input(stdin) if stdin is not None else None, netns, tty=tty,
                  err_tty=err_tty)
        self.spawned_interp = None
        proc = ShellProcess(self.host, term, interp.child_shell(argv, ctx)).start()
        if proc.done:
            return proc.status
        # its shell: a signal sent to the process runs that shell's trap for it
        proc.interp, self.spawned_interp = self.spawned_interp, None
        proc.ctx = ctx
        return proc

    def _script_process(self, argv: list[str], term: Terminal, stdin: str | None, netns):
        """A program file the user made, started by another tool with the environment
        of the shell that started that tool."""
        from ipemu.bash.interp import Ctx, Input, Interp
        from ipemu.bash.process import ShellProcess
        from ipemu.bash.programs import run_path
        interp = Interp(self, self.tool_shell or self.sh, self.last_status)
        tty, err_tty = getattr(self, "tool_stdio_tty", (True, True))
        ctx = Ctx(term, Input(stdin) if stdin is not None else None, netns, tty=tty,
                  err_tty=err_tty)
        proc = ShellProcess(self.host, term, run_path(interp, argv, ctx)).start()
        if proc.done:
            return proc.status
        return proc

    def dispatch(self, argv: list[str], term: Terminal, netns=None, stdin: str | None = None,
                 not_found: tuple[str, int] | None = None):
        """Run a command for another tool (`timeout CMD`, `ip netns exec`): an exit
        status or a started Process (`stdin`: what the tool's own input holds;
        `not_found`: the tool's own line and status for a missing program)."""
        return self._dispatch(argv, term, stdin, netns=netns, not_found=not_found)

    def terminate(self, proc: Process) -> None:
        proc.signal(SIGTERM)


def _after_fork(host, term: Terminal, steps):
    """A `bash -c` line's job run by a subshell: the forked child gets the CPU only
    after its parent went on (EXEC_TIME), so `(sleep 0.5; echo late) & echo early`
    prints `early` first and the line can end (hanging the job up) before it ran."""
    from ipemu.bash.interp import Waiting
    from ipemu.process import Sleep
    yield Waiting(Sleep(host, term, EXEC_TIME), None)
    return (yield from steps)


def _whole_line_background(line: str) -> bool:
    """record.py's is_background(): a line that ends in `&` (not `&&`) is started as
    a job of its own, its output reported under `wait`."""
    line = line.rstrip()
    return line.endswith("&") and not line.endswith("&&")


class _Forked:
    """The sink of a `bash -c` line's job until the forked child has run (EXEC_TIME
    after its parent went on): what the program writes at once waits until then, so
    `ping -c 3 X & echo started` ends the line (hanging the job up) before ping's
    PING line is seen, as on the recording machine."""

    def __init__(self, host, term: Terminal, sink, forks: list):
        self.term, self.sink, self.held = term, sink, []
        forks.append(self)
        host.clock.call_later(EXEC_TIME, self, "_ran")

    def write(self, stream: str, text: str) -> bool:
        if self.held is not None:
            self.held.append((stream, text))
        return True

    def _ran(self) -> None:
        held, self.held = self.held, None
        if held is None or self.term.sink is not self:
            return                       # hung up meanwhile: nothing ever came
        self.term.sink = self.sink
        for stream, text in held:
            self.term.write(stream, text)


class _AsyncSignals:
    """setup_async_signals() in the forked child: SIGQUIT is ignored from the start
    (the shell ignores it), SIGINT once the child has run (EXEC_TIME): `kill -INT $!`
    right after `&` still kills, a later `pkill -INT` does not."""

    def __init__(self, host, proc: Process):
        self.proc = proc
        proc.ignored = proc.ignored | {3}      # (what it came with stays: nohup's SIGHUP)
        host.clock.call_later(EXEC_TIME, self, "_ran")

    def _ran(self) -> None:
        self.proc.ignored = self.proc.ignored | {2, 3}


class _Discard:
    """The sink of a hung-up terminal: what is written there is lost."""

    def write(self, stream: str, text: str) -> bool:
        return True


def _targets(redirects: list[tuple[str, str]]) -> dict[str, str | None]:
    """Where the command's streams go: `>/dev/null`, `2>/dev/null`, `2>&1` (None: a
    file or nowhere)."""
    targets: dict[str, str | None] = {"stdout": "stdout", "stderr": "stderr"}
    for op, target in redirects:
        fd = "stderr" if op.startswith("2") else "stdout"
        if op.endswith("&1"):
            targets["stderr"] = targets["stdout"]
        elif op.endswith("&2"):
            targets["stdout"] = targets["stderr"]
        elif ">" in op:
            targets[fd] = None
    return targets


def _apply_redirects(redirects: list[tuple[str, str]], inner: Terminal, outer: Terminal) -> None:
    """Route what the command's terminal kept to the outer terminal."""
    targets = _targets(redirects)
    for stream, text in inner.chunks:
        where = targets[stream]
        if where is not None:
            outer.write(where, text)
