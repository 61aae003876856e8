"""Shell source text to syntax trees: the lexer's tokens through the LALR parser of
grammar/shell.lark (lark_cache.parser("shell")), one complete command at a time, as
bash's reader executes a script command by command."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ipemu.bash import ast
from ipemu.bash.lexer import Lexer, LexError, Tok
from ipemu.plainclass import dataclass


class ShellSyntaxError(Exception):
    """bash's syntax error text (without the `bash: line N: ` prefix); `eof` when the
    input ended too early (the live shell's PS2 asks for more)."""

    def __init__(self, message: str, line: int, eof: bool = False, extra: str = "",
                 status: int | None = 2):
        super().__init__(message)
        self.status = status    # None: the line's status is the one before it
        self.message = message
        self.line = line
        self.eof = eof
        self.extra = extra      # bash's second line: `bash: -c: line 1: `for x in''


@dataclass
class Chunk:
    """A complete command of the input (what bash parses and runs at once)."""

    tree: ast.CList | None
    line: int
    warnings: list
    end: int = 0        # the line the command ends on (its closing newline's)
    # the error of a `[[ ]]` in it that bash's parser refuses (cond_syntax.py)
    conds: object = None
    # the last line read with it (a here-document's body is read before it runs)
    read: int = 0


def _lark():
    from ipemu.lark_cache import parser
    return parser("shell")


# a line of plain words (no quoting, expansion, operator, redirection, comment,
# assignment or reserved word) is one simple command: split, it needs no parser, and
# the grammar's is not even loaded (`ipemu -c 'ip -br link'` starts faster)
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:,@%+- \t")
_RESERVED = frozenset(("if", "then", "else", "elif", "fi", "do", "done", "case", "esac",
                       "while", "until", "for", "in", "function", "select", "time", "coproc"))


def _plain(text: str, line: int) -> Chunk | None:
    if not _PLAIN.issuperset(text):
        return None
    words = text.split()
    if not words or not _RESERVED.isdisjoint(words):
        return None
    command = ast.Simple([], words, [], line)
    pipeline = ast.Pipeline([command], False, line)
    return Chunk(ast.CList([(ast.AndOr(pipeline, [], " ".join(words)), False)]), line, [])


# Parsed texts, by (text, first line number): a script's loop body, a function run
# again, `bash -c` of the same text, a transcript's repeated line are parsed once in
# a process. The parser reads no shell state (no aliases, no shopt), so a text's
# chunks and its syntax error are the same whenever it is read; the trees are
# read-only to execution (a dash shell's rewrite reads fresh ones: cached=False).
_PARSED: dict[tuple[str, int], tuple[list[Chunk], ShellSyntaxError | None]] = {}
_PARSED_MAX = 4096          # entries kept (oldest dropped first)
_PARSED_TEXT_MAX = 1 << 16  # a longer text (a megabyte line) is not kept


# a text in which shopt extglob may make a word of `X(...)`: parsed as it is read
_EXTGLOB_WORD = re.compile(r"[?*+@!]\(")


def chunks(text: str, line: int = 1, probe: dict | None = None,
           cached: bool = True, extglob=None, aliases=None) -> Iterator[Chunk]:
    """The complete commands of `text`, parsed as they are reached: a syntax error
    (ShellSyntaxError) comes after the commands before it have been yielded.
    `probe["lexer"]` is the lexer, for a caller asking whether a here-document
    ended early. A text read to its end before is not parsed again (_PARSED): the
    same chunks, then the same error, come from the cache; `cached=False` for a
    caller that changes the trees it gets. `extglob` tells whether shopt extglob is
    on when a command is read (a text with `X(` is then parsed afresh)."""
    if aliases is not None or extglob is not None and _EXTGLOB_WORD.search(text):
        # what is read depends on the shell's state as each command is read
        yield from parse_chunks(text, line, probe, extglob, aliases)
        return
    if probe is not None or not cached or len(text) > _PARSED_TEXT_MAX:
        yield from parse_chunks(text, line, probe)
        return
    key = (text, line)
    hit = _PARSED.get(key)
    if hit is not None:
        done, error = hit
        yield from done
        if error is not None:
            raise _again(error)
        return
    done = []
    try:
        for chunk in parse_chunks(text, line):
            done.append(chunk)
            yield chunk
    except ShellSyntaxError as err:
        _remember(key, done, _again(err))
        raise
    _remember(key, done, None)


def _remember(key: tuple[str, int], done: list[Chunk], error: ShellSyntaxError | None):
    if len(_PARSED) >= _PARSED_MAX:
        del _PARSED[next(iter(_PARSED))]
    _PARSED[key] = (done, error)


def _again(err: ShellSyntaxError) -> ShellSyntaxError:
    """A new exception like `err` (its attributes, no traceback): the cache's copy is
    never the one a caller catches and may change."""
    new = ShellSyntaxError.__new__(type(err))
    new.args = err.args
    new.__dict__.update(err.__dict__)
    return new


def parse_chunks(text: str, line: int = 1, probe: dict | None = None,
                 extglob=None, aliases=None) -> Iterator[Chunk]:
    """chunks() without the cache: every call parses `text`."""
    plain = _plain(text, line) if probe is None and aliases is None else None
    if plain is not None:
        yield plain
        return
    lark = _lark()
    module = lark.module
    lexer = Lexer(text, line, extglob, aliases)
    if probe is not None:
        probe["lexer"] = lexer
    interactive = lark.parse_interactive()
    fed = 0
    first_line = first_line_of_text = line
    heredocs: dict[int, object] = {}
    tokens = lexer.tokens()
    while True:
        try:
            tok = next(tokens, None)
        except LexError as err:
            # input that ends inside a $( ) or ${ }: reported at the end of the text
            # (its last line, one more after a final newline: `x=$(ls` in a file is
            # at line 2, recorded), however far the lexer had counted
            line = err.line if err.line else \
                first_line_of_text + text.count("\n") + (0 if text.endswith("\n") else 1)
            raise ShellSyntaxError(err.message, line, eof=err.eof, status=err.status) from None
        if tok is None:
            break
        if fed == 0 and tok.type == "NEWLINE":
            first_line = tok.line + 1
            continue
        heredocs[fed] = tok
        lark_tok = module.Token(tok.type, tok.value, start_pos=fed, line=tok.line)
        fed += 1
        try:
            interactive.feed_token(lark_tok)
        except module.UnexpectedInput as err:
            raise _syntax_error(tok) from None
        if tok.type == "NEWLINE" and not lexer.pending and accepts_end(interactive):
            tree = interactive.feed_eof()
            built = _Build(heredocs, text).start(tree)
            yield Chunk(built, first_line, _warnings(lexer), tok.line,
                        _bad_cond(built, text), max(tok.line, lexer.line - 1))
            interactive = lark.parse_interactive()
            fed = 0
            heredocs = {}
            first_line = lexer.line
    if lexer.pending:
        lexer._read_heredocs()      # `cat <<EOF` on the last line: an empty body
    if fed:
        # bash reads `-c` text and scripts as if a newline ended them
        if tok_type_last(heredocs, fed) != "NEWLINE":
            try:
                interactive.feed_token(module.Token("NEWLINE", "\n", start_pos=fed,
                                                    line=lexer.line))
            except module.UnexpectedInput:
                raise _syntax_error(Tok("NEWLINE", "\n", lexer.line)) from None
            heredocs[fed] = Tok("NEWLINE", "\n", lexer.line)
            fed += 1
        eof_line = lexer.line + (0 if text.endswith("\n") else 1)
        try:
            tree = interactive.feed_eof()
        except module.UnexpectedInput:
            raise ShellSyntaxError("syntax error: unexpected end of file", eof_line,
                                   eof=True) from None
        built = _Build(heredocs, text).start(tree)
        yield Chunk(built, first_line, _warnings(lexer), lexer.line, _bad_cond(built, text))


def _bad_cond(tree, text: str):
    """The error of a `[[ ]]` in the command the parser refuses (parse_cond_command()),
    else None; only text with a `[[` can hold one."""
    if "[[" not in text:
        return None
    from ipemu.bash.cond_syntax import first_bad_cond
    return first_bad_cond(tree)


def accepts_end(interactive) -> bool:
    """`"$END" in interactive.accepts()`, trying $END alone: lark's accepts() feeds
    every terminal of the state to a copy of the parser, one copy each (a script's
    every newline asked it: most of the parse). The one try is accepts()'s own, on a
    copy without the tree-building callbacks."""
    if "$END" not in interactive.choices():
        return False
    from copy import copy
    conf = copy(interactive.parser_state.parse_conf)
    conf.callbacks = {}
    cursor = interactive.copy(deepcopy_values=False)
    cursor.parser_state.parse_conf = conf
    try:
        cursor.feed_token(interactive.lexer_thread._Token("$END", ""))
    except _lark().module.UnexpectedToken:
        return False
    return True


def tok_type_last(toks: dict, fed: int) -> str:
    return toks[fed - 1].type if fed else ""


def _warnings(lexer: Lexer) -> list:
    out, lexer.warnings = lexer.warnings, []
    return out


def _syntax_error(tok: Tok) -> ShellSyntaxError:
    shown = "newline" if tok.type == "NEWLINE" else tok.value
    return ShellSyntaxError(f"syntax error near unexpected token `{shown}'", tok.line)


def parse(text: str) -> list[Chunk]:
    """Every complete command of `text` (ShellSyntaxError at the first error)."""
    return list(chunks(text))


def incomplete(text: str) -> bool:
    """True when `text` ends inside a construct (the live shell prompts with PS2)."""
    return incomplete_in(text)[0]


def incomplete_in(text: str) -> tuple[bool, tuple[str, ...]]:
    """incomplete(), and the delimiters of the here-documents `text` ends inside
    (their bodies met its end). Such a text goes on being incomplete, whatever line
    comes next, until a line that is one of those delimiters: a reader of lines
    need not ask again before then (still_inside()), and a script's long
    here-document is parsed once, not once a line."""
    if _plain(text, 1) is not None:
        return False, ()
    probe: dict = {}
    try:
        for _ in chunks(text, probe=probe):
            pass
    except ShellSyntaxError as err:
        return err.eof, ()
    lexer = probe.get("lexer")
    if lexer is not None and lexer.heredoc_eof:
        return True, tuple(doc.delimiter for doc in lexer.unended)
    return _continued(text), ()


def first_command_end(text: str) -> int | None:
    """Where in `text` its first complete command ends (the offset past the newline
    that ends it, here-document bodies included), found by one parse; None when
    the text holds no complete command or a syntax error comes first. A reader of
    lines that would ask incomplete() at every line of a long construct asks this
    once instead (bash's reader finds the end the same way: the parser asks for
    lines until the command is complete)."""
    probe: dict = {}
    try:
        for _ in chunks(text, probe=probe):
            return probe["lexer"].pos
    except ShellSyntaxError:
        return None
    return None


def still_inside(line: str, delimiters: tuple[str, ...]) -> bool:
    """A text that ends inside here-documents with these delimiters, `line` added
    after a newline, still does: the line is none of them (_read_heredocs() ends
    a body at the line equal to its delimiter, tabs stripped for <<-; blanks are
    stripped here too, which only asks the parser more often)."""
    return bool(delimiters) and line.strip() not in {d.strip() for d in delimiters}


def _continued(text: str) -> bool:
    """The line ends in an unquoted backslash: bash reads the next line on (the
    backslash-newline pair is removed: shell_getc()'s line continuation)."""
    if not text.endswith("\\"):
        return False
    last = None
    for last in Lexer(text).tokens():
        pass
    if getattr(last, "type", None) != "WORD" or getattr(last, "end", None) != len(text):
        return False        # a comment's backslash, or nothing but blanks
    value = last.value
    return (len(value) - len(value.rstrip("\\"))) % 2 == 1


# ---------------------------------------------------------------- trees to nodes
def _is(child, kind: str) -> bool:
    return getattr(child, "data", None) == kind


def _tok(child, kind: str) -> bool:
    return getattr(child, "type", None) == kind


class _Build:
    def __init__(self, toks: dict, text: str):
        self.toks = toks        # the lexer's tokens by the number the parser saw
        self.text = text

    def source(self, tree) -> str:
        """The text an and-or list was written as (what `jobs` shows)."""
        positions = list(_leaf_positions(tree))
        if not positions:
            return ""
        first, last = self.toks[min(positions)], self.toks[max(positions)]
        return self.text[first.start:last.end].strip()

    def start(self, tree) -> ast.CList | None:
        for child in tree.children:
            if _is(child, "clist"):
                return self.clist(child)
        return None

    def clist(self, tree) -> ast.CList:
        items: list[tuple[ast.AndOr, bool]] = []
        for child in tree.children:
            if _is(child, "and_or"):
                items.append((self.and_or(child), False))
            elif _is(child, "sep") and any(_tok(c, "AMP") for c in child.children):
                items[-1] = (items[-1][0], True)
        return ast.CList(items)

    def and_or(self, tree) -> ast.AndOr:
        pipes = []
        ops = []
        for child in tree.children:
            if _is(child, "pipeline"):
                pipes.append(self.pipeline(child))
            elif _tok(child, "ANDOR"):
                ops.append(str(child))
        return ast.AndOr(pipes[0], list(zip(ops, pipes[1:])), self.source(tree))

    def pipeline(self, tree) -> ast.Pipeline:
        bang = False
        timed = False
        commands = []
        line = 0
        for child in tree.children:
            if child is None:
                continue
            if _tok(child, "TIME"):
                timed = True
                continue
            if _tok(child, "BANG"):
                bang = not bang
                line = line or child.line
            elif _tok(child, "PIPE"):
                if str(child) == "|&" and isinstance(commands[-1], ast.Simple):
                    commands[-1].redirects.append(ast.Redirect(2, ">&", "1"))
            elif _tok(child, "TIME") or _tok(child, "NEWLINE"):
                continue
            else:
                node = self.command(child)
                commands.append(node)
                line = line or getattr(node, "line", 0)
        return ast.Pipeline(commands, bang, line, timed)

    def command(self, tree):
        if tree.data == "simple_command":
            return self.simple(tree)
        if tree.data == "function_def":
            return self.function(tree)
        if tree.data == "coproc":
            return self.coproc(tree)
        body = self.compound(tree.children[0])
        redirects = [self.redirect(c) for c in tree.children[1:] if _is(c, "redirect")]
        return ast.Compound(body, redirects, _first_line(tree))

    def simple(self, tree) -> ast.Simple:
        assigns, words, redirects = [], [], []
        for child in tree.children:
            if _is(child, "redirect"):
                redirects.append(self.redirect(child))
            elif _tok(child, "ASSIGN") and not words:
                assigns.append(str(child))
            else:
                words.append(str(child))
        return ast.Simple(assigns, words, redirects, _simple_line(tree))

    def redirect(self, tree) -> ast.Redirect:
        fd = None
        op = ""
        target = ""
        heredoc = None
        for child in tree.children:
            if _tok(child, "IONUM"):
                fd = int(str(child)) if str(child).isdigit() else str(child)
            elif _tok(child, "REDIR"):
                op = str(child)
            elif _tok(child, "HEREDOC"):
                op = str(child)
                heredoc = self.toks[child.start_pos].heredoc
            elif _tok(child, "WORD"):
                target = str(child)
        return ast.Redirect(fd, op, target, heredoc)

    def function(self, tree) -> ast.FunctionDef:
        words = [c for c in tree.children if _tok(c, "WORD")]
        compound = next(c for c in tree.children
                        if hasattr(c, "data") and not _is(c, "redirect"))
        redirects = [self.redirect(c) for c in tree.children if _is(c, "redirect")]
        body = ast.Compound(self.compound(compound), redirects, _first_line(compound))
        keyword = ""
        if any(_tok(c, "FUNCTION") for c in tree.children):
            keyword = "function()" if any(_tok(c, "LPAREN") for c in tree.children) \
                else "function"
        return ast.FunctionDef(str(words[0]), body, words[0].line, keyword=keyword)

    def coproc(self, tree) -> ast.Coproc:
        kids = [c for c in tree.children if c is not None]
        name = "COPROC"
        rest = kids[1:]
        if rest and _tok(rest[0], "WORD"):
            name, rest = str(rest[0]), rest[1:]
        positions = [p for c in rest
                     for p in (_leaf_positions(c) if hasattr(c, "children") else [c.start_pos])]
        first, last = self.toks[min(positions)], self.toks[max(positions)]
        return ast.Coproc(name, self.text[first.start:last.end].strip(), kids[0].line)

    def compound(self, tree):
        kind = tree.data
        kids = [c for c in tree.children if not _tok(c, "NEWLINE")]
        lists = [self.clist(c) for c in kids if _is(c, "clist")]
        if kind == "brace_group":
            return ast.Group(lists[0])
        if kind == "subshell":
            end = [c.line for c in tree.children if _tok(c, "RPAREN")]
            return ast.Subshell(lists[0], end[-1] if end else 0)
        if kind == "if_clause":
            branches = [(lists[0], lists[1])]
            for elif_ in (c for c in kids if _is(c, "elif_part")):
                parts = [self.clist(c) for c in elif_.children if _is(c, "clist")]
                branches.append((parts[0], parts[1]))
            orelse = lists[2] if len(lists) > 2 else None
            return ast.If(branches, orelse)
        if kind in ("for_clause", "select_clause"):
            name = str(next(c for c in kids if _tok(c, "WORD")))
            words = None
            for_in = next((c for c in kids if _is(c, "for_in")), None)
            if for_in is not None and any(_tok(c, "IN") for c in for_in.children):
                words = [str(c) for c in for_in.children if _tok(c, "WORD")]
            return ast.For(name, words, lists[0], kids[0].line, kind == "select_clause")
        if kind == "arith_for":
            arith = next(c for c in kids if _tok(c, "ARITH"))
            parts = _split_arith_for(str(arith))
            traced = tuple(p.lstrip() for p in str(arith).split(";"))
            return ast.ArithFor(*parts, lists[0], arith.line, traced)
        if kind in ("while_clause", "until_clause"):
            return ast.While(lists[0], lists[1], kind == "until_clause")
        if kind == "case_clause":
            word = str(next(c for c in kids if _tok(c, "WORD")))
            items = []
            for item in kids:
                if _is(item, "case_item") or _is(item, "last_item"):
                    pattern = next(c for c in item.children if _is(c, "pattern"))
                    pats = [str(c) for c in pattern.children if _tok(c, "WORD")]
                    body = next((self.clist(c) for c in item.children if _is(c, "clist")),
                                None)
                    sep = next((str(c) for c in item.children if _tok(c, "CASESEP")), ";;")
                    items.append(ast.CaseItem(pats, body, sep))
            return ast.Case(word, items, kids[0].line)
        if kind == "arith_cmd":
            return ast.ArithCmd(str(kids[0]), kids[0].line)
        if kind == "cond_cmd":
            return ast.Cond([str(c) for c in kids if _tok(c, "CWORD")], kids[0].line)
        raise ValueError(kind)


def _split_arith_for(text: str) -> tuple[str, str, str]:
    parts = text.split(";")
    if len(parts) != 3:
        raise ShellSyntaxError(f"syntax error: arithmetic expression required", 0)
    return parts[0].strip(), parts[1].strip(), parts[2].strip()


def _leaf_positions(tree):
    for child in tree.children:
        if hasattr(child, "children"):
            yield from _leaf_positions(child)
        elif child is not None:
            yield child.start_pos


def _simple_line(tree) -> int:
    """The line bash numbers a simple command by (its errors, $LINENO): where the
    lexer stood when make_simple_command() ran, having read the first element and
    the token after it (a quoted word over several lines ends lines later)."""
    children = tree.children
    if not children:
        return 0
    return _end_line(children[1] if len(children) > 1 else children[0])


def _end_line(child) -> int:
    if _tok(child, "WORD") or _tok(child, "ASSIGN"):
        return (getattr(child, "line", 0) or 0) + str(child).count("\n")
    return _first_line(child) if hasattr(child, "children") else getattr(child, "line", 0)


def _first_line(tree) -> int:
    for child in tree.children:
        if hasattr(child, "line") and getattr(child, "line", None):
            return child.line
        if hasattr(child, "children"):
            line = _first_line(child)
            if line:
                return line
    return 0
