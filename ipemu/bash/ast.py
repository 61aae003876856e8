"""The shell language's syntax tree: what grammar/shell.lark parses, as plain data
(functions are kept in the shell's state, so a saved host keeps them)."""
from __future__ import annotations


from ipemu.bash.lexer import HereDoc
from ipemu.plainclass import dataclass, field


@dataclass
class Redirect:
    fd: int | str | None    # the IONUM before the operator ("{name}": bash picks one)
    op: str                 # >, >>, <, <<<, <<, <<-, >&, <&, &>, &>>, <>, >|
    target: str = ""        # the raw word
    heredoc: HereDoc | None = None


@dataclass
class Simple:
    assigns: list[str]
    words: list[str]
    redirects: list[Redirect]
    line: int = 0


@dataclass
class Compound:
    body: object
    redirects: list[Redirect] = field(default_factory=list)
    line: int = 0


@dataclass
class Pipeline:
    commands: list          # Simple | Compound | FunctionDef
    bang: bool = False
    line: int = 0
    timed: bool = False     # `time PIPELINE`


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)
    text: str = ""          # as written (`jobs` shows it)


@dataclass
class CList:
    items: list[tuple[AndOr, bool]]        # each and-or list, run in the background?


@dataclass
class Group:
    body: CList


@dataclass
class Subshell:
    body: CList
    end_line: int = 0    # the line of its `)`: make_subshell_command()'s line_number


@dataclass
class If:
    branches: list[tuple[CList, CList]]
    orelse: CList | None = None


@dataclass
class For:
    name: str
    words: list[str] | None      # None: "$@"
    body: CList
    line: int = 0
    select: bool = False         # `select NAME in ...`: a menu, a reply per round


@dataclass
class ArithFor:
    init: str
    cond: str
    step: str
    body: CList
    line: int = 0
    # the three expressions as the parser keeps them for xtrace: leading blanks
    # skipped, trailing ones kept (`for (( i++ ))` traces `(( i++  ))`)
    traced: tuple = ()


@dataclass
class While:
    cond: CList
    body: CList
    until: bool = False


@dataclass
class CaseItem:
    patterns: list[str]
    body: CList | None
    sep: str = ";;"


@dataclass
class Case:
    word: str
    items: list[CaseItem]
    line: int = 0


@dataclass
class ArithCmd:
    expr: str
    line: int = 0


@dataclass
class Cond:
    words: list[str]
    line: int = 0


@dataclass
class Coproc:
    """`coproc [NAME] COMMAND` (execute_cmd.c's execute_coproc())."""
    name: str
    source: str         # COMMAND as written, redirections and all
    line: int = 0


@dataclass
class FunctionDef:
    name: str
    body: Compound
    line: int = 0
    source: str | None = None    # the file it was defined in (None: `-c` or a prompt)
    keyword: str = ""            # "function" or "function()": bash's own forms (dash: errors)
