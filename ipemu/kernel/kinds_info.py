"""IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA of the kinds in vrf.py, bond.py, ipvlan.py
and ip_tunnel.py: each driver's fill_info() / fill_slave_info(), as records."""
from __future__ import annotations

from ipemu.kernel.netdev import NetDevice


def kind_info(ns, dev: NetDevice):
    """rtnl_link_ops->fill_info() of a device of these kinds (None for the others)."""
    if dev.bond is not None:
        return bond_fill_info(ns, dev)
    if dev.tnl is not None:
        return tunnel_fill_info(dev)
    if dev.is_ipvlan:
        from ipemu.kernel.records import IpvlanInfo
        port = dev.lower.ipvlan_port
        return IpvlanInfo(port.mode, port.flags)
    return None


def tunnel_fill_info(dev: NetDevice):
    """ipgre_fill_info() (+ erspan_fill_info()'s version and its fields),
    ipip_fill_info(), ipip6_fill_info() (with the 6rd prefix)."""
    from ipemu.kernel.records import TunnelInfo
    t = dev.tnl
    extra: dict = {}
    if dev.kind == "erspan":
        extra["erspan_ver"] = t.erspan_ver
        if t.erspan_ver == 1:
            extra["erspan_index"] = t.erspan_index
        elif t.erspan_ver == 2:
            extra["erspan_dir"], extra["erspan_hwid"] = t.erspan_dir, t.erspan_hwid
    return TunnelInfo(dev.kind, t.link, t.local, t.remote, t.ttl, t.tos, t.pmtudisc,
                      t.protocol, t.i_flags, t.o_flags, t.i_key, t.o_key, t.fwmark,
                      t.ignore_df, t.collect_md, t.encap, t.isatap,
                      t.ip6rd if dev.kind == "sit" else (), **extra)


def bond_fill_info(ns, dev: NetDevice):
    """bond_fill_info(): what every bond sends, the active slave and primary when
    there is one, the 802.3ad settings in that mode only."""
    from ipemu.kernel.bond import BOND_MODE_8023AD
    from ipemu.kernel.records import BondInfo
    b = dev.bond
    attrs: list = [("mode", b.mode)]
    if b.active is not None:
        attrs.append(("active_slave", b.active.ifindex))
    attrs += [("miimon", b.miimon), ("updelay", b.updelay), ("downdelay", b.downdelay),
              ("peer_notify_delay", b.peer_notify_delay), ("use_carrier", b.use_carrier),
              ("arp_interval", b.arp_interval)]
    if b.arp_ip_target:
        attrs.append(("arp_ip_target", tuple(b.arp_ip_target)))
    attrs += [("arp_validate", b.arp_validate), ("arp_all_targets", b.arp_all_targets)]
    if b.ns_ip6_target:
        attrs.append(("ns_ip6_target", tuple(b.ns_ip6_target)))
    primary = ns.by_name(b.primary) if b.primary else None
    if primary is not None and primary in dev.ports:
        attrs.append(("primary", primary.ifindex))
    attrs += [("primary_reselect", b.primary_reselect), ("fail_over_mac", b.fail_over_mac),
              ("xmit_hash_policy", b.xmit_hash_policy), ("resend_igmp", b.resend_igmp),
              ("num_peer_notif", b.num_peer_notif),
              ("all_slaves_active", b.all_slaves_active), ("min_links", b.min_links),
              ("lp_interval", b.lp_interval), ("packets_per_slave", b.packets_per_slave),
              ("lacp_active", b.lacp_active), ("lacp_rate", b.lacp_rate),
              ("ad_select", b.ad_select), ("tlb_dynamic_lb", b.tlb_dynamic_lb),
              ("missed_max", b.missed_max)]
    if b.mode == BOND_MODE_8023AD:
        attrs += [("ad_actor_sys_prio", b.ad_actor_sys_prio),
                  ("ad_user_port_key", b.ad_user_port_key),
                  ("ad_actor_system", bytes(6))]
    return BondInfo(tuple(attrs))


def slave_info(ns, master: NetDevice, dev: NetDevice):
    """rtnl_link_ops->fill_slave_info() of the master's kind."""
    from ipemu.kernel.records import VrfInfo
    if master.vrf_table is not None:
        return VrfInfo(master.vrf_table)        # vrf_fill_slave_info()
    if master.bond is not None and dev.bond_slave is not None:
        from ipemu.kernel.bond import slave_state
        from ipemu.kernel.records import BondSlaveInfo
        rec = dev.bond_slave
        return BondSlaveInfo(slave_state(master, dev), 0 if rec.link_up else 2,
                             rec.link_failure_count, rec.perm_hwaddr, rec.queue_id, rec.prio)
    return None
