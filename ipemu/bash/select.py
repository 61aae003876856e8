"""`select NAME in WORDS; do ...; done` (execute_cmd.c's execute_select_command):
the menu on stderr in print_select_list()'s columns, PS3, a reply read into REPLY,
NAME set to the chosen word (empty for another reply), until `break` or the end of
the input."""
from __future__ import annotations

RP_SPACE = ") "
TABSIZE = 8


def _indent(out: list[str], start: int, to: int) -> None:
    """indent(): tabs where a tab stop fits, then spaces."""
    while start < to:
        if to // TABSIZE > start // TABSIZE:
            out.append("\t")
            start += TABSIZE - start % TABSIZE
        else:
            out.append(" ")
            start += 1


def menu(items: list[str], columns: int) -> str:
    """print_select_list(): as many columns as fit, filled down each column."""
    if not items:
        return "\n"
    indices_len = len(str(len(items)))
    max_elem_len = max(len(item) for item in items) + indices_len + len(RP_SPACE) + 2
    cols = columns // max_elem_len or 1
    rows = len(items) // cols + (len(items) % cols != 0)
    cols = len(items) // rows + (len(items) % rows != 0)
    if rows == 1:
        rows, cols = cols, 1
    first_len = len(str(rows))
    out: list[str] = []
    for row in range(rows):
        ind, pos = row, 0
        while True:
            width = first_len if pos == 0 else indices_len
            out.append(f"{ind + 1:>{width}}{RP_SPACE}{items[ind]}")
            elem_len = len(items[ind]) + width + len(RP_SPACE)
            ind += rows
            if ind >= len(items):
                break
            _indent(out, pos + elem_len, pos + max_elem_len)
            pos += max_elem_len
        out.append("\n")
    return "".join(out)


def run_select(interp, body, items: list[str], ctx):
    from ipemu.bash.builtins import _read
    state = interp.state
    status = 0
    interp.last_status = 0
    if not items:
        return 0                        # nothing to choose: no menu, no prompt
    show_menu = True
    while True:
        columns = state.get("COLUMNS")
        width = int(columns) if columns and columns.isdigit() and int(columns) else 80
        if show_menu:
            ctx.term.err(menu(items, width))
        ctx.term.err(state.get("PS3") if state.get("PS3") is not None else "#? ")
        status = _read(interp, ["read"], ctx)
        if not isinstance(status, int):
            # the recorder's terminal, where nobody types: it waits to be killed
            status = yield from status
        if status != 0:
            ctx.term.out("\n")          # select_query() at the end of the input
            return 1
        reply = state.get("REPLY") or ""
        if not reply:
            show_menu = True
            continue
        show_menu = False
        number = int(reply) if reply.strip().isdigit() else 0
        interp.assign(body.name, items[number - 1] if 1 <= number <= len(items) else "")
        outcome = yield from interp._loop_body(body.body, ctx)
        status = interp.last_status
        if outcome == "break":
            return status
