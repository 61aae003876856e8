"""A simulated host: one virtual clock, one seeded random source, its namespaces.

The initial namespace has the empty name; named ones (`ip netns add`) come later.
"""
from __future__ import annotations

from ipemu.kernel.clock import VirtualClock
from ipemu.kernel.link_watch import LinkWatch
from ipemu.kernel.netns import NetNamespace
from ipemu.plainclass import dataclass, field


@dataclass
class Host:
    hostname: str = "localhost"
    seed: int = 0
    clock: VirtualClock = field(default_factory=VirtualClock)
    namespaces: dict[str, NetNamespace] = field(default_factory=dict)
    kernel: dict = field(default_factory=dict)   # the profile's kernel differences
    worlds: list = field(default_factory=list)   # what lies behind its NICs (world.py)
    # the sysctls no namespace owns (fs.file-max...): the machine's, scenario data
    sysctls: dict[str, str] = field(default_factory=dict)
    # observers of the whole host (a lab's wire watch): objects whose
    # namespace_added(name, ns) is called for every namespace added from now on (and
    # namespace_removed(name, ns), where it has one, for every one removed)
    observers: list = field(default_factory=list)
    # kernel modules loaded so far (request_module()): a tunnel module's pernet init
    # runs in every namespace made after it too (kernel/ip_tunnel.py)
    modules: list = field(default_factory=list)
    # linkwatch's once-a-second limit is one for the whole machine (kernel/link_watch.py)
    linkwatch: LinkWatch = field(default_factory=LinkWatch)
    # the network namespace /sys shows to the program running now when its sysfs is
    # not its own: `nsenter --net` and `unshare -n` keep the caller's mount namespace,
    # whose sysfs was mounted for the caller's network namespace (None: the program's
    # own, as `ip netns exec` mounts one for it)
    sysfs_view: object = None
    # how many namespace inode numbers were given (Host.ns_inum())
    ns_inums: int = 0

    def __post_init__(self) -> None:
        import random       # here: a restored host's comes from state.LazyRandom
        self.rng = random.Random(self.seed)
        if "" not in self.namespaces:
            self.add_namespace("")

    def add_namespace(self, name: str) -> NetNamespace:
        ns = NetNamespace(name, self.clock, self.rng, kernel=self.kernel)
        ns.host = self
        self.namespaces[name] = ns
        if self.modules:
            from ipemu.kernel.ip_tunnel import pernet_init
            for module in self.modules:
                pernet_init(ns, module)
        for observer in self.observers:
            observer.namespace_added(name, ns)
        return ns

    def remove_namespace(self, name: str) -> NetNamespace:
        """The namespace goes (cleanup_net()): its devices are unregistered and every
        other namespace forgets the id it gave it."""
        ns = self.namespaces.pop(name)
        self.free_namespace(ns, name)
        return ns

    def free_namespace(self, ns: NetNamespace, name: str) -> None:
        """cleanup_net(): the devices go (a veth takes its peer along), the ids other
        namespaces gave it are released (RTM_DELNSID).

        unhash_nsid() runs before the pernet exit methods (default_device_exit_batch()),
        so every RTM_DELNSID comes before the messages of the devices it takes along
        (recorded on 6.18: `ip monitor all` prints `Deleted nsid` before the veth
        peer's `@NONE` link message; case tutorials44b_nskhuman_ip_monitor_netns_ru)."""
        key = ns.name
        for other in self.namespaces.values():
            gone = other.nsids.pop(key, None)
            if gone is not None:
                other.notify_nsid(gone, name, deleted=True)
        ns.destroy()
        for observer in list(self.observers):
            removed = getattr(observer, "namespace_removed", None)
            if removed is not None:
                removed(name, ns)

    def unname_namespace(self, name: str) -> NetNamespace:
        """The last name of a namespace a process still runs in goes (`ip netns del`
        umounts and unlinks it; put_net() waits for the process): the namespace lives
        on without a name, the ids others gave it kept (a veth peer shows
        `link-netnsid 0`, the next id handed out is the one after), until its last
        process exits (Machine.cleanup_net()). Its ids are kept under a key no name
        can have (a NUL, as no file name holds one)."""
        ns = self.namespaces.pop(name)
        key = "\0" + name
        while any(key in other.nsids for other in self.namespaces.values()):
            key += "\0"
        for other in self.namespaces.values():
            if name in other.nsids:
                other.nsids[key] = other.nsids.pop(name)
        ns.name = key
        return ns

    def ns_inum(self, ns: NetNamespace) -> int:
        """The namespace's inode number, given on first asking (the recording host's
        are 4026532xxx for a new namespace; the exact values differ each boot)."""
        if not ns.inum:
            ns.inum = 4026532000 + 8 * self.ns_inums
            self.ns_inums += 1
        return ns.inum

    @property
    def init_ns(self) -> NetNamespace:
        return self.namespaces[""]

    def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)
