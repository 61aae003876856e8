"""The fixes round 37's public tutorials and course labs led to (their cases,
tutorials37_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty), twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _run(line: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    return shell.run_line(line)


def test_sysctl_of_a_directory_lists_what_lies_below_it():
    # procps ReadSetting(): a directory is DisplayAll() of it, in /proc/sys's name
    # order, with -N and -r as for -a (recorded in a fresh namespace: `unshare -n`)
    term, status = _run("sysctl -N net.core; sysctl -r rmem net.core; "
                        "sysctl net.ipv4.conf.lo | head -3")
    assert status == 0
    assert term.text() == (
        "net.core.optmem_max\nnet.core.rmem_default\nnet.core.rmem_max\n"
        "net.core.rps_default_mask\nnet.core.somaxconn\nnet.core.tstamp_allow_data\n"
        "net.core.txrehash\nnet.core.wmem_default\nnet.core.wmem_max\n"
        "net.core.xfrm_acq_expires\nnet.core.xfrm_aevent_etime\n"
        "net.core.xfrm_aevent_rseqth\nnet.core.xfrm_larval_drop\n"
        "net.core.rmem_default = 212992\nnet.core.rmem_max = 4194304\n"
        "net.ipv4.conf.lo.accept_local = 0\nnet.ipv4.conf.lo.accept_redirects = 1\n"
        "net.ipv4.conf.lo.accept_source_route = 1\n")


def test_sysctl_write_to_a_directory_is_warned_of_and_skipped():
    # WriteSetting(): a directory (mode 0555) has no S_IWUSR: "setting key", status 0
    term, status = _run("sysctl -w net.core=1")
    assert (term.text(), status) == ('sysctl: setting key "net.core": Invalid argument\n', 0)


def test_tcpdump_makes_its_device_promiscuous_while_it_runs_unless_p():
    # libpcap's pcap_activate(): PACKET_MR_PROMISC adds one to dev->promiscuity until
    # the socket closes; IFF_PROMISC in ip link's flags stays the user's (gflags), the
    # count shows in ip -d link (recorded: tutorials37_safari_hacking_promisc)
    term, _ = _run(
        "ip link add eth0 type veth peer name p0; ip link set eth0 up; "
        "timeout 2 tcpdump -i eth0 -c 1 -n 2>/dev/null & sleep 1; "
        "ip -d link show eth0 | grep -o 'promiscuity [0-9]*'; "
        "ip link show eth0 | grep -c PROMISC; wait; "
        "ip -d link show eth0 | grep -o 'promiscuity [0-9]*'; "
        "timeout 2 tcpdump -p -i eth0 -c 1 -n 2>/dev/null & sleep 1; "
        "ip -d link show eth0 | grep -o 'promiscuity [0-9]*'; wait")
    lines = [ln for ln in term.text().splitlines() if ln.startswith(("promiscuity", "0", "1"))]
    assert lines == ["promiscuity 1", "0", "promiscuity 0", "promiscuity 0"]


def test_ip_monitor_all_hears_the_nsid_after_the_netconf_and_names_the_links_after_it():
    # a veth made into another namespace: NETDEV_REGISTER's netconf messages, then the
    # id rtnl_configure_link()'s message allocates, then the link; `all` subscribes
    # RTNLGRP_NSID, and print_nsid() puts the name in the map print_linkinfo() reads
    # (recorded: tutorials37_thelinuxcode_ip_monitor, and this sequence in a fresh
    # namespace with record.py; the second namespace had its id from the first add)
    term, _ = _run(
        "ip netns add mon; ip netns add far; timeout 1 ip -n mon monitor all & "
        "sleep 0.5; ip link add eth0 netns mon address 02:00:00:00:00:01 type veth "
        "peer name eth0 netns far; wait; timeout 1 ip -n far monitor all & sleep 0.5; "
        "ip link add eth1 netns far address 02:00:00:00:00:02 type veth peer name eth1 "
        "netns mon; wait")
    netconf = ("[NETCONF]inet {d} forwarding off rp_filter off mc_forwarding off "
               "proxy_neigh off ignore_routes_with_linkdown off \n"
               "[NETCONF]inet6 {d} forwarding off mc_forwarding off proxy_neigh off "
               "ignore_routes_with_linkdown off \n")
    assert term.text() == (
        netconf.format(d="eth0") +
        "[NSID]nsid 0 (iproute2 netns name: far)\n"
        "[LINK]2: eth0@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group "
        "default \n    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns far\n" +
        netconf.format(d="eth1") +
        "[LINK]3: eth1@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group "
        "default \n    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff link-netns mon\n")


def test_a_veth_moved_between_two_named_namespaces_gives_the_peers_namespace_no_id():
    # __dev_change_net_namespace(): the old namespace's RTM_DELLINK names the new one
    # (an id there), the RTM_NEWLINK in the new one names the peer's; the peer's own
    # namespace gets an id only when it next fills a message about the peer (recorded
    # in a fresh namespace with record.py)
    term, _ = _run(
        "ip netns add ns1; ip netns add ns2; ip link add veth0 type veth peer name veth1; "
        "ip link set veth1 netns ns1; ip netns list; ip -n ns1 link set veth1 netns ns2; "
        "ip netns list; ip -n ns1 netns list; ip link show veth0 >/dev/null; ip netns list")
    assert term.text() == ("ns2\nns1 (id: 0)\n" "ns2\nns1 (id: 0)\n" "ns2 (id: 1)\nns1\n"
                           "ns2 (id: 1)\nns1 (id: 0)\n")


def test_ip_netns_del_of_a_namespace_a_process_runs_in_leaves_it_unnamed_until_it_ends():
    # put_net(): the name goes at once, the namespace (its veth, the id the host gave
    # it) when the last process in it exits (recorded: tutorials37_ipfire_netns_del_busy)
    term, _ = _run(
        "ip netns add net0; ip link add eth0 type veth peer name peer0; "
        "ip link set dev eth0 netns net0; ip netns exec net0 sleep 5 & sleep 0.5; "
        "ip netns del net0; ip netns list; ip link show peer0 | grep -o 'link-netns.*'; "
        "ip netns add net0; ip link add eth0 type veth peer name peer1; "
        "ip link set dev eth0 netns net0; ip netns list; wait; sleep 1; "
        "ip -br link | cut -d' ' -f1")
    assert term.text() == "link-netnsid 0\nnet0 (id: 1)\nlo\npeer1@if5\n"


def test_a_bridge_port_going_down_loses_its_dynamic_fdb_entries_newest_first():
    # br_stp_disable_port() -> br_fdb_delete_by_port(br, p, 0, 0): learned and
    # `dynamic` entries go (RTM_DELNEIGH each, the list walked newest first), static
    # and local ones stay (recorded in a fresh namespace with record.py; a port leaving
    # a bridge: tutorials37_stricted_br_monitor_fdb)
    term, _ = _run(
        "ip netns add a; ip link add br0 address 02:00:00:00:88:00 type bridge; "
        "ip link add pa address 02:00:00:00:88:01 type veth peer name eth0 netns a "
        "address 02:00:00:00:88:0a; ip link set pa master br0; "
        "ip addr add 10.88.0.254/24 dev br0; ip -n a addr add 10.88.0.1/24 dev eth0; "
        "ip link set br0 up; ip link set pa up; ip -n a link set eth0 up; sleep 1; "
        "ping -c 1 10.88.0.1 > /dev/null; "
        "bridge fdb add 02:00:00:00:88:99 dev pa master static; "
        "bridge fdb add 02:00:00:00:88:98 dev pa master dynamic; "
        "timeout 1 bridge monitor fdb & sleep 0.3; ip -n a link set eth0 down; wait; "
        "bridge fdb show br br0 | grep 'dev pa master'")
    assert term.text() == (
        "Deleted 02:00:00:00:88:98 dev pa master br0 \n"
        "Deleted 02:00:00:00:88:0a dev pa master br0 \n"
        "02:00:00:00:88:99 dev pa master br0 static\n"
        "02:00:00:00:88:01 dev pa master br0 permanent\n")


def test_a_bridge_port_moved_to_another_namespace_leaves_its_bridge_in_unregister():
    # __dev_change_net_namespace(): dev_close(), dev_shutdown() (qdisc noop), then
    # NETDEV_UNREGISTER's notifiers: inetdev's netconf deletions, then br_device_event()
    # -> br_del_if(); bridge monitor's ll_index_to_flags() of an index no namespace
    # shows it is -1 (no M-DOWN). Recorded in a fresh namespace with record.py.
    term, _ = _run(
        "ip netns add x; ip link add br0 address 02:00:00:00:99:00 type bridge; "
        "ip link add p0 address 02:00:00:00:99:01 type veth peer name q0 "
        "address 02:00:00:00:99:02; ip link set p0 master br0; ip link set br0 up; "
        "ip link set p0 up; ip link set q0 netns x; sleep 1; "
        "timeout 2 ip monitor link netconf & timeout 2 bridge monitor & sleep 0.5; "
        "ip link set p0 netns x; ip netns del x; wait")
    assert term.text() == '4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue master br0 state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x\n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN \n    link/ether 02:00:00:00:99:01\nDeleted inet p0 \nDeleted inet6 p0 \n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x\n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN \n    link/ether 02:00:00:00:99:01\nDeleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN \n    link/ether 02:00:00:00:99:01\n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x\n2: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default event FEATURE CHANGE \n    link/ether 02:00:00:00:99:00 brd ff:ff:ff:ff:ff:ff\nDeleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x new-netns x new-ifindex 4\n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 \n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 \n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 \n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 \nDeleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 \nDeleted 02:00:00:00:99:01 dev p0 master br0 permanent\n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 \n2: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 \nDeleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 \n'


def test_ip_monitor_reads_its_messages_after_the_request_that_made_them():
    # rtnl_listen() reads the socket once the kernel has let go of the request:
    # ll_index_to_name() then asks about an index whose device has moved away
    # (`dev if4` in the FDB deletion of a bridge port moved to another namespace).
    # Recorded in a fresh namespace with record.py.
    term, _ = _run(
        "ip netns add x; ip link add br0 address 02:00:00:00:99:00 type bridge; "
        "ip link add p0 address 02:00:00:00:99:01 type veth peer name q0 "
        "address 02:00:00:00:99:02; ip link set p0 master br0; ip link set br0 up; "
        "ip link set p0 up; ip link set q0 netns x; sleep 1; "
        "timeout 2 ip monitor all & timeout 2 bridge monitor & sleep 0.5; "
        "ip link set p0 netns x; ip netns del x; wait")
    assert term.text() == '[LINK]4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue master br0 state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x\n[LINK]4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN \n    link/ether 02:00:00:00:99:01\n[NETCONF]Deleted inet p0 \n[NETCONF]Deleted inet6 p0 \n[LINK]4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x\n[LINK]4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN \n    link/ether 02:00:00:00:99:01\n[LINK]Deleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN \n    link/ether 02:00:00:00:99:01\n[NEIGH]Deleted dev if4 lladdr 02:00:00:00:99:01 PERMANENT \n[LINK]4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x\n[LINK]2: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default event FEATURE CHANGE \n    link/ether 02:00:00:00:99:00 brd ff:ff:ff:ff:ff:ff\n[LINK]Deleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default \n    link/ether 02:00:00:00:99:01 brd ff:ff:ff:ff:ff:ff link-netns x new-netns x new-ifindex 4\n[NSID]Deleted nsid 0 (iproute2 netns name: x)\n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 \n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 \n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 \n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 state disabled priority 32 cost 2 \nDeleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 master br0 \nDeleted 02:00:00:00:99:01 dev p0 master br0 permanent\n4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 \n2: br0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 \nDeleted 4: p0@if3: <BROADCAST,MULTICAST> mtu 1500 \n'


def test_an_unnamed_busy_namespace_keeps_its_id_until_freed_then_deleted_nsid():
    # the host's id for the namespace stays (list-id without a name, the peer's
    # link-netnsid) until cleanup_net() releases it with RTM_DELNSID (recorded in a
    # fresh namespace with record.py)
    term, _ = _run(
        "ip netns add z; ip link add a0 type veth peer name b0 netns z; "
        "ip netns exec z sleep 2 & sleep 0.3; ip netns del z; ip netns list-id; "
        "ip link show a0 | grep -o 'link-netns.*'; "
        "ip -j link show a0 | grep -o '\"link_netnsid\":[0-9]*'; "
        "timeout 2 ip monitor nsid & sleep 2.2; wait; ip netns list-id; ip -br link")
    assert term.text() == ('nsid 0 \nlink-netnsid 0\n"link_netnsid":0\nDeleted nsid 0 \n'
                           'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n')
