"""The fixes round 41's bridge tutorials led to (their cases, tutorials41_, are
replayed whole by test_rounds.py). Every expected text was recorded on the project's
Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a pty:
Linux 6.18 at HZ 250 without 8021q or dummy, iproute2 6.1), twice, the two
recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _out(shell, line: str) -> str:
    """What `bash -c LINE` prints, as the recorder ran it (bash's `line 1:`)."""
    quoted = "'" + line.replace("'", "'\\''") + "'"
    term, _ = shell.run_line(f"bash -c {quoted}")
    return term.text()


def _port_shell():
    return _shell("ip link add br0 type bridge",
                  "ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1",
                  "ip link set veth0 master br0")


BR = "/sys/class/net/br0/bridge/"
EINVAL = "bash: line 1: echo: write error: Invalid argument\n"


def test_sysfs_group_fwd_mask_and_group_addr_writes():
    # tutorials41_sysfs_bridge_writes: group_fwd_mask_store() refuses the restricted
    # bits and keeps a u16; group_addr_store() reads with mac_pton() (two digits a
    # byte) and refuses the pause/slow/PAE groups
    shell = _port_shell()
    assert _out(shell, f"echo 0x4000 > {BR}group_fwd_mask; cat {BR}group_fwd_mask") == \
        "0x4000\n"
    assert _out(shell, f"echo 1 > {BR}group_fwd_mask") == EINVAL
    assert _out(shell, f"echo 0x10000 > {BR}group_fwd_mask; cat {BR}group_fwd_mask") == \
        "0x0\n"
    assert _out(shell, f"echo 01:80:c2:00:00:02 > {BR}group_addr") == EINVAL
    assert _out(shell, f"echo 01:80:c2:00:00:0E > {BR}group_addr; cat {BR}group_addr") \
        == "01:80:c2:00:00:0e\n"
    assert _out(shell, f"echo 1:80:c2:0:0:f > {BR}group_addr") == EINVAL
    assert _out(shell, f"echo x > {BR}group_addr") == EINVAL
    assert _out(shell, "ip -d link show br0 | grep -o 'group_address [^ ]*'") == \
        "group_address 01:80:c2:00:00:0e\n"


def test_sysfs_boolopts_nf_call_and_no_linklocal_learn():
    # nf_call_*_store() and no_linklocal_learn_store(): !!val, shown by ip -d link
    shell = _port_shell()
    assert _out(shell, f"echo 1 > {BR}no_linklocal_learn; echo 7 > {BR}nf_call_arptables"
                ) == ""
    assert _out(shell, f"grep . {BR}no_linklocal_learn {BR}nf_call_arptables") == \
        f"{BR}no_linklocal_learn:1\n{BR}nf_call_arptables:1\n"
    assert _out(shell, "ip -d link show br0 | grep -o 'no_linklocal_learn [0-9]*\\|"
                "nf_call_arptables [0-9]*'") == "no_linklocal_learn 1\nnf_call_arptables 1\n"
    shell.run_line("ip link set br0 type bridge no_linklocal_learn 0")
    assert _out(shell, f"cat {BR}no_linklocal_learn") == "0\n"


def test_sysfs_flush_of_bridge_and_port():
    # set_flush(): every entry but the static ones; brport flush (which raised a
    # NameError) drops the port's non-static entries as IFLA_BRPORT_FLUSH does
    shell = _port_shell()
    shell.run_line("bridge fdb add 02:00:00:00:00:99 dev veth0 master")
    shell.run_line("bridge fdb add 02:00:00:00:00:98 dev veth0 master static")
    shell.run_line("bridge fdb add 02:00:00:00:00:97 dev veth0 master dynamic")
    kept = ("02:00:00:00:00:98 dev veth0 master br0 static\n"
            "02:00:00:00:00:99 dev veth0 master br0 permanent\n")
    assert _out(shell, f"echo 1 > {BR}flush; bridge fdb show br br0 | grep :9") == kept
    shell.run_line("bridge fdb add 02:00:00:00:00:96 dev veth0 master dynamic")
    assert _out(shell, "echo 1 > /sys/class/net/veth0/brport/flush; "
                "bridge fdb show br br0 | grep :9") == kept
    assert _out(shell, f"echo abc > {BR}flush") == EINVAL


def test_bridge_times_round_through_jiffies():
    # tutorials41_bridge_opts_errors: br_set_ageing_time() keeps clock_t_to_jiffies()
    # of the value and shows jiffies_to_clock_t() of it: at HZ 250 5 comes back 4
    shell = _shell("ip link add br0 type bridge")
    shell.run_line("ip link set br0 type bridge ageing_time 5")
    assert _out(shell, f"cat {BR}ageing_time") == "4\n"
    shell.run_line("ip link set br0 type bridge ageing_time 6001 forward_delay 201")
    assert _out(shell, "ip -d link show br0 | grep -o 'forward_delay [0-9]*\\|"
                "ageing_time [0-9]*'") == "forward_delay 200\nageing_time 6000\n"


def _querier_shell():
    return _shell(
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
        "ip netns add h1",
        "ip link add br0 type bridge mcast_querier 1",
        "ip link add v1 address 02:00:00:00:00:01 type veth peer name eth0 "
        "address 02:00:00:00:00:11 netns h1",
        "ip netns exec h1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
        "ip link set v1 master br0 up", "ip addr add 10.9.0.254/24 dev br0",
        "ip link set br0 up", "sleep 1")


def _igmp_lines(text: str) -> list[str]:
    """The packet lines of a capture, without their time stamps."""
    return [line.split(" ", 1)[1] if line[:1].isdigit() else line
            for line in text.splitlines()
            if "IGMP" in line or "igmp" in line]


def test_querier_sends_v2_general_query_out_of_an_enabled_port():
    # tutorials41_querier_v2_join_leave: br_multicast_enable_port() fires the port's
    # own query at once: IGMPv2, from 0.0.0.0 and the bridge's MAC, TTL 1, DF, RA
    shell = _querier_shell()
    shell.run_line("timeout 3 tcpdump -i v1 -n -e -v -c 1 igmp &")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h1 addr add 10.9.0.1/24 dev eth0")
    shell.run_line("ip -n h1 link set eth0 up")
    term, _ = shell.run_line("wait")
    assert _igmp_lines(term.text()) == [
        "02:00:00:00:00:01 > 01:00:5e:00:00:01, ethertype IPv4 (0x0800), length 46: "
        "(tos 0xc0, ttl 1, id 0, offset 0, flags [DF], proto IGMP (2), length 32, "
        "options (RA))",
        "    0.0.0.0 > 224.0.0.1: igmp query v2"]


def test_host_that_heard_a_v2_querier_joins_and_leaves_with_v2_messages():
    # igmp_heard_query() sets mr_v2_seen: igmp_group_added() then sends a v2 report
    # to the group 2 jiffies on, igmp_group_dropped() a leave to 224.0.0.2 (the
    # host's report was the last); the bridge learns the group from the report
    shell = _querier_shell()
    shell.run_line("ip -n h1 addr add 10.9.0.1/24 dev eth0")
    shell.run_line("ip -n h1 link set eth0 up")
    shell.run_line("sleep 1")
    shell.run_line("timeout 3 tcpdump -i br0 -n -v -c 1 'igmp and dst 239.1.1.1' &")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h1 addr add 239.1.1.1/32 dev eth0 autojoin")
    term, _ = shell.run_line("wait")
    assert _igmp_lines(term.text())[1] == \
        "    10.9.0.1 > 239.1.1.1: igmp v2 report 239.1.1.1"
    assert _out(shell, "bridge mdb show") == "dev br0 port v1 grp 239.1.1.1 temp\n"
    shell.run_line("timeout 3 tcpdump -i br0 -n -v -c 1 'igmp and dst 224.0.0.2' &")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h1 addr del 239.1.1.1/32 dev eth0")
    term, _ = shell.run_line("wait")
    assert _igmp_lines(term.text())[1] == "    10.9.0.1 > 224.0.0.2: igmp leave 239.1.1.1"


def test_querier_turned_on_again_sends_v3_query_with_igmp_version_3():
    # br_multicast_set_querier() -> br_multicast_start_querier(): the queries start
    # again; mcast_igmp_version 3 makes them IGMPv3 (12 bytes: IP length 36)
    shell = _querier_shell()
    shell.run_line("ip -n h1 link set eth0 up")
    shell.run_line("ip link set br0 type bridge mcast_igmp_version 3")
    shell.run_line("ip link set br0 type bridge mcast_querier 0")
    shell.run_line("ip netns exec h1 timeout 3 tcpdump -i eth0 -n -vv -c 1 igmp &")
    shell.run_line("sleep 1")
    shell.run_line("ip link set br0 type bridge mcast_querier 1")
    term, _ = shell.run_line("wait")
    lines = _igmp_lines(term.text())
    assert lines == ["IP (tos 0xc0, ttl 1, id 0, offset 0, flags [DF], proto IGMP (2), "
                     "length 36, options (RA))", "    0.0.0.0 > 224.0.0.1: igmp query v3"]


def test_snooping_with_a_querier_forwards_groups_to_members_only():
    # tutorials41_snooping_querier_forwarding: once the querier's delay (the query
    # response interval after it was turned on) is over, a known group's traffic goes
    # to its member ports only, an unknown group's (mrouters_only) to router ports
    # only; before it, and with snooping off, both are flooded
    shell = _shell(
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
        "ip link add br0 type bridge mcast_querier 1")
    for i in (1, 2, 3):
        shell.run_line(f"ip netns add h{i}")
        shell.run_line(f"ip link add p{i} type veth peer name eth0 netns h{i}")
        shell.run_line(f"ip netns exec h{i} sysctl -qw net.ipv6.conf.all.disable_ipv6=1")
        shell.run_line(f"ip -n h{i} addr add 10.3.0.{i}/24 dev eth0")
        shell.run_line(f"ip -n h{i} link set eth0 up")
        shell.run_line(f"ip link set p{i} master br0 up")
    shell.run_line("ip link set br0 up")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h2 addr add 239.1.1.1/32 dev eth0 autojoin")
    shell.run_line("ip -n h1 route add 224.0.0.0/4 dev eth0")

    def captured(group: str) -> tuple[int, int]:
        shell.run_line("timeout 3 ip netns exec h2 tcpdump -i eth0 -n -c 2 icmp &")
        shell.run_line("timeout 3 ip netns exec h3 tcpdump -i eth0 -n -c 2 icmp &")
        shell.run_line("sleep 1")
        shell.run_line(f"ip netns exec h1 ping -c 2 -i 0.5 -W 1 -t 1 {group}")
        term, _ = shell.run_line("wait")
        counts = [int(line.split()[0]) for line in term.text().splitlines()
                  if line.endswith("captured")]
        return counts[0], counts[1]

    assert captured("239.1.1.1") == (2, 2)          # the querier's delay: flooded
    shell.run_line("sleep 9")
    assert captured("239.1.1.1") == (2, 0)
    assert captured("239.9.9.9") == (0, 0)
    shell.run_line("ip link set br0 type bridge mcast_snooping 0")
    assert captured("239.9.9.9") == (2, 2)


def test_querier_answers_a_leave_with_a_group_specific_query():
    # tutorials41_querier_leave_group_query: br_multicast_leave_group() with
    # multicast_querier sends the group's query out of the port (max response time
    # the last member interval, 1 s: tcpdump prints it, unlike the default 10 s)
    shell = _querier_shell()
    shell.run_line("ip -n h1 addr add 10.9.0.1/24 dev eth0")
    shell.run_line("ip -n h1 link set eth0 up")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h1 addr add 239.1.1.1/32 dev eth0 autojoin")
    shell.run_line("sleep 1")
    shell.run_line("timeout 2 tcpdump -i v1 -n -v -c 2 'igmp and not dst 239.1.1.1' &")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h1 addr del 239.1.1.1/32 dev eth0")
    term, _ = shell.run_line("wait")
    assert _igmp_lines(term.text())[1::2] == [
        "    10.9.0.1 > 224.0.0.2: igmp leave 239.1.1.1",
        "    0.0.0.0 > 224.0.0.1: igmp query v2 [max resp time 10] [gaddr 239.1.1.1]"]
    assert _out(shell, "bridge mdb show") == "dev br0 port v1 grp 239.1.1.1 temp\n"
    shell.run_line("sleep 2")
    assert _out(shell, "bridge mdb show") == ""


def test_mcast_stats_count_a_ports_igmp_messages():
    # tutorials41_querier_xstats: br_multicast_count() with mcast_stats_enabled: the
    # port's general and group queries sent (TX v2 2), the host's report and leave
    # heard (RX); mcast_query_use_ifaddr makes the queries come from the bridge
    shell = _shell(
        "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
        "ip netns add h1",
        "ip link add br0 type bridge mcast_querier 1 mcast_query_use_ifaddr 1 "
        "mcast_stats_enabled 1",
        "ip link add v1 type veth peer name eth0 netns h1",
        "ip netns exec h1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1",
        "ip link set v1 master br0 up", "ip addr add 10.9.0.254/24 dev br0",
        "ip link set br0 up", "sleep 1",
        "timeout 2 tcpdump -i v1 -n -c 1 igmp &", "sleep 1",
        "ip -n h1 addr add 10.9.0.1/24 dev eth0", "ip -n h1 link set eth0 up")
    term, _ = shell.run_line("wait")
    assert " IP 10.9.0.254 > 224.0.0.1: igmp query v2\n" in term.text()
    shell.run_line("ip -n h1 addr add 239.1.1.1/32 dev eth0 autojoin")
    shell.run_line("sleep 0.1")
    shell.run_line("ip -n h1 addr del 239.1.1.1/32 dev eth0")
    # (the reports the port heard: one or two in the recordings, the second one's
    # time random)
    out = _out(shell, "ip link xstats type bridge_slave dev v1 | sed 5,7d | head -5")
    assert out.splitlines()[1:] == [
        "                    IGMP queries:",
        "                      RX: v1 0 v2 0 v3 0",
        "                      TX: v1 0 v2 2 v3 0",
        "                    IGMP leaves: RX: 1 TX: 0"]


def test_force_igmp_version_makes_v1_and_v2_reports():
    # tutorials41_force_igmp_version_bridge: IGMP_V2_SEEN()/IGMP_V1_SEEN() hold for
    # force_igmp_version 2/1 (the device's or all's): a v2 report and leave, a v1
    # report, /proc/net/igmp's querier column V1 (ipemu sent nothing before)
    shell = _querier_shell()
    shell.run_line("ip link set br0 type bridge mcast_querier 0")
    shell.run_line("ip -n h1 addr add 10.9.0.1/24 dev eth0")
    shell.run_line("ip -n h1 link set eth0 up")
    shell.run_line("ip netns exec h1 sysctl -w net.ipv4.conf.eth0.force_igmp_version=2")
    shell.run_line("timeout 2 tcpdump -i br0 -n -c 2 igmp &")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h1 addr add 239.1.1.1/32 dev eth0 autojoin")
    shell.run_line("sleep 0.1")
    shell.run_line("ip -n h1 addr del 239.1.1.1/32 dev eth0")
    term, _ = shell.run_line("wait")
    assert _igmp_lines(term.text()) == [
        "IP 10.9.0.1 > 239.1.1.1: igmp v2 report 239.1.1.1",
        "IP 10.9.0.1 > 224.0.0.2: igmp leave 239.1.1.1"]
    shell.run_line("ip netns exec h1 sysctl -w net.ipv4.conf.all.force_igmp_version=1")
    shell.run_line("timeout 2 tcpdump -i br0 -n -c 1 igmp &")
    shell.run_line("sleep 1")
    shell.run_line("ip -n h1 addr add 239.2.2.2/32 dev eth0 autojoin")
    term, _ = shell.run_line("wait")
    assert _igmp_lines(term.text()) == ["IP 10.9.0.1 > 239.2.2.2: igmp v1 report 239.2.2.2"]
    assert _out(shell, "ip netns exec h1 head -2 /proc/net/igmp").splitlines()[1] == \
        "2\teth0      :     2      V1"
