"""The background host a shim starts on first use: a named live host (as `ipemu
--name NAME`) with no terminal of its own, serving attach's socket until `ipemu stop
NAME`. Beside the socket in the private directory: NAME.pid (its pid), NAME.lock
(held for its life, so two shims starting it at once start one host) and NAME.log
(what it would have printed: internal errors of the engine).
"""
from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import signal
import sys
import time

STOP_SECONDS = 5.0


def _files(name: str) -> tuple[str, str, str]:
    from ipemu.shell.attach import socket_path
    sock = socket_path(name)
    base = sock[: -len(".sock")]
    return sock, base + ".pid", base + ".lock"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ipemu-shim-host")
    parser.add_argument("--name", required=True)
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--ready-fd", type=int, default=None,
                        help="write `ok` (or why not) here once serving")
    opts = parser.parse_args(argv)
    ready = os.fdopen(opts.ready_fd, "w") if opts.ready_fd is not None else sys.stdout
    from ipemu.shell.attach import AttachError
    try:
        sock, pid_file, lock_file = _files(opts.name)
        lock = open(lock_file, "a")
    except (AttachError, OSError) as err:
        return _not_ready(ready, str(err))
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        ready.write("ok: already starting\n")     # another shim's host: connect to it
        ready.close()
        return 0
    try:
        machine = _boot(opts, ready)
        if machine is None:
            return 2
        return asyncio.run(_serve(machine, opts.name, pid_file, ready))
    except AttachError as err:
        return _not_ready(ready, str(err))
    finally:
        _clean(sock)


def _clean(sock: str) -> None:
    """The host has ended: its pid and lock files go, and its log unless something
    was written there (a failed start, an internal error)."""
    base = sock[: -len(".sock")]
    for path in (base + ".pid", base + ".lock", base + ".log"):
        try:
            if not path.endswith(".log") or os.path.getsize(path) == 0:
                os.unlink(path)
        except FileNotFoundError:
            pass


def _not_ready(ready, reason: str) -> int:
    if not ready.closed:
        ready.write(reason.rstrip("\n") + "\n")
        ready.close()
    return 2


def _boot(opts, ready):
    """The machine, booted from the scenario (its cached snapshot); None after saying
    why it cannot be."""
    from ipemu.errors import CommandError
    from ipemu.session import Session
    try:
        return Session.create(opts.profile, opts.scenario).machine
    except CommandError as err:
        _not_ready(ready, err.message)
    except KeyError as err:
        _not_ready(ready, f"ipemu: unknown profile {err}")
    return None


async def _serve(machine, name: str, pid_file: str, ready) -> int:
    from ipemu.shell import attach
    from ipemu.shell.live import Engine
    engine = Engine.create(machine)
    running = asyncio.create_task(engine.run())
    server = await attach.serve(engine, name)
    with open(pid_file, "w") as fh:
        fh.write(f"{os.getpid()}\n")
    ready.write("ok\n")
    ready.close()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    running.cancel()
    await server.close()
    return 0


# ------------------------------------------------------------------ ipemu stop
def _is_host(pid: int) -> bool:
    """Whether `pid` is a running host of ours (not a pid reused by another program,
    nor a zombie waiting for its parent)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"ipemu.shim.server" in fh.read()
    except OSError:
        return False


def stop(name: str) -> int:
    """`ipemu stop NAME`: end the background host NAME (its calls see it end)."""
    from ipemu.shell.attach import AttachError, _alive
    try:
        sock, pid_file, _ = _files(name)
        with open(pid_file) as fh:
            pid = int(fh.read().strip() or 0)
    except AttachError as err:
        sys.stderr.write(f"ipemu: {err}\n")
        return 1
    except (OSError, ValueError):
        if os.path.exists(sock) and _alive(sock):
            sys.stderr.write(f"ipemu: the host {name} was not started by a shim: end it "
                             "in its own terminal (exit)\n")
        else:
            sys.stderr.write(f"ipemu: no host named {name}\n")
        return 1
    if not _is_host(pid):
        sys.stderr.write(f"ipemu: no host named {name}\n")
        return 1
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while _is_host(pid):
        if time.monotonic() > deadline:
            sys.stderr.write(f"ipemu: the host {name} (pid {pid}) did not end\n")
            return 1
        time.sleep(0.01)
    return 0
