"""SysctlDict's index (issue 19: a device's registration read every key, quadratic in
a batch of devices): in_dir() and has_table() answer as a scan of the keys does,
after writes, deletes, pops, updates, clears, copies and a saved host's restore."""
from __future__ import annotations

import copy
import random

from ipemu.kernel.sysctl import SysctlDict


def _scan_dir(d: dict, folder: str) -> set[str]:
    return {k for k in d if k.startswith(folder) and "." not in k[len(folder):]}


def _check(d: SysctlDict) -> None:
    folders = {k.rpartition(".")[0] + "." for k in d} | {"net.ipv4.conf.nosuch."}
    for folder in folders:
        assert set(d.in_dir(folder)) == _scan_dir(d, folder), folder
    for table in ("net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.", "net.ipv6.neigh."):
        assert d.has_table(table) == any(k.startswith(table) for k in d), table


def test_the_index_answers_as_a_scan_does():
    rng = random.Random(19)
    d = SysctlDict({"net.ipv4.ip_forward": "0", "net.ipv4.conf.lo.rp_filter": "0"})
    names = ["lo", "eth0", "eth0.100", "va1", "default", "all"]
    keys = [f"net.{p}.{k}.{n}.{s}" for p in ("ipv4", "ipv6") for k in ("conf", "neigh")
            for n in names for s in ("rp_filter", "forwarding", "base_reachable_time")]
    for step in range(3000):
        key = rng.choice(keys)
        op = rng.random()
        if op < 0.5:
            d[key] = str(step)
        elif op < 0.7:
            d.pop(key, None)
        elif op < 0.8 and key in d:
            del d[key]
        elif op < 0.9:
            d.update({rng.choice(keys): "u", rng.choice(keys): "v"})
        elif op < 0.95:
            d.setdefault(key, "s")
        elif op < 0.97:
            twin = copy.copy(d) if rng.random() < 0.5 else copy.deepcopy(d)
            d[rng.choice(keys)] = "only in the original"
            twin.pop(rng.choice(keys), None)
            _check(twin)
            _check(d)
        elif op < 0.98:
            d = SysctlDict(dict(d))          # a saved host, wrapped again
        elif op < 0.985:
            d.clear()
        if step % 100 == 0:
            _check(d)
    _check(d)
