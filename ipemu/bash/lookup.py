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
    if name in PATHS:
        return PATHS[name]
    if _runnable(interp, name) and name not in BASH_BUILTINS:
        return f"/usr/bin/{name}"
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
    from ipemu.tools.userland import PATHS
    home = PATHS.get(name, f"/usr/bin/{name}").rsplit("/", 1)[0]
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
    """The directories (merged /usr spelling) a box program is installed in; iproute2
    puts `ip` in both /usr/bin and /usr/sbin (/sbin/ip -> /bin/ip)."""
    from ipemu.tools.userland import PATHS
    home = PATHS.get(name, f"/usr/bin/{name}").rsplit("/", 1)[0]
    return {home, "/usr/bin"} if name == "ip" else {home}


def path_misses(interp, name: str) -> str | None:
    """findcmd.c's search_for_command() for a box program: None when PATH finds it,
    else bash's reason: "command not found" (no PATH entry holds it), or "No such
    file or directory" (PATH unset or empty: the name is tried as ./NAME)."""
    value = interp.state.get("PATH")
    if value == _DEFAULT_PATH:
        return None                 # the login PATH holds every box directory
    if not value:
        return "No such file or directory"
    homes = program_homes(name)
    fs, cwd = interp.session.fs, interp.session.cwd
    for entry in value.split(":"):
        full = fs.resolve(entry or ".", cwd)
        if _merged(full.rstrip("/") + "/").rstrip("/") in homes:
            return None
    return "command not found"


def kind_of(interp, name: str) -> str | None:
    """type -t: alias, keyword, function, builtin, file, or None."""
    if name in KEYWORDS:
        return "keyword"
    if name in interp.state.functions:
        return "function"
    if name in BASH_BUILTINS:
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


def hit(interp, name: str) -> str | None:
    """A lookup through the hash table counts a hit (hashlib.c's times_found)."""
    path = interp.state.hashed.get(name)
    if path is not None:
        interp.state.hash_hits[name] = interp.state.hash_hits.get(name, 0) + 1
    return path


def describe(interp, name: str) -> str | None:
    kind = kind_of(interp, name)
    if kind == "keyword":
        return f"{name} is a shell keyword"
    if kind == "function":
        # describe_command(): the definition follows (named_function_string())
        from ipemu.bash.funcprint import function_text
        return f"{name} is a function\n{function_text(interp.state.functions[name])}"
    if kind == "builtin":
        return f"{name} is a shell builtin"
    if kind == "file":
        if name in interp.state.hashed:
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
        if text is None:
            interp.error(ctx, f"type: {name}: not found")
            status = 1
        else:
            ctx.term.out(text + "\n")
    return status


def _all_of(interp, name: str) -> list[str]:
    """type -a: each thing the name could run, then each PATH directory that has it
    (Debian's merged /usr: /usr/sbin and /sbin, /usr/bin and /bin hold the same)."""
    found = []
    if name in KEYWORDS:
        found.append(f"{name} is a shell keyword")
    if name in interp.state.functions:
        from ipemu.bash.funcprint import function_text
        found.append(f"{name} is a function\n{function_text(interp.state.functions[name])}")
    if name in BASH_BUILTINS:
        found.append(f"{name} is a shell builtin")
    path = program_path(interp, name) if "/" not in name else None
    if path is not None:
        found += [f"{name} is {where}" for where in _path_entries(path)]
    return found


def _path_entries(path: str) -> list[str]:
    """The PATH directories (/usr/sbin, /usr/bin, /sbin, /bin) that hold a program;
    iproute2 puts `ip` in both bin and sbin."""
    base = path.rsplit("/", 1)[1]
    dirs = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"] if base == "ip" else \
        ["/usr/sbin", "/sbin"] if path.startswith("/usr/sbin/") else ["/usr/bin", "/bin"]
    return [f"{d}/{base}" for d in dirs]


def command_builtin(interp, argv: list[str], ctx):
    """`command [-pVv] NAME [ARGS]`: NAME run without its functions, or told about."""
    args = argv[1:]
    mode = ""
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
    if not args:
        return 0
    if mode == "v":
        status = 1
        for name in args:
            kind = kind_of(interp, name)
            if kind in ("file",):
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
            if state.hashed.pop(name, None) is None:
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
    return status


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
