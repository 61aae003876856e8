"""The transcripts themselves are collected by ipemu's pytest plugin (pyproject.toml:
`ipemu_transcripts`); here: that there are enough of them, and that the plugin reports
a wrong output as a readable diff."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "transcripts"


def test_transcripts_exist():
    assert len(list(ROOT.rglob("*.txt"))) >= 30


def test_plugin_collects_and_shows_a_diff(pytester):
    pytester.makeini("[pytest]\nipemu_transcripts = cases\n")
    case = pytester.mkdir("cases") / "wrong.txt"
    case.write_text("# scenario: bare\n[root@oracle ~]# ip -V\nip utility, iproute2-5.0\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*command 1: ip -V*", "*-ip utility, iproute2-5.0*",
                                 "*+ip utility, iproute2-6.1.0, libbpf 1.1.2*"])
