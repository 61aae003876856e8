"""iproute2's `genl` (genl/genl.c, genl/ctrl.c): the generic netlink controller's
families listed and looked up, with genl's options, usages and errors."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel.genetlink import ctrl_dumpfamily, ctrl_getfamily
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import _strtoul0, matches

EXIT_ARG = 255      # exit(-1), return -1 from main()
USAGE = ("Usage: genl [ OPTIONS ] OBJECT [help] }\n"
         "where  OBJECT := { ctrl etc }\n"
         "       OPTIONS := { -s[tatistics] | -d[etails] | -r[aw] | -V[ersion] | -h[elp] }\n")
CTRL_USAGE = ("Usage: ctrl <CMD>\n"
              "CMD   := get <PARMS> | list | monitor | policy <PARMS>\n"
              "PARMS := name <name> | id <id>\n"
              "Examples:\n"
              "\tctrl ls\n"
              "\tctrl monitor\n"
              "\tctrl get name foobar\n"
              "\tctrl get id 0xF\n"
              "\tctrl policy name foobar\n"
              "\tctrl policy id 0xF\n")
_TALK_ERROR = "Error talking to the kernel\n"


def main(ctx: ToolContext, argv: list[str]):
    """main(): the options up to the first word without '-', then the object."""
    args = list(argv[1:])
    while args and args[0].startswith("-"):
        word = args.pop(0)
        if matches(word, "-stats") or matches(word, "-statistics") or \
                matches(word, "-details") or matches(word, "-raw"):
            continue
        if matches(word, "-Version"):
            ctx.term.out(f"genl utility, iproute2-{ctx.profile['iproute2_version']}\n")
            return 0
        if matches(word, "-help"):
            raise CommandError(USAGE, EXIT_ARG)
        raise CommandError(f'Option "{word}" is unknown, try "genl -help".\n', EXIT_ARG)
    if not args:
        raise CommandError(USAGE, EXIT_ARG)
    if args[0] != "ctrl":
        # get_genl_kind(): no NAME.so, no NAME_genl_util: parse_nofopt() is handed
        # the words from the object on
        raise CommandError(f'Unknown genl "{args[0]}", hence option "{args[0]}" is '
                           "unparsable\n", EXIT_ARG)
    return _parse_ctrl(ctx, args[1:])


def _parse_ctrl(ctx: ToolContext, args: list[str]):
    """parse_ctrl()."""
    if not args:
        raise CommandError("wrong controller params\n", EXIT_ARG)
    cmd, rest = args[0], args[1:]
    if matches(cmd, "monitor"):
        # ctrl_listen(): the controller's "notify" group; ipemu's families never
        # change, so nothing comes until a signal ends it
        from ipemu.process import Forever
        return Forever(ctx.host, ctx.term)
    if matches(cmd, "get"):
        return _ctrl_get(ctx, rest)
    if matches(cmd, "list") or matches(cmd, "show") or matches(cmd, "lst"):
        ctx.term.out("".join(_print_ctrl(family) for family in ctrl_dumpfamily()))
        return 0
    if matches(cmd, "policy"):
        _family_arg(rest)
        raise CommandError("ipemu: `genl ctrl policy` is not simulated yet\n", 1)
    if matches(cmd, "help"):
        raise CommandError(CTRL_USAGE, EXIT_ARG)
    raise CommandError(f'ctrl command "{cmd}" is unknown, try "ctrl help".\n', EXIT_ARG)


def _family_arg(args: list[str]) -> tuple[str | None, int | None]:
    """ctrl_list()'s PARMS: exactly `name NAME` or `id ID` (get_u16() base 0)."""
    if len(args) != 2:
        raise CommandError("Wrong number of params\n", EXIT_ARG)
    if matches(args[0], "name"):
        return args[1][:15], None      # strlcpy() into char d[GENL_NAMSIZ]
    if matches(args[0], "id"):
        value = _strtoul0(args[1])
        if value is None or value > 0xFFFF:
            raise CommandError('Illegal "id"\n', EXIT_ARG)
        return None, value
    raise CommandError("Wrong params\n", EXIT_ARG)


def _ctrl_get(ctx: ToolContext, args: list[str]) -> int:
    name, family_id = _family_arg(args)
    try:
        family = ctrl_getfamily(name, family_id)
    except KernelError as err:
        raise CommandError(f"RTNETLINK answers: {_strerror(err)}\n{_TALK_ERROR}",
                           EXIT_ARG) from None
    ctx.term.out(_print_ctrl(family))
    return 0


def _strerror(err: KernelError) -> str:
    import os
    return os.strerror(int(err.errno))


def _cmd_flags(flags: int) -> str:
    """print_ctrl_cmd_flags()."""
    text = f"\n\t\tCapabilities (0x{flags:x}):\n "
    if not flags:
        return text + "\n"
    text += "\t\t "
    for bit, word in ((0x01, " requires admin permission;"), (0x02, " can doit;"),
                      (0x04, " can dumpit;"), (0x08, " has policy")):
        if flags & bit:
            text += word
    return text + "\n"


def _print_ctrl(family) -> str:
    """print_ctrl(): one family; op flags only from a version 2 controller on."""
    out = [f"\nName: {family.name}\n", f"\tID: 0x{family.id:x} ",
           f" Version: 0x{family.version:x} ", f" header size: {family.hdrsize} ",
           f" max attribs: {family.maxattr} ", "\n"]
    if family.ops:
        out.append("\tcommands supported: \n")
        for i, (op_id, flags) in enumerate(family.ops, 1):
            out.append(f"\t\t#{i}: " + f" ID-0x{op_id:x} ")
            if family.version >= 2:
                out.append(_cmd_flags(flags))
            out.append("\n")
        out.append("\n")
    if family.groups:
        out.append("\tmulticast groups:\n")
        for i, (group_id, name) in enumerate(family.groups, 1):
            out.append(f"\t\t#{i}: " + f" ID-0x{group_id:x} " + f" name: {name} " + "\n")
        out.append("\n")
    return "".join(out)
