"""The live shell: one machine on real time, its own terminal and the terminals
attached to it (attach.py), all in one asyncio loop.

The loop runs the event engine (drivers.RealTimeDriver) between and during commands:
DAD finishes while a person types, ping prints a line per second. A foreground line is
started, polled and maybe interrupted (Ctrl-C is SIGINT to its job); background jobs
write to the terminal as they go, and bash's `[N]+  Done ...` notices come before the
next prompt. The engine is never blocked: only the loop sleeps, for as long as the
driver says nothing is due.
"""
from __future__ import annotations

import asyncio
import signal
import sys
from functools import partial
from collections.abc import Callable

from ipemu.drivers import RealTimeDriver
from ipemu.machine import Machine
from ipemu.plainclass import dataclass, field
from ipemu.session import Session
from ipemu.tools.context import Sink, Terminal

MAX_SLEEP = 0.5     # seconds the loop sleeps at most (new input wakes it anyway)


def prompt_text(shell: Session) -> str:
    """The prompt of Debian's and CentOS's root: `[root@HOST DIR]# `, DIR as bash's
    `\\W` shows the working directory (`~` at home)."""
    cwd = shell.cwd
    home = shell.fs.home
    where = "~" if cwd == home else (cwd.rsplit("/", 1)[-1] or "/")
    return f"[root@{shell.host.hostname} {where}]# "


def history_path() -> str:
    """Where the lines typed are kept across runs: the user's state directory
    ($XDG_STATE_HOME/ipemu/history, else ~/.local/state/ipemu/history), never the
    simulated home."""
    import os
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "ipemu", "history")


def make_prompt(**options):
    """A PromptSession as bash's readline: history from the history file, and Ctrl-C
    on a half-typed line shows `^C` and gives a new prompt (the line is dropped);
    `options` are PromptSession's (completion, a lab's toolbar)."""
    import os

    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings

    path = history_path()
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        history = FileHistory(path)
    except OSError:
        history = InMemoryHistory()
    bindings = KeyBindings()

    @bindings.add("c-c")
    def _abandon(event) -> None:
        buf = event.app.current_buffer
        buf.cursor_position = len(buf.text)
        buf.insert_text("^C")
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    return PromptSession(history=history, key_bindings=bindings, **options)


def exit_request(line: str, status: int) -> int | None:
    """bash's `exit [N]` and `logout`: the status to leave with, None for any other line."""
    words = line.split()
    if not words or words[0] not in ("exit", "logout"):
        return None
    if len(words) > 1 and words[1].isdigit():
        return int(words[1]) & 0xFF
    return status


@dataclass
class ScreenSink:
    """The process's own terminal: each write reaches the screen at once. While a
    prompt is shown it goes above it (prompt_toolkit's stdout proxy); otherwise
    straight to the terminal, so it is not held back behind the terminal's own echo
    (the ^C of a Ctrl-C)."""

    prompt: object = None     # the PromptSession reading lines, if any

    def write(self, stream: str, text: str) -> bool:
        app = getattr(self.prompt, "app", None)
        if app is not None and app.is_running:
            out = sys.stdout
        else:
            out = sys.__stdout__ if stream == "stdout" else sys.__stderr__
        out.write(text)
        out.flush()
        return True


@dataclass
class LiveTerminal:
    """One terminal on the live machine: a shell with its own jobs and `$?`, and an
    event the terminal's front end awaits while a foreground line runs."""

    engine: "Engine"
    shell: Session
    idle: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self, line: str) -> int:
        """Run a line in the foreground; returns when it has ended."""
        self.idle.clear()
        if self.shell.start_line(line):
            self.engine.wake.set()
            await self.idle.wait()
        if self.engine.after_line is not None:
            self.engine.after_line()       # saving --state, after every command line
        return self.shell.last_status

    def interrupt(self) -> None:
        """Ctrl-C typed on this terminal."""
        self.shell.interrupt()
        self.engine.wake.set()

    def suspend(self) -> None:
        """Ctrl-Z typed on this terminal: the foreground job stops."""
        self.shell.suspend()
        self.engine.wake.set()

    def pump(self) -> None:
        if not self.shell.poll():
            self.idle.set()

    def notices(self) -> str:
        return self.shell.notices()


@dataclass
class Engine:
    """The real-time driver of one machine and the terminals open on it."""

    machine: Machine
    driver: RealTimeDriver
    terminals: list[LiveTerminal] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    after_line: Callable[[], None] | None = None

    @classmethod
    def create(cls, machine: Machine) -> "Engine":
        """Virtual time runs with the wall clock from now on, and the host's clock
        shows the time of day (tcpdump's timestamps, ping's `time`)."""
        import time
        clock = machine.host.clock
        clock.epoch = time.time() - clock.now
        return cls(machine, RealTimeDriver(clock))

    def open(self, sink: Sink, shell: Session | None = None) -> LiveTerminal:
        """A terminal on the machine: a new shell, or `shell` given a live terminal."""
        if shell is None:
            shell = self.machine.shell()
        shell.term = Terminal(sink=sink)
        term = LiveTerminal(self, shell)
        self.terminals.append(term)
        return term

    def close(self, term: LiveTerminal) -> None:
        """The terminal went away: its jobs get SIGHUP, its shell leaves."""
        self.machine.close_shell(term.shell)
        if term in self.terminals:
            self.terminals.remove(term)
        term.idle.set()

    def step(self) -> float:
        """Run what is due by the wall clock and resume the terminals' lines; returns
        how long the loop may sleep."""
        self.driver.poll()
        for term in list(self.terminals):
            term.pump()
        return self.driver.delay(MAX_SLEEP)

    async def run(self) -> None:
        while True:
            try:
                delay = self.step()
            except Exception as err:  # noqa: BLE001 - a bug must not stop the host's time
                sys.stderr.write(f"ipemu: internal error in the event engine: "
                                 f"{type(err).__name__}: {err}\n")
                delay = MAX_SLEEP
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=delay)
            except asyncio.TimeoutError:
                pass
            self.wake.clear()


def _write(text: str) -> None:
    """Between prompts: straight to the terminal (in order with ScreenSink's writes)."""
    sys.__stdout__.write(text)
    sys.__stdout__.flush()


PS2 = "> "


async def _complete_line(read_line, line: str) -> str | None:
    """A construct typed over several lines (`for ...` then `> do ...`): bash reads
    more lines with PS2 until it is complete. Ctrl-D in the middle gives bash's
    `syntax error: unexpected end of file` (None: the line is dropped)."""
    from ipemu.bash.parser import incomplete
    while incomplete(line):
        try:
            more = await read_line(PS2)
        except EOFError:
            from ipemu.bash.parser import ShellSyntaxError, parse
            try:
                parse(line)
            except ShellSyntaxError as err:
                _write(f"bash: {err.message}\n")
            return None
        line += "\n" + more
    return line


def prompt_reader(prompt):
    """The prompt's read, leaving SIGINT to interact(): prompt_toolkit's own handler,
    removed when each prompt ends, would take interact()'s with it."""
    return partial(prompt.prompt_async, handle_sigint=False)


async def interact(read_line, run, interrupt, notices, prompt, suspend=None) -> int:
    """The loop of a terminal with a person at it: notices, prompt, line, run it with
    Ctrl-C delivered as SIGINT (and Ctrl-Z as SIGTSTP to `suspend`), until `exit` or
    Ctrl-D. `read_line(prompt)` awaits the next line (EOFError at Ctrl-D); `run(line)`
    awaits the line's end."""
    from ipemu.bash.parser import incomplete
    incomplete("true")      # load the shell's parser before the first line
    loop = asyncio.get_running_loop()
    running = False

    def deliver(action):
        def handler():
            if running:         # at the prompt bash ignores both (and the terminal is
                action()        # raw there: ^C and ^Z are keys, not signals)
        return handler

    # The handlers stay for the whole loop: from the moment a typed line leaves the
    # prompt the terminal is cooked, and a Ctrl-Z typed before `run` has started the
    # line would otherwise stop ipemu itself (SIGTSTP's default). The loop runs the
    # handler only when this coroutine next awaits, so the line has started by then
    # and the signal reaches its foreground job, as the tty gives it to the job's
    # process group.
    loop.add_signal_handler(signal.SIGINT, deliver(interrupt))
    if suspend is not None:
        loop.add_signal_handler(signal.SIGTSTP, deliver(suspend))
    status = 0
    try:
        while True:
            _write(notices())
            try:
                line = await read_line(prompt())
                line = await _complete_line(read_line, line)
            except KeyboardInterrupt:
                continue            # bash: Ctrl-C abandons the line being typed
            except EOFError:
                _write("logout\n")
                return status
            if line is None:
                status = 2          # bash: the construct ended at Ctrl-D; it said so
                continue
            leave = exit_request(line, status)
            if leave is not None:
                _write("logout\n")
                return leave
            # in the foreground the terminal is cooked: its Ctrl-C is our SIGINT (and
            # the terminal itself echoes ^C, as it does for a real ping)
            running = True
            try:
                status = await run(line)
            finally:
                running = False
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        if suspend is not None:
            loop.remove_signal_handler(signal.SIGTSTP)


async def _main(shell: Session, name: str | None, after_line) -> int:
    import shutil

    from prompt_toolkit.patch_stdout import patch_stdout
    from prompt_toolkit.shortcuts import CompleteStyle

    from ipemu.labs.toolbar import prompt_options
    from ipemu.shell import attach

    engine = Engine.create(shell.machine)
    engine.after_line = after_line
    from ipemu.shell.complete import make_completer
    # a lab's machine shows its progress on the bottom line (ipemu/labs/)
    prompt = make_prompt(completer=make_completer(shell),
                         complete_style=CompleteStyle.READLINE_LIKE, **prompt_options(shell))
    term = engine.open(ScreenSink(prompt), shell)
    engine_task = asyncio.create_task(engine.run())
    server = await attach.serve(engine, name)

    async def run(line: str) -> int:
        # `history` sees every line typed so far (this one too, as bash adds it
        # before running it); `ls` the terminal's width now
        shell.history = list(prompt.history.get_strings())
        shell.columns = shell.winsize = shutil.get_terminal_size().columns
        return await term.run(line)

    try:
        with patch_stdout(raw=True):
            return await interact(prompt_reader(prompt), run, term.interrupt,
                                  term.notices, partial(prompt_text, term.shell),
                                  term.suspend)
    finally:
        engine_task.cancel()
        if server is not None:
            await server.close()


def run_live(shell: Session, name: str | None = None, after_line=None) -> int:
    """The interactive shell on a terminal: `shell`'s machine on real time, named
    `name` for `ipemu attach` (a default name when None); `after_line()` runs after
    every command line of any of its terminals."""
    from ipemu.shell.attach import AttachError
    try:
        return asyncio.run(_main(shell, name, after_line))
    except AttachError as err:
        sys.stderr.write(f"ipemu: {err}\n")
        return 1
