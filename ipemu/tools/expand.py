"""coreutils 9.1's expand and unexpand: tabs to spaces and back, as scripts line up a
table they printed with tabs (`printf 'a\\tb\\n' | expand -t 12`).

Followed: coreutils src/expand.c (expand()), src/unexpand.c (unexpand()) and
src/expand-common.c (add_tab_stop(), parse_tab_stops(), validate_tab_stops(),
finalize_tab_stops(), get_next_tab_column(), next_file()). Columns count bytes,
as in the C locale."""
from __future__ import annotations

import re
from ipemu.plainclass import dataclass, field

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input


@dataclass
class TabStops:
    """expand-common.c's tab_list, extend_size (`/N`), increment_size (`+N`) and the
    single tab_size finalize_tab_stops() makes of one stop (8 for none)."""
    stops: list[int] = field(default_factory=list)
    extend: int = 0
    increment: int = 0
    size: int = 0

    def finalize(self) -> None:
        if not self.stops:
            self.size = self.extend or self.increment or 8
            self.extend = self.increment = 0
        elif len(self.stops) == 1 and not self.extend and not self.increment:
            self.size = self.stops[0]

    def next_column(self, column: int, index: int) -> tuple[int, int, bool]:
        """get_next_tab_column(): (the next stop after `column`, the list index it
        was found at, whether the list ran out)."""
        if self.size:
            return column + (self.size - column % self.size), index, False
        while index < len(self.stops):
            if column < self.stops[index]:
                return self.stops[index], index, False
            index += 1
        if self.extend:
            return column + (self.extend - column % self.extend), index, False
        if self.increment:
            end = self.stops[-1]
            return column + (self.increment - (column - end) % self.increment), index, False
        return 0, index, True


def _parse_stops(tool: str, text: str, tabs: TabStops) -> None:
    """parse_tab_stops(): numbers separated by commas or blanks, the last one maybe
    `/N` (every N columns) or `+N` (N after the last stop)."""
    value: int | None = None
    extend = increment = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "," or ch.isspace():
            if value is not None:
                _add_stop(tool, tabs, value, extend, increment)
            value, extend, increment = None, False, False
        elif ch == "/":
            if value is not None:
                raise CommandError(f"{tool}: '/' specifier not at start of number: "
                                   f"{_quote(text[i:])}\n", 1)
            extend = True
        elif ch == "+":
            if value is not None:
                raise CommandError(f"{tool}: '+' specifier not at start of number: "
                                   f"{_quote(text[i:])}\n", 1)
            increment = True
        elif ch.isdigit():
            value = (value or 0) * 10 + int(ch)
        else:
            raise CommandError(f"{tool}: tab size contains invalid character(s): "
                               f"{_quote(text[i:])}\n", 1)
        i += 1
    if value is not None:
        _add_stop(tool, tabs, value, extend, increment)
    # validate_tab_stops()
    prev = 0
    for stop in tabs.stops:
        if stop == 0:
            raise CommandError(f"{tool}: tab size cannot be 0\n", 1)
        if stop <= prev:
            raise CommandError(f"{tool}: tab sizes must be ascending\n", 1)
        prev = stop


def _add_stop(tool: str, tabs: TabStops, value: int, extend: bool, increment: bool) -> None:
    if tabs.extend or tabs.increment:
        what = "'/'" if tabs.extend else "'+'"
        raise CommandError(f"{tool}: {what} specifier only allowed with the last value\n", 1)
    if extend:
        tabs.extend = value
    elif increment:
        tabs.increment = value
    else:
        tabs.stops.append(value)


def _quote(text: str) -> str:
    return f"‘{text}’"


def _options(tool: str, argv: list[str], short: str, longs: dict[str, str]):
    """The obsolete `-N[,N]...` words first become `-t N,...` (both tools' main())."""
    args = []
    for i, arg in enumerate(argv):
        if arg == "--":
            args.extend(argv[i:])
            break
        if re.fullmatch(r"-\d[\d,]*", arg):
            args += ["-t", arg[1:]]
        else:
            args.append(arg)
    return gnuopt.parse(args, short, longs, tool)


def _run(ctx: ToolContext, tool: str, names: list[str], filt) -> int:
    """next_file(): the operands one after another as one stream, what each gave
    written before the next is opened (an operand that cannot be read is named
    there, and the exit status becomes 1)."""
    failed = False
    for name in names or ["-"]:
        try:
            text = read_input(ctx, name)
        except IsADirectoryError:
            ctx.term.err(f"{tool}: {name}: Is a directory\n")
            failed = True
            continue
        except OSError as err:
            ctx.term.err(f"{tool}: {name}: {err.strerror}\n")
            failed = True
            continue
        ctx.term.out(filt.feed(text))
    ctx.term.out(filt.feed(None))
    return 1 if failed else 0


class Expand:
    """expand()'s loop: each tab becomes the spaces to the next stop (one space past
    the last stop of a list); with -i only tabs before a line's first non-blank."""

    def __init__(self, tabs: TabStops, initial: bool):
        self.tabs, self.initial = tabs, initial
        self.column, self.index, self.convert = 0, 0, True

    def feed(self, text: str | None) -> str:
        out = []
        for ch in text or "":
            if ch == "\n":
                self.column, self.index, self.convert = 0, 0, True
            elif self.convert:
                if ch == "\t":
                    stop, self.index, last = self.tabs.next_column(self.column, self.index)
                    if last:
                        stop = self.column + 1
                    out.append(" " * (stop - self.column))
                    self.column = stop
                    continue
                if ch == "\b":
                    self.column -= 1 if self.column else 0
                    self.index -= 1 if self.index else 0
                else:
                    # a column is a byte (coreutils 9.1 has no multibyte support)
                    self.column += len(ch.encode("utf-8", "surrogateescape"))
                self.convert = not self.initial or ch == " "
            out.append(ch)
        return "".join(out)


def expand(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = _options("expand", argv[1:], "it:", {"initial": "i", "tabs=": "t",
                                                         "help": "", "version": ""})
    tabs = TabStops()
    initial = False
    for letter, value in opts:
        if letter in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "expand", letter)
        if letter == "i":
            initial = True
        elif letter == "t":
            _parse_stops("expand", value, tabs)
    tabs.finalize()
    return _run(ctx, "expand", names, Expand(tabs, initial))


def unexpand(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = _options("unexpand", argv[1:], "at:", {
        "all": "a", "first-only": "--first-only", "tabs=": "t", "help": "", "version": ""})
    tabs = TabStops()
    entire = False
    for letter, value in opts:
        if letter in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "unexpand", letter)
        if letter == "a":
            entire = True
        elif letter == "t":
            entire = True
            _parse_stops("unexpand", value, tabs)
        elif letter == "--first-only":
            entire = False
    tabs.finalize()
    return _run(ctx, "unexpand", names, Unexpand(tabs, entire))


class Unexpand:
    """unexpand()'s loop: blanks that reach a tab stop become a tab (a single blank
    just before a stop only when more blanks follow it); without -a only the blanks
    before a line's first non-blank."""

    def __init__(self, tabs: TabStops, entire: bool):
        self.tabs, self.entire = tabs, entire
        self._line_start()

    def _line_start(self) -> None:
        self.convert, self.column, self.index = True, 0, 0
        self.pending: list[str] = []
        self.one_blank_before_stop = False
        self.prev_blank = True

    def feed(self, text: str | None) -> str:
        out: list[str] = []
        if text is None:
            out.extend(self.pending)      # the input's end flushes them
            self.pending = []
            return "".join(out)
        for c in text:
            if self.convert:
                c = self._convert(c, out)
                if c is None:
                    continue
            out.append(c)
            if c == "\n":
                self._line_start()
        return "".join(out)

    def _convert(self, c: str, out: list[str]) -> str | None:
        """One character while converting: what to write after the blanks still
        pending (a tab for blanks that reached a stop), None when it stays pending."""
        blank = c in " \t"
        if blank:
            stop, self.index, last = self.tabs.next_column(self.column, self.index)
            if last:
                self.convert = False
            if self.convert:
                if c == "\t":
                    self.column = stop
                    if self.pending:
                        self.pending[0] = "\t"
                else:
                    self.column += 1
                    if not (self.prev_blank and self.column == stop):
                        # not yet known whether the pending blanks become tabs
                        if self.column == stop:
                            self.one_blank_before_stop = True
                        self.pending.append(c)
                        self.prev_blank = True
                        return None
                    # the pending blanks are replaced by a tab
                    c = "\t"
                    if self.pending:
                        self.pending[0] = "\t"
                # discarded, but for a single blank just before the last stop
                self.pending = self.pending[:1] if self.one_blank_before_stop else []
        elif c == "\b":
            self.column -= 1 if self.column else 0
            self.one_blank_before_stop = False
        else:
            self.column += len(c.encode("utf-8", "surrogateescape"))
        if self.pending:
            if len(self.pending) > 1 and self.one_blank_before_stop:
                self.pending[0] = "\t"
            out.extend(self.pending)
            self.pending = []
            self.one_blank_before_stop = False
        self.prev_blank = blank
        self.convert = self.convert and (self.entire or blank)
        return c


COMMANDS = {"expand": expand, "unexpand": unexpand}


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0].rsplit("/", 1)[-1]](ctx, argv)
