"""What is random on a real host, made comparable (documented in README.md):

- MAC addresses of created devices are renamed in order of first appearance to
  fa:ce:00:00:00:01, :02, ...; MACs written in the commands, all-zero, broadcast and
  multicast MACs stay literal. IPv6 addresses built from a MAC (EUI-64 link-locals)
  and bridge ids (priority.MAC with unpadded bytes) follow the renaming.
- Runs of `local fe80::...` route lines are sorted (the kernel orders them by
  address, which follows the random MACs), and so are the lines of `ip neigh`
  (hash order with a random seed). `route -6` rows are compared column by column
  with the Ref column masked, runs of link-local /128 rows sorted by interface.
- ping rtt values and times (`time=0.047 ms`, `rtt min/avg/max/mdev = ...`,
  `time 3056ms`), ping -v's `ident=`, traceroute's probe times (`  0.765 ms`), a bridge's `gc_timer`, the running
  STP timers of a bridge and its ports (`forward_delay_timer 11.93`; `0.00` kept) and `ip monitor`'s `-t`/`-ts` timestamps
  become placeholders.
- tcpdump: packet timestamps, ICMP echo ids, IPv4 header ids (-v), IPv6 flow labels,
  checksum values and the count of `packets received by filter` become placeholders;
  the IPv6 traffic a kernel sends by itself after link-up (MLDv2 reports to ff02::16,
  router solicitations to ff02::2, DAD probes from ::), whose number and order depend
  on random timers, is dropped with its continuation lines, and `N packets captured`
  is lowered by as many. TCP segments' sequence and acknowledgment numbers,
  timestamp values and echoes (random offsets on a real host) and the `(incorrect ->
  0x...)` sum of an offloaded one become placeholders.
- `ss -s`'s `Total:` (sockets a finished command closed still count until an RCU
  grace period has passed: a race with the next command's start).
- `ls -l`'s file times (the time of the recording) become placeholders.
- curl's milliseconds to a failed connect, wget's clock before a URL, a
  connecting socket's ephemeral port in `ss` and `netstat`, and a /proc/net/tcp
  line's local port, timer, inode and kernel address become placeholders.
"""
from __future__ import annotations

import ipaddress
import re

MAC_RE = re.compile(r"(?<![0-9a-f:])((?:[0-9a-f]{2}:){5}[0-9a-f]{2})(?![0-9a-f:])")
SOLICITED_RE = re.compile(r"(?<![0-9a-f:])ff02::1:ff([0-9a-f]{1,2}):([0-9a-f]{1,4})(?![0-9a-f]|:[0-9a-f])")
V6_RE = re.compile(r"(?<![0-9a-f:])(fe80:[0-9a-f:]*ff:fe[0-9a-f:]*)(?![0-9a-f:])")
ROUTE6_LINE = re.compile(r"^(\S+)\s+(\S+)\s+(\S+)\s+(-?\d+)\s+(\d+)\s+(\d+)\s+(\S+)$")
BRIDGE_ID_RE = re.compile(r"\b([0-9a-f]{4})\.((?:[0-9a-f]{1,2}:){5}[0-9a-f]{1,2})\b")
RTT_RES = [
    (re.compile(r"time=\d+(\.\d+)? ms"), "time=<RTT> ms"),
    (re.compile(r"rtt min/avg/max/mdev = [0-9./]+ ms"), "rtt min/avg/max/mdev = <RTT> ms"),
    (re.compile(r"ipg/ewma [0-9./]+ ms"), "ipg/ewma <RTT> ms"),
    (re.compile(r"time \d+ms"), "time <T>ms"),
    # ping -D's gettimeofday() before a line
    (re.compile(r"^\[\d+\.\d{6}\] ", re.M), "[<TS>] "),
    # arping's reply time, tracepath's round trip
    (re.compile(r"\]  ?\d+\.\d{3}ms$", re.M), "]  <RTT>ms"),
    # tracepath: `%3ld.%03ldms ` after the 52-column host of a hop line
    (re.compile(r"^( ?\d+\??:  .{52})[ \d]{2}\d+\.\d{3}ms", re.M), r"\1<RTT>ms"),
    # tracepath -6: an IPv6 local EMSGSIZE names the probe's port, so recverr() times
    # the `[LOCALHOST]` line too (`%2d?: %-32s ` then `%3ld.%03ldms `)
    (re.compile(r"^( ?\d+\?: \[LOCALHOST\] {22})[ \d]{2}\d+\.\d{3}ms", re.M), r"\1<RTT>ms"),
    # ping -v: the echo identifier (the socket's random port) after each reply
    (re.compile(r"\bident=\d+"), "ident=<ID>"),
    # traceroute 2.1.2 print_probe(): `  %.3f ms` per probe
    (re.compile(r"(?<=  )\d+\.\d{3} ms(?= |$)", re.M), "<RTT> ms"),
    (re.compile(r"gc_timer +\d+\.\d+"), "gc_timer <T>"),
    # (`-j -p` puts a blank after the colon)
    (re.compile(r"(\"gc_timer\": ?)\d+\.\d\d"), r"\1<T>"),
    # a running STP timer of a bridge or its port counts down in wall time (the
    # recording's pace): that it runs is kept, 0.00 (not pending) stays literal
    (re.compile(r"\b((?:hold|message_age|forward_delay|hello|tcn|topology_change)_timer)"
                r" +(?!0\.00\b)\d+\.\d\d\b"), r"\1 <T>"),
    (re.compile(r"(\"(?:hold|message_age|forward_delay|hello|tcn|topology_change)_timer\": ?)"
                r"(?!0\.00\b)\d+\.\d\d\b"), r"\1<T>"),
    # `bridge -s mdb`: a temp entry's group timer (format_timer()'s `%4i.%.2i`, last
    # on the line; `"timer":" 259.67"` in JSON) counts down in wall time too; a
    # stopped one (`0.00`, permanent entries) stays literal
    (re.compile(r"^(dev \S+ port \S+ grp .*\S) +(?!0\.00$)\d+\.\d\d$", re.M), r"\1 <T>"),
    (re.compile(r"(\"timer\": ?\") *(?!0\.00\")\d+\.\d\d\""), r'\1<T>"'),
    # curl's time to a failed connect (wall time on the recording host)
    (re.compile(r"(Failed to connect to \S+ port \d+ after )\d+ ms"), r"\1<T> ms"),
    (re.compile(r"((?:Connection|Resolving) timed out after )\d+ milliseconds"),
     r"\1<T> milliseconds"),
    # wget's clock before each URL (url.c's `--%s--  %s`)
    (re.compile(r"^--\d{4}-\d\d-\d\d \d\d:\d\d:\d\d--  ", re.M), "--<DATE>--  "),
    # /proc/net/tcp: a socket's timer, inode and hashed address (and the padding
    # that follows them)
    (re.compile(r"^( *\d+: [0-9A-F]{8,32}:)[0-9A-F]{4}( [0-9A-F]{8,32}:[0-9A-F]{4} [0-9A-F]{2} "
                r"[0-9A-F]{8}:[0-9A-F]{8} [0-9A-F]{2}:)[0-9A-F]{8}( [0-9A-F]{8} +\d+ +\d+ )\d+"
                r"( \d+ )[0-9a-f]{16}(.*?) *$", re.M), r"\1<PORT>\2<T>\3<INODE>\4<PTR>\5"),
    # ss: a connecting socket's ephemeral port after its address
    (re.compile(r"(\d\.\d{1,3}|\]):(3[3-9]\d{3}|32[89]\d\d|327[7-9]\d|3276[89]|[45]\d{4}"
                r"|60\d{3})(?= )"), r"\1:<PORT>"),
    # `ip -s route get`: the answer's age (rta_lastuse) is that of the per-cpu route the
    # lookup found in its nexthop's cache (nhc_pcpu_rth_output, rt6i_pcpu), made by an
    # earlier lookup on the same CPU or not: whether it shows depends on the CPU the
    # command ran on and the pace of the lines (fuzz41 seeds 490001, 490019)
    (re.compile(r"(\busers \d+ )age \d+sec "), r"\1"),
    (re.compile(r'("users": ?\d+,)"age": ?\d+,'), r"\1"),
    # ping -T tsonly/tsandaddr: the first stamp is the milliseconds since midnight UTC
    # of the answering host's clock (fuzz41 seed 490921)
    (re.compile(r"^(TS: \t(?:\S+\t)?)\d+ absolute$", re.M), r"\1<TS> absolute"),
    # ip monitor -t / -ts (print_timestamp())
    (re.compile(r"^Timestamp: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} \d+ usec$", re.M),
     "Timestamp: <T>"),
    (re.compile(r"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] ", re.M), "[<T>] "),
    # ls -l: a file's time (the recording's clock), on the lines of a long listing only
    (re.compile(r"^([-dlcbps][-rwxsStT]{9}[.+]? +\d+ \S+ +\S+ +\d+ )[A-Z][a-z]{2} [ \d]\d "
                r"(?:\d\d:\d\d| \d{4}) ", re.M), r"\1<DATE> "),
]


def _fixed(mac: str) -> bool:
    raw = bytes(int(p, 16) for p in mac.split(":"))
    return raw == bytes(6) or raw == b"\xff" * 6 or bool(raw[0] & 1)


def _mac_of_eui64(text: str) -> str | None:
    try:
        addr = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    iid = addr.packed[8:]
    if iid[3:5] != b"\xff\xfe":
        return None
    mac = bytes([iid[0] ^ 2, iid[1], iid[2], iid[5], iid[6], iid[7]])
    return ":".join(f"{b:02x}" for b in mac)


def _eui64_of(mac: str) -> str:
    raw = bytes(int(p, 16) for p in mac.split(":"))
    iid = bytes([raw[0] ^ 2, raw[1], raw[2], 0xFF, 0xFE, raw[3], raw[4], raw[5]])
    return str(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + iid))


class MacMasker:
    """One renaming for a whole transcript (so a MAC keeps its name across commands)."""

    def __init__(self, literal: set[str] | None = None):
        self.names: dict[str, str] = {}
        self.literal = {m.lower() for m in (literal or set())}

    def _name(self, mac: str) -> str:
        mac = mac.lower()
        if mac.startswith("33:33:ff:"):
            # the solicited-node group's MAC carries a renamed MAC's last three bytes
            named = self._by_low_bytes(mac[9:])
            return "33:33:ff:" + named[9:] if named else mac
        if mac in self.literal or _fixed(mac):
            return mac
        if mac not in self.names:
            self.names[mac] = f"fa:ce:00:00:00:{len(self.names) + 1:02x}"
        return self.names[mac]

    def _by_low_bytes(self, low: str) -> str | None:
        """The new name of the MAC whose last three bytes are `low` (xx:xx:xx)."""
        return next((new for old, new in self.names.items() if old.endswith(low)), None)

    def _rename_solicited(self, m: re.Match) -> str:
        """ff02::1:ffXX:XXXX, the solicited-node group of an EUI-64 address."""
        low = f"{int(m.group(1), 16):02x}:{int(m.group(2), 16):04x}"
        low = low[:3] + low[3:5] + ":" + low[5:]
        named = self._by_low_bytes(low)
        if not named:
            return m.group(0)
        b = named.split(":")
        return f"ff02::1:ff{b[3]}:{int(b[4] + b[5], 16):x}"

    def _rename_v6(self, m: re.Match) -> str:
        mac = _mac_of_eui64(m.group(1))
        return _eui64_of(self._name(mac)) if mac else m.group(1)

    def mask(self, text: str) -> str:
        # name MACs in order of first appearance, whether seen directly or via EUI-64
        events = [(m.start(), m.group(1)) for m in MAC_RE.finditer(text)]
        for m in V6_RE.finditer(text):
            mac = _mac_of_eui64(m.group(1))
            if mac:
                events.append((m.start(), mac))
        for m in BRIDGE_ID_RE.finditer(text):
            events.append((m.start(), ":".join(f"{int(p, 16):02x}" for p in m.group(2).split(":"))))
        for _, mac in sorted(events):
            self._name(mac)
        text = V6_RE.sub(self._rename_v6, text)
        text = SOLICITED_RE.sub(self._rename_solicited, text)
        text = BRIDGE_ID_RE.sub(lambda m: m.group(1) + "." + ":".join(
            f"{int(p, 16):x}" for p in self._name(":".join(
                f"{int(x, 16):02x}" for x in m.group(2).split(":"))).split(":")), text)
        return MAC_RE.sub(lambda m: self._name(m.group(1)), text)


def sort_local_fe80(text: str) -> str:
    """Sort runs of `local fe80::` route lines by what follows the address (the
    device), so that the order, and the MAC names given in it, do not depend on the
    random addresses."""
    lines = text.splitlines(keepends=True)
    out, run = [], []
    for line in lines + [None]:
        if line is not None and re.match(r"local fe80::\S+ dev ", line):
            run.append(line)
            continue
        out += sorted(run, key=lambda ln: (ln.split(" dev ", 1)[1], ln))
        run = []
        if line is not None:
            out.append(line)
    return "".join(out)


def mask_route6(text: str) -> str:
    """`route -6`: the Ref column counts references that move with background traffic,
    and local /128 routes of link-locals come in the order of the random MACs: columns
    are compared as words, Ref masked, and those runs sorted by interface."""
    out, run = [], []
    for line in text.splitlines(keepends=True) + [None]:
        m = ROUTE6_LINE.match(line.rstrip("\n")) if line is not None else None
        if m:
            dest, gw, flags, metric, _ref, use, iface = m.groups()
            row = f"{dest} {gw} {flags} {metric} <R> {use} {iface}\n"
            if dest.startswith("fe80:") and dest.endswith("/128"):
                run.append((iface, row))
                continue
            out += [r for _, r in sorted(run)]
            run = []
            out.append(row)
            continue
        out += [r for _, r in sorted(run)]
        run = []
        if line is not None:
            out.append(line)
    return "".join(out)


def sort_neigh(text: str) -> str:
    """`ip neigh` lists entries in hash order (a random seed per table): sort them."""
    return "".join(sorted(text.splitlines(keepends=True)))


def sort_arp(text: str) -> str:
    """net-tools `arp` reads /proc/net/arp, in hash order: sort the entries, the title
    line (`Address ...`) kept first."""
    lines = text.splitlines(keepends=True)
    head = [line for line in lines if line.startswith("Address ")]
    return "".join(head + sorted(line for line in lines if not line.startswith("Address ")))


def needed(regex: re.Pattern) -> str:
    """The longest run of plain characters that every match of `regex` holds (its
    literals in sequence, groups it always matches included): a rule is tried only on
    an output holding it (25 rules on every output were most of a replay's masking)."""
    from re import _constants as C, _parser
    best = run = ""

    def walk(items) -> None:
        nonlocal best, run
        for op, av in items:
            if op is C.LITERAL:
                run += chr(av)
                best = max(best, run, key=len)
            elif op is C.SUBPATTERN:
                walk(av[-1])
            else:
                run = ""
    walk(_parser.parse(regex.pattern, regex.flags))
    return best


RTT_RULES = [(regex, repl, needed(regex)) for regex, repl in RTT_RES]


def mask_rtt(text: str) -> str:
    for regex, repl, need in RTT_RULES:
        if need in text:
            text = regex.sub(repl, text)
    return text


TCPDUMP_RES = [
    # --nano (--time-stamp-precision=nano) prints nine digits
    (re.compile(r"^\d\d:\d\d:\d\d\.\d{6}(\d{3})? ", re.M), "<TS> "),
    (re.compile(r"^\d{9,10}\.\d{6} ", re.M), "<TS> "),                      # -tt
    (re.compile(r"^ \d\d:\d\d:\d\d\.\d{6} ", re.M), " <TS> "),                 # -ttt
    (re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} ", re.M), "<TS> "),  # -tttt
    (re.compile(r"^( +\d+  )\d\d:\d\d:\d\d\.\d{6} ", re.M), r"\1<TS> "),     # -# then the time
    (re.compile(r"\bid \d+, seq\b"), "id <ID>, seq"),
    (re.compile(r"\bid \d+, offset\b"), "id <ID>, offset"),
    (re.compile(r"flowlabel 0x[0-9a-f]+"), "flowlabel <FL>"),
    (re.compile(r"\b(cksum|sum) 0x[0-9a-f]+"), r"\1 <CK>"),
    (re.compile(r"-> 0x[0-9a-f]{4}!\]"), "-> <CK>!]"),     # the right sum, of a random port
    # a socket's ephemeral port (ip_local_port_range, 32768-60999) after its address
    # (or the name tcpdump shows for it: localhost)
    (re.compile(r"(\d\.\d+|:[0-9a-f]*|\blocalhost)\.(3[3-9]\d{3}|32[89]\d\d|327[7-9]\d"
                r"|3276[89]|[45]\d{4}|60\d{3})\b"), r"\1.<PORT>"),
    (re.compile(r"^\d+ packets? received by filter$", re.M), "<N> packets received by filter"),
    # the sum a TCP sender left to offload (of a random port and sequence number)
    (re.compile(r"\(incorrect -> 0x[0-9a-f]+\)"), "(incorrect -> <CK>)"),
]
# TCP's random initial sequence numbers and timestamp offsets (secure_tcp_seq(),
# secure_tcp_ts_off()), on the lines of TCP segments only (ICMP echoes have a seq too)
TCP_LINE_RE = re.compile(r"^.*Flags \[[^\]]*\].*$", re.M)
TCP_RANDOM_RE = re.compile(r"\b(seq|ack|TS val|ecr) [1-9]\d*(:[1-9]\d*)?")


def _mask_tcp_line(m: re.Match) -> str:
    return TCP_RANDOM_RE.sub(lambda f: f"{f.group(1)} <{f.group(1).split()[-1].upper()}>",
                             m.group(0))
BACKGROUND_RE = re.compile(
    r"(> ff02::16: HBH ICMP6, multicast listener report v2"
    r"|> ff02::2: ICMP6, router solicitation"
    r"|IP6 :: > ff02::1:ff[0-9a-f:]+: ICMP6, neighbor solicitation"
    r"|\(\d+\) :: > ff02::1:ff[0-9a-f:]+: \[icmp6 sum ok\] ICMP6, neighbor solicitation"
    r"|> ff02::16: HBH \(rtralert|> ff02::2: \[icmp6 sum ok\] ICMP6, router solicitation)")
CAPTURED_RE = re.compile(r"^(\d+) (packets?) captured$")


def drop_background(text: str) -> str:
    out: list[str] = []
    dropped = 0
    skipping = False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        if skipping and body[:1] in (" ", "\t"):
            continue
        skipping = False
        if BACKGROUND_RE.search(body) and not body.startswith(("tcpdump", "listening")):
            dropped += 1
            skipping = True
            continue
        m = CAPTURED_RE.match(body)
        if m:
            n = int(m.group(1)) - dropped
            line = f"{n} packet{'' if n == 1 else 's'} captured\n"
            dropped = 0
        out.append(line)
    return "".join(out)


SS_TOTAL_RE = re.compile(r"^Total: \d+$", re.M)


def mask_ss_total(text: str) -> str:
    """`ss -s`'s first line, /proc/net/sockstat's `sockets: used`: the namespace's
    allocated sockets, which still count a command's netlink sockets until an RCU
    grace period after it closed them (netlink_release() -> call_rcu() ->
    deferred_put_nlk_sk() -> sk_free() -> sock_inuse_add(net, -1)). Whether the
    previous command's have gone when the next one reads depends on how fast the
    recording host starts it: 2 after `ss -tuln` on one run, 0 after every command on
    another (transcripts/public/GAPS.md, linuxmag_ss)."""
    return SS_TOTAL_RE.sub("Total: <N>", text)


TCPDUMP_RULES = [(regex, repl, needed(regex)) for regex, repl in TCPDUMP_RES]


def mask_tcpdump(text: str) -> str:
    if "ff02::" in text:                # every background packet's destination
        text = drop_background(text)
    for regex, repl, need in TCPDUMP_RULES:
        if need in text:
            text = regex.sub(repl, text)
    if "Flags [" in text:
        text = TCP_LINE_RE.sub(_mask_tcp_line, text)
    return text


def literal_macs(commands: list[str]) -> set[str]:
    found = set()
    for cmd in commands:
        found |= {m.lower() for m in MAC_RE.findall(cmd.lower())}
    return found
