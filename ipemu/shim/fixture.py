"""What the pytest fixture `ipemu_shim` gives a test (ipemu/transcript/pytest_plugin.py):
a shim directory, a working directory, and a fresh host of its own name, stopped when
the test ends.

    def test_setup_script(ipemu_shim):
        result = ipemu_shim.run("bash setup.sh")       # or ipemu_shim.run_script(text)
        assert result.returncode == 0
        assert "10.0.0.1/24" in ipemu_shim.run("ip -br addr").stdout
"""
from __future__ import annotations

import itertools
import os
import subprocess
from pathlib import Path

from ipemu.plainclass import dataclass, field

_COUNTER = itertools.count(1)


@dataclass
class ShimHost:
    dir: Path                  # the shims (ip, ping, tcpdump, ...): first on PATH
    cwd: Path                  # where the commands run: their files land here
    name: str                  # the host's name (`ipemu attach NAME` opens a terminal)
    env: dict = field(default_factory=dict)

    @classmethod
    def create(cls, base: Path, scenario: str = "default", profile: str = "default"
               ) -> "ShimHost":
        from ipemu.shim import write_shims
        name = f"pytest-{os.getpid()}-{next(_COUNTER)}"
        shims, cwd = base / "shims", base / "work"
        cwd.mkdir(parents=True, exist_ok=True)
        write_shims(shims, name, scenario, profile)
        env = dict(os.environ)
        env.pop("IPEMU_NETNS", None)
        env["PATH"] = f"{shims}:{env.get('PATH', '/usr/bin:/bin')}"
        return cls(shims, cwd, name, env)

    def run(self, command: str, timeout: float = 60.0, **options
            ) -> subprocess.CompletedProcess:
        """`bash -c COMMAND` in the working directory with the shims on PATH; its
        output as text."""
        return subprocess.run(["bash", "-c", command], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, timeout=timeout, **options)

    def run_script(self, text: str, timeout: float = 60.0) -> subprocess.CompletedProcess:
        """A bash script (its text) run as `bash script.sh` would run it."""
        script = self.cwd / "script.sh"
        script.write_text(text, encoding="utf-8")
        return self.run(f"bash {script}", timeout=timeout)

    def stop(self) -> None:
        from ipemu.shim.server import stop
        from ipemu.shell.attach import socket_path
        if os.path.exists(socket_path(self.name)):
            stop(self.name)
