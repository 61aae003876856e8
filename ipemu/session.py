"""A shell session on a simulated host: runs command lines the way bash would
(lists, `&&`/`||`, redirections, background jobs) and dispatches each command to its
tool. Every front end (transcript runner, `ipemu -c`, the REPL) goes through here.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from ipemu.errors import CommandError
from ipemu.kernel.host import Host
from ipemu.profiles import Profile
from ipemu.profiles import load as load_profile
from ipemu.shell_line import CommandList, SimpleCommand, parse_line
from ipemu.tools.context import Terminal, ToolContext

# command name -> module with main(ctx, argv) -> int; imported on first use
TOOLS = {
    "ip": "ipemu.tools.ip",
    "route": "ipemu.tools.route",
    "bridge": "ipemu.tools.bridge",
    "sleep": "ipemu.tools.builtins",
    "true": "ipemu.tools.builtins",
    "false": "ipemu.tools.builtins",
    "echo": "ipemu.tools.builtins",
    "sysctl": "ipemu.tools.sysctl",
    "hostname": "ipemu.tools.builtins",
    "wait": "ipemu.tools.builtins",
}


@dataclass
class Job:
    number: int
    line: str
    output: Terminal
    status: int


@dataclass
class Session:
    host: Host
    profile: Profile
    jobs: list[Job] = field(default_factory=list)
    last_status: int = 0
    job_counter: int = 0

    @classmethod
    def create(cls, profile: str = "default", scenario: str = "bare",
               hostname: str | None = None, seed: int = 0) -> "Session":
        from ipemu.scenarios import boot
        prof = load_profile(profile)
        host = Host(seed=seed)
        session = cls(host, prof)
        boot(session, scenario)
        if hostname is not None:
            host.hostname = hostname
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
            self.job_counter += 1
            job_term = Terminal()
            status = self._run_list(parsed, job_term)
            self.jobs.append(Job(self.job_counter, line, job_term, status))
            self.last_status = 0
            return term, 0
        status = self._run_list(parsed, term)
        self.last_status = status
        return term, status

    def collect_jobs(self, term: Terminal) -> None:
        """`wait`: every background job's output, in the order they started."""
        for job in self.jobs:
            term.chunks.extend(job.output.chunks)
        self.jobs.clear()

    def _run_list(self, cmdlist: CommandList, term: Terminal) -> int:
        status = 0
        for op, pipeline in cmdlist.items:
            if op == "&&" and status != 0:
                continue
            if op == "||" and status == 0:
                continue
            status = self._run_pipeline(pipeline.commands, term)
        return status

    def _run_pipeline(self, commands: list[SimpleCommand], term: Terminal) -> int:
        if len(commands) > 1:
            from ipemu.tools.textutils import run_pipeline
            return run_pipeline(self, commands, term)
        return self.run_command(commands[0], term)

    def run_command(self, cmd: SimpleCommand, term: Terminal, stdin: str | None = None) -> int:
        inner = Terminal()
        status = self._dispatch(cmd.argv, inner, stdin)
        _apply_redirects(cmd.redirects, inner, term)
        return status

    def _dispatch(self, argv: list[str], term: Terminal, stdin: str | None = None) -> int:
        if not argv:
            return 0
        name = argv[0]
        module_name = TOOLS.get(name)
        if module_name is None:
            from ipemu.tools.textutils import TEXT_TOOLS
            if name in TEXT_TOOLS:
                return TEXT_TOOLS[name](argv, stdin or "", term)
            term.err(f"bash: {name}: command not found\n")
            return 127
        module = importlib.import_module(module_name)
        ctx = ToolContext(self.host, self.host.init_ns, term, self.profile, self)
        try:
            return module.main(ctx, argv)
        except CommandError as err:
            term.err(err.message)
            return err.status
        except Exception as err:  # noqa: BLE001 - a bug must not cost the user the host
            term.err(f"ipemu: internal error in `{name}`: {type(err).__name__}: {err}\n"
                     "ipemu: the host is unchanged by the failed part; please report this line\n")
            return 70


def _apply_redirects(redirects: list[tuple[str, str]], inner: Terminal, outer: Terminal) -> None:
    """Route the command's streams: `>/dev/null`, `2>/dev/null`, `2>&1`, `&>`."""
    targets = {"stdout": "stdout", "stderr": "stderr"}
    for op, target in redirects:
        fd = "stderr" if op.startswith("2") else "stdout"
        if op.endswith("&1"):
            targets["stderr"] = targets["stdout"]
        elif op.endswith("&2"):
            targets["stdout"] = targets["stderr"]
        elif ">" in op:
            targets[fd] = None if target == "/dev/null" else None
    for stream, text in inner.chunks:
        where = targets[stream]
        if where is not None:
            outer.chunks.append((where, text))
