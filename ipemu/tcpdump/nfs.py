"""NFS over Sun RPC (port 2049, UDP and TCP's record marking) as tcpdump 4.99.3 prints
it (print-nfs.c): requests by procedure with their file handles (parsenfsfh.c's
Parse_fh() guessing the server's handle layout), names, offsets and counts; replies
matched to their requests through the xid map (64 entries, kept from packet to
packet), with status, attributes (-v, -vv), wcc data, statfs, fsinfo, pathconf."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, tok2str
from ipemu.tcpdump.util import nd_printn

NFS_PORT = 2049
NFS_VER3 = 3
(NULL, GETATTR, SETATTR, LOOKUP, ACCESS, READLINK, READ, WRITE, CREATE, MKDIR, SYMLINK,
 MKNOD, REMOVE, RMDIR, RENAME, LINK, READDIR, READDIRPLUS, FSSTAT, FSINFO, PATHCONF,
 COMMIT) = range(22)
NOOP = 25
NFS_NPROCS = 26
NFSV3_PROCID = [NULL, GETATTR, SETATTR, NOOP, LOOKUP, READLINK, READ, NOOP, WRITE, CREATE,
                REMOVE, RENAME, LINK, SYMLINK, MKDIR, RMDIR, READDIR, FSSTAT] + [NOOP] * 8
NFSPROC_STR = {NOOP: "nop", NULL: "null", GETATTR: "getattr", SETATTR: "setattr",
               LOOKUP: "lookup", ACCESS: "access", READLINK: "readlink", READ: "read",
               WRITE: "write", CREATE: "create", MKDIR: "mkdir", SYMLINK: "symlink",
               MKNOD: "mknod", REMOVE: "remove", RMDIR: "rmdir", RENAME: "rename",
               LINK: "link", READDIR: "readdir", READDIRPLUS: "readdirplus",
               FSSTAT: "fsstat", FSINFO: "fsinfo", PATHCONF: "pathconf", COMMIT: "commit"}
STATUS2STR = {1: "Operation not permitted", 2: "No such file or directory",
              5: "Input/output error", 6: "Device not configured",
              11: "Resource deadlock avoided", 12: "Cannot allocate memory",
              13: "Permission denied", 17: "File exists", 18: "Cross-device link",
              19: "Operation not supported by device", 20: "Not a directory",
              21: "Is a directory", 22: "Invalid argument", 26: "Text file busy",
              27: "File too large", 28: "No space left on device",
              30: "Read-only file system", 31: "Too many links",
              45: "Operation not supported", 62: "Too many levels of symbolic links",
              63: "File name too long", 66: "Directory not empty",
              69: "Disc quota exceeded", 70: "Stale NFS file handle",
              71: "Too many levels of remote in path", 99: "Write cache flushed to disk",
              10001: "Illegal NFS file handle", 10002: "Update synchronization mismatch",
              10003: "READDIR/READDIRPLUS cookie is stale", 10004: "Operation not supported",
              10005: "Buffer or request is too small", 10006: "Unspecified error on server",
              10007: "Object of that type not supported",
              10008: "Request couldn't be completed in time"}
WRITEMODES = {0: "unstable", 1: "datasync", 2: "filesync"}
TYPE2STR = {0: "NON", 1: "REG", 2: "DIR", 3: "BLK", 4: "CHR", 5: "LNK", 7: "FIFO"}
AUTH_STR = {0: "OK", 1: "Bogus Credentials (seal broken)",
            2: "Rejected Credentials (client should begin new session)",
            3: "Bogus Verifier (seal broken)", 4: "Verifier expired or was replayed",
            5: "Credentials are too weak", 6: "Bogus response verifier", 7: "Unknown failure"}
SUNRPC_STR = {1: "PROG_UNAVAIL", 2: "PROG_MISMATCH", 3: "PROC_UNAVAIL", 4: "GARBAGE_ARGS",
              5: "SYSTEM_ERR"}
V2FH, V3FHMAX, V2FATTR, V3FATTR, V2STATFS, V3STATFS = 32, 64, 68, 84, 20, 52
XIDMAPSIZE = 64
U32 = 0xFFFFFFFF


def _tok(table: dict, value: int) -> str:
    """tok2str() with a NULL format: "#%d" of the u_int, so printed signed."""
    return table.get(value, f"#{_s32(value)}")


def _u64(d: Dissector, off: int) -> int:
    return (d.u32(off) << 32) | d.u32(off + 4)


def _s32(value: int) -> int:
    return value - (1 << 32) if value & 0x80000000 else value


def _s64(value: int) -> int:
    return value - (1 << 64) if value & (1 << 63) else value


class _Reply:
    """interp_reply()'s nfserr: set when an error was printed (no trunc mark then)."""
    nfserr = False


# -- parsenfsfh.c ---------------------------------------------------------------
def _is_ucx(d: Dissector, fhp: int, length: int) -> bool:
    if length < 28 // 4:
        return False
    seen_null = False
    for i in range(1, 14):
        c = d.u8(fhp + i)
        if 0x20 <= c <= 0x7E:
            if seen_null:
                return False
        elif c == 0:
            seen_null = True
        else:
            return False
    return True


def parse_fh(d: Dissector, fhp: int, length: int) -> tuple[int, int, int, bytes, str | None]:
    """Parse_fh(): (major, minor, inode, opaque handle text, server fs name) guessed
    from the handle's layout (Auspex, BSD 4.4, OSF, IRIX, SunOS, Ultrix, VMS, HP-UX)."""
    b = lambda i: d.u8(fhp + i)  # noqa: E731
    kind = "unknown"
    if length < 16 // 4:
        kind = "unknown"
    elif b(0) == 0 and b(1) == 0:
        if b(2) == 0 and b(3) == 0:
            kind = "auspex"
        elif b(4) != 0 and b(5) == 0 and b(8) == 12 and b(9) == 0:
            kind = "decosf"
        elif b(4) == 0 and b(5) == 8 and b(6) == 0 and b(7) == 0:
            kind = "irix4"
        else:
            kind = "sunos4"
    elif b(2) == 0 and b(3) == 0:
        if b(6) == 0 and b(7) == 0:
            kind = "bsd44"
        elif length >= 24 // 4 and b(21) == 0 and b(23) == 0:
            kind = "ultrix"
        elif b(9) == 10:
            kind = "sunos5"
    elif b(8) == 12 and b(9) == 0:
        kind = "decosf"
    elif b(8) == 0 and b(9) == 10:
        if b(7) == 0 and b(6) == 0 and b(5) == 0 and b(4) == 0:
            kind = "hpux9"
        else:
            kind = "sunos5"
    elif _is_ucx(d, fhp, length):
        kind = "vmsucx"

    def le32(i: int) -> int:
        return int.from_bytes(d.bytes_(fhp + i, 4), "little")

    def be16(i: int) -> int:
        return d.u16(fhp + i)

    def be24(i: int) -> int:
        return int.from_bytes(d.bytes_(fhp + i, 3), "big")

    if kind == "auspex":
        return b(6), b(7), d.u32(fhp + 12), b"", None
    if kind == "bsd44":
        return b(1), b(0), le32(12), b"", None
    if kind == "decosf":
        temp = le32(0)
        inode = le32(12)
        le32(4)
        return (temp >> 20) & 0xFFF, temp & 0xFFFFF, inode, b"", None
    if kind == "irix4":
        return b(2), b(3), d.u32(fhp + 8), b"", None
    if kind == "sunos4":
        d.u32(fhp + 4)
        return b(2), b(3), d.u32(fhp + 12), b"", None
    if kind == "sunos5":
        major = (be16(0) >> 2) & 0x3FFF
        minor = be24(1) & 0x3FFFF
        d.u32(fhp + 4)
        return major, minor, d.u32(fhp + 12), b"", None
    if kind == "ultrix":
        return b(1), b(0), le32(4), b"", None
    if kind == "hpux9":
        major, minor = b(0), be24(1)
        d.u32(fhp + 4)
        return major, minor, d.u32(fhp + 12), b"", None
    if kind == "vmsucx":
        # the fsid is the handle's first 14 bytes copied over my_fsid (Minor, Major,
        # then Opaque_Handle's first 6 bytes)
        raw = d.bytes_(fhp, 14)
        minor = int.from_bytes(raw[0:4], "little")
        major = int.from_bytes(raw[4:8], "little")
        inode = (b(26) << 24) | (b(27) << 16) | int.from_bytes(d.bytes_(fhp + 22, 2), "little")
        fsname = bytes(d.data[fhp + 1:fhp + 1 + 64])
        return major, minor, inode, raw[8:14], fsname.decode("latin-1")
    # FHT_UNKNOWN: the handle in hex (at most 32 bytes), "bogus" 257,257
    n = 0
    text = []
    while n < length * 4 and n * 2 < 65 - 1:
        text.append(f"{b(n):02X}")
        n += 1
    return 257, 257, 1, "".join(text).encode(), "Unknown"


def nfs_printfh(d: Dissector, dp: int, length: int) -> None:
    major, minor, inode, opaque, sfsname = parse_fh(d, dp, length)
    if sfsname is not None:
        stringlen = min(length, V3FHMAX)
        temp = sfsname[:stringlen].split("\0", 1)[0]
        temp = temp.split(" ", 1)[0]
        d.p(f" fh {temp}/")
    else:
        d.p(f" fh {major},{minor}/")
    if minor == 257:
        d.p(opaque.split(b"\0", 1)[0].decode("latin-1"))
    else:
        d.p(f"{inode}")


# -- requests --------------------------------------------------------------------
def _ip_addrs(d: Dissector, iph: int) -> tuple[int, bytes, bytes] | None:
    version = d.u8(iph) >> 4
    if version == 4:
        return 4, d.bytes_(iph + 12, 4), d.bytes_(iph + 16, 4)
    if version == 6:
        return 6, d.bytes_(iph + 8, 16), d.bytes_(iph + 24, 16)
    return None


def xid_map_enter(d: Dissector, rp: int, iph: int) -> bool:
    if not d.ttest(rp + 20, 4):
        return False
    addrs = _ip_addrs(d, iph)
    if addrs is None:
        return True
    st = d.state
    if not st.nfs_xid_map:
        st.nfs_xid_map = [None] * XIDMAPSIZE
    slot = st.nfs_xid_next
    st.nfs_xid_next = (slot + 1) % XIDMAPSIZE
    ipver, client, server = addrs
    st.nfs_xid_map[slot] = (d.u32(rp), ipver, client, server, d.u32(rp + 20), d.u32(rp + 16))
    return True


def xid_map_find(d: Dissector, rp: int, iph: int) -> tuple[int, int] | None:
    st = d.state
    if not st.nfs_xid_map:
        st.nfs_xid_map = [None] * XIDMAPSIZE
    version = d.u8(iph) >> 4
    xid = d.u32(rp)
    i = st.nfs_xid_hint
    while True:
        entry = st.nfs_xid_map[i]
        if entry is not None and entry[1] == version and entry[0] == xid:
            addrs = _ip_addrs(d, iph)
            if addrs is not None and addrs[1] == entry[3] and addrs[2] == entry[2]:
                st.nfs_xid_hint = i
                return entry[4], entry[5]
        i = (i + 1) % XIDMAPSIZE
        if i == st.nfs_xid_hint:
            return None


def parsereq(d: Dissector, rp: int, length: int) -> int | None:
    dp = rp + 24
    if length < 8:
        return None
    ln = d.u32(dp + 4)
    rounded = (ln + 3) & U32 & ~3
    if not d.ttest(dp + 8, rounded):
        return None
    if 8 + rounded <= length:
        dp += 4 * ((ln + 11) // 4)
        length -= 8 + rounded
        if length < 8:
            return None
        ln = d.u32(dp + 4)
        rounded = (ln + 3) & U32 & ~3
        if not d.ttest(dp + 8, rounded):
            return None
        if 8 + rounded < length:
            return dp + 4 * ((ln + 11) // 4)
    return None


def parsefh(d: Dissector, dp: int, v3: bool) -> int | None:
    if v3:
        length = d.u32(dp) // 4
        dp += 4
    else:
        length = V2FH // 4
    if d.ttest(dp, length * 4):
        nfs_printfh(d, dp, length)
        return dp + 4 * length
    return None


def parsefn(d: Dissector, dp: int) -> int | None:
    length = d.u32(dp)
    dp += 4
    if U32 - length < 3:
        d.p("[cannot pad to 32-bit boundaries] (invalid)")
        return None
    rounded = (length + 3) & ~3
    if not d.ttest(dp, rounded):
        return None
    cp = dp
    dp += rounded
    d.p('"')
    if nd_printn(d, cp, length, stop_at_snapend=True):
        d.p('"')
        return None
    d.p('"')
    return dp


def parsefhn(d: Dissector, dp: int, v3: bool) -> int | None:
    dp = parsefh(d, dp, v3)
    if dp is None:
        return None
    d.p(" ")
    return parsefn(d, dp)


def parse_sattr3(d: Dissector, dp: int) -> tuple[int, dict]:
    sa: dict = {}
    for name in ("mode", "uid", "gid", "size"):
        isset = d.u32(dp)
        dp += 4
        if isset:
            sa[name] = d.u32(dp)
            dp += 4
    for name in ("atime", "mtime"):
        kind = d.u32(dp)
        dp += 4
        if kind == 2:                   # NFSV3SATTRTIME_TOCLIENT
            sa[name] = (d.u32(dp), d.u32(dp + 4))
            dp += 8
    return dp, sa


def print_sattr3(d: Dissector, sa: dict, verbose: int) -> None:
    if "mode" in sa:
        d.p(f" mode {sa['mode']:o}")
    if "uid" in sa:
        d.p(f" uid {sa['uid']}")
    if "gid" in sa:
        d.p(f" gid {sa['gid']}")
    if verbose > 1:
        if "atime" in sa:
            d.p(f" atime {sa['atime'][0]}.{sa['atime'][1]:06d}")
        if "mtime" in sa:
            d.p(f" mtime {sa['mtime'][0]}.{sa['mtime'][1]:06d}")


def _access_flags(flags: int) -> str:
    if flags & ~0x3F:
        return f" {flags:04x}"
    if flags & 0x3F == 0x3F:
        return " NFS_ACCESS_FULL"
    out, sep = "", " "
    for bit, name in ((0x01, "READ"), (0x02, "LOOKUP"), (0x04, "MODIFY"), (0x08, "EXTEND"),
                      (0x10, "DELETE"), (0x20, "EXECUTE")):
        if flags & bit:
            out += f"{sep}NFS_ACCESS_{name}"
            sep = "|"
    return out


def nfsreq_noaddr_print(d: Dissector, rp: int, length: int, iph: int) -> None:
    d.protocol = "nfs"
    d.p(f"{length}")
    if not xid_map_enter(d, rp, iph):
        d.nd_print_trunc()
        return
    v3 = d.u32(rp + 16) == NFS_VER3
    proc = d.u32(rp + 20)
    if not v3 and proc < NFS_NPROCS:
        proc = NFSV3_PROCID[proc]
    d.p(f" {tok2str(NFSPROC_STR, 'proc-%u', proc)}")
    if not _request(d, proc, v3, rp, length):
        d.nd_print_trunc()


def _request(d: Dissector, proc: int, v3: bool, rp: int, length: int) -> bool:
    """nfsreq_noaddr_print()'s switch; False for its `goto trunc`."""
    vflag = d.opts.vflag
    if proc not in (GETATTR, SETATTR, READLINK, FSSTAT, FSINFO, PATHCONF, LOOKUP, CREATE,
                    MKDIR, REMOVE, RMDIR, ACCESS, READ, WRITE, SYMLINK, MKNOD, RENAME, LINK,
                    READDIR, READDIRPLUS, COMMIT):
        return True
    dp = parsereq(d, rp, length)
    if dp is None:
        return False
    if proc in (GETATTR, SETATTR, READLINK, FSSTAT, FSINFO, PATHCONF):
        return parsefh(d, dp, v3) is not None
    if proc in (LOOKUP, CREATE, MKDIR, REMOVE, RMDIR):
        return parsefhn(d, dp, v3) is not None
    if proc in (SYMLINK, MKNOD, RENAME):
        dp = parsefhn(d, dp, v3)
    else:
        dp = parsefh(d, dp, v3)
    if dp is None:
        return False
    if proc == ACCESS:
        d.p(_access_flags(d.u32(dp)))
    elif proc == READ:
        if v3:
            d.p(f" {d.u32(dp + 8)} bytes @ {_u64(d, dp)}")
        else:
            d.p(f" {d.u32(dp + 4)} bytes @ {d.u32(dp)}")
    elif proc == WRITE:
        if v3:
            d.p(f" {d.u32(dp + 16)} ({d.u32(dp + 8)}) bytes @ {_u64(d, dp)}")
            if vflag:
                d.p(f" <{_tok(WRITEMODES, d.u32(dp + 12))}>")
        else:
            d.p(f" {d.u32(dp + 12)} ({d.u32(dp + 8)}) bytes @ {d.u32(dp + 4)} ({d.u32(dp)})")
    elif proc == SYMLINK:
        d.p(" ->")
        sa: dict = {}
        if v3:
            dp, sa = parse_sattr3(d, dp)
        if parsefn(d, dp) is None:
            return False
        if v3 and vflag:
            print_sattr3(d, sa, vflag)
    elif proc == MKNOD:
        kind = d.u32(dp)
        dp, sa = parse_sattr3(d, dp + 4)
        d.p(f" {tok2str(TYPE2STR, 'unk-ft %u', kind)}")
        if vflag and kind in (4, 3):
            d.p(f" {d.u32(dp)}/{d.u32(dp + 4)}")
        if vflag:
            print_sattr3(d, sa, vflag)
    elif proc == RENAME:
        d.p(" ->")
        return parsefhn(d, dp, v3) is not None
    elif proc == LINK:
        d.p(" ->")
        return parsefhn(d, dp, v3) is not None
    elif proc == READDIR:
        if v3:
            d.p(f" {d.u32(dp + 16)} bytes @ {_s64(_u64(d, dp))}")
            if vflag:
                d.p(f" verf {d.u32(dp + 8):08x}{d.u32(dp + 12):08x}")
        else:
            d.p(f" {d.u32(dp + 4)} bytes @ {d.u32(dp)}")
    elif proc == READDIRPLUS:
        d.p(f" {d.u32(dp + 16)} bytes @ {_s64(_u64(d, dp))}")
        if vflag:
            d.p(f" max {d.u32(dp + 20)} verf {d.u32(dp + 8):08x}{d.u32(dp + 12):08x}")
    elif proc == COMMIT:
        d.p(f" {d.u32(dp + 8)} bytes @ {_u64(d, dp)}")
    return True


# -- replies ---------------------------------------------------------------------
def nfsreply_noaddr_print(d: Dissector, rp: int, length: int, iph: int) -> None:
    d.protocol = "nfs"
    if not d.ttest(rp + 8, 4):
        d.nd_print_trunc()
        return
    reply_stat = d.u32(rp + 8)
    if reply_stat == 0:
        d.p(f"reply ok {length}")
        found = xid_map_find(d, rp, iph)
        if found is not None:
            interp_reply(d, rp, found[0], found[1], length)
    elif reply_stat == 1:
        d.p(f"reply ERR {length}: ")
        if not d.ttest(rp + 12, 4):
            d.nd_print_trunc()
            return
        rstat = d.u32(rp + 12)
        if rstat == 0:
            if not d.ttest(rp + 20, 4):
                d.nd_print_trunc()
                return
            d.p(f"RPC Version mismatch ({d.u32(rp + 16)}-{d.u32(rp + 20)})")
        elif rstat == 1:
            if not d.ttest(rp + 16, 4):
                d.nd_print_trunc()
                return
            d.p(f"Auth {tok2str(AUTH_STR, 'Invalid failure code %u', d.u32(rp + 16))}")
        else:
            d.p(f"Unknown reason for rejecting rpc message {rstat}")
    else:
        d.p(f"reply Unknown rpc response code={reply_stat} {length}")


def parserep(d: Dissector, rp: int, length: int, st: _Reply) -> int | None:
    dp = rp + 12
    ln = d.u32(dp + 4)
    if ln >= length:
        return None
    dp += 4 * ((ln + 11) // 4)
    astat = d.u32(dp)
    if astat != 0:
        d.p(f" {tok2str(SUNRPC_STR, 'ar_stat %u', astat)}")
        st.nfserr = True
        return None
    if not d.ttest(dp, 4):
        return None
    return dp + 4


def parsestatus(d: Dissector, dp: int, st: _Reply) -> tuple[int, int]:
    errnum = d.u32(dp)
    if errnum != 0:
        if not d.opts.qflag:
            d.p(f" ERROR: {tok2str(STATUS2STR, 'unk %u', errnum)}")
        st.nfserr = True
    return dp + 4, errnum


def parsefattr(d: Dissector, dp: int, verbose: int, v3: bool) -> int | None:
    if not d.ttest(dp + 16, 4):
        return None
    if verbose:
        d.p(f" {tok2str(TYPE2STR, 'unk-ft %u ', d.u32(dp))} {d.u32(dp + 4):o} ids "
            f"{_s32(d.u32(dp + 12))}/{_s32(d.u32(dp + 16))}")
        if v3:
            d.p(f" sz {_u64(d, dp + 20)}")
        else:
            d.p(f" sz {d.u32(dp + 20)}")
    if verbose > 1:
        if v3:
            if not d.ttest(dp + 76, 8):
                return None
            d.p(f" nlink {d.u32(dp + 8)} rdev {d.u32(dp + 36)}/{d.u32(dp + 40)}")
            d.p(f" fsid {_u64(d, dp + 44):x}")
            d.p(f" fileid {_u64(d, dp + 52):x}")
            d.p(f" a/m/ctime {d.u32(dp + 60)}.{d.u32(dp + 64):06d}")
            d.p(f" {d.u32(dp + 68)}.{d.u32(dp + 72):06d}")
            d.p(f" {d.u32(dp + 76)}.{d.u32(dp + 80):06d}")
        else:
            if not d.ttest(dp + 60, 8):
                return None
            d.p(f" nlink {d.u32(dp + 8)} rdev 0x{d.u32(dp + 28):x} fsid 0x{d.u32(dp + 36):x} "
                f"nodeid 0x{d.u32(dp + 40):x} a/m/ctime")
            d.p(f" {d.u32(dp + 44)}.{d.u32(dp + 48):06d}")
            d.p(f" {d.u32(dp + 52)}.{d.u32(dp + 56):06d}")
            d.p(f" {d.u32(dp + 60)}.{d.u32(dp + 64):06d}")
    return dp + (V3FATTR if v3 else V2FATTR)


def parseattrstat(d: Dissector, dp: int, verbose: int, v3: bool, st: _Reply) -> bool:
    dp, er = parsestatus(d, dp, st)
    if er:
        return True
    return parsefattr(d, dp, verbose, v3) is not None


def parsediropres(d: Dissector, dp: int, st: _Reply) -> bool:
    dp, er = parsestatus(d, dp, st)
    if er:
        return True
    dp = parsefh(d, dp, False)
    if dp is None:
        return False
    return parsefattr(d, dp, d.opts.vflag, False) is not None


def parselinkres(d: Dissector, dp: int, v3: bool, st: _Reply) -> bool:
    dp, er = parsestatus(d, dp, st)
    if er:
        return True
    if v3:
        dp = parse_post_op_attr(d, dp, d.opts.vflag)
        if dp is None:
            return False
    d.p(" ")
    return parsefn(d, dp) is not None


def parsestatfs(d: Dissector, dp: int, v3: bool, st: _Reply) -> bool:
    dp, er = parsestatus(d, dp, st)
    if not v3 and er:
        return True
    if d.opts.qflag:
        return True
    if v3:
        if d.opts.vflag:
            d.p(" POST:")
        dp = parse_post_op_attr(d, dp, d.opts.vflag)
        if dp is None:
            return False
    if not d.ttest(dp, V3STATFS if v3 else V2STATFS):
        return False
    if v3:
        d.p(f" tbytes {_u64(d, dp)} fbytes {_u64(d, dp + 8)} abytes {_u64(d, dp + 16)}")
        if d.opts.vflag:
            d.p(f" tfiles {_u64(d, dp + 24)} ffiles {_u64(d, dp + 32)} afiles "
                f"{_u64(d, dp + 40)} invar {d.u32(dp + 48)}")
    else:
        d.p(f" tsize {d.u32(dp)} bsize {d.u32(dp + 4)} blocks {d.u32(dp + 8)} bfree "
            f"{d.u32(dp + 12)} bavail {d.u32(dp + 16)}")
    return True


def parserddires(d: Dissector, dp: int, st: _Reply) -> bool:
    dp, er = parsestatus(d, dp, st)
    if er or d.opts.qflag:
        return True
    d.p(f" offset 0x{d.u32(dp):x} size {d.u32(dp + 4)} ")
    if d.u32(dp + 8) != 0:
        d.p(" eof")
    return True


def parse_wcc_attr(d: Dissector, dp: int) -> int:
    d.p(f" sz {_u64(d, dp)}")
    d.p(f" mtime {d.u32(dp + 8)}.{d.u32(dp + 12):06d} ctime "
        f"{d.u32(dp + 16)}.{d.u32(dp + 20):06d}")
    return dp + 24


def parse_pre_op_attr(d: Dissector, dp: int, verbose: int) -> int | None:
    if not d.u32(dp):
        return dp + 4
    dp += 4
    if not d.ttest(dp, 24):
        return None
    if verbose > 1:
        return parse_wcc_attr(d, dp)
    return dp + 24


def parse_post_op_attr(d: Dissector, dp: int, verbose: int) -> int | None:
    if not d.u32(dp):
        return dp + 4
    dp += 4
    if verbose:
        return parsefattr(d, dp, verbose, True)
    return dp + V3FATTR


def parse_wcc_data(d: Dissector, dp: int, verbose: int) -> int | None:
    if verbose > 1:
        d.p(" PRE:")
    dp = parse_pre_op_attr(d, dp, verbose)
    if dp is None:
        return None
    if verbose:
        d.p(" POST:")
    return parse_post_op_attr(d, dp, verbose)


def parsecreateopres(d: Dissector, dp: int, verbose: int, st: _Reply) -> int | None:
    dp, er = parsestatus(d, dp, st)
    if er:
        return parse_wcc_data(d, dp, verbose)
    if not d.u32(dp):
        return dp + 4
    dp = parsefh(d, dp + 4, True)
    if dp is None:
        return None
    if verbose:
        dp = parse_post_op_attr(d, dp, verbose)
        if dp is None:
            return None
        if d.opts.vflag > 1:
            d.p(" dir attr:")
            dp = parse_wcc_data(d, dp, verbose)
    return dp


def parsewccres(d: Dissector, dp: int, verbose: int, st: _Reply) -> int | None:
    dp, _ = parsestatus(d, dp, st)
    return parse_wcc_data(d, dp, verbose)


def parsev3rddirres(d: Dissector, dp: int, verbose: int, st: _Reply) -> int | None:
    dp, er = parsestatus(d, dp, st)
    if d.opts.vflag:
        d.p(" POST:")
    dp = parse_post_op_attr(d, dp, verbose)
    if dp is None:
        return None
    if er:
        return dp
    if d.opts.vflag:
        d.p(f" verf {d.u32(dp):08x}{d.u32(dp + 4):08x}")
        dp += 8
    return dp


def parsefsinfo(d: Dissector, dp: int, st: _Reply) -> bool:
    dp, er = parsestatus(d, dp, st)
    if d.opts.vflag:
        d.p(" POST:")
    dp = parse_post_op_attr(d, dp, d.opts.vflag)
    if dp is None:
        return False
    if er:
        return True
    if not d.ttest(dp, 48):
        return False
    d.p(f" rtmax {d.u32(dp)} rtpref {d.u32(dp + 4)} wtmax {d.u32(dp + 12)} wtpref "
        f"{d.u32(dp + 16)} dtpref {d.u32(dp + 24)}")
    if d.opts.vflag:
        d.p(f" rtmult {d.u32(dp + 8)} wtmult {d.u32(dp + 20)} maxfsz {_u64(d, dp + 28)}")
        d.p(f" delta {d.u32(dp + 36)}.{d.u32(dp + 40):06d} ")
    return True


def parsepathconf(d: Dissector, dp: int, st: _Reply) -> bool:
    dp, er = parsestatus(d, dp, st)
    if d.opts.vflag:
        d.p(" POST:")
    dp = parse_post_op_attr(d, dp, d.opts.vflag)
    if dp is None:
        return False
    if er:
        return True
    if not d.ttest(dp, 24):
        return False
    d.p(f" linkmax {d.u32(dp)} namemax {d.u32(dp + 4)} "
        f"{'notrunc' if d.u32(dp + 8) else ''} {'chownres' if d.u32(dp + 12) else ''} "
        f"{'igncase' if d.u32(dp + 16) else ''} {'keepcase' if d.u32(dp + 20) else ''}")
    return True


def interp_reply(d: Dissector, rp: int, proc: int, vers: int, length: int) -> None:
    st = _Reply()
    v3 = vers == NFS_VER3
    if not v3 and proc < NFS_NPROCS:
        proc = NFSV3_PROCID[proc]
    d.p(f" {tok2str(NFSPROC_STR, 'proc-%u', proc)}")
    ok = _reply(d, rp, proc, v3, length, st)
    if not ok and not st.nfserr:
        d.nd_print_trunc()


def _reply(d: Dissector, rp: int, proc: int, v3: bool, length: int, st: _Reply) -> bool:
    """interp_reply()'s switch; False for its `goto trunc`."""
    vflag, qflag = d.opts.vflag, d.opts.qflag
    if proc not in (GETATTR, SETATTR, LOOKUP, ACCESS, READLINK, READ, WRITE, CREATE, MKDIR,
                    SYMLINK, MKNOD, REMOVE, RMDIR, RENAME, LINK, READDIR, READDIRPLUS,
                    FSSTAT, FSINFO, PATHCONF, COMMIT):
        return True
    dp = parserep(d, rp, length, st)
    if dp is None:
        return False
    if proc == GETATTR:
        return parseattrstat(d, dp, not qflag, v3, st)
    if proc == SETATTR:
        if v3:
            return parsewccres(d, dp, vflag, st) is not None
        return parseattrstat(d, dp, not qflag, False, st)
    if proc == LOOKUP:
        if not v3:
            return parsediropres(d, dp, st)
        dp, er = parsestatus(d, dp, st)
        if not er:
            dp = parsefh(d, dp, v3)
            if dp is None:
                return False
            dp = parse_post_op_attr(d, dp, vflag)
            if dp is None:
                return False
        if vflag > 1:
            d.p(" post dattr:")
            return parse_post_op_attr(d, dp, vflag) is not None
        return True
    if proc == ACCESS:
        dp, er = parsestatus(d, dp, st)
        if vflag:
            d.p(" attr:")
        dp = parse_post_op_attr(d, dp, vflag)
        if dp is None:
            return False
        if not er:
            d.p(f" c {d.u32(dp):04x}")
        return True
    if proc == READLINK:
        return parselinkres(d, dp, v3, st)
    if proc == READ:
        if not v3:
            return parseattrstat(d, dp, vflag, False, st)
        dp, er = parsestatus(d, dp, st)
        dp = parse_post_op_attr(d, dp, vflag)
        if dp is None:
            return False
        if not er and vflag:
            d.p(f" {d.u32(dp)} bytes")
            if d.u32(dp + 4):
                d.p(" EOF")
        return True
    if proc == WRITE:
        if not v3:
            return parseattrstat(d, dp, vflag, False, st)
        dp, er = parsestatus(d, dp, st)
        dp = parse_wcc_data(d, dp, vflag)
        if dp is None:
            return False
        if not er and vflag:
            d.p(f" {d.u32(dp)} bytes")
            if vflag > 1:
                d.p(f" <{_tok(WRITEMODES, d.u32(dp + 4))}>")
                d.p(f" verf {_u64(d, dp + 8):x}")
        return True
    if proc in (CREATE, MKDIR):
        if v3:
            return parsecreateopres(d, dp, vflag, st) is not None
        return parsediropres(d, dp, st)
    if proc == SYMLINK:
        if v3:
            return parsecreateopres(d, dp, vflag, st) is not None
        parsestatus(d, dp, st)
        return True
    if proc == MKNOD:
        return parsecreateopres(d, dp, vflag, st) is not None
    if proc in (REMOVE, RMDIR):
        if v3:
            return parsewccres(d, dp, vflag, st) is not None
        parsestatus(d, dp, st)
        return True
    if proc == RENAME:
        if not v3:
            parsestatus(d, dp, st)
            return True
        dp, er = parsestatus(d, dp, st)
        if vflag:
            d.p(" from:")
            dp = parse_wcc_data(d, dp, vflag)
            if dp is None:
                return False
            d.p(" to:")
            return parse_wcc_data(d, dp, vflag) is not None
        return True
    if proc == LINK:
        if not v3:
            parsestatus(d, dp, st)
            return True
        dp, er = parsestatus(d, dp, st)
        if vflag:
            d.p(" file POST:")
            dp = parse_post_op_attr(d, dp, vflag)
            if dp is None:
                return False
            d.p(" dir:")
            return parse_wcc_data(d, dp, vflag) is not None
        return True
    if proc == READDIR:
        if v3:
            return parsev3rddirres(d, dp, vflag, st) is not None
        return parserddires(d, dp, st)
    if proc == READDIRPLUS:
        return parsev3rddirres(d, dp, vflag, st) is not None
    if proc == FSSTAT:
        return parsestatfs(d, dp, v3, st)
    if proc == FSINFO:
        return parsefsinfo(d, dp, st)
    if proc == PATHCONF:
        return parsepathconf(d, dp, st)
    # COMMIT
    dp = parsewccres(d, dp, vflag, st)
    if dp is None:
        return False
    if vflag > 1:
        d.p(f" verf {_u64(d, dp):x}")
    return True

