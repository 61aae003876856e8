"""captures40: tcpdump's options and filter expressions as tutorials and cheat sheets
write them (tests/oracle_cases/captures40_*, recorded twice on the Debian 12 machine:
tcpdump 4.99.3, libpcap 1.10.3, Linux 6.18), and the behaviours they showed, each on
its own:

- -V FILE (tcpdump.c get_next_file()): one name a line, "-" the standard input, an
  empty line the name "" (`tcpdump: : No such file or directory`), `Nothing in FILE`
  for an empty list; -c counts in each file, -# and --count over all of them, -w
  merges every file into the one dump; after the first file tcpdump has dropped root
  for Debian's "tcpdump" user, so a later file in root's home is `Permission denied`;
  -V with -r, -f with -r, and six t's are main()'s option errors;
- gen_proto() takes a protocol number past 255 (`proto 300` compiles, never matches).
"""
from __future__ import annotations

import sys
from pathlib import Path

# the captures40_ cases replay whole in tests/test_rounds.py (PREFIXES)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_capture35 import run, session  # noqa: E402,F401

PAIR = [
    "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add v",
    "ip netns exec v sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
    "ip link add v0 address 02:00:00:40:07:01 type veth peer name v1 netns v "
    "address 02:00:00:40:07:02",
    "ip addr add 10.40.7.1/24 dev v0",
    "ip link set v0 up",
    "ip -n v addr add 10.40.7.2/24 dev v1",
    "ip -n v link set v1 up",
]

# recorded (captures40_vfile_list)
BANNER = "reading from file {}, link-type EN10MB (Ethernet), snapshot length 262144\n"
ARP = ("ARP, Request who-has 10.40.7.2 tell 10.40.7.1, length 28\n"
       "ARP, Reply 10.40.7.2 is-at 02:00:00:40:07:02, length 28\n")


def two_files(session) -> None:
    for line in PAIR:
        run(session, line)
    run(session, "timeout 5 tcpdump -i v0 -n -c 4 -w first.pcap 2> /dev/null &")
    run(session, "sleep 1")
    run(session, "ping -c 1 10.40.7.2 > /dev/null")
    run(session, "wait")
    run(session, "timeout 5 tcpdump -i v0 -n -c 2 -w second.pcap icmp 2> /dev/null &")
    run(session, "sleep 1")
    run(session, "ping -c 1 -s 100 10.40.7.2 > /dev/null")
    run(session, "wait")


def test_a_list_in_roots_home_fails_after_the_first_file(session):
    two_files(session)
    run(session, r"printf 'first.pcap\nsecond.pcap\n' > list.txt")
    out = run(session, "tcpdump -n -t -V list.txt arp; echo $?")
    assert out == BANNER.format("first.pcap") + ARP + \
        "tcpdump: second.pcap: Permission denied\n1\n"
    # -Z root keeps root: both files
    out = run(session, "tcpdump -n -t -Z root -V list.txt -c 1; echo $?")
    assert out.count("reading from file") == 2 and out.endswith("\n0\n")


def test_a_list_outside_counts_numbers_and_merges_over_the_files(session):
    two_files(session)
    run(session, "mkdir -p /tmp/l && cp first.pcap second.pcap /tmp/l/")
    run(session, r"printf '/tmp/l/first.pcap\n/tmp/l/second.pcap\n' > l.txt")
    out = run(session, "tcpdump -n -t -# -V l.txt icmp")
    assert [line[:7] for line in out.splitlines() if not line.startswith("reading")] == \
        ["    1  ", "    2  ", "    3  ", "    4  "]
    assert run(session, "tcpdump -n -V l.txt --count 2> /dev/null") == "6 packets\n"
    run(session, "tcpdump -n -V l.txt -w /tmp/l/m.pcap 2> /dev/null")
    assert run(session, "tcpdump -n -r /tmp/l/m.pcap 2> /dev/null | wc -l") == "6\n"
    # the standard input, and an empty line naming ""
    out = run(session, r"printf '/tmp/l/first.pcap\n\n' | tcpdump -n -t -V - arp; echo $?")
    assert out == BANNER.format("/tmp/l/first.pcap") + ARP + \
        "tcpdump: : No such file or directory\n1\n"


def test_the_option_errors_of_main(session):
    run(session, ": > empty.txt")
    assert run(session, "tcpdump -n -V empty.txt; echo $?") == \
        "tcpdump: Nothing in empty.txt\n1\n"
    assert run(session, "tcpdump -V empty.txt -r x.pcap; echo $?") == \
        "tcpdump: -V and -r are mutually exclusive.\n1\n"
    assert run(session, "tcpdump -f -r x.pcap; echo $?") == \
        "tcpdump: -f can not be used with -V or -r\n1\n"
    assert run(session, "tcpdump -tttttt -r x.pcap; echo $?") == \
        "tcpdump: only -t, -tt, -ttt, -tttt and -ttttt are supported\n1\n"


def test_a_protocol_number_past_255_compiles(session):
    run(session, "ip link add e0 type veth peer name e1")
    run(session, "ip link set e0 up")
    # recorded (captures40_filter_compile): jeq #0x12c on the protocol bytes of both
    out = run(session, "tcpdump -i e0 -d 'proto 300'")
    assert out == ("(000) ldh      [12]\n"
                   "(001) jeq      #0x800           jt 2\tjf 4\n"
                   "(002) ldb      [23]\n"
                   "(003) jeq      #0x12c           jt 10\tjf 11\n"
                   "(004) jeq      #0x86dd          jt 5\tjf 11\n"
                   "(005) ldb      [20]\n"
                   "(006) jeq      #0x12c           jt 10\tjf 7\n"
                   "(007) jeq      #0x2c            jt 8\tjf 11\n"
                   "(008) ldb      [54]\n"
                   "(009) jeq      #0x12c           jt 10\tjf 11\n"
                   "(010) ret      #262144\n"
                   "(011) ret      #0\n")


ROUTED = [
    "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add h1",
    "ip netns add r",
    "ip netns add h2",
    "ip link add a0 netns h1 address 02:00:00:40:08:01 type veth peer name a1 netns r "
    "address 02:00:00:40:08:02",
    "ip link add b0 netns h2 address 02:00:00:40:08:04 type veth peer name b1 netns r "
    "address 02:00:00:40:08:03",
    "ip -n h1 addr add 10.40.8.1/24 dev a0",
    "ip -n r addr add 10.40.8.254/24 dev a1",
    "ip -n r addr add 10.40.9.254/24 dev b1",
    "ip -n h2 addr add 10.40.9.1/24 dev b0",
    "ip -n h1 link set a0 up",
    "ip -n r link set a1 up",
    "ip -n r link set b1 up",
    "ip -n h2 link set b0 up",
    "ip -n h1 route add default via 10.40.8.254",
    "ip -n h2 route add default via 10.40.9.254",
    "ip netns exec r sysctl -qw net.ipv4.ip_forward=1",
    "ip netns exec h1 ping -c 1 10.40.9.1 > /dev/null",
]


def test_traceroute_U_sends_every_probe_to_one_port(session):
    # recorded (captures40_traceroute_udp_port): -U is mod-udp.c's "udp" method, port
    # 53 unless -p, each probe from a socket of its own; the answers still find them
    for line in ROUTED:
        run(session, line)
    run(session, "ip netns exec r timeout 5 tcpdump -i a1 -n -t -c 6 'icmp or udp' "
                 "> cap.txt 2> /dev/null &")
    run(session, "sleep 1")
    out = run(session, "ip netns exec h1 traceroute -n -q 1 -U -p 5000 --sport=40001 "
                       "10.40.9.1 | sed -E 's/[0-9]+\\.[0-9]+ ms/T ms/'")
    assert out == ("traceroute to 10.40.9.1 (10.40.9.1), 30 hops max, 60 byte packets\n"
                   " 1  10.40.8.254  T ms\n 2  10.40.9.1  T ms\n")
    run(session, "wait")
    assert run(session, "cat cap.txt") == (
        "IP 10.40.8.1.40001 > 10.40.9.1.5000: UDP, length 32\n"
        "IP 10.40.8.254 > 10.40.8.1: ICMP time exceeded in-transit, length 68\n"
        "IP 10.40.8.1.40001 > 10.40.9.1.5000: UDP, length 32\n"
        "IP 10.40.9.1 > 10.40.8.1: ICMP 10.40.9.1 udp port 5000 unreachable, length 68\n\n")
    out = run(session, "ip netns exec h1 traceroute -n -U -p 5000 10.40.9.1 "
                       "| sed -E 's/[0-9]+\\.[0-9]+ ms/T ms/g'")
    assert out.endswith(" 1  10.40.8.254  T ms  T ms  T ms\n"
                        " 2  10.40.9.1  T ms  T ms  T ms\n")


def test_traceroute_p_takes_0_service_names_and_wraps(session):
    # set_port(): strtoul() (0: the method's default), else getservbyname(); htons()
    for line in ROUTED:
        run(session, line)
    run(session, "ip netns exec r timeout 5 tcpdump -i a1 -n -t -c 4 'udp and ip[8] = 1' "
                 "> cap.txt 2> /dev/null &")
    run(session, "sleep 1")
    for options in ("-p 0 --sport=40003", "-U -p 0 --sport=40004",
                    "-p 70000 --sport=40005", "-U -p http --sport=40006"):
        assert run(session, f"ip netns exec h1 traceroute -n -q 1 -m 1 {options} "
                            "10.40.9.1 > /dev/null; echo $?") == "0\n"
    run(session, "wait")
    assert [line.split()[3] for line in run(session, "cat cap.txt").splitlines()
            if line.startswith("IP")] == \
        ["10.40.9.1.33434:", "10.40.9.1.53:", "10.40.9.1.4464:", "10.40.9.1.80:"]
    assert run(session, "traceroute -n -p nosuchservice 10.40.9.1; echo $?") == \
        "Cannot handle `-p' option with arg `nosuchservice' (argc 3)\n2\n"


def g_pair(session) -> None:
    for line in PAIR:
        run(session, line.replace("40:07", "40:0b").replace("10.40.7", "10.40.11"))
    run(session, "ping -c 1 10.40.11.2 > /dev/null")


def test_G_rotation_is_refused_in_roots_home(session):
    # recorded (captures40_file_rotation): the first file is written, the next one
    # (at the first packet 2 s on) is opened as the tcpdump user: error(), no counts
    g_pair(session)
    run(session, "timeout 5 tcpdump -i v0 -n -G 2 -w rot.pcap icmp > out.txt 2>&1 &")
    run(session, "sleep 0.5")
    run(session, "ping -c 2 -i 2.2 10.40.11.2 > /dev/null")
    run(session, "wait")
    assert run(session, "cat out.txt") == (
        "tcpdump: listening on v0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n"
        "tcpdump: rot.pcap: Permission denied\n")
    out = run(session, "tcpdump -n -t -r rot.pcap 2> /dev/null")
    assert "seq 1," in out and "seq 2," not in out and out.count("\n") == 2


def test_G_with_W_ends_after_that_many_files(session):
    g_pair(session)
    run(session, "timeout 9 tcpdump -i v0 -n -Z root -G 2 -W 3 -w ring.pcap icmp "
                 "> out.txt 2>&1 &")
    run(session, "sleep 0.5")
    run(session, "ping -c 4 -i 2.2 10.40.11.2 > /dev/null")
    run(session, "wait")
    assert run(session, "cat out.txt").splitlines()[1:3] == [
        "Maximum file limit reached: 3", "7 packets captured"]
    out = run(session, "tcpdump -n -t -r ring.pcap 2> /dev/null")
    assert "seq 3," in out and out.count("\n") == 2


def test_C_with_W_names_the_first_file_in_W_digits(session):
    g_pair(session)
    for w, name in (("3", "size.pcap0"), ("12", "size.pcap00")):
        run(session, f"timeout 3 tcpdump -i v0 -n -Z root -C 1 -W {w} -w size.pcap -c 2 "
                     "icmp 2> /dev/null &")
        run(session, "sleep 0.5")
        run(session, "ping -c 1 10.40.11.2 > /dev/null")
        run(session, "wait")
        assert run(session, f"ls {name}") == f"{name}\n"


def test_pppoes_compiles_and_moves_what_follows_into_the_ppp_packet(session):
    # recorded (captures40_filter_compile): gen_pppoes() and PUSH_LINKHDR(DLT_PPP)
    run(session, "ip link add e0 type veth peer name e1")
    run(session, "ip link set e0 up")
    assert run(session, "tcpdump -i e0 -d 'pppoes 0x1234'") == (
        "(000) ldh      [12]\n"
        "(001) jeq      #0x8864          jt 2\tjf 6\n"
        "(002) ld       [14]\n"
        "(003) and      #0xffff\n"
        "(004) jeq      #0x1234          jt 5\tjf 6\n"
        "(005) ret      #262144\n"
        "(006) ret      #0\n")
    assert run(session, "tcpdump -i e0 -d 'pppoes and ip'") == (
        "(000) ldh      [12]\n"
        "(001) jeq      #0x8864          jt 2\tjf 5\n"
        "(002) ldh      [20]\n"
        "(003) jeq      #0x21            jt 4\tjf 5\n"
        "(004) ret      #262144\n"
        "(005) ret      #0\n")
    assert run(session, "tcpdump -i e0 -d pppoed") == (
        "(000) ldh      [12]\n"
        "(001) jeq      #0x8863          jt 2\tjf 3\n"
        "(002) ret      #262144\n"
        "(003) ret      #0\n")
    assert run(session, "tcpdump -i e0 -d 'pppoes 70000'; echo $?") == \
        "tcpdump: PPPoE session number 70000 greater than maximum 65535\n1\n"


def test_what_follows_pppoes_looks_inside_even_across_or(session):
    # recorded: `pppoes or icmp` takes none of a ping's packets, `icmp or pppoes` takes
    # them (the offsets move for the code generated after the keyword)
    for line in PAIR:
        run(session, line)
    run(session, "timeout 4 tcpdump -i v0 -n -w p.pcap 2> /dev/null &")
    run(session, "sleep 1")
    run(session, "ping -c 1 10.40.7.2 > /dev/null")
    run(session, "wait")
    assert run(session, "tcpdump -n -t -r p.pcap 'pppoes or icmp' 2> /dev/null") == ""
    out = run(session, "tcpdump -n -t -r p.pcap 'icmp or pppoes' 2> /dev/null")
    assert out.count("ICMP echo") == 2
    assert run(session, "tcpdump -n -t -r p.pcap 'not pppoes and arp' 2> /dev/null") == ""
