"""Real files in the user's home (--home DIR): what lands there, and that nothing
outside it is ever read or written on the host (a sentinel file beside the home)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ipemu.files import FileSystem
from ipemu.pcap import read_pcap
from ipemu.session import Session

SECRET = b"sentinel: never read by ipemu\n"


@pytest.fixture
def home(tmp_path):
    """A home directory, with a sentinel file and directory outside it, and symlinks
    from the home to both."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    home = tmp_path / "home"
    home.mkdir()
    (home / "link").symlink_to(outside / "secret.txt")
    (home / "rel").symlink_to("../outside/secret.txt")
    (home / "dir").symlink_to(outside)
    return home


def run(session: Session, line: str) -> tuple[str, int]:
    term, status = session.run_line(line)
    return term.text(), status


def outside_untouched(home) -> None:
    outside = home.parent / "outside"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_bytes() == SECRET
    assert sorted(p.name for p in home.parent.iterdir()) == ["home", "outside"]


def test_tcpdump_writes_a_real_pcap_in_the_home(home):
    s = Session.create(scenario="bare", hostname="t", home=str(home))
    run(s, "ip link set lo up")
    run(s, "tcpdump -i lo -c 2 -w cap.pcap &")
    run(s, "ping -c 1 127.0.0.1")
    run(s, "wait")
    data = (home / "cap.pcap").read_bytes()
    linktype, _, records = read_pcap(data)
    assert linktype == 1 and len(records) == 2
    out, status = run(s, "tcpdump -r cap.pcap -n")
    assert status == 0 and "ICMP echo request" in out


def test_relative_and_home_paths_are_real_files(home):
    s = Session.create(scenario="bare", home=str(home))
    assert run(s, "echo one > a.txt") == ("", 0)
    assert run(s, "echo two >> /root/a.txt") == ("", 0)
    assert (home / "a.txt").read_text() == "one\ntwo\n"
    (home / "b.txt").write_text("link add v0 type veth peer name v1\n")
    assert run(s, "ip -batch b.txt") == ("", 0)
    assert "v0@v1" in run(s, "ip -br link")[0]
    assert run(s, "cat < ./a.txt") == ("one\ntwo\n", 0)
    assert run(s, "wc -l a.txt") == ("2 a.txt\n", 0)


def test_nothing_outside_the_home_is_read(home):
    s = Session.create(scenario="bare", home=str(home))
    secret = str(home.parent / "outside" / "secret.txt")
    for name in ["../outside/secret.txt", secret, "link", "rel", "dir/secret.txt",
                 "/root/../outside/secret.txt", "/etc/passwd"]:
        out, status = run(s, f"cat {name}")
        assert status == 1 and "sentinel" not in out and "root:" not in out, name
        out, status = run(s, f"tcpdump -r {name}")
        assert status == 1 and out.startswith("tcpdump: "), name
        out, status = run(s, f"ip -batch {name}")
        assert status == 1 and out.startswith("Cannot open file"), name
    outside_untouched(home)


def test_nothing_outside_the_home_is_written(home):
    s = Session.create(scenario="bare", home=str(home))
    secret = str(home.parent / "outside" / "secret.txt")
    run(s, "ip link set lo up")
    for name in ["../outside/secret.txt", secret, "link", "rel", "dir/new.txt",
                 "../new.txt", "/tmp/new.txt", "/etc/new.txt"]:
        run(s, f"echo x > {name}")
        run(s, f"echo x >> {name}")
        run(s, f"ip -br link 2> {name}")
        run(s, f"timeout 1 tcpdump -i lo -w {name}")
    outside_untouched(home)
    # what was written stays in the simulated tree (the last writer: tcpdump -w)
    for name in ["/tmp/new.txt", "../new.txt", "/etc/new.txt", "link"]:
        assert s.read_file(name)[:4] == b"\xd4\xc3\xb2\xa1", name
    assert (home / "link").is_symlink() and (home / "rel").is_symlink()


def test_without_a_home_nothing_reaches_the_disk(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = Session.create(scenario="bare")
    run(s, "ip link set lo up")
    run(s, "echo x > a.txt")
    run(s, "timeout 1 tcpdump -i lo -w cap.pcap")
    assert run(s, "cat a.txt") == ("x\n", 0)
    assert s.read_file("cap.pcap")[:4] == b"\xd4\xc3\xb2\xa1"
    assert list(tmp_path.iterdir()) == []


def test_simulated_tree_errors():
    fs = FileSystem()
    fs.write("/root/f", b"ok")
    for path, code in [("/root/nosuch", "ENOENT"), ("/root", "EISDIR"), ("/root/f/x", "ENOTDIR"),
                       ("/nodir/f", "ENOENT"), ("", "ENOENT")]:
        with pytest.raises(OSError) as err:
            fs.read(path)
        assert os.strerror(getattr(__import__("errno"), code)) == err.value.strerror, path
    with pytest.raises(IsADirectoryError):
        fs.write("/tmp", b"")
    assert fs.resolve("../../x", "/root") == "/x"
    assert fs.read("/dev/null") == b""


def cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ipemu", *args], capture_output=True,
                          text=True, check=False, cwd=cwd)


def test_cli_home_defaults_to_the_current_directory(home, tmp_path):
    done = cli("--scenario", "bare", "-c", "echo hi > here.txt", cwd=home)
    assert done.returncode == 0 and (home / "here.txt").read_text() == "hi\n"
    other = tmp_path / "other"
    other.mkdir()
    done = cli("--scenario", "bare", "--home", str(other), "-c", "echo hi > there.txt",
               cwd=home)
    assert done.returncode == 0 and (other / "there.txt").read_text() == "hi\n"
    assert not (home / "there.txt").exists()


def test_cli_home_must_be_a_directory(tmp_path):
    done = cli("--home", "nosuch", "-c", "true", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "ipemu: --home nosuch: No such file or directory\n"


def test_run_is_in_memory_unless_given_a_home(home, tmp_path):
    script = tmp_path / "s.cmds"
    script.write_text("echo hi > out.txt\ncat out.txt\n")
    done = cli("run", str(script), cwd=home)
    assert done.returncode == 0 and "hi" in done.stdout and not (home / "out.txt").exists()
    done = cli("run", "--home", str(home), str(script), cwd=tmp_path)
    assert done.returncode == 0 and (home / "out.txt").read_text() == "hi\n"


def test_fifos_in_the_home_never_block(home):
    os.mkfifo(home / "fifo")
    s = Session.create(scenario="bare", home=str(home))
    assert run(s, "cat fifo") == ("", 0)
    assert run(s, "echo x > fifo") == ("bash: fifo: Permission denied\n", 1)
