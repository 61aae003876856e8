"""`bridge fdb` (iproute2 6.1 bridge/fdb.c): add, append, replace, delete and show of
forwarding entries: a vxlan device's (the remote each MAC lives behind), a bridge's
(`master`: learned, added by hand, its ports' own addresses) and every device's own
unicast and multicast addresses (`self`, ndo_dflt_fdb_dump())."""
from __future__ import annotations

from ipemu.errors import CommandError
from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.records import FdbMsg
from ipemu.kernel.requests import NLM_F
from ipemu.kernel.bridge import (NTF_EXT_LEARNED, NTF_MASTER, NTF_OFFLOADED, NTF_SELF,
                                 NTF_STICKY, NTF_USE, FdbFlush, br_fdb_add, br_fdb_delete,
                                 dflt_fdb_add, dflt_fdb_del, fdb_cacheinfo, fdb_dump,
                                 rtnl_fdb_del_bulk)
from ipemu.kernel.vxlan import fdb_add, fdb_delete
from ipemu.render.link import LinkCache, mac_text
from ipemu.render.printer import Printer
from ipemu.tools.context import ToolContext
from ipemu.tools.ipargs import (Args, duparg, duparg2, get_addr, get_unsigned, invarg,
                                matches)
from ipemu.tools.ipargs import atoi as _atoi, c_short as _short
from ipemu.tools.rtnl import talk_error
from ipemu.syntax import keyword

EXIT = 255                      # bridge's main() returns -1
NUD_REACHABLE, NUD_NOARP, NUD_PERMANENT = 0x02, 0x40, 0x80


def do_fdb(ctx: ToolContext, argv: list[str], p: Printer, stats: bool = False) -> int:
    """do_fdb(); a request that changes entries notifies RTNLGRP_NEIGH (bridge monitor
    fdb) of what it changed. `stats`: -s (show_stats)."""
    if not argv:
        return fdb_show(ctx, [], p, stats)
    kw = keyword(argv[0])
    if kw not in ("add", "append", "replace", "delete", "flush") or not ctx.netns.listeners:
        return _do_fdb(ctx, argv, p, stats)
    from ipemu.kernel.bridge import fdb_dump, fdb_request_notify
    before = fdb_dump(ctx.netns)
    # rtnl_fdb_add()/rtnl_fdb_del() notify a device's own entry (ndo_fdb_add of a
    # macvlan, ndo_dflt_fdb_add()) with the request's NDA_VLAN
    vid = None
    if "vlan" in argv[1:-1] and kw != "flush":
        word = argv[argv.index("vlan", 1) + 1]
        vid = int(word) if word.isdigit() else None
    try:
        return _do_fdb(ctx, argv, p, stats)
    finally:
        fdb_request_notify(ctx.netns, before, vid)


def _do_fdb(ctx: ToolContext, argv: list[str], p: Printer, stats: bool = False) -> int:
    cmd, rest = argv[0], argv[1:]
    kw = keyword(cmd)       # grammar/bridge.lark's fdb_cmd, in do_fdb()'s order
    if kw == "add":
        return fdb_modify(ctx, rest, NLM_F.CREATE | NLM_F.EXCL)
    if kw == "append":
        return fdb_modify(ctx, rest, NLM_F.CREATE | NLM_F.APPEND)
    if kw == "replace":
        return fdb_modify(ctx, rest, NLM_F.CREATE | NLM_F.REPLACE)
    if kw == "delete":
        return fdb_modify(ctx, rest, None)
    if kw in ("show", "lst", "list"):
        return fdb_show(ctx, rest, p, stats)
    if kw == "help":
        raise CommandError(ctx.profile.usage("bridge_fdb"), EXIT)        # fdb.c usage()
    if kw == "get":
        return fdb_get(ctx, rest, p)
    if kw == "flush":
        return fdb_flush(ctx, rest)
    raise CommandError(f'Command "{cmd}" is unknown, try "bridge fdb help".\n', EXIT)


def _nodev(name: str) -> CommandError:
    return CommandError(f'Cannot find device "{name}"\n', EXIT)


def _mac(text: str) -> bytes | None:
    """sscanf("%hhx:%hhx:%hhx:%hhx:%hhx:%hhx") must fill all six."""
    parts = text.split(":")
    if len(parts) < 6:
        return None
    out = []
    for part in parts[:6]:
        digits = ""
        for ch in part.lstrip():
            if ch in "0123456789abcdefABCDEF":
                digits += ch
            else:
                break
        if not digits:
            return None
        out.append(int(digits, 16) & 0xFF)
    return bytes(out)


def fdb_modify(ctx: ToolContext, argv: list[str], flags: NLM_F | None) -> int:
    """fdb_modify(): RTM_NEWNEIGH with these flags, or RTM_DELNEIGH (flags None)."""
    dev_name = addr = None
    dst = None
    port, vni, via = 0, None, 0
    src_vni = 0             # NDA_SRC_VNI (vxlan_fdb_parse(): else the default VNI)
    vid = -1
    state = NUD_NOARP
    router = False
    master = self_flag = False
    ntf = 0
    nhid = 0
    args = Args(argv)
    while args:
        word = args.cur
        if word == "dev":
            dev_name = args.next_arg()
        elif word == "dst":
            value = args.next_arg()
            if dst is not None:
                raise duparg2("dst", value)
            dst = get_addr(value, 0).address
        elif word == "nhid":
            value = args.next_arg()
            nhid = get_unsigned(value)
            if nhid is None or nhid > 0xFFFFFFFF:
                raise invarg('"id" value is invalid\n', value)
        elif word == "port":
            value = args.next_arg()
            port = get_unsigned(value)
            if port is None:                 # getservbyname(value, "udp")
                port = {"vxlan": 4789}.get(value)
            if port is None or port > 0xFFFF:
                raise invarg("invalid port\n", value)
        elif word == "vni":
            value = args.next_arg()
            if not value.isdigit() or int(value) >> 24:
                raise invarg("invalid VNI\n", value)
            vni = int(value)
        elif word == "src_vni":
            value = args.next_arg()
            if not value.isdigit() or int(value) >> 24:
                raise invarg("invalid src VNI\n", value)
            src_vni = int(value)
        elif word == "via":
            value = args.next_arg()
            lower = ctx.netns.by_name(value)
            if lower is None:
                raise _nodev(value)
            via = lower.ifindex
        # fdb_modify()'s order: the states come before vlan, use, extern_learn and
        # sticky (`s` and `st` are static, not sticky: recorded)
        elif word == "self":
            self_flag = True
        elif matches(word, "master"):
            master = True
        elif matches(word, "router"):
            router = True
        elif matches(word, "local") or matches(word, "permanent"):
            state |= NUD_PERMANENT
        elif matches(word, "temp") or matches(word, "static"):
            state |= NUD_REACHABLE
        elif matches(word, "dynamic"):
            state = (state | NUD_REACHABLE) & ~NUD_NOARP
        elif matches(word, "vlan"):
            if vid >= 0:                    # checked before NEXT_ARG()
                raise duparg2("vlan", word)
            vid = _atoi(args.next_arg())
        elif matches(word, "use"):
            ntf |= NTF_USE
        elif matches(word, "extern_learn"):
            ntf |= NTF_EXT_LEARNED
        elif matches(word, "sticky"):
            ntf |= NTF_STICKY
        else:
            if word == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise CommandError(ctx.profile.usage("bridge_fdb"), EXIT)
            if addr is not None:
                raise duparg2("to", word)
            addr = word
        args.advance()
    if dev_name is None or addr is None:
        raise CommandError("Device and address are required arguments.\n", EXIT)
    if nhid and (dst is not None or port or vni is not None):
        raise CommandError("dst, port, vni are mutually exclusive with nhid\n", EXIT)
    if not state & (NUD_PERMANENT | NUD_REACHABLE):
        state |= NUD_PERMANENT
    mac = _mac(addr)
    if mac is None:
        raise CommandError(f"Invalid mac address {addr}\n", EXIT)
    dev = ctx.netns.by_name(dev_name)
    if dev is None:
        raise _nodev(dev_name)
    if dev.info.link_type != "ether":
        # rtnl_fdb_add() / rtnl_fdb_del(): ARPHRD_ETHER only
        what = "add" if flags is not None else "delete"
        raise CommandError(f"Error: FDB {what} only supported for Ethernet devices.\n", EXIT)
    try:
        if vid >= 0 and not 0 < (vid & 0xFFFF) < 0xFFF:
            # rtnl_fdb_add()'s fdb_vid_parse(): NDA_VLAN of 0 or past VLAN_VID_MASK
            raise KernelError(Errno.EINVAL, "invalid vlan id")
        if vid > 0 and flags is not None and (master or (dev.vxlan is None
                                                          and dev.macvlan is None)):
            # br_fdb_add(): a VLAN the port does not have (no port VLANs are simulated;
            # the recording kernel has no VLAN filtering at all); ndo_dflt_fdb_add():
            # "vlans aren't supported yet for dev_uc|mc_add()" (macvlan_fdb_add() and
            # vxlan_fdb_add() take the request without looking at its VLAN)
            if master and (dev.master is None or dev.master.kind != "bridge"):
                raise KernelError(Errno.EOPNOTSUPP)
            raise KernelError(Errno.EINVAL)
        # rtnl_fdb_add() / rtnl_fdb_del(): NTF_MASTER goes to the bridge of a bridge
        # port (an error ends there); then NTF_SELF (or neither flag: "assume self")
        # to the device's own ndo_fdb_add/del (a bridge's br_fdb_add() with no port),
        # else ndo_dflt_fdb_add/del(); NTF_MASTER alone on a device that is no port
        # is EOPNOTSUPP (recorded, fuzz38_fdb_master_self)
        to_self = self_flag or not master
        if flags is None and vid > 0:
            # br_fdb_delete() with a VLAN looks for that VLAN's entry only
            # (__br_fdb_delete(br, p, addr, vid)); a bridge without vlan_filtering
            # learns and adds its entries with VLAN 0 (recorded:
            # fuzz44_fdb_del_vlan, seed 560237)
            br = dev.master if master and dev.master is not None and \
                dev.master.kind == "bridge" else dev if to_self and dev.kind == "bridge" \
                else None
            if br is not None and not br.br_conf.get("vlan_filtering", 0):
                raise KernelError(Errno.ENOENT)
        if master and dev.master is not None and dev.master.kind == "bridge":
            if flags is None:
                br_fdb_delete(dev.master, dev, mac)
            else:
                br_fdb_add(dev.master, dev, mac, state, bool(flags & NLM_F.EXCL), ntf)
        elif not to_self:
            raise KernelError(Errno.EOPNOTSUPP)
        if not to_self:
            pass
        elif dev.kind == "bridge":
            if flags is None:
                br_fdb_delete(dev, dev, mac)
            else:
                br_fdb_add(dev, dev, mac, state, bool(flags & NLM_F.EXCL), ntf)
        elif dev.vxlan is not None:
            if flags is None:
                fdb_delete(dev, mac, dst, port, vni, via, src_vni)
            else:
                # fdb_modify()'s ndm_flags: self, master, router, use, extern_learn,
                # sticky as given ("if self and master were not specified assume self")
                ndm_flags = ntf | (NTF_SELF if self_flag or not master else 0) | \
                    (NTF_MASTER if master else 0) | (0x80 if router else 0)
                fdb_add(dev, mac, dst, state, flags, port, vni, via, router,
                        src_vni=src_vni, nhid=nhid, ntf=ndm_flags)
        elif dev.macvlan is not None:
            from ipemu.kernel.macvlan import macvlan_fdb_modify
            macvlan_fdb_modify(dev, mac, flags is not None,
                               flags is not None and bool(flags & NLM_F.REPLACE))
        elif flags is None:
            dflt_fdb_del(dev, mac)
        else:
            dflt_fdb_add(dev, mac, state, bool(flags & NLM_F.EXCL))
    except KernelError as err:
        raise talk_error(err, EXIT)
    return 0


# fdb_flush()'s state and flag words: (ndm_state bits set, cleared, mask) and
# (ndm_flags bits set, cleared, mask)
_FLUSH_STATES = {
    "permanent": (NUD_PERMANENT, 0, NUD_PERMANENT),
    "nopermanent": (0, NUD_PERMANENT, NUD_PERMANENT),
    "static": (NUD_NOARP, 0, NUD_NOARP | NUD_PERMANENT),
    "nostatic": (0, NUD_NOARP, NUD_NOARP),
    # `ndm_state &= ~NUD_NOARP | NUD_PERMANENT`: only NOARP is cleared
    "dynamic": (0, NUD_NOARP, NUD_NOARP | NUD_PERMANENT),
    "nodynamic": (NUD_NOARP, 0, NUD_NOARP),
}
_FLUSH_FLAGS = {"added_by_user": NTF_USE, "extern_learn": NTF_EXT_LEARNED,
                "sticky": NTF_STICKY, "offloaded": NTF_OFFLOADED}


def fdb_flush(ctx: ToolContext, argv: list[str]) -> int:
    """fdb_flush(): a bulk RTM_DELNEIGH; words it does not know are skipped."""
    dev_name = port = None
    vid = -1
    ndm_flags = ndm_state = state_mask = flags_mask = 0
    args = Args(argv)
    while args:
        word = args.cur
        if word == "dev":
            dev_name = args.next_arg()
        elif word == "master":
            ndm_flags |= NTF_MASTER
        elif word == "self":
            ndm_flags |= NTF_SELF
        elif word in _FLUSH_STATES:
            on, off, mask = _FLUSH_STATES[word]
            ndm_state = (ndm_state | on) & ~off
            state_mask |= mask
        elif word in _FLUSH_FLAGS or word[2:] in _FLUSH_FLAGS and word.startswith("no"):
            bit = _FLUSH_FLAGS.get(word) or _FLUSH_FLAGS[word[2:]]
            ndm_flags = ndm_flags | bit if word in _FLUSH_FLAGS else ndm_flags & ~bit
            flags_mask |= bit
        elif word == "brport":
            if port is not None:
                raise duparg2("brport", word)
            port = args.next_arg()
        elif word == "vlan":
            if vid >= 0:
                raise duparg2("vlan", word)
            vid = _atoi(args.next_arg())
        elif word == "help":
            args.next_arg()
        args.advance()
    if dev_name is None:
        raise CommandError("Device is a required argument.\n", EXIT)
    dev = ctx.netns.by_name(dev_name)
    if dev is None:
        raise CommandError(f'Cannot find bridge device "{dev_name}"\n', EXIT)
    port_ifindex = -1
    if port is not None:
        port_dev = ctx.netns.by_name(port)
        if port_dev is None:
            raise CommandError(f'Cannot find bridge port device "{port}"\n', EXIT)
        port_ifindex = port_dev.ifindex
    vid = (vid + 0x8000) % 0x10000 - 0x8000        # a C short
    if vid >= 4096:
        raise CommandError(f'Invalid VLAN ID "{vid}"\n', EXIT)
    if not ndm_flags & (NTF_SELF | NTF_MASTER):
        ndm_flags |= NTF_SELF                       # "assume self"
    req = FdbFlush(dev.ifindex, ndm_flags, ndm_state, state_mask, flags_mask,
                   port_ifindex, vid)
    try:
        rtnl_fdb_del_bulk(ctx.netns, req)
    except KernelError as err:
        raise talk_error(err, EXIT)
    return 0


def state_text(state: int, json: bool) -> str:
    """state_n2a()."""
    if state & NUD_PERMANENT:
        return "permanent"
    if state & NUD_NOARP:
        return "static"
    if state & 0x04:
        return "stale"
    if state & NUD_REACHABLE:
        return ""
    return f"{state:#x}" if json else f"state={state:#x}"


def print_fdb(p: Printer, msg: FdbMsg, cache: LinkCache, filtered: bool,
              cacheinfo: tuple[int, int] | None = None) -> None:
    """print_fdb() of one RTM_NEWNEIGH; `cacheinfo`: its NDA_CACHEINFO (ndm_used,
    ndm_updated in clock_t), shown under -s."""
    p.open_object()
    # print_fdb(): print_color_string() of the MAC, the device and the dst under -c
    p.color_any("mac", "mac", "%s ", mac_text(msg.mac))
    if not filtered:
        p.fp("dev ")
        p.color_any("ifname", "ifname", "%s ", cache.name(msg.ifindex))
    if msg.dst is not None:
        p.fp("dst ")
        p.color_any("inet6" if getattr(msg.dst, "version", 4) == 6 else "inet", "dst", "%s ",
                    str(msg.dst))
    if msg.vlan:
        p.any("vlan", "vlan %hu ", msg.vlan)
    if msg.port is not None:
        p.any("port", "port %u ", msg.port)
    if msg.vni is not None:
        p.any("vni", "vni %u ", msg.vni)
    if msg.src_vni is not None:
        p.any("src_vni", "src_vni %u ", msg.src_vni)
    # print_fdb(): a via device in another namespace is only its index
    if msg.via is not None and msg.link_netnsid is not None:
        p.any("viaIfIndex", "via ifindex %u ", msg.via)
    elif msg.via is not None:
        p.any("viaIf", "via %s ", cache.name(msg.via))
    if msg.nhid is not None:
        p.any("nhid", "nhid %u ", msg.nhid)
    if msg.link_netnsid is not None:
        p.any("linkNetNsId", "link-netnsid %d ", msg.link_netnsid)
    if cacheinfo is not None:
        # fdb_print_stats(): seconds (get_user_hz(): 100)
        p.any("used", "used %d", cacheinfo[0] // 100)
        p.any("updated", "/%d ", cacheinfo[1] // 100)
    p.open_array("flags")
    if msg.self_flag:
        p.any(None, "%s ", "self")
    if msg.router:
        p.any(None, "%s ", "router")
    if msg.ext_learned:
        p.any(None, "%s ", "extern_learn")
    if msg.master_flag:
        p.any(None, "%s ", "master")
    if msg.sticky:
        p.any(None, "%s ", "sticky")
    p.close_array()
    if msg.master is not None:
        p.any("master", "master %s ", cache.name(msg.master))
    p.any("state", "%s\n", state_text(msg.state, p.is_json))
    p.close_object()


def _strtoul_whole(text: str) -> int | None:
    """strtoul(text, &end, 0) with nothing left over (an empty word is 0), not
    ULONG_MAX; a sign is taken as strtoul() takes it."""
    from ipemu.tools.ipargs import get_u64
    if not text.strip(" \t\n\v\f\r"):
        return 0 if not text else None
    value = get_u64(text)
    return None if value is None or value == 0xFFFFFFFFFFFFFFFF else value


def state_a2n(text: str) -> int | None:
    """fdb.c state_a2n(): a state name by matches(), `all`, or a number."""
    if matches(text, "permanent"):
        return NUD_PERMANENT
    if matches(text, "static") or matches(text, "temp"):
        return NUD_NOARP
    if matches(text, "stale"):
        return 0x04                     # NUD_STALE
    if matches(text, "reachable") or matches(text, "dynamic"):
        return NUD_REACHABLE
    if text == "all":
        return 0xFFFFFFFF
    return get_unsigned(text)


def fdb_show(ctx: ToolContext, argv: list[str], p: Printer, stats: bool = False) -> int:
    """fdb_show(): `dev`/`brport` filters one device (and drops the `dev NAME` words),
    `br` the ports of a bridge and the bridge, `dynamic` leaves permanent entries out."""
    filter_dev = filter_br = None
    dynamic = False
    filter_vlan = filter_state = 0
    args = Args(argv)
    while args:
        word = args.cur
        if word in ("brport", "dev"):
            filter_dev = args.next_arg()
        elif word == "br":
            filter_br = args.next_arg()
        elif word == "vlan":
            value = args.next_arg()
            if filter_vlan:
                raise duparg("vlan", value)
            filter_vlan = _atoi(value)
        elif word == "state":
            value = args.next_arg()
            state = state_a2n(value)
            if state is None:
                raise invarg("invalid state", value)
            filter_state |= state
        elif word == "dynamic":
            dynamic = True
        elif matches(word, "help"):
            raise CommandError(ctx.profile.usage("bridge_fdb"), EXIT)        # usage()
        args.advance()
    dev = br = None
    if filter_br is not None:
        br = ctx.netns.by_name(filter_br)
        if br is None:
            raise CommandError(f'Cannot find bridge device "{filter_br}"\n', EXIT)
    if filter_dev is not None:
        dev = ctx.netns.by_name(filter_dev)
        if dev is None:
            raise _nodev(filter_dev)
    cache = LinkCache()
    for msg in ctx.netns.dump_links():
        cache.remember(msg)
    p.begin()
    for msg in fdb_dump(ctx.netns):
        if dev is not None and msg.ifindex != dev.ifindex:
            continue
        if br is not None:
            # rtnl_fdb_dump() with NDA_MASTER: the bridge itself or its ports, each a
            # bridge port or a bridge master
            member = ctx.netns.by_index(msg.ifindex)
            port = member is not None and member.master is not None and \
                member.master.kind == "bridge"
            if member is not br and not port:
                continue
            if (member is None or member.master is not br) and \
                    (member is None or member.kind != "bridge"):
                continue
        # print_fdb()'s filters: the state bits, the vlan (no NDA_VLAN: 0), dynamic
        if filter_state and not msg.state & filter_state:
            continue
        if filter_vlan:
            continue        # no entry here carries a VLAN (no VLAN filtering)
        if dynamic and msg.state & NUD_PERMANENT:
            continue
        ci = None
        if stats and msg.master is not None:
            owner = ctx.netns.by_index(msg.master)
            ci = fdb_cacheinfo(owner, msg.mac, ctx.host.clock.now) \
                if owner is not None else None
        elif stats:
            owner = ctx.netns.by_index(msg.ifindex)
            if owner is not None and owner.vxlan is not None:
                from ipemu.kernel.vxlan import fdb_cacheinfo as vxlan_cacheinfo
                ci = vxlan_cacheinfo(owner, msg.mac, ctx.host.clock.now)
        print_fdb(p, msg, cache, filtered=dev is not None, cacheinfo=ci)
    p.end()
    ctx.term.out(p.text())
    return 0


def fdb_get(ctx: ToolContext, argv: list[str], p: Printer) -> int:
    """fdb_get(): RTM_GETNEIGH for one MAC of a bridge (`br BRDEV`) or of the bridge a
    port (`dev`/`brport DEV`) belongs to; rtnl_fdb_get() -> br_fdb_get() finds it by
    address (any port) or answers "Fdb entry not found" (ENOENT: fdb_get() returns -2)."""
    addr = dev_name = br_name = None
    vlan = -1
    src_vni = 0             # `vni` is NDA_SRC_VNI here; else the default remote's VNI
    ntf_self = ntf_master = False
    args = Args(argv)
    while args:
        word = args.cur
        if word in ("dev", "brport"):
            dev_name = args.next_arg()
        elif word == "br":
            br_name = args.next_arg()
        elif word == "vni":
            value = args.next_arg()
            vni = _strtoul_whole(value)
            if vni is None or vni >> 24:
                raise invarg("invalid VNI\n", value)
            src_vni = vni
        elif word == "self":
            ntf_self = True
        elif matches(word, "master"):
            ntf_master = True
        elif matches(word, "vlan"):
            if vlan >= 0:
                raise duparg2("vlan", word)
            vlan = _short(_atoi(args.next_arg()))
        elif matches(word, "dynamic"):
            pass
        else:
            if word == "to":
                word = args.next_arg()
            if matches(word, "help"):
                raise CommandError(ctx.profile.usage("bridge_fdb"), EXIT)    # usage()
            if addr is not None:
                raise duparg2("to", word)
            addr = word
        args.advance()
    if (dev_name is None and br_name is None) or addr is None:
        raise CommandError("Device or master and address are required arguments.\n", EXIT)
    dev = br = None
    if dev_name is not None:
        dev = ctx.netns.by_name(dev_name)
        if dev is None:
            raise _nodev(dev_name)
    if br_name is not None:
        br = ctx.netns.by_name(br_name)
        if br is None:
            raise CommandError(f'Cannot find bridge device "{br_name}"\n', EXIT)
    mac = _mac(addr)
    if mac is None:
        raise CommandError(f"Invalid mac address {addr}\n", EXIT)
    # rtnl_fdb_get(): with a device and no flag (or NTF_MASTER) its bridge answers,
    # with NTF_SELF the device's own ndo_fdb_get (bridges and vxlans have one)
    # (its errors: fdb_get() returns -2 when rtnl_talk() fails)
    owner = br
    if br is not None and dev is not None:
        raise CommandError("Error: Master and device are mutually exclusive.\n", 254)
    if dev is not None:
        if not (ntf_self or ntf_master) or ntf_master:
            if dev.master is None or dev.master.kind != "bridge":
                raise CommandError("Error: Device is not a bridge port.\n", 254)
            owner = dev.master
        else:
            owner = dev
    if owner.kind not in ("bridge", "vxlan"):
        raise CommandError("Error: Fdb get operation not supported by device.\n", 254)
    if br is None:
        br = dev if dev.kind == "bridge" else dev.master
    found = None
    if owner.kind == "vxlan":
        # vxlan_fdb_get(): __vxlan_find_mac() on the device itself, the entry's first
        # remote (vxlan_fdb_info() of first_remote_rcu()), as `self` lists it
        # (on a collect-metadata device, the entry of the VNI asked for)
        found = next((m for m in fdb_dump(ctx.netns) if m.ifindex == owner.ifindex
                      and m.mac == mac and getattr(m, "self_flag", False)
                      and (not owner.vxlan.external or (m.src_vni or 0) == src_vni)), None)
    elif br is not None and br.kind == "bridge":
        found = next((m for m in fdb_dump(ctx.netns)
                      if m.mac == mac and m.master == br.ifindex), None)
    if found is None:
        raise CommandError("Error: Fdb entry not found.\n", 254)
    cache = LinkCache()
    for msg in ctx.netns.dump_links():
        cache.remember(msg)
    p.begin()
    print_fdb(p, found, cache, filtered=False)
    p.end()
    ctx.term.out(p.text())
    return 0
