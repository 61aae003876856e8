"""The public scripts of transcripts/scripts/ run by `ipemu run` too (issue 18): each
transcript writes a script with a here-document and runs it with `bash`; here the
same script file is given to `ipemu run` (a line at a time at the prompt, as a
learner pastes it), and what it prints, prompts aside, must be what the recorded
`bash SCRIPT` printed, whenever that run named no script line in an error (bash
says `SCRIPT: line N:` where the prompt says `bash:`)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

from ipemu.session import Session  # noqa: E402
from ipemu.transcript.check import normalize  # noqa: E402
from ipemu.transcript.runner import run_lines, script_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "transcripts" / "scripts"
HEREDOC = re.compile(r"cat > (\S+) <<'SCRIPT_EOF'\n(.*?)\nSCRIPT_EOF", re.S)
# `sh NAME` runs dash, whose ways the prompt (bash) does not share: only bash runs
# are compared
RUN = re.compile(r"^bash (\S+)(?:; echo \"status \$\?\")?$")


def _lines(path: Path) -> list[str]:
    """The transcript's command lines and its scripts' lines (for corpus.golden_slice())."""
    text = path.read_text(encoding="utf-8")
    return corpus.prompt_commands(path) + [line for m in HEREDOC.finditer(text)
                                           for line in m.group(2).splitlines()]


def _scripts(sliced: bool = False):
    """(transcript, script name, text, what its plain `bash NAME` run printed or None,
    the transcript's other script files: a script may source them, its profile), of
    every transcript or of the suite's slice of them (every one in the long run)."""
    paths = [p for p in sorted(ROOT.glob("*.txt")) if not corpus.needs_later_work(p)]
    for path in corpus.golden_slice(paths, _lines, code=[__file__]) if sliced else paths:
        tr = corpus.transcript(path)
        files = {}
        ran = set()         # only a script's first run starts from a fresh host
        for step in tr.steps:
            m = HEREDOC.match(step.command)
            if m:
                files[m.group(1)] = [m.group(2) + "\n", None]
                continue
            run = RUN.match(step.command)
            if run and run.group(1) in files and run.group(1) not in ran:
                files[run.group(1)][1] = step.output
            ran.update(name for name in files
                       if re.match(rf"(?:bash|sh) {re.escape(name)}\b", step.command))
        profile = tr.header.get("profile", "default")   # the recording kernel's drivers
        for name, (text, recorded) in files.items():
            others = {n: t for n, (t, _) in files.items() if n != name}
            yield path.stem, name, text, recorded, others, profile


def round_cases(prefix: str) -> list:
    """_scripts() of one round's transcripts (every one, not the suite's slice)."""
    return [c for c in _scripts() if c[0].startswith(prefix)]


def output_of(text: str, scenario: str = "bare") -> str:
    """What `text`'s lines print, given to `ipemu run` on a fresh host, prompts left out
    (the rounds' tests of one behaviour each)."""
    session = Session.create("default", scenario, "oracle", 0, None)
    transcript, _ = run_lines(session, text.splitlines(), "oracle")
    return "".join(line for line in transcript.splitlines(keepends=True)
                   if not line.startswith("[root@oracle ~]# "))


def _run(script: str, others: dict[str, str], profile: str = "default") -> str:
    session = Session.create(profile, "bare", "oracle", 0, None)
    for name, text in others.items():
        # a script in a directory the transcript made first (`mkdir -p vnet/bin`)
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            folder = session._path("/".join(parts[:i]))
            if not session.fs.is_dir(folder):
                session.fs.make_dir(folder)
        session.write_file(name, text.encode())
    transcript, _ = run_lines(session, script_lines(script), "oracle")
    return transcript


def _compared(script: str, recorded: str | None) -> bool:
    """The plain `bash NAME` run printed what the prompt prints too: no script line
    named in an error, no `$0`, no `set -v` (it echoes the blank and comment lines
    too, which the paste leaves out)."""
    return recorded is not None and ": line " not in recorded and "$0" not in script \
        and not re.search(r"^\s*set -[a-zA-Z]*v", script, re.M)


# one run of each script serves both checks (each run cost the suite twice)
@pytest.mark.parametrize("case, name, script, recorded, others, profile",
                         [pytest.param(*c, id=f"{c[0]}:{c[1]}") for c in _scripts(sliced=True)])
def test_ipemu_run_takes_the_script_and_prints_what_bash_printed(case, name, script, recorded,
                                                                  others, profile):
    transcript = _run(script, others, profile)
    assert "ipemu: internal error" not in transcript and "Traceback" not in transcript
    if not _compared(script, recorded):
        return
    printed = "".join(line for line in transcript.splitlines(keepends=True)
                      if not line.startswith(("[root@oracle ~]# ", "> ")))
    recorded = re.sub(r"status \d+\n\Z", "", recorded)
    printed, recorded = normalize([printed], [script])[0], normalize([recorded], [script])[0]
    if re.search(r"^\s*exit\b", script, re.M):
        # an `exit` would end the pasting shell; the lines after it still run here,
        # so what bash printed is where the prompt's output starts
        assert printed.startswith(recorded)
    else:
        assert printed == recorded


def test_there_are_ten_public_scripts():
    assert len({case for case, *_ in _scripts()}) >= 10
    # and what bash printed is compared for a good part of them
    assert sum(_compared(script, recorded) for _, _, script, recorded, *_ in _scripts()) >= 30
