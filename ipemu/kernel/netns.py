"""One network namespace: its devices, addresses, routing tables, rules and sysctls,
and the kernel's reactions to changes (routes that appear with an address, vanish
when a link goes down, IPv6 autoconfiguration when a link gets carrier).

The operations mirror rtnetlink requests and raise KernelError like the kernel.
"""
from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass, field
from enum import IntEnum

from ipemu.kernel.addr import Ifa4, Ifa6, eui64_link_local, insert_ifa4, insert_ifa6, ipv6_scope
from ipemu.kernel.clock import VirtualClock
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.fib import (DEVLESS_TYPES, RTN, TABLE_DEFAULT, TABLE_LOCAL, TABLE_MAIN,
                              FibTable, Proto, Route, Scope)
from ipemu.kernel.netdev import ETH_P_8021AD, ETH_P_8021Q, IFF, KINDS, NetDevice, VlanPriv
from ipemu.kernel.records import AddrMsg, LinkMsg, RouteMsg, addr_msg, link_msg, route_msg

IFNAMSIZ = 16
V4_LIMITED_BROADCAST = ipaddress.IPv4Address("255.255.255.255")

# DAD: the kernel waits a random 0..1 s (rtr_solicit_delay) then one retransmit
# interval (1 s) before a tentative address becomes valid.
DAD_MIN_DELAY = 1.0
DAD_SPREAD = 1.0
MLD_DELAY = 0.0005
RS_DELAY = 1.0           # rtr_solicit_delay
RS_INTERVAL = 4.0        # rtr_solicit_interval, doubled up to rtr_solicit_max_interval
RS_MAX_INTERVAL = 3600.0


class FRAct(IntEnum):
    """fib_rule_hdr.action (FR_ACT_*); the error actions share the RTN_* numbers,
    and any other number up to 255 is accepted and ends a lookup with EINVAL."""
    UNSPEC = 0
    TO_TBL = 1
    GOTO = 2
    NOP = 3
    BLACKHOLE = 6
    UNREACHABLE = 7
    PROHIBIT = 8


IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
LOOPBACK_IFINDEX = 1     # the iif of a locally generated flow (route output)


@dataclass
class Rule:
    """One policy routing rule: struct fib_rule with its fib4_rule / fib6_rule part.
    `src` and `dst` keep the address as given: the kernel does not mask it (it prints
    `from 10.0.0.1/8`); None means a prefix length of 0."""
    priority: int
    table: int
    src: IPInterface | None = None
    dst: IPInterface | None = None
    family: int = 4
    action: int = FRAct.TO_TBL
    invert: bool = False                # FIB_RULE_INVERT, `not`
    tos: int = 0
    mark: int = 0
    mark_mask: int = 0
    iifname: str = ""                   # bound by name: a missing device is "detached"
    oifname: str = ""
    protocol: int = Proto.UNSPEC
    suppress_prefixlen: int = -1
    suppress_ifgroup: int = -1
    target: int = 0                     # the priority a `goto` jumps to


@dataclass
class RuleMsg:
    """An RTM_NEWRULE / RTM_DELRULE request: the fib_rule_hdr and the attributes
    given (None: attribute absent). `src`/`dst` may be of the other family; the
    kernel refuses that."""
    family: int
    action: int = FRAct.UNSPEC
    table: int = 0
    invert: bool = False
    tos: int = 0
    src: IPInterface | None = None
    dst: IPInterface | None = None
    priority: int | None = None
    fwmark: int | None = None
    fwmask: int | None = None
    iifname: str | None = None
    oifname: str | None = None
    protocol: int | None = None
    suppress_prefixlen: int | None = None
    suppress_ifgroup: int | None = None
    goto: int | None = None


def default_rules(family: int) -> list[Rule]:
    """fib_default_rules_init() / fib6_rules_net_init(): local, main (and default)."""
    prefs = [(0, TABLE_LOCAL), (32766, TABLE_MAIN)] + ([(32767, TABLE_DEFAULT)] if family == 4 else [])
    return [Rule(pref, table, family=family, protocol=Proto.KERNEL) for pref, table in prefs]


def default_sysctls() -> dict[str, str]:
    return {
        "net.ipv4.ip_forward": "0",
        "net.ipv4.icmp_echo_ignore_all": "0",
        "net.ipv4.icmp_echo_ignore_broadcasts": "1",
        "net.ipv4.icmp_ratelimit": "1000",
        "net.ipv4.icmp_ratemask": "6168",
        "net.ipv6.conf.all.forwarding": "0",
    }


# keys whose conf/all value turns them on for every device
ALL_WINS = {"ipv6": ("disable_ipv6",)}
# writes that set forwarding on every device and the default (inet_forward_change(),
# addrconf_fixup_forwarding()); net.ipv4.ip_forward is conf/all/forwarding
FORWARD_ALL = {"net.ipv4.ip_forward": "ipv4", "net.ipv4.conf.all.forwarding": "ipv4",
               "net.ipv6.conf.all.forwarding": "ipv6"}

CONF_DEFAULTS_V4 = {"promote_secondaries": "0", "rp_filter": "0", "accept_local": "0",
                    "forwarding": "0", "arp_ignore": "0", "arp_announce": "0"}
CONF_DEFAULTS_V6 = {"disable_ipv6": "0", "keep_addr_on_down": "0", "forwarding": "0",
                    "accept_dad": "1", "dad_transmits": "1"}


@dataclass
class NetNamespace:
    name: str
    clock: VirtualClock
    rng: random.Random
    devices: dict[int, NetDevice] = field(default_factory=dict)
    next_ifindex: int = 1
    tables: dict[tuple[int, int], FibTable] = field(default_factory=dict)
    rules: dict[int, list[Rule]] = field(default_factory=dict)
    sysctls: dict[str, str] = field(default_factory=default_sysctls)
    # peernet2id(): the ids this namespace gives others, by the other's name
    nsids: dict[str, int] = field(default_factory=dict)
    # what differs between kernel versions (the profile's [kernel] table)
    kernel: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # IPv6 has its main and local tables from the start; IPv4 creates a table on
        # first use (fib_new_table), and creating local creates main with it
        self.table(6, TABLE_LOCAL, create=True)
        self.table(6, TABLE_MAIN, create=True)
        self.rules[4] = default_rules(4)
        self.rules[6] = default_rules(6)
        self.create_device("lo", "loopback", address=bytes(6), broadcast=bytes(6))

    @property
    def stack(self):
        """The packet paths (created on first use: `ip` alone never needs them)."""
        stack = self.__dict__.get("_stack")
        if stack is None:
            from ipemu.kernel.stack import Stack
            stack = self.__dict__["_stack"] = Stack(self)
        return stack

    # ----------------------------------------------------------------- records
    def link_msg(self, dev: NetDevice) -> LinkMsg:
        """RTM_NEWLINK for one device (RTM_GETLINK)."""
        return link_msg(self, dev)

    def dump_links(self) -> list[LinkMsg]:
        """An RTM_GETLINK dump: every device, in ifindex order."""
        return [link_msg(self, dev) for dev in self.device_list()]

    def addr_msg(self, dev: NetDevice, ifa: Ifa4 | Ifa6) -> AddrMsg:
        return addr_msg(dev, ifa)

    def route_msg(self, route: Route) -> RouteMsg:
        return route_msg(self, route)

    # ------------------------------------------------------------------ lookups
    def by_name(self, name: str) -> NetDevice | None:
        for dev in self.devices.values():
            if dev.name == name:
                return dev
        return None

    def by_index(self, ifindex: int | None) -> NetDevice | None:
        return self.devices.get(ifindex) if ifindex is not None else None

    def device_list(self) -> list[NetDevice]:
        return [self.devices[i] for i in sorted(self.devices)]

    def table(self, family: int, table_id: int, create: bool = False) -> FibTable | None:
        key = (family, table_id)
        if key not in self.tables and create:
            if family == 4 and table_id == TABLE_LOCAL:
                self.table(4, TABLE_MAIN, create=True)
            self.tables[key] = FibTable(table_id, family)
        return self.tables.get(key)

    def conf(self, family: int, dev: NetDevice | str, key: str) -> str:
        name = dev if isinstance(dev, str) else dev.name
        proto = "ipv4" if family == 4 else "ipv6"
        if key in ALL_WINS.get(proto, ()) and \
                self.sysctls.get(f"net.{proto}.conf.all.{key}") == "1":
            return "1"   # writing conf/all/KEY applied it to every device
        defaults = CONF_DEFAULTS_V4 if family == 4 else CONF_DEFAULTS_V6
        return self.sysctls.get(f"net.{proto}.conf.{name}.{key}",
                                self.sysctls.get(f"net.{proto}.conf.default.{key}",
                                                 defaults.get(key, "0")))

    def set_sysctl(self, key: str, value: str) -> None:
        """A write to /proc/sys: stored, and the kernel reacts where it does at once
        (disable_ipv6 takes a device's IPv6 down or brings it back)."""
        old_disabled = {d.ifindex: self.conf(6, d, "disable_ipv6") == "1"
                        for d in self.device_list()}
        self.sysctls[key] = value
        proto = FORWARD_ALL.get(key)
        if proto is not None:
            for name in [k for k in self.sysctls if k.startswith(f"net.{proto}.conf.")
                         and k.endswith(".forwarding")]:
                del self.sysctls[name]
            for name in ("all", "default"):
                self.sysctls[f"net.{proto}.conf.{name}.forwarding"] = value
            if proto == "ipv4":
                self.sysctls["net.ipv4.ip_forward"] = value
        if key.endswith(".disable_ipv6"):
            for dev in self.device_list():
                now = self.conf(6, dev, "disable_ipv6") == "1"
                if now and not old_disabled[dev.ifindex]:
                    self.ifa6(dev).clear()
                    self._remove_routes(lambda r, d=dev: r.family == 6 and r.oif == d.ifindex)
                    dev.inet6_ready = False
                elif not now and old_disabled[dev.ifindex] and dev.admin_up and dev.carrier:
                    self._addrconf_ready(dev)

    # ----------------------------------------------------------------- devices
    def random_mac(self) -> bytes:
        """eth_random_addr(): random, unicast, locally administered."""
        raw = bytearray(self.rng.getrandbits(8) for _ in range(6))
        raw[0] = (raw[0] & 0xFE) | 0x02
        return bytes(raw)

    def create_device(self, name: str, kind: str, *, address: bytes | None = None,
                      broadcast: bytes | None = None, mtu: int | None = None,
                      txqlen: int | None = None, ifindex: int | None = None) -> NetDevice:
        if self.by_name(name) is not None:
            raise KernelError(Errno.EEXIST)
        if ifindex is not None and ifindex in self.devices:
            raise KernelError(Errno.EBUSY)
        info = KINDS[kind]
        if ifindex is None:
            ifindex = self._new_ifindex()
        dev = NetDevice(
            ifindex=ifindex, name=name, info=info,
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
        dev.carrier_changes = 0 if kind == "loopback" else 1
        if kind in ("loopback", "dummy"):
            dev.carrier = True   # dummy_setup(): always "connected"
        self.devices[ifindex] = dev
        return dev

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
        peer = peer_ns.create_device(peer_name, "veth", address=peer_address, mtu=peer_mtu)
        dev = self.create_device(name, "veth", address=address, mtu=mtu)
        dev.peer, peer.peer = peer, dev
        if peer_ns is not self:
            self.peer_id(peer_ns, alloc=True)
            peer_ns.peer_id(self, alloc=True)
        return dev

    def add_bridge(self, name: str, *, address: bytes | None = None, mtu: int | None = None) -> NetDevice:
        return self.create_device(name, "bridge", address=address, mtu=mtu)

    def add_vlan(self, name: str, lower: NetDevice | None, vid: int | None,
                 protocol: int = ETH_P_8021Q, *, address: bytes | None = None,
                 mtu: int | None = None) -> NetDevice:
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
                                 mtu=mtu if mtu is not None else lower.mtu)
        dev.addr_assign_random = False
        dev.addr_set_by_user = address is not None   # NET_ADDR_SET, else NET_ADDR_STOLEN
        dev.lower = lower
        dev.vlan = VlanPriv(vid, protocol)
        dev.tso_max_size = lower.tso_max_size
        dev.own_flags = lower.flags & ~(IFF.UP | IFF.RUNNING | IFF.LOWER_UP | IFF.PROMISC |
                                        IFF.ALLMULTI | IFF.MASTER | IFF.SLAVE | IFF.LOOPBACK)
        dev.carrier = lower.carrier
        lower.vlans.append(dev)
        return dev

    def delete_device(self, dev: NetDevice) -> None:
        if dev.kind == "loopback":
            raise KernelError(Errno.EOPNOTSUPP)
        victims = [dev] + ([dev.peer] if dev.peer is not None else [])
        # a device going away takes its VLANs with it (NETDEV_UNREGISTER), and theirs
        for victim in victims:
            victims += [v for v in victim.vlans if v not in victims]
        for victim in victims:
            victim.netns._unregister(victim)

    def _unregister(self, victim: NetDevice) -> None:
        if victim.admin_up:
            self._close(victim)
        if victim.lower is not None and victim in victim.lower.vlans:
            victim.lower.vlans.remove(victim)
        if victim.kind == "bridge":
            for port in list(victim.ports):
                self.set_master(port, None)
        if victim.master is not None:
            self.set_master(victim, None)
        self._flush_routes_of(victim, everything=True)
        victim.ifa4.clear()
        victim.ifa6.clear()
        if "_stack" in self.__dict__:
            self.stack.arp.flush_dev(victim.ifindex)
            self.stack.nd.flush_dev(victim.ifindex)
        self.devices.pop(victim.ifindex, None)

    def destroy(self) -> None:
        """The namespace goes away: its devices are unregistered (a veth takes its peer
        with it)."""
        for dev in self.device_list():
            if dev.ifindex in self.devices and dev.kind != "loopback":
                self.delete_device(dev)

    def move_device(self, dev: NetDevice, target: "NetNamespace") -> None:
        """dev_change_net_namespace(): the device goes down, loses its addresses and
        routes, and reappears in the target, keeping its ifindex if it is free there."""
        if target is self:
            return
        if target.by_name(dev.name) is not None:
            raise KernelError(Errno.EEXIST)
        if dev.kind == "loopback":
            raise KernelError(Errno.EINVAL)
        if dev.admin_up:
            self._close(dev)
        if dev.master is not None:
            self.set_master(dev, None)
        self._flush_routes_of(dev, everything=True)
        dev.ifa4.clear()
        dev.ifa6.clear()
        if "_stack" in self.__dict__:
            self.stack.arp.flush_dev(dev.ifindex)
            self.stack.nd.flush_dev(dev.ifindex)
        del self.devices[dev.ifindex]
        self.peer_id(target, alloc=True)
        if dev.ifindex in target.devices:
            dev.ifindex = target._new_ifindex()
        target.devices[dev.ifindex] = dev
        dev.netns = target
        dev.qdisc = "noop"   # unregistered and registered again: no qdisc until it is up
        if dev.peer is not None and dev.peer.netns is not target:
            target.peer_id(dev.peer.netns, alloc=True)
            dev.peer.netns.peer_id(target, alloc=True)

    def set_peer_id(self, other: "NetNamespace", nsid: int) -> None:
        """RTM_NEWNSID: an id chosen by hand."""
        # rtnl_net_newid()
        if other.name in self.nsids:
            raise KernelError(Errno.EEXIST, "Peer netns already has a nsid assigned")
        if nsid in self.nsids.values():
            raise KernelError(Errno.EEXIST, "The specified nsid is already used")
        self.nsids[other.name] = nsid

    def peer_id(self, other: "NetNamespace", alloc: bool = False) -> int | None:
        """peernet2id(): this namespace's id for another one (allocated on demand,
        the lowest free one, as alloc_netid()'s idr does)."""
        key = other.name
        if key not in self.nsids and alloc:
            used = set(self.nsids.values())
            n = 0
            while n in used:
                n += 1
            self.nsids[key] = n
        return self.nsids.get(key)

    def set_up(self, dev: NetDevice, up: bool) -> None:
        if up and not dev.admin_up:
            if dev.lower is not None and not dev.lower.admin_up:
                raise KernelError(Errno.ENETDOWN)       # vlan_dev_open()
            self._open(dev)
        elif not up and dev.admin_up:
            self._close(dev)

    def _open(self, dev: NetDevice) -> None:
        dev.admin_up = True
        if dev.qdisc == "noop":
            dev.qdisc = dev.up_qdisc
        if dev.kind == "loopback":
            self._loopback_up(dev)
        changed = []
        if dev.kind == "veth" and dev.peer is not None and dev.peer.admin_up:
            changed = [dev, dev.peer]
        elif dev.kind == "bridge":
            dev.carrier = self._bridge_carrier(dev)
        elif dev.kind == "ether":
            dev.carrier = dev.link_carrier
        elif dev.kind == "dummy":
            dev.carrier_changes = 0
        elif dev.kind == "vlan":
            if not dev.addr_set_by_user:
                dev.address = dev.lower.address    # a stolen address follows the lower
            dev.carrier = dev.lower.carrier
        self._netdev_up(dev)
        for d in changed:
            self._set_carrier(d, True)
        if dev.master is not None:
            self._bridge_update(dev.master)
        # vlan_device_event(NETDEV_UP): the lower's VLANs come up with it
        for vlan in dev.vlans:
            if not vlan.admin_up:
                vlan.netns._open(vlan)

    def _close(self, dev: NetDevice) -> None:
        for vlan in dev.vlans:                  # NETDEV_DOWN closes them
            if vlan.admin_up:
                vlan.netns._close(vlan)
        dev.admin_up = False
        if dev.kind == "veth":
            self._set_carrier(dev, False)
            if dev.peer is not None:
                self._set_carrier(dev.peer, False)
        self._netdev_down(dev)
        if dev.master is not None:
            self._bridge_update(dev.master)

    def _set_carrier(self, dev: NetDevice, on: bool) -> None:
        if dev.netns is not self:
            # a veth peer in another namespace reacts there, with that namespace's rules
            dev.netns._set_carrier(dev, on)
            return
        if dev.carrier == on:
            return
        dev.carrier = on
        dev.carrier_changes += 1
        if not on and "_stack" in self.__dict__:
            # neigh_carrier_down(): entries of a link without carrier go, but the
            # permanent ones
            self.stack.arp.flush_dev(dev.ifindex, keep_permanent=True)
            self.stack.nd.flush_dev(dev.ifindex, keep_permanent=True)
        self._netdev_change(dev)
        if dev.master is not None:
            self._bridge_update(dev.master)
        for vlan in dev.vlans:                  # netif_stacked_transfer_operstate()
            if vlan.admin_up:
                self._set_carrier(vlan, on)

    # bridges ---------------------------------------------------------------
    def _bridge_carrier(self, br: NetDevice) -> bool:
        ports = br.ports
        if not ports:
            # a 6.x bridge that never had a port keeps the carrier it opened with; once
            # its last port leaves, it has none (3.10 bridges start without carrier)
            return not br.had_ports and self.kernel.get("bridge_empty_carrier", True)
        return any(p.admin_up and p.carrier for p in ports)

    def _bridge_update(self, br: NetDevice) -> None:
        if not br.addr_set_by_user and br.ports:
            br.address = min(p.address for p in br.ports)
        if br.admin_up:
            self._set_carrier(br, self._bridge_carrier(br))

    def set_master(self, dev: NetDevice, master: NetDevice | None) -> None:
        if master is not None:
            if master.kind != "bridge":
                raise KernelError(Errno.EOPNOTSUPP)
            if master is dev:
                raise KernelError(Errno.ELOOP)
        old = dev.master
        if old is master:
            return
        if old is not None:
            old.ports.remove(dev)
            dev.master = None
            self._bridge_update(old)
        if master is not None:
            dev.master = master
            master.ports.append(dev)
            master.had_ports = True
            self._bridge_update(master)

    # link settings -----------------------------------------------------------
    def set_mtu(self, dev: NetDevice, mtu: int) -> None:
        if mtu < 0 or mtu < dev.info.min_mtu:
            raise KernelError(Errno.EINVAL, "mtu less than device minimum")
        if dev.info.max_mtu > 0 and mtu > dev.info.max_mtu:
            raise KernelError(Errno.EINVAL, "mtu greater than device maximum")
        if dev.lower is not None and mtu > dev.lower.mtu:
            raise KernelError(Errno.ERANGE)     # vlan_dev_change_mtu()
        dev.mtu = mtu
        for vlan in dev.vlans:                  # NETDEV_CHANGEMTU: VLANs shrink along
            vlan.mtu = min(vlan.mtu, mtu)

    def set_address(self, dev: NetDevice, mac: bytes) -> None:
        if len(mac) != len(dev.address):
            raise KernelError(Errno.EINVAL)
        if mac[0] & 1 or mac == bytes(len(mac)):
            raise KernelError(Errno.EADDRNOTAVAIL)
        dev.address = mac
        dev.addr_assign_random = False
        if dev.kind in ("bridge", "vlan"):
            dev.addr_set_by_user = True
        for vlan in dev.vlans:                  # vlan_sync_address() of the UP ones
            if vlan.admin_up and not vlan.addr_set_by_user:
                vlan.address = mac
        if dev.master is not None:
            self._bridge_update(dev.master)

    def rename(self, dev: NetDevice, name: str) -> None:
        if name == dev.name:
            return
        if self.by_name(name) is not None:
            raise KernelError(Errno.EEXIST)
        old = dev.name
        dev.name = name
        self._relabel_ifa4(dev, old)

    def _relabel_ifa4(self, dev: NetDevice, old: str) -> None:
        """inetdev_changename(): the first address takes the new name, the others keep
        their alias suffix (or get `:N`)."""
        for n, ifa in enumerate(dev.ifa4):
            previous = ifa.label
            ifa.label = dev.name
            if n == 0:
                continue
            dot = previous[previous.index(":"):] if ":" in previous else f":{n + 1}"
            if len(dot) + len(dev.name) < IFNAMSIZ:
                ifa.label = dev.name + dot
            else:
                ifa.label = dev.name[:IFNAMSIZ - len(dot) - 1] + dot

    # --------------------------------------------------------------- addresses
    def ifa4(self, dev: NetDevice) -> list[Ifa4]:
        return dev.ifa4

    def ifa6(self, dev: NetDevice) -> list[Ifa6]:
        return dev.ifa6

    def add_ifa4(self, dev: NetDevice, new: Ifa4, *, replace_: bool = False) -> None:
        ifas = self.ifa4(dev)
        for ifa in ifas:
            if ifa.prefixlen == new.prefixlen and ifa.address in new.network:
                if ifa.local == new.local:
                    if replace_:
                        ifa.broadcast, ifa.label, ifa.metric = new.broadcast, new.label, new.metric
                        return
                    raise KernelError(Errno.EEXIST, "ipv4: Address already assigned.")
                if ifa.scope != new.scope:
                    raise KernelError(Errno.EINVAL, "ipv4: Invalid scope value.")
                new.secondary = True
        insert_ifa4(ifas, new)
        self._fib_add_ifaddr(dev, new)

    def primary_of(self, dev: NetDevice, ifa: Ifa4) -> Ifa4:
        if not ifa.secondary:
            return ifa
        for other in self.ifa4(dev):
            if not other.secondary and other.prefixlen == ifa.prefixlen and ifa.address in other.network:
                return other
        return ifa

    def del_ifa4(self, dev: NetDevice, ifa: Ifa4) -> None:
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
        for victim in doomed:
            ifas.remove(victim)
        for victim in doomed:
            self._fib_del_ifaddr(dev, victim)
        if promote is not None:
            ifas.remove(promote)
            promote.secondary = False
            insert_ifa4(ifas, promote)
            for other in [promote] + [o for o in ifas if o.secondary and promote.same_subnet(o)]:
                self._fib_del_ifaddr(dev, other)
                self._fib_add_ifaddr(dev, other)

    def add_ifa6(self, dev: NetDevice, new: Ifa6) -> None:
        if self.conf(6, dev, "disable_ipv6") == "1":
            raise KernelError(Errno.EACCES, "IPv6 is disabled on this device")
        for ifa in self.ifa6(dev):
            if ifa.address == new.address:
                raise KernelError(Errno.EEXIST, "ipv6: address already assigned.")
        needs_dad = not new.nodad and dev.kind != "loopback" and \
            self.conf(6, dev, "accept_dad") != "0"
        new.tentative = needs_dad
        insert_ifa6(self.ifa6(dev), new)
        if dev.inet6_ready:
            self._ifa6_configure(dev, new)
        elif dev.admin_up:
            self._ifa6_prefix_route(dev, new)

    def del_ifa6(self, dev: NetDevice, ifa: Ifa6) -> None:
        self.ifa6(dev).remove(ifa)
        self._remove_routes(lambda r: r.family == 6 and r.oif == dev.ifindex and (
            (r.table == TABLE_LOCAL and r.type == RTN.LOCAL and r.dst.network_address == ifa.address)
            or (r.protocol == Proto.KERNEL and r.type == RTN.UNICAST and r.dst == ifa.network
                and not any(o.network == r.dst for o in self.ifa6(dev)))))

    def local_addresses(self) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        out = []
        for dev in self.device_list():
            out += [i.local for i in self.ifa4(dev)] + [i.address for i in self.ifa6(dev)]
        return out

    # ------------------------------------------------------------ kernel routes
    def _kernel_routes_v4(self, dev: NetDevice, ifa: Ifa4) -> list[Route]:
        """fib_add_ifaddr(): the routes an IPv4 address brings."""
        prim = self.primary_of(dev, ifa)
        src = prim.local
        out = [Route(ipaddress.IPv4Network(ifa.local), TABLE_LOCAL, RTN.LOCAL, Proto.KERNEL,
                     Scope.HOST, prefsrc=src, oif=dev.ifindex)]
        if not dev.admin_up:
            return out
        if ifa.broadcast is not None and ifa.broadcast != V4_LIMITED_BROADCAST:
            out.append(Route(ipaddress.IPv4Network(ifa.broadcast), TABLE_LOCAL, RTN.BROADCAST,
                             Proto.KERNEL, Scope.LINK, prefsrc=src, oif=dev.ifindex))
        net = ifa.network
        if (int(net.network_address) >> 24 != 0 and not ifa.secondary
                and (net.network_address != ifa.local or ifa.prefixlen < 32)):
            if not ifa.noprefixroute:
                if dev.kind == "loopback":
                    out.append(Route(net, TABLE_LOCAL, RTN.LOCAL, Proto.KERNEL, Scope.HOST,
                                     prefsrc=src, oif=dev.ifindex, priority=ifa.metric))
                else:
                    out.append(Route(net, TABLE_MAIN, RTN.UNICAST, Proto.KERNEL, Scope.LINK,
                                     prefsrc=src, oif=dev.ifindex, priority=ifa.metric))
            if ifa.prefixlen < 31:
                out.append(Route(ipaddress.IPv4Network(net.broadcast_address), TABLE_LOCAL,
                                 RTN.BROADCAST, Proto.KERNEL, Scope.LINK, prefsrc=src,
                                 oif=dev.ifindex))
        return out

    def _fib_add_ifaddr(self, dev: NetDevice, ifa: Ifa4) -> None:
        for route in self._kernel_routes_v4(dev, ifa):
            table = self.table(4, route.table, create=True)
            if not any(_same_kernel_route(r, route) for r in table.routes):
                table.routes.append(route)

    def _fib_del_ifaddr(self, dev: NetDevice, ifa: Ifa4) -> None:
        """fib_del_ifaddr(): drop the routes only this address justified."""
        still = []
        for d in self.device_list():
            for other in self.ifa4(d):
                still += self._kernel_routes_v4(d, other)
        for route in self._kernel_routes_v4(dev, ifa):
            if any(_same_kernel_route(s, route) for s in still):
                continue
            table = self.table(4, route.table)
            if table is not None:
                table.routes[:] = [r for r in table.routes if not _same_kernel_route(r, route)]

    def _remove_routes(self, predicate) -> None:
        for table in self.tables.values():
            table.routes[:] = [r for r in table.routes if not predicate(r)]

    def _flush_routes_of(self, dev: NetDevice, everything: bool) -> None:
        """fib_sync_down_dev(): routes through a device that went down die, except
        host-scope ones (local addresses), unless the device is going away."""
        def dead(r: Route) -> bool:
            if r.oif != dev.ifindex:
                return False
            if r.family == 6:
                return True
            return everything or r.scope != Scope.HOST
        self._remove_routes(dead)

    # ------------------------------------------------------------- link events
    def _loopback_up(self, dev: NetDevice) -> None:
        lo4 = Ifa4(ipaddress.IPv4Address("127.0.0.1"), 8, ipaddress.IPv4Address("127.0.0.1"),
                   scope=Scope.HOST, label=dev.name)
        if not any(i.local == lo4.local and i.prefixlen == 8 for i in self.ifa4(dev)):
            insert_ifa4(self.ifa4(dev), lo4)

    def _netdev_up(self, dev: NetDevice) -> None:
        for ifa in list(self.ifa4(dev)):
            self._fib_add_ifaddr(dev, ifa)
        if dev.kind == "loopback":
            dev.inet6_ready = True
            if not any(i.address == ipaddress.IPv6Address("::1") for i in self.ifa6(dev)):
                ifa = Ifa6(ipaddress.IPv6Address("::1"), 128, Scope.HOST)
                insert_ifa6(self.ifa6(dev), ifa)
            for ifa in self.ifa6(dev):
                self._ifa6_configure(dev, ifa)
        else:
            # addresses added while down get their prefix routes with the link up,
            # carrier or not; DAD and the link-local wait for carrier
            for ifa in self.ifa6(dev):
                self._ifa6_prefix_route(dev, ifa)
            if dev.carrier:
                self._addrconf_ready(dev)

    def _netdev_change(self, dev: NetDevice) -> None:
        if dev.admin_up and dev.carrier and not dev.inet6_ready:
            self._addrconf_ready(dev)

    def _netdev_down(self, dev: NetDevice) -> None:
        self._flush_routes_of(dev, everything=False)
        if "_stack" in self.__dict__:
            self.stack.arp.flush_dev(dev.ifindex)
            self.stack.nd.flush_dev(dev.ifindex)
        if self.conf(6, dev, "keep_addr_on_down") != "1":
            self.ifa6(dev).clear()
        dev.inet6_ready = False

    def _addrconf_ready(self, dev: NetDevice) -> None:
        """addrconf_dev_config(): a link with carrier gets its IPv6 link-local address,
        fe80::/64 and ff00::/8, and DAD starts for tentative addresses."""
        dev.inet6_ready = True
        if self.conf(6, dev, "disable_ipv6") == "1":
            return
        self._add_route6(Route(ipaddress.IPv6Network("fe80::/64"), TABLE_MAIN, RTN.UNICAST,
                               Proto.KERNEL, oif=dev.ifindex, priority=256))
        self._add_route6(Route(ipaddress.IPv6Network("ff00::/8"), TABLE_LOCAL, RTN.MULTICAST,
                               Proto.KERNEL, oif=dev.ifindex, priority=256))
        ll = eui64_link_local(dev.address)
        if dev.addrgenmode == "none":
            pass
        elif not any(i.address == ll for i in self.ifa6(dev)):
            insert_ifa6(self.ifa6(dev), Ifa6(ll, 64, Scope.LINK, tentative=True, permanent=False))
        for ifa in self.ifa6(dev):
            self._ifa6_configure(dev, ifa)
        if dev.kind != "loopback":
            # joining the solicited-node group of the tentative address: MLDv2 from ::
            self.clock.call_later(MLD_DELAY, self, "_mld_join_tentative", dev, ll)

    def _mld_join_tentative(self, dev: NetDevice, ll: ipaddress.IPv6Address) -> None:
        if self._ipv6_live(dev):
            self.stack.mld_report(dev, ipaddress.IPv6Address("::"), self.stack._solicited_node(ll))

    def _ifa6_prefix_route(self, dev: NetDevice, ifa: Ifa6) -> None:
        if ifa.prefixlen < 128 and not ifa.noprefixroute and ifa.scope != Scope.LINK:
            self._add_route6(Route(ifa.network, TABLE_MAIN, RTN.UNICAST, Proto.KERNEL,
                                   oif=dev.ifindex, priority=ifa.metric or 256))

    def _ifa6_configure(self, dev: NetDevice, ifa: Ifa6) -> None:
        self._ifa6_prefix_route(dev, ifa)
        if ifa.tentative:
            # addrconf_dad_start(): a random delay (up to rtr_solicit_delay), one probe,
            # then one retrans_time of silence before the address is valid
            probe_at = self.rng.random() * DAD_SPREAD
            self.clock.call_later(probe_at, self, "_dad_probe", dev, ifa)
            self.clock.call_later(probe_at + DAD_MIN_DELAY, self, "_dad_complete", dev, ifa)
        else:
            self._ifa6_local_route(dev, ifa)

    def _ipv6_live(self, dev: NetDevice) -> bool:
        """A queued IPv6 event still applies: the device is here, ready, IPv6 on."""
        return dev.inet6_ready and dev.netns is self and dev.ifindex in self.devices and \
            self.conf(6, dev, "disable_ipv6") != "1"

    def _dad_probe(self, dev: NetDevice, ifa: Ifa6) -> None:
        if self._ipv6_live(dev):
            self.stack.dad_probe(dev, ifa.address)

    def _dad_complete(self, dev: NetDevice, ifa: Ifa6) -> None:
        if ifa not in self.ifa6(dev) or not ifa.tentative or not dev.inet6_ready:
            return
        ifa.tentative = False
        self._ifa6_local_route(dev, ifa)
        if ifa.scope == Scope.LINK and dev.kind != "loopback":
            # addrconf_dad_completed(): report the group from the new address, then
            # solicit routers (again after rtr_solicit_interval, backing off)
            self.stack.mld_report(dev, ifa.address, self.stack._solicited_node(ifa.address))
            self.clock.call_later(self.rng.random() * RS_DELAY, self, "_router_solicit", dev,
                                  ifa, RS_INTERVAL, self.kernel.get("rtr_solicits", -1))

    def _router_solicit(self, dev: NetDevice, ifa: Ifa6, interval: float, left: int) -> None:
        """addrconf_rs_timer(): rtr_solicits -1 (6.x) solicits forever, backing off;
        3.10 sent three."""
        if ifa not in self.ifa6(dev) or ifa.tentative:
            return
        if self._ipv6_live(dev):
            self.stack.router_solicit(dev, ifa.address)
        if dev.inet6_ready and dev.ifindex in self.devices and left != 1:
            backoff = min(interval * 2, RS_MAX_INTERVAL) if left < 0 else interval
            self.clock.call_later(interval, self, "_router_solicit", dev, ifa, backoff,
                                  left - 1 if left > 0 else -1)

    def _ifa6_local_route(self, dev: NetDevice, ifa: Ifa6) -> None:
        self._add_route6(Route(ipaddress.IPv6Network(ifa.address), TABLE_LOCAL, RTN.LOCAL,
                               Proto.KERNEL, oif=dev.ifindex, priority=0))

    def _add_route6(self, route: Route) -> None:
        table = self.table(6, route.table, create=True)
        if not any(_same_kernel_route(r, route) for r in table.routes):
            table.routes.append(route)

    # ------------------------------------------------------------ user routes
    def resolve_gateway(self, gateway, dev: NetDevice | None, table_id: int) -> NetDevice:
        """fib_check_nh(): the gateway must resolve through a link- or host-scope route
        (a connected prefix or a local address), on the given device if there is one."""
        family = gateway.version
        if family == 6 and gateway.is_link_local and dev is None:
            raise KernelError(Errno.EINVAL, "Egress device not specified")
        best = None
        for tid in (TABLE_LOCAL, TABLE_MAIN):
            table = self.table(family, tid)
            if table is None:
                continue
            for r in table.sorted_routes():
                if gateway not in r.dst or r.gateway is not None:
                    continue
                if family == 4 and r.scope < Scope.LINK:
                    continue
                if dev is not None and r.oif != dev.ifindex and r.type == RTN.UNICAST:
                    continue
                if best is None or r.dst.prefixlen > best.dst.prefixlen:
                    best = r
            if best is not None and tid == TABLE_LOCAL:
                break
        if best is None:
            if family == 6:
                raise KernelError(Errno.EHOSTUNREACH)
            raise KernelError(Errno.EINVAL, "Nexthop has invalid gateway")
        if best.type not in (RTN.UNICAST, RTN.LOCAL):
            raise KernelError(Errno.EINVAL, "Nexthop has invalid gateway")
        found = dev if dev is not None else self.by_index(best.oif)
        if family == 4 and found is not None and not found.admin_up:
            raise KernelError(Errno.ENETDOWN, "Nexthop device is not up")
        return found

    def add_route(self, route: Route, *, excl: bool = True, replace_: bool = False,
                  append: bool = False, create: bool = True) -> None:
        dev = self.by_index(route.oif)
        if route.type not in DEVLESS_TYPES:
            if route.gateway is not None and not route.onlink:
                dev = self.resolve_gateway(route.gateway, dev, route.table)
                route.oif = dev.ifindex
            elif dev is None:
                raise KernelError(Errno.ENODEV)
            elif not dev.admin_up and route.family == 4:
                raise KernelError(Errno.ENETDOWN, "Device for nexthop is not up.")
        if route.prefsrc is not None and route.prefsrc not in self.local_addresses():
            raise KernelError(Errno.EINVAL, "Invalid prefsrc address")
        if route.family == 6 and route.priority == 0:
            route.priority = 1024
        table = self.table(route.family, route.table, create=create)
        if table is None:
            raise KernelError(Errno.ENOENT)
        table.insert(route, excl=excl, replace_=replace_, append=append, create=create)

    def delete_route(self, family: int, table_id: int, sel: dict) -> Route:
        table = self.table(family, table_id)
        if table is None:
            raise KernelError(Errno.ESRCH)
        for r in table.sorted_routes():
            if _del_matches(r, sel):
                table.remove(r)
                return r
        raise KernelError(Errno.ESRCH)

    # ------------------------------------------------------------------ lookup
    def select_source(self, dev: NetDevice | None, dst, scope: int = Scope.LINK):
        """inet_select_addr(): a primary address of the device in the destination's
        subnet, else its first primary, else any address of the namespace."""
        family = dst.version
        if family == 4:
            candidates = []
            if dev is not None:
                candidates = [i for i in self.ifa4(dev) if not i.secondary and i.scope <= scope]
                for ifa in candidates:
                    if dst in ifa.network:
                        return ifa.local
                if candidates:
                    return candidates[0].local
            for d in self.device_list():
                for ifa in self.ifa4(d):
                    if not ifa.secondary and ifa.scope < Scope.LINK:
                        return ifa.local
            return None
        pool = [i for i in self.ifa6(dev)] if dev is not None else []
        pool = [i for i in pool if not i.tentative or i.nodad]
        same = [i for i in pool if dst in i.network and i.scope == ipv6_scope(dst)]
        if same:
            return same[0].address
        wanted = [i for i in pool if i.scope == ipv6_scope(dst)] or pool
        if wanted:
            return wanted[0].address
        for d in self.device_list():
            for ifa in self.ifa6(d):
                if ifa.scope == Scope.UNIVERSE and not ifa.tentative:
                    return ifa.address
        return None

    def lookup(self, dst, src=None, oif: NetDevice | None = None, *,
               iif: NetDevice | None = None, mark: int = 0) -> tuple[Route, int]:
        """fib_lookup() through the rules (fib_rules_lookup); returns the route and the
        table it came from. Raises KernelError with the errno the rule action or the
        route type implies. A flow without `iif` is locally generated (iif lo)."""
        family = dst.version
        flow = _Flow(dst, src, oif.ifindex if oif is not None else 0,
                     iif.ifindex if iif is not None else LOOPBACK_IFINDEX, mark)
        rules = self.rules[family]
        i = 0
        while i < len(rules):
            rule = rules[i]
            i += 1
            if not self._rule_match(rule, flow):
                continue
            if rule.action == FRAct.GOTO:
                target = self._goto_target(rule)
                if target is not None:
                    i = target      # the target rule is matched next (`goto jumped`)
                continue
            if rule.action == FRAct.NOP:
                continue
            if rule.action != FRAct.TO_TBL:
                # fib4_rule_action / fib6_rule_action
                raise KernelError({FRAct.UNREACHABLE: Errno.ENETUNREACH,
                                   FRAct.PROHIBIT: Errno.EACCES}.get(rule.action, Errno.EINVAL))
            table = self.table(family, rule.table)
            if table is None:
                continue
            best = None
            for r in table.sorted_routes():
                if dst not in r.dst:
                    continue
                if oif is not None and r.oif is not None and r.oif != oif.ifindex:
                    continue
                if r.oif is not None:
                    d = self.by_index(r.oif)
                    if d is None or (family == 6 and r.type == RTN.UNICAST and not d.admin_up):
                        continue
                if best is None or r.dst.prefixlen > best.dst.prefixlen:
                    best = r
            if best is None:
                continue
            if best.type == RTN.THROW:
                continue
            if best.type == RTN.UNREACHABLE:
                raise KernelError(Errno.EHOSTUNREACH)
            if best.type == RTN.PROHIBIT:
                raise KernelError(Errno.EACCES)
            if best.type == RTN.BLACKHOLE:
                raise KernelError(Errno.EINVAL)
            if self._rule_suppress(rule, best):
                continue
            table_id = rule.table
            if table_id == TABLE_LOCAL and family == 4 and not self.custom_rules(4):
                # without custom rules the kernel keeps local and main in one trie
                # (fib_unmerge has not run): lookups report table main
                table_id = TABLE_MAIN
            return best, table_id
        raise KernelError(Errno.ENETUNREACH)

    # ------------------------------------------------------------------ rules
    # Like the kernel's fib_has_custom_rules: set for good by the first IPv4 rule added
    # or deleted (fib_unmerge splits local from main then). A class default, not a
    # field, so that it stays within the rule code.
    fib_has_custom_rules = False

    def custom_rules(self, family: int) -> bool:
        return family == 4 and self.fib_has_custom_rules

    def _rule_match(self, rule: Rule, flow: "_Flow") -> bool:
        """fib_rule_match() with fib4_rule_match / fib6_rule_match; `not` inverts all."""
        return _rule_selects(rule, flow, self._ifindex_of(rule.iifname),
                             self._ifindex_of(rule.oifname)) != rule.invert

    def _ifindex_of(self, name: str) -> int:
        """A rule's iifindex/oifindex: 0 without a name, -1 (never matches) when no
        device has that name (the rule is detached)."""
        if not name:
            return 0
        dev = self.by_name(name)
        return dev.ifindex if dev is not None else -1

    def _goto_target(self, rule: Rule) -> int | None:
        """rule->ctarget: the first rule with the target priority (None: unresolved)."""
        for n, r in enumerate(self.rules[rule.family]):
            if r.priority == rule.target:
                return n
        return None

    def _rule_suppress(self, rule: Rule, route: Route) -> bool:
        """fib4_rule_suppress / fib6_rule_suppress: refuse a result whose prefix is
        not longer than suppress_prefixlength, or whose device is in suppress_ifgroup."""
        if route.dst.prefixlen <= rule.suppress_prefixlen:
            return True
        dev = self.by_index(route.oif)
        return rule.suppress_ifgroup != -1 and dev is not None and \
            dev.group == rule.suppress_ifgroup

    def rule_status(self, rule: Rule) -> dict[str, bool]:
        """The state flags fib_nl_fill_rule() reports with a rule."""
        return {"iif_detached": self._ifindex_of(rule.iifname) == -1,
                "oif_detached": self._ifindex_of(rule.oifname) == -1,
                "unresolved": rule.action == FRAct.GOTO and self._goto_target(rule) is None}

    def default_rule_pref(self, family: int) -> int:
        """fib_default_rule_pref(): one below the second rule's priority (the first is
        normally the local rule at 0), or 0 when that is 0 or there is no second rule."""
        rules = self.rules[family]
        if len(rules) >= 2 and rules[1].priority:
            return rules[1].priority - 1
        return 0

    def _nl2rule(self, msg: RuleMsg) -> Rule:
        """fib_nl2rule(): a request's header and attributes as a rule."""
        bits = 32 if msg.family == 4 else 128
        for pfx, what in ((msg.src, "source"), (msg.dst, "dst")):
            if pfx is not None and pfx.network.prefixlen and (
                    pfx.version != msg.family or pfx.network.prefixlen > bits):
                raise KernelError(Errno.EINVAL, f"Invalid {what} address")
        rule = Rule(priority=msg.priority if msg.priority is not None
                    else self.default_rule_pref(msg.family),
                    table=msg.table, family=msg.family, action=msg.action,
                    invert=msg.invert, tos=msg.tos,
                    src=msg.src if msg.src is not None and msg.src.network.prefixlen else None,
                    dst=msg.dst if msg.dst is not None and msg.dst.network.prefixlen else None,
                    iifname=msg.iifname or "", oifname=msg.oifname or "",
                    protocol=msg.protocol or Proto.UNSPEC)
        if msg.fwmark is not None:
            rule.mark = msg.fwmark
            # compatibility: a non-zero mark compares all bits unless a mask is given
            rule.mark_mask = 0xFFFFFFFF if msg.fwmark else 0
        if msg.fwmask is not None:
            rule.mark_mask = msg.fwmask
        if msg.suppress_prefixlen is not None:
            rule.suppress_prefixlen = msg.suppress_prefixlen
        if msg.suppress_ifgroup is not None:
            rule.suppress_ifgroup = msg.suppress_ifgroup
        if msg.goto is not None:
            if rule.action != FRAct.GOTO:
                raise KernelError(Errno.EINVAL, "Unexpected goto")
            rule.target = msg.goto
            if rule.target <= rule.priority:
                raise KernelError(Errno.EINVAL, "Backward goto not supported")
        elif rule.action == FRAct.GOTO:
            raise KernelError(Errno.EINVAL, "Missing goto target for action goto")
        return rule

    def add_rule(self, msg: RuleMsg) -> Rule:
        """fib_nl_newrule() with NLM_F_EXCL: the new rule goes after every rule whose
        priority is not higher."""
        rule = self._nl2rule(msg)
        if rule.tos & 0x03:
            raise KernelError(Errno.EINVAL, "Invalid dsfield (tos): ECN bits must be 0")
        if rule.family == 4 and rule.tos & ~0x1E:
            # IPv4 does not handle the high order DSCP bits
            raise KernelError(Errno.EINVAL, "Invalid tos")
        rules = self.rules[rule.family]
        if any(_rule_same(r, rule, msg) for r in rules):
            raise KernelError(Errno.EEXIST)
        if rule.action == FRAct.TO_TBL:
            if rule.family == 6:
                if rule.table == 0:
                    raise KernelError(Errno.EINVAL, "Invalid table")
                self.table(6, rule.table, create=True)
            elif rule.table == 0:
                # fib_empty_table(): the lowest table id not in use
                rule.table = next(t for t in range(1, 2 ** 32) if self.table(4, t) is None)
                self.table(4, rule.table, create=True)
        if rule.family == 4:
            self.fib_has_custom_rules = True
        at = 0
        while at < len(rules) and rules[at].priority <= rule.priority:
            at += 1
        rules.insert(at, rule)
        return rule

    def delete_rule(self, msg: RuleMsg) -> Rule:
        """fib_nl_delrule(): the first rule that the request's given attributes match."""
        sel = self._nl2rule(msg)
        for r in self.rules[sel.family]:
            if _rule_found(r, sel, msg):
                self.rules[sel.family].remove(r)
                if sel.family == 4:
                    self.fib_has_custom_rules = True
                return r
        raise KernelError(Errno.ENOENT)


@dataclass
class _Flow:
    """The parts of a flowi that rules look at."""
    dst: object
    src: object
    oif: int
    iif: int
    mark: int


def _rule_selects(rule: Rule, flow: _Flow, iifindex: int, oifindex: int) -> bool:
    if iifindex and iifindex != flow.iif:
        return False
    if oifindex and oifindex != flow.oif:
        return False
    if (rule.mark ^ flow.mark) & rule.mark_mask:
        return False
    if rule.src is not None:
        src = flow.src
        if src is None:
            if rule.family == 6:
                return False        # no RT6_LOOKUP_F_HAS_SADDR: a source rule cannot match
            src = ipaddress.IPv4Address(0)
        if src not in rule.src.network:
            return False
    if rule.dst is not None and flow.dst not in rule.dst.network:
        return False
    return not rule.tos      # flows here carry no tos


def rule_msg(rule: Rule) -> RuleMsg:
    """What a dump reports of a rule, as a request (`ip rule flush` sends it back)."""
    return RuleMsg(family=rule.family, action=rule.action, table=rule.table,
                   invert=rule.invert, tos=rule.tos, src=rule.src, dst=rule.dst,
                   priority=rule.priority,
                   fwmark=rule.mark if rule.mark or rule.mark_mask else None,
                   fwmask=rule.mark_mask or None, iifname=rule.iifname or None,
                   oifname=rule.oifname or None, protocol=rule.protocol,
                   suppress_prefixlen=rule.suppress_prefixlen,
                   suppress_ifgroup=rule.suppress_ifgroup if rule.suppress_ifgroup != -1 else None,
                   goto=rule.target if rule.action == FRAct.GOTO else None)


def _addr_compare(r: Rule, msg: RuleMsg) -> bool:
    """fib4_rule_compare / fib6_rule_compare: the header's prefix lengths and tos
    count only when non-zero; addresses compare unmasked."""
    for mine, given in ((r.src, msg.src), (r.dst, msg.dst)):
        plen = given.network.prefixlen if given is not None else 0
        if plen and (mine is None or mine.network.prefixlen != plen or mine.ip != given.ip):
            return False
    return not msg.tos or r.tos == msg.tos


def _rule_same(r: Rule, rule: Rule, msg: RuleMsg) -> bool:
    """rule_exists(): the generic fields all equal (not the `not` flag), the
    family's own fields as _addr_compare has them."""
    return (r.action, r.table, r.priority, r.iifname, r.oifname, r.mark, r.mark_mask,
            r.suppress_ifgroup, r.suppress_prefixlen, r.protocol) == \
        (rule.action, rule.table, rule.priority, rule.iifname, rule.oifname, rule.mark,
         rule.mark_mask, rule.suppress_ifgroup, rule.suppress_prefixlen, rule.protocol) \
        and _addr_compare(r, msg)


def _rule_found(r: Rule, sel: Rule, msg: RuleMsg) -> bool:
    """rule_find(): only what the request set is compared."""
    checks = [
        (sel.action, r.action == sel.action),
        (sel.table, r.table == sel.table),
        (msg.priority is not None, r.priority == sel.priority),
        (sel.iifname, r.iifname == sel.iifname),
        (sel.oifname, r.oifname == sel.oifname),
        (sel.mark, r.mark == sel.mark),
        (sel.suppress_ifgroup != -1, r.suppress_ifgroup == sel.suppress_ifgroup),
        (sel.suppress_prefixlen != -1, r.suppress_prefixlen == sel.suppress_prefixlen),
        (sel.mark_mask, r.mark_mask == sel.mark_mask),
        (sel.protocol, r.protocol == sel.protocol),
    ]
    return all(ok for given, ok in checks if given) and _addr_compare(r, msg)


def _same_kernel_route(a: Route, b: Route) -> bool:
    return (a.table, a.type, a.dst, a.oif, a.prefsrc, a.priority, a.protocol) == \
        (b.table, b.type, b.dst, b.oif, b.prefsrc, b.priority, b.protocol)


def _del_matches(r: Route, sel: dict) -> bool:
    """fib_table_delete(): unspecified selectors match anything."""
    if r.dst != sel["dst"] or r.tos != sel.get("tos", 0):
        return False
    if sel.get("type") and r.type != sel["type"]:
        return False
    if sel.get("scope") not in (None, Scope.NOWHERE) and r.scope != sel["scope"]:
        return False
    if sel.get("priority") and r.priority != sel["priority"]:
        return False
    if sel.get("protocol") and r.protocol != sel["protocol"]:
        return False
    if sel.get("prefsrc") is not None and r.prefsrc != sel["prefsrc"]:
        return False
    if sel.get("gateway") is not None and r.gateway != sel["gateway"]:
        return False
    if sel.get("oif") is not None and r.oif != sel["oif"]:
        return False
    return True
