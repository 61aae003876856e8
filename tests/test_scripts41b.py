"""Round 41b's scripts (transcripts/scripts/scripts41b_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: bash 5.2, findutils 4.9, glibc 2.36; the recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts41b_")


def test_round41b_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 3


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts41b_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def test_find_printf_l_is_the_link_target():
    # scripts41b_iface_discovery: print.c's do_fprintf() 'l' is readlink() of a symbolic
    # link, the empty string for anything else; ipemu printed `%l` itself (recorded)
    out = _lines("ip link add v0 type veth peer name v1\n"
                 "find /sys/class/net -maxdepth 1 -name 'v*' -printf '%f %y %l\\n' | sort\n"
                 "find /sys/class/net/v0/ -maxdepth 1 -type l -printf '%f %l\\n' | sort\n"
                 "find /sys/class/net /sys/class/net/v0/mtu -maxdepth 0 -printf '%p [%l] %y\\n'\n")
    assert out == ("v0 l ../../devices/virtual/net/v0\n"
                   "v1 l ../../devices/virtual/net/v1\n"
                   "subsystem ../../../../class/net\n"
                   "/sys/class/net [] d\n"
                   "/sys/class/net/v0/mtu [] f\n")


def test_mapfile_values_end_at_a_nul():
    # bind_array_element() takes a C string: `mapfile -d ''` without -t keeps the NUL
    # delimiter, which ends the value; a NUL inside a line ends it too (recorded: bash 5.2)
    out = _lines("mapfile -d '' arr < <(printf 'a\\0b\\0c\\0'); declare -p arr\n"
                 "mapfile arr2 < <(printf 'x\\0y\\nz\\n'); declare -p arr2\n"
                 "mapfile -t -d '' arr3 < <(printf 'p\\0q'); declare -p arr3\n")
    assert out == ('declare -a arr=([0]="a" [1]="b" [2]="c")\n'
                   'declare -a arr2=([0]="x" [1]=$\'z\\n\')\n'
                   'declare -a arr3=([0]="p" [1]="q")\n')


@pytest.mark.parametrize("line, expected", [
    ("getconf _NPROCESSORS_ONLN", "2\n"),
    ("getconf _NPROCESSORS_CONF", "2\n"),
    ("getconf PAGESIZE; getconf PAGE_SIZE; getconf LONG_BIT; getconf CLK_TCK",
     "4096\n4096\n64\n100\n"),
    ("getconf GNU_LIBC_VERSION", "glibc 2.36\n"),
    ("getconf PATH_MAX /; getconf NAME_MAX /sys", "4096\n255\n"),
    ("getconf NOPE; echo $?", "getconf: Unrecognized variable `NOPE'\n2\n"),
    ("getconf NPROCESSORS_ONLN; echo $?",
     "getconf: Unrecognized variable `NPROCESSORS_ONLN'\n2\n"),
    ("getconf; echo $?", "Usage: getconf [-v specification] variable_name [pathname]\n"
     "       getconf -a [pathname]\n2\n"),
    ("getconf PATH_MAX; echo $?", "Usage: getconf [-v specification] variable_name [pathname]\n"
     "       getconf -a [pathname]\n2\n"),
    ("getconf _NPROCESSORS_ONLN extra; echo $?",
     "Usage: getconf [-v specification] variable_name [pathname]\n"
     "       getconf -a [pathname]\n2\n"),
    ("command -v getconf", "/usr/bin/getconf\n"),
])
def test_getconf(line, expected):
    # glibc 2.36's getconf on the recording machine (two CPUs: the profile's nproc)
    assert _lines(line + "\n") == expected


def test_sysfs_device_directory_through_its_class_link():
    # /sys/class/net/DEV is a link; DEV/, DEV/. and /sys/devices/virtual/net/DEV are the
    # device's directory, whose st_nlink counts its subdirectories (power, queues,
    # statistics); ipemu showed `.` of `ls -la DEV/` as the link (recorded)
    out = _lines("ip link add v0 type veth peer name v1\n"
                 "ls -ld /sys/devices/virtual/net/v0 | cut -d' ' -f1,2,9-\n"
                 "ls -la /sys/class/net/v0/ | awk 'NR == 2 {print $1, $2, $NF}'\n"
                 "stat -c '%n %F %a %s %h' /sys/class/net/v0 /sys/class/net/v0/ "
                 "/sys/devices/virtual/net/v0 /sys/class/net/v0/.\n"
                 "ls -ld /sys/class/net/v0 /sys/class/net/v0/ /sys/class/net/v0/. "
                 "| cut -d' ' -f1,2,9-\n"
                 "ls -ld /sys/class/net/v0/statistics /sys/class/net/v0/queues "
                 "/sys/class/net/v0/queues/rx-0 /sys/class/net/v0/power | cut -d' ' -f1,2,9-\n")
    assert out == ("drwxr-xr-x 5 /sys/devices/virtual/net/v0\n"
                   "drwxr-xr-x 5 .\n"
                   "/sys/class/net/v0 symbolic link 777 0 1\n"
                   "/sys/class/net/v0/ directory 755 0 5\n"
                   "/sys/devices/virtual/net/v0 directory 755 0 5\n"
                   "/sys/class/net/v0/. directory 755 0 5\n"
                   "lrwxrwxrwx 1 /sys/class/net/v0 -> ../../devices/virtual/net/v0\n"
                   "drwxr-xr-x 5 /sys/class/net/v0/\n"
                   "drwxr-xr-x 5 /sys/class/net/v0/.\n"
                   "drwxr-xr-x 2 /sys/class/net/v0/power\n"
                   "drwxr-xr-x 4 /sys/class/net/v0/queues\n"
                   "drwxr-xr-x 2 /sys/class/net/v0/queues/rx-0\n"
                   "drwxr-xr-x 2 /sys/class/net/v0/statistics\n")


def test_find_printf_widths_and_a_start_points_slash():
    # scripts41b_netconf_check: print.c keeps a directive's flags, width and precision
    # for its printf (`%-8f`, `%.12l`, `%4d`); %f of a start point keeps its trailing
    # slash (recorded); ipemu printed `%-8f` as it was
    out = _lines("ip link add br0 type bridge\n"
                 "find /sys/class/net/ -mindepth 1 -maxdepth 1 -printf "
                 "'%-8f %-5y %.12l|\\n' | sort\n"
                 "find /sys/class/net/br0/ -maxdepth 1 -type d -printf '%4d %-10f|\\n' | sort\n")
    assert out == ("br0      l     ../../device|\n"
                   "lo       l     ../../device|\n"
                   "   0 br0/      |\n"
                   "   1 bridge    |\n"
                   "   1 brif      |\n"
                   "   1 power     |\n"
                   "   1 queues    |\n"
                   "   1 statistics|\n")


def test_proc_sys_files_modes_for_stat_and_ls():
    # proc_sys_make_inode(): a sysctl file's mode is its table's (0644, 0444 read-only,
    # 0200 the route flush, 0600 stable_secret), size 0; /proc/sys directories 0555;
    # stat said `cannot statx` and ls -l showed every one 0444 (recorded)
    out = _lines("ip link add veth0 type veth peer name veth1\n"
                 "stat -c '%n|%s|%a|%F|%A' /proc/sys/net/ipv4/ip_forward "
                 "/proc/sys/net/ipv4/tcp_available_congestion_control "
                 "/proc/sys/net/ipv4/route/flush /proc/sys/net/ipv4/conf/lo/forwarding "
                 "/proc/sys/net/ipv4 /proc/net/dev\n"
                 "stat -c %n /proc/sys/net/nope; echo $?\n"
                 "ls -l /proc/sys/net/ipv4/route/ | awk '{print $1, $NF}' "
                 "| grep -E 'flush|mtu_expires'\n"
                 "ls -l /proc/sys/net/ipv6/conf/veth0/disable_ipv6 "
                 "/proc/sys/net/ipv6/conf/veth0/stable_secret | cut -d' ' -f1,9\n")
    assert out == (
        "/proc/sys/net/ipv4/ip_forward|0|644|regular empty file|-rw-r--r--\n"
        "/proc/sys/net/ipv4/tcp_available_congestion_control|0|444|regular empty file|"
        "-r--r--r--\n"
        "/proc/sys/net/ipv4/route/flush|0|200|regular empty file|--w-------\n"
        "/proc/sys/net/ipv4/conf/lo/forwarding|0|644|regular empty file|-rw-r--r--\n"
        "/proc/sys/net/ipv4|0|555|directory|dr-xr-xr-x\n"
        "/proc/net/dev|0|444|regular empty file|-r--r--r--\n"
        "stat: cannot statx '/proc/sys/net/nope': No such file or directory\n1\n"
        "--w------- flush\n-rw-r--r-- mtu_expires\n"
        "-rw-r--r-- /proc/sys/net/ipv6/conf/veth0/disable_ipv6\n"
        "-rw------- /proc/sys/net/ipv6/conf/veth0/stable_secret\n")


def test_find_printf_inode_directives():
    # do_fprintf()'s lstat() directives: %s %m %M %n %k %b %u %g %U %G and %Y (the type a
    # link leads to); an `ln -s` link is `l` for -type/%y (find -P); ipemu printed them
    # as they were (recorded)
    out = _lines(
        "ip link add br0 type bridge; ip link add v0 type veth peer name v1; "
        "ip link set v1 master br0; mkdir -p d/sub; printf abc > d/f; ln -s f d/l\n"
        "find /sys/class/net/v0/ -maxdepth 1 -name '[aot]*' "
        "-printf '%f %s %m %M %u %g %U %G %n %k %b\\n' | sort\n"
        "find /sys/class/net/br0/brif/ /sys/class/net/v1/brport/ -maxdepth 1 -name '[bv]*' "
        "-printf '%f %s %m %M %n %y %Y\\n' | sort\n"
        "find /proc/sys/net/ipv4/route /proc/sys/net/ipv4/ip_forward /proc/net/dev "
        "-maxdepth 1 -name '[fgi]*' -printf '%p %s %m %M %n\\n' | sort\n"
        "find d -printf '%p %s %m %M %n %y %Y %l\\n' | sort\n"
        "find /sys/class/net -maxdepth 1 -name 'v*' -printf '%f %s %m %M %n %Y\\n' | sort\n")
    assert out == (
        "addr_assign_type 4096 444 -r--r--r-- root root 0 0 1 0 0\n"
        "addr_len 4096 444 -r--r--r-- root root 0 0 1 0 0\n"
        "address 4096 444 -r--r--r-- root root 0 0 1 0 0\n"
        "operstate 4096 444 -r--r--r-- root root 0 0 1 0 0\n"
        "testing 4096 444 -r--r--r-- root root 0 0 1 0 0\n"
        "threaded 4096 644 -rw-r--r-- root root 0 0 1 0 0\n"
        "tx_queue_len 4096 644 -rw-r--r-- root root 0 0 1 0 0\n"
        "type 4096 444 -r--r--r-- root root 0 0 1 0 0\n"
        "backup_port 4096 644 -rw-r--r-- 1 f f\n"
        "bpdu_guard 4096 644 -rw-r--r-- 1 f f\n"
        "bridge 0 777 lrwxrwxrwx 1 l d\n"
        "brif/ 0 755 drwxr-xr-x 2 d d\n"
        "broadcast_flood 4096 644 -rw-r--r-- 1 f f\n"
        "brport/ 0 755 drwxr-xr-x 2 d d\n"
        "v1 0 777 lrwxrwxrwx 1 l d\n"
        "/proc/sys/net/ipv4/ip_forward 0 644 -rw-r--r-- 1\n"
        "/proc/sys/net/ipv4/route/flush 0 200 --w------- 1\n"
        "d 4096 755 drwxr-xr-x 3 d d \n"
        "d/f 3 644 -rw-r--r-- 1 f f \n"
        "d/l 1 777 lrwxrwxrwx 1 l f f\n"
        "d/sub 4096 755 drwxr-xr-x 2 d d \n"
        "v0 0 777 lrwxrwxrwx 1 d\n"
        "v1 0 777 lrwxrwxrwx 1 d\n")


def test_find_symbolic_links_by_mode():
    # find -P (the default) never follows an `ln -s` link: -type l finds it; -L follows
    # every link (-type l then finds only broken ones), -H the start points' (recorded:
    # findutils 4.9)
    out = _lines("mkdir -p d/sub; ln -s sub d/ls; ln -s d dl\n"
                 "find d -type l\n"
                 "find -L d -type l; echo $?\n"
                 "find -L d | sort\n"
                 "find dl; find -H dl | sort; find -L dl -type d | sort\n")
    assert out == ("d/ls\n0\nd\nd/ls\nd/sub\n"
                   "dl\ndl\ndl/ls\ndl/sub\ndl\ndl/ls\ndl/sub\n")


def test_ls_l_of_sysfs_link_operands():
    # a port's master and brport/bridge links are shown as links by ls -l (no -H/-L);
    # ipemu listed the bridge's directory for each (recorded)
    out = _lines("ip link add br0 type bridge; ip link add v0 type veth peer name v1; "
                 "ip link set v1 master br0\n"
                 "ls -l /sys/class/net/v1/master /sys/class/net/v1/brport/bridge "
                 "| awk '{print $1, $9, $10, $11}'\n")
    assert out == ("lrwxrwxrwx /sys/class/net/v1/brport/bridge -> ../../br0\n"
                   "lrwxrwxrwx /sys/class/net/v1/master -> ../br0\n")


FIND_SETUP = ("mkdir d; printf abc > d/a; head -c 2000 /dev/zero > d/b; chmod 600 d/a; "
              "chmod 4755 d/b\n")


@pytest.mark.parametrize("test, expected", [
    ("-perm 600", "d/a\n"), ("-perm 0600", "d/a\n"), ("-perm -400", "d/a\nd/b\n"),
    ("-perm /4000", "d/b\n"), ("-perm -644", "d/b\n"), ("-perm -u=r", "d/a\nd/b\n"),
    ("-perm /u=w,g=w", "d/a\nd/b\n"), ("-perm a+x", ""), ("-perm u+r", ""),
    ("-size -1k", ""), ("-size 1", "d/a\n"), ("-size +1", "d/b\n"), ("-size 4", "d/b\n"),
    ("-size 3c", "d/a\n"), ("-size -2k", "d/a\n"),
    ("-perm abc", "find: invalid mode ‘abc’\n"), ("-perm 9", "find: invalid mode ‘9’\n"),
    ("-perm 12345", "find: invalid mode ‘12345’\n"),
    ("-size 3x", "find: invalid -size type `x'\n"), ("-size +", "find: invalid -size type `+'\n"),
    ("-size abc", "find: Invalid argument `abc' to -size\n"),
    ("-size 3kk", "find: Invalid argument `3kk' to -size\n"),
])
def test_find_perm_and_size(test, expected):
    # parser.c's parse_perm() and parse_size(), pred_perm() and pred_size() (recorded:
    # findutils 4.9 on the recording machine); ipemu said `unknown predicate`
    assert _lines(FIND_SETUP + f"find d -type f {test} 2>&1 | sort\n") == expected


def test_find_perm_on_sysctl_files():
    # scripts41b: the one file of conf/DEV that root may not write (recorded)
    out = _lines("ip link add v0 type veth peer name v1\n"
                 "find /proc/sys/net/ipv4/conf/v0 -type f -perm -200 | wc -l; "
                 "find /proc/sys/net/ipv4/conf/v0 -type f ! -perm -200 -printf '%f\\n'\n")
    assert out == "32\nmc_forwarding\n"
