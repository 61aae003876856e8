"""The userland commands network scripts call (issue 18), by command name: the module
that runs each (main(ctx, argv) -> int | Process). session.TOOLS takes them in."""
from __future__ import annotations

USERLAND_TOOLS = {
    "echo": "ipemu.tools.printf",
    "printf": "ipemu.tools.printf",
    "grep": "ipemu.tools.grep",
    "sed": "ipemu.tools.sed",
    "awk": "ipemu.tools.awk",
    "mawk": "ipemu.tools.awk",
}
