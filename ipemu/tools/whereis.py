"""util-linux 2.38's whereis: the binary, manual and source files of a name, as the
recording machine has them for the programs this box runs (profiles/files/debian12/
whereis.txt, its own whereis's lines); another name has none (`NAME:`)."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

TRY = "Try 'whereis --help' for more information.\n"


def _table() -> dict[str, list[str]]:
    from ipemu.data import read_text
    out = {}
    for line in read_text("profiles", "files", "debian12", "whereis.txt").splitlines():
        name, _, paths = line.partition(":")
        out[name] = paths.split()
    return out


def _kind(path: str) -> str:
    # whereis.c: the info directories are searched with the manuals (-m, not -b)
    return "m" if path.startswith(("/usr/share/man/", "/usr/share/info/")) else \
        "s" if path.startswith(("/usr/src/", "/usr/share/src/")) else "b"


def main(ctx: ToolContext, argv: list[str]) -> int:
    """whereis.c main(): -b -m -s choose the kinds (all three by default); -B/-M/-S
    with -f name the directories, -l lists them, -u keeps the unusual."""
    kinds: set[str] = set()
    names = []
    for word in argv[1:]:
        if word in ("-h", "--help"):
            ctx.term.out(ctx.profile.usage("whereis_help"))
            return 0
        if word in ("-V", "--version"):
            ctx.term.out("whereis from util-linux 2.38.1\n")
            return 0
        if word.startswith("-") and len(word) > 1:
            letters = word[1:]
            if not set(letters) <= set("bmsu"):
                ctx.term.err("whereis: bad usage\n" + TRY)
                return 1
            kinds |= set(letters) - {"u"}
            continue
        names.append(word)
    if not names:
        ctx.term.err("whereis: not enough arguments\n" + TRY)
        return 1
    kinds = kinds or {"b", "m", "s"}
    table = _table()
    for name in names:
        base = name.rsplit("/", 1)[-1]
        paths = [p for p in table.get(base, []) if _kind(p) in kinds]
        ctx.term.out(f"{base}:" + "".join(f" {p}" for p in paths) + "\n")
    return 0
