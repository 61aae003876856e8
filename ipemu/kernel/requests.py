"""What tools send the kernel: rtnetlink requests with the NLM_F_* flags iproute2 sets
(`ip addr add` = CREATE|EXCL, `replace` = CREATE|REPLACE, `change` = REPLACE). The
kernel alone decides what a request means (NetNamespace.new_addr / del_addr)."""
from __future__ import annotations

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:           # annotations only
    import ipaddress
from ipemu.kernel.enums import int_flag

from ipemu.plainclass import dataclass


@int_flag
class NLM_F:
    """nlmsg_flags of a NEW request (<linux/netlink.h>)."""

    REQUEST = 0x01
    ACK = 0x04
    REPLACE = 0x100
    EXCL = 0x200
    CREATE = 0x400
    APPEND = 0x800


@dataclass(frozen=True)
class AddrRequest:
    """RTM_NEWADDR / RTM_DELADDR as ipaddress.c ipaddr_modify() builds it: the header
    (family, prefixlen, scope, ifindex) and the attributes given (None: absent)."""

    family: int
    ifindex: int
    prefixlen: int
    local: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None   # IFA_LOCAL
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None  # IFA_ADDRESS
    broadcast: ipaddress.IPv4Address | None = None
    label: str | None = None
    scope: int = 0
    metric: int = 0
    nodad: bool = False
    noprefixroute: bool = False
    home: bool = False              # IFA_F_HOMEADDRESS (IPv6)
    mngtmpaddr: bool = False        # IFA_F_MANAGETEMPADDR (IPv6)
    autojoin: bool = False          # IFA_F_MCAUTOJOIN
    optimistic: bool = False        # IFA_F_OPTIMISTIC (IPv6)
    flags: NLM_F = NLM_F.REQUEST | NLM_F.ACK
    # IFA_CACHEINFO ifa_valid / ifa_prefered (rtm_to_ifaddr(): infinite when absent)
    valid_lft: int = 0xFFFFFFFF
    preferred_lft: int = 0xFFFFFFFF


# ------------------------------------------------------------------------ links
@dataclass(frozen=True)
class VethData:
    """IFLA_INFO_DATA of a veth: VETH_INFO_PEER, the peer's own ifinfomsg and
    attributes (veth_parse_opt() parses them as a link of their own)."""

    peer: "LinkRequest"


@dataclass(frozen=True)
class VlanData:
    """IFLA_INFO_DATA of a VLAN (vlan_parse_opt()): None for what was not given."""

    id: int | None = None                   # IFLA_VLAN_ID
    protocol: int | None = None             # IFLA_VLAN_PROTOCOL
    flags: tuple[tuple[str, bool], ...] = ()   # IFLA_VLAN_FLAGS: (name, on), in order
    ingress_qos: tuple[tuple[int, int], ...] = ()
    egress_qos: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class BridgeData:
    """IFLA_INFO_DATA of a bridge: the options given (bridge_parse_opt())."""

    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MacvlanData:
    """IFLA_INFO_DATA of a macvlan/macvtap (macvlan_parse_opt()): None for what was not
    given."""

    mode: int | None = None                 # IFLA_MACVLAN_MODE
    flags: int | None = None                # IFLA_MACVLAN_FLAGS
    bc_queue_len: int | None = None         # IFLA_MACVLAN_BC_QUEUE_LEN
    macaddr_mode: int | None = None         # IFLA_MACVLAN_MACADDR_MODE (add 0, del 1,
                                            # flush 2, set 3)
    macaddr: bytes | None = None            # IFLA_MACVLAN_MACADDR
    macaddr_data: tuple = ()                # IFLA_MACVLAN_MACADDR_DATA's addresses


@dataclass(frozen=True)
class VrfData:
    """IFLA_INFO_DATA of a vrf (vrf_parse_opt()): IFLA_VRF_TABLE, None if not given."""

    table: int | None = None


@dataclass(frozen=True)
class KindData:
    """IFLA_INFO_DATA of the kinds of kernel/bond.py, ipvlan.py and ip_tunnel.py: the
    attributes sent, as (name, value) pairs in the order their parse_opt() adds them."""

    attrs: tuple[tuple[str, object], ...] = ()

    def get(self, name: str, default=None):
        for key, value in self.attrs:
            if key == name:
                return value
        return default

    def has(self, name: str) -> bool:
        return any(key == name for key, _ in self.attrs)


@dataclass(frozen=True)
class VxlanData(KindData):
    """IFLA_INFO_DATA of a vxlan (vxlan_parse_opt()): the IFLA_VXLAN_* attributes sent,
    as (name, value) pairs in the order given (None: no data at all)."""


@dataclass(frozen=True)
class LinkInfo:
    """IFLA_LINKINFO: the kind and its data (None: no IFLA_INFO_DATA sent)."""

    kind: str
    data: VethData | VlanData | BridgeData | MacvlanData | VxlanData | VrfData | KindData \
        | None = None


@dataclass(frozen=True)
class LinkRequest:
    """RTM_NEWLINK / RTM_DELLINK as iplink_modify() builds it: the ifinfomsg header
    (ifi_index, ifi_flags, ifi_change) and the attributes given (None: absent).
    `ip link add` sends CREATE|EXCL, `replace` CREATE|REPLACE, `set` neither."""

    ifindex: int = 0                   # ifi_index
    ifi_flags: int = 0                 # IFF_* values to set ...
    ifi_change: int = 0                # ... and which of them to change
    ifname: str | None = None          # IFLA_IFNAME
    mtu: int | None = None             # IFLA_MTU
    address: bytes | None = None       # IFLA_ADDRESS
    broadcast: bytes | None = None     # IFLA_BROADCAST
    txqlen: int | None = None          # IFLA_TXQLEN
    group: int | None = None           # IFLA_GROUP
    master: int | None = None          # IFLA_MASTER: an ifindex, 0 for nomaster
    link: int | None = None            # IFLA_LINK: the lower device's ifindex
    net_ns: str | None = None          # IFLA_NET_NS_FD: the target namespace's name
    net_ns_pid: int | None = None      # IFLA_NET_NS_PID
    # IFLA_NET_NS_PID of a process whose namespace has no name (`unshare -n sleep &`):
    # the namespace get_net_ns_by_pid() finds, as the tool layer found it
    net_ns_of_pid: object = None
    link_netnsid: int | None = None    # IFLA_LINK_NETNSID: an id in the target namespace
    linkinfo: LinkInfo | None = None   # IFLA_LINKINFO
    ifalias: str | None = None         # IFLA_IFALIAS ("" clears it)
    carrier: bool | None = None        # IFLA_CARRIER
    proto_down: bool | None = None     # IFLA_PROTO_DOWN (or IFLA_PROTO_DOWN_REASON given)
    addrgenmode: str | None = None     # IFLA_AF_SPEC's IFLA_INET6_ADDR_GEN_MODE
    num_tx_queues: int | None = None   # IFLA_NUM_TX_QUEUES
    num_rx_queues: int | None = None   # IFLA_NUM_RX_QUEUES
    gso_max_size: int | None = None    # IFLA_GSO_MAX_SIZE
    gso_max_segs: int | None = None    # IFLA_GSO_MAX_SEGS
    gro_max_size: int | None = None    # IFLA_GRO_MAX_SIZE
    operstate: str | None = None       # IFLA_OPERSTATE (an IF_OPER_* name)
    link_mode: int | None = None       # IFLA_LINKMODE (IF_LINK_MODE_*)
    vfinfo: bool = False               # IFLA_VFINFO_LIST (its settings: no device has VFs)
    flags: NLM_F = NLM_F.REQUEST | NLM_F.ACK


# ----------------------------------------------------------------------- routes
@dataclass(slots=True)
class RouteRequest:
    """RTM_NEWROUTE / RTM_DELROUTE as iproute_modify() builds it: the rtmsg header
    (family, dst_len, tos, table, protocol, scope, type) and the attributes given
    (None: absent). iproute2 fills the header's defaults itself (scope from the type
    and gateway, the local table for local/broadcast/nat/anycast types). Not frozen:
    a batch builds one per line, and a frozen class's __init__ sets each of its 18
    fields through object.__setattr__ (4 us of a 40 us route line); nothing changes
    a request once built (plainclass.replace makes a new one)."""

    family: int
    dst_len: int
    dst: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None   # RTA_DST
    tos: int = 0
    table: int = 254                   # rtm_table / RTA_TABLE (RT_TABLE_MAIN)
    protocol: int = 3                  # RTPROT_BOOT (0 in a delete)
    scope: int = 0
    type: int = 1                      # RTN_UNICAST
    type_given: bool = True            # a delete without a type matches any type
    priority: int | None = None        # RTA_PRIORITY
    prefsrc: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    gateway: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    oif: int | None = None             # RTA_OIF
    onlink: bool = False               # RTNH_F_ONLINK in rtm_flags
    pref: str | None = None            # RTA_PREF (IPv6)
    multipath: tuple["RtNexthop", ...] = ()   # RTA_MULTIPATH
    nhid: int | None = None            # RTA_NH_ID
    cc_algo: str | None = None         # RTAX_CC_ALGO in RTA_METRICS (congctl)
    flags: NLM_F = NLM_F.REQUEST | NLM_F.ACK
    # RTA_METRICS' numeric values, in RTAX order: (name, value, locked: RTAX_LOCK bit)
    metrics: tuple[tuple[str, int | str, bool], ...] = ()
    flow: int = 0                      # RTA_FLOW: realms, FROM << 16 | TO
    expires: int | None = None         # RTA_EXPIRES: seconds (IPv6 only)
    encap: object = None               # RTA_ENCAP(_TYPE): a kernel/lwtunnel.LwtEncap
    src_len: int = 0                   # rtm_src_len (`from PREFIX`'s length)
    # RTNH_F_DEAD | RTNH_F_LINKDOWN in rtm_flags: only a saved dump sent back
    # (ip route restore) carries them
    dead_linkdown: bool = False


@dataclass(frozen=True)
class RtNexthop:
    """struct rtnexthop of RTA_MULTIPATH as parse_one_nh() fills it: the gateway
    (RTA_GATEWAY inside), rtnh_ifindex, rtnh_hops (weight - 1), RTNH_F_ONLINK."""

    gateway: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None
    oif: int | None = None
    hops: int = 0
    onlink: bool = False
    flow: int = 0                      # RTA_FLOW inside it
    encap: object = None               # RTA_ENCAP(_TYPE) inside it (lwtunnel.LwtEncap)
    dead_linkdown: bool = False        # RTNH_F_DEAD | RTNH_F_LINKDOWN (a restored dump)


@dataclass(frozen=True)
class RtEntry:
    """struct rtentry of SIOCADDRT / SIOCDELRT as net-tools' INET_setroute() fills it
    (None: a sockaddr left with family 0)."""

    dst: int = 0
    genmask: int | None = None         # rt_genmask
    gateway: int | None = None         # rt_gateway
    host: bool = False                 # RTF_HOST
    is_gateway: bool = False           # RTF_GATEWAY
    reject: bool = False               # RTF_REJECT
    metric: int = 0                    # rt_metric: the metric + 1
    dev: str | None = None             # rt_dev, `dev:label` allowed
    mtu: int | None = None             # rt_mtu with RTF_MTU (RTF_MSS)
    window: int | None = None          # rt_window with RTF_WINDOW
    irtt: int | None = None            # rt_irtt with RTF_IRTT


@dataclass(frozen=True)
class In6Rtmsg:
    """struct in6_rtmsg of the IPv6 SIOCADDRT / SIOCDELRT (net-tools INET6_setroute())."""

    dst: ipaddress.IPv6Network
    gateway: ipaddress.IPv6Address | None = None
    metric: int = 1024
    ifindex: int = 0


# ------------------------------------------------------------------ ioctls
@dataclass(frozen=True)
class Ifreq:
    """struct ifreq of a SIOCxIFxxx ioctl (net-tools ifconfig): the name (`dev:label`
    allowed) and the one value a set call carries (None: not this call's)."""

    name: str
    addr: ipaddress.IPv4Address | None = None   # ifr_addr / ifr_netmask / ifr_broadaddr
    flags: int | None = None                    # ifr_flags (a short)
    mtu: int | None = None                      # ifr_mtu
    hwaddr: bytes | None = None                 # ifr_hwaddr.sa_data
    hwtype: int | None = None                   # ifr_hwaddr.sa_family (ARPHRD_*)
    qlen: int | None = None                     # ifr_qlen
    newname: str | None = None                  # ifr_newname (SIOCSIFNAME)


@dataclass(frozen=True)
class ArpReq:
    """struct arpreq of SIOCSARP / SIOCDARP (net-tools arp): the address, the hardware
    address, the ATF_* flags and the device named (empty: the route decides)."""

    ip: ipaddress.IPv4Address
    ha: bytes | None = None
    flags: int = 0
    dev: str = ""
    netmask: ipaddress.IPv4Address | None = None    # arp_netmask with ATF_NETMASK
    hatype: int = 1                     # arp_ha.sa_family (net-tools: -H, ether)
