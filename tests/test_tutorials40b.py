"""The fixes round 40's tunnel tutorials led to (their cases, tutorials40b_, are
replayed whole by test_rounds.py). Every expected text was recorded on the project's
Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a pty: Linux
6.18 with vxlan and none of gre, ipip, sit, ip6_tunnel, geneve or fou; iproute2 6.1,
iputils 20221126, tcpdump 4.99.3), twice, the two recordings alike under diff.py's
masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

VTEP = "ip link add vxlan10 type vxlan id 10 local 192.168.1.10 remote 192.168.1.20 " \
    "dstport 4789 srcport 4789 4790"
PEER = "ip -n peer link add vxlan10 type vxlan id 10 local 192.168.1.20 remote " \
    "192.168.1.10 dstport 4789 srcport 4789 4790"


def _shell(vtep: str = VTEP, bridged: bool = False):
    """Two VTEPs without `dev` (MTU 1500 over a 1500 underlay): this namespace's
    (10.0.10.1, on br0 when `bridged`) and namespace peer's (10.0.10.2); IPv6 off."""
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    lines = ["sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
             "ip netns add peer",
             "ip netns exec peer sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
             "net.ipv6.conf.default.disable_ipv6=1",
             "ip link add eth0 address 02:00:00:01:00:10 type veth peer name eth0 "
             "address 02:00:00:01:00:20 netns peer",
             "ip addr add 192.168.1.10/24 dev eth0", "ip link set eth0 up",
             "ip -n peer addr add 192.168.1.20/24 dev eth0", "ip -n peer link set eth0 up",
             vtep, PEER, "ip link set vxlan10 up", "ip -n peer link set vxlan10 up",
             "ip -n peer addr add 10.0.10.2/24 dev vxlan10", "ip link set lo up"]
    if bridged:
        lines += ["ip link add br0 type bridge mcast_snooping 0", "ip link set br0 up",
                  "ip link set vxlan10 master br0", "ip addr add 10.0.10.1/24 dev br0"]
    else:
        lines.append("ip addr add 10.0.10.1/24 dev vxlan10")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


def _lines(shell, line: str) -> list[str]:
    return _run(shell, line)[0].splitlines()


def _cache(shell, dst: str) -> str:
    """The exception `ip route get` shows (`    cache expires 599sec mtu 1450 `),
    without the seconds left."""
    line = _lines(shell, f"ip route get {dst}")[1]
    assert line.startswith("    cache expires ") and line.endswith(" "), line
    return line.split("sec ", 1)[1].strip()


# --- skb_tunnel_check_pmtu() (oneuptime's "Fix Fragmentation Issues with VXLAN")

def test_a_routed_vtep_teaches_the_inner_route_and_still_sends():
    shell = _shell()
    out = _lines(shell, "ping -s 1452 -M do -c 1 10.0.10.2")
    # the outer datagram (1530 bytes, no DF) is cut by the underlay and put back
    # together by the peer's stack before its vxlan socket reads it
    assert out[1].startswith("1460 bytes from 10.0.10.2: icmp_seq=1 ttl=64 time=")
    assert _cache(shell, "10.0.10.2") == "mtu 1450"
    out = _lines(shell, "ping -s 1452 -M do -c 1 10.0.10.2")
    assert out[1] == "ping: local error: message too long, mtu=1450"
    out = _lines(shell, "ping -s 1452 -c 1 10.0.10.2")      # fragmented before the VTEP
    assert out[1].startswith("1460 bytes from 10.0.10.2")
    assert _lines(shell, "nstat -az IpReasmOKs IpFragCreates")[1:] == [
        "IpReasmOKs                      2                  0.0",
        "IpFragCreates                   4                  0.0"]


def test_df_set_drops_what_the_underlay_cannot_carry():
    shell = _shell(VTEP + " df set")
    out = _lines(shell, "ping -c 1 -s 1452 10.0.10.2")
    assert "1 packets transmitted, 0 received, 100% packet loss, time 0ms" in out
    stats = _lines(shell, "ip -s link show vxlan10")
    assert stats[5].split() == ["28", "1", "0", "1", "0", "0"]      # the ARP; dropped 1
    # the need-to-frag ip_fragment() sent ourselves made an exception of the same MTU
    assert _cache(shell, "192.168.1.20") == "mtu 1500"
    assert _lines(shell, "nstat -az IcmpInDestUnreachs IpFragFails")[1:] == [
        "IpFragFails                     1                  0.0",
        "IcmpInDestUnreachs              1                  0.0"]


def test_a_bridged_vtep_answers_the_sender_itself():
    shell = _shell(bridged=True)
    out = _lines(shell, "ping -c 1 -s 1452 10.0.10.2")
    assert out[1] == "From 10.0.10.2 icmp_seq=1 Frag needed and DF set (mtu = 1450)"
    assert _cache(shell, "10.0.10.2") == "mtu 1450"


def test_an_ipv6_underlay_never_cuts_a_tunnel_packet():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("ip netns add h2",
                 "ip link add eth0 type veth peer name eth0 netns h2",
                 "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                 "ip netns exec h2 sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                 "ip addr add 2001:db8:50::1/64 dev eth0 nodad", "ip link set eth0 up",
                 "ip -n h2 addr add 2001:db8:50::2/64 dev eth0 nodad",
                 "ip -n h2 link set eth0 up",
                 "ip link add vxlan10 type vxlan id 10 local 2001:db8:50::1 "
                 "remote 2001:db8:50::2 dstport 4789",
                 "ip -n h2 link add vxlan10 type vxlan id 10 local 2001:db8:50::2 "
                 "remote 2001:db8:50::1 dstport 4789",
                 "ip addr add 10.10.0.1/24 dev vxlan10", "ip link set vxlan10 up",
                 "ip -n h2 addr add 10.10.0.2/24 dev vxlan10", "ip -n h2 link set vxlan10 up",
                 "sleep 3", "ping -c 1 10.10.0.2"):
        assert shell.run_line(line)[1] in (0, 1), line
    before = _lines(shell, "ip -s link show vxlan10")[5].split()
    assert _run(shell, "ping -c 1 -M do -s 1423 10.10.0.2")[1] == 1
    out = _lines(shell, "ping -c 1 -M do -s 1422 10.10.0.2")
    assert out[1] == "ping: local error: message too long, mtu=1430"
    after = _lines(shell, "ip -s link show vxlan10")[5].split()
    assert int(after[2]) == int(before[2]) + 1          # an error, and nothing cut
    assert _lines(shell, "nstat -az Ip6FragCreates")[1].split()[:2] == ["Ip6FragCreates", "0"]


def test_the_outer_udp_checksum_is_left_to_the_veth():
    shell = _shell()
    assert _run(shell, "timeout 5 tcpdump -n -vv -i eth0 -c 2 udp and src host "
                       "192.168.1.10 > cap.txt &")[1] == 0
    _run(shell, "sleep 1")
    _run(shell, "ping -c 1 10.0.10.2")
    _run(shell, "wait")
    text = _run(shell, "cat cap.txt")[0]
    assert "192.168.1.10.4789 > 192.168.1.20.4789: [bad udp cksum 0x83ba -> 0x" in text


# --- vxlan_fdb_add(): the remote's family is the device's

def test_fdb_entries_of_the_other_family_are_refused():
    shell = _shell()
    assert _run(shell, "bridge fdb add 02:00:00:64:00:fd dev vxlan10 dst 2001:db8::2") == (
        "RTNETLINK answers: Address family not supported by protocol\n", 255)
    assert _run(shell, "ip link add vx6 type vxlan id 6 local 2001:db8:1::1 dstport 4789")[1] == 0
    assert _run(shell, "bridge fdb append 00:00:00:00:00:00 dev vx6 dst 198.51.100.1") == (
        "RTNETLINK answers: Address family not supported by protocol\n", 255)


def test_a_flood_to_an_unrouted_remote_counts_errors_even_with_a_local_address():
    shell = _shell()
    _run(shell, "bridge fdb append 00:00:00:00:00:00 dev vxlan10 dst 203.0.113.9")
    _run(shell, "ping -c 1 10.0.10.9")
    tx = _lines(shell, "ip -s link show vxlan10")[5].split()
    assert tx[2] == tx[4] != "0"              # errors and carrier, one each a flood


# --- ip6tunnel.c on a device that is not a tunnel (dev_siocdevprivate())

def test_ip6_tunnel_ioctls_on_other_devices_are_not_supported():
    shell = _shell()
    assert _run(shell, "ip -6 tunnel show eth0") == (
        'get tunnel "eth0" failed: Operation not supported\n', 1)
    assert _run(shell, "ip -6 tunnel del eth0") == (
        'delete tunnel "eth0" failed: Operation not supported\n', 1)
    assert _run(shell, "ip -6 tunnel change eth0 hoplimit 3") == (
        'get tunnel "eth0" failed: Operation not supported\n', 1)
    assert _run(shell, "ip -6 tunnel show nosuch") == (
        'get tunnel "nosuch" failed: No such device\n', 1)


# --- gre_parse_opt() of ip/link_gre6.c (ip-link(8)'s IP6GRE/IP6GRETAP and ERSPAN)

def test_ip6gre_words_are_read_before_the_kernel_refuses_the_kind():
    shell = _shell()
    add = "ip link add gre6 type ip6gre local 2001:db8::1 remote 2001:db8::2 "
    assert _run(shell, add + "hop 255 tc c0 k 10 csum seq") == (
        "Error: Unknown device type.\n", 2)
    assert _run(shell, add + "hoplimit 256") == (
        'Error: argument "256" is wrong: invalid HLIM\n\n', 255)
    assert _run(shell, add + "tclass 100") == (
        'Error: argument "100" is wrong: invalid TClass\n', 255)
    assert _run(shell, add + "dscp copy") == (
        'Error: argument "copy" is wrong: not inherit\n', 255)
    assert _run(shell, "ip link add gre6 type ip6gre local 10.0.0.1") == (
        'Error: inet6 address is expected rather than "10.0.0.1".\n', 1)
    assert _run(shell, add + "ttl 64 mode ip6gre")[0].startswith(
        "Usage: ... ip6gre   \t[ remote ADDR ]\n")
    assert _run(shell, "ip link add e6 type ip6erspan erspan_ver two") == (
        'Error: argument "two" is wrong: invalid erspan version\n\n', 255)
    assert _run(shell, "ip link set eth0 type ip6gretap hoplimit 3") == (
        "Failed to get existing tunnel info.\n", 1)


# --- the outer header's TOS and checksum (the mlxsw wiki's `tos inherit ttl 10 noudpcsum`)

def _capture(shell, line: str, ping: str) -> str:
    assert _run(shell, f"timeout 5 tcpdump -n -vv -i eth0 -c 1 {line} > cap.txt 2>&1 &")[1] == 0
    _run(shell, "sleep 1")
    _run(shell, ping)
    _run(shell, "wait")
    return _run(shell, "cat cap.txt")[0]


def test_tos_inherit_copies_the_inner_dsfield_and_ecn_and_noudpcsum_sends_none():
    shell = _shell(VTEP + " tos inherit ttl 10 noudpcsum")
    _run(shell, "ping -c 1 10.0.10.2")          # ARP resolved both ways first
    text = _capture(shell, "udp and src host 192.168.1.10", "ping -c 1 -Q 0xb8 10.0.10.2")
    assert "IP (tos 0xb8, ttl 10, id " in text
    assert "192.168.1.10.4789 > 192.168.1.20.4789: [no cksum] VXLAN" in text
    _run(shell, "ip link set vxlan10 type vxlan tos 0x20 ttl 64")
    text = _capture(shell, "udp and src host 192.168.1.10", "ping -c 1 -Q 0x03 10.0.10.2")
    assert "IP (tos 0x22,ECT(0), ttl 64, id " in text      # CE inside: ECT(0) outside


# --- rt6_fill_node(): an answer from an exception is RTM_F_CLONED

def test_ipv6_route_get_of_an_exception_prints_no_protocol():
    shell = _shell()
    for line in ("sysctl -qw net.ipv6.conf.vxlan10.disable_ipv6=0",
                 "ip netns exec peer sysctl -qw net.ipv6.conf.vxlan10.disable_ipv6=0",
                 "ip addr add fd00::1/64 dev vxlan10 nodad",
                 "ip -n peer addr add fd00::2/64 dev vxlan10 nodad", "sleep 1"):
        _run(shell, line)
    assert _lines(shell, "ip -6 route get fd00::2") == [
        "fd00::2 from :: dev vxlan10 proto kernel src fd00::1 metric 256 pref medium"]
    _run(shell, "ping -6 -c 1 -s 1452 fd00::2")
    assert _lines(shell, "ip -6 route get fd00::2") == [
        "fd00::2 from :: dev vxlan10 src fd00::1 metric 256 expires 599sec mtu 1450 "
        "pref medium"]


# --- __udp6_lib_mcast_deliver(): a VTEP's IPv6 group (Bernat's multicast VXLAN lab)

def test_an_ipv6_group_reaches_every_vtep_that_joined_it():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    lines = ["sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
             "ip link add sw type bridge mcast_snooping 0", "ip link set sw up"]
    for n in (1, 2):
        lines += [f"ip netns add n{n}", f"ip link add p{n} type veth peer name eth0 netns n{n}",
                  f"ip link set p{n} master sw", f"ip link set p{n} up",
                  f"ip netns exec n{n} sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                  f"ip -n n{n} addr add 2001:db8:1::{n}/64 dev eth0 nodad",
                  f"ip -n n{n} link set eth0 up"]
    lines.append("sleep 3")
    for n in (1, 2):
        lines += [f"ip netns exec n{n} ip link add vxlan10 type vxlan id 10 local "
                  f"2001:db8:1::{n} group ff05::100 dev eth0 dstport 4789",
                  f"ip -n n{n} addr add 10.0.0.{n}/24 dev vxlan10",
                  f"ip -n n{n} link set vxlan10 up"]
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    out = _lines(shell, "ip netns exec n1 ping -c 1 10.0.0.2")
    assert out[1].startswith("64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=")
    fdb = _lines(shell, "ip netns exec n1 bridge fdb show dev vxlan10")
    assert any(" dst 2001:db8:1::2 self " in row for row in fdb)


# --- `proxy` (arp_reduce()), `maxaddress` (vxlan_fdb_create()) and a neighbour made
# valid by hand letting its queue go (__neigh_update())

def test_a_proxy_vtep_answers_arp_from_its_neighbours_and_sends_no_arp():
    shell = _shell(VTEP + " proxy")
    out = _lines(shell, "ping -c 1 -W 1 10.0.10.2")
    assert "1 packets transmitted, 0 received, 100% packet loss, time 0ms" in out
    assert _lines(shell, "ip -s link show vxlan10")[5].split()[:2] == ["0", "0"]
    _run(shell, "ip neigh flush dev vxlan10")
    _run(shell, "ip -n peer link set vxlan10 address 02:00:00:0a:00:02")
    _run(shell, "ip neigh add 10.0.10.2 lladdr 02:00:00:0a:00:02 dev vxlan10 nud permanent")
    out = _lines(shell, "ping -c 1 10.0.10.2")
    # the peer's ARP request comes in; our reply would go out through the proxy: gone
    assert "1 packets transmitted, 0 received, 100% packet loss, time 0ms" in out


def test_maxaddress_counts_the_default_entry():
    shell = _shell(VTEP + " maxaddress 2")
    assert _run(shell, "bridge fdb add 02:00:00:00:00:01 dev vxlan10 dst 192.168.1.30") == (
        "", 0)
    assert _run(shell, "bridge fdb add 02:00:00:00:00:02 dev vxlan10 dst 192.168.1.30") == (
        "RTNETLINK answers: No space left on device\n", 255)
    assert _run(shell, "bridge fdb append 00:00:00:00:00:00 dev vxlan10 dst 192.168.1.31") == (
        "", 0)                  # a remote more for an entry is no entry more


def test_a_neighbour_replaced_permanent_sends_what_waited():
    shell = _shell()
    _run(shell, "ip -n peer link set vxlan10 address 02:00:00:0a:00:02")
    _run(shell, "ip link set vxlan10 address 02:00:00:0a:00:01")
    # an entry made INCOMPLETE by hand holds what is sent to it and asks nobody
    _run(shell, "ip -n peer neigh add 10.0.10.1 dev vxlan10 nud incomplete")
    _run(shell, "ip neigh add 10.0.10.2 lladdr 02:00:00:0a:00:02 dev vxlan10 nud permanent")
    assert "0 received" in _run(shell, "ping -c 1 -W 1 10.0.10.2")[0]
    _run(shell, "sleep 0.5")
    rx = int(_lines(shell, "ip -s link show vxlan10")[3].split()[1])
    _run(shell, "ip -n peer neigh replace 10.0.10.1 lladdr 02:00:00:0a:00:01 dev vxlan10 "
                "nud permanent")
    # the echo reply the peer held goes out once the entry is valid
    assert int(_lines(shell, "ip -s link show vxlan10")[3].split()[1]) == rx + 1


def test_a_proxy_vtep_answers_neighbour_solicitations_from_its_table():
    shell = _shell(VTEP + " proxy")
    for line in ("ip -n peer link set vxlan10 address 02:00:00:0a:00:02",
                 "sysctl -qw net.ipv6.conf.vxlan10.disable_ipv6=0",
                 "ip netns exec peer sysctl -qw net.ipv6.conf.vxlan10.disable_ipv6=0",
                 "ip addr add fd00::1/64 dev vxlan10 nodad",
                 "ip -n peer addr add fd00::2/64 dev vxlan10 nodad", "sleep 3"):
        _run(shell, line)
    assert "0 received" in _run(shell, "ping -6 -c 1 -W 1 fd00::2")[0]
    assert _lines(shell, "ip -6 neigh show dev vxlan10") == ["fd00::2 INCOMPLETE "]
    _run(shell, "ip -6 neigh replace fd00::2 lladdr 02:00:00:0a:00:02 dev vxlan10 nud permanent")
    # the peer's solicitation for us reaches us, our advertisement goes out: the echo
    # crosses now (our NS never left)
    assert "1 received" in _run(shell, "ping -6 -c 1 -W 1 fd00::2")[0]


# --- vxlan_fdb_miss() (Bernaille's Docker overlay by hand, l2miss with ip monitor neigh)

def test_l2miss_reports_a_unicast_mac_nothing_sends_anywhere():
    shell = _shell("ip link add vxlan10 type vxlan id 10 dstport 4789 l2miss l3miss nolearning")
    _run(shell, "ip neigh add 10.0.10.2 lladdr 02:42:c0:a8:00:03 dev vxlan10 nud permanent")
    assert _run(shell, "timeout 2 ip monitor neigh > mon.txt &")[1] == 0
    _run(shell, "sleep 0.5")
    assert "0 received" in _run(shell, "ping -c 1 -W 1 10.0.10.2")[0]
    _run(shell, "wait")
    assert _run(shell, "cat mon.txt")[0] == "miss dev vxlan10 lladdr 02:42:c0:a8:00:03 STALE \n"
    assert _lines(shell, "ip -s link show vxlan10")[5].split()[:4] == ["0", "0", "0", "1"]
