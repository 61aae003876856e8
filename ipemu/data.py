"""Where ipemu's data files are: beside the modules that own them. Plain paths are
used instead of importlib.resources, which costs several milliseconds to import on
every `ipemu -c`."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def package_file(*parts: str) -> Path:
    return PACKAGE.joinpath(*parts)


def grammar_file(name: str) -> Path:
    """grammar/NAME.lark: installed as ipemu/grammar/, or at the top of a checkout."""
    installed = PACKAGE / "grammar" / f"{name}.lark"
    if installed.is_file():
        return installed
    return PACKAGE.parent / "grammar" / f"{name}.lark"


def toml_names(*parts: str) -> list[str]:
    return sorted(p.stem for p in PACKAGE.joinpath(*parts).glob("*.toml"))
