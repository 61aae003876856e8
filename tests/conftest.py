from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# modules of installed packages whose asserts are not the tests' (see pytest_configure)
NOT_REWRITTEN = ("ipemu", "hypothesis", "_hypothesis_pytestplugin", "_hypothesis_globals",
                 "xdist")


def pytest_configure(config: pytest.Config) -> None:
    """pytest rewrites the asserts of every module of each distribution that installs a
    pytest plugin (ipemu's transcripts, hypothesis, xdist): about 180 modules parsed,
    rewritten and compiled in every process (3 s of CPU in each xdist worker, where no
    .pyc may be written). Their asserts are not the tests': only the tests' are
    rewritten. (pytest's private set, looked up with care: if it moves, only time is
    lost.)"""
    hook = getattr(config.pluginmanager, "rewrite_hook", None)
    marked = getattr(hook, "_must_rewrite", None)
    cache = getattr(hook, "_marked_for_rewrite_cache", None)
    if isinstance(marked, set) and isinstance(cache, dict):
        marked.difference_update(NOT_REWRITTEN)
        cache.clear()
    _keep_rewritten_tests(config)
    _keep_bytecode(config)
    config.pluginmanager.register(_TranscriptSlice(), "ipemu-transcript-slice")


def _keep_bytecode(config: pytest.Config) -> None:
    """With PYTHONDONTWRITEBYTECODE set and no .pyc beside the sources, every test
    process compiled each module of ipemu it imported from source, every run: ~0.5 s
    of CPU a process for ipemu's ~290 modules (the controller and each xdist worker).
    Their bytecode is kept in pytest's cache directory instead
    (.pytest_cache/d/pycache, Python's own `pycache_prefix` layout, checked against
    each source's mtime and size as any .pyc is); the source tree still gets none.
    Only this process's imports: the programs the tests start keep their own
    environment (`ipemu -c` has its code bundle)."""
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return
    cache = getattr(config, "cache", None)
    if cache is None:
        return
    try:
        prefix = str(cache.mkdir("pycache"))
    except OSError:
        return
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False


class _RewriteSys:
    """The `sys` pytest's assertion rewriter sees: the real one, except that it may
    write its rewritten test modules, under `pycache_prefix`."""

    def __init__(self, prefix: str) -> None:
        self.dont_write_bytecode = False
        self.pycache_prefix = prefix

    def __getattr__(self, name: str):
        return getattr(sys, name)


def _keep_rewritten_tests(config: pytest.Config) -> None:
    """With PYTHONDONTWRITEBYTECODE set (no .pyc beside the sources), pytest rewrote
    the asserts of all 70 test modules in every process, every run: ~1.3 s of CPU
    in each xdist worker. The rewritten code goes to pytest's own cache directory
    instead (.pytest_cache/d/rewritten, which pytest writes anyway), where pytest
    finds it again by the source's hash; the source tree gets no .pyc. Only the
    rewriter's view of `sys` changes (not the flag itself: ipemu's own imports still
    write nothing); without the cache plugin (-p no:cacheprovider) nothing changes."""
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return
    cache = getattr(config, "cache", None)
    try:
        from _pytest.assertion import rewrite
        prefix = str(cache.mkdir("rewritten")) if cache is not None else None
    except (ImportError, OSError):
        return
    if prefix is not None and getattr(rewrite, "sys", None) is sys:
        rewrite.sys = _RewriteSys(prefix)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per CPU (4 to 16). A third of the suite's wall time is
    live hosts waiting on real time (ping's 1 s interval, a terminal's output): with
    one worker per CPU a waiting worker leaves its CPU idle."""
    return min(16, max(4, 2 * (os.cpu_count() or 1)))


# The tests that take longest on the wall clock (a browser, a
# host on real time, a terminal on a pty, a line of megabytes), longest first: they
# start the run, so that with -n no worker is left running one of them alone at its
# end (`--dist worksteal` then evens out the quick ones). Only the order changes.
FIRST = (
    "tests/test_web.py::test_run_typed_keys",
    "tests/test_web.py::test_a_lab_checked",
    "tests/test_web.py::test_the_folder_is_small",
    "tests/test_shim.py::test_seed_steps",
    "tests/test_labs.py::test_a_lab_in_a_pseudo_terminal",
    "tests/test_robust_parsers.py::test_generated_shell_parser",
    "tests/test_robust.py::test_a_line_of_megabytes",
    "tests/test_shell_pty.py::test_a_pipeline_streams",
    "tests/test_live.py::test_two_terminals_tcpdump",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    rank = {}
    for item in items:
        for i, prefix in enumerate(FIRST):
            if item.nodeid.startswith(prefix):
                rank[item.nodeid] = i
                break
    if rank:
        items.sort(key=lambda item: rank.get(item.nodeid, len(FIRST)))   # stable


class _TranscriptSlice:
    """The transcripts' replays outside the suite's slice of them (tests/corpus.py:
    golden_replayed()) are not collected (a transcript named on the command line
    still is); the long run (IPEMU_LONG=1) collects them all. A plugin, not this
    file's hook: a conftest's collection hooks see only the files under its folder."""

    @staticmethod
    def pytest_ignore_collect(collection_path: Path, config: pytest.Config):
        if collection_path.suffix != ".txt":
            return None
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import corpus       # here: ipemu's modules load after _keep_bytecode()
        if corpus.LONG or corpus.TRANSCRIPTS not in collection_path.parents:
            return None
        return collection_path not in corpus.transcripts_replayed() or None


# the collector's first threshold (CPython's 700): a test allocates millions of
# objects (a replay's tokens, trees, records), few of them in cycles
GC_THRESHOLD = (10_000, 20, 20)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection made (the items, the test modules, ipemu's modules and the
    corpus headers) lives to the end: frozen (gc.freeze(), as `ipemu -c` freezes its
    start: ipemu/cli.py), the collector no longer walks it; and it runs at every
    10,000 allocations net, not 700. About 8% of a replay's CPU was the collector's
    (0.64 s of 7.9 s for a third of the transcripts, 0.29 s so); what it frees is the
    same, later."""
    gc.set_threshold(*GC_THRESHOLD)
    gc.freeze()

