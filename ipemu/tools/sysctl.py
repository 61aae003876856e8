"""`sysctl` (procps): read and write the namespace's sysctls (and the few of the
machine's own a scenario declares, as fs.file-max)."""
from __future__ import annotations

import errno
import os
import re

from ipemu.data import read_text
from ipemu.errors import CommandError
from ipemu.kernel.addrconf import has_inet6_dev
from ipemu.kernel.sysctl import DEVICE_DIRS, device_default, net_table, read_only
from ipemu.tools.context import ToolContext


# neigh_sysctl_register(): two older views of neigh_parms' jiffies beside their _ms
# ones: base_reachable_time in seconds (neigh_proc_dointvec_jiffies), retrans_time in
# USER_HZ ticks for IPv4 (neigh_proc_dointvec_userhz_jiffies) and, through
# ndisc_ifinfo_sysctl_change(), in raw jiffies for IPv6. procps' `sysctl -a` hides
# them (its DEPRECATED list); /proc/sys lists them. The kernel's HZ is 250.
HZ, USER_HZ = 250, 100
NEIGH_ALIASES = {"base_reachable_time": "base_reachable_time_ms",
                 "retrans_time": "retrans_time_ms",
                 "unres_qlen": "unres_qlen_bytes"}
# neigh_proc_dointvec_unres_qlen(): unres_qlen is QUEUE_LEN_BYTES counted in
# SKB_TRUESIZE(ETH_FRAME_LEN) (1514 + 256 + 320), rounded down on reading (recorded:
# unres_qlen 1 reads unres_qlen_bytes 2090, unres_qlen_bytes 1000 reads unres_qlen 0)
ETH_FRAME_TRUESIZE = 2090


def _neigh_alias(key: str) -> tuple[str, str, str] | None:
    """(family, alias, its _ms key) for net.ipv{4,6}.neigh.DEV.{alias}, else None."""
    parts = key.split(".")
    if len(parts) == 5 and parts[0] == "net" and parts[1] in ("ipv4", "ipv6") and \
            parts[2] == "neigh" and parts[4] in NEIGH_ALIASES:
        return parts[1], parts[4], ".".join(parts[:4] + [NEIGH_ALIASES[parts[4]]])
    return None


def _alias_read(family: str, alias: str, ms: int) -> int:
    if alias == "unres_qlen":
        return ms // ETH_FRAME_TRUESIZE
    jiffies = -(-ms * HZ // 1000)          # msecs_to_jiffies() rounds up
    if alias == "base_reachable_time":
        return jiffies // HZ
    return jiffies if family == "ipv6" else jiffies * USER_HZ // HZ


def _alias_write(family: str, alias: str, value: int) -> int:
    """The _ms value a write of the alias leaves (jiffies_to_msecs() of what it set)."""
    if alias == "unres_qlen":
        return value * ETH_FRAME_TRUESIZE
    if alias == "base_reachable_time":
        jiffies = value * HZ
    else:
        jiffies = value if family == "ipv6" else value * HZ // USER_HZ
    return jiffies * 1000 // HZ


# the write-only files (mode 0200) of a namespace's /proc/sys/net: route/flush of
# ipv4_route_netns_table[] and ipv6_route_table_template[]; reading one is EACCES
WRITE_ONLY = ("net.ipv4.route.flush", "net.ipv6.route.flush")


def lookup(ns, key: str) -> str | None:
    """The value of a sysctl in a namespace, None when /proc/sys has no such file:
    what was written, else the recorded default (ipemu/kernel/sysctl_net.txt); a key
    no namespace owns is the machine's (the scenario's [sysctl])."""
    alias = _neigh_alias(key)
    if alias is not None:
        ms = lookup(ns, alias[2])
        return None if ms is None else str(_alias_read(alias[0], alias[1], int(ms)))
    host = getattr(ns, "host", None)
    if host is not None and key in UTS_KEYS:
        return uts_value(host, key)
    if host is not None and key in UTS_FIXED:
        return uts_fixed(host, key)
    if host is not None and key in RANDOM_UUIDS:
        return random_uuid(host, key)
    if host is not None and key in host.sysctls:
        return host.sysctls[key]
    if host is not None and key in MACHINE_KEYS:
        return MACHINE_KEYS[key]
    if key == RPS_DEFAULT_MASK and key in ns.sysctls:
        # dump_cpumask(): the bits below nr_cpu_ids, as many hex digits as they need
        from ipemu.procfs import _bitmap, _nr_cpus
        cpus = _nr_cpus(ns)
        return _bitmap(int(ns.sysctls[key], 16) & ((1 << cpus) - 1), cpus).rstrip("\n")
    if key in ns.sysctls:
        return ns.sysctls[key]
    if key in WRITE_ONLY:
        return ""           # there, never read (readers check WRITE_ONLY first)
    parts = key.split(".")
    if len(parts) >= 5 and parts[0] == "net" and parts[1] in ("ipv4", "ipv6") and \
            parts[2] in DEVICE_DIRS:
        dev = parts[3]
        device = ns.by_name(dev) if dev not in ("all", "default") else dev
        if device is None:
            return None
        if parts[1] == "ipv6" and not isinstance(device, str) and not has_inet6_dev(device):
            return None     # no inet6_dev: no conf/ipv6/DEV nor neigh/ipv6/DEV
        rest = ".".join(parts[4:])
        if parts[1] == "ipv6" and parts[2] == "conf" and rest == "stable_secret":
            return ns.sysctls.get(key, "")      # read: EIO until set (unreadable())
        if parts[2] == "conf":
            if device_default(parts[1], "conf", device, rest) is None:
                return None
            return ns.conf(4 if parts[1] == "ipv4" else 6, device, rest)
        if not isinstance(device, str):
            # a device's neigh_parms follow a written default until written themselves
            # (neigh_copy_dflt_parms())
            written = ns.sysctls.get(f"net.{parts[1]}.neigh.default.{rest}")
            if written is not None and device_default(parts[1], "neigh", device, rest) \
                    is not None:
                return written
        return device_default(parts[1], "neigh", device, rest)
    return net_table()["namespace"].get(key)


# the proc handler of each sysctl ipemu has (Linux 6.1): these two are
# proc_dou8vec_minmax with 0..1 (net/ipv4/sysctl_net_ipv4.c), the rest proc_dointvec
# (devinet_conf_proc(), devinet_sysctl_forward(), addrconf_sysctl_*)
BOOLEAN_U8 = {"net.ipv4.icmp_echo_ignore_all", "net.ipv4.icmp_echo_ignore_broadcasts"}
# proc_dou8vec_minmax / proc_dointvec_minmax with other bounds (ipv4_net_table[]:
# ip_default_ttl between ip_ttl_min and ip_ttl_max)
MINMAX = {"net.ipv4.ip_default_ttl": (1, 255),
          # sysctl_net_ipv4.c / ipv6's sysctl_net_ipv6.c: proc_fib_multipath_hash_policy()
          # (0..3) and proc_fib_multipath_hash_fields() (1..FIB_MULTIPATH_HASH_FIELD_ALL_MASK)
          "net.ipv4.fib_multipath_hash_policy": (0, 3),
          "net.ipv6.fib_multipath_hash_policy": (0, 3),
          "net.ipv4.fib_multipath_hash_fields": (1, 0xFFF),
          "net.ipv6.fib_multipath_hash_fields": (1, 0xFFF)}
# addrconf.c addrconf_sysctl[]: the net.ipv6.conf.DEV keys with bounds
# (proc_dointvec_minmax, proc_dou8vec_minmax, proc_douintvec_minmax,
# proc_dointvec_ms_jiffies_minmax; recorded: each refuses a write outside with EINVAL)
CONF6_MINMAX = {"hop_limit": (1, 255), "accept_untracked_na": (0, 2),
                "ioam6_enabled": (0, 1), "ndisc_evict_nocarrier": (0, 1),
                "ra_honor_pio_life": (0, 1), "ra_honor_pio_pflag": (0, 1),
                "rpl_seg_enabled": (0, 1), "ndisc_tclass": (0, 255),
                "mldv1_unsolicited_report_interval": (0, 2**31 - 1),
                "mldv2_unsolicited_report_interval": (0, 2**31 - 1),
                "ioam6_id": (0, 0xFFFF), "ra_defrtr_metric": (1, 2**32 - 1)}
CONF6_UINT = frozenset(("ioam6_id", "ioam6_id_wide", "ra_defrtr_metric"))
IPV6_MIN_MTU = 1280
# proc_douintvec() keys: no sign, 32 bits (recorded)
UINT = frozenset(("net.ipv4.fib_multipath_hash_seed", "net.ipv4.fib_multipath_hash_fields",
                  "net.ipv6.fib_multipath_hash_fields"))
_SPACES = " \t\n"
_TMPBUFLEN = 22


def parse_int(key: str, text: str) -> int | None:
    """What a write of `text` stores, as proc_dointvec() reads it (proc_get_long():
    spaces skipped, an optional `-`, strtoul base 0, then a space or the end; only the
    first number counts); None when the kernel answers EINVAL."""
    rest = text.lstrip(_SPACES)
    negative = rest.startswith("-") and len(rest) > 1
    if negative:
        rest = rest[1:]
    rest = rest[:_TMPBUFLEN - 1]
    if not rest[:1].isdigit() or not rest[:1].isascii():
        return None
    digits = rest[2:] if rest[:2].lower() == "0x" else rest
    base = 16 if digits is not rest else 8 if rest.startswith("0") else 10
    allowed = {16: "0123456789abcdefABCDEF", 8: "01234567", 10: "0123456789"}[base]
    end = 0
    while end < len(digits) and digits[end] in allowed:
        end += 1
    if base == 16 and end == 0:          # "0x" alone: strtoul reads the 0
        digits, base, end = rest, 8, 1
    length = (len(rest) - len(digits)) + end
    if length == _TMPBUFLEN - 1 or (length < len(rest) and rest[length] not in _SPACES):
        return None
    value = int(digits[:end] or "0", base)
    conf6 = key.rsplit(".", 1)[1] if key.startswith("net.ipv6.conf.") else None
    bounds = _bounds(key)
    if bounds is not None and bounds[1] > 2**31 - 1:
        # proc_douintvec_minmax / proc_doulongvec_minmax: no sign
        return None if negative or not bounds[0] <= value <= bounds[1] else value
    if key in UINT or conf6 in CONF6_UINT:
        # proc_douintvec(): a `-` is EINVAL, and so is anything past UINT_MAX
        if negative or value > 2**32 - 1:
            return None
    else:
        value = -value if negative else value
        if not -2**31 <= value <= 2**31 - 1:
            return None
    if key in BOOLEAN_U8 and not 0 <= value <= 1:
        return None
    low, high = MINMAX.get(key) or CONF6_MINMAX.get(conf6) or bounds or (value, value)
    if not low <= value <= high:
        return None
    return value


def _bounds_table() -> dict[str, tuple[int, int]]:
    """ipemu/kernel/sysctl_bounds.txt: KEY LOW HIGH of the keys whose handler bounds
    a write, as recorded."""
    global _BOUNDS
    if _BOUNDS is None:
        _BOUNDS = {}
        for line in read_text("kernel", "sysctl_bounds.txt").splitlines():
            if line and not line.startswith("#"):
                key, low, high = line.split()
                _BOUNDS[key] = (int(low), int(high))
    return _BOUNDS


_BOUNDS: dict[str, tuple[int, int]] | None = None


def _bounds(key: str) -> tuple[int, int] | None:
    """The bounds of KEY's handler, a device's conf/neigh key taking its {dev} line."""
    table = _bounds_table()
    if key in table:
        return table[key]
    parts = key.split(".")
    if len(parts) == 5 and parts[2] in ("conf", "neigh"):
        return table.get(".".join(parts[:3] + ["{dev}"] + parts[4:]))
    return None


# kernel/utsname_sysctl.c: the UTS namespace's strings (proc_do_uts_string()), the
# node name being the host's; an unset domain name reads "(none)" (UTS_DOMAINNAME)
UTS_KEYS = ("kernel.hostname", "kernel.domainname")
UTS_LEN = 64                 # __NEW_UTS_LEN: what a write keeps


# kernel/utsname_sysctl.c's read-only strings: the release the profile's uname names
UTS_FIXED = {"kernel.ostype": None, "kernel.osrelease": "osrelease",
             "kernel.version": "version"}


# the recording machine's global keys its sysctl.d files set (kernel.pid_max from
# 50-pid-max.conf, the fs.protected_* of 99-protect-links.conf), as it reads them:
# `sysctl --system` writes them again (the same values); not in ipemu's `sysctl -a`,
# which lists the net. keys
MACHINE_KEYS = {"kernel.pid_max": "4194304", "fs.protected_fifos": "1",
                "fs.protected_hardlinks": "1", "fs.protected_regular": "2",
                "fs.protected_symlinks": "1",
                # drivers/char/random.c's random_table[]: POOL_BITS, the constant
                # entropy_avail of the 5.18+ crng, the reseed interval and the
                # write_wakeup_threshold kept for compatibility (recorded)
                "kernel.random.entropy_avail": "256", "kernel.random.poolsize": "256",
                "kernel.random.urandom_min_reseed_secs": "60",
                "kernel.random.write_wakeup_threshold": "256"}
# random.c proc_do_uuid(): `uuid` is a new random (version 4) UUID at each read,
# `boot_id` one made at the first read and kept until the machine reboots
RANDOM_UUIDS = ("kernel.random.uuid", "kernel.random.boot_id")
RANDOM_DIR = "kernel.random"


def random_names() -> list[str]:
    """The files of /proc/sys/kernel/random in readdir order (their names' order)."""
    return sorted(k[len(RANDOM_DIR) + 1:] for k in (*MACHINE_KEYS, *RANDOM_UUIDS)
                  if k.startswith(RANDOM_DIR + "."))


def random_uuid(host, key: str) -> str:
    """generate_random_uuid() as %pU prints it: 16 random bytes, the version nibble 4
    and the variant bits 10. A boot_id is the host's seed's (the same every read,
    as the machine has booted once); a uuid comes from the host's random source."""
    if key == "kernel.random.boot_id":
        import random
        value = random.Random(f"boot_id {host.seed}").getrandbits(128)
    else:
        value = host.rng.getrandbits(128)
    raw = bytearray(value.to_bytes(16, "big"))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
# PreloadSystem()'s directories (procps-ng 4.0.2), in order: a name found in one is
# not read again from a later one
SYSTEM_DIRS = ("/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
               "/usr/lib/sysctl.d", "/lib/sysctl.d")
# the recording machine's files there (Debian 12: procps' and systemd's; /lib is a
# link to usr/lib; 99-sysctl.conf a link to ../sysctl.conf, comments only)
SYSTEM_FILES = {
    "/etc/sysctl.d/99-sysctl.conf": "",
    "/usr/lib/sysctl.d/50-pid-max.conf": "kernel.pid_max = 4194304\n",
    "/usr/lib/sysctl.d/99-protect-links.conf": (
        "fs.protected_fifos = 1\nfs.protected_hardlinks = 1\n"
        "fs.protected_regular = 2\nfs.protected_symlinks = 1\n"),
}
SYSTEM_FILES.update({"/lib/sysctl.d/" + path.rsplit("/", 1)[1]: text
                     for path, text in list(SYSTEM_FILES.items())
                     if path.startswith("/usr/lib/")})


def uts_value(host, key: str) -> str:
    if key == "kernel.hostname":
        return host.hostname
    return host.sysctls.get(key, "(none)")


def uts_fixed(host, key: str) -> str | None:
    if key == "kernel.ostype":
        return "Linux"
    return host.kernel.get(UTS_FIXED[key])


def _stable_secret_key(key: str) -> bool:
    parts = key.split(".")
    return len(parts) == 5 and parts[:3] == ["net", "ipv6", "conf"] and \
        parts[4] == "stable_secret"


def unreadable(ns, key: str) -> bool:
    """A file whose read(2) fails with EIO: a stable_secret never set
    (addrconf_sysctl_stable_secret())."""
    return _stable_secret_key(key) and key not in ns.sysctls


def write_value(ns, key: str, text: str) -> bool:
    """A write(2) of `text` to /proc/sys/KEY; False when it fails with EINVAL."""
    return write_errno(ns, key, text) == 0


def write_errno(ns, key: str, text: str) -> int:
    """A write(2) of `text` to /proc/sys/KEY: 0, or the errno it fails with."""
    if getattr(ns, "neigh_jiffies", None):
        ns.neigh_jiffies.pop(key, None)     # what this write sets is kept afresh
    if _stable_secret_key(key):
        return 0 if ns.set_stable_secret(key, text) else errno.EIO
    if key == "net.core.rps_default_mask":
        return _write_rps_default_mask(ns, text)
    if key == "net.ipv4.tcp_congestion_control":
        return _write_congestion_control(ns, text)
    return 0 if _write_value(ns, key, text) else errno.EINVAL


def _write_congestion_control(ns, text: str) -> int:
    """proc_tcp_congestion_control() -> tcp_set_default_congestion_control(): a name
    no algorithm has is ENOENT; outside init_net (every namespace a case runs in) an
    algorithm the allowed list (init_net's, TCP_CONG_NON_RESTRICTED) lacks is EPERM
    (recorded: `cubic`, available but not allowed, is "Operation not permitted")."""
    name = text.split("\n", 1)[0][:15]      # proc_dostring() into a TCP_CA_NAME_MAX buffer
    available = (lookup(ns, "net.ipv4.tcp_available_congestion_control") or "").split()
    allowed = (lookup(ns, "net.ipv4.tcp_allowed_congestion_control") or "").split()
    if name not in available:
        return errno.ENOENT
    if name not in allowed:
        return errno.EPERM
    ns.set_sysctl("net.ipv4.tcp_congestion_control", name)
    return 0


def _write_rps_default_mask(ns, text: str) -> int:
    """rps_default_mask_sysctl() (net/core/sysctl_net_core.c): cpumask_parse() of the
    text straight into the namespace's mask (netns_core), so a write that fails keeps
    the chunks parsed before the failure (recorded on 2 CPUs: `echo 7` is EOVERFLOW
    and then reads 3; `echo 1,0` is EOVERFLOW and reads 0); each device registered
    after takes the mask as its receive queues' rps_cpus (rx_queue_default_mask())."""
    from ipemu.procfs import _nr_cpus
    old = int(ns.sysctls.get(RPS_DEFAULT_MASK, "0"), 16)
    value, code = bitmap_parse_into(text, _nr_cpus(ns), old)
    ns.set_sysctl(RPS_DEFAULT_MASK, f"{value:x}")
    return code


RPS_DEFAULT_MASK = "net.core.rps_default_mask"
_REGION_END = " \t\n\v\f\r,"     # __end_of_region(): isspace() or ','


def bitmap_parse_into(text: str, nbits: int, old: int) -> tuple[int, int]:
    """bitmap_parse() (lib/bitmap-str.c) over a bitmap that holds `old`: the text up
    to its first newline, read from its end a 32-bit chunk at a time (at most eight
    hex digits between commas or spaces), each chunk written as it is read; the
    bitmap afterwards and 0, EINVAL (not hex) or EOVERFLOW (more chunks than
    BITS_TO_U32(nbits), a ninth digit, a bit at or past nbits)."""
    text = text.split("\n", 1)[0]
    value, chunks, chunk, end = old, (nbits + 31) // 32, 0, len(text) - 1
    total = chunks
    while True:
        while end >= 0 and text[end] in _REGION_END:     # bitmap_find_region_reverse()
            end -= 1
        if end < 0:
            break
        if not chunks:
            return value, errno.EOVERFLOW
        chunks -= 1
        num, shift = 0, 0                                # bitmap_get_x32_reverse()
        while True:
            digit = int(text[end], 16) if text[end] in "0123456789abcdefABCDEF" else -1
            end -= 1
            if digit < 0:
                return value, errno.EINVAL
            num |= digit << shift
            if end < 0 or text[end] in _REGION_END:
                break
            shift += 4
            if shift == 32:
                if text[end] in "0123456789abcdefABCDEF":
                    return value, errno.EOVERFLOW
                end -= 1
                break
        value = value & ~(0xFFFFFFFF << 32 * chunk) | num << 32 * chunk
        chunk += 1
    unset_bit = (total - chunks) * 32
    if unset_bit < nbits:
        return value & ~(((1 << nbits) - 1) ^ ((1 << unset_bit) - 1)), 0
    if value >> nbits & ((1 << (unset_bit - nbits)) - 1):
        return value, errno.EOVERFLOW
    return value, 0


def _write_value(ns, key: str, text: str) -> bool:
    host = getattr(ns, "host", None)
    if host is not None and key in UTS_KEYS:
        # proc_do_uts_string() -> proc_dostring(): the text up to its first newline
        value = text.split("\n", 1)[0][:UTS_LEN]
        if key == "kernel.hostname":
            host.hostname = value
        else:
            host.sysctls[key] = value
        return True
    if key == "net.ipv4.route.flush":
        # ipv4_sysctl_rtcache_flush(): any write flushes (rt_cache_flush() and
        # fnhe_genid_bump(): the exceptions are gone), the text unread
        ns.flush_route_cache((4,))
        return True
    if key in VECTORS:
        return _write_vector(ns, key, text)
    value = parse_int(key, text)
    if value is None:
        return False
    if key == "net.ipv4.ip_unprivileged_port_start":
        # ipv4_privileged_ports(): no higher than the local port range's start
        low = int((lookup(ns, "net.ipv4.ip_local_port_range") or "32768").split()[0])
        if not 0 <= value <= 65535 or low < value:
            return False
    peer = FRAG_THRESH_PEER.get(key)
    if peer is not None:
        # ip_frag's low/high thresholds: extra2 / extra1 point at each other
        other = int(lookup(ns, peer[0]) or "0")
        if (peer[1] == "high" and value > other) or (peer[1] == "low" and value < other):
            return False
    stored = _stored(key, value)
    if stored != value:
        ns.set_sysctl(key, str(stored))
        parts = key.split(".")
        if parts[2:3] == ["neigh"] and len(parts) == 5 and parts[4] in USERHZ_JIFFIES_DEV:
            _keep_jiffies(ns, key, str(stored), _userhz_jiffies(value))
        return True
    if key.startswith("net.ipv6.conf.") and key.endswith(".addr_gen_mode"):
        return ns.set_addr_gen_mode(key, value)
    if key.startswith("net.ipv6.conf.") and key.endswith(".mtu") and key.count(".") == 4:
        # addrconf_sysctl_mtu(): at least IPV6_MIN_MTU, at most the device's own MTU
        # (all and default have no device: no upper bound)
        dev = ns.by_name(key.split(".")[3]) if hasattr(ns, "by_name") else None
        if value < IPV6_MIN_MTU or (dev is not None and value > dev.mtu):
            return False
    if key == "net.ipv6.route.flush":
        return True         # ipv6_sysctl_rtcache_flush(): proc_dointvec(), then a gc run
    alias = _neigh_alias(key)
    if alias is not None:
        ns.set_sysctl(alias[2], str(_alias_write(alias[0], alias[1], value)))
        return True
    host = getattr(ns, "host", None)
    if host is not None and (key in host.sysctls or key in MACHINE_KEYS):
        host.sysctls[key] = str(value)
        return True
    ns.set_sysctl(key, str(value))
    return True


# each frag threshold and the one that bounds it: the low one at most the high one
FRAG_THRESH_PEER = {
    "net.ipv4.ipfrag_low_thresh": ("net.ipv4.ipfrag_high_thresh", "high"),
    "net.ipv4.ipfrag_high_thresh": ("net.ipv4.ipfrag_low_thresh", "low"),
    "net.ipv6.ip6frag_low_thresh": ("net.ipv6.ip6frag_high_thresh", "high"),
    "net.ipv6.ip6frag_high_thresh": ("net.ipv6.ip6frag_low_thresh", "low")}
# proc_dointvec_ms_jiffies(_minmax): milliseconds kept as jiffies, so a read gives
# back jiffies_to_msecs(msecs_to_jiffies(N)), a multiple of 1000/HZ (recorded: 1 reads 4)
MS_JIFFIES = frozenset(("net.ipv4.icmp_ratelimit", "net.ipv4.tcp_invalid_ratelimit",
                        "net.ipv6.icmp.ratelimit", "net.ipv6.route.gc_min_interval_ms"))
MS_JIFFIES_DEV = frozenset(("base_reachable_time_ms", "retrans_time_ms",
                            "interval_probe_time_ms", "mldv1_unsolicited_report_interval",
                            "mldv2_unsolicited_report_interval"))
# neigh_proc_dointvec_userhz_jiffies(): clock_t (USER_HZ) kept as jiffies
USERHZ_JIFFIES_DEV = frozenset(("anycast_delay", "locktime", "proxy_delay"))


def _stored(key: str, value: int) -> int | str:
    """What a read gives back after writing VALUE: VALUE, but for the keys the
    kernel keeps in jiffies (the conversion there and back, as the kernel does it,
    with HZ 250: a clock_t of 3 reads 2, -1 reads "-0", as recorded)."""
    parts = key.split(".")
    tail = parts[4] if len(parts) == 5 and parts[2] in ("conf", "neigh") else None
    if key in MS_JIFFIES or tail in MS_JIFFIES_DEV:
        return -(-value * HZ // 1000) * 1000 // HZ
    if parts[2:3] == ["neigh"] and tail in USERHZ_JIFFIES_DEV:
        return _userhz_read(_userhz_jiffies(value))
    return value


def _userhz_jiffies(value: int) -> int:
    """clock_t_to_jiffies() of the unsigned long (a negative wraps to a huge one,
    which saturates at ~0UL), kept in an int."""
    clock_t = value % 2**64
    jiffies = 2**64 - 1 if clock_t >= (2**64 - 1) // HZ * USER_HZ else \
        clock_t * HZ // USER_HZ
    jiffies %= 2**32
    return jiffies - 2**32 if jiffies >= 2**31 else jiffies


def _userhz_read(jiffies: int) -> int | str:
    """A read takes the int's sign and converts its size back (jiffies_to_clock_t())."""
    clock = abs(jiffies) * (1000000000 // HZ) % 2**64 // (1000000000 // USER_HZ)
    return f"-{clock}" if jiffies < 0 else clock


# the neigh parms kept in jiffies, by the unit their sysctl shows (neigh_sysctl_template:
# proc_dointvec_jiffies in seconds, _ms_jiffies in ms, _userhz_jiffies in clock_t)
NEIGH_JIFFIES_UNITS = {"gc_stale_time": "s", "delay_first_probe_time": "s",
                       "base_reachable_time_ms": "ms", "retrans_time_ms": "ms",
                       "anycast_delay": "userhz", "proxy_delay": "userhz",
                       "locktime": "userhz"}


def _keep_jiffies(ns, key: str, text: str, jiffies: int) -> None:
    if ns.neigh_jiffies is None:
        ns.neigh_jiffies = {}
    ns.neigh_jiffies[key] = (text, jiffies)


def neigh_jiffies(ns, key: str) -> int | None:
    """NEIGH_VAR() of the parm behind net.ipv{4,6}.neigh.DEV.NAME (a key of
    NEIGH_JIFFIES_UNITS): what `ip ntable change` or a write set, else its sysctl text
    converted (a device's parm not set reads its default's, neigh_copy_dflt_parms())."""
    text = lookup(ns, key)
    if text is None:
        return None
    kept_all = getattr(ns, "neigh_jiffies", None) or {}
    kept = kept_all.get(key)
    if kept is None and key not in ns.sysctls:
        parts = key.split(".")
        kept = kept_all.get(".".join(parts[:3] + ["default", parts[4]]))
    if kept is not None and kept[0] == text:
        return kept[1]
    value = int(text)
    unit = NEIGH_JIFFIES_UNITS[key.split(".")[4]]
    if unit == "s":
        return value * HZ
    if unit == "ms":
        return -(-value * HZ // 1000)          # msecs_to_jiffies() rounds up
    return _userhz_jiffies(value)


def set_neigh_jiffies(ns, key: str, jiffies: int) -> None:
    """neightbl_set_parms()'s NEIGH_VAR_SET() of jiffies: the sysctl then reads the
    jiffies converted to its unit (jiffies_to_clock_t(), jiffies_to_msecs(), / HZ)."""
    unit = NEIGH_JIFFIES_UNITS[key.split(".")[4]]
    sign = "-" if jiffies < 0 else ""
    if unit == "s":
        text = f"{sign}{abs(jiffies) // HZ}"
    elif unit == "ms":
        text = f"{sign}{abs(jiffies) * 1000 // HZ}"
    else:
        text = str(_userhz_read(jiffies))
    ns.set_sysctl(key, text)
    _keep_jiffies(ns, key, text, jiffies)


# vector sysctls (proc_dointvec_minmax over an array): their length and each value's
# bounds (sysctl_net_ipv4.c: ip_local_port_range 1..65535, tcp_rmem/tcp_wmem at least
# 1, ping_group_range gids 0..INT_MAX, as recorded)
VECTORS = {"net.ipv4.ip_local_port_range": (2, 1, 65535),
           "net.ipv4.tcp_rmem": (3, 1, 2**31 - 1), "net.ipv4.tcp_wmem": (3, 1, 2**31 - 1),
           "net.ipv4.ping_group_range": (2, 0, 2**31 - 1)}


def _write_vector(ns, key: str, text: str) -> bool:
    """__do_proc_dointvec() of a vector: the values given, in order (spaces between,
    what follows the last element ignored), each read as proc_get_long() reads one;
    those not given keep their value; none at all is EINVAL. Then the handler's own
    check: ipv4_local_port_range() wants high >= low >= ip_unprivileged_port_start;
    ipv4_ping_group_range() turns a reversed range into `1 0` (nobody)."""
    size, low, high = VECTORS[key]
    values = (lookup(ns, key) or "").split()
    values += ["0"] * (size - len(values))
    rest = text
    given = 0
    for i in range(size):
        rest = rest.lstrip(_SPACES)
        if not rest:
            break
        word, _, tail = rest.partition(" ")
        word, sep, more = word.partition("\t")
        if sep:
            tail = more + " " + tail
        word, sep, more = word.partition("\n")
        if sep:
            tail = more + " " + tail
        value = parse_int("", word)
        if value is None or not low <= value <= high:
            return False
        values[i] = str(value)
        given += 1
        rest = tail
    if not given:
        return False
    ints = [int(v) for v in values[:size]]
    if key == "net.ipv4.ip_local_port_range":
        prot = int(lookup(ns, "net.ipv4.ip_unprivileged_port_start") or "1024")
        if ints[1] < ints[0] or ints[0] < prot:
            return False
    if key == "net.ipv4.ping_group_range" and ints[1] < ints[0]:
        ints = [1, 0]
    ns.set_sysctl(key, "\t".join(str(v) for v in ints))
    return True


def all_keys(ns) -> list[str]:
    """Every net. sysctl of the namespace, as procps' `sysctl -a` walks /proc/sys
    (each directory's entries in name order): the recorded namespace keys, each
    device's conf and neigh keys, what was written, and the machine's own keys."""
    keys = set(net_table()["namespace"]) | {k for k in ns.sysctls if k.startswith("net.")}
    keys |= set(getattr(getattr(ns, "host", None), "sysctls", {})) - set(MACHINE_KEYS)
    keys |= set(WRITE_ONLY)
    for dev in ns.device_list():
        for template in net_table()["device"]:
            keys.add(template.replace("{dev}", dev.name))
        keys.add(f"net.ipv6.conf.{dev.name}.stable_secret")
    keys |= {"net.ipv6.conf.all.stable_secret", "net.ipv6.conf.default.stable_secret"}
    return sorted((k for k in keys if lookup(ns, k) is not None),
                  key=lambda k: k.split("."))


# procps-ng 4.0.2 sysctl.c main(): getopt_long(argc, argv, "bneNwfp::qoxaAXr:Vdh", longopts)
_LONGOPTS = {"all": "a", "deprecated": "", "dry-run": "", "binary": "b", "ignore": "e", "names": "N",
             "values": "n", "load": "p", "quiet": "q", "write": "w", "system": "",
             "pattern": "r", "help": "h", "version": "V"}
_SHORT_FLAGS = "bneNwfqoxaAXVdh"

USAGE = """
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
"""


class _Opts:
    """What main()'s switch sets."""

    def __init__(self) -> None:
        self.write = self.quiet = self.show_all = self.ignore = self.names_only = False
        self.print_name = self.print_newline = True
        self.load: list[str] | None = None
        self.dry_run = False
        self.system = False
        self.pattern: str | None = None


def _long(ctx: ToolContext, arg: str) -> str:
    """glibc getopt_long(): an exact or unique abbreviated long option's letter."""
    name = arg[2:].partition("=")[0]
    hits = [k for k in _LONGOPTS if k == name] or [k for k in _LONGOPTS if k.startswith(name)]
    if len(hits) != 1:
        if hits:
            raise CommandError(f"sysctl: option '{arg}' is ambiguous\n", 1)
        ctx.term.err(f"sysctl: unrecognized option '{arg}'\n")
        return "?"
    return _LONGOPTS[hits[0]] or hits[0]


def _options(ctx: ToolContext, args: list[str]) -> tuple[_Opts, list[str]] | int:
    opts = _Opts()
    operands: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--":
            operands += args
            break
        if not arg.startswith("-") or arg == "-":
            operands.append(arg)        # getopt permutes: options may follow operands
            continue
        if arg.startswith("--"):
            letter = _long(ctx, arg)
            value = arg.partition("=")[2] if "=" in arg else None
            if letter == "r" and value is None:
                # {"pattern", required_argument}: the next word
                value = args.pop(0) if args else None
            letters = [(letter, value)]
        else:
            letters = []
            for i, c in enumerate(arg[1:], 1):
                if c in "pf":           # p:: takes the rest of the word as its argument
                    letters.append((c, arg[i + 1:] or None))
                    break
                if c == "r":
                    letters.append((c, arg[i + 1:] or (args.pop(0) if args else None)))
                    break
                if c not in _SHORT_FLAGS:
                    ctx.term.err(f"sysctl: invalid option -- '{c}'\n")
                    c = "?"
                letters.append((c, None))
                if c == "?":
                    break
        for c, value in letters:
            if c in ("?", "h", "d"):
                ctx.term.out(USAGE)     # Usage(stdout): exit(EXIT_SUCCESS)
                return 0
            if c == "V":
                ctx.term.out("sysctl from procps-ng 4.0.2\n")
                return 0
            _set(opts, c, value)
    return opts, operands


def _set(opts: _Opts, c: str, value: str | None) -> None:
    if c == "b":
        opts.print_newline = False
        opts.print_name = False
    elif c == "n":
        opts.print_name = False
    elif c == "e":
        opts.ignore = True
    elif c == "N":
        opts.names_only = True
    elif c == "w":
        opts.write = True
    elif c in "pf":
        opts.load = [value] if value else []
    elif c == "q":
        opts.quiet = True
    elif c in "aAX":
        opts.show_all = True
    elif c == "system":
        opts.ignore = True
        opts.system = True
    elif c == "dry-run":
        opts.dry_run = True
    elif c == "r":
        opts.pattern = value


def slashdot(text: str, old: str, new: str, warn) -> str:
    """sysctl.c slashdot(): from the first separator on, `old` and `new` swap places
    (nothing when that first one is `new` already); a separator followed by another
    is warned of once, quoting the rest of the string."""
    first = next((i for i, c in enumerate(text) if c in "/."), None)
    if first is None or text[first] == new:
        return text
    chars = list(text)
    warned = False
    for i in range(first, len(chars)):
        c = text[i]
        if c not in "/.":
            continue
        if not warned and i + 1 < len(text) and text[i + 1] in "/.":
            warn(f"sysctl: separators should not be repeated: {''.join(chars[i:])}\n")
            warned = True
        chars[i] = new if c == old else old
    return "".join(chars)


def _key(path: str) -> str:
    """The namespace's dotted key of a /proc/sys path below PROC_PATH (empty
    components are the same directory, as for the kernel's path walk)."""
    return ".".join(part for part in path.split("/") if part)


def main(ctx: ToolContext, argv: list[str]) -> int:
    if len(argv) < 2:
        ctx.term.err(USAGE)
        return 1
    parsed = _options(ctx, list(argv[1:]))
    if isinstance(parsed, int):
        return parsed
    opts, args = parsed
    if opts.show_all:
        for key in all_keys(ctx.netns):
            # ReadSetting(): a file without S_IRUSR is passed over without a word
            # (-N prints the name before the file is read: stable_secret too)
            if key not in WRITE_ONLY and (opts.names_only or
                                          not unreadable(ctx.netns, key)) and \
                    _pattern_match(opts, key):
                _print(ctx, opts, key, lookup(ctx.netns, key))
        return 0
    if opts.load is not None:
        # -pFILE, else each operand is a file, else /etc/sysctl.conf
        files = opts.load + args if opts.load else args or ["/etc/sysctl.conf"]
        # procps 4.0's Preload() reads every file into one list of settings, then
        # writes them in order
        status, settings = 0, []
        for name in files:
            status |= _load(ctx, name, settings)
        for key, value in settings:
            status |= _write(ctx, key, value, opts)
        return status
    status = 0
    if opts.system:
        # the operands after --system are neither read nor written (recorded:
        # `sysctl --system net.ipv4.ip_forward` prints the files' settings only, 0)
        return _system(ctx, opts)
    if not args:
        raise CommandError("sysctl: no variables specified\n"
                           "Try `sysctl --help' for more information.\n", 1)
    for arg in args:
        if opts.write or "=" in arg:
            if len(arg.lstrip(" ")) < 2:
                # parse_setting_line(): past its leading blanks a setting shorter than
                # two characters is no setting, skipped without a word ('1' of
                # `sysctl -w net.ipv4.ip_forward = 1`, '=', ''), the status 1
                # (recorded: case tutorials37b_sysctl_spaced_assignment)
                status |= 1
                continue
            key, eq, value = arg.lstrip().partition("=")
            if eq and not key.strip():
                # no key: an empty value is skipped quietly, any other goes to
                # WriteSetting() with the bare /proc/sys/ path (recorded, procps 4.0.2)
                if value:
                    ctx.term.err("sysctl: Path is not under /proc/sys/: /proc/sys/\n")
                status |= 1
                continue
            if not eq:
                # parse_setting_line(): no `=` is a syntax error, and it goes on
                ctx.term.err("sysctl: command line(0): invalid syntax, continuing...\n")
                status = 1
                continue
            status |= _write(ctx, key.strip(), value.strip(" \t\n"), opts)
        elif not arg:
            ctx.term.err('sysctl: "" is an unknown key\n')     # ReadSetting(): exit(-1)
            return 255
        else:
            status += _read(ctx, arg, opts)
    return status


def _print(ctx: ToolContext, opts: _Opts, name: str, value: str) -> None:
    if opts.names_only:
        ctx.term.out(f"{name}\n")
    elif opts.print_name:
        ctx.term.out(f"{name} = {value}\n")
    else:
        ctx.term.out(value + ("\n" if opts.print_newline else ""))


def _read(ctx: ToolContext, name: str, opts: _Opts) -> int:
    """ReadSetting(): the file at the dots-made-slashes path, printed under the
    slashes-made-dots name."""
    path = slashdot(name, ".", "/", ctx.term.err)
    outname = slashdot(name, "/", ".", ctx.term.err)
    if re.match(r"[^./]*/", name):
        # a name written with slashes has its repeated separators warned of twice
        # (recorded with procps 4.0.2: `net//ipv4/...`, and each key of a directory
        # read as `net.ipv4.neigh.lo.`, which DisplayAll() reads as `lo//KEY`)
        slashdot(name, "/", ".", ctx.term.err)
    current = lookup(ctx.netns, _key(path))
    if current is None:
        below = _below(ctx.netns, _key(path))
        if below:
            # ReadSetting(): a directory is DisplayAll()'s: each entry read by its path
            # (the directory's with a slash added, so `net.ipv4.neigh.lo.` reads
            # `lo//anycast_delay`, printed `lo..anycast_delay` after slashdot's warnings)
            status = 0
            for rest in below:
                status |= _read(ctx, path + "/" + rest, opts)
            return status
    if current is None or path.endswith("/"):
        if opts.ignore:
            return 0
        # stat(): a file with a slash after it is ENOTDIR
        why = "Not a directory" if current is not None else "No such file or directory"
        ctx.term.err(f"sysctl: cannot stat /proc/sys/{path}: {why}\n")
        return 1     # procps 4: EXIT_FAILURE for a key that is not there
    if _key(path) in WRITE_ONLY:
        return 0     # ReadSetting(): no S_IRUSR, nothing printed
    if unreadable(ctx.netns, _key(path)) and not opts.names_only:
        # ReadSetting(): EIO ("Ignore stable_secret") is silent, rc -1; -N prints the
        # name before it opens the file (recorded)
        return 1
    if _pattern_match(opts, outname):
        _print(ctx, opts, outname, current)
    return 0


def _is_directory(ns, key: str) -> bool:
    """A /proc/sys directory: some sysctl lies below the key."""
    return key == RANDOM_DIR or \
        bool(key) and any(k.startswith(key + ".") for k in all_keys(ns))
def _below(ns, key: str) -> list[str]:
    """The files under directory `key` of /proc/sys/ (their paths below it, in
    DisplayAll()'s walk: each directory's entries in name order), or [] when `key` is
    no directory."""
    if key == RANDOM_DIR:
        return list(random_names())
    if not key.startswith("net") or key == "":
        return []
    prefix = key + "."
    return ["/".join(k[len(prefix):].split(".")) for k in all_keys(ns)
            if k.startswith(prefix)]


def _pattern_match(opts: _Opts, name: str) -> bool:
    """ReadSetting()'s pattern_match(): -r/--pattern, an extended regular expression
    (regcomp(REG_EXTENDED|REG_NOSUB|REG_NEWLINE)) searched in the dotted name."""
    if opts.pattern is None:
        return True
    from ipemu.tools import posixre
    try:
        return posixre.compile(opts.pattern, extended=True).search(name) is not None
    except re.error:
        return False


def _write(ctx: ToolContext, key: str, value: str, opts: _Opts) -> int:
    """setting_new() + WriteSetting(): the path made from the key, the key shown as
    the path made dotted again."""
    if key.startswith("-"):
        key = key[1:]
    path = slashdot(key, ".", "/", ctx.term.err)
    name = _key(path)
    current = lookup(ctx.netns, name)
    if current is None and not path.endswith("/") and _is_directory(ctx.netns, name):
        # WriteSetting(): a directory (mode 0555) has no S_IWUSR: warned of and
        # skipped, the status 0 (recorded: `sysctl -w net.core=1`)
        ctx.term.err(f'sysctl: setting key "{slashdot(path, "/", ".", ctx.term.err)}": '
                     'Invalid argument\n')
        return 0
    if current is None or path.endswith("/"):
        if opts.ignore:
            return 0
        why = "Not a directory" if current is not None else "No such file or directory"
        ctx.term.err(f"sysctl: cannot stat /proc/sys/{path}: {why}\n")
        return 1
    dotted = slashdot(path, "/", ".", ctx.term.err)
    if read_only(name):
        # WriteSetting(): a file without S_IWUSR is warned of (with this errno, as
        # recorded, -q and -e alike) and skipped; the status stays 0
        ctx.term.err(f'sysctl: setting key "{dotted}": Invalid argument\n')
        return 0
    code = 0 if opts.dry_run else write_errno(ctx.netns, name, value)
    if code:
        ctx.term.err(f'sysctl: setting key "{dotted}": {os.strerror(code)}\n')
        return 1
    if not opts.quiet or opts.dry_run:
        _print(ctx, opts, dotted, value)
    return 0


def _system(ctx: ToolContext, opts: _Opts) -> int:
    """PreloadSystem(): the *.conf files of SYSTEM_DIRS (a name once, from the first
    directory that has it), sorted by name, then /etc/sysctl.conf, each announced
    (`* Applying FILE ...`) unless -q and read into one list, then written in order
    (write_setting_list(); --system ignores unknown keys). The machine's own files
    (SYSTEM_FILES) are there unless the session has written its own."""
    fs = ctx.session.fs
    found: dict[str, str] = {}
    for directory in SYSTEM_DIRS:
        names = {path.rsplit("/", 1)[1] for path in list(fs.files) + list(SYSTEM_FILES)
                 if path.rsplit("/", 1)[0] == directory}
        for name in names:
            if name.endswith(".conf") and len(name) >= 5 and name not in found:
                found[name] = f"{directory}/{name}"
    paths = [found[name] for name in sorted(found, key=lambda n: n.encode())]
    settings: list[tuple[str, str]] = []
    status = 0
    for path in paths + ["/etc/sysctl.conf"]:
        if not opts.quiet:
            ctx.term.out(f"* Applying {path} ...\n")
        if path in fs.files or path == "/etc/sysctl.conf":
            status |= _load(ctx, path, settings)
        else:
            _parse_settings(ctx, path, SYSTEM_FILES[path], settings)
    for key, value in settings:
        status |= _write(ctx, key, value, opts)
    return status


def _parse_settings(ctx: ToolContext, name: str, text: str,
                    settings: list[tuple[str, str]]) -> None:
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, eq, value = line.partition("=")
        if not eq:
            ctx.term.err(f"sysctl: {name}({number}): invalid syntax, continuing...\n")
            continue
        settings.append((key.strip(), value.strip()))


def _load(ctx: ToolContext, name: str, settings: list[tuple[str, str]]) -> int:
    """Preload(): each `name = value` line of the file joins settings (# and ; start
    a comment; a line without `=` is reported with its line number and leaves the
    status alone); Debian 12's /etc/sysctl.conf holds only comments."""
    session = ctx.session
    path = session.fs.resolve(name, session.cwd)
    try:
        text = session.fs.read(path).decode(errors="replace")
    except OSError:
        if path == "/etc/sysctl.conf":
            return 0
        ctx.term.err(f'sysctl: cannot open "{name}": No such file or directory\n')
        return 1
    _parse_settings(ctx, name, text, settings)
    return 0
