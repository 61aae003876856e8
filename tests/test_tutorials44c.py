"""The fixes round 44's second pass over Q&A answers on errors led to (their cases,
tutorials44c_, are replayed whole by test_rounds.py). Every expected text and duration
was recorded on the project's Debian 12 machine with the oracle's recorder (record.py,
`bash -c LINE` on a pty: Linux 6.18, iproute2 6.1, glibc 2.36), twice, the two
recordings alike under diff.py's masks.

The lookups: a name that neither /etc/hosts nor a world answers goes to the recording
host's nameserver (10.255.255.53) when it has a route; behind a default route whose
gateway never answers ARP, each of glibc's two tries ends with the unreachable error
once ARP has given up (3 s), so one getaddrinfo() takes 6.1 s and leaves the gateway's
neighbour entry FAILED. hostname, getent, arping and ssh failed at once before."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

SILENT_GATEWAY = (
    "sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
    "ip link set lo up",
    "ip link add eth0 type veth peer name eth0p",
    "ip link set eth0p up",
    "ip addr add 192.168.1.10/24 dev eth0",
    "ip link set eth0 up",
    "ip route add default via 192.168.1.1")


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _timed(shell, line: str) -> tuple[str, int, float]:
    """The line's output, status and virtual duration."""
    before = shell.host.clock.now
    term, status = shell.run_line(line)
    return term.text(), status, shell.host.clock.now - before


def test_hostname_lookup_waits_for_the_nameserver_behind_a_silent_gateway():
    # recorded (tutorials44c_coreos265_hostname_f): `hostname -f` 6.15 s, status 1,
    # then `ip neigh` lists the gateway FAILED
    shell = _shell(*SILENT_GATEWAY)
    out, status, took = _timed(shell, "hostname -f")
    assert (out, status) == ("hostname: Temporary failure in name resolution\n", 1)
    assert 6.0 <= took <= 6.3
    assert shell.run_line("ip neigh")[0].text() == "192.168.1.1 dev eth0 FAILED \n"


def test_hostname_lookup_fails_at_once_without_a_route_to_the_nameserver():
    # recorded: before the default route, `hostname -f` 0.00 s and no neighbour entry
    shell = _shell(*SILENT_GATEWAY[:-1])
    out, status, took = _timed(shell, "hostname -i")
    assert (out, status) == ("hostname: Temporary failure in name resolution\n", 1)
    assert took < 0.1
    assert shell.run_line("ip neigh")[0].text() == ""


def test_getent_hosts_asks_aaaa_then_a():
    # recorded: `getent hosts oracle` 12.29 s (gethostbyname2() for AF_INET6, then
    # AF_INET: two lookups of 6.1 s), status 2, nothing printed; a key the file has,
    # after it, is still printed
    shell = _shell(*SILENT_GATEWAY)
    out, status, took = _timed(shell, "getent hosts oracle")
    assert (out, status) == ("", 2)
    assert 12.0 <= took <= 12.6
    out, status, took = _timed(shell, "getent hosts github.com localhost")
    assert (out, status) == ("127.0.0.1       localhost\n", 2)


def test_getent_ahosts_is_one_getaddrinfo():
    # recorded: `getent ahosts google.com` 6.13 s, status 2
    shell = _shell(*SILENT_GATEWAY)
    out, status, took = _timed(shell, "getent ahosts google.com")
    assert (out, status) == ("", 2)
    assert 6.0 <= took <= 6.3


def test_timeout_cuts_the_lookup_short():
    # recorded (tutorials44c_spvnas30_ssh_resolve): `timeout 3 getent hosts github.com`
    # ends after 3.00 s with status 124
    shell = _shell(*SILENT_GATEWAY)
    out, status, took = _timed(shell, "timeout 3 getent hosts github.com")
    assert (out, status) == ("", 124)
    assert 2.9 <= took <= 3.1


def test_arping_and_ssh_wait_for_the_lookup():
    # recorded: `arping -c 1 google.com` 6.14 s, status 2; `ssh google.com` 6.28 s,
    # status 255
    shell = _shell(*SILENT_GATEWAY)
    out, status, took = _timed(shell, "arping -c 1 google.com")
    assert (out, status) == ("arping: google.com: Temporary failure in name resolution\n", 2)
    assert 6.0 <= took <= 6.3
    out, status, took = _timed(shell, "ssh google.com")
    assert (out, status) == ("ssh: Could not resolve hostname google.com: "
                             "Temporary failure in name resolution\r\n", 255)
    assert 6.0 <= took <= 6.4


def test_getent_hosts_asks_aaaa_for_a_name_the_files_have_in_ipv4_only():
    # recorded (tutorials44c_spvnas30_ssh_resolve): `getent hosts github.com
    # localhost` takes 18.4 s: github.com's AAAA and A, then localhost's AAAA (the
    # host's /etc/hosts names localhost in IPv4 only) before its IPv4 line
    shell = _shell(*SILENT_GATEWAY)
    out, status, took = _timed(shell, "getent hosts github.com localhost")
    assert (out, status) == ("127.0.0.1       localhost\n", 2)
    assert 18.0 <= took <= 18.8


NEIGHBOUR = ("sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
             "ip link set lo up",
             "ip netns add srv",
             "ip link add eth0 type veth peer name eth0 netns srv",
             "ip -n srv addr add 192.168.5.5/24 dev eth0",
             "ip -n srv link set eth0 up",
             "ip -n srv link set lo up",
             "ip addr add 192.168.5.10/24 dev eth0",
             "ip link set eth0 up")


def test_curl_interface_that_is_no_device_is_bound_as_a_host():
    # recorded (tutorials44c_curl2104_interface_bind): cf-socket.c bindlocal() of curl
    # 7.88: a name that is no interface is resolved as a host, its failure is (45)
    shell = _shell(*NEIGHBOUR)
    assert shell.run_line("curl --interface eth8 192.168.5.5")[0].text() == \
        "curl: (45) Couldn't bind to 'eth8'\n"
    term, status = shell.run_line("curl -v --interface eth8 192.168.5.5")
    assert status == 45
    assert term.text() == (
        "*   Trying 192.168.5.5:80...\n"
        "* Could not resolve host: eth8\n"
        "* Couldn't bind to 'eth8'\n"
        "* Failed to connect to 192.168.5.5 port 80 after 0 ms: Failed binding local "
        "connection end\n"
        "* Closing connection 0\n"
        "curl: (45) Couldn't bind to 'eth8'\n")
    assert shell.run_line("curl -sS --interface if!eth8 192.168.5.5")[0].text() == \
        "curl: (45) Couldn't bind to interface 'eth8'\n"
    assert shell.run_line("curl -sS --interface host!eth8 192.168.5.5")[0].text() == \
        "curl: (45) Couldn't bind to 'eth8'\n"


def test_curl_interface_address_is_bound_before_the_connect():
    # recorded: an address of another host is EADDRNOTAVAIL at bind(); the host's own
    # is taken (the refused connect comes from the peer); localhost's 127.0.0.1 on a
    # route out of eth0 is __mkroute_output()'s EINVAL, ::1 the wrong family
    shell = _shell(*NEIGHBOUR)
    term, status = shell.run_line("curl -sS --interface 1.2.3.4 192.168.5.5")
    assert (term.text(), status) == (
        "curl: (45) bind failed with errno 99: Cannot assign requested address\n", 45)
    term, status = shell.run_line("curl -v --interface 192.168.5.10 192.168.5.5")
    assert status == 7
    assert term.text().splitlines()[1:4] == [
        "* Name '192.168.5.10' family 2 resolved to '192.168.5.10' family 2",
        "* Local port: 0",
        "* connect to 192.168.5.5 port 80 failed: Connection refused"]
    refused = ("curl: (7) Failed to connect to 192.168.5.5 port 80 after 0 ms: Couldn't "
               "connect to server\n")
    assert shell.run_line("curl -sS --interface localhost 192.168.5.5")[0].text() == refused
    assert shell.run_line("curl -sS --interface ::1 192.168.5.5")[0].text() == refused
