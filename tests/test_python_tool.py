"""python3 (ipemu/tools/python.py): what the sandbox refuses, says so and leaves the
host alone; its loops are bounded; tracebacks show the program's frames only. The
outputs Python prints are checked against the real machine in
tests/oracle_cases/lead31_python3."""
from __future__ import annotations

import pytest

from ipemu.session import Session


@pytest.fixture(scope="module")
def session():
    return Session.create("default", "bare", "oracle")


def run(session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


@pytest.mark.parametrize("code, what", [
    ('import os; os.run(["id"])', "os.run"),     # a view's name, not a hole
    ("print(().__class__)", ".__class__"),
    ("g = (i for i in range(2)); print(g.gi_frame)", ".gi_frame"),
    ("import ctypes", "import ctypes"),
    ("import pprint; pprint.PrettyPrinter()", ".PrettyPrinter"),
    ("import os.path as p, shutil", "import shutil"),
    ("__import__('os')", "__import__"),
    ("class A: pass", "ClassDef"),
    ('open("f", "w").write("x")', "open(..., 'w')"),
    ("while True: pass", "a program of more than 2000000 loop turns"),
    ("x = [i for i in iter(int, 1)]", "a program of more than 2000000 loop turns"),
])
def test_what_the_sandbox_does_not_run_it_says(session, code, what):
    text, status = run(session, f"python3 -c '{code}'")
    assert (text, status) == (f"ipemu: python3: `{what}` is not simulated\n", 1)


def test_subprocess_and_os_system_run_the_hosts_tools(session):
    # the child is the emulated machine's `ip`, its stdout captured or the program's
    # (a new namespace's lo, as tutorials47_python_subprocess_ip recorded it)
    text, status = run(session, "python3 -c 'import subprocess, os; "
                       "print(repr(subprocess.check_output([\"ip\", \"-br\", \"link\", "
                       "\"show\", \"lo\"], text=True))); print(os.system(\"exit 3\"))'")
    assert (text, status) == (
        "'lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \\n'\n768\n",
        0)


def test_a_missing_program_is_subprocess_file_not_found(session):
    text, status = run(session, "python3 -c 'import subprocess; subprocess.run([\"nosuch\"])'")
    assert status == 1
    assert text.endswith(
        '  File "/usr/lib/python3.11/subprocess.py", line 548, in run\n'
        "    with Popen(*popenargs, **kwargs) as process:\n"
        "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        '  File "/usr/lib/python3.11/subprocess.py", line 1024, in __init__\n'
        "    self._execute_child(args, executable, preexec_fn, close_fds,\n"
        '  File "/usr/lib/python3.11/subprocess.py", line 1901, in _execute_child\n'
        "    raise child_exception_type(errno_num, err_msg, err_filename)\n"
        "FileNotFoundError: [Errno 2] No such file or directory: 'nosuch'\n")


def test_a_traceback_holds_the_programs_frames_only(session):
    text, status = run(session, """python3 -c 'import nosuch'""")
    assert status == 1
    assert text == ("Traceback (most recent call last):\n"
                    '  File "<string>", line 1, in <module>\n'
                    "ModuleNotFoundError: No module named 'nosuch'\n")


def test_recursion_stops_where_cpython_stops(session):
    text, status = run(session, "python3 -c 'def f(): f()\nf()'")
    assert status == 1
    assert "  [Previous line repeated 996 more times]\nRecursionError: maximum recursion " \
        "depth exceeded\n" in text


def test_json_tool_writes_its_outfile_on_the_host(session):
    run(session, """echo '{"a": [1]}' > in.json""")
    assert run(session, "python3 -m json.tool --compact in.json out.json") == ("", 0)
    assert run(session, "cat out.json") == ('{"a":[1]}\n', 0)


def test_python_is_not_installed(session):
    assert run(session, "python -V") == ("bash: line 1: python: command not found\n", 127) \
        or run(session, "python -V")[1] == 127


def test_a_script_files_traceback_names_its_absolute_path(session):
    # CPython makes run_filename absolute by joining the directory (`./` kept); the
    # oracle's home is a random directory, so its cases read scripts from /dev/stdin
    run(session, r"""printf 'def f(x):\n    return 1 / x\nprint(f(0))\n' > z.py""")
    for name in ("z.py", "./z.py"):
        text, status = run(session, f"python3 {name}")
        path = f"{session.cwd.rstrip('/')}/{name}"
        assert status == 1
        assert text == ("Traceback (most recent call last):\n"
                        f'  File "{path}", line 3, in <module>\n'
                        "    print(f(0))\n"
                        "          ^^^^\n"
                        f'  File "{path}", line 2, in f\n'
                        "    return 1 / x\n"
                        "           ~~^~~\n"
                        "ZeroDivisionError: division by zero\n")


@pytest.mark.parametrize("code, what", [
    ("import socket; socket.socket()",
     "socket.socket other than a UDP one (AF_INET, SOCK_DGRAM)"),
    ("import socket; socket.create_connection((1, 2))", "socket.create_connection"),
    ('import os; os.listdir.__self__', ".__self__"),
    ("import platform; platform.uname()", "platform.uname"),
    ("import time; time.tzset()", "time.tzset"),
    ("import random; random.SystemRandom()", "random.SystemRandom"),
])
def test_the_new_module_views_hold_only_what_they_name(session, code, what):
    # refused either by the attribute check (`.name`) or by the module's view
    text, status = run(session, f"python3 -c '{code}'")
    name = what.rpartition(".")[2]
    assert status == 1
    assert text in (f"ipemu: python3: `{what}` is not simulated\n",
                    f"ipemu: python3: `.{name}` is not simulated\n")


def test_a_udp_socket_sends_its_datagrams_through_the_stack():
    """kler.cn's sender (tests/oracle_cases/captures37_udp_port_probe): sendto() from
    one ephemeral port, seen by tcpdump in the namespace it went to; a str is refused
    as CPython refuses it, send() without connect() is EDESTADDRREQ."""
    session = Session.create("default", "bare", "oracle")
    for line in ("ip netns add srv", "ip link add u0 type veth peer name u1 netns srv",
                 "ip addr add 10.9.0.1/24 dev u0", "ip link set u0 up",
                 "ip -n srv addr add 10.9.0.2/24 dev u1", "ip -n srv link set u1 up",
                 "ip netns exec srv tcpdump -i u1 -nn -t -c 2 udp > cap.txt 2>&1 &",
                 "sleep 1"):
        run(session, line)
    program = ("import socket\n"
               "with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:\n"
               "    print(s.sendto(b'test', ('10.9.0.2', 12345)))\n"
               "    s.connect(('10.9.0.2', 53))\n"
               "    print(s.send(b'hello'))\n")
    assert run(session, f'python3 -c "{program}"') == ("4\n5\n", 0)
    run(session, "wait")
    lines = run(session, "grep ^IP cap.txt")[0].splitlines()
    assert [line.split()[3:] for line in lines] == \
        [["10.9.0.2.12345:", "UDP,", "length", "4"], ["10.9.0.2.53:", "domain", "[length", "5", "<", "12]", "(invalid)"]]
    assert lines[0].split()[1] == lines[1].split()[1]       # one port for both
    text, status = run(session, """python3 -c "import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto('x', ('10.9.0.2', 9))" """)
    assert (text.splitlines()[-1], status) == \
        ("TypeError: a bytes-like object is required, not 'str'", 1)
    text, status = run(session, """python3 -c "import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).send(b'x')" """)
    assert text.splitlines()[-1] == "OSError: [Errno 89] Destination address required"


def test_time_sleep_passes_on_the_hosts_clock():
    session = Session.create("default", "bare", "oracle")
    before = session.host.clock.wall
    text, status = run(session, "python3 -c 'import time; time.sleep(2); exit(3)'")
    assert (text, status) == ("", 3)
    assert session.host.clock.wall - before >= 2


def test_if_nameindex_lists_the_namespaces_devices():
    session = Session.create("default", "bare", "oracle")
    run(session, "ip link add vx0 type veth peer name vx1")
    text, _ = run(session, "python3 -c 'import socket; print(socket.if_nameindex())'")
    assert text == "[(1, 'lo'), (2, 'vx1'), (3, 'vx0')]\n"


def test_os_environ_writes_stay_in_the_program(session):
    import os
    text, status = run(session, "python3 -c 'import os; os.environ[\"IPEMU_X\"] = \"1\"; "
                                "print(os.environ.pop(\"IPEMU_X\"), os.getenv(\"IPEMU_X\"))'")
    assert (text, status) == ("1 None\n", 0)
    assert "IPEMU_X" not in os.environ


def test_getaddrinfo_of_both_families_is_not_simulated(session):
    text, status = run(session, "python3 -c 'import socket; socket.getaddrinfo(\"localhost\", 80)'")
    assert status == 1 and text.endswith("is not simulated\n")


@pytest.mark.parametrize("code, what", [
    # a server's wait: a later command (bash's /dev/udp, another program) could answer
    ('s.bind(("", 5000)); s.recvfrom(10)', "socket.recvfrom of a socket waiting for a request"),
    ('s.settimeout(1); s.bind(("", 5000)); s.recv(10)',
     "socket.recvfrom of a socket waiting for a request"),
    # its own datagram, sent to this host, may be queued for it
    ('s.bind(("", 5000)); s.sendto(b"x", ("127.0.0.1", 5000)); s.settimeout(1); s.recvfrom(9)',
     "socket.recvfrom of a datagram sent to this host"),
    ('s.connect(("127.0.0.1", 53)); s.recv(10)',
     "socket.recv of a connected socket (its ICMP errors)"),
])
def test_a_recv_that_something_could_answer_is_not_simulated(code, what):
    session = Session.create("default", "bare", "oracle")
    session.run_line("ip link set lo up")
    text, status = run(session, "python3 -c 'import socket; s = socket.socket(socket.AF_INET, "
                                f"socket.SOCK_DGRAM); {code}'")
    assert (text, status) == (f"ipemu: python3: `{what}` is not simulated\n", 1)


def test_a_clients_recvfrom_times_out_on_the_programs_clock():
    session = Session.create("default", "bare", "oracle")
    session.run_line("ip link set lo up")
    text, status = run(session, "python3 -c $'import socket, time\\ns = socket.socket("
                                "socket.AF_INET, socket.SOCK_DGRAM)\\ns.settimeout(2.5)\\n"
                                "t = time.time()\\ns.sendto(b\"q\", (\"127.0.0.1\", 53))\\ntry:"
                                "\\n    s.recvfrom(512)\\nexcept socket.timeout as e:\\n"
                                "    print(e, time.time() - t)'")
    assert (text, status) == ("timed out 2.5\n", 0)
