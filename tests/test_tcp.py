"""TCP's active open without listeners (ipemu/kernel/tcp.py): the SYN's bytes, the
reset, the retransmission timer (linear then exponential, tcp_write_timeout()'s two
limits), the errors a connect ends with, and the tools on top (bash /dev/tcp, curl,
wget, ss). The recorded behaviour is in transcripts/kernel/tcp_connect.txt and
transcripts/tools/curl_wget.txt; these pin the model's details."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.tcp import TcpState, tcp_of, wheel_expiry
from ipemu.kernel.wire.tcp import TCPHDR_RST, TCPHDR_SYN, TcpSegment, syn_options
from ipemu.session import Session

SETUP = ("ip link set lo up", "ip netns add ns1",
         "ip link add veth0 type veth peer name veth1 netns ns1",
         "ip addr add 10.18.0.1/24 dev veth0", "ip -n ns1 addr add 10.18.0.2/24 dev veth1",
         "ip link set veth0 up", "ip -n ns1 link set veth1 up",
         "ip route add 10.99.0.0/24 via 10.18.0.2")


def pair() -> Session:
    s = Session.create("default", "bare")
    for line in SETUP:
        term, status = s.run_line(line)
        assert status == 0, (line, term.text())
    return s


def capture(s: Session) -> list[bytes]:
    frames: list[bytes] = []
    veth0 = s.host.init_ns.by_name("veth0")
    s.host.init_ns.stack.open_tap(veth0, lambda when, raw, dev, out: frames.append(raw))
    return frames


def tcp_segments(frames: list[bytes]) -> list[TcpSegment]:
    out = []
    for raw in frames:
        if raw[12:14] == b"\x08\x00" and raw[23] == 6:
            ihl = (raw[14] & 0x0F) * 4
            out.append(TcpSegment.unpack(raw[14 + ihl:])[0])
    return out


def test_syn_options_are_linux_order():
    # tcp_options_write(): MSS, SACK_PERM in the timestamp's word, NOP + window scale
    opts = syn_options(1460, True, 0x01020304, 10)
    assert opts == bytes.fromhex("020405b4" "0402080a" "01020304" "00000000" "0103030a")
    assert syn_options(1460, True, None, 7) == bytes.fromhex("020405b4" "01010402" "01030307")
    assert syn_options(536, False, None, None) == bytes.fromhex("02040218")


def test_tcp_checksum_full_is_valid_and_partial_is_the_pseudo_sum():
    from ipemu.kernel.wire import ipv4
    src, dst = ipaddress.IPv4Address("10.0.0.1"), ipaddress.IPv4Address("10.0.0.2")
    seg = TcpSegment(1234, 80, 5, 0, TCPHDR_SYN, 64240, syn_options(1460, True, 7, 10))
    full = seg.pack(src, dst)
    pseudo = ipv4.ones_sum(ipv4.pseudo_header(src, dst, 6, len(full)))
    assert ipv4.internet_checksum(full, pseudo) == 0
    partial = seg.pack(src, dst, partial=True)
    assert int.from_bytes(partial[16:18], "big") == pseudo
    again, rest = TcpSegment.unpack(full)
    assert (again.src_port, again.seq, again.window, again.options, rest) == \
        (1234, 5, 64240, seg.options, b"")


def test_refused_connect_syn_and_reset():
    s = pair()
    frames = capture(s)
    term, status = s.run_line("echo hello > /dev/tcp/10.18.0.2/80")
    assert status == 1
    assert term.text() == ("bash: connect: Connection refused\n"
                           "bash: /dev/tcp/10.18.0.2/80: Connection refused\n")
    syn, rst = tcp_segments(frames)
    assert syn.flags == TCPHDR_SYN and syn.window == 64240
    assert syn.options[:4] == bytes.fromhex("020405b4") and syn.options[-1] == 10
    assert syn.src_port % 2 == 0 and 32768 <= syn.src_port <= 60999
    # tcp_v4_send_reset(): seq 0, ack = ISN + 1, window 0, RST|ACK
    assert (rst.seq, rst.ack, rst.window, rst.flags) == \
        (0, (syn.seq + 1) & 0xFFFFFFFF, 0, TCPHDR_RST | 0x10)
    mib = tcp_of(s.host.init_ns.stack).mib
    assert (mib.get("ActiveOpens"), mib.get("AttemptFails"), mib.get("OutSegs"),
            mib.get("InSegs")) == (1, 1, 1, 1)
    peer = tcp_of(s.host.namespaces["ns1"].stack).mib
    assert (peer.get("InSegs"), peer.get("OutRsts")) == (1, 1)


def test_window_scale_follows_tcp_rmem():
    s = pair()
    frames = capture(s)
    s.host.init_ns.sysctls["net.ipv4.tcp_rmem"] = "4096\t131072\t6291456"
    s.run_line("sysctl -qw net.core.rmem_max=212992")
    s.run_line("echo > /dev/tcp/10.18.0.2/80")
    assert tcp_segments(frames)[0].options[-1] == 7      # ilog2(6291456) - 15


def test_syn_retransmits_linear_then_exponential_until_etimedout():
    s = pair()
    frames = []
    veth0 = s.host.init_ns.by_name("veth0")
    s.host.init_ns.stack.open_tap(veth0, lambda when, raw, dev, out: frames.append((when, raw)))
    start = s.host.clock.now
    term, status = s.run_line("echo > /dev/tcp/10.99.0.1/80")
    took = s.host.clock.now - start
    assert status == 1 and "Connection timed out" in term.text()
    syns = [when for when, raw in frames if raw[23:24] == b"\x06"]
    # tcp_syn_retries 6 + tcp_syn_linear_timeouts 4: 11 SYNs, five a second apart,
    # then 2, 4, 8, 16, 32 s; the last timer (64 s later) gives up: ~135 s
    assert len(syns) == 11
    gaps = [round(b - a) for a, b in zip(syns, syns[1:])]
    assert gaps == [1, 1, 1, 1, 1, 2, 4, 8, 16, 32]
    assert 133 <= took < 136         # the 64 s timer rounds up to 4.096 s (wheel level 4)


def test_fewer_syn_retries_give_up_on_the_model_timeout():
    s = pair()
    s.run_line("sysctl -w net.ipv4.tcp_syn_retries=2")
    start = s.host.clock.now
    s.run_line("echo > /dev/tcp/10.99.0.1/80")
    # retransmits_timed_out(): (2 << 2) - 1 = 7 s after the first SYN
    assert 7 <= s.host.clock.now - start < 7.2
    assert tcp_of(s.host.init_ns.stack).mib.get("RetransSegs") == 5


def test_wheel_rounds_up_to_the_level_granularity():
    assert wheel_expiry(0.0, 1.0) == 1.024          # 1000 jiffies: level 2, 64 granules
    assert wheel_expiry(1.024, 1.0) == 2.048
    assert wheel_expiry(0.0, 0.010) == 0.011        # level 0: the next jiffy


def test_connect_errors():
    s = pair()
    s.run_line("ip route add unreachable 10.98.0.0/24")
    cases = {"10.200.0.1": "Network is unreachable", "10.98.0.1": "No route to host",
             "10.18.0.255": "Network is unreachable", "10.18.0.9": "No route to host"}
    for addr, text in cases.items():
        term, status = s.run_line(f"echo > /dev/tcp/{addr}/80")
        assert (status, term.text()) == (
            1, f"bash: connect: {text}\nbash: /dev/tcp/{addr}/80: {text}\n"), addr


def test_icmp_error_from_a_router_ends_the_connect():
    s = pair()
    s.run_line("ip netns exec ns1 sysctl -qw net.ipv4.ip_forward=1")
    term, status = s.run_line("echo > /dev/tcp/10.99.0.1/80")
    assert status == 1 and term.text().startswith("bash: connect: Network is unreachable\n")


def test_ss_lists_the_syn_sent_socket_while_it_lasts():
    s = pair()
    s.run_line("curl -s http://10.99.0.1/ &")
    s.run_line("sleep 0.5")
    term, _ = s.run_line("ss -tn")
    head, row = term.stream("stdout").splitlines()
    assert head == "State    Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess"
    assert row.startswith("SYN-SENT 0      1          10.18.0.1:")
    assert row.endswith("    10.99.0.1:80         ")
    assert "10.99.0.1:http" in s.run_line("ss -t")[0].text()
    sock = tcp_of(s.host.init_ns.stack).socks[0]
    assert sock.state == TcpState.SYN_SENT
    s.run_line("kill %1")
    s.run_line("wait")
    assert tcp_of(s.host.init_ns.stack).socks == []
    assert s.run_line("ss -tn")[0].text() == \
        "State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"


def test_curl_and_wget_messages():
    s = pair()
    term, status = s.run_line("curl http://10.18.0.2/")
    assert (status, term.text()) == (7, "curl: (7) Failed to connect to 10.18.0.2 port 80 "
                                         "after 0 ms: Couldn't connect to server\n")
    assert s.run_line("curl -s http://10.18.0.2/")[1] == 7
    term, status = s.run_line("curl -m 2 http://10.99.0.1/")
    assert (status, term.text()) == (28, "curl: (28) Connection timed out after 2000 "
                                         "milliseconds\n")
    term, status = s.run_line("wget http://10.18.0.2:8080/x")
    lines = term.text().splitlines()
    assert status == 4 and lines[1] == "Connecting to 10.18.0.2:8080... failed: Connection refused."
    term, status = s.run_line("wget -t 2 -T 1 http://10.99.0.1/")
    assert status == 4 and term.text().count("failed: Connection timed out.") == 2
    assert "(try: 2)  http://10.99.0.1/" in term.text() and term.text().endswith("Giving up.\n\n")


def test_state_saves_and_restores_a_connecting_socket():
    from ipemu import state
    s = pair()
    s.run_line("curl -s http://10.99.0.1/ &")
    s.run_line("sleep 0.5")
    again = state.loads(state.dumps(s))
    sock = tcp_of(again.host.init_ns.stack).socks[0]
    assert sock.state == TcpState.SYN_SENT and sock.owner is not None


def test_ipv6_mss_and_the_offloaded_reset():
    s = Session.create("default", "bare")
    s.run_line("ip link set lo up")
    frames: list[bytes] = []
    lo = s.host.init_ns.by_name("lo")
    s.host.init_ns.stack.open_tap(lo, lambda when, raw, dev, out: out and frames.append(raw))
    term, status = s.run_line("echo > /dev/tcp/::1/80")
    assert status == 1 and "Connection refused" in term.text()
    syn, rst = (TcpSegment.unpack(raw[14 + 40:])[0] for raw in frames
                if raw[12:14] == b"\x86\xdd" and raw[20] == 6)
    # ip6_default_advmss(): lo's 65536 less 60; the window a multiple of it
    assert syn.options[:4] == bytes.fromhex("0204ffc4") and syn.window == 65476
    # tcp_v6_send_response() leaves the sum to offload: the pseudo-header sum
    from ipemu.kernel.wire import ipv4, ipv6
    loopback = ipaddress.IPv6Address("::1")
    pseudo = ipv4.ones_sum(ipv6.pseudo_header(loopback, loopback, 6, 20))
    assert rst.checksum == pseudo


def test_curl_write_out_and_wget_spider():
    s = pair()
    term, status = s.run_line("curl -s -o /dev/null -w 'code=%{http_code} exit=%{exitcode}\\n' "
                              "http://10.18.0.2/")
    assert (status, term.stream("stdout")) == (7, "code=000 exit=7\n")
    term, status = s.run_line("wget --spider http://10.18.0.2/")
    assert status == 4
    assert term.text().startswith("Spider mode enabled. Check if remote file exists.\n--")


def test_the_connect_line_of_bash_c_has_no_line_number():
    s = pair()
    term, status = s.run_line("bash -c 'echo > /dev/tcp/10.18.0.2/80'")
    assert term.text() == ("bash: connect: Connection refused\n"
                           "bash: line 1: /dev/tcp/10.18.0.2/80: Connection refused\n")


def test_a_syn_waiting_for_its_neighbour_is_not_sent_again():
    s = pair()
    frames: list[bytes] = []
    lo = s.host.init_ns.by_name("lo")
    s.host.init_ns.stack.open_tap(lo, lambda when, raw, dev, out: out and frames.append(raw))
    term, status = s.run_line("echo x > /dev/tcp/10.18.0.9/80")
    assert "No route to host" in term.text()
    # skb_still_in_host_queue(): the retransmits found the SYN in the ARP queue, so
    # one host unreachable (for the one queued SYN) comes back over lo
    icmps = [raw for raw in frames if raw[12:14] == b"\x08\x00" and raw[23] == 1]
    assert len(icmps) == 1
    mib = tcp_of(s.host.init_ns.stack).mib
    assert mib.get("RetransSegs") == 0 and mib.get("TCPSpuriousRtxHostQueues") >= 2


def test_an_interrupted_connect_ends_the_line():
    from ipemu.process import Bound
    s = pair()
    saved, Bound.seconds = Bound.seconds, 3.0
    try:
        term, status = s.run_line("echo > /dev/tcp/10.99.0.1/80; echo next-command")
    finally:
        Bound.seconds = saved
    assert status == 130 and "next-command" not in term.text()
    assert tcp_of(s.host.init_ns.stack).socks == []      # closed without a segment
