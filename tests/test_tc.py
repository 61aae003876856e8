"""tc (ipemu/tools/tc.py, kernel/sch_api.py): tc's unit parsers and printers against
iproute2 6.1's lib/utils.c and tc_util.c, netem as q_netem.c prints it and as
sch_netem.c acts on traffic (the recording kernel has no netem: these follow the
sources), and the egress hook's fast path (a device without a tc qdisc) against the
full one. Whole sessions on the recording kernel are in transcripts/tc/."""
from __future__ import annotations

import re

import pytest

from ipemu.session import Session
from ipemu.tools import tc_parse as P
from ipemu.tools import tc_print as TP


def run(line: str, scenario: str = "bare") -> tuple[str, int]:
    shell = Session.create(scenario=scenario)
    term, status = shell.run_line(line)
    return term.text(), status


@pytest.mark.parametrize("text, value", [
    ("1mbit", 125000), ("1Mbit", 125000), ("100kbit", 12500), ("8bit", 1), ("800", 100),
    ("1gbit", 125000000), ("1mibit", 131072), ("10MBps", 10000000)])
def test_get_rate64(text: str, value: int) -> None:
    assert P.get_rate64(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1mbits", "1xbit"])
def test_get_rate64_bad(text: str) -> None:
    assert P.get_rate64(text) is None


@pytest.mark.parametrize("text, value", [
    ("32kbit", 4096), ("10kb", 10240), ("1mb", 1048576), ("1600", 1600), ("3000b", 3000),
    ("1mbit", 131072), ("1.5k", 1536)])
def test_get_size(text: str, value: int) -> None:
    assert P.get_size(text) == value


@pytest.mark.parametrize("text, value", [
    ("100ms", 100000), ("1s", 1000000), ("50", 50), ("2.5msec", 2500), ("10us", 10)])
def test_get_time(text: str, value: int) -> None:
    assert P.get_time(text) == value


def test_percent_and_classid() -> None:
    assert P.get_percent("10%") == round(0.1 * 0xFFFFFFFF)
    assert P.get_percent("101%") is None
    assert P.get_tc_classid("1:10", "x") == 0x10010
    assert P.get_tc_classid(":a", "x") == 0xA
    assert P.get_tc_classid("root", "x") == 0xFFFFFFFF
    assert P.get_qdisc_handle("ffff:", "x") == 0xFFFF0000
    with pytest.raises(P.TcExit) as err:
        P.get_qdisc_handle("xyz", "invalid qdisc ID")
    assert err.value.message == 'Error: argument "xyz" is wrong: invalid qdisc ID\n'


@pytest.mark.parametrize("rate, text", [
    (125000, "1Mbit"), (12500, "100Kbit"), (1250, "10Kbit"), (1250000000, "10Gbit"),
    (16, "128bit"), (187500, "1500Kbit")])
def test_sprint_rate(rate: int, text: str) -> None:
    assert TP.sprint_rate(rate) == text


@pytest.mark.parametrize("size, text", [
    (4096, "4Kb"), (4095, "4Kb"), (3000, "3000b"), (1048576, "1Mb"), (1514000, "1514000b"),
    (33554432, "32Mb")])
def test_sprint_size(size: int, text: str) -> None:
    assert TP.sprint_size(size) == text


@pytest.mark.parametrize("us, text", [
    (400000, "400ms"), (4999, "5ms"), (99999, "100ms"), (1000000, "1s"), (999, "999us"),
    (1500, "1.5ms")])
def test_sprint_time(us: int, text: str) -> None:
    assert TP.sprint_time(us) == text


# netem: q_netem.c netem_print_opt() (the recording kernel lacks sch_netem)
@pytest.mark.parametrize("opts, text", [
    ("delay 100ms", "limit 1000 delay 100ms"),
    ("delay 100ms 10ms", "limit 1000 delay 100ms  10ms"),
    ("delay 100ms 10ms 25%", "limit 1000 delay 100ms  10ms 25%"),
    ("loss 10%", "limit 1000 loss 10%"),
    ("loss random 0.5% 25%", "limit 1000 loss 0.5% 25%"),
    ("delay 20ms duplicate 1%", "limit 1000 delay 20ms duplicate 1%"),
    ("limit 50 corrupt 0.1%", "limit 50 corrupt 0.1%"),
    ("delay 10ms reorder 25% 50%", "limit 1000 delay 10ms reorder 25% 50% gap 1"),
    ("rate 1mbit", "limit 1000 rate 1Mbit"),
])
def test_netem_show(opts: str, text: str) -> None:
    out, status = run("ip link add veth0 type veth peer name veth1; "
                      f"tc qdisc add dev veth0 root netem {opts}; tc qdisc show dev veth0")
    assert status == 0
    assert out == f"qdisc netem 8001: root refcnt 3 {text}\n"


def test_netem_refused_on_oracle_vm() -> None:
    shell = Session.create(scenario="bare", profile="oracle-vm")
    term, status = shell.run_line("ip link add veth0 type veth peer name veth1; "
                                  "tc qdisc add dev veth0 root netem delay 100ms")
    assert (term.text(), status) == ("Error: Specified qdisc kind is unknown.\n", 2)


def test_default_qdiscs() -> None:
    out, _ = run("tc qdisc show", scenario="default")
    assert out == ("qdisc noqueue 0: dev lo root refcnt 2 \n"
                   "qdisc fq_codel 0: dev eth0 root refcnt 2 limit 10240p flows 1024 "
                   "quantum 1514 target 5ms interval 100ms memory_limit 32Mb ecn "
                   "drop_batch 64 \n")


PAIR = ("ip netns add a; ip link add veth0 type veth peer name veth1 netns a; "
        "ip addr add 10.0.0.1/24 dev veth0; ip link set veth0 up; "
        "ip -n a addr add 10.0.0.2/24 dev veth1; ip -n a link set veth1 up; ")


def _rtts(out: str) -> list[float]:
    return [float(t) for t in re.findall(r"time=([\d.]+) ms", out)]


def test_netem_delay_shows_in_ping() -> None:
    out, status = run(PAIR + "ping -c 2 10.0.0.2 >/dev/null; "
                      "tc qdisc add dev veth0 root netem delay 100ms; ping -c 3 10.0.0.2")
    assert status == 0
    assert all(100 <= t < 101 for t in _rtts(out)), out


def test_netem_loss_counts_drops() -> None:
    out, _ = run(PAIR + "ping -c 1 10.0.0.2 >/dev/null; "
                 "tc qdisc add dev veth0 root netem loss 100%; ping -c 3 -W 1 10.0.0.2; "
                 "tc -s qdisc show dev veth0")
    assert "3 packets transmitted, 0 received, 100% packet loss" in out
    # the echo requests and the neighbour's probes and IPv6's reports: all dropped
    assert re.search(r" Sent 0 bytes 0 pkt \(dropped ([3-9]|\d\d+), overlimits 0", out), out


def test_fifo_qdisc_gives_the_no_qdisc_path() -> None:
    """The hook's fast path (no tc qdisc) and a pass-through qdisc (pfifo, whose
    enqueue hands the frame on at once) give the same traffic; pfifo counts it."""
    plain, _ = run(PAIR + "ping -c 3 10.0.0.2; ip -s link show veth0")
    fifo, _ = run(PAIR + "tc qdisc add dev veth0 root handle 1: pfifo; ping -c 3 10.0.0.2; "
                  "ip -s link show veth0")
    assert plain == fifo.replace("qdisc pfifo", "qdisc noqueue")
    out, _ = run(PAIR + "tc qdisc add dev veth0 root handle 1: pfifo; ping -c 3 10.0.0.2 "
                 ">/dev/null; tc -s qdisc show dev veth0")
    assert re.search(r" Sent \d+ bytes [4-9] pkt \(dropped 0", out), out


def test_tbf_holds_to_its_rate() -> None:
    # 32 kbit/s with a 2 KiB bucket: a 1442-byte frame takes 360 ms, one leaves every 200 ms
    out, _ = run(PAIR + "ping -c 1 10.0.0.2 >/dev/null; "
                 "tc qdisc add dev veth0 root tbf rate 32kbit burst 2kb latency 5s; "
                 "ping -c 4 -i 0.2 -s 1400 10.0.0.2; tc -s qdisc show dev veth0")
    rtts = _rtts(out)
    assert rtts[0] < 1 and rtts[1] < rtts[2] < rtts[3] and rtts[3] > 300, rtts
    assert re.search(r"overlimits [1-9]", out), out


@pytest.mark.parametrize("words, key", [
    ("ip dst 10.9.0.2/32", (0x0A090002, 0xFFFFFFFF, 16)),
    ("ip src 10.9.0.0/24", (0x0A090000, 0xFFFFFF00, 12)),
    ("ip dport 80 0xffff", (0x00000050, 0x0000FFFF, 20)),
    ("ip sport 22 0xffff", (0x00160000, 0xFFFF0000, 20)),
    ("ip protocol 17 0xff", (0x00110000, 0x00FF0000, 8)),
    ("ip tos 0x10 0xff", (0x00100000, 0x00FF0000, 0)),
    ("ip icmp_type 8 0xff", (0x08000000, 0xFF000000, 20)),
    ("u16 0x0800 0xffff at 12", (0x08000000, 0xFFFF0000, 12)),
    ("u32 1 0xff at 4", (1, 0xFF, 4))])
def test_u32_keys(words: str, key: tuple) -> None:
    """f_u32.c pack_key*(): the recorded ones are in transcripts/tc/tc_filter_oracle."""
    keys, classid, _ = P.parse_u32(f"match {words} flowid 1:10".split())
    assert keys == (key + (0,),) and classid == 0x10010


def test_u32_picks_the_class() -> None:
    out, _ = run(PAIR + "tc qdisc add dev veth0 root handle 1: htb default 20; "
                 "tc class add dev veth0 parent 1: classid 1:10 htb rate 1mbit; "
                 "tc class add dev veth0 parent 1: classid 1:20 htb rate 1mbit; "
                 "tc filter add dev veth0 parent 1: protocol ip prio 1 u32 "
                 "match ip protocol 1 0xff flowid 1:10; ping -c 3 -i 0.2 10.0.0.2 >/dev/null; "
                 "tc -s class show dev veth0 classid 1:10")
    assert " Sent 294 bytes 3 pkt " in out, out


def test_held_packets_survive_save_and_restore() -> None:
    """Packets netem holds are timers on the qdisc (data, no closures): a saved and
    restored host sends them when their time comes, and counts them."""
    from ipemu import state
    shell = Session.create(scenario="bare")
    for line in PAIR.split("; ")[:-1] + [
            "ping -c 1 10.0.0.2 >/dev/null",
            "tc qdisc add dev veth0 root netem delay 2s"]:
        assert shell.run_line(line)[1] == 0, line
    shell.run_line("ping -c 1 -W 1 10.0.0.2 >/dev/null &")
    shell.host.sleep(0.5)
    restored = state.roundtrip(shell)
    held = restored.run_line("tc -s qdisc show dev veth0")[0].text()
    m = re.search(r" backlog (\d+)b (\d+)p ", held)        # the echo request and more
    assert m and int(m.group(1)) >= 98, held
    restored.host.sleep(3)
    out = restored.run_line("tc -s qdisc show dev veth0")[0].text()
    sent = re.search(r" Sent (\d+) bytes (\d+) pkt ", out)   # (and what came after)
    assert sent and int(sent.group(1)) >= int(m.group(1)), out
    assert int(sent.group(2)) >= int(m.group(2)), out


def test_netem_under_an_htb_class() -> None:
    """A filter sends ICMP to 1:10, whose qdisc is netem: only that traffic waits."""
    out, _ = run(PAIR + "ping -c 1 10.0.0.2 >/dev/null; "
                 "tc qdisc add dev veth0 root handle 1: htb default 20; "
                 "tc class add dev veth0 parent 1: classid 1:10 htb rate 10mbit; "
                 "tc class add dev veth0 parent 1: classid 1:20 htb rate 10mbit; "
                 "tc qdisc add dev veth0 parent 1:10 handle 10: netem delay 50ms; "
                 "tc filter add dev veth0 parent 1: protocol ip prio 1 u32 "
                 "match ip protocol 1 0xff flowid 1:10; ping -c 2 10.0.0.2; "
                 "tc -s qdisc show dev veth0")
    assert all(50 <= t < 51 for t in _rtts(out)), out
    assert "qdisc netem 10: parent 1:10 limit 1000 delay 50ms\n Sent 196 bytes 2 pkt" in out


def test_prio_band_with_netem() -> None:
    """The tutorials' prio + netem + u32: only the filtered traffic waits. prio is not on
    the recording kernel: sch_prio.c/q_prio.c (prio_dump_class(): parent, leaf)."""
    out, _ = run(PAIR + "ping -c 1 10.0.0.2 >/dev/null; "
                 "tc qdisc add dev veth0 root handle 1: prio; "
                 "tc qdisc add dev veth0 parent 1:3 handle 30: netem delay 100ms; "
                 "tc filter add dev veth0 parent 1:0 protocol ip prio 1 u32 "
                 "match ip dst 10.0.0.2/32 flowid 1:3; tc qdisc show dev veth0; "
                 "tc class show dev veth0; ping -c 2 10.0.0.2")
    assert out.startswith(
        "qdisc prio 1: root refcnt 3 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1\n"
        "qdisc netem 30: parent 1:3 limit 1000 delay 100ms\n"
        "class prio 1:1 parent 1: \nclass prio 1:2 parent 1: \n"
        "class prio 1:3 parent 1: leaf 30: \n"), out
    assert all(100 <= t < 101 for t in _rtts(out)), out
