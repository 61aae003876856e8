"""A shell session on a simulated host: runs command lines the way bash would
(lists, `&&`/`||`, pipes, redirections, background jobs, `timeout`, `wait`) and
dispatches each command to its tool. Every front end (transcript runner, `ipemu -c`,
the REPL) goes through here.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from ipemu.errors import CommandError
from ipemu.files import FileSystem
from ipemu.kernel.host import Host
from ipemu.process import SIGTERM, Process, wait_for
from ipemu.profiles import Profile
from ipemu.profiles import load as load_profile
from ipemu.shell_line import CommandList, SimpleCommand, parse_line
from ipemu.tools.context import Terminal, ToolContext

# command name -> module with main(ctx, argv) -> int | Process; imported on first use
TOOLS = {
    "ip": "ipemu.tools.ip",
    "route": "ipemu.tools.route",
    "bridge": "ipemu.tools.bridge",
    "ping": "ipemu.tools.ping",
    "tcpdump": "ipemu.tools.tcpdump",
    "sysctl": "ipemu.tools.sysctl",
    "sleep": "ipemu.tools.builtins",
    "true": "ipemu.tools.builtins",
    "false": "ipemu.tools.builtins",
    "echo": "ipemu.tools.builtins",
    "hostname": "ipemu.tools.builtins",
    "wait": "ipemu.tools.jobs",
    "jobs": "ipemu.tools.jobs",
    "kill": "ipemu.tools.jobs",
    "timeout": "ipemu.tools.jobs",
}


WRITE_TIME = 0.0005     # seconds a command writing to a socket takes


@dataclass
class Job:
    """A background job: its command line, its own terminal, and its process."""

    number: int
    line: str
    term: Terminal
    proc: Process | None
    status: int = 0
    redirects: list = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.proc is None or self.proc.done

    @property
    def exit_status(self) -> int:
        return self.proc.status if self.proc is not None else self.status


@dataclass
class Session:
    host: Host
    profile: Profile
    jobs: list[Job] = field(default_factory=list)
    last_status: int = 0
    job_counter: int = 0
    last_job: Job | None = None
    # the host's files (ipemu/files.py); the working directory is root's home, as in
    # the transcripts' prompt
    fs: FileSystem = field(default_factory=FileSystem)
    cwd: str = "/root"

    @classmethod
    def create(cls, profile: str = "default", scenario: str = "bare",
               hostname: str | None = None, seed: int = 0,
               home: str | None = None) -> "Session":
        """`home`: a real directory that holds the home's files (None: all in memory)."""
        from ipemu.snapshot import booted
        session = booted(profile, scenario, seed, lambda: cls._boot(profile, scenario, seed))
        if hostname is not None:
            session.host.hostname = hostname
        session.fs.real_home = home
        return session

    @classmethod
    def _boot(cls, profile: str, scenario: str, seed: int) -> "Session":
        from ipemu.scenarios import boot
        prof = load_profile(profile)
        host = Host(seed=seed, kernel=prof.get("kernel", {}))
        session = cls(host, prof)
        boot(session, scenario)
        return session

    # ------------------------------------------------------------------ lines
    def run_line(self, line: str) -> tuple[Terminal, int]:
        """Run one command line; returns what it printed and its exit status."""
        term = Terminal()
        try:
            parsed = parse_line(line)
        except CommandError as err:
            term.err(err.message)
            self.last_status = err.status
            return term, err.status
        if parsed is None:
            return term, self.last_status
        if parsed.background:
            self.last_job = self._start_job(parsed, line)
            self.last_status = 0
            return term, 0
        status = self._run_list(parsed, term)
        self.last_status = status
        return term, status

    def _start_job(self, parsed: CommandList, line: str) -> None:
        self.job_counter += 1
        job_term = Terminal()
        proc = None
        status = 0
        items = parsed.items
        if len(items) == 1 and len(items[0][1].commands) == 1:
            cmd = items[0][1].commands[0]
            result = self._dispatch(cmd.argv, job_term)
            if isinstance(result, Process):
                proc = result
            else:
                status = result
            job = Job(self.job_counter, line, job_term, proc, status, cmd.redirects)
        else:
            status = self._run_list(parsed, job_term)
            job = Job(self.job_counter, line, job_term, None, status)
        self.jobs.append(job)
        return job

    def start_elsewhere(self, line: str) -> Job:
        """A command typed in another terminal of this host: it runs concurrently, its
        output goes to that terminal, and it is not one of this shell's jobs."""
        term = Terminal()
        parsed = parse_line(line)
        cmd = parsed.items[0][1].commands[0]
        result = self._dispatch(cmd.argv, term)
        if isinstance(result, Process):
            return Job(0, line, term, result)
        return Job(0, line, term, None, result)

    def wait_jobs(self, term: Terminal, jobs: list[Job] | None = None) -> int:
        """`wait`: run until the jobs end, then print each one's output in the order
        they were started (the transcript convention of the oracle)."""
        jobs = list(self.jobs if jobs is None else jobs)
        for job in jobs:
            if job.proc is not None:
                wait_for(self.host, job.proc)
        for job in jobs:
            _apply_redirects(job.redirects, job.term, term)
            self.jobs.remove(job)
        return jobs[-1].exit_status if jobs else 0

    def collect_jobs(self, term: Terminal) -> None:
        self.wait_jobs(term)

    def _run_list(self, cmdlist: CommandList, term: Terminal) -> int:
        status = 0
        for (op, pipeline), background in zip(cmdlist.items, cmdlist.background_items):
            if op == "&&" and status != 0:
                continue
            if op == "||" and status == 0:
                continue
            if background:
                self._start_job(CommandList([(None, pipeline)], [False]), "")
                status = 0
                continue
            status = self._run_pipeline(pipeline.commands, term)
            self.last_status = status
        return status

    def _run_pipeline(self, commands: list[SimpleCommand], term: Terminal) -> int:
        if len(commands) > 1:
            from ipemu.tools.textutils import run_pipeline
            return run_pipeline(self, commands, term)
        return self.run_command(commands[0], term)

    def run_command(self, cmd: SimpleCommand, term: Terminal, stdin: str | None = None) -> int:
        inner = Terminal()
        argv = [w.replace("$?", str(self.last_status)) for w in cmd.argv]
        try:
            for op, target in cmd.redirects:
                if op in ("<", "0<"):
                    stdin = self._open_input(target)
            sockets = self._open_sockets(cmd.redirects)
            self._open_outputs(cmd.redirects)
        except CommandError as err:       # bash does not run a command it cannot redirect
            term.err(err.message)
            return err.status
        result = self._dispatch(argv, inner, stdin, output=self._stdout_file(cmd.redirects))
        if isinstance(result, Process):
            wait_for(self.host, result)
            result = result.status
        return self._redirect(cmd.redirects, inner, term, result, sockets, argv[0] if argv else "")

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

    def _open_outputs(self, redirects) -> None:
        """`>`/`>>`/`2>` to files: bash opens (and `>` truncates) each before the
        command runs, and does not run it when one fails."""
        for op, target in redirects:
            if ">" not in op or "&" in op or target == "/dev/null" or \
                    target.startswith(("/dev/udp/", "/proc/sys/")):
                continue
            try:
                if op.endswith(">>"):
                    self.check_writable(target)
                else:
                    self.write_file(target, b"")
            except OSError as err:
                raise CommandError(f"bash: {target}: {err.strerror}\n", 1)

    def _open_sockets(self, redirects) -> dict:
        """The `/dev/udp/HOST/PORT` targets, connected before the command runs."""
        sockets = {}
        for op, target in redirects:
            if ">" in op and "&" not in op and target.startswith("/dev/udp/"):
                from ipemu import devudp
                sockets[target] = devudp.connect(self.host.init_ns, target)
        return sockets

    def _redirect(self, redirects, inner: Terminal, term: Terminal, status: int,
                  sockets: dict | None = None, name: str = "") -> int:
        """Files named by `>`: /dev/null, /proc/sys (the namespace's sysctls), a
        /dev/udp socket (what the command wrote is one datagram), or a file of the
        session. Writing /proc/sys fails like bash when the key does not exist."""
        for op, target in redirects:
            if ">" not in op or "&" in op or target == "/dev/null":
                continue
            fd = "stderr" if op.startswith("2") else "stdout"
            text = inner.stream(fd)
            if sockets and target in sockets:
                if text:
                    from ipemu.devudp import send
                    error = send(sockets[target], text, name)
                    if error is not None and fd == "stdout":
                        term.err(error)
                        status = 1
                    # the writer lives on a moment: the datagram and what it
                    # provokes (a port unreachable) happen before the next command
                    self.host.clock.advance(WRITE_TIME)
            elif target.startswith("/proc/sys/"):
                key = target[len("/proc/sys/"):].replace("/", ".")
                from ipemu.tools.sysctl import lookup
                if lookup(self.host.init_ns, key) is None:
                    term.err(f"bash: {target}: No such file or directory\n")
                    return 1
                # nothing written, nothing changed (`true > FILE`); a failed write to
                # stderr goes unreported
                from ipemu.tools.sysctl import write_value
                if text and not write_value(self.host.init_ns, key, text) and fd == "stdout":
                    from ipemu.output import write_error
                    term.err(write_error(name, "Invalid argument"))
                    status = 1
            else:
                from ipemu.output import encode
                try:
                    self.write_file(target, encode(text), append=True)
                except OSError as err:
                    term.err(f"bash: {target}: {err.strerror}\n")
                    return 1
        _apply_redirects(redirects, inner, term)
        return status

    def _stdout_file(self, redirects) -> str | None:
        """The host file standard output goes to (cat and grep refuse to read it)."""
        path = None
        for op, target in redirects:
            if op in (">", ">>", "1>", "1>>"):
                path = None if target.startswith(("/dev/", "/proc/")) else self._path(target)
        return path

    def _dispatch(self, argv: list[str], term: Terminal, stdin: str | None = None,
                  netns=None, output: str | None = None):
        if not argv:
            return 0
        name = argv[0]
        module_name = TOOLS.get(name)
        if module_name is None:
            from ipemu.tools.textutils import TEXT_TOOLS
            if name in TEXT_TOOLS:
                return TEXT_TOOLS[name](argv, "" if stdin is None else stdin, term,
                                         self.open_text,
                                         lambda n: output is not None and self._path(n) == output)
            term.err(f"bash: {name}: command not found\n")
            return 127
        module = importlib.import_module(module_name)
        ctx = ToolContext(self.host, netns or self.host.init_ns, term, self.profile, self,
                          stdin)
        try:
            return module.main(ctx, argv)
        except CommandError as err:
            term.err(err.message)
            return err.status
        except Exception as err:  # noqa: BLE001 - a bug must not cost the user the host
            term.err(f"ipemu: internal error in `{name}`: {type(err).__name__}: {err}\n"
                     "ipemu: the host is unchanged by the failed part; please report this line\n")
            return 70

    def _path(self, name: str) -> str:
        return self.fs.resolve(name, self.cwd)

    def write_file(self, name: str, data: bytes, append: bool = False) -> None:
        """Create, truncate or append to a file (OSError as open(2) fails)."""
        self.fs.write(self._path(name), data, append)

    def check_writable(self, name: str) -> None:
        """The OSError opening `name` for writing would raise, without writing."""
        self.fs.check_writable(self._path(name))

    def can_write(self, name: str) -> bool:
        try:
            self.check_writable(name)
        except OSError:
            return False
        return True

    def open_file(self, name: str) -> bytes:
        """A file's content (OSError: ENOENT, EISDIR, ENOTDIR)."""
        return self.fs.read(self._path(name))

    def read_file(self, name: str) -> bytes | None:
        try:
            return self.open_file(name)
        except OSError:
            return None

    def open_text(self, name: str) -> str:
        """A file as text for cat and friends: the host's files and /proc/sys."""
        path = self._path(name)
        if path.startswith("/proc/sys/"):
            from ipemu.tools.sysctl import lookup
            value = lookup(self.host.init_ns, path[len("/proc/sys/"):].replace("/", "."))
            if value is None:
                raise OSError(2, "No such file or directory", path)
            return value + "\n"
        from ipemu.output import decode
        return decode(self.fs.read(path))

    def read_text(self, name: str) -> str | None:
        try:
            return self.open_text(name)
        except OSError:
            return None

    def dispatch(self, argv: list[str], term: Terminal, netns=None):
        """Run a command for another tool (`timeout CMD`, `ip netns exec`): an exit
        status or a started Process."""
        return self._dispatch(argv, term, netns=netns)

    def terminate(self, proc: Process) -> None:
        proc.signal(SIGTERM)


def _apply_redirects(redirects: list[tuple[str, str]], inner: Terminal, outer: Terminal) -> None:
    """Route the command's streams: `>/dev/null`, `2>/dev/null`, `2>&1`."""
    targets: dict[str, str | None] = {"stdout": "stdout", "stderr": "stderr"}
    for op, target in redirects:
        fd = "stderr" if op.startswith("2") else "stdout"
        if op.endswith("&1"):
            targets["stderr"] = targets["stdout"]
        elif op.endswith("&2"):
            targets["stdout"] = targets["stderr"]
        elif ">" in op:
            targets[fd] = None
    for stream, text in inner.chunks:
        where = targets[stream]
        if where is not None:
            outer.chunks.append((where, text))
