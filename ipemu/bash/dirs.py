"""Builtins a person types at a prompt: alias/unalias (alias.def), dirs/pushd/popd
(pushd.def), umask (umask.def), logout (exit.def). Under `bash -c`, as the recorders
run each line, aliases are defined but not expanded (expand_aliases is off in a
non-interactive shell) and nothing of them outlives the line."""
from __future__ import annotations

from ipemu.errors import CommandError

ALIAS_USAGE = "alias: usage: alias [-p] [name[=value] ... ]\n"
UNALIAS_USAGE = "unalias: usage: unalias [-a] name [name ...]\n"


def _single_quote(text: str) -> str:
    """sh_single_quote(): 'it'\\''s'."""
    return "'" + text.replace("'", "'\\''") + "'"


def alias(interp, argv, ctx) -> int:
    state = interp.state
    args = argv[1:]
    if args and args[0] == "-p":
        args = args[1:]
        listing = True
    else:
        listing = not args
    if args and args[0].startswith("-") and args[0] != "-":
        if args[0] == "--":
            args = args[1:]
        else:
            interp.error(ctx, f"alias: {args[0][:2]}: invalid option")
            ctx.term.err(ALIAS_USAGE)
            return 2
    if listing:
        for name in sorted(state.aliases):
            ctx.term.out(f"alias {name}={_single_quote(state.aliases[name])}\n")
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if eq:
            if not name or any(c in name for c in " \t\n/$`=|&;()<>'\""):
                interp.error(ctx, f"alias: `{name}': invalid alias name")
                status = 1
                continue
            state.aliases[name] = value
        elif name in state.aliases:
            ctx.term.out(f"alias {name}={_single_quote(state.aliases[name])}\n")
        else:
            interp.error(ctx, f"alias: {name}: not found")
            status = 1
    return status


def unalias(interp, argv, ctx) -> int:
    state = interp.state
    args = argv[1:]
    if args and args[0] == "-a":
        state.aliases.clear()
        return 0
    if args and args[0].startswith("-") and args[0] not in ("-", "--"):
        interp.error(ctx, f"unalias: {args[0][:2]}: invalid option")
        ctx.term.err(UNALIAS_USAGE)
        return 2
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        ctx.term.err(UNALIAS_USAGE)
        return 2
    status = 0
    for name in args:
        if state.aliases.pop(name, None) is None:
            interp.error(ctx, f"unalias: {name}: not found")
            status = 1
    return status


# words after which the next word is a command again (the parser's command_token_position())
_RESERVED_BEFORE_COMMAND = {"then", "do", "else", "elif", "if", "while", "until", "!", "{",
                            "time"}
_METAS = " \t\n;|&()<>"


def expand_alias(line: str, aliases: dict[str, str]) -> str:
    """An interactive shell's alias expansion (the parser's alias_expand_token()):
    a word in command position (the line's first, after `;`, `|`, `&`, `(`, a newline
    or a reserved word like `then`), and the next word too when an alias ends in a
    blank (even the same alias again: bash does so, `s s` with `alias s='echo S '`);
    quoted text is left alone, and an alias's own text is not looked at again."""
    out: list[str] = []
    i, n = 0, len(line)
    command_pos, quote = True, ""
    while i < n:
        c = line[i]
        if quote:
            out.append(c)
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"' and i + 1 < n:
                out.append(line[i + 1])
                i += 1
            i += 1
            continue
        if c in " \t":
            out.append(c)
            i += 1
            continue
        if c in ";|&(\n":
            out.append(c)
            command_pos = True
            i += 1
            continue
        j = i
        while j < n and line[j] not in _METAS and line[j] not in "'\"\\`$":
            j += 1
        word = line[i:j]
        if word and (j == n or line[j] in _METAS):
            if command_pos and word in aliases:
                value = aliases[word]
                out.append(value)
                # an alias that ends in a blank makes the next word a command word too
                command_pos = value.endswith((" ", "\t"))
            else:
                out.append(word)
                command_pos = command_pos and word in _RESERVED_BEFORE_COMMAND
            i = j
            continue
        if not word and c in _METAS:     # `)`, `<`, `>`: as they are
            out.append(c)
            i += 1
            continue
        # a word with a quote, a backslash, `$` or a backquote is no alias: copied as
        # it is, its quotes opened as they come
        command_pos = False
        out.append(line[i:j])
        i = j
        while i < n and line[i] not in _METAS:
            ch = line[i]
            out.append(ch)
            i += 1
            if ch in "'\"":
                quote = ch
                break
            if ch == "\\" and i < n:
                out.append(line[i])
                i += 1
    return "".join(out)


# ------------------------------------------------------------------ directory stack
def _home(interp) -> str:
    return interp.state.get("HOME") or "/root"


def _polite(interp, path: str) -> str:
    """polite_directory_format(): the home as `~`."""
    home = _home(interp)
    if home and home != "/" and (path == home or path.startswith(home + "/")):
        return "~" + path[len(home):]
    return path


def _stack(interp) -> list[str]:
    return [interp.session.cwd] + interp.state.dirstack[::-1]


def _print_stack(interp, ctx, long: bool = False, lines: bool = False,
                 numbered: bool = False) -> None:
    shown = [d if long else _polite(interp, d) for d in _stack(interp)]
    if numbered:
        ctx.term.out("".join(f"{i:2d}  {d}\n" for i, d in enumerate(shown)))
    elif lines:
        ctx.term.out("".join(f"{d}\n" for d in shown))
    else:
        ctx.term.out(" ".join(shown) + "\n")


def _change_dir(interp, ctx, name: str, target: str) -> bool:
    """cd's change of directory for pushd/popd (its messages under their name)."""
    from ipemu.tools.context import ToolContext
    from ipemu.tools.userland import _cd
    session = interp.session
    tool_ctx = ToolContext(session.host, ctx.netns or session.host.init_ns, ctx.term,
                           session.profile, session, None, None)
    try:
        _cd(tool_ctx, ["--", target] if target.startswith("-") and target != "-" else [target])
    except CommandError as err:
        interp.error(ctx, name + err.message[len("bash: cd"):].rstrip("\n"))
        return False
    return True


def _letters(interp, ctx, name: str, arg: str, allowed: str, usage: str) -> str | None:
    """The option letters of `arg` (internal_getopt()); None after the error for one
    the builtin does not take."""
    for letter in arg[1:]:
        if letter not in allowed:
            interp.error(ctx, f"{name}: -{letter}: invalid option")
            ctx.term.err(usage)
            return None
    return arg[1:]


def dirs(interp, argv, ctx) -> int:
    long = lines = numbered = False
    for arg in argv[1:]:
        if arg == "-c":
            interp.state.dirstack.clear()
            return 0
        # dirs_builtin(): each option a word of its own (`-lv` is a bad number)
        if arg in ("-l", "-p", "-v"):
            long, lines = long or arg == "-l", lines or arg == "-p"
            numbered = numbered or arg == "-v"
            continue
        if len(arg) < 2 or arg[0] not in "+-" or not arg[1:].isdigit():
            interp.error(ctx, f"dirs: {arg}: invalid number")
            ctx.term.err("dirs: usage: dirs [-clpv] [+N] [-N]\n")
            return 2
        stack = _stack(interp)
        index = _index(arg, len(stack))
        if index is None:
            interp.error(ctx, f"dirs: {arg[1:]}: directory stack index out of range")
            return 1
        ctx.term.out((stack[index] if long else _polite(interp, stack[index])) + "\n")
        return 0
    _print_stack(interp, ctx, long, lines, numbered)
    return 0


def _index(arg: str, size: int) -> int | None:
    """+N counts from the left of `dirs`' line, -N from the right."""
    if len(arg) < 2 or arg[0] not in "+-" or not arg[1:].isdigit():
        return None
    n = int(arg[1:])
    if n >= size:
        return None
    return n if arg[0] == "+" else size - 1 - n


def pushd(interp, argv, ctx) -> int:
    args = [a for a in argv[1:] if a != "-n"]
    quiet_cd = len(args) != len(argv) - 1
    state = interp.state
    if not args:
        if not state.dirstack:
            interp.error(ctx, "pushd: no other directory")
            return 1
        target = state.dirstack.pop()
        old = interp.session.cwd
        if not _change_dir(interp, ctx, "pushd", target):
            state.dirstack.append(target)
            return 1
        state.dirstack.append(old)
        _print_stack(interp, ctx)
        return 0
    arg = args[0]
    if len(arg) > 1 and arg[0] in "+-" and arg[1:].isdigit():
        stack = _stack(interp)
        index = _index(arg, len(stack))
        if index is None:
            interp.error(ctx, f"pushd: {arg}: directory stack index out of range")
            return 1
        rotated = stack[index:] + stack[:index]
        if not _change_dir(interp, ctx, "pushd", rotated[0]):
            return 1
        state.dirstack[:] = rotated[1:][::-1]
        _print_stack(interp, ctx)
        return 0
    old = interp.session.cwd
    if quiet_cd:
        state.dirstack.append(arg)
    else:
        if not _change_dir(interp, ctx, "pushd", arg):
            return 1
        state.dirstack.append(old)
    _print_stack(interp, ctx)
    return 0


def popd(interp, argv, ctx) -> int:
    state = interp.state
    args = [a for a in argv[1:] if a != "-n"]
    if not state.dirstack:
        interp.error(ctx, "popd: directory stack empty")
        return 1
    if args:
        stack = _stack(interp)
        index = _index(args[0], len(stack))
        if index is None:
            if len(args[0]) > 1 and args[0][0] in "+-" and args[0][1:].isdigit():
                interp.error(ctx, f"popd: {args[0]}: directory stack index out of range")
                return 1
            interp.error(ctx, f"popd: {args[0]}: invalid number")
            ctx.term.err("popd: usage: popd [-n] [+N | -N]\n")
            return 2
        if index > 0:
            del stack[index]
            state.dirstack[:] = stack[1:][::-1]
            _print_stack(interp, ctx)
            return 0
    target = state.dirstack[-1]
    if not _change_dir(interp, ctx, "popd", target):
        return 1
    state.dirstack.pop()
    _print_stack(interp, ctx)
    return 0


# ------------------------------------------------------------------ umask, logout
def umask(interp, argv, ctx) -> int:
    state = interp.state
    args = argv[1:]
    symbolic = printable = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        if args[0] == "--":
            args = args[1:]
            break
        letters = _letters(interp, ctx, "umask", args[0], "Sp",
                           "umask: usage: umask [-p] [-S] [mode]\n")
        if letters is None:
            return 2
        symbolic, printable = symbolic or "S" in letters, printable or "p" in letters
        args = args[1:]
    if args:
        mode = args[0]
        if not mode[0].isdigit():
            mask = _symbolic(interp, ctx, mode, state.umask)
            if mask is None:
                return 1
            state.umask = mask
            return 0
        if any(c not in "01234567" for c in mode) or int(mode, 8) > 0o777:
            interp.error(ctx, f"umask: {mode}: octal number out of range")
            return 1
        state.umask = int(mode, 8)
        return 0
    mask = state.umask
    if symbolic:
        def perms(shift: int) -> str:
            allowed = ~mask >> shift & 7
            return "".join(c for bit, c in ((4, "r"), (2, "w"), (1, "x")) if allowed & bit)
        text = f"u={perms(6)},g={perms(3)},o={perms(0)}"
        ctx.term.out(("umask -S " if printable else "") + text + "\n")
    else:
        ctx.term.out(("umask " if printable else "") + f"{mask:04o}\n")
    return 0


def _symbolic(interp, ctx, mode: str, mask: int) -> int | None:
    """symbolic_umask(): `u=rwx,g=rx,o=` clauses on the permissions the mask allows."""
    allowed = ~mask & 0o777
    for clause in mode.split(","):
        i = 0
        who = 0
        while i < len(clause) and clause[i] in "ugoa":
            who |= {"u": 0o700, "g": 0o070, "o": 0o007, "a": 0o777}[clause[i]]
            i += 1
        if i >= len(clause) or clause[i] not in "=+-":
            interp.error(ctx, f"umask: `{clause[i] if i < len(clause) else ''}': invalid "
                         "symbolic mode operator")
            return None
        op = clause[i]
        bits = 0
        for c in clause[i + 1:]:
            if c not in "rwx":
                interp.error(ctx, f"umask: `{c}': invalid symbolic mode character")
                return None
            bits |= {"r": 0o444, "w": 0o222, "x": 0o111}[c]
        who = who or 0o777
        if op == "=":
            allowed = (allowed & ~who) | (bits & who)
        elif op == "+":
            allowed |= bits & who
        else:
            allowed &= ~(bits & who)
    return ~allowed & 0o777


def logout(interp, argv, ctx) -> int:
    """exit.def's logout: only a login shell (the live prompt's) may."""
    if interp.session_is_prompt():
        from ipemu.bash.builtins import _exit
        return _exit(interp, ["exit", *argv[1:]], ctx)
    interp.error(ctx, "logout: not login shell: use `exit'")
    return 1


BUILTINS = {"alias": alias, "unalias": unalias, "dirs": dirs, "pushd": pushd,
            "popd": popd, "umask": umask, "logout": logout}
