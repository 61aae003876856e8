"""GNU Wget 1.21 (Debian 12) as far as a host without listeners takes it: each URL is
announced with the clock (`--2026-11-28 06:03:29--  http://10.18.0.2/`), connected
in the namespace, and the failure reported as src/connect.c and src/retr.c do
(`Connecting to 10.18.0.2:80... failed: Connection refused.`). A refused connect, an
unreachable host or network ends the URL at once; a timed-out one is retried
(--tries, 20 by default), waiting 1, 2, ... up to --waitretry (10) seconds between the
tries, then `Giving up.`. Exit status 4 (network failure). -q prints nothing.
"""
from __future__ import annotations

import time

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.process import Process
from ipemu.tools.context import ToolContext
from ipemu.tools.curl import option_words, proxy_for, proxy_target, split_url, url_error

WITH_VALUE = {"-O", "--output-document", "-o", "--output-file", "-a", "--append-output",
              "-t", "--tries", "-T", "--timeout", "--connect-timeout", "-w", "--wait",
              "--waitretry", "-P", "--directory-prefix", "-U", "--user-agent", "--header",
              "-e", "--execute", "-i", "--input-file", "--user", "--password",
              "--post-data", "--method", "--body-data", "-l", "--level", "-A", "--accept",
              "-R", "--reject", "-D", "--domains", "--bind-address", "--limit-rate",
              "-Q", "--quota", "--dns-timeout", "--read-timeout", "--referer",
              "--http-user", "--http-password"}
SHORT_VALUE = set("OoatTwPUeilARDQ")
EXIT_NETWORK = 4


def _bar(name: str, size: int) -> str:
    """progress.c create_image() on an 80-column terminal: the name in a quarter of
    it, the percentage, a 20-cell bar, the size, the rate and the ETA; drawn at 0%
    and redrawn when done."""
    shown = name if len(name) <= 20 else name[:20]
    first = f"{shown:<20}  0%[{' ' * 20}]{0:>8}  --.-KB/s{' ' * 15}"
    last = f"{shown:<20}100%[{'=' * 19}>]{size:>8}  --.-KB/s    in 0s      "
    return f"\r{first}\r{last}\n\n"


def _rate(bps: float) -> str:
    """retr_rate(): B/s, KB/s, MB/s, GB/s with 2, 1 or 0 decimals."""
    units = ("B/s", "KB/s", "MB/s", "GB/s")
    i = 0
    while bps >= 1024 and i < 3:
        bps /= 1024
        i += 1
    digits = 0 if bps >= 99.95 else 1 if bps >= 9.995 else 2
    return f"{bps:.{digits}f} {units[i]}"


def request_headers(opts: Options, hostport: str, userinfo: str,
                    post: str | None) -> list[tuple[str, str]]:
    """http.c gethttp()'s request_set_header() calls, in the order request_write()
    sends them (recorded: Host, Referer, User-Agent, Accept, Accept-Encoding,
    Authorization, Connection, Content-Type, Content-Length, then --header's lines).
    Basic credentials go out unasked only with --auth-no-challenge
    (maybe_send_basic_creds(): else wget waits for the server's challenge), from the
    URL's user:password first, else --user/--password; --header replaces a line of
    the same name where it stands (request_set_user_header()), an empty value
    removes it, -U '' sends none."""
    import base64
    from urllib.parse import unquote
    user, password = opts.user, opts.password
    if userinfo:
        name, colon, secret = userinfo.partition(":")
        user, password = unquote(name), unquote(secret) if colon else password
    headers = [("Host", hostport)]
    if opts.referer:
        headers.append(("Referer", opts.referer))
    agent = "Wget/1.21.3" if opts.user_agent is None else opts.user_agent
    if agent:
        headers.append(("User-Agent", agent))
    headers += [("Accept", "*/*"), ("Accept-Encoding", "identity")]
    if user and password is not None and opts.auth_no_challenge:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers.append(("Authorization", f"Basic {token}"))
    headers.append(("Connection", "Keep-Alive" if opts.keep_alive else "Close"))
    if post is not None:
        headers += [("Content-Type", "application/x-www-form-urlencoded"),
                    ("Content-Length", str(len(post.encode())))]
    for line in opts.headers:
        name, colon, value = line.partition(":")
        if not colon:
            continue
        name, value = name.strip(), value.strip()
        at = [i for i, (n, _) in enumerate(headers) if n.lower() == name.lower()]
        if at and value:
            headers[at[0]] = (headers[at[0]][0], value)
        elif at:
            del headers[at[0]]
        elif value:
            headers.append((name, value))
    return headers



_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

class Options:
    def __init__(self) -> None:
        self.quiet = False
        self.tries = 20
        self.connect_timeout = 0.0
        self.waitretry = 10.0
        self.family = 0
        self.urls: list[str] = []
        self.spider = False
        self.terse = False       # -nv: only what LOG_NOTQUIET prints
        self.output_document: str | None = None
        self.version = False
        self.retry_connrefused = False
        self.server_response = False     # -S: the response's lines, always shown
        self.post_data: str | None = None    # --post-data: a POST with this body
        self.bad_time: str | None = None     # cmd_time()'s complaint, if any
        self.user: str | None = None         # --user, --http-user
        self.password: str | None = None     # --password, --http-password
        self.auth_no_challenge = False       # --auth-no-challenge: Basic at once
        self.user_agent: str | None = None   # -U ("": no User-Agent line)
        self.referer: str | None = None      # --referer
        self.headers: list[str] = []         # --header, as given
        self.keep_alive = True               # --no-http-keep-alive: Connection: Close
        self.http_proxy: str | None = None   # -e http_proxy=URL (a wgetrc command)
        self.use_proxy = True                # -e use_proxy=off / --no-proxy


def _time(name: str, value: str) -> float | None:
    """init.c cmd_time(): a decimal number of seconds with an optional unit letter
    (s, m, h, d); None when it is not one."""
    text = value.strip()
    scale = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(text[-1:].lower(), 0)
    if scale:
        text = text[:-1].rstrip()
    try:
        number = float(text)
    except ValueError:
        return None
    return number * (scale or 1)


def _number(value: str, default: float) -> float:
    try:
        return float(value)
    except ValueError:
        return default


def _set(opts: Options, name: str, value: str) -> None:
    if name in ("-q", "--quiet"):
        opts.quiet = True
    elif name in ("-v", "--verbose"):
        opts.quiet = opts.terse = False
    elif name in ("-nv", "--no-verbose"):
        opts.terse = True
    elif name in ("-t", "--tries"):
        tries = int(_number(value, 20))
        opts.tries = tries if tries > 0 else 0       # 0 or inf: try forever
        if value in ("inf", "0"):
            opts.tries = 0
    elif name in ("-T", "--timeout", "--connect-timeout", "--waitretry", "--dns-timeout",
                  "--read-timeout", "-w", "--wait"):
        seconds = _time(name, value)
        if seconds is None:
            if opts.bad_time is None:
                opts.bad_time = f"wget: {name}: Invalid time period \u2018{value}\u2019\n"
        elif name == "--waitretry":
            opts.waitretry = seconds
        elif name in ("-T", "--timeout", "--connect-timeout"):
            opts.connect_timeout = seconds
    elif name == "--retry-connrefused":
        opts.retry_connrefused = True
    elif name in ("-S", "--server-response"):
        opts.server_response = True
    elif name == "--post-data":
        opts.post_data = value
    elif name in ("--user", "--http-user"):
        opts.user = value
    elif name in ("--password", "--http-password"):
        opts.password = value
    elif name == "--auth-no-challenge":
        opts.auth_no_challenge = True
    elif name in ("-U", "--user-agent"):
        opts.user_agent = value
    elif name == "--referer":
        opts.referer = value
    elif name == "--header":
        opts.headers.append(value)
    elif name == "--no-http-keep-alive":
        opts.keep_alive = False
    elif name == "--no-proxy":
        opts.use_proxy = False
    elif name in ("-e", "--execute"):
        # init.c run_command(): a wgetrc line; the proxy ones here
        key, _, value = value.partition("=")
        key = key.strip().lower().replace("_", "").replace("-", "")
        if key == "httpproxy":
            opts.http_proxy = value.strip()
        elif key == "useproxy":
            opts.use_proxy = value.strip().lower() in ("on", "yes", "1")
    elif name in ("-O", "--output-document"):
        opts.output_document = value
    elif name == "--spider":
        opts.spider = True
    elif name in ("-V", "--version"):
        opts.version = True
    elif name in ("-4", "--inet4-only"):
        opts.family = 4
    elif name in ("-6", "--inet6-only"):
        opts.family = 6


def _parse(argv: list[str]) -> Options:
    opts = Options()
    pairs, opts.urls = option_words(argv[1:], WITH_VALUE, SHORT_VALUE,
                                    whole=("-nv", "-nc", "-nd", "-nH", "-np"))
    for name, value in pairs:
        _set(opts, name, value)
    return opts


def main(ctx: ToolContext, argv: list[str]):
    opts = _parse(argv)
    if opts.bad_time:
        # main.c: a bad value ends wget before any URL (status 2, WGET_EXIT_PARSE_ERROR)
        raise CommandError(opts.bad_time, 2)
    if opts.version:
        ctx.term.out(ctx.profile["wget_version"])
        return 0
    if opts.urls and opts.output_document not in (None, "-"):
        # main.c opens -O's file before the first retrieval: it is there (empty)
        # even when every connect fails
        try:
            ctx.session.write_file(opts.output_document, b"")
        except OSError as err:
            raise CommandError(f"{opts.output_document}: {err.strerror}\n", 1)
    if not opts.urls:
        raise CommandError("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\n"
                           "Try `wget --help' for more options.\n", 1)
    return WgetProcess(ctx, opts).start()


class WgetProcess(Process):
    """retrieve_url() for each URL: tries, each a connect that waits in virtual time."""

    def __init__(self, ctx: ToolContext, opts: Options):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.opts = opts
        self.index = 0
        self.count = 0           # the try of the current URL
        self.url = ""
        self.target = ("", None, 0)
        self.proxy = None         # the proxy the URL goes through, if any
        self.sock = None
        self.timer = None
        self.failed = False
        self.parse_failed = False
        self.server_error = False     # an HTTP error status (exit 8, WGET_EXIT_SERVER_ERROR)
        self.started = 0.0
        self.response = bytearray()

    def start(self) -> "WgetProcess":
        if self.opts.spider:
            # main(): announced once, before the first URL
            self.say("Spider mode enabled. Check if remote file exists.\n")
        self.next_url()
        return self

    def say(self, text: str, verbose: bool = False) -> None:
        """logprintf(): LOG_VERBOSE lines are left out by -nv, everything by -q."""
        if not self.opts.quiet and not (verbose and self.opts.terse):
            self.term.err(text)

    def _clock(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.host.clock.wall))

    def next_url(self) -> None:
        if self.done:
            return
        if self.index >= len(self.opts.urls):
            # the lowest-numbered error wins: a URL it could not parse (1) over a
            # network failure (4)
            self.exit(1 if self.parse_failed else EXIT_NETWORK if self.failed else
                      8 if self.server_error else 0)
            return
        url = self.opts.urls[self.index]
        self.index += 1
        parts = split_url(url)
        if parts is None or url_error(url) is not None:
            self.say(f"{url}: {url_error(url)}.\n")
            self.parse_failed = True
            self.next_url()
            return
        scheme, host, port = parts
        if "://" not in url:
            url = f"http://{url}"
        # url.c url_parse(): the host lowercased (ASCII), then, as an IRI, encoded by
        # idn_encode() (libidn2's UTS #46 mapping); a changed host rebuilds the URL
        # the log shows (recorded: http://LOCALHOST:1/ and http://ｌｏｃａｌｈｏｓｔ:1/
        # are both --DATE--  http://localhost:1/)
        new_host = host.translate(_ASCII_LOWER)
        if not new_host.isascii():
            from ipemu.tools.resolver import ResolveError, idna_to_dns_encoding
            try:
                new_host = idna_to_dns_encoding(new_host)
            except ResolveError:
                pass
        if new_host != host:
            scheme_part, _, rest = url.partition("://")
            authority, slash, path = rest.partition("/")
            userinfo, at, hostport = authority.rpartition("@")
            hostport = hostport.replace(host, new_host, 1)
            url = f"{scheme_part}://{userinfo}{at}{hostport}{slash}{path}"
            host = new_host
        if url.count("/") == 2:
            url += "/"               # url_string(): the path is at least "/"
        self.url = url
        self.count = 0
        # retr.c getproxy(): the environment's http_proxy (no_proxy's hosts direct)
        self.proxy = proxy_for(self.ctx, scheme, host, self.opts.http_proxy,
                               wget=True) if self.opts.use_proxy else None
        if self.proxy and proxy_target(self.proxy) is not None:
            host, port = proxy_target(self.proxy)
        self.target = (host, None, port)
        self.try_url()

    def try_url(self) -> None:
        """One try: the `--DATE--  URL` line, the name, then the connect."""
        self.timer = None
        self.count += 1
        tries = f"(try:{self.count:2d})  " if self.count > 1 else ""
        self.say(f"--{self._clock()}--  {tries}{self.url}\n", verbose=True)
        host, address, port = self.target
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        try:
            address = getaddrinfo(self.ctx.session, host, self.opts.family)
        except ResolveError as err:
            from ipemu.tools.resolver import EAI_AGAIN, ForwardLookup
            if err.text == EAI_AGAIN and ForwardLookup.needed_for(self.ctx, host):
                # host.c lookup_host(): the line is out, getaddrinfo() waits for the
                # recording host's nameserver (10 s behind a gateway that does not
                # forward), then the rest of it
                self.say(f"Resolving {host} ({host})... ", verbose=True)
                self.resolving = (host, err.text)
                self.lookup = ForwardLookup(self.ctx, host, self, "_resolve_failed")
                self.lookup.start()
                return
            # lookup_host(): "Resolving" and "failed" are LOG_VERBOSE (-nv leaves them
            # out), the complaint LOG_NOTQUIET
            self.say(f"Resolving {host} ({host})... failed: {err.text}.\n", verbose=True)
            self.say(f"wget: unable to resolve host address \u2018{host}\u2019\n")
            self.failed = True
            self.next_url()
            return
        shown = f"[{address}]" if address.version == 6 else str(address)
        literal = host.strip("[]") == str(address)
        if literal:
            self.say(f"Connecting to {shown}:{port}... ", verbose=True)
        else:
            self.say(f"Resolving {host} ({host})... {address}\n"
                     f"Connecting to {host} ({host})|{address}|:{port}... ", verbose=True)
        self.target = (host, address, port)
        from ipemu.kernel.tcp import tcp_of
        try:
            self.sock = tcp_of(self.ctx.netns.stack).connect(address, port, owner=self)
        except KernelError as err:
            self._failed(err.errno)
            return
        if self.opts.connect_timeout:
            self.timer = self.host.clock.call_later(self.opts.connect_timeout, self,
                                                    "timed_out")

    def tcp_connect_done(self, sock) -> None:
        if sock is not self.sock or self.done:
            return
        self.host.clock.cancel(self.timer)
        self.timer = None
        if sock.connected:
            self._request(sock)
            return
        self.sock = None
        self._failed(sock.err)

    # ------------------------------------------------------ the HTTP transfer
    def _request(self, sock) -> None:
        """http.c gethttp(): the request wget sends once connected."""
        self.say("connected.\n", verbose=True)
        rest = self.url.partition("://")[2]
        authority, _, path = rest.partition("/")
        userinfo, _, hostport = authority.rpartition("@")
        target = f"/{path.split('#', 1)[0]}"
        if self.proxy:
            # through a proxy the request names the absolute URL (gethttp())
            target = f"{self.url.partition('://')[0]}://{hostport}{target}"
        # --spider asks with HEAD (http_loop()'s send_head_first), --post-data POSTs
        post = self.opts.post_data
        method = "HEAD" if self.opts.spider else "POST" if post is not None else "GET"
        headers = request_headers(self.opts, hostport, userinfo, post)
        lines = [f"{method} {target} HTTP/1.1"]
        if self.proxy:
            headers.append(("Proxy-Connection", "Keep-Alive"))
        lines += [f"{name}: {value}" for name, value in headers]
        lines.append("")
        self.response = bytearray()
        self.started = self.host.clock.now
        # request_send() writes the head; post_file()/the body data is its own write
        sock.send(("\r\n".join(lines) + "\r\n").encode())
        if post:
            sock.send(post.encode())

    def _sent_word(self) -> str:
        """http.c gethttp(): `Proxy request sent` through a proxy, else HTTP."""
        return "Proxy" if self.proxy else "HTTP"

    def tcp_data(self, sock) -> None:
        if sock is not self.sock or self.done:
            return
        self.response += sock.read()
        head, sep, _ = bytes(self.response).partition(b"\r\n\r\n")
        status = head.split(b" ", 2)
        failed = sep and not (len(status) > 1 and status[1][:1] == b"2")
        if failed and b"\nconnection: close" in head.lower() and \
                (sock.fin_rcvd or sock.state == 7):
            # gethttp(): an error reply on a connection that will not be kept is
            # not read (CLOSE_INVALIDATE): closing with its body unread resets it
            # (by then the whole reply is in, as recorded)
            self.sock = None
            sock.abort()
            self._response(bytes(self.response))
        elif sock.fin_rcvd or sock.state == 7:
            self.sock = None
            sock.close()
            self._response(bytes(self.response))

    def _response(self, data: bytes) -> None:
        """The status line, then the body saved (2xx) or `ERROR N: TEXT.` (exit 8)."""
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = lines[0].split(None, 2)
        code = int(status[1]) if len(status) > 1 and status[1].isdigit() else 0
        phrase = status[2] if len(status) > 2 else ""
        if self.opts.server_response:
            # http.c gethttp(): the status left for print_server_response(), whose
            # lines are LOG_ALWAYS (-q shows them too), each after two blanks
            self.say(f"{self._sent_word()} request sent, awaiting response... \n",
                     verbose=True)
            self.term.err("".join(f"  {line}\n" for line in lines if line))
        else:
            self.say(f"{self._sent_word()} request sent, awaiting response... {code} "
                     f"{phrase}\n",
                     verbose=True)
        if not 200 <= code < 300:
            self.say(f"{self._clock()} ERROR {code}: {phrase}.\n\n")
            self.server_error = True
            self.next_url()
            return
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in lines[1:])}
        ctype = headers.get("content-type", "").split(";")[0]
        length = headers.get("content-length", str(len(body)))
        self.say(f"Length: {length} [{ctype}]\n" if ctype else
                 f"Length: {length}\n", verbose=True)
        if self.opts.spider:
            # http_loop(): nothing retrieved without -r
            self.say("Remote file exists and could contain further links,\nbut recursion "
                     "is disabled -- not retrieving.\n\n" if ctype == "text/html" else
                     "Remote file exists.\n\n", verbose=True)
            self.next_url()
            return
        name = self._output_name()
        if name == "-":
            self.say("Saving to: \u2018STDOUT\u2019\n\n", verbose=True)
            self.term.out(body.decode("utf-8", "replace"))
        else:
            self.say(f"Saving to: \u2018{name}\u2019\n\n", verbose=True)
            fs = self.ctx.session.fs
            try:
                fs.write(fs.resolve(name, self.ctx.session.cwd), body)
            except OSError:
                pass
        if getattr(self.ctx.session, "stdout_tty", False):
            self.say(_bar(name if name != "-" else "-", len(body)), verbose=True)
        elapsed = max(self.host.clock.now - self.started, 1e-6)
        self.say(f"{self._clock()} ({_rate(len(body) / elapsed)}) - "
                 f"\u2018{name if name != '-' else '-'}\u2019 saved "
                 f"[{len(body)}/{len(body)}]\n\n", verbose=True)
        self.next_url()

    def _output_name(self) -> str:
        """-O FILE (or -), else url_file_name(): the path's last part (index.html for
        a directory), `.N` added while the name is taken (no -nc)."""
        if self.opts.output_document is not None:
            return self.opts.output_document
        path = self.url.partition("://")[2].partition("/")[2].split("?", 1)[0]
        name = path.rpartition("/")[2] or "index.html"
        fs = self.ctx.session.fs
        cwd = self.ctx.session.cwd
        candidate, n = name, 0
        while fs.exists(fs.resolve(candidate, cwd)):
            n += 1
            candidate = f"{name}.{n}"
        return candidate

    def timed_out(self) -> None:
        """connect_with_timeout(): its alarm ends the connect as ETIMEDOUT."""
        self.timer = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        self._failed(Errno.ETIMEDOUT)

    def _failed(self, errno: int) -> None:
        """retr.c: refused and unreachable are final (CONREFUSED, CONERROR with those
        errnos); anything else is retried after a growing wait."""
        from ipemu.tools.rtnl import strerror
        self.say(f"failed: {strerror(errno)}.\n")
        # connect.c retryable_socket_connect_error(): these three are retried only
        # with --retry-connrefused; EINVAL ("older versions of Linux and BSD used
        # EINVAL instead of EAFNOSUPPORT") and the family errors never (recorded: a
        # link-local URL without its zone, tutorials39_djoproject_wget_ss_lla)
        final = errno in (Errno.ECONNREFUSED, Errno.EHOSTUNREACH, Errno.ENETUNREACH) \
            and not self.opts.retry_connrefused or \
            errno in (Errno.EINVAL, Errno.EAFNOSUPPORT, Errno.EPROTONOSUPPORT)
        if final:
            self.failed = True
            self.next_url()
            return
        if self.opts.tries and self.count >= self.opts.tries:
            self.say("Giving up.\n\n", verbose=True)
            self.failed = True
            self.next_url()
            return
        self.say("Retrying.\n\n", verbose=True)
        # sleep_between_retrievals(): 1, 2, ... seconds, at most --waitretry
        wait = min(float(self.count), self.opts.waitretry)
        self.timer = self.host.clock.call_later(wait, self, "try_url")

    lookup = None       # a name lookup under way

    def _resolve_failed(self, _name) -> None:
        self.lookup = None
        host, text = self.resolving
        self.say(f"failed: {text}.\n", verbose=True)
        self.say(f"wget: unable to resolve host address \u2018{host}\u2019\n")
        self.failed = True
        self.next_url()

    def cleanup(self) -> None:
        self.host.clock.cancel(self.timer)
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def blocked(self) -> bool:
        return False
