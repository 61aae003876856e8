"""vxlan devices (Linux drivers/net/vxlan/vxlan_core.c): an Ethernet device whose frames
travel in UDP over the underlay to the remote its FDB names for the destination MAC
(the all-zeroes entry, made from `remote`/`group`, for the rest); what arrives on the
UDP port with its VNI is decapsulated and received on it, and its source MAC learnt.

Here: rtnl_link_ops (validate, newlink, changelink) and the configuration rules
(vxlan_nl2conf(), vxlan_config_validate(), vxlan_config_apply())."""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import NetDevice, VxlanFdb, VxlanPriv
from ipemu.kernel.requests import LinkRequest, VxlanData

if TYPE_CHECKING:
    from ipemu.kernel.netns import NetNamespace

VXLAN_N_VID = 1 << 24
VXLAN_HEADROOM = 50           # IPv4 + UDP + VXLAN + inner Ethernet headers
VXLAN6_HEADROOM = 70
ETH_MIN_MTU = 68
ETH_MAX_MTU = 65535
ALL_ZEROS_MAC = bytes(6)
# the attributes that name a field of VxlanPriv as they are (vxlan_nl2conf())
PLAIN = ("tos", "df", "label", "ageing", "limit", "learning", "proxy", "rsc", "l2miss",
         "l3miss", "udp_csum", "udp_zero_csum6_tx", "udp_zero_csum6_rx", "remcsum_tx",
         "remcsum_rx", "gbp", "gpe", "external", "port_range")
# what vxlan_nl2conf() refuses to change on an existing device
FIXED = {"proxy": None, "rsc": None, "l2miss": None, "l3miss": None, "external": None,
         "udp_csum": "Cannot change UDP_CSUM flag",
         "udp_zero_csum6_tx": "Cannot change UDP_ZERO_CSUM6_TX flag",
         "udp_zero_csum6_rx": "Cannot change UDP_ZERO_CSUM6_RX flag",
         "remcsum_tx": "Cannot change REMCSUM_TX flag",
         "remcsum_rx": "Cannot change REMCSUM_RX flag",
         "gbp": "Cannot change GBP flag", "gpe": "Cannot change GPE flag",
         "port_range": None}


def _data(req: LinkRequest) -> VxlanData | None:
    data = req.linkinfo.data if req.linkinfo is not None else None
    return data if isinstance(data, VxlanData) else None


def vxlan_validate(req: LinkRequest) -> None:
    """vxlan_validate(): the address, the MTU's range, the data present, the VNI."""
    if req.address is not None:
        if len(req.address) != 6:
            raise KernelError(Errno.EINVAL, "Provided link layer address is not Ethernet")
        if req.address[0] & 1 or req.address == ALL_ZEROS_MAC:
            raise KernelError(Errno.EADDRNOTAVAIL, "Provided Ethernet address is not unicast")
    if req.mtu is not None and not ETH_MIN_MTU <= req.mtu <= ETH_MAX_MTU:
        raise KernelError(Errno.EINVAL, "MTU must be between 68 and 65535")
    data = _data(req)
    if data is None:
        raise KernelError(Errno.EINVAL,
                          "Required attributes not provided to perform the operation")
    vni = data.get("id")
    if vni is not None and vni >= VXLAN_N_VID:
        raise KernelError(Errno.ERANGE, "VXLAN ID must be lower than 16777216")
    low, high = data.get("port_range", (0, 0))
    if high < low:
        raise KernelError(Errno.EINVAL, "Invalid source port range")


def nl2conf(data: VxlanData, conf: VxlanPriv, changelink: bool) -> None:
    """vxlan_nl2conf(): the attributes onto a configuration (a copy of the device's
    own for a change, which refuses to change the VNI, the port and most flags)."""
    vni = data.get("id")
    if vni is not None:
        if changelink and vni != conf.vni:
            raise KernelError(Errno.EOPNOTSUPP, "Cannot change VNI")
        conf.vni = vni
    for key in ("remote", "local"):
        if data.has(key):
            value = data.get(key)
            old = getattr(conf, key)
            if changelink and old is not None and value.version != old.version:
                which = "group" if key == "remote" else "local"
                raise KernelError(Errno.EOPNOTSUPP,
                                  f"New {which} address family does not match old {which}")
            setattr(conf, key, value)
    if data.has("link"):
        conf.link = data.get("link")
    if data.has("ttl"):
        conf.ttl = data.get("ttl")
    if data.has("ttl_inherit"):
        if changelink:
            raise KernelError(Errno.EOPNOTSUPP)
        conf.ttl_inherit = True
    for key in PLAIN:
        if data.has(key):
            value = data.get(key)
            if changelink and key in FIXED and value != getattr(conf, key):
                raise KernelError(Errno.EOPNOTSUPP, FIXED[key])
            setattr(conf, key, value)
    if data.has("port"):
        port = data.get("port")
        if changelink and port != conf.port:
            raise KernelError(Errno.EOPNOTSUPP, "Cannot change port")
        conf.port = port or (4790 if conf.gpe else 8472)


def _family(addr) -> int:
    return addr.version if addr is not None else 0


def config_validate(ns: "NetNamespace", conf: VxlanPriv, old: NetDevice | None
                    ) -> NetDevice | None:
    """vxlan_config_validate(): one family for local and remote, no multicast local,
    the lower device (required for a group), no other device with this VNI and port.
    Returns the lower device."""
    local_family, remote_family = _family(conf.local), _family(conf.remote)
    if local_family and remote_family and local_family != remote_family:
        raise KernelError(Errno.EINVAL, "Local and remote address must be from the same family")
    if conf.local is not None and conf.local.is_multicast:
        raise KernelError(Errno.EINVAL, "Local address cannot be multicast")
    use_ipv6 = 6 in (local_family, remote_family)
    if conf.label and not use_ipv6:
        raise KernelError(Errno.EINVAL, "Label attribute only applies to IPv6 VXLAN devices")
    lower = None
    if conf.link:
        lower = ns.by_index(conf.link)
        if lower is None:
            raise KernelError(Errno.ENODEV, "Invalid local interface, device not found")
    elif conf.remote is not None and conf.remote.is_multicast:
        raise KernelError(Errno.EINVAL,
                          "Local interface required for multicast remote destination")
    for dev in ns.device_list():
        other = dev.vxlan
        if dev is old or other is None:
            continue
        if other.vni == conf.vni and other.port == conf.port and \
                (6 in (_family(other.local), _family(other.remote))) == use_ipv6 and \
                other.external == conf.external:
            raise KernelError(Errno.EEXIST, "A VXLAN device with the specified VNI already exists")
    return lower


def headroom(conf: VxlanPriv) -> int:
    return VXLAN6_HEADROOM if 6 in (_family(conf.local), _family(conf.remote)) \
        else VXLAN_HEADROOM


def vxlan_newlink(ns: "NetNamespace", dest: "NetNamespace", req: LinkRequest) -> NetDevice:
    """vxlan_newlink() -> __vxlan_dev_create(): the configuration checked, the MTU
    from the lower device (vxlan_config_apply()), registered, and the default FDB entry
    for a remote that is not "any"."""
    from ipemu.kernel.drivers import _created, alloc_name
    conf = VxlanPriv(vni=0)
    nl2conf(_data(req), conf, changelink=False)
    lower = config_validate(dest, conf, None)
    mtu = req.mtu if req.mtu is not None else 1500
    tso = 65536
    if lower is not None:
        max_mtu = max(lower.mtu - headroom(conf), ETH_MIN_MTU)
        mtu = min(req.mtu if req.mtu is not None else max_mtu, max_mtu)
        tso = lower.tso_max_size
    dev = dest.create_device(alloc_name(dest, req.ifname, "vxlan"), "vxlan",
                             address=req.address, mtu=mtu, announce=False)
    dev.vxlan = conf
    dev.tso_max_size = tso
    dev.carrier = True              # no carrier handling: up means UNKNOWN operstate
    if conf.remote is not None and not conf.remote.is_unspecified:
        conf.fdb.append(VxlanFdb(ALL_ZEROS_MAC, conf.remote))
    dest.announce_netconf(_created(dev, req))
    return dev


def vxlan_changelink(ns: "NetNamespace", dev: NetDevice, req: LinkRequest) -> None:
    """vxlan_changelink(): a copy of the configuration changed and checked, then the
    default FDB entry follows a new remote, and it is applied."""
    import copy
    data = _data(req)
    if data is None:
        return
    conf = copy.copy(dev.vxlan)
    conf.fdb = dev.vxlan.fdb
    nl2conf(data, conf, changelink=True)
    config_validate(ns, conf, dev)
    old = dev.vxlan.remote
    if conf.remote != old:
        if conf.remote is not None and not conf.remote.is_unspecified:
            conf.fdb.append(VxlanFdb(ALL_ZEROS_MAC, conf.remote))
        if old is not None and not old.is_unspecified:
            conf.fdb[:] = [e for e in conf.fdb if not (e.mac == ALL_ZEROS_MAC and e.dst == old)]
    dev.vxlan = conf


def change_mtu_limit(dev: NetDevice, mtu: int) -> None:
    """vxlan_change_mtu(): at most the lower device's MTU minus the headroom."""
    conf = dev.vxlan
    lower = dev.netns.by_index(conf.link) if conf.link else None
    if lower is not None and mtu > lower.mtu - headroom(conf):
        raise KernelError(Errno.EINVAL)


def is_any(addr) -> bool:
    return addr is None or (isinstance(addr, (ipaddress.IPv4Address, ipaddress.IPv6Address))
                            and addr.is_unspecified)
