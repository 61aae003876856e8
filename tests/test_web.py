"""The shell in a web page (issue 20): ipemu/web.py's WebShell natively, then the built
folder (web/build.py) served on 127.0.0.1 and driven in headless Chromium
(web/drive.mjs, playwright-core). The browser part runs in the long run
(IPEMU_LONG=1) and skips where node, chromium or web/node_modules are missing (`npm ci`
in web/ installs the pinned packages)."""
from __future__ import annotations

import fcntl
import functools
import hashlib
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest

from ipemu.errors import CommandError
from ipemu.web import WebShell, open_page

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"


# ------------------------------------------------------------ WebShell natively
class FakeWall:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def on_fake_wall(page: WebShell) -> FakeWall:
    from ipemu.drivers import RealTimeDriver
    wall = FakeWall()
    page.driver = RealTimeDriver(page.shell.host.clock, wall=wall)
    return wall


def run(page: WebShell, line: str) -> str:
    running = page.start(line)
    while running:
        page.step()
        running = page.busy
    return page.output() + page.notices()


def test_lines_run_and_print():
    page = WebShell.open()
    assert page.prompt() == "[root@ipemu ~]# "
    assert run(page, "ip link add veth0 type veth peer name veth1") == ""
    out = run(page, "ip -br link")
    assert "veth0@veth1" in out and "veth1@veth0" in out


def test_ping_runs_on_the_wall_clock_and_ctrl_c_ends_it():
    page = WebShell.open()
    wall = on_fake_wall(page)
    assert page.start("ping 10.0.2.2")
    assert page.step() <= 1.0            # the next echo is due within a second
    wall.now += 2.5
    page.step()
    assert page.busy
    assert page.output().count("icmp_seq=") == 3
    page.interrupt()
    page.step()
    assert not page.busy
    out = page.output()
    assert out.startswith("^C\n--- 10.0.2.2 ping statistics ---\n3 packets transmitted, 3 received")


def test_completion_comes_from_the_grammar_and_the_host():
    page = WebShell.open()
    assert page.complete("ip li") == {"start": 3, "words": ["link"]}
    assert page.complete("pi") == {"start": 0, "words": ["pidof", "ping", "ping4", "ping6"]}
    assert "eth0" in page.complete("ip link set ")["words"]


def test_state_round_trip_and_a_bad_document():
    page = WebShell.open()
    run(page, "ip link add dummy0 type dummy")
    again = WebShell.open(state=page.save())
    assert "dummy0" in run(again, "ip -br link")
    fresh = WebShell.open(state="{not json")
    assert fresh.intro() == "ipemu: the saved host is not an ipemu state file: starting afresh\n"
    assert "dummy0" not in run(fresh, "ip -br link")


def test_captures_are_offered_once():
    page = WebShell.open()
    run(page, "tcpdump -i eth0 -c 2 -w cap.pcap & ping -c 1 10.0.2.2")
    run(page, "wait")
    [[name, data]] = page.downloads()
    assert name == "/root/cap.pcap" and data[:4] == b"\xd4\xc3\xb2\xa1"
    assert page.downloads() == []


def test_exit_logs_in_again_and_unknown_names_say_so():
    page = WebShell.open()
    assert page.start("exit") is False
    assert page.output() == "logout\n"
    assert run(page, "echo $?") == "0\n"
    with pytest.raises(CommandError, match="unknown scenario 'nope'"):
        WebShell.open(scenario="nope")
    with pytest.raises(CommandError, match="unknown profile 'nope'"):
        WebShell.open(profile="nope")
    with pytest.raises(CommandError, match="unknown lab 'nope'"):
        WebShell.open(lab="nope")
    assert open_page(scenario="nope").startswith("ipemu: unknown scenario 'nope' (known: ")


def test_a_lab_shows_its_task_and_survives_a_save():
    page = WebShell.open(lab="router")
    assert page.intro().startswith("Lab router: ")
    again = WebShell.open(state=page.save())
    assert "0 of 4 goals met" in run(again, "lab check")


# ------------------------------------------------------------- the built page
def _chromium() -> str | None:
    return os.environ.get("IPEMU_CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")


def _missing() -> str | None:
    if os.environ.get("IPEMU_NO_BROWSER"):
        return "IPEMU_NO_BROWSER is set"
    if os.environ.get("IPEMU_LONG") != "1":
        # ~40 s of wall time (Pyodide loads five times): README "Testing"
        return "the browser is driven in the long run (IPEMU_LONG=1)"
    if shutil.which("node") is None:
        return "node is not installed"
    if _chromium() is None:
        return "chromium is not installed"
    for package in ("pyodide", "@xterm/xterm", "playwright-core"):
        if not (WEB / "node_modules" / package / "package.json").is_file():
            return f"web/node_modules/{package} is missing (npm ci in web/)"
    try:
        import lark  # noqa: F401 - the build generates the parsers with it
    except ImportError:
        return "lark is not installed"
    return None


needs_browser = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def build_inputs() -> str:
    """A digest of everything web/build.py reads: ipemu's files as the wheel holds
    them, web/'s own files, and the runtime packages' versions (their package.json)."""
    spec = importlib.util.spec_from_file_location("ipemu_web_build", WEB / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    files = sorted(build.package_files().items())
    files += [(f"web/{p.name}", p) for p in sorted(WEB.iterdir()) if p.is_file()]
    files += [("pyproject.toml", ROOT / "pyproject.toml")]
    files += [(f"{package}/package.json", build.MODULES / package / "package.json")
              for package in build.RUNTIME]
    digest = hashlib.sha256(sys.version.encode())
    for name, path in files:
        digest.update(b"\0" + name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def built_site(config: pytest.Config, tmp_path_factory) -> Path:
    """web/build.py's folder: built once for these inputs (build_inputs()) and kept in
    pytest's cache directory, where the next run (and every xdist worker) finds it:
    the build is 8 s of CPU (Pyodide under Node compiling the modules) and writes the
    same bytes from the same inputs (build.py's ZIP_TIME). Without the cache plugin,
    a build of this run's own."""
    cache = getattr(config, "cache", None)
    if cache is None:
        out = tmp_path_factory.mktemp("web") / "site"
        _build(out)
        return out
    folder = cache.mkdir("web-site")
    out = folder / build_inputs()
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)        # another worker may be building it
        if not (out / "build.json").is_file():
            for old in folder.iterdir():         # a folder of earlier inputs
                if old.is_dir():
                    shutil.rmtree(old)
            _build(folder / "partial")
            (folder / "partial").rename(out)
    return out


def _build(out: Path) -> None:
    subprocess.run([sys.executable, str(WEB / "build.py"), str(out)], check=True,
                   stdout=subprocess.PIPE, timeout=600)


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    """The folder built and served on 127.0.0.1 (an ephemeral port)."""
    out = built_site(request.config, tmp_path_factory)
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def drive(tmp_path: Path, steps: list[dict]) -> dict:
    plan = {"chromium": _chromium(), "profile": str(tmp_path / "chromium-profile"),
            "steps": steps, "timeout": 120000}
    done = subprocess.run(["node", str(WEB / "drive.mjs")], input=json.dumps(plan),
                          capture_output=True, text=True, timeout=900, cwd=WEB)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert "error" not in result, f"{result['error']}\n--- page text:\n{result.get('text')}"
    assert result["outside"] == []
    assert not [c for c in result["console"] if c.startswith(("error", "pageerror"))], \
        result["console"]
    return result


def page_url(base: str, **query: str) -> str:
    return base + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())


@needs_browser
def test_the_folder_is_small_and_names_no_outside_host(site):
    out, _ = site
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    # 17.6 MB at issue 20's end; 20.3 MB at session 12's (bc, diff, file and the
    # box's small tools: the wheel is 5.4 MB of it, Pyodide 14 MB)
    assert size < 22_000_000
    # the page's own files name no host at all; the runtime's (pyodide.mjs knows its
    # CDN as a default) are never asked to fetch from one (drive(): `outside`)
    for name in ("index.html", "app.js", "style.css"):
        assert not re.search(r"\b[a-z]+://", (out / name).read_text()), name
    assert not re.search(r"https?://", (out / "pyodide" / "pyodide-lock.json").read_text())


# The two pages' plans: each test's steps and what it asserts on their results. Both
# run in one browser (`driven`), one after the other: a launch and a cold Pyodide load
# were ~9 s of the suite's wall time a test (the typed keys' page takes ?run=, so it
# is not saved, and the lab's hosts are kept under their own scenario's key: neither
# page sees the other's host).
def typed_keys_steps(base: str) -> list[dict]:
    url = page_url(base, run="ip link add veth0 type veth peer name veth1;ip -br link")
    return [
        {"goto": url}, {"ready": True},
        {"type": "ip li"}, {"press": "Tab"}, {"type": "set veth0 up\r"}, {"ready": True},
        {"type": "ping -c 2 -i 0.2 10.0.2.2\r"}, {"ready": True},
        {"type": "ping -i 0.5 10.0.2.2\r"}, {"wait": "10.0.2.2: icmp_seq=3 "},
        {"press": "Control+C"}, {"ready": True},
        {"type": "tcpdump -i eth0 -c 2 -w cap.pcap & ping -c 1 10.0.2.2\r"}, {"ready": True},
        {"type": "wait\r"}, {"ready": True},
        {"text": True}, {"downloads": True}, {"timings": True},
    ]


def lab_steps(base: str) -> list[dict]:
    from ipemu.labs import load
    solution = load("router", 0).solution
    lab = page_url(base, lab="router", run=";".join(solution + ["lab check"]))
    plain = page_url(base, scenario="bare")
    return [
        {"goto": page_url(base, scenario="nope")}, {"wait": "unknown scenario 'nope'"},
        {"goto": lab}, {"ready": True}, {"text": True},
        {"goto": plain}, {"ready": True},
        {"type": "ip link add dummy0 type dummy\r"}, {"ready": True},
        {"goto": plain}, {"ready": True},
        {"type": "ip -br link\r"}, {"ready": True}, {"text": True}, {"timings": True},
    ]


PLANS = {"typed_keys": typed_keys_steps, "lab": lab_steps}


@pytest.fixture(scope="module")
def driven(site, tmp_path_factory) -> dict[str, list]:
    """Every plan's results (plan name -> its steps' results), from one drive()."""
    _, base = site
    steps, ends = [], []
    for name, plan in PLANS.items():
        steps += plan(base)
        ends.append((name, sum(1 for s in steps if s.keys() & RESULT_STEPS)))
    results = drive(tmp_path_factory.mktemp("browser"), steps)["results"]
    out, start = {}, 0
    for name, end in ends:
        out[name], start = results[start:end], end
    return out


RESULT_STEPS = {"text", "timings", "downloads", "eval", "exec"}   # drive.mjs: one result each


@needs_browser
def test_run_typed_keys_tab_ctrl_c_and_a_capture(driven):
    text, downloads, timings = driven["typed_keys"]
    assert "[root@ipemu ~]# ip -br link\n" in text
    assert re.search(r"^veth1@veth0 +DOWN", text, re.M)
    assert "[root@ipemu ~]# ip link set veth0 up\n" in text        # Tab completed `link `
    assert "2 packets transmitted, 2 received, 0% packet loss" in text
    assert re.search(r"icmp_seq=3 .*\n(.*\n)?\^C\n--- 10.0.2.2 ping statistics ---\n"
                     r"[34] packets transmitted", text)
    assert [d["name"] for d in downloads] == ["cap.pcap"]
    print(f"\nfirst prompt {timings['firstPrompt']:.0f} ms after navigation (cold profile)")


@needs_browser
def test_a_lab_checked_and_the_host_kept_across_loads(driven):
    lab_text, kept, timings = driven["lab"]
    assert lab_text.startswith("Lab router: ")
    assert "All 4 goals met: lab router is complete." in lab_text
    assert re.search(r"^dummy0 +DOWN", kept, re.M)
    print(f"\nfirst prompt {timings['firstPrompt']:.0f} ms after navigation (warm load)")
