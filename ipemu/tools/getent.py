"""glibc's getent(1) for the databases network tutorials ask: hosts (and ahosts'
plain form), passwd, group. Names come from this host's /etc/hosts and the profile's
user and group files; there is no DNS to ask (resolver.py)."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

TRY = "Try `getent --help' or `getent --usage' for more information.\n"


# argp's options (getent.c args_options); `?` is --help
_SHORT = "Ai?Vs:"
_LONGS = {"no-addrconfig": "A", "no-idn": "i", "service=": "s", "help": "?", "usage": "--usage",
          "version": "V"}


def main(ctx: ToolContext, argv: list[str]) -> int:
    from ipemu.errors import CommandError
    from ipemu.tools import gnuopt
    try:
        opts, args = gnuopt.parse(argv[1:], _SHORT, _LONGS, "getent", status=64, usage=TRY)
    except CommandError as err:
        ctx.term.err(err.message)
        return err.status
    addrconfig = True
    for opt, _value in opts:
        if opt == "?":
            ctx.term.out(ctx.profile.usage("getent_help"))
            return 0
        if opt == "--usage":
            ctx.term.out(ctx.profile.usage("getent_usage"))
            return 0
        if opt == "V":
            ctx.term.out(ctx.profile.usage("getent_version"))
            return 0
        if opt == "A":
            addrconfig = False
        # -s CONFIG (__nss_configure_lookup()): files is this host's only service
    services = [value for opt, value in opts if opt == "s"]
    if not args:
        ctx.term.err("getent: wrong number of arguments\n" + TRY)
        return 1
    db, keys = args[0], args[1:]
    if services and not any("files" in v.split(":", 1)[-1].replace(",", " ").split()
                            for v in services):
        # a service other than files (dns): nothing is found, nothing is listed
        return 2 if keys or db in AHOSTS or db == "hosts" else 0
    if db == "hosts" or (db in AHOSTS and not keys):
        return _hosts(ctx, keys)      # ahosts_keys_int() enumerates as hosts does
    if db in AHOSTS:
        return _ahosts(ctx, AHOSTS[db], keys, addrconfig)
    if db == "networks":
        return _networks(ctx, keys)
    if db in ("passwd", "group"):
        return _table(ctx, ctx.profile["etc_passwd" if db == "passwd" else "etc_group"], keys)
    if db in ("shadow", "gshadow"):
        return _shadow(ctx, db, keys)
    if db == "initgroups":
        return _initgroups(ctx, keys)
    if db in NETDB:
        return _netdb(ctx, db, keys)
    if db in ("ethers", "netgroup"):
        # no /etc/ethers, no netgroups: a key is not found; the lookup functions
        # have no enumeration (getent.c's `Enumeration not supported on %s`)
        if keys:
            return 2
        ctx.term.err(f"Enumeration not supported on {db}\n")
        return 3
    if db == "aliases":
        return 2 if keys else 0       # no /etc/aliases
    ctx.term.err(f"Unknown database: {db}\n" + TRY)
    return 1


def _line(address, names: list[str]) -> str:
    """print_hosts(): the address in 15 columns, then the canonical name and aliases."""
    return f"{str(address):<15} {' '.join(names)}\n"


def _hosts(ctx: ToolContext, keys: list[str]) -> int:
    """hosts_keys(): gethostbyaddr() of an address, gethostbyname2() of a name (the
    first /etc/hosts line that has it); without keys, every line (gethostent())."""
    import ipaddress
    from ipemu.tools.resolver import hosts_entries
    entries = hosts_entries(ctx.session)
    if not keys:
        # gethostent() for AF_INET: the IPv4 lines, ::1's as 127.0.0.1 (files-hosts.c
        # maps the IPv6 loopback), the other IPv6 lines left out
        loopback = ipaddress.IPv4Address("127.0.0.1")
        ctx.term.out("".join(_line(address if address.version == 4 else loopback, names)
                             for address, names in entries
                             if address.version == 4 or address.is_loopback))
        return 0
    return _HostsKeys(ctx, keys, entries).run()


def _host_key(entries, key: str):
    """One key of hosts_keys() as the files see it: (address, names) for an address
    (gethostbyaddr(): the files only) or a number inet_aton() reads (127.1 is its own
    answer, named as typed: nss_hostname_digits_dots()); None for a name, which
    gethostbyname2() looks up family by family (_HostsKeys)."""
    import ipaddress
    try:
        wanted = ipaddress.ip_address(key)
    except ValueError:
        wanted = None
    if wanted is not None:
        return next(((address, names) for address, names in entries
                     if address == wanted), ()) or None
    from ipemu.tools.resolver import inet_aton
    number = inet_aton(key)
    return (number, [key]) if number is not None else None


def _process_base():
    from ipemu.process import Process
    return Process


class _HostsKeys(_process_base()):
    """hosts_keys() over its keys in order. A name is gethostbyname2(AF_INET6), then
    gethostbyname2(AF_INET), each "files dns": the files' line of that family, else
    one DNS question (AAAA, then A) with glibc's two tries when the recording host's
    nameserver has a route (recorded behind a gateway that never answers ARP:
    `getent hosts oracle` takes 12.3 s, status 2, nothing printed; `getent hosts
    github.com localhost` 18.4 s, localhost's AAAA asked before its IPv4 line is
    found)."""

    def __init__(self, ctx: ToolContext, keys: list[str], entries) -> None:
        super().__init__(ctx.host, ctx.term)
        self.ctx, self.keys, self.entries = ctx, list(keys), entries
        self.result = 0
        self.lookup = None
        self.pending: list = []
        self.key = None

    def run(self):
        """Print what needs no wait; the status, or this process when a lookup waits."""
        self._advance()
        return self if self.lookup is not None else self.result

    def blocked(self) -> bool:
        return False

    def _advance(self) -> None:
        from ipemu.tools.resolver import ForwardLookup
        while True:
            if self.key is None:
                if not self.keys:
                    break
                self.key = self.keys.pop(0)
                if _host_key(self.entries, self.key) is not None or \
                        self._numeric(self.key):
                    found = _host_key(self.entries, self.key)
                    if found is None:
                        self.result = 2
                    else:
                        self.term.out(_line(*found))
                    self.key = None
                    continue
                self.pending = [6, 4]
            if not self.pending:
                self.result = 2             # neither family found it
                self.key = None
                continue
            version = self.pending.pop(0)
            lowered = self.key.lower()
            found = next(((address, names) for address, names in self.entries
                          if address.version == version
                          and lowered in map(str.lower, names)), None)
            if found is not None:
                self.term.out(_line(*found))
                self.key = None
                continue
            if ForwardLookup.dns_asked(self.ctx):
                self.lookup = ForwardLookup(self.ctx, self.key, self, "_failed",
                                            qtypes=(28 if version == 6 else 1,))
                self.lookup.start()
                return
        self.lookup = None
        if getattr(self, "waited", False):
            self.exit(self.result)

    @staticmethod
    def _numeric(key: str) -> bool:
        import ipaddress
        try:
            ipaddress.ip_address(key)
            return True
        except ValueError:
            return False

    def _failed(self, _name) -> None:
        self.waited = True
        self.lookup = None
        self._advance()

    def cleanup(self) -> None:
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None


# getent.c's ahosts_keys(), ahostsv4_keys(), ahostsv6_keys(): the family asked
AHOSTS = {"ahosts": 0, "ahostsv4": 4, "ahostsv6": 6}
SOCKTYPES = ("STREAM", "DGRAM", "RAW")      # getaddrinfo()'s three per address


def _seen(ctx: ToolContext) -> tuple[bool, bool]:
    """check_pf.c's __check_pf(): whether the namespace has an IPv4 address other than
    127.0.0.1, and an IPv6 address other than ::1 (any device, any flags)."""
    seen = []
    for family in (4, 6):
        seen.append(any(not (msg.local or msg.address).is_loopback if family == 6
                        else str(msg.local or msg.address) != "127.0.0.1"
                        for msg in ctx.netns.dump_addrs(family)))
    return seen[0], seen[1]


def _addrinfo(ctx: ToolContext, family: int, key: str,
              addrconfig: bool = True) -> tuple[list, str] | None:
    """getaddrinfo(key, NULL, AI_V4MAPPED | AI_ADDRCONFIG | AI_CANONNAME, family): the
    addresses (files only: no DNS here) and the canonical name, None on an error."""
    import ipaddress
    from ipemu.tools.resolver import hosts_entries, inet_aton
    seen4, seen6 = _seen(ctx) if addrconfig else (True, True)
    if family == 0 and seen4 != seen6:
        family = 4 if seen4 else 6      # AI_ADDRCONFIG narrows an unspecified family
    elif (family == 4 and not seen4) or (family == 6 and not seen6):
        return None                     # EAI_NONAME before any lookup
    try:
        numeric = ipaddress.ip_address(key)
    except ValueError:
        numeric = inet_aton(key)
    if numeric is not None:
        if family == 4 and numeric.version == 6 and numeric.ipv4_mapped is not None:
            return [numeric.ipv4_mapped], key   # gaih_inet(): a mapped literal, as IPv4
        if family == 6 and numeric.version == 4:
            return [ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + numeric.packed)], key
        if family and numeric.version != family:
            return None                 # EAI_ADDRFAMILY
        return [numeric], key
    lowered = key.lower()
    found = [(address, names) for address, names in hosts_entries(ctx.session)
             if lowered in (n.lower() for n in names)]
    addresses = [a for a, _ in found if not family or a.version == family]
    if family == 6 and not addresses:
        # AI_V4MAPPED: IPv4 answers, mapped, when there is no IPv6 one
        addresses = [ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + a.packed)
                     for a, _ in found if a.version == 4]
    if not addresses:
        return None
    canon = next(names[0] for address, names in found
                 if address == addresses[0] or address.version == 4 and family == 6)
    return addresses, canon


def _ahosts(ctx: ToolContext, family: int, keys: list[str], addrconfig: bool):
    """ahosts_keys_int(): each address getaddrinfo() gives, once per socket type, as
    "%-15s %-6s %s" with the canonical name on the first line only."""
    return _AhostsKeys(ctx, keys, family, addrconfig).run()


class _AhostsKeys(_HostsKeys):
    """ahosts_keys_int() over its keys in order; a name the files lack is one
    getaddrinfo(): its queries go out together, with glibc's two tries, when the
    recording host's nameserver has a route (recorded: `getent ahosts NAME` behind a
    gateway that never answers ARP takes 6.1 s, status 2)."""

    def __init__(self, ctx: ToolContext, keys: list[str], family: int,
                 addrconfig: bool) -> None:
        super().__init__(ctx, keys, ())
        self.family, self.addrconfig = family, addrconfig
        self.asked = False

    def _advance(self) -> None:
        import ipaddress
        from ipemu.tools.resolver import ForwardLookup, inet_aton
        while self.keys:
            key = self.keys.pop(0)
            found = _addrinfo(self.ctx, self.family, key, self.addrconfig)
            if found is not None:
                addresses, canon = found
                first = True
                for address in addresses:
                    for socktype in SOCKTYPES:
                        self.term.out(f"{str(address):<15} {socktype:<6} "
                                      f"{canon if first else ''}\n")
                        first = False
                continue
            self.result = 2
            try:
                ipaddress.ip_address(key)
                numeric = True
            except ValueError:
                numeric = inet_aton(key) is not None
            if not numeric and ForwardLookup.needed_for(self.ctx, key):
                qtypes = {4: (1,), 6: (28,)}.get(self.family, (1, 28))
                self.lookup = ForwardLookup(self.ctx, key, self, "_failed", qtypes=qtypes)
                self.lookup.start()
                return
        self.lookup = None
        if getattr(self, "waited", False):
            self.exit(self.result)


def _networks(ctx: ToolContext, keys: list[str]) -> int:
    """networks_keys(): getnetbyaddr() of a dotted number, else getnetbyname(), in
    /etc/networks (netbase's three lines); print_networks(): "%-21s %s"."""
    import ipaddress
    from ipemu.tools.route import NETWORKS

    def line(name: str, net: int) -> str:
        return f"{name:<21} {ipaddress.IPv4Address(net)}\n"
    if not keys:
        ctx.term.out("".join(line(name, net) for name, net in NETWORKS.items()))
        return 0
    status = 0
    for key in keys:
        try:
            wanted = int(ipaddress.IPv4Address(key))
        except ValueError:
            wanted = None
        found = next(((name, net) for name, net in NETWORKS.items()
                      if (net == wanted if wanted is not None else name == key)), None)
        if found is None:
            status = 2
            continue
        ctx.term.out(line(*found))
    return status


# the netbase tables: (file, print_*()'s name width, whether a key `NAME/PROTO` or a
# number names the entry)
NETDB = {"services": "/etc/services", "protocols": "/etc/protocols", "rpc": "/etc/rpc"}


def _netdb_entries(ctx: ToolContext, db: str) -> list[tuple[str, str, list[str]]]:
    """The lines of /etc/services, /etc/protocols or /etc/rpc as (name, number field,
    aliases), comments cut (files-parse.c)."""
    text = ctx.session.read_text(NETDB[db]) or ""
    rows = []
    for line in text.splitlines():
        words = line.partition("#")[0].split()
        if len(words) >= 2:
            rows.append((words[0], words[1], words[2:]))
    return rows


def _netdb(ctx: ToolContext, db: str, keys: list[str]) -> int:
    """services_keys(), protocols_keys(), rpc_keys(): getservbyport()/getservbyname()
    (a key's `/proto` narrows it), getprotobynumber()/getprotobyname(),
    getrpcbynumber()/getrpcbyname(); without keys every entry."""
    rows = _netdb_entries(ctx, db)

    def line(row) -> str:
        name, number, aliases = row
        if db == "services":
            port, _, proto = number.partition("/")
            head = f"{name:<21} {int(port)}/{proto}"
        elif db == "protocols":
            head = f"{name:<21} {int(number)}"
        else:
            head = f"{name:<15} {int(number)}" + (" " if aliases else "")
        return head + "".join(f" {a}" for a in aliases) + "\n"

    if not keys:
        ctx.term.out("".join(line(row) for row in rows))
        return 0
    status = 0
    for key in keys:
        want, slash, proto = key.partition("/") if db == "services" else (key, "", "")
        if db == "services":
            # services_keys(): a port when the whole word is a number up to 65535
            number = int(want) if want.isdigit() and int(want) <= 65535 else None
        else:
            # protocols_keys(), rpc_keys(): atol() of a word that starts with a digit
            digits = want[:len(want) - len(want.lstrip("0123456789"))]
            number = int(digits) if digits else None

        def matches(row) -> bool:
            name, field_, aliases = row
            value, _, row_proto = field_.partition("/")
            if slash and row_proto != proto:
                return False        # `22/` asks for the protocol "" (none has it)
            if number is not None:
                return int(value) == number
            return want == name or want in aliases
        found = next((row for row in rows if matches(row)), None)
        if found is None:
            status = 2
            continue
        ctx.term.out(line(found))
    return status


def _table(ctx: ToolContext, text: str, keys: list[str]) -> int:
    """passwd_keys()/group_keys(): a line by name or by number, all without keys."""
    from ipemu.tools.sysinfo import _table as entries     # id's reading of the files
    rows = entries(text)
    if not keys:
        ctx.term.out("".join(":".join(row) + "\n" for row in rows))
        return 0
    status = 0
    for key in keys:
        found = next((row for row in rows
                      if row[0] == key or (key.isdigit() and row[2] == key)), None)
        if found is None:
            status = 2
            continue
        ctx.term.out(":".join(found) + "\n")
    return status


def _shadow(ctx: ToolContext, db: str, keys: list[str]) -> int:
    """shadow_keys()/gshadow_keys(): by name only. The base system's accounts are
    locked (`*`), made the day the image was built (the profile's shadow_lastchg);
    a group's members are its /etc/group ones."""
    from ipemu.tools.sysinfo import _table as entries
    if db == "shadow":
        day = ctx.profile["shadow_lastchg"]
        rows = [[row[0], "*", str(day), "0", "99999", "7", "", "", ""]
                for row in entries(ctx.profile["etc_passwd"])]
    else:
        rows = [[row[0], "*", "", row[3] if len(row) > 3 else ""]
                for row in entries(ctx.profile["etc_group"])]
    if not keys:
        ctx.term.out("".join(":".join(row) + "\n" for row in rows))
        return 0
    status = 0
    for key in keys:
        found = next((row for row in rows if row[0] == key), None)
        if found is None:
            status = 2
            continue
        ctx.term.out(":".join(found) + "\n")
    return status


def _initgroups(ctx: ToolContext, keys: list[str]) -> int:
    """initgroups_keys(): `%-21s` and each supplementary group of the user (the
    groups naming it as a member; the primary group is left out), any name at all;
    without keys, `Enumeration not supported on initgroups`."""
    from ipemu.tools.sysinfo import _table as entries
    if not keys:
        ctx.term.err("Enumeration not supported on initgroups")    # no newline
        return 3
    groups = entries(ctx.profile["etc_group"])
    for key in keys:
        gids = [row[2] for row in groups
                if len(row) > 3 and key in row[3].split(",")]
        ctx.term.out(f"{key:<21}" + "".join(f" {gid}" for gid in gids) + "\n")
    return 0
