"""Lark standalone parsers generated from grammar/*.lark (see ipemu/lark_cache.py), and
the tools' LALR tables (NAME_table.py, see ipemu/grammar_table.py)."""


class LazyStates(dict):
    """A table's STATES (ipemu/grammar_table.py): row `s` maps a symbol to an int.
    Each row is written as text (`SYMBOL_INDEX:N ...`, a shifted keyword or value
    `SYMBOL_INDEX:N:PLACE`: its place in the rules of that state) and made a dict the first time
    it is looked up: a command visits a few dozen of a grammar's ~1,300 states, and
    building them all cost every start ~3 ms. A lookup of a made row is a dict's; as
    a sequence, len() and iteration are all the rows'."""

    __slots__ = ("symbols", "rows", "places")

    def __init__(self, symbols: tuple, rows: tuple):
        super().__init__()
        self.symbols = symbols
        self.rows = rows
        self.places: dict[int, dict[str, int]] = {}

    def __missing__(self, state: int) -> dict:
        symbols = self.symbols
        row = {}
        places = {}
        for entry in self.rows[state].split():
            symbol, action, *place = entry.split(":")
            name = symbols[int(symbol)]
            row[name] = int(action)
            if place:
                places[name] = int(place[0])
        self[state] = row
        self.places[state] = places
        return row

    def place(self, state: int, terminal: str) -> int:
        """Where the terminal `state` shifts is written in the rules of that state
        (syntax.Grammar._rank(), worked out when the table was generated)."""
        if state not in self.places:
            self[state]
        return self.places[state][terminal]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return (self[state] for state in range(len(self.rows)))


def keyword_table(symbols: tuple, texts: str, whole: str) -> dict[str, tuple[str, bool]]:
    """A table's KEYWORDS: its terminals are the first of SYMBOLS, `texts` their
    texts, `whole` a 0 or 1 for each (compared whole?)."""
    texts = texts.split()
    # zip()s and map() in C: a comprehension over ip's ~500 keywords cost a start ~0.1 ms
    return dict(zip(symbols[:len(texts)], zip(texts, map("1".__eq__, whole))))


def lazy_table(module: dict, name: str):
    """A table module's POSITION or FIRST, made from its text when first asked for
    (the module's __getattr__) and kept in the module."""
    if name == "POSITION":
        w = module["_POSITION"].split()
        value = {(w[i], w[i + 1]): int(w[i + 2]) for i in range(0, len(w), 3)}
    elif name == "FIRST":
        w = module["_FIRST"].split()
        value = {w[i]: int(w[i + 1]) for i in range(0, len(w), 2)}
    else:
        raise AttributeError(f"module {module['__name__']!r} has no attribute {name!r}")
    module[name] = value
    return value
