"""The command-line front end: exit statuses, stream order, start-up imports, and that
bad input never ends in a Python traceback."""
from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ipemu
from ipemu.session import Session


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ipemu", *args], capture_output=True,
                          text=True, check=False)


def test_one_shot_prints_and_returns_status():
    done = run("--scenario", "bare", "-c", "ip link show dev nosuch")
    assert done.stdout == ""
    assert done.stderr == 'Device "nosuch" does not exist.\n'
    assert done.returncode == 1


def test_one_shot_keeps_stdout_before_stderr():
    done = run("--scenario", "bare", "-c", "ip -V; ip foo")
    assert done.stdout == "ip utility, iproute2-6.1.0, libbpf 1.1.2\n"
    assert done.stderr == 'Object "foo" is unknown, try "ip help".\n'
    assert done.returncode == 1


def test_one_shot_imports_neither_lark_nor_prompt_toolkit():
    # nor dataclasses (and with it inspect), typing or hashlib: start-up time (issue 19)
    code = ("import sys; from ipemu.cli import main; main(['-c', 'ip -br link']); "
            "sys.stderr.write(','.join(m for m in ('lark', 'prompt_toolkit', 'argparse', "
            "'dataclasses', 'inspect', 'typing', 'hashlib') if m in sys.modules))")
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)  # warm cache
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.stderr == "", f"the one-shot path imported: {done.stderr}"


def test_ipemu_makes_its_classes_with_plainclass():
    """ipemu/plainclass.py, not the standard dataclasses: mixing the two breaks
    replace() and fields() across them, and dataclasses costs the start ~40 ms."""
    root = Path(ipemu.__file__).parent
    found = [str(p.relative_to(root)) for p in sorted(root.rglob("*.py"))
             if p.parent.name != "parsers"        # Lark's generated standalone parsers
             and re.search(r"^\s*(from dataclasses import|import dataclasses)",
                           p.read_text(encoding="utf-8"), re.M)]
    assert not found, f"import dataclasses (use ipemu.plainclass): {found}"


def test_default_scenario_is_a_realistic_host():
    # the same setup recorded on the real kernel (eth0 being a veth with its peer up)
    # printed exactly these two lines
    session = Session.create(scenario="default")
    term, status = session.run_line("ip route")
    assert status == 0
    assert term.text() == ("default via 10.0.2.2 dev eth0 proto dhcp src 10.0.2.15 metric 100 \n"
                           "10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 metric 100 \n")


WORDS = ["ip", "link", "addr", "route", "add", "del", "set", "show", "dev", "veth0", "lo",
         "type", "veth", "peer", "name", "up", "down", "mtu", "via", "10.0.0.1/24", "default",
         "table", "100", "-j", "-4", "-6", "-o", "help", "scope", "metric", "foo", "1500",
         "brd", "+", "get", "flush", "fe80::1/64", "master", "br0", "bridge", "''", "-br"]


@pytest.mark.parametrize("seed", range(4))
def test_garbage_never_raises(seed: int):
    """Thousands of word salads: every one ends in some output and a status, never in
    ipemu's internal-error message."""
    import random

    rng = random.Random(seed)
    session = Session.create(scenario="bare")
    session.run_line("ip link add veth0 type veth peer name veth1")
    for _ in range(600):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 8))]
        line = " ".join(["ip"] + words if rng.random() < 0.7 else words)
        term, status = session.run_line(line)
        assert "internal error" not in term.text(), line
        assert isinstance(status, int)
