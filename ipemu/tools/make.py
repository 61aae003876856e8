"""GNU make 4.3 as lab Makefiles use it: targets whose recipes are command lines
(`make setup`, `make clean`), variables (`=`, `:=`, `?=`, `+=`, `define`), the
usual functions, conditionals, prerequisites built first, `.PHONY`. Each recipe line
is echoed (unless `@` or -s), then run by /bin/sh -c (job.c's child_execute_job();
a line with no shell syntax whose program does not exist fails as make's own
execvp() does: `make: X: No such file or directory`); a failing line stops make
with `make: *** [Makefile:LINE: TARGET] Error N` and status 2 (`-` ignores it).
Files have no times here: a target is remade when it is phony, missing, or one of
its prerequisites was remade (recorded: userland/make, scripts/monellz_router_make,
scripts/raihan_xdp_make)."""
from __future__ import annotations

import posixpath
import re

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass, field
from ipemu.tools.context import Terminal, ToolContext

MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
# job.c's sh_chars and sh_cmds: a line with any of these goes to the shell as it is
SH_CHARS = set("#;\"*?[]&|<>(){}$`^~!\n\\'=%")
SH_CMDS = {".", ":", "alias", "bg", "break", "case", "cd", "command", "continue",
           "eval", "exec", "exit", "export", "fc", "fg", "for", "getopts", "hash", "if",
           "jobs", "login", "logout", "read", "readonly", "return", "set", "shift",
           "test", "times", "trap", "type", "ulimit", "umask", "unalias", "unset", "wait",
           "while", "echo", "false", "true", "printf", "pwd", "[", "kill"}


class MakeError(Exception):
    """make stops: its message (after `make: *** `) and status 2."""


@dataclass
class Rule:
    targets: list = field(default_factory=list)
    prereqs: list = field(default_factory=list)
    recipe: list = field(default_factory=list)     # (line number, raw text)
    line: int = 0


@dataclass
class Var:
    value: str
    recursive: bool
    origin: str = "file"


class Makefile:
    """read.c's reading of one makefile into variables and rules."""

    def __init__(self, ctx: ToolContext, name: str, overrides: dict[str, str]):
        self.ctx = ctx
        self.name = name
        self.vars: dict[str, Var] = {}
        self.rules: dict[str, Rule] = {}
        self.patterns: list[Rule] = []
        self.phony: set[str] = set()
        self.default: str | None = None
        self.overrides = overrides
        self.env = _environment(ctx)

    # ---------------------------------------------------------------- reading
    def read(self, text: str) -> None:
        lines = text.split("\n")
        i = 0
        rule: Rule | None = None
        conds: list[bool] = []          # the state of each open conditional
        while i < len(lines):
            number = i + 1
            line = lines[i]
            i += 1
            if line.startswith("\t") and rule is not None:
                raw = line[1:]
                while raw.endswith("\\") and i < len(lines):
                    nxt = lines[i]
                    i += 1
                    raw += "\n" + (nxt[1:] if nxt.startswith("\t") else nxt)
                if all(conds):
                    rule.recipe.append((number, raw))
                continue
            while line.endswith("\\") and i < len(lines):
                line = line[:-1].rstrip() + " " + lines[i].lstrip()
                i += 1
            stripped = _strip_comment(line).strip()
            word = stripped.split(None, 1)[0] if stripped else ""
            if word in ("ifeq", "ifneq", "ifdef", "ifndef"):
                conds.append(self.condition(word, stripped[len(word):].strip())
                             if all(conds) else False)
                continue
            if word == "else":
                if conds:
                    rest = stripped[4:].strip()
                    outer = all(conds[:-1])
                    if rest and rest.split(None, 1)[0] in ("ifeq", "ifneq", "ifdef", "ifndef"):
                        w = rest.split(None, 1)[0]
                        conds[-1] = (not conds[-1]) and outer and \
                            self.condition(w, rest[len(w):].strip())
                    else:
                        conds[-1] = not conds[-1] and outer
                continue
            if word == "endif":
                if conds:
                    conds.pop()
                continue
            if not all(conds):
                if word == "define":
                    while i < len(lines) and lines[i].strip() != "endef":
                        i += 1
                    i += 1
                continue
            if not stripped:
                continue
            if word == "define":
                body = []
                while i < len(lines) and lines[i].strip() != "endef":
                    body.append(lines[i])
                    i += 1
                i += 1
                name = stripped[6:].strip().rstrip("=").strip()
                self.set(name, "\n".join(body), True)
                continue
            if word in ("include", "-include", "sinclude"):
                self.include(word, stripped[len(word):].strip(), number)
                continue
            if word in ("export", "unexport", "override") and \
                    not re.match(r"\S+\s*:", stripped):
                stripped = stripped[len(word):].strip()
                if not stripped or "=" not in stripped:
                    continue
            assign = re.match(r"([^:#=\s]+)\s*(::=|:=|\?=|\+=|!=|=)\s*(.*)$", stripped)
            if assign and not re.match(r"[^=]*:[^=]", stripped.split("=", 1)[0] + "="):
                self.assign(*assign.groups())
                rule = None
                continue
            if ":" in stripped:
                rule = self.rule_line(line, number)
                continue
            raise MakeError(f"{self.name}:{number}: *** missing separator.  Stop.")

    def condition(self, word: str, rest: str) -> bool:
        if word in ("ifdef", "ifndef"):
            value = self.get(self.expand(rest).strip())
            return (value != "") == (word == "ifdef")
        a, b = _cond_args(rest)
        return (self.expand(a) == self.expand(b)) == (word == "ifeq")

    def include(self, word: str, names: str, number: int) -> None:
        for name in self.expand(names).split():
            try:
                text = self.ctx.session.open_text(name)
            except OSError as err:
                if word == "include":
                    raise MakeError(f"{self.name}:{number}: {name}: {err.strerror}") from None
                continue
            self.read(text)

    def assign(self, name: str, op: str, value: str) -> None:
        name = self.expand(name).strip()
        if name in self.overrides:
            return
        if op == "?=":
            if self.get_var(name) is None:
                self.set(name, value, True)
        elif op in (":=", "::="):
            self.set(name, self.expand(value), False)
        elif op == "+=":
            old = self.vars.get(name)
            if old is None:
                self.set(name, value, True)
            elif old.recursive:
                old.value = (old.value + " " + value) if old.value else value
            else:
                expanded = self.expand(value)
                old.value = (old.value + " " + expanded) if old.value else expanded
        elif op == "!=":
            self.set(name, self.shell(self.expand(value)), False)
        else:
            self.set(name, value, True)

    def set(self, name: str, value: str, recursive: bool) -> None:
        self.vars[name] = Var(value, recursive)

    def rule_line(self, line: str, number: int) -> Rule:
        text = _strip_comment(line)
        recipe = None
        if ";" in text:
            text, recipe = text.split(";", 1)
        head, _, tail = text.partition(":")
        if tail.startswith(":"):
            tail = tail[1:]
        if ":" in tail:                      # a static pattern rule: the pattern part
            tail = tail.split(":", 1)[1]
        targets = self.expand(head).split()
        prereqs = [p for p in self.expand(tail).split() if p != "|"]
        rule = Rule(targets, prereqs, [], number)
        if recipe is not None:
            rule.recipe.append((number, recipe.strip()))
        for target in targets:
            if target == ".PHONY":
                self.phony.update(prereqs)
                continue
            if "%" in target:
                self.patterns.append(rule)
                continue
            old = self.rules.get(target)
            if old is not None:
                # one target, several rules: the prerequisites add up, and a recipe
                # given later goes to the same rule
                old.prereqs += prereqs
                old.recipe += rule.recipe
                rule = old
            else:
                self.rules[target] = rule
            if self.default is None and not target.startswith("."):
                self.default = target
        return rule

    # ------------------------------------------------------------- variables
    def get_var(self, name: str) -> Var | None:
        if name in self.overrides:
            return Var(self.overrides[name], False, "command line")
        var = self.vars.get(name)
        if var is not None:
            return var
        if name in self.env:
            return Var(self.env[name], False, "environment")
        builtin = {"MAKE": "make", "SHELL": "/bin/sh", "CURDIR": self.ctx.session.cwd,
                   "CC": "cc", "CXX": "g++", "RM": "rm -f", "MAKEFLAGS": "",
                   "MAKEFILE_LIST": f" {self.name}", ".SHELLFLAGS": "-c"}.get(name)
        return None if builtin is None else Var(builtin, False, "default")

    def get(self, name: str, auto: dict | None = None) -> str:
        if auto is not None and name in auto:
            return auto[name]
        var = self.get_var(name)
        if var is None:
            return ""
        return self.expand(var.value, auto) if var.recursive else var.value

    def expand(self, text: str, auto: dict | None = None) -> str:
        """variable.c's variable_expand(): $(NAME), ${NAME}, $X, $$, functions."""
        out = []
        i = 0
        while i < len(text):
            ch = text[i]
            if ch != "$" or i + 1 >= len(text):
                out.append(ch)
                i += 1
                continue
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt in "({":
                close = ")" if nxt == "(" else "}"
                end = _matching(text, i + 1, nxt, close)
                inner = text[i + 2:end]
                out.append(self.reference(inner, auto))
                i = end + 1
                continue
            out.append(self.get(nxt, auto))
            i += 2
        return "".join(out)

    def reference(self, inner: str, auto: dict | None) -> str:
        m = re.match(r"([a-z-]+)[ \t]+(.*)$", inner, re.S)
        if m and m.group(1) in FUNCTIONS:
            return FUNCTIONS[m.group(1)](self, m.group(2), auto)
        name = self.expand(inner, auto)
        subst = re.match(r"([^:]+):([^=]*)=(.*)$", name, re.S)
        if subst:                                  # $(VAR:.c=.o)
            value = self.get(subst.group(1), auto)
            a, b = subst.group(2), subst.group(3)
            if "%" not in a:
                a, b = "%" + a, "%" + b
            return " ".join(_patsubst_word(a, b, w) for w in value.split())
        return self.get(name, auto)

    def shell(self, command: str) -> str:
        term = Terminal()
        from ipemu.tools.xargs import _run
        _run(_with_term(self.ctx, term), ["/bin/sh", "-c", command])
        for stream, text in term.chunks:
            if stream == "stderr":
                self.ctx.term.err(text)
        output = "".join(text for stream, text in term.chunks if stream == "stdout")
        return output.rstrip("\n").replace("\n", " ")


def _with_term(ctx: ToolContext, term: Terminal) -> ToolContext:
    return ToolContext(ctx.host, ctx.netns, term, ctx.profile, ctx.session, None, None)


def _environment(ctx: ToolContext) -> dict[str, str]:
    from ipemu.tools.xargs import environment
    return environment(ctx)


def _strip_comment(line: str) -> str:
    out = []
    i = 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] == "#":
            out.append("#")
            i += 2
            continue
        if line[i] == "#":
            break
        out.append(line[i])
        i += 1
    return "".join(out)


def _matching(text: str, start: int, opener: str, closer: str) -> int:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == opener:
            depth += 1
        elif text[j] == closer:
            depth -= 1
            if depth == 0:
                return j
    return len(text)


def _split_args(text: str, count: int) -> list[str]:
    """A function's arguments: commas outside parentheses separate them."""
    args, depth, cur = [], 0, []
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0 and len(args) < count - 1:
            args.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    args.append("".join(cur))
    return args + [""] * (count - len(args))


def _cond_args(rest: str) -> tuple[str, str]:
    rest = rest.strip()
    if rest.startswith("("):
        a, b = _split_args(rest[1:_matching(rest, 0, "(", ")")], 2)
        return a.strip(), b.strip()
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'", rest)
    values = [x or y for x, y in parts] + ["", ""]
    return values[0], values[1]


def _patsubst_word(pattern: str, replacement: str, word: str) -> str:
    if "%" not in pattern:
        return replacement if word == pattern else word
    pre, post = pattern.split("%", 1)
    if word.startswith(pre) and word.endswith(post) and len(word) >= len(pre) + len(post):
        stem = word[len(pre):len(word) - len(post)]
        return replacement.replace("%", stem, 1)
    return word


def _fn(count: int):
    def wrap(body):
        def call(mk: Makefile, text: str, auto):
            args = [mk.expand(a, auto) for a in _split_args(text, count)]
            return body(mk, *args)
        return call
    return wrap


def _glob(mk: Makefile, patterns: str) -> str:
    import fnmatch
    fs = mk.ctx.session.fs
    found = []
    for pattern in patterns.split():
        path = fs.resolve(pattern, mk.ctx.session.cwd)
        directory = posixpath.dirname(path)
        if not any(c in pattern for c in "*?["):
            if fs.exists(path):
                found.append(pattern)
            continue
        try:
            names = fs.listdir(directory)
        except OSError:
            continue
        prefix = posixpath.dirname(pattern)
        found += [posixpath.join(prefix, n) if prefix else n for n in names
                  if fnmatch.fnmatchcase(n, posixpath.basename(pattern))]
    return " ".join(found)


def _call(mk: Makefile, text: str, auto) -> str:
    args = [mk.expand(a, auto) for a in _split_args(text, 64)]
    name = args[0].strip()
    local = dict(auto or {})
    local.update({str(n): v for n, v in enumerate(args[1:], 1) if v or n < len(args)})
    var = mk.get_var(name)
    return "" if var is None else mk.expand(var.value, local)


def _foreach(mk: Makefile, text: str, auto) -> str:
    name, words, body = _split_args(text, 3)
    local = dict(auto or {})
    out = []
    for word in mk.expand(words, auto).split():
        local[mk.expand(name, auto).strip()] = word
        out.append(mk.expand(body, local))
    return " ".join(out)


def _if(mk: Makefile, text: str, auto) -> str:
    cond, then, other = _split_args(text, 3)
    return mk.expand(then if mk.expand(cond, auto).strip() else other, auto)


def _or(mk: Makefile, text: str, auto) -> str:
    for arg in _split_args(text, 64):
        value = mk.expand(arg, auto).strip()
        if value:
            return value
    return ""


def _and(mk: Makefile, text: str, auto) -> str:
    value = ""
    for arg in _split_args(text, 64):
        value = mk.expand(arg, auto).strip()
        if not value:
            return ""
    return value


def _origin(mk: Makefile, name: str) -> str:
    var = mk.get_var(name.strip())
    return "undefined" if var is None else var.origin


def _message(kind: str):
    def call(mk: Makefile, text: str, auto):
        value = mk.expand(text, auto)
        if kind == "info":
            mk.ctx.term.out(value + "\n")
        elif kind == "warning":
            mk.ctx.term.err(f"{mk.name}: {value}\n")
        else:
            raise MakeError(f"{mk.name}: *** {value}.  Stop.")
        return ""
    return call


FUNCTIONS = {
    "subst": _fn(3)(lambda mk, a, b, t: t.replace(a, b)),
    "patsubst": _fn(3)(lambda mk, p, r, t: " ".join(_patsubst_word(p, r, w) for w in t.split())),
    "strip": _fn(1)(lambda mk, t: " ".join(t.split())),
    "findstring": _fn(2)(lambda mk, f, t: f if f in t else ""),
    "filter": _fn(2)(lambda mk, p, t: " ".join(
        w for w in t.split() if any(_patsubst_word(x, "\0", w) == "\0" for x in p.split()))),
    "filter-out": _fn(2)(lambda mk, p, t: " ".join(
        w for w in t.split() if not any(_patsubst_word(x, "\0", w) == "\0" for x in p.split()))),
    "sort": _fn(1)(lambda mk, t: " ".join(sorted(set(t.split())))),
    "word": _fn(2)(lambda mk, n, t: (t.split()[int(n) - 1:int(n)] or [""])[0]),
    "words": _fn(1)(lambda mk, t: str(len(t.split()))),
    "firstword": _fn(1)(lambda mk, t: (t.split() or [""])[0]),
    "lastword": _fn(1)(lambda mk, t: (t.split() or [""])[-1]),
    "dir": _fn(1)(lambda mk, t: " ".join((posixpath.dirname(w) or ".") + "/" if "/" in w
                                          else "./" for w in t.split())),
    "notdir": _fn(1)(lambda mk, t: " ".join(posixpath.basename(w) for w in t.split())),
    "basename": _fn(1)(lambda mk, t: " ".join(posixpath.splitext(w)[0] for w in t.split())),
    "suffix": _fn(1)(lambda mk, t: " ".join(posixpath.splitext(w)[1] for w in t.split()
                                             if posixpath.splitext(w)[1])),
    "addprefix": _fn(2)(lambda mk, p, t: " ".join(p + w for w in t.split())),
    "addsuffix": _fn(2)(lambda mk, s, t: " ".join(w + s for w in t.split())),
    "abspath": _fn(1)(lambda mk, t: " ".join(
        mk.ctx.session.fs.resolve(w, mk.ctx.session.cwd) for w in t.split())),
    "realpath": _fn(1)(lambda mk, t: " ".join(
        p for p in (mk.ctx.session.fs.resolve(w, mk.ctx.session.cwd) for w in t.split())
        if mk.ctx.session.fs.exists(p))),
    "wildcard": _fn(1)(_glob),
    "shell": _fn(1)(lambda mk, c: mk.shell(c)),
    "origin": _fn(1)(_origin),
    "value": _fn(1)(lambda mk, n: (mk.get_var(n.strip()) or Var("", False)).value),
    "call": _call, "foreach": _foreach, "if": _if, "or": _or, "and": _and,
    "eval": lambda mk, text, auto: (mk.read(mk.expand(text, auto)), "")[1],
    "info": _message("info"), "warning": _message("warning"), "error": _message("error"),
}


# ------------------------------------------------------------------ running
@dataclass
class Options:
    silent: bool = False
    ignore: bool = False
    dry_run: bool = False
    keep_going: bool = False


class Runner:
    def __init__(self, ctx: ToolContext, mk: Makefile, opts: Options):
        self.ctx = ctx
        self.mk = mk
        self.opts = opts
        self.done: dict[str, bool] = {}      # target -> whether it was remade

    def rule_for(self, target: str) -> tuple[Rule | None, str]:
        rule = self.mk.rules.get(target)
        if rule is not None and (rule.recipe or not self.mk.patterns):
            return rule, ""
        for pattern in self.mk.patterns:
            for pat in pattern.targets:
                stem = _patsubst_word(pat, "%", target)
                if stem != target and "%" in pat or pat == target:
                    prereqs = [_patsubst_word("%", p.replace("%", stem), stem) if "%" in p
                               else p for p in pattern.prereqs]
                    if all(self.exists(p) or p in self.mk.rules for p in prereqs):
                        merged = Rule([target], (rule.prereqs if rule else []) + prereqs,
                                      pattern.recipe, pattern.line)
                        return merged, stem
        return rule, ""

    def exists(self, name: str) -> bool:
        fs = self.ctx.session.fs
        return fs.exists(fs.resolve(name, self.ctx.session.cwd))

    def build(self, target: str, parent: str | None = None) -> bool:
        """update_file(): the prerequisites, then the recipe; whether it ran."""
        if target in self.done:
            return self.done[target]
        rule, stem = self.rule_for(target)
        if rule is None:
            if self.exists(target):
                self.done[target] = False
                return False
            needed = f", needed by '{parent}'" if parent else ""
            raise MakeError(f"No rule to make target '{target}'{needed}.  Stop.")
        self.done[target] = False
        remade = False
        for prereq in rule.prereqs:
            remade |= self.build(prereq, target)
        if not (target in self.mk.phony or not self.exists(target) or remade):
            return False
        if not rule.recipe:
            self.done[target] = target in self.mk.phony or remade
            return self.done[target]
        auto = {"@": target, "<": (rule.prereqs or [""])[0], "^": " ".join(
            dict.fromkeys(rule.prereqs)), "+": " ".join(rule.prereqs), "?": " ".join(
            rule.prereqs), "*": stem, "|": ""}
        for number, raw in rule.recipe:
            self.run_line(target, number, raw, auto)
        self.done[target] = True
        return True

    def run_line(self, target: str, number: int, raw: str, auto: dict) -> None:
        text = self.mk.expand(raw, auto)
        silent, ignore = self.opts.silent, self.opts.ignore
        while text[:1] in ("@", "-", "+", " ", "\t"):
            silent |= text[0] == "@"
            ignore |= text[0] == "-"
            text = text[1:]
        if not text.strip():
            return
        if not silent or self.opts.dry_run:
            self.ctx.term.out(text + "\n")
        if self.opts.dry_run:
            return
        status = self.execute(text)
        if status == 0:
            return
        where = f"[{self.mk.name}:{number}: {target}] Error {status}"
        if ignore:
            self.ctx.term.err(f"make: {where} (ignored)\n")
            return
        raise MakeError(where, True)

    def execute(self, text: str) -> int:
        from ipemu.tools.xargs import _known, _run
        words = text.split()
        program = words[0]
        fs = self.ctx.session.fs
        known = fs.exists(fs.resolve(program, self.ctx.session.cwd)) if "/" in program \
            else _known(self.ctx, program)
        if not any(c in SH_CHARS for c in text) and program not in SH_CMDS and not known:
            # no shell syntax: execvp() by make itself (job.c's fast path)
            self.ctx.term.err(f"make: {words[0]}: No such file or directory\n")
            return 127
        return _run(self.ctx, ["/bin/sh", "-c", text])


def _options(argv: list[str]) -> tuple[Options, list[str], dict[str, str], str | None, str | None]:
    opts = Options()
    goals: list[str] = []
    overrides: dict[str, str] = {}
    makefile = directory = None
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ("-f", "--file", "--makefile") and args:
            makefile = args.pop(0)
        elif arg.startswith("-f") and len(arg) > 2:
            makefile = arg[2:]
        elif arg in ("-C", "--directory") and args:
            directory = args.pop(0)
        elif arg.startswith("-C") and len(arg) > 2:
            directory = arg[2:]
        elif arg.startswith("--"):
            name = arg[2:]
            opts.silent |= name in ("silent", "quiet")
            opts.ignore |= name == "ignore-errors"
            opts.dry_run |= name in ("just-print", "dry-run", "recon")
            opts.keep_going |= name == "keep-going"
        elif arg.startswith("-") and len(arg) > 1:
            for letter in arg[1:]:
                if letter == "j" or letter.isdigit():
                    continue
                opts.silent |= letter == "s"
                opts.ignore |= letter == "i"
                opts.dry_run |= letter == "n"
                opts.keep_going |= letter == "k"
        elif "=" in arg and re.match(r"[^=\s]+=", arg):
            name, _, value = arg.partition("=")
            overrides[name] = value
        else:
            goals.append(arg)
    return opts, goals, overrides, makefile, directory


def main(ctx: ToolContext, argv: list[str]) -> int:
    opts, goals, overrides, makefile, directory = _options(argv[1:])
    session = ctx.session
    saved_cwd = session.cwd
    if directory is not None:
        path = session.fs.resolve(directory, session.cwd)
        if not session.fs.is_dir(path):
            raise CommandError(f"make: *** {directory}: No such file or directory.  Stop.\n", 2)
        session.cwd = path
        ctx.term.out(f"make: Entering directory '{path}'\n")
    try:
        return _make(ctx, opts, goals, overrides, makefile)
    finally:
        if directory is not None:
            ctx.term.out(f"make: Leaving directory '{session.cwd}'\n")
            session.cwd = saved_cwd


def _make(ctx: ToolContext, opts: Options, goals: list[str], overrides: dict[str, str],
          makefile: str | None) -> int:
    session = ctx.session
    name = makefile
    text = None
    if name is not None:
        try:
            text = session.open_text(name)
        except OSError as err:
            ctx.term.err(f"make: {name}: {err.strerror}\n")
            raise CommandError(f"make: *** No rule to make target '{name}'.  Stop.\n", 2)
    else:
        for candidate in MAKEFILES:
            try:
                text = session.open_text(candidate)
            except OSError:
                continue
            name = candidate
            break
    mk = Makefile(ctx, name or "", overrides)
    try:
        if text is not None:
            mk.read(text)
        if not goals:
            if mk.default is None:
                raise MakeError("No targets specified and no makefile found.  Stop."
                                if text is None else "No targets.  Stop.")
            goals = [mk.default]
        runner = Runner(ctx, mk, opts)
        for goal in goals:
            rule, _ = runner.rule_for(goal)
            if not runner.build(goal):
                if rule is not None and rule.recipe:
                    ctx.term.out(f"make: '{goal}' is up to date.\n")
                else:
                    ctx.term.out(f"make: Nothing to be done for '{goal}'.\n")
    except MakeError as err:
        message = err.args[0]
        if len(err.args) > 1:           # a recipe line failed
            ctx.term.err(f"make: *** {message}\n")
        elif message.startswith(mk.name + ":"):
            ctx.term.err(message.replace(": *** ", ": *** ", 1) + "\n")
        else:
            ctx.term.err(f"make: *** {message}\n")
        return 2
    return 0
