"""util-linux 2.38.1's mount, for the one kind of mount ipemu has: the bind mount of
an existing file or directory onto another (`mount --bind SOURCE TARGET`, `-B`,
`-o bind`, `--rbind`/`-R`, `-o rbind`). The policy-routing cases of round 42 put a
home copy of /etc/iproute2/rt_tables over the file that way, since the recording
machine's own /etc must not change: iproute2 then reads the names from the copy.

Errors as libmount words them (libmount/src/context_mount.c,
mnt_context_get_mount_excode()): a missing source or target is the kernel's ENOENT
told apart by what is missing, a directory over a file (or the reverse) ENOTDIR,
each with the dmesg hint, status 32 (MNT_EX_FAIL); bad usage status 1."""
from __future__ import annotations

import errno

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

EX_USAGE = 1
EX_FAIL = 32
USAGE = "mount: bad usage\nTry 'mount --help' for more information.\n"
HINT = "       dmesg(1) may have more information after failed mount system call.\n"
# the options that change nothing for a bind mount here
FLAGS = {"c": "no-canonicalize", "f": "fake", "i": "internal-only", "n": "no-mtab",
         "v": "verbose", "r": "read-only", "w": "rw"}
BIND = {"B": "bind", "R": "rbind"}


def main(ctx: ToolContext, argv: list[str]) -> int:
    operands: list[str] = []
    bind = False
    args = iter(argv[1:])
    for arg in args:
        if arg == "--":
            operands.extend(args)
            break
        if arg.startswith("--") and len(arg) > 2:
            name, _, value = arg[2:].partition("=")
            if name in BIND.values():
                bind = True
            elif name in ("options", "types"):
                value = value or next(args, None)
                if value is None:
                    raise CommandError(f"mount: option '--{name}' requires an argument\n"
                                       "Try 'mount --help' for more information.\n",
                                       EX_USAGE)
                bind = bind or _bind_option(value, name)
            elif name not in FLAGS.values():
                raise CommandError(f"mount: unrecognized option '{arg}'\n"
                                   "Try 'mount --help' for more information.\n", EX_USAGE)
            continue
        if arg.startswith("-") and arg != "-":
            rest = arg[1:]
            while rest:
                ch, rest = rest[0], rest[1:]
                if ch in BIND:
                    bind = True
                elif ch in "ot":
                    value = rest or next(args, None)
                    rest = ""
                    if value is None:
                        raise CommandError(f"mount: option requires an argument -- '{ch}'\n"
                                           "Try 'mount --help' for more information.\n",
                                           EX_USAGE)
                    bind = bind or _bind_option(value, "options" if ch == "o" else "types")
                elif ch not in FLAGS:
                    raise CommandError(f"mount: invalid option -- '{ch}'\n"
                                       "Try 'mount --help' for more information.\n",
                                       EX_USAGE)
            continue
        operands.append(arg)
    if not operands and not bind:
        raise CommandError("ipemu: mount's listing is not simulated yet\n", EX_FAIL)
    if not operands or len(operands) > 2:
        raise CommandError(USAGE, EX_USAGE)
    fs = ctx.session.fs
    cwd = ctx.session.cwd
    if len(operands) == 1:
        where = fs.resolve(operands[0], cwd)
        if bind:
            # not in /etc/fstab: the bind goes to the kernel without a source
            return _fail(ctx, where, "mount(2) system call failed: No such file or directory.")
        ctx.term.err(f"mount: {where}: can't find in /etc/fstab.\n")
        return EX_FAIL
    if not bind:
        raise CommandError("ipemu: mount of anything but a bind mount is not simulated yet\n",
                           EX_FAIL)
    source, target = operands
    where = fs.resolve(target, cwd)
    src = fs.resolve(source, cwd)
    if not fs.exists(where):
        return _fail(ctx, where, "mount point does not exist.")
    if not fs.exists(src):
        return _fail(ctx, where, f"special device {source} does not exist.")
    try:
        fs.bind_mount(src, where)
    except OSError as err:
        if err.errno == errno.ENOTDIR and not fs.is_dir(where):
            return _fail(ctx, where, "mount point is not a directory.")
        return _fail(ctx, where, f"mount(2) system call failed: {err.strerror}.")
    return 0


def _bind_option(value: str, name: str) -> bool:
    """-o LIST: bind or rbind among the options; -t: a type (none makes a bind)."""
    return name == "options" and any(o in ("bind", "rbind") for o in value.split(","))


def _fail(ctx: ToolContext, where: str, text: str) -> int:
    ctx.term.err(f"mount: {where}: {text}\n{HINT}")
    return EX_FAIL
