"""Round 38b's scripts (transcripts/scripts/scripts38b_*: scripts written for ipemu in the
shape of public netns helpers and interface finders, each naming what it was modelled on)
given to `ipemu run` a line at a time, and the behaviours they brought, each with golden
text recorded on the real machine (Debian 12: mawk 1.3.4 20200120, bash 5.2)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402


CASES = test_scripts.round_cases("scripts38b_")


def test_round38b_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 2


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts38b_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_lines = test_scripts.output_of


def test_awk_bracket_expressions_take_c_escapes_and_backslashed_bytes():
    # xuoxod/morebashscripts' `awk '{gsub(/[ \t\n\r]/,"");print}'` keeps "eth1" whole:
    # rm_escape() (scan.c) turns the C escapes into bytes inside a class too, and
    # do_class() reads any other backslash as escaping the next byte (recorded).
    script = r"""printf "ant\tx\n" | awk '{gsub(/[ \t\n\r]/,"");print}'
printf "a\tb.c\\\\d\n" | awk '{gsub(/[\t]/,"T"); print; gsub(/[\.]/,"D"); print; gsub(/[\\]/,"B"); print}'
printf "a\001q\n" | awk '{gsub(/[\001]/,"O");print}'
printf 'abn\n' | awk '{gsub(/[\n]/,"N");print}'
printf 'a]b-z\\q\n' | awk '{x=$0; gsub(/[\]]/,"R",x); print x; x=$0; gsub(/[a\-z]/,"M",x); print x; x=$0; gsub(/[\q]/,"Q",x); print x; x=$0; gsub(/[\/]/,"S",x); print x}'
echo 'a1:b^' | awk '{gsub(/[[:digit:]^]/,"_"); print}'; echo 'x]y' | awk '{gsub(/[]x]/,"_"); print}'; echo 'x]y' | awk '{gsub(/[^]x]/,"_"); print}'
"""
    assert _lines(script) == (
        "antx\n"
        "aTb.c\\d\n"
        "aTbDc\\d\n"
        "aTbDcBd\n"
        "aOq\n"
        "abn\n"
        "aRb-z\\q\n"
        "M]bMM\\q\n"
        "a]b-z\\Q\n"
        "a]b-z\\q\n"
        "a_:b_\n"
        "__y\n"
        "x]_\n")


def test_unquoted_default_words_are_split_literal_text_too():
    # a ping wrapper's `ping ${*:- -c 4} "$ip_dst"` passes -c and 4 (recorded): the word
    # of an unquoted ${x:-word}/${x:+word}/${x:=word} is field-split with its literal
    # text, by IFS; quoted or escaped parts stay whole, assignments, case and [[ do not split
    script = 'IFS=:; printf "[%s]" ${x:-a:b} ${x:-"a:b"} ${x:-a\\:b} ${x:-a "b c"}; echo; IFS=" "; printf "[%s]" ${x:-a\\ b} ${x:-*.nomatch} ${x:-~/d e}; echo; y=${x:-a b}; echo "$y"; case "a b" in ${x:-a b}) echo case;; esac; [[ "a b" == ${x:-a b} ]] && echo cond; for w in ${x:-1 2}; do echo $w; done\nset --; printf \'[%s]\' ${*:- -c 4}; echo\nset --; printf \'[%s]\' ${@:- -c 4}; echo\nset --; printf \'[%s]\' "${*:- -c 4}"; echo\nunset x; printf \'[%s]\' ${x:- -c 4}; echo\nset --; printf \'[%s]\' ${*:-a b} ${#*} ${*-x y}; echo\nset -- "p q" r; printf \'[%s]\' ${*:- -c 4} "${*:-z}" ${*:+u v}; echo\nset --; printf \'[%s]\' ${*:+u v} ${*+u v} ${x:=x y} ${x:+"a  b"c d}; echo; echo "$x"\na=(); printf \'[%s]\' ${a[@]:-m n} ${z:-$\'p\\tq\'} ${z:-\'r s\'}t; echo\n'
    assert _lines(script) == '[a][b][a:b][a:b][a b c]\n[a b][*.nomatch][/root/d][e]\na b\ncase\ncond\n1\n2\n[-c][4]\n[-c][4]\n[ -c 4]\n[-c][4]\n[a][b][0][x][y]\n[p][q][r][p q r][u][v]\n[x][y][a  bc][d]\nx y\n[m][n][p\tq][r st]\n'


def test_assigning_default_to_special_parameter_names_it_with_a_dollar():
    # parameter_brace_expand_rhs()'s `$%s: cannot assign in this way` (recorded)
    script = """bash -c 'echo ${@:=x y}; echo after'; echo "rc $?"
bash -c 'echo ${1:=x}; echo after'; echo "rc $?"
"""
    assert _lines(script) == (
        "bash: line 1: $@: cannot assign in this way\n"
        "rc 1\n"
        "bash: line 1: $1: cannot assign in this way\n"
        "rc 1\n")


def test_quoted_empty_default_is_one_empty_word():
    # ipfmt.sh's `if [ -n "${ip4mask:-}" ]` is false when ip4mask is unset: "${m:-}"
    # and "${m:+x}" of an unset m are one empty word, so test sees `-n ""` (recorded)
    script = 'bash -c \'f() ( [ -n "" ] && echo yes1; echo a ); f\'\nbash -c \'f() ( x=; [ -n "$x" ] && echo yes2; echo b ); f\'\nbash -c \'f() ( [ -n "${m:-}" ] && echo yes3; echo c ); f\'\nbash -c \'f() { [ -n "${m:-}" ] && echo yes4; echo d; }; f\'\nbash -c \'( [ -n "${m:-}" ] && echo yes5; echo e )\'\nbash -c \'[ -n "${m:-}" ] && echo yes6; echo f\'\nbash -c \'test -n "${m:-}" && echo yes7; echo g\'\nbash -c \'v=""; [ -n "${v:-}" ] && echo yes8; [ -n "${v}" ] && echo yes9; [ -n "${m:-}" ] && echo yes10; [ -n "${m-}" ] && echo yes11; echo "${m:-}" | od -c | head -1\'\n'
    assert _lines(script) == 'a\nb\nc\nd\ne\nf\ng\n0000000  \\n\n'


def test_return_in_a_subshell_body_is_the_subshells_status():
    # `f() ( ...; return 1 )`: the subshell ends with return's status, so
    # `"$( getMask4 "$addr" || echo '?' )"` prints ? (recorded)
    script = 'bash -c \'f() ( return 1 ); f || echo A; echo "[$(f || echo B)]"\'\nbash -c \'set -e; f() ( [ -n "" ] && return 0; return 1 ); f || echo C; echo "[$(f || echo D)]"\'\nbash -c \'set -eu; f() ( if [ -n "${x:-}" ]; then printf "%s" "$x"; return 0; fi; return 1 ); echo "[$( f || echo E )]"\'\nbash -c \'set -eu; f() ( case "${1#*/}" in 24) x=1 ;; esac; if [ -n "${x:-}" ] ; then printf "%s" "${x}"; return 0; fi; return 1 ); echo "[$( f 1/28 || echo F )]"\'\nbash -c \'set -e; f() ( return 1 ); echo "[$( f || echo G )]"; g() { return 1; }; echo "[$( g || echo H )]"\'\n'
    assert _lines(script) == 'A\n[B]\nC\n[D]\n[E]\n[F]\n[G]\n[H]\n'


def test_wait_pid_finds_jobs_that_ended_while_another_was_waited_for():
    # collect.sh's `for pid in ${pids[*]}; do wait $pid; done`: the jobs that ended
    # meanwhile keep their status in bgpids (bgp_add()); a `wait` without operands
    # empties it (bgp_clear()) (recorded)
    script = r"""bash -c 'sleep 0.2 & a=$!; true & b=$!; false & c=$!; wait $a; echo "a $?"; wait $b; echo "b $?"; wait $c; echo "c $?"; wait $c; echo "c again $?"'
bash -c 'false & c=$!; sleep 0.1; wait; wait $c; echo "after wait: $?"' 2>&1 | sed 's/pid [0-9]*/pid N/'
"""
    assert _lines(script) == (
        "a 0\n"
        "b 0\n"
        "c 1\n"
        "c again 1\n"
        "bash: line 1: wait: pid N is not a child of this shell\n"
        "after wait: 127\n")
