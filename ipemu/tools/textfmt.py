"""coreutils 9.1's fmt: paragraphs refilled to a width with fmt.c's costs (the
breaks the real fmt chooses, not a greedy fill), as scripts wrap a long message or a
list of names to a width.

Followed: coreutils src/fmt.c (get_paragraph(), get_line(), get_prefix(),
copy_rest(), fmt_paragraph(), base_cost(), line_cost(), flush_paragraph(),
put_line(), put_space()). Bytes are counted, as in the C locale's columns."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

EOF = -1
WIDTH, LEEWAY, DEF_INDENT, TABWIDTH = 75, 7, 3, 8
MAXWORDS, MAXCHARS = 1000, 5000
MAXCOST = (1 << 63) - 1


def _equiv(n: int) -> int:
    return n * n


def _short_cost(n: int) -> int:
    return _equiv(n * 10)


def _ragged_cost(n: int) -> int:
    return _short_cost(n) // 2


LINE_COST = _equiv(70)
SENTENCE_BONUS, NOBREAK_COST = _equiv(50), _equiv(600)
PAREN_BONUS = PUNCT_BONUS = _equiv(40)
LINE_CREDIT = _equiv(3)
PUNCT = set(b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
SPACES = set(b" \t\n\v\f\r")


class Word:
    __slots__ = ("text", "length", "space", "paren", "period", "punct", "final",
                 "line_length", "best_cost", "next_break")

    def __init__(self) -> None:
        self.text = b""
        self.length = self.space = self.line_length = 0
        self.paren = self.period = self.punct = self.final = False
        self.best_cost = 0
        self.next_break = 0


class Fmt:
    """fmt.c's globals for one run: the options and the reader's state."""

    def __init__(self, width: int, goal: int, crown: bool, tagged: bool, split: bool,
                 uniform: bool, prefix: str) -> None:
        self.max_width, self.goal_width = width, goal
        self.crown, self.tagged, self.split, self.uniform = crown, tagged, split, uniform
        raw = prefix.encode("utf-8", "surrogateescape")
        self.prefix_lead_space = len(raw) - len(raw.lstrip(b" "))
        raw = raw.lstrip(b" ")
        self.prefix_full_length = len(raw)
        self.prefix = raw.rstrip(b" ")
        self.prefix_length = len(self.prefix)
        self.out = bytearray()
        self.other_indent = 0

    # ---------------------------------------------------------------- input
    def getc(self) -> int:
        if self.pos >= len(self.data):
            return EOF
        self.pos += 1
        return self.data[self.pos - 1]

    def run(self, data: bytes) -> None:
        """fmt(): one file."""
        self.data, self.pos = data, 0
        self.tabs = False
        self.other_indent = 0
        self.in_column = self.out_column = 0
        self.next_prefix_indent = self.prefix_indent = 0
        self.first_indent = 0
        self.next_char = self.get_prefix()
        while self.get_paragraph():
            self.fmt_paragraph()
            self.put_paragraph(len(self.words) - 1)

    def set_other_indent(self, same: bool) -> None:
        if self.split:
            self.other_indent = self.first_indent
        elif self.crown:
            self.other_indent = self.in_column if same else self.first_indent
        elif self.tagged:
            if same and self.in_column != self.first_indent:
                self.other_indent = self.in_column
            elif self.other_indent == self.first_indent:
                self.other_indent = DEF_INDENT if self.first_indent == 0 else 0
        else:
            self.other_indent = self.first_indent

    def get_paragraph(self) -> bool:
        self.last_line_length = 0
        c = self.next_char
        while (c in (10, EOF) or self.next_prefix_indent < self.prefix_lead_space
               or self.in_column < self.next_prefix_indent + self.prefix_full_length):
            c = self.copy_rest(c)
            if c == EOF:
                self.next_char = EOF
                return False
            self.out.append(10)
            c = self.get_prefix()
        self.prefix_indent = self.next_prefix_indent
        self.first_indent = self.in_column
        self.chars = 0
        # word_limit is the last entry: the word being read
        self.words = [Word()]
        c = self.get_line(c)
        self.set_other_indent(self.same_para(c))
        if self.split:
            pass
        elif self.crown or self.tagged:
            if self.same_para(c) and (self.crown or self.in_column != self.first_indent):
                while True:
                    c = self.get_line(c)
                    if not (self.same_para(c) and self.in_column == self.other_indent):
                        break
        else:
            while self.same_para(c) and self.in_column == self.other_indent:
                c = self.get_line(c)
        last = self.words[-2]
        last.period = last.final = True
        self.next_char = c
        return True

    def copy_rest(self, c: int) -> int:
        self.out_column = 0
        if self.in_column > self.next_prefix_indent or c not in (10, EOF):
            self.put_space(self.next_prefix_indent)
            i = 0
            while self.out_column != self.in_column and i < len(self.prefix):
                self.out.append(self.prefix[i])
                i += 1
                self.out_column += 1
            if c not in (EOF, 10):
                self.put_space(self.in_column - self.out_column)
            if c == EOF and self.in_column >= self.next_prefix_indent + self.prefix_length:
                self.out.append(10)
        while c not in (10, EOF):
            self.out.append(c)
            c = self.getc()
        return c

    def same_para(self, c: int) -> bool:
        return (self.next_prefix_indent == self.prefix_indent
                and self.in_column >= self.next_prefix_indent + self.prefix_full_length
                and c not in (10, EOF))

    def get_line(self, c: int) -> int:
        while True:
            word = self.words[-1]
            text = bytearray()
            while True:
                if self.chars + len(text) == MAXCHARS:
                    word.text = bytes(text)
                    self.set_other_indent(True)
                    self.flush_paragraph()
                    text = bytearray(word.text)
                text.append(c)
                c = self.getc()
                if c == EOF or c in SPACES:
                    break
            word.text = bytes(text)
            word.length = len(text)
            self.chars += len(text)
            self.in_column += word.length
            self.check_punctuation(word)
            start = self.in_column
            c = self.get_space(c)
            word.space = self.in_column - start
            word.final = c == EOF or (word.period and (c == 10 or word.space > 1))
            if c in (10, EOF) or self.uniform:
                word.space = 2 if word.final else 1
            if len(self.words) - 1 == MAXWORDS - 2:
                self.set_other_indent(True)
                self.flush_paragraph()
            self.words.append(Word())
            if c in (10, EOF):
                break
        return self.get_prefix()

    def get_prefix(self) -> int:
        self.in_column = 0
        c = self.get_space(self.getc())
        if self.prefix_length == 0:
            self.next_prefix_indent = min(self.prefix_lead_space, self.in_column)
        else:
            self.next_prefix_indent = self.in_column
            for pc in self.prefix:
                if c != pc:
                    return c
                self.in_column += 1
                c = self.getc()
            c = self.get_space(c)
        return c

    def get_space(self, c: int) -> int:
        while True:
            if c == 32:
                self.in_column += 1
            elif c == 9:
                self.tabs = True
                self.in_column = (self.in_column // TABWIDTH + 1) * TABWIDTH
            else:
                return c
            c = self.getc()

    @staticmethod
    def check_punctuation(w: Word) -> None:
        text = w.text
        w.paren = text[0] in b"(['`\""
        w.punct = text[-1] in PUNCT
        finish = len(text) - 1
        while finish > 0 and text[finish] in b")]'\"":
            finish -= 1
        w.period = text[finish] in b".?!"

    # ---------------------------------------------------------------- breaking
    def flush_paragraph(self) -> None:
        """Room for more: the paragraph so far is formatted, printed up to a cheap
        break near its end, and the rest kept."""
        words = self.words
        if len(words) == 1:
            self.out += words[0].text
            words[0].text = b""
            self.chars = 0
            return
        self.fmt_paragraph()
        limit = len(words) - 1
        split_point, best = limit, MAXCOST
        w = words[0].next_break
        while w != limit:
            cost = words[w].best_cost - words[words[w].next_break].best_cost
            if cost < best:
                split_point, best = w, cost
            if best <= MAXCOST - LINE_CREDIT:
                best += LINE_CREDIT
            w = words[w].next_break
        self.put_paragraph(split_point)
        self.words = words[split_point:]
        for word in self.words:
            word.next_break -= split_point
        self.chars = sum(word.length for word in self.words[:-1])

    def fmt_paragraph(self) -> None:
        words = self.words
        limit = len(words) - 1
        words[limit].best_cost = 0
        saved = words[limit].length
        words[limit].length = self.max_width
        for start in range(limit - 1, -1, -1):
            best = MAXCOST
            length = self.first_indent if start == 0 else self.other_indent
            w = start
            length += words[w].length
            while True:
                w += 1
                wcost = self.line_cost(w, length) + words[w].best_cost
                if start == 0 and self.last_line_length > 0:
                    wcost += _ragged_cost(length - self.last_line_length)
                if wcost < best:
                    best = wcost
                    words[start].next_break = w
                    words[start].line_length = length
                if w == limit:
                    break
                length += words[w - 1].space + words[w].length
                if length >= self.max_width:
                    break
            words[start].best_cost = best + self.base_cost(start)
        words[limit].length = saved

    def base_cost(self, this: int) -> int:
        words = self.words
        cost = LINE_COST
        if this > 0:
            prev = words[this - 1]
            if prev.period:
                cost += -SENTENCE_BONUS if prev.final else NOBREAK_COST
            elif prev.punct:
                cost -= PUNCT_BONUS
            elif this > 1 and words[this - 2].final:
                cost += _equiv(200) // (prev.length + 2)
        if words[this].paren:
            cost -= PAREN_BONUS
        elif words[this].final:
            cost += _equiv(150) // (words[this].length + 2)
        return cost

    def line_cost(self, nxt: int, length: int) -> int:
        words = self.words
        limit = len(words) - 1
        if nxt == limit:
            return 0
        cost = _short_cost(self.goal_width - length)
        if words[nxt].next_break != limit:
            cost += _ragged_cost(length - words[nxt].line_length)
        return cost

    # ---------------------------------------------------------------- output
    def put_paragraph(self, finish: int) -> None:
        self.put_line(0, self.first_indent)
        w = self.words[0].next_break
        while w != finish:
            self.put_line(w, self.other_indent)
            w = self.words[w].next_break

    def put_line(self, w: int, indent: int) -> None:
        words = self.words
        self.out_column = 0
        self.put_space(self.prefix_indent)
        self.out += self.prefix
        self.out_column += self.prefix_length
        self.put_space(indent - self.out_column)
        end = words[w].next_break - 1
        while w != end:
            self.put_word(words[w])
            self.put_space(words[w].space)
            w += 1
        self.put_word(words[w])
        self.last_line_length = self.out_column
        self.out.append(10)

    def put_word(self, w: Word) -> None:
        self.out += w.text
        self.out_column += w.length

    def put_space(self, space: int) -> None:
        target = self.out_column + space
        if self.tabs:
            tab_target = target // TABWIDTH * TABWIDTH
            if self.out_column + 1 < tab_target:
                while self.out_column < tab_target:
                    self.out.append(9)
                    self.out_column = (self.out_column // TABWIDTH + 1) * TABWIDTH
        while self.out_column < target:
            self.out.append(32)
            self.out_column += 1


FMT_LONGS = {"crown-margin": "c", "prefix=": "p", "split-only": "s",
             "tagged-paragraph": "t", "uniform-spacing": "u", "width=": "w", "goal=": "g",
             "help": "--help", "version": "--version"}


def _width(text: str, high: int) -> int:
    from ipemu.tools.splitfiles import number
    return number(text, "fmt", "invalid width", low=0, high=high)


def fmt(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    width_text = None
    if args and re.match(r"-\d", args[0]):
        width_text, args = args[0][1:], args[1:]       # the old -WIDTH, first only
    for arg in args:
        if re.match(r"-[a-z]*\d", arg) and not arg.startswith("--"):
            digit = re.match(r"-[a-z]*(\d)", arg).group(1)
            raise CommandError(f"fmt: invalid option -- {digit}; -WIDTH is recognized only "
                               "when it is the first\noption; use -w N instead\n"
                               + gnuopt.try_help("fmt"), 1)
    opts, files = gnuopt.parse(args, "cstuw:p:g:", FMT_LONGS, "fmt")
    values: dict[str, str] = {}
    flags = set()
    prefix = ""
    for flag, value in opts:
        if flag in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "fmt", flag)
        flags.add(flag)
        values[flag] = value
        if flag == "p":
            prefix = value
    width_text = values.get("w", width_text)
    width = WIDTH
    if width_text is not None:
        width = _width(width_text, MAXCHARS // 2)
    if "g" in values:
        goal = _width(values["g"], width)
        if width_text is None:
            width = goal + 10
    else:
        goal = width * (2 * (100 - LEEWAY) + 1) // 200
    state = Fmt(width, goal, "c" in flags, "t" in flags, "s" in flags, "u" in flags, prefix)
    status = 0
    for name in files or ["-"]:
        try:
            text = read_input(ctx, name)
        except IsADirectoryError:
            # fmt(): a directory opens; getc() fails, reported without errno
            ctx.term.err("fmt: read error\n")
            status = 1
            continue
        except OSError as err:
            ctx.term.err(f"fmt: cannot open '{name}' for reading: {err.strerror}\n")
            status = 1
            continue
        state.out = bytearray()
        state.run(text.encode("utf-8", "surrogateescape"))
        ctx.term.out(state.out.decode("utf-8", "surrogateescape"))
    return status


COMMANDS = {"fmt": fmt}


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0].rsplit("/", 1)[-1]](ctx, argv)
