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
    "cut": "ipemu.tools.coreutils",
    "sort": "ipemu.tools.coreutils",
    "uniq": "ipemu.tools.coreutils",
    "tr": "ipemu.tools.coreutils",
    "head": "ipemu.tools.coreutils",
    "tail": "ipemu.tools.coreutils",
    "seq": "ipemu.tools.coreutils",
    "tee": "ipemu.tools.coreutils",
    "cat": "ipemu.tools.coreutils",
    "basename": "ipemu.tools.coreutils",
    "dirname": "ipemu.tools.coreutils",
    "mkdir": "ipemu.tools.fileutils",
    "chmod": "ipemu.tools.fileutils",
    "rmdir": "ipemu.tools.fileutils",
    "touch": "ipemu.tools.fileutils",
    "rm": "ipemu.tools.fileutils",
    "cp": "ipemu.tools.fileutils",
    "mv": "ipemu.tools.fileutils",
    "xargs": "ipemu.tools.xargs",
    "env": "ipemu.tools.xargs",
    "date": "ipemu.tools.date",
    "jq": "ipemu.tools.jq",
}
