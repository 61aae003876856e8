"""iproute2's `devlink` and `rdma` (devlink/devlink.c, rdma/rdma.c, 6.1) on a kernel
without either: their options are read as getopt_long() reads them (GNU order: an
option after the object is still an option), then the netlink socket each needs is
asked for. devlink's generic netlink family is not among the kernel's
(kernel/genetlink.py: ctrl_getfamily("devlink") is ENOENT), so dl_init() fails with
"Failed to connect to devlink Netlink"; the kernel has no NETLINK_RDMA protocol
(CONFIG_INFINIBAND is off), so rd_send_msg() fails with "Failed to open NETLINK_RDMA
socket". Both exit 1 then, whatever the object (recorded)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.kernel.genetlink import ctrl_getfamily
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext

DEVLINK_HELP = (
    "Usage: devlink [ OPTIONS ] OBJECT { COMMAND | help }\n"
    "       devlink [ -f[orce] ] -b[atch] filename -N[etns] netnsname\n"
    "where  OBJECT := { dev | port | lc | sb | monitor | dpipe | resource | region | health "
    "| trap }\n"
    "       OPTIONS := { -V[ersion] | -n[o-nice-names] | -j[son] | -p[retty] | -v[erbose] "
    "-s[tatistics] -[he]x }\n")
# devlink.c main()'s long_options (names are case-sensitive: --Version, --Netns)
DEVLINK_LONGS = {"Version": "V", "force": "f", "batch=": "b", "no-nice-names": "n",
                 "json": "j", "pretty": "p", "verbose": "v", "statistics": "s",
                 "Netns=": "N", "iec": "i", "hex": "x"}
RDMA_LONGS = {"version": "V", "help": "h", "json": "j", "pretty": "p", "details": "d",
              "raw": "r", "force": "f", "batch=": "b"}


def main(ctx: ToolContext, argv: list[str]):
    prog = argv[0].rsplit("/", 1)[-1]
    if prog == "rdma":
        return _rdma(ctx, argv, prog)
    return _devlink(ctx, argv)


def _devlink(ctx: ToolContext, argv: list[str]):
    """main(): getopt_long(argc, argv, "Vfb:njpvsN:ix"); glibc's own message for a
    bad option, then pr_err("Unknown option.") and help() on stderr."""
    try:
        opts, _ = gnuopt.parse(argv[1:], "Vfb:njpvsN:ix", DEVLINK_LONGS, "devlink",
                               usage="Unknown option.\n" + DEVLINK_HELP)
    except CommandError as err:
        # the options before the bad one have acted (-N switched, -V printed)
        if _devlink_acts(ctx, _good_prefix(argv[1:], "Vfb:njpvsN:ix", DEVLINK_LONGS)):
            return 0
        raise err
    if _devlink_acts(ctx, opts):
        return 0
    try:
        ctrl_getfamily("devlink")       # dl_init() -> mnlu_gen_socket_open()
    except KernelError:
        raise CommandError("Failed to connect to devlink Netlink\n", 1) from None
    # (a kernel with the family would answer here: none simulated has it)
    raise CommandError("Failed to connect to devlink Netlink\n", 1)


def _devlink_acts(ctx: ToolContext, opts) -> bool:
    """What the options do as the getopt loop meets them: -V prints the version and
    ends (True: status 0), -N switches namespace (netns_switch(): a missing one ends
    it)."""
    for letter, value in opts:
        if letter == "V":
            ctx.term.out(f"devlink utility, iproute2-{ctx.profile['iproute2_version']}\n")
            return True
        if letter == "N" and value not in ctx.host.namespaces:
            raise CommandError(f'Cannot open network namespace "{value}": No such file or '
                               "directory\n", 1)
    return False


def _good_prefix(args: list[str], short: str, longs: dict) -> list:
    """The options getopt_long() returned before the first bad one."""
    for end in range(len(args), -1, -1):
        try:
            opts, _ = gnuopt.parse(args[:end], short, longs, "devlink", usage="")
        except CommandError:
            continue
        return opts
    return []


def _rdma_help(prog: str) -> str:
    return (f"Usage: {prog} [ OPTIONS ] OBJECT {{ COMMAND | help }}\n"
            f"       {prog} [ -f[orce] ] -b[atch] filename\n"
            "where  OBJECT := { dev | link | resource | system | statistic | help }\n"
            "       OPTIONS := { -V[ersion] | -d[etails] | -j[son] | -p[retty] -r[aw]}\n")


def _rdma(ctx: ToolContext, argv: list[str], prog: str):
    """main(): getopt_long(argc, argv, ":Vhdrpjfb:") (the leading ':' keeps glibc
    quiet): a missing argument is "-b option requires an argument", anything else
    unknown is "Unknown option." and the usage on stdout; -h the usage, -V the
    version. Then rd_init() opens the NETLINK_RDMA socket, which this kernel has not."""
    args = argv[1:]
    try:
        opts, _ = gnuopt.parse(args, "Vhdrpjfb:", RDMA_LONGS, prog, usage="")
        bad = None
    except CommandError as err:
        bad = err.message
        opts = _good_prefix(args, "Vhdrpjfb:", RDMA_LONGS)
    for letter, _ in opts:
        if letter == "V":
            ctx.term.out(f"{prog} utility, iproute2-{ctx.profile['iproute2_version']}\n")
            return 0
        if letter == "h":
            ctx.term.out(_rdma_help(prog))
            return 0
    if bad is not None:
        if "requires an argument" in bad:
            raise CommandError("-b option requires an argument\n", 1)
        ctx.term.err("Unknown option.\n")     # pr_err(), then help()'s pr_out()
        ctx.term.out(_rdma_help(prog))
        return 1
    raise CommandError("Failed to open NETLINK_RDMA socket\n", 1)
