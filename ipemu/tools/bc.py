"""GNU bc 1.07.1: arbitrary-precision arithmetic, ported in bc's own shape. The parser
emits bc.y's code strings (`K12:`, `l5:`, `Z1:` ...), load.c's load_code() turns them
into the byte program whose addresses the runtime errors quote (`adr=N`), and an
executor follows execute.c over number.c's bc_num rules (a sign, digits, a scale;
results truncated, never rounded). Each input line at the top level runs when it
ends (bc.y: `semicolon_list ENDOFLINE { run_code (); }`); `quit` exits when parsed."""
from __future__ import annotations

import sys

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input

BC_SCALE_MAX = 2147483647
BC_BASE_MAX = 2147483647
BC_DIM_MAX = 16777215
REF_STR = "0123456789ABCDEF"
MAX_TURNS = 2000000


class Num:
    """number.c's bc_num: sign, magnitude in units of 10^-scale, scale."""
    __slots__ = ("neg", "mag", "scale")

    def __init__(self, neg: bool, mag: int, scale: int) -> None:
        self.neg, self.mag, self.scale = neg, mag, scale

    @property
    def length(self) -> int:            # n_len: integer digits, at least 1
        return max(1, len(str(self.mag // 10 ** self.scale)))

    def is_zero(self) -> bool:
        return self.mag == 0

    def signed(self) -> int:
        return -self.mag if self.neg else self.mag


def _num(value: int, scale: int) -> Num:
    """A result with bc's canonical sign: zero is never negative (bc_add, bc_multiply)."""
    return Num(value < 0, abs(value), scale)


ZERO = Num(False, 0, 0)
ONE = Num(False, 1, 0)


def _at(n: Num, scale: int) -> int:
    """n's signed value in units of 10^-scale, truncated toward zero."""
    if scale >= n.scale:
        return n.signed() * 10 ** (scale - n.scale)
    q = n.mag // 10 ** (n.scale - scale)
    return -q if n.neg else q


def _trunc(n: Num, scale: int) -> Num:
    """Set n_scale lower (digits dropped, the sign kept, as bc_raise does)."""
    if scale >= n.scale:
        return n
    return Num(n.neg, n.mag // 10 ** (n.scale - scale), scale)


def bc_add(a: Num, b: Num, scale_min: int = 0) -> Num:
    s = max(scale_min, a.scale, b.scale)
    return _num(_at(a, s) + _at(b, s), s)


def bc_sub(a: Num, b: Num, scale_min: int = 0) -> Num:
    s = max(scale_min, a.scale, b.scale)
    return _num(_at(a, s) - _at(b, s), s)


def bc_multiply(a: Num, b: Num, scale: int) -> Num:
    full = a.scale + b.scale
    prod = min(full, max(scale, a.scale, b.scale))
    mag = a.mag * b.mag // 10 ** (full - prod)
    return Num(a.neg != b.neg and mag != 0, mag, prod)


def bc_divide(a: Num, b: Num, scale: int) -> Num | None:
    if b.is_zero():
        return None
    # |a|/|b| * 10^scale truncated
    num = a.mag * 10 ** (scale + b.scale)
    den = b.mag * 10 ** a.scale
    mag = num // den
    return Num(a.neg != b.neg and mag != 0, mag, scale)


def bc_modulo(a: Num, b: Num, scale: int) -> Num:
    """bc_divmod(): a - (a/b at scale)*b, at max(a.scale, b.scale+scale)."""
    rscale = max(a.scale, b.scale + scale)
    q = bc_divide(a, b, scale)
    return bc_sub(a, bc_multiply(q, b, rscale), rscale)


def bc_compare(a: Num, b: Num) -> int:
    s = max(a.scale, b.scale)
    x, y = _at(a, s), _at(b, s)
    return (x > y) - (x < y)


def num2long(n: Num) -> int:
    """bc_num2long(): the integer part, 0 when it does not fit a long."""
    v = n.mag // 10 ** n.scale
    if v > 2 ** 63 - 1:
        return 0
    return -v if n.neg else v


def bc_raise(a: Num, b: Num, scale: int, warn) -> Num:
    if b.scale:
        warn("non-zero scale in exponent")
    e = num2long(b)
    if e == 0 and b.mag // 10 ** b.scale != 0:
        raise RuntimeErr("exponent too large in raise")
    if e == 0:
        return ONE
    if e < 0:
        rscale = scale
    else:
        rscale = min(a.scale * e, max(scale, a.scale))
    u = abs(e)
    exact = Num(a.neg and u % 2 == 1 and a.mag != 0, a.mag ** u, a.scale * u)
    if e < 0:
        r = bc_divide(ONE, exact, rscale)
        return r if r is not None else ZERO
    return _trunc(exact, rscale)


def bc_sqrt(n: Num, scale: int) -> Num | None:
    """bc_sqrt(): Newton's iteration with its growing working scale."""
    c = bc_compare(n, ZERO)
    if c < 0:
        return None
    if c == 0:
        return ZERO
    c = bc_compare(n, ONE)
    if c == 0:
        return ONE
    rscale = max(scale, n.scale)
    point5 = Num(False, 5, 1)
    if c < 0:
        guess, cscale = ONE, n.scale
    else:
        g1 = bc_multiply(Num(False, n.length, 0), point5, 0)
        g1 = Num(g1.neg, g1.mag // 10 ** g1.scale, 0)
        guess = bc_raise(Num(False, 10, 0), g1, 0, lambda m: None)
        cscale = 3
    while True:
        guess1 = guess
        guess = bc_divide(n, guess, cscale)
        guess = bc_add(guess, guess1, 0)
        guess = bc_multiply(guess, point5, cscale)
        diff = bc_sub(guess, guess1, cscale + 1)
        if _near_zero(diff, cscale):
            if cscale < rscale + 1:
                cscale = min(cscale * 3, rscale + 1)
            else:
                break
    return bc_divide(guess, ONE, rscale)


def _near_zero(n: Num, scale: int) -> bool:
    """bc_is_near_zero(): zero, or just 1 in the last place at SCALE."""
    if scale > n.scale:
        scale = n.scale
    # the integer digits and SCALE fraction digits, the rest ignored: 0 or 1
    return n.mag // 10 ** (n.scale - scale) <= 1


def int2num(v: int) -> Num:
    return _num(v, 0)


class RuntimeErr(Exception):
    pass


class Exit(Exception):
    pass


class Stop(Exception):
    """A runtime error already reported: execution ends (runtime_error = TRUE)."""


class SyntaxErr(Exception):
    pass


# ------------------------------------------------------------------ the scanner (scan.l)
KEYWORDS = {"define", "break", "quit", "length", "return", "for", "if", "while", "sqrt",
            "scale", "ibase", "obase", "auto", "else", "read", "random", "halt", "last",
            "void", "warranty", "continue", "print", "limits", "history"}
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Lexer:
    """Tokens as (kind, value): kind is a keyword, NAME, NUMBER, STRING, EOL, REL,
    ASSIGN, INCDEC, AND, OR, NOT, a punctuation character, or EOF. Errors from the
    scanner (illegal characters) are reported and skipped, as flex's rule does."""

    def __init__(self, text: str, bc: "BC") -> None:
        self.text, self.pos, self.bc = text, 0, bc

    def next(self) -> tuple[str, str]:
        t, p, n = self.text, self.pos, len(self.text)
        while p < n:
            c = t[p]
            if c in " \t":
                p += 1
            elif c == "\\" and t.startswith("\\\n", p):
                self.bc.line_no += 1
                p += 2
            elif c == "#" and not self.bc.std_only:
                e = t.find("\n", p)
                p = n if e < 0 else e
            elif t.startswith("/*", p):
                e = t.find("*/", p + 2)
                if e < 0:
                    self.bc.line_no += t.count("\n", p)
                    self.bc.stderr("EOF encountered in a comment.\n")
                    p = n
                else:
                    self.bc.line_no += t.count("\n", p, e)
                    p = e + 2
            else:
                break
        self.pos = p
        if p >= n:
            self.bc.line_no = 1        # open_new_file() at yywrap: line_no = 1
            return ("EOF", "")
        c = t[p]
        if c == "\n":
            self.bc.line_no += 1
            self.pos = p + 1
            return ("EOL", "\n")
        if "a" <= c <= "z":
            e = p
            while e < n and (t[e].islower() and t[e].isascii() or t[e].isdigit() and
                             t[e].isascii() or t[e] == "_"):
                e += 1
            word = t[p:e]
            self.pos = e
            if word in KEYWORDS:
                return (word, word)
            return ("NAME", word)
        if c in DIGITS or (c == "." and self._digit_after(p + 1)):
            return self._number(p)
        if c == ".":
            self.pos = p + 1
            return ("last", ".")
        if c == '"':
            e = t.find('"', p + 1)
            if e < 0:                 # no closing quote: flex's `.` rule takes the `"`
                self.pos = p + 1
                self._illegal(c)
                return self.next()
            s = t[p:e + 1]
            self.bc.line_no += s.count("\n")
            self.pos = e + 1
            return ("STRING", s)
        two = t[p:p + 2]
        if two in ("&&", "||"):
            self.pos = p + 2
            return ("AND" if two == "&&" else "OR", two)
        if two in ("==", "<=", ">=", "!="):
            self.pos = p + 2
            return ("REL", two)
        if two in ("++", "--"):
            self.pos = p + 2
            return ("INCDEC", c)
        if two in ("+=", "-=", "*=", "/=", "%=", "^="):
            self.pos = p + 2
            return ("ASSIGN", c)
        if two in ("=+", "=-", "=*", "=/", "=%", "=^"):
            self.pos = p + 1      # not OLD_EQ_OP: `=` then the operator (yyless(1))
            return ("ASSIGN", "=")
        if c == "=":
            self.pos = p + 1
            return ("ASSIGN", "=")
        if c in "<>":
            self.pos = p + 1
            return ("REL", c)
        if c == "!":
            self.pos = p + 1
            return ("NOT", c)
        if c == "#":                 # -s: no comments to the end of the line
            self.pos = p + 1
            self.bc.yyerror("illegal character: #")
            return self.next()
        if c in "+-;(){}[],^*/%&":
            self.pos = p + 1
            return (c, c)
        self.pos = p + 1
        self._illegal(c)
        return self.next()

    def _digit_after(self, p: int) -> bool:
        t = self.text
        while t.startswith("\\\n", p):
            p += 2
        return p < len(t) and t[p] in DIGITS

    def _illegal(self, c: str) -> None:
        o = ord(c)
        if o < 32:
            self.bc.yyerror(f"illegal character: ^{chr(o + 64)}")
        elif o > 126:
            for b in c.encode("utf-8", "surrogateescape"):
                self.bc.yyerror(f"illegal character: \\{b:03o}")
        else:
            self.bc.yyerror(f"illegal character: {c}")

    def _number(self, p: int) -> tuple[str, str]:
        t, n = self.text, len(self.text)
        out = []
        seen_dot = False
        while p < n:
            c = t[p]
            if c in DIGITS:
                out.append(c)
                p += 1
            elif c == "." and not seen_dot:
                seen_dot = True
                out.append(c)
                p += 1
            elif t.startswith("\\\n", p):
                self.bc.line_no += 1
                p += 2
            else:
                break
        self.pos = p
        s = "".join(out)
        if s.endswith("."):
            s = s[:-1]
        s = s.lstrip("0") or "0"      # scan.l: leading zeros removed
        return ("NUMBER", s)


# ------------------------------------------------------------------ the parser (bc.y)
STATEMENT_START = {"NAME", "NUMBER", "STRING", "(", "-", "NOT", "INCDEC", "{", "ibase",
                   "obase", "scale", "last", "length", "sqrt", "read", "random", "break",
                   "continue", "quit", "halt", "return", "for", "if", "while", "print",
                   "warranty", "limits", "history"}
EXPRESSION_START = {"NUMBER", "NAME", "(", "-", "NOT", "INCDEC", "ibase", "obase", "scale",
                    "last", "history", "length", "sqrt", "read", "random"}
LEVELS = {"OR": 1, "AND": 2, "REL": 4, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7, "^": 8}
EX_ASSGN, EX_REG, EX_COMP, EX_PAREN, EX_VOID, EX_EMPTY = 0, 1, 2, 4, 8, 16


class Parser:
    """bc.y's grammar by recursive descent with yacc's precedences, emitting the same
    code strings through BC.generate()."""

    def __init__(self, bc: "BC", lexer: Lexer) -> None:
        self.bc, self.lx = bc, lexer
        self._tok: tuple[str, str] | None = None
        self.errstatus = 0          # bison's yyerrstatus: shifts left before reporting
        self.recovering = False
        self.line_done = False
        self.after_semi = False     # the statement being parsed follows a `;`

    # tokens: read when the grammar needs one (bison reduces without a lookahead where
    # it can, so an error names the line before a newline is read)
    @property
    def tok(self) -> tuple[str, str]:
        if self._tok is None:
            self._tok = self.lx.next()
        return self._tok

    def advance(self) -> tuple[str, str]:
        t = self.tok
        self._tok = None
        if self.errstatus:
            self.errstatus -= 1
        return t

    def kind(self) -> str:
        return self.tok[0]

    def expect(self, kind: str) -> str:
        if self.tok[0] != kind:
            raise SyntaxErr()
        return self.advance()[1]

    def gen(self, code: str) -> None:
        self.bc.generate(code)

    # program
    def input_item(self) -> bool:
        """One `semicolon_list ENDOFLINE` or function, with bison's error recovery;
        False at the end of input (or when recovery meets it: YYABORT)."""
        bc = self.bc
        if self.kind() == "EOF":
            return False
        if self.kind() == "define":
            try:
                self.function()
                bc.run_code()
                return True
            except SyntaxErr:
                self.syntax_error()
                self.after_semi = False
        else:
            self.after_semi = False
        while True:
            if self.recovering and not self.recover():
                return False
            if self.line_done:
                self.line_done = False
                self.recovering = False
                bc.init_gen()
                return True
            try:
                self.semicolon_list()
                if self.kind() == "EOF":
                    if bc.did_gen or self.recovering:
                        raise SyntaxErr()
                    return False
                self.expect("EOL")
                bc.run_code()
                self.recovering = False
                return True
            except SyntaxErr:
                self.syntax_error()

    def syntax_error(self) -> None:
        """yyerrlab: report unless 3 tokens have not been shifted since the last error;
        then the offending token is dropped if none was (bison's yyerrstatus)."""
        if self.errstatus == 0:
            self.bc.yyerror("syntax error")
        else:
            self.bc.had_error = True
            if self.errstatus == 3 and self.kind() != "EOF":
                self._tok = None
        self.errstatus = 3
        self.recovering = True

    def recover(self) -> bool:
        """After `error` is shifted: at the start of a line (the `program` state) an
        ENDOFLINE ends the item (`error ENDOFLINE`); a token that starts a statement
        goes on as `error statement`; others are dropped. After a `;` only a
        statement may follow. False when the input ends first."""
        while True:
            k = self.kind()
            if k == "EOF":
                return False
            if k == "EOL" and not self.after_semi:
                self._tok = None
                self.line_done = True
                return True
            if k in STATEMENT_START:
                self.recovering = False
                return True
            self._tok = None

    def semicolon_list(self) -> None:
        while True:
            if self.kind() in ("EOL", "EOF"):
                return
            if self.kind() == ";":
                self.advance()
                self.after_semi = True
                continue
            self.statement()
            self.after_semi = False
            if self.kind() == ";":
                self.advance()
                self.after_semi = True
                continue
            if self.kind() in ("EOL", "EOF"):
                return
            raise SyntaxErr()

    def statement_list(self) -> None:
        """Statements separated by newlines and `;`, up to `}`."""
        while True:
            k = self.kind()
            if k in ("EOL", ";"):
                self.advance()
                continue
            if k in ("}", "EOF"):
                return
            self.statement()
            if self.kind() not in ("EOL", ";", "}"):
                raise SyntaxErr()

    def opt_newline(self) -> None:
        if self.kind() == "EOL":
            self.advance()
            self.bc.ct_warn("newline not allowed")

    def statement(self) -> None:
        bc = self.bc
        k = self.kind()
        if k == "warranty" or k == "limits":
            self.advance()
            if k == "limits":
                bc.limits()
            else:
                bc.warranty()
            return
        if k == "STRING":
            self.gen("w")
            self.gen(self.advance()[1])
            return
        if k == "break":
            self.advance()
            if bc.break_label == 0:
                bc.yyerror("Break outside a for/while")
            else:
                self.gen(f"J{bc.break_label}:")
            return
        if k == "continue":
            self.advance()
            bc.ct_warn("Continue statement")
            if bc.continue_label == 0:
                bc.yyerror("Continue outside a for")
            else:
                self.gen(f"J{bc.continue_label}:")
            return
        if k == "quit":
            self.advance()
            raise Exit(0)
        if k == "halt":
            self.advance()
            self.gen("h")
            return
        if k == "return":
            self.advance()
            if self.kind() not in EXPRESSION_START:   # bison's default reduction
                self.gen("0")
                if bc.cur_func == -1:
                    bc.yyerror("Return outside of a function.")
            else:
                flags = self.expression()
                if flags & EX_COMP:
                    bc.ct_warn("comparison in return expression")   # Debian's spelling
                if not flags & EX_PAREN:
                    bc.ct_warn("return expression requires parenthesis")
                if flags & EX_VOID:
                    bc.yyerror("return requires non-void expression")
                if bc.cur_func == -1:
                    bc.yyerror("Return outside of a function.")
                elif bc.functions[bc.cur_func].void:
                    bc.yyerror("Return expression in a void function.")
            self.gen("R")
            return
        if k == "for":
            self.for_statement()
            return
        if k == "if":
            self.advance()
            self.expect("(")
            flags = self.expression()
            self.expect(")")
            if flags & EX_VOID:
                bc.yyerror("void expression")
            saved = bc.if_label
            bc.if_label = bc.next_label
            bc.next_label += 1
            self.gen(f"Z{bc.if_label}:")
            self.opt_newline()
            self.statement()
            if self.kind() == "else":
                self.advance()
                bc.ct_warn("else clause in if statement")
                lab = bc.next_label
                bc.next_label += 1
                self.gen(f"J{lab}:N{bc.if_label}:")
                bc.if_label = lab
                self.opt_newline()
                self.statement()
            self.gen(f"N{bc.if_label}:")
            bc.if_label = saved
            return
        if k == "while":
            self.advance()
            saved_cont = bc.continue_label
            bc.continue_label = bc.next_label
            bc.next_label += 1
            self.gen(f"N{bc.continue_label}:")
            self.expect("(")
            flags = self.expression()
            if flags & EX_VOID:
                bc.yyerror("void expression")
            saved_break = bc.break_label
            bc.break_label = bc.next_label
            bc.next_label += 1
            self.gen(f"Z{bc.break_label}:")
            self.expect(")")
            self.opt_newline()
            self.statement()
            self.gen(f"J{bc.continue_label}:N{bc.break_label}:")
            bc.break_label, bc.continue_label = saved_break, saved_cont
            return
        if k == "{":
            self.advance()
            self.statement_list()
            self.expect("}")
            return
        if k == "print":
            self.advance()
            bc.ct_warn("print statement")
            while True:
                if self.kind() == "STRING":
                    self.gen("O")
                    self.gen(self.advance()[1])
                else:
                    flags = self.expression()
                    if flags & EX_VOID:
                        bc.yyerror("void expression in print")
                    self.gen("P")
                if self.kind() != ",":
                    return
                self.advance()
        flags = self.expression()
        if flags & EX_COMP:
            bc.ct_warn("comparison in expression")
        self.gen("W" if flags & EX_REG else "p")

    def for_statement(self) -> None:
        bc = self.bc
        self.advance()
        saved_break = bc.break_label
        bc.break_label = bc.next_label
        bc.next_label += 1
        self.expect("(")
        f1 = self.opt_expression(";")
        self.expect(";")
        if f1 & EX_COMP:
            bc.ct_warn("Comparison in first for expression")
        if f1 & EX_VOID:
            bc.yyerror("first expression is void")
        if not f1 & EX_EMPTY:
            self.gen("p")
        l4 = bc.next_label
        bc.next_label += 1
        self.gen(f"N{l4}:")
        f2 = self.opt_expression(";")
        self.expect(";")
        if f2 & EX_VOID:
            bc.yyerror("second expression is void")
        if f2 & EX_EMPTY:
            self.gen("1")
        l7 = bc.next_label
        bc.next_label += 1
        self.gen(f"B{l7}:J{bc.break_label}:")
        saved_cont = bc.continue_label
        bc.continue_label = bc.next_label
        bc.next_label += 1
        self.gen(f"N{bc.continue_label}:")
        f3 = self.opt_expression(")")
        self.expect(")")
        if f3 & EX_COMP:
            bc.ct_warn("Comparison in third for expression")
        if f3 & EX_VOID:
            bc.yyerror("third expression is void")
        self.gen(f"J{l4}:N{l7}:" if f3 & EX_EMPTY else f"pJ{l4}:N{l7}:")
        self.opt_newline()
        self.statement()
        self.gen(f"J{bc.continue_label}:N{bc.break_label}:")
        bc.break_label, bc.continue_label = saved_break, saved_cont

    def opt_expression(self, end: str) -> int:
        if self.kind() == end:
            self.bc.ct_warn("Missing expression in for statement")
            return EX_EMPTY
        return self.expression()

    def function(self) -> None:
        bc = self.bc
        self.advance()
        void = 0
        if self.kind() == "void":
            self.advance()
            void = 1
            bc.ct_warn("void functions")
        name = self.expect("NAME")
        self.expect("(")
        params = self.define_list(")") if self.kind() != ")" else []
        self.expect(")")
        self.opt_newline()
        self.expect("{")
        eols = 0
        while self.kind() == "EOL":
            self.advance()
            eols += 1
            if eols > 1:
                bc.ct_warn("Too many end of lines")
        if not eols:
            bc.ct_warn("End of line required")
        autos = []
        if self.kind() == "auto":
            self.advance()
            autos = self.define_list(None)
            if self.kind() in ("EOL", ";"):
                self.advance()
            else:
                raise SyntaxErr()
        bc.check_params(params, autos)
        fn = bc.lookup(name, "F", warn=True)
        if bc.math and fn <= 6:          # util.c lookup(): a new math lib function
            bc.functions.append(Func())
            fn = bc.f_names[name] = len(bc.f_list)
            bc.f_list.append(name)
        bc.cur_func = fn
        bc.functions[fn].void = void
        saved_label = bc.next_label
        bc.next_label = 1
        bc.start_function(fn, params, autos)
        self.statement_list()
        self.expect("}")
        self.gen("0R")
        bc.end_function()
        bc.next_label = saved_label
        bc.cur_func = -1

    def define_list(self, end: str | None) -> list[tuple[str, bool, bool]]:
        """(name, is_array, by_reference) for each item."""
        items = []
        while True:
            ref = False
            if self.kind() in ("*", "&"):
                self.advance()
                ref = True
            name = self.expect("NAME")
            if self.kind() == "[":
                self.advance()
                self.expect("]")
                self.bc.lookup(name, "A", warn=True)
                if ref:
                    self.bc.ct_warn("Call by variable arrays")
                items.append((name, True, ref))
            elif ref:
                raise SyntaxErr()
            else:
                self.bc.lookup(name, "V", warn=True)
                items.append((name, False, False))
            if self.kind() != ",":
                return items
            self.advance()

    # expressions: bc.y's precedences by precedence climbing (one frame per operator
    # level in use, so deep parentheses nest as far as bison's stack lets them)
    def expression(self) -> int:
        return self.binary(1)

    def binary(self, min_level: int) -> int:
        bc = self.bc
        left = self.unary()
        while True:
            k = self.kind()
            level = LEVELS.get(k)
            if level is None or level < min_level:
                return left
            op = self.advance()[1]
            if k in ("AND", "OR"):
                bc.ct_warn(f"{op} operator")
            if k == "AND":
                lab = bc.next_label
                bc.next_label += 1
                self.gen(f"DZ{lab}:p")
            elif k == "OR":
                lab = bc.next_label
                bc.next_label += 1
                self.gen(f"B{lab}:")
            # `^` is right associative, the others left
            right = self.binary(level if k == "^" else level + 1)
            if (left | right) & EX_VOID:
                what = {"AND": "&&", "OR": "||", "REL": "comparison"}.get(k, op)
                bc.yyerror(f"void expression with {what}")
            if k == "AND":
                self.gen(f"DZ{lab}:p1N{lab}:")
            elif k == "OR":
                tmp = bc.next_label
                bc.next_label += 1
                self.gen(f"B{lab}:0J{tmp}:N{lab}:1N{tmp}:")
            elif k == "REL":
                self.gen({"==": "=", "!=": "#", "<": "<", "<=": "{", ">": ">",
                          ">=": "}"}[op])
                left = EX_REG | EX_COMP
                continue
            else:
                self.gen(op)
            left = (left | right) & ~EX_PAREN

    def add_expr(self) -> int:
        """An assignment's right side: above REL_OP (`a = 1 < 2` is (a = 1) < 2)."""
        return self.binary(LEVELS["+"])

    def unary(self) -> int:
        k = self.kind()
        if k == "-":
            # UNARY_MINUS binds tighter than ^ in bc.y: `-2^2` is (-2)^2 = 4
            self.advance()
            flags = self.unary()
            if flags & EX_VOID:
                self.bc.yyerror("void expression with unary -")
            self.gen("n")
            return flags & ~EX_PAREN
        if k == "NOT":
            # NOT sits below REL_OP: `!a < b` is !(a < b), `!a && b` is (!a) && b
            self.advance()
            flags = self.binary(LEVELS["REL"])
            if flags & EX_VOID:
                self.bc.yyerror("void expression with !")
            self.bc.ct_warn("! operator")
            self.gen("!")
            return flags & ~EX_PAREN
        return self.primary()

    def primary(self) -> int:
        bc = self.bc
        k, v = self.tok
        if k == "NUMBER":
            self.advance()
            if v in ("0", "1"):
                self.gen(v)
            else:
                self.gen("K")
                self.gen(v)
                self.gen(":")
            return EX_REG
        if k == "(":
            self.advance()
            flags = self.expression()
            self.expect(")")
            if flags & EX_VOID:
                bc.yyerror("void expression in parenthesis")
            return flags | EX_REG | EX_PAREN
        if k == "INCDEC":
            self.advance()
            ref = self.named_expression()
            if ref < 0:
                op = "DA" if v == "+" else "DM"
                self.gen(f"{op}{-ref}:L{-ref}:")
            else:
                op = "i" if v == "+" else "d"
                self.gen(f"{op}{ref}:l{ref}:")
            return EX_REG
        if k in ("length", "sqrt") or k == "scale" and self.peek_paren():
            self.advance()
            self.expect("(")
            flags = self.expression()
            self.expect(")")
            if flags & EX_VOID:
                bc.yyerror(f"void expression in {k}()")
            self.gen({"length": "cL", "sqrt": "cR", "scale": "cS"}[k])
            return EX_REG
        if k in ("read", "random"):
            self.advance()
            self.expect("(")
            self.expect(")")
            bc.ct_warn(f"{k} function")
            self.gen("cI" if k == "read" else "cX")
            return EX_REG
        if k == "NAME" and self.peek_paren():
            self.advance()
            self.advance()
            args = self.argument_list() if self.kind() != ")" else []
            self.expect(")")
            fn = bc.lookup(v, "F", warn=True)
            flags = EX_VOID if bc.functions[fn].void else EX_REG
            # util.c call_str(): the kinds from the list's head, the last argument
            self.gen(f"C{fn},{''.join(reversed(args))}:" if args else f"C{fn}:")
            return flags
        if k in ("NAME", "ibase", "obase", "scale", "last", "history"):
            ref = self.named_expression()
            if self.kind() == "ASSIGN":
                return self.assignment(ref)
            if self.kind() == "INCDEC":
                op = self.advance()[1]
                if ref < 0:
                    self.gen(f"DL{-ref}:x")
                    self.gen(f"{'A' if op == '+' else 'M'}{-ref}:")
                else:
                    self.gen(f"l{ref}:")
                    self.gen(f"{'i' if op == '+' else 'd'}{ref}:")
                return EX_REG
            self.gen(f"L{-ref}:" if ref < 0 else f"l{ref}:")
            return EX_REG
        raise SyntaxErr()

    def assignment(self, ref: int) -> int:
        op = self.advance()[1]
        if op != "=":
            self.gen(f"DL{-ref}:" if ref < 0 else f"l{ref}:")
        flags = self.add_expr()
        if flags & EX_VOID:
            self.bc.yyerror("Assignment of a void expression")
        if op != "=":
            self.gen(op)
        self.gen(f"S{-ref}:" if ref < 0 else f"s{ref}:")
        return EX_ASSGN

    def peek_paren(self) -> bool:
        """Whether `(` follows the current token (read, so the lexer is past it)."""
        lx = self.lx
        p = lx.pos
        t = lx.text
        while p < len(t) and t[p] in " \t":
            p += 1
        return t.startswith("(", p)

    def named_expression(self) -> int:
        bc = self.bc
        k, v = self.advance()
        if k == "ibase":
            return 0
        if k == "obase":
            return 1
        if k == "scale":
            return 2
        if k == "last":
            bc.ct_warn("Last variable")
            return 4
        if k == "history":         # HistoryVar: bc built with readline
            bc.ct_warn("History variable")
            return 3
        if k != "NAME":
            raise SyntaxErr()
        if self.kind() == "[":
            self.advance()
            flags = self.expression()
            self.expect("]")
            if flags & EX_VOID:
                bc.yyerror("void expression as subscript")
            if flags & EX_COMP:
                bc.ct_warn("comparison in subscript")
            return -bc.lookup(v, "A", warn=True)
        return bc.lookup(v, "V", warn=True)

    def argument_list(self) -> list[str]:
        args = []
        while True:
            if self.kind() == "NAME" and self.lx.text.startswith("[", self._skip()) \
                    and self._empty_brackets():
                name = self.advance()[1]
                self.advance()
                self.advance()
                self.gen(f"K{self.bc.lookup(name, 'A', warn=True)}:")
                args.append("1")
            else:
                flags = self.expression()
                if flags & EX_COMP:
                    self.bc.ct_warn("comparison in argument")
                if flags & EX_VOID:
                    self.bc.yyerror("void argument")
                args.append("0")
            if self.kind() != ",":
                return args
            self.advance()

    def _skip(self) -> int:
        p, t = self.lx.pos, self.lx.text
        while p < len(t) and t[p] in " \t":
            p += 1
        return p

    def _empty_brackets(self) -> bool:
        p, t = self._skip() + 1, self.lx.text
        while p < len(t) and t[p] in " \t":
            p += 1
        return t.startswith("]", p)


# ------------------------------------------------------------------ the machine
class Func:
    """functions[]: its loaded bytes, labels, parameters and autos (names as indices:
    positive a simple variable, negative an array, as bc.y's lookup() gives them)."""
    __slots__ = ("code", "labels", "params", "autos", "defined", "void", "builtin")

    def __init__(self) -> None:
        self.code: list = []
        self.labels: dict[int, int] = {}
        self.params: list[tuple[int, bool]] = []
        self.autos: list[int] = []
        self.defined = False
        self.void = 0
        self.builtin = None


class BC:
    """One bc process: names, variables, functions, the code being generated, output."""

    def __init__(self, ctx: ToolContext, line_size: int, quiet: bool = True) -> None:
        self.ctx = ctx
        self.out_parts: list[str] = []
        self.out_col = 0
        self.line_size = line_size
        self.name = "(standard_in)"
        self.line_no = 1
        self.v_names = {"ibase": 0, "obase": 1, "scale": 2, "history": 3, "last": 4}
        self.v_list = ["ibase", "obase", "scale", "history", "last"]
        self.a_names: dict[str, int] = {}
        self.a_list = [""]
        self.f_names: dict[str, int] = {"(main)": 0}
        self.f_list = ["(main)"]
        self.functions = [Func()]
        self.variables: dict[int, list[Num]] = {}
        self.arrays: dict[int, list[dict[int, Num]]] = {}
        self.i_base, self.o_base, self.scale = 10, 10, 0
        self.history = -1
        self.turns = 0
        self.cur_func = -1
        self.math = False
        self.std_only = False
        self.warn_not_std = False
        self.if_label = 0
        self.load_func = 0
        self.saved_load = 0
        self.init_gen()

    # ---- output (util.c out_char / out_schar)
    def flush(self) -> None:
        if self.out_parts:
            self.ctx.term.out("".join(self.out_parts))
            self.out_parts = []

    def stderr(self, text: str) -> None:
        self.flush()
        self.ctx.term.err(text)

    def out_char(self, ch: str) -> None:
        if ch == "\n":
            self.out_col = 0
            self.out_parts.append("\n")
            return
        self.out_col += 1
        if self.out_col == self.line_size - 1 and self.line_size != 0:
            self.out_parts.append("\\\n")
            self.out_col = 1
        self.out_parts.append(ch)

    def out_schar(self, ch: str) -> None:
        """Strings wrap as numbers do, except in POSIX bc (-s)."""
        if self.std_only and ch != "\n":
            self.out_parts.append(ch)
            return
        self.out_char(ch)

    # ---- errors (util.c yyerror / rt_error / rt_warn)
    def yyerror(self, msg: str) -> None:
        self.stderr(f"{self.name} {self.line_no}: {msg}\n")
        self.had_error = True

    def rt_error(self, msg: str) -> None:
        raise RuntimeErr(msg)

    def ct_warn(self, msg: str) -> None:
        """util.c ct_warn(): a non-POSIX construct, an error under -s (or
        POSIXLY_CORRECT), a warning under -w, else nothing."""
        if self.std_only:
            self.stderr(f"{self.name} {self.line_no}: Error: {msg}\n")
            self.had_error = True
        elif self.warn_not_std:
            self.stderr(f"{self.name} {self.line_no}: (Warning) {msg}\n")

    def rt_report(self, msg: str) -> None:
        self.stderr(f"Runtime error (func={self.f_list[self.pc_func]}, "
                    f"adr={self.pc_addr}): {msg}\n")

    def rt_warn(self, msg: str) -> None:
        self.stderr(f"Runtime warning (func={self.f_list[self.pc_func]}, "
                    f"adr={self.pc_addr}): {msg}\n")

    # ---- names (util.c lookup)
    def lookup(self, name: str, kind: str, warn: bool = False) -> int:
        if warn and len(name) != 1:
            self.ct_warn(f"multiple letter name - {name}")
        if kind == "V":
            table, names = self.v_names, self.v_list
        elif kind == "A":
            table, names = self.a_names, self.a_list
        else:
            table, names = self.f_names, self.f_list
        if name not in table:
            table[name] = len(names)
            names.append(name)
            if kind == "F":
                self.functions.append(Func())
        return table[name]

    def check_params(self, params, autos) -> None:
        """util.c check_params(): duplicate names within and across the lists."""
        seen = set()
        for name, arr, ref in params:
            if (name, arr) in seen:
                self.yyerror("duplicate parameter names")
            if ref:
                self.ct_warn("Variable array parameter")
            seen.add((name, arr))
        aseen = set()
        for name, arr, ref in autos:
            if (name, arr) in aseen:
                self.yyerror("duplicate auto variable names")
            if ref:
                self.yyerror("* not allowed here")
            aseen.add((name, arr))
            if (name, arr) in seen:
                self.yyerror("variable in both parameter and auto lists")

    # ---- code generation (util.c generate / init_gen / run_code) and load.c
    def init_gen(self) -> None:
        self.break_label = 0
        self.continue_label = 0
        self.next_label = 1
        self.had_error = False
        self.did_gen = False
        self.load_func = 0
        main = self.functions[0]
        main.code = []
        main.labels = {}
        self.load_str = False
        self.load_const = False

    def generate(self, code: str) -> None:
        self.did_gen = True
        if not self.had_error:
            self.load_code(code)

    def start_function(self, fn: int, params, autos) -> None:
        self.did_gen = True
        f = self.functions[fn]
        f.code, f.labels, f.defined, f.builtin = [], {}, False, None
        f.params = [(-self.lookup(n, "A") if a else self.lookup(n, "V"), r)
                    for n, a, r in params]
        f.autos = [-self.lookup(n, "A") if a else self.lookup(n, "V") for n, a, _ in autos]
        self.saved_load = self.load_func
        self.load_func = fn

    def end_function(self) -> None:
        if not self.had_error:
            self.functions[self.load_func].defined = True
        self.load_func = self.saved_load

    def load_code(self, code: str) -> None:
        """load.c load_code(): the code string into bytes of the current function."""
        f = self.functions[self.load_func]
        out = f.code
        i, n = 0, len(code)
        while i < n:
            if self.had_error:         # load_code(): nothing more after an error
                return
            c = code[i]
            if self.load_str:
                if c == '"':
                    self.load_str = False
                out.append(c)
                i += 1
                continue
            if self.load_const:
                if c == "\n":
                    pass
                elif c == ":":
                    self.load_const = False
                    out.append(c)
                elif c == ".":
                    out.append(c)
                else:
                    if c > "F" and (self.warn_not_std or self.std_only):
                        if self.std_only:
                            self.yyerror("Error in numeric constant")
                        else:
                            self.ct_warn("Non-standard base in numeric constant")
                    out.append(DIGITS.index(c))
                i += 1
                continue
            if c == '"':
                self.load_str = True
                i += 1
                continue
            if c == "N":
                j = self._num_end(code, i + 1)
                f.labels[int(code[i + 1:j])] = len(out)
                i = j + 1
                continue
            if c in "BJZ":
                j = self._num_end(code, i + 1)
                out.append(c)
                lab = int(code[i + 1:j])
                out.extend((lab & 0xFF, lab >> 8))
                i = j + 1
                continue
            if c == "C":
                j = self._num_end(code, i + 1)
                out.append(c)
                self._add_index(out, int(code[i + 1:j]))
                i = j
                if code[i] == ",":
                    i += 1
                while code[i] != ":":
                    out.append(code[i])
                    i += 1
                out.append(":")
                i += 1
                continue
            if c == "c":
                out.extend((c, code[i + 1]))
                i += 2
                continue
            if c == "K":
                out.append(c)
                self.load_const = True
                i += 1
                continue
            if c in "dilsAMLS":
                j = self._num_end(code, i + 1)
                out.append(c)
                self._add_index(out, int(code[i + 1:j]))
                i = j + 1
                continue
            out.append(c)
            i += 1

    @staticmethod
    def _num_end(code: str, i: int) -> int:
        while i < len(code) and code[i].isdigit():
            i += 1
        return i

    @staticmethod
    def _add_index(out: list, v: int) -> None:
        if v < 128:
            out.append(v)
        else:
            out.extend((((v >> 8) & 0xFF) | 0x80, v & 0xFF))

    def run_code(self) -> None:
        if not self.had_error and self.did_gen:
            try:
                self.execute()
            except RuntimeErr as err:
                self.rt_report(str(err))
                self.unwind()
            except Stop:
                self.unwind()
        self.init_gen()

    # ---- variables (storage.c)
    def get_var(self, v: int) -> list[Num]:
        stack = self.variables.get(v)
        if stack is None:
            stack = self.variables[v] = [ZERO]
        return stack

    def get_array(self, a: int) -> list[dict[int, Num]]:
        stack = self.arrays.get(a)
        if stack is None:
            stack = self.arrays[a] = [{}]
        return stack

    def load_var(self, v: int) -> Num:
        if v == 0:
            return int2num(self.i_base)
        if v == 1:
            return int2num(self.o_base)
        if v == 2:
            return int2num(self.scale)
        if v == 3:
            return int2num(self.history)
        return self.get_var(v)[-1]

    def store_var(self, v: int, n: Num) -> None:
        if v > 3:
            self.get_var(v)[-1] = n
            return
        if v == 3:             # readline's history size; negative is unlimited
            temp = -1 if n.neg else num2long(n)
            if not n.neg and not n.is_zero() and temp == 0:
                self.rt_warn("history too large, set to unlimited")
                temp = -1
            self.history = temp
            return
        toobig = False
        if n.neg:
            self.rt_warn(("negative ibase, set to 2", "negative obase, set to 2",
                          "negative scale, set to 0")[v])
            temp = 0 if v == 2 else 2
        else:
            temp = num2long(n)
            toobig = not n.is_zero() and temp == 0
        if v == 0:
            if temp < 2 and not toobig:
                self.i_base = 2
                self.rt_warn("ibase too small, set to 2")
            elif (temp > 16 or toobig) and self.std_only:
                self.i_base = 16
                self.rt_warn("ibase too large, set to 16")
            elif temp > 36 or toobig:
                self.i_base = 36
                self.rt_warn("ibase too large, set to 36")
            else:
                if temp > 16 and self.warn_not_std:
                    self.rt_warn("ibase larger than 16 is non-standard")
                self.i_base = temp
        elif v == 1:
            if temp < 2 and not toobig:
                self.o_base = 2
                self.rt_warn("obase too small, set to 2")
            elif temp > BC_BASE_MAX or toobig:
                self.o_base = BC_BASE_MAX
                self.rt_warn(f"obase too large, set to {BC_BASE_MAX}")
            else:
                self.o_base = temp
        else:
            if temp > BC_SCALE_MAX or toobig:
                self.scale = BC_SCALE_MAX
                self.rt_warn(f"scale too large, set to {BC_SCALE_MAX}")
            else:
                self.scale = temp

    def incr_var(self, v: int, step: int) -> None:
        """storage.c incr_var()/decr_var()."""
        if v == 0:
            if step > 0 and self.i_base < 16:
                self.i_base += 1
            elif step < 0 and self.i_base > 2:
                self.i_base -= 1
            else:
                self.rt_warn("ibase too big in ++" if step > 0 else "ibase too small in --")
        elif v == 1:
            if step > 0 and self.o_base < BC_BASE_MAX:
                self.o_base += 1
            elif step < 0 and self.o_base > 2:
                self.o_base -= 1
            else:
                self.rt_warn("obase too big in ++" if step > 0 else "obase too small in --")
        elif v == 2:
            if step > 0 and self.scale < BC_SCALE_MAX:
                self.scale += 1
            elif step < 0 and self.scale > 0:
                self.scale -= 1
            else:
                self.rt_warn("Scale too big in ++" if step > 0 else
                             "scale can not be negative in -- ")
        elif v > 3:
            stack = self.get_var(v)
            stack[-1] = (bc_add if step > 0 else bc_sub)(stack[-1], ONE, 0)

    def array_index(self, a: int, n: Num) -> int:
        idx = num2long(n)
        if idx < 0 or idx > BC_DIM_MAX or (idx == 0 and n.mag // 10 ** n.scale != 0):
            self.rt_error(f"Array {self.a_list[a]} subscript out of bounds.")
        return idx

    # ---- the executor (execute.c execute)
    def byte(self):
        code = self.functions[self.pc_func].code
        b = code[self.pc_addr]
        self.pc_addr += 1
        return b

    def index(self) -> int:
        v = self.byte()
        if v & 0x80:
            v = ((v & 0x7F) << 8) + self.byte()
        return v

    def unwind(self) -> None:
        """Pop the autos and parameters of every function still running."""
        while self.fn_stack:
            func, addr, _ = self.fn_stack.pop()
            f = self.functions[self.pc_func]
            self.pop_vars(f.autos)
            self.pop_vars([p for p, _ in f.params])
            self.pc_func, self.pc_addr = func, addr
        self.pc_func = 0
        self.stack = []

    def pop_vars(self, names: list[int]) -> None:
        for name in names:
            if name > 0:
                st = self.variables.get(name)
                if st and len(st) > 1:
                    st.pop()
            else:
                st = self.arrays.get(-name)
                if st and len(st) > 1:
                    st.pop()

    def push_autos(self, names: list[int]) -> None:
        for name in names:
            if name > 0:
                self.get_var(name).append(ZERO)
            else:
                self.get_array(-name).append({})

    def execute(self) -> None:
        self.pc_func, self.pc_addr = 0, 0
        self.stack: list[Num] = []
        self.fn_stack: list[tuple[int, int, int]] = []
        st = self.stack
        while self.pc_addr < len(self.functions[self.pc_func].code):
            inst = self.byte()
            op = OPS.get(inst)
            if op is not None:
                if len(st) < 2:
                    self.rt_error("Stack error.")
                b = st.pop()
                st[-1] = op(self, st[-1], b)
                continue
            handler = INSTRUCTIONS.get(inst)
            if handler is None:
                self.rt_error(f"bad instruction: inst={inst}")
            handler(self)
        self.flush()

    def constant(self) -> Num:
        """push_b10_const() / push_constant() over the bytes up to `:`."""
        digits = []
        while True:
            b = self.byte()
            if b == ":":
                break
            digits.append(b)
        base = self.i_base if self.pc_func == 0 else self.fn_stack[-1][2]
        if "." in digits:
            dot = digits.index(".")
            ip, fp = digits[:dot], digits[dot + 1:]
        else:
            ip, fp = digits, []
        if base == 10:
            if len(ip) == 1 and not fp:
                return int2num(ip[0])
            mag = 0
            for d in ip + fp:
                mag = mag * 10 + min(d, 9)
            return Num(False, mag, len(fp))
        build = 0
        for k, d in enumerate(ip):
            if d >= base and (k > 0 or len(ip) > 1):
                d = base - 1
            build = build * base + d
        value = Num(False, build, 0)
        if fp:
            fp = [min(d, base - 1) for d in fp]
            res = 0
            for d in fp:
                res = res * base + d
            frac = bc_divide(Num(False, res, 0), Num(False, base ** len(fp), 0), len(fp))
            value = bc_add(value, frac, 0)
        return value

    # ---- output of numbers (number.c bc_out_num)
    def out_num(self, n: Num) -> None:
        oc = self.out_char
        if n.neg:
            oc("-")
        if n.is_zero():
            oc("0")
            return
        if self.o_base == 10:
            s = str(n.mag).rjust(n.scale + 1, "0")
            ip, fp = s[:len(s) - n.scale], s[len(s) - n.scale:]
            if ip != "0":
                for ch in ip:
                    oc(ch)
            if n.scale:
                oc(".")
                for ch in fp:
                    oc(ch)
            return
        base = self.o_base
        ipart = n.mag // 10 ** n.scale
        width = len(str(base - 1))
        digits = []
        while ipart:
            ipart, d = divmod(ipart, base)
            digits.append(d)
        for d in reversed(digits):
            self._out_digit(d, width, True)
        if n.scale:
            oc(".")
            frac = Num(False, n.mag % 10 ** n.scale, n.scale)
            t = 1
            pre_space = False
            bnum = int2num(base)
            while len(str(t)) <= n.scale:
                frac = bc_multiply(frac, bnum, n.scale)
                d = frac.mag // 10 ** frac.scale
                frac = Num(False, frac.mag - d * 10 ** frac.scale, frac.scale)
                self._out_digit(d, width, pre_space)
                if base > 16:
                    pre_space = True
                t *= base

    def _out_digit(self, d: int, width: int, space: bool) -> None:
        if self.o_base <= 16:
            self.out_char(REF_STR[d])
            return
        if space:
            self.out_char(" ")
        for ch in str(d).rjust(width, "0"):
            self.out_char(ch)

    def count_turn(self) -> None:
        """A loop's jump back or a call: a program that never ends (the real bc would
        run on) is refused after MAX_TURNS of them, as python3's sandbox does."""
        self.turns += 1
        if self.turns > MAX_TURNS:
            self.flush()
            raise CommandError(f"ipemu: bc: `a program of more than {MAX_TURNS} loop turns`"
                               " is not simulated\n", 1)

    def random(self) -> int:
        """glibc random() never seeded (bc calls no srandom): TYPE_3, seed 1."""
        if not hasattr(self, "_rand"):
            r = [1]
            for i in range(1, 31):
                r.append((16807 * r[i - 1]) % 2147483647)
            for i in range(31, 34):
                r.append(r[i - 31])
            for i in range(34, 344):
                r.append((r[i - 31] + r[i - 3]) & 0xFFFFFFFF)
            self._rand = r
        r = self._rand
        r.append((r[-31] + r[-3]) & 0xFFFFFFFF)
        del r[0]
        return r[-1] >> 1

    def limits(self) -> None:
        for line in (f"BC_BASE_MAX     = {BC_BASE_MAX}", f"BC_DIM_MAX      = {BC_DIM_MAX}",
                     f"BC_SCALE_MAX    = {BC_SCALE_MAX}", "BC_STRING_MAX   = 2147483647",
                     "MAX Exponent    = 9223372036854775807",
                     f"Number of vars  = {32767}"):
            for ch in line:
                self.out_char(ch)
            self.out_char("\n")

    def warranty(self) -> None:
        """warranty(""): printed when parsed, as the recorded bc prints it."""
        self.flush()
        self.ctx.term.out(WARRANTY)


def _div(bc: BC, a: Num, b: Num) -> Num:
    r = bc_divide(a, b, bc.scale)
    if r is None:
        bc.rt_error("Divide by zero")
    return r


def _mod(bc: BC, a: Num, b: Num) -> Num:
    if b.is_zero():
        bc.rt_error("Modulo by zero")
    return bc_modulo(a, b, bc.scale)


def _pow(bc: BC, a: Num, b: Num) -> Num:
    r = bc_raise(a, b, bc.scale, bc.rt_warn)
    if a.is_zero() and b.neg:
        bc.rt_error("divide by zero")
    return r


def _bool(v: bool) -> Num:
    return ONE if v else ZERO


OPS = {
    "+": lambda bc, a, b: bc_add(a, b, 0),
    "-": lambda bc, a, b: bc_sub(a, b, 0),
    "*": lambda bc, a, b: bc_multiply(a, b, bc.scale),
    "/": _div, "%": _mod, "^": _pow,
    "=": lambda bc, a, b: _bool(bc_compare(a, b) == 0),
    "#": lambda bc, a, b: _bool(bc_compare(a, b) != 0),
    "<": lambda bc, a, b: _bool(bc_compare(a, b) < 0),
    "{": lambda bc, a, b: _bool(bc_compare(a, b) <= 0),
    ">": lambda bc, a, b: _bool(bc_compare(a, b) > 0),
    "}": lambda bc, a, b: _bool(bc_compare(a, b) >= 0),
    "&": lambda bc, a, b: _bool(not a.is_zero() and not b.is_zero()),
    "|": lambda bc, a, b: _bool(not a.is_zero() or not b.is_zero()),
}


def _i_branch(bc: BC) -> None:
    inst = bc.functions[bc.pc_func].code[bc.pc_addr - 1]
    c_code = False
    if inst != "J":
        c_code = not bc.stack.pop().is_zero()
    lab = bc.byte()
    lab += bc.byte() << 8
    if inst == "J" or (inst == "B" and c_code) or (inst == "Z" and not c_code):
        addr = bc.functions[bc.pc_func].labels.get(lab)
        if addr is None:
            bc.rt_error("Internal error.")
        if addr < bc.pc_addr:
            bc.count_turn()
        bc.pc_addr = addr


def _i_call(bc: BC) -> None:
    fn = bc.index()
    f = bc.functions[fn]
    if not f.defined:
        bc.rt_error(f"Function {bc.f_list[fn]} not defined.")
    if f.builtin is not None:
        kinds = []
        while (ch := bc.byte()) != ":":
            kinds.append(ch)
        args = bc.stack[len(bc.stack) - len(kinds):]
        del bc.stack[len(bc.stack) - len(kinds):]
        if len(args) != len(f.params):
            bc.rt_error("Parameter number mismatch")
        bc.stack.append(f.builtin(bc, *args))
        return
    _process_params(bc, f)
    bc.push_autos(f.autos)
    bc.fn_stack.append((bc.pc_func, bc.pc_addr, bc.i_base))
    bc.count_turn()
    bc.pc_func, bc.pc_addr = fn, 0


def _process_params(bc: BC, f: Func) -> None:
    """storage.c process_params(): each argument's kind byte against the parameter
    list from its head (the last parameter; the last argument is on top of the stack).
    Its errors are reported and the call goes on to its end (rt_error() only flags)."""
    params = list(reversed(f.params))
    pi, bound, failed, garbage = 0, [], False, False
    while (ch := bc.byte()) != ":":
        if pi < len(params) or garbage:
            name, ref = params[pi] if pi < len(params) else (0, False)
            arg = bc.stack.pop()
            if ch == "0" and name > 0:
                bound.append((name, arg, ref))
            elif ch == "1" and name < 0:
                bound.append((name, bc.get_array(num2long(arg))[-1], ref))
            else:
                if name < 0:
                    bc.rt_report(f"Parameter type mismatch parameter {bc.a_list[-name]}.")
                else:
                    # v_names[] is never filled in: printf's "(null)"
                    bc.rt_report("Parameter type mismatch, parameter (null).")
                failed = garbage = True   # `params++` on a list node: not NULL after
                pi += 1
            pi += 1
        else:
            bc.rt_report("Parameter number mismatch")
            failed = True
            break
    else:
        if pi < len(params) or garbage:
            bc.rt_report("Parameter number mismatch")
            failed = True
    if failed:
        raise Stop()
    for name, arg, ref in bound:
        if name > 0:
            bc.get_var(name).append(arg)
        else:
            bc.get_array(-name).append(arg if ref else dict(arg))


def _i_return(bc: BC) -> None:
    if bc.pc_func == 0:
        bc.rt_error("Return from main program.")
    f = bc.functions[bc.pc_func]
    bc.pop_vars(f.autos)
    bc.pop_vars([p for p, _ in f.params])
    bc.pc_func, bc.pc_addr, _ = bc.fn_stack.pop()


def _i_string(bc: BC, escapes: bool) -> None:
    while True:
        ch = bc.byte()
        if ch == '"':
            break
        if escapes and ch == "\\":
            ch = bc.byte()
            if ch == '"':
                break
            ch = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "q": '"', "r": "\r",
                  "t": "\t", "\\": "\\"}.get(ch)
            if ch is None:
                continue
        bc.out_schar(ch)
    bc.flush()


def _i_write(bc: BC) -> None:
    inst = bc.functions[bc.pc_func].code[bc.pc_addr - 1]
    n = bc.stack[-1]
    bc.out_num(n)
    if inst == "W":
        bc.out_char("\n")
    bc.get_var(4)[-1] = n          # store_var(4): `last`
    bc.stack.pop()


def _i_special(bc: BC) -> None:
    which = bc.byte()
    st = bc.stack
    n = st[-1] if st else ZERO
    if which == "L":
        if n.length == 1 and n.scale and n.mag < 10 ** n.scale:
            st[-1] = int2num(n.scale)
        else:
            st[-1] = int2num(n.length + n.scale)
    elif which == "S":
        st[-1] = int2num(n.scale)
    elif which == "R":
        r = bc_sqrt(n, bc.scale)
        if r is None:
            bc.rt_error("Square root of a negative number")
        st[-1] = r
    elif which == "I":
        # read() takes a number from bc's own standard input, which its program is
        # usually read from; the real bc hangs at its end: refused here, not guessed
        bc.flush()
        raise CommandError("ipemu: bc: `read()` is not simulated\n", 1)
    elif which == "X":
        st.append(int2num(bc.random()))


def _i_array_load(bc: BC) -> None:
    a = bc.index()
    idx = bc.array_index(a, bc.stack[-1])
    bc.stack[-1] = bc.get_array(a)[-1].get(idx, ZERO)


def _i_array_store(bc: BC) -> None:
    a = bc.index()
    value = bc.stack.pop()
    idx = bc.array_index(a, bc.stack[-1])
    bc.get_array(a)[-1][idx] = value
    bc.stack[-1] = value


def _i_array_step(bc: BC, step: int) -> None:
    a = bc.index()
    idx = bc.array_index(a, bc.stack.pop())
    arr = bc.get_array(a)[-1]
    arr[idx] = (bc_add if step > 0 else bc_sub)(arr.get(idx, ZERO), ONE, 0)


def _i_store(bc: BC) -> None:
    bc.store_var(bc.index(), bc.stack[-1])


def _i_halt(bc: BC) -> None:
    bc.flush()
    raise Exit(0)


def _i_swap(bc: BC) -> None:
    st = bc.stack
    if len(st) >= 2:
        st[-1], st[-2] = st[-2], st[-1]


INSTRUCTIONS = {
    "A": lambda bc: _i_array_step(bc, 1), "M": lambda bc: _i_array_step(bc, -1),
    "B": _i_branch, "Z": _i_branch, "J": _i_branch, "C": _i_call,
    "D": lambda bc: bc.stack.append(bc.stack[-1]),
    "K": lambda bc: bc.stack.append(bc.constant()),
    "L": _i_array_load, "S": _i_array_store,
    "O": lambda bc: _i_string(bc, True), "w": lambda bc: _i_string(bc, False),
    "R": _i_return,
    "T": lambda bc: bc.stack.__setitem__(-1, _bool(bc.stack[-1].is_zero())),
    "!": lambda bc: bc.stack.__setitem__(-1, _bool(bc.stack[-1].is_zero())),
    "W": _i_write, "P": _i_write, "c": _i_special,
    "d": lambda bc: bc.incr_var(bc.index(), -1), "i": lambda bc: bc.incr_var(bc.index(), 1),
    "h": _i_halt,
    "l": lambda bc: bc.stack.append(bc.load_var(bc.index())),
    "n": lambda bc: bc.stack.__setitem__(-1, bc_sub(ZERO, bc.stack[-1], 0)),
    "p": lambda bc: bc.stack.pop(),
    "s": _i_store, "x": _i_swap,
    "0": lambda bc: bc.stack.append(ZERO), "1": lambda bc: bc.stack.append(ONE),
}


# ------------------------------------------------------------------ the math library (-l)
# libmath.b's functions, step for step in bc_num arithmetic at the running scale (their
# digits depend on every truncation), each called as bc function 1..6.
def K(text: str) -> Num:
    """A base-10 constant as push_b10_const() builds it."""
    ip, _, fp = text.partition(".")
    return Num(False, int((ip + fp) or "0"), len(fp))


def _lib_ops(bc: BC):
    def mul(a: Num, b: Num) -> Num:
        return bc_multiply(a, b, bc.scale)

    def div(a: Num, b: Num) -> Num:
        r = bc_divide(a, b, bc.scale)
        if r is None:
            bc.rt_error("Divide by zero")
        return r

    def set_scale(n: Num) -> None:
        bc.store_var(2, n)
    return mul, div, set_scale


def lib_e(bc: BC, x: Num) -> Num:
    mul, div, set_scale = _lib_ops(bc)
    m = x.neg
    if m:
        x = bc_sub(ZERO, x)
    z = bc.scale
    n = bc_add(bc_add(K("6"), int2num(z)), mul(K(".44"), x))
    set_scale(int2num(x.scale + 1))
    f = 0
    while bc_compare(x, ONE) > 0:
        f += 1
        x = div(x, K("2"))
        bc.scale += 1
    set_scale(n)
    v = bc_add(ONE, x)
    a, d, i = x, ONE, 2
    while True:
        a = mul(a, x)
        d = mul(d, int2num(i))
        e = div(a, d)
        if e.is_zero():
            for _ in range(f):
                v = mul(v, v)
            bc.scale = z
            return div(ONE, v) if m else div(v, ONE)
        v = bc_add(v, e)
        i += 1


def lib_l(bc: BC, x: Num) -> Num:
    mul, div, set_scale = _lib_ops(bc)
    if bc_compare(x, ZERO) <= 0:
        return div(bc_sub(ONE, bc_raise(K("10"), int2num(bc.scale), bc.scale, bc.rt_warn)),
                   ONE)
    z = bc.scale
    bc.scale = 6 + z
    f = K("2")
    while bc_compare(x, K("2")) >= 0:
        f = mul(f, K("2"))
        x = bc_sqrt(x, bc.scale)
    while bc_compare(x, K(".5")) <= 0:
        f = mul(f, K("2"))
        x = bc_sqrt(x, bc.scale)
    v = n = div(bc_sub(x, ONE), bc_add(x, ONE))
    m = mul(n, n)
    i = 3
    while True:
        n = mul(n, m)
        e = div(n, int2num(i))
        if e.is_zero():
            v = mul(f, v)
            bc.scale = z
            return div(v, ONE)
        v = bc_add(v, e)
        i += 2


def lib_s(bc: BC, x: Num) -> Num:
    mul, div, set_scale = _lib_ops(bc)
    z = bc.scale
    set_scale(bc_add(mul(K("1.1"), int2num(z)), K("2")))
    v = lib_a(bc, ONE)
    m = x.neg
    if m:
        x = bc_sub(ZERO, x)
    bc.scale = 0
    n = div(bc_add(div(x, v), K("2")), K("4"))
    x = bc_sub(x, mul(mul(K("4"), n), v))
    if not bc_modulo(n, K("2"), bc.scale).is_zero():
        x = bc_sub(ZERO, x)
    bc.scale = z + 2
    v = e = x
    s = mul(bc_sub(ZERO, x), x)
    i = 3
    while True:
        e = mul(e, div(s, mul(int2num(i), int2num(i - 1))))
        if e.is_zero():
            bc.scale = z
            return div(bc_sub(ZERO, v), ONE) if m else div(v, ONE)
        v = bc_add(v, e)
        i += 2


def lib_c(bc: BC, x: Num) -> Num:
    mul, div, set_scale = _lib_ops(bc)
    z = bc.scale
    set_scale(mul(int2num(z), K("1.2")))
    v = lib_s(bc, bc_add(x, mul(lib_a(bc, ONE), K("2"))))
    bc.scale = z
    return div(v, ONE)


ATAN1 = (".7853981633974483096156608", ".7853981633974483096156608458198757210492",
         ".785398163397448309615660845819875721049292349843776455243736")
ATAN02 = (".1973955598498807583700497", ".1973955598498807583700497651947902934475",
          ".197395559849880758370049765194790293447585103787852101517688")


def lib_a(bc: BC, x: Num) -> Num:
    mul, div, set_scale = _lib_ops(bc)
    m = ONE
    if x.neg:
        m = bc_sub(ZERO, ONE)
        x = bc_sub(ZERO, x)
    for target, table in ((ONE, ATAN1), (K(".2"), ATAN02)):
        if bc_compare(x, target) == 0:
            for limit, value in zip((25, 40, 60), table):
                if bc.scale <= limit:
                    return div(K(value), m)
    z = bc.scale
    a = ZERO
    if bc_compare(x, K(".2")) > 0:
        bc.scale = z + 5
        a = lib_a(bc, K(".2"))
    bc.scale = z + 3
    f = 0
    while bc_compare(x, K(".2")) > 0:
        f += 1
        x = div(bc_sub(x, K(".2")), bc_add(ONE, mul(x, K(".2"))))
    v = n = x
    s = mul(bc_sub(ZERO, x), x)
    i = 3
    while True:
        n = mul(n, s)
        e = div(n, int2num(i))
        if e.is_zero():
            bc.scale = z
            return div(bc_add(mul(int2num(f), a), v), m)
        v = bc_add(v, e)
        i += 2


def lib_j(bc: BC, n: Num, x: Num) -> Num:
    mul, div, set_scale = _lib_ops(bc)
    z = bc.scale
    bc.scale = 0
    n = div(n, ONE)
    m = False
    if n.neg:
        n = bc_sub(ZERO, n)
        if bc_compare(bc_modulo(n, K("2"), 0), ONE) == 0:
            m = True
    f = ONE
    i = 2
    while bc_compare(int2num(i), n) <= 0:
        f = mul(f, int2num(i))
        i += 1
    set_scale(mul(K("1.5"), int2num(z)))
    f = div(div(bc_raise(x, n, bc.scale, bc.rt_warn),
                bc_raise(K("2"), n, bc.scale, bc.rt_warn)), f)
    v = e = ONE
    s = div(mul(bc_sub(ZERO, x), x), K("4"))
    length = f.length + f.scale
    if f.length == 1 and f.scale and f.mag < 10 ** f.scale:
        length = f.scale
    set_scale(bc_sub(bc_add(mul(K("1.5"), int2num(z)), int2num(length)),
                     int2num(f.scale)))
    i = 1
    while True:
        e = div(div(mul(e, s), int2num(i)), bc_add(n, int2num(i)))
        if e.is_zero():
            bc.scale = z
            if m:
                return div(mul(bc_sub(ZERO, f), v), ONE)
            return div(mul(f, v), ONE)
        v = bc_add(v, e)
        i += 1


def load_math(bc: BC) -> None:
    """open_new_file(): e l s a c j are functions 1..6, then `scale = 20`."""
    for name, fn, nparams in (("e", lib_e, 1), ("l", lib_l, 1), ("s", lib_s, 1),
                              ("a", lib_a, 1), ("c", lib_c, 1), ("j", lib_j, 2)):
        f = bc.functions[bc.lookup(name, "F")]
        f.builtin, f.defined = fn, True
        f.params = [(0, False)] * nparams
    bc.scale = 20
    bc.math = True


# ------------------------------------------------------------------ the command
USAGE = ("usage: {} [options] [file ...]\n"
         "  -h  --help         print this usage and exit\n"
         "  -i  --interactive  force interactive mode\n"
         "  -l  --mathlib      use the predefined math routines\n"
         "  -q  --quiet        don't print initial banner\n"
         "  -s  --standard     non-standard bc constructs are errors\n"
         "  -w  --warn         warn about non-standard bc constructs\n"
         "  -v  --version      print version information and exit\n")
VERSION = ("bc 1.07.1\nCopyright 1991-1994, 1997, 1998, 2000, 2004, 2006, 2008, 2012-2017 "
           "Free Software Foundation, Inc.\n")
WARRANTY = ("\n" + VERSION + "\n"
            "    This program is free software; you can redistribute it and/or modify\n"
            "    it under the terms of the GNU General Public License as published by\n"
            "    the Free Software Foundation; either version 3 of the License , or\n"
            "    (at your option) any later version.\n\n"
            "    This program is distributed in the hope that it will be useful,\n"
            "    but WITHOUT ANY WARRANTY; without even the implied warranty of\n"
            "    MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the\n"
            "    GNU General Public License for more details.\n\n"
            "    You should have received a copy of the GNU General Public License\n"
            "    along with this program. If not, write to\n\n"
            "       The Free Software Foundation, Inc.\n"
            "       51 Franklin Street, Fifth Floor\n"
            "       Boston, MA 02110-1335  USA\n\n")
LONGS = {"help": "h", "interactive": "i", "mathlib": "l", "quiet": "q", "standard": "s",
         "warn": "w", "version": "v", "compile": "c"}


def _options(argv: list[str]) -> tuple[set[str], list[str]]:
    """GNU getopt_long over "chilqswv" with its long names (abbreviations allowed)."""
    opts: set[str] = set()
    files: list[str] = []
    i = 1
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            files.extend(argv[i:])
            break
        if arg.startswith("--"):
            name = arg[2:]
            hits = [k for k in LONGS if k.startswith(name)]
            if name in LONGS:
                hits = [name]
            if len(hits) != 1:
                what = "unrecognized" if not hits else "ambiguous"
                raise _BadOption(f"bc: {what} option '{arg}'\n")
            opts.add(LONGS[hits[0]])
        elif arg.startswith("-") and arg != "-":
            for ch in arg[1:]:
                if ch not in "chilqswv":
                    raise _BadOption(f"bc: invalid option -- '{ch}'\n")
                opts.add(ch)
        else:
            files.append(arg)
    return opts, files


class _BadOption(Exception):
    pass


def main(ctx: ToolContext, argv: list[str]) -> int:
    # bc's numbers have any number of digits: CPython's guard on int -> str (4300
    # digits) is lifted while bc runs, then put back
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return _main(ctx, argv)
    finally:
        sys.set_int_max_str_digits(limit)


def _main(ctx: ToolContext, argv: list[str]) -> int:
    from ipemu.tools.xargs import environment
    env = environment(ctx)
    try:
        words = env.get("BC_ENV_ARGS", "").split()
        opts, files = _options(["bc"] + words)
        more, files2 = _options(argv)
        opts |= more
        files += files2
    except _BadOption as err:
        ctx.term.err(str(err))
        ctx.term.out(USAGE.format(argv[0]))
        return 1
    if "h" in opts:
        ctx.term.out(USAGE.format(argv[0]))
        return 0
    if "v" in opts:
        ctx.term.out(VERSION)
        return 0
    line_size = 70
    if "BC_LINE_LENGTH" in env:
        line_size = _atoi(env["BC_LINE_LENGTH"])
        if line_size < 3 and line_size != 0:
            line_size = 70
    bc = BC(ctx, line_size)
    bc.std_only = "s" in opts or "POSIXLY_CORRECT" in env
    bc.warn_not_std = "w" in opts
    if "l" in opts:
        load_math(bc)
    try:
        for name in files:
            try:
                # fopen(): `-` is a file's name here, not standard input
                text = read_input(ctx, "./-" if name == "-" else name)
            except OSError:
                bc.stderr(f"File {name} is unavailable.\n")
                return 1
            _run_text(bc, text, name)
        _run_text(bc, ctx.stdin or "", "(standard_in)")
    except Exit as done:
        bc.flush()
        return done.args[0] if done.args else 0
    bc.flush()
    return 0


def _atoi(text: str) -> int:
    """atoi(): leading blanks, a sign, digits; 0 without them."""
    t = text.lstrip(" \t\n\v\f\r")
    sign = -1 if t.startswith("-") else 1
    if t[:1] in "+-":
        t = t[1:]
    digits = ""
    for ch in t:
        if not ch.isdigit() or not ch.isascii():
            break
        digits += ch
    return sign * int(digits) if digits else 0


def _run_text(bc: BC, text: str, name: str) -> None:
    bc.name = name
    bc.line_no = 1
    parser = Parser(bc, Lexer(text, bc))
    # bison's stack (YYMAXDEPTH 10000) holds thousands of nested parentheses: so does
    # the parser's recursion, up to a bound, then bison's own message
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 25000))
    try:
        while parser.input_item():
            pass
    except RecursionError:
        bc.yyerror("memory exhausted")
        raise Exit(0) from None      # YYABORT: yyparse() returns, bc exits
    finally:
        sys.setrecursionlimit(limit)
