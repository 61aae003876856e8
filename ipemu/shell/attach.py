"""Several terminals on one host: `ipemu --name NAME` serves its machine on a Unix
socket, `ipemu attach [NAME]` opens another terminal on it from another window.

The socket lives in a private directory ($XDG_RUNTIME_DIR/ipemu, else /tmp/ipemu-UID,
mode 0700, owned by the user), never on a network port. The owning process runs the
engine; a client sends lines and Ctrl-C and receives output as it is written. The
protocol is JSON, one object per line:

    client -> host   {"line": "ping 10.0.2.2"}   {"signal": "INT"}   {"eof": true}
    host -> client   {"out": "text", "fd": 1|2}   {"prompt": "[root@ipemu ~]# "}

A shim (ipemu/shim/) sends {"run": argv, ...} instead of lines: the connection then
runs that one program and ends with {"exit": N} (the messages are in shim/host.py).

A `prompt` says the terminal's foreground line has ended (bash's job notices come as
output just before it).
"""
from __future__ import annotations

import asyncio
import errno
import json
import os
import re
import socket
import stat
import sys

from ipemu.plainclass import dataclass, field

DEFAULT_NAME = "default"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class AttachError(Exception):
    """A one-line reason why a host cannot be served or attached to."""


def socket_dir() -> str:
    """The private directory of the user's host sockets, made if missing; refused
    when someone else owns it or others may enter it."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    path = os.path.join(runtime, "ipemu") if runtime else f"/tmp/ipemu-{os.getuid()}"
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as err:
        raise AttachError(f"{path}: {err.strerror}")
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or \
            info.st_mode & 0o077:
        raise AttachError(f"{path}: not a private directory (want mode 0700, yours)")
    return path


def socket_path(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise AttachError(f"bad host name '{name}' (letters, digits, '.', '_', '-')")
    return os.path.join(socket_dir(), name + ".sock")


def _alive(path: str) -> bool:
    """Whether a host answers on this socket (a file left by a dead one does not)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
        return True
    except OSError as err:
        if err.errno in (errno.ECONNREFUSED, errno.ENOENT):
            return False
        raise AttachError(f"{path}: {err.strerror}")
    finally:
        probe.close()


def claim(name: str | None) -> tuple[str, str]:
    """The name and socket path a new host serves on: `name`, or the first free of
    default, default-2, ... A stale socket is taken over; a running host's is not."""
    candidates = [name] if name is not None else \
        [DEFAULT_NAME] + [f"{DEFAULT_NAME}-{n}" for n in range(2, 100)]
    for candidate in candidates:
        path = socket_path(candidate)
        if os.path.exists(path):
            if _alive(path):
                continue
            os.unlink(path)
        return candidate, path
    raise AttachError(f"a host named {name} is already running" if name else
                      "too many hosts running")


# ---------------------------------------------------------------- the host side
@dataclass
class SocketSink:
    """An attached terminal: each write goes to the client at once."""

    writer: asyncio.StreamWriter

    def send(self, message: dict) -> None:
        if not self.writer.is_closing():
            self.writer.write(json.dumps(message).encode() + b"\n")

    def write(self, stream: str, text: str) -> bool:
        self.send({"out": text, "fd": 1 if stream == "stdout" else 2})
        return True


@dataclass
class Server:
    name: str
    path: str
    server: asyncio.AbstractServer
    attachments: "Attachments"

    async def close(self) -> None:
        """The host ends: its attached terminals see the connection close."""
        self.server.close()
        for writer in list(self.attachments.writers):
            writer.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


@dataclass
class Attachments:
    """The host's end: each connection is a new terminal on the engine's machine."""

    engine: object     # shell.live.Engine
    writers: set = field(default_factory=set)

    async def connection(self, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
        sink = SocketSink(writer)
        term = self.engine.open(sink)
        running: asyncio.Task | None = None
        self.writers.add(writer)
        self._prompt(term, sink)
        try:
            while raw := await reader.readline():
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                if not isinstance(message, dict) or message.get("eof"):
                    break
                if message.get("signal") == "TSTP":
                    term.suspend()
                elif message.get("signal", "INT") != "INT":     # a shim relays kill's
                    from ipemu.shim.host import deliver
                    deliver(term, message["signal"])
                    self.engine.wake.set()
                elif "signal" in message:
                    term.interrupt()
                elif "run" in message and running is None:
                    term, running = self._call(term, sink, message)
                elif isinstance(message.get("line"), str) and \
                        (running is None or running.done()):
                    running = asyncio.create_task(self._run(term, sink, message["line"]))
        except (ConnectionError, asyncio.CancelledError):
            pass    # the client went away, or the host is ending
        finally:
            if running is not None:
                running.cancel()
            self.engine.close(term)
            self.writers.discard(writer)
            writer.close()

    def _call(self, term, sink: SocketSink, message: dict):
        """A shim's request (ipemu/shim/host.py): the connection's terminal becomes
        the call's, which runs the argv and ends with its status."""
        from ipemu.shim.host import CallError, open_call, run_call
        try:
            call = open_call(self.engine, sink, message)
        except CallError as err:
            sink.send({"out": f"ipemu: {err}\n", "fd": 2})
            sink.send({"exit": 1})
            return term, asyncio.get_running_loop().create_future()
        self.engine.close(term)
        return call, asyncio.create_task(run_call(call, sink))

    async def _run(self, term, sink: SocketSink, line: str) -> None:
        await term.run(line)
        self._prompt(term, sink)

    @staticmethod
    def _prompt(term, sink: SocketSink) -> None:
        from ipemu.shell.live import prompt_text
        notices = term.notices()
        if notices:
            sink.write("stdout", notices)
        sink.send({"prompt": prompt_text(term.shell)})


async def serve(engine, name: str | None) -> Server:
    """Serve the engine's machine under `name` (a default name when None)."""
    name, path = claim(name)
    attachments = Attachments(engine)
    server = await asyncio.start_unix_server(attachments.connection, path)
    os.chmod(path, 0o600)
    return Server(name, path, server, attachments)


# -------------------------------------------------------------- the client side
class HostGone(Exception):
    """The host ended while this terminal was attached."""


@dataclass
class Client:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    prompts: asyncio.Queue
    current: str = ""
    session: object = None      # the PromptSession reading lines, if any
    screen: object = None       # shell.live.ScreenSink

    def send(self, message: dict) -> None:
        self.writer.write(json.dumps(message).encode() + b"\n")

    async def receive(self) -> None:
        """Print the host's output as it comes; queue each prompt."""
        try:
            while raw := await self.reader.readline():
                message = json.loads(raw)
                if "out" in message:
                    self.screen.write("stdout" if message.get("fd", 1) == 1 else "stderr",
                                      message["out"])
                elif "prompt" in message:
                    self.prompts.put_nowait(message["prompt"])
        except (ConnectionError, ValueError):
            pass
        self.prompts.put_nowait(None)
        app = getattr(self.session, "app", None)
        if app is not None and app.is_running:
            app.exit(exception=HostGone())     # the host ended while we were prompting

    async def next_prompt(self) -> None:
        prompt = await self.prompts.get()
        if prompt is None:
            raise HostGone()
        self.current = prompt

    def prompt(self) -> str:
        return self.current

    async def run(self, line: str) -> int:
        self.send({"line": line})
        await self.next_prompt()
        return 0

    def interrupt(self) -> None:
        self.send({"signal": "INT"})

    def suspend(self) -> None:
        self.send({"signal": "TSTP"})

    @staticmethod
    def notices() -> str:
        return ""     # the host sends them as output before its prompt


async def _attach(path: str, name: str) -> int:
    from prompt_toolkit.patch_stdout import patch_stdout

    from ipemu.shell.live import interact, make_prompt, prompt_reader
    try:
        reader, writer = await asyncio.open_unix_connection(path)
    except OSError:
        raise AttachError(f"no host named {name} is running (stale socket {path})")
    from ipemu.shell.live import ScreenSink
    client = Client(reader, writer, asyncio.Queue(), screen=ScreenSink())
    receiving = asyncio.create_task(client.receive())
    try:
        if sys.stdin.isatty():
            prompt = make_prompt()
            client.session = client.screen.prompt = prompt
            with patch_stdout(raw=True):
                await client.next_prompt()
                status = await interact(prompt_reader(prompt), client.run, client.interrupt,
                                        client.notices, client.prompt, client.suspend)
        else:
            await client.next_prompt()
            status = await interact(_read_piped, client.run, client.interrupt,
                                    client.notices, client.prompt)
        client.send({"eof": True})
        await writer.drain()
        return status
    except HostGone:
        sys.stderr.write(f"ipemu: the host {name} has ended\n")
        return 1
    finally:
        receiving.cancel()
        writer.close()


async def _read_piped(prompt: str) -> str:
    """A line of input that is not a terminal (a pipe): no prompt is shown."""
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise EOFError
    return line.rstrip("\n")


def attach(name: str | None) -> int:
    """`ipemu attach [NAME]`: another terminal on a running host."""
    name = name or DEFAULT_NAME
    try:
        path = socket_path(name)
        if not os.path.exists(path):
            raise AttachError(f"no host named {name}")
        return asyncio.run(_attach(path, name))
    except AttachError as err:
        sys.stderr.write(f"ipemu: {err}\n")
        return 1
