"""Measure a built page (web/build.py OUTDIR): the folder's size, the first prompt of
a cold and of warm loads in headless Chromium, and each command's time in the page
beside the same command in this Python (the native ipemu), the two sides taken in
turns (ROUNDS times) so that a busy machine weighs on both alike; medians are shown.

    python3 web/measure.py OUTDIR [--loads N] [--rounds N] [--chromium PATH]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WEB = Path(__file__).resolve().parent
LINES = ["ip -br link", "ip addr show", "ip route get 10.0.2.2", "ping -c 3 10.0.2.2",
         "tcpdump -r c.pcap -n"]
SETUP = ["ip link add veth0 type veth peer name veth1",
         "tcpdump -i eth0 -c 4 -w c.pcap & ping -c 2 10.0.2.2", "wait"]
REPEAT = 50

PAGE_TIMES = """(() => {
  const s = window.ipemu.shell.shell, out = {};
  for (const line of %s) s.run_line(line);
  for (const line of %s) {
    s.run_line(line);
    const t = performance.now();
    for (let i = 0; i < %d; i++) s.run_line(line);
    out[line] = (performance.now() - t) / %d;
  }
  return out;
})()"""


def native_times() -> dict[str, float]:
    from ipemu.session import Session
    shell = Session.create("default", "default", seed=1)
    for line in SETUP:
        shell.run_line(line)
    out = {}
    for line in LINES:
        shell.run_line(line)
        start = time.perf_counter()
        for _ in range(REPEAT):
            shell.run_line(line)
        out[line] = (time.perf_counter() - start) / REPEAT * 1000
    return out


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", nargs="?")
    parser.add_argument("--native-json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=5, help="page/native turns")
    parser.add_argument("--loads", type=int, default=5, help="warm loads to time")
    parser.add_argument("--chromium", default=shutil.which("chromium"))
    opts = parser.parse_args()
    if opts.native_json:            # one native turn, for drive.mjs's `exec` step
        print(json.dumps(native_times()))
        return 0
    site = Path(opts.site)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html?seed=1"
    steps = []
    for _ in range(opts.loads + 1):
        steps += [{"goto": url}, {"ready": True}, {"timings": True}]
    page_turn = {"eval": PAGE_TIMES % (json.dumps(SETUP), json.dumps(LINES), REPEAT, REPEAT)}
    native_turn = {"exec": [sys.executable, __file__, "--native-json"]}
    steps += [page_turn, native_turn] * opts.rounds
    with tempfile.TemporaryDirectory() as profile:
        plan = {"chromium": opts.chromium, "profile": profile, "steps": steps}
        done = subprocess.run(["node", str(WEB / "drive.mjs")], input=json.dumps(plan),
                              capture_output=True, text=True, check=True)
    server.shutdown()
    result = json.loads(done.stdout)
    if "error" in result:
        sys.exit(result["error"])
    loads = result["results"][:opts.loads + 1]
    turns = result["results"][opts.loads + 1:]
    page = {line: statistics.median(t[line] for t in turns[0::2]) for line in LINES}
    native = {line: statistics.median(t[line] for t in turns[1::2]) for line in LINES}
    first = [t["firstPrompt"] for t in loads]
    print(f"folder: {size / 1e6:.1f} MB")
    print(f"first prompt, cold load: {first[0]:.0f} ms; warm loads: median "
          f"{statistics.median(first[1:]):.0f} ms (of {len(first) - 1}: "
          f"{', '.join(f'{t:.0f}' for t in first[1:])})")
    print(f"outside requests: {len(result['outside'])}")
    print(f"each command: median of {opts.rounds} turns of {REPEAT} runs")
    print("| command | page | native | ratio |\n|---|---|---|---|")
    for line in LINES:
        print(f"| `{line}` | {page[line]:.2f} ms | {native[line]:.2f} ms | "
              f"{page[line] / native[line]:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
