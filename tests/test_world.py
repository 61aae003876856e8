"""The world behind the default host's eth0 (ipemu/kernel/world.py): the gateway
answers ARP and ping, hosts beyond answer with TTL 64 minus the routers, names
resolve through /etc/hosts and the world's DNS, traceroute shows the declared hops
in Debian's traceroute 2.1.2 form (tests/data/world/, recorded through namespaces
acting as routers)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ipemu.session import Session
from ipemu.transcript.mask import mask_rtt

DATA = Path(__file__).parent / "data" / "world"


@pytest.fixture(scope="module")
def booted():
    return Session.create(scenario="default")


def run(line: str) -> tuple[str, str, int]:
    session = Session.create(scenario="default")
    term, status = session.run_line(line)
    return term.stream("stdout"), term.stream("stderr"), status


def ms(text: str) -> str:
    return re.sub(r"\d+\.\d+ ms", "X ms", text)


def test_the_gateway_answers_arp_and_ping():
    out, err, status = run("ping -c 2 10.0.2.2; ip neigh show dev eth0")
    assert status == 0 and not err
    lines = out.splitlines()
    assert lines[1].startswith("64 bytes from 10.0.2.2: icmp_seq=1 ttl=64 time=")
    assert "2 packets transmitted, 2 received, 0% packet loss" in out
    assert lines[-1] == "10.0.2.2 lladdr 52:55:0a:00:02:02 REACHABLE "


def test_hosts_beyond_answer_with_the_ttl_of_their_path():
    out, _, status = run("ping -c 1 93.184.215.14; ping -c 1 8.8.8.8")
    assert status == 0
    # four routers on the declared path and two more: 64 - 6; 8.8.8.8 starts at 128
    assert "64 bytes from 93.184.215.14: icmp_seq=1 ttl=58 time=" in out
    assert "64 bytes from 8.8.8.8: icmp_seq=1 ttl=122 time=" in out
    again, _, _ = run("ping -c 1 93.184.215.14")
    assert again == out.split("PING 8.8.8.8")[0]        # deterministic


def test_a_ttl_that_runs_out_on_the_way():
    out, _, status = run("ping -c 1 -t 2 93.184.215.14")
    assert "From 192.168.1.1 icmp_seq=1 Time to live exceeded" in out and status == 1


def test_names_resolve_through_etc_hosts_and_the_dns():
    out, _, _ = run("ping -c 1 example.com")
    assert out.startswith("PING example.com (93.184.215.14) 56(84) bytes of data.\n"
                          "64 bytes from 93.184.215.14 (93.184.215.14): icmp_seq=1 ttl=58")
    out, _, _ = run("ping -c 1 dns.google")
    assert "64 bytes from dns.google (8.8.8.8): icmp_seq=1" in out
    out, _, _ = run("ping -c 1 localhost")
    assert "64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64" in out
    assert run("ping -c 1 foo.invalid") == ("", "ping: foo.invalid: Name or service not known\n", 2)


def test_a_host_without_a_world_has_no_dns():
    session = Session.create()          # bare: what `unshare -n` gives
    term, status = session.run_line("ping -c 1 foo.invalid")
    assert (term.text(), status) == ("ping: foo.invalid: Temporary failure in name resolution\n", 2)


def test_private_addresses_nobody_declared_do_not_answer():
    out, _, status = run("ping -c 1 -W 1 192.168.50.3")
    assert "1 packets transmitted, 0 received, 100% packet loss" in out and status == 1


def recorded(section: str) -> str:
    text = (DATA / "traceroute_namespaces.txt").read_text()
    body = text.split(f"## {section}\n", 1)[1]
    return body.split("rc=", 1)[0]


def test_traceroute_prints_the_recorded_form():
    out, err, status = run("traceroute 10.0.2.2")
    assert (ms(out), err, status) == (ms(recorded("tr gw")), "", 0)
    out, _, _ = run("traceroute -n 10.0.2.2")
    assert ms(out) == ms(recorded("tr gw")).replace(" 1  10.0.2.2 (10.0.2.2)", " 1  10.0.2.2")


def test_traceroute_shows_the_hops_the_scenario_declares():
    out, err, status = run("traceroute example.com")
    assert status == 0 and not err
    assert ms(out) == (
        "traceroute to example.com (93.184.215.14), 30 hops max, 60 byte packets\n"
        " 1  10.0.2.2 (10.0.2.2)  X ms  X ms  X ms\n"
        " 2  192.168.1.1 (192.168.1.1)  X ms  X ms  X ms\n"
        " 3  100.64.0.1 (100.64.0.1)  X ms  X ms  X ms\n"
        " 4  core1.isp.example.net (203.0.113.1)  X ms  X ms  X ms\n"
        " 5  * * *\n"
        " 6  * * *\n"
        " 7  93.184.215.14 (93.184.215.14)  X ms  X ms  X ms\n")


def test_traceroute_errors_as_recorded():
    assert run("traceroute foo.invalid") == ("", "foo.invalid: Name or service not known\n"
                                             "Cannot handle \"host\" cmdline arg `foo.invalid'"
                                             " on position 1 (argc 1)\n", 2)
    session = Session.create()
    term, status = session.run_line("traceroute 8.8.8.8")
    assert (term.stream("stdout"), term.stream("stderr"), status) == (
        "traceroute to 8.8.8.8 (8.8.8.8), 30 hops max, 60 byte packets",
        "\nconnect: Network is unreachable\n", 1)
    out, err, status = run("traceroute")
    assert err.startswith("Usage:\n  traceroute [ -46dFITnreAUDV ]") and status == 0
    assert run("traceroute -h") == ("", "Bad option `-h' (argc 1)\n", 2)


def test_the_world_survives_a_saved_state(tmp_path):
    from ipemu.state import load, save
    session = Session.create(scenario="default")
    save(str(tmp_path / "s.json"), session)
    again = load(str(tmp_path / "s.json"))
    term, _ = again.run_line("ping -c 1 example.com")
    assert "ttl=58" in term.text()
