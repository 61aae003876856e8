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
