"""The live host: shells on one machine, a real-time driver fed a fake wall clock,
output streamed as written, Ctrl-C to the foreground job, bash's job notices, and
two terminals through a pseudo-terminal (tmux) with `ipemu --name` / `ipemu attach`.

The forms come from the real machine: tests/data/live/ holds two terminals of a real
host (see its README), where ping and tcpdump were stopped with ^C.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ipemu.drivers import RealTimeDriver
from ipemu.machine import Machine
from ipemu.tools.context import Terminal
from ipemu.transcript.mask import mask_rtt, mask_tcpdump

DATA = Path(__file__).parent / "data" / "live"


class FakeWall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


class Screen:
    """A sink that records each write as it comes, with the wall time it came at."""

    def __init__(self, wall: FakeWall) -> None:
        self.wall = wall
        self.writes: list[tuple[float, str, str]] = []

    def write(self, stream: str, text: str) -> bool:
        self.writes.append((self.wall.now, stream, text))
        return True

    def text(self) -> str:
        return "".join(t for _, _, t in self.writes)

    def clear(self) -> None:
        self.writes.clear()


class Live:
    """One machine on a real-time driver with a fake wall clock, and its terminals."""

    def __init__(self) -> None:
        self.machine = Machine.create(scenario="default")
        self.wall = FakeWall()
        self.driver = RealTimeDriver(self.machine.host.clock, self.wall)

    def terminal(self):
        screen = Screen(self.wall)
        return self.machine.shell(term=Terminal(sink=screen)), screen

    def run_for(self, seconds: float, step: float = 0.05) -> None:
        """Let the wall clock run, polling as the live loop does."""
        end = self.wall.now + seconds
        while self.wall.now < end:
            self.wall.now = min(end, self.wall.now + step)
            self.driver.poll()
            for shell in self.machine.shells:
                shell.poll()


def recorded(name: str) -> str:
    """What a real program printed in a recorded terminal: the text between its
    command line and the next prompt, without the terminal's own ^C echo."""
    lines = (DATA / name).read_text().splitlines(keepends=True)
    body = "".join(lines[1:-1])
    return body.replace("^C\n", "\n")


def masked(text: str) -> str:
    return mask_tcpdump(mask_rtt(text))


# ------------------------------------------------------------ time that runs
def test_virtual_time_follows_the_wall_clock():
    live = Live()
    shell, screen = live.terminal()
    assert shell.start_line("ping 127.0.0.1")
    live.run_for(0.5)
    assert screen.text().count("icmp_seq=") == 1
    live.run_for(1.0)
    assert screen.text().count("icmp_seq=") == 2
    # each reply reached the screen when the wall clock reached its time
    times = [t for t, _, text in screen.writes if "icmp_seq=" in text]
    assert times[1] - times[0] == pytest.approx(1.0, abs=0.06)
    assert shell.busy


def test_dad_finishes_between_commands():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("ip link add veth0 type veth peer name veth1")
    shell.start_line("ip link set veth0 up; ip link set veth1 up")
    shell.start_line("ip -6 addr show dev veth0")
    assert "tentative" in screen.text()
    screen.clear()
    live.run_for(3.0)           # a person typing
    shell.start_line("ip -6 addr show dev veth0")
    assert "fe80::" in screen.text() and "tentative" not in screen.text()


def test_clock_jumped_ahead_resumes_from_there():
    live = Live()
    clock = live.machine.host.clock
    clock.advance(10.0)                      # a command that ran on virtual time
    live.driver.poll()
    before = clock.now
    live.wall.now += 1.0
    live.driver.poll()
    assert clock.now == pytest.approx(before + 1.0)


# ------------------------------------------------------------ streaming order
def test_output_streams_in_write_order():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("ip -V; ip foo; ip -br link show lo")
    streams = [(s, t.split()[0]) for _, s, t in screen.writes]
    assert streams == [("stdout", "ip"), ("stderr", "Object"), ("stdout", "lo")]
    assert not shell.busy and shell.last_status == 0


def test_redirections_route_live_output():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("ip foo 2>&1; ip foo 2>/dev/null; ping -c 1 127.0.0.1 >/dev/null")
    live.run_for(1.0)
    assert [s for _, s, _ in screen.writes] == ["stdout"]


# ------------------------------------------------------------ pipelines stream
def test_a_pipeline_shows_each_line_as_the_program_writes_it():
    """`tcpdump -l | grep`: each selected packet reaches the screen when it is
    captured, as bash's concurrent stages show it; Ctrl-C ends it without a repeat.
    A grep before another stage writes into a pipe, so it needs --line-buffered to
    pass each line on at once (recorded, captures39_curl_globs: without it stdio holds
    them until grep exits)."""
    live = Live()
    dump_shell, dump_screen = live.terminal()
    ping_shell, _ = live.terminal()
    dump_shell.start_line("tcpdump -l -i lo -n | grep --line-buffered 'echo request' | "
                          "cut -d' ' -f2-")
    live.run_for(0.5)
    ping_shell.start_line("ping -c 3 127.0.0.1")
    live.run_for(0.5)
    assert dump_screen.text().count("echo request") == 1
    live.run_for(1.0)
    assert dump_screen.text().count("echo request") == 2
    times = [t for t, _, text in dump_screen.writes if "echo request" in text]
    assert times[1] - times[0] == pytest.approx(1.0, abs=0.06)
    assert dump_shell.busy
    live.run_for(1.0)
    dump_shell.interrupt()
    live.run_for(0.1)
    assert not dump_shell.busy
    assert dump_screen.text().count("echo request") == 3
    assert dump_screen.text().count("echo reply") == 0


def test_head_ends_the_pipeline_and_ping_dies_of_sigpipe():
    """Recorded (transcripts/shell/pipe_sigpipe): head exits after its lines, ping's
    next write meets the closed pipe and SIGPIPE ends it: `0 141 0`."""
    live = Live()
    shell, screen = live.terminal()
    shell.start_line('ping 127.0.0.1 | head -3; echo "$? ${PIPESTATUS[*]}"')
    live.run_for(1.5)
    assert screen.text().count("\n") == 3 and shell.busy     # PING, seq 1, seq 2
    live.run_for(2.0)                                         # seq 3 is written: EPIPE
    assert not shell.busy
    assert screen.text().endswith("icmp_seq=2 ttl=64 time=" + screen.text().split(
        "icmp_seq=2 ttl=64 time=")[1].split("\n")[0] + "\n0 141 0\n")


def test_ctrl_c_on_a_pipeline_ends_every_stage():
    """Recorded on the real host (bash 5.2 in tmux): ^C on `ping 127.0.0.1 | cat`
    kills cat (130); ping's statistics meet the closed pipe (141); no statistics
    reach the screen and the rest of the line is dropped: `130 141 130`."""
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("ping 127.0.0.1 | cat; echo after")
    live.run_for(2.5)
    shell.interrupt()
    live.run_for(0.2)
    assert not shell.busy and shell.last_status == 130
    shell.start_line('echo "$? ${PIPESTATUS[*]}"')
    text = screen.text()
    assert text.count("icmp_seq=") == 3 and "statistics" not in text and "after" not in text
    assert text.endswith("\n130 141 130\n")


def test_tcpdump_meets_the_broken_pipe_as_a_write_error():
    """Recorded on the real host: `tcpdump -l ... | head -2` prints `Unable to write
    output: Broken pipe` at its next packet and exits 14 (S_ERR_ND_WRITE_FILE)."""
    live = Live()
    shell, screen = live.terminal()
    other, _ = live.terminal()
    shell.start_line('tcpdump -l -n -i lo icmp | head -2; echo "${PIPESTATUS[*]}"')
    live.run_for(0.5)
    other.start_line("ping -c 3 127.0.0.1")
    live.run_for(3.0)
    assert not shell.busy
    text = screen.text()
    assert text.count("ICMP echo") == 2
    assert text.endswith("tcpdump: Unable to write output: Broken pipe\n14 0\n")


# ------------------------------------------------------------------- Ctrl-C
def test_ctrl_c_ping_and_tcpdump_print_the_recorded_trailers():
    live = Live()
    ping_shell, ping_screen = live.terminal()
    dump_shell, dump_screen = live.terminal()
    dump_shell.start_line("tcpdump -i lo -n")
    live.run_for(0.5)
    ping_shell.start_line("ping 127.0.0.1")
    live.run_for(2.5)           # three replies, as in the recording
    ping_shell.interrupt()
    live.run_for(0.1)
    assert not ping_shell.busy and ping_shell.last_status == 0
    dump_shell.interrupt()
    live.run_for(0.1)
    assert not dump_shell.busy and dump_shell.last_status == 0
    assert masked(ping_screen.text()) == masked(recorded("ping_terminal.txt"))
    assert masked(dump_screen.text()) == masked(recorded("tcpdump_terminal.txt"))


def test_ctrl_c_kills_sleep_and_ends_the_line():
    # bash: a job killed by SIGINT ends the list (a newline after the ^C echo);
    # ping catches SIGINT and exits normally, so the list goes on
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("sleep 10; echo after")
    live.run_for(0.5)
    shell.interrupt()
    live.run_for(0.1)
    assert screen.text() == "\n" and shell.last_status == 130 and not shell.busy
    screen.clear()
    shell.start_line("ping -q -c 20 127.0.0.1; echo after")
    live.run_for(1.5)
    shell.interrupt()
    live.run_for(0.1)
    assert screen.text().endswith("after\n") and not shell.busy


# ---------------------------------------------------------------------- jobs
def test_background_jobs_start_and_notices_as_bash_prints_them():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("false &")
    shell.start_line("sleep 30 &")
    shell.start_line("sleep 1 &")
    lines = screen.text().splitlines()
    assert [re.sub(r"\d{3,}", "PID", ln) for ln in lines] == ["[1] PID", "[2] PID", "[3] PID"]
    assert all(s == "stderr" for _, s, _ in screen.writes)
    live.run_for(1.5)
    assert shell.notices() == ("[1]   Exit 1                  false\n"
                               "[3]+  Done                    sleep 1\n")
    assert shell.notices() == ""
    screen.clear()
    shell.start_line("kill %2")
    live.run_for(0.1)
    assert shell.notices() == "[2]+  Terminated              sleep 30\n"


def test_background_output_reaches_the_terminal_as_written():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("ping -c 2 127.0.0.1 &")
    live.run_for(0.5)
    assert "icmp_seq=1" in screen.text()
    assert not shell.busy        # the prompt is back while the job runs


def test_wait_in_a_live_shell_waits_and_ctrl_c_ends_only_the_waiting():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("sleep 2 &")
    assert shell.start_line("wait")
    live.run_for(1.0)
    assert shell.busy
    live.run_for(1.5)
    assert not shell.busy
    shell.start_line("sleep 5 &")
    shell.start_line("wait")
    shell.interrupt()
    live.run_for(0.1)
    assert not shell.busy and shell.jobs and not shell.jobs[-1].done


def test_each_shell_has_its_own_status_and_jobs():
    live = Live()
    one, _ = live.terminal()
    two, _ = live.terminal()
    one.start_line("false")
    two.start_line("sleep 3 &")
    assert one.last_status == 1 and two.last_status == 0
    assert not one.jobs and len(two.jobs) == 1
    one.start_line("ip link add dummy0 type dummy")   # one host: the other sees it
    two.start_line("ip -br link show dummy0")
    assert one.machine is two.machine and two.last_status == 0


def test_closing_a_terminal_hangs_up_its_jobs():
    live = Live()
    shell, _ = live.terminal()
    shell.start_line("ping 127.0.0.1 &")
    proc = shell.jobs[0].proc
    live.machine.close_shell(shell)
    assert proc.done and proc.pid not in live.machine.processes


# -------------------------------------------------------------------- attach
def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ipemu", *args], capture_output=True,
                          text=True, check=False, env=env, timeout=30)


@pytest.fixture
def runtime_dir(tmp_path):
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    return {**os.environ, "XDG_RUNTIME_DIR": str(path)}


def test_attach_to_no_such_host(runtime_dir):
    done = _run("attach", "nosuch", env=runtime_dir)
    assert (done.stdout, done.stderr, done.returncode) == ("", "ipemu: no host named nosuch\n", 1)


def test_attach_to_a_stale_socket(runtime_dir):
    directory = Path(runtime_dir["XDG_RUNTIME_DIR"]) / "ipemu"
    directory.mkdir(mode=0o700)
    path = directory / "gone.sock"
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(str(path))
    dead.close()
    done = _run("attach", "gone", env=runtime_dir)
    assert done.stderr == f"ipemu: no host named gone is running (stale socket {path})\n"
    assert done.returncode == 1


def test_attach_refuses_bad_names_and_open_directories(runtime_dir):
    done = _run("attach", "../x", env=runtime_dir)
    assert done.stderr.startswith("ipemu: bad host name '../x'") and done.returncode == 1
    directory = Path(runtime_dir["XDG_RUNTIME_DIR"]) / "ipemu"
    directory.mkdir(mode=0o755)
    directory.chmod(0o755)
    done = _run("attach", env=runtime_dir)
    assert done.stderr == f"ipemu: {directory}: not a private directory (want mode 0700, " \
        "yours)\n" and done.returncode == 1


# ------------------------------------------------------- two terminals, a pty
class Tmux:
    """A private tmux server (its own socket) with windows the test types into."""

    def __init__(self, label: str, env: dict) -> None:
        self.base = ["tmux", "-L", label]
        self.env = env

    def __call__(self, *args: str) -> str:
        return subprocess.run(self.base + list(args), capture_output=True, text=True,
                              check=False, env=self.env, timeout=10).stdout

    def pane(self, window: int) -> str:
        text = self("capture-pane", "-p", "-t", f"ipemu:{window}")
        return "\n".join(ln.rstrip() for ln in text.splitlines()).strip("\n") + "\n"

    def wait_for(self, window: int, pattern: str, seconds: float = 10.0) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            text = self.pane(window)
            if re.search(pattern, text):
                return text
            time.sleep(0.05)
        raise AssertionError(f"window {window} never showed {pattern!r}:\n{self.pane(window)}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_two_terminals_tcpdump_catches_the_other_ping_live(runtime_dir):
    ipemu = f"{sys.executable} -m ipemu"
    tmux = Tmux(f"ipemu-test-{os.getpid()}", runtime_dir)
    try:
        tmux("new-session", "-d", "-s", "ipemu", "-x", "100", "-y", "40",
             f"{ipemu} --name pty-test --scenario default")
        prompt = r"\[root@ipemu ~\]#\n\Z"
        tmux.wait_for(0, prompt, seconds=30)       # a cold start compiles the grammar
        tmux("new-window", "-d", "-t", "ipemu:1", f"{ipemu} attach pty-test")
        tmux.wait_for(1, prompt, seconds=30)
        tmux("send-keys", "-t", "ipemu:1", "tcpdump -i lo -n", "Enter")
        tmux.wait_for(1, "listening on lo")
        tmux("send-keys", "-t", "ipemu:0", "ping 127.0.0.1", "Enter")
        tmux.wait_for(1, "seq 1, length 64")               # caught live, in the other
        tmux.wait_for(0, "icmp_seq=3 ")
        tmux("send-keys", "-t", "ipemu:0", "C-c")
        ping = tmux.wait_for(0, r"rtt min.*\n" + prompt[:-2])
        # the reader sees the last echo in the capture before the Ctrl-C: tcpdump on a
        # terminal reads its ring's block every 100 ms (a Ctrl-C sooner loses it)
        tmux.wait_for(1, "seq 3, length 64\n.*seq 3, length 64")
        tmux("send-keys", "-t", "ipemu:1", "C-c")
        dump = tmux.wait_for(1, r"dropped by kernel\n" + prompt[:-2])
        tmux("new-window", "-d", "-t", "ipemu:2",
             f"{ipemu} --name pty-test; echo status $?; sleep 10")
        taken = tmux.wait_for(2, r"status \d")
    finally:
        tmux("kill-server")
    assert masked(ping) == masked((DATA / "ping_terminal.txt").read_text())
    assert masked(dump) == masked((DATA / "tcpdump_terminal.txt").read_text())
    assert taken == "ipemu: a host named pty-test is already running\nstatus 1\n"


def test_ctrl_c_reaches_a_loop_that_lets_no_time_pass():
    # bash spins on the CPU in `while :; do :; done` until SIGINT; the live shell
    # hands back to the terminal every few thousand turns, so Ctrl-C ends it
    live = Live()
    shell, _ = live.terminal()
    assert shell.start_line("while :; do :; done")
    live.run_for(0.1)
    assert shell.busy
    shell.interrupt()
    live.run_for(0.1)
    assert not shell.busy and shell.last_status == 130
