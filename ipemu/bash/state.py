"""A shell's own state, as bash keeps it (variables.c, flags.c): variables with their
attributes, functions, positional parameters, `set` options. Plain data, saved with
the host by `--state`."""
from __future__ import annotations

from ipemu.plainclass import dataclass, field


@dataclass
class Var:
    value: str
    exported: bool = False
    readonly: bool = False
    array: dict | None = None   # an indexed array (int keys, sparse) or an associative one
    assoc: bool = False         # declare -A: string keys, listed in bash's hash order
    # declare -i/-l/-u: what an assignment does to the value first (integer, lower
    # or upper case: variables.c's make_variable_value()); -n: a name reference,
    # whose value names the variable it stands for
    attrs: str = ""


@dataclass
class ChildShell:
    """A shell started as a command (`bash FILE`, `sh -c TEXT`) while it runs, as ps
    shows it: its comm (the program file's name), its cmdline, and the pid of the
    shell it replaced when that one exec'd it (0: a forked child)."""

    comm: str
    cmdline: list
    replaced: int = 0


@dataclass
class ShellState:
    vars: dict[str, Var] = field(default_factory=dict)
    functions: dict = field(default_factory=dict)        # name -> ast.FunctionDef
    positional: list[str] = field(default_factory=list)
    arg0: str = "bash"
    c_name: str | None = None     # `bash -c TEXT NAME`: the name its errors carry
    # errexit, nounset, xtrace, pipefail, noglob, noclobber (set -e/-u/-x/-o pipefail/-f/-C)
    options: set[str] = field(default_factory=set)
    # one frame per function call: the variables it made local, with what they hid
    frames: list[dict[str, Var | None]] = field(default_factory=list)
    # locals declared without a value (bash's att_invisible): name -> their attribute
    # letters, so that `declare -p NAME` shows `declare -- NAME` while it is unset
    invisible: dict[str, str] = field(default_factory=dict)
    pid: int = 0
    last_bg_pid: int | None = None
    uts: object = None          # the UTS namespace it runs in (None: the host's)
    # where messages say they come from: None for an interactive shell (`bash: `),
    # "bash" for `bash -c` (`bash: line N: `), a script's name (`s.sh: line N: `)
    script: str | None = None
    lineno: int = 0
    # bash's own line_number where only the reader, for/select/case/arith-for and
    # function calls set it (a compound command's redirection errors name it)
    read_line: int = 0
    loop_depth: int = 0
    subshell: int = 0          # nesting of ( ), $( ) and pipelines (BASH_SUBSHELL)
    # the subshell level from which this shell's job table starts: a ( ), an async
    # list, a function or compound command in a pipeline forgets its parent's jobs
    # (execute_in_subshell()'s without_job_control()); a pipeline's own `jobs`
    # builtin and a $( ) keep them (execute_subshell_builtin_or_function(): "Allow
    # the output of `jobs' to be piped")
    jobs_from: int = 0
    traps: dict[str, str] = field(default_factory=dict)    # `trap CMD EXIT`
    random_seed: int = 1       # $RANDOM's generator
    # `RANDOM=N` seeded bash's own generator (variables.c sbrand()): its sequence
    # from then on is bash's, and the last value it gave (brand() never repeats one)
    random_seeded: bool = False
    random_last: int = 0
    limits: dict = field(default_factory=dict)     # `ulimit` changes: letter -> (soft, hard)
    # the call stack, outermost first: a frame for each running function and each file
    # `source`/`.` reads (named `source`, its file as given)
    funcnames: list[str] = field(default_factory=list)     # $FUNCNAME
    funcsources: list = field(default_factory=list)     # where each running one was defined
    calllines: list = field(default_factory=list)       # the line each was called from
    # the script a running `source` hid from `script` (which names the sourced file
    # while it runs): BASH_SOURCE's bottom `main` frame (evalfile.c's _evalfile()
    # pushes a `source` frame onto FUNCNAME, BASH_SOURCE and BASH_LINENO)
    sourced_from: str | None = None
    # /bin/sh on Debian is dash: its messages read `sh: 1: X: not found`, and it
    # has no brace expansion (the rest of the language is bash's here)
    dash: bool = False
    # bash started to read a script file (`bash FILE`, shell.c's startup_state 0, not
    # -c's 2): notify_of_job_status() leaves a background job that exited (no signal)
    # in the table until `jobs` or `wait` reports it (wait -n still finds it)
    from_file: bool = False
    hashed: dict[str, str] = field(default_factory=dict)   # `hash`: name -> path
    hash_hits: dict[str, int] = field(default_factory=dict)  # and how often it was found
    hash_made: bool = False     # hashlib's table exists (something was hashed once)
    func_exports: set = field(default_factory=set)  # export -f: the functions exported
    # declare -ft: the functions with the trace attribute (they keep the caller's
    # DEBUG and RETURN traps, as every function does under set -T)
    func_traced: set = field(default_factory=set)
    # `local -n x=x` in a function: x stays the caller's (or the global) variable, each
    # use warning of a circular name reference; name -> the depth of the frame
    self_refs: dict = field(default_factory=dict)
    last_arg: str | None = None     # $_: the last word of the last simple command
    disabled: set = field(default_factory=set)     # `enable -n`: builtins turned off
    getopts_optind: int = 1    # getopts: the OPTIND it left, and where it is in that word
    getopts_pos: int = 0
    aliases: dict[str, str] = field(default_factory=dict)   # alias.def: name -> text
    dirstack: list[str] = field(default_factory=list)      # pushd.def: below the cwd
    umask: int = 0o022

    def copy(self) -> "ShellState":
        """The state a subshell starts from (its changes do not come back). The
        functions' syntax trees are shared, not copied: nothing changes a tree once
        parsed (a subshell's `f() {...}` puts a new one in its own table), and copying
        them was most of a subshell's cost (a script's `$(...)` in a loop)."""
        new = object.__new__(ShellState)
        fields = new.__dict__
        copies: dict[int, Var] = {}       # one copy of a Var wherever it is held
        for name, value in self.__dict__.items():
            if type(value) in _ATOMS:
                fields[name] = value
            elif name == "vars":
                fields[name] = {k: _copy_var(v, copies) for k, v in value.items()}
            elif name == "frames":
                fields[name] = [{k: _copy_var(v, copies) for k, v in frame.items()}
                                for frame in value]
            elif name == "functions":
                fields[name] = dict(value)
            elif name == "uts":           # a subshell shares its UTS namespace
                fields[name] = value
            elif name == "calls":         # tuples of atoms: nothing in them changes
                fields[name] = list(value)
            elif type(value) in (dict, list, set) and all(
                    type(item) in _ATOMS for item in _items(value)):
                fields[name] = value.copy()
            else:     # what this copy does not know: as deepcopy would (trees shared)
                import copy
                memo = {id(tree): tree for tree in self.functions.values()}
                fields[name] = copy.deepcopy(value, memo)
        return new

    def deref(self, name: str) -> str:
        """The variable a name reference (declare -n) stands for, followed to the
        end of its chain (find_variable_nameref(), which gives up after 8 links);
        `name` itself for any other variable."""
        for _ in range(8):
            var = self.vars.get(name)
            if var is None or "n" not in var.attrs or not var.value or \
                    var.array is not None:
                return name
            name = var.value
        return name

    def circular(self, name: str) -> str | None:
        """find_variable_nameref(): "circular" when the chain of name references from
        `name` comes back to it or to the reference before (bash warns), "long" when
        it goes on past NAMEREF_MAX (8) links (silently); either way no variable."""
        orig = var = self.vars.get(name)
        for _ in range(8):
            if var is None or "n" not in var.attrs or not var.value or \
                    var.array is not None:
                return None
            old, var = var, self.vars.get(var.value)
            if var is orig or var is old:
                return "circular"
        if var is None or "n" not in var.attrs or not var.value or var.array is not None:
            return None
        return "long"

    def get(self, name: str) -> str | None:
        name = self.deref(name)
        var = self.vars.get(name)
        if var is not None and var.array is not None:
            return var.array.get("0" if var.assoc else 0)
        return None if var is None else var.value

    def set(self, name: str, value: str) -> None:
        name = self.deref(name)
        if self.invisible:
            self.invisible.pop(name, None)     # an assignment: it has a value now
        if name == "RANDOM" and not self.dash:
            # assign_random(): sbrand (strtoul (value, 10))
            import re       # here: a line that sets no RANDOM imports no re
            m = re.match(r"\s*([+-]?)(\d+)", value)
            seed = int(m.group(2)) * (-1 if m.group(1) == "-" else 1) if m else 0
            self.random_seed, self.random_seeded, self.random_last = \
                seed % (1 << 64) & 0xFFFFFFFF, True, 0
        if name == "PATH":
            self.hashed.clear()         # variables.c's sv_path(): phash_flush()
            self.hash_hits.clear()
        var = self.vars.get(name)
        if var is None:
            self.vars[name] = Var(value, exported="allexport" in self.options)
        elif var.assoc:
            var.array["0"] = value
        elif var.array is not None:
            self.set_element(name, 0, value)
        else:
            var.value = value

    def set_array(self, name: str, items: list[str], append: bool = False) -> None:
        name = self.deref(name)
        if self.invisible:
            self.invisible.pop(name, None)     # an assignment: it has a value now
        var = self.vars.get(name)
        if var is None:
            var = self.vars[name] = Var("")
        if var.array is None:
            var.array = {0: var.value} if append and var.value else {}
        elif not append:
            var.array = {}
        start = max(var.array, default=-1) + 1
        for offset, item in enumerate(items):
            var.array[start + offset] = item
        var.value = var.array.get(0, "")

    def set_element(self, name: str, index: int, value: str) -> None:
        name = self.deref(name)
        if self.invisible:
            self.invisible.pop(name, None)     # an assignment: it has a value now
        var = self.vars.get(name)
        if var is None:
            var = self.vars[name] = Var("")
        if var.array is None:
            var.array = {0: var.value} if var.value else {}
        var.array[index] = value
        var.array = dict(sorted(var.array.items()))
        var.value = var.array.get(0, "")


# values a copy may share: nothing changes them in place
_ATOMS = frozenset((str, int, bool, float, type(None)))


def _items(value):
    return [x for kv in value.items() for x in kv] if type(value) is dict else value


def _copy_var(var: Var | None, copies: dict[int, Var]) -> Var | None:
    """ShellState.copy()'s copy of a variable: its array's dict its own."""
    if var is None:
        return None
    done = copies.get(id(var))
    if done is None:
        done = object.__new__(Var)
        done.__dict__.update(var.__dict__)
        if var.array is not None:
            done.array = dict(var.array)
        copies[id(var)] = done
    return done


def _hash_string(key: str) -> int:
    """hashlib.c's hash_string(): 32-bit FNV-1 over the bytes."""
    value = 2166136261
    for byte in key.encode("utf-8", "surrogateescape"):
        value = (value * 16777619) & 0xFFFFFFFF
        value ^= byte
    return value


def export_order(state: "ShellState", names: list[str]) -> list[str]:
    """The order a shell hands its exported variables to a program. bash
    (make_var_export_array()): the command's temporary assignments first (their
    table of 4 buckets), then the variables bucket by bucket of 1024, by
    hash_string(), the newest first within a bucket. dash (listvars()): its 39
    buckets, hashvar()'s sum of the bytes plus the first one shifted by 4."""
    position = {name: i for i, name in enumerate(names)}
    if state.dash:
        def dash_key(name: str) -> tuple:
            data = name.encode("utf-8", "surrogateescape")
            return (((data[0] << 4) + sum(data)) % 39 if data else 0, -position[name])
        return sorted(names, key=dash_key)
    temp = getattr(state, "temp_env", ())

    def bash_key(name: str) -> tuple:
        if name in temp:
            return (0, _hash_string(name) & 3, -position[name])
        return (1, _hash_string(name) & 1023, -position[name])
    return sorted(names, key=bash_key)


def assoc_keys(array: dict) -> list[str]:
    """An associative array's keys as bash lists them: bucket by bucket of its 1024
    (assoc_create(ASSOC_HASH_BUCKETS)), the newest first in a bucket (hash_insert()
    puts an item at the head of its chain)."""
    order = list(array)
    return sorted(order, key=lambda k: (_hash_string(k) & 1023, -order.index(k)))


def ordered_items(var: Var) -> list[tuple]:
    """An array's (key, value) pairs in the order ${!a[@]} and ${a[@]} give them."""
    if var.array is None:
        return [(0, var.value)]
    if var.assoc:
        return [(k, var.array[k]) for k in assoc_keys(var.array)]
    return list(var.array.items())


DEFAULT_VARS = {
    "HOME": "/root", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "IFS": " \t\n", "PS1": "[\\u@\\h \\W]\\$ ", "PS2": "> ", "PS4": "+ ", "SHELL": "/bin/bash",
    "USER": "root", "LOGNAME": "root", "PWD": "/root", "TERM": "xterm", "OPTIND": "1",
    # variables.c initialize_shell_variables(): bind_variable ("OPTERR", "1") (dash
    # has no OPTERR: the interpreter drops it for sh)
    "OPTERR": "1",
    "LANG": "C.UTF-8", "EUID": "0", "UID": "0", "SHLVL": "1",
    # get_bash_name(): the recorders run `bash`, which PATH finds in /usr/bin first
    "BASH": "/usr/bin/bash",
    # what bash 5.2.15 on the recording machine (Debian 12, x86_64) says
    "BASH_VERSION": "5.2.15(1)-release", "HOSTTYPE": "x86_64", "OSTYPE": "linux-gnu",
    "MACHTYPE": "x86_64-pc-linux-gnu",
}
EXPORTED = {"HOME", "PATH", "SHELL", "USER", "LOGNAME", "PWD", "TERM", "LANG", "SHLVL"}


def fresh(pid: int = 0) -> ShellState:
    """A login shell's variables."""
    state = ShellState(pid=pid)
    for name, value in DEFAULT_VARS.items():
        state.vars[name] = Var(value, exported=name in EXPORTED,
                               readonly=name in ("EUID", "UID"))
    state.vars["BASH_VERSINFO"] = Var("5", readonly=True, array=dict(enumerate(
        ["5", "2", "15", "1", "release", "x86_64-pc-linux-gnu"])))
    # the parent's process id (variables.c set_ppid(), readonly): a terminal's shell
    # is entered from outside its PID namespace (the recorder's nsenter), so 0
    state.vars["PPID"] = Var("0", readonly=True)
    return state
