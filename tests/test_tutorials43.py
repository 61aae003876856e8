"""Round 43's tutorials on IPv6 addresses over time (tutorials43: lifetimes counting
down, DAD and its sysctls, optimistic addresses, temporary addresses and their
regeneration, addrgenmode and stable_secret). The golden texts are the cases
tests/oracle_cases/tutorials43_* (recorded twice on the project's Debian 12 machine,
Linux 6.18, iproute2 6.1, iputils 20221126; replayed whole by tests/test_rounds.py);
the tests here pin one fix each."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output


def _veth(s) -> None:
    for line in ("ip link add eth0 address 02:00:00:43:03:01 type veth peer name eth1 "
                 "address 02:00:00:43:03:02", "ip link set eth1 up", "ip link set eth0 up",
                 "sleep 3"):
        _run(s, line)


def test_dad_runs_when_all_accept_dad_is_set_though_the_devices_is_0():
    """addrconf_dad_begin() skips DAD only when all.accept_dad and the device's are
    both below 1; ipv6_add_addr() makes the address tentative whatever they are. ipemu
    looked at the device's value alone. Recorded: tutorials43_livid_accept_dad_max
    (`2001:db8:44::4/64 scope global tentative` with all=1, eth0=0)."""
    _case("tutorials43_livid_accept_dad_max")
    s = _shell()
    _veth(s)
    _run(s, "sysctl -w net.ipv6.conf.eth0.accept_dad=0")
    _run(s, "ip -6 addr add 2001:db8::3/64 dev eth0")
    assert "2001:db8::3/64 scope global \n" in _run(s, "ip -6 addr show dev eth0")
    _run(s, "sysctl -w net.ipv6.conf.all.accept_dad=1")
    _run(s, "ip -6 addr add 2001:db8::4/64 dev eth0")
    assert "2001:db8::4/64 scope global tentative \n" in \
        _run(s, "ip -6 addr show dev eth0 to 2001:db8::4")
    _run(s, "ip link set eth0 down")      # not ready: it waits, tentative, for the link
    _run(s, "ip -6 addr add 2001:db8::5/64 dev eth0")
    assert "tentative" in _run(s, "ip -6 addr show dev eth0 to 2001:db8::5")


def test_ping_binds_to_an_optimistic_address():
    """__ipv6_chk_addr_and_flags() drops IFA_F_TENTATIVE from an optimistic address's
    flags: `ping -6 -I` of one binds and gets its reply while DAD still runs (ipemu
    said `bind icmp socket: Cannot assign requested address`). Recorded:
    tutorials43_livid_accept_dad_max."""
    s = _shell()
    for line in ("ip netns add far", "ip link add eth0 type veth peer name eth0 netns far",
                 "ip -n far link set eth0 up",
                 "ip -n far -6 addr add 2001:db8:44::2/64 dev eth0 nodad",
                 "ip link set eth0 up", "sleep 3",
                 "sysctl -w net.ipv6.conf.eth0.optimistic_dad=1",
                 "ip -6 addr add 2001:db8:44::7/64 dev eth0 optimistic"):
        _run(s, line)
    assert "optimistic tentative" in _run(s, "ip -6 addr show dev eth0 optimistic")
    out = _run(s, "ping -6 -c 1 -W 2 -I 2001:db8:44::7 2001:db8:44::2")
    assert "1 packets transmitted, 1 received, 0% packet loss" in out


def test_a_dynamic_address_that_fails_dad_is_deleted():
    """addrconf_dad_stop(): only an IFA_F_PERMANENT address stays as `dadfailed
    tentative`; one with a finite valid lifetime goes (ipv6_del_addr()), announced as
    `Deleted ... dadfailed tentative dynamic`. Recorded: tutorials43_monitor_dadfailed."""
    _case("tutorials43_monitor_dadfailed")
    s = _shell()
    for line in ("ip netns add a", "ip netns add b",
                 "ip link add eth0 netns a type veth peer name eth0 netns b",
                 "ip -n a link set eth0 up", "ip -n b link set eth0 up",
                 "ip -n a -6 addr add 2001:db8::1/64 dev eth0 nodad",
                 "ip -n a -6 addr add 2001:db8::9/64 dev eth0 nodad", "sleep 3",
                 "ip -n b -6 addr add 2001:db8::1/64 dev eth0 valid_lft 60",
                 "ip -n b -6 addr add 2001:db8::9/64 dev eth0", "sleep 3"):
        _run(s, line)
    out = _run(s, "ip -n b -6 addr show dev eth0 scope global")
    assert "2001:db8::1/64" not in out
    assert "2001:db8::9/64 scope global dadfailed tentative" in out


def test_a_short_temp_prefered_lft_is_clamped_to_regen_advance():
    """ipv6_create_tempaddr() (6.9's clamp): a preferred lifetime no longer than
    regen_advance (regen_min_advance 2 + regen_max_retry 3 * dad_transmits 1 * 1 s) is
    raised to regen_advance + 1, unless that passes the valid lifetime; ipemu made no
    temporary address. Recorded: tutorials43_tempaddr_regen (`valid_lft 12sec
    preferred_lft 6sec` with temp_prefered_lft 2)."""
    _case("tutorials43_tempaddr_regen")
    s = _shell()
    _veth(s)
    for line in ("sysctl -w net.ipv6.conf.eth0.use_tempaddr=2",
                 "sysctl -w net.ipv6.conf.eth0.temp_prefered_lft=2",
                 "sysctl -w net.ipv6.conf.eth0.temp_valid_lft=12",
                 "ip -6 addr add 2001:db8:48::5/64 dev eth0 mngtmpaddr nodad"):
        _run(s, line)
    assert "valid_lft 12sec preferred_lft 6sec" in \
        _run(s, "ip -6 addr show dev eth0 temporary")
    _run(s, "sysctl -w net.ipv6.conf.eth0.temp_valid_lft=5")
    _run(s, "ip -6 addr add 2001:db8:49::5/64 dev eth0 mngtmpaddr nodad")
    assert _run(s, "ip -6 addr show dev eth0 temporary to 2001:db8:49::/64") == ""


def test_temporary_addresses_are_regenerated_before_they_are_deprecated():
    """addrconf_verify_rtnl(): a temporary address past DAD whose age plus
    regen_advance reaches its preferred lifetime gets one successor (regen_count);
    with temp_prefered_lft 6 (regen_advance 5) the real kernel made one about every
    second (recorded: 5 to 7 of them after 8 s, the older ones deprecated). ipemu made
    none after the first."""
    s = _shell()
    _veth(s)
    for line in ("sysctl -w net.ipv6.conf.eth0.use_tempaddr=2",
                 "sysctl -w net.ipv6.conf.eth0.max_desync_factor=0",
                 "sysctl -w net.ipv6.conf.eth0.temp_prefered_lft=6",
                 "sysctl -w net.ipv6.conf.eth0.temp_valid_lft=12",
                 "ip -6 addr add 2001:db8:47::5/64 dev eth0 mngtmpaddr nodad"):
        _run(s, line)
    assert _run(s, "ip -6 addr show dev eth0 temporary").count("inet6") == 1
    _run(s, "sleep 8")
    out = _run(s, "ip -6 addr show dev eth0 temporary")
    assert 5 <= out.count("inet6") <= 8
    assert "temporary deprecated dynamic" in out
    # every one lives temp_valid_lft from the public address's tstamp on
    lifetimes = re.findall(r"valid_lft (\d+)sec preferred_lft (\d+)sec", out)
    assert all(int(v) - int(p) == 6 or p == "0" for v, p in lifetimes)
    _run(s, "ip -6 addr del 2001:db8:47::5/64 dev eth0")
    assert _run(s, "ip -6 addr show dev eth0 temporary") == ""


def test_a_permanent_ipv4_address_is_never_deprecated_by_time():
    """check_lifetime() skips an IFA_F_PERMANENT IPv4 address (valid_lft forever)
    whatever its preferred lifetime: shown `forever` both, and not deprecated when the
    preferred one would have run out (ipemu deprecated it). An IPv6 one is
    (addrconf_verify_rtnl() skips only permanent ones preferred forever). Recorded:
    tutorials43_lifetime_edges."""
    _case("tutorials43_lifetime_edges")
    s = _shell()
    _veth(s)
    _run(s, "ip addr add 10.49.0.2/24 dev eth0 valid_lft forever preferred_lft 1")
    _run(s, "ip -6 addr add 2001:db8:49::1/64 dev eth0 nodad valid_lft forever "
         "preferred_lft 1")
    _run(s, "sleep 2")
    assert "inet 10.49.0.2/24 scope global eth0\n       valid_lft forever " \
        "preferred_lft forever" in _run(s, "ip -4 addr show dev eth0")
    assert "2001:db8:49::1/64 scope global nodad deprecated \n       valid_lft forever " \
        "preferred_lft 0sec" in _run(s, "ip -6 addr show dev eth0 scope global")


def test_temporary_addresses_follow_their_public_addresss_lifetimes():
    """inet6_addr_modify() -> manage_tempaddrs(): a change of the public address's
    lifetimes passes on to its temporary addresses (cut to temp_valid_lft and
    temp_prefered_lft since each was made), preferred 0 deprecates them, forever gives
    them the temp_* lifetimes again; taking mngtmpaddr away deletes them and giving it
    back makes one. ipemu left them as they were. Recorded:
    tutorials43_oneuptime_temporary_manage."""
    _case("tutorials43_oneuptime_temporary_manage")
    s = _shell()
    _veth(s)
    for line in ("sysctl -w net.ipv6.conf.eth0.use_tempaddr=2",
                 "sysctl -w net.ipv6.conf.eth0.max_desync_factor=0",
                 "ip -6 addr add 2001:db8:53::1/64 dev eth0 mngtmpaddr nodad",
                 "ip -6 addr change 2001:db8:53::1/64 dev eth0 mngtmpaddr nodad "
                 "valid_lft 600 preferred_lft 0"):
        _run(s, line)
    out = _run(s, "ip -6 addr show dev eth0 temporary")
    assert "temporary deprecated tentative dynamic \n       valid_lft 600sec " \
        "preferred_lft 0sec" in out
    _run(s, "ip -6 addr change 2001:db8:53::1/64 dev eth0 mngtmpaddr nodad")
    assert "valid_lft 604800sec preferred_lft 86400sec" in \
        _run(s, "ip -6 addr show dev eth0 temporary")
    _run(s, "ip -6 addr change 2001:db8:53::1/64 dev eth0 nodad")
    assert _run(s, "ip -6 addr show dev eth0 temporary") == ""
    _run(s, "ip -6 addr change 2001:db8:53::1/64 dev eth0 nodad mngtmpaddr")
    assert _run(s, "ip -6 addr show dev eth0 temporary").count("inet6") == 1


def test_ip_addr_restore_sends_the_saved_flags_and_lifetimes():
    """ipaddr_restore(): each saved message goes back with its flags (the kernel
    keeps NODAD, HOMEADDRESS, MANAGETEMPADDR, NOPREFIXROUTE, MCAUTOJOIN, OPTIMISTIC)
    and its lifetimes left; the link-local address still there is `address already
    assigned` and passed over. ipemu's request took its NLM flags for `optimistic`, so
    every nodad address was refused as `IFA_F_NODAD and IFA_F_OPTIMISTIC are mutually
    exclusive`. Recorded: tutorials43_json_lifetime_flags."""
    _case("tutorials43_json_lifetime_flags")
    s = _shell()
    _veth(s)
    for line in ("ip -6 addr add 2001:db8:55::3/64 dev eth0 nodad preferred_lft 0 "
                 "noprefixroute", "ip -6 addr add 2001:db8:55::1/64 dev eth0 valid_lft 300 preferred_lft 100",
                 "ip -6 addr save dev eth0 > v6.bin",
                 "ip -6 addr flush dev eth0 scope global"):
        _run(s, line)
    assert _run(s, "ip -6 addr restore < v6.bin") == \
        "Error: ipv6: address already assigned.\n"
    out = _run(s, "ip -6 addr show dev eth0 scope global")
    assert "2001:db8:55::3/64 scope global nodad deprecated noprefixroute \n" in out
    assert "2001:db8:55::1/64 scope global tentative dynamic \n       valid_lft 300sec" in out


def test_router_solicitation_delay_0_starts_dad_at_once():
    """addrconf_dad_kick(): DAD waits a random delay below rtr_solicit_delay
    (router_solicitation_delay) before its first probe; with 0 there is none, so with
    retrans_time_ms 2000 an address is tentative for exactly 2 s (recorded: still at
    1.5 s, no longer at 2.5 s). ipemu always waited up to 1 s. Recorded:
    tutorials43_dad_timing_sysctls."""
    _case("tutorials43_dad_timing_sysctls")
    for _ in range(5):      # whatever the random draws
        s = _shell()
        _veth(s)
        _run(s, "sysctl -w net.ipv6.conf.eth0.router_solicitation_delay=0")
        _run(s, "sysctl -w net.ipv6.neigh.eth0.retrans_time_ms=2000")
        _run(s, "ip -6 addr add 2001:db8:66::1/64 dev eth0")
        _run(s, "sleep 1.9")
        assert "tentative" in _run(s, "ip -6 addr show dev eth0 tentative")
        _run(s, "sleep 0.2")
        assert _run(s, "ip -6 addr show dev eth0 tentative") == ""


def test_keep_addr_on_down_keeps_only_permanent_addresses_and_noarp_skips_dad():
    """addrconf_ifdown(): keep_addr_on_down keeps IFA_F_PERMANENT addresses only (an
    infinite valid lifetime), so a `valid_lft 100` one goes at the down (ipemu kept
    every address added by hand); addrconf_dad_begin() completes the DAD of an address
    on an IFF_NOARP device before it looks whether the link is ready (ipemu left it
    tentative on a down `arp off` veth). Recorded: tutorials43_dad_noarp_lo_down."""
    _case("tutorials43_dad_noarp_lo_down")
    s = _shell()
    _veth(s)
    for line in ("sysctl -w net.ipv6.conf.eth0.keep_addr_on_down=1",
                 "ip -6 addr add 2001:db8:71::3/64 dev eth0",
                 "ip -6 addr add 2001:db8:71::4/64 dev eth0 nodad valid_lft 100 "
                 "preferred_lft 100", "ip link set eth0 down"):
        _run(s, line)
    out = _run(s, "ip -6 addr show dev eth0")
    assert "2001:db8:71::3/64" in out and "2001:db8:71::4/64" not in out
    _run(s, "ip link set eth0 arp off")
    _run(s, "ip -6 addr add 2001:db8:71::5/64 dev eth0")
    assert "2001:db8:71::5/64 scope global \n" in \
        _run(s, "ip -6 addr show dev eth0 to 2001:db8:71::5")


def test_a_failed_dad_takes_the_optimistic_flag_away():
    """addrconf_dad_stop(): an optimistic address that loses DAD keeps its local route
    but not IFA_F_OPTIMISTIC: `dadfailed tentative` (ipemu showed `optimistic
    dadfailed tentative` and listed it under `optimistic`). Recorded:
    tutorials43_optimistic_duplicate."""
    _case("tutorials43_optimistic_duplicate")
    s = _shell()
    for line in ("ip netns add a", "ip netns add b",
                 "ip link add eth0 netns a type veth peer name eth0 netns b",
                 "ip -n a link set eth0 up", "ip -n b link set eth0 up",
                 "ip -n a -6 addr add 2001:db8::1/64 dev eth0 nodad", "sleep 3",
                 "ip netns exec b sysctl -w net.ipv6.conf.eth0.optimistic_dad=1",
                 "ip -n b -6 addr add 2001:db8::1/64 dev eth0 optimistic", "sleep 3"):
        _run(s, line)
    assert "2001:db8::1/64 scope global dadfailed tentative \n" in \
        _run(s, "ip -n b -6 addr show dev eth0")
    assert _run(s, "ip -n b -6 addr show dev eth0 optimistic") == ""
    assert "local 2001:db8::1 dev eth0" in _run(s, "ip -n b -6 route show table local")


def test_lifetimes_left_count_the_second_a_timer_is_due_on():
    """inet_fill_ifaddr() / inet6_fill_ifaddr(): the lifetimes left are the lifetimes
    less (jiffies - tstamp) / HZ; at the deprecation due tstamp + preferred_lft that is
    the whole second (ipemu's float sum fell an ulp short: `valid_lft 2sec
    preferred_lft 1sec` in the deprecation's RTM_NEWADDR). Recorded:
    tutorials43_ipv4_primary_expires (`deprecated dynamic eth0` with `valid_lft 1sec
    preferred_lft 0sec`, then `Deleted` with 0sec and 0sec)."""
    _case("tutorials43_ipv4_primary_expires")
    s = _shell()
    _veth(s)
    _run(s, "ip addr add 10.74.0.1/24 dev eth0 valid_lft 2 preferred_lft 1")
    _run(s, "sleep 1")
    assert "valid_lft 1sec preferred_lft 0sec" in _run(s, "ip -4 addr show dev eth0")


def test_addrgenmode_on_a_veth_peer_being_made_is_refused():
    """The peer's IFLA_AF_SPEC (`peer name eth3 ... addrgenmode eui64`) is refused as
    the device's own is on a link being made: EAFNOSUPPORT, nothing made (ipemu made
    both and ignored the mode). Recorded: tutorials43_addrgenmode_at_creation."""
    _case("tutorials43_addrgenmode_at_creation")
    s = _shell()
    assert _run(s, "ip link add eth2 type veth peer name eth3 addrgenmode eui64") == \
        "RTNETLINK answers: Address family not supported by protocol\n"
    assert _run(s, "ip -br link show eth3") == 'Device "eth3" does not exist.\n'
