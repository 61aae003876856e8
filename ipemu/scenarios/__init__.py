"""Scenarios: hosts described as data (`NAME.toml` here, or any path a user gives).

A scenario names the host, creates the devices `ip` cannot create (physical NICs),
writes its `[files]` (/etc/hosts), puts a `[world]` behind a NIC (the gateway, the
routers and hosts beyond it, their names: ipemu/kernel/world.py), then runs its
`setup` commands through the ordinary shell, silently, so that a scenario is written
in the same language a learner types.
"""
from __future__ import annotations

from pathlib import Path

from ipemu.data import package_file, toml_names

from ipemu.errors import CommandError


def available() -> list[str]:
    return toml_names("scenarios")


def source(name: str) -> str:
    """The scenario's text: a .toml file a user names, or one of ipemu's own."""
    path = Path(name)
    if path.suffix == ".toml" and path.is_file():
        return path.read_text()
    data = package_file("scenarios", f"{name}.toml")
    if not data.is_file():
        raise CommandError(f"ipemu: unknown scenario '{name}' (known: "
                           f"{', '.join(available())})\n", 2)
    return data.read_text()


def load(name: str) -> dict:
    import tomllib      # here: a host restored from its snapshot never parses TOML
    return tomllib.loads(source(name))


def _mac(text: str) -> bytes:
    return bytes(int(part, 16) for part in text.split(":"))


def boot(session, name: str) -> None:
    spec = load(name)
    host = session.host
    host.hostname = spec.get("hostname", host.hostname)
    ns = host.init_ns
    for dev in spec.get("device", []):
        created = ns.create_device(dev["name"], dev.get("kind", "ether"),
                                   address=_mac(dev["address"]) if "address" in dev else None,
                                   ifindex=dev.get("ifindex"), mtu=dev.get("mtu"))
        if "qdisc" in dev:
            created.up_qdisc = dev["qdisc"]
        created.addrgenmode = dev.get("addrgenmode", created.addrgenmode)
        created.link_carrier = dev.get("carrier", True)
    if "next_ifindex" in spec:
        ns.next_ifindex = spec["next_ifindex"]
    for path, text in spec.get("files", {}).items():
        session.fs.write(path, text.encode())
    if "world" in spec:
        from ipemu.kernel.world import from_spec
        try:
            host.worlds.append(from_spec(ns, spec["world"]))
        except (KeyError, ValueError) as err:
            raise CommandError(f"ipemu: scenario '{name}': bad [world]: {err}\n", 2)
    for line in spec.get("setup", "").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        term, status = session.run_line(line)
        if status != 0:
            raise CommandError(f"ipemu: scenario '{name}': `{line}` failed: {term.text()}", 2)
    for entry in spec.get("address6", []):
        # kernel state no command can produce (a DAD failure seen on the real host)
        import ipaddress

        from ipemu.kernel.addr import Ifa6, insert_ifa6, ipv6_scope
        iface = ipaddress.IPv6Interface(entry["address"])
        flags = set(entry.get("flags", []))
        dev = ns.by_name(entry["dev"])
        insert_ifa6(ns.ifa6(dev), Ifa6(iface.ip, iface.network.prefixlen, ipv6_scope(iface.ip),
                                       tentative="tentative" in flags,
                                       dadfailed="dadfailed" in flags))
    session.last_status = 0
