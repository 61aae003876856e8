"""glibc's resolver as the tools see it (getaddrinfo, getnameinfo): /etc/hosts first,
then the DNS of the world behind the host's NIC (ipemu/kernel/world.py), if any.

A host without a world (a bare namespace) has no DNS: a name not in /etc/hosts fails
with EAI_AGAIN ("Temporary failure in name resolution"), as in the recorded
namespaces; with a world, an unknown name is EAI_NONAME ("Name or service not
known"), as on a host whose DNS answers NXDOMAIN. The reverse lookups traceroute and
tracepath make there take the time glibc takes (ReverseLookup): with a route to the
recording host's nameserver the queries go out and wait for an answer that never
comes.
"""
from __future__ import annotations

import ipaddress

from ipemu.kernel.errors import KernelError

EAI_NONAME = "Name or service not known"
EAI_AGAIN = "Temporary failure in name resolution"
EAI_ADDRFAMILY = "Address family for hostname not supported"
EAI_IDN_ENCODE = "Parameter string not correctly encoded"

# The recording host's /etc/hosts, which its namespaces see (used when the host has
# none): IPv4 lines only, so ::1 has no name there (`tracepath -6 ::1` prints `???`:
# the PTR query cannot leave a fresh namespace)
DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n"


class ResolveError(Exception):
    """getaddrinfo() failed: `text` is gai_strerror()'s."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def hosts_entries(session) -> list[tuple[ipaddress._BaseAddress, list[str]]]:
    """The lines of the host's /etc/hosts as (address, names)."""
    text = session.read_text("/etc/hosts") if session is not None else None
    entries = []
    for line in (DEFAULT_HOSTS if text is None else text).splitlines():
        words = line.partition("#")[0].split()
        if len(words) < 2:
            continue
        try:
            entries.append((ipaddress.ip_address(words[0]), words[1:]))
        except ValueError:
            continue
    return entries


def hosts_match(names: list[str], name: str) -> bool:
    """nss_files' gethostbyname: the name against the line's canonical name and
    aliases, case-insensitively (__strcasecmp(); recorded: `ping LOCALHOST` and
    `getent hosts VM` find the lines of localhost and vm)."""
    lowered = name.lower()
    return any(n.lower() == lowered for n in names)


def _worlds(session):
    host = getattr(session, "host", None)
    return getattr(host, "worlds", ()) or ()


def inet_aton(text: str) -> ipaddress.IPv4Address | None:
    """glibc's __inet_aton_exact(), which getaddrinfo() tries first: one to four numbers
    (0x hex, 0 octal, else decimal), the last filling the bytes left (`1.1` is
    1.0.0.1, `127.1` is 127.0.0.1)."""
    if not text.isascii():
        return None         # isdigit() of the C locale: "１２７.0.0.1" is no number
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = []
    for part in parts:
        try:
            if part[:2].lower() == "0x":
                value = int(part[2:] or "0", 16)
            elif part.startswith("0") and len(part) > 1:
                value = int(part[1:], 8)
            else:
                value = int(part, 10) if part.isdigit() else None
        except ValueError:
            return None
        if value is None:
            return None
        values.append(value)
    head, last = values[:-1], values[-1]
    if any(v > 255 for v in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    number = last
    for i, v in enumerate(head):
        number |= v << (24 - 8 * i)
    return ipaddress.IPv4Address(number)


def hostname_chars_ok(name: str) -> bool:
    """resolv/res-name-checking.c binary_hnok() as nss_dns applies it before asking:
    letters, digits, `-` (and `_`, left to the server) between the dots; a name with
    anything else (`[::1]`, a space) is not a host name and no query is made
    (EAI_NONAME, where a query without a server would be EAI_AGAIN)."""
    return all(ch.isascii() and (ch.isalnum() or ch in "-_.") for ch in name)


# UTS #46 maps these full stops to "." before the labels are split
_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def idna_to_dns_encoding(name: str) -> str:
    """glibc's __idna_to_dns_encoding() for AI_IDN (ping asks for it), through libidn2's
    idn2_lookup_ul(): an ASCII name as it is; else UTS #46's mapping (NFKC, lower case,
    the ideographic and full-width full stops as dots), then each label that is not
    ASCII checked as IDNA2008 does (letters, marks and digits only: a dash or quote
    pasted from a web page, U+2013 or U+00AB, is DISALLOWED) and Punycode-encoded.
    A name that cannot be encoded is EAI_IDN_ENCODE."""
    if name.isascii():
        return name
    import unicodedata
    mapped = unicodedata.normalize("NFKC", name).translate(_FULL_STOPS).lower()
    labels = []
    for label in mapped.split("."):
        # lookup.c _tr46(): every label of the mapped name, ASCII ones too, passes
        # TR46_NONTRANSITIONAL_CHECK (an A-label as its decoded Punycode): no `--`
        # in the 3rd and 4th places, no hyphen first or last, no combining mark
        # first (recorded: `ping ｘ－`, `ping ä.-b`, `ping äb--cd`, a pasted
        # combining accent, each EAI_IDN_ENCODE; `ping ａ－ｂ` is looked up as a-b)
        tested = label
        if label[:4] == "xn--":
            try:
                tested = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                raise ResolveError(EAI_IDN_ENCODE) from None
        if len(tested) >= 4 and tested[2:4] == "--" or \
                tested[:1] == "-" or tested[-1:] == "-" or \
                tested and unicodedata.category(tested[0])[0] == "M":
            raise ResolveError(EAI_IDN_ENCODE)
        if not label.isascii():
            if any(unicodedata.category(ch)[0] not in "LM" and
                   unicodedata.category(ch) != "Nd" for ch in label if ch != "-"):
                raise ResolveError(EAI_IDN_ENCODE)
            label = "xn--" + label.encode("punycode").decode("ascii")
        labels.append(label)
    return ".".join(labels)


def getaddrinfo(session, name: str, family: int = 0, idn: bool = False):
    """The first address of `name` (family 4, 6 or 0 for either, IPv4 first as
    ping's AI_CANONNAME lookups come back on a host without IPv6 routes); `idn`:
    AI_IDN, the name encoded first (idna_to_dns_encoding())."""
    if idn:
        name = idna_to_dns_encoding(name)
    families = (family,) if family else (4, 6)
    try:
        addr = ipaddress.ip_address(name)
    except ValueError:
        addr = inet_aton(name) if 4 in families else None
    if addr is not None:
        if getattr(addr, "scope_id", None):
            # `ADDR%ZONE`: the zone goes to sin6_scope_id, the address is ADDR
            addr = ipaddress.IPv6Address(addr.packed)
        if addr.version in families:
            return addr
        raise ResolveError(EAI_ADDRFAMILY)
    entries = hosts_entries(session)
    known = False
    for fam in families:
        for address, names in entries:
            if hosts_match(names, name):
                known = True
                if address.version == fam:
                    return address
    if known:
        raise ResolveError(EAI_ADDRFAMILY)
    if not name or name != "." and (name.startswith(".") or ".." in name):
        # an empty label cannot be put in a query (res_nmkquery() -> ns_name_pton()
        # fails): no server is asked, the name is simply unknown
        raise ResolveError(EAI_NONAME)
    if not hostname_chars_ok(name):
        raise ResolveError(EAI_NONAME)
    worlds = _worlds(session)
    for world in worlds:
        found = world.names.get(name.rstrip(".").lower())
        if found is not None and found.version in families:
            return found
    raise ResolveError(EAI_NONAME if worlds else EAI_AGAIN)


def literal_scope(netns, name: str):
    """glibc's getaddrinfo() of an IPv6 literal's `%SCOPE` (__inet6_scopeid_pton()):
    for a link-local or node/link-local multicast address an interface name
    (if_nametoindex()), else, for any address, a decimal number that fits 32 bits;
    anything else is EAI_NONAME. Returns (sin6_scope_id, the device it names or None);
    (0, None) for a name without a scope."""
    text, sep, scope = name.partition("%")
    if not sep:
        return 0, None
    try:
        addr = ipaddress.IPv6Address(text)
    except ValueError:
        return 0, None
    if addr.is_link_local or addr.is_multicast and addr.packed[1] & 0x0F in (1, 2):
        device = netns.by_name(scope)
        if device is not None:
            return device.ifindex, device
    if not scope.isdigit() or not scope.isascii() or int(scope) > 0xFFFFFFFF:
        raise ResolveError(EAI_NONAME)
    return int(scope), netns.by_index(int(scope))


def scoped_text(addr, scope_id: int, netns) -> str:
    """getnameinfo(NI_NUMERICHOST) of a sockaddr_in6 with its sin6_scope_id: `%NAME`
    (if_indextoname()) after a link-local or link-local multicast address, `%N` after
    any other (gni_host_inet_numeric())."""
    if not scope_id or addr.version != 6:
        return str(addr)
    scoped = addr.is_link_local or addr.is_multicast and addr.packed[1] & 0x0F == 2
    device = netns.by_index(scope_id) if scoped else None
    return f"{addr}%{device.name if device is not None else scope_id}"


def getaddrinfo_all(session, name: str, idn: bool = False) -> list:
    """getaddrinfo() of `name` for either family: every address, IPv4 first (as
    getaddrinfo() does: the first of each family and its order)."""
    if idn:
        name = idna_to_dns_encoding(name)
    out = [getaddrinfo(session, name, 0)]
    try:
        ipaddress.ip_address(name)
        return out              # a literal: no /etc/hosts read (a one-shot ping's path)
    except ValueError:
        if inet_aton(name) is not None:
            return out
    for address, names in hosts_entries(session):
        if hosts_match(names, name) and address not in out:
            out.append(address)
    return sorted(out, key=lambda a: a.version)


def canonical_name(session, name: str, families=(4, 6), idn: bool = False) -> str:
    """getaddrinfo()'s ai_canonname under AI_CANONNAME (and AI_IDN, AI_CANONIDN as
    ping asks): a literal is the name as encoded (`１２７.０.０.１` is 127.0.0.1);
    a name /etc/hosts knows is the h_name of its first line (`VM` is vm, recorded);
    else the name, its A-labels shown as Unicode again (idn2_to_unicode_8z8z())."""
    if idn:
        name = idna_to_dns_encoding(name)
    try:
        ipaddress.ip_address(name)
        return name
    except ValueError:
        if inet_aton(name) is not None:
            return name
    for address, names in hosts_entries(session):
        if address.version in families and hosts_match(names, name):
            return names[0]
    labels = []
    for label in name.split("."):
        if label[:4].lower() == "xn--":
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return ".".join(labels)


def getnameinfo(session, addr) -> str | None:
    """The name of an address (/etc/hosts, then the world's names), None without one."""
    for address, names in hosts_entries(session):
        if address == addr:
            return names[0]
    for world in _worlds(session):
        if addr in world.ptr:
            return world.ptr[addr]
    return None


# A namespace of the recording host reads that host's /etc/resolv.conf: glibc's
# res_send() asks this server over UDP, RES_TIMEOUT seconds a try, RES_DFLRETRY tries
RECORDING_NAMESERVER = ipaddress.IPv4Address("10.255.255.53")
RES_TIMEOUT = 5.0
RES_DFLRETRY = 2


def ptr_query(qid: int, addr) -> bytes:
    """The DNS query res_nmkquery() builds for a PTR lookup: RD set, one question."""
    if addr.version == 4:
        labels = list(reversed(str(addr).split("."))) + ["in-addr", "arpa"]
    else:
        labels = list(reversed(addr.exploded.replace(":", ""))) + ["ip6", "arpa"]
    qname = b"".join(bytes([len(x)]) + x.encode() for x in labels) + b"\0"
    return qid.to_bytes(2, "big") + b"\x01\x00\x00\x01" + bytes(6) + qname + b"\x00\x0c\x00\x01"


class ReverseLookup:
    """getnameinfo(NI_NAMEREQD) of an address no file names, on a host without a world
    (its DNS is the recording host's nameserver, which nothing here answers): each try
    sends the PTR query through the stack; an ICMP error ends the try at once (the next
    one opens a new socket), silence ends it after RES_TIMEOUT (the next one resends
    on the same socket). With no route to the server, connect() fails and so does the
    lookup, at once. The caller's `method(name)` runs with None when all tries failed."""

    def __init__(self, ctx, addr, owner, method: str) -> None:
        self.ctx = ctx
        self.addr = addr
        self.owner = owner
        self.method = method
        self.tries = 0
        self.sock = None
        self.timer = None
        self.done = False

    @staticmethod
    def needed(ctx, addr) -> bool:
        """A query goes out: no file names the address, no world answers, and the server
        has a route."""
        if _worlds(ctx.session) or getnameinfo(ctx.session, addr) is not None:
            return False
        return _server_routed(ctx)

    def start(self) -> None:
        self._try(new_socket=True)

    def _try(self, new_socket: bool) -> None:
        stack = self.ctx.netns.stack
        if new_socket or self.sock is None:
            self._close()
            try:
                self.sock = stack.open_udp_probe(RECORDING_NAMESERVER, self._error)
            except KernelError:
                self._finish()
                return
            self._opened()
        self.tries += 1
        self._send()
        self.timer = self.ctx.host.clock.call_later(RES_TIMEOUT, self, "_timeout")

    def _opened(self) -> None:
        """What a try does when it opens its socket (nothing for a PTR query)."""

    def _send(self) -> None:
        """One try's query: the PTR question. res_nmkquery() drew its id once, when it
        built the query; __res_context_send() resends that same buffer on each try,
        on a new socket after an ICMP error too (recorded: `34891+ PTR?
        1.1.0.10.in-addr.arpa.`, net unreachable, then `34891+` again from another
        port: tests/oracle_cases/tutorials41d_clab_netns_basics history)."""
        if getattr(self, "qid", None) is None:
            self.qid = self.ctx.host.rng.getrandbits(16)
        self.sock.send(ptr_query(self.qid, self.addr), dport=53)

    def _error(self, src, dport: int, error) -> None:
        if self.done:
            return
        self.ctx.host.clock.cancel(self.timer)
        self._next(new_socket=True)

    def _timeout(self) -> None:
        if not self.done:
            self._next(new_socket=False)

    def _next(self, new_socket: bool) -> None:
        if self.tries >= RES_DFLRETRY:
            self._finish()
        else:
            self._try(new_socket)

    def _close(self) -> None:
        if self.sock is not None:
            self.ctx.netns.stack.close_udp_probe(self.sock)
            self.sock = None

    def cancel(self) -> None:
        self.done = True
        self.ctx.host.clock.cancel(self.timer)
        self._close()

    def _finish(self) -> None:
        self.cancel()
        getattr(self.owner, self.method)(None)


def name_query(qid: int, name: str, qtype: int) -> bytes:
    """The DNS query res_nmkquery() builds for NAME (A is 1, AAAA 28): RD set."""
    labels = [x for x in name.split(".") if x]
    qname = b"".join(bytes([len(x)]) + x.encode() for x in labels) + b"\0"
    return qid.to_bytes(2, "big") + b"\x01\x00\x00\x01" + bytes(6) + qname + \
        qtype.to_bytes(2, "big") + b"\x00\x01"


class ForwardLookup(ReverseLookup):
    """getaddrinfo(NAME, AF_UNSPEC) of a name no file has, on a host without a world:
    glibc's send_dg() asks A and AAAA at once on one socket; an ICMP error ends the
    try at once (the next opens a new socket), silence ends it after RES_TIMEOUT and
    the next try asks both again on the same socket (recorded: a namespace whose
    gateway does not forward asks at 0 s and 5 s and gives up at 10 s; behind a
    router that answers "net unreachable" the lookup ends after 5 s). The caller's
    `method(None)` runs when all tries failed."""

    def __init__(self, ctx, name: str, owner, method: str, qtypes=(1, 28)) -> None:
        super().__init__(ctx, None, owner, method)
        self.name = name
        self.qtypes = qtypes

    @staticmethod
    def dns_asked(ctx) -> bool:
        """The files said nothing: a query goes out when no world answers and the
        server has a route (a lookup of one family: the files may have the name in
        the other, recorded: `getent hosts localhost` asks AAAA first)."""
        return not _worlds(ctx.session) and _server_routed(ctx)

    @staticmethod
    def needed_for(ctx, name: str) -> bool:
        """A query goes out: no file names NAME, no world answers, and the server has
        a route."""
        if _worlds(ctx.session) or any(name in names for _, names in
                                       hosts_entries(ctx.session)):
            return False
        return _server_routed(ctx)

    def _opened(self) -> None:
        """send_dg(): the two questions' ids, drawn once a socket, kept for its tries."""
        rng = self.ctx.host.rng
        self.ids = tuple(rng.getrandbits(16) for _ in self.qtypes)

    def _send(self) -> None:
        for qid, qtype in zip(self.ids, self.qtypes):
            self.sock.send(name_query(qid, self.name, qtype), dport=53)


def _server_routed(ctx) -> bool:
    """Whether the recording host's nameserver has a route (else connect() fails and
    so does the lookup, at once)."""
    try:
        ctx.netns.lookup(RECORDING_NAMESERVER)
    except KernelError:
        return False
    return True


def unrouted_query(ctx) -> None:
    """A DNS query (a name no file gives) while the nameserver has no route: glibc's
    __res_context_send() makes RES_DFLRETRY tries, each send_dg() opening a UDP socket
    and connect()ing it, which fails ENETUNREACH (__ip4_datagram_connect() counts
    IPSTATS_MIB_OUTNOROUTES), so the lookup fails at once and leaves OutNoRoutes two
    higher (recorded: `getent hosts 10.1.2.3` adds 2, `netstat -g` on lo alone 6).
    Nothing happens with a world (its names answer) or a routed server (the caller's
    ReverseLookup sends the queries)."""
    if _worlds(ctx.session) or _server_routed(ctx):
        return
    stack = ctx.netns.stack
    for _ in range(RES_DFLRETRY):
        try:
            stack.udp_connect(RECORDING_NAMESERVER, 53)
        except KernelError:
            continue


def family_miss(ctx, name: str, err: "ResolveError") -> "ResolveError":
    """getaddrinfo() with one family asked (hints.ai_family): a name /etc/hosts has
    only in the other family is not found there and DNS is asked, so the failure is
    DNS's (recorded: `tracepath -6 localhost` and `traceroute -6 localhost` say
    "Temporary failure in name resolution"); a literal of the other family stays
    EAI_ADDRFAMILY (ping has its own way: it asks for both and picks)."""
    literal = inet_aton(name) is not None or ":" in name
    if err.text != EAI_ADDRFAMILY or literal:
        return err
    return ResolveError(EAI_NONAME if _worlds(ctx.session) else EAI_AGAIN)


def failing_lookup(ctx, name: str, reason: str, message: str, status: int):
    """A program whose getaddrinfo() of NAME fails for `reason`: its Process waiting
    for the queries (LookupWait, then `message` and `status`) when they go out to the
    recording host's nameserver, else None (the failure is at once)."""
    if reason != EAI_AGAIN or not ForwardLookup.needed_for(ctx, name):
        return None
    return LookupWait(ctx, name, message, status).start()


def _lookup_wait_base():
    from ipemu.process import Process
    return Process


class LookupWait(_lookup_wait_base()):
    """A program stopped in getaddrinfo() until its tries have failed, then writing
    its complaint (`text`) to stderr and exiting with `status`; a signal meanwhile
    kills it as the default action does (no handlers are set that early)."""

    def __init__(self, ctx, name: str, text: str, status: int) -> None:
        super().__init__(ctx.host, ctx.term)
        self.text, self.status = text, status
        self.lookup = ForwardLookup(ctx, name, self, "_failed")

    def start(self) -> "LookupWait":
        self.lookup.start()
        return self

    def blocked(self) -> bool:
        return False

    def _failed(self, _name) -> None:
        self.lookup = None
        self.term.err(self.text)
        self.exit(self.status)

    def signal(self, signum: int) -> None:
        self.exit(128 + signum)

    def cleanup(self) -> None:
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None


class ReverseLinePrinter:
    """net-tools' printers whose lines wait on gethostbyaddr() (INET_rresolve(): arp's
    arp_show(), route's rprint_fib()): each row's line once its addresses are looked
    up, one lookup at a time (ReverseLookup), an address asked once for the run
    (INET_nn). A Process subclass gives `todo` (the rows), `i`, `asked`, `lookup`,
    `addresses(row)`, `line(row)` and `tail()`, and calls `_advance()` to start."""

    def _advance(self) -> None:
        while self.i < len(self.todo) and not self.done:
            row = self.todo[self.i]
            for ip in self.addresses(row):
                if int(ip) in self.asked:
                    continue
                self.asked.add(int(ip))
                if ReverseLookup.needed(self.ctx, ip):
                    self.lookup = ReverseLookup(self.ctx, ip, self, "_resolved")
                    self.lookup.start()
                    return          # _resolved() goes on
            self.term.out(self.line(row))
            self.i += 1
        if not self.done:
            self.term.out(self.tail())
            self.exit(0)

    def tail(self) -> str:
        return ""

    def _resolved(self, name) -> None:
        self.lookup = None
        if not self.done:
            self.ctx.host.clock.call_later(0, self, "_advance")

    def cleanup(self) -> None:
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None

    def blocked(self) -> bool:
        return False
