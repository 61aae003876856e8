"""The Lark parsers ship as generated modules (ipemu/parsers/), never as code read
from a cache: each must match its grammar, and a start must read nothing executable
from a user-writable place (issue 16)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ipemu import lark_cache

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", lark_cache.GRAMMARS)
def test_generated_parser_matches_its_grammar(name):
    module = __import__(f"ipemu.parsers.{name}", fromlist=["GRAMMAR_SHA256"])
    assert module.GRAMMAR_SHA256 == lark_cache.grammar_digest(lark_cache.grammar_text(name)), (
        f"grammar/{name}.lark changed: run `python -m ipemu.lark_cache` and commit "
        f"ipemu/parsers/{name}.py")


def test_every_grammar_has_a_generated_parser():
    """Each grammar ships either as Lark's standalone parser (the shell, tcpdump's
    filter language) or as its LALR tables (the tools, ipemu/grammar_table.py)."""
    from ipemu import grammar_table
    grammars = {p.stem for p in (ROOT / "grammar").glob("*.lark")}
    assert grammars == set(lark_cache.GRAMMARS) | set(grammar_table.TOOLS)
    assert not set(lark_cache.GRAMMARS) & set(grammar_table.TOOLS)


def test_generated_shell_parser_parses_as_lark_does(monkeypatch):
    """The shipped tables give the syntax trees Lark itself builds from the grammar,
    for every command line of every recorded script (both fed by ipemu/bash's lexer)."""
    import lark
    from lark import Lark

    from ipemu.bash.parser import chunks
    # each distinct line once (a parse is a function of the text: the 18,000 lines
    # are 15,000 texts)
    files = sorted((ROOT / "transcripts").rglob("*.cmds"))
    lines = list(dict.fromkeys(ln for path in files
                               for ln in path.read_text(encoding="utf-8").splitlines()
                               if ln.strip() and not ln.startswith("#")))
    assert len(lines) > 500
    if not corpus.LONG:                           # the long run: every line
        everything = lines
        lines = corpus.kept_value("token-shapes", files, [ROOT / "ipemu" / "bash" / "lexer.py"],
                                  lambda: corpus.one_per_token_shape(everything))
        assert len(lines) > 500

    def trees(line: str) -> list:
        try:
            return [repr(c.tree) for c in chunks(line, 1, probe={})]
        except Exception as err:       # noqa: BLE001 - both sides must fail alike
            return [type(err).__name__, str(err)]

    shipped = [trees(line) for line in lines]
    reference = Lark(lark_cache.grammar_text("shell"), parser="lalr")
    reference.module = lark
    monkeypatch.setitem(lark_cache._LOADED, "shell", reference)
    for line, want in zip(lines, shipped):
        assert trees(line) == want, line


def test_a_planted_cache_file_is_never_run(tmp_path):
    """What the old cache exec'd: a marshal file in $IPEMU_CACHE_DIR. It must not run."""
    import marshal
    sentinel = tmp_path / "ran"
    code = compile(f"open({str(sentinel)!r}, 'w').close()", "<planted>", "exec")
    for name in lark_cache.GRAMMARS:
        for tag in ("", f".{sys.implementation.cache_tag}"):
            (tmp_path / f"{name}-planted{tag}.marshal").write_bytes(marshal.dumps(code))
    env = {"IPEMU_CACHE_DIR": str(tmp_path), "IPEMU_NO_SNAPSHOT": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "ipemu", "-c", "echo ok | grep ok"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.stdout == "ok\n"
    assert not sentinel.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".marshal", ".tmp")
                and "planted" not in p.name]


def test_the_grammars_share_one_lark_runtime():
    """ipemu/parsers/lark_runtime.py is Lark's standalone runtime, the same for every
    grammar; each grammar's module holds its tables only."""
    shipped = (ROOT / "ipemu" / "parsers" / "lark_runtime.py").read_text(encoding="utf-8")
    for name in lark_cache.GRAMMARS:
        runtime, _ = lark_cache._standalone(name)
        assert runtime in shipped, f"run `python -m ipemu.lark_cache` (lark_runtime for {name})"
        module = (ROOT / "ipemu" / "parsers" / f"{name}.py").read_text(encoding="utf-8")
        assert "class Lark(" not in module
