"""`ipemu doc`: outputs written under their commands, every other byte kept, --check
with a diff and exit 1 (file untouched), --clean, directives, cram `.t`, the plugin."""
from __future__ import annotations

from pathlib import Path

import pytest

from ipemu.cli import main
from ipemu.doc.document import DocError, parse
from ipemu.doc.main import process
from ipemu.doc.run import matches

PAGE = """\
# A page

Prose stays *as written*.

<!-- ipemu: scenario=bare seed=3 -->

```console
[root@oracle ~]# ip link add veth0 type veth peer name veth1
[root@oracle ~]# ip link show nope
```

<!-- ipemu setup
ip link set lo up
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
-->

Text between blocks.

<!-- ipemu: cut=2 -->
```console
# ping -c 2 192.168.2.11
$ ip -br addr show dev veth0
```
"""


def write(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_update_writes_outputs_and_keeps_every_other_byte(tmp_path, capsys):
    path = write(tmp_path, PAGE)
    assert main(["doc", str(path)]) == 0
    text = path.read_text()
    assert "[root@oracle ~]# ip link show nope\nDevice \"nope\" does not exist.\n[1]\n```" \
        in text
    assert "# ping -c 2 192.168.2.11\nPING 192.168.2.11 (192.168.2.11) 56(84) bytes of " \
        "data.\n64 bytes from 192.168.2.11: icmp_seq=1 ttl=64 time=" in text
    assert "$ ip -br addr show dev veth0\nveth0@veth1      UP             192.168.2.11/24" \
        in text
    # what is not output is the page as written
    blank = process(path, clean=True).new
    assert blank == PAGE
    assert main(["doc", "--check", str(path)]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_blanked_document_is_regenerated_byte_for_byte(tmp_path):
    path = write(tmp_path, PAGE)
    main(["doc", str(path)])
    done = path.read_text()
    assert main(["doc", "--clean", str(path)]) == 0
    assert path.read_text() == PAGE
    main(["doc", str(path)])
    assert path.read_text() == done


def test_check_prints_a_diff_exits_1_and_leaves_the_file(tmp_path, capsys):
    path = write(tmp_path, PAGE)
    main(["doc", str(path)])
    stale = path.read_text().replace("does not exist", "is gone")
    path.write_text(stale)
    capsys.readouterr()
    assert main(["doc", "--check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {path}" in out
    assert '-Device "nope" is gone.\n+Device "nope" does not exist.\n' in out
    assert path.read_text() == stale


def test_terminal_block_runs_beside_a_command_and_is_stopped_with_ctrl_c(tmp_path):
    page = """\
<!-- ipemu setup
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
ip link set veth1 up
-->
<!-- ipemu: id=ping -->
```console
# ping -c 2 192.168.2.11
```
In the other window:
<!-- ipemu: terminal start=ping -->
```console
# tcpdump -i lo -n
```
"""
    path = write(tmp_path, page)
    main(["doc", str(path)])
    text = path.read_text()
    dump = text.split("# tcpdump -i lo -n\n")[1]
    assert dump.startswith("tcpdump: verbose output suppressed")
    assert dump.count("ICMP echo request") == 2
    assert "\n^C\n4 packets captured\n" in dump


def test_terminal_block_stopped_after_a_later_block(tmp_path):
    page = """\
<!-- ipemu setup
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add 192.168.2.11/24 dev veth0
ip link set veth0 up
-->
<!-- ipemu: terminal stop=ping -->
```console
# tcpdump -i lo -n
```
<!-- ipemu: id=ping -->
```console
# ping -c 1 192.168.2.11
```
"""
    path = write(tmp_path, page)
    main(["doc", str(path)])
    dump = path.read_text().split("# tcpdump -i lo -n\n")[1]
    assert dump.count("ICMP echo reply") == 1


def test_terminal_block_needs_a_place(tmp_path, capsys):
    path = write(tmp_path, "<!-- ipemu: terminal -->\n```console\n# ip link\n```\n")
    assert main(["doc", "--check", str(path)]) == 1
    assert f"ipemu doc: {path}:2: a terminal block runs beside" in capsys.readouterr().err


def test_masks_skip_and_hostname_from_the_prompt(tmp_path):
    page = """\
<!-- ipemu: mask='[0-9a-f]{2}(:[0-9a-f]{2}){5}' with=MAC -->
```console
[root@huzhi-code ~]# ip -br link show ens192
[root@huzhi-code ~]# hostname
```
<!-- ipemu: skip -->
```console
# ip link show
anything at all
```
"""
    path = write(tmp_path, page)
    main(["doc", str(path)])
    text = path.read_text()
    # the prompt's host names a scenario: huzhi-code's ens192
    assert "ens192           UP             MAC <BROADCAST,MULTICAST,UP,LOWER_UP>" in text
    assert "# hostname\nhuzhi-code\n" in text
    assert "# ip link show\nanything at all\n" in text


def test_cram_lines_that_match_are_kept():
    assert matches(["time=* ms (glob)", "a.c (re)", "x"], ["time=0.04 ms", "abc", "x"])
    assert not matches(["a"], ["a", "b"])
    assert matches([r"tab\there (esc)"], ["tab\there"])


@pytest.mark.parametrize("text, message", [
    ("<!-- ipemu: colour=red -->\n", "unknown directive 'colour'"),
    ("<!-- ipemu: cut=x -->\n```console\n# ip l\n```\n", "cut needs a number"),
    ("<!-- ipemu: id=a -->\n", "directive before no console block"),
    ("<!-- ipemu: scenario=bare cut=3 -->\n", "'cut' is a block option"),
    ("<!-- ipemu: mask='(' -->\n```console\n```\n", "mask '('"),
])
def test_bad_directives(text, message):
    with pytest.raises(DocError, match=message.replace("(", r"\(")):
        parse(text)


def test_failed_setup_and_unknown_scenario_are_reported(tmp_path, capsys):
    bad = write(tmp_path, "<!-- ipemu setup\nip link add x type nosuch\n-->\n")
    assert main(["doc", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"ipemu doc: {bad}:1: setup command failed with status" in err
    other = write(tmp_path, "<!-- ipemu: scenario=nowhere -->\n", "b.md")
    assert main(["doc", "--check", str(other)]) == 1
    assert "unknown scenario 'nowhere'" in capsys.readouterr().err
    assert main(["doc", str(tmp_path / "missing.md")]) == 2
    assert "missing.md: No such file or directory" in capsys.readouterr().err


@pytest.mark.parametrize("text, message", [
    ("<!-- ipemu: think=soon -->\n```console\n# true\n```\n",
     ":1: think=soon: not a number of seconds"),
    ("<!-- ipemu: profile=nope -->\n```console\n# true\n```\n", ": unknown profile 'nope'"),
    ("<!-- ipemu: id=a -->\n```console\n# sleep 1\n```\n"
     "<!-- ipemu: terminal start=a -->\n```console\n# ip l | wc\n```\n",
     ":7: a terminal block runs one simple command per prompt"),
    ("<!-- ipemu: id=a -->\n```console\n# sleep 1\n```\n"
     "<!-- ipemu: terminal start=a -->\n```console\n# echo 'open\n```\n",
     ":7: bash: unexpected EOF while looking for matching `''"),
    ("<!-- ipemu: terminal start=b -->\n```console\n# true\n```\n", ":2: no block has id=b"),
])
def test_documents_ipemu_cannot_run(tmp_path, capsys, text, message):
    path = write(tmp_path, text)
    assert main(["doc", "--check", str(path)]) == 1
    assert f"ipemu doc: {path}" + message in capsys.readouterr().err.replace(":0:", ":")
    assert path.read_text() == text


CRAM = """\
A cram test: comments, then indented commands.

  $ ip link add veth0 type veth peer name veth1
  $ ip link show nope
  $ ip -br link show lo
  lo * (glob)
"""


def test_cram_file_as_a_document(tmp_path):
    path = write(tmp_path, CRAM, "case.t")
    main(["doc", str(path)])
    assert path.read_text() == CRAM.replace(
        "  $ ip link show nope\n", "  $ ip link show nope\n"
        "  Device \"nope\" does not exist.\n  [1]\n")


def test_plugin_collects_documents(pytester):
    pytester.makeini("[pytest]\nipemu_docs = pages\n")
    pages = pytester.mkdir("pages")
    (pages / "good.md").write_text("```console\n# echo hi\nhi\n```\n")
    (pages / "bad.md").write_text("```console\n# echo hi\nho\n```\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*stale outputs*", "*-ho*", "*+hi*"])


def test_cram_file_as_a_transcript(pytester):
    """Under `ipemu_transcripts`, a `.t` is compared as transcripts are: a MAC recorded
    on a real host matches ipemu's after mask.py renames both."""
    pytester.makeini("[pytest]\nipemu_transcripts = cases\n")
    cases = pytester.mkdir("cases")
    (cases / "mac.t").write_text(
        "  $ ip link add veth0 type veth peer name veth1\n"
        "  $ ip -br link show veth0\n"
        "  veth0@veth1      DOWN           9a:5f:9d:d6:69:62 <BROADCAST,MULTICAST,M-DOWN> \n")
    (cases / "wrong.t").write_text("  $ ip link show nope\n  Device \"nope\" is gone.\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*line 1: ip link show nope*", "*+[[]1]*"])


def test_front_matter_sets_the_host(tmp_path):
    page = "---\ntitle: x\nipemu: scenario=default profile=el7\n---\n```console\n# ip -V\n```\n"
    path = write(tmp_path, page)
    main(["doc", str(path)])
    text = path.read_text()
    assert text.startswith("---\ntitle: x\nipemu: scenario=default profile=el7\n---\n")
    assert "# ip -V\nip utility, iproute2-ss130716\n" in text
