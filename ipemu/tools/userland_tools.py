"""The userland commands network scripts call (issue 18), by command name: the module
that runs each (main(ctx, argv) -> int | Process). session.TOOLS takes them in."""
from __future__ import annotations

# tools34: small host tools, one module per family
TOOLS34 = {
    "ipemu.tools.psmisc": ("killall",),
    "ipemu.tools.runwrap": ("yes", "nice", "setsid", "sync", "logger", "flock"),
    "ipemu.tools.textpair": ("comm", "join", "cksum"),
    "ipemu.tools.dd": ("dd",),
    "ipemu.tools.procinfo": ("uptime", "free", "w", "who", "lscpu"),
    "ipemu.tools.filetype": ("file",),
}
# tools35: more small host tools scripts call
TOOLS35 = {
    "ipemu.tools.shuf": ("shuf",),
    "ipemu.tools.splitfiles": ("split", "csplit"),
    "ipemu.tools.install": ("install",),
    "ipemu.tools.envsubst": ("envsubst",),
    "ipemu.tools.textfmt": ("fmt",),
    "ipemu.tools.pr": ("pr",),
    "ipemu.tools.procctl": ("renice", "fuser", "dmesg"),
    "ipemu.tools.watch": ("watch",),
}
# tools36: more small host tools scripts call
TOOLS36 = {
    "ipemu.tools.expand": ("expand", "unexpand"),
}
# tools37: util-linux's getopt(1), for scripts' long options
TOOLS37 = {
    "ipemu.tools.getopt": ("getopt",),
}
# tools38: coreutils' groups (a script's membership check)
TOOLS38 = {
    # glibc's getconf (/usr/bin/getconf, scripts41b)
    "ipemu.tools.sysinfo": ("groups", "getconf"),
    # coreutils' test and [ (/usr/bin/test, /usr/bin/[), run where no shell's builtin
    # is: env, xargs, find -exec, timeout, sudo, ip netns exec, a path
    "ipemu.tools.coreutils_test": ("test", "["),
    # util-linux's umount of the /run/netns mounts (tutorials40d)
    "ipemu.tools.umount": ("umount",),
    # util-linux's mount --bind (tutorials42b: a home copy of rt_tables over /etc's)
    "ipemu.tools.mount": ("mount",),
}
# tools45: diffutils' cmp (tutorials45: two namespace inode numbers compared)
TOOLS45 = {
    "ipemu.tools.cmp": ("cmp",),
}

USERLAND_TOOLS = {
    "echo": "ipemu.tools.printf",
    "printf": "ipemu.tools.printf",
    "grep": "ipemu.tools.grep",
    "egrep": "ipemu.tools.grep",
    "fgrep": "ipemu.tools.grep",
    "sed": "ipemu.tools.sed",
    "awk": "ipemu.tools.awk",
    "mawk": "ipemu.tools.awk",
    "cut": "ipemu.tools.coreutils",
    "sort": "ipemu.tools.coreutils",
    "uniq": "ipemu.tools.coreutils",
    "tr": "ipemu.tools.coreutils",
    "head": "ipemu.tools.coreutils",
    "tail": "ipemu.tools.coreutils",
    "seq": "ipemu.tools.coreutils",
    "tee": "ipemu.tools.coreutils",
    "cat": "ipemu.tools.coreutils",
    "basename": "ipemu.tools.coreutils",
    "dirname": "ipemu.tools.coreutils",
    "mkdir": "ipemu.tools.fileutils",
    "chmod": "ipemu.tools.fileutils",
    "rmdir": "ipemu.tools.fileutils",
    "touch": "ipemu.tools.fileutils",
    "truncate": "ipemu.tools.fileutils",
    "mkfifo": "ipemu.tools.fileutils",
    "unlink": "ipemu.tools.fileutils",
    "ln": "ipemu.tools.fileutils",
    "rm": "ipemu.tools.fileutils",
    "cp": "ipemu.tools.fileutils",
    "mv": "ipemu.tools.fileutils",
    "xargs": "ipemu.tools.xargs",
    "find": "ipemu.tools.find",
    "make": "ipemu.tools.make",
    "env": "ipemu.tools.xargs",
    "date": "ipemu.tools.date",
    "jq": "ipemu.tools.jq",
    "id": "ipemu.tools.sysinfo",
    "whoami": "ipemu.tools.sysinfo",
    "uname": "ipemu.tools.sysinfo",
    "nproc": "ipemu.tools.sysinfo",
    "arch": "ipemu.tools.sysinfo",
    "lsb_release": "ipemu.tools.sysinfo",
    "printenv": "ipemu.tools.sysinfo",
    **{name: "ipemu.tools.textmore" for name in (
        "paste", "rev", "tac", "nl", "fold", "base64", "md5sum", "sha1sum", "sha256sum",
        "sha512sum", "expr", "readlink", "realpath", "mktemp")},
    **{name: "ipemu.tools.hexdumps" for name in ("od", "xxd", "hexdump")},
    "numfmt": "ipemu.tools.numfmt",
    "bc": "ipemu.tools.bc",
    "nsenter": "ipemu.tools.nsenter",
    "getent": "ipemu.tools.getent",
    "python3": "ipemu.tools.python",
    **{name: "ipemu.tools.systemd" for name in (
        "systemctl", "hostnamectl", "timedatectl", "journalctl", "networkctl", "service")},
    **{name: module for module, names in TOOLS34.items() for name in names},
    **{name: module for module, names in TOOLS35.items() for name in names},
    **{name: module for module, names in TOOLS36.items() for name in names},
    **{name: module for module, names in TOOLS37.items() for name in names},
    **{name: module for module, names in TOOLS38.items() for name in names},
    **{name: module for module, names in TOOLS45.items() for name in names},
}
