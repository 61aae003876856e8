"""lsof 4.95's answers where no process the box runs has a file or socket it could
list: every selection (`-i [SPEC]`, `-p PID`, a file) finds nothing and lsof says nothing,
status 1; `-v` is the build's version information (on stderr, as lsof prints it)."""
from __future__ import annotations

from ipemu.tools.context import ToolContext

VERSION = 'lsof version information:\n    revision: 4.95.0\n    latest revision: https://github.com/lsof-org/lsof\n    latest FAQ: https://github.com/lsof-org/lsof/blob/master/00FAQ\n    latest (non-formatted) man page: https://github.com/lsof-org/lsof/blob/master/Lsof.8\n    compiler: cc\n    compiler version: 11.3.0 (Debian 11.3.0-1) \n    compiler flags: -g -O2 -ffile-prefix-map=/build/lsof-D9SkAG/lsof-4.95.0=. -fstack-protector-strong -Wformat -Werror=format-security -Wdate-time -D_FORTIFY_SOURCE=2 -DLINUXV=517003 -DGLIBCV=233 -DHASIPv6 -DNEEDS_NETINET_TCPH -DHASSELINUX -DHASUXSOCKEPT -DHASPTYEPT -DHASSOSTATE -DHASSOOPT -D_FILE_OFFSET_BITS=64 -D_LARGEFILE64_SOURCE -DHAS_STRFTIME -DLSOF_VSTR="5.17.3" -I/usr/include/tirpc -O\n    loader flags: -L./lib -llsof -Wl,-z,relro -Wl,-z,now -ltirpc -lselinux\n    Anyone can list all files.\n    /dev warnings are disabled.\n    Kernel ID check is disabled.\n'


def main(ctx: ToolContext, argv: list[str]) -> int:
    if "-v" in argv[1:]:
        ctx.term.err(VERSION)
        return 0
    return 1
