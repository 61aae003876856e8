"""curl 7.88 (Debian 12): the URL's host is resolved, a TCP connect is made in the
namespace; an http:// transfer to a listener (python3 -m http.server) sends its GET or
HEAD and writes the response (the body, -I's headers, -v's trace, -o, -w). When the
connect fails curl says so as lib/connect.c and src/tool_operate.c do:
`curl: (7) Failed to connect to HOST port PORT after N ms: Couldn't connect to server`,
exit 7; a name that does not resolve is `(6) Could not resolve host: NAME`; -m and
--connect-timeout end the wait with 28. -s hides the message, -S shows it again.
"""
from __future__ import annotations

import re

from ipemu.errors import CommandError
from ipemu.kernel.errors import KernelError
from ipemu.process import Process
from ipemu.tools.context import ToolContext

# options that take a value (curl's long names and their short letters)
WITH_VALUE = {"-o", "--output", "-m", "--max-time", "--connect-timeout", "-H", "--header",
              "-X", "--request", "-d", "--data", "--data-raw", "--data-binary", "-A",
              "--data-urlencode", "--data-ascii",
              "--user-agent", "-u", "--user", "-w", "--write-out", "-e", "--referer",
              "-x", "--proxy", "-b", "--cookie", "-c", "--cookie-jar", "-T",
              "--upload-file", "-F", "--form", "-r", "--range", "--retry", "--resolve",
              "--interface", "-K", "--config", "--cacert", "-E", "--cert", "--key",
              "--limit-rate", "-Y", "--speed-limit", "-y", "--speed-time", "-z",
              "--time-cond", "--max-redirs", "--url", "--local-port", "--retry-delay",
              "--retry-max-time", "-D", "--dump-header", "--json", "--noproxy"}
SHORT_VALUE = set("omHXdAuwexbcTFrKEYyzD")
SCHEME_PORTS = {"http": 80, "https": 443, "ftp": 21, "ftps": 990, "gopher": 70,
                "telnet": 23, "dict": 2628, "ldap": 389, "imap": 143, "pop3": 110,
                "smtp": 25, "rtsp": 554, "scp": 22, "sftp": 22, "mqtt": 1883,
                "gophers": 70, "imaps": 993, "ldaps": 636, "pop3s": 995, "rtmp": 1935,
                "smb": 445, "smbs": 445, "smtps": 465}
FOLLOW_GAP = 0.0005     # -L: from one response's end to the next connect (seconds)
# the rest of Debian 12's `Protocols:` line (not a TCP connect)
OTHER_SCHEMES = {"file", "tftp"}


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
        self.retry = 0
        self.retry_delay = 0         # seconds; 0: the default 1 s, doubled each time
        self.retry_max_time = 0
        self.retry_connrefused = False
        self.retry_all_errors = False
        self.no_progress_meter = False
        self.head = False            # -I: a HEAD request, the headers shown
        self.method = ""             # -X
        self.location = False        # -L: follow redirects
        self.fail = False            # -f: an HTTP error is an error (22)
        self.include = False         # -i: the headers before the body
        self.data: list[str] = []    # -d and its kin: a POST's body, the parts joined by &
        self.headers: list[str] = [] # -H, as given
        self.user: str | None = None     # -u USER:PASSWORD
        self.user_agent: str | None = None   # -A
        self.referer: str | None = None      # -e
        self.cookies: list[str] = []         # -b NAME=VALUE (a string, not a file)
        self.upload: str | None = None       # -T FILE: a PUT of the file
        self.interface: str | None = None    # --interface NAME (SO_BINDTODEVICE)
        self.globoff = False                 # -g: no [N-M] / {a,b} in URLs
        self.dump_header: str | None = None  # -D FILE
        self.get = False                     # -G: the data as the URL's query
        self.json = False                    # --json: JSON's two headers
        self.resolve: dict = {}              # --resolve HOST:PORT:ADDR
        self.proxy: str | None = None        # -x URL: an HTTP proxy
        self.noproxy: str | None = None      # --noproxy LIST
        self.url_globs: list = []            # each URL's glob texts (-o's #N)
        self.glob_error: tuple | None = None  # (URL, reason, position) of a bad glob
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


def _unsigned(name: str, value: str) -> int:
    """tool_paramhlp.c str2unum(): digits, or the option's error (status 2)."""
    text = value.strip()
    if text.startswith("-") and text[1:].isdigit():
        why = "expected a positive numerical parameter"      # PARAM_NEGATIVE_NUMERIC
    elif text.lstrip("+").isdigit():
        return int(text)
    else:
        why = "expected a proper numerical parameter"        # PARAM_BAD_NUMERIC
    raise CommandError(f"curl: option {name}: {why}\ncurl: try 'curl --help' or "
                       "'curl --manual' for more information\n", 2)


def _parse(argv: list[str]) -> Options:
    opts = Options()
    pairs, opts.urls = option_words(argv[1:], WITH_VALUE, SHORT_VALUE)
    for name, value in pairs:
        if name.startswith("--"):
            _long(opts, name, value)
        else:
            _short(opts, name[1], value)
    if not opts.globoff:
        for url in opts.urls:
            problem = glob_error(url)
            if problem is not None:
                opts.glob_error = (url, *problem)
                opts.urls = opts.urls[:opts.urls.index(url)]
                break
        expanded = [glob_url(url) for url in opts.urls]
        opts.urls = [url for each in expanded for url, _ in each]
        opts.url_globs = [texts for each in expanded for _, texts in each]
    return opts


_GLOB = re.compile(r"(?a)\[(?:(\d+)-(\d+)|([a-zA-Z])-([a-zA-Z]))(?::(\d+))?\]|\{([^{}\[\]]*)\}")


def glob_error(url: str) -> tuple[str, int] | None:
    """tool_urlglob.c glob_parse()'s refusals: a range backwards (`[3-1]`), a `[`
    that is neither a range nor an IPv6 address (peek_ipv6()), a `{` never closed;
    (the reason, the 1-based position curl names: recorded for an open `[` at the
    end, `bad range specification in URL position 30` past the 29th character)."""
    pos = 0
    while pos < len(url):
        ch = url[pos]
        if ch == "{":
            end = url.find("}", pos)
            if end < 0:
                return "unmatched brace", len(url) + 1
            pos = end + 1
            continue
        if ch == "[":
            m = _GLOB.match(url, pos)
            if m is not None:
                lo, hi, clo, chi = m.group(1, 2, 3, 4)
                if (lo is not None and int(lo) > int(hi)) or \
                        (clo is not None and clo > chi):
                    return "bad range", m.end() + 1
                pos = m.end()
                continue
            ipv6 = re.match(r"\[[0-9a-fA-F:.]+(?:%[^\]]+)?\]", url[pos:])
            if ipv6 is not None and ":" in ipv6.group(0):
                pos += ipv6.end()
                continue
            return "bad range specification", len(url) + 1
        pos += 1
    return None


def glob_url(url: str) -> list[tuple[str, list[str]]]:
    """tool_urlglob.c: `[1-3]`, `[01-10]` (zero padded), `[a-z]`, a `:step`, and
    `{one,two}` sets, each a list the URLs walk with the last one fastest; the
    texts matched are what -o's `#1`, `#2` name. An IPv6 address's brackets are not
    a range (peek_ipv6())."""
    parts: list = []
    pos = 0
    for m in _GLOB.finditer(url):
        parts.append([url[pos:m.start()]])
        lo, hi, clo, chi, step, items = m.groups()
        stride = int(step) if step else 1
        if items is not None:
            parts.append(items.split(","))
        elif lo is not None:
            width = len(lo) if lo.startswith("0") and len(lo) > 1 else 0
            parts.append([str(n).zfill(width) for n in range(int(lo), int(hi) + 1, stride)])
        else:
            parts.append([chr(c) for c in range(ord(clo), ord(chi) + 1, stride)])
        pos = m.end()
    if not parts:
        return [(url, [])]
    parts.append([url[pos:]])
    out = [("", [])]
    for i, choices in enumerate(parts):
        glob = i % 2 == 1
        out = [(text + c, texts + ([c] if glob else [])) for text, texts in out
               for c in choices]
    return out


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
    elif ch == "I":
        opts.head = True
    elif ch == "X":
        opts.method = value
    elif ch == "L":
        opts.location = True
    elif ch == "f":
        opts.fail = True
    elif ch == "i":
        opts.include = True
    elif ch == "d":
        # tool_getparam.c: `@FILE` (`@-` stdin) is read, its CR and LF dropped
        opts.data.append(("ascii", value[1:]) if value.startswith("@") else value)
    elif ch == "G":
        opts.get = True
    elif ch == "H":
        opts.headers.append(value)
    elif ch == "u":
        opts.user = value
    elif ch == "A":
        opts.user_agent = value
    elif ch == "e":
        opts.referer = value
    elif ch == "T":
        opts.upload = value
    elif ch == "g":
        opts.globoff = True
    elif ch == "D":
        opts.dump_header = value
    elif ch == "x":
        opts.proxy = value
    elif ch == "b" and "=" in value:
        # tool_getparam.c: a value with '=' is cookie data; else a file to read
        opts.cookies.append(value)


def _long(opts: Options, name: str, value: str) -> None:
    if name == "--url":
        opts.urls.append(value)
    elif name in ("--data", "--data-ascii"):
        _short(opts, "d", value)
    elif name == "--data-raw":
        opts.data.append(value)                  # no @ read
    elif name in ("--data-binary", "--json"):
        # the file as it is; --json is --data-binary with its headers
        opts.data.append(("binary", value[1:]) if value.startswith("@") else value)
        opts.json = opts.json or name == "--json"
    elif name == "--data-urlencode":
        opts.data.append(_urlencoded(value))
    elif name == "--connect-timeout":
        opts.connect_timeout = _seconds(value)
    elif name == "--retry":
        opts.retry = _unsigned(name, value)
    elif name == "--retry-delay":
        opts.retry_delay = _unsigned(name, value)
    elif name == "--retry-max-time":
        opts.retry_max_time = _unsigned(name, value)
    elif name in ("--retry-connrefused", "--retry-all-errors", "--no-progress-meter"):
        setattr(opts, name[2:].replace("-", "_"), True)
    elif name == "--interface":
        opts.interface = value
    elif name == "--noproxy":
        opts.noproxy = value
    elif name == "--resolve":
        # tool_getparam.c: HOST:PORT:ADDRESS, kept in the DNS cache before the lookup
        host, _, rest = value.partition(":")
        port, _, address = rest.partition(":")
        if port.isdigit() and address:
            opts.resolve[(host.lower(), int(port))] = address.strip("[]")
    elif name == "--local-port":
        # tool_getparam.c: NUM or NUM-NUM; lib/cf-socket.c bindlocal() binds the
        # first port of the range that is free (a fresh namespace: the first)
        first, _, last = value.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise CommandError(f"curl: option {name}: is badly used here\ncurl: try "
                               "'curl --help' or 'curl --manual' for more information\n", 2)
        opts.local_port = int(first) if 0 < int(first) < 65536 else 0
    else:
        short = {"--silent": "s", "--show-error": "S", "--verbose": "v", "--max-time": "m",
                 "--ipv4": "4", "--ipv6": "6", "--output": "o",
                 "--remote-name": "O", "--write-out": "w", "--version": "V",
                 "--head": "I", "--include": "i", "--request": "X", "--location": "L",
                 "--header": "H", "--user": "u", "--user-agent": "A",
                 "--referer": "e", "--cookie": "b", "--upload-file": "T",
                 "--globoff": "g", "--proxy": "x", "--dump-header": "D",
                 "--get": "G",
                 "--fail": "f"}.get(name)
        if short:
            _short(opts, short, value)


def custom_headers(given: list[str]) -> tuple[list[str], set]:
    """-H's lines as lib/http.c Curl_add_custom_headers() sends them, after curl's own
    (`Name:` with no value only removes curl's, `Name;` sends it empty), and the
    names (lowercase) that replace curl's defaults (Curl_checkheaders())."""
    lines, named = [], set()
    for header in given:
        name, colon, value = header.partition(":")
        if not colon:
            if header.endswith(";"):
                lines.append(header[:-1] + ":")
                named.add(header[:-1].strip().lower())
            continue
        named.add(name.strip().lower())
        if value.strip():
            lines.append(header)
    return lines, named


def _urlencoded(value: str) -> str:
    """tool_getparam.c data_urlencode(): `content` whole, `=content` and `name=content`
    with the content percent-encoded (curl_easy_escape(): all but unreserved)."""
    from urllib.parse import quote
    name, eq, content = value.partition("=")
    if not eq:
        return quote(value, safe="-._~")
    return (f"{name}=" if name else "") + quote(content, safe="-._~")


def proxy_for(ctx: ToolContext, scheme: str, host: str, given: str | None = None,
              noproxy: str | None = None, wget: bool = False,
              verbose=None) -> str | None:
    """lib/url.c detect_proxy(): -x's proxy, else the environment's for the scheme
    (`http_proxy` in lower case only, a CGI's HTTP_PROXY being the client's input;
    `https_proxy`/`HTTPS_PROXY`, then `all_proxy`/`ALL_PROXY`); none when the host is
    in --noproxy's list, else no_proxy's/NO_PROXY's (`*`, a name or a domain suffix;
    recorded: `http_proxy=...` sends the absolute URL to the proxy, HTTP_PROXY is
    ignored, no_proxy and --noproxy '*' go direct). `wget`: wget's getproxy() and
    no_proxy_match(): http_proxy and no_proxy, lower case only (recorded: NO_PROXY
    ignored)."""
    from ipemu.tools.xargs import environment
    env = environment(ctx)
    skip = noproxy if noproxy is not None else env.get("no_proxy") if wget else \
        env.get("no_proxy", env.get("NO_PROXY"))
    if skip:
        name = host.strip("[]").lower()
        for entry in re.split(r"(?a)[,\s]+", skip.strip()):
            entry = entry.lstrip(".").lower()
            if entry == "*" or entry and (name == entry or name.endswith("." + entry)):
                return None
    if given:
        return given
    names = ["http_proxy"] if scheme == "http" else [f"{scheme}_proxy",
                                                     f"{scheme.upper()}_PROXY"]
    for key in names + ([] if wget else ["all_proxy", "ALL_PROXY"]):
        if env.get(key):
            if verbose is not None:
                # lib/url.c detect_proxy()'s infof()
                verbose(f"* Uses proxy env variable {key} == '{env[key]}'\n")
            return env[key]
    return None


def proxy_target(proxy: str) -> tuple[str, int] | None:
    """The proxy's host and port (1080 unless given: CURL_DEFAULT_PROXY_PORT)."""
    proxy = proxy if "://" in proxy else "http://" + proxy
    authority = proxy.partition("://")[2].split("/", 1)[0].rpartition("@")[2]
    parts = split_url(proxy)
    if parts is None:
        return None
    _, host, port = parts
    has_port = "]:" in authority if authority.startswith("[") else ":" in authority
    return host, port if has_port else 1080


def _url_user(userinfo: str) -> str:
    """The URL's `user:password@` (Curl_parse_login_details(), each part
    percent-decoded); a user without a password sends an empty one."""
    from urllib.parse import unquote
    name, _, password = userinfo.partition(":")
    return f"{unquote(name)}:{unquote(password)}"


def split_url(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL (http when no scheme is given, as curl guesses);
    None for one without a host or with a port beyond 65535."""
    parts = _split(url)
    if parts is None or parts[2] > 65535 or not parts[1]:
        return None
    return parts


def url_error(url: str) -> str | None:
    """What wget's url_parse() says of a URL it cannot use (url.c's parse errors)."""
    parts = _split(url)
    if parts is None or parts[2] > 65535:
        return "Bad port number"
    if not parts[1]:
        return "Invalid host name"
    if _bracketed(url) and not _ipv6_numeric(parts[1]):
        # url.c is_valid_ipv6_address(): no zone, only the numeric form
        return "Invalid IPv6 numeric address"
    return None


def _bracketed(url: str) -> bool:
    rest = url.partition("://")[2] if "://" in url else url
    return rest.rpartition("@")[2].startswith("[")


def _ipv6_numeric(host: str) -> bool:
    import ipaddress
    try:
        return "%" not in host and ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


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
    if opts.glob_error is not None and not opts.urls:
        # the URL's glob is refused before any transfer: CURLE_URL_MALFORMAT
        url, reason, pos = opts.glob_error
        if not opts.silent or opts.show_error:
            ctx.term.err(f"curl: (3) {reason} in URL position {pos}:\n{url}\n"
                         f"{' ' * (pos - 1)}^\n")
        return 3
    if opts.upload is not None and ctx.session.read_text(
            ctx.session.fs.resolve(opts.upload, ctx.session.cwd)) is None:
        # tool_operate.c: the upload file is opened first (helpf() even under -s)
        raise CommandError(f"curl: Can't open '{opts.upload}'!\ncurl: try 'curl --help' "
                           "or 'curl --manual' for more information\n", 26)
    for item in opts.data:
        if not isinstance(item, str) and item[1] != "-" and ctx.session.read_text(
                ctx.session.fs.resolve(item[1], ctx.session.cwd)) is None and \
                not opts.silent:
            # tool_getparam.c: a -d @FILE it cannot read (recorded, before the meter)
            ctx.term.err(warning(f'Couldn\'t read data from file "{item[1]}", this '
                                 'makes an empty POST.'))
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
        self.retries_left = 0      # tool_operate.c per->retry_numretries
        self.retry_sleep = 0       # per->retry_sleep, ms
        self.retry_start = 0.0     # per->retrystart
        self.again = False         # the next connect repeats the URL
        self.tty = bool(getattr(ctx.session, "stdout_tty", False))
        self.url = ""
        self.response = bytearray()
        self.pending: list = []       # the name's other addresses, tried in turn
        self.redirects = 0
        self.device = None
        self.proxy = None          # the proxy this URL goes through, if any

    def start(self) -> "CurlProcess":
        self.next_url()
        return self

    def _fail(self, code: int, text: str, errno: int = 0, shown: str | None = None) -> None:
        """failf(): under -v the error is shown as it happens, then multi_done()'s
        Curl_pgrsDone() ends the progress meter and the connection closes (recorded:
        `* Failed to connect ...`, the meter's last line, `* Closing connection 0`);
        a name that does not resolve is reported twice there (recorded)."""
        if self.opts.verbose:
            twice = code == 6 and text.startswith("Could not resolve host")
            if shown is not None:
                # the error was told first; the connect filter's own line follows
                self.term.err(f"* {text}\n")
            self.term.err(f"* {shown or text}\n" * (2 if twice else 1))
        self._meter_end()
        if self.opts.verbose:
            self.term.err(f"* Closing connection {self.index - 1}\n")
        if not self.opts.silent or self.opts.show_error:
            self.term.err(f"curl: ({code}) {text}\n")
        if self._retry(code, errno):
            return
        if self.opts.write_out is not None:
            self.term.out(write_out(self.opts.write_out, code, text,
                                    self.opts.urls[self.index - 1],
                                    {"method": self.method()}))
        self.last = code
        self.next_url()

    def _zone(self, host: str):
        """lib/urlapi.c: `[ADDR%ZONE]` names the address `ADDR` and its scope by
        interface name or index (if_nametoindex()), the socket's sin6_scope_id."""
        if "%" not in host or ":" not in host:
            return host, None
        host, _, zone = host.partition("%")
        if zone.startswith("25") and len(zone) > 2:
            # ipv6_parse(): the `%25` of RFC 6874's encoded form is skipped
            # (recorded: [fe80::...%25eth0] reaches eth0's neighbour)
            zone = zone[2:]
        netns = self.ctx.netns
        device = netns.by_name(zone) or (netns.by_index(int(zone)) if zone.isdigit()
                                         else None)
        return host, device

    def _retry(self, code: int, errno: int) -> bool:
        """post_per_transfer(): --retry repeats a transfer that failed transiently (a
        timeout or an unresolved name; a refused connect with --retry-connrefused;
        anything with --retry-all-errors) while retries and --retry-max-time last,
        after a warning and a sleep (1 s doubling, or --retry-delay)."""
        from ipemu.kernel.errors import Errno
        opts = self.opts
        clock = self.host.clock
        if not self.retries_left or (opts.retry_max_time and
                                     clock.now - self.retry_start >= opts.retry_max_time):
            return False
        if opts.retry_all_errors:
            why = "(retrying all errors)"
        elif code in (28, 6):
            why = ": timeout"
        elif opts.retry_connrefused and code == 7 and errno == Errno.ECONNREFUSED:
            why = ": connection refused"
        else:
            return False
        sleep = self.retry_sleep
        if not opts.silent:
            self.term.err(warning(f"Problem {why}. Will retry in {sleep // 1000} seconds. "
                                  f"{self.retries_left} retries left."))
        self.retries_left -= 1
        if not opts.retry_delay:
            self.retry_sleep = min(self.retry_sleep * 2, 600000)     # RETRY_SLEEP_MAX
        self.again = True
        self.timer = clock.call_later(sleep / 1000, self, "next_url")
        return True

    def next_url(self) -> None:
        if self.done:
            return
        if self.again:
            self.again = False
            self.index -= 1           # the same URL once more, its retry count kept
        elif self.index < len(self.opts.urls):
            self.retries_left = self.opts.retry
            self.retry_sleep = self.opts.retry_delay * 1000 or 1000
            self.retry_start = self.host.clock.now
        if self.index >= len(self.opts.urls):
            self.exit(self.last)
            return
        url = self.opts.urls[self.index]
        self.url = url
        self.redirects = 0
        self.index += 1
        if self.opts.output == "" and not (url.partition("://")[2] if "://" in url else url
                                           ).partition("/")[2].split("?", 1)[0] \
                .rpartition("/")[2]:
            # tool_operate.c: -O with a URL that names no file
            if not self.opts.silent:
                self.term.err(warning("Remote file name has no length!"))
            self._fail(23, "Failed writing received data to disk/application")
            return
        parts = split_url(url)
        if parts is None:
            self._fail(3, "URL using bad/illegal format or missing URL")
            return
        scheme, host, port = parts
        if "://" in url and scheme not in SCHEME_PORTS and scheme not in OTHER_SCHEMES:
            # lib/url.c findprotocol(): a scheme this build lacks
            self._fail(1, f'Protocol "{url.partition("://")[0]}" not supported or '
                          'disabled in libcurl')
            return
        host, device = self._zone(host)
        if device is None and self.opts.interface and \
                not self.opts.interface.startswith("host!"):
            # cf-socket.c bindlocal(): an interface's name binds the socket to it
            # (SO_BINDTODEVICE); anything else is bound as an address (_bindlocal())
            device = self.ctx.netns.by_name(self.opts.interface.removeprefix("if!"))
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        import ipaddress
        self.proxy = proxy_for(self.ctx, scheme, host, self.opts.proxy, self.opts.noproxy,
                               verbose=self.term.err if self.opts.verbose else None)
        if self.proxy:
            # the connection goes to the proxy, the request names the whole URL
            target = proxy_target(self.proxy)
            if target is not None:
                host, port = target
        pinned = self.opts.resolve.get((host.lower(), port))
        try:
            if pinned is not None:
                # --resolve: the name's address comes from the option, not a lookup
                addresses = [ipaddress.ip_address(pinned)]
            elif host == "localhost" or host.endswith(".localhost"):
                # 127.0.0.1 then ::1 (one of them with -4/-6), as recorded: a
                # refused first address falls to the next (Curl_connecthost)
                addresses = [ipaddress.ip_address(a) for a, fam in (("127.0.0.1", 4),
                                                                    ("::1", 6))
                             if self.opts.family in (0, fam)]
            else:
                addresses = [getaddrinfo(self.ctx.session, host, self.opts.family)]
        except ResolveError as err:
            from ipemu.tools.resolver import EAI_AGAIN, ForwardLookup
            if err.text == EAI_AGAIN and ForwardLookup.needed_for(self.ctx, host):
                self._resolve(host)
                return
            self._fail(6, f"Could not resolve host: {host}")
            return
        self.pending = addresses[1:]
        self.device = device
        clock = self.host.clock
        self.started = clock.now
        self._meter_start()
        self._connect(addresses[0], host, port, first=True)

    def _connect(self, address, host: str, port: int, first: bool = False) -> None:
        """One address of the name: `Trying`, the connect, its timers."""
        self.target = (host, str(address), port)
        if self.opts.verbose:
            shown = f"[{address}]" if address.version == 6 else str(address)
            self.term.err(f"*   Trying {shown}:{port}...\n")
        from ipemu.kernel.tcp import tcp_of
        clock = self.host.clock
        if self.opts.verbose and self.opts.local_port:
            # cf-socket.c bindlocal(): the port it bound
            self.term.err(f"* Local port: {self.opts.local_port}\n")
        source = None
        if self.opts.interface and self.device is None:
            bound = self._bindlocal(address, host, port)
            if bound is None:
                return
            source = bound
        try:
            self.sock = tcp_of(self.ctx.netns.stack).connect(address, port, self.device,
                                                              owner=self,
                                                              sport=self.opts.local_port,
                                                              source=source)
        except KernelError as err:
            # connect() itself refused (no route): lib/cf-socket.c's "Immediate connect fail"
            from ipemu.tools.rtnl import strerror
            if self.opts.verbose:
                self.term.err(f"* Immediate connect fail for {address}: "
                              f"{strerror(err.errno)}\n")
            self._connect_failed(err.errno, immediate=True)
            return
        if first:
            limits = [t for t in (self.opts.connect_timeout, self.opts.max_time) if t]
            if limits:
                self.timer = clock.call_later(min(limits), self, "timed_out")

    def _bindlocal(self, address, host: str, port: int):
        """cf-socket.c bindlocal() (curl 7.88) for an --interface that names no device:
        `if!NAME` fails there; otherwise NAME (or `host!NAME`) is resolved as a host
        name or number and the socket bound to that address before the connect. Its
        failures are CURLE_INTERFACE_FAILED (45), the connect's verbose line "Failed
        binding local connection end" (recorded: `Couldn't bind to 'eth9'`, `Couldn't
        bind to interface 'eth9'`, `bind failed with errno 99: Cannot assign requested
        address`). The bound address, or None when the transfer ended here."""
        from ipemu.kernel.errors import KernelError
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        from ipemu.tools.rtnl import strerror
        spec = self.opts.interface
        name = spec[3:] if spec.startswith("if!") else spec[5:] \
            if spec.startswith("host!") else spec
        verbose = self.term.err if self.opts.verbose else (lambda _text: None)
        shown = (f"Failed to connect to {host} port {port} after {self._elapsed_ms()} ms: "
                 "Failed binding local connection end")
        if spec.startswith("if!"):
            # Curl_if2ip() found no such interface: no fallback to a host name
            self._fail(45, f"Couldn't bind to interface '{name}'", shown=shown)
            return None
        try:
            # Curl_resolv(); a name that needs DNS fails as the lookup does (its wait
            # for the nameserver is not simulated here)
            bound = getaddrinfo(self.ctx.session, name, self.opts.family)
        except ResolveError:
            verbose(f"* Could not resolve host: {name}\n")
            self._fail(45, f"Couldn't bind to '{name}'", shown=shown)
            return None
        family = {4: 2, 6: 10}
        verbose(f"* Name '{name}' family {family[address.version]} resolved to "
                f"'{bound}' family {family[bound.version]}\n")
        if bound.version != address.version:
            # CURLE_UNSUPPORTED_PROTOCOL: the address cannot be reached from that one
            # (recorded: `--interface ::1 http://127.0.0.1:1` is the (7) of a connect)
            self.target = (host, str(address), port)
            self._connect_failed(0, immediate=True)
            return None
        try:
            self.ctx.netns.stack.connect_source(address, None, source=bound)
        except KernelError as err:
            self._fail(45, f"bind failed with errno {int(err.errno)}: "
                           f"{strerror(err.errno)}", shown=shown)
            return None
        if not self.opts.local_port:
            verbose("* Local port: 0\n")
        return bound

    lookup = None           # the name lookup under way (its DNS queries waiting)

    def _resolve(self, host: str) -> None:
        """The threaded resolver's getaddrinfo() waits for the recording host's
        nameserver (ForwardLookup: 10 s behind a gateway that does not forward);
        -m or --connect-timeout end it sooner (recorded: `(28) Resolving timed out
        after 3000 milliseconds`)."""
        from ipemu.tools.resolver import ForwardLookup
        clock = self.host.clock
        self.started = clock.now
        self._meter_start()
        self.resolving = host
        self.lookup = ForwardLookup(self.ctx, host, self, "_resolve_failed")
        self.lookup.start()
        limits = [t for t in (self.opts.connect_timeout, self.opts.max_time) if t]
        if limits:
            self.timer = clock.call_later(min(limits), self, "_resolve_timed_out")

    def _resolve_failed(self, _name) -> None:
        self.lookup = None
        self.host.clock.cancel(self.timer)
        self.timer = None
        self._fail(6, f"Could not resolve host: {self.resolving}")

    def _resolve_timed_out(self) -> None:
        self.timer = None
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None
        ms = self._elapsed_ms()
        self._fail(28, f"Resolving timed out after {ms} milliseconds")

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
        if self.pending:
            self._connect(self.pending.pop(0), host, port)
            return
        code = 28 if errno == Errno.ETIMEDOUT else 7
        self._fail(code, f"Failed to connect to {host} port {port} after {self._elapsed_ms()} "
                         "ms: Couldn't connect to server", errno)

    # ------------------------------------------------------ the progress meter
    def _meter_shown(self) -> bool:
        """tool_operate.c: the meter goes to stderr unless -s, or the body goes to a
        terminal (with -v too, as recorded: `curl -v -o /dev/null`)."""
        if self.opts.silent or self.opts.no_progress_meter:
            return False
        return self.opts.output is not None or not getattr(self.ctx.session, "stdout_tty",
                                                          True)

    def _meter_line(self) -> str:
        # whole seconds of the microseconds curl counts (a float difference of 1.0 s
        # can come out a hair under it)
        spent = round((self.host.clock.now - self.started) * 1e6) // 1_000_000
        shown = "--:--:--" if spent <= 0 else \
            f"{spent // 3600:2d}:{spent // 60 % 60:02d}:{spent % 60:02d}"
        return f"\r  0     0    0     0    0     0      0      0 --:--:-- {shown} --:--:--     0"

    def _meter_done(self, size: int) -> str:
        """progress_meter()'s last line: 100% of the size received, its rate."""
        spent = self.host.clock.now - self.started
        rate = int(size / spent) if spent > 0 else size
        shown = f"{rate:5d}" if rate < 100000 else f"{rate // 1024:4d}k" \
            if rate < 10000 * 1024 else f"{rate // 1048576:4d}M"
        return (f"\r{100:3d} {size:>5} {100:4d} {size:>5} {0:4d} {0:>5}  {shown}  {0:>5} "
                f"--:--:-- --:--:-- --:--:-- {shown}")

    def _meter_start(self) -> None:
        if self._meter_shown():
            self.term.err("  % Total    % Received % Xferd  Average Speed   Time    Time     "
                          "Time  Current\n                                 Dload  Upload   "
                          "Total   Spent    Left  Speed\n" + self._meter_line())
            self.meter = self.host.clock.call_later(1.0, self, "meter_tick")

    def meter_tick(self) -> None:
        """progress_meter(): a new line each second while it waits; a timeout due at
        the same instant fails first, and Curl_pgrsDone() shows that second's line
        once (recorded: one `0:00:01` line after `-m 1`'s error)."""
        if self.timer is not None and not self.timer.cancelled and \
                self.timer.when <= self.host.clock.now:
            self.meter = self.host.clock.call_later(1.0, self, "meter_tick")
            return
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
        if sock.connected:
            self._connected(sock)
            return
        self.host.clock.cancel(self.timer)
        self.sock = None
        self._connect_failed(sock.err)

    # ------------------------------------------------------ the HTTP transfer
    def _connected(self, sock) -> None:
        """Curl_http(): the request line and curl's default headers."""
        host, address, port = self.target
        if self.opts.verbose:
            self.term.err(f"* Connected to {host} ({address}) port {port} (#0)\n")
        scheme = split_url(self.url)[0]
        if scheme != "http":
            raise_later = f"ipemu: curl's {scheme}:// transfer is not simulated\n"
            self.term.err(raise_later)
            self.cleanup()
            self.exit(1)
            return
        rest = self.url.partition("://")[2] if "://" in self.url else self.url
        path = "/" + rest.partition("/")[2] if "/" in rest else "/"
        path = path.split("#", 1)[0]
        if self.proxy:
            # a request through an HTTP proxy names the absolute URL
            path = f"{scheme}://{rest.split('/', 1)[0].rpartition('@')[2]}{path}"
        self.request_size = 0
        authority = rest.split("/", 1)[0]
        userinfo, _, shown_host = authority.rpartition("@")
        method = self.method()
        data = self._post_data()
        if self.opts.get and data is not None:
            # -G: the data after a ? (an & when the URL has a query already)
            path += ("&" if "?" in path else "?") + data.decode("latin-1")
            data = None
        headers = self.opts.headers
        if self.opts.json:
            # tool_operate.c: --json adds these two as -H would (before the user's)
            headers = ["Content-Type: application/json",
                       "Accept: application/json"] + headers
        custom, named = custom_headers(headers)
        lines = [f"{method} {path} HTTP/1.1"]
        # lib/http.c Curl_http(): Host, the user's Authorization (http_output_basic():
        # base64 of USER:PASSWORD, -u's or the URL's, percent-decoded), User-Agent,
        # Accept, Referer; Curl_http_cookies() then; -H's lines after them all
        user = self.opts.user if self.opts.user is not None else \
            _url_user(userinfo) if userinfo else None
        defaults = [f"Host: {shown_host}"]
        if user is not None and ":" in user:
            import base64
            defaults.append("Authorization: Basic "
                            + base64.b64encode(user.encode()).decode())
        agent = "curl/7.88.1" if self.opts.user_agent is None else self.opts.user_agent
        if agent:
            defaults.append(f"User-Agent: {agent}")
        defaults.append("Accept: */*")
        if self.opts.referer:
            defaults.append(f"Referer: {self.opts.referer}")
        if self.proxy:
            defaults.append("Proxy-Connection: Keep-Alive")
        if self.opts.cookies:
            defaults.append("Cookie: " + "; ".join(self.opts.cookies))
        lines += [line for line in defaults if line.split(":", 1)[0].lower() not in named]
        lines += custom
        body = data or b""
        upload = self._upload_data()
        if data is not None:
            # lib/http.c Curl_http_body(): a form POST's length and default type
            # (each left out when -H names it)
            lines += [line for line in (f"Content-Length: {len(body)}",
                                        "Content-Type: application/x-www-form-urlencoded")
                      if line.split(":", 1)[0].lower() not in named]
        elif upload is not None:
            # Curl_http_bodysend() HTTPREQ_PUT: the length, and expect100() for any
            # size but 0; the body waits for `100 Continue` or the 1 s
            # expect-100-timeout (recorded: python3 -m http.server answers the PUT
            # with 501 at once and the body is never sent)
            lines += [line for line in (f"Content-Length: {len(upload)}",
                                        "Expect: 100-continue" if upload else "")
                      if line and line.split(":", 1)[0].lower() not in named]
            if upload:
                self.expect = self.host.clock.call_later(1.0, self, "_expect_timeout",
                                                         sock, upload)
            else:
                body = upload
        lines.append("")
        if self.opts.verbose:
            self.term.err("".join(f"> {line}\r\n" for line in lines))
        self.response = bytearray()
        request = ("\r\n".join(lines) + "\r\n").encode() + body
        self.request_size = len(request)
        sock.send(request)

    expect = None           # the expect-100-timeout's timer of a PUT's body

    def _post_data(self) -> bytes | None:
        """-d and its kin joined by & (None without any): `@FILE` read (`@-` the
        standard input), -d's without its CR and LF (recorded: a two-line file
        goes as `line1line2`, with --data-binary as it is)."""
        if not self.opts.data:
            return None
        session = self.ctx.session
        parts = []
        for item in self.opts.data:
            if isinstance(item, str):
                parts.append(item.encode("utf-8", "surrogateescape"))
                continue
            kind, name = item
            if name == "-":
                text = self.ctx.stdin or ""
            else:
                text = session.read_text(session.fs.resolve(name, session.cwd)) or ""
            raw = text.encode("utf-8", "surrogateescape")
            parts.append(raw.replace(b"\r", b"").replace(b"\n", b"")
                         if kind == "ascii" else raw)
        return (b"" if self.opts.json else b"&").join(parts)

    def _upload_data(self) -> bytes | None:
        """-T FILE's content (None without -T, or when it cannot be read)."""
        if self.opts.upload is None:
            return None
        session = self.ctx.session
        text = session.read_text(session.fs.resolve(self.opts.upload, session.cwd))
        return None if text is None else text.encode("utf-8", "surrogateescape")

    def _expect_timeout(self, sock, data: bytes) -> None:
        """No answer to `Expect: 100-continue` within a second: the body goes."""
        self.expect = None
        if sock is self.sock and not self.response:
            sock.send(data)

    def method(self) -> str:
        """-X names it; else -I's HEAD, -d's POST, -T's PUT, GET."""
        return self.opts.method or ("HEAD" if self.opts.head else
                                    "GET" if self.opts.get else
                                    "POST" if self.opts.data else
                                    "PUT" if self.opts.upload is not None else "GET")

    def tcp_data(self, sock) -> None:
        if sock is not self.sock or self.done:
            return
        self.response += sock.read()
        if sock.fin_rcvd or sock.state == 7:
            self._transfer_done(sock)

    def _transfer_done(self, sock) -> None:
        """The server closed (HTTP/1.0): the response's headers and body written."""
        self.host.clock.cancel(self.timer)
        self.host.clock.cancel(self.expect)
        self.expect = None
        self.sock = None
        sock.close()
        data = bytes(self.response)
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = lines[0].split()
        code = status[1] if len(status) > 1 and status[1].isdigit() else "000"
        if self.opts.verbose:
            if status and status[0] == "HTTP/1.0":
                self.term.err("* HTTP 1.0, assume close after body\n")
            self.term.err("".join(f"< {line}\r\n" for line in lines) + "< \r\n")
        location = next((line.partition(":")[2].strip() for line in lines[1:]
                         if line.lower().startswith("location:")), None)
        if self.opts.location and location and code in ("301", "302", "303", "307", "308"):
            # lib/transfer.c Curl_follow(): the next request goes to the Location
            import urllib.parse
            self.url = urllib.parse.urljoin(self.url if "://" in self.url
                                            else "http://" + self.url, location)
            self.redirects += 1
            if self.opts.head or self.opts.include:
                self._write_body("".join(self._header_line(line, n)
                                         for n, line in enumerate(lines)) + "\r\n", "")
            # the connection closed, then the new one (recorded: the next SYN about
            # 0.5 ms after the last segment, from the same --local-port)
            self.timer = self.host.clock.call_later(FOLLOW_GAP, self, "_follow")
            return
        if self.opts.fail and code.isdigit() and int(code) >= 400:
            # lib/http.c http_should_fail(): CURLE_HTTP_RETURNED_ERROR, no body written
            self._meter_cancel()
            if not self.opts.silent or self.opts.show_error:
                self.term.err(f"curl: (22) The requested URL returned error: {code}\n")
            self.last = 22
            self.next_url()
            return
        if self.opts.dump_header is not None:
            # -D FILE (`-` stdout): the headers as received, never styled
            self._dump_headers("".join(line + "\r\n" for line in lines) + "\r\n")
        shown = ""
        if self.opts.head or self.opts.include:
            shown = "".join(self._header_line(line, n) for n, line in enumerate(lines)) + \
                "\r\n"
        if not self.opts.head:
            shown_body = body.decode("utf-8", "replace")
        else:
            shown_body = ""
        self._write_body(shown, shown_body)
        if self.meter is not None and not body and not self.opts.head:
            # an empty body (a 301's Content-Length: 0): no data reached the write
            # callback, and pgrs_est_percent() of a size 0 is 0 (recorded)
            self._meter_end()
        elif self.meter is not None:
            if self.opts.verbose:
                # tool_cb_dbg.c: the data that went elsewhere, as a count
                self.term.err(f"{{ [{len(body)} bytes data]\n")
            self.host.clock.cancel(self.meter)
            self.meter = None
            self.term.err(self._meter_done(len(body)) + "\n")
        if self.opts.verbose:
            self.term.err("* Closing connection 0\n")
        if self.opts.write_out is not None:
            self.term.out(write_out(self.opts.write_out, 0, "", self.url,
                                    {"http_code": code, "response_code": code,
                                     "size_download": str(len(body)),
                                     "num_connects": "1",
                                     # the version as curl keeps it: 1.0 is "1"
                                     "http_version": {"HTTP/1.0": "1", "HTTP/1.1": "1.1"}
                                     .get(status[0] if status else "", "0"),
                                     "remote_ip": self.target[1],
                                     "url_effective": self.url,
                                     "num_redirects": str(self.redirects),
                                     "method": self.method(),
                                     "remote_port": str(self.target[2]),
                                     "local_ip": str(sock.src),
                                     "local_port": str(sock.sport),
                                     "size_request": str(self.request_size),
                                     "content_type": next(
                                         (line.partition(":")[2].strip() for line in
                                          lines[1:] if line.lower().startswith(
                                              "content-type:")), ""),
                                     "scheme": split_url(self.url)[0].upper(),
                                     "size_header": str(len(head) + 4)}))
        self.last = 0
        length = next((line.partition(":")[2].strip() for line in lines[1:]
                       if line.lower().startswith("content-length:")), "")
        if self.method() == "HEAD" and not self.opts.head and length.isdigit() and \
                int(length) > len(body):
            # -X HEAD without -I: curl waits for the body the length announces, and
            # the close leaves it short (recorded: exit 18, -w's code still 200)
            if not self.opts.silent or self.opts.show_error:
                self.term.err(f"curl: (18) transfer closed with {int(length) - len(body)}"
                              " bytes remaining to read\n")
            self.last = 18
        self.next_url()

    def _header_line(self, line: str, n: int) -> str:
        """tool_cb_hdr.c: on a terminal the header names are bold (not the status line),
        and a Location is an OSC 8 hyperlink to the absolute URL (osc8_print())."""
        name, colon, value = line.partition(":")
        if n and colon and self.tty:
            if name.lower() == "location":
                import urllib.parse
                target = urllib.parse.urljoin(self.url if "://" in self.url
                                              else "http://" + self.url, value.strip())
                return (f"\x1b[1m{name}\x1b[0m:\x1b]8;;{target}\x1b\\{value}\r\n"
                        "\x1b]8;;\x1b\\")
            return f"\x1b[1m{name}\x1b[0m:{value}\r\n"
        return line + "\r\n"

    def _meter_cancel(self) -> None:
        if self.meter is not None:
            self.host.clock.cancel(self.meter)
            self.meter = None

    def _follow(self) -> None:
        """The same transfer again at the new URL (its connect, its request)."""
        self.timer = None
        parts = split_url(self.url)
        if parts is None:
            self._fail(3, "URL using bad/illegal format or missing URL")
            return
        _, host, port = parts
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        try:
            address = getaddrinfo(self.ctx.session, host, self.opts.family)
        except ResolveError:
            self._fail(6, f"Could not resolve host: {host}")
            return
        self.pending = []
        self._connect(address, host, port)

    def _dump_headers(self, text: str) -> None:
        target = self.opts.dump_header
        if target == "-":
            self.term.out(text)
            return
        fs = self.ctx.session.fs
        try:
            fs.write(fs.resolve(target, self.ctx.session.cwd), text.encode("latin-1"))
        except OSError:
            pass

    def _write_body(self, headers: str, body: str) -> None:
        output = self.opts.output
        globs = self.opts.url_globs[self.index - 1] if \
            0 < self.index <= len(self.opts.url_globs) else []
        if output and globs:
            # tool_urlglob.c glob_match_url(): `#N` is the Nth glob's text
            output = re.sub(r"(?a)#(\d)", lambda m: globs[int(m.group(1)) - 1]
                            if 0 < int(m.group(1)) <= len(globs) else m.group(0), output)
        if output == "":
            # -O: the URL's last path part (tool_operate.c get_url_file_name())
            path = self.url.partition("://")[2] if "://" in self.url else self.url
            output = path.partition("/")[2].split("?", 1)[0].rpartition("/")[2]
        if output is None or output == "-":
            self.term.out(headers + body)
            return
        fs = self.ctx.session.fs
        try:
            fs.write(fs.resolve(output, self.ctx.session.cwd),
                     (headers + body).encode("utf-8", "surrogateescape"))
        except OSError:
            pass

    def timed_out(self) -> None:
        """Curl_timeleft() ran out while connecting."""
        self.timer = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        ms = self._elapsed_ms()
        if self.opts.max_time and (not self.opts.connect_timeout or
                                   self.opts.max_time <= self.opts.connect_timeout):
            text = f"Connection timed out after {ms} milliseconds"
        else:
            if self.opts.verbose:
                # connect.c trynextip()'s happy eyeballs: the attempt of the address's
                # family gave up at its timeout (recorded with --connect-timeout 1:
                # `* ipv4 connect timeout after 1000ms, move on!`)
                family = "ipv6" if ":" in self.target[1] else "ipv4"
                self.term.err(f"* {family} connect timeout after "
                              f"{int(self.opts.connect_timeout * 1000)}ms, move on!\n")
            text = f"Failed to connect to {self.target[0]} port {self.target[2]} after " \
                   f"{ms} ms: Timeout was reached"
        self._fail(28, text)

    def cleanup(self) -> None:
        self.host.clock.cancel(self.timer)
        self.host.clock.cancel(self.meter)
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def blocked(self) -> bool:
        return False


def warning(text: str) -> str:
    """tool_msgs.c voutf(): `Warning: ` before each piece of the text (its newline
    counted), cut at the last blank within 79 columns (the blank kept at the end of
    the piece)."""
    prefix = "Warning: "
    width = 79 - len(prefix)
    out = []
    text += "\n"
    while text:
        if len(text) > width:
            cut = width - 1
            while cut and text[cut] not in " \t":
                cut -= 1
            if cut == 0:
                cut = width - 1
            out.append(prefix + text[:cut + 1] + "\n")
            text = text[cut + 1:]
        else:
            out.append(prefix + text)
            text = ""
    return "".join(out)


def write_out(template: str, code: int, errormsg: str, url: str,
              got: dict | None = None) -> str:
    """tool_writeout.c ourWriteOut(): after a transfer that never got a response
    `%{http_code}` is 000 (`got`: what a response gave); backslash escapes and `%%`
    as curl reads them."""
    values = {"http_code": "000", "response_code": "000", "exitcode": str(code),
              "errormsg": errormsg, "url": url, "url_effective": url, "num_connects": "0",
              "size_download": "0", "size_upload": "0", "http_version": "0",
              # writeLong()'s CURLINFO_* of a transfer that never connected: 0
              # (recorded: `%{remote_port}` and `%{local_port}` print 0, tutorials45)
              "remote_port": "0", "local_port": "0", "num_redirects": "0",
              "size_header": "0", "size_request": "0", "num_headers": "0",
              "ssl_verify_result": "0", "speed_download": "0", "speed_upload": "0"}
    values.update(got or {})
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
