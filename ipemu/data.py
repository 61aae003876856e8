"""Where ipemu's data files are: beside the modules that own them. Plain paths are
used instead of importlib.resources, which costs several milliseconds to import on
every `ipemu -c`; the one-shot path reads them as strings (`package_path`), and
pathlib (with fnmatch, re and urllib.parse behind it, ~4 ms) is imported only by
the callers that want a Path."""
from __future__ import annotations

import os

ROOT = os.path.dirname(os.path.realpath(__file__))


def __getattr__(name: str):
    """PACKAGE: the package folder as a Path, made on first use (PEP 562)."""
    if name == "PACKAGE":
        from pathlib import Path
        return Path(ROOT)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def package_path(*parts: str) -> str:
    """A data file's path as a string (no pathlib)."""
    return os.path.join(ROOT, *parts)


def package_file(*parts: str):
    """A data file's path as a pathlib.Path."""
    from pathlib import Path
    return Path(ROOT).joinpath(*parts)


def read_text(*parts: str) -> str:
    """A data file's text (UTF-8), read without pathlib."""
    with open(package_path(*parts), encoding="utf-8") as fh:
        return fh.read()


def grammar_file(name: str):
    """grammar/NAME.lark: installed as ipemu/grammar/, or at the top of a checkout."""
    from pathlib import Path
    installed = Path(ROOT) / "grammar" / f"{name}.lark"
    if installed.is_file():
        return installed
    return Path(ROOT).parent / "grammar" / f"{name}.lark"


def toml_names(*parts: str) -> list[str]:
    folder = package_path(*parts)
    return sorted(n[:-5] for n in os.listdir(folder) if n.endswith(".toml"))
