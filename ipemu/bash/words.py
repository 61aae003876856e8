"""A word's parts, as bash's expansion (subst.c) reads them: literal text (quoted or
not), parameters `$x` / `${x...}`, command substitutions `$( )` and backticks,
arithmetic `$(( ))`. The parts are expanded by ipemu/bash/expand.py."""
from __future__ import annotations

import re
from functools import lru_cache

from ipemu.plainclass import dataclass

SPECIAL = "@*#?$!-0123456789"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# ${NAME OP ARG}: the operators parse.y / subst.c know, longest first
PARAM_OPS = (":-", ":=", ":+", ":?", "-", "=", "+", "?", "##", "#", "%%", "%", "//", "/#",
             "/%", "/", "^^", "^", ",,", ",", "~~", "~", ":")


class BadSubstitution(Exception):
    """`${...}` that bash cannot read: `bash: ${x!}: bad substitution`."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


@dataclass(frozen=True)
class Lit:
    text: str
    quoted: bool


@dataclass(frozen=True)
class Param:
    name: str
    op: str = ""          # one of PARAM_OPS, "len" (${#x}), "" (plain)
    arg: str = ""         # the raw word after the operator
    quoted: bool = False
    text: str = ""        # the whole ${...}, for error messages
    indirect: bool = False
    index: str | None = None   # ${a[INDEX]}: an array element, or @ / * for all


@dataclass(frozen=True)
class CmdSub:
    source: str
    quoted: bool


@dataclass(frozen=True)
class ProcSub:
    """<(...) / >(...): the command's output (or input) as a file name."""

    source: str
    direction: str


@dataclass(frozen=True)
class Arith:
    expr: str
    quoted: bool


def remove_quotes(raw: str) -> str:
    """The word with its quotes removed and nothing expanded (a here-doc delimiter)."""
    return "".join(p.text if isinstance(p, Lit) else _source(p) for p in parse(raw))


def _source(part) -> str:
    if isinstance(part, Param):
        return "$" + (part.text or part.name)
    if isinstance(part, CmdSub):
        return f"$({part.source})"
    return f"$(({part.expr}))"


@lru_cache(maxsize=4096)
def parse(raw: str, in_double: bool = False, nested: bool = False) -> tuple:
    """The parts of a raw word (or of the inside of double quotes; `nested`: the
    word of a ${x:-word} inside them, where a double quote still quotes)."""
    parser = _Parser(raw, in_double)
    parser.nested = nested
    return tuple(parser.parts())


class _Parser:
    def __init__(self, raw: str, quoted: bool):
        self.s = raw
        self.i = 0
        self.quoted = quoted
        self.out: list = []
        self.lit: list[str] = []
        self.lit_quoted = quoted
        self.nested = False

    def _emit(self, text: str, quoted: bool) -> None:
        if self.lit and self.lit_quoted != quoted:
            self._flush()
        self.lit_quoted = quoted
        self.lit.append(text)

    def _flush(self) -> None:
        if self.lit:
            self.out.append(Lit("".join(self.lit), self.lit_quoted))
            self.lit = []

    def _part(self, part) -> None:
        self._flush()
        self.out.append(part)

    def parts(self) -> list:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c == "\\":
                self._backslash()
            elif c == "'" and not self.quoted:
                end = s.find("'", self.i + 1)
                end = len(s) if end < 0 else end
                self._emit(s[self.i + 1:end], True)
                self._flush_empty_quote(self.i + 1 == end)
                self.i = end + 1
            elif c == '"' and self.quoted and self.nested:
                self.i += 1         # "${x:-"a"}": the inner quotes go
            elif c == '"' and not self.quoted:
                end = _double_end(s, self.i + 1)
                inner = parse(s[self.i + 1:end], True)
                self._flush()
                if not inner:
                    self.out.append(Lit("", True))
                self.out.extend(inner)
                self.i = end + 1
            elif c == "`":
                end = _backtick_end(s, self.i + 1)
                body = re.sub(r"\\([$`\\])", r"\1", s[self.i + 1:end])
                self._part(CmdSub(body, self.quoted))
                self.i = end + 1
            elif c == "$":
                self._dollar()
            elif c in "<>" and not self.quoted and self.s.startswith("(", self.i + 1):
                end = _group_end(s, self.i + 2, "(", ")")
                self._part(ProcSub(s[self.i + 2:end], c))
                self.i = end + 1
            else:
                self._emit(c, self.quoted)
                self.i += 1
        self._flush()
        return self.out

    def _flush_empty_quote(self, empty: bool) -> None:
        if empty:
            self._flush()
            self.out.append(Lit("", True))

    def _backslash(self) -> None:
        s = self.s
        nxt = s[self.i + 1] if self.i + 1 < len(s) else ""
        if self.quoted:
            if nxt in '$`"\\':
                self._emit(nxt, True)
                self.i += 2
            elif nxt == "\n":
                self.i += 2
            else:
                self._emit("\\", True)
                self.i += 1
            return
        if nxt == "\n":
            self.i += 2
            return
        self._emit(nxt if nxt else "\\", True)
        self.i += 2

    def _dollar(self) -> None:
        s = self.s
        i = self.i
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if nxt == "'" and not self.quoted:
            end = _ansi_end(s, i + 2)
            self._emit(ansi_c(s[i + 2:end]), True)
            self._flush_empty_quote(i + 2 == end)
            self.i = end + 1
        elif nxt == '"' and not self.quoted:     # $"..." (locale): plain double quotes
            self.i += 1
        elif s.startswith("$((", i) and _arith_end(s, i + 3) is not None:
            end = _arith_end(s, i + 3)
            self._part(Arith(s[i + 3:end], self.quoted))
            self.i = end + 2
        elif nxt == "(":
            end = _comsub_end(s, i + 2)
            self._part(CmdSub(s[i + 2:end], self.quoted))
            self.i = end + 1
        elif nxt == "{":
            end = _group_end(s, i + 2, "{", "}")
            self._part(brace_param(s[i + 2:end], self.quoted))
            self.i = end + 1
        elif nxt == "[":
            # $[EXPR]: the old form of $((EXPR)) bash still evaluates
            end = _group_end(s, i + 2, "[", "]")
            self._part(Arith(s[i + 2:end], self.quoted))
            self.i = end + 1
        elif nxt and nxt in SPECIAL:
            self._part(Param(nxt, quoted=self.quoted))
            self.i += 2
        else:
            m = NAME.match(s, i + 1)
            if m:
                self._part(Param(m.group(), quoted=self.quoted))
                self.i = m.end()
            else:
                self._emit("$", self.quoted)
                self.i += 1


def brace_param(body: str, quoted: bool) -> Param:
    """`${...}` read as subst.c's parameter_brace_expand() does."""
    text = "{" + body + "}"
    if body.startswith("#") and len(body) > 1 and body[1] != "}":
        name = body[1:]
        if NAME.fullmatch(name) or name in SPECIAL or name.isdigit():
            return Param(name, "len", quoted=quoted, text=text)
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]", name)
        if m:
            return Param(m.group(1), "len", quoted=quoted, text=text, index=m.group(2))
        raise BadSubstitution("$" + text)
    indirect = body.startswith("!") and len(body) > 1
    rest = body[1:] if indirect else body
    m = NAME.match(rest)
    if m:
        name = m.group()
    elif rest[:1].isdigit():
        name = re.match(r"\d+", rest).group()
    elif rest[:1] and rest[0] in SPECIAL:
        name = rest[0]
    else:
        raise BadSubstitution("$" + text)
    tail = rest[len(name):]
    index = None
    if tail.startswith("[") and NAME.fullmatch(name):
        close = _subscript_close(tail)
        if close < 0:
            raise BadSubstitution("$" + text)
        index, tail = tail[1:close], tail[close + 1:]
    if not tail:
        return Param(name, quoted=quoted, text=text, indirect=indirect, index=index)
    if indirect and tail in ("*", "@") and index is None and NAME.fullmatch(name):
        # ${!prefix*}, ${!prefix@}: the names of the variables that start so
        return Param(name, "names", tail, quoted, text)
    if re.fullmatch(r"@.", tail, re.S):
        # ${x@Q} and the other transformations (subst.c's parameter_brace_transform)
        return Param(name, "@", tail[1], quoted, text, indirect, index)
    for op in PARAM_OPS:
        if tail.startswith(op):
            return Param(name, op, tail[len(op):], quoted, text, indirect, index)
    raise BadSubstitution("$" + text)


def _subscript_close(tail: str) -> int:
    """The `]` closing the subscript `tail` starts with: nested brackets counted, and
    a ${...} or $(...) inside it skipped (`${a[RANDOM % ${#a[@]}]}`); -1 if none."""
    depth, i = 0, 0
    while i < len(tail):
        c = tail[i]
        if c == "\\":
            i += 2
            continue
        if c == "$" and tail[i + 1:i + 2] in ("{", "("):
            opener = tail[i + 1]
            end = _group_end(tail, i + 2, opener, "}" if opener == "{" else ")")
            i = end + 1
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def ansi_c(body: str) -> str:
    """The escapes of $'...' (ansicstr() in lib/sh/strtrans.c), as bytes: `\\xff` is the
    byte 0xff, not the character U+00FF. A byte that is not UTF-8 is kept as a surrogate
    escape, as Python keeps it in a program's argv, and becomes the byte again on the
    way out (ipemu/output.py)."""
    simple = {"a": 7, "b": 8, "e": 27, "E": 27, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11,
              "\\": 92, "'": 39, '"': 34, "?": 63}
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            out += c.encode("utf-8", "surrogateescape")
            i += 1
            continue
        n = body[i + 1]
        if n in simple:
            out.append(simple[n])
            i += 2
        elif n in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(int(m.group(), 8) & 0xFF)
            i += 1 + len(m.group())
        elif n == "x":
            m = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:])
            if m:
                out.append(int(m.group(), 16))
                i += 2 + len(m.group())
            else:
                out += b"\\x"
                i += 2
        elif n in "uU":
            m = re.match(r"[0-9a-fA-F]{1,%d}" % (4 if n == "u" else 8), body[i + 2:])
            if m:
                out += chr(min(int(m.group(), 16), 0x10FFFF)).encode("utf-8", "surrogatepass")
                i += 2 + len(m.group())
            else:
                out += ("\\" + n).encode()
                i += 2
        elif n == "c" and i + 2 < len(body):
            out.append(ord(body[i + 2]) & 0x1F)
            i += 3
        else:
            out += ("\\" + n).encode("utf-8", "surrogateescape")
            i += 2
    return out.decode("utf-8", "surrogateescape")


def _comsub_end(s: str, i: int) -> int:
    from ipemu.bash.lexer import LexError, comsub_end
    try:
        return comsub_end(s, i)
    except LexError:
        return len(s)


def _double_end(s: str, i: int) -> int:
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i
        elif c == "`":
            i = _backtick_end(s, i + 1) + 1
        elif c == "$" and s[i + 1:i + 2] == "(" and s[i + 2:i + 3] != "(":
            i = _comsub_end(s, i + 2) + 1
        elif c == "$" and s[i + 1:i + 2] in ("(", "{"):
            i = _group_end(s, i + 2, s[i + 1], ")" if s[i + 1] == "(" else "}") + 1
        else:
            i += 1
    return len(s)


def _backtick_end(s: str, i: int) -> int:
    while i < len(s):
        if s[i] == "\\":
            i += 2
        elif s[i] == "`":
            return i
        else:
            i += 1
    return len(s)


def _ansi_end(s: str, i: int) -> int:
    while i < len(s):
        if s[i] == "\\":
            i += 2
        elif s[i] == "'":
            return i
        else:
            i += 1
    return len(s)


def _arith_end(s: str, i: int) -> int | None:
    """The index of the `))` closing a `$((`, or None when it is `$( (...) )`.
    parse_matched_pair() (parse.y) reads quotes and nested ${...}/$(...) as
    pairs of their own, so their parentheses do not count (the octet idiom
    `$((${-+"(${IP//./"+256*("}))))"}&255))`, unix.stackexchange.com/q/420328)."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c in "'\"`" or (c == "$" and s[i + 1:i + 2] == "{"):
            i = _skip_pair(s, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i if s.startswith("))", i) else None
            depth -= 1
        i += 1
    return None


def _skip_pair(s: str, i: int) -> int:
    """Past the quoted string or ${...} starting at s[i]."""
    c = s[i]
    if c == "'":
        end = s.find("'", i + 1)
        return len(s) if end < 0 else end + 1
    if c == '"':
        return _double_end(s, i + 1) + 1
    if c == "`":
        return _backtick_end(s, i + 1) + 1
    return _group_end(s, i + 2, "{", "}") + 1


def _group_end(s: str, i: int, open_: str, close: str) -> int:
    depth = 1
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            end = s.find("'", i + 1)
            i = len(s) if end < 0 else end + 1
            continue
        if c == '"':
            i = _double_end(s, i + 1) + 1
            continue
        if c == "`":
            i = _backtick_end(s, i + 1) + 1
            continue
        if c == "$" and s[i + 1:i + 2] in ("(", "{"):
            i = _group_end(s, i + 2, s[i + 1], ")" if s[i + 1] == "(" else "}") + 1
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(s)

