"""A command line as the shell sees it: the grammar/shell.lark parse turned into
commands, pipelines, lists and a background flag, with the words unquoted."""
from __future__ import annotations

import re
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


# one piece of a word: $'...', '...', "...", a backslash escape, or plain text
_PIECE = re.compile(r"""\$'([^']*)'|'([^']*)'|"((?:\\.|[^"\\]++)*)"|\\(.)|([^'"\\$]++|\$)""", re.S)
_DQUOTE_ESCAPE = re.compile(r'\\(["\\$`])')


def unquote(word: str) -> str:
    """Remove the quoting of one shell word ($'...', '...', "...", backslashes), a
    piece at a time (a word may be megabytes long)."""
    if not any(ch in word for ch in "'\"\\$"):
        return word
    out = []
    for ansi, single, double, escaped, plain in _PIECE.findall(word):
        if plain or escaped:
            out.append(plain or escaped)
        elif double:
            out.append(_DQUOTE_ESCAPE.sub(r"\1", double))
        elif single:
            out.append(single)
        elif ansi:
            out.append(ansi_c(ansi))
    return "".join(out)


_ESCAPES = {"a": 7, "b": 8, "e": 27, "E": 27, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11,
            "\\": 92, "'": 39, '"': 34, "?": 63}


def ansi_c(text: str) -> str:
    """bash's $'...' (ansicstr()): backslash escapes as bytes. Bytes that are not UTF-8
    stay as surrogate escapes, as Python gives a program's argv."""
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1:i + 2]
        if ch != "\\" or not nxt:
            out += ch.encode("utf-8", "surrogateescape")
            i += 1
        elif nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt in "01234567":
            digits = _run(text, i + 1, "01234567", 3)
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        elif nxt in "xuU":
            digits = _run(text, i + 2, "0123456789abcdefABCDEF", {"x": 2, "u": 4, "U": 8}[nxt])
            if not digits:
                out += ("\\" + nxt).encode()
            elif nxt == "x":
                out.append(int(digits, 16))
            else:
                out += chr(min(int(digits, 16), 0x10FFFF)).encode("utf-8", "surrogatepass")
            i += 2 + len(digits)
        elif nxt == "c" and i + 2 < len(text):
            out.append(ord(text[i + 2].upper()) & 0x1F)
            i += 3
        else:
            out += ("\\" + nxt).encode("utf-8", "surrogateescape")
            i += 2
    return out.decode("utf-8", "surrogateescape")


def _run(text: str, start: int, allowed: str, most: int) -> str:
    end = start
    while end < len(text) and end - start < most and text[end] in allowed:
        end += 1
    return text[start:end]


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
