"""The small commands of the training shell against what bash and coreutils print on
the recording machine (tests/data/shell/), and job control in a live shell."""
from __future__ import annotations

from pathlib import Path

from ipemu.session import Session
from ipemu.tools.context import Terminal
from ipemu.tools.userland import CLEAR, many_per_line

from test_live import Live

DATA = Path(__file__).parent / "data" / "shell"


def run(session: Session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


def test_ls_columns_follow_gnu_ls():
    names = (DATA / "ls_root_names.txt").read_text().split()
    assert many_per_line(names, 60) == (DATA / "ls_root_w60.txt").read_text()
    home = ["a.txt", "b.pcap", "capture-long-name.pcap", "dir1", "lab1.cmds", "notes.md"]
    assert many_per_line(home, 80) == (DATA / "ls_home_w80.txt").read_text()


def test_ls_in_a_pipe_is_one_name_a_line(tmp_path):
    for name in ("a.txt", "b.pcap", "notes.md"):
        (tmp_path / name).write_text("")
    session = Session.create(home=str(tmp_path))
    assert run(session, "ls") == ("a.txt  b.pcap  notes.md\n", 0)
    assert run(session, "ls | cat") == ("a.txt\nb.pcap\nnotes.md\n", 0)
    assert run(session, "ls nosuch") == (
        "ls: cannot access 'nosuch': No such file or directory\n", 2)


def test_cd_pwd_and_the_prompt():
    from ipemu.shell.live import prompt_text
    session = Session.create()
    assert run(session, "pwd") == ("/root\n", 0)
    assert run(session, "cd /etc; pwd") == ("/etc\n", 0)
    assert prompt_text(session) == "[root@localhost etc]# "
    assert run(session, "cd -") == ("/root\n", 0)
    assert prompt_text(session) == "[root@localhost ~]# "
    assert run(session, "cd nosuch") == ("bash: cd: nosuch: No such file or directory\n", 1)
    assert run(session, "cd /; cd ~; pwd") == ("/root\n", 0)


def test_which_clear_help_and_unknown_commands():
    session = Session.create()
    assert run(session, "which ip ping tcpdump traceroute; echo $?") == (
        "/usr/sbin/ip\n/usr/bin/ping\n/usr/bin/tcpdump\n/usr/sbin/traceroute\n0\n", 0)
    assert run(session, "which cd foo; echo $?") == ("1\n", 0)
    assert run(session, "which; echo $?") == ("1\n", 0)
    assert run(session, "foo; echo $?") == ("bash: foo: command not found\n127\n", 0)
    assert run(session, "clear") == (CLEAR, 0)
    text, status = run(session, "help")
    assert status == 0 and "traceroute" in text and max(map(len, text.splitlines())) <= 80
    assert run(session, "fg") == ("bash: fg: no job control\n", 1)


def test_history_numbers_lines_as_bash():
    session = Session.create()
    session.history = ["echo one", "history"]
    assert run(session, "history") == ("    1  echo one\n    2  history\n", 0)
    session.history = ["echo one", "history", "history 2"]
    assert run(session, "history 2") == ("    2  history\n    3  history 2\n", 0)


def test_ctrl_z_stops_the_job_fg_and_bg_resume_it():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("sleep 100")
    live.run_for(0.2)
    shell.suspend()
    assert screen.text() == "\n[1]+  Stopped                 sleep 100\n"
    assert not shell.busy and shell.last_status == 148
    screen.clear()
    shell.start_line("jobs")
    shell.start_line("bg")
    shell.start_line("jobs")
    assert screen.text() == ("[1]+  Stopped                 sleep 100\n"
                             "[1]+ sleep 100 &\n"
                             "[1]+  Running                 sleep 100 &\n")
    screen.clear()
    assert shell.start_line("fg")
    shell.suspend()
    assert screen.text() == "sleep 100\n\n[1]+  Stopped                 sleep 100\n"
    screen.clear()
    shell.start_line("fg %1")
    shell.interrupt()
    live.run_for(0.1)
    assert screen.text() == "sleep 100\n\n" and not shell.jobs and not shell.busy
    screen.clear()
    for line in ("fg", "bg", "kill %1"):
        shell.start_line(line)
    assert screen.text() == ("bash: fg: current: no such job\n"
                             "bash: bg: current: no such job\n"
                             "bash: kill: %1: no such job\n")


def test_a_stopped_ping_holds_its_time_and_output():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("ping 127.0.0.1")
    live.run_for(1.5)                       # two replies
    shell.suspend()
    live.run_for(5.0)                       # stopped: nothing is sent or printed
    assert screen.text().count("icmp_seq=") == 2
    shell.start_line("fg")
    live.run_for(1.6)             # the held send was 0.5 s away, the next 1 s later
    assert screen.text().count("icmp_seq=") == 4 and shell.busy
    shell.interrupt()
    live.run_for(0.1)
    assert "4 packets transmitted, 4 received" in screen.text()


def test_background_output_between_prompts():
    live = Live()
    shell, screen = live.terminal()
    shell.start_line("ping -c 2 10.0.2.2 &")
    assert not shell.busy
    live.run_for(1.5)
    assert screen.text().count("bytes from 10.0.2.2") == 2
    assert shell.notices() == "[1]+  Done                    ping -c 2 10.0.2.2\n"


def test_a_piped_terminal_is_not_a_tty():
    session = Session.create()
    session.columns = None          # `ipemu -c ls > file`: GNU ls writes one a line
    term = Terminal()
    session.run_command(__import__("ipemu.shell_line", fromlist=["parse_line"])
                        .parse_line("ls /").items[0][1].commands[0], term)
    assert term.text().startswith("bin\nboot\n")
