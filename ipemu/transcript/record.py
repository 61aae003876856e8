"""`ipemu record SCRIPT -o FILE`: run a script's commands on the REAL kernel, in a
fresh network namespace, and write what they printed as a transcript.

This is the one part of ipemu that runs real tools. It refuses unless it is root on
Linux with `unshare`, `nsenter` and iproute2, and every command runs inside namespaces
it created: a new network, mount and UTS namespace (with its own sysfs and /run, so
`ip netns` and tcpdump see only the case's devices), never the host's, and a new PID
namespace with its own /proc: a PID a command names (`ip link set X netns 1`,
`nsenter -t 1 -n`, `ip netns attach NAME PID`) is one of the case's processes, whose
namespaces are the case's, never a host process's (PID 1 is the holder).

Each command line runs as `bash -c LINE` on its own pseudo-terminal, so stdout and
stderr interleave as on a screen; `COMMAND &` runs in the background on its own
terminal and its output is shown under the next `wait` (the transcript convention).
"""
from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ipemu.transcript.runner import script_lines

HOSTNAME = "oracle"
COMMAND_TIMEOUT = 60.0
SETUP = ("mount --make-rprivate / && mount -t sysfs none /sys && mount -t tmpfs none /run "
         "&& mount -t proc proc /proc "
         "&& mkdir -p /run/netns && hostname {host} && exec sleep infinity")


class RecordError(Exception):
    pass


def check_environment() -> None:
    if not sys.platform.startswith("linux"):
        raise RecordError("ipemu record: needs Linux (it runs the real tools in a network "
                          "namespace)")
    if os.geteuid() != 0:
        raise RecordError("ipemu record: needs root (it creates network namespaces)")
    for tool in ("unshare", "nsenter", "ip", "bash"):
        if shutil.which(tool) is None:
            raise RecordError(f"ipemu record: `{tool}` is not installed")


class Namespace:
    """A holder process in fresh net/mount/uts namespaces; commands enter it."""

    def __init__(self, hostname: str):
        self.proc = subprocess.Popen(
            ["unshare", "--net", "--mount", "--uts", "--pid", "--fork", "--kill-child",
             "--propagation", "private", "sh", "-c", SETUP.format(host=hostname)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.pid = None
        deadline = time.time() + 10
        while time.time() < deadline:
            child = self._child()
            if child is not None and self._ready(child):
                self.pid = child
                break
            time.sleep(0.05)
        if self.pid is None:
            self.close()
            raise RecordError("ipemu record: could not create the namespace")
        own = os.readlink("/proc/self/ns/net")
        if os.readlink(f"/proc/{self.pid}/ns/net") == own:
            self.close()
            raise RecordError("ipemu record: refusing: the namespace is the host's")

    def _child(self) -> int | None:
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return None
        pids = children.split()
        return int(pids[0]) if pids else None

    def _ready(self, pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"sleep")
        except OSError:
            return False

    def command(self, line: str, cwd: str) -> list[str]:
        return ["nsenter", "-t", str(self.pid), "-n", "-m", "-u", "-p", "--wd=" + cwd,
                "bash", "-c", line]

    def close(self) -> None:
        """End the holder (and with it the namespaces), and anything left in them."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class PtyJob:
    """One command on its own pseudo-terminal (ONLCR off: bytes as written)."""

    def __init__(self, argv: list[str], env: dict, background: bool):
        pid, fd = pty.fork()
        if pid == 0:
            import termios
            # Python ignores SIGPIPE and exec keeps an ignored signal ignored: a
            # login shell's programs have the default (`ping | head -3` ends ping)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            attrs = termios.tcgetattr(0)
            attrs[1] &= ~termios.ONLCR
            termios.tcsetattr(0, termios.TCSANOW, attrs)
            if background:
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
            os.execvpe(argv[0], argv, env)
        self.pid = pid
        self.fd = fd
        self.output = bytearray()
        self.status = None

    def pump(self, timeout: float) -> bool:
        """Read what is there; True while the job runs."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            if data:
                self.output += data
                return True
        if self.status is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = os.waitstatus_to_exitcode(status)
                if self.status < 0:
                    self.status = 128 - self.status
                self._drain()
        return self.status is None

    def _drain(self) -> None:
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                break
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                break
            if not data:
                break
            self.output += data
        os.close(self.fd)

    def finish(self, timeout: float) -> None:
        deadline = time.time() + timeout
        while self.pump(0.05):
            if time.time() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                deadline = time.time() + 5


def record(lines: list[str], hostname: str = HOSTNAME,
           timeout: float = COMMAND_TIMEOUT) -> tuple[str, list[int]]:
    """Run `lines` in fresh namespaces: the transcript's body and each line's status
    (a command still running after `timeout` seconds is killed)."""
    check_environment()
    ns = Namespace(hostname)
    home = tempfile.mkdtemp(prefix="ipemu-record-")
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC", "TERM": "xterm",
           "HOME": home}
    parts: list[str] = []
    statuses: list[int] = []
    jobs: list[tuple[int, PtyJob]] = []
    try:
        for line in lines:
            # a construct over several lines shows them after bash's PS2
            parts.append(f"[root@{hostname} ~]# {line}\n".replace("\n", "\n> ")[:-2])
            if line.endswith("&") and not line.endswith("&&"):
                job = PtyJob(ns.command(line[:-1].rstrip(), home), env, background=True)
                jobs.append((len(statuses), job))
                statuses.append(0)
                continue
            if line.strip() == "wait":
                for index, job in jobs:
                    job.finish(timeout)
                    parts.append(job.output.decode("utf-8", "replace"))
                    statuses[index] = job.status
                jobs.clear()
                statuses.append(0)
                continue
            job = PtyJob(ns.command(line, home), env, background=False)
            job.finish(timeout)
            # kept as bash -c printed it ("bash: line 1: X: ..."), as the oracle's
            # record.py keeps it (until 2026-11-28 this wrote "bash: ", and
            # `ipemu check` still compares that part so)
            text = job.output.decode("utf-8", "replace")
            if text and not text.endswith("\n"):
                text += "\n"
            parts.append(text)
            statuses.append(job.status)
        for index, job in jobs:
            job.finish(timeout)
            parts.append(job.output.decode("utf-8", "replace"))
            statuses[index] = job.status
    finally:
        ns.close()
        shutil.rmtree(home, ignore_errors=True)
    return "".join(parts), statuses


def main(script: str, output: str | None, hostname: str = HOSTNAME) -> int:
    try:
        text = Path(script).read_text(encoding="utf-8")
    except OSError as err:
        sys.stderr.write(f"ipemu record: {script}: {err.strerror}\n")
        return 2
    lines = script_lines(text)
    comments = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")][:1]
    try:
        body, statuses = record(lines, hostname)
    except RecordError as err:
        sys.stderr.write(f"{err}\n")
        return 2
    head = "".join(f"# {c}\n" for c in comments)
    head += "# scenario: bare\n"
    head += "# exit: " + " ".join(str(s) for s in statuses) + "\n"
    result = head + body
    if output:
        Path(output).write_text(result, encoding="utf-8")
    else:
        sys.stdout.write(result)
    return 0
