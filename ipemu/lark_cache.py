"""Lark parsers without paying for Lark on every start.

The first use of a grammar builds an LALR parser with Lark and turns it into Lark's
standalone parser (plain Python, no `import lark`); its compiled code is cached on
disk, keyed by the grammar text and the Python version. Later starts load that code
object with `marshal`, which costs a few milliseconds instead of Lark's ~80 ms import.
"""
from __future__ import annotations

import marshal
import os
import sys
import types
import zlib
from pathlib import Path

_LOADED: dict[str, object] = {}


def grammar_text(name: str) -> str:
    from ipemu.data import grammar_file
    return grammar_file(name).read_text()


def cache_dir() -> Path:
    explicit = os.environ.get("IPEMU_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ipemu"


def _build_source(text: str) -> str:
    import io

    from lark import Lark
    from lark.tools.standalone import gen_standalone

    out = io.StringIO()
    gen_standalone(Lark(text, parser="lalr"), out=out)
    return out.getvalue()


def parser(name: str):
    """A parser object with `.parse(text)` for grammar/NAME.lark."""
    if name in _LOADED:
        return _LOADED[name]
    text = grammar_text(name)
    digest = f"{zlib.crc32(text.encode()):08x}{len(text):x}"
    path = cache_dir() / f"{name}-{digest}.{sys.implementation.cache_tag}.marshal"
    code = None
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        code = None
    if code is None:
        code = compile(_build_source(text), f"<lark standalone: {name}.lark>", "exec")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(code))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home still works, only slower
    module = types.ModuleType(f"ipemu._lark_{name}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(code, module.__dict__)
    instance = module.Lark_StandAlone()
    instance.module = module
    _LOADED[name] = instance
    return instance
