"""`ip -batch`: the line reader and word splitter of iproute2's lib/utils.c
(getcmdline, makeargs) and the stop rule; transcripts/ip/batch_*.txt hold the
recordings from the real machine."""
from __future__ import annotations

import pytest

from ipemu.errors import CommandError
from ipemu.session import Session
from ipemu.tools.context import Terminal, ToolContext
from ipemu.tools.ip_batch import _command_lines, _makeargs


def lines(text: str) -> tuple[list[tuple[int, list[str]]], str]:
    term = Terminal()
    ctx = ToolContext(None, None, term, None)
    got = [(n, _makeargs(line)) for n, line in _command_lines(ctx, text)]
    return got, term.text()


def test_comments_blank_lines_and_continuations():
    got, err = lines("link show\n\n  # all comment\naddr show dev lo # tail\n"
                     "route \\\n  show \\\n table main\nlink")
    assert got == [(1, ["link", "show"]), (2, []), (3, []), (4, ["addr", "show", "dev", "lo"]),
                   (7, ["route", "show", "table", "main"]), (8, ["link"])]
    assert err == ""


def test_a_comment_ends_the_line_even_before_a_backslash():
    got, _ = lines("link show # \\\nlo\n")
    assert got == [(1, ["link", "show"]), (2, ["lo"])]


def test_missing_continuation_line_ends_the_batch():
    got, err = lines("link show\nlink \\\n")
    assert got == [(1, ["link", "show"])]
    assert err == "Missing continuation line\n"


def test_quotes_start_words_only():
    assert _makeargs("a 'b c' \"d'e\" f\"g h\"\t\r\n") == ["a", "b c", "d'e", 'f"g', 'h"']
    assert _makeargs("'ab'cd") == ["ab", "cd"]
    with pytest.raises(CommandError) as err:
        _makeargs("link show 'lo")
    assert (err.value.message, err.value.status) == ("Unterminated quoted string\n", 1)


def run(session: Session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


def test_unterminated_quote_ends_the_batch_without_command_failed():
    s = Session.create(scenario="bare")
    run(s, "echo 'link show lo' > b.txt")
    run(s, "echo \"link show 'lo\" >> b.txt")
    run(s, "echo 'link show lo' >> b.txt")
    out, status = run(s, "ip -force -batch b.txt")
    assert status == 1
    assert out.count("1: lo:") == 1 and out.endswith("Unterminated quoted string\n")


def test_batch_from_stdin_redirection_and_names_it_dash():
    s = Session.create(scenario="bare")
    run(s, "echo 'link show nosuch' > b.txt")
    assert run(s, "ip -batch - < b.txt") == (
        'Device "nosuch" does not exist.\nCommand failed -:1\n', 1)


def test_an_address_that_does_not_parse_ends_the_batch():
    # lib/utils.c get_addr(): exit(1) in the middle of the batch, even with -force
    s = Session.create(scenario="bare")
    run(s, "echo 'route get 10.0.0.300' > b.txt")
    run(s, "echo 'link show lo' >> b.txt")
    out, status = run(s, "ip -force -batch b.txt")
    assert status == 1 and "lo:" not in out and "Command failed" not in out
