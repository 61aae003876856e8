"""One description of a line, two outputs: text or JSON, like iproute2's json_print.c.

A renderer calls `p.any("mtu", "mtu %u ", 1500)`: in text mode the format is printed,
in JSON mode the key and value are emitted (iproute2's PRINT_ANY). `p.fp(...)` is text
only (PRINT_FP), `p.js(...)` JSON only (PRINT_JSON). The JSON writer reproduces
json_writer.c byte for byte, including its `-p` (pretty) layout.
"""
from __future__ import annotations

from ipemu.render.cfmt import c_percent


class JsonWriter:
    """json_writer.c: separators, depth and the pretty layout of iproute2."""

    def __init__(self, pretty: bool):
        self.pretty = pretty
        self.depth = 0
        self.sep = ""
        self.parts: list[str] = []

    def _eol(self) -> None:
        if self.pretty:
            self.parts.append("\n" + "    " * self.depth)

    def _eor(self) -> None:
        if self.sep:
            self.parts.append(self.sep)
        self.sep = ","

    def _begin(self, c: str) -> None:
        self._eor()
        self.parts.append(c)
        self.depth += 1
        self.sep = ""

    def _end(self, c: str) -> None:
        self.depth -= 1
        if self.sep:
            self._eol()
        self.parts.append(c)
        self.sep = ","

    def name(self, name: str) -> None:
        self._eor()
        self._eol()
        self.sep = ""
        if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name:
            quoted = f'"{name}"'        # what json.dumps() makes of it
        else:
            import json     # here: text output (and `ipemu -c`) never loads it
            quoted = json.dumps(name)
        self.parts.append(quoted + (": " if self.pretty else ":"))

    def value(self, raw: str) -> None:
        self._eor()
        self.parts.append(raw)

    def start_object(self) -> None:
        self._begin("{")

    def end_object(self) -> None:
        self._end("}")

    def start_array(self) -> None:
        self._begin("[")
        if self.pretty:
            self.parts.append(" ")

    def end_array(self) -> None:
        if self.pretty and self.sep:
            self.parts.append(" ")
        self.sep = ""
        self._end("]")

    def text(self) -> str:
        return "".join(self.parts)


def _json_value(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    return _json_string(str(value))


def _json_string(text: str) -> str:
    """json.dumps(text, ensure_ascii=False): printable ASCII without a quote or a
    backslash (names, addresses: nearly every string printed) is only quoted."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    import json     # here: text output (and `ipemu -c`) never loads it
    return json.dumps(text, ensure_ascii=False)


# ----------------------------------------------------------------- compiled records
# A printer may describe a record (or a run of it) as a sequence of ops and values,
# each op one of the calls below with its key and format: Printer.emit() prints the
# same bytes as making the calls one by one, from a plan made once per sequence of ops
# (per JSON writer state): text and JSON come from the same ops.
ANY, FP, JS, OBJ, END_OBJ, ARR, END_ARR = range(7)
# (ANY, key, fmt) 1 value; (FP, fmt, count) count values; (JS, key) 1 value;
# (OBJ, key), (END_OBJ,), (ARR, key), (END_ARR,) none.
# Off: emit() makes the calls one by one (the tests compare both)
COMPILED = True
_TEXT_PLANS: dict = {}
_JSON_PLANS: dict = {}
_MARK = "\0"        # where a value goes in a JSON plan (json text never holds it raw)


def _text_plan(ops: tuple) -> tuple:
    """One format for the whole run, and which values it takes (None: all)."""
    fmt, picks, n = [], [], 0
    for op in ops:
        kind = op[0]
        if kind == ANY:
            f = op[2]
            if f is not None:
                if "%" in f:
                    fmt.append(f)
                    picks.append(n)
                else:
                    fmt.append(f)
            n += 1
        elif kind == FP:
            count = op[2]
            fmt.append(op[1] if count else op[1].replace("%", "%%"))
            picks.extend(range(n, n + count))
            n += count
        elif kind == JS:
            n += 1
    return "".join(fmt), (None if picks == list(range(n)) else tuple(picks))


def _json_plan(ops: tuple, pretty: bool, depth: int, sep: str) -> tuple:
    """The run through a JsonWriter in the given state, values as marks: its text as
    a format, which values it takes, the keyless ones, and the writer's state after."""
    jw = JsonWriter(pretty)
    jw.depth, jw.sep = depth, sep
    picks, keyless, n = [], [], 0
    for op in ops:
        kind = op[0]
        if kind == ANY or kind == JS:
            if op[1] is not None:
                jw.name(op[1])
            else:
                keyless.append(n)
            jw.value(_MARK)
            picks.append(n)
            n += 1
        elif kind == FP:
            n += op[2]
        elif kind == OBJ or kind == ARR:
            if op[1] is not None:
                jw.name(op[1])
            jw.start_object() if kind == OBJ else jw.start_array()
        elif kind == END_OBJ:
            jw.end_object()
        else:
            jw.end_array()
    fmt = jw.text().replace("%", "%%").replace(_MARK, "%s")
    return fmt, tuple(picks), tuple(keyless), jw.depth, jw.sep


# lib/color.c attr_colors_light[]: what each enum color_attr prints in
COLOR_CODES = {"ifname": "\x1b[36m", "mac": "\x1b[33m", "inet": "\x1b[35m",
               "inet6": "\x1b[34m", "up": "\x1b[32m", "down": "\x1b[31m"}


class Printer:
    """Collects one command's standard output, as text or as JSON."""

    def __init__(self, json_mode: bool = False, pretty: bool = False, oneline: bool = False,
                 color: bool = False):
        self.is_json = json_mode
        self.jw = JsonWriter(pretty) if json_mode else None
        self.out: list[str] = []
        self.sl = "\\" if oneline else "\n"   # iproute2's _SL_
        self.color = color and not json_mode    # check_enable_color(): never with JSON

    # text only ----------------------------------------------------------------
    def fp(self, fmt: str, *values) -> None:
        if not self.is_json:
            if values:
                text = fmt % values
                self.out.append(text if text.isascii() else c_percent(fmt, values))
            else:
                self.out.append(fmt)

    def nl(self) -> None:
        """print_nl(): a line break, or `\\` in oneline mode."""
        if not self.is_json:
            self.out.append(self.sl)

    def eol(self) -> None:
        """A real end of record ("\\n" even with -o)."""
        if not self.is_json:
            self.out.append("\n")

    # both -----------------------------------------------------------------------
    def any(self, key: str | None, fmt: str | None, value) -> None:
        if self.is_json:
            if key is not None:
                self.jw.name(key)
                self.jw.value(_json_value(value))
            elif value is not None:
                self.jw.value(_json_value(value))   # an element of the open array
        elif fmt is not None:
            if "%" in fmt:
                text = fmt % value
                self.out.append(text if text.isascii() else c_percent(fmt, value))
            else:
                self.out.append(fmt)

    def null(self, key: str, fmt: str, value: str | None = None) -> None:
        """print_null() (lib/json_print.c): a flag word, `"key":null` in JSON."""
        if self.is_json:
            self.jw.name(key)
            self.jw.value("null")
        else:
            self.out.append(c_percent(fmt, value) if "%" in fmt else fmt)

    def color_any(self, attr: str | None, key: str | None, fmt: str | None, value) -> None:
        """print_color_string(): as any(), the text between the attribute's escape and
        the reset (color_fprintf(), the light-background palette)."""
        if self.is_json:
            if key is not None:             # PRINT_FP parts (key None) are text only
                self.any(key, fmt, value)
            return
        if not self.color or attr is None or fmt is None:
            self.any(key, fmt, value)
            return
        self.out.append(COLOR_CODES[attr] + (c_percent(fmt, value) if "%" in fmt else fmt)
                        + "\x1b[0m")

    def emit(self, ops: list, values: list) -> None:
        """The ops (see ANY above) with their values, as one call each would print."""
        if not COMPILED:
            self._emit_each(ops, values)
            return
        shape = tuple(ops)
        if not self.is_json:
            plan = _TEXT_PLANS.get(shape)
            if plan is None:
                plan = _TEXT_PLANS[shape] = _text_plan(shape)
            fmt, picks = plan
            picked = tuple(values) if picks is None else tuple([values[i] for i in picks])
            text = fmt % picked
            self.out.append(text if text.isascii() else c_percent(fmt, picked))
            return
        jw = self.jw
        key = (shape, jw.pretty, jw.depth, jw.sep)
        plan = _JSON_PLANS.get(key)
        if plan is None:
            plan = _JSON_PLANS[key] = _json_plan(shape, jw.pretty, jw.depth, jw.sep)
        fmt, picks, keyless, depth, sep = plan
        if keyless and any(values[i] is None for i in keyless):
            self._emit_each(ops, values)    # a keyless None prints nothing
            return
        jw.parts.append(fmt % tuple([_json_value(values[i]) for i in picks]))
        jw.depth, jw.sep = depth, sep

    def _emit_each(self, ops: list, values: list) -> None:
        n = 0
        for op in ops:
            kind = op[0]
            if kind == ANY:
                self.any(op[1], op[2], values[n])
                n += 1
            elif kind == FP:
                self.fp(op[1], *values[n:n + op[2]])
                n += op[2]
            elif kind == JS:
                self.js(op[1], values[n])
                n += 1
            elif kind == OBJ:
                self.open_object(op[1])
            elif kind == END_OBJ:
                self.close_object()
            elif kind == ARR:
                self.open_array(op[1])
            else:
                self.close_array()

    def js(self, key: str | None, value) -> None:
        if self.is_json:
            if key is not None:
                self.jw.name(key)
            self.jw.value(_json_value(value))

    def open_object(self, key: str | None = None) -> None:
        if self.is_json:
            if key is not None:
                self.jw.name(key)
            self.jw.start_object()

    def close_object(self) -> None:
        if self.is_json:
            self.jw.end_object()

    def open_array(self, key: str | None = None) -> None:
        if self.is_json:
            if key is not None:
                self.jw.name(key)
            self.jw.start_array()

    def close_array(self) -> None:
        if self.is_json:
            self.jw.end_array()

    # whole output -------------------------------------------------------------------
    def begin(self) -> None:
        """new_json_obj(): the top-level array of a JSON dump."""
        if self.is_json:
            self.jw.start_array()

    def end(self) -> None:
        """delete_json_obj(): close the array and end the line."""
        if self.is_json:
            self.jw.end_array()
            self.out.append(self.jw.text() + "\n")

    def text(self) -> str:
        return "".join(self.out)
