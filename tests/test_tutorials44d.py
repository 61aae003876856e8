"""The fixes round 44's net-tools, ss and netstat tutorials led to (their cases,
tutorials44d_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, net-tools 2.10, iproute2 6.1)."""
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
    term, _ = shell.run_line(line)
    return term.text()


def _loopback_connection():
    return _shell("ip link set lo up",
                  "timeout 6 python3 -m http.server 80 --bind 127.0.0.1 > /dev/null 2>&1 &",
                  "sleep 1",
                  "timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/80; sleep 2' &",
                  "sleep 1")


SKMEM_LISTEN = "\t skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)\n"
SKMEM_LO = " skmem:(r0,rb131072,t0,tb3939840,f0,w0,o0,bl0,d0)"


def test_ss_memory_listener_on_its_own_line():
    # ss -m: "\n\t" then print_skmeminfo(); alone, the listener's text does not widen
    # the Process column (field_flush() never runs for the last socket)
    shell = _shell("ip link set lo up",
                   "timeout 6 python3 -m http.server 80 --bind 127.0.0.1 > /dev/null 2>&1 &",
                   "sleep 1")
    lines = _out(shell, "ss -ltmn | cat").split("\n")
    assert lines[0].endswith("PortProcess")
    assert lines[1].endswith("0.0.0.0:*   ")
    assert lines[2] + "\n" == SKMEM_LISTEN


def test_ss_memory_oneline_and_expanded_sndbuf():
    # -O keeps skmem on the socket's line; an established socket's sndbuf is
    # tcp_sndbuf_expand()'s (lo: tb3939840)
    shell = _loopback_connection()
    text = _out(shell, "ss -tmnO state established sport = :80 | cat")
    assert text.splitlines()[1].endswith(SKMEM_LO)


def test_ss_process_column_measured_but_the_last_socket():
    # recorded: `ss -tm | sed ...` pads the header's Process to the first socket's
    # skmem text (51 = "\n\t" and 49), the last socket's text not counted; a listener
    # first pads its shorter skmem line to that width
    shell = _loopback_connection()
    lines = _out(shell, "ss -tam | cat").split("\n")
    assert lines[:3] == [
        "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process" + " " * 44,
        "LISTEN 0      5          127.0.0.1:http       0.0.0.0:*    ",
        SKMEM_LISTEN.rstrip("\n") + "  "]
    assert lines[-2] == "\t" + SKMEM_LO


def test_ifconfig_inet6_del_without_inet6_dev_is_enxio():
    # recorded: under IPV6_MIN_MTU the device has no inet6_dev: add is EINVAL,
    # del ENXIO (inet6_addr_del())
    shell = _shell("ip link add eth0 type veth peer name eth1",
                   "ifconfig eth0 10.1.1.1 up", "ifconfig eth0 mtu 1000")
    assert _out(shell, "ifconfig eth0 inet6 add 2001:db8::10/64") == \
        "SIOCSIFADDR: Invalid argument\n"
    assert _out(shell, "ifconfig eth0 inet6 del 2001:db8::10/64") == \
        "SIOCDIFADDR: No such device or address\n"


def test_ifconfig_address_in_another_family():
    # ifconfig.c: the family's input() and herror(), or no input(), or the switch on
    # ap->af that sets addresses for AF_INET and AF_ECONET only (recorded:
    # tutorials44d_ifconfig8_families)
    shell = _shell("ip link add eth0 type veth peer name eth1")
    hint = "ifconfig: `--help' gives usage information.\n"
    assert _out(shell, "ifconfig eth0 ax25 AB1CD") == \
        "Don't know how to set addresses for family 3.\n"
    assert _out(shell, "ifconfig eth0 ax25 ABCDEFGH") == "ABCDEFGH: Callsign too long\n" + hint
    assert _out(shell, "ifconfig eth0 netrom 1.2.3.4") == "1.2.3.4: Invalid callsign\n" + hint
    assert _out(shell, "ifconfig eth0 rose 12") == \
        "12: Node address must be ten digits\n" + hint
    assert _out(shell, "ifconfig eth0 ipx 1") == \
        "ifconfig: error resolving '1' to set address for af=ipx\n" + hint
    assert _out(shell, "ifconfig eth0 ddp 1") == \
        "ifconfig: Cannot set address for this protocol family.\n"
    assert _out(shell, "ifconfig eth0 ec 1") == "No support for ECONET on this system.\n"
    # the family's socket is -1: set_flag()'s SIOCGIFFLAGS on it is EBADF
    term, status = shell.run_line("ifconfig eth0 ax25 up")
    assert term.text() == "eth0: ERROR while getting interface flags: Bad file descriptor\n"


def test_ifconfig_hw_classes_inputs():
    # recorded: tutorials44d_ifconfig8_hw_classes
    shell = _shell("ip link add eth0 type veth peer name eth1")
    assert _out(shell, "ifconfig eth0 hw ax25 AB1CD") == "SIOCSIFHWADDR: Invalid argument\n"
    assert _out(shell, "ifconfig eth0 hw ax25 ab.cd") == "ab.cd: invalid ax25 address.\n"
    assert _out(shell, "ifconfig eth0 hw rose 12") == "12: invalid rose address.\n"
    assert _out(shell, "ifconfig eth0 hw x25 1") == "SIOCSIFHWADDR: Invalid argument\n"
    assert _out(shell, "ifconfig eth0 hw arcnet 1") == "1: invalid arcnet address.\n"


def test_netstat_continuous_repeats_each_second():
    # main()'s loops: -c lists again after wait_continous()'s sleep(1); the interface
    # table's banner only with the socket it opens, the first time (recorded:
    # tutorials44d_netstat_continuous)
    shell = _shell("ip link add eth0 type veth peer name eth1")
    text = _out(shell, "timeout 2.5 netstat -ic")
    assert text.count("Kernel Interface table\n") == 1
    assert text.count("Iface             MTU") == 3
    # an empty table is route_info()'s failure: the loop ends after one listing
    assert _out(shell, "timeout 1.5 netstat -rnc").count("Kernel IP routing table\n") == 1
    shell.run_line("ip addr add 10.4.4.1/24 dev eth0")
    shell.run_line("ip link set eth0 up")
    text = _out(shell, "timeout 1.5 netstat -rnc")
    assert text.count("Kernel IP routing table\n") == 2


def test_ping_raw_sockets_in_ss_netstat_and_summary():
    # recorded (tutorials44d_ss_netstat_raw_ping): root's ping holds a raw ICMP and a
    # raw ICMPv6 socket while it runs (one with -4/-6); UNCONN, the protocol as port
    shell = _shell("ip link set lo up", "ping -c 25 -i 0.2 127.0.0.1 > /dev/null &",
                   "sleep 0.3")
    assert _out(shell, "ss -wan | sed 's/ *$//'") == (
        "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
        "UNCONN 0      0            0.0.0.0:1         0.0.0.0:*\n"
        "UNCONN 0      0                  *:58              *:*\n")
    assert _out(shell, "netstat -wa") == (
        "Active Internet connections (servers and established)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
        "raw        0      0 0.0.0.0:icmp            0.0.0.0:*               7          \n"
        "raw6       0      0 [::]:ipv6-icmp          [::]:*                  7          \n")
    assert "RAW\t  2         1         1        \n" in _out(shell, "ss -s")
    assert _out(shell, "netstat -w") == (
        "Active Internet connections (w/o servers)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n")
    shell.run_line("wait")
    assert _out(shell, "ss -wan | cat").count("\n") == 1
