"""POSIX regular expressions (basic and extended, with GNU's extensions) as Python's
`re`, for grep, sed and awk. What differs and is translated here: in a BRE `( ) { } |
+ ?` are literal unless escaped; bracket expressions hold `[:class:]` names and take
a backslash literally; GNU's `\\s \\S \\w \\W \\< \\> \\b \\B \\'` and `\\``; a `*` at
the start of an expression (or after `(` or `|`) is literal; `{` that does not start a
valid interval is literal in an ERE (GNU's RE_INVALID_INTERVAL_ORD).

Errors raise RegexError with GNU regcomp's message (regerror()'s texts).
"""
from __future__ import annotations

import functools
import re

CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "0-9A-Za-z", "upper": "A-Z",
    "lower": "a-z", "space": " \\t\\n\\r\\f\\v", "blank": " \\t", "punct":
    "!-/:-@\\[-`{-~", "print": " -~", "graph": "!-~", "cntrl": "\\x00-\\x1f\\x7f",
    "xdigit": "0-9A-Fa-f",
}


# glibc's C.UTF-8 classifies every Unicode character (localedata's i18n_ctype, as
# unicode_utils.py derives it): grep, sed and bash's [[ =~ ]] see `[[:alpha:]]` match 网
# and é, `[[:space:]]` U+3000 but not a no-break space, `[[:punct:]]` ① and €. mawk,
# which matches bytes, keeps the ASCII classes. The non-ASCII members are found once,
# from Python's unicodedata, when a pattern first names the class.
_NO_BREAK = frozenset("\u00a0\u2007\u202f")
# the few non-ASCII blanks and controls, as glibc's i18n_ctype lists them
_SMALL = {
    "space": "\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000",
    "blank": "\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000",
    "cntrl": "\x80-\x9f\u2028\u2029",
    "digit": "", "xdigit": "",
}
_SCAN_LAST = 0x1FFFF        # the BMP and the SMP are read; the ideographic planes below
_IDEOGRAPHS = "\U00020000-\U0002a6df\U0002a700-\U0002ebe0\U0002f800-\U0002fa1d" \
    "\U00030000-\U0003134a\U00031350-\U000323af"


def _is_alpha(ch: str, cat: str) -> bool:
    # Alphabetic, letter numbers (Ⅰ) and the digits of other scripts (٣): iswalnum()
    return cat[0] == "L" or cat in ("Nl", "Nd")


def _is_graph(ch: str, cat: str) -> bool:
    return cat not in ("Cc", "Cs", "Cn", "Zl", "Zp", "Zs") or ch in _NO_BREAK


_PREDICATES = {
    "alpha": _is_alpha,
    "upper": lambda ch, cat: cat == "Lt" or (cat[0] in "LNS" and ch.lower() != ch),
    "lower": lambda ch, cat: cat == "Lt" or (cat[0] in "LNS" and ch.upper() != ch),
    "print": lambda ch, cat: cat not in ("Cc", "Cs", "Cn", "Zl", "Zp"),
    "graph": _is_graph,
    "punct": lambda ch, cat: _is_graph(ch, cat) and not _is_alpha(ch, cat),
}
# classes the CJK ideographs (Lo) belong to
_WITH_IDEOGRAPHS = ("alpha", "print", "graph")


@functools.lru_cache(maxsize=1)
def _categories() -> list:
    import unicodedata
    return [unicodedata.category(chr(c)) for c in range(0x80, _SCAN_LAST + 1)]


@functools.lru_cache(maxsize=None)
def _unicode_members(name: str) -> str:
    """The non-ASCII members of class `name` as bracket-expression ranges (read once
    from Python's unicodedata, when a pattern first names the class)."""
    if name in _SMALL:
        return _SMALL[name]
    if name == "alnum":
        return _unicode_members("alpha")
    test = _PREDICATES[name]
    out, first, last = [], None, None
    for code, cat in enumerate(_categories(), 0x80):
        if test(chr(code), cat):
            if last is not None and code == last + 1:
                last = code
                continue
            if first is not None:
                out.append(chr(first) if first == last else f"{chr(first)}-{chr(last)}")
            first = last = code
    if first is not None:
        out.append(chr(first) if first == last else f"{chr(first)}-{chr(last)}")
    return "".join(out) + (_IDEOGRAPHS if name in _WITH_IDEOGRAPHS else "")


def _class(name: str, unicode: bool) -> str:
    return CLASSES[name] + _unicode_members(name) if unicode else CLASSES[name]


class RegexError(Exception):
    """regerror()'s text for a pattern regcomp() refuses."""


def _bracket(pattern: str, i: int, unicode: bool = False) -> tuple[str, int]:
    """A bracket expression starting at pattern[i] == '[': its Python form and the
    index after it."""
    j = i + 1
    out = ["["]
    if j < len(pattern) and pattern[j] == "^":
        out.append("^")
        j += 1
    first = True
    while True:
        if j >= len(pattern):
            raise RegexError("Unmatched [, [^, [:, [., or [=")
        ch = pattern[j]
        if ch == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        first = False
        if ch == "[" and j + 1 < len(pattern) and pattern[j + 1] in ":.=":
            kind = pattern[j + 1]
            end = pattern.find(kind + "]", j + 2)
            if end < 0:
                raise RegexError("Unmatched [, [^, [:, [., or [=")
            name = pattern[j + 2:end]
            if kind == ":":
                if name not in CLASSES:
                    raise RegexError("Invalid character class name")
                out.append(_class(name, unicode))
            else:
                out.append(re.escape(name))
            j = end + 2
            continue
        out.append("\\" + ch if ch in "\\[]^" else ch)
        j += 1


def translate(pattern: str, extended: bool, unicode: bool = False) -> str:
    """The Python regular expression of a POSIX BRE (extended=False) or ERE; `unicode`:
    the character classes of glibc's C.UTF-8 (grep, sed, bash), else ASCII (mawk)."""
    out: list[str] = []
    i = 0
    depth = 0
    start = True            # where a `*` is literal
    while i < len(pattern):
        ch = pattern[i]
        at_start, start = start, False
        if ch == "[":
            text, i = _bracket(pattern, i, unicode)
            out.append(text)
            continue
        if ch == "\\":
            if i + 1 >= len(pattern):
                raise RegexError("Trailing backslash")
            nxt = pattern[i + 1]
            i += 2
            if not extended and nxt in "(){}|+?":
                if nxt == "(":
                    depth += 1
                    out.append("(")
                    start = True
                elif nxt == ")":
                    if depth == 0:
                        raise RegexError("Unmatched ) or \\)")
                    depth -= 1
                    out.append(")")
                elif nxt == "{":
                    end = pattern.find("\\}", i)
                    if end < 0:
                        raise RegexError("Unmatched \\{")
                    body = pattern[i:end]
                    if not re.fullmatch(r"\d*(,\d*)?", body) or not body:
                        raise RegexError("Invalid content of \\{\\}")
                    out.append("{" + ("0" + body if body.startswith(",") else body) + "}")
                    i = end + 2
                elif nxt == "}":
                    out.append("\\}")
                elif nxt == "|":
                    out.append("|")
                    start = True
                else:
                    out.append(nxt)
                continue
            special = {"s": r"\s", "S": r"\S", "w": r"\w", "W": r"\W", "b": r"\b",
                       "B": r"\B", "<": r"\b(?=\w)", ">": r"\b(?<=\w)", "'": r"\Z",
                       "`": r"\A", "n": "\n", "t": "\t"}
            if unicode and nxt in "sSwW":
                # GNU's \s is [[:space:]], \w is [_[:alnum:]] (Python's own \s takes a
                # no-break space, its \w the digits ① and ²)
                members = _class("space", True) if nxt in "sS" else "_" + _class("alnum", True)
                special = {nxt: ("[^" if nxt in "SW" else "[") + members + "]"}
            if nxt in special:
                out.append(special[nxt])
            elif nxt.isdigit() and nxt != "0":
                out.append("\\" + nxt)
            else:
                out.append(re.escape(nxt))
            continue
        i += 1
        if ch == "*" and (at_start or (out and out[-1] in ("^",))):
            out.append("\\*")
        elif ch == "^":
            if extended or at_start:
                out.append("^")
                start = True
            else:
                out.append("\\^")
        elif ch == "$":
            if extended or i == len(pattern) or pattern.startswith("\\)", i) or \
                    pattern.startswith("\\|", i):
                out.append("$")
            else:
                out.append("\\$")
        elif extended and ch in "()|+?{}":
            if ch == "(":
                depth += 1
                out.append("(")
                start = True
            elif ch == ")":
                if depth == 0:
                    raise RegexError("Unmatched ) or \\)")
                depth -= 1
                out.append(")")
            elif ch == "|":
                out.append("|")
                start = True
            elif ch == "{":
                m = re.match(r"(\d*)(,\d*)?\}", pattern[i:])
                if m and (m.group(1) or m.group(2)):
                    body = m.group(0)[:-1]
                    out.append("{" + ("0" + body if body.startswith(",") else body) + "}")
                    i += len(m.group(0))
                else:
                    out.append("\\{")
            elif ch == "}":
                out.append("\\}")
            elif at_start:
                out.append(re.escape(ch))
            else:
                out.append(ch)
        elif ch == ".":
            out.append(".")
        else:
            out.append(ch if ch == "*" else re.escape(ch))
    if depth:
        raise RegexError("Unmatched ( or \\(")
    return _stack_repeats(out)


QUANTIFIER = re.compile(r"[*+?]|\{\d*(,\d*)?\}")
# what matches no character: a repetition after it is not stacked on an atom
ZERO_WIDTH = {"^", "$", "|", r"\b", r"\B", r"\Z", r"\A", r"\b(?=\w)", r"\b(?<=\w)"}


def _stack_repeats(out: list[str]) -> str:
    """Join translate()'s pieces. GNU regcomp takes a repetition of a repetition
    (parse_dup_op() on the tree it has built: `a+?` is `(a+)?`, `a**` is `(a*)*`),
    where Python reads `+?` as a lazy `+` and refuses `**`: the repeated atom is
    put in a group of its own first."""
    res: list[str] = []
    opens: list[int] = []
    atom_at = None
    repeated = False
    for piece in out:
        if piece == "(":
            opens.append(len(res))
            res.append(piece)
            atom_at, repeated = None, False
        elif piece == ")":
            res.append(piece)
            atom_at, repeated = (opens.pop() if opens else None), False
        elif QUANTIFIER.fullmatch(piece):
            if repeated and atom_at is not None:
                res[atom_at:] = ["(?:" + "".join(res[atom_at:]) + ")"]
            res.append(piece)
            repeated = True
        elif piece in ZERO_WIDTH:
            res.append(piece)
            atom_at, repeated = None, False
        else:
            atom_at, repeated = len(res), False
            res.append(piece)
    return "".join(res)


@functools.lru_cache(maxsize=256)
def compile(pattern: str, extended: bool, ignore_case: bool = False) -> re.Pattern:
    """Compile a POSIX pattern; raises RegexError with GNU's text. Kept: a script's
    loop tests the same pattern line after line ([[ =~ ]], grep in a loop)."""
    try:
        return re.compile(translate(pattern, extended, unicode=True),
                          (re.IGNORECASE if ignore_case else 0) | re.DOTALL)
    except re.error as err:
        if "nothing to repeat" in err.msg or "multiple repeat" in err.msg:
            raise RegexError("Invalid preceding regular expression") from None
        if "invalid group reference" in err.msg:
            raise RegexError("Invalid back reference") from None
        raise RegexError("Invalid regular expression") from None
