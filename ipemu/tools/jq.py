"""A small jq (Debian 12's jq 1.6) for what scripts do with `ip -j`: paths (`.`,
`.a.b`, `.[N]`, `.[]`, `.["k"]`, `?`), pipes and commas, comparisons and
and/or/not, `//`, arithmetic, array and object construction (`{ifname, mtu}`),
string interpolation, `select`, `map`, `length`, `keys`, `has`, `to_entries`,
`join`, `test`... with -r, -c, -j, -e, -n, -s, -M, --arg and --tab/--indent.

A filter is compiled to a function from one input value to an iterator of outputs
(jq's generators); errors are jq's `jq: error (at <stdin>:N): ...` with status 5.
"""
from __future__ import annotations

import json
import math
import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

USAGE = ("jq - commandline JSON processor [version 1.6]\n\n"
         "Usage:\tjq [options] <jq filter> [file...]\n"
         "\tjq [options] --args <jq filter> [strings...]\n"
         "\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]\n\n"
         "jq is a tool for processing JSON inputs, applying the given filter to\n"
         "its JSON text inputs and producing the filter's results as JSON on\n"
         "standard output.\n\n"
         "The simplest filter is ., which copies jq's input to its output\n"
         "unmodified (except for formatting, but note that IEEE754 is used\n"
         "for number representation internally, with all that that implies).\n\n"
         "For more advanced filters see the jq(1) manpage (\"man jq\")\n"
         "and/or https://stedolan.github.io/jq\n\n"
         "Example:\n\n\t$ echo '{\"foo\": 0}' | jq .\n\t{\n\t\t\"foo\": 0\n\t}\n\n")
_SHORT_TAIL = "For a listing of options, use jq --help.\n"
_HELP_TAIL = """Some of the options include:
  -c               compact instead of pretty-printed output;
  -n               use `null` as the single input value;
  -e               set the exit status code based on the output;
  -s               read (slurp) all inputs into an array; apply filter to it;
  -r               output raw strings, not JSON texts;
  -R               read raw strings, not JSON texts;
  -C               colorize JSON;
  -M               monochrome (don't colorize JSON);
  -S               sort keys of objects on output;
  --tab            use tabs for indentation;
  --arg a v        set variable $a to value <v>;
  --argjson a v    set variable $a to JSON value <v>;
  --slurpfile a f  set variable $a to an array of JSON texts read from <f>;
  --rawfile a f    set variable $a to a string consisting of the contents of <f>;
  --args           remaining arguments are string arguments, not files;
  --jsonargs       remaining arguments are JSON arguments, not files;
  --               terminates argument processing;

Named arguments are also available as $ARGS.named[], while
positional arguments are available as $ARGS.positional[].

See the manpage for more options.
"""


_NO_VALUE = object()


class JqError(Exception):
    """A runtime error: jq prints `jq: error (at <stdin>:N): MESSAGE`. `value` is what
    `try ... catch` hands its handler (error(V)'s V, else the message)."""

    def __init__(self, message, value=_NO_VALUE):
        super().__init__(message)
        self.value = message if value is _NO_VALUE else value


class JqHalt(Exception):
    """halt_error: the value to stderr (a string as it is, else as JSON and a
    newline), the exit status given."""

    def __init__(self, value, code):
        super().__init__("halt")
        self.value, self.code = value, code


class JqCompileError(Exception):
    pass


# ------------------------------------------------------------------ values
def type_name(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _truthy(value) -> bool:
    return value is not None and value is not False


# jv_print.c's def_colors (null, false, true, numbers, strings, arrays, objects)
# and FIELD_COLOR, used when stdout is a terminal (or with -C)
COLORS = {"null": "1;30", "boolean": "0;39", "number": "0;39", "string": "0;32",
          "array": "1;39", "object": "1;39"}
FIELD_COLOR = "\x1b[34;1m"
COLRESET = "\x1b[0m"


def dump(value, indent: int | str | None = 2, sort: bool = False,
         color: bool = False, ascii: bool = False) -> str:
    """jq's JSON text: two-space indentation, `"k": v`, numbers as jq prints them;
    with `color`, the escapes jv_dump_term() writes around each part; with `ascii`
    (-a, JV_PRINT_ASCII) every character past ASCII as a \\uXXXX escape."""
    out: list[str] = []
    _dump_term(out, value, indent, 0, sort, color)
    text = "".join(out)
    if ascii:
        text = _ascii(text)
    return text


def _ascii(text: str) -> str:
    """jvp_dump_string()'s ascii_only: each code point past 126 as \\uXXXX, those past
    the BMP as their surrogate pair (only strings hold such characters)."""
    out = []
    for c in text:
        n = ord(c)
        if n < 127:
            out.append(c)
        elif n > 0xFFFF:
            n -= 0x10000
            out.append(f"\\u{0xD800 | (n >> 10):04x}\\u{0xDC00 | (n & 0x3FF):04x}")
        else:
            out.append(f"\\u{n:04x}")
    return "".join(out)


def _number(value) -> str:
    """jvp_dtoa_fmt() of jq 1.6: the shortest digits that read back as the double,
    fixed notation unless the decimal point falls before the 4th place after it or
    more than 15 places past the digits, where `1e+17` (two exponent digits at
    least); infinities as DBL_MAX, NaN as null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) < 10 ** 16:
        return str(value)
    value = float(value)
    if math.isnan(value):
        return "null"
    if math.isinf(value):
        return "1.7976931348623157e+308" if value > 0 else "-1.7976931348623157e+308"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exp = repr(abs(value)).partition("e")
    whole, _, frac = mantissa.partition(".")
    frac = "" if frac == "0" else frac
    if whole == "0":
        digits = frac.lstrip("0")
        decpt = len(digits) - len(frac)
    else:
        digits = whole + frac
        decpt = len(whole)
    decpt += int(exp) if exp else 0
    digits = digits.rstrip("0") or "0"
    if decpt <= -4 or decpt > len(digits) + 15:
        text = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{text}e{decpt - 1:+03d}"
    if decpt <= 0:
        return f"{sign}0.{'0' * -decpt}{digits}"
    if decpt >= len(digits):
        return sign + digits + "0" * (decpt - len(digits))
    return f"{sign}{digits[:decpt]}.{digits[decpt:]}"


def _string(value: str, ascii: bool = False) -> str:
    text = json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return _ascii(text) if ascii else text


def _dump_term(out: list, value, indent, level: int, sort: bool, colored: bool) -> None:
    """jv_dump_term() of jq 1.6, its color escapes included."""
    color = f"\x1b[{COLORS[type_name(value)]}m" if colored else ""
    pad = "" if indent is None else "\t" if indent == "\t" else " " * indent
    out.append(color)
    if isinstance(value, list):
        if not value:
            out.append("[]")
        else:
            out.append("[")
            if indent is not None:
                out.append("\n" + pad * (level + 1))
            for i, item in enumerate(value):
                if i:
                    out.append(",\n" + pad * (level + 1) if indent is not None else ",")
                _dump_term(out, item, indent, level + 1, sort, colored)
                out.append(color)
            if indent is not None:
                out.append("\n" + pad * level)
            out.append(color + "]")
    elif isinstance(value, dict):
        keys = sorted(value) if sort else list(value)
        if not keys:
            out.append("{}")
        else:
            out.append("{")
            if indent is not None:
                out.append("\n" + pad * (level + 1))
            for i, key in enumerate(keys):
                if i:
                    out.append(",\n" + pad * (level + 1) if indent is not None else ",")
                if colored:
                    out.append(COLRESET + FIELD_COLOR)
                out.append(_string(key))
                if colored:
                    out.append(COLRESET + color)
                out.append(":" + (" " if indent is not None else ""))
                if colored:
                    out.append(COLRESET)
                _dump_term(out, value[key], indent, level + 1, sort, colored)
                out.append(color)
            if indent is not None:
                out.append("\n" + pad * level)
            out.append(color + "}")
    elif isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    else:
        out.append(_number(value))
    if colored:
        out.append(COLRESET)


def _short(value, size: int = 15) -> str:
    """A value in an error message: jv_dump_string_trunc() into a 15-byte buffer
    (30 for an invalid path expression's), so past 14 bytes the first 11 and `...`."""
    text = dump(value, None)
    return text if len(text) <= size - 1 else text[:size - 4] + "..."


def _order(value):
    """jq's sort order: null < false < true < numbers < strings < arrays < objects."""
    if value is None:
        return (0,)
    if value is False:
        return (1,)
    if value is True:
        return (2,)
    if isinstance(value, (int, float)):
        return (3, value)
    if isinstance(value, str):
        return (4, value)
    if isinstance(value, list):
        return (5, [_order(v) for v in value])
    return (6, sorted(value), [_order(value[k]) for k in sorted(value)])


# ------------------------------------------------------------------ lexer
TOKEN = re.compile(r"""
    (?P<space>\s+|\#[^\n]*)
  | (?P<number>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
  | (?P<string>")
  | (?P<field>\.[A-Za-z_][A-Za-z0-9_]*)
  | (?P<var>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<format>@[A-Za-z0-9_]+)
  | (?P<op>\.\.|//=|\|=|\+=|-=|\*=|/=|%=|//|==|!=|<=|>=|\?//|[.\[\]{}(),:|+\-*/%<>?;=])
""", re.X)


def _tokens(text: str, starts: list | None = None) -> list[tuple[str, object]]:
    """The tokens; `starts` gets each one's offset in the text."""
    out = []
    starts = [] if starts is None else starts
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if m is None:
            raise JqCompileError(f"syntax error, unexpected INVALID_CHARACTER "
                                 f"(Unix shell quoting issues?) at <top-level>, line 1:\n"
                                 f"{text}{' ' * pos}")
        kind = m.lastgroup
        if kind == "string":
            starts.append(pos)
            parts, pos = _string_token(text, m.end())
            out.append(("string", parts))
            continue
        if kind != "space":
            starts.append(pos)
            out.append((kind, m.group(kind)))
        pos = m.end()
    starts.append(len(text))
    out.append(("end", None))
    return out


def _string_token(text: str, pos: int) -> tuple[list, int]:
    """A string literal's pieces: text, and the source of each `\\(...)`."""
    begin = pos
    parts: list = []
    buf = []
    while pos < len(text):
        c = text[pos]
        if c == '"':
            parts.append("".join(buf))
            return parts, pos + 1
        if c == "\\":
            nxt = text[pos + 1:pos + 2]
            if nxt == "(":
                depth, start = 1, pos + 2
                pos += 2
                while pos < len(text) and depth:
                    depth += {"(": 1, ")": -1}.get(text[pos], 0)
                    pos += 1
                parts.append("".join(buf))
                buf = []
                parts.append(("interp", text[start:pos - 1]))
                continue
            if nxt == "u":
                code = int(text[pos + 2:pos + 6], 16)
                pos += 6
                low = text[pos + 2:pos + 6] if text[pos:pos + 2] == "\\u" else ""
                if 0xD800 <= code < 0xDC00 and re.fullmatch(r"[dD][c-fC-F][0-9a-fA-F]{2}", low):
                    # a surrogate pair is one character (jv_string_append_codepoint)
                    code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
                    pos += 6
                elif 0xD800 <= code < 0xE000:
                    code = 0xFFFD
                buf.append(chr(code))
                continue
            buf.append({"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f",
                        "/": "/", "\\": "\\", '"': '"'}.get(nxt, nxt))
            pos += 2
            continue
        buf.append(c)
        pos += 1
    raise JqCompileError("syntax error, unexpected $end, expecting QQSTRING_TEXT or "
                         "QQSTRING_INTERP_START or QQSTRING_END (Unix shell quoting "
                         f"issues?) at <top-level>, line 1:\n{text}"
                         f"{' ' * (begin if begin < len(text) else begin - 1)}")


# lexer.l's keywords: bison names them by their text
_KEYWORDS = frozenset(("as", "import", "include", "module", "def", "if", "then", "elif",
                       "else", "end", "and", "or", "reduce", "foreach", "try", "catch",
                       "label", "__loc__"))


# ------------------------------------------------------------------ parser
class Parser:
    """Recursive descent over jq's precedence: `|` < `,` < `//` < or < and <
    comparisons < + - < * / % < postfix."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.toks = _tokens(text, self.starts)
        self.i = 0
        self.text = text

    def peek(self, value=None):
        kind, val = self.toks[self.i]
        if value is None:
            return kind, val
        return val == value and kind in ("op", "ident")

    def take(self, value=None):
        tok = self.toks[self.i]
        if value is not None and tok[1] != value:
            self.fail()
        self.i += 1
        return tok

    def fail(self):
        """yyerror(): bison's `unexpected TOKEN` (a character quoted, a keyword or an
        operator of more as it is, a closing bracket nothing opened INVALID_CHARACTER
        as jq's lexer makes it), the hint, the line padded to the token's column
        (at $end, the last token's)."""
        kind, val = self.toks[self.i]
        if kind != "end":
            at = self.starts[self.i]
        elif self.text != self.text.rstrip():
            at = len(self.text.rstrip())        # $end is where the last blanks start
        elif self.i:
            # the last lexeme's start: a `$name` is `$` and IDENT
            at = self.starts[self.i - 1] + (self.toks[self.i - 1][0] == "var")
        else:
            at = 0
        if kind == "end":
            what = "$end"
        elif kind == "op" and val in ")]}" and not self._opened(val):
            what = "INVALID_CHARACTER"
        elif kind == "op" and len(val) == 1:
            what = f"'{val}'"
        elif kind == "op":
            what = val
        elif kind == "ident" and val in _KEYWORDS:
            what = val
        elif kind == "number":
            what = "LITERAL"
        elif kind == "string":
            what = "QQSTRING_START"
        elif kind == "var":
            what = "'$'"
        else:
            what = kind.upper()
        what += self._expecting(kind)
        err = JqCompileError(f"syntax error, unexpected {what} (Unix shell quoting issues?) "
                             f"at <top-level>, line 1:\n{self.text}{' ' * at}")
        if kind == "end":
            # parser.y's error recovery: an `if` without its `end` says so too
            opened = [n for n, (k, v) in enumerate(self.toks[:self.i])
                      if k == "ident" and v in ("if", "end")]
            depth, first = 0, None
            for n in opened:
                if self.toks[n][1] == "if":
                    depth += 1
                    first = n if depth == 1 else first
                else:
                    depth = max(depth - 1, 0)
            if depth:
                err = JqCompileError(f"{err}\njq: error: Possibly unterminated 'if' "
                                     f"statement at <top-level>, line 1:\n{self.text}"
                                     f"{' ' * self.starts[first]}")
                err.count = 2
        raise err

    def _expecting(self, kind: str) -> str:
        """The `, expecting ...` bison adds where the state leaves one or two tokens
        (recorded cases of jq 1.6): a term's dot wants a string; a whole program only
        its end; a complete argument `;` or `)`; an object's complete value `}`;
        `TERM as $x` its `|`; a pattern's array `,` or `]`."""
        prev = self.toks[self.i - 1] if self.i else None
        before = self.toks[self.i - 2] if self.i >= 2 else None
        if prev == ("op", ".") and before is not None and self._ends_term(before):
            return ", expecting FORMAT or QQSTRING_START"
        if prev is not None and prev[0] == "var" and before == ("ident", "as"):
            return ", expecting '|'"
        stack: list = []
        for index, (k, v) in enumerate(self.toks[:self.i]):
            if k == "op" and v in "([{":
                stack.append((v, index))
            elif k == "op" and v in ")]}" and stack:
                stack.pop()
        complete = prev is None or self._ends_term(prev)
        if not stack:
            return ", expecting $end" if complete and kind != "end" else ""
        opener, at = stack[-1]
        if not complete:
            return ""
        if prev[0] == "var" and opener == "[" and at and self.toks[at - 1] == ("ident", "as"):
            return ", expecting ',' or ']'"
        if opener == "(" and at and self.toks[at - 1][0] == "ident":
            return ", expecting ';' or ')'"
        if opener == "{" and ("op", ":") in self.toks[at:self.i]:
            return ", expecting '}'"
        return ""

    @staticmethod
    def _ends_term(token) -> bool:
        kind, val = token
        return kind in ("field", "number", "string", "var") or \
            kind == "op" and val in (")", "]", "}") or \
            kind == "ident" and val not in _KEYWORDS

    def _opened(self, closer: str) -> bool:
        """Whether the tokens before this closer leave its opener open (the lexer's
        enter()/try_exit())."""
        stack = []
        for kind, val in self.toks[:self.i]:
            if kind == "op" and val in "([{":
                stack.append(val)
            elif kind == "op" and val in ")]}" and stack:
                stack.pop()
        return bool(stack) and stack[-1] == {")": "(", "]": "[", "}": "{"}[closer]

    def parse(self):
        if self.peek()[0] == "end":
            return ("identity",)        # a program of comments alone is `.`
        node = self.pipe()
        if self.peek()[0] != "end":
            self.fail()
        return node

    def pattern(self):
        """A destructuring pattern (jq 1.6's Patterns): `$name`, `[P, ...]`,
        `{key: P, $name, "k": P, $name: P, (exp): P}`; a `$name` is kept as its
        token text, the others as ("parray", [P...]) and ("pobject", [(KEY, P)])."""
        kind, val = self.peek()
        if kind == "var":
            return self.take()[1]
        if self.peek("["):
            self.take()
            items = [self.pattern()]
            while self.peek(","):
                self.take()
                items.append(self.pattern())
            self.take("]")
            return ("parray", items)
        if self.peek("{"):
            self.take()
            entries = [self._pattern_entry()]
            while self.peek(","):
                self.take()
                entries.append(self._pattern_entry())
            self.take("}")
            return ("pobject", entries)
        self.fail()

    def _pattern_entry(self):
        kind, val = self.take()
        if kind == "var":
            # `$name` alone binds .name; `$name: P` binds it and destructures too
            if self.peek(":"):
                self.take()
                return (("literal", val[1:]), self.pattern(), val)
            return (("literal", val[1:]), val, None)
        key = self.object_key(kind, val, fields=True)
        self.take(":")
        return (key, self.pattern(), None)

    def object_key(self, kind: str, val: str, fields: bool = False):
        """An object key before its `:`: an identifier (in a destructuring pattern a
        `.name` too), a string, or `(expression)`; anything else is a syntax error."""
        if kind == "ident" or fields and kind == "field":
            return ("literal", val.lstrip("."))
        if kind == "string":
            return self.string(val)
        if kind == "op" and val == "(":
            key = self.pipe()
            self.take(")")
            return key
        self.i -= 1
        self.fail()

    def pipe(self):
        left = self.comma()
        if self.peek("as"):
            self.take()
            name = self.pattern()
            self.take("|")
            body = self.pipe()
            return ("as", left, name, body)
        if self.peek("|"):
            self.take()
            return ("pipe", left, self.pipe())
        return left

    def comma(self):
        left = self.alt()
        while self.peek(","):
            self.take()
            left = ("comma", left, self.alt())
        return left

    def alt(self):
        left = self.assign()
        if self.peek("//"):
            self.take()
            return ("alt", left, self.alt())
        return left

    def assign(self):
        """parser.y: '=' '|=' '+=' ... bind tighter than '//', looser than 'or'."""
        left = self.logic_or()
        kind, val = self.peek()
        if kind == "op" and val in _ASSIGN_OPS:
            self.take()
            return ("assign", val, left, self.logic_or())
        return left

    def logic_or(self):
        left = self.logic_and()
        while self.peek("or"):
            self.take()
            left = ("or", left, self.logic_and())
        return left

    def logic_and(self):
        left = self.compare()
        while self.peek("and"):
            self.take()
            left = ("and", left, self.compare())
        return left

    def compare(self):
        left = self.additive()
        kind, val = self.peek()
        if kind == "op" and val in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return ("binop", val, left, self.additive())
        return left

    def additive(self):
        left = self.multiplicative()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            left = ("binop", op, left, self.multiplicative())
        return left

    def multiplicative(self):
        begin = self.starts[self.i]
        left = self.postfix()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/", "%"):
            op = self.take()[1]
            right = self.postfix()
            if op == "/" and _number_literal(left) and _number_literal(right) and \
                    right[1] == 0:
                # parser.y: constant_fold() gives infinity: "Division by zero?"
                raise JqCompileError(f"Division by zero? at <top-level>, line 1:\n"
                                     f"{self.text}{' ' * begin}")
            left = ("binop", op, left, right)
        return left

    def postfix(self):
        node = self.primary()
        while True:
            kind, val = self.peek()
            if kind == "field":
                self.take()
                node = ("pipe", node, ("index", ("literal", val[1:])))
            elif kind == "op" and val == "." and self.toks[self.i + 1][0] == "string":
                self.take()
                node = ("pipe", node, ("index", self.string(self.take()[1])))
            elif kind == "op" and val == "[":
                node = ("pipe", node, self.bracket())
            elif kind == "op" and val == "." and self.toks[self.i + 1][1] == "[":
                self.take()
                node = ("pipe", node, self.bracket())
            elif kind == "op" and val == "." and self.toks[self.i + 1][0] != "string":
                self.take()         # `Term '.' String`: anything else is an error
                self.fail()
            elif kind == "op" and val == "?":
                self.take()
                node = ("try", node)
            else:
                return node

    def bracket(self):
        self.take("[")
        if self.peek("]"):
            self.take()
            return ("iterate",)
        if self.peek(":"):
            # `.[:N]`: a slice from the start
            self.take()
            end = self.pipe()
            self.take("]")
            return ("slice", ("literal", None), end)
        index = self.pipe()
        if self.peek(":"):
            self.take()
            end = None if self.peek("]") else self.pipe()
            self.take("]")
            return ("slice", index, end)
        self.take("]")
        return ("index", index)

    def string(self, parts):
        if len(parts) == 1:
            return ("literal", parts[0])
        return ("format", [p if isinstance(p, str) else Parser(p[1]).parse()
                           for p in parts])

    def primary(self):
        start = self.starts[self.i]
        kind, val = self.take()
        if kind == "number":
            number = float(val)
            return ("literal", _double(val) if number.is_integer() and "e" not in
                    val.lower() and "." not in val else number)
        if kind == "string":
            return self.string(val)
        if kind == "format":
            # `@csv` applies to its input; `@sh "...\(x)"` to each interpolated value
            if self.peek()[0] == "string":
                node = self.string(self.take()[1])
                if node[0] == "literal":
                    return node
                return ("format", [p if isinstance(p, str) else ("fmtapply", val[1:], p)
                                   for p in node[1]])
            return ("fmtapply", val[1:], ("identity",))
        if kind == "field":
            return ("index", ("literal", val[1:]))
        if kind == "var":
            return ("var", val[1:], start)
        if kind == "op":
            if val == ".":
                nkind, nval = self.peek()
                if nkind == "string":
                    return ("index", self.string(self.take()[1]))
                if nval == "[":
                    return self.bracket()
                return ("identity",)
            if val == "..":
                return ("recurse",)
            if val == "(":
                node = self.pipe()
                self.take(")")
                return node
            if val == "[":
                if self.peek("]"):
                    self.take()
                    return ("collect", None)
                node = self.pipe()
                self.take("]")
                return ("collect", node)
            if val == "{":
                return self.object()
            if val == "-":
                return ("neg", self.postfix())
        if kind == "ident":
            if val in ("true", "false", "null"):
                return ("literal", {"true": True, "false": False, "null": None}[val])
            if val == "not":
                return ("call", "not", [])
            if val == "def":
                return self.funcdef()
            if val == "label":
                # label $NAME | EXP
                kind, name = self.take()
                if kind != "var":
                    self.i -= 1
                    self.fail()
                self.take("|")
                return ("label", name[1:], self.pipe())
            if val == "break":
                kind, name = self.take()
                if kind != "var":
                    self.i -= 1
                    self.fail()
                return ("break", name[1:], start)
            if val == "if":
                return self.conditional()
            if val == "reduce":
                # reduce TERM as PATTERN (INIT; UPDATE)
                source = self.postfix()
                self.take("as")
                name = self.pattern()
                self.take("(")
                init = self.pipe()
                self.take(";")
                update = self.pipe()
                self.take(")")
                return ("reduce", source, name, init, update)
            if val == "foreach":
                # foreach TERM as PATTERN (INIT; UPDATE[; EXTRACT])
                source = self.postfix()
                self.take("as")
                name = self.pattern()
                self.take("(")
                init = self.pipe()
                self.take(";")
                update = self.pipe()
                extract = None
                if self.peek(";"):
                    self.take()
                    extract = self.pipe()
                self.take(")")
                return ("foreach", source, name, init, update, extract)
            if val == "try":
                body = self.postfix()
                handler = None
                if self.peek("catch"):
                    self.take()
                    handler = self.postfix()
                return ("try", body, handler)
            if val in _KEYWORDS:
                self.i -= 1
                self.fail()
            args = []
            if self.peek("("):
                self.take()
                args.append(self.pipe())
                while self.peek(";"):
                    self.take()
                    args.append(self.pipe())
                self.take(")")
            return ("call", val, args, start)
        self.i -= 1
        self.fail()

    def funcdef(self):
        """parser.y's FuncDef: `def NAME: BODY;` or `def NAME(PARAM; ...): BODY;`, a
        PARAM a filter name or a `$name`; the expression after it sees the function
        (FuncDef Exp, the loosest binding there is)."""
        kind, name = self.take()
        if kind not in ("ident",):
            self.i -= 1
            self.fail()
        params = []
        if self.peek("("):
            self.take()
            while True:
                kind, val = self.take()
                if kind not in ("ident", "var"):
                    self.i -= 1
                    self.fail()
                params.append(val)
                if self.peek(";"):
                    self.take()
                    continue
                self.take(")")
                break
        self.take(":")
        body = self.pipe()
        self.take(";")
        rest = self.pipe()
        return ("def", name, tuple(params), body, rest)

    def conditional(self):
        cond = self.pipe()
        self.take("then")
        then = self.pipe()
        if self.peek("elif"):
            self.take()
            other = self.conditional()
            return ("if", cond, then, other)
        other = ("identity",)
        if self.peek("else"):
            self.take()
            other = self.pipe()
        self.take("end")
        return ("if", cond, then, other)

    def object(self):
        entries = []
        while not self.peek("}"):
            kind, val = self.take()
            if kind in ("ident", "field") and not self.peek(":"):
                name = val.lstrip(".")
                entries.append((("literal", name), ("index", ("literal", name))))
            elif kind == "var" and not self.peek(":"):
                entries.append((("literal", val[1:]), ("var", val[1:])))
            else:
                key = self.object_key(kind, val)
                self.take(":")
                entries.append((key, self.object_value()))
            if self.peek(","):
                self.take()
            elif not self.peek("}"):
                self.fail()
        self.take("}")
        return ("object", entries)

    def object_value(self):
        left = self.alt()
        if self.peek("|"):
            self.take()
            return ("pipe", left, self.object_value())
        return left


def _number_literal(node) -> bool:
    return node[0] == "literal" and type_name(node[1]) == "number"


# ------------------------------------------------------------------ evaluation
def _index(value, key):
    if isinstance(key, str):
        if isinstance(value, dict):
            return value.get(key)
        if value is None:
            return None
        raise JqError(f'Cannot index {type_name(value)} with string "{key}"')
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        if isinstance(value, list):
            if key != int(key):
                return None         # jv_get(): a non-integer index gives null
            n = int(key)
            if n < 0:
                n += len(value)
            return value[n] if 0 <= n < len(value) else None
        if value is None:
            return None
        raise JqError(f"Cannot index {type_name(value)} with number")
    if key is None and isinstance(value, dict):
        raise JqError("Cannot index object with null")
    raise JqError(f"Cannot index {type_name(value)} with {type_name(key)}")


def _iterate(value):
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return list(value.values())
    raise JqError(f"Cannot iterate over {type_name(value)} ({_short(value)})")


def _arith(op: str, a, b):
    result = _arith_exact(op, a, b)
    if type(result) is int and not -_EXACT <= result <= _EXACT:
        # jq's numbers are doubles: past 2**53 each step rounds
        return _arith_exact(op, float(a), float(b))
    return result


_EXACT = 1 << 53


def _double(text: str):
    """A JSON integer as jq holds it: exact below 2**53, else the double."""
    value = int(text)
    return value if -_EXACT <= value <= _EXACT else float(value)


def _arith_exact(op: str, a, b):
    ta, tb = type_name(a), type_name(b)
    if op == "+":
        if a is None:
            return b
        if b is None:
            return a
        if ta == tb == "number":
            return a + b
        if ta == tb and ta in ("string", "array"):
            return a + b
        if ta == tb == "object":
            return {**a, **b}
    elif op == "-":
        if ta == tb == "number":
            return a - b
        if ta == tb == "array":
            return [x for x in a if x not in b]
    elif op == "*":
        if ta == tb == "number":
            return a * b
        if ta == tb == "object":
            return _deep_merge(a, b)
        if {ta, tb} == {"string", "number"}:
            # f_multiply(): the string n times; null when (int)(n - 1) < 0
            text, n = (a, b) if ta == "string" else (b, a)
            count = int(n - 1)
            return None if count < 0 else text * (count + 1)
    elif op == "/":
        if ta == tb == "number":
            if b == 0:
                raise JqError(f"{ta} ({_short(a)}) and {tb} ({_short(b)}) cannot be "
                              "divided because the divisor is zero")
            result = a / b
            return int(result) if result.is_integer() else result
        if ta == tb == "string":
            return a.split(b)
    elif op == "%":
        if ta == tb == "number":
            if int(b) == 0:
                raise JqError(f"{ta} ({_short(a)}) and {tb} ({_short(b)}) cannot be "
                              "divided (remainder) because the divisor is zero")
            return int(math.fmod(int(a), int(b)))
    else:
        return _compare(op, a, b)
    verb = {"+": "added", "-": "subtracted", "*": "multiplied", "/": "divided",
            "%": "divided"}[op]
    raise JqError(f"{ta} ({_short(a)}) and {tb} ({_short(b)}) cannot be {verb}")


def _deep_merge(a: dict, b: dict) -> dict:
    """jv_object_merge_recursive(): objects in both merge, anything else b's."""
    out = dict(a)
    for key, value in b.items():
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _compare(op: str, a, b) -> bool:
    if op == "==":
        return _order(a) == _order(b)
    if op == "!=":
        return _order(a) != _order(b)
    ka, kb = _order(a), _order(b)
    return {"<": ka < kb, "<=": ka <= kb, ">": ka > kb, ">=": ka >= kb}[op]


def _tostring(value) -> str:
    return value if isinstance(value, str) else dump(value, None)


# f_format()'s escapes in jq 1.6 (src/builtin.c)
_CSV_ESCAPES = {'"': '""'}
_TSV_ESCAPES = {"\t": "\\t", "\r": "\\r", "\n": "\\n", "\\": "\\\\"}
_HTML_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;"}
_URI_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                            "0123456789-_.!~*'()")


def _row(name: str, value, quote: str, sep: str, escapes: dict) -> str:
    """@csv and @tsv: an array's scalars joined; null empty, strings escaped."""
    if not isinstance(value, list):
        raise JqError(f"{type_name(value)} ({_short(value)}) cannot be {name}-formatted, "
                      "only array")
    cells = []
    for x in value:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            cells.append("")
        elif isinstance(x, (bool, int, float)):
            cells.append(dump(x, None))
        elif isinstance(x, str):
            cells.append(quote + "".join(escapes.get(c, c) for c in x) + quote)
        else:       # jq 1.6 says "csv row" for @tsv too
            raise JqError(f"{type_name(x)} ({_short(x)}) is not valid in a csv row")
    return sep.join(cells)


def _shell_word(value) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "'\\''") + "'"
    if isinstance(value, (list, dict)):
        raise JqError(f"{type_name(value)} ({_short(value)}) can not be escaped for shell")
    return dump(value, None)


def apply_format(name: str, value) -> str:
    """f_format() of jq 1.6: @text @json @csv @tsv @html @uri @sh @base64 @base64d."""
    import base64
    if name == "json":
        return dump(value, None)
    if name == "text":
        return _tostring(value)
    if name == "csv":
        return _row("csv", value, '"', ",", _CSV_ESCAPES)
    if name == "tsv":
        return _row("tsv", value, "", "\t", _TSV_ESCAPES)
    if name == "html":
        return "".join(_HTML_ESCAPES.get(c, c) for c in _tostring(value))
    if name == "uri":
        return "".join(chr(b) if chr(b) in _URI_UNRESERVED else f"%{b:02X}"
                       for b in _tostring(value).encode())
    if name == "sh":
        items = value if isinstance(value, list) else [value]
        return " ".join(_shell_word(x) for x in items)
    if name == "base64":
        return base64.b64encode(_tostring(value).encode()).decode()
    if name == "base64d":
        return _base64d(value)
    raise JqError(f"{name} is not a valid format")


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _base64d(value) -> str:
    """f_format()'s base64d of jq 1.6: four letters give three bytes up to the first
    `=`, a last group of two or three letters one or two; a letter outside the
    alphabet is not valid base64 data, a single one left over a trailing byte."""
    text = _tostring(value)
    data = bytearray()
    quad: list = []
    for c in text:
        if c == "=":
            break
        if c not in _B64:
            raise JqError(f"string ({_short(text)}) is not valid base64 data")
        quad.append(_B64.index(c))
        if len(quad) == 4:
            n = quad[0] << 18 | quad[1] << 12 | quad[2] << 6 | quad[3]
            data += bytes([n >> 16, n >> 8 & 255, n & 255])
            quad = []
    if len(quad) == 1:
        raise JqError(f"string ({_short(text)}) trailing base64 byte found")
    if quad:
        n = 0
        for i, q in enumerate(quad + [0] * (4 - len(quad))):
            n |= q << (18 - 6 * i)
        data += bytes([n >> 16, n >> 8 & 255][:len(quad) - 1])
    return _utf8_replace_bad(data)


def _utf8_replace_bad(data: bytes) -> str:
    """jvp_string_copy_replace_bad() of jq 1.6 (src/jv_unicode.c jvp_utf8_next): a bad
    byte is one U+FFFD; a sequence whose continuation bytes stop early is one U+FFFD
    for the bytes before the stray one; a sequence cut off by the end of the string
    takes every byte left, so "\xe9e" at the end is a single U+FFFD."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out, i, end = [], 0, len(data)
    while i < end:
        first = data[i]
        if first < 0x80:
            out.append(chr(first))
            i += 1
            continue
        length = (2 if 0xC0 <= first < 0xE0 else 3 if 0xE0 <= first < 0xF0
                  else 4 if 0xF0 <= first < 0xF8 else 0)
        if length == 0:
            out.append("\ufffd")
            i += 1
            continue
        if i + length > end:
            out.append("\ufffd")
            break
        seq = data[i:i + length]
        bad = next((k for k in range(1, length) if seq[k] & 0xC0 != 0x80), None)
        if bad is not None:
            out.append("\ufffd")
            i += bad
            continue
        try:
            out.append(seq.decode("utf-8"))
        except UnicodeDecodeError:
            out.append("\ufffd")  # overlong, surrogate or above U+10FFFF
        i += length
    return "".join(out)


_ASSIGN_OPS = ("=", "|=", "+=", "-=", "*=", "/=", "%=", "//=")


def _getpath(value, path: list):
    for key in path:
        if value is None:
            return None
        if isinstance(key, dict):       # a slice path
            start, end = key.get("start"), key.get("end")
            value = value[None if start is None else int(start):
                          None if end is None else int(end)]
            continue
        value = _index(value, key)
    return value


def _setpath(value, path: list, new):
    """setpath/2: containers made where null stands, arrays padded with null."""
    if not path:
        return new
    key, rest = path[0], path[1:]
    if isinstance(key, str):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise JqError(f'Cannot index {type_name(value)} with string "{key}"')
        out = dict(value)
        out[key] = _setpath(value.get(key), rest, new)
        return out
    if isinstance(key, dict):       # a slice path {"start":, "end":}
        if value is not None and not isinstance(value, list):
            raise JqError(f"Cannot update field at object index of {type_name(value)}")
        items = list(value or [])
        start, end = key.get("start"), key.get("end")
        start = 0 if start is None else int(start)
        end = len(items) if end is None else int(end)
        replaced = _setpath(items[start:end], rest, new)
        if not isinstance(replaced, list):
            raise JqError("A slice of an array can only be assigned another array")
        return items[:start] + replaced + items[end:]
    if value is None:
        value = []
    if not isinstance(value, list):
        raise JqError(f"Cannot index {type_name(value)} with number")
    out = list(value)
    n = int(key)
    if n < 0:
        n += len(out)
        if n < 0:
            raise JqError("Out of bounds negative array index")
    while len(out) <= n:
        out.append(None)
    out[n] = _setpath(out[n], rest, new)
    return out


def _delpaths(value, paths: list):
    """delpaths/1: the longest (last in sort order) paths first."""
    for path in sorted(paths, key=lambda p: [_order(k) for k in p], reverse=True):
        value = _delpath(value, path)
    return value


def _delpath(value, path: list):
    if value is None or not path:
        return None if not path else value
    key, rest = path[0], path[1:]
    if rest:
        child = _index(value, key) if not isinstance(key, dict) else None
        if child is None:
            return value
        return _setpath(value, [key], _delpath(child, rest))
    if isinstance(value, dict) and isinstance(key, str):
        return {k: v for k, v in value.items() if k != key}
    if isinstance(value, list):
        if isinstance(key, dict):
            start = key.get("start") or 0
            end = len(value) if key.get("end") is None else key["end"]
            return value[:int(start)] + value[int(end):]
        n = int(key) + (len(value) if key < 0 else 0)
        return value[:n] + value[n + 1:] if 0 <= n < len(value) else value
    if isinstance(value, dict):
        # jv_del(): an object's field is named by a string only
        raise JqError(f"Cannot delete {type_name(key)} field of object")
    raise JqError(f"Cannot delete field at index of {type_name(value)}")


class Evaluator:
    def __init__(self, variables: dict):
        self.vars = dict(variables)
        self.pending: list = []         # the inputs `input` and `inputs` read next
        self.parse_failed = False       # the main loop met text that does not parse
        self.lines = 0                  # the lines read (the error locations')
        self.filename = None            # input_filename: the current input's file
        self.read_any = False           # whether `input`/`inputs` ran
        self.funcs: dict = {}           # the functions `def` made, by (name, arity)
        self.ctx = None

    def run(self, node, value):
        kind = node[0]
        return getattr(self, "_" + kind)(node, value)

    def _identity(self, node, value):
        yield value

    def _literal(self, node, value):
        yield node[1]

    def _var(self, node, value):
        if node[1] not in self.vars:
            raise JqCompileError(f"${node[1]} is not defined at <top-level>, line 1:")
        yield self.vars[node[1]]

    def _pipe(self, node, value):
        for left in self.run(node[1], value):
            yield from self.run(node[2], left)

    def _bindings(self, pattern, value):
        """Each set of variables a destructuring pattern binds to `value` (a key
        expression with several outputs gives several; an index that is not there
        binds null; a wrong type is jq's error)."""
        if isinstance(pattern, str):
            yield {pattern[1:]: value}
            return
        if pattern[0] == "parray":
            if value is not None and not isinstance(value, list):
                raise JqError(f"Cannot index {type_name(value)} with number")
            parts = [(sub, _index(value, i)) for i, sub in enumerate(pattern[1])]
        else:
            parts = []
            for key_node, sub, also in pattern[1]:
                parts.append((key_node, sub, also))
        yield from self._combine(pattern[0], parts, value, {})

    def _combine(self, kind, parts, value, found):
        if not parts:
            yield dict(found)
            return
        first, rest = parts[0], parts[1:]
        if kind == "parray":
            sub, item = first
            for one in self._bindings(sub, item):
                yield from self._combine(kind, rest, value, {**found, **one})
            return
        key_node, sub, also = first
        for key in self.run(key_node, value):
            if not isinstance(key, str):
                raise JqError(f"Cannot index {type_name(value)} with {type_name(key)}")
            item = _index(value, key)
            extra = {also[1:]: item} if also is not None else {}
            for one in self._bindings(sub, item):
                yield from self._combine(kind, rest, value, {**found, **extra, **one})

    def _bound(self, pattern, value, body, input_value):
        """Run `body` on `input_value` with the pattern's variables bound (once for
        each set of bindings)."""
        for names in list(self._bindings(pattern, value)):
            saved = {n: self.vars.get(n, _MISSING) for n in names}
            self.vars.update(names)
            try:
                yield from self.run(body, input_value)
            finally:
                for n, old in saved.items():
                    if old is _MISSING:
                        self.vars.pop(n, None)
                    else:
                        self.vars[n] = old

    def _as(self, node, value):
        for bound in self.run(node[1], value):
            yield from self._bound(node[2], bound, node[3], value)

    def _foreach(self, node, value):
        """foreach: each item updates the state; each state the update gives is the
        state from then on and is extracted (the state itself without EXTRACT)."""
        _, source, pattern, init, update, extract = node
        for state in self.run(init, value):
            for item in self.run(source, value):
                for new in list(self._bound(pattern, item, update, state)):
                    state = new
                    if extract is None:
                        yield new
                    else:
                        yield from self._bound(pattern, item, extract, new)

    def _comma(self, node, value):
        yield from self.run(node[1], value)
        yield from self.run(node[2], value)

    def _index(self, node, value):
        for key in self.run(node[1], value):
            yield _index(value, key)

    def _slice(self, node, value):
        starts = list(self.run(node[1], value))
        ends = [None] if node[2] is None else list(self.run(node[2], value))
        for start in starts:
            for end in ends:
                if value is None:
                    yield None
                    continue
                if not isinstance(value, (list, str)):
                    raise JqError(f"Cannot index {type_name(value)} with object")
                yield value[int(start) if start is not None else None:
                            int(end) if end is not None else None]

    def _iterate(self, node, value):
        yield from _iterate(value)

    def _recurse(self, node, value):
        stack = [value]
        while stack:
            current = stack.pop()
            yield current
            if isinstance(current, list):
                stack.extend(reversed(current))
            elif isinstance(current, dict):
                stack.extend(reversed(list(current.values())))

    def _try(self, node, value):
        # jq 1.6: what the body gave before its error stands; the handler gets the error
        try:
            outputs = []
            for out in self.run(node[1], value):
                outputs.append(out)
        except JqError as err:
            yield from outputs
            handler = node[2] if len(node) > 2 else None
            if handler is not None and err.value is not None:
                yield from self.run(handler, err.value)
            return
        yield from outputs

    def _reduce(self, node, value):
        _, source, pattern, init, update = node
        for acc in self.run(init, value):
            for item in self.run(source, value):
                results = list(self._bound(pattern, item, update, acc))
                acc = results[-1] if results else None
            yield acc

    def _alt(self, node, value):
        found = False
        try:
            for out in self.run(node[1], value):
                if _truthy(out):
                    found = True
                    yield out
        except JqError:
            pass
        if not found:
            yield from self.run(node[2], value)

    def _or(self, node, value):
        for a in self.run(node[1], value):
            if _truthy(a):
                yield True
                continue
            for b in self.run(node[2], value):
                yield _truthy(b)

    def _and(self, node, value):
        for a in self.run(node[1], value):
            if not _truthy(a):
                yield False
                continue
            for b in self.run(node[2], value):
                yield _truthy(b)

    def _binop(self, node, value):
        # jq evaluates the right side first, then the left, for each pair
        for b in self.run(node[3], value):
            for a in self.run(node[2], value):
                yield _arith(node[1], a, b)

    def _neg(self, node, value):
        for a in self.run(node[1], value):
            if type_name(a) != "number":
                raise JqError(f"{type_name(a)} ({_short(a)}) cannot be negated")
            yield -a if a else -float(a)       # a double: -0 prints as -0

    def _collect(self, node, value):
        yield [] if node[1] is None else list(self.run(node[1], value))

    def _object(self, node, value):
        results = [{}]
        for key_node, value_node in node[1]:
            grown = []
            for partial in results:
                for key in self.run(key_node, value):
                    if not isinstance(key, str):
                        raise JqError(f"Object keys must be strings")
                    for item in self.run(value_node, value):
                        grown.append({**partial, key: item})
            results = grown
        yield from results

    def _format(self, node, value):
        results = [""]
        for part in node[1]:
            if isinstance(part, str):
                results = [r + part for r in results]
            else:
                results = [r + _tostring(v) for r in results for v in self.run(part, value)]
        yield from results

    def _fmtapply(self, node, value):
        for item in self.run(node[2], value):
            yield apply_format(node[1], item)

    def paths(self, node, value, prefix: list):
        """path(f): the paths f's outputs stand at, for the forms assignments use."""
        kind = node[0]
        here = _getpath(value, prefix)
        if kind == "identity":
            yield prefix
        elif kind == "pipe":
            for p in self.paths(node[1], value, prefix):
                yield from self.paths(node[2], value, p)
        elif kind == "comma":
            yield from self.paths(node[1], value, prefix)
            yield from self.paths(node[2], value, prefix)
        elif kind == "index":
            for key in self.run(node[1], here):
                if isinstance(key, float) and key.is_integer():
                    key = int(key)
                _index(here, key)       # path tracking indexes too: its errors stand
                yield prefix + [key]
        elif kind == "slice":
            for start in self.run(node[1], here):
                for end in ([None] if node[2] is None else self.run(node[2], here)):
                    yield prefix + [{"start": start, "end": end}]
        elif kind == "iterate":
            if isinstance(here, list):
                yield from (prefix + [i] for i in range(len(here)))
            elif isinstance(here, dict):
                yield from (prefix + [k] for k in here)
            elif here is not None:
                raise JqError(f"Cannot iterate over {type_name(here)}")
        elif kind == "try":
            try:
                found = list(self.paths(node[1], value, prefix))
            except JqError:
                found = []
            yield from found
        elif kind == "call" and node[1] == "select" and len(node[2]) == 1:
            for cond in self.run(node[2][0], here):
                if _truthy(cond):
                    yield prefix
        elif kind == "call" and node[1] in ("empty",):
            return
        elif kind == "alt":
            # `a // b`: a's paths whose values are true, else b's
            found = []
            try:
                for p in self.paths(node[1], value, prefix):
                    if _truthy(_getpath(value, p)):
                        found.append(p)
            except JqError:
                pass
            yield from found if found else self.paths(node[2], value, prefix)
        elif kind == "if":
            for cond in self.run(node[1], here):
                yield from self.paths(node[2] if _truthy(cond) else node[3], value, prefix)
        elif kind == "call" and node[1] in _TYPE_FILTERS and not node[2]:
            if type_name(here) in _TYPE_FILTERS[node[1]]:
                yield prefix
        elif kind == "call" and node[1] == "first" and len(node[2]) == 1:
            for p in self.paths(node[2][0], value, prefix):
                yield p
                return
        elif kind == "call" and node[1] == "last" and len(node[2]) == 1:
            found = list(self.paths(node[2][0], value, prefix))
            yield from found[-1:]
        elif kind == "call" and node[1] == "limit" and len(node[2]) == 2:
            for count in self.run(node[2][0], here):
                if count < 0:
                    yield from self.paths(node[2][1], value, prefix)
                    continue
                for i, p in enumerate(self.paths(node[2][1], value, prefix)):
                    yield p
                    if i + 1 >= count:
                        break
        elif kind == "call" and node[1] in ("recurse", "recurse_down") and not node[2]:
            yield from self.paths(("recurse",), value, prefix)
        elif kind == "call" and node[1] == "recurse" and len(node[2]) in (1, 2):
            # `def recurse(f): def r: ., (f | r); r;` and `recurse(f; cond)`: `., (f |
            # select(cond) | r)`
            yield prefix
            for p in self.paths(node[2][0], value, prefix):
                here_p = _getpath(value, p)
                if len(node[2]) == 2 and not any(
                        _truthy(c) for c in self.run(node[2][1], here_p)):
                    continue
                yield from self.paths(node, value, p)
        elif kind == "call" and node[1] == "error":
            list(self.run(node, here))
        elif kind == "call" and node[1] == "getpath" and len(node[2]) == 1:
            for path in self.run(node[2][0], here):
                yield prefix + list(path)
        elif kind == "recurse":
            yield prefix
            for p in self.paths(("iterate",), value, prefix):
                if isinstance(_getpath(value, p), (list, dict)):
                    yield from self.paths(node, value, p)
                else:
                    yield p
        else:
            raise JqError("Invalid path expression with result " +
                          _short(next(iter(self.run(node, here)), None), 30))

    def _assign(self, node, value):
        _, op, lhs, rhs = node
        if op == "|=":
            # _modify(paths; f) of jq 1.6's builtin.jq: `reduce path(paths) as $p (.;
            # label $out | (setpath($p; getpath($p) | f) | ., break $out),
            # delpaths([$p]))`: f's first output, the path deleted when f is empty
            out = value
            for path in list(self.paths(lhs, value, [])):
                first = next(iter(self.run(rhs, _getpath(out, path))), _MISSING)
                out = _delpaths(out, [path]) if first is _MISSING else \
                    _setpath(out, path, first)
            yield out
            return
        for new in self.run(rhs, value):
            out = value
            for path in list(self.paths(lhs, value, [])):
                if op == "=":
                    out = _setpath(out, path, new)
                elif op == "//=":
                    old = _getpath(out, path)
                    out = _setpath(out, path, old if _truthy(old) else new)
                else:
                    out = _setpath(out, path, _arith(op[0], _getpath(out, path), new))
            yield out

    def _if(self, node, value):
        for cond in self.run(node[1], value):
            yield from self.run(node[2] if _truthy(cond) else node[3], value)

    def _in_scope(self, funcs: dict, variables: dict, node, value):
        """Run `node` lazily with these functions and variables in scope: they are
        put in place before each step of the generator and the caller's put back
        before each output goes out (jq's closures, its lexical scope)."""
        steps = None
        while True:
            saved = self.funcs, self.vars
            self.funcs, self.vars = funcs, variables
            try:
                if steps is None:
                    steps = self.run(node, value)
                out = next(steps)
            except StopIteration:
                return
            finally:
                self.funcs, self.vars = saved
            yield out

    def _def(self, node, value):
        _, name, params, body, rest = node
        funcs = dict(self.funcs)
        # the function sees itself (recursion), what was defined before it and the
        # variables bound where it was defined
        funcs[(name, len(params))] = ("closure", params, body, funcs, dict(self.vars))
        yield from self._in_scope(funcs, self.vars, rest, value)

    def _label(self, node, value):
        token = _Label(node[1])
        variables = dict(self.vars)
        variables["*label-" + node[1]] = token
        try:
            yield from self._in_scope(self.funcs, variables, node[2], value)
        except _Break as done:
            if done.token is not token:
                raise

    def _break(self, node, value):
        raise _Break(self.vars.get("*label-" + node[1]))
        yield

    def _call_user(self, function, args, value):
        if function[0] == "arg":
            # a filter argument runs where the call was written
            _, node, funcs, variables = function
            yield from self._in_scope(funcs, variables, node, value)
            return
        _, params, body, funcs, variables = function
        inner = dict(funcs)
        values = []
        for param, arg in zip(params, args):
            closure = ("arg", arg, self.funcs, dict(self.vars))
            inner[(param.lstrip("$"), 0)] = closure
            if param.startswith("$"):
                values.append((param[1:], arg))
        # `def f($a; $b): BODY` is `def f(a; b): a as $a | b as $b | BODY`
        def bindings(i, bound):
            if i == len(values):
                yield bound
                return
            name, arg = values[i]
            for item in self.run(arg, value):
                yield from bindings(i + 1, {**bound, name: item})
        for bound in bindings(0, {}):
            yield from self._in_scope(inner, {**variables, **bound}, body, value)

    def _call(self, node, value):
        name, args = node[1], node[2]
        function = self.funcs.get((name, len(args)))
        if function is not None:
            yield from self._call_user(function, args, value)
            return
        function = BUILTINS.get((name, len(args)))
        if function is None:
            raise JqCompileError(f"{name}/{len(args)} is not defined at <top-level>, line 1:")
        yield from function(self, value, *args)


_MISSING = object()


# the type filters of builtin.jq (`def nulls: select(. == null);` ...) by name
_TYPE_FILTERS = {"values": ("boolean", "number", "string", "array", "object"),
                 "nulls": ("null",), "booleans": ("boolean",), "numbers": ("number",),
                 "strings": ("string",), "arrays": ("array",), "objects": ("object",),
                 "iterables": ("array", "object"),
                 "scalars": ("null", "boolean", "number", "string")}


class _Label:
    """A `label $name`'s own token: `break $name` unwinds to the label that made it."""

    def __init__(self, name: str):
        self.name = name


class _Break(Exception):
    def __init__(self, token):
        super().__init__("break")
        self.token = token


def _length(ev, value):
    if value is None:
        yield 0
    elif isinstance(value, bool):
        raise JqError(f"boolean ({_short(value)}) has no length")
    elif isinstance(value, (int, float)):
        yield abs(value)
    else:
        yield len(value)


def _keys(sort: bool):
    def keys(ev, value):
        if isinstance(value, dict):
            yield sorted(value) if sort else list(value)
        elif isinstance(value, list):
            yield list(range(len(value)))
        else:
            raise JqError(f"{type_name(value)} ({_short(value)}) has no keys")
    return keys


def _map(ev, value, f):
    yield [out for item in _iterate(value) for out in ev.run(f, item)]


def _select(ev, value, f):
    for cond in ev.run(f, value):
        if _truthy(cond):
            yield value


def _has(ev, value, f):
    for key in ev.run(f, value):
        if isinstance(value, dict) and isinstance(key, str):
            yield key in value
        elif isinstance(value, list) and isinstance(key, (int, float)):
            yield 0 <= key < len(value)
        else:
            raise JqError(f"Cannot check whether {type_name(value)} has a "
                          f"{type_name(key)} key")


def _to_entries(ev, value):
    """`[keys_unsorted[] as $k | {key: $k, value: .[$k]}]`: an array's indices too."""
    if isinstance(value, list):
        yield [{"key": i, "value": v} for i, v in enumerate(value)]
        return
    if not isinstance(value, dict):
        raise JqError(f"{type_name(value)} ({_short(value)}) has no keys")
    yield [{"key": k, "value": v} for k, v in value.items()]


def _from_entries(ev, value):
    """jq 1.6's `def from_entries: map({(.key // .name // .Name // .Key): (if
    has("value") then .value else .Value end)}) | add + {} // {};`."""
    out = {}
    for item in _iterate(value):
        key = None
        for name in ("key", "name", "Name", "Key"):
            found = _index(item, name)
            if _truthy(found):
                key = found
                break
        if not isinstance(key, str):
            raise JqError(f"Cannot use {type_name(key)} ({_short(key)}) as object key")
        has_value = isinstance(item, dict) and "value" in item
        out[key] = _index(item, "value" if has_value else "Value")
    yield out


def _join(ev, value, f):
    """jq 1.6's `def join($x): reduce .[] as $i (null; (if .==null then "" else .+$x
    end) + ($i | if .==null then "" elif (type=="boolean" or type=="number") then
    tojson else . end)) // "";`: an array or object in it cannot be added."""
    for sep in ev.run(f, value):
        out = None
        for item in _iterate(value):
            out = "" if out is None else _arith("+", out, sep)
            if item is None:
                item = ""
            elif isinstance(item, (bool, int, float)):
                item = dump(item, None)
            out = _arith("+", out, item)
        yield "" if out is None else out


def _simple(function):
    def run(ev, value):
        yield function(value)
    return run


def _with_arg(function):
    def run(ev, value, f):
        for arg in ev.run(f, value):
            yield function(value, arg)
    return run


def _tonumber(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise JqError(f"{type_name(value)} ({_short(value)}) cannot be parsed as a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        # jv_number() of the parse: jv_parse.c's message and the text parsed
        values, problem = _inputs(value)
        raise JqError(f"{problem or 'Invalid numeric literal'} (while parsing "
                      f"'{value}')") from None
    return int(number) if number.is_integer() else number


def _add(value):
    total = None
    for item in _iterate(value):
        total = _arith("+", total, item)
    return total


def _first(ev, value, f=None):
    for out in (ev.run(f, value) if f is not None else iter([_index(value, 0)])):
        yield out
        return


def _sort_by(ev, value, f):
    yield sorted(_iterate(value), key=lambda v: [_order(k) for k in ev.run(f, v)])


def _unique_by(ev, value, f):
    seen = {}
    for item in sorted(_iterate(value), key=lambda v: [_order(k) for k in ev.run(f, v)]):
        key = repr([_order(k) for k in ev.run(f, item)])
        seen.setdefault(key, item)
    yield list(seen.values())


def _empty(ev, value):
    return iter(())


def _range(ev, value, f):
    for end in ev.run(f, value):
        if type_name(end) != "number":
            raise JqError("Range bounds must be numeric")
        n = 0
        while n < end:
            yield n
            n += 1


def _range_from(ev, value, f, g, h=None):
    """range(from; upto) and range(from; upto; by) of jq 1.6's builtin.jq."""
    for start in ev.run(f, value):
        for end in ev.run(g, value):
            if type_name(start) != "number" or type_name(end) != "number":
                raise JqError("Range bounds must be numeric")
            for step in (ev.run(h, value) if h is not None else [1]):
                n = start
                if step > 0:
                    while n < end:
                        yield n
                        n += step
                elif step < 0:
                    while n > end:
                        yield n
                        n += step
                elif n < end:       # by 0 below the end: jq loops forever; once here
                    yield n


def _error(ev, value, f=None):
    for message in (ev.run(f, value) if f is not None else [value]):
        if message is None:
            # jq 1.6: an error without a message backtracks as `empty` does
            # (`1, error(null), 2` gives 1 and 2, recorded)
            continue
        text = message if isinstance(message, str) else \
            f"{dump(message, None)} (not a string)"
        raise JqError(text, message)
    return
    yield


def _paths(ev, value):
    def walk(node, prefix):
        if isinstance(node, dict):
            items = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            return
        for key, child in items:
            yield prefix + [key]
            yield from walk(child, prefix + [key])
    yield from walk(value, [])


def _group_by(ev, value, f):
    groups: list = []
    last = _MISSING
    for item in sorted(_iterate(value), key=lambda v: [_order(k) for k in ev.run(f, v)]):
        key = [_order(k) for k in ev.run(f, item)]
        if groups and key == last:
            groups[-1].append(item)
        else:
            groups.append([item])
        last = key
    yield groups


def _extreme_by(pick_max: bool):
    def run(ev, value, f):
        items = list(_iterate(value))
        if not items:
            yield None
            return
        best = items[0]
        best_key = [_order(k) for k in ev.run(f, best)]
        for item in items[1:]:
            key = [_order(k) for k in ev.run(f, item)]
            if (key >= best_key) if pick_max else (key < best_key):
                best, best_key = item, key
        yield best
    return run


def _del(ev, value, f):
    yield _delpaths(value, list(ev.paths(f, value, [])))


def _path(ev, value, f):
    yield from ev.paths(f, value, [])


def _getpath_builtin(ev, value, f):
    """jv_getpath(): null where the path leaves the value through a null, jv_get()'s
    error where it indexes something else wrongly."""
    for path in ev.run(f, value):
        if not isinstance(path, list):
            raise JqError("Path must be specified as an array")
        yield _getpath(value, path)


def _setpath_builtin(ev, value, f, g):
    for path in ev.run(f, value):
        for new in ev.run(g, value):
            yield _setpath(value, path, new)


def _limit(ev, value, n, f):
    """jq 1.6's `def limit($n; f): if $n < 0 then f else label $out | foreach f as
    $item (0; .+1; $item, if . >= $n then break $out else empty end) end;`: all of f
    below 0, its first output for 0."""
    for count in ev.run(n, value):
        if type_name(count) != "number":
            # foreach's `.+1` then `. >= $n`... 1.6 fails at `$n - 1` first
            raise JqError(f"{type_name(count)} ({_short(count)}) and number (1) cannot "
                          "be subtracted")
        if count < 0:
            yield from ev.run(f, value)
            continue
        for i, out in enumerate(ev.run(f, value)):
            yield out
            if i + 1 >= count:
                break


def _first_of(ev, value, f):
    for out in ev.run(f, value):
        yield out
        return


def _last_of(ev, value, f):
    outs = list(ev.run(f, value))
    if outs:
        yield outs[-1]


def _onig(pattern: str) -> str:
    """Oniguruma's (?<name>...) groups in Python's spelling (look-behinds kept)."""
    return re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", pattern)


def _regex_sub(global_: bool):
    def run(ev, value, f, g):
        if not isinstance(value, str):
            raise JqError(f"{type_name(value)} ({_short(value)}) cannot be matched, as it "
                          "is not a string")
        for pattern in ev.run(f, value):
            regex = _regex(pattern)
            pieces, pos = [], 0
            for m in regex.finditer(value):
                pieces.append(value[pos:m.start()])
                captures = {k: v for k, v in m.groupdict().items()}
                replaced = list(ev.run(g, captures))
                pieces.append(replaced[-1] if replaced else "")
                pos = m.end()
                if not global_:
                    break
            pieces.append(value[pos:])
            yield "".join(str(p) for p in pieces)
    return run


def _splits(ev, value, f):
    for pattern in ev.run(f, value):
        if not isinstance(value, str):
            raise JqError(f"{type_name(value)} ({_short(value)}) cannot be matched, as it "
                          "is not a string")
        yield from _split_matches(value, pattern, "g")


def _next_input(ev):
    """The next input off the queue the main loop shares (None past the end): a
    file that did not open is said, the text that does not parse is the error."""
    ev.read_any = True
    while ev.pending:
        kind, payload, name, count = ev.pending.pop(0)
        if kind == "message":
            ev.ctx.term.err(payload)
            continue
        if kind == "parse":
            raise JqError(payload)
        ev.filename, ev.lines = name, count
        ev.vars["__lines__"] = count
        return (payload,)
    return None


def _input(ev, value):
    item = _next_input(ev)
    if item is None:
        raise JqError("break")      # jq 1.6's `input` past the end
    yield item[0]


def _inputs_builtin(ev, value):
    while True:
        item = _next_input(ev)
        if item is None:
            return
        yield item[0]


def _with_entries(ev, value, f):
    for entries in _to_entries(ev, value):
        mapped = [out for item in entries for out in ev.run(f, item)]
        yield from _from_entries(ev, mapped)


def _any(value):
    return any(_truthy(v) for v in _iterate(value))


def _all(value):
    return all(_truthy(v) for v in _iterate(value))


def _test(value, pattern, flags=None):
    if not isinstance(value, str):
        raise JqError(f"{type_name(value)} ({_short(value)}) cannot be matched, as it is "
                      "not a string")
    bits = 0
    for flag in flags or "":        # f_match(): g, n, p, s, l, x, i
        bits |= {"i": re.I, "x": re.X, "s": re.S}.get(flag, 0)
    return _regex(pattern, bits).search(value) is not None


def _test_flags(ev, value, f, g):
    for pattern in ev.run(f, value):
        for flags in ev.run(g, value):
            yield _test(value, pattern, flags)


def _string_op(check):
    def run(value, arg):
        if not isinstance(value, str) or not isinstance(arg, str):
            raise JqError(f"{check}() requires string inputs")
        return getattr(value, check)(arg)
    return run


def _sortable(value) -> list:
    if not isinstance(value, list):
        raise JqError(f"{type_name(value)} ({_short(value)}) cannot be sorted, as it is "
                      "not an array")
    return value


def _extremes(value) -> list:
    """f_min/f_max: an array only (`1 | min` says so with the value twice)."""
    if not isinstance(value, list):
        raise JqError(f"{type_name(value)} ({_short(value)}) and {type_name(value)} "
                      f"({_short(value)}) cannot be iterated over")
    return value


def _reverse(value):
    """jq 1.6's `def reverse: [.[length - 1 - range(0;length)]];`."""
    if value is None or value == "" or value == []:
        return []
    if not isinstance(value, list):
        raise JqError(f"Cannot index {type_name(value)} with number")
    return list(reversed(value))


def _explode(value):
    if not isinstance(value, str):
        raise JqError("explode input must be a string")
    return [ord(c) for c in value]


def _implodable(value) -> bool:
    if not isinstance(value, list) or \
            not all(type_name(c) == "number" for c in value):
        raise JqError("implode input must be an array")
    return True


def _split(value, sep):
    if not isinstance(value, str) or not isinstance(sep, str):
        raise JqError("split input and separator must be strings")
    if not value:
        return []       # jv_string_split() of an empty string: no pieces at all
    return value.split(sep) if sep else list(value)


def _contains(a, b):
    if type_name(a) != type_name(b):
        raise JqError(f"{type_name(a)} ({_short(a)}) and {type_name(b)} ({_short(b)}) "
                      "cannot have their containment checked")
    if isinstance(a, dict):
        return all(k in a and _contains(a[k], v) for k, v in b.items())
    if isinstance(a, list):
        return all(any(type_name(x) == type_name(y) and _contains(x, y) for x in a)
                   for y in b)
    if isinstance(a, str):
        return b in a
    return a == b


def _indices(value, item) -> list:
    """jq 1.6's indices($i): positions of an element (or sub-array) in an array, of
    a substring in a string (by byte)."""
    if value is None:
        return None
    if isinstance(value, list):
        needle = item if isinstance(item, list) else [item]
        if not needle:
            return None
        return [i for i in range(len(value) - len(needle) + 1)
                if all(_order(value[i + k]) == _order(n) for k, n in enumerate(needle))]
    if isinstance(value, str) and isinstance(item, str):
        raw, sub = value.encode(), item.encode()
        return [i for i in range(len(raw)) if sub and raw.startswith(sub, i)]
    # `.[$i]` is what 1.6 falls back to: jv_get()'s error
    if isinstance(item, str):
        raise JqError(f'Cannot index {type_name(value)} with string "{item}"')
    raise JqError(f"Cannot index {type_name(value)} with {type_name(item)}")


def _first_index(value, item):
    found = _indices(value, item)
    return found[0] if found else None


BUILTINS = {
    ("index", 1): _with_arg(_first_index),
    ("indices", 1): _with_arg(_indices),
    ("length", 0): _length,
    ("keys", 0): _keys(True),
    ("keys_unsorted", 0): _keys(False),
    ("map", 1): _map,
    ("select", 1): _select,
    ("has", 1): _has,
    ("to_entries", 0): _to_entries,
    ("from_entries", 0): _from_entries,
    ("join", 1): _join,
    ("empty", 0): _empty,
    ("range", 1): _range,
    ("first", 0): _first,
    ("first", 1): _first,
    ("last", 0): _simple(lambda v: _index(v, -1)),
    ("not", 0): _simple(lambda v: not _truthy(v)),
    ("type", 0): _simple(type_name),
    ("tostring", 0): _simple(_tostring),
    ("tonumber", 0): _simple(_tonumber),
    ("add", 0): _simple(_add),
    ("any", 0): _simple(_any),
    ("all", 0): _simple(_all),
    ("sort", 0): _simple(lambda v: sorted(_sortable(v), key=_order)),
    ("sort_by", 1): _sort_by,
    ("unique", 0): _simple(lambda v: [x for i, x in enumerate(sorted(_iterate(v), key=_order))
                                      if i == 0 or _order(x) != _order(
                                          sorted(_iterate(v), key=_order)[i - 1])]),
    ("unique_by", 1): _unique_by,
    ("reverse", 0): _simple(_reverse),
    ("min", 0): _simple(lambda v: min(_extremes(v), key=_order) if _extremes(v) else None),
    ("max", 0): _simple(lambda v: max(_extremes(v), key=_order) if _extremes(v) else None),
    ("values", 0): lambda ev, v: iter([v] if v is not None else []),
    ("ascii_downcase", 0): _simple(lambda v: v.lower()),
    ("ascii_upcase", 0): _simple(lambda v: v.upper()),
    ("test", 1): _with_arg(_test),
    ("test", 2): _test_flags,
    ("range", 2): _range_from,
    ("range", 3): _range_from,
    ("error", 0): _error,
    ("error", 1): _error,
    ("paths", 0): _paths,
    ("group_by", 1): _group_by,
    ("min_by", 1): _extreme_by(False),
    ("max_by", 1): _extreme_by(True),
    ("with_entries", 1): _with_entries,
    ("del", 1): _del,
    ("path", 1): _path,
    ("getpath", 1): _getpath_builtin,
    ("setpath", 2): _setpath_builtin,
    ("limit", 2): _limit,
    ("first", 1): _first_of,
    ("last", 1): _last_of,
    ("sub", 2): _regex_sub(False),
    ("gsub", 2): _regex_sub(True),
    ("splits", 1): _splits,
    ("explode", 0): _simple(_explode),
    ("implode", 0): _simple(lambda v: _implodable(v) and "".join(
        chr(int(c)) if 0 <= int(c) < 0x110000 and not 0xD800 <= int(c) < 0xE000
        else "\ufffd" for c in v)),
    ("input", 0): _input,
    ("inputs", 0): _inputs_builtin,
    ("startswith", 1): _with_arg(_string_op("startswith")),
    ("endswith", 1): _with_arg(_string_op("endswith")),
    ("split", 1): _with_arg(_split),
    ("contains", 1): _with_arg(_contains),
    ("tojson", 0): _simple(lambda v: dump(v, None)),
    ("fromjson", 0): _simple(lambda v: _fromjson(v)),
    ("floor", 0): _simple(lambda v: math.floor(v)),
    ("ltrimstr", 1): _with_arg(lambda v, a: v[len(a):] if isinstance(v, str) and
                               isinstance(a, str) and v.startswith(a) else v),
    ("rtrimstr", 1): _with_arg(lambda v, a: v[:-len(a)] if isinstance(v, str) and
                               isinstance(a, str) and a and v.endswith(a) else v),
}


def _fromjson(value):
    """f_json_parse(): jv_parse()'s one value, its error and the text."""
    if not isinstance(value, str):
        raise JqError(f"{type_name(value)} ({_short(value)}) only strings can be parsed")
    values, problem = _inputs(value)
    if problem is None and len(values) > 1:
        problem = "Unexpected extra JSON values"
    if problem is None and not values:
        problem = "Expected JSON value"
    if problem is not None:
        raise JqError(f"{problem} (while parsing '{value}')")
    return values[0]


def _pattern_names(pattern) -> tuple:
    """The variable names a destructuring pattern binds."""
    if isinstance(pattern, str):
        return (pattern.lstrip("$"),)
    if pattern[0] == "parray":
        return tuple(n for sub in pattern[1] for n in _pattern_names(sub))
    names: tuple = ()
    for _, sub, also in pattern[1]:
        names += _pattern_names(sub) + ((also.lstrip("$"),) if also else ())
    return names


def _calls(node, names: tuple) -> bool:
    """Whether the program calls one of these functions anywhere."""
    if not isinstance(node, tuple) or not node:
        return False
    if node[0] == "call" and node[1] in names:
        return True
    for child in node[1:]:
        if isinstance(child, tuple) and _calls(child, names):
            return True
        if isinstance(child, list) and any(_calls(c, names) for c in child):
            return True
    return False


def _unbound(node, variables: set, bound: tuple = (),
             funcs: frozenset = frozenset()) -> list[tuple[str, int]]:
    """The calls of functions jq does not have and the variables nothing binds, in
    the program's order, with their offsets (found before anything runs, as jq
    compiles the whole program first); `funcs` are those `def` made in scope."""
    found: list[tuple[str, int]] = []
    if not isinstance(node, tuple) or not node:
        return found
    kind = node[0]
    if kind == "call" and len(node) > 3:
        if (node[1], len(node[2])) not in BUILTINS and (node[1], len(node[2])) not in funcs:
            found.append((f"{node[1]}/{len(node[2])}", node[3]))
        for arg in node[2]:
            found += _unbound(arg, variables, bound, funcs)
        return found
    if kind == "var" and len(node) > 2:
        if node[1] not in variables and node[1] not in bound:
            found.append((f"${node[1]}", node[2]))
        return found
    if kind == "def":
        _, name, params, body, rest = node
        own = funcs | {(name, len(params))}
        inner = own | {(p.lstrip("$"), 0) for p in params}
        found += _unbound(body, variables, bound + tuple(p[1:] for p in params
                                                         if p.startswith("$")), inner)
        return found + _unbound(rest, variables, bound, own)
    if kind == "label":
        return _unbound(node[2], variables, bound + ("*label-" + node[1],), funcs)
    if kind == "break":
        if "*label-" + node[1] not in bound:
            found.append((f"$*label-{node[1]}", node[2]))
        return found
    if kind == "as":
        # TERM as PATTERN | BODY
        found += _unbound(node[1], variables, bound, funcs)
        return found + _unbound(node[3], variables, bound + _pattern_names(node[2]), funcs)
    if kind in ("reduce", "foreach"):
        found += _unbound(node[1], variables, bound, funcs)
        inner = bound + _pattern_names(node[2])
        found += _unbound(node[3], variables, bound, funcs) + \
            _unbound(node[4], variables, inner, funcs)
        if kind == "foreach" and node[5] is not None:
            found += _unbound(node[5], variables, inner, funcs)
        return found
    for child in node[1:]:
        if isinstance(child, tuple):
            found += _unbound(child, variables, bound, funcs)
        elif isinstance(child, list):
            for item in child:
                if isinstance(item, tuple):
                    found += _unbound(item, variables, bound, funcs)
    return found


# ------------------------------------------------- more of jq 1.6's builtin.jq
def _type_filter(*names):
    """values, nulls, booleans, numbers, strings, arrays, objects, iterables, scalars:
    `select(type == ...)`."""
    def run(ev, value):
        if type_name(value) in names:
            yield value
    return run


def _flatten(ev, value, f=None):
    """_flatten($x): arrays inside spliced in, to depth $x (-1: all)."""
    depths = ev.run(f, value) if f is not None else iter([-1])
    for depth in depths:
        if depth < 0 and f is not None:
            raise JqError("flatten depth must not be negative")

        def flat(items, left):
            out = []
            for item in _iterate(items):
                if isinstance(item, list) and left != 0:
                    out.extend(flat(item, left - 1))
                else:
                    out.append(item)
            return out
        yield flat(value, depth)


def _paths_of(ev, value, f):
    """paths(f): the paths whose value f finds truthy."""
    for path in _paths(ev, value):
        # select(getpath($p) | f): the path once for each truthy output
        for out in ev.run(f, _getpath(value, path)):
            if _truthy(out):
                yield path


def _leaf_paths(ev, value):
    """paths(scalars): select() tests the scalar itself, so null and false leaves
    are not among them."""
    for path in _paths(ev, value):
        leaf = _getpath(value, path)
        if type_name(leaf) not in ("array", "object") and _truthy(leaf):
            yield path


def _any_all(is_any: bool):
    """any/all with a filter (`reduce (.[]|f) as $x (false; . or $x)`) or a generator
    and a condition (stopping at the first that decides)."""
    def run(ev, value, f=None, g=None):
        if g is None:
            items = _iterate(value)
            outs = (out for item in items for out in
                    (ev.run(f, item) if f is not None else iter([item])))
        else:
            outs = (cond for item in ev.run(f, value) for cond in ev.run(g, item))
        for out in outs:
            if _truthy(out) == is_any:
                yield is_any
                return
        yield not is_any
    return run


def _regex_flags(flags) -> tuple[int, bool]:
    """f_match()'s modifiers: g (all matches), i, x, s, n (ignore empty), l, p."""
    if flags is not None and not isinstance(flags, str):
        raise JqError(f"{type_name(flags)} ({_short(flags)}) is not a string")
    bits, every = 0, False
    for flag in flags or "":
        if flag == "g":
            every = True
        elif flag in "ixsnpl":
            bits |= {"i": re.I, "x": re.X, "s": re.S, "p": re.S}.get(flag, 0)
        else:
            raise JqError(f"{flags} is not a valid modifier string")
    return bits, every


def _char_offset(text: str, index: int) -> int:
    return index          # jq 1.6 counts codepoints for offset and length


def _match_objects(value, pattern, flags):
    """f_match() of jq 1.6: after an empty match the search goes on one character
    later, and it stops where the string ends (no empty match there but for an
    empty string); a group that took no part is offset -1, string null."""
    if not isinstance(value, str):
        raise JqError(f"{type_name(value)} ({_short(value)}) cannot be matched, as it is "
                      "not a string")
    bits, every = _regex_flags(flags)
    regex = _regex(pattern, bits)
    names = {index: name for name, index in regex.groupindex.items()}
    start = 0
    while True:
        m = regex.search(value, start)
        if m is None:
            return
        captures = []
        for group in range(1, (regex.groups or 0) + 1):
            begin = m.start(group)
            if begin < 0:
                captures.append({"offset": -1, "string": None, "length": 0,
                                 "name": names.get(group)})
                continue
            captures.append({"offset": begin, "length": len(m.group(group)),
                             "string": m.group(group), "name": names.get(group)})
        yield {"offset": m.start(), "length": m.end() - m.start(), "string": m.group(0),
               "captures": captures}
        start = m.end() if m.end() > m.start() else m.start() + 1
        if not every or start >= len(value):
            return


# Oniguruma's messages for the patterns Python's re refuses too
_ONIG_ERRORS = (("missing ), unterminated subpattern", "end pattern with unmatched parenthesis"),
                ("unbalanced parenthesis", "unmatched close parenthesis"),
                ("unterminated character set", "premature end of char-class"),
                ("nothing to repeat", "target of repeat operator is not specified"),
                ("min repeat greater than max repeat",
                 "upper is smaller than lower in repeat range"))


def _regex(pattern, bits: int = 0):
    if not isinstance(pattern, str):
        raise JqError(f"{type_name(pattern)} ({_short(pattern)}) cannot be matched, as it "
                      "is not a string")
    try:
        return re.compile(_onig(pattern), bits)
    except re.error as err:
        text = next((onig for py, onig in _ONIG_ERRORS if str(err).startswith(py)), str(err))
        raise JqError(f"Regex failure: {text}") from None


def _match_args(ev, value, f, g=None):
    for pattern in ev.run(f, value):
        if isinstance(pattern, list):
            pattern, flags = pattern[0], (pattern[1] if len(pattern) > 1 else None)
            yield pattern, flags
            continue
        for flags in (ev.run(g, value) if g is not None else iter([None])):
            yield pattern, flags


def _match(ev, value, f, g=None):
    for pattern, flags in _match_args(ev, value, f, g):
        yield from _match_objects(value, pattern, flags)


def _capture(ev, value, f, g=None):
    for pattern, flags in _match_args(ev, value, f, g):
        for m in _match_objects(value, pattern, flags):
            yield {c["name"]: c["string"] for c in m["captures"] if c["name"] is not None}


def _scan(ev, value, f, g=None):
    for pattern, flags in _match_args(ev, value, f, g):
        for m in _match_objects(value, pattern, "g" + (flags or "")):
            yield [c["string"] for c in m["captures"]] if m["captures"] else m["string"]


def _ascii_case(upper: bool):
    """ascii_downcase/ascii_upcase: `explode | map(...) | implode` (only A-Z / a-z)."""
    def run(value):
        if not isinstance(value, str):
            raise JqError("explode input must be a string")
        table = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if not upper:
            table = {v: k for k, v in table.items()}
        return value.translate(table)
    return run


def _isempty(ev, value, f):
    for _ in ev.run(f, value):
        yield False
        return
    yield True


def _in(ev, value, f):
    for container in ev.run(f, value):
        yield from _has(ev, container, ("literal", value))


def _inside(ev, value, f):
    for container in ev.run(f, value):
        yield _contains(container, value)


def _map_values(ev, value, f):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            for first in ev.run(f, item):
                out[key] = first
                break
        yield out
    else:
        out = []
        for item in _iterate(value):
            for first in ev.run(f, item):
                out.append(first)
                break
        yield out


def _walk(ev, value, f):
    """jq 1.6's walk(f): `reduce keys_unsorted[] as $key`, so objects keep their key
    order (Debian's 1.6 prints {"b":..,"a":1} for `walk(.)` of it, recorded)."""
    if isinstance(value, dict):
        rebuilt = {}
        for key in value:
            for inner in _walk(ev, value[key], f):
                rebuilt[key] = inner
        yield from ev.run(f, rebuilt)
    elif isinstance(value, list):
        rebuilt = [inner for item in value for inner in _walk(ev, item, f)]
        yield from ev.run(f, rebuilt)
    else:
        yield from ev.run(f, value)


def _until(ev, value, cond, update):
    while True:
        done = next(iter(ev.run(cond, value)), None)
        if _truthy(done):
            yield value
            return
        value = next(iter(ev.run(update, value)))


def _while(ev, value, cond, update):
    while _truthy(next(iter(ev.run(cond, value)), None)):
        yield value
        value = next(iter(ev.run(update, value)))


def _repeat(ev, value, f):
    """jq 1.6's `def repeat(f): def _repeat: f | (., _repeat); _repeat;` as 1.6 runs
    it: its tail call reuses the first input, so f's first output of the input comes
    again and again (`1 | [limit(5; repeat(.*2))]` is [2,2,2,2,2], recorded)."""
    while True:
        outs = ev.run(f, value)
        first = next(iter(outs), _MISSING)
        if first is _MISSING:
            return
        yield first


def _nth(ev, value, n, f=None):
    for index in ev.run(n, value):
        if f is None:
            yield _index(value, index)
            continue
        if index < 0:
            raise JqError("Out of bounds negative array index")
        # jq 1.6: `last(limit($n + 1; f))`: f's last output when it has fewer
        yield from _last_of(ev, value, ("call", "limit", [("literal", index + 1), f]))


def _env(ev, value):
    yield ev.vars.get("ENV", {})


def _now(ev, value):
    yield ev.vars.get("__now__", 0.0)


def _splits_flags(ev, value, f, g):
    for pattern in ev.run(f, value):
        for flags in ev.run(g, value):
            if not isinstance(value, str):
                raise JqError(f"{type_name(value)} ({_short(value)}) cannot be matched, "
                              "as it is not a string")
            yield from _split_matches(value, pattern, "g" + (flags or ""))


def _regex_sub_flags(ev, value, f, g, h):
    for flags in ev.run(h, value):
        bits, every = _regex_flags(flags)
        if not isinstance(value, str):
            raise JqError(f"{type_name(value)} ({_short(value)}) cannot be matched, as it "
                          "is not a string")
        for pattern in ev.run(f, value):
            regex = _regex(pattern, bits)
            pieces, pos = [], 0
            for m in regex.finditer(value):
                pieces.append(value[pos:m.start()])
                replaced = list(ev.run(g, {k: v for k, v in m.groupdict().items()}))
                pieces.append(replaced[-1] if replaced else "")
                pos = m.end()
                if not every:
                    break
            pieces.append(value[pos:])
            yield "".join(str(p) for p in pieces)


def _math(function):
    def run(value):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise JqError(f"{type_name(value)} ({_short(value)}) number required")
        result = function(value)
        return int(result) if isinstance(result, float) and result.is_integer() and \
            abs(result) < 1e17 else result
    return run


def _utf8bytelength(value):
    if not isinstance(value, str):
        raise JqError(f"{type_name(value)} ({_short(value)}) only strings have UTF-8 byte "
                      "length")
    return len(value.encode("utf-8", "surrogatepass"))


BUILTINS.update({
    ("values", 0): lambda ev, v: iter([v] if v is not None else []),
    ("nulls", 0): _type_filter("null"),
    ("booleans", 0): _type_filter("boolean"),
    ("numbers", 0): _type_filter("number"),
    ("strings", 0): _type_filter("string"),
    ("arrays", 0): _type_filter("array"),
    ("objects", 0): _type_filter("object"),
    ("iterables", 0): _type_filter("array", "object"),
    ("scalars", 0): _type_filter("null", "boolean", "number", "string"),
    ("flatten", 0): _flatten,
    ("flatten", 1): _flatten,
    ("paths", 1): _paths_of,
    ("leaf_paths", 0): _leaf_paths,
    ("any", 1): _any_all(True),
    ("any", 2): _any_all(True),
    ("all", 1): _any_all(False),
    ("all", 2): _any_all(False),
    ("match", 1): _match,
    ("match", 2): _match,
    ("capture", 1): _capture,
    ("capture", 2): _capture,
    ("scan", 1): _scan,
    ("splits", 2): _splits_flags,
    ("sub", 3): _regex_sub_flags,
    ("gsub", 3): _regex_sub_flags,
    ("ascii_downcase", 0): _simple(_ascii_case(False)),
    ("ascii_upcase", 0): _simple(_ascii_case(True)),
    ("isempty", 1): _isempty,
    ("in", 1): _in,
    ("inside", 1): _inside,
    ("map_values", 1): _map_values,
    ("walk", 1): _walk,
    ("until", 2): _until,
    ("while", 2): _while,
    ("repeat", 1): _repeat,
    ("nth", 1): _nth,
    ("nth", 2): _nth,
    ("env", 0): _env,
    ("now", 0): _now,
    ("sqrt", 0): _simple(_math(math.sqrt)),
    ("ceil", 0): _simple(_math(math.ceil)),
    ("round", 0): _simple(_math(lambda v: math.floor(v + 0.5) if v >= 0 else
                                -math.floor(-v + 0.5))),
    ("fabs", 0): _simple(_math(math.fabs)),
    ("utf8bytelength", 0): _simple(_utf8bytelength),
    ("isnan", 0): _simple(lambda v: isinstance(v, float) and math.isnan(v)),
    ("isinfinite", 0): _simple(lambda v: isinstance(v, float) and math.isinf(v)),
    ("infinite", 0): lambda ev, v: iter([math.inf]),
    ("nan", 0): lambda ev, v: iter([math.nan]),
})


def _recurse_by(ev, value, f, cond=None):
    """recurse(f): `def r: ., (f | r); r`; recurse(f; cond) only while cond holds."""
    yield value
    for child in ev.run(f, value):
        if cond is not None and not any(_truthy(c) for c in ev.run(cond, child)):
            continue
        yield from _recurse_by(ev, child, f, cond)


def _recurse_all(ev, value):
    yield from ev.run(("recurse",), value)


def _rindex(value, item):
    found = _indices(value, item)
    return found[-1] if found else None


def _transpose(value):
    rows = _iterate(value)
    width = max((len(r) for r in rows), default=0)
    return [[row[i] if i < len(row) else None for row in rows] for i in range(width)]


def _combinations(ev, value, f=None):
    import itertools
    if f is not None:
        for n in ev.run(f, value):
            yield from (list(c) for c in itertools.product(_iterate(value), repeat=int(n)))
        return
    yield from (list(c) for c in itertools.product(*[_iterate(v) for v in _iterate(value)]))


def _tostream(ev, value):
    """`path(def r: (.[]?|r), .; r) as $p | getpath($p) | reduce path(.[]?) as $q
    ([$p, .]; [$p+$q])`: each leaf as [path, value], each closed container as [path]."""
    def walk(node, prefix):
        if isinstance(node, (list, dict)) and node:
            keys = list(range(len(node))) if isinstance(node, list) else list(node)
            for key in keys:
                yield from walk(node[key], prefix + [key])
            yield [prefix + [keys[-1]]]
        else:
            yield [prefix, node]
    top = list(walk(value, []))
    yield from top


def _time_parts(seconds) -> list:
    """gmtime (tm2jv()): [year, month (0-11), mday, hours, minutes, seconds, wday,
    yday]."""
    import datetime
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise JqError("gmtime() requires numeric inputs")
    stamp = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=math.floor(seconds))
    # tm2jv(): tm_sec plus the fraction of the input, a double
    second = stamp.second + (seconds - math.floor(seconds)) if seconds != math.floor(
        seconds) else stamp.second
    return [stamp.year, stamp.month - 1, stamp.day, stamp.hour, stamp.minute, second,
            (stamp.weekday() + 1) % 7, stamp.timetuple().tm_yday - 1]


def _mktime(parts):
    import calendar
    if not isinstance(parts, list):
        raise JqError("mktime requires array inputs")
    if len(parts) < 6 or not all(type_name(p) == "number" for p in parts[:6]):
        raise JqError("mktime requires parsed datetime inputs")
    return calendar.timegm((int(parts[0]), int(parts[1]) + 1, int(parts[2]),
                            int(parts[3]), int(parts[4]), int(parts[5])))


def _strftime(value, fmt):
    import time
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = _time_parts(value)
    if not isinstance(value, list) or len(value) < 6:
        raise JqError("strftime/1 requires parsed datetime inputs")
    if not isinstance(fmt, str):
        raise JqError("strftime/1 requires a string format")
    tm = time.struct_time((int(value[0]), int(value[1]) + 1, int(value[2]), int(value[3]),
                           int(value[4]), int(value[5]),
                           (int(value[6]) - 1) % 7 if len(value) > 6 else 0,
                           int(value[7]) + 1 if len(value) > 7 else 1, 0))
    return time.strftime(fmt, tm)


def _strptime(value, fmt):
    import calendar
    import time
    if not isinstance(value, str) or not isinstance(fmt, str):
        raise JqError("strptime/1 requires string inputs and arguments")
    try:
        tm = time.strptime(value, fmt)
    except ValueError:
        raise JqError(f"date \"{value}\" does not match format \"{fmt}\"") from None
    return _time_parts(calendar.timegm(tm))


def _halt_error(ev, value, f=None):
    codes = ev.run(f, value) if f is not None else iter([5])
    for code in codes:
        # f_halt_error() of jq 1.6 (src/builtin.c): a code that is not a number is
        # type_error(input, "halt_error/1: number required")
        if isinstance(code, bool) or not isinstance(code, (int, float)):
            raise JqError(f"{type_name(value)} ({_short(value)}) "
                          "halt_error/1: number required")
        raise JqHalt(value, code)
    return iter(())


def _input_line_number(ev, value):
    yield ev.vars.get("__lines__", 0)


BUILTINS.update({
    ("recurse", 0): _recurse_all,
    ("recurse", 1): _recurse_by,
    ("recurse", 2): _recurse_by,
    ("rindex", 1): _with_arg(_rindex),
    ("transpose", 0): _simple(_transpose),
    ("combinations", 0): _combinations,
    ("combinations", 1): _combinations,
    ("tostream", 0): _tostream,
    ("gmtime", 0): _simple(_time_parts),
    ("mktime", 0): _simple(_mktime),
    ("strftime", 1): _with_arg(_strftime),
    ("strptime", 1): _with_arg(_strptime),
    ("todate", 0): _simple(lambda v: _strftime(v, "%Y-%m-%dT%H:%M:%SZ")),
    ("todateiso8601", 0): _simple(lambda v: _strftime(v, "%Y-%m-%dT%H:%M:%SZ")),
    ("fromdate", 0): _simple(lambda v: _mktime(_strptime(v, "%Y-%m-%dT%H:%M:%SZ"))),
    ("fromdateiso8601", 0): _simple(lambda v: _mktime(_strptime(v, "%Y-%m-%dT%H:%M:%SZ"))),
    ("halt_error", 0): _halt_error,
    ("halt_error", 1): _halt_error,
    ("input_line_number", 0): _input_line_number,
})


# ------------------------------------------------------------------ the tool
def _inputs(text: str, ends: list | None = None):
    """The JSON values of the input, one after another (`ends` gets where each ends),
    and jv_parse.c's message for what does not parse. Python's decoder reads what
    parses; the text with an error is read again by _jv_parse(), the port of jq
    1.6's scanner, for the message and where it stands."""
    decoder = json.JSONDecoder(strict=False, parse_constant=_no_constant, parse_int=_double)
    checked = None
    pos = 0
    values = []
    found: list = []
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            break
        try:
            if checked is None:
                checked = True
                if _SURROGATE.search(text):
                    raise ValueError("surrogates")      # found_string() checks them
            value, pos = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, ValueError):
            found.clear()
            values, problem = _jv_parse(text, found)
            if ends is not None:
                ends[:] = found
            return values, problem
        if pos < len(text) and text[pos] not in " \t\r\n[]{},:\"" and \
                not isinstance(value, (list, dict, str)):
            # `1x`: jq reads one literal token and refuses it
            found.clear()
            values, problem = _jv_parse(text, found)
            if ends is not None:
                ends[:] = found
            return values, problem
        values.append(value)
        found.append(pos)
    if ends is not None:
        ends[:] = found
    return values, None


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
# a high surrogate's escape without a low one after it (found_string())
_LONE_HIGH = re.compile(r"(?<!\\)(?:\\\\)*\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])")


class _PairError(Exception):
    pass


def _no_constant(name):
    raise ValueError(name)


# jvp_strtod() (David Gay's, IEEE_Arith): decimals, and inf, infinity and nan in any case
_NUMBER = re.compile(r"[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|(?i:inf|infinity|nan))\Z")


def _jv_parse(text: str, ends: list):
    """jv_parse.c of jq 1.6: scan() a character at a time (line and column counted
    first), literals gathered until a structural character or white space,
    token() for `[{:,]}`, a top-level value out as soon as it is complete; the
    first error `MSG at line L, column C`, at the end `... at EOF ...`."""
    values: list = []
    stack: list = []        # arrays, objects, and an object's key (a str) above it
    nxt = _MISSING
    tok: list = []
    state = "normal"
    line, column = 1, 0

    def put(value):
        nonlocal nxt
        if nxt is not _MISSING:
            return "Expected separator between values"
        nxt = value
        return None

    def literal():
        if not tok:
            return None
        word = "".join(tok)
        tok.clear()
        if word[0] in "tfn":
            target = {"t": "true", "f": "false", "n": "null"}[word[0]]
            if word != target:
                return "Invalid literal"
            return put({"true": True, "false": False, "null": None}[word])
        if not _NUMBER.match(word):
            return "Invalid numeric literal"
        number = float(word)
        return put(int(number) if number.is_integer() and abs(number) <= _EXACT and
                   not re.search(r"[.eE]", word) else number)

    def token(ch):
        nonlocal nxt
        top = stack[-1] if stack else None
        if ch in "[{":
            if nxt is not _MISSING:
                return "Expected separator between values"
            stack.append([] if ch == "[" else {})
        elif ch == ":":
            if nxt is _MISSING:
                return "Expected string key before ':'"
            if not isinstance(top, dict):
                return "':' not as part of an object"
            if not isinstance(nxt, str):
                return "Object keys must be strings"
            stack.append(nxt)
            nxt = _MISSING
        elif ch == ",":
            if nxt is _MISSING:
                return "Expected value before ','"
            if not stack:
                return "',' not as part of an object or array"
            if isinstance(top, list):
                top.append(nxt)
            elif isinstance(top, str):
                stack.pop()
                stack[-1][top] = nxt
            else:
                return "Objects must consist of key:value pairs"
            nxt = _MISSING
        elif ch == "]":
            if not isinstance(top, list):
                return "Unmatched ']'"
            if nxt is not _MISSING:
                top.append(nxt)
            elif top:
                return "Expected another array element"
            nxt = stack.pop()
        elif ch == "}":
            if not stack:
                return "Unmatched '}'"
            if nxt is not _MISSING:
                if not isinstance(top, str):
                    return "Objects must consist of key:value pairs"
                stack.pop()
                stack[-1][top] = nxt
            else:
                if not isinstance(top, dict):
                    return "Unmatched '}'"
                if top:
                    return "Expected another key-value pair"
            nxt = stack.pop()
        return None

    def done(pos):
        nonlocal nxt
        if not stack and nxt is not _MISSING:
            values.append(nxt)
            ends.append(pos)
            nxt = _MISSING

    for pos, ch in enumerate(text):
        column += 1
        if ch == "\n":
            line += 1
            column = 0
        problem = None
        if state == "normal":
            if ch in " \t\r\n":
                problem = literal()
                if problem is None:
                    done(pos)
            elif ch == '"':
                problem = literal()
                if problem is None:
                    done(pos)
                    state = "string"
            elif ch in "[{:,]}":
                problem = literal()
                if problem is None:
                    done(pos)
                    problem = token(ch)
                if problem is None:
                    done(pos + 1)
            else:
                tok.append(ch)
        elif state == "escape":
            tok.append(ch)
            state = "string"
        elif ch == "\\":
            tok.append(ch)
            state = "escape"
        elif ch == '"':
            word = "".join(tok)
            try:
                if _LONE_HIGH.search(word):
                    raise _PairError()
                problem = put(json.loads('"' + word + '"', strict=False))
            except _PairError:
                problem = "Invalid \\uXXXX\\uXXXX surrogate pair escape"
            except ValueError:
                problem = "Invalid escape"
            tok.clear()
            state = "normal"
            if problem is None:
                done(pos + 1)
        else:
            tok.append(ch)
        if problem is not None:
            return values, f"{problem} at line {line}, column {column}"
    if state != "normal":
        return values, f"Unfinished string at EOF at line {line}, column {column}"
    problem = literal()
    if problem is not None:
        return values, f"{problem} at EOF at line {line}, column {column}"
    if stack:
        return values, f"Unfinished JSON term at EOF at line {line}, column {column}"
    done(len(text))
    return values, None


_DIE = ("Use jq --help for help with command-line options,\nor see the jq manpage, or "
        "online docs  at https://stedolan.github.io/jq\n")

# main.c's isoption() pairs: the short letter (or none) of each long option
_OPTIONS = {"slurp": "s", "raw-output": "r", "compact-output": "c", "color-output": "C",
            "monochrome-output": "M", "ascii-output": "a", "unbuffered": None,
            "sort-keys": "S", "raw-input": "R", "null-input": "n", "from-file": "f",
            "join-output": "j", "tab": None, "indent": None, "seq": None, "stream": None,
            "stream-errors": None, "exit-status": "e", "args": None, "jsonargs": None,
            "arg": None, "argjson": None, "argfile": None, "slurpfile": None,
            "rawfile": None, "help": "h", "version": "V"}
_TWO_PARAMS = {"arg": "value", "argjson": "text", "argfile": "filename",
               "slurpfile": "filename", "rawfile": "filename"}


class _Options:
    """main.c's flags: the dump options (pretty, tab, indent as JV_PRINT_INDENT_FLAGS
    keeps them: -c clears pretty and tab, --tab sets both, --indent N sets N, 0 clears
    pretty, -1 means tab), and what to read and print."""

    def __init__(self, color: bool):
        self.raw = self.join = self.exit = self.null = self.slurp = False
        self.sort = self.raw_in = self.ascii = self.seq = self.stream = False
        self.from_file = False
        self.pretty, self.tab, self.indent = True, False, 2
        self.color = color
        self.mono = False
        self.further = None         # --args / --jsonargs: "strings" or "json"

    def dump_indent(self):
        if not self.pretty:
            return None
        return "\t" if self.tab else self.indent


def _json_arg(text: str):
    """jv_parse() of one JSON text (--argjson, --jsonargs): None when it does not parse."""
    values, problem = _inputs(text)
    if problem is not None or len(values) != 1:
        return _MISSING
    return values[0]


def _options(ctx: ToolContext, argv: list[str]):
    """jq 1.6's main() over argv: options anywhere (isoption(): a cluster of short
    letters, or one long name), the first other word the program (-f: its file), the
    rest input files or, after --args/--jsonargs, $ARGS.positional."""
    opts = _Options(bool(getattr(ctx.session, "stdout_tty", False)))
    named: dict = {}
    positional: list = []
    program = None
    files: list[str] = []
    args_done = False
    i = 1
    while i < len(argv):
        text = argv[i]
        i += 1
        if not args_done and text == "--":
            if program is None:
                raise CommandError(_usage(True), 2)
            args_done = True
            continue
        if args_done or not text.startswith("-") or text == "-":
            if program is None and not args_done:
                program = text
            elif opts.further == "strings":
                positional.append(text)
            elif opts.further == "json":
                value = _json_arg(text)
                if value is _MISSING:
                    raise CommandError(f"jq: invalid JSON text passed to --jsonargs\n{_DIE}", 2)
                positional.append(value)
            else:
                files.append(text)
            continue
        if text.startswith("--"):
            name = text[2:]
            if name not in _OPTIONS:
                raise CommandError(f"jq: Unknown option {text}\n{_DIE}", 2)
            letters = [_OPTIONS[name] or name]
        else:
            letters = list(text[1:])
        for letter in letters:
            if letter in _TWO_PARAMS:
                if i + 1 >= len(argv):
                    raise CommandError(f"jq: --{letter} takes two parameters (e.g. --{letter} "
                                       f"varname {_TWO_PARAMS[letter]})\n{_DIE}", 2)
                key, val = argv[i], argv[i + 1]
                i += 2
                if key in named:
                    continue            # the first --arg of a name is the one bound
                if letter == "arg":
                    named[key] = val
                elif letter == "argjson":
                    value = _json_arg(val)
                    if value is _MISSING:
                        raise CommandError(f"jq: invalid JSON text passed to --argjson\n{_DIE}",
                                           2)
                    named[key] = value
                else:
                    try:
                        data = read_input(ctx, val)
                    except OSError as err:
                        raise CommandError(f"jq: Bad JSON in --{letter} {key} {val}: Could not "
                                           f"open {val}: {err.strerror}\n", 2) from None
                    if letter == "rawfile":
                        named[key] = data
                    else:
                        values, problem = _inputs(data)
                        if problem is not None:
                            raise CommandError(f"jq: Bad JSON in --{letter} {key} {val}: "
                                               f"{problem}\n", 2)
                        named[key] = values if letter == "slurpfile" else \
                            (values[0] if len(values) == 1 else values)
            elif letter == "indent":
                if i >= len(argv):
                    raise CommandError(f"jq: --indent takes one parameter\n{_DIE}", 2)
                m = re.match(r"\s*[-+]?\d+", argv[i])        # atoi()
                n = int(m.group(0)) if m else 0
                i += 1
                if n < -1 or n > 7:
                    raise CommandError(f"jq: --indent takes a number between -1 and 7\n{_DIE}",
                                       2)
                opts.tab, opts.pretty, opts.indent = n == -1, n != 0, n
            elif letter == "tab":
                opts.tab = opts.pretty = True
            elif letter == "c":
                opts.tab = opts.pretty = False
            elif letter in ("args", "jsonargs"):
                opts.further = "strings" if letter == "args" else "json"
            elif letter in ("seq", "stream"):
                setattr(opts, letter, True)
            elif letter in ("unbuffered", "stream-errors"):
                pass
            elif letter == "h":
                ctx.term.out(_usage(False))
                raise _Exit(0)
            elif letter == "V":
                ctx.term.out("jq-1.6\n")
                raise _Exit(0)
            elif letter == "C":
                opts.color = not opts.mono
            elif letter == "M":
                # main(): NO_COLOR_OUTPUT clears the colours whatever came before or after
                opts.color, opts.mono = False, True
            elif letter in _LETTERS:
                setattr(opts, _LETTERS[letter], True)
                if letter == "j":
                    opts.raw = True
            else:
                raise CommandError(f"jq: Unknown option {text}\n{_DIE}", 2)
    return opts, program, files, named, positional


_LETTERS = {"s": "slurp", "r": "raw", "a": "ascii", "S": "sort", "R": "raw_in",
            "n": "null", "f": "from_file", "j": "join", "e": "exit"}


class _Exit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _usage(short: bool) -> str:
    """usage() of jq 1.6's main.c: the header and the text; --help adds the options,
    the short form (no program on a terminal, to stderr) says where --help is."""
    return USAGE + (_SHORT_TAIL if short else _HELP_TAIL)


def main(ctx: ToolContext, argv: list[str]) -> int:
    try:
        opts, program, files, named, positional = _options(ctx, argv)
    except _Exit as done:
        return done.status
    variables: dict = dict(named)
    if program is None:
        if ctx.stdin is None:
            raise CommandError(_usage(True), 2)
        program = "."
    if opts.from_file:
        try:
            program = read_input(ctx, program)
        except OSError as err:
            raise CommandError(f"jq: Could not open {program}: {err.strerror}\n", 2) from None
    try:
        tree = Parser(program).parse()
    except JqCompileError as err:
        count = getattr(err, "count", 1)
        raise CommandError(f"jq: error: {err}\njq: {count} compile error"
                           f"{'s' if count > 1 else ''}\n", 3) from None
    variables["ARGS"] = {"positional": positional, "named": named}
    unbound = _unbound(tree, set(variables) | {"ENV", "__loc__"})
    if unbound:
        # block_compile(): each undefined function or variable, the program's line
        # after it padded to the name's column (locfile_locate()), then the count
        text = "".join(f"jq: error: {what} is not defined at <top-level>, line 1:\n"
                       f"{program}{' ' * at}\n" for what, at in unbound)
        count = len(unbound)
        raise CommandError(text + f"jq: {count} compile error{'s' if count > 1 else ''}\n",
                           3)
    reads = not opts.null or _calls(tree, ("input", "inputs"))
    bounds: list = []           # (end offset, file name) of each file's text
    missing: list = []          # (offset, message) of each file that did not open
    if files and reads:
        text = ""
        for name in files:
            try:
                text += read_input(ctx, name)
            except OSError as err:
                # jq 1.6's jq_util_input_next_input(): "Could not open file %s: %s",
                # said when the reading gets there; the other files are read on
                missing.append((len(text), f"jq: error: Could not open file {name}: "
                                           f"{err.strerror}\n"))
                continue
            bounds.append((len(text), name))
        where = files[-1]
    else:
        text = "" if files else ctx.stdin or ""
        where = "<stdin>"
    failed = 2 if missing else 0        # main(): input errors make the status 2
    if opts.seq and not opts.raw_in:
        # --seq reads RFC 7464 sequences too: text before the first RS is abandoned
        chunks = text.split("\x1e")
        if chunks[0].strip():
            tail = text.rsplit("\n", 1)[-1]
            ctx.term.err("ignoring parse error: Unfinished abandoned text at EOF at line "
                         f"{text.count(chr(10)) + 1}, column {len(tail)}\n")
        text = "\n".join(chunks[1:])
    lines = text.count("\n")
    # the inputs in the order jq meets them: ("value", V, file, lines read), a file
    # that did not open ("message", TEXT), the text that does not parse ("parse", MSG)
    queue: list = []
    if opts.raw_in:
        # -R: each line a string; with -s the whole text one string
        rows = [text] if opts.slurp else \
            text.split("\n")[:-1] if text.endswith("\n") else \
            text.split("\n") if text else []
        queue = [("value", row, None, lines) for row in rows]
        queue[:0] = [("message", m, None, 0) for _, m in missing]
    else:
        ends: list = []
        values, parse_error = _inputs(text, ends)
        counted, seen = 0, 0        # newlines before `counted`, counted as we go
        for value, stop in zip(values, ends):
            while missing and missing[0][0] < stop:
                queue.append(("message", missing.pop(0)[1], None, 0))
            name = next((n for at, n in bounds if stop <= at), None)
            # jq_util_input_get_position(): the lines fgets() had handed the parser
            # when the value was done (the whole line it ended in)
            trigger = stop - 1 if stop and text[stop - 1] in "\"]}" else stop
            newline = text.find("\n", trigger)
            if newline < 0:
                count = lines
            else:
                seen += text.count("\n", counted, newline + 1)
                counted = newline + 1
                count = seen
            events = list(_tostream(None, value)) if opts.stream else [value]
            queue += [("value", event, name, count) for event in events]
        queue += [("message", m, None, 0) for _, m in missing]
        if parse_error is not None:
            queue.append(("parse", parse_error, None, lines))
        if opts.slurp:
            # -s reads everything first: what did not open is said before the run
            for kind, payload, _, _ in queue:
                if kind == "message":
                    ctx.term.err(payload)
            if parse_error is not None:
                # the slurp never completes: the error alone, no run
                ctx.term.err(f"parse error: {parse_error}\n")
                return 4
            slurped = [payload for kind, payload, _, _ in queue if kind == "value"]
            last_name = next((n for k, _, n, _ in reversed(queue) if k == "value"), None)
            queue = [("value", slurped, last_name, lines)] + \
                [item for item in queue if item[0] == "parse"]
    from ipemu.tools.xargs import environment
    variables.setdefault("ENV", environment(ctx, "/usr/bin/jq"))      # $ENV and env
    variables["__now__"] = float(ctx.host.clock.wall)                  # now
    variables["__loc__"] = {"file": "<top-level>", "line": 1}           # $__loc__
    variables["__lines__"] = lines     # input_line_number: the lines read
    evaluator = Evaluator(variables)
    evaluator.pending = queue           # `input` and `inputs` take from it too
    evaluator.ctx = ctx
    evaluator.lines = lines
    indent = opts.dump_indent()
    end = "" if opts.join else "\n"
    if opts.null:
        runs = iter([None])
        if not reads:
            queue.clear()
    else:
        runs = _runs(ctx, evaluator)
    # main(): ret is the last input's process() result: 14 ("no valid results") until
    # an output sets 0 (11 under -e for false or null), 5 after an error; with no input
    # at all process() never runs and jq exits 0 (jq 1.6, recorded)
    status = 0
    for value in runs:
        last = _MISSING
        status = 0
        try:
            for out in evaluator.run(tree, value):
                last = out
                if opts.raw and isinstance(out, str):
                    # process(): -r -a still prints the string as ASCII JSON
                    ctx.term.out((_string(out, True) if opts.ascii else out) + end)
                else:
                    ctx.term.out(("\x1e" if opts.seq else "") +
                                 dump(out, indent, opts.sort, opts.color, opts.ascii) + end)
        except JqError as err:
            if err.value is None:
                # error(null): an error without a message stops this input quietly
                continue
            # -n reads no input: jq_util_input_get_position() has none to name
            at = "<unknown>" if opts.null and not evaluator.read_any else \
                f"{where}:{evaluator.lines}"
            if isinstance(err.value, str) or err.value is _NO_VALUE:
                ctx.term.err(f"jq: error (at {at}): {err}\n")
            else:
                ctx.term.err(f"jq: error (at {at}) (not a string): "
                             f"{dump(err.value, None)}\n")
            status = 5
            continue
        except JqCompileError as err:
            raise CommandError(f"jq: error: {err}\njq: 1 compile error\n", 3) from None
        except JqHalt as halt:
            # main(): jq_halted(): a string as it is, null nothing, anything else as
            # JSON and a newline
            if isinstance(halt.value, str):
                ctx.term.err(halt.value)
            elif halt.value is not None:
                ctx.term.err(dump(halt.value, None) + "\n")
            return halt.code if isinstance(halt.code, int) else 5
        if opts.exit:
            status = 4 if last is _MISSING else (0 if _truthy(last) else 1)
    if evaluator.parse_failed:
        return 4
    return failed or status


def _runs(ctx, ev):
    """The inputs the main loop runs the program on, taken from the queue `input`
    shares: a file that did not open is said as it comes, the text that does not
    parse ends the run."""
    failed = False
    while ev.pending:
        kind, payload, name, count = ev.pending.pop(0)
        if kind == "message":
            ctx.term.err(payload)
            failed = True
            continue
        if kind == "parse":
            ctx.term.err(f"parse error: {payload}\n")
            ev.parse_failed = True
            return
        ev.filename, ev.lines = name, count
        ev.vars["__lines__"] = count
        yield payload
        if failed:
            # main()'s loop checks jq_util_input_errors() before each input: the value
            # read past a file that did not open is the last one run
            return


# ------------------------------------------- the rest of jq 1.6's builtins
def _in_any(ev, value, source, stream=None):
    """`def IN(s): any(s == .; .);` and `def IN(src; s): any(src == s; .);`."""
    left, right = (("identity",), source) if stream is None else (source, stream)
    for a in ev.run(left, value):
        for b in ev.run(right, value):
            if _compare("==", a, b):
                yield True
                return
    yield False


def _index_by(ev, value, f, g=None):
    """`def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row|idx_expr|tostring]
    |= $row);` and `def INDEX(idx_expr): INDEX(.[]; idx_expr);`."""
    stream, key = (("iterate",), f) if g is None else (f, g)
    out: dict = {}
    for row in ev.run(stream, value):
        keys = list(ev.run(key, row))
        if keys:
            out[_tostring(keys[-1])] = row
    yield out


def _debug(ev, value):
    """f_debug(): `["DEBUG:",V]` on stderr, compact, a newline; V goes on."""
    ev.ctx.term.err(dump(["DEBUG:", value], None) + "\n")
    yield value


def _stderr(ev, value):
    """f_stderr() of jq 1.6: the value compact on stderr, no newline."""
    ev.ctx.term.err(dump(value, None))
    yield value


def _input_filename(ev, value):
    yield ev.filename


def _halt(ev, value):
    raise JqHalt(None, 0)
    yield


def _delpaths_builtin(ev, value, f):
    for paths in ev.run(f, value):
        if not isinstance(paths, list):
            raise JqError("Paths must be specified as an array")
        yield _delpaths(value, paths)


def _split_flags(ev, value, f, g):
    """`def split($re; flags): . as $s | [match($re; "g" + flags) | (.offset, .offset +
    .length)] as $ms | [0] + $ms + [$s | length] | _nwise(2) | $s[.[0]:.[1]];`"""
    for flags in ev.run(g, value):
        for pattern in ev.run(f, value):
            yield list(_split_matches(value, pattern, "g" + (flags or "")))


def _split_matches(value, pattern, flags):
    pos = 0
    for m in _match_objects(value, pattern, flags):
        yield value[pos:m["offset"]]
        pos = m["offset"] + m["length"]
    yield value[pos:]


def _fromstream(ev, value, f):
    """fromstream(f): the values the events of f close (a top-level scalar's event
    [[],V] is a value at once)."""
    top = _MISSING
    for event in ev.run(f, value):
        if not isinstance(event, list) or not event or not isinstance(event[0], list):
            raise JqError("Invalid path component")
        path = event[0]
        if len(event) == 2:
            if not path:
                yield event[1]
                continue
            top = _setpath(None if top is _MISSING else top, path, event[1])
        elif len(path) <= 1:
            if top is not _MISSING:
                yield top
            top = _MISSING


def _truncate_stream(ev, value, f):
    """`def truncate_stream(stream): . as $n | null | stream | . as $input | if
    (.[0]|length) > $n then setpath([0];.[0][$n:]) else empty end;`"""
    depth = value
    for event in ev.run(f, None):
        if len(event[0]) > depth:
            yield [event[0][depth:]] + event[1:]


def _bsearch(value, target):
    """jq 1.6's bsearch: the index, or (-1 - where it would go)."""
    if not isinstance(value, list):
        raise JqError(f"{type_name(value)} ({_short(value)}) cannot be searched from")
    low, high = 0, len(value) - 1
    key = _order(target)
    while low <= high:
        mid = (low + high) // 2
        here = _order(value[mid])
        if here == key:
            return mid
        if here < key:
            low = mid + 1
        else:
            high = mid - 1
    return -1 - low


def _math2(function):
    def run(ev, value, f, g):
        for b in ev.run(g, value):
            for a in ev.run(f, value):
                for x in (a, b):
                    if type_name(x) != "number":
                        raise JqError(f"{type_name(x)} ({_short(x)}) number required")
                yield _fold(function(a, b))
    return run


def _fold(result):
    return int(result) if isinstance(result, float) and result.is_integer() and \
        abs(result) < 1e17 else result


def _libm(function):
    """A libm function of one double: its domain errors give NaN (printed null) and
    overflows infinity, as C's do."""
    def call(v):
        try:
            return function(v)
        except ValueError:
            return math.nan
        except OverflowError:
            return math.inf
    return _simple(_math(call))


def _frexp(v):
    mantissa, exponent = math.frexp(v)
    return [_fold(mantissa), exponent]


def _modf(v):
    frac, whole = math.modf(v)
    return [_fold(frac), _fold(whole)]


def _significand(v):
    if v == 0 or not math.isfinite(v):
        return v
    mantissa, _ = math.frexp(v)
    return mantissa * 2


def _logb(v):
    if v == 0:
        return -math.inf
    return float(math.frexp(v)[1] - 1)


def _exp10(v):
    return 10.0 ** v


BUILTINS.update({
    ("IN", 1): _in_any,
    ("IN", 2): _in_any,
    ("INDEX", 1): _index_by,
    ("INDEX", 2): _index_by,
    ("debug", 0): _debug,
    ("stderr", 0): _stderr,
    ("input_filename", 0): _input_filename,
    ("halt", 0): _halt,
    ("delpaths", 1): _delpaths_builtin,
    ("split", 2): _split_flags,
    ("fromstream", 1): _fromstream,
    ("truncate_stream", 1): _truncate_stream,
    ("bsearch", 1): _with_arg(_bsearch),
    ("isnormal", 0): _simple(lambda v: isinstance(v, (int, float)) and not isinstance(
        v, bool) and math.isfinite(v) and v != 0 and abs(v) >= 2.2250738585072014e-308),
    ("isfinite", 0): _simple(lambda v: type_name(v) == "number" and not math.isinf(v)),
    ("finites", 0): lambda ev, v: iter([v] if type_name(v) == "number" and
                                       not math.isinf(v) else []),
    ("normals", 0): lambda ev, v: iter([v] if type_name(v) == "number" and
                                       math.isfinite(v) and v != 0 else []),
    ("recurse_down", 0): _recurse_all,
    ("localtime", 0): BUILTINS[("gmtime", 0)],        # TZ is UTC here
    ("strflocaltime", 1): BUILTINS[("strftime", 1)],
    ("pow", 2): _math2(lambda a, b: math.pow(a, b)),
    ("atan2", 2): _math2(math.atan2),
    ("fmod", 2): _math2(math.fmod),
    ("hypot", 2): _math2(math.hypot),
    ("copysign", 2): _math2(math.copysign),
    ("fmin", 2): _math2(min),
    ("fmax", 2): _math2(max),
    ("fdim", 2): _math2(lambda a, b: max(a - b, 0.0)),
    ("ldexp", 2): _math2(lambda a, b: math.ldexp(a, int(b))),
    ("scalb", 2): _math2(lambda a, b: a * 2.0 ** b),
    ("scalbln", 2): _math2(lambda a, b: math.ldexp(a, int(b))),
    ("nextafter", 2): _math2(math.nextafter),
    ("nexttoward", 2): _math2(math.nextafter),
    ("remainder", 2): _math2(math.remainder),
    ("drem", 2): _math2(math.remainder),
    ("frexp", 0): _simple(_math(_frexp)),
    ("modf", 0): _simple(_math(_modf)),
    ("significand", 0): _libm(_significand),
    ("logb", 0): _libm(_logb),
    ("exp10", 0): _libm(_exp10),
    ("pow10", 0): _libm(_exp10),
    ("gamma", 0): _libm(math.lgamma),
    ("lgamma", 0): _libm(math.lgamma),
    ("tgamma", 0): _libm(math.gamma),
    ("lgamma_r", 0): _libm(lambda v: [_fold(math.lgamma(v)), 1 if v > 0 or
                                      math.floor(-v) % 2 else -1]),
    ("trunc", 0): _libm(math.trunc),
    ("rint", 0): _libm(lambda v: float(round(v))),
    ("nearbyint", 0): _libm(lambda v: float(round(v))),
})
for _name in ("acos", "acosh", "asin", "asinh", "atan", "atanh", "cbrt", "cos", "cosh",
              "exp", "exp2", "expm1", "log", "log10", "log1p", "log2", "sin", "sinh", "tan",
              "tanh", "erf", "erfc"):
    BUILTINS[(_name, 0)] = _libm(getattr(math, _name, None) or
                                 {"cbrt": lambda v: math.copysign(abs(v) ** (1 / 3), v),
                                  "exp2": lambda v: 2.0 ** v}[_name])


# `jq -n 'builtins'` of jq 1.6 as recorded, in its order
_BUILTIN_NAMES = """
input_line_number/0 input_filename/0 now/0 localtime/0 gmtime/0 mktime/0
strflocaltime/1 strftime/1 strptime/1 stderr/0 debug/0 modulemeta/0 get_jq_origin/0
get_prog_origin/0 get_search_list/0 halt_error/1 halt/0 env/0 format/1 error/1 max/0
min/0 sort/0 nan/0 infinite/0 isnormal/0 isnan/0 isinfinite/0 type/0
utf8bytelength/0 length/0 contains/1 has/1 delpaths/1 getpath/1 setpath/2 implode/0
explode/0 split/1 rtrimstr/1 ltrimstr/1 endswith/1 startswith/1 keys_unsorted/0
keys/0 tostring/0 tonumber/0 fromjson/0 tojson/0 lgamma_r/0 modf/0 frexp/0 ldexp/2
trunc/0 significand/0 scalbln/2 scalb/2 round/0 rint/0 nexttoward/2 nextafter/2
nearbyint/0 logb/0 log1p/0 lgamma/0 gamma/0 fmod/2 fmin/2 fmax/2 fma/3 fdim/2 fabs/0
expm1/0 exp10/0 erfc/0 erf/0 drem/2 copysign/2 ceil/0 yn/2 jn/2 y1/0 y0/0 tgamma/0
tanh/0 tan/0 sqrt/0 sinh/0 sin/0 remainder/2 pow/2 log2/0 log10/0 log/0 j1/0 j0/0
hypot/2 floor/0 exp2/0 exp/0 cosh/0 cos/0 cbrt/0 atanh/0 atan2/2 atan/0 asinh/0
asin/0 acosh/0 acos/0 empty/0 not/0 path/1 range/2 halt_error/0 error/0 map/1
select/1 sort_by/1 group_by/1 unique/0 unique_by/1 max_by/1 min_by/1 add/0 del/1
map_values/1 recurse/1 recurse/2 recurse/0 recurse_down/0 to_entries/0
from_entries/0 with_entries/1 reverse/0 indices/1 index/1 rindex/1 paths/0 paths/1
any/2 any/1 any/0 all/2 all/1 all/0 isfinite/0 arrays/0 objects/0 iterables/0
booleans/0 numbers/0 normals/0 finites/0 strings/0 nulls/0 values/0 scalars/0
scalars_or_empty/0 leaf_paths/0 join/1 flatten/1 flatten/0 range/1 fromdateiso8601/0
todateiso8601/0 fromdate/0 todate/0 match/2 match/1 test/2 test/1 capture/2
capture/1 scan/1 splits/2 splits/1 split/2 sub/2 sub/3 gsub/3 gsub/2 range/3 while/2
until/2 limit/2 isempty/1 first/1 last/1 nth/2 first/0 last/0 nth/1 combinations/0
combinations/1 transpose/0 in/1 inside/1 input/0 repeat/1 inputs/0 ascii_downcase/0
ascii_upcase/0 truncate_stream/1 fromstream/1 tostream/0 bsearch/1 walk/1 INDEX/2
INDEX/1 JOIN/2 JOIN/3 JOIN/4 IN/1 IN/2 pow10/0 builtins/0
""".split()
BUILTINS[("builtins", 0)] = lambda ev, v: iter([list(_BUILTIN_NAMES)])
