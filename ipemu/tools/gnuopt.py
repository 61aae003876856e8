"""GNU getopt_long() as coreutils and util-linux call it: clustered short letters, `x:`
takes a value (attached or the next word), long options by any unique prefix
(`--al` is `--all`), `--name=value`, `--` ends options, operands anywhere unless
POSIXLY ordered. Errors are glibc's texts (posix/getopt.c) followed by the tool's
`Try 'TOOL --help'` line, with the status the tool gives them."""
from __future__ import annotations

from ipemu.errors import CommandError


def try_help(tool: str) -> str:
    return f"Try '{tool} --help' for more information.\n"


def parse(argv: list[str], short: str, longs: dict[str, str], tool: str,
          status: int = 1, permute: bool = True,
          usage: str | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """(option, value) pairs in order (a long option reported by its short letter, or
    by `--NAME` when it has none) and the operands. `longs` maps NAME or `NAME=` (takes
    a value) to its letter. `usage`: what follows an error (`Try 'TOOL --help'...`)."""
    opts: list[tuple[str, str]] = []
    operands: list[str] = []
    args = list(argv)
    usage = try_help(tool) if usage is None else usage
    while args:
        arg = args.pop(0)
        if arg == "--":
            operands.extend(args)
            break
        if not arg.startswith("-") or arg == "-":
            operands.append(arg)
            if not permute:
                operands.extend(args)
                break
            continue
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            exact = [key for key in longs if key.rstrip("=") == name]
            found = exact or [key for key in longs if key.startswith(name)]
            if not found:
                raise CommandError(f"{tool}: unrecognized option '{arg}'\n{usage}", status)
            if len(found) > 1:
                names = "".join(f" '--{key.rstrip('=')}'" for key in found)
                raise CommandError(f"{tool}: option '{arg.partition('=')[0]}' is ambiguous;"
                                   f" possibilities:{names}\n{usage}", status)
            key = found[0]
            full = key.rstrip("=")
            letter = longs[key] or f"--{full}"
            if key.endswith("="):
                if not eq:
                    if not args:
                        raise CommandError(f"{tool}: option '--{full}' requires an "
                                           f"argument\n{usage}", status)
                    value = args.pop(0)
                opts.append((letter, value))
            elif eq:
                raise CommandError(f"{tool}: option '--{full}' doesn't allow an argument\n"
                                   f"{usage}", status)
            else:
                opts.append((letter, ""))
            continue
        i = 1
        while i < len(arg):
            letter = arg[i]
            where = short.find(letter)
            if where < 0 or letter == ":":
                raise CommandError(f"{tool}: invalid option -- '{letter}'\n{usage}", status)
            if short[where + 1:where + 2] == ":":
                value = arg[i + 1:]
                if not value:
                    if not args:
                        raise CommandError(f"{tool}: option requires an argument -- "
                                           f"'{letter}'\n{usage}", status)
                    value = args.pop(0)
                opts.append((letter, value))
                break
            opts.append((letter, ""))
            i += 1
    return opts, operands


def extra_operand(tool: str, word: str, status: int = 1) -> CommandError:
    """coreutils' `extra operand ‘WORD’` (quote() in a UTF-8 locale)."""
    return CommandError(f"{tool}: extra operand ‘{word}’\n{try_help(tool)}", status)
