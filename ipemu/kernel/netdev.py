"""Network devices: what `struct net_device` holds, and the rules for flags and operstate.

No text here: renderers turn these values into what `ip link` prints.
"""
from __future__ import annotations

from ipemu.kernel.enums import int_flag

from ipemu.plainclass import dataclass, field, slotted

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only: netdev_priv's classes load on first use
    from ipemu.kernel.netdev_priv import (BondPriv, BondSlave, IpvlanPort, MacvlanPriv,
                                          TunnelPriv, TunPriv, VlanPriv, VxlanPriv)


_int_or = int.__or__          # two flag sets as one plain int, in C


def own_list(dev, name: str) -> list:
    """The device's list `name` (vlans, macvlans, ports, mdb, altnames, mr_tomb,
    mc_autojoin, mld_tomb, uc), made its own list the first time something goes in:
    they start as the shared empty tuple, as most devices never hold anything there
    (nine empty lists a device were a seventh of what the garbage collector walks
    after 2,000 veth devices came up)."""
    found = getattr(dev, name)
    if found.__class__ is not list:
        found = list(found)
        setattr(dev, name, found)
    return found


def own_set(dev, name: str) -> set:
    """The device's set `name` (fdb_sticky, fdb_ext), made its own set the first time
    something goes in: as own_list()'s lists, they start as the shared empty frozenset
    (an empty set is an object the garbage collector tracks, two for every device;
    an empty dict, as fdb and fdb_state are, it does not track)."""
    found = getattr(dev, name)
    if found.__class__ is not set:
        found = set(found)
        setattr(dev, name, found)
    return found


def unmark(marks: frozenset | set, mac: bytes) -> None:
    """set.discard() for a set own_set() makes: one that holds `mac` is the device's own."""
    if mac in marks:
        marks.remove(mac)


class IFF(metaclass=int_flag):
    """Device flags as in <linux/if.h> (the values iproute2 decodes)."""

    UP = 0x1
    BROADCAST = 0x2
    DEBUG = 0x4
    LOOPBACK = 0x8
    POINTOPOINT = 0x10
    NOTRAILERS = 0x20
    RUNNING = 0x40
    NOARP = 0x80
    PROMISC = 0x100
    ALLMULTI = 0x200
    MASTER = 0x400
    SLAVE = 0x800
    MULTICAST = 0x1000
    PORTSEL = 0x2000
    AUTOMEDIA = 0x4000
    DYNAMIC = 0x8000
    LOWER_UP = 0x10000
    DORMANT = 0x20000
    ECHO = 0x40000


# every flag but IFF_RUNNING, IFF_LOWER_UP, IFF_DORMANT, as a plain int: what
# rtnl_dev_combine_flags() keeps of the device's flags (the kernel sets those three)
IFF_NOT_OPER = ~(int(IFF.RUNNING) | int(IFF.LOWER_UP) | int(IFF.DORMANT))
# __dev_change_flags(): the bits a flags request may set or clear outright (UP, PROMISC
# and ALLMULTI go their own ways; the rest are the driver's)
IFF_USER_CHANGEABLE = (IFF.DEBUG | IFF.NOTRAILERS | IFF.NOARP | IFF.DYNAMIC | IFF.MULTICAST
                       | IFF.PORTSEL | IFF.AUTOMEDIA)

# the empty set of routes (table, seq) a device's linkdown_cleared and dead6 mostly
# are: one object for every device (each frozenset() is a new one the garbage
# collector tracks)
NO_ROUTES: frozenset = frozenset()

# RFC 2863 operational states, as the kernel numbers them (IF_OPER_*).
OPERSTATES = ("UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP")


@dataclass(slots=True)
class LinkStats(metaclass=slotted):
    """The counters of `struct rtnl_link_stats64` that `ip -s link` shows."""

    rx_bytes: int = 0
    rx_packets: int = 0
    rx_errors: int = 0
    rx_dropped: int = 0
    rx_missed: int = 0
    rx_mcast: int = 0
    tx_bytes: int = 0
    tx_packets: int = 0
    tx_errors: int = 0
    tx_dropped: int = 0
    tx_carrier: int = 0
    tx_collisions: int = 0
    rx_length_errors: int = 0
    rx_crc_errors: int = 0
    rx_frame_errors: int = 0
    rx_fifo_errors: int = 0
    rx_over_errors: int = 0
    tx_aborted_errors: int = 0
    tx_fifo_errors: int = 0
    tx_window_errors: int = 0
    tx_heartbeat_errors: int = 0
    rx_nohandler: int = 0
    # dev_core_stats_rx_otherhost_dropped_inc(): a frame to another host's MAC that
    # reached IP (ip_rcv_core(), ip6_rcv_core()); no sysfs file shows it
    rx_otherhost_dropped: int = 0


@dataclass(frozen=True)
class KindInfo:
    """What a device driver fixes for its devices (limits, defaults, link type)."""

    kind: str               # "loopback", "veth", "bridge", "ether"
    link_type: str          # ARPHRD name as iproute2 prints it: "loopback", "ether"
    base_flags: IFF
    mtu: int
    min_mtu: int
    max_mtu: int
    txqlen: int
    up_qdisc: str           # the qdisc the device gets when it first comes up
    numtxqueues: int = 1
    numrxqueues: int = 1
    real_numtxqueues: int = 0     # 0: the kind's default (sch_api.dev_real_numtxqueues())
    real_numrxqueues: int = 0     # 0: the kind's default (sch_api.dev_real_numrxqueues())
    tso_max_size: int = 524280
    has_lower_link: bool = False  # iflink != ifindex: LOWERLAYERDOWN without carrier


def _kinds() -> dict[str, KindInfo]:
    """KINDS, made on first use (creating a device): `ip link show` on a restored host
    needs none of its 20 records (__getattr__)."""
    return {
        "loopback": KindInfo("loopback", "loopback", IFF.LOOPBACK, 65536, 0, 0, 1000, "noqueue"),
        "veth": KindInfo("veth", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65535, 1000,
                         "noqueue", numtxqueues=2, numrxqueues=2, has_lower_link=True),
        "bridge": KindInfo("bridge", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65535, 1000,
                           "noqueue", tso_max_size=65536),
        "dummy": KindInfo("dummy", "ether", IFF.BROADCAST | IFF.NOARP, 1500, 0, 0, 1000, "noqueue"),
        # drivers/net/ifb.c ifb_setup(): ether_setup(), then NOARP on and MULTICAST off,
        # TX_Q_LIMIT (32) as qlen, no MTU limits; a queue of its own (pfifo_fast)
        "ifb": KindInfo("ifb", "ether", IFF.BROADCAST | IFF.NOARP, 1500, 0, 0, 32, "pfifo_fast"),
        "ether": KindInfo("ether", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 9000, 1000,
                          "mq"),
        # vlan_setup(): min 0, max ETH_MAX_MTU; flags, MTU, MAC and TSO limit come from the
        # lower device at creation
        "vlan": KindInfo("vlan", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 0, 65535, 1000,
                         "noqueue", has_lower_link=True),
        # macvlan_common_setup(): ETH_MIN_MTU..ETH_MAX_MTU; the MTU and TSO limit come from
        # the lower device at creation; macvtap_setup() sets TUN_READQ_SIZE (500) as qlen
        "macvlan": KindInfo("macvlan", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65535,
                            1000, "noqueue", has_lower_link=True),
        # (only macvlan_setup() adds IFF_NO_QUEUE: a macvtap comes up with pfifo_fast)
        "macvtap": KindInfo("macvtap", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65535,
                            500, "pfifo_fast", has_lower_link=True),
        # drivers/net/tun.c tun_net_init(): a tun is ARPHRD_NONE without an address, a tap
        # Ethernet (max MTU ETH_MAX_MTU - ETH_HLEN); both are "tun" to rtnetlink, take
        # TUN_READQ_SIZE (500) / 1000 as qlen and have no carrier until a reader attaches
        "tun": KindInfo("tun", "none", IFF.POINTOPOINT | IFF.MULTICAST | IFF.NOARP, 1500, 68,
                        65535, 500, "pfifo_fast", tso_max_size=65536),
        # vxlan_setup(): ETH_MAX_MTU; the MTU is the lower's minus the headroom when a
        # device is named (vxlan_config_apply())
        "vxlan": KindInfo("vxlan", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65535, 1000,
                          "noqueue", tso_max_size=65536),
        "tap": KindInfo("tun", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65521, 1000,
                        "pfifo_fast", tso_max_size=65536),
        # drivers/net/vrf.c vrf_setup(), vrf_dev_init(): ether_setup() then the flags
        # MASTER|NOARP, IPV6_MIN_MTU..IP6_MAX_MTU with the largest as MTU, IFF_NO_QUEUE;
        # its carrier is never switched off
        "vrf": KindInfo("vrf", "ether", IFF.MASTER | IFF.NOARP, 65575, 1280, 65575, 1000,
                        "noqueue", tso_max_size=65536),
        # drivers/net/bonding/bond_main.c bond_setup(): ether_setup() and MASTER, no
        # qdisc, ETH_MAX_MTU; bond_get_num_tx_queues(): tx_queues (16) both ways
        # IP tunnels (net/ipv4/ip_gre.c, ipip.c, net/ipv6/sit.c): no ARP, no carrier
        # management (operstate UNKNOWN); the MTU and its limits are set per device
        # (kernel/ip_tunnel.py), the ones here are a netlink-made device's
        "gre": KindInfo("gre", "gre", IFF.NOARP, 1476, 0, 0, 1000, "noqueue",
                        tso_max_size=65536),
        "ipip": KindInfo("ipip", "ipip", IFF.NOARP, 1480, 0, 0, 1000, "noqueue",
                         tso_max_size=65536),
        "sit": KindInfo("sit", "sit", IFF.NOARP, 1480, 1280, 65555, 1000, "noqueue",
                        tso_max_size=65536),
        "gretap": KindInfo("gretap", "ether", IFF.BROADCAST | IFF.MULTICAST, 1462, 68, 0, 1000,
                           "pfifo_fast", tso_max_size=65536),
        "erspan": KindInfo("erspan", "ether", IFF.BROADCAST | IFF.MULTICAST, 1450, 68, 0, 1000,
                           "pfifo_fast", tso_max_size=65536),
        # drivers/net/ipvlan/ipvlan_main.c ipvlan_link_setup(): ether_setup(), no qdisc,
        # ETH_MAX_MTU; the lower's MAC and MTU; ipvtap_setup(): TUN_READQ_SIZE as qlen
        "ipvlan": KindInfo("ipvlan", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65535,
                           1000, "noqueue", has_lower_link=True),
        "ipvtap": KindInfo("ipvtap", "ether", IFF.BROADCAST | IFF.MULTICAST, 1500, 68, 65535,
                           500, "noqueue", has_lower_link=True),
        "bond": KindInfo("bond", "ether", IFF.BROADCAST | IFF.MULTICAST | IFF.MASTER, 1500, 68,
                         65535, 1000, "noqueue", numtxqueues=16, numrxqueues=16,
                         tso_max_size=65536),
    }


IFNAMSIZ = 16            # <linux/if.h>: names are at most 15 bytes
ETH_P_8021Q = 0x8100
ETH_P_8021AD = 0x88A8


# <linux/if_link.h> enum macvlan_mode and the MACVLAN_FLAG_* bits
MACVLAN_MODE_PRIVATE = 1
MACVLAN_MODE_VEPA = 2
MACVLAN_MODE_BRIDGE = 4
MACVLAN_MODE_PASSTHRU = 8
MACVLAN_MODE_SOURCE = 16
MACVLAN_FLAG_NOPROMISC = 1
MACVLAN_FLAG_NODST = 2


# <linux/if_tun.h> ifr_flags of TUNSETIFF and the tun_flags sysfs shows
IFF_TUN = 0x0001
IFF_TAP = 0x0002
IFF_MULTI_QUEUE = 0x0100
IFF_PERSIST = 0x0800
IFF_NO_PI = 0x1000
IFF_ONE_QUEUE = 0x2000
IFF_VNET_HDR = 0x4000
IFF_TUN_EXCL = 0x8000


class DevAddrGenid:
    """net->ipv4.dev_addr_genid, one counter for every namespace: moved on by each
    address added, deleted or changed in flags, of any family (the kernel's
    fib_netdev_event() / fib_inetaddr_event(); here dev_addr_changed() at each change
    of a device's address lists and each rtmsg_ifa()). What is worked out of the
    addresses, a nexthop's source (fib_info_update_nhc_saddr()), is kept with the
    value it was worked out under and stands while the value does."""

    value = 0


def dev_addr_changed() -> None:
    """atomic_inc(&net->ipv4.dev_addr_genid)."""
    DevAddrGenid.value += 1


@dataclass(slots=True, eq=False)
class NetDevice(metaclass=slotted):
    """One network device in one namespace. Slotted: a namespace may hold 20,000 of
    them, and a dict of ~75 attributes is no shared-key dict (CPython shares keys up
    to 30): ~1.5 KB each against ~0.6 KB of slots (made so at once: slotted()). Compared by identity, as the kernel
    compares struct net_device pointers (`dev in waiting` compared every field of every
    listed device: quadratic in 1,000 `link add`s before a `link set up`)."""

    ifindex: int
    name: str
    info: KindInfo
    address: bytes
    broadcast: bytes
    mtu: int
    txqlen: int
    admin_up: bool = False
    carrier: bool = False
    qdisc: str = "noop"
    group: int = 0
    master: NetDevice | None = None
    peer: NetDevice | None = None        # the other end of a veth pair
    lower: NetDevice | None = None       # the device a VLAN sits on
    addr_assign_random: bool = True      # address came from the random generator
    addr_set_by_user: bool = False       # bridges stop following their ports then
    addr_assign_set: bool = False        # NET_ADDR_SET: dev_set_mac_address() from userspace
    # the "ready" state of IPv6 (addrconf): set once UP with carrier
    inet6_ready: bool = False
    # bumped when IPv6 goes down on the device: its pending DAD, MLD and RS work is
    # cancelled then (addrconf_ifdown(), ipv6_mc_down()), so a stale timer does nothing
    inet6_gen: int = 0
    lw_ran: bool = False                 # a linkwatch event has set the operstate
    # ndo_open() has switched the carrier on (veth_open()) but dev_open() has not yet
    # come to netif_carrier_on()'s bookkeeping here: NETDEV_UP's routes see it on
    carrier_opening: bool = False
    # the IPv4 routes (table, seq) that fib_sync_up() at NETDEV_UP found RUNNING without
    # carrier (a carrier-off still held by linkwatch) and freed of RTNH_F_LINKDOWN,
    # until the next NETDEV_CHANGE (linkwatch_do_dev()) marks them again
    linkdown_cleared: frozenset = NO_ROUTES
    # the IPv6 multipath routes (table, seq) whose nexthop through the device
    # rt6_sync_down_dev(NETDEV_DOWN) marked RTNH_F_DEAD: addrconf_notify() clears it
    # (rt6_sync_up(dev, RTNH_F_DEAD)) only once addrconf_link_ready(), so a device set
    # up without carrier keeps them dead (IPv4's fib_sync_up() at NETDEV_UP does not wait)
    dead6: frozenset = NO_ROUTES
    # the IPv4 multipath routes (table, seq) whose nexthop through the device, up,
    # fib_disable_ip(force) marked RTNH_F_DEAD|RTNH_F_LINKDOWN when its last address
    # went (the route kept by its other nexthops): fib_sync_up(dev, RTNH_F_DEAD) at an
    # address's NETDEV_UP or the device's clears it
    dead4: frozenset = NO_ROUTES
    # while dev_close() runs for a device that was up without carrier: its IPv6 routes
    # keep the RTNH_F_LINKDOWN they had when NETDEV_DOWN deletes them
    closing_linkdown: bool = False
    # a bridge's br_port_state_selection() has run without ports (kernel STP started):
    # its carrier is off until a port comes
    br_selected: bool = False
    stats: LinkStats = field(default_factory=LinkStats)
    netns: object = None                 # the NetNamespace the device lives in
    ifa4: list = field(default_factory=list)     # in_device's ifa_list (Ifa4)
    ifa6: list = field(default_factory=list)     # inet6_dev's addr_list (Ifa6)
    carrier_changes: int = 0
    # the first counted carrier change was a netif_carrier_on() (a macvlan made over a
    # lower without carrier: the transfer before its registration is not counted)
    carrier_first_up: bool = False
    own_flags: IFF | None = None         # flags a VLAN copied from its lower device
    tso_max_size: int = 0
    gso_max_size: int = 65536            # GSO_LEGACY_MAX_SIZE until IFLA_GSO_MAX_SIZE
    gso_max_segs: int = 65535            # GSO_MAX_SEGS
    gro_max_size: int = 65536            # GRO_LEGACY_MAX_SIZE
    up_qdisc: str = ""                   # the qdisc it gets when it first comes up
    link_carrier: bool = True            # a physical NIC's cable is plugged in
    addrgenmode: str = "eui64"           # IN6_ADDR_GEN_MODE_*
    ipv6_token: int = 0                  # idev->token (`ip token`): its low 64 bits
    vlans: list[NetDevice] = ()   # the VLANs on this device
    vlan: VlanPriv | None = None         # a VLAN device's own settings
    macvlans: list[NetDevice] = ()  # macvlan_port: uppers here
    macvlan_perm_addr: bytes = b""       # macvlan_port->perm_addr (restored at destroy)
    macvlan_addr_change: bool = False    # MACVLAN_F_ADDRCHANGE: the passthru macvlan's doing
    uc_promisc_held: int = 0            # dev->uc_promisc as the device was closed with
    macvlan: MacvlanPriv | None = None   # a macvlan/macvtap device's own settings
    tun: TunPriv | None = None           # a tun/tap device's own settings
    vxlan: VxlanPriv | None = None       # a vxlan device's configuration
    ports: list[NetDevice] = ()   # a bridge's ports
    had_ports: bool = False              # a bridge that ever had a port
    mtu_set_by_user: bool = False        # BROPT_MTU_SET_BY_USER: br_mtu_auto_adjust() stops
    # a bridge's STP settings as br_changelink() set them (clock_t units, as
    # br_fill_info() reports them); absent: the defaults of br_dev_setup()
    br_conf: dict = field(default_factory=dict)
    br_stp: object = None                # kernel STP's state, once turned on (kernel/br_stp.py)
    # without kernel STP (kernel/bridge.py br_nostp_sync()): each enabled port's
    # forward_delay_timer expiry (None: not armed), by ifindex; the gc work's first run
    br_fd_timers: dict = field(default_factory=dict)
    br_gc_start: float | None = None
    fdb: dict = field(default_factory=dict)  # a bridge's forwarding database: MAC -> port
    fdb_state: dict = field(default_factory=dict)  # user entries' NUD state, by MAC
    # user entries added sticky (BR_FDB_STICKY), by MAC; this and fdb_ext start as the
    # shared empty frozenset (own_set())
    fdb_sticky: frozenset | set = frozenset()
    # user entries learnt externally (BR_FDB_ADDED_BY_EXT_LEARN: `extern_learn`), by MAC
    fdb_ext: frozenset | set = frozenset()
    # a bridge's entries' (used, updated) clock times, by MAC (struct net_bridge_fdb_entry)
    fdb_times: dict = field(default_factory=dict)
    # when each entry (local ones too) was made, as far as a listener saw it: the
    # kernel's fdb_list is newest first, and deletions walk it (MAC -> sequence)
    fdb_born: dict = field(default_factory=dict)
    mdb: list = ()  # a bridge's multicast groups (kernel/br_mdb.py)
    gflags: IFF = IFF(0)                 # PROMISC/ALLMULTI as asked for by hand (dev->gflags)
    ifalias: str = ""                    # IFLA_IFALIAS (dev_set_alias())
    # what was written to the queues' sysfs files (net-sysfs.c): "rx-N/rps_cpus",
    # "rx-N/rps_flow_cnt", "tx-N/xps_cpus", "tx-N/xps_rxqs" -> value (absent: 0)
    queue_conf: dict = field(default_factory=dict)
    l3_stats: bool = False               # offload L3 stats requested (RTM_SETSTATS)
    altnames: list[str] = ()   # IFLA_ALT_IFNAME, in order added
    # multicast memberships (ipemu/kernel/mcast.py): dev->mc, in_dev->mc_list,
    # idev->mc_list, whether IPv6's groups are loaded into dev->mc; dev->uc
    mc: list = field(default_factory=list)
    mc4: list = field(default_factory=list)
    mc6: list = field(default_factory=list)
    mc6_loaded: bool = True
    # IGMPv3 (kernel/mcast.py Igmp): in_dev->mr_ifc_count and in_dev->mr_ifc_timer
    mr_ifc_count: int = 0
    mr_ifc_timer: object = None
    mr_tomb: list = ()   # in_dev->mc_tomb: [group, crcount]
    # in_dev->mr_v1_seen/mr_v2_seen (until when a v1/v2 querier was heard),
    # mr_gq_timer, and the groups' own timers: group int -> [timer, unsolicit_count,
    # reporter] (kernel/mcast.py Igmp.igmp_rcv())
    mr_v1_seen: float = 0.0
    mr_v2_seen: float = 0.0
    mr_gq_timer: object = None
    mr_timers: dict | None = None
    # a bridge's own IGMP query timers (kernel/br_mdb.py br_querier_sync()): port
    # ifindex (0: the bridge's own context) -> [startup_sent, timer]
    mc_queries: dict | None = None
    # when the IPv4 other_query delay_timer br_multicast_set_querier() armed ends:
    # until then no querier exists (br_multicast_querier_exists())
    mc_querier_delay: float = 0.0
    # a bridge's or a port's multicast counters (br_multicast_count(), kept while
    # mcast_stats_enabled): (counter, 0 RX / 1 TX) -> count
    br_mc_stats: dict | None = None
    # the groups the namespace's autojoin sockets joined on it (ip_mc_config_addr(),
    # ipv6_mc_config(): `ip addr add MCADDR ... autojoin`), in join order
    mc_autojoin: list = ()
    # the all-routers groups joined for forwarding (ipv6_add_dev(): ff02::2 when the
    # device is made forwarding; dev_forward_change(): ff02::2, ff01::2, ff05::2);
    # None until the device's first group sync
    mc_routers: tuple | None = None
    # idev->ac_list: the anycast addresses joined (__ipv6_dev_ac_inc()), newest
    # first, each [address, aca_users] (/proc/net/anycast6)
    ac6: list = ()
    # MLDv2 (kernel/addrconf.py): idev->mc_ifc_count, idev->mc_ifc_work and
    # idev->mc_tomb (the groups left, [group, crcount], newest first)
    mld_ifc_count: int = 0
    mld_ifc_timer: object = None
    mld_tomb: list = ()
    mc_proto: dict = field(default_factory=dict)   # dev->mc users the protocols hold
    uc: list = ()
    brport: object = None               # a bridge port's BrPortConf (kernel/bridge.py)
    # the operstate linkwatch last gave a device with a lower link that lost its
    # carrier (default_operstate(): DOWN or LOWERLAYERDOWN); "" until it ran
    lw_operstate: str = ""
    # the operstate shown while linkwatch holds the device's event (kernel/link_watch.py)
    lw_held: str = ""
    # the carrier NETDEV_CHANGE last told the fib of while linkwatch holds an event
    # (RTNH_F_LINKDOWN is set and cleared only then: fib_netdev_event())
    lw_fib_carrier: bool = False
    lw_fib_routes: frozenset = frozenset()     # (family, table, seq) of the routes it held
    # packet sockets with PACKET_MR_PROMISC on the device (libpcap's promiscuous open:
    # tcpdump without -p): each adds one to dev->promiscuity until it closes
    # (packet_dev_mc() -> dev_set_promiscuity(); recorded, ip -d link's promiscuity)
    packet_promisc: int = 0
    # set_operstate() (IFLA_OPERSTATE): DORMANT or TESTING asked for by hand, kept
    # until the next carrier change (the carrier_changes it was set at)
    oper_set: tuple[str, int] | None = None
    link_mode: int = 0                   # IFLA_LINKMODE: IF_LINK_MODE_DEFAULT/DORMANT/TESTING
    # dev_activate() has moved the qdisc in (carrier on while UP); dev_deactivate()
    # takes it out: qdisc_tx_changing() is an attached qdisc not yet active
    qdisc_active: bool = False
    sch: object = None                   # what tc attached (kernel/sch_api.py TcState)
    proto_down: bool = False             # IFLA_PROTO_DOWN
    vrf_table: int | None = None         # a vrf device's table (struct net_vrf tb_id)
    l3mdev_slave: bool = False           # IFF_L3MDEV_SLAVE: enslaved to a vrf
    bond: BondPriv | None = None         # a bond's parameters and state
    bond_slave: BondSlave | None = None  # a bond's slave: the bond's record of it
    tnl: TunnelPriv | None = None        # an IP tunnel's parameters (kernel/ip_tunnel.py)
    ipvlan_port: IpvlanPort | None = None  # a lower device's ipvlans (kernel/ipvlan.py)
    is_ipvlan: bool = False              # an ipvlan/ipvtap device (its lower: `lower`)
    renamed: bool = False                # dev_change_name(): NET_NAME_RENAMED
    name_enum: bool = False              # NET_NAME_ENUM: the kernel numbered its name

    @property
    def kind(self) -> str:
        return self.info.kind

    @property
    def is_up(self) -> bool:
        return self.admin_up

    @property
    def running(self) -> bool:
        """netif_running() && netif_oper_up(): what sets IFF_RUNNING."""
        return self.admin_up and self.operstate in ("UP", "UNKNOWN")

    @property
    def noarp(self) -> bool:
        """`flags & IFF.NOARP` without building the flags (asked per packet): the bit
        comes from the driver's or copied flags, or gflags, never from UP, RUNNING or
        LOWER_UP."""
        flags = self.own_flags if self.own_flags is not None else self.info.base_flags
        return bool(_int_or(flags, self.gflags) & 0x80)     # (int(): a call each)

    @property
    def flags(self) -> IFF:
        """The flags `dev_get_flags()` reports."""
        flags = self.own_flags if self.own_flags is not None else self.info.base_flags
        # dev_get_flags(): PROMISC and ALLMULTI as the user set them, not the counters;
        # summed as ints and made an IFF once (IntFlag's | costs a microsecond each)
        flags = int(flags) | int(self.gflags)
        if self.bond_slave is not None:
            flags |= 0x800              # IFF_SLAVE: bond_master_upper_dev_link()
        if self.admin_up:
            flags |= 0x1                    # IFF_UP
            if self.running:
                flags |= 0x40               # IFF_RUNNING
            if self.carrier:
                flags |= 0x10000            # IFF_LOWER_UP
        return IFF(flags)

    @property
    def operstate(self) -> str:
        """RFC 2863 operstate as the kernel's linkwatch leaves it."""
        if not self.admin_up:
            return "DOWN"
        if self.lw_held:
            return self.lw_held
        if self.oper_set is not None and self.oper_set[1] == self.carrier_changes:
            return self.oper_set[0]
        kind = self.info.kind
        if kind in ("loopback", "vxlan") or self.tnl is not None or \
                (kind in ("dummy", "ifb") and self.carrier and not self.carrier_changes):
            # drivers that never report a link state (a dummy until `carrier` is set
            # by hand)
            return "UNKNOWN"
        if kind == "bridge" and self.carrier and not self.lw_ran:
            # a bridge keeps the carrier it was opened with until its ports change it
            # (br_port_state_selection()); until a linkwatch event has run for it, its
            # operstate is the initial IF_OPER_UNKNOWN, ports or not
            return "UNKNOWN"
        if not self.carrier:
            if self.info.has_lower_link:
                return self.lw_operstate or "LOWERLAYERDOWN"
            return "DOWN"
        return "UP"

    @property
    def promiscuity(self) -> int:
        """dev->promiscuity: the user's request, a bridge port's (br_add_if()) and the
        packet sockets' (tcpdump without -p)."""
        # IFF_PROMISC on the int (an IFF `&` is a Python call; asked per link message)
        return (1 if int(self.gflags) & 0x100 else 0) + (1 if self.bridge_port else 0) \
            + self.packet_promisc

    @property
    def allmulti(self) -> int:
        """dev->allmulti: the user's request and a bridge port's."""
        return (1 if int(self.gflags) & 0x200 else 0) + (1 if self.bridge_port else 0)  # ALLMULTI

    @property
    def bridge_port(self) -> bool:
        """A bridge's port (br_add_if() makes it promiscuous and allmulti)."""
        return self.master is not None and self.master.kind == "bridge"

    @property
    def iflink(self) -> int:
        """IFLA_LINK: the peer's ifindex for a veth (in the peer's namespace, so it may
        equal the device's own index), else the device itself."""
        if self.peer is not None:
            return self.peer.ifindex
        if self.lower is not None:
            return self.lower.ifindex
        if self.tnl is not None:
            return self.tnl.link         # ip_tunnel_get_iflink(): 0 without a device
        return self.ifindex

    @property
    def linked(self) -> NetDevice | None:
        """The device IFLA_LINK names: a veth's peer, a VLAN's or macvlan's lower."""
        return self.peer if self.peer is not None else self.lower


# the driver-private classes of some kinds (ipemu/kernel/netdev_priv.py, their
# names this module's): loaded with the first device of such a kind
_PRIV = frozenset(("VlanPriv", "MacvlanPriv", "TunPriv", "VxlanPriv", "VxlanFdb", "BondPriv",
                   "BondSlave", "TunnelPriv", "IpvlanPort"))


def __getattr__(name: str):
    """KINDS and the driver-private classes, made when first asked for (PEP 562)."""
    if name == "KINDS":
        kinds = globals()["KINDS"] = _kinds()
        return kinds
    if name in _PRIV:
        from ipemu.kernel import netdev_priv
        return getattr(netdev_priv, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
