"""Tokens of the shell language, as bash's read_token() (parse.y) makes them.

What a context-free lexer cannot do is done here: a word runs through quotes and
nested `$( )`, `${ }`, `$(( ))` and backticks; reserved words are reserved only where
a command may start (and `in`/`do`/`esac` where a `for` or `case` wants them);
`name=value` is an assignment only before the command's name; here-document bodies
are read at the newline that follows their `<<`. The tokens feed the LALR parser of
grammar/shell.lark. Tokens come one at a time, so a script runs up to its first
syntax error, as bash runs it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ipemu.plainclass import dataclass

RESERVED = {
    "if": "IF", "then": "THEN", "else": "ELSE", "elif": "ELIF", "fi": "FI",
    "for": "FOR", "do": "DO", "done": "DONE", "while": "WHILE", "until": "UNTIL",
    "case": "CASE", "esac": "ESAC", "function": "FUNCTION", "{": "LBRACE",
    "}": "RBRACE", "!": "BANG", "[[": "DLBRACK", "time": "TIME", "in": "IN",
    "select": "SELECT", "coproc": "COPROC",
}
# after these a command may start (reserved words are recognised again)
COMMAND_STARTS = {"NEWLINE", "SEMI", "AMP", "ANDOR", "PIPE", "LPAREN", "LBRACE", "BANG",
                  "TIME", "IF", "THEN", "ELSE", "ELIF", "DO", "WHILE", "UNTIL", "RBRACE",
                  "CASESEP", "COPROC"}
OPERATORS = [";;&", ";;", ";&", "&&", "||", "|&", "&>>", "&>", "<<<", "<<-", "<<", "<>",
             "<&", ">>", ">&", ">|", ";", "&", "|", "(", ")", "<", ">"]
# OPERATORS by their first character, longest first as there (a word's first
# character is looked up once instead of tried against every operator)
_OPERATORS_BY_FIRST: dict[str, list[str]] = {}
for _op in OPERATORS:
    _OPERATORS_BY_FIRST.setdefault(_op[0], []).append(_op)
REDIRS = {"&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", ">>", ">&", ">|", "<", ">"}
METACHARS = " \t\n;&|<>()"
# a run of characters _scan_word() steps over one by one (no metacharacter, quote,
# escape or expansion): matched at once, so a long word costs one regex step
_ORDINARY_RUN = re.compile("[^" + re.escape(METACHARS + "\\'\"`$") + "]+")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SIMPLE_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^][]*\])?\+?=")


def _subscript_end(text: str, i: int) -> int | None:
    """skipsubscript(): the index after the `]` that closes the `[` at `i`, brackets
    nesting (`a[${#a[@]}]=x`, `a[b[1]]=x`), quoted or escaped ones not counting."""
    depth = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "'\"":
            close = text.find(ch, i + 1)
            if close < 0:
                return None
            i = close + 1
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


class _AssignmentWord:
    """assignment() of bash's parser: NAME, an optional [subscript] (nested brackets
    allowed), then `=` or `+=`; match() and fullmatch() answer as a regex's would (a
    truthy result)."""

    @staticmethod
    def _end(text: str) -> int | None:
        m = _SIMPLE_ASSIGNMENT.match(text)
        if m is not None:
            return m.end()
        m = NAME.match(text)
        if m is None or m.end() >= len(text) or text[m.end()] != "[":
            return None
        i = _subscript_end(text, m.end())
        if i is None:
            return None
        if text.startswith("+=", i):
            return i + 2
        return i + 1 if text.startswith("=", i) else None

    def match(self, text: str) -> bool:
        return self._end(text) is not None

    def fullmatch(self, text: str) -> bool:
        return self._end(text) == len(text)


ASSIGNMENT = _AssignmentWord()
PATTERN_OPS = ("==", "!=", "=")    # [[ ]] operators whose right side is a pattern


def _cond_token_error(term: list[str], char: str) -> str:
    """bash's parse.y cond_term() messages for a metacharacter inside `[[ ]]`, by how
    far the current term got."""
    from ipemu.bash.test import UNARY
    if not term:
        return f"unexpected token `{char}' in conditional command"
    if len(term) == 1:
        if term[0] in UNARY:
            return f"unexpected argument `{char}' to conditional unary operator"
        return f"unexpected token `{char}', conditional binary operator expected"
    if len(term) == 2 and term[0] not in UNARY:
        return f"unexpected argument `{char}' to conditional binary operator"
    return f"syntax error in conditional expression: unexpected token `{char}'"


class LexError(Exception):
    """Input ended inside a quote or a construct: `eof` says so (the live shell then
    asks for another line with PS2)."""

    def __init__(self, message: str, line: int, eof: bool = True, status: int | None = 2):
        super().__init__(message)
        self.status = status     # None: $? stays (bash's cond_term() errors set none)
        self.message = message
        self.line = line
        self.eof = eof
        self.arith = False       # input ended inside a $(( ))


@dataclass
class HereDoc:
    delimiter: str
    quoted: bool        # a quoted delimiter: the body is not expanded
    strip_tabs: bool    # <<- : leading tabs are removed
    body: str = ""
    line: int = 0       # where its << is


@dataclass
class Tok:
    type: str
    value: str
    line: int
    heredoc: HereDoc | None = None
    start: int = 0          # offsets in the source (an and-or list's text for `jobs`)
    end: int = 0


class Lexer:
    def __init__(self, text: str, line: int = 1, extglob=None, aliases=None):
        self.text = text
        # the aliases a word in command position is looked up in when it is read (a
        # callable giving the table, or None while aliases are not expanded: a
        # non-interactive bash without expand_aliases); the parser's
        # alias_expand_token() puts an alias's text in the input in its place
        self.aliases = aliases
        self.alias_spans: list[list] = []   # [name, start, end] of expanded text
        self.alias_next: int | None = None  # an alias ended in a blank here: the next
        # word from there is looked up too
        # shopt extglob as the shell has it when a word is read (a callable: the
        # script's `shopt -s extglob` runs before its later commands are read):
        # `@(a|b)`, `+([0-9])` and the like are then one word (parse.y's
        # read_token_word() with extended_glob)
        self.extglob = extglob
        self.pos = 0
        self.line = line
        self.cmd_pos = True        # a command may start here
        self.assign_ok = True      # before a command's name
        self.pending: list[HereDoc] = []
        self.warnings: list[tuple[int, str]] = []
        # what the grammar expects next, for the reserved words that are not at a
        # command's start: "for_name", "for_in", "case_word", "case_in", "pattern"
        self.expect: str | None = None
        self.case_depth: list[str] = []   # "pattern" or "body" per open case
        self.after_name = False            # `function NAME` just read
        self.after_coproc_word = False     # `coproc WORD` just read
        self.heredoc_eof = False           # a here-document's body met the end
        self.unended: list[HereDoc] = []   # the here-documents whose bodies met it
        self.declaring = False             # after declare/local/...: name=(...) is one word

    # ------------------------------------------------------------------ tokens
    def tokens(self) -> Iterator[Tok]:
        while True:
            tok = self._next()
            if tok is None:
                return
            tok.end = self.pos
            tok.start = self.pos - len(tok.value) if tok.heredoc is None else self.pos
            self._after(tok)
            yield tok
            if tok.type == "DLBRACK":
                yield from self.cond_tokens()
                self.cmd_pos = self.assign_ok = False

    def _after(self, tok: Tok) -> None:
        kind = tok.type
        if self.after_coproc_word and kind == "WORD":
            # `coproc NAME { ...; }`: reserved words are read after the word (parse.y
            # reads `coproc echo if;` as a name and an if: a syntax error, recorded)
            self.after_coproc_word = False
            self.cmd_pos, self.assign_ok = True, False
            return
        self.after_coproc_word = False
        if self.after_name:
            self.after_name = False
            self.cmd_pos = True
            return
        if kind in COMMAND_STARTS:
            self.cmd_pos = self.assign_ok = True
        elif kind == "ASSIGN":
            self.cmd_pos = False
        elif kind in ("REDIR", "HEREDOC", "IONUM"):
            self.cmd_pos = False
        elif kind == "RPAREN":
            # after a case pattern or `name ()` a command (or `{`) comes
            self.cmd_pos = self.assign_ok = True
        else:
            if kind == "WORD" and self.cmd_pos:
                self.declaring = tok.value in ("declare", "local", "typeset", "readonly",
                                               "export")
            self.cmd_pos = self.assign_ok = False
        if kind in COMMAND_STARTS:
            self.declaring = False

    def _next(self) -> Tok | None:
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos] in " \t":
                self.pos += 1
            if text.startswith("\\\n", self.pos):
                self.pos += 2
                self.line += 1
                continue
            break
        if self.pos >= len(text):
            return None
        ch = text[self.pos]
        start_line = self.line
        if ch == "#":
            end = text.find("\n", self.pos)
            self.pos = len(text) if end < 0 else end
            return self._next()
        if ch == "\n":
            self.pos += 1
            self.line += 1
            self._read_heredocs()
            if self.expect == "for_words":
                self.expect = None     # `for x in ...` ends; `do` comes
            return Tok("NEWLINE", "\n", start_line)
        if self.cmd_pos and text.startswith("((", self.pos) and self.expect != "pattern":
            return self._arith(start_line)
        if self.expect == "for_name" and text.startswith("((", self.pos):
            self.expect = None
            return self._arith(start_line)
        ops = _OPERATORS_BY_FIRST.get(ch)
        if ops is None:
            return self._word(start_line)        # no operator starts with it
        if text.startswith(("<(", ">("), self.pos):
            return self._word(start_line)        # a process substitution is a word
        for op in ops:
            if text.startswith(op, self.pos):
                return self._operator(op, start_line)
        return self._word(start_line)

    def _operator(self, op: str, line: int) -> Tok:
        self.pos += len(op)
        if op in REDIRS:
            return self._redirect(op, line)
        if op in (";;", ";&", ";;&"):
            if self.case_depth:
                self.case_depth[-1] = "pattern"
                self.expect = "pattern"
            return Tok("CASESEP", op, line)
        if op == ";":
            if self.expect in ("for_words", "for_in"):
                self.expect = None
            return Tok("SEMI", op, line)
        if op == "&":
            return Tok("AMP", op, line)
        if op in ("&&", "||"):
            return Tok("ANDOR", op, line)
        if op in ("|", "|&"):
            return Tok("PIPE", op, line)
        if op == "(":
            return Tok("LPAREN", op, line)
        if self.expect == "pattern":
            self.expect = None
            if self.case_depth:
                self.case_depth[-1] = "body"
        return Tok("RPAREN", op, line)

    def _redirect(self, op: str, line: int) -> Tok:
        if op in ("<<", "<<-"):
            while self.pos < len(self.text) and self.text[self.pos] in " \t":
                self.pos += 1
            start = self.pos
            end = self._scan_word(self.pos)
            if end == start:
                return Tok("REDIR", op, line)     # the parser reports the missing word
            raw = self.text[start:end]
            self.pos = end
            quoted = any(c in raw for c in "'\"\\")
            from ipemu.bash.words import remove_quotes
            doc = HereDoc(remove_quotes(raw), quoted, op == "<<-", line=line)
            self.pending.append(doc)
            return Tok("HEREDOC", op, line, doc)
        return Tok("REDIR", op, line)

    def _read_heredocs(self) -> None:
        """The bodies of the here-documents started on the line just ended."""
        text = self.text
        for doc in self.pending:
            lines = []
            while True:
                if self.pos >= len(text):
                    self.heredoc_eof = True
                    self.unended.append(doc)
                    last = max(self.line - 1, doc.line)      # the last line read
                    self.warnings.append((last, "warning: here-document at line "
                                          f"{doc.line} delimited by end-of-file "
                                          f"(wanted `{doc.delimiter}')"))
                    break
                end = text.find("\n", self.pos)
                row = text[self.pos:] if end < 0 else text[self.pos:end]
                self.pos = len(text) if end < 0 else end + 1
                self.line += 1
                check = row.lstrip("\t") if doc.strip_tabs else row
                if check == doc.delimiter:
                    break
                lines.append(check + "\n")
            doc.body = "".join(lines)
        self.pending = []

    def _arith(self, line: int) -> Tok:
        """`(( expr ))` at a command's start, or `for ((init; cond; step))`."""
        start = self.pos + 2
        depth = 0
        i = start
        text = self.text
        while i < len(text):
            c = text[i]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0 and text.startswith("))", i):
                    self.pos = i + 2
                    self.line += text.count("\n", start, i)
                    return Tok("ARITH", text[start:i], line)
                depth -= 1
            i += 1
        raise LexError("unexpected EOF while looking for matching `)'", 0)

    # ------------------------------------------------------------------- words
    def _word(self, line: int) -> Tok:
        start = self.pos
        end = self._scan_word(start)
        if self.assign_ok and _SUBSCRIPTED.match(self.text, start) and \
                self.text.find("[", start) < end + 1:
            # read_token_word(): where an assignment may start, NAME[ opens a
            # subscript read as a matched pair: its blanks are the word's (h[a b]=1)
            try:
                close = self._skip_group(_SUBSCRIPTED.match(self.text, start).end(),
                                         "[", "]")
            except LexError:
                close = None
            if close is not None and close > end:
                end = self._scan_word(close)
        if end == start:        # a lone metacharacter the operator table lacks
            end = start + 1
        if (self.assign_ok or self.declaring) and end < len(self.text) and \
                self.text[end] == "(" and \
                ASSIGNMENT.fullmatch(self.text[start:end]):
            try:
                end = self._skip_group(end + 1, "(", ")")      # name=(an array)
            except LexError as err:
                if not err.message.endswith("`)'"):
                    raise
                # parse_compound_assignment(): reported at the assignment's line,
                # and the shell's status is 1 (recorded: `x=(` in a script, -c)
                raise LexError(err.message, line, status=1) from None
        raw = self.text[start:end]
        self.line += raw.count("\n")
        self.pos = end
        if (raw.isdigit() or re.fullmatch(r"\{[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\}", raw)) and \
                end < len(self.text) and self.text[end] in "<>":
            # 2>, and bash's {fd}> (a named one; an array element too, {a[1]}>: redir.c
            # redir_varvalue()/redir_varassign() take valid_array_reference())
            return Tok("IONUM", raw, line)
        if self.aliases is not None:
            expanded = self._alias(raw, start, end)
            if expanded is not None:
                return expanded
        return self._classify(raw, line)

    def _alias(self, raw: str, start: int, end: int) -> Tok | None:
        """An alias in command position (or after an alias that ends in a blank):
        its text replaces the word in the input, read again from there; an alias is
        not expanded again inside its own text (alias_expand_token(), the
        pushed-string stack's `expanding` marks)."""
        check = False
        if self.alias_next is not None and start >= self.alias_next:
            check = not self.text[self.alias_next:start].strip()
            self.alias_next = None
        if not (self.cmd_pos or check) or self.expect not in (None, "function_name") or \
                (self.assign_ok and ASSIGNMENT.match(raw)) or self.expect == "function_name":
            return None
        table = self.aliases()
        if not table or raw not in table:
            return None
        if any(name == raw and s <= start < e for name, s, e in self.alias_spans):
            return None
        value = table[raw]
        grow = len(value) - len(raw)
        for span in self.alias_spans:
            if span[1] <= start < span[2]:
                span[2] += grow
        if self.alias_next is not None and self.alias_next > start:
            self.alias_next += grow
        self.alias_spans.append([raw, start, start + len(value)])
        self.text = self.text[:start] + value + self.text[end:]
        self.pos = start
        if value.endswith((" ", "\t")):
            self.alias_next = start + len(value)
        return self._next()

    def _classify(self, raw: str, line: int) -> Tok:
        expect = self.expect
        if expect == "for_name":
            self.expect = "for_in"
            return Tok("WORD", raw, line)
        if expect == "for_in" and raw in ("in", "do"):
            self.expect = "for_words" if raw == "in" else None
            return Tok("IN" if raw == "in" else "DO", raw, line)
        if expect == "case_word":
            self.expect = "case_in"
            return Tok("WORD", raw, line)
        if expect == "case_in" and raw == "in":
            self.expect = "pattern"
            self.case_depth.append("pattern")
            return Tok("IN", raw, line)
        if expect == "pattern":
            if raw == "esac":
                self._end_case()
                return Tok("ESAC", raw, line)
            return Tok("WORD", raw, line)
        if expect == "for_words":
            return Tok("WORD", raw, line)
        if self.cmd_pos and raw in RESERVED and raw != "in":
            kind = RESERVED[raw]
            if expect == "coproc_name":
                self.expect = None
            if kind in ("FOR", "SELECT"):
                self.expect = "for_name"
            elif kind == "CASE":
                self.expect = "case_word"
            elif kind == "ESAC":
                self._end_case()
            elif kind == "DLBRACK":
                return self._cond(raw, line)
            elif kind == "FUNCTION":
                self.expect = "function_name"
            elif kind == "COPROC":
                self.expect = "coproc_name"
            return Tok(kind, raw, line)
        if expect == "coproc_name":
            # `coproc NAME {`: a compound command may start after the name (a
            # simple command's next word stays a word: _after())
            self.expect = None
            self.after_coproc_word = True
        if expect == "function_name":
            self.expect = None
            self.after_name = True      # `function f {`: the body may start here
            return Tok("WORD", raw, line)
        if self.assign_ok and ASSIGNMENT.match(raw):
            return Tok("ASSIGN", raw, line)
        return Tok("WORD", raw, line)

    def _end_case(self) -> None:
        if self.case_depth:
            self.case_depth.pop()
        self.expect = "pattern" if self.case_depth and self.case_depth[-1] == "pattern" \
            else None

    def _cond(self, raw: str, line: int) -> Tok:
        """`[[ ... ]]`: its words up to `]]` become CWORD tokens, with `&&`, `||`,
        `(`, `)`, `<`, `>` and `!` as words of their own (parse.y's cond_term)."""
        return Tok("DLBRACK", raw, line)

    def cond_tokens(self) -> Iterator[Tok]:
        text = self.text
        term: list[str] = []        # the words of the current term (for errors)
        while True:
            while self.pos < len(text) and text[self.pos] in " \t\n":
                if text[self.pos] == "\n":
                    self.line += 1
                self.pos += 1
            if self.pos >= len(text):
                raise LexError("unexpected EOF while looking for `]]'", self.line)
            line = self.line
            if term and term[-1] == "=~":
                # parse.y's PST_REGEXP: the regex runs to a blank outside parentheses,
                # with ( ) | < > in it
                end = self._scan_regex(self.pos)
                raw = text[self.pos:end]
                self.pos = end
                if raw == "]]":
                    # special_case_tokens(): `]]` ends the command even here (the
                    # parser then says `unexpected argument `]]'`)
                    yield Tok("DRBRACK", raw, line)
                    return
                term.append(raw)
                yield Tok("CWORD", raw, line)
                continue
            if text.startswith("!(", self.pos) and not (term and term[-1] in PATTERN_OPS):
                # `!(` outside a pattern operand is `!` and a group (parse.y sets
                # PST_EXTPAT only after == != =): [[ $a && !($b && $c) ]]
                self.pos += 1
                term.append("!")
                yield Tok("CWORD", "!", line)
                continue
            for op in ("&&", "||", "(", ")", "<", ">"):
                if text.startswith(op, self.pos):
                    self.pos += len(op)
                    term = [] if op in ("&&", "||", "(") else term + [op]
                    yield Tok("CWORD", op, line)
                    break
            else:
                start = self.pos
                end = self._scan_word(start, regex=True)
                if end == start:        # `;`, `&`, `|`: no word of [[ ]] (no progress)
                    raise LexError(_cond_token_error(term, text[start]), line, eof=False,
                                   status=None)
                raw = text[start:end]
                self.pos = end
                if raw == "]]":
                    yield Tok("DRBRACK", raw, line)
                    return
                term.append(raw)
                yield Tok("CWORD", raw, line)

    def _scan_regex(self, i: int) -> int:
        """The end of an `=~` operand: quotes and backslashes as in a word, blanks
        and `;&` only inside parentheses."""
        text, depth = self.text, 0
        while i < len(text):
            c = text[i]
            if c in " \t\n;&" and depth == 0:
                break
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            if c == "\\":
                i += 2
            elif c == "'":
                i = self._skip_single(i + 1)
            elif c == '"':
                i = self._skip_double(i + 1)
            else:
                i += 1
        return min(i, len(text))

    def _scan_word(self, i: int, regex: bool = False) -> int:
        """The end of the word starting at `i` (quotes and expansions included)."""
        text = self.text
        n = len(text)
        start = i
        while i < n:
            c = text[i]
            if c in "<>" and text.startswith("(", i + 1) and not regex:
                i = self._skip_group(i + 2, "(", ")")    # <(...) >(...)
                continue
            if c == "(" and i > start and text[i - 1] in "?*+@!" and not regex and \
                    self.extglob is not None and self.extglob():
                i = self._skip_group(i + 1, "(", ")")    # an extglob group
                continue
            if c in METACHARS:
                if regex and c in "()|<>" and i > 0:
                    # an =~ regex keeps its parentheses: (a|b) in [[ ]]
                    if c == "(":
                        i = self._skip_group(i + 1, "(", ")")
                        continue
                break
            if c == "\\":
                i += 2
            elif c == "'":
                i = self._skip_single(i + 1)
            elif c == '"':
                i = self._skip_double(i + 1)
            elif c == "`":
                i = self._skip_backtick(i + 1)
            elif c == "$" and i + 1 < n:
                i = self._skip_dollar(i)
            else:
                i = _ORDINARY_RUN.match(text, i).end() if c != "$" else i + 1
        return min(i, n)

    def _eof(self, what: str) -> LexError:
        """Input ended inside a quote, a ${ } or a $[ ] (reported at the word's line:
        recorded) or a $( ) (at the end, line 0 here)."""
        line = self.line if what in "'\"`}]" else 0
        return LexError(f"unexpected EOF while looking for matching `{what}'", line)

    def _skip_single(self, i: int) -> int:
        end = self.text.find("'", i)
        if end < 0:
            raise self._eof("'")
        return end + 1

    def _skip_ansi(self, i: int) -> int:
        text = self.text
        while i < len(text):
            if text[i] == "\\":
                i += 2
            elif text[i] == "'":
                return i + 1
            else:
                i += 1
        raise self._eof("'")

    def _skip_double(self, i: int) -> int:
        text = self.text
        while i < len(text):
            c = text[i]
            if c == "\\":
                i += 2
            elif c == '"':
                return i + 1
            elif c == "`":
                i = self._skip_backtick(i + 1)
            elif c == "$" and i + 1 < len(text) and text[i + 1] in "({":
                i = self._skip_dollar(i)
            else:
                i += 1
        raise self._eof('"')

    def _skip_backtick(self, i: int) -> int:
        text = self.text
        while i < len(text):
            if text[i] == "\\":
                i += 2
            elif text[i] == "`":
                return i + 1
            else:
                i += 1
        raise self._eof("`")

    def _skip_dollar(self, i: int) -> int:
        text = self.text
        nxt = text[i + 1]
        if nxt == "'":
            return self._skip_ansi(i + 2)
        if nxt == '"':
            return self._skip_double(i + 2)
        if nxt == "{":
            return self._skip_group(i + 2, "{", "}")
        if nxt == "[":
            return self._skip_group(i + 2, "[", "]")        # $[EXPR]
        if nxt == "(":
            if text.startswith("((", i + 1):
                try:
                    return self._skip_group(i + 2, "(", ")")
                except LexError as err:
                    # parse_matched_pair() of $(( )): at the word's line (recorded)
                    arith = LexError(err.message, self.line, status=err.status)
                    arith.arith = True      # dash says `Missing '))'` for it
                    raise arith from None
            return comsub_end(text, i + 2, self.line) + 1
        return i + 1

    def _skip_group(self, i: int, open_: str, close: str) -> int:
        """Past the `close` that matches an opening already passed, through quotes
        and nested expansions (a `case` pattern's `)` inside $( ) is not handled)."""
        text = self.text
        depth = 1
        while i < len(text):
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c == "'" and open_ == "(":
                i = self._skip_single(i + 1)
                continue
            if c == "'" and open_ == "{":
                i = self._skip_single(i + 1)
                continue
            if c == '"':
                i = self._skip_double(i + 1)
                continue
            if c == "`":
                i = self._skip_backtick(i + 1)
                continue
            if c == "$" and i + 1 < len(text) and text[i + 1] in "({'":
                i = self._skip_dollar(i)
                continue
            if c == "#" and open_ == "(" and (i == 0 or text[i - 1] in " \t\n;"):
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
                continue
            if c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise self._eof(close)


_SUBSCRIPTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\[")


def comsub_end(text: str, start: int, line: int = 1) -> int:
    """The index of the `)` that ends a `$(` whose text starts at `start`: the text
    is read as commands (parse.y's parse_comsub), so a `case` pattern's `)`, a
    comment or a here-document inside do not end it."""
    sub = Lexer(text, line)
    sub.pos = start
    depth = 0
    while True:
        pattern = sub.expect == "pattern"
        tok = sub._next()
        if tok is None:
            raise LexError("unexpected EOF while looking for matching `)'", 0)
        if tok.type == "LPAREN":
            depth += 1
        elif tok.type == "RPAREN" and not pattern:
            if depth == 0:
                return sub.pos - 1
            depth -= 1
        if tok.type == "DLBRACK":
            for _ in sub.cond_tokens():
                pass
        sub._after(tok)
