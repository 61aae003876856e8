"""Word expansion as bash's subst.c does it, in its order: tilde, parameters,
command substitution, arithmetic; then field splitting on IFS, pathname expansion
(globs over the simulated files) and quote removal.

Expansion can run commands (`$( )`), so it is a generator of steps like the rest of
the interpreter: a `$(ping -c 1 x)` lets the driver run the clock while it waits.
"""
from __future__ import annotations

import posixpath
import re

from ipemu.bash import words as W

BREAK = object()        # a field boundary that "$@" puts between its words
GLOB_CHARS = "*?["
# the characters of a word that expands to itself: none quotes, expands (`$`, `` ` ``,
# a leading `~`), globs, brace-expands or starts an extglob; literal text is never
# split on IFS (only expansions' results are: _split()), so IFS cannot change it
SELF_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                       "_./:,@%+-=")


# arrays bash computes from the call stack when read (variables.c init_funcname_var,
# BASH_SOURCE, BASH_LINENO): never stored, so a saved host holds nothing of them
DYNAMIC_ARRAYS = ("FUNCNAME", "BASH_SOURCE", "BASH_LINENO")

class ExpansionError(Exception):
    """A failed expansion: bash's message (after the `bash: ` prefix) and status. A
    non-interactive shell exits with `status`; an interactive one abandons the line."""

    def __init__(self, message: str, status: int = 1, report_error: bool = False):
        super().__init__(message)
        self.message = message
        self.status = status
        if report_error:
            # error.c report_error(): a non-interactive shell under set -e exits
            # (interp.expansion_failed()), where other errors discard the command
            self.report_error = True


class Expander:
    """Mixed into the interpreter, which provides `state`, `last_status`,
    `command_substitution(source)` (a generator returning the output) and
    `list_dir(path)`."""

    # ------------------------------------------------------------- entry points
    def expand_words(self, raws: list[str]):
        """Words to argv fields: brace-expanded, split and globbed."""
        out: list[str] = []
        for raw in raws:
            braces = "{" in raw and not self.state.dash
            for word in brace_expand(raw) if braces else (raw,):
                out.extend((yield from self.expand_fields(word)))
        return out

    def expand_fields(self, raw: str, glob: bool = True):
        if raw and SELF_CHARS.issuperset(raw):
            return [raw]        # a word of plain characters is its own one field
        if self.state.dash and "$'" in raw:
            raw = _dash_dollar_quote(raw)
        pieces = yield from self._pieces(_parse(raw), raw)
        fields = self._split(pieces)
        result = []
        for chars in fields:
            if glob and "noglob" not in self.state.options and (any(
                    c in GLOB_CHARS and not q for c, q in chars) or
                    self._extglob_word(chars)):
                matches = self.glob(chars)
                if not matches and "shopt:failglob" in self.state.options and \
                        not self.state.dash:
                    # glob_expand_word_list(): `no match: WORD` (before nullglob is
                    # asked), and the line is discarded (jump_to_top_level(DISCARD))
                    err = ExpansionError("no match: " + "".join(c for c, _ in chars))
                    err.report_error = True     # error.c report_error(): exits under -e
                    raise err
                if matches or "shopt:nullglob" in self.state.options:
                    result.extend(matches)
                    continue
            result.append("".join(c for c, _ in chars))
        return result

    def expand_string(self, raw: str):
        """One word, not split and not globbed (assignments, redirection targets,
        `case` words, `[[ ]]` operands)."""
        if SELF_CHARS.issuperset(raw):
            return raw
        if self.state.dash and "$'" in raw:
            raw = _dash_dollar_quote(raw)
        pieces = yield from self._pieces(_parse(raw), raw, single=True)
        return "".join(p[0] for p in pieces if p is not BREAK)

    def expand_pattern(self, raw: str, extglob: bool | None = None):
        """A pattern (case, [[ == ]], ${x#pat}): a regex in which quoted characters
        match themselves; extglob's groups when the option is on (or `extglob`)."""
        pieces = yield from self._pieces(_parse(raw), raw, single=True)
        chars = [(c, quoted) for p in pieces if p is not BREAK for c, quoted in
                 ((ch, p[1]) for ch in p[0])]
        if extglob is None:
            extglob = "shopt:extglob" in self.state.options
        return pattern_regex(chars, extglob)

    def expand_pattern_shown(self, raw: str, extglob: bool | None = None):
        """expand_pattern()'s regex and how set -x shows the pattern of `[[ == ]]`,
        from one expansion: each quoted character after a backslash
        (cond_expand_word(): quote_string_for_globbing()); with a command
        substitution in it, as written."""
        parts = _parse(raw)
        pieces = [p for p in (yield from self._pieces(parts, raw, single=True))
                  if p is not BREAK]
        chars = [(ch, p[1]) for p in pieces for ch in p[0]]
        if parts and isinstance(parts[0], W.Lit) and not parts[0].quoted and \
                parts[0].text.startswith("~"):
            # a tilde's expansion is quoted text (bash_tilde_expand() in expand_word_internal())
            head = parts[0].text.partition("/")[0]
            done = self._tilde(head)
            if done != head:
                chars[:len(done)] = [(c, True) for c, _ in chars[:len(done)]]
        if extglob is None:
            extglob = "shopt:extglob" in self.state.options
        if any(isinstance(part, W.CmdSub) for part in parts):
            shown = raw
        else:
            shown = "".join("\\" + c if quoted else c for c, quoted in chars)
        return pattern_regex(chars, extglob), shown

    def expand_heredoc(self, body: str):
        """A here-document's body: parameters, $( ) and $(( )) expand; quotes stay."""
        out = []
        for part in _parse(_heredoc_escape(body), True):
            if isinstance(part, W.Lit):
                out.append(part.text)
            else:
                pieces = yield from self._pieces((part,), body, single=True)
                out.extend(p[0] for p in pieces if p is not BREAK)
        return "".join(out)

    # ------------------------------------------------------------------ pieces
    def _pieces(self, parts, raw: str, single: bool = False, split_literals: bool = False):
        """(text, quoted, splittable) triples and BREAKs. split_literals: the word of an
        unquoted ${x:-word}, whose unquoted literal text is split with the rest."""
        pieces: list = []
        for index, part in enumerate(parts):
            if isinstance(part, W.Lit):
                text = part.text
                if index == 0 and not part.quoted and text.startswith("~"):
                    text = self._tilde(text)
                pieces.append((text, part.quoted,
                               split_literals and not part.quoted and not single))
            elif isinstance(part, W.Param):
                pieces.extend((yield from self._param(part, single)))
            elif isinstance(part, W.CmdSub):
                text = yield from self.command_substitution(part.source)
                pieces.append((text, part.quoted, not part.quoted and not single))
            elif isinstance(part, W.ProcSub):
                path = yield from self.process_substitution(part.source, part.direction)
                pieces.append((path, True, False))
            else:
                text = yield from self._arith_text(part.expr)
                pieces.append((text, part.quoted, not part.quoted and not single))
        return pieces

    def _tilde(self, text: str) -> str:
        head, sep, tail = text.partition("/")
        if head == "~":
            return (self.state.get("HOME") or "") + sep + tail
        if head == "~root":
            return "/root" + sep + tail
        if head in ("~+", "~-"):
            # tilde_expand_word(): ~+ is $PWD, ~- is $OLDPWD (left as written when unset)
            if head == "~+":
                value = self.session.cwd         # cd moves the session (as $PWD reads)
            else:
                value = self.session.env.get("OLDPWD", self.state.get("OLDPWD"))
            return text if value is None else value + sep + tail
        return text

    def _arith_text(self, expr: str):
        source = yield from self.expand_arith_source(expr)
        return str(self.arith(source))

    def expand_arith_source(self, expr: str):
        """An arithmetic text with its expansions done, as within double quotes:
        parameters, command substitutions; no process substitution (`1<<(32-n)` is
        a shift), no tilde, no globbing."""
        raw = arith_unquoted(expr)
        if "<(" not in raw and ">(" not in raw:
            return (yield from self.expand_string(raw))
        # the word parser would read `<(...)` as a process substitution: the text is
        # expanded as a here-document's is (parameters and command substitutions)
        pieces = yield from self._pieces(_parse(raw, True), raw, single=True)
        return "".join(p[0] for p in pieces if p is not BREAK)

    def arith(self, source: str) -> int:
        from ipemu.bash.arith import ArithError, evaluate     # here: few lines do arithmetic
        if self.state.dash:
            return self._dash_arith(source)
        try:
            return evaluate(source, self._arith_get, self._arith_set)
        except ArithError as err:
            raise ExpansionError(f"{err.expr}: {err.message}") from None

    def _dash_arith(self, source: str) -> int:
        """dash's arith() (bash/dash_arith.py): its grammar and its error words."""
        from ipemu.bash.dash_arith import DashArithError, evaluate
        try:
            return evaluate(source, self._dash_arith_get,
                            lambda name, value: self.assign(name, str(value)))
        except DashArithError as err:
            raise ExpansionError(str(err)) from None

    def _dash_arith_get(self, name: str) -> int:
        """lookupvarint(): an unset or empty variable is 0, else strtoimax() of all
        of it (base 0, blanks around it allowed), or `Illegal number`."""
        value = self.state.get(name)          # (set -u does not reach here in dash)
        text = (value or "").strip()
        if not text:
            return 0
        m = re.fullmatch(r"([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)", text)
        if not m:
            raise ExpansionError(f"Illegal number: {value}", 2)
        digits = m.group(2)
        number = int(digits, 16) if digits[:2].lower() == "0x" else \
            int(digits, 8) if digits.startswith("0") and len(digits) > 1 else int(digits)
        return -number if m.group(1) == "-" else number

    def _arith_get(self, name: str) -> str | None:
        if name.endswith("]") and "[" in name:
            value = self.array_element(name)
            base = name.partition("[")[0]
            var = self.state.vars.get(self.state.deref(base))
            if (var is None or var.array == {}) and "nounset" in self.state.options:
                # set -u names the array when it has no value at all; a missing
                # element of one that has is 0 (recorded)
                raise ExpansionError(f"{base}: unbound variable", 127)
            return value
        if name in ("RANDOM", "SECONDS", "LINENO", "BASHPID", "BASH_SUBSHELL"):
            value = self.param(name)        # the shell's dynamic ones, not a stored value
            return value if isinstance(value, str) else None
        value = self.state.get(name)
        if value is None and "nounset" in self.state.options:
            raise ExpansionError(f"{name}: unbound variable", 127)
        return value

    def array_element(self, ref: str) -> str | None:
        """NAME[SUBSCRIPT] in arithmetic and `test -v`: an associative array's key as
        written, an indexed array's subscript evaluated (negative counts from the
        end); a scalar is its element 0."""
        from ipemu.bash.state import ordered_items
        base, _, sub = ref[:-1].partition("[")
        var = self.state.vars.get(self.state.deref(base))
        if var is None:
            self.arith(sub)     # (its errors and side effects all the same)
            return None
        if var.assoc:
            return var.array.get(sub)
        index = self.arith(sub)
        if var.array is None:
            return var.value if index == 0 else None
        if index < 0:
            keys = [k for k, _ in ordered_items(var)]
            index += (max(keys) + 1) if keys else 0
        return var.array.get(index)

    def _arith_set(self, name: str, value: str) -> None:
        self.assign(name, value)

    # -------------------------------------------------------------- parameters
    def param(self, name: str) -> str | list[str] | None:
        """A parameter's value: a string, a list ("$@"), or None when unset."""
        state = self.state
        if name.isdigit():
            n = int(name)
            if n == 0:
                return state.arg0
            return state.positional[n - 1] if n <= len(state.positional) else None
        if name in ("@", "*"):
            return list(state.positional)
        special = {
            "?": lambda: str(self.last_status), "#": lambda: str(len(state.positional)),
            "$": lambda: str(state.pid), "-": lambda: self.option_flags(),
            "!": lambda: None if state.last_bg_pid is None else str(state.last_bg_pid),
        }
        if name in special:
            return special[name]()
        if name == "BASH_COMMAND" and not state.dash:
            return getattr(self, "bash_command", "")
        if name == "RANDOM":
            return None if state.dash else str(self.random())    # dash has no RANDOM
        if name == "LINENO":
            # Debian's dash is built without LINENO: it is an unset variable there
            return None if state.dash else str(state.lineno)
        if name == "SECONDS":
            return str(int(self.seconds()))
        if name == "BASH_SUBSHELL":
            return str(state.subshell)
        if name == "_":
            # bash's $_ (bind_lastarg()); at first what came in the environment, else
            # the shell's $0; dash keeps the environment's
            if state.dash:
                return state.get("_")
            if state.last_arg is not None:
                return state.last_arg
            return state.get("_") or state.arg0
        if name in ("BASHPID", "SHELLOPTS") and not state.dash and name not in state.vars:
            return self.bashpid() if name == "BASHPID" else self.shellopts()
        if name == "BASH_ARGV0" and not state.dash and name not in state.vars:
            # variables.c get_bash_argv0(): the shell's $0 (bash 5.0 and later)
            return state.arg0
        if name == "HOSTNAME" and not state.dash and name not in state.vars:
            # bash sets it at start-up when the environment has none (variables.c:
            # set_if_not("HOSTNAME", current_host_name)); then it is a plain variable
            # that scripts assign (`while read -r TIMESTAMP MAC IP HOSTNAME`)
            return self.session.host.hostname
        if name == "PWD":                   # cd (tools/userland.py) moves the session
            return self.session.cwd
        if name == "OLDPWD" and "OLDPWD" in self.session.env:
            return self.session.env["OLDPWD"]
        if name in DYNAMIC_ARRAYS and name not in state.vars:
            items = self.dynamic_array(name)
            return items[0] if items else None
        if self.circular_reference(name):
            return None
        return state.get(name)

    def self_ref_warnings(self, name: str, count: int) -> None:
        ctx = getattr(self, "cur_ctx", None)
        if ctx is not None:
            ctx.term.err(f"{self.prefix()}warning: {name}: circular name reference\n" * count)

    def circular_reference(self, name: str) -> bool:
        """A name reference whose chain loops: bash's `warning: NAME: circular name
        reference` (find_variable_nameref()), and no variable."""
        loop = None if self.state.dash else self.state.circular(name)
        if loop is None:
            return False
        ctx = getattr(self, "cur_ctx", None)
        if ctx is not None and loop == "circular":
            ctx.term.err(f"{self.prefix()}warning: {name}: circular name reference\n")
        return True

    def dynamic_array(self, name: str) -> list[str] | None:
        """bash's FUNCNAME, BASH_SOURCE and BASH_LINENO (variables.c): the call stack,
        innermost first, a frame for each running function and each file `source` is
        reading. FUNCNAME exists only while a function runs (then a sourced file's
        frame is `source`); a script's bottom frame is `main` in its file, called from
        line 0. Unset at the prompt or under `bash -c` outside functions and sourced
        files (BASH_LINENO is empty there)."""
        state = self.state
        # the script itself: a sourced file's name stands in state.script while it runs
        base = state.sourced_from if "source" in state.funcnames else state.script
        in_script = base not in (None, "bash") and not state.dash
        if name == "FUNCNAME":
            if not state.frames:        # no function runs
                return None
            return list(reversed(state.funcnames)) + (["main"] if in_script else [])
        if name == "BASH_LINENO":
            # the line each frame on the stack was called from, innermost first; a
            # script's main frame 0 (recorded: `7 9 0` in a script, `1 1` under -c,
            # an empty array there outside functions)
            return [str(n) for n in reversed(state.calllines)] + (["0"] if in_script else [])
        sources = [source or ("environment" if not in_script else base)
                   for source in reversed(state.funcsources)]
        if in_script:
            sources.append(base)
        return sources or None

    def _param(self, part: W.Param, single: bool):
        name = part.name
        if name in self.state.self_refs:
            # a function's `local -n x=x`: each use warns, an element's or the whole
            # array's twice (recorded, bash 5.2)
            self.self_ref_warnings(name, 2 if part.index is not None and part.op != "len"
                                   else 1)
        if self.state.dash and (part.indirect or part.index is not None or part.op in DASH_NO_OPS):
            # dash's parameter expansion knows none of bash's substrings,
            # replacements, case changes, arrays or indirection (`Bad substitution`)
            raise ExpansionError("Bad substitution")
        if part.op == "names":
            # ${!prefix@}: variables with a value whose names start so, sorted
            # (all_variables_matching_prefix())
            names = sorted(n for n in self.state.vars
                           if n.startswith(name) and n not in self.state.invisible)
            return self._at_pieces(part.arg, names, part.quoted, single)
        if part.indirect and part.index in ("@", "*"):
            # ${!a[@]}: the array's indices (of the array a name reference stands
            # for: parameter_brace_expand() resolves the nameref first)
            from ipemu.bash.state import ordered_items
            var = self.state.vars.get(self.state.deref(name))
            keys = [] if var is None else [str(k) for k, _ in ordered_items(var)]
            return self._at_pieces(part.index, keys, part.quoted, single)
        if part.indirect and name != self.state.deref(name):
            # ${!ref} of a name reference: the name it stands for
            return [(self.state.vars[name].value, part.quoted, not part.quoted and not single)]
        if self.state.dash or self.state.circular(name) is None:
            name = self.state.deref(name)   # a chain that loops finds nothing (below)
        index = part.index
        if part.indirect:
            target = self.param(name)
            if target is None:
                # parameter_brace_expand_indir(): an unset variable names itself
                raise ExpansionError(f"{name}: invalid indirect expansion", report_error=True)
            name = target if isinstance(target, str) else ""
            element = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]", name or "")
            if element and index is None:
                # valid_brace_expansion_word(): the value names an array element or the
                # whole array (`tmp="arr[@]"; "${!tmp}"`, arrays passed by name)
                name, index = element.groups()
            elif not W.NAME.fullmatch(name or "") and not (name or "").isdigit() and \
                    name not in ("@", "*"):
                raise ExpansionError(f"{name}: invalid variable name", report_error=True)
        value = self.param(name) if index is None else \
            (yield from self._element(name, index))
        quoted = part.quoted
        op = part.op
        if op == "len" and index is not None and "nounset" in self.state.options and \
                not self._is_array(name):
            # arrayfunc.c array_length_reference(): ${#NAME[SUB]} of a variable that
            # is unset, declared without a value or no array is unbound under set -u
            # (named as written, status 1), whatever the subscript
            raise ExpansionError(f"{part.name}: unbound variable", 1, report_error=True)
        if op == "len":
            if isinstance(value, list):
                return [(str(len(value)), quoted, False)]
            if index is None:
                # err_unboundvar() of ${#N} names a positional parameter without $
                if value is None and "nounset" in self.state.options and \
                        name.isdigit() and not self.state.dash:
                    raise ExpansionError(f"{name}: unbound variable", 127)
                self._check_set(name, value)
            return [(str(len(value or "")), quoted, False)]
        if op in (":-", "-", ":=", "=", ":+", "+", ":?", "?"):
            return (yield from self._param_default(part, name, value, single))
        if isinstance(value, list) and op == "@" and part.arg in ("A", "K") and \
                index in ("@", "*") and name in self.state.vars and \
                self.state.vars[name].array is not None:
            # the whole array as one word: its declare form, or its key/value pairs
            text = self._array_transform(name, part.arg)
            return [(text, quoted, not quoted and not single)]
        if isinstance(value, list):
            at = "@" if index == "@" or name == "@" else "*"
            if op == ":":
                value = yield from self._slice_list(part, name, value)
            elif op:
                # ${a[@]/x/y}, ${@^^}: the operation on each word
                changed = []
                for item in value:
                    changed.append((yield from self._param_op(part, item)))
                value = changed
            return self._at_pieces(at, value, quoted, single)
        # err_unboundvar() names an element with its subscript as written (`a[i]`)
        self._check_set(name if index is None else f"{name}[{index}]", value)
        value = value or ""
        if op:
            value = yield from self._param_op(part, value)
        return [(value, quoted, not quoted and not single)]

    def _is_array(self, name: str) -> bool:
        """An indexed or associative array with a value (not att_invisible)."""
        if name in DYNAMIC_ARRAYS and name not in self.state.vars:
            return self.dynamic_array(name) is not None
        var = self.state.vars.get(name)
        return var is not None and var.array is not None and name not in self.state.invisible

    def _element(self, name: str, index: str):
        """${a[i]}: an element (None when unset); ${a[@]}/${a[*]}: all of them."""
        from ipemu.bash.state import ordered_items
        name = self.state.deref(name)
        var = self.state.vars.get(name)
        if var is not None and var.assoc:
            if index in ("@", "*"):
                return [value for _, value in ordered_items(var)]
            return var.array.get((yield from self.expand_string(index)))
        if var is None and name in DYNAMIC_ARRAYS:
            items = dict(enumerate(self.dynamic_array(name) or []))
        else:
            items = {} if var is None else var.array if var.array is not None else {0: var.value}
        if index in ("@", "*"):
            return list(items.values())
        n = self.arith((yield from self.expand_string(index)))
        if n < 0:
            n += max(items, default=-1) + 1
        return items.get(n)

    def _slice_list(self, part: W.Param, name: str, value: list[str]):
        """${@:off:len} counts from $0 (${@:0} includes it); an array from 0."""
        offset, colon, length = part.arg.partition(":")
        start = self.arith((yield from self.expand_string(offset)))
        items = ([self.state.arg0] + value) if name in ("@", "*") and part.index is None \
            else value
        if start < 0:
            start = max(len(items) + start, 0) if len(items) + start >= 0 else len(items)
        elif name in ("@", "*") and part.index is None and start == 0:
            start = 0
        if not colon:
            return items[start:]
        count = self.arith((yield from self.expand_string(length)))
        return items[start:start + count] if count >= 0 else items[start:count]

    def _check_set(self, name: str, value) -> None:
        if value is None and "nounset" in self.state.options:
            # bash names a positional parameter with its $ (err_unboundvar)
            shown = f"${name}" if name.isdigit() else name
            if self.state.dash:
                raise ExpansionError(f"{name}: parameter not set", 127)   # dash's varvalue()
            raise ExpansionError(f"{shown}: unbound variable", 127)

    def _at_pieces(self, name: str, value: list[str], quoted: bool, single: bool) -> list:
        if quoted and name == "@" and not single:
            pieces: list = []
            for i, word in enumerate(value):
                if i:
                    pieces.append(BREAK)
                pieces.append((word, True, False))
            return pieces
        sep = " "
        if name == "*" and quoted:
            ifs = self.state.get("IFS")
            sep = " " if ifs is None else ifs[:1]
        return [(sep.join(value), quoted, not quoted and not single)]

    def _param_default(self, part: W.Param, name: str, value, single: bool):
        op = part.op
        if isinstance(value, list):
            # subst.c parameter_brace_expand: an array with no element is unset; with
            # `:` a value that joins to the empty string is null too
            text_value = " ".join(value)
            present = bool(text_value) if op.startswith(":") else bool(value)
        else:
            present = value is not None and (value != "" or not op.startswith(":"))
            text_value = value or ""
        bare = op.lstrip(":")
        if bare == "+":
            if not present:
                # "${m:+x}" of an unset m is one empty word, unquoted none; "${@+x}"
                # and "${a[@]+x}" are none (subst.c parameter_brace_expand(): a quoted
                # $@ or a[@] that expands to nothing leaves no word; recorded)
                at = part.index == "@" or (name == "@" and part.index is None)
                return [("", True, False)] if part.quoted and not at else []
            return (yield from self._arg_pieces(part, single))
        if present:
            if isinstance(value, list):
                return self._at_pieces(name, value, part.quoted, single)
            return [(text_value, part.quoted, not part.quoted and not single)]
        if bare == "-":
            return (yield from self._arg_pieces(part, single))
        if bare == "=":
            word = yield from self.expand_string(part.arg)
            if not W.NAME.fullmatch(name):
                # parameter_brace_expand_rhs(): `$%s: cannot assign in this way`, the
                # parameter's name after a dollar (`$@`, `$1`; recorded)
                raise ExpansionError(f"${name}: cannot assign in this way")
            self.assign(name, word)
            return [(word, part.quoted, not part.quoted and not single)]
        message = yield from self.expand_string(part.arg)
        default = "parameter null or not set" if op.startswith(":") else "parameter not set"
        # parameter_brace_expand_error(): an element as written (`a[5]`)
        shown = name if part.index is None else f"{name}[{part.index}]"
        raise ExpansionError(f"{shown}: {message or default}", 127)

    def _arg_pieces(self, part: W.Param, single: bool):
        # in "${x:-"a b"}" the inner double quotes are quotes too (not characters)
        # unquoted, the word's own text is split too (subst.c parameter_brace_expand_rhs()
        # expands it and the result goes through word splitting: `${x:- -c 4}` is two
        # words, `${x:-a\ b}` and `${x:-"a b"}` one)
        parts = _parse(part.arg, part.quoted, part.quoted)
        pieces = yield from self._pieces(parts, part.arg, single,
                                         split_literals=not part.quoted)
        if not pieces and part.quoted:
            # "${m:-}" is one empty word (`[ -n "${m:-}" ]` is false), not none
            return [("", True, False)]
        return pieces

    def _param_op(self, part: W.Param, value: str):
        op = part.op
        if op == "@" and part.arg == "P" and (part.index is not None or
                                             self.param(part.name) is not None):
            return (yield from self._prompt(value))
        if op == "@":
            return self._transform(part, value)
        if op in ("#", "##", "%", "%%"):
            regex = yield from self.expand_pattern(part.arg)
            return _remove(value, regex, op)
        if op in ("/", "//", "/#", "/%"):
            pat, _, rep = _split_unescaped(part.arg)
            regex = yield from self.expand_pattern(pat)
            rep = yield from self.expand_string(rep)
            return _replace(value, regex, rep, op)
        if op in ("^^", "^", ",,", ","):
            convert = str.upper if op.startswith("^") else str.lower
            if part.arg:
                # ${x^^pat}: only the characters the pattern matches (each one alone:
                # subst.c's parameter_brace_casemod() with sh_modcase())
                regex = yield from self.expand_pattern(part.arg)
                chars = list(value)
                for i, c in enumerate(chars if len(op) == 2 else chars[:1]):
                    if match(regex, c):
                        chars[i] = convert(c)
                return "".join(chars)
            if op in ("^^", ",,"):
                return convert(value)
            return convert(value[:1]) + value[1:]
        if op == "~~":
            return value.swapcase()       # bash's undocumented case toggle
        if op == "~":
            return value[:1].swapcase() + value[1:]
        if op == ":":
            offset, _, length = part.arg.partition(":")
            start = self.arith((yield from self.expand_string(offset)))
            if start < 0:
                start = max(len(value) + start, 0) if len(value) + start >= 0 else len(value)
            if not _:
                return value[start:]
            count = self.arith((yield from self.expand_string(length)))
            if count < 0:
                end = len(value) + count
                if end < start:
                    raise ExpansionError(f"{count}: substring expression < 0")
                return value[start:end]
            return value[start:start + count]
        return value

    def _array_transform(self, name: str, letter: str) -> str:
        """${a[@]@A}: the array's `declare -p` line; ${a[@]@K}: its subscripts and
        values as pairs, the values double-quoted (subst.c array_transform():
        array_to_kvpair(), assoc_to_kvpair() with its trailing blank; recorded)."""
        from ipemu.bash.builtins import _assoc_key, _declare_quote, declare_line
        from ipemu.bash.state import ordered_items
        var = self.state.vars[name]
        if letter == "A":
            return declare_line(name, var).rstrip("\n")
        items = ordered_items(var)
        if var.assoc:
            return "".join(f"{_assoc_key(k)} {_declare_quote(v)} " for k, v in items)
        return " ".join(f"{k} {_declare_quote(v)}" for k, v in items)

    def _prompt(self, value: str):
        """${x@P}: parse.y's decode_prompt_string() of the value (the escapes bash 5.2
        decodes without a clock or a history: \\u \\h \\H \\w \\W \\s \\v \\V \\$ \\j
        \\n \\r \\a \\e \\\\, octal \\NNN; \\[ and \\] give nothing; another
        letter stays as written), then, promptvars on, its $ and ` expansions
        (recorded: `\\u@\\h:\\w` is root@HOST:~, `$HOME` /root)."""
        out: list[tuple[str, bool]] = []        # (text, from an escape)
        i = 0
        host = self.session.host.hostname
        pwd = self.param("PWD") or "/"
        home = self.state.get("HOME") or ""
        while i < len(value):
            c = value[i]
            if c != "\\" or i + 1 == len(value):
                out.append((c, False))
                i += 1
                continue
            e = value[i + 1]
            i += 2
            if e in "01234567":
                digits = e
                while len(digits) < 3 and i < len(value) and value[i] in "01234567":
                    digits += value[i]
                    i += 1
                out.append((chr(int(digits, 8) & 0xff), True))
                continue
            text = {"a": "\a", "e": "\x1b", "n": "\n", "r": "\r", "\\": "\\",
                    "u": "root", "h": host.split(".")[0], "H": host,
                    "v": "5.2", "V": "5.2.15", "$": "#", "[": "", "]": "",
                    "s": "bash",    # shell_name, not $0 (a script's is bash too)
                    "j": str(len([j for j in getattr(self.session, "jobs", [])
                                  if not getattr(j, "reaped", False)]))}.get(e)
            if e == "w":
                text = "~" + pwd[len(home):] if home and (pwd == home or
                                                          pwd.startswith(home + "/")) else pwd
            elif e == "W":
                text = "~" if home and pwd == home else (pwd.rsplit("/", 1)[-1] or "/")
            out.append((f"\\{e}" if text is None else text, text is not None))
        literal = "".join(t for t, escaped in out if not escaped)
        if "$" not in literal and "`" not in literal:
            return "".join(t for t, _ in out)
        # the escapes' text is kept from the expansions (bash quotes it first)
        result = []
        run = ""
        for text, escaped in out:
            if escaped:
                result.append((yield from self.expand_string(run)) if run else "")
                result.append(text)
                run = ""
            else:
                run += text
        if run:
            result.append((yield from self.expand_string(run)))
        return "".join(result)

    def _transform(self, part: W.Param, value: str) -> str:
        """${x@Q} ${x@E} ${x@U} ${x@u} ${x@L} ${x@A} ${x@a} ${x@K}."""
        letter = part.arg
        if part.index is None and self.param(part.name) is None and letter != "a":
            return ""                   # an unset variable transforms to nothing
        if letter in ("Q", "K"):
            return _shell_quote(value)
        if letter == "E":
            return W.ansi_c(value)
        if letter == "U":
            return value.upper()
        if letter == "u":
            return value[:1].upper() + value[1:]
        if letter == "L":
            return value.lower()
        var = self.state.vars.get(part.name)
        from ipemu.bash.builtins import _attribute_string
        if letter == "a":
            # make_attribute_string(): a A i n r x l u
            return "" if var is None else _attribute_string(var)
        if letter == "A":
            if var is None:
                return ""
            flags = _attribute_string(var)
            head = f"declare -{flags} " if flags else ""
            return f"{head}{part.name}={_shell_quote(value)}"
        # @P is the value as is here; bash 5.2.15 expands an unknown letter to nothing
        return value if letter == "P" else ""

    # --------------------------------------------------------- field splitting
    def _split(self, pieces: list) -> list[list[tuple[str, bool]]]:
        """Fields of (char, protected) pairs: quoted text and literal text are one
        field with what touches them; unquoted expansions split on IFS."""
        ifs = self.state.get("IFS")
        if ifs is None:
            ifs = " \t\n"
        white = "".join(c for c in ifs if c in " \t\n")
        fields: list[list[tuple[str, bool]]] = []
        current: list[tuple[str, bool]] = []
        started = False       # the current field exists (a quoted empty string counts)
        for piece in pieces:
            if piece is BREAK:
                fields.append(current)
                current, started = [], True
                continue
            text, quoted, splittable = piece
            if not splittable or not ifs:
                current.extend((c, quoted) for c in text)
                started = started or quoted or bool(text)
                continue
            i = 0
            while i < len(text):
                c = text[i]
                if c in ifs:
                    # a run of IFS white space, with at most one other IFS char in it
                    j = i
                    while j < len(text) and text[j] in white:
                        j += 1
                    hard = j < len(text) and text[j] in ifs and text[j] not in white
                    if hard:
                        j += 1
                        while j < len(text) and text[j] in white:
                            j += 1
                    if started or current or hard:
                        fields.append(current)
                    current, started = [], False
                    if hard and j >= len(text):
                        started = False
                    i = j
                    continue
                current.append((c, False))
                started = True
                i += 1
        if started or current:
            fields.append(current)
        return fields

    # ------------------------------------------------------ pathname expansion
    def _extglob_word(self, chars: list[tuple[str, bool]]) -> bool:
        """A word with an extglob group (`@(a|b)`, `!(x)`) globs under extglob."""
        return "shopt:extglob" in self.state.options and any(
            c in EXTGLOB_OPS and not q and chars[i + 1] == ("(", False)
            for i, (c, q) in enumerate(chars[:-1]))

    def glob(self, chars: list[tuple[str, bool]]) -> list[str]:
        """Names matching a glob over the simulated files, sorted; [] when none."""
        pattern = "".join(c if not q else _glob_escape(c) for c, q in chars)
        absolute = pattern.startswith("/")
        parts = [p for p in pattern.split("/") if p]
        # a pattern ending in / matches directories only, and keeps the / (glob.c)
        dirs_only = pattern.endswith("/") and bool(parts)
        bases = ["/" if absolute else ""]
        for index, part in enumerate(parts):
            last = index == len(parts) - 1 and not dirs_only
            found = []
            for base in bases:
                extglob = "shopt:extglob" in self.state.options and \
                    re.search(r"[?*+@!]\(", part) is not None
                if not any(c in part for c in GLOB_CHARS) and not extglob:
                    name = _glob_unescape(part)
                    path = posixpath.join(base, name) if base else name
                    if last and self.path_exists(path) or not last and self.is_dir(path):
                        found.append(path)
                    continue
                regex = re.compile(fnmatch_regex(part, extglob))
                for entry in self.list_dir(base or "."):
                    if entry.startswith(".") and not part.startswith(".") and \
                            ("shopt:dotglob" not in self.state.options or entry in (".", "..")):
                        continue
                    if regex.fullmatch(entry):
                        path = posixpath.join(base, entry) if base else entry
                        if last or self.is_dir(path):
                            found.append(path)
            bases = sorted(found)
        return [b + "/" for b in bases] if dirs_only else bases


def arith_unquoted(expr: str) -> str:
    """An arithmetic text as bash reads it, as if within double quotes: its `"` are
    removed, but not inside a command substitution or ${...} it holds, which keep
    their own quoting (`(( $(echo "$a < $b" | bc -l) ))`, the bc idiom)."""
    if '"' not in expr and "'" not in expr:
        return expr
    out = []
    i, n = 0, len(expr)
    while i < n:
        c = expr[i]
        if c == "`" or (c == "$" and expr[i + 1:i + 2] in ("{", "(")):
            end = _skip_quoted(expr, i)
            out.append(expr[i:end])
            i = end
            continue
        if c == "'":
            out.append("\\'")     # within double quotes a ' is a character: an error
        elif c != '"':
            out.append(c)
        i += 1
    return "".join(out)


def _skip_quoted(raw: str, i: int) -> int:
    """Past a quote, an escape or a $-expansion starting at i (brace expansion does
    not look inside them); i itself when nothing starts there."""
    c = raw[i]
    if c == "\\":
        return i + 2
    if c == "'":
        end = raw.find("'", i + 1)
        return len(raw) if end < 0 else end + 1
    if c == '"':
        return W._double_end(raw, i + 1) + 1
    if c == "`":
        return W._backtick_end(raw, i + 1) + 1
    if c == "$" and raw[i + 1:i + 2] in ("{", "("):
        close = "}" if raw[i + 1] == "{" else ")"
        return W._group_end(raw, i + 2, raw[i + 1], close) + 1
    return i


def brace_expand(raw: str) -> list[str]:
    """bash's brace expansion (braces.c) on a raw word: {a,b}, {1..5}, {a..e..2},
    prefix and suffix, nested; quoted braces and ${...} are left alone."""
    i = 0
    while i < len(raw):
        j = _skip_quoted(raw, i)
        if j != i:
            i = j
            continue
        if raw[i] == "{":
            end, parts = _brace_group(raw, i)
            if parts is not None:
                prefix, suffix = raw[:i], raw[end + 1:]
                out = []
                for part in parts:
                    for tail in brace_expand(suffix):
                        out.extend(brace_expand(prefix + part + tail)
                                   if "{" in part else [prefix + part + tail])
                return out
        i += 1
    return [raw]


def _brace_group(raw: str, start: int):
    """The closing brace of the group at `start` and its alternatives (None when it
    is not a brace expansion)."""
    depth = 0
    commas = []
    i = start + 1
    while i < len(raw):
        j = _skip_quoted(raw, i)
        if j != i:
            i = j
            continue
        c = raw[i]
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                body = raw[start + 1:i]
                if commas:
                    cuts = [start] + commas + [i]
                    return i, [raw[a + 1:b] for a, b in zip(cuts, cuts[1:])]
                seq = _sequence(body)
                return i, seq
            depth -= 1
        elif c == "," and depth == 0:
            commas.append(i)
        i += 1
    return len(raw), None


def _sequence(body: str) -> list[str] | None:
    m = re.fullmatch(r"([-+]?\d+)\.\.([-+]?\d+)(?:\.\.([-+]?\d+))?", body)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        step = abs(int(m.group(3) or 1)) or 1
        width = max(len(m.group(1)), len(m.group(2))) if re.match(
            r"-?0\d", m.group(1)) or re.match(r"-?0\d", m.group(2)) else 0
        values = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
        return [str(v).zfill(width) if width else str(v) for v in values]
    m = re.fullmatch(r"([A-Za-z])\.\.([A-Za-z])(?:\.\.([-+]?\d+))?", body)
    if m:
        a, b = ord(m.group(1)), ord(m.group(2))
        step = abs(int(m.group(3) or 1)) or 1
        values = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
        return [chr(v) for v in values]
    return None


DASH_NO_OPS = frozenset({":", "/", "//", "/#", "/%", "^^", "^", ",,", ",", "@", "~~", "~", "names"})


def _dash_dollar_quote(raw: str) -> str:
    """dash 0.5.12 has no $'...': the `$` is a plain character before a single-quoted
    string (`$'a\\tb'` is `$a\\tb`); the word with such a `$` escaped."""
    out, i, quote = [], 0, ""
    while i < len(raw):
        c = raw[i]
        if c == "\\" and quote != "'":
            out.append(raw[i:i + 2])
            i += 2
            continue
        if c == "'" and quote != '"':
            quote = "" if quote == "'" else "'"
        elif c == '"' and quote != "'":
            quote = "" if quote == '"' else '"'
        elif c == "$" and not quote and raw.startswith("$'", i):
            out.append("\\$")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _parse(raw: str, in_double: bool = False, nested: bool = False) -> tuple:
    try:
        return W.parse(raw, in_double, nested)
    except W.BadSubstitution as err:
        raise ExpansionError(f"{err.text}: bad substitution", report_error=True) from None


def _glob_escape(c: str) -> str:
    return "\\" + c if c in "*?[]\\" else c


def _glob_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def fnmatch_regex(pattern: str, extglob: bool = False) -> str:
    """A glob (backslash escapes a character) as a regular expression."""
    chars = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            chars.append((pattern[i + 1], True))
            i += 2
        else:
            chars.append((pattern[i], False))
            i += 1
    return pattern_regex(chars, extglob)


EXTGLOB_OPS = "?*+@!"


def _extglob_end(chars: list[tuple[str, bool]], start: int) -> int | None:
    """The index of the `)` that closes the extglob group whose `(` is at `start`
    (nested groups and bracket expressions inside), or None: no group."""
    depth = 0
    i = start
    while i < len(chars):
        c, quoted = chars[i]
        if not quoted:
            if c == "[":
                end, _ = _bracket(chars, i)
                if end is not None:
                    i = end + 1
                    continue
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    return i
        i += 1
    return None


def _extglob_alternatives(chars: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """The `|`-separated patterns of a group, split at its own level only."""
    alts: list[list[tuple[str, bool]]] = [[]]
    depth = 0
    for c, quoted in chars:
        if not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
        if not quoted and c == "|" and depth == 0:
            alts.append([])
        else:
            alts[-1].append((c, quoted))
    return alts


def pattern_regex(chars: list[tuple[str, bool]], extglob: bool = False) -> str:
    """bash's pattern matching (strmatch) as a regex: * ? [...] [!...] [[:class:]],
    and with extglob (shopt -s extglob; always in [[ == ]]) the groups ?(p|q) *(...)
    +(...) @(...) !(...) of lib/glob/sm_loop.c's EXTMATCH. `!(p)` matches what p does
    not where what follows it matches the rest (exact when it ends the pattern)."""
    out = []
    i = 0
    while i < len(chars):
        c, quoted = chars[i]
        if extglob and not quoted and c in EXTGLOB_OPS and i + 1 < len(chars) and \
                chars[i + 1] == ("(", False):
            end = _extglob_end(chars, i + 1)
            if end is not None:
                alts = "|".join(pattern_regex(alt, True)
                                for alt in _extglob_alternatives(chars[i + 2:end]))
                if c == "!":
                    rest = pattern_regex(chars[end + 1:], True)
                    out.append(f"(?:(?!(?:{alts}){rest}\\Z).*?)")
                else:
                    out.append(f"(?:{alts})" + {"?": "?", "*": "*", "+": "+", "@": ""}[c])
                i = end + 1
                continue
        if quoted:
            out.append(re.escape(c))
        elif c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            end, regex = _bracket(chars, i)
            if end is None:
                out.append(re.escape(c))
            else:
                out.append(regex)
                i = end
        elif c == "\\" and i + 1 < len(chars):
            i += 1
            out.append(re.escape(chars[i][0]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z",
           "lower": "a-z", "space": r" \t\n\r\f\v", "blank": r" \t", "xdigit": "0-9A-Fa-f",
           "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), "word": r"\w"}


def _bracket(chars, start: int):
    i = start + 1
    negate = False
    if i < len(chars) and chars[i][0] in "!^" and not chars[i][1]:
        negate = True
        i += 1
    body = []
    first = True
    while i < len(chars):
        c, quoted = chars[i]
        if c == "]" and not first and not quoted:
            if not body:
                # every range in it was reversed: it matches no character
                return i, "[^\\s\\S]" if not negate else "[\\s\\S]"
            return i, "[" + ("^" if negate else "") + "".join(body) + "]"
        first = False
        if c == "[" and not quoted and i + 1 < len(chars) and chars[i + 1][0] == ":":
            text = "".join(ch for ch, _ in chars[i:])
            m = re.match(r"\[:([a-z]+):\]", text)
            if m and m.group(1) in CLASSES:
                body.append(CLASSES[m.group(1)])
                i += len(m.group())
                continue
        if c == "-" and body and i + 1 < len(chars) and chars[i + 1][0] != "]":
            low, high = body[-1][-1], chars[i + 1][0]
            if len(body[-1]) <= 2 and ord(low) > ord(high):
                # a reversed range (`[i-1]`) matches nothing (strmatch's RANGECMP);
                # Python's re would refuse it
                body.pop()
                i += 2
                continue
            body.append("-")
        elif c in "\\^[]":
            body.append("\\" + c)
        else:
            body.append(c)
        i += 1
    return None, ""


def _remove(value: str, regex: str, op: str) -> str:
    compiled = re.compile(regex, re.S)
    n = len(value)
    if op in ("#", "##"):
        lengths = range(0, n + 1) if op == "#" else range(n, -1, -1)
        for k in lengths:
            if compiled.fullmatch(value[:k]):
                return value[k:]
        return value
    starts = range(n, -1, -1) if op == "%" else range(0, n + 1)
    for k in starts:
        if compiled.fullmatch(value[k:]):
            return value[:k]
    return value


def _replace(value: str, regex: str, rep: str, op: str) -> str:
    if not regex:
        # an empty pattern matches only where it is anchored: ${x/#/pre} and
        # ${x/%/suf} put the replacement at the start or end (pat_subst())
        return rep + value if op == "/#" else value + rep if op == "/%" else value
    compiled = re.compile(regex, re.S)
    if op == "/#":
        for k in range(len(value), -1, -1):
            if compiled.fullmatch(value[:k]):
                return rep + value[k:]
        return value
    if op == "/%":
        for k in range(0, len(value) + 1):
            if compiled.fullmatch(value[k:]):
                return value[:k] + rep
        return value
    out = []
    i = 0
    replaced = False
    while i < len(value):
        if replaced and op == "/":
            out.append(value[i:])
            break
        for k in range(len(value), i, -1):        # the longest match here
            if compiled.fullmatch(value[i:k]):
                out.append(rep)
                i = k
                replaced = True
                break
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _split_unescaped(arg: str) -> tuple[str, str, str]:
    i = 0
    while i < len(arg):
        if arg[i] == "\\":
            i += 2
            continue
        if arg[i] == "/":
            return arg[:i], "/", arg[i + 1:]
        i += 1
    return arg, "", ""


def _heredoc_escape(body: str) -> str:
    """In a here-document a double quote is an ordinary character (backslash still
    quotes $ ` \\ and newline)."""
    return body.replace('\\"', '\\\\"')


def match(pattern_re: str, text: str, nocase: bool = False) -> bool:
    """A pattern's regex against a whole word; shopt nocasematch ignores case
    ([[ == ]], [[ =~ ]] and case: execute_cmd.c's match_ignore_case)."""
    return re.fullmatch(pattern_re, text, re.S | (re.I if nocase else 0)) is not None



def _shell_quote(value: str) -> str:
    """${x@Q}: '...' (a ' as '\\''), or $'...' when the value holds a control
    character (ansic_quote())."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        from ipemu.bash.builtins import _declare_quote
        return _declare_quote(value)
    return "'" + value.replace("'", "'\\''") + "'"
