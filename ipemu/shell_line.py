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
    """Pipelines with the operator before each (None, ";", "&&", "||") and whether
    each runs in the background (`&` after it)."""

    items: list[tuple[str | None, Pipeline]]
    background_items: list[bool] = field(default_factory=list)

    @property
    def background(self) -> bool:
        """The whole line is one background job (`COMMAND &`)."""
        return len(self.items) == 1 and bool(self.background_items) and self.background_items[0]


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


# a line of plain words (no quoting, expansion, operator, redirection, comment or
# reserved word) is parsed by splitting it: most lines are, and the grammar's parser
# then need not even be loaded (`ipemu -c`)
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:,@%+-= \t")
_RESERVED = frozenset(("if", "then", "else", "elif", "fi", "do", "done", "case", "esac",
                       "while", "until", "for", "in", "function", "select", "time", "coproc"))


def _plain_line(text: str) -> CommandList | None:
    if not _PLAIN.issuperset(text):
        return None
    argv = text.split()
    if not argv or not _RESERVED.isdisjoint(argv):
        return None
    return CommandList([(None, Pipeline([SimpleCommand(argv)]))], [False])


def parse_line(text: str) -> CommandList | None:
    """Parse one line; None for an empty line or a comment."""
    plain = _plain_line(text)
    if plain is not None:
        return plain
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
    background: list[bool] = []
    op = None
    previous_sep = None
    for child in cmdlist.children:
        if child is None:
            continue
        if getattr(child, "type", None) == "SEP":
            text = str(child)
            if previous_sep is not None and not text.startswith("\n"):
                shown = ";;" if previous_sep == ";" and text == ";" else text
                raise CommandError(f"bash: syntax error near unexpected token `{shown}'\n", 2)
            previous_sep = text
            if text == "&":
                background[-1] = True
                op = ";"
            else:
                op = ";" if text.startswith("\n") else text
        else:
            previous_sep = None
            commands = [_command(c) for c in child.children if getattr(c, "data", None) == "command"]
            items.append((op if items else None, Pipeline(commands)))
            background.append(False)
            op = None
    return CommandList(items, background)
