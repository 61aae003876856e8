"""`tcptraceroute` as Debian 12 installs it (/usr/sbin/tcptraceroute.db, the traceroute
2.1.2 package's shell wrapper): getopt(1) reads tcptraceroute's own options
('hvdnNi:l:f:Fm:p:q:w:s:t:SAE'), turns them into traceroute's (`-T -O info` first,
-p the source port, -S/-A/-E the SYN, ACK and ECN flags, the second operand the
destination port, the third the length), says on stderr what it runs
("Running:\\n\\ttraceroute OPTS HOST LENGTH") and execs traceroute with them.
"""
from __future__ import annotations

from ipemu.tools.context import ToolContext

OPTSTRING = "hvdnNi:l:f:Fm:p:q:w:s:t:SAE"
PROG = "/usr/sbin/tcptraceroute"      # $0 as bash's PATH search names it


def _usage() -> str:
    return (f"Usage: {PROG} [-hvnFSAE] [-i dev] [-f furst_ttl] [-l length]\n"
            "\t[-q nqueries] [-t tos] [-m max_ttl] [-p src_port] [-s src_addr]\n"
            "\t[-w wait_time]  host  [dest_port]  [length]\n")


def main(ctx: ToolContext, argv: list[str]):
    from ipemu.tools.getopt import NO_ARG, _Getopt
    parser = _Getopt("getopt", OPTSTRING, [], False, False)
    out, operands = parser.run(argv[1:])
    if parser.failed:
        ctx.term.err("".join(parser.errors))
        return 2                  # `[ $? != 0 ] && exit 2`
    opts = "-T -O info"
    length = ""
    for _kind, opt, value, takes in out:
        value = value or ""
        if opt in "dnF":
            opts += f" -{opt}"
        elif opt == "N":
            pass
        elif opt in "ifmqwst":
            opts += f" -{opt} {value}"
        elif opt == "l":
            length = value
        elif opt == "p":
            opts += f" --sport={value}"
        elif opt in "SAE":
            opts += " -O " + {"S": "syn", "A": "ack", "E": "ecn"}[opt]
        elif opt == "h":
            ctx.term.err(_usage())
            return 0
        elif opt == "v":
            ctx.term.err('"tcptraceroute"-compatible wrapper for new Linux Traceroute\n')
            return 0
        del takes
    if not operands:
        ctx.term.err(_usage())
        return 2
    host, rest = operands[0], operands[1:]
    if rest:
        opts += f" -p {rest[0]}"
        rest = rest[1:]
    if rest:
        length = rest[0]
    ctx.term.err(f"Running:\n\ttraceroute {opts} {host} {length}\n")
    # exec /usr/bin/traceroute.db $opts $host $length: unquoted, split on blanks
    from ipemu.tools import traceroute
    words = f"{opts} {host} {length}".split()
    return traceroute.main(ctx, ["/usr/bin/traceroute.db"] + words)
