"""IPv4 addresses (net/ipv4/devinet.c) and the routes they bring (fib_add_ifaddr() and
fib_del_ifaddr() of net/ipv4/fib_frontend.c)."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.addr import INFINITY_LIFE_TIME, Ifa4, insert_ifa4, set_ifa_lifetime
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.mcast import mc_sync
from ipemu.kernel.fib import (Proto, RTN, Route, Scope, TABLE_LOCAL, TABLE_MAIN, ipv4_network,
                              prefix_key, same_kernel_route)
from ipemu.kernel.netdev import IFNAMSIZ, NO_ROUTES, NetDevice, dev_addr_changed, own_list
from ipemu.kernel.records import RTM
from ipemu.kernel.requests import AddrRequest, NLM_F
from ipemu.plainclass import replace



def _bytes(text: str) -> bytes:
    """A name as the kernel holds it: the bytes argv carried (UTF-8, undecodable bytes
    kept as surrogates)."""
    return text.encode("utf-8", "surrogateescape")

class Devinet:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

    def _relabel_ifa4(self, dev: NetDevice, old: str) -> None:
        """inetdev_changename(): the first address takes the new name, the others keep
        their alias suffix (or get `:N`)."""
        for n, ifa in enumerate(dev.ifa4):
            previous = ifa.label
            ifa.label = dev.name
            if n == 0:
                continue
            dot = previous[previous.index(":"):] if ":" in previous else f":{n + 1}"
            # strlen()/strcpy() on ifa_label: bytes (a UTF-8 name counts its bytes)
            name, tail = _bytes(dev.name), _bytes(dot)
            if len(tail) + len(name) < IFNAMSIZ:
                ifa.label = dev.name + dot
            else:
                ifa.label = (name[:IFNAMSIZ - len(tail) - 1] + tail).decode(
                    "utf-8", "surrogateescape")

    def ifa4(self, dev: NetDevice) -> list[Ifa4]:
        return dev.ifa4

    def add_ifa4(self, dev: NetDevice, new: Ifa4, *, replace_: bool = False) -> None:
        ifas = self.ifa4(dev)
        # inet_rtm_newaddr(): find_matching_ifa() over the whole list before
        # __inet_insert_ifa()'s walk, so that an address already there is replaced or
        # refused whatever the scope of a primary of its subnet listed before it
        # (recorded, fuzz47 seed 590512)
        for ifa in ifas:
            if ifa.prefixlen == new.prefixlen and ifa.address in new.network and \
                    ifa.local == new.local:
                if replace_:
                    # only the metric and lifetimes of an existing address change;
                    # its prefix route follows (fib_modify_prefix_metric())
                    set_ifa_lifetime(ifa, new.valid_lft, new.preferred_lft, new.tstamp)
                    self.schedule_lifetime(dev, ifa)
                    if ifa.metric != new.metric:
                        self._modify_prefix_metric(dev, ifa, new.metric)
                    self._notify_addr(dev, ifa)
                    return
                raise KernelError(Errno.EEXIST, "ipv4: Address already assigned.")
        for ifa in ifas:
            if ifa.prefixlen == new.prefixlen and ifa.address in new.network:
                if ifa.scope != new.scope:
                    raise KernelError(Errno.EINVAL, "ipv4: Invalid scope value.")
                new.secondary = True
        insert_ifa4(ifas, new)
        self._notify_addr(dev, new)             # rtmsg_ifa(), then the routes
        self._fib_add_ifaddr(dev, new)
        # fib_inetaddr_event(NETDEV_UP): fib_sync_up(dev, RTNH_F_DEAD) revives the
        # nexthops the device's last address took with it
        dev.dead4 = NO_ROUTES

    def new_addr(self, req: AddrRequest) -> None:
        """inet_rtm_newaddr() / inet6_rtm_newaddr(): an address that is already there
        is refused unless the request says REPLACE without EXCL (then only its metric
        changes); one that is not there is added even without CREATE ("userspace
        already relies on not having to provide this")."""
        dev = self.by_index(req.ifindex)
        if dev is None:
            raise KernelError(Errno.ENODEV)
        replace_ = bool(req.flags & NLM_F.REPLACE) and not req.flags & NLM_F.EXCL
        if dev.is_ipvlan and not replace_:
            # ipvlan_addr4_validator_event() / ipvlan_addr6_validator_event()
            from ipemu.kernel.ipvlan import addr_busy
            if addr_busy(dev, req.local):
                raise KernelError(Errno.EADDRINUSE,
                                  "Address already assigned to an ipvlan device")
        if req.family == 6:
            self._new_addr6(dev, req, replace_)
            return
        # IFA_LABEL's policy: NLA_STRING of at most IFNAMSIZ - 1 bytes
        if req.label is not None and len(_bytes(req.label)) >= IFNAMSIZ:
            raise KernelError(Errno.EINVAL, "Attribute failed policy validation")
        # rtm_to_ifaddr(): ipv4_devconf_setall(), even for an address already there
        self.devconf_setall(dev)
        if int(req.local) == 0:
            return  # the kernel accepts 0.0.0.0 and never lists it
        new = Ifa4(local=req.local, prefixlen=req.prefixlen,
                   address=req.address if req.address is not None else req.local,
                   broadcast=req.broadcast, scope=req.scope, label=req.label or dev.name,
                   metric=req.metric, noprefixroute=req.noprefixroute,
                   autojoin=req.autojoin)
        set_ifa_lifetime(new, req.valid_lft, req.preferred_lft, self.clock.now)
        if req.autojoin and not any(
                i.prefixlen == new.prefixlen and i.address in new.network
                and i.local == new.local for i in self.ifa4(dev)):
            # inet_rtm_newaddr(): a new address joins first (ip_mc_autojoin_config())
            self.mc_autojoin(dev, new.address, True)
        self.schedule_lifetime(dev, new)
        self.add_ifa4(dev, new, replace_=replace_)

    def mc_autojoin(self, dev: NetDevice, group, join: bool) -> None:
        """ip_mc_autojoin_config() / ipv6_mc_config(): the namespace's autojoin
        socket joins or leaves `group` on the device (ip_mc_join_group(): a group
        it is in already is EADDRINUSE, IPv4's memberships stop at
        igmp_max_memberships; a leave of a group not joined does nothing)."""
        joined = dev.mc_autojoin
        if join:
            joined = own_list(dev, "mc_autojoin")
            if group in joined:
                raise KernelError(Errno.EADDRINUSE)
            if group.version == 4 and sum(
                    1 for d in self.device_list() for g in d.mc_autojoin if g.version == 4
            ) >= int(self.sysctls.get("net.ipv4.igmp_max_memberships", "20")):
                raise KernelError(Errno.ENOBUFS)
            joined.append(group)
        elif group in joined:
            joined.remove(group)
        else:
            return
        self._autojoin6 = None          # autojoin6() looks again
        mc_sync(self, dev)

    def autojoin6(self) -> bool:
        """Whether a device here has joined an IPv6 group for an address (IFA_F_
        MCAUTOJOIN): only such an address is multicast (inet6_addr_add() refuses
        others), so with none, no address of the namespace is a multicast
        destination (ipv6_rcv()'s and ip6_output()'s search for the owner of one is
        then empty without a look at every device: MLD and ND packets are
        multicast). Known until the next join or leave here; a device that left
        with its joins only makes the answer True, which costs the look."""
        if self._autojoin6 is None:
            self._autojoin6 = any(g.version == 6 for d in self.device_list()
                                  for g in d.mc_autojoin)
        return self._autojoin6

    def schedule_lifetime(self, dev: NetDevice, ifa) -> None:
        """check_lifetime() / addrconf_verify(): a timer at the end of each finite
        lifetime (the kernel's work runs on whole jiffies-rounded seconds).
        check_lifetime() skips an IFA_F_PERMANENT IPv4 address (an infinite valid
        lifetime) whatever its preferred one: never deprecated by time (recorded:
        `valid_lft forever preferred_lft 1` still not deprecated after 1.5 s, case
        tutorials43_lifetime_edges); addrconf_verify_rtnl() deprecates such an IPv6
        one."""
        if ifa.family == 4 and ifa.valid_lft == INFINITY_LIFE_TIME:
            return
        for lft in (ifa.preferred_lft, ifa.valid_lft):
            if lft != INFINITY_LIFE_TIME and lft > 0:
                self.clock.call_at(ifa.tstamp + lft, self, "_ifa_lifetime_check", dev, ifa,
                                   ifa.tstamp)

    def _ifa_lifetime_check(self, dev: NetDevice, ifa, tstamp: float) -> None:
        """An expired valid lifetime deletes the address (an IPv6 prefix route stays
        until it expires itself: cleanup_prefix_route()); an expired preferred one
        deprecates it, announced."""
        ifas = dev.ifa4 if ifa.family == 4 else dev.ifa6
        if ifa.tstamp != tstamp or dev.netns is not self or not any(i is ifa for i in ifas):
            return
        # check_lifetime() / addrconf_verify_rtnl(): the age counts
        # ADDRCONF_TIMER_FUZZ_MINUS (HZ/50: 20 ms) more, so a timer due on the second
        # itself finds it expired (the float sum may fall short of it by an ulp)
        age = self.clock.now - tstamp + 0.02
        if ifa.valid_lft != INFINITY_LIFE_TIME and age >= ifa.valid_lft:
            if ifa.family == 4:
                self.del_ifa4(dev, ifa)
            else:
                self.del_ifa6(dev, ifa, expired=True)
        elif ifa.preferred_lft != INFINITY_LIFE_TIME and age >= ifa.preferred_lft \
                and not ifa.deprecated:
            ifa.deprecated = True
            self._notify_addr(dev, ifa)

    def del_addr(self, req: AddrRequest) -> None:
        """inet_rtm_deladdr() / inet6_addr_del(): the first address the given
        attributes match (no IFA_ADDRESS: any prefix, the old wildcard deletion)."""
        dev = self.by_index(req.ifindex)
        if dev is None:
            raise KernelError(Errno.ENODEV)
        if req.family == 6:
            for ifa in self.ifa6(dev):
                if ifa.address == req.local and ifa.prefixlen == req.prefixlen:
                    self.del_ifa6(dev, ifa)
                    if ifa.mngtmpaddr and not ifa.temporary:
                        self.manage_tempaddrs_gone(dev, ifa)
                    if ifa.address.is_multicast:
                        self.mc_autojoin(dev, ifa.address, False)  # inet6_addr_del()
                    return
            raise KernelError(Errno.EADDRNOTAVAIL, "ipv6: address not found.")
        for ifa in self.ifa4(dev):
            if req.local is not None and ifa.local != req.local:
                continue
            if req.label is not None and ifa.label != req.label:
                continue
            if req.address is not None and (ifa.prefixlen != req.prefixlen or
                                            req.address not in ifa.network):
                continue
            if ifa.address.is_multicast:
                self.mc_autojoin(dev, ifa.address, False)   # inet_rtm_deladdr()
            self.del_ifa4(dev, ifa)
            return
        raise KernelError(Errno.EADDRNOTAVAIL, "ipv4: Address not found.")

    def _modify_prefix_metric(self, dev: NetDevice, ifa: Ifa4, metric: int) -> None:
        """fib_modify_prefix_metric(): the prefix route with the new metric is added
        first, then the old one deleted (each announced)."""
        old = [r for r in self._kernel_routes_v4(dev, ifa)
               if r.table == TABLE_MAIN and r.priority == ifa.metric]
        ifa.metric = metric
        self._fib_add_ifaddr(dev, ifa)
        table = self.table(4, TABLE_MAIN)
        for route in old:
            for gone in table.kernel_routes_like(route):
                table.remove(gone)
                self._notify_route(gone, RTM.DELROUTE)

    def primary_of(self, dev: NetDevice, ifa: Ifa4) -> Ifa4:
        if not ifa.secondary:
            return ifa
        for other in self.ifa4(dev):
            if not other.secondary and other.prefixlen == ifa.prefixlen and ifa.address in other.network:
                return other
        return ifa

    def del_ifa4(self, dev: NetDevice, ifa: Ifa4) -> None:
        dev_addr_changed()
        ifas = self.ifa4(dev)
        doomed = [ifa]
        promote = None
        if not ifa.secondary:
            for other in ifas:
                if other is ifa or not other.secondary or not ifa.same_subnet(other):
                    continue
                if self.conf(4, dev, "promote_secondaries") == "1" or \
                        self.sysctls.get("net.ipv4.conf.all.promote_secondaries") == "1":
                    promote = promote or other
                else:
                    doomed.append(other)
        # __inet_del_ifa(): on promotion the subnet's secondaries lose their routes
        # (whose prefsrc is the primary going away) while all are still listed
        # (fib_del_ifaddr(ifa, ifa1): its broadcast routes, then its local one)
        if promote is not None:
            for other in [o for o in ifas if o.secondary and ifa.same_subnet(o)]:
                routes = self._kernel_routes_v4(dev, other)
                for route in [r for r in routes if r.type == RTN.BROADCAST] + \
                        [r for r in routes if r.type != RTN.BROADCAST]:
                    table = self.table(4, route.table)
                    for gone in table.kernel_routes_like(route) if table is not None else ():
                        table.remove(gone)
                        self._notify_route(gone, RTM.DELROUTE)
        # __inet_del_ifa(): each secondary going along is unlinked, announced and its
        # routes deleted (the NETDEV_DOWN notifier) in turn, the address itself last
        for victim in doomed[1:] + doomed[:1]:
            ifas.remove(victim)
            self._notify_addr(dev, victim, RTM.DELADDR)
            self._fib_del_ifaddr(dev, victim)
            self._flush_stray_prefsrc(dev, victim.local)
            if not ifas:
                # fib_inetaddr_event(NETDEV_DOWN): the last address gone disables IP on
                # the device (fib_disable_ip(force)): every IPv4 route through it, in
                # every table, dies silently, and its ARP entries go (arp_ifdown())
                self._flush_routes_of(dev, everything=True, family=4, addr_gone=True)
                if self._stack is not None:
                    self.stack.arp.flush_dev(dev.ifindex)
                    self.pneigh_ifdown(4, dev.ifindex)
        if promote is not None:
            ifas.remove(promote)
            promote.secondary = False
            insert_ifa4(ifas, promote)
            self._notify_addr(dev, promote)
            for other in [promote] + [o for o in ifas if o.secondary and promote.same_subnet(o)]:
                self._fib_add_ifaddr(dev, other)

    def _flush_stray_prefsrc(self, dev: NetDevice, local: ipaddress.IPv4Address) -> None:
        """fib_del_ifaddr()'s last step: a local address gone from the namespace
        makes fib_sync_down_addr() kill the routes of the device's table (main, or
        its l3mdev's) using it as prefsrc, and fib_flush() removes them (announced,
        as the recording kernel does)."""
        if local in self.local_addresses():
            return
        table_id = _in_l3mdev_table(dev, [Route(ipaddress.IPv4Network(local))])[0].table
        table = self.table(4, table_id)
        if table is None:
            return
        dying = [r for r in table.sorted_routes() if r.prefsrc == local]
        if dying:
            doomed = {id(r) for r in dying}
            table.remove_where(lambda r: id(r) in doomed)       # fib_flush(): one walk
        for route in dying:
            self._notify_route(route, RTM.DELROUTE)

    def local_addresses(self) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        out = []
        for dev in self.device_list():
            out += [i.local for i in self.ifa4(dev)] + [i.address for i in self.ifa6(dev)]
        return out

    def _kernel_routes_v4(self, dev: NetDevice, ifa: Ifa4) -> list[Route]:
        """fib_add_ifaddr(): the routes an IPv4 address brings (the prefixes worked
        out on the addresses' ints, as fib_add_ifaddr() does with its masks)."""
        prim = self.primary_of(dev, ifa)
        src = prim.local
        out = [Route(ipv4_network(ifa.local._ip, 32), TABLE_LOCAL, RTN.LOCAL, Proto.KERNEL,
                     Scope.HOST, prefsrc=src, oif=dev.ifindex)]
        if not dev.admin_up:
            return _in_l3mdev_table(dev, out)
        # "if it is explicitly assigned": neither 0.0.0.0 (ifconfig's alias with no
        # broadcast) nor the limited broadcast
        if ifa.broadcast is not None and ifa.broadcast._ip not in (0, 0xFFFFFFFF):
            out.append(Route(ipv4_network(ifa.broadcast._ip, 32), TABLE_LOCAL,
                             RTN.BROADCAST, Proto.KERNEL, Scope.LINK, prefsrc=src,
                             oif=dev.ifindex))
        plen = ifa.prefixlen
        hostmask = 0xFFFFFFFF >> plen
        prefix = ifa.address._ip & ~hostmask        # Ifa4.network's address
        # !ipv4_is_zeronet(prefix): since Linux 5.3 ("unicast extensions") only the
        # prefix 0.0.0.0 itself (a /0 address, or 0.x.y.z/8 and shorter) is zeronet
        # and gets no prefix route nor broadcast; a 3.10 kernel's test took all of 0/8
        # (recorded: `ip addr add 10.0.0.7/0 dev v2` makes only the local route)
        zeronet_ok = self.kernel.get("zeronet_unicast", True)
        if (prefix != 0 if zeronet_ok else prefix >> 24 != 0) and not ifa.secondary \
                and (prefix != ifa.local._ip or plen < 32):
            if not ifa.noprefixroute:
                net = ipv4_network(prefix, plen)
                if dev.kind == "loopback":
                    out.append(Route(net, TABLE_LOCAL, RTN.LOCAL, Proto.KERNEL, Scope.HOST,
                                     prefsrc=src, oif=dev.ifindex, priority=ifa.metric))
                else:
                    out.append(Route(net, TABLE_MAIN, RTN.UNICAST, Proto.KERNEL, Scope.LINK,
                                     prefsrc=src, oif=dev.ifindex, priority=ifa.metric))
            if plen < 31:
                out.append(Route(ipv4_network(prefix | hostmask, 32), TABLE_LOCAL,
                                 RTN.BROADCAST, Proto.KERNEL, Scope.LINK, prefsrc=src,
                                 oif=dev.ifindex))
        return _in_l3mdev_table(dev, out)

    def _fib_add_ifaddr(self, dev: NetDevice, ifa: Ifa4) -> None:
        for route in self._kernel_routes_v4(dev, ifa):
            table = self.table(4, route.table, create=True)
            key = prefix_key(route.dst)
            if not table.kernel_routes_like(route, key):
                table.add(route, key)
                self._notify_route(route)

    def _fib_del_ifaddr(self, dev: NetDevice, ifa: Ifa4) -> None:
        """fib_del_ifaddr(): drop the routes only this address justified."""
        # the kernel's routes name their device: only its other addresses can share one
        still = []
        for other in self.ifa4(dev):
            still += self._kernel_routes_v4(dev, other)
        # in fib_del_ifaddr()'s order: the prefix route, the broadcasts, the local one
        routes = self._kernel_routes_v4(dev, ifa)
        for route in sorted(routes, key=lambda r: 2 if r.type == RTN.LOCAL and
                            r.dst.prefixlen == 32 and r.dst.network_address == ifa.local
                            else int(r.type == RTN.BROADCAST)):
            if any(same_kernel_route(s, route) for s in still):
                continue
            table = self.table(4, route.table)
            if table is not None:
                for gone in table.kernel_routes_like(route):
                    table.remove(gone)
                    self._notify_route(gone, RTM.DELROUTE)

    def _loopback_up(self, dev: NetDevice) -> None:
        lo4 = Ifa4(ipaddress.IPv4Address("127.0.0.1"), 8, ipaddress.IPv4Address("127.0.0.1"),
                   scope=Scope.HOST, label=dev.name)
        if not any(i.local == lo4.local and i.prefixlen == 8 for i in self.ifa4(dev)):
            # inet_insert_ifa(): an address already there in 127.0.0.0/8 (an ifconfig
            # lo:1 127.0.0.2 made while lo was down) keeps being the primary and
            # 127.0.0.1 comes in as its secondary; a scope other than host refuses it
            # (recorded: case tutorials37b_plug_loopback_alias)
            same = [i for i in self.ifa4(dev)
                    if i.prefixlen == 8 and i.address in lo4.network]
            if any(i.scope != lo4.scope for i in same):
                same = None
            if same is not None:
                lo4.secondary = bool(same)
                insert_ifa4(self.ifa4(dev), lo4)
                # inet_insert_ifa(): rtmsg_ifa(RTM_NEWADDR) (recorded: `ip monitor
                # address` beside the first `ip link set lo up`, fuzz46_lo_up_addr)
                self._notify_addr(dev, lo4)
        # inetdev_event(NETDEV_UP) on loopback: ipv4_devconf_setall()
        self.devconf_setall(dev, neigh=False)

    def devconf_setall(self, dev: NetDevice, *, neigh: bool = True) -> None:
        """ipv4_devconf_setall() (and neigh_parms_data_state_setall() when neigh): every
        conf value (neigh parm) of the device is marked as set, so later writes to
        conf/default (neigh/default) no longer reach it (devinet_copy_dflt_conf(),
        neigh_copy_dflt_parms()): here each is kept as the device's own, as it is now."""
        parm_names = _setall_names()[1]
        sysctls = self.sysctls
        # the conf values stay as they read now: kept when conf/default is next
        # written (NetSysctl.set_sysctl()), not written out here for every device
        self.devconf_set[dev.name] = True
        found = []
        # (only the parms written to neigh/default differ from the template's: none
        # written, nothing to keep)
        has_dir = getattr(sysctls, "has_dir", None)
        if neigh and (has_dir is None or has_dir("net.ipv4.neigh.default.")):
            for name in parm_names:
                key = f"net.ipv4.neigh.{dev.name}.{name}"
                default = sysctls.get("net.ipv4.neigh.default." + name)
                if default is not None and key not in sysctls:
                    found.append((key, default))
        for key, value in found:
            sysctls[key] = value


_SETALL_NAMES: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def _setall_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The conf and neigh names a device has (net_table()'s device templates), once."""
    global _SETALL_NAMES
    if _SETALL_NAMES is None:
        from ipemu.kernel.sysctl import net_table
        conf, parms = "net.ipv4.conf.{dev}.", "net.ipv4.neigh.{dev}."
        templates = net_table()["device"]
        _SETALL_NAMES = (tuple(t[len(conf):] for t in templates if t.startswith(conf)),
                         tuple(t[len(parms):] for t in templates if t.startswith(parms)))
    return _SETALL_NAMES


def _in_l3mdev_table(dev: NetDevice, routes: list[Route]) -> list[Route]:
    """fib_magic(): the table is l3mdev_fib_table(dev) when the device is a vrf or one
    of its ports, whatever the route's type (kernel/vrf.py)."""
    if dev.vrf_table is None and not dev.l3mdev_slave:
        return routes       # l3mdev_fib_table() is 0: no vrf module needed
    from ipemu.kernel.vrf import l3mdev_fib_table
    table = l3mdev_fib_table(dev)
    if not table:
        return routes
    return [replace(r, table=table) for r in routes]
