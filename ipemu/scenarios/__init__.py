"""Scenarios: hosts described as data (`NAME.toml` here, or any path a user gives).

A scenario names the host, creates the devices `ip` cannot create (physical NICs),
writes its `[files]` (/etc/hosts), puts a `[world]` behind a NIC (the gateway, the
routers and hosts beyond it, their names: ipemu/kernel/world.py), then runs its
`setup` commands through the ordinary shell, silently, so that a scenario is written
in the same language a learner types.
"""
from __future__ import annotations

import os

from ipemu.data import package_path, toml_names

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError


def available() -> list[str]:
    return toml_names("scenarios")


def source(name: str) -> str:
    """The scenario's text: a .toml file a user names, or one of ipemu's own."""
    # os.path, not pathlib: this is on every `ipemu -c` (ipemu/data.py)
    if name.endswith(".toml") and os.path.basename(name) != ".toml" and os.path.isfile(name):
        try:
            with open(name, "rb") as fh:
                return fh.read().decode("utf-8")
        except OSError as err:
            raise _bad(name, err.strerror)
        except UnicodeDecodeError as err:
            raise _bad(name, f"not UTF-8 text (byte {err.start})")
    data = package_path("scenarios", f"{name}.toml")
    if not os.path.isfile(data):
        raise CommandError(f"ipemu: unknown scenario '{name}' (known: "
                           f"{', '.join(available())})\n", 2)
    with open(data, encoding="utf-8") as fh:
        return fh.read()


def _bad(name: str, why: str) -> CommandError:
    """A scenario ipemu cannot use: one line, status 2."""
    return CommandError(f"ipemu: scenario '{name}': {why}\n", 2)


# what each key of a scenario holds (a [[device]] or [[address6]] table's keys after it)
_TOP = {"hostname": str, "setup": str, "next_ifindex": int, "device": list, "address6": list,
        "files": dict, "world": dict, "sysctl": dict}
_DEVICE = {"name": str, "kind": str, "address": str, "ifindex": int, "mtu": int,
           "qdisc": str, "addrgenmode": str, "carrier": bool}
_ADDRESS6 = {"address": str, "dev": str, "flags": list}
_REQUIRED = {"device": ("name",), "address6": ("address", "dev")}


def _check_table(name: str, where: str, table, kinds: dict) -> None:
    if not isinstance(table, dict):
        raise _bad(name, f"{where} is not a table")
    for key, value in table.items():
        kind = kinds.get(key)
        if kind is None:
            raise _bad(name, f"unknown key '{key}' in {where}")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise _bad(name, f"'{key}' in {where} must be {_KIND_NAMES[kind]}")


_KIND_NAMES = {str: "a string", int: "an integer", list: "an array of tables",
               bool: "true or false", dict: "a table"}


def validate(name: str, spec: dict) -> dict:
    """The scenario's keys and their types, checked before anything is built."""
    _check_table(name, "the scenario", spec, _TOP)
    for path, text in spec.get("files", {}).items():
        if not isinstance(text, str):
            raise _bad(name, f"[files] '{path}' must be a string")
    for key, kinds in (("device", _DEVICE), ("address6", _ADDRESS6)):
        for i, table in enumerate(spec.get(key, []), 1):
            _check_table(name, f"[[{key}]] {i}", table, kinds)
            for required in _REQUIRED[key]:
                if required not in table:
                    raise _bad(name, f"[[{key}]] {i} has no '{required}'")
    return spec


def load(name: str) -> dict:
    import tomllib      # here: a host restored from its snapshot never parses TOML
    try:
        spec = tomllib.loads(source(name))
    except tomllib.TOMLDecodeError as err:
        raise _bad(name, str(err))
    return validate(name, spec)


def _mac(text: str) -> bytes:
    return bytes(int(part, 16) for part in text.split(":"))


def boot(session, name: str) -> None:
    spec = load(name)
    from ipemu.process import Bound
    saved = Bound.seconds
    Bound.seconds = max(saved, Bound.DEFAULT)   # a scenario's own `sleep 60` is not cut short
    try:
        _build(session, name, spec)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        # a value of the right type the kernel cannot take (a bad MAC, a missing dev)
        raise _bad(name, f"{type(err).__name__}: {err}")
    except KernelError as err:
        raise _bad(name, f"the kernel refused it ({err.errno.name})")
    finally:
        Bound.seconds = saved


def _make_parents(fs, path: str) -> None:
    parts = path.strip("/").split("/")[:-1]
    for i in range(1, len(parts) + 1):
        directory = "/" + "/".join(parts[:i])
        if not fs.exists(directory):
            fs.make_dir(directory)


def _build(session, name: str, spec: dict) -> None:
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
    # the distribution's files (the profile's: /etc/iproute2), then the scenario's
    for path, text in list(session.profile["files"].items()) + \
            list(spec.get("files", {}).items()):
        if isinstance(text, dict) and "link" in text:
            # a symbolic link as the distribution ships it: `{ link = "../usr/lib/..." }`
            _make_parents(session.fs, path)
            if path not in session.fs.links:
                session.fs.symlink(text["link"], path)
            continue
        if isinstance(text, dict):
            # a long file kept beside the profiles: `{ file = "netbase/services" }`
            from ipemu.data import read_text
            text = read_text("profiles", "files", *text["file"].split("/"))
        _make_parents(session.fs, path)
        session.fs.write(path, text.encode())
    # the machine's own sysctls (they follow its memory and CPUs), as recorded there
    host.sysctls.update((key, str(value)) for key, value in spec.get("sysctl", {}).items())
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
            said = " / ".join(term.text().strip().splitlines())
            raise _bad(name, f"`{line}` failed: {said}")
    for entry in spec.get("address6", []):
        # kernel state no command can produce (a DAD failure seen on the real host)
        import ipaddress

        from ipemu.kernel.addr import Ifa6, insert_ifa6, ipv6_scope
        iface = ipaddress.IPv6Interface(entry["address"])
        flags = set(entry.get("flags", []))
        dev = ns.by_name(entry["dev"])
        if dev is None:
            raise _bad(name, f"[[address6]] names no device: '{entry['dev']}'")
        insert_ifa6(ns.ifa6(dev), Ifa6(iface.ip, iface.network.prefixlen, ipv6_scope(iface.ip),
                                       tentative="tentative" in flags,
                                       dadfailed="dadfailed" in flags))
    session.last_status = 0
