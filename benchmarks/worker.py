"""One ipemu measurement in a fresh process (run by `python -m benchmarks`):

    python -m benchmarks.worker batch FILE [SETUP_FILE]   time `ip -batch FILE`
    python -m benchmarks.worker settle FILE               time `sleep 3` after `ip -batch FILE`
    python -m benchmarks.worker ping COUNT                time `ping -f -c COUNT`

A bare host is booted as `ipemu -c LINE` boots it (cli._shell(): ipemu's modules and
generated methods from the code bundle, the collector off while the modules and the host
are made, then what they made frozen and the collector back on,
cli.collect_after_boot()), the setup lines run untimed as that process's lines, then the
measured line; one JSON line reports its seconds, its status and the process's peak
memory (ru_maxrss). What the run imported or compiled anew goes into the bundle at its
end, as `ipemu -c` does at its exit (until session 21 the worker took modules from
their .pyc files and methods from the method store: a process's first `route get`
opened some files a one-shot line does not, ~1 ms of the 1,000 gets' 7 to 8 ms)."""
from __future__ import annotations

import gc
import json
import resource
import sys
import time

gc.disable()        # (collect_after_boot() turns it back on)

# ipemu's modules and generated methods from the code bundle, as `ipemu -c` takes
# them (cli._shell()); what this run imported or compiled anew is added at its end,
# as `ipemu -c` adds it (cli's exit)
from ipemu import codebundle  # noqa: E402

_BUNDLE = codebundle.install()

from benchmarks import workloads as W  # noqa: E402
from ipemu.cli import collect_after_boot  # noqa: E402
from ipemu.session import Session  # noqa: E402


def main(argv: list[str]) -> int:
    kind, *args = argv
    session = Session.create("default", "bare", "bench", 0)
    collect_after_boot()
    if kind == "batch":
        setup = [f"ip -batch {name}" for name in args[1:]]
        for name in args:
            session.write_file(name, W.text(name).encode())
        line = f"ip -batch {args[0]}"
    elif kind == "settle":
        session.write_file(args[0], W.text(args[0]).encode())
        setup = [f"ip -batch {args[0]}"]
        line = f"sleep {W.SETTLE_SECONDS}"
    elif kind == "ping":
        setup = W.FLOOD_SETUP.splitlines()
        line = f"ip netns exec a ping -f -c {int(args[0])} 10.0.0.2"
    else:
        raise SystemExit(f"unknown work {kind}")
    for text in setup:
        _, status = session.run_line(text)
        if status:
            raise SystemExit(f"setup failed: {text}")
    # the measured line is the process's last, as cli._shell() marks a one-shot
    # line's (its batch freezes what it made instead of collecting it); the setup
    # lines are not: the process goes on after them
    session.process_ends = True
    start = time.perf_counter()
    term, status = session.run_line(line)
    seconds = time.perf_counter() - start
    if status:
        raise SystemExit(f"{line}: status {status}: {term.text()[-300:]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "status": status, "peak_mib": peak}))
    sys.stdout.flush()
    codebundle.save(_BUNDLE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
