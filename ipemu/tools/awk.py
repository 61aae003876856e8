"""awk as Debian 12's awk prints it: mawk 1.3.4 20200120 (the machine's
/usr/bin/awk). A lexer, a recursive-descent parser over POSIX awk's grammar and a
tree-walking interpreter: patterns and ranges, BEGIN/END, fields and $0/$N/NF
assignment, FS/OFS/ORS/RS/NR/NF/FNR/FILENAME/SUBSEP/RSTART/RLENGTH, -F, -v and
operand assignments, print/printf with > and >>, getline (plain, var, < file),
arrays, user functions, the string and numeric builtins, next/exit/return, and
mawk's own error texts and exit status 2."""
from __future__ import annotations

import math
import re

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass
from ipemu.tools.context import ToolContext
from ipemu.tools.posixre import RegexError, translate
from ipemu.tools.textio import read_input
from ipemu.tools.printf import c_integer

def _raw(text: str) -> bytes:
    """mawk's strings are bytes: a UTF-8 character counts its bytes (length(),
    substr(), index(), RSTART/RLENGTH, printf's widths)."""
    return text.encode("utf-8", "surrogateescape")


def _unraw(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _blen(text: str) -> int:
    return len(text) if text.isascii() else len(_raw(text))


def _c_s(spec: str, text: str) -> str:
    """printf's %s with `spec`'s flags, width and precision, in bytes."""
    if text.isascii():
        return (spec + "s") % text
    return _unraw((spec + "s").encode() % _raw(text))


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _b(text: str) -> str:
    """A string as mawk holds it, one character per byte (Latin-1)."""
    return text if text.isascii() else text.encode("utf-8", "surrogateescape").decode("latin-1")


def _u(text: str) -> str:
    """_b()'s inverse."""
    return text if text.isascii() else text.encode("latin-1").decode("utf-8", "surrogateescape")


class _BytesRegex:
    """mawk's regular expressions match bytes: `.` is one byte of a UTF-8 character and
    a bracket expression holds bytes. The pattern is compiled over _b() text (ASCII
    classes), the subject goes through _b() and the pieces come back through _u();
    match objects (search()) are in bytes, as RSTART and RLENGTH are."""

    __slots__ = ("rx",)

    def __init__(self, rx: re.Pattern):
        self.rx = rx

    def search(self, text: str):
        return self.rx.search(_b(text))

    def split(self, text: str) -> list[str]:
        rx = self.rx
        if rx.groups:       # a group in FS does not put its text among the fields
            return [_u(p) for p in re.split(rx.pattern.replace("(", "(?:"), _b(text),
                                            flags=re.ASCII)]
        return [_u(p) for p in rx.split(_b(text))]

    def sub(self, replace, text: str, count: int = 0) -> str:
        return _u(self.rx.sub(replace, _b(text), count=count))


# loop turns after which a program that lets no time pass is ended (Interp.turn())
TURN_LIMIT = 2_000_000

USAGE = """\
Usage: mawk [Options] [Program] [file ...]

Program:
    The -f option value is the name of a file containing program text.
    If no -f option is given, a "--" ends option processing; the following
    parameters are the program text.

Options:
    -f program-file  Program  text is read from file instead of from the
                     command-line.  Multiple -f options are accepted.
    -F value         sets the field separator, FS, to value.
    -v var=value     assigns value to program variable var.
    --               unambiguous end of options.

    Implementation-specific options are prefixed with "-W".  They can be
    abbreviated:

    -W version       show version information and exit.
    -W dump          show assembler-like listing of program and exit.
    -W help          show this message and exit.
    -W interactive   set unbuffered output, line-buffered input.
    -W exec file     use file as program as well as last option.
    -W random=number set initial random seed.
    -W sprintf=number adjust size of sprintf buffer.
    -W posix_space   do not consider "\\n" a space.
    -W usage         show this message and exit.
"""

KEYWORDS = {"BEGIN", "END", "function", "func", "if", "else", "while", "for", "do",
            "break", "continue", "next", "nextfile", "exit", "return", "delete", "in",
            "getline", "print", "printf"}
BUILTINS = {"length", "substr", "index", "split", "sub", "gsub", "match", "sprintf",
            "tolower", "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2",
            "rand", "srand", "system", "close", "fflush", "systime", "mktime", "strftime"}


# mawk's bi_funct[] (bi_funct.c): each table builtin's least and most arguments; a call
# outside them is "wrong number of arguments in call to NAME" when the program is read
_ARITY = {"length": (0, 1), "index": (2, 2), "substr": (2, 3), "sprintf": (1, 255),
          "sin": (1, 1), "cos": (1, 1), "atan2": (2, 2), "exp": (1, 1), "log": (1, 1),
          "int": (1, 1), "sqrt": (1, 1), "rand": (0, 0), "srand": (0, 1), "close": (1, 1),
          "system": (1, 1), "toupper": (1, 1), "tolower": (1, 1), "fflush": (0, 1),
          "systime": (0, 0), "mktime": (1, 1), "strftime": (0, 3)}
# the builtins parse.y has rules of its own for: match(expr, re), split(expr, ID[, sep]),
# sub/gsub(re, expr[, lvalue]); another count is a syntax error at the token after the
# last argument the rule takes (`,`) or where one is missing (`)`), as gawk's
# three-argument match() is on Debian's mawk (recorded)
_GRAMMAR_ARITY = {"match": (2, 2), "split": (2, 3), "sub": (2, 3), "gsub": (2, 3)}


def _check_arity(tok, count: int) -> None:
    if tok.value in _GRAMMAR_ARITY:
        least, most = _GRAMMAR_ARITY[tok.value]
        if count > most:
            raise AwkError(f"line {tok.line}: syntax error at or near ,")
        if count < least:
            raise AwkError(f"line {tok.line}: syntax error at or near )")
        return
    least, most = _ARITY.get(tok.value, (0, 255))
    if not least <= count <= most:
        raise AwkError(f"line {tok.line}: wrong number of arguments in call to {tok.value}")


def _undefined_calls(prog: dict) -> list[str]:
    """The names of ("call", NAME, ARGS) nodes no `function NAME` defines, in the
    order they first appear."""
    found: list[str] = []
    stack = [prog["begin"], prog["end"], prog["rules"],
             [body for _, body in prog["funcs"].values()]]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple) and len(node) == 3 and node[0] == "call" and \
                isinstance(node[1], str):
            if node[1] not in prog["funcs"] and node[1] not in found:
                found.append(node[1])
        if isinstance(node, (list, tuple)):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
    return found



VERSION_BANNER = ("mawk 1.3.4 20200120\nCopyright 2008-2019,2020, Thomas E. Dickey\n"
                  "Copyright 1991-1996,2014, Michael D. Brennan\n\n")
VERSION_BUILD = ("random-funcs:       srandom/random\nregex-funcs:        internal\n"
                 "compiled limits:\nsprintf buffer      8192\nmaximum-integer     2147483647\n")


_SPACE_RUNS = re.compile(r"[ \t\n]+")
# rm_escape() (scan.c): the C escapes a regular expression may hold, as characters
_REGEX_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                  "v": "\v"}


def _bracket_escapes(text: str, i: int) -> tuple[str, int]:
    r"""The bracket expression opened at text[i] in the POSIX form posixre reads, and
    the index after it. rm_escape() (scan.c) runs over the whole regular expression
    and rexp0.c's do_class() takes a backslash in a class as escaping the next byte
    (mawk 1.3.4 20200120, recorded): /[ \t\n\r]/ holds a tab, a newline and a
    carriage return (`gsub(/[ \t\n\r]/, "")` leaves "eth1" whole), octal escapes
    are their bytes, `[\.]` is a dot only, `[\]]` a bracket and `[a\-z]` three
    characters. A character the bracket syntax reads goes out as a collating
    symbol (`[.].]`)."""
    out, j, n = ["["], i + 1, len(text)
    if j < n and text[j] == "^":
        out.append("^")
        j += 1
    first = True
    while j < n:
        ch = text[j]
        if ch == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        if ch == "[" and j + 1 < n and text[j + 1] in ":.=":
            close = text.find(text[j + 1] + "]", j + 2)
            if close >= 0:
                out.append(text[j:close + 2])
                j = close + 2
                first = False
                continue
        if ch == "\\" and j + 1 < n:
            nxt = text[j + 1]
            octal = re.match(r"[0-7]{1,3}", text[j + 1:])
            if nxt in _REGEX_ESCAPES:
                lit, j = _REGEX_ESCAPES[nxt], j + 2
            elif octal:
                lit, j = chr(int(octal.group(0), 8)), j + 1 + len(octal.group(0))
            else:
                lit, j = nxt, j + 2
            out.append(f"[.{lit}.]" if lit in "]^-[\\" else lit)
            first = False
            continue
        out.append(ch)
        j += 1
        first = False
    return text[i:], n      # unmatched: posixre reports it


def literal_braces(text: str) -> str:
    """mawk 1.3.4 20200120 has no interval expressions (they came in 20200717):
    its rexp.c lexer reads `{` and `}` as ordinary characters, so /a{3}/ matches
    the text "a{3}". Escape them outside bracket expressions for the ERE translator,
    and turn C escapes (backslash r, f, octal digits...) into their characters."""
    out, i, n = [], 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            octal = re.match(r"[0-7]{1,3}", text[i + 1:])
            if nxt in _REGEX_ESCAPES:
                out.append(re.escape(_REGEX_ESCAPES[nxt]))
            elif octal:
                out.append(re.escape(chr(int(octal.group(0), 8))))
                i += 1 + len(octal.group(0))
                continue
            else:
                out.append(text[i:i + 2])
            i += 2
        elif ch == "[":
            bracket, i = _bracket_escapes(text, i)
            out.append(bracket)
        elif ch in "{}":
            out.append("\\" + ch)
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


MAX_INT = 0x7FFFFFFF
MAX_UINT = 0xFFFFFFFF


def d_to_int(d: float) -> int:
    """mawk's d_to_I() (cast.c): printf's %d/%i/%c clamp to [-Max_Int, Max_Int]
    (a NaN fails both tests and gives -Max_Int)."""
    if d >= MAX_INT:
        return MAX_INT
    if d > -MAX_INT:
        return int(d)
    return -MAX_INT


def d_to_uint(d: float) -> int:
    """mawk's d_to_U() (cast.c): %o/%u/%x/%X clamp to [0, Max_UInt]."""
    if d >= MAX_UINT:
        return MAX_UINT
    if d > 0:
        return int(d)
    return 0


class AwkError(Exception):
    """A message mawk prints (without the `awk: ` prefix) and exits 2 with."""


# ----------------------------------------------------------------- values
class StrNum(str):
    """Input-derived text (fields, getline, -v): numeric when it looks like a number."""


UNINIT = StrNum("")


def _num_prefix(text: str) -> float:
    # mawk converts with glibc's strtod(), which also reads C99 hex ("0x1A" is 26,
    # "0x1.8p1" 3); "0x" alone is the 0 before the x
    m = re.match(r"\s*([-+]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
                 r"([pP][-+]?\d+)?", text)
    if m:
        return float.fromhex(m.group(1) + "0x" + m.group(2) + (m.group(3) or ""))
    m = re.match(r"\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)", text)
    if m:
        return float(m.group(0))
    m = re.match(r"\s*([-+]?)(inf|nan)", text, re.I)
    if m:
        return float(m.group(0))
    return 0.0


def to_num(value) -> float:
    if isinstance(value, float):
        return value
    return _num_prefix(value)


def looks_numeric(text: str) -> bool:
    if re.fullmatch(r"\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)\s*", text):
        return True
    # mawk's check_strnum(): the text ends in a digit or '.' and strtod() takes all
    # of it, so "0x10" is a number and "0x1A" a string
    core = text.strip()
    return bool(core) and core[-1] in "0123456789." and bool(re.fullmatch(
        r"[-+]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][-+]?\d+)?", core))


NEG_NAN = math.copysign(math.nan, -1.0)


def c_float(spec: str, value: float) -> str:
    """`spec % value` as glibc's printf writes it: a NaN keeps its sign ("-nan", the
    x86 default NaN that 0/0, sqrt(-1) and log(-1) give), which Python drops."""
    if math.isnan(value) and math.copysign(1.0, value) < 0:
        text = spec % -math.inf
        return text.replace("inf", "nan").replace("INF", "NAN")
    return spec % value


def num_to_str(value: float, fmt: str) -> str:
    # mawk prints an integral value as an integer only within a C int (as measured:
    # 2147483647 prints whole, 2147483648 as 2.14748e+09)
    if math.isfinite(value) and value == int(value) and -2 ** 31 < value < 2 ** 31:
        return "%d" % value
    try:
        return c_float(fmt, value)
    except (TypeError, ValueError):
        return c_float("%.6g", value)


# ------------------------------------------------------------------ lexer
@dataclass
class Tok:
    kind: str          # NUMBER STRING ERE NAME FUNC_NAME BUILTIN KEYWORD NEWLINE EOF or the text
    value: object
    line: int


def lex(text: str) -> list[Tok]:
    toks: list[Tok] = []
    i = 0
    line = 1
    n = len(text)

    def regex_allowed() -> bool:
        if not toks:
            return True
        last = toks[-1]
        return last.kind not in ("NUMBER", "STRING", "ERE", "NAME", "FUNC_NAME", "BUILTIN",
                                 ")", "]", "$", "++", "--")

    while i < n:
        ch = text[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "\\" and text[i + 1:i + 2] == "\n":
            i += 2
            line += 1
            continue
        if ch == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "\n":
            toks.append(Tok("NEWLINE", None, line))
            line += 1
            i += 1
            continue
        if ch.isdigit() or (ch == "." and text[i + 1:i + 2].isdigit()):
            m = re.match(r"\d*\.?\d*([eE][-+]?\d+)?", text[i:])
            toks.append(Tok("NUMBER", float(m.group(0)), line))
            i += len(m.group(0))
            continue
        if ch.isascii() and ch.isalpha() or ch == "_":
            m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text[i:])
            word = m.group(0)
            i += len(word)
            if word in KEYWORDS:
                toks.append(Tok("func" if word == "func" else word, word, line))
                if word == "func":
                    toks[-1].kind = "function"
            elif word in BUILTINS:
                toks.append(Tok("BUILTIN", word, line))
            elif text[i:i + 1] == "(":
                toks.append(Tok("FUNC_NAME", word, line))
            else:
                toks.append(Tok("NAME", word, line))
            continue
        if ch == '"':
            out = []
            i += 1
            while i < n and text[i] != '"':
                c = text[i]
                if c == "\n":
                    raise AwkError(f"line {line}: runaway string constant \"{''.join(out)} ...")
                if c == "\\" and i + 1 < n:
                    i += 1
                    e = text[i]
                    simple = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "/": "/",
                              "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
                    if e in simple:
                        out.append(simple[e])
                    elif e in "01234567":
                        m = re.match(r"[0-7]{1,3}", text[i:])
                        out.append(chr(int(m.group(0), 8)))
                        i += len(m.group(0)) - 1
                    elif e == "\n":
                        line += 1
                    else:
                        out.append("\\" + e)
                    i += 1
                    continue
                out.append(c)
                i += 1
            if i >= n:
                raise AwkError(f"line {line}: runaway string constant \"{''.join(out)} ...")
            i += 1
            toks.append(Tok("STRING", "".join(out), line))
            continue
        if ch == "/" and regex_allowed():
            out = []
            i += 1
            in_bracket = False
            while i < n and (text[i] != "/" or in_bracket):
                c = text[i]
                if c == "\n":
                    raise AwkError(f"line {line}: runaway regular expression /{''.join(out)} ...")
                if c == "\\" and i + 1 < n:
                    if text[i + 1] == "/":
                        out.append("/")
                    else:
                        out.append(text[i:i + 2])
                    i += 2
                    continue
                if c == "[" and not in_bracket:
                    in_bracket = True
                    out.append(c)
                    i += 1
                    if text[i:i + 1] == "^":
                        out.append("^")
                        i += 1
                    if text[i:i + 1] == "]":
                        out.append("]")
                        i += 1
                    continue
                if c == "]" and in_bracket:
                    in_bracket = False
                out.append(c)
                i += 1
            if i >= n:
                raise AwkError(f"line {line}: runaway regular expression /{''.join(out)} ...")
            i += 1
            toks.append(Tok("ERE", "".join(out), line))
            continue
        for op in ("+=", "-=", "*=", "/=", "%=", "^=", "**=", "==", "<=", ">=", "!=", "++",
                   "--", "&&", "||", ">>", "!~", "**"):
            if text.startswith(op, i):
                op_kind = {"**": "^", "**=": "^="}.get(op, op)
                toks.append(Tok(op_kind, op_kind, line))
                i += len(op)
                break
        else:
            if ch in "{}()[];,+-*/%^!<>|?:~$=":
                toks.append(Tok(ch, ch, line))
                i += 1
            else:
                # mawk scan.c: a character of no token class (a byte, if not printable)
                shown = f"'{ch}'" if ch.isascii() and ch.isprintable() else \
                    f"0x{ch.encode('utf-8', 'surrogateescape')[0]:02x}"
                raise AwkError(f"{line}: unexpected character {shown}")
    toks.append(Tok("EOF", None, line + 1))
    return toks


# ----------------------------------------------------------------- parser
class Parser:
    """POSIX awk's grammar by precedence climbing; nodes are tuples (kind, ...)."""

    def __init__(self, toks: list[Tok]):
        self.toks = toks
        self.i = 0
        self.no_gt = 0         # inside print's list: `>` is a redirection
        self.no_in = 0         # in a for (...) head: `in` belongs to it

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def next(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, *kinds: str) -> bool:
        return self.tok.kind in kinds

    def error(self) -> AwkError:
        tok = self.tok
        if tok.kind == "EOF":
            return AwkError(f"line {tok.line}: missing }} near end of file"
                            if self.depth_hint else f"line {tok.line}: syntax error at or "
                            "near end of file")
        text = {"NEWLINE": "end of line", "STRING": f'"{tok.value}"'}.get(
            tok.kind, tok.value if tok.kind != "NUMBER" else num_to_str(tok.value, "%.6g"))
        return AwkError(f"line {tok.line}: syntax error at or near {text}")

    depth_hint = False

    def expect(self, kind: str) -> Tok:
        if self.tok.kind != kind:
            raise self.error()
        return self.next()

    def newlines(self) -> None:
        while self.at("NEWLINE"):
            self.next()

    def terminators(self) -> None:
        while self.at("NEWLINE", ";"):
            self.next()

    # program
    def program(self) -> dict:
        prog = {"begin": [], "end": [], "rules": [], "funcs": {}}
        self.terminators()
        while not self.at("EOF"):
            if self.at("BEGIN"):
                self.next()
                prog["begin"].append(self.block())
            elif self.at("END"):
                self.next()
                prog["end"].append(self.block())
            elif self.at("function"):
                self.next()
                name_tok = self.next()
                if name_tok.kind not in ("NAME", "FUNC_NAME"):
                    self.i -= 1
                    raise self.error()
                self.expect("(")
                params = []
                while not self.at(")"):
                    params.append(self.expect("NAME").value)
                    if self.at(","):
                        self.next()
                        self.newlines()
                self.expect(")")
                self.newlines()
                prog["funcs"][name_tok.value] = (params, self.block())
            else:
                pattern = None
                pattern2 = None
                if not self.at("{"):
                    pattern = self.expr()
                    if self.at(","):
                        self.next()
                        self.newlines()
                        pattern2 = self.expr()
                action = self.block() if self.at("{") else None
                prog["rules"].append((pattern, pattern2, action))
            self.terminators()
        return prog

    def block(self) -> tuple:
        self.expect("{")
        self.depth_hint = True
        stmts = []
        self.terminators()
        while not self.at("}"):
            if self.at("EOF"):
                raise self.error()
            stmts.append(self.statement())
            self.terminators()
        self.next()
        return ("block", stmts)

    def simple_end(self) -> None:
        if self.at(";", "NEWLINE"):
            self.next()
        elif not self.at("}", "EOF"):
            raise self.error()

    def statement(self) -> tuple:
        tok = self.tok
        kind = tok.kind
        if kind == "{":
            return self.block()
        if kind == "if":
            self.next()
            self.expect("(")
            cond = self.expr()
            self.expect(")")
            self.newlines()
            then = self.statement_or_empty()
            save = self.i
            self.terminators()
            if self.at("else"):
                self.next()
                self.newlines()
                return ("if", cond, then, self.statement_or_empty())
            self.i = save
            return ("if", cond, then, None)
        if kind == "while":
            self.next()
            self.expect("(")
            cond = self.expr()
            self.expect(")")
            if self.at(";"):
                self.next()
                return ("while", cond, ("block", []))
            self.newlines()
            return ("while", cond, self.statement_or_empty())
        if kind == "do":
            self.next()
            self.newlines()
            body = self.statement_or_empty()
            self.terminators()
            self.expect("while")
            self.expect("(")
            cond = self.expr()
            self.expect(")")
            self.simple_end()
            return ("do", body, cond)
        if kind == "for":
            self.next()
            self.expect("(")
            if self.at("NAME") and self.toks[self.i + 1].kind == "in" and \
                    self.toks[self.i + 2].kind == "NAME" and self.toks[self.i + 3].kind == ")":
                var = self.next().value
                self.next()
                arr = self.next().value
                self.next()
                self.newlines()
                return ("forin", var, arr, self.statement_or_empty())
            init = None if self.at(";") else self.simple_statement()
            self.expect(";")
            self.newlines()
            cond = None if self.at(";") else self.expr()
            self.expect(";")
            self.newlines()
            step = None if self.at(")") else self.simple_statement()
            self.expect(")")
            if self.at(";"):
                self.next()
                return ("for", init, cond, step, ("block", []))
            self.newlines()
            return ("for", init, cond, step, self.statement_or_empty())
        if kind == ";":
            self.next()
            return ("block", [])
        stmt = self.simple_statement()
        self.simple_end()
        return stmt

    def statement_or_empty(self) -> tuple:
        if self.at(";"):
            self.next()
            return ("block", [])
        return self.statement()

    def simple_statement(self) -> tuple:
        kind = self.tok.kind
        if kind in ("print", "printf"):
            self.next()
            args: list = []
            self.no_gt += 1
            if self.at("(") and self._parenthesized_list():
                self.next()
                self.no_gt -= 1
                args = self.expr_list(")")
                self.expect(")")
                self.no_gt += 1
            elif not self.at(";", "NEWLINE", "}", ">", ">>", "|", "EOF"):
                args = self.expr_list(None)
            self.no_gt -= 1
            dest = None
            if self.at(">", ">>", "|"):
                mode = self.next().kind
                dest = (mode, self.concat())
            return (kind, args, dest)
        if kind in ("next", "nextfile", "break", "continue"):
            self.next()
            return (kind,)
        if kind in ("exit", "return"):
            self.next()
            value = None if self.at(";", "NEWLINE", "}", "EOF") else self.expr()
            return (kind, value)
        if kind == "delete":
            self.next()
            name = self.expect("NAME").value
            if self.at("["):
                self.next()
                subs = self.expr_list("]")
                self.expect("]")
                return ("delete", name, subs)
            return ("delete", name, None)
        return ("expr", self.expr())

    def _parenthesized_list(self) -> bool:
        """`print (a, b) > f`: the parentheses hold the whole list when the matching
        `)` ends the statement or starts a redirection."""
        depth = 0
        j = self.i
        while j < len(self.toks):
            kind = self.toks[j].kind
            if kind in ("(", "["):
                depth += 1
            elif kind in (")", "]"):
                depth -= 1
                if depth == 0:
                    return self.toks[j + 1].kind in (";", "NEWLINE", "}", ">", ">>", "|", "EOF")
            elif kind == "EOF":
                return False
            j += 1
        return False

    def expr_list(self, closing: str | None) -> list:
        items = [self.expr()]
        while self.at(","):
            self.next()
            self.newlines()
            items.append(self.expr())
        return items

    # expressions, lowest precedence first
    def expr(self) -> tuple:
        return self.ternary()

    def ternary(self) -> tuple:
        cond = self.or_expr()
        if self.at("?"):
            self.next()
            self.newlines()
            yes = self.ternary()
            self.newlines()
            self.expect(":")
            self.newlines()
            no = self.ternary()
            return ("?:", cond, yes, no)
        if self.at("=", "+=", "-=", "*=", "/=", "%=", "^="):
            if cond[0] not in ("var", "field", "index"):
                raise self.error()
            op = self.next().kind
            self.newlines()
            return ("assign", op, cond, self.ternary())
        return cond

    def or_expr(self) -> tuple:
        left = self.and_expr()
        while self.at("||"):
            self.next()
            self.newlines()
            left = ("||", left, self.and_expr())
        return left

    def and_expr(self) -> tuple:
        left = self.in_expr()
        while self.at("&&"):
            self.next()
            self.newlines()
            left = ("&&", left, self.in_expr())
        return left

    def in_expr(self) -> tuple:
        left = self.match_expr()
        while self.at("in") and not self.no_in:
            self.next()
            left = ("in", [left], self.expect("NAME").value)
        return left

    def match_expr(self) -> tuple:
        left = self.compare()
        while self.at("~", "!~"):
            op = self.next().kind
            left = (op, left, self.compare())
        return left

    def compare(self) -> tuple:
        left = self.concat()
        while self.at("|") and self.toks[self.i + 1].kind == "getline":
            # "cmd" | getline [var]: the command's output, a record at a time
            self.next()
            self.next()
            target = self.primary() if self.at("NAME", "$") else None
            left = ("cmdgetline", left, target)
        if self.no_gt and self.at(">="):
            # mawk's scanner (scan.c, SC_GT): in print's unparenthesized list `>` is
            # the redirection at once, so `>=` is `>` then a stray `=`
            raise AwkError(f"line {self.tok.line}: syntax error at or near =")
        ops = ("<", "<=", "!=", "==") if self.no_gt else ("<", "<=", "!=", "==", ">", ">=")
        if self.at(*ops):
            op = self.next().kind
            return ("cmp", op, left, self.concat())
        return left

    def concat(self) -> tuple:
        left = self.additive()
        while self.at("NUMBER", "STRING", "ERE", "NAME", "FUNC_NAME", "BUILTIN", "$", "!",
                      "(", "-", "+", "++", "--") and not self.at("-", "+") and \
                not (self.at("in")):
            if self.at("!"):
                break
            left = ("concat", left, self.additive())
        return left

    def additive(self) -> tuple:
        left = self.multiplicative()
        while self.at("+", "-"):
            op = self.next().kind
            left = ("arith", op, left, self.multiplicative())
        return left

    def multiplicative(self) -> tuple:
        left = self.unary()
        while self.at("*", "/", "%"):
            op = self.next().kind
            left = ("arith", op, left, self.unary())
        return left

    def unary(self) -> tuple:
        if self.at("!"):
            self.next()
            return ("not", self.unary())
        if self.at("-"):
            self.next()
            return ("neg", self.unary())
        if self.at("+"):
            self.next()
            return ("pos", self.unary())
        return self.power()

    def power(self) -> tuple:
        base = self.postfix()
        if self.at("^"):
            self.next()
            return ("arith", "^", base, self.unary_power())
        return base

    def unary_power(self) -> tuple:
        if self.at("-"):
            self.next()
            return ("neg", self.unary_power())
        if self.at("+"):
            self.next()
            return ("pos", self.unary_power())
        if self.at("!"):
            self.next()
            return ("not", self.unary_power())
        return self.power()

    def postfix(self) -> tuple:
        if self.at("++", "--"):
            op = self.next().kind
            target = self.postfix()
            if target[0] not in ("var", "field", "index"):
                raise self.error()
            return ("preinc", op, target)
        node = self.primary()
        if node[0] in ("var", "field", "index") and self.at("++", "--"):
            return ("postinc", self.next().kind, node)
        return node

    def primary(self) -> tuple:
        tok = self.tok
        kind = tok.kind
        if kind == "NUMBER":
            self.next()
            return ("num", tok.value)
        if kind == "STRING":
            self.next()
            return ("str", tok.value)
        if kind == "ERE":
            self.next()
            return ("regex", tok.value)
        if kind == "$":
            self.next()
            if self.at("++", "--"):
                op = self.next().kind
                return ("field", ("preinc", op, self.primary()))
            if self.at("-"):
                self.next()
                return ("field", ("neg", self.primary()))
            return ("field", self.primary())
        if kind == "(":
            self.next()
            self.no_gt_saved = self.no_gt
            saved, self.no_gt = self.no_gt, 0
            first = self.expr()
            if self.at(","):
                items = [first]
                while self.at(","):
                    self.next()
                    self.newlines()
                    items.append(self.expr())
                self.expect(")")
                self.no_gt = saved
                if not self.at("in"):
                    raise self.error()
                self.next()
                return ("in", items, self.expect("NAME").value)
            self.expect(")")
            self.no_gt = saved
            return ("group", first)
        if kind == "NAME":
            self.next()
            if self.at("["):
                self.next()
                subs = self.expr_list("]")
                self.expect("]")
                return ("index", tok.value, subs)
            return ("var", tok.value)
        if kind == "FUNC_NAME":
            self.next()
            self.expect("(")
            args = [] if self.at(")") else self.expr_list(")")
            self.expect(")")
            return ("call", tok.value, args)
        if kind == "BUILTIN":
            self.next()
            if tok.value == "length" and not self.at("("):
                return ("builtin", "length", [])
            self.expect("(")
            saved, self.no_gt = self.no_gt, 0
            args = [] if self.at(")") else self.expr_list(")")
            self.no_gt = saved
            self.expect(")")
            _check_arity(tok, len(args))
            return ("builtin", tok.value, args)
        if kind == "getline":
            self.next()
            target = None
            if self.at("NAME", "$"):
                target = self.primary()
            source = None
            if self.at("<"):
                self.next()
                source = self.primary()
            return ("getline", target, source)
        if kind in ("-", "+", "!"):
            return self.unary()
        raise self.error()


# ------------------------------------------------------------ interpreter
class _Next(Exception):
    pass


@dataclass
class _Exit(Exception):
    status: int


@dataclass
class _Return(Exception):
    value: object


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Interp:
    def __init__(self, ctx: ToolContext, prog: dict):
        self.ctx = ctx
        self.prog = prog
        self.turns = 0              # loop turns so far (turn())
        self.vars: dict[str, object] = {
            "FS": " ", "OFS": " ", "ORS": "\n", "RS": "\n", "NR": 0.0, "NF": 0.0,
            "FNR": 0.0, "FILENAME": "", "SUBSEP": "\x1c", "RSTART": 0.0, "RLENGTH": -1.0,
            "CONVFMT": "%.6g", "OFMT": "%.6g",
        }
        self.arrays: dict[str, dict] = {"ENVIRON": {}, "ARGV": {}}
        self.fields: list = [UNINIT]
        self.nf = 0
        self.out: list[str] = []
        self.files: dict[str, bool] = {}
        self.readers: dict[str, list] = {}
        self.commands: dict[str, list] = {}   # "cmd" | getline: the records left
        self.regex_cache: dict[str, re.Pattern] = {}
        self.frames: list[dict] = []
        self.range_active: dict[int, bool] = {}
        self.inputs: list = []
        self.pending: list[str] = []
        self.exit_status = 0

    # -------------------------------------------------------------- values
    def str_of(self, value) -> str:
        if isinstance(value, float):
            return num_to_str(value, self.vars["CONVFMT"])
        return value

    def out_str(self, value) -> str:
        if isinstance(value, float):
            return num_to_str(value, self.vars["OFMT"])
        return value

    def truth(self, value) -> bool:
        if isinstance(value, float):
            return value != 0
        if isinstance(value, StrNum) and looks_numeric(value):
            return to_num(value) != 0
        return value != ""

    def regex(self, text: str) -> _BytesRegex:
        pattern = self.regex_cache.get(text)
        if pattern is None:
            try:
                pattern = _BytesRegex(re.compile(_b(translate(literal_braces(text), True)),
                                                 re.ASCII))
            except (RegexError, re.error) as err:
                raise AwkError(f"regular expression compile failed ({err})\n{text}")
            self.regex_cache[text] = pattern
        return pattern

    def regex_of(self, node) -> _BytesRegex:
        if node[0] == "regex":
            return self.regex(node[1])
        return self.regex(self.str_of(self.eval(node)))

    # -------------------------------------------------------------- fields
    def set_record(self, text: str) -> None:
        self.fields = [StrNum(text)]
        self.split_record()

    def split_record(self) -> None:
        parts = self.split(self.fields[0], self.vars["FS"])
        self.fields = [self.fields[0]] + [StrNum(p) for p in parts]
        self.nf = len(parts)
        self.vars["NF"] = float(self.nf)

    def split(self, text: str, fs) -> list[str]:
        fs = self.str_of(fs)
        if text == "":
            return []
        if fs == " ":
            # mawk's space is " \t\n" only: a \r or \f stays in its field
            return _SPACE_RUNS.split(text.strip(" \t\n")) if text.strip(" \t\n") else []
        if len(fs) == 1 and fs != "\\":
            return text.split(fs)
        if fs == "\t":
            return text.split("\t")
        return self.regex(fs).split(text)

    def get_field(self, index: int):
        if index < 0:
            raise AwkError(f"run time error: negative field index ${index}")
        self.sync_nf()
        if index == 0:
            return self.fields[0]
        return self.fields[index] if index <= self.nf else UNINIT

    def sync_nf(self) -> None:
        """NF assigned by the program: the record is cut or padded to it."""
        nf = int(to_num(self.vars["NF"]))
        if nf != self.nf:
            self.fields = self.fields[:nf + 1] + [UNINIT] * (nf + 1 - len(self.fields))
            self.nf = nf
            self.rebuild()

    def set_field(self, index: int, value) -> None:
        if index == 0:
            self.set_record(self.str_of(value))
            return
        self.sync_nf()
        while self.nf < index:
            self.fields.append(UNINIT)
            self.nf += 1
        self.fields[index] = value
        self.vars["NF"] = float(self.nf)
        self.rebuild()

    def rebuild(self) -> None:
        ofs = self.str_of(self.vars["OFS"])
        self.fields[0] = ofs.join(self.str_of(f) for f in self.fields[1:self.nf + 1])

    # ----------------------------------------------------------- variables
    def lookup(self, name: str):
        for frame in reversed(self.frames[-1:]):
            if name in frame:
                return frame[name]
        if name == "NF":
            self.sync_nf()
        return self.vars.get(name, UNINIT)

    def assign_var(self, name: str, value) -> None:
        if self.frames and name in self.frames[-1]:
            self.frames[-1][name] = value
            return
        if name in self.arrays:
            raise AwkError(f"can't assign to {name}; it's an array name.")
        self.vars[name] = value
        if name == "NF":
            self.sync_nf()

    def array(self, name: str) -> dict:
        if self.frames and name in self.frames[-1]:
            value = self.frames[-1][name]
            if isinstance(value, dict):
                return value
            if value is UNINIT:
                value = self.frames[-1][name] = {}
                return value
        return self.arrays.setdefault(name, {})

    def subscript(self, subs: list) -> str:
        return self.str_of(self.vars["SUBSEP"]).join(self.str_of(self.eval(s)) for s in subs)

    def store(self, target, value):
        kind = target[0]
        if kind == "var":
            self.assign_var(target[1], value)
        elif kind == "field":
            self.set_field(int(to_num(self.eval(target[1]))), value)
        else:
            self.array(target[1])[self.subscript(target[2])] = value
        return value

    # ---------------------------------------------------------- expressions
    def eval(self, node):
        kind = node[0]
        method = getattr(self, "e_" + {"?:": "ternary", "||": "or", "&&": "and", "~": "match",
                                       "!~": "nomatch"}.get(kind, kind))
        return method(node)

    def e_num(self, node):
        return node[1]

    def e_str(self, node):
        return node[1]

    def e_regex(self, node):
        return 1.0 if self.regex(node[1]).search(self.fields[0]) else 0.0

    def e_group(self, node):
        return self.eval(node[1])

    def e_var(self, node):
        name = node[1]
        if name in self.arrays and not (self.frames and name in self.frames[-1]):
            raise AwkError(f"can't use array {name} in scalar context")
        return self.lookup(name)

    def e_field(self, node):
        return self.get_field(int(to_num(self.eval(node[1]))))

    def e_index(self, node):
        arr = self.array(node[1])
        key = self.subscript(node[2])
        if key not in arr:
            arr[key] = UNINIT
        return arr[key]

    def e_in(self, node):
        return 1.0 if self.subscript(node[1]) in self.array(node[2]) else 0.0

    def e_ternary(self, node):
        return self.eval(node[2]) if self.truth(self.eval(node[1])) else self.eval(node[3])

    def e_or(self, node):
        return 1.0 if self.truth(self.eval(node[1])) or self.truth(self.eval(node[2])) else 0.0

    def e_and(self, node):
        return 1.0 if self.truth(self.eval(node[1])) and self.truth(self.eval(node[2])) else 0.0

    def e_match(self, node):
        text = self.str_of(self.eval(node[1]))
        return 1.0 if self.regex_of(node[2]).search(text) else 0.0

    def e_nomatch(self, node):
        return 1.0 - self.e_match(node)

    def e_not(self, node):
        return 0.0 if self.truth(self.eval(node[1])) else 1.0

    def e_neg(self, node):
        return -to_num(self.eval(node[1]))

    def e_pos(self, node):
        return to_num(self.eval(node[1]))

    def e_concat(self, node):
        return self.str_of(self.eval(node[1])) + self.str_of(self.eval(node[2]))

    def e_cmp(self, node):
        op = node[1]
        a, b = self.eval(node[2]), self.eval(node[3])
        if self._numeric(a) and self._numeric(b):
            x, y = to_num(a), to_num(b)
        else:
            x, y = self.str_of(a), self.str_of(b)
        if isinstance(x, float) and (math.isnan(x) or math.isnan(y)):
            # mawk's compare(): d1 > d2 ? 1 : d1 < d2 ? -1 : 0, so a NaN is "equal"
            x = y = 0.0
        result = {"<": x < y, "<=": x <= y, "==": x == y, "!=": x != y, ">": x > y,
                  ">=": x >= y}[op]
        return 1.0 if result else 0.0

    @staticmethod
    def _numeric(value) -> bool:
        if isinstance(value, float):
            return True
        return isinstance(value, StrNum) and (value is UNINIT or looks_numeric(value))

    def e_arith(self, node):
        return self.arith(node[1], to_num(self.eval(node[2])), to_num(self.eval(node[3])))

    @staticmethod
    def arith(op: str, x: float, y: float) -> float:
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "/":
            if y == 0:    # 0/0 is the FPU's default NaN, negative on x86
                return math.copysign(math.inf, x) if x else NEG_NAN
            return x / y
        if op == "%":
            if y == 0:
                return NEG_NAN
            return math.fmod(x, y)
        try:
            return math.pow(x, y)
        except (OverflowError, ValueError):
            return math.inf

    def e_assign(self, node):
        op, target, value_node = node[1], node[2], node[3]
        value = self.eval(value_node)
        if op != "=":
            current = to_num(self.eval(target))
            value = self.arith(op[0], current, to_num(value))
        elif isinstance(value, StrNum) and value is not UNINIT:
            value = StrNum(value)
        return self.store(target, value)

    def e_preinc(self, node):
        value = to_num(self.eval(node[2])) + (1 if node[1] == "++" else -1)
        return self.store(node[2], value)

    def e_postinc(self, node):
        old = to_num(self.eval(node[2]))
        self.store(node[2], old + (1 if node[1] == "++" else -1))
        return old

    def e_call(self, node):
        name, args = node[1], node[2]
        if name not in self.prog["funcs"]:
            raise AwkError(f"function {name} never defined")
        params, body = self.prog["funcs"][name]
        frame: dict = {}
        for i, param in enumerate(params):
            if i < len(args):
                arg = args[i]
                if arg[0] == "var" and (arg[1] in self.arrays or (
                        self.frames and isinstance(self.frames[-1].get(arg[1]), dict))):
                    frame[param] = self.array(arg[1])
                else:
                    frame[param] = self.eval(arg)
            else:
                frame[param] = UNINIT
        self.frames.append(frame)
        try:
            self.execute(body)
        except _Return as ret:
            return ret.value
        finally:
            self.frames.pop()
        return UNINIT

    def e_cmdgetline(self, node):
        """`"cmd" | getline [var]`: the command runs once (until close(cmd)), its
        output read a record at a time (mawk leaves NR as it is, unlike POSIX)."""
        command = self.str_of(self.eval(node[1]))
        if command not in self.commands:
            self.flush()
            run = getattr(self.ctx.session, "run_line", None)
            if run is None:
                return -1.0
            term, _ = run(command)
            self.ctx.term.err(term.stream("stderr"))
            self.commands[command] = self.records(term.stream("stdout"))
        lines = self.commands[command]
        if not lines:
            return 0.0
        line = lines.pop(0)
        if node[2] is None:
            self.set_record(line)
        else:
            self.store(node[2], StrNum(line))
        return 1.0

    def e_getline(self, node):
        target, source = node[1], node[2]
        if source is None:
            line = self.next_record()
            if line is None:
                return 0.0
            self.vars["NR"] = to_num(self.vars["NR"]) + 1
            self.vars["FNR"] = to_num(self.vars["FNR"]) + 1
        else:
            name = self.str_of(self.eval(source))
            if name not in self.readers:
                try:
                    text = read_input(self.ctx, name)
                except OSError:
                    return -1.0
                self.readers[name] = self.records(text)
            lines = self.readers[name]
            if not lines:
                return 0.0
            line = lines.pop(0)
        if target is None:
            self.set_record(line)
        else:
            self.store(target, StrNum(line))
        return 1.0

    def e_builtin(self, node):
        name, args = node[1], node[2]
        ev = [None] * len(args)

        def arg(i):
            if ev[i] is None:
                ev[i] = self.eval(args[i])
            return ev[i]

        if name == "length":
            if not args:
                return float(_blen(self.fields[0] if self.nf == int(to_num(self.vars["NF"]))
                                   else self.get_field(0)))
            if args[0][0] == "var" and args[0][1] in self.arrays:
                return float(len(self.arrays[args[0][1]]))
            return float(_blen(self.str_of(arg(0))))
        if name == "substr":
            # mawk 1.3.4 20200120, as measured: positions truncate, and a start
            # before 1 lengthens the piece by as much (substr("hello", -1, 3) is "hell")
            # in bytes, as mawk counts: a UTF-8 character is cut where the bytes say
            text = _raw(self.str_of(arg(0)))
            start = _trunc(to_num(arg(1)))
            length = _trunc(to_num(arg(2))) if len(args) > 2 else len(text) + 1 - min(start, 1)
            if start < 1:
                length, start = length - start, 1
            return _unraw(text[start - 1:start - 1 + length]) if length > 0 else ""
        if name == "index":
            return float(_raw(self.str_of(arg(0))).find(_raw(self.str_of(arg(1)))) + 1)
        if name == "split":
            text = self.str_of(arg(0))
            if len(args) > 2:
                sep = args[2]
                parts = self.regex(sep[1]).split(text) if sep[0] == "regex" and text else \
                    self.split(text, self.eval(sep))
            else:
                parts = self.split(text, self.vars["FS"])
            arr = self.array(args[1][1])
            arr.clear()
            for i, part in enumerate(parts, 1):
                arr[str(i)] = StrNum(part)
            return float(len(parts))
        if name in ("sub", "gsub"):
            regex = self.regex_of(args[0])
            repl = _b(self.str_of(arg(1)))        # bytes, as the match is
            target = args[2] if len(args) > 2 else ("field", ("num", 0.0))
            text = self.str_of(self.eval(target))
            count = 0

            def replace(m):
                nonlocal count
                count += 1
                out, i = [], 0
                while i < len(repl):
                    c = repl[i]
                    if c == "\\" and repl[i + 1:i + 2] in ("&", "\\"):
                        out.append(repl[i + 1])
                        i += 2
                        continue
                    out.append(m.group(0) if c == "&" else c)
                    i += 1
                return "".join(out)

            result = regex.sub(replace, text, count=1 if name == "sub" else 0)
            if count:
                self.store(target, result)
            return float(count)
        if name == "match":
            m = self.regex_of(args[1]).search(self.str_of(arg(0)))     # bytes
            self.vars["RSTART"] = float(m.start() + 1) if m else 0.0
            self.vars["RLENGTH"] = float(len(m.group(0))) if m else -1.0
            return self.vars["RSTART"]
        if name == "sprintf":
            if not args:
                return ""
            return self.format(self.str_of(arg(0)), [self.eval(a) for a in args[1:]], "sprintf")
        # toupper()/tolower() of each byte in the C.UTF-8 locale: ASCII letters only
        if name == "tolower":
            return self.str_of(arg(0)).translate(_ASCII_LOWER)
        if name == "toupper":
            return self.str_of(arg(0)).translate(_ASCII_UPPER)
        if name == "int":
            value = to_num(arg(0))
            return float(math.trunc(value)) if math.isfinite(value) else value
        if name in ("sqrt", "exp", "log", "sin", "cos"):
            try:
                return getattr(math, name)(to_num(arg(0)))
            except ValueError:    # glibc's sqrt(-1), log(-1): the default NaN, "-nan"
                return NEG_NAN
            except OverflowError:
                return math.inf
        if name == "atan2":
            return math.atan2(to_num(arg(0)), to_num(arg(1)))
        if name == "rand":
            return 0.0
        if name == "srand":
            return 0.0
        if name == "close":
            key = self.str_of(arg(0))
            if any(cmd == key for cmd, _ in self.pending):
                # file_close(): the output pipe's command gets its end of input and
                # mawk waits for it, so its output comes here (on a terminal after
                # what awk printed, line-buffered, before it)
                if getattr(self.ctx.session, "stdout_tty", False):
                    self.flush()
                self.run_pipes(key)
            self.readers.pop(key, None)
            self.commands.pop(key, None)
            self.files.pop(key, None)
            return 0.0
        if name == "fflush":
            return 0.0
        if name == "system":
            return self.system(self.str_of(arg(0)))
        if name in ("systime", "mktime", "strftime"):
            return self.time_function(name, [self.eval(a) for a in args])
        raise AwkError(f"function {name} never defined")

    def time_function(self, name: str, values: list):
        """mawk 1.3.4 20200120's bi_systime(), bi_mktime() and bi_strftime() on the
        host's clock, local time being UTC as the recordings ran (TZ=UTC)."""
        import calendar
        import time
        if name == "systime":
            return float(int(self.ctx.host.clock.wall))
        if name == "mktime":
            # sscanf("%d %d %d %d %d %d %d"): fewer than six numbers is -1; the
            # fields are normalised as mktime() does (month 13, day 0...)
            nums = []
            for word in self.str_of(values[0]).split():
                m = re.match(r"[-+]?\d+", word)
                if m is None:
                    break
                nums.append(int(m.group(0)))
                if m.end() != len(word) or len(nums) == 7:
                    break
            if len(nums) < 6:
                return -1.0
            y, mo, d, h, mi, sec = nums[:6]
            y += (mo - 1) // 12
            mo = (mo - 1) % 12 + 1
            days = calendar.timegm((y, mo, 1, 0, 0, 0, 0, 0, 0)) // 86400 + d - 1
            return float(days * 86400 + h * 3600 + mi * 60 + sec)
        # strftime([format [, timestamp [, utc]]]): "%c" and time(0) by default, the
        # result in a 128-byte buffer (strftime() gives 0, an empty string, past it)
        # (an empty format is "%c" too); %Z is the zone's name, UTC
        fmt = (self.str_of(values[0]) if values else "") or "%c"
        fmt = re.sub(r"%(.)", lambda m: "UTC" if m.group(1) == "Z" else m.group(0), fmt)
        stamp = int(to_num(values[1])) if len(values) > 1 else int(self.ctx.host.clock.wall)
        try:
            text = time.strftime(fmt, time.gmtime(stamp))
        except (ValueError, OverflowError):
            text = ""
        return text if len(text.encode()) < 128 else ""

    def system(self, command: str) -> float:
        """system(): the command line run by the shell; its output joins awk's."""
        self.flush()
        session = self.ctx.session
        run = getattr(session, "run_line", None)
        if run is None:
            return 127.0
        term, status = run(command)
        for stream, text in term.chunks:
            self.ctx.term.write(stream, text)
        return float(status)

    # -------------------------------------------------------------- printf
    def format(self, fmt: str, values: list, who: str) -> str:
        out = []
        i = 0
        k = 0
        spec_re = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])")
        while i < len(fmt):
            j = fmt.find("%", i)
            if j < 0:
                out.append(fmt[i:])
                break
            out.append(fmt[i:j])
            m = spec_re.match(fmt, j)
            if not m:
                out.append(fmt[j:])
                break
            flags, width, precision, conv = m.groups()
            i = m.end()
            if conv == "%":
                out.append("%")
                continue

            def take():
                nonlocal k
                if k >= len(values):
                    self.partial = "".join(out)
                    raise AwkError(f"run time error: not enough arguments passed to "
                                   f"{who}(\"{fmt}\")")
                k += 1
                return values[k - 1]

            if width == "*":
                width = str(int(to_num(take())))
            if precision == "*":
                precision = str(int(to_num(take())))
            spec = "%" + flags + (width or "") + ("." + precision if precision is not None else "")
            value = take()
            if conv == "c":
                if isinstance(value, float):
                    text = chr(d_to_int(value) & 0xFF) if d_to_int(value) else ""
                else:
                    text = _unraw(_raw(value)[:1])      # its first byte
                out.append(_c_s(spec, text))
            elif conv in "di":
                out.append(c_integer(flags, width, precision, "d", d_to_int(to_num(value))))
            elif conv in "ouxX":
                # printf(3)'s conversions (`%#x` of 0 is 0, `%#o` 0, `%.0d` of 0 nothing)
                out.append(c_integer(flags, width, precision, conv, d_to_uint(to_num(value))))
            elif conv in "eEfFgG":
                out.append(c_float(spec + conv, to_num(value)))
            elif conv == "s":
                out.append(_c_s(spec, self.str_of(value)))
            else:
                raise AwkError(f"run time error: bad conversion character in {who}(\"{fmt}\")")
        return "".join(out)

    # ----------------------------------------------------------- statements
    def turn(self) -> None:
        """One more turn of a loop. mawk spins on the CPU in `while (1)` until it is
        killed; a program runs at one instant of virtual time here, so after
        TURN_LIMIT turns it ends as SIGINT would end it (130), with a note."""
        self.turns += 1
        if self.turns >= TURN_LIMIT:
            raise CommandError(f"ipemu: awk: loops ran {self.turns:,} times without time "
                               "passing: interrupted (--timeout)\n", 130)

    def execute(self, node) -> None:
        kind = node[0]
        if kind == "block":
            for stmt in node[1]:
                self.execute(stmt)
        elif kind == "expr":
            self.eval(node[1])
        elif kind in ("print", "printf"):
            self.do_print(node)
        elif kind == "if":
            if self.truth(self.eval(node[1])):
                self.execute(node[2])
            elif node[3] is not None:
                self.execute(node[3])
        elif kind == "while":
            while self.truth(self.eval(node[1])):
                self.turn()
                try:
                    self.execute(node[2])
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "do":
            while True:
                self.turn()
                try:
                    self.execute(node[1])
                except _Break:
                    break
                except _Continue:
                    pass
                if not self.truth(self.eval(node[2])):
                    break
        elif kind == "for":
            if node[1] is not None:
                self.execute(node[1])
            while node[2] is None or self.truth(self.eval(node[2])):
                self.turn()
                try:
                    self.execute(node[4])
                except _Break:
                    break
                except _Continue:
                    pass
                if node[3] is not None:
                    self.execute(node[3])
        elif kind == "forin":
            arr = self.array(node[2])
            for key in list(arr):
                if key not in arr:
                    continue
                self.store(("var", node[1]), StrNum(key))
                try:
                    self.execute(node[3])
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "next":
            raise _Next()
        elif kind == "nextfile":
            raise _Next()
        elif kind == "break":
            raise _Break()
        elif kind == "continue":
            raise _Continue()
        elif kind == "exit":
            if node[1] is not None:
                self.exit_status = int(to_num(self.eval(node[1])))
            raise _Exit(self.exit_status)
        elif kind == "return":
            raise _Return(UNINIT if node[1] is None else self.eval(node[1]))
        elif kind == "delete":
            arr = self.array(node[1])
            if node[2] is None:
                arr.clear()
            else:
                arr.pop(self.subscript(node[2]), None)

    def do_print(self, node) -> None:
        kind, args, dest = node
        if kind == "print":
            if not args:
                text = self.get_field(0)
            else:
                text = self.str_of(self.vars["OFS"]).join(self.out_str(self.eval(a)) for a in args)
            text += self.str_of(self.vars["ORS"])
        else:
            if not args:
                raise AwkError("syntax error")
            values = [self.eval(a) for a in args]
            try:
                text = self.format(self.str_of(values[0]), values[1:], "printf")
            except AwkError:
                # mawk has written what came before the bad conversion
                self.out.append(getattr(self, "partial", ""))
                raise
        if dest is None:
            self.out.append(text)
            return
        mode, target = dest
        name = self.str_of(self.eval(target))
        if mode == "|":
            self.pending.append((name, text))
            return
        self.flush()
        try:
            if name in ("/dev/stdout", "-"):
                self.ctx.term.out(text)
            elif name == "/dev/stderr":
                self.ctx.term.err(text)
            else:
                append = mode == ">>" or name in self.files
                self.ctx.session.write_file(name, text.encode(), append=append)
                self.files[name] = True
        except OSError:
            raise AwkError(f"cannot open \"{name}\" for output")

    # ---------------------------------------------------------------- input
    def records(self, text: str) -> list[str]:
        rs = self.str_of(self.vars["RS"])
        if rs == "\n":
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            return lines
        if rs == "":
            return [p.strip("\n") for p in re.split(r"\n\n+", text.strip("\n")) if p]
        parts = text.split(rs[0]) if len(rs) == 1 else self.regex(rs).split(text)
        if parts and parts[-1] in ("", "\n"):
            parts.pop()
        return parts

    def next_record(self) -> str | None:
        while True:
            if self.current is not None and self.current:
                return self.current.pop(0)
            if not self.open_next():
                return None

    def open_next(self) -> bool:
        """The next operand: a var=value assignment is done as it is reached."""
        while self.inputs:
            name = self.inputs.pop(0)
            m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", name, re.S)
            if m:
                self.assign_var(m.group(1), StrNum(_unescape(m.group(2))))
                if not self.inputs and not self.used_file:
                    self.inputs.append("-")
                    self.used_file = True
                continue
            self.used_file = True
            try:
                text = read_input(self.ctx, name)
            except OSError as err:
                self.flush()
                self.ctx.term.err(f"awk: cannot open {name} ({err.strerror})\n")
                self.exit_status = 2
                raise _Exit(2)
            self.vars["FILENAME"] = "" if name == "-" else name
            self.vars["FNR"] = 0.0
            self.current = self.records(text)
            return True
        return False

    def flush(self) -> None:
        if self.out:
            self.ctx.term.out("".join(self.out))
            self.out = []

    def flush_lines(self) -> None:
        """A terminal's line buffering: whole lines reach it before an error."""
        text = "".join(self.out)
        cut = text.rfind("\n") + 1
        if cut:
            self.ctx.term.out(text[:cut])
        self.out = [text[cut:]] if text[cut:] else []

    def run(self, operands: list[str]) -> int:
        self.inputs = [a for a in operands if a != ""] or []
        self.used_file = any(not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", a, re.S)
                             for a in self.inputs)
        if not self.used_file:
            self.inputs.append("-")
        self.current = None
        prog = self.prog
        status = 0
        try:
            try:
                for block in prog["begin"]:
                    self.execute(block)
                if prog["rules"] or prog["end"]:
                    self.main_loop()
            except _Exit as ex:
                status = ex.status
            try:
                for block in prog["end"]:
                    self.execute(block)
            except _Exit as ex:
                status = ex.status
        except AwkError as err:
            self.flush_lines()
            nr = num_to_str(to_num(self.vars["NR"]), "%.6g")
            fnr = num_to_str(to_num(self.vars["FNR"]), "%.6g")
            self.ctx.term.err(f"awk: {err}\n\tFILENAME=\"{self.vars['FILENAME']}\" "
                              f"FNR={fnr} NR={nr}\n")
            self.flush()
            return 2
        self.flush()
        self.run_pipes()
        return status

    def run_pipes(self, only: str | None = None) -> None:
        """`print | "cmd"`: what was written is the command's standard input; the
        command line runs in /bin/sh -c (mawk's get_pipe()), at close() or at the
        end (`only`: the one close() names)."""
        commands: dict[str, list[str]] = {}
        kept = []
        for name, text in self.pending:
            if only is None or name == only:
                commands.setdefault(name, []).append(text)
            else:
                kept.append((name, text))
        self.pending = kept
        session = self.ctx.session
        for name, texts in commands.items():
            session._dispatch(["sh", "-c", name], self.ctx.term, "".join(texts))

    def main_loop(self) -> None:
        rules = self.prog["rules"]
        while True:
            line = self.next_record()
            if line is None:
                return
            self.vars["NR"] = to_num(self.vars["NR"]) + 1
            self.vars["FNR"] = to_num(self.vars["FNR"]) + 1
            self.set_record(line)
            try:
                for index, (pattern, pattern2, action) in enumerate(rules):
                    if not self.matches(index, pattern, pattern2):
                        continue
                    if action is None:
                        self.out.append(self.get_field(0) + self.str_of(self.vars["ORS"]))
                    else:
                        self.execute(action)
            except _Next:
                continue

    def matches(self, index: int, pattern, pattern2) -> bool:
        if pattern is None:
            return True
        if pattern2 is None:
            return self.truth(self.eval(pattern))
        if self.range_active.get(index):
            if self.truth(self.eval(pattern2)):
                self.range_active[index] = False
            return True
        if self.truth(self.eval(pattern)):
            self.range_active[index] = not self.truth(self.eval(pattern2))
            return True
        return False


def _trunc(value: float) -> int:
    if not math.isfinite(value):
        return 0 if math.isnan(value) else (1 << 62 if value > 0 else -(1 << 62))
    return int(value)


def _unescape(text: str) -> str:
    """-v and operand assignments take escape sequences as string constants do."""
    simple = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "/": "/", "a": "\a",
              "b": "\b", "f": "\f", "v": "\v"}
    return re.sub(r"\\(.)", lambda m: simple.get(m.group(1), "\\" + m.group(1)), text)


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    fs: str | None = None
    assigns: list[str] = []
    sources: list[str] = []
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        letter, value = arg[1], arg[2:]
        if letter in "Fvf" and not value:
            if not args:
                raise CommandError(f"awk: option requires an argument -- {letter}\n" + USAGE, 2)
            value = args.pop(0)
        if letter == "F":
            fs = "\t" if value == "t" else _unescape(value)
        elif letter == "v":
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", value, re.S):
                raise CommandError(f"awk: improper assignment: -v {value}\n", 2)
            assigns.append(value)
        elif letter == "f":
            try:
                sources.append(read_input(ctx, value))
            except OSError as err:
                raise CommandError(f"awk: cannot open {value} ({err.strerror})\n", 2)
        elif letter == "W":
            if not value and args:
                value = args.pop(0)
            if value.startswith("v"):
                # mawk's print_version(): the banner on stdout, the build on stderr
                ctx.term.out(VERSION_BANNER)
                fflush = getattr(ctx.term.sink, "fflush", None)
                if fflush is not None:
                    fflush()        # print_version() flushes stdout before stderr
                ctx.term.err(VERSION_BUILD)
                return 0
            if value.startswith(("h", "u")):
                ctx.term.out(USAGE)
                return 0
        else:
            raise CommandError(f"awk: not an option: {arg}\n", 2)
    if not sources:
        if not args:
            ctx.term.out(USAGE)       # mawk's usage() with no program: stdout, status 0
            return 0
        sources.append(args.pop(0))
    text = "\n".join(sources)
    try:
        prog = Parser(lex(text)).program()
    except AwkError as err:
        raise CommandError(f"awk: {err}\n", 2)
    missing = _undefined_calls(prog)
    if missing:
        # mawk resolves calls once the whole program is read: each function never
        # defined, at the line after the last (the latest first), and status 2
        line = text.count("\n") + 2
        raise CommandError("".join(f"awk: line {line}: function {name} never defined\n"
                                   for name in reversed(missing)), 2)
    interp = Interp(ctx, prog)
    if fs is not None:
        interp.vars["FS"] = fs
    for assign in assigns:
        name, _, value = assign.partition("=")
        interp.vars[name] = StrNum(_unescape(value))
    interp.arrays["ARGV"] = {str(i): StrNum(a) for i, a in enumerate(["awk"] + args)}
    interp.vars["ARGC"] = float(len(args) + 1)
    # the environment the shell passed (its exported variables), as mawk's
    # load_environ() reads environ[]
    from ipemu.tools.xargs import environment
    env = environment(ctx, "/usr/bin/awk")
    interp.arrays["ENVIRON"] = {k: StrNum(v) for k, v in env.items()}
    return interp.run(args)
