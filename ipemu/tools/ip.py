"""`ip`: global options and the object dispatch of iproute2's ip/ip.c."""
from __future__ import annotations


from ipemu.errors import CommandError
from ipemu.plainclass import dataclass
from ipemu.profiles import Profile
from ipemu.tools.context import ToolContext
from ipemu import syntax
from ipemu.syntax import Word, keyword
from ipemu.tools.ipargs import EXIT_ARG, invarg


def usage_text(name: str, profile: Profile) -> str:
    """A usage text of the real tool (tools/usage/NAME.txt) as the profile's version
    prints it: every caller names the profile, so `--profile el7` never falls back
    to the default's text by accident."""
    return profile.usage(name)


def usage_error(name: str, profile: Profile, status: int = EXIT_ARG) -> CommandError:
    """usage(): the text on stderr and exit(-1), iproute2's usual end of a usage."""
    return CommandError(usage_text(name, profile), status)


@dataclass
class IpOptions:
    family: int = 0
    stats: int = 0
    details: int = 0
    oneline: bool = False
    brief: bool = False
    json: bool = False
    pretty: bool = False
    numeric: bool = False
    resolve: bool = False    # -resolve: lib/utils.c resolve_hosts (format_host())
    netns: str | None = None
    netns_target: object = None      # the namespace -n switched to
    all: bool = False        # -all: `ip -all netns exec` runs in every namespace
    batch: str | None = None  # -batch FILE: each line an ip command (`-` is stdin)
    force: bool = False      # -force: a batch goes on after a failed line
    timestamp: int = 0       # -t: `ip monitor` stamps each message
    timestamp_short: bool = False   # -ts
    color: bool = False      # -c / -color[=always|auto|never] (matches_color())
    human: int = 0           # -h / -human: print_num() scales the statistics
    loops: int = 10          # -loops N: max_flush_loops (0: until nothing is left)
    iec: bool = False        # -iec: ... by 1024 (with -h)
    echo: bool = False       # -echo: NLM_F_ECHO, the change printed back (ip_echo.py)
    # lib/ll_map.c's cache (ifindex -> link record), process state: the first
    # ll_index_to_name() of an index asks the kernel (RTM_GETLINK), later ones in the
    # same process (the lines of a batch) read the cache; made on first need
    ll_map: object = None


def ll_map(opts: IpOptions, ns):
    """The process's lib/ll_map.c cache (a LinkCache), for ll_index_to_name(): an
    index not yet in it is asked of the kernel once (RTM_GETLINK, with its side
    effects: a held linkwatch event runs, a peer namespace gets its id); the later
    lines of a batch read the record remembered then, as iproute2 does."""
    cache = opts.ll_map
    if cache is None:
        from ipemu.render.link import LinkCache
        cache = opts.ll_map = LinkCache(ns.link_map())
    return cache


def ll_drop_by_index(opts: IpOptions, ifindex: int) -> None:
    """ll_drop_by_index(): iplink_modify() forgets the device it changed, so that its
    next use asks the kernel again."""
    if opts.ll_map is not None:
        opts.ll_map.links.pop(ifindex, None)


FAMILIES = {"inet": 4, "inet6": 6, "link": 17, "mpls": 28, "bridge": 7}


def objects_hidden(profile: Profile) -> frozenset[str]:
    """The objects of grammar/ip.lark this profile's ip has not (its ip_objects)."""
    objects = tuple(profile["ip_objects"])
    found = _OBJECTS_HIDDEN.get(objects)
    if found is None:
        found = _OBJECTS_HIDDEN[objects] = _objects_hidden(objects)
    return found


# by profile's objects (a dict, not functools.lru_cache: functools costs a start ~0.5 ms)
_OBJECTS_HIDDEN: dict[tuple[str, ...], frozenset[str]] = {}


def _objects_hidden(objects: tuple[str, ...]) -> frozenset[str]:
    keywords, _ = syntax.grammar("ip").cursor().expected()
    return frozenset(k.text for k in keywords
                     if not k.text.startswith("-") and k.text not in objects)


def parse_global(argv: list[str], ctx: ToolContext) -> tuple[IpOptions, list[str]]:
    """ip.c main(): options until the first word not starting with '-'; each word is
    matched through grammar/ip.lark, and the words after the options come back with
    what the grammar made of them (syntax.Word)."""
    cursor = syntax.grammar("ip").cursor(objects_hidden(ctx.profile))
    opts = IpOptions()
    args = list(argv)
    while args:
        opt = args[0]
        if opt == "--":
            cursor.feed(args.pop(0))
            break
        if not opt.startswith("-"):
            break
        if opt.startswith("--"):
            opt = opt[1:]
        base, eq, value = opt.partition("=")
        kw = cursor.match(opt)
        if eq and base != "-" and getattr(cursor.match(base), "text", None) == "-color":
            kw = cursor.match(base)     # -color=WHEN: the one option written with '='
            if value not in ("", "always", "auto", "never"):
                raise CommandError(f'Option "{opt}" is unknown, try "ip -help".\n', EXIT_ARG)
        if kw is None:
            raise CommandError(f'Option "{opt}" is unknown, try "ip -help".\n', EXIT_ARG)
        cursor.feed(args[0], as_word=base if kw.text == "-color" else opt)
        name = kw.text
        if name in ("-loops", "-family", "-batch", "-rcvbuf", "-netns"):
            args.pop(0)
            if not args or (name == "-family" and args[0] == "help"):
                if name == "-netns":
                    raise CommandError('Cannot open network namespace "(null)": '
                                       'No such file or directory\n', EXIT_ARG)
                raise usage_error("ip", profile=ctx.profile)
            cursor.feed(args[0])
            _option_value(name, args[0], opts, ctx)
        elif name == "-color":
            # matches_color(): bare -c is "always"; check_enable_color(): auto asks
            # whether stdout is a terminal
            opts.color = value in ("", "always") or (
                value == "auto" and bool(getattr(ctx.session, "stdout_tty", False)))
        else:
            _option(name, opts, ctx)
        args.pop(0)
    return opts, cursor.feed_all(args)


def _atoi(text: str) -> int:
    """atoi(): leading blanks, a sign and the digits that follow; 0 when none."""
    import re
    m = re.match(r"(?a)\s*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0


def _option_value(name: str, value: str, opts: IpOptions, ctx: ToolContext) -> None:
    """ip.c main(): an option that takes the next word."""
    if name == "-loops":
        opts.loops = _atoi(value)
    elif name == "-family":
        if value not in FAMILIES:
            raise CommandError(
                f'Error: argument "{value}" is wrong: invalid protocol family\n', EXIT_ARG)
        opts.family = FAMILIES[value]
    elif name == "-batch":
        opts.batch = value
    elif name == "-rcvbuf":
        from ipemu.tools.ipargs import get_unsigned
        if get_unsigned(value) is None:
            raise CommandError(f"Invalid rcvbuf size '{value}'\n", EXIT_ARG)
    elif name == "-netns":
        opts.netns = value
        from ipemu.tools.netns_links import netns_switch
        opts.netns_target = netns_switch(ctx, value, EXIT_ARG)


# ip.c main(): options that set a field (or nothing ipemu prints differently)
_FAMILY_OPTIONS = {"-4": 4, "-6": 6, "-0": 17, "-M": 28, "-B": 7}
_FLAG_OPTIONS = {"-oneline": "oneline", "-force": "force", "-brief": "brief", "-json": "json",
                 "-pretty": "pretty", "-Numeric": "numeric", "-all": "all",
                 "-resolve": "resolve", "-echo": "echo"}


def _option(name: str, opts: IpOptions, ctx: ToolContext) -> None:
    if name in _FAMILY_OPTIONS:
        opts.family = _FAMILY_OPTIONS[name]
    elif name in _FLAG_OPTIONS:
        setattr(opts, _FLAG_OPTIONS[name], True)
    elif name in ("-stats", "-statistics"):
        opts.stats += 1
    elif name == "-details":
        opts.details += 1
    elif name in ("-human", "-human-readable"):
        opts.human += 1
    elif name == "-iec":
        opts.iec = True
    elif name in ("-timestamp", "-tshort"):
        opts.timestamp += 1
        opts.timestamp_short = opts.timestamp_short or name == "-tshort"
    elif name == "-Version":
        ctx.term.out(ctx.profile["ip_version"] + "\n")
        raise _Exit(0)
    elif name == "-help":
        raise usage_error("ip", profile=ctx.profile)


def incomplete() -> CommandError:
    from ipemu.tools.ipargs import incomplete_command
    return incomplete_command()


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status


def main(ctx: ToolContext, argv: list[str]) -> int:
    # the files rt_names.c reads names from (ipemu/render/names.py): this host's
    from ipemu.tools import context
    context.NAME_FILES = (getattr(ctx.session, "fs", None), ctx.term.err)
    if getattr(getattr(ctx.session, "fs", None), "links", None):
        from ipemu.tools.netns_links import sync_netns_links
        sync_netns_links(ctx)       # names /run/netns holds as symbolic links
    try:
        opts, args = parse_global(argv[1:], ctx)
    except _Exit as done:
        return done.status
    context.HOST_NAMES = _host_names(ctx) if opts.resolve else None
    if opts.netns_target is not None:
        ctx.netns = opts.netns_target
    if opts.batch is not None:      # the words after the file are never looked at
        from ipemu.tools.ip_batch import batch
        return batch(ctx, opts, opts.batch)
    if not args:
        raise usage_error("ip", profile=ctx.profile)
    return do_cmd(ctx, opts, args)


def _host_names(ctx: ToolContext):
    """lib/utils.c resolve_address(): gethostbyaddr() of an address, the hosts
    file's first name for it (h_name); a failed lookup prints the number."""
    from ipemu.tools.resolver import getnameinfo
    session = ctx.session
    return lambda addr: getnameinfo(session, addr)


def do_cmd(ctx: ToolContext, opts: IpOptions, args: list[str]) -> int:
    """ip.c do_cmd(): the first object of the profile's cmds[] the word abbreviates
    handles the rest."""
    if not isinstance(args[0], Word):   # a line of -batch: an object comes first
        args = line_cursor(ctx).feed_all(args)
    obj = keyword(args[0])      # the first of the profile's ip_objects it abbreviates
    if obj is None:
        raise CommandError(f'Object "{args[0]}" is unknown, try "ip help".\n', 1)
    handler = _handler(obj)
    if handler is None:
        raise CommandError(f"ipemu: `ip {obj}` is not simulated yet\n", 1)
    if opts.echo and len(args) > 1:
        from ipemu.tools.ip_echo import echoed
        if echoed(obj, args[1]):
            return _echoed(ctx, opts, obj, handler, args[1:])
    return handler(ctx, opts, args[1:])


def _echoed(ctx: ToolContext, opts: IpOptions, obj: str, handler, args: list) -> int:
    """A change with NLM_F_ECHO: the kernel's answer printed once it is made."""
    from ipemu.tools.ip_echo import EchoCatcher, print_echo
    ns = ctx.netns
    catcher = EchoCatcher(obj, ns)
    ns.subscribe(catcher)
    try:
        status = handler(ctx, opts, args)
    finally:
        ns.unsubscribe(catcher)
    answer = catcher.answer() if status == 0 else None
    if answer is not None:
        print_echo(ctx, opts, obj, *answer)
    return status


# objects whose module learns request templates for the lines of a batch (its
# line_plan(ctx, opts, words): a callable for lines of that shape, or None)
_PLANNERS = {"route": "ip_route", "link": "ip_link", "address": "ip_addr_modify"}
# objects whose plans are keyed by the grammar's line shape (names generalised: a
# device name each line), not by the line's words with its numbers as `#`
SHAPE_PLANNED = frozenset(("link", "address"))


def line_plan(ctx: ToolContext, opts: IpOptions, words: list):
    """A plan for the lines of a batch shaped as `words` (the grammar's reading of
    one whole line, its shape fixed by syntax.Cursor.feed_all()): called with a
    later line's words it does what do_cmd() would, or answers None when the line
    is not of its kind. None when the object has no planner."""
    obj = keyword(words[0])
    module = _PLANNERS.get(obj)
    if module is None or _handler(obj) is None:
        return None
    import sys
    name = f"ipemu.tools.{module}"
    if name not in sys.modules:
        __import__(name)        # (a planner apart from its object's handler)
    return sys.modules[name].line_plan(ctx, opts, words)


def line_cursor(ctx: ToolContext) -> syntax.Cursor:
    """The grammar where an object comes first (after the options and `--`)."""
    cursor = syntax.grammar("ip").cursor(objects_hidden(ctx.profile))
    cursor.feed("--")
    return cursor


def _help(ctx: ToolContext, opts: IpOptions, args: list[str]) -> int:
    raise usage_error("ip", profile=ctx.profile)


# object of a profile's `ip_objects` -> (module, function), imported only when that
# object is used; an object with no entry is not simulated yet
HANDLERS = {
    "address": ("ip_addr", "do_ipaddr"),
    "addrlabel": ("ip_misc", "do_addrlabel"),
    "link": ("ip_link", "do_iplink"),
    "maddress": ("ip_maddr", "do_multiaddr"),
    "monitor": ("ip_monitor", "do_ipmonitor"),
    "neighbor": ("ip_neigh", "do_neigh"),
    "neighbour": ("ip_neigh", "do_neigh"),
    "netconf": ("ip_netconf", "do_ipnetconf"),
    "netns": ("ip_netns", "do_netns"),
    "nexthop": ("ip_nexthop", "do_ipnh"),
    "route": ("ip_route", "do_iproute"),
    "rule": ("ip_rule", "do_iprule"),
    "tap": ("ip_tuntap", "do_iptuntap"),
    "tuntap": ("ip_tuntap", "do_iptuntap"),
    "tunnel": ("ip_tunnel", "do_iptunnel"),
    "vrf": ("ip_vrf", "do_ipvrf"),
    "tunl": ("ip_tunnel", "do_iptunnel"),
    "token": ("ip_misc", "do_token"),
    "tcp_metrics": ("ip_misc", "do_tcp_metrics"),
    "tcpmetrics": ("ip_misc", "do_tcp_metrics"),
    "macsec": ("ip_misc", "do_macsec"),
    "ntable": ("ip_ntable", "do_ipntable"),
    "ntbl": ("ip_ntable", "do_ipntable"),
    "xfrm": ("ip_xfrm", "do_xfrm"),
    "stats": ("ip_stats", "do_ipstats"),
    "l2tp": ("ip_misc", "do_l2tp"),
    "fou": ("ip_misc", "do_fou"),
    "mroute": ("ip_misc", "do_multiroute"),
    "mrule": ("ip_misc", "do_multirule"),
    "sr": ("ip_misc", "do_seg6"),
    "ioam": ("ip_misc", "do_ioam6"),
    "mptcp": ("ip_misc", "do_mptcp"),
    "ila": ("ip_misc", "do_ila"),
}


def _handler(obj: str):
    if obj == "help":
        return _help
    if obj not in HANDLERS:
        return None
    found = _LOADED.get(obj)
    if found is None:
        import sys
        module, function = HANDLERS[obj]
        __import__(f"ipemu.tools.{module}")         # not importlib: ~0.5 ms of a start
        found = _LOADED[obj] = getattr(sys.modules[f"ipemu.tools.{module}"], function)
    return found


_LOADED: dict[str, object] = {}     # handlers already imported (a batch calls one per line)


__all__ = ["main", "IpOptions", "usage_error", "invarg"]
