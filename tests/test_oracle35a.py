"""oracle35a: iproute2 behaviours found by the round's recorded cases
(tests/oracle_cases/oracle35a_*). Every expected text here is what the real machine
printed (Debian 12: iproute2 6.1, Linux 6.18) for the same lines in a fresh network
namespace."""
from __future__ import annotations

from ipemu.session import Session
from ipemu.transcript.runner import ORACLE_PROFILE


def lines(*commands: str) -> str:
    """What the lines print, one after the other, on a fresh `unshare -n` host."""
    session = Session.create(ORACLE_PROFILE, "bare", "oracle")
    out = []
    for command in commands:
        term, _ = session.run_line(command)
        out.append(term.text())
    return "".join(out)


NEIGH_SETUP = ("ip link add veth0 type veth peer name veth1", "ip link set veth0 up",
               "ip link set veth1 up", "ip addr add 10.9.0.1/24 dev veth0")


def test_neigh_nud_filter_passes_extern_learn_entries():
    """print_neigh(): an NTF_EXT_LEARNED entry passes any `nud` filter."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev veth0 extern_learn",
                 "ip neigh show nud reachable") == (
        "10.9.0.2 dev veth0 lladdr 02:00:00:00:00:02 extern_learn PERMANENT \n")


def test_neigh_unused_leaves_out_entries_with_a_timer():
    """`unused`: ndm_refcnt 0; a PROBE entry's timer holds a reference, an INCOMPLETE
    one set by netlink has none (__neigh_update() arms timers for NUD_VALID states)."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.4 lladdr 02:00:00:00:00:04 dev veth0 nud probe",
                 "ip neigh add 10.9.0.5 lladdr 02:00:00:00:00:05 dev veth0 nud incomplete",
                 "ip neigh show unused", "ip neigh show 10.9.0.4") == (
        "10.9.0.5 dev veth0 INCOMPLETE \n"
        "10.9.0.4 dev veth0 lladdr 02:00:00:00:00:04 PROBE \n")


def test_neigh_flush_takes_entries_without_a_state():
    """do_show_or_flush(): a flush's default filter is ~(PERMANENT|NOARP), 0x100 too,
    so a `nud none` entry goes (and an extern_learn PERMANENT one, past the filter)."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.6 dev veth0 nud none",
                 "ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev veth0 extern_learn",
                 "ip neigh add 10.9.0.7 lladdr 02:00:00:00:00:07 dev veth0",
                 "ip neigh flush dev veth0", "ip -4 neigh show dev veth0 nud all") == (
        "10.9.0.7 lladdr 02:00:00:00:00:07 PERMANENT \n")


def test_neigh_json_flags_are_nulls():
    """print_null() of router, proxy, extern_learn: `"router":null`."""
    assert lines(*NEIGH_SETUP,
                 "ip neigh add 10.9.0.10 lladdr 02:00:00:00:00:0a dev veth0 router",
                 "ip -j neigh show 10.9.0.10",
                 "ip neigh add proxy 10.9.0.50 dev veth0", "ip -j neigh show proxy") == (
        '[{"dst":"10.9.0.10","dev":"veth0","lladdr":"02:00:00:00:00:0a","router":null,'
        '"state":["PERMANENT"]}]\n'
        '[{"dst":"10.9.0.50","dev":"veth0","proxy":null}]\n')
