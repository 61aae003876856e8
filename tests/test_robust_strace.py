"""What ipemu asks of the real machine while it replays transcripts (issue 16), seen
by strace: `ipemu check` opens no socket at all and `ipemu run --home DIR` none but
AF_UNIX ones; neither executes a program after its own start; neither creates,
writes, renames, removes or makes a file or directory outside DIR and the test's
temporary directory. Skipped where strace (or ptrace) is not available."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRACE = "trace=network,process,openat,open,creat,rename,renameat,renameat2,unlink,unlinkat," \
        "mkdir,mkdirat"
# transcripts with devices, namespaces, traffic, tcpdump, the shell's files
CHECKED = ["robust/link_set_whole.txt", "robust/shell_edges.txt", "robust/sysctl_values.txt",
           "packets/ping_sigterm.txt", "robust/former_internal_errors.txt"]
SCRIPT = """\
ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
echo hello > f.txt
mkdir d && mv f.txt d/g.txt && cat d/g.txt
rm d/g.txt
ping -c 1 10.0.0.1
tcpdump -c 1 -i lo -w cap.pcap & ping -c 1 127.0.0.1; wait
"""
WRITE = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND")
PATH_CALL = re.compile(r"^(?:\d+ +)?(open|openat|creat|rename|renameat2?|unlink|unlinkat|"
                       r"mkdir|mkdirat)\((.*)")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')

pytestmark = pytest.mark.skipif(shutil.which("strace") is None or sys.platform != "linux",
                                reason="needs strace on Linux")


def _trace(args: list[str], cwd: Path, log: Path) -> list[str]:
    env = dict(os.environ, HOME=str(cwd), TMPDIR=str(cwd), XDG_CACHE_HOME=str(cwd / "cache"),
               # Python's own bytecode cache is not ipemu's doing
               PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(["strace", "-f", "-qq", "-e", TRACE, "-o", str(log),
                           sys.executable, "-m", "ipemu", *args],
                          cwd=cwd, env=env, capture_output=True, timeout=120)
    if b"ptrace" in done.stderr and not log.exists():
        pytest.skip("ptrace is not permitted here")
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    return log.read_text(errors="replace").splitlines()


def _writes_outside(lines: list[str], allowed: list[Path], cwd: Path) -> list[str]:
    """Calls that change the file system outside the `allowed` directories."""
    bad = []
    for line in lines:
        m = PATH_CALL.match(line)
        if not m:
            continue
        call, rest = m.groups()
        if call in ("open", "openat") and not WRITE.search(rest):
            continue
        for path in STRING.findall(rest)[:2]:
            full = Path(os.path.normpath(cwd / path))
            if full == Path("/dev/null") or any(full == a or a in full.parents
                                                for a in allowed):
                continue
            bad.append(line)
    return bad


def _calls(lines: list[str], name: str) -> list[str]:
    rx = re.compile(rf"^(?:\d+ +)?{name}\(")
    return [ln for ln in lines if rx.match(ln)]


def test_check_opens_no_socket_runs_nothing_writes_nothing(tmp_path):
    paths = [str(ROOT / "transcripts" / p) for p in CHECKED]
    lines = _trace(["check", *paths], tmp_path, tmp_path.parent / f"{tmp_path.name}.strace")
    assert _calls(lines, "socket") == []
    assert _calls(lines, "connect") == []
    assert len(_calls(lines, "execve")) == 1, _calls(lines, "execve")
    assert _writes_outside(lines, [tmp_path], tmp_path) == []


def test_run_with_home_stays_in_its_home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    script = tmp_path / "script.cmds"
    script.write_text(SCRIPT)
    log = tmp_path.parent / f"{tmp_path.name}.strace"
    lines = _trace(["run", "--home", str(home), str(script)], tmp_path, log)
    sockets = _calls(lines, "socket")
    assert all("AF_UNIX" in s for s in sockets), sockets
    assert len(_calls(lines, "execve")) == 1, _calls(lines, "execve")
    assert _writes_outside(lines, [home, tmp_path], tmp_path) == []
    # and the files the script made are in the home, as the script left them
    assert (home / "d").is_dir() and not (home / "d" / "g.txt").exists()


def test_the_filter_sees_what_it_looks_for(tmp_path):
    """The reading of strace's lines itself: a write, a rename and an unlink elsewhere
    are found, a read anywhere and a write inside the allowed directory are not."""
    lines = [f'7 openat(AT_FDCWD, "{tmp_path}/x", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3',
             '7 openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3',
             '7 openat(AT_FDCWD, "/etc/x", O_RDWR|O_CLOEXEC <unfinished ...>',
             f'7 rename("{tmp_path}/a", "/root/b") = 0',
             '7 unlink("../x") = 0',
             '7 mkdir("y", 0777) = 0']
    assert _writes_outside(lines, [tmp_path], tmp_path) == lines[2:5]
