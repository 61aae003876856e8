"""The fixes round 40's network namespace tutorials led to (their cases, tutorials40d_,
are replayed whole by test_rounds.py). Every expected text was recorded on the
project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a
pty: a tmpfs on /run holding netns; iproute2 6.1, util-linux 2.38.1, coreutils 9.1),
twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- umount of an `ip netns add` name (php.bkmy88.com's stale-namespace cleanup)

def test_umount_leaves_a_mode_0_file_ip_netns_lists_and_cannot_open():
    shell = _shell("ip netns add a", "ip netns add b")
    assert _run(shell, "umount /run/netns/a; echo $?") == ("0\n", 0)
    # netns_map_init() and netns_list() each ask the file's nsid: two extacks, the
    # names newest first (b was made after a; a keeps its place)
    assert _run(shell, "ip netns list") == (
        "Error: Peer netns reference is invalid.\nb\n"
        "Error: Peer netns reference is invalid.\na\n", 0)
    assert _run(shell, "ip netns exec a true; echo $?") == (
        'setting the network namespace "a" failed: Invalid argument\n255\n', 0)
    assert _run(shell, "ip netns add a; echo $?") == (
        'Cannot create namespace file "/run/netns/a": File exists\n1\n', 0)
    assert _run(shell, "ls -l /run/netns | awk '{print $1, $5, $NF}'") == (
        "total  0\n---------- 0 a\n-r--r--r-- 0 b\n", 0)
    assert _run(shell, "ip netns delete a; echo $?") == ("0\n", 0)
    assert _run(shell, "ip netns list") == ("b\n", 0)


def test_umount_errors():
    shell = _shell("ip netns add a")
    assert _run(shell, "umount; echo $?") == (
        "umount: bad usage\nTry 'umount --help' for more information.\n1\n", 0)
    assert _run(shell, "umount /var/run/netns/nosuch; echo $?") == (
        "umount: /var/run/netns/nosuch: no mount point specified.\n32\n", 0)
    assert _run(shell, "umount /run/netns; echo $?") == (
        "umount: /run/netns: target is busy.\n32\n", 0)
    assert _run(shell, "umount -l /run/netns/a; umount /run/netns/a; echo $?") == (
        "umount: /run/netns/a: not mounted.\n32\n", 0)


# --- ls of /run and /var/run (oneuptime's `ls -la /var/run/netns/`)

def test_ls_of_the_run_tmpfs_and_the_var_run_link():
    shell = _shell("ip netns add a")
    # `..` of /var/run/netns is /run (a tmpfs: 60 bytes, three links), not /var
    out = _run(shell, "ls -la /var/run/netns/ | awk '{print $1, $2, $5, $NF}'")[0]
    assert out == "total 0  0\ndrwxr-xr-x 2 60 .\ndrwxr-xr-x 3 60 ..\n" \
        "-r--r--r-- 1 0 a\n", out
    out = _run(shell, "ls -la /run | awk 'NR!=3{print $1, $2, $5, $NF}'")[0]
    assert out == "total 4  4\ndrwxr-xr-x 3 60 .\ndrwxr-xr-x 2 60 netns\n", out
    assert _run(shell, "ls -l /var/run")[0] == \
        "lrwxrwxrwx 1 root root 4 May 20  2025 /var/run -> /run\n"
    assert _run(shell, "ls -ld /var/run/ | awk '{print $1, $2, $5}'")[0] == \
        "drwxr-xr-x 3 60\n"


def test_names_keep_their_readdir_places_across_umount_and_touch():
    # recorded: a's file stays where a was (oldest), the touched c is the newest;
    # /run/netns grows by 20 bytes a name, whatever the file
    shell = _shell("ip netns add a", "ip netns add b", "umount /run/netns/a")
    assert _run(shell, 'ls -ld /run/netns | cut -d" " -f1-5')[0] == \
        "drwxr-xr-x 2 root root 80\n"
    _run(shell, "touch /run/netns/c")
    assert _run(shell, 'ls -ld /run/netns | cut -d" " -f1-5')[0] == \
        "drwxr-xr-x 2 root root 100\n"
    invalid = "Error: Peer netns reference is invalid.\n"
    assert _run(shell, "ip netns")[0] == invalid * 3 + "c\nb\n" + invalid + "a\n"


def test_ln_sf_over_a_name_makes_it_the_newest():
    # scripts30_netns_links: `ln -sfT /proc/PID/ns/net /var/run/netns/web` again after
    # `ip netns add box` lists web first
    shell = _shell("ln -s /proc/self/ns/net /run/netns/web", "ip netns list",
                   "ip netns add box", "ln -sfT /proc/self/ns/net /run/netns/web")
    assert [line.split()[0] for line in _run(shell, "ip netns list")[0].splitlines()] == \
        ["web", "box"]


# --- stat of namespace files (sysnerd.dev: the handle under /run/netns is the
# bind-mounted /proc/PID/ns/net)

def test_stat_of_nsfs_files_and_the_proc_link():
    shell = _shell("ip netns add web")
    assert _run(shell, "stat -c '%F %a %s %h %U' /run/netns/web")[0] == \
        "regular empty file 444 0 1 root\n"
    assert _run(shell, "stat -L -c '%F %a %s %n' /proc/self/ns/net")[0] == \
        "regular empty file 444 0 /proc/self/ns/net\n"
    assert _run(shell, "stat -c '%F %a %s %N' /proc/self/ns/net | "
                "sed 's/[0-9]\\{6,\\}/N/'")[0] == \
        "symbolic link 777 0 '/proc/self/ns/net' -> 'net:[N]'\n"
    same = '&& echo same || echo differ'
    assert _run(shell, '[ "$(stat -L -c %i /proc/self/ns/net)" = '
                f'"$(stat -c %i /run/netns/web)" ] {same}')[0] == "differ\n"
    assert _run(shell, '[ "$(ip netns exec web stat -L -c %i /proc/self/ns/net)" = '
                f'"$(stat -c %i /run/netns/web)" ] {same}')[0] == "same\n"


# --- -all exec and rm beside a file umount left (linuxhowtos' ip-netns page)

def test_all_exec_runs_the_names_after_a_refused_file_twice():
    shell = _shell("ip netns add a", "ip netns add b", "umount /run/netns/b")
    lo = "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n"
    assert _run(shell, "ip -all netns exec ip -br link; echo $?")[0] == (
        "\nnetns: b\n"
        'setting the network namespace "b" failed: Invalid argument\n'
        f"\nnetns: a\n{lo}\nnetns: a\n{lo}0\n")


def test_rm_takes_the_file_umount_left():
    shell = _shell("ip netns add c", "umount /run/netns/c")
    assert _run(shell, "rm /var/run/netns/c; echo $?")[0] == "0\n"
    assert _run(shell, "ls -A /run/netns; ip netns list")[0] == ""


# --- ip netns and ip link on a stale name (man.x-cmd.com's ip-netns page)

def test_commands_on_a_name_umount_left():
    shell = _shell("ip netns add p", "umount /run/netns/p",
                   "ip link add v0 type veth peer name v1")
    assert _run(shell, "ip netns pids p; echo $?")[0] == "0\n"
    assert _run(shell, "ip netns set p 3; echo $?")[0] == \
        "Error: Peer netns reference is invalid.\n2\n"
    assert _run(shell, "ip netns attach p $$; echo $?")[0] == \
        'Cannot create namespace file "/run/netns/p": File exists\n1\n'
    assert _run(shell, "ip link set v1 netns p; echo $?")[0] == \
        "RTNETLINK answers: Invalid argument\n2\n"
    assert _run(shell, "ip netns identify $$")[0] == "\n"


def test_all_exec_past_a_dangling_link_and_a_stale_file():
    shell = _shell("ip netns add a", "ip netns add p", "umount /run/netns/p",
                   "ln -s /proc/999999/ns/net /run/netns/dead")
    refused = 'setting the network namespace "p" failed: Invalid argument\n'
    tail = f"\nnetns: p\n{refused}\nnetns: a\n\nnetns: a\n"
    assert _run(shell, "ip -all netns exec true; echo $?")[0] == (
        '\nnetns: dead\nCannot open network namespace "dead": No such file or directory\n'
        + tail + tail + "0\n")
