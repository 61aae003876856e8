"""The fixes round 43's JSON-and-jq tutorials led to (their cases, tutorials43d_, are
replayed whole by test_rounds.py). Every expected text was printed by this machine's
jq 1.6 (Debian 12's 1.6-2.1), in the oracle's recorder or with its stdout on a pipe."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _run(line: str) -> tuple[str, int]:
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    # through cat: jq's stdout is a pipe, so no colours
    term, _ = shell.run_line("{ " + line + "; echo \"rc=$?\"; } 2>&1 | cat")
    return term.text(), 0


@pytest.mark.parametrize("line, want", [
    # jvp_dtoa_fmt(): shortest digits, exponent past 15 places beyond them or before -4
    ("jq -n -c '[1e17, 1e16, 1e15, 100000000000000000000, 12345678901234567890, "
     "0.00001234, 0.0001, -0, 1.5e300]'",
     "[1e+17,1e+16,1000000000000000,1e+20,12345678901234567000,1.234e-05,0.0001,-0,"
     "1.5e+300]\nrc=0\n"),
    ("echo '100000000000000000001' | jq -c '[. + 1, . == 100000000000000000000]'",
     "[1e+20,true]\nrc=0\n"),
    ("jq -n -c '\"ab\" * 2, \"a\" * 0, {\"a\":{\"b\":1}} * {\"a\":{\"c\":2}}'",
     "\"abab\"\nnull\n{\"a\":{\"b\":1,\"c\":2}}\nrc=0\n"),
    ("jq -n '1 % 0'", "jq: error (at <unknown>): number (1) and number (0) cannot be "
     "divided (remainder) because the divisor is zero\nrc=5\n"),
    ("jq -n '1 / 0'", "jq: error: Division by zero? at <top-level>, line 1:\n1 / 0\n"
     "jq: 1 compile error\nrc=3\n"),
])
def test_numbers_are_doubles_as_jq_1_6_prints_them(line, want):
    assert _run(line)[0] == want


@pytest.mark.parametrize("line, want", [
    ("jq -n -c 'def f: . * 2; def g(x): x + 1; def h($a; $b): $a - $b; 3 | f, g(.), "
     "h(10; 1)'", "6\n4\n9\nrc=0\n"),
    ("jq -n -c '1 as $x | def f: $x + 1; 5 as $x | f, $x'", "2\n5\nrc=0\n"),
    # `def f($a)` is `def f(a): a as $a | ...`: `a` is still every output of the argument
    ("jq -n -c 'def f($a): [$a, a]; f(1,2)'", "[1,1,2]\n[2,1,2]\nrc=0\n"),
    ("jq -n -c 'label $out | foreach (1,2,3) as $i (0; . + $i; if . > 2 then ., break "
     "$out else . end)'", "1\n3\nrc=0\n"),
    ("jq -n -c '[1,2,3,4,5] | .[:2], .[-2:], .[null:2]'", "[1,2]\n[4,5]\n[1,2]\nrc=0\n"),
    ("jq -n -c '[limit(0; 1, 2)], [limit(-1; 1, 2)], [nth(5; range(3))]'",
     "[1]\n[1,2]\n[2]\nrc=0\n"),
    ("jq -n -c '1 | [limit(5; repeat(.*2))]'", "[2,2,2,2,2]\nrc=0\n"),
    ("jq -n -c '1, error(null), 2'", "1\n2\nrc=0\n"),
    ("jq -n -c '[1,2,3] | IN(2), IN(.[]; 5)'", "false\nfalse\nrc=0\n"),
    ("jq -n -c '[{\"id\":1},{\"id\":2}] | INDEX(.id)'", "{\"1\":{\"id\":1},\"2\":{\"id\":2}}\nrc=0\n"),
    ("jq -n -c '1425599507.9 | gmtime'", "[2015,2,5,23,51,47.90000009536743,4,63]\nrc=0\n"),
    ("jq -n -c '\"abc\" | [match(\"\";\"g\") | .offset], [splits(\"\")]'",
     "[0,1,2]\n[\"\",\"a\",\"b\",\"c\"]\nrc=0\n"),
    ("jq -n -c '\"ab\" | match(\"(c)?b\")'",
     "{\"offset\":1,\"length\":1,\"string\":\"b\",\"captures\":[{\"offset\":-1,"
     "\"string\":null,\"length\":0,\"name\":null}]}\nrc=0\n"),
    ("jq -n -c '[{\"name\":\"b\",\"value\":2},{\"Key\":\"a\"}] | from_entries'",
     "{\"b\":2,\"a\":null}\nrc=0\n"),
    ("jq -n -c '[{\"k\":\"a\",\"v\":1}] | from_entries'",
     "jq: error (at <unknown>): Cannot use null (null) as object key\nrc=5\n"),
    ("jq -n -c '[1,{\"a\":1}] | join(\",\")'",
     "jq: error (at <unknown>): string (\"1,\") and object ({\"a\":1}) cannot be added\n"
     "rc=5\n"),
    ("jq -n '\"Y\" | @base64d'",
     "jq: error (at <unknown>): string (\"Y\") trailing base64 byte found\nrc=5\n"),
    ("jq -n '\"x\" | test(\"(\")'", "jq: error (at <unknown>): Regex failure: end pattern "
     "with unmatched parenthesis\nrc=5\n"),
    ("jq -n '\"1 2\" | fromjson'", "jq: error (at <unknown>): Unexpected extra JSON "
     "values (while parsing '1 2')\nrc=5\n"),
    ("jq -n '{\"a\":1} | error'", "jq: error (at <unknown>) (not a string): {\"a\":1}\nrc=5\n"),
])
def test_the_language_as_jq_1_6_runs_it(line, want):
    assert _run(line)[0] == want


@pytest.mark.parametrize("line, want", [
    ("jq -n '.a.'", "jq: error: syntax error, unexpected $end, expecting FORMAT or "
     "QQSTRING_START (Unix shell quoting issues?) at <top-level>, line 1:\n.a.  \n"
     "jq: 1 compile error\nrc=3\n"),
    ("jq -n '}'", "jq: error: syntax error, unexpected INVALID_CHARACTER, expecting $end "
     "(Unix shell quoting issues?) at <top-level>, line 1:\n}\njq: 1 compile error\nrc=3\n"),
    ("jq -n 'map(.a'", "jq: error: syntax error, unexpected $end, expecting ';' or ')' "
     "(Unix shell quoting issues?) at <top-level>, line 1:\nmap(.a    \n"
     "jq: 1 compile error\nrc=3\n"),
    ("jq -n 'if . then 1'", "jq: error: syntax error, unexpected $end (Unix shell quoting "
     "issues?) at <top-level>, line 1:\nif . then 1          \njq: error: Possibly "
     "unterminated 'if' statement at <top-level>, line 1:\nif . then 1\n"
     "jq: 2 compile errors\nrc=3\n"),
    ("echo '{\"a\":1}}' | jq -c . 2>/dev/null", "{\"a\":1}\nrc=4\n"),
    ("echo '{\"a\":1}}' | jq -c . >/dev/null", "parse error: Unmatched '}' at line 1, "
     "column 8\nrc=4\n"),
    ("echo '[1,2,]' | jq .", "parse error: Expected another array element at line 1, "
     "column 6\nrc=4\n"),
    ("echo nul | jq .", "parse error: Invalid literal at line 2, column 0\nrc=4\n"),
    ("echo \"{'a':1}\" | jq .", "parse error: Invalid numeric literal at line 1, column 5"
     "\nrc=4\n"),
    ("echo '[NaN, -Infinity]' | jq -c .", "[null,-1.7976931348623157e+308]\nrc=0\n"),
])
def test_syntax_and_parse_errors_say_what_jq_1_6_says(line, want):
    assert _run(line)[0] == want


@pytest.mark.parametrize("line, want", [
    ("jq --version", "jq-1.6\nrc=0\n"),
    ("jq --bogus .", "jq: Unknown option --bogus\nUse jq --help for help with "
     "command-line options,\nor see the jq manpage, or online docs  at "
     "https://stedolan.github.io/jq\nrc=2\n"),
    ("jq --help | sed -n '1p;3p;26p'", "jq - commandline JSON processor [version 1.6]\n"
     "Usage:\tjq [options] <jq filter> [file...]\n  -c               compact instead "
     "of pretty-printed output;\nrc=0\n"),
    ("jq -n -c '$ARGS' --args a b", "{\"positional\":[\"a\",\"b\"],\"named\":{}}\nrc=0\n"),
    ("jq -n -c --arg x 1 '$ARGS' --jsonargs 1 '{\"a\":2}'",
     "{\"positional\":[1,{\"a\":2}],\"named\":{\"x\":\"1\"}}\nrc=0\n"),
    ("jq -n --indent 8 .", "jq: --indent takes a number between -1 and 7\nUse jq --help "
     "for help with command-line options,\nor see the jq manpage, or online docs  at "
     "https://stedolan.github.io/jq\nrc=2\n"),
    ("jq -n --indent 0 '{\"a\":[1]}'", "{\"a\":[1]}\nrc=0\n"),
    ("jq -n -c --tab '{\"a\":1}'", "{\n\t\"a\": 1\n}\nrc=0\n"),
    ("jq -n -a '\"\\u00e9\\ud83d\\ude00\"'", "\"\\u00e9\\ud83d\\ude00\"\nrc=0\n"),
    ("jq -n --slurpfile x nosuch '$x'", "jq: Bad JSON in --slurpfile x nosuch: Could not "
     "open nosuch: No such file or directory\nrc=2\n"),
    ("jq -f nosuch.jq", "jq: Could not open nosuch.jq: No such file or directory\nrc=2\n"),
    ("printf '1 2' | jq --seq .", "ignoring parse error: Unfinished abandoned text at EOF "
     "at line 1, column 3\nrc=0\n"),
    ("echo '{\"a\":[1,2]}' | jq -c --stream .",
     "[[\"a\",0],1]\n[[\"a\",1],2]\n[[\"a\",1]]\n[[\"a\"]]\nrc=0\n"),
    ("jq -n '\"{}\" | halt_error'", "{}rc=5\n"),
    ("jq -n '1, halt, 2'", "1\nrc=0\n"),
])
def test_the_command_line_as_main_c_reads_it(line, want):
    assert _run(line)[0] == want


@pytest.mark.parametrize("line, want", [
    # `input` takes from the same stream the main loop reads
    ("jq -c '[., input]' <<< '1 2 3 4'", "[1,2]\n[3,4]\nrc=0\n"),
    # (stdout on a pipe is flushed at the exit, stderr at once)
    ("jq -c 'input' <<< '1 2 3'", "jq: error (at <stdin>:1): break\n2\nrc=5\n"),
    # the text that does not parse is `inputs`' error under -n
    ("jq -n '[inputs]' <<< '1 2 x'", "jq: error (at <stdin>:1): Invalid numeric literal "
     "at line 2, column 0\nrc=5\n"),
    # a file that does not open: said, the next value run, then jq stops with 2
    ("printf '{\"a\":1}\\n{\"a\":2}\\n' > two.json; jq -c . nosuch two.json",
     "jq: error: Could not open file nosuch: No such file or directory\n{\"a\":1}\nrc=2\n"),
    ("printf '{\"a\":1}\\n{\"a\":2}\\n' > two.json; jq -c '{f: input_filename, n: "
     "input_line_number}' two.json",
     "{\"f\":\"two.json\",\"n\":1}\n{\"f\":\"two.json\",\"n\":2}\nrc=0\n"),
    ("jq '.a' <<< '[1] {\"a\":2}'", "jq: error (at <stdin>:1): Cannot index array with "
     "string \"a\"\n2\nrc=0\n"),
    ("jq -n -c '$ARGS' --arg x 1 --arg x 2", "{\"positional\":[],\"named\":{\"x\":\"1\"}}\n"
     "rc=0\n"),
    ("jq -R -r 'split(\" \") | .[0]' <<< ''", "null\nrc=0\n"),
    ("jq -c . <<< '\"\\ud800\"'", "parse error: Invalid \\uXXXX\\uXXXX surrogate pair "
     "escape at line 1, column 8\nrc=4\n"),
    ("jq -c implode <<< '[1114112]'", "\"\ufffd\"\nrc=0\n"),
    ("jq -M -C -n '[1]'", "[\n  1\n]\nrc=0\n"),
    ("jq -n -c '{\"b\":{\"z\":1,\"a\":2},\"a\":1} | walk(.)'",
     "{\"b\":{\"z\":1,\"a\":2},\"a\":1}\nrc=0\n"),
])
def test_inputs_as_jq_util_input_hands_them_out(line, want):
    assert _run(line)[0] == want


@pytest.mark.parametrize("line, want", [
    ("jq -c '.[] |= empty' <<< '[1,2,3]'", "[2]\nrc=0\n"),
    ("jq -c '.a |= (1,2)' <<< '{}'", "{\"a\":1}\nrc=0\n"),
    ("jq -c 'del(.. | nulls)' <<< '{\"a\":null,\"b\":[1,null],\"c\":{\"d\":null}}'",
     "{\"b\":[1],\"c\":{}}\nrc=0\n"),
    ("jq -c '(.. | numbers) |= . + 1' <<< '{\"a\":1,\"b\":[2,{\"c\":3}]}'",
     "{\"a\":2,\"b\":[3,{\"c\":4}]}\nrc=0\n"),
    ("jq -c '(.a // .b) = 5' <<< '{\"a\":null,\"b\":1}'", "{\"a\":null,\"b\":5}\nrc=0\n"),
    ("jq -c '[path(recurse(.[]?; . != 1))]' <<< '[1,[2]]'", "[[],[1],[1,0]]\nrc=0\n"),
    ("jq -c 'del(.a)' <<< '[1]'",
     "jq: error (at <stdin>:1): Cannot index array with string \"a\"\nrc=5\n"),
    ("jq -c 'delpaths([[0]])' <<< '{}'",
     "jq: error (at <stdin>:1): Cannot delete number field of object\nrc=5\n"),
    ("jq -c 'to_entries |= map(.value += 1)' <<< '{\"a\":1}'",
     "jq: error (at <stdin>:1): Invalid path expression with result "
     "[{\"key\":\"a\",\"value\":1}]\nrc=5\n"),
])
def test_paths_and_updates_as_jq_1_6_tracks_them(line, want):
    assert _run(line)[0] == want


@pytest.mark.parametrize("line, want", [
    ("jq -n '1 | split(\",\")'", "jq: error (at <unknown>): split input and separator "
     "must be strings\nrc=5\n"),
    ("jq -n '{} | sort'", "jq: error (at <unknown>): object ({}) cannot be sorted, as it "
     "is not an array\nrc=5\n"),
    ("jq -n '1 | explode'", "jq: error (at <unknown>): explode input must be a string\n"
     "rc=5\n"),
    ("jq -n '\"a\" | implode'", "jq: error (at <unknown>): implode input must be an "
     "array\nrc=5\n"),
    ("jq -n '{} | min'", "jq: error (at <unknown>): object ({}) and object ({}) cannot "
     "be iterated over\nrc=5\n"),
    ("jq -n '\"abc\" | reverse'", "jq: error (at <unknown>): Cannot index string with "
     "number\nrc=5\n"),
    ("jq -n '1 | index(\"a\")'", "jq: error (at <unknown>): Cannot index number with "
     "string \"a\"\nrc=5\n"),
    ("jq -n '\"a\" | range(.)'", "jq: error (at <unknown>): Range bounds must be "
     "numeric\nrc=5\n"),
    ("jq -n '[1] | mktime'", "jq: error (at <unknown>): mktime requires parsed datetime "
     "inputs\nrc=5\n"),
    ("jq -n '\"a\" | gmtime'", "jq: error (at <unknown>): gmtime() requires numeric "
     "inputs\nrc=5\n"),
    ("jq -n '[1,2] | .[1:] = 3'", "jq: error (at <unknown>): A slice of an array can "
     "only be assigned another array\nrc=5\n"),
    ("jq -n '\"abc\" | .[0:1] = \"x\"'", "jq: error (at <unknown>): Cannot update field "
     "at object index of string\nrc=5\n"),
])
def test_builtins_refuse_the_wrong_types_as_jq_1_6_says(line, want):
    assert _run(line)[0] == want
