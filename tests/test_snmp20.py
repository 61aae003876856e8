"""The kernel's SNMP counters (kernel/snmp.py), nstat's history and the process tools
(tools/procps.py): rules the transcripts do not pin one by one."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.snmp import mib_of
from ipemu.session import Session


def _session() -> Session:
    return Session.create("default", "bare")


def _run(s: Session, line: str) -> tuple[str, int]:
    term, status = s.run_line(line)
    return term.text(), status


def _veth(s: Session) -> None:
    for line in ("ip netns add peer", "ip link add eth0 type veth peer name eth0p",
                 "ip link set eth0p netns peer",
                 "sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1",
                 "ip addr add 192.168.0.10/24 dev eth0", "ip link set eth0 up",
                 "ip -n peer addr add 192.168.0.50/24 dev eth0p",
                 "ip -n peer link set eth0p up"):
        assert _run(s, line)[1] == 0, line


def test_counters_are_per_namespace_and_follow_a_ping():
    s = _session()
    _veth(s)
    assert _run(s, "ping -c 2 -i 0.2 192.168.0.50 > /dev/null")[1] == 0
    mine = mib_of(s.host.init_ns.stack)
    peer = mib_of(s.host.namespaces["peer"].stack)
    assert (mine.ip["OutRequests"], mine.ip["InDelivers"]) == (2, 2)
    assert (mine.icmpmsg[0x100 | 8], mine.icmpmsg[0]) == (2, 2)       # echoes out, replies in
    assert (peer.icmpmsg[8], peer.icmpmsg[0x100 | 0]) == (2, 2)
    assert mine.ip["OutOctets"] == peer.ip["InOctets"] == 2 * 84


def test_a_forwarding_host_counts_what_it_forwards_and_what_it_cannot():
    s = _session()
    _veth(s)
    for line in ("ip netns exec peer sysctl -qw net.ipv4.ip_forward=1",
                 "ip -n peer route add 10.3.0.0/24 via 192.168.0.10",
                 "ip route add 10.0.0.0/8 via 192.168.0.50",
                 "ping -c 1 -W 1 -t 1 10.3.0.1", "ping -c 1 -W 1 10.1.0.1"):
        _run(s, line)
    peer = mib_of(s.host.namespaces["peer"].stack)
    assert peer.ip["InHdrErrors"] == 1            # the TTL that ran out
    assert peer.ip["InNoRoutes"] == 1             # 10.1.0.1: no route at all
    assert peer.icmpmsg[0x100 | 11] == 1 and peer.icmpmsg[0x100 | 3] == 1


def test_proc_net_snmp_reads_the_reading_namespace():
    s = _session()
    _veth(s)
    _run(s, "ping -c 1 192.168.0.50 > /dev/null")
    here, _ = _run(s, "grep '^Ip: [0-9]' /proc/net/snmp")
    there, _ = _run(s, "ip netns exec peer grep '^Ip: [0-9]' /proc/net/snmp")
    assert here.split()[9] == "1" and there.split()[9] == "1"      # OutRequests
    assert _run(s, "ip netns exec peer grep -c IcmpMsg /proc/net/snmp")[0] == "2\n"


def test_nstat_first_run_prints_totals_then_increments():
    s = _session()
    s.run_line("ip link set lo up")
    s.run_line("ping -c 1 127.0.0.1 > /dev/null")
    first, status = _run(s, "nstat IpInReceives")
    assert status == 0 and first.splitlines()[1].split()[:2] == ["IpInReceives", "2"]
    assert _run(s, "nstat")[0] == "#kernel\n"
    s.run_line("ping -c 1 127.0.0.1 > /dev/null")
    assert "IpInReceives                    2 " in _run(s, "nstat -s")[0]
    assert "IpInReceives                    4 " in _run(s, "nstat -a")[0]
    assert _run(s, "cat /tmp/.nstat.u0")[0].startswith("#kernel\nIpInReceives")


def test_pgrep_pkill_and_pidof_see_a_background_job():
    s = _session()
    s.run_line("sleep 100 &")
    pid = s.jobs[-1].pid
    assert _run(s, "pidof sleep") == (f"{pid}\n", 0)
    assert _run(s, "pgrep -a sleep") == (f"{pid} sleep 100\n", 0)
    assert _run(s, "pgrep -c nosuch") == ("0\n", 1)
    assert _run(s, "pkill -e sleep") == (f"sleep killed (pid {pid})\n", 0)
    assert s.jobs[-1].proc.done
    assert _run(s, "pidof sleep") == ("", 1)


def test_ps_lists_the_shell_the_jobs_and_itself():
    s = _session()
    s.run_line("sleep 100 &")
    out, status = _run(s, "ps -o comm=")
    assert status == 0 and out == "bash\nsleep\nps\n"
    out, status = _run(s, "ps -p 999999")
    assert (out, status) == ("  PID TTY          TIME CMD\n", 1)


def test_ipv6_counts_what_a_link_start_sends_and_what_is_delivered():
    s = _session()
    for line in ("ip netns add peer", "ip link add eth0 type veth peer name eth0p",
                 "ip link set eth0p netns peer", "ip addr add 2001:db8::10/64 dev eth0",
                 "ip -n peer addr add 2001:db8::50/64 dev eth0p", "ip link set eth0 up",
                 "ip -n peer link set eth0p up", "sleep 3",
                 "ping -c 1 2001:db8::50 > /dev/null"):
        s.run_line(line)
    mine = mib_of(s.host.init_ns.stack)
    peer = mib_of(s.host.namespaces["peer"].stack)
    assert mine.icmp6msg[0x100 | 143] > 0 and mine.icmp6msg[0x100 | 135] > 0   # MLD, NS
    assert mine.ip6["OutMcastPkts"] == peer.ip6["InMcastPkts"]
    assert mine.icmp6msg[129] == 1 and peer.icmp6msg[128] == 1
    # the other side's MLD reports (ff02::16) reach the device but are not delivered
    assert peer.ip6["InReceives"] > peer.ip6["InDelivers"]


def test_a_neighbour_advertisement_answers_a_unicast_solicitation_without_the_option():
    # ndisc_recv_ns(): inc_opt and override only for a multicast solicitation
    from ipemu.kernel import packet as P
    s = _session()
    for line in ("ip link add eth0 type veth peer name eth0p", "ip link set eth0 up",
                 "ip link set eth0p up", "ip addr add 2001:db8::10/64 dev eth0 nodad"):
        s.run_line(line)
    ns = s.host.init_ns
    sent = []
    ns.stack.open_tap(ns.by_name("eth0p"), lambda t, raw, dev, out: sent.append(raw))
    stack, eth0 = ns.stack, ns.by_name("eth0")
    for dst in ("2001:db8::10", "ff02::1:ff00:10"):
        probe = P.Ipv6(ipaddress.IPv6Address("2001:db8::99"),
                       ipaddress.IPv6Address(dst), P.IPPROTO_ICMPV6,
                       P.Icmp6(P.NDISC_NEIGHBOUR_SOLICITATION,
                               target=ipaddress.IPv6Address("2001:db8::10"),
                               lladdr=b"\x02\0\0\0\0\x99"), hop_limit=255)
        stack.ipv6_rcv(eth0, probe)
    s.host.sleep(0.01)
    lengths = sorted(len(raw) for raw in sent if raw[12:14] == b"\x86\xdd" and raw[54] == 136)
    assert lengths == [14 + 40 + 24, 14 + 40 + 32]
