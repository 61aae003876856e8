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
    assert bpfcode.program("geneve and ether broadcast", 262144) is None
    assert bpfcode.program("gateway snup", 262144) is None


# tcpdump -ddd EXPR on the real machine (tcpdump 4.99.3, libpcap 1.10.3, dead pcap_t):
# gen_mpls() nested, gen_llc_s_subtype(), gen_protochain() (unoptimized, a backward ja),
# gen_dnhostop(), gen_ether_linktype()'s AppleTalk SNAP shape
PORTED_DDD = {
    "mpls 100 and mpls 200": "12|40 0 0 12|21 0 9 34887|32 0 0 14|84 0 0 4294963200|"
    "21 0 6 409600|48 0 0 16|69 4 0 1|32 0 0 18|84 0 0 4294963200|21 0 1 819200|"
    "6 0 0 262144|6 0 0 0|",
    "llc rnr": "9|40 0 0 12|37 6 0 1500|40 0 0 14|21 4 0 65535|48 0 0 16|84 0 0 15|"
    "21 0 1 5|6 0 0 262144|6 0 0 0|",
    "ip protochain 17": "24|40 0 0 12|21 0 21 2048|48 0 0 23|177 0 0 14|21 15 0 17|"
    "21 14 0 59|4 0 0 0|21 0 12 51|135 0 0 0|80 0 0 14|2 0 0 0|135 0 0 0|4 0 0 1|7 0 0 0|"
    "80 0 0 14|4 0 0 2|36 0 0 4|7 0 0 0|96 0 0 0|5 0 0 4294967280|4 0 0 0|21 0 1 17|"
    "6 0 0 262144|6 0 0 0|",
    "decnet src 10.23": "24|40 0 0 12|21 0 21 24579|48 0 0 16|84 0 0 7|21 0 2 2|"
    "40 0 0 19|21 15 0 5928|40 0 0 16|84 0 0 65287|21 0 2 33026|40 0 0 20|21 10 0 5928|"
    "48 0 0 16|84 0 0 7|21 0 2 6|40 0 0 31|21 5 0 5928|40 0 0 16|84 0 0 65287|"
    "21 0 3 33030|40 0 0 32|21 0 1 5928|6 0 0 262144|6 0 0 0|",
    "atalk": "9|40 0 0 12|21 5 0 32923|37 5 0 1500|32 0 0 18|21 0 3 491675|32 0 0 14|"
    "21 0 1 2863268616|6 0 0 262144|6 0 0 0|",
    # gen_geneve(): IPv4 and IPv6 UDP to 6081, the VNI, gen_geneve_offsets()'s
    # in-block jump on ETHERTYPE_TEB and its registers, then tcp read through them
    "geneve 10 and tcp":
    "76|40 0 0 12|21 0 18 2048|48 0 0 23|21 0 16 17|40 0 0 20|69 14 0 8191|177 0 0 "
    "14|72 0 0 16|21 0 11 6081|177 0 0 14|80 0 0 22|84 0 0 192|21 0 7 0|177 0 0 14|64"
    " 0 0 26|84 0 0 4294967040|21 0 3 2560|177 0 0 14|135 0 0 0|29 15 0 0|40 0 0 "
    "12|21 0 53 34525|48 0 0 20|21 0 51 17|40 0 0 56|21 0 49 6081|48 0 0 62|84 0 0 "
    "192|21 0 46 0|32 0 0 66|84 0 0 4294967040|21 0 43 2560|0 0 0 40|7 0 0 0|29 0 40 "
    "0|4 0 0 22|7 0 0 0|4 0 0 2|2 0 0 0|80 0 0 0|84 0 0 63|36 0 0 4|4 0 0 8|12 0 0 "
    "0|2 0 0 1|72 0 0 2|97 0 0 1|21 0 5 25944|135 0 0 0|4 0 0 12|2 0 0 0|4 0 0 2|7 0 "
    "0 0|3 0 0 2|0 0 0 0|21 0 19 0|97 0 0 0|72 0 0 0|21 0 3 2048|97 0 0 2|80 0 0 9|21"
    " 12 0 6|97 0 0 0|72 0 0 0|21 0 10 34525|97 0 0 2|80 0 0 6|21 6 0 6|97 0 0 2|80 0"
    " 0 6|21 0 4 44|97 0 0 2|80 0 0 40|21 0 1 6|6 0 0 262144|6 0 0 0|",
}


def test_ported_generators_match_the_real_program():
    for expression, want in PORTED_DDD.items():
        insns = bpfcode.program(expression, 262144, live=False, savefile=False)
        assert bpfcode.dump(insns, 3).replace("\n", "|") == want, expression


def test_protochain_backward_jump_is_printed_signed():
    insns = bpfcode.program("ip protochain 17", 262144, live=False, savefile=False)
    assert "(019) ja       4\n" in bpfcode.dump(insns, 1)
