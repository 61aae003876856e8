"""The fixes round 41b's container-networking tutorials led to (their cases,
tutorials41e_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: a tmpfs on /run, so no /var/run/docker.sock), twice, the two
recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

NO_DAEMON = ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
             "Is the docker daemon running?\n")


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- the machine's docker CLI (28.2.2 in /usr/local/bin) without a daemon

def test_docker_is_the_machines_cli_in_usr_local_bin():
    shell = _shell()
    assert _run(shell, "which docker") == ("/usr/local/bin/docker\n", 0)
    assert _run(shell, "type docker") == ("docker is /usr/local/bin/docker\n", 0)
    assert _run(shell, "ls -l /usr/local/bin/docker | cut -c1-35") == (
        "-rwxr-xr-x 1 root root 42791888 May\n", 0)
    assert _run(shell, "docker --version") == ("Docker version 28.2.2, build e6534b4\n", 0)
    assert _run(shell, "docker -v") == ("Docker version 28.2.2, build e6534b4\n", 0)


def test_docker_commands_that_ask_the_daemon_fail_with_status_1_on_stderr():
    shell = _shell()
    for line in ("docker ps", "docker network ls", "docker exec -it web ip a",
                 "docker rm -f web", "docker network create --subnet 172.30.0.0/16 n"):
        assert _run(shell, line) == (NO_DAEMON, 1), line
    assert _run(shell, "docker ps 2>/dev/null; echo $?") == ("1\n", 0)
    assert _run(shell, "docker ps -q | wc -l") == (NO_DAEMON + "0\n", 0)


def test_docker_run_is_a_status_error_125():
    shell = _shell()
    assert _run(shell, "docker run -d --name blue alpine sleep 1000") == (
        "docker: " + NO_DAEMON + "\nRun 'docker run --help' for more information\n", 125)


def test_docker_inspect_prints_its_empty_result_first():
    shell = _shell()
    assert _run(shell, "docker network inspect bridge") == ("[]\n" + NO_DAEMON, 1)
    assert _run(shell, "docker inspect --format '{{.State.Pid}}' web") == (
        "\n" + NO_DAEMON, 1)
    assert _run(shell, "PID=$(docker inspect -f '{{.State.Pid}}' web); "
                       "echo \"pid=[$PID] rc=$?\"") == (NO_DAEMON + "pid=[] rc=1\n", 0)


def test_docker_version_and_info_print_the_client_half():
    shell = _shell()
    text, status = _run(shell, "docker version")
    assert status == 1 and text.startswith("Client:\n Version:           28.2.2\n")
    assert text.endswith(" Context:           default\n" + NO_DAEMON)
    assert _run(shell, "docker info") == (
        "Client:\n Version:    28.2.2\n Context:    default\n Debug Mode: false\n\n"
        "Server:\n" + NO_DAEMON, 1)


def test_docker_unknown_command_and_help():
    shell = _shell()
    assert _run(shell, "docker netwrok ls") == (
        "docker: unknown command: docker netwrok\n\n"
        "Run 'docker --help' for more information\n", 1)
    text, status = _run(shell, "docker 2>/dev/null | wc -l; docker --help | wc -l")
    assert (text, status) == ("0\n92\n", 0)


# --- a bridge's carrier loss held by linkwatch: its routes are not linkdown yet

def test_routes_through_a_bridge_wait_for_linkwatch_to_be_linkdown():
    # fib_netdev_event(NETDEV_CHANGE) sets RTNH_F_LINKDOWN when linkwatch runs the
    # bridge's carrier loss; within a second of the last run it is held, so a route
    # dump right after the port leaves (or its peer goes down) shows the route as it
    # was, while `ip link show docker0` (RTM_GETLINK: linkwatch_sync_dev()) already
    # says NO-CARRIER, state DOWN; a second later the route is linkdown. A port
    # deleted runs it at once. Recorded three times (probe of tutorials41e_netns_move_edges)
    shell = _shell("ip link add docker0 type bridge",
                   "ip addr add 172.17.0.1/16 dev docker0", "ip link set docker0 up",
                   "ip link add veth0 type veth peer name eth0",
                   "ip link set veth0 master docker0", "ip link set veth0 up",
                   "ip link set eth0 up", "sleep 1.5")
    route = "172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 "
    assert _run(shell, "ip route") == (route + "\n", 0)
    assert _run(shell, "ip link set veth0 nomaster; ip route") == (route + "\n", 0)
    text, _ = _run(shell, "ip link show docker0")
    assert "<NO-CARRIER,BROADCAST,MULTICAST,UP>" in text and "state DOWN" in text
    assert _run(shell, "sleep 1.5; ip route") == (route + "linkdown \n", 0)
    assert _run(shell, "ip link set veth0 master docker0; sleep 1.5; ip route") == (
        route + "\n", 0)
    assert _run(shell, "ip link set eth0 down; ip route") == (route + "\n", 0)
    assert _run(shell, "sleep 1.5; ip route") == (route + "linkdown \n", 0)
    assert _run(shell, "ip link set eth0 up; ip route") == (route + "\n", 0)
    assert _run(shell, "sleep 1.5; ip link del veth0; ip route") == (
        route + "linkdown \n", 0)


def test_a_route_added_while_the_loss_is_held_is_linkdown_at_once():
    # fib_check_nh(): a new route takes the carrier as it is (netif_carrier_ok()); a
    # route given by gateway asks no RTM_GETLINK, so the held loss stays held for the
    # others; `dev br0` resolves the name by RTM_GETLINK, which runs it (recorded)
    shell = _shell("ip link add br0 type bridge", "ip link set br0 up",
                   "ip addr add 10.1.0.1/24 dev br0",
                   "ip link add v0 type veth peer name v1",
                   "ip link set v0 master br0", "ip link set v0 up", "ip link set v1 up",
                   "sleep 1.5", "ip link set v0 nomaster",
                   "ip route add 10.2.0.0/24 dev br0")
    assert _run(shell, "ip route") == (
        "10.1.0.0/24 dev br0 proto kernel scope link src 10.1.0.1 linkdown \n"
        "10.2.0.0/24 dev br0 scope link linkdown \n", 0)
    assert _run(shell, "sleep 1.5; ip link set v0 master br0; sleep 1.5; "
                       "ip link set v1 down; ip route add 10.3.0.0/24 via 10.1.0.9; "
                       "ip route") == (
        "10.1.0.0/24 dev br0 proto kernel scope link src 10.1.0.1 \n"
        "10.2.0.0/24 dev br0 scope link \n"
        "10.3.0.0/24 via 10.1.0.9 dev br0 linkdown \n", 0)
    assert _run(shell, "ip -6 route show dev br0") == (
        "fe80::/64 proto kernel metric 256 linkdown pref medium\n", 0)


# --- sysctl --system (procps-ng 4.0.2 PreloadSystem()) on the recording machine's files

APPLYING = ("* Applying /usr/lib/sysctl.d/50-pid-max.conf ...\n"
            "* Applying /usr/lib/sysctl.d/99-protect-links.conf ...\n"
            "* Applying /etc/sysctl.d/99-sysctl.conf ...\n"
            "* Applying /etc/sysctl.conf ...\n")
MACHINE = ("kernel.pid_max = 4194304\nfs.protected_fifos = 1\nfs.protected_hardlinks = 1\n"
           "fs.protected_regular = 2\nfs.protected_symlinks = 1\n")


def test_sysctl_system_announces_every_file_then_writes_their_settings():
    # recorded: tutorials41e_k8s_sysctl_system (ipemu said "no variables specified")
    shell = _shell("sysctl -w net.ipv4.ip_forward=1")
    assert _run(shell, "sysctl --system") == (APPLYING + MACHINE, 0)
    assert _run(shell, "sysctl --system --dry-run") == (APPLYING + MACHINE, 0)
    assert _run(shell, "sysctl -q --system; echo $?") == ("0\n", 0)
    assert _run(shell, "sysctl --system net.ipv4.ip_forward") == (APPLYING + MACHINE, 0)
    assert _run(shell, "sysctl kernel.pid_max fs.protected_regular") == (
        "kernel.pid_max = 4194304\nfs.protected_regular = 2\n", 0)
    assert _run(shell, "sysctl net.ipv4.ip_forward") == ("net.ipv4.ip_forward = 1\n", 0)
    text, _ = _run(shell, "sysctl -a | grep -c -e pid_max -e protected_")
    assert text == "0\n"


def test_sysctl_system_reads_a_file_the_session_wrote_in_its_sorted_place():
    # PreloadSystem(): *.conf names of the directories, the first directory's copy of
    # a name, sorted by name (strcmp), then /etc/sysctl.conf; all read, then written
    shell = _shell("mkdir -p /etc/sysctl.d",
                   "printf 'net.ipv4.ip_forward = 1\\n' > /etc/sysctl.d/k8s.conf",
                   "printf 'x\\n' > /etc/sysctl.d/k8s.txt")
    text, status = _run(shell, "sysctl --system")
    assert status == 0
    assert text == APPLYING.replace("* Applying /etc/sysctl.conf",
                                    "* Applying /etc/sysctl.d/k8s.conf ...\n"
                                    "* Applying /etc/sysctl.conf") + MACHINE + \
        "net.ipv4.ip_forward = 1\n"
