"""The box's own program files as the recording machine's Debian 12 has them: what
lstat() says of /usr/bin/ip, /bin/sh and the rest (kind, permission bits, size,
modification time, link target), so that `ls -l /bin/sh`, `readlink -f /bin/sh` and
`[ -L /bin/sh ]` answer as there. Merged /usr: /bin, /sbin, /lib and /lib64 are links
into /usr. Read from the machine the oracle cases were recorded on (stat of each
program ipemu runs, and of every link on the way to it)."""
from __future__ import annotations

import posixpath

# path -> (kind: "-" file, "l" link; mode bits; st_size; st_mtime; link target)
PROGRAM_FILES: dict[str, tuple[str, int, int, int, str]] = {
    "/bin": ("l", 0o777, 7, 1747699200, 'usr/bin'),
    "/etc/alternatives/awk": ("l", 0o777, 13, 1655480126, '/usr/bin/mawk'),
    "/etc/alternatives/tcptraceroute": ("l", 0o777, 26, 1677327887, '/usr/sbin/tcptraceroute.db'),
    "/etc/alternatives/traceroute.sbin": ("l", 0o777, 22, 1677327887, '/usr/bin/traceroute.db'),
    "/etc/alternatives/traceroute6": ("l", 0o777, 23, 1677327887, '/usr/bin/traceroute6.db'),
    "/etc/alternatives/which": ("l", 0o777, 26, 1690587995, '/usr/bin/which.debianutils'),
    "/lib": ("l", 0o777, 7, 1747699200, 'usr/lib'),
    "/lib64": ("l", 0o777, 9, 1747699200, 'usr/lib64'),
    "/sbin": ("l", 0o777, 8, 1747699200, 'usr/sbin'),
    "/usr/bin/arch": ("-", 0o755, 43888, 1663687647, ''),
    "/usr/bin/arping": ("-", 0o755, 27296, 1727197236, ''),
    "/usr/bin/awk": ("l", 0o777, 21, 1655480126, '/etc/alternatives/awk'),
    "/usr/bin/base64": ("-", 0o755, 48016, 1663687647, ''),
    "/usr/bin/basename": ("-", 0o755, 43856, 1663687647, ''),
    "/usr/bin/bash": ("-", 0o755, 1265648, 1745016454, ''),
    "/usr/bin/cat": ("-", 0o755, 44016, 1663687647, ''),
    "/usr/bin/chmod": ("-", 0o755, 64496, 1663687647, ''),
    "/usr/bin/clear": ("-", 0o755, 14584, 1683470027, ''),
    "/usr/bin/cp": ("-", 0o755, 151152, 1663687647, ''),
    "/usr/bin/ctstat": ("l", 0o777, 6, 1684761592, 'lnstat'),
    "/usr/bin/curl": ("-", 0o755, 280800, 1752951899, ''),
    "/usr/bin/cut": ("-", 0o755, 48112, 1663687647, ''),
    "/usr/bin/dash": ("-", 0o755, 125640, 1672924848, ''),
    "/usr/bin/date": ("-", 0o755, 121904, 1663687647, ''),
    "/usr/bin/dirname": ("-", 0o755, 39760, 1663687647, ''),
    "/usr/bin/dnsdomainname": ("l", 0o777, 8, 1671456791, 'hostname'),
    "/usr/bin/domainname": ("l", 0o777, 8, 1671456791, 'hostname'),
    "/usr/bin/echo": ("-", 0o755, 43856, 1663687647, ''),
    "/usr/bin/egrep": ("-", 0o755, 41, 1674571380, ''),
    "/usr/bin/env": ("-", 0o755, 48536, 1663687647, ''),
    "/usr/bin/expr": ("-", 0o755, 117808, 1663687647, ''),
    "/usr/bin/false": ("-", 0o755, 35664, 1663687647, ''),
    "/usr/bin/fgrep": ("-", 0o755, 41, 1674571380, ''),
    "/usr/bin/find": ("-", 0o755, 224848, 1673201273, ''),
    "/usr/bin/fold": ("-", 0o755, 43920, 1663687647, ''),
    "/usr/bin/getent": ("-", 0o755, 36320, 1777320873, ''),
    "/usr/bin/grep": ("-", 0o755, 203152, 1674571380, ''),
    "/usr/bin/head": ("-", 0o755, 48080, 1663687647, ''),
    "/usr/bin/hexdump": ("-", 0o755, 59720, 1732219314, ''),
    "/usr/bin/hostname": ("-", 0o755, 22680, 1671456791, ''),
    "/usr/bin/hostnamectl": ("-", 0o755, 31104, 1777319335, ''),
    "/usr/bin/id": ("-", 0o755, 48144, 1663687647, ''),
    "/usr/bin/groups": ("-", 0o755, 43920, 1663687647, ''),
    "/usr/bin/ip": ("-", 0o755, 691016, 1684761592, ''),
    "/usr/bin/journalctl": ("-", 0o755, 76432, 1777319335, ''),
    "/usr/bin/jq": ("-", 0o755, 30800, 1752070995, ''),
    "/usr/bin/kill": ("-", 0o755, 22840, 1671429998, ''),
    "/usr/bin/ln": ("-", 0o755, 72824, 1663687647, ''),
    "/usr/bin/lnstat": ("-", 0o755, 27224, 1684761592, ''),
    "/usr/bin/ls": ("-", 0o755, 151344, 1663687647, ''),
    "/usr/bin/lsb_release": ("-", 0o755, 2651, 1664222788, ''),
    "/usr/bin/lsof": ("-", 0o755, 179824, 1651118903, ''),
    "/usr/local/bin/docker": ("-", 0o755, 42791888, 1748606846, ''),
    "/usr/bin/make": ("-", 0o755, 240280, 1618062915, ''),
    "/usr/bin/mawk": ("-", 0o755, 158376, 1655480126, ''),
    "/usr/bin/md5sum": ("-", 0o755, 52176, 1663687647, ''),
    "/usr/bin/mkdir": ("-", 0o755, 97552, 1663687647, ''),
    "/usr/bin/mktemp": ("-", 0o755, 43952, 1663687647, ''),
    "/usr/bin/mv": ("-", 0o755, 142968, 1663687647, ''),
    "/usr/bin/netstat": ("-", 0o755, 155304, 1748287643, ''),
    "/usr/bin/networkctl": ("-", 0o755, 108936, 1777319335, ''),
    "/usr/bin/nisdomainname": ("l", 0o777, 8, 1671456791, 'hostname'),
    "/usr/bin/nl": ("-", 0o755, 113776, 1663687647, ''),
    "/usr/bin/nohup": ("-", 0o755, 43920, 1663687647, ''),
    "/usr/bin/nproc": ("-", 0o755, 43920, 1663687647, ''),
    "/usr/bin/nsenter": ("-", 0o755, 35368, 1732219314, ''),
    "/usr/bin/nstat": ("-", 0o755, 106952, 1684761592, ''),
    "/usr/bin/od": ("-", 0o755, 80912, 1663687647, ''),
    "/usr/bin/paste": ("-", 0o755, 43920, 1663687647, ''),
    "/usr/bin/ping": ("-", 0o755, 90568, 1727197236, ''),
    "/usr/bin/ping4": ("l", 0o777, 4, 1727197236, 'ping'),
    "/usr/bin/ping6": ("l", 0o777, 4, 1727197236, 'ping'),
    "/usr/bin/printenv": ("-", 0o755, 35664, 1663687647, ''),
    "/usr/bin/printf": ("-", 0o755, 64432, 1663687647, ''),
    "/usr/bin/pwd": ("-", 0o755, 43952, 1663687647, ''),
    "/usr/bin/python3": ("l", 0o777, 10, 1681035730, 'python3.11'),
    "/usr/bin/python3.11": ("-", 0o755, 6831736, 1745849508, ''),
    "/usr/bin/rbash": ("l", 0o777, 4, 1745016454, 'bash'),
    "/usr/bin/readlink": ("-", 0o755, 52112, 1663687647, ''),
    "/usr/bin/realpath": ("-", 0o755, 52144, 1663687647, ''),
    "/usr/bin/rev": ("-", 0o755, 14648, 1732219314, ''),
    "/usr/bin/rm": ("-", 0o755, 72752, 1663687647, ''),
    "/usr/bin/rmdir": ("-", 0o755, 56240, 1663687647, ''),
    "/usr/bin/routel": ("-", 0o755, 1658, 1684761592, ''),
    "/usr/bin/rtstat": ("l", 0o777, 6, 1684761592, 'lnstat'),
    "/usr/bin/scp": ("-", 0o755, 273024, 1746701664, ''),
    "/usr/bin/sed": ("-", 0o755, 126424, 1672948525, ''),
    "/usr/bin/seq": ("-", 0o755, 60336, 1663687647, ''),
    "/usr/bin/sh": ("l", 0o777, 4, 1672924848, 'dash'),
    "/usr/bin/sha1sum": ("-", 0o755, 56272, 1663687647, ''),
    "/usr/bin/sha256sum": ("-", 0o755, 60368, 1663687647, ''),
    "/usr/bin/sha512sum": ("-", 0o755, 64464, 1663687647, ''),
    "/usr/bin/sleep": ("-", 0o755, 43888, 1663687647, ''),
    "/usr/bin/sort": ("-", 0o755, 118456, 1663687647, ''),
    "/usr/bin/ss": ("-", 0o755, 193680, 1684761592, ''),
    "/usr/bin/ssh": ("-", 0o755, 1125408, 1746701664, ''),
    "/usr/bin/stty": ("-", 0o755, 85008, 1663687647, ''),
    "/usr/bin/su": ("-", 0o4755, 72000, 1732219314, ''),
    "/usr/bin/sudo": ("-", 0o4755, 281624, 1775908883, ''),
    "/usr/bin/systemctl": ("-", 0o755, 1353368, 1777319335, ''),
    "/usr/bin/tac": ("-", 0o755, 113712, 1663687647, ''),
    "/usr/bin/tail": ("-", 0o755, 76944, 1663687647, ''),
    "/usr/bin/taskset": ("-", 0o755, 63808, 1732219314, ''),
    "/usr/bin/tcpdump": ("-", 0o755, 1269784, 1673717005, ''),
    "/usr/bin/tee": ("-", 0o755, 43984, 1663687647, ''),
    "/usr/bin/timedatectl": ("-", 0o755, 43384, 1777319335, ''),
    "/usr/bin/timeout": ("-", 0o755, 48632, 1663687647, ''),
    "/usr/bin/touch": ("-", 0o755, 109616, 1663687647, ''),
    "/usr/bin/tput": ("-", 0o755, 26896, 1683470027, ''),
    "/usr/bin/tr": ("-", 0o755, 56208, 1663687647, ''),
    "/usr/bin/tracepath": ("-", 0o755, 22992, 1727197236, ''),
    "/usr/bin/traceroute.db": ("-", 0o755, 72944, 1677327887, ''),
    "/usr/bin/traceroute6": ("l", 0o777, 29, 1677327887, '/etc/alternatives/traceroute6'),
    "/usr/bin/traceroute6.db": ("l", 0o777, 13, 1677327887, 'traceroute.db'),
    "/usr/bin/true": ("-", 0o755, 35664, 1663687647, ''),
    "/usr/bin/truncate": ("-", 0o755, 43920, 1663687647, ''),
    "/usr/bin/tty": ("-", 0o755, 35696, 1663687647, ''),
    "/usr/bin/uname": ("-", 0o755, 43888, 1663687647, ''),
    "/usr/bin/uniq": ("-", 0o755, 48080, 1663687647, ''),
    "/usr/bin/unlink": ("-", 0o755, 39760, 1663687647, ''),
    "/usr/bin/wc": ("-", 0o755, 52280, 1663687647, ''),
    "/usr/bin/wget": ("-", 0o755, 470384, 1741008752, ''),
    "/usr/bin/whereis": ("-", 0o755, 31504, 1732219314, ''),
    "/usr/bin/which": ("l", 0o777, 23, 1690587995, '/etc/alternatives/which'),
    "/usr/bin/which.debianutils": ("-", 0o755, 946, 1690587995, ''),
    "/usr/bin/whoami": ("-", 0o755, 39792, 1663687647, ''),
    "/usr/bin/xargs": ("-", 0o755, 72136, 1673201273, ''),
    "/usr/bin/xxd": ("-", 0o755, 18648, 1739683421, ''),
    "/usr/bin/ypdomainname": ("l", 0o777, 8, 1671456791, 'hostname'),
    "/usr/sbin/arp": ("-", 0o755, 67720, 1748287643, ''),
    "/usr/sbin/arpd": ("-", 0o755, 106984, 1684761592, ''),
    "/usr/sbin/bridge": ("-", 0o755, 156200, 1684761592, ''),
    "/usr/sbin/genl": ("-", 0o755, 119304, 1684761592, ''),
    "/usr/sbin/ifconfig": ("-", 0o755, 83976, 1748287643, ''),
    "/usr/sbin/ip": ("l", 0o777, 7, 1684761592, '/bin/ip'),
    "/usr/sbin/ipmaddr": ("-", 0o755, 19008, 1748287643, ''),
    "/usr/sbin/iptunnel": ("-", 0o755, 27192, 1748287643, ''),
    "/usr/sbin/mii-tool": ("-", 0o755, 27728, 1748287643, ''),
    "/usr/sbin/nameif": ("-", 0o755, 15000, 1748287643, ''),
    "/usr/sbin/plipconfig": ("-", 0o755, 14824, 1748287643, ''),
    "/usr/sbin/rarp": ("-", 0o755, 38024, 1748287643, ''),
    "/usr/sbin/route": ("-", 0o755, 70832, 1748287643, ''),
    "/usr/sbin/rtacct": ("-", 0o755, 45432, 1684761592, ''),
    "/usr/sbin/rtmon": ("-", 0o755, 115144, 1684761592, ''),
    "/usr/sbin/service": ("-", 0o755, 9099, 1663465999, ''),
    "/usr/sbin/slattach": ("-", 0o755, 42184, 1748287643, ''),
    "/usr/sbin/sysctl": ("-", 0o755, 31040, 1671429998, ''),
    "/usr/sbin/tc": ("-", 0o755, 587776, 1684761592, ''),
    "/usr/sbin/tcptraceroute": ("l", 0o777, 31, 1677327887, '/etc/alternatives/tcptraceroute'),
    "/usr/sbin/tcptraceroute.db": ("-", 0o755, 1594, 1677327887, ''),
    "/usr/sbin/traceroute": ("l", 0o777, 33, 1677327887, '/etc/alternatives/traceroute.sbin'),
    "/etc/alternatives/traceroute": ("l", 0o777, 22, 1677327887, '/usr/bin/traceroute.db'),
    "/usr/bin/traceroute": ("l", 0o777, 28, 1677327887, '/etc/alternatives/traceroute'),
}
# usrmerge's top-level links (lstat(): lrwxrwxrwx, their build time)
PROGRAM_FILES.update({
    "/lib": ("l", 0o777, 7, 1747699200, "usr/lib"),
    "/lib64": ("l", 0o777, 9, 1747699200, "usr/lib64"),
})
MERGED = {"/bin": "/usr/bin", "/sbin": "/usr/sbin", "/lib": "/usr/lib",
          "/lib64": "/usr/lib64"}
# the directories these files are in (/etc/alternatives too)
DIRS = frozenset(posixpath.dirname(p) for p in PROGRAM_FILES) | frozenset(MERGED.values())


def _parent_followed(path: str) -> str:
    """`path` with a merged top-level directory in it followed (/bin/sh is
    /usr/bin/sh), the last part left as it is."""
    for short, full in MERGED.items():
        if path.startswith(short + "/"):
            return full + path[len(short):]
    return path


def lstat(path: str) -> tuple[str, int, int, int, str] | None:
    """lstat() of a program file or of a link on the way to one, else None."""
    if path in MERGED:
        return PROGRAM_FILES.get(path)
    return PROGRAM_FILES.get(_parent_followed(path))


def link_target(path: str) -> str | None:
    """readlink(2) of a program file's link (`/bin/sh` -> `dash`), else None."""
    entry = lstat(path)
    return entry[4] if entry is not None and entry[0] == "l" else None


def follow(path: str) -> str | None:
    """Every link followed (canonicalize_filename_mode()): the program file's own
    path (/bin/sh -> /usr/bin/dash), a merged directory's (/bin -> /usr/bin), or
    None when the path is none of them."""
    for _ in range(40):
        if path in MERGED:
            return MERGED[path]
        path = _parent_followed(path)
        entry = PROGRAM_FILES.get(path)
        if entry is None:
            return None
        if entry[0] != "l":
            return path
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), entry[4]))
    return None


def homes(name: str) -> set[str]:
    """The directories (/usr/bin, /usr/sbin) that hold a program of that name, as a
    file or a link (traceroute is in both: two alternatives; ip: /usr/sbin/ip ->
    /bin/ip)."""
    return {d for d in ("/usr/bin", "/usr/sbin") if f"{d}/{name}" in PROGRAM_FILES}


def is_program_file(path: str) -> bool:
    """A regular program file once its links are followed (`[ -f /bin/sh ]`)."""
    found = follow(path)
    return found is not None and found not in MERGED.values()
