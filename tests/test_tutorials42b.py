"""The fixes round 42's policy-routing and multi-homing tutorials led to (their cases,
tutorials42b_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1, iputils 20221126, util-linux 2.38.1),
twice, the two recordings alike under diff.py's masks. The cases name tables in
/etc/iproute2/rt_tables through a home copy bind-mounted over the file, in the
recorder's private mount namespace (the machine's own /etc must not change)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


HINT = "       dmesg(1) may have more information after failed mount system call.\n"


# --- mount --bind: a home copy of rt_tables over /etc's (tutorials42b_mount_bind_*)

def test_a_bind_mounted_rt_tables_names_the_tables_until_it_is_unmounted():
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "ip addr add 10.20.0.1/24 dev veth0", "ip link set veth0 up",
                   "cp /etc/iproute2/rt_tables rt_tables",
                   "echo '200 mytable' >> rt_tables",
                   "ip rule add from 10.20.0.1 table 200")
    assert _run(shell, "mount -B rt_tables /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "ip rule show from 10.20.0.1") == (
        "32765:\tfrom 10.20.0.1 lookup mytable\n", 0)
    # a write through the mount point lands in the copy
    _run(shell, 'echo "201 other" >> /etc/iproute2/rt_tables')
    assert _run(shell, "tail -2 rt_tables") == ("200 mytable\n201 other\n", 0)
    # mounts stack: each umount takes the top one off
    assert _run(shell, "mount -o bind rt_tables /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "umount /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "ip rule show from 10.20.0.1")[0].endswith("lookup mytable\n")
    assert _run(shell, "umount /etc/iproute2/rt_tables") == ("", 0)
    assert _run(shell, "ip rule show from 10.20.0.1") == (
        "32765:\tfrom 10.20.0.1 lookup 200\n", 0)
    assert _run(shell, "umount /etc/iproute2/rt_tables") == (
        "umount: /etc/iproute2/rt_tables: not mounted.\n", 32)
    assert _run(shell, "grep -c . /etc/iproute2/rt_tables") == ("11\n", 0)


def test_mount_bind_errors_are_libmounts():
    shell = _shell("mkdir d")
    assert _run(shell, "mount --bind rt_tables /etc/iproute2/rt_tables") == (
        "mount: /etc/iproute2/rt_tables: special device rt_tables does not exist.\n"
        + HINT, 32)
    assert _run(shell, "mount --bind /etc/iproute2/rt_tables /etc/iproute2/rt_tablez") == (
        "mount: /etc/iproute2/rt_tablez: mount point does not exist.\n" + HINT, 32)
    assert _run(shell, "mount --bind d /etc/iproute2/rt_tables") == (
        "mount: /etc/iproute2/rt_tables: mount point is not a directory.\n" + HINT, 32)
    assert _run(shell, "mount --bind /etc/hostname /mnt") == (
        "mount: /mnt: mount(2) system call failed: Not a directory.\n" + HINT, 32)
    assert _run(shell, "mount --bind /mnt") == (
        "mount: /mnt: mount(2) system call failed: No such file or directory.\n" + HINT, 32)
    assert _run(shell, "mount --bind") == (
        "mount: bad usage\nTry 'mount --help' for more information.\n", 1)
    assert _run(shell, "mount --bnd d /mnt") == (
        "mount: unrecognized option '--bnd'\nTry 'mount --help' for more information.\n", 1)


def test_a_bind_mounted_directory_shows_and_takes_the_sources_files():
    shell = _shell("mkdir -p a b", "echo one > a/f")
    assert _run(shell, "mount --bind a b") == ("", 0)
    assert _run(shell, "cat b/f") == ("one\n", 0)
    _run(shell, "echo two > b/f")
    assert _run(shell, "cat a/f") == ("two\n", 0)
    assert _run(shell, "umount b") == ("", 0)
    assert _run(shell, "ls b") == ("", 0)
    assert _run(shell, "umount nosuch") == ("umount: nosuch: no mount point specified.\n", 32)


# --- ip_route_connect(): the second lookup with the chosen source
#     (tutorials42b_oneuptime_unreachable_policy)

def test_connect_looks_the_route_up_again_with_the_source_it_chose():
    shell = _shell("ip netns add gw", "ip link add eth0 type veth peer name g0 netns gw",
                   "ip addr add 192.168.1.10/24 dev eth0", "ip link set eth0 up",
                   "ip link set lo up", "ip -n gw addr add 192.168.1.1/24 dev g0",
                   "ip -n gw link set g0 up", "ip route add default via 192.168.1.1",
                   "ip route add unreachable 10.50.0.0/24 table 100",
                   "ip rule add from 192.168.1.0/24 table 100")
    # the first lookup (no source) finds main's default route and the source
    # 192.168.1.10; the second, from it, meets table 100's unreachable route
    assert _run(shell, "ping -c 1 -W 1 10.50.0.1") == (
        "ping: connect: No route to host\n", 2)
    # a source the rule does not match leaves the first answer standing
    assert _run(shell, "ping -c 1 -W 1 10.60.0.1")[0].startswith(
        "PING 10.60.0.1 (10.60.0.1) 56(84) bytes of data.\n")
