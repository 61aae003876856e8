"""Round 42's scripts (transcripts/scripts/scripts42_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: bash 5.2, iproute2 6.1; the recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts42_")


def test_round42_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 1


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts42_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_MIRRED = ("ip link add ifb0 type ifb; ip link add va type veth peer name vb\n"
           "tc qdisc add dev va handle ffff: ingress\n"
           "tc filter add dev va parent ffff: protocol ip u32 match u32 0 0"
           " action mirred egress redirect dev ifb0\n")


def test_a_filters_actions_are_released_after_an_rcu_grace_period():
    # scripts42_tc_prio: u32's keys go through tcf_queue_work(), so the actions of a
    # filter deleted (alone or with its qdisc) keep their index and bind for 10-20 ms;
    # a filter added at once takes the next index (recorded on the real kernel)
    out = _lines(_MIRRED +
                 "tc filter add dev va parent ffff: protocol ip u32 match u32 0 0"
                 " action mirred egress redirect dev ifb0 index 1\n"
                 "tc qdisc del dev va ingress; tc actions ls action mirred\n"
                 "sleep 0.1; tc actions ls action mirred; echo ==\n"
                 "tc qdisc add dev va handle ffff: ingress\n"
                 "tc filter add dev va parent ffff: protocol ip pref 5 u32 match u32 0 0"
                 " action mirred egress redirect dev ifb0\n"
                 "tc filter del dev va parent ffff: pref 5; tc actions ls action mirred\n"
                 "tc filter add dev va parent ffff: protocol ip pref 5 u32 match u32 0 0"
                 " action mirred egress redirect dev ifb0; tc actions ls action mirred\n")
    act = ("\taction order {o}: mirred (Egress Redirect to device ifb0) stolen\n"
           "\tindex {i} ref {b} bind {b}\n\tnot_in_hw\n\tused_hw_stats disabled\n")
    assert out == ("total acts 1\n\n" + act.format(o=0, i=1, b=2) + "==\n"
                   "total acts 1\n\n" + act.format(o=0, i=1, b=1) +
                   "total acts 2\n\n" + act.format(o=0, i=1, b=1) + "\n"
                   + act.format(o=1, i=2, b=1))


@pytest.mark.parametrize("program, expected", [
    # mawk 1.3.4 20200120's bi_strftime(), bi_mktime(), bi_systime() (recorded, TZ=UTC)
    ('BEGIN { print strftime("%Y", 0) }', "1970\n"),
    ('BEGIN { print strftime("%H:%M", 3600); print strftime("%Y-%m-%d", 86400*365, 1) }',
     "01:00\n1971-01-01\n"),
    ('BEGIN { print strftime("%j %a %b %e %p %Z %z %s %%Z", 1e9) }',
     "252 Sun Sep  9 AM UTC +0000 1000000000 %Z\n"),
    ('BEGIN { print length(strftime()); print length(strftime("")) }', "24\n24\n"),
    ('BEGIN { print strftime("%Y", -1); print strftime("%Y", "abc") }', "1969\n1970\n"),
    ('BEGIN { print mktime("2020 01 01 00 00 00"); print mktime("2020 13 0 25 61 61") }',
     "1577836800\n1609466521\n"),
    ('BEGIN { print mktime("2020 1 1 0 0"); print mktime("x") }', "-1\n-1\n"),
    ('BEGIN { print strftime("%d/%m/%Y %T", mktime("2024 02 29 12 30 00")) }',
     "29/02/2024 12:30:00\n"),
    ('BEGIN { print (systime() > 1e9) }', "1\n"),
])
def test_awk_time_functions(program, expected):
    # scripts42_leases: dnsmasq lease readers print `strftime("%Y-%m-%d %H:%M:%S", $1)`;
    # ipemu said `function strftime never defined`
    assert _lines(f"awk '{program}'\n") == expected


def test_awk_strftime_arity():
    assert _lines("awk 'BEGIN{print strftime(1,2,3,4)}'; echo $?\n") == (
        "awk: line 1: wrong number of arguments in call to strftime\n2\n")


def test_a_begin_only_awk_leaves_the_loops_input():
    # mawk runs no main loop for a program of BEGIN actions only: in a `while read`
    # loop, `v=$(awk -v t="$x" 'BEGIN {...}')` reads none of the loop's lines
    # (ipemu's loop ended after its first line); a getline in BEGIN does read it
    out = _lines("printf 'a b\\nc d\\ne f\\n' > f.txt\n"
                 "while read -r x y; do v=$(awk -v t=\"$x\" 'BEGIN { print t }'); "
                 "echo \"$v $y\"; done < f.txt\n"
                 "while read -r x y; do v=$(awk 'BEGIN { getline; print }'); "
                 "echo \"$x [$v]\"; done < f.txt\n")
    # (mawk reads its input a buffer at a time: the rest of the file goes with it)
    assert out == "a b\nc d\ne f\na [c d]\n"


def test_hostname_is_a_plain_variable_once_assigned():
    # bash sets HOSTNAME at start-up; a script's `read ... HOSTNAME ...` or assignment
    # replaces it, `unset` removes it (ipemu always gave the host's name)
    out = _lines("printf 'a b\\nc d\\n' > f.txt\n"
                 "bash -c 'while read -r x HOSTNAME; do echo \"[$x] [$HOSTNAME]\"; done < f.txt'\n"
                 "bash -c 'echo $HOSTNAME; HOSTNAME=foo; echo $HOSTNAME'\n")
    assert out == "[a] [b]\n[c] [d]\noracle\nfoo\n"


def test_negative_subscripts_assign_from_the_end():
    # scripts42_fdb_notify: lib.sh's defer stack writes `__DEFER__SCOPES[-1]=$n`;
    # assign_array_element() counts a negative subscript back from the highest index
    # (ipemu made an element -1); still negative is `bad array subscript` and the
    # line is dropped as for a readonly variable (recorded, bash 5.2)
    out = _lines("bash -c 'S=(0); S[-1]=3; S+=(${S[-1]}); declare -p S; "
                 "unset \"S[-1]\"; S[-1]=7; declare -p S'\n"
                 "bash -c 'a=(1 2); f() { a[-1]=9; }; f; a[-2]=8; ((a[-1]++)); declare -p a'\n"
                 "bash -c 's=abc; s[-1]=z; declare -p s; a=(x); a[-1]+=q; declare -p a'\n"
                 "bash -c 'a=(1); a[-5]=x; echo \"st $?\"'\n"
                 "bash -c 'declare -a e; e[-1]=3; echo $?'\n"
                 "printf 'a=(1)\\na[-5]=x\\necho after\\n' > r.sh; bash r.sh; echo \"rc $?\"\n")
    assert out == ('declare -a S=([0]="3" [1]="3")\n'
                   'declare -a S=([0]="7")\n'
                   'declare -a a=([0]="8" [1]="10")\n'
                   'declare -a s=([0]="z")\n'
                   'declare -a a=([0]="xq")\n'
                   'bash: line 1: a[-5]: bad array subscript\n'
                   'bash: line 1: e[-1]: bad array subscript\n'
                   'r.sh: line 2: a[-5]: bad array subscript\nafter\nrc 0\n')


def test_read_assigns_array_elements():
    # valid_array_reference(): `read "a[1]"` sets one element; a bad subscript fails
    # the read (status 1); -a takes a plain name only (recorded, bash 5.2)
    out = _lines("bash -c 'read \"a[1]\" <<< r; declare -p a; read \"a[-1]\" b <<< \"x y\"; "
                 "declare -p a b; read a[-3] <<< z; echo $?; read -a \"q[1]\" <<< z; echo $?'\n")
    assert out == ('declare -a a=([1]="r")\ndeclare -a a=([1]="x")\ndeclare -- b="y"\n'
                   'bash: line 1: a[-3]: bad array subscript\n1\n'
                   "bash: line 1: read: `q[1]': not a valid identifier\n1\n")


def test_a_macvlans_fdb_entry_takes_a_vlan_and_notifies_it():
    # macvlan_fdb_add() ignores the VLAN that ndo_dflt_fdb_add() refuses; the
    # notification (rtnl_fdb_notify()) carries it (recorded on the real kernel)
    out = _lines("ip link add dd type veth peer name ddp\n"
                 "ip link add mv link dd type macvlan mode passthru\n"
                 "bridge monitor fdb > mon.txt &\n"
                 "sleep 0.5; bridge fdb add 00:11:22:33:44:56 vlan 1 dev mv self; echo $?\n"
                 "bridge fdb add 00:11:22:33:44:57 vlan 1 dev dd self; echo $?\n"
                 "bridge fdb show dev mv | grep 00:11\n"
                 "bridge fdb del 00:11:22:33:44:56 vlan 1 dev mv self; sleep 0.5; kill %1; wait\n"
                 "cat mon.txt\n")
    assert out == ("0\nRTNETLINK answers: Invalid argument\n255\n"
                   "00:11:22:33:44:56 self permanent\n"
                   "00:11:22:33:44:56 dev mv vlan 1 self permanent\n"
                   "Deleted 00:11:22:33:44:56 dev mv vlan 1 self permanent\n")


def test_proc_pid_of_a_live_process():
    # scripts42_rtnetlink_notification: the selftest checks its background monitor
    # with `[ ! -e "/proc/$monitor_pid" ]`; ipemu had no /proc/PID (the test skipped
    # as if iproute2 were too old). proc_pid_lookup(): a directory while the process
    # lives, its comm and cmdline (recorded)
    out = _lines("sleep 5 & p=$!; [ -d /proc/$p ] && echo dir; [ -f /proc/$p/comm ] && echo file\n"
                 "cat /proc/$!/comm; tr '\\0' ' ' < /proc/$!/cmdline; echo\n"
                 "kill %1; wait; [ -e /proc/$! ] || echo gone; cat /proc/$!/comm\n")
    assert out == ("dir\nfile\nsleep\nsleep 5 \ngone\n"
                   "cat: /proc/1001/comm: No such file or directory\n")


def test_uts_namespaces():
    # scripts42_unnamed_netns: `unshare --net --uts sleep 60 &` then
    # `nsenter -t $pid -u hostname netnsN`; ipemu renamed the host itself. A UTS
    # namespace (copy_utsname()) is shared by subshells and entered by nsenter -u
    # (recorded on the real machine)
    out = _lines('unshare --uts hostname foo; hostname; unshare -u bash -c "hostname bar; '
                 'hostname; (hostname baz); hostname; echo \\$(hostname)"; hostname\n'
                 'unshare --uts sleep 5 & sleep 0.1; nsenter -t $! -u hostname zed; '
                 'nsenter -t $! -u hostname; nsenter -t $! -u bash -c "hostname -s; '
                 'unshare -u hostname inner; hostname"; hostname; kill %1\n'
                 "unshare -u hostname 'bad name'; echo $?; hostname\n")
    assert out == ("oracle\nbar\nbaz\nbaz\noracle\nzed\nzed\nzed\noracle\n"
                   "hostname: the specified hostname is invalid\n1\noracle\n")
