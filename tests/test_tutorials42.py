"""The fixes round 42's MTU, path MTU and fragmentation tutorials led to (their cases,
tutorials42_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1, iputils 20221126, tcpdump 4.99.3), twice,
the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- a path MTU learnt through a router (10.0.2.0/24 and fd02::/64 behind r's 1400 link)

_ROUTED = (
    "ip netns add r", "ip netns add s",
    "ip link add eth0 type veth peer name in0 netns r",
    "ip -n r link add out0 mtu 1400 type veth peer name eth0 mtu 1400 netns s",
    "ip addr add 10.0.1.1/24 dev eth0", "ip addr add fd01::1/64 dev eth0 nodad",
    "ip link set eth0 up", "ip route add default via 10.0.1.254",
    "ip -6 route add default via fd01::254",
    "ip -n r addr add 10.0.1.254/24 dev in0", "ip -n r addr add fd01::254/64 dev in0 nodad",
    "ip -n r addr add 10.0.2.254/24 dev out0", "ip -n r addr add fd02::254/64 dev out0 nodad",
    "ip -n r link set in0 up", "ip -n r link set out0 up",
    "ip -n s addr add 10.0.2.1/24 dev eth0", "ip -n s addr add fd02::1/64 dev eth0 nodad",
    "ip -n s link set eth0 up", "ip -n s route add default via 10.0.2.254",
    "ip -n s -6 route add default via fd02::254",
    "ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1",
    "sleep 3",
    # (the first IPv4 echo's Frag needed leaves nothing `show cache` lists: recorded)
    "ping -6 -c 1 -s 1452 fd02::1", "ping -c 1 -M want -s 1400 10.0.2.1",
    "ping -c 1 -M want -s 1400 10.0.2.1")
_X = " | sed 's/expires [0-9]*sec/expires Xsec/; s/\"expires\":[0-9]*/\"expires\":X/'"


def test_details_print_a_cached_routes_type():
    # print_route(): `r->rtm_type != RTN_UNICAST || show_details`, for a cached
    # route too; its table only when no table was selected (filter.tb 0)
    shell = _shell(*_ROUTED)
    assert _run(shell, "ip -d route show cache" + _X) == (
        "unicast 10.0.2.1 via 10.0.1.254 dev eth0 \n"
        "    cache expires Xsec mtu 1400 \n", 0)
    assert _run(shell, "ip -d -6 route show cache" + _X) == (
        "unicast fd02::1 via fd01::254 dev eth0 metric 1024 expires Xsec mtu 1400 "
        "pref medium\n", 0)
    assert _run(shell, "ip -d -j route show cache" + _X) == (
        '[{"type":"unicast","dst":"10.0.2.1","gateway":"10.0.1.254","dev":"eth0",'
        '"flags":[],"cache":[],"expires":X,"metrics":[{"mtu":1400}]}]\n', 0)


def test_table_all_lists_both_families_cached_routes():
    # iproute_list_flush_or_save(): AF_UNSPEC becomes AF_INET only when filter.tb is
    # set; `table all` dumps both families
    shell = _shell(*_ROUTED)
    assert _run(shell, "ip -d route list table all cache" + _X) == (
        "unicast 10.0.2.1 via 10.0.1.254 dev eth0 table main \n"
        "    cache expires Xsec mtu 1400 \n"
        "unicast fd02::1 via fd01::254 dev eth0 table main metric 1024 expires Xsec "
        "mtu 1400 pref medium\n", 0)
    assert _run(shell, "ip route show cache" + _X) == (
        "10.0.2.1 via 10.0.1.254 dev eth0 \n    cache expires Xsec mtu 1400 \n", 0)


# --- an IPv6 echo too long for IPV6_MAXPLEN, to an address of this host (via lo)

def test_ping6_too_long_reports_los_mtu_uncapped():
    # __ip6_append_data(): pmtu = mtu - headersize + sizeof(ipv6hdr), the route's MTU
    # as ip6_mtu() caps it (IP6_MAX_MTU), lo's 65536; IPv4's ipv4_mtu() caps at 65535
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "ip addr add fd00::1/64 dev veth0 nodad",
                   "ip addr add 192.0.2.1/24 dev veth0",
                   "ip addr add fd00::2/64 dev veth1 nodad",
                   "ip addr add 192.0.2.2/24 dev veth1",
                   "ip link set veth0 up", "ip link set veth1 up", "sleep 3")
    assert _run(shell, "ping -6 -c 1 -s 65528 fd00::2") == (
        "PING fd00::2(fd00::2) 65528 data bytes\n"
        "ping: local error: message too long, mtu: 65536\n\n"
        "--- fd00::2 ping statistics ---\n"
        "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n", 1)
    out, _ = _run(shell, "ping -c 1 -s 65508 192.0.2.2")
    assert "ping: local error: message too long, mtu=65535\n" in out


# --- an MTU under 1280 destroys the inet6_dev (addrconf_ifdown(dev, true))

def test_mtu_under_1280_drops_the_pending_mld_leaves():
    # ipv6_mc_destroy_dev(): mld_clear_delrec(); the new inet6_dev at 1280 reports its
    # new link-local's solicited-node group only (recorded: veth0's TX 12 packets,
    # 1112 bytes, under a capture on the peer)
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "ip addr add fd00::1/64 dev veth0 nodad",
                   "ip addr add fd00::2/64 dev veth1 nodad",
                   "ip link set veth1 up", "sleep 1", "ip link set veth0 up", "sleep 3",
                   "ip link set veth0 mtu 1279", "ip link set veth0 mtu 1280", "sleep 4")
    out, _ = _run(shell, "ip -s link show veth0")
    assert out.splitlines()[-1] == "          1112      12      0       0       0       0 "


def test_ip_route_flush_cache_leaves_ipv6_exceptions():
    # iproute_flush(): no family and the main table is AF_INET: only IPv4's cache
    # (/proc/sys/net/ipv4/route/flush); -6, or `table all`, deletes IPv6's clones
    shell = _shell(*_ROUTED)
    _run(shell, "ip route flush cache")
    assert _run(shell, "ip -6 route show cache" + _X) == (
        "fd02::1 via fd01::254 dev eth0 metric 1024 expires Xsec mtu 1400 pref medium\n", 0)
    _run(shell, "ip route flush cache table all")
    assert _run(shell, "ip -6 route show cache") == ("", 0)


# --- a bridge whose ports differ in MTU (br_netfilter loaded, bridge-nf-call-* 1)

_BRIDGED = (
    "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add a", "ip netns add b",
    "ip netns exec a sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
    "ip netns exec b sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
    "ip link add br0 type bridge",
    "ip link add va address 02:00:00:00:00:11 type veth peer name eth0 netns a",
    "ip link add vb address 02:00:00:00:00:12 mtu 1400 type veth peer name eth0 mtu 1400 "
    "netns b",
    "ip link set va master br0", "ip link set vb master br0", "ip link set br0 up",
    "ip link set va up", "ip link set vb up",
    "ip -n a addr add 10.0.0.1/24 dev eth0", "ip -n b addr add 10.0.0.2/24 dev eth0",
    "ip -n a link set eth0 up", "ip -n b link set eth0 up")
_COUNT = " | grep -o '[0-9]* received'"


def test_bridge_drops_a_df_frame_too_big_for_the_port_uncounted():
    # br_nf_dev_queue_xmit() -> br_nf_ip_fragment(): DF set, FRAGFAILS, no ICMP error,
    # no device counts it (recorded: vb TX dropped 0)
    shell = _shell(*_BRIDGED)
    assert _run(shell, "ip netns exec a ping -c 1 -W 1 -M do -s 1450 10.0.0.2" + _COUNT) == \
        ("0 received\n", 0)
    assert _run(shell, "nstat -az IpFragFails | tail -1") == (
        "IpFragFails                     1                  0.0\n", 0)
    out, _ = _run(shell, "ip -s link show vb")
    assert out.splitlines()[5].split()[3] == "0"


def test_bridge_fragments_a_frame_without_df_at_its_own_mtu():
    # ip_do_fragment() at fake_mtu(), the bridge's MTU (1400 here): 1396 + 102
    shell = _shell(*_BRIDGED)
    assert _run(shell, "ip netns exec a ping -c 1 -W 1 -M dont -s 1450 10.0.0.2" + _COUNT) \
        == ("1 received\n", 0)
    assert _run(shell, "nstat -az IpFragOKs IpFragCreates | tail -2") == (
        "IpFragOKs                       1                  0.0\n"
        "IpFragCreates                   2                  0.0\n", 0)


def test_bridge_without_br_netfilter_passes_four_bytes_over_the_port_mtu():
    # br_dev_queue_push_xmit(): is_skb_forwardable() allows ETH_HLEN + VLAN_HLEN over
    # the MTU (recorded: 1404 bytes reach the 1400 port, 1405 do not)
    shell = _shell(*_BRIDGED, "sysctl -qw net.bridge.bridge-nf-call-iptables=0")
    assert _run(shell, "ip netns exec a ping -c 1 -W 1 -M dont -s 1376 10.0.0.2" + _COUNT) \
        == ("1 received\n", 0)
    assert _run(shell, "ip netns exec a ping -c 1 -W 1 -M dont -s 1377 10.0.0.2" + _COUNT) \
        == ("0 received\n", 0)


def test_bridge_over_its_ports_mtu_counts_one_piece():
    # the bridge's own MTU raised over the port's: ip_do_fragment() makes one piece
    # (FragOKs and FragCreates 1), which is_skb_forwardable() refuses
    shell = _shell(*_BRIDGED, "ip link set br0 mtu 1500")
    assert _run(shell, "ip netns exec a ping -c 1 -W 1 -M dont -s 1450 10.0.0.2" + _COUNT) \
        == ("0 received\n", 0)
    assert _run(shell, "nstat -az IpFragOKs IpFragCreates | tail -2") == (
        "IpFragOKs                       1                  0.0\n"
        "IpFragCreates                   1                  0.0\n", 0)


def test_bridge_sends_packet_too_big_for_ipv6_when_it_has_a_route_back():
    # ip6_fragment()'s fail_toobig: icmpv6_send() from the bridge's namespace (recorded)
    shell = _shell("ip netns add a", "ip netns add b", "ip link add br0 type bridge",
                   "ip link add va type veth peer name eth0 netns a",
                   "ip link add vb mtu 1400 type veth peer name eth0 mtu 1400 netns b",
                   "ip link set va master br0", "ip link set vb master br0",
                   "ip link set br0 up", "ip link set va up", "ip link set vb up",
                   "ip -n a addr add fd00::1/64 dev eth0 nodad",
                   "ip -n b addr add fd00::2/64 dev eth0 nodad",
                   "ip -n a link set eth0 up", "ip -n b link set eth0 up",
                   "ip addr add fd00::254/64 dev br0 nodad", "sleep 3")
    out, _ = _run(shell, "ip netns exec a ping -6 -c 2 -W 1 -s 1400 fd00::2")
    assert "From fd00::254 icmp_seq=1 Packet too big: mtu=1400\n" in out
    assert "1408 bytes from fd00::2: icmp_seq=2" in out


def test_ping_leaves_df_clear_through_a_route_with_its_mtu_locked():
    # ip_dont_fragment(): IP_PMTUDISC_WANT and ip_mtu_locked(): no DF, so the router
    # fragments the echo onto its 1400 link; -M do keeps DF (Frag needed)
    shell = _shell(*_ROUTED[:-3],
                   "ip route add 10.0.2.0/24 via 10.0.1.254 mtu lock 1450")
    assert _run(shell, "ping -c 1 -M want -s 1420 10.0.2.1" + _COUNT) == ("1 received\n", 0)
    out, _ = _run(shell, "ping -c 1 -M do -s 1420 10.0.2.1")
    assert "From 10.0.1.254 icmp_seq=1 Frag needed and DF set (mtu = 1400)\n" in out
    assert _run(shell, "ip route get 10.0.2.1") == (
        "10.0.2.1 via 10.0.1.254 dev eth0 src 10.0.1.1 uid 0 \n    cache mtu lock 1450 \n", 0)


def test_traceroute_default_method_sends_each_probe_from_its_own_port():
    # mod-udp.c udp_send_probe(): a socket per probe, each connect()ed from an
    # ephemeral port (recorded: 51451, 44844, 43057... under tcpdump), the answers
    # told apart by it
    shell = _shell("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add r",
                   "ip netns add srv",
                   "ip link add eth0 type veth peer name lan0 netns r",
                   "ip -n r link add wan0 type veth peer name eth0 netns srv",
                   "ip addr add 10.0.1.2/24 dev eth0", "ip link set eth0 up",
                   "ip route add default via 10.0.1.1",
                   "ip -n r addr add 10.0.1.1/24 dev lan0",
                   "ip -n r addr add 10.0.2.1/24 dev wan0",
                   "ip -n r link set lan0 up", "ip -n r link set wan0 up",
                   "ip netns exec r sysctl -qw net.ipv4.ip_forward=1",
                   "ip -n srv addr add 10.0.2.10/24 dev eth0",
                   "ip -n srv link set eth0 up", "ip -n srv route add default via 10.0.2.1",
                   "ip netns exec srv timeout 3 tcpdump -n -i eth0 udp &", "sleep 1",
                   "traceroute -n -q 2 -m 2 10.0.2.10 > /dev/null")
    out, _ = _run(shell, "wait")
    sports = {line.split()[2].rsplit(".", 1)[1] for line in out.splitlines()
              if "UDP, length" in line}
    assert len(sports) == 2     # the two probes of hop 2 reach the server
