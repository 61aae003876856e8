"""The fixes round 37's tutorials in languages other than English led to (their cases,
tutorials37c_, in Chinese, Japanese, Korean, Russian, French, Turkish, Vietnamese,
Italian, Portuguese, Polish, Indonesian, are replayed whole by test_rounds.py). Every
expected text was recorded on the project's Debian 12 machine with the oracle's
recorder (record.py, `bash -c LINE` on a pty), twice, the two recordings alike under
diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

# --- the fixes: what CJK pages' readers type (names, labels, aliases in their script, a
# full-width blank copied from the page). Each expected text below was recorded on the
# project's machine (record.py in a fresh namespace: Linux 6.18, iproute2 6.1, net-tools
# 2.10), as tutorials37c_hzjcp_alias_cjk_zh also shows whole.

def _run(line: str) -> str:
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    shell.run_line("ip link add 网卡0 address 02:00:00:00:00:10 type veth peer name 网卡1 "
                   "address 02:00:00:00:00:11")
    term, _ = shell.run_line(line)
    return term.text()


def test_a_full_width_blank_is_part_of_the_name():
    # check_ifname(): strlen() below IFNAMSIZ and no '/' or isspace() byte in ip's C
    # locale; U+3000 is three bytes of a name, so the kernel's lookup says no such device
    assert _run("ip link set eth0\u3000up") == 'Cannot find device "eth0\u3000up"\n'
    assert _run("ip link set 网卡0\u3000up") == 'Cannot find device "网卡0\u3000up"\n'


def test_a_label_of_more_than_15_bytes_fails_the_policy():
    # IFA_LABEL is NLA_STRING of IFNAMSIZ - 1 bytes: "网卡0:一二三" is 17
    assert _run("ip addr add 10.0.0.2/24 dev 网卡0 label 网卡0:一二三") == \
        "Error: Attribute failed policy validation.\n"
    assert _run("ip addr add 172.16.0.1/24 dev 网卡0 label 网卡0:外网; "
                "ip addr add 172.16.0.2/24 dev 网卡0 label 网卡0:外网二; "
                "ip -4 addr show label '网卡0:*'") == (
        "Error: Attribute failed policy validation.\n"
        "    inet 172.16.0.1/24 scope global 网卡0:外网\n"
        "       valid_lft forever preferred_lft forever\n")


def test_ip_brief_pads_a_name_by_its_bytes():
    # print_name_and_link("%-16s "): "网卡1@网卡0" is 15 bytes
    assert _run("ip -br link") == (
        "lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n"
        "网卡1@网卡0  DOWN           02:00:00:00:00:11 <BROADCAST,MULTICAST,M-DOWN> \n"
        "网卡0@网卡1  DOWN           02:00:00:00:00:10 <BROADCAST,MULTICAST,M-DOWN> \n")


def test_net_tools_and_proc_pad_a_name_by_its_bytes():
    # ife_print_short()'s "%-*.*s" (ifconfig -s, netstat -i) and dev_seq_printf_stats()'s
    # "%6s:" (/proc/net/dev)
    out = _run("ifconfig -s -a; netstat -i; cat /proc/net/dev")
    assert "网卡0          1500        0      0      0 0             0      0      0      0 BM\n" \
        in out
    assert "\n网卡0:       0       0    0    0    0" in out
    assert "\n    lo:       0       0" in out


def test_cfmt_pads_and_cuts_bytes():
    from ipemu.render.cfmt import c_percent, cpad
    assert cpad("网卡", 8) == "网卡  "
    assert cpad("网卡", 8, left=False) == "  网卡"
    assert cpad("网卡网卡网卡", 4) == "网卡网卡网卡"            # wider than the field
    assert cpad("abc", 5, precision=2) == "ab   "
    assert c_percent("%-8s|%3s|%d", ("网卡", "é", 7)) == "网卡  | é|7"
    assert c_percent("%-6s:", "lo") == "lo    :"


def test_proc_files_and_route_ee_pad_a_name_by_its_bytes():
    # if6_seq_show() "%8s", ipv6_route_native_seq_show() "%8s", igmp6_mc_seq_show()
    # "%-15s", fib_route_seq_show()'s seq_pad() to 127, net-tools' -ee "%-6.6s"
    out = _run("ip link set 网卡0 up; ip link set 网卡1 up; "
               "ip addr add 10.9.9.1/24 dev 网卡0; "
               "ip -6 addr add 2001:db8::1/64 dev 网卡0 nodad; "
               "ip route add 10.8.0.0/16 via 10.9.9.2 mtu 1400 window 100 rtt 10; "
               "grep 2001 /proc/net/if_inet6; grep 20010db8 /proc/net/ipv6_route; "
               "grep ff000011 /proc/net/igmp6; cat /proc/net/route; route -ee -n")
    lines = out.splitlines()
    assert "20010db8000000000000000000000001 03 40 00 82  网卡0" in lines
    assert ("20010db8000000000000000000000000 40 00000000000000000000000000000000 00 "
            "00000000000000000000000000000000 00000100 00000001 00000000 00000001  网卡0") \
        in lines
    assert "2    网卡1         ff0200000000000000000001ff000011     1 00000004 0" in lines
    assert "网卡0\t0000080A\t0209090A\t0003\t0\t0\t0\t0000FFFF\t0\t100\t1" + " " * 74 \
        in lines
    assert "10.8.0.0        10.9.9.2        255.255.0.0     UG    0      0        0 网卡   0" \
        "     100    1" in lines


def test_mawk_counts_bytes_and_column_counts_screen_cells():
    # mawk 1.3.4's strings are bytes (length, substr, index, RSTART, printf widths);
    # util-linux column -t pads to screen cells (a CJK character takes two)
    out = _run("echo 网卡0 | awk '{printf \"%-8s|\\n\", $1; print length($1); "
               "print substr($1,4,3); print index($1,\"卡\"); match($1,/0/); "
               "print RSTART, RLENGTH; printf \"%5s|\\n\", \"网\"}'; "
               "printf '网卡0 UP 10.0.0.1/24\\nlo UNKNOWN 127.0.0.1/8\\n' | column -t; "
               "printf 'a 网卡 b\\n网卡网卡 c d\\n' | column -t")
    assert out == ("网卡0 |\n7\n卡\n4\n7 1\n  网|\n"
                   "网卡0  UP       10.0.0.1/24\n"
                   "lo     UNKNOWN  127.0.0.1/8\n"
                   "a         网卡  b\n"
                   "网卡网卡  c     d\n")


def test_ping_encodes_a_pasted_name_as_glibc_ai_idn_does():
    # ping's AI_IDN: UTS #46 mapping (full-width letters and digits, the ideographic
    # full stop), then IDNA2008: a dash or guillemet pasted from a page cannot be encoded
    out = _run("ping -c 1 –c; ping -c 1 网卡.com; ping -c 1 ＬＯＣＡＬＨＯＳＴ; "
               "ping -c 1 a☃b; ping -c 1 １２７．０．０．１; ping -c 1 127｡0.0.1; "
               "ping -c 1 «host»; ping -c 1 ñandú.es; ping6 -c 1 网卡")
    assert out == ("ping: –c: Parameter string not correctly encoded\n"
                   "ping: 网卡.com: Temporary failure in name resolution\n"
                   "ping: connect: Network is unreachable\n"
                   "ping: a☃b: Parameter string not correctly encoded\n"
                   "ping: connect: Network is unreachable\n"
                   "ping: connect: Network is unreachable\n"
                   "ping: «host»: Parameter string not correctly encoded\n"
                   "ping: ñandú.es: Temporary failure in name resolution\n"
                   "ping6: 网卡: Temporary failure in name resolution\n")


def test_tracepath_traceroute_and_arping_ask_for_ai_idn_too():
    out = _run("tracepath –c; traceroute –c; traceroute -n ＬＯＣＡＬＨＯＳＴ; arping -c 1 –c")
    assert out == ("tracepath: –c: Parameter string not correctly encoded\n"
                   "–c: Parameter string not correctly encoded\n"
                   "Cannot handle \"host\" cmdline arg `–c' on position 1 (argc 1)\n"
                   "traceroute to ＬＯＣＡＬＨＯＳＴ (127.0.0.1), 30 hops max, 60 byte packets\n"
                   "connect: Network is unreachable\n"
                   "arping: –c: Parameter string not correctly encoded\n")


def test_tr_wc_and_mawk_case_on_utf8_text():
    # GNU tr maps bytes; wc -L counts screen columns (tabs to 8, CJK two); mawk's
    # toupper()/tolower() change ASCII letters only
    out = _run("echo 网卡0 | tr 网 X; echo 网卡0 | tr -d 卡; echo Grüße | tr a-z A-Z; "
               "echo 网卡0 | wc -L; printf 'a\\tb\\n' | wc -L; printf 'abc\\rd\\n' | wc -L; "
               "printf 'x\\n网卡网卡\\tz\\n' | wc -L; "
               "echo 'é ü straße' | awk '{print toupper($0), tolower(\"ÄÖ ABC\")}'")
    assert out == ("XXX卡0\n网0\nGRüßE\n5\n9\n3\n17\n"
                   "é ü STRAßE ÄÖ abc\n")


def test_mawk_regexes_match_bytes():
    # mawk 1.3.4: `.` is one byte of a UTF-8 character; RSTART/RLENGTH count bytes
    out = _run("echo 网卡0 | awk '{gsub(/./,\"X\"); print}'; "
               "echo 网卡0 | awk '{n = gsub(/卡/,\"[&]\"); print n, $0}'; "
               "echo 网卡0 | awk '{print match($0, /卡/), RSTART, RLENGTH}'; "
               "echo 'a，b，c' | awk -F'，' '{print NF, $2}'; "
               "echo 'héllo wörld' | awk '/^h.llo/ {print \"one\"} /^h..llo/ {print \"two\"}'")
    assert out == "XXXXXXX\n1 网[卡]0\n4 4 3\n3 b\ntwo\n"


def test_grep_and_sed_classes_are_those_of_glibc_c_utf8():
    # é ß 网 Ⅰ ① ٣ ， U+3000 NBSP € U+0301 ｱ Ａ ａ ǅ U+2028 a 1 _ - ZWSP SHY ² Ω ω, one a
    # line; the numbers of the lines each class matches (recorded with GNU grep 3.8 and
    # sed 4.9 in C.UTF-8)
    chars = "é ß 网 Ⅰ ① ٣ ， \u3000 \u00a0 € \u0301 ｱ Ａ ａ ǅ \u2028 a 1 _ - \u200b \u00ad ² Ω ω"
    lines = "\\n".join(chars.split(" "))
    def nums(cmd):
        return _run(f"printf '{lines}\\n' | {cmd} | tr '\\n' ' '; echo")
    assert nums("grep -n '^[[:alpha:]]$' | cut -d: -f1") == "1 2 3 4 6 12 13 14 15 17 24 25 \n"
    assert nums("grep -n '^[[:upper:]]$' | cut -d: -f1") == "4 13 15 24 \n"
    assert nums("grep -n '^[[:lower:]]$' | cut -d: -f1") == "1 2 14 15 17 25 \n"
    assert nums("grep -n '^[[:space:]]$' | cut -d: -f1") == "8 16 \n"
    assert nums("grep -n '^[[:punct:]]$' | cut -d: -f1") == "5 7 9 10 11 19 20 21 22 23 \n"
    assert nums("grep -n '^[[:graph:]]$' | cut -d: -f1") == \
        "1 2 3 4 5 6 7 9 10 11 12 13 14 15 17 18 19 20 21 22 23 24 25 \n"
    assert nums("grep -n '^\\w$' | cut -d: -f1") == "1 2 3 4 6 12 13 14 15 17 18 19 24 25 \n"
    assert nums("sed -n '/^[[:alpha:]]$/='") == "1 2 3 4 6 12 13 14 15 17 24 25 \n"


def test_case_lines_break_where_the_recorder_reads_lines():
    # record.py's parse_case() iterates the file (universal newlines): a U+2028 or \x85
    # inside a command is part of it, as in the probe recorded for the classes above
    from ipemu.transcript.runner import case_lines
    assert case_lines("printf 'a\u2028b\x85c'\n# x\r\nls\r\n\n") == ["printf 'a\u2028b\x85c'", "ls"]
