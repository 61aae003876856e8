"""The fixes round 38's tutorials in languages other than English and the learner's
mistakes led to (their cases, tutorials38c_, are replayed whole by test_rounds.py).
Every expected text was recorded on the project's Debian 12 machine with the oracle's
recorder (record.py, `bash -c LINE` on a pty: Linux 6.18, iproute2 6.1, net-tools 2.10,
iputils 20221126), twice, the two recordings alike under diff.py's masks."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell():
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("sysctl -qw net.ipv6.conf.default.disable_ipv6=1")
    shell.run_line("ip link add eth0 address 02:00:00:00:00:10 type veth peer name eth0p "
                   "address 02:00:00:00:00:11")
    shell.run_line("ip link set eth0p up; ip addr add 192.168.1.5/24 dev eth0; "
                   "ip link set eth0 up")
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- ifconfig's hardware words (the Polish ifconfig(8): tutorials38c_manpl_ifconfig_opcje)

def test_media_auto_sets_automedia_and_reads_auto_as_an_address():
    # ifconfig.c: set_flag(IFF_AUTOMEDIA) without spp++, so `auto` is the next word
    shell = _shell()
    assert _run(shell, "ifconfig eth0 media auto") == (
        "auto: Host name lookup failure\n"
        "ifconfig: `--help' gives usage information.\n", 1)
    assert _run(shell, "ip link show eth0")[0].splitlines()[0] == (
        "3: eth0@eth0p: <BROADCAST,MULTICAST,AUTOMEDIA,UP,LOWER_UP> mtu 1500 qdisc noqueue "
        "state UP mode DEFAULT group default qlen 1000")
    assert _run(shell, "ifconfig eth0 | head -1")[0] == \
        "eth0: flags=20547<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"


def test_media_names_numbers_and_unknown_types():
    shell = _shell()
    for line in ("ifconfig eth0 media 10baseT", "ifconfig eth0 port tpe",
                 "ifconfig eth0 media 100BASEtx", "ifconfig eth0 media 99"):
        assert _run(shell, line) == ("port: SIOCSIFMAP: Operation not supported\n", 1), line
    assert _run(shell, "ifconfig eth0 media fiber") == ("Unknown media type.\n", 1)
    assert _run(shell, "ifconfig eth0 media")[1] == 3        # usage(E_OPTERR)


def test_ifmap_words_fail_as_the_kernel_answers():
    # dev_setifmap(): no virtual driver has ndo_set_config; SIOCGIFMAP of a missing one
    shell = _shell()
    assert _run(shell, "ifconfig eth0 mem_start 0xd0000 io_addr 0x300 irq 10") == (
        "mem_start: SIOCSIFMAP: Operation not supported\n"
        "io_addr: SIOCSIFMAP: Operation not supported\n"
        "irq: SIOCSIFMAP: Operation not supported\n", 1)
    assert _run(shell, "ifconfig eth0:0 irq 10") == \
        ("irq: SIOCSIFMAP: Operation not supported\n", 1)
    assert _run(shell, "ifconfig eth9 irq 10") == ("irq: SIOCGIFMAP: No such device\n", 1)


def test_keepalive_and_outfill_are_driver_private_ioctls():
    # SIOCDEVPRIVATE and + 2: EOPNOTSUPP without ndo_siocdevprivate; the bridge's reads
    # its argument from the number given as an address (EFAULT)
    shell = _shell()
    assert _run(shell, "ifconfig eth0 keepalive x outfill y") == (
        "SIOCSKEEPALIVE: Operation not supported\nSIOCSOUTFILL: Operation not supported\n", 1)
    assert _run(shell, "ifconfig eth9 keepalive 10") == ("SIOCSKEEPALIVE: No such device\n", 1)
    shell.run_line("ip link add br0 type bridge")
    assert _run(shell, "ifconfig br0 keepalive 5; ifconfig br0 outfill 5") == (
        "SIOCSKEEPALIVE: Bad address\nSIOCSOUTFILL: Bad address\n", 1)


def test_minus_broadcast_warns_that_the_flag_stays():
    shell = _shell()
    assert _run(shell, "ifconfig eth0 -broadcast") == \
        ("Warning: Interface eth0 still in BROADCAST mode.\n", 0)


def test_name_renames_and_later_words_use_the_old_name():
    shell = _shell()
    assert _run(shell, "ifconfig eth0 name eth0p") == ("SIOCSIFNAME: File exists\n", 1)
    assert _run(shell, "ifconfig eth0 name a/b") == ("SIOCSIFNAME: Invalid argument\n", 1)
    assert _run(shell, "ifconfig eth0 name lan0 up") == \
        ("eth0: ERROR while getting interface flags: No such device\n", 255)    # goterr -1
    assert _run(shell, "ifconfig eth9 name x") == ("SIOCSIFNAME: No such device\n", 1)
    assert _run(shell, "ip -br link show lan0")[0].startswith("lan0@eth0p ")


# --- ping's SIGQUIT (Ctrl-\: tutorials38c_796t_ping_ctrl_quit)

def test_sigquit_prints_a_status_line_and_ping_goes_on():
    shell = _shell()
    shell.run_line("ip netns add gw; ip link set eth0p netns gw; "
                   "ip -n gw addr add 192.168.1.1/24 dev eth0p; ip -n gw link set eth0p up")
    out, status = _run(shell, "timeout -s QUIT 2.5 ping -c 4 -s 4 192.168.1.1")
    assert (re.sub(r"time \d+ms", "time Nms", out), status) == (
        "PING 192.168.1.1 (192.168.1.1) 4(32) bytes of data.\n"
        "12 bytes from 192.168.1.1: icmp_seq=1 ttl=64\n"
        "12 bytes from 192.168.1.1: icmp_seq=2 ttl=64\n"
        "12 bytes from 192.168.1.1: icmp_seq=3 ttl=64\n"
        "\r3/3 packets, 0% loss\n"
        "12 bytes from 192.168.1.1: icmp_seq=4 ttl=64\n"
        "\n--- 192.168.1.1 ping statistics ---\n"
        "4 packets transmitted, 4 received, 0% packet loss, time Nms\n\n", 124)
    out, status = _run(shell, "timeout -s QUIT 1.5 ping -w 2 192.168.1.99")
    assert "\r0/2 packets, 100% loss\n" in out and status == 124


# --- ping's numbers (the Windows habits of tutorials38c_selamat_windows_ping_id)

def test_ping_numbers_are_read_as_strtol_reads_them():
    # strtol_or_err(): digits only after blanks and a sign; `-w 0.1` is no deadline
    shell = _shell()
    assert _run(shell, "ping -w 1.5 192.168.1.5") == ("ping: invalid argument: '1.5'\n", 1)
    assert _run(shell, "ping -c 1_0 192.168.1.5") == ("ping: invalid argument: '1_0'\n", 1)
    assert _run(shell, "ping -c '2 ' 192.168.1.5") == ("ping: invalid argument: '2 '\n", 1)
    assert _run(shell, "ping -w 99999999999999999999 192.168.1.5") == (
        "ping: invalid argument: '99999999999999999999': Numerical result out of range\n", 1)
    assert _run(shell, "ip link set lo up; ping -c ' 1' -s 4 192.168.1.5")[1] == 0


# --- IPv6 routes on a device with IPv6 disabled (tutorials38c_umgum_ipv6_disable_ru)

def test_an_ipv6_route_needs_ipv6_on_its_device():
    # fib6_nh_init(): idev->cnf.disable_ipv6 is EACCES, after the gateway's check and
    # before the device's state; a reject route goes to lo and is taken
    shell = _shell()
    assert _run(shell, "ip -6 route add 2001:db8::/64 dev eth0") == \
        ("Error: IPv6 is disabled on nexthop device.\n", 2)
    assert _run(shell, "ip -6 route add default via fe80::1 dev eth0") == \
        ("Error: IPv6 is disabled on nexthop device.\n", 2)
    assert _run(shell, "route -A inet6 add 2001:db8:1::/64 dev eth0") == \
        ("SIOCADDRT: Permission denied\n", 7)
    shell.run_line("ip link set eth0 down")
    assert _run(shell, "ip -6 route add 2001:db8:4::/64 dev eth0") == \
        ("Error: IPv6 is disabled on nexthop device.\n", 2)
    assert _run(shell, "ip -6 route add unreachable 2001:db8:6::/64 dev eth0; ip -6 route") == \
        ("unreachable 2001:db8:6::/64 dev lo metric 1024 pref medium\n", 0)


# --- a macvlan's multicast filter (tutorials38c_chinasem_macvlan_modes_zh)

def test_one_macvlans_ipv6_chatter_is_not_counted_on_another():
    # macvlan_broadcast(): a multicast frame passes a macvlan's mc_filter only for a
    # group it joined (or broadcast, or promiscuous/allmulti): the other's MLD reports,
    # router solicitations and DAD probes stay out of its RX counters
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
                 "ip link add ens33 type veth peer name ens33p",
                 "ip link set ens33p up; ip link set ens33 up",
                 "ip netns add ns1; ip netns add ns2",
                 "ip link add mac1 link ens33 address 02:42:ac:11:00:01 type macvlan mode bridge",
                 "ip link add mac2 link ens33 address 02:42:ac:11:00:02 type macvlan mode bridge",
                 "ip link set mac1 netns ns1; ip link set mac2 netns ns2",
                 "ip -n ns1 addr add 172.16.10.11/24 dev mac1",
                 "ip -n ns2 addr add 172.16.10.12/24 dev mac2",
                 "ip -n ns1 link set mac1 up; ip -n ns2 link set mac2 up",
                 "ip netns exec ns1 ping -c 2 172.16.10.12"):
        shell.run_line(line)
    out = _run(shell, "ip netns exec ns1 ifconfig mac1")[0]
    assert "        RX packets 3  bytes 238 (238.0 B)\n" in out      # ARP reply, 2 echo replies
    assert "        TX packets 6  bytes 504 (504.0 B)\n" in out


# --- ifconfig's families, hardware classes and name order (tutorials38c_manpl_ifconfig_rodziny)

def test_inet6_address_words_go_to_getaddrinfo():
    shell = _shell()
    assert _run(shell, "ifconfig eth0 inet6 2001:db8::1") == \
        ("Don't know how to set addresses for family 10.\n", 1)
    assert _run(shell, "ifconfig eth0 inet6 2001:db8::1/64") == (
        "getaddrinfo: 2001:db8::1/64: -2\n2001:db8::1/64: Unknown host\n"
        "ifconfig: `--help' gives usage information.\n", 1)
    assert _run(shell, "ifconfig eth0 inet6 10.0.0.1") == (
        "getaddrinfo: 10.0.0.1: -9\n10.0.0.1: Resolver Error 0 (no error)\n"
        "ifconfig: `--help' gives usage information.\n", 1)


def test_hardware_classes_without_a_handler_and_fddi():
    shell = _shell()
    assert _run(shell, "ifconfig eth0 hw loop 00:00:00:00:00:00") == \
        ("hw address type `loop' has no handler to set address. failed.\n", 1)
    assert _run(shell, "ifconfig eth0 hw fddi 00:11:22:33:44:55") == \
        ("SIOCSIFHWADDR: Invalid argument\n", 1)
    assert _run(shell, "ifconfig eth0 hw fddi 0:11:22:33:44:55") == \
        ("0:11:22:33:44:55: invalid fddi address.\n", 1)


def test_names_are_inserted_in_nstrcmp_order_from_the_end():
    from ipemu.tools.ifconfig import nstrcmp
    assert nstrcmp("eth0:1:2", "eth0:abc") < 0 < nstrcmp("eth0:abc", "eth0:999")
    shell = _shell()
    for n, alias in enumerate(("0", "abc", "1:2", "999", "verylongaliasname", "10", "9")):
        shell.run_line(f"ifconfig eth0:{alias} 10.1.1.{n + 1}")
    names = [line.split()[0] for line in _run(shell, "ifconfig -a -s")[0].splitlines()[1:]]
    assert names == ["eth0", "eth0:0", "eth0:9", "eth0:10", "eth0:999", "eth0:1:2",
                     "eth0:abc", "eth0:verylongal", "eth0p", "lo"]
