"""bash's `ulimit` (builtins/ulimit.def): the resource limits of the shell and what it
starts, as the recording machine's root shell has them (`ulimit -Sa`, `ulimit -Ha`:
recorded), changed for the shell's own process and its children only."""
from __future__ import annotations

UNLIMITED = -1
# ulimit.def limits[], the letters Linux has, in its order: (letter, description,
# unit, the recording machine's soft and hard values)
LIMITS = (
    ("R", "real-time non-blocking time", "microseconds", UNLIMITED, UNLIMITED),
    ("c", "core file size", "blocks", 0, UNLIMITED),
    ("d", "data seg size", "kbytes", UNLIMITED, UNLIMITED),
    ("e", "scheduling priority", None, 0, 0),
    ("f", "file size", "blocks", UNLIMITED, UNLIMITED),
    ("i", "pending signals", None, 96365, 96365),
    ("l", "max locked memory", "kbytes", 8192, 8192),
    ("m", "max memory size", "kbytes", UNLIMITED, UNLIMITED),
    ("n", "open files", None, 20000, 20000),
    ("p", "pipe size", "512 bytes", 8, 8),
    ("q", "POSIX message queues", "bytes", 819200, 819200),
    ("r", "real-time priority", None, 0, 0),
    ("s", "stack size", "kbytes", 8192, UNLIMITED),
    ("t", "cpu time", "seconds", UNLIMITED, UNLIMITED),
    ("u", "max user processes", None, 96365, 96365),
    ("v", "virtual memory", "kbytes", UNLIMITED, UNLIMITED),
    ("x", "file locks", None, UNLIMITED, UNLIMITED),
)
BY_LETTER = {row[0]: row for row in LIMITS}
USAGE = "ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]\n"
NR_OPEN = 1048576       # fs.nr_open: the most RLIMIT_NOFILE may be (EPERM beyond)


def _shown(value: int) -> str:
    return "unlimited" if value == UNLIMITED else str(value)


def _current(state, letter: str, hard: bool) -> int:
    row = BY_LETTER[letter]
    soft_hard = state.limits.get(letter)
    if soft_hard is not None:
        return soft_hard[1 if hard else 0]
    return row[4] if hard else row[3]


def _line(state, letter: str, hard: bool) -> str:
    """printone(): the description in 20 columns, `(UNIT, -L) ` right in 20."""
    _, description, unit, _, _ = BY_LETTER[letter]
    unitstr = f"({unit}, -{letter}) " if unit else f"(-{letter}) "
    return f"{description:<20} {unitstr:>20}{_shown(_current(state, letter, hard))}\n"


def ulimit(interp, argv: list[str], ctx) -> int:
    args = argv[1:]
    letters: list[str] = []
    hard = soft = every = False
    while args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        for letter in args.pop(0)[1:]:
            if letter == "H":
                hard = True
            elif letter == "S":
                soft = True
            elif letter == "a":
                every = True
            elif letter in BY_LETTER:
                letters.append(letter)
            elif letter in "bkPTw":
                letters.append(letter)      # limits this kernel has none of
            else:
                interp.error(ctx, f"ulimit: -{letter}: invalid option")
                ctx.term.err(USAGE)
                return 2
    if args and args[0] == "--":
        args = args[1:]
    state = interp.state
    show_hard = hard and not soft
    if every:
        ctx.term.out("".join(_line(state, row[0], show_hard) for row in LIMITS))
        return 0
    letters = [l for l in letters if l in BY_LETTER] or ["f"]
    if not args:
        if len(letters) == 1:
            ctx.term.out(_shown(_current(state, letters[0], show_hard)) + "\n")
        else:
            ctx.term.out("".join(_line(state, l, show_hard) for l in letters))
        return 0
    word = args[0]
    status = 0
    for letter in letters:
        if word in ("unlimited", "hard", "soft"):
            value = UNLIMITED if word == "unlimited" else \
                _current(state, letter, word == "hard")
        elif word.isdigit():
            value = int(word)
        else:
            interp.error(ctx, f"ulimit: {word}: invalid number")
            return 1
        description = BY_LETTER[letter][1]
        old_soft, old_hard = _current(state, letter, False), _current(state, letter, True)
        # without -H or -S both limits change (set_limit(): mode 0 is both)
        new_soft = value if soft or not hard else old_soft
        new_hard = value if hard or not soft else old_hard
        # do_prlimit(): a soft limit above the hard one is EINVAL; a hard one raised
        # is EPERM (the recording's root may not: recorded), RLIMIT_NOFILE beyond
        # fs.nr_open too
        if _above(new_soft, new_hard):
            reason = "Invalid argument"
        elif _above(new_hard, old_hard) or (letter == "n" and _above(new_hard, NR_OPEN)):
            reason = "Operation not permitted"
        else:
            state.limits = dict(state.limits, **{letter: (new_soft, new_hard)})
            continue
        interp.error(ctx, f"ulimit: {description}: cannot modify limit: {reason}")
        status = 1
    return status


def _above(a: int, b: int) -> bool:
    """a > b, unlimited the greatest."""
    if a == UNLIMITED:
        return b != UNLIMITED
    return b != UNLIMITED and a > b
