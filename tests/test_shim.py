"""Fake ip, ping, tcpdump on PATH (issue 21): real bash scripts run through the shims
against one live ipemu host, which keeps its state between calls.

The real network is read (`ip -o link`, `ip -o addr`, never changed) before and after
the module: a shimmed call must leave it as it was.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ipemu.session import Session
from ipemu.transcript.mask import mask_rtt

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")

SEED = Path(__file__).parent.parent / "transcripts" / "seed" / "seed-veth-el7.txt"
REAL_IP = next((p for p in ("/usr/sbin/ip", "/sbin/ip", "/bin/ip") if os.path.exists(p)),
               None)


def _real_network() -> tuple[str, str] | None:
    if REAL_IP is None:
        return None
    run = [subprocess.run([REAL_IP, "-o", what], capture_output=True, text=True).stdout
           for what in ("link", "addr")]
    # counters and timers move by themselves; the devices and addresses must not
    return tuple(re.sub(r"valid_lft \S+ preferred_lft \S+", "", text) for text in run)


@pytest.fixture(scope="module", autouse=True)
def real_network_unchanged():
    before = _real_network()
    yield
    assert _real_network() == before


def _seed_steps() -> list[str]:
    """The seed's commands that ran in its main terminal (its tcpdumps ran in others)."""
    steps = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("[root@huzhi-code ~]# "):
            command = line.split("# ", 1)[1].strip()
            if command and not command.startswith("tcpdump"):
                steps.append(command)
    return steps


@pytest.mark.ipemu_shim(scenario="huzhi-code", profile="el7")
def test_seed_steps_through_the_shims(ipemu_shim):
    """The seed's veth tutorial as a bash script prints what ipemu prints for it. (Its
    pings at a fifth of a second: the shims' host runs on the wall clock, and 8 echoes
    a second apart were 6 s of the suite's waiting; ping prints the same lines.)"""
    steps = [re.sub(r"^ping -c 4 ", "ping -c 4 -i 0.2 ", s) for s in _seed_steps()]
    assert sum(s.startswith("ping -c 4 -i 0.2 ") for s in steps) == 2
    script = "".join(f"echo '### {step}'\n{step}\n" for step in steps)
    result = ipemu_shim.run_script(script)
    assert result.returncode == 1     # the last ping: 192.168.2.12 is no one's address
    assert result.stderr == ""
    expected = Session.create("el7", "huzhi-code")
    want = "".join(f"### {step}\n" + expected.run_line(step)[0].text() for step in steps)
    assert mask_rtt(result.stdout) == mask_rtt(want)
    assert "4 packets transmitted, 4 received, 0% packet loss" in result.stdout


TWO_NAMESPACES = """\
set -e
ip netns add ns1
ip netns add ns2
ip link add veth1 type veth peer name veth2
ip link set veth1 netns ns1
ip link set veth2 netns ns2
ip netns exec ns1 bash -c 'ip addr add 10.0.0.1/24 dev veth1 && ip link set veth1 up && ip netns identify'
ip netns exec ns2 sh -c 'ip addr add 10.0.0.2/24 dev veth2; ip link set veth2 up'
ip -n ns2 -br addr show veth2
ip netns exec ns1 python3 -c 'import os; print("python in", os.environ["IPEMU_NETNS"])'
ip netns exec ns1 ping -c 2 -i 0.2 10.0.0.2
ip netns exec ns1 /usr/sbin/ip -br link show veth1
ip netns exec ns1 no-such-program || echo "status $?"
ip netns exec ns3 true || echo "status $?"
ip -br link show veth1 || echo "status $?"
ip -all netns exec sh -c 'ip netns identify; exit 3'
"""


def test_two_namespaces_with_netns_exec(ipemu_shim):
    result = ipemu_shim.run_script(TWO_NAMESPACES)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("ns1\n")
    assert re.search(r"^veth2@if\d+ +\S+ +10\.0\.0\.2/24", out, re.M)
    assert "python in ns1\n" in out
    assert "2 packets transmitted, 2 received, 0% packet loss" in out
    # a shimmed tool named by a path still runs on the host, in ns1
    assert re.search(r"^veth1@if\d+ +UP", out, re.M)
    assert "status 1\nstatus 255\nstatus 1\n" in out
    # iproute2's netns_foreach(): each namespace, newest first, the program run to its end
    assert out.endswith("\nnetns: ns2\nns2\n\nnetns: ns1\nns1\n")
    assert result.stderr == (
        'exec of "no-such-program" failed: No such file or directory\n'
        'Cannot open network namespace "ns3": No such file or directory\n'
        'Device "veth1" does not exist.\n')


CAPTURE = """\
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
tcpdump -i veth1 -n -c 2 arp > cap.txt 2> cap.err &
until grep -q listening cap.err; do sleep 0.02; done
ping -c 1 -W 1 192.168.2.12
echo "ping $?"
wait
echo "tcpdump $?"
"""


def test_background_tcpdump_catches_a_later_ping(ipemu_shim):
    result = ipemu_shim.run_script(CAPTURE)
    assert "ping 1\ntcpdump 0\n" in result.stdout
    cap = (ipemu_shim.cwd / "cap.txt").read_text()
    lines = cap.splitlines()
    assert len(lines) == 2
    assert all(re.match(r"\d\d:\d\d:\d\d\.\d{6} ARP, Request who-has 192\.168\.2\.12 "
                        r"tell 192\.168\.2\.11, length 28$", line) for line in lines)
    assert (ipemu_shim.cwd / "cap.err").read_text().endswith(
        "2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n")


def test_kill_gives_tcpdump_its_trailer(ipemu_shim):
    result = ipemu_shim.run_script(
        # -l: the ring's block is retired every 100 ms (1 s for a file without it),
        # and a kill before that loses its packets, as on the real machine
        # (scripts40_capture_assert)
        "tcpdump -l -i lo -n > lo.txt 2> lo.err & pid=$!\n"
        "until grep -q listening lo.err; do sleep 0.02; done\n"
        "ping -c 1 127.0.0.1 > /dev/null; sleep 0.3\n"
        "kill $pid; wait $pid; echo \"tcpdump $?\"\n"
        "ip monitor link > mon.txt & pid=$!\n"
        # (the monitor's own process attaches on the wall clock: on a loaded machine
        # it may not listen yet after a fixed sleep, so the link is made again until
        # it has heard it)
        "for i in $(seq 100); do ip link add d0 type dummy; sleep 0.1\n"
        "  [ -s mon.txt ] && grep -q '^[0-9]*: d0: ' mon.txt && break; ip link del d0; done\n"
        "kill $pid; wait $pid; echo \"monitor $?\"\n")
    assert result.stdout == "tcpdump 0\nmonitor 143\n"
    err = (ipemu_shim.cwd / "lo.err").read_text()
    assert "bytes\n2 packets captured\n" in err
    # tcpdump.c's main(): the extra newline after an interrupt goes to stdout
    out = (ipemu_shim.cwd / "lo.txt").read_text()
    assert "ICMP echo request" in out and out.endswith("\n\n")
    assert re.search(r"^\d+: d0: <BROADCAST,NOARP>", (ipemu_shim.cwd / "mon.txt").read_text(),
                     re.M)


def test_json_piped_into_a_real_program(ipemu_shim):
    result = ipemu_shim.run(
        "ip -j addr show | python3 -c 'import json, sys; "
        "print(*(a[\"local\"] for d in json.load(sys.stdin) for a in d[\"addr_info\"]))'")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "127.0.0.1 ::1 10.0.2.15 fe80::5054:ff:fe12:3456\n"
    links = json.loads(ipemu_shim.run("ip -j link show eth0").stdout)
    assert links[0]["ifname"] == "eth0"


def test_set_e_stops_on_an_ipemu_error(ipemu_shim):
    result = ipemu_shim.run_script(
        "set -e\nip link add d0 type dummy\nip link add d0 type dummy\necho not reached\n")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "RTNETLINK answers: File exists\n"


def test_files_in_the_working_directory(ipemu_shim):
    (ipemu_shim.cwd / "setup.batch").write_text(
        "link add b0 type dummy\nlink set b0 up\naddr add 10.9.9.9/24 dev b0\n")
    result = ipemu_shim.run_script(
        "ip -batch setup.batch && ip -br addr show b0\n"
        "printf 'link del b0\\nlink del b0\\n' | ip -batch -; echo \"batch $?\"\n"
        "tcpdump -i lo -w lo.pcap -c 2 2> /dev/null & \n"
        "sleep 0.3; ping -c 1 127.0.0.1 > /dev/null; wait\n"
        "tcpdump -r lo.pcap -n icmp 2>&1 | cut -d' ' -f2-\n"
        "tcpdump -r /tmp/lo.pcap 2>&1; echo \"read $?\"\n")
    assert re.match(r"b0 +UNKNOWN +10\.9\.9\.9/24", result.stdout)
    assert "Cannot find device \"b0\"\nCommand failed -:2\n" in result.stderr
    assert "batch 1\n" in result.stdout
    assert "IP 127.0.0.1 > 127.0.0.1: ICMP echo request" in result.stdout
    assert (ipemu_shim.cwd / "lo.pcap").read_bytes()[:4] == b"\xd4\xc3\xb2\xa1"
    # outside the working directory the files are the host's own (never the real /tmp)
    assert "tcpdump: /tmp/lo.pcap: No such file or directory\nread 1\n" in result.stdout


def test_state_is_kept_between_calls(ipemu_shim):
    assert ipemu_shim.run("ip link add d0 type dummy").returncode == 0
    assert ipemu_shim.run("ip -br link show d0").stdout.startswith("d0 ")
    # the shimmed call can be attached to from another terminal too (same host)
    from ipemu.shell.attach import socket_path
    assert os.path.exists(socket_path(ipemu_shim.name))


def test_a_host_that_cannot_start_never_runs_the_real_tool(tmp_path):
    from ipemu.shim.fixture import ShimHost
    host = ShimHost.create(tmp_path, scenario="no-such-scenario")
    try:
        result = host.run("ip -br link; echo \"status $?\"")
    finally:
        host.stop()
    assert result.stdout == "status 1\n"
    assert result.stderr.startswith(f"ipemu shim: ip: cannot reach or start the ipemu "
                                    f"host {host.name}: ")
    assert "the real ip is never run" in result.stderr


def test_ipemu_stop(tmp_path):
    from ipemu.shell.attach import socket_path
    from ipemu.shim.fixture import ShimHost
    host = ShimHost.create(tmp_path)
    assert host.run("ip link add d0 type dummy").returncode == 0
    stop = [sys.executable, "-m", "ipemu", "stop", host.name]
    done = subprocess.run(stop, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert not os.path.exists(socket_path(host.name))
    again = subprocess.run(stop, capture_output=True, text=True)
    assert (again.returncode, again.stderr) == (1, f"ipemu: no host named {host.name}\n")
    # the next call starts a fresh host
    assert host.run("ip link show d0").stderr == 'Device "d0" does not exist.\n'
    host.stop()


def test_the_shim_imports_no_ipemu(tmp_path):
    """A call's start-up is a bare Python's: the shim imports only builtin modules."""
    from ipemu.shim import shim_source
    source = shim_source("x", "default", "default")
    imports = set(re.findall(r"^\s*(?:import|from) (\w+)", source, re.M))
    assert "ipemu" not in imports
    assert imports <= {"os", "sys", "_signal", "_socket", "_json", "json", "time"}


def test_first_calls_at_once_start_one_host(ipemu_shim):
    result = ipemu_shim.run("for i in 1 2 3 4 5 6; do ip -br link show lo & done; wait")
    assert result.stderr == ""
    assert result.stdout.count("lo               UNKNOWN") == 6


def foreground() -> None:
    """A terminal's foreground job's dispositions, as an interactive shell gives them:
    the runner of these tests may have been started with SIGINT ignored (a script's
    background job, a benchmark's child), which a shim keeps as a C program does."""
    for signum in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
        signal.signal(signum, signal.SIG_DFL)


def test_ctrl_c_ends_a_foreground_ping_with_its_statistics(ipemu_shim):
    """SIGINT (a terminal's Ctrl-C) reaches the host's ping through its shim."""
    import signal
    ping = subprocess.Popen([str(ipemu_shim.dir / "ping"), "-i", "0.2", "127.0.0.1"],
                            cwd=ipemu_shim.cwd, env=ipemu_shim.env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=foreground)
    first = ping.stdout.readline() + ping.stdout.readline()
    ping.send_signal(signal.SIGINT)
    out, err = ping.communicate(timeout=30)
    assert first.startswith("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n64 bytes")
    assert re.search(r"\n--- 127\.0\.0\.1 ping statistics ---\n(\d+) packets transmitted, "
                     r"\1 received, 0% packet loss, time \d+ms\nrtt ", out)
    assert (ping.returncode, err) == (0, "")


def test_the_protocol_on_an_in_process_host(tmp_path, monkeypatch):
    """The attach protocol's `run` request, message by message, and a call leaves no
    terminal or shell behind on the host."""
    import asyncio

    from ipemu.machine import Machine
    from ipemu.shell import attach
    from ipemu.shell.live import Engine
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))

    async def session() -> dict:
        machine = Machine.create("default", "bare")
        shells = list(machine.shells)
        engine = Engine.create(machine)
        running = asyncio.create_task(engine.run())
        server = await attach.serve(engine, "proto")

        async def call(**request) -> list[dict]:
            reader, writer = await asyncio.open_unix_connection(server.path)
            writer.write(json.dumps({"cwd": str(tmp_path), **request}).encode() + b"\n")
            messages = []
            while raw := await reader.readline():
                message = json.loads(raw)
                if "prompt" not in message:
                    messages.append(message)
                if "exit" in message or "execve" in message:
                    break
            writer.close()
            return messages

        seen = {
            "add": await call(run=["ip", "netns", "add", "ns1"]),
            "exec": await call(run=["ip", "netns", "exec", "ns1", "bash", "-c", "true"]),
            "in_ns": await call(run=["ip", "-br", "link"], netns="ns1"),
            "gone": await call(run=["ip", "link"], netns="ns9"),
            "batch": await call(run=["ip", "-batch", "-"], stdin="link add d0 type dummy\n"),
            "ping6": await call(run=["ping6", "-c", "1", "127.0.0.1"]),
            "ping4": await call(run=["ip", "netns", "exec", "ns1", "ping4", "::1"]),
        }
        # a shim that goes away (kill -9) takes its program with it (SIGHUP)
        await call(run=["ip", "link", "set", "lo", "up"])
        reader, writer = await asyncio.open_unix_connection(server.path)
        writer.write(json.dumps({"run": ["tcpdump", "-i", "lo"]}).encode() + b"\n")
        while raw := await reader.readline():
            if b"listening on lo" in raw:
                break
        seen["running"] = len(machine.processes)
        writer.close()
        await asyncio.sleep(0.05)      # the host sees each connection close
        seen["left"] = (len(engine.terminals), machine.shells == shells,
                        len(machine.processes))
        running.cancel()
        await server.close()
        return seen

    seen = asyncio.run(session())
    assert seen["add"] == [{"exit": 0}]
    assert seen["exec"] == [{"exec": ["bash", "-c", "true"], "netns": "ns1"},
                            {"execve": True}]
    assert seen["in_ns"] == [{"out": "lo               DOWN           00:00:00:00:00:00 "
                                     "<LOOPBACK> \n", "fd": 1}, {"exit": 0}]
    assert seen["gone"] == [{"out": "ipemu: the network namespace ns9 (remembered by ip "
                                    "netns exec) no longer exists\n", "fd": 2}, {"exit": 1}]
    assert seen["batch"] == [{"exit": 0}]
    # ping6 is ping -6 (iputils picks the family from its name)
    assert seen["ping6"] == [{"out": "ping6: 127.0.0.1: Address family for hostname not "
                                     "supported\n", "fd": 2}, {"exit": 2}]
    assert seen["ping4"] == [{"out": "ping4: ::1: Address family for hostname not "
                                     "supported\n", "fd": 2}, {"exit": 2}]
    assert seen["running"] == 1
    assert seen["left"] == (0, True, 0)


def test_ctrl_z_stops_the_hosts_program_with_its_shim(ipemu_shim):
    """SIGTSTP stops the shim and its ping on the host (no echo goes out meanwhile);
    SIGCONT (`fg`) goes on with the next sequence number."""
    import signal
    import time
    ping = subprocess.Popen([str(ipemu_shim.dir / "ping"), "-i", "0.2", "127.0.0.1"],
                            cwd=ipemu_shim.cwd, env=ipemu_shim.env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=foreground)
    head = [ping.stdout.readline() for _ in range(3)]       # PING, seq 1, seq 2
    ping.send_signal(signal.SIGTSTP)
    time.sleep(1.2)                 # six intervals: six echoes if it were running
    ping.send_signal(signal.SIGCONT)
    after = ping.stdout.readline()
    ping.send_signal(signal.SIGINT)
    out, err = ping.communicate(timeout=30)
    assert "icmp_seq=2 " in head[2]
    assert re.search(r"icmp_seq=[34] ", after)
    sent = int(re.search(r"(\d+) packets transmitted", out).group(1))
    assert sent <= 5, out
    assert (ping.returncode, err) == (0, "")


# ------------------------------------------------ `ipemu --name NAME -c LINE`
def _on_host(name: str, line: str, cwd, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ipemu", "--name", name, *options,
                           "-c", line], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def test_a_line_on_a_running_host(ipemu_shim):
    """`ipemu --name NAME -c LINE` runs the line on that host (its state, the shims'),
    as `ipemu -c` runs a line: the shell language, its status, root's home backed by
    the working directory, every program ipemu's."""
    assert ipemu_shim.run("ip link add d0 type dummy").returncode == 0
    done = _on_host(ipemu_shim.name, "ip -br link show d0 | cut -c1-2; ip foo; "
                    "echo \"st $?\"; pwd; echo saved > f.txt; ip netns add n1; "
                    "ip netns exec n1 bash -c 'ip -br link'; exit 3", ipemu_shim.cwd)
    assert done.stdout == "d0\nst 1\n/root\nlo               DOWN           " \
        "00:00:00:00:00:00 <LOOPBACK> \n"
    assert done.stderr == 'Object "foo" is unknown, try "ip help".\n'
    assert done.returncode == 3
    assert (ipemu_shim.cwd / "f.txt").read_text() == "saved\n"
    # the shims see what the line did
    assert ipemu_shim.run("ip netns list").stdout == "n1\n"


def test_a_line_for_a_host_nobody_runs(tmp_path):
    done = _on_host("nobody-runs-this-19", "ip link", tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == \
        (1, "", "ipemu: no host named nobody-runs-this-19\n")
    bad = _on_host("-x", "ip link", tmp_path)
    assert (bad.returncode, bad.stderr) == \
        (1, "ipemu: bad host name '-x' (letters, digits, '.', '_', '-')\n")
    new = _on_host("h", "ip link", tmp_path, "--scenario", "bare")
    assert (new.returncode, new.stderr) == (2, "ipemu: --scenario makes a new host: it "
                                            "does not apply to -c on the running host h\n")


def test_a_signal_ends_a_line_on_a_running_host(ipemu_shim):
    """SIGINT goes to the program (ping prints its statistics, the line goes on);
    SIGTERM ends the line as it ends `bash -c`."""
    import signal
    assert ipemu_shim.run("ip link show lo").returncode == 0     # the host runs
    for line, signum, status, tail in (
            ("ping -i 0.2 127.0.0.1; echo after $?", signal.SIGINT, 0, " ms\nafter 0\n"),
            ("echo sleeping; sleep 30; echo after", signal.SIGINT, -signal.SIGINT,
             "sleeping\n"),
            ("echo sleeping; sleep 30; echo after", signal.SIGTERM, -signal.SIGTERM,
             "sleeping\n")):
        proc = subprocess.Popen([sys.executable, "-m", "ipemu", "--name", ipemu_shim.name,
                                 "-c", line], cwd=ipemu_shim.cwd, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                preexec_fn=foreground)
        # the line is under way once its first output is here (no second's guess):
        # PING and a first reply, or the echo before the sleep
        first = proc.stdout.readline()
        if line.startswith("ping"):
            first += proc.stdout.readline()
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
        assert (proc.returncode, err) == (status, ""), line
        assert (first + out).endswith(tail), line


def test_a_line_for_a_running_host_imports_what_the_shim_imports(ipemu_shim):
    """Start-up of `ipemu --name NAME -c` is a bare Python's and the shim's: no part
    of ipemu but the command line and the shim's client (issue 19)."""
    assert ipemu_shim.run("ip link show lo").returncode == 0     # the host runs
    code = ("import sys; from ipemu.cli import main; status = main(['--name', %r, '-c', "
            "'ip -br link show lo']); print(status, sorted(m for m in sys.modules if "
            "m.startswith('ipemu')))" % ipemu_shim.name)
    done = subprocess.run([sys.executable, "-c", code], cwd=ipemu_shim.cwd,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("lo ")
    assert done.stdout.splitlines()[-1] == \
        "0 ['ipemu', 'ipemu.cli', 'ipemu.shim', 'ipemu.shim.client']"
