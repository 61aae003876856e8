from __future__ import annotations

import os

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


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per CPU (4 to 16). A third of the suite's wall time is
    live hosts waiting on real time (ping's 1 s interval, a terminal's output): with
    one worker per CPU a waiting worker leaves its CPU idle."""
    return min(16, max(4, 2 * (os.cpu_count() or 1)))
