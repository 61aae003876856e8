"""The packet path's caches answer as the full path does (issue 19): the dst cache in
front of the FIB (Stack.route_output4, Stack._addr_type) is checked against
FibTable.genid, and every scenario here runs twice, caches on and off, and must print
the same bytes: pings, captures, counters (`ip -s link`, /proc/net/snmp, nstat) and
neighbour states, with routes, rules, nexthops, neighbours, links, addresses and
sysctls changed while a flood runs."""
from __future__ import annotations

import pytest

from ipemu.kernel.fib import FibTable
from ipemu.kernel.stack import Stack
from ipemu.session import Session

SETUP = ["ip netns add a", "ip netns add b",
         "ip link add va netns a type veth peer name vb netns b",
         "ip -n a addr add 10.0.0.1/24 dev va", "ip -n b addr add 10.0.0.2/24 dev vb",
         "ip -n a link set lo up", "ip -n b link set lo up",
         "ip -n a link set va up", "ip -n b link set vb up"]
AFTER = ["ip -s -n a link", "ip -s -n b link", "ip netns exec a cat /proc/net/snmp",
         "ip netns exec b cat /proc/net/snmp", "ip -s -n a neigh", "ip -s -n b neigh",
         "ip netns exec a nstat -a", "ip -n a route get 10.0.0.2"]
FLOOD = "ip netns exec a ping -f -c 1500 10.0.0.2 > f.txt &"

SCENARIOS = {
    "capture": ["ip netns exec b tcpdump -i vb -n -c 30 -v > cap.txt 2>&1 &", "sleep 1",
                "ip netns exec a ping -f -c 20 10.0.0.2", "wait", "cat cap.txt"],
    "route_mid_flood": [FLOOD, "sleep 0.02", "ip -n a route add 10.0.0.2/32 dev lo",
                        "sleep 0.01", "ip -n a route replace 10.0.0.2/32 dev va",
                        "sleep 0.01", "ip -n a route del 10.0.0.2/32",
                        "sleep 0.01", "ip -n a route add blackhole 10.0.0.2/32",
                        "sleep 0.03", "ip -n a route del blackhole 10.0.0.2/32",
                        "wait", "cat f.txt"],
    "local_addr_mid_flood": ["ip netns exec b ping -f -c 1500 10.0.0.1 > f.txt &",
                             "sleep 0.02", "ip -n a route add local 10.0.0.0/25 dev lo",
                             "sleep 0.02", "ip -n a route del local 10.0.0.0/25 dev lo",
                             "sleep 0.01", "ip -n a addr add 10.0.0.3/24 dev va",
                             "wait", "cat f.txt"],
    "rule_mid_flood": [FLOOD, "sleep 0.02", "ip -n a route add 10.0.0.2 dev lo table 100",
                       "ip -n a rule add to 10.0.0.2 table 100", "sleep 0.03",
                       "ip -n a rule del to 10.0.0.2 table 100", "wait", "cat f.txt"],
    "nexthop_mid_flood": ["ip -n a nexthop add id 1 dev va",
                          "ip -n a route add 10.9.0.0/16 nhid 1",
                          "ip -n b route add 10.9.0.0/16 dev vb",
                          "ip netns exec a ping -f -c 1500 -I 10.0.0.1 10.9.0.1 > f.txt &",
                          "sleep 0.02", "ip -n a nexthop replace id 1 blackhole",
                          "sleep 0.03", "ip -n a nexthop replace id 1 dev va",
                          "wait", "cat f.txt"],
    "neigh_mid_flood": [FLOOD, "sleep 0.02", "ip -n a neigh del 10.0.0.2 dev va",
                        "sleep 0.02",
                        "ip -n a neigh replace 10.0.0.2 dev va lladdr 02:00:00:00:00:09",
                        "sleep 0.02", "ip -n a neigh flush dev va", "wait", "cat f.txt"],
    "link_mid_flood": [FLOOD, "sleep 0.02", "ip -n b link set vb down", "sleep 0.05",
                       "ip -n b link set vb up", "sleep 2",
                       "ip -n a addr del 10.0.0.1/24 dev va", "sleep 0.1",
                       "ip -n a addr add 10.0.0.1/24 dev va", "wait", "cat f.txt"],
    "device_mid_flood": ["ip -n a link add d0 type dummy", "ip -n a link set d0 up",
                         "ip -n a route add 10.5.0.0/16 dev d0",
                         "ip netns exec a ping -f -c 300 10.5.0.1 > f.txt &", "sleep 0.5",
                         "ip -n a link del d0", "sleep 0.5",
                         "ip -n a route add 10.5.0.0/16 via 10.0.0.2", "wait", "cat f.txt"],
    "sysctl_mid_flood": ["ip netns exec b ping -f -c 1500 10.0.0.1 > f.txt &", "sleep 0.02",
                         "ip netns exec a sysctl -w net.ipv4.icmp_echo_ignore_all=1",
                         "sleep 0.02",
                         "ip netns exec a sysctl -w net.ipv4.icmp_echo_ignore_all=0",
                         "sleep 0.02", "ip netns exec a sysctl -w net.ipv4.conf.va.rp_filter=1",
                         "sleep 0.02", "ip -n a route add 10.0.0.0/25 dev lo", "sleep 0.02",
                         "ip -n a route del 10.0.0.0/25 dev lo", "wait", "cat f.txt"],
    "forwarding": ["ip netns add r", "ip link add ra netns r type veth peer name vc netns b",
                   "ip -n r addr add 10.1.0.1/24 dev ra", "ip -n b addr add 10.1.0.2/24 dev vc",
                   "ip -n r link set ra up", "ip -n b link set vc up",
                   "ip -n a route add 10.1.0.0/24 via 10.0.0.2",
                   "ip -n r route add default via 10.1.0.2",
                   "ip netns exec b sysctl -w net.ipv4.ip_forward=1",
                   "ip netns exec a ping -f -c 200 10.1.0.1",
                   "ip netns exec a ping -c 2 -t 1 10.1.0.1",
                   "ip -n r route del default", "ip netns exec a ping -c 2 10.1.0.1",
                   "ip -s -n r link"],
}


def _play(lines: list[str]) -> str:
    session = Session.create("default", "bare", "oracle", 0)
    out = []
    for line in SETUP + lines + AFTER:
        term, status = session.run_line(line)
        out.append(f"$ {line} [{status}]\n{term.text()}")
    return "".join(out)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_dst_cache_answers_as_the_full_lookup(name, monkeypatch):
    cached = _play(SCENARIOS[name])
    monkeypatch.setattr(Stack, "dst_cache", False)
    full = _play(SCENARIOS[name])
    assert cached == full
    assert "Traceback" not in cached


def test_every_fib_change_moves_the_generation():
    session = Session.create("default", "bare", "oracle", 0)
    assert session.run_line("ip link set lo up")[1] == 0
    steps = ["ip link add d0 type dummy", "ip link set d0 up",
             "ip addr add 10.7.0.1/24 dev d0", "ip route add 10.8.0.0/16 dev d0",
             "ip route replace 10.8.0.0/16 dev d0 metric 0 mtu 1400",
             "ip route del 10.8.0.0/16", "ip nexthop add id 3 dev d0",
             "ip route add 10.9.0.0/16 nhid 3", "ip nexthop replace id 3 blackhole",
             "ip link set d0 down", "ip link del d0"]
    for line in steps:
        before = FibTable.genid
        assert session.run_line(line)[1] == 0, line
        # a nexthop object no route uses yet changes no lookup
        assert FibTable.genid > before or line.startswith("ip nexthop add"), line


def test_the_caches_are_bounded_and_not_saved():
    session = Session.create("default", "bare", "oracle", 0)
    for line in SETUP:
        session.run_line(line)
    stack = session.host.namespaces["a"].stack
    import ipaddress
    for n in range(Stack.DST_CACHE_MAX + 10):
        try:
            stack.route_output4(ipaddress.IPv4Address(0x0A000000 + n % 256))
        except Exception:
            pass
        stack._addr_type(ipaddress.IPv4Address(0x0B000000 + n))
    assert len(stack._dst) <= Stack.DST_CACHE_MAX
    assert len(stack._addr_types) <= Stack.DST_CACHE_MAX
    from ipemu import state
    copy = state.roundtrip(stack)
    assert copy._dst == {} and copy._addr_types == {}


@pytest.mark.parametrize("kept", [16384, 5])
def test_conf_answers_as_the_full_lookup_whatever_writes_the_sysctls(kept, monkeypatch):
    """NetSysctl.conf() keeps its answers while the sysctls are not written: every
    kind of write (set_sysctl, a plain item assignment, del, update, pop, a restore,
    a device made afresh or renamed) is seen; so is a memo that starts again when
    full (`kept` answers)."""
    import random
    from ipemu import state
    from ipemu.kernel import sysctl
    monkeypatch.setattr(sysctl, "_CONF_MEMO_MAX", kept)
    session = Session.create("default", "bare", "oracle", 0)
    for line in SETUP + ["ip -n a link add dz type dummy", "ip -n a link add dy type dummy"]:
        session.run_line(line)
    ns = session.host.namespaces["a"]
    rng = random.Random(19)
    keys = ["rp_filter", "accept_local", "forwarding", "arp_ignore", "route_localnet",
            "disable_ipv6", "mtu", "send_redirects"]
    # dz and dy: devices with no conf key of their own (their answers are shared by
    # such devices) until a write gives them one
    names = ["va", "lo", "dz", "dy", "all", "default"]

    def check():
        for family in (4, 6):
            for name in names:
                dev = ns.by_name(name) or name
                for key in keys:
                    assert ns.conf(family, dev, key) == ns._conf(family, dev, key)

    for step in range(300):
        check()
        proto = rng.choice(["ipv4", "ipv6"])
        key = f"net.{proto}.conf.{rng.choice(names)}.{rng.choice(keys)}"
        action = rng.randrange(6)
        if action == 0:
            ns.set_sysctl(key, str(rng.randrange(3)))
        elif action == 1:
            ns.sysctls[key] = str(rng.randrange(3))
        elif action == 2:
            ns.sysctls.pop(key, None)
        elif action == 3:
            ns.sysctls.update({key: str(rng.randrange(3))})
        elif action == 4 and step % 50 == 4:
            session.run_line("ip -n a link set va down")
            session.run_line("ip -n a link set va name vx")
            session.run_line("ip -n a link set vx name va")
            session.run_line("ip -n a link set va up")
        elif action == 5 and step % 60 == 5:
            ns = state.roundtrip(session.host).namespaces["a"]
    check()


# ---------------------------------------------------------------- echo flows
# Stack.echo_flight: an echo's round trip as one clock event while nothing could see
# its middle. Each scenario runs with the flow cache on and off: every printed byte
# and the whole host's saved state must be the same (the queue compared as its live
# events in order: a cancelled timer is inert, and the heap's layout is not state).
FLOW_SCENARIOS = dict(SCENARIOS)
FLOW_SCENARIOS.update({
    "plain_flood": ["ip netns exec a ping -f -c 3000 10.0.0.2"],
    "sizes": ["ip netns exec a ping -f -c 200 -s 1472 10.0.0.2",
              "ip netns exec a ping -f -c 200 -s 1473 10.0.0.2",
              "ip netns exec a ping -f -c 100 -s 0 10.0.0.2",
              "ip netns exec a ping -f -c 100 -s 7 10.0.0.2",
              "ip netns exec a ping -c 3 -s 9000 10.0.0.2"],
    "interval": ["ip netns exec a ping -c 5 -i 0.002 10.0.0.2",
                 "ip netns exec a ping -f -c 300 -i 0.0001 10.0.0.2",
                 "ip netns exec a ping -f -l 3 -c 300 10.0.0.2",
                 "ip netns exec a ping -c 4 -l 2 -i 0.01 10.0.0.2",
                 "ip netns exec a ping -q -f -c 400 -w 1 10.0.0.2"],
    "capture_mid_flood": [FLOOD, "sleep 0.01",
                          "ip netns exec a tcpdump -i va -n -c 12 > c1.txt 2>&1 &",
                          "sleep 0.01", "ip netns exec b tcpdump -n -c 7 -e > c2.txt 2>&1 &",
                          "wait", "cat f.txt c1.txt c2.txt"],
    "netem_mid_flood": [FLOOD, "sleep 0.01",
                        "ip netns exec a tc qdisc add dev va root netem delay 1ms",
                        "sleep 0.02", "ip netns exec a tc qdisc del dev va root",
                        "sleep 0.01", "ip netns exec b tc qdisc add dev vb root netem loss 50%",
                        "sleep 0.02", "ip netns exec b tc qdisc del dev vb root",
                        "wait", "cat f.txt"],
    "local_and_lo": ["ip netns exec a ping -f -c 300 10.0.0.1",
                     "ip netns exec a ping -f -c 300 127.0.0.1",
                     "ip netns exec a ping -f -c 50 -I va 10.0.0.2",
                     "ip netns exec a ping -f -c 50 -R 10.0.0.2"],
    "ipv6": ["ip -n a addr add fd00::1/64 dev va nodad",
             "ip -n b addr add fd00::2/64 dev vb nodad",
             "ip netns exec a ping -6 -f -c 200 fd00::2",
             "ip netns exec a ping -f -c 200 10.0.0.2"],
    "stale_neigh": ["ip netns exec a ping -c 1 10.0.0.2", "sleep 50",
                    "ip netns exec a ping -f -c 500 10.0.0.2", "sleep 3",
                    "ip netns exec a ping -f -c 500 10.0.0.2",
                    "ip -n b neigh replace 10.0.0.1 dev vb lladdr 02:00:00:00:00:01",
                    "ip netns exec a ping -c 2 -W 1 10.0.0.2"],
    "two_floods": ["ip netns exec a ping -f -c 800 10.0.0.2 > f1.txt &",
                   "ip netns exec b ping -f -c 800 10.0.0.1 > f2.txt &",
                   "ip netns exec a ping -f -c 300 10.0.0.2",
                   "wait", "cat f1.txt f2.txt"],
    "mtu_and_address_mid_flood": [FLOOD, "sleep 0.01", "ip -n b link set vb mtu 60",
                                  "sleep 0.01", "ip -n b link set vb mtu 1500",
                                  "sleep 0.01",
                                  "ip -n b link set vb address 02:00:00:00:00:07",
                                  "sleep 0.01", "ip -n b link set vb down",
                                  "ip -n b link set vb up", "wait", "cat f.txt"],
    "gateway": ["ip link add vc netns b type veth peer name vd netns a",
                "ip -n b addr add 10.1.0.2/24 dev vc", "ip -n b link set vc up",
                "ip -n a link set vd up", "ip -n a route add 10.1.0.0/24 via 10.0.0.2",
                "ip -n a route add 10.2.0.0/24 dev vd",
                "ip netns exec a ping -f -c 400 10.1.0.2",
                "ip -n b route add 10.0.0.1/32 dev vc",
                "ip netns exec a ping -f -c 400 10.1.0.2",
                "ip -n b route del 10.0.0.1/32 dev vc",
                "ip netns exec a ping -f -c 400 -s 300 10.1.0.2"],
    "bridge": ["ip -n b addr del 10.0.0.2/24 dev vb", "ip -n b link add br0 type bridge",
               "ip -n b link set vb master br0", "ip -n b addr add 10.0.0.2/24 dev br0",
               "ip -n b link set br0 up", "sleep 31",
               "ip netns exec a ping -f -c 300 10.0.0.2", "ip -s -n b link show br0"],
    "stopped": [FLOOD, "sleep 0.01", "kill -STOP %1", "sleep 0.02", "kill -CONT %1",
                "sleep 0.0071", "kill -STOP %1", "ip -s -n b link", "kill -CONT %1",
                "wait", "cat f.txt"],
    "interrupted": ["ip netns exec a ping -f 10.0.0.2 > f.txt &", "sleep 0.0123457",
                    "kill -INT %1", "wait", "cat f.txt"],
})


def _normal_state(session) -> str:
    from ipemu import state
    clock = session.host.clock
    clock.heap = sorted(e for e in clock.heap if not e[2].cancelled)
    return state.dumps(session.host)


def _play_flow(lines: list[str]) -> tuple[str, str]:
    session = Session.create("default", "bare", "oracle", 0)
    out = []
    for line in SETUP + lines + AFTER:
        term, status = session.run_line(line)
        out.append(f"$ {line} [{status}]\n{term.text()}")
    return "".join(out), _normal_state(session)


@pytest.fixture(scope="module")
def booted_snapshot():
    """Both plays of a scenario start from the booted host's snapshot: the first boot
    after a source change saves it, and a freshly booted host shares some objects
    (a device's info) that a restored one holds apart, so their saved documents
    differ by reference numbers though everything printed is the same."""
    Session.create("default", "bare", "oracle", 0)


ROUNDS_SCENARIOS = dict(FLOW_SCENARIOS)
ROUNDS_SCENARIOS.update({
    "flood_options": ["ip netns exec a ping -f -q -c 500 10.0.0.2",
                      "ip netns exec a ping -f -c 300 -M dont 10.0.0.2",
                      "ip netns exec a ping -f -c 300 -M want -Q 3 10.0.0.2",
                      "ip netns exec a ping -f -c 300 -p ff00 -s 100 10.0.0.2",
                      "ip netns exec a ping -f -c 300 -t 1 -D 10.0.0.2",
                      "ip netns exec a ping -f -c 2 10.0.0.2",
                      "ip netns exec a ping -f -c 1 10.0.0.2",
                      "ip netns exec a ping -i 0 -c 50 10.0.0.2",
                      "ip netns exec a ping -f -c 300 10.0.0.2 | tail -c 300"],
    # the 16-bit sequence wraps inside a round
    "sequence_wrap": ["ip netns exec a ping -f -q -c 66000 10.0.0.2"],
    "flood_with_sleepers": ["ip netns exec a ping -f -c 2000 10.0.0.2 > f.txt &",
                            "sleep 0.013 &", "sleep 0.0131", "sleep 0.0005",
                            "ip -n a route get 10.0.0.2", "wait", "cat f.txt"],
})


@pytest.mark.parametrize("name", sorted(ROUNDS_SCENARIOS))
def test_a_floods_rounds_answer_as_its_flights(name, monkeypatch, booted_snapshot):
    """PingSocket.echo_rounds(): the round trips a flood makes at once are, to the
    byte and in the saved state, the flights it makes one event each."""
    rounds, rounds_state = _play_flow(ROUNDS_SCENARIOS[name])
    monkeypatch.setattr(Stack, "flow_burst", False)
    flights, flights_state = _play_flow(ROUNDS_SCENARIOS[name])
    assert rounds == flights
    assert rounds_state == flights_state


@pytest.mark.parametrize("name", sorted(FLOW_SCENARIOS))
def test_an_echo_flow_answers_as_the_full_path(name, monkeypatch, booted_snapshot):
    fast, fast_state = _play_flow(FLOW_SCENARIOS[name])
    monkeypatch.setattr(Stack, "flow_cache", False)
    full, full_state = _play_flow(FLOW_SCENARIOS[name])
    assert fast == full
    assert fast_state == full_state
    assert "Traceback" not in fast
