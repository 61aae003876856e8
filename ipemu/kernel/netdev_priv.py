"""The driver-private parts of some kinds of device (netdev_priv() in the kernel):
VLAN, macvlan, tun, vxlan, bond, tunnel and ipvlan devices'.

They are ipemu/kernel/netdev.py's classes by name (`__module__`, what a saved host
names them by, and netdev's `__getattr__`), written apart so that a host whose
devices have none of these kinds (`ip link show` on the booted host) builds none of
their 9 classes.
"""
from __future__ import annotations

from ipemu.kernel.netdev import ETH_P_8021Q, MACVLAN_MODE_VEPA
from ipemu.plainclass import dataclass, field

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only
    from ipemu.kernel.netdev import NetDevice


@dataclass
class VlanPriv:
    """struct vlan_dev_priv: what a VLAN device adds to its lower one."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    vlan_id: int
    vlan_proto: int = ETH_P_8021Q
    flags: list[str] = field(default_factory=lambda: ["REORDER_HDR"])
    ingress_qos: list = field(default_factory=list)     # (from, to) priority maps
    egress_qos: list = field(default_factory=list)


@dataclass
class MacvlanPriv:
    """struct macvlan_dev: what a macvlan/macvtap device adds to its lower one (the
    lower's `macvlans` list is its struct macvlan_port)."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    mode: int = MACVLAN_MODE_VEPA
    flags: int = 0
    bc_queue_len: int = 1000      # MACVLAN_DEFAULT_BC_QUEUE_LEN
    # source mode's remote MACs (macvlan_hash_add_source()), oldest first
    sources: list = field(default_factory=list)
    # when its address went into the lower's unicast list (macvlan_open()'s, or
    # macvlan_sync_address()'s dev_uc_add(): the list's order)
    uc_added: float = 0.0
    # a macvtap's character-device minor (tap_get_minor(): the lowest free from 1,
    # machine-wide), 0 for a macvlan
    tap_minor: int = 0


@dataclass
class TunPriv:
    """struct tun_struct: the TUNSETIFF flags kept, the owner and group (-1: none)."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    flags: int
    owner: int = -1
    group: int = -1


@dataclass
class VxlanPriv:
    """struct vxlan_config: what a vxlan device was made with (vxlan_nl2conf()); the
    default remote and the learnt ones are in `fdb` (MAC -> list of remote IPs)."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    vni: int
    remote: object = None                # IPv4/IPv6 address (group or unicast) or None
    local: object = None
    link: int = 0                        # remote_ifindex: the lower device, by index
    # vxlan->net: the namespace it was made from (vxlan_get_link_net()); None: its own
    link_net: object = None
    port: int = 8472                     # the kernel's default, not IANA's 4789
    port_range: tuple[int, int] = (0, 0)
    learning: bool = True
    ttl: int = 0                         # 0: auto
    ttl_inherit: bool = False
    tos: int = 0                         # 1: inherit
    df: int = 0                          # VXLAN_DF_UNSET
    label: int = 0
    ageing: int = 300
    limit: int = 0
    proxy: bool = False
    rsc: bool = False
    l2miss: bool = False
    l3miss: bool = False
    external: bool = False
    udp_csum: bool = True
    udp_zero_csum6_tx: bool = False
    udp_zero_csum6_rx: bool = False
    remcsum_tx: bool = False
    remcsum_rx: bool = False
    gbp: bool = False
    gpe: bool = False
    vnifilter: bool = False              # VXLAN_F_VNIFILTER: the VNIs are its vni list
    fdb: list = field(default_factory=list)   # VxlanFdb entries, in insertion order
    # the vni list of a vnifilter device (vxlan_vnifilter.c's vni_list): (vni, remote)
    # pairs in VNI order, the remote an address or None (not given)
    vnis: list = field(default_factory=list)


@dataclass
class VxlanFdb:
    """One remote of a vxlan FDB entry (struct vxlan_fdb / vxlan_rdst)."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    mac: bytes
    dst: object                          # the remote's IP address
    state: int = 0x82                    # NUD_*: PERMANENT|REACHABLE (the default
                                         # remote), REACHABLE (learnt), NOARP (static)
    port: int = 0                        # a remote port of its own (0: the device's)
    vni: int | None = None               # a remote VNI of its own
    ifindex: int = 0                     # `via DEV`: the device to reach the remote
    router: bool = False                 # NTF_ROUTER
    # the entry's ndm flags as added (f->flags: NTF_SELF, and for `bridge fdb add`'s
    # entries NTF_MASTER, NTF_EXT_LEARNED, NTF_STICKY... with NTF_VXLAN_ADDED_BY_USER)
    ntf: int = 0x02
    # the VNI the entry is for (fdb->vni): a vnifilter VNI's default remote has its
    # own; 0 for the rest (one table per VNI only on a collect-metadata device)
    src_vni: int = 0
    updated: float = 0.0                 # when it was last learnt
    used: float = 0.0                    # when it was last used to send
    nhid: int | None = None              # NDA_NH_ID: an fdb nexthop group, not a dst


@dataclass
class BondPriv:
    """struct bonding's params (bond_params) and state: the defaults are what
    bond_check_params() leaves a bond made by rtnetlink (miimon 100: no arp_interval).
    Delays are kept in milliseconds, as IFLA_BOND_* carry them."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    mode: int = 0                        # BOND_MODE_ROUNDROBIN
    miimon: int = 100
    updelay: int = 0
    downdelay: int = 0
    peer_notify_delay: int = 0
    use_carrier: int = 1
    arp_interval: int = 0
    arp_ip_target: list = field(default_factory=list)
    ns_ip6_target: list = field(default_factory=list)
    arp_validate: int = 0
    arp_all_targets: int = 0
    primary: str = ""                    # the primary slave's name (params.primary)
    primary_reselect: int = 0
    fail_over_mac: int = 0
    xmit_hash_policy: int = 0
    resend_igmp: int = 1
    num_peer_notif: int = 1
    all_slaves_active: int = 0
    min_links: int = 0
    lp_interval: int = 1
    packets_per_slave: int = 1
    lacp_active: int = 1
    lacp_rate: int = 0
    ad_select: int = 0
    ad_actor_sys_prio: int = 65535
    ad_user_port_key: int = 0
    tlb_dynamic_lb: int = 1
    missed_max: int = 2
    active: "NetDevice | None" = None    # curr_active_slave
    rr_tx_counter: int = 0


@dataclass
class BondSlave:
    """struct slave: what a bond keeps of one of its slaves."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    perm_hwaddr: bytes
    link_up: bool = False                # slave->link == BOND_LINK_UP
    link_failure_count: int = 0
    queue_id: int = 0
    prio: int = 0
    perm_mtu: int = 1500


@dataclass
class TunnelPriv:
    """struct ip_tunnel with its ip_tunnel_parm (include/net/ip_tunnels.h): what a
    gre, gretap, erspan, ipip or sit device was made with. GRE flags are the header's
    bits as iproute2 sends them (CSUM 0x8000, KEY 0x2000, SEQ 0x1000)."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    link: int = 0                        # parms.link: the underlay device's index
    local: object = None                 # iph.saddr (None: any)
    remote: object = None                # iph.daddr (None: any)
    ttl: int = 0                         # 0: inherit
    tos: int = 0                         # 1: inherit
    pmtudisc: bool = True                # iph.frag_off has IP_DF
    protocol: int = 47                   # iph.protocol: 47 gre, 4 ipip, 41 sit, 0 any
    i_flags: int = 0
    o_flags: int = 0
    i_key: int = 0
    o_key: int = 0
    fwmark: int = 0
    ignore_df: bool = False
    collect_md: bool = False
    erspan_ver: int = 1
    erspan_index: int = 0
    erspan_dir: int = 0
    erspan_hwid: int = 0
    encap: tuple = (0, 0, 0, 0)          # type, flags, sport, dport
    isatap: bool = False                 # sit: SIT_ISATAP
    ip6rd: tuple = ("2002::", 16, 0, 0)  # sit: 6rd prefix, length, relay prefix, length
    fallback: bool = False               # the namespace's gre0/tunl0/sit0...
    o_seqno: int = 0


@dataclass
class IpvlanPort:
    """struct ipvl_port: what a lower device with ipvlans keeps: the mode and flags
    all of them share, and the ipvlans themselves."""

    __module__ = "ipemu.kernel.netdev"     # its saved name (state.py)

    mode: int = 1                        # IPVLAN_MODE_L3 (ipvlan_port_create())
    flags: int = 0                       # IPVLAN_F_PRIVATE 1, IPVLAN_F_VEPA 2
    ipvlans: list = field(default_factory=list)
