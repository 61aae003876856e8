"""coreutils 9.1's install: copy files into place with their mode (0755 unless -m),
or make directories (-d), as setup scripts put a helper or a config where it goes
(`install -m 644 net.conf /etc/`, `install -D -m 755 up.sh /usr/local/bin/up`,
`install -d /run/netns`).

Followed: coreutils src/install.c (main(), install_file_in_file(),
install_file_in_dir(), make_ancestor(), announce_mkdir(), get_ids()), lib/
mkancesdirs.c and savewd: each directory made is announced with -v; copy.c's
`'SRC' -> 'DEST'` and `(backup: 'DEST~')`."""
from __future__ import annotations

import errno
import posixpath
import re

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext

LONGS = {"backup=": "--backup", "compare": "C", "directory": "d", "group=": "g",
         "mode=": "m", "owner=": "o", "preserve-timestamps": "p", "strip": "s",
         "strip-program=": "--strip-program", "suffix=": "S", "target-directory=": "t",
         "no-target-directory": "T", "verbose": "v", "preserve-context": "--preserve-context",
         "context=": "--context", "debug": "--debug", "help": "--help",
         "version": "--version"}
# the recording machine's users and groups (Debian 12's base-passwd)
USERS = {"root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news",
         "uucp", "proxy", "www-data", "backup", "list", "irc", "_apt", "nobody"}
GROUPS = {"root", "daemon", "bin", "sys", "adm", "tty", "disk", "lp", "mail", "news",
          "uucp", "man", "proxy", "kmem", "dialout", "fax", "voice", "cdrom", "floppy",
          "tape", "sudo", "audio", "dip", "www-data", "backup", "operator", "list", "irc",
          "src", "shadow", "utmp", "video", "sasl", "plugdev", "staff", "games", "users",
          "nogroup"}
MODE = re.compile(r"[0-7]{1,4}|[ugoa]*([-+=]([rwxXst]*|[ugo]))+(,[ugoa]*([-+=]([rwxXst]*|[ugo]))+)*")


def _try() -> str:
    return gnuopt.try_help("install")


def _mode(text: str, is_dir: bool) -> int:
    """mode_compile() and mode_adjust() from 0 with no umask (install.c)."""
    from ipemu.tools.fileutils import mode_adjust
    return mode_adjust(text, 0, is_dir, umask=0)


def main(ctx: ToolContext, argv: list[str]) -> int:
    opts, operands = gnuopt.parse(argv[1:], "bcCsDdg:m:o:pt:TvS:Z", LONGS, "install")
    flags = {flag for flag, _ in opts}
    values = {flag: value for flag, value in opts}
    for flag, _ in opts:
        if flag in ("--help", "--version"):
            from ipemu.tools.runwrap import gnu_info
            return gnu_info(ctx, "install", flag)
    mode_text = values.get("m")
    if mode_text is not None and not MODE.fullmatch(mode_text):
        raise CommandError(f"install: invalid mode ‘{mode_text}’\n", 1)
    owner, group = values.get("o"), values.get("g")
    if owner is not None and owner not in USERS and not owner.isdigit():
        raise CommandError(f"install: invalid user ‘{owner}’\n", 1)
    if group is not None and group not in GROUPS and not group.isdigit():
        raise CommandError(f"install: invalid group ‘{group}’\n", 1)
    verbose = "v" in flags
    backup = "b" in flags or "--backup" in flags
    suffix = values.get("S", "~")
    target = values.get("t")
    fs = ctx.session.fs
    path = lambda name: fs.resolve(name, ctx.session.cwd)    # noqa: E731

    def mkdirs(name: str, quote: str, announce: bool = True) -> None:
        """make_ancestor()/mkdir -p: each missing directory, announced with -v."""
        parts = name.rstrip("/").split("/")
        for i in range(1, len(parts) + 1):
            shown = "/".join(parts[:i])
            if not shown or shown in (".", ".."):
                continue
            full = path(shown)
            if fs.is_dir(full):
                continue
            try:
                if fs.exists(full) and (i < len(parts) or quote != "utf"):
                    # an ancestor that is a file: mkancesdirs() chdir()s into it
                    raise OSError(errno.ENOTDIR, "Not a directory")
                fs.make_dir(full)
            except OSError as err:
                q = f"‘{shown}’" if quote == "utf" else f"'{shown}'"
                raise CommandError(f"install: cannot create directory {q}: "
                                   f"{err.strerror}\n", 1) from None
            if verbose and announce:
                ctx.term.out(f"install: creating directory '{shown}'\n")

    if "d" in flags:
        if not operands:
            raise CommandError("install: missing file operand\n" + _try(), 1)
        status = 0
        for name in operands:
            try:
                mkdirs(name, "utf")
                if mode_text is not None:
                    fs.set_mode(path(name), _mode(mode_text, True))
            except CommandError as err:
                ctx.term.err(err.message)
                status = 1
        return status
    if not operands:
        raise CommandError("install: missing file operand\n" + _try(), 1)
    if target is None and len(operands) == 1:
        raise CommandError(f"install: missing destination file operand after "
                           f"'{operands[0]}'\n" + _try(), 1)
    if target is not None:
        sources = operands
        if "D" in flags:
            mkdirs(target, "ascii")
        if not fs.is_dir(path(target)):
            raise CommandError(f"install: failed to access '{target}': "
                               "No such file or directory\n", 1)
        pairs = [(src, posixpath.join(target, posixpath.basename(src))) for src in sources]
    else:
        *sources, dest = operands
        into = fs.is_dir(path(dest)) and "T" not in flags
        if len(sources) > 1 and not into:
            # target_directory_operand(): stat()'s error, ENOTDIR for a file
            why = "Not a directory" if fs.exists(path(dest)) else "No such file or directory"
            raise CommandError(f"install: target '{dest}': {why}\n", 1)
        pairs = [(src, posixpath.join(dest, posixpath.basename(src)) if into else dest)
                 for src in sources]
    status = 0
    for src, dest in pairs:
        try:
            _install_one(ctx, src, dest, flags, mode_text, backup, suffix, verbose, mkdirs)
        except CommandError as err:
            ctx.term.err(err.message)
            status = err.status
    return status


def _install_one(ctx: ToolContext, src: str, dest: str, flags: set[str],
                 mode_text: str | None, backup: bool, suffix: str, verbose: bool,
                 mkdirs) -> None:
    fs = ctx.session.fs
    spath, dpath = fs.resolve(src, ctx.session.cwd), fs.resolve(dest, ctx.session.cwd)
    if not fs.exists(spath):
        raise CommandError(f"install: cannot stat '{src}': No such file or directory\n", 1)
    if fs.is_dir(spath):
        raise CommandError(f"install: omitting directory '{src}'\n", 1)
    if "D" in flags and "/" in dest.rstrip("/"):
        mkdirs(posixpath.dirname(dest), "ascii")
    if spath == dpath:
        raise CommandError(f"install: '{src}' and '{dest}' are the same file\n", 1)
    if fs.is_dir(dpath):
        raise CommandError(f"install: cannot overwrite directory '{dest}' with "
                           "non-directory\n", 1)
    data = fs.read(spath)
    if "s" in flags and not data.startswith(b"\x7fELF"):
        ctx.term.err(f"strip: {dest}: file format not recognized\n")
        raise CommandError("install: strip process terminated abnormally\n", 1)
    note = ""
    if backup and fs.exists(dpath):
        fs.write(dpath + suffix, fs.read(dpath))
        fs.set_mode(dpath + suffix, fs.mode(dpath))
        note = f" (backup: '{dest}{suffix}')"
    try:
        fs.write(dpath, data)
    except OSError as err:
        code = err.errno
        text = err.strerror if code != errno.EISDIR else "Is a directory"
        raise CommandError(f"install: cannot create regular file '{dest}': {text}\n",
                           1) from None
    fs.set_mode(dpath, _mode(mode_text, False) if mode_text is not None else 0o755)
    if verbose:
        ctx.term.out(f"'{src}' -> '{dest}'{note}\n")
