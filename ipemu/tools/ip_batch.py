"""`ip -batch FILE` and `-force`: iproute2 6.1 ip/ip.c batch() over lib/utils.c
do_batch(), getcmdline() and makeargs().

Each line is an `ip` command without the `ip` word. A line that fails prints its
error and `Command failed FILE:LINE`; the batch stops there unless `-force`, which
goes on and makes the status 1. An error iproute2 reports by exit() (invalid
arguments, usage texts: status 255) ends the whole batch at once, `-force` or not.
"""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from operator import itemgetter

from ipemu.errors import CommandError
from ipemu.plainclass import replace
from ipemu.syntax import keyword
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import EXIT_ARG

WHITESPACE = " \t\r\n"      # makeargs()'s ws[]
# a word: the characters between blanks (str.split() alone would also split at \v,
# \f and Unicode spaces, which makeargs() keeps in a word)
_WORD = re.compile(r"[^ \t\r\n]+")

# errors iproute2 reports with exit(1), not a return: lib/utils.c get_addr(),
# get_prefix(), get_addr32() (an address or prefix that does not parse)
_EXITS_WITH_1 = re.compile(r'Error: (.* (address|prefix) is expected rather than "|"'
                           r'.*" may be inet (address|prefix), but it is not allowed)')


def _exits(err: CommandError) -> bool:
    """Did iproute2 end the process for this error (exit(-1): usage texts, invarg();
    exit(1): the address parsers), so that nothing after it runs?"""
    return err.status == EXIT_ARG or getattr(err, "exits", False) or \
        (err.status == 1 and bool(_EXITS_WITH_1.match(err.message)))


class ChildSetupFailed(CommandError):
    """lib/exec.c cmd_exec(): in batch mode it forks, and when the child's setup()
    (vrf_switch()) fails the child returns -1 into the batch loop instead of
    exiting: that line fails in the child, the child runs the rest of the batch
    (with -force), exits 1, and the line fails once more in the parent. Outside a
    batch ip exec()s in place and the status is `status`."""


class _Stop(Exception):
    """getcmdline() gave up (no continuation line): the loop ends as at end of file."""


def batch(ctx: ToolContext, opts, name: str) -> int:
    """do_batch(): run each command line of `name` (`-`: standard input)."""
    from ipemu.tools.ip import line_cursor
    text = _open(ctx, name)
    # ip_batch_cmd(): every line starts from the options given before -batch (no
    # `ip` handler changes them, so one copy serves the whole batch), and its words
    # from the grammar's state after the options
    line_opts = replace(opts, batch=None)
    start = line_cursor(ctx)
    with _young_collections(ctx.session.process_ends) as collect:
        return _run_lines(ctx, opts, name, text, line_opts, start, collect)


def _run_lines(ctx: ToolContext, opts, name: str, text: str, line_opts, start,
               collect: bool, lines=None) -> int:
    from ipemu.tools.ip import SHAPE_PLANNED, do_cmd, line_plan
    status = 0
    # line shape (its words, each that starts with a digit as `#`) -> the plan the
    # object's module learnt for it (ip.line_plan()) with _fixed_words() of the
    # shape, False (no plan) or True (seen once), as the grammar's shape cache: a
    # batch's lines mostly repeat a few shapes
    plans: dict[tuple, object] = {}
    # the grammar's line shape (syntax._Shape) -> a plan, True (seen once) or False,
    # for the objects whose plans read names (ip.SHAPE_PLANNED)
    shaped_plans: dict = {}
    # the last plan taken: the next line, of its shape mostly, is checked against its
    # length and its words that are not `#` at once (the plan checks the `#` words)
    last = last_size = last_get = last_fixed = None
    if lines is None:
        lines = _command_lines(ctx, text)
    count = 0
    young = _YOUNG_EVERY        # the line count of the next young collection
    for lineno, line in lines:
        count += 1
        if collect and count >= young:
            gc.collect(1)
            young = count + _YOUNG_EVERY
        argv = _makeargs(line)
        if not argv:
            continue                # a blank or comment line
        try:
            done = None
            if len(argv) == last_size and last_get(argv) == last_fixed:
                done = last(ctx, argv)
            if done is None:
                shape = tuple([w if not w[:1].isdigit() else "#" for w in argv])
                entry = plans.get(shape)
                if type(entry) is tuple and entry[0] is not last:
                    done = entry[0](ctx, argv)
                    if done is not None:
                        last, last_size, last_get, last_fixed = entry
            if done == 0 and last.run_lines is not None:
                # the lines after it that are this one but for its destination: the
                # plan runs them at once (ModifyPlan.run_lines())
                count += last.run_lines(ctx, lines, argv)
            if done is None:
                cursor = start.copy()
                words = cursor.feed_all(argv)
                shaped = cursor.shape
                if shaped is not None and keyword(words[0]) in SHAPE_PLANNED:
                    # a plan by the grammar's shape (a device name each line): learnt
                    # the second time the shape comes, as the plans above
                    found = shaped_plans.get(shaped)
                    if found is None:
                        if len(shaped_plans) >= _PLANS_KEPT:
                            shaped_plans.clear()
                        shaped_plans[shaped] = True
                    elif found is True:
                        shaped_plans[shaped] = line_plan(ctx, line_opts, words) or False
                    elif found is not False:
                        done = found(ctx, words)
            if done is None:
                if entry is None and cursor.shape is not None:
                    # seen once: a plan is learnt when the shape comes again (a batch
                    # whose every line is a shape of its own, a device name each,
                    # learns nothing)
                    if len(plans) >= _PLANS_KEPT:
                        plans.clear()
                    plans[shape] = True
                elif entry is True and cursor.shape is not None:
                    plan = line_plan(ctx, line_opts, words)
                    plans[shape] = (plan, *_fixed_words(shape)) if plan else False
                done = do_cmd(ctx, line_opts, words)
            failed = done != 0
        except ChildSetupFailed as err:
            ctx.term.err(err.message)
            _forked_child(ctx, opts, name, text, line_opts, start, lines, lineno)
            failed = True           # the parent: the child's exit status 1
        except CommandError as err:
            if _exits(err):
                raise
            ctx.term.err(err.message)
            failed = True
        if failed:
            ctx.term.err(f"Command failed {name}:{lineno}\n")
            status = 1
            if not opts.force:
                break
    return status


def _forked_child(ctx: ToolContext, opts, name: str, text: str, line_opts, start,
                  lines: "_command_lines", lineno: int) -> None:
    """ChildSetupFailed: the forked child's batch from the failed line on (its
    FILE buffer holds the rest of a small file, as the parent's does; recorded:
    tutorials41f_vrf_exec_batch), run before the parent goes on (waitpid())."""
    ctx.term.err(f"Command failed {name}:{lineno}\n")
    if opts.force:
        rest = _command_lines(ctx, text)
        rest.pos, rest.lineno, rest.ended = lines.pos, lines.lineno, lines.ended
        _run_lines(ctx, opts, name, text, line_opts, start, False, rest)


def do_batch(ctx: ToolContext, name: str, force: bool, cmd) -> int:
    """lib/utils.c do_batch() as bridge and tc use it: each line of `name` (`-`:
    standard input) split by makeargs() and given to `cmd` (its answer: the line
    failed); a failed line prints `Command failed FILE:LINE` and ends the batch (status
    1) unless `force`; what `cmd` raises (an error the tool reports by exit()) ends it
    at once. (`ip -batch` has its own loop: its line plans.)"""
    text = _open(ctx, name)
    status = 0
    for lineno, line in _command_lines(ctx, text):
        argv = _makeargs(line)
        if not argv:
            continue                # a blank or comment line
        if cmd(argv):
            ctx.term.err(f"Command failed {name}:{lineno}\n")
            status = 1
            if not force:
                break
    return status


def _fixed_words(shape: tuple) -> tuple:
    """(length, getter, words) of a line shape's words that are not `#`: a line of
    that length whose words there are these has the shape if its `#` words start
    with a digit."""
    places = [i for i, w in enumerate(shape) if w != "#"]
    if len(places) < 2:     # itemgetter() of one place answers the word, not a tuple
        return len(shape), lambda argv: tuple(argv[i] for i in places), \
            tuple(shape[i] for i in places)
    return len(shape), itemgetter(*places), tuple(shape[i] for i in places)


# lines between two collections of the young generations during a batch
_YOUNG_EVERY = 1000
# line shapes whose plans a batch keeps (names make many shapes: memory stays flat)
_PLANS_KEPT = 512


@contextmanager
def _young_collections(process_ends: bool):
    """Python's collector while a batch runs: the young generations every
    _YOUNG_EVERY lines, the full collection deferred to the batch's end. A batch
    grows the kernel's tables by some ten tracked objects a line, and CPython's full
    collections (each time the survivors grow by a quarter) walk all of them again:
    at 100,000 routes that is two fifths of the batch. What a line leaves behind is
    freed by reference counting as before; only cyclic garbage that survives the
    young collections waits for the end. Yields whether the batch is to collect (not
    when the collector was off already: whoever turned it off keeps it off).
    `process_ends`: the process ends after this line (`ipemu -c`, Session.
    process_ends): what the batch made is frozen as the booted host was (cli.
    collect_after_boot()) instead of walked once more by the full collection that
    turning the collector back on starts (100,000 routes: ~6% of the batch's
    instructions; the 8,001-line batch ends without one): it lives to
    the process's exit all the same, and a cycle left over is freed by that exit."""
    if not gc.isenabled():
        yield False
        return
    gc.disable()
    try:
        yield True
    finally:
        if process_ends:
            gc.freeze()
        gc.enable()


def _open(ctx: ToolContext, name: str) -> str:
    """freopen(name, "r", stdin): a directory opens, and its first read ends the
    batch as an empty file would."""
    from ipemu.tools.textutils import DirectoryInput
    if name == "-":
        return "" if ctx.stdin is None or isinstance(ctx.stdin, DirectoryInput) else ctx.stdin
    try:
        return ctx.session.open_text(name)
    except IsADirectoryError:
        return ""
    except OSError as err:
        raise CommandError(f'Cannot open file "{name}" for reading: {err.strerror}\n', 1)


class _command_lines:
    """getcmdline(): (line number, line) with `#` comments cut and lines ending in a
    backslash joined to the next; the number is that of the last line read. An
    iterator over the text as it stands (one line at a time: a list of every line
    would stay alive for the whole batch, and a StringIO holds a copy of the text at
    four bytes a character) whose place (`pos`, `lineno`) a line plan may move past
    lines it has run itself (ModifyPlan.run_lines())."""

    __slots__ = ("ctx", "text", "pos", "lineno", "ended")

    def __init__(self, ctx: ToolContext, text: str) -> None:
        self.ctx, self.text = ctx, text
        self.pos = self.lineno = 0
        self.ended = False

    def __iter__(self):
        return self

    def _line(self) -> str | None:
        """getline(): the next line with its "\n" (the last one maybe without),
        split at "\n" only."""
        text, start = self.text, self.pos
        if start >= len(text):
            return None
        end = text.find("\n", start) + 1 or len(text)
        self.pos = end
        self.lineno += 1
        return text[start:end]

    def __next__(self) -> tuple[int, str]:
        line = None if self.ended else self._line()
        if line is None:
            raise StopIteration
        if "#" in line:
            line = line.split("#", 1)[0]
        while "\\\n" in line:
            nxt = self._line()
            if nxt is None:
                self.ctx.term.err("Missing continuation line\n")
                self.ended = True
                raise StopIteration
            line = line[:line.index("\\\n")] + nxt.split("#", 1)[0]
        return self.lineno, line


def _makeargs(line: str) -> list[str]:
    """makeargs(): words split at blanks; a word that starts with a quote runs to the
    same quote (no escapes); a quote inside a word is an ordinary character."""
    if "'" not in line and '"' not in line:
        # no quotes: the words between blanks (the loop below gives the same)
        return _WORD.findall(line)
    argv: list[str] = []
    i = 0
    while i < len(line):
        while i < len(line) and line[i] in WHITESPACE:
            i += 1
        if i >= len(line):
            break
        if line[i] in "'\"":
            end = line.find(line[i], i + 1)
            if end < 0:
                raise CommandError("Unterminated quoted string\n", 1)
            argv.append(line[i + 1:end])
            i = end + 1
        else:
            end = i
            while end < len(line) and line[end] not in WHITESPACE:
                end += 1
            argv.append(line[i:end])
            i = end + 1
    return argv
