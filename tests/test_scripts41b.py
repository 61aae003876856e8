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
