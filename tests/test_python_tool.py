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
    ('import os; os.system("id")', ".system"),
    ("print(().__class__)", ".__class__"),
    ("g = (i for i in range(2)); print(g.gi_frame)", ".gi_frame"),
    ("import subprocess", "import subprocess"),
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
