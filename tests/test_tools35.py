"""tools35: more small host tools scripts call (shuf, fmt, pr, split, csplit, install,
envsubst, renice, fuser, dmesg, watch). Every expected output was taken from the
recording machine (Debian 12: coreutils 9.1, gettext-base 0.21, util-linux 2.38.1,
psmisc 23.6, procps-ng 4.0.2)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ipemu.session import Session

# the random source the shuf goldens were made with (printf of these bytes; seq 1000)
SRC = "printf '\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\xff\\xfe\\xfd\\x80" \
      "\\x7f\\x10\\x20\\x30\\x40\\x50\\x60\\x70\\x90\\xa0\\xb0\\xc0\\xd0\\xe0\\xf0' > src; " \
      "seq 1 1000 | tr -d '\\n' > src2; "


sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_tools34 import run, session  # noqa: E402,F401  (the same helper and fixture)


@pytest.mark.parametrize("line, expected", [
    # randint_genmax()'s bytes, randperm_new()'s swaps
    ("shuf -i 1-10 --random-source=src", "2\n1\n5\n4\n3\n9\n7\n8\n6\n10\n"),
    ("seq 5 | shuf --random-source=src", "2\n1\n3\n4\n5\n"),
    # -n from a pipe: reservoir sampling
    ("seq 10 | shuf -n 3 --random-source=src2", "10\n6\n9\n"),
    ("shuf -n 3 -i 1-100 --random-source=src2", "50\n52\n54\n"),
    ("shuf -e a b c d --random-source=src2", "b\na\nc\nd\n"),
    ("shuf -r -n 5 -e x y z --random-source=src2", "y\ny\nz\ny\nx\n"),
    ("shuf -i 1-1000 -n 2 --random-source=src", "259\n5\n"),
    ("shuf -i 1-10 --random-source=/dev/null; echo \"rc $?\"",
     "shuf: ‘/dev/null’: end of file\nrc 1\n"),
    ("shuf -i 1-10 --random-source=nothere; echo \"rc $?\"",
     "shuf: nothere: No such file or directory\nrc 1\n"),
    ("shuf -i a-5; shuf -i 5-b; shuf -i 5; shuf -i 5-3; shuf -i 5-4; echo \"rc $?\"",
     "shuf: invalid input range: ‘a’\nshuf: invalid input range: ‘b’\n"
     "shuf: invalid input range: ‘5’\nshuf: invalid input range: ‘5-3’\nrc 0\n"),
    ("shuf -i 1-3 -i 2-4; shuf -n x -e a; shuf -n -1 -e a",
     "shuf: multiple -i options specified\nshuf: invalid line count: ‘x’\n"
     "shuf: invalid line count: ‘-1’\n"),
    ("shuf -e -i 1-2; shuf -i 1-3 x; shuf a b",
     "shuf: cannot combine -e and -i options\nTry 'shuf --help' for more information.\n"
     "shuf: extra operand ‘x’\nTry 'shuf --help' for more information.\n"
     "shuf: extra operand ‘b’\nTry 'shuf --help' for more information.\n"),
    ("shuf -r </dev/null; echo \"rc $?\"; shuf -n 0 -r nothere; echo \"rc $?\"",
     "shuf: no lines to repeat\nrc 1\nrc 0\n"),
    ("shuf -z -e a b --random-source=src | od -c", "0000000   b  \\0   a  \\0\n0000004\n"),
    ("shuf -n 99999999999999999999999 -e a", "a\n"),
    ("shuf -o out -e a -o o2; shuf --random-source=a --random-source=b -e a",
     "shuf: multiple output files specified\nshuf: multiple random sources specified\n"),
])
def test_shuf(session: Session, line: str, expected: str) -> None:
    assert run(session, SRC + line)[0] == expected


def test_shuf_without_source_keeps_the_lines(session: Session) -> None:
    text, status = run(session, "seq 20 | shuf | sort -n | tr '\\n' ' '; shuf -i 1-50 -n 5 | wc -l")
    assert (text, status) == (" ".join(str(i) for i in range(1, 21)) + " 5\n", 0)


# goldens recorded on the machine in a pty (script(1), stty -onlcr), one fresh directory each
RECORDED = [
    ("seq 1 10 > ten; ",
     "split -l 4 ten; ls; cat xac",
     "ten  xaa  xab  xac\n9\n10\n"),
    ("seq 1 10 > ten; ",
     "split -b 7 --verbose ten part_; echo \"rc $?\"; cat part_ac",
     "creating file 'part_aa'\ncreating file 'part_ab'\ncreating file 'part_ac'\nrc 0\n8\n9\n10\n"),
    ("seq 1 10 > ten; ",
     "split -n 3 -d ten c; wc -c c*",
     " 7 c00\n 7 c01\n 7 c02\n21 total\n"),
    ("seq 1 10 > ten; ",
     "split -n l/3 -a 3 --additional-suffix=.txt ten; wc -l x*",
     " 4 xaaa.txt\n 3 xaab.txt\n 3 xaac.txt\n10 total\n"),
    ("seq 1 10 > ten; ",
     "split -n r/3 ten; head -2 xa*",
     "==> xaa <==\n1\n4\n\n==> xab <==\n2\n5\n\n==> xac <==\n3\n6\n"),
    ("seq 1 10 > ten; ",
     "split -n l/2/3 ten; split -n r/2/3 ten; split -3 -e ten y; ls y*",
     "5\n6\n7\n2\n5\n8\nyaa  yab  yac  yad\n"),
    ("",
     "seq 700 | split -l 1; ls | tail -3; ls | wc -l",
     "xzabv\nxzabw\nxzabx\n700\n"),
    ("seq 1 10 > ten; ",
     "split -l 0 ten; split -b x ten; split -l 2 -b 3 ten; split ten a b; split nothere",
     "split: invalid number of lines: ‘0’: Numerical result out of range\nsplit: invalid number of bytes: ‘x’\nsplit: cannot split in more than one way\nTry 'split --help' for more information.\nsplit: extra operand ‘b’\nTry 'split --help' for more information.\nsplit: cannot open 'nothere' for reading: No such file or directory\n"),
    ("seq 1 10 > ten; ",
     "split -d -l 3 ten /nodir/p; echo \"rc $?\"; split -n 0 ten; split -n 4/3 ten; split -t xx ten; split --numeric-suffixes=123 -l 5 ten",
     "split: /nodir/p00: No such file or directory\nrc 1\nsplit: invalid number of chunks: ‘0’: Numerical result out of range\nsplit: invalid chunk number: ‘4’: Numerical result out of range\nsplit: multi-character separator ‘xx’\nsplit: numerical suffix start value is too large for the suffix length\nTry 'split --help' for more information.\n"),
    ("seq 1 10 > ten; ",
     "split --numeric-suffixes=7 -l 5 ten; split -l 2 -x ten h; ls x* h*; seq 3 | split -C 4 --verbose - cc; head cc*",
     "h00  h01  h02  h03  h04  x07  x08\ncreating file 'ccaa'\ncreating file 'ccab'\n==> ccaa <==\n1\n2\n\n==> ccab <==\n3\n"),
    ("seq 1 12 > f; ",
     "csplit f 4 8; echo \"rc $?\"; ls; cat xx01",
     "6\n8\n13\nrc 0\nf  xx00  xx01  xx02\n4\n5\n6\n7\n"),
    ("seq 1 12 > f; ",
     "csplit -f part -n 3 f '/5/' '/9/+1'; ls part*; csplit -s f '%3%' '/7/'; cat xx00",
     "8\n10\n9\npart000  part001  part002\n3\n4\n5\n6\n"),
    ("seq 1 12 > f; ",
     "csplit f '/[05]/' '{*}'; ls xx*; rm xx*; csplit f '/1/' '{2}'; ls xx*",
     "8\n10\n9\nxx00  xx01  xx02\n0\n18\n3\n6\nxx00  xx01  xx02  xx03\n"),
    ("seq 1 12 > f; ",
     "csplit f /nomatch/; echo \"rc $?\"; ls; csplit -k f 3 /nomatch/; echo \"rc $?\"; ls xx*",
     "csplit: ‘/nomatch/’: match not found\n27\nrc 1\nf\n4\ncsplit: ‘/nomatch/’: match not found\n23\nrc 1\nxx00  xx01\n"),
    ("seq 1 12 > f; ",
     "csplit f 20; echo \"rc $?\"; csplit f 5 3; csplit f x; csplit f; csplit; csplit nothere 3",
     "csplit: ‘20’: line number out of range\n27\nrc 1\ncsplit: line number ‘3’ is smaller than preceding line number, 5\ncsplit: ‘x’: invalid pattern\ncsplit: missing operand after ‘f’\nTry 'csplit --help' for more information.\ncsplit: missing operand\nTry 'csplit --help' for more information.\ncsplit: cannot open 'nothere' for reading: No such file or directory\n"),
    ("seq 1 12 > f; ",
     "csplit f '/5/' '{x}'; csplit f '/5'; csplit -z f 1 3; ls xx*; rm xx*; csplit -b '%02d.txt' f 6; ls xx*",
     "csplit: ‘{x’}: integer required between '{' and '}'\ncsplit: /5: closing delimiter '/' missing\n4\n23\nxx00  xx01\n10\n17\nxx00.txt  xx01.txt\n"),
    ("seq 1 12 > f; ",
     "csplit --suppress-matched f /6/; cat xx01; rm xx*; csplit f '/[3]/-1' '{1}'; echo \"rc $?\"; ls",
     "10\n15\n7\n8\n9\n10\n11\n12\n2\ncsplit: ‘/[3]/-1’: match not found on repetition 1\n25\nrc 1\nf\n"),
    ("echo hi > a; ",
     "install a b; ls -l b | cut -c1-10; install -m 644 a c; ls -l c | cut -c1-10; install -d d1/d2; ls -ld d1/d2 | cut -c1-10",
     "-rwxr-xr-x\n-rw-r--r--\ndrwxr-xr-x\n"),
    ("echo hi > a; ",
     "install -v a e; install -v -d vd/ve; install -m 600 -v a vd/; install -D -v a new/dir/f; install -dv ./p/q; ls -l vd/a | cut -c1-10",
     "'a' -> 'e'\ninstall: creating directory 'vd'\ninstall: creating directory 'vd/ve'\n'a' -> 'vd/a'\ninstall: creating directory 'new'\ninstall: creating directory 'new/dir'\n'a' -> 'new/dir/f'\ninstall: creating directory './p'\ninstall: creating directory './p/q'\n-rw-------\n"),
    ("echo hi > a; mkdir vd; ",
     "install a; install; install nothere z; install a b c; install -m 999 a z; install a /nodir/x; install -o nouser a q; install -g nog a q; install -T a vd; install -t nod a; install a a",
     "install: missing destination file operand after 'a'\nTry 'install --help' for more information.\ninstall: missing file operand\nTry 'install --help' for more information.\ninstall: cannot stat 'nothere': No such file or directory\ninstall: target 'c': No such file or directory\ninstall: invalid mode ‘999’\ninstall: cannot create regular file '/nodir/x': No such file or directory\ninstall: invalid user ‘nouser’\ninstall: invalid group ‘nog’\ninstall: cannot overwrite directory 'vd' with non-directory\ninstall: failed to access 'nod': No such file or directory\ninstall: 'a' and 'a' are the same file\n"),
    ("echo hi > a; echo x > b; ",
     "install -v -b a b; ls; install -m u+x a mx; install -m go-r a my; install -m +x a mz; ls -l m* | cut -c1-10; install -d a; install -D a b/c",
     "'a' -> 'b' (backup: 'b~')\na  b  b~\n---x------\n----------\n---x--x--x\ninstall: cannot create directory ‘a’: File exists\ninstall: cannot create directory 'b': Not a directory\n"),
    ("export NAME=eth0 ADDR=10.0.0.1; ",
     "echo 'dev $NAME addr ${ADDR}/24 $UNSET ${UNSET} $$ $1 ${NAME:-x} \\$NAME $' | envsubst; echo 'dev $NAME addr ${ADDR}' | envsubst '$NAME'; echo '$_a1b $1a ${NAME}x $NAMEx ${NAME' | envsubst",
     "dev eth0 addr 10.0.0.1/24   $$ $1 ${NAME:-x} \\eth0 $\ndev eth0 addr ${ADDR}\n $1a eth0x  ${NAME\n"),
    ("",
     "envsubst -v '$A ${B} $C $A'; envsubst -v; envsubst a b; envsubst -x; echo \"rc $?\"",
     "A\nB\nC\nA\nenvsubst: missing arguments\nenvsubst: too many arguments\nenvsubst: invalid option -- 'x'\nTry 'envsubst --help' for more information.\nrc 1\n"),
    ("printf 'The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog again and again.\\n\\nSecond  paragraph here.   Short.\\n  indented line one\\n  indented line two continues\\n' > p.txt; ",
     "fmt p.txt; fmt -w 30 p.txt; fmt -u p.txt",
     "The quick brown fox jumps over the lazy dog. The quick brown fox jumps\nover the lazy dog again and again.\n\nSecond  paragraph here.   Short.\n  indented line one indented line two continues\nThe quick brown fox jumps\nover the lazy dog. The quick\nbrown fox jumps over the lazy\ndog again and again.\n\nSecond  paragraph here.\nShort.\n  indented line one indented\n  line two continues\nThe quick brown fox jumps over the lazy dog. The quick brown fox jumps\nover the lazy dog again and again.\n\nSecond paragraph here.  Short.\n  indented line one indented line two continues\n"),
    ("printf 'The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog again and again.\\n\\nSecond  paragraph here.   Short.\\n  indented line one\\n  indented line two continues\\n' > p.txt; ",
     "fmt -s -w 20 p.txt; fmt -c -w 25 p.txt; fmt -t -w 25 p.txt",
     "The quick brown\nfox jumps over the\nlazy dog. The quick\nbrown fox jumps\nover the lazy dog\nagain and again.\n\nSecond  paragraph\nhere.   Short.\n  indented line one\n  indented line\n  two continues\nThe quick brown fox\njumps over the lazy\ndog. The quick brown fox\njumps over the lazy dog\nagain and again.\n\nSecond  paragraph here.\n  Short.  indented line\n  one indented line\n  two continues\nThe quick brown fox\n   jumps over the lazy\n   dog. The quick brown\n   fox jumps over the\n   lazy dog again and\n   again.\n\nSecond  paragraph here.\n  Short.  indented line\n  one indented line\n  two continues\n"),
    ("",
     "printf '# a b c d e f g h i j k l m n o p\\nplain line\\n# x y\\n' | fmt -p '#' -w 20; printf '\\tTabbed (text) here: yes!  \"Quoted.\"  Next, sentence? Done.\\n' | fmt -w 30",
     "# a b c d e f g h\n# i j k l m n o p\nplain line\n# x y\n\tTabbed (text) here:\n\tyes!  \"Quoted.\"\n\tNext, sentence? Done.\n"),
    ("echo x > p.txt; ",
     "fmt -w x p.txt; fmt nothere; fmt -w 2600 p.txt; fmt -3x p.txt; echo \"rc $?\"",
     "fmt: invalid width: ‘x’\nfmt: cannot open 'nothere' for reading: No such file or directory\nfmt: invalid width: ‘2600’: Numerical result out of range\nfmt: invalid width: ‘3x’\nrc 1\n"),
    ("",
     "seq 1 3000 | fmt -w 60 | md5sum; seq 1 3000 | fmt -t -w 33 | md5sum",
     "f2c2442da6fd992a04d91d93747759cf  -\nee9762749fc5338b6c9b0948d14219c7  -\n"),
    ("",
     "renice; renice 5; renice -n x 1; renice -n 5 -p abc; renice -n 5 -u nouser; renice -n 5 99999; echo \"rc $?\"",
     "renice: not enough arguments\nTry 'renice --help' for more information.\nrenice: not enough arguments\nTry 'renice --help' for more information.\nrenice: invalid priority 'x'\nTry 'renice --help' for more information.\nrenice: bad process ID value: abc\nrenice: unknown user nouser\nrenice: failed to get priority for 99999 (process ID): No such process\nrc 1\n"),
    ("",
     "dmesg -l foo; dmesg -f foo; dmesg -n 99; dmesg -s x; dmesg -L=bad; dmesg --since x; dmesg -F nothere; dmesg foo; dmesg -z; echo \"rc $?\"",
     "dmesg: unknown level 'foo'\ndmesg: unknown facility 'foo'\ndmesg: unknown level '99'\ndmesg: invalid buffer size argument: 'x'\ndmesg: unsupported color mode: 'bad'\ndmesg: invalid time value \"x\"\ndmesg: cannot open nothere: No such file or directory\ndmesg: bad usage\nTry 'dmesg --help' for more information.\ndmesg: invalid option -- 'z'\nTry 'dmesg --help' for more information.\nrc 1\n"),
    ("",
     "fuser 9999/tcp; echo \"rc $?\"; fuser nothere; fuser -n udp 53; fuser abc/tcp; fuser -l; echo \"rc $?\"",
     "rc 1\nSpecified filename nothere does not exist.\nCannot resolve local port abc: Servname not supported for ai_socktype\nHUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT\nCHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS\nrc 0\n"),
]


@pytest.mark.parametrize("setup, line, expected", RECORDED)
def test_recorded(session: Session, setup: str, line: str, expected: str) -> None:
    assert run(session, setup + line)[0] == expected


WATCH_INIT = "\x1b[?1049h\x1b[22;0;0t\x1b[1;24r\x1b(B\x1b[m\x1b[4l\x1b[?7h\x1b[H\x1b[2J"
WATCH_EXIT = "\x1b[24;1H\x1b[?1049l\x1b[23;0;0t\r\x1b[?1l\x1b>"


@pytest.mark.parametrize("line, screen, status", [
    # ncurses' updates: home and clr_eol, cr then vpa, vpa then backspace
    ("timeout --foreground 3 watch -t -n 1 'cat n; echo x >> n'",
     "cat: n: No such file or directory\x1b[24;80H\x1b[Hx\x1b[K\x1b[24;80H\r\x1b[2dx"
     "\x1b[24;80H", 124),
    ("timeout --foreground 2 watch -t -n 1 'printf \"a\\nb\\n\"'", "a\x1b[2d\bb\x1b[24;80H",
     124),
    ("timeout --foreground 2 watch -t -n 1 -x echo a b", "a b\x1b[24;80H", 124),
    # a tab expanded; long moves are absolute (NOT_LOCAL)
    ("timeout --foreground 2 watch -t -n 1 'ip -br link; printf \"\\tx\\n\"'",
     "lo\x1b[1;18HDOWN\x1b[1;33H00:00:00:00:00:00 <LOOPBACK>\x1b[2;9Hx\x1b[24;80H", 124),
    ("timeout --foreground 2 watch -n 5 echo hi | sed -E 's/localhost: .{24}/HOST: DATE/'",
     "Every 5.0s: echo hi\x1b[1;46HHOST: DATE\x1b[3;1Hhi\x1b[24;80H", 0),
])
def test_watch_screens(session: Session, line: str, screen: str, status: int) -> None:
    assert run(session, line) == (WATCH_INIT + screen + WATCH_EXIT, status)


def test_watch_chgexit(session: Session) -> None:
    """-g ends (status 0) at the first run whose output differs."""
    run(session, "printf 'x\\nx\\n' > n")
    assert run(session, "timeout --foreground 2 watch -g -t -n 0.5 'cat n; echo y >> n'") == (
        WATCH_INIT + "x\x1b[2d\bx\x1b[24;80H\r\x1b[3dy\x1b[24;80H" + WATCH_EXIT, 0)


def test_fuser_and_renice_on_running_programs(session: Session) -> None:
    """The recorded formats: `%6d` PIDs after the name padded to 20 on stderr; renice's
    old and new priority (held to 19)."""
    run(session, "ip link set lo up; python3 -m http.server 8080 >/dev/null 2>&1 &")
    run(session, "sleep 1")
    text, status = run(session, "fuser 8080/tcp")
    assert status == 0 and text.startswith("8080/tcp:" + " " * 11) and text.endswith("\n")
    pid = text.split()[1]
    assert run(session, "fuser -v 8080/tcp")[0] == (
        " " * 21 + "USER        PID ACCESS COMMAND\n"
        f"8080/tcp:            root     {pid:>6} F.... python3\n")
    assert run(session, "fuser -k 8080/tcp; sleep 0.5; fuser 8080/tcp; echo \"rc $?\"")[0] \
        .endswith("rc 1\n")
    job = run(session, "sleep 30 & echo $!")[0].strip()
    assert run(session, f"renice -n 5 -p {job}; renice -n 30 {job}")[0] == (
        f"{job} (process ID) old priority 0, new priority 5\n"
        f"{job} (process ID) old priority 5, new priority 19\n")


RECORDED_PR = [
    ("seq 1 10 > ten; ",
     "pr -t -3 ten; pr -t -2 -w 30 ten; pr -t -3 -a ten; pr -t -s -2 ten",
     "1\t\t\t5\t\t\t8\n2\t\t\t6\t\t\t9\n3\t\t\t7\t\t\t10\n4\n1\t       6\n2\t       7\n3\t       8\n4\t       9\n5\t       10\n1\t\t\t2\t\t\t3\n4\t\t\t5\t\t\t6\n7\t\t\t8\t\t\t9\n10\n1\t6\n2\t7\n3\t8\n4\t9\n5\t10\n"),
    ("printf 'a\\nbb\\nccc\\n' > m1; printf '1\\n22\\n' > m2; seq 1 10 > ten; ",
     "pr -m -t m1 m2; pr -t -n -2 ten; pr -t -m -n m1 m2 ten; pr -t -d m1; pr -t -o 4 m1",
     "a\t\t\t\t    1\nbb\t\t\t\t    22\nccc\t\t\t\t    \n    1\t1\t\t\t    \t6   6\n    2\t2\t\t\t    \t7   7\n    3\t3\t\t\t    \t8   8\n    4\t4\t\t\t    \t9   9\n    5\t5\t\t\t       10   10\n    1\ta\t\t     1\t\t\t  1\n    2\tbb\t\t     22\t\t\t  2\n    3\tccc\t\t     \t\t\t  3\n    4\t\t\t     \t\t\t  4\n    5\t\t\t     \t\t\t  5\n    6\t\t\t     \t\t\t  6\n    7\t\t\t     \t\t\t  7\n    8\t\t\t     \t\t\t  8\n    9\t\t\t     \t\t\t  9\n   10\t\t\t     \t\t\t  10\na\n\nbb\n\nccc\n\n    a\n    bb\n    ccc\n"),
    ("seq 1 10 > ten; ",
     "pr -l 10 ten; pr +2 -l 12 ten | sed 's/^20[-0-9: ]*/DATE /'; seq 1 100 | pr -4 -l 20 | sed 's/^20[-0-9: ]*/DATE /'",
     "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n\n\nDATE ten                        Page 2\n\n\n3\n4\n\n\n\n\n\n\n\nDATE ten                        Page 3\n\n\n5\n6\n\n\n\n\n\n\n\nDATE ten                        Page 4\n\n\n7\n8\n\n\n\n\n\n\n\nDATE ten                        Page 5\n\n\n9\n10\n\n\n\n\n\n\n\nDATE Page 1\n\n\n1\t\t  11\t\t    21\t\t      31\n2\t\t  12\t\t    22\t\t      32\n3\t\t  13\t\t    23\t\t      33\n4\t\t  14\t\t    24\t\t      34\n5\t\t  15\t\t    25\t\t      35\n6\t\t  16\t\t    26\t\t      36\n7\t\t  17\t\t    27\t\t      37\n8\t\t  18\t\t    28\t\t      38\n9\t\t  19\t\t    29\t\t      39\n10\t\t  20\t\t    30\t\t      40\n\n\n\n\n\n\n\nDATE Page 2\n\n\n41\t\t  51\t\t    61\t\t      71\n42\t\t  52\t\t    62\t\t      72\n43\t\t  53\t\t    63\t\t      73\n44\t\t  54\t\t    64\t\t      74\n45\t\t  55\t\t    65\t\t      75\n46\t\t  56\t\t    66\t\t      76\n47\t\t  57\t\t    67\t\t      77\n48\t\t  58\t\t    68\t\t      78\n49\t\t  59\t\t    69\t\t      79\n50\t\t  60\t\t    70\t\t      80\n\n\n\n\n\n\n\nDATE Page 3\n\n\n81\t\t  86\t\t    91\t\t      96\n82\t\t  87\t\t    92\t\t      97\n83\t\t  88\t\t    93\t\t      98\n84\t\t  89\t\t    94\t\t      99\n85\t\t  90\t\t    95\t\t      100\n\n\n\n\n\n\n\n\n\n\n"),
    ("seq 1 10 > ten; printf 'a\\n' > m1; ",
     "pr -t -S: -3 ten; pr -t -J -2 ten; pr -T -W 5 m1 ten | head -4; printf 'a\\tb\\001\\n' | pr -t -c; printf 'a\\fb\\n' | pr -t",
     "1\t\t       :5\t\t       :8\n2\t\t       :6\t\t       :9\n3\t\t       :7\t\t       :10\n4\n1\t6\n2\t7\n3\t8\n4\t9\n5\t10\na\n1\n2\n3\na\tb^A\na\n\fb\n"),
    ("printf 'a\\n' > m1; ",
     "pr nothere; echo \"rc $?\"; pr -m -2 m1 m1; pr -l x m1; pr -w 0 m1; pr -100 m1; pr -t -nx1 m1; pr -x; pr --pages=3 m1; echo \"rc $?\"",
     "pr: nothere: No such file or directory\nrc 1\npr: cannot specify number of columns when printing in parallel\npr: '-l PAGE_LENGTH' invalid number of lines: ‘x’\npr: '-w PAGE_WIDTH' invalid number of characters: ‘0’: Numerical result out of range\npr: page width too narrow\n1xa\npr: invalid option -- 'x'\nTry 'pr --help' for more information.\npr: starting page number 3 exceeds page count 1\nrc 0\n"),
]


@pytest.mark.parametrize("setup, line, expected", RECORDED_PR)
def test_pr_recorded(session: Session, setup: str, line: str, expected: str) -> None:
    """pr.c's columns, merges, numbers, separators, pages (goldens as RECORDED)."""
    assert run(session, setup + line)[0] == expected


def test_watch_errexit_and_beep(session: Session) -> None:
    """-e: the message on the last line; from /dev/null getchar() reads EOF and watch
    exits 8 (on the recorder's pty it waits for the key until timeout's 124); -b: a
    bell before each failed run's screen (recorded, script(1) and record.py)."""
    message = "command exit with a non-zero status, press a key to exit"
    assert run(session, "timeout --foreground 2 watch -e -t -n 0.5 false < /dev/null") == (
        WATCH_INIT + "\x1b[24d" + message + WATCH_EXIT, 8)
    assert run(session, "timeout --foreground 2 watch -b -t -n 0.5 false") == (
        WATCH_INIT[:-len("\x1b[H\x1b[2J")] + "\a\x1b[H\x1b[2J\x1b[24;80H\a\a\a" + WATCH_EXIT,
        124)


@pytest.mark.parametrize("line, expected", [
    # -d takes no value as a short option: -d3 is -d -3, and -3 then -l is two ways
    ("seq 20 > f; split -d3 -l 5 f; echo \"rc $?\"",
     "split: cannot split in more than one way\nTry 'split --help' for more information.\n"
     "rc 1\n"),
    ("seq 20 > f; csplit f 3 3 | head -1",
     "csplit: warning: line number ‘3’ is the same as preceding line number\n4\n"),
    ("seq 20 > f; csplit -b %s f 5; echo \"rc $?\"; csplit -b %d f 5; ls xx*",
     "csplit: invalid conversion specifier in suffix: s\nrc 1\n8\n43\nxx0  xx1\n"),
    ("dmesg -s -1; watch -q x echo; echo \"rc $?\"",
     "dmesg: invalid buffer size argument: '-1': Numerical result out of range\n"
     "watch: failed to parse argument: 'x': Invalid argument\nrc 1\n"),
    ("split --he; csplit --s; watch --n 2>&1 | head -1",
     "split: option '--he' is ambiguous; possibilities: '--hex-suffixes' '--help'\n"
     "Try 'split --help' for more information.\n"
     "csplit: option '--s' is ambiguous; possibilities: '--silent' '--suffix-format' "
     "'--suppress-matched'\nTry 'csplit --help' for more information.\n"
     "watch: option '--n' is ambiguous; possibilities: '--no-title' '--no-wrap'\n"),
    ("seq 20 > f; fuser -a f nothere 9999/tcp; fuser -- -x 2>&1 | head -1",
     "Specified filename nothere does not exist.\n/root/f:\nnothere:\n9999/tcp:\n"
     "No process specification given\n"),
])
def test_odd_arguments(session: Session, line: str, expected: str) -> None:
    """What a batch of odd arguments showed against the real tools."""
    assert run(session, line)[0] == expected


def test_watch_clears_the_rows_that_go(session: Session) -> None:
    """ClrBottom(): rows that become blank at the bottom go with one clr_eos, from the
    highest of them (recorded: tools35_watch)."""
    assert run(session, "printf '' > q; timeout --foreground 3 watch -t -n 1 "
                        "'seq $((5 - $(wc -l < q))); echo >> q'") == (
        WATCH_INIT + "1\x1b[2d\b2\x1b[3d\b3\x1b[4d\b4\x1b[5d\b5\x1b[24;80H\r\x1b[5d\x1b[J"
        "\x1b[24;80H\r\x1b[4d\x1b[J\x1b[24;80H" + WATCH_EXIT, 124)


def test_renice_of_the_shell_itself(session: Session) -> None:
    """Recorded in one bash: renicing $$ is the shell's niceness (what it runs next
    inherits it); ID 0 is renice itself, started with the shell's niceness then."""
    shell = run(session, "echo $$")[0].strip()
    assert run(session, "renice +10 $$; renice -n 3 -p $$ 0; nice -n 5 renice -n 7 -p 0; "
                        "nice")[0] == (
        f"{shell} (process ID) old priority 0, new priority 10\n"
        f"{shell} (process ID) old priority 10, new priority 3\n"
        "0 (process ID) old priority 10, new priority 3\n"
        "0 (process ID) old priority 8, new priority 7\n3\n")


def test_watch_differences(session: Session) -> None:
    """-d: what changed stands out (sgr with standout), the attribute reset at the next
    update's start; -d=permanent keeps what once changed standing out (recorded:
    tools35_watch)."""
    assert run(session, "printf '' > n; timeout --foreground 3 watch -d -t -n 1 "
                        "'echo \"RX: packets $(wc -c < n) bytes\"; echo abcdefghij >> n'") == (
        WATCH_INIT + "RX: packets 0 bytes\x1b[24;80H\x1b[1;13H\x1b(B\x1b[0;7m11 bytes"
        "\x1b[24;80H\x1b(B\x1b[m\x1b[1;13H\x1b(B\x1b[0;7m22\x1b(B\x1b[m bytes\x1b[24;80H"
        + WATCH_EXIT, 124)


@pytest.mark.parametrize("line, expected", [
    # a directory opens; its read fails, in each tool's words
    ("mkdir d; shuf d; shuf < d; shuf --random-source=d -i 1-3; split d; fmt d; fmt < d",
     "shuf: read error: Is a directory\nshuf: read error: Is a directory\n"
     "shuf: ‘d’: read error: Is a directory\nsplit: d: Is a directory\nfmt: read error\n"
     "fmt: read error\n"),
    ("mkdir d; csplit d 1; echo \"rc $?\"; envsubst < d; echo \"rc $?\"",
     "csplit: read error: Is a directory\n0\nrc 1\n"
     "envsubst: error while reading \"standard input\": Is a directory\nrc 1\n"),
    # an empty input: csplit dies (xx00 stays), a pattern not found dumps nothing
    (": > empty; csplit empty 1; echo \"rc $?\"; ls; csplit empty /x/; echo \"rc $?\"",
     "csplit: input disappeared\nrc 1\nempty  xx00\ncsplit: ‘/x/’: match not found\n0\nrc 1\n"),
])
def test_unreadable_inputs(session: Session, line: str, expected: str) -> None:
    """Recorded: directories and empty files as inputs."""
    assert run(session, line)[0] == expected
