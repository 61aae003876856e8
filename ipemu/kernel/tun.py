"""tun and tap devices (Linux drivers/net/tun.c): made and found through the TUNSETIFF
ioctl on /dev/net/tun, kept after the file closes by TUNSETPERSIST; rtnetlink only
shows and deletes them. No process here reads a tun's file for long: tun_set_iff()
turns the carrier on for the file that made the device, and its close (__tun_detach())
turns it off again through linkwatch, so a persistent tun/tap has no carrier once
`ip tuntap add` returns (its operstate UNKNOWN until that event has run)."""
from __future__ import annotations

from ipemu.kernel.errors import Errno, KernelError
from ipemu.kernel.netdev import (IFF_MULTI_QUEUE, IFF_NO_PI, IFF_ONE_QUEUE, IFF_PERSIST,
                                 IFF_TAP, IFF_TUN, IFF_TUN_EXCL, IFF_VNET_HDR, NetDevice,
                                 TunPriv)
from ipemu.plainclass import replace

TYPE_CHECKING = False       # typing's, without importing typing (start-up time)
if TYPE_CHECKING:
    from ipemu.kernel.netns import NetNamespace

TUN_TYPE_MASK = IFF_TUN | IFF_TAP
# TUN_FEATURES: the flags tun_set_iff() keeps (IFF_NAPI and IFF_NAPI_FRAGS need
# CAP_NET_ADMIN and a reader: not simulated)
TUN_FEATURES = IFF_NO_PI | IFF_ONE_QUEUE | IFF_VNET_HDR | IFF_MULTI_QUEUE
MAX_TAP_QUEUES = 256


def _alloc_name(ns: "NetNamespace", pattern: str) -> str:
    """dev_alloc_name(): "%d" in the name takes the lowest free number."""
    if "%d" not in pattern:
        return pattern
    n = 0
    while ns.by_name(pattern.replace("%d", str(n), 1)) is not None:
        n += 1
    return pattern.replace("%d", str(n), 1)


def tun_set_iff(ns: "NetNamespace", name: str, flags: int,
                owner: int = -1, group: int = -1) -> tuple[NetDevice, bool]:
    """tun_set_iff(): attach to the device of that name (EBUSY with IFF_TUN_EXCL,
    EINVAL when it is not a tun/tap of the mode asked or its multi_queue flag
    differs), else make one ("tun%d" or
    "tap%d" without a name). Returns the device and whether it is new."""
    dev = ns.by_name(name) if name else None
    if dev is not None:
        if flags & IFF_TUN_EXCL:
            raise KernelError(Errno.EBUSY)
        mode = flags & TUN_TYPE_MASK
        if dev.tun is None or mode != dev.tun.flags & TUN_TYPE_MASK:
            raise KernelError(Errno.EINVAL)
        # tun_set_iff(): a multi_queue device is attached to with IFF_MULTI_QUEUE
        # only, and a single-queue one only without it
        if bool(flags & IFF_MULTI_QUEUE) != bool(dev.tun.flags & IFF_MULTI_QUEUE):
            raise KernelError(Errno.EINVAL)
        # tun_attach(), then netif_carrier_on(): an attached file gives the device its
        # carrier (a bridge port forwards, linkwatch announces it), as `ip tuntap del`
        # does for the moment before its close (recorded with ip monitor)
        if not dev.carrier:
            from ipemu.kernel.link_watch import rtnl
            with rtnl(ns):
                ns._set_carrier(dev, True)
        return dev, False
    mode = flags & TUN_TYPE_MASK
    if mode not in (IFF_TUN, IFF_TAP):
        raise KernelError(Errno.EINVAL)
    name = _alloc_name(ns, name or ("tun%d" if mode == IFF_TUN else "tap%d"))
    dev = ns.create_device(name, "tun" if mode == IFF_TUN else "tap",
                           address=b"" if mode == IFF_TUN else None,
                           broadcast=b"" if mode == IFF_TUN else None)
    if flags & IFF_MULTI_QUEUE:
        # alloc_netdev_mqs(..., MAX_TAP_QUEUES, MAX_TAP_QUEUES)
        dev.info = replace(dev.info, numtxqueues=MAX_TAP_QUEUES,
                           numrxqueues=MAX_TAP_QUEUES)
        # attach_default_qdiscs(): a multiqueue device gets mq at its first open
        dev.up_qdisc = "mq"
    dev.tun = TunPriv(mode | (flags & TUN_FEATURES), owner, group)
    dev.carrier = True      # netif_carrier_on() of the attaching file (a new device's
    return dev, True        # carrier is on since alloc_netdev(): no change counted)


def tun_set_persist(ns: "NetNamespace", dev: NetDevice, on: bool) -> None:
    """TUNSETPERSIST."""
    if on:
        dev.tun.flags |= IFF_PERSIST
    else:
        dev.tun.flags &= ~IFF_PERSIST


def tun_release(ns: "NetNamespace", dev: NetDevice) -> None:
    """The file is closed (tun_chr_close() -> tun_detach()): the last queue gone, the
    carrier goes off (netif_carrier_off() -> linkwatch_fire_event(): not urgent for a
    device that is down, so held while the host's linkwatch ran less than a second
    ago, its operstate the UNKNOWN it was registered with: an `ifconfig tap0 ... up`
    at once shows RUNNING); a device that is not persistent goes away."""
    if dev.ifindex not in ns.devices:
        return
    if dev.carrier:
        from ipemu.kernel.link_watch import linkwatch_of, linkwatch_urgent_event, rtnl
        lw = linkwatch_of(ns)
        with rtnl(ns):
            before = dev.operstate if dev.admin_up else "UNKNOWN"
            dev.carrier = False
            if lw is not None:
                lw.fire(dev, linkwatch_urgent_event(dev), ns.clock.now, before)
    if not dev.tun.flags & IFF_PERSIST:
        ns.delete_device(dev)
