"""getent and hostname's lookups, held to what the real tools printed on the project's
Debian 12 machine (glibc 2.36, hostname 3.23) on 2026-11-28: getent in a private mount
namespace with this /etc/hosts bound over the host's; hostname -f in the oracle's
recorder (the host name `oracle` is in no /etc/hosts there)."""
from __future__ import annotations

from ipemu.session import Session

HOSTS = ("127.0.0.1\tlocalhost\n127.0.1.1\tipemu\n\n"
         "# The following lines are desirable for IPv6 capable hosts\n"
         "::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\n"
         "ff02::2 ip6-allrouters\n")


def _run(line: str, hosts: str | None = HOSTS, hostname: str = "ipemu"):
    session = Session.create("default", "bare", hostname)
    if hosts is not None:
        session.fs.write("/etc/hosts", hosts.encode())
    term, status = session.run_line(line)
    return term.text(), status


def test_getent_hosts_enumerates_ipv4_and_the_ipv6_loopback_as_127_0_0_1():
    assert _run("getent hosts") == (
        "127.0.0.1       localhost\n127.0.1.1       ipemu\n"
        "127.0.0.1       localhost ip6-localhost ip6-loopback\n", 0)


def test_getent_hosts_by_name_asks_ipv6_first():
    assert _run("getent hosts localhost; getent hosts ipemu; getent hosts ::1") == (
        "::1             localhost ip6-localhost ip6-loopback\n127.0.1.1       ipemu\n"
        "::1             localhost ip6-localhost ip6-loopback\n", 0)
    assert _run("getent hosts nosuchname")[1] == 2


def test_getent_errors_and_other_databases():
    assert _run("getent passwd root; getent group root") == (
        "root:x:0:0:root:/root:/bin/bash\nroot:x:0:\n", 0)
    assert _run("getent bogus x") == (
        "Unknown database: bogus\nTry `getent --help' or `getent --usage' for more "
        "information.\n", 1)
    assert _run("getent") == (
        "getent: wrong number of arguments\nTry `getent --help' or `getent --usage' for "
        "more information.\n", 1)


def test_hostname_f_needs_the_name_to_resolve():
    assert _run("hostname -f", hosts=None, hostname="oracle") == (
        "hostname: Temporary failure in name resolution\n", 1)
    # -d without a domain prints nothing at all; -i the address alone
    assert _run("hostname -f; hostname -d; hostname -i") == ("ipemu\n127.0.1.1\n", 0)
