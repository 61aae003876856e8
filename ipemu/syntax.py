"""Words to tokens through the tools' Lark grammars (grammar/TOOL.lark), as iproute2
matches them.

A grammar's tokens are argv words. Lark's interactive LALR parser says which terminals
may come next; this module is the small lexer step between: a word is the first
accepted keyword it abbreviates (`"kw"`: lib/utils.c matches()) or equals (`/kw/`:
strcmp), tried in the order the keywords are written in the innermost rule being
parsed (iproute2's if-chain order), else a value of an accepted kind (`%declare`d
terminals: DEVICE_NAME, IP_PREFIX, ...). Parsing, completion (ipemu/shell/complete.py) and
generated input (ipemu/grammar_gen.py) all ask this module, so the grammar is the one
source of the syntax. Lark itself is not imported: lark_cache gives its standalone
parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def matches(word: str, keyword: str) -> bool:
    """lib/utils.c matches(): the word is a non-empty prefix of the keyword."""
    return bool(word) and keyword.startswith(word)


class Word(str):
    """An argv word with what the grammar made of it: `keyword` is the keyword it
    abbreviates (None for a value, or a word the grammar did not reach); `kind` the
    terminal's value kind (DEVICE_NAME, IP_PREFIX, ...) when it is a value."""

    keyword: str | None = None
    kind: str | None = None


def keyword(word: str) -> str | None:
    """The keyword the grammar resolved `word` to (None for values and plain str)."""
    return getattr(word, "keyword", None)


@dataclass(frozen=True)
class Keyword:
    terminal: str
    text: str
    whole: bool          # /kw/: compared whole (strcmp)


_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"i?|/((?:[^/\\\n]|\\.)+)/[imslux]*')
_DEFINITION = re.compile(r"^[?!]?([a-z_][a-z0-9_]*|[A-Z_][A-Z0-9_]*)(?:\.\d+)?\s*:", re.M)
_DECLARE = re.compile(r"^%declare\s+(.+)$", re.M)


def _strip_comments(text: str) -> str:
    # `//` starts a comment at the beginning of a line or after a blank; regex
    # literals in these grammars never hold `//`
    return re.sub(r"(^|\s)//[^\n]*", lambda m: m.group(1) + " " * (len(m.group(0)) - 1),
                  text)


class Grammar:
    """One tool's grammar: its standalone parser and the keyword tables read from it."""

    def __init__(self, name: str):
        from ipemu.lark_cache import grammar_text, parser
        self.name = name
        self.parser = parser(name)
        self.states = self.parser.parse_interactive().parser_state.parse_conf.states
        text = _strip_comments(grammar_text(name))
        by_pattern = {(t.pattern.type, t.pattern.value): t.name
                      for t in self.parser.lexer_conf.terminals}
        # where each terminal is first written, and inside which rule
        self.keywords: dict[str, Keyword] = {}
        self.position: dict[tuple[str, str], int] = {}   # (rule, terminal) -> offset
        self.first: dict[str, int] = {}
        spans = [(m.start(), m.group(1)) for m in _DEFINITION.finditer(text)]
        spans.append((len(text), ""))
        for (start, rule), (end, _) in zip(spans, spans[1:]):
            for m in _LITERAL.finditer(text, start, end):
                if m.group(1) is not None:
                    key, whole, value = ("str", m.group(1)), False, m.group(1)
                else:
                    key, whole, value = ("re", m.group(2)), True, m.group(2)
                terminal = by_pattern.get(key)
                if terminal is None:
                    continue
                self.keywords.setdefault(terminal, Keyword(terminal, value, whole))
                self.position.setdefault((rule, terminal), m.start())
                self.first.setdefault(terminal, m.start())
        self.values: list[str] = []
        for m in _DECLARE.finditer(text):
            self.values += m.group(1).split()
        # Lark names a literal "table" TABLE: a value kind of that name would be it
        clash = set(self.values) & set(self.keywords)
        if clash:
            raise ValueError(f"grammar/{name}.lark: value kinds named as keywords: {clash}")

    def cursor(self, hidden: frozenset[str] = frozenset()) -> "Cursor":
        return Cursor(self, self.parser.parse_interactive(), hidden)

    def ordered(self, stack: tuple[int, ...]) -> tuple[list[Keyword], list[str]]:
        """The keywords and value kinds a parser state accepts, in matching order."""
        return _ordered(self, stack)

    def _shift_state(self, stack: tuple[int, ...], terminal: str) -> tuple[int, int] | None:
        """The state that shifts `terminal` after the reductions it causes, and the
        stack's depth there (the parser's own feed_token() loop, without values)."""
        states = self.states
        stack = list(stack)
        while True:
            action = states[stack[-1]].get(terminal)
            if action is None:
                return None
            kind, arg = action
            if kind is self.parser.module.Shift:
                return stack[-1], len(stack)
            size = len(arg.expansion)
            if size:
                del stack[-size:]
            stack.append(states[stack[-1]][arg.origin.name][1])

    def rank(self, stack: tuple[int, ...], terminal: str) -> tuple[int, int]:
        """A keyword's place: first the ones the innermost loop takes (iproute2's inner
        parser sees a word before its caller), then where it is written in the rule
        that takes it."""
        shift = self._shift_state(stack, terminal)
        if shift is None:
            return 0, 1 << 30
        state, depth = shift
        places = [self.position[r, terminal] for r in self.states[state]
                  if (r, terminal) in self.position]
        return -depth, min(places) if places else self.first.get(terminal, 1 << 30)


@lru_cache(maxsize=4096)
def _ordered(grammar: Grammar, stack: tuple[int, ...]) -> tuple[list[Keyword], list[str]]:
    # LALR merges states, so a state may list a lookahead it would reduce for and then
    # refuse: only terminals the parser would shift count
    symbols = [s for s in grammar.states[stack[-1]]
               if (s in grammar.keywords or s in grammar.values)
               and grammar._shift_state(stack, s) is not None]
    keywords = sorted((grammar.keywords[s] for s in symbols if s in grammar.keywords),
                      key=lambda k: grammar.rank(stack, k.terminal))
    values = sorted((v for v in symbols if v in grammar.values),
                    key=lambda v: (grammar.rank(stack, v)[0], grammar.values.index(v)))
    return keywords, values


_GRAMMARS: dict[str, Grammar] = {}


def grammar(name: str) -> Grammar:
    if name not in _GRAMMARS:
        _GRAMMARS[name] = Grammar(name)
    return _GRAMMARS[name]


class Cursor:
    """Where a command line's parse is: feeds words one by one, iproute2's way."""

    def __init__(self, grammar: Grammar, interactive, hidden: frozenset[str]):
        self.grammar = grammar
        self.interactive = interactive
        self.hidden = hidden     # keywords this profile's tool has not
        self.stopped = False     # a word the grammar did not accept: the rest is raw

    def _token(self, terminal: str, word: str):
        return self.grammar.parser.module.Token(terminal, word)

    def _fork(self):
        """A copy to try a word on. The values are not deep-copied: a cursor only
        recognises (feeding never changes a value already on the stack), and the deep
        copy was most of the time an `ip -batch` line took."""
        try:
            return self.interactive.copy(deepcopy_values=False)
        except TypeError:   # a Lark before 1.2
            return self.interactive.copy()

    def _try(self, terminal: str, word: str) -> bool:
        trial = self._fork()
        try:
            trial.feed_token(self._token(terminal, word))
        except Exception:   # Lark's UnexpectedToken: not this terminal here
            return False
        self.interactive = trial
        return True

    def expected(self) -> tuple[list[Keyword], list[str]]:
        """The keywords (in matching order, hidden ones left out) and value kinds
        the next word may be."""
        if self.stopped:
            return [], []
        keywords, values = self.grammar.ordered(tuple(self.interactive.parser_state.state_stack))
        return [k for k in keywords if k.text not in self.hidden], values

    def can_end(self) -> bool:
        """The words so far are a whole command of the grammar."""
        if self.stopped:
            return False
        trial = self._fork()
        try:
            trial.feed_eof()
        except Exception:   # Lark's UnexpectedToken: more is needed
            return False
        return True

    def match(self, word: str) -> Keyword | None:
        """The keyword `word` is at this point, without feeding it."""
        keywords, _ = self.expected()
        for kw in keywords:
            if (word == kw.text) if kw.whole else matches(word, kw.text):
                return kw
        return None

    def feed(self, word: str, as_word: str | None = None) -> Word:
        """Feed one word (matched as `as_word` when given: `--stats` as `-stats`)."""
        out = Word(word)
        if self.stopped:
            return out
        keywords, values = self.expected()
        probe = word if as_word is None else as_word
        for kw in keywords:
            if ((probe == kw.text) if kw.whole else matches(probe, kw.text)) \
                    and self._try(kw.terminal, word):
                out.keyword = kw.text
                return out
        for kind in values:
            if self._try(kind, word):
                out.kind = kind
                return out
        self.stopped = True
        return out

    def feed_all(self, words: list[str]) -> list[Word]:
        return [self.feed(w) for w in words]


def tokenize(name: str, words: list[str], hidden: frozenset[str] = frozenset()) -> list[Word]:
    """Each word as the grammar `name` reads it from its start."""
    return grammar(name).cursor(hidden).feed_all(words)
