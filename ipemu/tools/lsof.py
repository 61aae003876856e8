"""lsof 4.95's `-i` listing of the TCP sockets the box's programs hold in the shell's
network namespace (proc/net's tables: a socket of another namespace is not in them), and
its answers where nothing matches (nothing said, status 1); `-v` is the build's version
information (on stderr, as lsof prints it).

Kept: `-i [46][PROTO][@HOST][:PORT[,PORT][-PORT]]` (lsof's enter_network_address(); several
-i are ORed), `-n`, `-P`, `-t` (the PIDs alone), `-s TCP:STATE[,STATE]` and `^STATE`
(enter_state_spec()), grouped letters (`-nPi`, `-iTCP:22`). Another selection or output
option (`-p`, `-c`, `-F`, `-a`...) keeps the old answer: nothing, status 1."""
from __future__ import annotations

import ipaddress

from ipemu.tools.context import ToolContext

VERSION = 'lsof version information:\n    revision: 4.95.0\n    latest revision: https://github.com/lsof-org/lsof\n    latest FAQ: https://github.com/lsof-org/lsof/blob/master/00FAQ\n    latest (non-formatted) man page: https://github.com/lsof-org/lsof/blob/master/Lsof.8\n    compiler: cc\n    compiler version: 11.3.0 (Debian 11.3.0-1) \n    compiler flags: -g -O2 -ffile-prefix-map=/build/lsof-D9SkAG/lsof-4.95.0=. -fstack-protector-strong -Wformat -Werror=format-security -Wdate-time -D_FORTIFY_SOURCE=2 -DLINUXV=517003 -DGLIBCV=233 -DHASIPv6 -DNEEDS_NETINET_TCPH -DHASSELINUX -DHASUXSOCKEPT -DHASPTYEPT -DHASSOSTATE -DHASSOOPT -D_FILE_OFFSET_BITS=64 -D_LARGEFILE64_SOURCE -DHAS_STRFTIME -DLSOF_VSTR="5.17.3" -I/usr/include/tirpc -O\n    loader flags: -L./lib -llsof -Wl,-z,relro -Wl,-z,now -ltirpc -lselinux\n    Anyone can list all files.\n    /dev warnings are disabled.\n    Kernel ID check is disabled.\n'

# dialects/linux/dsock.c's TCP state names (/proc/net/tcp's st field)
TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
              6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN",
              11: "CLOSING"}

# the column titles print.c's print_file() sizes its columns by
TITLES = ("COMMAND", "PID", "USER", "FD", "TYPE", "DEVICE", "SIZE/OFF", "NODE")

# lsof's CMDL: the command name's default length
CMD_LIMIT = 9


class _Unsupported(Exception):
    """An option this lsof does not do: the old answer (nothing, status 1)."""


class _Spec:
    """One -i address: family, protocol, host, ports (None: any)."""

    def __init__(self) -> None:
        self.family: int | None = None
        self.proto: str | None = None
        self.host = None
        self.ports: list[tuple[int, int]] | None = None

    def matches(self, sock, family: int) -> bool:
        if self.family is not None and self.family != family:
            return False
        if self.proto is not None and self.proto != "TCP":
            return False
        if self.host is not None and self.host not in (sock.src, sock.dst):
            return False
        if self.ports is not None and not any(
                lo <= port <= hi for lo, hi in self.ports for port in (sock.sport, sock.dport)):
            return False
        return True


def _port(word: str) -> int:
    from ipemu.tcpdump.names import TCP_SERVICES
    if word.isdigit():
        return int(word)
    for number, name in TCP_SERVICES.items():
        if name == word:
            return number
    raise _Unsupported


def _named(word: str) -> bool:
    from ipemu.tcpdump.names import TCP_SERVICES
    return word in TCP_SERVICES.values()


def _spec(ctx: ToolContext, text: str) -> _Spec:
    """enter_network_address(): [46][protocol][@hostname|hostaddr][:service|port]."""
    spec = _Spec()
    if text[:1] in ("4", "6"):
        spec.family, text = int(text[0]), text[1:]
    rest = text
    for sep in ("@", ":"):
        if sep in rest:
            head, rest = rest.split(sep, 1)
            rest = sep + rest
            break
    else:
        head, rest = rest, ""
    if head:
        if head.upper() not in ("TCP", "UDP"):
            raise _Unsupported
        spec.proto = head.upper()
    if rest.startswith("@"):
        host, _, port = rest[1:].partition(":")
        rest = ":" + port if port else ""
        try:
            spec.host = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            from ipemu.tools.resolver import getaddrinfo
            try:
                spec.host = getaddrinfo(ctx.session, host, spec.family or 0)
            except Exception:
                raise _Unsupported from None
            if spec.host is None:
                raise _Unsupported
    if rest.startswith(":"):
        spec.ports = []
        for part in rest[1:].split(","):
            # a service name may hold a dash (`http-alt`): a range only otherwise
            lo, _, hi = (part, "", "") if not part.isdigit() and _named(part) \
                else part.partition("-")
            first = _port(lo)
            spec.ports.append((first, _port(hi) if hi else first))
    elif rest:
        raise _Unsupported
    return spec


def _states(text: str) -> tuple[set[str], set[str]]:
    """enter_state_spec(): `TCP:STATE[,STATE]`, `^STATE` excluded."""
    proto, _, names = text.partition(":")
    if proto.upper() != "TCP" or not names:
        raise _Unsupported
    wanted, excluded = set(), set()
    for name in names.split(","):
        name = name.upper()
        target = excluded if name.startswith("^") else wanted
        name = name.lstrip("^")
        if name not in TCP_STATES.values():
            raise _Unsupported
        target.add(name)
    return wanted, excluded


def _parse(ctx: ToolContext, argv: list[str]) -> dict:
    """lsof's main() getopt loop over the options kept here; an -i or -s value is the
    rest of its word, else the next argument when that does not begin with - or +."""
    opts = {"specs": [], "numeric": False, "ports": False, "terse": False,
            "wanted": set(), "excluded": set(), "inet": False}
    args = argv[1:]
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if not word.startswith("-") or len(word) < 2:
            raise _Unsupported
        j = 1
        while j < len(word):
            letter = word[j]
            j += 1
            if letter in "is":
                value = word[j:]
                j = len(word)
                if not value and i < len(args) and args[i][:1] not in ("-", "+"):
                    value = args[i]
                    i += 1
                if letter == "i":
                    opts["inet"] = True
                    if value:
                        opts["specs"].append(_spec(ctx, value))
                elif value:
                    wanted, excluded = _states(value)
                    opts["wanted"] |= wanted
                    opts["excluded"] |= excluded
                else:
                    raise _Unsupported
            elif letter == "n":
                opts["numeric"] = True
            elif letter == "P":
                opts["ports"] = True
            elif letter == "t":
                opts["terse"] = True
            else:
                raise _Unsupported
    if not opts["inet"]:
        raise _Unsupported
    return opts


def _host(ctx: ToolContext, sock, addr, numeric: bool) -> str:
    """gethostnm(): `*` for the any address, a name from gethostbyaddr() unless -n,
    else the number (an IPv6 one in brackets)."""
    from ipemu.kernel.tcp import addr_text, shown_addr
    addr = shown_addr(sock, addr)
    if addr.is_unspecified:
        return "*"
    if not numeric:
        from ipemu.tools.resolver import getnameinfo
        name = getnameinfo(ctx.session, addr)
        if name is not None:
            return name
    return str(addr) if addr.version == 4 else f"[{addr_text(addr)}]"


def _service(port: int, numeric_ports: bool) -> str:
    """lkup_port(): the /etc/services tcp name unless -P, `*` for port 0."""
    if port == 0:
        return "*"
    if not numeric_ports:
        from ipemu.tcpdump.names import TCP_SERVICES
        name = TCP_SERVICES.get(port)
        if name:
            return name
    return str(port)


def _rows(ctx: ToolContext, opts: dict) -> list[tuple[int, int, list[str]]]:
    from ipemu.kernel.tcp import dump_order
    table = ctx.netns.stack.__dict__.get("tcp")
    rows = []
    for sock in dump_order(table.socks if table is not None else ()):
        owner = sock.owner
        pid = getattr(owner, "pid", 0)
        if not pid:
            continue
        family = 4 if sock.family == 4 else 6
        if opts["specs"] and not any(s.matches(sock, family) for s in opts["specs"]):
            continue
        state = TCP_STATES.get(int(sock.state), "UNKNOWN")
        if opts["wanted"] and state not in opts["wanted"] or state in opts["excluded"]:
            continue
        fd = sock.fd or getattr(owner, "fd", 3)
        name = f"{_host(ctx, sock, sock.src, opts['numeric'])}:" \
               f"{_service(sock.sport, opts['ports'])}"
        if int(sock.state) != 10:
            name += f"->{_host(ctx, sock, sock.dst, opts['numeric'])}:" \
                    f"{_service(sock.dport, opts['ports'])}"
        name += f" ({state})"
        comm = getattr(owner, "comm", "?")[:CMD_LIMIT]
        rows.append((pid, fd, [comm, str(pid), "root", str(fd), f"IPv{family}",
                               str(sock.inode), "0t0", "TCP", name]))
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


def _render(rows: list[list[str]]) -> str:
    """print_file(): COMMAND and USER left, the others right; the FD column is the
    number, its access mode (u) and lock character (a space)."""
    widths = [max(len(t), *(len(r[n]) for r in rows)) for n, t in enumerate(TITLES)]
    # the descriptor's number: four columns at least (recorded: `   3u`)
    widths[3] = max(4, *(len(r[3]) for r in rows))

    def line(cells: list[str], fd_tail: str) -> str:
        return (f"{cells[0]:<{widths[0]}} {cells[1]:>{widths[1]}} {cells[2]:<{widths[2]}}"
                f" {cells[3]:>{widths[3]}}{fd_tail} {cells[4]:>{widths[4]}}"
                f" {cells[5]:>{widths[5]}} {cells[6]:>{widths[6]}} {cells[7]:>{widths[7]}}"
                f" {cells[8]}\n")
    out = [line(list(TITLES) + ["NAME"], "  ")]
    out += [line(r, "u ") for r in rows]
    return "".join(out)


def main(ctx: ToolContext, argv: list[str]) -> int:
    if "-v" in argv[1:]:
        ctx.term.err(VERSION)
        return 0
    try:
        opts = _parse(ctx, argv)
    except _Unsupported:
        return 1
    rows = _rows(ctx, opts)
    if not rows:
        return 1
    if opts["terse"]:
        pids = sorted({pid for pid, _, _ in rows})
        ctx.term.out("".join(f"{pid}\n" for pid in pids))
        return 0
    ctx.term.out(_render([r for _, _, r in rows]))
    return 0
