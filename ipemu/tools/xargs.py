"""findutils 4.9's xargs and coreutils' env: commands run with arguments built from
standard input (xargs -n, -I, -L, -0, -r, -d) or with a changed environment (env -i,
-u, NAME=VALUE), through the session's own dispatch, so `xargs ip link show` and
`env X=1 ip ...` run ipemu's tools."""
from __future__ import annotations

import re
import shlex

from ipemu.errors import CommandError
from ipemu.process import Process, wait_for
from ipemu.tools.context import ToolContext

XARGS_TRY = "Try 'xargs --help' for more information.\n"


def _known(ctx: ToolContext, name: str) -> bool:
    """A program this host can run (xargs execs it: no shell builtins, no functions)."""
    from ipemu.bash.programs import shell_for_path, tool_for_path
    from ipemu.session import TOOLS
    from ipemu.tools.textutils import TEXT_TOOLS
    if name in TOOLS or name in TEXT_TOOLS or name in ("bash", "sh", "dash", "sudo") or \
            ("/" in name and (shell_for_path(name) or tool_for_path(name)) is not None):
        return True
    if "/" in name:
        # a script file named by its path (`env IFACE=x ./executors/vxlan`, as
        # ifupdown-ng runs its executors): execve() finds it, or says why not
        return _exec_error(ctx, name) != "No such file or directory"
    # a program file of the user's in the exported PATH xargs was given (execvp())
    shell = getattr(ctx.session, "tool_shell", None)
    if shell is None or "/" in name:
        return False
    from ipemu.bash.lookup import shadowing_program
    var = shell.vars.get("PATH")
    path = var.value if var is not None and var.exported else None
    return shadowing_program(ctx.session.fs, ctx.session.cwd, path, name) is not None


def _exec_error(ctx: ToolContext, name: str) -> str | None:
    """execve()'s error for a file named by its path: ENOENT, or EACCES for a
    directory or a file without an execute bit (None: it runs)."""
    from ipemu.bash.programs import shell_for_path, tool_for_path
    if (shell_for_path(name) or tool_for_path(name)) is not None:
        return None
    fs = ctx.session.fs
    path = fs.resolve(name, ctx.session.cwd)
    if not fs.exists(path):
        return "No such file or directory"
    if fs.is_dir(path) or not fs.is_executable(path):
        return "Permission denied"
    return None


def _run(ctx: ToolContext, argv: list[str]) -> int:
    """Run one command to its end; its output is the caller's."""
    if argv[0] == "env":
        return env(ctx, argv)
    # execvp() of /usr/sbin/ip: the session's dispatch finds the tool by its path
    result = ctx.session.dispatch(argv, ctx.term, netns=ctx.netns)
    if isinstance(result, Process):
        wait_for(ctx.host, result, limit=result.wait_limit)
        return result.status
    return result


def _items(text: str, delimiter: str | None) -> list[str]:
    """The items of the input: the delimited ones (-d, -0), else read_line()'s words,
    which must be complete (an unmatched quote is an error here)."""
    if delimiter is not None:
        parts = text.split(delimiter)
        if parts and parts[-1] in ("", "\n"):
            parts.pop()
        return parts
    items, error = _read_words(text)
    if error:
        raise CommandError(error, 1)
    return items


def _read_words(text: str) -> tuple[list[str], str | None]:
    """xargs.c read_line() without -I: blanks and newlines separate words; a backslash
    takes the next character as it is; a quote ('...' or "...") groups until the same
    quote, backslashes inside it being plain, and may not reach a newline or the end of
    input: then the words read so far are returned with the message (the caller runs
    them first, exec_if_possible(), then exits 1). '' makes an empty word."""
    items: list[str] = []
    word: list[str] = []
    started = False
    state = "norm"
    quote = ""
    for c in text:
        if state == "quote":
            if c == "\n":
                return items, _unmatched(quote)
            if c == quote:
                state = "norm"
            else:
                word.append(c)
            continue
        if state == "backslash":
            word.append(c)
            state = "norm"
            continue
        if c in " \t\n":
            if started:
                items.append("".join(word))
                word, started = [], False
            continue
        started = True
        if c == "\\":
            state = "backslash"
        elif c in "'\"":
            state, quote = "quote", c
        else:
            word.append(c)
    if state == "quote":
        return items, _unmatched(quote)
    if started:
        items.append("".join(word))
    return items, None


def _unmatched(quote: str) -> str:
    kind = "double" if quote == '"' else "single"
    return (f"xargs: unmatched {kind} quote; by default quotes are special to xargs "
            "unless you use the -0 option\n")


def _exclusive(ctx: ToolContext, previous: str, option: str) -> None:
    """xargs.c's warn_mutually_exclusive(): the earlier of -n/-L/-I is dropped."""
    ctx.term.err(f"xargs: warning: options {previous} and {option} are mutually exclusive, "
                 f"ignoring previous {previous} value\n")


def xargs(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    per_command: int | None = None
    replace: str | None = None
    lines: int | None = None
    delimiter: str | None = None
    no_empty = False
    verbose = False
    arg_file: str | None = None
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        # getopt_long(argc, argv, "+0a:E:e::i::I:l::L:n:prs:txP:d:"): letters cluster,
        # a value is the rest of the word or the next one (optional ones attached only)
        j = 1
        while j < len(arg):
            letter = arg[j]
            j += 1
            value = ""
            if letter in "nIdLPsaE":
                value, j = arg[j:], len(arg)
                if not value:
                    if not args:
                        raise CommandError(f"xargs: option requires an argument -- "
                                           f"'{letter}'\n" + XARGS_TRY, 1)
                    value = args.pop(0)
            elif letter in "iel":
                value, j = arg[j:], len(arg)
            if letter == "a":
                arg_file = value            # -a FILE: the items come from FILE
            elif letter == "n":
                if not value.isdigit() or int(value) < 1:
                    raise CommandError(f"xargs: value {value} for -n option should be >= 1\n"
                                       + XARGS_TRY, 1)
                if lines is not None and replace is None:
                    lines = _exclusive(ctx, "--max-lines", "--max-args/-n")
                per_command = int(value)
            elif letter in "Ii":
                if per_command is not None:
                    per_command = _exclusive(ctx, "--max-args", "--replace/-I/-i")
                if lines is not None:
                    lines = _exclusive(ctx, "--max-lines", "--replace/-I/-i")
                replace = value if letter == "I" else value or "{}"
            elif letter == "L":
                if per_command is not None:
                    per_command = _exclusive(ctx, "--max-args", "-L")
                if replace is not None:
                    replace = _exclusive(ctx, "--replace", "-L")
                lines = int(value)
            elif letter == "0":
                delimiter = "\0"
            elif letter == "d":
                delimiter = value.encode().decode("unicode_escape")
            elif letter == "r":
                no_empty = True
            elif letter == "t":
                verbose = True      # print_args(): each command on stderr first
            elif letter in "PsaEelpx":
                pass
            else:
                raise CommandError(f"xargs: invalid option -- '{letter}'\n"
                                   "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n"
                                   + XARGS_TRY, 1)
    command = args or ["echo"]
    text = ctx.stdin or ""
    if arg_file is not None:
        # xargs.c main(): fopen() of the -a file, the command's stdin left alone
        from ipemu.tools.textio import read_input
        try:
            text = read_input(ctx, arg_file)
        except OSError as err:
            # quote(): ‘NAME’ in the C.UTF-8 locale
            raise CommandError(f"xargs: Cannot open input file ‘{arg_file}’: "
                               f"{err.strerror}\n", 1)
    if not _known(ctx, command[0]):
        ctx.term.err(f"xargs: {command[0]}: No such file or directory\n")
        return 127
    if "/" in command[0] and _exec_error(ctx, command[0]) == "Permission denied":
        # xargs.c's child: execvp() fails with EACCES, status 126
        ctx.term.err(f"xargs: {command[0]}: Permission denied\n")
        return 126
    batches: list[list[str]]
    unmatched: str | None = None
    if replace is not None:
        # -I: each input line is an item, its leading blanks dropped (read_line()'s
        # initial state skips them, and blank lines), the rest kept as it is; with -d
        # or -0 the items are the delimited ones, blanks and empty ones included
        items = _items(text, delimiter) if delimiter is not None else \
            [ln.lstrip(" \t") for ln in text.split("\n") if ln.strip(" \t")]
        batches = [[a.replace(replace, item) for a in command] for item in items]
    else:
        if lines is not None:
            # -L: a line of input each, or with -d/-0 a delimited item each
            rows = [[item] for item in _items(text, delimiter)] if delimiter is not None \
                else [ln.split() for ln in text.split("\n") if ln.strip()]
            groups = [sum(rows[i:i + lines], []) for i in range(0, len(rows), lines)]
        else:
            if delimiter is None:
                items, unmatched = _read_words(text)
            else:
                items = _items(text, delimiter)
            size = per_command or max(len(items), 1)
            groups = [items[i:i + size] for i in range(0, len(items), size)]
        if not groups and not no_empty and not unmatched:
            groups = [[]]
        batches = [command + group for group in groups]
    status = 0
    for batch in batches:
        if verbose:
            ctx.term.err(" ".join(_shell_quote(word) for word in batch) + "\n")
        result = _run(ctx, batch)
        if result == 255:
            ctx.term.err(f"xargs: {batch[0]}: exited with status 255; aborting\n")
            return 124
        if result == 127:
            return 127
        if 1 <= result <= 125:
            status = 123
    if unmatched:
        # read_line()'s error() after exec_if_possible() ran the words before it
        ctx.term.err(unmatched)
        return 1
    return status


_SHELL_SPECIAL = set(" !\"$&()*;<=>?[\\^`|'")
# characters whose C and shell quoting agree (quotearg.c's c_and_shell_quote_compat)
_C_SHELL_COMPAT = set(" %+,-./0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ]_abcdefghijklmnopqrstuvwxyz'")
_C_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}


def _shell_quote(word: str) -> str:
    """gnulib quotearg's shell_escape_quoting_style, as -t prints a word: as it is when
    nothing in it is special to the shell (`#`/`~` only first, `{`/`}` only alone,
    printable multibyte characters are plain); a word with a single quote whose other
    characters C quoting also leaves alone in double quotes ("it's"); else in single
    quotes (`'\\''` for a quote) with control characters as `'$'\\n''` runs (\\ooo for
    those without a letter)."""
    if word == "":
        return "''"
    control = any(not c.isprintable() for c in word)
    special = (control or any(c in _SHELL_SPECIAL for c in word) or word[0] in "#~"
               or word in ("{", "}"))
    if not special:
        return word
    if not control and "'" in word and all(c in _C_SHELL_COMPAT or ord(c) > 127
                                           for c in word):
        return '"' + word + '"'
    out = ["'"]
    pending = False             # inside a '$'...' run (quotearg's pending_shell_escape_end)
    for c in word:
        if not c.isprintable():
            if not pending:
                out.append("'$'")
                pending = True
            code = ord(c) - 0xDC00 if 0xDC80 <= ord(c) <= 0xDCFF else ord(c)
            out.append("\\" + _C_ESCAPES.get(c, "%03o" % code))
            continue
        if pending:
            out.append("''")
            pending = False
        out.append("'\\''" if c == "'" else c)
    out.append("'")
    return "".join(out)


def _command_path(name: str | None, program: str) -> str:
    """The path bash found for the command it ran (the login PATH's first hit)."""
    if not name or name.rsplit("/", 1)[-1] == program.rsplit("/", 1)[-1]:
        return program
    if "/" in name:
        return name
    from ipemu.tools.userland import PATHS
    return PATHS.get(name, f"/usr/bin/{name}")


def environment(ctx: ToolContext, program: str | None = None) -> dict[str, str]:
    """The exported variables of the shell that runs the command, in the order that
    shell passes them (`program`: the path bash puts in `_` for the command it runs,
    put_command_name_into_env(): in place if `_` came in the shell's own
    environment, else last; dash passes `_` as it got it)."""
    if getattr(ctx, "environ", None) is not None:
        return dict(ctx.environ)
    state = getattr(ctx.session, "tool_shell", None) or getattr(ctx.session, "sh", None)
    if state is not None and hasattr(state, "vars"):
        from ipemu.bash.state import export_order
        names = [name for name, var in state.vars.items()
                 if getattr(var, "exported", False) and getattr(var, "array", None) is None]
        environ = {name: state.vars[name].value for name in export_order(state, names)}
        if not state.dash:
            environ.update(_exported_functions(state))
        if program is not None and not state.dash and \
                not getattr(state, "bare_environment", False):
            # the path bash gave the program it ran: this one, or the one that runs
            # it (`timeout 5 env`, `ip netns exec NS env`: theirs)
            environ["_"] = _command_path(getattr(ctx.session, "tool_command", None), program)
        return environ
    return {"HOME": "/root", "LANG": "C.UTF-8", "LOGNAME": "root",
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "PWD": ctx.session.cwd, "SHELL": "/bin/bash", "TERM": "xterm", "USER": "root"}


def _exported_functions(state) -> dict[str, str]:
    """`export -f NAME`: bash passes each as BASH_FUNC_NAME%%=() {  BODY } after the
    variables (maybe_make_export_env()'s make_func_export_array()), bucket by bucket
    of FUNCTIONS_HASH_BUCKETS (512), the newest first in a bucket (map_over_funcs(),
    unsorted); the body as named_function_string() prints it without FUNC_MULTILINE
    (indentation 1, indentation_amount 0: every line after the first one space in)."""
    from ipemu.bash.funcprint import function_text
    from ipemu.bash.state import _hash_string
    names = [n for n in state.functions if n in state.func_exports]
    position = {n: i for i, n in enumerate(names)}
    names.sort(key=lambda n: (_hash_string(n) & 511, -position[n]))
    out = {}
    for name in names:
        body = function_text(state.functions[name]).split("\n")[2:-1]
        lines = [line.lstrip(" ") for line in body]
        out[f"BASH_FUNC_{name}%%"] = "() {  " + "\n ".join(lines) + "\n}"
    return out


def env(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    environ = environment(ctx, "/usr/bin/env")
    while args and args[0].startswith("-") and args[0] != "-":
        arg = args.pop(0)
        if arg == "--":
            break
        if arg in ("-i", "--ignore-environment"):
            environ = {}
        elif arg.startswith("-u"):
            name = arg[2:] or (args.pop(0) if args else "")
            if not name:
                raise CommandError("env: option requires an argument -- 'u'\n"
                                   "Try 'env --help' for more information.\n", 125)
            environ.pop(name, None)
        elif arg in ("-0", "-v"):
            pass
        elif arg.startswith(("-S", "--split-string")):
            # -S STRING (a `#!/usr/bin/env -S bash -e` line's one argument): its
            # words, quotes honoured, in front of the rest (env.c's parse_split_string())
            text = arg[2:] if arg.startswith("-S") else arg.partition("=")[2]
            if not text and not arg.startswith("--split-string=") and args:
                text = args.pop(0)
            args = shlex.split(text) + args
        else:
            raise CommandError(f"env: invalid option -- '{arg[1:2]}'\n"
                               "Try 'env --help' for more information.\n", 125)
    if args and args[0] == "-":
        environ = {}
        args.pop(0)
    while args and re.match(r"[^=]+=", args[0]):
        name, _, value = args.pop(0).partition("=")
        environ.pop(name, None)
        environ[name] = value
    if not args:
        ctx.term.out("".join(f"{k}={v}\n" for k, v in environ.items()))
        return 0
    if args[0] == "env":
        ctx.environ = environ
        try:
            return env(ctx, args)
        finally:
            ctx.environ = None
    if not _known(ctx, args[0]) or not _execvp_finds(environ.get("PATH"), args[0]):
        ctx.term.err(f"env: ‘{args[0]}’: No such file or directory\n")
        return 127
    if "/" in args[0] and _exec_error(ctx, args[0]) == "Permission denied":
        # env.c: execvp() failed with EACCES, EXIT_CANNOT_INVOKE
        ctx.term.err(f"env: ‘{args[0]}’: Permission denied\n")
        return 126
    return _with_environment(ctx, environ, args)


def _execvp_finds(path: str | None, name: str) -> bool:
    """execvp()'s search for a box program: PATH, or confstr(_CS_PATH) "/bin:/usr/bin"
    when it is unset (`env -i sysctl`: sysctl is in /usr/sbin)."""
    if "/" in name:
        return True
    from ipemu.bash.lookup import _merged, program_homes
    homes = program_homes(name)
    entries = (path if path is not None else "/bin:/usr/bin").split(":")
    return any(_merged((e or ".").rstrip("/") + "/").rstrip("/") in homes for e in entries)


def _with_environment(ctx: ToolContext, environ: dict[str, str], argv: list[str]) -> int:
    """The command env runs sees env's environment (a shell it starts inherits it)."""
    session = ctx.session
    shell = getattr(session, "tool_shell", None) or getattr(session, "sh", None)
    if shell is None or not hasattr(shell, "vars") or argv[0] in ("env",):
        return _run(ctx, argv)
    from ipemu.bash.state import Var
    state = shell.copy()
    state.vars = {name: Var(value, exported=True) for name, value in environ.items()}
    saved = session.tool_shell
    session.tool_shell = state
    try:
        return _run(ctx, argv)
    finally:
        session.tool_shell = saved


def main(ctx: ToolContext, argv: list[str]) -> int:
    return xargs(ctx, argv) if argv[0] == "xargs" else env(ctx, argv)
