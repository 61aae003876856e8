"""The training shell through a pseudo-terminal (tmux): ^C on a half-typed line,
Ctrl-Z and fg, history kept across runs in the state directory, ping to the world."""
from __future__ import annotations

import os
import shutil
import sys
import time

import pytest

from test_live import Tmux

PROMPT = r"\[root@ipemu ~\]#\n\Z"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_terminal_like_bash(tmp_path):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    (tmp_path / "run").mkdir(mode=0o700)
    (tmp_path / "home").mkdir()
    ipemu = f"cd {tmp_path / 'home'} && {sys.executable} -m ipemu --scenario default"
    tmux = Tmux(f"ipemu-shell-{os.getpid()}", env)
    try:
        tmux("new-session", "-d", "-s", "ipemu", "-x", "100", "-y", "40", ipemu)
        tmux.wait_for(0, PROMPT, seconds=30)
        tmux("send-keys", "-t", "ipemu:0", "echo half line")
        tmux.wait_for(0, "half line")
        tmux("send-keys", "-t", "ipemu:0", "C-c")
        tmux.wait_for(0, r"half line\^C\n" + PROMPT)
        tmux("send-keys", "-t", "ipemu:0", "sleep 100", "Enter")
        tmux.wait_for(0, "sleep 100\n")
        # a person's Ctrl-Z comes after the terminal is back in cooked mode: one sent
        # while the prompt is still tearing down is a typed ^Z byte, not SIGTSTP, on a
        # real bash too (readline's window is only shorter)
        time.sleep(0.3)
        tmux("send-keys", "-t", "ipemu:0", "C-z")
        tmux.wait_for(0, r"\[1\]\+  Stopped                 sleep 100\n" + PROMPT)
        tmux("send-keys", "-t", "ipemu:0", "fg", "Enter")
        tmux.wait_for(0, r"fg\nsleep 100\n")
        tmux("send-keys", "-t", "ipemu:0", "C-c")
        tmux.wait_for(0, r"sleep 100\n\^C\n" + PROMPT)
        tmux("send-keys", "-t", "ipemu:0", "ping -c 1 example.com", "Enter")
        tmux.wait_for(0, r"64 bytes from 93.184.215.14 \(93.184.215.14\): icmp_seq=1 ttl=58")
        tmux.wait_for(0, r"rtt min[^\n]*\n" + PROMPT)
        tmux("send-keys", "-t", "ipemu:0", "exit", "Enter")
        tmux("new-window", "-d", "-t", "ipemu:1", ipemu)
        tmux.wait_for(1, PROMPT, seconds=30)
        tmux("send-keys", "-t", "ipemu:1", "history", "Enter")
        shown = tmux.wait_for(1, r"history\n" + PROMPT)
    finally:
        tmux("kill-server")
    assert shown.endswith("    1  sleep 100\n    2  fg\n    3  ping -c 1 example.com\n"
                          "    4  exit\n    5  history\n[root@ipemu ~]#\n")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_pipeline_streams_on_the_terminal(tmp_path):
    """`ping | grep` shows each selected reply as it comes, ^C ends every stage, `ping | head
    -3` ends when ping's next write meets the closed pipe: PIPESTATUS 141 0, as the
    real host shows it (transcripts/shell/pipe_sigpipe)."""
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    (tmp_path / "run").mkdir(mode=0o700)
    ipemu = f"{sys.executable} -m ipemu --scenario default"
    tmux = Tmux(f"ipemu-pipe-{os.getpid()}", env)
    try:
        tmux("new-session", "-d", "-s", "ipemu", "-x", "100", "-y", "40", ipemu)
        tmux.wait_for(0, PROMPT, seconds=30)
        tmux("send-keys", "-t", "ipemu:0", "ping 10.0.2.2 | grep -v PING", "Enter")
        tmux.wait_for(0, r"icmp_seq=2 ttl=64[^\n]*\n\Z")      # streamed, still running
        tmux("send-keys", "-t", "ipemu:0", "C-c")     # every stage gets SIGINT: grep dies
        tmux.wait_for(0, r"\^C\n?" + PROMPT)
        tmux("send-keys", "-t", "ipemu:0", 'echo "${PIPESTATUS[*]}"', "Enter")
        stopped = tmux.wait_for(0, r"\n141 130\n" + PROMPT)
        # at -i 0.2: head's third line, then ping's next write, come 0.4 s after the first
        tmux("send-keys", "-t", "ipemu:0",
             'ping -i 0.2 10.0.2.2 | head -3; echo "${PIPESTATUS[*]}"', "Enter")
        shown = tmux.wait_for(0, r"\n141 0\n" + PROMPT)
    finally:
        tmux("kill-server")
    assert "rtt min" not in stopped                  # ping's statistics met the closed pipe
    assert "icmp_seq=2 ttl=64" in shown and "icmp_seq=3" not in shown.split("head -3")[-1]
