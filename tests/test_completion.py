"""Tab completion from grammar/ip.lark and the live kernel (ipemu/shell/complete.py):
as data, through prompt_toolkit's Completer API, and typed into the live shell in a
pseudo-terminal (tmux)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from ipemu.session import Session
from ipemu.shell.complete import completions, make_completer


@pytest.fixture(scope="module")
def session():
    s = Session.create(scenario="bare")
    for line in ("ip link add veth0 type veth peer name veth1", "ip netns add red",
                 "ip addr add 192.168.2.11/24 dev veth0"):
        s.run_line(line)
    return s


@pytest.mark.parametrize("text, expected", [
    ("ip li", ["link"]),
    ("ip link set dev vet", ["veth0", "veth1"]),
    ("ip r", ["route", "rule"]),                         # cmds[] order
    ("ip link s", ["set", "show"]),
    ("ip -br", ["-brief"]),
    ("ip a a 192.168.2.12/24 dev ", ["lo", "veth0", "veth1"]),
    ("ip netns exec ", ["red"]),
    ("ip -n red link show ", None),                      # red's devices: lo only
    ("ip link add v0 type ", ["veth", "vlan", "bridge", "dummy"]),
    ("ip route get 192", ["192.168.2.11"]),
    ("ip addr del 192", ["192.168.2.11/24"]),
    ("pi", ["ping", "ping4", "ping6"]),
    ("echo x; ip li", ["link"]),
    ("ip link frob ", []),
])
def test_completions(session, text, expected):
    got = completions(text, session)
    if expected is None:
        assert "lo" in got and "veth0" not in got
    else:
        assert got == expected


def test_profile_objects(session):
    el7 = Session.create(profile="el7", scenario="bare")
    assert "vrf" in completions("ip v", session)
    assert completions("ip v", el7) == []


def test_prompt_toolkit_completer(session):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document
    completer = make_completer(session)
    got = list(completer.get_completions(Document("ip li"), CompleteEvent()))
    assert [(c.text, c.start_position) for c in got] == [("link ", -2)]
    got = list(completer.get_completions(Document("ip link set dev vet"), CompleteEvent()))
    assert [c.text for c in got] == ["veth0 ", "veth1 "]


def _pane(base, env) -> str:
    out = subprocess.run(base + ["capture-pane", "-p", "-t", "c:0"], capture_output=True,
                         text=True, env=env, timeout=10).stdout
    return "\n".join(ln.rstrip() for ln in out.splitlines())


def _wait(base, env, needle: str, seconds: float = 30.0) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        text = _pane(base, env)
        if needle in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"never showed {needle!r}:\n{_pane(base, env)}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tab_in_the_live_shell(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(run)}
    base = ["tmux", "-L", f"ipemu-complete-{os.getpid()}"]
    try:
        subprocess.run(base + ["new-session", "-d", "-s", "c", "-x", "100", "-y", "20",
                               f"{sys.executable} -m ipemu --scenario bare"],
                       env=env, timeout=10, check=True)
        _wait(base, env, "]#")
        send = ["send-keys", "-t", "c:0"]
        subprocess.run(base + send + ["ip link add veth0 type veth peer name veth1", "Enter"],
                       env=env, timeout=10)
        _wait(base, env, "veth1\n[root@localhost ~]#")
        subprocess.run(base + send + ["ip li", "Tab"], env=env, timeout=10)
        _wait(base, env, "]# ip link")
        subprocess.run(base + send + ["set dev vet", "Tab", "Tab"], env=env, timeout=10)
        # bash's second Tab: the candidates listed, the line drawn again under them
        screen = _wait(base, env, "veth0 veth1\n[root@localhost ~]# ip link set dev veth")
        assert screen.rstrip("\n").splitlines()[-1] == "[root@localhost ~]# ip link set dev veth"
    finally:
        subprocess.run(base + ["kill-server"], env=env, timeout=10)


@pytest.mark.parametrize("text, expected", [
    ("ping -c 3 -I ", ["lo", "veth0", "veth1"]),                   # -I takes a device
    ("ping -q", ["-q"]),
    ("ping -c3 192", ["192.168.2.11"]),
    ("ping -c 3 loc", ["localhost"]),                               # /etc/hosts
    ("tcpdump -i vet", ["veth0", "veth1"]),
    ("tcpdump -nr ", ["cap.pcap"]),                                 # files after -r
    ("tcpdump -n -w ca", ["cap.pcap"]),
    ("tcpdump --li", ["--list-interfaces"]),
    ("tcpdump -x -", None),
])
def test_getopt_tool_completions(session, text, expected):
    session.write_file("cap.pcap", b"")
    got = completions(text, session)
    if expected is None:
        assert {"-n", "-i", "-w", "--version"} <= set(got)
    else:
        assert got == expected


def test_getopt_completion_follows_the_profile():
    el7 = Session.create(profile="el7", scenario="bare")
    assert "-C" not in completions("ping -", el7)       # s20160308 has no -C
    assert "-C" in completions("ping -", Session.create(scenario="bare"))
    assert "--micro" not in completions("tcpdump --", el7)
