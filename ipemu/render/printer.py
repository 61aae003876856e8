"""One description of a line, two outputs: text or JSON, like iproute2's json_print.c.

A renderer calls `p.any("mtu", "mtu %u ", 1500)`: in text mode the format is printed,
in JSON mode the key and value are emitted (iproute2's PRINT_ANY). `p.fp(...)` is text
only (PRINT_FP), `p.js(...)` JSON only (PRINT_JSON). The JSON writer reproduces
json_writer.c byte for byte, including its `-p` (pretty) layout.
"""
from __future__ import annotations


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
        import json     # here: text output (and `ipemu -c`) never loads it
        self.parts.append(json.dumps(name) + (": " if self.pretty else ":"))

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
    import json
    return json.dumps(str(value), ensure_ascii=False)


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
            self.out.append(fmt % values if values else fmt)

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
            self.out.append(fmt % value if "%" in fmt else fmt)

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
        self.out.append(COLOR_CODES[attr] + (fmt % value if "%" in fmt else fmt) + "\x1b[0m")

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
