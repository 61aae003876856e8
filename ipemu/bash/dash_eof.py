"""What dash says when its input ends inside a construct (dash 0.5.12's parser.c and
its synerror()/synexpect(): `NAME: LINE: Syntax error: ...`), where bash says
`unexpected EOF while looking for matching ...` or `syntax error: unexpected end
of file`.

dash counts the line where the input ended (every newline it read: `sh -c 'echo
"a'` is at line 1, a three-line file ending in a newline at line 4), and names
what it was reading (recorded on Debian 12's dash):

- a quote: readtoken1()'s `Unterminated quoted string`;
- a backquote: `EOF in backquote substitution`;
- `${`: `Missing '}'`; `$((`: `Missing '))'`;
- a `$(`, a subshell, a compound command: synexpect() of the token the grammar
  wanted next (`end of file unexpected (expecting "fi")`); after `|`, `&&` or
  `for x in WORDS` nothing in particular (synexpect(-1): `end of file
  unexpected`).
"""
from __future__ import annotations

from ipemu.bash.lexer import Lexer, LexError

# what a token leaves dash expecting until its construct goes on (tokname[])
_OPENS = {"IF": "then", "ELIF": "then", "THEN": "fi", "ELSE": "fi",
          "WHILE": "do", "UNTIL": "do", "DO": "done", "LBRACE": "}", "LPAREN": ")",
          "CASE": "in"}
_CLOSES = {"FI", "DONE", "RBRACE", "ESAC"}


def eof_message(text: str) -> str | None:
    """dash's message for `text` that ends inside a construct, None when the text
    does not (another syntax error)."""
    stack: list[str] = []
    lexer = Lexer(text)
    try:
        for tok in lexer.tokens():
            kind = tok.type
            top = stack[-1] if stack else None
            if kind in ("THEN", "ELSE", "DO") and stack:
                stack[-1] = _OPENS[kind]
            elif kind == "ELIF" and stack:
                stack[-1] = "then"
            elif kind in _OPENS:
                stack.append(_OPENS[kind])
            elif kind == "FOR":
                stack.append("for")
            elif kind == "IN" and top == "for":
                stack[-1] = "for_in"        # the word list: nothing expected by name
            elif kind == "IN" and top == "in":
                stack[-1] = "case)"         # a pattern's `)`
            elif kind == "LPAREN" and top == "case)":
                pass                        # `(a)`: the pattern's optional `(`
            elif kind in ("SEMI", "NEWLINE") and top in ("for", "for_in"):
                stack[-1] = "do"
            elif kind == "RPAREN" and top == "case)":
                stack[-1] = ";;"
            elif kind == "RPAREN" and stack:
                stack.pop()
            elif kind == "CASESEP" and top == ";;":
                stack[-1] = "case)"
            elif kind in _CLOSES and stack:
                stack.pop()
    except LexError as err:
        message = err.message
        if message.endswith(("`''", "`\"'")):
            return "Unterminated quoted string"
        if message.endswith("``'"):
            return "EOF in backquote substitution"
        if message.endswith("`}'"):
            return "Missing '}'"
        if message.endswith("`)'"):
            return "Missing '))'" if err.arith else \
                'end of file unexpected (expecting ")")'
        return None
    if not stack:
        return "end of file unexpected" if text.strip() else None
    want = stack[-1]
    if want == "for":
        want = "do"
    if want == "case)":
        want = ")"
    if want == "for_in":
        return "end of file unexpected"
    return f'end of file unexpected (expecting "{want}")'


def eof_line(text: str, first: int = 1) -> int:
    """The line dash has counted when its input ends: one more than the newlines."""
    return first + text.count("\n")
