"""The fixes round 39's IPv6 tutorials led to (their cases, tutorials39_, are replayed
whole by test_rounds.py). Every expected text was recorded on the project's Debian 12
machine with the oracle's recorder (record.py, `bash -c LINE` on a pty: Linux 6.18,
iproute2 6.1, iputils 20221126, traceroute 2.1.2), twice, the two recordings alike
under diff.py's masks; round trips are cut off where the masks would hide them."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        assert _run(shell, line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


def _rtt(text: str) -> str:
    return re.sub(r"\d+\.\d{3} ?ms", "<RTT>ms", text)


def _pair(name: str, mac_here: str, mac_there: str) -> tuple[str, ...]:
    """This namespace's eth0 and namespace NAME's eth0 with fixed MACs, up, lo up."""
    return (f"ip netns add {name}",
            f"ip link add eth0 address {mac_here} type veth peer name eth0 netns {name} "
            f"address {mac_there}",
            "ip link set lo up", "ip link set eth0 up", f"ip -n {name} link set lo up",
            f"ip -n {name} link set eth0 up")


# --- link-local zones (djoproject's "IPv6 and system administration":
#     tutorials39_djoproject_tools_lla, tutorials39_linklocal_zone_errors)

def test_traceroute_and_tracepath_take_a_link_local_zone():
    # glibc getaddrinfo(): __inet6_scopeid_pton() gives sin6_scope_id, getnameinfo()
    # prints it back; traceroute's connect() needs it (ip6_datagram_connect()),
    # tracepath's sendto() routes a zoneless one by the first fe80::/64 route
    shell = _shell(*_pair("srv", "02:00:00:00:00:0a", "02:00:00:00:00:0b"), "sleep 3",
                   "ping -c 1 fe80::ff:fe00:b%eth0")
    text, status = _run(shell, "traceroute -n fe80::ff:fe00:b%eth0")
    assert (_rtt(text), status) == (
        "traceroute to fe80::ff:fe00:b%eth0 (fe80::ff:fe00:b%eth0), 30 hops max, "
        "80 byte packets\n"
        " 1  fe80::ff:fe00:b%eth0  <RTT>ms  <RTT>ms  <RTT>ms\n", 0)
    for line in ("tracepath -n fe80::ff:fe00:b%eth0", "tracepath -n fe80::ff:fe00:b"):
        text, status = _run(shell, line)
        assert status == 0, line
        assert " 1:  fe80::ff:fe00:b%eth0" + " " * 34 + "<RTT>ms reached\n" in _rtt(text)
        assert text.endswith("     Resume: pmtu 1500 hops 1 back 1 \n"), line
    assert _run(shell, "traceroute -n fe80::ff:fe00:b") == (
        "traceroute to fe80::ff:fe00:b (fe80::ff:fe00:b), 30 hops max, 80 byte packets\n"
        "connect: Invalid argument\n", 1)
    assert _run(shell, "traceroute -n fe80::ff:fe00:b%nosuch") == (
        "fe80::ff:fe00:b%nosuch: Name or service not known\n"
        "Cannot handle \"host\" cmdline arg `fe80::ff:fe00:b%nosuch' on position 1 "
        "(argc 2)\n", 2)
    # a zone is a number for any other address: a name there is EAI_NONAME
    assert _run(shell, "tracepath -n 2001:db8::2%eth0") == (
        "tracepath: 2001:db8::2%eth0: Name or service not known\n", 1)


def test_a_numeric_zone_is_shown_by_its_interface_name():
    shell = _shell(*_pair("srv", "02:00:00:00:00:0a", "02:00:00:00:00:0b"),
                   "ip link add eth1 address 02:00:00:00:00:0c type veth peer name eth1p "
                   "address 02:00:00:00:00:0d", "ip link set eth1 up", "ip link set eth1p up",
                   "sleep 3")
    assert _run(shell, "ip -o link show eth1p")[0].startswith("3: eth1p@eth1:")
    assert _run(shell, "ping -c 1 -w 1 fe80::ff:fe00:b%3 | head -1")[0] == (
        "PING fe80::ff:fe00:b%3(fe80::ff:fe00:b%eth1p) 56 data bytes\n")
    text, _ = _run(shell, "traceroute -n -q 1 fe80::ff:fe00:b%3")
    assert _rtt(text) == (
        "traceroute to fe80::ff:fe00:b%3 (fe80::ff:fe00:b%eth1p), 30 hops max, "
        "80 byte packets\n"
        " 1  fe80::ff:fe00:d%eth1p  <RTT>ms !H\n")
    # the scope's interface, not -I's (recorded: lead36_ping_scope_dev)
    assert _run(shell, "ping -W 1 -c 1 -I lo fe80::1%eth0 2>&1 | head -2")[0] == (
        "ping: Warning: source address might be selected on device other than: lo\n"
        "PING fe80::1%eth0(fe80::1%eth0) from :: lo: 56 data bytes\n")


# --- a router with link-local addresses only (oneuptime's link-local next hops:
#     tutorials39_oneuptime_linklocal_nexthops)

def test_errors_from_a_link_local_router_carry_the_arrival_zone():
    shell = _shell(*_pair("r", "02:00:00:39:00:01", "02:00:00:39:00:02"),
                   "ip netns add far",
                   "ip -n r link add eth1 type veth peer name eth0 netns far "
                   "address 02:00:00:39:00:04",
                   "ip -n r link set eth1 up", "ip -n far link set lo up",
                   "ip -n far link set eth0 up", "ip -n r addr add fe80::1/64 dev eth0",
                   "ip -n r addr add fe80::1/64 dev eth1",
                   "ip -n far -6 addr add 2001:db8:1::9/64 dev eth0 nodad",
                   "ip -6 addr add 2001:db8:ffff::10/128 dev lo",
                   "ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1", "sleep 3",
                   "ip -6 route add default via fe80::1 dev eth0",
                   "ip -n r -6 route add 2001:db8:1::/64 via fe80::ff:fe39:4 dev eth1",
                   "ip -n r -6 route add 2001:db8:ffff::10/128 via fe80::ff:fe39:1 dev eth0",
                   "ip -n far -6 route add default via fe80::1 dev eth0")
    text, _ = _run(shell, "ping6 -c 1 -t 1 2001:db8:1::9 | head -2")
    assert text == ("PING 2001:db8:1::9(2001:db8:1::9) 56 data bytes\n"
                    "From fe80::1%eth0 icmp_seq=1 Time exceeded: Hop limit\n")
    text, _ = _run(shell, "traceroute6 -n 2001:db8:1::9")
    assert _rtt(text) == (
        "traceroute to 2001:db8:1::9 (2001:db8:1::9), 30 hops max, 80 byte packets\n"
        " 1  fe80::1%eth0  <RTT>ms  <RTT>ms  <RTT>ms\n"
        " 2  2001:db8:1::9  <RTT>ms  <RTT>ms  <RTT>ms\n")
    text, _ = _run(shell, "tracepath -6 -n 2001:db8:1::9")
    assert " 1:  fe80::1%eth0" + " " * 40 in text


# --- PEERING's ICMPv6 No Route at the SIX (tutorials39_peering_icmp6_noroute)

def test_passthru_macvlan_takes_any_unicast_and_rules_see_its_iif():
    # macvlan_handle_frame(): PACKET_HOST for a passthru port's macvlan; ipv6_rcv()'s
    # route lookup has the arriving device as iif (`ip -6 rule add iif macv`)
    shell = _shell("ip link add br0 type bridge", "ip link set br0 up",
                   "ip netns add ns0", "ip netns add ns1",
                   "ip link add veth type veth peer name vebr0",
                   "ip link set vebr0 master br0", "ip link set vebr0 up",
                   "ip link set veth netns ns0",
                   "ip -n ns0 -6 addr add 4000:10::10:1/64 dev veth",
                   "ip -n ns0 link set veth up",
                   "ip link add veth type veth peer name vebr1",
                   "ip link set vebr1 master br0", "ip link set vebr1 up",
                   "ip link set veth netns ns1",
                   "ip -n ns1 -6 addr add 4000:10::11:1/64 dev veth",
                   "ip -n ns1 link set veth up",
                   "ip -n ns0 neigh add 4000:10::4000:1 lladdr 00:11:22:33:44:55 dev veth",
                   "ip -n ns1 -6 rule add iif macv lookup 100",
                   "ip -n ns1 -6 route add unreachable default proto static table 100",
                   "ip -n ns1 link add link veth macv type macvlan mode passthru nopromisc",
                   "ip -n ns1 link set macv up",
                   "ip -n ns1 addr add 4000:10::11:1/64 dev macv", "sleep 3",
                   "ip netns exec ns0 ping6 -c 1 -w 2 4000:10::11:1")
    text, status = _run(shell, "ip netns exec ns0 ping6 -c 2 -i 0.5 -w 3 4000:10::4000:1")
    assert (text.split("\n")[:2], status) == (
        ["PING 4000:10::4000:1(4000:10::4000:1) 56 data bytes",
         "From 4000:10::11:1 icmp_seq=1 Destination unreachable: No route"], 1)
    assert "1 packets transmitted, 0 received, +1 errors, 100% packet loss" in text
    _run(shell, "ip -n ns1 -6 route replace blackhole default proto static table 100")
    text, _ = _run(shell, "ip netns exec ns0 ping6 -c 1 -w 2 4000:10::4000:1")
    assert "From" not in text


# --- the subnet-router anycast address (daryllswer.com:
#     tutorials39_daryll_subnet_router_anycast)

def test_a_router_answers_for_its_subnet_router_anycast_address():
    shell = _shell(*_pair("r", "02:00:00:39:0a:01", "02:00:00:39:0a:02"),
                   "ip -6 addr add 2400:7060:2:100::10/64 dev eth0 nodad",
                   "ip -n r -6 addr add 2400:7060:2:100::1/64 dev eth0 nodad", "sleep 3",
                   "ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1")
    text, _ = _run(shell, "ping6 -c 1 2400:7060:2:100:: | head -2")
    assert _rtt(re.sub(r"time=\S+ ms", "time=<RTT>ms", text)) == (
        "PING 2400:7060:2:100::(2400:7060:2:100::) 56 data bytes\n"
        "64 bytes from 2400:7060:2:100::1: icmp_seq=1 ttl=64 time=<RTT>ms\n")
    assert _run(shell, "ip -6 neigh show 2400:7060:2:100::")[0] == (
        "2400:7060:2:100:: dev eth0 lladdr 02:00:00:39:0a:02 router REACHABLE \n")
    _run(shell, "ip netns exec r sysctl -qw net.ipv6.icmp.echo_ignore_anycast=1")
    text, _ = _run(shell, "ping6 -c 1 -w 1 2400:7060:2:100::")
    assert "1 packets transmitted, 0 received, 100% packet loss" in text


# --- hop limits (the hop_limit sysctl's bounds commit: tutorials39_phil_hop_limit)

def test_hop_limit_comes_from_the_route_then_the_device():
    # ip6_dst_hoplimit(): RTAX_HOPLIMIT, else idev->cnf.hop_limit of the out device
    shell = _shell(*_pair("peer", "02:00:00:39:0c:01", "02:00:00:39:0c:02"),
                   "ip -6 addr add 2001:db8:c::1/64 dev eth0 nodad",
                   "ip -n peer -6 addr add 2001:db8:c::2/64 dev eth0 nodad",
                   "ip -n peer -6 addr add 2001:db8:d::1/64 dev lo",
                   "ip netns exec peer sysctl -qw net.ipv6.conf.eth0.hop_limit=7",
                   "ip netns exec peer sysctl -qw net.ipv6.conf.all.hop_limit=9",
                   "sysctl -qw net.ipv6.conf.eth0.hop_limit=255",
                   "ip -6 route add 2001:db8:d::/64 via 2001:db8:c::2 hoplimit 3")
    assert "icmp_seq=1 ttl=7 " in _run(shell, "ping -6 -c 1 2001:db8:c::2")[0]
    assert "icmp_seq=1 ttl=7 " in _run(shell, "ping -6 -c 1 -t 20 2001:db8:d::1")[0]
    _run(shell, "tcpdump -i eth0 -n -v -c 2 icmp6 and 'ip6[40] == 128' "
                "> cap.txt 2>/dev/null &")
    _run(shell, "sleep 1")
    _run(shell, "ping -6 -c 1 2001:db8:c::2; ping -6 -c 1 2001:db8:d::1")
    _run(shell, "wait")
    text = _run(shell, "cat cap.txt")[0]
    assert [re.search(r"hlim \d+", line).group() for line in text.splitlines()] == [
        "hlim 255", "hlim 3"]


# --- the Linux IPv6 HOWTO's tcpdump examples (tutorials39_linuxtopia_tcpdump_nd)

def test_an_echo_reply_keeps_the_request_traffic_class():
    # icmpv6_echo_reply(): ipc6.tclass = ipv6_get_dsfield() of the request
    shell = _shell(*_pair("peer", "00:12:34:12:34:56", "00:12:34:12:34:50"), "sleep 3",
                   "tcpdump -t -n -i eth0 -v -c 2 'ip6[40] == 128 or ip6[40] == 129' "
                   "> cap.txt 2>/dev/null &", "sleep 1",
                   "ping6 -c 1 -Q 0x20 fe80::212:34ff:fe12:3450%eth0", "wait")
    lines = _run(shell, "cat cap.txt")[0].splitlines()
    assert [line.split(" (")[1].split(",")[0] for line in lines] == ["class 0x20"] * 2


# --- traceroute's probe methods with a link-local target
#     (tutorials39_djoproject_probe_methods)

def test_traceroute_icmp_connects_before_its_header():
    shell = _shell(*_pair("srv", "02:00:00:00:00:0a", "02:00:00:00:00:0b"), "sleep 3")
    assert _run(shell, "traceroute -I -n -q 1 fe80::ff:fe00:b") == (
        "\nconnect: Invalid argument\n", 1)
    text, status = _run(shell, "traceroute -I -n -q 1 -i eth0 fe80::ff:fe00:b")
    assert (_rtt(text), status) == (
        "traceroute to fe80::ff:fe00:b (fe80::ff:fe00:b), 30 hops max, 80 byte packets\n"
        " 1  fe80::ff:fe00:b%eth0  <RTT>ms\n", 0)


# --- an on-link default route (clearchannel's IPv6 default route:
#     tutorials39_clearchannel_v6_default_route)

def test_ping_counts_every_error_of_one_neighbour_failure():
    # main_loop() drains the socket before its exit checks: -c 1 -w 5 sends three
    # echoes to a neighbour that never answers, and all three errors count
    shell = _shell(*_pair("gw", "02:00:00:39:10:01", "02:00:00:39:10:02"),
                   "ip -6 addr add 2001:db8:1234:5678::10/64 dev eth0 nodad", "sleep 3",
                   "ip -6 route add default dev eth0")
    text, status = _run(shell, "ping -6 -c 1 -w 5 2001:db8:ffff::1")
    assert text.count("Destination unreachable: Address unreachable\n") == 3
    assert "3 packets transmitted, 0 received, +3 errors, 100% packet loss" in text
    assert status == 1


def test_an_ipv4_route_hoplimit_is_the_ttl_of_what_leaves_by_it():
    # ip_select_ttl() -> ip4_dst_hoplimit(): RTAX_HOPLIMIT, else ip_default_ttl
    shell = _shell(*_pair("peer", "02:00:00:39:14:01", "02:00:00:39:14:02"),
                   "ip addr add 10.6.0.1/24 dev eth0",
                   "ip -n peer addr add 10.6.0.2/24 dev eth0",
                   "ip -n peer addr add 10.7.0.1/24 dev lo",
                   "ip route add 10.7.0.0/24 via 10.6.0.2 hoplimit 5",
                   "tcpdump -i eth0 -n -v -c 1 icmp > cap.txt 2>/dev/null &", "sleep 1",
                   "ping -c 1 10.7.0.1", "wait")
    assert "(tos 0x0, ttl 5, id " in _run(shell, "cat cap.txt")[0]
    _run(shell, "ip route change 10.7.0.0/24 via 10.6.0.2 hoplimit 0")
    _run(shell, "tcpdump -i eth0 -n -v -c 1 icmp > cap.txt 2>/dev/null &")
    _run(shell, "sleep 1")
    _run(shell, "ping -c 1 10.7.0.1")
    _run(shell, "wait")
    assert "(tos 0x0, ttl 64, id " in _run(shell, "cat cap.txt")[0]


# --- curl with a link-local URL (tutorials39_djoproject_curl_lla)

def test_curl_takes_an_encoded_zone_and_tcp_needs_one():
    # curl's ipv6_parse() skips `%25`; tcp_v6_connect(): EINVAL without an interface
    shell = _shell(*_pair("srv", "02:00:00:00:00:0a", "02:00:00:00:00:0b"), "sleep 3",
                   "ip netns exec srv timeout 8 python3 -m http.server --bind :: 8000 "
                   "> /dev/null 2>&1 &", "sleep 2")
    fmt = "-s -o /dev/null -w '%{http_code} %{remote_ip}\\n' -g"
    assert _run(shell, f"curl {fmt} 'http://[fe80::ff:fe00:b%25eth0]:8000/'") == (
        "200 fe80::ff:fe00:b\n", 0)
    assert _run(shell, "curl -s -o /dev/null -w '%{http_code}\\n' -g "
                       "'http://[fe80::ff:fe00:b]:8000/'") == ("000\n", 7)
    text, status = _run(shell, "curl -sS -o /dev/null -g 'http://[fe80::ff:fe00:b%nosuch]:8000/'")
    assert (re.sub(r"after \d+ ms", "after <T> ms", text), status) == (
        "curl: (7) Failed to connect to fe80::ff:fe00:b port 8000 after <T> ms: "
        "Couldn't connect to server\n", 7)


# --- wget and ss with a link-local URL (tutorials39_djoproject_wget_ss_lla)

def test_wget_does_not_retry_einval_and_ss_shows_the_scope():
    # wget's retryable_socket_connect_error(): EINVAL is final (no `Retrying.`);
    # ss's inet_addr_print(): idiag_if after the local address
    shell = _shell(*_pair("srv", "02:00:00:00:00:0a", "02:00:00:00:00:0b"), "sleep 3",
                   "ip netns exec srv timeout 8 python3 -m http.server --bind :: 8000 "
                   "> /dev/null 2>&1 &", "sleep 2")
    text, status = _run(shell, "wget -O /dev/null 'http://[fe80::ff:fe00:b]:8000/'")
    assert (text.splitlines()[1:], status) == (
        ["Connecting to [fe80::ff:fe00:b]:8000... failed: Invalid argument."], 4)
    text, _ = _run(shell, "exec 3<>/dev/tcp/fe80::ff:fe00:b%eth0/8000; "
                          "ss -tn | sed 's/:[0-9]\\{5\\} / :PORT /'")
    assert text == (
        "State Recv-Q Send-Q          Local Address:Port       Peer Address:PortProcess\n"
        "ESTAB 0      0      [fe80::ff:fe00:a]%eth0 :PORT [fe80::ff:fe00:b]:8000       \n")
