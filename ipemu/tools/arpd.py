"""iproute2's `arpd` (misc/arpd.c): its options and their errors, the interfaces it is
given, the database it opens (-b), loads (-f) and lists (-l). Without -l or -f it
would become a daemon listening for ARP and neighbour events, which ipemu does not
simulate.

The database: arpd.c's Berkeley DB hash file; here a file of the same size (12288
bytes, a fresh hash database) holding the entries as text. arpd.c's -f leaves the
value of a loaded entry unset (dbdat.data is never pointed at the parsed address, so
the recorded MACs are stack garbage, differing run to run): ipemu stores the parsed
address, what the loader means to store."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.gnuopt import parse

EXIT_ABORT = 255      # exit(-1), do_abort
USAGE = ("Usage: arpd [ -lkh? ] [ -a N ] [ -b dbase ] [ -B number ] [ -f file ] [ -n time ] "
         "[-p interval ] [ -R rate ] [ interfaces ]\n")
DBNAME = "/var/lib/arpd/arpd.db"
DB_MAGIC = b"ipemu-arpd\n"
DB_SIZE = 12288


def _atoi(text: str) -> int:
    import re
    m = re.match(r"(?a)\s*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0


def _strtod(text: str) -> float:
    import re
    m = re.match(r"(?a)\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)", text)
    return float(m.group(1)) if m else 0.0


def _c_int(value: int) -> int:
    """The int a C expression leaves (wraps at 32 bits)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def main(ctx: ToolContext, argv: list[str]) -> int:
    pairs, ifnames = parse(argv[1:], "h?b:lf:a:n:p:kR:B:", {}, "arpd", status=1,
                           usage=USAGE)
    dbname, do_load, do_list = DBNAME, None, False
    for letter, value in pairs:
        if letter == "b":
            dbname = value
        elif letter == "f":
            if do_load is not None:
                raise CommandError("Duplicate option -f\n" + USAGE, 1)
            do_load = value
        elif letter == "l":
            do_list = True
        elif letter == "p" and int(1000 * _strtod(value)) < 100:
            raise CommandError("Invalid poll timeout\n", EXIT_ABORT)
        elif letter == "R":
            rate = _atoi(value)
            if rate <= 0 or 1000 // rate <= 0:
                raise CommandError("Invalid ARP rate\n", EXIT_ABORT)
        elif letter == "B" and (_atoi(value) <= 0 or _c_int(1000 * _atoi(value)) <= 0):
            raise CommandError("Invalid ARP burst\n", EXIT_ABORT)
        elif letter in ("h", "?"):
            raise CommandError(USAGE, 1)
    ifindexes = [_ifindex(ctx, name) for name in ifnames]
    entries = _db_open(ctx, dbname)
    if do_load is not None:
        _load(ctx, dbname, do_load, entries)
    if do_list:
        out = [f"{'#Ifindex':<8} {'IP':<15} MAC\n"]
        for ifindex, ip, mac in entries:
            if not ifindexes or ifindex in ifindexes:
                out.append(f"{ifindex:<8} {ip:<15} {mac}\n")
        ctx.term.out("".join(out))
    if do_load is not None or do_list:
        return 0
    raise CommandError("ipemu: arpd as a daemon is not simulated yet\n", 1)


def _ifindex(ctx: ToolContext, name: str) -> int:
    """get_ifname() (invarg() when check_ifname() refuses it), then SIOCGIFINDEX."""
    from ipemu.tools.ipargs import check_ifname
    if not check_ifname(name):
        raise CommandError(f'Error: argument "{name}" is wrong: not a valid ifname\n',
                           EXIT_ABORT)
    dev = ctx.netns.by_name(name)
    if dev is None:
        raise CommandError("ioctl(SIOCGIFINDEX): No such device\n", EXIT_ABORT)
    return dev.ifindex


def _db_open(ctx: ToolContext, dbname: str) -> list[tuple[int, str, str]]:
    """dbopen(dbname, O_CREAT|O_RDWR): the entries, the file made when missing."""
    session = ctx.session
    try:
        data = session.open_file(dbname)
    except OSError as err:
        if err.errno != 2:
            raise CommandError(f"db_open: {err.strerror}\n", EXIT_ABORT) from None
        data = None
    if data is None:
        try:
            session.write_file(dbname, _db_bytes([]))
        except OSError as err:
            raise CommandError(f"db_open: {err.strerror}\n", EXIT_ABORT) from None
        return []
    if not data.startswith(DB_MAGIC):
        raise CommandError("db_open: Invalid argument\n", EXIT_ABORT)
    entries = []
    for line in data[len(DB_MAGIC):].split(b"\0", 1)[0].decode().splitlines():
        ifindex, ip, mac = line.split()
        entries.append((int(ifindex), ip, mac))
    return entries


def _db_bytes(entries: list[tuple[int, str, str]]) -> bytes:
    body = DB_MAGIC + "".join(f"{i} {ip} {mac}\n" for i, ip, mac in entries).encode()
    return body + bytes(max(DB_SIZE - len(body), 0))


def _load(ctx: ToolContext, dbname: str, name: str, entries: list) -> None:
    """main()'s -f: `IFINDEX IP MAC` lines ('#' lines and FAILED: entries skipped),
    each put under (ifindex, address); a bad line aborts what is left."""
    from ipemu.tools.ip_link import ll_addr
    from ipemu.tools.resolver import inet_aton
    session = ctx.session
    if name in ("-", "--"):
        text = ctx.stdin or ""
    else:
        try:
            text = session.open_text(name)
        except OSError as err:
            raise CommandError(f"fopen: {err.strerror}\n", EXIT_ABORT) from None
    try:
        for line in text.splitlines(keepends=True):
            if line.startswith("#"):
                continue
            words = line.split()
            if len(words) < 3 or not words[0].isdigit():
                raise CommandError(f'Wrong format of input file "{name}"\n', EXIT_ABORT)
            ifindex, ip, mac = int(words[0]) & 0xFFFFFFFF, words[1], words[2]
            if mac.startswith("FAILED:"):
                continue
            address = inet_aton(ip)
            if address is None:
                raise CommandError(f'Invalid IP address: "{ip}"\n', EXIT_ABORT)
            try:
                lladdr = ll_addr(mac)
            except CommandError as err:
                raise CommandError(err.message, EXIT_ABORT) from None
            if len(lladdr) != 6:
                raise CommandError("", EXIT_ABORT)
            key = (ifindex, str(address))
            entries[:] = [e for e in entries if (e[0], e[1]) != key]
            entries.append((*key, ":".join(f"{b:02x}" for b in lladdr)))
    finally:
        session.write_file(dbname, _db_bytes(entries))
