"""Input and options shared by the userland text tools: an operand's text (`-` is
standard input; files and the kernel's /proc and /sys views as the command's
namespace shows them), lines as they split, and GNU getopt's option scanning."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.textutils import STDIN_NAMES, DirectoryInput


def read_input(ctx: ToolContext, name: str) -> str:
    """The text of one operand (`-` and /dev/stdin are standard input); raises OSError
    (ENOENT, EISDIR, ...)."""
    if name == "-" or name in STDIN_NAMES:
        if isinstance(ctx.stdin, DirectoryInput):
            raise IsADirectoryError(21, ctx.stdin.strerror, "-")
        return ctx.stdin or ""
    session = ctx.session
    try:
        return session.open_text(name, ctx.netns)
    except TypeError:            # a session without namespace-aware reading
        return session.open_text(name)


def split_lines(text: str) -> list[str]:
    """Lines without their newline (a last line without one counts)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def getopt(argv: list[str], shortopts: str, tool: str, usage: str,
           longs: dict[str, str] | None = None,
           permute: bool = True) -> tuple[list[tuple[str, str]], list[str]]:
    """GNU getopt(): clustered letters, `x:` takes a value (attached or next word),
    `--` ends options, operands may come between options (unless POSIXLY ordered).
    Unknown letters raise coreutils' `invalid option` with the usage lines."""
    from ipemu.tools.gnuopt import parse
    return parse(argv, shortopts, longs or {}, tool, status=2, permute=permute, usage=usage)
