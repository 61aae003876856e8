"""The fixes round 40's routing Q&A answers and tutorials led to (their cases,
tutorials40c_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1, iputils 20221126), twice, the two recordings
alike under diff.py's masks."""
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


EINVAL = ("RTNETLINK answers: Invalid argument\n", 2)

# a host with eth0 (10.1.0.2/24, towards namespace a: 10.1.0.1) and eth1 (no address
# yet), the far address 198.51.100.7 on a's lo, routed back to the host out of eth1
_TWO_LINKS = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add a",
              "ip link set lo up",
              "ip link add eth0 type veth peer name wan netns a",
              "ip link add eth1 type veth peer name wan1 netns a",
              "ip addr add 10.1.0.2/24 dev eth0", "ip link set eth0 up",
              "ip link set eth1 up", "ip -n a addr add 10.1.0.1/24 dev wan",
              "ip -n a link set wan up", "ip -n a link set wan1 up",
              "ip -n a link set lo up", "ip -n a addr add 198.51.100.7/32 dev lo",
              "ip -n a route add 10.1.0.2/32 dev wan1",
              "ip route add 198.51.100.0/24 dev eth1")


# --- fib_validate_source(): the way back is a full policy lookup
# (tutorials40c_smeretech_two_nics_rules, tutorials40c_rp_filter_rules)

def test_rp_filter_way_back_has_the_destination_as_source():
    # __fib_validate_source(): fl4.saddr = the packet's destination, so a rule
    # `from OUR_ADDRESS` sends the way back to its table
    shell = _shell(*_TWO_LINKS, "sysctl -qw net.ipv4.conf.eth0.rp_filter=1")
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.7 iif eth0") == EINVAL
    shell.run_line("ip route add 198.51.100.0/24 via 10.1.0.1 table 100")
    shell.run_line("ip rule add from 10.1.0.2 table 100")
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.7 iif eth0") == (
        "local 10.1.0.2 from 198.51.100.7 dev lo table local \n"
        "    cache <local> iif eth0 \n", 0)


def test_rp_filter_way_back_of_local_delivery_comes_in_by_lo():
    # fl4.flowi4_iif = LOOPBACK_IFINDEX for a packet delivered here: an `iif lo` rule
    # decides the way back, an `iif eth1` one does not
    shell = _shell(*_TWO_LINKS, "sysctl -qw net.ipv4.conf.eth1.rp_filter=1",
                   "ip route add 198.51.100.0/24 via 10.1.0.1 table 7")
    ok = ("local 10.1.0.2 from 198.51.100.7 dev lo \n"
          "    cache <local> iif eth1 \n", 0)
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.7 iif eth1") == ok
    shell.run_line("ip rule add iif eth1 lookup 7 pref 7")
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.7 iif eth1") == (
        ok[0].replace("dev lo ", "dev lo table local "), 0)
    shell.run_line("ip rule add iif lo lookup 7 pref 6")
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.7 iif eth1") == EINVAL


def test_rp_filter_way_back_of_a_forwarded_packet_comes_in_by_the_output_device():
    # __mkroute_input(): fib_validate_source(..., FIB_RES_OIF(*res), ...) and
    # fl4.flowi4_iif = oif: an `iif OUT` rule decides the way back
    shell = _shell(*_TWO_LINKS, "sysctl -qw net.ipv4.conf.eth1.rp_filter=1",
                   "sysctl -qw net.ipv4.ip_forward=1",
                   "ip route add 10.77.0.0/16 via 10.1.0.1",
                   "ip route add 198.51.100.0/24 via 10.1.0.1 table 7")
    assert _run(shell, "ip route get 10.77.0.1 from 198.51.100.7 iif eth1") == (
        "10.77.0.1 from 198.51.100.7 via 10.1.0.1 dev eth0 \n"
        "    cache iif eth1 \n", 0)
    shell.run_line("ip rule add iif eth0 lookup 7 pref 7")
    assert _run(shell, "ip route get 10.77.0.1 from 198.51.100.7 iif eth1") == EINVAL


def test_rp_filter_reject_route_back_is_last_resort():
    # a blackhole way back is a failed fib_lookup(): last_resort, e_rpf (-EXDEV),
    # which ip_rcv_finish_core() counts as IPReversePathFilter
    # (a first ping, before, leaves a's neighbour entry: the second's echo is sent)
    shell = _shell(*_TWO_LINKS, "ip addr add 10.3.0.2/24 dev eth1",
                   "ip netns exec a ping -c 1 -W 1 -I 198.51.100.7 10.1.0.2",
                   "sysctl -qw net.ipv4.conf.eth1.rp_filter=1",
                   "ip route add blackhole 198.51.100.7")
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.7 iif eth1") == EINVAL
    text, status = _run(shell, "ip netns exec a ping -c 1 -W 1 -I 198.51.100.7 10.1.0.2")
    assert status == 1
    assert _run(shell, "nstat -az TcpExtIPReversePathFilter") == (
        "#kernel\nTcpExtIPReversePathFilter       1                  0.0\n", 0)


def test_without_rp_filter_custom_rules_still_check_the_way_back():
    # fib_validate_source(): rp_filter 0 takes the short way (only our own addresses
    # refused) until custom rules exist (fib4_has_custom_rules(), for good): then a
    # way back that is no unicast route (a broadcast one) is -EINVAL
    shell = _shell(*_TWO_LINKS,
                   "ip route add broadcast 198.51.100.8 dev eth1 table local")
    ok = ("local 10.1.0.2 from 198.51.100.8 dev lo \n"
          "    cache <local> iif eth1 \n", 0)
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.8 iif eth1") == ok
    shell.run_line("ip rule add pref 100 from all lookup main")
    shell.run_line("ip rule del pref 100")
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.8 iif eth1") == EINVAL


def test_without_rp_filter_a_custom_local_route_checks_the_way_back():
    # inet_rtm_newroute(): a route of type local added by a user sets
    # fib_has_custom_local_routes, which takes fib_validate_source() the long way
    shell = _shell(*_TWO_LINKS,
                   "ip route add broadcast 198.51.100.8 dev eth1 table local",
                   "ip route add local 10.99.0.1 dev eth0")
    assert _run(shell, "ip route get 10.1.0.2 from 198.51.100.8 iif eth1") == EINVAL


# --- a flow with an output device and no route is on that link
# (tutorials40c_webhostinguk_null_route_bound, tutorials40c_oneuptime_route_via_interface)

_NULL_ROUTED = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add gw",
                "ip link set lo up", "ip link add eth0 type veth peer name eth0 netns gw",
                "ip addr add 10.22.0.2/24 dev eth0", "ip link set eth0 up",
                "ip -n gw addr add 10.22.0.1/24 dev eth0",
                "ip -n gw addr add 72.22.1.5/32 dev lo", "ip -n gw link set eth0 up",
                "ip -n gw link set lo up", "ip route add default via 10.22.0.1",
                "ip route add blackhole 72.22.1.5")


def test_route_get_with_oif_takes_any_failed_lookup_as_on_link():
    # ip_route_output_key_hash_rcu(): "Apparently, routing tables are wrong": a reject
    # route (unreachable, blackhole, prohibit) fails fib_lookup() as no route does
    shell = _shell(*_NULL_ROUTED, "ip route add prohibit 72.22.1.0/24",
                   "ip route add unreachable 192.168.0.0/16")
    assert _run(shell, "ip route get 72.22.1.5") == EINVAL
    assert _run(shell, "ip route get 72.22.1.5 oif eth0") == (
        "72.22.1.5 dev eth0 src 10.22.0.2 uid 0 \n    cache \n", 0)
    assert _run(shell, "ip route get 72.22.1.9 oif eth0") == (
        "72.22.1.9 dev eth0 src 10.22.0.2 uid 0 \n    cache \n", 0)
    assert _run(shell, "ip route get 192.168.5.5 oif eth0") == (
        "192.168.5.5 dev eth0 src 10.22.0.2 uid 0 \n    cache \n", 0)
    assert _run(shell, "ip route get fibmatch 72.22.1.9 oif eth0") == (
        "RTNETLINK answers: No route to host\n", 2)
    assert _run(shell, "ip route get fibmatch 72.22.1.9") == (
        "RTNETLINK answers: Permission denied\n", 2)


def test_ping_bound_to_a_device_goes_past_a_null_route():
    # the echo's own output route (ip_output()) makes the on-link guess too: ARP for
    # the destination itself, which the far side answers for its own address
    # (a first ping, before the null route, leaves the gateway's entry: as recorded)
    shell = _shell(*_NULL_ROUTED[:-1], "ping -c 1 -W 1 72.22.1.5", _NULL_ROUTED[-1])
    assert _run(shell, "ping -c 1 -W 1 72.22.1.5") == (
        "ping: connect: Invalid argument\n", 2)
    text, status = _run(shell, "ping -c 1 -W 1 -I eth0 72.22.1.5")
    assert status == 0 and text.startswith(
        "PING 72.22.1.5 (72.22.1.5) from 10.22.0.2 eth0: 56(84) bytes of data.\n"
        "64 bytes from 72.22.1.5: icmp_seq=1 ttl=64 time=")
    text, _ = _run(shell, "ip neigh show dev eth0")
    assert sorted(line.split(" lladdr")[0] for line in text.splitlines()) == [
        "10.22.0.1", "72.22.1.5"]


def test_traceroute_i_binds_its_ipv4_probes_to_the_device():
    # tune_socket()'s SO_BINDTODEVICE is the UDP probes' oif: past the null route, on
    # the link; a device that does not exist is refused; one that is down is
    # ENETUNREACH at connect()
    shell = _shell(*_NULL_ROUTED)
    text, status = _run(shell, "traceroute -n -q 1 -m 2 -i eth0 72.22.1.5")
    assert status == 0 and text.startswith(
        "traceroute to 72.22.1.5 (72.22.1.5), 2 hops max, 60 byte packets\n"
        " 1  72.22.1.5  ")
    assert _run(shell, "traceroute -n -q 1 -m 2 -i eth9 72.22.1.5") == (
        "traceroute to 72.22.1.5 (72.22.1.5), 2 hops max, 60 byte packets\n"
        "setsockopt SO_BINDTODEVICE: No such device\n", 1)
    shell.run_line("ip link set eth0 down")
    assert _run(shell, "traceroute -n -q 1 -m 2 -i eth0 72.22.1.5") == (
        "traceroute to 72.22.1.5 (72.22.1.5), 2 hops max, 60 byte packets\n"
        "connect: Network is unreachable\n", 1)


# --- ping -I: alias labels and lo (tutorials40c_sobrelinux_alias_ping_source)

_ALIAS = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add far",
          "ip link set lo up", "ip link add veth0b type veth peer name veth0a netns far",
          "ip addr add 10.0.0.1/24 dev veth0b", "ip link set veth0b up",
          "ip -n far addr add 10.0.0.254/24 dev veth0a", "ip -n far link set veth0a up",
          "ifconfig veth0b:1 add 10.0.0.2")


def test_ping_i_with_a_colon_is_an_ipv6_source():
    # main(): strchr(optarg, ':') takes -I as an IPv6 address; an alias label is not
    shell = _shell(*_ALIAS)
    assert _run(shell, "ping -c 1 -W 1 -I veth0b:1 10.0.0.254") == (
        "ping: invalid source address: veth0b:1\n", 2)


def test_ping_i_dev_warns_when_the_source_is_an_alias_address():
    # getifaddrs() names an IPv4 address by its label: 10.0.0.2 is veth0b:1:0's
    shell = _shell(*_ALIAS)
    text, status = _run(shell, "ping -c 1 -W 1 -I veth0b 10.0.0.2")
    assert status == 0 and text.startswith(
        "ping: Warning: source address might be selected on device other than: veth0b\n"
        "PING 10.0.0.2 (10.0.0.2) from 10.0.0.2 veth0b: 56(84) bytes of data.\n")


def test_ping_bound_to_lo_loses_the_reply_from_another_devices_address():
    # the echo goes out on lo as on its link (no route has lo for 10.0.0.1), is
    # answered, and the reply's rt_iif is veth0b (its local route's device): a socket
    # bound to lo does not get it (raw_v4_match()); both cross lo, no ARP
    shell = _shell(*_ALIAS)
    assert _run(shell, "ping -c 1 -W 1 -I lo 10.0.0.1") == (
        "ping: Warning: source address might be selected on device other than: lo\n"
        "PING 10.0.0.1 (10.0.0.1) from 10.0.0.1 lo: 56(84) bytes of data.\n\n"
        "--- 10.0.0.1 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)
    text, _ = _run(shell, "ip -s link show lo")
    assert text.splitlines()[3].split()[:2] == ["168", "2"]


# --- fib_select_default(): a dead gateway hands the flow to the next default route
# of its metric (tutorials40c_nichewares_redundant_defaults)

_TWO_GATEWAYS = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add g1",
                 "ip netns add g2", "ip link set lo up",
                 "ip link add eth0 type veth peer name wan netns g1",
                 "ip link add eth1 type veth peer name wan netns g2",
                 "ip addr add 10.1.0.2/24 dev eth0", "ip addr add 10.2.0.2/24 dev eth1",
                 "ip link set eth0 up", "ip link set eth1 up",
                 "ip -n g1 addr add 10.1.0.1/24 dev wan",
                 "ip -n g2 addr add 10.2.0.1/24 dev wan",
                 "ip -n g1 addr add 8.8.8.8/32 dev lo", "ip -n g2 addr add 8.8.8.8/32 dev lo",
                 "ip -n g1 link set lo up", "ip -n g2 link set lo up",
                 "ip -n g1 link set wan up", "ip -n g2 link set wan up",
                 "ip -n g1 route add default via 10.1.0.2",
                 "ip -n g2 route add default via 10.2.0.2")
_VIA_G1 = ("8.8.8.8 via 10.1.0.1 dev eth0 src 10.1.0.2 uid 0 \n    cache \n", 0)
_VIA_G2 = ("8.8.8.8 via 10.2.0.1 dev eth1 src 10.2.0.2 uid 0 \n    cache \n", 0)


def test_a_dead_gateway_hands_over_to_the_next_default_route_of_its_metric():
    # an INCOMPLETE (then FAILED) entry of the first gateway is dead: the appended
    # route of the same metric takes the flows, pings included; a gateway with no
    # entry at all is alive again
    shell = _shell(*_TWO_GATEWAYS, "ip route add default via 10.1.0.1",
                   "ip route append default via 10.2.0.1")
    assert _run(shell, "ip route get 8.8.8.8") == _VIA_G1
    shell.run_line("ip -n g1 addr del 10.1.0.1/24 dev wan")
    shell.run_line("ping -c 1 -W 1 8.8.8.8")
    assert _run(shell, "ip neigh show dev eth0") == ("10.1.0.1 INCOMPLETE \n", 0)
    assert _run(shell, "ip route get 8.8.8.8") == _VIA_G2
    text, status = _run(shell, "ping -c 2 -W 1 8.8.8.8")
    assert status == 0 and "2 received" in text
    shell.run_line("sleep 3")
    assert _run(shell, "ip neigh show dev eth0") == ("10.1.0.1 FAILED \n", 0)
    assert _run(shell, "ip route get 8.8.8.8") == _VIA_G2
    shell.run_line("ip -n g1 addr add 10.1.0.1/24 dev wan")
    assert _run(shell, "ip route get 8.8.8.8") == _VIA_G2
    shell.run_line("ip neigh flush dev eth0")
    assert _run(shell, "ip route get 8.8.8.8") == _VIA_G1


def test_a_higher_metric_never_takes_over_from_a_dead_gateway():
    # fib_select_default() stops at the first route of a higher metric
    shell = _shell(*_TWO_GATEWAYS, "ip route add default via 10.1.0.1 metric 1",
                   "ip route add default via 10.2.0.1 metric 10",
                   "ip -n g1 addr del 10.1.0.1/24 dev wan", "ping -c 1 -W 1 8.8.8.8")
    assert _run(shell, "ip route get 8.8.8.8") == (
        "8.8.8.8 via 10.1.0.1 dev eth0 src 10.1.0.2 uid 0 \n    cache \n", 0)


# --- traceroute -I: its raw socket is bound and tuned before the header
# (tutorials40c_traceroute_bound_methods)

def test_traceroute_icmp_binds_to_the_device_and_fails_before_its_header():
    # icmp_init() -> tune_socket(): SO_BINDTODEVICE, then bind() of -s, both before
    # the header is printed (error()'s newline first); the echoes take the device
    shell = _shell(*_TWO_GATEWAYS, "ip route add default via 10.1.0.1")
    text, status = _run(shell, "traceroute -n -I -q 1 -m 2 -i eth1 8.8.8.8")
    assert status == 0 and " 1  8.8.8.8  " in text
    text, _ = _run(shell, "ip neigh show dev eth1")
    assert text.startswith("8.8.8.8 lladdr ")
    assert _run(shell, "traceroute -n -I -q 1 -m 2 -i eth9 8.8.8.8") == (
        "\nsetsockopt SO_BINDTODEVICE: No such device\n", 1)
    assert _run(shell, "traceroute -n -I -q 1 -m 2 -s 10.9.9.9 8.8.8.8") == (
        "\nbind: Cannot assign requested address\n", 1)
    assert _run(shell, "traceroute -n -q 1 -m 2 -s 10.9.9.9 8.8.8.8") == (
        "traceroute to 8.8.8.8 (8.8.8.8), 2 hops max, 60 byte packets\n"
        "bind: Cannot assign requested address\n", 1)


# --- broadcasts and groups: rp_filter, the reply's source, ping's warning
# (tutorials40c_rp_filter_broadcast)

_BRD = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add a",
        "ip link set lo up", "ip link add eth0 type veth peer name wan netns a",
        "ip link add eth1 type veth peer name wan1 netns a",
        "ip addr add 10.1.0.2/24 dev eth0", "ip addr add 10.3.0.2/24 dev eth1",
        "ip link set eth0 up", "ip link set eth1 up",
        "ip -n a addr add 10.1.0.1/24 dev wan", "ip -n a addr add 198.51.100.7/32 dev wan",
        "ip -n a link set wan up", "ip -n a link set wan1 up", "ip -n a link set lo up",
        "ip route add 198.51.100.0/24 dev eth1",
        "sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0")


def test_rp_filter_checks_broadcast_and_multicast_sources():
    # brd_input and ip_mc_validate_source(): fib_validate_source() with daddr 0
    shell = _shell(*_BRD, "sysctl -qw net.ipv4.conf.eth0.rp_filter=1")
    for dst in ("10.1.0.255", "255.255.255.255", "224.0.0.1"):
        assert _run(shell, f"ip route get {dst} from 198.51.100.7 iif eth0") == EINVAL
    assert _run(shell, "ip route get 10.1.0.255 from 10.1.0.9 iif eth0") == (
        "broadcast 10.1.0.255 from 10.1.0.9 dev lo \n"
        "    cache <local,brd> iif eth0 \n", 0)
    assert _run(shell, "ip route get 255.255.255.255 from 0.0.0.0 iif eth0") == (
        "broadcast 255.255.255.255 dev lo \n    cache <local,brd> iif eth0 \n", 0)


def test_a_broadcast_ping_is_answered_from_the_way_backs_source_and_warns_without_i():
    # icmp_reply() -> fib_compute_spec_dst(): the prefsrc of the route back (out of
    # eth1); ping prints its broadcast warning only from the probe connect(), which
    # -I ADDR skips
    shell = _shell(*_BRD)
    text, status = _run(shell, "ip netns exec a ping -c 1 -W 1 -b -I 198.51.100.7 10.1.0.255")
    assert status == 0 and text.startswith(
        "PING 10.1.0.255 (10.1.0.255) from 198.51.100.7 : 56(84) bytes of data.\n"
        "64 bytes from 10.3.0.2: icmp_seq=1 ")
    text, status = _run(shell, "ip netns exec a ping -c 1 -W 1 -b 10.1.0.255")
    assert status == 0 and text.startswith(
        "WARNING: pinging broadcast address\n"
        "PING 10.1.0.255 (10.1.0.255) 56(84) bytes of data.\n"
        "64 bytes from 10.1.0.2: icmp_seq=1 ")


def test_a_group_ping_from_a_given_source_leaves_by_that_sources_device():
    # ip_route_output_key_hash_rcu()'s "special hack": a multicast (or the limited
    # broadcast) from a source of ours goes out of its device without any route;
    # the answer comes from the way back's source (out of eth1)
    shell = _shell(*_BRD)
    assert _run(shell, "ip netns exec a ping -c 1 -W 1 224.0.0.1") == (
        "ping: connect: Network is unreachable\n", 2)
    for line in ("ping -c 1 -W 1 -I 198.51.100.7 224.0.0.1",
                 "ping -c 1 -W 1 -b -I 198.51.100.7 255.255.255.255"):
        text, status = _run(shell, f"ip netns exec a {line}")
        assert status == 0 and "\n64 bytes from 10.3.0.2: icmp_seq=1 " in text, line
