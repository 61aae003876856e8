"""Link types of issue 17: macvlan/macvtap, tun/tap, vxlan. Kernel rules through
requests, printers fed records, packet paths between namespaces."""
from __future__ import annotations

import ipaddress

import pytest

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.records import FdbMsg, MacvlanInfo, TunInfo, VxlanInfo
from ipemu.render.link import (LinkCache, print_macvlan_opts, print_tun_opts,
                               print_vxlan_opts)
from ipemu.render.printer import Printer
from ipemu.session import Session
from ipemu.tools.bridge_fdb import print_fdb

A = ipaddress.IPv4Address


def session() -> Session:
    return Session.create("default", "bare")


def run(s: Session, line: str) -> tuple[str, str, int]:
    term, status = s.run_line(line)
    return term.stream("stdout"), term.stream("stderr"), status


def text(fn, *args) -> str:
    p = Printer()
    fn(p, *args)
    return p.text()


# ---------------------------------------------------------------- printers
def test_macvlan_opts_print_mode_flags_and_queue_lengths():
    assert text(print_macvlan_opts, MacvlanInfo(8, 1, 1000, 2000)) == \
        "mode passthru nopromisc bcqueuelen 1000 usedbcqueuelen 2000 "


def test_tun_opts_print_on_off_and_owner():
    # print_group(): getgrgid() of Debian's /etc/group names gid 7 "lp"; a gid without
    # an entry prints as its number
    info = TunInfo(2, False, True, True, True, 0, 0, owner=0, group=7)
    assert text(print_tun_opts, info) == ("type tap pi off vnet_hdr on multi_queue numqueues 0 "
                                          "numdisabled 0 persist on user root group lp ")
    info = TunInfo(2, False, True, True, True, 0, 0, owner=4242, group=4343)
    assert text(print_tun_opts, info).endswith("persist on user 4242 group 4343 ")


def test_vxlan_opts_name_a_group_and_print_inherit_words():
    info = VxlanInfo(7, A("239.1.1.1"), None, 0, (0, 0), 4789, False, False, False, False,
                     False, 1, 0, True, 0, 0, 0, 0, True, False, False, False, False, False,
                     False, False)
    assert text(print_vxlan_opts, info, LinkCache()) == (
        "id 7 group 239.1.1.1 srcport 0 0 dstport 4789 nolearning tos inherit ttl inherit "
        "ageing none udpcsum noudp6zerocsumtx noudp6zerocsumrx ")


def test_fdb_line_with_port_vni_and_device():
    msg = FdbMsg(5, b"\x02\x00\x00\x00\x00\x01", A("10.0.0.5"), 0x02, port=4790, vni=7)
    cache = LinkCache()
    p = Printer()
    print_fdb(p, msg, cache, filtered=False)
    assert p.text() == "02:00:00:00:00:01 dev if5 dst 10.0.0.5 port 4790 vni 7 self \n"


# ----------------------------------------------------------------- kernel
def test_macvlan_on_a_macvlan_sits_on_the_real_lower_device():
    s = session()
    run(s, "ip link add veth0 type veth peer name veth1")
    run(s, "ip link add mv0 link veth0 type macvlan mode bridge")
    run(s, "ip link add mv1 link mv0 type macvlan")
    ns = s.host.namespaces[""]
    mv1 = ns.by_name("mv1")
    assert mv1.lower is ns.by_name("veth0")
    assert [d.name for d in ns.by_name("veth0").macvlans] == ["mv0", "mv1"]
    run(s, "ip link del veth0")
    assert ns.by_name("mv0") is None and ns.by_name("mv1") is None


def test_passthru_refuses_company_and_a_mode_change():
    s = session()
    run(s, "ip link add veth0 type veth peer name veth1")
    assert run(s, "ip link add mv0 link veth0 type macvlan mode passthru")[2] == 0
    out, err, status = run(s, "ip link add mv1 link veth0 type macvlan")
    assert (err, status) == ("RTNETLINK answers: Invalid argument\n", 2)
    assert run(s, "ip link set mv0 type macvlan mode bridge")[2] == 2


def test_private_macvlans_do_not_reach_each_other_bridge_ones_do():
    s = session()
    for line in ("ip link add veth0 type veth peer name veth1", "ip link set veth0 up",
                 "ip link set veth1 up", "ip netns add a", "ip netns add b",
                 "ip link add m1 link veth0 type macvlan mode private",
                 "ip link add m2 link veth0 type macvlan mode private",
                 "ip link set m1 netns a", "ip link set m2 netns b",
                 "ip -n a addr add 10.0.0.1/24 dev m1", "ip -n b addr add 10.0.0.2/24 dev m2",
                 "ip -n a link set m1 up", "ip -n b link set m2 up"):
        assert run(s, line)[2] == 0, line
    assert run(s, "ip netns exec a ping -c 1 -W 1 10.0.0.2")[2] == 1
    run(s, "ip -n a link set m1 type macvlan mode bridge")
    run(s, "ip -n b link set m2 type macvlan mode bridge")
    run(s, "ip -n a neigh flush all")
    assert run(s, "ip netns exec a ping -c 1 -W 1 10.0.0.2")[2] == 0


def test_tun_has_no_address_and_no_carrier():
    s = session()
    run(s, "ip tuntap add dev tun0 mode tun")
    run(s, "ip link set tun0 up")
    out = run(s, "ip -br link show tun0")[0]
    assert out == "tun0             DOWN           <NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP> \n"


def test_tuntap_del_of_an_unknown_name_uses_up_an_index():
    s = session()
    run(s, "ip tuntap del dev t9 mode tap")
    run(s, "ip tuntap add dev t1 mode tap")
    assert s.host.namespaces[""].by_name("t1").ifindex == 3


def test_vxlan_vni_and_port_must_be_unique_and_the_vni_fixed():
    s = session()
    assert run(s, "ip link add vx0 type vxlan id 5 dstport 4789")[2] == 0
    out, err, status = run(s, "ip link add vx1 type vxlan id 5 dstport 4789")
    assert (err, status) == ("Error: A VXLAN device with the specified VNI already exists.\n", 2)
    assert run(s, "ip link add vx1 type vxlan id 5 dstport 4790")[2] == 0
    err = run(s, "ip link set vx0 type vxlan id 6")[1]
    assert err == "Error: Cannot change VNI.\n"


def test_vxlan_without_a_remote_drops_and_counts():
    s = session()
    run(s, "ip link add vx0 type vxlan id 5 dstport 4789")
    run(s, "ip addr add 10.9.0.1/24 dev vx0")
    run(s, "ip link set vx0 up")
    run(s, "ip link set lo up")
    assert run(s, "ping -c 1 -W 1 10.9.0.2")[2] == 1
    assert s.host.namespaces[""].by_name("vx0").stats.tx_dropped >= 1


def test_vxlan_fdb_add_needs_a_destination():
    from ipemu.kernel.requests import NLM_F
    from ipemu.kernel.vxlan import fdb_add
    s = session()
    run(s, "ip link add vx0 type vxlan id 5 dstport 4789")
    dev = s.host.namespaces[""].by_name("vx0")
    with pytest.raises(KernelError) as info:
        fdb_add(dev, b"\x02" + bytes(5), None, 0x80, NLM_F.CREATE | NLM_F.EXCL)
    assert info.value.errno == Errno.EINVAL
