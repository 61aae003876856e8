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


def test_check_counts_needs_as_expected_failures(tmp_path, capsys):
    # a `# needs:` transcript that fails is listed as XFAIL and does not fail the run;
    # a real failure still does
    from ipemu.transcript.check import main
    wrong = "[root@oracle ~]# ip -V\nip utility, iproute2-5.0\n"
    (tmp_path / "a_needs.txt").write_text("# needs: ip version\n# scenario: bare\n" + wrong)
    (tmp_path / "b_ok.txt").write_text(
        "# scenario: bare\n[root@oracle ~]# echo hi\nhi\n")
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"XFAIL {tmp_path}/a_needs.txt: command 1: ip -V (needs: ip version)" in out
    assert out.endswith("1 passed, 0 failed, 1 expected to fail (needs:)\n")
    (tmp_path / "c_wrong.txt").write_text("# scenario: bare\n" + wrong)
    assert main([str(tmp_path)]) == 1
    assert capsys.readouterr().out.endswith(
        "1 passed, 1 failed, 1 expected to fail (needs:)\n")
