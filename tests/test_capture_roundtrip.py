"""A capture written by ipemu's `tcpdump -w` is a real pcap file: the real tcpdump
reads it and prints exactly the lines ipemu's own tcpdump prints for it."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from ipemu.session import Session

SETUP = """ip link set lo up
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip addr add 192.168.2.11/24 dev veth0
ip -6 addr add 2001:db8::11/64 dev veth0 nodad
ip link set veth0 up
ip -n ns1 addr add 192.168.2.12/24 dev veth1
ip -n ns1 -6 addr add 2001:db8::12/64 dev veth1 nodad
ip -n ns1 link set veth1 up
timeout 10 tcpdump -i {dev} -w cap.pcap &
sleep 1
ping -c 2 192.168.2.12
ping -c 1 192.168.2.99
ping -6 -c 2 2001:db8::12
echo hello > /dev/udp/192.168.2.12/5000
echo hi > /dev/udp/192.168.2.11/7
echo hello > /dev/udp/2001:db8::12/5000
echo query > /dev/udp/192.168.2.12/53
ip link add link veth0 name veth0.10 type vlan id 10
ip -n ns1 link add link veth1 name veth1.10 type vlan id 10
ip link add link veth0 name veth0.20 type vlan id 20 protocol 802.1ad
ip addr add 10.10.0.1/24 dev veth0.10
ip -n ns1 addr add 10.10.0.2/24 dev veth1.10
ip addr add 10.20.0.1/24 dev veth0.20
ip link set veth0.10 up
ip link set veth0.20 up
ip -n ns1 link set veth1.10 up
ping -c 1 10.10.0.2
ping -c 1 -W 1 10.20.0.2
wait"""


def _capture(dev: str) -> tuple[Session, bytes]:
    session = Session.create(scenario="bare", hostname="oracle")
    for line in SETUP.format(dev=dev).splitlines():
        session.run_line(line)
    data = session.read_file("cap.pcap")
    assert data, "tcpdump -w wrote nothing"
    return session, data


@pytest.mark.skipif(shutil.which("tcpdump") is None, reason="real tcpdump not installed")
# (-i any writes Linux cooked v2, whose interface names the reader takes from its own
# host's interfaces: that comparison would depend on the machine running the test)
@pytest.mark.parametrize("dev", ["veth0", "lo"])
@pytest.mark.parametrize("flags", [["-n", "-e", "-vv"], ["-n"], ["-nn", "-v", "-X"]])
def test_real_tcpdump_reads_what_ipemu_wrote(tmp_path, dev, flags):
    session, data = _capture(dev)
    path = tmp_path / "cap.pcap"
    path.write_bytes(data)
    real = subprocess.run(["tcpdump", "-r", str(path), *flags], capture_output=True,
                          text=True, check=False, env={"TZ": "UTC", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    assert real.returncode == 0, real.stderr
    term, status = session.run_line("tcpdump -r cap.pcap " + " ".join(flags))
    assert status == 0
    assert term.stream("stdout") == real.stdout
    assert real.stdout.count("\n") >= 1
    # the UDP datagrams and the port unreachables they earned are in the capture
    assert ("udp port 5000" if dev == "veth0" else "udp port 7") in real.stdout
    if dev == "veth0" and "-e" in flags:
        assert "802.1Q (0x8100), length 102: vlan 10, p 0, ethertype IPv4" in real.stdout
        assert "802.1Q-QinQ (0x88a8), length 46: vlan 20, p 0, ethertype ARP" in real.stdout
