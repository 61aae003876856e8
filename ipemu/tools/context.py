"""What a tool sees while it runs: the host, its namespace, and its terminal."""
from __future__ import annotations

from dataclasses import dataclass, field

from ipemu.kernel.host import Host
from ipemu.kernel.netns import NetNamespace
from ipemu.profiles import Profile


@dataclass
class Terminal:
    """What one command printed, stdout and stderr chunks in the order written."""

    chunks: list[tuple[str, str]] = field(default_factory=list)

    def out(self, text: str) -> None:
        if text:
            self.chunks.append(("stdout", text))

    def err(self, text: str) -> None:
        if text:
            self.chunks.append(("stderr", text))

    def text(self) -> str:
        return "".join(t for _, t in self.chunks)

    def stream(self, name: str) -> str:
        return "".join(t for s, t in self.chunks if s == name)


@dataclass
class ToolContext:
    host: Host
    netns: NetNamespace
    term: Terminal
    profile: Profile
    session: object = None   # the Session, for tools that need jobs or the clock
    stdin: str | None = None  # what a pipe or `<` gives the command (`ip -batch -`)
