"""/proc/net/fib_trie as the table's own history made it (ipemu/kernel/fib_trie.py): the
trie kept between reads and grown by replaying only what was logged since must be the
trie a replay of the whole log gives, and a saved and restored host must print the
same trie (the cache is not saved: the log is)."""
from __future__ import annotations

import random

import pytest

from ipemu import state
from ipemu.kernel import fib_trie
from ipemu.session import Session


def _read(session: Session, path: str = "/proc/net/fib_trie") -> str:
    term, status = session.run_line(f"cat {path}")
    assert status == 0
    return term.text()


def _from_scratch(session: Session) -> str:
    """Every table's cached trie dropped: the whole log replayed."""
    for table in session.host.init_ns.tables.values():
        table.__dict__.pop("_trie_cache", None)
    return _read(session) + _read(session, "/proc/net/fib_triestat")


def _churn_lines(rng: random.Random, count: int) -> list[str]:
    lines = ["ip link set lo up", "ip link add veth0 type veth peer name veth1",
             "ip addr add 10.99.0.1/16 dev veth0", "ip link set veth0 up",
             "ip link set veth1 up"]
    for _ in range(count):
        net = f"10.{rng.randrange(0, 40)}.{rng.randrange(0, 4) * 64}.0/{rng.choice((16, 18, 24))}"
        pick = rng.random()
        if pick < 0.5:
            lines.append(f"ip route add {net} via 10.99.0.2 2>/dev/null")
        elif pick < 0.85:
            lines.append(f"ip route del {net} 2>/dev/null")
        elif pick < 0.9:
            lines.append(f"ip addr add 10.99.{rng.randrange(1, 9)}.1/24 dev veth1 2>/dev/null")
        elif pick < 0.95:
            lines.append(f"ip link set veth1 {rng.choice(('up', 'down'))}")
        else:
            lines.append("ip rule add from 10.5.0.0/16 table 7 2>/dev/null")
    return lines


@pytest.mark.parametrize("seed", range(6))
def test_incremental_trie_is_the_full_replay(seed: int) -> None:
    rng = random.Random(seed)
    session = Session.create("default", "bare", "trie", 0)
    for n, line in enumerate(_churn_lines(rng, 160)):
        session.run_line(line)
        if n % 9 == 0:
            kept = _read(session) + _read(session, "/proc/net/fib_triestat")
            assert kept == _from_scratch(session), line


def test_saved_host_prints_the_same_trie() -> None:
    rng = random.Random(99)
    session = Session.create("default", "bare", "trie", 0)
    for line in _churn_lines(rng, 120):
        session.run_line(line)
    before = _read(session) + _read(session, "/proc/net/fib_triestat")
    copy = state.roundtrip(session)
    assert _read(copy) + _read(copy, "/proc/net/fib_triestat") == before


def test_local_shares_main_log_until_a_rule() -> None:
    session = Session.create("default", "bare", "trie", 0)
    session.run_line("ip link set lo up")
    tables = session.host.init_ns.tables
    assert tables[(4, 255)].trie_log is tables[(4, 254)].trie_log
    session.run_line("ip rule add from 10.1.0.0/16 table 5")
    assert tables[(4, 255)].trie_log is not tables[(4, 254)].trie_log
    # main's trie keeps no local alias once split (fib_table_flush_external())
    main = fib_trie.table_trie(tables[(4, 254)])
    assert all(a[1] == 254 for leaf in fib_trie._leaves(main) for a in leaf.aliases)
