"""curl 7.88 (Debian 12) as far as a host without listeners takes it: the URL's host is
resolved, a TCP connect is made in the namespace, and when it fails (nothing in the
simulation listens) curl says so as lib/connect.c and src/tool_operate.c do:
`curl: (7) Failed to connect to HOST port PORT after N ms: Couldn't connect to server`,
exit 7; a name that does not resolve is `(6) Could not resolve host: NAME`; -m and
--connect-timeout end the wait with 28. -s hides the message, -S shows it again.
"""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.process import Process
from ipemu.tools.context import ToolContext

# options that take a value (curl's long names and their short letters)
WITH_VALUE = {"-o", "--output", "-m", "--max-time", "--connect-timeout", "-H", "--header",
              "-X", "--request", "-d", "--data", "--data-raw", "--data-binary", "-A",
              "--user-agent", "-u", "--user", "-w", "--write-out", "-e", "--referer",
              "-x", "--proxy", "-b", "--cookie", "-c", "--cookie-jar", "-T",
              "--upload-file", "-F", "--form", "-r", "--range", "--retry", "--resolve",
              "--interface", "-K", "--config", "--cacert", "-E", "--cert", "--key",
              "--limit-rate", "-Y", "--speed-limit", "-y", "--speed-time", "-z",
              "--time-cond", "--max-redirs", "--url", "--local-port"}
SHORT_VALUE = set("omHXdAuwexbcTFrKEYyz")
SCHEME_PORTS = {"http": 80, "https": 443, "ftp": 21, "ftps": 990, "gopher": 70,
                "telnet": 23, "dict": 2628, "ldap": 389, "imap": 143, "pop3": 110,
                "smtp": 25, "rtsp": 554, "scp": 22, "sftp": 22, "mqtt": 1883}


class Options:
    def __init__(self) -> None:
        self.silent = False
        self.show_error = False
        self.verbose = False
        self.max_time = 0.0
        self.connect_timeout = 0.0
        self.family = 0
        self.output: str | None = None
        self.write_out: str | None = None
        self.version = False
        self.local_port = 0          # --local-port NUM[-NUM]: the first of the range
        self.urls: list[str] = []


def option_words(argv: list[str], with_value: set, short_value: set,
                 whole: tuple = ()) -> tuple[list[tuple[str, str]], list[str]]:
    """curl's and wget's command lines as (option, value) pairs in order and the URLs:
    `--name=value` or `--name value` (for the names in `with_value`), clustered
    letters (`-sS`), a letter in `short_value` taking the rest of its word or the next
    one, the words in `whole` (wget's `-nv`) as they stand, `--` ending options."""
    pairs: list[tuple[str, str]] = []
    urls: list[str] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--":
            urls += args
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in with_value and not eq:
                value = args.pop(0) if args else ""
            pairs.append((name, value))
        elif arg in whole:
            pairs.append((arg, ""))
        elif arg.startswith("-") and len(arg) > 1:
            letters = arg[1:]
            for i, ch in enumerate(letters):
                if ch in short_value:
                    pairs.append(("-" + ch, letters[i + 1:] or (args.pop(0) if args else "")))
                    break
                pairs.append(("-" + ch, ""))
        else:
            urls.append(arg)
    return pairs, urls


def _parse(argv: list[str]) -> Options:
    opts = Options()
    pairs, opts.urls = option_words(argv[1:], WITH_VALUE, SHORT_VALUE)
    for name, value in pairs:
        if name.startswith("--"):
            _long(opts, name, value)
        else:
            _short(opts, name[1], value)
    return opts


def _seconds(value: str) -> float:
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 0.0


def _short(opts: Options, ch: str, value: str) -> None:
    if ch == "s":
        opts.silent = True
    elif ch == "S":
        opts.show_error = True
    elif ch == "v":
        opts.verbose = True
    elif ch == "m":
        opts.max_time = _seconds(value)
    elif ch in "46":
        opts.family = int(ch)
    elif ch == "o":
        opts.output = value
    elif ch == "w":
        opts.write_out = value
    elif ch == "V":
        opts.version = True
    elif ch == "O":
        opts.output = ""


def _long(opts: Options, name: str, value: str) -> None:
    if name == "--url":
        opts.urls.append(value)
    elif name == "--connect-timeout":
        opts.connect_timeout = _seconds(value)
    elif name == "--local-port":
        # tool_getparam.c: NUM or NUM-NUM; lib/cf-socket.c bindlocal() binds the
        # first port of the range that is free (a fresh namespace: the first)
        first = value.partition("-")[0]
        opts.local_port = int(first) if first.isdigit() and 0 < int(first) < 65536 else 0
    else:
        short = {"--silent": "s", "--show-error": "S", "--verbose": "v", "--max-time": "m",
                 "--ipv4": "4", "--ipv6": "6", "--output": "o",
                 "--remote-name": "O", "--write-out": "w", "--version": "V"}.get(name)
        if short:
            _short(opts, short, value)


def split_url(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL (http when no scheme is given, as curl guesses);
    None for one without a host or with a port beyond 65535."""
    if url_error(url) is not None:
        return None
    return _split(url)


def url_error(url: str) -> str | None:
    """What wget's url_parse() says of a URL it cannot use (url.c's parse errors)."""
    parts = _split(url)
    if parts is None or parts[2] > 65535:
        return "Bad port number"
    if not parts[1]:
        return "Invalid host name"
    return None


def _split(url: str) -> tuple[str, str, int] | None:
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    scheme = scheme.lower()
    hostport = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    hostport = hostport.rpartition("@")[2]
    if hostport.startswith("["):
        host, _, tail = hostport[1:].partition("]")
        port_text = tail[1:] if tail.startswith(":") else ""
    else:
        host, _, port_text = hostport.partition(":")
    if port_text and not port_text.isdigit():
        return None
    port = int(port_text) if port_text else SCHEME_PORTS.get(scheme, 80)
    return scheme, host, port


def main(ctx: ToolContext, argv: list[str]):
    opts = _parse(argv)
    if opts.version:
        ctx.term.out(ctx.profile["curl_version"])
        return 0
    if not opts.urls:
        # operate(): a bare `curl` gets only helpf()'s hint; with any option the missing
        # URL is named first (helpf() writes it even under -s)
        named = "curl: no URL specified!\n" if len(argv) > 1 else ""
        raise CommandError(named + "curl: try 'curl --help' or 'curl --manual' for more "
                           "information\n", 2)
    return CurlProcess(ctx, opts).start()


class CurlProcess(Process):
    """One URL after the other; each connect waits in virtual time."""

    def __init__(self, ctx: ToolContext, opts: Options):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.index = 0
        self.sock = None
        self.timer = None
        self.started = 0.0
        self.target = ("", "", 0)
        self.last = 0
        self.meter = None

    def start(self) -> "CurlProcess":
        self.next_url()
        return self

    def _fail(self, code: int, text: str) -> None:
        if self.opts.verbose:
            self.term.err(f"* {text}\n* Closing connection {self.index - 1}\n")
        if not self.opts.silent or self.opts.show_error:
            self.term.err(f"curl: ({code}) {text}\n")
        if self.opts.write_out is not None:
            self.term.out(write_out(self.opts.write_out, code, text,
                                    self.opts.urls[self.index - 1]))
        self.last = code
        self.next_url()

    def next_url(self) -> None:
        if self.done:
            return
        if self.index >= len(self.opts.urls):
            self.exit(self.last)
            return
        url = self.opts.urls[self.index]
        self.index += 1
        parts = split_url(url)
        if parts is None:
            self._fail(3, "URL using bad/illegal format or missing URL")
            return
        scheme, host, port = parts
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        try:
            if host == "localhost" or host.endswith(".localhost"):
                # lib/hostip.c: curl answers localhost itself (::1 when -6 asks)
                import ipaddress
                address = ipaddress.ip_address("::1" if self.opts.family == 6
                                               else "127.0.0.1")
            else:
                address = getaddrinfo(self.ctx.session, host, self.opts.family)
        except ResolveError:
            self._fail(6, f"Could not resolve host: {host}")
            return
        self.target = (host, str(address), port)
        if self.opts.verbose:
            shown = f"[{address}]" if address.version == 6 else str(address)
            self.term.err(f"*   Trying {shown}:{port}...\n")
        from ipemu.kernel.tcp import tcp_of
        clock = self.host.clock
        self.started = clock.now
        self._meter_start()
        try:
            self.sock = tcp_of(self.ctx.netns.stack).connect(address, port, owner=self,
                                                              sport=self.opts.local_port)
        except KernelError as err:
            # connect() itself refused (no route): lib/cf-socket.c's "Immediate connect fail"
            from ipemu.tools.rtnl import strerror
            if self.opts.verbose:
                self.term.err(f"* Immediate connect fail for {address}: "
                              f"{strerror(err.errno)}\n")
            self._connect_failed(err.errno, immediate=True)
            return
        limits = [t for t in (self.opts.connect_timeout, self.opts.max_time) if t]
        if limits:
            self.timer = clock.call_later(min(limits), self, "timed_out")

    def _elapsed_ms(self) -> int:
        return int((self.host.clock.now - self.started) * 1000 + 1e-6)   # Curl_timediff()

    def _connect_failed(self, errno: int, immediate: bool = False) -> None:
        """The connect failed: CURLE_COULDNT_CONNECT (7), or CURLE_OPERATION_TIMEDOUT (28)
        when the kernel gave up (ETIMEDOUT), with the same text."""
        from ipemu.kernel.errors import Errno
        from ipemu.tools.rtnl import strerror
        host, address, port = self.target
        if self.opts.verbose and not immediate:
            self.term.err(f"* connect to {address} port {port} failed: {strerror(errno)}\n")
        self._meter_end()
        code = 28 if errno == Errno.ETIMEDOUT else 7
        self._fail(code, f"Failed to connect to {host} port {port} after {self._elapsed_ms()} "
                         "ms: Couldn't connect to server")

    # ------------------------------------------------------ the progress meter
    def _meter_shown(self) -> bool:
        """tool_operate.c: the meter goes to stderr unless -s, or -v, or the body goes to
        a terminal."""
        if self.opts.silent or self.opts.verbose:
            return False
        return self.opts.output is not None or not getattr(self.ctx.session, "stdout_tty",
                                                          True)

    def _meter_line(self) -> str:
        spent = int(self.host.clock.now - self.started)
        shown = "--:--:--" if spent <= 0 else \
            f"{spent // 3600:2d}:{spent // 60 % 60:02d}:{spent % 60:02d}"
        return f"\r  0     0    0     0    0     0      0      0 --:--:-- {shown} --:--:--     0"

    def _meter_start(self) -> None:
        if self._meter_shown():
            self.term.err("  % Total    % Received % Xferd  Average Speed   Time    Time     "
                          "Time  Current\n                                 Dload  Upload   "
                          "Total   Spent    Left  Speed\n" + self._meter_line())
            self.meter = self.host.clock.call_later(1.0, self, "meter_tick")

    def meter_tick(self) -> None:
        """progress_meter(): a new line each second while it waits."""
        self.term.err(self._meter_line())
        self.meter = self.host.clock.call_later(1.0, self, "meter_tick")

    def _meter_end(self) -> None:
        if self.meter is not None:
            self.host.clock.cancel(self.meter)
            self.meter = None
            self.term.err(self._meter_line() + "\n")

    def tcp_connect_done(self, sock) -> None:
        if sock is not self.sock or self.done:
            return
        self.host.clock.cancel(self.timer)
        self.sock = None
        self._connect_failed(sock.err)

    def timed_out(self) -> None:
        """Curl_timeleft() ran out while connecting."""
        self.timer = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        ms = self._elapsed_ms()
        self._meter_end()
        if self.opts.max_time and (not self.opts.connect_timeout or
                                   self.opts.max_time <= self.opts.connect_timeout):
            text = f"Connection timed out after {ms} milliseconds"
        else:
            text = f"Failed to connect to {self.target[0]} port {self.target[2]} after " \
                   f"{ms} ms: Timeout was reached"
        self._fail(28, text)

    def cleanup(self) -> None:
        self.host.clock.cancel(self.timer)
        self.host.clock.cancel(self.meter)
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def blocked(self) -> bool:
        return False


def write_out(template: str, code: int, errormsg: str, url: str) -> str:
    """tool_writeout.c ourWriteOut() after a transfer that never got a response:
    `%{http_code}` is 000; backslash escapes and `%%` as curl reads them."""
    values = {"http_code": "000", "response_code": "000", "exitcode": str(code),
              "errormsg": errormsg, "url": url, "url_effective": url, "num_connects": "0",
              "size_download": "0", "size_upload": "0", "http_version": "0"}
    out, i = [], 0
    while i < len(template):
        ch = template[i]
        if ch == "%" and template.startswith("%{", i) and "}" in template[i:]:
            end = template.index("}", i)
            out.append(values.get(template[i + 2:end], ""))
            i = end + 1
            continue
        if ch == "%" and template.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        if ch == "\\" and i + 1 < len(template) and template[i + 1] in "nrt\\":
            out.append({"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}[template[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
