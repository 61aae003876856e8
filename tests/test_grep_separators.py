"""grep's group separators (grep.c prtext()): out_before/out_after start at -1, so any
-A/-B/-C/-NUM given, even 0, prints GROUP_SEPARATOR between groups that do not go on
from the last line printed, with -o too, and between one file's lines and the next's
(lastout is reset per file). Golden text from GNU grep 3.8 on the project's Debian 12
machine (`netstat -s | grep -i -e frag -e 'ip:' -A0` printed its '--' there)."""
from __future__ import annotations

import pytest

from ipemu.session import Session

TEXT = "printf 'a\\nb\\na\\nc\\nc\\na\\n' > g.txt; "


@pytest.mark.parametrize("options, expected", [
    ("-A0", "a\n--\na\n--\na\n"),
    ("-B0", "a\n--\na\n--\na\n"),
    ("-C0", "a\n--\na\n--\na\n"),
    ("-A1", "a\nb\na\nc\n--\na\n"),
    ("-A0 --no-group-separator", "a\na\na\n"),
    ("-A0 --group-separator=XX", "a\nXX\na\nXX\na\n"),
    ("-c -A0", "3\n"),
    ("-o -A0", "a\n--\na\n--\na\n"),
    ("-o -A1", "a\na\n--\na\n"),
    ("", "a\na\na\n"),
])
def test_group_separators(options, expected):
    session = Session.create(scenario="default")
    term, _ = session.run_line(TEXT + f"grep {options} a g.txt")
    assert term.stream("stdout") == expected


def test_a_separator_between_files():
    session = Session.create(scenario="default")
    term, _ = session.run_line(TEXT + "grep -A0 a g.txt g.txt | head -4")
    assert term.stream("stdout") == "g.txt:a\n--\ng.txt:a\n--\n"
