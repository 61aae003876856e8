"""findutils 4.9's find over the host's files and the kernel's views (/run/netns,
/sys/class/net, /proc/net): starting points, then an expression of tests (-name,
-iname, -path, -type, -empty), actions (-print, -print0, -exec CMD ;, -exec CMD {} +,
-delete, -quit), operators (! -not, -a -and, -o -or, parentheses) and the global
options -maxdepth and -mindepth. Commands run through the session's own dispatch
(xargs._run), as `find /run/netns -type f -exec sh -c "..." \\;` in a CNI script
does (recorded: scripts/kc0ld_cni_bridge_plugin, userland/find)."""
from __future__ import annotations

import fnmatch
import re
import posixpath

from ipemu.errors import CommandError
from ipemu.plainclass import dataclass, field
from ipemu.tools.context import ToolContext

TESTS_WITH_ARG = ("-name", "-iname", "-path", "-wholename", "-ipath", "-type", "-perm",
                  "-size")
# parser.c's parse_size(): the units of -size (b, the default, is 512 bytes)
SIZE_UNITS = {"b": 512, "c": 1, "w": 2, "k": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
GLOBALS = ("-maxdepth", "-mindepth")


@dataclass
class Node:
    """One node of the parsed expression: an operator over `kids`, or a primary with
    its argument (`arg`) or command (`argv`, `batch` for `{} +`)."""
    op: str
    kids: list = field(default_factory=list)
    arg: str = ""
    argv: list = field(default_factory=list)
    batch: list = field(default_factory=list)


class _Parser:
    """parse.c's grammar: OR of ANDs of (possibly negated) primaries; `-a` may be left
    out; a missing action adds -print around the whole expression."""

    def __init__(self, words: list[str]):
        self.words = words
        self.pos = 0
        self.has_action = False
        self.maxdepth: int | None = None
        self.mindepth = 0
        # parser.c: the first test or action seen, and the warnings a global option
        # after it gives (printed once the expression is parsed)
        self.first_nonoption: str | None = None
        self.warnings: list[str] = []

    def peek(self) -> str | None:
        return self.words[self.pos] if self.pos < len(self.words) else None

    def take(self) -> str:
        self.pos += 1
        return self.words[self.pos - 1]

    def parse(self) -> Node | None:
        if self.peek() is None:
            return None
        node = self.or_expr()
        if self.peek() is not None:      # a `)` with no `(`
            raise CommandError("find: you have too many ')'\n", 1)
        return node

    def or_expr(self, after: str | None = None) -> Node:
        left = self.and_expr(after)
        while self.peek() in ("-o", "-or"):
            word = self.take()
            left = Node("or", [left, self.and_expr(word)])
        return left

    def and_expr(self, after: str | None = None) -> Node:
        left = self.unary(after)
        while self.peek() is not None and self.peek() not in ("-o", "-or", ")"):
            word = None
            if self.peek() in ("-a", "-and"):
                word = self.take()
            left = Node("and", [left, self.unary(word)])
        return left

    def unary(self, after: str | None) -> Node:
        """A primary, `! EXPR` or `( EXPR )`; parse.c's words for what is missing."""
        word = self.peek()
        if word is None:
            if after == "(":
                raise CommandError("find: invalid expression; expected to find a ')' but "
                                   "didn't see one. Perhaps you need an extra predicate "
                                   "after '('\n", 1)
            raise CommandError(f"find: expected an expression after '{after}'\n", 1)
        if word in ("-o", "-or", "-a", "-and"):
            raise CommandError(f"find: invalid expression; you have used a binary operator "
                               f"'{word}' with nothing before it.\n", 1)
        if word == ")":
            if after == "(":
                raise CommandError("find: invalid expression; empty parentheses are not "
                                   "allowed.\n", 1)
            raise CommandError("find: you have too many ')'\n", 1)
        if word in ("!", "-not", "(") and self.first_nonoption is None:
            self.first_nonoption = word     # an operator is no option either (recorded)
        if word in ("!", "-not"):
            self.take()
            return Node("not", [self.unary(word)])
        if word == "(":
            self.take()
            inner = self.or_expr("(")
            if self.peek() != ")":
                raise CommandError("find: invalid expression; I was expecting to find a "
                                   "')' somewhere but did not see one.\n", 1)
            self.take()
            return inner
        return self.primary()

    def primary(self) -> Node:
        word = self.take()
        if word in GLOBALS and self.first_nonoption is not None:
            self.warnings.append(
                f"find: warning: you have specified the global option {word} after the "
                f"argument {self.first_nonoption}, but global options are not positional, "
                f"i.e., {word} affects tests specified before it as well as those "
                "specified after it.  Please specify global options before other "
                "arguments.\n")
        elif word not in GLOBALS and self.first_nonoption is None:
            self.first_nonoption = word
        if word in TESTS_WITH_ARG or word in GLOBALS:
            if self.peek() is None:
                raise CommandError(f"find: missing argument to `{word}'\n", 1)
            arg = self.take()
            if word == "-type" and (not arg or any(c not in "bcdpflsD," for c in arg)):
                raise CommandError(f"find: Unknown argument to -type: {arg}\n", 1)
            if word == "-perm" and _perm_bits(arg.lstrip("-/") if arg[:1] in "-/"
                                              else arg) is None:
                raise CommandError(f"find: invalid mode ‘{arg}’\n", 1)
            if word == "-size":
                # parse_size(): the last character is the unit (or a digit), the rest
                # a number with an optional sign
                if not arg or not (arg[-1] in SIZE_UNITS or arg[-1].isdigit()):
                    raise CommandError(f"find: invalid -size type `{arg[-1:]}'\n", 1)
                if not re.fullmatch(r"[-+]?\d+[bcwkMG]?", arg):
                    raise CommandError(f"find: Invalid argument `{arg}' to -size\n", 1)
            if word in GLOBALS:
                if not arg.isdigit():
                    raise CommandError(f"find: Expected a positive decimal integer "
                                       f"argument to {word}, but got ‘{arg}’\n", 1)
                if word == "-maxdepth":
                    self.maxdepth = int(arg)
                else:
                    self.mindepth = int(arg)
                return Node("true")
            return Node(word, arg=arg)
        if word in ("-exec", "-execdir", "-ok"):
            return self.exec_primary(word)
        if word in ("-print", "-print0", "-delete", "-quit", "-ls"):
            self.has_action = True
            return Node(word)
        if word == "-printf":
            if self.peek() is None:
                raise CommandError(f"find: missing argument to `{word}'\n", 1)
            self.has_action = True
            return Node(word, arg=self.take())
        if word in ("-empty", "-true", "-false"):
            return Node(word)
        if word.startswith("-"):
            raise CommandError(f"find: unknown predicate `{word}'\n", 1)
        raise CommandError(f"find: paths must precede expression: `{word}'\n", 1)

    def exec_primary(self, word: str) -> Node:
        argv = []
        while self.peek() is not None:
            arg = self.take()
            if arg == ";":
                break
            if arg == "+" and argv and argv[-1] == "{}":
                self.has_action = True
                return Node(word + "+", argv=argv[:-1])
            argv.append(arg)
        else:
            raise CommandError(f"find: missing argument to `{word}'\n", 1)
        if not argv:
            raise CommandError(f"find: missing argument to `{word}'\n", 1)
        self.has_action = True
        return Node(word, argv=argv)


class _Finder:
    def __init__(self, ctx: ToolContext, expr: Node | None):
        self.ctx = ctx
        self.expr = expr
        self.status = 0
        self.quit = False
        self.batches: list[Node] = []
        # the namespace's sysctls, read once while nothing runs (fts reads each
        # directory once): every file below /proc/sys/net asked for them all
        self.net_keys: list[str] | None = None
        self.follow_links = False       # find -L

    # -------------------------------------------------------------- the tree
    def kind(self, path: str) -> str | None:
        """The file type -type tests: d, f, l (the kernel's views answer first;
        /sys/class/net's entries are symbolic links to the devices)."""
        from ipemu import procfs
        if len(path) > 1 and path.endswith("/"):
            # a trailing slash follows a link to a directory (the path walk)
            path = path.rstrip("/") or "/"
            return "d" if self.listdir(path) is not None else self.kind(path)
        if path == "/var/run":
            return "l"
        if self.ctx.session.fs.is_link(path) and not self.follow_links:
            return "l"              # an `ln -s` link (find -P never follows one)
        if self.ctx.session.fs.is_fifo(path):
            return "p"              # a named pipe mkfifo made
        parent = posixpath.dirname(path)
        if parent == procfs.SYS_NET and self.listdir(path) is not None:
            return "l"
        if path.startswith(procfs.SYS_NET + "/"):
            # the links inside a device's directory (subsystem, lower_*, master...)
            entry = procfs.sysfs_entry(self.ctx.netns, path)
            if entry is not None and entry[0] == "l":
                return "l"
        if self.listdir(path) is not None:
            return "d"
        try:
            if procfs.read(self.ctx.host, self.ctx.netns, path) is not None:
                return "f"
        except OSError:
            return "f"
        if path.startswith("/proc/sys/"):
            from ipemu.tools.sysctl import lookup
            if lookup(self.ctx.netns, path[len("/proc/sys/"):].replace("/", ".")) is not None:
                return "f"          # a sysctl file, read by session.read_text()
        fs = self.ctx.session.fs
        if fs.is_dir(path):
            return "d"
        return "f" if fs.exists(path) else None

    def listdir(self, path: str) -> list[str] | None:
        from ipemu import procfs
        path = path.rstrip("/") or "/"
        if self.net_keys is None and path.startswith(procfs.PROC_SYS_NET):
            from ipemu.tools.sysctl import all_keys
            self.net_keys = all_keys(self.ctx.netns)
        try:
            names = procfs.listdir(self.ctx.host, self.ctx.netns, path, self.net_keys)
        except OSError:
            return None
        if names is not None:
            return procfs.readdir_order(path, names)
        fs = self.ctx.session.fs
        return fs.listdir(path) if fs.is_dir(path) else None

    # -------------------------------------------------------------- the walk
    def walk(self, shown: str, path: str, depth: int, maxdepth: int | None,
             mindepth: int) -> None:
        kind = self.kind(path)
        if depth >= mindepth:
            self.evaluate(self.expr, shown, path, kind)
        if self.quit or kind != "d" or (maxdepth is not None and depth >= maxdepth):
            return
        for name in self.listdir(path) or []:
            child = shown + name if shown.endswith("/") else shown + "/" + name
            self.walk(child, posixpath.join(path, name), depth + 1, maxdepth, mindepth)
            if self.quit:
                return

    def evaluate(self, node: Node | None, shown: str, path: str, kind: str | None) -> bool:
        if node is None:
            self.ctx.term.out(shown + "\n")
            return True
        op = node.op
        if op == "and":
            return self.evaluate(node.kids[0], shown, path, kind) and \
                self.evaluate(node.kids[1], shown, path, kind)
        if op == "or":
            return self.evaluate(node.kids[0], shown, path, kind) or \
                self.evaluate(node.kids[1], shown, path, kind)
        if op == "not":
            return not self.evaluate(node.kids[0], shown, path, kind)
        return self.primary(node, shown, path, kind)

    def primary(self, node: Node, shown: str, path: str, kind: str | None) -> bool:
        op = node.op
        base = posixpath.basename(shown.rstrip("/")) or "/"
        if op in ("true", "-true"):
            return True
        if op == "-false":
            return False
        if op == "-name":
            return fnmatch.fnmatchcase(base, node.arg)
        if op == "-iname":
            return fnmatch.fnmatchcase(base.lower(), node.arg.lower())
        if op in ("-path", "-wholename"):
            return fnmatch.fnmatchcase(shown, node.arg)
        if op == "-ipath":
            return fnmatch.fnmatchcase(shown.lower(), node.arg.lower())
        if op == "-type":
            return kind is not None and kind in node.arg.split(",")
        if op == "-empty":
            listing = self.listdir(path) if kind == "d" else None
            return listing == [] if kind == "d" else self._size(path) == 0
        if op == "-perm":
            # parser.c's parse_perm(): MODE exactly, -MODE all of its bits, /MODE any
            want = _perm_bits(node.arg[1:] if node.arg[0] in "-/" else node.arg)
            mode = int(self.inode_text("m", shown, kind), 8)
            if node.arg[0] == "-":
                return mode & want == want
            if node.arg[0] == "/":
                return want == 0 or bool(mode & want)
            return mode & 0o7777 == want
        if op == "-size":
            # pred_size(): the size in units, rounded up, compared with N
            arg = node.arg
            unit = SIZE_UNITS[arg[-1]] if arg[-1] in SIZE_UNITS else 512
            number = int(arg.lstrip("+-").rstrip("bcwkMG"))
            size = int(self.inode_text("s", shown, kind))
            units = -(-size // unit)
            if arg[0] == "+":
                return units > number
            if arg[0] == "-":
                return units < number
            return units == number
        if op == "-print":
            self.ctx.term.out(shown + "\n")
            return True
        if op == "-print0":
            self.ctx.term.out(shown + "\0")
            return True
        if op == "-printf":
            self.ctx.term.out(self.printf(node.arg, shown, kind))
            return True
        if op == "-quit":
            self.quit = True
            return True
        if op == "-delete":
            return self.delete(shown, path, kind)
        if op.endswith("+"):
            node.batch.append(shown)
            if node not in self.batches:
                self.batches.append(node)
            return True
        return self.run([a.replace("{}", shown) for a in node.argv]) == 0

    def printf(self, fmt: str, shown: str, kind: str | None) -> str:
        """-printf FORMAT (print.c's do_fprintf()): the directives that need no inode
        (%f %p %h %P %d %y, %%), %l (a symbolic link's target, empty for
        anything else) and the escapes \\n \\t \\0 \\\\; no newline of its own."""
        start = getattr(self, "start", "")
        out, i = [], 0
        while i < len(fmt):
            c = fmt[i]
            nxt = fmt[i + 1] if i + 1 < len(fmt) else ""
            if c == "\\" and nxt:
                out.append({"n": "\n", "t": "\t", "0": "\0", "\\": "\\",
                            "a": "\a", "r": "\r"}.get(nxt, "\\" + nxt))
                i += 2
                continue
            if c == "%" and nxt:
                # a directive's flags, width and precision (`%-12f`, `%5y`, `%.3f`):
                # print.c's make_segment() keeps them for the value's own printf
                spec = re.match(r"[-+ #0]*\d*(?:\.\d*)?", fmt[i + 1:]).group(0)
                letter = fmt[i + 1 + len(spec):i + 2 + len(spec)]
                if spec and letter and letter != "%":
                    value = self.printf("%" + letter, shown, kind)
                    if value != "%" + letter:
                        out.append(_pad(spec, value))
                        i += 2 + len(spec)
                        continue
                trimmed = shown.rstrip("/") or "/"
                rel = shown[len(start):].lstrip("/") if shown.startswith(start) else shown
                value = {"%": "%", "p": shown,
                         # a start point's trailing slashes stay (`find br0/ -printf
                         # %f` says br0/, recorded)
                         "f": (posixpath.basename(trimmed) or "/") +
                              ("/" * (len(shown) - len(trimmed)) if trimmed != "/" else ""),
                         "h": posixpath.dirname(trimmed) if "/" in trimmed else ".",
                         "P": rel, "d": str(rel.count("/") + 1 if rel else 0),
                         "y": kind or "U",
                         "l": self.link_text(shown, kind)}.get(nxt)
                if value is None and nxt in INODE_DIRECTIVES:
                    value = self.inode_text(nxt, shown, kind)
                out.append(value if value is not None else c + nxt)
                i += 2
                continue
            out.append(c)
            i += 1
        return "".join(out)

    def inode_text(self, letter: str, shown: str, kind: str | None) -> str:
        """The lstat() directives of do_fprintf(): %s size, %m octal and %M symbolic
        mode, %n links, %k and %b 1K and 512-byte blocks, %u %g owners' names and
        %U %G their ids (root owns every file here), %Y the type a link leads to."""
        from ipemu.tools.ls_long import entry_of, filemodestring
        if letter in "ugUG":
            return "root" if letter in "ug" else "0"
        if letter == "Y":
            if kind != "l":
                return kind or "U"
            from ipemu.tools.textmore import _canonical
            where = _canonical(self.ctx, self.ctx.session.fs.resolve(
                shown, self.ctx.session.cwd), "e")
            return "N" if where is None else (self.kind(where) or "N")
        entry = entry_of(self.ctx.session, self.ctx,
                         self.ctx.session.fs.resolve(shown, self.ctx.session.cwd) +
                         ("/" if shown.endswith("/") and len(shown) > 1 else ""), shown)
        if letter == "s":
            return str(entry.size)
        if letter == "m":
            return f"{entry.mode:o}"
        if letter == "M":
            return filemodestring(entry.kind, entry.mode)
        if letter == "n":
            return str(entry.nlink)
        return str(entry.blocks if letter == "k" else entry.blocks * 2)

    def link_text(self, shown: str, kind: str | None) -> str:
        """%l: readlink(2) of a symbolic link as the walk found it (print.c's
        do_fprintf() case 'l': the empty string when the file is not a link)."""
        if kind != "l":
            return ""
        from ipemu.tools.textmore import _link
        return _link(self.ctx, shown) or ""

    def _size(self, path: str) -> int:
        if self.ctx.session.fs.is_fifo(path):
            return 0                # st_size of a pipe (and reading it would empty it)
        try:
            return len(self.ctx.session.open_text(path, self.ctx.netns))
        except OSError:
            return 0

    def delete(self, shown: str, path: str, kind: str | None) -> bool:
        fs = self.ctx.session.fs
        self.net_keys = None
        try:
            if kind == "d":
                if fs.listdir(path):
                    raise OSError(39, "Directory not empty")
                fs.remove_tree(path)
            else:
                fs.unlink(path)
        except OSError as err:
            self.ctx.term.err(f"find: cannot delete ‘{shown}’: {err.strerror}\n")
            self.status = 1
            return False
        return True

    def run(self, argv: list[str]) -> int:
        from ipemu.tools.xargs import _known, _run
        self.net_keys = None        # the command may write a sysctl or add a device
        if not _known(self.ctx, argv[0]):
            # a failed -exec ... ; is a false test; only -exec ... {} + makes find fail
            self.ctx.term.err(f"find: ‘{argv[0]}’: No such file or directory\n")
            return 127
        return _run(self.ctx, argv)

    def flush(self) -> None:
        """`-exec CMD {} +`: one command with every name, once the walk is over."""
        for node in self.batches:
            if node.batch and self.run(node.argv + node.batch) != 0:
                self.status = 1


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    follow = "P"                # the last of -H, -L, -P (find -P, the default)
    while args and args[0] in ("-H", "-L", "-P"):
        follow = args.pop(0)[1]
    starts = []
    while args and not (args[0].startswith("-") and len(args[0]) > 1) \
            and args[0] not in ("(", "!"):
        starts.append(args.pop(0))
    parser = _Parser(args)
    expr = parser.parse()
    for warning in parser.warnings:
        ctx.term.err(warning)
    if expr is not None and not parser.has_action:
        expr = Node("and", [expr, Node("-print")])
    finder = _Finder(ctx, expr)
    finder.follow_links = follow == "L"
    for start in starts or ["."]:
        path = ctx.session.fs.resolve(start, ctx.session.cwd)
        if start.endswith("/") and path != "/":
            path += "/"         # `find DIR/` follows DIR when it is a link
        elif follow == "H" and ctx.session.fs.is_link(path) and \
                ctx.session.fs.is_dir(path):
            path += "/"         # -H follows the start points' links
        if finder.kind(path) is None:
            ctx.term.err(f"find: ‘{start}’: No such file or directory\n")
            finder.status = 1
            continue
        finder.start = start
        finder.walk(start, path, 0, parser.maxdepth, parser.mindepth)
        if finder.quit:
            break
    finder.flush()
    return finder.status


INODE_DIRECTIVES = "smMnkbugUGY"


def _perm_bits(text: str) -> int | None:
    """-perm's mode: octal (at most 07777) or symbolic clauses from 0 (`u=r`,
    `u+w,g+w`, `a+x`: mode_compile() as parse_perm() uses it); None when invalid."""
    if re.fullmatch(r"[0-7]+", text):
        value = int(text, 8)
        return value if value <= 0o7777 else None
    bits = 0
    for clause in text.split(","):
        found = re.fullmatch(r"([ugoa]*)([-+=])([rwxst]*)", clause)
        if found is None:
            return None
        who = found.group(1) or "a"
        mask = 0
        for letter in who:
            mask |= {"u": 0o4700, "g": 0o2070, "o": 0o1007, "a": 0o7777}[letter]
        perms = 0
        for letter in found.group(3):
            perms |= {"r": 0o444, "w": 0o222, "x": 0o111, "s": 0o6000, "t": 0o1000}[letter]
        change = perms & mask
        if found.group(2) == "+":
            bits |= change
        elif found.group(2) == "-":
            bits &= ~change
        else:
            bits = (bits & ~mask) | change
    return bits


def _pad(spec: str, value: str) -> str:
    """A string directive's flags, width and precision as printf("%...s") applies
    them: `-` pads on the right, the width pads to it, `.N` cuts to N characters (the
    other flags mean nothing to %s)."""
    found = re.fullmatch(r"([-+ #0]*)(\d*)(?:\.(\d*))?", spec)
    flags, width, precision = found.group(1), found.group(2), found.group(3)
    if precision is not None:
        value = value[:int(precision or 0)]
    width_n = int(width or 0)
    return value.ljust(width_n) if "-" in flags else value.rjust(width_n)
