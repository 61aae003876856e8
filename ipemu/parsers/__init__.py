"""Lark standalone parsers generated from grammar/*.lark (see ipemu/lark_cache.py), and
the tools' LALR tables (NAME_table.py, see ipemu/grammar_table.py)."""


class LazyStates(dict):
    """A table's STATES (ipemu/grammar_table.py): row `s` maps a symbol to an int.
    Each row is written as text (`SYMBOL_INDEX:N ...`) and made a dict the first time
    it is looked up: a command visits a few dozen of a grammar's ~1,300 states, and
    building them all cost every start ~3 ms. A lookup of a made row is a dict's; as
    a sequence, len() and iteration are all the rows'."""

    __slots__ = ("symbols", "rows")

    def __init__(self, symbols: tuple, rows: tuple):
        super().__init__()
        self.symbols = symbols
        self.rows = rows

    def __missing__(self, state: int) -> dict:
        symbols = self.symbols
        row = {}
        for pair in self.rows[state].split():
            symbol, _, action = pair.partition(":")
            row[symbols[int(symbol)]] = int(action)
        self[state] = row
        return row

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return (self[state] for state in range(len(self.rows)))
