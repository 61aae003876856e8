"""Round 44's scripts (transcripts/scripts/scripts44_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: bash 5.2, coreutils 9.1, iproute2 6.1; the recording
kernel 6.18, 2 CPUs)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of

CASES = test_scripts.round_cases("scripts44_")


def test_round44_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 1


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts44_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


MASK = "/proc/sys/net/core/rps_default_mask"


@pytest.mark.parametrize("command, expected", [
    # net/core/sysctl_net_core.c rps_default_mask_sysctl(): per namespace (netns_core),
    # 0 in a new one; rx_queue_default_mask(): devices registered after take it, in
    # the namespace they are registered in (recorded, scripts44_rps_default_mask)
    (f"echo 3 > {MASK}; ip netns add n1; ip link add name va type veth peer netns n1"
     " name va; cat /sys/class/net/va/queues/rx-0/rps_cpus;"
     " ip netns exec n1 cat /sys/class/net/va/queues/rx-0/rps_cpus /proc/sys/net/core/"
     "rps_default_mask; cat /sys/class/net/lo/queues/rx-0/rps_cpus",
     "3\n0\n0\n0\n"),
    (f"ip netns add n1; ip netns exec n1 sysctl -qw net.core.rps_default_mask=1;"
     " ip link add name vb type veth peer netns n1 name vb;"
     " ip netns exec n1 cat /sys/class/net/vb/queues/rx-0/rps_cpus;"
     " cat /sys/class/net/vb/queues/rx-0/rps_cpus", "1\n0\n"),
    # cpumask_parse() writes the mask in place: a failing write keeps the chunks read
    # before it failed (2 CPUs: 7 reads 3 and reaches new devices as 3; `1,0` is two
    # chunks, EOVERFLOW after the 0; nine digits EOVERFLOW before; a bare newline 0)
    (f"echo 7 > {MASK}; echo $?; cat {MASK}; ip link add vq type veth peer name vr;"
     " cat /sys/class/net/vq/queues/rx-0/rps_cpus",
     "bash: echo: write error: Value too large for defined data type\n1\n3\n3\n"),
    (f"echo 2 > {MASK}; echo 1,0 > {MASK}; cat {MASK}",
     "bash: echo: write error: Value too large for defined data type\n0\n"),
    (f"echo 2, > {MASK}; cat {MASK}; echo 000000001 > {MASK}; cat {MASK};"
     f" echo > {MASK}; cat {MASK}",
     "2\nbash: echo: write error: Value too large for defined data type\n2\n0\n"),
    ("sysctl -w net.core.rps_default_mask=4; echo $?; sysctl -w"
     " net.core.rps_default_mask=xyz; sysctl net.core.rps_default_mask",
     'sysctl: setting key "net.core.rps_default_mask": Value too large for defined data'
     ' type\n1\nsysctl: setting key "net.core.rps_default_mask": Invalid argument\n'
     "net.core.rps_default_mask = 0\n"),
])
def test_rps_default_mask(command, expected):
    assert _lines(command + "\n") == expected


VX = "ip link add vx1 type vxlan id 1 dstport 4789; "


@pytest.mark.parametrize("command, expected", [
    # vxlan_fdb_add(): the entry keeps the request's ndm_flags (f->flags) and
    # vxlan_fdb_info() gives them back; `self master` on a vxlan that is no bridge
    # port reaches the vxlan only (recorded, scripts44_fdb_flush)
    (VX + "bridge fdb add de:ad:be:ef:13:14 dev vx1 vni 3000 dst 192.0.2.1 self master;"
     " bridge fdb add de:ad:be:ef:13:10 dev vx1 dst 192.0.2.1 extern_learn;"
     " bridge fdb show dev vx1",
     "de:ad:be:ef:13:10 dst 192.0.2.1 self extern_learn permanent\n"
     "de:ad:be:ef:13:14 dst 192.0.2.1 vni 3000 self master permanent\n"),
    # vxlan_fdb_update_existing(): an append takes the new flags less NTF_USE for
    # the whole entry; an extern_learn request does not take over a user's entry
    (VX + "bridge fdb add 00:00:00:00:00:00 dev vx1 dst 192.0.2.1 extern_learn;"
     " bridge fdb append 00:00:00:00:00:00 dev vx1 dst 192.0.2.2 sticky use;"
     " bridge fdb add 02:00:00:00:00:01 dev vx1 dst 192.0.2.3 router;"
     " bridge fdb replace 02:00:00:00:00:01 dev vx1 dst 192.0.2.4 extern_learn;"
     " bridge fdb show dev vx1; bridge -j fdb show dev vx1",
     "02:00:00:00:00:01 dst 192.0.2.4 self router permanent\n"
     "00:00:00:00:00:00 dst 192.0.2.1 self sticky permanent\n"
     "00:00:00:00:00:00 dst 192.0.2.2 self sticky permanent\n"
     '[{"mac":"02:00:00:00:00:01","dst":"192.0.2.4","flags":["self","router"],'
     '"state":"permanent"},{"mac":"00:00:00:00:00:00","dst":"192.0.2.1","flags":'
     '["self","sticky"],"state":"permanent"},{"mac":"00:00:00:00:00:00","dst":'
     '"192.0.2.2","flags":["self","sticky"],"state":"permanent"}]\n'),
    # vxlan_fdb_flush_matches(): the flags mask against f->flags (extern_learn
    # flushed, a router entry kept; noextern_learn the other way)
    (VX + "bridge fdb add de:ad:be:ef:13:10 dev vx1 dst 192.0.2.1 extern_learn;"
     " bridge fdb add de:ad:be:ef:13:11 dev vx1 dst 192.0.2.2 router;"
     " bridge fdb add de:ad:be:ef:13:12 dev vx1 dst 192.0.2.2 dynamic;"
     " bridge fdb flush dev vx1 extern_learn; bridge fdb show dev vx1;"
     " bridge fdb flush dev vx1 dynamic; bridge fdb show dev vx1",
     "de:ad:be:ef:13:12 dst 192.0.2.2 self \n"
     "de:ad:be:ef:13:11 dst 192.0.2.2 self router permanent\n"
     "de:ad:be:ef:13:11 dst 192.0.2.2 self router permanent\n"),
    (VX + "bridge fdb add de:ad:be:ef:13:10 dev vx1 dst 192.0.2.1 extern_learn;"
     " bridge fdb add de:ad:be:ef:13:11 dev vx1 dst 192.0.2.2 router;"
     " bridge fdb flush dev vx1 noextern_learn; bridge fdb show dev vx1",
     "de:ad:be:ef:13:10 dst 192.0.2.1 self extern_learn permanent\n"),
])
def test_vxlan_fdb_flags(command, expected):
    assert _lines(command + "\n") == expected


def test_route_flush_cache_statistics():
    # iproute_flush(): with -s the IPv4 cache's flush is announced, then the IPv6
    # dump's outcome when the family is -6 ("Nothing to flush.") or unspecified with
    # `table all` (round 0); a plain `ip route flush cache` is IPv4 only (recorded,
    # scripts44_net_reset)
    assert _lines("ip -s route flush cache; echo \"rc $?\"; ip -s -4 route flush cache;"
                  " ip -s -6 route flush cache; ip -s route flush cache table all;"
                  " ip -s -s route flush cache; ip route flush cache\n") == (
        "*** IPv4 routing cache is flushed.\nrc 0\n*** IPv4 routing cache is flushed.\n"
        "Nothing to flush.\n*** IPv4 routing cache is flushed.\n"
        "*** Flush is complete after 0 round ***\n*** IPv4 routing cache is flushed.\n")


USAGE = """
Usage:
 kill [options] <pid> [...]

Options:
 <pid> [...]            send signal to every <pid> listed
 -<signal>, -s, --signal <signal>
                        specify the <signal> to be sent
 -q, --queue <value>    integer value to be sent with the signal
 -l, --list=[<signal>]  list all signal names, or convert one to a name
 -L, --table            list all signal names in a nice table

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see kill(1).
"""


@pytest.mark.parametrize("command, expected", [
    # procps-ng 4.0.2's /usr/bin/kill (what a path, env, xargs, sudo run): error(3)'s
    # `PROG: (PID): strerror`, named by argv[0]; xargs says 123 for its 1 (recorded,
    # scripts44_pidfile_stop)
    ('/bin/kill 99999; echo "rc $?"; env kill 99999; echo "rc $?"; echo 99999 | xargs kill;'
     ' echo "rc $?"; kill 99999; echo "rc $?"',
     "/bin/kill: (99999): No such process\nrc 1\nkill: (99999): No such process\nrc 1\n"
     "kill: (99999): No such process\nrc 123\nbash: kill: (99999) - No such process\nrc 1\n"),
    ("/bin/kill -l | head -1; /bin/kill -L | tail -1; /bin/kill -l 9; /bin/kill -l SIGTERM;"
     " /bin/kill -lKILL; /bin/kill --list=9; /bin/kill --li TERM; /bin/kill -V",
     "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\n"
     "29 POLL    30 PWR     31 SYS     \nKILL\n15\n9\nKILL\n15\nkill from procps-ng 4.0.2\n"),
    # strtosig() refuses: a warning, status 0
    ('/bin/kill -l 99; echo "rc $?"; /bin/kill -l foo; echo "rc $?"',
     "/bin/kill: unknown signal name 99\nrc 0\n/bin/kill: unknown signal name foo\nrc 0\n"),
    # kill_usage(stderr) for no pid, an unknown option letter (getopt's optopt), -s
    # without its argument, bash's -n; --help's to stdout
    ('/bin/kill; echo "rc $?"; /bin/kill -9; echo "rc $?"', USAGE + "rc 1\n" + USAGE + "rc 1\n"),
    ('/bin/kill -x 99999; echo "rc $?"; /bin/kill -n 15 1; echo "rc $?"',
     "/bin/kill: invalid argument x\n" + USAGE + "rc 1\n/bin/kill: invalid argument n\n" + USAGE
     + "rc 1\n"),
    ("/bin/kill --help | head -3", "\nUsage:\n kill [options] <pid> [...]\n"),
    ("/bin/kill --foo 2>&1 | head -1 | od -c | head -2",
     "0000000   /   b   i   n   /   k   i   l   l   :       i   n   v   a   l\n"
     "0000020   i   d       a   r   g   u   m   e   n   t      \\0  \\n\n"),
    # strtol_or_err(): the first bad pid ends it (the ones before were signalled)
    ('/bin/kill 99998 abc 99999; echo "rc $?"; /bin/kill -q x 99999; echo "rc $?"',
     "/bin/kill: (99998): No such process\n/bin/kill: failed to parse argument: 'abc'\nrc 1\n"
     "/bin/kill: must be an integer value to be passed with the signal.: 'x'\nrc 1\n"),
    # the process first (ESRCH), then the signal (EINVAL); -0 of the shell itself
    ('sleep 2 & p=$!; /bin/kill -s FOO $p 2>&1 | sed "s/($p)/(P)/"; /bin/kill -0 $$;'
     ' echo "rc $?"; /bin/kill -s FOO 99999; kill $p',
     "/bin/kill: (P): Invalid argument\nrc 0\n/bin/kill: (99999): No such process\n"),
    # a job killed by another program is gone when that program has exited: its
    # notice comes before the next command (recorded: `env kill -9 $p; wait $p
    # 2>/dev/null` still shows Killed)
    ('{ sleep 5 & p=$!; env kill -USR1 $p; wait $p; echo "rc $?"; sleep 5 & p=$!;'
     ' /bin/kill -9 $p; wait $p 2>/dev/null; echo "rc $?"; } 2>&1 | sed -E'
     " 's/: +[0-9]+ (Killed|User)/: PID \\1/'",
     "rc 138\nrc 137\n"),     # (the notices are a `bash -c` line's: the transcript's)
])
def test_procps_kill(command, expected):
    assert _lines(command + "\n") == expected
