"""Whether a program a shell runs reads its standard input, from its argv: a filter
reads it only when it is given no file operand (or `-`), so `cat FILE` or `grep -q x
FILE` in a `while read` loop leaves the loop's input to the loop, and `LINE=$(cat
FILE | wc -l)` in a script run with `< INPUT` leaves INPUT to the script's `read`.

Each filter's operands are found as its getopt_long() would (options anywhere, `--`
ends them, the letters that take a value), after the operands that are no file:
grep's pattern and sed's script unless -e/-f gave them, awk's program unless -f did
(and its VAR=value operands), jq's filter. Followed: coreutils, grep 3.8, sed 4.9,
mawk 1.3.4 and jq 1.6's usage texts (the options that take an argument)."""
from __future__ import annotations

import re

# tool: (short letters that take a value, long options that take one)
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cat": ("", ()),
    "tac": ("s", ("separator",)),
    "head": ("nc", ("lines", "bytes")),
    "tail": ("ncs", ("lines", "bytes", "pid", "sleep-interval", "max-unchanged-stats")),
    "wc": ("", ("files0-from",)),
    "sort": ("kotSTy", ("key", "output", "field-separator", "buffer-size",
                        "temporary-directory", "parallel", "batch-size",
                        "compress-program", "random-source", "sort", "files0-from")),
    "uniq": ("fsw", ("skip-fields", "skip-chars", "check-chars", "group",
                     "all-repeated")),
    "cut": ("bcdf", ("bytes", "characters", "delimiter", "fields", "output-delimiter")),
    "md5sum": ("", ()), "sha1sum": ("", ()), "sha256sum": ("", ()), "sha512sum": ("", ()),
    "base64": ("w", ("wrap",)),
    "od": ("AjNStw", ("address-radix", "skip-bytes", "read-bytes", "strings", "format",
                      "width", "endian")),
    "nl": ("bdfhilnsvw", ()),
    "paste": ("d", ("delimiters",)),
    "rev": ("", ()),
    "fold": ("w", ("width",)),
    "expand": ("t", ("tabs",)), "unexpand": ("t", ("tabs",)),
    "grep": ("efmABCdD", ("regexp", "file", "max-count", "after-context",
                          "before-context", "context", "directories", "devices",
                          "include", "exclude", "exclude-from", "exclude-dir",
                          "label", "binary-files", "color", "colour")),
    "egrep": ("efmABCdD", ("regexp", "file", "max-count", "after-context",
                           "before-context", "context")),
    "fgrep": ("efmABCdD", ("regexp", "file", "max-count", "after-context",
                           "before-context", "context")),
    "sed": ("efl", ("expression", "file", "line-length")),
    "awk": ("fvF", ()), "mawk": ("fvFW", ()), "gawk": ("fvF", ()),
    "jq": ("fL", ("arg", "argjson", "slurpfile", "rawfile", "indent", "from-file")),
}
ALWAYS = {"tee", "tr", "xargs", "bash", "sh", "dash"}
# jq's options with two values (NAME VALUE)
JQ_PAIRS = ("--arg", "--argjson", "--slurpfile", "--rawfile")
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def xargs_arg_file(argv: list[str]) -> bool:
    """xargs reads its items from -a FILE (--arg-file) instead of standard input:
    getopt_long("+0a:E:e::i::I:l::L:n:prs:txP:d:") up to the command."""
    args = argv[1:]
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        if arg.startswith("--"):
            if arg.startswith("--arg-file"):
                return True
            continue
        for j, letter in enumerate(arg[1:], 1):
            if letter == "a":
                return True
            if letter in "nIdLPsE":
                if j == len(arg) - 1 and args:
                    args.pop(0)         # its value is the next word
                break
            if letter in "iel":
                break
    return False


def reads_stdin(argv: list[str]) -> bool:
    """Whether `argv`'s program reads its standard input (see the module's text);
    `ip` only for `-batch -` or when the command it runs (`ip netns exec NS CMD`)
    reads it."""
    name = argv[0].rsplit("/", 1)[-1]
    if name == "ip":
        if "-" in argv:
            return True
        if "exec" in argv[2:4] and len(argv) > argv.index("exec") + 2:
            return reads_stdin(argv[argv.index("exec") + 2:])
        return False
    if name == "xargs":
        return not xargs_arg_file(argv)
    if name in ALWAYS:
        return True
    spec = FILTERS.get(name)
    if spec is None:
        return False
    shorts, longs = spec
    operands, letters, named = _operands(name, argv[1:], shorts, longs)
    if name in ("grep", "egrep", "fgrep"):
        if not ({"e", "f"} & letters or {"regexp", "file"} & named):
            operands = operands[1:]
        if not operands and ({"r", "R"} & letters or {"recursive",
                                                       "dereference-recursive"} & named):
            return False            # grep -r with no file searches "."
    elif name == "sed":
        if not ({"e", "f"} & letters or {"expression", "file"} & named):
            operands = operands[1:]
    elif name in ("awk", "mawk", "gawk"):
        if "f" not in letters:
            if operands and _awk_begin_only(operands[0]):
                return False
            operands = operands[1:]
        operands = [o for o in operands if not ASSIGNMENT.match(o)]
    elif name == "jq":
        if "n" in letters or "null-input" in named:
            return False
        if "f" not in letters and "from-file" not in named:
            operands = operands[1:]
    return not operands or "-" in operands


def _awk_begin_only(program: str) -> bool:
    """A program of BEGIN actions only reads no input (mawk's execute() of the BEGIN
    code, then no main loop when there is no main or END code), unless a getline in
    it reads standard input: `v=$(awk -v t="$T" 'BEGIN { print strftime(..., t) }')`
    in a `while read` loop leaves the loop's lines to the loop."""
    if "getline" in program:
        return False
    from ipemu.tools.awk import AwkError, Parser, lex
    try:
        prog = Parser(lex(program)).program()
    except (AwkError, ValueError, IndexError):
        return False
    return bool(prog["begin"]) and not prog["rules"] and not prog["end"]


def _operands(name: str, args: list[str], shorts: str, longs: tuple[str, ...]):
    """The operands, the short letters and the long names seen."""
    operands: list[str] = []
    letters: set[str] = set()
    named: set[str] = set()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if name == "jq" and arg in ("--args", "--jsonargs"):
            # the positional words after the filter are values, not files
            operands.extend(args[i:i + 1] if not operands else [])
            break
        if not arg.startswith("-") or arg == "-":
            operands.append(arg)
            continue
        if arg.startswith("--"):
            key, eq, _ = arg[2:].partition("=")
            named.add(key)
            if name == "jq" and arg in JQ_PAIRS:
                i += 2
            elif not eq and any(k == key for k in longs):
                i += 1
            continue
        for j, letter in enumerate(arg[1:], 1):
            letters.add(letter)
            if letter in shorts:
                if j == len(arg) - 1:
                    i += 1          # the value is the next word
                break
    return operands, letters, named


def program_operand(argv: list[str]) -> str:
    """awk's program or sed's script as an operand (the first operand, after the
    values of -v VAR=VALUE, -F FS, -l N...), "" when -f or -e gave it instead."""
    name = argv[0].rsplit("/", 1)[-1]
    shorts, longs = FILTERS.get(name, ("", ()))
    operands, letters, named = _operands(name, argv[1:], shorts, longs)
    if {"e", "f"} & letters or {"expression", "file"} & named:
        return ""
    return operands[0] if operands else ""


def head_consumed(argv: list[str], text: str) -> int | None:
    """How much of `text` head leaves read when its input is a regular file: the
    first N lines (-n N, -N, default 10) or N bytes (-c N) as characters of the text;
    None for any other program, a count from the end (-n -N) or with a suffix."""
    import re
    if argv[0].rsplit("/", 1)[-1] != "head":
        return None
    lines, count = True, 10
    args = list(argv[1:])
    while args:
        arg = args.pop(0)
        if arg == "--":
            break
        m = re.fullmatch(r"-(\d+)", arg)
        if m:
            lines, count = True, int(m.group(1))
            continue
        m = re.fullmatch(r"(?:-([nc])|--(lines|bytes)=?)(.*)", arg)
        if m:
            letter = m.group(1) or {"lines": "n", "bytes": "c"}[m.group(2)]
            value = m.group(3) or (args.pop(0) if args else "")
            if not value.isdigit():
                return None
            lines, count = letter == "n", int(value)
            continue
        if not arg.startswith("-") or arg == "-":
            return None         # a file operand: not standard input
    if not lines:
        data = text.encode("utf-8", "surrogateescape")[:count]
        return len(data.decode("utf-8", "surrogateescape"))
    at = 0
    for _ in range(count):
        nl = text.find("\n", at)
        if nl < 0:
            return len(text)
        at = nl + 1
    return at
