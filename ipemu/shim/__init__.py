"""Fake `ip`, `ping`, `tcpdump`, ... on PATH: `ipemu shim DIR` writes small programs
into DIR that run those tools on one named ipemu host, so a real bash script runs
unmodified against a simulated host that keeps its state between calls.

    client.py   the shim itself (copied under each tool's name; imports no ipemu)
    host.py     the host's side of one call (an extension of attach's protocol)
    server.py   the background host a shim starts on first use; `ipemu stop NAME`
"""
from __future__ import annotations

import os
import sys

# the tools a shim stands in for: iproute2, iputils (ping4/ping6 are Debian's links
# to ping), tcpdump, net-tools, procps' sysctl, traceroute; each one ipemu runs
TOOLS = ("ip", "bridge", "ping", "ping4", "ping6", "arping", "tcpdump", "route",
         "ifconfig", "arp", "netstat", "sysctl", "traceroute")


# `ipemu --name NAME -c` imports this package for client.py: nothing more than os and
# sys at its top (re and pathlib where they are used)


def _ipemu_root() -> str:
    """The directory ipemu is imported from (the background host imports it there)."""
    from pathlib import Path
    return str(Path(__file__).resolve().parent.parent.parent)


def shim_source(name: str, scenario: str, profile: str) -> str:
    """client.py with the host it serves written in."""
    import re
    from pathlib import Path
    source = (Path(__file__).parent / "client.py").read_text(encoding="utf-8")
    settings = {"NAME": name, "SCENARIO": scenario, "PROFILE": profile,
                "PYTHON": sys.executable, "IPEMU_ROOT": _ipemu_root(), "TOOLS": TOOLS}
    for key, value in settings.items():
        source, count = re.subn(rf"^{key} = .*$", lambda _m: f"{key} = {value!r}", source,
                                count=1, flags=re.M)
        assert count == 1, key
    # -I: no user site or PYTHON* variables; -S: no site (the shim needs only builtins)
    return f"#!{sys.executable} -IS\n" + source


def write_shims(directory: str | os.PathLike, name: str = "default",
                scenario: str = "default", profile: str = "default") -> list:
    """Write one shim per tool into `directory` (made if missing); returns their
    paths (pathlib.Path)."""
    from pathlib import Path

    from ipemu.shell.attach import socket_path
    socket_path(name)           # a bad name is refused now, not at the first call
    where = Path(directory)
    where.mkdir(parents=True, exist_ok=True)
    if scenario.endswith(".toml"):
        scenario = os.path.abspath(scenario)    # the host starts in /, not here
    source = shim_source(name, scenario, profile)
    paths = []
    for tool in TOOLS:
        path = where / tool
        tmp = where / f".{tool}.tmp"
        tmp.write_text(source, encoding="utf-8")
        tmp.chmod(0o755)
        tmp.replace(path)
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    """`ipemu shim DIR [--scenario S] [--profile P] [--name NAME]`."""
    import argparse
    parser = argparse.ArgumentParser(
        prog="ipemu shim", description="write fake ip, ping, tcpdump, ... into DIR: with "
        "DIR first on PATH, a script's calls run on the named ipemu host (started on "
        "first use, kept until `ipemu stop NAME`)")
    parser.add_argument("dir", metavar="DIR")
    parser.add_argument("--scenario", default="default",
                        help="the host a first call starts from (default: default)")
    parser.add_argument("--profile", default="default", help="tool versions")
    parser.add_argument("--name", default="default", help="the host's name (default: "
                        "default, the one `ipemu` and `ipemu attach` use)")
    opts = parser.parse_args(argv)
    from ipemu.shell.attach import AttachError
    try:
        write_shims(opts.dir, opts.name, opts.scenario, opts.profile)
    except (AttachError, OSError) as err:
        sys.stderr.write(f"ipemu shim: {err}\n")
        return 1
    return 0


def stop_main(argv: list[str]) -> int:
    """`ipemu stop [NAME]`."""
    import argparse
    parser = argparse.ArgumentParser(
        prog="ipemu stop", description="end a host a shim started in the background")
    parser.add_argument("name", nargs="?", default="default", help="the host's name")
    opts = parser.parse_args(argv)
    from ipemu.shim.server import stop
    return stop(opts.name)
