"""A command line as the shell sees it: the grammar/shell.lark parse turned into
commands, pipelines, lists and a background flag, with the words unquoted."""
from __future__ import annotations

from dataclasses import dataclass, field

from ipemu.errors import CommandError


@dataclass
class SimpleCommand:
    argv: list[str]
    redirects: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Pipeline:
    commands: list[SimpleCommand]


@dataclass
class CommandList:
    """`first`, then (operator, pipeline) pairs; `background` for a trailing `&`."""

    items: list[tuple[str | None, Pipeline]]
    background: bool = False


def unquote(word: str) -> str:
    """Remove the quoting of one shell word ('...', "...", backslashes)."""
    out = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch == "'":
            end = word.index("'", i + 1)
            out.append(word[i + 1:end])
            i = end + 1
        elif ch == '"':
            i += 1
            while word[i] != '"':
                if word[i] == "\\" and word[i + 1] in '"\\$`':
                    out.append(word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            i += 1
        elif ch == "\\":
            out.append(word[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _command(tree) -> SimpleCommand:
    cmd = SimpleCommand([])
    for child in tree.children:
        if getattr(child, "data", None) == "redirect":
            op = str(child.children[0])
            target = unquote(str(child.children[1])) if len(child.children) > 1 else ""
            cmd.redirects.append((op, target))
        else:
            cmd.argv.append(unquote(str(child)))
    return cmd


def parse_line(text: str) -> CommandList | None:
    """Parse one line; None for an empty line or a comment."""
    from ipemu.lark_cache import parser

    lark_parser = parser("shell")
    module = lark_parser.module
    try:
        tree = lark_parser.parse(text)
    except module.UnexpectedInput as err:
        token = getattr(err, "token", None)
        shown = str(token) if token not in (None, "") and getattr(token, "type", "") != "$END" \
            else "newline"
        if getattr(token, "type", "") == "$END":
            raise CommandError("bash: syntax error: unexpected end of file\n", 2)
        raise CommandError(f"bash: syntax error near unexpected token `{shown}'\n", 2)
    if not tree.children or tree.children[0] is None:
        return None
    cmdlist = tree.children[0]
    items: list[tuple[str | None, Pipeline]] = []
    op = None
    background = False
    for child in cmdlist.children:
        if child is None:
            continue
        kind = getattr(child, "type", None)
        if kind == "SEPOP":
            op = str(child)
        elif kind == "AMP":
            background = True
        else:
            commands = [_command(c) for c in child.children if getattr(c, "data", None) == "command"]
            items.append((op, Pipeline(commands)))
            op = None
    return CommandList(items, background)
