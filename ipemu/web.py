"""The shell in a web page (web/): what the page's JavaScript calls.

The page runs this module in Pyodide on the browser's main thread. Nothing here
blocks: the page starts a line, then calls `step()` from `setTimeout` for as long as
`step()` says (the real-time driver's poll_at(), ipemu/drivers.py), delivers Ctrl-C
with `interrupt()`, and drains what the terminal received with `output()`. The host
is kept as a state document (ipemu/state.py) in the browser's storage between loads.

Plain values cross the boundary (str, float, bool, lists, dicts of them), so the
page's side stays a small front end: a line editor over xterm.js.
"""
from __future__ import annotations

import zlib

from ipemu.drivers import RealTimeDriver
from ipemu.errors import CommandError
from ipemu.plainclass import dataclass, field
from ipemu.session import Session
from ipemu.tools.context import Terminal

MAX_DELAY = 0.25    # seconds the page waits at most between steps while a line runs
IDLE_DELAY = 1.0    # ... and at the prompt (DAD, neighbours ageing, background jobs)

# the mtime of every installed file in the page (the zip epoch): the same on every
# load and at build time, so the booted hosts built with the wheel stay valid
INSTALL_MTIME = 315532800

# the first bytes of a capture file (pcap in both byte orders, nanosecond pcap, pcapng)
CAPTURE_MAGIC = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1",
                 b"\xa1\xb2\x3c\x4d", b"\x0a\x0d\x0d\x0a")


@dataclass
class PageSink:
    """The page's terminal: what is written waits here until the page drains it."""

    chunks: list[str] = field(default_factory=list)

    def write(self, stream: str, text: str) -> bool:
        self.chunks.append(text)
        return True


@dataclass
class WebShell:
    """One host and the shell of the page's terminal, on real time."""

    shell: Session
    driver: RealTimeDriver
    sink: PageSink
    captures: dict[str, int] = field(default_factory=dict)   # path -> crc32 offered
    notice: str = ""    # why a saved host was not used, shown before the first prompt

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, scenario: str = "default", profile: str = "default", seed: int = 0,
             lab: str = "", state: str = "") -> "WebShell":
        """The host saved in `state` (a document from `save()`), else a new one from
        the lab or the scenario. Raises CommandError with the one line the command
        line would print for a name it does not know or a state it cannot read."""
        shell, notice = _restore(state) if state else (None, "")
        if shell is None:
            shell = _boot(scenario, profile, seed, lab)
        page = cls.attach(shell)
        page.notice = notice
        return page

    @classmethod
    def attach(cls, shell: Session) -> "WebShell":
        """Put `shell` on the page's terminal and virtual time on the wall clock,
        with the time of day on the host's clock (as live.Engine.create does)."""
        import time
        sink = PageSink()
        shell.term = Terminal(sink=sink)
        clock = shell.host.clock
        clock.epoch = time.time() - clock.now
        page = cls(shell, RealTimeDriver(clock), sink)
        page.captures = {path: _crc(data) for path, data in shell.fs.files.items()
                         if data.startswith(CAPTURE_MAGIC)}
        return page

    def intro(self) -> str:
        """What is shown before the first prompt: a lab's task, and why a saved host
        was passed over."""
        run = self.shell.machine.lab
        task = run.task(self.shell.host) + "\n" if run is not None else ""
        return self.notice + task

    # ------------------------------------------------------------------- lines
    def prompt(self) -> str:
        from ipemu.shell.live import prompt_text
        return prompt_text(self.shell)

    def start(self, line: str, history: list[str] | None = None, columns: int = 80) -> bool:
        """Run a typed line in the foreground; True while it runs (then `step()`).
        `history` is what `history` lists (this line last, as bash adds it first)."""
        from ipemu.shell.live import exit_request
        self.shell.history = list(history or [])
        self.shell.columns = self.shell.winsize = columns
        if exit_request(line, self.shell.last_status) is not None:
            self._relogin()
            return False
        self.driver.poll()
        return self.shell.start_line(line)

    def _relogin(self) -> None:
        """`exit`/`logout` in a page: bash prints `logout`; the page logs in again
        (a new shell on the same host, as a new terminal would)."""
        self.sink.write("stdout", "logout\n")
        old = self.shell
        self.shell = old.machine.shell(term=old.term)
        old.machine.close_shell(old)

    def step(self) -> float:
        """poll(now): run what is due by the wall clock and resume the foreground
        line; returns how many seconds the page may wait before the next call."""
        self.driver.poll()
        running = self.shell.poll()
        return self.driver.delay(MAX_DELAY if running else IDLE_DELAY)

    @property
    def busy(self) -> bool:
        return self.shell.busy

    def interrupt(self) -> None:
        """Ctrl-C: SIGINT to the foreground job (the terminal echoes `^C`)."""
        self.sink.write("stdout", "^C")
        self.shell.interrupt()

    def suspend(self) -> None:
        """Ctrl-Z: SIGTSTP stops the foreground job."""
        self.sink.write("stdout", "^Z")
        self.shell.suspend()

    def notices(self) -> str:
        """bash's `[N]+  Done ...` lines, before a prompt."""
        return self.shell.notices()

    def output(self) -> str:
        """What the terminal received since the last call."""
        text = "".join(self.sink.chunks)
        self.sink.chunks.clear()
        return text

    # ------------------------------------------------------------- completion
    def complete(self, text: str) -> dict:
        """Tab on `text` (the line up to the cursor): the words that may replace its
        last word (ipemu/shell/complete.py, from the grammars and the live host) and
        where that word starts."""
        from ipemu.shell.complete import _current_command, completions
        typed = _current_command(text)[-1]
        try:
            words = completions(text, self.shell)
        except Exception:  # noqa: BLE001 - a completion never costs the user the line
            words = []
        return {"start": len(text) - len(typed), "words": words}

    # ------------------------------------------------------- state and files
    def save(self) -> str:
        """The host, its files and this shell as a state document (JSON)."""
        from ipemu.state import dumps
        return dumps(self.shell)

    def downloads(self) -> list[list]:
        """Capture files (`tcpdump -w`) written or changed since the last call, as
        [name, bytes] pairs the page offers as downloads."""
        fresh = []
        for path, data in sorted(self.shell.fs.files.items()):
            if not data.startswith(CAPTURE_MAGIC):
                continue
            crc = _crc(data)
            if self.captures.get(path) != crc:
                self.captures[path] = crc
                fresh.append([path, bytes(data)])
        return fresh


def open_page(scenario: str = "default", profile: str = "default", seed: int = 0,
              lab: str = "", state: str = "") -> "WebShell | str":
    """WebShell.open for the page: the shell, or the one line (with its newline) that
    says why there is none, as `ipemu --scenario NAME` would print it."""
    try:
        return WebShell.open(scenario, profile, seed, lab, state)
    except CommandError as err:
        return err.message


def settle_install() -> None:
    """After the page unpacked the wheel: give its files the build's mtimes, which
    snapshot._code_fingerprint() reads (unpacking stamps them with the time of day),
    so the booted scenarios shipped in cache.zip are found."""
    import os
    import sys
    from ipemu.data import PACKAGE
    if sys.platform != "emscripten":
        return          # only a copy unpacked in the page: never a checkout's files
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            os.utime(os.path.join(folder, name), (INSTALL_MTIME, INSTALL_MTIME))


def _crc(data: bytes) -> int:
    return zlib.crc32(data) ^ (len(data) << 32)


def _restore(text: str) -> tuple[Session | None, str]:
    """The shell a saved document holds, or None and a line saying why not (the page
    then starts afresh: a saved host of another ipemu must not lock the learner out)."""
    from ipemu.state import StateError, loads
    try:
        shell = loads(text)
    except StateError as err:
        return None, f"ipemu: the saved host {err}: starting afresh\n"
    if not isinstance(shell, Session):
        return None, "ipemu: the saved host is not an ipemu state file: starting afresh\n"
    return shell, ""


def _boot(scenario: str, profile: str, seed: int, lab: str) -> Session:
    if lab:
        from ipemu.labs.run import LabRun
        return LabRun.start(lab, seed, profile)
    try:
        return Session.create(profile, scenario, None, seed)
    except KeyError as err:   # profiles.load: as the command line says it
        raise CommandError(f"ipemu: unknown profile {err}\n", 2) from None
