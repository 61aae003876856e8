"""bash 5.2's `echo` and `printf` builtins (builtins/echo.def, builtins/printf.def):
echo's -n/-e/-E and its escapes, printf's conversions, flags, widths and precisions,
the format reused while arguments remain, and its errors (status 1, output kept)."""
from __future__ import annotations

import re
from collections.abc import Callable

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext


def _prefix(ctx: ToolContext) -> str:
    """How bash names itself in a builtin's error ("bash: ", or a script's line)."""
    return getattr(ctx, "prefix", None) or "bash: "


# ------------------------------------------------------------------ escapes
SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n",
          "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


class _Stop(Exception):
    """`\\c`: no more output at all."""


def _raw(value: int) -> str:
    """A byte an escape makes: ASCII as itself, a byte from 0x80 as its surrogate
    escape (ipemu/output.py), so that `\\xff` writes the byte 0xff, not U+00FF."""
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def _bytes_text(text: str) -> str:
    """The escapes' bytes read back as UTF-8: a valid sequence (\\xc3\\xa9) is its
    character again, any other byte stays escaped."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape") \
        if any("\udc80" <= ch <= "\udcff" for ch in text) else text


def escapes(text: str, echo_style: bool) -> tuple[str, bool]:
    """bash's ansicstr()/bexpand(): the text with its backslash escapes done, and
    whether a `\\c` ended it. echo -e and %b take octal as \\0NNN; printf's format
    as \\NNN."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        c = text[i + 1]
        i += 2
        if c in SIMPLE:
            out.append(SIMPLE[c])
        elif c == "c":
            return _bytes_text("".join(out)), True
        elif c in "01234567" and (not echo_style or c == "0"):
            start = i if echo_style else i - 1
            digits = re.match(r"[0-7]{0,3}", text[start:start + 3]).group(0)
            out.append(_raw(int(digits or "0", 8) & 0xFF))
            i = start + len(digits)
        elif c == "x":
            digits = re.match(r"[0-9a-fA-F]{0,2}", text[i:]).group(0)
            if digits:
                out.append(_raw(int(digits, 16)))
                i += len(digits)
            else:
                out.append("\\x")
        elif c in "uU":
            digits = re.match(r"[0-9a-fA-F]{0,%d}" % (4 if c == "u" else 8), text[i:]).group(0)
            if digits:
                out.append(chr(int(digits, 16)))
                i += len(digits)
            else:
                out.append("\\" + c)
        elif not echo_style and c in "\"'?":
            out.append(c)
        else:
            out.append("\\" + c)
    return _bytes_text("".join(out)), False


# --------------------------------------------------------------------- echo
def echo(ctx: ToolContext, argv: list[str]) -> int:
    """echo_builtin(): leading words made only of n, e, E letters are options."""
    args = argv[1:]
    if getattr(ctx.session, "dash_echo", False):
        ctx.session.dash_echo = False
        return _dash_echo(ctx, args)
    newline, interpret = True, False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        for letter in args.pop(0)[1:]:
            newline &= letter != "n"
            interpret = letter == "e" if letter in "eE" else interpret
    text = " ".join(args)
    if interpret:
        text, stopped = escapes(text, echo_style=True)
        if stopped:
            ctx.term.out(text)
            return 0
    ctx.term.out(text + ("\n" if newline else ""))
    return 0


DASH_ESCAPES = {"\\": "\\", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n",
                "r": "\r", "t": "\t", "v": "\v"}


def _dash_echo(ctx: ToolContext, args: list[str]) -> int:
    """dash's echocmd(): `-n` alone is its one option, and the backslash escapes of
    every word are always done (print_escape_str()/conv_escape(): \\0NNN and \\NNN
    octal, \\c ends all output, an unknown escape stays as written)."""
    newline = True
    if args and args[0] == "-n":
        newline = False
        args = args[1:]
    text = " ".join(args)
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\" or i + 1 >= len(text):
            out.append(ch)
            i += 1
            continue
        c = text[i + 1]
        if c == "c":
            ctx.term.out(_bytes_text("".join(out)))
            return 0
        if c in DASH_ESCAPES:
            out.append(DASH_ESCAPES[c])
            i += 2
        elif c in "01234567":
            start = i + 2 if c == "0" else i + 1
            digits = re.match(r"[0-7]{0,3}", text[start:start + 3]).group(0)
            out.append(_raw(int(digits or "0", 8) & 0xFF))
            i = start + len(digits)
        else:
            out.append("\\")
            i += 1
    ctx.term.out(_bytes_text("".join(out)) + ("\n" if newline else ""))
    return 0


# ------------------------------------------------------------------- printf
SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([hlLjzt]*)(.?)", re.S)


# %(FORMAT)T with printf's flags and width before it (bash's printf_builtin)
TIME_SPEC = re.compile(r"%([-+ #0]*)(\d*)(?:\.(\d*))?\(([^)]*)\)T")


class _Printf:
    def __init__(self, ctx: ToolContext, args: list[str]):
        self.ctx = ctx
        self.args = args
        self.pos = 0
        self.status = 0

    def next_arg(self) -> str | None:
        if self.pos < len(self.args):
            self.pos += 1
            return self.args[self.pos - 1]
        return None

    def warn(self, text: str) -> None:
        self.ctx.term.err(f"{_prefix(self.ctx)}printf: {text}\n")
        self.status = 1

    def invalid(self, arg: str, converted: bool) -> None:
        """A number not read whole: bash's sh_invalidnum() names an octal or hex one
        by its leading 0 or 0x; dash's check_conversion() says whether anything was
        read at all."""
        if getattr(self.ctx.session, "dash_printf", False):
            self.warn(f"{arg}: not completely converted" if converted else
                      f"{arg}: expected numeric value")
        elif arg[:1] == "0" and arg[1:2].isdigit():
            self.warn(f"{arg}: invalid octal number")
        elif arg[:2] == "0x":
            self.warn(f"{arg}: invalid hex number")
        else:
            self.warn(f"{arg}: invalid number")

    def integer(self, arg: str | None) -> int:
        """getintmax(): strtoimax with base 0, 'C as a character's value; a bad
        number warns and gives what was read."""
        if arg is None or arg == "":
            return 0
        if arg[0] in "'\"":
            return ord(arg[1]) if len(arg) > 1 else 0
        m = re.match(r"\s*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", arg)
        if not m:
            self.invalid(arg, False)
            return 0
        digits = m.group(2)
        value = int(digits, 16) if digits[:2].lower() == "0x" else \
            int(digits, 8) if digits.startswith("0") else int(digits)
        if m.group(1) == "-":
            value = -value
        if m.end() != len(arg):
            self.invalid(arg, True)
        return value

    def floating(self, arg: str | None) -> float:
        if arg is None or arg == "":
            return 0.0
        if arg[0] in "'\"":
            return float(ord(arg[1])) if len(arg) > 1 else 0.0
        # strtold(): a hex float too (`0x1g` reads 0x1)
        hexa = re.match(r"\s*([-+]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([-+]?\d+))?",
                        arg)
        if hexa and (hexa.group(2) or hexa.group(3)):
            whole, frac = hexa.group(2) or "0", hexa.group(3) or ""
            value = int(whole + frac, 16) / 16 ** len(frac) * 2.0 ** int(hexa.group(4) or 0)
            if hexa.end() != len(arg):
                self.invalid(arg, True)
            return -value if hexa.group(1) == "-" else value
        m = re.match(r"\s*[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|inf|nan)", arg, re.I)
        if not m:
            self.invalid(arg, False)
            return 0.0
        if m.end() != len(arg):
            self.invalid(arg, True)
        return float(m.group(0))

    def run(self, fmt: str) -> None:
        """Print the format once per pass while arguments remain (printf_builtin)."""
        while True:
            used = self.pos
            if self.once(fmt):
                return
            if self.pos == used or self.pos >= len(self.args):
                return

    def once(self, fmt: str) -> bool:
        """One pass over the format; True when output must stop (\\c, a bad format)."""
        # literal text and escapes are kept until a conversion or the end, so that
        # the bytes of `\xE2\x9C\x94` are written together, as one UTF-8 character
        pending: list[str] = []

        def flush() -> None:
            if pending:
                self.ctx.term.out(_bytes_text("".join(pending)))
                pending.clear()
        try:
            return self._once(fmt, pending, flush)
        finally:
            flush()

    def _once(self, fmt: str, pending: list[str], flush: Callable[[], None]) -> bool:
        out = pending.append
        i = 0
        while i < len(fmt):
            ch = fmt[i]
            if ch == "\\":
                consumed = _escape_length(fmt, i)
                text, stopped = escapes(fmt[i:i + consumed], echo_style=False)
                out(text)
                if stopped:
                    return True
                i += consumed
                continue
            if ch != "%":
                j = i
                while j < len(fmt) and fmt[j] not in "%\\":
                    j += 1
                out(fmt[i:j])
                i = j
                continue
            flush()
            timed = TIME_SPEC.match(fmt, i)
            if timed:
                i = timed.end()
                self.strftime(*timed.groups())
                continue
            m = SPEC.match(fmt, i)
            flags, width, precision, _length, conv = m.groups()
            i = m.end()
            if conv == "%" and not (flags or width or precision):
                out("%")
                continue
            if not conv:
                self.warn("`%': missing format character")
                return True
            if width == "*":
                width = str(self.integer(self.next_arg()))
            if precision == "*":
                precision = str(self.integer(self.next_arg()))
            if conv == "q" and getattr(self.ctx.session, "dash_printf", False):
                # dash's printf has no %q: sh_error() of the directive (status 2)
                raise CommandError(f"{_prefix(self.ctx)}printf: %{conv}: invalid directive\n", 2)
            if conv not in "sbqcdiouxXfFeEgGaA":
                self.warn(f"`{conv}': invalid format character")
                return True
            if self.convert(flags, width, precision, conv):
                return True
        return False

    def strftime(self, flags: str, width: str, precision: str | None, fmt: str) -> None:
        """%(FMT)T: strftime() of the argument's seconds; none, -1 the time now, -2
        the shell's start (here: now too)."""
        from ipemu.tools.date import format_time
        arg = self.next_arg()
        seconds = self.integer(arg) if arg not in (None, "") else -1
        when = self.ctx.host.clock.wall if seconds in (-1, -2) else float(seconds)
        text = format_time(fmt, when)
        if precision is not None:
            text = text[:int(precision or 0)]
        self.ctx.term.out(("%" + flags.replace("0", "") + width + "s") % text)

    def convert(self, flags: str, width: str | None, precision: str | None,
                conv: str) -> bool:
        arg = self.next_arg()
        spec = "%" + flags + (width or "") + ("." + precision if precision is not None else "")
        out = self.ctx.term.out
        if conv in "sq":
            text = "" if arg is None else arg
            if conv == "q":
                text = shell_quote(text)
            out(_c_string(flags, width, precision, text))
        elif conv == "b":
            text, stopped = escapes("" if arg is None else arg, echo_style=True)
            out(_c_string(flags, width, precision, text))
            return stopped
        elif conv == "c":
            # the first byte of the argument (a multibyte character's lead byte)
            first = (arg or "").encode("utf-8", "surrogateescape")[:1]
            out(_c_string(flags, width, None, first.decode("utf-8", "surrogateescape")))
        elif conv in "di":
            out(c_integer(flags, width, precision, "d", self.integer(arg)))
        elif conv in "ouxX":
            value = self.integer(arg)
            if value < 0:
                value &= (1 << 64) - 1
            out(c_integer(flags, width, precision, conv, value))
        else:
            value = self.floating(arg)
            out((spec + ("e" if conv in "aA" else conv)) % value)
        return False


def _escape_length(fmt: str, i: int) -> int:
    """How many characters the escape at fmt[i] takes (printf's format: \\NNN,
    \\xHH, \\uHHHH)."""
    c = fmt[i + 1:i + 2]
    if not c:
        return 1
    if c in "01234567":
        return 1 + len(re.match(r"[0-7]{1,3}", fmt[i + 1:]).group(0))
    if c == "x":
        return 2 + len(re.match(r"[0-9a-fA-F]{0,2}", fmt[i + 2:]).group(0))
    if c in "uU":
        return 2 + len(re.match(r"[0-9a-fA-F]{0,%d}" % (4 if c == "u" else 8),
                                fmt[i + 2:]).group(0))
    return 2


def c_integer(flags: str, width: str | None, precision: str | None, conv: str,
              value: int) -> str:
    """printf(3)'s %d %i %o %u %x %X (glibc vfprintf): a precision is the least number
    of digits (0 of value 0 writes no digit) and turns the 0 flag off; `#` gives o a
    leading 0 and x/X a 0x/0X prefix only for a non-zero value (`%#x` of 0 is `0`, where
    Python's % writes 0x0); the sign (d, i) or prefix stays before the zero padding."""
    base = {"o": "%o", "x": "%x", "X": "%X"}.get(conv, "%d")
    digits = base % abs(value)
    prec = None
    if precision is not None:
        prec = int(precision) if precision.lstrip("-").isdigit() else 0
        if prec < 0:
            prec = None                 # a negative precision is taken as none
    if prec is not None:
        if value == 0 and prec == 0:
            digits = ""
        digits = digits.rjust(prec, "0")
    prefix = ""
    if conv in "di":
        prefix = "-" if value < 0 else "+" if "+" in flags else " " if " " in flags else ""
    elif "#" in flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif conv in "xX" and value:
            prefix = "0" + conv
    size = int(width) if width and width.lstrip("-").isdigit() else 0
    left = "-" in flags or size < 0
    size = abs(size)
    body = prefix + digits
    if len(body) >= size:
        return body
    if left:
        return body.ljust(size)
    if "0" in flags and prec is None:
        return prefix + digits.rjust(size - len(prefix), "0")
    return body.rjust(size)


def _c_string(flags: str, width: str | None, precision: str | None, text: str) -> str:
    """printf(3)'s %s as bash's printf builtin hands it the argument: the precision
    and the width count bytes, not characters, whatever the locale (`%-6s` of `é`
    pads with four spaces; `%.3s` of `ñandú` is `ña`)."""
    data = text.encode("utf-8", "surrogateescape")
    if precision is not None:
        data = data[:max(int(precision or 0), 0)]
    size = int(width) if width and width.lstrip("-").isdigit() else 0
    left = "-" in flags or size < 0
    pad = b" " * max(0, abs(size) - len(data))
    data = data + pad if left else pad + data
    return data.decode("utf-8", "surrogateescape")


SAFE = re.compile(r"[A-Za-z0-9_./:=@%+,-]")


def _byte_of(ch: str) -> int:
    """The byte an undecodable input byte stands for (surrogateescape), else the code."""
    code = ord(ch)
    return code - 0xDC00 if 0xDC80 <= code <= 0xDCFF else code


def shell_quote(text: str) -> str:
    """%q: sh_backslash_quote() for printable text, $'...' when it holds control
    characters (ansic_quote()), '' for the empty string."""
    if text == "":
        return "''"
    if any(not ch.isprintable() for ch in text):
        inner = "".join({"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\E", "'": "\\'",
                         "\\": "\\\\", "\a": "\\a", "\b": "\\b", "\f": "\\f",
                         "\v": "\\v"}.get(ch, ch if ch.isprintable() else
                                          "\\%03o" % _byte_of(ch)) for ch in text)
        return f"$'{inner}'"
    out = []
    for index, ch in enumerate(text):
        # a multibyte character (UTF-8 locale) is copied as it is (shquote.c's
        # sh_backslash_quote(): is_basic(c) == 0 -> COPY_CHAR_P)
        if SAFE.match(ch) or (ch == "~" and index) or (ch == "#" and index) or ord(ch) > 127:
            out.append(ch)
        else:
            out.append("\\" + ch)
    return "".join(out)


def printf(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    if getattr(ctx.session, "dash_printf", False) and args and args[0].startswith("-") \
            and len(args[0]) > 1 and args[0] != "--":
        # dash's printfcmd() reads options with nextopt(""): every letter is
        # illegal, a format that starts with `-` included (`printf "--name\n"`)
        raise CommandError(f"{_prefix(ctx)}printf: Illegal option {args[0][:2]}\n", 2)
    if args and args[0] == "--":
        args = args[1:]
    elif args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "-v":
        raise CommandError(f"{_prefix(ctx)}printf: {args[0][:2]}: invalid option\n"
                           "printf: usage: printf [-v var] format [arguments]\n", 2)
    target = None
    if args and args[0] == "-v":
        if len(args) < 2:
            raise CommandError(f"{_prefix(ctx)}printf: -v: option requires an argument\n"
                               "printf: usage: printf [-v var] format [arguments]\n", 2)
        target, args = args[1], args[2:]
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?", target):
            raise CommandError(f"{_prefix(ctx)}printf: `{target}': not a valid identifier\n", 2)
    if not args:
        raise CommandError("printf: usage: printf [-v var] format [arguments]\n", 2)
    if target is None:
        job = _Printf(ctx, args[1:])
        job.run(args[0])
        return job.status
    # -v VAR: the text goes to the shell's variable (the interpreter's state)
    from ipemu.tools.context import Terminal, ToolContext as Ctx
    captured = Terminal()
    inner = Ctx(ctx.host, ctx.netns, captured, ctx.profile, ctx.session, ctx.stdin)
    if getattr(ctx, "prefix", None):
        inner.prefix = ctx.prefix       # a script's `s.sh: line N: ` on its warnings
    job = _Printf(inner, args[1:])
    job.run(args[0])
    ctx.term.err(captured.stream("stderr"))
    # the shell that runs printf (a script's own, a subshell's), not the prompt's
    state = getattr(ctx.session, "tool_shell", None) or getattr(ctx.session, "sh", None)
    if state is not None and hasattr(state, "set"):
        _store(state, target, captured.stream("stdout"))
    return job.status


def _store(state, target: str, text: str) -> None:
    """printf_builtin()'s bind_printf_variable(): NAME, or an element NAME[SUB] (an
    associative array's key as written, an indexed array's number)."""
    name, bracket, sub = target.partition("[")
    if not bracket:
        state.set(target, text)
        return
    sub = sub[:-1]
    var = state.vars.get(name)
    if var is not None and var.assoc:
        var.array[sub] = text
        return
    if sub.strip().lstrip("-").isdigit():
        state.set_element(name, int(sub), text)
    elif sub.strip() in state.vars and (state.get(sub.strip()) or "0").lstrip("-").isdigit():
        state.set_element(name, int(state.get(sub.strip()) or "0"), text)   # arr[i]
    else:
        state.set(target, text)


def main(ctx: ToolContext, argv: list[str]) -> int:
    return echo(ctx, argv) if argv[0] == "echo" else printf(ctx, argv)
