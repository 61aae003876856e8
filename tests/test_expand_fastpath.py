"""The expander's shortcut for a word of plain characters (ipemu/bash/expand.py
SELF_CHARS, issue 19) answers as the full expansion does: every such word of the
transcripts' command lines, and words made to stress it, expand through the full
path to themselves, one field, under any IFS, with nullglob, noglob or as dash."""
from __future__ import annotations

import functools

import pytest

from ipemu.bash import expand
from ipemu.bash.interp import Interp
from ipemu.session import Session

from tests import corpus

STRESS = ["a", "-", "=", "a=b", "--x=1,2", "10.0.0.1/24", "@%+", "user@host:/p",
          "IFS", "a.b", "0x1F", "-n", ".", "..", "./x", "a,b", "x+", "%1"]
# (IFS, options): IFS holding the words' own characters, empty or unset; nullglob,
# noglob, extglob
STATES = [(None, ()), ("a-.=", ()), (":,@%", ("shopt:nullglob",)), ("", ("noglob",)),
          (" \t\n", ("shopt:extglob", "shopt:nullglob"))]


@functools.cache
def _words() -> list[str]:
    """The plain-character words of the transcripts' command lines (split at blanks:
    a piece of a quoted string is as good a probe), and STRESS."""
    out = set(STRESS)
    for path in corpus.paths():
        for command in corpus.commands(path):
            out.update(command.split())
    return sorted(w for w in out if w and expand.SELF_CHARS.issuperset(w))


def _run(gen):
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        return stop.value


@pytest.mark.parametrize("ifs,options", STATES)
def test_plain_words_expand_to_themselves_in_full(monkeypatch, ifs, options):
    words = _words()
    assert len(words) > 1000
    session = Session.create("default", "bare", "h", 0)
    interp = Interp(session, session.sh, 0, interactive=False)
    if ifs is not None:
        interp.state.set("IFS", ifs)
    interp.state.options.update(options)
    monkeypatch.setattr(expand, "SELF_CHARS", frozenset())   # the full path only
    for word in words if ifs is None or corpus.LONG else words[::7]:
        assert _run(interp.expand_fields(word)) == [word], word
        assert _run(interp.expand_string(word)) == word, word
    for dash in (True, False):
        interp.state.dash = dash
        assert _run(interp.expand_words(["a=b", "x-y"])) == ["a=b", "x-y"]


def test_the_shortcut_leaves_what_it_cannot_decide():
    for word in ["~", "a*", "a?", "[a]", "{a,b}", "$x", "`x`", "'a'", '"a"', "a\\b",
                 "@(a)", "a b", "é", ""]:
        assert not (word and expand.SELF_CHARS.issuperset(word)), word
