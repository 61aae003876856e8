"""rtnetlink, the kernel's side: the records a namespace answers dumps with, and the
notifications it sends to its listeners (`ip monitor`) as it changes."""
from __future__ import annotations


from ipemu.kernel import Later
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.link_watch import linkwatch_of, linkwatch_sync_dev, rtnl
from ipemu.kernel.netdev import (IFF_NOT_OPER, IFNAMSIZ, NetDevice, dev_addr_changed,
                                 own_list)
from ipemu.kernel.records import LinkMsg, RTM, link_entry, link_msg
from ipemu.plainclass import replace

NLM_F = Later("ipemu.kernel.requests", "NLM_F", globals())     # loaded by the first request
LINK_OPS = Later("ipemu.kernel.drivers", "LINK_OPS", globals())   # ... and the kinds' ops
# the records of addresses, routes, netconf and neighbours (records_more.py: a dump of
# links needs none of their classes)
_NH_FLAGS, _route_msg, addr_msg, neigh_msg, netconf_msg, route_msg = (
    Later("ipemu.kernel.records_more", name, globals())
    for name in ("_NH_FLAGS", "_route_msg", "addr_msg", "neigh_msg", "netconf_msg",
                 "route_msg"))
# fib's names the route get path uses (fib, and the ipaddress it brings, load with the
# first route: `ip link show` needs neither)
RTN, Proto, Scope, ipv4_network = (Later("ipemu.kernel.fib", name, globals())
                                   for name in ("RTN", "Proto", "Scope", "ipv4_network"))

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only: `ip link show` loads none of these
    from ipemu.kernel.addr import Ifa4, Ifa6
    from ipemu.kernel.fib import Route
    from ipemu.kernel.records_more import AddrMsg, NetconfMsg, RouteMsg
    from ipemu.kernel.requests import LinkRequest

# drivers that set dev->change_proto_down (vxlan_setup(), macvlan_common_setup())
PROTO_DOWN_KINDS = frozenset({"vxlan", "macvlan", "macvtap"})
# include/uapi/linux/netconf.h
NETCONFA_IFINDEX_ALL = -1
NETCONFA_IFINDEX_DEFAULT = -2


# include/net/tcp.h: L1_CACHE_ALIGN(128 + MAX_HEADER), 192 on the recording kernel
# (gso_max_size 192 refused, 193 taken)
MAX_TCP_HEADER = 192

# NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE (<linux/netlink.h>) as plain ints: an
# IntFlag's & and | are Python calls that make a flag each
_REPLACE, _EXCL, _CREATE = 0x100, 0x200, 0x400
_CREATE_EXCL = _CREATE | _EXCL


class Rtnetlink:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

    def link_msg(self, dev: NetDevice, alloc_nsid: bool = True) -> LinkMsg:
        """RTM_NEWLINK for one device (RTM_GETLINK): rtnl_getlink() first runs the
        device's held linkwatch event."""
        if dev.lw_held:
            linkwatch_sync_dev(dev)
        return link_msg(self, dev, alloc_nsid=alloc_nsid)

    def link_entry(self, dev: NetDevice):
        """RTM_GETLINK for one device as ll_index_to_name() asks it: what its ll_map
        entry keeps of the answer (records.link_entry()), the request's side effects
        as link_msg()'s."""
        if dev.lw_held:
            linkwatch_sync_dev(dev)
        return link_entry(self, dev)

    def getlink(self, name: str, sync: bool = True) -> NetDevice | None:
        """RTM_GETLINK by IFLA_IFNAME, as iproute2's ll_name_to_index() sends it to
        resolve `dev NAME`: rtnl_getlink() runs the device's held linkwatch event.
        `sync` False: the name came from ll_init_map()'s dump (tc, ip neigh), which
        runs none."""
        dev = self.by_name(name)
        if sync and dev is not None and dev.lw_held:
            linkwatch_sync_dev(dev)
        if dev is not None:
            # the answer is a full link message: rtnl_fill_link_netnsid() gives the
            # namespace of the device's link an id here
            linked = dev.linked
            if linked is not None and linked.netns is not self and \
                    not (dev.kind == "veth" and dev.peer is None):
                self.peer_id(linked.netns, alloc=True)
        return dev

    def stats_msg(self, dev: NetDevice):
        """RTM_GETSTATS of one device (rtnl_stats_get() / rtnl_stats_dump())."""
        from ipemu.kernel.records_more import StatsMsg
        master = dev.master
        return StatsMsg(dev.ifindex, dev.name, link_msg(self, dev).stats, dev.l3_stats,
                        dev.kind == "bridge",
                        master is not None and master.kind == "bridge")

    def set_l3_stats(self, dev: NetDevice, enable: bool) -> None:
        """RTM_SETSTATS, IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS (rtnl_stats_set():
        netdev_offload_xstats_enable()/_disable()); it only records the request."""
        dev.l3_stats = enable

    def dump_links(self) -> list[LinkMsg]:
        """An RTM_GETLINK dump: every device, in ifindex order."""
        return [link_msg(self, dev) for dev in self.device_list()]

    def link_map(self) -> "LinkMap":
        """ifindex → link record, each made when first asked for (ll_index_to_name()
        sends RTM_GETLINK for one index instead of dumping every link)."""
        return LinkMap(self)

    def addr_msg(self, dev: NetDevice, ifa: Ifa4 | Ifa6) -> AddrMsg:
        return addr_msg(dev, ifa, self.clock.now)

    def dump_addrs_of(self, dev: NetDevice, family: int = 0) -> list[AddrMsg]:
        """An RTM_GETADDR dump filtered by the kernel to one device (IFA_F ifa_index
        with a strict check, as `ip addr show dev` asks for it)."""
        out = []
        if family in (0, 4):
            out += [addr_msg(dev, ifa, self.clock.now) for ifa in dev.ifa4]
        if family in (0, 6):
            out += [addr_msg(dev, ifa, self.clock.now) for ifa in dev.ifa6]
        return out

    def dump_addrs(self, family: int = 0) -> list[AddrMsg]:
        """An RTM_GETADDR dump: each device's IPv4 addresses, then its IPv6 ones, in
        the order of their lists (a family of 0 dumps both)."""
        out = []
        for dev in self.device_list():
            if family in (0, 4):
                out += [addr_msg(dev, ifa, self.clock.now) for ifa in dev.ifa4]
            if family in (0, 6):
                out += [addr_msg(dev, ifa, self.clock.now) for ifa in dev.ifa6]
        return out

    def route_msg(self, route: Route) -> RouteMsg:
        return route_msg(self, route)

    def output4_clone_msg(self, dst: int, table: int, prefsrc, gateway, dev: NetDevice
                          ) -> RouteMsg:
        """rt_fill_info()'s answer to an RTM_GETROUTE whose IPv4 output route is the
        clone of a unicast route's nexthop: the /32 of `dst` (an int), scope universe,
        RTNH_F_LINKDOWN when the device is up without carrier (route_msg() of the
        clone, made at once: 16 fields)."""
        return _route_msg((ipv4_network(dst, 32), table, RTN.UNICAST, Proto.BOOT,
                           Scope.UNIVERSE, 0, 0,
                           prefsrc, gateway, dev.ifindex,
                           _NH_FLAGS[False, bool(dev.admin_up and not dev.carrier)],
                           "medium", (), None, 0, (), 0, None))

    def proc_ipv6_route(self) -> list:
        """/proc/net/ipv6_route: the fib6 tree's entries (ip6_fib.py)."""
        from ipemu.kernel.ip6_fib import proc_ipv6_route
        return proc_ipv6_route(self)

    def subscribe(self, listener) -> None:
        self.listeners.append(listener)

    def unsubscribe(self, listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def _notify(self, rtm: RTM, msg) -> None:
        for listener in list(self.listeners):
            listener.notify(rtm, msg)

    def _notify_link(self, dev: NetDevice, rtm: RTM = RTM.NEWLINK, **changes) -> None:
        """rtmsg_ifinfo(); `changes` set fields the kernel has not caught up with yet
        (a carrier linkwatch has not turned into an operstate yet, a veth that lost its
        peer: IFLA_LINK 0)."""
        if not self.listeners:
            # the message is built all the same: rtnl_fill_link_netnsid() gives the
            # namespace of the device's link an id here (peernet2id_alloc())
            linked = dev.linked
            if changes.get("iflink") is None and linked is not None and \
                    linked.netns is not self:
                self.peer_id(linked.netns, alloc=True)
            return
        iflink = changes.pop("iflink", None)
        msg = link_msg(self, dev, iflink=iflink)
        if changes:
            msg = replace(msg, **changes)
        self._notify(rtm, msg)

    def _notify_addr(self, dev: NetDevice, ifa: Ifa4 | Ifa6, rtm: RTM = RTM.NEWADDR) -> None:
        dev_addr_changed()      # every address added, deleted or changed is announced
        if self.listeners:
            self._notify(rtm, addr_msg(dev, ifa, self.clock.now))

    def _notify_route(self, route: Route, rtm: RTM = RTM.NEWROUTE) -> None:
        if self.listeners:
            self._notify(rtm, route_msg(self, route))

    def notify_fdb_miss(self, dev: NetDevice, mac: bytes) -> None:
        """vxlan_fdb_miss(): an RTM_GETNEIGH of PF_BRIDGE for the MAC no FDB entry
        (nor an all-zeroes one) sends anywhere, STALE, no destination (`ip monitor
        neigh` prints `miss dev vxlan1 lladdr ... STALE`, recorded)."""
        if self.listeners:
            from ipemu.kernel.records_more import NeighMsg
            self._notify(RTM.GETNEIGH, NeighMsg(7, dev.ifindex, None, 0x04, lladdr=mac))

    def notify_neigh(self, n, deleted: bool = False) -> None:
        """neigh_update_notify() / neigh_cleanup_and_release()."""
        if self.listeners:
            self._notify(RTM.DELNEIGH if deleted else RTM.NEWNEIGH, neigh_msg(n))

    def _announce(self, dev: NetDevice) -> None:
        """register_netdevice(): netconf of IPv4 and IPv6 for the new device, then the
        link itself."""
        self.announce_netconf(dev)
        self._notify_link(dev)

    def announce_netconf(self, dev: NetDevice) -> None:
        """NETDEV_REGISTER: inetdev_init() and addrconf announce the device's netconf
        (its first link message waits for rtnl_configure_link())."""
        if self.listeners:
            for family in (4, 6):
                self._notify(RTM.NEWNETCONF, netconf_msg(self, dev, family))

    def dump_netconf(self, family: int) -> list[NetconfMsg]:
        """RTM_GETNETCONF dump of one family (inet_netconf_dump_devconf(),
        inet6_netconf_dump_devconf()): every device, then "all" and "default"."""
        from ipemu.kernel.addrconf import has_inet6_dev
        # a device without an inet6_dev (an MTU under 1280) has no IPv6 devconf
        msgs = [netconf_msg(self, dev, family)
                for dev in sorted(self.device_list(), key=lambda d: d.ifindex)
                if family != 6 or has_inet6_dev(dev)]
        msgs.append(netconf_msg(self, "all", family, NETCONFA_IFINDEX_ALL))
        msgs.append(netconf_msg(self, "default", family, NETCONFA_IFINDEX_DEFAULT))
        return msgs

    def notify_link(self, dev: NetDevice) -> None:
        self._notify_link(dev)

    # ------------------------------------------------------------ link requests
    def new_link(self, req: LinkRequest) -> None:
        """__rtnl_newlink(): policy, the device named (by index or name), the kind's
        validate(); an existing device is refused with EXCL or REPLACE, else changed
        (do_setlink()); a missing one is created only with CREATE."""
        # IFNAMSIZ counts bytes (a name may hold any byte but '/', ':' and blanks)
        if req.ifname is not None and \
                len(req.ifname.encode("utf-8", "surrogateescape")) >= IFNAMSIZ:
            raise KernelError(Errno.EINVAL, "Attribute failed policy validation")
        if req.gso_max_size is not None and req.gso_max_size <= MAX_TCP_HEADER:
            # ifla_policy[IFLA_GSO_MAX_SIZE]: NLA_POLICY_MIN(NLA_U32, MAX_TCP_HEADER + 1)
            raise KernelError(Errno.ERANGE, "integer out of range")
        if req.ifindex < 0:
            raise KernelError(Errno.EINVAL, "ifindex can't be negative")
        link_specified = req.ifindex > 0 or req.ifname is not None
        # `ip link add` (CREATE|EXCL) looks the name up where the device is to be
        # made (Linux 6.18: device_net is tgt_net then); anything else here
        where = (self.resolve_netns(req) or self) \
            if int.__int__(req.flags) & _CREATE_EXCL == _CREATE_EXCL else self
        dev = where.by_index(req.ifindex) if req.ifindex > 0 else \
            where.by_name(req.ifname) if req.ifname is not None else None
        self._validate_linkmsg(dev, req)
        kind = req.linkinfo.kind if req.linkinfo is not None else None
        if kind is not None and kind.endswith("_slave"):
            # IFLA_INFO_SLAVE_KIND (iplink_modify(): a `type X_slave`): no kind of
            # the device's own; its data goes to the master's slave_changelink()
            return self._slave_changelink(dev, req)
        ops = LINK_OPS.get(kind) if kind is not None else None
        if ops is not None and kind in self.kernel.get("missing_drivers", []):
            ops = None        # request_module() finds no driver on this machine
        if ops is not None and ops.module_load is not None:
            ops.module_load(self, kind)   # request_module(): its pernet init runs
        if ops is not None:
            ops.validate(req)
        link_net = None
        if req.link_netnsid is not None:
            # rtnl_newlink(): get_net_ns_by_id() in the device's namespace
            link_net = where.ns_by_id(req.link_netnsid)
            if link_net is None:
                raise KernelError(Errno.EINVAL, "Unknown network namespace id")
        flags = int.__int__(req.flags)
        if dev is not None:
            if flags & _EXCL:
                raise KernelError(Errno.EEXIST)
            if flags & _REPLACE:
                raise KernelError(Errno.EOPNOTSUPP)
            if req.linkinfo is not None and req.linkinfo.data is not None:
                if ops is None or ops.kind != dev.kind or ops.changelink is None:
                    raise KernelError(Errno.EOPNOTSUPP)
                ops.changelink(self, dev, req)
            self.do_setlink(dev, req)
            return
        if not flags & _CREATE:
            if not link_specified and req.group is not None:
                # rtnl_group_changelink(): every device of the group, one by one, in
                # the one request (rtnl held throughout: a linkwatch run it leads to
                # comes after them all, so a bridge opened after its port's peer sees
                # the port as the run leaves it; recorded: case lead42_group_up_bridge)
                # (the runs its members' carrier changes would have at once wait for
                # its end too: their own messages come first, recorded: case
                # lead43_group_up_monitor)
                lw = linkwatch_of(self)
                with rtnl(self):
                    if lw is not None:
                        lw.defer += 1
                    try:
                        for member in self.device_list():
                            if member.group == req.group:
                                self.do_setlink(member, req)
                    finally:
                        if lw is not None:
                            lw.defer -= 1
                return
            raise KernelError(Errno.ENODEV)
        if ops is None:
            raise KernelError(Errno.EOPNOTSUPP, "Unknown device type")
        if req.addrgenmode is not None:
            # IFLA_AF_SPEC on a device being made: inet6's af ops find no inet6_dev
            # for it (recorded on 6.18: EAFNOSUPPORT, and nothing is made)
            raise KernelError(Errno.EAFNOSUPPORT)
        self._newlink_create(req, ops, link_net)

    def _slave_changelink(self, dev: NetDevice | None, req: LinkRequest) -> None:
        """__rtnl_newlink() with IFLA_INFO_SLAVE_DATA: the master's rtnl_link_ops must
        have slave_changelink() (a bridge's: br_port_slave_changelink() -> br_setport(),
        as `bridge link set`), then do_setlink() as usual."""
        if dev is None:
            if req.flags & NLM_F.CREATE:
                raise KernelError(Errno.EOPNOTSUPP, "Unknown device type")
            raise KernelError(Errno.ENODEV)
        if req.flags & NLM_F.EXCL:
            raise KernelError(Errno.EEXIST)
        data = req.linkinfo.data
        if data is not None:
            master = dev.master
            if master is None or master.kind != "bridge":
                raise KernelError(Errno.EOPNOTSUPP)
            from ipemu.kernel.bridge import br_setport
            changes = dict(data.attrs)
            state = changes.pop("state", None)
            backup = None
            if changes.get("backup_port"):
                # br_setport(): IFLA_BRPORT_BACKUP_PORT's device, ENOENT if none
                backup = self.by_index(changes.pop("backup_port"))
                if backup is None:
                    raise KernelError(Errno.ENOENT)
            br_setport(dev, changes, state, backup)
        self.do_setlink(dev, req)

    @staticmethod
    def _validate_gso(tso_max_size: int, req: LinkRequest) -> None:
        """validate_linkmsg(): GSO sizes up to the device's tso_max_size, segments up
        to GSO_MAX_SEGS (its tso_max_segs here), GRO up to GRO_MAX_SIZE (8 * 65535)."""
        if req.gso_max_size is not None and req.gso_max_size > tso_max_size:
            raise KernelError(Errno.EINVAL, "too big gso_max_size")
        if req.gso_max_segs is not None and req.gso_max_segs > 65535:
            raise KernelError(Errno.EINVAL, "too big gso_max_segs")
        if req.gro_max_size is not None and req.gro_max_size > 8 * 65535:
            raise KernelError(Errno.EINVAL, "too big gro_max_size")

    def _validate_linkmsg(self, dev: NetDevice | None, req: LinkRequest) -> None:
        """validate_linkmsg(): addresses shorter than the device's."""
        if dev is not None:
            for value in (req.address, req.broadcast):
                if value is not None and len(value) < len(dev.address):
                    raise KernelError(Errno.EINVAL)
        if dev is not None:
            self._validate_gso(dev.tso_max_size, req)
        if req.addrgenmode is not None and dev is None and req.flags & NLM_F.CREATE:
            # IFLA_AF_SPEC on a new link: inet6_validate_link_af() has no device
            # (recorded for every mode: "Address family not supported by protocol");
            # a group's change (no device, no NLM_F_CREATE) validates each member in
            # its do_setlink(), and a group of none is 0 (recorded, fuzz38)
            raise KernelError(Errno.EAFNOSUPPORT)
        if req.addrgenmode is not None and dev is not None:
            # inet6_validate_link_af(): a device without its inet6_dev (an MTU under
            # 1280 took it) is EAFNOSUPPORT before any mode is looked at (recorded:
            # case tutorials37b_ubuntu_users_mac_change, stable_secret after mtu 68)
            from ipemu.kernel.addrconf import has_inet6_dev
            if not has_inet6_dev(dev):
                raise KernelError(Errno.EAFNOSUPPORT)
        if req.addrgenmode == "stable_secret" and dev is not None and \
                self.stable_secret(dev) is None:
            # inet6_validate_link_af() -> check_stable_privacy() (a device there only):
            # no stable_secret set, the device's nor the default's
            raise KernelError(Errno.EINVAL)

    def resolve_netns(self, req: LinkRequest):
        """rtnl_link_get_net(): IFLA_NET_NS_FD or IFLA_NET_NS_PID, else None."""
        if req.net_ns is not None:
            target = self.host.namespaces.get(req.net_ns) if self.host else None
            if target is None:
                raise KernelError(Errno.EINVAL)
            return target
        if req.net_ns_of_pid is not None:
            return req.net_ns_of_pid
        if req.net_ns_pid is not None:
            # find_get_pid() -> get_net_ns_by_pid(): init (PID 1, the holder of a
            # recorded case's PID namespace) is in the initial namespace; no other
            # process of the simulated host is known here
            if req.net_ns_pid == 1 and self.host is not None:
                return self.host.namespaces[""]
            raise KernelError(Errno.ESRCH)
        return None

    def _newlink_create(self, req: LinkRequest, ops, link_net=None) -> None:
        """rtnl_newlink_create(): rtnl_create_link() checks the MTU, the driver's
        newlink() registers, rtnl_configure_link() applies the flags and sends the
        first link message, then the master; a failure after registration takes the
        device (and a veth's peer) away again."""
        from ipemu.kernel.drivers import check_queues, dev_validate_mtu
        dest = self.resolve_netns(req) or self
        # rtnl_create_link(): validate_linkmsg() on the new device (its driver's
        # tso_max_size) before dev_validate_mtu()
        from ipemu.kernel.netdev import KINDS
        if ops.kind in KINDS:
            self._validate_gso(KINDS[ops.kind].tso_max_size, req)
        if req.mtu is not None:
            dev_validate_mtu(ops.kind, req.mtu)
        check_queues(req)
        if req.ifindex > 0:
            dest.want_ifindex = (req.ifindex, req.ifname)
        try:
            # ops->newlink(link_net ?: net, ...): the link namespace is the source one
            dev = ops.newlink(link_net or self, dest, req)
        finally:
            dest.want_ifindex = None
        # rtnl_create_link(): NET_NAME_ENUM for a name the kernel numbered ("KIND%d"
        # when none was given), NET_NAME_USER else; veth_newlink() judges its peer
        # by the peer's own IFLA_IFNAME the same way
        dev.name_enum = req.ifname is None
        peer_req = getattr(getattr(req.linkinfo, "data", None), "peer", None)
        if dev.peer is not None and dev.kind == "veth":
            dev.peer.name_enum = (peer_req.ifname if peer_req is not None
                                  else None) is None
        try:
            dest._configure_link(dev, req)
            if req.master is not None:
                dest.do_set_master(dev, req.master)
        except KernelError:
            dest.delete_device(dev)
            raise

    def _configure_link(self, dev: NetDevice, req: LinkRequest) -> None:
        """rtnl_configure_link(): the flags asked for, then the device's first
        RTM_NEWLINK (bringing it up sends that message)."""
        self.configure_flags(dev, req.ifi_flags, req.ifi_change)
        if int.__and__(req.ifi_change, req.ifi_flags) & 0x1:     # IFF_UP asked for
            self.set_up(dev, True)
        else:
            self._notify_link(dev)

    def do_setlink(self, dev: NetDevice, req: LinkRequest) -> None:
        """do_setlink(): each attribute in the kernel's order, namespace first, then
        address, MTU, group, name, alias, broadcast, flags, master, carrier, txqlen,
        protodown. Nothing is rolled back: what was applied before a failure stays
        (recorded: `ip link set v1 up mtu 20 address ...` keeps the new address)."""
        self._validate_linkmsg(dev, req)
        ns = self
        target = self.resolve_netns(req)
        # do_setlink(): only a namespace other than the device's is a move (its own is
        # nothing to do, not even the netns_immutable check); PID 1's is the
        # recording host's, another one, though it stands in as the initial one here
        if target is not None and (target is not self or req.net_ns_pid == 1):
            self.move_device(dev, target, pat=req.ifname)
            ns = target
        if req.address is not None:
            ns.set_address(dev, req.address[:len(dev.address)])
            dev.addr_assign_set = True      # dev_set_mac_address(): NET_ADDR_SET
        if req.mtu is not None:
            ns.set_mtu(dev, req.mtu)
        if req.group is not None:
            dev.group = req.group
        # DO_SETLINK_NOTIFY: a group set, then an alias
        status = [req.group is not None]
        try:
            self._setlink_from_name(ns, dev, req, status)
        except KernelError:
            # do_setlink()'s errout: DO_SETLINK_NOTIFY reached before the failure (a
            # group or an alias set) still sends netdev_state_change() (an UP device:
            # NETDEV_CHANGE, RTM_NEWLINK), after what was applied; the error follows
            # (recorded: `ip link set br0 alias uplink carrier on` announces br0 and
            # fails EOPNOTSUPP, fuzz46_setlink_error_notify)
            if status[0]:
                ns._setlink_notify(dev)
            raise

    def _setlink_from_name(self, ns, dev: NetDevice, req: LinkRequest,
                           status: list[bool]) -> None:
        """do_setlink() from IFLA_IFNAME on (`status`: DO_SETLINK_NOTIFY reached)."""
        if req.ifindex > 0 and req.ifname is not None:
            ns.rename(dev, req.ifname)
        if req.ifalias is not None:
            dev.ifalias = req.ifalias       # dev_set_alias(): "" removes it
            status[0] = True
        if req.broadcast is not None:
            dev.broadcast = req.broadcast[:len(dev.address)]
            ns._notify_link(dev)             # NETDEV_CHANGEADDR
            ns.neigh_changeaddr(dev)
            if dev.master is not None and dev.master.kind == "bridge" and ns.listeners:
                # br_device_event(NETDEV_CHANGEADDR): br_fdb_changeaddr() deletes the
                # port's local entry and fdb_add_local() makes it again, its address
                # unchanged (each announced; recorded: `ip monitor neigh`, seed
                # 580022), then the port's AF_BRIDGE message (fuzz46_brport_broadcast,
                # seed 580009). (A bridge sharing the address moves the entry instead:
                # fdb_delete_local(), not modelled here)
                from ipemu.kernel.bridge import (br_fdb_entries, br_ifinfo_notify,
                                                 fdb_born, fdb_notify)
                br = dev.master
                if bytes(br.address) != bytes(dev.address):
                    for msg in br_fdb_entries(br):
                        if msg.ifindex == dev.ifindex and msg.mac == bytes(dev.address) \
                                and msg.state & 0x80:          # NUD_PERMANENT: local
                            fdb_notify(ns, msg, deleted=True)
                            fdb_born(br, [msg.mac])
                            fdb_notify(ns, msg)
                br_ifinfo_notify(ns, dev)
        if req.ifi_change:
            # rtnl_dev_combine_flags(): the bits named in ifi_change, the rest as they are
            current = int.__and__(dev.flags, IFF_NOT_OPER)
            flags = (req.ifi_flags & req.ifi_change) | (current & ~req.ifi_change)
            lw = linkwatch_of(ns) if _notifies_after_flags(dev, req) else None
            if lw is None:
                ns.change_flags(dev, flags)
            else:
                # the linkwatch work a carrier change queues runs when the request lets
                # go of rtnl: the messages of what follows the flags (a master, the
                # queue length, DO_SETLINK_NOTIFY of a group or an alias) come before
                # its runs (recorded: lead45_setlink_order, `ip link set v0 up
                # txqueuelen 500`: NO-CARRIER twice, then the run's UP)
                with rtnl(ns):
                    lw.defer += 1
                    try:
                        ns.change_flags(dev, flags)
                        ns._setlink_after_flags(dev, req)
                    except KernelError:
                        if status[0]:       # errout's, before rtnl lets go
                            ns._setlink_notify(dev)
                            status[0] = False
                        raise
                    finally:
                        lw.defer -= 1
                return
        lw = linkwatch_of(ns) if req.master is not None else None
        if lw is None:
            ns._setlink_after_flags(dev, req)
            return
        # a port leaving its bridge turns the bridge's carrier off in del_nbp()
        # (br_stp_disable_port()); linkwatch's run needs the rtnl this request holds,
        # so br_del_if()'s NETDEV_FEAT_CHANGE message goes first, the carrier not yet
        # in the operstate (recorded: `ip link set v0 nomaster`, FEATURE CHANGE with
        # state UP and no LOWER_UP, then NO-CARRIER; fuzz46_monitor_brport_iflink)
        with rtnl(ns):
            lw.defer += 1
            try:
                ns._setlink_after_flags(dev, req)
            except KernelError:
                if status[0]:
                    ns._setlink_notify(dev)
                    status[0] = False
                raise
            finally:
                lw.defer -= 1

    def _setlink_after_flags(self, dev: NetDevice, req: LinkRequest) -> None:
        """do_setlink() from IFLA_MASTER on."""
        ns = self
        if req.master is not None:
            ns.do_set_master(dev, req.master)
        if req.carrier is not None:
            ns.change_carrier(dev, req.carrier)
        if req.txqlen is not None:
            txqlen = req.txqlen & 0xFFFFFFFF
            if txqlen != dev.txqlen:
                dev.txqlen = txqlen          # NETDEV_CHANGE_TX_QUEUE_LEN
                ns._notify_link(dev)
        from ipemu.kernel.drivers import set_gso_limits
        set_gso_limits(dev, req)        # no notification of their own
        if req.operstate is not None:
            # set_operstate(): UP from DORMANT/TESTING/UNKNOWN (no driver holds the
            # device dormant here); DORMANT or TESTING only from an operational
            # state; a change is announced (netdev_state_change())
            state = dev.operstate
            new = state
            if req.operstate == "UP" and state in ("DORMANT", "TESTING", "UNKNOWN"):
                new = "UP"
            elif req.operstate in ("DORMANT", "TESTING") and state in ("UP", "UNKNOWN"):
                new = req.operstate
            if new != state:
                dev.oper_set = (new, dev.carrier_changes)
                ns._notify_link(dev)
        if req.link_mode is not None:
            dev.link_mode = req.link_mode
        if req.vfinfo:
            # do_setvfinfo(): every IFLA_VF_* needs an ndo_set_vf_* no simulated
            # driver has
            raise KernelError(Errno.EOPNOTSUPP)
        if req.proto_down is not None:
            # do_set_proto_down(): only drivers with dev->change_proto_down (vxlan,
            # macvlan) take it; none of the kinds simulated here
            if dev.kind not in PROTO_DOWN_KINDS:
                raise KernelError(Errno.EOPNOTSUPP, "Protodown not supported by device")
            dev.proto_down = req.proto_down
        if req.addrgenmode is not None:
            # inet6_set_link_af(): idev->cnf.addr_gen_mode, used at the next
            # addrconf_addr_gen(); the addresses there stay as they are. No inet6_dev
            # (an MTU under 1280, maybe set by this same request: IFLA_MTU goes first)
            # is EAFNOSUPPORT
            from ipemu.kernel.addrconf import has_inet6_dev
            if not has_inet6_dev(dev):
                raise KernelError(Errno.EAFNOSUPPORT)
            dev.addrgenmode = req.addrgenmode
        if req.group is not None or req.ifalias is not None or req.addrgenmode is not None:
            ns._setlink_notify(dev)

    def _setlink_notify(self, dev: NetDevice) -> None:
        """do_setlink()'s errout with DO_SETLINK_NOTIFY: netdev_state_change()."""
        ns = self
        if dev.admin_up:
            # DO_SETLINK_NOTIFY (a group or an alias given): netdev_state_change()
            # announces an UP device once more (recorded: monitor/link_set_flags),
            # after NETDEV_CHANGE's notifiers (addrconf resends the MLD reports of a
            # ready device: recorded)
            if dev.master is not None and dev.master.kind == "bridge" and ns.listeners:
                # br_device_event(NETDEV_CHANGE): br_port_carrier_check() changes
                # nothing, so the port's AF_BRIDGE message goes first (recorded,
                # fuzz38_monitor_bridge_fdb)
                from ipemu.kernel.bridge import br_ifinfo_notify
                br_ifinfo_notify(ns, dev)
            ns._netdev_change(dev)
            ns._notify_link(dev)

    def link_prop(self, dev: NetDevice, altnames: list[str], add: bool) -> None:
        """rtnl_linkprop(): RTM_NEWLINKPROP / RTM_DELLINKPROP, each IFLA_ALT_IFNAME in
        turn (what was done before a failure stays); a change is announced by
        netdev_state_change() (an UP device only)."""
        # rtnl_linkprop(): the request is validated whole first; IFLA_ALT_IFNAME's
        # policy is NLA_STRING of at most ALTIFNAMSIZ - 1 (127) bytes
        if any(len(name.encode("utf-8", "surrogateescape")) > 127 for name in altnames):
            raise KernelError(Errno.EINVAL, "Attribute failed policy validation")
        changed = False
        for name in altnames:
            if add:
                # netdev_name_node_alt_create(): any name in use (a device's or an
                # alternative one) is taken
                if name in self._names:
                    raise KernelError(Errno.EEXIST)
                own_list(dev, "altnames").append(name)
                self._names[name] = dev
            else:
                # netdev_name_node_alt_destroy(): unknown ENOENT; a device's own name, or
                # another device's altname, EINVAL
                owner = self._names.get(name)
                if owner is None:
                    raise KernelError(Errno.ENOENT)
                if owner is not dev or name == dev.name:
                    raise KernelError(Errno.EINVAL)
                dev.altnames.remove(name)
                del self._names[name]
            changed = True
        if changed and dev.admin_up:
            self._notify_link(dev)

    def do_set_master(self, dev: NetDevice, ifindex: int) -> None:
        """do_set_master(): the old master lets go first (ndo_del_slave), then the new
        one must exist (EINVAL) and take slaves (ndo_add_slave: bridges only here)."""
        if dev.master is not None:
            if dev.master.ifindex == ifindex:
                return
            self.set_master(dev, None)
        if ifindex:
            upper = self.by_index(ifindex)
            if upper is None:
                raise KernelError(Errno.EINVAL)
            self.set_master(dev, upper)

    def del_link(self, req: LinkRequest) -> None:
        """rtnl_dellink(): one device by index or name, or every device of a group
        (rtnl_group_dellink(): not group 0, and every one must be deletable)."""
        dev = self.by_index(req.ifindex) if req.ifindex > 0 else \
            self.by_name(req.ifname) if req.ifname is not None else None
        if dev is not None:
            self.delete_device(dev)
            return
        if req.ifindex > 0 or req.ifname is not None:
            raise KernelError(Errno.ENODEV)
        if req.group is None:
            raise KernelError(Errno.EINVAL)
        if not req.group:
            raise KernelError(Errno.EPERM)
        members = [d for d in self.device_list() if d.group == req.group]
        if not members:
            raise KernelError(Errno.ENODEV)
        if any(d.kind in ("loopback", "ether") for d in members):
            raise KernelError(Errno.EOPNOTSUPP)     # no rtnl_link_ops->dellink
        for member in members:
            if member.ifindex in self.devices:
                self.delete_device(member)


def _notifies_after_flags(dev: NetDevice, req: LinkRequest) -> bool:
    """Whether do_setlink() announces something after the flags: a master, a carrier,
    a new queue length, an operstate, or DO_SETLINK_NOTIFY (a group, an alias, an
    address generation mode)."""
    return (req.master is not None or req.carrier is not None
            or (req.txqlen is not None and req.txqlen & 0xFFFFFFFF != dev.txqlen)
            or req.operstate is not None or req.group is not None
            or req.ifalias is not None or req.addrgenmode is not None)


_dict_get = dict.get


class LinkMap(dict):
    """A link cache filled on demand (lib/ll_map.c): `get(ifindex)` answers with the
    ll_map entry (records.LlEntry: index, name, flags) of a device of the namespace,
    asked for the first time it is needed."""

    def __init__(self, ns) -> None:
        super().__init__()
        self._ns = ns

    def get(self, ifindex, default=None):
        msg = _dict_get(self, ifindex)        # a record is never None
        if msg is not None:
            return msg
        dev = self._ns.devices.get(ifindex)
        if dev is None:
            return default
        msg = self[ifindex] = self._ns.link_entry(dev)
        return msg

    def __contains__(self, ifindex) -> bool:
        return dict.__contains__(self, ifindex) or ifindex in self._ns.devices

    def __missing__(self, ifindex):
        msg = self.get(ifindex)
        if msg is None:
            raise KeyError(ifindex)
        return msg
