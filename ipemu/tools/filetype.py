"""file 5.44 (Debian 12's) on what a network script leaves behind: a capture
(`file capture.pcap`: pcap capture file, microsecond ts (little-endian) - version 2.4
(Ethernet, capture length 262144)), scripts by their #! line, JSON, text with its
line terminators, empty files, directories, /dev/null, and data.

Followed: file's magic/Magdir/sniffer (pcap), commands (#! scripts), src/ascmagic.c
(the text's encoding and `with ...` notes), src/is_json.c, src/fsmagic.c (directory,
character special, empty, `cannot open`), src/file.c (the name column, -b, -i,
--mime-type)."""
from __future__ import annotations

import json
import struct

from ipemu.errors import CommandError
from ipemu.tools.context import ToolContext

MAXLINELEN = 300        # ascmagic.c: longer lines are `very long lines`
# the link types tcpdump writes (pcap-linktype(7) as Magdir/sniffer names them)
LINKTYPES = {0: "BSD loopback", 1: "Ethernet", 12: "raw IP", 101: "raw IP",
             113: "Linux cooked v1", 276: "Linux cooked v2"}
# #! interpreters (Magdir/commands): the description of each
SCRIPTS = {"bash": "Bourne-Again shell script", "sh": "POSIX shell script",
           "zsh": "Paul Falstad's zsh script", "python3": "Python script",
           "python": "Python script", "perl": "Perl script text executable",
           "awk": "awk or perl script", "dash": "POSIX shell script"}
SCRIPT_MIME = {"bash": "text/x-shellscript", "sh": "text/x-shellscript",
               "dash": "text/x-shellscript", "zsh": "text/x-shellscript",
               "python3": "text/x-script.python", "python": "text/x-script.python",
               "perl": "text/x-perl"}


def _pcap(data: bytes) -> str | None:
    """Magdir/sniffer: the pcap header, either byte order, micro- or nanoseconds."""
    if len(data) < 24:
        return None
    for order, name in (("<", "little-endian"), (">", "big-endian")):
        magic, major, minor, _, _, snaplen, linktype = struct.unpack(order + "IHHiIII",
                                                                     data[:24])
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            ts = "microsecond" if magic == 0xA1B2C3D4 else "nanosecond"
            link = LINKTYPES.get(linktype & 0xFFFF, f"linktype#{linktype}")
            return (f"pcap capture file, {ts} ts ({name}) - version {major}.{minor} "
                    f"({link}, capture length {snaplen})")
    return None


def _interpreter(first: str) -> str | None:
    """The program of a #! line (through /usr/bin/env)."""
    words = first[2:].split()
    if not words:
        return None
    prog = words[0].rsplit("/", 1)[-1]
    if prog == "env" and len(words) > 1:
        prog = words[1].rsplit("/", 1)[-1]
    return prog


def _text_notes(text: str) -> str:
    """ascmagic.c: very long lines, the line terminators, escapes."""
    notes = []
    longest = max((len(line) for line in text.replace("\r\n", "\n").replace("\r", "\n")
                   .split("\n")), default=0)
    if longest > MAXLINELEN:
        notes.append(f"with very long lines ({longest})")
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    if not kinds:
        notes.append("with no line terminators")
    elif kinds != ["LF"]:
        notes.append(f"with {', '.join(kinds)} line terminators")
    if "\x1b" in text:
        notes.append("with escape sequences")
    return "".join(", " + n for n in notes)


def classify(data: bytes) -> tuple[str, str]:
    """(description, MIME type with charset) of a regular file's bytes."""
    if not data:
        return "empty", "inode/x-empty; charset=binary"
    pcap = _pcap(data)
    if pcap is not None:
        return pcap, "application/vnd.tcpdump.pcap; charset=binary"
    try:
        text = data.decode("ascii")
        encoding, charset = "ASCII text", "us-ascii"
    except UnicodeDecodeError:
        try:
            text = data.decode("utf-8")
            encoding, charset = "Unicode text, UTF-8 text", "utf-8"
        except UnicodeDecodeError:
            return "data", "application/octet-stream; charset=binary"
    if any(ord(c) < 32 and c not in "\t\n\r\f\b\x1b" for c in text):
        return "data", "application/octet-stream; charset=binary"
    if text.startswith("#!"):
        prog = _interpreter(text.split("\n", 1)[0])
        if prog in SCRIPTS:
            what = SCRIPTS[prog]
            mime = f"{SCRIPT_MIME.get(prog, 'text/plain')}; charset={charset}"
            if what.endswith("executable"):
                return what, mime
            return f"{what}, {encoding} executable{_text_notes(text)}", mime
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and _is_json(stripped):
        return "JSON text data", f"application/json; charset={charset}"
    return encoding + _text_notes(text), f"text/plain; charset={charset}"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _describe(ctx: ToolContext, name: str) -> tuple[str, str]:
    fs = ctx.session.fs
    path = fs.resolve(name, ctx.session.cwd)
    if path in ("/dev/null", "/dev/zero", "/dev/stdin", "/dev/tty"):
        minor = {"/dev/null": 3, "/dev/zero": 5}.get(path, 3)
        major = 5 if path == "/dev/tty" else 1
        return f"character special ({major}/{minor})", "inode/chardevice; charset=binary"
    if fs.is_dir(path):
        return "directory", "inode/directory; charset=binary"
    if not fs.exists(path):
        cannot = f"cannot open `{name}' (No such file or directory)"
        return cannot, cannot
    try:
        data = fs.read(path)
    except OSError as err:
        cannot = f"cannot open `{name}' ({err.strerror})"
        return cannot, cannot
    return classify(data)


def main(ctx: ToolContext, argv: list[str]) -> int:
    brief, mime, mime_type = False, False, False
    names: list[str] = []
    args = argv[1:]
    while args:
        arg = args.pop(0)
        if arg == "--":
            names += args
            break
        if arg in ("--brief", "--mime", "--mime-type", "--version"):
            brief = brief or arg == "--brief"
            mime = mime or arg == "--mime"
            mime_type = mime_type or arg == "--mime-type"
            if arg == "--version":
                ctx.term.out("file-5.44\nmagic file from /etc/magic:/usr/share/misc/magic\n")
                return 0
            continue
        if arg.startswith("-") and len(arg) > 1:
            for letter in arg[1:]:
                if letter == "v":
                    ctx.term.out("file-5.44\nmagic file from /etc/magic:"
                                 "/usr/share/misc/magic\n")
                    return 0
                if letter not in "bikLhz":
                    from ipemu.profiles import usage_file
                    raise CommandError(f"file: invalid option -- '{letter}'\n" +
                                       usage_file("file_usage").read_text(encoding="utf-8"),
                                       1)
                brief = brief or letter == "b"
                mime = mime or letter == "i"
            continue
        names.append(arg)
    if not names:
        from ipemu.profiles import usage_file
        raise CommandError(usage_file("file_usage").read_text(encoding="utf-8"), 1)
    width = max(len(n) for n in names) + 1
    out = []
    for name in names:
        text, mime_text = _describe(ctx, name)
        if mime or mime_type:
            text = mime_text.split(";")[0] if mime_type and not mime else mime_text
        out.append(text + "\n" if brief else f"{name + ':':<{width}} {text}\n")
    ctx.term.out("".join(out))
    return 0
