"""The shell language run as bash runs it (execute_cmd.c): lists, and-or lists,
pipelines, compound commands, functions, redirections, `set -e/-u/-x/-o pipefail`.

Everything runs as steps: a generator that yields `Waiting(proc)` wherever the shell
waits for a process, so virtual time (`Session.run_line`) and the live shell
(`start_line`/`poll`/`interrupt`) drive the same code, a loop included: a `for` whose
body runs `ping` lets the live driver poll between iterations, and Ctrl-C reaches
the foreground command.
"""
from __future__ import annotations

import errno
import os

import re

from ipemu.bash import ast
from ipemu.bash.expand import Expander, ExpansionError, match
from ipemu.bash.parser import _EXTGLOB_WORD, ShellSyntaxError, chunks
from ipemu.bash.cond_syntax import CondSyntaxError
from ipemu.bash.state import ChildShell, ShellState, Var
from ipemu.bash.stdin_readers import program_operand, reads_stdin
from ipemu.errors import CommandError
from ipemu.output import encode
from ipemu.plainclass import dataclass, field
from ipemu.process import Process
from ipemu.tools.context import RedirectTerminal, Terminal

# tools that read their standard input: others leave it to the next reader (a
# `while read` loop's input is not eaten by the `ip` in its body)
SAFE_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
# a loop that never lets time pass (Interp._spin): turns between the live shell's
# looks at the terminal, and turns after which a virtual-time run ends it
SPIN_BATCH = 10_000
SPIN_LIMIT = 100_000
SIGINT_ = 2
SIGHUP_ = 1


# ------------------------------------------------------------------ control flow
# `compgen -b` of bash 5.2: what runs inside the shell, with no program started
# bash's builtins dash does not have: there the names are looked up in PATH
# (`source: not found`, 127)
DASH_LACKS = frozenset("source declare typeset shopt let mapfile readarray pushd popd "
                       "dirs disown caller compgen complete compopt enable help history "
                       "bind suspend logout builtin".split())

# the builtins that work on the shell's job table
JOB_BUILTINS = frozenset(("jobs", "kill", "wait", "disown", "fg", "bg"))

_TEMP_ENV = " temp_env"    # _push_env()'s key for the temporary names it replaced
# bash's `set -o` option names (flags.c's o_options)
SET_O_NAMES = frozenset((
    "allexport", "braceexpand", "emacs", "errexit", "errtrace", "functrace", "hashall",
    "histexpand", "history", "ignoreeof", "interactive-comments", "keyword", "monitor",
    "noclobber", "noexec", "noglob", "nolog", "notify", "nounset", "onecmd", "physical",
    "pipefail", "posix", "privileged", "verbose", "vi", "xtrace"))
BASH_BUILTIN_NAMES = frozenset(
    ". : [ alias bg bind break builtin caller cd command compgen complete compopt continue "
    "declare dirs disown echo enable eval exec exit export false fc fg getopts hash help "
    "history jobs kill let local logout mapfile popd printf pushd pwd read readarray "
    "readonly return set shift shopt source suspend test times trap true type typeset "
    "ulimit umask unalias unset wait".split())

class LoopControl(Exception):
    def __init__(self, kind: str, count: int):
        super().__init__(kind)
        self.kind = kind
        self.count = count


class ReturnSignal(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class ExitSignal(Exception):
    """`exit`, `set -e`, or an error that ends a non-interactive shell."""

    signum = 0          # a signal the shell itself dies of (`kill -9 $$`)

    def __init__(self, status: int, expansion: bool = False):
        super().__init__(status)
        self.status = status
        # a failed expansion ends a subshell with 1 where the shell itself gives 127
        # (`(set -u; echo $x)` is 1, `set -u; echo $x` is 127)
        self.expansion = expansion


class DiscardLine(Exception):
    """A failed expansion or assignment: bash drops the rest of the command line it
    was running (jump_to_top_level(DISCARD)) and reads on; status 1."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _socket_input(sock) -> str:
    """What a read of a /dev/udp socket gets: its pending error, else an empty input."""
    from ipemu.tools.rtnl import strerror
    from ipemu.tools.textutils import ReadErrorInput
    err = getattr(sock, "err", 0)
    if err:
        sock.err = 0
        return ReadErrorInput(strerror(err))
    return ""


@dataclass
class Input:
    """A standard input (a pipe, a file, a here-document) consumed as it is read."""

    text: str
    pos: int = 0
    seekable: bool = False      # a regular file (`< FILE`): a reader may lseek() back

    def read_all(self) -> str:
        from ipemu.tools.textutils import DirectoryInput
        if isinstance(self.text, DirectoryInput):
            return self.text
        rest = self.text[self.pos:]
        self.pos = len(self.text)
        return rest

    def peek_all(self) -> str:
        from ipemu.tools.textutils import DirectoryInput
        if isinstance(self.text, DirectoryInput):
            return self.text      # its read fails: no slice of it (a plain str)
        return self.text[self.pos:]

    def read_until(self, delim: str) -> tuple[str, bool] | None:
        """The text up to `delim` (not included) and whether it was found; None at
        the end of the input."""
        if self.pos >= len(self.text):
            return None
        end = self.text.find(delim, self.pos)
        if end < 0:
            line, self.pos = self.text[self.pos:], len(self.text)
            return line, False
        line, self.pos = self.text[self.pos:end], end + 1
        return line, True

    def read_chars(self, count: int, delim: str | None) -> tuple[str, bool] | None:
        """`read -n COUNT` (-N: `delim` None): at most COUNT characters, ending
        early at `delim` (consumed, not included); whether the read was whole."""
        if self.pos >= len(self.text):
            return None
        chunk = self.text[self.pos:self.pos + count]
        if delim is not None and delim in chunk:
            chunk = chunk[:chunk.index(delim)]
            self.pos += len(chunk) + 1
            return chunk, True
        self.pos += len(chunk)
        return chunk, len(chunk) == count


@dataclass
class Ctx:
    term: Terminal
    stdin: Input | None = None
    netns: object = None
    tty: bool = True        # stdout is the terminal (not a pipe, a file, a $( ))
    err_tty: bool = True    # stderr is the terminal (not redirected: `2>FILE`, `2>&1 |`)
    hup_ignored: bool = False   # nohup's signal(SIGHUP, SIG_IGN): inherited by exec


@dataclass
class Waiting:
    """What a running line waits for (the Session's Waiting has the same shape)."""

    proc: Process
    limit: float | None


# ------------------------------------------------------------------ redirections
@dataclass
class Dest:
    kind: str              # term, file, null, udp, tcp, proc, sysfs, in (a descriptor read from)
    where: str = ""        # the outer stream, or the file's path
    buffer: list = field(default_factory=list)
    socket: object = None
    input: object = None   # kind "in": the Input its reads consume
    netns: object = None   # kinds "proc", "sysfs": the writer's namespace
    rw: bool = False       # kind "in" opened by `<>` (O_RDWR): writes go in at its offset
    # kind "pass": a stream of a terminal further out (a command substitution's copy
    # of the shell's `exec 5>&1`), written as that terminal's `where`
    term: object = None
    fifo: str = ""         # kind "file": the named pipe it holds open for writing
    closed: bool = False   # the shell closed it (a program it started may still write)


class FdSink:
    """Where a command's stdout (fd 1) and stderr (fd 2) go, as its redirections
    (applied left to right, like dup2) left them."""

    def __init__(self, outer: Terminal, fds: dict[int, Dest], interp: "Interp"):
        self.outer = outer
        self.fds = fds
        self.interp = interp

    def write(self, stream: str, text: str) -> bool:
        dest = self.fds.get(1 if stream == "stdout" else 2)
        if dest is None or dest.kind == "null":
            return True
        if dest.kind == "term":
            self.outer.write(dest.where, text)
        elif dest.kind == "pass":
            dest.term.write(dest.where, text)
        elif dest.kind == "tty":
            # /dev/tty: the line's controlling terminal, whatever fd 1 now is
            tty = getattr(self.interp.session, "line_term", None) or self.outer
            tty.write("stdout", text)
        elif dest.kind == "file":
            try:
                self.interp.session.write_file(dest.where, encode(text), append=True)
            except OSError:
                pass
        elif dest.kind == "in" and dest.rw and dest.fifo:
            # a named pipe `<>` opened: what is written queues up behind what is
            # there, and the descriptor's own reads take it (pipe_write())
            dest.input.text += text
        elif dest.kind == "in" and dest.rw:
            # a descriptor `<>` opened: the write lands at the offset its reads share
            # (over what was there, the file not truncated)
            source = dest.input
            at = source.pos
            source.text = source.text[:at] + text + source.text[at + len(text):]
            source.pos = at + len(text)
            try:
                self.interp.session.write_file(dest.where, encode(source.text))
            except OSError:
                pass
        else:
            dest.buffer.append(text)
        return True


# programs whose output is other programs' (a shell's builtins write at once, each of
# xargs' or watch's commands flushes its own buffer at its exit)
# (and those that exec one: its own stdio is the one that counts)
_OWN_STDIO = frozenset(("bash", "sh", "dash", "xargs", "watch", "timeout", "env", "nsenter",
                        "unshare", "sudo", "su", "taskset", "nohup", "stdbuf", "time",
                        "command", "exec", "make",
                        # (tools34: nice, setsid and flock exec one; dd write(2)s its blocks)
                        "nice", "setsid", "flock", "dd",
                        # (tools35: fuser fflush()es its PIDs between its stderr texts)
                        "fuser"))


def _buffers_stdout(argv: list[str]) -> bool:
    """Whether the program's own stdio holds its stdout (StdioBuffer): not bash's
    builtins, not the programs that run others (`ip netns exec` among them)."""
    name = argv[0]
    if name in BASH_BUILTIN_NAMES or name in _OWN_STDIO:
        return False
    return not (name == "ip" and "exec" in argv[1:])


class StdioBuffer:
    """A C program's stdout when it is not a terminal (a pipe, a file, $( )): stdio
    buffers it fully (glibc: a block of st_blksize, 4096 bytes, written when full and
    at exit) while stderr is unbuffered, so what a program writes on stderr comes out
    ahead of its buffered stdout (`route --help | head`, `cmd 2>&1 | tail`). Held
    while a program runs at once; a program that goes on in time (a Process) gets its
    stream back when it starts, as before (tcpdump's capture keeps its own: Capture.stdio,
    ping its PING line: PingProcess._hold())."""

    BLOCK = 4096

    def __init__(self, term: Terminal):
        self.term = term
        self.inner = term.sink
        self.pending: list[str] = []
        self.size = 0

    @classmethod
    def install(cls, term: Terminal) -> "StdioBuffer":
        held = cls(term)
        term.sink = held
        return held

    def write(self, stream: str, text: str) -> bool:
        if stream != "stdout":
            return self.inner is not None and self.inner.write(stream, text)
        self.pending.append(text)
        self.size += len(text)
        if self.size >= self.BLOCK:     # a full buffer is written out, whole blocks
            data = "".join(self.pending)
            cut = len(data) - len(data) % self.BLOCK
            self.pending, self.size = [data[cut:]], len(data) - cut
            self._pass(data[:cut])
        return True

    def _pass(self, text: str) -> None:
        if text and (self.inner is None or not self.inner.write("stdout", text)):
            self.term.chunks.append(("stdout", text))

    def fflush(self) -> None:
        """fflush(stdout): what is held written now; the stream stays buffered."""
        self._pass("".join(self.pending))
        self.pending, self.size = [], 0

    def release(self) -> None:
        """exit()'s flush: the stream back to its sink, what was held written."""
        self.term.sink = self.inner
        self._pass("".join(self.pending))
        self.pending, self.size = [], 0

    def __getattr__(self, name):
        # interrupted(), writer_status() ... of the sink underneath
        return getattr(self.inner, name)


class Interp(Expander):
    """Runs shell text for one shell (a Session, or a `bash -c` child of one)."""

    def __init__(self, session, state: ShellState, last_status: int = 0,
                 interactive: bool = True):
        self.session = session
        self.state = state
        self.last_status = last_status
        self.interactive = interactive
        self.cond_depth = 0        # inside a condition: `set -e` does not apply
        self.running_traps: set[str] = set()   # a trap does not run inside itself
        self.declared_arrays: dict = {}   # declare NAME=(...): the words, expanded
        self.decl_trace = None            # (its xtrace lines, the argv shown after)
        self.subst_status: int | None = None
        self.source_depth = 0
        self.subst_level = 0       # nesting of $( ): set -x repeats PS4's first char
        self.tcp_socks: list = []  # /dev/tcp sockets open (closed at the shell's exit)
        # eval, source and a trap's action (not EXIT's) are read as new input
        # (parse_and_execute()): their traces take one more PS4 character
        self.indirection = 0
        # a `bash -c` string (or a recorder's line): its last simple command is exec'd
        # in the shell's place (should_suppress_fork(), can_optimize_connection())
        self.c_string = False
        self.exec_tail: ast.Simple | None = None
        self.exec_pending = False
        self.cur_ctx: Ctx | None = None   # where a $( )'s stderr goes
        self.arith_failed = False  # the last (( )) was an error, not a zero
        self.procsubs: list[str] = []    # /dev/fd files of <( ) until the command ends
        # >(LIST): its file -> (LIST, the output it writes to, namespace, tty); LIST runs
        # on what was written there when the file is closed (ready_outsubs)
        self.out_procsubs: dict = {}
        self.ready_outsubs: list = []
        self.children: list[Process] = []   # a script's background lists
        # a background list's shell: the traps it was forked with, a trapped signal
        # its process got (take_signal()), whether it is in `wait`
        self.inherited_traps: dict[str, str] | None = None
        self.bg_signal = 0
        self.in_wait = False
        self.script_jobs: list = []          # and their job table (session.Job)
        self.bash_command = ""     # $BASH_COMMAND
        self.inherited_err: list = []   # each subshell's ERR trap as it came from its parent
        self.inherited_debug: list = []     # and its DEBUG trap (None: a pipeline's command)
        self.spin_at = -1.0        # _spin(): the instant the loop turns were counted at
        self.spins = 0

    # -------------------------------------------------------------- messages
    def prefix(self) -> str:
        """How bash starts an error message: `bash: ` at a prompt, `bash: line N: `
        under `bash -c`, `NAME: line N: ` in a script."""
        state = self.state
        if state.dash:
            return f"{state.arg0}: {state.lineno}: "
        if state.funcsources:
            # bash names where the function was defined; a function of `-c` text
            # (or of a line typed here, read the same way) is from "environment"
            return f"{state.funcsources[-1] or 'environment'}: line {state.lineno}: "
        if state.script is None:
            if self._bash_c():
                # error_prolog(): a non-interactive shell names the line, `bash -c`
                # text's first too (the recorders run each line so)
                return f"bash: line {max(state.lineno, 1)}: "
            # a prompt: bash's interactive form; a construct over several lines
            # still numbers its later lines
            return "bash: " if state.lineno <= 1 else f"bash: line {state.lineno}: "
        return f"{self.error_name()}: line {state.lineno}: "

    def error_name(self) -> str:
        """get_name_for_error(): a script's name, else $0 (`bash -c '...' wget.sh`
        names its errors `wget.sh: `)."""
        if self.state.funcsources and not self.state.dash:
            return self.state.funcsources[-1] or "environment"
        return self.state.c_name or self.state.script or "bash"

    def session_is_prompt(self) -> bool:
        """The top-level shell of a prompt (not `bash -c`, a script or a subshell)."""
        return not self._bash_c() and self.state.script is None and \
            not self.state.subshell

    def _bash_c(self) -> bool:
        """The line runs as `bash -c LINE` (Session.bash_c), not at a prompt."""
        return getattr(self.session, "bash_c", False)

    def error(self, ctx: Ctx, message: str) -> None:
        ctx.term.err(self.prefix() + message + "\n")

    def _here_expansion(self, steps):
        """A here-document's or here-string's expansion: an unset word under set -u
        or ${x:?} there fails the redirection, not the shell (bash: the command is
        not run, status 1; dash: 2; both go on, recorded)."""
        try:
            return (yield from steps)
        except ExpansionError as err:
            raise CommandError(f"bash: {err.message}\n", 2 if self.state.dash else 1)

    def _command_error(self, ctx: Ctx, err: CommandError) -> None:
        message = err.message
        if message.startswith("bash: ") and (self.state.script is not None or self._bash_c()):
            # each line is its own error_prolog(): internal_error() names the line,
            # sys_error() (netopen()'s `connect: ...`) never does (error.c)
            name = self.error_name()
            prefix = self.prefix()
            # a tool that named the line itself (its ctx.prefix) keeps it so
            message = "".join(
                (f"{name}: " if line.startswith("bash: connect: ") else prefix)
                + line[len("bash: "):] if line.startswith("bash: ") and
                not line.startswith(prefix) else line
                for line in message.splitlines(keepends=True))
        ctx.term.err(message)

    # ------------------------------------------------------------ source text
    def run_source(self, text: str, ctx: Ctx, line: int = 1, top: bool = True,
                   nested: str = "", reader: bool = False):
        """Run shell text command by command, as bash reads a script or a line.
        `top`: this is the shell's own input (a failed expansion drops the rest of
        the line there), not `eval` or `source`; `nested` names the one it is
        ("eval", "source": a syntax error there is the builtin's status 2).
        `reader`: the text is the shell's input (a script, `-c`), whose lines
        `set -v` echoes as they are read, as it does those of eval and source."""
        status = self.last_status
        # set -v: shell_getc() writes each line it reads to stderr while
        # echo_input_at_read is on (input.c/parse.y), blank and comment lines too;
        # a command substitution's body is not read again when it runs
        echo = (reader or nested in ("eval", "source")) and not self.interactive
        lines_read = line - 1
        text_lines = text.split("\n") if echo else ()
        c_string = top and self.c_string
        if c_string:
            self.c_string = False       # eval, source and traps read text of their own
        try:
            # a dash shell rewrites its trees in place (_dash_amp_redirects()): fresh ones
            aliases = self._alias_table if self.state.script is not None and (
                self.state.dash or self.state.aliases or "alias" in text) else None
            for chunk, last in _with_last(chunks(text, line, cached=not self.state.dash,
                                                 extglob=self._extglob_on,
                                                 aliases=aliases),
                                          c_string,
                                          text if aliases is not None or
                                          _EXTGLOB_WORD.search(text) else None,
                                          line):
                if last:
                    self.exec_tail = _exec_tail(chunk.tree)
                self.state.read_line = chunk.end
                if echo:
                    lines_read = self._echo_read(ctx, text_lines, line, lines_read,
                                                 chunk.read or chunk.end or chunk.line)
                for lineno, warning in chunk.warnings:
                    self.state.lineno = lineno
                    self.error(ctx, warning)
                if chunk.tree is None:
                    continue
                if chunk.conds is not None and not self.state.dash:
                    raise chunk.conds       # a `[[ ]]` the parser refused
                if self.state.dash:
                    if "|&" in text:
                        at = _dash_pipe_amp_line(text, line, chunk.line,
                                                 chunk.end or chunk.line)
                        if at is not None:
                            # dash reads `|&` as `|` then `&` where a command must
                            # come (parser.c's pipeline(): synexpect(-1))
                            self._dash_syntax(ctx, self.state.script or "sh", at,
                                              '"&" unexpected')
                    if _has_herestring(chunk.tree) and not _array_first(chunk.tree, text):
                        self._dash_herestring(ctx, text, chunk.line)
                    if _has_procsub(chunk.tree):
                        self._dash_procsub(ctx, text, chunk.line)
                    tree = yield from self._dash_bash_syntax(ctx, text, chunk.tree)
                    if tree is None:
                        continue
                if "noexec" in self.state.options and not self.interactive:
                    continue    # `bash -n`, `set -n`: read, not run (execute_command())
                if not top:
                    status = yield from self.exec_clist(chunk.tree, ctx)
                    continue
                try:
                    status = yield from self.exec_clist(chunk.tree, ctx)
                except DiscardLine as discard:
                    status = self.last_status = discard.status
            if echo:
                # the lines after the last command (comments, blank ones) are read
                # on the way to the end of the input
                self._echo_read(ctx, text_lines, line, lines_read,
                                line + len(text_lines) - 1)
        except (ShellSyntaxError, CondSyntaxError) as err:
            self._syntax_error(ctx, err, text, nested)
            if nested:
                # eval and source give 2 for text they cannot parse, and the shell
                # goes on (parse_and_execute(): EX_BADUSAGE)
                self.last_status = 2
                return 2
            if isinstance(err, ShellSyntaxError) and err.status is not None:
                self.last_status = err.status
            if not self.interactive:
                # a refused [[ ]] leaves $? as it was (parser_error() sets no status)
                raise ExitSignal(self.last_status) from None
            return self.last_status
        return status

    def _echo_read(self, ctx: Ctx, text_lines, first: int, lines_read: int,
                   upto: int) -> int:
        """`set -v`: the input's lines after `lines_read` through `upto` (numbered
        from `first`), each with its newline; returns the last line read."""
        if "verbose" in self.state.options and upto > lines_read:
            shown = text_lines[lines_read - first + 1:upto - first + 1]
            if shown and upto == first + len(text_lines) - 1 and shown[-1] == "":
                shown = shown[:-1]  # the text's final newline ends the line before
            # parse_comsub() reads a $( )'s or <( )'s lines with shell_eof_token
            # set, when shell_getc() echoes nothing: a line that starts inside one
            inside = _lines_in_comsub(shown)
            shown = [piece for piece, skip in zip(shown, inside) if not skip]
            if shown:
                ctx.term.err("".join(f"{piece}\n" for piece in shown))
        return max(lines_read, upto)

    def _dash_bash_syntax(self, ctx: Ctx, text: str, tree):
        """bash's own syntax in a dash script: `NAME=(...)` and `function NAME()`
        are syntax errors at their `(` (parser.c's synexpect()); `function NAME {`
        is a command named `function` (not found) when the body is on the lines
        after it, whose `}` alone is then the syntax error. Returns the tree to
        run, or None when it was dealt with here."""
        _dash_amp_redirects(tree)
        found = _dash_bash_form(tree)
        if found is None:
            return tree
        kind, node, expecting = found
        where = self.state.script or "sh"
        if kind == "condgroup":
            what = _dash_cond_group(node.words)
            if what == "word unexpected" and expecting:
                what += f' (expecting "{expecting}")'
            self._dash_syntax(ctx, where, node.line, what)
        if kind == "arithfor":
            self._dash_syntax(ctx, where, node.line, "Bad for loop variable")
        if kind == "select":
            # dash reads `select NAME in WORDS` as a command; a newline before `do` runs
            # it first (`select: not found`), then `do` is the syntax error on its line
            lines = text.split("\n")
            at = node.line
            head = lines[at - 1] if 0 < at <= len(lines) else ""
            if not re.search(r"(^|[;\s])do(\s|$)", head):
                at = next((n for n in range(at + 1, len(lines) + 1)
                           if re.match(r"\s*do(\s|$)", lines[n - 1])), at)
                if at != node.line:
                    ctx.term.err(f"{where}: {node.line}: select: not found\n")
            self._dash_syntax(ctx, where, at, '"do" unexpected')
        if kind == "array" and not node.redirects and node.assigns and \
                DASH_FUNCTION_WORD.match(node.assigns[0]):
            # `NAME+=(`: no assignment to dash (`+` is no name's), so a word before
            # `(`, a function definition, whose `)` must come next (simplecmd())
            empty = node.assigns[0].split("(", 1)[1].strip().startswith(")")
            self._dash_syntax(ctx, where, node.line, "Bad function name" if empty else
                              'word unexpected (expecting ")")')
        if kind == "array" or node.keyword == "function()":
            # dash stops at the `(` itself: the first line of an array spread over
            # several lines (the node's line is where the command ends)
            at = node.line
            if kind == "array" and node.assigns and "\n" in node.assigns[0]:
                at = max(1, node.line - node.assigns[0].split("(", 1)[1].count("\n"))
            self._dash_syntax(ctx, where, at, '"(" unexpected' +
                              (f' (expecting "{expecting}")' if expecting else ""))
        lines = text.split("\n")
        head = lines[node.line - 1] if 0 < node.line <= len(lines) else ""
        close = next((n for n in range(node.line + 1, len(lines) + 1)
                      if lines[n - 1].strip() == "}"), None)
        if close is None or "}" in head.split("{", 1)[-1]:
            self._dash_syntax(ctx, where, node.line, '"}" unexpected')
        self.state.lineno = node.line
        ctx.term.err(f"{where}: {node.line}: function: not found\n")
        self.last_status = 127
        # a failed simple command: `#!/bin/sh -e` ends there (evaltree()'s
        # exitstatus and EV_TESTED unset), before the body's lines run
        self.check_errexit(127)
        body = node.body.body
        if isinstance(body, ast.Group):
            yield from self.exec_clist(body.body, ctx)
        self._dash_syntax(ctx, where, close, '"}" unexpected')

    def _dash_syntax(self, ctx: Ctx, where: str, line: int, what: str) -> None:
        ctx.term.err(f"{where}: {line}: Syntax error: {what}\n")
        self.last_status = 2
        raise ExitSignal(2)

    def _dash_herestring(self, ctx: Ctx, text: str, line: int) -> None:
        """dash has no `<<<`: its parser reads `<<` and then a `<` where the
        here-document's word should be (parser.c's synexpect(): `Syntax error:
        redirection unexpected`), and a syntax error ends a script with 2."""
        lines = text.split("\n")
        at = next((n for n in range(line, len(lines) + 1) if "<<<" in lines[n - 1]), line)
        where = self.state.script or "sh"
        ctx.term.err(f"{where}: {at}: Syntax error: redirection unexpected\n")
        self.last_status = 2
        raise ExitSignal(2)

    def _dash_procsub(self, ctx: Ctx, text: str, line: int) -> None:
        """dash has no `<(...)`/`>(...)`: it reads `<` or `>` as a redirection and
        then `(`, or a second redirection where the word should be (`done <
        <(cmd)`); parser.c's synexpect() names that token, and the script ends
        with 2."""
        lines = text.split("\n")
        at, what = line, '"(" unexpected'
        for n in range(line, len(lines) + 1):
            found = PROCSUB_WORD.search(lines[n - 1])
            if found:
                at = n
                if found.group(1):
                    what = "redirection unexpected"
                break
        where = self.state.script or "sh"
        ctx.term.err(f"{where}: {at}: Syntax error: {what}\n")
        self.last_status = 2
        raise ExitSignal(2)

    def _syntax_error(self, ctx: Ctx, err, text: str, nested: str = "") -> None:
        script = self.state.script
        messages = err.messages if isinstance(err, CondSyntaxError) else [err.message]
        line = getattr(err, "line", self.state.lineno)
        if script is None and not self._bash_c():
            for message in messages:
                ctx.term.err(f"bash: {message}\n")
            return
        if self.state.dash and not nested and isinstance(err, ShellSyntaxError) and \
                err.message.startswith(("unexpected EOF", "syntax error: unexpected end")):
            # dash names what it was reading when its input ended, at the line
            # where it ended (ipemu/bash/dash_eof.py)
            from ipemu.bash.dash_eof import eof_line, eof_message
            said = eof_message(text)
            if said is not None:
                ctx.term.err(f"{self.state.arg0}: {eof_line(text)}: Syntax error: {said}\n")
                return
        token = None if isinstance(err, CondSyntaxError) else \
            re.fullmatch(r"syntax error near unexpected token `([()])'", err.message)
        if self.state.dash and token and not nested:
            # dash's synexpect(-1) names the same parenthesis its own way (tokname[])
            ctx.term.err(f"{script or 'sh'}: {line}: Syntax error: \"{token.group(1)}\" "
                         f"unexpected\n")
            return
        where = "bash: -c" if script in (None, "bash") else script
        if nested == "eval":
            # parser_error(): the shell's name, then the input's ("eval")
            where = ("bash" if script in (None, "bash") else script) + ": eval"
        for message in messages:
            ctx.term.err(f"{where}: line {line}: {message}\n")
        if not isinstance(err, CondSyntaxError) and err.message.startswith("syntax error near"):
            lines = text.split("\n")
            source = lines[err.line - 1] if 0 < err.line <= len(lines) else ""
            ctx.term.err(f"{where}: line {err.line}: `{source}'\n")

    # ------------------------------------------------------------------ lists
    def exec_clist(self, clist: ast.CList, ctx: Ctx):
        status = self.last_status
        for and_or, background in clist.items:
            if background:
                self.start_background(and_or, ctx)
                status = self.last_status = 0
                continue
            status = yield from self.exec_and_or(and_or, ctx)
        return status

    def exec_and_or(self, and_or: ast.AndOr, ctx: Ctx):
        pipes = [(None, and_or.first)] + list(and_or.rest)
        status = 0
        ran_last = False
        for index, (op, pipeline) in enumerate(pipes):
            if op == "&&" and status != 0 or op == "||" and status == 0:
                continue
            final = index == len(pipes) - 1
            guarded = not final or pipeline.bang
            if guarded:
                self.cond_depth += 1
            try:
                status = yield from self.exec_pipeline(pipeline, ctx)
            finally:
                if guarded:
                    self.cond_depth -= 1
            self.last_status = status
            ran_last = final
        if ran_last and status != 0 and _runs_error_trap(pipes[-1][1]):
            # the ERR trap and set -e act after a failed simple command, ( ), (( )),
            # [[ ]] or pipeline; a group, if, case or loop that ends non-zero (its last
            # command failed where -e was ignored: `false && x`) does not end the shell
            yield from self.error_trap(status, pipes[-1][1], ctx)
            self.check_errexit(status, pipes[-1][1])
        return status

    def error_trap(self, status: int, pipeline, ctx: Ctx):
        """The ERR trap where `set -e` would act (in a function only with set -E; a
        sourced file's commands set it off: recorded)."""
        if "ERR" in self.state.traps and self.cond_depth == 0 and not pipeline.bang and \
                (not self.state.frames or "errtrace" in self.state.options) and \
                not (self.inherited_err and "errtrace" not in self.state.options and
                     self.state.traps["ERR"] is self.inherited_err[-1]):
            from ipemu.bash.traps import run_trap
            yield from run_trap(self, "ERR", ctx, status)

    def check_errexit(self, status: int, pipeline=None) -> None:
        if "errexit" in self.state.options and self.cond_depth == 0 and \
                (pipeline is None or not pipeline.bang):
            raise ExitSignal(status)

    def exec_pipeline(self, pipeline: ast.Pipeline, ctx: Ctx):
        if pipeline.timed:
            return (yield from self._timed(pipeline, ctx))
        commands = pipeline.commands
        if len(commands) == 1:
            status = yield from self.exec_command(commands[0], ctx)
        else:
            status = yield from self._pipe(commands, ctx)
        if len(commands) == 1:
            self.state.set_array("PIPESTATUS", [str(status)])
        if pipeline.bang:
            status = int(status == 0)
        self.last_status = status
        return status

    def _timed(self, pipeline: ast.Pipeline, ctx: Ctx):
        """`time PIPELINE`: bash's TIMEFORMAT default, the real time on the host's
        clock (a simulated program uses no CPU time)."""
        start = self.session.host.clock.now
        commands = list(pipeline.commands)
        posix = False
        first = commands[0] if commands else None
        if isinstance(first, ast.Simple) and first.words[:1] == ["-p"] and not first.assigns:
            # `time -p`: the parser's CMD_TIME_POSIX, POSIX_TIMEFORMAT
            posix = True
            commands[0] = ast.Simple(first.assigns, first.words[1:], first.redirects,
                                     first.line)
        untimed = ast.Pipeline(commands, pipeline.bang, pipeline.line)
        status = yield from self.exec_pipeline(untimed, ctx)
        real = self.session.host.clock.now - start
        if posix:
            fmt = "real %2R\nuser %2U\nsys %2S"
        else:
            fmt = self.state.get("TIMEFORMAT")
            if fmt is None:
                fmt = "\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS"
        if fmt:
            text = _time_format(fmt, real)
            if text is None:
                self.error(ctx, f"TIMEFORMAT: `{_bad_time_char(fmt)}': invalid format "
                                "character")
            else:
                ctx.term.err(text + "\n")
        return status

    def _pipe(self, commands: list, ctx: Ctx):
        """Each command's stdout feeds the next (each in a subshell, as bash runs a
        pipeline without lastpipe); stderr goes straight to the terminal."""
        # a stage's command is a process of the pipeline's job, not a job itself
        saved = getattr(self, "pipe_stages", ())
        self.pipe_stages = saved + tuple(commands)
        try:
            status = yield from self._pipe_stages(commands, ctx)
        finally:
            self.pipe_stages = saved
        # the stages ran in subshells; the shell set line_number itself for each as
        # it forked it (execute_simple_command()): the last one's line stays (an
        # ERR trap's $LINENO after `false | cat`, recorded)
        line = getattr(commands[-1], "line", 0)
        if line and not self.state.dash:
            self.state.lineno = line
        # so did it $BASH_COMMAND, for each simple command before it forked it
        # (execute_simple_command()): the last one's text stays (`true | false`'s ERR
        # trap sees `false`)
        simple = [c for c in commands if isinstance(c, ast.Simple)]
        if simple and not self.running_traps:
            from ipemu.bash.printer import simple_text
            self.bash_command = simple_text(simple[-1])
        self.reaped_child(ctx)
        return status

    def _pipe_stages(self, commands: list, ctx: Ctx):
        from ipemu.bash.pipe import (SIGPIPE, PipeStream, Shown, dies_of_sigpipe,
                                     filter_argv, final_terminal)
        data: Input | None = ctx.stdin
        statuses = []
        notes: list[str] = []   # what writers said of a failed write (SIGPIPE ignored)
        sizes: list[int] = []   # what each writer wrote into its pipe
        notes_of: set[int] = set()     # the stages the broken pipe ended
        shown = Shown()      # what a running stage's output showed ahead (bash/pipe.py)
        for index, command in enumerate(commands):
            last = index == len(commands) - 1
            if last:
                term = final_terminal(ctx.term, shown)
            else:
                term = PipeStream.after(self, commands[index + 1:], ctx.term, ctx.netns,
                                        shown).term
            stage = term
            extra = open_fds(ctx) if not last else {}
            if extra:
                # the shell's open descriptors (`exec 3<>...`) are every stage's too
                # (`cat <&3 | head -1`): the stage's stdout stays the pipe
                stage = RedirectTerminal(sink=FdSink(term, {1: Dest("term", "stdout"),
                                                            2: Dest("term", "stderr"),
                                                            **extra}, self))
            sub = Ctx(stage, data, ctx.netns, tty=ctx.tty and last, err_tty=ctx.err_tty)
            # the stages after this one are forked already and wait for its output
            # (ps and pgrep see them: procps.tasks())
            session = self.session
            later = session.pipe_later
            session.pipe_later = later + tuple(commands[index + 1:])
            try:
                status = yield from self._pipe_stage(command, sub, last)
            finally:
                session.pipe_later = later
            statuses.append(status)
            if not last and term.sink.interrupted():
                # Ctrl-C went to every stage: those after this one died of SIGINT
                # (bash then drops the rest of the line)
                statuses[-1] = term.sink.writer_status(status)
                statuses += [128 + 2] * (len(commands) - index - 1)
                self.state.set_array("PIPESTATUS", [str(s) for s in statuses])
                raise DiscardLine(statuses[-1])
            if not last:
                data = Input(term.stream("stdout"))
                sizes.append(len(data.peek_all().encode("utf-8", "surrogateescape")) +
                             getattr(term.sink, "dropped", 0))
                reader = filter_argv(commands[index + 1], self.state.functions)
                if status != 128 + SIGPIPE and (dies_of_sigpipe(
                        data.peek_all(), reader, getattr(term.sink, "dropped", 0)) or
                        self._grep_quits_early(reader, data.peek_all(), ctx)):
                    # a `head` after it exited with most of the output unread: the
                    # writer's next write(2) was EPIPE and SIGPIPE killed it
                    statuses[-1], said = self._epipe_status(command)
                    notes.append(said)
                    notes_of.add(index)
        # a reader that itself died of the broken pipe after it stopped reading left
        # its writer's rest unread: more than the pipe holds, and the writer dies too
        # (`seq 100000 | tr 1 x | head -1`: 141 141 0, recorded)
        for index in range(len(commands) - 2, -1, -1):
            if index + 1 in notes_of and index not in notes_of and \
                    statuses[index] != 128 + SIGPIPE and sizes[index] > CASCADE_UNREAD:
                statuses[index], said = self._epipe_status(commands[index])
                notes.insert(0, said)
                notes_of.add(index)
        # a write that failed with EPIPE came after its reader's output: the stage
        # nearest the reader first (it exited first)
        for said in reversed(notes):
            ctx.term.err(said)
        self.state.set_array("PIPESTATUS", [str(s) for s in statuses])
        if "pipefail" in self.state.options:
            return next((s for s in reversed(statuses) if s != 0), 0)
        return statuses[-1]

    def _pipe_stage(self, command, sub: Ctx, last: bool):
        if last and self._lastpipe():
            # execute_pipeline(): with lastpipe and no job control the last
            # element runs in the shell itself (`... | read v` keeps v)
            return (yield from self.exec_command(command, sub))
        return (yield from self.in_subshell(self.exec_command(command, sub),
                                            keep_debug=isinstance(command, ast.Simple),
                                            jobless=not _jobs_builtin(command)))

    def _grep_quits_early(self, argv: list[str] | None, data: str, ctx: Ctx) -> bool:
        """A `grep -q` with a match, or a `grep -m N` with N matching lines, exits
        with the rest of its input unread: more than the pipe holds beside its last
        read (GNU grep's buffer) leaves its writer to die of SIGPIPE (recorded:
        `seq 100000 | grep -q 5`, `yes | grep -m1 y`: 141 0)."""
        from ipemu.bash.pipe import PIPE_CAPACITY, _max_count
        if not argv or argv[0] != "grep":
            return False
        size = len(data.encode("utf-8", "surrogateescape"))
        if size <= GREP_READ + PIPE_CAPACITY:
            return False
        args = argv[1:]
        quiet = any(a in ("--quiet", "--silent") or
                    (a[:1] == "-" and a[1:2] != "-" and "q" in a) for a in args if a != "-")
        limit = 1 if quiet else _max_count(args)
        if limit is None or any(a[:1] == "-" and a[1:2] != "-" and set(a[1:]) & set("clLoABC")
                                for a in args):
            return False
        # where the LIMIT-th match ends: grep -n -m LIMIT on the same words
        kept = [a for a in args if not (a in ("--quiet", "--silent") or
                                        re.fullmatch(r"-m\d*", a))]
        kept = [a.replace("q", "") if a[:1] == "-" and a[1:2] != "-" else a for a in kept]
        kept = [a for a in kept if a != "-"]
        if "-m" in argv[1:]:
            at = argv[1:].index("-m")
            if at + 1 < len(argv) - 1 and argv[at + 2] in kept:
                kept.remove(argv[at + 2])
        scratch = Terminal()
        self.session._dispatch(["grep", "-n", "-m", str(limit), *kept], scratch, data,
                               ctx.netns)
        found = scratch.stream("stdout").splitlines()
        if len(found) < limit:
            return False            # it reads to the end
        line = int(found[-1].split(":", 1)[0]) if found[-1].split(":", 1)[0].isdigit() else 0
        if not line:
            return False
        end = 0
        for _ in range(line):
            end = data.find("\n", end) + 1
        consumed = len(data[:end].encode("utf-8", "surrogateescape"))
        return size > consumed + GREP_READ + PIPE_CAPACITY

    def _epipe_status(self, command) -> tuple[int, str]:
        """A program whose write met the closed pipe: SIGPIPE kills it (141), unless
        the shell ignores SIGPIPE (`trap '' PIPE`, inherited): then the write fails
        and the program says so its own way (recorded: coreutils' `seq: write error:
        Broken pipe` and yes's `yes: standard output: Broken pipe`, 1; mawk's `awk:
        write failure (Broken pipe)`, 2)."""
        from ipemu.bash.pipe import SIGPIPE, literal
        if self.state.traps.get("SIGPIPE") != "" or not isinstance(command, ast.Simple) \
                or not command.words:
            return 128 + SIGPIPE, ""
        name = (literal(command.words[0]) or "").rsplit("/", 1)[-1]
        if name == "yes":
            return 1, "yes: standard output: Broken pipe\n"
        if name in ("awk", "mawk"):
            return 2, "awk: write failure (Broken pipe)\n"
        if name in EPIPE_COREUTILS:
            from ipemu.output import write_error
            return 1, write_error(name, "Broken pipe")
        return 128 + SIGPIPE, ""

    def _lastpipe(self) -> bool:
        """shopt -s lastpipe counts only where job control is off: a script, `bash
        -c`, a subshell; never the interactive prompt itself."""
        return "shopt:lastpipe" in self.state.options and not self.state.dash and \
            not self.session_is_prompt()

    def debug_trap_armed(self) -> bool:
        """The DEBUG trap runs before this command: one is set, it is not running (it
        does run inside the other traps: run_debug_trap()'s SIG_INPROGRESS), and it is
        not a trap a subshell was forked with (without set -T)."""
        action = self.state.traps.get("DEBUG")
        return bool(action) and "DEBUG" not in self.running_traps and not (
            self.inherited_debug and action is self.inherited_debug[-1] and
            "functrace" not in self.state.options)

    def in_subshell(self, steps, keep_debug: bool = False, jobless: bool = False):
        """Run steps with a copy of the shell's state; an `exit` ends only them.
        keep_debug: a pipeline's simple command, whose DEBUG trap bash runs before
        it forks (execute_simple_command())."""
        saved = self.state
        saved_cwd = getattr(self.session, "cwd", None)
        env = getattr(self.session, "env", None)
        saved_env = dict(env) if env is not None else None     # OLDPWD: a `cd` there
        saved_depth = self.cond_depth
        self.state = saved.copy()
        self.state.subshell += 1
        if jobless:
            # without_job_control(): the parent's jobs are not this shell's
            self.state.jobs_from = self.state.subshell
        # the parent's EXIT trap is not the subshell's (reset_signal_handlers());
        # one the subshell sets runs as it exits (subshell_exit()'s run_exit_trap())
        inherited = self.state.traps.get("EXIT")
        # nor is its ERR trap without set -E (errtrace: "the ERR trap is normally not
        # inherited" by command substitutions and subshells); `trap -p` there still
        # shows it, as bash keeps the trap strings
        self.inherited_err.append(self.state.traps.get("ERR"))
        # nor its DEBUG trap without set -T (reset_signal_handlers() takes it off in
        # the child: `( cmd )` and `$(cmd)` run none)
        self.inherited_debug.append(None if keep_debug else self.state.traps.get("DEBUG"))
        # $BASH_COMMAND is the forked child's: the parent's stays what it was
        saved_command = self.bash_command
        try:
            status = yield from self.run_job(steps)
            action = self.state.traps.get("EXIT")
            if action and action is not inherited and "EXIT" not in self.running_traps:
                status = yield from self._subshell_exit_trap(action, status, ctx=None)
            return status
        finally:
            self.state = saved
            self.inherited_err.pop()
            self.inherited_debug.pop()
            self.bash_command = saved_command
            # the subshell's jobs went with it: its parent never reaps or notices them
            for job in (*self.session.jobs, *self.script_jobs):
                if job.subshell > saved.subshell:
                    job.reaped = True
            self.cond_depth = saved_depth
            if saved_cwd is not None:
                self.session.cwd = saved_cwd
            if saved_env is not None:
                self.session.env = saved_env

    def _signalled(self, signum: int, ctx, status: int = 0):
        """A signal another program sent this shell: its trap runs (with $? the
        status of what it cut short), or it dies of it (traps.py's _fatal())."""
        from ipemu.bash.traps import SIGNALS as NAMES, _deliver, _fatal
        if not 1 <= signum <= len(NAMES):
            return
        name = "SIG" + NAMES[signum - 1]
        if name in self.state.traps:
            yield from _deliver(self, name, ctx, status)
        else:
            _fatal(self, name)

    def _subshell_exit_trap(self, action: str, status: int, ctx):
        """Run a subshell's own EXIT trap (_exit_trap())."""
        return (yield from self._exit_trap(action, status, ctx or self.cur_ctx, top=False))

    def _exit_trap(self, action: str, status: int, ctx, top: bool = True):
        """Run the EXIT trap with $? the status it ends with; an `exit` there wins.
        $BASH_COMMAND stays the last command."""
        self.last_status = status
        self.running_traps.add("EXIT")
        try:
            yield from self.run_source(action, ctx, top=top)
        except ExitSignal as signal:
            status = signal.status
        except (LoopControl, ReturnSignal, DiscardLine):
            pass
        finally:
            self.running_traps.discard("EXIT")
        return status

    def forked(self, make_steps):
        """A background list's steps in a copy of the shell's state taken now, at the
        fork (`for i in 1 2; do (echo $i) & done` sees each $i): the copy is the
        shell's state only while the job runs, the parent's in between, as the two
        processes have their own."""
        state = self.state.copy()
        state.subshell += 1
        state.jobs_from = state.subshell     # without_job_control() in the child
        own = {"state": state, "cwd": getattr(self.session, "cwd", None),
               "env": dict(getattr(self.session, "env", None) or {}), "depth": 0}
        swap = self._swap

        def steps():
            swap(own)
            try:
                inner = self.run_job(make_steps())
            finally:
                swap(own)
            value = None
            try:
                while True:
                    swap(own)
                    try:
                        waiting = inner.send(value)
                    except StopIteration as stop:
                        return stop.value
                    finally:
                        swap(own)
                    value = yield waiting
            finally:
                # a job killed while it waits: its steps unwind (in_subshell()'s
                # `self.state = saved`) in its own state, not the parent's
                swap(own)
                try:
                    inner.close()
                finally:
                    swap(own)
        return steps()

    def _swap(self, other: dict) -> None:
        """Exchange the running shell's state (variables, cwd, environment) with
        `other`'s."""
        session = self.session
        other["state"], self.state = self.state, other["state"]
        other["depth"], self.cond_depth = self.cond_depth, other["depth"]
        if other["cwd"] is not None and hasattr(session, "cwd"):
            other["cwd"], session.cwd = session.cwd, other["cwd"]
        if getattr(session, "env", None) is not None:
            other["env"], session.env = session.env, other["env"]

    def run_job(self, steps):
        """A shell's steps to their end (a subshell's, a background list's): its
        `exit` ends only them."""
        try:
            return (yield from steps)
        except ExitSignal as signal:
            return 1 if signal.expansion else signal.status
        except DiscardLine as discard:
            return discard.status
        except ReturnSignal as ret:
            # `f() ( return 1 )`: the subshell ends with return's status (recorded:
            # `f || echo A` prints A), not with the last command's before it
            return ret.status
        except LoopControl:
            return self.last_status

    # --------------------------------------------------------------- commands
    def exec_command(self, node, ctx: Ctx):
        self.cur_ctx = ctx
        if isinstance(node, ast.Simple):
            return (yield from self.exec_simple(node, ctx))
        if isinstance(node, ast.Coproc):
            return (yield from self.exec_coproc(node, ctx))
        if isinstance(node, ast.FunctionDef):
            script = self.state.script
            self.state.functions[node.name] = ast.FunctionDef(
                node.name, node.body, node.line, None if script in (None, "bash") else script)
            return 0
        if node.line:
            self.state.lineno = node.line
        if isinstance(node.body, (ast.Subshell, ast.ArithCmd, ast.Cond)) and \
                not self.running_traps:
            # execute_command_internal() sets the_printed_command_except_trap for a
            # ( ) subshell, (( )) and [[ ]] as print_cmd.c prints them back
            self.bash_command = _printed_command(node)
        mark = len(self.procsubs)
        try:
            if node.redirects and self.state.read_line and not self.state.dash:
                # bash does a compound command's redirections at its global
                # line_number: the end of the command read, or the line of the
                # for/case/function it runs in (execute_command_internal())
                self.state.lineno = self.state.read_line
            inner, closer = yield from self.open_redirects(node.redirects, ctx)
        except CommandError as err:
            self._command_error(ctx, err)
            return err.status if self.state.dash else 1   # dash: 2
        except ExpansionError as err:
            # an unset word under set -u or ${x:?} in a compound command's redirection
            # (`while read ...; done < "$file"`): as a simple command's (recorded:
            # the script's shell exits, status 1)
            if isinstance(node.body, ast.Subshell) and not self.state.dash:
                # execute_in_subshell(): bash forks first and does a ( )'s
                # redirections in the child, whose error ends the child alone (1);
                # dash's does them in the shell, which exits (recorded)
                self.error(ctx, err.message)
                self.last_status = 1
                return 1
            return self.expansion_failed(ctx, err)
        if node.line:
            self.state.lineno = node.line
        try:
            status = yield from self.exec_compound(node.body, inner)
        finally:
            closer()
            self.release_process_substitutions(mark)
        if self.ready_outsubs:
            yield from self.run_output_substitutions()
        return status

    def exec_compound(self, body, ctx: Ctx):
        kind = type(body).__name__
        return (yield from getattr(self, "_exec_" + kind)(body, ctx))

    def _exec_Group(self, body: ast.Group, ctx: Ctx):
        return (yield from self.exec_clist(body.body, ctx))

    def _exec_Subshell(self, body: ast.Subshell, ctx: Ctx):
        # its own context: an `exec >FILE` inside stays inside
        inner = Ctx(ctx.term, ctx.stdin, ctx.netns, ctx.tty)
        # execute_in_subshell(): its last simple command is exec'd in the subshell's
        # place (CMD_NO_FORK): SHLVL one less for it
        saved, self.subshell_tail = getattr(self, "subshell_tail", None), _exec_tail(body.body)
        try:
            status = yield from self.in_subshell(self.exec_clist(body.body, inner),
                                                 jobless=True)
        finally:
            self.subshell_tail = saved
        if not (self.exec_pending or getattr(self, "nofork_pending", False)):
            self.reaped_child(ctx)
        if body.end_line and not self.state.dash:
            # the command's line is where the parser made it, at its `)` (an ERR
            # trap's $LINENO after a ( ) of several lines)
            self.state.lineno = body.end_line
        return status

    def _condition(self, clist: ast.CList, ctx: Ctx):
        self.cond_depth += 1
        try:
            return (yield from self.exec_clist(clist, ctx))
        finally:
            self.cond_depth -= 1

    def _exec_If(self, body: ast.If, ctx: Ctx):
        for cond, then in body.branches:
            if (yield from self._condition(cond, ctx)) == 0:
                return (yield from self.exec_clist(then, ctx))
        if body.orelse is not None:
            return (yield from self.exec_clist(body.orelse, ctx))
        self.last_status = 0
        return 0

    def _spin(self, ctx: Ctx):
        """Count a loop's turns while the clock stands still (a loop that waits for
        nothing: `while :; do :; done`). Real bash spins on the CPU until killed; here
        virtual time would never reach the --timeout bound, so a spin of SPIN_LIMIT
        turns at one instant ends the shell as an interrupt would (130, with a note),
        and in the live shell every SPIN_BATCH turns hand back to the terminal (a
        zero-second sleep) so that Ctrl-C reaches the loop."""
        now = self.session.host.clock.now
        if now != self.spin_at:
            self.spin_at, self.spins = now, 0
            return
        self.spins += 1
        if self.spins % SPIN_BATCH:
            return
        if getattr(self.session, "live", False):
            from ipemu.process import Sleep
            nap = Sleep(self.session.host, ctx.term, 0.0)
            yield Waiting(nap, None)
            if nap.status == 128 + SIGINT_:
                raise ExitSignal(nap.status)
        elif self.spins >= SPIN_LIMIT:
            ctx.term.err(f"ipemu: a loop ran {self.spins:,} times without time passing: "
                         "interrupted (--timeout)\n")
            raise ExitSignal(128 + SIGINT_)

    def _past_the_bound(self, ctx: Ctx) -> None:
        """A loop whose line has run for the --timeout bound of virtual time (each
        turn sleeps or pings, so no program of it reaches the bound alone: `while
        true; do ...; sleep 15; done`) ends at its next turn as an interrupt ends the
        shell (130, with the note a program at the bound gets). The live shell runs
        until Ctrl-C."""
        from ipemu.process import Bound
        session = self.session
        if getattr(session, "live", False) or getattr(session, "line_timeout", None):
            return
        ran = session.host.clock.now - getattr(session, "line_started", 0.0)
        if ran >= Bound.seconds:
            ctx.term.err(f"ipemu: interrupted after {Bound.seconds:g} s of virtual time "
                         "(--timeout)\n")
            raise ExitSignal(128 + SIGINT_)

    def _loop_body(self, clist: ast.CList, ctx: Ctx):
        """The body once; returns "break", "continue" or None (LoopControl with a
        count above one goes on to the outer loop)."""
        yield from self._spin(ctx)
        self._past_the_bound(ctx)
        self.state.loop_depth += 1
        try:
            yield from self.exec_clist(clist, ctx)
        except LoopControl as ctl:
            if ctl.count > 1:
                ctl.count -= 1
                raise
            return ctl.kind
        finally:
            self.state.loop_depth -= 1
        return None

    def _exec_For(self, body: ast.For, ctx: Ctx):
        from ipemu.bash.funcprint import reprint_comsubs
        self.cur_ctx = ctx
        self.state.lineno = self.state.read_line = body.line
        # the head as bash keeps it (its `$(...)` printed again: parse_comsub())
        shown = ["select" if body.select else "for", body.name, "in"] + (
            [reprint_comsubs(w) for w in body.words] if body.words is not None
            else ['"$@"'])
        if body.select:
            # execute_select_command(): traced once, before the list is expanded
            # (xtrace_print_select_command_head(): "select NAME in " and the words)
            self.trace(ctx, shown if len(shown) > 3 else shown + [""], raw=True,
                       compound=True)
        if body.words is None:
            items = list(self.state.positional)
        else:
            try:
                items = yield from self.expand_words(body.words)
            except ExpansionError as err:
                # execute_for_command(): a failed word list ends the command as a
                # simple command's failed expansion does
                return self.expansion_failed(ctx, err)
        if body.select:
            from ipemu.bash.select import run_select
            return (yield from run_select(self, body, items, ctx))
        status = 0
        self.last_status = 0
        for item in items:
            self.trace(ctx, shown, raw=True, compound=True)   # as written
            self.assign(body.name, item)
            outcome = yield from self._loop_body(body.body, ctx)
            status = self.last_status
            if outcome == "break":
                break
        return status

    def _exec_ArithFor(self, body: ast.ArithFor, ctx: Ctx):
        self.state.lineno = self.state.read_line = body.line
        # an empty expression is "1" (parse.y's arith-for: each missing part becomes
        # the word 1, traced as any other)
        init, cond, step = (e if e.strip() else "1"
                            for e in body.traced or (body.init, body.cond, body.step))
        yield from self._arith_cmd(init, ctx, trace=True)
        status = 0
        while True:
            self.arith_failed = False
            if (yield from self._arith_cmd(cond, ctx, trace=True)) != 0:
                if self.arith_failed:
                    status = 1
                break
            outcome = yield from self._loop_body(body.body, ctx)
            status = self.last_status
            if outcome == "break":
                break
            yield from self._arith_cmd(step, ctx, trace=True)
        self.last_status = status
        return status

    def _exec_While(self, body: ast.While, ctx: Ctx):
        status = 0
        while True:
            cond = yield from self._condition(body.cond, ctx)
            if (cond == 0) == body.until:
                break
            outcome = yield from self._loop_body(body.body, ctx)
            status = self.last_status
            if outcome == "break":
                break
        self.last_status = status
        return status

    def _exec_Case(self, body: ast.Case, ctx: Ctx):
        self.state.lineno = self.state.read_line = body.line
        self.cur_ctx = ctx
        # execute_case_command(): the head is traced before its word is expanded
        from ipemu.bash.funcprint import reprint_comsubs
        self.trace(ctx, ["case", reprint_comsubs(body.word), "in"], raw=True, compound=True)
        try:
            word = yield from self.expand_string(body.word)
        except ExpansionError as err:
            return self.expansion_failed(ctx, err)
        status = 0
        fall = False
        for index, item in enumerate(body.items):
            hit = fall
            if not hit:
                for pattern in item.patterns:
                    try:
                        regex = yield from self.expand_pattern(pattern)
                    except ExpansionError as err:
                        return self.expansion_failed(ctx, err)
                    if match(regex, word, "shopt:nocasematch" in self.state.options):
                        hit = True
                        break
            if not hit:
                continue
            status = 0
            if item.body is not None:
                status = yield from self.exec_clist(item.body, ctx)
            if item.sep == ";&":
                fall = True
                continue
            if item.sep == ";;&":
                fall = False
                continue
            return status
        self.last_status = status
        return status

    def _exec_ArithCmd(self, body: ast.ArithCmd, ctx: Ctx):
        self.state.lineno = body.line
        if self.state.dash:
            # dash has no (( )): its parser reads two subshells around a command
            # (`((x++))` runs `x++`: not found)
            return (yield from self.run_source(f"({body.expr})", ctx, body.line, top=False))
        return (yield from self._arith_cmd(body.expr, ctx, trace=True))

    def _arith_cmd(self, expr: str, ctx: Ctx, trace: bool = False):
        try:
            source = yield from self.expand_arith_source(expr)
            if trace:
                # execute_arith_command(), eval_arith_for_expr(): the expression is
                # expanded first, then xtrace_print_arith_cmd() shows what it became
                self.trace(ctx, ["((", source, "))"], raw=True, compound=True)
            value = self.arith(source)
        except ExpansionError as err:
            if err.status == 127:
                return self.expansion_failed(ctx, err)
            # an error in (( )) is the command's failure, not the line's
            self.error(ctx, f"((: {err.message}")
            self.arith_failed = True
            return 1
        return 0 if value else 1

    def tty_fds(self, ctx: Ctx) -> tuple[int, ...]:
        """The descriptors `test -t` finds on a terminal: stdin, stdout and stderr as
        the command's context has them (a terminal session only)."""
        if self.session.columns is None:
            return ()
        # stdin: the terminal unless something was put there (a pipe, a file, a
        # here-string, a background job's /dev/null)
        stdin_tty = ctx.stdin is None
        return tuple(fd for fd, on in ((0, stdin_tty), (1, ctx.tty), (2, ctx.err_tty))
                     if on)

    def _exec_Cond(self, body: ast.Cond, ctx: Ctx):
        from ipemu.bash.test import CondError, CondRegexError, evaluate_cond
        self.state.lineno = body.line
        self.test_ttys = self.tty_fds(ctx)
        if self.state.dash:
            return (yield from self._dash_cond(body, ctx))
        try:
            return (yield from evaluate_cond(self, body.words, ctx))
        except CondRegexError:
            return 2
        except CondError as err:
            self.error(ctx, err.message)
            return 2
        except ExpansionError as err:
            if err.status == 127 or "bad substitution" in err.message:
                return self.expansion_failed(ctx, err)
            self.error(ctx, f"[[: {err.message}")
            return 1

    def _dash_cond(self, body: ast.Cond, ctx: Ctx):
        """dash has no [[ ]]: `[[` is a command it does not find, its words expanded
        and traced as any command's; a `&&` or `||` inside ends that command, and
        what follows is a command of its own (`\"$1\" == \"--help\" ]]`: `lo: not
        found`), run as the list's operator says."""
        words = body.words
        cuts = [i for i, w in enumerate(words) if w in ("&&", "||")]
        first = words[:cuts[0]] if cuts else words
        if any(w in ("<", ">") for w in first[:-1]):
            # `<` and `>` with the word after them are the command's redirections,
            # opened before `[[` is looked for (`[[ $# < 1 ]]`: cannot open 1)
            status = yield from self.exec_simple(_dash_redirected(
                first + ([] if cuts else ["]]"]), body.line), ctx)
            return (yield from self._dash_cond_rest(body, cuts, status, ctx))
        if "xtrace" in self.state.options:
            shown = ["[["]
            for raw in first:
                shown += (yield from self.expand_fields(raw))
            self.trace(ctx, shown + ([] if cuts else ["]]"]))
        self.error(ctx, "[[: not found")
        return (yield from self._dash_cond_rest(body, cuts, 127, ctx))

    def _dash_cond_rest(self, body: ast.Cond, cuts: list[int], status: int, ctx: Ctx):
        """The commands after each `&&`/`||` of a `[[ ]]` dash read as a list."""
        words = body.words
        for n, cut in enumerate(cuts):
            end = cuts[n + 1] if n + 1 < len(cuts) else len(words)
            part = words[cut + 1:end] + ([] if end < len(words) else ["]]"])
            if (words[cut] == "&&") == (status == 0):
                status = yield from self.run_source(" ".join(part), ctx, body.line,
                                                    top=False)
        return status

    # --------------------------------------------------------- simple commands
    def exec_simple(self, cmd: ast.Simple, ctx: Ctx):
        if self.state.dash and cmd.assigns and any(_PLUS_ASSIGN.match(a) for a in cmd.assigns):
            # dash has no `+=`: from that word on the words are the command's
            # (`x+=1` runs a command named x+=1)
            at = next(i for i, a in enumerate(cmd.assigns) if _PLUS_ASSIGN.match(a))
            cmd = ast.Simple(cmd.assigns[:at], list(cmd.assigns[at:]) + list(cmd.words),
                             cmd.redirects, cmd.line)
        mark = len(self.procsubs)
        self.cur_ctx = ctx
        self.state.lineno = cmd.line
        if not self.running_traps:
            # $BASH_COMMAND: the simple command running, as written (the_printed_
            # command_except_trap: a trap's own commands leave it alone)
            from ipemu.bash.printer import simple_text
            self.bash_command = simple_text(cmd)
        if self.debug_trap_armed():
            # run_debug_trap(): before the command's words expand, $BASH_COMMAND set;
            # a function or a sourced file runs without its caller's trap unless set -T
            # (call_function(), source.def), with one it sets itself
            from ipemu.bash.traps import run_trap
            yield from run_trap(self, "DEBUG", ctx, self.last_status)
        self.subst_status = None
        try:
            argv = yield from self._argv(cmd.words)
            if not argv:
                # NAME=value words alone: each is assigned before the next expands
                status = yield from self._assignments(cmd.assigns, ctx)
                _, closer = yield from self.open_redirects(cmd.redirects, ctx, reads=False)
                closer()
                self._unexport_lastarg()
                return status
            assigns = []
            for raw in cmd.assigns:
                assigns.append((yield from self._assignment(raw, temporary=True)))
        except ExpansionError as err:
            return self.expansion_failed(ctx, err)
        except CommandError as err:
            self._command_error(ctx, err)
            return err.status if self.state.dash else 1   # dash: 2
        early = None
        if "xtrace" in self.state.options:
            if self.state.dash:
                # dash's evalcommand(): the assignments and the words on one line,
                # PS4 expanded with the command's own assignments in force
                # (`x=3 echo hi` under PS4='+[$x] ' shows `+[3]`, recorded)
                early = self._push_env(assigns, ctx) if assigns and "$" in \
                    (self.state.get("PS4") or "") else None
                try:
                    self.trace(ctx, [f"{a[0]}={a[2]}" for a in assigns] + argv)
                finally:
                    if early is not None:
                        self._pop_env(early)
            else:
                for raw, assign in zip(cmd.assigns, assigns):
                    self._trace_assignment(ctx, raw, assign)
                decl, self.decl_trace = self.decl_trace, None
                if decl is not None:
                    for line in decl[0]:
                        self.trace(ctx, [line], raw=True)
                self.trace(ctx, argv if decl is None else decl[1])
        try:
            inner, closer = yield from self.open_redirects(cmd.redirects, ctx)
        except CommandError as err:
            self._command_error(ctx, err)
            return err.status if self.state.dash else 1   # dash: 2
        except ExpansionError as err:
            return self.expansion_failed(ctx, err)
        if argv == ["exec"]:
            # `exec >FILE 2>&1`: the redirections stay for the rest of the shell
            ctx.term, ctx.stdin = inner.term, inner.stdin
            if self.out_procsubs:
                # `exec 1>&3 2>&4` after `exec > >(tee -a LOG) 2>&1`: the last
                # descriptor on the >(LIST)'s pipe is closed, LIST reads to its end
                # now (the log is there for the script's next `cat LOG`)
                held = _written_files(ctx.term)
                closed = [path for path in self.out_procsubs if path not in held]
                for path in closed:
                    self._close_out_substitution(path)
                    self.session.fs.files.pop(path, None)
                if self.ready_outsubs:
                    yield from self.run_output_substitutions()
            return 0
        saved = self._push_env(assigns, ctx) if assigns else None
        # the -c string's last command, no trap set: bash execs it without a fork
        self.exec_pending = cmd is self.exec_tail and not self.state.traps and \
            not self.running_traps
        self.nofork_pending = cmd is getattr(self, "subshell_tail", None) and \
            not self.state.traps
        self.fg_died = None
        try:
            status = yield from self.invoke(argv, inner)
            if self.fg_died is not None:
                self._foreground_notice(cmd, ctx)
            pending = getattr(self, "pending_signal", 0)
            if pending:
                self.pending_signal = 0
                yield from self._signalled(pending, ctx)
        finally:
            if saved is not None:
                self._pop_env(saved)
            failed = closer(argv[0] if argv else "")
            self.release_process_substitutions(mark)
            if argv:
                self.state.last_arg = argv[-1]  # execute_simple_command()'s bind_lastarg()
            self._unexport_lastarg()
        if self.ready_outsubs:
            yield from self.run_output_substitutions()
        return failed or status

    def _unexport_lastarg(self) -> None:
        """bind_lastarg() takes the export attribute off `_` (VUNSETATTR): once the
        shell itself has run a simple command, put_command_name_into_env() adds `_`
        after the other variables and the exported functions, not where the `_` that
        came in the environment stood (recorded: `env -i _=x A=1 bash -c 'true; env'`)."""
        if self.state.dash:
            return
        var = self.state.vars.get("_")
        if var is not None and var.exported:
            var.exported = False

    def _assignment(self, raw: str, temporary: bool = False):
        """NAME=value, NAME+=value, NAME=(words). `temporary`: one before a command
        (its environment), where `(words)` is no array: the text expanded as a
        string, parentheses and all (`x=(a $HOME) env` exports `x=(a /root)`)."""
        name, plus, value = _split_assignment(raw)
        base, bracket, key = name.partition("[")
        if bracket and self.is_assoc(base):
            # an associative array's subscript is a string, expanded as a word
            name = base + "[" + (yield from self.expand_string(key[:-1])) + "]"
        elif bracket and ("$" in key or "`" in key):
            # an indexed array's subscript is expanded before it is evaluated
            # (arrayfunc.c's array_expand_index(): `a[$((i-1))]=x`, `a[$i]=x`)
            name = base + "[" + (yield from self.expand_string(key[:-1])) + "]"
        if value.startswith("(") and value.endswith(")") and not temporary:
            value = yield from self._array_words(value[1:-1], self.is_assoc(name), name=name)
        else:
            value = yield from self.expand_string(value)
        return name, plus, value

    def is_assoc(self, name: str) -> bool:
        var = self.state.vars.get(name)
        return var is not None and var.assoc

    def _assignments(self, raws: list[str], ctx: Ctx):
        if self.state.dash:
            return (yield from self._dash_assignments(raws, ctx))
        for raw in raws:
            compound = _split_assignment(raw)[2]
            compound = compound.startswith("(") and compound.endswith(")")
            if compound and "xtrace" in self.state.options:
                # do_assignment_internal(): a compound assignment is traced as
                # written before do_compound_assignment() expands it (a command
                # substitution's own trace comes after: `+ x=($(ip link))`, `++ ip link`)
                from ipemu.bash.funcprint import reprint_assignment
                self.trace(ctx, [reprint_assignment(raw)], raw=True)
            name, plus, value = yield from self._assignment(raw)
            if not (compound and not isinstance(value, str)):
                self._trace_assignment(ctx, raw, (name, plus, value))
            if not self.assign(name, value, append=plus, ctx=ctx):
                self.last_status = 1
                raise DiscardLine(1)
        return self.subst_status or 0

    def _dash_assignments(self, raws: list[str], ctx: Ctx):
        """dash's evalcommand() of NAME=value words alone: each assigned before the next
        expands, then one trace line of them all (PS4 sees the new values)."""
        done = []
        for raw in raws:
            name, plus, value = yield from self._assignment(raw)
            done.append(f"{name}={value}")
            if not self.assign(name, value, append=plus, ctx=ctx):
                self.last_status = 1
                raise DiscardLine(1)
        self.trace(ctx, done)
        return self.subst_status or 0

    def _trace_assignment(self, ctx: Ctx, raw: str, assign) -> None:
        name, plus, value = assign
        if "[" in name:
            # xtrace_print_assignment() shows the subscript as written (`a[$i]=q`)
            name = _split_assignment(raw)[0]
        if self.state.dash and isinstance(value, str):
            self.trace(ctx, [f"{name}={value}"])     # dash: as it is, unquoted
            return
        # xtrace_print_assignment(): an empty value is shown as nothing (`+ x=`)
        shown = raw if not isinstance(value, str) else \
            f"{name}{'+' if plus else ''}={_quote(value) if value else ''}"
        self.trace(ctx, [shown], raw=True)

    def _argv(self, raws: list[str]):
        """Expanded words; a declaration builtin's `name=value` operands are
        expanded like assignments (no splitting)."""
        if not raws:
            return []
        first = yield from self.expand_fields(raws[0])
        if first and first[0] in ("export", "local", "readonly", "declare", "typeset") \
                and len(first) == 1:
            out = list(first)
            assoc = False
            # xtrace: each array operand's assignment, then the command with its name
            shown_lines, shown = [], list(first)
            for raw in raws[1:]:
                assoc = assoc or bool(re.fullmatch(r"-[a-zA-Z]*A[a-zA-Z]*", raw))
                array = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(\+?=)\((.*)\)", raw, re.S)
                if array:
                    # declare -A m=([k]=v ...): the words as an assignment's, kept
                    # for the builtin (it gets the operand as one expanded word)
                    pieces: list[str] = []
                    self.declared_arrays[array.group(1)] = yield from self._array_words(
                        array.group(3), assoc or self.is_assoc(array.group(1)), pieces,
                        name=array.group(1), declared=True)
                    # the builtin takes those words: the operand is not expanded
                    # again (its command substitutions ran once)
                    out.append(raw)
                    shown_lines.append(f"{array.group(1)}{array.group(2)}({' '.join(pieces)})")
                    shown.append(array.group(1))
                elif re.match(r"[A-Za-z_][A-Za-z0-9_]*\+?=", raw):
                    out.append((yield from self.expand_string(raw)))
                    shown.append(out[-1])
                else:
                    out.extend((yield from self.expand_fields(raw)))
                    shown.extend(out[len(shown):])
            # do_compound_assignment()'s own trace comes first (`+ m=(['a']='1')`)
            self.decl_trace = (shown_lines, shown) if shown_lines else None
            return out
        rest = yield from self.expand_words(raws[1:])
        return first + rest

    def _array_words(self, inner: str, assoc: bool = False, shown: list | None = None,
                     name: str = "", declared: bool = False):
        """The words of `name=(...)`, expanded as a command's words are (an
        associative array's `[key]=value` pairs keyed by the expanded key, or its
        `key value` pairs when the first word is no `[key]=value`);
        `shown` gets them as xtrace prints them (`['k']='v'`, `'v'`)."""
        from ipemu.bash.lexer import Lexer
        shown = [] if shown is None else shown
        raws = [t.value for t in Lexer(inner).tokens() if t.type in ("WORD", "ASSIGN")]
        if assoc:
            pairs: dict[str, str] = {}
            if raws and not raws[0].startswith("[") and \
                    not re.match(r"[A-Za-z_][A-Za-z0-9_]*\+?=", raws[0]):
                # kvpair_assignment_p(): `m=(k1 v1 k2 v2)`, a missing last value ""
                # (assign_assoc_from_kvlist())
                for at in range(0, len(raws), 2):
                    key = yield from self.expand_string(raws[at])
                    value = (yield from self.expand_string(raws[at + 1])) \
                        if at + 1 < len(raws) else ""
                    if key:
                        pairs[key] = value
                        shown.append(f"{_single(key)} {_single(value)}")
                return AssocValue(pairs)
            for raw in raws:
                m = re.match(r"\[([^]]*)\]=(.*)", raw, re.S)
                if m:
                    key = yield from self.expand_string(m.group(1))
                    pairs[key] = yield from self.expand_string(m.group(2))
                    shown.append(f"[{_single(key)}]={_single(pairs[key])}")
                elif self.cur_ctx is not None:
                    # assign_compound_array_list(): the word as written; declare's
                    # operand was expanded and single-quoted before (a `[...]` one not)
                    word = raw if raw.startswith("[") or not declared else \
                        "'" + (yield from self.expand_string(raw)).replace("'", "'\\''") + "'"
                    self.error(self.cur_ctx, f"{name}: {word}: must use subscript when "
                                             "assigning associative array")
            return AssocValue(pairs)
        if any(re.match(r"\[[^]]*\]=", raw) for raw in raws):
            keyed: dict[int, str] = {}
            for raw in raws:
                m = re.match(r"\[([^]]*)\]=(.*)", raw, re.S)
                index = self.arith(m.group(1)) if m else max(keyed, default=-1) + 1
                keyed[index] = yield from self.expand_string(m.group(2) if m else raw)
                shown.append((f"[{_single(m.group(1))}]=" if m else "") +
                             _single(keyed[index]))
            return dict(sorted(keyed.items()))
        words = yield from self.expand_words(raws)
        shown.extend(_single(w) for w in words)
        return words

    def readonly_error(self, ctx: Ctx, name: str) -> None:
        """An assignment to a readonly variable: bash's message (the assignment
        fails, the shell goes on); dash's var.c setvar() says `is read only` and a
        non-interactive dash exits with 2."""
        if self.state.dash:
            self.error(ctx, f"{name}: is read only")
            if not self.interactive:
                raise ExitSignal(2)
            return
        self.error(ctx, f"{name}: readonly variable")

    def _push_env(self, assigns, ctx: Ctx | None = None) -> dict:
        saved = {}
        if ctx is not None and any(self.state.vars.get(name) is not None and
                                   self.state.vars[name].readonly
                                   for name, _plus, _value in assigns):
            # variables.c's assign_in_env(): a readonly name is refused with its
            # message and left out of the command's environment; the command runs
            kept = []
            for item in assigns:
                var = self.state.vars.get(item[0])
                if var is not None and var.readonly:
                    self.readonly_error(ctx, item[0])
                else:
                    kept.append(item)
            assigns = kept
        # the command's temporary environment (variables.c's temporary_env), listed
        # first in what it is given
        saved[_TEMP_ENV] = getattr(self.state, "temp_env", ())
        self.state.temp_env = tuple(name for name, _plus, _value in assigns)
        for name, plus, value in assigns:
            saved.setdefault(name, self.state.vars.get(name))
            old = self.state.get(name) or "" if plus else ""
            self.state.vars[name] = Var(old + value, exported=True)
        return saved

    def _pop_env(self, saved: dict) -> None:
        self.state.temp_env = saved.pop(_TEMP_ENV, ())
        for name, var in saved.items():
            if var is None:
                self.state.vars.pop(name, None)
            else:
                self.state.vars[name] = var

    def expansion_failed(self, ctx: Ctx, err: ExpansionError) -> int:
        """bash reports a failed expansion; a non-interactive shell then exits (an
        interactive one abandons the line)."""
        self.error(ctx, err.message)
        self.last_status = err.status
        if self.state.dash and not self.interactive:
            self.last_status = 2    # dash: every expansion error ends the shell with 2
            raise ExitSignal(2)
        if err.status == 127:       # set -u, ${x?}: the shell exits
            raise ExitSignal(err.status, expansion=True)
        if getattr(err, "report_error", False) and "errexit" in self.state.options:
            # error.c report_error(): `if (exit_immediately_on_error) exit_shell()`
            raise ExitSignal(err.status)
        raise DiscardLine(err.status)

    def indirect(self, steps):
        """Run steps one indirection deeper (set -x's `++` of eval, source, traps)."""
        self.indirection += 1
        try:
            return (yield from steps)
        finally:
            self.indirection -= 1

    def trace(self, ctx: Ctx, words: list[str], raw: bool = False,
              compound: bool = False) -> None:
        if "xtrace" not in self.state.options or not words:
            return
        ps4 = self.state.get("PS4")
        ps4 = "+ " if ps4 is None else ps4
        if self.state.dash:
            # dash traces simple commands only (evalcommand()'s eprintlist()): the
            # words as they are, unquoted, after PS4 once whatever the nesting
            if compound:
                return
            if "$" in ps4 or "`" in ps4:
                # expandstr(ps4val()): parameter expansion of PS4 each time (Debian's
                # dash has no LINENO: empty there)
                ps4 = self._prompt_expansion(ps4)
            ctx.term.err(ps4 + " ".join(words) + "\n")
            return
        if "$" in ps4 or "`" in ps4:
            ps4 = self._prompt_expansion(ps4)
        head = ps4[:1] * (self.subst_level + self.indirection)
        shown = words if raw else [_quote(w) for w in words]
        # the trace is the shell's own write: on a pipe whose reader has exited
        # (`bash -x s.sh 2>&1 | head`) SIGPIPE kills the shell there, as for echo
        line = head + ps4 + " ".join(shown) + "\n"
        if self._trace_to_fd(ctx, line):
            return
        pipe = _pipe_of(ctx.term)
        dropped = pipe.dropped if pipe is not None else 0
        ctx.term.err(line)
        if pipe is not None and pipe.dropped > dropped and pipe.overflowed() and \
                self.state.traps.get("SIGPIPE") != "":
            # (xtrace's fprintf() ignores a failed write: with SIGPIPE ignored it
            # goes on)
            self._builtin_sigpipe("xtrace", ctx)

    def _trace_to_fd(self, ctx: Ctx, line: str) -> bool:
        """BASH_XTRACEFD=N (`exec {BASH_XTRACEFD}>>trace.log`): the trace goes to that
        descriptor when the shell has it open (variables.c sv_xtracefd(): 1 is
        stdout); whether it went there."""
        value = self.state.get("BASH_XTRACEFD")
        if not value or not value.isdigit() or int(value) == 2:
            return False
        if int(value) == 1:
            ctx.term.out(line)
            return True
        dest = open_fds(ctx).get(int(value))
        if dest is None:
            return False
        FdSink(ctx.term.sink.outer, {2: dest}, self).write("stderr", line)
        return True

    def _prompt_expansion(self, text: str) -> str:
        """indirection_level_string(): PS4 expanded each time it is shown, with
        xtrace off meanwhile (`PS4='+ ${BASH_SOURCE}:${LINENO}: '`); what would have
        to wait (a command substitution that runs in time) leaves it as written."""
        if getattr(self, "in_prompt", False):
            return text
        options = self.state.options
        self.in_prompt = True
        traced = "xtrace" in options
        options.discard("xtrace")
        steps = self.expand_string(text)
        try:
            next(steps)
            steps.close()
            return text
        except StopIteration as stop:
            return stop.value if isinstance(stop.value, str) else text
        except Exception:       # noqa: BLE001 - an expansion error: as written
            return text
        finally:
            if traced:
                options.add("xtrace")
            self.in_prompt = False

    # -------------------------------------------------------------- variables
    def assign(self, name: str, value, append: bool = False, ctx: Ctx | None = None
               ) -> bool:
        """NAME=value, NAME+=value, NAME=(array), NAME[i]=value; False (and bash's
        message) for a readonly variable."""
        index = None
        if name.endswith("]") and "[" in name:
            name, _, index = name[:-1].partition("[")
        if name in self.state.self_refs:
            self.self_ref_warnings(name, 1 if index is None else 2)
        if index is None and self.state.circular(name) == "circular":
            # bind_variable(): the warning, and the assignment fails as a readonly one
            if ctx is not None:
                self.error(ctx, f"warning: {name}: circular name reference")
            return False
        name = self.state.deref(name)
        var = self.state.vars.get(name)
        if var is not None and var.readonly:
            if ctx is not None:
                self.readonly_error(ctx, name)
            return False
        if var is not None and var.assoc:
            self.state.invisible.pop(name, None)     # it has a value now
            return self._assign_assoc(var, index, value, append)
        attrs = var.attrs if var is not None else ""
        if attrs and isinstance(value, dict):
            value = {key: self.attributed(attrs, item) for key, item in value.items()}
        elif attrs and isinstance(value, list):
            value = [self.attributed(attrs, item) for item in value]
        if isinstance(value, dict):            # a=([2]=x [0]=y)
            if not append:      # a+=([1]=z): the elements are set in the array there
                self.state.set_array(name, [], False)
            for key, item in value.items():
                self.state.set_element(name, key, item)
            return True
        if isinstance(value, list):
            self.state.set_array(name, value, append)
            return True
        attrs = var.attrs if var is not None else self.state.invisible.get(name, "")
        if index is not None:
            n = self.arith(index)
            if n < 0:
                # assign_array_element(): a negative subscript counts back from the
                # highest index (array_max_index() + 1 + n, a scalar's being 0);
                # still negative, `NAME[SUB]: bad array subscript` and the
                # assignment fails as a readonly one does (the line is dropped)
                array = var.array if var is not None and var.array is not None else (
                    {0: var.value} if var is not None and var.value else {})
                n += max(array, default=-1) + 1
                if n < 0:
                    if ctx is not None:
                        self.error(ctx, f"{name}[{index}]: bad array subscript")
                    return False
            old = var.array.get(n) if var is not None and var.array else None
            value = self.attributed(attrs, value, old if append else None)
            self.state.set_element(name, n, value)
            return True
        var = self.state.vars.get(name)
        if var is not None and var.readonly:
            if ctx is not None:
                self.readonly_error(ctx, name)
            return False
        value = self.attributed(attrs, value, var.value if append and var is not None else None)
        self.state.set(name, value)
        if attrs and not self.state.vars[name].attrs:
            self.state.vars[name].attrs = "".join(c for c in "inlu" if c in attrs)
        return True

    def attributed(self, attrs: str, value: str, old: str | None = None) -> str:
        """The value an assignment stores (variables.c's make_variable_value()): `+=`
        appends to `old` (adds, for -i), -i evaluates it as arithmetic, -l/-u change
        its case."""
        if "i" in attrs:
            number = self.arith(value) if value.strip() else 0
            if old is not None:
                number += self.arith(old) if old.strip() else 0
            return str(number)
        if old is not None:
            value = old + value
        if "l" in attrs:
            return value.lower()
        if "u" in attrs:
            return value.upper()
        return value

    def _assign_assoc(self, var, key, value, append: bool) -> bool:
        """m=([k]=v ...), m+=(...), m[k]=v, m[k]+=v on an associative array."""
        if isinstance(value, AssocValue):
            if not append:
                var.array = {}
            var.array.update(value)
        elif key is not None:
            if append and key in var.array:
                value = var.array[key] + value
            var.array.pop(key, None) if False else None
            var.array[key] = value
        elif isinstance(value, str):
            # m=v assigns m[0]
            var.array["0"] = (var.array.get("0", "") if append else "") + value
        var.value = ""
        return True

    def option_flags(self) -> str:
        """$-: the set flags in bash's flag table order (flags.c), as `bash -c`
        shows them (h and B on, c for -c)."""
        options = self.state.options
        order = [("allexport", "a"), ("errexit", "e"), ("noglob", "f"), ("hashall", "h"),
                 ("nounset", "u"), ("xtrace", "x"), ("braceexpand", "B"),
                 ("noclobber", "C")]
        if self.state.dash:
            # dash's options.h optlist[] (e f I i m n s x v V E C a b u): $- shows the
            # set ones from the last down (recorded: `set -efCavu` is uaCvfe), no c;
            # s while it reads its commands from standard input
            dash_order = [("errexit", "e"), ("noglob", "f"), ("ignoreeof", "I"),
                          ("interactive", "i"), ("monitor", "m"), ("noexec", "n"),
                          ("stdin", "s"), ("xtrace", "x"), ("verbose", "v"), ("vi", "V"),
                          ("emacs", "E"), ("noclobber", "C"), ("allexport", "a"),
                          ("notify", "b"), ("nounset", "u")]
            shown = set(options)
            if getattr(self.state, "stdin_commands", False):
                shown.add("stdin")
            return "".join(letter for name, letter in reversed(dash_order)
                           if name in shown)
        # flags.c shell_flags[]: the standard letters, then B C E H I P T
        order = [("allexport", "a"), ("notify", "b"), ("errexit", "e"), ("noglob", "f"),
                 ("hashall", "h"), ("keyword", "k"), ("monitor", "m"), ("noexec", "n"),
                 ("privileged", "p"), ("onecmd", "t"), ("nounset", "u"), ("verbose", "v"),
                 ("xtrace", "x"), ("braceexpand", "B"), ("noclobber", "C"),
                 ("errtrace", "E"), ("histexpand", "H"), ("physical", "P"),
                 ("functrace", "T")]
        shown = {"hashall", "braceexpand"} | options
        flags = "".join(letter for name, letter in order if name in shown)
        if getattr(self.state, "stdin_commands", False):
            return flags + "s"      # reading its commands from standard input (-s)
        return flags + ("c" if self.state.script in (None, "bash") else "")

    def bashpid(self) -> str:
        """$BASHPID (variables.c's get_bashpid()): the shell's own pid, a new one in
        each subshell (kept for the subshell's life)."""
        state = self.state
        if not state.subshell:
            return str(state.pid)
        level, pid = getattr(state, "bashpid_at", (-1, 0))
        if level != state.subshell:
            pid = self.session.machine.next_pid()
            state.bashpid_at = (state.subshell, pid)
        return str(pid)

    def shellopts(self) -> str:
        """$SHELLOPTS (flags.c's set_shellopts()): the `set -o` options that are on,
        in their table's (alphabetical) order; braceexpand, hashall and
        interactive-comments are on from the start."""
        on = {"braceexpand", "hashall", "interactive-comments"} | \
            (self.state.options & SET_O_NAMES)
        return ":".join(sorted(on))

    def random(self) -> int:
        """$RANDOM: a generator of the shell's own (the host's seeded one makes the
        MACs, which a script's $RANDOM must not move)."""
        state = self.state
        if state.random_seeded:
            # after `RANDOM=N`: variables.c brand(), Park and Miller's minimal standard
            # generator, folded to 15 bits as bash 5.2 does, never the same twice
            while True:
                last = state.random_seed or 123459876
                h, low = divmod(last, 127773)
                t = 16807 * low - 2836 * h
                state.random_seed = t + 0x7FFFFFFF if t < 0 else t
                value = ((state.random_seed >> 16) ^ (state.random_seed & 65535)) & 0x7FFF
                if value != state.random_last:
                    state.random_last = value
                    return value
        state.random_seed = (state.random_seed * 1103515245 + 12345) & 0x7FFFFFFF
        return (state.random_seed >> 16) & 0x7FFF

    # ----------------------------------------------------- files, for globs
    def list_dir(self, name: str) -> list[str]:
        """The names in a directory of the simulated files (or of the real home)."""
        import os
        fs = self.session.fs
        path = self.session._path(name)
        real = fs.real_path(path)
        if real is not None:
            try:
                return sorted(os.listdir(real))
            except OSError:
                return []
        if fs.links or fs.binds:
            # a directory reached through a link lists its target's names
            try:
                path = fs.follow(path)
            except OSError:
                return []
        prefix = path.rstrip("/") + "/"
        # the symbolic links are names too (`ln -s`, /etc/os-release): glob(3) reads
        # the directory, whatever its entries are
        names = {p[len(prefix):].split("/")[0]
                 for p in [*fs.files, *fs.dirs, *fs.links]
                 if p.startswith(prefix) and len(p) > len(prefix)}
        # and the kernel's views (/proc/sys/net, /sys/class/net...) of the namespace
        # the shell runs in
        from ipemu import procfs
        try:
            names |= set(procfs.listdir(self.session.host, self._view_netns(), path) or ())
        except OSError:
            pass
        return sorted(names)

    def _view_netns(self):
        ctx = getattr(self, "cur_ctx", None)
        return (ctx.netns if ctx is not None else None) or self.session.host.init_ns

    def is_dir(self, name: str) -> bool:
        path = self.session._path(name)
        if self.session.fs.is_dir(path):
            return True
        from ipemu import procfs
        return procfs.is_view_dir(self.session.host, self._view_netns(), path)

    def path_exists(self, name: str) -> bool:
        if self.is_dir(name) or self.session.read_file(name) is not None:
            return True
        try:
            self.session.open_text(name, self._view_netns())   # /proc/sys, /proc/net...
        except OSError as err:
            # a file whose read fails (carrier_show()'s -EINVAL on a device that is
            # down, a write-only sysctl's EACCES) still exists: stat() and readdir()
            # find it, so `eth*/carrier` globs it (recorded: tutorials40e_unixse_
            # carrier_filters, grep's `Invalid argument` for eth2)
            return err.errno not in (None, errno.ENOENT, errno.ENOTDIR)
        return True

    def seconds(self) -> float:
        return self.session.host.clock.now

    # ------------------------------------------------------------- invocation
    def invoke(self, argv: list[str], ctx: Ctx, program: bool = False,
               no_functions: bool = False):
        """Run a command: a function, a builtin of the language, a child shell, or
        one of the session's tools (`program`: only a program, as execve() finds one:
        what `sudo` and a path run)."""
        from ipemu.bash import programs
        exec_self, self.exec_pending = self.exec_pending, False
        nofork, self.nofork_pending = exec_self or getattr(self, "nofork_pending", False), False
        name = argv[0]
        function = None if program or no_functions else self.state.functions.get(name)
        if function is not None:
            return (yield from self.call_function(function, argv, ctx))
        from ipemu.bash.builtins import BUILTINS
        builtin = None if program or (self.state.dash and name in DASH_LACKS) or \
            name in self.state.disabled else BUILTINS.get(name)
        if not program and builtin is None and name in self.state.hashed and \
                name not in BASH_BUILTIN_NAMES:
            path = self.state.hashed[name]
            from ipemu.bash.lookup import _merged, is_program_home
            if not (self._box_program(name) and path.startswith("/") and
                    is_program_home(name, _merged(path.rsplit("/", 1)[0] + "/").rstrip("/"))
                    and path.endswith("/" + name)):
                # search_for_command(): a remembered path is run as it is, even one
                # gone since (`hash -p /usr/bin/uname ls`, a script moved away)
                from ipemu.bash.lookup import hit
                hit(self, name)
                return (yield from programs.run_path(self, [path] + argv[1:], ctx))
        if not program and builtin is None and "/" not in name and \
                name not in BASH_BUILTIN_NAMES and self._box_program(name):
            missed = yield from self._path_search(argv, ctx)
            if missed is not None:
                return missed
        if name == "nohup":
            if not program:
                from ipemu.bash.lookup import remember
                remember(self, name)
            return (yield from programs.nohup(self, argv, ctx))
        if name in ("sudo", "su"):
            if not program:
                from ipemu.bash.lookup import remember
                remember(self, name)        # bash found it in PATH: it is hashed
            runner = programs.sudo if name == "sudo" else programs.su
            return (yield from runner(self, argv, ctx))
        if name == "kill" and not program:
            from ipemu.bash.traps import kill_self
            delivered = kill_self(self, argv, ctx)
            if delivered is not None:
                return (yield from delivered)
        if "/" in name:
            return (yield from programs.run_path(self, argv, ctx))
        if builtin is not None:
            result = builtin(self, argv, ctx)
            if hasattr(result, "send"):
                result = yield from result
            return result
        if name in ("bash", "sh", "dash"):
            self.exec_child = nofork
            return (yield from self.child_shell(argv, ctx))
        ended = getattr(self, "coproc_status", None)
        if name == "wait" and ended and argv[1:] and all(a in ended for a in argv[1:]):
            # `wait $NAME_PID`: the coproc's status (exec_coproc()), at the prompt too
            status = ended[argv[-1]]
            self.reap_coprocs(argv[1:], ctx)
            return status
        if name == "wait" and self.state.script is not None and \
                not any(a.startswith(("%", "-")) for a in argv[1:]):
            return (yield from self.wait_children(argv, ctx))
        from ipemu.bash.lookup import file_to_lose_on, remember, shadowing_program, \
            user_program
        if not self._known_program(name):
            found = user_program(self, name)
            if found is not None:
                remember(self, name)
                return (yield from programs.run_path(self, [found] + argv[1:], ctx))
            lost = file_to_lose_on(self, name)
            if lost is not None:
                return (yield from programs.run_path(self, [lost] + argv[1:], ctx))
            if self._handles_not_found(name):
                return (yield from self._not_found_handler(argv, ctx))
        elif not program:
            found = shadowing_program(self.session.fs, self.session.cwd,
                                      self.state.get("PATH"), name)
            if found is not None:
                self.state.hashed[name] = found
                return (yield from programs.run_path(self, [found] + argv[1:], ctx))
        if not program:
            remember(self, name)    # a program sudo runs is sudo's execvp()'s, not bash's
        return (yield from self.invoke_tool(argv, ctx, exec_self, nofork, program))

    def _exec_shell_level(self):
        """execute_disk_command()'s nofork: bash lowers SHLVL by one before it execs
        its last command in place (the program sees it); (var, old value) to put
        back, or None."""
        var = self.state.vars.get("SHLVL")
        if self.state.dash or var is None or not var.exported:
            return None
        text = var.value.strip()
        old, var.value = var.value, str((int(text) if text.lstrip("-").isdigit() else 0) - 1)
        return var, old

    def _box_program(self, name: str) -> bool:
        return self._known_program(name) or name in ("bash", "sh", "dash", "sudo", "su", "nohup")

    def _path_search(self, argv: list[str], ctx: Ctx):
        """A box program PATH does not reach (`PATH=/nowhere ip a`): a file of the
        user's that PATH finds runs instead, else bash's search_for_command() failed
        (None: PATH reaches the program)."""
        from ipemu.bash import programs
        from ipemu.bash.lookup import file_to_lose_on, path_misses, user_program
        reason = path_misses(self, argv[0])
        if reason is None:
            return None
        found = user_program(self, argv[0])
        if found is None and reason == "command not found":
            found = file_to_lose_on(self, argv[0])
        if found is not None:
            return (yield from programs.run_path(self, [found] + argv[1:], ctx))
        if reason == "command not found" and self._handles_not_found(argv[0]):
            return (yield from self._not_found_handler(argv, ctx))
        self.error(ctx, f"{argv[0]}: {'not found' if self.state.dash else reason}")
        return 127

    def _alias_table(self) -> dict | None:
        """The aliases a command being read expands: dash always does, bash only
        with shopt expand_aliases (the prompt's own expansion is the session's)."""
        if self.state.dash or "shopt:expand_aliases" in self.state.options:
            return self.state.aliases
        return None

    def _extglob_on(self) -> bool:
        """shopt extglob, as the parser asks when it reads a word (never in dash)."""
        return "shopt:extglob" in self.state.options and not self.state.dash

    def _handles_not_found(self, name: str) -> bool:
        return "command_not_found_handle" in self.state.functions and \
            not self.state.dash and name not in BASH_BUILTIN_NAMES

    def _not_found_handler(self, argv: list[str], ctx: Ctx):
        """execute_disk_command(): a name PATH did not find, with a function
        command_not_found_handle defined, runs it in the child bash forked for the
        command, given the command and its arguments; its status is the command's."""
        function = self.state.functions["command_not_found_handle"]
        return (yield from self.in_subshell(
            self.call_function(function, ["command_not_found_handle", *argv], ctx)))

    @staticmethod
    def _known_program(name: str) -> bool:
        from ipemu.session import TOOLS
        from ipemu.tools.textutils import TEXT_TOOLS
        return name in TOOLS or name in TEXT_TOOLS

    def call_function(self, function: ast.FunctionDef, argv: list[str], ctx: Ctx):
        state = self.state
        call_line = state.lineno      # execute_function() puts line_number back
        read_line, state.read_line = state.read_line, function.body.line
        saved_args = state.positional
        state.positional = list(argv[1:])
        state.frames.append({})
        state.funcnames.append(function.name)
        state.funcsources.append(function.source)
        state.calllines.append(call_line)
        # execute_function(): without set -T the caller's RETURN trap is not the
        # function's (it is put back after; one set inside stays)
        outer_return = outer_debug = None
        traced = "functrace" in state.options or function.name in state.func_traced
        if not traced:
            outer_return = state.traps.pop("RETURN", None)
            outer_debug = state.traps.pop("DEBUG", None)
        try:
            if traced and self.debug_trap_armed():
                state.lineno = function.body.line    # execute_function()'s line_number
                # execute_function() runs the DEBUG trap once more as the function
                # starts, before its body's first command ($BASH_COMMAND the call)
                from ipemu.bash.traps import run_trap
                yield from run_trap(self, "DEBUG", ctx, self.last_status)
            try:
                status = yield from self.exec_command(function.body, ctx)
            except ReturnSignal as ret:
                status = ret.status
            if "RETURN" in state.traps:
                # the trap's $? is the last command's, not `return N`'s
                from ipemu.bash.traps import run_trap
                yield from run_trap(self, "RETURN", ctx, self.last_status)
            self.last_status = status
            return status
        except RecursionError:
            # bash recurses until its stack overflows: the shell dies of SIGSEGV
            # (status 139, nothing printed by `bash -c` itself)
            raise ExitSignal(139) from None
        except ExitSignal:
            # exit_shell() runs the EXIT trap before any unwind-protect: the caller's
            # DEBUG trap the function took away is not back for it
            outer_debug = None
            raise
        finally:
            state.lineno, state.read_line = call_line, read_line
            if outer_return is not None:
                state.traps["RETURN"] = outer_return
            restore_debug_trap(state, outer_debug)
            if state.self_refs:
                depth = len(state.frames)
                for ref in [n for n, d in state.self_refs.items() if d >= depth]:
                    del state.self_refs[ref]
            state.funcnames.pop()
            state.funcsources.pop()
            state.calllines.pop()
            frame = state.frames.pop()
            for var_name, var in frame.items():
                if var_name == "-" and var is not None:
                    # `local -`: the set -o options as they were at that point
                    from ipemu.bash.builtins import OPTION_NAMES
                    state.options -= OPTION_NAMES
                    state.options |= set(filter(None, var.value.split(":")))
                    continue
                state.invisible.pop(var_name, None)
                if var is None:
                    state.vars.pop(var_name, None)
                else:
                    state.vars[var_name] = var
            state.positional = saved_args

    def child_shell(self, argv: list[str], ctx: Ctx):
        """`bash -c TEXT [NAME ARGS]`, `bash FILE ARGS`, `sh ...`: a new shell process
        with the exported variables, run to its end."""
        from ipemu.bash.builtins import child_state
        is_dash = argv[0].rsplit("/", 1)[-1] in ("sh", "dash")
        exec_child, self.exec_child = getattr(self, "exec_child", False), False
        # `exec -a NAME` / `exec -l`: the argv[0] the new shell was given
        arg0, self.exec_argv0 = getattr(self, "exec_argv0", None) or argv[0], None
        args = argv[1:]
        options = []
        named: list[tuple[bool, str]] = []
        c_flag = from_c = s_flag = False
        # shell.c's parse_shell_options(): -c is a flag among the others (`-xc`,
        # `-e -c`); the first word that is no option is then the command string
        while args and args[0].startswith(("-", "+")) and args[0] not in ("-", "--") \
                and len(args[0]) > 1:
            word = args.pop(0)
            if word[0] == "-" and "s" in word[1:] and word not in ("-o",):
                # -s: the commands come from standard input, the words after the
                # options are the positional parameters (`bash -s -- one two <<EOF`)
                s_flag = True
                word = word.replace("s", "")
                if len(word) == 1:
                    continue
            if word[0] == "-" and "c" in word[1:]:
                c_flag = True
                word = word.replace("c", "")
                if len(word) == 1:
                    continue
            if word in ("-o", "+o") and args:
                named.append((word[0] == "-", args.pop(0)))     # `bash -o pipefail`
                continue
            options.append(word)
        if args and args[0] in ("--", "-"):
            args.pop(0)         # a lone `-` ends the options too (bash and dash)
        if c_flag:
            if not args:
                ctx.term.err(f"{argv[0]}: 0: -c requires an argument\n" if is_dash else
                             f"{argv[0]}: -c: option requires an argument\n")
                return 2
            text = args[0]
            from_c = True
            state = child_state(self.state, args[1] if len(args) > 1 else arg0,
                                args[2:], script="bash" if argv[0] == "bash" else argv[0],
                                dash=is_dash)
            if len(args) > 1:
                state.c_name = args[1]
        elif s_flag and not self.terminal_silent(ctx):
            text = ctx.stdin.read_all() if ctx.stdin is not None else ""
            state = child_state(self.state, arg0, list(args),
                                script="bash" if not is_dash else argv[0], dash=is_dash)
            state.stdin_commands = True
        elif args:
            try:
                text = self.session.open_text(args[0])
            except OSError as err:
                if argv[0].rsplit("/", 1)[-1] in ("sh", "dash"):
                    # dash's setinputfile(): `sh: 0: cannot open X: No such file`, 2
                    reason = "No such file" if err.errno == errno.ENOENT else err.strerror
                    ctx.term.err(f"{argv[0]}: 0: cannot open {args[0]}: {reason}\n")
                    return 2
                ctx.term.err(f"{argv[0]}: {args[0]}: {err.strerror}\n")
                return 127
            state = child_state(self.state, args[0], args[1:], script=args[0],
                                dash=is_dash)
            state.from_file = not is_dash
        elif self.terminal_silent(ctx):
            return (yield from self._interactive_shell(argv[0], ctx))
        else:
            text = ctx.stdin.read_all() if ctx.stdin is not None else ""
            state = child_state(self.state, argv[0], [], script="bash", dash=is_dash)
            state.stdin_commands = True
        state.dash = is_dash
        if exec_child and not self.state.subshell:
            # the -c string's last command is exec'd (no fork): the new shell is this
            # process, its parent this shell's parent
            ppid = self.state.vars.get("PPID")
            state.vars["PPID"] = Var(ppid.value if ppid is not None else "0",
                                     readonly=not is_dash)
        _shell_level(state, exec_child)
        if arg0.startswith("-") and not is_dash:
            state.options.add("shopt:login_shell")      # shell.c: argv[0] `-bash`
        if not self.state.dash:
            # put_command_name_into_env(): bash gives a program its path in `_`
            state.vars["_"] = Var(argv[0] if "/" in argv[0] else f"/usr/bin/{argv[0]}",
                                  exported=True)
        if not is_dash and "/" in argv[0]:
            state.vars["BASH"].value = argv[0]      # get_bash_name(): as it was run
        if state.dash:
            # dash sets none of bash's own variables (an exported one stays)
            for name in ("BASH", "BASH_VERSION", "BASH_VERSINFO", "HOSTTYPE", "OSTYPE",
                         "MACHTYPE", "UID", "EUID", "OPTERR"):
                if name in state.vars and not state.vars[name].exported:
                    del state.vars[name]
        for option in options:
            from ipemu.bash.builtins import apply_option
            apply_option(state, option)
        for on, name in named:
            (state.options.add if on else state.options.discard)(name)
        child = Interp(self.session, state, 0, interactive=False)
        # the ShellProcess that runs this generator (timeout's child) finds its shell
        # here, for the traps a signal sent to it runs (bash/process.py)
        if getattr(self.session, "spawned_interp", None) is None:
            self.session.spawned_interp = child     # the outermost one (a nested
            # `bash -c` inside it is not the process's shell)
        # dash 0.5.12 forks for its -c string's last command too (recorded)
        child.c_string = from_c and not state.dash
        # a new process: its `cd` stays its own (the session holds one working
        # directory, the calling shell's again when the child ends)
        saved_cwd = getattr(self.session, "cwd", None)
        env = getattr(self.session, "env", None)
        saved_env = dict(env) if env is not None else None     # and its OLDPWD
        shells = getattr(self.session, "child_shells", None)
        if shells is not None:
            shells[state.pid] = ctx.netns       # /proc/PID/ns/net while it runs
            # what ps shows of it: comm from the program's file name, the cmdline as
            # given (`exec -a NAME`: NAME), and the shell it replaced when exec'd
            self.session.child_procs[state.pid] = ChildShell(
                argv[0].rsplit("/", 1)[-1][:15], [arg0] + argv[1:],
                self.state.pid if exec_child and not self.state.subshell else 0)
        try:
            status = yield from child.run_shell(text, Ctx(ctx.term, ctx.stdin, ctx.netns,
                                                          ctx.tty))
            if getattr(child, "died_of", 0) and status == 128 + child.died_of and \
                    not exec_child:
                self.fg_died = (state.pid, child.died_of)
            return status
        finally:
            if shells is not None:
                shells.pop(state.pid, None)
                self.session.child_procs.pop(state.pid, None)
            if saved_cwd is not None:
                self.session.cwd = saved_cwd
            if saved_env is not None:
                self.session.env = saved_env

    # ------------------------------------------------- a terminal nobody types at
    def terminal_silent(self, ctx: Ctx) -> bool:
        """Standard input is the terminal of a line as the recorders run it: nobody
        types there, so a read of it waits until the line is killed."""
        return ctx.stdin is None and getattr(self.session, "line_timeout", None) is not None

    def wait_forever(self, ctx: Ctx):
        from ipemu.process import Forever
        yield Waiting(Forever(self.session.host, ctx.term), None)
        return 0

    def _interactive_shell(self, name: str, ctx: Ctx):
        """`bash` (`ip netns exec NS bash`, `sudo -i`, `su`) on the terminal: its prompt
        (Debian's /etc/bash.bashrc PS1 '\\u@\\h:\\w\\$ ', with readline's
        bracketed-paste mode turned on before it; dash's `# `), then it waits to be
        typed at."""
        if ctx.tty:
            if name.rsplit("/", 1)[-1] in ("sh", "dash"):
                ctx.term.out("# ")
            else:
                home = self.state.get("HOME") or "/root"
                cwd = self.session.cwd
                if home != "/" and (cwd == home or cwd.startswith(home + "/")):
                    cwd = "~" + cwd[len(home):]
                ctx.term.out(f"\x1b[?2004hroot@{self.session.host.hostname}:{cwd}# ")
        return (yield from self.wait_forever(ctx))

    def run_shell(self, text: str, ctx: Ctx):
        """A whole shell's run of `text`: to its end or its `exit`, then its EXIT
        trap (trap.c's run_exit_trap), which keeps the status unless it exits."""
        try:
            status = yield from self.run_source(text, ctx, reader=True)
        except ExitSignal as signal:
            status = signal.status
            self.died_of = signal.signum
            if signal.expansion and (self.state.script not in (None, "bash")
                                     or "errexit" in self.state.options
                                     or getattr(self.state, "stdin_commands", False)):
                # a script file ends with 1 where `bash -c` gives 127, and so does
                # `bash -c` under set -e (recorded: `set -eu; echo $zz` is 1, `set -u;
                # echo $zz` 127; commands read from a pipe end with 1 too); dash's
                # errors (exraise(EXERROR)) end it with 2
                status = 2 if self.state.dash else 1
        except (LoopControl, ReturnSignal):
            status = self.last_status
        action = self.state.traps.pop("EXIT", None)
        if action:
            status = yield from self._exit_trap(action, status, ctx)
        if self.out_procsubs or self.ready_outsubs:
            # the shell's exit closes `exec > >(LIST)`'s file: LIST reads its end
            yield from self.run_output_substitutions(at_exit=True)
        # the process's exit closes its descriptors: a /dev/tcp socket's FIN
        while self.tcp_socks:
            self._close_tcp(self.tcp_socks[-1])
        return status

    def _close_tcp(self, sock) -> None:
        from ipemu import devtcp
        if sock in self.tcp_socks:
            self.tcp_socks.remove(sock)
            devtcp.close(sock)

    # --------------------------------------------------- command substitution
    def command_substitution(self, source: str):
        from ipemu.tools.context import Routing
        term = Terminal()
        outer = self.cur_ctx
        if outer is not None:
            term.sink = Routing(outer.term, {"stderr": "stderr"})
        # the substitution's commands read the shell's standard input (`config=$(cat)`
        # in a script run with `< FILE` reads FILE; what they read is gone for the
        # shell after)
        inner = term
        extra = {fd: Dest("pass", dest.where, term=outer.term.sink.outer)
                 if dest.kind == "term" else dest
                 for fd, dest in (open_fds(outer) if outer is not None else {}).items()}
        if extra:
            # the shell's descriptors above 2 (`exec 3>LOG`) are the substitution's
            # too: `$(log >&3; echo value)` writes LOG (the forked child's copies)
            inner = RedirectTerminal(sink=FdSink(term, {1: Dest("term", "stdout"),
                                                        2: Dest("term", "stderr"),
                                                        **extra}, self))
        ctx = Ctx(inner, outer.stdin if outer is not None else None,
                  outer.netns if outer is not None else None, tty=False,
                  err_tty=outer.err_tty if outer is not None else True)
        self.subst_level += 1
        try:
            status = yield from self.in_subshell(self._substitution(source, ctx))
        finally:
            self.subst_level -= 1
            self.cur_ctx = outer
        # (command_substitute()'s wait says nothing of the jobs: recorded)
        self.subst_status = status
        self.last_status = status
        return term.stream("stdout").rstrip("\n")

    def process_substitution(self, source: str, direction: str):
        """<(LIST): LIST runs to its end and its output is a file under /dev/fd
        (numbered from 63 down, as bash does); >(LIST) gets a file, and LIST runs
        on what was written there once the command that opened it is done (after
        the shell itself for `exec > >(tee LOG)`), its output where the command's
        went: the order of a concurrent reader's lines when it writes nothing
        before its input ends (tee, sed, wc)."""
        fs = self.session.fs
        if "/dev/fd" not in fs.dirs:
            fs.dirs = tuple(sorted(set(fs.dirs) | {"/dev", "/dev/fd"}))
        number = 63
        while f"/dev/fd/{number}" in fs.files and number > 10:
            number -= 1
        path = f"/dev/fd/{number}"
        text = ""
        if direction == "<":
            from ipemu.tools.context import Routing
            term = Terminal()
            outer = self.cur_ctx
            if outer is not None:
                term.sink = Routing(outer.term, {"stderr": "stderr"})
            ctx = Ctx(term, None, outer.netns if outer is not None else None, tty=False,
                  err_tty=outer.err_tty if outer is not None else True)
            try:
                yield from self.in_subshell(self._substitution(source, ctx))
            finally:
                self.cur_ctx = outer
            text = term.stream("stdout")
        fs.files[path] = encode(text)
        self.procsubs.append(path)
        if direction == ">":
            outer = self.cur_ctx
            self.out_procsubs[path] = (source, outer.term if outer is not None else None,
                                       outer.netns if outer is not None else None,
                                       outer.tty if outer is not None else True)
        return path

    def release_process_substitutions(self, mark: int) -> None:
        """The /dev/fd files made since `mark` (this command's) go away; a >(LIST)'s
        text is kept for LIST (run_output_substitutions())."""
        for path in self.procsubs[mark:]:
            self._close_out_substitution(path)
            self.session.fs.files.pop(path, None)
        del self.procsubs[mark:]

    def _close_out_substitution(self, path: str) -> None:
        entry = self.out_procsubs.pop(path, None)
        if entry is not None:
            data = self.session.fs.files.get(path, b"")
            text = data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) \
                else str(data)
            self.ready_outsubs.append((entry, text))

    def run_output_substitutions(self, at_exit: bool = False):
        """The >(LIST)s whose files were closed (at the shell's exit: all of them,
        `exec > >(tee LOG)`), each LIST reading what was written, in a subshell."""
        if at_exit:
            for path in list(self.out_procsubs):
                self._close_out_substitution(path)
                self.session.fs.files.pop(path, None)
        while self.ready_outsubs:
            (source, term, netns, tty), text = self.ready_outsubs.pop(0)
            if term is None:
                continue
            status = self.last_status
            ctx = Ctx(term, Input(text), netns, tty=tty)
            outer = self.cur_ctx
            try:
                yield from self.in_subshell(self._substitution(source, ctx))
            finally:
                self.cur_ctx = outer
            self.last_status = status

    def _substitution(self, source: str, ctx: Ctx):
        # a $( ) subshell does not inherit set -e (bash without inherit_errexit or
        # posix mode: subst.c's command_substitute(); dash's does)
        if "shopt:inherit_errexit" not in self.state.options and not self.state.dash and \
                "posix" not in self.state.options:
            self.state.options.discard("errexit")
        m = re.fullmatch(r"\s*<\s*(\S+)\s*", source)
        if m:       # $(< FILE): the file, without running cat
            name = yield from self.expand_string(m.group(1))
            try:
                ctx.term.out(self.session.open_text(name))
            except OSError as err:
                self.error(ctx, f"{name}: {err.strerror}")
                return 1
            return 0
        return (yield from self.run_source(source, ctx, self.state.lineno or 1))

    # ----------------------------------------------------------- redirections
    def open_redirects(self, redirects: list[ast.Redirect], ctx: Ctx, reads: bool = True):
        """The context a command runs in after its redirections, and a function
        that finishes them (sends a /dev/udp datagram, writes /proc/sys). `reads`:
        False for a command with no words, which opens and closes its redirections
        and reads nothing (`</dev/tcp/H/P` alone only connects)."""
        if not redirects:
            return ctx, lambda name="": None
        base, fds = _open_fds(ctx)
        stdin = ctx.stdin
        named = None        # `{fd}>FILE`'s variable, set once FILE is open
        for redirect in redirects:
            if named:
                self.assign(*named)
                named = None
            op = redirect.op
            if redirect.heredoc is not None:
                doc = redirect.heredoc
                body = doc.body if doc.quoted else \
                    (yield from self._here_expansion(self.expand_heredoc(doc.body)))
                if isinstance(redirect.fd, int) and redirect.fd > 0:
                    # `exec 4<<EOF`: the document on that descriptor (`read -u 4`)
                    fds[redirect.fd] = Dest("in", "", input=Input(body))
                else:
                    stdin = Input(body)
                continue
            if op == "<<<":
                word = yield from self._here_expansion(self.expand_string(redirect.target))
                if isinstance(redirect.fd, int) and redirect.fd > 0:
                    fds[redirect.fd] = Dest("in", "", input=Input(word + "\n"))
                else:
                    stdin = Input(word + "\n")
                continue
            target = yield from self._redirect_target(redirect.target)
            fd = redirect.fd
            if isinstance(fd, str):
                fd, named = self._named_fd(fd[1:-1], fds, op, target)
            if op in (">&", "<&") and (target.isdigit() or target == "-"):
                fd = (1 if op == ">&" else 0) if fd is None else fd
                if target == "-":
                    if fd > 2:
                        closed = fds.pop(fd, None)      # `exec 3>&-` closes it
                        if closed is not None and closed.kind == "tcp" and \
                                all(d is not closed for d in fds.values()):
                            self._close_tcp(closed.socket)
                    else:
                        fds[fd] = Dest("null")
                elif fd == 0 and int(target) in fds and fds[int(target)].kind == "in":
                    stdin = fds[int(target)].input
                elif fd == 0 and int(target) in fds and fds[int(target)].kind == "udp":
                    # reading the connect()ed socket: the error an ICMP left
                    # (udp_recvmsg() -> sock_error()), else nothing has come
                    stdin = Input(_socket_input(fds[int(target)].socket))
                elif fd == 0 and int(target) in fds and fds[int(target)].kind == "tcp":
                    # a read to the peer's FIN (the shell waits as `cat` would)
                    from ipemu import devtcp
                    stdin = Input((yield from devtcp.read_all(
                        self.session, fds[int(target)].socket, ctx.term)))
                elif int(target) in fds:
                    fds[fd] = fds[int(target)]
                elif target != "0":
                    # bash names the word as written (`$log`), not its value
                    raise CommandError(f"bash: {redirect.target}: Bad file descriptor\n", 1)
                continue
            if target.startswith("/dev/tcp/"):
                # redir.c netopen(): the connect happens before the command runs
                from ipemu import devtcp
                netns = ctx.netns or self.session.host.init_ns
                sock = yield from devtcp.connect(self.session, netns, target, ctx.term)
                self.tcp_socks.append(sock)
                if op in ("<", "<>") and (fd or 0) == 0:
                    # recorded: `timeout 1 bash -c '</dev/tcp/H/P'` says "open" at
                    # once, the handshake then the client's FIN
                    stdin = Input((yield from devtcp.read_all(self.session, sock,
                                                              ctx.term)) if reads else "")
                else:
                    fds[(0 if op in ("<", "<>") else 1) if fd is None else fd] = \
                        Dest("tcp", target, socket=sock)
                continue
            if op in ("<", "<>") and target.startswith("/dev/udp/") and not self.state.dash:
                # netopen() serves every redirection of the path, reads too: the
                # connect()ed socket (`exec 4<>/dev/udp/H/P` then `echo ... >&4`)
                dest = self._open_output(target, op, ctx.netns)
                from ipemu.devudp import keep_errors
                keep_errors(dest.socket)
                if (fd or 0) == 0:
                    stdin = Input("")
                else:
                    fds[fd] = dest
                continue
            if op in ("<", "<>"):
                try:
                    fifo = self.session.fs.fifos and self.session._path(target)
                    if op == "<>" and not (fifo and self.session.fs.is_fifo(fifo)):
                        # O_RDWR|O_CREAT: a file that is not there is made, empty
                        self._open_output(target, ">>", ctx.netns)
                    if op == "<>" and fifo and self.session.fs.is_fifo(fifo):
                        # fifo_open(): O_RDWR on a pipe never waits for a writer (it
                        # is one): what it reads is what is there and what it writes
                        from ipemu.output import decode
                        opened = Input(decode(self.session.fs.read(fifo)), seekable=True)
                        if (fd or 0) != 0:
                            fds[fd] = Dest("in", target, input=opened, rw=True,
                                           fifo=fifo, closed=True)
                            continue
                    else:
                        opened = Input(self.session._open_input(target), seekable=True)
                except CommandError as err:
                    raise self._dash_redirect_error(err, "open", target)
                if (fd or 0) == 0:
                    stdin = opened
                else:
                    fds[fd] = Dest("in", target, input=opened, rw=op == "<>")
                continue
            same = _fd_path(target)
            if same is not None and same in fds:
                # /dev/stdout, /dev/fd/N: open(2) of /proc/self/fd/N reaches what
                # that descriptor has open (`exec > LOG` then `echo >> /dev/stdout`
                # writes LOG; `> /dev/fd/3` after `exec 3<&1`)
                dest = fds[same]
            else:
                try:
                    dest = self._open_output(target, op, ctx.netns)
                except CommandError as err:
                    raise self._dash_redirect_error(err, "create", target)
            if op in ("&>", "&>>", ">&"):
                fds[1] = fds[2] = dest
            else:
                fds[1 if fd is None else fd] = dest
        if named:
            self.assign(*named)
        to_term = fds[1].kind == "term" and fds[1].where == "stdout"
        err_to_term = fds[2].kind == "term" and fds[2].where == "stderr"
        # `> /dev/tty` is the controlling terminal itself: isatty() holds there even
        # when the line's stdout is a pipe (ip addr save's "Not sending a binary
        # stream to stdout", recorded: case tutorials37b_so_stdout_terminal)
        inner = Ctx(RedirectTerminal(sink=FdSink(base, fds, self)), stdin, ctx.netns,
                    tty=ctx.tty and to_term or fds[1].kind == "tty",
                    err_tty=ctx.err_tty and err_to_term or fds[2].kind == "tty")

        def closer(name: str = "") -> int | None:
            """Finish the outputs; the status of a failed write to stdout (a
            datagram the kernel refuses, a value /proc/sys rejects), else None."""
            failed = None
            for dest in {id(d): d for d in fds.values()}.values():
                if self._finish_output(dest, ctx, name, dest is fds[1]):
                    failed = 1
            return failed
        return inner, closer

    def _dash_redirect_error(self, err: CommandError, action: str,
                             target: str) -> CommandError:
        """dash's words for a redirection it cannot open (redir.c's openredirect(),
        errmsg(): ENOENT reads `No such file` for an input, `Directory nonexistent`
        for an output) and its status 2; bash's error as it was otherwise."""
        if not self.state.dash:
            return err
        reason = err.message.rstrip("\n").rsplit(": ", 1)[-1]
        if reason == "No such file or directory":
            reason = "No such file" if action == "open" else "Directory nonexistent"
        return CommandError(f"bash: cannot {action} {target}: {reason}\n", 2)

    def _element_value(self, name: str) -> str | None:
        """$NAME, or ${NAME[SUB]} for `{a[1]}>&-` (redir_varvalue())."""
        if not (name.endswith("]") and "[" in name):
            return self.state.get(name)
        base, _, index = name[:-1].partition("[")
        var = self.state.vars.get(self.state.deref(base))
        if var is None:
            return None
        if var.array is None:
            return var.value if self.arith(index) == 0 else None
        return var.array.get(index if var.assoc else self.arith(index))

    def _named_fd(self, name: str, fds: dict, op: str, target: str):
        """`{fd}>FILE`: the lowest free descriptor from 11 up, and the assignment of
        its number to $fd, made once FILE is open (do_redirection_internal() opens,
        then redir_varassign()s: a refused /dev/tcp leaves $fd unset); `{fd}>&-`
        closes the one $fd names."""
        if target == "-" and op in (">&", "<&"):
            value = self._element_value(name) or ""
            if not value.isdigit():
                raise CommandError(f"bash: {value or name}: ambiguous redirect\n", 1)
            return int(value), None
        # bash keeps 10 for itself (the recorded shells all hand out 11 first)
        number = 11
        while number in fds:
            number += 1
        return number, (name, str(number))

    def _redirect_target(self, raw: str):
        if self.state.dash:
            # dash's expandarg(..., EXP_TILDE | EXP_REDIR): no field splitting and no
            # globbing, so an empty `> $X` opens "" (`cannot create : Directory
            # nonexistent`) where bash says `ambiguous redirect`
            return (yield from self.expand_string(raw))
        fields = yield from self.expand_fields(raw)
        if len(fields) != 1:
            raise CommandError(f"bash: {raw}: ambiguous redirect\n", 1)
        return fields[0]

    def _open_output(self, target: str, op: str, netns=None) -> Dest:
        session = self.session
        if target == "/dev/null":
            return Dest("null")
        if target in ("/dev/stdout", "/dev/stderr"):
            return Dest("term", target[5:])
        if target == "/dev/tty" and getattr(session, "line_term", None) is not None:
            return Dest("tty")
        if target.startswith("/dev/udp/"):
            from ipemu import devudp
            # the shell's namespace (`ip netns exec NS bash -c ...`), as for /dev/tcp
            return Dest("udp", target, socket=devudp.connect(netns or session.host.init_ns,
                                                             target))
        path = session._path(target)
        if path.startswith("/proc/sys/"):
            from ipemu.tools.sysctl import lookup
            # /proc/sys/net is the writer's namespace's (`ip netns exec NS sh -c ...`)
            netns = netns or session.host.init_ns
            key = path[len("/proc/sys/"):].replace("/", ".")
            if lookup(netns, key) is None:
                raise CommandError(f"bash: {target}: No such file or directory\n", 1)
            from ipemu.kernel.sysctl import read_only
            if read_only(key):
                raise CommandError(f"bash: {target}: Permission denied\n", 1)
            return Dest("proc", path, netns=netns)
        if path.startswith("/sys/class/net/"):
            from ipemu import procfs
            # the writer's namespace's sysfs, as `ip netns exec` mounts it
            netns = netns or session.host.init_ns
            code = procfs.open_write(netns, path)
            if code:
                raise CommandError(f"bash: {target}: {os.strerror(code)}\n", 1)
            if code == 0:
                return Dest("sysfs", path, netns=netns)
        try:
            if op.endswith(">>"):
                session.check_writable(target, netns)
                if session.read_file(target) is None:
                    session.write_file(target, b"", netns=netns)   # O_APPEND|O_CREAT
            else:
                if "noclobber" in self.state.options and op != ">|" and \
                        session.read_file(target) is not None:
                    raise CommandError(f"bash: {target}: cannot overwrite existing file\n",
                                       1)
                session.write_file(target, b"", netns=netns)
        except OSError as err:
            raise CommandError(f"bash: {target}: {err.strerror}\n", 1)
        fifo = session.fs.fifos and session._path(target)
        if fifo and session.fs.is_fifo(fifo):
            # a writer holds the pipe open until the command ends (its reader reads
            # until then: Session._let_writers_run())
            session.fs.fifo_writers[fifo] = session.fs.fifo_writers.get(fifo, 0) + 1
            return Dest("file", target, fifo=fifo)
        return Dest("file", target)

    def _finish_output(self, dest: Dest, ctx: Ctx, name: str, stdout: bool) -> bool:
        """Send a datagram, write a sysctl; True when the write failed on stdout (a
        failed write to stderr goes unreported, as bash's is)."""
        text = "".join(dest.buffer)
        dest.buffer.clear()
        if dest.fifo and not dest.closed:
            dest.closed = True
            writers = self.session.fs.fifo_writers
            writers[dest.fifo] = writers.get(dest.fifo, 1) - 1
            if writers[dest.fifo] <= 0:
                del writers[dest.fifo]
        if dest.kind == "udp" and text:
            return self._send_datagrams(dest.socket, text, ctx, name, stdout)
        elif dest.kind == "tcp" and text:
            sock = dest.socket
            if int(sock.state) == 7 and sock.err:
                # tcp_sendmsg() on a socket closed by an error (a reset, ss -K's
                # tcp_abort()): sk_stream_error() -> sock_error() returns sk_err and
                # clears it, no SIGPIPE
                code, sock.err = int(sock.err), 0
                if stdout:
                    ctx.term.err(self._write_error(name, os.strerror(code)))
                return stdout
            if int(sock.state) == 7 and stdout and (not name or name in BASH_BUILTIN_NAMES):
                # the error taken: EPIPE, and SIGPIPE ends the shell writing
                # (sk_stream_error(); recorded: the second echo after a reset, 141)
                self._builtin_sigpipe(name or "echo", ctx)
                return True
            data = text.encode("utf-8", "surrogateescape")
            # bash's own stdout is line buffered: a builtin (or a compound command's
            # builtins) writes each line as its own write(2), a program its buffer
            # (recorded: `printf 'GET /\r\n\r\n' >&3` leaves as 7 and 2 bytes,
            # `cat FILE >&3` as one segment)
            chunks = re.findall(rb"[^\n]*\n|[^\n]+", data) \
                if not name or name in BASH_BUILTIN_NAMES else [data]
            for chunk in chunks:
                dest.socket.send(chunk)                                  # tcp_sendmsg()
        elif dest.kind == "proc" and text:
            # nothing written, nothing changed (`true > FILE`); the value parsed as
            # the key's proc handler does (EINVAL refused)
            from ipemu.tools.sysctl import write_errno
            key = dest.where[len("/proc/sys/"):].replace("/", ".")
            code = write_errno(dest.netns or self.session.host.init_ns, key, text)
            if code and stdout:
                ctx.term.err(self._write_error(name, os.strerror(code)))
                return True
        elif dest.kind == "sysfs" and text:
            from ipemu import procfs
            code = procfs.write(dest.netns, dest.where, text)
            if code and stdout:
                ctx.term.err(self._write_error(name, os.strerror(code)))
                return True
        return False

    def _send_datagrams(self, sock, text: str, ctx: Ctx, name: str, stdout: bool) -> bool:
        """What a command wrote to a /dev/udp socket, one datagram per write(): a
        builtin's line by line (bash's stdout is line-buffered), a program's at once.
        An error an earlier datagram provoked (a port unreachable) fails the next
        write, and the builtin stops there, as its write error ends it."""
        from ipemu.devudp import keep_errors, send, stdio_writes
        from ipemu.output import BASH_BUILTINS
        from ipemu.session import WRITE_TIME
        if name in BASH_BUILTINS and not self.state.dash:
            writes = stdio_writes(text)
        elif name == "head":
            # head.c's copy loops write what each read() of BUFSIZ gave (8192 bytes)
            data = text.encode("utf-8", "surrogateescape")
            writes = [data[i:i + 8192].decode("utf-8", "surrogateescape")
                      for i in range(0, len(data), 8192)] or [text]
        else:
            writes = [text]
        stack = sock.stack
        listening = len(writes) > 1 and sock.on_error is None
        if listening:        # a connected socket keeps a fatal ICMP error (__udp4_lib_err())
            keep_errors(sock)
        try:
            for chunk in writes:
                reason = send(sock, chunk)
                # the writer lives on a moment: the datagram and what it provokes (a
                # port unreachable) happen before the next write or command
                self.session.host.clock.advance(WRITE_TIME)
                if reason is not None:
                    if stdout:
                        ctx.term.err(self._write_error(name, reason))
                    return stdout
        finally:
            if listening:
                stack.close_udp_probe(sock)
        return False

    def _write_error(self, name: str, reason: str) -> str:
        """A failed write to stdout: a builtin's through builtin_error() (the
        shell's prefix, `line N: ` when not interactive), another command's own."""
        from ipemu.output import BASH_BUILTINS, write_error
        if name in BASH_BUILTINS and not self.state.dash:
            return f"{self.prefix()}{name}: write error: {reason}\n"
        return write_error(name, reason)

    # ----------------------------------------------------------- coproc
    def exec_coproc(self, node: ast.Coproc, ctx: Ctx):
        """`coproc [NAME] COMMAND` (execute_cmd.c's execute_coproc()): COMMAND runs in
        a subshell whose output is the pipe NAME[0] reads (the read end moved to fd
        63, the write end, its input, to 60: 62 and 58 while another coproc is
        there, as recorded), NAME_PID and $! its pid; `wait $NAME_PID` returns its
        status and unsets NAME and NAME_PID (coproc_reap()). As a <( ) does, COMMAND
        runs to its end here first, its input empty; the pipe keeps what it wrote
        until the coproc is waited for (bash reaps it when its SIGCHLD comes: a
        read after a short-lived one ended is a race there)."""
        from ipemu.tools.context import Routing
        term = Terminal()
        term.sink = Routing(ctx.term, {"stderr": "stderr"})
        sub = Ctx(term, Input(""), ctx.netns, tty=False, err_tty=ctx.err_tty)
        saved_status = self.last_status
        try:
            status = yield from self.in_subshell(self._substitution(node.source, sub))
        finally:
            self.cur_ctx = ctx
        self.last_status = saved_status
        coprocs = getattr(self, "coprocs", None)
        if coprocs is None:
            coprocs = self.coprocs = {}
        read_fd, write_fd = (62, 58) if coprocs else (63, 60)
        for pid, (name, *_fds) in coprocs.items():
            # bash keeps one coproc (no MULTIPLE_COPROCS): the one there is no longer
            # followed (its NAME stays after it ends; recorded)
            ctx.term.err(f"{self.prefix()}warning: execute_coproc: coproc "
                         f"[{pid}:{name}] still exists\n")
        coprocs.clear()
        base, fds = _open_fds(ctx)
        fds[read_fd] = Dest("in", "", input=Input(term.stream("stdout")))
        fds[write_fd] = Dest("null")
        ctx.term = RedirectTerminal(sink=FdSink(base, fds, self))
        pid = self.session.machine.next_pid()
        self.state.set_array(node.name, [str(read_fd), str(write_fd)])
        self.assign(f"{node.name}_PID", str(pid))
        self.state.last_bg_pid = pid
        self.coproc_status = dict(getattr(self, "coproc_status", {}), **{str(pid): status or 0})
        coprocs[str(pid)] = (node.name, read_fd, write_fd)
        return 0

    def reap_coprocs(self, pids, ctx: Ctx) -> None:
        """coproc_reap(): a waited-for coproc's NAME and NAME_PID go, its fds close."""
        coprocs = getattr(self, "coprocs", None) or {}
        for pid in [p for p in coprocs if pids is None or p in pids]:
            name, read_fd, write_fd = coprocs.pop(pid)
            self.state.vars.pop(name, None)
            self.state.vars.pop(f"{name}_PID", None)
            sink = getattr(ctx.term, "sink", None)
            if isinstance(sink, FdSink):
                sink.fds.pop(read_fd, None)
                sink.fds.pop(write_fd, None)

    # ----------------------------------------------------------- background
    def start_background(self, and_or: ast.AndOr, ctx: Ctx) -> None:
        """`LIST &`. The shell at the prompt has jobs (numbers, `jobs`, notices); a
        script or `bash -c` has no job control: its background list simply runs
        beside it and writes where the script writes."""
        if self.state.script is None:
            self.session.start_background(self, and_or, ctx)
            return
        from ipemu.bash.process import ShellProcess
        job_ctx = Ctx(ctx.term, None, ctx.netns)
        # the list runs in a forked shell of its own (make_child()): its own copy of
        # the state, so that what the script assigns meanwhile (`pid=$!`) is not
        # undone when the list ends or is killed
        state = self.state.copy()
        state.subshell += 1
        job = Interp(self.session, state, self.last_status, interactive=False)
        job.indirection, job.subst_level = self.indirection, self.subst_level
        job.background = True       # its `kill -SIG $$` is the parent's (traps.kill_self)
        steps = job.run_job(job.exec_and_or(and_or, job_ctx))
        proc = self.session.machine.spawn(ShellProcess(self.session.host, ctx.term, steps))
        proc.execs = _one_simple(and_or)
        if ctx.netns is not None:
            proc.netns = ctx.netns          # /proc/PID/ns/net (ip netns identify $!)
        if state.uts is not None:
            proc.uts = state.uts
        # the shell a spawner is waiting to learn of (session.dispatch's `bash -c`)
        # stays what it was: only this job's own bash is taken here
        outer = getattr(self.session, "spawned_interp", None)
        self.session.spawned_interp = None
        # the traps the forked shell was given are not its handlers
        # (reset_signal_handlers(): a trapped signal's is the default again, an
        # ignored one stays ignored); one the list sets itself is (bg_signal)
        job.inherited_traps = dict(state.traps)
        simple = and_or.first.commands[0] if _one_simple(and_or) else None
        if simple is None or simple.words and simple.words[0] in state.functions:
            # (one simple command other than a function is exec'd in the child's
            # place: no shell is left there to trap anything, a signal goes to it)
            proc.interp, proc.ctx = job, job_ctx
        proc.start()
        if not proc.done:
            from ipemu.session import _AsyncSignals
            _AsyncSignals(self.session.host, proc)
        if proc.execs and getattr(self.session, "spawned_interp", None) is not None:
            # `bash -c ... &`: the job's process is that bash (exec'd), whose traps a
            # `kill $!` meets (ShellProcess.signal_pid())
            proc.interp, proc.ctx = self.session.spawned_interp, job_ctx
        self.session.spawned_interp = outer
        self.children.append(proc)
        if getattr(self.session, "current_line", None) is not None:
            self.session.line_children.append(proc)     # hung up with the line
        self.state.last_bg_pid = proc.pid
        # its job table entry (jobs, kill %N, wait %N, disown: tools/jobs.py)
        from ipemu.bash.printer import command_text, pipeline_stages
        from ipemu.session import Job
        number = max((j.number for j in self.script_jobs if not j.reaped), default=0) + 1
        from ipemu.tools.context import Terminal
        # the list writes on the script's terminal itself: the entry's own is empty
        self.script_jobs.append(Job(number, command_text(and_or), Terminal(), proc,
                                    pid=proc.pid, subshell=self.state.subshell,
                                    stages=pipeline_stages(and_or)))

    def wait_children(self, argv: list[str], ctx: Ctx):
        """`wait [PID...]` in a script: its own background lists; a pid waited for
        before still has its status (bgp_search()), another is no child (127)."""
        known = {str(p.pid) for p in self.children}
        waited = getattr(self, "waited", {})
        if len(argv) > 1 and not self.state.dash and \
                all(a.isdigit() for a in argv[1:]) and argv[-1] not in known:
            if argv[-1] in waited:
                # a job that ended while the shell waited for another is still in
                # the table (dead, not notified): wait_for_single_pid() finds it
                # there and marks it J_NOTIFIED, so `jobs` no longer lists it
                # (recorded: `wait $p; wait $q; jobs` of two ended jobs says nothing)
                for job in self.script_jobs:
                    if str(job.pid) in argv[1:] and job.proc.done:
                        job.reaped = True
                return waited[argv[-1]]
            ctx.term.err(f"{self.prefix()}wait: pid {argv[-1]} is not a child of this shell\n")
            return 127
        wanted = [p for p in self.children
                  if len(argv) < 2 or str(p.pid) in argv[1:]]
        for proc in wanted:
            if not proc.done:
                self.in_wait = True     # a trapped signal ends it (ShellProcess)
                yield Waiting(proc, 3600.0)
            self.in_wait = False
            signum = self.take_signal() if not self.state.dash else 0
            if signum:
                # wait_builtin(): a trapped signal ends the waiting; its trap runs and
                # wait returns 128+N (the job may still run), $? in the trap
                yield from self._signalled(signum, ctx, 128 + signum)
                return 128 + signum
            if self.state.dash and len(argv) > 1:
                _dash_signal_status(proc.status, ctx)
            elif not self.state.dash:
                # wait_for()'s notify_and_cleanup() as each one ends
                self.notify_and_cleanup(ctx, self.script_jobs)
        # every child that has ended leaves its status in bash's bgpids list (bgp_add()
        # as it is reaped), not only the ones waited for: a later `wait PID` of a job
        # that ended meanwhile returns its status (recorded: `for pid in ${pids[*]};
        # do wait $pid; done` over three pings says 0 three times)
        self.waited = dict(waited, **{str(p.pid): p.status for p in self.children if p.done})
        if len(argv) < 2:
            # wait without operands empties that list too (bgp_clear(): a `wait $c`
            # after it is `not a child of this shell`, 127; recorded)
            self.waited = {}
        self.children = [p for p in self.children if not p.done]
        for job in self.script_jobs:
            if job.proc in wanted:
                job.reaped = True       # waited for: no longer in the job table
        return wanted[-1].status if wanted and len(argv) > 1 else 0

    def take_signal(self) -> int:
        """The trapped signal that came while this shell waited for a command, taken
        (0: none): the line's shell's is the session's; a background list's own
        (a forked shell, its process's: ShellProcess.pend())."""
        if getattr(self, "background", False):
            signum, self.bg_signal = getattr(self, "bg_signal", 0), 0
            return signum
        signum = getattr(self.session, "shell_signal", 0)
        self.session.shell_signal = 0
        return signum

    def invoke_tool(self, argv: list[str], ctx: Ctx, exec_self: bool = False,
                    nofork: bool = False, program: bool = False):
        """One of the session's tools (a Process is waited for). `exec_self`: it runs
        in this shell's place (its pid is $$). `program`: as a program, not as a
        builtin of that name (ToolContext.program)."""
        if self.state.dash and argv[0] == "":
            # dash's shellexec() of an empty name tries each PATH directory itself
            # (`/usr/local/sbin/`): execve() gives EACCES, the error its message
            # keeps; the status is 127 (recorded)
            self.error(ctx, ": Permission denied")
            return 127
        if not self.state.dash and not self._known_program(argv[0]) and \
                argv[0] not in ("bash", "sh", "dash") and \
                any(ord(c) < 32 or ord(c) == 127 for c in argv[0]):
            # execute_disk_command(): the name through printable_filename(), $'...'
            # (ansic_quote()) for one with a control character in it
            from ipemu.bash.builtins import _declare_quote
            ctx.term.err(f"{self.prefix()}{_declare_quote(argv[0])}: command not found\n")
            return 127
        if self.terminal_silent(ctx) and reads_terminal(argv):
            return (yield from self.wait_forever(ctx))      # a filter of the terminal
        stdin = None
        if ctx.stdin is not None:
            stdin = ctx.stdin.read_all() if reads_stdin(argv) else ctx.stdin.peek_all()
            if ctx.stdin.seekable and reads_stdin(argv):
                # head on a regular file puts the offset back after what it printed
                # (head.c's head_lines()/head_bytes() lseek()), so the next reader of
                # the same descriptor goes on from there (`{ head -1; read x; } < F`)
                from ipemu.bash.stdin_readers import head_consumed
                used = head_consumed(argv, stdin)
                if used is not None:
                    ctx.stdin.pos -= len(stdin) - used
        # lseek() on fd 0 fails (ESPIPE) unless a regular file is redirected there
        self.session.stdin_seekable = ctx.stdin is None or ctx.stdin.seekable
        # isatty(1) for `ls`: the terminal itself, not a pipe, a file or a $( )
        self.session.stdout_tty = ctx.tty and self.session.columns is not None
        self.session.stderr_tty = ctx.err_tty and self.session.columns is not None
        # what a shell that this tool starts (`timeout 5 bash x.sh | sed`) inherits
        self.session.tool_stdio_tty = (ctx.tty, ctx.err_tty)
        # the environment a tool sees (`env`) is this shell's, a subshell's included
        self.session.tool_shell = self.state
        self.session.tool_command = argv[0]     # its `_` (put_command_name_into_env())
        # dash's own echo builtin (not /bin/echo run by ip netns exec, env, xargs)
        self.session.dash_echo = self.state.dash and argv[0] == "echo"
        self.session.dash_printf = self.state.dash and argv[0] == "printf"
        if not self.session.live and (program or argv[0] not in BASH_BUILTIN_NAMES):
            # fork() and execve() of a program take real time before it acts
            # (milliseconds on the recording machine); bash's own builtins (echo,
            # true, kill, ... which ipemu runs as tools) run in the shell at once
            # unless a program of that name is run (/bin/kill, env echo), and on a
            # live terminal the wall clock passes by itself
            from ipemu.session import EXEC_TIME
            self.session.host.clock.advance(EXEC_TIME)
        saved_exec = getattr(self.session, "exec_pid", None)
        level = self._exec_shell_level() if exec_self or nofork else None
        if exec_self:
            self.session.exec_pid = self.state.pid
        output = _stdout_file(ctx)
        held = None
        if not ctx.tty and _buffers_stdout(argv):
            held = StdioBuffer.install(ctx.term)
        # a builtin writes from the shell itself: on a pipe whose reader has exited
        # the shell gets the SIGPIPE (below)
        pipe = _pipe_of(ctx.term) if argv[0] in ("echo", "printf") else None
        dropped = pipe.dropped if pipe is not None else 0
        try:
            own_jobs = self.state.script is not None and argv[0] in JOB_BUILTINS and \
                not program         # (/usr/bin/kill is no job builtin)
            if own_jobs:        # a script's job builtins see its own job table
                self.session.jobs, self.script_jobs = self.script_jobs, self.session.jobs
            try:
                result = self.session._dispatch(argv, ctx.term, stdin, ctx.netns,
                                                prefix=self.prefix(),
                                                missing="not found" if self.state.dash
                                                else "command not found", output=output,
                                                search=False,  # invoke() searched PATH
                                                program=program)
            finally:
                if own_jobs:
                    self.session.jobs, self.script_jobs = self.script_jobs, \
                        self.session.jobs
        finally:
            self.session.tool_shell = None      # only while the tool starts
            self.session.dash_echo = self.session.dash_printf = False
            if exec_self:
                self.session.exec_pid = saved_exec
            if level is not None:
                level[0].value = level[1]
            if held is not None:
                held.release()
        if pipe is not None and pipe.dropped > dropped and not self.state.dash and \
                pipe.overflowed():
            result = self._builtin_sigpipe(argv[0], ctx)
        if isinstance(result, Process):
            if ctx.hup_ignored and not result.done:
                result.ignored = result.ignored | {SIGHUP_}
            if not result.done:
                yield Waiting(result, result.wait_limit)
            if result.termsig and result.status == 128 + result.termsig and \
                    not (exec_self or nofork):
                # (a program exec'd in the shell's place: nobody there to notice)
                self.fg_died = (result.pid, result.termsig)
            result = result.status
        signum = self.take_signal()
        if signum:
            if self.fg_died is not None and not self.state.dash:
                # wait_for() says how the command died (`Terminated`) before the
                # trap runs (run_pending_traps()): exec_simple() runs it after that
                self.pending_signal = signum
            else:
                yield from self._signalled(signum, ctx)
        if self.session.bash_c and not self.session.live and \
                (program or argv[0] not in BASH_BUILTIN_NAMES) and not (exec_self or nofork):
            # wait_for()'s notify_and_cleanup() (a program: /bin/kill, env echo)
            # execute_command_internal() waits for a program after it has put
            # line_number back to the enclosing one: the line read last, or the
            # function's or the loop's line (fn.sh: `line 3`, recorded)
            self.notify_and_cleanup(ctx, self.script_jobs if self.state.script is not None
                                    else self.session.jobs, outer=True)
        return result

    def _builtin_sigpipe(self, name: str, ctx: Ctx) -> int:
        """echo or printf wrote on a pipe whose reader had exited: the shell (a
        pipeline's subshell) dies of SIGPIPE, 141 (`while true; do echo x; done |
        head -1`); with SIGPIPE ignored (`trap '' PIPE`) the write fails instead:
        `echo: write error: Broken pipe`, status 1 (recorded)."""
        if self.state.traps.get("SIGPIPE") == "":
            ctx.term.err(self._write_error(name, "Broken pipe"))
            return 1
        signal = ExitSignal(128 + 13)
        signal.signum = 13
        raise signal

    def _foreground_notice(self, cmd: ast.Simple, ctx: Ctx) -> None:
        """notify_of_job_status() on a foreground command a signal killed, in a shell
        without a terminal: `bash: line N:   PID Killed   COMMAND` (the line bash
        went back to, as for a job), or the signal's name alone when the shell traps
        it or it is SIGTERM; nothing for SIGINT and SIGPIPE, nor where the job is not
        the command alone (a pipeline's stage, a `$( )`: recorded)."""
        pid, signum = self.fg_died
        self.fg_died = None
        if not self.without_terminal() or self.subst_level or self.state.dash or \
                cmd in getattr(self, "pipe_stages", ()) or signum in (SIGINT_, 13):
            return
        from ipemu.bash.printer import command_text
        from ipemu.bash.traps import SIGNALS
        from ipemu.process import SIGNAL_NAMES
        name = SIGNAL_NAMES.get(signum, f"Signal {signum}")
        if signum == 15 or f"SIG{SIGNALS[signum - 1]}" in self.state.traps:
            ctx.term.err(name + "\n")
            return
        lineno = self.state.lineno
        if self.state.read_line:
            self.state.lineno = self.state.read_line
        try:
            ctx.term.err(f"{self.prefix()}{pid:5d} {name:<24}{command_text(cmd)}\n")
        finally:
            self.state.lineno = lineno

    def reaped_child(self, ctx: Ctx | None) -> None:
        """The shell waited for a child it forked (a `( )`, a pipeline's processes):
        wait_for()'s notify_and_cleanup() for its own jobs (recorded:
        `sleep 5 & kill -9 $!; (sleep 0.1)` says `Killed`)."""
        if ctx is not None and self.session.bash_c and not self.session.live and \
                not self.state.dash:
            self.notify_and_cleanup(ctx, self.script_jobs if self.state.script is not None
                                    else self.session.jobs, outer=True)

    def without_terminal(self) -> bool:
        """A shell that is not interactive: a script, `bash -c` (the recorders' lines)."""
        return self.state.script is not None or \
            (self.session.bash_c and not self.session.live)

    def notify_and_cleanup(self, ctx: Ctx, table: list, outer: bool = False) -> None:
        """jobs.c notify_and_cleanup() in a shell without a terminal: each job that
        ended since leaves the table, one a signal killed with its notice on the
        shell's stderr (Job.signal_notice()), at the line bash is at."""
        for job in table:
            if job.subshell != self.state.subshell:
                continue        # another shell's (a subshell's, or the parent's)
            if self.state.from_file and job.done and not getattr(job.proc, "termsig", 0):
                # notify_of_job_status(): `startup_state == 0 && WIFSIGNALED (s) ==
                # 0 && DEADJOB (job) && IS_FOREGROUND (job) == 0`: not notified yet
                continue
            if job.done and not job.reaped:
                lineno = self.state.lineno
                if outer and self.state.read_line:
                    self.state.lineno = self.state.read_line
                try:
                    ctx.term.err(job.signal_notice(self.prefix(), self.state.traps))
                finally:
                    self.state.lineno = lineno
            if job.done:
                job.reaped = True


# coreutils whose failed write ends them through close_stdout()'s write_error()
EPIPE_COREUTILS = frozenset(("seq", "cat", "tr", "cut", "sort", "uniq", "head", "tail",
                             "paste", "nl", "tac", "fold", "base64", "od", "comm", "join",
                             "expand", "unexpand", "fmt", "numfmt", "shuf"))


# what GNU grep reads at once (its buffer grows to this): beyond the line it stops at
GREP_READ = 98304
# what a stage that died of the broken pipe had read at most: its reader's last read
# and the pipe's worth it wrote meanwhile, and its own read buffer
CASCADE_UNREAD = 2 * (65536 + 8192)


def _mkfmt(prec: int, lng: bool, seconds: float) -> str:
    """execute_cmd.c mkfmt(): seconds (minutes first with `l`), PREC places cut."""
    millis = int(seconds * 1000 + 1e-6)
    sec, frac = divmod(millis, 1000)
    text = ""
    if lng:
        minutes, sec = divmod(sec, 60)
        text = f"{minutes}m"
    text += str(sec)
    if prec:
        text += "." + f"{frac:03d}"[:prec]
    return text + ("s" if lng else "")


def _time_format(fmt: str, real: float) -> str | None:
    """print_formatted_time(): %[p][l]R, U, S (user and system time: none here), %P,
    %%; None at an invalid format character."""
    out, i = [], 0
    while i < len(fmt):
        c = fmt[i]
        if c != "%" or i + 1 >= len(fmt):
            out.append(c)
            i += 1
            continue
        nxt = fmt[i + 1]
        if nxt == "%":
            out.append("%")
            i += 2
            continue
        if nxt == "P":
            out.append("0.00")          # (user + system) / real: no CPU time here
            i += 2
            continue
        i += 1
        prec, lng = 3, False
        if fmt[i].isdigit():
            prec, i = min(int(fmt[i]), 3), i + 1
        if i < len(fmt) and fmt[i] == "l":
            lng, i = True, i + 1
        if i >= len(fmt) or fmt[i] not in "REUS":
            return None
        out.append(_mkfmt(prec, lng, real if fmt[i] in "RE" else 0.0))
        i += 1
    return "".join(out)


def _bad_time_char(fmt: str) -> str:
    m = re.search(r"%(?!%)(?:\d)?l?([^REUSP%\dl])", fmt)
    return m.group(1) if m else ""


def _jobs_builtin(command) -> bool:
    """A pipeline element that is the `jobs` builtin itself (its first word as
    written): execute_subshell_builtin_or_function() keeps the job table for it."""
    if not isinstance(command, ast.Simple) or not command.words:
        return False
    return command.words[0] == "jobs"


def _lines_in_comsub(lines: list[str]) -> list[bool]:
    """For each line, whether it starts inside a `$(`, `<(` or `>(` opened on a line
    before (quotes, escapes and comments followed; a `$((` is arithmetic)."""
    inside, depth, quote = [], [], ""
    for line in lines:
        inside.append(bool(depth))
        i = 0
        while i < len(line):
            c = line[i]
            if quote == "'":
                if c == "'":
                    quote = ""
            elif c == "\\":
                i += 1
            elif quote == '"':
                if c == '"':
                    quote = ""
                elif line.startswith("$(", i) and not line.startswith("$((", i):
                    depth.append(quote)
                    quote = ""
                    i += 1
            elif c in "'\"":
                quote = c
            elif c == "#" and (i == 0 or line[i - 1] in " \t;|&("):
                break
            elif line.startswith(("$(", "<(", ">("), i) and not line.startswith("$((", i):
                depth.append(quote)
                i += 1
            elif c == "(" and depth:
                depth.append("(")
            elif c == ")" and depth:
                opened = depth.pop()
                quote = "" if opened == "(" else opened
            i += 1
    return inside


def _pipe_of(term):
    """The pipe (bash/pipe.py PipeStream) a terminal writes into, if any."""
    from ipemu.bash.pipe import PipeStream
    while term is not None:
        sink = getattr(term, "sink", None)
        if isinstance(sink, PipeStream):
            return sink
        term = getattr(sink, "outer", None)
    return None


def _one_simple(and_or: ast.AndOr) -> bool:
    """An asynchronous list that is one simple command: its forked shell execs it."""
    pipeline = and_or.first
    return not and_or.rest and not pipeline.bang and len(pipeline.commands) == 1 and \
        isinstance(pipeline.commands[0], ast.Simple)


def _shell_level(state, exec_child: bool) -> None:
    """SHLVL of a new shell: the one it was given, less one when its parent exec'd
    it (execute_disk_command()'s nofork: adjust_shell_level (-1)), plus one for
    bash (shell.c's adjust_shell_level (1)); dash leaves it as it came."""
    var = state.vars.get("SHLVL")
    if var is None or not var.exported:
        if state.dash:
            return
        given = 0
    else:
        text = var.value.strip()
        given = int(text) if text.lstrip("-").isdigit() else 0
    level = given - (1 if exec_child else 0) + (0 if state.dash else 1)
    if state.dash:
        if exec_child:
            var.value = str(level)
        return
    state.vars["SHLVL"] = Var(str(level), exported=True)


def _with_last(items, peek: bool, text: str | None = None, line: int = 1):
    """Each chunk with whether it ends the text (bash's parse_and_execute() sees the
    rest of the string empty); a syntax error further on comes after it has run.
    With `text` (a text whose later words depend on shopt extglob, which must not be
    read before the commands before them run), the rest of the text is looked at
    instead of parsed: only blank and comment lines after the chunk's end."""
    if not peek:
        for item in items:
            yield item, False
        return
    if text is not None:
        lines = text.split("\n")
        for item in items:
            rest = lines[max(item.end - line + 1, 0):]
            yield item, all(not ln.strip() or ln.lstrip().startswith("#") for ln in rest)
        return
    try:
        current = next(items)
    except StopIteration:
        return
    while True:
        try:
            following = next(items)
        except StopIteration:
            yield current, True
            return
        except ShellSyntaxError:
            yield current, False
            raise
        yield current, False
        current = following


def _runs_error_trap(pipeline: ast.Pipeline) -> bool:
    """Whether a failing pipeline runs the ERR trap itself: execute_command_internal()
    calls run_error_trap() after a simple command, a ( ) subshell, (( )), [[ ]] and a
    pipeline of several commands; a group, if, case or loop does not (the command in
    it that failed already ran it)."""
    if len(pipeline.commands) > 1:
        return True
    node = pipeline.commands[0]
    return isinstance(node, ast.Simple) or isinstance(node, ast.Compound) and \
        isinstance(node.body, (ast.Subshell, ast.ArithCmd, ast.Cond))


def _printed_command(node: ast.Compound) -> str:
    """$BASH_COMMAND of a ( ) subshell, (( )) or [[ ]] (print_cmd.c's forms: `( a; b )`,
    `((expr))` as written, `[[ words ]]`)."""
    from ipemu.bash.printer import command_text
    return command_text(node)


def _exec_tail(tree) -> ast.Simple | None:
    """The simple command a `-c` string ends with, when bash would exec it: the last
    pipeline of the last and-or list, one command, no `!`, no `time`, no
    redirection, not in the background (should_optimize_fork())."""
    if not isinstance(tree, ast.CList) or not tree.items:
        return None
    andor, background = tree.items[-1]
    if background or len(tree.items) > 1 and tree.items[-2][1]:
        return None     # can_optimize_connection(): `&&`, `||` or `;` before it, not `&`
    pipeline = andor.rest[-1][1] if andor.rest else andor.first
    if pipeline.bang or pipeline.timed or len(pipeline.commands) != 1:
        return None
    cmd = pipeline.commands[0]
    return cmd if isinstance(cmd, ast.Simple) and not cmd.redirects else None


def _written_files(term) -> set:
    """The files the descriptors of `term` (and of the terminals it writes through)
    are open on."""
    held = set()
    seen = 0
    while term is not None and seen < 64:
        seen += 1
        sink = getattr(term, "sink", None)
        if not isinstance(sink, FdSink):
            break
        held.update(dest.where for dest in sink.fds.values() if dest.kind == "file")
        term = sink.outer
    return held


def _open_fds(ctx: Ctx) -> tuple:
    """The terminal new redirections start from and the descriptors open there: what
    earlier `exec` redirections left (descriptors above 2 too), seen from the terminal
    under them (`exec 3>&1 >/dev/null` then `exec >&3` writes where fd 1 first went,
    not into /dev/null); else the terminal's stdout and stderr."""
    base = ctx.term
    sink = getattr(base, "sink", None)
    if isinstance(sink, FdSink):
        return sink.outer, dict(sink.fds)
    return base, {1: Dest("term", "stdout"), 2: Dest("term", "stderr")}


def _fd_path(target: str) -> int | None:
    """The descriptor a path of /dev/fd names (/dev/stdout, /dev/stderr, /dev/fd/N,
    /proc/self/fd/N), else None."""
    if target in ("/dev/stdout", "/dev/stderr"):
        return 1 if target == "/dev/stdout" else 2
    m = re.fullmatch(r"/(?:dev|proc/self)/fd/(\d+)", target)
    return int(m.group(1)) if m else None


def open_fds(ctx: Ctx) -> dict:
    """The descriptors above 2 open where `ctx` writes (`exec 3>FILE`, `exec 4<FILE`)."""
    sink = ctx.term.sink
    if isinstance(sink, FdSink):
        return {fd: dest for fd, dest in sink.fds.items() if fd > 2}
    return {}


# filters that read their standard input when given no file: the option letters that
# take a value in the next word, and how many words are not files (a pattern, a script)
_FILTERS = {"cat": ("", 0), "head": ("nc", 0), "tail": ("nc", 0), "wc": ("", 0),
            "sort": ("kto", 0), "uniq": ("fsw", 0), "tac": ("s", 0), "nl": ("bdfhilnsvw", 0),
            "rev": ("", 0), "base64": ("w", 0), "md5sum": ("", 0), "sha1sum": ("", 0),
            "sha256sum": ("", 0), "sha512sum": ("", 0), "cut": ("bcdf", 0),
            "grep": ("ABCDm", 1), "egrep": ("ABCDm", 1), "fgrep": ("ABCDm", 1),
            "sed": ("l", 1), "awk": ("vFW", 1)}


def reads_terminal(argv: list[str]) -> bool:
    """Whether a command line reads its standard input: `tr`, `tee`, `xargs` always;
    a filter of _FILTERS when it names no file (`-` is the input itself); not when a
    pattern or script comes from an option (-e, -f) or grep searches a tree (-r)."""
    name = argv[0]
    if name == "xargs":
        from ipemu.bash.stdin_readers import xargs_arg_file
        return not xargs_arg_file(argv)
    if name == "tee":
        return True
    if name == "tr":            # after its operands are found right (`tr a` is an error)
        words = [a for a in argv[1:] if not a.startswith("-") or a == "-"]
        flags = "".join(a[1:] for a in argv[1:] if a.startswith("-") and a != "-")
        return len(words) >= (1 if ("d" in flags or "s" in flags) and len(words) == 1 else 2)
    program = next((a for a in argv[1:] if not a.startswith("-")), "")
    if name in ("awk", "sed"):
        # after the values of its options (`awk -v x=5 'BEGIN {...}'`)
        program = program_operand(argv)
    if name == "awk" and (_begin_only(program) or not _compiles(name, program)):
        return False            # a BEGIN block alone never reads; a bad one fails first
    if name == "sed" and not _compiles(name, program):
        return False
    if name == "sort":
        from ipemu.tools.coreutils import sort_refuses
        if sort_refuses(argv):
            return False        # a bad option or incompatible orderings end it first
    spec = _FILTERS.get(name)
    if spec is None:
        return False
    valued, fixed = spec
    operands = []
    args = iter(argv[1:])
    for arg in args:
        if arg == "--":
            operands += list(args)
            break
        if arg.startswith("--") or arg == "-" or not arg.startswith("-"):
            if not arg.startswith("--"):
                operands.append(arg)
            continue
        letters = arg[1:]
        if fixed and any(c in letters for c in "rR"):
            return False            # grep -r: a tree, not the input
        for i, c in enumerate(letters):
            if fixed and c in "ef":
                fixed = 0           # the pattern or script came with the option
            if c in valued or (c in "ef" and spec[1]):
                if i == len(letters) - 1:
                    next(args, None)
                break
    files = operands[fixed:]
    return len(operands) >= fixed and all(f == "-" for f in files)


def _compiles(tool: str, program: str) -> bool:
    """The program an awk or sed would run compiles (they read no input otherwise)."""
    try:
        if tool == "awk":
            from ipemu.tools.awk import Parser, lex
            Parser(lex(program)).program()
        else:
            from ipemu.tools.sed import _Script
            _Script(program, 1, False, [], []).parse()
    except Exception:   # noqa: BLE001 - the tool itself says what is wrong
        return False
    return True


def _begin_only(program: str) -> bool:
    """An awk program with no main rule and no END block (BEGIN blocks and function
    definitions only: mawk reads no input), or one awk rejects before any input."""
    try:
        from ipemu.tools.awk import Parser, lex
        prog = Parser(lex(program)).program()
    except Exception:   # noqa: BLE001 - the tool itself says what is wrong
        return True
    return not prog["rules"] and not prog["end"]


def _stdout_file(ctx: Ctx) -> str | None:
    """The host file a command's standard output is redirected to (its path as the
    session names it), else None."""
    sink = ctx.term.sink
    if isinstance(sink, StdioBuffer):
        sink = sink.inner
    if isinstance(sink, FdSink):
        dest = sink.fds.get(1)
        if dest is not None and dest.kind == "file":
            return sink.interp.session._path(dest.where)
    return None


class AssocValue(dict):
    """The expanded `([key]=value ...)` of an associative array's assignment."""


def _split_assignment(raw: str) -> tuple[str, bool, str]:
    name, _, value = raw.partition("=")
    plus = name.endswith("+")
    return name.rstrip("+"), plus, value


def _quote(word: str) -> str:
    """A word as `set -x` shows it (bash quotes what the shell would split)."""
    if word and SAFE_WORD.fullmatch(word):
        return word
    if word and all(SAFE_WORD.fullmatch(c) or c > "\x7f" and c.isprintable() for c in word):
        # xtrace_print_word_list(): a printable multibyte character is neither a
        # shell meta (sh_contains_shell_metas()) nor one ansic_shouldquote() quotes
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def _array_first(tree, text: str) -> bool:
    """An array assignment's `(` comes before the first `<<<` (dash stops at the
    first token it cannot take)."""
    found = _dash_bash_form(tree)
    if found is None or found[0] != "array":
        return False
    lines = text.split("\n")
    line = found[1].line
    head = lines[line - 1] if 0 < line <= len(lines) else ""
    here = next((n for n in range(1, len(lines) + 1) if "<<<" in lines[n - 1]), line)
    return line < here or line == here and head.find("=(") < head.find("<<<")


def _has_herestring(node) -> bool:
    """Whether a parsed command holds a `<<<` redirection anywhere inside."""
    if isinstance(node, ast.Redirect):
        return node.op == "<<<" or _has_herestring(node.target)
    if isinstance(node, str):
        # a word's command substitution is parsed with the word (dash's parsesub())
        return "<<<" in node and ("$(" in node or "`" in node)
    if isinstance(node, (list, tuple)):
        return any(_has_herestring(item) for item in node)
    fields = getattr(node, "__dict__", None)
    if fields is None or isinstance(node, bytes):
        return False
    return any(_has_herestring(value) for value in fields.values())


# a process substitution and whether a redirection operator comes before it
PROCSUB_WORD = re.compile(r"(?:^|[\s;|&])(\d*[<>]\s*)?[<>]\(")


def _has_procsub(node) -> bool:
    """Whether a parsed command holds a process substitution as a word or a
    redirection's target anywhere inside."""
    if isinstance(node, ast.Redirect):
        return node.target.startswith(("<(", ">("))
    if isinstance(node, ast.Simple):
        return any(w.startswith(("<(", ">(")) for w in node.words) or \
            any(_has_procsub(r) for r in node.redirects)
    if isinstance(node, (list, tuple)):
        return any(_has_procsub(item) for item in node)
    fields = getattr(node, "__dict__", None)
    if fields is None or isinstance(node, (str, bytes)):
        return False
    return any(_has_procsub(value) for value in fields.values())


def _dash_signal_status(status, ctx: Ctx) -> None:
    """dash's `wait PID` for a job a signal ended: sprint_status()'s signal name on
    stderr (`Terminated`), except for SIGINT and SIGPIPE."""
    import signal as _signal
    if isinstance(status, int) and 128 < status < 128 + 65 and status - 128 not in (2, 13):
        try:
            name = _signal.strsignal(status - 128)
        except ValueError:
            name = None
        if name:
            ctx.term.err(name + "\n")


_PLUS_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^]]*\])?\+=")
ARRAY_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^]]*\])?\+?=\(")
DASH_FUNCTION_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+=\(")


DECLARATION_WORDS = frozenset(("local", "declare", "typeset", "export", "readonly"))


def _dash_pipe_amp_line(text: str, first: int, start: int, end: int) -> int | None:
    """The line of the first `|&` operator of `text` (whose first line is `first`)
    between lines `start` and `end`, else None."""
    from ipemu.bash.lexer import Lexer, LexError
    try:
        for tok in Lexer(text, first).tokens():
            if tok.line > end:
                return None
            if tok.type == "PIPE" and tok.value == "|&" and tok.line >= start:
                return tok.line
    except LexError:
        return None
    return None


def _dash_bash_form(node, expecting: str | None = None):
    """The first array assignment or `function` definition in a parsed command:
    ("array", Simple, EXPECTING) or ("function", FunctionDef, EXPECTING), else
    None. EXPECTING is the word dash's parser wanted where the array's `(` came:
    the end of the compound command around it (`}`, `done`, `fi`, `then`, `do`,
    `)`; parser.c's synexpect() adds `(expecting "}")`), None at the top."""
    if isinstance(node, ast.FunctionDef) and node.keyword:
        return "function", node, expecting
    if isinstance(node, ast.ArithFor):
        return "arithfor", node, expecting    # `for ((`: dash wants a name after `for`
    if isinstance(node, ast.Simple) and any(ARRAY_ASSIGN.match(a) for a in node.assigns):
        return "array", node, expecting
    if isinstance(node, ast.Simple) and node.words and node.words[0] in DECLARATION_WORDS \
            and any(ARRAY_ASSIGN.match(w) for w in node.words[1:]):
        return "array", node, expecting     # `local -a arr=(1 2)`: dash's `(` after a word
    if isinstance(node, ast.For) and node.select:
        return "select", node, expecting    # `select` is a command name to dash: `do` ends it
    if isinstance(node, ast.Cond) and _dash_cond_group(node.words):
        return "condgroup", node, expecting
    inner = _DASH_EXPECTING.get(type(node))
    if inner is not None:
        for value, word in inner(node):
            found = _dash_bash_form(value, word)
            if found is not None:
                return found
        return None
    if isinstance(node, (list, tuple)):
        for item in node:
            found = _dash_bash_form(item, expecting)
            if found is not None:
                return found
        return None
    fields = getattr(node, "__dict__", None)
    if fields is None or isinstance(node, (str, bytes)):
        return None
    for value in fields.values():
        found = _dash_bash_form(value, expecting)
        if found is not None:
            return found
    return None


def _single(text: str) -> str:
    """sh_single_quote(): always in single quotes (a `'` as `'\\''`)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _dash_redirected(words: list[str], line: int) -> ast.Simple:
    """`[[` and a [[ ]]'s words as dash's simple command: each `<` or `>` with the
    word after it a redirection of it."""
    argv, redirects, i = ["[["], [], 0
    while i < len(words):
        if words[i] in ("<", ">") and i + 1 < len(words):
            redirects.append(ast.Redirect(None, words[i], words[i + 1]))
            i += 2
            continue
        argv.append(words[i])
        i += 1
    return ast.Simple([], argv, redirects, line)


def _dash_cond_group(words: list[str]) -> str | None:
    """What dash's parser says of a `(` among a `[[ ]]`'s words (dash has no [[):
    after `&&`/`||` (and a `!`) it opens a subshell, and a subshell that `]]`
    follows is `word unexpected`; after a word it is `"(" unexpected`."""
    for i, word in enumerate(words):
        if word != "(":
            continue
        before = words[i - 2] if i >= 2 and words[i - 1] == "!" else \
            (words[i - 1] if i else None)
        if before not in ("&&", "||"):
            return '"(" unexpected'
        depth = 0
        for j in range(i, len(words)):
            depth += {"(": 1, ")": -1}.get(words[j], 0)
            if depth == 0:
                if j == len(words) - 1:
                    return "word unexpected"
                break
    return None


def _if_parts(node):
    for cond, body in node.branches:
        yield cond, "then"
        yield body, "fi"
    if node.orelse is not None:
        yield node.orelse, "fi"


# the word dash's list() stops for in each part of a compound command
_DASH_EXPECTING = {
    ast.Group: lambda node: [(node.body, "}")],
    ast.Subshell: lambda node: [(node.body, ")")],
    ast.While: lambda node: [(node.cond, "do"), (node.body, "done")],
    ast.For: lambda node: [(node.body, "done")],
    ast.If: _if_parts,
    ast.Case: lambda node: [(item.body, ";;") for item in node.items],
}


def _dash_amp_redirects(node) -> None:
    """dash has no `&>`: `cmd &> FILE` is `cmd &` (in the background) and then
    `> FILE` (an empty command that makes the file), the and-or list split there.
    Every list in the command is rewritten so, in place."""
    if isinstance(node, ast.CList):
        items = []
        for and_or, background in node.items:
            items.extend(_split_amp(and_or, background))
        node.items = items
    if isinstance(node, (list, tuple)):
        for item in node:
            _dash_amp_redirects(item)
        return
    fields = getattr(node, "__dict__", None)
    if fields is None or isinstance(node, (str, bytes)):
        return
    for value in fields.values():
        _dash_amp_redirects(value)


def _split_amp(and_or, background: bool) -> list:
    pipes = [("", and_or.first)] + list(and_or.rest)
    for i, (op, pipeline) in enumerate(pipes):
        last = pipeline.commands[-1]
        amp = next((r for r in getattr(last, "redirects", []) if r.op in ("&>", "&>>")), None)
        if not isinstance(last, ast.Simple) or amp is None:
            continue
        cmd = ast.Simple(last.assigns, last.words, [r for r in last.redirects if r is not amp],
                         last.line)
        cut = ast.Pipeline(pipeline.commands[:-1] + [cmd], pipeline.bang, pipeline.line,
                           pipeline.timed)
        head = ast.AndOr(cut, [], and_or.text) if i == 0 else \
            ast.AndOr(pipes[0][1], pipes[1:i] + [(op, cut)], and_or.text)
        null = ast.Simple([], [], [ast.Redirect(amp.fd, ">" if amp.op == "&>" else ">>",
                                                amp.target, amp.heredoc)], last.line)
        tail = ast.AndOr(ast.Pipeline([null], False, pipeline.line), pipes[i + 1:], and_or.text)
        return [(head, True)] + _split_amp(tail, background)
    return [(and_or, background)]


def restore_debug_trap(state, outer: str | None) -> None:
    """execute_function()'s and source.def's maybe_set_debug_trap(): the caller's DEBUG
    trap comes back after a function or a sourced file that set none of its own (one
    it set stays)."""
    if outer is not None and not state.traps.get("DEBUG"):
        state.traps["DEBUG"] = outer
