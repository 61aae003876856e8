"""Every figure of issue 19 in one run, ipemu against the real kernel and tools measured
in the same run (the real side in fresh `unshare -n` namespaces: root on Linux only;
skipped with a note otherwise). Run it from the checkout:

    python -m benchmarks [--quick] [--only NAME ...] [-n ROUNDS]

Each ipemu figure runs in a fresh process (`python -m benchmarks.worker`) that boots a
bare host, sets up, times only the measured work and reports its peak memory; the real
side times the same work inside the namespace's own shell (unshare's start-up is not
counted). Start-up alternates `ipemu -c` and bare Python, A B A B, and quotes medians.
The growth rows run the same work at 1x and 10x: linear work takes about 10x the time.
--quick leaves out the 10,000 veth pairs (the real kernel needs minutes for them).
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import workloads as W

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    work: str
    ipemu: float | None          # seconds
    real: float | None           # seconds (or the bare-Python baseline)
    target: str
    peak_mib: float | None = None
    note: str = ""
    real_label: str = ""

    def ratio(self) -> float | None:
        if self.ipemu is None or not self.real:
            return None
        return self.ipemu / self.real


def _python() -> str:
    return sys.executable


def _ipemu_cmd() -> list[str]:
    exe = shutil.which("ipemu", path=os.path.dirname(sys.executable)) or shutil.which("ipemu")
    return [exe] if exe else [sys.executable, "-m", "ipemu"]


def can_run_real() -> str | None:
    """None when the real side can run, else why not."""
    if sys.platform != "linux":
        return "not Linux"
    if os.geteuid() != 0:
        return "not root"
    for tool in ("unshare", "ip", "ping", "bash"):
        if shutil.which(tool) is None:
            return f"no {tool}"
    return None


def worker(kind: str, *args: str) -> dict:
    """Run one measurement in a fresh ipemu process; its JSON line back."""
    import json
    out = subprocess.run([_python(), "-m", "benchmarks.worker", kind, *args], cwd=HERE.parent,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"worker {kind} failed: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def real_timed(setup: str, work: str, mounts: bool = False, timeout: float = 3600) -> float:
    """Seconds the real tools take for `work` after `setup`, in a fresh network (and,
    for `ip netns`, mount) namespace; timed inside it."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.sh"
        prefix = "mount --make-rprivate / && mount -t tmpfs none /run && mkdir -p /run/netns\n" \
            if mounts else ""
        script.write_text(f"set -e\ncd {tmp}\n{prefix}{setup}\ns=$(date +%s%N)\n{work}\n"
                          "e=$(date +%s%N)\necho $(( e - s ))\n")
        W.write_files(Path(tmp))
        unshare = ["unshare", "-n"] + (["-m"] if mounts else [])
        out = subprocess.run(unshare + ["bash", str(script)], capture_output=True, text=True,
                             timeout=timeout, check=False)
        if out.returncode != 0:
            raise RuntimeError(out.stderr.strip()[-500:])
        return int(out.stdout.strip().splitlines()[-1]) / 1e9


def _editable() -> bool:
    """True when the venv runs this checkout in place (`pip install -e`): its Python
    then loads the editable finder at every start (pathlib, re, enum, urllib: ~15 ms),
    which inflates the bare-Python baseline. The README installs with `pip install .`."""
    out = subprocess.run([_python(), "-c", "import ipemu; print(ipemu.__file__)"],
                         capture_output=True, text=True, check=False)
    return out.stdout.strip().startswith(str(HERE.parent))


def _installed_venv(tmp: str) -> str | None:
    """A throwaway venv with this checkout installed as the README does (not editable;
    no dependencies fetched: the one-shot path imports none of them); its bin folder,
    or None when pip cannot build it here."""
    venv = os.path.join(tmp, "venv")
    steps = [[sys.executable, "-m", "venv", venv],
             [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "--no-deps",
              str(HERE.parent)]]
    for step in steps:
        if subprocess.run(step, capture_output=True, check=False).returncode != 0:
            return None
    return os.path.join(venv, "bin")


def _ab(a_cmd: list[str], b_cmd: list[str], rounds: int) -> tuple[float, float]:
    """Medians of A and B run in turn, A B A B, after a warm-up of each."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)      # measure with the bytecode cached
    with tempfile.TemporaryDirectory() as tmp:
        for cmd in (a_cmd, b_cmd):             # warm: bytecode and the booted snapshot
            subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, check=False)
        a, b = [], []
        for _ in range(rounds):
            for cmd, samples in ((a_cmd, a), (b_cmd, b)):
                start = time.perf_counter()
                subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, check=False)
                samples.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def startup(rounds: int) -> list[Row]:
    """`ipemu -c 'ip link show'` against `python -c pass`, A B A B, medians; from an
    editable checkout, again from an installed copy (the README's install), whose
    bare Python does not carry the editable finder."""
    a, b = _ab(_ipemu_cmd() + ["-c", "ip link show"], [_python(), "-c", "pass"], rounds)
    editable = _editable()
    rows = [Row("`ipemu -c 'ip link show'`" + (" (editable install)" if editable else ""),
                a, b, "<= 2x", real_label="`python -c pass`",
                note="the baseline loads the editable finder" if editable else "")]
    if editable:
        with tempfile.TemporaryDirectory() as tmp:
            bin_dir = _installed_venv(tmp)
            if bin_dir is None:
                rows[0].note += "; an installed copy could not be built here"
            else:
                a, b = _ab([os.path.join(bin_dir, "ipemu"), "-c", "ip link show"],
                           [os.path.join(bin_dir, "python"), "-c", "pass"], rounds)
                rows.append(Row("`ipemu -c 'ip link show'` (installed, `pip install .`)", a, b,
                                "<= 2x", real_label="`python -c pass`"))
                rows.append(_on_running_host(bin_dir, tmp, rounds))
    return rows


def _on_running_host(bin_dir: str, tmp: str, rounds: int) -> Row:
    """`ipemu --name H -c 'ip link show'` against `python -c pass` (installed), A B A B:
    the line goes to a host already running (issue 18), started as a shim starts one
    (`ipemu shim DIR --name H`, its `ip` run once) and ended after (`ipemu stop H`)."""
    ipemu = os.path.join(bin_dir, "ipemu")
    name = f"bench-{os.getpid()}"
    shims = os.path.join(tmp, "shims")
    label = "`ipemu --name H -c 'ip link show'` (a running host, installed)"
    started = subprocess.run([ipemu, "shim", shims, "--name", name], capture_output=True,
                             check=False).returncode == 0 and \
        subprocess.run([os.path.join(shims, "ip"), "link", "show"], capture_output=True,
                       check=False).returncode == 0
    try:
        if not started:
            return Row(label, None, None, "<= 1.5x", note="the host could not be started here")
        a, b = _ab([ipemu, "--name", name, "-c", "ip link show"],
                   [os.path.join(bin_dir, "python"), "-c", "pass"], rounds)
        return Row(label, a, b, "<= 1.5x", real_label="`python -c pass`")
    finally:
        subprocess.run([ipemu, "stop", name], capture_output=True, check=False)


def run(opts) -> list[Row]:
    rows: list[Row] = []
    why_not = can_run_real()

    def want(name: str) -> bool:
        return not opts.only or name in opts.only

    def real(setup: str, work: str, mounts: bool = False) -> float | None:
        if why_not is not None:
            return None
        return real_timed(setup, work, mounts)

    def note(row: Row) -> Row:
        if why_not is not None and row.real is None:
            row.note = (row.note + "; " if row.note else "") + f"real side skipped ({why_not})"
        rows.append(row)
        print(_line(row), file=sys.stderr, flush=True)
        return row

    if want("startup"):
        for row in startup(opts.rounds):
            note(row)
    if want("batch"):
        got = worker("batch", W.BATCH_FILE)
        note(Row(f"{W.BATCH_LINES:,}-line `ip -batch` ({W.BATCH_PAIRS:,} veth pairs, addresses, "
                 "routes, show/get)", got["seconds"], real("", f"ip -batch {W.BATCH_FILE} >/dev/null"),
                 "<= 0.5x", got["peak_mib"]))
    for pairs in (2000, 10000):
        if not want("veth") or (opts.quick and pairs > 2000):
            continue
        name = W.veth_file(pairs)
        got = worker("batch", name)
        note(Row(f"{pairs:,} veth pairs add + up", got["seconds"],
                 real("", f"ip -batch {name}"), "<= 0.5x" + (", < 150 MiB" if pairs > 2000 else ""),
                 got["peak_mib"]))
    if want("routes"):
        got = worker("batch", W.ROUTES_FILE)
        note(Row(f"{W.ROUTES:,} `ip route add ... via`", got["seconds"],
                 real("", f"ip -batch {W.ROUTES_FILE}"), "<= 1x", got["peak_mib"]))
        got = worker("batch", W.GETS_FILE, W.ROUTES_FILE)
        note(Row(f"{W.GETS:,} `ip route get` at {W.ROUTES:,} routes", got["seconds"],
                 real(f"ip -batch {W.ROUTES_FILE}", f"ip -batch {W.GETS_FILE} >/dev/null"),
                 "<= 1x", got["peak_mib"]))
    if want("ping"):
        got = worker("ping", str(W.FLOOD_COUNT))
        note(Row(f"`ping -f -c {W.FLOOD_COUNT:,}` between two namespaces", got["seconds"],
                 real(W.FLOOD_SETUP, f"ip netns exec a ping -f -c {W.FLOOD_COUNT} 10.0.0.2 "
                      ">/dev/null", mounts=True), "<= 1x", got["peak_mib"]))
    if want("growth"):
        for label, kind, small, big in W.GROWTH:
            one = worker(kind, small)["seconds"]
            ten = worker(kind, big)["seconds"]
            rows.append(Row(label, ten, one, "~10x (linear)", real_label="1x the work"))
            print(_line(rows[-1]), file=sys.stderr, flush=True)
    return rows


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _line(row: Row) -> str:
    ratio = row.ratio()
    return (f"| {row.work} | {_fmt(row.ipemu)} | "
            f"{(row.real_label + ' ') if row.real_label else ''}{_fmt(row.real)} | "
            f"{f'{ratio:.2f}x' if ratio is not None else '-'} | {row.target} | "
            f"{f'{row.peak_mib:.0f} MiB' if row.peak_mib is not None else '-'} | {row.note} |")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="leave out 10,000 veth pairs")
    parser.add_argument("--only", nargs="*", choices=("startup", "batch", "veth", "routes",
                                                      "ping", "growth"))
    parser.add_argument("-n", "--rounds", type=int, default=10, help="start-up rounds (A B)")
    opts = parser.parse_args()
    rows = run(opts)
    cpu = platform.processor() or platform.machine()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs ({cpu}), "
          f"{platform.system()} {platform.release()}")
    print("| work | ipemu | real / baseline | ratio | target | ipemu peak | note |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(_line(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
