"""iproute2's `rtacct` (misc/rtacct.c): the route realm counters of /proc/net/rt_acct,
absolute (-a) or since the history file's last run, for all realms (zero rows left
out) or those named (-z keeps their zero rows). ipemu counts no realm traffic: every
counter is 0, as on a machine with no realm routes."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext
from ipemu.tools.gnuopt import parse

EXIT_ARG = 255
USAGE = "Usage: rtacct [ -h?vVzrnasd:t: ] [ ListOfRealms ]\n"
# sizeof(struct rtacct_data) without its list pointer: signature[128], rate[4*256]
# doubles, val[4*256] u64, ival[4*256] u32 (the history file's size)
HISTORY_SIZE = 128 + 8 * 1024 + 8 * 1024 + 4 * 1024


def _realm_a2n(text: str) -> int | None:
    """rtnl_rtrealm_a2n(): a name of rt_realms (Debian's names only 0, cosmos) or
    strtoul base 0 up to 255."""
    from ipemu.tools.ip_route import _realm
    return _realm(text)


def _realm_n2a(realm: int) -> str:
    return "cosmos" if realm == 0 else str(realm)


def _atoi(text: str) -> int:
    import re
    m = re.match(r"(?a)\s*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0


def _header() -> str:
    """dump_abs_db() and dump_incr_db(): the signature, then two title lines."""
    return ("#kernel\n"
            f"{'Realm':<10} {'BytesTo':<10} {'PktsTo':<10} {'BytesFrom':<10} {'PktsFrom':<10} \n"
            f"{'':<10} {'BPSTo':<10} {'PPSTo':<10} {'BPSFrom':<10} {'PPSFrom':<10} \n")


def _row(realm: int, vals: list[int]) -> str:
    """format_count() of the four counters, format_rate() of their (zero) rates."""
    counts = "".join(f" {v:10}" for v in vals)
    rates = "".join(f" {0:<10}" for _ in vals)
    return f"{_realm_n2a(realm):<10}{counts}\n{'':<10}{rates}\n"


def main(ctx: ToolContext, argv: list[str]) -> int:
    pairs, realms = parse(argv[1:], "h?vVzrM:nasd:t:", {}, "rtacct", status=EXIT_ARG,
                          usage=USAGE)
    dump_zeros = reset = ignore = no_update = no_output = False
    scan_interval = 0
    for letter, value in pairs:
        if letter == "z":
            dump_zeros = True
        elif letter == "r":
            reset = True
        elif letter == "a":
            ignore = True
        elif letter == "s":
            no_update = True
        elif letter == "n":
            no_output = True
        elif letter == "d":
            scan_interval = 1000 * _atoi(value)
        elif letter == "t":
            if _atoi(value) <= 0:      # sscanf("%d") != 1 || <= 0
                raise CommandError("rtacct: invalid time constant divisor\n", EXIT_ARG)
        elif letter in ("v", "V"):
            ctx.term.out(f"rtacct utility, iproute2-{ctx.profile['iproute2_version']}\n")
            return 0
        elif letter in ("h", "?"):
            raise CommandError(USAGE, EXIT_ARG)
    wanted = []
    for word in realms:
        realm = _realm_a2n(word)
        if realm is None:
            raise CommandError(f'Warning: realm "{word}" does not exist.\n', EXIT_ARG)
        wanted.append(realm)
    if not realms:
        wanted = list(range(256))
        dump_zeros = False       # "Always suppress zeros."
    if scan_interval > 0:
        return 0        # the daemon forks away (daemon(0, 0)): nothing printed
    _history(ctx, reset, ignore, no_update)
    if no_output:
        return 0
    rows = [_row(realm, [0, 0, 0, 0]) for realm in sorted(set(wanted)) if dump_zeros]
    ctx.term.out(_header() + "".join(rows))
    return 0


def _history(ctx: ToolContext, reset: bool, ignore: bool, no_update: bool) -> None:
    """main()'s history file: $RTACCT_HISTORY or /tmp/.rtacct.u<uid>, removed by -r,
    made (0600, the size of the table) unless both -a and -s."""
    from ipemu.tools.xargs import environment
    session = ctx.session
    name = environment(ctx).get("RTACCT_HISTORY") or "/tmp/.rtacct.u0"
    path = session._path(name)
    if reset:
        try:
            session.fs.unlink(path)
        except OSError:
            pass
    if ignore and no_update:
        return
    try:
        if session.read_file(name) is None:
            session.write_file(name, bytes(HISTORY_SIZE))
            session.fs.set_mode(path, 0o600)
    except OSError as err:
        raise CommandError(f"rtacct: open history file: {err.strerror}\n", EXIT_ARG) from None
