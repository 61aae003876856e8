"""`sysctl` (procps): read and write the namespace's sysctls."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext


def lookup(ns, key: str) -> str | None:
    """The value of a sysctl in a namespace, None when /proc/sys has no such file."""
    if key in ns.sysctls:
        return ns.sysctls[key]
    parts = key.split(".")
    if len(parts) == 5 and parts[0] == "net" and parts[2] == "conf":
        family = 4 if parts[1] == "ipv4" else 6
        dev = parts[3]
        if dev not in ("all", "default") and ns.by_name(dev) is None:
            return None
        return ns.conf(family, dev, parts[4])
    return None


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
    ns.set_sysctl(key, str(value))
    return True


def main(ctx: ToolContext, argv: list[str]) -> int:
    args = argv[1:]
    write = False
    quiet = False
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag == "-w":
            write = True
        elif flag in ("-q", "--quiet"):
            quiet = True
        elif flag in ("-n", "-e"):
            pass
        else:
            raise CommandError(f"sysctl: unknown option -- '{flag.lstrip('-')}'\n", 255)
    status = 0
    for arg in args:
        key, eq, value = arg.partition("=")
        key = key.replace("/", ".")
        current = lookup(ctx.netns, key)
        if current is None:
            ctx.term.err(f'sysctl: cannot stat /proc/sys/{key.replace(".", "/")}: '
                         "No such file or directory\n")
            status = 255
            continue
        if eq:
            if not write_value(ctx.netns, key, value):
                ctx.term.err(f'sysctl: setting key "{key}": Invalid argument\n')
                status = 1
                continue
            if not quiet:
                ctx.term.out(f"{key} = {value.strip()}\n")
        elif write:
            raise CommandError(f'sysctl: "{arg}" must be of the form name=value\n', 255)
        else:
            ctx.term.out(f"{key} = {current}\n")
    return status
