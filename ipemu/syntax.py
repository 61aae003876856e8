"""Words to tokens through the tools' Lark grammars (grammar/TOOL.lark), as iproute2
matches them.

A grammar's tokens are argv words. The grammar's LALR table says which terminals
may come next; this module is the small lexer step between: a word is the first
accepted keyword it abbreviates (`"kw"`: lib/utils.c matches()) or equals (`/kw/`:
strcmp), tried in the order the keywords are written in the innermost rule being
parsed (iproute2's if-chain order), else a value of an accepted kind (`%declare`d
terminals: DEVICE_NAME, IP_PREFIX, ...). Parsing, completion (ipemu/shell/complete.py) and
generated input (ipemu/grammar_gen.py) all ask this module, so the grammar is the one
source of the syntax. Neither Lark nor its standalone parser runs here: the grammar's
LALR tables are plain data made ahead of time (ipemu/grammar_table.py).
"""
from __future__ import annotations

from ipemu.plainclass import dataclass

# the format of ipemu/parsers/TOOL_table.py (ipemu/grammar_table.py writes them)
TABLE_FORMAT = 2      # 2: a shifted keyword's place in its row (grammar_table.place())


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


def load_table(name: str):
    """The LALR tables of grammar/NAME.lark: ipemu/parsers/NAME_table.py."""
    import sys
    __import__(f"ipemu.parsers.{name}_table")      # not importlib: ~0.5 ms of a start
    table = sys.modules[f"ipemu.parsers.{name}_table"]
    if table.FORMAT != TABLE_FORMAT:
        raise RuntimeError(f"ipemu/parsers/{name}_table.py is format {table.FORMAT}: "
                           "run `python -m ipemu.grammar_table`")
    return table


class Grammar:
    """One tool's grammar as its LALR tables (ipemu/grammar_table.py's format): the
    parse table drives the cursor directly, one token at a time."""

    def __init__(self, name: str):
        table = load_table(name)
        self.name = name
        self.states: tuple[dict[str, int], ...] = table.STATES
        self.rules: tuple[str, ...] = table.RULES
        self.sizes: tuple[int, ...] = table.SIZES
        self.start: int = table.START
        self.end: int = table.END
        # terminal -> (text, whole); the Keyword objects made as states ask for them
        # (all 500 of ip's cost a start ~0.2 ms; a line meets a few dozen)
        self._keyword_texts: dict[str, tuple[str, bool]] = table.KEYWORDS
        self._made: dict[str, Keyword] = {}
        self._all_keywords: dict[str, Keyword] | None = None
        self._table = table     # POSITION and FIRST are made when first asked for
        self.values: tuple[str, ...] = table.VALUES
        self._value_set = frozenset(self.values)
        self._ordered: dict[tuple[int, ...], tuple[list[Keyword], list[str]]] = {}
        self._nodes: dict[tuple[int, ...], _Node] = {}
        # (start node, hidden, line shape) -> what feeding those words gives (_Shape)
        self._shapes: dict[tuple, _Shape] = {}
        self._prefixes: frozenset[str] | None = None

    @property
    def keyword_prefixes(self) -> frozenset[str]:
        """Every keyword's text and each start of it: a word not among them is no
        keyword, nor an abbreviation of one, anywhere in the grammar (feed() reads it
        as the first value kind its state takes, whatever its text)."""
        if self._prefixes is None:
            self._prefixes = frozenset(text[:i] for text, _ in self._keyword_texts.values()
                                       for i in range(1, len(text) + 1))
        return self._prefixes

    @property
    def keywords(self) -> dict[str, Keyword]:
        """Every keyword terminal's Keyword, in the table's order."""
        if self._all_keywords is None:
            self._all_keywords = {t: self._keyword(t) for t in self._keyword_texts}
        return self._all_keywords

    def _keyword(self, terminal: str) -> Keyword:
        found = self._made.get(terminal)
        if found is None:
            text, whole = self._keyword_texts[terminal]
            found = self._made[terminal] = Keyword(terminal, text, whole)
        return found

    @property
    def position(self) -> dict[tuple[str, str], int]:
        return self._table.POSITION

    @property
    def first(self) -> dict[str, int]:
        return self._table.FIRST

    def rule_keywords(self, rule: str) -> list[str]:
        """The keywords written in `rule`, in the grammar's order (a rule that only
        names words, such as ip.lark's route_type, is then a list of names)."""
        texts = {t: self.keywords[t].text for (r, t) in self.position if r == rule}
        return [texts[t] for t in sorted(texts, key=lambda t: self.position[rule, t])]

    def cursor(self, hidden: frozenset[str] = frozenset()) -> "Cursor":
        return Cursor(self, [self.start], hidden)

    def node(self, stack: tuple[int, ...]) -> "_Node":
        """The parse state of this stack, its answers remembered (a lazily built
        automaton over the LALR stacks: each (state, terminal) is worked out once)."""
        found = self._nodes.get(stack)
        if found is None:
            if len(self._nodes) > 4096:
                self._nodes.clear()
                self._shapes.clear()    # its keys hold the nodes forgotten here
            found = self._nodes[stack] = _Node(self, stack)
        return found

    def _reduce_for(self, stack, terminal: str) -> list[int] | None:
        """A copy of the stack after the reductions `terminal` causes, its top the state
        that shifts it (Lark's ParserState.feed_token() loop, without values); None
        when the terminal cannot come here."""
        states, sizes, rules = self.states, self.sizes, self.rules
        work = list(stack)
        while True:
            action = states[work[-1]].get(terminal)
            if action is None:
                return None
            if action >= 0:
                return work
            size = sizes[~action]
            if size:
                del work[-size:]
            work.append(states[work[-1]][rules[~action]])

    def shift(self, stack: list[int], terminal: str) -> bool:
        """Feed one terminal onto `stack` (in place); False when it cannot come here."""
        work = self._reduce_for(stack, terminal)
        if work is None:
            return False
        work.append(self.states[work[-1]][terminal])
        stack[:] = work
        return True

    def at_end(self, stack: list[int]) -> bool:
        """The input may end here (Lark's feed_eof(): reduce on $END to the end state)."""
        states, sizes, rules = self.states, self.sizes, self.rules
        work = stack[:]
        while True:
            action = states[work[-1]].get("$END")
            if action is None or action >= 0:
                return False
            size = sizes[~action]
            if size:
                del work[-size:]
            work.append(states[work[-1]][rules[~action]])
            if work[-1] == self.end:
                return True

    def ordered(self, stack: tuple[int, ...]) -> tuple[list[Keyword], list[str]]:
        """The keywords and value kinds a parser state accepts, in matching order."""
        keywords, values, _ = self._expect(stack)
        return keywords, values

    def _expect(self, stack: tuple[int, ...]):
        """ordered(), and its keywords by their first letter (a word can only
        abbreviate or equal a keyword that starts with its own first letter)."""
        got = self._ordered.get(stack)
        if got is None:
            if len(self._ordered) > 4096:
                self._ordered.clear()
            keywords, values = self._order(stack)
            by_initial: dict[str, list[Keyword]] = {}
            for kw in keywords:
                by_initial.setdefault(kw.text[:1], []).append(kw)
            got = self._ordered[stack] = (keywords, values, by_initial)
        return got

    def _order(self, stack: tuple[int, ...]) -> tuple[list[Keyword], list[str]]:
        # LALR merges states, so a state may list a lookahead it would reduce for and
        # then refuse: only terminals the parser would shift count
        ranks = {}
        for symbol in self.states[stack[-1]]:
            if symbol in self._keyword_texts or symbol in self._value_set:
                work = self._reduce_for(stack, symbol)
                if work is not None:
                    ranks[symbol] = self._rank(work[-1], len(work), symbol)
        keywords = sorted((self._keyword(s) for s in ranks if s in self._keyword_texts),
                          key=lambda k: ranks[k.terminal])
        values = sorted((v for v in ranks if v in self._value_set),
                        key=lambda v: (ranks[v][0], self.values.index(v)))
        return keywords, values

    def _rank(self, state: int, depth: int, terminal: str) -> tuple[int, int]:
        """A keyword's place: first the ones the innermost loop takes (iproute2's inner
        parser sees a word before its caller), then where it is written in the rule
        that takes it."""
        # the place comes with the table (grammar_table.place(): the rules of `state`)
        return -depth, self.states.place(state, terminal)


_GRAMMARS: dict[str, Grammar] = {}


def grammar(name: str) -> Grammar:
    if name not in _GRAMMARS:
        _GRAMMARS[name] = Grammar(name)
    return _GRAMMARS[name]


class _Node:
    """One LALR stack, with what the cursor asks of it remembered: the keywords and
    value kinds it accepts (Grammar._expect()) and the stack after each terminal
    (Grammar.shift()), so that feeding a word is a few dict lookups. The answers are
    those of the full computation, made once: nothing is guessed from the word."""

    __slots__ = ("grammar", "stack", "keywords", "values", "by_initial", "_next")

    def __init__(self, grammar: Grammar, stack: tuple[int, ...]):
        self.grammar = grammar
        self.stack = stack
        self.keywords, self.values, self.by_initial = grammar._expect(stack)
        self._next: dict[str, _Node | None] = {}

    def step(self, terminal: str) -> "_Node | None":
        """The state after shifting `terminal`; None when it cannot come here."""
        try:
            return self._next[terminal]
        except KeyError:
            work = list(self.stack)
            found = None
            if self.grammar.shift(work, terminal):
                found = self.grammar.node(tuple(work))
            self._next[terminal] = found
            return found


class Cursor:
    """Where a command line's parse is: feeds words one by one, iproute2's way."""

    def __init__(self, grammar: Grammar, stack: list[int], hidden: frozenset[str]):
        self.grammar = grammar
        self.node = grammar.node(tuple(stack))     # the LALR state stack, remembered
        self.hidden = hidden     # keywords this profile's tool has not
        self.stopped = False     # a word the grammar did not accept: the rest is raw
        # the _Shape feed_all() last answered from (None: it fed word by word), so that
        # a caller may key its own work on the line's shape
        self.shape: _Shape | None = None

    @property
    def stack(self) -> list[int]:
        """The LALR state stack (a copy)."""
        return list(self.node.stack)

    def copy(self) -> "Cursor":
        twin = Cursor.__new__(Cursor)
        twin.grammar, twin.node, twin.hidden = self.grammar, self.node, self.hidden
        twin.stopped = self.stopped
        twin.shape = None
        return twin

    def expected(self) -> tuple[list[Keyword], list[str]]:
        """The keywords (in matching order, hidden ones left out) and value kinds
        the next word may be."""
        if self.stopped:
            return [], []
        keywords, values = self.node.keywords, self.node.values
        if self.hidden:
            keywords = [k for k in keywords if k.text not in self.hidden]
        return keywords, values

    def can_end(self) -> bool:
        """The words so far are a whole command of the grammar."""
        return not self.stopped and self.grammar.at_end(list(self.node.stack))

    def takes_value(self) -> bool:
        """Only a value may come next (an option that takes an argument was fed)."""
        keywords, values = self.expected()
        return bool(values) and not keywords and not self.can_end()

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
        node = self.node
        probe = word if as_word is None else as_word
        for kw in node.by_initial.get(probe[:1], ()):
            if ((probe == kw.text) if kw.whole else kw.text.startswith(probe)) \
                    and kw.text not in self.hidden:
                after = node.step(kw.terminal)
                if after is not None:
                    self.node = after
                    out.keyword = kw.text
                    return out
        for kind in node.values:
            after = node.step(kind)
            if after is not None:
                self.node = after
                out.kind = kind
                return out
        self.stopped = True
        return out

    def feed_all(self, words: list[str]) -> list[Word]:
        """feed() of each word, through the line's shape: the words with each that
        starts with a digit written `#` (a value: no keyword starts with a digit
        where it stands, which _Shape checks when it first sees the shape), and each
        that no keyword of the grammar is or starts with (a name: Grammar.
        keyword_prefixes). Where keywords are fixed, what feed() makes of a value
        depends only on the parse state (the first value kind that may come), never
        on its text, so a line of a shape seen before from this state gets the same
        answer without the grammar (a batch of 100,000 `route add PREFIX via ADDR`,
        of 1,000 `link set vethN up`)."""
        if self.stopped:
            return [Word(w) for w in words]
        shapes = self.grammar._shapes
        if len(shapes) < _NAMES_AFTER:
            # a one-shot line (or the first few of many): the digits only, without
            # the keyword prefixes' set (~0.5 ms to make for ip's 500 keywords)
            shape = tuple([w if not w[:1].isdigit() else "#" for w in words])
        else:
            known = self.grammar.keyword_prefixes
            shape = tuple([w if not w[:1].isdigit() and w in known else "#" for w in words])
        key = (self.node, self.hidden, shape)
        found = shapes.get(key)
        if found is None:
            found = _Shape.learn(self, words, shape)
            if found is None:           # a digit may be a keyword somewhere here
                self.shape = None
                return [self.feed(w) for w in words]
            if len(shapes) > 512:       # names make many shapes: a small bound keeps memory flat
                shapes.clear()
            shapes[key] = found
        self.node, self.stopped, self.shape = found.node, found.stopped, found
        out = list(found.words)
        for i, cls in found.values:
            out[i] = cls(words[i])
        return out


# the shapes a grammar keeps before feed_all() writes names as `#` too
_NAMES_AFTER = 4


class _Shape:
    """What a cursor's feed_all() made of a line shape: the state it ends in, and
    the words: those written in the shape as the Word feed() made of them (shared:
    a Word is not changed once made), each `#` word as the Word class of its value
    kind (None: the grammar had stopped, a plain Word)."""

    __slots__ = ("node", "stopped", "words", "values")

    def __init__(self, node, stopped: bool, words: tuple, values: tuple):
        self.node, self.stopped, self.words, self.values = node, stopped, words, values

    @classmethod
    def learn(cls, cursor: "Cursor", words: list[str], shape: tuple) -> "_Shape | None":
        """Feed the words one by one (on a copy of the cursor); None when a keyword
        where a `#` word stands starts with a digit (its text would then matter)."""
        probe = cursor.copy()
        out: list[Word] = []
        values = []
        for i, word in enumerate(words):
            if shape[i] == "#":
                if not probe.stopped and any(c.isdigit() for c in probe.node.by_initial):
                    return None
                fed = probe.feed(word)
                values.append((i, _word_class(fed.kind) if fed.kind is not None else Word))
                out.append(None)
            else:
                out.append(probe.feed(word))
        return cls(probe.node, probe.stopped, tuple(out), tuple(values))


_WORD_CLASSES: dict[str, type] = {}


def _word_class(kind: str) -> type:
    """A Word subclass whose class attribute is the value kind: a value's Word is then
    made in one call (Word(text) with .kind set is the same to every reader)."""
    found = _WORD_CLASSES.get(kind)
    if found is None:
        name = f"Word_{kind}"
        found = _WORD_CLASSES[kind] = type(name, (Word,), {"kind": kind, "__module__": __name__})
        globals()[name] = found     # found by its name, as pickle and copy look it up
    return found


def tokenize(name: str, words: list[str], hidden: frozenset[str] = frozenset()) -> list[Word]:
    """Each word as the grammar `name` reads it from its start."""
    return grammar(name).cursor(hidden).feed_all(words)


class GetoptError(Exception):
    """`message` is what glibc's getopt prints (`PROG: invalid option -- 'x'`)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class GetoptMode:
    """How a tool runs its getopt_long() loop, where tools differ.

    - `go_on`: an error does not end the loop; it comes back in order among the options
      as ("?", message), as getopt() returns '?' and the tool counts it (route.c);
    - `operands_last`: the operands are fed to the grammar after every option (getopt
      permutes them to the end, and the tool reads them only then), not among them;
    - `renamed`: words the tool rewrites before getopt() so that they stay operands
      (route.c's `-net` to `#net`), fed to the grammar as the keywords they were;
    - `same`: two long options that abbreviate alike but are one option to glibc (same
      has_arg, flag and val: route's address families), so not ambiguous.
    """

    go_on: bool = False
    operands_last: bool = False
    renamed: tuple[tuple[str, str], ...] = ()
    same: frozenset[str] = frozenset()


PLAIN = GetoptMode()


def getopt(name: str, prog: str, args: list[str], hidden: frozenset[str] = frozenset(),
           mode: GetoptMode = PLAIN) -> tuple[list[tuple[str, str | None]], list[Word]]:
    """glibc getopt_long() over grammar/NAME.lark, as Python's getopt.gnu_getopt()
    does it (arguments permuted, `--` ends the options): each option letter (`-c`) or
    long option (`--count`) is a keyword of the grammar, and the grammar says whether a
    value follows it. The options come back as (option, value or None for a flag);
    the operands as Words of their kind."""
    return _getopt(grammar(name).cursor(hidden), prog, args, partial=False, mode=mode)


def getopt_cursor(name: str, args: list[str], hidden: frozenset[str] = frozenset(),
                  mode: GetoptMode = PLAIN) -> Cursor:
    """The cursor after the words of a line being typed (completion): an option whose
    value is still to come leaves it expecting that value; a refused word stops it."""
    cursor = grammar(name).cursor(hidden)
    try:
        pairs, _ = _getopt(cursor, name, args, partial=True, mode=mode)
    except GetoptError:
        cursor.stopped = True
    else:
        if any(option == "?" for option, _ in pairs):
            cursor.stopped = True
    return cursor


class _Partial(Exception):
    """The line being typed ends where an option's value is still to come."""


def _getopt(cursor: Cursor, prog: str, args: list[str], partial: bool,
            mode: GetoptMode = PLAIN) -> tuple[list[tuple[str, str | None]], list[Word]]:
    pairs: list[tuple[str, str | None]] = []
    operands: list[str] = []

    def fail(message: str) -> None:
        if not mode.go_on:
            raise GetoptError(message)
        pairs.append(("?", message))

    renamed = dict(mode.renamed)
    args = [renamed.get(a, a) for a in args]
    i = 0
    ended = False
    try:
        while i < len(args):
            arg = args[i]
            i += 1
            if arg == "--":
                ended = True
                if mode.operands_last:
                    operands += args[i:]
                else:
                    cursor.feed(arg)
                    operands += cursor.feed_all(args[i:])
                break
            if arg.startswith("--"):
                i = _long_option(cursor, prog, arg[2:], args, i, partial, mode, pairs, fail)
            elif arg.startswith("-") and arg != "-":
                i = _short_options(cursor, prog, arg, args, i, partial, pairs, fail)
            elif mode.operands_last:
                operands.append(arg)
            else:
                operands.append(cursor.feed(arg))
    except _Partial:
        return pairs, []
    if mode.operands_last:
        if ended:
            cursor.feed("--")
        original = {new: old for old, new in mode.renamed}
        operands = [_as_word(cursor.feed(original.get(w, w)), w) for w in operands]
    return pairs, operands


def _as_word(fed: Word, text: str) -> Word:
    """`fed` (what the grammar made of a renamed word) with the word's own text."""
    if str(fed) == text:
        return fed
    out = Word(text)
    out.keyword, out.kind = fed.keyword, fed.kind
    return out


def _short_options(cursor: Cursor, prog: str, arg: str, args: list[str], i: int,
                   partial: bool, pairs: list, fail) -> int:
    """One cluster of option letters (`-qc3`): flags, then at most one that takes
    the rest of the word or the next word as its value."""
    for j in range(1, len(arg)):
        option = "-" + arg[j]
        # a '-' inside a cluster (`-f1-5`) is no option letter to getopt
        if arg[j] == "-" or cursor.match(option) is None:
            fail(f"{prog}: invalid option -- '{arg[j]}'")
            continue
        cursor.feed(option)
        if not cursor.takes_value():
            pairs.append((option, None))
            continue
        value = arg[j + 1:]
        if not value:
            if i >= len(args):
                if partial:
                    raise _Partial()
                fail(f"{prog}: option requires an argument -- '{arg[j]}'")
                return i
            value, i = args[i], i + 1
        cursor.feed(value)
        pairs.append((option, value))
        break
    return i


def _long_option(cursor: Cursor, prog: str, text: str, args: list[str], i: int,
                 partial: bool, mode: GetoptMode, pairs: list, fail) -> int:
    """getopt's process_long_option(): the long option `text` names (whole, else the
    one it abbreviates, else ambiguous), its value after `=` or in the next word."""
    typed, eq, value = text.partition("=")
    longs = [k.text for k in cursor.expected()[0] if k.text.startswith("--")]
    found = [t for t in longs if t[2:].startswith(typed)]
    if "--" + typed in found:
        found = ["--" + typed]
    if len(found) > 1:
        # glibc: matches that are the same option as the first are no ambiguity
        first = found[0]
        other = [t for t in found[1:] if not (first in mode.same and t in mode.same)]
        if other:
            names = " ".join(f"'{t}'" for t in [first] + other)
            fail(f"{prog}: option '--{text}' is ambiguous; possibilities: {names}")
            return i
        found = [first]
    if not found:
        fail(f"{prog}: unrecognized option '--{text}'")
        return i
    option = found[0]
    cursor.feed(option)
    if not cursor.takes_value():
        if eq:
            fail(f"{prog}: option '{option}' doesn't allow an argument")
            return i
        pairs.append((option, None))
        return i
    if not eq:
        if i >= len(args):
            if partial:
                raise _Partial()
            fail(f"{prog}: option '{option}' requires an argument")
            return i
        value, i = args[i], i + 1
    cursor.feed(value)
    pairs.append((option, value))
    return i


_LETTERS_HIDDEN: dict[tuple[str, str, tuple[str, ...]], frozenset[str]] = {}


def letters_hidden(name: str, optstring: str, longopts: tuple[str, ...] = ()
                   ) -> frozenset[str]:
    """The options of grammar/NAME.lark a version has not: its getopt() string and
    long options (profile data) name the ones it has."""
    key = (name, optstring, tuple(longopts))
    if key not in _LETTERS_HIDDEN:
        have = {"-" + c for c in optstring if c != ":"}
        have |= {"--" + o.rstrip("=") for o in longopts}
        options = [k.text for k in grammar(name).keywords.values()
                   if k.text.startswith("-") and k.text != "--"]
        _LETTERS_HIDDEN[key] = frozenset(o for o in options if o not in have)
    return _LETTERS_HIDDEN[key]
