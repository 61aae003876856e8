"""Round 38's scripts (transcripts/scripts/scripts38_*: scripts written for ipemu in the
shape of public netns labs, selftests and helpers, each naming what it was modelled on)
given to `ipemu run` a line at a time, every run (test_scripts.py replays only a slice
of the corpus); the transcripts themselves run under the transcript plugin. And the
behaviours they brought, each on its own, with golden text from the recordings beside
them (shell/, userland/, ip/, packets/ scripts38_*)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402


CASES = test_scripts.round_cases("scripts38_")


def test_round38_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 10


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts38_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_lines = test_scripts.output_of


def test_dash_errexit_ends_at_a_function_keyword_line():
    # shell/scripts38_dash_function_errexit: `function f {` is a command not found
    out = _lines("printf '#!/bin/sh -e\\nfunction setup {\\n echo in\\n}\\necho after\\n' "
                 "> a.sh; chmod +x a.sh; ./a.sh 2>&1; echo \"rc $?\"\n"
                 "sh a.sh 2>&1; echo \"rc $?\"\n")
    assert out == ("./a.sh: 2: function: not found\nrc 127\n"
                   "a.sh: 2: function: not found\nin\n"
                   "a.sh: 4: Syntax error: \"}\" unexpected\nrc 2\n")


def test_groups_lists_memberships():
    # userland/scripts38_groups
    out = _lines("groups; groups root nosuchuser nobody 2>&1; echo \"rc $?\"\n")
    assert out == ("root\nroot : root\ngroups: ‘nosuchuser’: no such user\n"
                   "nobody : nogroup\nrc 1\n")


NH_SETUP = ("ip link add a0 type veth peer name a1; ip link set a0 up; ip link set a1 up; "
            "ip addr add 172.16.1.1/24 dev a0; ip link add b0 type veth peer name b1; "
            "ip link set b0 up; ip link set b1 up; ip addr add 172.16.2.1/24 dev b0\n")


def test_a_routes_scope_is_checked_against_its_nexthop_object():
    # ip/scripts38_nexthop_scope (fib_check_nexthop(), replace_nexthop())
    out = _lines(NH_SETUP +
                 "ip nexthop add id 22 via 172.16.1.2 dev a0; "
                 "ip ro add 172.16.101.1/32 nhid 22 scope host 2>&1\n"
                 "ip nexthop replace id 22 dev b0; ip ro add 172.16.101.1/32 nhid 22 scope host\n"
                 "ip nexthop replace id 22 via 172.16.2.2 dev b0 2>&1; echo \"rc $?\"; "
                 "ip nexthop show\n"
                 "ip nexthop add id 23 via 172.16.1.9 dev a0 onlink; "
                 "ip ro add 172.16.103.1/32 nhid 23 scope link 2>&1; "
                 "ip ro add 172.16.103.1/32 nhid 23; ip route show 172.16.103.1\n")
    assert out == ("Error: Route with host scope can not have a gateway.\n"
                   "Error: Route with host scope can not have a gateway.\nrc 2\n"
                   "id 22 dev b0 scope host \n"
                   "Error: Scope mismatch with nexthop.\n"
                   "172.16.103.1 nhid 23 via 172.16.1.9 dev a0 onlink \n")


def test_vxlan_fdb_entries_on_an_fdb_nexthop_group():
    out = _lines("ip nexthop add id 60 via 10.0.0.2 fdb; ip nexthop add id 61 via 10.0.0.3 fdb; "
                 "ip nexthop add id 160 group 60/61 fdb\n"
                 "ip link add vx0 type vxlan id 10 local 10.0.0.1 dstport 4789; "
                 "bridge fdb add 02:00:00:00:00:01 dev vx0 nhid 160 self; "
                 "bridge fdb add 02:00:00:00:00:02 dev vx0 nhid 60 self 2>&1; echo \"rc $?\"\n"
                 "bridge fdb show dev vx0; ip nexthop del id 160; "
                 "bridge fdb show dev vx0 | wc -l\n")
    assert out == ("Error: Nexthop is not a multipath group.\nrc 255\n"
                   "02:00:00:00:00:01 nhid 160 self permanent\n0\n")


def test_nexthop_compat_mode_off_dumps_the_id_alone():
    out = _lines(NH_SETUP +
                 "ip nexthop add id 70 via 172.16.1.2 dev a0; ip route add 10.70.0.0/16 nhid 70; "
                 "sysctl -qw net.ipv4.nexthop_compat_mode=0; ip route show 10.70.0.0/16; "
                 "ip -j route show 10.70.0.0/16\n")
    assert out == '10.70.0.0/16 nhid 70 \n[{"dst":"10.70.0.0/16","nhid":70,"flags":[]}]\n'


REDIRECT_SETUP = """\
ip netns add h1; ip netns add r1; ip netns add r2; ip netns add h2; for n in h1 r1 r2 h2; do ip -n $n link set lo up; done
ip -n h1 link add br0 type bridge; ip -n h1 link set br0 up; ip -n h1 link add e0 type veth peer name eth0 netns r1; ip -n h1 link add e1 type veth peer name eth0 netns r2; ip -n h1 link set e0 master br0 up; ip -n h1 link set e1 master br0 up
ip -n r1 link add eth1 type veth peer name eth1 netns r2; ip -n r2 link add eth2 type veth peer name eth0 netns h2; for n in r1 r2; do ip netns exec $n sysctl -qw net.ipv6.conf.all.forwarding=1; ip netns exec $n sysctl -qw net.ipv4.ip_forward=1; for d in eth0 eth1 eth2; do ip -n $n link set $d up 2>/dev/null; done; done; ip -n h2 link set eth0 up
ip -n h1 -6 addr add 2001:db8:16:1::1/64 dev br0 nodad; ip -n r1 -6 addr add 2001:db8:16:1::253/64 dev eth0 nodad; ip -n r2 -6 addr add 2001:db8:16:1::254/64 dev eth0 nodad; ip -n r1 -6 addr add 2001:db8:1::1/126 dev eth1 nodad; ip -n r2 -6 addr add 2001:db8:1::2/126 dev eth1 nodad; ip -n r2 -6 addr add 2001:db8:16:2::254/64 dev eth2 nodad; ip -n h2 -6 addr add 2001:db8:16:2::2/64 dev eth0 nodad; ip -n h2 -6 route add default via 2001:db8:16:2::254
ip -n h1 addr add 172.16.1.1/24 dev br0; ip -n r1 addr add 172.16.1.253/24 dev eth0; ip -n r2 addr add 172.16.1.254/24 dev eth0; ip -n r1 addr add 10.1.1.1/30 dev eth1; ip -n r2 addr add 10.1.1.2/30 dev eth1; ip -n r2 addr add 172.16.2.254/24 dev eth2; ip -n h2 addr add 172.16.2.2/24 dev eth0; ip -n h2 route add default via 172.16.2.254
sleep 2; R1=$(ip -n r1 -6 -br addr show dev eth0 | grep -o 'fe80[^/]*'); R2=$(ip -n r2 -6 -br addr show dev eth0 | grep -o 'fe80[^/]*'); echo "$R1 $R2" > ll.txt; ip -n h1 -6 route add 2001:db8:16:2::/64 via $R1 dev br0; ip -n r1 -6 route add 2001:db8:16:2::/64 via $R2 dev eth0; ip -n h1 route add 172.16.2.0/24 via 172.16.1.253; ip -n r1 route add 172.16.2.0/24 via 172.16.1.254
"""


def test_an_ipv6_redirect_gives_the_host_a_new_first_hop():
    # packets/scripts38_ndisc_redirect (ndisc_send_redirect(), rt6_do_redirect())
    out = _lines(REDIRECT_SETUP +
                 "read R1 R2 < ll.txt; ip netns exec h1 ping -c 2 -i 0.3 2001:db8:16:2::2 | "
                 "grep -c 'bytes from'; ip -n h1 -6 route get 2001:db8:16:2::2 | "
                 "sed \"s/$R1/R1_LL/; s/$R2/R2_LL/\"; ip -n h1 -6 neigh show | "
                 "sed \"s/$R1/R1_LL/; s/$R2/R2_LL/\" | awk '{print $1, $NF, ($0 ~ /router/)}' | sort\n")
    assert out == ("2\n2001:db8:16:2::2 from :: via R2_LL dev br0 src 2001:db8:16:1::1 "
                   "metric 1024 pref medium\nR1_LL REACHABLE 1\nR2_LL DELAY 0\n")


def test_a_route_deleted_and_added_again_loses_its_exceptions():
    # scripts38_icmp_redirect's "routing reset" (fib_release_info(): free_nh_exceptions())
    out = _lines(REDIRECT_SETUP +
                 "ip netns exec h1 ping -c 2 -i 0.3 172.16.2.2 > /dev/null; "
                 "ip -n h1 route get 172.16.2.2 | sed 's/expires [0-9]*sec/expires N/'\n"
                 "ip -n h1 route del 172.16.2.0/24; ip -n h1 route add 172.16.2.0/24 via 172.16.1.253; "
                 "ip -n h1 route get 172.16.2.2\n")
    assert out == ("172.16.2.2 via 172.16.1.254 dev br0 src 172.16.1.1 uid 0 \n"
                   "    cache <redirected> expires N \n"
                   "172.16.2.2 via 172.16.1.253 dev br0 src 172.16.1.1 uid 0 \n    cache \n")


V6_SETUP = ("ip link add veth1 type veth peer name veth2; ip link add veth3 type veth peer name veth4; "
            "for d in veth1 veth2 veth3 veth4; do ip link set $d up; done; "
            "ip -6 addr add 2001:db8:101::1/64 dev veth1 nodad; "
            "ip -6 addr add 2001:db8:103::1/64 dev veth3 nodad\n")


def test_an_ipv6_sibling_keeps_its_own_metrics():
    # scripts38_fib6_tests' "MTU of second leg" (each sibling a fib6_info of its own)
    out = _lines(V6_SETUP +
                 "ip -6 ro add 2001:db8:113::/64 via 2001:db8:101::2; "
                 "ip -6 ro append 2001:db8:113::/64 via 2001:db8:103::2 mtu 1400; "
                 "ip -6 ro del 2001:db8:113::/64 via 2001:db8:101::2; ip -6 ro show 2001:db8:113::/64\n")
    assert out == "2001:db8:113::/64 via 2001:db8:103::2 dev veth3 metric 1024 mtu 1400 pref medium\n"


def test_a_route_between_two_ipv6_siblings_is_not_dumped():
    # scripts38_fib6_tests' append of a device route, then a prepend (fib6_dump_node())
    out = _lines(V6_SETUP +
                 "ip -6 ro add 2001:db8:104::/64 via 2001:db8:101::2; "
                 "ip -6 ro append 2001:db8:104::/64 dev veth3; "
                 "ip -6 ro prepend 2001:db8:104::/64 via 2001:db8:103::2; "
                 "ip -6 ro show 2001:db8:104::/64\n"
                 "ip -6 ro del 2001:db8:104::/64 via 2001:db8:101::2; ip -6 ro show 2001:db8:104::/64\n")
    assert out == ("2001:db8:104::/64 metric 1024 pref medium\n"
                   "\tnexthop via 2001:db8:101::2 dev veth1 weight 1 \n"
                   "\tnexthop via 2001:db8:103::2 dev veth3 weight 1 \n"
                   "2001:db8:104::/64 dev veth3 metric 1024 pref medium\n"
                   "2001:db8:104::/64 via 2001:db8:103::2 dev veth3 metric 1024 pref medium\n")


def test_keep_addr_on_down_of_conf_all_keeps_addresses():
    # ip/scripts38_keep_addr_on_down_all (addrconf_ifdown() aggregates all and the device)
    out = _lines("ip link add d2 type veth peer name d2p; ip link set d2p up; ip link set d2 up; "
                 "ip -6 addr add dev d2 2001:db8:104::2/64 metric 259\n"
                 "sysctl -qw net.ipv6.conf.all.keep_addr_on_down=1; ip link set d2 down; "
                 "ip link set d2 up; ip -6 route show dev d2\n")
    assert out == ("2001:db8:104::/64 proto kernel metric 259 pref medium\n"
                   "fe80::/64 proto kernel metric 256 pref medium\n")


def test_vector_sysctls_are_written_whole():
    # kernel/scripts38_sysctl_vectors (__do_proc_dointvec(), ipv4_local_port_range())
    out = _lines("sysctl -w net.ipv4.tcp_rmem='4096 1000 2000' > /dev/null; sysctl net.ipv4.tcp_rmem\n"
                 "sysctl -w net.ipv4.ip_local_port_range='1023 65535' 2>&1; echo \"rc $?\"; "
                 "sysctl -w net.ipv4.ip_local_port_range=2000 > /dev/null; "
                 "sysctl -n net.ipv4.ip_local_port_range\n"
                 "sysctl -w net.ipv4.ping_group_range='100 0' > /dev/null; "
                 "sysctl -n net.ipv4.ping_group_range\n")
    assert out == ("net.ipv4.tcp_rmem = 4096\t1000\t2000\n"
                   'sysctl: setting key "net.ipv4.ip_local_port_range": Invalid argument\nrc 1\n'
                   "2000\t60999\n1\t0\n")


def test_proc_pid_ns_net_names_the_processes_namespace():
    # shell/scripts38_proc_ns_links (proc_ns_readlink())
    out = _lines("readlink /proc/self/ns/net | sed 's/[0-9]\\{10\\}/N/'\n"
                 "ip netns add a1; [ \"$(readlink /proc/self/ns/net)\" = "
                 "\"$(ip netns exec a1 readlink /proc/self/ns/net)\" ] && echo same || echo differ\n"
                 "unshare -n sleep 5 & p=$!; sleep 0.2; [ \"$(readlink /proc/$p/ns/net)\" = "
                 "\"$(nsenter -t $p -n readlink /proc/self/ns/net)\" ] && echo same; kill $p\n")
    assert out == "net:[N]\ndiffer\nsame\n"
