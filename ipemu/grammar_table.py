"""The tools' grammars (grammar/TOOL.lark) as plain LALR tables, made ahead of time.

`ip`, `ping`, `route`, `bridge` and tcpdump's options are only recognised word by word
(ipemu/syntax.py asks what may come next and feeds one token): that needs the parse
table, the rules' sizes and the keyword tables, not Lark's runtime. `python -m
ipemu.grammar_table` builds them with Lark and writes ipemu/parsers/TOOL_table.py, a
module of literals (dicts, tuples, ints, strings; the parse table's rows as text, each
made a dict when first looked up: parsers.LazyStates) whose bytecode loads in well
under a millisecond; a start never imports Lark nor runs Lark's standalone parser for these
grammars. Each module records the SHA-256 of its grammar: tests/test_grammar.py fails
when a grammar changed and its table was not made again.

The table's format (syntax.TABLE_FORMAT; syntax.load_table() reads it):
- STATES[s] maps a symbol (terminal or rule name) to an int: `n >= 0` shifts to (or, for
  a rule, goes to) state n, `n < 0` reduces by RULES[~n];
- RULES[r] is (the rule's name, how many symbols it pops);
- START and END are the states before the first word and after the start rule;
- KEYWORDS maps a terminal to (its text, compared whole?): "kw" may be abbreviated
  (iproute2's matches()), /kw/ is compared whole (strcmp());
- POSITION maps (rule, terminal) to where the terminal is written in that rule, FIRST
  a terminal to where it is first written: iproute2's if-chain order;
- VALUES lists the %declare'd value kinds in the order they are declared;
- a row's shift of a keyword or value kind carries its place (place(): where the
  terminal is written in the rules of that state), so a start does not work it out.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from ipemu.syntax import TABLE_FORMAT as FORMAT

# the grammars that are only recognised (the shell and tcpdump's filter build trees
# through lark_cache.parser())
TOOLS = ("ip", "ping", "tcpdump_options", "bridge", "route")

_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"i?|/((?:[^/\\\n]|\\.)+)/[imslux]*')
_DEFINITION = re.compile(r"^[?!]?([a-z_][a-z0-9_]*|[A-Z_][A-Z0-9_]*)(?:\.\d+)?\s*:", re.M)
_DECLARE = re.compile(r"^%declare\s+(.+)$", re.M)


def grammar_digest(text: str) -> str:
    import hashlib
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _strip_comments(text: str) -> str:
    # `//` starts a comment at the beginning of a line or after a blank; regex
    # literals in these grammars never hold `//`
    return re.sub(r"(^|\s)//[^\n]*", lambda m: m.group(1) + " " * (len(m.group(0)) - 1),
                  text)


def keyword_tables(text: str, terminals) -> tuple[dict, dict, dict, list]:
    """KEYWORDS, POSITION, FIRST and VALUES read from the grammar's text; `terminals`
    are Lark's TerminalDefs (name and pattern)."""
    text = _strip_comments(text)
    by_pattern = {(t.pattern.type, t.pattern.value): t.name for t in terminals}
    keywords: dict[str, tuple[str, bool]] = {}
    position: dict[tuple[str, str], int] = {}
    first: dict[str, int] = {}
    spans = [(m.start(), m.group(1)) for m in _DEFINITION.finditer(text)]
    spans.append((len(text), ""))
    for (start, rule), (end, _) in zip(spans, spans[1:]):
        for m in _LITERAL.finditer(text, start, end):
            if m.group(1) is not None:
                key, whole, value = ("str", m.group(1)), False, m.group(1)
            else:
                # /-\?/ is the keyword -?
                key, whole, value = ("re", m.group(2)), True, re.sub(r"\\(.)", r"\1",
                                                                      m.group(2))
            terminal = by_pattern.get(key)
            if terminal is None:
                continue
            keywords.setdefault(terminal, (value, whole))
            position.setdefault((rule, terminal), m.start())
            first.setdefault(terminal, m.start())
    values: list[str] = []
    for m in _DECLARE.finditer(text):
        values += m.group(1).split()
    # Lark names a literal "table" TABLE: a value kind of that name would be it
    clash = {v for v in values if v in keywords}
    if clash:
        raise ValueError(f"value kinds named as keywords: {sorted(clash)}")
    return keywords, position, first, values


def build(text: str) -> dict:
    """The tables of a grammar's text (needs Lark)."""
    from lark import Lark

    lark = Lark(text, parser="lalr")
    conf = lark.parse_interactive().parser_state.parse_conf
    rules: dict[object, int] = {}
    states: list[dict[str, int]] = []
    # Lark numbers its states in the order of its sets: number them here breadth first
    # from the start, symbols in name order, so a grammar always gives the same module
    order = [conf.start_state]
    number = {conf.start_state: 0}
    for s in order:
        for symbol, (action, arg) in sorted(conf.states[s].items()):
            if action.name == "Shift" and arg not in number:
                number[arg] = len(order)
                order.append(arg)
    order += sorted(set(conf.states) - set(number))
    for s in order[len(number):]:
        number[s] = len(number)
    for s in order:
        row: dict[str, int] = {}
        for symbol, (action, arg) in sorted(conf.states[s].items()):
            if action.name == "Shift":
                row[symbol] = number[arg]
            else:
                key = (arg.origin.name, len(arg.expansion))
                row[symbol] = ~rules.setdefault(key, len(rules))
        states.append(row)
    keywords, position, first, values = keyword_tables(text, lark.terminals)
    return {"FORMAT": FORMAT, "GRAMMAR_SHA256": grammar_digest(text),
            "START": number[conf.start_state], "END": number[conf.end_state],
            "RULES": tuple(str(name) for name, _ in rules),
            "SIZES": tuple(size for _, size in rules),
            "STATES": tuple(states), "KEYWORDS": keywords, "POSITION": position,
            "FIRST": first, "VALUES": tuple(values)}


def source(name: str) -> str:
    """ipemu/parsers/NAME_table.py for grammar/NAME.lark as it is now."""
    import lark

    from ipemu.lark_cache import grammar_text
    tables = build(grammar_text(name))
    lines = [f"# Generated from grammar/{name}.lark by `python -m ipemu.grammar_table` "
             f"with lark {lark.__version__}.",
             "# Do not edit: change the grammar and generate again (format: "
             "ipemu/grammar_table.py).", ""]
    lines.append("from ipemu.parsers import LazyStates, lazy_table, keyword_table")
    lines.append("")
    for key, value in tables.items():
        if key == "STATES":
            lines += _states_source(value, _places(tables), tables["KEYWORDS"])
        elif key in _AS_TEXT:
            lines += _AS_TEXT[key](value)
        else:
            lines.append(f"{key} = {value!r}")
    lines += ["", "", "def __getattr__(name: str):",
              "    return lazy_table(globals(), name)     # POSITION, FIRST: on first use"]
    return "\n".join(lines) + "\n"


def _words(items) -> str:
    """Words joined by blanks, each checked to be one word (split() gives them back)."""
    words = [str(w) for w in items]
    assert all(w and w.split() == [w] for w in words), words
    return repr(" ".join(words))


# The tables of names are written as text split at load: a module of string literals
# unmarshals each name as an interned string (the ip table's ~2,400 of them took a
# start ~1 ms); one string and split() take ~0.05 ms. POSITION and FIRST (only
# rule_keywords() and the generator use them, since each row carries its places) are
# made on first use by the module's __getattr__ (parsers.lazy_table()).
_AS_TEXT = {
    "RULES": lambda v: [f"RULES = tuple({_words(v)}.split())"],
    # the terminals are SYMBOLS' first names (_states_source()): their texts, and
    # whether each is compared whole as a string of 0s and 1s (splitting out the
    # terminals' ~500 names again cost a start ~0.6 M instructions)
    "KEYWORDS": lambda v: [f"KEYWORDS = keyword_table(SYMBOLS, {_words(text for text, _ in v.values())}, "
                           f"{''.join(str(int(whole)) for _, whole in v.values())!r})"],
    "POSITION": lambda v: [f"_POSITION = {_words(w for (r, t), n in v.items() for w in (r, t, n))}"],
    "FIRST": lambda v: [f"_FIRST = {_words(w for t, n in v.items() for w in (t, n))}"],
}


def place(states, position: dict, first: dict, state: int, terminal: str) -> int:
    """Where `terminal`, shifted in `state`, is written in the rules that state is in
    (the rules in its row), else where it is first written: the second half of
    syntax.Grammar._rank(), the same for every stack with that state on top."""
    places = [position[r, terminal] for r in states[state] if (r, terminal) in position]
    return min(places) if places else first.get(terminal, 1 << 30)


def _places(tables: dict) -> list[dict[str, int]]:
    """place() for each keyword or value each state shifts."""
    states, position, first = tables["STATES"], tables["POSITION"], tables["FIRST"]
    wanted = set(tables["KEYWORDS"]) | set(tables["VALUES"])
    return [{t: place(states, position, first, s, t) for t, n in row.items()
             if n >= 0 and t in wanted} for s, row in enumerate(states)]


def _states_source(states: tuple, places: list[dict[str, int]],
                   keywords: dict) -> list[str]:
    """STATES as rows of text over one tuple of symbols (parsers.LazyStates makes a
    row a dict when it is first looked up), a shifted keyword's or value's place
    after its action. The symbols begin with the keyword terminals in KEYWORDS'
    order (keyword_table() takes their names from there)."""
    symbols: dict[str, int] = {t: n for n, t in enumerate(keywords)}
    for row in states:
        for symbol in row:
            symbols.setdefault(symbol, len(symbols))
    lines = [f"SYMBOLS = tuple({_words(symbols)}.split())", "STATES = LazyStates(SYMBOLS, ("]
    for row, at in zip(states, places):
        text = " ".join(f"{symbols[sym]}:{n}" + (f":{at[sym]}" if sym in at else "")
                        for sym, n in row.items())
        lines.append("    " + repr(text) + ",")
    lines.append("))")
    return lines


def module_path(name: str) -> Path:
    return Path(__file__).resolve().parent / "parsers" / f"{name}_table.py"


def main(argv: list[str] | None = None) -> int:
    """Write ipemu/parsers/NAME_table.py for every tool grammar (or those named)."""
    for name in (argv if argv else TOOLS):
        path = module_path(name)
        path.write_text(source(name), encoding="utf-8")
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
