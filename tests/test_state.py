"""The host as a value (`--state`): every transcript replays unchanged when the whole
host is saved and restored before each of its commands, and bad files are refused
with one line and left as they were."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipemu import state
from ipemu.session import Session
from ipemu.transcript.check import check_transcript
from ipemu.transcript.format import parse

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = sorted(p for p in (ROOT / "transcripts").rglob("*.txt")
                     if not parse(p.read_text(encoding="utf-8")).header.get("needs"))


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_transcript_survives_save_and_restore_between_commands(path):
    result = check_transcript(path, roundtrip=True)
    assert result.ok, result.mismatch.diff


def _session() -> Session:
    session = Session.create("default", "bare", "oracle", 0)
    for line in ("ip link add veth0 type veth peer name veth1",
                 "ip addr add 192.168.2.11/24 dev veth0", "ip link set veth0 up",
                 "ip link set veth1 up", "ip netns add ns1"):
        assert session.run_line(line)[1] == 0
    return session


def test_restored_host_shares_what_it_shared():
    restored = state.roundtrip(_session())
    ns = restored.host.init_ns
    veth0, veth1 = ns.by_name("veth0"), ns.by_name("veth1")
    assert veth0.peer is veth1 and veth1.peer is veth0
    assert veth0.netns is ns
    assert ns.rng is restored.host.namespaces["ns1"].rng is restored.host.rng
    assert restored.host.init_ns.clock is restored.host.clock


def test_pending_timers_run_after_restore():
    """DAD is under way when the host is saved: it completes in the restored one."""
    session = _session()
    assert "tentative" in session.run_line("ip -6 addr show dev veth0")[0].text()
    restored = state.roundtrip(session)
    restored.host.sleep(3)
    assert "tentative" not in restored.run_line("ip -6 addr show dev veth0")[0].text()


def test_a_closure_in_state_refuses_to_save():
    session = _session()
    session.host.clock.call_later(1.0, session.host, "sleep", 0)
    session.host.clock.queue[-1].target = lambda: None
    with pytest.raises(state.StateError, match="a function"):
        state.dumps(session)


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "host.state"
    path.write_text(text)
    return path


@pytest.mark.parametrize("text, message", [
    ("not json", "is not an ipemu state file"),
    ('{"format": "something-else", "version": 1}', "is not an ipemu state file"),
    ('{"format": "ipemu-state", "version": 99, "root": null, "table": []}',
     "was written by a newer ipemu"),
    ('{"format": "ipemu-state", "version": 1, "root": null, "table": []}',
     "was written by an older ipemu (state format 1; this ipemu reads 2)"),
    ('{"format": "ipemu-state", "version": 2, "root": {"$r": 0}, "table": '
     '[{"c": "os:system", "a": {}}]}', "names a class outside ipemu"),
    ('{"format": "ipemu-state", "version": 2, "root": {"$r": 5}, "table": []}',
     "is damaged"),
])
def test_bad_files_are_refused_in_one_line_and_left_alone(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(state.StateError) as err:
        state.load(path)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith(f"ipemu: {path}: ")
    assert path.read_text() == text


def test_a_failed_save_leaves_the_previous_file(tmp_path):
    path = tmp_path / "host.state"
    state.save(path, _session())
    before = path.read_bytes()
    broken = _session()
    broken.host.clock.call_later(1.0, broken.host, "sleep", 0)
    broken.host.clock.queue[-1].args = (print,)
    with pytest.raises(state.StateError):
        state.save(path, broken)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["host.state"]
    assert json.loads(before)["format"] == "ipemu-state"


def _ipemu(capsys, *args: str) -> tuple[int, str, str]:
    from ipemu.cli import main
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_state_lasts_between_one_shot_commands(tmp_path, capsys):
    path = str(tmp_path / "host.state")
    assert _ipemu(capsys, "--scenario", "bare", "--state", path, "-c",
                  "ip link add veth0 type veth peer name veth1")[0] == 0
    assert _ipemu(capsys, "--state", path, "-c", "ip link set veth0 up; false")[0] == 1
    status, out, _ = _ipemu(capsys, "--state", path, "-c", "echo $?; ip -br link show veth0")
    assert status == 0
    # recorded (transcripts/ip): one end up, the other down
    assert out.splitlines()[0] == "1"
    assert out.splitlines()[1].startswith("veth0@veth1      LOWERLAYERDOWN ")


def test_run_continues_a_saved_host(tmp_path, capsys):
    path = str(tmp_path / "host.state")
    _ipemu(capsys, "--scenario", "bare", "--state", path, "-c", "ip netns add ns1")
    script = tmp_path / "s.cmds"
    script.write_text("ip netns list\n")
    status, out, _ = _ipemu(capsys, "run", "--state", path, str(script))
    assert status == 0 and out.endswith("# ip netns list\nns1\n")


def test_a_damaged_state_is_refused_and_kept(tmp_path, capsys):
    path = tmp_path / "host.state"
    path.write_text('{"format": "ipemu-state", "version": 2, "root": {"$r": 3}}')
    status, out, err = _ipemu(capsys, "--state", str(path), "-c", "ip link")
    assert (status, out) == (2, "")
    assert err == f"ipemu: {path}: is damaged (KeyError)\n"
    assert path.read_text() == '{"format": "ipemu-state", "version": 2, "root": {"$r": 3}}'


def test_a_booted_scenario_comes_from_its_snapshot(tmp_path, monkeypatch):
    monkeypatch.setenv("IPEMU_CACHE_DIR", str(tmp_path))
    first = Session.create("default", "default", None, 0)
    [snapshot] = (tmp_path / "hosts").iterdir()
    second = Session.create("default", "default", "other", 0)
    assert second.host.hostname == "other"
    second.host.hostname = first.host.hostname
    monkeypatch.setenv("IPEMU_NO_SNAPSHOT", "1")
    fresh = Session.create("default", "default", None, 0)
    assert state.dumps(second) == state.dumps(fresh) == state.dumps(first)
    # a damaged snapshot is passed over: the host boots as if there were none
    snapshot.write_text("{")
    monkeypatch.delenv("IPEMU_NO_SNAPSHOT")
    assert state.dumps(Session.create("default", "default", None, 0)) == state.dumps(fresh)
