"""Differential fuzzing: the same generated command sequences on the real kernel and
in ipemu, compared after `ipemu check`'s masking (issue 16).

    python -m ipemu.fuzz.diff [--sequences 2000] [--seed 0] [--jobs 2] [--out DIR]

Each sequence builds a small topology (veth pairs, a bridge, a namespace,
addresses), then runs `ip link/address/route/neigh/rule` lines walked from
grammar/ip.lark (and `bridge link/fdb/vlan` lines from grammar/bridge.lark) with the topology's own names and some bad values (addresses out of
range, prefix lengths past 32, huge numbers, missing devices), and ends with the state
listings. On the real machine it runs in fresh net/mount/uts namespaces, each line
under `bash -c` with a time bound (ipemu.transcript.record); in ipemu on a bare host.
A sequence whose masked outputs or statuses differ is written to DIR as a candidate
transcript (cut after its first differing command, the recorded text as it is),
DIR/summary.txt groups them by the command that first differs. The real side's
recordings are kept in DIR/real/ and read again by the next run with the same DIR
(the sequences depend only on their seeds), so a run after a fix costs ipemu's time.

Needs root, Linux and iproute2 (as `ipemu record` does). Only `ip` runs, and never
with a namespace that is not the sequence's own (`netns`, `-n` take only its names).
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from ipemu.fuzz import families
from ipemu.fuzz.families import AVOID, BAD, NETNS  # noqa: F401 - the vocabulary

# the namespaces a line may name: the sequences' own (router45's topology adds green)
NAMESPACES = NETNS + families.NETNS45
# the files a line may read (`cat`, in a namespace of the sequence's or here): the
# reading namespace's counters (/proc/net follows the reader's network namespace, /sys
# is the recorder's or `ip netns exec`'s own sysfs of it)
READABLE = frozenset(("/proc/net/snmp", "/proc/net/netstat", "/proc/net/snmp6",
                      *(f"/sys/class/net/{dev}/statistics/{name}"
                        for dev in ("v0", "v1", "v2", "v3", "v4", "v5", "lo")
                        for name in ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes",
                                     "rx_dropped", "tx_dropped", "rx_errors",
                                     "tx_errors", "multicast", "collisions"))))

LISTINGS = ("ip link", "ip addr", "ip route show table all", "ip -6 route show table all",
            "ip rule", "ip -6 rule", "ip neigh", "bridge link", "bridge vlan")
# the real side's bound on a line (record()'s timeout: the line is killed then)
LINE_TIMEOUT = 5.0
# the tools a generated line may run (sysctl only for net.ipv4/ipv6.conf keys); a line
# may be a pipeline or a list of them (`printf ... | ip -batch -`, save ; flush ; restore)
TOOLS = ("ip", "bridge", "tc", "sysctl", "ping", "arping", "tracepath", "traceroute", "route", "ifconfig", "arp", "netstat", "ss",
         "printf", "echo", "sleep", "wait", "timeout", "nstat", "cat")
# the tools that send, bounded by their generators (-c, -W/-w, -m, `timeout`): AVOID's
# words are iproute2's options (-c colour, -t timestamps, -b batch, -l loops), not
# theirs (ping -c COUNT, -t TTL, -b broadcast, -l preload; without this exception no
# ping line passed the filter since AVOID took -c: fuzz41)
SENDERS = ("ping", "arping", "tracepath", "traceroute")
# what separates the commands of a line, and the redirections (to a plain file name)
SEPARATORS = (";", "|", "&&", "||", "&")
# (`2>` to a file: linkmon46's changes under a monitor, whose error message races the
# monitor's printing of what the request applied before failing: fuzz46)
REDIRECTS = (">", "<", "2>")
SYSCTL_OPTIONS = ("-w", "-q", "-n", "-e")
SYSCTL_KEY = re.compile(r"net\.ipv[46]\.(conf|neigh)\.[\w.]+(=-?\d+)?")
# `ip netns VERB`: the verbs that name a namespace next, and those that name none
NETNS_NAMING = ("add", "del", "delete", "exec")
NETNS_LISTING = ("list", "ls", "list-id", "show")


def topology(rng: random.Random, fixed_macs: bool = False
             ) -> tuple[list[str], dict[str, list[str]]]:
    """Setup lines and the names they made (`fixed_macs`: whatever the draw)."""
    lines: list[str] = []
    devs = ["lo"]
    # half the topologies have fixed MACs: the groups and entries derived from them
    # (33:33:ff:..., ff02::1:ff...) are then comparable, which the masks cannot pair
    fixed = rng.random() < 0.5 or fixed_macs

    def mac(n: int) -> str:
        return f" address 02:00:00:00:00:{n:02x}" if fixed else ""

    if rng.random() < 0.8:
        lines.append(f"ip link add v0{mac(0x10)} type veth peer name v1{mac(0x11)}")
        devs += ["v0", "v1"]
    if rng.random() < 0.5:
        lines.append(f"ip link add br0{mac(0x20)} type bridge")
        devs.append("br0")
        if "v0" in devs and rng.random() < 0.6:
            lines.append("ip link set v0 master br0")
    if rng.random() < 0.4:      # no dummy: not every kernel has the module
        lines.append(f"ip link add v2{mac(0x12)} type veth peer name v3{mac(0x13)}")
        devs += ["v2", "v3"]
    netns: list[str] = []
    if rng.random() < 0.3:
        lines.append("ip netns add red")
        netns.append("red")
        if "v1" in devs and rng.random() < 0.5:
            # v0's operstate is what linkwatch stored when its event ran: before the
            # move LOWERLAYERDOWN, after it DOWN (no device at the peer's index here).
            # The once-a-second limit is one for the whole host, so other recordings
            # running meanwhile (--jobs) can hold the event past an instant move; a
            # person's pause lets it run first (cases linkstate35_veth_peer_moved_*)
            lines.append("sleep 1.1")
            lines.append("ip link set v1 netns red")
            devs.remove("v1")
    for dev in devs[1:]:
        if rng.random() < 0.6:
            lines.append(f"ip link set {dev} up")
    if "v0" in devs and rng.random() < 0.7:
        lines.append("ip addr add 10.0.0.1/24 dev v0")
    if "v2" in devs and rng.random() < 0.5:
        lines.append("ip addr add 192.168.5.1/24 dev v2")
    return lines, {"devs": devs, "netns": netns}


def command(rng: random.Random, names: dict[str, list[str]],
            focus: str | None = None, only: tuple[str, ...] | None = None) -> str | None:
    """One line of a family (ipemu.fuzz.families) picked by weight, or None (a line
    to avoid)."""
    name, family = families.pick(rng, focus, only)
    words = family(rng, names)
    if not words or not safe(words, names, families.ALLOWED.get(name, frozenset())) \
            or shared(words):
        return None
    return " ".join(words)


def shared(words: list[str]) -> bool:
    """A line whose outcome other namespaces decide on this kernel: a proxy neighbour
    entry of no device is seen by every namespace's dump and lookup (recorded: a
    fresh namespace lists other recordings' `10.0.0.1 proxy`, entries of namespaces
    long gone), so the sequence makes none."""
    # (nor names proxy entries at all: the dump shows, a flush would delete, and a
    # lookup of one with a device finds, other namespaces' entries of no device)
    if "neigh" in words[:4] and "proxy" in words:
        return True
    # arp's `pub` without -i is the same entry (and -i is what safe() asks of arp -s)
    return bool(words) and words[0] == "arp" and "pub" in words and "-i" not in words


def safe(words: list[str], names: dict[str, list[str]],
         allowed: frozenset[str] = frozenset()) -> bool:
    """Only the sequence's own namespaces: a word `netns` (or a prefix of it, or `-n`)
    must be followed by one of its names, never a PID or a path (the host's). A line
    of several commands is safe when each of them is; a redirection names a plain file
    of the home; `allowed` are the AVOID words the line's family may use."""
    segments: list[list[str]] = [[]]
    words = list(words)
    i = 0
    while i < len(words):
        w = words[i]
        if w in SEPARATORS:
            segments.append([])
        elif w in REDIRECTS:
            if i + 1 >= len(words) or not re.fullmatch(r"[\w.]+", words[i + 1]) \
                    or ".." in words[i + 1]:
                return False
            i += 1
        else:
            segments[-1].append(w)
        i += 1
    return all(seg and _safe_command(seg, allowed) for seg in segments)


def _safe_command(words: list[str], allowed: frozenset[str], bounded: bool = False) -> bool:
    tool = words[0]
    if tool == "ip" and len(words) > 4 and words[1:3] == ["netns", "exec"] \
            and "exec" in allowed and words[3] in NAMESPACES and words[4] in SENDERS:
        # a bounded sender in one of the sequence's namespaces (round 42's families):
        # its own options are checked as the sender's, not as ip's
        return _safe_command(words[4:], allowed, bounded)
    if "monitor" in words and not bounded and tool != "timeout":
        return False              # ip monitor only under `timeout N`
    if tool == "printf":
        # the lines of an `ip -batch -`: each an ip command line
        return all(_safe_command(["ip", *w.strip("'").split()], frozenset())
                   for w in words[2:] if w.strip("'") and not w.startswith("'#"))
    if tool == "echo":
        return all(w == "$?" for w in words[1:])
    if tool in ("sleep", "wait"):
        # a pause of a few seconds at most; wait for the line's own jobs only
        return (tool == "wait" and len(words) == 1) or (
            tool == "sleep" and len(words) == 2 and re.fullmatch(r"[0-3](\.\d)?", words[1]))
    if tool == "timeout":
        # `timeout 1 ip monitor ...` (ipemu.fuzz.families.monitor), `timeout 2
        # tracepath ...` (send41): a bound of seconds
        return len(words) > 2 and re.fullmatch(r"[1-3]", words[1]) is not None \
            and words[2] in ("ip", "tracepath") \
            and _safe_command(words[2:], allowed, bounded=True)
    for i, w in enumerate(words):
        if AVOID.match(w) and w not in allowed and tool not in SENDERS:
            return False
        if w in ("-all", "--all", "-a") and tool in ("ip", "bridge", "tc") \
                and w not in allowed:
            return False          # ip -all netns exec: every namespace there is
        if tool in ("ip", "bridge", "tc") and (
                (len(w) >= 3 and "netns".startswith(w)) or
                (len(w) >= 2 and "-netns".startswith(w)) or w == "--netns"):
            nxt = words[i + 1] if i + 1 < len(words) else None
            if w.startswith("-") or words[i - 1] not in ("ip", "-all") or nxt is None:
                if nxt not in NAMESPACES:
                    return False
            elif nxt in NETNS_LISTING:
                if i + 2 != len(words):
                    return False
            elif nxt in NETNS_NAMING:
                # ip netns add/del/exec NAME, or ip -all netns exec/del
                if not ((i + 2 < len(words) and words[i + 2] in NAMESPACES) or
                        (words[i - 1] == "-all" and nxt == "exec")):
                    return False
            elif nxt not in NAMESPACES:
                return False
    if tool == "sysctl" and not all(w in SYSCTL_OPTIONS or SYSCTL_KEY.fullmatch(w)
                                    or w in allowed for w in words[1:]):
        return False
    if tool == "arp" and ("-s" in words or "-d" in words) and "-i" not in words:
        return False              # a proxy or permanent entry always with its device
    if tool in ("ip", "bridge", "tc") and "-" in words and "-batch" not in words \
            and "-b" not in words:
        return False
    if tool == "cat" and not all(w in READABLE for w in words[1:]):
        return False
    return tool in TOOLS and not any((w.startswith("/") and w not in READABLE) or ".." in w
                                     for w in words)


def sequence(seed: int, length: int = 8, only: tuple[str, ...] | None = None) -> list[str]:
    """The lines of sequence `seed`: the topology, a pause, `length` generated lines
    (of the families `only` when given), the listings."""
    rng = random.Random(seed)
    start = rng.getstate()
    lines, names = topology(rng)
    # the family the sequence dwells on, so that its objects meet (names it makes
    # become the sequence's devices)
    pool = [f for f in families.FAMILIES if only is None or f[0] in only]
    focus = rng.choices([n for n, _, _ in pool], [w for _, _, w in pool])[0]
    if focus in families.FIXED_MACS:
        # the same topology drawn again with fixed MACs (the draws are the same, so
        # what follows is too): its listings show the groups derived from them
        after = rng.getstate()
        rng.setstate(start)
        lines, names = topology(rng, fixed_macs=True)
        rng.setstate(after)
    if focus in families.TOPOLOGIES:
        # a topology of the family's own (send41: a router and a host behind it;
        # round 42's are drawn: a function of the rng giving the lines and names)
        topo = families.TOPOLOGIES[focus]
        if callable(topo):
            lines, names = topo(rng)
        else:
            lines = list(topo)
            names = {"devs": ["lo", "v0"], "netns": ["red", "blue"]}
    length = families.LENGTHS.get(focus, length)
    if focus in ("kind", "kinds38", "linkset", "links40", "neigh40"):
        names["devs"] = names["devs"] + list(families.NEW_DEVS)
    if focus in ("netns39", "links40", "linkprop44"):
        # the moves need namespaces to go to
        for ns in families.NETNS:
            if ns not in names["netns"]:
                lines.append(f"ip netns add {ns}")
                names["netns"].append(ns)
    generated: list[str] = []
    while len(generated) < length:
        line = command(rng, names, focus, only)
        if line is not None:
            generated.append(line)
    # the links settle (linkwatch, a bridge's carrier) and DAD ends, as in a person's
    # session: what differs then is not a matter of milliseconds
    settle = families.SETTLE.get(focus, ())
    settle = [settle] if isinstance(settle, str) else list(settle)
    return (lines + ["sleep 3"] + generated + settle + list(LISTINGS)
            + list(families.FOCUS_LISTINGS.get(focus, ())))


# ---------------------------------------------------------------- the two sides

def transcript_text(seed: int, body: str, statuses: list[int]) -> str:
    """As `ipemu record` writes it."""
    return (f"# differential fuzzing, sequence {seed} (python -m ipemu.fuzz.diff)\n"
            "# scenario: bare\n"
            "# profile: oracle-vm\n"
            "# exit: " + " ".join(str(s) for s in statuses) + "\n" + body)


def compare(text: str) -> tuple[int, str] | None:
    """The first step where ipemu differs from the recorded transcript: (index, diff)."""
    import difflib
    from ipemu.transcript.check import normalize, replay
    from ipemu.transcript.format import parse
    from ipemu.transcript.runner import ORACLE_PROFILE
    tr = parse(text)
    # the real side ran on this machine: its kernel's drivers (no dummy, ipip...)
    tr.header["profile"] = ORACLE_PROFILE
    # the real side's lines were killed after LINE_TIMEOUT (a traceroute of silent
    # hops one probe at a time, -N 1, runs past it: fuzz45 seed 570051)
    tr.header["line-timeout"] = f"{LINE_TIMEOUT + 0.05:g}"
    outputs, statuses = replay(tr)
    commands = [s.command for s in tr.steps]
    want = normalize([s.output for s in tr.steps], commands)
    got = normalize(outputs, commands)
    expected = tr.exit_statuses or []
    for i, (w, g) in enumerate(zip(want, got)):
        bad_status = i < len(expected) and expected[i] != statuses[i]
        if w != g or bad_status:
            diff = "".join(difflib.unified_diff(w.splitlines(True), g.splitlines(True),
                                                "real", "ipemu", n=2))
            if bad_status:
                diff += f"exit status: real {expected[i]}, ipemu {statuses[i]}\n"
            return i, diff
    return None


def cut(text: str, steps: int) -> str:
    """The transcript's header and its first `steps` steps (exit statuses too)."""
    from ipemu.transcript.format import parse
    tr = parse(text)
    statuses = (tr.exit_statuses or [])[:steps]
    body = "".join(f"[root@{tr.hostname} ~]# {s.command}\n{s.output}" for s in tr.steps[:steps])
    head = "".join(f"# {d}\n" for d in tr.description)
    return head + "# scenario: bare\n# profile: oracle-vm\n# exit: " + " ".join(map(str, statuses)) + "\n" + body


def differ(lines: list[str], seed: int = 0) -> tuple[str, tuple[int, str] | None]:
    """Run `lines` on the real kernel and in ipemu: the recorded transcript and the
    first difference (None when there is none)."""
    from ipemu.transcript.record import record
    body, statuses = record(lines, timeout=LINE_TIMEOUT)
    text = transcript_text(seed, body, statuses)
    return text, compare(text)


def _commands(text: str) -> list[str]:
    from ipemu.transcript.format import parse
    return [step.command for step in parse(text).steps]


def run_one(task: tuple[int, str]) -> dict:
    """One sequence: recorded on the real kernel (or read from the cache of earlier
    runs, DIR/real/), replayed in ipemu, compared."""
    from ipemu.transcript.record import record
    seed, cache, only = task
    lines = sequence(seed, only=only)
    saved = Path(cache) / f"seq{seed:05d}.txt"
    text = saved.read_text(encoding="utf-8") if saved.exists() else None
    if text is not None and _commands(text) != lines:
        text = None         # the generator changed (a grammar did): record again
    if text is None:
        body, statuses = record(lines, timeout=LINE_TIMEOUT)
        text = transcript_text(seed, body, statuses)
        saved.write_text(text, encoding="utf-8")
    try:
        found = compare(text)
    except Exception as err:         # noqa: BLE001 - a crash of ipemu is a finding too
        return {"seed": seed, "lines": len(lines), "index": -1, "command": "",
                "diff": f"ipemu raised {type(err).__name__}: {err}", "text": text}
    if found is None:
        return {"seed": seed, "lines": len(lines), "index": None}
    index, diff = found
    return {"seed": seed, "lines": len(lines), "index": index, "command": lines[index],
            "diff": diff, "text": cut(text, index + 1)}


def signature(command: str) -> str:
    """Group key: the command's words up to its first value."""
    tool, *words = command.split()
    keep = [w for w in words[:4] if not re.search(r"[0-9/:]", w) and w not in NETNS]
    return tool + " " + " ".join(keep)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ipemu.fuzz.diff",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("--sequences", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0, help="the first sequence's seed")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default="difffuzz-out", help="where candidates go")
    ap.add_argument("--show", type=int, help="print one seed's sequence and exit")
    ap.add_argument("--families", help="only these families (comma-separated names of "
                    "ipemu.fuzz.families.FAMILIES), e.g. iproute,iprule")
    args = ap.parse_args(argv)
    only = tuple(args.families.split(",")) if args.families else None
    if only and not set(only) <= {n for n, _, _ in families.FAMILIES}:
        sys.stderr.write(f"unknown families: {args.families}\n")
        return 2
    if args.show is not None:
        print("\n".join(sequence(args.show, only=only)))
        return 0
    from ipemu.transcript.record import RecordError, check_environment
    try:
        check_environment()
    except RecordError as err:
        sys.stderr.write(f"{err}\n")
        return 2
    out = Path(args.out)
    for old in out.glob("seq*.*"):
        old.unlink()            # candidates of an earlier run
    (out / "real").mkdir(parents=True, exist_ok=True)
    started = time.time()
    groups: Counter = Counter()
    examples: dict[str, int] = {}
    done = differing = lines = 0
    seeds = range(args.seed, args.seed + args.sequences)
    with multiprocessing.Pool(args.jobs) as pool:
        tasks = [(seed, str(out / "real"), only) for seed in seeds]
        for result in pool.imap_unordered(run_one, tasks):
            done += 1
            lines += result["lines"]
            if result["index"] is not None:
                differing += 1
                key = signature(result["command"]) if result["index"] >= 0 else "ipemu raised"
                groups[key] += 1
                examples.setdefault(key, result["seed"])
                stem = out / f"seq{result['seed']:05d}"
                stem.with_suffix(".txt").write_text(result["text"], encoding="utf-8")
                stem.with_suffix(".diff").write_text(
                    f"command {result['index'] + 1}: {result['command']}\n{result['diff']}",
                    encoding="utf-8")
            if done % 50 == 0:
                print(f"{done} sequences, {differing} differ, {time.time() - started:.0f} s",
                      flush=True)
    summary = [f"{done} sequences, {lines} command lines, {differing} differ, "
               f"{time.time() - started:.0f} s wall ({args.jobs} processes)"]
    summary += [f"{n:5d}  {key}   (e.g. seq{examples[key]:05d})"
                for key, n in groups.most_common()]
    (out / "summary.txt").write_text("\n".join(summary) + "\n", encoding="utf-8")
    print("\n".join(summary))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
