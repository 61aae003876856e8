"""The builtins of the language (bash's builtins/*.def): variables (export, local,
readonly, declare, unset), set, shift, source/., eval, test/[, read, return, break,
continue, exit, let, :, trap.

BUILTINS is the table the interpreter looks commands up in, after functions and
before the session's tools: `name -> f(interp, argv, ctx) -> int` (or a generator of
steps returning the status, for builtins that run shell text). Another module adds
its builtins with `BUILTINS.update(...)`.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ipemu.bash.state import ShellState, Var
from ipemu.bash.expand import DYNAMIC_ARRAYS, ExpansionError

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPTION_LETTERS = {"e": "errexit", "u": "nounset", "x": "xtrace", "f": "noglob",
                  "C": "noclobber", "a": "allexport", "v": "verbose", "n": "noexec",
                  "h": "hashall", "B": "braceexpand", "m": "monitor", "b": "notify",
                  "H": "histexpand", "P": "physical", "T": "functrace", "E": "errtrace",
                  "k": "keyword", "p": "privileged", "t": "onecmd"}
OPTION_NAMES = set(OPTION_LETTERS.values()) | {"pipefail", "posix", "vi", "emacs",
                                                "ignoreeof", "history", "interactive-comments",
                                                "nolog"}
SET_USAGE = "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n"


def _usage_error(interp, ctx, name: str, message: str, usage: str = "") -> int:
    interp.error(ctx, f"{name}: {message}")
    if usage:
        ctx.term.err(usage)
    return 2


# ----------------------------------------------------------------- variables
def _declare_value(interp, ctx, name: str, arg: str, *, export: bool = False,
                   readonly: bool = False, local: bool = False, kind: str = "",
                   attrs: str = "") -> int:
    """One operand of export/readonly/local/declare: NAME or NAME=VALUE."""
    var_name, eq, value = arg.partition("=")
    plus = var_name.endswith("+")
    var_name = var_name.rstrip("+")
    if not NAME.fullmatch(var_name):
        interp.error(ctx, f"{name}: `{arg}': not a valid identifier")
        return 1
    state = interp.state
    if "n" in attrs and eq and value == var_name and local and state.frames:
        # a function's `local -n x=x`: bash 5.2 warns twice and the name goes on
        # meaning the variable of the scope before (declare.def's nameref check
        # outside the global scope; find_variable_nameref() warns at each use)
        interp.error(ctx, f"{name}: warning: {var_name}: circular name reference")
        interp.error(ctx, f"warning: {var_name}: circular name reference")
        state.self_refs[var_name] = len(state.frames)
        return 0
    fresh = var_name not in state.vars
    if local and state.frames:
        frame = state.frames[-1]
        if var_name not in frame:
            fresh = True
            frame[var_name] = state.vars.get(var_name)
            old = state.vars.get(var_name)
            state.vars[var_name] = Var("" if not eq else "",
                                       exported=bool(old and old.exported and not eq))
            if not eq:
                state.vars[var_name].value = ""
                if not kind and not export and not readonly:
                    # `local NAME`: declared without a value, so unset inside the
                    # function (`${NAME-x}` is x; `local IFS` splits as with no IFS)
                    del state.vars[var_name]
                    state.invisible[var_name] = attrs
    if "n" in attrs:
        return _declare_nameref(interp, ctx, name, var_name, value if eq else None,
                                export=export, readonly=readonly)
    var = state.vars.get(var_name)
    if kind:
        status = _make_array(interp, ctx, name, var_name, kind)
        if status:
            return status
        if (fresh or var is None) and not eq:
            # `local -a NAME`, `declare -A NAME`: an array, no value (att_invisible
            # until an element is assigned: `${#NAME[@]}` under set -u is unbound)
            state.invisible[var_name] = kind
        var = state.vars[var_name]
    words = interp.declared_arrays.pop(var_name, None)
    if eq and words is not None and value.startswith("("):
        interp.assign(var_name, words, append=plus, ctx=ctx)
        var = state.vars[var_name]
    elif eq and value.startswith("(") and value.endswith(")"):
        # declare -a NAME=(...): the words were expanded as one; split them again
        state.set_array(var_name, value[1:-1].split(), append=plus)
        var = state.vars[var_name]
    elif eq:
        if var is not None and var.readonly:
            interp.error(ctx, f"{var_name}: readonly variable")
            return 1
        from ipemu.bash.expand import ExpansionError
        try:
            value = interp.attributed(_value_attrs(var, attrs), value,
                                      var.value if plus and var is not None else None)
        except ExpansionError as err:      # declare -i n=08: the line is given up
            return interp.expansion_failed(ctx, ExpansionError(f"{name}: {err.message}",
                                                               err.status))
        state.set(var_name, value)
        var = state.vars[var_name]
    elif var is None and not (export or readonly or local):
        interp.state.invisible[var_name] = attrs    # `declare NAME`: declared, unset
    elif var is None and (export or readonly):
        var = state.vars[var_name] = Var("")
        var.value = ""
        if export:
            state.vars[var_name] = var
    if var is not None:
        var.exported = var.exported or export
        var.readonly = var.readonly or readonly
        if attrs:
            var.attrs = _value_attrs(var, attrs)
    if eq and (export or readonly) and not local and words is None:
        # bash's xtrace shows the assignment export/readonly make (an array's was
        # shown before the command)
        from ipemu.bash.interp import _quote
        value = state.get(var_name) or ""
        interp.trace(ctx, [f"{var_name}={_quote(value) if value else ''}"], raw=True)
    return 0


def _declare_nameref(interp, ctx, name: str, var_name: str, target: str | None, *,
                     export: bool = False, readonly: bool = False) -> int:
    """declare -n / local -n NAME[=TARGET]: NAME stands for TARGET from now on (the
    reference itself is set, not what it names); a target that is no variable name
    is bash's `invalid variable name for name reference`."""
    state = interp.state
    var = state.vars.get(var_name)
    if target is None and var is None:
        # declared without a value: invisible until assigned (`declare -n r`)
        state.invisible[var_name] = state.invisible.get(var_name, "") or "n"
        return 0
    if target is None:
        target = var.value
    if target and not NAME.fullmatch(target.split("[", 1)[0]):
        interp.error(ctx, f"{name}: `{target}': invalid variable name for name reference")
        return 1
    if target == var_name:
        interp.error(ctx, f"{name}: {var_name}: nameref variable self references not allowed")
        return 1
    state.invisible.pop(var_name, None)
    ref = Var(target, exported=bool(var and var.exported) or export,
              readonly=bool(var and var.readonly) or readonly)
    ref.attrs = "n"
    state.vars[var_name] = ref
    return 0


def _value_attrs(var: Var | None, attrs: str) -> str:
    """The -i/-l/-u a variable has after `declare` gave `attrs`: -l and -u undo
    each other (the one given last stays; declare gives them in "lu" order here)."""
    have = var.attrs if var is not None else ""
    given = "".join(c for c in attrs if c in "ilu")
    if "l" in given and "u" in given:
        given = given.replace("l", "").replace("u", "")     # declare_builtin(): both, neither
    if "l" in given or "u" in given:
        have = have.replace("l", "").replace("u", "")
    return "".join(c for c in "ilu" if c in have + given)


def _make_array(interp, ctx, name: str, var_name: str, kind: str) -> int:
    """declare -a / -A NAME: the variable becomes an indexed or associative array
    (a scalar's value becomes element 0; bash refuses to turn one kind into the
    other)."""
    var = interp.state.vars.get(var_name)
    if var is None:
        interp.state.vars[var_name] = Var("", array={}, assoc=kind == "A")
        return 0
    if var.array is not None and var.assoc != (kind == "A"):
        if kind == "A":
            interp.error(ctx, f"{name}: {var_name}: cannot convert indexed to associative array")
        else:
            interp.error(ctx, f"{name}: {var_name}: cannot convert associative to indexed array")
        return 1
    if var.array is None:
        var.array = ({"0": var.value} if kind == "A" else {0: var.value}) if var.value else {}
        var.assoc = kind == "A"
    return 0


ANSIC = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
         "\x1b": "E", "\\": "\\", "'": "'"}


def _declare_quote(value: str) -> str:
    """A value as `declare -p` shows it: in double quotes with backslash, quote,
    dollar and backquote escaped, or $'...' (ansic_quote()) when it holds a control
    character."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "$'" + "".join("\\" + ANSIC[c] if c in ANSIC else
                              f"\\{ord(c):03o}" if ord(c) < 32 or ord(c) == 127 else c
                              for c in value) + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") \
        .replace("`", "\\`") + '"'


def _shell_metas(key: str) -> bool:
    """lib/sh/shquote.c sh_contains_shell_metas()."""
    for i, c in enumerate(key):
        if c in " \t\n'\"\\|&;()<>!{}*[?]^$`":
            return True
        if c == "~" and (i == 0 or key[i - 1] in "=:") or c == "#" and i == 0:
            return True
    return False


def _assoc_key(key: str) -> str:
    """assoc_to_kvpair(): a key as `declare -p` shows it: $'...' with a control
    character, double-quoted (sh_double_quote()) with a shell metacharacter or when
    it is `@` or `*`, else bare."""
    if any(ord(c) < 32 or ord(c) == 127 for c in key):
        return _declare_quote(key)
    if _shell_metas(key) or key in ("@", "*"):
        return _declare_quote(key)
    return key


def _attribute_string(var: Var) -> str:
    """make_attribute_string()'s letters, in its order: a A i n r x l u."""
    return ("a" if var.array is not None and not var.assoc else "") + \
        ("A" if var.assoc else "") + ("i" if "i" in var.attrs else "") + \
        ("n" if "n" in var.attrs else "") + \
        ("r" if var.readonly else "") + ("x" if var.exported else "") + \
        "".join(c for c in "lu" if c in var.attrs)


def declare_line(var_name: str, var: Var) -> str:
    """`declare -p NAME` (print_assignment() with its attributes)."""
    from ipemu.bash.state import ordered_items
    head = f"declare -{_attribute_string(var) or '-'} {var_name}"
    if var.array is None:
        return f"{head}={_declare_quote(var.value)}\n"
    items = ordered_items(var)
    if var.assoc:
        if not items:
            return head + "\n"
        return head + "=(" + "".join(f"[{_assoc_key(k)}]={_declare_quote(v)} "
                                     for k, v in items) + ")\n"
    return head + "=(" + " ".join(f"[{k}]={_declare_quote(v)}" for k, v in items) + ")\n"


def _print_declared(interp, ctx, flag: str, pick: Callable[[Var], bool]) -> int:
    for var_name in sorted(interp.state.vars):
        var = interp.state.vars[var_name]
        if pick(var):
            value = var.value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
            flags = _attribute_string(var) if flag in "rx" else flag
            ctx.term.out(f'declare -{flags} {var_name}="{value}"\n')
    return 0


def _export(interp, argv, ctx) -> int:
    args = argv[1:]
    unexport = functions = False
    while args and args[0].startswith("-") and args[0] != "-":
        opt = args.pop(0)
        if opt == "--":
            break
        for letter in opt[1:]:
            if letter not in "fnp":
                return _usage_error(interp, ctx, argv[0], f"-{letter}: invalid option",
                                    f"{argv[0]}: usage: export [-fn] [name[=value] ...] or "
                                    "export -p\n")
        unexport |= "n" in opt
        functions |= "f" in opt
    if functions:
        return _export_functions(interp, ctx, args, unexport)
    if not args:
        return _print_declared(interp, ctx, "x", lambda v: v.exported)
    status = 0
    for arg in args:
        if unexport:
            var = interp.state.vars.get(arg)
            if var is not None:
                var.exported = False
            continue
        status |= _declare_value(interp, ctx, argv[0], arg, export=True)
    return status


def _export_functions(interp, ctx, names: list[str], unexport: bool) -> int:
    """export -f NAME: the function goes into the environment (BASH_FUNC_NAME%%), so a
    bash started later has it (dash does not read it); without names, the exported
    functions as `declare -f` prints them, each with its `declare -fx` line."""
    state = interp.state
    if not names:
        from ipemu.bash.funcprint import function_text
        for name in sorted(n for n in state.func_exports if n in state.functions):
            ctx.term.out(f"{function_text(state.functions[name])}\ndeclare -fx {name}\n")
        return 0
    status = 0
    for name in names:
        if name not in state.functions:
            interp.error(ctx, f"export: {name}: not a function")
            status = 1
        elif unexport:
            state.func_exports.discard(name)
        else:
            state.func_exports.add(name)
    return status


def _readonly(interp, argv, ctx) -> int:
    args = [a for a in argv[1:] if a not in ("-p", "--")]
    if not args:
        return _print_declared(interp, ctx, "r", lambda v: v.readonly)
    status = 0
    for arg in args:
        status |= _declare_value(interp, ctx, argv[0], arg, readonly=True)
    return status


def _local(interp, argv, ctx) -> int:
    if not interp.state.frames:
        if interp.state.dash and not interp.interactive:
            # dash: `local: not in a function`, an error of a special builtin that
            # ends the script (2)
            from ipemu.bash.interp import ExitSignal
            interp.error(ctx, "local: not in a function")
            raise ExitSignal(2)
        interp.error(ctx, f"{argv[0]}: can only be used in a function")
        return 1
    if not interp.state.dash and "-" in argv[1:]:
        # `local -`: the set -o options are the function's own from here on, put
        # back when it returns (kept in its frame under the name `-`)
        frame = interp.state.frames[-1]
        if "-" not in frame:
            frame["-"] = Var(":".join(sorted(o for o in interp.state.options
                                             if o in OPTION_NAMES)))
        argv = [a for a in argv if a != "-"]
        if len(argv) == 1:
            return 0
    if not interp.state.dash:
        return _declare(interp, argv, ctx, local=True)
    # dash's mklocal(): `local NAME` without a value keeps the value it had
    kept = {name: interp.state.get(name) for name in argv[1:]
            if "=" not in name and not name.startswith("-")}
    status = _declare(interp, argv, ctx, local=True)
    for name, value in kept.items():
        if value is not None:
            interp.state.set(name, value)
    return status


def _declare(interp, argv, ctx, local: bool | None = None) -> int:
    args = argv[1:]
    export = readonly = show = names_only = functions = global_ = False
    trace = None        # -t / +t: the trace attribute given or taken (functions)
    kind = attrs = ""
    while args and args[0].startswith(("-", "+")) and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        bad = next((c for c in opt[1:] if c not in "aAfFgilnrtuxpI"), None)
        if bad is not None:
            return _usage_error(interp, ctx, argv[0], f"{opt[0]}{bad}: invalid option",
                                f"{argv[0]}: usage: {argv[0]} [-aAfFgiIlnrtux] "
                                "[name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]\n")
        export |= "x" in opt and opt.startswith("-")
        readonly |= "r" in opt and opt.startswith("-")
        show |= "p" in opt
        names_only |= "F" in opt and opt.startswith("-")
        functions |= "f" in opt and opt.startswith("-")
        global_ = global_ or "g" in opt and opt.startswith("-")
        if "t" in opt:
            trace = opt.startswith("-")
        if opt.startswith("-"):
            kind = "A" if "A" in opt else "a" if "a" in opt else kind
            attrs += "".join(c for c in opt[1:] if c in "intlu" and c not in attrs)
    # the order declare -p lists attributes in (make_attribute_string())
    attrs = "".join(c for c in "intlu" if c in attrs)
    if (functions or names_only) and trace is not None and args:
        return _trace_functions(interp, args, trace)
    wanted = "t" * bool(trace) + "x" * export
    if names_only:
        return _declare_function_names(interp, ctx, args, show, wanted)
    if functions and (not (export or readonly) or not args):
        return _declare_functions(interp, ctx, args, show, wanted)
    if local is None:
        # declare in a function is local, but for -g (the global scope's variable)
        local = bool(interp.state.frames) and not global_
    if show and args:
        status = 0
        for arg in args:
            var = interp.state.vars.get(arg)
            if var is None and arg in DYNAMIC_ARRAYS:
                # the call stack's arrays, computed when read (variables.c); outside a
                # function FUNCNAME is an array with no value yet, BASH_SOURCE an empty
                # one (recorded under `bash -c` and in a script)
                items = interp.dynamic_array(arg)
                if items is not None:
                    var = Var("", array=dict(enumerate(items)))
                elif arg == "FUNCNAME":
                    ctx.term.out("declare -a FUNCNAME\n")
                    continue
                else:
                    var = Var("", array={})
            if var is not None and var.array == {} and arg in interp.state.invisible:
                ctx.term.out(declare_line(arg, var).partition("=")[0].rstrip("\n") + "\n")
            elif var is None and arg in interp.state.invisible:
                # a local with no value yet: its attributes, no `=` (print_assignment()
                # of an invisible variable)
                ctx.term.out(f"declare -{interp.state.invisible[arg] or '-'} {arg}\n")
            elif var is None:
                interp.error(ctx, f"{argv[0]}: {arg}: not found")
                status = 1
            else:
                ctx.term.out(declare_line(arg, var))
        return status
    if not args:
        return _print_declared(interp, ctx, "-", lambda v: True)
    status = 0
    unexport = any(opt.startswith("+") and "x" in opt for opt in argv[1:len(argv) - len(args)])
    for arg in args:
        status |= _declare_value(interp, ctx, argv[0], arg, export=export,
                                 readonly=readonly, local=local, kind=kind, attrs=attrs)
        var = interp.state.vars.get(arg.partition("=")[0]) if unexport else None
        if var is not None:
            var.exported = False        # declare +x: the export attribute taken off
    return status


def _function_attrs(state, name: str) -> str:
    """A function's attribute letters as declare shows them (make_attribute_string():
    f, then t for trace, x for export)."""
    return "f" + "t" * (name in state.func_traced) + "x" * (name in state.func_exports)


def _trace_functions(interp, names: list[str], on: bool) -> int:
    """declare -ft NAME / +t: the trace attribute of each function named (a name that
    is no function only fails the status)."""
    state = interp.state
    status = 0
    for name in names:
        if name not in state.functions:
            status = 1
        elif on:
            state.func_traced.add(name)
        else:
            state.func_traced.discard(name)
    return status


def _declare_functions(interp, ctx, names: list[str], show: bool = False,
                       wanted: str = "") -> int:
    """declare -f: each function named (all of them, sorted, without names) as bash
    prints it back, and without names or with -p its `declare -ft NAME` line when it
    has attributes (-ft, -fx alone: the ones with those); a name that is no function
    only fails the status."""
    from ipemu.bash.funcprint import function_text
    state = interp.state
    functions = state.functions
    status = 0
    listed = names or sorted(n for n in functions
                             if set(wanted) <= set(_function_attrs(state, n)))
    for name in listed:
        if name in functions:
            ctx.term.out(function_text(functions[name]) + "\n")
            attrs = _function_attrs(state, name)
            if (show or not names) and attrs != "f":
                ctx.term.out(f"declare -{attrs} {name}\n")
        else:
            status = 1
    return status


def _declare_function_names(interp, ctx, names: list[str], show: bool = False,
                            wanted: str = "") -> int:
    """declare -F: the functions by name, sorted, as `declare -f NAME` (with their
    attributes: `declare -ft NAME`; -Ft the traced ones); with names, each one that
    is a function (its declare line with -p), a missing one only failing the status
    (declare_internal(): list_functions / the `-F` branch with no definition shown)."""
    state = interp.state
    functions = state.functions
    if not names:
        ctx.term.out("".join(f"declare -{_function_attrs(state, name)} {name}\n"
                             for name in sorted(functions)
                             if set(wanted) <= set(_function_attrs(state, name))))
        return 0
    status = 0
    for name in names:
        if name in functions:
            ctx.term.out(f"declare -{_function_attrs(state, name)} {name}\n" if show
                         else name + "\n")
        else:
            status = 1
    return status


def _subscript(interp, text: str) -> int:
    """array_expand_index(): the subscript's parameters expanded (`unset "a[$i]"`),
    then evaluated arithmetically."""
    if "$" in text or "`" in text:
        steps = interp.expand_arith_source(text)
        try:
            next(steps)
            steps.close()       # a command substitution that would wait: as written
        except StopIteration as stop:
            text = stop.value if isinstance(stop.value, str) else text
    return interp.arith(text)


def _unset(interp, argv, ctx) -> int:
    args = argv[1:]
    functions = no_deref = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        if opt not in ("-f", "-v", "-n"):
            return _usage_error(interp, ctx, "unset", f"{opt}: invalid option",
                                "unset: usage: unset [-f] [-v] [-n] [name ...]\n")
        functions = opt == "-f"
        no_deref = opt == "-n"
    status = 0
    state = interp.state
    for name in args:
        if functions:
            state.functions.pop(name, None)
            state.func_traced.discard(name)
            continue
        if not no_deref:
            name = state.deref(name)        # unset REF unsets what it names
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]", name)
        if m and m.group(1) in state.vars:       # unset 'a[i]': one element
            var = state.vars[m.group(1)]
            if var.assoc:
                var.array.pop(m.group(2), None)
            elif var.array is not None:
                try:
                    index = _subscript(interp, m.group(2))
                except ExpansionError as err:
                    # array_expand_index(): an arithmetic error ends the line as
                    # any failed expansion does (recorded: `unset "a[1+]"`)
                    return interp.expansion_failed(ctx, err)
                if index < 0:
                    # unset_element(): a negative index counts back from the highest
                    # one (array_max_index() + 1 + index); still negative, an error
                    index += max(var.array, default=-1) + 1
                    if index < 0:
                        interp.error(ctx, f"unset: [{m.group(2)}]: bad array subscript")
                        status = 1
                        continue
                var.array.pop(index, None)
                var.value = var.array.get(0, "")
            continue
        var = state.vars.get(name)
        if var is not None and var.readonly:
            interp.error(ctx, f"unset: {name}: cannot unset: readonly variable")
            status = 1
            continue
        if var is None and name in state.functions:
            state.functions.pop(name)
            state.func_traced.discard(name)
            continue
        owner = next((frame for frame in reversed(state.frames) if name in frame), None)
        if owner is not None and owner is not state.frames[-1]:
            # a caller's local (dynamic scope): unset removes it, and the variable it
            # hid is seen again (variables.c unbind_variable(): localvar_unset off)
            hidden = owner.pop(name)
            state.vars.pop(name, None)
            state.invisible.pop(name, None)
            if hidden is not None:
                state.vars[name] = hidden
            continue
        if state.vars.pop(name, None) is not None and state.frames \
                and name in state.frames[-1]:
            state.invisible.setdefault(name, "")     # unset of a local: still local
        elif not (state.frames and name in state.frames[-1]):
            state.invisible.pop(name, None)
    return status


# ------------------------------------------------------------------- options
def apply_option(state: ShellState, flag: str) -> bool:
    """One `set` flag word (-e, +x, -eu); False for an unknown letter."""
    on = flag[0] == "-"
    for letter in flag[1:]:
        name = OPTION_LETTERS.get(letter)
        if name is None:
            return False
        (state.options.add if on else state.options.discard)(name)
    return True


# dash 0.5.12's long option names (options.c's optletters/optnames)
DASH_OPTION_NAMES = {"errexit", "noglob", "ignoreeof", "interactive", "monitor", "noexec",
                     "stdin", "xtrace", "verbose", "vi", "emacs", "noclobber", "allexport",
                     "notify", "nounset", "nolog", "debug"}


def _set(interp, argv, ctx) -> int:
    args = argv[1:]
    state = interp.state
    if not args:
        for var_name in sorted(state.vars):
            ctx.term.out(f"{var_name}={_set_quote(state.vars[var_name].value)}\n")
        return 0
    while args:
        arg = args[0]
        if arg in ("--", "-"):
            args.pop(0)
            if arg == "-":
                state.options -= {"xtrace", "verbose"}
            state.positional = list(args)
            return 0
        if arg in ("-o", "+o"):
            args.pop(0)
            if not args:
                # list_minus_o_opts(): `set -o` a table, `set +o` commands to set them
                # again; braceexpand, hashall and interactive-comments are on from the
                # start (as in $SHELLOPTS)
                on = set(interp.shellopts().split(":"))
                for option in sorted(OPTION_NAMES):
                    if arg == "+o":
                        ctx.term.out(f"set {'-' if option in on else '+'}o {option}\n")
                    else:
                        ctx.term.out(f"{option:<15}\t{'on' if option in on else 'off'}\n")
                return 0
            option = args.pop(0)
            if state.dash and option not in DASH_OPTION_NAMES:
                # dash's minus_o(): `Illegal option -o NAME`, an error of a special
                # builtin, which ends the script with 2 (Debian 12's dash 0.5.12 has
                # no pipefail)
                from ipemu.bash.interp import ExitSignal
                interp.error(ctx, f"set: Illegal option {arg} {option}")
                raise ExitSignal(2)
            if option not in OPTION_NAMES:
                interp.error(ctx, f"set: {option}: invalid option name")
                return 2
            (state.options.add if arg == "-o" else state.options.discard)(option)
            continue
        if arg[:1] in ("-", "+") and len(arg) > 2 and "o" in arg[1:]:
            # -eo pipefail, -eof pipefail, -oe pipefail: each o of the group takes the
            # next word as its option name (set.def's internal_getopt() with "o;"),
            # the other letters apply as they are
            args.pop(0)
            letters = arg[1:].replace("o", "")
            regrouped = [arg[0] + letters] if letters else []
            for _ in range(arg[1:].count("o")):
                regrouped.append(arg[0] + "o")
                if args:
                    regrouped.append(args.pop(0))
            args[0:0] = regrouped
            continue
        if arg[:1] in ("-", "+") and len(arg) > 1:
            if not apply_option(state, arg):
                bad = next(c for c in arg[1:] if c not in OPTION_LETTERS)
                interp.error(ctx, f"set: {arg[0]}{bad}: invalid option")
                ctx.term.err(SET_USAGE)
                return 2
            args.pop(0)
            continue
        state.positional = list(args)
        return 0
    return 0


def _set_quote(value: str) -> str:
    if value and re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def _shift(interp, argv, ctx) -> int:
    count = 1
    if interp.state.dash:
        # dash's shiftcmd(): number() and `can't shift that many` are sh_error()s
        # of a special builtin: the shell ends with 2
        from ipemu.bash.interp import ExitSignal
        if len(argv) > 1:
            if not re.fullmatch(r"[0-9]+", argv[1]):
                interp.error(ctx, f"shift: Illegal number: {argv[1]}")
                raise ExitSignal(2)
            count = int(argv[1])
        if count > len(interp.state.positional):
            interp.error(ctx, "shift: can't shift that many")
            raise ExitSignal(2)
        interp.state.positional = interp.state.positional[count:]
        return 0
    if len(argv) > 1:
        if not re.fullmatch(r"-?[0-9]+", argv[1]):
            interp.error(ctx, f"shift: {argv[1]}: numeric argument required")
            return 1
        count = int(argv[1])
        if count < 0:
            interp.error(ctx, f"shift: {argv[1]}: shift count out of range")
            return 1
    if count > len(interp.state.positional):
        if shopt_on(interp.state, "shift_verbose"):
            interp.error(ctx, f"shift: {argv[1]}: shift count out of range"
                         if len(argv) > 1 else "shift: shift count out of range")
        return 1
    interp.state.positional = interp.state.positional[count:]
    return 0


# -------------------------------------------------------------- control flow
def _loop_control(interp, argv, ctx) -> int:
    from ipemu.bash.interp import LoopControl
    name = argv[0]
    count = 1
    if len(argv) > 1:
        if not re.fullmatch(r"-?[0-9]+", argv[1]):
            interp.error(ctx, f"{name}: {argv[1]}: numeric argument required")
            if not interp.state.dash:
                # get_numeric_arg()'s throw_to_top_level(): a shell without a
                # terminal ends, 128 (recorded); at a prompt the line is dropped
                _abandon(interp, 128)
            count = 1
        else:
            count = int(argv[1])
            if count < 1:
                interp.error(ctx, f"{name}: {argv[1]}: loop count out of range")
                return 1
    if interp.state.loop_depth == 0:
        interp.error(ctx, f"{name}: only meaningful in a `for', `while', or `until' loop")
        return 0
    raise LoopControl(name, min(count, interp.state.loop_depth))


def _return(interp, argv, ctx) -> int:
    from ipemu.bash.interp import ExitSignal, ReturnSignal
    if not interp.state.frames and not interp.source_depth and interp.state.dash and \
            (len(argv) < 2 or re.fullmatch(r"-?[0-9]+", argv[1])):
        # dash's returncmd() outside a function "does what ksh does": it skips the
        # rest of the file (the script, the -c string, the subshell) with its status
        raise ExitSignal(int(argv[1]) & 0xFF if len(argv) > 1 else interp.last_status)
    if not interp.state.frames and not interp.source_depth:
        interp.error(ctx, "return: can only `return' from a function or sourced script")
        return 2
    status = interp.last_status
    if len(argv) > 2 and not interp.state.dash and re.fullmatch(r"-?[0-9]+", argv[1]):
        # get_exitstat(): `too many arguments`, and the rest is dropped: a shell
        # without a terminal ends with 1 (recorded)
        interp.error(ctx, "return: too many arguments")
        _abandon(interp, 1)
    if len(argv) > 1:
        if not re.fullmatch(r"-?[0-9]+", argv[1]):
            interp.error(ctx, f"return: {argv[1]}: numeric argument required")
            status = 2
        else:
            status = int(argv[1]) & 0xFF
    raise ReturnSignal(status)


def _abandon(interp, status: int):
    """throw_to_top_level(): a shell without a terminal ends with `status`; the
    prompt's drops the rest of the line."""
    from ipemu.bash.interp import DiscardLine, ExitSignal
    if interp.without_terminal():
        raise ExitSignal(status)
    raise DiscardLine(status)


def _exit(interp, argv, ctx) -> int:
    from ipemu.bash.interp import ExitSignal
    status = interp.last_status
    if len(argv) > 2:
        interp.error(ctx, "exit: too many arguments")
        return 1
    if len(argv) > 1 and interp.state.dash and not argv[1].isdigit():
        # dash's exitcmd(): number() takes digits only (`exit -1` too)
        interp.error(ctx, f"exit: Illegal number: {argv[1]}")
        raise ExitSignal(2)
    if len(argv) > 1:
        if not re.fullmatch(r"[-+]?[0-9]+", argv[1]):
            interp.error(ctx, f"exit: {argv[1]}: numeric argument required")
            status = 2
        else:
            status = int(argv[1]) & 0xFF
    raise ExitSignal(status)


# ---------------------------------------------------------- running text
def _source(interp, argv, ctx):
    if len(argv) < 2:
        return _usage_error(interp, ctx, argv[0], "filename argument required",
                            f"{argv[0]}: usage: {argv[0]} filename [arguments]\n")
    if interp.state.dash:
        text = _dash_dot_file(interp, ctx, argv[1])
        return (yield from _source_text(interp, argv, ctx, text))
    # source.def: the RETURN trap runs as the builtin's unwind frame ends, whether the
    # file was read or not (`. ./missing` runs it too, with $? the status before it);
    # FUNCNAME no longer has the `source` frame then, BASH_COMMAND is the `.` command
    command = interp.bash_command
    status = yield from _source_file(interp, argv, ctx)
    # a function without set -T has no RETURN trap here (call_function()); the
    # shell's exit (ExitSignal) runs no unwind-protect, so only a normal end runs it
    if "RETURN" in interp.state.traps:
        from ipemu.bash.traps import run_trap
        interp.bash_command = command
        yield from run_trap(interp, "RETURN", ctx, interp.last_status)
        interp.last_status = status
    return status


def _source_file(interp, argv, ctx):
    """The file of `.`/`source` read and run (bash)."""
    fs = interp.session.fs
    if fs.is_dir(fs.resolve(argv[1], interp.session.cwd)):
        # evalfile.c's _evalfile(): a directory is the builtin's own error
        interp.error(ctx, f"{argv[0]}: {argv[1]}: is a directory")
        return 1
    try:
        text = interp.session.open_text(argv[1])
    except OSError as err:
        interp.error(ctx, f"{argv[1]}: {err.strerror}")
        return 1
    return (yield from _source_text(interp, argv, ctx, text))


def _source_text(interp, argv, ctx, text: str):
    """The text of a sourced file run as the `source` frame on the call stack."""
    from ipemu.bash.interp import ExitSignal, ReturnSignal
    state = interp.state
    saved_args = state.positional
    saved_script, saved_line = state.script, state.lineno
    if len(argv) > 2:
        state.positional = list(argv[2:])
    interp.source_depth += 1
    # evalfile.c's _evalfile(): a `source` frame on the call stack
    saved_from = state.sourced_from
    if "source" not in state.funcnames:
        state.sourced_from = saved_script
    state.funcnames.append("source")
    state.funcsources.append(argv[1])
    state.calllines.append(saved_line)
    state.script = argv[1]       # its messages name the file as it was given
    outer_debug = None if "functrace" in state.options else state.traps.pop("DEBUG", None)
    try:
        return (yield from interp.indirect(interp.run_source(text, ctx, top=False,
                                                             nested="source")))
    except ReturnSignal as ret:
        return ret.status
    except ExitSignal:
        outer_debug = None       # the EXIT trap runs before the file's unwind-protects
        raise
    finally:
        from ipemu.bash.interp import restore_debug_trap
        restore_debug_trap(state, outer_debug)
        state.script, state.lineno = saved_script, saved_line
        state.sourced_from = saved_from
        state.funcnames.pop()
        state.funcsources.pop()
        state.calllines.pop()
        interp.source_depth -= 1
        if len(argv) > 2:
            state.positional = saved_args


def _dash_dot_file(interp, ctx, name: str) -> str:
    """dash's dotcmd(): a name without a slash is looked for in PATH only (not the
    working directory: find_dot_file() says `.: NAME: not found`); a file that cannot
    be read is `.: cannot open NAME: No such file`; either error ends the shell (2)."""
    from ipemu.bash.interp import ExitSignal
    session = interp.session
    candidates = [name] if "/" in name else \
        [f"{entry or '.'}/{name}" for entry in (interp.state.get("PATH") or "").split(":")]
    for path in candidates:
        try:
            return session.open_text(path)
        except OSError as err:
            if "/" in name:
                reason = "No such file" if err.errno in (None, 2) else err.strerror
                interp.error(ctx, f".: cannot open {name}: {reason}")
                raise ExitSignal(2) from None
    interp.error(ctx, f".: {name}: not found")
    raise ExitSignal(2)


def _eval(interp, argv, ctx):
    text = " ".join(argv[1:])
    if not text.strip():
        return 0
    return (yield from interp.indirect(
        interp.run_source(text, ctx, interp.state.lineno or 1, top=False, nested="eval")))


def _let(interp, argv, ctx) -> int:
    from ipemu.bash.expand import ExpansionError
    if len(argv) < 2:
        interp.error(ctx, "let: expression expected")
        return 1
    value = 0
    for expr in argv[1:]:
        try:
            value = interp.arith(expr)
        except ExpansionError as err:
            interp.error(ctx, f"let: {err.message}")
            return 1
    return 0 if value else 1


def _test(interp, argv, ctx) -> int:
    from ipemu.bash.test import Files, TestError, run_test
    interp.test_ttys = interp.tty_fds(ctx)
    try:
        from ipemu.bash.test import _netns
        return run_test(argv, Files(interp.session, _netns(interp)), interp)
    except TestError as err:
        interp.error(ctx, err.message)
        return 2


READ_USAGE = ("read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] "
              "[-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n")


def _read_options(interp, ctx, args: list[str]):
    """read's options (builtins/read.def: "ad:i:n:N:p:rst:u:e"), or a status."""
    opts = {"raw": False, "delim": "\n", "array": None, "count": None, "exact": False,
            "prompt": None, "timeout": None, "fd": None}
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        i = 1
        while i < len(opt):
            letter = opt[i]
            if letter in "rse":
                opts["raw"] = opts["raw"] or letter == "r"
                i += 1
                continue
            if letter not in "adinNptu":
                interp.error(ctx, f"read: -{letter}: invalid option")
                ctx.term.err(READ_USAGE)
                return 2
            value = opt[i + 1:] if i + 1 < len(opt) else (args.pop(0) if args else None)
            if value is None:
                interp.error(ctx, f"read: -{letter}: option requires an argument")
                ctx.term.err(READ_USAGE)
                return 2
            if letter == "a":
                opts["array"] = value
            elif letter == "d":
                opts["delim"] = value[:1] or "\0"
            elif letter in "nN":
                if not re.fullmatch(r"[0-9]+", value):
                    interp.error(ctx, f"read: {value}: invalid number")
                    return 1
                opts["count"], opts["exact"] = int(value), letter == "N"
            elif letter == "p":
                opts["prompt"] = value
            elif letter == "t":
                if not re.fullmatch(r"[0-9]*\.?[0-9]*", value) or value in ("", "."):
                    interp.error(ctx, f"read: {value}: invalid timeout specification")
                    return 1
                opts["timeout"] = float(value)
            elif letter == "u":
                if not value.isdigit():
                    interp.error(ctx, f"read: {value}: invalid file descriptor specification")
                    return 1
                opts["fd"] = int(value)
            break
    return opts


def _read(interp, argv, ctx) -> int:
    """`read [-ers] [-a ARRAY] [-d DELIM] [-n|-N COUNT] [-p PROMPT] [-t TIMEOUT]
    [-u FD] [NAME...]` from the command's stdin (or descriptor FD)."""
    args = argv[1:]
    opts = _read_options(interp, ctx, args)
    if isinstance(opts, int):
        return opts
    names = args or ["REPLY"]
    for name in names + ([opts["array"]] if opts["array"] else []):
        # a NAME may be an array element (valid_array_reference(): `read "a[$i]"`),
        # not -a's ARRAY
        if not NAME.fullmatch(name) and not (
                name != opts["array"] and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\[.+\]", name, re.S)):
            interp.error(ctx, f"read: `{name}': not a valid identifier")
            return 1
    source = ctx.stdin
    if (opts["fd"] is None or opts["fd"] == 0) and opts.get("timeout") is None and \
            interp.terminal_silent(ctx):
        if opts["prompt"]:
            ctx.term.err(opts["prompt"])     # -p: shown when the input is a terminal
        return interp.wait_forever(ctx)
    if opts["fd"] is not None and opts["fd"] != 0:
        from ipemu.bash.interp import open_fds
        dest = open_fds(ctx).get(opts["fd"])
        if dest is None or dest.kind != "in":
            interp.error(ctx, f"read: {opts['fd']}: invalid file descriptor: "
                         "Bad file descriptor")
            return 1
        source = dest.input
    if source is None:
        # the terminal: the prompt shows, and nobody types (a timeout expires)
        if opts["prompt"] is not None:
            ctx.term.err(opts["prompt"])
        return 142 if opts["timeout"] else 1
    if opts["timeout"] == 0:
        # -t 0: only whether a read would not block (input_avail()): a file, a
        # here-string or a pipe whose writer has ended is readable, at its end too
        # (recorded: `read -t 0 < /dev/null` is 0)
        return 0
    raw = opts["raw"]
    delim = opts["delim"]
    if opts["count"] is not None:
        got = source.read_chars(opts["count"], None if opts["exact"] else delim)
    else:
        got = source.read_until(delim)
    if got is None:
        for name in ([opts["array"]] if opts["array"] else names):
            interp.assign(name, [] if opts["array"] else "")
        return 1
    line, complete = got
    if not raw:
        while opts["count"] is None and line.endswith("\\") and \
                not line.endswith("\\\\") and complete:
            more = source.read_until(delim)
            if more is None:
                line = line[:-1]
                break
            line = line[:-1] + more[0]
            complete = more[1]
        line = re.sub(r"\\(.)", r"\1", line)
    if opts["array"] is not None:
        ifs = interp.state.get("IFS")
        interp.state.vars.pop(opts["array"], None)
        interp.state.set_array(opts["array"], _read_fields(line, ifs))
    elif args and not opts["exact"]:
        if not _split_read(interp, line, names, ctx):
            return 1        # an element's bad subscript: read fails
    elif not interp.assign(names[0], line, ctx=ctx):
        # REPLY, and -N's characters, as read (no IFS trimming)
        return 1
    return 0 if complete else 1


MAPFILE_USAGE = ("mapfile: usage: mapfile [-d delim] [-n count] [-O origin] [-s count] "
                 "[-t] [-u fd] [-C callback] [-c quantum] [array]\n")


def _mapfile(interp, argv, ctx) -> int:
    """`mapfile`/`readarray [-d DELIM] [-n COUNT] [-O ORIGIN] [-s COUNT] [-t] [-u FD]
    [ARRAY]`: lines of the input into an indexed array (MAPFILE by default)."""
    args = argv[1:]
    delim, count, origin, skip, trim, fd = "\n", 0, None, 0, False, None
    callback, quantum = None, 5000
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        letter = opt[1]
        if letter == "t" and len(opt) == 2:
            trim = True
            continue
        if letter not in "dnOsuCc" or len(opt) > 2 and letter == "t":
            interp.error(ctx, f"{argv[0]}: -{letter}: invalid option")
            ctx.term.err(MAPFILE_USAGE.replace("mapfile", argv[0], 1))
            return 2
        value = opt[2:] or (args.pop(0) if args else None)
        if value is None:
            interp.error(ctx, f"{argv[0]}: -{letter}: option requires an argument")
            ctx.term.err(MAPFILE_USAGE.replace("mapfile", argv[0], 1))
            return 2
        if letter == "d":
            delim = value[:1] or "\0"
        elif letter == "C":
            callback = value
        elif letter == "c":
            if not value.strip().isdigit() or int(value) == 0:
                interp.error(ctx, f"{argv[0]}: {value}: invalid callback quantum")
                return 1
            quantum = int(value)
        elif letter in "nOsu":
            if not value.isdigit():
                what = {"n": "line count", "O": "array index", "s": "line count",
                        "u": "file descriptor"}[letter]
                interp.error(ctx, f"{argv[0]}: {value}: invalid {what}")
                return 1
            if letter == "n":
                count = int(value)
            elif letter == "O":
                origin = int(value)
            elif letter == "s":
                skip = int(value)
            else:
                fd = int(value)
    name = args[0] if args else "MAPFILE"
    if not NAME.fullmatch(name):
        interp.error(ctx, f"{argv[0]}: `{name}': not a valid identifier")
        return 1
    source = ctx.stdin
    if fd not in (None, 0):
        from ipemu.bash.interp import open_fds
        dest = open_fds(ctx).get(fd)
        if dest is None or dest.kind != "in":
            interp.error(ctx, f"{argv[0]}: {fd}: invalid file descriptor: Bad file descriptor")
            return 1
        source = dest.input
    items = []
    while source is not None and (not count or len(items) < count + skip):
        got = source.read_until(delim)
        if got is None:
            break
        line, complete = got
        line = line if trim or not complete else line + delim
        # bind_array_element() takes a C string: a NUL (the -d '' delimiter kept
        # without -t) ends the value there (mapfile.c's mapfile())
        items.append(line.split("\0", 1)[0])
    items = items[skip:]
    var = interp.state.vars.get(name)
    if origin is None or var is None or var.array is None:
        interp.state.vars.pop(name, None) if origin is None else None
        interp.state.set_array(name, [])
    start = origin or 0
    if callback is not None:
        return _mapfile_calling(interp, ctx, name, start, items, callback, quantum)
    for offset, item in enumerate(items):
        interp.state.set_element(name, start + offset, item)
    return 0


def _mapfile_calling(interp, ctx, name: str, start: int, items: list[str], callback: str,
                     quantum: int):
    """mapfile -C CALLBACK -c QUANTUM: before every QUANTUM-th line is stored, the
    callback evaluated with the line's index and the line, single-quoted
    (mapfile.def run_callback(): `CALLBACK INDEX 'LINE'`)."""
    for offset, item in enumerate(items):
        if (offset + 1) % quantum == 0:
            quoted = "'" + item.replace("'", "'\\''") + "'"
            yield from _eval(interp, ["eval", f"{callback} {start + offset} {quoted}"], ctx)
        interp.state.set_element(name, start + offset, item)
    return 0


def _read_fields(line: str, ifs: str | None) -> list[str]:
    """`read -a`'s words: IFS whitespace trimmed at both ends, a delimiter is IFS
    whitespace around at most one other IFS character, and one at the very end
    adds no empty word (read_builtin(): get_word_from_string() until the line is
    used up); an empty IFS splits nothing."""
    if ifs is None:
        ifs = " \t\n"
    if ifs == "":
        return [line] if line else []
    white = "".join(c for c in ifs if c in " \t\n")
    other = "".join(c for c in ifs if c not in " \t\n")
    text = line.strip(white) if white else line
    if not text:
        return []
    if white and other:
        pattern = f"[{re.escape(white)}]*[{re.escape(other)}][{re.escape(white)}]*" \
                  f"|[{re.escape(white)}]+"
    else:
        pattern = f"[{re.escape(other)}]" if other else f"[{re.escape(white)}]+"
    fields = re.split(pattern, text)
    if len(fields) > 1 and fields[-1] == "":
        fields.pop()
    return fields


def _split_read(interp, line: str, names: list[str], ctx=None) -> bool:
    ifs = interp.state.get("IFS")
    ifs = " \t\n" if ifs is None else ifs
    white = "".join(c for c in ifs if c in " \t\n")
    text = line.strip(white) if white else line
    ok = True
    for index, name in enumerate(names):
        if index == len(names) - 1:
            value = text.rstrip(white) if white else text
            if value and value[-1] in ifs and value[-1] not in white and \
                    value.count(value[-1]) == 1 and not any(c in value[:-1] for c in ifs):
                value = value[:-1]
            return interp.assign(name, value, ctx=ctx) and ok
        cut = next((i for i, c in enumerate(text) if c in ifs), None)
        if cut is None:
            ok = interp.assign(name, text, ctx=ctx) and ok
            text = ""
            continue
        ok = interp.assign(name, text[:cut], ctx=ctx) and ok
        rest = text[cut:]
        # one IFS character (with the white space around it) ends a field
        j = 0
        while j < len(rest) and rest[j] in white:
            j += 1
        if j < len(rest) and rest[j] in ifs and rest[j] not in white:
            j += 1
            while j < len(rest) and rest[j] in white:
                j += 1
        text = rest[j:]
    return ok


def _getopts(interp, argv, ctx) -> int:
    """`getopts OPTSTRING NAME [ARGS]` (builtins/getopts.def): one option per call,
    OPTIND and OPTARG as bash sets them; errors name $0 (no line number)."""
    state = interp.state
    if len(argv) < 3:
        if state.dash:
            # dash's getoptscmd(): sh_error("Usage: ...")
            interp.error(ctx, "getopts: Usage: getopts optstring var [arg...]")
            return 2
        # getopts.def: builtin_usage(), the usage line alone, without the shell's name
        ctx.term.err("getopts: usage: getopts optstring name [arg ...]\n")
        return 2
    spec, name = argv[1], argv[2]
    args = argv[3:] if len(argv) > 3 else list(state.positional)
    silent = spec.startswith(":")
    try:
        optind = int(state.get("OPTIND") or "1")
    except ValueError:
        optind = 1
    if optind != state.getopts_optind:
        state.getopts_pos = 0          # OPTIND was set (or made local): start over
    if state.dash and optind > len(args) + 1:
        # dash's getoptscmd(): an OPTIND past the arguments starts them over
        # (`getopts ab: o -b v; getopts ab: o -z` reads -z)
        optind, state.getopts_pos = 1, 0
    pos = state.getopts_pos

    def finish(option: str, optarg: str | None, status: int) -> int:
        bound = state.dash or NAME.fullmatch(name)
        if bound:
            interp.assign(name, option)
        if optarg is None:
            state.vars.pop("OPTARG", None)
        else:
            interp.assign("OPTARG", optarg)
        interp.assign("OPTIND", str(optind))
        state.getopts_optind, state.getopts_pos = optind, pos
        if not bound:
            # getopts_bind_variable(): sh_invalidid(), EXECUTION_FAILURE (OPTIND and
            # OPTARG moved on all the same)
            interp.error(ctx, f"getopts: `{name}': not a valid identifier")
            return 1
        return status

    if optind - 1 >= len(args):
        return finish("?", None, 1)
    arg = args[optind - 1]
    if pos == 0:
        if arg == "--":
            optind += 1
            return finish("?", None, 1)
        if not arg.startswith("-") or arg == "-":
            return finish("?", None, 1)
        pos = 1
    char = arg[pos]
    pos += 1
    if pos >= len(arg):
        optind, pos = optind + 1, 0
    where = spec.find(char)
    if where < 0 or char == ":":
        if silent:
            return finish("?", char, 0)
        # dash's getopts(): `Illegal option -x` without the shell's name; bash's
        # sh_getopt() is quiet while OPTERR is 0 (getopts.def's sh_opterr)
        if state.dash or state.get("OPTERR") != "0":
            ctx.term.err(f"Illegal option -{char}\n" if state.dash else
                         f"{state.arg0}: illegal option -- {char}\n")
        return finish("?", None, 0)
    if spec[where + 1:where + 2] != ":":
        return finish(char, None, 0)
    if pos:
        value, optind, pos = arg[pos:], optind + 1, 0
        return finish(char, value, 0)
    if optind - 1 < len(args):
        value = args[optind - 1]
        optind += 1
        return finish(char, value, 0)
    if silent:
        return finish(":", char, 0)
    if state.dash or state.get("OPTERR") != "0":
        ctx.term.err(f"No arg for -{char} option\n" if state.dash else
                     f"{state.arg0}: option requires an argument -- {char}\n")
    return finish("?", None, 0)


# builtins/shopt.def shopt_vars[], in its order, and what `bash -c` starts with on
# (recorded: `bash -c shopt`); nullglob, dotglob, lastpipe, expand_aliases,
# inherit_errexit and shift_verbose change what the shell does, the rest are kept
SHOPT_ORDER = (
    "autocd", "assoc_expand_once", "cdable_vars", "cdspell", "checkhash", "checkjobs",
    "checkwinsize", "cmdhist", "compat31", "compat32", "compat40", "compat41", "compat42",
    "compat43", "compat44", "complete_fullquote", "direxpand", "dirspell", "dotglob",
    "execfail", "expand_aliases", "extdebug", "extglob", "extquote", "failglob",
    "force_fignore", "globasciiranges", "globskipdots", "globstar", "gnu_errfmt",
    "histappend", "histreedit", "histverify", "hostcomplete", "huponexit",
    "inherit_errexit", "interactive_comments", "lastpipe", "lithist", "localvar_inherit",
    "localvar_unset", "login_shell", "mailwarn", "no_empty_cmd_completion", "nocaseglob",
    "nocasematch", "noexpand_translation", "nullglob", "patsub_replacement", "progcomp",
    "progcomp_alias", "promptvars", "restricted_shell", "shift_verbose", "sourcepath",
    "varredir_close", "xpg_echo")
SHOPT_NAMES = frozenset(SHOPT_ORDER)
SHOPT_DEFAULT_ON = frozenset((
    "checkwinsize", "cmdhist", "complete_fullquote", "extquote", "force_fignore",
    "globasciiranges", "globskipdots", "hostcomplete", "interactive_comments",
    "patsub_replacement", "progcomp", "promptvars", "sourcepath"))
SHOPT_USAGE = "shopt: usage: shopt [-pqsu] [-o] [optname ...]\n"


def shopt_on(state, name: str) -> bool:
    """Whether a shopt option is on: set with -s, or on from the start and not unset."""
    return "shopt:" + name in state.options or (
        name in SHOPT_DEFAULT_ON and "shopt-off:" + name not in state.options)


def _shopt(interp, argv, ctx) -> int:
    """shopt.def shopt_builtin(): `-s`/`-u` set and unset, `-q` only answers, `-p`
    prints reusable lines; without names it lists every option (`-s`/`-u`: only those
    on, or off)."""
    args = argv[1:]
    mode = ""
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        bad = next((c for c in opt[1:] if c not in "pqsuo"), None)
        if bad is not None:
            interp.error(ctx, f"shopt: -{bad}: invalid option")
            ctx.term.err(SHOPT_USAGE)
            return 2
        mode += opt[1:]
    if "s" in mode and "u" in mode:
        interp.error(ctx, "shopt: cannot set and unset shell options simultaneously")
        return 1
    if "o" in mode:
        # the `set -o` options (list_minus_o_opts(), set_minus_o_option())
        if not args:
            return _set(interp, ["set", "+o" if "p" in mode else "-o"], ctx)
        status = 0
        on = set(interp.shellopts().split(":"))
        for name in args:
            if name not in OPTION_NAMES:
                interp.error(ctx, f"shopt: {name}: invalid option name")
                status = 1
            elif "s" in mode or "u" in mode:
                _set(interp, ["set", "-o" if "s" in mode else "+o", name], ctx)
            else:
                status = status or (0 if name in on else 1)
                if "q" not in mode:
                    ctx.term.out(f"set {'-' if name in on else '+'}o {name}\n" if "p" in mode
                                 else f"{name:<15}\t{'on' if name in on else 'off'}\n")
        return status
    state = interp.state

    def line(name: str) -> str:
        on = shopt_on(state, name)
        if "p" in mode:
            return f"shopt {'-s' if on else '-u'} {name}\n"
        return f"{name:<15}\t{'on' if on else 'off'}\n"
    if not args:
        if "q" in mode and not ("s" in mode or "u" in mode):
            return 0
        for name in SHOPT_ORDER:
            on = shopt_on(state, name)
            if ("s" in mode and not on) or ("u" in mode and on):
                continue
            if "q" not in mode:
                ctx.term.out(line(name))
        return 0
    status = 0
    for name in args:
        if name not in SHOPT_NAMES:
            interp.error(ctx, f"shopt: {name}: invalid shell option name")
            status = 1
            continue
        if "s" in mode:
            state.options.add("shopt:" + name)
            state.options.discard("shopt-off:" + name)
        elif "u" in mode:
            state.options.discard("shopt:" + name)
            if name in SHOPT_DEFAULT_ON:
                state.options.add("shopt-off:" + name)
        else:
            if not shopt_on(state, name):
                status = 1
            if "q" not in mode:
                ctx.term.out(line(name))
    return status


EXEC_USAGE = "exec: usage: exec [-cl] [-a name] [command [argument ...]] [redirection ...]\n"


def _exec_options(interp, argv: list[str], ctx):
    """exec.def's `internal_getopt (list, "cla:")`: (args, argv0, clear, login), or
    the usage's status (2)."""
    args, argv0, clear, login = argv[1:], None, False, False
    while not interp.state.dash and args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        for at, letter in enumerate(opt[1:], 1):
            if letter == "a":
                argv0 = opt[at + 1:] or (args.pop(0) if args else None)
                if argv0 is None:
                    interp.error(ctx, "exec: -a: option requires an argument")
                    ctx.term.err(EXEC_USAGE)
                    return 2
                break
            if letter not in "cl":
                interp.error(ctx, f"exec: -{letter}: invalid option")
                ctx.term.err(EXEC_USAGE)
                return 2
            clear |= letter == "c"
            login |= letter == "l"
    return args, argv0, clear, login


def _exec_failed(interp, status: int):
    """A command exec could not run: a non-interactive shell exits with its status,
    unless `shopt -s execfail` (exec.def's `exit_shell` / no_exit_on_failed_exec)."""
    from ipemu.bash.interp import ExitSignal
    if "shopt:execfail" in interp.state.options or \
            (getattr(interp, "interactive", False) and not interp.state.subshell):
        return status
    raise ExitSignal(status)


def _exec(interp, argv, ctx):
    """`exec [-cl] [-a NAME] CMD`: the command in the shell's place, then the shell is
    over; `exec` with only redirections is handled by the interpreter (they stay for
    the shell)."""
    from ipemu.bash.interp import ExitSignal
    parsed = _exec_options(interp, argv, ctx)
    if isinstance(parsed, int):
        return parsed
    args, argv0, clear, login = parsed
    if not args:
        return 0
    from ipemu.bash.lookup import path_misses, program_path, user_program
    name = args[0]
    if "/" not in name and name not in ("bash", "sh", "dash", "sudo") and \
            program_path(interp, name) is None:
        # exec.def: search_for_command() found nothing: sh_notfound() names `exec`,
        # and a shell that is not interactive exits with EX_NOTFOUND
        interp.error(ctx, f"exec: {name}: not found")
        return _exec_failed(interp, 127)
    if "/" not in name and path_misses(interp, name) is not None and \
            user_program(interp, name) is None:
        interp.error(ctx, f"exec: {name}: not found")       # PATH does not reach it
        return _exec_failed(interp, 127)
    if "/" in name:
        failed = _exec_path_error(interp, name)
        if failed is not None:
            # shell_execve()'s file_error() names the full path (search_for_command()
            # made it absolute); exec.def adds its own line unless the file is missing
            full = interp.session.fs.resolve(name, interp.session.cwd)
            interp.error(ctx, f"{full}: {failed[1]}")
            if failed[0] != 127:
                interp.error(ctx, f"exec: {full}: cannot execute: {failed[1]}")
            return _exec_failed(interp, failed[0])
    interp.exec_pending = True      # the shell's own process becomes the program
    if argv0 is not None or login:
        # what the program sees as its argv[0] (a bash: its $0; -l: `-NAME`, a login
        # shell)
        interp.exec_argv0 = ("-" if login else "") + (argv0 or name.rsplit("/", 1)[-1])
    saved = None
    if clear:
        saved = interp.state
        interp.state = saved.copy()
        interp.state.vars = {k: v for k, v in saved.vars.items() if not v.exported}
        interp.state.bare_environment = True    # not even bash's `_`
    try:
        status = yield from interp.invoke(args, ctx, program=True)
    finally:
        interp.exec_argv0 = None
        if saved is not None:
            interp.state = saved
    raise ExitSignal(status)


def _exec_path_error(interp, name: str) -> tuple[int, str] | None:
    """shell_execve()'s failures for a path: (status, strerror) or None."""
    from ipemu.bash.programs import shell_for_path, tool_for_path
    if tool_for_path(name) is not None or shell_for_path(name) is not None:
        return None
    fs = interp.session.fs
    full = fs.resolve(name, interp.session.cwd)
    if not fs.exists(full):
        return 127, "No such file or directory"
    if fs.is_dir(full):
        return 126, "Is a directory"
    if not fs.is_executable(full):
        return 126, "Permission denied"
    return None


def _colon(interp, argv, ctx) -> int:
    return 0


def _caller(interp, argv, ctx) -> int:
    """builtins/caller.def: `LINE FILE` of the current call, or `LINE FUNC FILE` of
    frame N (from BASH_LINENO, FUNCNAME and BASH_SOURCE); 1 where the stack has no
    such frame (nothing when BASH_LINENO or BASH_SOURCE is empty), a missing part
    printed as NULL in the short form; 2 and the usage for an option or a word that
    is no number."""
    lines = interp.dynamic_array("BASH_LINENO") or []
    sources = interp.dynamic_array("BASH_SOURCE") or []
    if not lines or not sources:
        return 1
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    elif args and args[0].startswith("-") and len(args[0]) > 1 and \
            not args[0][1:].isdigit():
        return _usage_error(interp, ctx, argv[0], f"{args[0]}: invalid option",
                            "caller: usage: caller [expr]\n")
    if not args:
        ctx.term.out(f"{lines[0]} {sources[1] if len(sources) > 1 else 'NULL'}\n")
        return 0
    names = interp.dynamic_array("FUNCNAME") or []
    if not names:
        return 1
    word = args[0].strip()
    if not re.fullmatch(r"[-+]?\d+", word):
        ctx.term.err(f"{interp.prefix()}caller: {args[0]}: invalid number\n"
                     "caller: usage: caller [expr]\n")
        return 2
    n = int(word)
    if n < 0 or n >= len(lines) or n + 1 >= len(sources) or n + 1 >= len(names):
        return 1
    ctx.term.out(f"{lines[n]} {names[n + 1]} {sources[n + 1]}\n")
    return 0


COMPGEN_USAGE = ("compgen: usage: compgen [-abcdefgjksuv] [-o option] [-A action] "
                 "[-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] "
                 "[-P prefix] [-S suffix] [word]\n")
# parse.y word_token_alist, as `compgen -k` lists them
KEYWORDS = ("if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while",
            "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
            "coproc")
COMPGEN_ACTIONS = {"a": "alias", "b": "builtin", "e": "export", "k": "keyword",
                   "v": "variable"}


def _compgen(interp, argv, ctx) -> int:
    """compgen (pcomplete.c gen_compspec_completions()): the names of the actions
    asked for that start with WORD (functions, variables, exported ones, aliases,
    builtins, keywords, -W's words), -P and -S around each; 1 when none."""
    from ipemu.bash.interp import BASH_BUILTIN_NAMES
    args = argv[1:]
    actions: list[str] = []
    words: list[str] = []
    prefix = suffix = ""
    while args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        opt = args.pop(0)
        letter = opt[1]
        if letter in COMPGEN_ACTIONS and len(opt) == 2:
            actions.append(COMPGEN_ACTIONS[letter])
        elif letter in "AWPS" and len(opt) == 2:
            if not args:
                interp.error(ctx, f"compgen: -{letter}: option requires an argument")
                ctx.term.err(COMPGEN_USAGE)
                return 2
            value = args.pop(0)
            if letter == "A":
                if value not in ("function", "variable", "export", "alias", "builtin",
                                 "keyword"):
                    interp.error(ctx, f"compgen: {value}: invalid action name")
                    return 2
                actions.append(value)
            elif letter == "W":
                words += _read_fields(value, interp.state.get("IFS"))
            elif letter == "P":
                prefix = value
            else:
                suffix = value
        else:
            interp.error(ctx, f"compgen: {opt[:2]}: invalid option")
            ctx.term.err(COMPGEN_USAGE)
            return 2
    if args and args[0] == "--":
        args = args[1:]
    word = args[0] if args else ""
    state = interp.state
    found: list[str] = []
    for action in actions:
        if action == "function":
            names = sorted(state.functions)
        elif action == "variable":
            names = sorted(n for n in state.vars if n not in state.invisible)
        elif action == "export":
            names = sorted(n for n, v in state.vars.items() if v.exported)
        elif action == "alias":
            names = sorted(state.aliases)
        elif action == "builtin":
            names = sorted(BASH_BUILTIN_NAMES, key=lambda n: n.encode())
        else:
            names = list(KEYWORDS)
        found += [n for n in names if n.startswith(word)]
    found += [w for w in words if w.startswith(word)]
    ctx.term.out("".join(f"{prefix}{n}{suffix}\n" for n in found))
    return 0 if found else 1


def _times(interp, argv, ctx) -> int:
    """times.def: the user and system CPU time of the shell, then of its children,
    `%ldm%d.%03ds` each; nothing ipemu runs spends CPU time."""
    ctx.term.out("0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n")
    return 0


FC_USAGE = "fc: usage: fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]\n"


def _fc(interp, argv, ctx) -> int:
    """fc.def in a shell that keeps no history (a script, `bash -c`): listing and
    editing find nothing and succeed; -s has no command to run again (recorded)."""
    args = argv[1:]
    again = False
    while args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        opt = args.pop(0)
        for i, letter in enumerate(opt[1:], 1):
            if letter == "e":
                if not opt[i + 1:]:
                    if not args:
                        interp.error(ctx, "fc: -e: option requires an argument")
                        ctx.term.err(FC_USAGE)
                        return 2
                    args.pop(0)
                break
            if letter == "s":
                again = True
            elif letter not in "lnr":
                interp.error(ctx, f"fc: -{letter}: invalid option")
                ctx.term.err(FC_USAGE)
                return 2
    if again:
        interp.error(ctx, "fc: no command found")
        return 1
    return 0


def _ulimit(interp, argv, ctx) -> int:
    from ipemu.bash.ulimit import ulimit
    return ulimit(interp, argv, ctx)


def _trap(interp, argv, ctx) -> int:
    from ipemu.bash.traps import trap
    return trap(interp, argv, ctx)


# what a login gives every program's environment (a shell started with less, by
# `env -i` or `env -u`, makes up some of it itself)
_LOGIN_ENV = ("HOME", "PATH", "SHELL", "USER", "LOGNAME", "TERM", "LANG")
# config-top.h's DEFAULT_PATH_VALUE (bash), var.c's defpathvar (dash 0.5.12)
_BASH_PATH = "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin:."
_DASH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _bare_environment(state: ShellState, given: list[str], dash: bool) -> None:
    """A shell whose environment lacks a login's variables: bash's
    initialize_shell_variables() sets PATH, SHELL (set_shell_var(): from the password
    file) and TERM (`dumb`), none exported, and no HOME (recorded under `env -i`);
    dash only PATH."""
    for name in _LOGIN_ENV:
        if name in given:
            continue
        if name == "PATH":
            state.vars[name] = Var(_DASH_PATH if dash else _BASH_PATH)
        elif name == "SHELL" and not dash:
            state.vars[name].exported = False
        elif name == "TERM" and not dash:
            state.vars[name] = Var("dumb")
        else:
            del state.vars[name]


def child_state(parent: ShellState, arg0: str, args: list[str], script: str,
                dash: bool = False) -> ShellState:
    """What a new bash inherits: the exported variables, nothing else."""
    from ipemu.bash.state import fresh
    state = fresh(parent.pid + 1)
    given = [name for name, var in parent.vars.items() if var.exported]
    if not all(name in given for name in _LOGIN_ENV):
        _bare_environment(state, given, dash)
    if "SHLVL" not in given:
        del state.vars["SHLVL"]     # bash counts from 0 then (shell.c), dash has none
    for name, var in parent.vars.items():
        if var.exported:
            if name == "PS4" and not dash:
                # variables.c initialize_shell_variables(): a bash running as root
                # (the only user here) does not import PS4 (recorded: `PS4=... bash -x`
                # traces with `+ `); dash takes it
                continue
            state.vars[name] = Var(var.value, exported=True)
    # $PPID: the shell that started it (bash makes it readonly, dash does not)
    state.vars["PPID"] = Var(str(parent.pid), readonly=not dash)
    if parent.func_exports and not dash:
        # exported functions come back from the environment (a bash only)
        for name in parent.func_exports:
            if name in parent.functions:
                state.functions[name] = parent.functions[name]
                state.func_exports.add(name)
    state.arg0 = arg0
    state.positional = list(args)
    state.script = script
    state.uts = parent.uts          # a new shell runs in its parent's UTS namespace
    return state


BUILTINS: dict[str, Callable] = {
    "export": _export, "readonly": _readonly, "local": _local, "declare": _declare,
    "typeset": _declare, "unset": _unset, "set": _set, "shift": _shift,
    "break": _loop_control, "continue": _loop_control, "return": _return, "exit": _exit,
    "source": _source, ".": _source, "eval": _eval, "let": _let, "test": _test, "[": _test,
    "read": _read, ":": _colon, "trap": _trap, "getopts": _getopts, "shopt": _shopt,
    "exec": _exec, "caller": _caller, "ulimit": _ulimit, "compgen": _compgen,
    "times": _times, "fc": _fc,
}


def _lookup_builtins() -> None:
    from ipemu.bash import lookup
    BUILTINS.update({"type": lookup.type_builtin, "command": lookup.command_builtin,
                     "hash": lookup.hash_builtin,
                     "builtin": lookup.builtin_builtin, "enable": lookup.enable_builtin,
                     "mapfile": _mapfile, "readarray": _mapfile})
    from ipemu.bash import dirs
    BUILTINS.update(dirs.BUILTINS)


_lookup_builtins()
