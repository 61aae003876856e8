"""`[[ ]]` as bash's parser reads it (parse.y's parse_cond_command(), cond_expr(),
cond_or(), cond_and(), cond_term()): a conditional command it refuses is a syntax
error of the whole command read, found before anything in it runs."""
from __future__ import annotations

from ipemu.bash import ast

COND_UNARY = set("-a -b -c -d -e -f -g -h -k -n -o -p -r -s -t -u -v -w -x -z "
                 "-G -L -N -O -R -S".split())
COND_BINARY = {"=", "==", "!=", "=~", "<", ">", "-nt", "-ot", "-ef", "-eq", "-ne", "-lt",
               "-le", "-gt", "-ge"}
# the tokens that are not words; bash's error_token_from_token() can name them (a
# word it cannot)
_TOKENS = {"]]", "&&", "||", "(", ")", "<", ">"}


class CondSyntaxError(Exception):
    """parse.y's parse_cond_command() refused a `[[ ]]`: what it printed, one line
    each (nothing at all for a missing term: `[[ ]]`, `[[ a && ]]`)."""

    def __init__(self, messages: list[str], line: int = 0):
        super().__init__("; ".join(messages))
        self.messages = messages
        self.line = line

    def __eq__(self, other) -> bool:      # a cached chunk equals a fresh parse's
        return isinstance(other, CondSyntaxError) and \
            (self.messages, self.line) == (other.messages, other.line)

    def __hash__(self) -> int:
        return hash((tuple(self.messages), self.line))


def cond_syntax(words: list[str]) -> list[str] | None:
    """The messages bash's parser gives a `[[ WORDS ]]` it refuses, else None
    (parse.y's cond_expr(), cond_or(), cond_and() and cond_term())."""
    parser = _CondSyntax(words)
    try:
        parser.expr()
        if parser.tok() != "]]":
            tok = parser.tok()
            parser.say("syntax error in conditional expression" +
                       (f": unexpected token `{tok}'" if tok in _TOKENS else ""))
            raise CondSyntaxError(parser.said)
    except CondSyntaxError:
        return parser.said
    return None


class _CondSyntax:
    def __init__(self, words: list[str]):
        self.words, self.i, self.said = words, 0, []

    def tok(self) -> str:
        return self.words[self.i] if self.i < len(self.words) else "]]"

    def say(self, message: str) -> None:
        self.said.append(message)

    def fail(self, message: str | None = None):
        if message:
            self.say(message)
        raise CondSyntaxError(self.said)

    def expr(self) -> None:
        self.and_()
        while self.tok() == "||":
            self.i += 1
            self.and_()

    def and_(self) -> None:
        self.term()
        while self.tok() == "&&":
            self.i += 1
            self.term()

    def term(self) -> None:
        tok = self.tok()
        if tok == "]]":
            self.fail()                 # COND_END where a term belongs: nothing said
        if tok == "(":
            self.i += 1
            try:
                self.expr()
            except CondSyntaxError:
                self.fail("expected `)'")
            if self.tok() != ")":
                after = self.tok()
                self.fail(f"unexpected token `{after}', expected `)'" if after in _TOKENS
                          else "expected `)'")
            self.i += 1
            return
        if tok == "!":
            self.i += 1
            return self.term()
        if tok in _TOKENS:
            self.fail(f"unexpected token `{tok}' in conditional command")
        self.i += 1
        if tok in COND_UNARY:
            arg = self.tok()
            if arg in _TOKENS:
                self.fail(f"unexpected argument `{arg}' to conditional unary operator")
            self.i += 1
            return
        op = self.tok()
        if op in COND_BINARY:
            self.i += 1
            arg = self.tok()
            if arg in _TOKENS and not (op == "=~" and arg not in ("]]", "&&", "||")):
                self.fail(f"unexpected argument `{arg}' to conditional binary operator")
            self.i += 1
        elif op not in ("]]", "&&", "||", ")"):
            self.fail("conditional binary operator expected")


def first_bad_cond(node) -> CondSyntaxError | None:
    """The error of the first `[[ ]]` in a command read that bash's parser refuses
    (the whole command, a function's body too, is then not run), else None."""
    if isinstance(node, ast.Cond):
        said = cond_syntax(node.words)
        if said is None:
            return None
        return CondSyntaxError(said, node.line)
    if isinstance(node, (list, tuple)):
        for item in node:
            found = first_bad_cond(item)
            if found is not None:
                return found
        return None
    if isinstance(node, (str, bytes, int, type(None))):
        return None
    for value in getattr(node, "__dict__", {}).values():
        found = first_bad_cond(value)
        if found is not None:
            return found
    return None
