"""The kernel's files scripts read, as Linux 6.1 writes them, computed from the
namespace's state at read time (never stored): /sys/class/net/DEV/* (net-sysfs.c),
/proc/net/{dev,route,arp,if_inet6,ipv6_route,tcp,tcp6} (dev_seq_printf_stats(),
fib_route_seq_show(), arp_seq_show(), if6_seq_show(), ipv6_route_native_seq_show(),
tcp4_seq_show(), tcp6_seq_show()),
/proc/net/{snmp,snmp6,netstat} (kernel/snmp.py),
/proc/net/{dev_mcast,igmp,igmp6} (dev_mc_seq_show(), igmp_mc_seq_show(),
igmp6_mc_seq_show()), the other socket tables' headers (no sockets are listed),
and /run/netns (/var/run is a link to it), where `ip netns add` mounts its names.

`read` gives a file's text or raises OSError as the kernel fails the read (EINVAL
for the carrier of a device that is down); `listdir` a directory's names. Both return
None for a path that is no view, so the simulated tree answers for it.
"""
from __future__ import annotations

import errno
import ipaddress
import os
import re

from ipemu.kernel import ioctl as K
from ipemu.kernel import snmp
from ipemu.kernel.addrconf import has_inet6_dev
from ipemu.kernel.ip6_fib import proc_ipv6_route, proc_rt6_stats
from ipemu.kernel.mcast import LINK_ALL_NODES, dump_maddr
from ipemu.kernel.netdev import IFF_NOT_OPER
from ipemu.render.cfmt import cpad

SYS_NET = "/sys/class/net"
STATISTICS = (
    "collisions", "multicast", "rx_bytes", "rx_compressed", "rx_crc_errors", "rx_dropped",
    "rx_errors", "rx_fifo_errors", "rx_frame_errors", "rx_length_errors",
    "rx_missed_errors", "rx_nohandler", "rx_over_errors", "rx_packets",
    "tx_aborted_errors", "tx_bytes", "tx_carrier_errors", "tx_compressed", "tx_dropped",
    "tx_errors", "tx_fifo_errors", "tx_heartbeat_errors", "tx_packets", "tx_window_errors",
)
# struct rtnl_link_stats64 names where ipemu's LinkStats differs
STAT_FIELDS = {"collisions": "tx_collisions", "multicast": "rx_mcast",
               "rx_missed_errors": "rx_missed", "tx_carrier_errors": "tx_carrier"}
# the device attributes (net-sysfs.c's net_class_attrs) a script reads
DEVICE_FILES = ("addr_assign_type", "addr_len", "address", "broadcast", "carrier",
                "carrier_changes", "carrier_down_count", "carrier_up_count", "dev_id",
                "dev_port", "dormant", "duplex", "flags", "gro_flush_timeout", "ifalias",
                "ifindex", "iflink", "link_mode", "mtu", "name_assign_type",
                "napi_defer_hard_irqs", "netdev_group", "operstate", "proto_down", "speed",
                "statistics", "testing", "threaded", "tx_queue_len", "type")
# get_link_ksettings() of the drivers that have one: (speed, duplex); the others give
# speed_show() and duplex_show() their -EINVAL
LINK_KSETTINGS = {"veth": (10000, "full"),      # veth_get_link_ksettings()
                  # tun_get_link_ksettings(): SPEED_10000 since Linux 6.2
                  "tun": (10000, "full")}
SPEED_UNKNOWN = -1
# the rest of what `ls` shows in a device's directory (net_class_attrs and the
# power/queues/statistics groups, the subsystem link and uevent); not read here
LISTED_ONLY = ("power", "queues", "subsystem", "uevent")
PROC_NET = ("arp", "dev", "dev_mcast", "icmp", "icmp6", "if_inet6", "igmp", "igmp6",
            "ipv6_route", "mcfilter", "mcfilter6", "psched", "raw", "raw6", "route",
            "rt_cache", "tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "unix", "anycast6",
            "snmp", "snmp6", "netstat", "fib_trie", "fib_triestat", "packet", "ptype", "sockstat",
            "sockstat6", "ip_mr_vif", "ip_mr_cache", "ip6_mr_vif", "ip6_mr_cache", "rt6_stats")
# what `ls /proc/net` shows in a new namespace of the recording host (Debian 12's
# 6.1 kernel with its netfilter modules loaded); files ipemu does not write are listed
PROC_NET_LISTING = (
    "anycast6", "arp", "arp_tables_matches", "arp_tables_names", "arp_tables_targets",
    "dev", "dev_mcast", "dev_snmp6", "fib_trie", "fib_triestat", "icmp", "icmp6",
    "if_inet6", "igmp", "igmp6", "ip6_flowlabel", "ip6_mr_cache", "ip6_mr_vif",
    "ip6_tables_matches", "ip6_tables_names", "ip6_tables_targets", "ip6t_hashlimit",
    "ip_mr_cache", "ip_mr_vif", "ip_tables_matches", "ip_tables_names", "ip_tables_targets",
    "ipt_hashlimit", "ipv6_route", "mcfilter", "mcfilter6", "netfilter", "netlink",
    "netstat", "nf_conntrack", "nf_conntrack_expect", "packet", "protocols", "psched",
    "ptype", "raw", "raw6", "route", "rt6_stats", "rt_acct", "rt_cache", "snmp", "snmp6",
    "sockstat", "sockstat6", "softnet_stat", "stat", "tcp", "tcp6", "udp", "udp6",
    "udplite", "udplite6", "unix", "xfrm_stat", "xt_recent")
_V4_SOCKETS = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
_V6_SOCKETS = ("  sl  local_address                         remote_address                        "
               "st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode")
_REF = " ref pointer drops"
# the header lines of the tables that list sockets (and the gone route cache), padded
# as their seq_show() pads them (seq_setwidth() + seq_pad()): tcp4_seq_show() to 149
# columns, udp4_seq_show() and ping_v4_seq_show() to 127, rt_cache_seq_show() to 127
PROC_NET_HEADERS = {
    "tcp": (_V4_SOCKETS, 149), "tcp6": (_V6_SOCKETS, 0),
    "udp": (" " + _V4_SOCKETS + _REF, 127), "udp6": (_V6_SOCKETS + _REF, 0),
    "udplite": (" " + _V4_SOCKETS + _REF, 127), "udplite6": (_V6_SOCKETS + _REF, 0),
    "raw": (_V4_SOCKETS + _REF, 0), "raw6": (_V6_SOCKETS + _REF, 0),
    "icmp": (_V4_SOCKETS + _REF, 127), "icmp6": (_V6_SOCKETS + _REF, 0),
    "rt_cache": ("Iface\tDestination\tGateway \tFlags\t\tRefCnt\tUse\tMetric\tSource\t\t"
                 "MTU\tWindow\tIRTT\tTOS\tHHRef\tHHUptod\tSpecDst", 127),
    "unix": ("Num       RefCount Protocol Flags    Type St Inode Path", 0),
    "mcfilter": ("Idx Device        MCA        SRC    INC    EXC", 0),
    # packet_seq_show(): no packet socket open while `cat` reads it
    "packet": ("sk               RefCnt Type Proto  Iface R Rmem   User   Inode", 0),
    "mcfilter6": ("Idx Device                Multicast Address                   "
                  "Source Address    INC    EXC", 0),
    # ipmr_vif_seq_show(), ipmr_mfc_seq_show(), their ip6mr twins: a namespace without a
    # multicast routing daemon has no vifs and no cache entries
    "ip_mr_vif": ("Interface      BytesIn  PktsIn  BytesOut PktsOut Flags Local    Remote", 0),
    "ip_mr_cache": ("Group    Origin   Iif     Pkts    Bytes    Wrong Oifs", 0),
    "ip6_mr_vif": ("Interface      BytesIn  PktsIn  BytesOut PktsOut Flags", 0),
    "ip6_mr_cache": ("Group                            Origin                           "
                     "Iif      Pkts  Bytes     Wrong  Oifs", 0),
}
# br_sysfs_br.c's bridge/ attributes of a bridge as new_bridge_dev() and
# br_multicast_init() leave them (times in centiseconds); the ids are the device's
BRIDGE_DEFAULTS = {
    "ageing_time": "30000", "default_pvid": "1", "forward_delay": "1500",
    "group_addr": "01:80:c2:00:00:00", "group_fwd_mask": "0x0", "hello_time": "200",
    "hello_timer": "0", "max_age": "2000", "multicast_snooping": "1",
    "nf_call_arptables": "0", "nf_call_ip6tables": "0", "nf_call_iptables": "0",
    "priority": "32768", "root_path_cost": "0", "root_port": "0", "stp_state": "0",
    "tcn_timer": "0", "topology_change": "0", "topology_change_detected": "0",
    "topology_change_timer": "0", "vlan_filtering": "0", "vlan_protocol": "0x8100",
}
# br_sysfs_br.c's multicast files and the br_conf key (ip's option word) each shows
BRIDGE_MCAST_FILES = {
    "multicast_router": "mcast_router", "multicast_snooping": "mcast_snooping",
    "multicast_query_use_ifaddr": "mcast_query_use_ifaddr",
    "multicast_querier": "mcast_querier", "hash_max": "mcast_hash_max",
    "multicast_last_member_count": "mcast_last_member_count",
    "multicast_startup_query_count": "mcast_startup_query_count",
    "multicast_last_member_interval": "mcast_last_member_interval",
    "multicast_membership_interval": "mcast_membership_interval",
    "multicast_querier_interval": "mcast_querier_interval",
    "multicast_query_interval": "mcast_query_interval",
    "multicast_query_response_interval": "mcast_query_response_interval",
    "multicast_startup_query_interval": "mcast_startup_query_interval",
    "multicast_stats_enabled": "mcast_stats_enabled",
    "multicast_igmp_version": "mcast_igmp_version",
    "multicast_mld_version": "mcast_mld_version",
}
BRIDGE_DEFAULTS.update({
    "multicast_router": "1", "multicast_query_use_ifaddr": "0", "multicast_querier": "0",
    "hash_elasticity": "16", "hash_max": "4096", "multicast_last_member_count": "2",
    "multicast_startup_query_count": "2", "multicast_last_member_interval": "100",
    "multicast_membership_interval": "26000", "multicast_querier_interval": "25500",
    "multicast_query_interval": "12500", "multicast_query_response_interval": "1000",
    "multicast_startup_query_interval": "3124", "multicast_stats_enabled": "0",
    "multicast_igmp_version": "2", "multicast_mld_version": "1",
    "no_linklocal_learn": "0", "gc_timer": "0",
})
BRIDGE_FILES = tuple(sorted([*BRIDGE_DEFAULTS, "bridge_id", "root_id", "flush"]))
# br_sysfs_br.c: these exist only under #ifdef CONFIG_BRIDGE_VLAN_FILTERING
BRIDGE_VLAN_FILES = ("default_pvid", "vlan_filtering", "vlan_protocol")
# br_sysfs_if.c's brport/ attributes (brport_attrs[]; `bridge` is a link beside them)
BRPORT_FILES = ("backup_port", "bpdu_guard", "broadcast_flood", "change_ack",
                "config_pending", "designated_bridge", "designated_cost", "designated_port",
                "designated_root", "flush", "forward_delay_timer", "group_fwd_mask",
                "hairpin_mode", "hold_timer", "isolated", "learning", "message_age_timer",
                "multicast_fast_leave", "multicast_flood", "multicast_router",
                "multicast_to_unicast", "neigh_suppress", "path_cost", "port_id", "port_no",
                "priority", "proxyarp", "proxyarp_wifi", "root_block", "state",
                "unicast_flood")
BRPORT_LISTING = tuple(sorted([*BRPORT_FILES, "bridge"]))
# the BRPORT_ATTR_FLAG()s and other stores of brport_attrs[] ipemu keeps: the
# IFLA_BRPORT_* setting (BrPortConf's name) each one writes
BRPORT_WRITABLE = {"hairpin_mode": "hairpin", "bpdu_guard": "guard",
                   "root_block": "root_block", "learning": "learning",
                   "unicast_flood": "flood", "multicast_fast_leave": "fastleave",
                   "multicast_to_unicast": "mcast_to_unicast",
                   "multicast_flood": "mcast_flood", "broadcast_flood": "bcast_flood",
                   "neigh_suppress": "neigh_suppress", "isolated": "isolated",
                   "path_cost": "cost", "priority": "priority",
                   "multicast_router": "mcast_router", "proxyarp": "proxy_arp",
                   "proxyarp_wifi": "proxy_arp_wifi", "group_fwd_mask": "group_fwd_mask",
                   "flush": "fdb_flush"}


def _error(code: int, path: str) -> OSError:
    return OSError(code, os.strerror(code), path)


def _canonical(path: str) -> str:
    """/var/run is a symbolic link to /run on Debian."""
    if path == "/var/run" or path.startswith("/var/run/"):
        return "/run" + path[len("/var/run"):]
    if path == VIRTUAL_NET or path.startswith(VIRTUAL_NET + "/"):
        # every simulated device is a virtual one: /sys/class/net/NAME is a link to
        # ../../devices/virtual/net/NAME (ls_long.py), the same sysfs directory
        return SYS_NET + path[len(VIRTUAL_NET):]
    return path


VIRTUAL_NET = "/sys/devices/virtual/net"


def _mac(data: bytes) -> str:
    return ":".join(f"{b:02x}" for b in data)


# ---------------------------------------------------------------- reading
def _through_links(netns, path: str) -> str:
    """A path that goes on past one of sysfs's links inside a device's directory
    follows it: a port's brport/bridge (the bridge), a bridge's brif/PORT (the port's
    brport/), a device's master (br_sysfs_addif(), netdev_master_upper_dev_link());
    the link itself stays for readlink(2) and ls -l."""
    if netns is None or not path.startswith(SYS_NET + "/"):
        return path
    parts = path[len(SYS_NET) + 1:].strip("/").split("/")
    for _ in range(8):
        dev = netns.by_name(parts[0])
        if dev is None:
            break
        if parts[1:3] == ["brport", "bridge"] and len(parts) > 3 and dev.master is not None:
            parts = [dev.master.name, *parts[3:]]
        elif len(parts) > 3 and parts[1] == "brif" and _brif_port(dev, parts) is not None:
            parts = [parts[2], "brport", *parts[3:]]
        elif len(parts) > 2 and parts[1] == "master" and dev.master is not None:
            parts = [dev.master.name, *parts[2:]]
        elif len(parts) > 2 and parts[1] == "subsystem":
            parts = parts[2:]           # ../../../../class/net
        elif len(parts) > 4 and parts[1] == "macvtap" and parts[3] == "device" and \
                dev.kind == "macvtap":
            parts = [parts[0], *parts[4:]]  # a macvtap's tapN/device: ../../../NAME
        else:
            break
    return SYS_NET + "/" + "/".join(parts)


def _sysfs_ns(netns, path: str):
    """The namespace /sys shows: the one sysfs was mounted for (Host.sysfs_view while
    a program of `nsenter --net` or `unshare -n` runs), else the reader's."""
    view = getattr(getattr(netns, "host", None), "sysfs_view", None)
    if view is not None and (path == "/sys" or path.startswith("/sys/")):
        return view
    return netns


def read(host, netns, path: str) -> str | None:
    """A view's text; None when `path` is no view (OSError when the view says so)."""
    netns = _sysfs_ns(netns, _canonical(path))
    path = _through_links(netns, _canonical(path))
    if path.startswith("/proc/net/stat/"):
        name = path[len("/proc/net/stat/"):]
        return _proc_net_stat(host, name) if name in PROC_NET_STAT else None
    if path.startswith("/proc/net/dev_snmp6/"):
        dev = _dev_snmp6(netns, path[len("/proc/net/dev_snmp6/"):])
        return snmp.proc_dev_snmp6(netns, dev) if dev is not None else None
    if path.startswith("/proc/net/"):
        name = path[len("/proc/net/"):]
        if name in PROC_NET:
            return PROC_READERS[name](netns)
        return None
    if path in ("/proc/net", "/proc/net/stat", "/proc/net/dev_snmp6"):
        raise _error(errno.EISDIR, path)
    if path == SYS_NET or path.startswith(SYS_NET + "/"):
        return _sys_read(netns, path)
    if path.startswith("/run/netns/"):
        if path[len("/run/netns/"):] in _netns_names(host):
            return ""
        return None
    if path in ("/proc/meminfo", "/proc/loadavg", "/proc/uptime"):
        # what a health check reads (the session gives loadavg its processes; here,
        # for ls, stat and test, the files are there)
        from ipemu.tools import procinfo
        if path == "/proc/meminfo":
            return procinfo.proc_meminfo()
        if path == "/proc/uptime":
            return procinfo.proc_uptime(host, int(host.kernel.get("nr_cpus", 1)))
        return procinfo.proc_loadavg(host, None)
    if path == "/proc/version":
        # version_proc_show(): linux_banner with the UTS release and version
        k = netns.kernel
        return (f"Linux version {k['osrelease']} ({k['linux_compile_by']}) "
                f"({k['linux_compiler']}) {k['version']}\n")
    return None


def _sys_read(netns, path: str) -> str:
    parts = path[len(SYS_NET):].strip("/").split("/")
    if parts == [""]:
        raise _error(errno.EISDIR, path)
    dev = netns.by_name(parts[0])
    if dev is None:
        raise _error(errno.ENOENT, path)
    if len(parts) == 1:
        raise _error(errno.EISDIR, path)
    if parts[1] == "statistics":
        if len(parts) == 2:
            raise _error(errno.EISDIR, path)
        if len(parts) != 3 or parts[2] not in STATISTICS:
            raise _error(errno.ENOENT, path)
        return f"{_stat(dev, parts[2])}\n"
    if len(parts) == 2 and parts[1] in ("power", "queues", "subsystem"):
        raise _error(errno.EISDIR, path)    # a group directory (subsystem: a link to one)
    if parts[1] == "power" and len(parts) > 2:
        if len(parts) > 3 or parts[2] not in POWER_FILES:
            raise _error(errno.ENOENT, path)
        if POWER_FILES[parts[2]][1] is None:
            # autosuspend_delay_show(): -EIO unless the device uses autosuspend
            raise _error(errno.EIO, path)
        return POWER_FILES[parts[2]][1] + "\n"
    if parts[1] == "queues" and len(parts) > 2:
        files = _queue_files(dev, parts[2])
        if files is None or len(parts) > 4 or len(parts) == 4 and parts[3] not in files:
            raise _error(errno.ENOENT, path)
        if len(parts) == 3:
            raise _error(errno.EISDIR, path)
        return _queue_read(netns, dev, parts[2], parts[3], path)
    if parts[1] in _subdirs(dev):
        if len(parts) == 2:
            raise _error(errno.EISDIR, path)
        if len(parts) == 3 and parts[1] == "bridge" and parts[2] in _bridge_files(netns):
            if parts[2] == "flush":
                raise _error(errno.EACCES, path)    # BRIDGE_ATTR_WO: no show()
            return _bridge_attribute(dev, parts[2])
        if len(parts) == 3 and parts[1] == "brport" and parts[2] in BRPORT_FILES:
            if parts[2] == "flush":
                raise _error(errno.EACCES, path)    # BRPORT_ATTR(flush, 0200, ...)
            return _brport_attribute(dev, parts[2])
        port = _brif_port(dev, parts)
        if port is not None and len(parts) == 3:
            raise _error(errno.EISDIR, path)    # a link to the port's brport/
        if port is not None and len(parts) == 4 and parts[3] in BRPORT_FILES:
            if parts[3] == "flush":
                raise _error(errno.EACCES, path)
            return _brport_attribute(port, parts[3])
        raise _error(errno.ENOENT, path)
    if dev.kind == "macvtap" and parts[1] == "macvtap":
        # the macvtap/tapN class device (device_create() in macvtap_device_event()):
        # its dev and uevent name the character device MKDEV(major, minor)
        if len(parts) <= 3 and (len(parts) == 2 or parts[2] == f"tap{dev.ifindex}"):
            raise _error(errno.EISDIR, path)
        if len(parts) in (4, 5) and parts[2] == f"tap{dev.ifindex}" and \
                parts[3] in ("power", "subsystem", "device"):
            if len(parts) == 4:
                raise _error(errno.EISDIR, path)
            if parts[3] == "power" and parts[4] in POWER_FILES:
                if POWER_FILES[parts[4]][1] is None:
                    raise _error(errno.EIO, path)
                return POWER_FILES[parts[4]][1] + "\n"
        if len(parts) == 4 and parts[2] == f"tap{dev.ifindex}" and \
                parts[3] in ("dev", "uevent"):
            major = netns.kernel.get("tap_major", 246)
            minor = dev.macvlan.tap_minor if dev.macvlan is not None else 0
            if parts[3] == "dev":
                return f"{major}:{minor}\n"
            return f"MAJOR={major}\nMINOR={minor}\nDEVNAME={parts[2]}\n"
        raise _error(errno.ENOENT, path)
    if len(parts) == 2 and parts[1] == "uevent":
        # netdev_uevent(): INTERFACE and IFINDEX after the DEVTYPE of a device type
        # that has one (SET_NETDEV_DEVTYPE(): br_dev_setup(), vlan_setup(),
        # vxlan_setup(), bond_setup())
        devtype = f"DEVTYPE={dev.kind}\n" if dev.kind in ("bridge", "vlan", "vxlan", "bond") \
            else ""
        return f"{devtype}INTERFACE={dev.name}\nIFINDEX={dev.ifindex}\n"
    if len(parts) == 2 and dev.tun is not None and parts[1] in ("tun_flags", "owner", "group"):
        return _tun_attribute(dev, parts[1])
    if len(parts) != 2 or parts[1] not in DEVICE_FILES:
        raise _error(errno.ENOENT, path)
    return _attribute(dev, parts[1], path)


def _tun_attribute(dev, name: str) -> str:
    """tun_flags_show() ("0x%x" of the mode, feature and persist flags kept),
    tun_owner_show()/tun_group_show() (-1 when none was set)."""
    if name == "tun_flags":
        return f"{dev.tun.flags:#x}\n"
    return f"{dev.tun.owner if name == 'owner' else dev.tun.group}\n"


# br_sysfs_br.c's BRIDGE_ATTR_RW files ipemu keeps, and the br_conf key each sets
BRIDGE_WRITABLE = {"ageing_time": "ageing_time", "forward_delay": "forward_delay",
                   "hello_time": "hello_time", "max_age": "max_age",
                   "priority": "priority", "stp_state": "stp_state",
                   "hash_elasticity": "mcast_hash_elasticity",
                   "group_fwd_mask": "group_fwd_mask", "nf_call_iptables": "nf_call_iptables",
                   "nf_call_ip6tables": "nf_call_ip6tables",
                   "nf_call_arptables": "nf_call_arptables",
                   "no_linklocal_learn": "no_linklocal_learn",
                   "group_addr": "group_address", "flush": "flush", **BRIDGE_MCAST_FILES}


def open_write(netns, path: str) -> int | None:
    """open(2) of a /sys/class/net bridge/ file for writing: 0 when it may be
    written, the errno when not (kernfs_fop_open(): EACCES for a read-only
    attribute), None when ipemu keeps no such writable view (the caller goes on).
    A path through sysfs's links (a bridge's brif/PORT/, a port's master/) is the
    file they lead to (recorded: `echo 42 > /sys/class/net/br0/brif/veth0/path_cost`
    sets the port's cost, tutorials44_port_priority_cost_sysfs_write)."""
    parts = _through_links(netns, _canonical(path))[len(SYS_NET):].strip("/").split("/")
    if len(parts) == 2 and parts[1] in DEVICE_WRITABLE:
        return 0 if netns.by_name(parts[0]) is not None else None
    if len(parts) == 4 and parts[1] == "queues" and netns.by_name(parts[0]) is not None:
        mode = (_queue_files(netns.by_name(parts[0]), parts[2]) or {}).get(parts[3])
        if mode is not None:
            return 0 if mode & 0o200 else errno.EACCES
    if len(parts) != 3 or parts[1] not in ("bridge", "brport"):
        return None
    dev = netns.by_name(parts[0])
    if dev is None or parts[1] not in _subdirs(dev):
        return None
    # a new name in a sysfs directory is refused too (kernfs has no create)
    writable = BRIDGE_WRITABLE if parts[1] == "bridge" else BRPORT_WRITABLE
    return 0 if parts[2] in writable else errno.EACCES


def write(netns, path: str, text: str) -> int:
    """write(2) to a bridge/ file open_write() allowed: store_bridge_parm() reads the
    text with kstrtoul(buf, 0) (EINVAL otherwise) and sets it; 0 or the errno."""
    from ipemu.kernel.drivers import br_sysfs_store
    from ipemu.kernel.errors import KernelError
    parts = _through_links(netns, _canonical(path))[len(SYS_NET):].strip("/").split("/")
    dev = netns.by_name(parts[0])
    if dev is None:
        return errno.ENODEV
    if len(parts) == 2:
        return _device_store(netns, dev, parts[1], text)
    if parts[1] == "queues":
        return _queue_store(netns, dev, parts[2], parts[3], text)
    if parts[1] == "brport":
        return _brport_store(netns, dev, parts[2], text)
    if parts[2] == "group_addr":
        # group_addr_store(): mac_pton() (six two-digit groups, ':' between them),
        # then the link-local check br_changelink() makes too
        mac = _mac_pton(text)
        if mac is None:
            return errno.EINVAL
        text = mac.hex(":")
    else:
        value = _kstrtoul(text)
        if value is None:
            return errno.EINVAL
    try:
        if parts[2] == "flush":
            # set_flush(): br_fdb_flush() with flags_mask BIT(BR_FDB_STATIC): every
            # entry but the static (and local) ones
            from ipemu.kernel.bridge import NUD_NOARP, FdbFlush, br_fdb_delete_bulk
            br_fdb_delete_bulk(netns, dev, FdbFlush(dev.ifindex, state_mask=NUD_NOARP))
        else:
            br_sysfs_store(netns, dev, BRIDGE_WRITABLE[parts[2]],
                           text if parts[2] == "group_addr" else value)
    except KernelError as err:
        return int(err.errno)
    return 0


def _mac_pton(text: str) -> bytes | None:
    """mac_pton(): at least 17 characters, six groups of two hex digits with ':'
    between them (what follows is not looked at); None otherwise."""
    if len(text) < 17:
        return None
    out = []
    for i in range(6):
        pair = text[i * 3:i * 3 + 2]
        if not all(c in "0123456789abcdefABCDEF" for c in pair):
            return None
        if i != 5 and text[i * 3 + 2] != ":":
            return None
        out.append(int(pair, 16))
    return bytes(out)


def _brport_store(netns, dev, name: str, text: str) -> int:
    """brport_store(): simple_strtoul(buf, &endp, 0) (EINVAL when no digit is read),
    the attribute's store (a flag is set by any non-zero value: store_flag()), then
    br_ifinfo_notify(); 0 or the errno."""
    from ipemu.kernel.bridge import br_ifinfo_notify, br_setport
    from ipemu.kernel.errors import KernelError
    value = _simple_strtoul(text)
    if value is None:
        return errno.EINVAL
    key = BRPORT_WRITABLE[name]
    if key not in ("cost", "priority", "mcast_router", "group_fwd_mask"):
        value = bool(value)         # store_flag(); store_flush() takes any value
    if key == "fdb_flush":
        value = True
    try:
        br_setport(dev, {key: value})
    except KernelError as err:
        return int(err.errno)
    br_ifinfo_notify(netns, dev)
    return 0


def _simple_strtoul(text: str) -> int | None:
    """simple_strtoul(text, &endp, 0): a 0x/0 prefix picks the base; the digits that
    follow are read and the rest ignored; None when there is none."""
    base, body = 10, text
    if body[:2].lower() == "0x" and body[2:3] and body[2].lower() in "0123456789abcdef":
        base, body = 16, body[2:]
    elif body[:1] == "0":
        base = 8
    digits = "0123456789abcdef"[:base]
    n = 0
    while n < len(body) and body[n].lower() in digits:
        n += 1
    return int(body[:n], base) if n else None


# net-sysfs.c's writable device attributes ipemu keeps (netdev_store() with
# change_mtu, change_tx_queue_len, change_group; ifalias_store())
DEVICE_WRITABLE = ("mtu", "tx_queue_len", "netdev_group", "ifalias", "carrier", "flags",
                   "proto_down", "threaded", "gro_flush_timeout", "napi_defer_hard_irqs")


def _device_store(netns, dev, name: str, text: str) -> int:
    """netdev_store(): kstrtoul(buf, 0) (EINVAL), then the setter under RTNL; 0 or
    the errno. ifalias_store() takes the text up to a trailing newline."""
    from ipemu.kernel.errors import KernelError
    if name == "ifalias":
        alias = text[:-1] if text.endswith("\n") else text
        if len(alias.encode("utf-8", "surrogateescape")) >= 256:   # IFALIASZ
            return errno.EINVAL
        dev.ifalias = alias                 # dev_set_alias()
        return 0
    value = _kstrtoul(text)
    if value is None:
        return errno.EINVAL
    if value >= 1 << 64:
        return errno.ERANGE                 # kstrtoul()'s overflow
    try:
        if name == "carrier":
            netns.change_carrier(dev, bool(value))  # no ndo_change_carrier: EOPNOTSUPP
        elif name == "flags":
            netns.change_flags(dev, value & 0xFFFFFFFF)     # change_flags()
        elif name == "proto_down":
            # proto_down_store(): dev_change_proto_down() (recorded on a veth:
            # EOPNOTSUPP)
            from ipemu.kernel.rtnetlink import PROTO_DOWN_KINDS
            if dev.kind not in PROTO_DOWN_KINDS:
                return errno.EOPNOTSUPP
            dev.proto_down = bool(value)
        elif name == "threaded":
            # threaded_store(): dev_set_threaded() of a device without NAPI
            # instances (recorded on a veth: EOPNOTSUPP)
            return errno.EOPNOTSUPP
        elif name in ("gro_flush_timeout", "napi_defer_hard_irqs"):
            if name == "napi_defer_hard_irqs" and value > 0x7FFFFFFF:
                return errno.ERANGE         # change_napi_defer_hard_irqs(): S32_MAX
            if value:
                dev.queue_conf[name] = value
            else:
                dev.queue_conf.pop(name, None)
        elif name == "mtu":
            mtu = value & 0xFFFFFFFF        # change_mtu(): dev_set_mtu(dev, (int)new_mtu)
            netns.set_mtu(dev, mtu - (1 << 32) if mtu >= 1 << 31 else mtu)
        elif name == "tx_queue_len":
            if value >= 1 << 32:            # change_tx_queue_len(): ERANGE
                return errno.ERANGE
            if value != dev.txqlen:
                dev.txqlen = value          # dev_change_tx_queue_len()
                netns._notify_link(dev)
        else:
            dev.group = value & 0xFFFFFFFF  # dev_set_group()
    except KernelError as err:
        return int(err.errno)
    return 0


def _kstrtoul(text: str) -> int | None:
    """_kstrtoull() with base 0: one optional '+', 0x hex or 0 octal or decimal,
    one trailing newline allowed, nothing else."""
    if text.endswith("\n"):
        text = text[:-1]
    if text.startswith("+"):
        text = text[1:]
    try:
        if text[:2].lower() == "0x":
            return int(text[2:], 16) if text[2:].isalnum() else None
        if not text.isdigit():
            return None
        return int(text, 8) if text[0] == "0" else int(text)
    except ValueError:
        return None


def _subdirs(dev) -> tuple[str, ...]:
    """The directories br_sysfs_addbr() and br_sysfs_addif() add to a device's own."""
    if dev.kind == "bridge":
        return ("bridge", "brif")
    if dev.master is not None and dev.master.kind == "bridge":
        return ("brport",)
    return ()


def _lower_of(netns, dev):
    """The device under `dev` that netdev_upper_dev_link() joined it to."""
    if dev.lower is not None:
        return dev.lower
    link = getattr(dev.vxlan, "link", 0) if dev.vxlan is not None else 0
    return netns.devices.get(link) if link else None


def _adjacent_links(netns, dev) -> list[str]:
    """netdev_adjacent_sysfs_add(): lower_NAME and upper_NAME links between devices of
    one namespace (a bridge and its ports, a vlan/macvlan/vxlan and its lower), and a
    port's `master` link."""
    lowers = list(dev.ports) if dev.kind == "bridge" else []
    lower = _lower_of(netns, dev)
    if lower is not None:
        lowers.append(lower)
    uppers = [d for d in netns.device_list() if d is not dev and _lower_of(netns, d) is dev]
    if dev.master is not None:
        uppers.append(dev.master)
    out = [f"lower_{d.name}" for d in lowers if d.netns is netns]
    out += [f"upper_{d.name}" for d in uppers if d.netns is netns]
    if dev.master is not None:
        out.append("master")
    return out


# what device_create() puts in a macvtap's tapN class device directory
MACVTAP_CDEV_FILES = ("dev", "device", "power", "subsystem", "uevent")


def _kind_entries(dev) -> tuple[str, ...]:
    """What a driver adds: br_sysfs_addbr()'s brforward, tun's owner/group/tun_flags,
    a macvtap's macvtap/ directory and its tapN character device."""
    if dev.kind == "bridge":
        return ("brforward",)
    if dev.tun is not None:
        return ("group", "owner", "tun_flags")
    if dev.kind == "macvtap":
        return ("macvtap", f"tap{dev.ifindex}")
    return ()


def _bridge_files(netns) -> tuple[str, ...]:
    """A bridge's bridge/ attributes on this kernel (br_attrs[] in br_sysfs_br.c)."""
    if netns.kernel.get("bridge_vlan_filtering", True):
        return BRIDGE_FILES
    return tuple(name for name in BRIDGE_FILES if name not in BRIDGE_VLAN_FILES)


def _bridge_attribute(dev, name: str) -> str:
    """br_show_bridge_id(): priority then MAC as 4 and 12 hex digits; with kernel STP
    the root, root port and cost, topology change flags it decided (kernel/br_stp.py)."""
    if name in ("hello_timer", "tcn_timer", "topology_change_timer", "gc_timer"):
        # show_*_timer(): br_timer_value(), clock_t
        from ipemu.kernel.bridge import br_bridge_timers
        return f"{br_bridge_timers(dev, dev.netns.clock.now)[name]}\n"
    stp = dev.br_stp
    if stp is not None and dev.admin_up:
        if name == "root_id":
            return f"{stp.designated_root[:2].hex()}.{stp.designated_root[2:].hex()}\n"
        if name in ("root_port", "root_path_cost", "topology_change",
                    "topology_change_detected"):
            return f"{int(getattr(stp, name))}\n"
        if name == "ageing_time" and stp.topology_change and stp.on():
            # __br_set_topology_change(): twice the forward delay while it lasts
            return f"{round(200 * stp.forward_delay)}\n"
    if name in ("bridge_id", "root_id"):
        mac = dev.address if dev.ports else bytes(6)
        return f"{dev.br_conf.get('priority', 32768):04x}." + mac.hex() + "\n"
    if name == "group_fwd_mask":        # show_group_fwd_mask(): "%#x"
        return f"{dev.br_conf.get(name, 0):#x}\n"
    if name == "group_addr" and "group_address" in dev.br_conf:    # "%pM"
        return dev.br_conf["group_address"].hex(":") + "\n"
    key = BRIDGE_MCAST_FILES.get(name, name)
    if key in dev.br_conf:
        return f"{dev.br_conf[key]}\n"
    return BRIDGE_DEFAULTS[name] + "\n"


def _brif_port(dev, parts: list[str]):
    """brif/PORT of a bridge: the port (br_sysfs_addif()'s link to its brport/)."""
    if len(parts) < 3 or parts[1] != "brif":
        return None
    return next((p for p in dev.ports if p.name == parts[2]), None)


def _brport_attribute(dev, name: str) -> str:
    from ipemu.kernel.bridge import BrPortConf, port_state
    conf = dev.brport or BrPortConf()
    if name == "backup_port":
        # show_backup_port(): the backup's name, nothing without one
        backup = dev.netns.by_index(conf.backup_port) if conf.backup_port else None
        return f"{backup.name}\n" if backup is not None else ""
    if name in ("designated_root", "designated_bridge", "designated_port",
                "designated_cost", "change_ack", "config_pending"):
        # kernel STP's view of the port (br_port_stp_fields()), br_show_bridge_id()'s
        # form for the ids
        from ipemu.kernel.bridge import br_port_stp_fields
        stp = br_port_stp_fields(dev)
        key = {"change_ack": "topology_change_ack"}.get(name, name)
        if key in stp:
            value = stp[key]
            if isinstance(value, bytes):
                return f"{value[:2].hex()}.{value[2:].hex()}\n"
            return f"{value}\n"
    if name in ("designated_root", "designated_bridge"):
        # br_become_designated_port(): the bridge's own ids (kernel STP's root once
        # it runs) in br_show_bridge_id()'s form
        return _bridge_attribute(dev.master, "root_id" if name == "designated_root"
                                 else "bridge_id")
    if name == "designated_port":       # "%d" of the port id it was given
        return f"{int(_brport_attribute(dev, 'port_id'), 16)}\n"
    if name == "group_fwd_mask":
        return f"{conf.group_fwd_mask:#x}\n"
    if name in ("proxyarp", "proxyarp_wifi"):
        return f"{int(getattr(conf, 'proxy_arp' + name[len('proxyarp'):]))}\n"
    if name in ("forward_delay_timer", "hold_timer", "message_age_timer"):
        # show_*_timer(): br_timer_value(), clock_t
        from ipemu.kernel.bridge import br_port_timers
        return f"{br_port_timers(dev, dev.netns.clock.now)[name]}\n"
    if name in ("change_ack", "config_pending", "designated_cost"):
        return "0\n"
    if name in ("port_no", "port_id"):
        # br_sysfs_if.c show_port_no()/show_port_id(): "0x%x"; port_id is
        # br_make_port_id(): the priority above the 10-bit port number
        from ipemu.kernel.bridge import br_port_no
        no = br_port_no(dev) if dev.master is not None else 0
        return f"{no:#x}\n" if name == "port_no" else \
            f"{((conf.priority << 10) | (no & 0x3FF)) & 0xFFFF:#x}\n"
    value = {"hairpin_mode": int(conf.hairpin), "learning": int(conf.learning),
             "path_cost": conf.cost, "priority": conf.priority,
             "state": int(port_state(dev)), "unicast_flood": int(conf.flood),
             # br_sysfs_if.c's BRPORT_ATTR_FLAG()s and multicast_router
             "bpdu_guard": int(conf.guard), "broadcast_flood": int(conf.bcast_flood),
             "isolated": int(conf.isolated), "multicast_fast_leave": int(conf.fastleave),
             "multicast_flood": int(conf.mcast_flood), "multicast_router": conf.mcast_router,
             "multicast_to_unicast": int(conf.mcast_to_unicast),
             "neigh_suppress": int(conf.neigh_suppress),
             "root_block": int(conf.root_block)}[name]
    return f"{value}\n"


def _stat(dev, name: str) -> int:
    stats = dev.stats
    if name in ("rx_compressed", "tx_compressed"):
        return 0
    if name == "rx_dropped":
        return stats.rx_dropped
    return getattr(stats, STAT_FIELDS.get(name, name), 0)


def _attribute(dev, name: str, path: str) -> str:
    """net-sysfs.c's show functions (netdev_show() and friends)."""
    if name == "address":
        return _mac(dev.address) + "\n"
    if name == "broadcast":
        return _mac(dev.broadcast) + "\n"
    if name == "carrier":
        # carrier_show(): only for a running device, else -EINVAL
        if not dev.admin_up:
            raise _error(errno.EINVAL, path)
        return f"{int(bool(dev.carrier))}\n"
    if name in ("dormant", "testing"):
        # dormant_show(), testing_show(): only for a running device, else -EINVAL
        if not dev.admin_up:
            raise _error(errno.EINVAL, path)
        return "0\n"
    if name == "operstate":
        return dev.operstate.lower() + "\n"
    if name in ("speed", "duplex"):
        speed, duplex = _link_ksettings(dev, path)
        return f"{speed if name == 'speed' else duplex}\n"
    if name == "ifalias":
        # ifalias_show(): nothing at all without an alias
        return f"{dev.ifalias}\n" if dev.ifalias else ""
    if name == "flags":
        # dev->flags itself: IFF_PROMISC / IFF_ALLMULTI while their counters are
        # not 0 (__dev_set_promiscuity(), __dev_set_allmulti()), not as asked for
        from ipemu.kernel.macvlan import uc_promisc
        promiscuity = dev.promiscuity + (uc_promisc(dev) if dev.macvlans else 0)
        # dev->flags keeps what was set; RUNNING, LOWER_UP and DORMANT are dev_get_flags()'s
        flags = int.__and__(dev.flags, IFF_NOT_OPER) & ~0x300
        flags |= (0x100 if promiscuity else 0) | (0x200 if dev.allmulti else 0)
        return f"{flags:#x}\n"
    if name == "type":
        return f"{K.hwtype(dev)}\n"
    values = {
        # loopback_setup(): the all-zero address is its own, NET_ADDR_PERM
        "addr_assign_type": 0 if dev.kind == "loopback" else
        3 if dev.addr_set_by_user or dev.addr_assign_set else
        (1 if dev.addr_assign_random else 0),
        "addr_len": len(dev.address), "carrier_changes": dev.carrier_changes,
        # carrier changes alternate, the first counted one a netif_carrier_off()
        # unless the device started without carrier uncounted (carrier_first_up)
        "carrier_down_count": (dev.carrier_changes + (not dev.carrier_first_up)) // 2,
        "carrier_up_count": (dev.carrier_changes + dev.carrier_first_up) // 2,
        "dev_id": "0x0", "dev_port": 0, "ifindex": dev.ifindex,
        "iflink": dev.iflink, "link_mode": 0, "mtu": dev.mtu,
        # loopback_net_init(): NET_NAME_PREDICTABLE; a name the user gave: NET_NAME_USER;
        # dev_change_name() makes it NET_NAME_RENAMED
        "name_assign_type": 4 if dev.renamed else 2 if dev.kind == "loopback" else
        1 if dev.name_enum else 3,
        "netdev_group": dev.group, "proto_down": int(bool(getattr(dev, "proto_down", False))), "tx_queue_len": dev.txqlen,
        # gro_flush_timeout_show(), napi_defer_hard_irqs_show(), threaded_show():
        # nothing set on a virtual device (recorded: 0)
        "gro_flush_timeout": dev.queue_conf.get("gro_flush_timeout", 0),
        "napi_defer_hard_irqs": dev.queue_conf.get("napi_defer_hard_irqs", 0), "threaded": 0,
    }
    return f"{values[name]}\n"


def _link_ksettings(dev, path: str) -> tuple[int, str]:
    """speed_show()/duplex_show(): __ethtool_get_link_ksettings() of a running device,
    else -EINVAL; a bridge's is the fastest running, oper-up port's speed with
    DUPLEX_UNKNOWN (br_get_link_ksettings())."""
    if not dev.admin_up:
        raise _error(errno.EINVAL, path)
    if dev.kind == "bridge":
        speeds = [LINK_KSETTINGS[p.kind][0] for p in dev.ports
                  if p.admin_up and p.operstate == "UP" and p.kind in LINK_KSETTINGS]
        return max(speeds, default=SPEED_UNKNOWN), "unknown"
    if dev.kind not in LINK_KSETTINGS:
        raise _error(errno.EINVAL, path)
    return LINK_KSETTINGS[dev.kind]


def _proc_dev(netns) -> str:
    """dev_seq_show(): the header, then dev_seq_printf_stats() per device."""
    out = ["Inter-|   Receive                                                |  Transmit\n",
           " face |bytes    packets errs drop fifo frame compressed multicast|bytes    "
           "packets errs drop fifo colls carrier compressed\n"]
    for row in K.proc_net_dev(netns):
        s = row.stats
        out.append(
            f"{cpad(row.name, 6, left=False)}:{s.rx_bytes:>8} {s.rx_packets:>7} {s.rx_errors:>4} "
            f"{s.rx_dropped + s.rx_missed:>4} {s.rx_fifo_errors:>4} "
            f"{s.rx_length_errors + s.rx_over_errors + s.rx_crc_errors + s.rx_frame_errors:>5} "
            f"{0:>10} {s.rx_mcast:>9} {s.tx_bytes:>8} {s.tx_packets:>7} {s.tx_errors:>4} "
            f"{s.tx_dropped:>4} {s.tx_fifo_errors:>4} {s.tx_collisions:>5} "
            f"{s.tx_carrier + s.tx_aborted_errors + s.tx_window_errors + s.tx_heartbeat_errors:>7} "
            f"{0:>10}\n")
    return "".join(out)


def _le32(value: int) -> int:
    """An address in network order read as a little-endian u32 (what %08X shows)."""
    return int.from_bytes(value.to_bytes(4, "big"), "little")


def _proc_route(netns) -> str:
    """fib_route_seq_show(): each line padded to 127 columns (seq_pad())."""
    rows = netns.proc_net_route()
    if rows is None:
        return ""
    header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"
    out = [f"{header:<127}\n"]
    for r in rows:
        line = (f"{r.iface}\t{_le32(r.dst):08X}\t{_le32(r.gateway):08X}\t{r.flags:04X}\t"
                f"{r.refcnt}\t{r.use}\t{_s32(r.metric)}\t{_le32(r.mask):08X}\t{r.mtu}\t"
                f"{r.window}\t{r.irtt}")
        out.append(f"{cpad(line, 127)}\n")     # seq_pad(): bytes
    return "".join(out)


def _s32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value & 0x80000000 else value


def _proc_arp(netns) -> str:
    """arp_seq_show(): the header, then arp_format_neigh_entry() per entry."""
    out = ["IP address       HW type     Flags       HW address            Mask     Device\n"]
    for row in K.proc_net_arp(netns):
        out.append(f"{str(row.ip):<16} 0x{row.hwtype:<10x}0x{row.flags:<10x}"
                   f"{_mac(row.hwaddr)}     {row.mask:<8} {row.dev}\n")
    return "".join(out)


def _proc_if_inet6(netns) -> str:
    return "".join(f"{row.address.packed.hex()} {row.ifindex:02x} {row.prefixlen:02x} "
                   f"{row.scope:02x} {row.flags:02x} {cpad(row.dev, 8, left=False)}\n"
                   for row in K.proc_if_inet6(netns))


def _proc_ipv6_route(netns) -> str:
    zero = ipaddress.IPv6Address(0).packed.hex()
    return "".join(f"{r.dst.packed.hex()} {r.dst_len:02x} {zero} 00 {r.gateway.packed.hex()} "
                   f"{r.metric:08x} {r.refcnt:08x} {r.use:08x} {r.flags:08x} "
                   f"{cpad(r.dev, 8, left=False)}\n"
                   for r in proc_ipv6_route(netns))


def _proc_tcp(netns, family: int = 4) -> str:
    """tcp4_seq_show() / tcp6_seq_show(): the header, then a line per socket of the
    family; IPv4 lines are padded to 149 columns (seq_pad())."""
    from ipemu.kernel.tcp import proc_tcp_lines
    if family == 4:
        head = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
                "retrnsmt   uid  timeout inode").ljust(149) + "\n"
        return head + "".join(line.ljust(149) + "\n" for line in proc_tcp_lines(netns, 4))
    head = ("  sl  local_address                         remote_address                "
            "        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n")
    return head + "".join(line + "\n" for line in proc_tcp_lines(netns, 6))


def _proc_dev_mcast(netns) -> str:
    """dev_mc_seq_show(): "%-4d %-15s %-5d %-5d %*phN" per link-layer address."""
    return "".join(f"{e.ifindex:<4} {cpad(e.ifname, 15)} {e.users:<5} {int(e.static):<5} "
                   f"{e.address.hex()}\n"
                   for e in dump_maddr(netns) if e.family == "link")


def _proc_igmp(netns) -> str:
    """igmp_mc_seq_show(): a device line (its group count, the querier version:
    IGMP_V1_SEEN()/IGMP_V2_SEEN(), V3 otherwise) before its groups, each as the raw
    __be32 in hex, its v1/v2 report timer (tm_running:jiffies left, HZ 250) and
    whether its report was the last (reporter)."""
    out = ["Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"]
    by_dev: dict = {}
    for e in dump_maddr(netns):
        if e.family == "inet":
            by_dev.setdefault((e.ifindex, e.ifname), []).append(e)
    now = netns.clock.now
    for (ifindex, name), groups in by_dev.items():
        dev = netns.by_index(ifindex)
        version = f"V{netns._igmp_heard(dev) or 3}" if dev is not None else "V3"
        timers = (dev.mr_timers if dev is not None else None) or {}
        out.append(f"{ifindex}\t{cpad(name, 10)}: {len(groups):5} {version:>7}\n")
        for e in groups:
            timer, _, reporter = timers.get(int(e.address), (None, 0, False))
            running = timer is not None and not timer.cancelled
            left = max(0, round((timer.when - now) * 250)) if running else 0
            out.append(f"\t\t\t\t{_le32(int(e.address)):08X} {e.users:5} "
                       f"{int(running)}:{left:08X}\t\t{int(reporter)}\n")
    return "".join(out)


def _proc_igmp6(netns) -> str:
    """igmp6_mc_seq_show(): mca_flags MAF_NOREPORT (8) for ff02::1 and the node-local groups,
    MAF_LOADED (4) for those of link scope or wider; MLDv2 runs no group timer."""
    out = []
    for e in dump_maddr(netns):
        if e.family != "inet6":
            continue
        # igmp6_group_added() loads groups of link scope or wider while the device
        # is up; ipv6_mc_down() unloads them (igmp6_group_dropped())
        dev = netns.by_index(e.ifindex)
        loaded = dev is not None and dev.mc6_loaded and e.address.packed[1] & 0x0F >= 2
        # mca_alloc(): MAF_NOREPORT for ff02::1 and every group of node-local scope
        # or narrower (ff01::2 of a forwarding device too; recorded,
        # tutorials45e_proc_net_ipv6_files)
        noreport = e.address == LINK_ALL_NODES or e.address.packed[1] & 0x0F < 2
        flags = (8 if noreport else 0) | (4 if loaded else 0)
        out.append(f"{e.ifindex:<4} {cpad(e.ifname, 15)} {e.address.packed.hex()} {e.users:5} "
                   f"{flags:08X} 0\n")
    return "".join(out)


def _proc_anycast6(netns) -> str:
    """ac6_seq_show(): each device's ac_list (newest first), device by device,
    "%-4d %-15s %pi6 %5d"."""
    return "".join(f"{dev.ifindex:<4} {cpad(dev.name, 15)} {addr.packed.hex()} {users:5}\n"
                   for dev in netns.device_list() for addr, users in dev.ac6)


# /proc/net/stat in a namespace other than init_net: the per-CPU tables of
# nf_conntrack (ct_cpu_seq_show()), synproxy (synproxy_cpu_seq_show()) and rt_cache
# (rt_cpu_seq_show()), in readdir order; neigh_table_init() makes arp_cache and
# ndisc_cache in init_net only. The rows are counters ipemu does not keep (no conntrack,
# no synproxy; rt_cache's are the whole machine's): zeros, one row per possible CPU.
PROC_NET_STAT = {
    "rt_cache": ("entries  in_hit   in_slow_tot in_slow_mc in_no_route in_brd   in_martian_dst "
                 "in_martian_src out_hit  out_slow_tot out_slow_mc gc_total gc_ignored "
                 "gc_goal_miss gc_dst_overflow in_hlist_search out_hlist_search", "align"),
    "synproxy": ("entries\t\tsyn_received\tcookie_invalid\tcookie_valid\tcookie_retrans\t"
                 "conn_reopened", "tabs"),
    "nf_conntrack": ("entries  clashres found new invalid ignore delete chainlength insert "
                     "insert_failed drop early_drop icmp_error  expect_new expect_create "
                     "expect_delete search_restart", "gaps"),
}


def _proc_net_stat(host, name: str) -> str:
    """A /proc/net/stat table: its header, then each CPU's values in %08x, placed under
    the header's words as the kernel's format strings place them."""
    header, layout = PROC_NET_STAT[name]
    words = list(re.finditer(r"\S+", header))
    if layout == "tabs":
        row = "\t".join("00000000" for _ in words)
    elif layout == "gaps":
        # the row's format has the header's gaps between its %08x
        gaps = [header[a.end():b.start()] for a, b in zip(words, words[1:])] + [""]
        row = "".join(f"{0:08x}" + gap for gap in gaps)
    else:
        # each value starts where its header word starts (the format's padding)
        starts = [m.start() for m in words]
        row = "".join(f"{0:08x}".ljust(end - start)
                      for start, end in zip(starts, starts[1:])) + f"{0:08x}"
    cpus = int(host.kernel.get("nr_cpus", 1))
    return header + "\n" + (row + "\n") * cpus


def _header(name: str):
    text, width = PROC_NET_HEADERS[name]
    return lambda netns: f"{text:<{width}}\n"


# ptype_seq_show(): the packet handlers with no device (dev_add_pack() at boot), in
# ptype_base's order on the recording kernel ("%04x %-8s %ps")
PTYPE = ("Type Device      Function\n" + "".join(
    f"{kind:04x} {'':<8} {func}\n" for kind, func in
    ((0x0800, "ip_rcv"), (0x0004, "llc_rcv"), (0x0806, "arp_rcv"), (0x86dd, "ipv6_rcv"))))
# sockstat6_seq_show(): the namespace's IPv6 sockets in use (none while `cat` reads)


def _dev_snmp6(netns, name: str):
    """snmp6_register_dev(): /proc/net/dev_snmp6 holds a file for each device that
    has an inet6_dev (none below IPV6_MIN_MTU), named as the device is."""
    dev = netns.by_name(name) if "/" not in name else None
    return dev if dev is not None and has_inet6_dev(dev) else None


def _inet_inuse(netns) -> dict:
    """sock_prot_inuse_get() per protocol of the namespace: its hashed TCP sockets
    (TIME-WAIT ones are timewait socks, counted apart in tcp_death_row), UDP and raw
    sockets, each family apart; and the TIME-WAIT count."""
    from ipemu.kernel.tcp import TcpState
    from ipemu.kernel.vxlan import udp_sockets
    table = netns.stack.__dict__.get("tcp")
    socks = table.socks if table is not None else ()
    count = {"tw": sum(1 for sock in socks if sock.state == TcpState.TIME_WAIT)}
    for family in (4, 6):
        count[f"tcp{family}"] = sum(1 for sock in socks if sock.family == family and
                                    sock.state != TcpState.TIME_WAIT)
        count[f"udp{family}"] = sum(1 for fam, _port in udp_sockets(netns) if fam == family)
        count[f"raw{family}"] = sum(1 for sock in netns.stack.raw_sockets
                                    if sock.family == family)
    return count


def _proc_sockstat(netns) -> str:
    """sockstat_seq_show(): the namespace's sockets in use (`sockets: used` counts
    every socket of it; the netlink sockets tools closed until RCU frees them are
    left out), its inet sockets per protocol, TIME-WAIT ones (tw_refcount - 1), and the
    machine-wide TCP allocation and memory counters, which are the recording host's
    (the profile's)."""
    tcp_alloc, tcp_mem, udp_mem = netns.kernel["sockstat_global"]
    n = _inet_inuse(netns)
    # the UDP sockets ipemu has are vxlan's kernel ones: sk_alloc() counts a socket
    # in sock_inuse only with sk_net_refcnt, which kernel sockets lack
    used = sum(n[f"{proto}{family}"] for proto in ("tcp", "raw") for family in (4, 6))
    return (f"sockets: used {used}\nTCP: inuse {n['tcp4']} orphan 0 tw {n['tw']} "
            f"alloc {tcp_alloc} mem {tcp_mem}\n"
            f"UDP: inuse {n['udp4']} mem {udp_mem}\nUDPLITE: inuse 0\n"
            f"RAW: inuse {n['raw4']}\nFRAG: inuse 0 memory 0\n")


def _proc_sockstat6(netns) -> str:
    """sockstat6_seq_show(): the namespace's IPv6 sockets per protocol."""
    n = _inet_inuse(netns)
    return (f"TCP6: inuse {n['tcp6']}\nUDP6: inuse {n['udp6']}\nUDPLITE6: inuse 0\n"
            f"RAW6: inuse {n['raw6']}\nFRAG6: inuse 0 memory 0\n")


def _proc_fib_triestat(netns) -> str:
    from ipemu.kernel.fib_trie import proc_fib_triestat
    return proc_fib_triestat(netns)


def _proc_fib_trie(netns) -> str:
    from ipemu.kernel.fib_trie import proc_fib_trie     # only when read
    return proc_fib_trie(netns)


PROC_READERS = {"dev": _proc_dev, "route": _proc_route, "arp": _proc_arp,
                "if_inet6": _proc_if_inet6, "ipv6_route": _proc_ipv6_route,
                "dev_mcast": _proc_dev_mcast, "igmp": _proc_igmp, "igmp6": _proc_igmp6,
                # psched_show(): NSEC_PER_USEC, PSCHED_TICKS2NS(1), 1000000, NSEC_PER_SEC
                "psched": lambda netns: "000003e8 00000040 000f4240 3b9aca00\n",
                "anycast6": _proc_anycast6,
                **{name: _header(name) for name in PROC_NET_HEADERS},
                "tcp": _proc_tcp, "tcp6": lambda netns: _proc_tcp(netns, 6),
                "snmp": lambda netns: snmp.proc_snmp(netns),
                "snmp6": lambda netns: snmp.proc_snmp6(netns),
                "netstat": lambda netns: snmp.proc_netstat(netns),
                "fib_trie": _proc_fib_trie, "fib_triestat": _proc_fib_triestat,
                "rt6_stats": lambda netns: proc_rt6_stats(netns),
                "ptype": lambda netns: PTYPE, "sockstat": _proc_sockstat,
                "sockstat6": _proc_sockstat6}


# ---------------------------------------------------------------- listing
def _netns_names(host) -> list[str]:
    return sorted(name for name in host.namespaces if name)


# fs/proc/namespaces.c ns_entries[] as `ls /proc/self/ns` lists them on the recording
# kernel (6.18: cgroup, ipc, mnt, net, pid, pid_for_children, time, time_for_children,
# user, uts; recorded, tutorials45_proc_ns_files)
PROC_PID_NS = ("cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time",
               "time_for_children", "user", "uts")


def listdir(host, netns, path: str, net_keys: list[str] | None = None) -> list[str] | None:
    """A view directory's names; None when `path` is no view directory (OSError
    ENOENT for a device that does not exist, ENOTDIR for a view file). `net_keys`:
    the namespace's sysctls (tools.sysctl.all_keys()), when the caller has them."""
    path = _canonical(path)
    netns = _sysfs_ns(netns, path)
    if path.startswith(SYS_NET + "/") and path.rstrip("/").count("/") > 4:
        path = _through_links(netns, path.rstrip("/") + "/.")[:-2]
    if path == "/run/netns":
        # there from the first `ip netns add` on (netns_add() mkdirs it, nothing
        # removes it); the recording namespaces have it from the start
        return _netns_names(host)
    if path == "/proc/net":
        return list(PROC_NET_LISTING)
    if path in ("/proc/self/ns", "/proc/thread-self/ns"):
        return list(PROC_PID_NS)
    if path == "/proc/net/stat":
        return sorted(PROC_NET_STAT)
    if path == "/proc/net/dev_snmp6":
        return [dev.name for dev in netns.device_list() if has_inet6_dev(dev)]
    if path == "/sys":
        return list(SYSFS_TOP)
    if path == "/sys/class":
        return ["net"]
    if path == "/proc/sys":
        return list(PROC_SYS_LISTING)
    if path == "/proc/sys/kernel/random":
        from ipemu.tools.sysctl import random_names
        return random_names()
    if path == PROC_SYS_NET or path.startswith(PROC_SYS_NET + "/"):
        return _sys_net_listdir(netns, path, net_keys)
    if path == SYS_NET:
        return [dev.name for dev in netns.device_list()]
    if path.startswith(SYS_NET + "/"):
        parts = path[len(SYS_NET) + 1:].split("/")
        dev = netns.by_name(parts[0])
        if dev is None:
            raise _error(errno.ENOENT, path)
        if len(parts) == 1:
            return sorted([*DEVICE_FILES, *LISTED_ONLY, *_subdirs(dev),
                           *_adjacent_links(netns, dev), *_kind_entries(dev)])
        if parts[1:] == ["statistics"]:
            return list(STATISTICS)
        if parts[1:] == ["queues"]:
            return _queue_names(dev)
        if parts[1:] == ["power"]:
            return list(POWER_FILES)
        if len(parts) == 3 and parts[1] == "queues":
            files = _queue_files(dev, parts[2])
            if files is None:
                raise _error(errno.ENOENT, path)
            return list(files)
        if len(parts) == 4 and parts[1] == "queues" and \
                (_queue_files(dev, parts[2]) or {}).get(parts[3]):
            raise _error(errno.ENOTDIR, path)
        if len(parts) == 2 and parts[1] in _subdirs(dev):
            return {"bridge": list(_bridge_files(netns)), "brport": list(BRPORT_LISTING),
                    "brif": [port.name for port in dev.ports]}[parts[1]]
        if len(parts) == 3 and _brif_port(dev, parts) is not None:
            return list(BRPORT_LISTING)
        if dev.kind == "macvtap" and parts[1] == "macvtap" and len(parts) <= 3:
            # tap_create_cdev()/device_create(): the class device tapIFINDEX in the
            # macvtap/ directory, with its dev, device, power, subsystem and uevent
            # (recorded: `ls /sys/class/net/macvtap0/macvtap/tap3`)
            if len(parts) == 2:
                return [f"tap{dev.ifindex}"]
            if parts[2] == f"tap{dev.ifindex}":
                return list(MACVTAP_CDEV_FILES)
            raise _error(errno.ENOENT, path)
        if dev.kind == "macvtap" and parts[1:2] == ["macvtap"] and \
                parts[2:] == [f"tap{dev.ifindex}", "power"]:
            return list(POWER_FILES)        # dpm_sysfs_add() of the class device
        if len(parts) == 2 and parts[1] in DEVICE_FILES or len(parts) == 3:
            raise _error(errno.ENOTDIR, path)
        raise _error(errno.ENOENT, path)
    return None


PROC_SYS_NET = "/proc/sys/net"
# `ls /proc/sys` on the recording host (only net/ is simulated below it)
PROC_SYS_LISTING = ("abi", "debug", "dev", "fs", "kernel", "net", "user", "vm")


def _sys_net_listdir(netns, path: str, keys: list[str] | None = None) -> list[str] | None:
    """A directory of /proc/sys/net: the next component of every key sysctl -a lists
    below it (the conf/neigh directories of all, default and each device included);
    None when no key lies below (a file, or nothing ipemu has). `keys`: all_keys()
    of the namespace, when the caller has them (a walk reads them once)."""
    from ipemu.tools.sysctl import all_keys
    prefix = ".".join(p for p in path[len("/proc/sys/"):].split("/") if p) + "."
    keys = all_keys(netns) if keys is None else keys
    names = {k[len(prefix):].split(".")[0] for k in keys if k.startswith(prefix)}
    parts = prefix.split(".")
    if len(parts) == 5 and parts[2] == "neigh" and names:
        # the deprecated views sysctl -a leaves out (tools/sysctl.py NEIGH_ALIASES)
        from ipemu.tools.sysctl import NEIGH_ALIASES
        names |= {a for a, ms in NEIGH_ALIASES.items() if ms in names}
    return sorted(names) or None


# net-sysfs.c's net_class_attrs that are 0644 (DEVICE_ATTR_RW: their store()), and
# uevent (every kobject's); the others 0444
DEVICE_RW = ("carrier", "flags", "gro_flush_timeout", "ifalias", "mtu",
             "napi_defer_hard_irqs", "netdev_group", "proto_down", "threaded",
             "tx_queue_len", "uevent")
# br_sysfs_br.c's BRIDGE_ATTR_RO files (the rest are RW; flush is BRIDGE_ATTR_WO)
BRIDGE_RO = ("bridge_id", "gc_timer", "hello_timer", "root_id", "root_path_cost",
             "root_port", "tcn_timer", "topology_change", "topology_change_detected",
             "topology_change_timer")
# br_sysfs_if.c's read-only brport attributes (0444); flush is 0200, the rest 0644
BRPORT_RO = ("change_ack", "config_pending", "designated_bridge", "designated_cost",
             "designated_port", "designated_root", "forward_delay_timer", "hold_timer",
             "message_age_timer", "port_id", "port_no", "state")


def sysfs_entry(netns, path: str) -> tuple[str, int, str | None] | None:
    """lstat(2) of a file under a device's sysfs directory as ls -l and stat show it:
    (type letter, permission bits, link target); sysfs directories are 0755, links
    0777, attributes 0644 when they have a store(), 0444 else, 0200 for the write-only
    flush files. None for anything else."""
    given = path
    path = _canonical(path).rstrip("/")
    netns = _sysfs_ns(netns, path)
    if path == SYS_NET:
        return "d", 0o755, None
    if path.startswith(SYS_NET + "/") and path.count("/") == 4:
        # the class links themselves (device_add_class_symlinks(); `stat -c %F
        # /sys/class/net/DEV` says symbolic link, recorded); the device's directory
        # where the path went through the link (DEV/, DEV/., devices/virtual/net/DEV:
        # `ls -la /sys/class/net/eth0/` shows `.` as drwxr-xr-x, recorded)
        target = link_target(netns, path)
        if target is None:
            return None
        if given.endswith("/") or given.rstrip("/") != path:
            return "d", 0o755, None
        return "l", 0o777, target
    if not path.startswith(SYS_NET + "/") or path.count("/") < 5:
        return None
    parent, base = path.rsplit("/", 1)
    parent = _through_links(netns, parent + "/.")[:-2]
    parts = parent[len(SYS_NET) + 1:].split("/")
    dev = netns.by_name(parts[0])
    if dev is None:
        return None
    target = link_target(netns, VIRTUAL_NET + "/" + "/".join([*parts, base]))
    if target is not None:
        return "l", 0o777, target
    if len(parts) == 1 and base in ("power", "queues"):
        return "d", 0o755, None         # listed (their contents are not simulated)
    try:
        if listdir(None, netns, parent + "/" + base) is not None:
            return "d", 0o755, None
    except OSError:
        pass                            # an attribute (or one only listed)
    try:
        names = listdir(None, netns, parent)
    except OSError:
        return None
    if names is None or base not in names:
        return None
    where = parts[1] if len(parts) > 1 else None
    if where == "power" and len(parts) == 2 and base in POWER_FILES:
        return "-", POWER_FILES[base][0], None
    if where == "queues" and len(parts) == 3:
        return "-", (_queue_files(dev, parts[2]) or {}).get(base, 0o444), None
    if base == "flush" and where in ("bridge", "brport") or \
            len(parts) == 3 and parts[1] == "brif" and base == "flush":
        return "-", 0o200, None
    if where is None:
        if dev.tun is not None and base in ("group", "owner", "tun_flags"):
            return "-", 0o444, None
        return "-", 0o644 if base in DEVICE_RW else 0o444, None
    if where == "bridge":
        return "-", 0o444 if base in BRIDGE_RO else 0o644, None
    if where == "macvtap" and base == "uevent":
        return "-", 0o644, None         # a class device's uevent (dev_attr_uevent)
    if where == "brport" or where == "brif":
        return "-", 0o444 if base in BRPORT_RO else 0o644, None
    return "-", 0o444, None


def sysfs_nlink(netns, path: str) -> int:
    """st_nlink of a sysfs directory: kernfs counts `.`, the parent's entry and each
    subdirectory (kernfs_iop_getattr(); a veth's directory is 5 with power, queues and
    statistics, recorded)."""
    try:
        names = listdir(None, netns, path.rstrip("/")) or []
    except OSError:
        return 2
    base = path.rstrip("/")
    return 2 + sum(1 for name in names
                   if (sysfs_entry(netns, f"{base}/{name}") or ("",))[0] == "d")


def link_target(netns, path: str) -> str | None:
    """What readlink(2) gives for a symbolic link of the views (`path` absolute,
    its directories already free of links), None for anything else: Debian's
    /var/run, sysfs's class links (device_add_class_symlinks()), a port's master
    and the adjacency links (netdev_adjacent_sysfs_add()), a bridge's brif/PORT
    (br_sysfs_addif()) and a port's brport/bridge (br_sysfs_addif())."""
    netns = _sysfs_ns(netns, path)
    if path == "/var/run":
        return "/run"
    if path.startswith(SYS_NET + "/"):
        name = path[len(SYS_NET) + 1:]
        if "/" not in name and netns.by_name(name) is not None:
            return f"../../devices/virtual/net/{name}"
        return None
    if not path.startswith(VIRTUAL_NET + "/"):
        return None
    parts = path[len(VIRTUAL_NET) + 1:].split("/")
    dev = netns.by_name(parts[0])
    if dev is None or len(parts) < 2:
        return None
    if len(parts) == 2:
        if parts[1] == "subsystem":
            return "../../../../class/net"
        if parts[1] == "master" and dev.master is not None:
            return f"../{dev.master.name}"
        if parts[1] in _adjacent_links(netns, dev):
            return "../" + parts[1].split("_", 1)[1]
        return None
    if len(parts) == 3 and _brif_port(dev, parts) is not None:
        return f"../../{parts[2]}/brport"
    if dev.kind == "macvtap" and len(parts) == 4 and parts[1:3] == ["macvtap",
                                                                     f"tap{dev.ifindex}"]:
        # the tapN class device's links (device_add_class_symlinks(): its class,
        # and its parent, the macvtap netdev: device_create(class, &dev->dev, ...))
        if parts[3] == "subsystem":
            return "../../../../../../class/macvtap"
        if parts[3] == "device":
            return f"../../../{dev.name}"
    if parts[1:] == ["brport", "bridge"] and "brport" in _subdirs(dev):
        return f"../../{dev.master.name}"
    return None


def is_view_dir(host, netns, path: str) -> bool:
    try:
        return listdir(host, netns, path) is not None
    except OSError:
        return False


# ---------------------------------------------------------------- creating in the views
# `ls /sys` on the recording host: the top of a sysfs mount (only class/net is
# simulated below it; the others count as directories when a file is made in them)
SYSFS_TOP = ("block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel",
             "module", "power")


def _view_kind(host, netns, path: str) -> str | None:
    """'d' for a directory of the views, 'f' for a file (or link) of them, '-' for a
    path through a view file (ENOTDIR), None when the views hold nothing there."""
    if path in ("/sys", "/proc") or path.startswith("/sys/") and \
            path.count("/") == 2 and path[len("/sys/"):] in SYSFS_TOP:
        return "d"
    try:
        if listdir(host, netns, path) is not None:
            return "d"
    except OSError as err:
        if err.errno == errno.ENOTDIR:
            return "f"
    try:
        if read(host, netns, path) is not None:
            return "f"
    except OSError as err:
        if err.errno == errno.EISDIR:
            return "d"
        if err.errno == errno.ENOTDIR:
            return "-"
        if err.errno != errno.ENOENT:
            return "f"                  # a write-only flush file (EACCES to read)
    if sysfs_entry(netns, path) is not None:
        return "f"
    return None


def pseudo_errno(host, netns, path: str, op: str) -> int | None:
    """What creating, making a directory or unlinking `path` (absolute) gives in the
    kernel's pseudo filesystems; None when `path` is not in /sys or /proc (or in
    /proc/sys, the sysctl tools' own), 0 when it is a sysfs attribute open_write()
    lets be written. `op`: "create" (open O_WRONLY|O_CREAT: a redirect, tee, cp),
    "mkdir" (symlink too), "unlink", "rmdir". Recorded: in sysfs a new name is EACCES to open (kernfs
    directories have no create: lookup_open()), EPERM to mkdir (no kernfs
    syscall_ops mkdir) and an attribute EPERM to unlink, a read-only attribute EACCES
    (kernfs_fop_open()); in procfs a new name is ENOENT (proc_lookup() finds none and
    there is no create) and a /proc/net file EACCES to open for writing."""
    path = _canonical(path).rstrip("/") or "/"
    if op == "unlink" and path.startswith("/proc/sys/"):
        # proc_sys_inode_operations have no unlink: may_delete() is refused by
        # proc_sys_permission() (recorded: rm .../ip_forward is Permission denied)
        from ipemu.tools.sysctl import lookup
        key = path[len("/proc/sys/"):].replace("/", ".")
        return errno.EACCES if lookup(netns, key) is not None else errno.ENOENT
    sysfs = path == "/sys" or path.startswith("/sys/")
    if not sysfs and not (path == "/proc" or path.startswith("/proc/")) or \
            path == "/proc/sys" or path.startswith("/proc/sys/"):
        return None
    netns = _sysfs_ns(netns, path)
    kind = _view_kind(host, netns, path)
    parent = _view_kind(host, netns, path.rsplit("/", 1)[0] or "/") if kind is None else "d"
    if kind == "-" or parent in ("f", "-"):
        return errno.ENOTDIR
    if op == "mkdir":
        if kind is not None:
            return errno.EEXIST
        return errno.EPERM if sysfs and parent == "d" else errno.ENOENT
    is_link = sysfs and link_target(netns, _through_links(netns, path)) is not None
    if op == "unlink":
        if is_link or kind == "f":
            return errno.EPERM              # kernfs/procfs have no unlink (recorded)
        if kind == "d":
            return errno.EISDIR
        return errno.ENOENT
    if op == "rmdir":
        if is_link or kind == "f":
            return errno.ENOTDIR            # /sys/class/net/lo is a link (recorded)
        return errno.EPERM if kind == "d" else errno.ENOENT
    if kind == "d":
        return errno.EISDIR
    if kind == "f":
        if sysfs:
            code = open_write(netns, path)
            return errno.EACCES if code is None else code
        return errno.EACCES if path.startswith("/proc/net/") else None
    return errno.EACCES if sysfs and parent == "d" else errno.ENOENT


# ---------------------------------------------------------------- power/ (drivers/base/power)
# the runtime-PM attributes every device's power/ group has (power_attrs and
# runtime_attrs of sysfs.c) for a virtual device that never enabled runtime PM:
# name -> (mode, what a read gives; None: -EIO)
POWER_FILES = {"autosuspend_delay_ms": (0o644, None), "control": (0o644, "auto"),
               "runtime_active_time": (0o444, "0"), "runtime_status": (0o444, "unsupported"),
               "runtime_suspended_time": (0o444, "0")}


# ---------------------------------------------------------------- queues/ (net-sysfs.c)
# rx_queue_default_attrs and netdev_queue_default_attrs of this kernel (no
# byte_queue_limits/: netdev_uses_bql() is false for every simulated kind); the mode
# of each: 0644 with a store(), 0444 without
RX_QUEUE_FILES = {"rps_cpus": 0o644, "rps_flow_cnt": 0o644}
TX_QUEUE_FILES = {"traffic_class": 0o444, "tx_maxrate": 0o644, "tx_timeout": 0o444,
                  "xps_cpus": 0o644, "xps_rxqs": 0o644}


def _queue_names(dev) -> list[str]:
    """register_queue_kobjects(): rx-N for each real receive queue, tx-N for each
    real transmit queue."""
    from ipemu.kernel.sch_api import dev_real_numrxqueues, dev_real_numtxqueues
    return [*(f"rx-{n}" for n in range(dev_real_numrxqueues(dev))),
            *(f"tx-{n}" for n in range(dev_real_numtxqueues(dev)))]


def _queue_files(dev, queue: str) -> dict | None:
    """The attribute files of queues/QUEUE (None: no such queue)."""
    if queue not in _queue_names(dev):
        return None
    return RX_QUEUE_FILES if queue.startswith("rx-") else TX_QUEUE_FILES


def _nr_cpus(netns) -> int:
    return int(getattr(getattr(netns, "host", None), "kernel", {}).get("nr_cpus", 1))


def _bitmap(value: int, bits: int) -> str:
    """bitmap_print_to_pagebuf(false, ...): hex, as many digits as `bits` needs."""
    return f"{value:0{max(1, (bits + 3) // 4)}x}\n"


def _queue_read(netns, dev, queue: str, name: str, path: str) -> str:
    from ipemu.kernel.sch_api import dev_real_numrxqueues
    value = dev.queue_conf.get(f"{queue}/{name}", 0)
    if name in ("rps_cpus", "xps_cpus"):
        return _bitmap(value, _nr_cpus(netns))
    if name == "xps_rxqs":
        return _bitmap(value, dev_real_numrxqueues(dev))
    if name == "traffic_class" and dev.info.numtxqueues < 2:
        # traffic_class_show(): !netif_is_multiqueue(), num_tx_queues (not the real
        # ones: a default veth's tx-0 reads 0)
        raise _error(errno.ENOENT, path)
    return f"{value}\n"


def _bitmap_parse(text: str, bits: int) -> int | str:
    """bitmap_parse(): hex digits in comma-separated 32-bit chunks, one trailing
    newline; EINVAL for anything else, EOVERFLOW for a bit at or beyond `bits`."""
    text = text[:-1] if text.endswith("\n") else text
    value = 0
    for chunk in text.split(",") if text else []:
        if not chunk or len(chunk) > 8 or not re.fullmatch(r"[0-9a-fA-F]+", chunk):
            return "EINVAL"
        value = value << 32 | int(chunk, 16)
    return "EOVERFLOW" if value >> bits else value


def _queue_store(netns, dev, queue: str, name: str, text: str) -> int:
    """store_rps_map(), store_rps_dev_flow_table_cnt(), xps_cpus_store(),
    xps_rxqs_store(), tx_maxrate_store(): 0 or the errno."""
    from ipemu.kernel.sch_api import dev_real_numrxqueues
    if name == "tx_maxrate":
        if _kstrtoul(text) is None or _kstrtoul(text) >= 1 << 32:   # kstrtou32()
            return errno.EINVAL
        return errno.EOPNOTSUPP             # no simulated kind has ndo_set_tx_maxrate
    if name == "rps_flow_cnt":
        count = _kstrtoul(text)
        if count is None or count > 0x7FFFFFFF:
            return errno.EINVAL
        # store_rps_dev_flow_table_cnt(): a table of roundup_pow_of_two(count)
        value = 1 << (count - 1).bit_length() if count else 0
    else:
        bits = dev_real_numrxqueues(dev) if name == "xps_rxqs" else _nr_cpus(netns)
        value = _bitmap_parse(text, bits)
        if isinstance(value, str):
            return getattr(errno, value)
    key = f"{queue}/{name}"
    if value:
        dev.queue_conf[key] = value
    else:
        dev.queue_conf.pop(key, None)
    return 0


# ---------------------------------------------------------------- readdir order
GOLDEN_RATIO_64 = 0x61C8864680B583EB


def kernfs_name_hash(name: str, ns: int = 0) -> int:
    """kernfs_name_hash() (fs/kernfs/dir.c): partial_name_hash() over the bytes from
    init_name_hash(ns), end_name_hash() (hash_long(), 64-bit), 31 bits, 0, 1 and
    INT_MAX kept for the magic entries."""
    value = ns
    for byte in name.encode("utf-8", "surrogateescape"):
        value = (value + (byte << 4) + (byte >> 4)) * 11 & 0xFFFFFFFFFFFFFFFF
    value = (value * GOLDEN_RATIO_64 & 0xFFFFFFFFFFFFFFFF) >> 32 & 0x7FFFFFFF
    if value < 2:
        value += 2
    return min(value, 0x7FFFFFFE)


def readdir_order(path: str, names: list[str]) -> list[str]:
    """The order getdents() gives a directory's names (find, grep -r): inside a
    device's sysfs directory kernfs walks its rbtree, ordered by kernfs_name_hash()
    then name (the entries there carry no namespace tag; recorded: `grep -r .
    .../statistics/` starts tx_errors, rx_length_errors, rx_packets); elsewhere the
    names as listed."""
    path = _canonical(path).rstrip("/")
    if not path.startswith(SYS_NET + "/"):
        return names
    return sorted(names, key=lambda name: (kernfs_name_hash(name), name))
