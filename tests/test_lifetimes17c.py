"""Address lifetimes (public17c): set_ifa_lifetime() and the countdown of
inet_fill_ifaddr() / inet6_fill_ifaddr(). The formats are
transcripts/public/ubuntuman_ip_address_lifetimes.txt, recorded on the real machine."""
from __future__ import annotations

from ipemu.kernel.addr import INFINITY_LIFE_TIME
from ipemu.session import Session


def show(s: Session, line: str) -> str:
    term, status = s.run_line(line)
    assert status == 0, term.stream("stderr")
    return term.stream("stdout")


def session() -> Session:
    s = Session.create("default", "bare")
    show(s, "ip link add eth0 type veth peer name eth1")
    return s


def test_finite_lifetimes_count_down_in_whole_seconds():
    s = session()
    show(s, "ip addr add 192.0.2.10/24 dev eth0 valid_lft 300 preferred_lft 200")
    s.host.clock.advance(2.5)
    out = show(s, "ip -4 addr show dev eth0")
    assert "scope global dynamic eth0\n       valid_lft 298sec preferred_lft 198sec" in out


def test_ipv4_valid_lifetime_alone_is_reported_forever_once_permanent():
    """inet_fill_ifaddr(): a permanent IPv4 address reports both lifetimes infinite."""
    s = session()
    show(s, "ip addr add 192.0.2.10/24 dev eth0 preferred_lft 100")
    msg = s.host.namespaces[""].dump_addrs(4)[-1]
    assert (msg.valid_lft, msg.preferred_lft) == (INFINITY_LIFE_TIME, INFINITY_LIFE_TIME)


def test_zero_preferred_lifetime_deprecates_and_replace_restores():
    s = session()
    show(s, "ip addr add 192.0.2.10/24 dev eth0 valid_lft 100 preferred_lft 50")
    show(s, "ip addr change 192.0.2.10/24 dev eth0 valid_lft 100 preferred_lft 0")
    assert "deprecated dynamic" in show(s, "ip addr show dev eth0 deprecated")
    show(s, "ip addr replace 192.0.2.10/24 dev eth0 valid_lft forever preferred_lft forever")
    out = show(s, "ip -4 addr show dev eth0")
    assert "dynamic" not in out and "deprecated" not in out
    assert show(s, "ip addr show dev eth0 dynamic") == ""


def test_ipv6_prefix_route_expires_with_the_valid_lifetime():
    s = session()
    show(s, "ip link set eth0 up")
    show(s, "ip link set eth1 up")
    show(s, "ip addr add 2001:db8::10/64 dev eth0 valid_lft 600 preferred_lft 300 nodad")
    s.host.clock.advance(2.5)
    assert "metric 256 expires 597sec pref medium" in show(s, "ip -6 route show dev eth0")
    assert "valid_lft 598sec preferred_lft 298sec" in show(s, "ip -6 addr show dev eth0")


def test_bridge_stp_settings_are_kept_within_their_ranges():
    """br_changelink(): forward_delay is checked only with STP on, and br_stp_start()
    pulls it into range; the priority is the bridge id's (recorded with unshare -n)."""
    s = Session.create("default", "bare")
    term, status = s.run_line("ip link add br0 type bridge priority 4096 stp_state 1 "
                              "hello_time 50")
    assert status == 2 and "Numerical result out of range" in term.stream("stderr")
    show(s, "ip link add br0 type bridge priority 4096 stp_state 1")
    term, status = s.run_line("ip link set br0 type bridge forward_delay 100")
    assert status == 2
    show(s, "ip link set br0 type bridge stp_state 0")
    show(s, "ip link set br0 type bridge forward_delay 100")
    show(s, "ip link set br0 type bridge stp_state 1")
    out = show(s, "ip -d link show br0")
    assert "forward_delay 200 " in out and "stp_state 1 priority 4096 " in out
    assert "bridge_id 1000." in out


def test_lifetimes_run_out():
    """check_lifetime() / addrconf_verify(): deprecated when the preferred lifetime ends,
    deleted when the valid one does; the IPv6 prefix route stays with a negative expiry
    (recorded with unshare -n: `expires -1sec` 1.5 s after)."""
    s = session()
    show(s, "ip link set eth0 up")
    show(s, "ip link set eth1 up")
    show(s, "ip addr add 10.9.9.9/24 dev eth0 valid_lft 3 preferred_lft 1")
    show(s, "ip -6 addr add 2001:db8::9/64 dev eth0 valid_lft 3 preferred_lft 1 nodad")
    s.host.clock.advance(2)
    out = show(s, "ip addr show eth0")
    assert "10.9.9.9/24 scope global deprecated dynamic eth0" in out
    assert "2001:db8::9/64 scope global nodad deprecated dynamic" in out
    s.host.clock.advance(2.5)
    out = show(s, "ip addr show eth0")
    assert "10.9.9.9" not in out and "2001:db8::9" not in out
    assert "10.9.9.0/24" not in show(s, "ip route")
    assert "2001:db8::/64 proto kernel metric 256 expires -1sec" in \
        show(s, "ip -6 route show dev eth0")
