"""The fixes round 41b's container-networking tutorials led to (their cases,
tutorials41e_, are replayed whole by test_rounds.py). Every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty: a tmpfs on /run, so no /var/run/docker.sock), twice, the two
recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

NO_DAEMON = ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
             "Is the docker daemon running?\n")


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        assert shell.run_line(line)[1] == 0, line
    return shell


def _run(shell, line: str) -> tuple[str, int]:
    term, status = shell.run_line(line)
    return term.text(), status


# --- the machine's docker CLI (28.2.2 in /usr/local/bin) without a daemon

def test_docker_is_the_machines_cli_in_usr_local_bin():
    shell = _shell()
    assert _run(shell, "which docker") == ("/usr/local/bin/docker\n", 0)
    assert _run(shell, "type docker") == ("docker is /usr/local/bin/docker\n", 0)
    assert _run(shell, "ls -l /usr/local/bin/docker | cut -c1-35") == (
        "-rwxr-xr-x 1 root root 42791888 May\n", 0)
    assert _run(shell, "docker --version") == ("Docker version 28.2.2, build e6534b4\n", 0)
    assert _run(shell, "docker -v") == ("Docker version 28.2.2, build e6534b4\n", 0)


def test_docker_commands_that_ask_the_daemon_fail_with_status_1_on_stderr():
    shell = _shell()
    for line in ("docker ps", "docker network ls", "docker exec -it web ip a",
                 "docker rm -f web", "docker network create --subnet 172.30.0.0/16 n"):
        assert _run(shell, line) == (NO_DAEMON, 1), line
    assert _run(shell, "docker ps 2>/dev/null; echo $?") == ("1\n", 0)
    assert _run(shell, "docker ps -q | wc -l") == (NO_DAEMON + "0\n", 0)


def test_docker_run_is_a_status_error_125():
    shell = _shell()
    assert _run(shell, "docker run -d --name blue alpine sleep 1000") == (
        "docker: " + NO_DAEMON + "\nRun 'docker run --help' for more information\n", 125)


def test_docker_inspect_prints_its_empty_result_first():
    shell = _shell()
    assert _run(shell, "docker network inspect bridge") == ("[]\n" + NO_DAEMON, 1)
    assert _run(shell, "docker inspect --format '{{.State.Pid}}' web") == (
        "\n" + NO_DAEMON, 1)
    assert _run(shell, "PID=$(docker inspect -f '{{.State.Pid}}' web); "
                       "echo \"pid=[$PID] rc=$?\"") == (NO_DAEMON + "pid=[] rc=1\n", 0)


def test_docker_version_and_info_print_the_client_half():
    shell = _shell()
    text, status = _run(shell, "docker version")
    assert status == 1 and text.startswith("Client:\n Version:           28.2.2\n")
    assert text.endswith(" Context:           default\n" + NO_DAEMON)
    assert _run(shell, "docker info") == (
        "Client:\n Version:    28.2.2\n Context:    default\n Debug Mode: false\n\n"
        "Server:\n" + NO_DAEMON, 1)


def test_docker_unknown_command_and_help():
    shell = _shell()
    assert _run(shell, "docker netwrok ls") == (
        "docker: unknown command: docker netwrok\n\n"
        "Run 'docker --help' for more information\n", 1)
    text, status = _run(shell, "docker 2>/dev/null | wc -l; docker --help | wc -l")
    assert (text, status) == ("0\n92\n", 0)
