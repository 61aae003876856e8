"""How closely ipemu's `tcpdump -r` matches the real tcpdump on tcpdump's own test captures.

Not part of the test suite (it needs the real tcpdump 4.99.3 and tcpdump's sources):

    git -C TCPDUMP_REPO archive tcpdump-4.99.3 tests | tar x -C /tmp/tcpdump-4.99.3
    .venv/bin/python benchmarks/tcpdump_captures.py /tmp/tcpdump-4.99.3/tests [-v] [-k WORD]

It picks the classic pcap files whose link type ipemu reads (Ethernet, Linux cooked v1
and v2, raw IP, BSD and OpenBSD loopback) and whose every packet is of a protocol ipemu's tcpdump prints (ARP,
IPv4 with its options, IPv6 with its extension headers, ICMP, ICMPv6 (RPL, node
information, router renumbering too), TCP (options, MPTCP) and its text payloads (HTTP,
RTSP, FTP, SMTP, whois, SSH's version line, DNS, telnet's options), UDP and its DNS,
DHCP/BOOTP, NTP, syslog, NBNS, RIP, SNMP, DHCPv6, SIP, TFTP, VXLAN, OTV and MPLS payloads, IGMP,
GRE, VRRP, ESP, AH, OSPFv2 (without TE/grace LSAs), PPPoE, MPLS, Ethernet loopback, CDP,
LLDP (basic and IEEE 802.3 TLVs), BGP, EIGRP, OSPFv3, PIMv2, LDP, HSRP, RIPng, Geneve,
Kerberos's version byte, Broadcom's LI shim, LACP and marker PDUs, ISAKMP/IKE, SCTP,
802.1Q, and 802.3 frames
by their LLC SAPs (STP BPDUs, SNAP, IP; others as U/S/I frames)), reads each with
`tcpdump -# -r FILE FLAGS` under the flag sets below, on the real tcpdump and on ipemu
(in process, the file through --home), and compares standard output byte for byte.

It prints the share of (capture, flags) cases that match as a whole (standard output; and
standard error with the exit status: the banner, pcap_loop's error), and per protocol
the share of packets whose lines match (a packet counts under the deepest protocol in it,
and under `malformed` too when the real tcpdump marks it truncated or invalid). The
real tcpdump's outputs are cached in TESTS/.ipemu-real.json (delete it to run it again).
`-v` lists the mismatching cases; `-k WORD` keeps only captures whose name contains WORD;
`--show NAME:FLAGS` prints the first differing packet of one case.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import struct
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

FLAG_SETS = ["-n", "-nv", "-nvv", "-ne", "-nx", "-nq", "-nX"]
LINKTYPES = {0: "null", 1: "ether", 12: "raw", 101: "raw", 108: "loop", 113: "sll", 276: "sll2"}
SUPPORTED = {"arp", "ip", "ip6", "icmp", "icmp6", "tcp", "udp", "dns", "bootp", "ntp",
             "syslog", "nbns", "rip", "snmp", "ethertype-other", "ipproto-other", "igmp",
             "gre", "vxlan", "otv", "stp", "llc", "snap",
             "http", "ftp", "smtp", "rtsp", "whois", "ssh", "esp", "vrrp", "dhcp6",
             "ospf", "telnet", "sip", "pppoe", "mpls", "loopback", "cdp", "tftp", "lldp",
             "bgp", "ipproto-88", "ospf6", "ipproto-103", "ldp", "tcp-646", "hsrp", "ripng",
             "geneve", "krb", "bcm-li", "ethertype-0x8809", "isakmp",
             "sctp"}
# Ethertypes tcpdump decodes (ethertype_print() and ether_common_print(), 4.99.3): any
# other one prints as an unknown ethertype, as ipemu prints it too.
TCPDUMP_ETHERTYPES = {
    0x0800, 0x0806, 0x8035, 0x86DD, 0x80F3, 0x88A2, 0x809B, 0x1111, 0x8902, 0xABCD, 0x6003,
    0x888E, 0x8947, 0x0707, 0x893A, 0x8137, 0xFEFE, 0x6004, 0x88CC, 0x9000, 0x6001, 0x6002,
    0x8808, 0x8847, 0x8848, 0x886F, 0x894F, 0x880B, 0x8863, 0x3C12, 0x8864, 0x3C13, 0x88F7,
    0x8899, 0x6007, 0x8809, 0x88CA, 0x88E5, 0x8870, 0xD28B, 0x8100, 0x9100, 0x9200, 0x88A8}
# IP protocols ip_demux_print() hands to a printer (print-ip-demux.c, 4.99.3): any other
# prints as ` ip-proto-N LENGTH`.
TCPDUMP_IPPROTOS = {0, 1, 2, 4, 6, 8, 9, 17, 33, 41, 43, 44, 46, 47, 50, 51, 55, 58, 59, 60,
                    62, 77, 88, 89, 103, 108, 112, 113, 132, 135, 143}
MALFORMED = re.compile(r"\[\|[^\]]*\]|\(invalid\)|bad-len|bad length|truncated|\[bad ")

# udp_print()'s port dispatch (print-udp.c, 4.99.3), in its order: the first match wins.
UDP_PORTS: list[tuple[tuple[int, ...], str]] = [
    ((53,), "dns"), ((5353,), "dns"), ((525,), "timed"), ((69,), "tftp"), ((67, 68), "bootp"),
    ((520,), "rip"), ((654,), "aodv"), ((500,), "isakmp"), ((4500,), "isakmp"),
    ((7500, 8500), "isakmp"), ((161, 162), "snmp"), ((123,), "ntp"), ((88, 750), "krb"),
    ((1701,), "l2tp"), ((137,), "nbns"), ((138,), "nbdgm"), ((3456,), "vat"),
    ((2103, 2104), "zephyr"), (tuple(range(7000, 7010)), "rx"), ((521,), "ripng"),
    ((546, 547), "dhcp6"), ((5359,), "ahcp"), ((6696, 6697), "babel"), ((8231,), "hncp"),
    ((4567,), "wb"), ((496,), "autorp"), ((1645, 1812, 1646, 1813, 1700, 3799), "radius"),
    ((1985,), "hsrp"), ((921,), "lwres"), ((646,), "ldp"), ((698,), "olsr"),
    ((3503,), "lspping"), ((49152,), "bcm-li"), ((3784, 4784, 6784, 3785), "bfd"),
    ((701,), "lmp"), ((1589,), "vqp"), ((6343,), "sflow"), ((12223,), "lwapp"),
    ((12222,), "lwapp"), ((5060,), "sip"), ((514,), "syslog"), ((8472,), "otv"),
    ((4789,), "vxlan"), ((6081,), "geneve"), ((4342,), "lisp"), ((4790,), "vxlan-gpe"),
    ((17754,), "zep"), ((6635,), "mpls"), ((319, 320), "ptp"), ((30490,), "someip"),
    ((2049,), "nfs"),
]
# tcp_print()'s first port checks, in its order (print-tcp.c): the printer's name.
TCP_PORT_ORDER = [(23, "telnet"), (25, "smtp"), (43, "whois"), (179, "bgp"), (1723, "pptp"),
                  (6379, "resp"), (22, "ssh"), (139, "tcp-139"), (445, "tcp-445"),
                  (10288, "beep"), (6633, "openflow"), (6653, "openflow"), (21, "ftp"),
                  (80, "http"), (8080, "http"), (554, "rtsp"), (8554, "rtsp"), (53, "dns")]
# tcp_print() decodes the payload on these ports (print-tcp.c, tcp.h).
TCP_APP_PORTS = {21, 22, 23, 25, 43, 53, 80, 139, 179, 323, 445, 554, 639, 646, 1723, 2049,
                 6633, 6653, 8080, 8554, 10288, 6379}


def udp_label(sport: int, dport: int) -> str:
    for ports, name in UDP_PORTS:
        if sport in ports or dport in ports:
            return name
    return "udp"


def classify(frame: bytes, linktype: int) -> str:
    """The deepest protocol of a frame, as far as its captured bytes tell."""
    try:
        return _classify(frame, linktype)
    except (IndexError, struct.error):
        return "short"


def _classify(frame: bytes, linktype: int) -> str:
    if linktype in (12, 101):
        return _ip_any(frame, 0)
    if linktype in (0, 108):
        family = int.from_bytes(frame[:4], "little")
        if family & 0xFFFF0000:
            family = int.from_bytes(frame[:4], "big")
        if family == 2:
            return _ipv4(frame, 4)
        if family in (24, 28, 30):
            return _ipv6(frame, 4)
        return f"af-{family}"
    if linktype == 113:
        etype, off = struct.unpack_from("!H", frame, 14)[0], 16
    elif linktype == 276:
        etype, off = struct.unpack_from("!H", frame, 0)[0], 20
    else:
        etype, off = struct.unpack_from("!H", frame, 12)[0], 14
    while etype in (0x8100, 0x88A8, 0x9100):
        etype, off = struct.unpack_from("!H", frame, off + 2)[0], off + 4
    if etype in (0x0806, 0x8035):
        return "arp"
    if etype == 0x0800:
        return _ipv4(frame, off)
    if etype == 0x86DD:
        return _ipv6(frame, off)
    if etype in (0x8863, 0x8864, 0x3C12, 0x3C13):
        return "pppoe"
    if etype in (0x8847, 0x8848):
        return _mpls(frame, off)
    if etype == 0x9000:
        return "loopback"
    if etype == 0x88CC:
        return _lldp(frame, off)
    if etype > 1500 and etype not in TCPDUMP_ETHERTYPES:
        return "ethertype-other"
    if etype <= 1500 and linktype == 1:
        return _llc(frame, off)
    return f"ethertype-0x{etype:04x}"


def _llc(frame: bytes, off: int) -> str:
    """An 802.3 frame by its LLC header (llc_print()): STP, SNAP, IP, or other SAPs
    (printed by their frame kind); IPX, NetBEUI and OSI have printers ipemu lacks."""
    if len(frame) < off + 3:
        return "llc"
    dsap, ssap, ctrl = frame[off] & 0xFE, frame[off + 1] & 0xFE, frame[off + 2]
    if frame[off] == frame[off + 1] == 0xFF or dsap in (0xE0, 0xF0, 0xFE) or ssap in (
            0xE0, 0xF0, 0xFE):
        return "llc-other"
    if ctrl == 3 and dsap == ssap == 0x42:
        return "stp"
    if ctrl == 3 and dsap == ssap == 0x06:
        return _ipv4(frame, off + 3)
    if ctrl == 3 and dsap == ssap == 0xAA:
        if len(frame) < off + 8:
            return "llc"
        oui, pid = int.from_bytes(frame[off + 3:off + 6], "big"), frame[off + 6] << 8 | frame[off + 7]
        if (oui, pid) in ((0x00000C, 0x010B), (0x00000C, 0x010C), (0x0080C2, 0x000E)):
            return "stp"
        if (oui, pid) == (0x00000C, 0x2000):
            return "cdp"
        if oui in (0, 0xF8) and pid in (0x0800, 0x86DD, 0x0806):
            return "snap-ip"
        if oui in (0, 0xF8) and pid in TCPDUMP_ETHERTYPES or oui in (0x00000C, 0x0080C2):
            return "snap-other"
        return "snap"
    return "llc"


def _ip_any(frame: bytes, off: int) -> str:
    return _ipv6(frame, off) if frame[off] >> 4 == 6 else _ipv4(frame, off)


def _ipv4(frame: bytes, off: int) -> str:
    if len(frame) < off + 20:
        return "ip"
    hlen = (frame[off] & 15) * 4
    if struct.unpack_from("!H", frame, off + 6)[0] & 0x1FFF:
        return "ip"
    return _transport(frame, off + hlen, frame[off + 9], "ip")


def _ipv6(frame: bytes, off: int) -> str:
    if len(frame) < off + 40:
        return "ip6"
    nh, p = frame[off + 6], off + 40
    while nh in (0, 43, 44, 60):
        if nh == 44:
            if struct.unpack_from("!H", frame, p + 2)[0] & 0xFFF8:
                return "ip6"
            nh, p = frame[p], p + 8
        else:
            nh, p = frame[p], p + (frame[p + 1] + 1) * 8
    return _transport(frame, p, nh, "ip6")


def _transport(frame: bytes, off: int, proto: int, ip: str) -> str:
    if proto == 1:
        return "icmp"
    if proto == 58:
        return "icmp6"
    if proto == 4:
        return _ipv4(frame, off)
    if proto == 41:
        return _ipv6(frame, off)
    if proto == 59:
        return ip
    if proto == 51 and len(frame) >= off + 2:
        # AH: what it protects is the packet's deepest protocol (ah_print(), then again)
        return _transport(frame, off + (frame[off + 1] + 2) * 4, frame[off], ip)
    if proto in (50, 112):
        return {50: "esp", 112: "vrrp"}[proto]
    if proto == 47:
        # GRE as far as print-gre.c goes with what ipemu ports: IP, IPv6, Ethernet inside
        if len(frame) >= off + 4 and (frame[off + 1] & 7 or struct.unpack_from(
                "!H", frame, off + 2)[0] not in (0x0800, 0x86DD, 0x6558)):
            return "gre-other"
        return "gre"
    if proto == 2:
        # DVMRP and PIMv1 ride in IGMP: their printers are not ported
        return "igmp" if len(frame) <= off or frame[off] not in (0x13, 0x14) else "igmp-other"
    if proto == 89:
        return _ospf(frame, off) if ip == "ip" else "ospf6"
    if proto == 132:
        # SCTP; ForCES on its ports or payload ids goes to forces_print(), not ported
        ports = struct.unpack_from("!HH", frame, off) if len(frame) >= off + 4 else ()
        return "forces" if set(ports) & {6704, 6705, 6706} else "sctp"
    if proto not in (6, 17):
        return f"ipproto-{proto}" if proto in TCPDUMP_IPPROTOS else "ipproto-other"
    if len(frame) < off + 4:
        return "tcp" if proto == 6 else "udp"
    sport, dport = struct.unpack_from("!HH", frame, off)
    if proto == 17:
        return udp_label(sport, dport)
    if len(frame) < off + 13:
        return "tcp"
    payload = len(frame) - off - (frame[off + 12] >> 4) * 4
    if payload > 0 and (sport in TCP_APP_PORTS or dport in TCP_APP_PORTS):
        for port, name in TCP_PORT_ORDER:
            if port in (sport, dport):
                return name
        return f"tcp-{min(sport, dport)}"
    return "tcp"


def _ospf(frame: bytes, off: int) -> str:
    """OSPFv2, or ospf-te for an update holding TE or graceful-restart opaque LSAs (their
    TLV printers are not ported)."""
    if len(frame) < off + 28 or frame[off + 1] != 4:
        return "ospf"
    at = off + 28
    for _ in range(int.from_bytes(frame[off + 24:off + 28], "big")):
        if len(frame) < at + 20:
            break
        if frame[at + 3] in (9, 10, 11) and frame[at + 4] in (1, 3):
            return "ospf-te"
        at += max(20, int.from_bytes(frame[at + 18:at + 20], "big"))
    return "ospf"


def _lldp(frame: bytes, off: int) -> str:
    """LLDP, or lldp-other when an organisation TLV is not IEEE 802.3's (the others'
    printers are not ported)."""
    while len(frame) >= off + 2:
        tlv = int.from_bytes(frame[off:off + 2], "big")
        kind, length = tlv >> 9, tlv & 0x1FF
        if kind == 127 and frame[off + 2:off + 5] != b"\x00\x12\x0f":
            return "lldp-other"
        if not kind or not length:
            break
        off += 2 + length
    return "lldp"


def _mpls(frame: bytes, off: int) -> str:
    """What the label stack carries, as mpls_print() guesses it."""
    while len(frame) >= off + 4:
        entry = int.from_bytes(frame[off:off + 4], "big")
        off += 4
        if entry & 0x100:
            first = frame[off] if len(frame) > off else 0
            if (entry >> 12) in (0, 3) or 0x45 <= first <= 0x4F:
                return _ipv4(frame, off)
            if (entry >> 12) == 2 or 0x60 <= first <= 0x6F:
                return _ipv6(frame, off)
            return "mpls"
    return "mpls"


def select(tests: Path):
    """(name, linktype, [label per packet]) of every capture ipemu should print."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from ipemu.pcap import PcapError, load_pcap
    chosen = []
    for path in sorted(tests.glob("*.pcap")):
        try:
            cap = load_pcap(path.read_bytes())
        except PcapError:
            continue
        if cap.linktype not in LINKTYPES or not cap.records:
            continue
        labels = [classify(frame, cap.linktype) for _, frame in cap.records]
        if all(label in SUPPORTED or label == "short" for label in labels):
            chosen.append((path.name, cap.linktype, labels))
    return chosen


def real_outputs(tests: Path, cases: list[tuple[str, str]]) -> dict[str, str]:
    cache_path = tests / ".ipemu-real.json"
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    env = dict(os.environ, TZ="UTC")
    for name, flags in cases:
        key = f"{name} {flags}"
        if key not in cache:
            run = subprocess.run(["tcpdump", "-#", "-r", str(tests / name), *flags.split()],
                                 capture_output=True, env=env, timeout=60)
            cache[key] = run.stdout.decode("utf-8", "backslashreplace")
        if f"{key} stderr" not in cache:
            # run where the file is: its name in the banner is the one ipemu is given
            run = subprocess.run(["tcpdump", "-#", "-r", name, *flags.split()], cwd=tests,
                                 capture_output=True, env=env, timeout=60)
            cache[f"{key} stderr"] = (run.stderr.decode("utf-8", "backslashreplace")
                                      + f"[exit {run.returncode}]\n")
    cache_path.write_text(json.dumps(cache, indent=0, sort_keys=True))
    return cache


def ipemu_outputs(tests: Path, cases: list[tuple[str, str]]) -> dict[str, str]:
    from ipemu.session import Session
    os.environ["TZ"] = "UTC"
    time.tzset()
    session = Session.create(scenario="bare", home=str(tests))
    out = {}
    for name, flags in cases:
        try:
            term, status = session.run_line(f"tcpdump -# -r {name} {flags}")
            out[f"{name} {flags}"] = term.stream("stdout")
            out[f"{name} {flags} stderr"] = term.stream("stderr") + f"[exit {status}]\n"
        except Exception as err:  # a crash is a mismatch, and worth seeing
            out[f"{name} {flags}"] = f"<ipemu crashed: {type(err).__name__}: {err}>\n"
            out[f"{name} {flags} stderr"] = ""
    return out


def packets(text: str) -> list[str]:
    """The output split into packets: each starts with its `-#` number."""
    blocks: list[str] = []
    n = 1
    for line in text.splitlines(keepends=True):
        if re.match(rf" *{n}  ", line):
            blocks.append(line)
            n += 1
        elif blocks:
            blocks[-1] += line
        else:
            blocks.append(line)
    return blocks


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tests", type=Path, help="tcpdump 4.99.3's tests/ directory")
    ap.add_argument("-v", action="store_true", help="list the mismatching cases")
    ap.add_argument("-k", default="", help="only captures whose name contains this")
    ap.add_argument("--show", metavar="NAME:FLAGS",
                    help="print the first differing packet of one case (x.pcap:-nv)")
    args = ap.parse_args()
    chosen = [c for c in select(args.tests) if args.k in c[0]]
    cases = [(name, flags) for name, _, _ in chosen for flags in FLAG_SETS]
    if args.show:
        args.show = args.show.split(":", 1)
        cases = [(args.show[0], args.show[1])]
        chosen = [c for c in chosen if c[0] == args.show[0]]
    real = real_outputs(args.tests, cases)
    emu = ipemu_outputs(args.tests, cases)
    if args.show:
        return show(real, emu, args.show, chosen)
    whole, errs = Counter(), Counter()
    per_proto: dict[str, Counter] = defaultdict(Counter)
    case_proto: dict[str, Counter] = defaultdict(Counter)
    bad = []
    for name, _, labels in chosen:
        for flags in FLAG_SETS:
            key = f"{name} {flags}"
            ok = real[key] == emu[key]
            whole[ok] += 1
            errs[real[f"{key} stderr"] == emu[f"{key} stderr"]] += 1
            if not ok:
                bad.append(key)
            for label in set(labels):
                case_proto[label][ok] += 1
            rp, ep = packets(real[key]), packets(emu[key])
            for i, block in enumerate(rp):
                label = labels[i] if i < len(labels) else "?"
                hit = i < len(ep) and ep[i] == block
                per_proto[label][hit] += 1
                if MALFORMED.search(block):
                    per_proto["malformed"][hit] += 1
    total = whole[True] + whole[False]
    print(f"{len(chosen)} captures x {len(FLAG_SETS)} flag sets = {total} cases; "
          f"whole output matches: {whole[True]}/{total} ({pct(whole[True], total)}); "
          f"stderr and status: {errs[True]}/{total}")
    print_protocols(per_proto, case_proto, bad if args.v else None, 10)
    return 0


def print_protocols(per_proto: dict, case_proto: dict, bad: list | None,
                    width: int) -> None:
    """The per-protocol table (packets and cases matched), then the mismatching
    cases when asked for (-v)."""
    print(f"{'protocol':<{width}} {'packets':>16} {'cases with it':>18}")
    for label in sorted(per_proto, key=lambda k: -sum(per_proto[k].values())):
        p, c = per_proto[label], case_proto.get(label, Counter())
        print(f"{label:<{width}} {p[True]:>6}/{sum(p.values()):<5} "
              f"{pct(p[True], sum(p.values())):>4}"
              f" {c[True]:>7}/{sum(c.values()):<5} {pct(c[True], sum(c.values())):>4}")
    if bad is not None:
        print("\nmismatching cases:")
        for key in bad:
            print("  " + key)


def pct(a: int, b: int) -> str:
    return f"{100 * a // b}%" if b else "-"


def show(real: dict, emu: dict, case: list[str], chosen) -> int:
    key = f"{case[0]} {case[1]}"
    return first_difference(real[key], emu[key], chosen[0][2] if chosen else [])


def first_difference(real_text: str, emu_text: str, labels: list[str]) -> int:
    """Print the first packet whose lines differ (1), or "identical" (0)."""
    rp, ep = packets(real_text), packets(emu_text)
    for i in range(max(len(rp), len(ep))):
        r = rp[i] if i < len(rp) else "<none>\n"
        e = ep[i] if i < len(ep) else "<none>\n"
        if r != e:
            print(f"packet {i + 1} ({labels[i] if i < len(labels) else '?'}):")
            print("real : " + r, end="")
            print("ipemu: " + e, end="")
            return 1
    print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
