"""The fix round 46's Q&A errors led to (its cases, tutorials46e_, are replayed whole by
test_rounds.py): ss's filter as ssfilter.y parses it. Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, iproute2 6.1), twice, the two recordings alike under
diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

BISON = 'ss: bison bellows (while parsing filter): "syntax error!" Sorry.\nUsage: ss'


def _run(line: str) -> tuple[str, int]:
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("ip link set lo up")
    quoted = "'" + line.replace("'", "'\\''") + "'"
    term, _ = shell.run_line(f"bash -c {quoted}; echo rc=$?")
    text = term.text()
    body, _, rc = text.rpartition("rc=")
    return body, int(rc)


def test_word_after_expression_is_lexed_by_the_last_keyword():
    # tutorials46e_hogetech_ss_filters_ja: yylex()'s tok_type stays DPORT after
    # `dport = :ssh )`, so `extra` is parsed as a port before the grammar rejects it
    assert _run("ss -o state established '( dport = :ssh )' extra") == (
        'Error: "extra" does not look like a port.\nCannot parse dst/src address.\n', 1)
    assert _run("ss -tn dev lo foo") == ("Cannot parse device.\n", 1)
    assert _run("ss -tn fwmark = 0x1 zz") == ("Cannot parse mark zz.\n", 1)


def test_a_word_that_lexes_where_no_rule_takes_it_is_a_syntax_error():
    for line in ("ss -tn dport = :80 or 443", "ss -tn src :22 or", "ss -tn not",
                 "ss -tn dport = :22 '&&'", "ss -tn '( )'", "ss -tn dev lo lo",
                 "ss -tn dport = :22 or or sport = :1"):
        text, rc = _run(line)
        assert text.startswith(BISON) and rc == 255, line


def test_tokens_split_at_blanks_only():
    # get_token_from_line(): `(dport` is one word, a host
    assert _run("ss -tn '(dport = :22)'") == (
        'Error: an inet prefix is expected rather than "(dport".\n'
        "Cannot parse dst/src address.\n", 1)
    assert _run("ss -tn '( dport = :22)'") == (
        'Error: "22)" does not look like a port.\nCannot parse dst/src address.\n', 1)
    text, rc = _run("ss -tn '! (' dport = :22 ')'")
    assert text.startswith("State") and text.count("\n") == 1 and rc == 0


def test_values_of_fwmark_cgroup_and_family():
    assert _run("ss -tn fwmark = zz") == ("Cannot parse mark zz.\n", 1)
    text, rc = _run("ss -tn fwmark = 0x1/0xff")
    assert text.startswith("State") and text.count("\n") == 1 and rc == 0
    assert _run("ss -tn cgroup = /nonexist") == (
        "Failed to open cgroup2 mount\nCannot parse cgroup /nonexist.\n", 1)
    assert _run("ss -6 -tn dst 127.0.0.1") == (
        'Error: an inet prefix is expected rather than "127.0.0.1".\n'
        "Cannot parse dst/src address.\n", 1)


def test_filter_file_lines_follow_the_command_line_words():
    # tutorials46e_ss_filter_file: yylex() reads -F FILE's lines once argv is used up
    # ('#' lines skipped), so a word left in the file fails as it would on the line
    assert _run("printf 'dport = :22 extra\\n' > f3; ss -tn -F f3") == (
        'Error: "extra" does not look like a port.\nCannot parse dst/src address.\n', 1)
    text, rc = _run("printf '\\n\\nsrc 10.0.0.1 or\\n' > f5; ss -tn -F f5")
    assert text.startswith(BISON) and rc == 255
    text, rc = _run("printf 'or\\nsport = :ssh\\n' > f4; ss -tn dport = :22 -F f4")
    assert text.startswith("State") and rc == 0
