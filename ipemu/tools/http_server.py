"""`python3 -m http.server [PORT] [-b ADDR] [-d DIR]` (Python 3.11.2's Lib/http/server.py:
test(), SimpleHTTPRequestHandler) on the simulated host: it listens on a TCP socket of
the namespace (kernel/tcp.py), answers each connection's request with the directory
listing, the file or a 404 from the simulated files, logs the request on stderr and
closes (HTTP/1.0). SIGINT ends it as KeyboardInterrupt does.
"""
from __future__ import annotations

import html
import ipaddress
import posixpath
import urllib.parse

from ipemu.errors import CommandError
from ipemu.process import SIGINT, Process
from ipemu.tools.context import ToolContext

SERVER = "SimpleHTTP/0.6 Python/3.11.2"
WRITE_GAP = 40e-6       # between the handler's writes (recorded: about 40 us on lo)
# from its start to its listening socket: Python 3.11's start-up and the imports
# (recorded: `python3 -u -m http.server` prints its Serving line 44 ms after it is
# started; a curl run at once beside it is refused)
STARTUP = 0.044
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Lib/http/server.py DEFAULT_ERROR_MESSAGE
ERROR_PAGE = """\
<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: %(code)d</p>
        <p>Message: %(message)s.</p>
        <p>Error code explanation: %(code)s - %(explain)s.</p>
    </body>
</html>
"""
# http.HTTPStatus: the phrases and descriptions of the codes this server sends
STATUS = {200: ("OK", "Request fulfilled, document follows"),
          301: ("Moved Permanently", "Object moved permanently -- see URI list"),
          400: ("Bad Request", "Bad request syntax or unsupported method"),
          404: ("Not Found", "Nothing matches the given URI"),
          501: ("Not Implemented", "Server does not support this operation"),
          505: ("HTTP Version Not Supported", "Cannot fulfill request")}
# mimetypes' answers for the common suffixes (guess_type(); else application/octet-stream)
TYPES = {".html": "text/html", ".htm": "text/html", ".txt": "text/plain",
         ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
         ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
         ".sh": "application/x-sh", ".py": "text/x-python", ".xml": "text/xml",
         ".csv": "text/csv", ".pdf": "application/pdf", ".md": "text/markdown",
         ".conf": "application/octet-stream", ".log": "text/plain",
         ".svg": "image/svg+xml", ".tar": "application/x-tar", ".gz": "application/gzip",
         ".zip": "application/zip", ".c": "text/plain", ".h": "text/plain"}


# what Python 3.11.2 prints when the server's bind() fails (the frames of Debian's
# /usr/lib/python3.11, as recorded)
BIND_TRACEBACK = """\
Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "<frozen runpy>", line 88, in _run_code
  File "/usr/lib/python3.11/http/server.py", line 1309, in <module>
    test(
  File "/usr/lib/python3.11/http/server.py", line 1256, in test
    with ServerClass(addr, HandlerClass) as httpd:
         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/socketserver.py", line 456, in __init__
    self.server_bind()
  File "/usr/lib/python3.11/http/server.py", line 1303, in server_bind
    return super().server_bind()
           ^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/http/server.py", line 136, in server_bind
    socketserver.TCPServer.server_bind(self)
  File "/usr/lib/python3.11/socketserver.py", line 472, in server_bind
    self.socket.bind(self.server_address)
"""


# _get_best_family()'s getaddrinfo() failing (as recorded)
GAI_TRACEBACK = """\
Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "<frozen runpy>", line 88, in _run_code
  File "/usr/lib/python3.11/http/server.py", line 1309, in <module>
    test(
  File "/usr/lib/python3.11/http/server.py", line 1254, in test
    ServerClass.address_family, addr = _get_best_family(bind, port)
                                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/http/server.py", line 1237, in _get_best_family
    infos = socket.getaddrinfo(
            ^^^^^^^^^^^^^^^^^^^
  File "/usr/lib/python3.11/socket.py", line 962, in getaddrinfo
    for res in _socket.getaddrinfo(host, port, family, type, proto, flags):
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"""


def _usage(prog: str) -> str:
    return (f"usage: {prog} [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] "
            "[port]\n")


def main(ctx: ToolContext, args: list[str]) -> int | Process:
    """test() after the module's argparse parser (`--` ends the options)."""
    prog = "server.py"
    port, bind, directory = 8000, None, ctx.session.cwd
    positional = False
    i = 0
    while i < len(args):
        word = args[i]
        name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if positional or not word.startswith("-") or word == "-":
            try:
                port = int(word)
            except ValueError:
                ctx.term.err(_usage(prog) + f"{prog}: error: argument port: invalid int "
                             f"value: '{word}'\n")
                return 2
        elif word == "--":
            positional = True
        elif name in ("-b", "--bind", "-d", "--directory", "-p", "--protocol") or \
                word[:2] in ("-b", "-d", "-p"):
            if not eq and len(word) > 2 and not word.startswith("--"):
                name, value = word[:2], word[2:]
            elif not eq:
                i += 1
                if i >= len(args):
                    ctx.term.err(_usage(prog) + f"{prog}: error: argument "
                                 f"{_opt_names(name)}: expected one argument\n")
                    return 2
                value = args[i]
            if name in ("-b", "--bind"):
                bind = value
            elif name in ("-d", "--directory"):
                directory = ctx.session.fs.resolve(value, ctx.session.cwd)
        elif word in ("-h", "--help"):
            raise CommandError("ipemu: `python3 -m http.server --help` is not simulated\n", 1)
        elif word == "--cgi":
            raise CommandError("ipemu: `python3 -m http.server --cgi` is not simulated\n", 1)
        else:
            ctx.term.err(_usage(prog) + f"{prog}: error: unrecognized arguments: {word}\n")
            return 2
        i += 1
    if port < 0:
        # getaddrinfo() refuses the service "-1" (EAI_SERVICE)
        ctx.term.err(GAI_TRACEBACK + "socket.gaierror: [Errno -8] Servname not supported "
                     "for ai_socktype\n")
        return 1
    # glibc's gaih_inet(): the service number as htons() keeps it (16 bits)
    return HttpServer(ctx, port & 0xFFFF, bind, directory).start()


def _opt_names(name: str) -> str:
    return {"-b": "-b/--bind", "--bind": "-b/--bind", "-d": "-d/--directory",
            "--directory": "-d/--directory"}.get(name, "-p/--protocol")


def request_head(data: bytes) -> tuple[bytes, bool]:
    """The request line and headers, and whether they ended: http.client's
    parse_headers() reads lines until one is empty, "\r\n" or a bare "\n"
    (`echo -e 'HEAD / HTTP/1.0\r\n' >&3` ends them with "\r\n\n")."""
    start = 0
    while True:
        end = data.find(b"\n", start)
        if end < 0:
            return data, False
        if data[start:end] in (b"", b"\r"):
            return data[:start].replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")[:-2] \
                if start else b"", True
        start = end + 1


def http_date(when: float) -> str:
    """email.utils.formatdate(usegmt=True)."""
    import time
    t = time.gmtime(when)
    return (f"{DAYS[t.tm_wday]}, {t.tm_mday:02d} {MONTHS[t.tm_mon - 1]} {t.tm_year:04d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT")


def log_date(when: float) -> str:
    """log_date_time_string() (TZ=UTC)."""
    import time
    t = time.gmtime(when)
    return (f"{t.tm_mday:02d}/{MONTHS[t.tm_mon - 1]}/{t.tm_year:04d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}")


def _passive_any(netns) -> str:
    """_get_best_family(): getaddrinfo(None, port, AI_PASSIVE)'s first answer. glibc's
    rfc3484_sort() puts 0.0.0.0 first once lo has 127.0.0.1 (its source then matches
    the IPv4 label, rule 5; lo keeps the address when it goes down again), else ::
    (as recorded on the oracle's kernel: a fresh namespace gives ::, lo up 0.0.0.0)."""
    lo = netns.by_name("lo")
    if lo is not None and any(str(ifa.local) == "127.0.0.1" for ifa in lo.ifa4):
        return "0.0.0.0"
    return "::"


class HttpServer(Process):
    """ThreadingHTTPServer + SimpleHTTPRequestHandler, one request per connection."""

    comm = "python3"
    fd = 3

    def __init__(self, ctx: ToolContext, port: int, bind: str | None, directory: str):
        super().__init__(ctx.host, ctx.term)
        self.ctx = ctx
        self.port = port
        self.bind = bind
        self.directory = directory
        self.sock = None
        self.addr = None
        self.conns: dict = {}
        self.writing: dict = {}       # connections with a write still to come: its timer

    def start(self) -> "HttpServer":
        """The interpreter starts and imports http.server before the socket is bound
        and listening (STARTUP): a client started at once beside it is refused."""
        if self.bind is None:
            self.addr = ipaddress.ip_address(_passive_any(self.ctx.netns))
        else:
            try:
                self.addr = ipaddress.ip_address(self.bind)
            except ValueError:
                self.addr = self._resolve(self.bind)
        self.host.clock.call_later(STARTUP, self, "_bound")
        return self

    lookup = None       # the name lookup server_bind()'s getfqdn() waits for

    def _bound(self) -> None:
        """HTTPServer.server_bind(): bind(), then socket.getfqdn() of the address
        before listen(): for any address the host's name is looked up
        (getaddrinfo()), for a given one its name (gethostbyaddr()); through DNS,
        that takes glibc's tries before the socket listens (a client meanwhile is
        refused)."""
        from ipemu.tools.resolver import ForwardLookup, ReverseLookup
        if self.done:
            return
        ctx = self.ctx
        if self.addr.is_unspecified:
            name = ctx.host.hostname
            if ForwardLookup.needed_for(ctx, name):
                self.lookup = ForwardLookup(ctx, name, self, "_named")
        elif ReverseLookup.needed(ctx, self.addr):
            self.lookup = ReverseLookup(ctx, self.addr, self, "_named")
        if self.lookup is None:
            self.serve()
        else:
            self.lookup.start()

    def _named(self, name) -> None:
        self.lookup = None
        self.serve()

    def serve(self) -> None:
        if self.done:
            return
        from ipemu.kernel.tcp import tcp_of
        addr = self.addr
        table = tcp_of(self.ctx.netns.stack)
        from ipemu.kernel.errors import KernelError
        try:
            self.sock = table.listen(addr, self.port, 5, owner=self)   # request_queue_size
        except KernelError as err:
            from ipemu.tools.rtnl import strerror
            self.term.err(BIND_TRACEBACK + f"OSError: [Errno {int(err.errno)}] "
                          f"{strerror(err.errno)}\n")
            self.exit(1)
            return
        host = str(addr)
        url_host = f"[{host}]" if ":" in host else host
        self._print(f"Serving HTTP on {host} port {self.sock.sport} "
                    f"(http://{url_host}:{self.sock.sport}/) ...\n")

    # io.DEFAULT_BUFFER_SIZE: sys.stdout's buffer when it is no terminal
    _BUFSIZ = 8192

    def _print(self, text: str) -> None:
        """print() to sys.stdout: on a terminal line by line; into a file or a pipe
        Python's BufferedWriter keeps it until the buffer is full or the interpreter
        exits (the banner of `python3 -m http.server > log &` is in the log only once
        it ends by Ctrl-C; a SIGTERM, as timeout sends, kills it with the banner
        unwritten: recorded). Its access log goes to stderr, written at once."""
        from ipemu.tools.ip_netns import _stdio_buffered
        if not _stdio_buffered(self.term):
            self.term.out(text)
            return
        held = self.stdio_kept + text.encode()
        cut = len(held) // self._BUFSIZ * self._BUFSIZ
        self.stdio_kept = held[cut:]
        if cut:
            self.term.out(held[:cut].decode(errors="surrogateescape"))

    stdio_kept = b""

    def _flush(self) -> None:
        """The interpreter's exit flushes sys.stdout."""
        held, self.stdio_kept = self.stdio_kept, b""
        if held:
            self.term.out(held.decode(errors="surrogateescape"))

    def _resolve(self, name: str):
        """getaddrinfo(NAME): the first address (/etc/hosts: localhost is 127.0.0.1)."""
        from ipemu.tools.resolver import ResolveError, getaddrinfo
        try:
            return getaddrinfo(self.ctx.session, name, 0)
        except ResolveError:
            raise CommandError(f"ipemu: `python3 -m http.server -b {name}` (a name that "
                               "does not resolve) is not simulated\n", 1)

    # ------------------------------------------------------------ the socket
    def tcp_accept_ready(self, listener) -> None:
        while listener.accept_queue and not self.done:
            child = listener.accept_queue.pop(0)
            child.owner = self
            # accept() returns the lowest free descriptor: 4 beside the listener's 3
            busy = {sock.fd for sock in (*self.conns, *self.writing)}
            child.fd = next(fd for fd in range(4, 1 << 16) if fd not in busy)
            self.conns[child] = bytearray()
            if child.rcvbuf or child.fin_rcvd:
                self.tcp_data(child)

    def tcp_data(self, sock) -> None:
        buf = self.conns.get(sock)
        if buf is None or self.done:
            return
        buf += sock.read()
        early = None
        line_end = buf.find(b"\n")
        if line_end >= 0 or sock.fin_rcvd:
            # parse_request() judges the request line before it reads any header
            first = bytes(buf[:line_end] if line_end >= 0 else buf)
            early = self._request_line_error(first.decode("latin-1").rstrip("\r\n"),
                                             sock)
        if early is not None:
            del self.conns[sock]
            reply, body = early
        else:
            head, sep = request_head(bytes(buf))
            if not sep and not sock.fin_rcvd:
                return
            del self.conns[sock]
            if not head:
                sock.close()
                return
            reply, body = self.handle(head.decode("latin-1"), sock)
        # flush_headers(), then copyfile()'s write, then the close: three syscalls,
        # the peer's ACK of each segment in between (loopback delivers at once)
        sock.send(reply)
        self.writing[sock] = self.host.clock.call_later(WRITE_GAP, self, "write_rest", sock,
                                                        body)

    def write_rest(self, sock, body: bytes) -> None:
        self.writing.pop(sock, None)
        if body:
            sock.send(body)
            self.writing[sock] = self.host.clock.call_later(WRITE_GAP, self, "write_rest",
                                                            sock, b"")
            return
        sock.close()

    # ------------------------------------------------------------ the handler
    def _log(self, client: str, message: str) -> None:
        self.term.err(f"{client} - - [{log_date(self.host.clock.wall)}] {message}\n")

    def _request_line_error(self, requestline: str, sock) -> tuple[bytes, bytes] | None:
        """parse_request()'s refusals of the request line itself (Python 3.11), sent
        before any header is read; None when the line is one to go on with. Until a
        version has been read the request is HTTP/0.9: no status line, no headers,
        the error page alone (recorded: ssh's banner `SSH-2.0-OpenSSH_9.2p1 Debian-...`
        gets the 400 page of `Bad HTTP/0.9 request type ('SSH-2.0-OpenSSH_9.2p1')`)."""
        from ipemu.kernel.tcp import addr_text, shown_addr
        words = requestline.split()
        if not words:
            return None
        client = addr_text(shown_addr(sock, sock.dst))
        version = None
        if len(words) >= 3:
            text = words[-1]
            number = text[5:].split(".") if text.startswith("HTTP/") else []
            if len(number) != 2 or not all(p.isdigit() and len(p) <= 10 for p in number):
                return self._http09(self._error(client, requestline, 400,
                                                f"Bad request version ({text!r})", ""))
            if int(number[0]) >= 2:
                # before request_version is set: still HTTP/0.9
                return self._http09(self._error(client, requestline, 505,
                                                f"Invalid HTTP version ({text[5:]})", ""))
            version = text
        if not 2 <= len(words) <= 3:
            reply = self._error(client, requestline, 400,
                                f"Bad request syntax ({requestline!r})", "")
            return reply if version else self._http09(reply)
        if len(words) == 2 and words[0] != "GET":
            return self._http09(self._error(client, requestline, 400,
                                            f"Bad HTTP/0.9 request type ({words[0]!r})",
                                            ""))
        return None

    @staticmethod
    def _http09(reply: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
        """send_response_only()/send_header() write nothing for an HTTP/0.9 request."""
        return b"", reply[1]

    def handle(self, head: str, sock) -> tuple[bytes, bytes]:
        """handle_one_request() -> parse_request() -> do_GET()/do_HEAD()."""
        from ipemu.kernel.tcp import addr_text, shown_addr
        client = addr_text(shown_addr(sock, sock.dst))
        requestline = head.split("\r\n", 1)[0]
        words = requestline.split()
        if len(words) == 2:
            # `GET PATH` alone (the request line judged it already): HTTP/0.9, the
            # file without a status line or headers
            return self._http09(self._send_head(client, requestline, "GET", words[1]))
        command, path, _ = words
        if command not in ("GET", "HEAD"):
            return self._error(client, requestline, 501,
                               f"Unsupported method ({command!r})", command)
        return self._send_head(client, requestline, command, path)

    def _response(self, client: str, requestline: str, code: int, message: str | None,
                  headers: list[tuple[str, str]]) -> bytes:
        """send_response() (logged) + send_header()s + end_headers()."""
        self._log(client, f'"{requestline}" {code} -')
        lines = [f"HTTP/1.0 {code} {message or STATUS[code][0]}",
                 f"Server: {SERVER}", f"Date: {http_date(self.host.clock.wall)}"]
        lines += [f"{k}: {v}" for k, v in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _error(self, client: str, requestline: str, code: int, message: str | None,
               command: str) -> tuple[bytes, bytes]:
        """send_error()."""
        short, explain = STATUS[code]
        message = message or short
        self._log(client, f"code {code}, message {message}")
        body = (ERROR_PAGE % {"code": code, "message": html.escape(message, quote=False),
                              "explain": html.escape(explain, quote=False)}).encode()
        head = self._response(client, requestline, code, message,
                              [("Connection", "close"),
                               ("Content-Type", "text/html;charset=utf-8"),
                               ("Content-Length", str(len(body)))])
        return head, b"" if command == "HEAD" else body

    def _translate(self, path: str) -> str:
        """translate_path()."""
        path = path.split("?", 1)[0].split("#", 1)[0]
        trailing = path.rstrip().endswith("/")
        path = posixpath.normpath(urllib.parse.unquote(path))
        out = self.directory
        for word in filter(None, path.split("/")):
            if posixpath.dirname(word) or word in (".", ".."):
                continue
            out = posixpath.join(out, word)
        return out + "/" if trailing else out

    def _send_head(self, client: str, requestline: str, command: str,
                   url: str) -> tuple[bytes, bytes]:
        fs = self.ctx.session.fs
        path = self._translate(url)
        body = b""
        if fs.is_dir(path.rstrip("/") or "/"):
            parts = urllib.parse.urlsplit(url)
            if not parts.path.endswith("/"):
                location = urllib.parse.urlunsplit((parts[0], parts[1], parts[2] + "/",
                                                    parts[3], parts[4]))
                return self._response(client, requestline, 301, None,
                                      [("Location", location), ("Content-Length", "0")]), b""
            for index in ("index.html", "index.htm"):
                name = posixpath.join(path, index)
                if fs.exists(name) and not fs.is_dir(name):
                    path = name
                    break
            else:
                body = self._listing(path, url)
                head = self._response(client, requestline, 200, None,
                                      [("Content-type", "text/html; charset=utf-8"),
                                       ("Content-Length", str(len(body)))])
                return head, b"" if command == "HEAD" else body
        if path.endswith("/"):
            return self._error(client, requestline, 404, "File not found", command)
        try:
            body = fs.read(path)
        except OSError:
            return self._error(client, requestline, 404, "File not found", command)
        ext = posixpath.splitext(path)[1].lower()
        head = self._response(client, requestline, 200, None,
                              [("Content-type", TYPES.get(ext, "application/octet-stream")),
                               ("Content-Length", str(len(body))),
                               ("Last-Modified", http_date(self.host.clock.wall))])
        return head, b"" if command == "HEAD" else body

    def _listing(self, path: str, url: str) -> bytes:
        """list_directory()."""
        fs = self.ctx.session.fs
        names = sorted(fs.listdir(path.rstrip("/") or "/"), key=str.lower)
        display = html.escape(urllib.parse.unquote(url), quote=False)
        title = f"Directory listing for {display}"
        r = ["<!DOCTYPE HTML>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{title}</title>\n</head>", f"<body>\n<h1>{title}</h1>", "<hr>\n<ul>"]
        for name in names:
            full = posixpath.join(path, name)
            shown = link = name
            if fs.is_dir(full):
                shown = link = name + "/"
            if fs.is_link(full):
                shown = name + "@"
            r.append('<li><a href="%s">%s</a></li>' % (urllib.parse.quote(link),
                                                      html.escape(shown, quote=False)))
        r.append("</ul>\n<hr>\n</body>\n</html>\n")
        return "\n".join(r).encode()

    # ------------------------------------------------------------ signals
    def signal(self, signum: int) -> None:
        if signum == SIGINT and not self.done:
            # serve_forever() interrupted: KeyboardInterrupt
            self._print("\nKeyboard interrupt received, exiting.\n")
            self._flush()
            self.exit(0)
            return
        super().signal(signum)

    def cleanup(self) -> None:
        if self.lookup is not None:
            self.lookup.cancel()
            self.lookup = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        for sock in list(self.conns) + list(self.writing):
            sock.close()
        for timer in self.writing.values():
            self.host.clock.cancel(timer)
        self.conns = {}
        self.writing = {}
