"""`sysctl` (procps): read and write the namespace's sysctls (and the few of the
machine's own a scenario declares, as fs.file-max)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.sysctl import DEVICE_DIRS, device_default, net_table
from ipemu.tools.context import ToolContext


def lookup(ns, key: str) -> str | None:
    """The value of a sysctl in a namespace, None when /proc/sys has no such file:
    what was written, else the recorded default (ipemu/kernel/sysctl_net.txt); a key
    no namespace owns is the machine's (the scenario's [sysctl])."""
    host = getattr(ns, "host", None)
    if host is not None and key in host.sysctls:
        return host.sysctls[key]
    if key in ns.sysctls:
        return ns.sysctls[key]
    parts = key.split(".")
    if len(parts) >= 5 and parts[0] == "net" and parts[1] in ("ipv4", "ipv6") and \
            parts[2] in DEVICE_DIRS:
        dev = parts[3]
        device = ns.by_name(dev) if dev not in ("all", "default") else dev
        if device is None:
            return None
        rest = ".".join(parts[4:])
        if parts[2] == "conf":
            if device_default(parts[1], "conf", device, rest) is None:
                return None
            return ns.conf(4 if parts[1] == "ipv4" else 6, device, rest)
        return device_default(parts[1], "neigh", device, rest)
    return net_table()["namespace"].get(key)


# the proc handler of each sysctl ipemu has (Linux 6.1): these two are
# proc_dou8vec_minmax with 0..1 (net/ipv4/sysctl_net_ipv4.c), the rest proc_dointvec
# (devinet_conf_proc(), devinet_sysctl_forward(), addrconf_sysctl_*)
BOOLEAN_U8 = {"net.ipv4.icmp_echo_ignore_all", "net.ipv4.icmp_echo_ignore_broadcasts"}
_SPACES = " \t\n"
_TMPBUFLEN = 22


def parse_int(key: str, text: str) -> int | None:
    """What a write of `text` stores, as proc_dointvec() reads it (proc_get_long():
    spaces skipped, an optional `-`, strtoul base 0, then a space or the end; only the
    first number counts); None when the kernel answers EINVAL."""
    rest = text.lstrip(_SPACES)
    negative = rest.startswith("-") and len(rest) > 1
    if negative:
        rest = rest[1:]
    rest = rest[:_TMPBUFLEN - 1]
    if not rest[:1].isdigit() or not rest[:1].isascii():
        return None
    digits = rest[2:] if rest[:2].lower() == "0x" else rest
    base = 16 if digits is not rest else 8 if rest.startswith("0") else 10
    allowed = {16: "0123456789abcdefABCDEF", 8: "01234567", 10: "0123456789"}[base]
    end = 0
    while end < len(digits) and digits[end] in allowed:
        end += 1
    if base == 16 and end == 0:          # "0x" alone: strtoul reads the 0
        digits, base, end = rest, 8, 1
    length = (len(rest) - len(digits)) + end
    if length == _TMPBUFLEN - 1 or (length < len(rest) and rest[length] not in _SPACES):
        return None
    value = int(digits[:end] or "0", base)
    value = -value if negative else value
    if not -2**31 <= value <= 2**31 - 1:
        return None
    if key in BOOLEAN_U8 and not 0 <= value <= 1:
        return None
    return value


def write_value(ns, key: str, text: str) -> bool:
    """A write(2) of `text` to /proc/sys/KEY; False when it fails with EINVAL."""
    value = parse_int(key, text)
    if value is None:
        return False
    host = getattr(ns, "host", None)
    if host is not None and key in host.sysctls:
        host.sysctls[key] = str(value)
        return True
    ns.set_sysctl(key, str(value))
    return True


def all_keys(ns) -> list[str]:
    """Every net. sysctl of the namespace, as procps' `sysctl -a` walks /proc/sys
    (each directory's entries in name order): the recorded namespace keys, each
    device's conf and neigh keys, what was written, and the machine's own keys."""
    keys = set(net_table()["namespace"]) | {k for k in ns.sysctls if k.startswith("net.")}
    keys |= set(getattr(getattr(ns, "host", None), "sysctls", {}))
    for dev in ns.device_list():
        for template in net_table()["device"]:
            keys.add(template.replace("{dev}", dev.name))
    return sorted((k for k in keys if lookup(ns, k) is not None),
                  key=lambda k: k.split("."))


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    write = False
    quiet = False
    show_all = False
    load: list[str] | None = None
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if len(flag) > 2 and flag[1] != "-" and all(c in "wqneaAX" for c in flag[1:]):
            # grouped short options (`-qw`), as getopt_long() reads them
            args[:0] = [f"-{c}" for c in flag[2:]]
            flag = flag[:2]
        if flag == "-w":
            write = True
        elif flag in ("-q", "--quiet"):
            quiet = True
        elif flag in ("-n", "-e"):
            pass
        elif flag in ("-a", "-A", "-X", "--all"):
            show_all = True
        elif flag == "-p" or flag.startswith("--load"):
            # -p [FILE]: the file (default /etc/sysctl.conf) as name = value lines
            load = [args.pop(0)] if args and not args[0].startswith("-") else []
        else:
            raise CommandError(f"sysctl: unknown option -- '{flag.lstrip('-')}'\n", 255)
    if show_all:
        for key in all_keys(ctx.netns):
            ctx.term.out(f"{key} = {lookup(ctx.netns, key)}\n")
        return 0
    if load is not None:
        return _load(ctx, load[0] if load else "/etc/sysctl.conf", quiet)
    status = 0
    for arg in args:
        key, eq, value = arg.partition("=")
        key = key.replace("/", ".")
        if write and not eq:
            # procps 4 WriteSetting(): no `=` is a syntax error, and it goes on
            ctx.term.err("sysctl: command line(0): invalid syntax, continuing...\n")
            status = 1
            continue
        status = max(status, _setting(ctx, key, eq, value, quiet))
    return status


def _setting(ctx: ToolContext, key: str, eq: str, value: str, quiet: bool) -> int:
    current = lookup(ctx.netns, key)
    if current is None:
        ctx.term.err(f'sysctl: cannot stat /proc/sys/{key.replace(".", "/")}: '
                     "No such file or directory\n")
        return 1     # procps 4: EXIT_FAILURE for a key that is not there
    if eq:
        if not write_value(ctx.netns, key, value):
            ctx.term.err(f'sysctl: setting key "{key}": Invalid argument\n')
            return 1
        if not quiet:
            ctx.term.out(f"{key} = {value.strip()}\n")
    else:
        ctx.term.out(f"{key} = {current}\n")
    return 0


def _load(ctx: ToolContext, name: str, quiet: bool) -> int:
    """Preload(): each `name = value` line of the file is written (# and ; start a
    comment); Debian 12's /etc/sysctl.conf holds only comments."""
    session = ctx.session
    path = session.fs.resolve(name, session.cwd)
    try:
        text = session.fs.read(path).decode(errors="replace")
    except OSError:
        if path == "/etc/sysctl.conf":
            return 0
        ctx.term.err(f'sysctl: cannot open "{name}": No such file or directory\n')
        return 1
    status = 0
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, eq, value = line.partition("=")
        if not eq:
            ctx.term.err(f"sysctl: {name}(0): invalid syntax, continuing...\n")
            status = 1
            continue
        status = max(status, _setting(ctx, key.strip().replace("/", "."), eq, value.strip(),
                                      quiet))
    return status
