"""How bash finds what a name runs (findcmd.c, builtins/type.def, command.def):
`type`, `command [-v|-V] NAME`, and the hash table a program's path is
remembered in once it has run (`ip is hashed (/usr/sbin/ip)`)."""
from __future__ import annotations

from ipemu.bash.state import DEFAULT_VARS

# bash 5.2's builtins (`enable` lists them) and reserved words
BASH_BUILTINS = set(
    ". : [ alias bg bind break builtin caller cd command compgen complete compopt "
    "continue declare dirs disown echo enable eval exec exit export false fc fg getopts "
    "hash help history jobs kill let local logout mapfile popd printf pushd pwd read "
    "readarray readonly return set shift shopt source suspend test times trap true type "
    "typeset ulimit umask unalias unset wait".split())
KEYWORDS = set("if then else elif fi case esac for select while until do done in "
               "function time { } ! [[ ]] coproc".split())
TYPE_USAGE = "type: usage: type [-afptP] name [name ...]\n"
_DEFAULT_PATH = DEFAULT_VARS["PATH"]


def program_path(interp, name: str) -> str | None:
    """Where PATH finds a program: the box's own tools with Debian's paths."""
    from ipemu.bash.programs import _runnable
    from ipemu.tools.userland import PATHS
    if "/" in name:
        return name if interp.session.read_text(name) is not None else None
    found = shadowing_program(interp.session.fs, interp.session.cwd,
                              interp.state.get("PATH"), name)
    if found is not None:
        return found
    if name in PATHS or (_runnable(interp, name) and name not in BASH_BUILTINS):
        return box_path(interp, name) or user_program(interp, name)
    return user_program(interp, name)


def user_program(interp, name: str) -> str | None:
    """findcmd.c's find_user_command(): the first PATH entry (empty: the working
    directory) holding an executable file `name`, among the files the user made (the
    box's own programs are found by name first)."""
    entries = (interp.state.get("PATH") or "").split(":")
    fs = interp.session.fs
    for entry in entries:
        candidate = f"{entry or '.'}/{name}"
        full = fs.resolve(candidate, interp.session.cwd)
        if fs.exists(full) and not fs.is_dir(full) and fs.is_executable(full):
            return candidate        # as PATH spelled it (make_full_pathname())
    return None


def file_to_lose_on(interp, name: str) -> str | None:
    """find_user_command_in_path()'s last resort: no PATH entry holds an executable
    NAME, but one holds a file of that name (no execute bit): it is what bash runs,
    and execve() fails with EACCES (126)."""
    entries = (interp.state.get("PATH") or "").split(":")
    fs = interp.session.fs
    for entry in entries:
        candidate = f"{entry or '.'}/{name}"
        full = fs.resolve(candidate, interp.session.cwd)
        if fs.exists(full) and not fs.is_dir(full):
            return candidate
    return None


def _merged(path: str) -> str:
    """Debian 12's merged /usr: /bin and /sbin are /usr/bin and /usr/sbin."""
    for short, full in (("/bin/", "/usr/bin/"), ("/sbin/", "/usr/sbin/")):
        if path.startswith(short):
            return full + path[len(short):]
    return path


def shadowing_program(fs, cwd: str, path_value: str | None, name: str) -> str | None:
    """findcmd.c's find_user_command_in_path(): PATH is searched in its order, so an
    executable file the user made in an entry before the box's own program's
    directory (`PATH=$PWD/bin:$PATH` with a bin/ping) runs instead of the program."""
    if not path_value or "/" in name or not fs.may_hold_programs():
        return None
    home = program_home(name)
    homes = {home, "/usr/bin"} if name == "ip" else {home}
    for entry in path_value.split(":"):
        candidate = f"{entry or '.'}/{name}"
        full = fs.resolve(candidate, cwd)
        if _merged(full.rsplit("/", 1)[0] + "/").rstrip("/") in homes:
            return None             # the box's own program comes first
        if fs.exists(full) and not fs.is_dir(full) and fs.is_executable(full):
            return candidate        # as PATH spelled it (make_full_pathname())
    return None


def program_homes(name: str) -> set[str]:
    """The directories (merged /usr spelling) a box program is installed in: its
    PATHS home and every one the recording machine has it in (progfiles.homes():
    iproute2's `ip` in both /usr/bin and /usr/sbin, traceroute's two alternatives)."""
    from ipemu.tools.progfiles import homes
    return {program_home(name)} | homes(name)


def program_home(name: str) -> str:
    """The directory of a box program's PATHS entry (the first of its homes)."""
    from ipemu.tools.userland import PATHS
    return PATHS.get(name, f"/usr/bin/{name}").rsplit("/", 1)[0]


def is_program_home(name: str, folder: str) -> bool:
    """Whether `folder` (merged /usr spelling) is one of program_homes(name): its
    PATHS home at once (the program's table read only for another)."""
    return folder == program_home(name) or folder in program_homes(name)


def box_path(interp, name: str) -> str | None:
    """Where PATH finds a box program, spelled as the PATH entry that holds it
    (find_user_command_in_path()'s make_full_pathname()), or None."""
    from ipemu.tools.userland import PATHS
    value = interp.state.get("PATH")
    if value == _DEFAULT_PATH:
        return PATHS.get(name, f"/usr/bin/{name}")  # the login PATH's first hit
    if not value:
        return None
    homes = program_homes(name)
    fs, cwd = interp.session.fs, interp.session.cwd
    for entry in value.split(":"):
        full = fs.resolve(entry or ".", cwd)
        if _merged(full.rstrip("/") + "/").rstrip("/") in homes:
            return f"{entry or '.'}/{name}" if entry != "/" else f"/{name}"
    return None


def path_misses(interp, name: str) -> str | None:
    """findcmd.c's search_for_command() for a box program: None when PATH finds it,
    else bash's reason: "command not found" (no PATH entry holds it), or "No such
    file or directory" (PATH unset or empty: the name is tried as ./NAME)."""
    value = interp.state.get("PATH")
    if value == _DEFAULT_PATH:
        return None                 # the login PATH holds every box directory
    if not value:
        return "No such file or directory"
    return None if box_path(interp, name) is not None else "command not found"


def enable_builtin(interp, argv: list[str], ctx) -> int:
    """`enable [-n] NAME...` (enable.def): a builtin turned off (-n; a program of
    that name runs then) or on again; `enable -n` alone lists those turned off."""
    args, off = argv[1:], False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        for letter in opt[1:]:
            if letter not in "adnps":
                interp.error(ctx, f"enable: -{letter}: invalid option")
                ctx.term.err("enable: usage: enable [-a] [-dnps] [-f filename] [name ...]\n")
                return 2
            off |= letter == "n"
    state = interp.state
    if not args:
        if off:
            ctx.term.out("".join(f"enable -n {n}\n" for n in sorted(state.disabled)))
        return 0
    status = 0
    for name in args:
        if name not in BASH_BUILTINS:
            interp.error(ctx, f"enable: {name}: not a shell builtin")
            status = 1
        elif off:
            state.disabled.add(name)
        else:
            state.disabled.discard(name)
    return status


def builtin_builtin(interp, argv: list[str], ctx):
    """`builtin NAME [ARGS]` (builtin.def): a shell builtin run past any function of
    that name; any other name is not one."""
    if len(argv) < 2:
        return 0
    name = argv[1]
    if name not in BASH_BUILTINS or (interp.state.dash and name == "builtin"):
        interp.error(ctx, f"builtin: {name}: not a shell builtin")
        return 1
    return (yield from interp.invoke(argv[1:], ctx, no_functions=True))


def _aliases_on(interp) -> bool:
    """describe_command() looks an alias up only while expand_aliases is on: set by
    shopt, or in an interactive shell (off under `bash -c` and in scripts)."""
    if interp.state.dash:
        return True         # dash's aliases are always on (its describe_command())
    return "shopt:expand_aliases" in interp.state.options or (
        getattr(interp, "interactive", False) and not getattr(interp.session, "bash_c", False))


def kind_of(interp, name: str) -> str | None:
    """type -t: alias, keyword, function, builtin, file, or None."""
    if name in interp.state.aliases and _aliases_on(interp):
        return "alias"
    if name in KEYWORDS:
        return "keyword"
    if name in interp.state.functions:
        return "function"
    if name in BASH_BUILTINS and name not in interp.state.disabled:
        return "builtin"
    if program_path(interp, name) is not None:
        return "file"
    return None


def remember(interp, name: str) -> None:
    """A program run by its name goes into the hash table (hash.def)."""
    if "/" not in name and name not in BASH_BUILTINS and \
            name not in interp.state.functions:
        path = program_path(interp, name)
        if path is not None:
            if name in interp.state.hashed:
                hit(interp, name)
            else:
                interp.state.hashed[name] = path
                interp.state.hash_hits[name] = 1
                interp.state.hash_made = True


def hit(interp, name: str) -> str | None:
    """A lookup through the hash table counts a hit (hashlib.c's times_found)."""
    path = interp.state.hashed.get(name)
    if path is not None:
        interp.state.hash_hits[name] = interp.state.hash_hits.get(name, 0) + 1
    return path


# dash's special builtins (builtins.def's `-s` entries): `type` says so
DASH_SPECIAL = frozenset((".", ":", "break", "continue", "eval", "exec", "exit", "export",
                          "readonly", "return", "set", "shift", "times", "trap", "unset"))


def describe(interp, name: str) -> str | None:
    kind = kind_of(interp, name)
    if kind == "alias":
        if interp.state.dash:
            # dash's describe_command(): "is an alias for", the value as it is
            return f"{name} is an alias for {interp.state.aliases[name]}"
        return f"{name} is aliased to `{interp.state.aliases[name]}'"
    if kind == "keyword":
        return f"{name} is a shell keyword"
    if kind == "function" and interp.state.dash:
        return f"{name} is a shell function"       # no body printed
    if kind == "builtin" and interp.state.dash and name in DASH_SPECIAL:
        return f"{name} is a special shell builtin"
    if kind == "function":
        # describe_command(): the definition follows (named_function_string())
        from ipemu.bash.funcprint import function_text
        return f"{name} is a function\n{function_text(interp.state.functions[name])}"
    if kind == "builtin":
        return f"{name} is a shell builtin"
    if kind == "file":
        if name in interp.state.hashed:
            if interp.state.dash:       # dash's describe_command(): a hashed one
                return f"{name} is a tracked alias for {hit(interp, name)}"
            return f"{name} is hashed ({hit(interp, name)})"
        return f"{name} is {program_path(interp, name)}"
    return None


def type_builtin(interp, argv: list[str], ctx) -> int:
    args = argv[1:]
    flags = set()
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        for letter in opt[1:]:
            if letter not in "afptP":
                interp.error(ctx, f"type: -{letter}: invalid option")
                ctx.term.err(TYPE_USAGE)
                return 2
            flags.add(letter)
    status = 0
    for name in args:
        kind = kind_of(interp, name)
        if "t" in flags:
            if kind is None:
                status = 1
            else:
                ctx.term.out(kind + "\n")
            continue
        if "p" in flags or "P" in flags:
            path = program_path(interp, name) if kind == "file" or "P" in flags else None
            if path is None:
                status = 1 if kind is None or "P" in flags else status
            else:
                ctx.term.out((hit(interp, name) or path) + "\n")
            continue
        if "a" in flags:
            found = _all_of(interp, name)
            if not found:
                interp.error(ctx, f"type: {name}: not found")
                status = 1
            ctx.term.out("".join(line + "\n" for line in found))
            continue
        text = describe(interp, name)
        if text is None and interp.state.dash:
            ctx.term.out(f"{name}: not found\n")     # dash: on stdout, status 127
            status = 127
        elif text is None:
            interp.error(ctx, f"type: {name}: not found")
            status = 1
        else:
            ctx.term.out(text + "\n")
    return status


def _all_of(interp, name: str) -> list[str]:
    """type -a: each thing the name could run (describe_command() with `all`), then
    each PATH entry holding an executable of that name, in PATH's order
    (user_command_matches()); Debian's merged /usr puts a program in both /usr/sbin
    and /sbin (or /usr/bin and /bin), iproute2's `ip` in all four."""
    found = []
    if name in interp.state.aliases and _aliases_on(interp):
        found.append(f"{name} is aliased to `{interp.state.aliases[name]}'")
    if name in KEYWORDS:
        found.append(f"{name} is a shell keyword")
    if name in interp.state.functions:
        from ipemu.bash.funcprint import function_text
        found.append(f"{name} is a function\n{function_text(interp.state.functions[name])}")
    if name in BASH_BUILTINS:
        found.append(f"{name} is a shell builtin")
    if "/" in name:
        return found
    from ipemu.bash.programs import _runnable
    from ipemu.tools.userland import PATHS
    box = name in PATHS or (_runnable(interp, name) and name not in BASH_BUILTINS)
    homes = program_homes(name) if box else set()
    fs, cwd = interp.session.fs, interp.session.cwd
    value = interp.state.get("PATH") or ""
    for entry in value.split(":") if value else []:
        candidate = f"{entry or '.'}/{name}" if entry != "/" else f"/{name}"
        full = fs.resolve(candidate, cwd)
        if _merged(full.rsplit("/", 1)[0] + "/").rstrip("/") in homes or \
                (fs.exists(full) and not fs.is_dir(full) and fs.is_executable(full)):
            found.append(f"{name} is {candidate}")
    return found


def command_builtin(interp, argv: list[str], ctx):
    """`command [-pVv] NAME [ARGS]`: NAME run without its functions, or told about."""
    args = argv[1:]
    mode, standard = "", False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        for letter in opt[1:]:
            if letter not in "pvV":
                interp.error(ctx, f"command: -{letter}: invalid option")
                ctx.term.err("command: usage: command [-pVv] command [arg ...]\n")
                return 2
            if letter in "vV":
                mode = letter
            standard |= letter == "p"
    if not args:
        return 0
    if standard:
        # -p: the search uses the standard PATH (confstr(_CS_PATH): /bin:/usr/bin),
        # not the shell's (command.def's get_standard_path())
        from ipemu.bash.state import Var
        state = interp.state
        saved = state.vars.get("PATH")
        state.vars["PATH"] = Var("/bin:/usr/bin", exported=saved is not None and saved.exported)
        try:
            return (yield from _command(interp, args, ctx, mode))
        finally:
            if saved is None:
                state.vars.pop("PATH", None)
            else:
                state.vars["PATH"] = saved
    return (yield from _command(interp, args, ctx, mode))


def _command(interp, args: list[str], ctx, mode: str):
    """command's -v, -V or run, once its options are read."""
    if mode == "v":
        # dash's describe_command() fails with 127, bash's command -v with 1
        status = 127 if interp.state.dash else 1
        for name in args:
            kind = kind_of(interp, name)
            if kind == "alias":
                from ipemu.bash.dirs import _single_quote
                ctx.term.out(f"alias {name}={_single_quote(interp.state.aliases[name])}\n")
                status = 0
            elif kind in ("file",):
                ctx.term.out((hit(interp, name) or program_path(interp, name)) + "\n")
                status = 0
            elif kind is not None:
                ctx.term.out(name + "\n")
                status = 0
        return status
    if mode == "V":
        status = 0
        for name in args:
            text = describe(interp, name)
            if text is None:
                interp.error(ctx, f"command: {name}: not found")
                status = 1
            else:
                ctx.term.out(text + "\n")
        return status
    return (yield from interp.invoke(args, ctx, no_functions=True))


def hash_builtin(interp, argv: list[str], ctx) -> int:
    """hash.def's hash_builtin(): `internal_getopt (list, "dlp:rt")`, then list (-l:
    as `builtin hash -p` lines), print targets (-t), forget (-d), or hash NAMEs."""
    opts, pathname, args = set(), None, argv[1:]
    while args and args[0].startswith("-") and len(args[0]) > 1:
        word = args.pop(0)
        if word == "--":
            break
        for at, letter in enumerate(word[1:], 1):
            if letter == "p":
                pathname = word[at + 1:] or (args.pop(0) if args else None)
                if pathname is None:
                    interp.error(ctx, "hash: -p: option requires an argument")
                    ctx.term.err(HASH_USAGE)
                    return 2
                break
            if letter not in "dlrt":
                interp.error(ctx, f"hash: -{letter}: invalid option")
                ctx.term.err(HASH_USAGE)
                return 2
            opts.add(letter)
    state = interp.state
    if state.dash and not args and not opts:
        _print_dash_hashed(state, ctx)
        return 0
    if not args and ("d" in opts or "t" in opts):
        interp.error(ctx, f"hash: {'-d' if 'd' in opts else '-t'}: option requires an argument")
        return 1
    if not args and "r" not in opts:
        _print_hashed(state, ctx, "l" in opts)
        return 0
    if "r" in opts:
        state.hashed.clear()
        state.hash_hits.clear()
    if "t" in opts:
        return _hash_targets(interp, args, ctx, "l" in opts)
    status = 0
    for name in args:
        if "/" in name:
            continue                    # absolute_program(): nothing to hash
        if pathname is not None:
            state.hashed[name] = pathname
            state.hash_hits[name] = 0
        elif "d" in opts:
            if state.hashed.pop(name, None) is None and state.hash_made:
                # phash_remove(): no error while the shell never made its table
                interp.error(ctx, f"hash: {name}: not found")
                status = 1
            state.hash_hits.pop(name, None)
        elif name not in state.functions and name not in BASH_BUILTINS:
            # add_hashed_command(): functions and builtins are left alone
            path = program_path(interp, name)
            if path is None:
                interp.error(ctx, f"hash: {name}: not found")
                status = 1
            else:
                state.hashed.pop(name, None)
                state.hashed[name] = path
                state.hash_hits[name] = 0
    state.hash_made = state.hash_made or bool(state.hashed)
    return status


def _print_dash_hashed(state, ctx) -> None:
    """dash's hashcmd() without arguments: each remembered program's path, bucket by
    bucket of its 31 (exec.c's cmdlookup(): the name's first byte << 4 plus each
    byte), the oldest first within a bucket."""
    def bucket(name: str) -> int:
        data = name.encode()
        return ((data[0] << 4) + sum(data)) % 31 if data else 0
    names = list(state.hashed)
    for name in sorted(names, key=lambda n: (bucket(n), names.index(n))):
        ctx.term.out(state.hashed[name] + "\n")


HASH_USAGE = "hash: usage: hash [-lr] [-p pathname] [-dt] [name ...]\n"


def hash_order(state) -> list[str]:
    """hash_walk()'s order: bucket by bucket of FILENAME_HASH_BUCKETS (256), by
    hash_string() (FNV-1), the newest first within a bucket (hash_insert())."""
    from ipemu.bash.state import _hash_string
    names = list(state.hashed)
    return sorted(names, key=lambda n: (_hash_string(n) & 255, -names.index(n)))


def _print_hashed(state, ctx, portable: bool) -> None:
    """print_hashed_commands(): `hits\tcommand` and `%4d\t%s` lines, or (-l)
    `builtin hash -p PATH NAME`; an empty table says so, except with -l (bash 5.2:
    shell_compatibility_level above 50)."""
    if not state.hashed:
        if not portable:
            ctx.term.out("hash: hash table empty\n")
        return
    names = hash_order(state)
    if portable:
        ctx.term.out("".join(f"builtin hash -p {state.hashed[n]} {n}\n" for n in names))
        return
    ctx.term.out("hits\tcommand\n" + "".join(
        f"{state.hash_hits.get(n, 1):4d}\t{state.hashed[n]}\n" for n in names))


def _hash_targets(interp, args: list[str], ctx, portable: bool) -> int:
    """list_hashed_filename_targets(): each NAME's path (a lookup: phash_search()
    counts a hit), `NAME\tPATH` when several are asked for."""
    status = 0
    for name in args:
        path = hit(interp, name)
        if path is None:
            interp.error(ctx, f"hash: {name}: not found")
            status = 1
        elif portable:
            ctx.term.out(f"builtin hash -p {path} {name}\n")
        else:
            ctx.term.out((f"{name}\t" if len(args) > 1 else "") + path + "\n")
    return status
