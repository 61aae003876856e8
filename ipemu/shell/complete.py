"""Tab completion from the tools' grammars and the live kernel.

What may come next is asked of the grammar (ipemu/syntax.py: the same cursor that
parses the line), never of a list kept here: keywords in the order the tool tries
them, then, for a value kind the grammar expects there, live names: devices,
namespaces, addresses of the namespace, files of the working directory. `completions`
is plain data for tests and any front end; `make_completer` adapts it to
prompt_toolkit (imported only by the live shell).
"""
from __future__ import annotations

import os
import posixpath
import re

from ipemu import syntax

# where a new simple command starts on a shell line (grammar/shell.lark's operators)
_COMMAND_START = re.compile(r"(\|\||&&|[;|&(])")
# tools whose syntax is a grammar under grammar/ (others complete only their name)
GRAMMARS = {"ip": "ip", "bridge": "bridge", "ping": "ping", "tcpdump": "tcpdump_options",
            "route": "route"}
# those whose argv is split by getopt_long() (syntax.getopt) rather than word by word
GETOPT = {"ping", "tcpdump_options", "route"}


def _current_command(text: str) -> list[str]:
    """The words of the simple command the cursor is in; the last is the word being
    typed ('' after a blank)."""
    tail = _COMMAND_START.split(text)[-1]
    words = tail.split()
    if not words or tail[-1:].isspace():
        words.append("")
    return words


def completions(text: str, session) -> list[str]:
    """The words that may replace the last word of `text` (the line up to the
    cursor), in the order a user reads them: commands first word, then what the
    grammar accepts."""
    words = _current_command(text)
    typed = words[-1]
    if len(words) == 1:
        return sorted(n for n in command_names() if n.startswith(typed))
    name = GRAMMARS.get(words[0])
    if name is None:
        return []
    cursor, netns = _cursor(name, words[1:-1], session)
    keywords, kinds = cursor.expected()
    out: list[str] = []
    for kw in keywords:
        # options are offered once a '-' is typed, as bash-completion does
        if kw.text.startswith("-") != typed.startswith("-") or kw.text == "--":
            continue
        if kw.text.startswith(typed) and kw.text not in out:
            out.append(kw.text)
    for kind in kinds:
        for value in sorted(values(kind, session, netns)):
            if value.startswith(typed) and value not in out:
                out.append(value)
    return out


def _cursor(name: str, words: list[str], session):
    """The grammar's cursor after `words` (as the tool splits them), and the namespace
    whose live names fit there (`ip -n NS ...`: NS's)."""
    netns = session.host.init_ns
    if name in GETOPT:
        return syntax.getopt_cursor(name, words, _hidden(name, session),
                                    _getopt_mode(name)), netns
    cursor = syntax.grammar(name).cursor(_hidden(name, session))
    for word in words:
        fed = cursor.feed(word)
        if fed.kind == "NETNS_NAME" and word in session.host.namespaces:
            netns = session.host.namespaces[word]
    return cursor, netns


def grammar_help(words: list[str], session) -> str | None:
    """`help ip link add`: what the tool's grammar takes after the words, keywords in
    the order the tool tries them, then the kinds of values; None when the words are
    not the tool's."""
    name = GRAMMARS.get(words[0]) if words else None
    if name is None:
        return None
    cursor, _ = _cursor(name, words[1:], session)
    if cursor.stopped:
        return None
    keywords, kinds = cursor.expected()
    import textwrap
    head = " ".join(words)
    out = [f"`{head}` goes on with (in the order {words[0]} tries them):\n"]
    names = [k.text for k in keywords if k.text != "--"]
    if names:
        out.append(textwrap.fill("  ".join(names), 78, initial_indent="  ",
                                 subsequent_indent="  ", break_on_hyphens=False) + "\n")
    if kinds:
        out.append("  or a value: " + ", ".join(kinds) + "\n")
    if cursor.can_end():
        out.append("  or nothing more: the line is whole\n")
    return "".join(out)


def command_names() -> list[str]:
    """What the shell runs: its tools and text utilities (session.TOOLS)."""
    from ipemu.session import TOOLS
    from ipemu.tools.textutils import TEXT_TOOLS
    return sorted(set(TOOLS) | set(TEXT_TOOLS))


def _getopt_mode(name: str) -> syntax.GetoptMode:
    """How the tool runs getopt_long() (route reads its words after the options)."""
    if name == "route":
        from ipemu.tools.route import GETOPT_MODE
        return GETOPT_MODE
    return syntax.PLAIN


def _hidden(name: str, session) -> frozenset[str]:
    profile = session.profile
    if name == "ip":
        from ipemu.tools.ip import objects_hidden
        return objects_hidden(profile)
    if name == "ping":
        return syntax.letters_hidden(name, profile["ping_optstring"])
    if name == "tcpdump_options":
        return syntax.letters_hidden(name, profile["tcpdump_optstring"],
                                     tuple(profile["tcpdump_longopts"]))
    return frozenset()


def values(kind: str, session, netns) -> list[str]:
    """Live names for a value kind of the grammars (%declare in grammar/*.lark)."""
    if kind == "DEVICE_NAME":
        return [link.ifname for link in netns.dump_links()]
    if kind == "NETNS_NAME":
        return sorted(n for n in session.host.namespaces if n)
    if kind in ("IP_ADDRESS", "BRD_ADDRESS"):
        return [str(a.local) for a in netns.dump_addrs()]
    if kind == "IP_PREFIX":
        return [f"{a.local}/{a.prefixlen}" for a in netns.dump_addrs()]
    if kind == "NUD_STATE":
        from ipemu.tools.ip_neigh import NUD_BY_NAME
        return list(NUD_BY_NAME) + ["all"]
    if kind == "HOST":
        return _hosts(session, netns)
    if kind == "FILE_NAME":
        return files(session)
    if kind == "AF_LIST":
        from ipemu.tools.route import AFTRANS
        return list(AFTRANS)
    if kind == "TARGET":
        return ["default"]
    if kind in ("RULE_TYPE", "ROUTE_TYPE"):
        # rtnl_rtntype_a2n()'s names: grammar/ip.lark's route_type
        return syntax.grammar("ip").rule_keywords("route_type")
    if kind == "VLAN_ID":
        return sorted({str(d.vlan_id) for d in netns.device_list()
                       if getattr(d, "vlan_id", None) is not None})
    return []


def _hosts(session, netns) -> list[str]:
    """Where a ping may go: the names of /etc/hosts (as the resolver reads it), then
    the namespace's own addresses."""
    from ipemu.tools.resolver import hosts_entries
    names: list[str] = []
    for _, aliases in hosts_entries(session):
        names += [n for n in aliases if n not in names]
    addresses = {str(a.local) for a in netns.dump_addrs()}
    return names + sorted(addresses - set(names))


def files(session) -> list[str]:
    """The names in the working directory: simulated files, and the real home's."""
    cwd = session.cwd
    names = {posixpath.relpath(p, cwd) for p in session.fs.files
             if posixpath.dirname(p) == cwd}
    real = session.fs.real_path(cwd)
    if real is not None and os.path.isdir(real):
        names |= set(os.listdir(real))
    return sorted(names)


def make_completer(session):
    """prompt_toolkit's Completer over `completions` (the session gives the live
    names); prompt_toolkit is imported here only, by the live shell."""
    from prompt_toolkit.completion import Completer, Completion

    class IpemuCompleter(Completer):
        def get_completions(self, document, complete_event):
            text = document.text_before_cursor
            typed = _current_command(text)[-1]
            for word in completions(text, session):
                yield Completion(word + " " if _complete_word(word) else word,
                                 start_position=-len(typed), display=word)

    return IpemuCompleter()


def _complete_word(word: str) -> bool:
    """A finished word takes a blank after it, as bash's readline adds one."""
    return not word.endswith("/")
