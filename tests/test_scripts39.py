"""Round 39's scripts (transcripts/scripts/scripts39_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: iproute2 6.1, bash 5.2; the recording kernel 6.18)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402
from ipemu.session import Session  # noqa: E402
from ipemu.transcript.runner import run_lines, script_lines  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts39_")


def test_round39_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 3


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts39_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


def _script_output(text: str) -> str:
    """What `text` prints given to `ipemu run` (here-documents whole), prompts left out."""
    session = Session.create("default", "bare", "oracle", 0, None)
    transcript, _ = run_lines(session, script_lines(text), "oracle")
    return "".join(line for line in transcript.splitlines(keepends=True)
                   if not line.startswith(("[root@oracle ~]# ", "> ")))


def test_master_name_lookup_runs_the_bridges_held_linkwatch_event():
    # scripts39_neighlab: a port added before its carrier event ran leaves the bridge's
    # carrier change held by linkwatch's rate limit (UNKNOWN); the next `ip link set
    # dev X master BR` resolves BR by ll_name_to_index(), an RTM_GETLINK by name, and
    # rtnl_getlink() runs BR's held event first (linkwatch_sync_dev()): UP at once
    # (recorded three times; ipemu kept UNKNOWN until the delayed work a second later)
    script = """cat > t.sh <<'X'
ip netns add ns
ip link add nsin type veth peer name nsout
ip link set nsout up
ip link set nsin netns ns
ip netns exec ns ip link set lo up
ip netns exec ns ip link set nsin address fa:16:3e:00:00:02
ip netns exec ns ip link set nsin up
ip netns exec ns ip address add 192.168.100.2/24 dev nsin
ip link add m2b type veth peer name b2m
ip link set dev m2b up
ip link set dev b2m up
ip link set m2b address fa:16:3e:00:00:01
ip address add 192.168.100.1/24 dev m2b
ip link add brx type bridge
ip link set dev brx up
echo A; ip -br link | awk '{print $1, $2}'
ip link set dev nsout master brx
echo B; ip -br link | awk '{print $1, $2}'
ip link set dev b2m master brx
echo C; ip -br link | awk '{print $1, $2}'
X
bash t.sh
"""
    links = "lo DOWN\nnsout@if3 UP\nb2m@m2b UP\nm2b@b2m UP\n"
    assert _script_output(script) == (
        f"A\n{links}brx UNKNOWN\nB\n{links}brx UNKNOWN\nC\n{links}brx UP\n")


def test_netns_list_orders_links_and_attached_names_by_when_they_came():
    # scripts39_container: /run/netns is a tmpfs, readdir() gives the newest entry first
    # whatever made it: a link `ln -sf /proc/PID/ns/net` made before `ip netns attach`
    # lists after the attached name (recorded twice; ipemu listed every mounted name
    # before every link)
    script = """cat > t.sh <<'X'
unshare -n sleep 30 &
PID=$!
mkdir -p /var/run/netns
ln -sf /proc/$PID/ns/net /var/run/netns/cont1
ip netns list
ip netns attach cont2 $PID; ip netns list
ip netns del cont2; ip netns list
rm /var/run/netns/cont1
kill $PID
X
bash t.sh
"""
    assert _script_output(script) == "cont1\ncont2\ncont1\ncont1\n"


def test_traceroute_reads_grouped_short_options_and_attached_values():
    # scripts39_srv6's `traceroute -n -q1 -w1 ...` was `Bad option -q1` in ipemu;
    # traceroute 2.1.2's CLIF_parse() (recorded, tools/scripts39_traceroute_clusters)
    script = """ip link set lo up
traceroute -nq1 127.0.0.1; echo "rc $?"
traceroute -q1n 127.0.0.1; echo "rc $?"
traceroute -xn 127.0.0.1; echo "rc $?"
traceroute -nm 127.0.0.1; echo "rc $?"
traceroute -n -w 127.0.0.1; echo "rc $?"
traceroute -n -q1 -w 1,2,3,4 127.0.0.1; echo "rc $?"
traceroute -n -q1 -w -1 127.0.0.1; echo "rc $?"
traceroute -In -m2 -q1 -w1.5.3 127.0.0.1 | sed 's/[0-9.]* ms/T ms/'
"""
    assert _lines(script) == (
        "Option `-q' (argc 1) requires an argument: `-q nqueries'\nrc 2\n"
        "Cannot handle `-q' option with arg `1n' (argc 1)\nrc 2\n"
        "Bad option `-x' (argc 1)\nrc 2\n"
        "Cannot handle `-m' option with arg `127.0.0.1' (argc 2)\nrc 2\n"
        'Specify "host" missing argument.\nrc 2\n'
        "Cannot handle `-w' option with arg `1,2,3,4' (argc 4)\nrc 2\n"
        "bad wait specifications `-1,0,0' used\nrc 2\n"
        "traceroute to 127.0.0.1 (127.0.0.1), 2 hops max, 60 byte packets\n"
        " 1  127.0.0.1  T ms\n")


def test_seg6_encap_and_end_dx4_carry_ipv4_over_an_ipv6_core():
    # scripts39_srv6 (ljm625/SRv6_Sandbox's dx4 rules): ipemu kept the seg6 and
    # seg6local routes but sent nothing through them (ARP for the far host instead);
    # seg6_do_srh_encap(), input_action_end(), input_action_end_dx4() (recorded:
    # packets/scripts39_seg6_dx4_end, the reply's TTL and the SRH a capture shows)
    text = (Path(__file__).resolve().parent.parent / "transcripts" / "packets" /
            "scripts39_seg6_dx4_end.cmds").read_text()
    out = _script_output(text)
    assert re.sub(r"id \d+", "id N", out) == (
        "IP6 fc00:13::1 > fc00:3::aa: RT6 (len=2, type=4, segleft=0, last-entry=0, tag=0,"
        " [0]fc00:3::aa) IP 10.0.0.1 > 10.0.1.1: ICMP echo request, id N, seq 1, length 64\n"
        "IP6 fc00:13::3 > fc00:1::aa: RT6 (len=2, type=4, segleft=0, last-entry=0, tag=0,"
        " [0]fc00:1::aa) IP 10.0.1.1 > 10.0.0.1: ICMP echo reply, id N, seq 1, length 64\n"
        "ttl=63\nttl=63\n1 received\n0 received\n")


def test_seg6_inline_srh_needs_seg6_enabled_where_it_is_addressed():
    # ipv6_srh_rcv(): conf/all and the receiving device's seg6_enabled both, else the
    # packet is dropped; with a segment left the next one is the destination, with
    # none an encapsulated IPv4 packet comes out and is routed (recorded:
    # packets/scripts39_seg6_inline_srh)
    text = (Path(__file__).resolve().parent.parent / "transcripts" / "packets" /
            "scripts39_seg6_inline_srh.cmds").read_text()
    out = re.sub(r"id \d+", "id N", _script_output(text))
    assert out == (
        "fc00:2::/64  encap seg6 mode inline segs 2 [ fc00:12::2 :: ] dev p3 metric 1024 "
        "pref medium\n0 received\n0 received\n0 received\n"
        "p4    In  IP6 fc00:1::1 > fc00:12::2: RT6 (len=4, type=4, segleft=1, last-entry=1,"
        " tag=0, [0]fc00:2::1, [1]fc00:12::2) ICMP6, echo request, id N, seq 1, length 64\n"
        "p5    Out IP6 fc00:1::1 > fc00:2::1: RT6 (len=4, type=4, segleft=0, last-entry=1,"
        " tag=0, [0]fc00:2::1, [1]fc00:12::2) ICMP6, echo request, id N, seq 1, length 64\n"
        "ttl=62\n1 received\n0 received\nttl=63\n1 received\n")


def test_seg6local_behaviours_without_a_kernel_handler_are_einval():
    # parse_nla_action(): not in seg6_action_table[] -> EINVAL (ipemu said "Operation
    # not supported", and took End.BM); `endpoint` fails loading its program
    # (recorded: ip/scripts39_seg6local_actions)
    script = """ip link add va type veth peer name vb; ip link set va up
ip -6 route add fc00:8::1/128 encap seg6local action End.BM srh segs fc00::1 dev va; echo "rc $?"
ip -6 route add fc00:8::1/128 encap seg6local action End.AS dev va; echo "rc $?"
ip -6 route add fc00:8::1/128 encap seg6local action End.BPF endpoint pinned /sys/fs/bpf/x dev va; echo "rc $?"
"""
    assert _lines(script) == (
        "RTNETLINK answers: Invalid argument\nrc 2\n"
        "RTNETLINK answers: Invalid argument\nrc 2\n"
        "Couldn't retrieve pinned program '/sys/fs/bpf/x': No such file or directory\n"
        "Failed to parse eBPF program: Operation not permitted\nrc 255\n")
