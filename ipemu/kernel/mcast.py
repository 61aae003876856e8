"""Multicast memberships of a device, as /proc/net/dev_mcast, /proc/net/igmp and
/proc/net/igmp6 show them (`ip maddr`) and ndo_dflt_fdb_dump() lists them
(`bridge fdb show`'s `self permanent` entries).

The groups are the ones the kernel itself joins: ff01::1 and ff02::1 when a device
gets its IPv6 state (ipv6_add_dev()), 224.0.0.1 while it is up (ip_mc_up()), the
solicited-node group of each IPv6 address as it is added (addrconf_dad_begin() joins
even while the device is down: addrconf_join_solict()),
and a bridge's snooper groups 224.0.0.106 and ff02::6a while it is up
(br_multicast_open()). Joining prepends a group to its list; a loaded group adds its
link-layer address to dev->mc (igmp_group_added(), igmp6_group_added(): appended,
counted), which `ip maddr add` also does by hand (dev_mc_add_global(): `static`).

`mc_sync()` brings the lists in line with the device's state; the kernel calls it
where those joins and leaves happen (device registered, opened, closed, IPv6 ready
or down, an IPv6 address added or removed), so that the lists keep the kernel's order.
"""
from __future__ import annotations

import ipaddress

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import own_list
from ipemu.kernel.sysctl import disables_ipv6
from ipemu.plainclass import dataclass

ALL_HOSTS = ipaddress.IPv4Address("224.0.0.1")
ALL_SNOOPERS4 = ipaddress.IPv4Address("224.0.0.106")
NODE_ALL_NODES = ipaddress.IPv6Address("ff01::1")
LINK_ALL_NODES = ipaddress.IPv6Address("ff02::1")
ALL_SNOOPERS6 = ipaddress.IPv6Address("ff02::6a")
_IFF_MULTICAST = 0x1000
# in6addr_linklocal_allrouters, _interfacelocal_, _sitelocal_: dev_forward_change()'s
ALL_ROUTERS6 = (ipaddress.IPv6Address("ff02::2"), ipaddress.IPv6Address("ff01::2"),
                ipaddress.IPv6Address("ff05::2"))


@dataclass
class HwMcAddr:
    """One entry of dev->mc (struct netdev_hw_addr): its users and `static`."""

    addr: bytes
    refcount: int = 0
    global_use: bool = False


@dataclass
class McGroup:
    """One group of in_dev->mc_list or idev->mc_list and how many joined it."""

    group: ipaddress.IPv4Address | ipaddress.IPv6Address
    users: int = 1
    crcount: int = 0            # state-change reports still to send (ip_mc_list.crcount)
    loaded: bool = False        # ip_mc_list.loaded: in dev->mc (IPv4: while up)
    last_reporter: bool = False  # MAF_LAST_REPORTER: an MLDv1 report of ours was last


def _maps(dev) -> bool:
    """arp_mc_map() / ndisc_mc_map(): only Ethernet-like devices have link-layer
    multicast addresses (not lo)."""
    return dev.info.link_type == "ether"


# the mapped addresses by group's int, IPv4's and IPv6's apart: one bytes object each,
# shared by every device in the group (20,000 devices hold 60,000 of them); bounded,
# past the bound an address is made afresh
_HW4: dict[int, bytes] = {}
_HW6: dict[int, bytes] = {}
_HW_MAX = 65536


def _hw4(ip: int) -> bytes:
    """ip_eth_mc_map(): 01:00:5e and the group's low 23 bits."""
    found = _HW4.get(ip)
    if found is None:
        low = ip & 0x7FFFFF
        found = bytes([0x01, 0x00, 0x5E, low >> 16, (low >> 8) & 0xFF, low & 0xFF])
        if len(_HW4) < _HW_MAX:
            _HW4[ip] = found
    return found


def _hw6(ip: int) -> bytes:
    """ipv6_eth_mc_map(): 33:33 and the group's low 32 bits."""
    low = ip & 0xFFFFFFFF
    found = _HW6.get(low)
    if found is None:
        found = b"\x33\x33" + low.to_bytes(4, "big")
        if len(_HW6) < _HW_MAX:
            _HW6[low] = found
    return found


def mc_map(group) -> bytes:
    """ip_eth_mc_map() / ipv6_eth_mc_map()."""
    # the address's int: ipaddress's own slot (int() is a Python call)
    return _hw4(group._ip) if group.version == 4 else _hw6(group._ip)


_new = object.__new__
# addrconf_addr_solict_mult(): ff02::1:ff00:0/104 and the address's low 24 bits
_SOLICITED_BASE = int(ipaddress.IPv6Address("ff02::1:ff00:0"))


def _solicited(addr: ipaddress.IPv6Address) -> ipaddress.IPv6Address:
    # made as IPv6Address(int)'s __init__ makes it, without checking the int again
    group = _new(ipaddress.IPv6Address)
    group._ip = _SOLICITED_BASE | (addr._ip & 0xFFFFFF)
    group._scope_id = None
    return group


def _snooping(dev) -> bool:
    """br_multicast_open(): a bridge joins the snoopers' groups only with multicast
    snooping on (BROPT_MULTICAST_ENABLED, mcast_snooping)."""
    return dev.kind == "bridge" and dev.br_conf.get("mcast_snooping", 1) == 1


def _vxlan_groups(ns, dev, version: int = 4) -> list:
    """vxlan_igmp_join(): an up vxlan device with an IPv4 multicast group and a lower
    device (`group G dev DEV`) has its socket join G on DEV (ip_mc_join_group()),
    until vxlan_stop() leaves it. Devices sharing a socket (vxlan_sock_add() ->
    vxlan_find_sock(): one per port and receive flags) share its membership: a second
    join of the group answers EADDRINUSE, which vxlan_open() ignores, and
    vxlan_group_used() keeps it while one of them is up (recorded: two vxlans with
    group 239.1.1.4 on eth0 make one `inet  239.1.1.4`)."""
    if dev.info.link_type != "ether" or not ns.vxlan_seen:
        return []
    from ipemu.kernel.vxlan import _rcv_flags, socket_devices
    out, seen = [], set()
    for v in socket_devices(ns):        # the socket's namespace: a moved device's too
        conf = v.vxlan
        if v.admin_up and conf.link == dev.ifindex and \
                conf.remote is not None and conf.remote.version == version and \
                conf.remote.is_multicast:
            key = (conf.port, _rcv_flags(conf), conf.remote)
            if key not in seen:
                seen.add(key)
                out.append(conf.remote)
    return out


def _wanted4(ns, dev) -> list:
    """The IPv4 groups the device is in, in the order they are joined; an autojoined
    group stays while the device is down (ip_mc_down() only unloads it), as does a
    socket's membership (a vxlan's group)."""
    joined = [g for g in dev.mc_autojoin if g.version == 4] if dev.mc_autojoin else []
    if ns.vxlan_seen:
        joined += _vxlan_groups(ns, dev)
    if not dev.admin_up:
        return joined
    if dev.info.kind == "bridge" and _snooping(dev):
        return [ALL_SNOOPERS4, ALL_HOSTS, *joined]
    return [ALL_HOSTS, *joined]


def _wanted6(ns, dev) -> list:
    """The IPv6 groups, in join order, a group once per address that joined it; none
    on a device without an inet6_dev (an MTU under IPV6_MIN_MTU: addrconf.
    has_inet6_dev(); its all-nodes groups went with ipv6_mc_destroy_dev(), and a new
    one joins afresh: ipv6_add_dev())."""
    if dev.mtu < 1280 and dev.kind != "loopback":
        dev.mc_routers = None
        return []
    groups = [NODE_ALL_NODES, LINK_ALL_NODES]
    if dev.mc_routers is None:
        # ipv6_add_dev() (the device's first sync): a device made while forwarding
        # (its devconf copied from conf/default) joins the link-local all-routers group
        dev.mc_routers = ALL_ROUTERS6[:1] if ns.conf(6, "default", "forwarding") == "1" \
            and dev.flags & _IFF_MULTICAST else ()
    groups += dev.mc_routers
    kind = dev.info.kind
    if dev.admin_up and kind == "bridge" and _snooping(dev):
        groups.append(ALL_SNOOPERS6)
    noarp = kind == "loopback" or dev.noarp     # IFF_NOARP without building the flags
    if dev.mc_autojoin:
        groups += [g for g in dev.mc_autojoin if g.version == 6]
    # addrconf_dad_begin() joins first thing, also on a device that is down or has no
    # carrier (its DAD then waits for IF_READY): an address joins when it is added
    if dev.ifa6 and not noarp and not disables_ipv6(ns.conf(6, dev, "disable_ipv6")):
        groups += [_solicited(ifa.address) for ifa in reversed(dev.ifa6)]
    if dev.ifa6 and ns.conf(6, dev, "forwarding") == "1":
        # addrconf_join_anycast() -> __ipv6_dev_ac_inc(): a forwarding device's valid
        # addresses join their subnet-router anycast address's solicited-node group,
        # once per anycast address
        seen = set()
        for ifa in reversed(dev.ifa6):
            prefix = None if ifa.tentative or ifa.dadfailed else ns._anycast_prefix(ifa)
            if prefix is not None and prefix not in seen:
                seen.add(prefix)
                groups.append(_solicited(prefix.network_address))
    # vxlan_igmp_join(): an IPv6 group's socket joins it on the lower device
    # (ipv6_sock_mc_join()) when the vxlan comes up: the newest
    if ns.vxlan_seen:
        groups += _vxlan_groups(ns, dev, 6)
    return groups


def mld_v1_mode(ns, dev) -> bool:
    """mld_in_v1_mode() as force_mld_version sets it (all's when not 0, else the
    device's: mld_force_mld_version()): 1 is MLDv1 only. (An MLDv1 querier heard,
    mc_v1_seen, is not modelled: nothing here sends queries.)"""
    forced = ns.conf(6, "all", "force_mld_version")
    if forced in (None, "", "0"):
        forced = ns.conf(6, dev, "force_mld_version")
    return forced == "1"


def _mld1_changes(ns, dev, joined6: set, left6: list) -> None:
    """igmp6_group_dropped() and igmp6_group_added() in MLDv1 mode: a left group this
    host reported last gets a done (igmp6_leave_group()); a joined one a report now
    and again after a random part of the unsolicited report interval
    (igmp6_join_group()); no state-change records."""
    if not dev.admin_up:
        return
    for g in left6:
        if g.last_reporter:
            ns.stack.mld1_send(dev, g.group, False)
    for g in dev.mc6:
        if g.group._ip in joined6 and mld_reported(g.group):
            ns.stack.mld1_send(dev, g.group, True)
            g.last_reporter = True
            ns.mld1_timer(dev, g)


def _mld_changes(ns, dev, joined6: set, left6: list) -> None:
    """The MLD side of the joins and leaves (kernel/addrconf.py): change records for
    the reported groups, left ones kept in the tomb."""
    if mld_v1_mode(ns, dev):
        _mld1_changes(ns, dev, joined6, left6)
        return
    changed = False
    for g in left6:
        ns.mld_group_left(dev, g)
        changed = True
    # igmp6_group_added(): a join is reported on an IFF_UP device, ready or not
    if dev.admin_up:
        for g in dev.mc6:
            if g.group._ip in joined6 and mld_reported(g.group):
                ns.mld_group_joined(dev, g)
                changed = True
    if changed and dev.netns is ns and dev.ifindex in ns.devices:
        ns.mld_groups_changed(dev)


def _merge(current: list[McGroup], wanted: list, left: list) -> list:
    """The list after the joins and leaves that make it `wanted`: a new group goes to
    the front, a group nobody is in any more leaves (appended to `left`, in list
    order); returns the new groups. (Groups are told apart by their ints: a list holds
    one family, ipemu's addresses have no scope id, and an address's own hash and ==
    are Python calls.)"""
    counts: dict[int, int] = {}
    for group in wanted:
        ip = group._ip
        counts[ip] = counts.get(ip, 0) + 1
    if not current:
        have = set()
    else:
        have = {g.group._ip for g in current}
        if not have <= counts.keys():
            kept = []
            for g in current:
                (kept if g.group._ip in counts else left).append(g)
            current[:] = kept
            have &= counts.keys()
        if len(counts) == len(wanted):
            for g in current:
                g.users = 1         # each group wanted once (the usual case)
        else:
            for g in current:
                g.users = counts[g.group._ip]
        if len(have) == len(counts):
            return []               # nothing joined
    joined = []
    for group in wanted:
        ip = group._ip
        if ip not in have:
            current.insert(0, McGroup(group, counts[ip]))
            have.add(ip)
            joined.append(group)
    return joined


def mld_reported(group: ipaddress.IPv6Address) -> bool:
    """The IPv6 groups whose joins and leaves ipemu reports with MLDv2: those without
    MAF_NOREPORT (igmp6_group_added(): all but ff02::1 and node-local scope), the
    solicited-node ones, autojoined ones and a bridge's ff02::6a (its own snooping
    learns that one as a host group: recorded)."""
    ip = group._ip              # ints compare in C (an address's == is Python's)
    return (ip >> 112) & 0x0F >= 2 and ip != _LINK_ALL_NODES


_LINK_ALL_NODES, _SNOOPERS6 = LINK_ALL_NODES._ip, ALL_SNOOPERS6._ip
_SNOOPERS4 = ALL_SNOOPERS4._ip


def mc_sync(ns, dev, opening: bool = False) -> None:
    """Bring the device's group lists and dev->mc in line with its state. (Groups are
    told apart by their ints, as in _merge(), which hands the left ones back.)
    `opening`: the sync of dev_open(), whose IPv6 joins (a bridge's ff02::6a in
    br_multicast_open()) come in ndo_open(), before IFF_UP is set: igmp6_group_added()
    reports none of them (ipv6_mc_up() does, once the link is ready)."""
    up = dev.admin_up
    mc4 = dev.mc4
    mc6 = dev.mc6
    left4: list[McGroup] = []
    joined4 = _merge(mc4, _wanted4(ns, dev), left4)
    snoop6 = _SNOOPERS6
    left6: list[McGroup] = []
    joined6 = _merge(mc6, _wanted6(ns, dev), left6)
    if left6:
        link_all = _LINK_ALL_NODES
        left6 = [g for g in left6 if (ip := g.group._ip) >> 112 & 0x0F >= 2 and
                 ip != link_all]                  # mld_reported()
    reported6 = () if opening else joined6
    if left6 or (reported6 and up):
        # (a join on a down device reports nothing in either MLD mode: _mld_changes())
        _mld_changes(ns, dev, {g._ip for g in reported6}, left6)
    # igmp_group_dropped() of a group left while up (ip_mc_dec_group()); ip_mc_down()'s
    # leave records die with its timer
    if up:
        for g in left4:
            if g.loaded:
                ns.igmp_group_dropped(dev, g)
    # igmp_group_added() of each group loaded now: joined (____ip_mc_inc_group()) or,
    # at an up, already there (ip_mc_up(): the autojoined ones)
    if up:
        loading = [g for g in mc4 if not g.loaded]
        for g in loading:
            g.loaded = True
            ns.igmp_group_added(dev, g)
    else:
        loading = ()
        for g in mc4:
            g.loaded = False
        if dev.mr_ifc_timer is not None:
            ns.igmp_mc_down(dev)
    if dev.info.link_type != "ether":           # _maps()
        return
    # the link-layer users: loaded IPv4 groups (an up device), loaded IPv6 groups of
    # link scope or wider (igmp6_group_added() skips ff01::: scope nibble < 2)
    refs: dict[bytes, int] = {}
    if up:
        for g in mc4:
            ip = g.group._ip
            addr = _HW4.get(ip) or _hw4(ip)
            refs[addr] = refs.get(addr, 0) + 1
    if dev.mc6_loaded:
        for g in mc6:
            ip = g.group._ip
            if ip >> 112 & 0x0F >= 2:
                addr = _HW6.get(ip & 0xFFFFFFFF) or _hw6(ip)
                refs[addr] = refs.get(addr, 0) + 1
    if up and refs and dev.macvlan is not None and dev.lower is not None:
        # the other side of that sync: __hw_addr_sync_one() counts each address an
        # open macvlan synced to its lower as one more user of its own entry
        # (sync_cnt, refcount; fuzz seed 485182: the macvlan's `users 2`)
        for addr in refs:
            refs[addr] += 1
    if dev.macvlans:
        # macvlan_set_mac_lists() -> dev_mc_sync(): each open macvlan's addresses are
        # one more user of the lower's (dev_mc_unsync() at macvlan_stop()); recorded,
        # fuzz42: `ip maddr` of the lower says `users 2`
        for vlan in dev.macvlans:
            if vlan.admin_up and vlan.netns is not None:
                mc_sync(vlan.netns, vlan)
                for entry in vlan.mc:
                    refs[entry.addr] = refs.get(entry.addr, 0) + 1
    if refs == dev.mc_proto:
        return          # the protocols hold what they held: dev->mc is as it was
    # what changed since the last sync is what the protocols dev_mc_add()ed or
    # dev_mc_del()ed: a delete of an address already gone does nothing (ENOENT)
    proto = dev.mc_proto
    gone = {a: n for a, n in proto.items() if refs.get(a, 0) < n} if proto else None
    if gone:
        for entry in list(dev.mc):
            if entry.addr in gone:
                entry.refcount -= gone[entry.addr] - refs.get(entry.addr, 0)
                if entry.refcount <= 0:
                    dev.mc.remove(entry)
    had = proto.get
    added = {a: n - had(a, 0) for a, n in refs.items() if n > had(a, 0)}
    dev.mc_proto = refs
    if not added:
        return
    for entry in dev.mc:
        if entry.addr in added:
            entry.refcount += added.pop(entry.addr)
    # new addresses in the order the kernel adds them: a bridge's snoopers (v4, v6),
    # all-hosts, then IPv6's groups
    # (ip_mc_up() and ipv6_mc_up() load the groups already in their lists in list
    # order, IPv4's after all-hosts; new IPv6 groups come in join order)
    if not added:
        return
    if len(added) == 1:
        # one new address (a sync is mostly one join): no order to work out
        [(addr, count)] = added.items()
        dev.mc.append(HwMcAddr(addr, count))
        return
    # (the groups' ints, each list one family: ip_eth_mc_map()/ipv6_eth_mc_map() by
    # the list it comes from, not the address's Python-level .version)
    snoop4 = _SNOOPERS4
    order4 = [g._ip for g in joined4]
    order = [_hw4(ip) for ip in order4 if ip == snoop4] + \
        [_hw6(g._ip) for g in joined6 if g._ip == snoop6] + \
        [_hw4(ip) for ip in order4 if ip != snoop4]
    if loading:
        ips4 = set(order4)
        order += [_hw4(ip) for g in loading if (ip := g.group._ip) not in ips4]
    ips6 = {g._ip for g in joined6}
    order += [_hw6(ip) for g in mc6 if (ip := g.group._ip) not in ips6 and ip != snoop6]
    order += [_hw6(g._ip) for g in joined6 if g._ip != snoop6]
    for addr in order:
        if addr in added:
            dev.mc.append(HwMcAddr(addr, added.pop(addr)))
    for addr, count in added.items():
        dev.mc.append(HwMcAddr(addr, count))


_LINK_ALL_NODES_HW = b"\x33\x33\x00\x00\x00\x01"     # ipv6_eth_mc_map(ff02::1)


def mc_register(ns, dev) -> None:
    """ipv6_add_dev() of a device just registered, down and with no groups yet: it
    joins ff01::1, then ff02::1 (each to the front of its list), and ff02::1's
    33:33:00:00:00:01 goes into dev->mc (igmp6_group_added(); ff01::1 is node-local:
    no link-layer address). What mc_sync() does for such a device, without working
    out a reconciliation; any other device takes mc_sync()."""
    if dev.mc4 or dev.mc6 or dev.mc or dev.mc_proto or dev.admin_up or dev.mc_autojoin \
            or ns.vxlan_seen or dev.info.link_type != "ether" or dev.mtu < 1280 \
            or dev.ifa6 or not dev.mc6_loaded or dev.info.kind == "bridge" \
            or dev.mc_routers is not None \
            or ns.conf(6, "default", "forwarding") == "1":
        mc_sync(ns, dev)
        return
    dev.mc_routers = ()         # _wanted6(): no all-routers group while not forwarding
    dev.mc6 += (McGroup(LINK_ALL_NODES), McGroup(NODE_ALL_NODES))
    dev.mc_proto = {_LINK_ALL_NODES_HW: 1}
    dev.mc.append(HwMcAddr(_LINK_ALL_NODES_HW, 1))


# igmp_ifc_start_timer(in_dev, 1): get_random_u32_below(1) (0) + 2 jiffies, which fire
# 4 to 8 ms later at HZ 250 (as MLD's first report: addrconf.MLD_DELAY)
IGMP_IFC_DELAY = 0.006
IGMP_TIMER_SLACK = 0.008        # the 2 jiffies igmp_ifc_start_timer() adds to its delay
IGMPV3_ALL_MCR = ipaddress.IPv4Address("224.0.0.22")
IGMP_HOST_MEMBERSHIP_QUERY, IGMP_HOST_MEMBERSHIP_REPORT = 0x11, 0x12
IGMPV2_HOST_MEMBERSHIP_REPORT, IGMP_HOST_LEAVE_MESSAGE = 0x16, 0x17
IGMPV3_MODE_IS_EXCLUDE = 2
IGMP_TIMER_SCALE = 10


class Igmp:
    """IGMPv3 state-change reports (net/ipv4/igmp.c): a part of NetNamespace, its
    state the devices' (mr_ifc_count, mr_ifc_timer) and their groups' (crcount).
    The groups the kernel itself joins and reports are a bridge's snoopers
    (224.0.0.106, br_multicast_open()); all-hosts is never reported."""

    def igmp_group_added(self, dev, group: McGroup) -> None:
        """igmp_group_added(): a joined group of an up device is reported (IGMPv3:
        CHANGE_TO_EXCLUDE, mr_qrv times) unless it is all-hosts, or link-local while
        igmp_link_local_mcast_reports is off."""
        addr = group.group
        if addr == ALL_HOSTS or not dev.admin_up:
            return
        if int(addr) >> 8 == 0xE00000 and \
                self.sysctls.get("net.ipv4.igmp_link_local_mcast_reports", "1") != "1":
            return
        if self._igmp_heard(dev):
            # IGMP_V1_SEEN()/IGMP_V2_SEEN() (forced, or a querier heard):
            # unsolicit_count = igmp_qrv, igmp_start_timer(im,
            # IGMP_INITIAL_REPORT_DELAY): a v1/v2 report 2 jiffies on, again within
            # the unsolicited report interval
            entry = self._igmp_entry(dev, addr)
            entry[1] = self._igmp_qrv()
            self._igmp_start_timer(dev, addr, 0.0)
            return
        # igmpv3_del_delrec(): a group joined again leaves the tomb
        if dev.mr_tomb:
            dev.mr_tomb[:] = [e for e in dev.mr_tomb if e[0] != addr]
        group.crcount = self._igmp_qrv()
        self.igmp_ifc_event(dev)

    def igmp_group_dropped(self, dev, group: McGroup) -> None:
        """igmp_group_dropped() of a group left while up (IGMPv3): igmpv3_add_delrec()
        keeps it in the tomb with mr_qrv CHANGE_TO_INCLUDE records to send, newest
        first, and igmp_ifc_event() sends them."""
        addr = group.group
        if addr == ALL_HOSTS:
            return
        if int(addr) >> 8 == 0xE00000 and \
                self.sysctls.get("net.ipv4.igmp_link_local_mcast_reports", "1") != "1":
            return
        # igmp_stop_timer(): the group's report timer goes, its reporter flag read
        entry = (dev.mr_timers or {}).pop(int(addr), None)
        if entry is not None:
            self.clock.cancel(entry[0])
        heard = self._igmp_heard(dev)
        if heard == 1:
            return
        if heard == 2:
            # IGMPv2: a leave to 224.0.0.2 if our report was the last
            if entry is not None and entry[2]:
                self.stack.igmp_send_report(dev, IGMP_HOST_LEAVE_MESSAGE, addr)
            return
        tomb = own_list(dev, "mr_tomb")
        tomb[:] = [e for e in tomb if e[0] != addr]
        tomb.insert(0, [addr, self._igmp_qrv()])
        self.igmp_ifc_event(dev)

    def _igmp_qrv(self) -> int:
        return int(self.sysctls.get("net.ipv4.igmp_qrv", "2"))

    def igmp_ifc_event(self, dev) -> None:
        """igmp_ifc_event(): mr_ifc_count = mr_qrv, the timer (re)armed 2 jiffies on."""
        dev.mr_ifc_count = self._igmp_qrv()
        self._igmp_ifc_start_timer(dev, IGMP_IFC_DELAY)

    def _igmp_ifc_start_timer(self, dev, delay: float) -> None:
        # mod_timer(): a pending expiry moves to the new one
        self.clock.cancel(dev.mr_ifc_timer)
        dev.mr_ifc_timer = self.clock.call_later(delay, self, "_igmp_ifc_timer_expire", dev)

    def _igmp_ifc_timer_expire(self, dev) -> None:
        """igmp_ifc_timer_expire(): send the change records still due
        (igmpv3_send_cr()), then again after a random part of
        igmpv3_unsolicited_report_interval while mr_ifc_count lasts."""
        dev.mr_ifc_timer = None
        if dev.netns is not self or dev.ifindex not in self.devices or not dev.admin_up:
            return
        # igmpv3_send_cr(): the tomb's records (CHANGE_TO_INCLUDE), then the groups'
        # (CHANGE_TO_EXCLUDE, mc_list order)
        records = []
        for entry in list(dev.mr_tomb):
            records.append((3, entry[0]))
            entry[1] -= 1
            if entry[1] <= 0:
                dev.mr_tomb.remove(entry)
        for g in dev.mc4:
            if g.crcount > 0:
                records.append((4, g.group))
                g.crcount -= 1
        if records:
            self.stack.igmpv3_report_records(dev, records)
        if dev.mr_ifc_count:
            dev.mr_ifc_count -= 1
            interval = int(self.conf(4, dev, "igmpv3_unsolicited_report_interval") or 1000)
            self._igmp_ifc_start_timer(dev, self.rng.random() * interval / 1000 +
                                       IGMP_TIMER_SLACK)

    # ----------------------------------------------- queries heard (igmp_heard_query)
    def _igmp_heard(self, dev) -> int:
        """IGMP_V1_SEEN() (1) / IGMP_V2_SEEN() (2): force_igmp_version of all or of
        the device, or a querier of that version heard (in_dev->mr_v1_seen/
        mr_v2_seen still ahead); 0 for IGMPv3."""
        now = self.clock.now
        forced = (self.conf(4, "all", "force_igmp_version"),
                  self.conf(4, dev, "force_igmp_version"))
        if "1" in forced or dev.mr_v1_seen > now:
            return 1
        return 2 if "2" in forced or dev.mr_v2_seen > now else 0

    def _igmp_entry(self, dev, addr) -> list:
        if dev.mr_timers is None:
            dev.mr_timers = {}
        return dev.mr_timers.setdefault(int(addr), [None, 0, False])

    def _igmp_start_timer(self, dev, addr, max_delay: float) -> None:
        """igmp_start_timer(): get_random_u32_below(max_delay) + 2 jiffies on."""
        entry = self._igmp_entry(dev, addr)
        self.clock.cancel(entry[0])
        entry[0] = self.clock.call_later(self.rng.random() * max_delay + IGMP_TIMER_SLACK,
                                         self, "_igmp_timer_expire", dev, addr)

    def _igmp_mod_timer(self, dev, addr, max_delay: float) -> None:
        """igmp_mod_timer(): a report already due sooner stays, else a new random
        delay below max_delay."""
        entry = self._igmp_entry(dev, addr)
        timer = entry[0]
        if timer is not None and not timer.cancelled and \
                timer.when - self.clock.now < max_delay:
            return
        self._igmp_start_timer(dev, addr, max_delay)

    def _igmp_timer_expire(self, dev, addr) -> None:
        """igmp_timer_expire(): re-armed within the unsolicited report interval while
        unsolicit_count lasts, the reporter flag set, a v1, v2 or (one record,
        MODE_IS_EXCLUDE) v3 report of the group sent."""
        entry = (dev.mr_timers or {}).get(int(addr))
        if entry is None:
            return
        entry[0] = None
        if dev.netns is not self or dev.ifindex not in self.devices or not dev.admin_up \
                or not any(g.group == addr for g in dev.mc4):
            return
        heard = self._igmp_heard(dev)
        if entry[1]:
            entry[1] -= 1
            if entry[1]:
                name = "igmpv2_unsolicited_report_interval" if heard else \
                    "igmpv3_unsolicited_report_interval"
                default = "10000" if heard else "1000"
                self._igmp_start_timer(dev, addr,
                                       int(self.conf(4, dev, name) or default) / 1000)
        entry[2] = True
        if heard:
            self.stack.igmp_send_report(dev, IGMP_HOST_MEMBERSHIP_REPORT if heard == 1
                                        else IGMPV2_HOST_MEMBERSHIP_REPORT, addr)
        else:
            self.stack.igmpv3_report_records(dev, [(IGMPV3_MODE_IS_EXCLUDE, addr)])

    def _igmp_reported(self, group) -> bool:
        """What a report of all groups leaves out: all-hosts, and link-local groups
        while igmp_llm_reports is off."""
        if group == ALL_HOSTS:
            return False
        return int(group) >> 8 != 0xE00000 or \
            self.sysctls.get("net.ipv4.igmp_llm_reports", "1") == "1"

    def igmp_rcv(self, dev, body: bytes) -> None:
        """igmp_rcv() -> igmp_heard_query() of a query from the link (a v1/v2 one
        marks the querier heard for mr_qrv * query interval + response interval, stops
        the state-change reports and schedules a report of each group within the
        maximum response time; a v3 general query one report of all groups
        (igmp_gq_start_timer())). Other hosts' reports (report suppression) are not
        modelled."""
        if len(body) < 8 or body[0] != IGMP_HOST_MEMBERSHIP_QUERY:
            return
        now = self.clock.now
        code, group = body[1], ipaddress.IPv4Address(body[4:8])
        seen = self._igmp_qrv() * 125 + 10     # mr_qrv * mr_qi + mr_qri (s)
        if len(body) == 8:
            if code == 0:
                max_delay = 10.0               # IGMP_QUERY_RESPONSE_INTERVAL
                dev.mr_v1_seen = now + seen
                group = ipaddress.IPv4Address(0)
            else:
                max_delay = code / IGMP_TIMER_SCALE
                dev.mr_v2_seen = now + seen
            # the interface change timer cancelled, the deleted records cleared
            dev.mr_ifc_count = 0
            self.clock.cancel(dev.mr_ifc_timer)
            dev.mr_ifc_timer = None
            dev.mr_tomb = ()
        elif len(body) < 12:
            return
        else:
            heard = self._igmp_heard(dev)
            mrc = code if code < 0x80 else ((code & 0x0F) | 0x10) << (((code >> 4) & 7) + 3)
            max_delay = max(mrc / IGMP_TIMER_SCALE, 1 / 250)
            if heard == 1:
                max_delay, group = 10.0, ipaddress.IPv4Address(0)
            elif not heard and not int(group):
                if len(body) >= 12 and int.from_bytes(body[10:12], "big"):
                    return              # a general query with sources is bogus
                self._igmp_gq_start_timer(dev, max_delay)
                return
        for g in list(dev.mc4):
            if int(group) and g.group != group:
                continue
            if not self._igmp_reported(g.group):
                continue
            self._igmp_mod_timer(dev, g.group, max_delay)

    def _igmp_gq_start_timer(self, dev, max_delay: float) -> None:
        """igmp_gq_start_timer(): a random delay below mr_maxdelay, 2 jiffies on,
        unless the general report is already due sooner."""
        when = self.clock.now + self.rng.random() * max_delay + IGMP_TIMER_SLACK
        timer = dev.mr_gq_timer
        if timer is not None and not timer.cancelled and when >= timer.when:
            return
        self.clock.cancel(timer)
        dev.mr_gq_timer = self.clock.call_at(when, self, "_igmp_gq_timer_expire", dev)

    def _igmp_gq_timer_expire(self, dev) -> None:
        """igmp_gq_timer_expire() -> igmpv3_send_report(in_dev, NULL): every group
        as MODE_IS_EXCLUDE in one report."""
        dev.mr_gq_timer = None
        if dev.netns is not self or dev.ifindex not in self.devices or not dev.admin_up:
            return
        records = [(IGMPV3_MODE_IS_EXCLUDE, g.group) for g in dev.mc4
                   if self._igmp_reported(g.group)]
        if records:
            self.stack.igmpv3_report_records(dev, records)

    def br_own_query_expired(self, br, key: int) -> None:
        from ipemu.kernel.br_mdb import br_own_query_expired
        br_own_query_expired(self, br, key)

    def igmp_mc_down(self, dev) -> None:
        """ip_mc_down(): mr_ifc_count = 0 and the timer deleted: nothing more is sent
        (the leave records br_multicast_stop() queues die with it)."""
        dev.mr_ifc_count = 0
        self.clock.cancel(dev.mr_ifc_timer)
        dev.mr_ifc_timer = None


def mc_add_global(ns, dev, addr: bytes) -> None:
    """SIOCADDMULTI -> dev_mc_add_global(): an address added by hand (`static`), once."""
    if dev.kind == "loopback":
        raise KernelError(Errno.EINVAL)     # no ndo_set_rx_mode
    mc_sync(ns, dev)
    for entry in dev.mc:
        if entry.addr == addr:
            if not entry.global_use:
                entry.global_use = True
                entry.refcount += 1
            return
    dev.mc.append(HwMcAddr(addr, 1, True))


def mc_del_global(ns, dev, addr: bytes) -> None:
    """SIOCDELMULTI -> dev_mc_del_global(): only an address added by hand (ENOENT)."""
    if dev.kind == "loopback":
        raise KernelError(Errno.EINVAL)
    mc_sync(ns, dev)
    for entry in dev.mc:
        if entry.addr == addr and entry.global_use:
            entry.global_use = False
            entry.refcount -= 1
            if not entry.refcount:
                dev.mc.remove(entry)
            return
    raise KernelError(Errno.ENOENT)


@dataclass(frozen=True)
class MaddrEntry:
    """One line of /proc/net/dev_mcast, igmp or igmp6 as ipmaddr.c reads it."""

    ifindex: int
    ifname: str
    family: str                 # "link", "inet", "inet6"
    address: object             # bytes for link, else the group
    users: int
    static: bool = False


def dump_maddr(ns) -> list[MaddrEntry]:
    """The three files' entries: dev_mcast, then igmp, then igmp6, each device in
    ifindex order and each list in its own order."""
    devices = ns.device_list()
    for dev in devices:
        mc_sync(ns, dev)
    out = [MaddrEntry(d.ifindex, d.name, "link", e.addr, e.refcount, e.global_use)
           for d in devices for e in d.mc]
    out += [MaddrEntry(d.ifindex, d.name, "inet", g.group, g.users)
            for d in devices for g in d.mc4]
    out += [MaddrEntry(d.ifindex, d.name, "inet6", g.group, g.users)
            for d in devices for g in d.mc6]
    return out
