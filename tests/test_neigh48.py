"""The fixes round 48's ARP and neighbour topic led to (its cases, neigh48_, are
replayed whole by test_rounds.py): the neighbour parms' times kept in jiffies as the
kernel keeps them (NEIGH_VAR), so `ip ntable change` in ms and /proc/sys in seconds or
clock_t each read back their own rounding, and the ARP locktime taken from the device's
parms. Every expected text was recorded on the project's Debian 12 machine with the
oracle's recorder (Linux 6.18, HZ 250, iproute2 6.1), twice, alike."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

VETH = "ip link add eth0 address 02:00:00:48:07:01 type veth peer name eth1"


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _run(shell, line: str) -> str:
    term, _status = shell.run_line(line)
    return term.text()


def test_ntable_ms_rounds_up_to_jiffies():
    """neightbl_set_parms(): nla_get_msecs() is msecs_to_jiffies(), rounding up to
    4 ms ticks; ip ntable shows jiffies_to_msecs() (recorded: neigh48_ntable_jiffies)."""
    shell = _shell(VETH, "ip ntable change name arp_cache dev eth0 gc_stale 1500 "
                   "delay_probe 2500 proxy_delay 55 anycast_delay 3 locktime 999")
    out = _run(shell, "ip ntable show name arp_cache dev eth0 | grep -v refcnt")
    assert "    gc_stale 1500 delay_probe 2500 queue 101 \n" in out
    assert "    anycast_delay 4 proxy_delay 56 proxy_queue 64 locktime 1000 \n" in out


def test_sysctl_reads_the_jiffies_in_its_unit():
    """The same jiffies read through /proc/sys: seconds and clock_t round down."""
    shell = _shell(VETH, "ip ntable change name arp_cache dev eth0 gc_stale 1500 "
                   "delay_probe 2500 proxy_delay 55 anycast_delay 3 locktime 999")
    out = _run(shell, "cd /proc/sys/net/ipv4/neigh/eth0 && grep . gc_stale_time "
               "delay_first_probe_time proxy_delay anycast_delay locktime")
    assert out == ("gc_stale_time:1\ndelay_first_probe_time:2\nproxy_delay:5\n"
                   "anycast_delay:0\nlocktime:100\n")


def test_clock_t_write_keeps_its_jiffies():
    """A clock_t write (neigh_proc_dointvec_userhz_jiffies) of 5 is 12 jiffies: ip
    ntable shows 48 ms; a write of seconds replaces what ip ntable set."""
    shell = _shell(VETH, "ip ntable change name arp_cache dev eth0 gc_stale 1500",
                   "sysctl -w net.ipv4.neigh.eth0.locktime=5 "
                   "net.ipv4.neigh.eth0.gc_stale_time=1 net.ipv4.neigh.eth0.proxy_delay=3")
    out = _run(shell, "ip ntable show name arp_cache dev eth0 | grep -v refcnt")
    assert "    gc_stale 1000 delay_probe 5000 queue 101 \n" in out
    assert "    anycast_delay 1000 proxy_delay 28 proxy_queue 64 locktime 48 \n" in out


def test_ndisc_parms_in_jiffies():
    """nd_tbl's retrans_time (no _ms) is jiffies itself: 1003 ms is 251."""
    shell = _shell(VETH, "ip ntable change name ndisc_cache dev eth0 locktime 7 "
                   "retrans 1003 proxy_delay 1")
    out = _run(shell, "sysctl net.ipv6.neigh.eth0.locktime net.ipv6.neigh.eth0.retrans_time "
               "net.ipv6.neigh.eth0.retrans_time_ms net.ipv6.neigh.eth0.proxy_delay")
    assert out == ("net.ipv6.neigh.eth0.locktime = 0\nnet.ipv6.neigh.eth0.retrans_time = 251\n"
                   "net.ipv6.neigh.eth0.retrans_time_ms = 1004\n"
                   "net.ipv6.neigh.eth0.proxy_delay = 0\n")
    out = _run(shell, "ip -6 ntable show dev eth0 | grep -v refcnt")
    assert "    anycast_delay 1000 proxy_delay 4 proxy_queue 64 locktime 8 \n" in out
