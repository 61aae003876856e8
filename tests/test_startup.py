"""The one-shot start (issue 19): what `ipemu -c` imports, and the code bundle that
serves ipemu's modules from one file (ipemu/codebundle.py)."""
from __future__ import annotations

import json
import marshal
import operator
import os
import subprocess
import sys
from importlib.machinery import SourceFileLoader

import pytest

from ipemu import codebundle

# what a one-shot line never needs: the REPL and its terminal, Lark, argparse, the
# standard dataclasses (inspect, typing), OpenSSL's hashlib, JSON, the event loop,
# and ipemu's parts for other commands (the kernel's files, the ioctls, arithmetic,
# subshells' deep copies)
HEAVY = ("lark", "prompt_toolkit", "argparse", "dataclasses", "inspect", "typing",
         "hashlib", "json", "asyncio", "pickle", "tempfile", "subprocess", "socket",
         "copy", "weakref", "ipemu.procfs", "ipemu.kernel.ioctl", "ipemu.bash.arith",
         "ipemu.parsers.shell", "ipemu.parsers.lark_runtime", "ipemu.shell.repl",
         "ipemu.tcpdump.dissect", "ipemu.tcpdump.printer")
LINES = ("ip link show", "ip addr", "ip route", "ping -c 1 127.0.0.1",
         "sysctl net.ipv4.ip_forward")
# what an installed (not editable) ipemu's start does without, though an editable
# install's own finder imports it before ipemu starts (site: pathlib, urllib.parse)
HEAVY_UNDER_SITE = ("pathlib", "urllib.parse", "ntpath")
# what `ip link show` (the first line probed, so everything its process imported) does
# without: no word of it needs a regular expression (re and its enum: ~1.5 ms), the
# restored host draws no random number, and modules are imported without importlib
LINK_SHOW_WITHOUT = ("re", "fnmatch", "sre_compile", "contextlib", "random", "importlib",
                     "warnings",
                     # nor enum and what it brings (ipemu/kernel/enums.py makes the
                     # kernel's), nor functools, collections, types (~3 ms together)
                     "enum", "functools", "collections", "collections.abc", "types",
                     "operator", "ipemu.kernel.stack", "ipemu.kernel.world",
                     "ipemu.kernel.snmp", "ipemu.kernel.packet",
                     # nor the routes, rules, addresses and neighbours (state.DEFERRED,
                     # netns._PARTS), nor ipaddress
                     "ipaddress", "ipemu.kernel.fib", "ipemu.kernel.fib_rules",
                     "ipemu.kernel.fib_frontend", "ipemu.kernel.addr",
                     "ipemu.kernel.addrconf", "ipemu.kernel.devinet", "ipemu.kernel.dev",
                     "ipemu.kernel.mcast", "ipemu.kernel.neigh", "ipemu.kernel.nexthop",
                     "ipemu.kernel.requests", "ipemu.render.addr", "ipemu.render.names",
                     "ipemu.render.link_kinds",
                     # nor the records of addresses, routes and neighbours, nor
                     # the kinds' (and their drivers' private parts)
                     "ipemu.kernel.records_more", "ipemu.kernel.records_kinds",
                     "ipemu.kernel.netdev_priv",
                     # nor `ip address add`'s parser (ipemu/tools/ip_addr_modify.py)
                     "ipemu.tools.ip_addr_modify",
                     # nor a PATH search (the login PATH finds the box's own ip)
                     "ipemu.bash.lookup", "ipemu.tools.userland")
# tcpdump's line needs its printer (HEAVY for the others): it is probed last
TCPDUMP = "tcpdump -c 1 -i lo -n"


def _imported_by_each(lines: tuple[str, ...], out) -> dict[str, set[str]]:
    """The modules each line imported that the lines before it had not, in one
    process under `python -S`: no site, so nothing an editable install's finder
    imports first hides what ipemu imports (one process: each start costs the
    suite ~0.5 s of CPU). Written to the file `out`, apart from what the lines print."""
    code = ("import sys; from ipemu.cli import main\n"
            "with open(sys.argv[1], 'w') as out:\n"
            "    for line in sys.argv[2:]:\n"
            "        before = set(sys.modules); main(['-c', line])\n"
            "        out.write(' '.join(set(sys.modules) - before) + '\\n')\n")
    root = os.path.dirname(codebundle.ROOT)
    done = subprocess.run([sys.executable, "-S", "-c", code, str(out), *lines],
                          capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=root))
    found = out.read_text().splitlines() if out.exists() else []
    assert len(found) == len(lines), done.stderr[-1000:]
    return {line: set(names.split()) for line, names in zip(lines, found)}


def test_a_one_shot_line_imports_nothing_heavy(tmp_path):
    _one_shot("true")       # the booted host cached (booting it reads the scenario)
    each = _imported_by_each(LINES + (TCPDUMP,), tmp_path / "modules")
    assert "ipemu.session" in each[LINES[0]]
    found = sorted(m for m in LINK_SHOW_WITHOUT if m in each[LINES[0]])
    assert not found, f"`ipemu -c '{LINES[0]}'` imported: {found}"
    for line, imported in each.items():
        heavy = HEAVY_UNDER_SITE + (HEAVY if line != TCPDUMP else ())
        found = sorted(m for m in heavy if m in imported)
        assert not found, f"`ipemu -c '{line}'` imported: {found}"


def _one_shot(line: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ipemu", "-c", line], capture_output=True,
                          text=True, check=False, env=env)


def test_the_bundle_holds_the_modules_a_line_imported_as_their_files_compile():
    first = _one_shot("ip -br addr; ip route")
    again = _one_shot("ip -br addr; ip route")
    off = _one_shot("ip -br addr; ip route", dict(os.environ, IPEMU_NO_BUNDLE="1"))
    assert first.stdout == again.stdout == off.stdout
    assert (first.returncode, again.returncode, off.returncode) == (0, 0, 0)
    probe = ("from ipemu import codebundle; finder = codebundle.install(); "
             "import ipemu.tools.ip_route as m; print(type(m.__loader__).__name__, "
             "m.__file__, m.__spec__.origin == m.__file__, len(finder.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    loader, file, same, count = done.stdout.split()
    assert (loader, same) == ("BundleLoader", "True")
    assert file == os.path.join(codebundle.ROOT, "tools", "ip_route.py")
    assert int(count) > 50
    # each module's code is what its file compiles to
    finder = _installed()
    try:
        assert "ipemu.kernel.netns" in finder.modules
        for name, entry in finder.modules.items():
            want = SourceFileLoader(name, entry[0]).get_code(name)
            assert finder.full_code(name) == want, name
    finally:
        sys.meta_path.remove(finder)


def test_a_bundled_module_has_the_attributes_its_files_import_gives():
    """BundleFinder makes the spec spec_from_file_location() makes, without it, and
    the module is made without importlib's Python (codebundle._direct_loads()):
    every attribute importlib sets (and the spec's) is the usual import's."""
    probe = ("import sys\n"
             "if sys.argv[1] == 'bundle':\n"
             "    from ipemu import codebundle; codebundle.install()\n"
             "    import _frozen_importlib\n"
             "    assert _frozen_importlib._find_and_load.__module__ == 'ipemu.codebundle'\n"
             "import ipemu.kernel.netdev, ipemu.tools\n"
             "for m in (sys.modules['ipemu.kernel.netdev'], sys.modules['ipemu.tools']):\n"
             "    s = m.__spec__\n"
             "    print(m.__name__, m.__file__, m.__cached__, m.__package__,\n"
             "          getattr(m, '__path__', None), s.name, s.origin, s.cached, s.parent,\n"
             "          s.has_location, s.submodule_search_locations, s.loader_state,\n"
             "          m.__loader__.name, m.__loader__.path,\n"
             "          m.__loader__.is_package(m.__name__), type(m.__loader__).__name__)\n")
    _one_shot("ip link show")      # the bundle holds both
    lines = {}
    for how in ("bundle", "files"):
        done = subprocess.run([sys.executable, "-c", probe, how], capture_output=True,
                              text=True, check=True)
        lines[how] = done.stdout.splitlines()
    assert [line.rsplit(" ", 1)[1] for line in lines["bundle"]] == ["BundleLoader"] * 2
    assert [line.rsplit(" ", 1)[0] for line in lines["bundle"]] == \
        [line.rsplit(" ", 1)[0] for line in lines["files"]]


def _installed():
    finder = codebundle.install()
    assert finder is not None
    return finder


def test_a_bundle_of_other_sources_is_not_used(monkeypatch):
    _one_shot("ip -br link")
    finder = _installed()
    sys.meta_path.remove(finder)
    assert finder.find_spec("ipemu.kernel.netns") is not None
    # another checkout (a file changed: another fingerprint) imports from its files
    monkeypatch.setattr(codebundle, "_FINGERPRINT", ["another"])
    stale = _installed()
    sys.meta_path.remove(stale)
    assert stale.modules == {} and stale.find_spec("ipemu.kernel.netns") is None
    monkeypatch.setenv("IPEMU_NO_BUNDLE", "1")
    assert codebundle.install() is None


def test_a_damaged_bundle_is_passed_over(tmp_path, monkeypatch):
    path = tmp_path / "bundle.marshal"
    path.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not marshal data")
    monkeypatch.setattr(codebundle, "bundle_path", lambda: str(path))
    finder = _installed()
    sys.meta_path.remove(finder)
    assert finder.modules == {}


def test_a_bundle_cut_short_is_passed_over(tmp_path, monkeypatch):
    _one_shot("ip -br link")
    whole = open(codebundle.bundle_path(), "rb").read()
    path = tmp_path / "bundle.marshal"
    path.write_bytes(whole[:-1])
    monkeypatch.setattr(codebundle, "bundle_path", lambda: str(path))
    finder = _installed()
    sys.meta_path.remove(finder)
    assert finder.modules == {} and finder.fd is None
    path.write_bytes(whole)
    finder = _installed()
    sys.meta_path.remove(finder)
    assert "ipemu.kernel.netns" in finder.modules
    os.close(finder.fd)


@pytest.mark.parametrize("name", ("ip", "ping", "route", "bridge", "tcpdump_options"))
def test_the_tables_rows_made_when_looked_up_are_lalrs_rows(name: str):
    """parsers.LazyStates: each row of the generated table, made from its text, is
    the row Lark's LALR table has (grammar_table.build()), in the same order."""
    pytest.importorskip("lark")
    import importlib

    from ipemu import grammar_table
    from ipemu.lark_cache import grammar_text
    want = grammar_table.build(grammar_text(name))["STATES"]
    states = importlib.import_module(f"ipemu.parsers.{name}_table").STATES
    assert len(states) == len(want)
    for state in reversed(range(len(want))):      # looked up in any order
        assert list(states[state].items()) == list(want[state].items()), state
    assert list(states) == list(want)


@pytest.mark.parametrize("name", ("ip", "ping", "route", "bridge", "tcpdump_options"))
def test_the_places_the_table_carries_are_the_ones_its_rules_give(name: str):
    """grammar_table.place(), worked out at generation: for every state and every
    keyword or value it shifts, the place is the one the state's rules give (the
    scan syntax.Grammar._rank() made at each start), and nothing else has one."""
    import importlib

    from ipemu import grammar_table
    table = importlib.import_module(f"ipemu.parsers.{name}_table")
    states, wanted = table.STATES, set(table.KEYWORDS) | set(table.VALUES)
    for state in range(len(states)):
        row = states[state]
        for terminal, action in row.items():
            if action >= 0 and terminal in wanted:
                places = [table.POSITION[r, terminal] for r in row
                          if (r, terminal) in table.POSITION]
                want = min(places) if places else table.FIRST.get(terminal, 1 << 30)
                assert states.place(state, terminal) == want, (state, terminal)
                assert grammar_table.place(states, table.POSITION, table.FIRST, state,
                                           terminal) == want
        assert set(states.places[state]) == {t for t, n in row.items()
                                              if n >= 0 and t in wanted}


@pytest.mark.parametrize("name", ("ip", "ping", "route", "bridge", "tcpdump_options"))
def test_the_tables_written_as_text_are_the_tables_lark_gives(name: str):
    """The names, keywords, places and first places a table module writes as text
    (split when loaded; POSITION and FIRST on first use) are grammar_table.build()'s,
    in the same order; the module has no other attribute made on demand."""
    pytest.importorskip("lark")
    import importlib

    from ipemu import grammar_table
    from ipemu.lark_cache import grammar_text
    want = grammar_table.build(grammar_text(name))
    table = importlib.import_module(f"ipemu.parsers.{name}_table")
    for key in ("RULES", "SIZES", "KEYWORDS", "POSITION", "FIRST", "VALUES", "START", "END"):
        got = getattr(table, key)
        assert got == want[key] and type(got) is type(want[key]), key
        if isinstance(got, dict):
            assert list(got.items()) == list(want[key].items()), key
    assert set(table.SYMBOLS) == {s for row in want["STATES"] for s in row}
    with pytest.raises(AttributeError):
        table.NO_SUCH_TABLE


def test_the_bundle_keeps_plainclass_methods_as_their_source_compiles():
    _one_shot("ip -br link; ip -br addr")
    _one_shot("ip -br link; ip -br addr")
    finder = _installed()
    sys.meta_path.remove(finder)
    assert any(text.startswith("def __init__(self") for text in finder.methods)
    for text, code in finder.methods.items():
        assert marshal.loads(code) == compile(text, "<string>", "exec"), text


PLAIN = ["ip link show", "ip -br addr", "ip route", "ip -6 route show table local",
         "ip foo", "ip link show dev nosuch", "ip -j -p link show lo",
         "ip link add d0 type dummy", "ip addr add 10.9.0.1/24 dev eth0",
         "ping -c 2 -i 0.2 127.0.0.1", "ping -c 1 -W 1 10.0.2.99", "ping -c 1 nosuch.invalid",
         "ping6 -c 1 ::1", "route -n", "ifconfig lo", "arp -n", "ss -tan", "sysctl net.ipv4.ip_forward",
         "tcpdump -c 1 -i lo -n", "traceroute -n -q 1 -m 2 10.0.2.2", "ip monitor link",
         "bridge link", "netstat -rn", "arping -c 1 10.0.2.2", "tracepath -n 10.0.2.2"]


@pytest.mark.parametrize("line", PLAIN)
def test_a_plain_line_runs_as_the_shell_would_run_it(line: str):
    """`ipemu -c` runs a line of one of the kernel's tools with plain words without
    the shell's interpreter (cli._plain_command): what it prints, in which order, its
    status and what it leaves on the host are the interpreter's."""
    from ipemu import cli
    from ipemu.session import Session
    fast, full = Session.create("default", "default"), Session.create("default", "default")
    argv = cli._plain_command(line, fast)
    assert argv == line.split()
    term, status = cli._run_tool(fast, argv)
    want_term, want_status = full.run_line(line)
    assert (term.chunks, status) == (want_term.chunks, want_status)
    for check in ("ip -d addr", "ip -s link", "ip route show table all", "ip neigh"):
        assert fast.run_line(check)[0].chunks == full.run_line(check)[0].chunks, check
    assert fast.host.clock.now == full.host.clock.now


@pytest.mark.parametrize("line", ["ip link show; ip addr", "ip link show | head -1",
                                  "ip link show > out", "ip link show $DEV", "ip link 'show'",
                                  "echo ip", "ip link show ~", "ip a*", "X=1 ip link",
                                  "ip link show # comment", "ip link &", "ip link\nip addr",
                                  "sudo ip link", "/sbin/ip link", "timeout 1 ip link"])
def test_anything_else_goes_through_the_interpreter(line: str):
    from ipemu import cli
    from ipemu.session import Session
    assert cli._plain_command(line, Session.create("default", "bare")) is None


def test_a_shell_with_functions_or_tracing_goes_through_the_interpreter():
    from ipemu import cli
    from ipemu.session import Session
    session = Session.create("default", "bare")
    session.run_line("ip() { echo mine; }")
    assert cli._plain_command("ip link", session) is None
    traced = Session.create("default", "bare")
    traced.run_line("set -x")
    assert cli._plain_command("ip link", traced) is None


def test_the_one_shot_start_leaves_the_collector_on_with_its_objects_frozen():
    """cli._shell turns the collector off while a one-shot start imports and loads
    its host; collect_after_boot() freezes what was made and turns it back on."""
    import gc

    from ipemu import cli
    was = gc.isenabled()
    gc.disable()
    try:
        cli.collect_after_boot()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        if not was:
            gc.disable()


@pytest.mark.parametrize("process_ends", [True, False])
def test_a_batch_of_a_one_shot_line_freezes_what_it_made(monkeypatch, process_ends):
    """ip_batch._young_collections(): in a process that ends after its line (`ipemu
    -c`: Session.process_ends) the batch's survivors are frozen before the collector
    comes back, so no full collection walks them; elsewhere (a live shell) they stay
    collectable. Either way the collector is on again after the batch."""
    import gc

    from ipemu.session import Session
    froze = []
    monkeypatch.setattr(gc, "freeze", lambda: froze.append(gc.isenabled()))
    session = Session.create("default", "bare")
    session.process_ends = process_ends
    session.write_file("b.txt", b"link add va type veth peer name vb\nlink set va up\n")
    was = gc.isenabled()
    gc.enable()
    try:
        _, status = session.run_line("ip -batch b.txt")
        assert status == 0 and gc.isenabled()
    finally:
        if not was:
            gc.disable()
    # frozen once, while the collector was still off
    assert froze == ([False] if process_ends else [])


def test_the_modules_before_the_bundle_get_their_bytecode(tmp_path, monkeypatch):
    """codebundle._entry_bytecode(): a missing or stale .pyc of a module imported
    before the finder (ipemu.cli, ...) is written as the import system writes it,
    even under PYTHONDONTWRITEBYTECODE (without it, the import wrote it); a current
    one is left alone."""
    import importlib.util
    source = tmp_path / "entry_probe.py"
    source.write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    import entry_probe
    pyc = importlib.util.cache_from_source(str(source))
    assert not os.path.exists(pyc)
    monkeypatch.setattr(codebundle, "_ENTRY", ("entry_probe",))
    codebundle._entry_bytecode()
    loader = SourceFileLoader("entry_probe", str(source))
    data = open(pyc, "rb").read()
    # what the loader itself accepts as current for this source
    assert loader.get_code("entry_probe") == marshal.loads(data[16:])
    from importlib._bootstrap_external import _validate_timestamp_pyc
    st = os.stat(source)
    _validate_timestamp_pyc(data, int(st.st_mtime), st.st_size, "entry_probe", {})
    written = os.stat(pyc).st_mtime_ns
    codebundle._entry_bytecode()
    assert os.stat(pyc).st_mtime_ns == written
    del sys.modules["entry_probe"]
    assert entry_probe.VALUE == 1


def _kernel_enums():
    import importlib

    from ipemu.kernel import enums
    for name in ("errors", "fib", "netdev", "bridge", "records", "requests", "fib_rules",
                 "neigh", "tcp"):
        importlib.import_module(f"ipemu.kernel.{name}")
    assert len(enums.MADE) >= 13
    return enums


def _same(mine, std) -> None:
    """`mine` (ipemu/kernel/enums.py's) behaves as `std` (the standard library's)."""
    assert type(mine).__name__ == type(std).__name__
    assert (mine.name, mine.value, int(mine)) == (std.name, std.value, int(std))
    assert type(mine.value) is type(std.value)
    assert (str(mine), repr(mine), f"{mine}", f"{mine!s:>6}") == \
        (str(std), repr(std), f"{std}", f"{std!s:>6}")
    for spec in ("", "d", "5", "<4", "x", "#06x", "b"):
        assert format(mine, spec) == format(std, spec)
    assert "%s %d %r" % (mine, mine, mine) == "%s %d %r" % (std, std, std)
    assert hash(mine) == hash(std) == hash(int(std)) and mine == int(std) and bool(mine) == bool(std)
    assert json.dumps([mine]) == json.dumps([std])


def test_the_kernels_enums_behave_as_the_standard_librarys():
    """ipemu/kernel/enums.py makes them without the `enum` module (cheaper at start):
    every member, lookup, composite and operation must give what `class X(IntEnum)`
    (or IntFlag) with the same body gives on this Python."""
    import copy
    import enum
    import pickle
    import warnings

    enums = _kernel_enums()
    for base, body, made in enums.MADE:
        std = enum._simple_enum(enum.IntFlag if base is enums.IntFlag else enum.IntEnum)(
            enums.body_class(body))
        assert made.__module__.startswith("ipemu.kernel.") and made.__module__ == std.__module__
        assert (made.__name__, made.__qualname__, made.__doc__) == \
            (std.__name__, std.__qualname__, std.__doc__)
        assert repr(made) == repr(std) and len(made) == len(std) and bool(made)
        assert [m.name for m in made] == [m.name for m in std]
        assert [m.name for m in reversed(made)] == [m.name for m in reversed(std)]
        assert {k: v.name for k, v in made.__members__.items()} == \
            {k: v.name for k, v in std.__members__.items()}
        assert list(made.__members__) == list(std.__members__)
        with pytest.raises(AttributeError):
            setattr(made, next(iter(made.__members__)), 1)
        for name in std.__members__:
            _same(made[name], std[name])
            _same(getattr(made, name), getattr(std, name))
            assert made[name] in made and made(made[name]) is made[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            for probe in (1, "x"):
                assert _error(lambda: probe in made) == _error(lambda: probe in std)
        for member in made:
            assert made(member.value) is member and made[member.name] is member
            assert pickle.loads(pickle.dumps(member)) is member
            assert copy.deepcopy(member) is member and copy.copy(member) is member
        values = {int(m) for m in std.__members__.values()}
        probes = values | {v + 1 for v in values} | {0, 1, 2, 3, 255, 256, 1 << 40, -1, -2}
        if base is enums.IntEnum:
            for value in sorted(probes):
                if value in values:
                    _same(made(value), std(value))
                    continue
                assert _error(lambda: made(value)) == _error(lambda: std(value)) != (None, "")
            continue
        _same_flag(made, std, sorted(probes))


def _same_flag(made, std, probes) -> None:
    members = [int(m) for m in std.__members__.values()]
    for value in probes + [a | b for a in members for b in members]:
        mine, theirs = made(value), std(value)
        _same(mine, theirs)
        assert type(mine) is made and len(mine) == len(theirs)
        assert [m.name for m in mine] == [m.name for m in theirs]
        _same(~mine, ~theirs)
        assert type(~mine) is made
        mine2 = made(value)
        assert pickle_same(mine2)
        for other in members[:8] + [0, 1, 6, 1 << 33]:
            for op in (operator.or_, operator.and_, operator.xor):
                got, want = op(mine, other), op(theirs, other)
                _same(got, want)
                got, want = op(other, mine), op(other, theirs)
                _same(got, want)
                assert type(got) is made
            if other in members:
                _same(mine | made(other), theirs | std(other))
                assert (made(other) in mine) == (std(other) in theirs)
        assert _error(lambda: 1 in mine) == _error(lambda: 1 in theirs)
        assert _error(lambda: mine + 1) == _error(lambda: theirs + 1)
        assert _error(lambda: mine | "x") == _error(lambda: theirs | "x")


def _error(call) -> tuple:
    """The exception's type and text `call()` raises (the value it returns, if none)."""
    try:
        return (None, call())
    except Exception as e:      # what the standard class raises, compared
        return (type(e), str(e))


def pickle_same(member) -> bool:
    import pickle
    back = pickle.loads(pickle.dumps(member))
    return type(back) is type(member) and back == member and back.name == member.name


def test_the_state_codec_saves_and_loads_the_kernels_enums():
    from ipemu import state
    enums = _kernel_enums()
    for _, _, made in enums.MADE:
        for member in list(made) + [made(0)] if issubclass(made, enums.IntFlag) else made:
            assert state.is_enum(member) and state.is_enum_class(type(member))
    iff = sys.modules["ipemu.kernel.netdev"].IFF
    both = iff.UP | iff.LOOPBACK
    assert type(both) is iff and both.name == "UP|LOOPBACK" and iff.UP in both
    assert repr(~iff.UP & both) == "<IFF.LOOPBACK: 8>" and type(both & 1) is iff


def test_a_restored_generator_draws_what_the_saved_one_would_have():
    """state.LazyRandom (random.Random made on first use): the same numbers as the
    generator it was saved from, one object shared as before, and saved again as
    the same state whether or not it drew first."""
    import random

    from ipemu import state
    from ipemu.session import Session
    session = Session.create(scenario="default", seed=7)
    doc = state.document(session)
    restored, again = state.from_document(doc), state.from_document(doc)
    rng = restored.host.rng
    assert type(rng) is state.LazyRandom
    assert all(ns.rng is rng for ns in restored.host.namespaces.values())
    assert state.document(restored) == doc      # saved without a draw: the same state
    real = random.Random()
    real.setstate(session.host.rng.getstate())
    draws = [rng.getrandbits(16), rng.randrange(32768, 61000), rng.random()]
    assert draws == [real.getrandbits(16), real.randrange(32768, 61000), real.random()]
    assert state.document(restored) != doc and \
        state.from_document(state.document(restored)).host.rng.random() == real.random()
    assert again.host.rng.getrandbits(16) == draws[0]


def test_the_deferred_classes_can_become_themselves():
    """state.DEFERRED: a snapshot's object of one of them starts as a state._Deferred
    and becomes its class by `__class__` assignment (the same plain layout), and
    every special method the class has of its own a stand-in answers by becoming it."""
    from ipemu import state
    generated = {"__module__", "__doc__", "__dict__", "__weakref__", "__annotations__",
                 "__init__", "__repr__", "__eq__", "__hash__", "__match_args__",
                 "__plain_raw__", "__plain_params__", "__plain_fields__", "__transient__",
                 "__restore__", "__post_init__", "__getstate__", "__setstate__"}
    for name in state.DEFERRED:
        cls = state._load_class(name)
        stand_in = state._deferred_class(name)
        assert "__slots__" not in vars(cls) and cls.__basicsize__ == stand_in.__basicsize__
        assert cls.__dictoffset__ == stand_in.__dictoffset__ and \
            cls.__weakrefoffset__ == stand_in.__weakrefoffset__
        for klass in cls.__mro__[:-1]:
            own = {n for n in vars(klass) if n.startswith("__") and n.endswith("__")
                   and not n.startswith("__plain_")}      # plainclass's own
            assert own - generated <= set(vars(state._Deferred)), (name, own - generated)


def test_a_snapshots_deferred_objects_become_their_class_when_their_module_loads():
    """In a fresh process, `ip link show` on a restored host imports none of the
    modules of the deferred classes (nor ipaddress); the first import of one, by any
    path, makes every stand-in of its classes its class before anything can test
    one (isinstance() sees the class), and the host then prints and saves as a host
    decoded at once does."""
    _one_shot("true")       # the booted host cached
    code = """if True:
        import sys
        from ipemu import cli, state
        from ipemu.session import Session
        session = Session.create(scenario="default")
        term, status = cli._run_tool(session, ["ip", "link", "show"])
        assert status == 0 and "eth0" in term.chunks[0][1]
        lazy = ("ipaddress", "ipemu.kernel.addr", "ipemu.kernel.fib",
                "ipemu.kernel.fib_rules", "ipemu.kernel.mcast", "ipemu.kernel.neigh",
                "ipemu.kernel.dev", "ipemu.kernel.addrconf", "ipemu.kernel.stack")
        found = [m for m in lazy if m in sys.modules]
        assert not found, found
        ns = session.host.init_ns
        tables = list(ns.tables.values())
        assert tables and all(isinstance(t, state._Deferred) for t in tables)
        from ipemu.kernel.fib import FibTable      # a plain import: they are FibTables
        assert all(type(t) is FibTable for t in tables)
        assert not any(isinstance(t, state._Deferred) for t in ns.tables.values())
        import ipemu.kernel.addr
        doc = state.document(session)
        eager = state.from_document(doc)
        assert state.document(eager) == doc
        for line in ("ip -d addr", "ip route show table all", "ip -6 route", "ip rule",
                     "ip neigh", "ip maddr"):
            assert session.run_line(line)[0].chunks == eager.run_line(line)[0].chunks, line
        from ipemu.kernel import fib, records_more     # fib's names there: fib's own
        assert records_more.RTN.LOCAL is fib.RTN.LOCAL and records_more.RTN is fib.RTN
        print("ok")
    """
    root = os.path.dirname(codebundle.ROOT)
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True,
                          text=True, check=False, env=dict(os.environ, PYTHONPATH=root))
    assert done.stdout == "ok\n", done.stderr[-2000:]


def test_a_namespace_gets_the_parts_it_was_not_made_with_on_first_use():
    """NetNamespace is made of the parts a restored host needs first; the first
    look-up of another part's name (on an object or on the class) makes it of all
    of them, as the class statement would list them: no two parts define a name, so
    each name is the same object in any order."""
    code = """if True:
        import sys
        from ipemu.kernel import netns
        NS = netns.NetNamespace
        assert netns._LazyParts in NS.__bases__ and "ipemu.kernel.dev" not in sys.modules
        early = {n: getattr(NS, n) for n in dir(NS) if not n.startswith("__")}
        NS.create_device                    # a part's method on the class
        assert NS.__bases__ == tuple(getattr(sys.modules[m], c) for m, c in netns._PARTS)
        assert all(getattr(NS, n) is v or getattr(NS, n) == v for n, v in early.items())
        seen = {}
        for part in NS.__bases__:
            for n in vars(part):
                if not (n.startswith("__") and n.endswith("__")):
                    assert n not in seen, (n, part, seen.get(n))
                    seen[n] = part
                else:
                    assert n in ("__module__", "__doc__", "__dict__", "__weakref__"), n
        print("ok")
    """
    root = os.path.dirname(codebundle.ROOT)
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True,
                          text=True, check=False, env=dict(os.environ, PYTHONPATH=root))
    assert done.stdout == "ok\n", done.stderr[-2000:]


def test_a_snapshots_packet_path_is_restored_on_first_use():
    """In a fresh process (the modules not imported), a booted host's stack, counters
    and world come from the snapshot deferred; the first use makes each its class,
    restored once and shared as before, and the host saves as it was saved."""
    _one_shot("true")       # the booted host cached
    code = """if True:
        import sys
        from ipemu import state
        from ipemu.session import Session
        session = Session.create(scenario="default")
        ns = session.host.init_ns
        assert "ipemu.kernel.stack" not in sys.modules, "imported"
        stack = ns._stack
        assert isinstance(stack, state._Deferred) and \
            state._RAW[id(stack)][2] == "ipemu.kernel.stack:Stack"     # what it will be
        assert ns.stack is stack and isinstance(stack, state._Deferred)
        from ipemu.kernel import stack as module
        assert type(stack) is module.Stack      # made its class as its module loaded
        assert stack.arp.owner is stack and ns.stack is stack
        doc = state.document(session)          # the rest made their class to be saved
        again = state.from_document(doc)
        assert state.document(again) == doc
        assert type(again.host.init_ns._stack) is module.Stack
        print("ok")
    """
    root = os.path.dirname(codebundle.ROOT)
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True,
                          text=True, check=False, env=dict(os.environ, PYTHONPATH=root))
    assert done.stdout == "ok\n", done.stderr[-2000:]


def test_an_installed_copy_is_keyed_by_its_record_and_a_checkout_by_its_files(
        tmp_path, monkeypatch):
    # this checkout (an editable install): no dist-info beside the package, so the
    # fingerprint stats the files and an edit is noticed
    assert codebundle._installed_record() is None
    from ipemu import __version__
    package = tmp_path / "ipemu"
    package.mkdir()
    (package / "codebundle.py").write_text("# a copy\n")
    record = tmp_path / f"ipemu-{__version__}.dist-info" / "RECORD"
    record.parent.mkdir()
    record.write_bytes(b"ipemu/__init__.py,sha256=a,1\nipemu/codebundle.py,sha256=b,2\n")
    os.utime(record, ns=(10**18, 10**18))
    monkeypatch.setattr(codebundle, "ROOT", str(package))
    monkeypatch.setattr(codebundle, "_FINGERPRINT", [])
    first = codebundle.fingerprint()
    assert codebundle._installed_record() is not None
    # an edit of the installed files is not looked for: the RECORD is the key
    (package / "codebundle.py").write_text("# edited in place\n")
    monkeypatch.setattr(codebundle, "_FINGERPRINT", [])
    assert codebundle.fingerprint() == first
    # a reinstall writes the RECORD again: another key
    record.write_bytes(b"ipemu/__init__.py,sha256=a,1\nipemu/codebundle.py,sha256=c,2\n")
    os.utime(record, ns=(10**18 + 1, 10**18 + 1))
    monkeypatch.setattr(codebundle, "_FINGERPRINT", [])
    assert codebundle.fingerprint() != first
    # without a RECORD beside it, the package's files are stat'ed
    record.unlink()
    monkeypatch.setattr(codebundle, "_FINGERPRINT", [])
    assert codebundle._installed_record() is None
    walked = codebundle.fingerprint()
    (package / "codebundle.py").write_text("# edited again, longer than before\n")
    monkeypatch.setattr(codebundle, "_FINGERPRINT", [])
    assert codebundle.fingerprint() not in (first, walked)


def test_a_deferred_module_imported_while_its_snapshot_decodes_wakes_at_the_end():
    """A live object of the snapshot that holds a value of a deferred module (an enum
    of fib) imports the module mid-decode: its stand-ins become their class once the
    whole document is filled (not half-way), and the host is the one decoded at once."""
    _one_shot("true")
    code = """if True:
        import marshal, os, sys
        from ipemu import scenarios, snapshot, state
        from ipemu.snapshot import cache_dir
        key = snapshot._key("default", snapshot.scenario_key("default"), 0)
        with open(os.path.join(cache_dir(), "hosts", key + ".marshal"), "rb") as fh:
            doc = marshal.loads(fh.read())      # the booted host's snapshot
        assert "ipemu.kernel.fib" not in sys.modules
        root = doc["table"][doc["root"]["$r"]]
        root["a"]["probe"] = {"$e": "ipemu.kernel.fib:Scope", "v": 254}
        lazy = state.from_document(doc, defer=True)
        assert "ipemu.kernel.fib" in sys.modules
        from ipemu.kernel.fib import FibTable
        assert all(type(t) is FibTable for t in lazy.host.init_ns.tables.values())
        eager = state.from_document(doc)
        assert state.document(lazy) == state.document(eager)
        assert lazy.run_line("ip route")[0].chunks == eager.run_line("ip route")[0].chunks
        print("ok")
    """
    root = os.path.dirname(codebundle.ROOT)
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True,
                          text=True, check=False, env=dict(os.environ, PYTHONPATH=root))
    assert done.stdout == "ok\n", done.stderr[-2000:]


def test_a_later_name_becomes_its_object_on_first_use():
    """kernel.Later: a module-level name of another module's object, imported by the
    first attribute look-up or call, which puts the object itself in its place."""
    from ipemu.kernel import Later
    from ipemu.kernel.records import RTM
    namespace: dict = {}
    namespace["RTM"] = Later("ipemu.kernel.records", "RTM", namespace)
    namespace["link_msg"] = Later("ipemu.kernel.records", "link_msg", namespace)
    assert namespace["RTM"].NEWLINK is RTM.NEWLINK and namespace["RTM"] is RTM
    with pytest.raises(AttributeError):
        namespace["link_msg"].no_such_attribute
    from ipemu.kernel.records import link_msg
    assert namespace["link_msg"] is link_msg
    call = {"f": Later("os.path", "join", {})}
    assert call["f"]("a", "b") == os.path.join("a", "b")


def test_the_records_of_addresses_and_routes_are_the_records_modules_names_too():
    """ipemu/kernel/records_more.py holds what records.py held of addresses, routes,
    netconf and neighbours: records answers for each of those names with the very
    object (PEP 562), and for nothing else it lacks."""
    from ipemu.kernel import netdev, netdev_priv, records, records_kinds, records_more
    own = {name for name, value in vars(records_more).items()
           if getattr(value, "__module__", None) == records_more.__name__
           or name in ("_NH_FLAGS", "_ROUTE_MSG_FIELDS")}
    assert own == set(records._MORE)
    for name in records._MORE:
        assert getattr(records, name) is getattr(records_more, name), name
    # so are the kinds' records, and netdev's private parts (saved as netdev's)
    kinds = {name for name, value in vars(records_kinds).items() if isinstance(value, type)
             and value.__module__ == records_kinds.__name__}
    assert kinds == set(records._KINDS)
    for name in records._KINDS:
        assert getattr(records, name) is getattr(records_kinds, name), name
    priv = {name for name, value in vars(netdev_priv).items() if isinstance(value, type)
            and value.__module__ == netdev.__name__}
    assert priv == set(netdev._PRIV)
    for name in netdev._PRIV:
        assert getattr(netdev, name) is getattr(netdev_priv, name), name
    assert netdev.KINDS["veth"].kind == "veth" and netdev.KINDS is netdev.KINDS
    for module in (records, netdev):
        with pytest.raises(AttributeError):
            module.no_such_record


def test_a_located_module_gets_the_spec_the_path_search_gives(monkeypatch):
    """BundleFinder._located_spec(): a module outside ipemu where the last run's
    search found it (its loader, origin and cached file the search's), only while
    sys.path and each folder ahead are as they were and its file is there."""
    import importlib.machinery
    finder = codebundle.BundleFinder("k", {}, None, 0, set())
    sys.meta_path.insert(0, finder)
    try:
        for name in ("__future__", "_heapq"):
            spec = importlib.machinery.PathFinder.find_spec(name)
            folder = os.path.dirname(spec.origin)
            monkeypatch.setitem(sys.modules, name, sys.modules.get(name) or
                                importlib.import_module(name))
            finder.served.clear()
            # only this module is looked at: _locate() walks every module the process
            # imported, a second in a test process that has run many tests
            finder.before = set(sys.modules) - {name}
            finder.located = codebundle._locate(finder)
            finder.located_finders = codebundle.finders_behind(finder)
            assert finder.located[name][0] == spec.origin
            got = finder.find_spec(name)
            assert (type(got.loader), got.origin, got.cached, got.has_location,
                    got.submodule_search_locations) == \
                (type(spec.loader), spec.origin, spec.cached, spec.has_location,
                 spec.submodule_search_locations)
            assert finder.find_spec(name, [folder]) is None     # a package's search
            # a folder ahead changed (a file added there may be found first)
            file, extension, entries = finder.located[name]
            finder.located[name] = (file, extension,
                                    entries[:-1] + ((entries[-1][0], 1),))
            assert finder.find_spec(name) is None
            finder.located[name] = (file, extension, entries)
            monkeypatch.setattr(sys, "path", ["/nonexistent"] + sys.path)
            assert finder.find_spec(name) is None
            monkeypatch.undo()
    finally:
        sys.meta_path.remove(finder)


def test_a_packaged_scenario_is_keyed_by_its_name_and_a_users_by_its_text(tmp_path):
    from ipemu import scenarios, snapshot
    assert snapshot.scenario_key("default") != snapshot.scenario_key("bare")
    own = tmp_path / "mine.toml"
    own.write_text(scenarios.source("bare"))
    assert snapshot.scenario_key(str(own)) == scenarios.source("bare")
    # an unknown name: the boot says so, as it did
    done = subprocess.run([sys.executable, "-m", "ipemu.cli", "--scenario", "nosuch",
                           "-c", "true"], capture_output=True, text=True)
    assert done.returncode == 2 and "unknown scenario 'nosuch'" in done.stderr


def test_a_snapshot_keeps_apart_what_the_stand_ins_lead_to():
    """state.split_later(): the entries a deferred decoding does not make are one
    marshal string read on first need; the split snapshot decodes, deferred or
    not, to the same host, whose lines answer as a freshly booted one's."""
    _one_shot("true")
    code = """if True:
        import marshal, os, sys
        from ipemu import snapshot, state
        key = snapshot._key("default", snapshot.scenario_key("default"), 0)
        with open(os.path.join(snapshot.cache_dir(), "hosts", key + ".marshal"), "rb") as fh:
            data = fh.read()
        doc = marshal.loads(data)
        assert doc["later"] and None in doc["table"]
        lazy = state.from_document(doc, defer=True)
        assert "ipemu.kernel.fib" not in sys.modules and None in doc["table"]
        from ipemu.session import Session
        boot = Session._boot("default", "default", 0)
        for line in ("ip -br link", "ip route", "ip addr", "ip rule", "ip neigh",
                     "ping -c 1 10.0.2.2"):
            assert lazy.run_line(line)[0].chunks == boot.run_line(line)[0].chunks, line
        whole = state.document(Session._boot("default", "default", 0))
        assert "later" not in whole and None not in whole["table"]
        assert state.from_document(marshal.loads(data)).host.init_ns.tables.keys() == \
            boot.host.init_ns.tables.keys()
        assert state.document(state.from_document(marshal.loads(data))) == \
            state.document(state.from_document(marshal.loads(data), defer=True))
        print("ok")
    """
    root = os.path.dirname(codebundle.ROOT)
    done = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True,
                          text=True, check=False, env=dict(os.environ, PYTHONPATH=root))
    assert done.stdout == "ok\n", done.stderr[-2000:]


def test_the_bundle_groups_the_modules_runs_import_together(monkeypatch, tmp_path):
    """codebundle._groups(): a group is unmarshalled whole at its first import; a run
    that imports only part of one splits it (the part, the rest), so the groups are
    modules every run so far imported all or none of. Each module's code is still
    its own file's."""
    finder = codebundle.BundleFinder("k", {"a": ("a.py", 0, 10, 0, 20, 20),
                                           "b": ("b.py", 0, 10, 1, 20, 20),
                                           "c": ("c.py", 0, 10, 2, 20, 20),
                                           "d": ("d.py", 10, 20, -1, 20, 20)},
                                     None, 0, set())
    monkeypatch.setitem(sys.modules, "a", sys)
    monkeypatch.setitem(sys.modules, "c", sys)
    assert sorted(map(sorted, codebundle._groups(finder, {}))) == [["a", "c"], ["b"], ["d"]]
    monkeypatch.setitem(sys.modules, "b", sys)
    assert codebundle._groups(finder, {}) is None       # all or none of each
    assert codebundle._groups(finder, {"e": ()})[-1] == ["e"]
    # its own bundle: the suite's other one-shot runs (other workers) record theirs
    monkeypatch.setenv("IPEMU_BUNDLE_FILE", str(tmp_path / "oneshot.marshal"))
    _one_shot("ip link show", dict(os.environ))
    _one_shot("ip link show", dict(os.environ))
    finder = _installed()
    try:
        entry = finder.modules["ipemu.kernel.netns"]
        assert entry[3] >= 0
        # imported together by every run so far
        assert finder.modules["ipemu.session"][1] == entry[1]
        assert finder.code_object("ipemu.kernel.netns") is \
            finder.groups[entry[1]][entry[3]]
    finally:
        sys.meta_path.remove(finder)


def test_a_module_located_under_another_sys_path_is_left_as_it_was(monkeypatch):
    """codebundle._locate(): a run under another sys.path (`python -m` from another
    folder) does not record the modules again (runs of both kinds would rewrite
    the bundle in turn); one under the same sys.path whose folder changed does."""
    finder = codebundle.BundleFinder("k", {}, None, 0, set())
    recorded = ("/nowhere/__future__.py", False, (("/elsewhere", 1),))
    finder.located = {"__future__": recorded}
    import __future__       # noqa: F401 - in sys.modules
    finder.before = set(sys.modules) - {"__future__"}     # only it is looked at
    assert "__future__" not in codebundle._locate(finder)
    finder.located = {"__future__": ("/nowhere/__future__.py", False,
                                     ((sys.path[0], 1),))}
    assert "__future__" in codebundle._locate(finder) or \
        os.path.dirname(sys.modules["__future__"].__file__) not in sys.path


def test_stats64_is_every_counter_of_linkstats_and_the_carrier_changes():
    """records.Stats64 is written out (not made from LinkStats's fields at import): its
    fields are LinkStats's, in order, then carrier_changes, every one an int of 0, and
    link_msg() fills it from a device's counters (LinkStats is slotted: its slots are
    its fields, in order, records._counters() reads them)."""
    from ipemu.kernel.netdev import LinkStats
    from ipemu.kernel.records import Stats64, _counters
    from ipemu.plainclass import fields
    assert [f.name for f in fields(Stats64)] == \
        [f.name for f in fields(LinkStats)] + ["carrier_changes"]
    assert list(LinkStats.__slots__) == [f.name for f in fields(LinkStats)]
    assert all(f.default == 0 and f.type in ("int", int) for f in fields(Stats64))
    stats = Stats64(*_counters(LinkStats(rx_bytes=5, tx_packets=2)), carrier_changes=3)
    assert (stats.rx_bytes, stats.tx_packets, stats.carrier_changes, stats.rx_nohandler) == \
        (5, 2, 3, 0)
    assert stats == Stats64(rx_bytes=5, tx_packets=2, carrier_changes=3) != Stats64()
    with pytest.raises(AttributeError):
        stats.rx_bytes = 1


def test_plainclass_settles_fields_as_dataclasses_does():
    """plainclass._settle()'s paths (a class of its own, a subclass, fields with and
    without field(), ClassVar, a name type or object has, a sentinel default) give the
    fields, defaults, class attributes, __match_args__ and errors of dataclasses."""
    import dataclasses

    from ipemu import plainclass
    sentinel = object()

    def bodies(dc, fld):
        class A:
            x: int
            y: "ClassVar[int]" = 3
            z: str = "z"
            w: tuple = (1, 2)
            v: object = sentinel
            u: list = fld(default_factory=list)
            t: int = fld(default=4, repr=False)
            s: int = fld(default=5, init=False)
            mro: int = 6

        class B(A):
            q: bytes = b"q"
            z: str = "zz"
        return dc(A), dc(B)

    def same(mine, std):
        m, s = plainclass.fields(mine), dataclasses.fields(std)
        assert [(f.name, f.default if f.default is not plainclass._MISSING else None,
                 f.init, f.repr) for f in m] == \
            [(f.name, f.default if f.default is not dataclasses.MISSING else None,
              f.init, f.repr) for f in s]
        assert mine.__match_args__ == std.__match_args__
        for name in ("x", "y", "z", "w", "v", "u", "t", "s", "mro", "q"):
            assert (name in mine.__dict__) == (name in std.__dict__), name
            assert getattr(mine, name, None) == getattr(std, name, None), name
    for mine, std in zip(bodies(plainclass.dataclass, plainclass.field),
                         bodies(dataclasses.dataclass, dataclasses.field)):
        same(mine, std)
        assert repr(mine(1)) == repr(std(1)).replace(std.__qualname__, mine.__qualname__)

    for lib in (plainclass, dataclasses):
        with pytest.raises(ValueError, match="mutable default"):
            class C:
                a: list = []
            lib.dataclass(C)
        with pytest.raises(TypeError, match="non-default argument 'b' follows default"):
            class D:
                a: int = 1
                b: int
            lib.dataclass(D)


def test_generated_methods_are_kept_for_the_next_process(tmp_path, monkeypatch):
    """plainclass's method store: a method compiled once is written beside the
    package's bytecode (not under PYTHONDONTWRITEBYTECODE), read back by the next
    process instead of compiled, and a stored file whose source is another's is not
    used."""
    import marshal
    import sys as _sys

    from ipemu import plainclass
    monkeypatch.setattr(plainclass, "_STORE", [str(tmp_path / "methods")])
    monkeypatch.setattr(plainclass, "COMPILED", {})
    monkeypatch.setattr(plainclass, "CODE", {})
    text = "def __init__(self, a, b=_dflt_b):\n  self.a = a\n  self.b = b"
    monkeypatch.setattr(_sys, "dont_write_bytecode", True)
    plainclass._code(text)
    assert not (tmp_path / "methods").exists()
    monkeypatch.setattr(_sys, "dont_write_bytecode", False)
    plainclass.COMPILED.clear()
    code = plainclass._code(text)
    stored = list((tmp_path / "methods").iterdir())
    assert len(stored) == 1 and marshal.loads(stored[0].read_bytes()) == (text, code)
    # the next process: nothing compiled, the stored code used
    plainclass.COMPILED.clear()
    monkeypatch.setattr(plainclass, "compile", lambda *a: pytest.fail("compiled again"),
                        raising=False)
    assert plainclass._code(text) == code
    # a file of that name holding another source is not that method's
    stored[0].write_bytes(marshal.dumps(("def other(): pass", code)))
    plainclass.COMPILED.clear()
    assert plainclass._stored(text) is None


def test_a_frozen_class_is_built_as_dataclasses_builds_it():
    """A frozen class's __init__ stores its fields into the instance's __dict__ when
    they all live there, past its __setattr__ otherwise (slots on the class or a
    base): either way the instance is the one dataclasses builds (values, defaults,
    factories, init=False fields, __post_init__, equality, hash) and stays frozen."""
    import dataclasses

    from ipemu.plainclass import FrozenInstanceError, dataclass, field

    def bodies(dc, fld, slots):
        class Base:
            if slots:
                __slots__ = ("extra",)

        @dc(frozen=True, slots=slots)
        class Msg(Base):
            a: int
            b: str = "b"
            c: list = fld(default_factory=list, hash=False)
            d: int = fld(default=7, init=False)

            def __post_init__(self):
                object.__setattr__(self, "b", self.b * 2)
        return Msg
    for slots in (False, True):
        mine, std = bodies(dataclass, field, slots), bodies(dataclasses.dataclass,
                                                            dataclasses.field, slots)
        for args in ((1,), (2, "x"), (3, "y", [4])):
            m, s = mine(*args), std(*args)
            assert (m.a, m.b, m.c, m.d) == (s.a, s.b, s.c, s.d)
            assert m == mine(*args) and hash(m) == hash(mine(*args))
            if not slots:
                assert {k: vars(m)[k] for k in "abc"} == vars(s)
            with pytest.raises(FrozenInstanceError):
                m.a = 9
            with pytest.raises(dataclasses.FrozenInstanceError):
                s.a = 9
        assert mine(1).c is not mine(1).c


def test_a_slotted_class_is_the_one_dataclass_slots_makes():
    """plainclass.slotted makes a `@dataclass(slots=True)` class once, with its
    __slots__ (NetDevice): the same names, slots, fields, defaults, __init__, repr,
    frozen and slot errors as the class made twice by the decoration alone."""
    from ipemu.plainclass import FrozenInstanceError, dataclass, field, fields, slotted

    def body(meta, frozen=False):
        class Dev(**meta):
            """doc"""
            ifindex: int
            name: str = "x"
            ports: list = field(default_factory=list)
            mc: int = field(default=3, repr=False)

            @property
            def kind(self) -> str:
                return self.name * 2
        return dataclass(slots=True, eq=False, frozen=frozen)(Dev)
    for frozen in (False, True):
        once, twice = body({"metaclass": slotted}, frozen), body({}, frozen)
        assert type(once) is type(twice) is type
        assert sorted(set(vars(once)) - {"_plain_slot_values_"}) == sorted(vars(twice))
        assert once.__slots__ == twice.__slots__ == ("ifindex", "name", "ports", "mc")
        assert once.__match_args__ == twice.__match_args__ and once.__doc__ == "doc"
        assert [(f.name, f.default, f.default_factory, f.repr) for f in fields(once)] == \
            [(f.name, f.default, f.default_factory, f.repr) for f in fields(twice)]
        a, b = once(1), twice(1)
        assert repr(a).replace(once.__qualname__, "Q") == repr(b).replace(twice.__qualname__, "Q")
        assert (a.kind, a.ports, a.mc) == (b.kind, b.ports, b.mc) == ("xx", [], 3)
        assert a != once(1) and not hasattr(a, "__dict__")
        with pytest.raises(FrozenInstanceError if frozen else AttributeError):
            a.other = 1
    with pytest.raises(TypeError):
        class Sub(int, metaclass=slotted):
            x: int
    from ipemu.kernel.netdev import NetDevice
    assert "_plain_slot_values_" in vars(NetDevice) and "__dict__" not in vars(NetDevice)


# a module of every kind of function the cold tables meet (codebundle._stub_out())
COLD_SOURCE = '''
import functools


def plain(a, b=2, *rest, c=3, **more):
    return (a, b, rest, c, more)


def gen(n):
    yield from range(n)


def never():
    return "never called"


def wrapping(f):
    @functools.wraps(f)
    def inner(*args, **kwargs):
        return ("wrapped", f(*args, **kwargs))
    return inner


def hiding(f):
    def inner(*args, **kwargs):
        return ("hidden", f(*args, **kwargs))
    return inner


@wrapping
def wrapped(x):
    return x + 1


@hiding
def hidden(x):
    return x * 2


class Base:
    def hello(self):
        return "base"


class Child(Base):
    def hello(self):
        return "child of " + super().hello()

    @staticmethod
    def static(x):
        return -x

    @classmethod
    def build(cls, v):
        return (cls.__name__, v)

    @property
    def value(self):
        return self._v

    @value.setter
    def value(self, v):
        self._v = v * 10

    def _twice(n):
        return 2 * n
    TWICE = _twice(21)

    class Inner:
        def deep(self):
            return __class__.__qualname__
'''


def _cold_module():
    code = compile(COLD_SOURCE, "cold.py", "exec")
    cold: dict = {}
    lazy = codebundle._stub_out(code, cold)
    finder = codebundle.BundleFinder("k", {"cold": ("cold.py", 0, 0, -1, 0, 0)},
                                     None, 0, set())
    finder.cold["cold"] = cold
    namespace = {"__name__": "cold"}
    namespace[codebundle.WAKE] = finder.waker("cold", namespace)
    exec(lazy, namespace)      # noqa: S102 - the test's own source
    return code, lazy, cold, finder, namespace


def test_a_cold_function_is_its_own_function_once_called():
    """codebundle: a function no run has called is a stub in its module's code, its
    real code in the module's cold table; the function object is the one its module
    makes (name, defaults, decorators) and its first call puts the real code in it,
    wherever it is (a method, a property's setter, a staticmethod, a functools
    wrapper, a decorator's closure, a class body's helper called before the class
    has its name) and whatever it uses (super(), __class__, a generator)."""
    code, lazy, cold, finder, ns = _cold_module()
    plain = ns["plain"]
    assert codebundle.WAKE in plain.__code__.co_names
    assert (plain.__name__, plain.__qualname__, plain.__defaults__,
            plain.__kwdefaults__) == ("plain", "plain", (2,), {"c": 3})
    assert {key[0] for key in cold} == {
        "plain", "gen", "never", "wrapping", "hiding", "wrapped", "hidden", "Base.hello",
        "Child.hello", "Child.static", "Child.build", "Child.value", "Child._twice",
        "Child.Inner.deep"}
    assert ns["Child"].TWICE == 42
    assert plain(1) == (1, 2, (), 3, {})
    assert plain(1, 5, 6, c=7, d=8) == (1, 5, (6,), 7, {"d": 8})
    assert list(ns["gen"](3)) == [0, 1, 2]
    assert ns["wrapped"](1) == ("wrapped", 2)
    assert ns["hidden"](2) == ("hidden", 4)
    child = ns["Child"]()
    assert child.hello() == "child of base"
    assert (ns["Child"].static(3), ns["Child"].build(1)) == (-3, ("Child", 1))
    child.value = 2
    assert child.value == 20
    assert ns["Child"].Inner().deep() == "Child.Inner"
    # the real code is in the functions themselves now: no stub on their way
    real = {c.co_name: c for c in code.co_consts if isinstance(c, codebundle.CodeType)}
    assert plain.__code__ == real["plain"]
    assert ns["Child"].__dict__["hello"].__code__.co_name == "hello"
    assert codebundle.WAKE not in ns["Child"].__dict__["hello"].__code__.co_names
    woken = finder.woken["cold"]
    assert len(woken) == len(cold) - 1 and "never" not in {key[0] for key in woken}
    # the module's code with the woken ones written in: only `never` a stub
    again = codebundle._stubs_replaced(lazy, woken.get)
    stubs = []

    def walk(c):
        for k in c.co_consts:
            if isinstance(k, codebundle.CodeType):
                if codebundle.WAKE in k.co_names:
                    stubs.append(k.co_qualname)
                walk(k)
    walk(again)
    assert stubs == ["never"]
    # and with every one written in, the code its file compiles to
    assert codebundle._stubs_replaced(lazy, lambda key: marshal.loads(cold[key])) == code
    # given the module as its code made it, a function its name does not find
    # stays in the module's code (the decorator that hid it called it directly)
    plain_ns: dict = {"__name__": "cold"}
    exec(code, plain_ns)        # noqa: S102 - the test's own source
    kept: dict = {}
    codebundle._stub_out(code, kept, plain_ns)
    assert {key[0] for key in cold} - {key[0] for key in kept} == {"hidden"}


def test_a_run_writes_the_functions_it_called_into_their_modules(monkeypatch, tmp_path):
    """The first run keeps every function of the modules it imported from their files
    cold; the next one wakes what the line calls and writes those into the modules'
    code; from then on the same line wakes nothing and the bundle is not written."""
    bundle = tmp_path / "oneshot.marshal"
    monkeypatch.setenv("IPEMU_BUNDLE_FILE", str(bundle))
    env = dict(os.environ)
    runs = [_one_shot("ip link show", env) for _ in range(2)]
    written = bundle.read_bytes()
    runs.append(_one_shot("ip link show", env))
    assert bundle.read_bytes() == written
    off = _one_shot("ip link show", dict(env, IPEMU_NO_BUNDLE="1"))
    assert [r.stdout for r in runs] == [off.stdout] * 3 and off.stdout.startswith("1: lo:")
    finder = _installed()
    try:
        cold = {key[0] for key in finder.cold_table("ipemu.tools.ip_link")}
        assert "do_iplink" not in cold         # the line's
        assert {"modify", "build_request", "parse"} <= cold     # `ip link add`'s
    finally:
        sys.meta_path.remove(finder)
        if finder.fd is not None:
            os.close(finder.fd)
