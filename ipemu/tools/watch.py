"""procps-ng 4.0.2's watch: a command run every -n seconds, its output shown full
screen, as a tutorial watches a counter (`watch -n 1 ip -s link show veth0`).

watch is a curses program: on the recording machine's pty (TERM=xterm, 80x24) it
enters the alternate screen, clears it, writes the output, and on each later run
writes only what changed (ncurses' doupdate()), the cursor parked at the bottom right;
a signal (Ctrl-C, `timeout --foreground`) leaves the alternate screen. Under plain
`timeout` (a background process group) the real watch is stopped by SIGTTOU and
never ends: recorded, and not what a case can hold.

Followed: procps watch.c (main(), run_command(), output_header(), the -g/-e/-x
options), ncurses tty_update.c (ClrUpdate(), TransformLine(): the changed span of a
line, clr_eol) and lib_mvcur.c (onscreen_mvcur()'s tactics: absolute, relative,
home then relative, CR then relative; the cheapest, the first on a tie) over
xterm's terminfo (cup, home, vpa, hpa, cud, cuu1, cuf, cub1, cr; cud1 is a newline,
which ncurses does not use to move)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.process import SIGINT, Process
from ipemu.tools.context import Terminal, ToolContext

# smcup, the scroll region, sgr0, rmir, smam (initscr()) and the way out (endwin():
# the cursor to the last line, rmcup, rmkx's keypad and cursor keys)
INIT = "\x1b[?1049h\x1b[22;0;0t\x1b[1;{rows}r\x1b(B\x1b[m\x1b[4l\x1b[?7h"
EXIT = "\x1b[{rows};1H\x1b[?1049l\x1b[23;0;0t\r\x1b[?1l\x1b>"
CLEAR = "\x1b[H\x1b[2J"
VERSION = "watch from procps-ng 4.0.2\n"
MIN_INTERVAL = 0.1


def _usage() -> str:
    from ipemu.profiles import usage_file
    return usage_file("watch_help").read_text(encoding="utf-8")


# ------------------------------------------------------------ cursor motion
# _nc_mvcur_init()'s costs on xterm: each parametrized motion costed with 23
CUP_COST, VPA_COST, HPA_COST, PARM_COST = 8, 5, 5, 5
HOME_COST, CR_COST, CUB1_COST, CUF1_COST, CUU1_COST = 3, 1, 1, 3, 3
INLINE_COST = 5          # min(cup, hpa, cuf): equal runs longer than this are skipped
LONG_DIST = 8 - 1        # 8 - _char_padding
TAB = 8
# a standout cell (watch -d) is its character moved up into the last Unicode plane:
# lines compare, cell for cell, with their attributes
STANDOUT = 0x100000
SMSO = "\x1b(B\x1b[0;7m"           # sgr with standout, as xterm's sgr builds it
SGR0 = "\x1b(B\x1b[m"


def standout(ch: str) -> str:
    return chr(ord(ch) + STANDOUT)


def is_standout(cell: str) -> bool:
    return ord(cell) >= STANDOUT


def plain(cell: str) -> str:
    return chr(ord(cell) - STANDOUT) if is_standout(cell) else cell


def _vertical(y0: int, y1: int) -> tuple[int, str]:
    """relative_move()'s rows: vpa; cud/cuu only when cheaper (they cost the same);
    cuu1 repeated (cud1 is a newline: not used)."""
    if y0 == y1:
        return 0, ""
    cost, text = VPA_COST, f"\x1b[{y1 + 1}d"
    if y1 < y0 and (y0 - y1) * CUU1_COST < cost:
        cost, text = (y0 - y1) * CUU1_COST, "\x1b[A" * (y0 - y1)
    return cost, text


def _horizontal(x0: int, x1: int, row: str) -> tuple[int, str]:
    """relative_move()'s columns: hpa; cuf/cub only when cheaper; moving right, tabs
    to each stop on the way then the wanted characters written over; moving left,
    backspaces."""
    if x0 == x1:
        return 0, ""
    cost, text = HPA_COST, f"\x1b[{x1 + 1}G"
    if x1 > x0:
        tabs, fr = "", x0
        while (fr // TAB + 1) * TAB <= x1:
            fr = (fr // TAB + 1) * TAB
            tabs += "\t"
        n = x1 - fr
        over = row.ljust(x1)[fr:x1]
        if len(tabs) + n < cost and not any(is_standout(c) for c in over):
            cost, text = len(tabs) + n, tabs + over
    elif (x0 - x1) * CUB1_COST < cost:
        cost, text = x0 - x1, "\b" * (x0 - x1)
    return cost, text


def _relative(y0: int, x0: int, y1: int, x1: int, row: str) -> tuple[int, str]:
    vcost, vtext = _vertical(y0, y1)
    hcost, htext = _horizontal(x0, x1, row)
    return vcost + hcost, vtext + htext


def move(y0: int | None, x0: int | None, y1: int, x1: int, row: str, cols: int) -> str:
    """onscreen_mvcur(): cup; unless the cursor is unknown or the move is a long one
    (NOT_LOCAL()), relative, cr + relative, home + relative when cheaper (the first
    of equals)."""
    best_cost, best = CUP_COST, f"\x1b[{y1 + 1};{x1 + 1}H"
    if y0 is None or x0 is None:
        return best
    if (y0, x0) == (y1, x1):
        return ""
    if LONG_DIST < x1 < cols - 1 - LONG_DIST and abs(y1 - y0) + abs(x1 - x0) > LONG_DIST:
        return best
    cost, text = _relative(y0, x0, y1, x1, row)
    if cost < best_cost:
        best_cost, best = cost, text
    cost, text = _relative(y0, 0, y1, x1, row)
    if CR_COST + cost < best_cost:
        best_cost, best = CR_COST + cost, "\r" + text
    cost, text = _relative(0, 0, y1, x1, row)
    if HOME_COST + cost < best_cost:
        best_cost, best = HOME_COST + cost, "\x1b[H" + text
    return best


class Screen:
    """What the terminal shows (curscr) and where the cursor is (None: unknown, as
    after writing the last column: xterm's pending wrap)."""

    def __init__(self, rows: int, cols: int) -> None:
        self.rows, self.cols = rows, cols
        self.lines = [""] * rows
        self.y: int | None = None
        self.x: int | None = None
        self.attr = False           # standout on

    def goto(self, y: int, x: int, row: str = "") -> str:
        # overwriting to move needs the cells in the attribute in force (normal)
        text = move(self.y, self.x, y, x, row if not self.attr else standout(" ") * len(row),
                    self.cols)
        self.y, self.x = y, x
        return text

    def emit(self, cells: str) -> str:
        """The characters of cells, the attribute switched where it changes."""
        out = []
        for cell in cells:
            if is_standout(cell) != self.attr:
                self.attr = not self.attr
                out.append(SMSO if self.attr else SGR0)
            out.append(plain(cell))
        return "".join(out)

    def normal(self) -> str:
        """Back to the normal attribute (before a clear, at the start of an update)."""
        if not self.attr:
            return ""
        self.attr = False
        return SGR0

    def put_range(self, y: int, old: str, new: str, first: int, last: int) -> str:
        """PutRange(): columns first..last of a line, runs the screen already shows
        longer than the inline cost skipped by a move."""
        old, new = old.ljust(last + 1), new.ljust(last + 1)
        out = []
        start, run = first, 0
        if last - first + 1 > INLINE_COST:
            for j in range(first, last + 1):
                if old[j] == new[j]:
                    run += 1
                    continue
                if run > INLINE_COST:
                    out.append(self.emit(new[start:j - run]))
                    self.x = j - run
                    start = j
                    out.append(self.goto(y, j, new))
                run = 0
        out.append(self.emit(new[start:last + 1]))
        self.x = last + 1
        if self.x >= self.cols:
            self.y = self.x = None          # the last column written: pending wrap
        return "".join(out)

    def clear_update(self, new: list[str]) -> str:
        """ClrUpdate(): clear, then each line as it differs from a blank one."""
        out = [CLEAR]
        self.y, self.x = 0, 0
        self.lines = [""] * self.rows
        for y, line in enumerate(new):
            if line.strip(" "):
                first = len(line) - len(line.lstrip(" "))
                out.append(self.goto(y, first, line))
                out.append(self.put_range(y, "", line, first, len(line) - 1))
                self.lines[y] = line
        return "".join(out)

    def update(self, new: list[str]) -> str:
        """TransformLine() for each changed line: its first to its last changed
        column; clr_eol where the old line went on further."""
        out = [self.normal()]
        new = (list(new) + [""] * self.rows)[:self.rows]
        # ClrBottom(): the rows at the bottom that become blank, from the highest one
        # that was not, cleared at once with clr_eos
        top = self.rows
        for y in range(self.rows - 1, -1, -1):
            if new[y].strip(" "):
                break
            if self.lines[y].strip(" "):
                top = y
        if top < self.rows:
            out.append(self.goto(top, 0, "") + "\x1b[J")
            for y in range(top, self.rows):
                self.lines[y] = ""
        for y in range(top):
            old, line = self.lines[y], new[y]
            if old == line:
                continue
            width = max(len(old), len(line))
            a, b = old.ljust(width), line.ljust(width)
            first = next(i for i in range(width) if a[i] != b[i])
            last = max(i for i in range(width) if a[i] != b[i])
            if last >= len(line):
                # the rest of the new line is blank: write to its end, then el
                out.append(self.goto(y, first, line))
                if first < len(line):
                    out.append(self.put_range(y, old, line, first, len(line) - 1))
                out.append(self.normal() + "\x1b[K")
            else:
                out.append(self.goto(y, first, line))
                out.append(self.put_range(y, old, line, first, last))
            self.lines[y] = line
        return "".join(out)


def screen_lines(text: str, rows: int, cols: int, wrap: bool = True) -> list[str]:
    """watch.c's output loop: tabs to the next 8th column, lines wrapped at the
    screen's width (cut with -w), as many as the screen holds."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = ""
        for ch in raw:
            if ch == "\t":
                line += " " * (8 - len(line) % 8)
            elif ch >= " ":
                line += ch
        while len(line) > cols and wrap:
            out.append(line[:cols])
            line = line[cols:]
        out.append(line[:cols])
        if len(out) >= rows:
            break
    if text.endswith("\n") and out:
        out.pop()
    return [line.rstrip(" ") for line in out[:rows]]


# -------------------------------------------------------------------- watch
# watch.c's longopts, in its order (an ambiguous prefix lists them so)
LONGS = {"color": "c", "differences": "d", "help": "h", "interval=": "n", "beep": "b",
         "errexit": "e", "chgexit": "g", "equexit=": "q", "exec": "x", "precise": "p",
         "no-title": "t", "no-wrap": "w", "version": "v"}


def _interval(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise CommandError(f"watch: failed to parse argument: '{text}': Invalid argument\n",
                           1) from None
    return max(MIN_INTERVAL, min(value, 4294967295.0))


def _cycles(text: str) -> int:
    """-q CYCLES: strtol_or_err()'s integer."""
    if not text.strip().lstrip("+-").isdigit():
        raise CommandError(f"watch: failed to parse argument: '{text}': Invalid argument\n",
                           1)
    return int(text)


def main(ctx: ToolContext, argv: list[str]):
    args = list(argv[1:])
    opts: set[str] = set()
    interval = 2.0
    cumulative = False
    # watch.c: getopt_long() with "+" (options stop at the command)
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            found = [k for k in LONGS if k.rstrip("=") == name] or \
                [k for k in LONGS if k.startswith(name)]
            if len(found) > 1:
                names = "".join(f" '--{k.rstrip('=')}'" for k in found)
                raise CommandError(f"watch: option '{arg.partition('=')[0]}' is ambiguous; "
                                   f"possibilities:{names}\n" + _usage(), 1)
            if not found:
                raise CommandError(f"watch: unrecognized option '{arg}'\n" + _usage(), 1)
            key = found[0]
            letter = LONGS[key]
            if letter == "d" and eq:
                cumulative = True
            if key.endswith("="):
                if not eq:
                    if not args:
                        raise CommandError(f"watch: option '--{key[:-1]}' requires an "
                                           "argument\n" + _usage(), 1)
                    value = args.pop(0)
                if letter == "n":
                    interval = _interval(value)
                elif letter == "q":
                    _cycles(value)
            opts.add(letter)
            continue
        i = 1
        while i < len(arg):
            letter = arg[i]
            if letter in "nq":
                value = arg[i + 1:] or (args.pop(0) if args else None)
                if value is None:
                    raise CommandError(f"watch: option requires an argument -- '{letter}'\n"
                                       + _usage(), 1)
                if letter == "n":
                    interval = _interval(value)
                else:
                    _cycles(value)
                opts.add(letter)
                break
            if letter == "d":
                # -d[permanent]: any value makes the differences cumulative
                cumulative = cumulative or bool(arg[i + 1:])
                opts.add(letter)
                break
            if letter not in "bcdegptwxhv":
                raise CommandError(f"watch: invalid option -- '{letter}'\n" + _usage(), 1)
            opts.add(letter)
            i += 1
    if "h" in opts:
        ctx.term.out(_usage())
        return 0
    if "v" in opts:
        ctx.term.out(VERSION)
        return 0
    if not args:
        raise CommandError(_usage(), 1)
    watch = Watch(ctx, args, interval, opts, cumulative)
    return watch


class Watch(Process):
    """The loop: run, show, sleep the interval; a signal ends it (the screen left)."""

    def __init__(self, ctx: ToolContext, command: list[str], interval: float,
                 opts: set[str], cumulative: bool = False) -> None:
        super().__init__(ctx.host, ctx.term)
        self.cumulative = cumulative
        from ipemu.tools.tty import termios
        size = termios(ctx)
        self.ctx = ctx
        self.command = command
        self.interval = interval
        self.opts = opts
        self.screen = Screen(size.rows, size.cols)
        self.previous: str | None = None
        self.child: Process | None = None
        self.child_term: Terminal | None = None
        self.timer = None
        self.term.out(INIT.format(rows=size.rows))
        self.run_command()

    def argv(self) -> list[str]:
        if "x" in self.opts:
            return list(self.command)
        return ["sh", "-c", " ".join(self.command)]

    def run_command(self) -> None:
        self.timer = None
        if self.done:
            return
        term = Terminal()
        result = self.ctx.session.dispatch(
            self.argv(), term, netns=self.ctx.netns, stdin="",
            not_found=("sh: 1: {name}: not found\n", 127))
        if isinstance(result, Process) and not result.done:
            self.child, self.child_term = result, term
            result.on_exit.append(self.child_exited)
            return
        status = result.status if isinstance(result, Process) else result
        self.show(term.text(), status)

    def child_exited(self, child: Process) -> None:
        term, self.child, self.child_term = self.child_term, None, None
        if not self.done:
            self.show(term.text() if term is not None else "", child.status)

    def header(self) -> list[str]:
        """output_header(): `Every N.Ns: COMMAND` on the left, `HOST: ctime` on the
        right, a blank line under them."""
        import time
        cols = self.screen.cols
        now = time.strftime("%a %b %e %H:%M:%S %Y", time.gmtime(self.host.clock.wall))
        right = f"{self.host.hostname}: {now}"
        left = f"Every {self.interval:.1f}s: {' '.join(self.command)}"
        room = cols - len(right) - 1
        if len(left) > room:
            left = left[:max(room - 4, 0)] + "..."
        return [left.ljust(cols - len(right)) + right, ""]

    def show(self, text: str, status: int) -> None:
        title = [] if "t" in self.opts else self.header()
        lines = title + screen_lines(text, self.screen.rows - len(title), self.screen.cols,
                                     "w" not in self.opts)
        first = self.previous is None
        if "d" in self.opts and not first:
            lines = title + [self.differences(y, line) for y, line in
                             enumerate(lines[len(title):], len(title))]
        failed = status != 0
        # -b: a bell for each run that fails, before the screen is drawn
        beep = "\a" if failed and "b" in self.opts else ""
        if failed and "e" in self.opts:
            # -e: the message on the last line, one refresh, then getchar(): on a
            # terminal it waits for a key (a signal ends it); from a pipe or a file
            # it reads EOF at once and watch exits 8
            message = "command exit with a non-zero status, press a key to exit"
            lines = (lines + [""] * self.screen.rows)[:self.screen.rows - 1] + [message]
            out = self.screen.clear_update(lines) if first else self.screen.update(lines)
            self.term.out(beep + out)
            from ipemu.tools.tty import stdin_is_tty
            if not stdin_is_tty(self.ctx):
                self.leave(8)
            return
        out = self.screen.clear_update(lines) if first else self.screen.update(lines)
        out += self.screen.goto(self.screen.rows - 1, self.screen.cols - 1,
                                self.screen.lines[-1])
        self.term.out(beep + out)
        changed = not first and text != self.previous
        self.previous = text
        if "g" in self.opts and changed:
            self.leave(0)
            return
        # watch.c sleeps the interval after the command's run (its fork and exec)
        from ipemu.session import EXEC_TIME
        self.timer = self.host.clock.call_later(self.interval + EXEC_TIME, self,
                                                "run_command")

    def differences(self, y: int, line: str) -> str:
        """-d: a character unlike the one the screen shows there stands out (with
        --differences=permanent, one that stood out stays so)."""
        old = self.screen.lines[y]
        cells = []
        for x, ch in enumerate(line):
            was = old[x] if x < len(old) else " "
            marked = plain(was) != ch or (self.cumulative and is_standout(was))
            cells.append(standout(ch) if marked else ch)
        return "".join(cells)

    def leave(self, status: int) -> None:
        self.term.out(self.screen.normal() + EXIT.format(rows=self.screen.rows))
        self.exit(status)

    def signal(self, signum: int) -> None:
        if self.done:
            return
        if self.child is not None and not self.child.done:
            self.child.signal(signum)
        # watch.c: SIGINT, SIGTERM and SIGHUP end it through endwin(); Ctrl-C is a
        # normal end (status 0)
        self.leave(0 if signum == SIGINT else 128 + signum)

    def cleanup(self) -> None:
        if self.timer is not None:
            self.host.clock.cancel(self.timer)

    def blocked(self) -> bool:
        return False
