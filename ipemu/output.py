"""What a command writes, as bytes: text in ipemu is `str`, and a byte that is not
UTF-8 (from `$'\\xff'`, argv or a file) is kept as a surrogate escape, as Python
keeps it in argv; it becomes the same byte again on the way out. And the message a
command prints when its write(2) fails."""
from __future__ import annotations

# the shell's own commands: bash prints their write errors as `bash: NAME: ...`
BASH_BUILTINS = frozenset({"echo", "printf", "true", "false", "kill", "jobs", "wait", "pwd",
                           "cd", "test", "["})


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def write_error(command: str, reason: str) -> str:
    """A failed write to standard output: bash's builtins report it as `bash: echo:
    write error: REASON` (sh_wrerror()), coreutils as `cat: write error: REASON`."""
    if command in BASH_BUILTINS:
        return f"bash: {command}: write error: {reason}\n"
    if command in ("head", "tail"):
        # head.c and tail.c's xwrite_stdout(): error (..., _("error writing %s"),
        # quoteaf ("standard output"))
        return f"{command}: error writing 'standard output': {reason}\n"
    return f"{command}: write error: {reason}\n"
