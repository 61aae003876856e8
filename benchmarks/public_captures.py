"""How closely ipemu's `tcpdump -r` matches the real tcpdump on captures from other public
sources than tcpdump's own tests: library test suites (PcapPlusPlus, pcap4j, Packet.Net),
sample-capture collections, tutorials' `-w` files, classic pcap and pcapng alike.

Not part of the test suite (it needs the real tcpdump 4.99.3 and a directory of captures):

    .venv/bin/python benchmarks/public_captures.py DIR [-v] [-k WORD] [--max-kb N]
        [--flags '-n -e' --flags "-n 'port 53'" ...] [--show NAME:FLAGS]

It takes every file in DIR whose link type ipemu reads (Ethernet, Linux cooked v1/v2, raw
IP, raw IPv4/IPv6, BSD/OpenBSD loopback) and that is at most --max-kb long, reads it with
`tcpdump -# -r FILE FLAGS` for each flag set below (options, then a filter when the set
has one), on the real tcpdump and on ipemu (in process, the file through --home), and
compares standard output byte for byte, and standard error with the exit status. Unlike
benchmarks/tcpdump_captures.py it does not leave out captures holding protocols ipemu
has no printer for: its figures are what a learner replaying such a file would see.

The captures are not kept in this repository (their sources' terms vary); the set this
round measured (session 7) was every *.pcap, *.pcapng and *.cap file, duplicates
removed, of these public repositories, each file named OWNER__BASENAME:
  seladb/PcapPlusPlus (Tests/*/PcapExamples, Examples; public domain, the Unlicense),
  kaitoy/pcap4j (test resources; MIT), dotpcap/packetnet (Test/CaptureFiles; MPL-2.0),
  lwerdna/filesamples (Wireshark wiki samples; the Unlicense)           -> DIR 1
  chrissanders/packets (Practical Packet Analysis' captures; free to use, cite the
  author), matt81542/cybersecurity-lab, Alex-Unnippillil/kali-linux-portfolio
  (Wireshark's http.cap and dns.cap)                                    -> DIR 2
gathered with `git ls-tree -r HEAD` and `git cat-file blob` from clones of them.
Session 8 added three more sets (files of the earlier sets and of each other removed by
content, named OWNER__PATH with slashes as underscores; each at most 300 KB):
  networklessons/labs packet-captures/ (routing, switching, VPN and multicast lab
  captures; no licence stated)                                          -> 233 files
  ahmedelemamn/Wireshark-Captures (Nicholas Russo's protocol captures: BGP, OSPF, IS-IS,
  EIGRP, PIM, LDP, MPLS, IPsec, L2; personal use only)                  -> 932 files
  ntop/nDPI tests/cfgs/default/pcap (application-protocol test captures; LGPL-3.0,
  at most 100 KB)                                                       -> 442 files
Session 9 (round 26) added, removed by content against every earlier set:
  OISF/suricata-verify (tests/*/ and pcaps/: engine regression captures of every
  protocol; GPL-2.0), each file at most 60 KB                           -> 1290 files
  google/gopacket (pcapgo's pcapng test suite, layer tests; BSD-3-Clause),
  automayt/ICS-pcap (industrial protocols; Git LFS pointers dropped), markofu/pcaps
  (Practical Packet Analysis and HoneyNet files), secdev/scapy (test/pcaps; GPL-2.0),
  JarryShaw/PyPCAPKit (sample/; BSD-3-Clause), fkie-cad/pcapFS (tests)  -> 115 files
and measured them with the default flag sets and with forty more option and filter
sets (--nano, -tt..-ttttt, portrange, icmp[icmptype], tcp[tcpflags], vlan and ...,
ether/ip broadcast and multicast, less/len, -e -v, -v -x, -vv -X, -K -vv, -s 60, -S -v,
-l, -c with -A and -e). Wireshark's own test/captures is still to add (its repository
is larger than the mirror tool brings).

Figures: whole cases matched, overall and per flag set; per protocol (classify() of
tcpdump_captures.py, the deepest protocol of each packet) the packets whose lines match,
for the flag sets without a filter (a filter renumbers the packets). The real tcpdump's
outputs are cached in DIR/.ipemu-real.json (delete it to run them again).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tcpdump_captures import (MALFORMED, classify, first_difference, packets,  # noqa: E402
                              pct, print_protocols)

# What tutorials type at a capture file: display options, then the common filters.
FLAG_SETS = [
    "-n", "-nn", "-ne", "-nv", "-nvv", "-nx", "-nX", "-nA", "-nq",
    "-n -tt", "-n -ttt", "-n -tttt", "-n -t", "-n -c 5", "",
    "-n icmp", "-n arp", "-n 'port 53'", "-n 'tcp[tcpflags] & tcp-syn != 0'",
    "-n 'udp and not port 53'", "-n ip6", "-n 'host 10.0.0.1 or net 192.168.0.0/16'",
    "-n 'tcp port 80 or tcp port 443'", "-n 'ip[8] < 64'", "-n vlan", "-n 'ether multicast'",
    "-n 'ip6 protochain 58'", "-n 'greater 500'", "-n 'ether[0] & 1 = 0 and ip'",
    # more of what tutorials show (session 8): -vvv, -xx/-XX with the link header,
    # -ttttt, absolute sequence numbers, packet numbers, no checksum checks, -q with -e
    "-nvvv", "-nxx", "-nXX", "-n -ttttt", "-nS", "-n --number", "-nvK", "-nqe",
]
# LINKTYPE_* values ipemu reads (tcpdump_captures.LINKTYPES plus LINKTYPE_IPV4/IPV6)
LINKTYPES = {0, 1, 12, 101, 108, 113, 228, 229, 276}


def load(path: Path):
    from ipemu.pcap import PcapError, load_pcap
    try:
        return load_pcap(path.read_bytes())
    except (PcapError, ValueError):
        return None


def select(root: Path, max_kb: int, word: str):
    """(name, linktype, [label per packet]) of every capture to read."""
    chosen = []
    for path in sorted(root.iterdir()):
        if not path.is_file() or path.name.startswith(".") or word not in path.name:
            continue
        if path.stat().st_size > max_kb * 1024:
            continue
        cap = load(path)
        if cap is None or cap.linktype not in LINKTYPES or not cap.records:
            continue
        link = {228: 12, 229: 12}.get(cap.linktype, cap.linktype)
        chosen.append((path.name, cap.linktype,
                       [classify(frame, link) for _, frame in cap.records]))
    return chosen


def real_outputs(root: Path, cases: list[tuple[str, str]]) -> dict[str, str]:
    cache_path = root / ".ipemu-real.json"
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    env = dict(os.environ, TZ="UTC")
    for name, flags in cases:
        key = f"{name} {flags}"
        if key in cache:
            continue
        # run where the file is: its name in the banner is the one ipemu is given
        run = subprocess.run(["tcpdump", "-#", "-r", name, *shlex.split(flags)], cwd=root,
                             capture_output=True, env=env, timeout=120)
        cache[key] = run.stdout.decode("utf-8", "backslashreplace")
        cache[f"{key} stderr"] = run.stderr.decode("utf-8", "backslashreplace") + \
            f"[exit {run.returncode}]\n"
    cache_path.write_text(json.dumps(cache, indent=0, sort_keys=True))
    return cache


def ipemu_outputs(root: Path, cases: list[tuple[str, str]]) -> tuple[dict[str, str], float]:
    from ipemu.session import Session
    os.environ["TZ"] = "UTC"
    time.tzset()
    session = Session.create(scenario="bare", home=str(root))
    out = {}
    cpu = time.process_time()
    for name, flags in cases:
        key = f"{name} {flags}"
        try:
            term, status = session.run_line(f"tcpdump -# -r {shlex.quote(name)} {flags}")
            out[key] = term.stream("stdout")
            out[f"{key} stderr"] = term.stream("stderr") + f"[exit {status}]\n"
        except Exception as err:  # a crash is a mismatch, and worth seeing
            out[key] = f"<ipemu crashed: {type(err).__name__}: {err}>\n"
            out[f"{key} stderr"] = ""
    return out, time.process_time() - cpu


def has_filter(flags: str) -> bool:
    return any(not word.startswith("-") and not word.isdigit() for word in shlex.split(flags))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, help="a directory of capture files")
    ap.add_argument("-v", action="store_true", help="list the mismatching cases")
    ap.add_argument("-k", default="", help="only captures whose name contains this")
    ap.add_argument("--max-kb", type=int, default=256, help="skip larger files (256)")
    ap.add_argument("--flags", action="append", help="a flag set (repeatable); default: all")
    ap.add_argument("--show", metavar="NAME:FLAGS", help="the first differing packet of a case")
    args = ap.parse_args()
    flag_sets = args.flags or FLAG_SETS
    chosen = select(args.dir, args.max_kb, args.k)
    if args.show:
        name, flags = args.show.split(":", 1)
        chosen, flag_sets = [c for c in chosen if c[0] == name], [flags]
    cases = [(name, flags) for name, _, _ in chosen for flags in flag_sets]
    real = real_outputs(args.dir, cases)
    emu, cpu = ipemu_outputs(args.dir, cases)
    if args.show:
        return show(real, emu, f"{chosen[0][0]} {flag_sets[0]}", chosen[0][2])
    whole, errs, per_flags = Counter(), Counter(), defaultdict(Counter)
    per_proto: dict[str, Counter] = defaultdict(Counter)
    case_proto: dict[str, Counter] = defaultdict(Counter)
    per_link: dict[int, Counter] = defaultdict(Counter)
    bad = []
    for name, linktype, labels in chosen:
        for flags in flag_sets:
            key = f"{name} {flags}"
            ok = real[key] == emu[key]
            whole[ok] += 1
            per_flags[flags][ok] += 1
            per_link[linktype][ok] += 1
            errs[real[f"{key} stderr"] == emu[f"{key} stderr"]] += 1
            if not ok:
                bad.append(key)
            for label in set(labels):
                case_proto[label][ok] += 1
            if has_filter(flags):
                continue
            rp, ep = packets(real[key]), packets(emu[key])
            for i, block in enumerate(rp):
                label = labels[i] if i < len(labels) else "?"
                hit = i < len(ep) and ep[i] == block
                per_proto[label][hit] += 1
                if MALFORMED.search(block):
                    per_proto["malformed"][hit] += 1
    total = sum(whole.values())
    print(f"{len(chosen)} captures x {len(flag_sets)} flag sets = {total} cases; whole output "
          f"matches: {whole[True]}/{total} ({pct(whole[True], total)}); stderr and status: "
          f"{errs[True]}/{total}; ipemu CPU {cpu:.1f} s")
    print("by link type: " + ", ".join(f"{lt} {c[True]}/{sum(c.values())}"
                                       for lt, c in sorted(per_link.items())))
    print(f"{'flag set':<44} cases")
    for flags in flag_sets:
        c = per_flags[flags]
        print(f"{flags or '(none)':<44} {c[True]:>4}/{sum(c.values()):<4}")
    print_protocols(per_proto, case_proto, bad if args.v else None, 14)
    return 0


def show(real: dict, emu: dict, key: str, labels: list[str]) -> int:
    if real[f"{key} stderr"] != emu[f"{key} stderr"]:
        print("stderr real : " + real[f"{key} stderr"], end="")
        print("stderr ipemu: " + emu[f"{key} stderr"], end="")
    return first_difference(real[key], emu[key], labels)


if __name__ == "__main__":
    sys.exit(main())
