"""The shell parser's cache of parsed texts (ipemu/bash/parser.py chunks(), issue 19)
answers as the full parse does: after a slice of the corpus replayed with the cache
on, every text it holds parses afresh to equal chunks (so execution changed no
tree it was handed) and the same syntax error; a text read to its end only is kept,
and a dash shell, which rewrites its trees, is handed fresh ones."""
from __future__ import annotations

import re

import pytest

from ipemu.bash import parser
from ipemu.bash.parser import ShellSyntaxError, chunks, parse_chunks
from ipemu.session import Session
from ipemu.transcript.check import check_transcript

from tests import corpus

# the line kinds that hand the parser text of its own: scripts, `bash -c`, eval,
# source, functions, loops, substitutions, here-documents
SHELL_TEXT = re.compile(r"\b(bash|sh|eval|source|for|while|until|case|if|function)\b|"
                        r"\(\)|\$\(|`|<<|\./")


def _kinds(path) -> set[str]:
    words = set()
    for command in corpus.commands(path):
        words |= {m.group(0) for m in SHELL_TEXT.finditer(command)}
    return words


def _fresh(text: str, line: int):
    done = []
    try:
        for chunk in parse_chunks(text, line):
            done.append(chunk)
    except ShellSyntaxError as err:
        return done, (type(err), err.args, vars(err))
    return done, None


def _cached(text: str, line: int):
    done = []
    try:
        for chunk in chunks(text, line):
            done.append(chunk)
    except ShellSyntaxError as err:
        return done, (type(err), err.args, vars(err))
    return done, None


@pytest.fixture
def empty_cache(monkeypatch):
    monkeypatch.setattr(parser, "_PARSED", {})
    return parser._PARSED


def test_the_corpus_trees_are_left_as_parsed(empty_cache):
    """A cover of the kinds of shell text (SHELL_TEXT) and one transcript in 30 (every
    one in the long run, IPEMU_LONG=1)."""
    paths = corpus.cross_check_slice(
        [p for p in corpus.paths() if not corpus.needs_later_work(p)], _kinds, every=30)
    for path in paths:
        result = check_transcript(path)
        assert result.ok, f"{path}: command {result.mismatch.index}"
    assert len(empty_cache) > 100
    for (text, line), (done, error) in list(empty_cache.items()):
        fresh_done, fresh_error = _fresh(text, line)
        assert done == fresh_done, text
        if error is None:
            assert fresh_error is None, text
        else:
            assert (type(error), error.args, vars(error)) == fresh_error, text


@pytest.mark.parametrize("text", [
    "echo a; echo b\nfor x in 1 2; do echo $x; done\n",
    "echo a\nif true; then\n",                  # the end comes too early
    "echo a\necho b )\necho c\n",               # an error after two commands
    "cat <<EOF\nbody\nEOF\necho after\n",
    "ip -br link",                              # the plain-words path
    "f() { echo \"$@\"; }\nf 1 2",
])
def test_a_cached_text_reads_as_a_fresh_one(empty_cache, text):
    first = _cached(text, 3)
    assert (text, 3) in empty_cache
    again = _cached(text, 3)
    assert first == _fresh(text, 3) == again
    assert [c.line for c in first[0]] == [c.line for c in _fresh(text, 3)[0]]


def test_the_error_raised_is_a_new_one_each_time(empty_cache):
    errors = []
    for _ in range(2):
        with pytest.raises(ShellSyntaxError) as info:
            list(chunks("echo )"))
        errors.append(info.value)
    errors[0].message = "changed by a caller"
    assert errors[0] is not errors[1]
    assert _cached("echo )", 1)[1] == _fresh("echo )", 1)[1]


def test_a_text_left_unread_is_not_kept(empty_cache):
    reader = chunks("echo a\necho b\n")
    next(reader)
    reader.close()
    assert not empty_cache
    list(chunks("x" * (parser._PARSED_TEXT_MAX + 1)))
    assert not empty_cache


def test_the_cache_is_bounded(empty_cache, monkeypatch):
    monkeypatch.setattr(parser, "_PARSED_MAX", 3)
    for n in range(5):
        list(chunks(f"echo {n}"))
    assert list(empty_cache) == [("echo 2", 1), ("echo 3", 1), ("echo 4", 1)]


def test_dash_rewrites_fresh_trees(empty_cache):
    """dash reads `cmd &> FILE` as `cmd &` and `> FILE` and rewrites its tree so
    (_dash_amp_redirects()): bash, reading the same text after it, still writes the
    file."""
    session = Session.create("default", "bare", "h", 0)
    text = "echo hi &> out.txt"
    assert session.run_line(f"sh -c '{text}'; wait")[1] == 0
    assert session.run_line(f"bash -c '{text}'; wait")[0].text() == ""
    assert session.run_line("cat out.txt")[0].text() == "hi\n"
