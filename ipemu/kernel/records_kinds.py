"""The records of most kinds' own data as a link's record carries it (IFLA_INFO_DATA,
IFLA_INFO_SLAVE_DATA): VLAN, macvlan, tun, vxlan, vrf, bond, ipvlan and IP tunnels'.

Apart from ipemu/kernel/records.py (which answers for their names too) so that a host
with none of these kinds builds none of their classes; a bridge's records, which
saved hosts hold, stay there.
"""
from __future__ import annotations

from ipemu.plainclass import dataclass


@dataclass(frozen=True)
class VlanInfo:
    """IFLA_INFO_DATA of a VLAN device (vlan_fill_info())."""

    protocol: int
    id: int
    flags: tuple[str, ...]
    ingress_qos: tuple[tuple[int, int], ...] = ()
    egress_qos: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class MacvlanInfo:
    """IFLA_INFO_DATA of a macvlan/macvtap (macvlan_fill_info()): mode, flags and the
    broadcast queue's length asked for and used."""

    mode: int
    flags: int
    bc_queue_len: int
    bc_queue_len_used: int
    # IFLA_MACVLAN_MACADDR_COUNT, sent in source mode only (macvlan_fill_info()),
    # and IFLA_MACVLAN_MACADDR_DATA's addresses in the kernel's dump order
    macaddr_count: int | None = None
    macaddr_data: tuple = ()


@dataclass(frozen=True)
class TunInfo:
    """IFLA_INFO_DATA of a tun/tap (tun_fill_info()): the IFLA_TUN_* values; owner and
    group only when set (-1: not sent)."""

    type: int                  # IFF_TUN or IFF_TAP
    pi: bool
    vnet_hdr: bool
    multi_queue: bool
    persist: bool
    num_queues: int = 0
    num_disabled_queues: int = 0
    owner: int = -1
    group: int = -1


@dataclass(frozen=True)
class VxlanInfo:
    """IFLA_INFO_DATA of a vxlan (vxlan_fill_info()): the configuration as sent; the
    lower device by index (0: none)."""

    vni: int
    remote: object
    local: object
    link: int
    port_range: tuple[int, int]
    port: int
    learning: bool
    proxy: bool
    rsc: bool
    l2miss: bool
    l3miss: bool
    tos: int
    ttl: int
    ttl_inherit: bool
    df: int
    label: int
    ageing: int
    limit: int
    udp_csum: bool
    udp_zero_csum6_tx: bool
    udp_zero_csum6_rx: bool
    remcsum_tx: bool
    remcsum_rx: bool
    external: bool
    gbp: bool
    gpe: bool
    vnifilter: bool = False


@dataclass(frozen=True)
class VrfInfo:
    """IFLA_INFO_DATA of a vrf (vrf_fillinfo()), and IFLA_INFO_SLAVE_DATA of a device
    enslaved to one (vrf_fill_slave_info()): the table."""

    table: int


@dataclass(frozen=True)
class BondInfo:
    """IFLA_INFO_DATA of a bond (bond_fill_info()): the attributes sent, in its order,
    as (name, value) pairs (active_slave and primary as ifindexes, only when set)."""

    attrs: tuple[tuple[str, object], ...]

    def get(self, name: str, default=None):
        return dict(self.attrs).get(name, default)


@dataclass(frozen=True)
class BondSlaveInfo:
    """IFLA_INFO_SLAVE_DATA of a bond's slave (bond_fill_slave_info())."""

    state: int                  # BOND_STATE_ACTIVE 0, BACKUP 1
    mii_status: int             # BOND_LINK_UP 0, BOND_LINK_DOWN 2
    link_failure_count: int
    perm_hwaddr: bytes
    queue_id: int = 0
    prio: int = 0


@dataclass(frozen=True)
class IpvlanInfo:
    """IFLA_INFO_DATA of an ipvlan/ipvtap (ipvlan_nl_fillinfo()): the port's mode and
    flags."""

    mode: int
    flags: int


@dataclass(frozen=True)
class TunnelInfo:
    """IFLA_INFO_DATA of an IP tunnel: ipgre_fill_info() / erspan_fill_info() (GRE
    kinds) or ipip_fill_info() / ipip6_fill_info() (ipip, sit), as the parameters."""

    kind: str
    link: int
    local: object
    remote: object
    ttl: int
    tos: int
    pmtudisc: bool
    protocol: int
    iflags: int = 0
    oflags: int = 0
    ikey: int = 0
    okey: int = 0
    fwmark: int = 0
    ignore_df: bool = False
    collect_md: bool = False
    encap: tuple = (0, 0, 0, 0)
    isatap: bool = False
    ip6rd: tuple = ()
    erspan_ver: int | None = None
    erspan_index: int | None = None
    erspan_dir: int | None = None
    erspan_hwid: int | None = None
