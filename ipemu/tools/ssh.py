"""OpenSSH 9.2's client (Debian 12's ssh and scp) where nothing listens: ssh.c's option
parsing, then ssh_connect_direct() (sshconnect.c): getaddrinfo() of the destination,
a TCP connect per address, and on failure `ssh: connect to host HOST port PORT:
ERROR`, exit 255. The simulation has no sshd, so a connect that is answered is
refused (or times out, or finds no route) and no session ever starts. scp runs ssh
for a remote path and adds `scp: Connection closed`.
"""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.process import Process
from ipemu.tools.context import ToolContext

USAGE = (
    "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\n"
    "           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\n"
    "           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\n"
    "           [-i identity_file] [-J [user@]host[:port]] [-L address]\n"
    "           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\n"
    "           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\n"
    "           [-w local_tun[:remote_tun]] destination [command [argument ...]]\n")
# ssh.c main()'s getopt string, "1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:
# P:Q:R:S:TVw:W:XYy": the letters alone and those that take a value
FLAGS = set("1246afgknqstvxACGKMNTVXYy")
VALUED = set("bceilmopBDEFIJLOPQRSwW")
STATUS = 255
# ssh.c fill_default_options(): the default identity files, each with its -cert
IDENTITIES = ("id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk",
              "id_xmss", "id_dsa")
# readconf.c's debug lines for Debian 12's stock /etc/ssh/ssh_config (its Include of
# an empty ssh_config.d, its `Host *` block)
SSH_CONFIG_DEBUG = (
    "Reading configuration data /etc/ssh/ssh_config",
    "/etc/ssh/ssh_config line 19: include /etc/ssh/ssh_config.d/*.conf matched no files",
    "/etc/ssh/ssh_config line 21: Applying options for *")


class Options:
    def __init__(self) -> None:
        self.family = 0
        self.port: int | None = None
        self.connect_timeout: float | None = None
        self.destination: str | None = None
        self.version = False
        self.identities: list[str] = []
        self.ip_qos: int | None = None   # IPQoS's interactive value (None: not given)
        self.verbose = 0                 # -v's count (debug1 and up)


def _port(text: str) -> int:
    """a2port(): 1..65535, else `Bad port 'TEXT'`."""
    if text.isdigit() and 0 < int(text) <= 65535:
        return int(text)
    raise CommandError(f"Bad port '{text}'\n", STATUS)


# misc.c ipqos[]: the names parse_ipqos() takes (none is INT_MAX there: no IP_TOS
# set, so the socket's 0)
IPQOS = {"none": 0, "af11": 0x28, "af12": 0x30, "af13": 0x38, "af21": 0x48,
         "af22": 0x50, "af23": 0x58, "af31": 0x68, "af32": 0x70, "af33": 0x78,
         "af41": 0x88, "af42": 0x90, "af43": 0x98, "cs0": 0x00, "cs1": 0x20, "cs2": 0x40,
         "cs3": 0x60, "cs4": 0x80, "cs5": 0xa0, "cs6": 0xc0, "cs7": 0xe0, "ef": 0xb8,
         "le": 0x04, "lowdelay": 0x10, "throughput": 0x08, "reliability": 0x04}
# Debian's revert-ipqos-defaults.patch: fill_default_options() makes the interactive
# IPQoS lowdelay (upstream af21); ssh_create_socket() sets it before the connect
# (recorded: ssh's SYN leaves with tos 0x10, IPv6 class 0x10)
IPQOS_DEFAULT = 0x10


def _parse_ipqos(text: str) -> int | None:
    """parse_ipqos(): a name (any case), else strtol(cp, &ep, 0) wholly a number (hex
    after 0x, octal after 0, a sign allowed) in 0..255; None for what it refuses."""
    import re
    if text.lower() in IPQOS:
        return IPQOS[text.lower()]
    m = re.fullmatch(r"([+-]?)(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))", text)
    if m is None:
        return None
    sign, hexa, octal, decimal = m.groups()
    value = int(hexa, 16) if hexa else int(octal, 8) if octal else int(decimal)
    value = -value if sign == "-" else value
    return value if 0 <= value <= 255 else None


def _option(opts: Options, text: str) -> None:
    """-o KEY=VALUE (or `KEY VALUE`): the options that change where it connects."""
    key, _, value = text.replace("=", " ", 1).partition(" ")
    key, value = key.lower(), value.strip()
    if key == "ipqos":
        # readconf.c oIPQoS: one or two values, each checked; the first given wins
        words = value.split()[:2] or [""]
        for word in words:
            if _parse_ipqos(word) is None:
                raise CommandError(f"command-line line 0: Bad IPQoS value: {word}\r\n",
                                   STATUS)
        if opts.ip_qos is None:
            opts.ip_qos = _parse_ipqos(words[0])
    elif key == "connecttimeout" and value.isdigit():
        opts.connect_timeout = float(value) or None
    elif key == "port":
        opts.port = _port(value)
    elif key == "addressfamily":
        opts.family = {"inet": 4, "inet6": 6}.get(value.lower(), 0)


def parse(argv: list[str]) -> Options:
    """main()'s getopt loop, again after the destination (`ssh HOST -p 2222`): BSD
    getopt's errors, then the usage, exit 255."""
    opts = Options()
    args = list(argv)
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            i += 1
            break
        if not word.startswith("-") or word == "-":
            if opts.destination is not None:
                break           # the command and its arguments
            opts.destination = word
            i += 1
            continue
        j = 1
        while j < len(word):
            letter = word[j]
            if letter in VALUED:
                value = word[j + 1:]
                if not value:
                    i += 1
                    if i >= len(args):
                        raise CommandError(f"option requires an argument -- {letter}\r\n"
                                           + USAGE, STATUS)
                    value = args[i]
                _valued(opts, letter, value)
                break
            if letter not in FLAGS:
                raise CommandError(f"unknown option -- {letter}\r\n" + USAGE, STATUS)
            if letter == "V":
                opts.version = True
                return opts             # ssh.c: the version, then exit(0), where it stands
            if letter in "46":
                opts.family = int(letter)
            if letter == "v":
                opts.verbose += 1
            j += 1
        i += 1
    if opts.destination is None and i < len(args):
        opts.destination = args[i]
    return opts


def _valued(opts: Options, letter: str, value: str) -> None:
    if letter == "i":
        opts.identities.append(value)
    elif letter == "p":
        opts.port = _port(value)
    elif letter == "o":
        _option(opts, value)


def _numeric(text: str) -> bool:
    import ipaddress
    try:
        ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return False
    return True


def _split(destination: str) -> tuple[str, int | None]:
    """parse_ssh_uri() / parse_user_host_path(): `ssh://[user@]host[:port]`, else
    `[user@]host` (the user is for the server, which never answers here)."""
    port = None
    if destination.startswith("ssh://"):
        rest = destination[6:].rstrip("/")
        rest = rest.rpartition("@")[2]
        if rest.startswith("["):
            host, _, tail = rest[1:].partition("]")
            if tail.startswith(":"):
                port = _port(tail[1:])
            return host, port
        host, colon, tail = rest.partition(":")
        if colon:
            port = _port(tail)
        return host, port
    return destination.rpartition("@")[2], port


def main(ctx: ToolContext, argv: list[str]):
    if argv[0].rsplit("/", 1)[-1] == "scp":
        return _scp(ctx, argv)
    try:
        opts = parse(argv[1:])
    except CommandError as err:
        ctx.term.err(err.message)
        return err.status
    if opts.version:
        ctx.term.err(ctx.profile["ssh_version"] + "\n")
        return 0
    if opts.destination is None:
        ctx.term.err(USAGE)
        return STATUS
    for path in opts.identities:
        # ssh.c: an -i file that cannot be read is only warned about (fprintf)
        if ctx.session.read_text(ctx.session.fs.resolve(path, ctx.session.cwd)) is None:
            ctx.term.err(f"Warning: Identity file {path} not accessible: No such file or "
                         "directory.\n")
    try:
        host, port = _split(opts.destination)
    except CommandError as err:
        ctx.term.err(err.message)
        return err.status
    if opts.verbose:
        # ssh.c main(): the release when debugging, then read_config_file() of
        # Debian 12's /etc/ssh/ssh_config (recorded with -v; -vv and -vvv add
        # debug2/debug3 lines not simulated)
        ctx.term.err(ctx.profile["ssh_version"] + "\r\n" + "".join(
            f"debug1: {line}\r\n" for line in SSH_CONFIG_DEBUG))
    return SshConnect(ctx, host, opts.port or port or 22, opts).start()


def _scp(ctx: ToolContext, argv: list[str]):
    """scp's remote operand (`[user@]host:path`) starts `ssh HOST` (do_cmd()); when it
    fails, the copy ends with `scp: Connection closed`."""
    operands = [a for a in argv[1:] if not a.startswith("-")]
    remote = next((a for a in operands if ":" in a.partition("/")[0]), None)
    if len(operands) >= 2 and remote is None:
        return _scp_local(ctx, argv[1:], operands)
    if len(operands) < 2 or remote is None:
        ctx.term.err("usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] "
                     "[-F ssh_config]\n           [-i identity_file] [-J destination] "
                     "[-l limit] [-o ssh_option]\n           [-P port] [-S program] "
                     "[-X sftp_option] source ... target\n")
        return 1
    host = remote.partition(":")[0].rpartition("@")[2]
    return SshConnect(ctx, host, 22, Options(), after="scp: Connection closed").start()


def _scp_local(ctx: ToolContext, args: list[str], operands: list[str]):
    """Every operand local: scp.c's tolocal() runs `cp [-r] [-p] -- SRC... DEST`
    (do_local_cmd()) and fails with 1 when cp does."""
    flags = "".join(a[1:] for a in args if a.startswith("-") and a != "--")
    cp = ["cp"] + (["-r"] if "r" in flags else []) + (["-p"] if "p" in flags else [])
    result = ctx.session.dispatch(cp + ["--"] + operands, ctx.term, netns=ctx.netns)
    if isinstance(result, int):
        return 1 if result else 0
    return result


def stderr_vis(text: str) -> str:
    """openbsd-compat/vis.c strnvis(VIS_SAFE|VIS_OCTAL) of the message's bytes: a
    printable ASCII byte, space, tab, newline, BS, BEL and CR as they are, any other
    byte as \\ooo (recorded: `ssh ｌｏｃａｌｈｏｓｔ` is `Could not resolve hostname
    \\357\\275\\214...`)."""
    out = []
    for byte in text.encode("utf-8", "surrogateescape"):
        if 0x20 <= byte <= 0x7E or byte in (0x09, 0x0A, 0x08, 0x07, 0x0D):
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


class SshConnect(Process):
    """ssh_connect_direct(): the connect waits in virtual time; its failure is the
    client's last word."""

    def __init__(self, ctx: ToolContext, host: str, port: int, opts: Options,
                 after: str = "") -> None:
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        # ssh.c main(): lowercase(host) before anything uses it (recorded: `ssh
        # LOCALHOST` is refused as `connect to host localhost`)
        self.name = host.lower()
        self.port = port
        self.opts = opts
        self.after = after
        self.sock = None
        self.timer = None
        self.address = None
        self.received = bytearray()     # what the peer sent before it closed
        self.lookup = None              # the DNS queries of an unresolved name

    def start(self) -> "SshConnect":
        from ipemu.kernel.errors import KernelError
        from ipemu.kernel.tcp import tcp_of
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        from ipemu.tools.resolver import EAI_ADDRFAMILY, EAI_AGAIN, EAI_NONAME, inet_aton
        try:
            address = getaddrinfo(self.ctx.session, self.name, self.opts.family)
        except ResolveError as err:
            text = err.text
            if text == EAI_ADDRFAMILY and not _numeric(self.name) and inet_aton(self.name) is None:
                # resolve_host()'s hints (SOCK_STREAM, no AI_CANONNAME): a name
                # /etc/hosts has only in the other family goes on to DNS (recorded:
                # `ssh -6 localhost` is EAI_AGAIN where `ping -6 localhost` is not)
                text = EAI_NONAME if getattr(self.ctx.host, "worlds", None) else EAI_AGAIN
            from ipemu.tools.resolver import ForwardLookup
            self.failure = text
            if text == EAI_AGAIN and ForwardLookup.needed_for(self.ctx, self.name):
                # the queries go out to the recording host's nameserver first
                # (recorded: `ssh NAME` behind a gateway that never answers ARP
                # fails after 6.3 s)
                self.lookup = ForwardLookup(self.ctx, self.name, self, "_unresolved")
                self.lookup.start()
                return self
            self._unresolved(None)
            return self
        if self.opts.verbose:
            # ssh_connect_direct(): each address tried, and why it failed
            self._log(f"debug1: Connecting to {self.name} [{address}] port {self.port}.")
        self.address = address
        try:
            qos = IPQOS_DEFAULT if self.opts.ip_qos is None else self.opts.ip_qos
            self.sock = tcp_of(self.ctx.netns.stack).connect(address, self.port,
                                                              self._scope(), owner=self,
                                                              tos=qos)
        except KernelError as err:
            self._failed(err.errno)
            return self
        if self.opts.connect_timeout:
            self.timer = self.host.clock.call_later(self.opts.connect_timeout, self,
                                                    "timed_out")
        return self

    def _scope(self):
        """`ADDR%ZONE`: getaddrinfo()'s sin6_scope_id, the zone's device (by name or
        index), None without one."""
        if "%" not in self.name:
            return None
        zone = self.name.partition("%")[2]
        netns = self.ctx.netns
        return netns.by_name(zone) or (netns.by_index(int(zone)) if zone.isdigit() else None)

    def _failed(self, errno: int) -> None:
        from ipemu.tools.rtnl import strerror
        if self.opts.verbose and self.address is not None:
            self._log(f"debug1: connect to address {self.address} port {self.port}: "
                      f"{strerror(errno)}")
        self._log(f"ssh: connect to host {self.name} port {self.port}: {strerror(errno)}")
        if self.after:
            self._log(self.after)
        self.exit(STATUS)

    def _unresolved(self, _name) -> None:
        self.lookup = None
        self._log(f"ssh: Could not resolve hostname {self.name.lower()}: {self.failure}")
        self.exit(STATUS)

    def _log(self, text: str) -> None:
        """log.c do_log() to stderr: every line ends "\\r\\n", after strnvis()
        with LOG_STDERR_VIS (VIS_SAFE|VIS_OCTAL)."""
        self.term.err(stderr_vis(text) + "\r\n")

    def tcp_connect_done(self, sock) -> None:
        if sock is not self.sock or self.done:
            return
        self.host.clock.cancel(self.timer)
        if sock.err:
            self.sock = None
            self._failed(sock.err)
            return
        if self.opts.verbose:
            # timeout_connect() with ConnectTimeout went non-blocking (misc.c
            # unset_nonblock()); then the default identities (none under /root/.ssh)
            if self.opts.connect_timeout:
                self._log("debug1: fd 3 clearing O_NONBLOCK")
            self._log("debug1: Connection established.")
            for name in IDENTITIES:
                for suffix in ("", "-cert"):
                    self._log(f"debug1: identity file /root/.ssh/{name}{suffix} type -1")
            self._log(f"debug1: Local version string {self._banner()}")
        # kex_exchange_identification(): our banner first, then the peer's lines
        # until one starts "SSH-" (recorded against python3 -m http.server: its
        # 400 page, sent as HTTP/0.9, then the close)
        self.received = bytearray()
        sock.send((self._banner() + "\r\n").encode())
        if sock.fin_rcvd:
            self.tcp_data(sock)

    def _banner(self) -> str:
        """The identification string: SSH-2.0- and the release (the profile's, as
        ssh -V prints it before the comma)."""
        return "SSH-2.0-" + self.ctx.profile["ssh_version"].split(",")[0]

    def tcp_data(self, sock) -> None:
        if sock is not self.sock or self.done:
            return
        self.received += sock.read()
        if not sock.fin_rcvd:
            return
        self.sock = None
        sock.close()
        if self.opts.verbose:
            text = bytes(self.received).decode("latin-1")
            for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n")
                                     else text.split("\n")):
                self._log(f"debug1: kex_exchange_identification: banner line {n}: "
                          f"{line.rstrip(chr(13))}")
        self._log("kex_exchange_identification: Connection closed by remote host")
        self._log(f"Connection closed by {sock.dst} port {self.port}")
        self.exit(STATUS)

    def timed_out(self) -> None:
        """timeout_connect(): ConnectTimeout ran out (ETIMEDOUT's text)."""
        from ipemu.kernel.errors import Errno
        self.timer = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self._failed(Errno.ETIMEDOUT)

    def signal(self, signum: int) -> None:
        if getattr(self, "lookup", None) is not None:
            self.lookup.cancel()
            self.lookup = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self.host.clock.cancel(self.timer)
        self.exit(128 + signum)

    def blocked(self) -> bool:
        return False
