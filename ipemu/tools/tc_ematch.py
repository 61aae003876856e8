"""tc's extended match trees (tc/m_ematch.c parse_ematch(), its flex lexer
emp_ematch.l and bison grammar emp_ematch.y, and the modules em_cmp.c, em_nbyte.c,
em_u32.c, em_meta.c): `basic match 'cmp(u16 at 2 layer network gt 1000) and not
meta(priority eq 6)'`. Only the parse is modelled (what tc prints and where it goes on
reading the command line); the recording kernel has no cls_basic to hand the tree to.

The lexer reads the command line a word at a time (YY_INPUT copies one argv word and
a blank), and reads the next word as soon as it skips the blank that ends a word; the
parser stops at the first token after a complete expression, or at the end, and
parse_ematch() steps back one word ("undo look ahead by parser"). At the end of the
line that step lands on the expression's last word, which the filter then reads as an
option of its own (recorded: `basic match 'cmp(...)'` alone is `What is "cmp(...)"?`).
"""
from __future__ import annotations

from ipemu.plainclass import dataclass, field

from ipemu.tools.tc_parse import TcExit

ULONG_MAX = 2 ** 64 - 1
TCF_LAYER_MAX = 2
EMATCH_MAP = "/etc/iproute2/ematch_map"
# the ematch_util structures linked into tc 6.1 (get_ematch_kind()'s dlsym() of
# KIND_ematch_util in tc itself) and their kind_num
KINDS = {"cmp": 1, "nbyte": 2, "u32": 3, "meta": 4, "canid": 7, "ipset": 8, "ipt": 9}

EXPR_USAGE = ("Usage: EXPR\n"
              "where: EXPR  := TERM [ { and | or } EXPR ]\n"
              "       TERM  := [ not ] { MATCH | '(' EXPR ')' }\n"
              "       MATCH := module '(' ARGS ')'\n"
              "       ARGS := ARG1 ARG2 ...\n"
              "\n"
              "Example: a(x y) and not (b(x) or c(x y z))\n")
USAGES = {
    "cmp": ("Usage: cmp(ALIGN at OFFSET [ ATTRS ] { eq | lt | gt } VALUE)\n"
            "where: ALIGN  := { u8 | u16 | u32 }\n"
            "       ATTRS  := [ layer LAYER ] [ mask MASK ] [ trans ]\n"
            f"       LAYER  := {{ link | network | transport | 0..{TCF_LAYER_MAX} }}\n"
            "\n"
            "Example: cmp(u16 at 3 layer 2 mask 0xff00 gt 20)\n"),
    "nbyte": ("Usage: nbyte(NEEDLE at OFFSET [layer LAYER])\n"
              "where: NEEDLE := { string | \"c-escape-sequence\" }\n"
              "       OFFSET := int\n"
              f"       LAYER  := {{ link | network | transport | 0..{TCF_LAYER_MAX} }}\n"
              "\n"
              "Example: nbyte(\"ababa\" at 12 layer 1)\n"),
    "u32": ("Usage: u32(ALIGN VALUE MASK at [ nexthdr+ ] OFFSET)\n"
            "where: ALIGN  := { u8 | u16 | u32 }\n"
            "\n"
            "Example: u32(u16 0x1122 0xffff at nexthdr+4)\n"),
    "meta": ("Usage: meta(OBJECT { eq | lt | gt } OBJECT)\n"
             "where: OBJECT  := { META_ID | VALUE }\n"
             "       META_ID := id [ shift SHIFT ] [ mask MASK ]\n"
             "\n"
             "Example: meta(nf_mark gt 24)\n"
             "         meta(indev shift 1 eq \"ppp\")\n"
             "         meta(tcindex mask 0xf0 eq 0xf0)\n"
             "\n"
             "For a list of meta identifiers, use meta(list).\n"),
}

# em_meta.c meta_table: (kind, types, description); a section has types None
META_TABLE = (
    ("Generic", None, ""),
    ("random", "i", "Random value (32 bit)"),
    ("loadavg_1", "i", "Load average in last minute"),
    ("loadavg_5", "i", "Load average in last 5 minutes"),
    ("loadavg_15", "i", "Load average in last 15 minutes"),
    ("Interfaces", None, ""),
    ("dev", "iv", "Device the packet is on"),
    ("Packet attributes", None, ""),
    ("priority", "i", "Priority of packet"),
    ("protocol", "i", "Link layer protocol"),
    ("pkt_type", "i", "Packet type (uni|multi|broad|...)cast"),
    ("pkt_len", "i", "Length of packet"),
    ("data_len", "i", "Length of data in packet"),
    ("mac_len", "i", "Length of link layer header"),
    ("Netfilter", None, ""),
    ("nf_mark", "i", "Netfilter mark"),
    ("fwmark", "i", "Alias for nf_mark"),
    ("Traffic Control", None, ""),
    ("tc_index", "i", "TC Index"),
    ("Routing", None, ""),
    ("rt_classid", "i", "Routing ClassID (cls_route)"),
    ("rt_iif", "i", "Incoming interface index"),
    ("vlan", "i", "Vlan tag"),
    ("Sockets", None, ""),
    ("sk_family", "i", "Address family"),
    ("sk_state", "i", "State"),
    ("sk_reuse", "i", "Reuse Flag"),
    ("sk_bind_if", "iv", "Bound interface"),
    ("sk_refcnt", "i", "Reference counter"),
    ("sk_shutdown", "i", "Shutdown mask"),
    ("sk_proto", "i", "Protocol"),
    ("sk_type", "i", "Type"),
    ("sk_rcvbuf", "i", "Receive buffer size"),
    ("sk_rmem", "i", "RMEM"),
    ("sk_wmem", "i", "WMEM"),
    ("sk_omem", "i", "OMEM"),
    ("sk_wmem_queue", "i", "WMEM queue"),
    ("sk_snd_queue", "i", "Send queue length"),
    ("sk_rcv_queue", "i", "Receive queue length"),
    ("sk_err_queue", "i", "Error queue length"),
    ("sk_fwd_alloc", "i", "Forward allocations"),
    ("sk_sndbuf", "i", "Send buffer size"),
)


@dataclass
class Bstr:
    """struct bstr: an argument, quoted when it came from "..."."""

    data: str
    quoted: bool = False


@dataclass
class Tok:
    kind: str           # ATTR, AND, OR, NOT, "(", ")", EOF, ERROR
    words: int          # argv words the lexer had read when it made this token
    value: Bstr | None = None


@dataclass
class Node:
    """struct ematch."""

    args: list | None = None
    inverted: bool = False
    relation: int = 0
    child: "Node | None" = None
    next: "Node | None" = None
    kids: list = field(default_factory=list)


def strtoul(text: str) -> tuple[int, int]:
    """strtoul(text, &end, 0): the value (ULONG_MAX on overflow, two's complement of a
    negated one) and how many characters it read (0: none)."""
    i = 0
    while i < len(text) and text[i] in " \t\n\v\f\r":
        i += 1
    neg = False
    if i < len(text) and text[i] in "+-":
        neg = text[i] == "-"
        i += 1
    base, digits = 10, "0123456789"
    if text[i:i + 2] in ("0x", "0X") and text[i + 2:i + 3] and \
            text[i + 2] in "0123456789abcdefABCDEF":
        base, digits, i = 16, "0123456789abcdefABCDEF", i + 2
    elif text[i:i + 1] == "0":
        base, digits = 8, "01234567"
    start = i
    while i < len(text) and text[i] in digits:
        i += 1
    if i == start:
        return 0, 0
    value = int(text[start:i], base)
    if value > ULONG_MAX:
        return ULONG_MAX, i
    return (-value) % (ULONG_MAX + 1) if neg else value, i


def bstrtoul(b: Bstr) -> int:
    """m_ematch.c bstrtoul(): ULONG_MAX when no digit is read (trailing text is let be)."""
    value, used = strtoul(b.data)
    return ULONG_MAX if not used else value


def _lex(words: list[str]) -> list[Tok]:
    """emp_ematch.l over the words as YY_INPUT hands them over (each with a blank)."""
    toks: list[Tok] = []
    # the characters with the count of words read once the lexer holds them
    stream: list[tuple[str, int]] = []
    for n, word in enumerate(words, 1):
        if word:
            stream.extend((ch, n) for ch in word + " ")
    i = 0
    while i < len(stream):
        ch, n = stream[i]
        if ch in " \t\r\n":
            i += 1
            continue
        if ch in "()":
            toks.append(Tok(ch, n))
            i += 1
            continue
        if ch == '"':
            i += 1
            text = ""
            while i < len(stream) and stream[i][0] != '"':
                c = stream[i][0]
                if c == "\\" and i + 1 < len(stream):
                    i, c, bad = _escape(stream, i)
                    if bad:
                        toks.append(Tok("ERROR", stream[min(i, len(stream) - 1)][1]))
                        return toks
                    text += c
                    continue
                text += c
                i += 1
            if i >= len(stream):
                break           # an unterminated string: the end of input
            toks.append(Tok("ATTR", stream[i][1], Bstr(text, True)))
            i += 1
            continue
        j = i
        while j < len(stream) and stream[j][0] not in " \t\r\n()":
            j += 1
        text = "".join(c for c, _ in stream[i:j])
        low = text.lower()
        kind = {"and": "AND", "or": "OR", "not": "NOT"}.get(low, "ATTR")
        toks.append(Tok(kind, stream[j - 1][1], Bstr(text) if kind == "ATTR" else None))
        i = j
    toks.append(Tok("EOF", len(words)))
    return toks


def _escape(stream: list, i: int) -> tuple[int, str, bool]:
    """A backslash sequence inside "...": octal, \\xHH, \\n and the like, else the
    character itself. (index after it, the character, an error)"""
    rest = "".join(c for c, _ in stream[i + 1:i + 4])
    octal = ""
    for c in rest:
        if c in "01234567" and len(octal) < 3:
            octal += c
        else:
            break
    if octal:
        if rest[len(octal):len(octal) + 1].isdigit():
            return i, "", True
        value = int(octal, 8)
        if value > 0xFF:
            return i, "", True
        return i + 1 + len(octal), chr(value), False
    if rest[:1].isdigit():
        return i, "", True
    if rest[:1] == "x":
        hexd = ""
        for c in rest[1:3]:
            if c in "0123456789abcdefABCDEF":
                hexd += c
            else:
                break
        if hexd:
            return i + 2 + len(hexd), chr(int(hexd, 16)), False
    table = {"n": "\n", "r": "\r", "t": "\t", "v": "\v", "b": "\b", "f": "\f", "a": "\a"}
    c = rest[:1]
    return i + 2, table.get(c, c), False


class _Syntax(Exception):
    def __init__(self, tok: Tok) -> None:
        super().__init__()
        self.tok = tok


class _Parser:
    """emp_ematch.y: input: | expr | expr error; expr: match [ (and|or) expr ];
    match: [not] ATTRIBUTE '(' args ')' | [not] '(' expr ')'."""

    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.pos = 0

    def peek(self) -> Tok:
        return self.toks[self.pos]

    def take(self) -> Tok:
        tok = self.toks[self.pos]
        if tok.kind != "EOF":
            self.pos += 1
        return tok

    def expr(self) -> Node:
        node = self.match()
        tok = self.peek()
        if tok.kind in ("AND", "OR"):
            self.take()
            node.relation = 1 if tok.kind == "AND" else 2
            node.next = self.expr()
        return node

    def match(self) -> Node:
        inverted = False
        if self.peek().kind == "NOT":
            self.take()
            inverted = True
        tok = self.take()
        if tok.kind == "ATTR":
            if self.take().kind != "(":
                raise _Syntax(self.toks[self.pos - 1])
            args = [tok.value]
            if self.peek().kind != "ATTR":
                raise _Syntax(self.peek())
            while self.peek().kind == "ATTR":
                args.append(self.take().value)
            if self.peek().kind != ")":
                raise _Syntax(self.peek())
            self.take()
            return Node(args=args, inverted=inverted)
        if tok.kind == "(":
            child = self.expr()
            if self.peek().kind != ")":
                raise _Syntax(self.peek())
            self.take()
            return Node(inverted=inverted, child=child)
        raise _Syntax(tok)


def _chain(node: Node) -> list[Node]:
    """A chain of matches: the nodes joined by and/or."""
    nodes = [node]
    while node.relation:
        node = node.next
        nodes.append(node)
    return nodes


def _flatten(root: Node) -> list[Node]:
    """flatten_tree(): each container's chain is linked on behind the last node of
    the list, and flattened at once (its own containers' chains follow it there);
    parse_tree() then walks the list in that order."""
    order = _chain(root)

    def flatten(chain: Node) -> None:
        for node in _chain(chain):
            if node.child is not None:
                order.extend(_chain(node.child))
                flatten(node.child)

    flatten(root)
    return order


class _ParseError(Exception):
    pass


def parse_ematch(args: list[str], ematch_map: str | None) -> list[str]:
    """parse_ematch() with the words after `match`: the words left for the filter
    (from the one the parser stepped back to). Raises TcExit (status 1) with every
    message and the filter's `Illegal "ematch"`."""
    words = list(args)
    toks = _lex(words)
    parser = _Parser(toks)
    root = None
    out: list[str] = []
    try:
        if parser.peek().kind != "EOF":
            root = parser.expr()
        # a complete expression then anything: `expr error`, YYACCEPT
        stop = parser.peek()
    except _Syntax as err:
        out.append("Parse error: syntax error\n... " + _words(words, err.tok.words) + "...\n")
        out.append(EXPR_USAGE)
        raise TcExit("".join(out) + 'Illegal "ematch"\n', 1) from None
    consumed = stop.words - 1           # undo look ahead by parser
    if root is not None:
        try:
            for node in _flatten(root):
                if node.child is not None:
                    continue
                _parse_node(node, words, consumed, out, ematch_map)
        except _ParseError:
            raise TcExit("".join(out) + 'Illegal "ematch"\n', 1) from None
    return words[consumed:]


def _words(words: list[str], upto: int) -> str:
    """em_parse_error()'s echo of the words read, the last between >> <<."""
    text = ""
    for i in range(upto):
        text += f">>{words[i]}<< " if i == upto - 1 else f"{words[i]} "
    return text


def _printable(text: str) -> str:
    return "".join(c if " " <= c <= "~" else "." for c in text)


def _parse_node(node: Node, words: list[str], consumed: int, out: list[str],
                ematch_map: str | None) -> None:
    kind = node.args[0].data
    if kind not in KINDS:
        out.append(f'Unknown ematch "{kind}"\n')
        raise _ParseError
    if ematch_map is None or not _in_map(ematch_map, kind):
        out.append(f'Error: Unable to find ematch "{kind}" in {EMATCH_MAP}\n'
                   "Please assign a unique ID to the ematch kind the suggested entry is:\n"
                   f"\t{KINDS[kind]}\t{kind}\n")
        raise _ParseError
    args = node.args[1:]

    def error(carg: Bstr | None, message: str) -> _ParseError:
        text = message + "\n... " + _words(words, consumed) + "...\n"
        if args:
            text += f"... {kind}(" + " ".join(
                (f">>{_printable(a.data)}<<" if a is carg else _printable(a.data))
                for a in args) + ")...\n"
        out.append(text + USAGES.get(kind, ""))
        return _ParseError()

    parser = {"cmp": _cmp, "nbyte": _nbyte, "u32": _u32, "meta": _meta}.get(kind)
    if parser is not None:
        parser(args, error, out)


def _in_map(text: str, kind: str) -> bool:
    """lookup_map_id(): `NUMBER NAME` lines, the name compared without case."""
    for line in text.splitlines():
        parts = line.strip(" \t").split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) >= 2 and parts[1].lower() == kind.lower():
            return True
    return False


def _layer(a: Bstr, error, name: str) -> None:
    """parse_layer(): link/network/transport by first letter, else a number 0..2."""
    if a.data[:1] in ("l", "n", "t"):
        return
    layer = bstrtoul(a)
    if layer == ULONG_MAX:
        raise error(a, f"{name}: invalid layer")
    if layer > TCF_LAYER_MAX:
        raise error(a, f"{name}: illegal layer, must be in 0..{TCF_LAYER_MAX}")


def _cmp(args: list[Bstr], error, out) -> None:
    """em_cmp.c cmp_parse_eopt()."""
    if args[0].data not in ("u8", "u16", "u32"):
        raise error(args[0], "cmp: invalid alignment")
    offset = value = False
    i = 1
    while i < len(args):
        a = args[i]
        if a.data in ("at", "layer", "mask", "eq", "gt", "lt"):
            if i + 1 >= len(args):
                raise error(a, "cmp: missing argument")
            i += 1
            b = args[i]
            if a.data == "at":
                if bstrtoul(b) == ULONG_MAX:
                    raise error(b, "cmp: invalid offset, must be numeric")
                offset = True
            elif a.data == "layer":
                _layer(b, error, "cmp")
            elif a.data == "mask":
                if bstrtoul(b) == ULONG_MAX:
                    raise error(b, "cmp: invalid mask")
            else:
                if bstrtoul(b) == ULONG_MAX:
                    raise error(b, "cmp: invalid value")
                value = True
        elif a.data != "trans":
            raise error(a, "nbyte: unknown parameter")
        i += 1
    if not offset or not value:
        raise error(None, "cmp: offset and value required")


def _nbyte(args: list[Bstr], error, out) -> None:
    """em_nbyte.c nbyte_parse_eopt()."""
    if not args[0].data:
        raise error(args[0], "nbyte: needle length is 0")
    offset = False
    i = 1
    while i < len(args):
        a = args[i]
        if a.data in ("at", "layer"):
            if i + 1 >= len(args):
                raise error(a, "nbyte: missing argument")
            i += 1
            b = args[i]
            if a.data == "at":
                if bstrtoul(b) == ULONG_MAX:
                    raise error(b, "nbyte: invalid offset, must be numeric")
                offset = True
            else:
                _layer(b, error, "nbyte")
        else:
            raise error(a, "nbyte: unknown parameter")
        i += 1
    if not offset:
        raise error(None, "nbyte: offset required")


def _u32(args: list[Bstr], error, out) -> None:
    """em_u32.c u32_parse_eopt(): ALIGN KEY MASK at [nexthdr+]OFFSET."""
    sizes = {"u8": 1, "u16": 2, "u32": 4}
    if args[0].data not in sizes:
        raise error(args[0], "u32: invalid alignment")
    align = sizes[args[0].data]
    if len(args) < 2:
        raise error(None, "u32: missing key")
    key = bstrtoul(args[1])
    if key == ULONG_MAX:
        raise error(args[1], "u32: invalid key, must be numeric")
    if len(args) < 3:
        raise error(None, "u32: missing mask")
    mask = bstrtoul(args[2])
    if mask == ULONG_MAX:
        raise error(args[2], "u32: invalid mask, must be numeric")
    if len(args) < 4 or args[3].data != "at":
        raise error(args[3] if len(args) > 3 else None, 'u32: missing "at"')
    if len(args) < 5:
        raise error(None, "u32: missing offset")
    i = 4
    a = args[i]
    if len(a.data) > 8 and a.data.startswith("nexthdr+"):
        offset, _used = strtoul(a.data[8:])
    elif a.data == "nexthdr+":
        i += 1
        if i >= len(args):
            raise error(None, "u32: missing offset")
        a = args[i]
        offset = bstrtoul(a)
    else:
        offset = bstrtoul(a)
    if offset == ULONG_MAX:
        raise error(a, "u32: invalid offset")
    if i + 1 < len(args):
        raise error(args[i + 1], "u32: unexpected trailer")
    if align == 1:
        if key > 0xFF:
            raise error(a, "Illegal key (>0xFF)")
        if mask > 0xFF:
            raise error(a, "Illegal mask (>0xFF)")
        offset &= ~3
    elif align == 2:
        if key > 0xFFFF:
            raise error(a, "Illegal key (>0xFFFF)")
        if mask > 0xFFFF:
            raise error(a, "Illegal mask (>0xFFFF)")
        offset &= ~3
    if offset % 4:
        raise error(a, "u32: invalid offset alignment, must be aligned to 4.")


def _meta_entry(a: Bstr):
    for kind, types, _desc in META_TABLE:
        if types is not None and kind == a.data:
            return kind, types
    return None


def meta_list() -> str:
    """list_meta_ids()."""
    text = ("--------------------------------------------------------\n"
            "  ID               Type       Description\n"
            "--------------------------------------------------------")
    for kind, types, desc in META_TABLE:
        if types is None:
            text += f"\n{kind}:\n"
        else:
            names = ",".join({"i": "INT", "v": "VAR"}[t] for t in types)
            text += f"  {kind:<16} {names:<10} {desc}\n"
    return text + "--------------------------------------------------------\n"


def _meta_object(args: list[Bstr], i: int, error, left: dict | None) -> tuple[int, dict]:
    """parse_object(): a quoted value (VAR), a number (INT) or a meta id with its
    `shift`/`mask`; the right side's type must suit the left's. (next index, object)"""
    a = args[i]
    if a.quoted:
        return i + 1, {"type": "v", "id": None}
    if bstrtoul(a) != ULONG_MAX:
        return i + 1, {"type": "i", "id": None}
    entry = _meta_entry(a)
    if entry is None:
        raise error(a, "meta: unknown meta id\n")
    obj = {"type": entry[1][0], "id": entry[1]}
    if left is not None and obj["type"] != left["type"]:
        # can_adopt()/is_compatible(): an id whose types include the other's takes it
        if left["id"] and obj["type"] in left["id"]:
            left["type"] = obj["type"]
        elif obj["id"] and left["type"] in obj["id"]:
            obj["type"] = left["type"]
        else:
            raise error(a, "lvalue and rvalue are not compatible.")
    i += 1
    while i < len(args) and args[i].data in ("shift", "mask"):
        word = args[i].data
        if i + 1 >= len(args):
            raise error(args[i], "meta: missing argument")
        i += 1
        if bstrtoul(args[i]) == ULONG_MAX:
            raise error(args[i], f"meta: invalid {word}, must be numeric")
        i += 1
    return i, obj


def _meta(args: list[Bstr], error, out) -> None:
    """em_meta.c meta_parse_eopt(): OBJECT { eq | lt | gt } OBJECT, or `list`."""
    if args[0].data == "list":
        out.append(meta_list())
        raise _ParseError
    i, left = _meta_object(args, 0, error, None)
    if i >= len(args):
        raise error(args[0], "meta: missing operand")
    if args[i].data not in ("eq", "gt", "lt"):
        raise error(args[i], "meta: invalid operand")
    if i + 1 >= len(args):
        raise error(args[0], "meta: missing rvalue")
    i, _right = _meta_object(args, i + 1, error, left)
    if i < len(args):
        raise error(args[i], "meta: unexpected trailer")
