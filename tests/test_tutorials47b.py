"""The fixes round 47's network namespace visit led to (its cases, tutorials47b_, are
replayed whole by test_rounds.py). Every expected text was recorded on the project's
Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a pty:
Linux 6.18, iproute2 6.1)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


_shell = test_bash_c_lines.shell_after     # each setup line must succeed
_out = test_bash_c_lines.output


def test_n_opens_a_path_under_run_netns_as_netns_switch_does():
    # lib/namespace.c netns_switch(): open("/var/run/netns/" NAME), then setns()
    shell = _shell("ip netns add ns1", "ip netns exec ns1 ip link set lo up")
    assert _out(shell, "ip -n '' link") == (
        'setting the network namespace "" failed: Invalid argument\n')
    assert _out(shell, "ip -n .. link") == (
        'setting the network namespace ".." failed: Invalid argument\n')
    assert _out(shell, "ip -n ns1/ link") == (
        'Cannot open network namespace "ns1/": Not a directory\n')
    assert _out(shell, "ip -n ../netns/ns1 -br addr") == (
        "lo               UNKNOWN        127.0.0.1/8 ::1/128 \n")
    assert _out(shell, "tc -n ns1/ qdisc; echo $?") == (
        'Cannot open network namespace "ns1/": Not a directory\n255\n')


def test_link_set_netns_of_a_directory_is_the_kernels_einval():
    # netns_get_fd() opens /run/netns (a directory): IFLA_NET_NS_FD, EINVAL
    shell = _shell("ip netns add ns1", "ip link add v0 type veth peer name v1")
    for word in ("''", ".", "..", "/run/netns", "/run/netns/"):
        assert _out(shell, f"ip link set v1 netns {word}") == (
            "RTNETLINK answers: Invalid argument\n")
    assert _out(shell, "ip link set v1 netns /run/netns/ns1/") == (
        'Error: argument "/run/netns/ns1/" is wrong: Invalid "netns" value\n\n')


def test_ss_net_switches_the_namespace_it_lists():
    shell = _shell("ip netns add web", "ip -n web link set lo up",
                   "ip netns exec web timeout 4 python3 -m http.server 8047 "
                   "--bind 127.0.0.1 > /dev/null 2>&1 &", "sleep 1.5")
    # (the columns are the terminal's width: the words are compared)
    listen = ["LISTEN", "0", "5", "127.0.0.1:8047", "0.0.0.0:*"]
    assert _out(shell, "ss -H -tln") == ""
    assert _out(shell, "ss -N web -H -tln").split() == listen
    assert _out(shell, "ss --net=web -H -tln").split() == listen


def test_netns_monitor_sees_entries_not_mounts():
    # inotify IN_CREATE | IN_DELETE on /run/netns: touch, ln -s and rm are seen; the
    # del of a link unmounts its target (umount2() follows it) and unlinks only the link
    shell = _shell("ip netns add real")
    assert _out(shell, "timeout 1 ip netns monitor & sleep 0.2; touch /run/netns/plain; "
                "ln -s /run/netns/real /run/netns/alias; ip netns del plain; "
                "ip netns del alias; wait") == (
        "add plain\nadd alias\ndelete plain\ndelete alias\n")
