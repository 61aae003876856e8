"""A vxlan device that is up holds a kernel UDP socket on its port (vxlan_open() ->
vxlan_sock_add()), which ss and netstat list. Recorded on the machine (the whole case:
tests/oracle_cases/lead44_vxlan_udp_socket)."""
from __future__ import annotations

from ipemu.session import Session

HEAD = "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
EMPTY = "State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
V4 = "UNCONN 0      0            0.0.0.0:4789      0.0.0.0:*          \n"
V6 = "UNCONN 0      0               [::]:4789         [::]:*          \n"


def run(s: Session, line: str) -> str:
    term, status = s.run_line(line)
    assert status == 0, (line, term.text())
    return term.stream("stdout")


def test_the_socket_comes_with_the_first_up_and_goes_with_the_last_down():
    s = Session.create("default", "bare")
    run(s, "ip link add vxlan0 type vxlan id 100 remote 10.0.0.2 dstport 4789 dev lo")
    assert run(s, "ss -uln") == EMPTY
    run(s, "ip link set vxlan0 up")
    assert run(s, "ss -uln") == HEAD + V4
    run(s, "ip link add vxlan1 type vxlan id 101 remote 10.0.0.3 dstport 4789 dev lo")
    run(s, "ip link set vxlan1 up")
    assert run(s, "ss -uln") == HEAD + V4            # one socket, shared
    run(s, "ip link set vxlan0 down")
    assert run(s, "ss -uln") == HEAD + V4
    run(s, "ip link set vxlan1 down")
    assert run(s, "ss -uln") == EMPTY


def test_families_and_netstat():
    s = Session.create("default", "bare")
    run(s, "ip link add vx6 type vxlan id 6 remote 2001:db8::2 dstport 4789")
    run(s, "ip link set vx6 up")
    assert run(s, "ss -uln") == HEAD + V6
    assert run(s, "netstat -uln").splitlines()[2:] == [
        "udp6       0      0 :::4789                 :::*                               "]
    assert run(s, "netstat -ua").splitlines()[2:] == [
        "udp6       0      0 [::]:4789               [::]:*                             "]
    run(s, "ip link add vxe type vxlan external dstport 4789")
    run(s, "ip link set vxe up")
    assert run(s, "ss -uln") == HEAD + V4 + V6
    assert run(s, "ss -u") == "Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
