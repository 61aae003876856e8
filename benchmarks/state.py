"""What `--state` costs: saving and restoring a host, against building the same host
by its commands, in the same run. Not a test.

    python benchmarks/state.py [--pairs 100]

The host: N veth pairs, each end addressed and up (IPv6 autoconfiguration running), a
route per pair, one ping through each.
"""
from __future__ import annotations

import argparse
import time

from ipemu import state
from ipemu.session import Session


def build(pairs: int) -> tuple[Session, float]:
    start = time.perf_counter()
    session = Session.create("default", "bare", "bench", 0)
    for i in range(pairs):
        a, b = f"a{i}", f"b{i}"
        for line in (f"ip link add {a} type veth peer name {b}",
                     f"ip addr add 10.{i // 250}.{i % 250}.1/24 dev {a}",
                     f"ip addr add 10.{i // 250}.{i % 250}.2/24 dev {b}",
                     f"ip link set {a} up", f"ip link set {b} up",
                     f"ip route add 172.16.{i // 250}.{i % 250}/32 via 10.{i // 250}.{i % 250}.2",
                     f"ping -c 1 -I {a} 10.{i // 250}.{i % 250}.2"):
            session.run_line(line)
    return session, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=100)
    opts = parser.parse_args()
    session, built = build(opts.pairs)
    start = time.perf_counter()
    text = state.dumps(session)
    saved = time.perf_counter() - start
    start = time.perf_counter()
    state.loads(text)
    loaded = time.perf_counter() - start
    print(f"{opts.pairs} veth pairs: built by commands {built * 1000:.0f} ms; "
          f"save {saved * 1000:.1f} ms ({built / saved:.0f}x faster), "
          f"restore {loaded * 1000:.1f} ms ({built / loaded:.0f}x faster); "
          f"document {len(text) / 1024:.0f} KiB ({len(text) / opts.pairs / 1024:.1f} KiB a pair)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
