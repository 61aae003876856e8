"""tcpdump -d/-dd/-ddd: the programs ipemu prints are libpcap 1.10.3's (read off the
real tcpdump 4.99.3 on an Ethernet device); filters whose code is not generated
give None (the tool then says it is not simulated)."""
from ipemu.tcpdump import bpfcode

ICMP = """\
(000) ldh      [12]
(001) jeq      #0x800           jt 2\tjf 5
(002) ldb      [23]
(003) jeq      #0x1             jt 4\tjf 5
(004) ret      #262144
(005) ret      #0
"""
LESS = """\
(000) ld       #pktlen
(001) jgt      #0x64            jt 2\tjf 3
(002) ret      #0
(003) ret      #262144
"""
SRC_HOST_DD = """\
{ 0x28, 0, 0, 0x0000000c },
{ 0x15, 0, 2, 0x00000800 },
{ 0x20, 0, 0, 0x0000001a },
{ 0x15, 4, 5, 0xac100005 },
{ 0x15, 1, 0, 0x00000806 },
{ 0x15, 0, 3, 0x00008035 },
{ 0x20, 0, 0, 0x0000001c },
{ 0x15, 0, 1, 0xac100005 },
{ 0x6, 0, 0, 0x00040000 },
{ 0x6, 0, 0, 0x00000000 },
"""


def test_protocol_and_negated_length():
    assert bpfcode.dump(bpfcode.program("icmp", 262144), 1) == ICMP
    assert bpfcode.dump(bpfcode.program("less 100", 262144), 1) == LESS


def test_host_as_c_initializers_and_numbers():
    insns = bpfcode.program("src host 172.16.0.5", 262144)
    assert bpfcode.dump(insns, 2) == SRC_HOST_DD
    assert bpfcode.dump(bpfcode.program("", 96), 3) == "1\n6 0 0 96\n"


def test_unknown_shapes_are_not_guessed():
    assert bpfcode.program("mpls", 262144) is None
    assert bpfcode.program("mpls and icmp", 262144) is None
    assert bpfcode.program("gateway snup", 262144) is None
