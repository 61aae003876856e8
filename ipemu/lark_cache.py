"""Lark parsers without paying for Lark on every start, and without running code from
a cache.

Each grammar in grammar/ is turned into Lark's standalone parser (plain Python, no
`import lark`) ahead of time, by `python -m ipemu.lark_cache`, and the result is part
of the package: ipemu/parsers/NAME.py. A start imports that module like any other
(its bytecode comes from the installed package's __pycache__), so nothing executable
is ever read from a user-writable place. Each module records the SHA-256 of the
grammar it was made from; tests/test_robust_parsers.py fails when a grammar changes
and its module was not made again.
"""
from __future__ import annotations

import os
import sys

# the grammars parsed whole by Lark's standalone parser; the tools' grammars ship as
# plain tables instead (ipemu/grammar_table.py)
GRAMMARS = ("shell", "tcpdump")
_LOADED: dict[str, object] = {}


def grammar_text(name: str) -> str:
    from ipemu.data import grammar_file
    return grammar_file(name).read_text(encoding="utf-8")


def grammar_digest(text: str) -> str:
    import hashlib      # here: a start that only needs cache_dir() does without OpenSSL
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parser(name: str):
    """A parser object with `.parse(text)` for grammar/NAME.lark; `.module` is its
    generated module (Token, Transformer, UnexpectedInput, ...)."""
    if name in _LOADED:
        return _LOADED[name]
    __import__(f"ipemu.parsers.{name}")        # not importlib: ~0.5 ms of a start
    module = sys.modules[f"ipemu.parsers.{name}"]
    instance = module.Lark_StandAlone()
    instance.module = module
    _LOADED[name] = instance
    return instance


# where Lark's standalone output turns from its runtime (the same for every grammar)
# to one grammar's tables
_TABLES = "\nimport pickle, zlib, base64\nDATA = ("
RUNTIME = "lark_runtime"


def _standalone(name: str) -> tuple[str, str]:
    """Lark's standalone parser for grammar/NAME.lark, split into the runtime and the
    tables (needs Lark)."""
    import io

    from lark import Lark
    from lark.tools.standalone import gen_standalone

    out = io.StringIO()
    gen_standalone(Lark(grammar_text(name), parser="lalr"), out=out)
    runtime, cut, tables = out.getvalue().partition(_TABLES)
    assert cut, "Lark's standalone output changed its shape"
    return runtime, "DATA = (" + tables


def _head(source: str) -> str:
    import lark
    return (f"# Generated from {source} by `python -m ipemu.lark_cache` with lark "
            f"{lark.__version__}.\n# Do not edit: change the grammar and generate again.\n")


def generate_runtime() -> str:
    """ipemu/parsers/lark_runtime.py: Lark's standalone runtime, once for every grammar.
    The tables deserialize Shift and Reduce as 0 and 1 (the standalone's own ending)."""
    runtime, _ = _standalone(GRAMMARS[0])
    return _head("Lark's standalone generator") + runtime + "\nShift = 0\nReduce = 1\n"


def generate(name: str) -> str:
    """The source of ipemu/parsers/NAME.py for the grammar as it is now (needs Lark):
    its tables, over the shared runtime."""
    _, tables = _standalone(name)
    tables = tables.replace("\nShift = 0\nReduce = 1\n", "\n")
    return (_head(f"grammar/{name}.lark") +
            f"GRAMMAR_SHA256 = {grammar_digest(grammar_text(name))!r}\n\n"
            f"from ipemu.parsers.{RUNTIME} import *  # noqa: F401,F403 - Token, Transformer...\n"
            f"from ipemu.parsers.{RUNTIME} import Lark\n\n" + tables)


def module_path(name: str):
    """The generated module's file, as a Path."""
    from pathlib import Path
    return Path(__file__).resolve().parent / "parsers" / f"{name}.py"


def main(argv: list[str] | None = None) -> int:
    """Write ipemu/parsers/NAME.py for every grammar (or those named), and the runtime
    they share."""
    path = module_path(RUNTIME)
    path.write_text(generate_runtime(), encoding="utf-8")
    sys.stdout.write(f"wrote {path}\n")
    for name in (argv if argv else GRAMMARS):
        path = module_path(name)
        path.write_text(generate(name), encoding="utf-8")
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
