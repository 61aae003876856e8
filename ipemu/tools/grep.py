"""GNU grep 3.8 as scripts use it (src/grep.c): BRE/ERE/fixed patterns (-G -E -F,
-e, -f), -i -v -w -x -c -l -L -o -q -s -n -h -H -m, context lines (-A -B -C, -NUM)
with `--` between groups, several files, errors (status 2) and grep's exit rule."""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.coreutils import is_output
from ipemu.tools.posixre import RegexError, translate
from ipemu.tools.textio import getopt, read_input, split_lines

USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
SHORTOPTS = "0123456789A:B:C:D:EFGHILPTUVZabcd:e:f:hilm:noqrsuvwxyz"


class _Options:
    def __init__(self) -> None:
        self.mode = "G"
        self.patterns: list[str] | None = None
        self.ignore = self.invert = self.word = self.line = False
        self.count = self.quiet = self.silent = self.number = self.only = False
        self.files_with = self.files_without = False
        self.names: bool | None = None
        self.after = self.before = 0
        self.max_count = -1
        self.recursive = False
        self.byte_offset = False
        self.null_data = False        # -z: records end with NUL, in and out
        self.group_separator: str | None = "--"
        # grep.c's out_before/out_after start at -1: any -A/-B/-C/-NUM given, even 0,
        # turns the group separators on; `used`: some line printed already (any file)
        self.context = False
        self.used = False
        self.color = False


# grep.c's long_options (those scripts and cheat sheets type)
LONGS = {"extended-regexp": "E", "fixed-strings": "F", "basic-regexp": "G",
         "perl-regexp": "P", "regexp=": "e", "file=": "f", "ignore-case": "i",
         "no-ignore-case": "--no-ignore-case", "word-regexp": "w", "line-regexp": "x",
         "count": "c", "files-without-match": "L", "files-with-matches": "l",
         "max-count=": "m", "only-matching": "o", "quiet": "q", "silent": "q",
         "no-messages": "s", "byte-offset": "b", "with-filename": "H",
         "no-filename": "h", "line-number": "n", "invert-match": "v",
         "after-context=": "A", "before-context=": "B", "context=": "C",
         "group-separator=": "--group-separator",
         "no-group-separator": "--no-group-separator", "recursive": "r",
         "dereference-recursive": "R", "text": "a", "null-data": "z",
         "line-buffered": "--line-buffered"}


_VALUED = set("ABCDdefm")


def _color_option(args: list[str]) -> tuple[list[str], str | None]:
    """--color[=WHEN] / --colour[=WHEN] (an optional argument, which the getopt
    here has not): taken out of the words before `--`; the last one counts."""
    kept, when = [], None
    after_value = False
    for k, arg in enumerate(args):
        if arg == "--":
            kept += args[k:]
            break
        name, eq, value = arg.partition("=")
        if not after_value and len(name) > 4 and ("--color".startswith(name) or
                                                 "--colour".startswith(name)):
            when = value if eq else ""
            continue
        kept.append(arg)
        after_value = arg[:1] == "-" and arg[1:2] != "-" and len(arg) == 2 and \
            arg[1] in _VALUED
    return kept, when


def _parse(ctx: ToolContext, argv: list[str]) -> tuple[_Options, list[str]]:
    o = _Options()
    args, color = _color_option(list(argv[1:]))
    if color is not None:
        o.color = color in ("always", "yes", "force") or \
            (color in ("", "auto", "tty", "if-tty") and
             bool(getattr(ctx.session, "stdout_tty", False)))
    opts, operands = getopt(args, SHORTOPTS, "grep", USAGE, LONGS)
    digits = ""
    for letter, value in opts:
        if letter.isdigit():
            digits += letter
            o.after = o.before = int(digits)
            o.context = True
            continue
        digits = ""
        if letter in "EFGP":
            o.mode = letter
        elif letter == "e":
            o.patterns = (o.patterns or []) + value.split("\n")
        elif letter == "f":
            try:
                o.patterns = (o.patterns or []) + split_lines(read_input(ctx, value))
            except OSError as err:
                raise CommandError(f"grep: {value}: {err.strerror}\n", 2)
        elif letter in "ABC":
            if not value.isdigit():
                raise CommandError(f"grep: {value}: invalid context length argument\n", 2)
            o.context = True
            if letter in "AC":
                o.after = int(value)
            if letter in "BC":
                o.before = int(value)
        elif letter == "m":
            try:
                o.max_count = int(value)
            except ValueError:
                raise CommandError(f"grep: invalid max count\n", 2)
        elif letter in "iy":
            o.ignore = True
        elif letter == "--no-ignore-case":
            o.ignore = False
        elif letter == "b":
            o.byte_offset = True
        elif letter == "--group-separator":
            o.group_separator = value
        elif letter == "--no-group-separator":
            o.group_separator = None
        elif letter == "--line-buffered":
            pass        # fflush() after each line: what a line it prints shows at once
        else:
            attr = {"v": "invert", "w": "word", "x": "line", "c": "count", "q": "quiet",
                    "s": "silent", "n": "number", "o": "only", "l": "files_with",
                    "L": "files_without", "z": "null_data"}.get(letter)
            if attr:
                setattr(o, attr, True)
            elif letter in "hH":
                o.names = letter == "H"
            elif letter in "rR":
                o.recursive = True
    if o.patterns is None:
        if not operands:
            raise CommandError(USAGE, 2)
        o.patterns = operands.pop(0).split("\n")
    return o, operands


def _compile(o: _Options) -> re.Pattern:
    if o.mode == "P" and len(o.patterns) > 1:
        # grep 3.8 pcresearch.c Pcompile(): several -e, or a newline in the pattern
        raise RegexError("the -P option only supports a single pattern")
    parts = []
    for pattern in o.patterns:
        body = re.escape(pattern) if o.mode == "F" else \
            _perl(pattern) if o.mode == "P" else translate(pattern, o.mode == "E", unicode=True)
        if o.line:
            body = f"^(?:{body})$"
        elif o.word:
            body = rf"(?<!\w)(?:{body})(?!\w)"
        parts.append(f"(?:{body})")
    try:
        return re.compile("|".join(parts), re.IGNORECASE if o.ignore else 0)
    except re.error:
        raise RegexError("Invalid regular expression") from None


_ZERO_WIDTH = "<>bB`'"


def ere_warnings(pattern: str) -> list[str]:
    """gnulib dfa.c lex()'s dfawarn()s for -E (grep 3.8): a repetition where only
    "(", "|" or zero-width anchors precede it (laststart) is taken, with a warning."""
    from ipemu.tools.grepre import bracket_end
    found: list[str] = []
    laststart, i, n = True, 0, len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "\\":
            if i < n and pattern[i] not in _ZERO_WIDTH:
                laststart = False
            i += 1
        elif ch == "[":
            i = bracket_end(pattern, i)
            laststart = False
        elif ch in "(|":
            laststart = True
        elif ch in "*+?":
            if laststart:
                found.append(f"{ch} at start of expression")
        elif ch == "{" and re.match(r"(\d+(,\d*)?|,\d+)}", pattern[i:]):
            if laststart:
                found.append("{...} at start of expression")
            i = pattern.index("}", i) + 1
            laststart = False
        elif ch not in "^$":
            laststart = False
    return found


def _perl(pattern: str) -> str:
    """-P (PCRE2): Python's `re` reads Perl's syntax (\\d, \\s, look-arounds, lazy
    quantifiers) as it is; each `\\K` (keep out what matched so far) becomes an empty
    group `ipemu_K<n>` (one pattern may hold several, one in each alternative) whose
    position starts what -o prints (_kept_start())."""
    out, i, n = [], 0, 0
    in_class = False
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] == "K" and not in_class:
                out.append(f"(?P<ipemu_K{n}>)")
                n += 1
            elif pattern[i + 1] in _PCRE_ASCII:
                # grep 3.8 compiles without PCRE2_UCP: \d, \s and \w are ASCII
                # classes (recorded: `grep -cP '\d'` finds no full-width digit)
                cls = _PCRE_ASCII[pattern[i + 1]]
                if not in_class:
                    out.append(cls)
                elif cls[1] != "^":
                    out.append(cls[1:-1])
                else:
                    out.append(pattern[i:i + 2])    # a negated one in a set: as it was
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if pattern[i] == "[" and not in_class:
            in_class = True
            out.append(pattern[i])
            i += 1
            # a `]` (or `^]`) first in the class is one of its characters
            if pattern[i:i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i:i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if pattern[i] == "]" and in_class:
            in_class = False
        out.append(pattern[i])
        i += 1
    return "".join(out)


# \d \s \w and their negations as PCRE2 reads them without UCP; inside a set the
# positive ones go in bare (a negated one there is left to Python's Unicode class)
_PCRE_ASCII = {"d": "[0-9]", "D": "[^0-9]", "s": "[\\t\\n\\v\\f\\r ]",
               "S": "[^\\t\\n\\v\\f\\r ]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]"}


def _kept_start(m: re.Match) -> int:
    """Where a match begins once `\\K` has dropped its start: the last `\\K` the match
    went through (pcre2_match()'s start_match set by OP_KEEP), or its own start."""
    kept = [m.start(g) for g in m.re.groupindex if g.startswith("ipemu_K") and
            m.start(g) >= 0]
    return max(kept, default=m.start())


# Debian 12's /bin/egrep and /bin/fgrep: `exec grep -E "$@"` (-F), no obsolescence warning
WRAPPERS = {"egrep": "-E", "fgrep": "-F"}


def _recurse(ctx: ToolContext, operands: list[str] | None) -> tuple[list[str], bool]:
    """-r: each directory operand walked as fts() walks it (the directory's own order,
    symbolic links below the operands not followed), its files named under the
    operand as given (with no operand, "." without its "./"); True when a directory
    was among them (names are shown)."""
    import posixpath
    from ipemu.tools.find import _Finder
    finder = _Finder(ctx, None)
    out: list[str] = []
    dirs = False

    def walk(shown: str, path: str) -> None:
        for name in finder.listdir(path) or []:
            real = posixpath.join(path, name)
            kind = finder.kind(real)
            if kind == "d":
                walk(f"{shown}{name}/", real)
            elif kind != "l":
                out.append(shown + name)        # listed, so there (a /proc/sys file)

    for name in operands or ["."]:
        path = posixpath.normpath(posixpath.join(ctx.session.cwd, name))
        if name != "-" and finder.kind(path) in ("d", "l") and finder.listdir(path) is not None:
            dirs = True
            walk("" if not operands else name if name.endswith("/") else name + "/", path)
        else:
            out.append(name)
    return out, dirs


def main(ctx: ToolContext, argv: list[str]) -> int:
    if argv and argv[0].rsplit("/", 1)[-1] in WRAPPERS:
        argv = ["grep", WRAPPERS[argv[0].rsplit("/", 1)[-1]]] + list(argv[1:])
    o, files = _parse(ctx, argv)
    if o.mode == "E":
        for pat in o.patterns:
            for warning in ere_warnings(pat):
                ctx.term.err(f"grep: warning: {warning}\n")
    try:
        pattern = _compile(o)
    except RegexError as err:
        raise CommandError(f"grep: {err}\n", 2)
    names = files or ["-"]
    many = len(names) > 1
    if o.recursive:
        names, dirs = _recurse(ctx, files)
        many = many or dirs
    show_names = o.names if o.names is not None else many
    found = error = False
    # suppressible_error() goes through glibc's error(), which fflush()es stdout
    # first: in a pipe (`grep "" eth0/* 2>&1 | head`) the lines before a file's error
    # come before it (recorded)
    fflush = getattr(ctx.term.sink, "fflush", None)
    for name in names:
        label = "(standard input)" if name == "-" else name
        try:
            text = read_input(ctx, name)
        except IsADirectoryError:
            if not o.silent:
                if fflush is not None:
                    fflush()
                ctx.term.err(f"grep: {label}: Is a directory\n")
            error = True
            continue
        except OSError as err:
            if not o.silent:
                if fflush is not None:
                    fflush()
                ctx.term.err(f"grep: {label}: {err.strerror}\n")
            error = True
            continue
        if text and is_output(ctx, name):
            ctx.term.err(f"grep: {label}: input file is also the output\n")   # grepdesc()
            error = True
            continue
        if o.files_with or o.files_without:
            # -l/-L name the file whatever -h or the number of files say
            matched = _grep_file(ctx, o, pattern, text, label)
            found |= matched
            if o.quiet and found:
                return 0
            continue
        matched = _grep_file(ctx, o, pattern, text, label if show_names else "")
        found |= matched
        if o.quiet and found:
            return 0
    return 2 if error and not (o.quiet and found) else 0 if found else 1


def _grep_file(ctx: ToolContext, o: _Options, pattern: re.Pattern, text: str,
               label: str) -> bool:
    lines = split_lines(text) if not o.null_data else \
        (text[:-1] if text.endswith("\0") else text).split("\0") if text else []
    eol = "\0" if o.null_data else "\n"     # the record terminator, in and out
    # lines are selected by a DFA (grepre.py), as GNU grep's dfa.c does: no pattern
    # backtracks exponentially; `re` still finds the -o matches in selected lines
    from ipemu.tools.grepre import compile_search
    search = compile_search(pattern.pattern, pattern.flags)
    selected = [i for i, ln in enumerate(lines) if search(ln) != o.invert]
    if o.max_count >= 0:
        selected = selected[:o.max_count]
    out = ctx.term.out
    if o.quiet:
        return bool(selected)
    if o.files_with or o.files_without:
        if bool(selected) == o.files_with:
            out(f"{label or '(standard input)'}\n" if not label else f"{label}\n")
        return bool(selected)
    if o.count:
        out(f"{label}:{len(selected)}\n" if label else f"{len(selected)}\n")
        return bool(selected)

    offsets = []
    total = 0
    for line in lines:
        offsets.append(total)
        total += len(line.encode("utf-8", "surrogateescape")) + 1
    paint = _painter(o.color)

    def prefix(index: int, sep: str, offset: int | None = None) -> str:
        """print_line_head(): file name, line number, byte offset, each with SEP."""
        head = (paint(FN, label) + paint(SE, sep)) if label else ""
        if o.number:
            head += paint(LN, str(index + 1)) + paint(SE, sep)
        if o.byte_offset:
            where = offsets[index] if offset is None else offset
            head += paint(BN, str(where)) + paint(SE, sep)
        return head

    def body(index: int, selected_line: bool) -> str:
        """print_line_middle(): with color, the matches of the lines that match."""
        line = lines[index]
        if not o.color or selected_line == o.invert:
            return line
        return pattern.sub(lambda m: paint(MS, m.group(0)) if m.group(0) else "", line)

    shown = -1            # the last line printed (context included)
    chosen = set(selected)
    for i in selected:
        start = max(i - o.before, shown + 1)
        # prtext(): the separator when a group does not go on from the last line
        # printed, in this file or (lastout reset per file) after another file's lines
        if o.context and o.used and o.group_separator is not None and \
                (shown < 0 or start > shown + 1):
            out(paint(SE, o.group_separator) + "\n")
        o.used = True
        if o.only:
            # -o: the context lines are passed over unprinted, their groups kept
            if not o.invert:
                for m in pattern.finditer(lines[i]):
                    # -P's \K: what it matched before the \K is left out of the match
                    begin = _kept_start(m)
                    text = lines[i][begin:m.end()]
                    if text:
                        start_byte = offsets[i] + len(lines[i][:begin].encode(
                            "utf-8", "surrogateescape"))
                        out(prefix(i, ":", start_byte) + paint(MS, text) + eol)
        else:
            for j in range(start, i):
                out(prefix(j, "-") + body(j, False) + eol)
            out(prefix(i, ":") + body(i, True) + eol)
        shown = i
        end = min(len(lines), i + 1 + o.after)
        j = i + 1
        while j < end and j not in chosen:
            if not o.only:
                out(prefix(j, "-") + body(j, False) + eol)
            shown = j
            j += 1
    return bool(selected)


# GREP_COLORS' defaults (grep.c): selected match, file name, line and byte number, separator
MS, FN, LN, BN, SE = "01;31", "35", "32", "32", "36"


def _painter(color: bool):
    """pr_sgr_start()/pr_sgr_end(): SGR and erase-to-end-of-line around each part."""
    if not color:
        return lambda code, text: text
    return lambda code, text: f"\x1b[{code}m\x1b[K{text}\x1b[m\x1b[K"
