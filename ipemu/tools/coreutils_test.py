"""coreutils 9.1's test and [ (src/test.c) as programs: /usr/bin/test, /usr/bin/[, what
env, xargs, find -exec, timeout, sudo and `ip netns exec` run (a shell runs its builtin).

The expression is bash's test (ipemu/bash/test.py, POSIX's rules by argument count), with
coreutils' differences: no -v, -o as an option test, `<` or `>`; its messages quote with
quote() (‘X’), say `invalid integer ‘X’` and `extra argument ‘X’`; errors exit 2."""
from __future__ import annotations

import re

from ipemu.bash.test import Files, TestError, run_test
from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

# what coreutils' test.c knows that bash's does not, and the reverse
_NOT_UNARY = {"-v", "-o"}          # unary_operator(): no -v; -o is only binary
_NOT_BINARY = {"<", ">"}           # binop(): no < or > in coreutils 9.1


def main(ctx: ToolContext, argv: list[str]) -> int:
    name = argv[0]
    args = list(argv[1:])
    if name == "[":
        # main(): `[` with one argument --help/--version would print them; a missing
        # `]` is test_syntax_error(_("missing %s"), quote ("]"))
        if not args or args[-1] != "]":
            raise _error(name, "missing ‘]’")
        args = args[:-1]
    n = len(args)
    if n == 2 and args[0] in _NOT_UNARY:
        raise _error(name, f"‘{args[0]}’: unary operator expected")
    if n == 3 and args[1] in _NOT_BINARY and args[0] != "!":
        raise _error(name, f"‘{args[1]}’: binary operator expected")
    if n == 4 and args[0] != "!" and args[0] != "(" and args[1] in {
            "=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"}:
        # posixtest(): four words not led by ! or ( are an expression whose fourth
        # word is left over (`test a = b c`)
        raise _error(name, f"extra argument ‘{args[3]}’")
    try:
        return run_test(["test"] + args, Files(ctx.session, ctx.netns))
    except TestError as err:
        raise _error(name, _coreutils_text(err.message)) from None


def _coreutils_text(message: str) -> str:
    """bash's test message (`test: X: integer expression expected`) in coreutils' words."""
    text = message[len("test: "):] if message.startswith("test: ") else message
    m = re.fullmatch(r"(.*): integer expression expected", text, re.S)
    if m:
        return f"invalid integer ‘{m.group(1)}’"
    m = re.fullmatch(r"(.*): (unary|binary) operator expected", text, re.S)
    if m:
        return f"‘{m.group(1)}’: {m.group(2)} operator expected"
    return text


def _error(name: str, text: str) -> CommandError:
    """test_syntax_error(): `PROG: TEXT`, exit status 2 (TEST_FAILURE)."""
    return CommandError(f"{name}: {text}\n", 2)
