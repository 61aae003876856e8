"""A command line's outline for code that only asks what shape a line has (`ipemu
doc` checks a terminal block is one simple command): lists of pipelines of simple
commands, with the words unquoted. The shell itself runs ipemu/bash/, which parses
the whole language with the same grammar."""
from __future__ import annotations


from ipemu.errors import CommandError
from ipemu.plainclass import dataclass, field


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
    from ipemu.bash.words import remove_quotes
    return remove_quotes(word)


def parse_line(text: str) -> CommandList | None:
    """Parse one line; None for an empty line or a comment. A compound command
    counts as a command whose argv is its first word."""
    from ipemu.bash import ast
    from ipemu.bash.parser import ShellSyntaxError, parse
    try:
        parsed = parse(text)
    except ShellSyntaxError as err:
        raise CommandError(f"bash: {err.message}\n", 2) from None
    items: list[tuple[str | None, Pipeline]] = []
    background: list[bool] = []
    for chunk in parsed:
        if chunk.tree is None:
            continue
        for and_or, bg in chunk.tree.items:
            for op, pipe in [(";" if items else None, and_or.first)] + list(and_or.rest):
                commands = []
                for cmd in pipe.commands:
                    if isinstance(cmd, ast.Simple):
                        commands.append(SimpleCommand(
                            [unquote(w) for w in cmd.words],
                            [((str(r.fd) if r.fd is not None else "") + r.op,
                              unquote(r.target)) for r in cmd.redirects]))
                    else:
                        commands.append(SimpleCommand([type(getattr(cmd, "body", cmd))
                                                       .__name__.lower()]))
                items.append((op, Pipeline(commands)))
                background.append(False)
            background[-1] = bg
    if not items:
        return None
    return CommandList(items, background)
