"""`ip vrf` (iproute2 6.1 ip/ipvrf.c): show the vrf devices and their tables; exec,
identify and pids check their arguments as ipvrf.c does. identify answers for any
process from its /proc/PID/cgroup (none is in a vrf); exec stops where the recorded
host stops, at the cgroup2 directory it cannot make; pids' cgroup walk is not
simulated."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ip import IpOptions, usage_error
from ipemu.tools.ipargs import invarg
from ipemu.syntax import keyword

# vrf_switch(): find_cgroup2_mount() finds the host's hybrid cgroup2 mount,
# /sys/fs/cgroup/unified (/proc/mounts), and make_path() of
# MNT/vrf/[NAME] fails at its first mkdir(): the namespace's own sysfs has no
# fs/cgroup (recorded: tutorials41f_vrf_exec_identify, `ip vrf exec default true`)
VRF_CGROUP_FAILED = ("mkdir failed for /sys/fs/cgroup/unified: No such file or directory\n"
                     "Failed to setup vrf cgroup2 directory\n")


def do_ipvrf(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """do_ipvrf(): show by default, the command the first word abbreviates."""
    if not argv:
        return ipvrf_show(ctx, opts, [])
    cmd = argv[0]
    kw = keyword(cmd)               # grammar/ip.lark vrf_cmd
    if kw == "identify":
        return ipvrf_identify(ctx, cmd, argv[1:])
    if kw == "pids":
        return ipvrf_pids(ctx, cmd, argv[1:])
    if kw == "exec":
        return ipvrf_exec(ctx, cmd, argv[1:])
    if kw in ("show", "lst", "list"):
        return ipvrf_show(ctx, opts, argv[1:])
    if kw == "help":
        raise usage_error("ip_vrf", ctx.profile)
    raise CommandError(f'Command "{cmd}" is unknown, try "ip vrf help".\n', 255)


def _not_simulated(cmd: str) -> CommandError:
    return CommandError(f"ipemu: `ip vrf {cmd}` is not simulated yet\n", 1)


def _is_vrf(ctx: ToolContext, name: str) -> bool:
    """name_is_vrf(): a device of kind vrf."""
    dev = ctx.netns.by_name(name)
    return dev is not None and dev.vrf_table is not None


def _get_unsigned10(text: str) -> int | None:
    """get_unsigned(, 10): strtoul()'s leading blanks and sign, then digits only,
    at most UINT_MAX (a minus wraps past it)."""
    digits = text.lstrip(" \t\n\v\f\r")
    if digits[:1] == "+":
        digits = digits[1:]
    if not digits.isascii() or not digits.isdigit() or int(digits) > 0xFFFFFFFF:
        return None
    return int(digits)


def ipvrf_identify(ctx: ToolContext, cmd: str, argv: list[str]) -> int:
    """ipvrf_identify(): the vrf in /proc/PID/cgroup (ours without a PID): no
    process is in a vrf, so nothing is printed; a PID without a process has no
    file, and vrf_identify()'s -1 is negated by do_cmd() (status 1, recorded)."""
    if len(argv) > 1:
        raise invarg("Extra arguments specified\n", argv[1])
    if argv:
        pid = _get_unsigned10(argv[0])
        if pid is None:
            raise invarg("Invalid pid\n", argv[0])
        from ipemu.tools.ip_netns import _process_netns
        if _process_netns(ctx, pid) is None:
            raise CommandError("Failed to lookup vrf association: No such file or directory\n", 1)
    return 0


def ipvrf_pids(ctx: ToolContext, cmd: str, argv: list[str]) -> int:
    """ipvrf_pids(): one vrf's name; walking its cgroup is not simulated."""
    if len(argv) != 1:
        raise CommandError("Invalid arguments\n", 1)
    if not _is_vrf(ctx, argv[0]):
        raise CommandError("Invalid VRF name\n", 1)
    raise _not_simulated(cmd)


def ipvrf_exec(ctx: ToolContext, cmd: str, argv: list[str]) -> int:
    """ipvrf_exec(): a vrf (or default) and a command; vrf_switch() checks the name,
    then fails to make its cgroup2 directory (VRF_CGROUP_FAILED): the child's -1,
    negated twice, is status 255 (recorded)."""
    if not argv:
        raise CommandError("No VRF name specified\n", 1)
    if len(argv) < 2:
        raise CommandError("No command specified\n", 1)
    # vrf_switch() is cmd_exec()'s setup(), run in the forked child in a batch:
    # its name check fails there too (ChildSetupFailed, recorded)
    from ipemu.tools.ip_batch import ChildSetupFailed
    if argv[0] != "default" and not _is_vrf(ctx, argv[0]):
        raise ChildSetupFailed("Invalid VRF name\n", 255)
    raise ChildSetupFailed(VRF_CGROUP_FAILED, 255)


def ipvrf_show(ctx: ToolContext, opts: IpOptions, argv: list[str]) -> int:
    """ipvrf_show(): one vrf's table by name ("default" is main), else the list of
    every vrf device (name, table) under a header."""
    if len(argv) > 1:
        raise usage_error("ip_vrf", ctx.profile)
    ns = ctx.netns
    if argv:
        dev = ns.by_name(argv[0])
        if dev is None and argv[0] == "default":
            table = 254                          # ipvrf_get_table(): "main"
        elif dev is None or dev.vrf_table is None:
            raise CommandError("Invalid VRF\n", 255)
        else:
            table = dev.vrf_table
        ctx.term.out(f"{argv[0]} {table}\n")
        return 0
    p = Printer(opts.json, opts.pretty, opts.oneline)
    p.begin()
    p.fp("%-16s", "Name")
    p.fp("  %5s\n", "Table")
    p.fp("%s\n", "-----------------------")
    count = 0
    for dev in ns.device_list():
        if dev.vrf_table is None:
            continue
        p.open_object()
        p.any("name", "%-16s", dev.name)
        p.any("table", " %5u", dev.vrf_table)
        p.fp("%s", "\n")
        p.close_object()
        count += 1
    if not count:
        p.fp("%s\n", "No VRF has been configured")
    p.end()
    ctx.term.out(p.text())
    return 0
