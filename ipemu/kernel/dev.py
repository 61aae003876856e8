"""Devices of a namespace (net/core/dev.c and the drivers' newlink): create, delete,
move to another namespace, open and close, carrier, MTU, MAC, name, bridge ports; veth,
bridge and 802.1Q VLAN devices; and the netdevice events the other parts react to."""
from __future__ import annotations

import ipaddress

from ipemu.kernel.addr import IFAPROT_KERNEL_LO, Ifa6, insert_ifa6
from ipemu.kernel.addrconf import IPV6_MIN_MTU
from ipemu.kernel.bridge import (BrPortConf, br_add_if_notify, br_del_if_notify,
                                 br_fdb_disable_port,
                                 br_gc_sync, br_ifinfo_notify, br_nostp_sync, port_cost)
from ipemu.kernel.br_mdb import br_multicast_disable_port, br_rport_off
from ipemu.kernel.bridge import NUD_NOARP, NUD_PERMANENT, BrState, port_state
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import RTN, TABLE_MAIN, Proto, Route, Scope
from ipemu.kernel.link_watch import (linkwatch_of, linkwatch_operstate,
                                     linkwatch_urgent_event, rtnl, veth_carrier_off)
from ipemu.kernel.mcast import mc_sync
from ipemu.kernel.nexthop import nexthop_flush_dev
from ipemu.kernel.netdev import (NO_ROUTES, ETH_P_8021AD, ETH_P_8021Q, IFF, IFF_NOT_OPER,
                                 IFF_USER_CHANGEABLE, KINDS, MACVLAN_MODE_PASSTHRU, NetDevice,
                                 VlanPriv,
                                 dev_addr_changed, own_list)
from ipemu.kernel.records import NetconfMsg, RTM

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.kernel.netns import NetNamespace

# dev_change_flags()'s masks as ints, each the value the IFF operation gives (an IFF
# operation is a Python call; a `link set up` made ten of them)
_USER_CHANGEABLE = int(IFF_USER_CHANGEABLE)
_KEEP_BASE = int(~IFF_USER_CHANGEABLE)
_USER_GFLAGS = int(IFF.PROMISC | IFF.ALLMULTI)
_KEEP_GFLAGS = int(~(IFF.PROMISC | IFF.ALLMULTI))



def dev_valid_name(name: str) -> bool:
    """dev_valid_name() (net/core/dev.c): 1-15 bytes, not "." or "..", no '/', ':'
    or whitespace (isspace())."""
    if not name or len(name.encode("utf-8", "surrogateescape")) >= 16 or name in (".", ".."):
        return False
    return not any(c in "/: \t\n\v\f\r" for c in name)


_OPER_UP = ("UP", "UNKNOWN")     # netif_oper_up()


class Dev:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

    def random_mac(self) -> bytes:
        """eth_random_addr(): random, unicast, locally administered."""
        draw = self.rng.getrandbits
        raw = bytearray([draw(8), draw(8), draw(8), draw(8), draw(8), draw(8)])
        raw[0] = (raw[0] & 0xFE) | 0x02
        return bytes(raw)

    def create_device(self, name: str, kind: str, *, address: bytes | None = None,
                      broadcast: bytes | None = None, mtu: int | None = None,
                      txqlen: int | None = None, ifindex: int | None = None,
                      announce: bool = True) -> NetDevice:
        if not dev_valid_name(name):
            raise KernelError(Errno.EINVAL)     # dev_get_valid_name(), before the lookup
        if self.by_name(name) is not None:
            raise KernelError(Errno.EEXIST)
        if ifindex is not None and ifindex in self.devices:
            raise KernelError(Errno.EBUSY)
        info = KINDS[kind]
        want = self.want_ifindex
        if ifindex is None and want is not None and want[1] == name:
            # rtnl_create_link(): the index asked for; dev_index_reserve() takes it as
            # is (EBUSY when taken) and leaves the counter of free indexes alone
            ifindex = want[0]
            if ifindex in self.devices:
                raise KernelError(Errno.EBUSY)
        if ifindex is None:
            ifindex = self._new_ifindex()
        dev = NetDevice(
            # a plain str: a tool's word (syntax.Word) carries a dict the device
            # would keep for its lifetime
            ifindex=ifindex, name=str(name), info=info,
            address=address if address is not None else self.random_mac(),
            broadcast=broadcast if broadcast is not None else b"\xff" * 6,
            mtu=mtu if mtu is not None else info.mtu,
            txqlen=txqlen if txqlen is not None else self.kernel.get(f"{kind}_txqlen",
                                                                       info.txqlen),
            addr_assign_random=address is None,
            addr_set_by_user=address is not None,
        )
        dev.netns = self
        dev.tso_max_size = info.tso_max_size
        dev.up_qdisc = info.up_qdisc
        # netif_carrier_off() at registration counts as the first carrier change
        # (a vxlan device never touches its carrier: vxlan_newlink() leaves it on; nor
        # does an ifb: ifb_setup() only, recorded 0, fuzz38_bridge_stp_carrier; nor a
        # bridge, which starts with it until br_port_state_selection() takes it; nor a
        # macvlan, whose lower's state is copied before it is registered: recorded, 0
        # changes each)
        dev.carrier_changes = 0 if kind in ("loopback", "vxlan", "bridge", "ifb",
                                            "macvlan", "macvtap") else 1
        if kind in ("loopback", "dummy", "ifb"):
            dev.carrier = True   # dummy_setup(), ifb_setup(): always "connected"
        self._list_netdevice(dev)
        self.conf_new_device(dev)
        self._rx_queue_default_mask(dev)
        if announce:
            self._announce(dev)
        return dev

    def _rx_queue_default_mask(self, dev) -> None:
        """rx_queue_add_kobject() -> rx_queue_default_mask() (net/core/net-sysfs.c): a
        device registered in this namespace starts each receive queue's rps_cpus at the
        namespace's net.core.rps_default_mask (netns_core, 0 in a new namespace); a
        device moved in later keeps its queues (recorded: `ip link add name va type veth
        peer netns n1 name va` after `echo 3 > .../rps_default_mask` reads 3 here, 0 in
        n1)."""
        cpus = int(getattr(self, "host", None).kernel.get("nr_cpus", 1)) \
            if getattr(self, "host", None) is not None else 1
        # netdev_rx_queue_set_rps_mask(): the CPUs of the mask that are online
        mask = int(self.sysctls.get("net.core.rps_default_mask", "0") or "0", 16) \
            & ((1 << cpus) - 1)
        if mask:
            from ipemu.kernel.sch_api import dev_real_numrxqueues
            for n in range(dev_real_numrxqueues(dev)):
                dev.queue_conf[f"rx-{n}/rps_cpus"] = mask

    def _alloc_name_pattern(self, pattern: str) -> str:
        """__dev_alloc_name(): one "%d" and no other '%' (EINVAL), the lowest number
        whose name no device (nor altname) has."""
        p = pattern.index("%")
        if pattern[p + 1:p + 2] != "d" or "%" in pattern[p + 2:]:
            raise KernelError(Errno.EINVAL)
        for n in range(32768):
            name = pattern.replace("%d", str(n), 1)
            if self.by_name(name) is None:
                if not dev_valid_name(name):
                    raise KernelError(Errno.EINVAL)
                return name
        raise KernelError(Errno.ENFILE)

    def _new_ifindex(self) -> int:
        """dev_index_reserve(): the next free index after the last one handed out."""
        ifindex = self.next_ifindex
        while ifindex in self.devices:
            ifindex += 1
        self.next_ifindex = ifindex + 1
        return ifindex

    def add_veth(self, name: str, peer_name: str, *, address: bytes | None = None,
                 peer_address: bytes | None = None, mtu: int | None = None,
                 peer_mtu: int | None = None, peer_ns: "NetNamespace | None" = None
                 ) -> NetDevice:
        """veth_newlink(): the peer is registered first (in its own namespace when
        `peer netns X` is given), so it gets the lower ifindex."""
        peer_ns = peer_ns or self
        if (peer_ns is self and name == peer_name) or self.by_name(name) is not None or \
                peer_ns.by_name(peer_name) is not None:
            raise KernelError(Errno.EEXIST)
        if dev_valid_name(peer_name) and not dev_valid_name(name):
            # veth_newlink(): the peer was registered (its ifindex spent) before
            # register_netdevice() refused this name
            self._new_ifindex()
        peer = peer_ns.create_device(peer_name, "veth", address=peer_address, mtu=peer_mtu)
        dev = self.create_device(name, "veth", address=address, mtu=mtu, announce=False)
        dev.peer, peer.peer = peer, dev
        if peer_ns is not self:
            self.peer_id(peer_ns, alloc=True)
            peer_ns.peer_id(self, alloc=True)
        veth_carrier_off(self, peer, dev)
        self._announce(dev)
        return dev

    def add_bridge(self, name: str, *, address: bytes | None = None, mtu: int | None = None) -> NetDevice:
        return self.create_device(name, "bridge", address=address, mtu=mtu)

    def add_vlan(self, name: str, lower: NetDevice | None, vid: int | None,
                 protocol: int = ETH_P_8021Q, *, address: bytes | None = None,
                 mtu: int | None = None, announce: bool = True) -> NetDevice:
        """vlan_validate(), then vlan_newlink() and vlan_check_real_dev() (net/8021q):
        the device takes the lower one's MAC (stolen), broadcast, flags and MTU."""
        if protocol not in (ETH_P_8021Q, ETH_P_8021AD):
            raise KernelError(Errno.EPROTONOSUPPORT, "8021q: Invalid VLAN protocol")
        if vid is not None and vid >= 4095:
            raise KernelError(Errno.ERANGE, "8021q: Invalid VLAN id")
        if self.by_name(name) is not None:
            raise KernelError(Errno.EEXIST)
        if mtu is not None and mtu > 65535:
            raise KernelError(Errno.EINVAL, "mtu greater than device maximum")
        if vid is None:
            raise KernelError(Errno.EINVAL, "8021q: VLAN id not specified")
        if lower is None:
            raise KernelError(Errno.EINVAL, "8021q: link not specified")
        if lower.kind == "loopback":      # NETIF_F_VLAN_CHALLENGED
            raise KernelError(Errno.EOPNOTSUPP, "8021q: VLANs not supported on device")
        if any(v.vlan.vlan_id == vid and v.vlan.vlan_proto == protocol for v in lower.vlans):
            raise KernelError(Errno.EEXIST, "8021q: VLAN device already exists")
        if mtu is not None and mtu > lower.mtu:
            raise KernelError(Errno.EINVAL)
        dev = self.create_device(name, "vlan", address=address or lower.address,
                                 broadcast=lower.broadcast,
                                 mtu=mtu if mtu is not None else lower.mtu, announce=False)
        dev.addr_assign_random = False
        dev.addr_set_by_user = address is not None   # NET_ADDR_SET, else NET_ADDR_STOLEN
        dev.lower = lower
        dev.vlan = VlanPriv(vid, protocol)
        dev.tso_max_size = lower.tso_max_size
        dev.own_flags = lower.flags & ~(IFF.UP | IFF.RUNNING | IFF.LOWER_UP | IFF.PROMISC |
                                        IFF.ALLMULTI | IFF.MASTER | IFF.SLAVE | IFF.LOOPBACK)
        dev.carrier = lower.carrier
        own_list(lower, "vlans").append(dev)
        if announce:
            self._announce(dev)
        return dev

    def delete_device(self, dev: NetDevice) -> None:
        if dev.kind == "loopback":
            raise KernelError(Errno.EOPNOTSUPP)
        victims = [dev] + ([dev.peer] if dev.peer is not None else [])
        # macvlan_dellink(), vxlan_dellink(): netdev_upper_dev_unlink() from the lower
        # first (NETDEV_CHANGEUPPER: its RTM_NEWLINK before anything of the device's)
        upper_of = dev.lower if dev.macvlan is not None else \
            dev.vxlan.link_net.by_index(dev.vxlan.link) \
            if dev.vxlan is not None and dev.vxlan.link and dev.vxlan.link_net else None
        if upper_of is not None and upper_of not in victims:
            upper_of.netns.notify_link(upper_of)
        # a device going away takes its VLANs with it (NETDEV_UNREGISTER), and theirs
        from ipemu.kernel.vxlan import socket_devices
        for victim in victims:
            ipvlans = victim.ipvlan_port.ipvlans if victim.ipvlan_port is not None else []
            # vxlan_handle_lowerdev_unregister(): the vxlan devices of its namespace
            # bound to it (`dev D`, remote_ifindex) are deleted with it
            vxlans = [d for d in socket_devices(victim.netns)
                      if d.vxlan.link == victim.ifindex]
            victims += [v for v in (*victim.vlans, *victim.macvlans, *ipvlans, *vxlans)
                        if v not in victims]
        # unregister_netdevice_many(): a veth pair has lost its peers (IFLA_LINK 0),
        # all go down first (one message each, no linkwatch), then each goes away
        unlinked = {id(v): 0 for v in victims if v.kind == "veth"}
        if dev.kind == "bridge":
            # rtnl_dellink() -> br_dev_delete(): del_nbp() for each port before the
            # bridge is unregistered (and closed)
            fdb_before = self._br_fdb_snapshot(dev)
            for port in list(dev.ports):
                self.set_master(port, None, br_deleted=True)
        # the macvlans and vxlans of a device are deleted by their drivers' notifier
        # (NETDEV_UNREGISTER: macvlan_device_event(), vxlan_handle_lowerdev_unregister())
        # once the device itself is closed: each closes then (its message shows the
        # lower down, M-DOWN) and goes before the device's RTM_DELLINK; the carrier its
        # lower's close took from it waits for linkwatch, which finds it gone (recorded)
        nested = {id(v): [u for u in [*v.macvlans, *[d for d in victims if d.vxlan is not None
                                                      and d.vxlan.link == v.ifindex
                                                      and d.netns is v.netns]]
                          if u in victims]
                  for v in victims}
        inner = {id(u) for ups in nested.values() for u in ups}
        for victim in victims:
            # (the linkdown its routes had before: a peer's carrier lost in this very
            # unregister has no NETDEV_CHANGE to store it)
            victim.closing_linkdown = victim.admin_up and not victim.carrier
            if id(victim) in inner and victim.macvlan is not None:
                victim.carrier = False      # netif_stacked_transfer_operstate(), unseen
        for victim in victims:
            if id(victim) not in inner and victim.admin_up:
                victim.netns._close(victim, linkwatch=False, iflink=unlinked.get(id(victim)))

        def unregister(victim) -> None:
            for upper in nested.get(id(victim), ()):
                if upper.ifindex in upper.netns.devices:
                    if upper.admin_up:
                        upper.netns._close(upper, linkwatch=False)
                    unregister(upper)
            victim.netns._unregister(victim, iflink=unlinked.get(id(victim)))

        for victim in victims:
            if id(victim) not in inner and victim.ifindex in victim.netns.devices:
                unregister(victim)
        if dev.kind == "bridge" and fdb_before is not None:
            # br_dev_delete(): the ports' entries, then the bridge's own
            from ipemu.kernel.bridge import br_fdb_changes_notify
            br_fdb_changes_notify(self, dev, *fdb_before)

    def unregister(self, victim: NetDevice, iflink: int | None = None,
                   notify_link: bool = True) -> None:
        """unregister_netdevice(): a device that never had its first link message
        (rtnl_link_state still INITIALIZING) goes without an RTM_DELLINK."""
        self._unregister(victim, iflink, notify_link)

    def _unregister(self, victim: NetDevice, iflink: int | None = None,
                    notify_link: bool = True) -> None:
        if victim.admin_up:
            self._close(victim)
        # inetdev_destroy(): each address is deleted as by hand (with its notifications)
        while self.ifa4(victim):
            self.del_ifa4(victim, self.ifa4(victim)[0])
        if victim.lower is not None and victim in victim.lower.vlans:
            victim.lower.vlans.remove(victim)
        if victim.lower is not None and victim in victim.lower.macvlans:
            victim.lower.macvlans.remove(victim)
            lower = victim.lower
            if not lower.macvlans and victim.macvlan is not None and \
                    victim.macvlan.mode == MACVLAN_MODE_PASSTHRU and \
                    lower.macvlan_perm_addr and lower.address != lower.macvlan_perm_addr:
                # macvlan_uninit() -> macvlan_port_destroy(): a passthru port gives
                # its lower device back the address it had (port->perm_addr)
                # (recorded: eth0 02:..:01 again after the passthru macvlan's 02:..:99)
                lower.netns.set_address(lower, lower.macvlan_perm_addr)
        if victim.is_ipvlan and victim in victim.lower.ipvlan_port.ipvlans:
            victim.lower.ipvlan_port.ipvlans.remove(victim)
        for port in list(victim.ports):      # a bridge's, vrf's or bond's ports let go
            self.set_master(port, None)
        if victim.master is not None:
            self.set_master(victim, None, registered=False, iflink=iflink)
        self._flush_routes_of(victim, everything=True)
        dev_addr_changed()
        victim.ifa4.clear()
        victim.ifa6.clear()
        if self._stack is not None:
            self.stack.arp.flush_dev(victim.ifindex)
            self.stack.nd.flush_dev(victim.ifindex)
            self.pneigh_ifdown(4, victim.ifindex)
            self.pneigh_ifdown(6, victim.ifindex)
            self.stack.taps_unregister(victim)
            from ipemu.kernel.snmp import forget_dev6
            forget_dev6(self.stack, victim.ifindex)     # its inet6_dev's counters
        if self.listeners:
            for family in (4, 6):
                self._notify(RTM.DELNETCONF, NetconfMsg(family, victim.ifindex))
            # dev_shutdown() left it without a qdisc
            if notify_link:
                self._notify_link(victim, RTM.DELLINK, iflink=iflink, qdisc="noop")
        self.conf_drop_device(victim.name)
        self._unlist_netdevice(victim)

    def destroy(self) -> None:
        """The namespace goes away: its devices are unregistered (a veth takes its peer
        with it)."""
        for dev in self.device_list():
            if dev.ifindex in self.devices and dev.kind != "loopback":
                self.delete_device(dev)

    def move_device(self, dev: NetDevice, target: "NetNamespace",
                    pat: str | None = None) -> None:
        """__dev_change_net_namespace(): the device goes down, loses its addresses and
        routes, and reappears in the target, keeping its ifindex if it is free there;
        a name taken there is refused unless a new one (pat) is given."""
        if dev.kind in ("loopback", "vrf", "bond", "bridge") or \
                dev.tnl is not None and dev.tnl.fallback:
            # dev->netns_immutable (NETIF_F_NETNS_LOCAL): lo, br_dev_setup(),
            # vrf_setup(), bond_setup(), a tunnel module's fallback device
            # (ip_tunnel_init_net()); checked before "nothing to do" (recorded: lo and
            # a bridge)
            raise KernelError(Errno.EINVAL, "The interface netns is immutable")
        if target is self:
            return
        # rtnl is held throughout __dev_change_net_namespace(): the veth peer's
        # carrier event (veth_close()) is urgent and its work is queued at once, but it
        # runs only when the move lets go of rtnl, so the peer's RTM_NEWLINK follows the
        # DELLINK and already names the moved end by index (recorded on 6.18:
        # tutorials44b_nskhuman_ip_monitor_netns_ru: `v0@if2 ... link-netns x`, state DOWN)
        lw = linkwatch_of(self)
        with rtnl(self):
            if lw is not None:
                lw.defer += 1
            try:
                self._move_device(dev, target, pat)
            finally:
                if lw is not None:
                    lw.defer -= 1

    def _move_device(self, dev: NetDevice, target: "NetNamespace",
                     pat: str | None) -> None:
        new_name = None
        if target.by_name(dev.name) is not None:
            if pat is None:
                raise KernelError(Errno.EEXIST,
                                  "An interface with the same name exists in the target netns")
            if target.by_name(pat) is not None:
                raise KernelError(Errno.EEXIST)
            new_name = pat      # dev_prep_valid_name(): taken on only after the checks
        for alt in dev.altnames:
            # __dev_change_net_namespace(): "Check that none of the altnames
            # conflicts" (Linux 6.8 on; recorded on the oracle's kernel)
            if target.by_name(alt) is not None:
                raise KernelError(Errno.EEXIST,
                                  f"An interface with the altname {alt} exists in the target netns")
        renamed_from: tuple[str, ...] = ()
        if new_name is not None:
            old = dev.name
            dev.name = new_name
            self._renamed(dev, old)
            renamed_from = (old,)
        peer = dev.peer if dev.kind == "veth" else None
        peer_lost = peer is not None and peer.carrier and dev.admin_up
        if dev.admin_up:
            self._close(dev)
        # a port leaves its master in NETDEV_UNREGISTER (br_device_event() ->
        # br_del_if()), after dev_shutdown() and inetdev's notifier (recorded: its
        # link message says `qdisc noop` and follows the netconf deletions)
        port_of = dev.master
        if port_of is not None:
            self._unregister_shutdown(dev)
        else:
            self._unregister_inet(dev)
        new_ifindex = target._new_ifindex() if dev.ifindex in target.devices else dev.ifindex
        if port_of is None:
            self._unregister_shutdown(dev)
        if self.listeners:
            for family in (4, 6):
                self._notify(RTM.DELNETCONF, NetconfMsg(family, dev.ifindex))
        if port_of is not None:
            self.set_master(dev, None)
            self._unregister_inet(dev)
        # peernet2id_alloc() after NETDEV_UNREGISTER's netconf messages (recorded: ip
        # monitor all prints the NSID between them and the DELLINK)
        nsid = self.peer_id(target, alloc=True)
        if self.listeners:
            # rtmsg_ifinfo_newnet(): where it goes, and under which index
            self._notify_link(dev, RTM.DELLINK, new_netnsid=nsid, new_ifindex=new_ifindex)
        self.conf_drop_device(dev.name, *renamed_from)
        self._unlist_netdevice(dev)
        dev.ifindex = new_ifindex
        target._list_netdevice(dev)
        dev.netns = target
        target.conf_new_device(dev)
        # NETDEV_REGISTER there, then its RTM_NEWLINK, whose filling gives the peer's
        # namespace an id in the target (after the netconf messages: recorded, ip
        # monitor all-nsid); the peer's own namespace gets an id for the target only
        # when it next fills a message about the peer (recorded: after `ip -n ns1 link
        # set veth1 netns ns2`, `ip netns list` in the peer's namespace shows ns2
        # without an id until `ip link show veth0` there)
        target._announce(dev)
        if peer_lost and not peer.carrier and not peer.lw_held:
            # veth_close()'s event for the peer runs once the move lets go of rtnl:
            # default_operstate() then looks up the moved device by index in the
            # peer's namespace and finds it gone (DOWN, not LOWERLAYERDOWN)
            linkwatch_operstate(peer)

    def _unregister_inet(self, dev: NetDevice) -> None:
        """NETDEV_UNREGISTER: inetdev_destroy() deletes each address as by hand, the
        routes through the device go, its neighbours and packet sockets too."""
        while self.ifa4(dev):
            self.del_ifa4(dev, self.ifa4(dev)[0])
        self._flush_routes_of(dev, everything=True)
        dev_addr_changed()
        dev.ifa4.clear()
        dev.ifa6.clear()
        # addrconf_ifdown(dev, true): the inet6_dev goes with its token (ipv6_add_dev()
        # in the target makes one without: recorded, `ip -n red token` shows ::)
        dev.ipv6_token = 0
        if self._stack is not None:
            self.stack.arp.flush_dev(dev.ifindex)
            self.stack.nd.flush_dev(dev.ifindex)
            self.pneigh_ifdown(4, dev.ifindex)
            self.pneigh_ifdown(6, dev.ifindex)
            self.stack.taps_unregister(dev)       # NETDEV_UNREGISTER here too
            from ipemu.kernel.snmp import forget_dev6
            forget_dev6(self.stack, dev.ifindex)  # addrconf_ifdown(): a new inet6_dev there

    def _unregister_shutdown(self, dev: NetDevice) -> None:
        """dev_shutdown(): no qdisc until it is up again, and what tc attached is gone."""
        dev.qdisc = "noop"
        if dev.sch is not None:
            from ipemu.kernel.sch_api import dev_tc_shutdown
            dev_tc_shutdown(dev, self.clock.now)

    def set_up(self, dev: NetDevice, up: bool) -> None:
        if up and not dev.admin_up:
            if dev.kind == "vlan" and not dev.lower.admin_up:
                raise KernelError(Errno.ENETDOWN)       # vlan_dev_open()
            if dev.kind == "veth" and dev.peer is None:
                raise KernelError(Errno.ENOTCONN)       # veth_open(): no peer yet
            self._open(dev)
        elif not up and dev.admin_up:
            self._close(dev)
        else:
            return
        if dev.bond_slave is not None:          # the bond's link monitor sees it
            from ipemu.kernel.bond import bond_slave_changed
            bond_slave_changed(self, dev)

    def _open(self, dev: NetDevice) -> None:
        with rtnl(self):
            self._dev_open(dev)

    def _dev_open(self, dev: NetDevice) -> None:
        # ndo_open() switches a veth's carrier on before dev_activate() attaches the
        # qdisc: linkwatch_urgent_event() sees the qdisc as it was then
        was_changing = dev.qdisc != "noop" and not dev.qdisc_active
        if dev.is_ipvlan:
            from ipemu.kernel.ipvlan import ipvlan_open
            ipvlan_open(dev)
        if dev.macvlan is not None and dev.lower is not None:
            from ipemu.kernel.macvlan import addr_busy
            if addr_busy(dev.lower, dev.address):
                # macvlan_open(): another open macvlan of the port, or the lower
                # device, has the address (recorded: EADDRINUSE)
                raise KernelError(Errno.EADDRINUSE)
        dev.admin_up = True
        if dev.qdisc == "noop":
            dev.qdisc = dev.up_qdisc
        changed = []
        bridge_on = False
        if dev.kind == "veth" and dev.peer is not None and dev.peer.admin_up:
            changed = [dev, dev.peer]
        elif dev.kind == "bridge":
            if dev.lw_ran and not dev.carrier:
                # a linkwatch event stored the bridge's carrier-off while it was down
                # (its id changed: br_port_state_selection()); br_dev_open() ->
                # br_stp_enable_bridge() turns it on again through linkwatch, and until
                # that event runs the operstate is still DOWN (NO-CARRIER, LOWER_UP)
                bridge_on = self._bridge_carrier(dev)
            else:
                dev.carrier = self._bridge_carrier(dev)
        elif dev.kind == "ether":
            dev.carrier = dev.link_carrier
        elif dev.kind in ("dummy", "ifb"):
            dev.carrier_changes = 0
        elif dev.kind == "vlan":
            if not dev.addr_set_by_user:
                dev.address = dev.lower.address    # a stolen address follows the lower
            dev.carrier = dev.lower.carrier
        # dev_open()'s message: a veth has switched the carrier on, but linkwatch has not
        # yet made the operstate follow (no RUNNING); __dev_notify_flags() sends it
        # before NETDEV_UP's notifiers (fib_netdev_event(): the address's routes)
        if self.listeners:          # (the flags are worked out only for a listener)
            self._notify_link(dev, flags=dev.flags | IFF.LOWER_UP) if changed else \
                self._notify_link(dev)
        if dev.kind == "loopback":
            # inetdev_event(NETDEV_UP): 127.0.0.1/8, announced after the link message
            self._loopback_up(dev)
        # veth_open() turned the carrier on before NETDEV_UP: fib_add_ifaddr()'s routes
        # are made without RTNH_F_LINKDOWN (fib_check_nh(): netif_carrier_ok())
        for d in changed:
            d.carrier_opening = True
        try:
            self._netdev_up(dev)
        finally:
            for d in changed:
                d.carrier_opening = False
        if dev.vxlan is not None:
            self._vxlan_lower_sync(dev)         # vxlan_open(): vxlan_igmp_join()
        if _bridge_port(dev):
            # br_device_event(NETDEV_UP): a veth's carrier is on already (LOWER_UP),
            # its operstate not yet (recorded, lead40_brport_down_order)
            br_ifinfo_notify(self, dev, flags=dev.flags | IFF.LOWER_UP if changed else None)
        dev.qdisc_active = dev.carrier or dev in changed     # dev_activate()
        for d in changed:
            urgent = linkwatch_urgent_event(d, was_changing) if d is dev else None
            self._set_carrier(d, True, urgent=urgent)
        if bridge_on:
            self._set_carrier(dev, True, urgent=linkwatch_urgent_event(dev, was_changing))
        # inetdev_event() and ndisc_netdev_event() on NETDEV_UP (veth_open() turned the
        # carrier on before: the announcements leave)
        self._notify_peers(dev)
        if dev.master is not None:
            self._bridge_update(dev.master)
        # vlan_device_event(NETDEV_UP): the lower's VLANs come up with it
        for vlan in dev.vlans:
            if not vlan.admin_up:
                vlan.netns._open(vlan)

    def _close(self, dev: NetDevice, linkwatch: bool = True, iflink: int | None = None
               ) -> None:
        with rtnl(self):
            self._dev_close(dev, linkwatch, iflink)

    def _dev_close(self, dev: NetDevice, linkwatch: bool, iflink: int | None) -> None:
        """dev_close(): __dev_notify_flags() sends the link message, then NETDEV_DOWN
        flushes routes and IPv6 addresses; linkwatch reports the peer (if UP) without
        carrier later, unless the device is going away (unregister_netdevice_many())."""
        for vlan in dev.vlans:                  # NETDEV_DOWN closes them
            if vlan.admin_up:
                vlan.netns._close(vlan)
        if dev.macvlans:
            # __dev_set_rx_mode() does nothing on a closed device: the promiscuity its
            # unicast list gave it stays until it opens again (macvlan.uc_promisc())
            from ipemu.kernel.macvlan import uc_promisc
            dev.uc_promisc_held = uc_promisc(dev)
        # fib6_nh's RTNH_F_LINKDOWN is stored (set at NETDEV_CHANGE without carrier):
        # the routes NETDEV_DOWN deletes are announced with it (recorded,
        # fuzz38_monitor_down_linkdown)
        if linkwatch:
            dev.closing_linkdown = not dev.carrier
        # rt6_sync_down_dev(NETDEV_DOWN) -> fib6_ifdown(): the siblings through the
        # device that stay (others of their route alive) are marked RTNH_F_DEAD
        dev.dead6 = frozenset(
            (route.table, route.seq) for (family, _), table in self.tables.items()
            if family == 6 for route in table.sorted_routes()
            if route.nexthops and any(h.oif == dev.ifindex for h in route.nexthops)) \
            or NO_ROUTES
        # br_dev_stop() -> br_stp_disable_bridge(): each port not disabled is
        # (br_stp_disable_port(): its AF_BRIDGE message), before __dev_notify_flags()'s
        # link message (recorded: `ip link set br0 down` under `ip monitor link`,
        # fuzz46_bridge_down_port, seed 580011)
        enabled = [p for p in dev.ports if port_state(p) != BrState.DISABLED] \
            if dev.kind == "bridge" and self.listeners else ()
        dev.admin_up = False
        for port in enabled:
            br_ifinfo_notify(self, port, state=BrState.DISABLED)
        dev.qdisc_active = False                # dev_deactivate_many()
        lost: list[NetDevice] = []
        held: list[NetDevice] = []
        if dev.kind == "veth":
            lost = [d for d in (dev, dev.peer) if d is not None and d.carrier]
            lw = linkwatch_of(self) if linkwatch else None
            # veth_close(): netif_carrier_off() of both; the closing device is no longer
            # running (not urgent), the peer is urgent by its IFLA_LINK alone
            for d in lost:
                before = d.operstate
                d.carrier = False
                d.carrier_changes += 1
                if lw is not None and not lw.fire(d, linkwatch_urgent_event(d),
                                                  self.clock.now, before):
                    held.append(d)
            for d in (dev, dev.peer):           # linkwatch runs once both are off
                if d is None or d in held:
                    continue
                if d in lost:
                    d.netns.linkwatch_do_dev(d, linkwatch=False)
                linkwatch_operstate(d)
        self._notify_link(dev, iflink=iflink)
        # NETDEV_DOWN's notifiers in the order they registered: inet's and inet6's
        # (the neighbours, addresses and routes going: arp_netdev_event(),
        # addrconf_notify(), ndisc_netdev_event()) before the bridge module's
        # br_device_event() (recorded, lead40_brport_down_order)
        self._netdev_down(dev)
        br_rport_off(dev)                       # br_stp_disable_port()
        if _bridge_port(dev):
            br_ifinfo_notify(self, dev, iflink=iflink)  # br_device_event(NETDEV_DOWN)
        if _port_of_bridge(dev):
            # br_stp_disable_port(), listened to or not (recorded: lead41_fdb_use)
            br_fdb_disable_port(self, dev)
            br_multicast_disable_port(self, dev)
        dev.closing_linkdown = False
        if dev.macvlans:
            # macvlan_device_event(NETDEV_DOWN): netif_stacked_transfer_operstate()
            from ipemu.kernel.macvlan import transfer_operstate
            transfer_operstate(dev)
        if dev.vxlan is not None:
            self._vxlan_lower_sync(dev)         # vxlan_stop(): vxlan_igmp_leave()
            # vxlan_stop() -> vxlan_flush(): the entries neither PERMANENT nor NOARP
            # (the learnt ones, `dynamic` ones) go (recorded, fuzz42 seed 501019)
            dev.vxlan.fdb[:] = [row for row in dev.vxlan.fdb
                                if row.state & (NUD_PERMANENT | NUD_NOARP)]
        if dev.kind == "bridge":
            # br_stp_disable_bridge(): each port not disabled is (br_stp_disable_port()),
            # which takes it off the multicast router lists
            for port in dev.ports:
                if port.admin_up and port.carrier:
                    br_rport_off(port, bridge_up=True)
        if dev.br_stp is not None:
            dev.br_stp.sync()                   # br_stp_disable_bridge()
        elif dev.kind == "bridge":
            # br_stp_disable_bridge(): every port disabled (its timers deleted), the gc
            # work cancelled
            br_nostp_sync(dev, self.clock.now)
            br_gc_sync(dev, self.clock.now)
        if linkwatch:
            for d in lost:
                if d.admin_up and d not in held:
                    br_rport_off(d)             # br_port_carrier_check()
                    if _bridge_port(d):
                        br_ifinfo_notify(d.netns, d)    # NETDEV_CHANGE: carrier off
                    if _port_of_bridge(d):
                        br_fdb_disable_port(d.netns, d)
                        br_multicast_disable_port(d.netns, d)
                    d.netns._neigh_carrier_down(d)     # NETDEV_CHANGE, then the message
                    d.netns._notify_link(d)
        # the bridges see their ports' changes after those were announced: the
        # closing port's in NETDEV_DOWN, a peer's in the linkwatch run that carried its
        # carrier loss (what that run fires waits for the next: LinkWatch.in_run)
        masters = [d.master for d in [dev] + [d for d in lost if d not in held]
                   if d.master is not None]
        for i, master in enumerate(masters):
            if all(m is not master for m in masters[:i]):
                from_run = linkwatch and (i > 0 or dev.master is None)
                lw = linkwatch_of(self) if from_run else None
                if lw is not None:
                    lw.in_run += 1
                try:
                    master.netns._bridge_update(master)
                finally:
                    if lw is not None:
                        lw.in_run -= 1

    def _set_carrier(self, dev: NetDevice, on: bool, linkwatch: bool = True,
                     urgent: bool | None = None) -> None:
        """netif_carrier_on()/off(): the carrier changes at once; linkwatch carries it
        to the operstate and NETDEV_CHANGE, at once or held (kernel/link_watch.py).
        `urgent`: linkwatch_urgent_event() as it was when the driver fired it."""
        if dev.netns is not self:
            # a veth peer in another namespace reacts there, with that namespace's rules
            dev.netns._set_carrier(dev, on, linkwatch, urgent)
            return
        if dev.carrier == on:
            return
        before = dev.operstate
        dev.carrier = on
        dev.carrier_changes += 1
        lw = linkwatch_of(self)
        if lw is not None and linkwatch:
            if urgent is None:
                urgent = linkwatch_urgent_event(dev)
            with rtnl(self):
                if not lw.fire(dev, urgent, self.clock.now, before):
                    return
        self.linkwatch_do_dev(dev, linkwatch)

    def _neigh_carrier_down(self, dev: NetDevice) -> None:
        """neigh_carrier_down(): entries of an UP link without carrier go (each told of),
        but the permanent ones, unless arp_evict_nocarrier / ndisc_evict_nocarrier is 0
        (arp_netdev_event(), ndisc_netdev_event() on NETDEV_CHANGE, which only an UP
        device's netdev_state_change() sends; a closing device's go in its NETDEV_DOWN)
        (IN_DEV_ANDCONF(): the device's value and conf/all's must both be 1)."""
        if self._stack is None:
            return
        if "0" not in (self.conf(4, dev, "arp_evict_nocarrier"),
                       self.conf(4, "all", "arp_evict_nocarrier")):
            self.stack.arp.flush_dev(dev.ifindex, keep_permanent=True)
        if "0" not in (self.conf(6, dev, "ndisc_evict_nocarrier"),
                       self.conf(6, "all", "ndisc_evict_nocarrier")):
            self.stack.nd.flush_dev(dev.ifindex, keep_permanent=True)

    def linkwatch_do_dev(self, dev: NetDevice, linkwatch: bool = True) -> None:
        """linkwatch_do_dev(): rfc2863_policy(), dev_activate()/dev_deactivate(), and
        for an UP device netdev_state_change() (NETDEV_CHANGE, RTM_NEWLINK). The
        events its notifiers fire are decided as fired inside the run
        (LinkWatch.in_run)."""
        lw = linkwatch_of(self)
        if lw is None:
            self._linkwatch_do_dev(dev, linkwatch)
            return
        lw.in_run += 1
        try:
            self._linkwatch_do_dev(dev, linkwatch)
        finally:
            lw.in_run -= 1

    def _linkwatch_do_dev(self, dev: NetDevice, linkwatch: bool = True) -> None:
        on = dev.carrier
        dev.lw_ran = True
        dev.linkdown_cleared = NO_ROUTES       # NETDEV_CHANGE: fib_sync_down_dev()/up()
        if on and dev.admin_up:
            dev.dead6 = NO_ROUTES      # addrconf_notify(NETDEV_CHANGE): link ready
        if not on:
            linkwatch_operstate(dev)
        if dev.admin_up:
            dev.qdisc_active = on
        if linkwatch and dev.admin_up and not on:
            br_rport_off(dev)                   # br_port_carrier_check()
        # linkwatch_do_dev(): the operstate follows, announced for an UP device only
        # (netdev_state_change(): NETDEV_CHANGE's notifiers first, in the order they
        # registered: arp's and ndisc's neighbour flush, addrconf's, then the bridge
        # module's carrier check, which enables the port, two AF_BRIDGE messages, or
        # disables it, one; recorded: lead40_brport_down_order)
        if not on and linkwatch and dev.admin_up:
            self._neigh_carrier_down(dev)
        self._netdev_change(dev)
        if linkwatch and dev.admin_up and _bridge_port(dev):
            br_ifinfo_notify(self, dev)
            if on and dev.master.admin_up:
                br_ifinfo_notify(self, dev)
        if linkwatch and dev.admin_up and not on and _port_of_bridge(dev):
            br_fdb_disable_port(self, dev)              # br_stp_disable_port()
            br_multicast_disable_port(self, dev)
        if linkwatch and dev.admin_up:
            # netdev_state_change(): rtmsg_ifinfo() after the NETDEV_CHANGE notifiers
            # (addrconf's routes of a link coming up are announced before it)
            self._notify_link(dev)
        if dev.master is not None and linkwatch:
            self._bridge_update(dev.master)     # (dev_close() updates it itself)
        if dev.bond_slave is not None:          # the bond's link monitor sees it
            from ipemu.kernel.bond import bond_slave_changed
            bond_slave_changed(self, dev)
        for vlan in dev.vlans:                  # netif_stacked_transfer_operstate()
            if vlan.admin_up:
                self._set_carrier(vlan, on)
        if dev.macvlans:
            from ipemu.kernel.macvlan import transfer_operstate
            transfer_operstate(dev)
        if dev.ipvlan_port is not None:         # ipvlan_device_event(NETDEV_CHANGE)
            for vlan in list(dev.ipvlan_port.ipvlans):
                vlan.netns._set_carrier(vlan, on)

    # bridges ---------------------------------------------------------------
    def _bridge_carrier(self, br: NetDevice) -> bool:
        ports = br.ports
        br_gc_sync(br, self.clock.now)
        br_nostp_sync(br, self.clock.now)
        if br.br_stp is not None and ports:
            # kernel STP: br_port_state_selection() counts the forwarding ports
            from ipemu.kernel.bridge import BrState, port_state
            br.br_stp.sync()
            return any(port_state(p) == BrState.FORWARDING for p in ports)
        if not ports:
            # a 6.x bridge that never had a port keeps the carrier it opened with; once
            # its last port leaves, it has none (3.10 bridges start without carrier);
            # an address set by hand runs br_stp_change_bridge_id() ->
            # br_port_state_selection(), which finds no live port: carrier off
            return not br.had_ports and not br.addr_set_by_user and not br.br_selected \
                and self.kernel.get("bridge_empty_carrier", True)
        # br_port_state_selection(): carrier on while a port forwards; a port held
        # listening, learning or disabled by hand (`bridge link set ... state N`) is
        # not live (recorded: fuzz44_br_carrier_manual_state, seed 560071)
        # A port is live as netif_oper_up() sees it: a carrier change linkwatch still
        # holds has not reached the port (br_add_if() of a veth whose carrier came on
        # in the same request leaves the port disabled; recorded: lead45_setlink_order)
        return any(p.admin_up and (p.operstate in _OPER_UP if p.lw_held else p.carrier) and
                   (p.brport is None or p.brport.manual_state is None) for p in ports)

    def br_id_changed_down(self, br: NetDevice) -> None:
        """br_stp_change_bridge_id() -> br_port_state_selection() on a bridge that is
        down: no port forwards, carrier off (ipemu keeps a closed bridge's carrier off
        already), and linkwatch's event stores IF_OPER_DOWN, so the operstate is no
        longer the initial UNKNOWN when it opens; that event is a linkwatch run like
        any other (the next second's limit follows)."""
        if not br.carrier_changes:
            # the carrier a bridge is registered with goes off: its first change
            br.carrier_changes = 1
        lw = linkwatch_of(self)
        with rtnl(self):
            if lw is None or lw.fire(br, False, self.clock.now, br.operstate):
                br.lw_ran = True

    def _bridge_update(self, br: NetDevice, new_port: NetDevice | None = None,
                       fdb_mid: tuple | None = None) -> None:
        """`fdb_mid`: the FDB (entries, address) before the change, when a listener
        hears of the entries it changes (br_fdb_change_mac_address())."""
        if br.kind != "bridge":
            return
        try:
            self._bridge_recalculate(br, new_port, fdb_mid)
        finally:
            from ipemu.kernel.bridge import fdb_stamp_locals
            fdb_stamp_locals(br)

    def _bridge_recalculate(self, br: NetDevice, new_port: NetDevice | None,
                            fdb_mid: tuple | None) -> None:
        old = br.address
        if not br.addr_set_by_user and br.ports:
            br.address = min(p.address for p in br.ports)
        elif not br.addr_set_by_user and br.had_ports:
            # br_stp_recalculate_bridge_id(): no port left, the id (and address) is
            # br_mac_zero (recorded: 00:00:00:00:00:00)
            br.address = bytes(6)
        if fdb_mid is not None:
            from ipemu.kernel.bridge import br_fdb_changes_notify
            br_fdb_changes_notify(self, br, *fdb_mid)
        if br.address != old and self.listeners:
            # br_add_if()/br_del_if(): NETDEV_CHANGEADDR once the id is recomputed (the
            # carrier br_port_state_selection() changed shows; linkwatch's event
            # follows, it needs the RTNL)
            if br.admin_up:
                carrier = self._bridge_carrier(br)
                flags = br.flags & ~IFF.LOWER_UP | (IFF.LOWER_UP if carrier else 0)
                self._notify_link(br, flags=flags)
            else:
                self._notify_link(br)
        if br.address != old:
            # NETDEV_CHANGEADDR of the bridge: arp_netdev_event()/ndisc_netdev_event()
            # empty its neighbour tables (neigh_changeaddr(), the NOARP groups' entries
            # too; recorded: fuzz46_brport_mac_fdb)
            self.neigh_changeaddr(br)
        if br.address != old and not br.admin_up:
            self.br_id_changed_down(br)
        elif br.admin_up:
            # br_add_if(): br_stp_enable_port() turns the carrier on again only for a
            # port that is up with carrier; a port without one leaves it off (+1)
            if br.address != old and new_port is not None and br.carrier and \
                    new_port.admin_up and new_port.carrier and \
                    not any(p.admin_up and p.carrier for p in br.ports if p is not new_port):
                self._bridge_carrier_flap(br)
            self._set_carrier(br, self._bridge_carrier(br))

    def _bridge_carrier_flap(self, br: NetDevice) -> None:
        """br_add_if(): br_stp_recalculate_bridge_id() runs br_port_state_selection()
        while the new port is still disabled (new_nbp()), so with no other port
        forwarding the carrier goes off, and on again when br_stp_enable_port() follows:
        one linkwatch event, which finds the carrier on when it runs (it needs the
        RTNL that br_add_if() holds)."""
        before = br.operstate
        br.carrier_changes += 2
        lw = linkwatch_of(self)
        if lw is None:
            return
        with rtnl(self):
            if not lw.fire(br, linkwatch_urgent_event(br), self.clock.now, before):
                return
        self.linkwatch_do_dev(br)

    def set_master(self, dev: NetDevice, master: NetDevice | None,
                   registered: bool = True, iflink: int | None = None,
                   br_deleted: bool = False) -> None:
        """do_set_master(): the old master's ndo_del_slave, the new one's
        ndo_add_slave (a bridge's here, a vrf's in kernel/vrf.py, a bond's in
        kernel/bond.py). `registered`: False for a port being unregistered (its own
        link messages are no longer sent; `iflink` its IFLA_LINK then); `br_deleted`:
        the bridge itself goes (br_dev_delete() -> del_nbp(): its id is not
        recomputed)."""
        from ipemu.kernel.drivers import MASTER_OPS
        if master is not None:
            if master.kind != "bridge" and master.kind not in MASTER_OPS:
                raise KernelError(Errno.EOPNOTSUPP)
            if master.kind == "bridge" and master is not dev.master:
                # br_add_if(): only Ethernet-like devices with a unicast address, no
                # bridge (itself included)
                if dev.kind == "loopback" or dev.info.link_type != "ether" or \
                        len(dev.address) != 6 or dev.address[0] & 1 or not any(dev.address):
                    raise KernelError(Errno.EINVAL)
                if dev.kind == "bridge":
                    raise KernelError(Errno.ELOOP, "Can not enslave a bridge to a bridge")
                if dev.macvlans or dev.ipvlan_port is not None:
                    # netdev_rx_handler_register(): a macvlan or ipvlan port's own
                    # rx handler is there already
                    raise KernelError(Errno.EBUSY)
        old = dev.master
        if old is master:
            return
        self._set_master(dev, master, old, registered, iflink, br_deleted)

    def _br_fdb_snapshot(self, br: NetDevice | None) -> tuple | None:
        """A bridge's entries and address before a change, when someone listens."""
        if br is None or br.kind != "bridge" or not self.listeners:
            return None
        from ipemu.kernel.bridge import br_fdb_entries
        return br_fdb_entries(br), br.address

    def _set_master(self, dev: NetDevice, master: NetDevice | None, old: NetDevice | None,
                    registered: bool, iflink: int | None, br_deleted: bool) -> None:
        from ipemu.kernel.drivers import MASTER_OPS
        if old is not None:
            if old.kind in MASTER_OPS:
                MASTER_OPS[old.kind].del_slave(self, old, dev)
            else:
                snap = None if br_deleted else self._br_fdb_snapshot(old)
                br_del_if_notify(self, dev, registered, iflink)
                old.ports.remove(dev)
                dev.master = None
                dev.brport = None
                # br_fdb_delete_by_port(): the port's entries leave with it (each
                # notified; a local one of the bridge's address moves to the bridge)
                for mac in [m for m, p in old.fdb.items() if p is dev]:
                    del old.fdb[mac]
                    old.fdb_state.pop(mac, None)
                mid = None
                if snap is not None:
                    from ipemu.kernel.bridge import br_fdb_changes_notify
                    mid = (br_fdb_changes_notify(self, old, *snap), old.address)
                # nbp_backup_clear(): the ports it was a backup for lose their backup
                from ipemu.kernel.bridge import br_backup_clear
                br_backup_clear(old, dev)
                if registered and self.listeners:
                    self._notify_link(dev)      # netdev_upper_dev_unlink(): CHANGEUPPER
                if br_deleted:
                    return
                self.br_mtu_auto_adjust(old)        # br_del_if(), before the bridge id
                _br_set_gso_limits(old)
                self._bridge_update(old, fdb_mid=mid)
                if not old.ports and self.listeners:
                    # br_del_if(): netdev_update_features() after the last port
                    self._notify_link(old, event="FEATURE CHANGE")
        if master is None:
            return
        if master.kind in MASTER_OPS:
            MASTER_OPS[master.kind].add_slave(self, master, dev)
            return
        if dev.macvlans or dev.ipvlan_port is not None:
            # br_add_if() -> netdev_rx_handler_register(): the macvlan/ipvlan port
            # already holds the device's one rx_handler
            raise KernelError(Errno.EBUSY)
        snap = self._br_fdb_snapshot(master)
        from ipemu.kernel.bridge import find_portno
        port_no = find_portno(master)
        dev.master = master
        # new_nbp(): a port's defaults
        dev.brport = BrPortConf(cost=port_cost(dev), port_no=port_no)
        own_list(master, "ports").append(dev)
        master.had_ports = True
        br_add_if_notify(self, master, dev, first=len(master.ports) == 1, fdb=snap)
        self._bridge_update(master, dev)
        self.br_mtu_auto_adjust(master)         # br_add_if(): after the port's message
        _br_set_gso_limits(master)

    # link settings -----------------------------------------------------------
    def change_flags(self, dev: NetDevice, flags: int) -> None:
        """dev_change_flags(): the plain bits (NOARP, MULTICAST, DYNAMIC, NOTRAILERS,
        ...) are taken as given, PROMISC and ALLMULTI toggle the user's request
        (dev->gflags, counted in promiscuity/allmulti), UP opens or closes the
        device; one RTM_NEWLINK tells of it (__dev_notify_flags())."""
        flags = int(flags) & 0xFFFFFFFF
        base = int(dev.own_flags if dev.own_flags is not None else dev.info.base_flags)
        own, changed = self.set_flag_bits(dev, flags)
        if (own ^ base) & 0x80 and dev.admin_up and self._stack is not None:
            # NETDEV_CHANGE with IFF_NOARP changed: neigh_changeaddr() empties the
            # device's ARP table, permanent entries too, and ndisc_netdev_event() its
            # neighbour table alike (recorded: the NOARP groups' entries and a
            # permanent IPv6 entry gone at `arp off`, fuzz40 seed 450217)
            self.stack.arp.flush_dev(dev.ifindex)
            self.stack.nd.flush_dev(dev.ifindex)
        if (own ^ base) & ~int(IFF.UP | IFF.PROMISC | IFF.ALLMULTI) and dev.admin_up \
                and not dev.carrier and self._stack is not None:
            # __dev_notify_flags(): any other bit (multicast, dynamic, trailers...)
            # sends NETDEV_CHANGE, and arp_netdev_event()/ndisc_netdev_event() then
            # run neigh_carrier_down() on a link without carrier (recorded: the
            # INCOMPLETE entry of a ping gone at `multicast off`, fuzz44 seed 560098,
            # fuzz44_neigh_flags_nocarrier)
            self._neigh_carrier_down(dev)
        up = bool(flags & 0x1)                  # IFF_UP
        if up != dev.admin_up:
            self.set_up(dev, up)
        elif changed:
            self._notify_link(dev)

    def set_flag_bits(self, dev: NetDevice, flags: int) -> tuple[int, bool]:
        """__dev_change_flags() but for UP: the plain bits and the user's PROMISC and
        ALLMULTI (dev->gflags); the device's own bits after it, and whether any
        changed. Nothing is announced."""
        base = int(dev.own_flags if dev.own_flags is not None else dev.info.base_flags)
        own = (base & _KEEP_BASE) | (flags & _USER_CHANGEABLE)
        old_gflags = int(dev.gflags)
        gflags = (old_gflags & _KEEP_GFLAGS) | (flags & _USER_GFLAGS)
        if own != base:
            dev.own_flags = IFF(own)
        dev.gflags = IFF(gflags)
        return own, own != base or gflags != old_gflags

    def configure_flags(self, dev: NetDevice, ifi_flags: int, ifi_change: int) -> None:
        """rtnl_configure_link() of a new device: __dev_change_flags() with
        rtnl_dev_combine_flags() (the bits named in ifi_change, the rest as they are),
        before its first RTM_NEWLINK; UP is the caller's."""
        mask = ifi_change & ~0x1            # IFF_UP is the caller's
        if mask:
            current = int.__and__(dev.flags, IFF_NOT_OPER)
            self.set_flag_bits(dev, (ifi_flags & mask) | (current & ~mask))

    def change_carrier(self, dev: NetDevice, on: bool) -> None:
        """dev_change_carrier(): only a driver with ndo_change_carrier (dummy) takes it."""
        if dev.kind != "dummy":
            raise KernelError(Errno.EOPNOTSUPP)
        self._set_carrier(dev, on)

    def set_mtu(self, dev: NetDevice, mtu: int) -> None:
        """dev_set_mtu_ext(): the same MTU again changes nothing, announces nothing."""
        if mtu == dev.mtu:
            return
        if mtu < 0 or mtu < dev.info.min_mtu:
            raise KernelError(Errno.EINVAL, "mtu less than device minimum")
        if dev.info.max_mtu > 0 and mtu > dev.info.max_mtu:
            raise KernelError(Errno.EINVAL, "mtu greater than device maximum")
        if dev.vxlan is not None:
            from ipemu.kernel.vxlan import change_mtu_limit
            change_mtu_limit(dev, mtu)
        if dev.lower is not None and mtu > dev.lower.mtu:
            # vlan_dev_change_mtu(), macvlan_change_mtu()
            raise KernelError(Errno.ERANGE if dev.kind == "vlan" else Errno.EINVAL)
        old = dev.mtu
        dev.mtu = mtu
        if dev.kind == "bridge":
            dev.mtu_set_by_user = True          # br_change_mtu()
        for vlan in dev.vlans:                  # NETDEV_CHANGEMTU: VLANs shrink along
            vlan.mtu = min(vlan.mtu, mtu)
        self._notify_link(dev)
        if dev.macvlans:
            from ipemu.kernel.macvlan import change_mtu
            change_mtu(dev)
        self._ipv6_change_mtu(dev, old)
        if self.nh_exceptions:
            self.fib_sync_mtu(dev, old)     # fib_netdev_event(NETDEV_CHANGEMTU)
        if dev.master is not None and dev.master.kind == "bridge":
            self.br_mtu_auto_adjust(dev.master)  # br_device_event(NETDEV_CHANGEMTU)

    def br_mtu_auto_adjust(self, br: NetDevice) -> None:
        """br_mtu_auto_adjust(): a bridge whose MTU the user never set takes its
        smallest port's (br_mtu_min(); ETH_DATA_LEN without ports) through
        dev_set_mtu(), then clears the flag br_change_mtu() set on the way."""
        if br.mtu_set_by_user:
            return
        mtu = min((p.mtu for p in br.ports), default=1500)
        br.netns.set_mtu(br, mtu)
        br.mtu_set_by_user = False

    def _ipv6_change_mtu(self, dev: NetDevice, old: int) -> None:
        """addrconf_notify(NETDEV_CHANGEMTU): under IPV6_MIN_MTU IPv6 stops on the
        device (addrconf_ifdown(dev, dev != loopback): but for lo its inet6_dev and
        conf go); back at 1280 or more ipv6_add_dev() makes a new one from conf/default
        and, the link ready, it is configured as on NETDEV_UP."""
        if dev.mtu < IPV6_MIN_MTU <= old:
            self.addrconf_ifdown(dev, unregister=dev.kind != "loopback")
            if dev.kind != "loopback":
                prefix = f"net.ipv6.conf.{dev.name}."
                for key in [k for k in self.sysctls if k.startswith(prefix)]:
                    del self.sysctls[key]
        elif old < IPV6_MIN_MTU <= dev.mtu and dev.kind != "loopback":
            default = "net.ipv6.conf.default."
            for key, value in list(self.sysctls.items()):
                if key.startswith(default):
                    self.sysctls[f"net.ipv6.conf.{dev.name}.{key[len(default):]}"] = value
            if dev.admin_up:
                self._netdev_up_ipv6(dev)
        elif old >= IPV6_MIN_MTU and dev.mtu >= IPV6_MIN_MTU and dev.mtu != old:
            self._rt6_mtu_change(dev, old)

    def _rt6_mtu_change(self, dev: NetDevice, old: int) -> None:
        """rt6_mtu_change() -> fib6_nh_mtu_change(): an IPv6 route through the device
        with an mtu metric not locked takes the new MTU when it is no more than its
        own, or (an increase) when its own was the device's old one (idev->cnf.mtu6
        is updated after)."""
        new = dev.mtu
        for (family, _), table in self.tables.items():
            if family != 6:
                continue
            for route in table.sorted_routes():
                if route.oif != dev.ifindex:
                    continue
                for i, (name, value, locked) in enumerate(route.metrics):
                    if name == "mtu" and not locked and isinstance(value, int) and \
                            (value >= new or value == old):
                        route.metrics = route.metrics[:i] + (("mtu", new, False),) + \
                            route.metrics[i + 1:]
        # rt6_exceptions_update_pmtu(): the exceptions of routes through the device
        # with a path MTU take the new one on the same terms
        # (rt6_mtu_change_route_allowed())
        for key, entry in self.nh_exceptions.items():
            if ":" not in key or not entry["mtu"] or \
                    not (entry["mtu"] >= new or entry["mtu"] == old):
                continue
            try:
                route, _ = self.lookup(ipaddress.IPv6Address(key))
            except KernelError:
                continue
            if route.oif == dev.ifindex:
                entry["mtu"] = new

    @staticmethod
    def check_set_mac_address(dev: NetDevice) -> None:
        """dev_set_mac_address()'s first test, before the address family's: a tun's
        netdev_ops (tun_netdev_ops, unlike the tap's) have no ndo_set_mac_address."""
        if dev.tun is not None and not dev.address:
            raise KernelError(Errno.EOPNOTSUPP)

    def set_address(self, dev: NetDevice, mac: bytes) -> None:
        self.check_set_mac_address(dev)
        if len(mac) != len(dev.address):
            raise KernelError(Errno.EINVAL)
        if dev.kind == "ifb":
            raise KernelError(Errno.EOPNOTSUPP)     # ifb_netdev_ops: no ndo_set_mac_address
        # netif_set_mac_address(): the driver's ndo_set_mac_address() (its checks,
        # eth_mac_addr()'s valid-address test) runs only for another address; the
        # NETDEV_CHANGEADDR that follows is sent either way: lo takes its own
        # 00:00:00:00:00:00, announced, its neighbours flushed (recorded)
        if mac != dev.address and (mac[0] & 1 or mac == bytes(len(mac))):
            raise KernelError(Errno.EADDRNOTAVAIL)
        if dev.macvlan is not None and mac != dev.address and dev.lower is not None:
            from ipemu.kernel.macvlan import port_passthru
            if port_passthru(dev.lower) and dev.lower.address != mac:
                # macvlan_set_mac_address(): a passthru macvlan changes its lower's
                # address, and takes it back from NETDEV_CHANGEADDR (recorded, fuzz42
                # seed 513033: both show the new address)
                dev.lower.macvlan_addr_change = True   # macvlan_set_addr_change()
                try:
                    dev.lower.netns.set_address(dev.lower, mac)
                finally:
                    dev.lower.macvlan_addr_change = False
                return
            from ipemu.kernel.macvlan import addr_busy
            if not port_passthru(dev.lower) and addr_busy(dev.lower, mac):
                # macvlan_set_mac_address(): the lower's address or an open
                # macvlan's (recorded: `ip link set macvlan0 address` of macvlan1's)
                raise KernelError(Errno.EADDRINUSE)
        br = dev if dev.kind == "bridge" else dev.master
        snap = self._br_fdb_snapshot(br)
        if dev.macvlan is not None and dev.admin_up and mac != dev.address:
            dev.macvlan.uc_added = self.clock.now     # macvlan_sync_address()
        dev.address = mac
        dev.addr_assign_random = False
        if dev.kind in ("bridge", "vlan"):
            dev.addr_set_by_user = True
        for vlan in dev.vlans:                  # vlan_sync_address() of the UP ones
            if vlan.admin_up and not vlan.addr_set_by_user:
                vlan.address = mac
        if dev.ipvlan_port is not None:         # ipvlan_device_event(NETDEV_CHANGEADDR)
            for vlan in dev.ipvlan_port.ipvlans:
                vlan.address = mac
                vlan.netns._notify_link(vlan)
        # br_fdb_changeaddr() / br_fdb_change_mac_address(): `snap` the entries before
        if dev.kind == "bridge":
            self._bridge_update(dev, fdb_mid=snap)    # br_set_mac_address(): carrier again
        self._notify_link(dev)
        self.neigh_changeaddr(dev)
        if dev.master is not None:
            # br_device_event(NETDEV_CHANGEADDR), the last of NETDEV_CHANGEADDR's
            # notifiers: the port's fdb entries after rtnetlink's link message and the
            # neighbour flush (recorded: fuzz46_brport_mac_fdb, seed 580028)
            self._bridge_update(dev.master, fdb_mid=snap)
        if _bridge_port(dev):
            # br_device_event(NETDEV_CHANGEADDR): the port's AF_BRIDGE message after
            # the neighbour flush (recorded: fuzz46_brport_broadcast)
            br_ifinfo_notify(self, dev)
        self._notify_peers(dev)                 # NETDEV_CHANGEADDR's announcements
        if dev.macvlans:
            from ipemu.kernel.macvlan import port_passthru
            vlan = dev.macvlans[0]
            if port_passthru(dev) and not dev.macvlan_addr_change:
                # macvlan_sync_address(): the lower changed by itself, its new
                # address is the one the port gives back (port->perm_addr)
                dev.macvlan_perm_addr = mac
            if port_passthru(dev) and vlan.address != mac:
                # macvlan_device_event(NETDEV_CHANGEADDR): a passthru port's macvlan
                # takes its lower's new address (macvlan_sync_address())
                vlan.netns.set_address(vlan, mac)

    def neigh_changeaddr(self, dev: NetDevice) -> None:
        """NETDEV_CHANGEADDR (a new MAC or broadcast address, up or down):
        arp_netdev_event() and then ndisc_netdev_event() empty the device's tables,
        permanent entries too (neigh_changeaddr(): neigh_flush_dev(), each told of,
        after the link message) (recorded, fuzz38_changeaddr_neigh_fdb)."""
        if self._stack is not None:
            self.stack.arp.flush_dev(dev.ifindex)
            self.stack.nd.flush_dev(dev.ifindex)
        # ndisc_netdev_event(NETDEV_CHANGEADDR): fib6_run_gc(0, net, false) after its
        # neigh_changeaddr(): the namespace's expired IPv6 routes go at once, any
        # device's address (fuzz seed 486019: a /128 address's route with valid_lft 1)
        self.fib6_gc_now()

    def _notify_peers(self, dev: NetDevice) -> None:
        """arp_notify / ndisc_notify's announcements (Stack.notify_peers()), asked only
        when one of them is on: the packet paths are made on first use, and making
        them draws from the host's random numbers."""
        if not dev.admin_up or dev.kind == "loopback":
            return
        on = "1" in (self.conf(6, dev, "ndisc_notify"), self.conf(6, "all", "ndisc_notify"))
        on = on or max(int(self.conf(4, "all", "arp_notify")),
                       int(self.conf(4, dev, "arp_notify"))) > 0
        if on:
            self.stack.notify_peers(dev)

    def rename(self, dev: NetDevice, name: str) -> None:
        if name == dev.name:
            return
        if not dev_valid_name(name):
            raise KernelError(Errno.EINVAL)     # dev_change_name() -> dev_get_valid_name()
        if "%" in name:
            name = self._alloc_name_pattern(name)
        if self.by_name(name) is not None:
            raise KernelError(Errno.EEXIST)
        old = dev.name
        dev.name = name
        dev.renamed = True
        self._renamed(dev, old)
        self._relabel_ifa4(dev, old)
        # dev_change_name(): the device keeps its in_device/inet6_dev settings;
        # only their /proc/sys directories take the new name
        if self.devconf_set.pop(old, None):
            self.devconf_set[name] = True
        for proto in ("ipv4", "ipv6"):
            for part in ("conf", "neigh"):
                prefix = f"net.{proto}.{part}.{old}."
                for key in [k for k in self.sysctls if k.startswith(prefix)]:
                    self.sysctls[f"net.{proto}.{part}.{name}.{key[len(prefix):]}"] = \
                        self.sysctls.pop(key)
        self._notify_link(dev)
        # inetdev_event(NETDEV_CHANGENAME) -> inetdev_changename(): each IPv4 address,
        # relabelled, is announced again (rtmsg_ifa(RTM_NEWADDR)) after rtnetlink's
        # link message (recorded: fuzz46_rename_addr, seeds 580013 and 580019)
        if self.listeners:
            for ifa in list(self.ifa4(dev)):
                self._notify_addr(dev, ifa)
            # devinet_sysctl_unregister()/register() and addrconf's
            # addrconf_sysctl_unregister()/register() on NETDEV_CHANGENAME: each
            # family's netconf is deleted and announced again (recorded:
            # fuzz46_rename_addr, seed 580103)
            from ipemu.kernel.addrconf import has_inet6_dev
            from ipemu.kernel.records import netconf_msg
            for family in (4, 6) if has_inet6_dev(dev) else (4,):
                self._notify(RTM.DELNETCONF, NetconfMsg(family, dev.ifindex))
                self._notify(RTM.NEWNETCONF, netconf_msg(self, dev, family))

    def _vxlan_lower_sync(self, dev: NetDevice) -> None:
        """The group a vxlan's socket joins or leaves is on its lower device, in the
        socket's namespace (vxlan_igmp_join() on vxlan->net: a moved device's too)."""
        net = dev.vxlan.link_net or self
        lower = net.devices.get(dev.vxlan.link)
        if lower is not None:
            mc_sync(net, lower)

    def _netdev_up(self, dev: NetDevice) -> None:
        if dev.macvlan is not None:
            dev.macvlan.uc_added = self.clock.now     # macvlan_open(): dev_uc_add()
        mc_sync(self, dev, opening=True)    # br_multicast_open()'s snoopers, ip_mc_up()
        if dev.carrier:
            # addrconf_notify(NETDEV_UP/CHANGE) with addrconf_link_ready():
            # rt6_sync_up(dev, RTNH_F_DEAD); without carrier the siblings stay dead
            dev.dead6 = NO_ROUTES
        dev.dead4 = NO_ROUTES       # fib_netdev_event(NETDEV_UP): fib_sync_up(RTNH_F_DEAD)
        for ifa in list(self.ifa4(dev)):
            self._fib_add_ifaddr(dev, ifa)
        if dev.running and not dev.carrier:
            # fib_netdev_event(NETDEV_UP) -> fib_sync_up(dev, RTNH_F_DEAD): dev_get_flags()
            # says RUNNING (the operstate still UNKNOWN, its carrier-off held by
            # linkwatch), so the nexthops through it lose RTNH_F_LINKDOWN; a route added
            # after gets it again from fib_check_nh() (recorded: `ifconfig tap0 ADDR up`
            # then `route add -host ... dev tap0`)
            dev.linkdown_cleared = frozenset(
                (route.table, route.seq) for (family, _), table in self.tables.items()
                if family == 4 for route in table.sorted_routes()
                if route.oif == dev.ifindex) or NO_ROUTES
        self._netdev_up_ipv6(dev)

    def _netdev_up_ipv6(self, dev: NetDevice) -> None:
        """addrconf_notify(NETDEV_UP): nothing while disable_ipv6 is set on the device;
        lo gets ::1 (init_loopback()), others their prefix routes and, with carrier,
        the link-local address."""
        if self.ipv6_disabled(dev):
            return
        if dev.mtu < IPV6_MIN_MTU and dev.kind != "loopback":
            return      # addrconf_notify(NETDEV_UP): no inet6_dev under IPV6_MIN_MTU
        if dev.bond_slave is not None:
            return      # addrconf_notify(NETDEV_UP): nothing for an IFF_SLAVE device
        if dev.tnl is not None:
            # addrconf_gre_config()/addrconf_sit_config(): their link-local and
            # IPv4-compatible addresses are not simulated; given addresses work
            dev.inet6_ready = True
            for ifa in self.ifa6(dev):
                self._ifa6_configure(dev, ifa)
            return
        if dev.kind == "loopback":
            dev.inet6_ready = True
            had = next((i for i in self.ifa6(dev)
                        if i.address == ipaddress.IPv6Address("::1")), None)
            if had is None:
                ifa = Ifa6(ipaddress.IPv6Address("::1"), 128, Scope.HOST,
                           proto=IFAPROT_KERNEL_LO)
                insert_ifa6(self.ifa6(dev), ifa)
            for ifa in self.ifa6(dev):
                self._ifa6_configure(dev, ifa)
            if had is not None and not had.noprefixroute:
                # addrconf_permanent_addr() -> fixup_permanent_addr(): a ::1 there
                # before the link came up (an addr_gen_mode write, `ip -6 addr add`)
                # gets its prefix route; init_loopback()'s own gets none (recorded)
                self._add_route6(Route(ipaddress.IPv6Network("::1/128"), TABLE_MAIN,
                                       RTN.UNICAST, Proto.KERNEL, oif=dev.ifindex,
                                       priority=had.metric or 256))
        else:
            # addresses added while down get their prefix routes with the link up,
            # carrier or not; DAD and the link-local wait for carrier
            for ifa in self.ifa6(dev):
                self._ifa6_prefix_route(dev, ifa)
            if dev.carrier and not (dev.lw_held and _lw_defers(self)):
                # (addrconf_link_ready(): netif_oper_up(); a carrier change a group
                # request holds to its end has not reached the operstate yet: its
                # linkwatch run's NETDEV_CHANGE makes the link ready, recorded:
                # lead43_group_up_monitor)
                self._addrconf_ready(dev)

    def _netdev_change(self, dev: NetDevice) -> None:
        if dev.bond_slave is not None:
            return      # addrconf_notify(NETDEV_CHANGE): nothing for an IFF_SLAVE device
        if dev.admin_up and dev.carrier and not dev.inet6_ready and \
                (dev.mtu >= IPV6_MIN_MTU or dev.kind == "loopback") and \
                not (dev.lw_held and _lw_defers(self)):
            # (addrconf_link_ready(): a carrier change held to a group request's end
            # has not reached the operstate: DO_SETLINK_NOTIFY's NETDEV_CHANGE finds
            # the link not ready, the run's own makes it ready)
            self._addrconf_ready(dev)
        elif dev.admin_up and dev.carrier:
            self.mld_resend(dev)    # IF_READY already: ipv6_mc_up() resends the reports

    def _netdev_down(self, dev: NetDevice) -> None:
        # fib_disable_ip(): IPv4 routes through it die silently (host-scope ones stay)
        self._flush_routes_of(dev, everything=False, family=4)
        if self._stack is not None:
            self.stack.arp.flush_dev(dev.ifindex)
            self.pneigh_ifdown(4, dev.ifindex)      # arp_ifdown(): neigh_ifdown()
        self.addrconf_ifdown(dev)       # (nd_tbl's entries go in its rt6_disable_ip())
        if self._stack is not None:
            self.stack.nd.flush_dev(dev.ifindex)    # ndisc_netdev_event(): lo's too
            self.pneigh_ifdown(6, dev.ifindex)
        mc_sync(self, dev)          # ip_mc_down(), br_multicast_stop()
        if self.nexthops:
            nexthop_flush_dev(self, dev)


def _br_set_gso_limits(br: NetDevice) -> None:
    """br_set_gso_limits() (br_add_if(), br_del_if()): the smallest tso_max_size of
    the ports, TSO_MAX_SIZE (524280) with none: a bridge made without ports keeps
    alloc_netdev()'s TSO_LEGACY_MAX_SIZE (65536) until its first port comes or goes
    (recorded, fuzz38_bridge_tso_max_size)."""
    br.tso_max_size = min((p.tso_max_size for p in br.ports), default=524280)


def _port_of_bridge(dev: NetDevice) -> bool:
    """br_port_get_rtnl(): the device is a bridge's port."""
    master = dev.master
    return master is not None and master.kind == "bridge"


def _bridge_port(dev: NetDevice) -> bool:
    """A bridge port (br_port_get_rtnl()): br_device_event() announces its changes."""
    master = dev.master
    return master is not None and master.kind == "bridge" and bool(dev.netns.listeners)


def _lw_defers(ns) -> bool:
    """Whether the request under way holds its linkwatch runs to its end
    (LinkWatch.defer: a group request)."""
    lw = linkwatch_of(ns)
    return lw is not None and bool(lw.defer)
