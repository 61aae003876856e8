"""Start-up of `ipemu -c`, as ratios against bare Python and the real `ip`, measured in
the same run. Not a test: run it by hand on an installed (non-editable) ipemu.

    python benchmarks/startup.py [-n 20] [--ipemu PATH]

The real `ip` runs inside a fresh network namespace (`unshare -n`, root only), in one
shell loop so that unshare's own cost is not counted per call.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def timed(cmd: list[str], n: int, env: dict) -> float:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def real_ip(n: int) -> float | None:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return None
    loop = f"for i in $(seq {n}); do ip -br link >/dev/null; done"
    start = time.perf_counter()
    subprocess.run(["unshare", "-n", "sh", "-c", loop], check=False)
    total = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(["unshare", "-n", "sh", "-c", "true"], check=False)
    return (total - (time.perf_counter() - start)) / n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--ipemu", default=shutil.which("ipemu") or "ipemu")
    opts = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    python = os.path.join(os.path.dirname(os.path.realpath(opts.ipemu)), "python3")
    if not os.path.exists(python):
        python = sys.executable
    subprocess.run([opts.ipemu, "-c", "true"], env=env, check=False)  # warm the caches
    bare = timed([python, "-c", "pass"], opts.n, env)
    one_shot = timed([opts.ipemu, "-c", "ip -br link"], opts.n, env)
    print(f"python -c pass          {bare * 1000:7.1f} ms")
    print(f"ipemu -c 'ip -br link'  {one_shot * 1000:7.1f} ms   ({one_shot / bare:.1f}x bare Python)")
    real = real_ip(opts.n)
    if real is not None:
        print(f"ip -br link (real)      {real * 1000:7.1f} ms   (ipemu is {one_shot / real:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
