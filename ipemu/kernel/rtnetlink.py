"""rtnetlink, the kernel's side: the records a namespace answers dumps with, and the
notifications it sends to its listeners (`ip monitor`) as it changes."""
from __future__ import annotations

from dataclasses import replace

from ipemu.kernel.addr import Ifa4, Ifa6
from ipemu.kernel.fib import Route
from ipemu.kernel.netdev import NetDevice
from ipemu.kernel.records import (AddrMsg, LinkMsg, RTM, RouteMsg, addr_msg, link_msg, neigh_msg,
                                  netconf_msg, route_msg)


class Rtnetlink:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

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

    def subscribe(self, listener) -> None:
        self.listeners.append(listener)

    def unsubscribe(self, listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def _notify(self, rtm: RTM, msg) -> None:
        for listener in list(self.listeners):
            listener.notify(rtm, msg)

    def _notify_link(self, dev: NetDevice, rtm: RTM = RTM.NEWLINK, **changes) -> None:
        """rtmsg_ifinfo(); `changes` set fields the kernel has not caught up with yet
        (a carrier linkwatch has not turned into an operstate yet, a veth that lost its
        peer: IFLA_LINK 0)."""
        if not self.listeners:
            return
        iflink = changes.pop("iflink", None)
        msg = link_msg(self, dev, iflink=iflink)
        if changes:
            msg = replace(msg, **changes)
        self._notify(rtm, msg)

    def _notify_addr(self, dev: NetDevice, ifa: Ifa4 | Ifa6, rtm: RTM = RTM.NEWADDR) -> None:
        if self.listeners:
            self._notify(rtm, addr_msg(dev, ifa))

    def _notify_route(self, route: Route, rtm: RTM = RTM.NEWROUTE) -> None:
        if self.listeners:
            self._notify(rtm, route_msg(self, route))

    def notify_neigh(self, n, deleted: bool = False) -> None:
        """neigh_update_notify() / neigh_cleanup_and_release()."""
        if self.listeners:
            self._notify(RTM.DELNEIGH if deleted else RTM.NEWNEIGH, neigh_msg(n))

    def _announce(self, dev: NetDevice) -> None:
        """register_netdevice(): netconf of IPv4 and IPv6 for the new device, then the
        link itself."""
        if self.listeners:
            for family in (4, 6):
                self._notify(RTM.NEWNETCONF, netconf_msg(self, dev, family))
            self._notify_link(dev)
