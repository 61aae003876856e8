"""Round 40's scripts (transcripts/scripts/scripts40_*: scripts written for ipemu in the
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


CASES = test_scripts.round_cases("scripts40_")


def test_round40_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 4


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts40_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def test_dev_stdin_is_standard_input():
    # scripts40_bash_cni: a CNI plugin's stdin=`cat /dev/stdin` (ipemu: `cat:
    # /dev/stdin: No such file or directory`); /dev/fd/0 and /proc/self/fd/0 alike
    assert _lines("printf 'a\\nb\\n' | cat /dev/stdin\n"
                  "echo x | grep -c x /dev/fd/0\n"
                  "echo '{\"k\": 1}' | head -c 4 /proc/self/fd/0; echo\n") == \
        "a\nb\n1\n{\"k\"\n"


def test_netns_link_to_another_name_opens_it_and_del_unmounts_the_target():
    # scripts40_bash_cni: `ln -sfT $CNI_NETNS /var/run/netns/$CNI_CONTAINERID` names
    # the runtime's namespace twice; ip netns del of the link umount2()s through it,
    # the target stays a plain file (recorded)
    script = ("ip netns add rawns\n"
              "ln -sfT /var/run/netns/rawns /var/run/netns/alias; ls /var/run/netns; "
              "ip netns list\n"
              "ip netns exec alias ip -br link; echo $?\n"
              "ip -n alias link\n"
              "ip netns del alias; ip netns list\n")
    assert _lines(script) == (
        "alias  rawns\nalias\nrawns\n"
        "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n0\n"
        "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default "
        "qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
        "Error: Peer netns reference is invalid.\n"
        "Error: Peer netns reference is invalid.\nrawns\n")


_VXLAN_PAIR = (
    "ip netns add a; ip netns add b; ip link add va netns a type veth peer name vb netns b; "
    "ip -n a link set va up; ip -n b link set vb up; ip -n a addr add 10.0.0.1/24 dev va; "
    "ip -n b addr add 10.0.0.2/24 dev vb; ip -n a link add vx type vxlan id 5 remote "
    "10.0.0.2 dstport 4789 tos inherit ttl inherit; ip -n b link add vx type vxlan id 5 "
    "remote 10.0.0.1 dstport 4789 tos 0xb8; ip -n a link set vx up; ip -n b link set vx up; "
    "ip -n a addr add 10.5.0.1/24 dev vx; ip -n b addr add 10.5.0.2/24 dev vx\n")


@pytest.mark.parametrize("qos, ttl, outer", [
    ("0x2e", "99", ["tos 0x2e,ECT(0), ttl 99,", "tos 0xba,ECT(0), ttl 64,"]),
    ("0x03", "7", ["tos 0x2,ECT(0), ttl 7,", "tos 0xba,ECT(0), ttl 64,"]),
])
def test_vxlan_tos_and_ttl_inherit(qos, ttl, outer):
    # scripts40_tos_ttl: vxlan_xmit_one(): `ttl inherit` copies the inner TTL, `tos
    # inherit` the inner DS field, ip_tunnel_ecn_encap() the inner ECN bits (a CE inner
    # gives ECT(0)); a fixed tos 0xb8 takes them too (recorded; ipemu sent tos 0x0, ttl 64)
    out = _lines(_VXLAN_PAIR + (
        "ip netns exec a tcpdump -c 2 -v -n -i va 'ip[9] = 0x11 and ip[59] = 0x01' "
        f"2>/dev/null & sleep 0.5; ip netns exec a ping -c 1 -Q {qos} -t {ttl} 10.5.0.2 "
        "> /dev/null; wait\n"))
    got = [line.split("IP (", 1)[1].split(" id ")[0] for line in out.splitlines()
           if "proto UDP" in line]
    assert got == outer


def test_ipv6_onlink_gateways_are_validated():
    # scripts40_onlink: ip6_validate_gw() of an onlink nexthop: a local gateway, the
    # main table's route through another device; a route's onlink is each IPv6
    # nexthop's (recorded; ipemu took them all)
    script = (
        "ip link add v1 type veth peer name v2; ip link add v3 type veth peer name v4; "
        "ip link set v1 up; ip link set v3 up; ip addr add 2001:db8:1::1/64 dev v1 nodad; "
        "ip addr add 2001:db8:3::1/64 dev v3 nodad\n"
        "ip -6 route add 2001:db8:9::1/128 via 2001:db8:3::64 dev v1 onlink; echo $?\n"
        "ip -6 route add unreachable 2001:db8:7::/64; ip -6 route add 2001:db8:9::2/128 "
        "via 2001:db8:7::1 dev v1 onlink; echo $?\n"
        "ip -6 route add 2001:db8:9::3/128 via 2001:db8:3::1 dev v1 onlink; echo $?\n"
        "ip -6 route add 2001:db8:9::4/128 via 2001:db8:1::5 dev v2 onlink; echo $?\n"
        "ip -6 route add 2001:db8:9::5/128 nexthop via 2001:db8:1::64 dev v1 onlink "
        "nexthop via 2001:db8:1::65 dev v3 onlink; echo $?\n"
        "ip -6 route add 2001:db8:9::6/128 onlink nexthop via 2001:db8:1::64 dev v1 "
        "nexthop via 2001:db8:3::1 dev v3; echo $?\n"
        "ip -6 route add 2001:db8:9::7/128 via ::ffff:10.1.1.1 dev v3 onlink; echo $?\n"
        "ip -6 route show | grep 2001:db8:9\n")
    assert _lines(script) == (
        "Error: Nexthop has invalid gateway or device mismatch.\n2\n"
        "0\n"
        "Error: Gateway can not be a local address.\n2\n"
        "Error: Nexthop device is not up.\n2\n"
        "Error: Nexthop has invalid gateway or device mismatch.\n2\n"
        "Error: Gateway can not be a local address.\n2\n"
        "0\n"
        "2001:db8:9::2 via 2001:db8:7::1 dev v1 metric 1024 onlink linkdown pref medium\n"
        "2001:db8:9::7 via ::ffff:10.1.1.1 dev v3 metric 1024 onlink linkdown pref medium\n")


def test_ipv6_multipath_route_onlink_applies_to_each_nexthop():
    # scripts40_onlink: fib-onlink-tests.sh's "unicast recursive - multipath onlink"
    # (ipemu said `RTNETLINK answers: No route to host`)
    script = (
        "ip link add v1 type veth peer name v2; ip link add v3 type veth peer name v4; "
        "ip link set v1 up; ip link set v3 up\n"
        "ip -6 ro add 2001:db8:101::5/128 onlink nexthop via 2001:db8:11::64 dev v1 "
        "nexthop via 2001:db8:12::64 dev v3; echo $?\n"
        "ip -6 ro ls 2001:db8:101::5\n")
    assert _lines(script) == (
        "0\n2001:db8:101::5 metric 1024 pref medium\n"
        "\tnexthop via 2001:db8:11::64 dev v1 weight 1 onlink linkdown \n"
        "\tnexthop via 2001:db8:12::64 dev v3 weight 1 onlink linkdown \n")


def test_env_and_xargs_run_a_script_by_its_path():
    # scripts40_vxlan_executor: `ip netns exec NS env IFACE=... ./executors/vxlan`, as
    # ifupdown-ng runs its executors (ipemu: `env: ‘./executors/vxlan’: No such file or
    # directory`); execve()'s EACCES for a file without an execute bit or a directory
    # is env's and xargs' own message, status 126 (recorded)
    script = ('mkdir -p d; printf "#!/bin/sh\\necho hi \\$X\\n" > d/s; chmod +x d/s; '
              'env X=1 ./d/s; env X=2 d/s; ip netns add n; ip netns exec n env X=3 ./d/s; '
              'cd d; env X=4 ./s; printf "echo nox\\n" > t; env ./t; echo $?; '
              'xargs -a /dev/null ./s; echo | xargs ./t; echo $?; env ./nosuch; echo $?; '
              'env /etc; echo $?\n')
    assert _lines(script) == (
        "hi 1\nhi 2\nhi 3\nhi 4\nenv: ‘./t’: Permission denied\n126\nhi\n"
        "xargs: ./t: Permission denied\n126\n"
        "env: ‘./nosuch’: No such file or directory\n127\n"
        "env: ‘/etc’: Permission denied\n126\n")


def test_xargs_arg_file():
    # xargs -a FILE reads its items from FILE, not from the terminal (ipemu read the
    # terminal and waited); an unopenable FILE is `Cannot open input file` (recorded)
    script = ('xargs -a /dev/null echo; echo $?\n'
              'printf "a b\\nc\\n" > f; xargs -a f echo x; xargs -a nosuch echo; echo $?; '
              'xargs -a f -n1 echo | cat\n')
    assert _lines(script) == (
        "\n0\nx a b c\nxargs: Cannot open input file ‘nosuch’: No such file or directory\n"
        "1\na\nb\nc\n")


def test_tput_more_xterm_capabilities():
    # scripts40_vip_failover: `printf "$(tput el1)\r"` status lines (ipemu: `tput:
    # unknown terminfo capability 'el1'`); xterm's terminfo as ncurses 6.4 gives it
    # (tput on the recording machine, TERM=xterm)
    out = _lines("for c in el1 ed home sc rc cuu1 smcup; do tput $c; echo; done | od -c\n"
                 "tput cup 5 10 | od -c; tput hpa 3 | od -c; tput cuu 3 | od -c\n")
    assert out == (
        "0000000 033   [   1   K  \\n 033   [   J  \\n 033   [   H  \\n 033   7  \\n\n"
        "0000020 033   8  \\n 033   [   A  \\n 033   [   ?   1   0   4   9   h 033\n"
        "0000040   [   2   2   ;   0   ;   0   t  \\n\n"
        "0000051\n"
        "0000000 033   [   6   ;   1   1   H\n0000007\n"
        "0000000 033   [   4   G\n0000004\n"
        "0000000 033   [   3   A\n0000004\n")


def test_exec_restore_closes_a_tee_process_substitution():
    # scripts40_tee_log: `exec > >(tee -a LOG) 2>&1` then `exec 1>&3 2>&4`: the pipe's
    # last descriptor closes, tee has written LOG before the script's next `cat LOG`
    # (ipemu ran tee at the shell's exit: `cat: setup.log: No such file or directory`)
    script = ("printf '%s\\n' 'exec 3>&1 4>&2' 'exec > >(tee -a setup.log) 2>&1' 'echo one' "
              "'ip link add x0 type veth peer name y0' 'ip link add x0 type veth peer name y0' "
              "'echo two >&2' 'exec 1>&3 2>&4' 'echo three' 'cat setup.log' 'echo --' > log.sh\n"
              "bash log.sh; cat setup.log | wc -l\n")
    assert _lines(script) == (
        "one\nRTNETLINK answers: File exists\ntwo\nthree\n"
        "one\nRTNETLINK answers: File exists\ntwo\n--\n3\n")


def test_mptcp_endpoints_dump_by_id():
    # scripts40_pm_netlink: mptcp_pm_nl_dump_addr() walks the id bitmap, so `ip mptcp
    # endpoint show` lists endpoints by id, not in the order they were added (recorded:
    # pm_netlink.sh's "set ids")
    script = ("ip mptcp endpoint add 10.0.1.1; ip mptcp endpoint add 10.0.1.3 id 100; "
              "ip mptcp endpoint add 10.0.1.5 id 254; ip mptcp endpoint add 10.0.1.6; "
              "ip mptcp endpoint add 10.0.1.7\n"
              "ip mptcp endpoint show\n")
    assert _lines(script) == ("10.0.1.1 id 1 \n10.0.1.7 id 2 \n10.0.1.3 id 100 \n"
                              "10.0.1.5 id 254 \n10.0.1.6 id 255 \n")


def test_stdbuf_runs_its_command_and_checks_its_modes():
    # scripts40_netns_run: coreutils 9.1 stdbuf (`... | stdbuf -oL grep ...` stages);
    # ipemu said `stdbuf: command not found` (recorded)
    script = ("stdbuf -oL echo hi; echo \"rc=$?\"; stdbuf -o0 -eL printf 'x\\n'; stdbuf echo a; "
              "echo \"rc=$?\"; stdbuf -oX echo a; echo \"rc=$?\"; stdbuf -i0 nosuchcmd; "
              "echo \"rc=$?\"; stdbuf --version | head -1\n"
              "stdbuf -iL cat < /dev/null; echo \"rc=$?\"; stdbuf -o 1Q echo; echo \"rc=$?\"; "
              "stdbuf -oL; echo \"rc=$?\"; stdbuf -o 99999999999999999999 echo; echo \"rc=$?\"\n")
    assert _lines(script) == (
        "hi\nrc=0\nx\nstdbuf: you must specify a buffering mode option\n"
        "Try 'stdbuf --help' for more information.\nrc=125\n"
        "stdbuf: invalid mode ‘X’\nrc=125\n"
        "stdbuf: failed to run command ‘nosuchcmd’: No such file or directory\nrc=127\n"
        "stdbuf (GNU coreutils) 9.1\n"
        "stdbuf: line buffering stdin is meaningless\n"
        "Try 'stdbuf --help' for more information.\nrc=125\n"
        "stdbuf: invalid mode ‘1Q’\nrc=125\n"
        "stdbuf: missing operand\nTry 'stdbuf --help' for more information.\nrc=125\n"
        "stdbuf: invalid mode ‘99999999999999999999’: Value too large for defined data "
        "type\nrc=125\n")


def test_date_field_widths_and_nanoseconds():
    # scripts40_busywait: selftests' loopy_wait() reads `date -u +%s%3N` (ipemu printed
    # `%3N` as it is, and the arithmetic failed); GNU date's widths pad, %N's keep digits
    assert _lines('date -u -d @1000000000.1234 "+%s%3N %6N %N %10N %-N %5s %_8Y %12a %03N"\n') \
        == ("1000000000123 123400 123400000 1234000000 123400000 1000000000     2001"
            "          Sun 123\n")


def test_array_element_assignment_with_a_nested_subscript():
    # scripts40_busywait: binary_op()'s `lhs[${#lhs[@]}]=$arg` is an assignment
    # (bash's skipsubscript() nests brackets); ipemu ran `lhs[0]=val` as a command
    script = ("a=(); a[${#a[@]}]=x; a[${#a[@]}]=y; declare -p a; e[${#a[@]}]+=q; "
              "e[${#a[@]}]+=r; declare -p e; f=(p q); i=1; g[${f[i]:0:1}x]=1 2>&1; "
              "declare -p g 2>&1\n")
    assert _lines(script) == ('declare -a a=([0]="x" [1]="y")\ndeclare -a e=([2]="qr")\n'
                              'declare -a g=([0]="1")\n')


def test_tcpdump_hands_packets_over_when_the_ring_block_is_retired():
    # scripts40_lvs_dr's notes: TPACKET_V3 blocks are retired by the kernel's timer,
    # every pcap_set_timeout() from the ring's setup: 100 ms for tcpdump printing to a
    # terminal (or -l), 1000 ms otherwise; packets of a block not yet retired when a
    # signal ends tcpdump are never read (recorded: case 1 prints after `mid`, the -w
    # and piped runs stopped at 1.8 s lose the packets of 1.3 s)
    setup = ("ip netns add n2; ip link add v1 type veth peer name v2 netns n2; "
             "ip addr add 10.0.0.1/24 dev v1; ip link set v1 up; ip -n n2 addr add "
             "10.0.0.2/24 dev v2; ip -n n2 link set v2 up; sleep 1\n")
    out = _lines(setup + (
        "tcpdump -c 1 -n -i v1 icmp 2>/dev/null & sleep 0.3; ping -c 1 10.0.0.2 | "
        "grep -c transmitted; echo mid; wait; echo end\n"
        "timeout 1.8 tcpdump -n -i v1 icmp 2>&1 | grep -c ICMP & sleep 1.3; "
        "ping -c 1 10.0.0.2 > /dev/null; wait\n"
        "timeout 1.8 tcpdump -w a.pcap -i v1 icmp 2>&1 | grep captured & sleep 1.3; "
        "ping -c 1 10.0.0.2 > /dev/null; wait\n"
        "timeout 1.8 tcpdump --immediate-mode -w d.pcap -i v1 icmp 2>&1 | grep captured "
        "& sleep 1.3; ping -c 1 10.0.0.2 > /dev/null; wait\n"))
    lines = out.splitlines()
    assert lines[:2] == ["1", "mid"] and "ICMP echo request" in lines[2]
    assert lines[3:] == ["end", "0", "0 packets captured", "2 packets captured"]


def test_tcpdump_to_a_file_retires_its_block_every_second():
    # a background `tcpdump > FILE &` prints to no terminal: 1000 ms blocks, so a kill
    # right after the pings loses them, 0.6 s later none is lost (recorded)
    setup = ("ip netns add n2; ip link add v1 type veth peer name v2 netns n2; "
             "ip addr add 10.0.0.1/24 dev v1; ip link set v1 up; ip -n n2 addr add "
             "10.0.0.2/24 dev v2; ip -n n2 link set v2 up; sleep 1\n")
    out = _lines(setup + (
        "for s in 0 0.6; do tcpdump -n -i v1 icmp > o$s.txt 2>/dev/null & pid=$!; "
        "sleep 0.4; ping -c 3 -i 0.2 -q 10.0.0.2 > /dev/null; sleep $s; kill $pid; "
        "wait $pid; echo \"file after $s: $(grep -c ICMP o$s.txt)\"; done\n"))
    assert out == "file after 0: 0\nfile after 0.6: 6\n"
