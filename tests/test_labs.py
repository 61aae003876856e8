"""Labs that check themselves (ipemu/labs/): every shipped lab's reference solution
passes on a fresh host and fails before; each lab driven through the shell's line
API from its start to a passing `lab check`; hints that follow the goals; reset;
variants by seed; goals that look at the kernel and the wire, not at what was typed;
and one lab in a pseudo-terminal (tmux), its progress on the prompt's toolbar."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from ipemu import cli
from ipemu.labs import LabError, available, load
from ipemu.labs.goals import GoalError, parse_goal
from ipemu.labs.run import LabRun, verify

LABS = available()


def start(name: str, seed: int = 0):
    session = LabRun.start(name, seed)
    return session, session.machine.lab


def run(session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


def test_at_least_the_seven_labs_of_the_brief_ship():
    assert {"seed-veth", "netns-veth", "bridge", "router", "ipv6-link-local", "vlan",
            "broken-host"} <= set(LABS)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("name", LABS)
def test_verify_passes_for_every_lab(name, seed):
    verdict = verify(name, seed)
    assert verdict.ok, verdict.reason


@pytest.mark.parametrize("name", LABS)
def test_each_lab_from_start_to_a_passing_check_through_the_shell(name):
    session, lab = start(name)
    text, status = run(session, "lab")
    assert text.startswith(f"Lab {name}: {lab.lab.title}\n") and status == 0
    text, status = run(session, "lab check")
    assert status == 1 and "[ ] " in text
    for line in lab.lab.solution:
        run(session, line)
    text, status = run(session, "lab check")
    assert status == 0, text
    assert text.endswith(f"All {len(lab.lab.goals)} goals met: lab {name} is complete.\n")
    assert "[ ] " not in text
    assert run(session, "lab hint")[0].startswith("Every goal is met")


def test_verify_command_prints_a_line_per_lab_and_the_counts():
    out = io.StringIO()
    with redirect_stdout(out):
        status = cli.main(["lab", "--verify"])
    lines = out.getvalue().splitlines()
    assert status == 0
    assert lines[-1] == f"{len(LABS)} passed, 0 failed"
    assert [ln.split()[:2] for ln in lines[:-1]] == [["ok", n] for n in LABS]


def test_verify_fails_a_lab_that_passes_by_itself_or_never(tmp_path):
    lazy = tmp_path / "lazy.toml"
    lazy.write_text('title = "t"\nsolution = "true"\n[[goal]]\ncheck = "lo exists"\n')
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('title = "t"\nsolution = "ip link add d0 type dummy"\n'
                     '[[goal]]\ncheck = "d0 is up"\n')
    out = io.StringIO()
    with redirect_stdout(out):
        status = cli.main(["lab", "--verify", str(lazy), str(wrong)])
    assert status == 1
    assert out.getvalue().splitlines() == [
        f"FAIL  {lazy}   its goals are met before the solution",
        f"FAIL  {wrong}  not met after the solution: d0 is up",
        "0 passed, 2 failed"]


def test_lab_lists_one_line_per_lab():
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["lab"]) == 0
    lines = out.getvalue().splitlines()
    assert [ln.split()[0] for ln in lines] == LABS
    assert "seed-veth        The seed's veth pair: why the ping to .12 fails" in lines


def test_hints_follow_the_goals():
    session, _ = start("netns-veth")
    first = run(session, "lab hint")[0]
    assert first.startswith("Next goal: namespace red exists\n")
    run(session, "ip netns add red")
    assert run(session, "lab hint")[0].startswith("Next goal: namespace blue exists\n")
    run(session, "ip netns add blue")
    # a goal with two hints: each call one further, then the last again
    one = run(session, "lab hint")[0]
    two = run(session, "lab hint")[0]
    assert one.startswith("Next goal: in red: veth-red is a veth\nHint (`lab hint` again")
    assert "ip link add veth-red type veth peer name veth-blue" in one
    assert "`ip link set veth-red netns red`" in two and two == run(session, "lab hint")[0]


def test_hints_never_break_a_command_across_lines():
    session, lab = start("router")
    run(session, "lab hint")
    text = run(session, "lab hint")[0]
    assert all(line.count("`") % 2 == 0 for line in text.splitlines())
    assert max(len(line) for line in text.splitlines()) <= 78 or "`" in text


def test_reset_starts_over():
    session, lab = start("seed-veth")
    run(session, "ping -c 1 192.168.2.12")
    run(session, "ip netns add peer")
    run(session, "sleep 100 &")
    assert "[x] ARP request for 192.168.2.12 seen on veth0" in run(session, "lab check")[0]
    clock = session.host.clock
    before = clock.now
    text, status = run(session, "lab reset")
    assert (text, status) == ("Lab seed-veth starts over: the host is as it was at the "
                              "start.\n", 0)
    assert session.host.clock is clock and clock.now >= before   # time runs on
    assert run(session, "ip netns")[0] == ""
    assert "[ ] ARP request for 192.168.2.12 seen on veth0" in run(session, "lab check")[0]
    assert run(session, "jobs")[0] == "[1]+  Killed                  sleep 100\n"
    # the new host is watched too, and the lab can be done on it
    for line in lab.lab.solution:
        run(session, line)
    assert run(session, "lab check")[1] == 0


def test_reset_moves_every_terminal_of_the_machine():
    session, _ = start("netns-veth")
    other = session.machine.shell()
    run(other, "ip netns add red")
    run(session, "lab reset")
    assert other.host is session.host is session.machine.host
    assert run(other, "ip netns")[0] == ""


def test_variants_differ_by_seed_and_stay_with_it():
    one, two = load("netns-veth", 1), load("netns-veth", 2)
    assert one.variables != two.variables
    assert [g.text for g in one.goals] != [g.text for g in two.goals]
    assert one.text != two.text and one.solution != two.solution
    assert load("netns-veth", 1).variables == one.variables
    router = load("router", 5).variables
    assert router["a"] != router["b"]          # two subnets are never the same one


def test_a_link_local_variant_is_what_the_kernel_derives():
    lab = load("ipv6-link-local", 3)
    mac = lab.variables["mac_blue"]
    session, _ = start("ipv6-link-local", 3)
    run(session, "ip -n blue link set veth-blue up")
    run(session, "ip -n red link set veth-red up")      # the link has carrier now
    run(session, "sleep 2")
    shown = run(session, "ip -n blue -6 -br addr show dev veth-blue")[0]
    assert mac.startswith("02:00:5e:")
    ll = re.search(r"(fe80::\S+)/64", shown).group(1)
    assert f"in blue: veth-blue has {ll}/64" in [g.text for g in lab.goals]


def test_goals_look_at_the_wire_not_at_what_was_typed():
    session, _ = start("seed-veth")
    # the address in this same namespace: the ping succeeds, but through lo
    run(session, "ip addr add 192.168.2.12/24 dev veth1")
    text, status = run(session, "ping -c 1 192.168.2.12")
    assert status == 0 and "1 received" in text
    result = run(session, "lab check")[0]
    assert "[x] in any namespace: veth1 has 192.168.2.12/24" in result
    assert "[ ] ping from host to 192.168.2.12 succeeded via veth0" in result


def test_bridged_replies_count_where_they_are_delivered():
    session, lab = start("bridge")
    for line in lab.lab.solution:
        run(session, line)
    facts = lab.watch.seen
    replies = {(f[1], f[2]) for f in facts if f[0] == "echo-reply"}
    assert replies == {("a", "veth-a")}       # never on br0's ports in the host


def test_namespaces_added_in_the_same_line_are_watched():
    session, lab = start("netns-veth")
    solution = "; ".join(lab.lab.solution)
    run(session, solution)
    assert run(session, "lab check")[1] == 0


def test_lab_is_no_command_outside_a_lab():
    from ipemu.session import Session
    session = Session.create(scenario="bare")
    assert run(session, "lab check") == ("bash: lab: command not found\n", 127)


def test_lab_usage():
    session, _ = start("vlan")
    assert run(session, "lab frobnicate") == (
        "lab: unknown command 'frobnicate'\nUsage: lab [check | hint | reset]\n", 2)
    assert run(session, "lab help") == ("Usage: lab [check | hint | reset]\n", 0)


def test_the_lab_survives_a_state_round_trip():
    from ipemu import state
    session, lab = start("netns-veth", 4)
    run(session, "ip netns add red")
    restored = state.loads(state.dumps(session))
    run(restored, "ip netns add blue")
    text, status = run(restored, "lab check")
    assert "[x] namespace red exists\n[x] namespace blue exists\n" in text
    for line in restored.machine.lab.lab.solution[2:]:
        run(restored, line)
    assert run(restored, "lab check")[1] == 0


# ------------------------------------------------------------- the vocabulary
def test_every_sentence_of_the_vocabulary(tmp_path):
    lab = tmp_path / "vocab.toml"
    lab.write_text('''
title = "every goal"
solution = """
ip link add d0 type dummy
ip link add d1 type dummy
ip link set d0 up
ip link add link d0 name d0.7 type vlan id 7
ip link add br0 type bridge
ip link set d1 master br0
ip addr add 10.1.1.1/24 dev d0
ip route add 10.9.0.0/16 via 10.1.1.254 dev d0
ip neigh add 10.1.1.9 lladdr 02:00:00:00:00:09 dev d0 nud reachable
sysctl -w net.ipv4.conf.d0.forwarding=1
ip netns add other
"""
[[goal]]
check = "d0 exists"
[[goal]]
check = "d0 is up"
[[goal]]
check = "d0 has carrier"
[[goal]]
check = "d1 is down"
[[goal]]
check = "d0 is a dummy"
[[goal]]
check = "d0.7 is vlan 7 on d0"
[[goal]]
check = "d1 is a port of br0"
[[goal]]
check = "d0 has 10.1.1.1/24"
[[goal]]
check = "d0 does not have 10.1.1.1/16"
[[goal]]
check = "route to 10.9.0.0/16 via 10.1.1.254 dev d0"
[[goal]]
check = "neighbour 10.1.1.9 on d0 is reachable"
[[goal]]
check = "sysctl net.ipv4.conf.d0.forwarding = 1"
[[goal]]
check = "namespace other exists"
[[goal]]
check = "in other: lo is down"
''')
    verdict = verify(str(lab))
    assert verdict.ok, verdict.reason


@pytest.mark.parametrize("sentence", ["veth0 is purple", "ping from a to nowhere succeeded",
                                      "route to 10.0.0.0/33x", "in red veth0 is up"])
def test_unknown_goals_are_refused(sentence):
    with pytest.raises(GoalError):
        parse_goal(sentence)


def test_a_bad_lab_file_says_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "t"\n[[goal]]\ncheck = "eth0 is purple"\n')
    with pytest.raises(LabError) as err:
        load(str(bad))
    assert err.value.message == "ipemu: lab 'bad': unknown goal: eth0 is purple\n"
    with pytest.raises(LabError) as err:
        load("no-such-lab")
    assert err.value.message.startswith("ipemu: unknown lab 'no-such-lab' (known: bridge, ")
    out = subprocess.run([sys.executable, "-m", "ipemu", "lab", "no-such-lab"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 2 and out.stderr.startswith("ipemu: unknown lab 'no-such-lab'")


def test_lab_opens_on_standard_input_with_its_task_first():
    out = subprocess.run([sys.executable, "-m", "ipemu", "lab", "broken-host"],
                         input="lab check\nip addr del 192.168.10.20/28 dev eth1\nlab check\n",
                         capture_output=True, text=True, check=False)
    assert out.stdout.startswith("Lab broken-host: Repair a broken host\n=====")
    assert "[ ] eth1 does not have 192.168.10.20/28" in out.stdout
    assert "[x] eth1 does not have 192.168.10.20/28" in out.stdout
    assert out.returncode == 1


# ------------------------------------------------------------ a pseudo-terminal
@pytest.fixture
def runtime_dir(tmp_path):
    path = tmp_path / "run"
    path.mkdir(mode=0o700)
    return {**os.environ, "XDG_RUNTIME_DIR": str(path)}


def _pane(base: list[str], env: dict) -> str:
    return subprocess.run(base + ["capture-pane", "-p", "-t", "lab"], capture_output=True,
                          text=True, check=False, env=env, timeout=10).stdout


def _wait(base, env, pattern: str, seconds: float = 15.0) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        text = _pane(base, env)
        if re.search(pattern, text):
            return text
        time.sleep(0.05)
    raise AssertionError(f"never saw {pattern!r}:\n{_pane(base, env)}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_lab_in_a_pseudo_terminal_shows_its_progress_on_the_toolbar(runtime_dir):
    base = ["tmux", "-L", f"ipemu-lab-{os.getpid()}"]
    ipemu = f"{sys.executable} -m ipemu lab seed-veth --name lab-pty-{os.getpid()}"

    def keys(*args: str) -> None:
        subprocess.run(base + ["send-keys", "-t", "lab", *args], check=False,
                       env=runtime_dir, timeout=10)
    try:
        subprocess.run(base + ["new-session", "-d", "-s", "lab", "-x", "100", "-y", "30",
                               ipemu], check=True, env=runtime_dir, timeout=10)
        _wait(base, runtime_dir, r"lab seed-veth: 1/4 goals met \| lab check", 30)
        # the failing ping's ARP request is the goal: -W 0.3, not its 3 s of ARP retries
        keys("ping -c 1 -W 0.3 192.168.2.12", "Enter")
        _wait(base, runtime_dir, r"lab seed-veth: 2/4 goals met")
        for line in LabRun.start("seed-veth").machine.lab.lab.solution[1:]:
            keys(line, "Enter")
        done = _wait(base, runtime_dir, r"lab seed-veth: all 4 goals met, complete")
        assert "64 bytes from 192.168.2.12: icmp_seq=2" in done
        keys("lab check", "Enter")
        _wait(base, runtime_dir, r"All 4 goals met: lab seed-veth is complete")
        keys("lab reset", "Enter")
        _wait(base, runtime_dir, r"lab seed-veth: 1/4 goals met")
    finally:
        subprocess.run(base + ["kill-server"], check=False, env=runtime_dir, timeout=10)
