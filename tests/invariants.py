"""Kernel invariants that hold after every command, whatever it was (issue 16): the
fuzz tests check them after each step, and test_state.py checks them after each step
of every recorded transcript too (test_robust_fuzz.py those whose header `needs:`
later work), so they are known to describe the real kernel's state."""
from __future__ import annotations

from ipemu.kernel.fib import RTN, TABLE_LOCAL


def violations(host) -> list[str]:
    """What is wrong with the host's state (empty when nothing is)."""
    found: list[str] = []
    for name, ns in host.namespaces.items():
        where = f"netns {name or '(init)'}"
        found += [f"{where}: {v}" for v in _namespace(ns)]
    return found


def _namespace(ns) -> list[str]:
    found = []
    names = [d.name for d in ns.devices.values()]
    if len(names) != len(set(names)):
        found.append(f"device names repeat: {sorted(names)}")
    for ifindex, dev in ns.devices.items():
        if dev.ifindex != ifindex:
            found.append(f"{dev.name} is ifindex {dev.ifindex} filed under {ifindex}")
        peer = getattr(dev, "peer", None)
        if dev.kind == "veth" and peer is not None and peer.peer is not dev:
            found.append(f"veth {dev.name}'s peer {peer.name} points elsewhere")
    for (family, table_id), table in ns.tables.items():
        for route in table.routes:
            if route.oif is not None and route.oif not in ns.devices:
                found.append(f"table {table_id} route {route.dst} through deleted ifindex "
                             f"{route.oif}")
    # ns._stack, not ns.stack: looking must not create the packet paths (a Stack draws
    # its first IP id from the host's random source: the replay would change)
    stack = ns._stack
    for neigh_table in (stack.arp, stack.nd) if stack is not None else ():
        for ifindex, key in neigh_table.entries:
            if ifindex not in ns.devices:
                found.append(f"neighbour {key} on deleted ifindex {ifindex}")
    # a vrf's ports keep their local routes in the vrf's table (kernel/vrf.py)
    l3_tables = {d.vrf_table for d in ns.devices.values() if d.vrf_table is not None}
    local = {(r.dst.network_address, r.oif) for (fam, tid), t in ns.tables.items()
             if tid == TABLE_LOCAL or tid in l3_tables for r in t.routes
             if r.type == RTN.LOCAL}
    for dev in ns.devices.values():
        if not dev.is_up:
            continue
        for ifa in dev.ifa4:
            if (ifa.local, dev.ifindex) not in local:
                found.append(f"{ifa.local} on {dev.name} has no local route")
        # IPv6 starts on a device with a carrier (addrconf_notify NETDEV_UP/CHANGE)
        for ifa in dev.ifa6 if dev.running and dev.inet6_ready else ():
            if not ifa.tentative and not ifa.dadfailed and \
                    not any(addr == ifa.address for addr, _ in local):
                found.append(f"{ifa.address} on {dev.name} has no local route")
    return found
