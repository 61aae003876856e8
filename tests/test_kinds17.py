"""Link kinds the recording kernel lacks (issue 17, kernel/vrf.py ...): kernel rules
through requests and the tools, each following the source function named beside it.
What iproute2 refuses by itself is recorded (transcripts/kinds/kinds_missing_drivers)."""
from __future__ import annotations

import pytest

from ipemu.kernel.vrf import l3mdev_fib_table
from ipemu.session import Session


def session() -> Session:
    return Session.create("default", "bare")


def run(s: Session, line: str) -> tuple[str, str, int]:
    term, status = s.run_line(line)
    return term.stream("stdout"), term.stream("stderr"), status


def vrf_session() -> Session:
    s = session()
    for line in ("ip link add vrf-blue type vrf table 10",
                 "ip link add veth0 type veth peer name veth1",
                 "ip addr add 10.0.0.1/24 dev veth0",
                 "ip link set veth0 up", "ip link set veth1 up",
                 "ip link set veth0 master vrf-blue", "ip link set vrf-blue up"):
        assert run(s, line)[2] == 0, line
    return s


def test_vrf_port_routes_move_to_the_vrf_table_and_back():
    # fib_netdev_event(NETDEV_CHANGEUPPER) + cycle_netdev(): fib_magic() uses
    # l3mdev_fib_table() for local, broadcast and prefix routes alike
    s = vrf_session()
    ns = s.host.init_ns
    assert l3mdev_fib_table(ns.by_name("veth0")) == 10
    assert {str(r.dst) for r in ns.table(4, 10).routes} == \
        {"10.0.0.0/24", "10.0.0.1/32", "10.0.0.255/32"}
    assert not [r for r in ns.table(4, 254).routes if r.oif == ns.by_name("veth0").ifindex]
    run(s, "ip link set veth0 nomaster")
    assert not ns.table(4, 10).routes
    assert [str(r.dst) for r in ns.table(4, 254).routes] == ["10.0.0.0/24"]


def test_vrf_has_no_ipv6_link_local_and_rules_stay_after_delete():
    # addrconf_addr_gen(): "no link local addresses on L3 master devices"; the
    # l3mdev rules are added once per namespace (netns_vrf add_fib_rules)
    s = vrf_session()
    out, _, _ = run(s, "ip -6 addr show dev vrf-blue")
    assert "inet6" not in out
    run(s, "ip link del vrf-blue")
    run(s, "ip link add vrf-red type vrf table 20")
    out, _, _ = run(s, "ip rule")
    assert out.count("[l3mdev-table]") == 1


def test_vrf_lookup_through_the_l3mdev_rule():
    # l3mdev_fib_rule_match() + l3mdev_update_flow(): a flow out of the vrf uses its
    # table; without a route there the lookup goes on to main (no unreachable default)
    s = vrf_session()
    run(s, "ip route add 192.168.5.0/24 via 10.0.0.2 vrf vrf-blue")
    out, _, status = run(s, "ip route get 192.168.5.1 vrf vrf-blue")
    assert status == 0 and out.startswith("192.168.5.1 via 10.0.0.2 dev veth0 table 10 ")


def test_vrf_refuses_what_vrf_add_slave_refuses():
    s = vrf_session()
    run(s, "ip link add vrf-red type vrf table 20")
    assert run(s, "ip link set vrf-red master vrf-blue")[1] == \
        "Error: Can not enslave an L3 master device to a VRF.\n"
    assert run(s, "ip link set vrf-blue type vrf table 30")[1] == \
        "RTNETLINK answers: Operation not supported\n"


# ---------------------------------------------------------------- bond
def bond_session(mode: str) -> Session:
    s = session()
    for line in ("ip netns add b", f"ip link add bond0 type bond mode {mode}",
                 "ip link add veth0 type veth peer name peer0 netns b",
                 "ip link add veth1 type veth peer name peer1 netns b",
                 "ip link set veth0 master bond0", "ip link set veth1 master bond0",
                 "ip link set bond0 up", "ip addr add 10.0.0.1/24 dev bond0",
                 "ip netns exec b ip link add br0 type bridge",
                 "ip netns exec b ip link set peer0 master br0",
                 "ip netns exec b ip link set peer1 master br0",
                 "ip netns exec b ip link set peer0 up", "ip netns exec b ip link set peer1 up",
                 "ip netns exec b ip link set br0 up",
                 "ip netns exec b ip addr add 10.0.0.2/24 dev br0", "sleep 3"):
        assert run(s, line)[2] == 0, line
    return s


def test_bond_takes_its_first_slaves_mac_and_gives_it_to_the_next():
    # bond_enslave(): bond_set_dev_addr() for the first slave of a random-MAC bond,
    # dev_set_mac_address(slave, bond's) for every slave; IFF_SLAVE, opened
    s = bond_session("active-backup")
    ns = s.host.init_ns
    bond, v0, v1 = (ns.by_name(n) for n in ("bond0", "veth0", "veth1"))
    assert bond.address == v0.address == v1.address == v0.bond_slave.perm_hwaddr
    assert v1.bond_slave.perm_hwaddr != v1.address
    assert "SLAVE" in run(s, "ip link show veth1")[0] and v1.admin_up


def test_active_backup_sends_on_the_active_slave_and_fails_over():
    # bond_xmit_activebackup(); bond_miimon_commit() picks the next slave with link
    s = bond_session("active-backup")
    ns = s.host.init_ns
    v0, v1 = ns.by_name("veth0"), ns.by_name("veth1")
    out, _, status = run(s, "ping -c 2 10.0.0.2")
    assert status == 0 and "2 received" in out
    assert v0.stats.tx_packets > 0 and v1.stats.tx_packets == 0
    run(s, "ip netns exec b ip link set peer0 down")
    assert ns.by_name("bond0").bond.active is v1
    out, _, status = run(s, "ping -c 2 10.0.0.2")
    assert status == 0 and "2 received" in out and v1.stats.tx_packets > 0


def test_balance_rr_takes_turns():
    # bond_xmit_roundrobin(): each frame on the next slave
    s = bond_session("balance-rr")
    ns = s.host.init_ns
    out, _, status = run(s, "ping -c 4 10.0.0.2")
    assert status == 0
    assert ns.by_name("veth0").stats.tx_packets > 0 and ns.by_name("veth1").stats.tx_packets > 0


def test_bond_release_gives_back_the_mac_and_a_bond_without_slaves_goes_random():
    # __bond_release_one(): the slave's perm_hwaddr back, closed; no slaves left:
    # carrier off and eth_hw_addr_random()
    s = bond_session("balance-rr")
    ns = s.host.init_ns
    v1 = ns.by_name("veth1")
    perm = v1.bond_slave.perm_hwaddr
    run(s, "ip link set veth1 nomaster")
    assert v1.address == perm and not v1.admin_up and v1.bond_slave is None
    old = ns.by_name("bond0").address
    run(s, "ip link set veth0 nomaster")
    bond = ns.by_name("bond0")
    assert bond.address != old and not bond.carrier


def test_bond_options_round_trip_through_ip_d_link():
    s = session()
    assert run(s, "ip link add bond0 type bond mode 802.3ad miimon 50 updelay 120 "
                  "lacp_rate fast xmit_hash_policy layer3+4")[2] == 0
    out, _, _ = run(s, "ip -d link show bond0")
    assert ("bond mode 802.3ad miimon 50 updelay 100 downdelay 0 " in out and
            "xmit_hash_policy layer3+4 " in out and "lacp_rate fast " in out and
            "ad_actor_sys_prio 65535 ad_user_port_key 0 ad_actor_system 00:00:00:00:00:00 "
            "tlb_dynamic_lb 1 " in out)
    assert run(s, "ip link add bond1 type bond arp_interval 100 arp_ip_target "
                  "10.0.0.1,10.0.0.2")[2] == 0
    out, _, _ = run(s, "ip -d link show bond1")
    assert "miimon 0 " in out and "arp_ip_target 10.0.0.1,10.0.0.2 arp_validate" in out


# ---------------------------------------------------------------- ip tunnels
DATA = __import__("pathlib").Path(__file__).parent / "data" / "kinds17"


@pytest.mark.parametrize("flags", ["-n", "-nv", "-ne", "-nvv"])
def test_gre_and_ipip_decode_as_the_real_tcpdump(flags, monkeypatch):
    # print-gre.c gre_print_0()/gre_print_1(); expected texts recorded from the real
    # tcpdump reading the same file
    import time
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    s = Session.create(scenario="bare")
    s.write_file("gre.pcap", (DATA / "gre.pcap").read_bytes())
    term, status = s.run_line(f"tcpdump {flags} -r gre.pcap")
    assert status == 0
    assert term.stream("stderr") + term.stream("stdout") == \
        (DATA / f"tcpdump{flags}.txt").read_text()


def test_first_gre_link_loads_the_module_in_every_namespace():
    # request_module("rtnl-link-gre") -> ip_gre's pernet init: gre0, gretap0, erspan0
    # here, in existing namespaces and in namespaces made later
    s = session()
    run(s, "ip netns add a")
    assert run(s, "ip link add gre1 type gre remote 10.0.0.2 local 10.0.0.1")[2] == 0
    run(s, "ip netns add b")
    for ns in ("", "a", "b"):
        names = [d.name for d in s.host.namespaces[ns].device_list()]
        assert names[1:4] == ["gre0", "gretap0", "erspan0"], ns
    assert "tunl0" not in [d.name for d in s.host.init_ns.device_list()]


def test_tunnel_mtu_follows_headers_and_underlay():
    # ip_tunnel_bind_dev(): 1500 (no route) less IP and GRE headers (key: 4 more);
    # an Ethernet-carrying one less 14 more
    s = session()
    run(s, "ip link add g1 type gre remote 10.0.0.2 key 5")
    run(s, "ip link add t1 type gretap remote 10.0.0.2")
    run(s, "ip link add i1 type ipip remote 10.0.0.3")
    ns = s.host.init_ns
    assert (ns.by_name("g1").mtu, ns.by_name("t1").mtu, ns.by_name("i1").mtu) == \
        (1472, 1462, 1480)
    assert run(s, "ip link add g2 type gre remote 10.0.0.2 key 5")[1] == \
        "RTNETLINK answers: File exists\n"          # ip_tunnel_find()


def test_ip_tunnel_add_show_del():
    s = session()
    assert run(s, "ip tunnel add gre1 mode gre remote 10.0.0.2 local 10.0.0.1 ttl 255 "
                  "key 7")[2] == 0
    out, _, _ = run(s, "ip tunnel show gre1")
    assert out == "gre1: gre/ip remote 10.0.0.2 local 10.0.0.1 ttl 255 key 7\n"
    assert run(s, "ip tunnel del gre0")[1] == \
        'delete tunnel "gre0" failed: Operation not permitted\n'
    assert run(s, "ip tunnel add x mode ipip ttl 10 nopmtudisc")[1] == \
        "ttl != 0 and nopmtudisc are incompatible\n"
    assert run(s, "ip tunnel del gre1")[2] == 0
    assert run(s, "ip tunnel show")[0] == "gre0: gre/ip remote any local any ttl inherit " \
                                          "nopmtudisc\n"


def tunnel_pair(kind: str) -> Session:
    s = session()
    for line in ("ip netns add b",
                 "ip link add veth0 type veth peer name veth1 netns b",
                 "ip addr add 10.0.0.1/24 dev veth0", "ip link set veth0 up",
                 "ip -n b addr add 10.0.0.2/24 dev veth1", "ip -n b link set veth1 up",
                 f"ip link add t1 type {kind} remote 10.0.0.2 local 10.0.0.1",
                 "ip addr add 192.168.100.1/30 dev t1", "ip link set t1 up",
                 f"ip -n b link add t1 type {kind} remote 10.0.0.1 local 10.0.0.2",
                 "ip -n b addr add 192.168.100.2/30 dev t1", "ip -n b link set t1 up",
                 "sleep 2"):
        assert run(s, line)[2] == 0, line
    return s


@pytest.mark.parametrize("kind", ["gre", "ipip"])
def test_ping_through_a_tunnel(kind):
    # ipgre_xmit()/ipip_tunnel_xmit() -> ip_tunnel_xmit(); gre_rcv()/ipip_rcv() with
    # ip_tunnel_lookup() on the other side
    s = tunnel_pair(kind)
    out, _, status = run(s, "ping -c 2 192.168.100.2")
    assert status == 0 and "2 received" in out
    t1 = s.host.init_ns.by_name("t1")
    assert t1.stats.tx_packets == 2 and t1.stats.tx_bytes == 2 * 84


# ---------------------------------------------------------------- ipvlan
def test_ipvlan_shares_the_lower_mac_and_the_port_mode():
    # ipvlan_link_new(): the lower's MAC; ipvlan_set_port_mode(): one mode per port,
    # a new ipvlan without a mode (no IFLA_INFO_DATA) sets L3 back; NOARP on open
    s = session()
    run(s, "ip link add veth0 type veth peer name veth1")
    run(s, "ip link add ipvl0 link veth0 type ipvlan mode l2")
    ns = s.host.init_ns
    assert ns.by_name("ipvl0").address == ns.by_name("veth0").address
    assert "ipvlan  mode l2 bridge " in run(s, "ip -d link show ipvl0")[0]
    run(s, "ip link add ipvl1 link veth0 type ipvlan")
    assert "ipvlan  mode l3 bridge " in run(s, "ip -d link show ipvl0")[0]
    run(s, "ip link set ipvl1 type ipvlan mode l3s vepa")
    assert "ipvlan  mode l3s vepa " in run(s, "ip -d link show ipvl0")[0]
    assert run(s, "ip link add ipvl2 link lo type ipvlan")[1] == \
        "RTNETLINK answers: Invalid argument\n"


def test_ipvlan_addresses_are_unique_on_a_port_and_traffic_flows():
    # ipvlan_addr4_validator_event(); ipvlan_xmit_mode_l2() to a sibling, out the lower
    s = session()
    for line in ("ip netns add a", "ip netns add b", "ip netns add x",
                 "ip link add veth0 type veth peer name veth1 netns x",
                 "ip link set veth0 up", "ip -n x addr add 10.0.0.1/24 dev veth1",
                 "ip -n x link set veth1 up",
                 "ip link add ipvl0 link veth0 type ipvlan mode l2",
                 "ip link add ipvl1 link veth0 type ipvlan mode l2",
                 "ip addr add 10.0.0.5/24 dev ipvl0"):
        assert run(s, line)[2] == 0, line
    assert run(s, "ip addr add 10.0.0.5/24 dev ipvl1")[1] == \
        "Error: Address already assigned to an ipvlan device.\n"
    for line in ("ip link set ipvl1 netns b", "ip link set ipvl0 netns a",
                 "ip -n a addr add 10.0.0.5/24 dev ipvl0", "ip -n a link set ipvl0 up",
                 "ip -n b addr add 10.0.0.6/24 dev ipvl1", "ip -n b link set ipvl1 up",
                 "sleep 2"):
        assert run(s, line)[2] == 0, line
    for dst in ("10.0.0.1", "10.0.0.6"):
        out, _, status = run(s, f"ip netns exec a ping -c 1 {dst}")
        assert status == 0 and "1 received" in out, dst


def test_sit_carries_ipv6_in_ipv4():
    # ipip6_tunnel_xmit() / ipip6_rcv(); addresses on a NOARP tunnel skip DAD
    # (addrconf_dad_begin())
    s = session()
    for line in ("ip netns add b",
                 "ip link add veth0 type veth peer name veth1 netns b",
                 "ip addr add 10.0.0.1/24 dev veth0", "ip link set veth0 up",
                 "ip -n b addr add 10.0.0.2/24 dev veth1", "ip -n b link set veth1 up",
                 "ip link add sit1 type sit remote 10.0.0.2 local 10.0.0.1 ttl 64",
                 "ip link set sit1 up", "ip addr add 2001:db8::1/64 dev sit1",
                 "ip -n b link add sit1 type sit remote 10.0.0.1 local 10.0.0.2 ttl 64",
                 "ip -n b link set sit1 up", "ip -n b addr add 2001:db8::2/64 dev sit1"):
        assert run(s, line)[2] == 0, line
    assert "tentative" not in run(s, "ip addr show dev sit1")[0]
    out, _, status = run(s, "ping -c 1 2001:db8::2")
    assert status == 0 and "1 received" in out
