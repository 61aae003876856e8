"""grep's regular expressions matched without backtracking.

GNU grep answers "does this line match" with a DFA, so `(a|a)*c` on a long line of
a's costs it nothing; Python's `re` backtracks and takes exponential time. The pattern
is parsed by Python's own regex parser (the syntax `_bre` produced), turned into a
Thompson NFA and run as a lazily built DFA (Thompson 1968, as RE2 and GNU dfa.c do):
linear in the line's length. What a DFA cannot do (back-references, look-arounds,
word boundaries) falls back to `re`, as GNU grep falls back to its regex matcher.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable

from ipemu.plainclass import dataclass, field

try:
    from re import _constants as C
    from re import _parser as sre_parse
except ImportError:                      # Python before 3.11 named them sre_*
    import sre_constants as C            # type: ignore[no-redef]
    import sre_parse                     # type: ignore[no-redef]

MAX_STATES = 20000      # a pattern larger than this (a{1000}{1000}) goes to `re`
MAX_DFA_STATES = 4000   # cached DFA states before the cache starts over


class _Unsupported(Exception):
    pass


@dataclass
class _State:
    kind: str                                  # char, split, bol, eol, match
    test: Callable[[str], bool] | None = None
    out: list[int] = field(default_factory=list)


class _Nfa:
    def __init__(self, ignorecase: bool):
        self.states: list[_State] = []
        self.ignorecase = ignorecase

    def add(self, kind: str, test=None) -> int:
        if len(self.states) >= MAX_STATES:
            raise _Unsupported("too large")
        self.states.append(_State(kind, test))
        return len(self.states) - 1

    # a fragment is (start state, list of states whose `out` is still open)
    def seq(self, items) -> tuple[int, list[int]]:
        start, ends = None, []
        for op, av in items:
            frag = self.item(op, av)
            if start is None:
                start, ends = frag
            else:
                for e in ends:
                    self.states[e].out.append(frag[0])
                ends = frag[1]
        if start is None:                      # the empty pattern
            s = self.add("split")
            return s, [s]
        return start, ends

    def item(self, op, av) -> tuple[int, list[int]]:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            s = self.add("char", self._test(op, av))
            return s, [s]
        if op is C.SUBPATTERN:
            return self.seq(av[-1])
        if op is C.BRANCH:
            s = self.add("split")
            ends = []
            for alt in av[1]:
                start, alt_ends = self.seq(alt)
                self.states[s].out.append(start)
                ends += alt_ends
            return s, ends
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            return self.repeat(*av)
        if op is C.AT:
            if av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                s = self.add("bol")
            elif av in (C.AT_END, C.AT_END_STRING):
                s = self.add("eol")
            else:
                raise _Unsupported("word boundary")
            return s, [s]
        raise _Unsupported(str(op))

    def repeat(self, low: int, high, body) -> tuple[int, list[int]]:
        unbounded = high is C.MAXREPEAT
        start = self.add("split")
        ends = [start]
        for _ in range(low):
            frag = self.seq(body)
            for e in ends:
                self.states[e].out.append(frag[0])
            ends = frag[1]
        if unbounded:
            loop = self.add("split")
            for e in ends:
                self.states[e].out.append(loop)
            frag = self.seq(body)
            self.states[loop].out.append(frag[0])
            for e in frag[1]:
                self.states[e].out.append(loop)
            return start, [loop]
        optional = []
        for _ in range(high - low):
            gate = self.add("split")
            for e in ends:
                self.states[e].out.append(gate)
            optional.append(gate)
            frag = self.seq(body)
            self.states[gate].out.append(frag[0])
            ends = frag[1]
        return start, ends + optional

    def _test(self, op, av) -> Callable[[str], bool]:
        """A character's test; under -i a character matches as any of its cases
        (a negated class or literal refuses every case, as `re` does)."""
        if op is C.ANY:
            return lambda ch: ch != "\n"
        if op in (C.LITERAL, C.NOT_LITERAL):
            members = [_set_member(C.LITERAL, av)]
        else:
            negate = bool(av) and av[0][0] is C.NEGATE
            members = [_set_member(o, a) for o, a in (av[1:] if negate else av)]
        negate = op is C.NOT_LITERAL or (op is C.IN and bool(av) and av[0][0] is C.NEGATE)
        if self.ignorecase:
            def member(ch: str) -> bool:
                return any(t(c) for t in members for c in (ch, ch.lower(), ch.upper()))
        else:
            def member(ch: str) -> bool:
                return any(t(ch) for t in members)
        return (lambda ch: not member(ch)) if negate else member


_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit, "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_",
}


def _set_member(op, av) -> Callable[[str], bool]:
    if op is C.LITERAL:
        want = chr(av)
        return lambda ch: ch == want
    if op is C.RANGE:
        low, high = av
        return lambda ch: low <= ord(ch) <= high
    if op is C.CATEGORY:
        name = str(av)
        positive = _CATEGORIES.get(name.replace("NOT_", ""))
        if positive is None:
            raise _Unsupported(name)
        return (lambda ch: not positive(ch)) if "NOT_" in name else positive
    raise _Unsupported(str(op))


class _Dfa:
    """Sets of NFA states built as the input asks for them, each step cached."""

    def __init__(self, nfa: _Nfa, start: int):
        self.nfa = nfa
        self.start = start
        self.cache: dict[tuple[frozenset, str], frozenset] = {}
        self.first = self.closure([start], bol=True)
        self.inject = self.closure([start], bol=False)

    def closure(self, seeds, bol: bool, eol: bool = False) -> frozenset:
        states = self.nfa.states
        seen: set[int] = set()
        stack = list(seeds)
        while stack:
            i = stack.pop()
            if i in seen:
                continue
            seen.add(i)
            kind = states[i].kind
            if kind == "split" or (kind == "bol" and bol) or (kind == "eol" and eol):
                stack.extend(states[i].out)
        return frozenset(i for i in seen if states[i].kind in ("char", "eol", "match")
                         and not (states[i].kind == "eol" and eol))

    def step(self, current: frozenset, ch: str) -> frozenset:
        key = (current, ch)
        found = self.cache.get(key)
        if found is None:
            states = self.nfa.states
            moved = [o for i in current if states[i].kind == "char" and states[i].test(ch)
                     for o in states[i].out]
            found = self.closure(moved, bol=False) | self.inject
            if len(self.cache) > MAX_DFA_STATES:
                self.cache.clear()
            self.cache[key] = found
        return found

    def search(self, line: str) -> bool:
        match = self.nfa.match
        current = self.first
        for ch in line:
            if match in current:
                return True
            current = self.step(current, ch)
        if match in current:
            return True
        ends = [o for i in current if self.nfa.states[i].kind == "eol"
                for o in self.nfa.states[i].out]
        return match in self.closure(ends, bol=not line, eol=True)


@functools.lru_cache(maxsize=256)      # as `re` keeps its compiled patterns
def compile_search(pattern: str, flags: int = 0) -> Callable[[str], bool]:
    """A predicate: does `line` (its trailing newline aside) hold a match of `pattern`
    (Python syntax). Raises re.error for a pattern Python cannot parse. Kept per
    pattern (a DFA keeps the steps it has built, a function of the pattern alone)."""
    return _compile_search(pattern, flags)


# what `re` matches without backtracking: a pattern with no repetition tries each
# start once and each alternative once there, bounded by the line's length times the
# pattern's (`inet `, `^[0-9]`, `state (UP|DOWN)`); a repetition goes to the DFA
_PLAIN = (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN, C.AT)


def _no_repetition(items) -> bool:
    for op, av in items:
        if op is C.SUBPATTERN:
            if not _no_repetition(av[-1]):
                return False
        elif op is C.BRANCH:
            if not all(_no_repetition(alt) for alt in av[1]):
                return False
        elif op not in _PLAIN:
            return False
    return True


def _compile_search(pattern: str, flags: int, dfa: bool = False) -> Callable[[str], bool]:
    """The predicate: `re` for a pattern with no repetition, else the DFA (always the
    DFA with `dfa`, where it can: the tests hold the two to the same answers)."""
    regex = re.compile(pattern, flags)
    try:
        parsed = sre_parse.parse(pattern, flags)
    except RecursionError:
        return lambda line: regex.search(line) is not None
    if not dfa and _no_repetition(parsed):
        find = regex.search
        return lambda line: find(line[:-1] if line.endswith("\n") else line) is not None
    try:
        nfa = _Nfa(bool(flags & re.IGNORECASE))
        start, ends = nfa.seq(parsed)
        nfa.match = nfa.add("match")
        for e in ends:
            nfa.states[e].out.append(nfa.match)
    except (_Unsupported, RecursionError):
        return lambda line: regex.search(line) is not None
    dfa = _Dfa(nfa, start)
    return lambda line: dfa.search(line[:-1] if line.endswith("\n") else line)


def bracket_end(pattern: str, i: int) -> int:
    """The index after the `]` closing a bracket expression opened before i."""
    n = len(pattern)
    if i < n and pattern[i] == "^":
        i += 1
    if i < n and pattern[i] == "]":
        i += 1
    while i < n and pattern[i] != "]":
        if pattern[i] == "[" and i + 1 < n and pattern[i + 1] in ":.=":
            close = pattern.find(pattern[i + 1] + "]", i + 2)
            i = close + 2 if close >= 0 else i + 1
        else:
            i += 1
    return i + 1
