"""`trap` (builtins/trap.def) and the traps the shell itself runs (trap.c): EXIT
when the shell ends, ERR after a command that fails where `set -e` would act (in a
function only under `set -E`), RETURN when a function returns (not yet a sourced
file; in a function only under `set -T`), and a signal's trap when the shell sends the
signal to itself (`kill -TERM $$`). Ctrl-C and Ctrl-Z reach the program in the
foreground, as before: a script's INT trap does not run on them."""
from __future__ import annotations

# Linux x86_64's signal numbers, as `trap -l` and `kill -l` name them
SIGNALS = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
           "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP",
           "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
           "PWR", "SYS"]
SPECIAL = ["EXIT", "DEBUG", "ERR", "RETURN"]
TRAP_USAGE = "trap: usage: trap [-lp] [[arg] signal_spec ...]\n"


def signal_name(spec: str) -> str | None:
    """The trap's key for a signal spec (`0`, `EXIT`, `int`, `SIGTERM`, `15`), or
    None when bash does not know it (trap.c's decode_signal)."""
    if spec.isdigit():
        number = int(spec)
        if number == 0:
            return "EXIT"
        return f"SIG{SIGNALS[number - 1]}" if number <= len(SIGNALS) else None
    upper = spec.upper()
    if upper in SPECIAL:
        return upper
    bare = upper[3:] if upper.startswith("SIG") else upper
    return f"SIG{bare}" if bare in SIGNALS else None


def _order(name: str) -> int:
    if name == "EXIT":
        return 0
    if name.startswith("SIG"):
        return SIGNALS.index(name[3:]) + 1
    return 100 + SPECIAL.index(name)


def _quote(action: str) -> str:
    return "'" + action.replace("'", "'\\''") + "'"


def _listing(traps: dict[str, str], names: list[str]) -> str:
    return "".join(f"trap -- {_quote(traps[name])} {name}\n"
                   for name in sorted(names, key=_order) if name in traps)


def _dash_signal(spec: str) -> str | None:
    """dash's decode_signal(): a number below NSIG, or a name of signal_names[] (EXIT
    is number 0), any case, never with a SIG prefix; the name as ipemu keeps the
    trap (EXIT, SIGINT), None when dash does not know it."""
    if spec.isdigit():
        number = int(spec)
        if number == 0:
            return "EXIT"
        return f"SIG{SIGNALS[number - 1]}" if number <= len(SIGNALS) else \
            (f"SIG{number}" if number < 65 else None)
    upper = spec.upper()
    if upper == "EXIT":
        return "EXIT"
    return f"SIG{upper}" if upper in SIGNALS and upper != "STKFLT" else None


def _dash_trap(interp, args: list[str], ctx) -> int:
    """dash 0.5.12's trapcmd(): no option (nextopt(): `Illegal option`, an error of a
    special builtin that ends the script with 2), the traps listed by signal number
    with dash's names (EXIT, INT); a lone word, or a number first, resets them;
    an unknown one is `trap: NAME: bad trap` (status 1), the ones after it untouched."""
    traps = interp.state.traps
    if args and args[0] == "--":
        args = args[1:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        from ipemu.bash.interp import ExitSignal
        interp.error(ctx, f"trap: Illegal option {args[0][:2]}")
        raise ExitSignal(2)
    if not args:
        for name in sorted(traps, key=lambda n: 0 if n == "EXIT" else _order(n)
                           if n in SPECIAL or n[3:] in SIGNALS else 99):
            if name == "EXIT" or name.startswith("SIG"):
                shown = name if name == "EXIT" else name[3:]
                ctx.term.out(f"trap -- {_quote(traps[name])} {shown}\n")
        return 0
    if len(args) == 1 or args[0].isdigit():
        action, specs = None, args          # a lone word or a number first: reset
    else:
        action, specs = args[0], args[1:]
        if action == "-":
            action = None
    for spec in specs:
        name = _dash_signal(spec)
        if name is None:
            ctx.term.err(f"trap: {spec}: bad trap\n")
            return 1
        if action is None:
            traps.pop(name, None)
        else:
            traps[name] = action
    return 0


def trap(interp, argv: list[str], ctx) -> int:
    traps = interp.state.traps
    args = argv[1:]
    if interp.state.dash:
        return _dash_trap(interp, args, ctx)
    listing = False
    while args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        opt = args.pop(0)
        for letter in opt[1:]:
            if letter == "p":
                listing = True
            elif letter == "l":
                ctx.term.out(_signal_table())
                return 0
            else:
                interp.error(ctx, f"trap: -{letter}: invalid option")
                ctx.term.err(TRAP_USAGE)
                return 2
    if args and args[0] == "--":
        args.pop(0)
    if not args or listing:
        if not args:
            ctx.term.out(_listing(traps, list(traps)))
            return 0
        # display_traps(): the named ones in the order given, each unknown one an error
        status = 0
        for spec in args:
            name = signal_name(spec)
            if name is None:
                interp.error(ctx, f"trap: {spec}: invalid signal specification")
                status = 1
            elif name in traps:
                ctx.term.out(f"trap -- {_quote(traps[name])} {name}\n")
        return status
    first = args[0]
    # trap.def: a lone signal (or one all digits) resets; `-` resets; '' ignores
    if first.isdigit() and signal_name(first) is not None or \
            len(args) == 1 and first != "-" and signal_name(first) is not None:
        action, specs = None, args
    else:
        specs = args[1:]
        if not specs:
            ctx.term.err(TRAP_USAGE)
            return 2
        action = None if first == "-" else first
    status = 0
    for spec in specs:
        name = signal_name(spec)
        if name is None:
            interp.error(ctx, f"trap: {spec}: invalid signal specification")
            status = 1
        elif action is None:
            traps.pop(name, None)
        else:
            traps[name] = action
    return status


def _signal_table() -> str:
    """`trap -l` (display_signal_list()): `%2d) %s`, five a line, tab-separated; the
    real-time signals 34..64 named from SIGRTMIN and SIGRTMAX."""
    names = [(n + 1, f"SIG{name}") for n, name in enumerate(SIGNALS)]
    names += [(34 + k, "SIGRTMIN" + (f"+{k}" if k else "")) for k in range(16)]
    names += [(50 + k, "SIGRTMAX" + (f"-{14 - k}" if k < 14 else "")) for k in range(15)]
    out = []
    for column, (number, name) in enumerate(names, 1):
        out.append(f"{number:2d}) {name}" + ("\n" if column % 5 == 0 else "\t"))
    text = "".join(out)
    return text if text.endswith("\n") else text + "\n"


def run_trap(interp, name: str, ctx, status: int):
    """Run the action of trap `name` with $? = `status`; the status comes back as it
    was (trap.c's run_error_trap, run_return_trap)."""
    from ipemu.bash.interp import DiscardLine, LoopControl, ReturnSignal
    action = interp.state.traps.get(name)
    if not action or name in interp.running_traps:
        return
    interp.running_traps.add(name)
    interp.last_status = status
    try:
        # a trap's action is read at the line of the command it interrupted
        # ($LINENO in an ERR trap); the EXIT trap's from line 1
        steps = interp.run_source(action, ctx, top=False) if name == "EXIT" else \
            interp.run_source(action, ctx, line=interp.state.lineno or 1, top=False)
        # the EXIT trap runs as the shell ends, at the first level
        yield from (steps if name == "EXIT" else interp.indirect(steps))
    except (LoopControl, DiscardLine):
        pass
    except ReturnSignal:
        pass
    finally:
        interp.running_traps.discard(name)
    interp.last_status = status


def _kill_target(argv: list[str]) -> tuple[str, list[str]] | None:
    """`kill [-s SIG | -n NUM | -SIG] PID...`: the signal's trap name and the pids,
    or None when the words are not that form."""
    args = argv[1:]
    name = "SIGTERM"
    if args and args[0] in ("-s", "-n") and len(args) > 1:
        name = signal_name(args[1])
        args = args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        name = signal_name(args[0][1:])
        args = args[1:]
    if args and args[0] == "--":
        args = args[1:]
    if name is None or not args:
        return None
    return name, args


def kill_self(interp, argv: list[str], ctx):
    """`kill -SIG $$` where the shell traps (or ignores) SIG: the trap runs once
    kill returns (trap.c's run_pending_traps), and kill's status is 0. None when
    the signal goes elsewhere (the kill tool answers then)."""
    target = _kill_target(argv)
    if target is None:
        return None
    name, pids = target
    own = str(interp.state.pid)
    if any(pid != own for pid in pids):
        return None
    if name == "EXIT":
        return _status(0)                   # kill -0 $$: the shell is there
    if interp.state.subshell > 0 and not interp.state.dash and \
            getattr(interp, "background", False) and name in _NUMBERS:
        # `( ...; kill -SIG $$ ) &`: $$ is the parent's PID, so the signal goes to the
        # parent shell, not this subshell: its trap runs (or it dies) once the
        # command it waits for has ended, or at once in `wait` (Interp.invoke_tool,
        # wait_children())
        interp.session.shell_signal = _NUMBERS[name]
        return _status(0)
    if name not in interp.state.traps:
        return _fatal(interp, name)
    return _deliver(interp, name, ctx)


_NUMBERS = {"SIG" + n: i + 1 for i, n in enumerate(SIGNALS)}

# the signals whose default action does not end a process (sig.c's ignored ones and
# the stop signals, which a one-line shell is not expected to get)
NOT_FATAL = frozenset(("SIGCHLD", "SIGCONT", "SIGURG", "SIGWINCH", "SIGSTOP", "SIGTSTP",
                       "SIGTTIN", "SIGTTOU"))


def _status(status: int):
    return status
    yield


def _fatal(interp, name: str):
    """`kill -SIG $$` the shell does not trap: it dies of the signal, 128+N; its EXIT
    trap runs first (termsig_handler()'s run_exit_trap()) unless SIGKILL ended it."""
    if name in NOT_FATAL or not name.startswith("SIG") or name[3:] not in SIGNALS:
        return None
    from ipemu.bash.interp import ExitSignal
    if name == "SIGKILL":
        interp.state.traps.pop("EXIT", None)
    signal = ExitSignal(128 + SIGNALS.index(name[3:]) + 1)
    signal.signum = SIGNALS.index(name[3:]) + 1      # the shell dies of it (WIFSIGNALED)
    raise signal


def _deliver(interp, name: str, ctx, status: int = 0):
    # a signal sent twice before it is handled is pending once (no queue); $? in the
    # action is the interrupted command's (`wait`'s 128+N)
    if interp.state.traps.get(name):
        yield from run_trap(interp, name, ctx, status)
    return 0
