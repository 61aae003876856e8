"""IPv6 addresses and autoconfiguration (net/ipv6/addrconf.c): link-local addresses
when a link gets carrier, DAD, router solicitations, and the routes addresses bring."""
from __future__ import annotations

import ipaddress
import struct

from ipemu.kernel.addr import (IFAPROT_KERNEL_LL, IFAPROT_KERNEL_LO, INFINITY_LIFE_TIME, Ifa6,
                               eui64_link_local, insert_ifa6, ipv6_scope, set_ifa_lifetime)
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import Proto, RTN, Route, Scope, TABLE_LOCAL, TABLE_MAIN, prefix_key
from ipemu.kernel.mcast import ALL_ROUTERS6, mc_sync, mld_reported, mld_v1_mode
from ipemu.kernel.netdev import IFF, NO_ROUTES, NetDevice, dev_addr_changed, own_list
from ipemu.kernel.records import RTM
from ipemu.kernel.requests import AddrRequest
from ipemu.kernel.sha1 import SHA1_IV, sha1_transform
from ipemu.plainclass import replace

HZ, USER_HZ = 250, 100        # the recording kernel's CONFIG_HZ; clock_t's
# include/linux/jiffies.h: jiffies start 300 s before they wrap a 32-bit word
INITIAL_JIFFIES = (-300 * HZ) & 0xFFFFFFFF


def jiffies_to_uptime(jiffies: int) -> float:
    """The clock's seconds since boot at which `jiffies` (an absolute value) is due."""
    return (jiffies - INITIAL_JIFFIES) / HZ

# DAD: the kernel waits a random 0..1 s (rtr_solicit_delay), then sends dad_transmits
# probes one retrans_time (1 s) apart and one more retrans_time before the address is valid.
DAD_SPREAD = 1.0

# igmp6_group_added() -> mld_ifc_event() -> mld_ifc_start_work(idev, 1): prandom_u32_max(1)
# (0) + 2 jiffies, which fire 4 to 8 ms later at Debian's HZ=250: the middle of that
MLD_DELAY = 0.006
# mcast.c: MLDv2's unsolicited_report_interval (mc_v2_unsolicited_report_interval, 1 s)
# and the 2 jiffies (HZ 250) mld_*_start_work() adds to its random delay
MLD_UNSOLICITED_INTERVAL = 1.0
MLD1_UNSOLICITED_INTERVAL = 10.0    # mldv1_unsolicited_report_interval (10 s)
MLD_QRV = 2             # idev->mc_qrv (sysctl_mld_qrv): each change is reported twice
MLD_WORK_SLACK = 0.008

RS_INTERVAL = 4.0        # rtr_solicit_interval, doubled up to rtr_solicit_max_interval

RS_MAX_INTERVAL = 3600.0


# the prefixes every IPv6 link gets, parsed once (networks are immutable)
MULTICAST_PREFIX = ipaddress.IPv6Network("ff00::/8")
LINK_LOCAL_PREFIX = ipaddress.IPv6Network("fe80::/64")

IPV6_MIN_MTU = 1280      # include/linux/ipv6.h


def has_inet6_dev(dev: NetDevice) -> bool:
    """Whether the device has an inet6_dev: ipv6_add_dev() refuses an MTU under
    IPV6_MIN_MTU, and addrconf_ifdown(dev, unregister) drops it when the MTU goes
    under (lo keeps its own)."""
    return dev.mtu >= IPV6_MIN_MTU or dev.kind == "loopback"


# IN6_ADDR_GEN_MODE_* (<linux/if_link.h>): addr_gen_mode's numbers, ip link's names
ADDR_GEN_MODES = ("eui64", "none", "stable_secret", "random")


def ipv6_reserved_interfaceid(iid: bytes) -> bool:
    """ipv6_reserved_interfaceid(): the all-zero id, the reserved IANA Ethernet block
    (0200:5eff:fe00::/40) and the subnet anycast ids (fdff:ffff:ffff:ff80::/57)."""
    if iid == bytes(8):
        return True
    if iid[:4] == b"\x02\x00\x5e\xff" and iid[4] & 0xFE == 0xFE:
        return True
    return iid[:7] == b"\xfd\xff\xff\xff\xff\xff\xff" and iid[7] & 0x80 == 0x80


def ifa_f_permanent(ifa: Ifa6) -> bool:
    """IFA_F_PERMANENT: a link-local address (addrconf_add_linklocal()), ::1, one added
    or changed to an infinite valid lifetime (inet6_addr_add(), inet6_addr_modify());
    never a temporary one. (Ifa6.permanent says "added by hand" instead: recorded, a
    `valid_lft 100` address goes at a down with keep_addr_on_down, and is deleted
    when its DAD fails.)"""
    return not ifa.temporary and ifa.valid_lft == INFINITY_LIFE_TIME


def stable_secret_text(secret: bytes) -> str:
    """addrconf_sysctl_stable_secret(): the secret read back as %pI6 (eight groups of
    four hex digits)."""
    return ":".join(secret[i:i + 2].hex() for i in range(0, 16, 2))


class Addrconf:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

    def ifa6(self, dev: NetDevice) -> list[Ifa6]:
        return dev.ifa6

    def _new_addr6(self, dev: NetDevice, req: AddrRequest, replace_: bool) -> None:
        if dev.admin_up:
            # inet6_rtm_newaddr() -> ipv6_find_idev(): on an up device ipv6_mc_up()
            # reports every group again, before anything is checked
            self.mld_resend(dev)
        existing = next((i for i in self.ifa6(dev) if i.address == req.local), None)
        optimistic = req.optimistic and self.allow_optimistic_dad(dev)
        if optimistic and req.nodad:
            # inet6_rtm_newaddr(), before inet6_addr_add()
            raise KernelError(Errno.EINVAL,
                              "IFA_F_NODAD and IFA_F_OPTIMISTIC are mutually exclusive")
        if req.mngtmpaddr and existing is None and req.prefixlen != 64:
            # inet6_addr_add(), before the device's checks and ipv6_add_addr()'s
            raise KernelError(Errno.EINVAL, 'ipv6: address with "mngtmpaddr" flag must '
                              'have a prefix length of 64')
        if existing is None and (req.local.is_loopback and dev.kind != "loopback" or
                                 req.local.is_unspecified or
                                 req.local.is_multicast and not req.autojoin):
            # inet6_addr_add() -> addrconf_add_dev() (the device's ff00::/8, recorded:
            # it stays) before ipv6_add_addr() refuses the address
            self._addrconf_add_dev(dev)
        if req.local.is_loopback and dev.kind != "loopback":
            raise KernelError(Errno.EINVAL, "ipv6: Cannot assign loopback address on this device.")
        if req.local.is_unspecified:
            raise KernelError(Errno.EINVAL, "ipv6: Invalid address.")
        if req.local.is_multicast and not req.autojoin:
            # ipv6_add_addr()
            raise KernelError(Errno.EADDRNOTAVAIL, 'ipv6: Cannot assign multicast address '
                              'without "IFA_F_MCAUTOJOIN" flag.')
        for ifa in self.ifa6(dev):
            if replace_ and ifa.address == req.local:
                if req.mngtmpaddr and (ifa.temporary or ifa.prefixlen != 64):
                    raise KernelError(Errno.EINVAL)     # inet6_addr_modify(), no message
                # inet6_addr_modify(): the lifetimes, and the request's NODAD, HOMEADDRESS
                # and MANAGETEMPADDR flags in place of the old ones
                had_prefixroute = ifa.valid_lft == INFINITY_LIFE_TIME and \
                    not ifa.noprefixroute
                was_managetempaddr = ifa.mngtmpaddr
                set_ifa_lifetime(ifa, req.valid_lft, req.preferred_lft, self.clock.now)
                ifa.nodad, ifa.home, ifa.mngtmpaddr = req.nodad, req.home, req.mngtmpaddr
                # (IFA_F_NOPREFIXROUTE is the request's too, and a metric given is kept)
                ifa.noprefixroute = req.noprefixroute
                if req.metric:
                    ifa.metric = req.metric
                self.schedule_lifetime(dev, ifa)
                if not ifa.noprefixroute:
                    self._modify_prefix_route(dev, ifa, had_prefixroute)
                elif had_prefixroute:
                    self._modify_cleanup_prefix_route(dev, ifa)
                self._notify_addr(dev, ifa)
                if was_managetempaddr or ifa.mngtmpaddr:
                    self.manage_tempaddrs(dev, ifa, not was_managetempaddr,
                                          remove=was_managetempaddr and not ifa.mngtmpaddr)
                return
        new = Ifa6(req.local, req.prefixlen, ipv6_scope(req.local), nodad=req.nodad,
                   noprefixroute=req.noprefixroute, home=req.home,
                   mngtmpaddr=req.mngtmpaddr, metric=req.metric, autojoin=req.autojoin,
                   optimistic=optimistic)
        if req.address is not None and req.address != req.local and \
                not req.address.is_unspecified:
            # extract_addr(): an IFA_ADDRESS other than IFA_LOCAL is the peer
            new.peer = req.address
        set_ifa_lifetime(new, req.valid_lft, req.preferred_lft, self.clock.now)
        self.schedule_lifetime(dev, new)
        joined = req.autojoin and not any(i.address == new.address for i in self.ifa6(dev))
        if joined:
            # inet6_addr_add(): ipv6_mc_config() joins before the address is made
            self.mc_autojoin(dev, new.address, True)
        try:
            self.add_ifa6(dev, new)
        except KernelError:
            if joined:
                self.mc_autojoin(dev, new.address, False)   # ... and leaves if it fails
            raise
        if new.mngtmpaddr and int(self.conf(6, dev, "use_tempaddr")) > 0:
            # inet6_addr_add() -> manage_tempaddrs(create): a temporary address too
            self.ipv6_create_tempaddr(dev, new)

    def ipv6_create_tempaddr(self, dev: NetDevice, ifp: Ifa6) -> None:
        """ipv6_create_tempaddr() (RFC 4941): a random interface id in the public
        address's /64 (ipv6_gen_rnd_iid(): not a reserved one), valid for
        temp_valid_lft and preferred for temp_prefered_lft less a random desync_factor
        (both within the public address's), counted from the public address's tstamp;
        a preferred lifetime no longer than regen_advance is clamped to one second
        more (6.9's "clamp preferred_lft to the minimum required": recorded,
        temp_prefered_lft 2 gives `preferred_lft 6sec`), unless that passes the valid
        or the public preferred one (a kernel without regen_min_advance makes none
        then); no prefix route of its own, DAD as usual."""
        while True:
            iid = bytes(self.rng.randrange(256) for _ in range(8))
            if not ipv6_reserved_interfaceid(iid):
                break
        address = ipaddress.IPv6Address(ifp.address.packed[:8] + iid)
        age = int(self.clock.now - ifp.tstamp)
        temp_preferred = int(self.conf(6, dev, "temp_prefered_lft"))
        regen_advance = self._regen_advance(dev)
        max_desync = min(int(self.conf(6, dev, "max_desync_factor")),
                         temp_preferred - regen_advance)
        desync = self.rng.randrange(max_desync) if max_desync > 0 else 0
        valid = min(ifp.valid_lft, int(self.conf(6, dev, "temp_valid_lft")) + age)
        preferred = min(ifp.preferred_lft, temp_preferred + age - desync, valid)
        # "use age calculation as in addrconf_verify": ADDRCONF_TIMER_FUZZ_MINUS more
        age = int(self.clock.now - ifp.tstamp + 0.02)
        if preferred <= regen_advance + age:
            if not self._conf_has(dev, "regen_min_advance"):
                return
            preferred = regen_advance + age + 1
            if preferred > valid or preferred > ifp.preferred_lft:
                return
        temp = Ifa6(address, ifp.prefixlen, ipv6_scope(address), permanent=False,
                    temporary=True, ifpub=ifp.address, optimistic=ifp.optimistic)
        set_ifa_lifetime(temp, valid, preferred, ifp.tstamp)
        temp.cstamp, temp.desync = self.clock.now, desync
        self.schedule_lifetime(dev, temp)
        try:
            self.add_ifa6(dev, temp)
        except KernelError:
            return
        self._schedule_regen(dev, temp)

    def _schedule_regen(self, dev: NetDevice, temp: Ifa6) -> None:
        """addrconf_verify_rtnl()'s `next` for a temporary address: regen_advance
        before its preferred lifetime ends."""
        if temp.preferred_lft != INFINITY_LIFE_TIME:
            self.clock.call_at(temp.tstamp + max(temp.preferred_lft -
                                                 self._regen_advance(dev), 0),
                               self, "_tempaddr_regen", dev, temp, temp.tstamp)

    def _conf_has(self, dev: NetDevice, key: str) -> bool:
        """Whether this kernel has the IPv6 conf key (the profile's sysctl table)."""
        try:
            return self.conf(6, dev, key) not in (None, "")
        except (KeyError, ValueError):
            return False

    def _regen_advance(self, dev: NetDevice) -> int:
        """ipv6_get_regen_advance(): regen_min_advance + regen_max_retry *
        dad_transmits * max(retrans_time, HZ/100) / HZ, in whole seconds (recorded:
        2 + 3 * 1 * 1 = 5 on the recording kernel)."""
        retrans = max(self.stack.nd.parms(dev.ifindex).retrans_time, 0.01)
        least = int(self.conf(6, dev, "regen_min_advance")) \
            if self._conf_has(dev, "regen_min_advance") else 0
        return least + int(int(self.conf(6, dev, "regen_max_retry")) *
                           int(self.conf(6, dev, "dad_transmits")) * retrans)

    def _tempaddr_regen(self, dev: NetDevice, temp: Ifa6, tstamp: float) -> None:
        """addrconf_verify_rtnl(): a temporary address that finished DAD, not yet
        regenerated, whose age plus regen_advance reached its preferred lifetime
        gets a successor from its public address (regen_count 1); one still
        tentative then is looked at again when its DAD completes (recorded: with
        temp_prefered_lft 6 and regen_advance 5, a new temporary address about every
        second, each made once the one before is no longer tentative)."""
        if dev.netns is not self or temp.tstamp != tstamp or \
                not any(i is temp for i in self.ifa6(dev)):
            return
        if not temp.temporary or temp.tentative or temp.regen_count or \
                temp.ifpub is None or temp.preferred_lft == INFINITY_LIFE_TIME:
            return
        age = int(self.clock.now - temp.tstamp + 0.02)
        if age + self._regen_advance(dev) < temp.preferred_lft:
            return
        pub = next((i for i in self.ifa6(dev) if i.address == temp.ifpub and
                    not i.temporary), None)
        if pub is None or int(self.conf(6, dev, "use_tempaddr")) <= 0:
            return
        temp.regen_count = 1
        self.ipv6_create_tempaddr(dev, pub)

    def manage_tempaddrs(self, dev: NetDevice, ifp: Ifa6, create: bool, *,
                         remove: bool = False) -> None:
        """inet6_addr_modify() -> manage_tempaddrs(): each temporary address of the
        public one takes its new lifetimes, cut to what temp_valid_lft and
        temp_prefered_lft (less the desync) leave since the temporary one was made
        (the cut carries on to the next one, as the kernel's variables do), counted
        from now; a public address losing mngtmpaddr passes on 0 and 0, and
        addrconf_verify_rtnl() then deletes them. With no temporary address on the
        device and a lifetime left, or when mngtmpaddr is new, one is made (if
        use_tempaddr). Recorded: tutorials43_oneuptime_temporary_manage."""
        now = self.clock.now
        valid, preferred = (0, 0) if remove else (ifp.valid_lft, ifp.preferred_lft)
        temps = [i for i in self.ifa6(dev) if i.temporary]
        for temp in [t for t in temps if t.ifpub == ifp.address]:
            age = int(now - temp.cstamp)
            max_valid = max(int(self.conf(6, dev, "temp_valid_lft")) - age, 0)
            max_preferred = max(int(self.conf(6, dev, "temp_prefered_lft")) - temp.desync
                                - age, 0)
            valid, preferred = min(valid, max_valid), min(preferred, max_preferred)
            set_ifa_lifetime(temp, valid, preferred, now)
            self.schedule_lifetime(dev, temp)
            self._schedule_regen(dev, temp)
            if not temp.tentative:
                self._notify_addr(dev, temp)
        if not temps and (valid or preferred):
            create = True
        if create and int(self.conf(6, dev, "use_tempaddr")) > 0:
            self.ipv6_create_tempaddr(dev, ifp)
        # addrconf_verify_rtnl(): a temporary address left with no valid lifetime goes
        for temp in [t for t in self.ifa6(dev) if t.temporary and t.ifpub == ifp.address
                     and t.valid_lft == 0]:
            self.del_ifa6(dev, temp, expired=True)

    def manage_tempaddrs_gone(self, dev: NetDevice, ifp: Ifa6) -> None:
        """inet6_addr_del() -> manage_tempaddrs(valid 0): the temporary addresses of a
        deleted public one expire at once (addrconf_verify_rtnl())."""
        for temp in [i for i in self.ifa6(dev) if i.temporary and i.ifpub == ifp.address]:
            self.del_ifa6(dev, temp, expired=True)

    def _addrconf_add_dev(self, dev: NetDevice) -> None:
        """inet6_addr_add() -> addrconf_add_dev(): the inet6_dev, IPv6 not disabled,
        and ff00::/8 (addrconf_add_mroute())."""
        if not has_inet6_dev(dev):
            raise KernelError(Errno.EINVAL)     # ipv6_find_idev(): ipv6_add_dev()'s -EINVAL
        if self.ipv6_disabled(dev):
            raise KernelError(Errno.EACCES, "ipv6: IPv6 is disabled on this device")
        if dev.admin_up and dev.kind != "loopback" and dev.vrf_table is None:
            # whether or not the link is ready (ip6_route_add() refuses a down device)
            self._add_route6(Route(MULTICAST_PREFIX, TABLE_LOCAL, RTN.MULTICAST,
                                   Proto.KERNEL, oif=dev.ifindex, priority=256))

    def add_ifa6(self, dev: NetDevice, new: Ifa6) -> None:
        self._addrconf_add_dev(dev)
        for ifa in self.ifa6(dev):
            if ifa.address == new.address:
                raise KernelError(Errno.EEXIST, "ipv6: address already assigned.")
        # ipv6_add_addr() makes every address without IFA_F_NODAD tentative;
        # addrconf_dad_begin() completes it at once when all.accept_dad and the
        # device's are both below 1 (the max of the two rules: all=1 with the device's
        # 0 still runs DAD, recorded), before it looks whether the link is ready
        # (so does IFF_NOARP: recorded, an address added to a down `arp off` veth is
        # not tentative). On a ready link it is announced tentative first and
        # completes in the dad work (recorded: lead43_nodad_monitor_order)
        needs_dad = not new.nodad and dev.kind != "loopback" and (
            dev.inet6_ready or (not dev.noarp and not self._dad_off(dev)))
        new.tentative = needs_dad
        insert_ifa6(self.ifa6(dev), new)
        # inet6_addr_add(): the prefix route first, then the address is announced
        # (recorded: `2001:db8::/64 ...` before `inet6 2001:db8::1/64 ... tentative`)
        if dev.admin_up:
            self._ifa6_prefix_route(dev, new)
        self._notify_addr(dev, new)
        if dev.inet6_ready:
            self._ifa6_configure(dev, new)
            mc_sync(self, dev)      # addrconf_dad_begin() joins its solicited-node group
        elif not new.tentative:
            # addrconf_dad_start() -> addrconf_dad_begin(): with nothing to probe (nodad,
            # accept_dad 0) the address completes at once, the link ready or not, and
            # __ipv6_ifa_notify() inserts its local route (recorded: on a down veth and
            # on one up without carrier); the peer's /128 needs the device up
            self._ifa6_local_route(dev, new, peer=dev.admin_up)
        if not dev.inet6_ready:
            # addrconf_dad_begin() joins the solicited-node group first thing, on a
            # device down or without carrier too: its link-layer address goes into
            # dev->mc now, before an up's all-hosts (recorded: case
            # tutorials37b_linuxreviews_ip8_color, `ip maddr` after an IPv6 address added
            # to a down veth, then up)
            mc_sync(self, dev)

    def del_ifa6(self, dev: NetDevice, ifa: Ifa6, *, expired: bool = False) -> None:
        """ipv6_del_addr(); an address with a finite valid lifetime (one that ran out:
        `expired`, or deleted) leaves its prefix route to expire by itself."""
        if self.conf(6, dev, "forwarding") == "1" and not ifa.tentative:
            self._leave_anycast(dev, ifa)     # __ipv6_ifa_notify(RTM_DELADDR)
        self.ifa6(dev).remove(ifa)
        self._notify_addr(dev, ifa, RTM.DELADDR)
        mc_sync(self, dev)          # addrconf_leave_solict()
        action, expires = self._check_cleanup_prefix_route(dev, ifa)
        # each deleted as ip6_del_rt() does, with its RTM_DELROUTE: in
        # __ipv6_ifa_notify(RTM_DELADDR) the peer's /128 route, then the address's
        # local route (ifp->rt); then, back in ipv6_del_addr(), cleanup_prefix_route()'s
        # prefix route (recorded: case lead42_monitor_addr6_del)
        if ifa.peer is not None:
            peer = ipaddress.IPv6Network(ifa.peer)
            self._delete_routes6(lambda r: r.oif == dev.ifindex and r.table == TABLE_MAIN
                                 and r.dst == peer and r.protocol == Proto.KERNEL)
        self._delete_routes6(lambda r: r.oif == dev.ifindex and r.type == RTN.LOCAL
                             and r.dst.network_address == ifa.address)
        if action == "del":
            self._delete_routes6(lambda r: r.oif == dev.ifindex and
                                 self._is_prefix_route(r, ifa))
        self._remove_prefsrc6(ifa.address)
        if action == "expire":
            # cleanup_prefix_route(): a prefix route without RTF_EXPIRES takes the
            # longest valid lifetime of the addresses left
            for table in [t for (family, _), t in self.tables.items() if family == 6]:
                for r in table.sorted_routes():
                    if r.oif == dev.ifindex and self._is_prefix_route(r, ifa) and \
                            r.expires is None:
                        r.expires = expires

    def _delete_routes6(self, predicate) -> None:
        """ip6_del_rt() of each IPv6 route `predicate` is true of, each notified
        (fib6_del_route(): RTM_DELROUTE)."""
        for (family, _), table in list(self.tables.items()):
            if family == 6:
                for route in table.remove_where(predicate):
                    self._notify_route(route, RTM.DELROUTE)

    def _remove_prefsrc6(self, address) -> None:
        """__ipv6_ifa_notify(RTM_DELADDR) -> rt6_remove_prefsrc(): a route (no
        nexthop object) whose preferred source was the address loses it, unless the
        address is still the host's (ipv6_chk_addr()): the route stays, without `src`
        (recorded: `ip -6 route show` after `ip -6 addr del` or `flush` of a route's
        src, on the recording kernel whatever the route's device -- a `dev lo` route
        too; IPv4 deletes such a route instead)."""
        if any(i.address == address and (not i.tentative or i.optimistic)
               for d in self.device_list() for i in self.ifa6(d)):
            return
        for (family, _), table in self.tables.items():
            if family != 6:
                continue
            hits = [r for r in table.sorted_routes()
                    if r.prefsrc == address and r.nhid is None]
            for r in hits:
                table._unindex(r)
                r.prefsrc = None
                table._index(r)

    def _modify_prefix_route(self, dev: NetDevice, ifa: Ifa6,
                             had_prefixroute: bool = True) -> None:
        """inet6_addr_modify() -> modify_prefix_route(): the prefix route of the same
        metric takes the new valid lifetime as its expiry, or loses it for an infinite
        one; one of another metric is made again with the address's; none (or none
        looked for: the address had IFA_F_NOPREFIXROUTE) is made (on an up device:
        addrconf_prefix_route())."""
        expires = None if ifa.valid_lft == INFINITY_LIFE_TIME else ifa.tstamp + ifa.valid_lft
        metric = ifa.metric or 256
        found = [r for table in [t for (family, _), t in self.tables.items() if family == 6]
                 for r in table.sorted_routes()
                 if r.oif == dev.ifindex and self._is_prefix_route(r, ifa)] \
            if had_prefixroute else []
        for r in found[:1]:
            if r.priority == metric:
                # fib6_set_expires(f6i, expires) of the route found: `expires` is
                # jiffies_to_clock_t(timeout * HZ), the relative value meant for
                # ip6_route_add()'s fc_expires, taken as an absolute jiffies value, so a
                # finite lifetime sets an expiry long past (recorded: `expires
                # -17184734sec`, and `ip -6 route get` into the prefix answers Network is
                # unreachable); no gc is started for it (fib6_add_gc_list() only)
                r.expires = None if expires is None else \
                    jiffies_to_uptime(ifa.valid_lft * USER_HZ)
                return
            self._remove_routes(lambda x, r=r: x is r)
            break
        if dev.admin_up:
            self._add_route6(Route(ifa.network, TABLE_MAIN, RTN.UNICAST, Proto.KERNEL,
                                   oif=dev.ifindex, priority=metric, expires=expires))

    def _modify_cleanup_prefix_route(self, dev: NetDevice, ifa: Ifa6) -> None:
        """inet6_addr_modify() of an address that had a prefix route and now has
        IFA_F_NOPREFIXROUTE: check_cleanup_prefix_route() as for a delete, the other
        addresses of the prefix deciding (recorded: the route goes)."""
        addrs = self.ifa6(dev)
        at = addrs.index(ifa)
        addrs.remove(ifa)
        ifa.noprefixroute = False
        try:
            action, expires = self._check_cleanup_prefix_route(dev, ifa)
        finally:
            ifa.noprefixroute = True
            addrs.insert(at, ifa)
        if action == "del":
            self._remove_routes(lambda r: r.family == 6 and r.oif == dev.ifindex and
                                self._is_prefix_route(r, ifa))
        elif action == "expire":
            for table in [t for (family, _), t in self.tables.items() if family == 6]:
                for r in table.sorted_routes():
                    if r.oif == dev.ifindex and self._is_prefix_route(r, ifa) and \
                            r.expires is None:
                        r.expires = expires

    @staticmethod
    def _is_prefix_route(r: Route, ifa: Ifa6) -> bool:
        return r.protocol == Proto.KERNEL and r.type == RTN.UNICAST and r.dst == ifa.network

    def _check_cleanup_prefix_route(self, dev: NetDevice, ifa: Ifa6) -> tuple:
        """ipv6_del_addr(): only an IFA_F_PERMANENT address (an infinite valid lifetime)
        with a prefix route cleans it up (check_cleanup_prefix_route()): deleted when no
        address of the prefix is left, kept when a permanent one is, else set to expire
        with the others; an address with a finite lifetime leaves it to expire."""
        if ifa.valid_lft != INFINITY_LIFE_TIME or ifa.noprefixroute:
            return None, None
        expires = self.clock.now
        action = "del"
        for o in self.ifa6(dev):
            if o.prefixlen != ifa.prefixlen or o.network != ifa.network:
                continue
            if o.valid_lft == INFINITY_LIFE_TIME or o.noprefixroute:
                return None, None
            action = "expire"
            expires = max(expires, o.tstamp + o.valid_lft)
        return action, expires

    def addrconf_ifdown(self, dev: NetDevice, unregister: bool = False) -> None:
        """addrconf_ifdown() on NETDEV_DOWN: rt6_disable_ip() deletes every IPv6 route
        through the device (announced, table by table in tree order), then the
        addresses go (announced in list order) unless keep_addr_on_down (never kept
        when the inet6_dev itself goes: unregister)."""
        if unregister:
            # the inet6_dev is freed with its token: ipv6_add_dev() makes the next one
            # with none (recorded: `ip token` shows :: after `mtu 1000`, `mtu 1280`)
            dev.ipv6_token = 0
        gone = []
        for (family, _), table in sorted(self.tables.items(), key=lambda kv: kv[0][1] & 0xFF):
            if family == 6:
                gone += [r for r in table.sorted_routes() if self._ifdown_gone(r, dev, unregister)]
        for route in gone:
            self.table(6, route.table).remove(route)
            self._notify_route(route, RTM.DELROUTE)
        if self._stack is not None and (unregister or dev.kind != "loopback"):
            # rt6_disable_ip(): neigh_ifdown(&nd_tbl) after the routes, before the
            # addresses (recorded under ip monitor, fuzz38_monitor_link_down_neigh)
            self.stack.nd.flush_dev(dev.ifindex)
            self.pneigh_ifdown(6, dev.ifindex)
        # addrconf_ifdown(): conf/all's value aggregated with the device's (all first;
        # when it is 0, the device's), kept when positive
        keep = self.conf(6, "all", "keep_addr_on_down")
        if keep in (None, "0"):
            keep = self.conf(6, dev, "keep_addr_on_down")
        keep_addr = not unregister and keep not in (None, "") and keep.strip().lstrip("-") \
            .isdigit() and int(keep) > 0 and not self.ipv6_disabled(dev)
        # addrconf_ifdown(): keep_addr_on_down keeps only IFA_F_PERMANENT addresses
        # that are not link-local or loopback (addr_is_local()), set tentative again
        # unless nodad; every other address not yet DEAD is announced and goes, a
        # tentative link-local in DAD too (state != INET6_IFADDR_STATE_DEAD)
        going = [ifa for ifa in self.ifa6(dev) if not keep_addr or not ifa_f_permanent(ifa)
                 or ifa.address.is_link_local or ifa.address.is_loopback]
        if going:
            dev_addr_changed()
        for ifa in self.ifa6(dev):
            if ifa not in going and not ifa.nodad:
                ifa.tentative = True
        for ifa in going:
            self.ifa6(dev).remove(ifa)
            self._notify_addr(dev, ifa, RTM.DELADDR)
        was_ready = dev.inet6_ready
        if was_ready:
            dev.mc6_loaded = False  # ipv6_mc_down(): the groups leave dev->mc
        dev.inet6_ready = False
        dev.inet6_gen += 1
        mc_sync(self, dev)
        if unregister:
            # ipv6_mc_destroy_dev(): ipv6_mc_down(), then mld_clear_delrec(): the
            # leaves of the addresses that just went are never reported, and the
            # inet6_dev made at 1280 again starts without them (recorded: after `mtu
            # 1279` and `mtu 1280` the reports hold the new link-local group only)
            if dev.mld_tomb:
                dev.mld_tomb = ()
            self.mld_ifc_stop(dev)
        elif was_ready:
            self.mld_ifc_stop(dev)  # ipv6_mc_down(), after the addresses' leaves

    def _ifdown_gone(self, route, dev: NetDevice, unregister: bool) -> bool:
        """fib6_ifdown(): a route through the device goes; of a multipath route the
        sibling through it goes at NETDEV_UNREGISTER, and at NETDEV_DOWN the route
        only once every sibling is dead (the others show RTNH_F_DEAD till then)."""
        if not route.nexthops:
            return route.oif == dev.ifindex
        if not any(h.oif == dev.ifindex for h in route.nexthops):
            return False
        if unregister:
            if all(h.oif == dev.ifindex for h in route.nexthops):
                return True
            table = self.table(6, route.table)
            for h in [h for h in route.nexthops if h.oif == dev.ifindex]:
                route = table.drop_nexthop(route, h.gateway, h.oif) or route
            return False
        # (rt6_multipath_dead_count(): the siblings already RTNH_F_DEAD count too)
        return all(h.oif == dev.ifindex or not self._dev_up(h.oif)
                   or self._sibling_dead6(h.oif, route) for h in route.nexthops)

    def _sibling_dead6(self, ifindex: int | None, route) -> bool:
        other = self.by_index(ifindex) if ifindex is not None else None
        return other is not None and bool(other.dead6) and \
            (route.table, route.seq) in other.dead6

    def addrconf_disable(self, dev: NetDevice) -> None:
        """dev_disable_change(): disable_ipv6 set on a device takes its IPv6 addresses
        and routes away."""
        dev_addr_changed()
        self.ifa6(dev).clear()
        # addrconf_ifdown(dev, false) -> rt6_sync_down_dev(NETDEV_DOWN) -> fib6_ifdown():
        # a route through the device goes, a multipath one only once every sibling
        # is dead; till then its siblings through the device are marked RTNH_F_DEAD |
        # RTNH_F_LINKDOWN (recorded: fuzz49_disable_ipv6_multipath_dead)
        self._remove_routes(lambda r: r.family == 6 and self._ifdown_gone(r, dev, False))
        marked = frozenset(
            (route.table, route.seq) for (family, _), table in self.tables.items()
            if family == 6 for route in table.sorted_routes()
            if route.nexthops and any(h.oif == dev.ifindex for h in route.nexthops))
        if marked:
            dev.dead6 = dev.dead6 | marked
        if self._stack is not None and dev.kind != "loopback":
            # addrconf_ifdown(dev, false) -> rt6_disable_ip(): neigh_ifdown(&nd_tbl)
            # flushes the device's entries, permanent ones too (recorded:
            # fuzz42b_ndisc_allow_add, `ip -6 neigh del` of a PERMANENT entry then
            # answers ENOENT)
            self.stack.nd.flush_dev(dev.ifindex)
            self.pneigh_ifdown(6, dev.ifindex)
        was_ready = dev.inet6_ready
        if was_ready:
            # addrconf_ifdown(): ipv6_mc_down() only `if (was_ready)`; a device never
            # up keeps its groups' MACs (33:33:00:00:00:01) in dev->mc
            dev.mc6_loaded = False
        dev.inet6_ready = False
        dev.inet6_gen += 1
        mc_sync(self, dev)
        if was_ready:
            self.mld_ifc_stop(dev)

    def _addrconf_ready(self, dev: NetDevice) -> None:
        """addrconf_dev_config(): a link with carrier gets its IPv6 link-local address,
        fe80::/64 and ff00::/8, and DAD starts for tentative addresses."""
        if self.ipv6_disabled(dev):
            return      # addrconf_notify(): no IF_READY, so no ipv6_mc_down() later
        dev.inet6_ready = True
        dev.dead6 = NO_ROUTES       # addrconf_notify(NETDEV_UP): rt6_sync_up(RTNH_F_DEAD)
        if dev.vrf_table is not None:
            # addrconf_add_dev(), addrconf_addr_gen(): no multicast route and "no link
            # local addresses on L3 master devices"
            for ifa in self.ifa6(dev):
                self._ifa6_configure(dev, ifa)
            return
        # addrconf_add_dev() adds ff00::/8 (addrconf_add_mroute()), then
        # addrconf_add_linklocal() the fe80::/64 prefix route (recorded in that order)
        self._add_route6(Route(MULTICAST_PREFIX, TABLE_LOCAL, RTN.MULTICAST,
                               Proto.KERNEL, oif=dev.ifindex, priority=256))
        ll = self._auto_link_local(dev)
        if ll is not None or any(i.scope == Scope.LINK for i in self.ifa6(dev)):
            # addrconf_add_linklocal() adds the prefix route with the address; with no
            # address to make (addrgenmode none, stable_secret without a secret) there
            # is none (recorded), unless a link-local address is there already
            self._add_route6(Route(LINK_LOCAL_PREFIX, TABLE_MAIN, RTN.UNICAST,
                                   Proto.KERNEL, oif=dev.ifindex, priority=256))
        if ll is not None and not any(i.address == ll[0] for i in self.ifa6(dev)):
            insert_ifa6(self.ifa6(dev), Ifa6(ll[0], 64, Scope.LINK, tentative=True,
                                             permanent=False, proto=IFAPROT_KERNEL_LL,
                                             stable_privacy=ll[1],
                                             optimistic=self._optimistic_link_local(dev)))
        for ifa in self.ifa6(dev):
            self._ifa6_configure(dev, ifa)
        dev.mc6_loaded = True           # ipv6_mc_up()
        # ipv6_mc_up(): the reported groups still in the list (autojoined ones, the
        # solicited-node groups of addresses added while the link was down) are
        # reported again (igmp6_group_added())
        if dev.mc_autojoin or (dev.ifa6 and any(mld_reported(g.group) for g in dev.mc6)):
            self.mld_resend(dev)
        # joining the solicited-node group of the tentative address reports it (MLDv2
        # from ::): mc_sync() -> mld_group_joined()
        mc_sync(self, dev)

    def allow_optimistic_dad(self, dev: NetDevice) -> bool:
        """ipv6_allow_optimistic_dad(): optimistic_dad on all or on the device
        (inet6_rtm_newaddr() drops IFA_F_OPTIMISTIC otherwise)."""
        return self.conf(6, "all", "optimistic_dad") != "0" or \
            self.conf(6, dev, "optimistic_dad") != "0"

    def _optimistic_link_local(self, dev: NetDevice) -> bool:
        """addrconf_add_linklocal(): IFA_F_OPTIMISTIC with optimistic_dad, unless
        conf/all forwards."""
        return self.allow_optimistic_dad(dev) and self.conf(6, "all", "forwarding") == "0"

    def _auto_link_local(self, dev: NetDevice) -> tuple[ipaddress.IPv6Address, bool] | None:
        """addrconf_addr_gen(): the link-local address the device's addr_gen_mode makes
        (and whether it is IFA_F_STABLE_PRIVACY), None when it makes none."""
        mode = dev.addrgenmode
        if mode == "eui64" and dev.info.link_type == "none":
            # addrconf_dev_config(): "this device type has no EUI support" (ARPHRD_NONE)
            mode = dev.addrgenmode = "random"
        if mode == "random":
            self._gen_mode_random_init(dev)
        if mode in ("stable_secret", "random"):
            address = self.ipv6_generate_stable_address(LINK_LOCAL_PREFIX.network_address,
                                                        0, dev)
            return None if address is None else (address, True)
        if mode == "eui64":
            return eui64_link_local(dev.address), False
        return None         # IN6_ADDR_GEN_MODE_NONE

    def _gen_mode_random_init(self, dev: NetDevice) -> None:
        """ipv6_gen_mode_random_init(): a device without its own stable_secret gets a
        random one (readable in its sysctl from then on)."""
        key = f"net.ipv6.conf.{dev.name}.stable_secret"
        if key not in self.sysctls:
            secret = bytes(self.rng.randrange(256) for _ in range(16))
            self.sysctls[key] = stable_secret_text(secret)

    def stable_secret(self, dev: NetDevice) -> bytes | None:
        """ipv6_generate_stable_address(): the device's stable_secret, else the
        namespace's conf/default one, else none."""
        for who in (dev.name, "default"):
            text = self.sysctls.get(f"net.ipv6.conf.{who}.stable_secret")
            if text:
                return ipaddress.IPv6Address(text).packed
        return None

    def ipv6_generate_stable_address(self, prefix: ipaddress.IPv6Address, dad_count: int,
                                     dev: NetDevice) -> ipaddress.IPv6Address | None:
        """ipv6_generate_stable_address() (RFC 7217): one sha1_transform() of the
        secret, the /64 prefix, the device's perm_addr and dad_count; the interface id
        is the first two digest words as the CPU stores them (little-endian). Retried
        with the next dad_count while the id is reserved, up to idgen_retries."""
        secret = self.stable_secret(dev)
        if secret is None:
            return None
        retries = int(self.sysctls.get("net.ipv6.idgen_retries", "3"))
        while True:
            # struct { secret; __be32 prefix[2]; hwaddr[MAX_ADDR_LEN]; u8 dad_count; }:
            # perm_addr is all zeroes on every device simulated (veth, bridge and the
            # others get random or set addresses: NET_ADDR_RANDOM/_SET, never _PERM)
            block = secret + prefix.packed[:8] + bytes(32) + bytes([dad_count & 0xFF])
            digest = sha1_transform(SHA1_IV, block.ljust(64, b"\0"))
            iid = struct.pack("<II", digest[0], digest[1])
            if not ipv6_reserved_interfaceid(iid):
                return ipaddress.IPv6Address(prefix.packed[:8] + iid)
            dad_count += 1
            if dad_count > retries:
                return None

    def addrconf_init_auto_addrs(self, dev: NetDevice) -> None:
        """addrconf_init_auto_addrs() after a write of addr_gen_mode that changed it:
        addrconf_dev_config() makes the mode's link-local address, up or down (a down
        device's waits, tentative, for the link: recorded); lo's init_loopback() has
        ::1 already, or gets it, up or down (recorded)."""
        if self.ipv6_disabled(dev):
            return
        if dev.kind == "loopback":
            loopback = ipaddress.IPv6Address("::1")
            if not any(i.address == loopback for i in self.ifa6(dev)):
                # init_loopback() -> add_addr(): not tentative, announced
                ifa = Ifa6(loopback, 128, Scope.HOST, proto=IFAPROT_KERNEL_LO)
                insert_ifa6(self.ifa6(dev), ifa)
                self._notify_addr(dev, ifa)
                if dev.inet6_ready:
                    self._ifa6_configure(dev, ifa)
                else:
                    # add_addr() -> ipv6_ifa_notify(): ip6_ins_rt() of the address's
                    # local route, lo down or not (recorded: `local ::1 dev lo`)
                    self._ifa6_local_route(dev, ifa)
            return
        if dev.tnl is not None or dev.vrf_table is not None:
            return
        if dev.admin_up and not dev.inet6_ready:
            # addrconf_dev_config() -> addrconf_add_dev() -> addrconf_add_mroute():
            # ip6_route_add() takes an up device whatever its carrier (a down one
            # refuses it quietly)
            self._add_route6(Route(MULTICAST_PREFIX, TABLE_LOCAL, RTN.MULTICAST,
                                   Proto.KERNEL, oif=dev.ifindex, priority=256))
        ll = self._auto_link_local(dev)
        if ll is None or any(i.address == ll[0] for i in self.ifa6(dev)):
            return      # ipv6_add_addr(): -EEXIST
        ifa = Ifa6(ll[0], 64, Scope.LINK, tentative=True, permanent=False,
                   proto=IFAPROT_KERNEL_LL, stable_privacy=ll[1],
                   optimistic=self._optimistic_link_local(dev))
        insert_ifa6(self.ifa6(dev), ifa)
        self._notify_addr(dev, ifa)
        if dev.inet6_ready:
            self._add_route6(Route(LINK_LOCAL_PREFIX, TABLE_MAIN, RTN.UNICAST,
                                   Proto.KERNEL, oif=dev.ifindex, priority=256))
            self._ifa6_configure(dev, ifa)
            mc_sync(self, dev)
        elif dev.admin_up:
            # addrconf_add_linklocal() -> addrconf_prefix_route(): fe80::/64 on an up
            # device without carrier too (linkdown); DAD waits for the link
            self._add_route6(Route(LINK_LOCAL_PREFIX, TABLE_MAIN, RTN.UNICAST,
                                   Proto.KERNEL, oif=dev.ifindex, priority=256))

    def _stable_privacy_retry(self, dev: NetDevice, ifa: Ifa6) -> None:
        """addrconf_dad_failure(): a stable-privacy address that failed DAD is followed
        by the next one (dad_count + 1), listed at once and probed after idgen_delay,
        up to idgen_retries times."""
        retries = ifa.stable_privacy_retry + 1
        if retries > int(self.sysctls.get("net.ipv6.idgen_retries", "3")):
            return      # "privacy stable address generation failed because of DAD conflicts!"
        prefix = ipaddress.IPv6Address(ifa.address.packed[:8] + bytes(8))
        address = self.ipv6_generate_stable_address(prefix, retries, dev)
        if address is None or any(i.address == address for i in self.ifa6(dev)):
            return
        # the cfg copies flags, lifetimes and scope, not the protocol
        new = Ifa6(address, ifa.prefixlen, ifa.scope, tentative=True,
                   permanent=ifa.permanent, stable_privacy=True,
                   stable_privacy_retry=retries, valid_lft=ifa.valid_lft,
                   preferred_lft=ifa.preferred_lft, tstamp=self.clock.now)
        insert_ifa6(self.ifa6(dev), new)
        self._notify_addr(dev, new)
        # INET6_IFADDR_STATE_PREDAD: addrconf_mod_dad_work(ifp2, idgen_delay)
        delay = float(self.sysctls.get("net.ipv6.idgen_delay", "1"))
        self.clock.call_later(delay, self, "_dad_begin_later", dev, new, dev.inet6_gen)

    def _dad_begin_later(self, dev: NetDevice, ifa: Ifa6, gen: int | None = None) -> None:
        """addrconf_dad_work() of a PREDAD address: addrconf_dad_begin()."""
        if self._ipv6_live(dev, gen) and ifa in self.ifa6(dev) and ifa.tentative:
            self._ifa6_configure(dev, ifa)
            mc_sync(self, dev)

    # ------------------------------------------------- MLDv2 state-change reports
    def mld_group_joined(self, dev: NetDevice, group) -> None:
        """igmp6_group_added() for a solicited-node group of an up device with IPv6
        ready: mca_crcount = mc_qrv, and the group leaves the tomb (mld_del_delrec());
        mld_ifc_event() follows (mld_groups_changed())."""
        if dev.mld_tomb:
            dev.mld_tomb[:] = [e for e in dev.mld_tomb if e[0] != group.group]
        group.crcount = MLD_QRV

    def mld_group_left(self, dev: NetDevice, group) -> None:
        """igmp6_group_dropped() -> igmp6_leave_group() -> mld_add_delrec(): the group
        is kept in the tomb with mc_qrv change records to send (CHANGE_TO_INCLUDE)."""
        tomb = own_list(dev, "mld_tomb")
        tomb[:] = [e for e in tomb if e[0] != group.group]
        tomb.insert(0, [group.group, MLD_QRV])

    def mld_groups_changed(self, dev: NetDevice) -> None:
        """mld_ifc_event() after joins and leaves: mld_ifc_start_work() checks nothing,
        so the change records go out whatever the link's state (igmp6_group_added()
        reports a join only on an IFF_UP device, igmp6_leave_group() a leave always:
        recorded, `ff02::16 ... NOARP` appears on a device that never came up once an
        address of it is deleted, and on an up device without carrier once one is
        added, with TX dropped 2 on the veth). Only ipv6_mc_down() stops the work,
        when a ready link goes down (mld_ifc_stop()), and a later leave starts it
        again (recorded: the entry after an address of a link that went down is
        deleted)."""
        self.mld_ifc_event(dev)

    def mld_ifc_stop(self, dev: NetDevice) -> None:
        """ipv6_mc_down() -> mld_ifc_stop_work(): mc_ifc_count = 0, the work cancelled
        (addrconf_ifdown() calls it only `if (was_ready)`)."""
        dev.mld_ifc_count = 0
        self.clock.cancel(dev.mld_ifc_timer)
        dev.mld_ifc_timer = None

    def mld_ifc_event(self, dev: NetDevice) -> None:
        """mld_ifc_event(): mc_ifc_count = mc_qrv, mld_ifc_start_work(idev, 1)."""
        dev.mld_ifc_count = MLD_QRV
        self._mld_ifc_start_work(dev, MLD_DELAY)

    def _mld_ifc_start_work(self, dev: NetDevice, delay: float) -> None:
        # mod_delayed_work(): a pending run moves to the new time
        self.clock.cancel(dev.mld_ifc_timer)
        dev.mld_ifc_timer = self.clock.call_later(delay, self, "_mld_ifc_work", dev,
                                                  dev.inet6_gen)

    def _mld_ifc_work(self, dev: NetDevice, gen: int | None = None) -> None:
        """mld_ifc_work() -> mld_send_cr(): one report with the tomb's records
        (CHANGE_TO_INCLUDE) then the joined groups' (CHANGE_TO_EXCLUDE, mc_list order)
        while their crcount lasts, from the first valid link-local address, else ::
        (mld_newpack()); again after a random part of the unsolicited report interval
        while mc_ifc_count lasts."""
        dev.mld_ifc_timer = None
        # (not _ipv6_live(): the work runs on a link that is down or not ready too)
        if dev.netns is not self or dev.ifindex not in self.devices or \
                gen not in (None, dev.inet6_gen):
            return
        records = []
        for entry in list(dev.mld_tomb):
            records.append((3, entry[0], []))
            entry[1] -= 1
            if entry[1] <= 0:
                dev.mld_tomb.remove(entry)
        for g in dev.mc6:
            if g.crcount > 0:
                records.append((4, g.group, []))
                g.crcount -= 1
        if records and not self.ipv6_disabled(dev):
            # (ip6_output() drops what a device with disable_ipv6 sends, before the
            # neighbour lookup)
            src = next((i.address for i in self.ifa6(dev) if i.scope == Scope.LINK
                        and not i.tentative and not i.dadfailed),
                       ipaddress.IPv6Address("::"))
            self.stack.mld_report_records(dev, src, records)
        if dev.mld_ifc_count:
            dev.mld_ifc_count -= 1
            # the kernel runs once more with nothing left to send; that run is left
            # out (it sends nothing, and a new change reschedules the work anyway)
            if dev.mld_tomb or any(g.crcount > 0 for g in dev.mc6):
                self._mld_ifc_start_work(dev, self._mld_report_delay())

    def mld1_timer(self, dev: NetDevice, group) -> None:
        """igmp6_join_group(): the MLDv1 report goes once more after a random part of
        the unsolicited report interval (mldv1_unsolicited_report_interval, 10 s)."""
        delay = self.rng.random() * MLD1_UNSOLICITED_INTERVAL
        self.clock.call_later(delay, self, "_mld1_report_again", dev, group, dev.inet6_gen)

    def _mld1_report_again(self, dev: NetDevice, group, gen: int | None = None) -> None:
        """igmp6_timer_handler(): the group's delayed report, if it is still joined."""
        if dev.admin_up and dev.netns is self and gen in (None, dev.inet6_gen) and \
                any(g is group for g in dev.mc6):
            self.stack.mld1_send(dev, group.group, True)
            group.last_reporter = True

    def mld_resend(self, dev: NetDevice) -> None:
        """addrconf_notify(NETDEV_CHANGE) for a device already configured (IF_READY)
        whose link is ready again: ipv6_mc_up() resends the reports
        (igmp6_group_added() of each group: crcount = mc_qrv, mld_ifc_event())."""
        if not self._ipv6_live(dev) or dev.kind == "loopback":
            return
        reported = False
        for g in dev.mc6:
            if mld_reported(g.group):
                g.crcount = MLD_QRV
                reported = True
        if reported:
            self.mld_ifc_event(dev)

    def _mld_report_delay(self) -> float:
        """mld_ifc_start_work()/mld_dad_start_work(): prandom_u32_max(1 s) + 2 jiffies."""
        return self.rng.random() * MLD_UNSOLICITED_INTERVAL + MLD_WORK_SLACK

    def _mld_dad_resend(self, dev: NetDevice, ifa: Ifa6, gen: int | None = None) -> None:
        """mld_dad_work(): the second of ipv6_mc_dad_complete()'s mc_qrv reports."""
        if self._ipv6_live(dev, gen) and ifa in self.ifa6(dev) and not ifa.tentative:
            self._mld_send_initial_cr(dev, ifa.address)

    def _mld_send_initial_cr(self, dev: NetDevice, src) -> None:
        """mld_send_initial_cr() (net/ipv6/mcast.c): nothing in MLDv1 mode, else one
        report with a record of every group the device reports (add_grec() skips the
        MAF_NOREPORT ones; a bridge's ff02::6a beside the solicited-node ones),
        CHANGE_TO_EXCLUDE for the joins without sources, in idev->mc_list's order:
        not only the new link-local address's group (recorded: with a global address
        added before the link came up, both solicited-node groups go in the reports
        after the link-local address's DAD). The source is the address that just
        became valid (mld_newpack(): ipv6_get_lladdr())."""
        if mld_v1_mode(self, dev):
            return
        # addrconf_dad_begin() joined the address's solicited-node group before it
        # completed a DAD it skips (nodad, accept_dad 0)
        mc_sync(self, dev)
        records = [(4, g.group, []) for g in dev.mc6 if mld_reported(g.group)]
        if records:
            self.stack.mld_report_records(dev, src, records)

    def _ifa6_prefix_route(self, dev: NetDevice, ifa: Ifa6) -> None:
        if not ifa.noprefixroute and not ifa.temporary and ifa.scope != Scope.HOST and \
                (ifa.scope != Scope.LINK or ifa.permanent):
            # inet6_addr_add(): a /128 too (recorded: `2001:db8::9 proto kernel`), and
            # a link-local address's own (fe80::/64 with addrgenmode none: recorded),
            # not lo's ::1 (init_loopback() adds none); a finite valid lifetime gives
            # the route RTF_EXPIRES
            expires = None if ifa.valid_lft == INFINITY_LIFE_TIME else \
                ifa.tstamp + ifa.valid_lft
            self._add_route6(Route(ifa.network, TABLE_MAIN, RTN.UNICAST, Proto.KERNEL,
                                   oif=dev.ifindex, priority=ifa.metric or 256,
                                   expires=expires))

    def _ifa6_configure(self, dev: NetDevice, ifa: Ifa6) -> None:
        self._ifa6_prefix_route(dev, ifa)
        if ifa.tentative and (dev.tnl is not None or dev.noarp or self._dad_off(dev)):
            # addrconf_dad_start() -> addrconf_mod_dad_work(ifp, 0): the work runs
            # once the request (or the linkwatch run) that made the address is over
            # (recorded: with accept_dad 0, a veth pair's second device's UP comes
            # before the first one's link-local address; lead43_group_up_monitor)
            self.clock.call_later(0, self, "_dad_begin_off", dev, ifa, dev.inet6_gen)
            return
        self._ifa6_dad_start(dev, ifa)

    def _dad_begin_off(self, dev: NetDevice, ifa: Ifa6, gen: int | None = None) -> None:
        """addrconf_dad_work() -> addrconf_dad_begin() with no DAD to do (a NOARP
        device, or neither all.accept_dad nor the device's is 1 or more): the
        address completes at once."""
        if dev.netns is not self or ifa not in self.ifa6(dev) or \
                gen not in (None, dev.inet6_gen) or not ifa.tentative:
            return
        if dev.tnl is not None or dev.noarp or self._dad_off(dev):
            ifa.tentative = ifa.optimistic = False
            self._notify_addr(dev, ifa)
            if dev.tnl is None and dev.inet6_ready:
                # addrconf_dad_completed(ifp, false, false): the link-local address's
                # MLD reports and router solicitations start now; addrconf_dad_begin()
                # joined the address's solicited-node group before (addrconf_join_solict()),
                # so the initial reports hold it
                self._ifa6_local_route(dev, ifa)
                mc_sync(self, dev)
                self._dad_completed_link(dev, ifa)
                return
            self._ifa6_local_route(dev, ifa)
            return
        self._ifa6_dad_start(dev, ifa)

    def _ifa6_dad_start(self, dev: NetDevice, ifa: Ifa6) -> None:
        if ifa.tentative:
            # addrconf_dad_kick(): a random delay below rtr_solicit_delay
            # (router_solicitation_delay, 1 s; 0 is none: get_random_u32_below(0 ?: 1),
            # recorded: with 0 and retrans_time_ms 2000 tentative at 1.5 s, not at 2.5 s),
            # one probe, then one retrans_time of silence before the address is valid
            probe_at = self.rng.random() * self._rtr_solicit_delay(dev)
            if ifa.optimistic:
                # addrconf_dad_begin(): an optimistic address takes its route at once;
                # addrconf_dad_kick(): and probes without the random delay
                self._ifa6_local_route(dev, ifa)
                probe_at = 0.0
            # addrconf_dad_kick(): dad_probes = idev->cnf.dad_transmits; addrconf_dad_work()
            # sends one probe per retrans_time (nd_tbl's, at least HZ/100) and completes
            # when none is left
            probes = max(0, int(self.conf(6, dev, "dad_transmits")))
            retrans = max(self.stack.nd.parms(dev.ifindex).retrans_time, 0.01)
            for i in range(probes):
                self.clock.call_later(probe_at + i * retrans, self, "_dad_probe", dev, ifa,
                                      dev.inet6_gen)
            self.clock.call_later(probe_at + probes * retrans, self, "_dad_complete", dev, ifa,
                                  dev.inet6_gen)
        else:
            self._ifa6_local_route(dev, ifa)

    def inet6_set_iftoken(self, dev: NetDevice, token: int) -> None:
        """inet6_set_iftoken() (`ip token set/del`): the low 64 bits are kept; a
        non-zero token on a ready device with a usable link-local address solicits
        routers at once (the RS timer's restart is not modelled)."""
        from ipemu.kernel.netdev import IFF
        # inet6_validate_link_af() (validate_linkmsg(), before any of
        # inet6_set_iftoken()'s checks): a device without an inet6_dev (its MTU under
        # 1280 took it) is a plain EAFNOSUPPORT
        if not has_inet6_dev(dev):
            raise KernelError(Errno.EAFNOSUPPORT)
        if dev.flags & IFF.LOOPBACK:
            raise KernelError(Errno.EINVAL, "ipv6: Device is loopback")
        if dev.flags & IFF.NOARP:
            raise KernelError(Errno.EINVAL, "ipv6: Device does not do neighbour discovery")
        if not self._accept_ra(dev):
            raise KernelError(Errno.EINVAL, "ipv6: Router advertisement is disabled on device")
        if self.conf(6, dev, "router_solicitations") == "0":
            raise KernelError(Errno.EINVAL, "Router solicitation is disabled on device")
        dev.ipv6_token = token & ((1 << 64) - 1)
        if not dev.ipv6_token or not dev.inet6_ready:
            return
        for ifa in self.ifa6(dev):
            if ifa.scope == Scope.LINK and not ifa.tentative:
                self.stack.router_solicit(dev, ifa.address)
                return

    def _accept_ra(self, dev: NetDevice) -> bool:
        """ipv6_accept_ra(): a forwarding device accepts RAs only with accept_ra 2."""
        accept_ra = int(self.conf(6, dev, "accept_ra"))
        return accept_ra == 2 if self.conf(6, dev, "forwarding") != "0" else bool(accept_ra)

    def _rtr_solicit_delay(self, dev: NetDevice) -> float:
        """idev->cnf.rtr_solicit_delay in seconds (proc_dointvec_jiffies: whole
        seconds written); DAD_SPREAD where the profile's kernel has no such key."""
        try:
            raw = self.conf(6, dev, "router_solicitation_delay")
            return max(int(raw), 0) if raw not in (None, "") else DAD_SPREAD
        except (KeyError, ValueError):
            return DAD_SPREAD

    def _dad_off(self, dev: NetDevice) -> bool:
        """addrconf_dad_begin(): devconf_all->accept_dad < 1 && idev->cnf.accept_dad < 1."""
        return int(self.conf(6, "all", "accept_dad")) < 1 and \
            int(self.conf(6, dev, "accept_dad")) < 1

    def _ipv6_live(self, dev: NetDevice, gen: int | None = None) -> bool:
        """A queued IPv6 event still applies: the device is here, ready, IPv6 on, and
        IPv6 did not go down since it was queued (`gen`: its work was cancelled)."""
        return dev.inet6_ready and dev.netns is self and dev.ifindex in self.devices and \
            not self.ipv6_disabled(dev) and gen in (None, dev.inet6_gen)

    def _dad_probe(self, dev: NetDevice, ifa: Ifa6, gen: int | None = None) -> None:
        # addrconf_dad_stop() cancels the work: no more probes once DAD failed
        if self._ipv6_live(dev, gen) and ifa in self.ifa6(dev) and ifa.tentative and \
                not ifa.dadfailed:
            nonce = None
            if "1" in (self.conf(6, dev, "enhanced_dad"), self.conf(6, "all", "enhanced_dad")):
                # addrconf_dad_begin(): get_random_bytes(&ifp->dad_nonce, 6), never 0
                nonce = bytes(self.rng.randrange(256) for _ in range(5)) + \
                    bytes([self.rng.randrange(1, 256)])
            ifa.dad_nonce = nonce
            self.stack.dad_probe(dev, ifa.address, nonce)

    def addrconf_dad_failure(self, dev: NetDevice, ifa: Ifa6) -> None:
        """addrconf_dad_failure() -> addrconf_dad_stop(): an IFA_F_PERMANENT address
        (a link-local one, one added with an infinite valid lifetime) stays, tentative
        and dadfailed, without its local route; the change is announced. Any other
        goes (ipv6_del_addr(): `Deleted ... dadfailed tentative dynamic`, recorded with
        `valid_lft 60`), a temporary one after making its successor
        (ipv6_create_tempaddr() of its public address)."""
        if ifa.stable_privacy:
            self._stable_privacy_retry(dev, ifa)
        ifa.dadfailed = True
        if not ifa_f_permanent(ifa):
            if ifa.temporary and ifa.ifpub is not None and \
                    int(self.conf(6, dev, "use_tempaddr")) > 0:
                pub = next((i for i in self.ifa6(dev) if i.address == ifa.ifpub and
                            not i.temporary), None)
                if pub is not None:
                    self.ipv6_create_tempaddr(dev, pub)
            self.del_ifa6(dev, ifa)
            return
        # addrconf_dad_stop(): a failed DAD takes IFA_F_OPTIMISTIC away (recorded:
        # `dadfailed tentative`, case tutorials43_optimistic_duplicate); its local
        # route stays
        ifa.optimistic = False
        self._notify_addr(dev, ifa)
        if max(int(self.conf(6, "all", "accept_dad")), int(self.conf(6, dev, "accept_dad"))) > 1 \
                and not ifa.stable_privacy and not self.ipv6_disabled(dev) and \
                ifa.address == eui64_link_local(dev.address):
            # addrconf_dad_work(): DAD failed for the MAC-based link-local address with
            # accept_dad > 1: "IPv6 being disabled!", disable_ipv6 set and
            # addrconf_ifdown(dev, false)
            self.sysctls[f"net.ipv6.conf.{dev.name}.disable_ipv6"] = "1"
            self.addrconf_ifdown(dev)

    def _dad_complete(self, dev: NetDevice, ifa: Ifa6, gen: int | None = None) -> None:
        # a device moved away meanwhile has an equal new address there, with its own
        # timer (addrconf_ifdown() stopped this one in the kernel)
        if dev.netns is not self or ifa not in self.ifa6(dev) or \
                gen not in (None, dev.inet6_gen) or \
                not ifa.tentative or not dev.inet6_ready or ifa.dadfailed:
            return
        ifa.tentative = ifa.optimistic = False
        self._notify_addr(dev, ifa)
        self._ifa6_local_route(dev, ifa)
        if ifa.temporary:
            self._tempaddr_regen(dev, ifa, ifa.tstamp)
        if "1" in (self.conf(6, dev, "ndisc_notify"), self.conf(6, "all", "ndisc_notify")):
            # addrconf_dad_completed(): after a DAD that ran, ndisc_notify announces
            # the address to all nodes (an unsolicited NA with the override flag)
            self.stack.unsolicited_na(dev, ifa.address)
        self._dad_completed_link(dev, ifa)

    def _dad_completed_link(self, dev: NetDevice, ifa: Ifa6) -> None:
        if ifa.scope == Scope.LINK and dev.kind != "loopback":
            # addrconf_dad_completed(): report the groups from the new address, then
            # solicit routers at once ("a host [that] has already performed a random
            # delay [...] as part of DAD" need not wait), again after
            # rfc3315_s14_backoff_init(rtr_solicit_interval): 0.9 to 1.1 times it
            self._mld_send_initial_cr(dev, ifa.address)
            # ipv6_mc_dad_complete(): mc_dad_count = mc_qrv (2): once more at random
            self.clock.call_later(self._mld_report_delay(), self, "_mld_dad_resend", dev, ifa,
                                  dev.inet6_gen)
            # send_rs: only on a device that takes RAs (ipv6_accept_ra(): not a
            # forwarding one, unless accept_ra is 2) and while its
            # router_solicitations is not 0 (the table's -1 is 6.x's default: the
            # profile's kernel says 3.10's 3)
            if not self._accept_ra(dev):
                return
            raw = self.conf(6, dev, "router_solicitations")
            solicits = int(raw) if raw not in (None, "", "-1") else \
                self.kernel.get("rtr_solicits", -1)
            if solicits == 0:
                return
            interval = RS_INTERVAL * (0.9 + 0.2 * self.rng.random())
            self._router_solicit(dev, ifa, interval, solicits, dev.inet6_gen)

    def _router_solicit(self, dev: NetDevice, ifa: Ifa6, interval: float, left: int,
                        gen: int | None = None) -> None:
        """addrconf_rs_timer(): rtr_solicits -1 (6.x) solicits forever, backing off;
        3.10 sent three."""
        if ifa not in self.ifa6(dev) or ifa.tentative or gen not in (None, dev.inet6_gen):
            return
        if not self._accept_ra(dev):
            return      # addrconf_rs_timer(): a device turned to forwarding stops
        if self._ipv6_live(dev):
            self.stack.router_solicit(dev, ifa.address)
        if dev.inet6_ready and dev.ifindex in self.devices and left != 1:
            backoff = min(interval * 2, RS_MAX_INTERVAL) if left < 0 else interval
            self.clock.call_later(interval, self, "_router_solicit", dev, ifa, backoff,
                                  left - 1 if left > 0 else -1, gen)

    def _ifa6_local_route(self, dev: NetDevice, ifa: Ifa6, peer: bool = True) -> None:
        self._add_route6(Route(ipaddress.IPv6Network(ifa.address), TABLE_LOCAL, RTN.LOCAL,
                               Proto.KERNEL, oif=dev.ifindex, priority=0))
        if ifa.peer is not None and peer:
            # __ipv6_ifa_notify(RTM_NEWADDR): the peer's /128 (addrconf_prefix_route())
            self._add_route6(Route(ipaddress.IPv6Network(ifa.peer), TABLE_MAIN, RTN.UNICAST,
                                   Proto.KERNEL, oif=dev.ifindex,
                                   priority=ifa.metric or 256))
        if self.conf(6, dev, "forwarding") == "1":
            self._join_anycast(dev, ifa)     # __ipv6_ifa_notify(RTM_NEWADDR)

    @staticmethod
    def _anycast_prefix(ifa: Ifa6) -> ipaddress.IPv6Network | None:
        """addrconf_join_anycast(): a router's subnet-router anycast address, the
        address's prefix (none for a /127 or /128, RFC 6164, nor for ::)."""
        if ifa.prefixlen >= 127:
            return None
        prefix = ipaddress.IPv6Network((int(ifa.address) >> (128 - ifa.prefixlen)
                                        << (128 - ifa.prefixlen), 128))
        return None if int(prefix.network_address) == 0 else prefix

    def _join_anycast(self, dev: NetDevice, ifa: Ifa6) -> None:
        """__ipv6_dev_ac_inc(): the anycast address's route in the local table
        (addrconf_f6i_alloc(..., anycast)), one for all the addresses sharing it."""
        prefix = self._anycast_prefix(ifa)
        if prefix is not None:
            # the ac_list entry: one more user, or a new entry at the list's head
            joined = own_list(dev, "ac6")
            for entry in joined:
                if entry[0] == prefix.network_address:
                    entry[1] += 1
                    break
            else:
                joined.insert(0, [prefix.network_address, 1])
            self._add_route6(Route(prefix, TABLE_LOCAL, RTN.ANYCAST, Proto.KERNEL,
                                   oif=dev.ifindex, priority=0))
            mc_sync(self, dev)      # ... and its solicited-node group (_wanted6())

    def _leave_anycast(self, dev: NetDevice, ifa: Ifa6) -> None:
        """__ipv6_dev_ac_dec(): the route goes with the last address of that prefix."""
        prefix = self._anycast_prefix(ifa)
        if prefix is not None:
            # one user fewer (none to take when the address never joined: ENOENT)
            for entry in dev.ac6:
                if entry[0] == prefix.network_address:
                    entry[1] -= 1
                    if not entry[1]:
                        dev.ac6.remove(entry)
                    break
        if prefix is None or any(o is not ifa and not o.tentative and
                                 self._anycast_prefix(o) == prefix for o in self.ifa6(dev)):
            return
        self._remove_routes(lambda r: r.family == 6 and r.oif == dev.ifindex and
                            r.type == RTN.ANYCAST and r.dst == prefix)
        mc_sync(self, dev)

    def forward_change6(self, dev: NetDevice, on: bool) -> None:
        """dev_forward_change(): a device that starts or stops forwarding joins or
        leaves the all-routers groups (a multicast device) and the anycast addresses
        of its valid addresses."""
        if dev.flags & IFF.MULTICAST:
            dev.mc_routers = ALL_ROUTERS6 if on else ()
            mc_sync(self, dev)
        for ifa in list(self.ifa6(dev)):
            if ifa.tentative or ifa.dadfailed:
                continue
            if on:
                self._join_anycast(dev, ifa)
            else:
                self._leave_anycast(dev, ifa)

    def _add_route6(self, route: Route) -> None:
        dev = self.by_index(route.oif)
        if dev is not None and (dev.vrf_table is not None or dev.l3mdev_slave):
            from ipemu.kernel.vrf import l3mdev_fib_table
            l3_table = l3mdev_fib_table(dev)
            if l3_table:
                # the kernel's own routes of a vrf and its ports go to the vrf's table
                # (addrconf_prefix_route(), addrconf_f6i_alloc(): l3mdev_fib_table())
                route = replace(route, table=l3_table)
        table = self.table(6, route.table, create=True)
        key = prefix_key(route.dst)
        same = table.kernel_routes_like(route, key)
        if not same:
            table.add(route, key)
            self._notify_route(route)
        elif same[0].expires is not None:
            # fib6_add_rt2node(): an equal route that expires takes the new one's
            # expiry, or none if the new one is permanent (-EEXIST, nothing announced)
            same[0].expires = route.expires
