"""Round 48's scripts (transcripts/scripts/scripts48_*: public network scripts' shapes,
each header naming what it was modelled on) given to `ipemu run` a line at a time, and
the behaviours they brought, each with golden text recorded on the real machine
(Debian 12: bash 5.2.15, mawk 1.3.4, glibc 2.36)."""
from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

CASES = test_scripts.round_cases("scripts48_")


def test_round48_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 6


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts48_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


# glibc vfprintf's integer conversions, as bash's printf builtin and mawk hand them the
# format: `#` prefixes 0x only to a non-zero value, a precision turns the 0 flag off,
# a zero precision of 0 writes no digit (recorded: bash and awk on Debian 12)
@pytest.mark.parametrize("line, expected", [
    ("printf '[%#x][%#X][%#o][%#5x][%#08x]' 0 0 0 0 0", "[0][0][0][    0][00000000]"),
    ("printf '[%#x][%#o][%#08x][%#.4x][%#10.4X]' 255 8 255 255 255",
     "[0xff][010][0x0000ff][0x00ff][    0X00FF]"),
    ("printf '[%08.3d][%.0d][%+.0d][% .0d][%5.0d][%-#6.0x|]' 5 0 0 0 0 0",
     "[     005][][+][ ][     ][      |]"),
    ("printf '[%*.*d][%-*d][%.*x]' 7 3 42 5 1 -1 0", "[    042][1    ][0]"),
    ("awk 'BEGIN { printf \"[%#x][%#o][%.0d][%#08x][%08.3d][%+.0d]\", 0, 0, 0, 0, 5, 0 }'",
     "[0][0][][00000000][     005][+]"),
])
def test_integer_conversions_are_glibc_printf(line, expected):
    assert test_scripts.output_of(line + "; echo") == expected + "\n"


def test_a_mac_tail_printed_with_alternate_hex():
    # scripts48_json_inventory: lo's all-zero MAC gives 0, the others 0x...
    line = "for m in 00:00:00:00:00:00 02:00:00:48:02:01; do h=${m//:/}; printf '%#x ' $(( 16#$h & 0xffff )); done"
    assert test_scripts.output_of(f"bash -c {shlex.quote(line)}; echo") == "0 0x201 \n"


# shquote.c: sh_backslash_quote() copies a multibyte character as it is (UTF-8 locale,
# the recorder's C.UTF-8), ansic_quote() writes an invalid byte as its octal escape
@pytest.mark.parametrize("line, expected", [
    ("printf '%q|' 'naïve' 'ü b' '#é' 'é#' '~é' '日本 語'",
     "naïve|ü\\ b|\\#é|é#|\\~é|日本\\ 語|"),
    ("printf '%q|' $'é\\t' $'\\xff' $'a\\xffb' 'a~b'", "$'é\\t'|$'\\377'|$'a\\377b'|a~b|"),
])
def test_printf_q_keeps_multibyte_characters(line, expected):
    assert test_scripts.output_of(line + "; echo") == expected + "\n"


# findutils 4.9 xargs.c read_line(): quotes group without backslash escapes and may not
# reach a newline; the words before an unmatched one run, then status 1 (stdout only:
# the message races the pending command on the real machine)
@pytest.mark.parametrize("line, expected", [
    ("echo \"a'b\" | xargs echo 2>&1; echo \"rc=$?\"",
     "xargs: unmatched single quote; by default quotes are special to xargs unless you "
     "use the -0 option\nrc=1\n"),
    ("printf 'a b c d e\\nf\"g\\n' | xargs -n 2 echo 2>/dev/null; echo \"rc=$?\"",
     "a b\nc d\ne\nrc=1\n"),
    ("printf 'a \"b\\\\\"c\" d\\\\ e f\\\\g\\n' | xargs printf '[%s]' 2>/dev/null; echo \" rc=$?\"",
     "[a] rc=1\n"),
    ("printf \"'' x\\n\" | xargs printf '[%s]'; echo \" rc=$?\"", "[][x] rc=0\n"),
    ("printf '\"x' | xargs echo hi 2>&1; echo \"rc=$?\"",
     "xargs: unmatched double quote; by default quotes are special to xargs unless you "
     "use the -0 option\nrc=1\n"),
])
def test_xargs_reads_quotes_as_read_line(line, expected):
    assert test_scripts.output_of(line) == expected


# gnulib quotearg.c's shell_escape_quoting_style for -t (recorded: findutils 4.9)
def test_xargs_t_quotes_each_word_as_quotearg():
    line = ("printf 'a\\nb\\0\\nb\\0a\\tb c\\0x\\001y\\0it'\"'\"'s\\0é\\n\\0\\0' | xargs -0 -t true 2>&1; "
            "printf '$x\\0~a\\0a~\\0#a\\0a#\\0a=b\\0*\\0naïve\\0{\\0a{b\\0' | xargs -0 -t true 2>&1")
    assert test_scripts.output_of(line) == (
        "true 'a'$'\\n''b' ''$'\\n''b' 'a'$'\\t''b c' 'x'$'\\001''y' \"it's\" 'é'$'\\n' ''\n"
        "true '$x' '~a' a~ '#a' a# 'a=b' '*' naïve '{' a{b\n")
