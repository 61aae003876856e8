"""The fixes round 38's man-page EXAMPLES, Q&A answers and cheat sheets led to (their
cases, tutorials38b_, are replayed whole by test_rounds.py). Every expected text was
recorded on the project's Debian 12 machine (iproute2 6.1, Linux 6.18) in a fresh
namespace (`unshare -n bash script`, or the oracle's recorder)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _run(line: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    return shell.run_line(line)


def _lines(script: str) -> str:
    """The script's lines joined, each followed by `echo $?` (as recorded)."""
    return "; ".join(f"{line}; echo $?" for line in script.strip().splitlines())


VETH = "ip link add e type veth peer name f; ip link set e up; "


def test_ip_link_set_type_help_is_the_kinds_own_parse_opt():
    # iplink_modify(): with a link_util and words after the kind, the words go to its
    # parse_opt() (`help` prints the kind's usage, exit 1); a kind with no parse_opt
    # sends an empty IFLA_INFO_DATA (the veth refuses it: EOPNOTSUPP); only a kind
    # without a link_util makes `help` ip link's usage
    term, _ = _run(VETH + _lines("""
ip link set dev e type veth help 2>&1 | head -1
ip link set dev e type vlan help 2>&1 | head -1
ip link set dev e type bridge help 2>&1 | head -1
ip link set dev e type dummy help
ip link set dev e type gre help
ip link set dev e type foo help 2>&1 | head -1
"""))
    assert term.text() == (
        "Usage: ip link <options> type veth [peer <options>]\n0\n"
        "Usage: ... vlan id VLANID\n0\n"
        "Usage: ... bridge [ fdb_flush ]\n0\n"
        "RTNETLINK answers: Operation not supported\n2\n"
        "Failed to get existing tunnel info.\n1\n"
        "Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n0\n")


def test_ip_link_type_dsa_parses_conduit_and_master():
    # dsa_parse_opt() (ip/iplink_dsa.c): conduit/master DEVICE looked up at once
    term, _ = _run(VETH + _lines("""
ip link set dev e type dsa master nosuch
ip link set dev e type dsa conduit f
ip link set dev e type dsa foo
ip link set dev e type dsa conduit
ip link set dev e type dsa help
"""))
    assert term.text() == (
        'Error: argument "nosuch" is wrong: Device does not exist\n\n255\n'
        "RTNETLINK answers: Operation not supported\n2\n"
        'dsa: unknown command "foo"?\nUsage: ... dsa [ conduit DEVICE ]\n1\n'
        'Command line is not complete. Try option "help"\n255\n'
        "Usage: ... dsa [ conduit DEVICE ]\n1\n")


def test_ip_link_xdp_modes_as_bpf_do_parse_reads_them():
    # xdp_parse() then bpf_do_parse() (lib/bpf_legacy.c): eBPF modes only for XDP;
    # pinned/object-pinned/fd ask BPF_OBJ_GET (ENOENT, EACCES for a plain file);
    # `off` only as the last word; a missing word is an incomplete command
    term, _ = _run(VETH + _lines("""
ip link set dev e xdp obj prog.o
ip -force link set dev e xdp pinned /sys/fs/bpf/foo
ip link set dev e xdp pinned /etc/hostname
ip link set dev e xdp fd 3
ip link set dev e xdp bytecode '1,6 0 0 0'
ip link set dev e xdp obj
ip link set dev e xdp
ip link set dev e xdpgeneric off
ip link set dev e xdp off mtu 1400
"""))
    assert term.text() == (
        "Cannot initialize ELF context!\n255\n"
        "Couldn't retrieve pinned program '/sys/fs/bpf/foo': No such file or directory\n255\n"
        "Couldn't retrieve pinned program '/etc/hostname': Permission denied\n255\n"
        "Couldn't retrieve pinned program '3': No such file or directory\n255\n"
        'What mode is "bytecode"?\n255\n'
        'Command line is not complete. Try option "help"\n255\n'
        'Command line is not complete. Try option "help"\n255\n'
        "0\n"
        'What mode is "off"?\n255\n')


def test_seg6local_next_csid_lengths_parsed_checked_and_shown():
    # seg6local_parse_flavors(): lblen then nflen after a flavor set with next-csid;
    # the kernel's parse_nla_flavors(): End takes psp and next-csid, End.X next-csid
    # only, End.T no flavors; lengths default to 32/16, multiples of 8, sum <= 128
    term, _ = _run(VETH + _lines("""
ip -6 route add 2001:db8:9::/64 encap seg6local action End flavors next-csid lblen 48 nflen 16 dev e
ip -6 route add 2001:db8:8::/64 encap seg6local action End flavors next-csid dev e
ip -6 route add 2001:db8:7::/64 encap seg6local action End flavors next-csid lblen 300 dev e
ip -6 route add 2001:db8:5::/64 encap seg6local action End flavors next-csid nflen 16 lblen 8 dev e
ip -6 route add 2001:db8:2::/64 encap seg6local action End flavors psp,usd dev e
ip -6 route add 2001:db8:1::/64 encap seg6local action End flavors next-csid lblen 120 dev e
ip -6 route add 2001:db8:b::/64 encap seg6local action End.X nh6 2001:db8::1 flavors psp dev e
ip -6 route add 2001:db8:c::/64 encap seg6local action End.T table 100 flavors psp dev e
ip -6 route show
ip -6 -j route show 2001:db8:9::/64
"""))
    assert term.text() == (
        "0\n0\n"
        'Error: argument "300" is wrong: "locator-block length" value is invalid\n\n255\n'
        'Error: either "to" is duplicate, or "lblen" is a garbage.\n255\n'
        "Error: Unsupported Flavor operation(s).\n2\n"
        "Error: Invalid Locator Block/Node Function lengths.\n2\n"
        "Error: Unsupported Flavor operation(s).\n2\n"
        "0\n"
        "2001:db8:8::/64  encap seg6local action End flavors next-csid lblen 32 nflen 16 "
        "dev e metric 1024 linkdown pref medium\n"
        "2001:db8:9::/64  encap seg6local action End flavors next-csid lblen 48 nflen 16 "
        "dev e metric 1024 linkdown pref medium\n"
        "2001:db8:c::/64  encap seg6local action End.T table 100 dev e metric 1024 "
        "linkdown pref medium\n0\n"
        '[{"dst":"2001:db8:9::/64","encap":"seg6local","action":"End","flavors":'
        '["next-csid"],"lblen":48,"nflen":16,"dev":"e","metric":1024,"flags":['
        '"linkdown"],'
        '"pref":"medium"}]\n0\n')


def test_ioam6_encap_parsed_then_refused_by_the_kernel():
    # parse_encap_ioam6() (iproute2 6.1): its checks in order, then the recording
    # kernel has no ioam6 lwtunnel ops: "lwt encapsulation type not supported"; its
    # loop leaves the last word read at the end of the line for iproute_modify()
    r = "ip -6 route add 2001:db8:1::/64 encap ioam6 "
    term, _ = _run(VETH + _lines(f"""
{r}freq 2/5 mode encap tundst 2001:db8:42::1 trace prealloc type 0x800000 ns 1 size 12 dev e
{r}trace prealloc type 0x800000 ns 1 size 12
{r}trace prealloc type 0x800000 ns 1 dev e
{r}trace prealloc type 1 ns 1 size 13 dev e
{r}freq 5/2 trace prealloc type 1 ns 1 size 4 dev e
{r}mode encap trace prealloc type 1 ns 1 size 4 dev e
{r}tundst 2001:db8::1 trace prealloc type 1 ns 1 size 4 dev e
{r}trace foo type 1 ns 1 size 4 dev e
"""))
    assert term.text() == (
        "Error: lwt encapsulation type not supported.\n2\n"
        'Error: either "to" is duplicate, or "12" is a garbage.\n255\n'
        'Error: argument "size" is required\n255\n'
        'Error: argument "13" is wrong: Trace size must be a 4-octet multiple\n255\n'
        'Error: argument "5/2" is wrong: Frequency with k > n is forbidden\n255\n'
        'Error: argument "tundst" is required\n255\n'
        'Error: argument "tundst" is wrong: Inline mode does not need tundst\n255\n'
        'Error: argument "prealloc" is required\n255\n')


def test_tcpdump_filter_host_names_come_from_etc_hosts():
    # pcap_nametoaddrinfo(): getaddrinfo() answers from /etc/hosts (the recording
    # host's has IPv4 lines only, so `ip6 host localhost` has no address of its family)
    term, _ = _run(
        "ip link add veth0 type veth peer name p; ip link set veth0 up; "
        "timeout 1 tcpdump -i veth0 host localhost -w /dev/null; echo $?; "
        "timeout 1 tcpdump -i veth0 ip6 host localhost; echo $?; "
        "timeout 1 tcpdump -i veth0 net localhost; echo $?")
    assert term.text() == (
        "tcpdump: listening on veth0, link-type EN10MB (Ethernet), snapshot length "
        "262144 bytes\n0 packets captured\n0 packets received by filter\n"
        "0 packets dropped by kernel\n124\n"
        "tcpdump: unknown host 'localhost' for specified address family\n1\n"
        "tcpdump: unknown network 'localhost'\n1\n")


def test_tcpdump_d_promotes_a_short_ipv4_address():
    # gen_ncode(): "Promote short ipaddr" (__pcap_atoin()'s length: 8 bits a part),
    # the mask with it; gen_mcode() promotes the address before /len or mask
    term, _ = _run("ip link add veth0 type veth peer name p; ip link set veth0 up; "
                   "tcpdump -i veth0 -d 'src net 172.16'; "
                   "tcpdump -i veth0 -d 'net 10.38 mask 255.255'")
    assert term.text() == (
        "(000) ldh      [12]\n"
        "(001) jeq      #0x800           jt 2\tjf 5\n"
        "(002) ld       [26]\n"
        "(003) and      #0xffff0000\n"
        "(004) jeq      #0xac100000      jt 10\tjf 11\n"
        "(005) jeq      #0x806           jt 7\tjf 6\n"
        "(006) jeq      #0x8035          jt 7\tjf 11\n"
        "(007) ld       [28]\n"
        "(008) and      #0xffff0000\n"
        "(009) jeq      #0xac100000      jt 10\tjf 11\n"
        "(010) ret      #262144\n"
        "(011) ret      #0\n"
        "(000) ldh      [12]\n"
        "(001) jeq      #0x800           jt 2\tjf 8\n"
        "(002) ld       [26]\n"
        "(003) and      #0xffff0000\n"
        "(004) jeq      #0xa260000       jt 16\tjf 5\n"
        "(005) ld       [30]\n"
        "(006) and      #0xffff0000\n"
        "(007) jeq      #0xa260000       jt 16\tjf 17\n"
        "(008) jeq      #0x806           jt 10\tjf 9\n"
        "(009) jeq      #0x8035          jt 10\tjf 17\n"
        "(010) ld       [28]\n"
        "(011) and      #0xffff0000\n"
        "(012) jeq      #0xa260000       jt 16\tjf 13\n"
        "(013) ld       [38]\n"
        "(014) and      #0xffff0000\n"
        "(015) jeq      #0xa260000       jt 16\tjf 17\n"
        "(016) ret      #262144\n"
        "(017) ret      #0\n")


VXLAN = "ip link add vxlan0 type vxlan dstport 4789 external vnifilter; "


def test_bridge_vni_add_delete_show_with_ranges_and_remotes():
    # bridge/vni.c: atoi()'d entries; vxlan_vnifilter.c: each VNI of a range in turn,
    # the first failure ends it (what went before stays), the dump joins consecutive
    # VNIs of one remote into a range; -s lists each with its counters
    term, _ = _run(VXLAN + _lines("""
bridge vni add dev vxlan0 vni 100
bridge vni add dev vxlan0 vni 101
bridge vni add dev vxlan0 vni 200-202,300
bridge vni add dev vxlan0 vni 400,0,401
bridge vni add dev vxlan0 vni 500 remote 10.38.3.9
bridge vni add dev vxlan0 vni 501 remote 10.38.3.9
bridge vni add dev vxlan0 vni 600 group 239.1.1.1
bridge vni delete dev vxlan0 vni 201-203
bridge vni del dev vxlan0 vni 100
bridge vni show
bridge -j vni show
bridge -s vni show | head -4
"""))
    assert term.text() == (
        "0\n0\n0\n"
        "Error: vni start nor end found in vni entry.\n255\n"
        "0\n0\n"
        "Error: Local interface required for multicast remote group.\n255\n"
        "RTNETLINK answers: No such file or directory\n255\n"
        'Command "del" is unknown, try "bridge vni help".\n255\n'
        "dev               vni              group/remote   \n"
        "vxlan0             100-101            \n"
        "                   200           \n"
        "                   300           \n"
        "                   400           \n"
        "                   500-501             10.38.3.9\n"
        "\n0\n"
        '[{"ifname":"vxlan0","vnis":[{"vni":100,"vniEnd":101},{"vni":200},{"vni":300},'
        '{"vni":400},{"vni":500,"vniEnd":501,"remote":"10.38.3.9"}]}]\n0\n'
        "dev               vni              group/remote   \n"
        "vxlan0             100           \n"
        "                   RX: bytes 0 pkts 0 drops 0 errors 0 \n"
        "                   TX: bytes 0 pkts 0 drops 0 errors 0 \n0\n")


def test_bridge_vni_errors_and_the_vnifilter_flag():
    # RTM_NEWTUNNEL on a vxlan without vnifilter: EOPNOTSUPP; on another device the
    # extack; the dump of one such device EINVAL ("Dump ternminated", bridge's own
    # spelling, exit 1); ip -d link's print_bool() without a blank; a vnifilter device
    # is not checked against the others' VNI (vxlan_config_validate())
    term, _ = _run(VXLAN + "ip link add vx1 type vxlan dstport 4789 external; "
                   "ip link add e type veth peer name f; " + _lines("""
bridge vni add dev vx1 vni 5
bridge vni add dev e vni 5
bridge vni add dev vxlan9 vni 5
bridge vni add dev vxlan0
bridge vni show dev vx1
bridge vni show dev e
ip -d link show vxlan0 | grep -o 'vxlan external vnifilterid 0'
ip link set vxlan0 type vxlan novnifilter
"""))
    assert term.text() == (
        "RTNETLINK answers: Operation not supported\n255\n"
        "Error: vxlan: The device is not a vxlan device.\n255\n"
        'Cannot find vxlan device "vxlan9"\n255\n'
        "Device and VNI ID are required arguments.\n255\n"
        "dev               vni              group/remote   \n"
        "RTNETLINK answers: Invalid argument\nDump ternminated\n1\n"
        "dev               vni              group/remote   \n"
        "Error: The device is not a vxlan device.\nDump ternminated\n1\n"
        "vxlan external vnifilterid 0\n0\n"
        "Error: vxlan: cannot change flag.\n2\n")


def test_a_vni_remote_is_a_default_fdb_entry_of_that_vni():
    # vxlan_update_default_fdb_entry(): the all-zeros entry of the VNI (src_vni);
    # a new remote is appended and the old one stays; the VNI's delete takes the
    # current one; `bridge fdb get ... vni N` asks for that VNI's entry, and `bridge
    # fdb append ... src_vni N` makes one
    term, _ = _run(VXLAN + _lines("""
bridge vni add dev vxlan0 vni 400 remote 10.1.1.1
bridge fdb get 00:00:00:00:00:00 dev vxlan0 self vni 400
bridge fdb get 00:00:00:00:00:00 dev vxlan0 self
bridge vni add dev vxlan0 vni 400 remote 10.1.1.2
bridge fdb show dev vxlan0
bridge vni delete dev vxlan0 vni 400
bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 10.9.9.9 src_vni 7 self
bridge fdb show dev vxlan0
"""))
    assert term.text() == (
        "0\n"
        "00:00:00:00:00:00 dev vxlan0 dst 10.1.1.1 vni 400 src_vni 400 self permanent\n0\n"
        "Error: Fdb entry not found.\n254\n0\n"
        "00:00:00:00:00:00 dst 10.1.1.1 vni 400 src_vni 400 self permanent\n"
        "00:00:00:00:00:00 dst 10.1.1.2 vni 400 src_vni 400 self permanent\n0\n0\n0\n"
        "00:00:00:00:00:00 dst 10.9.9.9 src_vni 7 self permanent\n"
        "00:00:00:00:00:00 dst 10.1.1.1 vni 400 src_vni 400 self permanent\n0\n")


def test_lwt_encaps_rpl_ila_xfrm_bpf_parsed_then_refused():
    # parse_encap_rpl(), parse_encap_ila(), parse_encap_xfrm() (its loop steps over
    # any word, `dev` included), parse_encap_bpf() (no program loads here: the
    # loader's error, then "Failed to parse eBPF program"); the recording kernel has
    # no rpl, ila or xfrm lwtunnel ops, and a bpf one without programs is EINVAL
    term, _ = _run("ip link add e type veth peer name f; ip link set e up; "
                   "ip addr add 10.1.1.2/24 dev e; " + _lines("""
ip -6 route add 2001:db8:1::/64 encap rpl segs 2001:db8:42::1,2001:db8:ffff::2 dev e
ip -6 route add 2001:db8:1::/64 encap rpl segs 10.0.0.1 dev e
ip -6 route add 2001:db8:1::/64 encap rpl foo dev e
ip -6 route add 2001:db8:1::/64 encap ila 2001:db8:1:2 csum-mode adj-transport dev e
ip -6 route add 2001:db8:1::/64 encap ila 2001:db8:1:2:5 dev e
ip -6 route add 2001:db8:1::/64 encap ila 1:2 ident-type iid dev e
ip route add 10.2.0.0/24 encap xfrm if_id 5 dev e
ip route add 10.2.0.0/24 encap xfrm dev e
ip route add 10.2.0.0/24 encap xfrm link_dev nosuch if_id 5 dev e
ip route add 10.2.0.0/24 encap bpf in pinned /sys/fs/bpf/x dev e
ip route add 10.2.0.0/24 encap bpf out bytecode 1 dev e
ip route add 10.2.0.0/24 encap bpf headroom 14 dev e
"""))
    assert term.text() == (
        'Error: lwt encapsulation type not supported.\n'
        '2\n'
        'Error: inet6 address is expected rather than "10.0.0.1".\n'
        '1\n'
        'Error: either "to" is duplicate, or "foo" is a garbage.\n'
        '255\n'
        'Error: lwt encapsulation type not supported.\n'
        '2\n'
        'Bad locator: 2001:db8:1:2:5\n'
        '1\n'
        'Error: argument "iid" is wrong: "ident-type" value is invalid\n'
        '\n'
        '255\n'
        'Error: lwt encapsulation type not supported.\n'
        '2\n'
        'Usage: ip route ... encap xfrm if_id IF_ID [ link_dev LINK ]\n'
        '255\n'
        'Cannot find device "nosuch"\n'
        '255\n'
        "Couldn't retrieve pinned program '/sys/fs/bpf/x': No such file or directory\n"
        'Failed to parse eBPF program: Operation not permitted\n'
        '255\n'
        'What mode is "bytecode"?\n'
        'Failed to parse eBPF program: Operation not permitted\n'
        '255\n'
        'RTNETLINK answers: Invalid argument\n'
        '2\n')


def test_nexthop_encap_type_checked_before_the_device_state():
    # recorded: an unsupported lwt type on a down device is "not supported"; a
    # supported one (bpf) meets the device's checks first; no device at all is
    # reported before the type
    term, _ = _run("ip link add eth0 type veth peer name eth0p; "
                   "ip addr add 10.1.1.2/24 dev eth0; " + _lines("""
ip nexthop add id 2 encap rpl segs 2001:db8::1 via 10.1.1.1 dev eth0
ip nexthop add id 2 encap rpl segs 2001:db8::1 via 10.1.1.1
ip nexthop add id 2 encap bpf headroom 4 via 10.1.1.1 dev eth0
ip link set eth0 up
ip nexthop add id 2 encap rpl segs 2001:db8::1 via 10.1.1.1 dev eth0
"""))
    assert term.text() == (
        "Error: lwt encapsulation type not supported.\n2\n"
        "Error: Device attribute required for non-blackhole and non-fdb nexthops.\n2\n"
        "Error: Nexthop device is not up.\n2\n0\n"
        "Error: lwt encapsulation type not supported.\n2\n")


def test_ip_ioam_namespaces_and_schemas():
    # ip/ipioam6.c and net/ipv6/ioam6.c: the man page's examples, the schema's data
    # padded to 4 bytes, the link both ways, JSON's bare hex data and empty-keyed
    # bytes, and the kernel's answers (exit 1)
    term, _ = _run(_lines("""
ip ioam namespace add 1 data 0xdeadbeef wide 0xcafec0caf00dc0de
ip ioam namespace add 1
ip ioam namespace set 1 schema 7
ip ioam schema add 7 "hello"
ip ioam namespace set 1 schema 7
ip ioam namespace show
ip -j ioam namespace show
ip ioam schema show
ip -j ioam schema show
ip ioam namespace add 4 wide 1 data 2
ip ioam schema del 7
ip ioam namespace show
"""))
    assert term.text() == (
        "0\nRTNETLINK answers: File exists\n1\n"
        "RTNETLINK answers: No such file or directory\n1\n0\n0\n"
        "namespace 1 [schema 7], data 0xdeadbeef, wide 0xcafec0caf00dc0de\n0\n"
        '[{"namespace":1,"schema":7,"data":"deadbeef","wide":"0xcafec0caf00dc0de"}]\n0\n'
        "schema 7 [namespace 1], data: 68 65 6c 6c 6f 00 00 00\n0\n"
        '[{"schema":7,"namespace":1,"data":null,"":104,"":101,"":108,"":108,"":111,'
        '"":0,"":0,"":0}]\n0\n'
        'Error: argument "data" is wrong: Unexpected argument\n255\n0\n'
        "namespace 1, data 0xdeadbeef, wide 0xcafec0caf00dc0de\n0\n")


def test_ss_filter_dev_autobound_ports_and_letterless_long_options():
    # ssfilter: dev (parse_devcond(): a name not there is "Cannot parse device.",
    # exit 1), autobound (a local port in ip_local_port_range), a port that is no
    # number and no service; --tos has no short letter (it selected the DCCP table
    # before: a crash)
    term, _ = _run(
        "ip link set lo up; "
        "timeout 3 python3 -m http.server 8080 --bind 127.0.0.1 > /dev/null 2>&1 & "
        "sleep 1; " + _lines("""
ss -ltn 'dev = eth9'
ss -ltn 'dev = lo'
ss -ltn 'dev != lo'
ss -ltn 'sport = :nosuch'
ss -ltn 'sport = :http-alt'
ss -ltn autobound
ss -ltn not autobound
ss -ltn --tos | head -1
"""))
    row = "LISTEN 0      5          127.0.0.1:8080      0.0.0.0:*          \n"
    empty = "State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
    full = "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
    assert term.text() == (
        "Cannot parse device.\n1\n" + empty + "0\n" + full + row + "0\n"
        'Error: "nosuch" does not look like a port.\nCannot parse dst/src address.\n1\n'
        + full + row + "0\n" + empty + "0\n" + full + row + "0\n" + full + "0\n")
