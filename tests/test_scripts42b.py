"""Round 42b's scripts (transcripts/scripts/scripts42b_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) and the behaviours they
brought, each with golden text recorded on the real machine (Debian 12: bash 5.2; the
recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


# transcripts/scripts/scripts42b_pinger_workers is replayed by `ipemu check` (the
# transcripts' test); its script is not pasted a line at a time (its header says why)


def _script(text: str) -> str:
    """What `bash s.sh` prints, s.sh holding `text` (a script: no job control)."""
    quoted = text.replace("'", "'\\''")
    return _lines(f"printf '%s\\n' '{quoted}' > s.sh\nbash s.sh\n")


@pytest.mark.parametrize("text, expected", [
    # a background subshell's own TERM trap runs once the command it waits for has
    # ended (run_pending_traps()), and its exit status is the trap's `exit`; ipemu
    # killed the list (143) whatever it trapped (recorded, bash 5.2)
    ("( trap 'echo \"worker stop\"; exit 0' TERM; while :; do sleep 0.2; done ) & w=$!; "
     "sleep 0.5; kill $w; wait $w; echo \"rc=$?\"", "worker stop\nrc=0\n"),
    # in `wait` the trapped signal ends the waiting at once: $? in the trap is 128+N
    ("( trap 'echo \"w stop $?\"; exit 4' TERM; sleep 3 & wait $! ) & w=$!; sleep 0.5; "
     "kill $w; wait $w; echo \"rc=$?\"", "w stop 143\nrc=4\n"),
    # a function run with `&`: its INT trap too (the async list's ignored SIGINT is
    # trapped again inside it)
    ("f() { trap 'echo \"f stop\"; exit 0' TERM INT; while true; do sleep 0.3; done; }; "
     "f & w=$!; sleep 0.5; kill -INT $w; wait $w; echo \"rc=$?\"; f & w=$!; sleep 0.5; "
     "kill $w; wait $w; echo \"rc=$?\"", "f stop\nrc=0\nf stop\nrc=0\n"),
    # the parent's traps are not the forked list's handlers (reset_signal_handlers()):
    # its TERM kills it, its EXIT trap does not run there
    ("trap 'echo parent trap' TERM; ( while :; do sleep 0.2; done ) & w=$!; sleep 0.5; "
     "kill $w; wait $w; echo \"rc=$?\"", "rc=143\n"),
    ("trap 'echo parent exit' EXIT; f() { while :; do sleep 0.2; done; }; f & w=$!; "
     "sleep 0.3; kill $w; wait $w; echo \"rc=$?\"", "rc=143\nparent exit\n"),
    ("trap 'echo parent exit' EXIT; f() { trap 'echo stop; exit 0' TERM; sleep 5 & wait; }; "
     "f & w=$!; sleep 0.3; kill $w; wait $w; echo \"rc=$?\"", "stop\nrc=0\nparent exit\n"),
    # an ignored one stays ignored
    ("trap '' TERM; ( sleep 0.6; echo survived ) & w=$!; sleep 0.2; kill $w; wait $w; "
     "echo \"rc=$?\"", "survived\nrc=0\n"),
    # without job control a list run with `&` ignores SIGINT once it has run
    # (setup_async_signals())
    ("( sleep 1; echo sub done ) & w=$!; sleep 0.2; kill -INT $w; wait $w; echo \"rc=$?\"",
     "sub done\nrc=0\n"),
    ("sleep 1 & w=$!; sleep 0.2; kill -INT $w; wait $w; echo \"rc=$?\"", "rc=0\n"),
    # the script's own shell: `wait` cut short by a trapped signal, $? 128+N in the trap
    ("trap 'echo t $?' TERM; sleep 1 & (sleep 0.3; kill $$) & wait $!; echo \"rc=$?\"; wait",
     "t 143\nrc=143\n"),
])
def test_background_lists_keep_their_own_traps(text, expected):
    assert _script(text) == expected
