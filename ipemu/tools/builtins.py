"""Shell builtins and tiny commands a lesson needs: sleep, true, false, echo, hostname."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(arg: str) -> float | None:
    """coreutils' xstrtod() and apply_suffix() as sleep and timeout read an interval:
    a number (inf and overflow allowed: forever), one of s m h d; None when invalid
    (NaN and negative numbers included)."""
    unit = _UNITS.get(arg[-1:]) if arg[-1:] in _UNITS and len(arg) > 1 else None
    number = arg[:-1] if unit else arg
    if number.strip() != number or "_" in number or not number.isascii():
        # xstrtod(): C's digits only (float() takes full-width ones: `sleep １` is an
        # invalid time interval, recorded)
        return None
    try:
        value = float(number)
    except ValueError:
        return None
    if not value >= 0:
        return None
    return value * (unit or 1)


def invalid_interval(tool: str, arg: str) -> CommandError:
    return CommandError(f"{tool}: invalid time interval ‘{arg}’\n"
                        f"Try '{tool} --help' for more information.\n",
                        1 if tool == "sleep" else 125)


def _sleep(ctx: ToolContext, argv: list[str]):
    if len(argv) < 2:
        raise CommandError("sleep: missing operand\nTry 'sleep --help' for more information.\n", 1)
    total = 0.0
    for arg in argv[1:]:
        if arg.startswith("-") and len(arg) > 1 and arg != "--":
            raise CommandError(f"sleep: invalid option -- '{arg[1]}'\n"
                               "Try 'sleep --help' for more information.\n", 1)
    for arg in [a for a in argv[1:] if a != "--"]:
        value = duration(arg)
        if value is None:
            raise invalid_interval("sleep", arg)
        total += value
    from ipemu.process import Sleep
    return Sleep(ctx.host, ctx.term, total)      # inf runs until the bound (process.Bound)


def main(ctx: ToolContext, argv: list[str]):
    name = argv[0]
    if name == "sleep":
        return _sleep(ctx, argv)
    if name == "true":
        return 0
    if name == "false":
        return 1
    if name == "echo":
        args = argv[1:]
        newline = True
        if args and args[0] == "-n":
            newline, args = False, args[1:]
        ctx.term.out(" ".join(args) + ("\n" if newline else ""))
        return 0
    if name in HOSTNAME_NAMES:
        return _hostname(ctx, argv[1:], name)
    raise CommandError(f"bash: {name}: command not found\n", 127)


# hostname.c main(): the names Debian links to hostname, and what each one does
HOSTNAME_NAMES = ("hostname", "dnsdomainname", "domainname", "nisdomainname", "ypdomainname")


def _hostname_lookup(ctx: ToolContext, kind: str, progname: str = "hostname") -> int:
    """hostname.c's FQDN, DNS and IP: getaddrinfo() of the host's own name with
    AI_CANONNAME (the canonical name is the first on its /etc/hosts line); its error
    when the name does not resolve (`hostname: Temporary failure in name resolution`,
    status 1). When the recording host's nameserver has a route, the A and AAAA
    queries go out first and the error comes once glibc's tries have failed
    (failing_lookup(); recorded: with a default route via a gateway that never
    answers ARP, `hostname -i` takes 6.1 s, each try ended by the unreachable
    error after ARP's 3 s, and leaves the gateway's neighbour entry FAILED)."""
    from ipemu.tools.resolver import (ResolveError, failing_lookup, getaddrinfo,
                                      hosts_entries, hosts_match)
    name = ctx.host.hostname
    try:
        addr = getaddrinfo(ctx.session, name)
    except ResolveError as err:
        text = f"{progname}: {err.text}\n"
        waiting = failing_lookup(ctx, name, err.text, text, 1)
        if waiting is not None:
            return waiting
        ctx.term.err(text)
        return 1
    line = next((names for address, names in hosts_entries(ctx.session)
                 if address == addr and hosts_match(names, name)), [name])
    canon = line[0]
    if kind == "a":     # the aliases of the name's hosts line
        ctx.term.out(" ".join(line[1:]) + "\n")
    elif kind == "i":
        ctx.term.out(f"{addr}\n")
    elif kind == "d":
        domain = canon.partition(".")[2]
        if domain:                  # no domain: nothing at all, not even a newline
            ctx.term.out(domain + "\n")
    else:
        ctx.term.out(canon + "\n")
    return 0


# hostname 3.23 (Debian's hostname.c): getopt_long("aAdfbF:h?iIsVy") and its long options
_HOSTNAME_SHORT = "aAdfbFh?iIsVy"
_HOSTNAME_LONG = ("--domain", "--boot", "--file", "--fqdn", "--all-fqdns", "--help",
                  "--long", "--short", "--version", "--alias", "--ip-address",
                  "--all-ip-addresses", "--nis", "--yp")


def _hostname_bad_option(args: list[str]) -> str:
    """What stops getopt_long()'s loop first, in argv order: its complaint about an
    option it refuses, "V" for -V/--version, "h" for -h/-?/--help (hostname.c
    version() and usage() exit on the spot: `hostname -V -z` prints the version), ""
    when nothing does."""
    for arg in args:
        if arg == "--":
            return ""
        if arg.startswith("--"):
            name = arg.partition("=")[0]
            found = [long for long in _HOSTNAME_LONG if long.startswith(name)]
            if not found:
                return f"unrecognized option '{arg}'"
            if found[0] in ("--version", "--help"):
                return "V" if found[0] == "--version" else "h"
        elif arg.startswith("-") and len(arg) > 1:
            for i, ch in enumerate(arg[1:]):
                if ch not in _HOSTNAME_SHORT:
                    return f"invalid option -- '{ch}'"
                if ch in "Vh?":
                    return "h" if ch == "?" else ch
                if ch == "F":       # takes the rest of the word (or the next) as a file
                    break
    return ""


def _nis_domain(ctx: ToolContext, progname: str, strict: bool) -> int:
    """hostname.c's NIS domain: getdomainname() (a fresh UTS namespace keeps the
    parent's "(none)"); yp/nisdomainname and -y refuse that name."""
    domain = getattr(ctx.host, "domainname", "(none)")
    if strict and domain == "(none)":
        ctx.term.err(f"{progname}: Local domain name not set\n")
        return 1
    ctx.term.out(domain + "\n")
    return 0


def _hostname_operands(args: list[str]) -> list[str]:
    """The words getopt_long() leaves (after `--`, everything)."""
    for i, arg in enumerate(args):
        if arg == "--":
            return args[i + 1:]
    return [arg for arg in args if not arg.startswith("-") or arg == "-"]


def _hostname_ok(name: str) -> bool:
    """hostname.c check_name(): letters, digits, '-' and '.'; a label neither starts
    nor ends with '-', and no dot starts or ends the name or follows another."""
    if not name:
        return True
    if not all(ch.isascii() and (ch.isalnum() or ch in "-.") for ch in name):
        return False
    return all(label and not label.startswith("-") and not label.endswith("-")
               for label in name.split("."))


def _set_hostname(ctx: ToolContext, name: str) -> int:
    """hostname.c set_name(): check_name(), then sethostname() (EINVAL past
    __NEW_UTS_LEN, 64 bytes: "name too long")."""
    if not _hostname_ok(name):
        ctx.term.err("hostname: the specified hostname is invalid\n")
        return 1
    if len(name.encode()) > 64:
        ctx.term.err("hostname: name too long\n")
        return 1
    from ipemu.kernel.uts import set_hostname
    set_hostname(ctx.session, ctx.host, name)      # the caller's UTS namespace's
    return 0


def _hostname(ctx: ToolContext, args: list[str], progname: str = "hostname") -> int:
    """net-tools hostname: the last of -I/-s wins (its `type`); -I lists what
    getifaddrs() gives of each up, non-loopback device, IPv4 first (the RTM_GETADDR
    dump's order), IPv6 link-local left out, each followed by a space."""
    kind = ""
    bad = _hostname_bad_option(args)
    if bad == "V":
        ctx.term.out(ctx.profile["hostname_version"] + "\n")
        return 0
    if bad == "h":
        # usage(stdout): the text on stdout, then exit(-1) all the same
        ctx.term.out(ctx.profile.usage("hostname_usage"))
        return 255
    if bad:
        # getopt_long()'s complaint, then usage(): stderr and exit(-1)
        raise CommandError(f"hostname: {bad}\n" + ctx.profile.usage("hostname_usage"), 255)
    for arg in args:
        if arg in ("-I", "--all-ip-addresses"):
            kind = "I"
        elif arg in ("-s", "--short"):
            kind = "s"
        elif arg in ("-f", "--fqdn", "--long"):
            kind = "f"
        elif arg in ("-d", "--domain"):
            kind = "d"
        elif arg in ("-i", "--ip-address"):
            kind = "i"
        elif arg in ("-a", "--alias"):
            kind = "a"
        elif arg in ("-y", "--yp", "--nis"):
            kind = "y"
        elif arg in ("-A", "--all-fqdns"):
            kind = "A"
    if not kind and progname != "hostname":
        # the program's name picks the kind when no option does
        kind = "d" if progname == "dnsdomainname" else "Y" if progname == "domainname" else "y"
    # -F/-b (a name from a file, the boot default) and -h/-V are not simulated here
    other = any(a.partition("=")[0] in ("--file", "--boot", "--help", "--version")
                or a.startswith(("-F", "-b", "-h", "-V")) for a in args)
    names = [] if other else _hostname_operands(args)
    if names and progname == "hostname":
        if kind or len(names) > 1:      # a name with a display option, or two names
            raise CommandError(ctx.profile.usage("hostname_usage"), 255)
        return _set_hostname(ctx, names[0])
    if kind in ("f", "d", "i", "a"):
        return _hostname_lookup(ctx, kind, progname)
    if kind in ("y", "Y"):
        return _nis_domain(ctx, progname, kind == "y")
    if kind in ("I", "A"):
        addrs = []
        for family in (4, 6):
            for msg in ctx.netns.dump_addrs(family):
                dev = ctx.netns.by_index(msg.ifindex)
                if dev is None or not dev.admin_up or dev.kind == "loopback":
                    continue
                if family == 6 and (msg.local.is_link_local or msg.local.is_multicast):
                    continue
                if kind == "A":
                    # getnameinfo(NI_NAMEREQD): an address without a name is skipped
                    from ipemu.tools.resolver import getnameinfo
                    name = getnameinfo(ctx.session, msg.local)
                    if name is not None:
                        addrs.append(f"{name} ")
                    continue
                addrs.append(f"{msg.local} ")
        ctx.term.out("".join(addrs) + "\n")
        return 0
    from ipemu.kernel.uts import get_hostname
    name = get_hostname(ctx.session, ctx.host)
    ctx.term.out((name.split(".")[0] if kind == "s" else name) + "\n")
    return 0
