"""Shell arithmetic, as bash's expr.c evaluates it: 64-bit integers, C's operators
and precedence, variables read as expressions themselves, assignments."""
from __future__ import annotations

import re
from collections.abc import Callable

# readtok(): a number runs over letters, digits, `#`, `@` and `_` (strlong() judges it)
TOKEN = re.compile(r"\s*(?:([0-9][0-9A-Za-z#@_]*)"
                   r"|([A-Za-z_][A-Za-z0-9_]*)"
                   r"|(\*\*=|<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|]=|"
                   r"[-+*/%<>=!~&^|?:,()]))")
ASSIGN_OPS = {"=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=", "**="}
BINARY = [("||",), ("&&",), ("|",), ("^",), ("&",), ("==", "!="), ("<", ">", "<=", ">="),
          ("<<", ">>"), ("+", "-"), ("*", "/", "%")]


class ArithError(Exception):
    """bash's message after `bash: EXPR: `."""

    def __init__(self, expr: str, message: str):
        super().__init__(f"{expr}: {message}")
        self.expr = expr
        self.message = message


def _wrap(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


class Evaluator:
    def __init__(self, text: str, get: Callable[[str], str], set_: Callable[[str, str], None],
                 depth: int = 0):
        self.text = text
        self.get = get
        self.set = set_
        self.depth = depth
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        stripped = text.rstrip()
        while pos < len(stripped):
            m = TOKEN.match(stripped, pos)
            if not m or m.end() == pos:
                # readtok() meets a character it has no token for: where an operand
                # is due the parser says so, elsewhere it is an invalid operator
                start = len(text) - len(text[pos:].lstrip())
                self.tokens.append(("bad", text[start:start + 1], start))
                break
            kind = "num" if m.group(1) else "name" if m.group(2) else "op"
            value = m.group(m.lastindex)
            if kind == "name" and stripped.startswith("[", m.end()):
                # expr_streval()'s array reference: NAME[SUBSCRIPT] is one operand
                # (an assignment's target too); the subscript runs to its `]`
                close = _subscript_end(stripped, m.end())
                if close < 0:
                    raise ArithError(text.lstrip(), "bad array subscript "
                                     f'(error token is "{text[m.start(2):].lstrip()}")')
                value = stripped[m.start(2):close + 1]
                pos = close + 1
            elif value in ("++", "--") and not (self.tokens and self.tokens[-1][0] == "name") \
                    and not re.match(r"\s*[A-Za-z_]", stripped[m.end():]):
                # readtok(): ++/-- neither after a variable nor before one is a
                # sign and another (`1 ++ 2` is 3, recorded)
                value = value[0]
                pos = m.start(m.lastindex) + 1
            else:
                pos = m.end()
            self.tokens.append((kind, value, m.start(m.lastindex)))
        self.i = 0
        self.skip = 0       # inside the branch && || ?: do not take: no side effects

    # ------------------------------------------------------------------ helpers
    def _peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def _error_token(self) -> str:
        if self.i >= len(self.tokens):     # at the end: bash shows the last token
            return self.text[self.tokens[-1][2]:] if self.tokens else ""
        return self.text[self.tokens[self.i][2]:]

    def _fail(self, message: str) -> ArithError:
        return ArithError(self.text.lstrip(),
                          f'{message} (error token is "{self._error_token()}")')

    def evaluate(self) -> int:
        if not self.tokens:
            return 0
        value = self._comma()
        if self.i < len(self.tokens):
            if self.tokens[self.i][0] == "bad":
                raise self._fail("syntax error: invalid arithmetic operator")
            raise self._fail("syntax error in expression")
        return value

    def _var(self, name: str) -> int:
        raw = self.get(name)
        if raw is None or raw.strip() == "":
            return 0
        if self.depth > 1024:
            raise ArithError(name, "expression recursion level exceeded")
        return Evaluator(raw, self.get, self.set, self.depth + 1).evaluate()

    def _assign(self, name: str, value: int) -> int:
        if not self.skip:
            self.set(name, str(value))
        return value

    # ------------------------------------------------------------------ grammar
    def _comma(self) -> int:
        value = self._assignment()
        while self._peek() == ",":
            self.i += 1
            value = self._assignment()
        return value

    def _assignment(self) -> int:
        if self.i + 1 < len(self.tokens) and self.tokens[self.i][0] == "name" and \
                self.tokens[self.i + 1][1] in ASSIGN_OPS:
            name = self.tokens[self.i][1]
            op = self.tokens[self.i + 1][1]
            self.i += 2
            rhs = self._assignment()
            if op != "=":
                rhs = self._binary(op[:-1], self._var(name), rhs)
            return self._assign(name, rhs)
        value = self._ternary()
        if self._peek() in ASSIGN_OPS:
            # expassign(): `=` after anything but a variable
            raise self._fail("attempted assignment to non-variable")
        return value

    def _ternary(self) -> int:
        cond = self._level(0)
        if self._peek() != "?":
            return cond
        self.i += 1
        if not cond:
            self.skip += 1
        yes = self._assignment()
        if not cond:
            self.skip -= 1
        if self._peek() != ":":
            raise self._fail("`:' expected for conditional expression")
        self.i += 1
        if cond:
            self.skip += 1
        no = self._assignment()
        if cond:
            self.skip -= 1
        return yes if cond else no

    def _level(self, n: int) -> int:
        if n == len(BINARY):
            return self._power()
        left = self._level(n + 1)
        while self._peek() in BINARY[n]:
            op = self._peek()
            self.i += 1
            if op == "&&":
                if not left:
                    self.skip += 1
                right = self._level(n + 1)
                if not left:
                    self.skip -= 1
                left = int(bool(left) and bool(right))
            elif op == "||":
                if left:
                    self.skip += 1
                right = self._level(n + 1)
                if left:
                    self.skip -= 1
                left = int(bool(left) or bool(right))
            else:
                left = self._binary(op, left, self._level(n + 1))
        return left

    def _binary(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%"):
            if b == 0:
                if self.skip:
                    return 0
                self.i -= 1
                raise self._fail("division by 0")
            q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
            return _wrap(q if op == "/" else a - q * b)
        if op == "**":
            if b < 0:
                raise self._fail("exponent less than 0")
            return _wrap(pow(a, b, 1 << 64))
        result = {
            "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
            "<<": lambda: a << (b & 63), ">>": lambda: a >> (b & 63),
            "&": lambda: a & b, "|": lambda: a | b, "^": lambda: a ^ b,
            "<": lambda: int(a < b), ">": lambda: int(a > b), "<=": lambda: int(a <= b),
            ">=": lambda: int(a >= b), "==": lambda: int(a == b), "!=": lambda: int(a != b),
        }[op]()
        return _wrap(result)

    def _power(self) -> int:
        base = self._unary()
        if self._peek() == "**":
            self.i += 1
            return self._binary("**", base, self._power())
        return base

    def _unary(self) -> int:
        op = self._peek()
        if op in ("!", "~", "-", "+") and self.tokens[self.i][0] == "op":
            self.i += 1
            value = self._unary()
            return {"!": int(not value), "~": ~value, "-": _wrap(-value), "+": value}[op]
        if op in ("++", "--"):
            self.i += 1
            if self.i >= len(self.tokens) or self.tokens[self.i][0] != "name":
                raise self._fail("syntax error: operand expected")
            name = self.tokens[self.i][1]
            self.i += 1
            return self._assign(name, self._var(name) + (1 if op == "++" else -1))
        return self._postfix()

    def _postfix(self) -> int:
        if self.i >= len(self.tokens):
            last = self.tokens[-1] if self.tokens else None
            shown = self.text[last[2]:] if last is not None and last[0] == "op" else ""
            raise ArithError(self.text.lstrip(), "syntax error: operand expected "
                             f'(error token is "{shown}")')
        kind, value, start = self.tokens[self.i]
        if kind == "num":
            self.i += 1
            return _number(value, self, start + len(value))
        if kind == "name":
            self.i += 1
            current = self._var(value)
            if self._peek() in ("++", "--"):
                op = self._peek()
                self.i += 1
                self._assign(value, current + (1 if op == "++" else -1))
            return current
        if value == "(":
            self.i += 1
            inner = self._comma()
            if self._peek() != ")":
                raise self._fail("missing `)'")
            self.i += 1
            return inner
        raise self._fail("syntax error: operand expected")


def _subscript_end(text: str, start: int) -> int:
    """The `]` that closes the `[` at `start` (nested ones counted); -1 if none."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _number(text: str, ev: Evaluator, end: int | None = None) -> int:
    """expr.c strlong(): 0N octal, 0xN hex, BASE#N with BASE 2 to 64 (digits, then
    a-z, A-Z, @, _; letters of either case alike up to base 36)."""
    def fail(message: str) -> ArithError:
        # readtok() ends the expression at the number while strlong() reads it:
        # evalerror() shows the expression up to there (`1 + 08`, recorded)
        shown = ev.text[:end] if end is not None else ev.text
        return ArithError(shown.strip(), f'{message} (error token is "{text}")')
    s = text
    base, found = 10, False
    if s.startswith("0"):
        s = s[1:]
        if not s:
            return 0
        if s[0] in "xX":
            base, s = 16, s[1:]
        else:
            base = 8
        found = True
    val = 0
    for i, c in enumerate(s):
        if c == "#":
            if found:
                raise fail("invalid number")
            if not 2 <= val <= 64:
                raise fail("invalid arithmetic base")
            base, val, found = val, 0, True
            if i + 1 >= len(s) or not (s[i + 1].isalnum() or s[i + 1] in "@_"):
                raise fail("invalid integer constant")
            continue
        if c.isdigit():
            digit = ord(c) - 48
        elif "a" <= c <= "z":
            digit = ord(c) - ord("a") + 10
        elif "A" <= c <= "Z":
            digit = ord(c) - ord("A") + (10 if base <= 36 else 36)
        elif c == "@":
            digit = 62
        elif c == "_":
            digit = 63
        else:
            break
        if digit >= base:
            raise fail("value too great for base")
        val = val * base + digit
    return _wrap(val)


def evaluate(text: str, get: Callable[[str], str | None],
             set_: Callable[[str, str], None]) -> int:
    """The value of an arithmetic expression (ArithError with bash's message)."""
    return Evaluator(text, get, set_).evaluate()
