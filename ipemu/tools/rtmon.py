"""iproute2's `rtmon` (ip/rtmon.c): its arguments, usage and errors. Logging to
FILE writes raw RTNETLINK messages, which ipemu does not make: after the checks
rtmon.c makes before it listens (fopen(FILE, "w") included) it says so."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import matches

USAGE = ("Usage: rtmon [ OPTIONS ] file FILE [ all | LISTofOBJECTS ]\n"
         "OPTIONS := { -f[amily] { inet | inet6 | link | help } |\n"
         "             -4 | -6 | -0 | -V[ersion] }\n"
         "LISTofOBJECTS := [ link ] [ address ] [ route ]\n")
FAMILIES = ("inet", "inet6", "link")


def main(ctx: ToolContext, argv: list[str]) -> int:
    """main(): the words in order; usage() and every error exit(-1)."""
    args = list(argv[1:])
    file = None
    while args:
        word = args.pop(0)
        if matches(word, "-family"):
            if not args or args[0] == "help":
                raise CommandError(USAGE, 255)
            family = args.pop(0)
            if family not in FAMILIES:
                raise CommandError(f'Protocol ID "{family}" is unknown, try "rtmon help".\n',
                                   255)
        elif word in ("-4", "-6", "-0", "all"):
            pass
        elif matches(word, "-Version"):
            ctx.term.out(ctx.profile["rtmon_version"] + "\n")
            return 0
        elif matches(word, "file"):
            if not args:
                raise CommandError(USAGE, 255)
            file = args.pop(0)
        elif matches(word, "link") or matches(word, "address") or matches(word, "route"):
            pass
        elif matches(word, "help"):
            raise CommandError(USAGE, 255)
        else:
            raise CommandError(f'Argument "{word}" is unknown, try "rtmon help".\n', 255)
    if file is None:
        raise CommandError('Not enough information: argument "file" is required\n', 255)
    raise CommandError("ipemu: `rtmon file` is not simulated yet\n", 1)
