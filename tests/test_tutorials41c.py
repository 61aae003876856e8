"""The fixes round 41's sysctl tutorials led to (their cases, tutorials41c_, are
replayed whole by test_rounds.py). Every expected text was recorded on the project's
Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a pty:
Linux 6.18, iproute2 6.1, iputils 20221126, procps sysctl), twice, the two recordings
alike under diff.py's masks; the sysctl bounds by bisecting `sysctl -w` in a fresh
namespace of that machine."""
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


# --- arp_ignore: inet_confirm_addr() (tutorials41c_braincoke_arp_ignore_levels)

_ARP_IGNORE = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add a",
               "ip link add eth0 address 02:00:00:00:01:01 type veth peer name veth0 "
               "address 02:00:00:00:01:02 netns a",
               "ip addr add 10.0.1.1/24 dev eth0",
               "ip addr add 10.0.1.77/32 scope host dev eth0", "ip link set eth0 up",
               "ip -n a addr add 10.0.1.2/24 dev veth0", "ip -n a link set veth0 up")
_ARPING = "ip netns exec a arping -c 1 -w 1 -I veth0 10.0.1.77 | sed -E 's/[0-9.]+ms$/Nms/'"


def test_arp_ignore_2_confirms_a_host_address_on_the_senders_subnet():
    # confirm_addr_indev(): the sender and the target need only share some address's
    # subnet on the device (10.0.1.0/24 here), not the target's own /32
    shell = _shell(*_ARP_IGNORE, "sysctl -w net.ipv4.conf.eth0.arp_ignore=2")
    assert _run(shell, _ARPING) == (
        "ARPING 10.0.1.77 from 10.0.1.2 veth0\n"
        "Unicast reply from 10.0.1.77 [02:00:00:00:01:01]  Nms\n"
        "Sent 1 probes (1 broadcast(s))\n"
        "Received 1 response(s)\n", 0)


def test_arp_ignore_3_refuses_a_host_scope_address():
    shell = _shell(*_ARP_IGNORE, "sysctl -w net.ipv4.conf.eth0.arp_ignore=3")
    assert _run(shell, _ARPING) == (
        "ARPING 10.0.1.77 from 10.0.1.2 veth0\n"
        "Sent 1 probes (1 broadcast(s))\n"
        "Received 0 response(s)\n", 0)


# --- the bounds of the net. sysctls (ipemu/kernel/sysctl_bounds.txt)

def test_boolean_u8_sysctls_refuse_2():
    shell = _shell()
    for key in ("net.ipv4.icmp_errors_use_inbound_ifaddr", "net.ipv4.fib_multipath_use_neigh",
                "net.ipv6.icmp.error_anycast_as_unicast", "net.ipv4.tcp_l3mdev_accept"):
        assert _run(shell, f"sysctl -w {key}=2") == (
            f'sysctl: setting key "{key}": Invalid argument\n', 1)
        assert _run(shell, f"sysctl -w {key}=1") == (f"{key} = 1\n", 0)


def test_u8_and_minmax_sysctls():
    shell = _shell("ip link add veth0 type veth peer name veth1")
    for key, bad, good in (("net.ipv6.icmp.echo_ignore_all", "256", "3"),
                           ("net.ipv4.tcp_syn_retries", "0", "127"),
                           ("net.ipv4.route.min_pmtu", "67", "68"),
                           ("net.ipv4.igmp_qrv", "0", "70000"),
                           ("net.ipv4.neigh.veth0.unres_qlen", "1027505", "1027504"),
                           ("net.ipv6.neigh.veth0.interval_probe_time_ms", "0", "1"),
                           ("net.ipv4.icmp_msgs_burst", "-1", "0")):
        assert _run(shell, f"sysctl -w {key}={bad}")[1] == 1, key
        assert _run(shell, f"sysctl -w {key}={good}")[1] == 0, key


def test_frag_thresholds_bound_each_other():
    shell = _shell()
    assert _run(shell, "sysctl -w net.ipv4.ipfrag_high_thresh=3145727")[1] == 1
    assert _run(shell, "sysctl -w net.ipv4.ipfrag_low_thresh=4194305")[1] == 1
    assert _run(shell, "sysctl -w net.ipv6.ip6frag_low_thresh=4194304") == (
        "net.ipv6.ip6frag_low_thresh = 4194304\n", 0)


def test_ms_sysctls_read_back_in_jiffies():
    # proc_dointvec_ms_jiffies: HZ 250, so 1 ms is one jiffy, which reads 4
    shell = _shell("ip link add veth0 type veth peer name veth1")
    for key in ("net.ipv4.icmp_ratelimit", "net.ipv6.icmp.ratelimit",
                "net.ipv4.neigh.veth0.retrans_time_ms",
                "net.ipv6.conf.veth0.mldv2_unsolicited_report_interval"):
        shell.run_line(f"sysctl -qw {key}=1")
        assert _run(shell, f"sysctl -n {key}") == ("4\n", 0), key


def test_userhz_sysctls_read_back_through_jiffies():
    # clock_t 3 is 7 jiffies at HZ 250, which read 2; -1 saturates and reads -0
    shell = _shell("ip link add veth0 type veth peer name veth1")
    for value, read in (("3", "2"), ("1", "0"), ("-1", "-0"), ("100", "100")):
        shell.run_line(f"sysctl -qw net.ipv4.neigh.veth0.locktime={value}")
        assert _run(shell, "sysctl -n net.ipv4.neigh.veth0.locktime") == (read + "\n", 0)


# --- bc_forwarding: IN_DEV_BFORWARD() (tutorials41c_bc_forwarding_directed)

_BC = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
       "ip link add in0 type veth peer name in1", "ip link add br0 type bridge",
       "ip addr add 10.0.1.254/24 dev in0", "ip addr add 10.0.2.254/24 dev br0",
       "ip link set in0 up", "ip link set in1 up", "ip link set br0 up")


def test_bc_forwarding_of_the_input_device_and_all_forwards_directed_broadcasts():
    shell = _shell(*_BC, "sysctl -qw net.ipv4.conf.all.bc_forwarding=1",
                   "sysctl -qw net.ipv4.conf.br0.bc_forwarding=1")
    get = "ip route get 10.0.2.255 from 10.0.1.1 iif in0"
    assert _run(shell, get) == ("broadcast 10.0.2.255 from 10.0.1.1 dev lo \n"
                                "    cache <local,brd> iif in0 \n", 0)
    shell.run_line("sysctl -qw net.ipv4.conf.in0.bc_forwarding=1")
    assert _run(shell, get) == ("broadcast 10.0.2.255 from 10.0.1.1 dev br0 \n"
                                "    cache iif in0 \n", 0)


# --- proxy_arp_pvlan: arp_fwd_pvlan() (tutorials41c_kerneldoc_proxy_arp_pvlan)

_PVLAN = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add sw",
          "ip netns add a", "ip netns add b",
          "ip -n sw link add br0 type bridge",
          "ip -n sw link add p1 type veth peer name eth0 address 02:00:00:00:00:01 netns a",
          "ip -n sw link add p2 type veth peer name eth0 address 02:00:00:00:00:02 netns b",
          "ip -n sw link set p1 master br0 up", "ip -n sw link set p2 master br0 up",
          "ip -n sw link set br0 up",
          "bridge -n sw link set dev p1 isolated on", "bridge -n sw link set dev p2 isolated on",
          "ip -n a addr add 10.0.0.1/24 dev eth0", "ip -n a link set eth0 up",
          "ip -n b addr add 10.0.0.2/24 dev eth0", "ip -n b link set eth0 up",
          "ip link add r0 address 02:00:00:00:00:fe type veth peer name p3 netns sw",
          "ip -n sw link set p3 master br0 up", "ip addr add 10.0.0.254/24 dev r0",
          "ip link set r0 up", "sleep 1", "sysctl -qw net.ipv4.ip_forward=1")
_ARPING_B = "ip netns exec a arping -c 1 -w 1 -I eth0 10.0.0.2 | sed -E 's/[0-9.]+ms$/Nms/'"


def test_proxy_arp_pvlan_answers_for_a_host_on_the_same_device():
    shell = _shell(*_PVLAN)
    assert _run(shell, _ARPING_B) == ("ARPING 10.0.0.2 from 10.0.0.1 eth0\n"
                                      "Sent 1 probes (1 broadcast(s))\n"
                                      "Received 0 response(s)\n", 0)
    shell.run_line("sysctl -qw net.ipv4.conf.all.proxy_arp_pvlan=1")   # IN_DEV_ORCONF
    assert _run(shell, _ARPING_B) == ("ARPING 10.0.0.2 from 10.0.0.1 eth0\n"
                                      "Unicast reply from 10.0.0.2 [02:00:00:00:00:FE]  Nms\n"
                                      "Sent 1 probes (1 broadcast(s))\n"
                                      "Received 1 response(s)\n", 0)
    out, _ = _run(shell, "ip netns exec a ping -c 1 10.0.0.2")
    assert out.splitlines()[1:3] == [
        "From 10.0.0.254: icmp_seq=1 Redirect Host(New nexthop: 10.0.0.2)",
        out.splitlines()[2]] and " ttl=63 " in out.splitlines()[2]


# --- net.ipv6.icmp.echo_ignore_all / echo_ignore_multicast (tutorials41c_echo_ignore_v4_v6)

_ECHO6 = ("sysctl -qw net.ipv6.conf.default.accept_dad=0", "ip netns add t",
          "ip netns exec t sysctl -qw net.ipv6.conf.default.accept_dad=0",
          "ip link add veth0 address 02:00:00:00:00:01 type veth peer name eth0 "
          "address 02:00:00:00:00:02 netns t",
          "ip addr add 2001:db8::1/64 dev veth0", "ip link set veth0 up",
          "ip -n t addr add 2001:db8::2/64 dev eth0", "ip -n t link set eth0 up",
          "ip -n t link set lo up", "sleep 1")
_LOST6 = ("PING 2001:db8::2(2001:db8::2) 56 data bytes\n\n"
          "--- 2001:db8::2 ping statistics ---\n"
          "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)


def test_ipv6_echo_ignore_all_any_nonzero_value():
    shell = _shell(*_ECHO6)
    for value in ("1", "2"):
        shell.run_line(f"ip netns exec t sysctl -qw net.ipv6.icmp.echo_ignore_all={value}")
        assert _run(shell, "ping -6 -c 1 -W 1 2001:db8::2") == _LOST6
    shell.run_line("ip netns exec t sysctl -qw net.ipv6.icmp.echo_ignore_all=0")
    assert _run(shell, "ping -6 -c 1 -W 1 2001:db8::2")[1] == 0


def test_ipv6_echo_ignore_multicast_leaves_unicast_answered():
    shell = _shell(*_ECHO6, "ip netns exec t sysctl -qw net.ipv6.icmp.echo_ignore_multicast=1",
                   "sysctl -qw net.ipv6.icmp.echo_ignore_multicast=1")
    out, _ = _run(shell, "ping -6 -c 1 -W 1 -I veth0 ff02::1")
    assert "64 bytes" not in out
    assert _run(shell, "ping -6 -c 1 -W 1 2001:db8::2")[1] == 0


# --- secure_redirects (tutorials41c_shared_media_secure_redirects)

_REDIRECT = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add h",
             "ip netns add r1", "ip netns add r2", "ip link add br0 type bridge",
             "ip link add ph type veth peer name eth0 netns h",
             "ip link add p1 type veth peer name eth0 netns r1",
             "ip link add p2 type veth peer name eth0 netns r2",
             "ip link set ph master br0 up", "ip link set p1 master br0 up",
             "ip link set p2 master br0 up", "ip link set br0 up",
             "ip -n h addr add 10.0.0.10/24 dev eth0", "ip -n h link set eth0 up",
             "ip -n h route add default via 10.0.0.1",
             "ip -n r1 addr add 10.0.0.1/24 dev eth0", "ip -n r1 link set eth0 up",
             "ip -n r1 route add 10.9.0.0/24 via 10.0.0.2",
             "ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1",
             "ip -n r2 addr add 10.0.0.2/24 dev eth0", "ip -n r2 addr add 10.9.0.1/32 dev lo",
             "ip -n r2 link set eth0 up", "ip -n r2 link set lo up", "sleep 1",
             "ip -n h neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev eth0",
             "ip netns exec h sysctl -qw net.ipv4.conf.all.shared_media=0",
             "ip netns exec h sysctl -qw net.ipv4.conf.eth0.shared_media=0")


def test_secure_redirects_want_a_gateway_a_route_names():
    shell = _shell(*_REDIRECT, "ip netns exec h ping -c 1 10.9.0.1")
    assert _run(shell, "ip -n h route get 10.9.0.1")[0].startswith("10.9.0.1 via 10.0.0.1 ")
    shell.run_line("ip -n h route add 10.8.0.0/24 via 10.0.0.2")
    shell.run_line("sleep 1")       # past r1's redirect backoff
    shell.run_line("ip netns exec h ping -c 1 10.9.0.1")
    out, _ = _run(shell, "ip -n h route get 10.9.0.1")
    assert out.startswith("10.9.0.1 via 10.0.0.2 dev eth0 src 10.0.0.10 uid 0 \n"
                          "    cache <redirected> expires 29")


# --- drop_gratuitous_arp (tutorials41c_garlicspace_arp_accept_garp)

def test_drop_gratuitous_arp_ignores_gratuitous_requests_and_replies():
    shell = _shell("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add p",
                   "ip link add eth0 address 02:00:00:00:00:01 type veth peer name eth0 "
                   "address 02:00:00:00:00:02 netns p",
                   "ip addr add 10.0.0.1/24 dev eth0", "ip link set eth0 up",
                   "ip -n p addr add 10.0.0.2/24 dev eth0", "ip -n p link set eth0 up",
                   "sysctl -qw net.ipv4.conf.all.arp_accept=1",
                   "ip netns exec p arping -q -U -c 1 -I eth0 10.0.0.2",
                   "sysctl -qw net.ipv4.conf.all.drop_gratuitous_arp=1",
                   "ip -n p link set eth0 address 02:00:00:00:00:23",
                   "ip netns exec p arping -q -U -c 1 -I eth0 10.0.0.2",
                   "ip netns exec p arping -q -A -c 1 -I eth0 10.0.0.2")
    assert _run(shell, "ip neigh show 10.0.0.2") == (
        "10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 STALE \n", 0)


# --- icmp_ratelimit 0 empties the peer's bucket (tutorials41c_default_ttl_ratemask)

def test_icmp_ratelimit_zero_leaves_the_bucket_empty():
    shell = _shell("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add r",
                   "ip link add eth0 type veth peer name in0 netns r",
                   "ip -n r link add out0 type veth peer name out1",
                   "ip addr add 10.0.1.1/24 dev eth0", "ip link set eth0 up",
                   "ip route add default via 10.0.1.254",
                   "ip -n r addr add 10.0.1.254/24 dev in0",
                   "ip -n r addr add 10.0.2.254/24 dev out0", "ip -n r link set in0 up",
                   "ip -n r link set out0 up", "ip -n r link set out1 up",
                   "ip netns exec r sysctl -qw net.ipv4.ip_forward=1", "sleep 1")
    ping = "ping -c 10 -i 0.2 -t 1 10.0.2.1 | grep -c 'Time to live exceeded'"
    assert _run(shell, ping)[0] == "7\n"        # a burst of 6, one more refilled
    shell.run_line("sleep 7")
    shell.run_line("ip netns exec r sysctl -qw net.ipv4.icmp_ratelimit=0")
    assert _run(shell, ping)[0] == "10\n"
    shell.run_line("ip netns exec r sysctl -qw net.ipv4.icmp_ratelimit=1000")
    shell.run_line("ip netns exec r sysctl -qw net.ipv4.icmp_ratemask=0")
    assert _run(shell, ping)[0] == "10\n"       # unlimited, the bucket untouched
    shell.run_line("ip netns exec r sysctl -qw net.ipv4.icmp_ratemask=6168")
    assert _run(shell, ping)[0] == "3\n"        # refilled from empty for ~2 s
    out, _ = _run(shell, "ip netns exec r nstat -az IcmpOutRateLimitHost")
    assert "IcmpOutRateLimitHost            10 " in out


# --- accept_local is IN_DEV_ORCONF (tutorials41c_kerneldoc_accept_local_wire)

def test_accept_local_of_conf_all_is_enough():
    shell = _shell("sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                   "ip link add veth0 type veth peer name veth1",
                   "ip addr add 10.1.0.1/24 dev veth0", "ip addr add 10.2.0.1/24 dev veth1",
                   "ip link set veth0 up", "ip link set veth1 up")
    get = "ip route get 10.2.0.1 from 10.1.0.1 iif veth1"
    assert _run(shell, get) == ("RTNETLINK answers: Invalid argument\n", 2)
    shell.run_line("sysctl -qw net.ipv4.conf.all.accept_local=1")
    assert _run(shell, get) == ("local 10.2.0.1 from 10.1.0.1 dev lo \n"
                                "    cache <local> iif veth1 \n", 0)


# --- route/min_pmtu locks, ip_no_pmtu_disc (tutorials41c_pmtu_sysctls)

_PMTU = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add r", "ip netns add s",
         "ip netns exec r sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
         "ip netns exec s sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
         "ip link add eth0 type veth peer name in0 netns r",
         "ip -n r link add out0 mtu 1280 type veth peer name eth0 mtu 1280 netns s",
         "ip addr add 10.0.1.1/24 dev eth0", "ip link set eth0 up",
         "ip route add default via 10.0.1.254", "ip -n r addr add 10.0.1.254/24 dev in0",
         "ip -n r addr add 10.0.2.254/24 dev out0", "ip -n r link set in0 up",
         "ip -n r link set out0 up", "ip -n s addr add 10.0.2.1/24 dev eth0",
         "ip -n s link set eth0 up", "ip -n s route add default via 10.0.2.254",
         "ip netns exec r sysctl -qw net.ipv4.ip_forward=1", "sleep 1")


def test_a_path_mtu_below_min_pmtu_is_locked_at_min_pmtu():
    shell = _shell(*_PMTU, "sysctl -qw net.ipv4.route.min_pmtu=1400",
                   "ping -c 1 -M do -s 1300 10.0.2.1")
    assert _run(shell, "ip route get 10.0.2.1") == (
        "10.0.2.1 via 10.0.1.254 dev eth0 src 10.0.1.1 uid 0 \n"
        "    cache expires 599sec mtu lock 1400 \n", 0)
    out, _ = _run(shell, "ping -c 1 -M do -s 1380 10.0.2.1")
    assert "ping: local error: message too long, mtu=1400\n" in out


def test_ip_no_pmtu_disc_sockets_send_without_df_and_errors_carry_no_mtu():
    shell = _shell(*_PMTU, "sysctl -qw net.ipv4.ip_no_pmtu_disc=1")
    out, status = _run(shell, "ping -c 1 -s 1400 10.0.2.1")
    assert "1408 bytes from 10.0.2.1: icmp_seq=1 ttl=63 " in out and status == 0
    out, _ = _run(shell, "ping -c 1 -M do -s 1400 10.0.2.1")
    assert "From 10.0.1.254 icmp_seq=1 Frag needed and DF set (mtu = 0)\n" in out
    assert _run(shell, "ip route get 10.0.2.1")[0].endswith("mtu lock 552 \n")


# --- mcast_solicit 0: FAILED at once (tutorials41c_neigh_solicit_sysctls)

def test_no_multicast_probes_fail_the_entry_at_once_silently():
    shell = _shell("sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                   "ip link add eth0 type veth peer name eth1",
                   "ip addr add 10.0.0.1/24 dev eth0", "ip link set eth0 up",
                   "ip link set eth1 up", "ip link set lo up",
                   "sysctl -qw net.ipv4.neigh.eth0.mcast_solicit=0")
    assert _run(shell, "ping -c 1 -W 1 10.0.0.9") == (
        "PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.\n\n"
        "--- 10.0.0.9 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)
    assert _run(shell, "ip neigh show 10.0.0.9") == ("10.0.0.9 dev eth0 FAILED \n", 0)


# --- ip_nonlocal_bind: IPv4 binds but cannot send (tutorials41c_nonlocal_bind_ping)

def test_ipv4_nonlocal_source_binds_but_nothing_is_sent():
    shell = _shell("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add p",
                   "ip link add veth0 type veth peer name eth0 netns p",
                   "ip addr add 10.0.0.1/24 dev veth0", "ip link set veth0 up",
                   "ip -n p addr add 10.0.0.2/24 dev eth0", "ip -n p link set eth0 up")
    ping = "ping -c 1 -W 1 -I 10.0.0.100 10.0.0.2"
    assert _run(shell, ping) == ("ping: bind: Cannot assign requested address\n", 2)
    shell.run_line("sysctl -qw net.ipv4.ip_nonlocal_bind=1")
    assert _run(shell, ping) == (
        "PING 10.0.0.2 (10.0.0.2) from 10.0.0.100 : 56(84) bytes of data.\n\n"
        "--- 10.0.0.2 ping statistics ---\n"
        "1 packets transmitted, 0 received, 100% packet loss, time 0ms\n\n", 1)
    assert _run(shell, "ip -n p neigh show 10.0.0.100") == ("", 0)


# --- medium_id and proxy_arp: arp_fwd_proxy() (tutorials41c_kerneldoc_proxy_arp_medium_id)

def test_proxy_arp_follows_the_medium_ids():
    shell = _shell("sysctl -qw net.ipv6.conf.default.disable_ipv6=1", "ip netns add a",
                   "ip link add in0 address 02:00:00:00:01:fe type veth peer name eth0 "
                   "netns a", "ip link add out0 type veth peer name out1",
                   "ip addr add 10.0.1.254/24 dev in0", "ip addr add 10.0.2.254/24 dev out0",
                   "ip link set in0 up", "ip link set out0 up", "ip link set out1 up",
                   "ip -n a addr add 10.0.1.1/16 dev eth0", "ip -n a link set eth0 up",
                   "sysctl -qw net.ipv4.ip_forward=1", "sysctl -qw net.ipv4.conf.in0.proxy_arp=1",
                   "sysctl -qw net.ipv4.neigh.in0.proxy_delay=0")
    arping = "ip netns exec a arping -c 1 -w 1 -I eth0 10.0.2.1 | grep -c Unicast"
    for in_id, out_id, answered in (("0", "0", "1"), ("-1", "0", "0"), ("1", "1", "0"),
                                    ("1", "2", "1"), ("1", "-1", "0")):
        shell.run_line(f"sysctl -qw net.ipv4.conf.in0.medium_id={in_id}")
        shell.run_line(f"sysctl -qw net.ipv4.conf.out0.medium_id={out_id}")
        assert _run(shell, arping)[0] == answered + "\n", (in_id, out_id)


# --- IPv6 forwards by conf/all (or force_forwarding) (tutorials41c_ipv6_forwarding_per_device)

def test_ipv6_forwarding_is_all_or_force_forwarding_not_the_device():
    shell = _shell("sysctl -qw net.ipv6.conf.default.accept_dad=0", "ip netns add r",
                   "ip netns add s",
                   "ip netns exec r sysctl -qw net.ipv6.conf.default.accept_dad=0",
                   "ip netns exec s sysctl -qw net.ipv6.conf.default.accept_dad=0",
                   "ip link add eth0 type veth peer name in0 netns r",
                   "ip -n r link add out0 type veth peer name eth0 netns s",
                   "ip addr add 2001:db8:1::1/64 dev eth0", "ip link set eth0 up",
                   "ip -6 route add default via 2001:db8:1::fe",
                   "ip -n r addr add 2001:db8:1::fe/64 dev in0",
                   "ip -n r addr add 2001:db8:2::fe/64 dev out0", "ip -n r link set in0 up",
                   "ip -n r link set out0 up", "ip -n s addr add 2001:db8:2::1/64 dev eth0",
                   "ip -n s link set eth0 up", "ip -n s -6 route add default via 2001:db8:2::fe",
                   "sleep 1")
    ping = "ping -6 -c 1 -W 1 2001:db8:2::1"
    shell.run_line("ip netns exec r sysctl -qw net.ipv6.conf.in0.forwarding=1")
    shell.run_line("ip netns exec r sysctl -qw net.ipv6.conf.out0.forwarding=1")
    assert _run(shell, ping)[1] == 1
    shell.run_line("ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1")
    shell.run_line("ip netns exec r sysctl -qw net.ipv6.conf.in0.forwarding=0")
    assert _run(shell, ping)[1] == 0
    shell.run_line("ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=0")
    shell.run_line("ip netns exec r sysctl -qw net.ipv6.conf.in0.force_forwarding=1")
    shell.run_line("ip netns exec r sysctl -qw net.ipv6.conf.out0.force_forwarding=1")
    assert _run(shell, ping)[1] == 0
