"""captures38b: tcpdump on routing and neighbour traffic (tests/oracle_cases/captures38b_*,
recorded twice on the Debian 12 machine: tcpdump 4.99.3, Linux 6.18), and the behaviours
they showed, each on its own:

- an IPv6 router's reject routes and rules answer as ip6_rt_init_dst_reject() sets them
  up: prohibit with ICMPV6_ADM_PROHIBITED (ip6_pkt_prohibit()), unreachable and throw
  with ICMPV6_NOROUTE (ip6_pkt_discard()), both counted in Ip6InNoRoutes; a blackhole
  drops silently (dst_discard()).
- an IPv4 router's ICMP errors echo the datagram's RR (and timestamp) option
  (__ip_options_echo(), the error's own source added by ip_options_build()), taking
  their room from the 576 bytes; errors sent before ip_forward_options() (reject routes,
  time exceeded, frag needed) quote the header as ip_rcv_options() left it: the
  router's spec_dst in the next RR slot, and the old checksum (tcpdump: bad cksum);
  a host unreachable after ARP gave up recompiles the options first
  (ipv4_send_dest_unreach()), stamping the slot after the outgoing address;
- `ip -6 route show cache` prints a redirect's target as the cached route's gateway.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest


# the captures38b_ cases replay whole in tests/test_rounds.py (PREFIXES)


# the oracle-profile host in a scratch folder (a fixture), and a line's output
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_capture35 import run, session  # noqa: E402,F401


SETUP6 = [
    "ip netns add r",
    "ip netns exec r sysctl -q -w net.ipv6.conf.all.forwarding=1",
    "ip link add c0 type veth peer name r0 netns r",
    "ip addr add 2001:db8:38b:1::1/64 dev c0 nodad",
    "ip link set c0 up",
    "ip -6 route add 2001:db8:38b::/48 via 2001:db8:38b:1::2",
    "ip -n r addr add 2001:db8:38b:1::2/64 dev r0 nodad",
    "ip -n r link set r0 up",
    "ip -n r -6 route add unreachable 2001:db8:38b:20::/64",
    "ip -n r -6 route add prohibit 2001:db8:38b:21::/64",
    "ip -n r -6 route add blackhole 2001:db8:38b:22::/64",
    "ip -n r -6 rule add to 2001:db8:38b:40::/64 prohibit",
    "ip -n r -6 rule add to 2001:db8:38b:41::/64 blackhole",
    "sleep 2",
]


@pytest.mark.parametrize("dst, said", [
    # recorded (captures38b_icmp6_reject_routes): ping's line for each code
    ("2001:db8:38b:20::1", "Destination unreachable: No route"),
    ("2001:db8:38b:21::1", "Destination unreachable: Administratively prohibited"),
    ("2001:db8:38b:40::1", "Destination unreachable: Administratively prohibited"),
    ("2001:db8:38b:22::1", None),
    ("2001:db8:38b:41::1", None),
])
def test_ipv6_reject_routes_answer_by_type(session, dst, said):
    for line in SETUP6:
        run(session, line)
    out = run(session, f"ping -6 -c 1 -s 8 -W 1 {dst}")
    if said is None:
        assert "From" not in out
        assert "1 packets transmitted, 0 received, 100% packet loss" in out
    else:
        assert f"From 2001:db8:38b:1::2 icmp_seq=1 {said}\n" in out


def test_ipv6_prohibit_in_tcpdump_and_counters(session):
    for line in SETUP6:
        run(session, line)
    run(session, "timeout 5 tcpdump -i c0 -nn -c 1 'icmp6 and ip6[40] == 1' > cap.txt 2>&1 &")
    run(session, "sleep 1")
    run(session, "ping -6 -c 1 -s 8 2001:db8:38b:21::1")
    run(session, "wait")
    # recorded: tcpdump's code 1 text starts with a blank of its own
    assert "ICMP6, destination unreachable,  unreachable prohibited 2001:db8:38b:21::1" \
        in run(session, "cat cap.txt")
    # a prohibit route counts InNoRoutes, a blackhole nothing
    def noroutes():
        return int(run(session, "ip netns exec r nstat -az Ip6InNoRoutes").split()[2])
    before = noroutes()
    run(session, "ping -6 -c 1 -s 8 2001:db8:38b:21::1")
    assert noroutes() == before + 1
    run(session, "ping -6 -c 1 -s 8 -W 1 2001:db8:38b:22::1")
    run(session, "ping -6 -c 1 -s 8 -W 1 2001:db8:38b:41::1")
    assert noroutes() == before + 1


SETUP4 = [
    "sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add r",
    "ip netns exec r sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
    "ip netns exec r sysctl -q -w net.ipv4.ip_forward=1",
    "ip link add c0 type veth peer name r0 netns r",
    "ip addr add 10.38.61.1/24 dev c0",
    "ip link set c0 up",
    "ip route add default via 10.38.61.254",
    "ip -n r addr add 10.38.61.254/24 dev r0",
    "ip -n r link set r0 up",
    "ip -n r route add unreachable 10.38.70.0/24",
    "ping -c 1 10.38.61.254",
]

# recorded (captures38b_errors_quote_options), what the router's error looks like
ERROR_RR = ("proto ICMP (1), length 144, options (RR 10.38.61.1, 10.38.61.254, 10.38.61.254, "
            "0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0,EOL))")
QUOTED_RR = ("options (NOP,RR 10.38.61.1, 10.38.61.254, 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 "
             "0.0.0.0 0.0.0.0 0.0.0.0), bad cksum ")


@pytest.mark.parametrize("ping", ["ping -R -c 1 -t 1 -s 8 10.38.70.1",     # unreachable route
                                  "ping -R -c 1 -t 1 -s 8 10.38.62.1"])    # time exceeded
def test_router_errors_echo_rr_and_quote_the_stamped_header(session, ping):
    for line in SETUP4:
        run(session, line)
    if "62.1" in ping:
        run(session, "ip -n r route add 10.38.62.0/24 dev r0")     # time exceeded instead
    run(session, "timeout 5 tcpdump -i c0 -nn -v -c 2 icmp > cap.txt 2>&1 &")
    run(session, "sleep 1")
    run(session, ping)
    run(session, "wait")
    out = run(session, "cat cap.txt")
    # __ip_options_echo() + ip_options_build(): the error carries the RR option back,
    # with the router's address once more; ip_options_compile() wrote the router's
    # spec_dst in the datagram's next slot without recomputing its checksum
    assert ERROR_RR in out
    assert QUOTED_RR in out


def test_host_unreachable_after_arp_recompiles_the_options(session):
    for line in SETUP4:
        run(session, line)
    run(session, "ip -n r link add r1 type veth peer name r1p")
    run(session, "ip -n r addr add 10.38.62.254/24 dev r1")
    run(session, "ip -n r link set r1 up")
    run(session, "ip -n r link set r1p up")
    run(session, "timeout 8 tcpdump -i c0 -nn -v -c 2 icmp > cap.txt 2>&1 &")
    run(session, "sleep 1")
    assert "Destination Host Unreachable" in run(session, "ping -R -c 1 -s 8 -W 5 10.38.62.99")
    run(session, "wait")
    out = run(session, "cat cap.txt")
    # recorded (captures38b_host_unreach_rr): ip_forward_options() wrote the outgoing
    # address, ipv4_send_dest_unreach()'s __ip_options_compile() the address toward the
    # sender once more (old checksum), and the echo the error's source
    assert ("length 144, options (RR 10.38.61.1, 10.38.62.254, 10.38.61.254, 10.38.61.254, "
            "0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0,EOL))") in out
    assert ("ttl 63, id ") in out
    assert ("options (NOP,RR 10.38.61.1, 10.38.62.254, 10.38.61.254, 0.0.0.0 0.0.0.0 0.0.0.0 "
            "0.0.0.0 0.0.0.0 0.0.0.0), bad cksum ") in out


def test_ipv6_route_cache_shows_the_redirect_target(session):
    # recorded (captures38b_icmp6_redirect_taken): a redirect taken from the router the
    # default route names by its link-local address; the cached route's gateway is the
    # redirect's target (rt6_do_redirect(): nrt->rt6i_gateway), as route get says
    for line in [
        "ip netns add sw", "ip netns add r", "ip netns add g",
        "ip -n sw link add br0 type bridge", "ip -n sw link set br0 up",
        "ip link add c0 address 02:00:00:38:0b:b1 type veth peer name p1 netns sw",
        "ip -n r link add r0 address 02:00:00:38:0b:b2 type veth peer name p2 netns sw",
        "ip -n g link add g0 address 02:00:00:38:0b:b3 type veth peer name p3 netns sw",
        "ip -n sw link set p1 master br0 up", "ip -n sw link set p2 master br0 up",
        "ip -n sw link set p3 master br0 up",
        "ip netns exec r sysctl -q -w net.ipv6.conf.all.forwarding=1",
        "ip netns exec g sysctl -q -w net.ipv6.conf.all.forwarding=1",
        "ip addr add 2001:db8:38b:b1::1/64 dev c0 nodad", "ip link set c0 up",
        "ip -n r addr add 2001:db8:38b:b1::254/64 dev r0 nodad", "ip -n r link set r0 up",
        "ip -n g addr add 2001:db8:38b:b1::253/64 dev g0 nodad", "ip -n g link set g0 up",
        "ip -n g link set lo up", "ip -n g addr add 2001:db8:38b:b2::1/128 dev lo",
        "ip -6 route add default via fe80::ff:fe38:bb2 dev c0",
        "ip -n r -6 route add 2001:db8:38b:b2::/64 via fe80::ff:fe38:bb3 dev r0",
        "sleep 3", "ping -6 -c 2 -i 0.5 2001:db8:38b:b2::1"]:
        run(session, line)
    assert run(session, "ip -6 route show cache") == \
        "2001:db8:38b:b2::1 via fe80::ff:fe38:bb3 dev c0 metric 1024 pref medium\n"
