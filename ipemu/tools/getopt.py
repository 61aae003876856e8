"""util-linux 2.38.1's getopt(1) (misc-utils/getopt.c): the options of a script's
arguments, normalized for `eval set -- "$(getopt ...)"`.

Its own options are read with getopt_long("+ao:l:n:qQs:TuhV"); a first argument that
does not start with `-` (or GETOPT_COMPATIBLE in the environment) is the old form
`getopt OPTSTRING ARGS`, unquoted. generate_output() then runs glibc's getopt_long()
(getopt_long_only() under -a) over the parameters with the given short and long
options: each option in order (` -x`, ` -n 'value'`, ` --name 'value'`, an optional
argument that is absent as `''`), then ` --` and the operands, which glibc's permutation
moved after the options (`+` first in the short options, or POSIXLY_CORRECT, stops at
the first operand; `-` returns operands in place). A parse error is glibc's message under
the -n name and exit status 1, the output still printed; a usage error of getopt itself
is 2, -T is 4."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

PARAMETER_EXIT_CODE = 2
GETOPT_EXIT_CODE = 1
TEST_EXIT_CODE = 4

USAGE = """
Usage:
 getopt <optstring> <parameters>
 getopt [options] [--] <optstring> <parameters>
 getopt [options] -o|--options <optstring> [options] [--] <parameters>

Parse command options.

Options:
 -a, --alternative             allow long options starting with single -
 -l, --longoptions <longopts>  the long options to be recognized
 -n, --name <progname>         the name under which errors are reported
 -o, --options <optstring>     the short options to be recognized
 -q, --quiet                   disable error reporting by getopt(3)
 -Q, --quiet-output            no normal output
 -s, --shell <shell>           set quoting conventions to those of <shell>
 -T, --test                    test for getopt(1) version
 -u, --unquoted                do not quote the output

 -h, --help                    display this help
 -V, --version                 display version

For more details see getopt(1).
"""
TRY_HELP = "Try 'getopt --help' for more information.\n"

# getopt's own options (longopts[] of getopt.c): name -> (letter, takes a value)
OWN_LONG = {"options": ("o", True), "longoptions": ("l", True), "quiet": ("q", False),
            "quiet-output": ("Q", False), "shell": ("s", True), "test": ("T", False),
            "unquoted": ("u", False), "help": ("h", False), "alternative": ("a", False),
            "name": ("n", True), "version": ("V", False)}
OWN_SHORT = "ao:l:n:qQs:TuhV"
NO_ARG, REQUIRED, OPTIONAL = 0, 1, 2


class _Stop(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class _Getopt:
    """glibc's getopt_long()/getopt_long_only() over one argument vector: the options
    it returns in order, the operands, and the messages it prints (posix/getopt.c)."""

    def __init__(self, name: str, optstring: str, longopts: list[tuple[str, int]],
                 long_only: bool, posixly: bool):
        self.name = name
        self.order = "permute"
        if optstring[:1] == "-":
            self.order, optstring = "in_order", optstring[1:]
        elif optstring[:1] == "+":
            self.order, optstring = "require", optstring[1:]
        elif posixly:
            self.order = "require"
        self.print_errors = not optstring.startswith(":")
        self.short = optstring
        self.longopts = longopts
        self.long_only = long_only
        self.errors: list[str] = []
        self.failed = False

    def _error(self, text: str) -> None:
        self.failed = True
        if self.print_errors:
            self.errors.append(f"{self.name}: {text}\n")

    def _short_kind(self, letter: str) -> int | None:
        i = self.short.find(letter)
        if letter == ":" or i < 0:
            return None
        if self.short[i + 1:i + 3] == "::":
            return OPTIONAL
        return REQUIRED if self.short[i + 1:i + 2] == ":" else NO_ARG

    def _find_long(self, name: str, prefix: str):
        """process_long_option(): an exact name, else the one option a prefix names
        (several that differ: ambiguous); None after its message."""
        exact = [o for o in self.longopts if o[0] == name]
        if exact:
            return exact[0]
        found = [o for o in self.longopts if o[0].startswith(name)]
        if not found:
            return "none"
        if len({o for o in found}) > 1 and len(found) > 1:
            names = "".join(f" '{prefix}{o[0]}'" for o in found)
            self._error(f"option '{prefix}{name}' is ambiguous; possibilities:{names}")
            return None
        return found[0]

    def _long(self, args: list[str], i: int, body: str, prefix: str, out: list) -> int:
        """One long option at args[i] (`body` is after the dashes); the next index."""
        name, eq, value = body.partition("=")
        found = self._find_long(name, prefix)
        if found is None:
            return i + 1
        if found == "none":
            self._error(f"unrecognized option '{prefix}{body}'")
            return i + 1
        full, kind = found
        i += 1
        if kind == NO_ARG:
            if eq:
                self._error(f"option '{prefix}{full}' doesn't allow an argument")
                return i
            out.append(("long", full, None, kind))
        elif kind == REQUIRED:
            if not eq:
                if i >= len(args):
                    self._error(f"option '{prefix}{full}' requires an argument")
                    return i
                value, i = args[i], i + 1
            out.append(("long", full, value, kind))
        else:
            out.append(("long", full, value if eq else None, kind))
        return i

    def run(self, args: list[str]) -> tuple[list, list[str]]:
        out: list = []
        operands: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                operands.extend(args[i + 1:])
                break
            if not arg.startswith("-") or arg == "-":
                if self.order == "require":
                    operands.extend(args[i:])
                    break
                if self.order == "in_order":
                    out.append(("operand", arg, None, NO_ARG))
                else:
                    operands.append(arg)
                i += 1
                continue
            if arg.startswith("--"):
                i = self._long(args, i, arg[2:], "--", out)
                continue
            if self.long_only and (len(arg) > 2 or self._short_kind(arg[1]) is None):
                # getopt_long_only(): `-name` is tried as a long option first; a
                # short letter takes over only when no long option matches
                name = arg[1:].partition("=")[0]
                exact = [o for o in self.longopts if o[0] == name]
                prefixed = [o for o in self.longopts if o[0].startswith(name)]
                if exact or prefixed or self._short_kind(arg[1]) is None:
                    if exact or prefixed:
                        i = self._long(args, i, arg[1:], "-", out)
                    else:
                        self._error(f"unrecognized option '{arg}'")
                        i += 1
                    continue
            i = self._cluster(args, i, out)
        return out, operands

    def _cluster(self, args: list[str], i: int, out: list) -> int:
        arg = args[i]
        i += 1
        j = 1
        while j < len(arg):
            letter = arg[j]
            kind = self._short_kind(letter)
            j += 1
            if kind is None:
                self._error(f"invalid option -- '{letter}'")
                continue
            if kind == NO_ARG:
                out.append(("short", letter, None, kind))
                continue
            rest = arg[j:]
            if kind == OPTIONAL:
                out.append(("short", letter, rest or None, kind))
            elif rest:
                out.append(("short", letter, rest, kind))
            elif i < len(args):
                out.append(("short", letter, args[i], kind))
                i += 1
            else:
                self._error(f"option requires an argument -- '{letter}'")
            break
        return i


def _quote(text: str, quote: bool) -> str:
    """print_normalized(): ' ' then the word in single quotes, each ' as '\\''."""
    if not quote:
        return f" {text}"
    return " '" + text.replace("'", "'\\''") + "'"


def _parse_longs(spec: str, longs: list[tuple[str, int]]) -> None:
    """add_long_options(): names split at commas and blanks, `name:` takes a value,
    `name::` may."""
    for token in spec.replace("\t", " ").replace("\n", " ").replace(",", " ").split(" "):
        if not token:
            continue
        kind = NO_ARG
        if token.endswith("::"):
            token, kind = token[:-2], OPTIONAL
        elif token.endswith(":"):
            token, kind = token[:-1], REQUIRED
        if kind != NO_ARG and not token:
            raise _Stop(_usage_error("empty long option after -l or --long argument"))
        longs.append((token, kind))


_pending_err: list[str] = []


def _usage_error(message: str | None) -> int:
    """parse_error(): warnx() of the message, then errtryhelp(): status 2."""
    if message:
        _pending_err.append(f"getopt: {message}\n")
    _pending_err.append(TRY_HELP)
    return PARAMETER_EXIT_CODE


def _own_options(argv: list[str], prog: str):
    """getopt_long(argc, argv, "+ao:l:n:qQs:TuhV", longopts): getopt's own options, up
    to its first operand; (settings, the index after them)."""
    opts = []
    parser = _Getopt(prog, "+" + OWN_SHORT,
                     [(n, REQUIRED if v else NO_ARG) for n, (_, v) in OWN_LONG.items()],
                     False, False)
    out, operands = parser.run(argv)
    for kind, name, value, _ in out:
        letter = OWN_LONG[name][0] if kind == "long" else name
        opts.append((letter, value))
    return opts, parser, len(argv) - len(operands), operands


def generate_output(ctx: ToolContext, name: str, optstring: str, longs, args: list[str],
                    quote: bool, quiet_errors: bool, quiet_output: bool, long_only: bool,
                    posixly: bool) -> int:
    parser = _Getopt(name, optstring, longs, long_only, posixly)
    if quiet_errors:
        parser.print_errors = False
    out, operands = parser.run(args)
    text = ""
    for kind, opt, value, takes in out:
        if kind == "operand":
            text += _quote(opt, quote)
        elif kind == "long":
            text += f" --{opt}"
            if takes != NO_ARG:
                text += _quote(value or "", quote)
        else:
            text += f" -{opt}"
            if takes != NO_ARG:
                text += _quote(value or "", quote)
    ctx.term.err("".join(parser.errors))
    if not quiet_output:
        text += " --" + "".join(_quote(word, quote) for word in operands)
        ctx.term.out(text + "\n")
    return GETOPT_EXIT_CODE if parser.failed else 0


def main(ctx: ToolContext, argv: list[str]) -> int:
    from ipemu.tools.xargs import environment
    env = environment(ctx)
    _pending_err.clear()
    args = argv[1:]
    compatible = "GETOPT_COMPATIBLE" in env
    posixly = "POSIXLY_CORRECT" in env
    if not args:
        if compatible:
            ctx.term.out(" --\n")
            return 0
        status = _usage_error("missing optstring argument")
        ctx.term.err("".join(_pending_err))
        return status
    if not args[0].startswith("-") or compatible:
        # the old form: the first argument is the short options, nothing quoted
        optstring = args[0].lstrip("-+")
        return generate_output(ctx, argv[0], optstring, [], args[1:],
                               False, False, False, False, posixly)
    opts, own, _, rest = _own_options(args, argv[0])
    optstring = None
    longs: list[tuple[str, int]] = []
    name = None
    quote, quiet_errors, quiet_output, long_only = True, False, False, False
    try:
        if own.failed:
            ctx.term.err("".join(own.errors))
            raise _Stop(_usage_error(None))
        for letter, value in opts:
            if letter == "a":
                long_only = True
            elif letter == "h":
                ctx.term.out(USAGE)
                return 0
            elif letter == "o":
                optstring = value
            elif letter == "l":
                _parse_longs(value, longs)
            elif letter == "n":
                name = value
            elif letter == "q":
                quiet_errors = True
            elif letter == "Q":
                quiet_output = True
            elif letter == "s":
                if value not in ("sh", "bash", "csh", "tcsh"):
                    raise _Stop(_usage_error(f"unknown shell after -s or --shell argument"))
            elif letter == "T":
                return TEST_EXIT_CODE
            elif letter == "u":
                quote = False
            elif letter == "V":
                ctx.term.out("getopt from util-linux 2.38.1\n")
                return 0
        if optstring is None:
            if not rest:
                raise _Stop(_usage_error("missing optstring argument"))
            optstring, rest = rest[0], rest[1:]
    except _Stop as stop:
        ctx.term.err("".join(_pending_err))
        return stop.status
    return generate_output(ctx, name or argv[0], optstring, longs, rest, quote,
                           quiet_errors, quiet_output, long_only, posixly)
