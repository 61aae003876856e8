"""A pipeline's stages fed as the program before them writes (ipemu/bash/pipe.py):
which filters are previewed, and what a pipeline ends with in virtual time."""
from __future__ import annotations

import pytest

from ipemu.bash.pipe import literal
from ipemu.session import Session


@pytest.mark.parametrize("word, expected", [
    ("ICMP", "ICMP"), ("'echo request'", "echo request"), ("-d' '", "-d "),
    ('"a b"', "a b"), ("$x", None), ('"$x"', None), ("a*", None), ("'", None),
    ("`id`", None),
])
def test_literal_words(word, expected):
    assert literal(word) == expected


@pytest.mark.parametrize("line, shown", [
    # previewed filters: the output comes ahead of the end, never twice
    ("ping -c 3 10.0.2.2 | grep -c icmp", "3\n"),                 # a count: at the end
    ("ping -c 2 10.0.2.2 | grep icmp_seq=2 | cut -d' ' -f5", "icmp_seq=2\n"),
    ("ping -c 2 10.0.2.2 | tr a-z A-Z | head -1", "PING 10.0.2.2 (10.0.2.2) 56(84) BYTES OF "
                                                  "DATA.\n"),
    ("ping -c 2 10.0.2.2 | sort | head -1", "\n"),                # sort: at the end
])
def test_pipeline_output_is_whole_once(line, shown):
    session = Session.create(scenario="default")
    term, _ = session.run_line(line)
    assert term.stream("stdout") == shown


def test_head_breaks_the_pipe_in_virtual_time():
    """Recorded (transcripts/shell/pipe_sigpipe): ping dies of SIGPIPE at its next
    write after head has its lines; the line ends then, not at the --timeout bound."""
    session = Session.create(scenario="default")
    start = session.host.clock.now
    term, status = session.run_line('ping 10.0.2.2 | head -3; echo "$? ${PIPESTATUS[*]}"')
    assert term.stream("stdout").endswith("0 141 0\n")
    assert "interrupted" not in term.text()
    # PING and seq 1 at once, seq 2 at 1 s (head has its 3 lines), seq 3 at 2 s: EPIPE
    assert session.host.clock.now - start == pytest.approx(2.0, abs=0.1)


def test_a_function_named_like_a_filter_is_not_previewed():
    session = Session.create(scenario="default")
    term, _ = session.run_line("grep() { echo fn; }; ping -c 1 10.0.2.2 | grep icmp")
    assert term.stream("stdout") == "fn\n"


@pytest.mark.parametrize("line, statuses", [
    # recorded (transcripts/shell/pipe_sigpipe): grep -q exits at its first match,
    # grep -m 2 after two; ping's next write meets the closed pipe
    ("ping -c 4 10.0.2.2 | grep -q icmp", "141 0"),
    ("ping -c 5 10.0.2.2 | grep -m 2 icmp", "141 0"),
    ("ping -c 2 10.0.2.2 | grep -q nomatch", "0 1"),
])
def test_a_grep_that_stops_reading_breaks_the_pipe(line, statuses):
    session = Session.create(scenario="default")
    term, _ = session.run_line(line + '; echo "${PIPESTATUS[*]}"')
    assert term.stream("stdout").endswith(statuses + "\n")
