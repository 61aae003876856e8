"""Round 41's scripts (transcripts/scripts/scripts41_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: iproute2 6.1, bash 5.2; the recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts41_")


def test_round41_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 1


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts41_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_ACT = ("\n\taction order {o}: mirred ({what} to device lo) {ctl}\n"
        "\tindex {i} ref 1 bind 0\n\tnot_in_hw\n")


def test_tc_actions_add_get_list_delete_flush():
    # scripts41_tdc_mirred: tc-testing's mirred.json; ipemu knew only `tc actions ls`
    # (`Command "add" is unknown`). A get prints `total acts 0` and orders from 1 without
    # used_hw_stats (not dumped yet), a dump orders by index from 0 (recorded)
    out = _lines("tc actions add action mirred egress mirror index 15 dev lo\n"
                 "tc actions add action mirred ingress mirror dev lo jump 10\n"
                 "tc actions get action mirred index 15\n"
                 "tc actions ls action mirred\n"
                 "tc actions del action mirred index 1; tc actions flush action mirred; "
                 "tc actions ls action mirred; echo \"rc $?\"\n")
    hw = "\tused_hw_stats disabled\n"
    assert out == (
        "total acts 0\n" + _ACT.format(o=1, what="Egress Mirror", ctl="pipe", i=15)
        + "total acts 2\n"
        + _ACT.format(o=0, what="Ingress Mirror", ctl="jump 10", i=1) + hw
        + _ACT.format(o=1, what="Egress Mirror", ctl="pipe", i=15) + hw
        + "rc 0\n")


@pytest.mark.parametrize("line, said", [
    # EEXIST without extack; a kind the kernel cannot load; goto chain without a filter
    ("tc actions add action mirred egress redirect index 15 dev lo; "
     "tc actions add action mirred egress mirror index 15 dev lo",
     "RTNETLINK answers: File exists\nWe have an error talking to the kernel\n"),
    ("tc actions add action mirred egress redirect index 2 dev lo action pipe",
     "Error: Failed to load TC action module.\nWe have an error talking to the kernel\n"),
    ("tc actions add action mirred ingress mirror dev lo goto chain 42 index 90",
     "Error: can't goto NULL proto/chain.\nWe have an error talking to the kernel\n"),
    # one index twice in one batch: the first is still reserved (EAGAIN)
    ("tc actions add action mirred egress redirect dev lo index 3 action mirred egress "
     "mirror dev lo index 3",
     "RTNETLINK answers: Resource temporarily unavailable\n"
     "We have an error talking to the kernel\n"),
    ("tc actions add action mirred index 5",
     "Error: act_mirred: Unknown mirred option.\nWe have an error talking to the kernel\n"),
    # parse_direction()'s complaints, then parse_action()'s bad_val at the kind
    ("tc actions add action mirred inbound mirror index 20 dev lo",
     'mirred option not supported inbound\nbad action parsing\n'
     'parse_action: bad value (7:mirred)!\nIllegal "action"\n'),
    ("tc actions add action mirred egress remirror index 20 dev lo",
     'Command line is not complete. Try option "help"\n'),
    ("tc actions add action mirred egress mirror index 12 dev lo index 13",
     'mirred: Illegal double index\nbad action parsing\n'
     'parse_action: bad value (9:mirred)!\nIllegal "action"\n'),
    ("tc actions add action", 'bad action empty 1\nparse_action: bad value (0:(null))!\n'
     'Illegal "action"\n'),
    # tc_action_gd() returns 1 with its words unmoved: do_action() reads them again
    ("tc actions get action mirred index 77",
     "Error: TC action with specified index not found.\n"
     "We have an error talking to the kernel\n"
     'Command "action" is unknown, try "tc actions help".\n'),
    ("tc actions get action gact index 1",
     "Error: Specified TC action kind not found.\nWe have an error talking to the kernel\n"
     'Command "action" is unknown, try "tc actions help".\n'),
    ("tc actions del action mirred", "Error: no index specified action: mirred\n"),
    ("tc actions flush action foo",
     "Error: Cannot flush unknown TC action.\nWe have an error flushing\n"),
])
def test_tc_actions_errors(line, said):
    assert _lines(line + "\n") == said


def test_tc_actions_cookie_flags_and_json():
    # recorded: the cookie, hw_stats, no_percpu and skip_hw (not_in_hw left out); -j
    out = _lines("tc actions add action mirred egress mirror dev lo index 7 cookie 1234 "
                 "hw_stats immediate\n"
                 "tc actions add action mirred egress mirror dev lo index 8 no_percpu skip_hw\n"
                 "tc actions get action mirred index 7 action mirred index 8\n"
                 "tc -j actions ls action mirred\n")
    assert out == (
        "total acts 0\n\n\taction order 1: mirred (Egress Mirror to device lo) pipe\n"
        "\tindex 7 ref 1 bind 0\n\tcookie 1234\n\tnot_in_hw\n\thw_stats immediate\n"
        "\n\taction order 2: mirred (Egress Mirror to device lo) pipe\n"
        "\tindex 8 ref 1 bind 0\n\tno_percpu\tskip_hw\n"
        '[{"total acts":2},{"actions":[{"order":0,"kind":"mirred","mirred_action":"mirror",'
        '"direction":"egress","to_dev":"lo","control_action":{"type":"pipe"},"index":7,'
        '"ref":1,"bind":0,"cookie":"1234","not_in_hw":true,"hw_stats":["immediate"],'
        '"used_hw_stats":["disabled"]},{"order":1,"kind":"mirred","mirred_action":"mirror",'
        '"direction":"egress","to_dev":"lo","control_action":{"type":"pipe"},"index":8,'
        '"ref":1,"bind":0,"no_percpu":true,"skip_hw":true,"used_hw_stats":["disabled"]}]}]\n')


def test_netns_monitor_into_a_file_keeps_its_lines_until_killed():
    # netns_monitor() printf()s without fflush(): into a file stdio keeps the lines and
    # the SIGTERM that ends it loses them (recorded: nsmon.txt empty); on the terminal
    # (ipemu's wait shows a background job's output) each line goes out at once
    out = _lines("ip netns add m1; ip netns monitor > nsmon.txt 2>&1 & sleep 0.3; "
                 "ip netns add m2; ip netns del m1; sleep 0.3; kill %1; wait; cat nsmon.txt; "
                 "wc -c < nsmon.txt\n"
                 "ip netns monitor & sleep 0.3; ip netns add m3; sleep 0.3; kill %1; wait\n")
    assert out == "0\nadd m3\n"


_HASHED = ("ip netns add peer; ip link add veth0 type veth peer name veth1 netns peer; "
           "sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1; ip netns exec peer sysctl -qw "
           "net.ipv6.conf.veth1.disable_ipv6=1; ip addr add 10.2.0.123/16 dev veth0; "
           "ip addr add 10.2.1.45/16 dev veth0; ip -n peer addr add 10.2.255.254/16 dev veth1; "
           "ip link set veth0 up; ip -n peer link set veth1 up\n"
           "tc qdisc add dev veth0 root handle 1: htb default 30; "
           "tc class add dev veth0 parent 1: classid 1:1 htb rate 1mbit; "
           "tc class add dev veth0 parent 1: classid 1:2 htb rate 1mbit; "
           "tc class add dev veth0 parent 1: classid 1:30 htb rate 1mbit\n"
           "tc filter add dev veth0 parent 1:0 prio 5 handle 2: protocol ip u32 divisor 256; "
           "tc filter add dev veth0 protocol ip parent 1:0 prio 5 u32 ht 800:: match ip src "
           "10.2.0.0/16 hashkey mask 0x000000ff at 12 link 2:; "
           "tc filter add dev veth0 protocol ip parent 1:0 prio 5 u32 ht 2:7b: match ip src "
           "10.2.0.123 flowid 1:1; tc filter add dev veth0 protocol ip parent 1:0 prio 5 u32 "
           "ht 2:2d: match ip src 10.2.1.45 flowid 1:2\n")


def test_u32_link_and_hashkey_are_shown_and_classify():
    # scripts41_lartc_hashing: u32_print_opt()'s `link 2:` and `hash mask %08x at %d`
    # (recorded); u32_classify() descends into the bucket the masked source byte picks
    out = _lines(_HASHED + "tc filter show dev veth0 | tail -3\n"
                 "ping -c 2 -i 0.2 -q -I 10.2.0.123 10.2.255.254 > /dev/null; "
                 "ping -c 1 -q -I 10.2.1.45 10.2.255.254 > /dev/null; "
                 "tc -s class show dev veth0 | grep -A1 '^class htb 1:[12] ' | grep Sent\n")
    assert out == (
        "filter parent 1: protocol ip pref 5 u32 chain 0 fh 800::800 order 2048 key ht 800 "
        "bkt 0 link 2: not_in_hw \n  match 0a020000/ffff0000 at 12\n"
        "    hash mask 000000ff at 12 \n"
        " Sent 196 bytes 2 pkt (dropped 0, overlimits 0 requeues 0) \n"
        " Sent 98 bytes 1 pkt (dropped 0, overlimits 0 requeues 0) \n")


def test_u32_indev():
    # tcf_change_indev(): an unknown name is `Network device not found` (status 2);
    # a known one prints `  input dev NAME` between two print_nl()s (recorded)
    out = _lines("ip link add d0 type veth peer name d1; tc qdisc add dev d0 ingress\n"
                 "tc filter add dev d0 ingress protocol ip prio 1 u32 match ip src "
                 "127.0.0.2/32 indev notexist20 flowid 1:2; echo rc=$?\n"
                 "tc filter add dev d0 ingress protocol ip prio 1 u32 match ip src "
                 "127.0.0.1/32 indev d1 flowid 1:1; tc filter show dev d0 ingress | tail -3; "
                 "tc -j filter show dev d0 ingress | grep -o '\"input_dev\":\"d1\"'\n")
    assert out == (
        "Error: Network device not found.\nWe have an error talking to the kernel\nrc=2\n"
        "  match 7f000001/ffffffff at 12\n  input dev d1\n\n\"input_dev\":\"d1\"\n")


def test_u32_skip_flags_and_offset_are_shown():
    # recorded: TCA_U32_FLAGS' skip_hw/skip_sw before not_in_hw; the selector's offset
    # (`    offset 0f00>>6 at 0  eat `, `    offset plus 20 `); ipemu said "not simulated"
    out = _lines("ip link add d0 type veth peer name d1; tc qdisc add dev d0 ingress\n"
                 "tc filter add dev d0 ingress protocol ip prio 1 u32 skip_hw match ip src "
                 "10.0.0.1/32 flowid 1:1; tc filter show dev d0 ingress | tail -2\n"
                 "tc filter add dev d0 ingress protocol ip prio 3 handle 1: u32 divisor 1; "
                 "tc filter add dev d0 ingress protocol ip prio 3 u32 match ip protocol 6 0xff "
                 "offset at 0 mask 0x0f00 shift 6 eat link 1:; "
                 "tc filter show dev d0 ingress prio 3 | tail -2\n"
                 "tc filter add dev d0 ingress protocol ip prio 4 u32 match ip src 10.0.0.4/32 "
                 "offset plus 20 flowid 1:1; tc filter show dev d0 ingress prio 4 | tail -1\n")
    assert out == (
        "filter protocol ip pref 1 u32 chain 0 fh 800::800 order 2048 key ht 800 bkt 0 "
        "*flowid 1:1 skip_hw not_in_hw \n  match 0a000001/ffffffff at 12\n"
        "  match 00060000/00ff0000 at 8\n    offset 0f00>>6 at 0  eat \n"
        "    offset plus 20 \n")


def test_u32_eat_moves_the_keys_past_the_ip_header():
    # recorded: after `offset at 0 mask 0x0f00 shift 6 eat` the linked table's keys
    # read the ICMP header, whatever the IP header's length (ping -R: 60 bytes)
    out = _lines(
        "ip netns add peer; ip link add veth0 type veth peer name veth1 netns peer; "
        "sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1; ip netns exec peer sysctl -qw "
        "net.ipv6.conf.veth1.disable_ipv6=1; ip addr add 10.5.0.1/24 dev veth0; ip -n peer "
        "addr add 10.5.0.2/24 dev veth1; ip link set veth0 up; ip -n peer link set veth1 up\n"
        "tc qdisc add dev veth0 root handle 1: htb default 30; tc class add dev veth0 parent "
        "1: classid 1:2 htb rate 1mbit; tc class add dev veth0 parent 1: classid 1:30 htb "
        "rate 1mbit\n"
        "tc filter add dev veth0 parent 1:0 protocol ip prio 1 handle 1: u32 divisor 1; "
        "tc filter add dev veth0 parent 1:0 protocol ip prio 1 u32 ht 800:: match ip "
        "protocol 1 0xff offset at 0 mask 0x0f00 shift 6 eat link 1:; tc filter add dev "
        "veth0 parent 1:0 protocol ip prio 1 u32 ht 1: match u8 8 0xff at 0 flowid 1:2\n"
        "ping -c 2 -i 0.2 -q 10.5.0.2 > /dev/null; ping -c 3 -i 0.2 -q -R 10.5.0.2 > "
        "/dev/null; ping -c 1 -q -p 07 10.5.0.2 > /dev/null\n"
        "tc -s class show dev veth0 | grep Sent\n")
    assert out == (" Sent 708 bytes 6 pkt (dropped 0, overlimits 0 requeues 0) \n"
                   " Sent 42 bytes 1 pkt (dropped 0, overlimits 0 requeues 0) \n")


def test_ip6_mroute_tables_and_prefixes():
    # recorded: only IPv6's main MR table exists (ip6mr_rtm_dumproute()'s extack),
    # a prefix of RTNL_FAMILY_IP6MR is one get_prefix() cannot name ("???")
    out = _lines("ip -6 mroute show table main; echo rc=$?\n"
                 "ip -6 mroute show table default; echo rc=$?\n"
                 "ip -6 mroute show table 5 from ::1; echo rc=$?\n"
                 "ip -6 -j mroute show table 5; echo rc=$?\n"
                 "ip -6 mroute show table foo; echo rc=$?\n")
    assert out == (
        "rc=0\nError: ipv6: MR table does not exist.\nDump terminated\nrc=1\n"
        'Error: ??? prefix is expected rather than "::1".\nrc=1\n'
        "Error: ipv6: MR table does not exist.\n[]\nDump terminated\nrc=1\n"
        'Error: argument "foo" is wrong: table id value is invalid\n\nrc=255\n')


def test_mrule_add_delete_flush():
    # recorded: ipmr's rules take ip rule's words; the default priority is one below
    # the second rule's (0 while there is one rule); flush keeps priority 0
    out = _lines("ip mrule add table 5; ip mrule add iif lo table 6; ip mrule add pref 100 "
                 "table 7; ip mrule add table 5; ip mrule; ip -j mrule show | head -c 60; echo\n"
                 "ip mrule add from 10.0.0.0/8 table 5; echo rc=$?\n"
                 "ip mrule del table 55; echo rc=$?\n"
                 "ip mrule flush; ip mrule; ip -6 mrule add table 9 pref 10; ip -6 mrule\n")
    assert out == (
        "0:\tfrom all lookup 5\n99:\tfrom all lookup 5\n100:\tfrom all lookup 7\n"
        "32766:\tfrom all iif lo lookup 6\n32767:\tfrom all lookup default\n"
        '[{"priority":0,"src":"all","table":"5"},{"priority":99,"src"\n'
        'Error: ??? prefix is expected rather than "10.0.0.0/8".\nrc=1\n'
        "RTNETLINK answers: No such file or directory\nrc=2\n"
        "0:\tfrom all lookup 5\n10:\tfrom all lookup 9\n32767:\tfrom all lookup main\n")


def test_filter_binds_a_shared_mirred_action():
    # recorded: a filter's `action mirred ... index 10` binds the action `tc actions
    # add` made (its own words unused: tcf_mirred_init()'s `exists && bind`); a bound
    # action is not deleted (extack) nor flushed (EPERM); the filters gone, it stays
    out = _lines(
        "ip link add d0 type veth peer name d1; ip link add d2 type veth peer name d3; "
        "tc qdisc add dev d0 ingress; tc qdisc add dev d2 ingress\n"
        "tc actions add action mirred egress redirect dev d1 index 10\n"
        "tc filter add dev d0 parent ffff: protocol ip u32 match ip dst 10.0.0.1/32 action "
        "mirred egress mirror dev d3 index 10; tc filter show dev d0 parent ffff: | tail -3\n"
        "tc filter add dev d2 parent ffff: protocol ip u32 match ip dst 10.0.0.2/32 action "
        "mirred egress redirect dev d1 index 10; tc actions ls action mirred | grep ref\n"
        "tc actions del action mirred index 10; echo rc=$?\n"
        "tc actions flush action mirred; echo rc=$?\n"
        "tc filter del dev d0 parent ffff:; tc filter del dev d2 parent ffff:; "
        "sleep 1; tc actions ls action mirred | grep ref\n")
    assert out == (
        "\taction order 1: mirred (Egress Redirect to device d1) stolen\n"
        "\tindex 10 ref 2 bind 1\n\n"
        "\tindex 10 ref 3 bind 2\n"
        "Error: Failed to delete TC action.\nWe have an error talking to the kernel\n"
        'Command "action" is unknown, try "tc actions help".\nrc=255\n'
        "RTNETLINK answers: Operation not permitted\nWe have an error flushing\nrc=1\n"
        "\tindex 10 ref 1 bind 0\n")


def test_filter_action_mirred_index_alone_binds():
    # recorded: `action mirred index 7` (parse_direction()'s index first) binds the
    # action of that index; one that does not exist is the kernel's EINVAL
    out = _lines(
        "ip link add d0 type veth peer name d1; tc qdisc add dev d0 ingress\n"
        "tc actions add action mirred egress redirect dev d1 index 7\n"
        "tc filter add dev d0 parent ffff: protocol ip u32 match ip dst 10.0.0.1/32 action "
        "mirred index 7; echo rc=$?; tc filter show dev d0 parent ffff: | tail -3\n"
        "tc filter add dev d0 parent ffff: protocol ip u32 match ip dst 10.0.0.1/32 action "
        "mirred index 8; echo rc=$?\n"
        "tc filter add dev d0 parent ffff: protocol ip u32 match ip dst 10.0.0.1/32 action "
        "mirred index x; echo rc=$?\n")
    assert out == (
        "rc=0\n\taction order 1: mirred (Egress Redirect to device d1) stolen\n"
        "\tindex 7 ref 2 bind 1\n\n"
        "Error: act_mirred: Unknown mirred option.\nWe have an error talking to the kernel\n"
        "rc=2\n"
        'Illegal "index"\nbad action parsing\nparse_action: bad value (3:mirred)!\n'
        'Illegal "action"\nrc=1\n')
