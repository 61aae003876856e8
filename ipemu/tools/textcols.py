"""Three more programs scripts and tutorials pipe through: util-linux 2.38's
`column` (-t tables with -s, -o, -N, -R; the fill mode with -c), coreutils' `stat`
(-c/--format/--printf over the host's files) and GNU diffutils' `diff` (the normal,
-u and -q forms for small files). Followed: column.c, stat.c print_stat(), diff's
normal and unified output (the hunks from an LCS of the lines)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.diffseq import GnuMatcher
from ipemu.tools.context import ToolContext
from ipemu.tools.textio import read_input


def main(ctx: ToolContext, argv: list[str]) -> int:
    return {"column": column, "stat": stat, "diff": diff}[argv[0]](ctx, argv)


# --------------------------------------------------------------------- column
COLUMN_LONGS = {"table": "t", "separator=": "s", "output-separator=": "o",
                "table-columns=": "N", "table-right=": "R", "columns=": "c",
                "fillrows": "x", "json": "J", "table-noheadings": "d",
                "keep-empty-lines": "L", "version": "V", "help": "h", "table-hide=": "H"}


def column(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "ts:o:N:R:H:c:xJdLVh", COLUMN_LONGS, "column")
    table, seps, out_sep, heads, right, width = False, None, "  ", None, set(), 80
    fillrows, hide = False, []
    for flag, value in opts:
        if flag == "t":
            table = True
        elif flag == "s":
            seps = value
        elif flag == "o":
            out_sep = value
        elif flag == "N":
            heads = value.split(",")
        elif flag == "R":
            bad = [v for v in value.split(",") if not v.isdigit() or v == "0"]
            if bad:
                raise CommandError(f"column: undefined column name '{bad[0]}'\n", 1)
            right = {int(v) - 1 for v in value.split(",")}
        elif flag == "c":
            if not value.isdigit():
                raise CommandError(f"column: invalid columns argument: '{value}'\n", 1)
            width = int(value)
        elif flag == "x":
            fillrows = True
        elif flag == "H":
            hide = value.split(",")
        elif flag == "V":
            ctx.term.out("column from util-linux 2.38.1\n")
            return 0
    lines, status = [], 0
    for name in names or ["-"]:
        try:
            text = read_input(ctx, name)
        except OSError as err:
            ctx.term.err(f"column: {name}: {err.strerror}\n")
            status = 1
            continue
        lines += [line for line in text.splitlines() if line.strip()]
    if status:
        return status
    if table:
        hidden = set()
        for word in hide:       # column.c: a name from -N, or a column's number
            if heads and word in heads:
                hidden.add(heads.index(word))
            elif word.isdigit() and word != "0":
                hidden.add(int(word) - 1)
            else:
                raise CommandError(f"column: undefined column name '{word}'\n", 1)
        ctx.term.out(_table(lines, seps, out_sep, heads, right, hidden))
    else:
        ctx.term.out(_fillrows(lines, width) if fillrows else _fill(lines, width))
    return 0


def _table(lines: list[str], seps: str | None, out_sep: str, heads, right,
           hidden: set | None = None) -> str:
    """column -t: cells split at any separator character (whitespace by default,
    runs of them one), each column as wide as its widest cell, the last unpadded."""
    rows = []
    for line in lines:
        if seps is None:
            rows.append(line.split())
        else:
            cells, cell = [], ""
            for char in line:
                if char in seps:
                    cells.append(cell)
                    cell = ""
                else:
                    cell += char
            rows.append(cells + [cell])
    if heads:
        rows.insert(0, heads)
    if hidden:      # -H: hidden columns are not printed, nor counted as the last
        keep_right = set()
        ncols_all = max((len(row) for row in rows), default=0)
        kept = [i for i in range(ncols_all) if i not in hidden]
        keep_right = {k for k, i in enumerate(kept) if i in right}
        rows = [[row[i] if i < len(row) else "" for i in kept] for row in rows]
        right = keep_right
    # libsmartcols: every line has the table's columns (a missing cell is empty); each
    # column but the last is padded to its widest cell
    # widths on the screen (mbs_safe_width(): a CJK character takes two cells)
    ncols = max((len(row) for row in rows), default=0)
    widths = [max(_width(row[i]) if i < len(row) else 0 for row in rows)
              for i in range(ncols)]
    out = []
    for row in rows:
        cells = []
        for i in range(ncols):
            cell = row[i] if i < len(row) else ""
            if i in right:
                cells.append(" " * (widths[i] - _width(cell)) + cell)
            else:
                cells.append(cell if i == ncols - 1 else
                             cell + " " * (widths[i] - _width(cell)))
        out.append(out_sep.join(cells) + "\n")
    return "".join(out)


def _width(text: str) -> int:
    """The cells `text` takes on a terminal (wcswidth())."""
    return len(text) if text.isascii() else sum(_wcwidth(c) for c in text)


def _fill(lines: list[str], width: int) -> str:
    """The default mode: entries in columns down, tab-stopped, as many as `width`
    holds (at least one)."""
    if not lines:
        return ""
    span = (max(len(line) for line in lines) + 8) // 8 * 8
    per_line = max(width // span, 1)
    rows = (len(lines) + per_line - 1) // per_line
    out = []
    for r in range(rows):
        cells = [lines[c * rows + r] for c in range(per_line) if c * rows + r < len(lines)]
        text = ""
        for k, cell in enumerate(cells):
            if k < len(cells) - 1:
                pad = span - len(cell)
                text += cell + "\t" * ((pad + 7) // 8)
            else:
                text += cell
        out.append(text + "\n")
    return "".join(out)


def _fillrows(lines: list[str], width: int) -> str:
    """column -x: columnate_fillrows(), entries across, tab-stopped to the longest."""
    if not lines:
        return ""
    span = (max(len(line) for line in lines) + 8) // 8 * 8
    per_line = width // span or len(lines)      # no columns fit: the row never ends
    out = []
    for start in range(0, len(lines), per_line):
        cells = lines[start:start + per_line]
        text = ""
        for k, cell in enumerate(cells):
            text += cell
            if k < len(cells) - 1:
                pad = span - len(cell)
                text += "\t" * ((pad + 7) // 8)
        out.append(text + "\n")
    return "".join(out)


# ----------------------------------------------------------------------- stat
STAT_LONGS = {"format=": "c", "printf=": "--printf", "terse": "t", "dereference": "L",
              "file-system": "f", "cached=": "--cached", "version": "--version",
              "help": "--help"}


def _kind(ctx: ToolContext, path: str, size: int) -> tuple[str, str]:
    """(%F, %a) of a path: a directory, the character devices, or a file."""
    if path in ("/dev/null", "/dev/zero", "/dev/tty", "/dev/random", "/dev/urandom"):
        return "character special file", "666"
    mode = f"{ctx.session.fs.mode(path):o}"      # %a: the permission bits, chmod's too
    if ctx.session.fs.is_dir(path):
        return "directory", mode
    if ctx.session.fs.is_fifo(path):
        return "fifo", mode
    return ("regular empty file" if size == 0 else "regular file"), mode


def stat(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "c:tLf", STAT_LONGS, "stat")
    fmt, end = None, "\n"
    for flag, value in opts:
        if flag == "c":
            fmt, end = value, "\n"
        elif flag == "--printf":
            fmt, end = _escapes(value), ""
        elif flag == "--version":
            ctx.term.out("stat (GNU coreutils) 9.1\n")
            return 0
    if not names:
        raise CommandError("stat: missing operand\nTry 'stat --help' for more "
                           "information.\n", 1)
    status, out = 0, []
    from ipemu.tools import progfiles
    follow = any(flag == "L" for flag, _ in opts)
    for name in names:
        path = ctx.session.fs.resolve(name, ctx.session.cwd)
        program = progfiles.lstat(progfiles.follow(path) or path if follow else path)
        if program is not None:
            # the box's program files and their links (lstat(), or stat() with -L)
            kind = "symbolic link" if program[0] == "l" else "regular file"
            target = program[4] if program[0] == "l" else None
            out.append(_format(fmt or "  File: %N\n  Size: %s\t\tBlocks: %b          IO Block: "
                               "4096   %F", name, program[2], kind, f"{program[1]:o}",
                               target) + (end if fmt is not None else "\n"))
            continue
        nsfs = _nsfs(ctx, path, follow)
        if nsfs is not None:
            kind, size, bits, inode, target = nsfs
            out.append(_format(fmt or "  File: %N\n  Size: %s\t\tBlocks: %b          "
                               "IO Block: 4096   %F", name, size, kind, bits, target,
                               inode) + (end if fmt is not None else "\n"))
            continue
        if path.startswith("/sys/"):
            from ipemu import procfs
            # a trailing slash (or /.) follows the class link to the device's directory
            trail = "/" if name.endswith("/") or name.endswith("/.") else ""
            found = procfs.sysfs_entry(ctx.netns, path + trail)
            if found is not None:
                letter, bits, target = found
                if follow and letter == "l":
                    # every sysfs link of the views leads to a device's directory
                    letter, bits, target = "d", 0o755, None
                kind = {"d": "directory", "l": "symbolic link"}.get(letter, "regular file")
                size = 4096 if letter == "-" else 0
                nlink = procfs.sysfs_nlink(ctx.netns, path) if letter == "d" else None
                out.append(_format(fmt or "  File: %N\n  Size: %s\t\tBlocks: %b          "
                                   "IO Block: 4096   %F", name, size, kind, f"{bits:o}",
                                   target, nlink=nlink) + (end if fmt is not None else "\n"))
                continue
        if path.startswith("/proc/") and not ctx.session.fs.exists(path):
            # procfs: files of size 0 (a sysctl's mode from its table, else 0444),
            # directories 0555
            from ipemu import procfs
            from ipemu.tools.ls_long import proc_sys_mode
            from ipemu.tools.userland import _is_view
            bits = proc_sys_mode(ctx.netns, path)
            if bits is None and procfs.is_view_dir(ctx.host, ctx.netns, path):
                kind, mode = "directory", "555"
            elif bits is not None or _is_view(ctx.session, ctx, path):
                kind, mode = "regular empty file", f"{bits if bits is not None else 0o444:o}"
            else:
                kind = None
            if kind is not None:
                out.append(_format(fmt or "  File: %n\n  Size: %s\t\tBlocks: %b          "
                                   "IO Block: 1024   %F", name, 0, kind, mode)
                           + (end if fmt is not None else "\n"))
                continue
        fs = ctx.session.fs
        if not follow and fs.is_link(path) and fs.real_path(path) is None:
            # lstat() of a simulated link (/etc/os-release): itself, its size the
            # length of the path it holds, mode 0777 (recorded: `/etc/os-release 21
            # symbolic link`)
            target = fs.links.get(fs.walk(path, last=False), "")
            out.append(_format(fmt or "  File: %N\n  Size: %s\t\tBlocks: %b          "
                               "IO Block: 4096   %F", name, len(target), "symbolic link",
                               "777", target) + (end if fmt is not None else "\n"))
            continue
        try:
            if ctx.session.fs.is_dir(path):
                size = 4096
            elif path.startswith("/dev/"):
                if not ctx.session.fs.exists(path) and path != "/dev/null":
                    raise FileNotFoundError(2, "No such file or directory")
                size = 0
            elif ctx.session.fs.is_fifo(path):
                size = 0        # a pipe's st_size (stat never reads it)
            else:
                size = len(ctx.session.fs.read(path))
        except OSError as err:
            ctx.term.out("".join(out))
            out = []
            ctx.term.err(f"stat: cannot statx '{name}': {err.strerror}\n")
            status = 1
            continue
        kind, mode = _kind(ctx, path, size)
        if fmt is None:
            fmt_used = "  File: %n\n  Size: %s\t\tBlocks: %b          IO Block: 4096   %F\n"
            out.append(_format(fmt_used, name, size, kind, mode).rstrip("\n") + "\n")
            continue
        out.append(_format(fmt, name, size, kind, mode) + end)
    ctx.term.out("".join(out))
    return status


def _escapes(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def _mode_string(kind: str, mode: str) -> str:
    """%A: filemodestring() of the type and the permission bits."""
    from ipemu.tools.ls_long import filemodestring
    letter = {"directory": "d", "character special file": "c",
              "symbolic link": "l"}.get(kind, "-")
    return filemodestring(letter, int(mode, 8))


def _nsfs(ctx: ToolContext, path: str, follow: bool):
    """(%F, %s, %a, %i, link target) of a namespace file: /run/netns/NAME where `ip
    netns add` mounted one (nsfs: an empty file, 0444, the namespace's inode), and
    /proc/PID/ns/net, a link `net:[INODE]` (stat -L: the nsfs file). Recorded: `ip
    netns exec web stat -L -c %i /proc/self/ns/net` is /run/netns/web's %i."""
    from ipemu import procfs
    from ipemu.tools.netns_links import NETNS_DIR, link_netns, netns_links
    path = procfs._canonical(path)
    if path.startswith(NETNS_DIR):
        name = path[len(NETNS_DIR):]
        if name in netns_links(ctx) or name not in ctx.host.namespaces:
            return None
        ns = ctx.host.namespaces[name]
        return "regular empty file", 0, "444", str(ctx.host.ns_inum(ns)), None
    ns = link_netns(ctx, path) if path.startswith("/proc/") else None
    if ns is None:
        return None
    inode = ctx.host.ns_inum(ns)
    if follow:
        return "regular empty file", 0, "444", str(inode), None
    # the link's own inode is procfs's: none this host keeps
    return "symbolic link", 0, "777", "?", f"net:[{inode}]"


def _format(fmt: str, name: str, size: int, kind: str, mode: str,
            target: str | None = None, inode: str = "?", nlink: int | None = None) -> str:
    """print_stat()'s directives this host knows (root owns every file); %N names a
    link's target too."""
    quoted = f"'{name}'" + (f" -> '{target}'" if target is not None else "")
    values = {"n": name, "N": quoted, "s": str(size), "F": kind, "a": mode,
              "A": _mode_string(kind, mode),
              "U": "root", "G": "root", "u": "0", "g": "0",
              "b": str((size + 511) // 512 // 8 * 8 if size else 0), "B": "512",
              "h": str(nlink) if nlink is not None else "2" if kind == "directory" else "1",
              "i": inode, "%": "%"}
    out, i = [], 0
    while i < len(fmt):
        char = fmt[i]
        if char == "%" and i + 1 < len(fmt):
            out.append(values.get(fmt[i + 1], "?"))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


# ----------------------------------------------------------------------- diff
DIFF_LONGS = {"brief": "q", "unified=": "U", "report-identical-files": "s",
              "ignore-case": "i", "version": "v", "help": "--help",
              "side-by-side": "y", "width=": "W", "suppress-common-lines":
              "--suppress-common-lines", "left-column": "--left-column",
              "expand-tabs": "t"}


def diff(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "quU:siyW:t", DIFF_LONGS, "diff", status=2)
    flags = {flag for flag, _ in opts}
    bad = [v for f, v in opts if f == "U" and not v.isdigit()]
    if bad:
        raise CommandError(f"diff: invalid context length '{bad[0]}'\n"
                           "diff: Try 'diff --help' for more information.\n", 2)
    context = next((int(v) for f, v in opts if f == "U"), 3)
    if "v" in flags:
        ctx.term.out("diff (GNU diffutils) 3.8\n")
        return 0
    if len(names) != 2:
        which = "missing" if len(names) < 2 else "extra"
        operand = f" after '{names[-1]}'" if names else f" after '{argv[-1]}'"
        raise CommandError(f"diff: {which} operand{operand if names else ''}\n"
                           "diff: Try 'diff --help' for more information.\n", 2)
    texts = []
    for name in names:
        try:
            texts.append(read_input(ctx, name))
        except OSError as err:
            ctx.term.err(f"diff: {name}: {err.strerror}\n")
            return 2
    old, new = (t.splitlines(keepends=True) for t in texts)
    if old == new and "y" in flags and "q" not in flags:
        # sdiff output shows the common lines of identical files too
        matcher = GnuMatcher(old, new)
        width = next((int(v) for f, v in opts if f == "W" and v.isdigit()), 130)
        ctx.term.out(_side_by_side(old, new, matcher, width, "t" in flags,
                                   "--suppress-common-lines" in flags,
                                   "--left-column" in flags))
        return 0
    if old == new:
        if "s" in flags:
            ctx.term.out(f"Files {names[0]} and {names[1]} are identical\n")
        return 0
    if "q" in flags:
        ctx.term.out(f"Files {names[0]} and {names[1]} differ\n")
        return 1
    unified = "u" in flags or "U" in flags
    matcher = GnuMatcher(old, new, context if unified else 0)
    if "y" in flags:
        width = next((int(v) for f, v in opts if f == "W" and v.isdigit()), 130)
        ctx.term.out(_side_by_side(old, new, matcher, width, "t" in flags,
                                   "--suppress-common-lines" in flags,
                                   "--left-column" in flags))
    elif "u" in flags or "U" in flags:
        ctx.term.out(_unified(ctx, names, old, new, matcher, context))
    else:
        ctx.term.out(_normal(old, new, matcher))
    return 1


def _range(start: int, end: int) -> str:
    """A normal diff's line range: `N` or `N,M` (1-based)."""
    return f"{start + 1}" if end - start == 1 else f"{start + 1},{end}"


def _lines(prefix: str, lines: list[str]) -> str:
    out = []
    for line in lines:
        out.append(prefix + line if line.endswith("\n") else
                   prefix + line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _normal(old, new, matcher) -> str:
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            out.append(f"{_range(i1, i2)}d{j1}\n" + _lines("< ", old[i1:i2]))
        elif tag == "insert":
            out.append(f"{i1}a{_range(j1, j2)}\n" + _lines("> ", new[j1:j2]))
        else:
            out.append(f"{_range(i1, i2)}c{_range(j1, j2)}\n" + _lines("< ", old[i1:i2])
                       + "---\n" + _lines("> ", new[j1:j2]))
    return "".join(out)


def _unified(ctx, names, old, new, matcher, context: int) -> str:
    import time
    stamp = time.strftime("%Y-%m-%d %H:%M:%S.000000000 +0000",
                          time.gmtime(ctx.host.clock.wall))
    out = [f"--- {names[0]}\t{stamp}\n", f"+++ {names[1]}\t{stamp}\n"]
    for group in matcher.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_urange(i1, i2)} +{_urange(j1, j2)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out.append(_lines(" ", old[a1:a2]))
                continue
            out.append(_lines("-", old[a1:a2]))
            out.append(_lines("+", new[b1:b2]))
    return "".join(out)


def _urange(start: int, end: int) -> str:
    """A unified hunk's range: `N` for one line, `N,M` else (`N,0` empty, before N)."""
    length = end - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + 1 if length else start},{length}"


# ------------------------------------------------------------- diff -y (side.c)
class _Side:
    """diffutils 3.8's sdiff output: two half columns and a gutter, padded with tabs
    unless -t (tab_from_to(), print_half_line(), print_1sdiff_line())."""

    def __init__(self, width: int, expand: bool):
        t = 1 if expand else 8
        off = (width + t + 3) // (2 * t) * t          # GUTTER_WIDTH_MINIMUM 3
        self.half = max(0, min(off - 3, width - off))
        self.col2 = off if self.half else width
        self.expand = expand
        self.out: list[str] = []

    def tab_to(self, start: int, to: int) -> int:
        if not self.expand:
            tab = start + 8 - start % 8
            while tab <= to:
                self.out.append("\t")
                start = tab
                tab += 8
        self.out.append(" " * max(0, to - start))
        return to

    def half_line(self, line: str, indent: int) -> int:
        bound = self.half
        inpos = outpos = 0
        for char in line.rstrip("\n"):
            if char == "\t":
                spaces = 8 - inpos % 8
                if inpos == outpos:
                    stop = outpos + spaces
                    if self.expand:
                        stop = min(stop, bound)
                        self.out.append(" " * (stop - outpos))
                        outpos = stop
                    elif stop < bound:
                        outpos = stop
                        self.out.append("\t")
                inpos += spaces
            elif char == "\r":
                self.out.append("\r")
                self.tab_to(0, indent)
                inpos = outpos = 0
            else:
                inpos += _wcwidth(char)
                if inpos <= bound:
                    outpos = inpos
                    self.out.append(char)
        return outpos

    def line(self, left: str | None, sep: str, right: str | None) -> None:
        col = 0
        newline = False
        if left is not None:
            newline |= left.endswith("\n")
            col = self.half_line(left, 0)
        if sep != " ":
            col = self.tab_to(col, (self.half + self.col2 - 1) // 2) + 1
            if sep == "|" and newline != right.endswith("\n"):
                sep = "/" if newline else "\\"
            self.out.append(sep)
        if right is not None:
            newline |= right.endswith("\n")
            if right != "\n":
                col = self.tab_to(col, self.col2)
                self.half_line(right, col)
        if newline:
            self.out.append("\n")


def _wcwidth(char: str) -> int:
    """wcwidth() of one character: 2 for East Asian wide, 0 for combining marks."""
    import unicodedata
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _side_by_side(old, new, matcher, width: int, expand: bool, suppress: bool,
                  left_column: bool) -> str:
    side = _Side(width, expand)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            if suppress:
                continue
            for a, b in zip(old[i1:i2], new[j1:j2]):
                side.line(a, "(", None) if left_column else side.line(a, " ", b)
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            side.line(old[i1 + k], "|", new[j1 + k])
        for b in new[j1 + pairs:j2]:
            side.line(None, ">", b)
        for a in old[i1 + pairs:i2]:
            side.line(a, "<", None)
    return "".join(side.out)
