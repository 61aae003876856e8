"""The namespace's sysctls (net.ipv4.*, net.ipv6.*): stored values, per-device `conf`
lookups with their `all`/`default` fallbacks, and the writes the kernel reacts to at
once (forwarding on every device, disable_ipv6)."""
from __future__ import annotations

from ipemu.kernel.netdev import NetDevice


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


class NetSysctl:
    """A part of NetNamespace (ipemu/kernel/netns.py): methods only, its state is
    the namespace's fields."""

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
