"""The suite's slice of the recorded corpora (tests/corpus.py: golden_slice()): every
kind of command line two cases hold is replayed, the cover is the one a full scan
picks, and the slice kept on disk is the one worked out."""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def full_scan_cover(items, kinds, cost):
    """covering() as it was first written: a scan of every item for each pick."""
    items = list(items)
    held = [frozenset(kinds(item)) for item in items]
    costs = [cost(item) for item in items]
    left = set().union(*held)
    chosen = set()
    while left:
        best = max(range(len(items)), key=lambda i: (len(held[i] & left), -costs[i], -i))
        chosen.add(best)
        left -= held[best]
    return [item for i, item in enumerate(items) if i in chosen]


def test_the_lazy_cover_picks_what_the_full_scan_picks():
    rng = random.Random(19)
    for _ in range(400):
        items = list(range(rng.randint(0, 30)))
        kinds = {i: {rng.randint(0, 15) for _ in range(rng.randint(0, 5))} for i in items}
        costs = {i: rng.randint(1, 3) for i in items}
        assert corpus.covering(items, kinds.__getitem__, costs.__getitem__) == \
            full_scan_cover(items, kinds.__getitem__, costs.__getitem__)


def test_command_kinds_are_tools_options_and_object_words():
    kinds = corpus.command_kinds("NS=a ip -br -4 addr show dev veth0 | grep -w UP; "
                                 "x=$(tc qdisc show)")
    assert {"ip", "ip -br", "ip -4", "ip addr", "ip addr show", "grep", "grep -w",
            "tc", "tc qdisc", "tc qdisc show"} <= kinds
    assert not any("veth0" in k or "NS" in k for k in kinds)


def test_the_long_run_replays_every_case(monkeypatch):
    monkeypatch.setattr(corpus, "LONG", True)
    paths = list(corpus.paths())
    assert corpus.golden_slice(paths, corpus.prompt_commands) == paths


def test_one_slice_of_both_corpora_holds_every_kind_they_share(tmp_path, monkeypatch):
    """The transcripts and the oracle-format cases are sliced together: every kind of
    command line two cases of either hold is replayed by a case of one of them, and
    each corpus keeps its own sample."""
    monkeypatch.setattr(corpus, "LONG", False)
    monkeypatch.setattr(corpus, "_SLICES", tmp_path)
    corpus.golden_replayed.cache_clear()
    try:
        chosen = corpus.golden_replayed()
    finally:
        corpus.golden_replayed.cache_clear()
    texts = {p: corpus.prompt_commands(p) for p in corpus.paths()}
    texts.update({p: corpus.oracle_case_lines(p) for p in corpus.oracle_cases()})
    held = {p: set().union(*map(corpus.command_kinds, lines)) for p, lines in texts.items()}
    count: dict[str, int] = {}
    for kinds in held.values():
        for kind in kinds:
            count[kind] = count.get(kind, 0) + 1
    shared = {k for k, n in count.items() if n > 1}
    assert shared <= set().union(*(held[p] for p in chosen))
    assert all(p in chosen for p in texts if corpus.sampled(p))
    for group in (corpus.paths(), corpus.oracle_cases()):
        assert 0 < len([p for p in group if p in chosen]) < len(group) / 2
    # kept on disk, and read back the same; a changed corpus is another slice
    assert len(list(tmp_path.iterdir())) == 1
    paths = list(corpus.paths())
    assert corpus.golden_slice(paths, corpus.prompt_commands) == \
        corpus.golden_slice(paths, corpus.prompt_commands)
    corpus.golden_slice(paths[1:], corpus.prompt_commands)
    assert len(list(tmp_path.iterdir())) == 3


def test_the_kept_commands_are_the_parsed_ones():
    """corpus.commands() (kept on disk under a digest of the corpus and the code that
    splits it) are the steps' commands a parse finds: one transcript in 25 (every one
    in the long run) parsed afresh."""
    chosen = [p for p in corpus.paths() if corpus.LONG or corpus.sampled(p)]
    assert len(chosen) > 20
    for path in chosen:
        assert corpus.commands(path) == [s.command for s in corpus.transcript(path).steps]
    assert corpus._all_commands().keys() == set(corpus.paths())
