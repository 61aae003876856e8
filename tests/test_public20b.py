"""Fixes found replaying the sixth pass of public material (public20b): each against
what the recording kernel printed (transcripts/public/baconyao_direct_routing.txt,
xonex_de_netns_blue.txt)."""
from __future__ import annotations

from ipemu.session import Session


def run(session: Session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


def test_proc_sys_write_in_a_namespace_is_that_namespaces():
    # `ip netns exec NS sh -c 'echo 0 > /proc/sys/...'`: the shell's /proc/sys/net is
    # NS's, and per-device keys exist only where the device is
    session = Session.create(scenario="bare")
    run(session, "ip netns add ns1")
    run(session, "ip netns exec ns1 sysctl -w net.ipv4.ip_forward=1")
    run(session, "ip netns exec ns1 sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'")
    assert run(session, "ip netns exec ns1 cat /proc/sys/net/ipv4/ip_forward")[0] == "0\n"
    run(session, "ip link add va type veth peer name vb")
    run(session, "ip link set vb netns ns1")
    out, _ = run(session, "ip netns exec ns1 sh -c 'echo 1 > /proc/sys/net/ipv4/conf/vb/forwarding'")
    assert out == ""
    assert run(session, "ip netns exec ns1 sysctl net.ipv4.conf.vb.forwarding")[0] == \
        "net.ipv4.conf.vb.forwarding = 1\n"
    assert run(session, "sysctl net.ipv4.ip_forward")[0] == "net.ipv4.ip_forward = 0\n"


def test_route_get_iif_without_a_route_on_a_device_that_does_not_forward():
    # ip_route_input_slow(): a failed fib_lookup() is EHOSTUNREACH unless the device
    # forwards, then the lookup's own ENETUNREACH
    session = Session.create(scenario="bare")
    run(session, "ip link add va type veth peer name vb")
    run(session, "ip addr add 192.168.100.1/24 dev va")
    run(session, "ip link set va up")
    line = "ip route get 1.1.1.1 from 192.168.100.2 iif va"
    assert run(session, line) == ("RTNETLINK answers: No route to host\n", 2)
    run(session, "sysctl -w net.ipv4.ip_forward=1")
    assert run(session, line) == ("RTNETLINK answers: Network is unreachable\n", 2)


def test_ip_s_h_scales_the_counters_as_print_num():
    # recorded on the Debian 12 host (iproute2 6.1): 1.25k, 44.5k, 43.5ki, 3.73M,
    # 2.50k packets, 3.56Mi, 2.44ki; below the base the count as is
    from ipemu.render.link import print_num
    assert print_num(10, 1250, 1) == "     1.25k "
    assert print_num(10, 44500, 1) == "     44.5k "
    assert print_num(7, 2500, 1) == "  2.50k "
    assert print_num(10, 999, 1) == "       999 "
    assert print_num(10, 44544, 1, True) == "    43.5ki "
    assert print_num(10, 3_730_000, 1) == "     3.73M "
    assert print_num(10, 1250, 0) == "      1250 "


def test_bridge_netns_option_switches_namespace():
    # bridge.c main(): -n NAME is netns_switch(); the port's IFLA_LINK is named by
    # the index in that namespace (recorded: cardoso_pseudo_pods.txt)
    session = Session.create(scenario="bare")
    assert run(session, "bridge -n nope link") == (
        'Cannot open network namespace "nope": No such file or directory\n', 255)
    assert run(session, "bridge -n") == (
        'Cannot open network namespace "(null)": No such file or directory\n', 255)
    run(session, "ip netns add x")
    run(session, "ip -n x link add br0 type bridge")
    run(session, "ip -n x link add p0 type veth peer name p1")
    run(session, "ip -n x link set p0 master br0")
    out, status = run(session, "bridge -n x link")
    assert status == 0 and out.startswith("4: p0@p1: <BROADCAST,MULTICAST,M-DOWN>")
    assert run(session, "bridge link") == ("", 0)


def test_ip_loops_bounds_the_address_flush():
    # ip.c max_flush_loops (-loops N, atoi(); 0 unbounded): with one round the deletions
    # are never checked, and ipaddr_flush()'s 1 becomes exit(-1) (recorded on the host)
    session = Session.create(scenario="bare")
    run(session, "ip link add v0 type veth peer name v1")
    run(session, "ip addr add 10.1.0.1/24 dev v0")
    run(session, "ip addr add 10.1.0.2/24 dev v0")
    assert run(session, "ip -l 1 -s addr flush dev v0") == (
        "\n*** Round 1, deleting 2 addresses ***\n"
        "*** Flush remains incomplete after 1 rounds. ***\n", 255)
    run(session, "ip addr add 10.1.0.1/24 dev v0")
    assert run(session, "ip -loops 2 -s addr flush dev v0") == (
        "\n*** Round 1, deleting 1 addresses ***\n*** Flush is complete after 1 round ***\n",
        0)
    run(session, "ip addr add 10.1.0.1/24 dev v0")
    assert run(session, "ip -l x addr flush dev v0") == ("", 0)
