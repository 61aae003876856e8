"""The fixes round 46's ARP and neighbour tutorials led to (their cases, tutorials46b_,
are replayed whole by test_rounds.py). Every expected text was recorded on the
project's Debian 12 machine (Linux 6.18, iproute2 6.1, net-tools 2.10) in a fresh
network namespace (`unshare -n` or the oracle's recorder, twice)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


_shell = test_bash_c_lines.shell_after
_run = test_bash_c_lines.text_and_status


_SETUP = ("ip link add eth0 address 02:00:00:46:1b:01 type veth peer name eth1 "
          "address 02:00:00:46:1b:02", "ip link set eth0 up", "ip link set eth1 up",
          "ip addr add 10.46.27.1/24 dev eth0")


# --- net-tools arp.c: dontpub is sent (ATF_DONTPUB); arp_del() -v echoes each word

def test_arp_dontpub_without_pub_is_refused_by_the_kernel():
    shell = _shell(*_SETUP)
    assert _run(shell, "arp -s 10.46.27.17 02:00:00:46:1b:17 dontpub; echo $?") == (
        "SIOCSARP: Invalid argument\n255\n", 0)
    assert _run(shell, "arp -s 10.46.27.20 02:00:00:46:1b:20 auto; echo $?") == ("0\n", 0)
    assert _run(shell, "arp -v -d 10.46.27.20 dontpub; echo $?") == (
        "args=dontpub\narp: SIOCDARP(dontpub)\nSIOCDARP(dontpub): Invalid argument\n255\n",
        0)


# --- pneigh_ifdown_and_unlock(): only neigh_ifdown() takes a device's proxy entries

def test_proxy_entries_survive_carrier_loss_but_not_the_link_going_down():
    shell = _shell(*_SETUP, "ip neigh add proxy 10.46.27.50 dev eth0",
                   "ip neigh add proxy 2001:db8::50 dev eth0",
                   "ip neigh add proxy 10.46.27.51")
    shell.run_line("ip link set eth1 down")
    shell.run_line("ip link set eth0 arp off")
    shell.run_line("ip link set eth0 arp on")
    out, _ = _run(shell, "ip neigh show proxy | sort")
    assert out == ("10.46.27.50 dev eth0 proxy \n10.46.27.51 proxy \n"
                   "2001:db8::50 dev eth0 proxy \n")
    shell.run_line("ip link set eth0 down")
    assert _run(shell, "ip neigh show proxy") == ("10.46.27.51 proxy \n", 0)


def test_the_last_ipv4_address_going_takes_only_the_ipv4_proxy_entries():
    shell = _shell(*_SETUP, "ip neigh add proxy 10.46.27.50 dev eth0",
                   "ip neigh add proxy 2001:db8::50 dev eth0")
    shell.run_line("ip addr del 10.46.27.1/24 dev eth0")
    assert _run(shell, "ip neigh show proxy") == ("2001:db8::50 dev eth0 proxy \n", 0)
    shell.run_line("sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1")
    assert _run(shell, "ip neigh show proxy") == ("", 0)
