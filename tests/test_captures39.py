"""captures39: tcpdump on application traffic (tests/oracle_cases/captures39_*, recorded
twice on the Debian 12 machine: tcpdump 4.99.3, curl 7.88.1, wget 1.21.3, OpenSSH 9.2p1,
Linux 6.18), and the behaviours they showed, each on its own:

- ssh sets its IPQoS on the socket before it connects (Debian's default interactive
  value lowdelay, 0x10; `-o IPQoS=` names, numbers, none; a bad value is refused), and
  the kernel's RST for a closed port carries the SYN's DSCP (IPv4 TOS, IPv6 class);
- curl's -u (and the URL's user:password), -A, -e and -b go into the request in
  lib/http.c's order; wget's --referer, -U, --header, --no-http-keep-alive and Basic
  credentials (only with --auth-no-challenge) in gethttp()'s, a POST body its own write;
- a TIME_WAIT socket takes a newer SYN of its four-tuple as a new connection (ISNs and
  TS offsets are keyed hashes of the tuple plus the clock);
- egrep streams in a pipe; `</dev/tcp/H/P` alone only connects; ssh -v's debug lines.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

# the captures39_ cases replay whole in tests/test_rounds.py (PREFIXES)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_capture35 import run, session  # noqa: E402,F401

PAIR = [
    "sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
    "ip netns add box",
    "ip netns exec box sysctl -q -w net.ipv6.conf.default.disable_ipv6=1",
    "ip link add c0 type veth peer name s0 netns box",
    "ip addr add 10.39.9.1/24 dev c0",
    "ip link set c0 up",
    "ip -n box addr add 10.39.9.2/24 dev s0",
    "ip -n box link set s0 up",
]


def setup(session, extra=()):
    for line in [*PAIR, *extra]:
        run(session, line)


@pytest.mark.parametrize("option, tos", [
    ("", "0x10"),                          # Debian's revert-ipqos-defaults: lowdelay
    ("-o IPQoS=cs0", "0x0"),
    ("-o IPQoS=ef -o IPQoS=cs1", "0xb8"),      # the first one given wins
    ("-o 'IPQoS af21 cs1'", "0x48"),
    ("-o IPQoS=none", "0x0"),
    ("-o IPQoS=0x28", "0x28"),
    ("-o IPQoS=THROUGHPUT", "0x8"),
])
def test_ssh_syn_and_the_reset_carry_the_ipqos(session, option, tos):
    setup(session)
    run(session, "timeout 3 tcpdump -i c0 -nn -v -c 2 tcp > cap.txt 2>&1 &")
    run(session, "sleep 1")
    assert run(session, f"ssh {option} 10.39.9.2") == \
        "ssh: connect to host 10.39.9.2 port 22: Connection refused\r\n"
    run(session, "wait")
    out = run(session, "cat cap.txt")
    # recorded (captures39_ssh_tos): the SYN's TOS, and the kernel's RST the same
    assert out.count(f"IP (tos {tos}, ttl 64, id ") == 2, out


@pytest.mark.parametrize("value", ["fast", "256", "-1", "0o10", "lowdelay bulk"])
def test_ssh_refuses_a_bad_ipqos(session, value):
    word = value.split()[-1] if " " in value else value
    # readconf.c: `command-line line 0: Bad IPQoS value: WORD`, exit 255, no connect
    assert run(session, f"ssh -o 'IPQoS={value}' 10.39.9.2; echo $?") == \
        f"command-line line 0: Bad IPQoS value: {word}\r\n255\n"


def test_ipv6_reset_reflects_the_traffic_class(session):
    setup(session, ["sysctl -q -w net.ipv6.conf.c0.disable_ipv6=0",
                    "ip netns exec box sysctl -q -w net.ipv6.conf.s0.disable_ipv6=0",
                    "ip addr add fd39:9::1/64 dev c0 nodad",
                    "ip -n box addr add fd39:9::2/64 dev s0 nodad", "sleep 2"])
    run(session, "timeout 3 tcpdump -i c0 -nn -v -c 2 'ip6 and tcp' > cap.txt 2>&1 &")
    run(session, "sleep 1")
    run(session, "ssh -o IPQoS=ef fd39:9::2")
    run(session, "bash -c 'echo > /dev/tcp/fd39:9::2/23'")
    run(session, "wait")
    out = run(session, "cat cap.txt")
    # recorded: the SYN and its RST both `IP6 (class 0xb8, flowlabel ...`
    assert out.count("IP6 (class 0xb8, flowlabel ") == 2, out


SERVER = ["ip link set lo up", "sysctl -q -w net.ipv6.conf.lo.disable_ipv6=1",
          "mkdir www", "echo page > www/index.html",
          "timeout 5 python3 -m http.server 8080 --bind 127.0.0.1 -d www"
          " > /dev/null 2>&1 &"]
HEADERS = ("timeout 4 tcpdump -i lo -nn -A -l 'dst port 8080 and tcp[tcpflags] & tcp-push"
           " != 0' 2>/dev/null | grep -a -E '^[A-Z][A-Za-z-]+: |^[a-z]+=|length' |"
           " sed 's/^.*length/length/' > cap.txt &")


def request_of(session, command: str) -> list[str]:
    for line in SERVER:
        run(session, line)
    run(session, HEADERS)
    run(session, "sleep 1")
    run(session, command)
    run(session, "wait")
    return run(session, "cat cap.txt").splitlines()


@pytest.mark.parametrize("options, expect", [
    # recorded (the p6 probe of captures39_http_sniff): lib/http.c Curl_http()'s order
    ("-u admin:x -H 'X-Test: 1' -d 'a=1' -b k=v",
     ["length 210: HTTP: POST /c HTTP/1.1", "Host: 127.0.0.1:8080",
      "Authorization: Basic YWRtaW46eA==", "User-Agent: curl/7.88.1", "Accept: */*",
      "Cookie: k=v", "X-Test: 1", "Content-Length: 3",
      "Content-Type: application/x-www-form-urlencoded", "a=1"]),
    ("--user-agent agent2 --referer ref2 --cookie c=d --user u:p",
     ["length 129: HTTP: GET /c HTTP/1.1", "Host: 127.0.0.1:8080",
      "Authorization: Basic dTpw", "User-Agent: agent2", "Accept: */*", "Referer: ref2",
      "Cookie: c=d"]),
])
def test_curl_credentials_agent_referer_cookies_in_order(session, options, expect):
    assert request_of(session, f"curl -s -o /dev/null {options} "
                               "http://127.0.0.1:8080/c") == expect


def test_curl_url_credentials_and_an_empty_agent(session):
    # recorded (captures39_http_sniff): the URL's user:password sent as -u's; an empty
    # -A sends no User-Agent line
    lines = request_of(session, "curl -s -o /dev/null --user-agent '' "
                                "http://alice:wonderland@127.0.0.1:8080/a")
    assert lines[1:] == ["Host: 127.0.0.1:8080",
                         "Authorization: Basic YWxpY2U6d29uZGVybGFuZA==", "Accept: */*"]


def test_wget_headers_and_a_post_body_of_its_own(session):
    lines = request_of(session, "wget -q -O /dev/null --auth-no-challenge --http-user=admin"
                                " --http-password=pw --header='X-Test: 2' --post-data="
                                "'user=bob' --referer=r http://127.0.0.1:8080/d")
    # recorded (captures39_wget_auth's probe): gethttp()'s order, then the body alone
    assert lines == [
        "length 257: HTTP: POST /d HTTP/1.1", "Host: 127.0.0.1:8080", "Referer: r",
        "User-Agent: Wget/1.21.3", "Accept: */*", "Accept-Encoding: identity",
        "Authorization: Basic YWRtaW46cHc=", "Connection: Keep-Alive",
        "Content-Type: application/x-www-form-urlencoded", "Content-Length: 8",
        "X-Test: 2", "length 8: HTTP"]


@pytest.mark.parametrize("options, expect", [
    # wget waits for a challenge before it sends credentials
    ("--user=u --password=p", ["Host: 127.0.0.1:8080", "User-Agent: Wget/1.21.3"]),
    ("-U '' --header 'Accept: text/html' --no-http-keep-alive",
     ["Host: 127.0.0.1:8080", "Accept: text/html", "Accept-Encoding: identity",
      "Connection: Close"]),
])
def test_wget_header_choices(session, options, expect):
    lines = request_of(session, f"wget -q -O /dev/null {options} http://127.0.0.1:8080/")
    assert all(line in lines for line in expect), lines
    assert not any(line.startswith("Authorization") for line in lines)


def test_a_time_wait_socket_takes_a_newer_syn_of_its_tuple(session):
    from ipemu.kernel.tcp import TcpState, tcp_of
    setup(session, ["mkdir -p www/docs", "echo docs > www/docs/index.html",
                    "ip netns exec box timeout 5 python3 -m http.server 80 -d www"
                    " > /dev/null 2>&1 &", "sleep 1"])
    run(session, "ip netns exec box timeout 3 tcpdump -i s0 -nn -S 'tcp[tcpflags] & "
                 "tcp-syn != 0' > cap.txt 2>&1 &")
    run(session, "sleep 1")
    # the server closes first (HTTP/1.0) and its socket waits in TIME_WAIT; the
    # followed request comes from the same port and opens a new connection
    assert run(session, "curl -sL --local-port 40901 http://10.39.9.2/docs") == "docs\n"
    run(session, "wait")
    syn_acks = [line for line in run(session, "cat cap.txt").splitlines()
                if "Flags [S.]" in line]
    assert len(syn_acks) == 2
    # recorded (the p11 probe of captures39_curl_redirect): the second SYN-ACK's ISN
    # is the first's + 65685, i.e. the old snd_nxt (a 146-byte 301 and a FIN) + 65537
    first, second = (int(line.split(" seq ")[1].split(",")[0]) for line in syn_acks)
    assert (second - first) % (1 << 32) == 146 + 2 + 65537
    box = session.host.namespaces["box"]
    assert [s.dport for s in tcp_of(box.stack).socks if s.state == TcpState.TIME_WAIT] \
        == [40901]


def test_egrep_streams_and_redirection_alone_connects(session):
    setup(session, ["ip netns exec box timeout 4 python3 -m http.server 8000"
                    " > /dev/null 2>&1 &", "sleep 1"])
    # recorded (captures39_port_probe): open at once, not after timeout's second
    assert run(session, "timeout 1 bash -c '</dev/tcp/10.39.9.2/8000' && echo open "
                        "|| echo closed") == "open\n"
    # recorded (captures39_http_sniff): egrep's lines come as tcpdump -l writes them,
    # before its counts
    run(session, "timeout 2 tcpdump -i c0 -nn -l 'tcp[tcpflags] == tcp-syn' 2>&1 | "
                 "egrep -o 'Flags \\[S\\]|[0-9]+ packets? captured' &")
    run(session, "sleep 1")
    run(session, "bash -c 'echo > /dev/tcp/10.39.9.2/9'")
    assert run(session, "wait").split("\n")[:2] == ["Flags [S]", "1 packet captured"]


def test_ssh_verbose_connect(session):
    setup(session)
    assert run(session, "ssh -v -p 2222 10.39.9.2") == (
        "OpenSSH_9.2p1 Debian-2+deb12u6, OpenSSL 3.0.19 27 Jan 2026\r\n"
        "debug1: Reading configuration data /etc/ssh/ssh_config\r\n"
        "debug1: /etc/ssh/ssh_config line 19: include /etc/ssh/ssh_config.d/*.conf "
        "matched no files\r\n"
        "debug1: /etc/ssh/ssh_config line 21: Applying options for *\r\n"
        "debug1: Connecting to 10.39.9.2 [10.39.9.2] port 2222.\r\n"
        "debug1: connect to address 10.39.9.2 port 2222: Connection refused\r\n"
        "ssh: connect to host 10.39.9.2 port 2222: Connection refused\r\n")


LINK = ["ip netns add web",
        "ip link add c0 address 02:00:00:39:09:01 type veth peer name s0 netns web "
        "address 02:00:00:39:09:02",
        "ip link set c0 up", "ip -n web link set s0 up", "sleep 3",
        "mkdir www", "echo ll > www/index.html",
        "ip netns exec web timeout 9 python3 -m http.server 8080 --bind :: -d www"
        " > /dev/null 2>&1 &", "sleep 1"]


@pytest.mark.parametrize("line, out", [
    # recorded (captures39_linklocal_zone): a zone by %25 (RFC 6874) or a bare %,
    # or --interface; without any the connect is EINVAL (tcp_v6_connect())
    ("curl -6 -s -g 'http://[fe80::ff:fe39:902%25c0]:8080/'", "ll\n"),
    ("curl -6 -s -g 'http://[fe80::ff:fe39:902%c0]:8080/'", "ll\n"),
    ("curl -6 -s --interface c0 -g 'http://[fe80::ff:fe39:902]:8080/'", "ll\n"),
    ("curl -6 -s -g 'http://[fe80::ff:fe39:902]:8080/'; echo $?", "7\n"),
    ("ssh -6 fe80::ff:fe39:902",
     "ssh: connect to host fe80::ff:fe39:902 port 22: Invalid argument\r\n"),
    ("ssh -6 user@fe80::ff:fe39:902%c0",
     "ssh: connect to host fe80::ff:fe39:902%c0 port 22: Connection refused\r\n"),
])
def test_link_local_connects_need_a_zone(session, line, out):
    for setup_line in LINK:
        run(session, setup_line)
    assert run(session, line) == out


def test_curl_upload_expects_100_continue_and_sends_no_body(session):
    run(session, "echo data > up.txt")
    lines = request_of(session, "curl -s -o /dev/null -w '%{http_code}\\n' -T up.txt "
                                "http://127.0.0.1:8080/up.txt")
    # recorded (the p13 probe of captures39_linklocal_zone): the PUT's head, its
    # length and `Expect: 100-continue`; the server's 501 comes first, no body is sent
    assert lines == ["length 125: HTTP: PUT /up.txt HTTP/1.1",
                     "Host: 127.0.0.1:8080", "User-Agent: curl/7.88.1", "Accept: */*",
                     "Content-Length: 5", "Expect: 100-continue"]


@pytest.mark.parametrize("route, mss_win", [
    # recorded (captures39_mss_advmss): the route's advmss, else the MTU's less 40
    ("ip route change 10.39.9.0/24 dev c0 advmss 1000", "win 65000, options [mss 1000,"),
    ("ip route change 10.39.9.0/24 dev c0 mtu lock 1280", "win 64480, options [mss 1240,"),
    ("ip link set c0 mtu 1400", "win 65280, options [mss 1360,"),
])
def test_the_syn_advertises_the_route_advmss(session, route, mss_win):
    setup(session, [route])
    run(session, "timeout 2 tcpdump -i c0 -nn -c 1 'tcp[tcpflags] == tcp-syn' > cap.txt "
                 "2>&1 &")
    run(session, "sleep 1")
    run(session, "bash -c 'echo > /dev/tcp/10.39.9.2/80'")
    run(session, "wait")
    assert mss_win in run(session, "cat cap.txt")


@pytest.mark.parametrize("url, urls, texts", [
    # tool_urlglob.c, as recorded in captures39_curl_globs
    ("http://h/file[1-3].txt", ["http://h/file1.txt", "http://h/file2.txt",
                                "http://h/file3.txt"], [["1"], ["2"], ["3"]]),
    ("http://h/file[1-4:2].txt", ["http://h/file1.txt", "http://h/file3.txt"],
     [["1"], ["3"]]),
    ("http://h/{file1,a}.txt", ["http://h/file1.txt", "http://h/a.txt"],
     [["file1"], ["a"]]),
    ("http://h/[a-b]/[08-09]", ["http://h/a/08", "http://h/a/09", "http://h/b/08",
                                "http://h/b/09"],
     [["a", "08"], ["a", "09"], ["b", "08"], ["b", "09"]]),
    ("http://[fd39::2]:80/", ["http://[fd39::2]:80/"], [[]]),
])
def test_curl_url_globs(url, urls, texts):
    from ipemu.tools.curl import glob_url
    assert glob_url(url) == list(zip(urls, texts))


def test_curl_resolve_names_the_host(session):
    lines = request_of(session, "curl -s -o /dev/null --resolve www.example.com:8080:"
                                "127.0.0.1 http://www.example.com:8080/")
    assert lines[1] == "Host: www.example.com:8080"


def test_curl_proxy_request_names_the_url(session):
    # recorded (captures39_curl_globs): the absolute URL on the request line, then
    # Proxy-Connection after Accept
    assert request_of(session, "curl -s -o /dev/null -x 127.0.0.1:8080 "
                               "http://example.org/file1.txt") == [
        "length 132: HTTP: GET http://example.org/file1.txt HTTP/1.1",
        "Host: example.org", "User-Agent: curl/7.88.1", "Accept: */*",
        "Proxy-Connection: Keep-Alive"]


def test_curl_dump_header_and_write_out(session):
    for line in SERVER:
        run(session, line)
    run(session, "sleep 1")
    assert run(session, "curl -s -D - -o /dev/null http://127.0.0.1:8080/ | head -1") == \
        "HTTP/1.0 200 OK\r\n"
    assert run(session, "curl -s -o /dev/null -w '%{local_ip} %{size_request} "
                        "%{content_type} %{scheme}\\n' http://127.0.0.1:8080/") == \
        "127.0.0.1 78 text/html HTTP\n"


def test_a_grep_into_a_pipe_holds_its_lines_until_it_exits(session):
    setup(session)
    # recorded (captures39_curl_globs): a middle grep's stdout is a pipe, fully
    # buffered: tcpdump's counts reach the terminal before its lines
    run(session, "timeout 2 tcpdump -i c0 -nn -l 'tcp[tcpflags] == tcp-syn' | "
                 "grep Flags | grep -o 'Flags ...' &")
    run(session, "sleep 1")
    run(session, "bash -c 'echo > /dev/tcp/10.39.9.2/9'")
    out = run(session, "wait").splitlines()
    assert out[-2:] == ["0 packets dropped by kernel", "Flags [S]"], out


@pytest.mark.parametrize("options, tail", [
    # recorded (captures39_curl_post_forms): -d @FILE drops CR and LF,
    # --data-binary keeps them, --json's two headers go where -H's would
    ("-d @two.txt", ["Content-Length: 10",
                     "Content-Type: application/x-www-form-urlencoded"]),
    ("--json '{\"a\":1}'", ["User-Agent: curl/7.88.1", "Content-Type: application/json",
                           "Accept: application/json", "Content-Length: 7"]),
    ("-G -d q=1 -d r=2", ["Accept: */*"]),
])
def test_curl_post_data_forms(session, options, tail):
    run(session, "printf 'line1\\nline2\\n' > two.txt")
    lines = request_of(session, f"curl -s -o /dev/null {options} http://127.0.0.1:8080/p")
    assert lines[-len(tail):] == tail, lines
    if "-G" in options:
        assert lines[0] == "length 87: HTTP: GET /p?q=1&r=2 HTTP/1.1"


def test_ssh_meets_an_http_server(session):
    for line in SERVER:
        run(session, line)
    run(session, "sleep 1")
    # recorded (captures39_ssh_kex_http): ssh's banner goes out, python3 -m
    # http.server answers it as an HTTP/0.9 request (its 400 page, no status line)
    # and closes
    assert run(session, "ssh -p 8080 127.0.0.1; echo $?") == (
        "kex_exchange_identification: Connection closed by remote host\r\n"
        "Connection closed by 127.0.0.1 port 8080\r\n255\n")
    out = run(session, "ssh -v -p 8080 127.0.0.1 2>&1 | grep 'banner line 9'")
    assert out == ("debug1: kex_exchange_identification: banner line 9:         <p>Message:"
                   " Bad HTTP/0.9 request type ('SSH-2.0-OpenSSH_9.2p1').</p>\r\n")


@pytest.mark.parametrize("request_line, first", [
    # recorded (captures39_ssh_kex_http): parse_request()'s answers to a request line
    ("GET /", "page\n"),                                      # HTTP/0.9: the file alone
    ("GET / HTTPS/1.0", "<!DOCTYPE HTML>\n"),                 # a bad version: 0.9's 400
    ("GET / HTTP/2.0", "<!DOCTYPE HTML>\n"),                  # 505, still 0.9
    ("GET / HTTP/1.1", "HTTP/1.0 200 OK\r\n"),
])
def test_http_server_request_lines(session, request_line, first):
    for line in SERVER:
        run(session, line)
    run(session, "sleep 1")
    assert run(session, f"exec 3<>/dev/tcp/127.0.0.1/8080; printf '{request_line}\\r\\n\\r\\n'"
                        " >&3; cat <&3 | head -1") == first


def test_builtins_write_a_line_at_a_time_to_a_socket(session):
    for line in SERVER:
        run(session, line)
    run(session, "printf 'l1\\nl2\\n' > f.txt")
    run(session, "timeout 3 tcpdump -i lo -nn -q 'dst port 8080 and tcp[tcpflags] & "
                 "tcp-push != 0' 2>/dev/null | cut -d' ' -f2- > cap.txt &")
    run(session, "sleep 1")
    run(session, "echo -e 'a\\nb' > /dev/tcp/127.0.0.1/8080")
    run(session, "cat f.txt > /dev/tcp/127.0.0.1/8080")
    run(session, "wait")
    # recorded (the p18 probe): echo's two lines two segments, cat's file one
    assert [line.rsplit(" ", 1)[1] for line in run(session, "cat cap.txt").splitlines()
            if line] == ["2", "2", "6"]


@pytest.mark.parametrize("line, sent", [
    # recorded (captures39_env_proxy): the environment's proxy for http, lower case
    ("http_proxy=127.0.0.1:8080 curl -s -o /dev/null http://example.org/a",
     "GET http://example.org/a HTTP/1.1"),
    ("http_proxy=http://127.0.0.1:8080 wget -q -O /dev/null http://example.org/b",
     "GET http://example.org/b HTTP/1.1"),
    ("HTTP_PROXY=http://127.0.0.1:8080 curl -s -o /dev/null http://example.org/c", None),
    ("http_proxy=127.0.0.1:8080 no_proxy=example.org curl -s -o /dev/null "
     "http://example.org/d", None),
    ("http_proxy=127.0.0.1:8080 NO_PROXY=example.org wget -q -O /dev/null "
     "http://example.org/e", "GET http://example.org/e HTTP/1.1"),
    ("curl -s --noproxy '*' -x 127.0.0.1:8080 -o /dev/null http://127.0.0.1:8080/f",
     "GET /f HTTP/1.1"),
])
def test_proxies_from_the_environment(session, line, sent):
    lines = request_of(session, line)
    assert (lines[0].split("HTTP: ", 1)[1] if lines else None) == sent


def test_proxy_verbose_lines(session):
    for line in SERVER:
        run(session, line)
    run(session, "sleep 1")
    # recorded (captures39_proxy_verbose): curl names the variable it used, wget's
    # request is a "Proxy request", -e's wgetrc commands set one too
    out = run(session, "http_proxy=http://127.0.0.1:8080 curl -v -o /dev/null "
                       "http://example.org/ 2>&1 | head -1")
    assert out == "* Uses proxy env variable http_proxy == 'http://127.0.0.1:8080'\n"
    out = run(session, "wget -e use_proxy=yes -e http_proxy=127.0.0.1:8080 -O /dev/null "
                       "http://example.org/b 2>&1 | grep request")
    assert out == "Proxy request sent, awaiting response... 404 File not found\n"


@pytest.mark.parametrize("line, out", [
    # recorded (captures39_curl_errors)
    ("curl -X HEAD -s -o /dev/null http://127.0.0.1:8080/; echo $?", "18\n"),
    ("curl -s 'http://127.0.0.1:8080/file[3-1].txt'; echo $?", "3\n"),
    ("curl -s 'http://127.0.0.1:8080/{a,b'; echo $?", "3\n"),
    ("curl -sS 'http://127.0.0.1:8080/[1-2]x['; echo $?",
     "curl: (3) bad range specification in URL position 30:\n"
     "http://127.0.0.1:8080/[1-2]x[\n" + " " * 29 + "^\n3\n"),
    ("curl -s -T missing.txt http://127.0.0.1:8080/ -o /dev/null; echo $?",
     "curl: Can't open 'missing.txt'!\n"
     "curl: try 'curl --help' or 'curl --manual' for more information\n26\n"),
])
def test_curl_refusals(session, line, out):
    for setup_line in SERVER:
        run(session, setup_line)
    run(session, "sleep 1")
    assert run(session, line) == out


def test_curl_warns_of_an_unreadable_data_file(session):
    for setup_line in SERVER:
        run(session, setup_line)
    run(session, "sleep 1")
    # recorded (the p22 probe): the warning first, then an empty POST
    out = run(session, "curl -d @missing.txt -o /dev/null http://127.0.0.1:8080/ 2>&1 | "
                       "head -1")
    assert out == ('Warning: Couldn\'t read data from file "missing.txt", this makes an '
                   'empty POST.\n')
    assert run(session, "curl -s -d @missing.txt -o /dev/null http://127.0.0.1:8080/") == ""
