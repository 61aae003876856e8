"""coreutils `tty` and `stty` (src/tty.c, src/stty.c) and ncurses `tput` on the line's
pseudo-terminal: the recorders give every line a fresh 80x24 pty with ONLCR off, so
its settings are the kernel's defaults for a pty less `onlcr`, and what `stty` changes
lasts until the line ends (Session.new_shell() drops it)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass, field
from ipemu.tools.context import ToolContext

TTY_NAME = "/dev/pts/0"      # the first pty of an idle machine
NOT_A_TTY = "'standard input': Inappropriate ioctl for device"

# stty.c's mode_info[] (Linux bits), in its order: name, flag word, bits, mask,
# sane (True: SANE_SET, False: SANE_UNSET, None: neither), rev (REV: shown as -name)
MODES = [
    ("parenb", "c", 0x100, 0, False, True), ("parodd", "c", 0x200, 0, False, True),
    ("cmspar", "c", 0x40000000, 0, False, True),
    ("cs5", "c", 0x00, 0x30, None, False), ("cs6", "c", 0x10, 0x30, None, False),
    ("cs7", "c", 0x20, 0x30, None, False), ("cs8", "c", 0x30, 0x30, None, False),
    ("hupcl", "c", 0x400, 0, None, True), ("cstopb", "c", 0x40, 0, None, True),
    ("cread", "c", 0x80, 0, True, True), ("clocal", "c", 0x800, 0, None, True),
    ("crtscts", "c", 0x80000000, 0, None, True),
    ("ignbrk", "i", 0x1, 0, False, True), ("brkint", "i", 0x2, 0, True, True),
    ("ignpar", "i", 0x4, 0, None, True), ("parmrk", "i", 0x8, 0, None, True),
    ("inpck", "i", 0x10, 0, None, True), ("istrip", "i", 0x20, 0, None, True),
    ("inlcr", "i", 0x40, 0, False, True), ("igncr", "i", 0x80, 0, False, True),
    ("icrnl", "i", 0x100, 0, True, True), ("ixon", "i", 0x400, 0, None, True),
    ("ixoff", "i", 0x1000, 0, False, True), ("iuclc", "i", 0x200, 0, False, True),
    ("ixany", "i", 0x800, 0, False, True), ("imaxbel", "i", 0x2000, 0, True, True),
    ("iutf8", "i", 0x4000, 0, False, True),
    ("opost", "o", 0x1, 0, True, True), ("olcuc", "o", 0x2, 0, False, True),
    ("ocrnl", "o", 0x8, 0, False, True), ("onlcr", "o", 0x4, 0, True, True),
    ("onocr", "o", 0x10, 0, False, True), ("onlret", "o", 0x20, 0, False, True),
    ("ofill", "o", 0x40, 0, False, True), ("ofdel", "o", 0x80, 0, False, True),
    ("nl1", "o", 0x100, 0x100, False, False), ("nl0", "o", 0, 0x100, True, False),
    ("cr3", "o", 0x600, 0x600, False, False), ("cr2", "o", 0x400, 0x600, False, False),
    ("cr1", "o", 0x200, 0x600, False, False), ("cr0", "o", 0, 0x600, True, False),
    ("tab3", "o", 0x1800, 0x1800, False, False), ("tab2", "o", 0x1000, 0x1800, False, False),
    ("tab1", "o", 0x800, 0x1800, False, False), ("tab0", "o", 0, 0x1800, True, False),
    ("bs1", "o", 0x2000, 0x2000, False, False), ("bs0", "o", 0, 0x2000, True, False),
    ("vt1", "o", 0x4000, 0x4000, False, False), ("vt0", "o", 0, 0x4000, True, False),
    ("ff1", "o", 0x8000, 0x8000, False, False), ("ff0", "o", 0, 0x8000, True, False),
    ("isig", "l", 0x1, 0, True, True), ("icanon", "l", 0x2, 0, True, True),
    ("iexten", "l", 0x8000, 0, True, True), ("echo", "l", 0x8, 0, True, True),
    ("echoe", "l", 0x10, 0, True, True), ("echok", "l", 0x20, 0, True, True),
    ("echonl", "l", 0x40, 0, False, True), ("noflsh", "l", 0x80, 0, False, True),
    ("xcase", "l", 0x4, 0, False, True), ("tostop", "l", 0x100, 0, False, True),
    ("echoprt", "l", 0x400, 0, False, True), ("echoctl", "l", 0x200, 0, True, True),
    ("echoke", "l", 0x800, 0, True, True), ("flusho", "l", 0x1000, 0, False, True),
    ("extproc", "l", 0x10000, 0, False, True),
]
# the same bits under other names (OMIT in mode_info[]: set, never shown)
ALIASES = {"hup": "hupcl", "tandem": "ixoff", "crterase": "echoe", "prterase": "echoprt",
           "ctlecho": "echoctl", "crtkill": "echoke", "decctlq": "ixany"}
# control_info[]: name, sane value, c_cc index (Linux)
CONTROLS = [("intr", 3, 0), ("quit", 0x1c, 1), ("erase", 0x7f, 2), ("kill", 0x15, 3),
            ("eof", 4, 4), ("eol", 0, 11), ("eol2", 0, 16), ("swtch", 0, 7),
            ("start", 0x11, 8), ("stop", 0x13, 9), ("susp", 0x1a, 10), ("rprnt", 0x12, 12),
            ("werase", 0x17, 14), ("lnext", 0x16, 15), ("discard", 0xf, 13)]
VMIN, VTIME = 6, 5
B38400 = 0xf


@dataclass
class Termios:
    """The pty's settings: the kernel's tty_std_termios (less ONLCR, which the
    recorder turns off) and its window size."""

    iflag: int = 0x500          # ICRNL IXON
    oflag: int = 0x1            # OPOST
    cflag: int = 0xbf           # B38400 CS8 CREAD
    lflag: int = 0x8a3b         # ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
    cc: list = field(default_factory=lambda: _sane_cc())
    rows: int = 24
    cols: int = 80

    def word(self, kind: str) -> int:
        return getattr(self, kind + "flag")

    def set_word(self, kind: str, value: int) -> None:
        setattr(self, kind + "flag", value)


def _sane_cc() -> list[int]:
    cc = [0] * 32
    for _, value, index in CONTROLS:
        cc[index] = value
    cc[VMIN] = 1
    return cc


def termios(ctx: ToolContext) -> Termios:
    """The line's terminal settings (made on first use)."""
    state = getattr(ctx.session, "termios", None)
    if state is None:
        state = ctx.session.termios = Termios()
    return state


def stdin_is_tty(ctx: ToolContext) -> bool:
    """isatty(0): the line's terminal, not a pipe, a file or a job's /dev/null."""
    return ctx.stdin is None


def main(ctx: ToolContext, argv: list[str]):
    if argv[0] == "tty":
        return _tty(ctx, argv[1:])
    if argv[0] == "tput":
        return _tput(ctx, argv[1:])
    return _stty(ctx, argv[1:])


# ------------------------------------------------------------------ tty
def _tty(ctx: ToolContext, args: list[str]) -> int:
    """tty.c: ttyname(0), or `not a tty` and status 1; -s says nothing; errors 2."""
    silent = False
    operands = []
    for arg in args:
        if arg in ("-s", "--silent", "--quiet"):
            silent = True
        elif arg == "--version":
            ctx.term.out("tty (GNU coreutils) 9.1\n")
            return 0
        elif arg.startswith("--") and len(arg) > 2:
            raise CommandError(f"tty: unrecognized option '{arg}'\n"
                               "Try 'tty --help' for more information.\n", 2)
        elif arg.startswith("-") and len(arg) > 1:
            bad = next(c for c in arg[1:] if c != "s")
            raise CommandError(f"tty: invalid option -- '{bad}'\n"
                               "Try 'tty --help' for more information.\n", 2)
        else:
            operands.append(arg)
    if operands:
        raise CommandError(f"tty: extra operand ‘{operands[0]}’\n"
                           "Try 'tty --help' for more information.\n", 2)
    if not stdin_is_tty(ctx):
        if not silent:
            ctx.term.out("not a tty\n")
        return 1
    if not silent:
        ctx.term.out(TTY_NAME + "\n")
    return 0


# ------------------------------------------------------------------ tput
# xterm's terminfo (ncurses 6.4) for the capabilities scripts use most
TPUT_STRINGS = {"bold": "\x1b[1m", "dim": "\x1b[2m", "sgr0": "\x1b(B\x1b[m",
                "rev": "\x1b[7m", "smul": "\x1b[4m", "rmul": "\x1b[24m",
                "smso": "\x1b[7m", "rmso": "\x1b[27m", "civis": "\x1b[?25l",
                "cnorm": "\x1b[?12l\x1b[?25h", "el": "\x1b[K", "el1": "\x1b[1K",
                "ed": "\x1b[J", "home": "\x1b[H", "blink": "\x1b[5m", "invis": "\x1b[8m",
                "sitm": "\x1b[3m", "ritm": "\x1b[23m", "sc": "\x1b7", "rc": "\x1b8",
                "bel": "\x07", "cr": "\r", "cuu1": "\x1b[A", "cud1": "\n", "cuf1": "\x1b[C",
                "cub1": "\x08", "dl1": "\x1b[M", "il1": "\x1b[L", "ind": "\n", "ri": "\x1bM",
                "smkx": "\x1b[?1h\x1b=", "rmkx": "\x1b[?1l\x1b>",
                "smcup": "\x1b[?1049h\x1b[22;0;0t", "rmcup": "\x1b[?1049l\x1b[23;0;0t",
                "cvvis": "\x1b[?12;25h", "hts": "\x1bH", "tbc": "\x1b[3g"}
# parameterized ones: cup ROW COL (\E[%i%p1%d;%p2%dH), the others one count
TPUT_COUNTED = {"hpa": "G", "vpa": "d", "cuu": "A", "cud": "B", "cuf": "C", "cub": "D",
                "dch": "P", "ich": "@", "dl": "M", "il": "L", "ech": "X"}


def _tput(ctx: ToolContext, args: list[str]) -> int:
    """tput.c: numbers from the window size (TIOCGWINSZ on the terminal, else
    terminfo's 80x24), strings from xterm's terminfo."""
    if not args:
        raise CommandError(TPUT_USAGE, 2)
    name = args[0]
    state = getattr(ctx.session, "termios", None) or Termios()
    if name in ("cols", "columns"):
        ctx.term.out(f"{state.cols}\n")
    elif name == "lines":
        ctx.term.out(f"{state.rows}\n")
    elif name == "colors":
        ctx.term.out("8\n")
    elif name in ("setaf", "setab") and len(args) > 1 and args[1].isdigit():
        ctx.term.out(f"\x1b[{3 if name == 'setaf' else 4}{args[1]}m")
    elif name == "cup" and len(args) > 2 and args[1].isdigit() and args[2].isdigit():
        ctx.term.out(f"\x1b[{int(args[1]) + 1};{int(args[2]) + 1}H")
    elif name in TPUT_COUNTED and len(args) > 1 and args[1].isdigit():
        # hpa and vpa count from 1 (%i), the moves as given
        count = int(args[1]) + (1 if name in ("hpa", "vpa") else 0)
        ctx.term.out(f"\x1b[{count}{TPUT_COUNTED[name]}")
    elif name == "clear":
        from ipemu.tools.userland import CLEAR
        ctx.term.out(CLEAR)
    elif name in TPUT_STRINGS:
        ctx.term.out(TPUT_STRINGS[name])
    else:
        raise CommandError(f"tput: unknown terminfo capability '{name}'\n", 4)
    return 0


TPUT_USAGE = """Usage: tput [options] [command]

Options:
  -S <<       read commands from standard input
  -T TERM     use this instead of $TERM
  -V          print curses-version
  -x          do not try to clear scrollback

Commands:
  clear       clear the screen
  init        initialize the terminal
  reset       reinitialize the terminal
  capname     unlike clear/init/reset, print value for capability "capname"
"""


# ------------------------------------------------------------------ stty
def _usage_error(text: str) -> CommandError:
    return CommandError(f"stty: {text}\nTry 'stty --help' for more information.\n", 1)


def _stty(ctx: ToolContext, args: list[str]) -> int:
    """stty.c main(): -a, -g, -F DEVICE, then settings applied in order."""
    output = None
    device = None
    settings = []
    args = list(args)
    while args:
        arg = args.pop(0)
        if arg in ("-a", "--all"):
            output = "all"
        elif arg in ("-g", "--save"):
            output = "save"
        elif arg in ("-F", "--file") or arg.startswith("--file="):
            if "=" in arg:
                device = arg.split("=", 1)[1]
            elif not args:
                raise _usage_error(f"option requires an argument -- 'F'")
            else:
                device = args.pop(0)
        elif arg.startswith("-F") and len(arg) > 2:
            device = arg[2:]
        elif arg == "--help":
            ctx.term.out(STTY_HELP_HEAD)
            return 0
        elif arg == "--version":
            ctx.term.out("stty (GNU coreutils) 9.1\n")
            return 0
        else:
            settings.append(arg)
    if output and settings:
        raise _usage_error("when specifying an output style, modes may not be set")
    _open_device(ctx, device)
    state = termios(ctx)
    if settings:
        _apply(ctx, state, settings)
        return 0
    # screen_columns(): the window of stdout when it is the terminal, else 80
    width = state.cols if getattr(ctx.session, "stdout_tty", False) else 80
    if output == "save":
        ctx.term.out(_save(state))
    else:
        ctx.term.out(_display(state, output == "all", width))
    return 0


def _open_device(ctx: ToolContext, device: str | None) -> None:
    """The terminal stty works on: stdin, or -F DEVICE (/dev/tty is the line's)."""
    if device is None:
        if not stdin_is_tty(ctx):
            raise CommandError(f"stty: {NOT_A_TTY}\n", 1)
        return
    if device in ("/dev/tty", TTY_NAME):
        return
    if not ctx.session.fs.exists(device):
        raise CommandError(f"stty: {device}: No such file or directory\n", 1)
    raise CommandError(f"stty: {device}: Inappropriate ioctl for device\n", 1)


def _apply(ctx: ToolContext, state: Termios, settings: list[str]) -> None:
    """The settings in order; `size` and `speed` print as they come."""
    modes = {m[0]: m for m in MODES}
    args = list(settings)
    while args:
        arg = args.pop(0)
        reversed_ = arg.startswith("-")
        name = arg[1:] if reversed_ else arg
        name = ALIASES.get(name, name)
        if arg == "size":
            ctx.term.out(f"{state.rows} {state.cols}\n")     # display_window_size()
            continue
        if arg == "speed":
            ctx.term.out("38400\n")                         # display_speed()
            continue
        if name in ("rows", "cols", "columns", "min", "time", "line", "ispeed",
                    "ospeed") and not reversed_:
            if not args:
                raise _usage_error(f"missing argument to ‘{arg}’")
            value = args.pop(0)
            if not value.isdigit():
                raise CommandError(f"stty: invalid integer argument: ‘{value}’\n", 1)
            if name == "rows":
                state.rows = int(value)
            elif name in ("cols", "columns"):
                state.cols = int(value)
            elif name == "min":
                state.cc[VMIN] = int(value)
            elif name == "time":
                state.cc[VTIME] = int(value)
            continue
        if name in modes and (not reversed_ or modes[name][5]):
            _, kind, bits, mask, _, _ = modes[name]
            word = state.word(kind) & ~(mask or bits)
            state.set_word(kind, word if reversed_ else word | bits)
            continue
        if _combination(state, name, reversed_):
            continue
        raise _usage_error(f"invalid argument ‘{arg}’")


def _combination(state: Termios, name: str, reversed_: bool) -> bool:
    """stty.c set_mode()'s combination settings: raw, cooked, sane, cbreak, nl."""
    if name in ("raw", "cooked"):
        if (name == "raw") == reversed_:            # cooked
            state.iflag |= 0x2 | 0x4 | 0x20 | 0x100 | 0x400
            state.oflag |= 0x1
            state.lflag |= 0x1 | 0x2
        else:
            state.iflag = 0
            state.oflag &= ~0x1
            state.lflag &= ~(0x1 | 0x2 | 0x4)
            state.cc[VMIN], state.cc[VTIME] = 1, 0
        return True
    if name == "cbreak":
        state.lflag = state.lflag | 0x2 if reversed_ else state.lflag & ~0x2
        return True
    if name == "sane" and not reversed_:
        for _, kind, bits, mask, sane, _ in MODES:
            if sane is None:
                continue
            word = state.word(kind) & ~(mask or bits)
            state.set_word(kind, word | bits if sane else word)
        state.cc = _sane_cc()
        return True
    if name == "nl":
        if reversed_:
            state.iflag = (state.iflag | 0x100) & ~(0x40 | 0x80)
            state.oflag = (state.oflag | 0x4) & ~(0x8 | 0x20)
        else:
            state.iflag &= ~0x100
            state.oflag &= ~0x4
        return True
    return False


def _visible(ch: int) -> str:
    """stty.c visible(): ^X for control characters, <undef> for none."""
    if ch == 0:
        return "<undef>"
    if ch == 0x7f:
        return "^?"
    if ch < 32:
        return "^" + chr(ch + 64)
    if ch >= 128:
        return "M-" + _visible(ch - 128) if ch - 128 else "M-^@"
    return chr(ch)


class _Wrap:
    """stty.c wrapf(): words joined by spaces, a new line before one that would reach
    the last column."""

    def __init__(self, width: int):
        self.width, self.col, self.parts = width, 0, []

    def word(self, text: str) -> None:
        if self.col > 0:
            if self.width - self.col <= len(text):
                self.parts.append("\n")
                self.col = 0
            else:
                self.parts.append(" ")
                self.col += 1
        self.parts.append(text)
        self.col += len(text)

    def newline(self) -> None:
        self.parts.append("\n")
        self.col = 0


def _display(state: Termios, everything: bool, width: int) -> str:
    """display_all() (-a) and display_changed() (no argument)."""
    out = _Wrap(width)
    out.word("speed 38400 baud;")
    if everything:
        out.word(f"rows {state.rows}; columns {state.cols};")
    out.word("line = 0;")
    out.newline()
    icanon = state.lflag & 0x2
    empty = True
    for name, sane, index in CONTROLS:
        if not everything and state.cc[index] == sane:
            continue
        out.word(f"{name} = {_visible(state.cc[index])};")
        empty = False
    if everything or not icanon:
        out.word(f"min = {state.cc[VMIN]}; time = {state.cc[VTIME]};")
        out.newline()
    elif not empty:
        out.newline()
    out.col = 0
    previous = "c"
    empty = True
    for name, kind, bits, mask, sane, rev in MODES:
        if kind != previous:
            if everything or not empty:
                out.newline()
                empty = True
            previous = kind
        on = state.word(kind) & (mask or bits) == bits
        if everything:
            if on:
                out.word(name)
            elif rev:
                out.word("-" + name)
        elif on and sane is False:
            out.word(name)
            empty = False
        elif not on and sane is True and rev:
            out.word("-" + name)
            empty = False
    if everything or not empty:
        out.newline()
    return "".join(out.parts)


def _save(state: Termios) -> str:
    """-g: iflag:oflag:cflag:lflag:cc[0]:...:cc[31] in hex (display_recoverable())."""
    words = [state.iflag, state.oflag, state.cflag, state.lflag] + state.cc
    return ":".join(f"{w:x}" for w in words) + "\n"


STTY_HELP_HEAD = """Usage: stty [-F DEVICE | --file=DEVICE] [SETTING]...
  or:  stty [-F DEVICE | --file=DEVICE] [-a|--all]
  or:  stty [-F DEVICE | --file=DEVICE] [-g|--save]
Print or change terminal characteristics.
"""
