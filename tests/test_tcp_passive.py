"""TCP's passive open (ipemu/kernel/tcp.py: listen(), the request sock, the accept
queue), data both ways and the close, under python3 -m http.server and curl/wget. The
recorded behaviour is in tests/oracle_cases/oracle32b_http_*; these pin the segments."""
from __future__ import annotations

from ipemu.kernel.tcp import TcpState, tcp_of
from ipemu.kernel.wire.tcp import TCPHDR_ACK, TCPHDR_FIN, TCPHDR_PSH, TCPHDR_RST, TCPHDR_SYN
from test_tcp import capture, pair, tcp_segments

SERVER = "timeout 5 ip netns exec ns1 python3 -m http.server 8000 2>/dev/null &"


def served():
    s = pair()
    for line in ("ip -n ns1 link set lo up", SERVER, "sleep 1"):
        s.run_line(line)
    return s


def test_a_get_is_the_recorded_exchange_and_leaves_the_server_in_time_wait():
    s = served()
    frames = capture(s)
    term, status = s.run_line("curl -s -o /dev/null -w '%{http_code}\\n' 10.18.0.2:8000")
    assert (term.text(), status) == ("200\n", 0)
    s.run_line("sleep 0.1")
    segs = tcp_segments(frames)
    flags = [seg.flags for seg in segs]
    A, P, F = TCPHDR_ACK, TCPHDR_PSH, TCPHDR_FIN
    # SYN, SYN-ACK, ACK, request, its ACK, headers, ACK, body, ACK, server FIN, curl's
    # FIN (carrying the delayed ACK of the server's), the last ACK: 12 segments
    assert flags == [TCPHDR_SYN, TCPHDR_SYN | A, A, P | A, A, P | A, A, P | A, A, F | A,
                     F | A, A]
    syn, synack = segs[0], segs[1]
    assert synack.ack == (syn.seq + 1) & 0xFFFFFFFF
    # tcp_openreq_init_rwin(): whole segments of the MSS less the timestamps (65160)
    assert synack.window == 65536 // 1448 * 1448
    server = tcp_of(s.host.namespaces["ns1"].stack)
    states = sorted(TcpState(sock.state).name for sock in server.socks)
    assert states == ["LISTEN", "TIME_WAIT"]
    assert tcp_of(s.host.init_ns.stack).socks == []
    assert (server.mib.get("PassiveOpens"), server.mib.get("InSegs"),
            server.mib.get("OutSegs")) == (1, 6, 6)


def test_listener_rows_in_ss_and_netstat():
    s = served()
    term, _ = s.run_line("ip netns exec ns1 ss -Htln")
    assert term.text().split() == ["LISTEN", "0", "5", "0.0.0.0:8000", "0.0.0.0:*"]
    term, _ = s.run_line("ip netns exec ns1 netstat -tln | tail -1")
    assert term.text().split() == ["tcp", "0", "0", "0.0.0.0:8000", "0.0.0.0:*", "LISTEN"]


def test_an_error_reply_wget_leaves_unread_is_reset():
    s = served()
    frames = capture(s)
    term, status = s.run_line("wget -q http://10.18.0.2:8000/nope")
    assert status == 8
    s.run_line("sleep 0.1")              # the reset reaches the server
    assert tcp_segments(frames)[-1].flags == TCPHDR_RST | TCPHDR_ACK
    server = tcp_of(s.host.namespaces["ns1"].stack)
    assert [TcpState(sock.state).name for sock in server.socks] == ["LISTEN"]
    assert tcp_of(s.host.init_ns.stack).mib.get("EstabResets") == 1


def test_port_in_use_is_python_s_traceback():
    s = served()
    term, status = s.run_line("ip netns exec ns1 python3 -m http.server 8000")
    assert status == 1
    assert term.text().endswith("OSError: [Errno 98] Address already in use\n")
