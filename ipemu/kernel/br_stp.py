"""Kernel STP on a bridge (net/bridge/br_stp*.c, stp_state 1 = BR_KERNEL_STP) for a
bridge that hears no other bridge: it is the root and each of its ports is designated,
so an enabled port goes listening -> learning -> forwarding one forward delay apart
(br_make_forwarding(), br_forward_delay_timer_expired()), the bridge has no carrier
until a port forwards (br_port_state_selection()), and every hello time each enabled
port sends a config BPDU (br_hello_timer_expired() -> br_config_bpdu_generation() ->
br_transmit_config() -> br_send_config_bpdu()). BPDUs other bridges send are dropped
by an STP bridge's port (not forwarded), not obeyed: no root election here.

Port states are kept as the time each port left blocking, and read from the clock
(bridge.port_state()), so no timer runs per port but the one that turns the bridge's
carrier on."""
from __future__ import annotations

from ipemu.kernel.netdev import NetDevice
from ipemu.plainclass import dataclass, field

STP_GROUP = bytes.fromhex("0180c2000000")      # br->group_addr
BR_PORT_BITS = 10
STP_HZ = 256
LLC_STP_UI = bytes([0x42, 0x42, 0x03])          # LLC_SAP_BSPAN twice, UI command


@dataclass
class BrStp:
    """The STP part of struct net_bridge, made when STP is first turned on."""
    br: NetDevice
    # ifindex -> when the port left blocking (br_make_forwarding()); None: it was
    # forwarding already when STP came on (br_stp_start() leaves such ports alone)
    since: dict = field(default_factory=dict)
    hello: object = None            # br->hello_timer (a clock Timer) while it runs
    tc_until: float = -1.0          # br->topology_change_timer's expiry

    # -- configuration -------------------------------------------------------
    def on(self) -> bool:
        return self.br.br_conf.get("stp_state", 0) == 1

    def _seconds(self, key: str, default: int) -> float:
        return self.br.br_conf.get(key, default) / 100      # clock_t: centiseconds

    def forward_delay(self) -> float:
        return self._seconds("forward_delay", 1500)

    # -- port states ---------------------------------------------------------
    def state(self, port: NetDevice, now: float) -> int | None:
        """The port's BR_STATE_* as its forward delay timer made it, or None when STP
        never held it (it forwards as a port without STP does)."""
        if port.ifindex not in self.since:
            return None
        t = self.since[port.ifindex]
        if t is None:
            return 3
        fd = self.forward_delay()
        return 1 if now < t + fd else 2 if now < t + 2 * fd else 3

    def sync(self) -> None:
        """Ports enabled or disabled since the last look (br_stp_enable_port(),
        br_stp_disable_port(), br_stp_enable_bridge(), br_stp_disable_bridge()); the
        hello timer runs while the bridge is up with STP on."""
        br = self.br
        clock = br.netns.clock
        now = clock.now
        live = {p.ifindex: p for p in br.ports if br.admin_up and p.admin_up and p.carrier}
        for ifindex in [i for i in self.since if i not in live]:
            del self.since[ifindex]
        for ifindex, port in live.items():
            if ifindex not in self.since:
                if self.on():
                    # br_init_port() + br_make_forwarding(): listening, and the forward
                    # delay timer twice before the port forwards
                    self.since[ifindex] = now
                    clock.call_later(2 * self.forward_delay(), self, "forwarding", ifindex,
                                     now)
                else:
                    self.since[ifindex] = None
        if self.on() and br.admin_up:
            if self.hello is None:
                # br_stp_enable_bridge() / br_stp_start(): jiffies + hello_time
                self.hello = clock.call_later(self._seconds("hello_time", 200), self,
                                              "hello_expired")
        elif self.hello is not None and not br.admin_up:
            clock.cancel(self.hello)
            self.hello = None

    def forwarding(self, ifindex: int, since: float) -> None:
        """br_forward_delay_timer_expired() from learning: the port forwards; as the
        root, br_topology_change_detection() sets topology_change for forward delay +
        max age; the bridge's carrier comes on."""
        if self.since.get(ifindex, -1) != since:
            return                      # the port was disabled (or enabled anew) since
        br = self.br
        if self.on():
            self.tc_until = br.netns.clock.now + self.forward_delay() + \
                self._seconds("max_age", 2000)
        ns = br.netns
        ns._set_carrier(br, ns._bridge_carrier(br))

    # -- BPDUs ---------------------------------------------------------------
    def hello_expired(self) -> None:
        """br_hello_timer_expired(): a config BPDU out of every enabled port, then
        again after hello_time, rounded to a whole second (round_jiffies())."""
        br = self.br
        self.hello = None
        if not br.admin_up:
            return
        if self.on():
            # br->port_list: br_add_if() puts each new port first (list_add_rcu())
            for port in reversed(br.ports):
                if port.ifindex in self.since:
                    self.transmit_config(port)
            clock = br.netns.clock
            self.hello = clock.call_at(round_jiffies(clock.now + self._seconds(
                "hello_time", 200)), self, "hello_expired")

    def transmit_config(self, port: NetDevice) -> None:
        """br_transmit_config() as the root bridge, br_send_config_bpdu() and
        br_send_bpdu(): LLC UI to the group address from the port's own address."""
        from ipemu.kernel import packet as P
        br = self.br
        now = br.netns.clock.now
        bridge_id = self.br.br_conf.get("priority", 0x8000).to_bytes(2, "big") + br.address
        conf = port.brport
        port_no = br.ports.index(port) + 1
        port_id = ((getattr(conf, "priority", 32) << BR_PORT_BITS) | port_no) & 0xFFFF
        flags = 0x01 if now < self.tc_until else 0
        ticks = [int(STP_HZ * self._seconds(key, default)) for key, default in (
            ("max_age", 2000), ("hello_time", 200), ("forward_delay", 1500))]
        bpdu = bytes([0, 0, 0, 0, flags]) + bridge_id + bytes(4) + bridge_id + \
            port_id.to_bytes(2, "big") + bytes(2) + b"".join(
                t.to_bytes(2, "big") for t in ticks)
        frame = P.Frame(STP_GROUP, port.address, len(LLC_STP_UI) + len(bpdu),
                        LLC_STP_UI + bpdu)
        br.netns.stack.dev_xmit(port, frame)


def round_jiffies(when: float) -> float:
    """round_jiffies(): to the whole second, down only when less than a quarter past
    it (the jiffies' seconds are taken as the clock's)."""
    whole = int(when)
    return float(whole) if when - whole < 0.25 else float(whole + 1)


def br_stp_changed(br: NetDevice) -> None:
    """br_stp_set_enabled(): STP on makes the bridge's STP state (ports forwarding
    already stay so) and starts the hello timer when up; off stops the BPDUs (the
    ports keep their states and timers: br_stp_stop())."""
    stp = br.br_stp
    if stp is None:
        if br.br_conf.get("stp_state", 0) != 1:
            return
        stp = br.br_stp = BrStp(br)
        for port in br.ports:
            if br.admin_up and port.admin_up and port.carrier:
                stp.since[port.ifindex] = None
    stp.sync()
