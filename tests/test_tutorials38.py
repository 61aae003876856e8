"""The fixes round 38's tutorials on link kinds led to (their cases, tutorials38_, are
replayed whole by test_rounds.py). Every expected text was recorded on the project's
Debian 12 machine (Linux 6.18), in a fresh namespace (`unshare -n`) or with the
oracle's recorder (record.py), twice."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _run(line: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    return shell.run_line(line)


def test_a_new_tap_is_running_until_its_carrier_event_has_run():
    # tun_set_iff() turns the carrier on, `ip tuntap add` closing its file turns it
    # off (__tun_detach()); that linkwatch event waits while the host's linkwatch ran
    # less than a second ago, the operstate still the UNKNOWN of registration: ifconfig
    # shows RUNNING until `ip link show DEV` (RTM_GETLINK: linkwatch_sync_dev()) or the
    # delayed work runs it (recorded with `unshare -n`; tutorials38_dokk_tunctl_proxyarp).
    # The host's linkwatch is one for all namespaces: whether the first event of a
    # case waits depends on the other namespaces, so the veth's comes first here
    term, status = _run(
        "ip link add v0 type veth peer name v1; ip link set v0 up; "
        "ip tuntap add dev tap1 mode tap; ifconfig tap1 192.168.1.254 up; "
        "ifconfig tap1 | head -1; ip tuntap add dev tap2 mode tap; "
        "ifconfig tap2 192.168.2.254; ifconfig tap2 | head -1; "
        "ip addr add 10.1.1.1/24 dev tap2; ip link set tap2 up; "
        "ip link show tap2 | head -1; ifconfig tap2 | head -1; sleep 1.5; "
        "ifconfig tap1 | head -1")
    assert status == 0
    assert term.text() == (
        "tap1: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
        "tap2: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
        "5: tap2: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast "
        "state DOWN mode DEFAULT group default qlen 1000\n"
        "tap2: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500\n"
        "tap1: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500\n")


def test_a_tap_made_alone_has_no_carrier_at_once():
    # the first event in a second runs at once: `ip link show` and sysfs agree
    term, _ = _run("ip tuntap add dev tap0 mode tap; ip link set tap0 up; "
                   "ip link show tap0 | head -1; "
                   "cat /sys/class/net/tap0/carrier_changes /sys/class/net/tap0/operstate")
    assert term.text() == (
        "2: tap0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc pfifo_fast "
        "state DOWN mode DEFAULT group default qlen 1000\n1\ndown\n")


def test_bridge_ageing_time_is_twice_forward_delay_during_a_topology_change():
    # __br_set_topology_change(): br->ageing_time = 2 * forward_delay while the change
    # lasts, and IFLA_BR_AGEING_TIME sends br->ageing_time (recorded in
    # tutorials38_hechao_stp_loop: `ageing_time 800 ... topology_change 1` with
    # forward_delay 400, before that line was left out of the case as racy)
    term, _ = _run(
        "ip link add bridgeA address 02:00:00:00:0a:00 type bridge stp_state 1 "
        "forward_delay 400; ip link add bridgeB address 02:00:00:00:0b:00 type bridge "
        "stp_state 1 forward_delay 400; ip link add portA_0 type veth peer name portB_0; "
        "ip link add portA_1 type veth peer name portB_1; "
        "for p in portA_0 portA_1; do ip link set $p master bridgeA; done; "
        "for p in portB_0 portB_1; do ip link set $p master bridgeB; done; "
        "for d in bridgeA bridgeB portA_0 portA_1 portB_0 portB_1; do "
        "ip link set $d up; done; sleep 10; ip -d link show bridgeB; "
        "cat /sys/class/net/bridgeB/bridge/ageing_time "
        "/sys/class/net/bridgeB/bridge/topology_change")
    text = term.text()
    assert "ageing_time 800 stp_state 1 " in text and " topology_change 1 " in text
    assert text.endswith("800\n1\n")
    # without a change under way the configured value is back
    term, _ = _run("ip link add br0 type bridge forward_delay 400 stp_state 1; "
                   "ip link set br0 up; ip -d link show br0")
    assert "ageing_time 30000 stp_state 1 " in term.text()


def test_frames_sent_to_a_tun_or_tap_nobody_reads_are_dropped_and_counted():
    # no reader, no carrier: dev_activate() waits and the noop qdisc's noop_enqueue()
    # drops each frame, counted as TX dropped (the ARP requests of a tap, the echo
    # requests of a tun), never as sent; the pfifo_fast tc shows sent nothing (recorded
    # with `unshare -n`, and in tutorials38_pjg1_tun_peer)
    term, _ = _run(
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; "
        "ip tuntap add dev tap0 mode tap; ip addr add 10.8.8.1/24 dev tap0; "
        "ip link set tap0 up; ping -c 2 -W 1 10.8.8.2 > /dev/null; "
        "ip -s link show tap0 | tail -2; ip tuntap add dev tun1 mode tun; "
        "ip addr add 10.7.7.1/24 dev tun1; ip link set tun1 up; "
        "ping -c 3 -W 1 -i 0.3 10.7.7.2 > /dev/null; ip -s link show tun1 | tail -2; "
        "tc -s qdisc show dev tun1")
    assert term.text() == (
        "    TX:  bytes packets errors dropped carrier collsns           \n"
        "             0       0      0       2       0       0 \n"
        "    TX:  bytes packets errors dropped carrier collsns           \n"
        "             0       0      0       3       0       0 \n"
        "qdisc pfifo_fast 0: root refcnt 2 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1\n"
        " Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) \n"
        " backlog 0b 0p requeues 0\n")


def test_a_tun_has_no_hardware_address_to_set():
    # the kernel sends a tun no IFLA_ADDRESS, so iproute2's nl_get_ll_addr_len() has no
    # length to check and sends the request; dev_set_mac_address(): tun_netdev_ops have
    # no ndo_set_mac_address (EOPNOTSUPP), and the request fails whole (its MTU too);
    # a tap and lo take an address, a tun takes a broadcast of its length 0
    term, _ = _run(
        "ip tuntap add dev tun0 mode tun; ip link set tun0 address 02:00:00:00:00:01; "
        "echo $?; ip link set tun0 address 02; echo $?; "
        "ip link set tun0 broadcast 02:00:00:00:00:01; echo $?; "
        "ip link set tun0 mtu 1400 address 02:00:00:00:00:01; echo $?; "
        "ip link show tun0; ip link set lo address 02:00:00:00:00:01; ip link show lo; "
        "ip tuntap add dev tap0 mode tap; ip link set tap0 address 02:00:00:00:00:09; echo $?")
    assert term.text() == (
        "RTNETLINK answers: Operation not supported\n2\n"
        "RTNETLINK answers: Operation not supported\n2\n0\n"
        "RTNETLINK answers: Operation not supported\n2\n"
        "2: tun0: <POINTOPOINT,MULTICAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT "
        "group default qlen 500\n    link/none \n"
        "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default "
        "qlen 1000\n    link/loopback 02:00:00:00:00:01 brd 00:00:00:00:00:00\n0\n")
    # ifconfig's SIOCSIFHWADDR meets the same test before the family's (recorded)
    term, status = _run("ip tuntap add dev tun0 mode tun; "
                        "ifconfig tun0 hw ether 02:00:00:00:00:01")
    assert (term.text(), status) == ("SIOCSIFHWADDR: Operation not supported\n", 1)


def test_a_macvlan_without_carrier_counts_what_its_noop_qdisc_drops():
    # its lower without carrier, a macvlan (and a macvtap) has none either; the noop
    # qdisc dev_deactivate() left drops the ARP requests and noop_enqueue() counts
    # them as TX dropped (recorded with `unshare -n`)
    term, _ = _run(
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; "
        "ip link add v0 type veth peer name v1; "
        "ip link add link v0 name mv0 type macvlan mode bridge; "
        "ip addr add 10.9.9.1/24 dev mv0; ip link set mv0 up; "
        "ping -c 2 -W 1 10.9.9.2 >/dev/null; ip -s link show mv0 | tail -2; "
        "ip link add link v0 name mvt0 type macvtap; ip addr add 10.6.6.1/24 dev mvt0; "
        "ip link set mvt0 up; ping -c 2 -W 1 10.6.6.2 >/dev/null; "
        "ip -s link show mvt0 | tail -2")
    assert term.text() == 2 * (
        "    TX:  bytes packets errors dropped carrier collsns           \n"
        "             0       0      0       2       0       0 \n")


def test_carrier_changes_of_bridges_ifbs_and_macvlans():
    # recorded with `unshare -n` (sysfs of the namespace): a bridge, an ifb, a vxlan and
    # a macvlan or macvtap over a lower with carrier start with no change counted (a
    # veth, a tun or tap with one carrier-off); a macvlan made over a lower without
    # carrier gets it uncounted, so its first change is an up; a bridge's first port,
    # down, turns its carrier off once (+1), up and forwarding it flaps (off, on)
    c = ('c() { for d in "$@"; do echo "$d $(cat /sys/class/net/$d/carrier_changes) '
         '$(cat /sys/class/net/$d/carrier_up_count) '
         '$(cat /sys/class/net/$d/carrier_down_count)"; done; }; ')
    term, _ = _run(
        c + "ip link add v0 type veth peer name v1; "
        "ip link add link v0 name mdown type macvlan; ip link set v0 up; ip link set v1 up; "
        "ip link add link v0 name mup type macvlan; ip link add link v0 name tup type macvtap; "
        "ip link add br0 type bridge; ip link add ifb9 type ifb; "
        "ip link add vx0 type vxlan id 5 dstport 4789; ip tuntap add dev tp0 mode tap; "
        "c v0 mdown mup tup br0 ifb9 vx0 tp0; ip link set v1 down; c mdown mup; "
        "ip link set br0 up; ip link add v2 type veth peer name v3; "
        "ip link set v2 master br0; c br0; ip link set v2 up; ip link set v3 up; "
        "sleep 1.2; c br0; ip link add br1 address 02:00:00:00:00:aa type bridge; c br1; "
        "ip link add br2 type bridge; ip link set br2 up; ip link add v4 type veth peer "
        "name v5; ip link set v4 up; ip link set v5 up; ip link set v4 master br2; "
        "sleep 1.2; c br2")
    assert term.text() == (
        "v0 2 1 1\nmdown 1 1 0\nmup 0 0 0\ntup 0 0 0\nbr0 0 0 0\nifb9 0 0 0\nvx0 0 0 0\n"
        "tp0 1 0 1\nmdown 2 1 1\nmup 1 0 1\nbr0 1 0 1\nbr0 2 1 1\nbr1 1 0 1\nbr2 2 1 1\n")


def test_a_closed_lower_keeps_the_promiscuity_its_macvlans_gave_it():
    # macvlan_open() -> dev_uc_add() -> __dev_set_rx_mode(), which does nothing while
    # the lower is down: a macvlan up on a closed lower leaves it at 0 until it opens;
    # one going down meanwhile leaves the 1 until the lower opens again (recorded with
    # `unshare -n`: 0 1 1 1 0 1 1 1)
    term, _ = _run(
        "ip link add v0 type veth peer name v1; "
        "ip link add link v0 name mv0 type macvlan mode bridge; "
        "p() { ip -d link show v0 | grep -o 'promiscuity [0-9]*'; }; "
        "ip link set mv0 up; p; ip link set v0 up; p; ip link set v0 down; p; "
        "ip link set mv0 down; p; ip link set v0 up; p; ip link set mv0 up; p; "
        "ip link set v0 down; p; ip link set v0 up; p")
    assert term.text().split("\n")[:-1] == [
        f"promiscuity {n}" for n in (0, 1, 1, 1, 0, 1, 1, 1)]


def _monitor(lines: str) -> list[str]:
    term, _ = _run(
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; "
        + lines)
    return [line for line in term.text().split("\n") if line and "link/ether" not in line]


def test_a_macvlan_or_vxlan_on_a_lower_announces_the_lower_first():
    # netdev_upper_dev_link() / _unlink() in macvlan_common_newlink(), __vxlan_dev_create()
    # and their dellink: NETDEV_CHANGEUPPER, whose RTM_NEWLINK of the lower comes before
    # the upper's own message (recorded with `unshare -n` and `ip monitor link`)
    lower = ("3: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN "
             "group default ")
    assert _monitor(
        "ip link add v0 type veth peer name v1; "
        "timeout 2 ip monitor link > mon.txt 2>&1 & sleep 0.3; "
        "ip link add link v0 name mv0 type macvlan mode bridge; "
        "ip link add link v0 name mt0 type macvtap; "
        "ip link add vx0 type vxlan id 5 dstport 4789 dev v0; "
        "ip link add vx1 type vxlan id 6 dstport 4789; ip link del mv0; ip link del vx0; "
        "ip link set mt0 nomaster; sleep 2; cat mon.txt") == [
        lower,
        "4: mv0@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default ",
        lower,
        "5: mt0@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN group default ",
        lower,
        "6: vx0: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN group default ",
        "7: vx1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default ",
        lower,
        "Deleted 4: mv0@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN "
        "group default ",
        lower,
        "Deleted 6: vx0: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN group default "]


def test_a_lower_deleted_takes_its_macvlans_and_vxlans_before_its_own_message():
    # unregister_netdevice_many(): the pair closes (a message each), then v0's
    # NETDEV_UNREGISTER has the macvlan and vxlan drivers delete their devices there
    # (the macvlan closes, showing its lower down: M-DOWN) before v0's RTM_DELLINK; the
    # carrier the macvlan lost waits for linkwatch, which finds it gone (recorded)
    lines = _monitor(
        "ip link add v0 type veth peer name v1; "
        "ip link add link v0 name mv0 type macvlan mode bridge; "
        "ip link add vx0 type vxlan id 5 dstport 4789 dev v0; ip link set v0 up; "
        "ip link set mv0 up; ip addr add 10.3.3.1/24 dev mv0; ip link set v1 up; sleep 1.5; "
        "timeout 2 ip monitor link address route > mon.txt 2>&1 & sleep 0.3; "
        "ip link del v0; sleep 2; cat mon.txt")
    assert lines == [
        "3: v0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN group default ",
        "2: v1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state DOWN group default ",
        "4: mv0@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noqueue state DOWN "
        "group default ",
        "Deleted 4: mv0    inet 10.3.3.1/24 scope global mv0",
        "       valid_lft forever preferred_lft forever",
        "Deleted local 10.3.3.1 dev mv0 table local proto kernel scope host src 10.3.3.1 ",
        "Deleted 4: mv0@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN "
        "group default ",
        "Deleted 5: vx0: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN group default ",
        "Deleted 3: v0@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN "
        "group default ",
        "Deleted 2: v1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN "
        "group default "]


def test_ip_tuntap_del_attaches_for_a_moment_and_gives_the_carrier():
    # tap_del_ioctl(): TUNSETIFF attaches (tun_set_iff(): netif_carrier_on()), so a
    # bridged tap forwards for a moment and its bridge gets the carrier; the close takes
    # it away again (held by linkwatch for up to a second: the bridge's operstate is
    # still up right after); recorded with `unshare -n`
    term, _ = _run(
        "f() { cat /sys/class/net/br0/carrier_changes /sys/class/net/br0/operstate; }; "
        "ip link add br0 type bridge; ip link set br0 up; ip tuntap add dev tap0 mode tap; "
        "ip link set tap0 master br0; ip link set tap0 up; sleep 1.2; f; "
        "ip tuntap del dev tap0 mode tap; f; sleep 1.2; f")
    assert term.text().split() == ["1", "down", "3", "up", "3", "down"]


def test_routes_of_a_tap_opened_while_its_carrier_loss_waits_lose_linkdown():
    # fib_sync_up(dev, RTNH_F_DEAD) at NETDEV_UP clears RTNH_F_LINKDOWN when
    # dev_get_flags() says RUNNING: a new tap's carrier-off still held by linkwatch
    # leaves it so; a route added after gets LINKDOWN from fib_check_nh(), and the
    # held event's NETDEV_CHANGE (run here by RTM_GETLINK) marks them all (recorded)
    term, _ = _run(
        "ip link add v0 type veth peer name v1; ip link set v0 up; "
        "ip tuntap add dev tap0 mode tap; ifconfig tap0 192.168.0.254 up; "
        "route add -host 192.168.0.253 dev tap0; ip route; "
        "ip link show tap0 >/dev/null; ip route")
    assert term.text() == (
        "192.168.0.0/24 dev tap0 proto kernel scope link src 192.168.0.254 \n"
        "192.168.0.253 dev tap0 scope link linkdown \n"
        "192.168.0.0/24 dev tap0 proto kernel scope link src 192.168.0.254 linkdown \n"
        "192.168.0.253 dev tap0 scope link linkdown \n")
