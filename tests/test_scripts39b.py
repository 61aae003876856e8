"""Round 39b's scripts (transcripts/scripts/scripts39b_*: scripts written for ipemu in the
shape of public ones, each header naming what it was modelled on) given to `ipemu run`
a line at a time, and the behaviours they brought, each with golden text recorded on
the real machine (Debian 12: iproute2 6.1, bash 5.2; the recording kernel 6.18)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_scripts  # noqa: E402

_lines = test_scripts.output_of


CASES = test_scripts.round_cases("scripts39b_")


def test_round39b_has_its_scripts():
    assert len({case for case, *_ in CASES}) >= 3


@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in CASES])
def test_scripts39b_run_line_by_line(case, name, script, recorded, others, profile):
    test_scripts.test_ipemu_run_takes_the_script_and_prints_what_bash_printed(
        case, name, script, recorded, others, profile)


_BRIDGE_SETUP = ("ip link add br0 type bridge; ip link add p1 type veth peer name p2; "
                 "ip link set p1 master br0\n")


def test_bridge_batch_runs_each_line_and_stops_at_the_first_failure():
    # scripts39b_fdb_bulk: bridge.c batch() over do_batch(): a failing line prints
    # `Command failed FILE:LINE` and ends the batch with 1; -force goes on (recorded;
    # ipemu said `bridge -batch` was not simulated)
    script = _BRIDGE_SETUP + (
        "printf 'fdb add 02:00:00:00:00:01 dev p1 master static\\n# c\\n"
        "fdb add 02:00:00:00:00:01 dev p1 master static\\n\\nlink set dev p1 cost 7\\n'"
        " > br.batch\n"
        "bridge -batch br.batch; echo \"rc=$?\"\n"
        "bridge -force -batch br.batch; echo \"rc=$?\"\n"
        "bridge fdb show dev p1 | grep 02:00\n"
        "bridge link show dev p1\n")
    assert _lines(script) == (
        "RTNETLINK answers: File exists\n"
        "Command failed br.batch:3\n"
        "rc=1\n"
        "RTNETLINK answers: File exists\n"
        "Command failed br.batch:1\n"
        "RTNETLINK answers: File exists\n"
        "Command failed br.batch:3\n"
        "rc=1\n"
        "02:00:00:00:00:01 master br0 static\n"
        "4: p1@p2: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled "
        "priority 32 cost 7 \n")


def test_bridge_batch_errors_that_exit_end_it_under_force():
    # usage(), `Command "X" is unknown` and NEXT_ARG()'s incomplete_command() are
    # exit(-1): the batch ends with 255 even with -force, without `Command failed`;
    # do_cmd()'s unknown object and a missing device are returns (recorded)
    script = _BRIDGE_SETUP + (
        "printf 'link show\\nnosuch\\nlink show dev p1\\n' | bridge -force -b -; "
        "echo \"rc=$?\"\n"
        "printf 'fdb frob\\nlink show\\n' | bridge -force -b -; echo \"rc=$?\"\n"
        "printf 'link set dev nosuch cost 5\\nfdb add zz dev p1\\n' | "
        "bridge -force -batch -; echo \"rc=$?\"\n"
        "printf 'link set dev p1 cost\\nlink show\\n' | bridge -force -b -; "
        "echo \"rc=$?\"\n"
        "bridge -b nosuch; echo \"rc=$?\"\n")
    port = ("4: p1@p2: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled "
            "priority 32 cost 2 \n")
    assert _lines(script) == (
        port + 'Object "nosuch" is unknown, try "bridge help".\n'
        "Command failed -:2\n" + port + "rc=1\n"
        'Command "frob" is unknown, try "bridge fdb help".\n'
        "rc=255\n"
        'Cannot find bridge device "nosuch"\n'
        "Command failed -:1\n"
        "Invalid mac address zz\n"
        "Command failed -:2\n"
        "rc=1\n"
        'Command line is not complete. Try option "help"\n'
        "rc=255\n"
        'Cannot open file "nosuch" for reading: No such file or directory\n'
        "rc=1\n")


def test_bridge_family_takes_inet_and_inet6_only():
    # main(): -family inet|inet6, help is usage(), anything else invarg() (recorded)
    script = _BRIDGE_SETUP + (
        "bridge -family inet6 link show; echo \"rc=$?\"\n"
        "bridge -family bogus link; echo \"rc=$?\"\n"
        "bridge -family help 2>&1 | head -1\n")
    assert _lines(script) == (
        "4: p1@p2: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 master br0 state disabled "
        "priority 32 cost 2 \n"
        "rc=0\n"
        'Error: argument "bogus" is wrong: invalid protocol family\n'
        "rc=255\n"
        "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n")


def test_unset_word_in_a_compound_commands_redirection_ends_the_script():
    # scripts39b_fdb_bulk's fdb-batch.sh (`set -u`, `done < "$macfile"`): an unset
    # word in a while loop's, a group's or an if's redirection is reported as a simple
    # command's is, and the script's shell exits with 1 (bash) or 2 (dash) (recorded;
    # ipemu raised a Python traceback)
    script = (
        "printf 'set -u\\necho start\\nwhile read -r x; do echo \"$x\"; done < \"$nofile\""
        "\\necho \"rc=$?\"\\n' > t.sh\n"
        "bash t.sh; echo \"rc=$?\"\n"
        "sh t.sh; echo \"rc=$?\"\n"
        "printf 'if true; then echo a; fi > \"${nf:?gone}\"\\necho \"rc=$?\"\\n' > u.sh\n"
        "bash u.sh; echo \"rc=$?\"\n")
    assert _lines(script) == (
        "start\n"
        "t.sh: line 3: nofile: unbound variable\n"
        "rc=1\n"
        "start\n"
        "t.sh: 3: nofile: parameter not set\n"
        "rc=2\n"
        "u.sh: line 1: nf: gone\n"
        "rc=1\n")


def test_unset_word_in_a_here_document_or_a_subshells_redirection_goes_on():
    # a here-string's or here-document's expansion error fails the redirection only
    # (bash 1, dash 2, the script goes on); a ( )'s redirections are done in bash's
    # child, whose error ends only the child, where dash's shell exits (recorded)
    script = (
        "printf 'set -u\\ncat <<< \"$nope\"\\necho \"rc=$?\"\\n' > h1.sh\n"
        "bash h1.sh\n"
        "printf 'set -u\\ncat <<EOF\\n$nope\\nEOF\\necho \"rc=$?\"\\n' > h3.sh\n"
        "sh h3.sh; echo \"dash rc=$?\"\n"
        "printf 'set -u\\n( echo sub ) > \"$nope\"\\necho \"rc=$?\"\\n' > s1.sh\n"
        "bash s1.sh; echo \"bash rc=$?\"\n"
        "sh s1.sh; echo \"dash rc=$?\"\n")
    assert _lines(script) == (
        "h1.sh: line 2: nope: unbound variable\n"
        "rc=1\n"
        "h3.sh: 2: nope: parameter not set\n"
        "rc=2\n"
        "dash rc=0\n"
        "s1.sh: line 2: nope: unbound variable\n"
        "rc=1\n"
        "bash rc=0\n"
        "s1.sh: 2: nope: parameter not set\n"
        "dash rc=2\n")


def test_curl_verbose_shows_the_error_before_the_meters_last_line():
    # failf() prints `* TEXT` as the error happens; multi_done()'s Curl_pgrsDone()
    # then ends the meter and `* Closing connection 0` follows; a name that does not
    # resolve is said twice; --connect-timeout's attempt gives up with happy eyeballs'
    # `move on!`, and the second's meter line is shown once (recorded, curl 7.88.1;
    # ipemu ended the meter first and showed the 0:00:01 line twice)
    script = (
        "ip link set lo up\n"
        "curl -v http://nosuchhost.invalid/ 2>&1 | cat -A\n"
        "curl -v http://127.0.0.1:8080/ 2>&1 | sed -E 's/after [0-9]+ ms/after N ms/' | cat -A\n"
        "ip link add v0 type veth peer name v1; ip addr add 10.9.9.1/24 dev v0; "
        "ip link set v0 up\n"
        "curl -v --connect-timeout 1 http://10.9.9.9/ 2>&1 | "
        "sed -E 's/after [0-9]+ ms/after N ms/' | cat -A\n"
        "curl -v -m 1 http://10.9.9.9/ 2>&1 | sed -E 's/[0-9]+ milliseconds/N milliseconds/'"
        " | cat -A\n")
    head = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current$\n"
            "                                 Dload  Upload   Total   Spent    Left  Speed$\n")
    zero = "^M  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
    one = "^M  0     0    0     0    0     0      0      0 --:--:--  0:00:01 --:--:--     0$\n"
    assert _lines(script) == (
        "* Could not resolve host: nosuchhost.invalid$\n" * 2 +
        "* Closing connection 0$\n"
        "curl: (6) Could not resolve host: nosuchhost.invalid$\n" + head +
        zero + "*   Trying 127.0.0.1:8080...$\n"
        "* connect to 127.0.0.1 port 8080 failed: Connection refused$\n"
        "* Failed to connect to 127.0.0.1 port 8080 after N ms: Couldn't connect to server$\n"
        + zero + "$\n"
        "* Closing connection 0$\n"
        "curl: (7) Failed to connect to 127.0.0.1 port 8080 after N ms: Couldn't connect "
        "to server$\n" + head +
        zero + "*   Trying 10.9.9.9:80...$\n"
        "* ipv4 connect timeout after 1000ms, move on!$\n"
        "* Failed to connect to 10.9.9.9 port 80 after N ms: Timeout was reached$\n" + one +
        "* Closing connection 0$\n"
        "curl: (28) Failed to connect to 10.9.9.9 port 80 after N ms: Timeout was reached$\n"
        + head + zero + "*   Trying 10.9.9.9:80...$\n"
        "* Connection timed out after N milliseconds$\n" + one +
        "* Closing connection 0$\n"
        "curl: (28) Connection timed out after N milliseconds$\n")


def test_coreutils_test_and_bracket_are_programs():
    # /usr/bin/test and /usr/bin/[ (coreutils 9.1) run where no shell builtin is: env,
    # xargs, find -exec, timeout, a path; their messages are coreutils' (quote()'s
    # ‘X’, `invalid integer`, no -v and no <), errors exit 2 (recorded; ipemu said
    # `env: ‘test’: No such file or directory`)
    script = (
        "env test -d /tmp && echo y1\n"
        "env [ -d /tmp ] && echo y2\n"
        "echo /tmp | xargs test -d && echo y3\n"
        "find /tmp -maxdepth 0 -exec test -d {} \\; -print\n"
        "timeout 1 test -n x && echo y4\n"
        "/usr/bin/[ 1 -eq 1; echo \"rc=$?\"\n"
        "/usr/bin/test abc -gt 1; echo \"rc=$?\"\n"
        "env test -q x; echo \"rc=$?\"\n"
        "env test -v PATH; echo \"rc=$?\"\n"
        "env test b '<' a; echo \"rc=$?\"\n"
        "env test a = b c; echo \"rc=$?\"\n"
        "env test; echo \"rc=$?\"\n"
        "type -a test\n")
    assert _lines(script) == (
        "y1\ny2\ny3\n/tmp\ny4\n"
        "/usr/bin/[: missing ‘]’\nrc=2\n"
        "/usr/bin/test: invalid integer ‘abc’\nrc=2\n"
        "test: ‘-q’: unary operator expected\nrc=2\n"
        "test: ‘-v’: unary operator expected\nrc=2\n"
        "test: ‘<’: binary operator expected\nrc=2\n"
        "test: extra argument ‘c’\nrc=2\n"
        "rc=1\n"
        "test is a shell builtin\ntest is /usr/bin/test\ntest is /bin/test\n")


def test_bash_argv0_is_the_scripts_name():
    # variables.c get_bash_argv0(): $BASH_ARGV0 is $0 (a script's name, a -c string's
    # first operand; dash has none) (recorded; ipemu had it unset)
    script = (
        "printf 'echo \"0=$BASH_ARGV0\"; f() { echo \"in f: $BASH_ARGV0\"; }; f a b\\n' > a0.sh\n"
        "bash a0.sh\n"
        "bash -c 'echo \"c:$BASH_ARGV0\"' myname\n"
        "sh -c 'echo \"dash:${BASH_ARGV0:-unset}\"'\n")
    assert _lines(script) == "0=a0.sh\nin f: a0.sh\nc:myname\ndash:unset\n"
