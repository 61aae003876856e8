"""captures38: tcpdump's filters as tutorials write them (tests/oracle_cases/captures38_*,
recorded twice on the Debian 12 machine: tcpdump 4.99.3, libpcap 1.10.3, Linux 6.18), and
the behaviours they showed, each on its own:

- a host name in a filter is looked up as pcap_nametoaddrinfo() does (/etc/hosts first):
  `host localhost` compiles, also for -d and for the optimizer's `rejects all packets`;
- a port range's bounds may be numbers or service names, mixed (pcap_nametoportrange());
- `inbound`/`outbound` on a live Ethernet or loopback capture test the kernel's packet
  type, which libpcap's own interpreter cannot load: the packets of the ring's first
  block, filtered again in userland, are all rejected, later ones are not; the same first
  block is where a filter that reads past a small -s rejects packets;
- a TUN device captures as RAW (Raw IP), and nothing routed into a TUN/TAP device nobody
  attached gets past its noop qdisc; -D gives an ifb no connection status.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ipemu.session import Session
from ipemu.tcpdump import bpfgen
from ipemu.tcpdump.filter import FilterError, _nametoport, _nametoportrange, compile_filter

# the captures38_ cases replay whole in tests/test_rounds.py (PREFIXES)


# the oracle-profile host in a scratch folder (a fixture), and a line's output
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_capture35 import run, session  # noqa: E402,F401


# an ICMP echo request from 127.0.0.1 to itself on lo (Ethernet header of zeros)
LO_ECHO = bytes(12) + b"\x08\x00" + bytes.fromhex(
    "4500001c000140004001" "0000" "7f000001" "7f000001") + bytes.fromhex("0800f7ff00000000")


def test_a_host_name_is_looked_up():
    hosts = {"localhost": ["127.0.0.1"]}
    assert compile_filter("host localhost", 1, hosts=hosts)(LO_ECHO)
    assert not compile_filter("dst host localhost and arp", 1, hosts=hosts)(LO_ECHO)
    with pytest.raises(FilterError, match="unknown host 'nosuchhost'"):
        compile_filter("host nosuchhost", 1, hosts=hosts)
    # recorded: an IPv4-only name asked for IPv6
    with pytest.raises(FilterError,
                       match="unknown host 'localhost' for specified address family"):
        compile_filter("ip6 host localhost", 1, hosts=hosts)
    # recorded: the optimizer sees through the name
    with pytest.raises(FilterError, match="expression rejects all packets"):
        compile_filter("host localhost and not host 127.0.0.1", 1, hosts=hosts)


def test_host_localhost_on_the_recording_host(session):
    # recorded (captures38_lo_localhost): the program of `host localhost`
    assert run(session, "tcpdump -d 'host localhost'") == (
        "Warning: assuming Ethernet\n"
        "(000) ldh      [12]\n"
        "(001) jeq      #0x800           jt 2\tjf 6\n"
        "(002) ld       [26]\n"
        "(003) jeq      #0x7f000001      jt 12\tjf 4\n"
        "(004) ld       [30]\n"
        "(005) jeq      #0x7f000001      jt 12\tjf 13\n"
        "(006) jeq      #0x806           jt 8\tjf 7\n"
        "(007) jeq      #0x8035          jt 8\tjf 13\n"
        "(008) ld       [28]\n"
        "(009) jeq      #0x7f000001      jt 12\tjf 10\n"
        "(010) ld       [38]\n"
        "(011) jeq      #0x7f000001      jt 12\tjf 13\n"
        "(012) ret      #262144\n"
        "(013) ret      #0\n")


@pytest.mark.parametrize("name, expected", [
    ("22-ssh", (22, 22, -1)),           # 22 is any protocol's, ssh tcp's: both
    ("ftp-ssh", (21, 22, 6)),           # both tcp's only (Debian's /etc/services)
    ("domain-53", (53, 53, -1)),
    ("70000-ssh", (70000 & 0xFFFF, 22, -1)),   # glibc's htons() of the number
    ("ssh", None),
    ("nosuch-http", None),
])
def test_named_port_ranges(name, expected):
    assert _nametoportrange(name) == expected


def test_a_numeric_service_is_a_port():
    assert _nametoport("22") == (22, -1)
    assert _nametoport("http") == (80, 6)      # Debian's http is 80/tcp only


def test_udp_portrange_of_tcp_names():
    with pytest.raises(FilterError, match="port in range 'ftp-ssh' is tcp"):
        compile_filter("udp portrange ftp-ssh", 1)


def test_inbound_outbound_programs():
    # recorded (captures38_direction): `-i d0 -d outbound`, `-i any -d inbound`
    assert bpfgen.compile("outbound", 262144, 1, live=True) == [
        (0x28, 0, 0, 0xFFFFF004), (0x15, 0, 1, 4), (0x06, 0, 0, 262144), (0x06, 0, 0, 0)]
    assert bpfgen.compile("inbound", 262144, 276) == [
        (0x30, 0, 0, 10), (0x15, 0, 1, 4), (0x06, 0, 0, 0), (0x06, 0, 0, 262144)]


def test_inbound_is_refused_on_a_savefile():
    with pytest.raises(FilterError, match="inbound/outbound not supported on Ethernet "
                                          "when reading savefiles"):
        compile_filter("inbound", 1)


def test_the_kernels_packet_type_is_not_loadable_in_userland():
    out = compile_filter("outbound", 1, savefile=False)
    assert out(LO_ECHO, outgoing=True)
    assert not out(LO_ECHO, outgoing=False)
    # bpf_filter.c: the load fails, the program returns 0, `not` or not
    assert not out(LO_ECHO, outgoing=None)
    assert not compile_filter("not outbound", 1, savefile=False)(LO_ECHO, outgoing=None)


def _veth_pair(session):
    for line in ("sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
                 "ip netns add far",
                 "ip netns exec far sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
                 "ip link add d0 type veth peer name d1 netns far",
                 "ip addr add 10.38.2.1/24 dev d0", "ip link set d0 up",
                 "ip -n far addr add 10.38.2.2/24 dev d1", "ip -n far link set d1 up"):
        run(session, line)


def test_outbound_misses_the_first_block(session):
    # recorded (captures38_direction): the ARP request and echo 1 come in the ring's
    # first block, filtered again in userland; echo 2 and 3 a second and two later
    _veth_pair(session)
    run(session, "timeout 4 tcpdump -i d0 -n outbound > out.txt 2>&1 &")
    run(session, "sleep 0.5")
    run(session, "ping -c 3 -i 1 10.38.2.2 > /dev/null")
    run(session, "wait")
    lines = run(session, "cat out.txt").splitlines()
    assert [line.split(": ", 1)[-1].split(", id")[0] for line in lines
            if "ICMP" in line] == ["ICMP echo request"] * 2
    assert [line.rsplit(", ", 1)[-1] for line in lines if "ICMP" in line] == \
        ["length 64"] * 2
    assert "seq 2" in lines[2] and "seq 3" in lines[3]
    assert lines[-3:] == ["2 packets captured", "4 packets received by filter",
                          "0 packets dropped by kernel"]


def test_immediate_mode_misses_one_packet(session):
    _veth_pair(session)
    run(session, "timeout 3 tcpdump -i d0 -n --immediate-mode outbound > out.txt 2>&1 &")
    run(session, "sleep 0.5")
    run(session, "ping -c 2 -i 0.5 10.38.2.2 > /dev/null")
    run(session, "wait")
    text = run(session, "cat out.txt")
    assert "ARP, Request" not in text and "seq 1," in text and "seq 2," in text


def test_a_small_snapshot_in_the_first_block_only(session):
    # recorded (captures38_snaplen_blocks): `-s 20 icmp` keeps echoes 2 and 3
    _veth_pair(session)
    run(session, "timeout 4 tcpdump -i d0 -n -s 20 icmp > out.txt 2>&1 &")
    run(session, "sleep 0.5")
    run(session, "ping -c 3 -i 1 10.38.2.2 > /dev/null")
    run(session, "wait")
    text = run(session, "cat out.txt")
    assert text.count("IP  [|ip]") == 4
    assert text.endswith("4 packets captured\n6 packets received by filter\n"
                         "0 packets dropped by kernel\n")


def test_a_tun_device_is_raw_ip(session):
    run(session, "ip tuntap add tun0 mode tun")
    run(session, "ip link set tun0 up")
    assert run(session, "tcpdump -L -i tun0") == (
        "Data link types for tun0 (use option -y to set):\n  RAW (Raw IP)\n")
    assert run(session, "tcpdump -i tun0 -y EN10MB -c 1") == (
        "tcpdump: EN10MB is not one of the DLTs supported by this device\n")
    assert run(session, "tcpdump -i tun0 -d icmp") == (
        "(000) ldb      [0]\n"
        "(001) and      #0xf0\n"
        "(002) jeq      #0x40            jt 3\tjf 6\n"
        "(003) ldb      [9]\n"
        "(004) jeq      #0x1             jt 5\tjf 6\n"
        "(005) ret      #262144\n"
        "(006) ret      #0\n")
    assert run(session, "tcpdump -i tun0 -d 'ether broadcast'") == (
        "tcpdump: not a broadcast link\n")


def test_nothing_passes_an_unattached_tun(session):
    run(session, "ip tuntap add tun0 mode tun")
    run(session, "ip addr add 10.38.9.1/24 dev tun0")
    run(session, "ip link set tun0 up")
    run(session, "timeout 3 tcpdump -i tun0 -n -w tun.pcap 2> err.txt &")
    run(session, "ping -c 1 -W 1 10.38.9.2 > /dev/null")
    run(session, "wait")
    assert run(session, "cat err.txt") == (
        "tcpdump: listening on tun0, link-type RAW (Raw IP), snapshot length 262144 bytes\n"
        "0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n")


def test_an_ifb_has_no_link_status(session):
    run(session, "ip link add ifb0 type ifb")
    assert "2.ifb0 [none]\n" in run(session, "tcpdump -D")
    run(session, "ip link set ifb0 up")
    assert run(session, "tcpdump -D").startswith("1.ifb0 [Up, Running]\n")


@pytest.mark.parametrize("expr, program", [
    # recorded (captures38_proto_words, captures38_net_shortforms, -d on Ethernet)
    ("stp", [(0x28, 0, 0, 12), (0x25, 3, 0, 0x5DC), (0x30, 0, 0, 14), (0x15, 0, 1, 0x42),
             (0x06, 0, 0, 262144), (0x06, 0, 0, 0)]),
    ("llc", [(0x28, 0, 0, 12), (0x25, 2, 0, 0x5DC), (0x28, 0, 0, 14),
             (0x15, 0, 1, 0xFFFF), (0x06, 0, 0, 0), (0x06, 0, 0, 262144)]),
    ("ether proto \\arp", [(0x28, 0, 0, 12), (0x15, 0, 1, 0x806), (0x06, 0, 0, 262144),
                          (0x06, 0, 0, 0)]),
])
def test_link_words(expr, program):
    assert bpfgen.compile(expr, 262144, 1) == program


def test_short_nets():
    prog = bpfgen.compile("net 10", 262144, 1)
    assert (0x54, 0, 0, 0xFF000000) in prog and (0x15, 0, 0, 0x0A000000) in \
        [(c, 0, 0, k) for c, _, _, k in prog]
    prog = bpfgen.compile("src net 10.39", 262144, 1)
    assert (0x54, 0, 0, 0xFFFF0000) in prog
    # a bare number after `and` may inherit a port: not generated as a host
    assert bpfgen.compile("port 80 and (443)", 262144, 1) is None


# a Geneve datagram as captured (captures38_geneve_filter): Ethernet, IPv4, UDP to 6081,
# Geneve VNI 42 carrying an Ethernet frame with an echo request 192.168.1.1 > .2
GENEVE_TEB = bytes.fromhex(
    "020000381402020000381401" "0800"
    "4500004e000040004011" "0000" "0a260e01" "0a260e02"
    "d1ae17c1003a0000"
    "000065580000" "2a00"
    "0200000000bb0200000000aa0800"
    "4500001c000100004001f78cc0a80101c0a80102" "0800f7fd00010001")


def test_geneve_looks_into_its_payload():
    assert compile_filter("geneve", 1)(GENEVE_TEB)
    assert compile_filter("geneve 42", 1)(GENEVE_TEB)
    assert not compile_filter("geneve 7", 1)(GENEVE_TEB)
    # recorded: the inner frame's addresses and protocol after the keyword
    assert compile_filter("geneve and ether host 02:00:00:00:00:aa", 1)(GENEVE_TEB)
    assert compile_filter("geneve and host 192.168.1.2 and icmp", 1)(GENEVE_TEB)
    assert not compile_filter("geneve and not ip", 1)(GENEVE_TEB)
    assert compile_filter(
        "udp port 6081 and geneve 42 and icmp[icmptype] == icmp-echo", 1)(GENEVE_TEB)
    # without the keyword the outer packet is UDP, not ICMP
    assert not compile_filter("icmp", 1)(GENEVE_TEB)
    with pytest.raises(FilterError, match="Geneve VNI 16777216 greater than maximum "
                                          "16777215"):
        compile_filter("geneve 16777216", 1)


def test_ipip_and_sit_are_raw_ip(tmp_path, monkeypatch):
    # map_arphrd_to_dlt(): ARPHRD_TUNNEL and ARPHRD_SIT are DLT_RAW, as ARPHRD_NONE
    # (this machine's kernel has no ipip driver: the default profile simulates it)
    monkeypatch.chdir(tmp_path)
    session = Session.create("default", "bare", "oracle")
    for line in ("ip netns add a", "ip link add v0 type veth peer name v1 netns a",
                 "ip addr add 10.0.0.1/24 dev v0", "ip link set v0 up",
                 "ip -n a addr add 10.0.0.2/24 dev v1", "ip -n a link set v1 up",
                 "ip link add t1 type ipip local 10.0.0.1 remote 10.0.0.2",
                 "ip addr add 192.168.9.1/24 dev t1", "ip link set t1 up",
                 "ip -n a link add t1 type ipip local 10.0.0.2 remote 10.0.0.1",
                 "ip -n a addr add 192.168.9.2/24 dev t1", "ip -n a link set t1 up",
                 "timeout 2 tcpdump -i t1 -n -c 2 -w t.pcap 2>/dev/null &",
                 "ping -c 1 192.168.9.2 > /dev/null", "wait"):
        run(session, line)
    assert run(session, "tcpdump -L -i t1") == (
        "Data link types for t1 (use option -y to set):\n  RAW (Raw IP)\n")
    # -i any: the packet socket's network header behind the cooked header
    run(session, "timeout 2 tcpdump -i any -n -t -c 1 icmp > any.txt 2>/dev/null &")
    run(session, "ping -c 1 192.168.9.2 > /dev/null")
    run(session, "wait")
    assert run(session, "cat any.txt").startswith(
        "t1    Out IP 192.168.9.1 > 192.168.9.2: ICMP echo request, id ")
    lines = run(session, "tcpdump -r t.pcap -n -t").splitlines()
    assert lines[0] == "reading from file t.pcap, link-type RAW (Raw IP), snapshot length 262144"
    assert lines[1].startswith("IP 192.168.9.1 > 192.168.9.2: ICMP echo request, id ")
    assert lines[2].startswith("IP 192.168.9.2 > 192.168.9.1: ICMP echo reply, id ")


def test_a_raw_capture_is_saved_as_linktype_raw(session):
    # recorded: the header of `tcpdump -i tun0 -w tun.pcap` ends 65 00 00 00
    # (LINKTYPE_RAW, 101: dlt_to_linktype() of DLT_RAW)
    run(session, "ip tuntap add tun0 mode tun")
    run(session, "ip link set tun0 up")
    run(session, "timeout 1 tcpdump -i tun0 -w tun.pcap 2> /dev/null")
    assert session.open_file("tun.pcap")[20:24] == b"\x65\x00\x00\x00"
