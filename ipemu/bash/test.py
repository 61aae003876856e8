"""`test` / `[` (bash's test.c, POSIX's rules by argument count) and `[[ ]]`
(parse.y's cond_command: operators seen before expansion, patterns, =~)."""
from __future__ import annotations

import re

from ipemu.bash.expand import match

UNARY = set("-e -f -d -r -w -x -s -L -h -b -c -p -S -t -n -z -v -o -a -g -u -k -O -G -N".split())
BINARY = {"=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot",
          "-ef"}
INT_OPS = {"-eq": lambda a, b: a == b, "-ne": lambda a, b: a != b, "-lt": lambda a, b: a < b,
           "-le": lambda a, b: a <= b, "-gt": lambda a, b: a > b, "-ge": lambda a, b: a >= b}


class TestError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CondError(TestError):
    pass


class CondRegexError(Exception):
    """An =~ pattern that does not compile: [[ ]] returns 2 (cond.c's regcomp fail)."""


class Files:
    """What the file tests ask of the session's files, and of the kernel's views as
    the shell's namespace shows them (`[ -d /sys/class/net/eth0 ]`)."""

    def __init__(self, session, netns=None):
        self.session = session
        self.netns = netns

    def _text(self, name: str) -> str | None:
        try:
            return self.session.open_text(name, self.netns)
        except OSError:
            return None

    def exists(self, name: str) -> bool:
        return self.is_dir(name) or self._program(name) or self._text(name) is not None

    @staticmethod
    def _program(name: str) -> bool:
        """One of the box's programs at its Debian path (`[ -f /sbin/ifconfig ]`)."""
        if name.startswith(("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")):
            from ipemu.bash.programs import tool_for_path
            from ipemu.tools import progfiles
            return tool_for_path(name) is not None or progfiles.is_program_file(name)
        return False

    def is_dir(self, name: str) -> bool:
        from ipemu import procfs
        path = procfs._canonical(self.session._path(name))     # /var/run -> /run
        host = self.session.host
        if path.startswith("/proc/") and path[6:7].isdigit():
            from ipemu.tools.procps import proc_pid_view
            try:
                if proc_pid_view(self.session, path) == "dir":
                    return True     # a live process's /proc/PID (`[ -e /proc/$pid ]`)
            except OSError:
                return False
        return self.session.fs.is_dir(path) or \
            procfs.is_view_dir(host, self.netns or host.init_ns, path)

    def is_link(self, name: str) -> bool:
        """-L/-h: lstat()'s S_ISLNK (`ln -s` links, /var/run, /sys/class/net/NAME)."""
        from ipemu import procfs
        path = self.session.fs.resolve(name, self.session.cwd)     # the link, not followed
        if self.session.fs.is_link(path):
            return True
        from ipemu.tools import progfiles
        if progfiles.link_target(path) is not None:
            return True             # /bin/sh -> dash, /bin -> usr/bin
        parent, _, base = path.rpartition("/")
        host = self.session.host
        return procfs.link_target(self.netns or host.init_ns,
                                  f"{procfs._canonical(parent or '/').rstrip('/')}/{base}"
                                  ) is not None and path != "/sys/class/net"

    def is_fifo(self, name: str) -> bool:
        return self.session.fs.is_fifo(self.session._path(name))

    def is_file(self, name: str) -> bool:
        if self.is_fifo(name):
            return False        # S_ISREG only (and reading would empty the pipe)
        return not self.is_dir(name) and (self._program(name) or self._text(name) is not None)

    def is_executable(self, name: str) -> bool:
        """access(X_OK) as root: a directory, a program of the box, or a file with
        an execute bit (`chmod +x`)."""
        if self.is_dir(name):
            return True
        if name.startswith(("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")):
            from ipemu.bash.programs import tool_for_path
            from ipemu.tools import progfiles
            if tool_for_path(name) is not None or progfiles.is_program_file(name):
                return True
        return self.session.fs.is_executable(self.session._path(name))

    def mode(self, name: str) -> int:
        return self.session.fs.mode(self.session._path(name))

    def size(self, name: str) -> int:
        if self.is_dir(name) or self._program(name):
            return 1
        text = self._text(name)
        return len(text) if text is not None else 0


def unary(op: str, arg: str, files: Files, interp=None) -> bool:
    if op == "-n":
        return arg != ""
    if op == "-z":
        return arg == ""
    if op in ("-e", "-a"):
        return files.exists(arg)
    if op == "-f":
        return files.is_file(arg)
    if op == "-d":
        return files.is_dir(arg)
    if op in ("-r", "-w"):
        return files.exists(arg)
    if op == "-x":
        return files.is_executable(arg)
    if op == "-s":
        # a pipe's st_size is 0, whatever it holds
        return files.exists(arg) and not files.is_fifo(arg) and files.size(arg) > 0
    if op == "-p":
        return files.is_fifo(arg)
    if op == "-v":
        if interp is None:
            return False
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\[(.+)\]", arg, re.S)
        if m:
            # test.c's unary_test() 'v': an array element (valid_array_reference())
            var = interp.state.vars.get(interp.state.deref(m.group(1)))
            if var is None:
                return False
            if m.group(2) in ("@", "*") and not var.assoc:
                return var.array is None or bool(var.array)
            # `@` is an associative array's key like any other there (AV_ATSTARKEYS)
            return interp.array_element(arg) is not None
        return interp.state.get(arg) is not None
    if op == "-o":
        return interp is not None and arg in interp.state.options
    if op == "-t":
        # isatty(fd): the descriptors the command's context has on the terminal
        # (stdin, stdout, stderr; `> /dev/tty` included), as the caller set them;
        # test.c's legal_number() reads the descriptor (blanks around, a sign)
        text = arg.strip()
        if not re.fullmatch(r"[-+]?[0-9]+", text):
            return False
        return interp is not None and int(text) in getattr(interp, "test_ttys", ())
    if op in ("-k", "-u", "-g"):      # the sticky, set-user-ID and set-group-ID bits
        bit = {"-k": 0o1000, "-u": 0o4000, "-g": 0o2000}[op]
        return files.exists(arg) and bool(files.mode(arg) & bit)
    if op in ("-L", "-h"):
        return files.is_link(arg)
    return False      # -b -c -S: no such files here


def integer(text: str, where: str) -> int:
    stripped = text.strip()
    if re.fullmatch(r"[-+]?[0-9]+", stripped):
        return int(stripped)
    raise TestError(f"{where}{text}: integer expression expected")


def binary(op: str, a: str, b: str, where: str) -> bool:
    if op in ("=", "=="):
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op in INT_OPS:
        return INT_OPS[op](integer(a, where), integer(b, where))
    return False        # -nt -ot -ef: files have no times here


# ------------------------------------------------------------------ test / [
def run_test(argv: list[str], files: Files, interp=None) -> int:
    """The status of `test ARGS` / `[ ARGS ]` (TestError: bash's message)."""
    name = argv[0]
    args = argv[1:]
    where = f"{name}: "
    if name == "[":
        if not args or args[-1] != "]":
            # dash's testcmd(): error("missing ]")
            raise TestError("[: missing ]" if interp is not None and interp.state.dash
                            else "[: missing `]'")
        args = args[:-1]
    if interp is not None and interp.state.dash:
        # dash's own test (src/bltin/test.c): it knows no `==` (an operand, so
        # `[: a: unexpected operator`), its numbers are atomax10()'s
        return _DashTest(args, files, where, interp).run()
    return 0 if _posix(args, files, where, interp) else 1


# dash's src/bltin/test.c ops[]: the unary, binary and boolean operators (no `==`,
# `-v`, `-N`, `-a` as a file test)
_DASH_UNOP = {"-r", "-w", "-x", "-e", "-f", "-d", "-c", "-b", "-p", "-u", "-g", "-k", "-s",
              "-t", "-z", "-n", "-h", "-O", "-G", "-L", "-S"}
_DASH_BINOP = {"=", "!=", "<", ">", "-eq", "-ne", "-ge", "-gt", "-le", "-lt", "-nt", "-ot",
               "-ef"}
_DASH_OTHER = {"!": "UNOT", "-a": "BAND", "-o": "BOR", "(": "LPAREN", ")": "RPAREN"}


def dash_number(text: str, where: str) -> int:
    """mystring.c's atomax10(): strtoimax() in base 10 (blanks before, a sign),
    blanks after; no digits, anything else after them, or out of range is
    badnum(): `Illegal number: TEXT`."""
    m = re.fullmatch(r"\s*([-+]?[0-9]+)\s*", text)
    if m is None or not -2 ** 63 <= int(m.group(1)) < 2 ** 63:
        raise TestError(f"{where}Illegal number: {text}")
    return int(m.group(1))


class _DashTest:
    """testcmd() with its oexpr()/aexpr()/nexpr()/primary()/binop() over t_wp, an
    index into the words (None past their end)."""

    def __init__(self, args, files, where, interp):
        self.w = list(args)
        self.files = files
        self.where = where
        self.interp = interp
        self.op = None          # t_wp_op: (kind, text) of the word t_lex() read last
        self.wp = 0

    def _word(self, i):
        return self.w[i] if 0 <= i < len(self.w) else None

    @staticmethod
    def _getop(s):
        if s in _DASH_UNOP:
            return ("UNOP", s)
        if s in _DASH_BINOP:
            return ("BINOP", s)
        if s in _DASH_OTHER:
            return (_DASH_OTHER[s], s)
        return None

    def _lex(self, i) -> str:
        s = self._word(i)
        if s is None:
            self.op = None
            return "EOI"
        op = self._getop(s)
        if op and not (op[0] == "UNOP" and self._isoperand(i)) and \
                not (op[0] == "LPAREN" and self._word(i + 1) is None):
            self.op = op
            return op[0] if op[0] not in ("UNOP", "BINOP") else s
        self.op = None
        return "OPERAND"

    def _isoperand(self, i) -> bool:
        s = self._word(i + 1)
        if s is None:
            return True
        if self._word(i + 2) is None:
            return False
        op = self._getop(s)
        return op is not None and op[0] == "BINOP"

    def _syntax(self, op, msg):
        raise TestError(f"{self.where}{op + ': ' if op else ''}{msg}")

    def run(self) -> int:
        res = 1
        while True:
            argc = len(self.w)
            if argc < 1:
                return res
            n = None
            if argc == 3:
                op = self._getop(self.w[1])
                if op and op[0] == "BINOP":
                    n = "OPERAND"
            if n is None and argc in (3, 4):
                if self.w[0] == "(" and self.w[-1] == ")":
                    self.w = self.w[1:-1]
                elif self.w[0] == "!":
                    res = 0
                    self.w = self.w[1:]
                    continue            # recheck
            break
        if n is None:
            n = self._lex(0)
        self.wp = 0
        res ^= self._oexpr(n)
        if self._word(self.wp) is not None and self._word(self.wp + 1) is not None:
            self._syntax(self.w[self.wp], "unexpected operator")
        return res

    def _oexpr(self, n) -> int:
        res = 0
        while True:
            res |= self._aexpr(n)
            n = self._lex(self.wp + 1)
            if n != "BOR":
                return res
            self.wp += 2
            n = self._lex(self.wp)

    def _aexpr(self, n) -> int:
        res = 1
        while True:
            if not self._nexpr(n):
                res = 0
            n = self._lex(self.wp + 1)
            if n != "BAND":
                return res
            self.wp += 2
            n = self._lex(self.wp)

    def _nexpr(self, n) -> int:
        if n != "UNOT":
            return self._primary(n)
        n = self._lex(self.wp + 1)
        if n != "EOI":
            self.wp += 1
        return 0 if self._nexpr(n) else 1

    def _primary(self, n) -> int:
        if n == "EOI":
            return 0            # missing expression
        if n == "LPAREN":
            self.wp += 1
            nn = self._lex(self.wp)
            if nn == "RPAREN":
                return 0
            res = self._oexpr(nn)
            self.wp += 1
            if self._lex(self.wp) != "RPAREN":
                self._syntax(None, "closing paren expected")
            return res
        if self.op and self.op[0] == "UNOP":
            text = self.op[1]
            self.wp += 1
            arg = self._word(self.wp)
            if arg is None:
                self._syntax(text, "argument expected")
            if text == "-t":
                dash_number(arg, self.where)
            return int(unary({"-h": "-L"}.get(text, text), arg, self.files, self.interp))
        self._lex(self.wp + 1)
        if self.op and self.op[0] == "BINOP":
            return self._binop()
        return int(len(self.w[self.wp]) > 0)

    def _binop(self) -> int:
        a = self.w[self.wp]
        self.wp += 1
        self._lex(self.wp)
        op = self.op[1]
        self.wp += 1
        b = self._word(self.wp)
        if b is None:
            self._syntax(op, "argument expected")
        if op in INT_OPS:
            return int(INT_OPS[op](dash_number(a, self.where), dash_number(b, self.where)))
        return int(binary(op, a, b, self.where))


def _posix(args: list[str], files: Files, where: str, interp) -> bool:
    n = len(args)
    if n == 0:
        return False
    if n == 1:
        return args[0] != ""
    if n == 2:
        if args[0] == "!":
            return args[1] == ""
        if args[0] in UNARY:
            return unary(args[0], args[1], files, interp)
        raise TestError(f"{where}{args[0]}: unary operator expected")
    if n == 3:
        if args[1] in BINARY:
            return binary(args[1], args[0], args[2], where)
        if args[1] in ("-a", "-o"):
            left, right = args[0] != "", args[2] != ""
            return left and right if args[1] == "-a" else left or right
        if args[0] == "!":
            return not _posix(args[1:], files, where, interp)
        if args[0] == "(" and args[2] == ")":
            return args[1] != ""
        raise TestError(f"{where}{args[1]}: binary operator expected")
    if n == 4:
        if args[0] == "!":
            return not _posix(args[1:], files, where, interp)
        if args[0] == "(" and args[3] == ")":
            return _posix(args[1:3], files, where, interp)
    return _Expr(args, files, where, interp).parse()


class _Expr:
    """More than four arguments: -o, -a, !, ( ) by precedence."""

    def __init__(self, args, files, where, interp):
        self.args = args
        self.i = 0
        self.files = files
        self.where = where
        self.interp = interp

    def parse(self) -> bool:
        value = self._or()
        if self.i < len(self.args):
            raise TestError(f"{self.where}too many arguments")
        return value

    def _peek(self):
        return self.args[self.i] if self.i < len(self.args) else None

    def _or(self) -> bool:
        value = self._and()
        while self._peek() == "-o":
            self.i += 1
            right = self._and()
            value = value or right
        return value

    def _and(self) -> bool:
        value = self._not()
        while self._peek() == "-a":
            self.i += 1
            right = self._not()
            value = value and right
        return value

    def _not(self) -> bool:
        if self._peek() == "!":
            self.i += 1
            return not self._not()
        return self._primary()

    def _primary(self) -> bool:
        tok = self._peek()
        if tok is None:
            raise TestError(f"{self.where}argument expected")
        if tok == "(":
            self.i += 1
            value = self._or()
            if self._peek() != ")":
                raise TestError(f"{self.where}`)' expected")
            self.i += 1
            return value
        if tok in UNARY and self.i + 1 < len(self.args):
            self.i += 2
            return unary(tok, self.args[self.i - 1], self.files, self.interp)
        if self.i + 2 < len(self.args) + 0 and self.args[self.i + 1] in BINARY:
            a, op, b = self.args[self.i:self.i + 3]
            self.i += 3
            return binary(op, a, b, self.where)
        self.i += 1
        return tok != ""


# ------------------------------------------------------------------- [[ ]]
def evaluate_cond(interp, words: list[str], ctx):
    """The status of `[[ WORDS ]]`: operators are the unquoted words as written."""
    parser = _Cond(interp, words)
    value = yield from parser.parse()
    return 0 if value else 1


class _Cond:
    def __init__(self, interp, words):
        self.interp = interp
        self.words = words
        self.i = 0
        self.files = Files(interp.session, _netns(interp))
        # the term being parsed has an odd number of `!` before it: bash's
        # CMD_INVERT_RETURN on the cond node, which xtrace shows as `[[ ! ... ]]`
        self.inverted = False

    def _peek(self):
        return self.words[self.i] if self.i < len(self.words) else None

    def parse(self):
        if not self.words:
            raise CondError("syntax error in conditional expression")
        value = yield from self._or()
        if self.i < len(self.words):
            raise CondError(f"syntax error in conditional expression: unexpected token "
                            f"`{self.words[self.i]}'")
        return value

    def _or(self, evaluate: bool = True):
        value = yield from self._and(evaluate)
        while self._peek() == "||":
            self.i += 1
            # the right side of a decided || is parsed, not evaluated
            right = yield from self._and(evaluate and not value)
            value = value or right
        return value

    def _and(self, evaluate: bool = True):
        value = yield from self._not(evaluate)
        while self._peek() == "&&":
            self.i += 1
            right = yield from self._not(evaluate and value)
            value = value and right
        return value

    def _not(self, evaluate: bool):
        if self._peek() == "!":
            self.i += 1
            outer, self.inverted = self.inverted, not self.inverted
            try:
                value = yield from self._not(evaluate)
            finally:
                self.inverted = outer
            return not value
        return (yield from self._primary(evaluate))

    def _word(self, raw: str, evaluate: bool):
        if not evaluate:
            return ""
        return (yield from self.interp.expand_string(raw))

    def _primary(self, evaluate: bool):
        tok = self._peek()
        if tok is None:
            raise CondError("syntax error in conditional expression")
        if tok == "(":
            self.i += 1
            outer, self.inverted = self.inverted, False    # a group's `!` is not traced
            try:
                value = yield from self._or(evaluate)
            finally:
                self.inverted = outer
            if self._peek() != ")":
                raise CondError("syntax error in conditional expression")
            self.i += 1
            return value
        if tok in UNARY and self.i + 1 < len(self.words) and \
                self.words[self.i + 1] not in ("&&", "||", ")"):
            self.i += 2
            arg = yield from self._word(self.words[self.i - 1], evaluate)
            if evaluate:
                self._trace([tok, _q(arg)])
            return evaluate and unary(tok, arg, self.files, self.interp)
        left_raw = tok
        self.i += 1
        op = self._peek()
        if op in BINARY or op == "=~":
            self.i += 1
            if self.i >= len(self.words):
                raise CondError(f"unexpected argument `newline' to conditional binary "
                                f"operator")
            right_raw = self.words[self.i]
            self.i += 1
            if not evaluate:
                return False
            left = yield from self.interp.expand_string(left_raw)
            if op == "=~":
                return (yield from self._regex(left, right_raw))
            # each operand is expanded once (cond_expand_word()): a `$(( n >>= 1 ))`
            # or `$(( i++ ))` there moves its variable once
            if op in ("=", "==", "!="):
                # bash 5.2 matches [[ == ]] patterns as if extglob were on
                regex, shown = yield from self.interp.expand_pattern_shown(right_raw,
                                                                           extglob=True)
                self._trace([_q(left), op, shown])
                hit = match(regex, left,
                            "shopt:nocasematch" in self.interp.state.options)
                return hit if op != "!=" else not hit
            right = yield from self.interp.expand_string(right_raw)
            self._trace([_q(left), op, _q(right)])
            if op in INT_OPS:
                return INT_OPS[op](self.interp.arith(left), self.interp.arith(right))
            return binary(op, left, right, "")
        value = yield from self._word(left_raw, evaluate)
        if evaluate:
            self._trace(["-n", _q(value)])
        return value != ""

    def _trace(self, words: list[str]) -> None:
        """set -x shows each primary of [[ ]] as it is tested (operands expanded,
        the pattern as written)."""
        self.interp.trace(self.interp.cur_ctx, ["[["] + ["!"] * self.inverted + words + ["]]"],
                          raw=True)

    def _regex(self, left: str, raw: str):
        """`=~`: the pattern expanded, its quoted parts matching themselves, traced
        as expanded (regex-special quoted characters after a backslash:
        quote_string_for_globbing(QGLOB_REGEXP)), then a POSIX ERE search."""
        from ipemu.bash import words as W
        pieces, shown = [], []
        for part in W.parse(raw):
            if isinstance(part, W.Lit):
                text = part.text
            else:
                text = yield from self.interp.expand_string(_source(part))
            pieces.append(re.escape(text) if part.quoted else text)
            shown.append("".join("\\" + c if c in REGEX_SPECIAL else c for c in text)
                         if part.quoted else text)
        self._trace([_q(left), "=~", "".join(shown)])
        from ipemu.tools import posixre
        try:
            # sh_regmatch(): regcomp(REG_EXTENDED), a POSIX ERE as glibc reads it
            found = posixre.compile("".join(pieces), True,
                                    "shopt:nocasematch" in self.interp.state.options
                                    ).search(left)
        except posixre.RegexError:
            raise CondRegexError() from None
        groups = [found.group(0)] + [g or "" for g in found.groups()] if found else []
        self.interp.state.set_array("BASH_REMATCH", groups)
        return found is not None


# the characters a quoted part of an =~ pattern shows after a backslash
REGEX_SPECIAL = set("^$.[]|()*+?{}\\")


def _q(word: str) -> str:
    """How set -x shows an operand of [[ ]]: as it is, an empty one as ''."""
    return word if word else "''"


def _source(part) -> str:
    from ipemu.bash import words as W
    if isinstance(part, W.Param):
        return "${" + part.text[1:-1] + "}" if part.text else "$" + part.name
    if isinstance(part, W.CmdSub):
        return f"$({part.source})"
    return f"$(({part.expr}))"


def _netns(interp):
    """The namespace the shell runs in (`ip netns exec NS bash`)."""
    ctx = getattr(interp, "cur_ctx", None)
    return ctx.netns if ctx is not None else None
