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

import importlib
import os
import sys
from pathlib import Path

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


def cache_dir() -> Path:
    """ipemu's cache of booted hosts (data only: see snapshot.py and state.py)."""
    explicit = os.environ.get("IPEMU_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ipemu"


def parser(name: str):
    """A parser object with `.parse(text)` for grammar/NAME.lark; `.module` is its
    generated module (Token, Transformer, UnexpectedInput, ...)."""
    if name in _LOADED:
        return _LOADED[name]
    module = importlib.import_module(f"ipemu.parsers.{name}")
    instance = module.Lark_StandAlone()
    instance.module = module
    _LOADED[name] = instance
    return instance


def generate(name: str) -> str:
    """The source of ipemu/parsers/NAME.py for the grammar as it is now (needs Lark)."""
    import io

    import lark
    from lark import Lark
    from lark.tools.standalone import gen_standalone

    text = grammar_text(name)
    out = io.StringIO()
    gen_standalone(Lark(text, parser="lalr"), out=out)
    head = (f"# Generated from grammar/{name}.lark by `python -m ipemu.lark_cache` with lark "
            f"{lark.__version__}.\n# Do not edit: change the grammar and generate again.\n"
            f"GRAMMAR_SHA256 = {grammar_digest(text)!r}\n\n")
    return head + out.getvalue()


def module_path(name: str) -> Path:
    return Path(__file__).resolve().parent / "parsers" / f"{name}.py"


def main(argv: list[str] | None = None) -> int:
    """Write ipemu/parsers/NAME.py for every grammar (or those named)."""
    for name in (argv if argv else GRAMMARS):
        path = module_path(name)
        path.write_text(generate(name), encoding="utf-8")
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
