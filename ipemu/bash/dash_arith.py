"""dash 0.5.12's $(( )) (src/arith.c, arith_yylex.c): C's operators without ++/--/**,
evaluated while they are read, and its own errors: `arithmetic expression: MSG:
"EXPR"` with MSG one of expecting primary / EOF / ')' / ':' and division by zero
(an empty expression is `expecting primary`, "08" is 0 then 8: `expecting EOF`)."""
from __future__ import annotations

import re
from typing import Callable

TOKEN = re.compile(r"\s*(?:(?P<num>\d[0-9A-Za-z]*)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|"
                   r"(?P<op><<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|]=|[-+*/%<>&^|!~()?:=])"
                   r"|(?P<bad>\S))")
BINARY = {"*": 0, "/": 0, "%": 0, "+": 1, "-": 1, "<<": 2, ">>": 2, "<": 3, "<=": 3,
          ">": 3, ">=": 3, "==": 4, "!=": 4, "&": 5, "^": 6, "|": 7}
MASK = (1 << 64) - 1


class DashArithError(Exception):
    pass


def _wrap(value: int) -> int:
    value &= MASK
    return value - (1 << 64) if value >> 63 else value


def _number(text: str) -> tuple[int, str]:
    """strtoimax(text, &end, 0): the number it reads and what is left."""
    m = re.match(r"0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*", text)
    digits = m.group(0)
    if digits[:2].lower() == "0x":
        value = int(digits, 16)
    elif digits.startswith("0"):
        value = int(digits, 8) if len(digits) > 1 else 0
    else:
        value = int(digits)
    return _wrap(value), text[len(digits):]


def _tokens(source: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    rest = source
    while rest.strip():
        m = TOKEN.match(rest)
        if m.group("num"):
            value, tail = _number(rest.lstrip())
            out.append(("num", value))
            rest = tail
            continue
        if m.group("name"):
            out.append(("name", m.group("name")))
        elif m.group("op"):
            out.append((m.group("op"), None))
        else:
            out.append(("bad", m.group("bad")))
        rest = rest[m.end():]
    out.append(("eof", None))
    return out


class _Parser:
    def __init__(self, source: str, get: Callable[[str], int],
                 put: Callable[[str, int], None]):
        self.source = source
        self.toks = _tokens(source)
        self.i = 0
        self.get = get
        self.put = put

    def fail(self, message: str):
        raise DashArithError(f'arithmetic expression: {message}: "{self.source}"')

    @property
    def tok(self) -> str:
        return self.toks[self.i][0]

    def next(self):
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def assignment(self, noeval: bool) -> int:
        kind, value = self.toks[self.i]
        after = self.toks[self.i + 1][0] if self.i + 1 < len(self.toks) else "eof"
        if kind == "name" and (after == "=" or (after.endswith("=") and after not in
                                                ("==", "!=", "<=", ">="))):
            self.i += 2
            result = self.assignment(noeval)
            if noeval:
                return result
            if after != "=":
                result = self.binop(after[:-1], self.get(value), result)
            self.put(value, result)
            return result
        return self.cond(noeval)

    def cond(self, noeval: bool) -> int:
        a = self.logical_or(noeval)
        if self.tok != "?":
            return a
        self.next()
        b = self.assignment(noeval or not a)
        if self.tok != ":":
            self.fail("expecting ':'")
        self.next()
        c = self.cond(noeval or bool(a))
        return b if a else c

    def logical_or(self, noeval: bool) -> int:
        a = self.logical_and(noeval)
        while self.tok == "||":
            self.next()
            b = self.logical_and(noeval or bool(a))
            a = int(bool(a) or bool(b))
        return a

    def logical_and(self, noeval: bool) -> int:
        a = self.binary(7, noeval)
        while self.tok == "&&":
            self.next()
            b = self.binary(7, noeval or not a)
            a = int(bool(a) and bool(b))
        return a

    def binary(self, level: int, noeval: bool) -> int:
        a = self.primary(noeval) if level < 0 else self.binary(level - 1, noeval)
        while BINARY.get(self.tok) == level and level >= 0:
            op = self.next()[0]
            b = self.binary(level - 1, noeval)
            if not noeval:
                a = self.binop(op, a, b)
        return a

    def binop(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%"):
            if b == 0:
                self.fail("division by zero")
            quotient = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
            return _wrap(quotient) if op == "/" else _wrap(a - quotient * b)
        return _wrap({"*": lambda: a * b, "+": lambda: a + b, "-": lambda: a - b,
                      "<<": lambda: a << (b & 63), ">>": lambda: a >> (b & 63),
                      "<": lambda: int(a < b), "<=": lambda: int(a <= b),
                      ">": lambda: int(a > b), ">=": lambda: int(a >= b),
                      "==": lambda: int(a == b), "!=": lambda: int(a != b),
                      "&": lambda: a & b, "^": lambda: a ^ b, "|": lambda: a | b}[op]())

    def primary(self, noeval: bool) -> int:
        kind, value = self.next()
        if kind == "(":
            result = self.assignment(noeval)
            if self.tok != ")":
                self.fail("expecting ')'")
            self.next()
            return result
        if kind == "num":
            return value
        if kind == "name":
            return 0 if noeval else self.get(value)
        if kind == "+":
            return self.primary(noeval)
        if kind == "-":
            return _wrap(-self.primary(noeval))
        if kind == "!":
            return int(not self.primary(noeval))
        if kind == "~":
            return _wrap(~self.primary(noeval))
        self.fail("expecting primary")


def evaluate(source: str, get: Callable[[str], int], put: Callable[[str, int], None]) -> int:
    """arith(): the value of SOURCE; DashArithError with dash's message."""
    parser = _Parser(source, get, put)
    result = parser.assignment(False)
    if parser.tok != "eof":
        parser.fail("expecting EOF")
    return result
