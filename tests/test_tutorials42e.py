"""The fixes round 42's tutorials on the lesser-used ip objects led to (their cases,
tutorials42e_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE`
on a pty: Linux 6.18, iproute2 6.1), twice, the two recordings alike under diff.py's
masks (the tcp_metrics ages and RTTs differ between runs and are masked with sed)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

CASES = Path(__file__).resolve().parent / "oracle_cases"
MASK = re.compile(r"[0-9.]+(sec|us)")


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


def _case_until(name: str, command: str):
    """A shell that ran the case's lines before `command`."""
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in (CASES / f"{name}.cmds").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line == command:
            return shell
        shell.run_line(line)
    raise AssertionError(f"{command!r} not in {name}")


# --- tcp_update_metrics(): the ends of a connection fill the tcp_metrics cache

def test_both_ends_of_a_closed_connection_have_a_metrics_entry():
    # the client (LAST_ACK) acked its request and FIN: cwnd 10 + 2; the server
    # (TIME_WAIT) its headers, body and FIN: 10 + 3
    shell = _case_until("tutorials42e_tcpmetrics_after_http", "wait")
    out, status = _run(shell, "ip tcp_metrics show")
    assert status == 0
    assert MASK.sub(r"N\1", out) == \
        "10.42.5.2 age Nsec cwnd 12 rtt Nus rttvar Nus source 10.42.5.1\n"
    out, _ = _run(shell, "ip -n srv tcp_metrics show")
    assert MASK.sub(r"N\1", out) == \
        "10.42.5.1 age Nsec cwnd 13 rtt Nus rttvar Nus source 10.42.5.2\n"
    out, _ = _run(shell, "ip -j tcp_metrics show")
    assert re.sub(r"[0-9.]+", "N", out) == \
        '[{"dst":"N","age":N,"cwnd":N,"rtt":Ne-N,"rttvar":Ne-N,"source":"N"}]\n'


def test_delete_then_show_and_a_second_delete():
    shell = _case_until("tutorials42e_tcpmetrics_after_http", "wait")
    assert _run(shell, "ip tcp_metrics delete 10.42.5.2") == ("", 0)
    assert _run(shell, "ip tcp_metrics show") == ("", 0)
    assert _run(shell, "ip tcp_metrics delete 10.42.5.2") == \
        ("RTNETLINK answers: No such process\n", 2)


def test_flush_of_a_prefix_with_stats_and_of_a_family():
    shell = _case_until("tutorials42e_tcpmetrics_flush_nosave",
                        "ip tcp_metrics flush 10.42.8.0/24")
    assert _run(shell, "ip tcp_metrics flush 10.42.8.0/24") == ("Nothing to flush.\n", 0)
    assert _run(shell, "ip -s tcp_metrics flush 10.42.6.0/24") == (
        "\n*** Round 1, deleting 1 entries ***\n"
        "*** Flush is complete after 1 round ***\n", 0)
    assert _run(shell, "ip -4 tcp_metrics flush")[1] == 0
    assert _run(shell, "ip -4 tcp_metrics flush") == ("Nothing to flush.\n", 0)


def test_a_single_get_prints_text_even_with_json():
    # the GET's answer goes through process_msg() without new_json_obj()
    shell = _case_until("tutorials42e_tcpmetrics_flush_nosave",
                        "ip tcp_metrics flush 10.42.8.0/24")
    out, _ = _run(shell, "ip -j tcp_metrics show 10.42.7.2")
    assert MASK.sub(r"N\1", out) == \
        "10.42.7.2 age Nsec cwnd 12 rtt Nus rttvar Nus source 10.42.7.1\n"


def test_no_metrics_save_keeps_the_cache_empty():
    shell = _case_until("tutorials42e_tcpmetrics_flush_nosave", "ip tcp_metrics show")
    assert _run(shell, "ip tcp_metrics show") == ("", 0)


# --- tcpm_do_cmd(): argc--, argv++ twice per word, so the word after an address
# is skipped unread

def test_the_word_after_an_address_is_skipped():
    shell = _case_until("tutorials42e_tcpmetrics_examples", "ip tcp_metrics show")
    assert _run(shell, "ip tcp_metrics delete 10.42.7.1 src 10.42.7.2") == (
        'Error: either "address" is duplicate, or "10.42.7.2" is a garbage.\n', 255)
