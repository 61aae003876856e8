"""A pipeline's output as it comes: the stages after a running program (`tcpdump -l |
grep ICMP`, `ping 10.0.2.2 | head -3`) see each line it writes, as bash's concurrent
stages do, and a stage that has read all it wants breaks the pipe.

The interpreter runs a pipeline's stages one after another (interp.py `_pipe`); a stage
that runs in time (a Process) writes while the shell waits for it. This module is the
sink of such a stage's standard output: at each complete line it runs the filters
after it (only filters whose output for a prefix of their input is a prefix of their
output: grep, head, cat, cut, tr, with plain words) on what they have read so far, and
writes what is new of the last one's output to the terminal. When the stages have
ended, the interpreter runs them once more on the whole input for their statuses, and
only what was not shown yet reaches the terminal (`PipeStream.final_terminal`).

A `head` that has the lines it reads has exited (running it on one more line changes
nothing): the next write of the program before it meets a broken pipe, as write(2)
gives EPIPE and SIGPIPE: ping dies of the signal (141, recorded), tcpdump says
`Unable to write output: Broken pipe` and exits 14 (recorded; print.c).
"""
from __future__ import annotations

import re

from ipemu.plainclass import dataclass, field
from ipemu.tools.context import Terminal

SIGPIPE = 13

# filters whose output for a prefix of their input is a prefix of their output, and
# the options that keep them so (any other word makes the pipeline wait, as before)
_GREP_FLAGS = re.compile(r"-[ivwxEFohHsaGnUq]+$|-m\d+$|--color(=\w+)?$|--colour(=\w+)?$"
                         r"|--quiet$|--silent$|--line-buffered$")
_CAT_FLAGS = re.compile(r"-[nbsvETAetu]+$")
_HEAD_FLAGS = re.compile(r"-\d+$|-[nc]\d+$")
# how much a stage that is not line-local reads again at each line before the
# preview stops (its output then comes at the end, as before)
PREVIEW_LIMIT = 256 * 1024
_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./^-]+$")


_PART = re.compile("([A-Za-z0-9_@%+=:,./^-]+)|'([^']*)'|\"([^\"$`\\\\!]*)\"")


def literal(word: str) -> str | None:
    """A word that expands to itself (after quote removal) without running anything:
    plain characters and quoted parts; None for anything else ($, `, globs, escapes)."""
    out, pos = [], 0
    while pos < len(word):
        m = _PART.match(word, pos)
        if m is None:
            return None
        out.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return "".join(out) if word else None


def filter_argv(command, functions) -> list[str] | None:
    """The argv of a pipeline stage that can be previewed, else None."""
    from ipemu.bash import ast
    if not isinstance(command, ast.Simple) or command.assigns or command.redirects:
        return None
    argv = [literal(w) for w in command.words]
    if not argv or None in argv or argv[0] in functions:
        return None
    name, args = argv[0], argv[1:]
    if name in ("egrep", "fgrep"):
        # Debian 12's egrep and fgrep are `exec grep -E "$@"` (-F): they stream as
        # grep does (recorded: `tcpdump -l ... | egrep -i "GET /|Host:"` prints each
        # line as it comes, tcpdump's counts after them)
        name, args = "grep", ["-E" if name == "egrep" else "-F"] + args
        argv = [name] + args
    if name == "grep":
        return argv if _grep_ok(args) else None
    if name == "head":
        return argv if _options_ok(args, _HEAD_FLAGS, ("-n", "-c")) else None
    if name == "cat":
        return argv if all(_CAT_FLAGS.match(a) or a == "-" for a in args) else None
    if name == "tr":
        return argv if not any(a.startswith("-") and "s" in a for a in args) else None
    if name == "cut":
        return argv if _cut_ok(args) else None
    if name == "sed":
        return argv if _sed_ok(args) else None
    return None


# one sed command whose output for a line depends on that line alone: s///, d or p,
# after no address or a /regex/ one (a line number, $, the hold space, N/D/q... are not)
_SED_CMD = re.compile(r"\s*(?:/(?:[^/\\\n]|\\.)*/\s*!?\s*)?"
                      r"(?:s/(?:[^/\\\n]|\\.)*/(?:[^/\\\n]|\\.)*/[gpiI0-9]*|[dp])\s*")


def _sed_script_ok(script: str) -> bool:
    pos = 0
    while True:
        m = _SED_CMD.match(script, pos)
        if m is None:
            return False
        pos = m.end()
        if pos == len(script):
            return True
        if script[pos] != ";":
            return False
        pos += 1


def _sed_ok(args: list[str]) -> bool:
    """sed reading its standard input with a script of line-local commands (GNU sed
    writes each line as it has read it: stdout on a terminal is line buffered)."""
    scripts = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-e" and i + 1 < len(args):
            scripts.append(args[i + 1])
            i += 2
            continue
        if arg in ("-E", "-r", "-u", "-n", "--regexp-extended", "--unbuffered", "--quiet"):
            i += 1
            continue
        if arg.startswith("-"):
            return False
        if scripts:
            return False            # a file operand
        scripts.append(arg)
        i += 1
    return bool(scripts) and all(_sed_script_ok(s) for s in scripts)


def _cut_ok(args: list[str]) -> bool:
    """cut reading its standard input: options (-d and -f take the next word when
    not attached), no file but `-`."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-b", "-c", "-d", "-f"):
            i += 2
            continue
        if arg.startswith("-") and arg != "-":
            if "z" in arg[1:2]:
                return False
        elif arg != "-":
            return False
        i += 1
    return True


def _grep_ok(args: list[str]) -> bool:
    """grep PATTERN with options that print each selected line as it is read."""
    operands = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-e", "-m"):
            i += 2
            continue
        if arg.startswith("-") and arg != "-":
            if not _GREP_FLAGS.match(arg):
                return False
        else:
            operands.append(arg)
        i += 1
    # with -e the operands are files; without, the first is the pattern
    files = operands if "-e" in args else operands[1:]
    return all(f == "-" for f in files)


def _options_ok(args: list[str], flags: re.Pattern, with_value: tuple[str, ...]) -> bool:
    i = 0
    while i < len(args):
        if args[i] in with_value and i + 1 < len(args) and args[i + 1].isdigit():
            i += 2
        elif flags.match(args[i]):
            i += 1
        else:
            return False
    return True


@dataclass
class _Stage:
    argv: list[str]
    read: str = ""         # what it has read so far (complete lines)
    wrote: str = ""        # what it has written for that
    done: bool = False     # a head that has what it reads: it has exited
    held: str = ""         # written into stdio's buffer, not yet into the pipe

    @property
    def stdio_buffered(self) -> bool:
        """Its stdout, a pipe to the next stage, is fully buffered (stdio's
        BUFSIZ-sized blocks): grep without --line-buffered, sed without -u, cut, tr
        (cat writes what it reads at once). Recorded: `tcpdump -l ... | grep ... |
        grep -o ...` prints tcpdump's counts first, the lines when the first grep
        exits."""
        name, args = self.argv[0], self.argv[1:]
        if name == "grep":
            return "--line-buffered" not in args
        if name == "sed":
            return not any(a in ("-u", "--unbuffered") for a in args)
        return name in ("cut", "tr")

    @property
    def line_local(self) -> bool:
        """Its output for each line depends on that line only: it is fed the new
        lines alone (grep and cat without numbering, counting or context; cut, tr)."""
        name, args = self.argv[0], self.argv[1:]
        if name in ("cut", "tr", "sed"):
            return True         # sed: only line-local scripts are previewed (_sed_ok())
        if name == "grep":
            return not any(a.startswith("-") and not a.startswith("--")
                           and set(a[1:]) & set("nmqbABC") or a in ("--quiet", "--silent")
                           for a in args)
        if name == "cat":
            return not any(a.startswith("-") and set(a[1:]) & set("nbs") for a in args)
        return False


@dataclass
class Shown:
    """What the pipeline has written to the terminal's stdout ahead of its end."""

    text: str = ""


@dataclass
class PipeStream:
    """The sink of a running stage's terminal: stderr to the outer terminal (as the
    pipeline's Routing did), stdout kept for the next stage and previewed through
    the filters after it."""

    interp: object
    outer: Terminal
    stages: list[_Stage] | None      # None: the filters after it are not previewed
    shown: Shown
    netns: object = None
    term: Terminal | None = None     # the terminal this is the sink of
    pending: str = ""                # stdout after its last newline
    total: str = ""                  # the last filter's output for what came so far
    broken: bool = False             # the pipe's reader has exited
    sent: bool = False
    late: bool = False               # it wrote after ^C had ended its readers
    dropped: int = 0                 # bytes written after the reader had exited
    broken_at: float = -1.0          # when (the host's clock) the reader had all it reads
    active: bool = field(default=True)
    partial: bool = False            # stages after these are not previewed: show nothing
    # not a terminal: stdio buffers a program's output in full until it flushes
    block_buffered = True

    @classmethod
    def after(cls, interp, commands: list, outer: Terminal, netns, shown: Shown
              ) -> "PipeStream":
        functions = interp.state.functions
        argvs = [filter_argv(c, functions) for c in commands]
        stages = None if None in argvs else [_Stage(a) for a in argvs]
        partial = False
        if stages is None and argvs[0] is not None:
            # a filter that is not previewed comes later (`| head -3 | wc -l`): the
            # first reader still breaks the pipe when it has read all it reads,
            # though nothing is shown before the end
            stages = [_Stage(a) for a in argvs[:argvs.index(None)]]
            partial = True
        if stages and "xtrace" in interp.state.options:
            # under set -x each stage writes its own trace line as it starts, before
            # it can write anything: a filter's output is shown after its trace (the
            # interpreter's, when the stage runs), never ahead of it (recorded:
            # `set -x; ip -br link show lo | cut -c1-4` traces both, then `lo`)
            partial = True
        sink = cls(interp, outer, stages, shown, netns)
        sink.partial = partial
        sink.term = Terminal(sink=sink)
        return sink

    def interrupted(self) -> bool:
        """Ctrl-C reached the live shell's foreground job while this stage ran: the
        terminal sent SIGINT to the whole pipeline."""
        fg = getattr(self.interp.session, "foreground", None)
        return fg is not None and fg.interrupted

    def writer_status(self, status: int) -> int:
        """The stage's status: a write after its readers died met EPIPE (ping's
        statistics after ^C: 141, recorded)."""
        return 128 + SIGPIPE if self.late else status

    def write(self, stream: str, text: str) -> bool:
        if stream != "stdout":
            self.outer.write("stderr", text)
            return True
        if self.interrupted():
            self.late = True     # the readers are gone: nothing reaches the pipe
            return True
        if self.broken:
            self.dropped += len(text.encode())
            self._break_pipe()
            return True          # write(2) failed: nothing reaches the pipe
        if self.stages and self.active:
            self.pending += text
            cut = self.pending.rfind("\n") + 1
            if cut:
                lines, self.pending = self.pending[:cut], self.pending[cut:]
                self._feed(lines)
        return False             # kept: the next stage reads it when this one ends

    def _feed(self, lines: str) -> None:
        """The new lines through each filter; what is new of the last one's output is
        shown now."""
        new = lines
        last = len(self.stages) - 1
        for index, stage in enumerate(self.stages):
            if not new or stage.done:
                break
            if stage.line_local:
                out = self._run(stage.argv, new)
                stage.wrote += out
                new = out
            else:
                stage.read += new
                if len(stage.read) > PREVIEW_LIMIT:
                    self.active = False
                    return
                out = self._run(stage.argv, stage.read)
                if not out.startswith(stage.wrote):
                    self.active = False      # not a prefix after all: wait for the end
                    return
                new, stage.wrote = out[len(stage.wrote):], out
                stage.done = self._exited(stage, out)
            if index < last and stage.stdio_buffered:
                # the next stage reads it a whole buffer at a time
                # (the next stage, reading lines, acts on the whole ones among them)
                stage.held += new
                cut = len(stage.held) // STDIO_BUFSIZ * STDIO_BUFSIZ
                cut = stage.held.rfind("\n", 0, cut) + 1
                new, stage.held = stage.held[:cut], stage.held[cut:]
        else:
            # what the last filter wrote for this stage's output so far; an earlier
            # stage's preview may have shown part of it already
            self.total += new
            shown = self.shown
            if self.partial:
                pass        # the rest of the pipeline prints at the end
            elif len(self.total) > len(shown.text) and self.total.startswith(shown.text):
                self.outer.write("stdout", self.total[len(shown.text):])
                shown.text = self.total
        # a reader that has exited: the writer's next write breaks the pipe
        self.broken = any(stage.done for stage in self.stages)
        if self.broken and self.broken_at < 0:
            self.broken_at = self.interp.session.host.clock.now

    def overflowed(self) -> bool:
        """A write after the reader had all it reads certainly met the closed pipe:
        time has passed since (the reader has exited: `{ echo a; sleep 1; echo b; } |
        head -1`), or more was written than the pipe holds beside the reader's last
        read (`while true; do echo x; done | head -1`); a little more at once is a
        race the writer usually wins (`for i in 1 2 3; do echo $i; done | head -1`:
        0, recorded; dies_of_sigpipe())."""
        late = 0 <= self.broken_at < self.interp.session.host.clock.now
        return late or self.dropped > HEAD_READ + PIPE_CAPACITY

    def _run(self, argv: list[str], data: str) -> str:
        return self._call(argv, data)[0]

    def _call(self, argv: list[str], data: str) -> tuple[str, int]:
        scratch = Terminal()
        status = self.interp.session._dispatch(list(argv), scratch, data, self.netns)
        return scratch.stream("stdout"), status if isinstance(status, int) else 0

    def _exited(self, stage: _Stage, out: str) -> bool:
        """The filter has read all it reads and exited: head with its lines (one more
        line changes nothing), grep -q with a match, grep -m N with N lines."""
        name, args = stage.argv[0], stage.argv[1:]
        if name == "head":
            return self._run(stage.argv, stage.read + "\n") == out
        if name != "grep":
            return False
        if any(a in ("--quiet", "--silent") or (a[:1] == "-" and a[1:2] != "-" and "q" in a)
               for a in args if a != "-"):
            return self._call(stage.argv, stage.read)[1] == 0
        limit = _max_count(args)
        if limit is not None and not any(a[:1] == "-" and set(a[1:]) & set("oABC")
                                         for a in args):
            return out.count("\n") >= limit
        return False

    def _break_pipe(self) -> None:
        """The writer's next write meets the closed pipe: SIGPIPE (a program may
        handle EPIPE its own way), after the event that wrote."""
        if self.sent or self.term is None:
            return
        self.sent = True
        session = self.interp.session
        for proc in list(session.machine.processes.values()):
            if not proc.done and _writes_to(proc.term, self.term):
                proc.epipe = True       # should it exit first, it dies of this write
                session.host.clock.call_later(0, proc, "deliver_epipe")


def _writes_to(term, target: Terminal) -> bool:
    """`term` is `target` or a redirection's terminal in front of it."""
    while term is not None:
        if term is target:
            return True
        term = getattr(getattr(term, "sink", None), "outer", None)
    return False


def final_terminal(outer: Terminal, shown: Shown) -> Terminal:
    """The last stage's terminal when its output was shown ahead: what it writes
    again is skipped, the rest reaches the outer terminal."""
    if not shown.text:
        return outer
    return Terminal(sink=_Skip(outer, len(shown.text)))


@dataclass
class _Skip:
    outer: Terminal
    skip: int

    def write(self, stream: str, text: str) -> bool:
        if stream == "stdout" and self.skip:
            cut = min(self.skip, len(text))
            self.skip -= cut
            text = text[cut:]
        if text:
            self.outer.write(stream, text)
        return True


def _max_count(args: list[str]) -> int | None:
    """grep's -m N (or -mN): the matches after which it stops reading."""
    for i, arg in enumerate(args):
        if arg == "-m" and i + 1 < len(args) and args[i + 1].isdigit():
            return int(args[i + 1])
        if re.fullmatch(r"-m\d+", arg):
            return int(arg[2:])
    return None


# glibc's stdio buffer for a pipe (st_blksize: a page)
STDIO_BUFSIZ = 4096
# a pipe's capacity (pipe_fcntl's default 16 pages) and the most coreutils' head reads
# at once (its BUFSIZ): what a writer can leave behind a head that has exited
PIPE_CAPACITY = 65536
HEAD_READ = 8192


def head_consumes(argv: list[str] | None, data: str) -> int | None:
    """How much of `data` a `head -n N`/`head -N`/`head -c N` reading it needs
    before it exits (it then closes the pipe); None for any other stage, or a head
    that reads it all."""
    if not argv or argv[0] != "head":
        return None
    args = argv[1:]
    lines, count = 10, None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-n", "-c") and i + 1 < len(args):
            value, kind = args[i + 1], arg[1]
            i += 2
        elif re.fullmatch(r"-[nc]\d+", arg):
            value, kind = arg[2:], arg[1]
            i += 1
        elif re.fullmatch(r"-\d+", arg):
            value, kind = arg[1:], "n"
            i += 1
        else:
            return None
        if not value.isdigit():
            return None
        if kind == "n":
            lines, count = int(value), None
        else:
            count = int(value)
    if count is not None:
        return count
    end = 0
    for _ in range(lines):
        end = data.find("\n", end) + 1
        if end == 0:
            return None         # fewer lines than it wants: it reads to the end
    return end


def dies_of_sigpipe(writer_out: str, reader_argv: list[str] | None,
                    dropped: int = 0) -> bool:
    """The writer before a head certainly wrote after head exited: more than the
    pipe holds is left after what head read (a smaller rest is a race the writer
    usually wins: it is not decided here). `dropped`: what it wrote that the
    preview already kept from the pipe."""
    used = head_consumes(reader_argv, writer_out)
    if used is None:
        return False
    # printf's \xNN bytes that are not UTF-8 travel as surrogate escapes
    size = len(writer_out.encode("utf-8", "surrogateescape"))
    return size + dropped > used + HEAD_READ + PIPE_CAPACITY
