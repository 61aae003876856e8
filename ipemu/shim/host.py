"""The host's side of a shimmed call: one connection of the attach protocol
(ipemu/shell/attach.py) that asks to run an argv instead of typing lines.

    shim -> host   {"run": ["ip", "-br", "addr"], "cwd": "/real/dir", "netns": null,
                    "stdin": null}
                   {"run": ["bash", "-c", "LINE"], "line": "LINE", ...}   `ipemu --name
                                                     NAME -c LINE`: a line of the shell
                   {"signal": "INT" | "TERM" | "HUP" | "QUIT" | "KILL"}
                   {"signal": "STOP"}, {"signal": "CONT"}   Ctrl-Z and `fg` of the shim
    host -> shim   {"out": "text", "fd": 1|2}        as the tool writes it
                   {"exec": ["bash", "-c", "..."], "netns": "ns1"}
                                                     `ip netns exec`: a real program
                   {"exit": N}                       the call has ended with status N
                   {"execve": true}                  ... by becoming the last `exec`

The argv runs as bash has already split it: it never goes through ipemu's shell
grammar. A "line" (`ipemu --name NAME -c LINE`) does: the host's shell runs it as
`ipemu -c` runs a line, every program in it ipemu's (nothing is handed back to exec).
Each call is a shell of its own on the host's machine, in the namespace the
shim remembers (`IPEMU_NETNS`, set by `ip netns exec`), with the call's real working
directory as its home, so `tcpdump -w cap.pcap` and `ip -batch FILE` use the
script's files and nothing outside that directory.

`ip netns exec NS CMD` does not run CMD here: the host tells the shim to exec the real
CMD with the namespace remembered (the only place a real program is started, and only
the one the user named). A CMD the shims stand in for (`ip netns exec ns1 ip addr`)
runs on the host at once, as its shim would. `ip -all netns exec` asks for one program per namespace
after its `netns: NAME` heading, and the shim runs each to its end in turn.
"""
from __future__ import annotations

import shlex

from ipemu.plainclass import dataclass, replace
from ipemu.process import SIGHUP, SIGINT, SIGKILL, SIGTERM, Process
from ipemu.session import Foreground, Session, Steps, Waiting
from ipemu.shim import TOOLS
from ipemu.tools.context import Terminal

SIGQUIT = 3
SIGNALS = {"INT": SIGINT, "TERM": SIGTERM, "HUP": SIGHUP, "QUIT": SIGQUIT,
           "KILL": SIGKILL}

# iputils: ping called as ping4 / ping6 (Debian's symlinks) picks the family from the
# last letter of its name, as -4 / -6 do (ping/ping.c main())
_FAMILY_NAMES = {"ping4": ["ping", "-4"], "ping6": ["ping", "-6"]}


@dataclass
class _Renamed:
    """ping4/ping6's errors: iputils prints them with error(), which names the
    program as it was called (`ping6: ::1: ...`); ipemu's ping says `ping: `."""

    inner: object          # attach.SocketSink, or the Terminal of `ip netns exec`
    name: str

    def send(self, message: dict) -> None:
        self.inner.send(message)

    def write(self, stream: str, text: str) -> bool:
        if stream == "stderr" and text.startswith("ping: "):
            text = f"{self.name}: " + text[len("ping: "):]
        self.inner.write(stream, text)
        return True


def _tool_argv(argv: list[str]) -> list[str]:
    """The argv of ipemu's tool for a shimmed program (named by a path or not)."""
    tool = argv[0].rsplit("/", 1)[-1]
    return _FAMILY_NAMES.get(tool, [tool]) + list(argv[1:])


class CallError(Exception):
    """A request the host cannot run: a one-line reason, sent to the shim."""


class NetnsExec(Process):
    """What `ip netns exec NS CMD` gives back under a shim: CMD is a real program the
    shim execs in NS, so on the host it has ended at once."""

    def __init__(self, host, term, argv: list[str], netns: str):
        super().__init__(host, term)
        self.argv = argv
        self.netns = netns
        self.done = True


@dataclass
class ShimShell(Session):
    """A shell that runs one argv, as a shimmed program does, instead of lines."""

    call_argv: list = None
    call_netns: object = None      # the NetNamespace the call runs in
    call_stdin: str | None = None
    call_line: str | None = None   # `ipemu --name NAME -c LINE`: a line, not an argv
    ended_by: int = 0              # ... and the signal that ended it (deliver())
    sink: object = None            # the connection (attach.SocketSink)
    replaced: bool = False         # the call ended by asking the shim to exec a program

    def start_line(self, line: str) -> bool:
        if self.call_line is not None:
            return super().start_line(self.call_line)
        self.foreground = Foreground(line, self._call_steps())
        return self._resume(None)

    def _call_steps(self) -> Steps:
        result = self._dispatch(_tool_argv(self.call_argv), self.term, self.call_stdin,
                                netns=self.call_netns)
        if isinstance(result, NetnsExec):
            self.replaced = True        # `ip netns exec`: the shim becomes CMD
            result = 0
        elif isinstance(result, Process):
            yield Waiting(result, None)
            result = result.status
        self.last_status = result
        return result

    def poll(self) -> bool:
        """Resume the call once its program has ended (no bash on the host: the
        shim's own shell prints what a signal's end means)."""
        fg = self.foreground
        if fg is None:
            return False
        if fg.waiting is not None and not fg.waiting.proc.done:
            return True
        proc = fg.waiting.proc if fg.waiting is not None else None
        killed = self.call_line is not None and fg.interrupted and proc is not None \
            and proc.status == 128 + SIGINT
        if killed or self.ended_by:
            # bash -c: a program SIGINT killed ends the line (one that caught it, as
            # ping does, lets the line go on); a SIGTERM ends bash itself
            fg.steps.close()
            self.last_status = 128 + (self.ended_by or SIGINT)
            self.foreground = None
            return False
        return self._resume(None)

    def dispatch(self, argv: list[str], term, netns=None, stdin=None, not_found=None):
        """`ip netns exec`: tell the shim to exec the real program in `netns` (it
        comes after what the tool wrote before, as the real fork/exec does). A tool
        the shims stand in for runs here at once, as its shim would run it (`stdin`
        is unused: a shim's program reads the real process's own input). In a line
        call every program is the host's, as in `ipemu -c`."""
        if self.call_line is not None:
            return super().dispatch(argv, term, netns, stdin, not_found)
        tool = argv[0].rsplit("/", 1)[-1] if argv else ""
        if tool in TOOLS:
            if tool in _FAMILY_NAMES:
                term = Terminal(sink=_Renamed(term, tool))
            return self._dispatch(_tool_argv(argv), term, self.call_stdin, netns=netns)
        name = (netns or self.host.init_ns).name
        self.sink.send({"exec": list(argv), "netns": name})
        return NetnsExec(self.host, term, list(argv), name)


def open_call(engine, sink, message: dict):
    """The terminal of one shimmed call on the engine's machine (a LiveTerminal whose
    shell is a ShimShell); CallError when the request cannot run."""
    argv = message.get("run")
    if not argv or not all(isinstance(word, str) for word in argv):
        raise CallError("the shim sent no command")
    machine = engine.machine
    netns = machine.host.init_ns
    name = message.get("netns")
    if name:
        netns = machine.host.namespaces.get(name)
        if netns is None:
            raise CallError(f"the network namespace {name} (remembered by ip netns "
                            "exec) no longer exists")
    fs = machine.fs
    cwd = message.get("cwd")
    line = message.get("line")
    if isinstance(cwd, str) and cwd.startswith("/"):
        # the call's working directory is its home, real files (ipemu/files.py);
        # the simulated tree around it is the host's, shared by every call. A line
        # (`ipemu -c`) sees it as `ipemu -c` does: at root's home, /root
        fs = replace(machine.fs, real_home=cwd) if isinstance(line, str) else \
            replace(machine.fs, home=cwd, real_home=cwd)
    stdin = message.get("stdin")
    if argv[0] in _FAMILY_NAMES:
        sink = _Renamed(sink, argv[0])
    shell = ShimShell(machine.host, machine.profile, fs=fs, cwd=fs.home, machine=machine,
                      columns=None, call_argv=argv, call_netns=netns,
                      call_stdin=stdin if isinstance(stdin, str) else None,
                      call_line=line if isinstance(line, str) else None, sink=sink)
    return engine.open(sink, shell)


async def run_call(term, sink) -> None:
    """Run the call to its end and send how it ended."""
    shell = term.shell
    status = await term.run(shlex.join(shell.call_argv))
    sink.send({"execve": True} if shell.replaced else {"exit": status})


def deliver(term, name: object) -> None:
    """A signal the shim got, to the call's program: STOP and CONT (the shim's Ctrl-Z
    and `fg`) stop and continue it, its timers held as a stopped process's are; the
    others are sent to it (SIGTERM, SIGHUP, ...)."""
    fg = term.shell.foreground
    proc = fg.waiting.proc if fg is not None and fg.waiting is not None else None
    if name == "STOP" and proc is not None:
        proc.stop()
    elif name == "CONT" and proc is not None:
        proc.cont()
    elif isinstance(name, str) and name in SIGNALS:
        shell = term.shell
        if shell.call_line is not None and name != "INT":
            # `ipemu -c LINE` stands for `bash -c LINE`, which a SIGTERM, SIGHUP or
            # SIGQUIT ends (SIGINT only when it killed the program: see poll())
            shell.ended_by = SIGNALS[name]
        shell.interrupt(SIGNALS[name])
