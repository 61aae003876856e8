"""A function as bash prints it back (print_cmd.c's named_function_string(): `type
NAME`, `declare -f NAME`): the body re-made from the syntax tree, one command a line,
four spaces a level, `;` after each but the last of a group."""
from __future__ import annotations

from ipemu.bash import ast

PAD = "    "


def function_text(fn: ast.FunctionDef) -> str:
    body = fn.body.body if isinstance(fn.body, ast.Compound) else fn.body
    inner = body.body if isinstance(body, ast.Group) else \
        ast.CList([(ast.AndOr(ast.Pipeline([fn.body])), False)])
    return f"{fn.name} () \n{{ \n{_lines(inner, 1)}\n}}"


def _lines(clist: ast.CList, depth: int, last: str = "") -> str:
    """A list one command a line: `;` (or ` &`) between them, `last` after the
    last (`;` in the bodies of if, for and while)."""
    pad = PAD * depth
    items = clist.items
    out = pad
    for i, (and_or, background) in enumerate(items):
        out += _and_or(and_or, depth)
        if i < len(items) - 1:
            # print_command(): `&` joins the next command on the same line
            out += " & " if background else ";\n" + pad
        else:
            out += " &" if background else last
    return out


def _inline(clist: ast.CList, depth: int) -> str:
    """A condition on one line (`if a; b; then`)."""
    return "; ".join(_and_or(a, depth) + (" &" if bg else "") for a, bg in clist.items)


def _and_or(node: ast.AndOr, depth: int) -> str:
    text = _pipeline(node.first, depth)
    for op, pipeline in node.rest:
        text += f" {op} {_pipeline(pipeline, depth)}"
    return text


def _pipeline(pipeline: ast.Pipeline, depth: int) -> str:
    text = " | ".join(_command(c, depth) for c in pipeline.commands)
    if pipeline.timed:
        text = "time " + text
    return ("! " if pipeline.bang else "") + text


def _redirect(redirect: ast.Redirect) -> str:
    """print_redirection(): a duplication names both descriptors (`1>&2`), a file
    its own after the operator (`< /dev/null`, `2> /dev/null`)."""
    fd = redirect.fd
    op = redirect.op
    if op in (">&", "<&") and (redirect.target.isdigit() or redirect.target == "-"):
        default = 1 if op == ">&" else 0
        return f"{default if fd is None else fd}{op}{redirect.target}"
    if redirect.heredoc is not None:
        return f"{'' if fd is None else fd}{op} {redirect.heredoc.delimiter}"
    return f"{'' if fd is None else fd}{op} {redirect.target}"


def _command(node, depth: int) -> str:
    if isinstance(node, ast.Simple):
        return " ".join([reprint_assignment(w) for w in node.assigns + node.words] +
                        [_redirect(r) for r in node.redirects])
    if isinstance(node, ast.FunctionDef):
        return function_text(node)
    if isinstance(node, ast.Compound):
        text = _compound(node.body, depth)
        if node.redirects:
            text += " " + " ".join(_redirect(r) for r in node.redirects)
        return text
    return ""


def _compound(body, depth: int) -> str:
    pad = PAD * depth
    if isinstance(body, ast.Group):
        return f"{{ \n{_lines(body.body, depth + 1)}\n{pad}}}"
    if isinstance(body, ast.Subshell):
        return "( " + _lines(body.body, depth)[len(pad):] + " )"
    if isinstance(body, ast.For):
        words = " in " + " ".join(body.words) if body.words is not None else ""
        keyword = "select" if body.select else "for"
        return f"{keyword} {body.name}{words};\n{pad}do\n{_lines(body.body, depth + 1, ';')}" \
               f"\n{pad}done"
    if isinstance(body, ast.ArithFor):
        return f"for (({body.init}; {body.cond}; {body.step}))\n{pad}do\n" \
               f"{_lines(body.body, depth + 1, ';')}\n{pad}done"
    if isinstance(body, ast.While):
        keyword = "until" if body.until else "while"
        return f"{keyword} {_inline(body.cond, depth)}; do\n" \
               f"{_lines(body.body, depth + 1, ';')}\n{pad}done"
    if isinstance(body, ast.If):
        return _if(body.branches, body.orelse, depth)
    if isinstance(body, ast.Case):
        items = ""
        for item in body.items:
            items += f"{pad}{PAD}{' | '.join(item.patterns)})\n"
            if item.body is not None and item.body.items:
                items += _lines(item.body, depth + 2) + "\n"
            items += f"{pad}{PAD}{item.sep}\n"
        return f"case {body.word} in \n{items}{pad}esac"
    if isinstance(body, ast.ArithCmd):
        return f"(({body.expr}))"
    if isinstance(body, ast.Cond):
        return "[[ " + " ".join(body.words) + " ]]"
    return ""


def _if(branches, orelse, depth: int) -> str:
    """An elif is an if in the else part (print_if_command())."""
    pad = PAD * depth
    cond, then = branches[0]
    text = f"if {_inline(cond, depth)}; then\n{_lines(then, depth + 1, ';')}"
    if len(branches) > 1:
        text += f"\n{pad}else\n{PAD * (depth + 1)}{_if(branches[1:], orelse, depth + 1)};"
    elif orelse is not None:
        text += f"\n{pad}else\n{_lines(orelse, depth + 1, ';')}"
    return text + f"\n{pad}fi"


def reprint_comsubs(word: str) -> str:
    """A word with each `$(...)` as bash 5.2 keeps it: parse_comsub() parses the
    command when the word is read and puts back the command printed (`$(ip r |grep
    x)` becomes `$(ip r | grep x)`); `type`, `declare -f` and xtrace of words shown
    as written see that text. A command on more lines, or one that does not parse,
    is left as it is; backquotes are never changed."""
    if "$(" not in word:
        return word
    out, i, quote = [], 0, ""
    while i < len(word):
        ch = word[i]
        if ch == "\\" and quote != "'":
            out.append(word[i:i + 2])
            i += 2
            continue
        if ch == "'" and quote != '"':
            quote = "" if quote == "'" else "'"
        elif ch == '"' and quote != "'":
            quote = "" if quote == '"' else '"'
        elif ch == "$" and quote != "'" and word.startswith("$(", i) and \
                not word.startswith("$((", i):
            end = _comsub_end(word, i + 2)
            printed = _printed(word[i + 2:end]) if end > 0 else None
            if printed is not None:
                out.append(f"$({printed})")
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _comsub_end(text: str, i: int) -> int:
    """The index of the `)` closing a `$(` whose command starts at `i`, or -1."""
    depth, quote = 1, ""
    while i < len(text):
        ch = text[i]
        if ch == "\\" and quote != "'":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _printed(command: str) -> str | None:
    """A command substitution's command printed again, or None to keep it: one
    line of commands (`; ` between them), or lines of simple commands (one a
    line, as bash prints the list it read)."""
    if command.lstrip().startswith("(") or "<<" in command or not command.strip():
        return None
    from ipemu.bash.parser import ShellSyntaxError, chunks
    try:
        trees = [c.tree for c in chunks(command) if c.tree is not None]
    except ShellSyntaxError:
        return None
    if not trees or "\n" not in command.strip() and len(trees) != 1:
        return None
    if len(trees) > 1 and not all(isinstance(c, ast.Simple) for tree in trees
                                  for and_or, _ in tree.items
                                  for p in [and_or.first, *(q for _, q in and_or.rest)]
                                  for c in p.commands):
        return None
    return "\n".join(_inline(tree, 0) for tree in trees)


def reprint_assignment(word: str) -> str:
    """`NAME=( WORDS )` as bash prints a compound assignment it read: the words one
    space apart, comments gone, each command substitution printed again; any
    other word with its command substitutions printed again."""
    import re
    m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*(?:\[[^]]*\])?\+?=)\((.*)\)", word, re.S)
    if m is None:
        return reprint_comsubs(word)
    from ipemu.bash.lexer import LexError, Lexer
    try:
        words = [t.value for t in Lexer(m.group(2)).tokens() if t.type in ("WORD", "ASSIGN")]
    except LexError:
        return word
    return f"{m.group(1)}({' '.join(reprint_comsubs(w) for w in words)})"
