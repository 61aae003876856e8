"""Who and what the host is, as scripts ask it before they touch the network:
coreutils 9.1's `id`, `whoami`, `uname`, `nproc` and `printenv` (a script's
`[ "$(id -u)" -ne 0 ] && exit 1` root check, `uname -r` in a lesson's first lines).

The user is root, as on the recording machine; the user and group databases are the
profile's (Debian 12's base-passwd), and uname's fields the profile's kernel with the
host's own node name (the UTS namespace's hostname)."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.tools import gnuopt
from ipemu.tools.context import ToolContext


def main(ctx: ToolContext, argv: list[str]) -> int:
    return COMMANDS[argv[0]](ctx, argv)


# ------------------------------------------------------------------- users
def _table(text: str) -> list[list[str]]:
    return [line.split(":") for line in text.splitlines() if line and not line.startswith("#")]


def _users(ctx: ToolContext) -> list[list[str]]:
    return _table(ctx.profile["etc_passwd"])


def _groups(ctx: ToolContext) -> list[list[str]]:
    return _table(ctx.profile["etc_group"])


def _user(ctx: ToolContext, word: str) -> list[str] | None:
    """getpwnam(), then getpwuid() of a number (id's parse_user_spec order)."""
    users = _users(ctx)
    for entry in users:
        if entry[0] == word:
            return entry
    if word.isdigit():
        for entry in users:
            if entry[2] == word:
                return entry
    return None


def known_user(session, word: str) -> bool:
    """getpwnam() of a name (su's check), from the profile's /etc/passwd."""
    return any(entry[0] == word for entry in _table(session.profile["etc_passwd"]))


def _group_name(ctx: ToolContext, gid: str) -> str:
    return next((g[0] for g in _groups(ctx) if g[2] == gid), gid)


def _group_ids(ctx: ToolContext, user: list[str]) -> list[str]:
    """getgrouplist(): the primary group, then each group listing the user."""
    gids = [user[3]]
    for group in _groups(ctx):
        members = group[3].split(",") if len(group) > 3 and group[3] else []
        if user[0] in members and group[2] not in gids:
            gids.append(group[2])
    return gids


ID_LONGS = {"context": "Z", "group": "g", "groups": "G", "name": "n", "real": "r",
            "user": "u", "zero": "z", "help": "--help", "version": "--version"}


def id_(ctx: ToolContext, argv: list[str]) -> int:
    """coreutils id.c main(): one of -u/-g/-G, with -n names and -r real ids (the
    same here: no set-uid), else the full `uid=0(root) gid=0(root) groups=...`."""
    opts, names = gnuopt.parse(argv[1:], "agnruzGZ", ID_LONGS, "id")
    letters = {letter for letter, _ in opts}
    only = [x for x in "ugG" if x in letters]
    if len(only) > 1:
        raise CommandError("id: cannot print \"only\" of more than one choice\n", 1)
    if not only and ("n" in letters or "r" in letters):
        raise CommandError("id: cannot print only names or real IDs in default format\n", 1)
    if not only and "z" in letters:
        raise CommandError("id: option --zero not permitted in default format\n", 1)
    end = "\0" if "z" in letters else "\n"
    status = 0
    for word in names or ["root"]:
        user = _user(ctx, word)
        if user is None:
            ctx.term.err(f"id: ‘{word}’: no such user\n")
            status = 1
            continue
        uid, gid = user[2], user[3]
        if only == ["u"]:
            ctx.term.out((user[0] if "n" in letters else uid) + end)
        elif only == ["g"]:
            ctx.term.out((_group_name(ctx, gid) if "n" in letters else gid) + end)
        elif only == ["G"]:
            gids = _group_ids(ctx, user)
            words = [_group_name(ctx, g) for g in gids] if "n" in letters else gids
            ctx.term.out(("\0".join(words) + "\0\0") if "z" in letters
                         else " ".join(words) + "\n")
        else:
            groups = ",".join(f"{g}({_group_name(ctx, g)})" for g in _group_ids(ctx, user))
            ctx.term.out(f"uid={uid}({user[0]}) gid={gid}({_group_name(ctx, gid)}) "
                         f"groups={groups}\n")
    return status


def whoami(ctx: ToolContext, argv: list[str]) -> int:
    _, names = gnuopt.parse(argv[1:], "", {"help": "", "version": ""}, "whoami")
    if names:
        raise gnuopt.extra_operand("whoami", names[0])
    ctx.term.out("root\n")
    return 0


def groups(ctx: ToolContext, argv: list[str]) -> int:
    """coreutils 9.1 groups.c: with no USERNAME the process's groups (root's,
    `root`); each USERNAME as `NAME : GROUP...` (getgrouplist()); an unknown one is
    `no such user` and a status of 1 once every name was tried."""
    opts, names = gnuopt.parse(argv[1:], "", {"help": "--help", "version": "--version"},
                               "groups")
    for letter, _ in opts:
        ctx.term.out(ctx.profile.usage("groups_help" if letter == "--help"
                                       else "groups_version"))
        return 0
    if not names:
        user = _user(ctx, "root")
        ctx.term.out(" ".join(_group_name(ctx, g) for g in _group_ids(ctx, user)) + "\n")
        return 0
    status = 0
    for word in names:
        user = next((entry for entry in _users(ctx) if entry[0] == word), None)
        if user is None:
            ctx.term.err(f"groups: ‘{word}’: no such user\n")
            status = 1
            continue
        ctx.term.out(f"{word} : " + " ".join(_group_name(ctx, g)
                                             for g in _group_ids(ctx, user)) + "\n")
    return status


# ------------------------------------------------------------------- uname
# uname.c: the fields in print order, their letters and long names
UNAME_FIELDS = (("s", "kernel-name"), ("n", "nodename"), ("r", "kernel-release"),
                ("v", "kernel-version"), ("m", "machine"), ("p", "processor"),
                ("i", "hardware-platform"), ("o", "operating-system"))
UNAME_LONGS = {"all": "a", **{name: letter for letter, name in UNAME_FIELDS},
               "help": "--help", "version": "--version"}


def uname(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "asnrvmpio", UNAME_LONGS, "uname")
    if names:
        raise gnuopt.extra_operand("uname", names[0])
    letters = {letter for letter, _ in opts}
    values = {"s": ctx.profile["uname_sysname"], "n": ctx.host.hostname,
              "r": ctx.profile["uname_release"], "v": ctx.profile["uname_version"],
              "m": ctx.profile["uname_machine"], "p": ctx.profile["uname_processor"],
              "i": ctx.profile["uname_hardware_platform"],
              "o": "GNU/Linux"}
    if "a" in letters:
        # -a: every field, but processor and platform only when known (uname.c:
        # `toprint == UINT_MAX` skips an unknown one, even when also named)
        letters |= {letter for letter, _ in UNAME_FIELDS}
    chosen = [letter for letter, _ in UNAME_FIELDS if letter in letters] or ["s"]
    words = [values[letter] for letter in chosen
             if not ("a" in letters and letter in "pi" and values[letter] == "unknown")]
    ctx.term.out(" ".join(words) + "\n")
    return 0


# ------------------------------------------------------------------- nproc
def nproc(ctx: ToolContext, argv: list[str]) -> int:
    opts, names = gnuopt.parse(argv[1:], "", {"all": "--all", "ignore=": "--ignore",
                                              "help": "", "version": ""}, "nproc")
    if names:
        raise gnuopt.extra_operand("nproc", names[0])
    count = int(ctx.profile["nproc"])
    for letter, value in opts:
        if letter == "--ignore":
            if not value.strip().isdigit():
                raise CommandError(f"nproc: invalid number: ‘{value}’\n", 1)
            count -= int(value)
    ctx.term.out(f"{max(count, 1)}\n")
    return 0


# ---------------------------------------------------------------- printenv
def printenv(ctx: ToolContext, argv: list[str]) -> int:
    """printenv.c: every exported variable, or the values of those named (status 1
    when one is not set)."""
    from ipemu.tools.xargs import environment
    opts, names = gnuopt.parse(argv[1:], "0", {"null": "0", "help": "", "version": ""},
                               "printenv", status=2)
    end = "\0" if opts else "\n"
    environ = environment(ctx, "/usr/bin/printenv")
    if not names:
        ctx.term.out("".join(f"{k}={v}{end}" for k, v in environ.items()))
        return 0
    status = 0
    for name in names:
        if "=" in name or name not in environ:
            status = 1
            continue
        ctx.term.out(environ[name] + end)
    return status


# ------------------------------------------------------------------- arch
def arch(ctx: ToolContext, argv: list[str]) -> int:
    """coreutils' arch: `uname -m`, no operands."""
    _opts, names = gnuopt.parse(argv[1:], "", {}, "arch")
    if names:
        raise gnuopt.extra_operand("arch", names[0])
    ctx.term.out(ctx.profile["uname_machine"] + "\n")
    return 0


# ------------------------------------------------------------ lsb_release
LSB_HELP = """Usage: lsb_release [options]

Options:
  -h, --help         show this help message and exit
  -v, --version      show LSB modules this system supports
  -i, --id           show distributor ID
  -d, --description  show description of this distribution
  -r, --release      show release number of this distribution
  -c, --codename     show code name of this distribution
  -a, --all          show all of the above information
  -s, --short        show requested information in short format
"""
LSB_LONGS = {"help": "h", "version": "v", "id": "i", "description": "d", "release": "r",
             "codename": "c", "all": "a", "short": "s"}


def _os_release(ctx: ToolContext) -> dict[str, str]:
    """The shell assignments of /etc/os-release (else /usr/lib/os-release), which
    lsb_release sources."""
    text = ctx.session.read_text("/etc/os-release") or \
        ctx.session.read_text("/usr/lib/os-release") or ""
    values = {}
    for line in text.splitlines():
        key, eq, value = line.partition("=")
        if eq and key.isidentifier():
            values[key] = value.strip().strip('"')
    return values


def lsb_release(ctx: ToolContext, argv: list[str]) -> int:
    """Debian 12's lsb-release-minimal (a POSIX shell script): getopt's options, the
    os-release fields, and `No LSB modules are available.` on stderr when stdout is a
    terminal."""
    from ipemu.errors import CommandError
    try:
        opts, _names = gnuopt.parse(argv[1:], "hvidrcas", LSB_LONGS, "lsb_release",
                                    status=2, usage="")
    except CommandError as err:
        ctx.term.err(err.message.replace("'\n", "'\n", 1))
        return 2
    letters = [letter for letter, _ in opts]
    if "h" in letters:
        ctx.term.out(LSB_HELP)
        return 0
    show = set("idrc") if "a" in letters else set(letters) & set("idrc")
    info = _os_release(ctx)
    ident = info.get("ID", "")
    ident = ident[:1].upper() + ident[1:]
    if "NAME" in info and ident.lower() == info["NAME"].lower():
        ident = info["NAME"]
    if getattr(ctx.session, "stdout_tty", False):
        ctx.term.err("No LSB modules are available.\n")
    fields = [("i", "Distributor ID", ident), ("d", "Description", info.get("PRETTY_NAME")),
              ("r", "Release", info.get("VERSION_ID")),
              ("c", "Codename", info.get("VERSION_CODENAME"))]
    for letter, label, value in fields:
        if letter in show:
            value = value or "n/a"
            ctx.term.out(f"{value}\n" if "s" in letters else f"{label}:\t{value}\n")
    return 0


# ---------------------------------------------------------------- getconf
GETCONF_USAGE = ("Usage: getconf [-v specification] variable_name [pathname]\n"
                 "       getconf -a [pathname]\n")
# glibc 2.36's getconf on the recording machine (x86_64): sysconf() values that do not
# depend on the caller's limits; the processor counts come from the profile
GETCONF_SYSCONF = {"PAGESIZE": "4096", "PAGE_SIZE": "4096", "LONG_BIT": "64",
                   "CLK_TCK": "100", "HOST_NAME_MAX": "64", "LINE_MAX": "2048",
                   "LOGIN_NAME_MAX": "256", "CHAR_BIT": "8", "WORD_BIT": "32",
                   "GNU_LIBC_VERSION": "glibc 2.36",
                   "GNU_LIBPTHREAD_VERSION": "NPTL 2.36"}
# pathconf() ones, asked with a pathname
GETCONF_PATHCONF = {"PATH_MAX": "4096", "NAME_MAX": "255", "PIPE_BUF": "4096"}


def getconf(ctx: ToolContext, argv: list[str]) -> int:
    """glibc posix/getconf.c: `getconf NAME` prints a sysconf()/confstr() value,
    `getconf NAME PATH` a pathconf() one; a name it does not know is
    "Unrecognized variable `NAME'" (status 2), a wrong number of words the usage."""
    args = argv[1:]
    if args[:1] == ["-v"] and len(args) >= 2:
        args = args[2:]
    elif args[:1] and args[0].startswith("-v") and len(args[0]) > 2:
        args = args[1:]
    if len(args) not in (1, 2) or args[0] == "-a":
        ctx.term.err(GETCONF_USAGE)
        return 2
    name = args[0]
    nproc = str(int(ctx.profile["nproc"]))
    sysconf = dict(GETCONF_SYSCONF, _NPROCESSORS_ONLN=nproc, _NPROCESSORS_CONF=nproc)
    if len(args) == 1:
        value = sysconf.get(name)
    else:
        if name in sysconf:
            ctx.term.err(GETCONF_USAGE)
            return 2
        value = GETCONF_PATHCONF.get(name)
    if value is None:
        if name in GETCONF_PATHCONF:
            ctx.term.err(GETCONF_USAGE)
            return 2
        ctx.term.err(f"getconf: Unrecognized variable `{name}'\n")
        return 2
    ctx.term.out(value + "\n")
    return 0


COMMANDS = {"id": id_, "getconf": getconf, "whoami": whoami, "groups": groups, "uname": uname, "nproc": nproc,
            "printenv": printenv, "arch": arch, "lsb_release": lsb_release}
