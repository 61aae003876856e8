"""`ipemu doc --cast`: a valid asciicast v2 file (header line of JSON with version 2,
width and height; events [time, "o", text] with times that never decrease), paced by
the virtual clock."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ipemu.cli import main

PAGE = """\
<!-- ipemu setup
ip link set lo up
-->
```console
[root@oracle ~]# ip -br link
[root@oracle ~]# ping -c 4 127.0.0.1
```
"""


def cast_of(tmp_path: Path) -> Path:
    page = tmp_path / "page.md"
    page.write_text(PAGE)
    cast = tmp_path / "page.cast"
    assert main(["doc", "--cast", str(cast), str(page)]) == 0
    return cast


def test_cast_is_asciicast_v2(tmp_path):
    lines = cast_of(tmp_path).read_text().splitlines()
    header = json.loads(lines[0])
    assert header["version"] == 2
    assert isinstance(header["width"], int) and isinstance(header["height"], int)
    events = [json.loads(line) for line in lines[1:]]
    assert events
    times = [e[0] for e in events]
    assert all(isinstance(t, (int, float)) for t in times)
    assert times == sorted(times) and times[0] >= 0
    assert all(e[1] == "o" and isinstance(e[2], str) for e in events)
    screen = "".join(e[2] for e in events)
    assert screen.startswith("[root@oracle ~]# ip -br link\r\nlo ")
    assert "\r\n[root@oracle ~]# ping -c 4 127.0.0.1\r\nPING 127.0.0.1" in screen
    assert "\n" not in screen.replace("\r\n", "")


def test_cast_is_paced_by_the_virtual_clock(tmp_path):
    events = [json.loads(line) for line in cast_of(tmp_path).read_text().splitlines()[1:]]
    enter = max(e[0] for e in events if e[2] == "\r\n")        # after typing the ping
    output = next(e[0] for e in events if e[2].startswith("PING"))
    assert 3.0 <= output - enter < 3.5          # ping -c 4 takes its 3 seconds


def test_cast_needs_one_document(tmp_path, capsys):
    assert main(["doc", "--cast", str(tmp_path / "x.cast"), str(tmp_path)]) == 2
    assert "--cast records one document's session" in capsys.readouterr().err


def test_asciinema_reads_the_cast(tmp_path):
    pytest.importorskip("asciinema")
    cast = cast_of(tmp_path)
    shown = subprocess.run([sys.executable, "-m", "asciinema", "cat", str(cast)],
                           capture_output=True, check=True).stdout.decode()
    events = [json.loads(line) for line in cast.read_text().splitlines()[1:]]
    assert shown == "".join(e[2] for e in events)
