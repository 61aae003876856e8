"""The shell's shortcuts (issue 19) answer as the general code they stand for: the
parser's test for the end of a complete command (accepts_end() against lark's
accepts(), at every newline of every command line of the transcripts) and a
subshell's copy of the shell's state (ShellState.copy() against a plain deepcopy)."""
from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu.bash import parser  # noqa: E402
from ipemu.transcript.check import read_transcript  # noqa: E402
from ipemu.bash.state import ShellState  # noqa: E402
from ipemu.session import Session  # noqa: E402


COMPOUND = re.compile(r"[;&|(){}]|\b(if|for|while|until|case|function|select)\b")
HEREDOC = re.compile(r"<<-?\s*'?(\w+)'?\n(.*?)\n\1$", re.S | re.M)


def test_the_end_of_a_command_is_found_as_accepts_finds_it(monkeypatch):
    # the lines that hold more than one complete command or a compound one (a one-line
    # simple command asks once, at its end; a plain one not at all), and the scripts
    # the transcripts write with a here-document (run by `bash FILE`)
    commands = {c for path in corpus.paths() for c in corpus.commands(path)}
    lines = sorted({c for c in commands if "\n" in c or COMPOUND.search(c)} |
                   {m.group(2) for c in commands for m in HEREDOC.finditer(c)})
    if not corpus.LONG:         # the parser's steps hang on the token types alone
        lines = corpus.one_per_token_shape(lines)
    full_answers: dict[tuple, bool] = {}     # the answer hangs on the state stack alone
    in_table: set[tuple] = set()             # stacks whose state has $END in its table
    wrong = []
    fast = parser.accepts_end

    def both(interactive) -> bool:
        answer = fast(interactive)
        stack = tuple(interactive.parser_state.state_stack)
        if stack not in full_answers:
            full_answers[stack] = "$END" in interactive.accepts()
            if "$END" in interactive.choices():
                in_table.add(stack)
        if answer != full_answers[stack]:
            wrong.append(stack)
        return full_answers[stack]
    monkeypatch.setattr(parser, "accepts_end", both)
    for line in lines:
        try:
            for _ in parser.chunks(line + "\n", cached=False):
                pass
        except parser.ShellSyntaxError:
            pass
    assert not wrong
    # both answers were given in many states, and the one that needs the full try
    # ($END in the state's table, refused after the reductions) too
    refused = [s for s in in_table if not full_answers[s]]
    assert sum(full_answers.values()) >= 3 and len(refused) >= 10, full_answers


SCRIPT = """f() { local a=1 b; b=$(echo $a); echo "f $1 $b"; g() { echo inner; }; }
h() { declare -A m=([k]=v); m[x]=$1; echo ${m[x]} $(f h); }
arr=(1 2 3); export E=1; set -o pipefail; trap 'echo bye' EXIT
x=$(f one; arr[1]=9; unset E; h two; echo ${arr[1]})
( f sub; h sub; arr+=(4); f() { echo replaced; }; f )
echo $x ${arr[@]} $E; f after; g; type f | head -2
"""


def test_a_subshells_state_is_a_copy_that_shares_only_the_trees():
    session = Session.create("default", "bare", "h", 0)
    term, status = session.run_line(SCRIPT)
    assert status == 0 and "f after 1" in term.text() and "replaced" in term.text()
    state: ShellState = session.sh
    trees = copy.deepcopy(state.functions)
    assert {"f", "g", "h"} <= set(state.functions)
    for _ in range(2):      # the trees come out of a run as they went in
        assert session.run_line("( f x; h y ); echo $(f z)")[1] == 0
    assert state.functions == trees
    clone = state.copy()
    assert clone == copy.deepcopy(state)
    assert all(clone.functions[n] is state.functions[n] for n in state.functions)
    before = copy.deepcopy(state)
    clone.vars["arr"].array[0] = "changed"
    clone.vars["E"].value = "2"
    clone.functions.pop("f")
    clone.options.add("xtrace")
    clone.positional.append("p")
    clone.traps["EXIT"] = "other"
    assert state == before
    # inside a function: its frame's locals and what they hid, copied once each
    from ipemu.bash.state import Var
    hidden = Var("outer", array={0: "outer"})
    state.frames.append({"a": hidden, "b": None, "c": hidden})
    state.funcsources.append("s.sh")
    clone = state.copy()
    assert clone == copy.deepcopy(state)
    assert clone.frames[0]["a"] is clone.frames[0]["c"] is not hidden
    before = copy.deepcopy(state)
    clone.frames[0]["a"].array[1] = "more"
    clone.frames[0]["b"] = Var("new")
    clone.funcsources.append("t.sh")
    assert state == before


EDGES = ["cat <<EOF\na\n\tEOF\nEOF", "cat <<-EOF\na\n\t\tEOF\nb", "cat <<A <<B\n1\nA\n2\nB\nx",
         "cat <<'E F'\nE\nE F\nnext", "cat << EOF\n EOF\nEOF \nEOF\nz", "cat <<EOF; echo \"\na\nEOF\n\"",
         "for i in 1; do cat <<X\nX\ndone\nnext", "cat <<EOF\nEOF", "cat <<\\EOF\n$x\nEOF",
         "f() {\ncat <<E1\nin\nE1\n}\nf", "cat <<EOF | cat <<END\na\nEOF\nb\nEND\nc", "echo \\\nx"]


def _edge_transcripts() -> list[str]:
    out = []
    for text in EDGES:
        lines = text.split("\n")
        out.append("# edge\n[root@h ~]# " + lines[0] + "\n" +
                   "".join(f"> {line}\n" for line in lines[1:]) + "out\n[root@h ~]# true\n")
    return out


_HEREDOC_OP = re.compile(r"<<<|<<-?\s*(\\?['\"]?)\w*(['\"]?)")


def heredoc_kinds(path) -> set[str]:
    """The kinds of here-document a transcript holds: each operator's shape (`<<'W'`,
    `<<-W`, `<< W`, `<<<`...) and its body lines that still_inside() tells apart: a
    delimiter with blanks around it, a line that starts with the delimiter, a body
    with `<<` in it, two bodies after one line."""
    text = read_transcript(path)
    kinds = {re.sub(r"\w+", "W", m.group(0)) for m in _HEREDOC_OP.finditer(text)}
    for m in HEREDOC.finditer(text.replace("\n> ", "\n")):
        delim, body = m.group(1), m.group(2).split("\n")
        kinds |= {"blanks" for line in body if line.strip() == delim}
        kinds |= {"prefix" for line in body if line.startswith(delim)}
        kinds |= {"nested"} if "<<" in m.group(2) else set()
    kinds |= {"two"} if re.search(r"<<.*<<", text) else set()
    return kinds


def test_here_documents_are_read_line_by_line_as_parsed_whole(monkeypatch):
    """transcript.format.parse() and runner.script_lines() ask the parser again only
    at a line that may end a here-document (still_inside()): the commands they
    find are the ones asking at every line finds."""
    from ipemu.transcript.format import parse
    from ipemu.transcript.runner import script_lines
    # the transcripts with a here-document (in the others no line is skipped): in the
    # suite the fewest that hold every kind of it (every
    # one in the long run, IPEMU_LONG=1)
    with_heredoc = [p for p in corpus.paths() if "<<" in read_transcript(p)]
    chosen = corpus.cross_check_slice(with_heredoc, heredoc_kinds)
    assert set().union(*map(heredoc_kinds, chosen)) == \
        set().union(*map(heredoc_kinds, with_heredoc))
    texts = [read_transcript(p) for p in chosen] + _edge_transcripts()
    scripts = [m.group(2) for t in texts for m in HEREDOC.finditer(t.replace("\n> ", "\n"))
               if "<<" in m.group(2)] + EDGES
    fast = ([parse(t).steps for t in texts], [script_lines(s) for s in scripts])
    with monkeypatch.context() as m:
        m.setattr(parser, "still_inside", lambda line, delimiters: False)
        full = ([parse(t).steps for t in texts], [script_lines(s) for s in scripts])
    assert fast == full
    # long here-documents were met
    lines = sum(c.count("\n") for steps in fast[0] for c in (s.command for s in steps))
    assert lines > (3000 if corpus.LONG else 400), lines


def _tokens(text: str) -> list:
    from ipemu.bash.lexer import Lexer, LexError
    lexer = Lexer(text)
    out = []
    try:
        for tok in lexer.tokens():
            out.append((tok.type, tok.value, tok.line, tok.start, tok.end))
    except LexError as err:
        out.append((err.message, err.line))
    return out


def test_words_are_scanned_a_run_at_a_time_as_a_character_at_a_time(monkeypatch):
    """_scan_word() steps over a run of ordinary characters at once: the compound
    command lines and the scripts of the transcripts (every kind of word is in
    them) lex to the same tokens as stepping over one character at a time."""
    from ipemu.bash import lexer
    commands = {c for path in corpus.paths() for c in corpus.commands(path)}
    texts = sorted({c for c in commands if "\n" in c or COMPOUND.search(c)} |
                   {m.group(2) for c in commands for m in HEREDOC.finditer(c)})
    texts += ["a$", "x\\", "a'b'c\"d\"e`f`g$h${i}$(j)k", "é£$'\\xff'ab<(c)d>e", "w=(a b)c"]
    fast = [_tokens(t) for t in texts]
    one = re.compile(".", re.S)         # the loop's old step: the next character
    monkeypatch.setattr(lexer, "_ORDINARY_RUN", one)
    assert [_tokens(t) for t in texts] == fast


SCRIPT_EDGES = [
    "f() {\n  echo a\n}\nf", "for i in 1 2\ndo\n  echo $i\ndone\necho end",
    "if true; then\n echo 'a\nb'\nfi", "echo \"open\nx\ny", "case x in\n x) echo ;;\nesac\n",
    "while read l; do\n  echo $l\ndone <<EOF\n1\nEOF\necho after", "if true; then\n fi fi\necho x",
    "echo a \\\n  b \\\n  c\necho d", "{ echo a\n# comment\n\n  echo b; }\n# tail", "for x in\n",
    "f() {\n  cat <<-E\n\tbody }\n\tE\n}\nf",
]


def test_a_scripts_constructs_end_where_asking_at_every_line_ends_them(monkeypatch):
    """runner.script_lines() finds the end of a construct over several lines by one
    parse of the rest of the script (_construct_end()): the commands are the ones
    asking incomplete_in() at every line finds (the scripts the transcripts write,
    and edges: syntax errors, unended quotes, here-documents, continuations)."""
    from ipemu.transcript import runner
    # one transcript in 25 (every one in the long run, IPEMU_LONG=1): asking at
    # every line is the slow way this shortcut replaces
    paths = corpus.paths() if corpus.LONG else [p for p in corpus.paths() if corpus.sampled(p)]
    scripts = [m.group(2) for p in paths
               for m in HEREDOC.finditer(read_transcript(p).replace("\n> ", "\n"))
               if "\n" in m.group(2)] + SCRIPT_EDGES
    fast = [runner.script_lines(s) for s in scripts]
    with monkeypatch.context() as m:
        m.setattr(runner, "_construct_end", lambda lines, i, first: None)
        full = [runner.script_lines(s) for s in scripts]
    assert fast == full
    constructs = sum(1 for commands in fast for c in commands if "\n" in c)
    assert constructs > (500 if corpus.LONG else 20), constructs     # they were met
