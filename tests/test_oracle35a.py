"""oracle35a: iproute2 behaviours found by the round's recorded cases
(tests/oracle_cases/oracle35a_*). Every expected text here is what the real machine
printed (Debian 12: iproute2 6.1, Linux 6.18) for the same lines in a fresh network
namespace."""
from __future__ import annotations

from ipemu.session import Session
from ipemu.transcript.runner import ORACLE_PROFILE


def lines(*commands: str) -> str:
    """What the lines print, one after the other, on a fresh `unshare -n` host."""
    session = Session.create(ORACLE_PROFILE, "bare", "oracle")
    out = []
    for command in commands:
        term, _ = session.run_line(command)
        out.append(term.text())
    return "".join(out)


NEIGH_SETUP = ("ip link add veth0 type veth peer name veth1", "ip link set veth0 up",
               "ip link set veth1 up", "ip addr add 10.9.0.1/24 dev veth0")


def test_neigh_nud_filter_passes_extern_learn_entries():
    """print_neigh(): an NTF_EXT_LEARNED entry passes any `nud` filter."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev veth0 extern_learn",
                 "ip neigh show nud reachable") == (
        "10.9.0.2 dev veth0 lladdr 02:00:00:00:00:02 extern_learn PERMANENT \n")


def test_neigh_unused_leaves_out_entries_with_a_timer():
    """`unused`: ndm_refcnt 0; a PROBE entry's timer holds a reference, an INCOMPLETE
    one set by netlink has none (__neigh_update() arms timers for NUD_VALID states)."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.4 lladdr 02:00:00:00:00:04 dev veth0 nud probe",
                 "ip neigh add 10.9.0.5 lladdr 02:00:00:00:00:05 dev veth0 nud incomplete",
                 "ip neigh show unused", "ip neigh show 10.9.0.4") == (
        "10.9.0.5 dev veth0 INCOMPLETE \n"
        "10.9.0.4 dev veth0 lladdr 02:00:00:00:00:04 PROBE \n")


def test_neigh_flush_takes_entries_without_a_state():
    """do_show_or_flush(): a flush's default filter is ~(PERMANENT|NOARP), 0x100 too,
    so a `nud none` entry goes (and an extern_learn PERMANENT one, past the filter)."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.6 dev veth0 nud none",
                 "ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev veth0 extern_learn",
                 "ip neigh add 10.9.0.7 lladdr 02:00:00:00:00:07 dev veth0",
                 "ip neigh flush dev veth0", "ip -4 neigh show dev veth0 nud all") == (
        "10.9.0.7 lladdr 02:00:00:00:00:07 PERMANENT \n")


def test_neigh_json_flags_are_nulls():
    """print_null() of router, proxy, extern_learn: `"router":null`."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.10 lladdr 02:00:00:00:00:0a dev veth0 router",
                 "ip -j neigh show 10.9.0.10",
                 "ip neigh add proxy 10.9.0.50 dev veth0", "ip -j neigh show proxy") == (
        '[{"dst":"10.9.0.10","dev":"veth0","lladdr":"02:00:00:00:00:0a","router":null,'
        '"state":["PERMANENT"]}]\n'
        '[{"dst":"10.9.0.50","dev":"veth0","proxy":null}]\n')


def test_refused_bridge_uses_up_an_ifindex():
    """br_dev_newlink(): register_netdevice() gives the index before br_changelink()
    refuses (recorded: br1 2 and br3 4 refused, br2 3, br4 5)."""
    assert lines("ip link add br1 type bridge vlan_filtering 1",
                 "ip link add br2 type bridge",
                 "ip link add br3 type bridge group_fwd_mask 1",
                 "ip link add br4 type bridge",
                 "ip -o link show br4 | cut -d: -f1") == (
        "RTNETLINK answers: Operation not supported\n"
        "RTNETLINK answers: Invalid argument\n5\n")


def test_bridge_group_fwd_mask_and_group_address():
    """br_changelink(): group_fwd_mask without the restricted bits (0x7), a link-local
    group_address but :01/:02/:03; a longer address fails br_policy; settings before a
    refused one stay (priority before vlan_filtering and group_fwd_mask)."""
    assert lines(
        "ip link add br3 type bridge group_fwd_mask 0x4000 group_address "
        "01:80:c2:00:00:0e nf_call_iptables 1 nf_call_arptables 5",
        "ip -d link show br3 | grep -o 'group_fwd_mask.*group_address [^ ]*'",
        "ip -d link show br3 | grep -o 'nf_call[^0-9]*[0-9]'",
        "cat /sys/class/net/br3/bridge/group_fwd_mask /sys/class/net/br3/bridge/group_addr",
        "ip link set br3 type bridge group_address 01:80:c2:00:00:02",
        "ip link set br3 type bridge group_address 01:80:c2:00:00:03:01",
        "ip link set br3 type bridge priority 9 vlan_filtering 0 group_fwd_mask 0x8",
        "ip -d link show br3 | grep -o 'priority [0-9]*\\|group_fwd_mask [^ ]*'") == (
        "group_fwd_mask 0x4000 group_address 01:80:c2:00:00:0e\n"
        "nf_call_iptables 1\nnf_call_ip6\nnf_call_arptables 1\n"
        "0x4000\n01:80:c2:00:00:0e\n"
        "RTNETLINK answers: Invalid argument\n"
        "Error: Attribute failed policy validation.\n"
        "RTNETLINK answers: Operation not supported\n"
        "priority 9\ngroup_fwd_mask 0x4000\n")


def test_sr_tunsrc_set_and_hmac_show():
    """ipseg6.c: `tunsrc set` (seg6_genl_set_tunsrc(): any IPv6 address, per
    namespace), `hmac show` an empty dump, the argument errors."""
    assert lines("ip sr tunsrc set fc00::1", "ip -j sr tunsrc show",
                 "ip sr tunsrc set 10.0.0.1", "ip sr tunsrc foo", "ip -j sr hmac show",
                 "ip sr hmac set 0 sha1", "ip sr hmac set 5 md5", "ip sr hmac set 5",
                 "ip netns add ns1", "ip -n ns1 sr tunsrc show") == (
        '[{"tunsrc":"fc00::1"}]\n'
        'Error: inet6 address is expected rather than "10.0.0.1".\n'
        'Error: argument "foo" is wrong: unknown\n'
        "[]\n"
        'Error: argument "0" is wrong: hmac KEYID value is invalid\n'
        'Error: argument "md5" is wrong: hmac ALGO value is invalid\n'
        'Command line is not complete. Try option "help"\n'
        "tunsrc addr ::\n")


def test_mrule_and_ila_help():
    """do_multirule() hands `help` to do_iprule()'s usage; do_ipila()'s own usage."""
    session = Session.create(ORACLE_PROFILE, "bare", "oracle")
    term, status = session.run_line("ip mrule help")
    assert term.text().startswith("Usage: ip rule { add | del } SELECTOR ACTION\n")
    assert status == 255
    term, status = session.run_line("ip ila")
    assert term.text() == (
        "Usage: ip ila add loc_match LOCATOR_MATCH loc LOCATOR [ dev DEV ] OPTIONS\n"
        "       ip ila del loc_match LOCATOR_MATCH [ loc LOCATOR ] [ dev DEV ]\n"
        "       ip ila list\n"
        "OPTIONS := [ csum-mode { adj-transport | neutral-map |\n"
        "                         neutral-map-auto | no-action } ]\n"
        "           [ ident-type { luid | use-format } ]\n")
    assert status == 255


ENCAP_SETUP = ("ip link add veth0 type veth peer name veth1", "ip link set veth0 up",
               "ip addr add 10.1.0.1/24 dev veth0")


def test_seg6_encap_routes():
    """lwt_print_encap() after the destination (two blanks: "dst " then " encap"):
    the SRH's segments in order, inline mode's extra ::, an HMAC key id in upper-case
    hex; seg6_build_state() refuses inline on an IPv4 route."""
    assert lines(
        *ENCAP_SETUP,
        "ip route add 10.9.0.0/16 encap seg6 mode inline segs fc00::1 dev veth0",
        "ip route add 10.9.2.0/24 encap seg6 mode encap.red segs fc00::1,fc00::2 dev veth0",
        "ip route add 10.9.4.0/24 encap seg6 mode encap segs fc00::1 hmac 7 dev veth0",
        "ip route add 10.9.15.0/24 encap seg6 mode encap segs fc00::1 via 10.1.0.2",
        "ip route add 10.9.1.0/24 encap seg6 segs fc00::1 dev veth0",
        "ip route", "ip route get 10.9.15.1") == (
        "RTNETLINK answers: Invalid argument\n"
        'Error: argument "fc00::1" is wrong: "segs" provided before "mode"\n\n'
        "10.1.0.0/24 dev veth0 proto kernel scope link src 10.1.0.1 linkdown \n"
        "10.9.2.0/24  encap seg6 mode encap.red segs 2 [ fc00::1 fc00::2 ] dev veth0 "
        "scope link linkdown \n"
        "10.9.4.0/24  encap seg6 mode encap segs 1 [ fc00::1 ] hmac 7 dev veth0 scope link "
        "linkdown \n"
        "10.9.15.0/24  encap seg6 mode encap segs 1 [ fc00::1 ] via 10.1.0.2 dev veth0 "
        "linkdown \n"
        "10.9.15.1  encap seg6 mode encap segs 1 [ fc00::1 ] via 10.1.0.2 dev veth0 "
        "src 10.1.0.1 uid 0 \n    cache \n")


def test_seg6local_and_ip_encap_routes():
    """seg6_local_build_state(): a behaviour's required attribute (End.X: nh6), the
    ones it does not take dropped (End with a table); End.B6's inline SRH; ip and ip6
    encaps filled whole; JSON's srh object."""
    assert lines(
        *ENCAP_SETUP,
        "ip -6 route add fc00::2/128 encap seg6local action End.X dev veth0",
        "ip -6 route add fc00::6/128 encap seg6local action End.B6 srh segs fc00::a,fc00::b"
        " dev veth0",
        "ip -6 route add fc00::15/128 encap seg6local action End table 5 dev veth0",
        "ip -6 route add fc00::12/128 encap seg6local dev veth0",
        "ip -6 route show", "ip -j -6 route show fc00::6",
        "ip route add 10.9.8.0/24 encap ip dst 10.2.0.1 ttl 5 tos 0x10 key csum seq dev veth0",
        "ip route add 10.9.12.0/24 encap ip6 dst fc00::1 dev veth0",
        "ip route show 10.9.8.0/24", "ip route show 10.9.12.0/24") == (
        "RTNETLINK answers: Invalid argument\nMissing action type\n"
        "fc00::6  encap seg6local action End.B6 segs 3 [ fc00::a fc00::b :: ] dev veth0 "
        "metric 1024 linkdown pref medium\n"
        "fc00::15  encap seg6local action End dev veth0 metric 1024 linkdown pref medium\n"
        '[{"dst":"fc00::6","encap":"seg6local","action":"End.B6","srh":{"segs":["fc00::a",'
        '"fc00::b","::"]},"dev":"veth0","metric":1024,"flags":["linkdown"],'
        '"pref":"medium"}]\n'
        "10.9.8.0/24  encap ip id 0 src 0.0.0.0 dst 10.2.0.1 ttl 5 tos 16 key csum seq "
        "dev veth0 scope link linkdown \n"
        "10.9.12.0/24  encap ip6 id 0 src :: dst fc00::1 hoplimit 0 tc 0 dev veth0 scope link"
        " linkdown \n")


def test_no_mpls():
    """A kernel without MPLS (the recording one): no AF_MPLS routes, requests
    EOPNOTSUPP, `encap mpls` has no lwtunnel ops; AF_MPLS has no rules at all."""
    session = Session.create(ORACLE_PROFILE, "bare", "oracle")
    out = []
    for line in (*ENCAP_SETUP, "ip -M route", "ip -j -M route", "ip -M route get 100",
                 "ip -M route add 101 dev veth0",
                 "ip route add 10.5.0.0/16 encap mpls 100/200 ttl 5 via 10.1.0.2",
                 "ip route add 10.5.0.0/16 encap mpls abc via 10.1.0.2", "ip -M rule"):
        term, status = session.run_line(line)
        out.append((term.text(), status))
    assert out[3:] == [
        ("", 0), ("[]\n", 0), ("RTNETLINK answers: Operation not supported\n", 2),
        ("RTNETLINK answers: Operation not supported\n", 2),
        ("Error: lwt encapsulation type not supported.\n", 2),
        ('Error: mpls address is expected rather than "abc".\n', 1),
        ("RTNETLINK answers: Address family not supported by protocol\nDump terminated\n",
         255)]


def test_json_tunnel_list_is_an_array():
    """do_tunnels_list(): new_json_obj() with no tunnel device (`[ ]` pretty)."""
    assert lines("ip -j tunnel", "ip -j -6 tunnel show", "ip -j -p tunnel show") == (
        "[]\n[]\n[ ]\n")


def test_ipv6_route_src_is_ipv6_chk_addr():
    """ip6_route_info_create(): ipv6_chk_addr() of the source on the nexthop's device
    (a global address of another device will do; a tentative one, another device's
    link-local or a foreign one will not): "Invalid source address"."""
    assert lines("ip link add veth0 type veth peer name veth1",
                 "ip link add veth2 type veth peer name veth3",
                 "ip link set veth0 up", "ip link set veth1 up",
                 "ip -6 addr add 2001:db8:b::1/64 dev veth2 nodad",
                 "ip -6 addr add 2001:db8:c::1/64 dev veth0",
                 "ip -6 route add 2001:db8:21::/48 dev veth0 src 2001:db8:c::1",
                 "ip -6 route add 2001:db8:22::/48 dev veth0 src 2001:db8:b::1",
                 "ip -6 addr add fe80::99/64 dev veth2 nodad",
                 "ip -6 route add 2001:db8:23::/48 dev veth0 src fe80::99",
                 "ip -6 route add 2001:db8:4::/48 dev veth0 src 2001:db8:ffff::1",
                 "ip -6 route show 2001:db8:22::/48") == (
        "Error: Invalid source address.\n" * 3 +
        "2001:db8:22::/48 dev veth0 src 2001:db8:b::1 metric 1024 pref medium\n")


def test_veth_peer_index_and_name_patterns():
    """veth_newlink(): the peer's `index` only with the device's own; names with %d are
    dev_alloc_name() patterns (the peer made first: hp0 before h0)."""
    assert lines("ip link add c0 index 100 type veth peer name c1 index 200",
                 "ip link add o0 type veth peer name o1 index 300",
                 "ip link add h%d type veth peer name hp%d",
                 "ip link add br%d type bridge", "ip link add br%d type bridge",
                 "ip -o link | cut -d: -f1,2") == (
        "1: lo\n2: o1@o0\n3: o0@o1\n4: hp0@h0\n5: h0@hp0\n6: br0\n7: br1\n"
        "100: c0@c1\n200: c1@c0\n")


def test_vxlan_gpe_and_ageing():
    """vxlan_config_validate(): GPE only with external and none of the other flags;
    ageing 0 is FDB_AGE_DEFAULT; a GPE device is vxlan_raw_setup()'s ARPHRD_NONE, which
    addrconf_dev_config() gives a random (stable-privacy) link-local address."""
    assert lines("ip link add vx11 type vxlan id 51 dstport 4789 gpe nolearning",
                 "ip link add vx12 type vxlan id 52 dstport 4789 ageing 0",
                 "ip -d link show vx12 | grep -o 'ageing [0-9a-z]*'",
                 "ip link add vx9 type vxlan gpe external", "ip link set vx9 up",
                 "ip link show vx9", "sleep 3",
                 "ip -d link show vx9 | grep -o 'addrgenmode [a-z]*'",
                 "ip -6 addr show dev vx9 | grep -c 'inet6 fe80::.*/64 scope link "
                 "stable-privacy'") == (
        "Error: VXLAN GPE does not support this combination of attributes.\n"
        "ageing 300\n"
        "3: vx9: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state "
        "UNKNOWN mode DEFAULT group default qlen 1000\n    link/none \n"
        "addrgenmode random\n1\n")


def test_nexthop_encap_and_routes_through_it():
    """nh_create_ipv4(): the lwtstate of NHA_ENCAP (printed before the gateway); a
    route through the nexthop carries it (nhid, then the encap), ip route get too; an
    IPv6 nexthop is scope link even without a gateway."""
    assert lines(
        *ENCAP_SETUP, "ip link set veth1 up",
        "ip nexthop add id 10 encap seg6 mode encap segs fc00::1,fc00::2 via 10.1.0.2 "
        "dev veth0",
        "ip nexthop add id 13 encap seg6 mode inline segs fc00::1 dev veth0",
        "ip nexthop add id 15 encap seg6 mode encap segs fc00::1 blackhole",
        "ip -6 nexthop add id 31 dev veth0",
        "ip nexthop", "ip route add 10.50.0.0/16 nhid 10", "ip route show 10.50.0.0/16",
        "ip route get 10.50.1.1") == (
        "RTNETLINK answers: Invalid argument\n"
        "Error: Blackhole attribute can not be used with gateway, oif, encap or fdb.\n"
        "id 10  encap seg6 mode encap segs 2 [ fc00::1 fc00::2 ] via 10.1.0.2 dev veth0 "
        "scope link \n"
        "id 31 dev veth0 scope link \n"
        "10.50.0.0/16 nhid 10  encap seg6 mode encap segs 2 [ fc00::1 fc00::2 ] via 10.1.0.2"
        " dev veth0 \n"
        "10.50.1.1  encap seg6 mode encap segs 2 [ fc00::1 fc00::2 ] via 10.1.0.2 dev veth0 "
        "src 10.1.0.1 uid 0 \n    cache \n")


def test_multipath_nexthops_carry_their_own_encap():
    """parse_one_nh()'s encap, printed by print_rta_multipath() before the gateway
    ("nexthop " then " encap"); one nexthop block is a plain route with it."""
    assert lines(
        *ENCAP_SETUP, "ip link set veth1 up",
        "ip route add 10.60.0.0/16 nexthop via 10.1.0.2 encap seg6 mode encap segs fc00::1 "
        "nexthop via 10.1.0.3 encap ip dst 10.9.9.9",
        "ip route show 10.60.0.0/16",
        "ip route add 10.61.0.0/16 nexthop via 10.1.0.2 encap seg6 mode encap segs "
        "fc00::1,fc00::2 weight 3", "ip route show 10.61.0.0/16") == (
        "10.60.0.0/16 \n"
        "\tnexthop  encap seg6 mode encap segs 1 [ fc00::1 ] via 10.1.0.2 dev veth0 weight 1 \n"
        "\tnexthop  encap ip id 0 src 0.0.0.0 dst 10.9.9.9 ttl 0 tos 0 via 10.1.0.3 dev veth0"
        " weight 1 \n"
        "10.61.0.0/16  encap seg6 mode encap segs 2 [ fc00::1 fc00::2 ] via 10.1.0.2 "
        "dev veth0 \n")


def test_ipv4_route_delete_matches_encap():
    """fib_nh_match() -> fib_encap_match() (with a device given): another encap is No
    such process; IPv6 deletes do not compare it."""
    assert lines(
        *ENCAP_SETUP,
        "ip route add 10.71.0.0/16 encap ip dst 10.9.9.9 dev veth0",
        "ip route del 10.71.0.0/16 encap ip dst 10.8.8.8 dev veth0",
        "ip route del 10.71.0.0/16 encap seg6 mode encap segs fc00::1 dev veth0",
        "ip route show 10.71.0.0/16",
        "ip -6 route add fc00::16/128 encap seg6local action End.DX4 nh4 10.1.0.2 dev veth0",
        "ip -6 route del fc00::16/128 encap seg6local action End dev veth0",
        "ip -6 route show fc00::16/128") == (
        "RTNETLINK answers: No such process\n" * 2 +
        "10.71.0.0/16  encap ip id 0 src 0.0.0.0 dst 10.9.9.9 ttl 0 tos 0 dev veth0 "
        "scope link linkdown \n")


def test_ipv6_peer_address_and_its_route():
    """extract_addr(): IFA_ADDRESS other than IFA_LOCAL is the peer (shown `local peer
    PEER/plen`); __ipv6_ifa_notify() adds the peer's /128 route (after DAD) and deletes
    it with the address."""
    assert lines(
        "ip link add veth0 type veth peer name veth1", "ip link set veth0 up",
        "ip link set veth1 up",
        "ip -6 addr add 2001:db8:1::1/64 peer 2001:db8:2::/64 dev veth0 nodad",
        "ip -6 addr show dev veth0 scope global", "ip -6 route show dev veth0",
        "ip -6 addr add 2001:db8:7::1/64 peer 2001:db8:8::1/64 dev veth0",
        "ip -6 route show dev veth0 | grep 2001:db8:8", "sleep 3",
        "ip -6 route show dev veth0 | grep 2001:db8:8",
        "ip -6 addr del 2001:db8:7::1/64 dev veth0",
        "ip -6 route show dev veth0 | grep -c 2001:db8:8") == (
        "3: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP "
        "group default qlen 1000\n"
        "    inet6 2001:db8:1::1 peer 2001:db8:2::/64 scope global nodad \n"
        "       valid_lft forever preferred_lft forever\n"
        "2001:db8:1::/64 proto kernel metric 256 pref medium\n"
        "2001:db8:2:: proto kernel metric 256 pref medium\n"
        "fe80::/64 proto kernel metric 256 pref medium\n"
        "2001:db8:8::1 proto kernel metric 256 pref medium\n0\n")


def test_list_id_names_the_callers_own_namespace():
    """netns_get_name(): a name under /run/netns for the caller's own namespace (`ip
    netns attach self $$`) is found for the id that namespace has in itself."""
    assert lines("ip netns attach self $$", "ip netns add other", "ip netns set self 5",
                 "ip netns list-id") == "nsid 5 (iproute2 netns name: self)\n"


def test_link_netns_and_link_netnsid():
    """iplink_parse(): link-netns gives the namespace an id first, link-netnsid takes
    one as given; rtnl_newlink(): an unknown id is refused, a new device's driver gets
    that namespace as its source one (a veth's peer is made there)."""
    assert lines("ip link add veth0 type veth peer name veth1",
                 "ip link set dev veth0 link-netnsid 0",
                 "ip netns add ns1",
                 "ip link add veth6 link-netns ns1 type veth peer name veth1b",
                 "ip link show veth6 | head -1", "ip -n ns1 -br link show veth1b | cut -c1-16",
                 "ip netns list-id",
                 "ip link set dev veth0 link-netnsid abc",
                 "ip link set dev veth0 link-netnsid 0 link-netns ns1") == (
        "Error: Unknown network namespace id.\n"
        "4: veth6@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT "
        "group default qlen 1000\n"
        "veth1b@if4      \n"
        "nsid 0 (iproute2 netns name: ns1)\n"
        'Error: argument "abc" is wrong: Invalid "link-netnsid" value\n\n'
        'Error: duplicate "link-netns/link-netnsid": "ns1" is the second value.\n')


def test_bridge_port_proxy_arp_and_group_fwd_mask():
    """br_setport(): proxy_arp, proxy_arp_wifi and group_fwd_mask (a port refuses only
    the pause bit), shown by bridge_slave_print_opt() (fwd_mask_tbl's names) and the
    brport files, which write them too."""
    assert lines("ip link add br0 type bridge", "ip link add veth0 type veth peer name veth1",
                 "ip link set veth0 master br0",
                 "ip link set dev veth0 type bridge_slave proxy_arp on",
                 "ip link set dev veth0 type bridge_slave group_fwd_mask 1",
                 "ip link set dev veth0 type bridge_slave group_fwd_mask 0x4008",
                 "ip -d link show veth0 | grep -o 'proxy_arp [a-z]* proxy_arp_wifi [a-z]*\\|"
                 "group_fwd_mask [^ ]* group_fwd_mask_str [^ ]*'",
                 "echo 5 > /sys/class/net/veth0/brport/proxyarp_wifi",
                 "echo 2 > /sys/class/net/veth0/brport/group_fwd_mask",
                 "cat /sys/class/net/veth0/brport/proxyarp_wifi "
                 "/sys/class/net/veth0/brport/group_fwd_mask") == (
        "proxy_arp on proxy_arp_wifi off\n"
        "group_fwd_mask 0x4008 group_fwd_mask_str 0x8,lldp\n"
        "bash: echo: write error: Invalid argument\n1\n0x4008\n")   # an interactive bash


def test_sysfs_modes_in_ls_and_stat():
    """sysfs attributes: 0644 with a store(), 0444 without, flush 0200; a device's
    subdirectories 0755; its master, subsystem and adjacency entries links."""
    out = lines("ip link add br0 type bridge", "ip link add veth0 type veth peer name veth1",
                "ip link set veth0 master br0",
                "ls -l /sys/class/net/veth0/ | awk '{print $1, $NF}' | grep -v '^-r--'",
                "stat -c '%A %n' /sys/class/net/veth0/address /sys/class/net/br0/bridge/flush "
                "/sys/class/net/br0/bridge/stp_state /sys/class/net/veth0/brport/state")
    assert out == (
        "total 0\ndrwxr-xr-x brport\n-rw-r--r-- carrier\n-rw-r--r-- flags\n"
        "-rw-r--r-- gro_flush_timeout\n-rw-r--r-- ifalias\nlrwxrwxrwx ../br0\n"
        "-rw-r--r-- mtu\n-rw-r--r-- napi_defer_hard_irqs\n-rw-r--r-- netdev_group\n"
        "drwxr-xr-x power\n-rw-r--r-- proto_down\ndrwxr-xr-x queues\n"
        "drwxr-xr-x statistics\nlrwxrwxrwx ../../../../class/net\n-rw-r--r-- threaded\n"
        "-rw-r--r-- tx_queue_len\n-rw-r--r-- uevent\nlrwxrwxrwx ../br0\n"
        "-r--r--r-- /sys/class/net/veth0/address\n--w------- /sys/class/net/br0/bridge/flush\n"
        "-rw-r--r-- /sys/class/net/br0/bridge/stp_state\n"
        "-r--r--r-- /sys/class/net/veth0/brport/state\n")


def test_encap_addresses_are_colored_with_c():
    """print_srh()'s and print_encap_ip()'s print_color_string(): -c colors the
    segments (inet6) and the ip encap's src/dst (inet)."""
    assert lines(*ENCAP_SETUP,
                 "ip route add 10.9.0.0/16 encap seg6 mode encap segs fc00::1 dev veth0",
                 "ip route add 10.8.0.0/16 encap ip dst 10.2.0.1 dev veth0",
                 "ip -c route show 10.9.0.0/16", "ip -c route show 10.8.0.0/16") == (
        "\x1b[35m10.9.0.0/16 \x1b[0m encap seg6 mode encap segs 1 [ \x1b[34mfc00::1 \x1b[0m] "
        "dev \x1b[36mveth0 \x1b[0mscope link linkdown \n"
        "\x1b[35m10.8.0.0/16 \x1b[0m encap ip id 0 \x1b[35msrc 0.0.0.0 \x1b[0m\x1b[35mdst "
        "10.2.0.1 \x1b[0mttl 0 tos 0 dev \x1b[36mveth0 \x1b[0mscope link linkdown \n")
