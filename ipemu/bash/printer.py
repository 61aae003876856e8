"""Commands as bash prints them back (print_cmd.c): what `jobs` and the job notices
show, re-made from the syntax tree (`( sleep 1; echo hi )`, `{ sleep 1; }`,
`a && b`, `x | y`), not the text as typed."""
from __future__ import annotations

from ipemu.bash import ast

INDENT = "    "


def command_text(node) -> str:
    """One and-or list (or any node) in print_cmd.c's form."""
    if isinstance(node, ast.AndOr):
        text = _pipeline(node.first)
        for op, pipeline in node.rest:
            text += f" {op} {_pipeline(pipeline)}"
        return text
    if isinstance(node, ast.CList):
        return _list(node)
    return _command(node)


def pipeline_stages(and_or: ast.AndOr) -> list[str]:
    """The commands of a job that is one pipeline, each as bash keeps it for its
    process (make_child()'s command string); [] for anything else."""
    if and_or.rest or and_or.first.bang or and_or.first.timed or \
            len(and_or.first.commands) < 2:
        return []
    return [_command(c) for c in and_or.first.commands]


def _list(clist: ast.CList, sep: str = "; ") -> str:
    parts = []
    for and_or, background in clist.items:
        parts.append(command_text(and_or) + (" &" if background else ""))
    out = ""
    for i, part in enumerate(parts):
        out += part
        if i < len(parts) - 1:
            out += " " if part.endswith("&") else sep
    return out


def _pipeline(pipeline: ast.Pipeline) -> str:
    text = " | ".join(_command(c) for c in pipeline.commands)
    if pipeline.timed:
        text = "time " + text
    return ("! " if pipeline.bang else "") + text


def _redirect(redirect: ast.Redirect) -> str:
    fd = "" if redirect.fd is None else str(redirect.fd)
    if redirect.heredoc is not None:
        return f"{fd}{redirect.op} {redirect.heredoc.delimiter}"
    if redirect.op in (">&", "<&") and (redirect.target.isdigit() or redirect.target == "-"):
        return f"{fd}{redirect.op}{redirect.target}"
    return f"{fd}{redirect.op} {redirect.target}"


def simple_text(cmd: ast.Simple) -> str:
    """A simple command as bash prints it back (print_simple_command()) for
    $BASH_COMMAND: its words as the parser keeps them, each `$(...)` printed again
    and a compound assignment's words one space apart (`x=$(ip r | grep x)`)."""
    from ipemu.bash.funcprint import reprint_assignment
    return " ".join([reprint_assignment(w) for w in list(cmd.assigns) + list(cmd.words)] +
                    [_redirect(r) for r in cmd.redirects])


def _simple(cmd: ast.Simple) -> str:
    return " ".join(list(cmd.assigns) + list(cmd.words) +
                    [_redirect(r) for r in cmd.redirects])


def _command(node) -> str:
    if isinstance(node, ast.Simple):
        return _simple(node)
    if isinstance(node, ast.FunctionDef):
        return f"{node.name} () \n{_command(node.body)}"
    if isinstance(node, ast.Compound):
        text = _compound(node.body)
        if node.redirects:
            text += " " + " ".join(_redirect(r) for r in node.redirects)
        return text
    return ""


def _compound(body) -> str:
    if isinstance(body, ast.Subshell):
        return f"( {_list(body.body)} )"
    if isinstance(body, ast.Group):
        return f"{{ {_list(body.body)}; }}"
    if isinstance(body, ast.For):
        words = " ".join(body.words) if body.words is not None else '"$@"'
        return f"for {body.name} in {words};\ndo\n{_block(body.body)}\ndone"
    if isinstance(body, ast.While):
        keyword = "until" if body.until else "while"
        return f"{keyword} {_list(body.cond)}; do\n{_block(body.body)}\ndone"
    if isinstance(body, ast.If):
        cond, then = body.branches[0]
        text = f"if {_list(cond)}; then\n{_block(then)}"
        for cond, then in body.branches[1:]:
            text += f"\nelse\n    if {_list(cond)}; then\n{_block(then)}"
        if body.orelse is not None:
            text += f"\nelse\n{_block(body.orelse)}"
        return text + "\nfi"
    if isinstance(body, ast.ArithCmd):
        return f"(({body.expr}))"
    if isinstance(body, ast.Cond):
        return "[[ " + " ".join(body.words) + " ]]"
    if isinstance(body, ast.ArithFor):
        return f"for (({body.init}; {body.cond}; {body.step}))\ndo\n{_block(body.body)}\ndone"
    if isinstance(body, ast.Case):
        items = "".join(f"\n{INDENT}{' | '.join(i.patterns)})\n{_block(i.body, 2)}\n"
                        f"{INDENT};;" for i in body.items if i.body is not None)
        return f"case {body.word} in {items}\nesac"
    return ""


def _block(clist: ast.CList | None, depth: int = 1) -> str:
    if clist is None:
        return ""
    pad = INDENT * depth
    lines = [pad + command_text(a) + (" &" if bg else ";") for a, bg in clist.items]
    return "\n".join(lines)
