"""transcripts/public/measure.py judges each step as `ipemu check` does: a transcript
that check passes has every command matched there too (a recorded "\\r", curl's
progress meter, once read as "\\n" by measure alone)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "transcripts"


def _measure():
    spec = importlib.util.spec_from_file_location("measure", ROOT / "public" / "measure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure


@pytest.mark.parametrize("name", ["scripts/alexandermedv_netology_hosts.txt",
                                  "scripts/rdegtyarev_curl_hosts.txt",
                                  "seed/seed-veth-el7.txt"])
def test_measure_agrees_with_check(name: str) -> None:
    from ipemu.transcript.check import check_transcript
    path = ROOT / name
    assert check_transcript(path).ok
    ok, total, first = _measure()(path)
    assert (ok, first) == (total, None)
