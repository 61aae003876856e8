"""802.1Q VLAN devices. The recording machine's kernel has no 8021q driver, so these
expectations are not recordings: each line is assembled from the upstream format
strings and kernel rules cited beside it (iproute2 6.1 ip/iplink_vlan.c and
ip/ipaddress.c; Linux 6.1 net/8021q/vlan.c, vlan_dev.c, vlan_netlink.c, vlan_core.c).
What iproute2 refuses by itself is recorded (transcripts/ip/vlan_parse_errors.txt), and
the tagged frames are checked against the real tcpdump (test_capture_roundtrip.py)."""
from __future__ import annotations

import json

import pytest

from ipemu.session import Session

MAC0 = "02:00:00:00:00:01"
SETUP = [
    f"ip link add veth0 address {MAC0} type veth peer name veth1 address 02:00:00:00:00:02",
    "ip link add link veth0 name veth0.10 type vlan id 10",
]


@pytest.fixture()
def session() -> Session:
    s = Session.create(scenario="bare", hostname="t")
    for line in SETUP:
        _, status = s.run_line(line)
        assert status == 0
    return s


def run(s: Session, line: str) -> tuple[str, str, int]:
    term, status = s.run_line(line)
    return term.stream("stdout"), term.stream("stderr"), status


def test_new_vlan_takes_the_lower_mac_and_is_down_with_m_down(session):
    # vlan_dev_init(): the lower's address (stolen); flags copied without UP;
    # print_name_and_link(): NAME@LOWER, M-DOWN while the lower is not UP
    out, _, _ = run(session, "ip link show veth0.10")
    assert out == ("4: veth0.10@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state "
                   "DOWN mode DEFAULT group default qlen 1000\n"
                   f"    link/ether {MAC0} brd ff:ff:ff:ff:ff:ff\n")


def test_details_line(session):
    # vlan_print_opt(): "protocol %s ", "id %u ", flags in <...>; a VLAN inherits the
    # lower's TSO limit (netif_inherit_tso_max(): veth's 524280)
    out, _, _ = run(session, "ip -d link show veth0.10")
    assert out.splitlines()[2] == (
        "    vlan protocol 802.1Q id 10 <REORDER_HDR> addrgenmode eui64 numtxqueues 1 "
        "numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 "
        "tso_max_segs 65535 gro_max_size 65536 ")
    assert "promiscuity 0  allmulti 0 minmtu 0 maxmtu 65535 " in out.splitlines()[1]


def test_json_details(session):
    out, _, _ = run(session, "ip -j -d link show veth0.10")
    link = json.loads(out)[0]
    assert link["link"] == "veth0"
    assert link["linkinfo"] == {"info_kind": "vlan", "info_data": {
        "protocol": "802.1Q", "id": 10, "flags": ["REORDER_HDR"]}}


def test_up_needs_the_lower_up_and_follows_it(session):
    # vlan_dev_open(): -ENETDOWN while the lower is down
    _, err, status = run(session, "ip link set veth0.10 up")
    assert (err, status) == ("RTNETLINK answers: Network is down\n", 2)
    # vlan_device_event(NETDEV_UP): the lower coming up brings its VLANs up; the
    # veth has no carrier yet (peer down): LOWERLAYERDOWN
    run(session, "ip link set veth0 up")
    out, _, _ = run(session, "ip -br link show veth0.10")
    assert out.split()[:2] == ["veth0.10@veth0", "LOWERLAYERDOWN"]
    run(session, "ip link set veth1 up")
    out, _, _ = run(session, "ip link show veth0.10")
    assert "<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP" in out
    # NETDEV_DOWN closes them again
    run(session, "ip link set veth0 down")
    out, _, _ = run(session, "ip link show veth0.10")
    assert "<BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noqueue state DOWN" in out


@pytest.mark.parametrize("line, message", [
    # vlan_validate(), vlan_newlink(), vlan_check_real_dev(): "8021q: " extack texts
    ("ip link add link veth0 name v type vlan id 4095", "Error: 8021q: Invalid VLAN id.\n"),
    ("ip link add link veth0 name v type vlan id 10", "Error: 8021q: VLAN device already exists.\n"),
    ("ip link add link lo name v type vlan id 3", "Error: 8021q: VLANs not supported on device.\n"),
    ("ip link add link veth0 name v type vlan", "Error: 8021q: VLAN properties not specified.\n"),
    ("ip link add link veth0 name v type vlan protocol 802.1ad",
     "Error: 8021q: VLAN id not specified.\n"),
    ("ip link add name v type vlan id 7", "Error: 8021q: link not specified.\n"),
    ("ip link add link veth0 name v type vlan protocol ip id 7",
     "Error: 8021q: Invalid VLAN protocol.\n"),
    ("ip link add link veth0 name v mtu 1600 type vlan id 7", "RTNETLINK answers: Invalid argument\n"),
    ("ip link set veth0.10 mtu 1600", "RTNETLINK answers: Numerical result out of range\n"),
])
def test_kernel_errors(session, line, message):
    _, err, status = run(session, line)
    assert (err, status) == (message, 2)


def test_same_id_other_protocol_is_allowed_and_the_lower_takes_its_vlans_along(session):
    _, err, status = run(session, "ip link add link veth0 name v10ad type vlan id 10 protocol 802.1ad")
    assert status == 0, err
    out, _, _ = run(session, "ip -d link show v10ad")
    assert "vlan protocol 802.1ad id 10 <REORDER_HDR> " in out
    run(session, "ip link del veth1")
    out, _, _ = run(session, "ip -br link")
    assert [line.split()[0] for line in out.splitlines()] == ["lo"]


def test_flags_and_qos_maps(session):
    # vlan_print_flags() / vlan_print_map(): "<%s,...> " and "      NAME { F:T ... } "
    run(session, "ip link add link veth0 name v9 type vlan id 9 reorder_hdr off gvrp on "
                 "ingress-qos-map 1:2 3:4 egress-qos-map 2:5")
    out, _, _ = run(session, "ip -d link show v9")
    lines = out.splitlines()
    assert lines[2] == "    vlan protocol 802.1Q id 9 <GVRP> "
    assert lines[3] == "      ingress-qos-map { 1:2 3:4 } "
    assert lines[4].startswith("      egress-qos-map { 2:5 } addrgenmode eui64 ")


def test_tagged_traffic_counts(session):
    # a ping over VLAN 10 between namespaces; the lower's capture shows the tag (libpcap
    # reinserts it), the VLAN's shows plain Ethernet
    s = Session.create(scenario="bare", hostname="t")
    for line in ["ip netns add ns1",
                 "ip link add veth0 type veth peer name veth1 netns ns1",
                 "ip link add link veth0 name veth0.10 type vlan id 10",
                 "ip -n ns1 link add link veth1 name veth1.10 type vlan id 10",
                 "ip addr add 10.10.0.1/24 dev veth0.10",
                 "ip -n ns1 addr add 10.10.0.2/24 dev veth1.10",
                 "sysctl -w net.ipv6.conf.all.disable_ipv6=1",
                 "ip netns exec ns1 sysctl -w net.ipv6.conf.all.disable_ipv6=1",
                 "ip link set veth0 up", "ip -n ns1 link set veth1 up", "sleep 5",
                 "timeout 5 tcpdump -i veth0 -n -e -c 2 arp &",
                 "timeout 5 tcpdump -i veth0.10 -n -e -c 2 arp &", "sleep 1"]:
        s.run_line(line)
    out, _, status = run(s, "ping -c 1 10.10.0.2")
    assert status == 0 and "1 received" in out
    out, _, _ = run(s, "wait")
    tagged = [ln for ln in out.splitlines() if "802.1Q (0x8100), length 46: vlan 10, p 0, "
              "ethertype ARP (0x0806), Request who-has 10.10.0.2 tell 10.10.0.1" in ln]
    plain = [ln for ln in out.splitlines() if "ethertype ARP (0x0806), length 42: "
             "Request who-has 10.10.0.2 tell 10.10.0.1" in ln]
    assert len(tagged) == 1 and len(plain) == 1
    out, _, _ = run(s, "ip -n ns1 -s link show veth1.10")
    # vlan_do_receive() counts after eth_type_trans(): ARP request 28 + echo 84 bytes;
    # vlan_dev_hard_start_xmit() counts whole untagged frames: ARP reply 42 + echo 98
    lines = out.splitlines()
    assert lines[3].split()[:2] == ["112", "2"]
    assert lines[5].split()[:2] == ["140", "2"]
    # the lower counts skb->len without the tag: 42 + 98 out, 42 + 98 in
    out, _, _ = run(s, "ip -n ns1 -s link show veth1")
    lines = out.splitlines()
    assert lines[3].split()[:2] == ["140", "2"] and lines[5].split()[:2] == ["140", "2"]
