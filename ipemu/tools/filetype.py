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
# Magdir/sniffer's link type names (`>20 belong&0x03FFFFFF`), as file 5.44 on the
# recording machine printed them for each value 0..319 (the others: linktype#N)
LINKTYPES = {
    0: 'No link-layer encapsulation', 1: 'Ethernet', 2: '3Mb Ethernet', 3: 'AX.25',
    4: 'ProNET', 5: 'CHAOS', 6: 'Token Ring', 7: 'BSD ARCNET', 8: 'SLIP', 9: 'PPP', 10: 'FDDI',
    11: 'RFC 1483 ATM', 12: 'Raw IP', 13: 'BSD/OS SLIP', 14: 'BSD/OS PPP',
    19: 'Linux ATM Classical IP', 50: 'PPP or Cisco HDLC', 51: 'PPP-over-Ethernet',
    99: 'Symantec Enterprise Firewall', 100: 'RFC 1483 ATM', 101: 'Raw IP', 102: 'BSD/OS SLIP',
    103: 'BSD/OS PPP', 104: 'BSD/OS Cisco HDLC', 105: '802.11',
    106: 'Linux Classical IP over ATM', 107: 'Frame Relay', 108: 'OpenBSD loopback',
    109: 'OpenBSD IPsec encrypted', 112: 'Cisco HDLC', 113: 'Linux cooked v1',
    114: 'LocalTalk', 117: 'OpenBSD PFLOG', 119: '802.11 with Prism header',
    122: 'RFC 2625 IP over Fibre Channel', 123: 'SunATM', 127: '802.11 with radiotap header',
    129: 'Linux ARCNET', 130: 'Juniper Multi-Link PPP', 131: 'Juniper Multi-Link Frame Relay',
    132: 'Juniper Encryption Services PIC', 133: 'Juniper GGSN PIC',
    134: 'Juniper FRF.16 Frame Relay', 135: 'Juniper ATM2 PIC',
    136: 'Juniper Advanced Services PIC', 137: 'Juniper ATM1 PIC',
    138: 'Apple IP over IEEE 1394', 139: 'SS7 MTP2 with pseudo-header', 140: 'SS7 MTP2',
    141: 'SS7 MTP3', 142: 'SS7 SCCP', 143: 'DOCSIS', 144: 'Linux IrDA', 147: 'Private use 0',
    148: 'Private use 1', 149: 'Private use 2', 150: 'Private use 3', 151: 'Private use 4',
    152: 'Private use 5', 153: 'Private use 6', 154: 'Private use 7', 155: 'Private use 8',
    156: 'Private use 9', 157: 'Private use 10', 158: 'Private use 11', 159: 'Private use 12',
    160: 'Private use 13', 161: 'Private use 14', 162: 'Private use 15',
    163: '802.11 with AVS header', 164: 'Juniper Passive Monitor PIC', 165: 'BACnet MS/TP',
    166: 'PPPD', 167: 'Juniper PPPoE', 168: 'Juniper PPPoE/ATM', 169: 'GPRS LLC', 170: 'GPF-T',
    171: 'GPF-F', 174: 'Juniper PIC Peer', 175: 'Ethernet with Endace ERF header',
    176: 'Packet-over-SONET with Endace ERF header', 177: 'Linux LAPD',
    178: 'Juniper Ethernet', 179: 'Juniper PPP', 180: 'Juniper Frame Relay',
    181: 'Juniper C-HDLC', 182: 'FRF.16 Frame Relay', 183: 'Juniper Voice PIC',
    184: 'Arinc 429', 185: 'Arinc 653 Interpartition Communication',
    186: 'USB with FreeBSD header', 187: 'Bluetooth HCI H4',
    188: '802.16 MAC Common Part Sublayer', 189: 'Linux USB',
    190: 'Controller Area Network (CAN) v. 2.0B', 191: '802.15.4 with Linux padding',
    192: 'PPI', 193: '802.16 MAC Common Part Sublayer plus radiotap header',
    194: 'Juniper Integrated Service Module', 195: '802.15.4 with FCS', 196: 'SITA',
    197: 'Endace ERF', 198: 'Ethernet with u10 Networks pseudo-header', 199: 'IPMB',
    200: 'Juniper Secure Tunnel', 201: 'Bluetooth HCI H4 with pseudo-header',
    202: 'AX.25 with KISS header', 203: 'LAPD', 204: 'PPP with direction pseudo-header',
    205: 'Cisco HDLC with direction pseudo-header',
    206: 'Frame Relay with direction pseudo-header', 209: 'Linux IPMB',
    215: '802.15.4 with non-ASK PHY header', 216: 'Linux evdev events',
    219: 'MPLS with label as link-layer header', 220: 'Memory-mapped Linux USB', 221: 'DECT',
    222: 'AOS Space Data Link protocol', 223: 'Wireless HART', 224: 'Fibre Channel FC-2',
    225: 'Fibre Channel FC-2 with frame delimiters', 226: 'Solaris IPNET', 227: 'SocketCAN',
    228: 'Raw IPv4', 229: 'Raw IPv6', 230: '802.15.4 without FCS', 231: 'D-Bus messages',
    232: 'Juniper Virtual Server', 233: 'Juniper SRX E2E', 234: 'Juniper Fibre Channel',
    235: 'DVB-CI', 236: 'MUX27010', 237: 'STANAG 5066 D_PDUs', 238: 'Juniper ATM CEMIC',
    239: 'Linux netfilter log messages', 240: 'Hilscher netAnalyzer',
    241: 'Hilscher netAnalyzer with delimiters', 242: 'IP-over-Infiniband',
    243: 'MPEG-2 Transport Stream packets', 244: 'ng4t ng40', 245: 'NFC LLCP',
    246: 'Packet filter state syncing', 247: 'InfiniBand', 248: 'SCTP',
    249: 'USB with USBPcap header', 250: 'Schweitzer Engineering Laboratories RTAC packets',
    251: 'Bluetooth Low Energy air interface', 252: 'Wireshark Upper PDU export',
    253: 'Linux netlink', 254: 'Bluetooth Linux Monitor',
    255: 'Bluetooth Basic Rate/Enhanced Data Rate baseband packets',
    256: 'Bluetooth Low Energy air interface with pseudo-header',
    257: 'PROFIBUS data link layer', 258: 'Apple DLT_PKTAP',
    259: 'Ethernet with 802.3 Clause 65 EPON preamble', 260: 'IPMI trace packets',
    261: 'Z-Wave RF profile R1 and R2 packets', 262: 'Z-Wave RF profile R3 packets',
    263: 'WattStopper Digital Lighting Mngmt/Legrand Nitoo Open Proto',
    264: 'ISO 14443 messages', 265: 'IEC 62106 Radio Data System groups',
    266: 'USB with Darwin header', 267: 'OpenBSD DLT_OPENFLOW', 268: 'IBM SDLC frames',
    269: 'TI LLN sniffer frames', 271: 'Linux vsock',
    272: 'Nordic Semiconductor Bluetooth LE sniffer frames',
    273: 'Excentis XRA-31 DOCSIS 3.1 RF sniffer frames', 274: '802.3br mPackets',
    275: 'DisplayPort AUX channel monitoring data', 276: 'Linux cooked v2',
    278: 'OpenVizsla USB', 279: 'Elektrobit High Speed Capture and Replay (EBHSCR)',
    281: 'Broadcom tag', 282: 'Broadcom tag (prepended)', 283: '802.15.4 with TAP',
    284: 'Marvell DSA', 285: 'Marvell EDSA', 286: 'ELEE lawful intercept',
    287: 'Z-Wave serial', 288: 'USB 2.0', 289: 'ATSC ALP', 290: 'Event Tracing for Windows',
    291: 'Hilscher netANALYZER NG pseudo-footer', 292: 'ZBOSS NCP protocol with pseudo-header',
    293: 'Low-Speed USB 2.0/1.1/1.0', 294: 'Full-Speed USB 2.0/1.1/1.0',
    295: 'High-Speed USB 2.0',
}
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
            # Magdir/sniffer's big-endian microsecond entry says "microseconds"
            ts = ("nanosecond" if magic == 0xA1B23C4D
                  else "microseconds" if order == ">" else "microsecond")
            link = LINKTYPES.get(linktype & 0x03FFFFFF, f"linktype#{linktype}")
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
