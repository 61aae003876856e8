"""The namespace's sysctls (net.ipv4.*, net.ipv6.*): stored values, per-device `conf`
lookups with their `all`/`default` fallbacks, and the writes the kernel reacts to at
once (forwarding on every device, disable_ipv6)."""
from __future__ import annotations

from ipemu.data import read_text
from ipemu.kernel.netdev import NetDevice


_NET_TABLE: list = []       # read once (functools.cache without functools: start-up)


def net_table() -> dict[str, dict[str, str]]:
    """sysctl_net.txt: the recorded `net.` sysctls and their values, by section
    (namespace, device, lo)."""
    if not _NET_TABLE:
        _NET_TABLE.append(_read_net_table())
    return _NET_TABLE[0]


def _read_net_table() -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in read_text("kernel", "sysctl_net.txt").splitlines():
        if line.startswith("#") or not line:
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition(" = ")
        current[key] = value
    return sections


# the files of mode 0444 in a fresh namespace (`find /proc/sys/net ! -perm -u+w` on
# the recording machine): mc_forwarding is the multicast routing daemon's to set
# (devinet.c DEVINET_SYSCTL_RO_ENTRY, addrconf.c), the buffer limits and the allowed
# congestion controls are init_net's, shown read-only elsewhere
READ_ONLY = frozenset({"net.core.rmem_default", "net.core.rmem_max", "net.core.wmem_default",
                       "net.core.wmem_max", "net.ipv4.tcp_allowed_congestion_control",
                       "net.ipv4.tcp_available_congestion_control",
                       "net.ipv4.tcp_ehash_entries", "net.ipv4.udp_hash_entries",
                       "net.mptcp.available_path_managers",
                       "net.mptcp.available_schedulers",
                       # kernel/utsname_sysctl.c's release strings (0444) and
                       # drivers/char/random.c's random_table[] files that are 0444
                       "kernel.ostype", "kernel.osrelease", "kernel.version",
                       "kernel.random.boot_id", "kernel.random.uuid",
                       "kernel.random.entropy_avail", "kernel.random.poolsize"})


def read_only(key: str) -> bool:
    """Whether /proc/sys/KEY (dotted) is a file nobody may write (proc_sys_permission()
    refuses even root: EACCES at open)."""
    if key in READ_ONLY:
        return True
    parts = key.split(".")
    return len(parts) == 5 and parts[1] in ("ipv4", "ipv6") and parts[2] == "conf" \
        and parts[4] == "mc_forwarding"


# per-device directories: net.ipv4.conf.DEV.*, net.ipv6.neigh.DEV.*
DEVICE_DIRS = ("conf", "neigh")


def device_default(proto: str, kind: str, dev: NetDevice | str, key: str) -> str | None:
    """The value a device's KEY starts with (the template's, or lo's own)."""
    if isinstance(dev, str):
        name, loopback = dev, False
    else:
        name, loopback = dev.name, dev.kind == "loopback"
    if name in ("all", "default"):
        memo = (proto, kind, name, key)
    else:
        if proto == "ipv6" and kind == "conf" and key == "mtu" and not isinstance(dev, str) \
                and not (loopback and "net.ipv6.conf.{dev}.mtu" in net_table()["lo"]):
            return str(dev.mtu)        # idev->cnf.mtu6 follows the device's MTU
        memo = (proto, kind, loopback, key)
    # the recorded table is fixed data: each answer is worked out once (rp_filter and
    # the like are read for every packet)
    found = _DEFAULTS.get(memo, _DEFAULTS)
    if found is _DEFAULTS:
        found = _DEFAULTS[memo] = _device_default(proto, kind, name, loopback, key)
    return found


_DEFAULTS: dict = {}


def _device_default(proto: str, kind: str, name: str, loopback: bool, key: str) -> str | None:
    table = net_table()
    if name in ("all", "default"):
        return table["namespace"].get(f"net.{proto}.{kind}.{name}.{key}")
    template = f"net.{proto}.{kind}.{{dev}}.{key}"
    if loopback and template in table["lo"]:
        return table["lo"][template]
    return table["device"].get(template)


def default_sysctls() -> dict[str, str]:
    return {
        "net.ipv4.ip_forward": "0",
        "net.ipv4.icmp_echo_ignore_all": "0",
        "net.ipv4.icmp_echo_ignore_broadcasts": "1",
        "net.ipv4.icmp_ratelimit": "1000",
        "net.ipv4.icmp_ratemask": "6168",
        "net.ipv6.conf.all.forwarding": "0",
    }

# writes that set forwarding on every device and the default (inet_forward_change(),
# addrconf_fixup_forwarding()); net.ipv4.ip_forward is conf/all/forwarding
FORWARD_ALL = {"net.ipv4.ip_forward": "ipv4", "net.ipv4.conf.all.forwarding": "ipv4",
               "net.ipv6.conf.all.forwarding": "ipv6"}

def _in_dir(sysctls: dict, folder: str) -> list[str]:
    """The keys directly in `folder` (SysctlDict's index; a scan of a plain dict)."""
    if isinstance(sysctls, SysctlDict):
        return sysctls.in_dir(folder)
    return [k for k in sysctls if k.startswith(folder) and "." not in k[len(folder):]]


def has_table(sysctls: dict, table: str) -> bool:
    """Whether any key starts with `table` (`net.ipv4.neigh.`)."""
    if isinstance(sysctls, SysctlDict):
        return sysctls.has_table(table)
    return any(k.startswith(table) for k in sysctls)


CONF_DEFAULTS_V4 = {"promote_secondaries": "0", "rp_filter": "0", "accept_local": "0",
                    "forwarding": "0", "arp_ignore": "0", "arp_announce": "0"}


def disables_ipv6(value: str) -> bool:
    """A disable_ipv6 value as the kernel tests it: anything but 0 disables."""
    if value == "0":
        return False
    try:
        return int(value) != 0
    except ValueError:
        return True

CONF_DEFAULTS_V6 = {"disable_ipv6": "0", "keep_addr_on_down": "0", "forwarding": "0",
                    "accept_dad": "1", "dad_transmits": "1"}


def _conf_dir(folder: str) -> tuple[int, str] | None:
    """(family, NAME) of `net.ipv4.conf.NAME.` / `net.ipv6.conf.NAME.`, else None."""
    if folder.startswith("net.ipv4.conf."):
        return 4, folder[14:-1]
    if folder.startswith("net.ipv6.conf."):
        return 6, folder[14:-1]
    return None


def _device_dir_name(folder: str) -> str | None:
    """NAME of `net.ipv4.conf.NAME.` and the like (DEVICE_DIRS of both families), else
    None."""
    if folder.startswith(("net.ipv4.", "net.ipv6.")):
        kind, _, name = folder[9:-1].partition(".")
        if kind in DEVICE_DIRS and name:
            return name
    return None


class SysctlDict(dict):
    """The namespace's written sysctls: a dict that counts its writes, so that what is
    worked out from them (conf()'s answers, read for every packet) is kept until the
    next write, as the kernel keeps each device's conf in an array (ipv4_devconf)
    rather than reading /proc. It also keeps its keys by directory
    (`net.ipv4.conf.eth0.`) and counts them by table (`net.ipv4.neigh.`), so that a
    device's registration and a neighbour's parms find theirs without reading every
    key: each device with an address has dozens of keys (devconf_setall()), and a
    scan of them all per device was quadratic. Saved as a plain dict;
    NetNamespace.__restore__ wraps it again.

    `memo` holds NetSysctl.conf()'s answers by (family, device name, loopback, key):
    a write forgets those its key can change (_forget()), not every answer: each new
    device writes its own conf keys (conf_new_device(), devconf_setall()), and 2,000
    devices each emptying the memo made every conf() of the next device work its
    answer out afresh."""

    __slots__ = ("version", "_dirs", "_tables", "memo", "conf_dirs", "dir_names")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version = 0
        self._reindex()

    def _reindex(self) -> None:
        self._dirs: dict[str, set[str]] = {}
        self._tables: dict[str, int] = {}
        self.memo: dict[tuple, str] = {}
        # (family, name) of each conf directory with a key (net.ipv4.conf.NAME.*):
        # conf() of a device not here answers as any device without keys of its own
        self.conf_dirs: set[tuple[int, str]] = set()
        # NAME -> how many of its device directories (net.ipv{4,6}.{conf,neigh}.NAME.)
        # hold keys: a device made afresh has none to empty (conf_new_device())
        self.dir_names: dict[str, int] = {}
        for key in dict.keys(self):
            self._add(key)

    def _index(self) -> dict[str, set[str]]:
        try:
            return self._dirs
        except AttributeError:      # made by copy's __reduce__, not __init__
            self.version = 0
            self._reindex()
            return self._dirs

    def _forget(self, key: str) -> None:
        """The conf() answers a write of `key` may change: conf/NAME/KEY's of device
        NAME; conf/default/KEY's of every IPv4 device (devinet_copy_dflt_conf():
        they read it while unset), so all of them then."""
        try:
            memo = self.memo
        except AttributeError:      # made by copy's __reduce__, not __init__
            return
        if not memo or not key.startswith("net.ipv"):
            return
        if key.startswith("net.ipv4.conf."):
            family = 4
        elif key.startswith("net.ipv6.conf."):
            family = 6
        else:
            return
        name, _, leaf = key[14:].rpartition(".")
        if name == "default" or not name:
            memo.clear()
        else:
            # (a device's first own key: its answers were the generic ones, kept
            # under its name too; the generic ones stay for the others)
            memo.pop((family, name, False, leaf), None)
            memo.pop((family, name, True, leaf), None)

    @staticmethod
    def _table(key: str) -> str:
        return ".".join(key.split(".", 3)[:3]) + "."

    def _add(self, key: str) -> None:
        folder = key.rpartition(".")[0] + "."
        keys = self._dirs.get(folder)
        if keys is None:
            keys = self._dirs[folder] = set()
            conf = _conf_dir(folder)
            if conf is not None:
                self.conf_dirs.add(conf)
            name = _device_dir_name(folder)
            if name is not None:
                self.dir_names[name] = self.dir_names.get(name, 0) + 1
        if key not in keys:
            keys.add(key)
            table = self._table(key)
            self._tables[table] = self._tables.get(table, 0) + 1

    def _remove(self, key: str) -> None:
        folder = key.rpartition(".")[0] + "."
        keys = self._index().get(folder)
        if keys is not None and key in keys:
            keys.discard(key)
            if not keys:
                del self._dirs[folder]
                self.conf_dirs.discard(_conf_dir(folder))
                name = _device_dir_name(folder)
                if name is not None:
                    left = self.dir_names[name] - 1
                    if left:
                        self.dir_names[name] = left
                    else:
                        del self.dir_names[name]
            table = self._table(key)
            self._tables[table] -= 1

    def __copy__(self) -> "SysctlDict":
        twin = SysctlDict(self)         # an index of its own
        twin.version = self.version
        return twin

    def __deepcopy__(self, memo) -> "SysctlDict":
        twin = self.__copy__()          # keys and values are strings
        memo[id(self)] = twin
        return twin

    def __reduce__(self):
        return (SysctlDict, (dict(self),))

    def has_dir(self, folder: str) -> bool:
        """Whether any key is directly in `folder` (`net.ipv6.conf.eth0.`)."""
        return folder in self._index()

    def in_dir(self, folder: str) -> list[str]:
        """The keys directly in `folder` (`net.ipv6.conf.default.`), in no order."""
        return list(self._index().get(folder, ()))

    def has_table(self, table: str) -> bool:
        """Whether any key starts with `table` (`net.ipv4.neigh.`)."""
        self._index()
        return self._tables.get(table, 0) > 0

    def __setitem__(self, key, value) -> None:
        self.version += 1
        if not dict.__contains__(self, key):
            self._index()
            self._add(key)
        self._forget(key)
        super().__setitem__(key, value)

    def __delitem__(self, key) -> None:
        self.version += 1
        super().__delitem__(key)
        self._remove(key)
        self._forget(key)

    def pop(self, key, *default):
        self.version += 1
        if dict.__contains__(self, key):
            self._remove(key)
            self._forget(key)
        return super().pop(key, *default)

    def popitem(self):
        self.version += 1
        key, value = super().popitem()
        self._remove(key)
        self._forget(key)
        return key, value

    def clear(self) -> None:
        self.version += 1
        super().clear()
        self._reindex()

    def update(self, *args, **kwargs) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if not dict.__contains__(self, key):
            self[key] = default
        return self[key]

    def __ior__(self, other):
        self.version += 1
        result = super().__ior__(other)
        self._reindex()
        return result


# the conf keys whose writes the kernel announces in RTM_NEWNETCONF, by family, with
# the NetconfMsg field each fills (devinet_conf_proc(), devinet_sysctl_forward();
# addrconf_sysctl_forward(), addrconf_sysctl_proxy_ndp(), _ignore_routes_with_linkdown())
NETCONF_KEYS = {4: {"forwarding": "forwarding", "rp_filter": "rp_filter",
                    "proxy_arp": "proxy_neigh",
                    "ignore_routes_with_linkdown": "ignore_routes_with_linkdown"},
                6: {"forwarding": "forwarding", "proxy_ndp": "proxy_neigh",
                    "ignore_routes_with_linkdown": "ignore_routes_with_linkdown"}}


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


# conf() answers a namespace keeps (SysctlDict.memo) before it starts again
_CONF_MEMO_MAX = 16384


class NetSysctl:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

    def _netconf_before(self, key: str):
        """(family, conf key, written target, values of all, default and every device
        before the write) for a write the kernel may announce; None for the others."""
        if key == "net.ipv4.ip_forward":
            family, target, attr = 4, "all", "forwarding"
        else:
            parts = key.split(".")
            if len(parts) != 5 or parts[2] != "conf" or parts[1] not in ("ipv4", "ipv6"):
                return None
            family, target, attr = (4 if parts[1] == "ipv4" else 6), parts[3], parts[4]
            if attr not in NETCONF_KEYS[family]:
                return None
        targets = ["all", "default", *self.device_list()]
        return family, attr, target, [(t, _int(self.conf(family, t, attr))) for t in targets]

    def _netconf_after(self, family: int, attr: str, target: str, before: list) -> None:
        """The RTM_NEWNETCONF messages of one write, in the kernel's order: a changed
        value of the written device, all or default; forwarding of all (and ip_forward)
        announces all, default and every device (inet_forward_change()) for IPv4, and
        for IPv6 default if it changed, each device that changed, then all
        (addrconf_fixup_forwarding()); IPv6's ignore_routes_with_linkdown of all
        announces each device that changed, then all (addrconf_fixup_linkdown())."""
        from ipemu.kernel.records_more import NetconfMsg
        from ipemu.kernel.rtnetlink import NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT
        from ipemu.kernel.records import RTM
        field = NETCONF_KEYS[family][attr]
        changed = []
        for who, old in before:
            new = _int(self.conf(family, who, attr))
            name = who if isinstance(who, str) else who.name
            # addrconf's forwarding and linkdown handlers compare truth values
            truth = family == 6 and attr != "proxy_ndp"
            changed.append((who, name, bool(new) != bool(old) if truth else new != old, new))
        by_name = {name: (who, moved, new) for who, name, moved, new in changed}
        if target not in by_name:
            return
        order: list = []
        if target == "all" and attr == "forwarding" and family == 4:
            order = [(who, new) for who, _, _, new in changed] if by_name["all"][1] else []
        elif target == "all" and family == 6 and attr in ("forwarding",
                                                         "ignore_routes_with_linkdown"):
            skip_default = attr != "forwarding"
            order = [(who, new) for who, name, moved, new in changed[1:]
                     if moved and not (skip_default and name == "default")]
            if by_name["all"][1]:
                order.append((by_name["all"][0], by_name["all"][2]))
        elif by_name[target][1]:
            order = [(by_name[target][0], by_name[target][2])]
        for who, value in order:
            ifindex = {"all": NETCONFA_IFINDEX_ALL, "default": NETCONFA_IFINDEX_DEFAULT}.get(
                who if isinstance(who, str) else "", None)
            if ifindex is None:
                ifindex = who.ifindex
            self._notify(RTM.NEWNETCONF, NetconfMsg(family, ifindex, **{field: value}))

    def conf(self, family: int, dev: NetDevice | str, key: str) -> str:
        """A device's (or all's, default's) conf value. IPv4 devices follow
        conf/default for what was never written on them (devinet_copy_dflt_conf());
        IPv6 devices took a copy of conf/default when they were made
        (ipv6_add_dev(): see conf_new_device())."""
        sysctls = self.sysctls
        cache = getattr(sysctls, "memo", None)     # a SysctlDict's
        if cache is None or (family == 6 and (key == "mtu" or key == "addr_gen_mode")):
            # mtu6 follows the device's MTU, addr_gen_mode its IFLA_INET6_ADDR_GEN_MODE
            return self._conf(family, dev, key)
        if isinstance(dev, str):    # all, default (or a name)
            memo = (family, dev, False, key)
        else:
            name = dev.name
            # a device with no conf key of its own answers as any such device (the
            # template's value, IPv4's conf/default): one answer for all of them
            memo = (family, name if (family, name) in sysctls.conf_dirs else None,
                    dev.info.kind == "loopback", key)
        found = cache.get(memo)
        if found is None:
            if len(cache) >= _CONF_MEMO_MAX:
                cache.clear()       # bounded: 10,000 devices' answers would be ~20 MB
            found = cache[memo] = self._conf(family, dev, key)
        return found

    def ipv6_disabled(self, dev: NetDevice | str) -> bool:
        """idev->cnf.disable_ipv6 as the kernel tests it: any value but 0
        (addrconf_sysctl_disable() is a plain proc_dointvec: `disable_ipv6=2` is
        stored and shown as 2, and ipv6_add_dev()'s callers refuse addresses all the
        same -- recorded: `Error: ipv6: IPv6 is disabled on this device.`)."""
        return disables_ipv6(self.conf(6, dev, "disable_ipv6"))

    def _conf(self, family: int, dev: NetDevice | str, key: str) -> str:
        name = dev if isinstance(dev, str) else dev.name
        proto = "ipv4" if family == 4 else "ipv6"
        if key == "addr_gen_mode" and family == 6 and not isinstance(dev, str):
            # one field, idev->cnf.addr_gen_mode, behind the sysctl and ip link's
            # addrgenmode
            from ipemu.kernel.addrconf import ADDR_GEN_MODES
            return str(ADDR_GEN_MODES.index(dev.addrgenmode))
        own = self.sysctls.get(f"net.{proto}.conf.{name}.{key}")
        if own is not None:
            return own
        builtin = device_default(proto, "conf", dev, key)
        if builtin is None:
            builtin = (CONF_DEFAULTS_V4 if family == 4 else CONF_DEFAULTS_V6).get(key, "0")
        if family == 4 and name not in ("all", "default"):
            return self.sysctls.get(f"net.ipv4.conf.default.{key}", builtin)
        return builtin

    def conf_drop_device(self, name: str, *old: str) -> None:
        """The device leaves this namespace (unregister_netdevice(), or a move to
        another): devinet_sysctl_unregister(), addrconf_sysctl_unregister() and
        neigh_sysctl_unregister() take its /proc/sys/net/*/{conf,neigh}/NAME away, so
        what was written there is gone (a read or write is `cannot stat`)."""
        sysctls = self.sysctls
        for dev_name in (name, *old):
            self.devconf_set.pop(dev_name, None)
            for proto in ("ipv4", "ipv6"):
                for kind in DEVICE_DIRS:
                    for key in _in_dir(sysctls, f"net.{proto}.{kind}.{dev_name}."):
                        del sysctls[key]

    def conf_new_device(self, dev: NetDevice) -> None:
        """A device's conf and neigh parms are made afresh when it registers (here or in a namespace it
        moves to): nothing written for an earlier device of that name stays; IPv6
        copies conf/default as it is now."""
        sysctls = self.sysctls
        self.devconf_set.pop(dev.name, None)
        indexed = isinstance(sysctls, SysctlDict)
        if not indexed or dev.name in sysctls.dir_names:
            for proto in ("ipv4", "ipv6"):
                for kind in DEVICE_DIRS:
                    # neigh_parms_alloc() copies the table's defaults for a new device
                    for key in _in_dir(sysctls, f"net.{proto}.{kind}.{dev.name}."):
                        del sysctls[key]
        default = "net.ipv6.conf.default."
        if not indexed or sysctls.has_dir(default):
            for key in sorted(_in_dir(sysctls, default)):
                sysctls[f"net.ipv6.conf.{dev.name}.{key[len(default):]}"] = sysctls[key]
        # ipv6_add_dev(): cnf is conf/default's copy, and a stable_secret there makes
        # the mode stable_secret (IN6_ADDR_GEN_MODE_STABLE_PRIVACY)
        if not indexed or (6, dev.name) in sysctls.conf_dirs:
            from ipemu.kernel.addrconf import ADDR_GEN_MODES
            mode = int(sysctls.pop(f"net.ipv6.conf.{dev.name}.addr_gen_mode", "0"))
            dev.addrgenmode = ADDR_GEN_MODES[mode]
            if f"net.ipv6.conf.{dev.name}.stable_secret" in sysctls:
                dev.addrgenmode = "stable_secret"
        else:
            dev.addrgenmode = "eui64"       # ADDR_GEN_MODES[0]: no key copied
        # inetdev_init() copies conf/default with its state bits: a value written to
        # conf/default is set on the new device too (forwarding's write sets no bit:
        # devinet_sysctl_forward())
        default = "net.ipv4.conf.default."
        if not indexed or sysctls.has_dir(default):
            for key in sorted(_in_dir(sysctls, default)):
                if not key.endswith(".forwarding"):
                    sysctls[f"net.ipv4.conf.{dev.name}.{key[len(default):]}"] = sysctls[key]

    def _keep_set_conf(self, name: str) -> None:
        """devinet_copy_dflt_conf() skips a device whose value is marked set (every one
        after ipv4_devconf_setall()): such a device keeps the value it reads now."""
        found = [(f"net.ipv4.conf.{dev}.{name}", self.conf(4, dev, name))
                 for dev in self.devconf_set if self.by_name(dev) is not None
                 and f"net.ipv4.conf.{dev}.{name}" not in self.sysctls]
        for key, value in found:
            self.sysctls[key] = value

    def set_addr_gen_mode(self, key: str, mode: int) -> bool:
        """addrconf_sysctl_addr_gen_mode(): a device's new mode (refused as
        check_stable_privacy() refuses stable_secret without a secret) regenerates
        its automatic addresses when it changed; conf/all's sets default and every
        device; False for EINVAL."""
        from ipemu.kernel.addrconf import ADDR_GEN_MODES
        if not 0 <= mode < len(ADDR_GEN_MODES):
            return False        # ipv6_addr_gen_mode_valid()
        who = key.split(".")[3]
        devices = [self.by_name(who)] if who not in ("all", "default") else \
            self.device_list() if who == "all" else []
        if who not in ("all", "default"):
            if ADDR_GEN_MODES[mode] == "stable_secret" and \
                    self.stable_secret(devices[0]) is None:
                return False
        else:
            self.sysctls[key] = str(mode)
            if who == "all":
                self.sysctls["net.ipv6.conf.default.addr_gen_mode"] = str(mode)
        for dev in devices:
            if dev.addrgenmode != ADDR_GEN_MODES[mode]:
                dev.addrgenmode = ADDR_GEN_MODES[mode]
                self.addrconf_init_auto_addrs(dev)
        return True

    def set_stable_secret(self, key: str, text: str) -> bool:
        """addrconf_sysctl_stable_secret(): an IPv6 address (in6_pton()) becomes the
        secret; conf/all's is refused (EIO, as a bad address is); default's turns every
        device to stable_secret, a device's that device (no address changes now)."""
        import ipaddress
        from ipemu.kernel.addrconf import has_inet6_dev, stable_secret_text
        who = key.split(".")[3]
        # in6_pton(str, -1, ...): with delim -1 any character that is not a hex
        # digit, ':' or '.' ends the address (`fe80::1%eth1` is fe80::1: recorded)
        end = 0
        while end < len(text) and text[end] in "0123456789abcdefABCDEF:.":
            end += 1
        if who == "all":
            return False
        try:
            secret = ipaddress.IPv6Address(text[:end]).packed
        except ValueError:
            return False
        self.sysctls[key] = stable_secret_text(secret)
        for dev in self.device_list() if who == "default" else [self.by_name(who)]:
            if has_inet6_dev(dev):
                dev.addrgenmode = "stable_secret"
        return True

    def set_sysctl(self, key: str, value: str) -> None:
        """A write to /proc/sys: stored, and the kernel reacts where it does at once
        (forwarding on every device; disable_ipv6 takes a device's IPv6 down or brings
        it back, and conf/all/disable_ipv6 sets default and every device:
        addrconf_disable_ipv6())."""
        netconf = self._netconf_before(key) if self.listeners else None
        old_disabled = {d.ifindex: self.ipv6_disabled(d)
                        for d in self.device_list()}
        old_forwarding = {d.ifindex: self.conf(6, d, "forwarding") == "1"
                          for d in self.device_list()} if ".forwarding" in key else {}
        proto = FORWARD_ALL.get(key)
        old_all = self.conf(4 if proto == "ipv4" else 6, "all", "forwarding") \
            if proto is not None else None
        if key.startswith("net.ipv4.conf.default."):
            self._keep_set_conf(key[len("net.ipv4.conf.default."):])
        if key == "net.ipv4.conf.default.forwarding":
            # devinet_sysctl_forward(): default's forwarding goes to no device there
            # (no devinet_copy_dflt_conf()); a device made later copies it
            # (inetdev_init()): those there keep what they read now (recorded)
            for dev in self.device_list():
                own = f"net.ipv4.conf.{dev.name}.forwarding"
                if own not in self.sysctls:
                    self.sysctls[own] = self.conf(4, dev, "forwarding")
        self.sysctls[key] = value
        if proto is not None and (proto == "ipv6" or value != old_all):
            # devinet_sysctl_forward(): inet_forward_change() only when the value
            # changes; it also sets conf/all/accept_redirects to the opposite
            for name in ["all", "default"] + [d.name for d in self.device_list()]:
                self.sysctls[f"net.{proto}.conf.{name}.forwarding"] = value
            if proto == "ipv4":
                self.sysctls["net.ipv4.ip_forward"] = value
                self.sysctls["net.ipv4.conf.all.accept_redirects"] = \
                    "0" if value != "0" else "1"
        elif proto == "ipv4":
            self.sysctls["net.ipv4.ip_forward"] = self.sysctls[
                "net.ipv4.conf.all.forwarding"] = value
        for dev in self.device_list() if key.startswith("net.ipv6.") else ():
            if dev.ifindex in old_forwarding and dev.inet6_ready:
                now = self.conf(6, dev, "forwarding") == "1"
                if now != old_forwarding[dev.ifindex]:
                    self.forward_change6(dev, now)
        if key == "net.ipv6.conf.all.ignore_routes_with_linkdown":
            # addrconf_fixup_linkdown(): all sets default and every device
            # (addrconf_linkdown_change())
            for name in ["default"] + [d.name for d in self.device_list()]:
                self.sysctls[f"net.ipv6.conf.{name}.ignore_routes_with_linkdown"] = value
        if netconf is not None:
            self._netconf_after(*netconf)
        if key == "net.ipv6.conf.all.disable_ipv6":
            self.sysctls["net.ipv6.conf.default.disable_ipv6"] = value
            for dev in self.device_list():
                self.sysctls[f"net.ipv6.conf.{dev.name}.disable_ipv6"] = value
        if key.endswith(".disable_ipv6"):
            for dev in self.device_list():
                now = self.ipv6_disabled(dev)
                if now and not old_disabled[dev.ifindex]:
                    self.addrconf_disable(dev)
                elif not now and old_disabled[dev.ifindex] and dev.admin_up and \
                        (dev.carrier or dev.kind == "loopback"):
                    self._netdev_up_ipv6(dev)
        if key.endswith(".ignore_routes_with_linkdown"):
            if key == "net.ipv6.conf.all.ignore_routes_with_linkdown":
                # addrconf_fixup_linkdown(): all's value goes to default and every device
                self.sysctls["net.ipv6.conf.default.ignore_routes_with_linkdown"] = value
                for dev in self.device_list():
                    self.sysctls[f"net.ipv6.conf.{dev.name}.ignore_routes_with_linkdown"] = value
            # every later fib lookup reads it (fib_table_lookup(), find_match()): the
            # routes kept from earlier lookups are stale (fib: not at start-up)
            from ipemu.kernel.fib import FibTable
            FibTable.genid += 1
