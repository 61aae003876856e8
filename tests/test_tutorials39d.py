"""The fixes round 39's net-tools, ss and netstat tutorials led to (their cases,
tutorials39d_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: Linux 6.18, net-tools 2.10, iproute2 6.1), twice, the two recordings
alike under diff.py's masks."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

HEAD = ("Active Internet connections (only servers)\n"
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State      ")


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _out(shell, line: str) -> str:
    term, _ = shell.run_line(line)
    return term.text()


def _listeners():
    # tutorials39d_ubuntu_netstat8_wide_users: long addresses, a listener on each
    return _shell("ip link set lo up", "ip addr add 192.168.100.200/32 dev lo",
                  "ip addr add 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1/128 dev lo nodad",
                  "timeout 6 python3 -m http.server 8080 --bind 192.168.100.200"
                  " > /dev/null 2>&1 &",
                  "timeout 6 python3 -m http.server 8000 --bind"
                  " 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1 > /dev/null 2>&1 &",
                  "sleep 1")


def test_netstat_cuts_long_addresses_unless_wide():
    # netstat.c addr_do_one(): ADDR:PORT longer than 22 keeps the port and cuts the
    # address to what is left; -W/--wide prints it whole (and pads nothing more)
    shell = _listeners()
    assert _out(shell, "netstat -tl") == HEAD + "\n" \
        "tcp        0      0 192.168.100.20:http-alt 0.0.0.0:*               LISTEN     \n" \
        "tcp6       0      0 2001:db8:aaaa:bbbb:8000 [::]:*                  LISTEN     \n"
    assert _out(shell, "netstat -tlnW") == HEAD + "\n" \
        "tcp        0      0 192.168.100.200:8080    0.0.0.0:*               LISTEN     \n" \
        "tcp6       0      0 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1:8000 :::*" \
        "                    LISTEN     \n"


def test_netstat_extend_twice_prints_user_and_inode():
    # finish_this_one(): " %-10s " getpwuid()'s name (the uid with -n or
    # --numeric-users), then "%-10lu" the socket's inode
    shell = _listeners()
    ee = re.sub(r" [0-9]+ *\n", " INODE\n", _out(shell, "netstat -tlee"))
    assert ee == HEAD + " User       Inode     \n" \
        "tcp        0      0 192.168.100.20:http-alt 0.0.0.0:*               LISTEN      root       INODE\n" \
        "tcp6       0      0 2001:db8:aaaa:bbbb:8000 [::]:*                  LISTEN      root       INODE\n"
    en = re.sub(r" [0-9]+ *\n", " INODE\n", _out(shell, "netstat -tle --numeric-users"))
    assert "LISTEN      0          INODE\n" in en and "root" not in en


def test_netstat_names_hosts_from_etc_hosts():
    # INET_rresolve(): gethostbyaddr() names 127.0.0.1 `localhost` (/etc/hosts); the
    # any address stays 0.0.0.0 (a host mask skips getnetbyaddr()); --numeric-hosts
    # keeps numbers and still names the ports
    shell = _shell("ip link set lo up",
                   "timeout 6 python3 -m http.server 8000 --bind 127.0.0.1 > /dev/null 2>&1 &",
                   "timeout 6 python3 -m http.server 80 > /dev/null 2>&1 &",
                   "sleep 1")
    assert _out(shell, "netstat -tl") == HEAD + "\n" \
        "tcp        0      0 localhost:8000          0.0.0.0:*               LISTEN     \n" \
        "tcp        0      0 0.0.0.0:http            0.0.0.0:*               LISTEN     \n"
    assert _out(shell, "netstat -tl --numeric-hosts") == HEAD + "\n" \
        "tcp        0      0 127.0.0.1:8000          0.0.0.0:*               LISTEN     \n" \
        "tcp        0      0 0.0.0.0:http            0.0.0.0:*               LISTEN     \n"


def test_loopback_gateway_resolves_through_lo_while_lo_is_up():
    # fib_check_nh_v4_gw(): a gateway is looked up like any address (RTN_LOCAL is a
    # valid answer): 127.0.0.1 resolves through lo's local routes while lo is up,
    # not while it is down, nor on another device; onlink wants a unicast gateway.
    # net-tools' rtentry with a local gateway keeps scope link (rtentry_to_fib_config)
    bad = "Error: Nexthop has invalid gateway.\n"
    shell = _shell()
    assert _out(shell, "ip route add 10.1.0.0/16 via 127.0.0.1 dev lo") == bad
    assert _out(shell, "ip route add 10.2.0.0/16 via 127.0.0.1") == bad
    for line in ("ip link set lo up", "ip link add eth0 type veth peer name eth1",
                 "ip addr add 192.168.10.5/24 dev eth0", "ip link set eth0 up",
                 "ip link set eth1 up"):
        shell.run_line(line)
    assert _out(shell, "ip route add 10.3.0.0/16 via 127.0.0.1") == ""
    assert _out(shell, "ip route add 10.4.0.0/16 via 127.0.0.1 dev lo") == ""
    assert _out(shell, "ip route add 10.5.0.0/16 via 127.0.0.1 dev eth0") == bad
    assert _out(shell, "ip route add 10.6.0.0/16 via 127.0.0.2") == ""
    assert _out(shell, "ip route add 10.12.0.0/16 via 127.0.0.1 dev lo onlink") == bad
    assert _out(shell, "route add -net 10.14.0.0/16 gw 127.0.0.1") == ""
    assert _out(shell, "ip route") == (
        "10.3.0.0/16 via 127.0.0.1 dev lo \n"
        "10.4.0.0/16 via 127.0.0.1 dev lo \n"
        "10.6.0.0/16 via 127.0.0.2 dev lo \n"
        "10.14.0.0/16 via 127.0.0.1 dev lo scope link \n"
        "192.168.10.0/24 dev eth0 proto kernel scope link src 192.168.10.5 \n")
    shell.run_line("ip link set lo down")
    assert _out(shell, "ip route") == \
        "192.168.10.0/24 dev eth0 proto kernel scope link src 192.168.10.5 \n"


def _http_and_client():
    return _shell("ip link set lo up",
                  "timeout 6 python3 -m http.server 8080 --bind 127.0.0.1 > /dev/null 2>&1 &",
                  "timeout 6 python3 -m http.server 8443 --bind ::1 > /dev/null 2>&1 &",
                  "sleep 1")


def _words(text: str) -> list[list[str]]:
    # ss pads its columns to the terminal's width (80 on the recorder's pty, compact
    # off one, where the header's last titles run together): compare the rows' fields
    return [line.split() for line in text.splitlines()[1:]]


def test_ss_resolve_names_hosts_from_etc_hosts():
    # -r: format_host() -> resolve_address() (gethostbyaddr): 127.0.0.1 is localhost,
    # 0.0.0.0 and ::1 (not in this /etc/hosts) stay numbers; -n still numbers ports
    shell = _http_and_client()
    head = "State    Recv-Q   Send-Q     Local Address:Port     Peer Address:Port  Process  \n"
    assert _words(_out(shell, "ss -tl -r -n")) == _words(head +
        "LISTEN   0        5              localhost:8080          0.0.0.0:*              \n"
        "LISTEN   0        5                  [::1]:8443             [::]:*              \n")
    assert _words(_out(shell, "ss -tl --resolve")) == _words(
        "State   Recv-Q  Send-Q   Local Address:Port         Peer Address:Port  Process  \n"
        "LISTEN  0       5            localhost:http-alt          0.0.0.0:*              \n"
        "LISTEN  0       5                [::1]:8443                 [::]:*              \n")


def test_ss_extended_details():
    # -e: sock_details_print() (ino, sk, cgroup: no cgroup2 mount in the recorder's
    # namespace, said on stderr per socket), v6only for AF_INET6, the shutdown `<->`
    shell = _http_and_client()
    text = _out(shell, "ss -tln -e | sed -E 's/ino:[0-9]+/ino:I/; s/sk:[0-9a-f]+/sk:K/;"
                       " s/ *$//'")
    assert text == (
        "Failed to open cgroup2 mount\n"
        "Failed to open cgroup2 mount\n"
        "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
        "LISTEN 0      5          127.0.0.1:8080      0.0.0.0:*    ino:I sk:K "
        "cgroup:unreachable:1 <->\n"
        "LISTEN 0      5              [::1]:8443         [::]:*    ino:I sk:K "
        "cgroup:unreachable:1 v6only:1 <->\n")


def test_ss_extended_time_wait_is_a_timewait_sock():
    # inet_twsk_diag_fill(): inode 0, no cgroup nor shutdown; -e sets show_options,
    # so the timewait timer shows (print_ms_timer(): 57sec)
    shell = _shell("ip link set lo up",
                   "timeout 4 python3 -m http.server 8080 --bind 127.0.0.1 > /dev/null 2>&1 &",
                   "sleep 1",
                   "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3;"
                   " cat <&3 > /dev/null; exec 3<&-",
                   "sleep 2")
    text = _out(shell, "ss -tan state time-wait -e -H | sed -E 's/sk:[0-9a-f]+/sk:K/;"
                       " s/:[3-6][0-9][0-9][0-9][0-9] /:EPH /g; s/ *$//'")
    assert text == "0      0      127.0.0.1:8080 127.0.0.1:EPH timer:(timewait,57sec,0)" \
        " ino:0 sk:K\n"


def test_netstat_timers_and_a_timewait_sock():
    # -o: tcp_do_one()'s `off (0.00/RETR/TIMEOUT)` or NAME (SECONDS/...); /proc/net/tcp
    # gives a TIME_WAIT socket timer 3 (get_timewait4_sock()) and inode 0
    shell = _shell("ip link set lo up",
                   "timeout 5 python3 -m http.server 8080 --bind 127.0.0.1 > /dev/null 2>&1 &",
                   "sleep 1",
                   "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3;"
                   " cat <&3 > /dev/null; exec 3<&-",
                   "sleep 0.5")
    assert _out(shell, "netstat -tlo --timers") == \
        "Active Internet connections (only servers)\n" \
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       Timer\n" \
        "tcp        0      0 localhost:http-alt      0.0.0.0:*               LISTEN      off (0.00/0/0)\n"
    text = _out(shell, "netstat -tanoe | grep TIME_WAIT | sed -E"
                       " 's/:[3-6][0-9][0-9][0-9][0-9] /:EPH /g; s/\\([0-9.]+\\//(T\\//'")
    assert text == "tcp        0      0 127.0.0.1:8080          127.0.0.1:EPH         " \
        "TIME_WAIT   0          0          timewait (T/0/0)\n"
    assert _out(shell, "awk 'NR > 1 {print $4, substr($6, 1, 2)}' /proc/net/tcp | sort") == \
        "06 03\n0A 00\n"
