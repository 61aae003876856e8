"""Kernel STP on a bridge (net/bridge/br_stp.c, br_stp_if.c, br_stp_timer.c,
br_stp_bpdu.c; stp_state 1 = BR_KERNEL_STP: no /sbin/bridge-stp runs in a namespace).

A port that comes up starts blocking and, as a root or designated port, goes listening
-> learning -> forwarding one forward delay apart (br_make_forwarding(),
br_forward_delay_timer_expired()); the bridge has no carrier until a port forwards
(br_port_state_selection()). Every hello time the root sends a config BPDU out of each
designated port (br_hello_timer_expired()); a bridge that hears a better root through a
port takes it as its root port, relays the root's BPDUs out of its designated ports and
blocks the ports that are neither (br_received_config_bpdu(), br_root_selection(),
br_designated_port_selection()), so a loop of bridges has one port blocking. Topology
changes set the flag in the root's BPDUs (TCN BPDUs towards the root). Times are kept
in seconds; jiffies are 4 ms (HZ 250)."""
from __future__ import annotations

from ipemu.kernel.netdev import NetDevice
from ipemu.plainclass import dataclass, field

STP_GROUP = bytes.fromhex("0180c2000000")      # br->group_addr
BR_PORT_BITS = 10
STP_HZ = 256
JIFFY = 0.004
MESSAGE_AGE_INCR = JIFFY                        # HZ < 256: one jiffy
BR_HOLD_TIME = 1.0
LLC_STP_UI = bytes([0x42, 0x42, 0x03])          # LLC_SAP_BSPAN twice, UI command
DISABLED, LISTENING, LEARNING, FORWARDING, BLOCKING = 0, 1, 2, 3, 4


@dataclass
class Bpdu:
    """struct br_config_bpdu, times in seconds."""
    topology_change: bool
    topology_change_ack: bool
    root: bytes
    root_path_cost: int
    bridge_id: bytes
    port_id: int
    message_age: float
    max_age: float
    hello_time: float
    forward_delay: float


@dataclass
class PortStp:
    """The STP part of struct net_bridge_port."""
    port: NetDevice
    state: int = DISABLED
    port_id: int = 0
    designated_root: bytes = bytes(8)
    designated_cost: int = 0
    designated_bridge: bytes = bytes(8)
    designated_port: int = 0
    topology_change_ack: bool = False
    config_pending: bool = False
    message_age_timer: object = None
    forward_delay_timer: object = None
    hold_timer: object = None
    # disabled by hand (IFLA_BRPORT_STATE 0): br_port_carrier_check() would enable it
    # on the port's next netdev event, but turning STP on or off is none
    manual: bool = False


@dataclass
class BrStp:
    """The STP part of struct net_bridge, made when STP is first turned on."""
    br: NetDevice
    ports: dict = field(default_factory=dict)     # ifindex -> PortStp
    bridge_id: bytes = bytes(8)
    designated_root: bytes = bytes(8)
    root_path_cost: int = 0
    root_port: int = 0                           # a port_no, 0: none (the root bridge)
    max_age: float = 20.0
    hello_time: float = 2.0
    forward_delay: float = 15.0
    topology_change: bool = False
    topology_change_detected: bool = False
    hello_timer: object = None
    tcn_timer: object = None
    topology_change_timer: object = None
    up: bool = False                             # br_stp_enable_bridge() has run

    # -- configuration -------------------------------------------------------
    def on(self) -> bool:
        return self.br.br_conf.get("stp_state", 0) == 1

    def _conf(self, key: str, default: int) -> float:
        return self.br.br_conf.get(key, default) / 100      # clock_t: centiseconds

    def bridge_max_age(self) -> float:
        return self._conf("max_age", 2000)

    def bridge_hello_time(self) -> float:
        return self._conf("hello_time", 200)

    def bridge_forward_delay(self) -> float:
        return self._conf("forward_delay", 1500)

    def _own_id(self) -> bytes:
        return self.br.br_conf.get("priority", 0x8000).to_bytes(2, "big") + self.br.address

    def _clock(self):
        return self.br.netns.clock

    def _later(self, delay: float, action: str, *args):
        return self._clock().call_later(delay, self, action, *args)

    @staticmethod
    def _cancel(timer) -> None:
        if timer is not None:
            timer.cancelled = True

    def port_no(self, p: PortStp) -> int:
        from ipemu.kernel.bridge import br_port_no
        return br_port_no(p.port) if p.port in self.br.ports else 0

    def _port_list(self) -> list[PortStp]:
        """br->port_list: br_add_if() puts each new port first (list_add_rcu())."""
        return [self.ports[d.ifindex] for d in reversed(self.br.ports) if d.ifindex in self.ports]

    def _get_port(self, port_no: int) -> PortStp | None:
        from ipemu.kernel.bridge import br_port_no
        for dev in self.br.ports:               # br_get_port(): by p->port_no
            if br_port_no(dev) == port_no:
                return self.ports.get(dev.ifindex)
        return None

    # -- br_stp.c ------------------------------------------------------------
    def is_root_bridge(self) -> bool:
        return self.bridge_id == self.designated_root

    def is_designated_port(self, p: PortStp) -> bool:
        return p.designated_bridge == self.bridge_id and p.designated_port == p.port_id

    def _path_cost(self, p: PortStp) -> int:
        return getattr(p.port.brport, "cost", 100)

    def _should_become_root_port(self, p: PortStp, root_port: int) -> bool:
        if p.state == DISABLED or self.is_designated_port(p):
            return False
        if self.bridge_id <= p.designated_root:
            return False
        if not root_port:
            return True
        rp = self._get_port(root_port)
        if p.designated_root != rp.designated_root:
            return p.designated_root < rp.designated_root
        a = p.designated_cost + self._path_cost(p)
        b = rp.designated_cost + self._path_cost(rp)
        if a != b:
            return a < b
        if p.designated_bridge != rp.designated_bridge:
            return p.designated_bridge < rp.designated_bridge
        if p.designated_port != rp.designated_port:
            return p.designated_port < rp.designated_port
        return p.port_id < rp.port_id

    def root_selection(self) -> None:
        """br_root_selection()."""
        root_port = 0
        for p in self._port_list():
            if not self._should_become_root_port(p, root_port):
                continue
            if getattr(p.port.brport, "root_block", False):
                self._root_port_block(p)        # BR_ROOT_BLOCK (bridge link ... root_block on)
            else:
                root_port = self.port_no(p)
        self.root_port = root_port
        if not root_port:
            self.designated_root = self.bridge_id
            self.root_path_cost = 0
        else:
            p = self._get_port(root_port)
            self.designated_root = p.designated_root
            self.root_path_cost = p.designated_cost + self._path_cost(p)

    def _root_port_block(self, p: PortStp) -> None:
        """br_root_port_block(): a root_block port that would be the root port goes
        listening and its forward delay starts again (mod_timer()), so while the better
        root's BPDUs keep coming it never learns nor forwards (recorded,
        captures39b_stp_tcn_guard)."""
        p.state = LISTENING
        if self.forward_delay > 0:
            self._cancel(p.forward_delay_timer)
            p.forward_delay_timer = self._later(self.forward_delay,
                                                "forward_delay_timer_expired", p)

    def become_root_bridge(self) -> None:
        """br_become_root_bridge()."""
        self.max_age = self.bridge_max_age()
        self.hello_time = self.bridge_hello_time()
        self.forward_delay = self.bridge_forward_delay()
        self.topology_change_detection()
        self._cancel(self.tcn_timer)
        self.tcn_timer = None
        if self.br.admin_up:
            self.config_bpdu_generation()
            self._cancel(self.hello_timer)
            self.hello_timer = self._later(self.hello_time, "hello_timer_expired")

    def transmit_config(self, p: PortStp) -> None:
        """br_transmit_config(): at most one per hold time (1 s) per port."""
        if self.hold_pending(p):
            p.config_pending = True
            return
        now = self._clock().now
        if self.is_root_bridge():
            message_age = 0.0
        else:
            root = self._get_port(self.root_port)
            expires = root.message_age_timer.when if root.message_age_timer is not None \
                else now
            message_age = self.max_age - (expires - now) + MESSAGE_AGE_INCR
        if message_age < self.max_age:
            self.send_config_bpdu(p, Bpdu(self.topology_change, p.topology_change_ack,
                                          self.designated_root, self.root_path_cost,
                                          self.bridge_id, p.port_id, message_age,
                                          self.max_age, self.hello_time, self.forward_delay))
            p.topology_change_ack = False
            p.config_pending = False
            if self.on():
                p.hold_timer = self._clock().call_at(round_jiffies(now + BR_HOLD_TIME), self,
                                                     "hold_timer_expired", p)

    def hold_pending(self, p: PortStp) -> bool:
        t = p.hold_timer
        return t is not None and not t.cancelled and t.when > self._clock().now

    def record_config_information(self, p: PortStp, bpdu: Bpdu) -> None:
        p.designated_root = bpdu.root
        p.designated_cost = bpdu.root_path_cost
        p.designated_bridge = bpdu.bridge_id
        p.designated_port = bpdu.port_id
        self._cancel(p.message_age_timer)
        p.message_age_timer = self._later(bpdu.max_age - bpdu.message_age,
                                          "message_age_timer_expired", p)

    def record_config_timeout_values(self, bpdu: Bpdu) -> None:
        self.max_age = bpdu.max_age
        self.hello_time = bpdu.hello_time
        self.forward_delay = bpdu.forward_delay
        self.topology_change = bpdu.topology_change

    def transmit_tcn(self) -> None:
        """br_transmit_tcn(): a topology change notification out of the root port."""
        p = self._get_port(self.root_port)
        if p is not None:
            self.send_bpdu(p, bytes([0, 0, 0, 0x80]))

    def _should_become_designated_port(self, p: PortStp) -> bool:
        if self.is_designated_port(p):
            return True
        if p.designated_root != self.designated_root:
            return True
        if self.root_path_cost != p.designated_cost:
            return self.root_path_cost < p.designated_cost
        if self.bridge_id != p.designated_bridge:
            return self.bridge_id < p.designated_bridge
        return p.port_id < p.designated_port

    def designated_port_selection(self) -> None:
        for p in self._port_list():
            if p.state != DISABLED and self._should_become_designated_port(p):
                self.become_designated_port(p)

    def _supersedes_port_info(self, p: PortStp, bpdu: Bpdu) -> bool:
        if bpdu.root != p.designated_root:
            return bpdu.root < p.designated_root
        if bpdu.root_path_cost != p.designated_cost:
            return bpdu.root_path_cost < p.designated_cost
        if bpdu.bridge_id != p.designated_bridge:
            return bpdu.bridge_id < p.designated_bridge
        if bpdu.bridge_id != self.bridge_id:
            return True
        return bpdu.port_id <= p.designated_port

    def topology_change_acknowledged(self) -> None:
        self.topology_change_detected = False
        self._cancel(self.tcn_timer)
        self.tcn_timer = None

    def topology_change_detection(self) -> None:
        """br_topology_change_detection(): the root sets topology_change for forward
        delay + max age; another bridge sends TCNs towards it."""
        if not self.on():
            return
        if self.is_root_bridge():
            self.topology_change = True
            self._cancel(self.topology_change_timer)
            self.topology_change_timer = self._later(
                self.bridge_forward_delay() + self.bridge_max_age(),
                "topology_change_timer_expired")
        elif not self.topology_change_detected:
            self.transmit_tcn()
            self._cancel(self.tcn_timer)
            self.tcn_timer = self._later(self.bridge_hello_time(), "tcn_timer_expired")
        self.topology_change_detected = True

    def config_bpdu_generation(self) -> None:
        for p in self._port_list():
            if p.state != DISABLED and self.is_designated_port(p):
                self.transmit_config(p)

    def configuration_update(self) -> None:
        self.root_selection()
        self.designated_port_selection()

    def become_designated_port(self, p: PortStp) -> None:
        p.designated_root = self.designated_root
        p.designated_cost = self.root_path_cost
        p.designated_bridge = self.bridge_id
        p.designated_port = p.port_id

    def _make_blocking(self, p: PortStp) -> None:
        if p.state not in (DISABLED, BLOCKING):
            if p.state in (FORWARDING, LEARNING):
                self.topology_change_detection()
            p.state = BLOCKING
            self._cancel(p.forward_delay_timer)

    def _make_forwarding(self, p: PortStp) -> None:
        if p.state != BLOCKING:
            return
        if not self.on() or self.forward_delay == 0:
            p.state = FORWARDING
            self.topology_change_detection()
            self._cancel(p.forward_delay_timer)
        else:
            p.state = LISTENING
        if self.forward_delay:
            self._cancel(p.forward_delay_timer)
            p.forward_delay_timer = self._later(self.forward_delay,
                                                "forward_delay_timer_expired", p)

    def port_state_selection(self, carrier: bool = True) -> None:
        """br_port_state_selection(); `carrier`: also netif_carrier_on()/off() of the
        bridge (a caller in dev.py sets the carrier itself)."""
        for p in self._port_list():
            if p.state == DISABLED:
                continue
            if self.port_no(p) == self.root_port:
                p.config_pending = False
                p.topology_change_ack = False
                self._make_forwarding(p)
            elif self.is_designated_port(p):
                self._cancel(p.message_age_timer)
                self._make_forwarding(p)
            else:
                p.config_pending = False
                p.topology_change_ack = False
                self._make_blocking(p)
        if carrier:
            self._set_carrier()

    def _set_carrier(self) -> None:
        br = self.br
        ns = br.netns
        ns._set_carrier(br, ns._bridge_carrier(br))

    def received_config_bpdu(self, p: PortStp, bpdu: Bpdu) -> None:
        """br_received_config_bpdu()."""
        was_root = self.is_root_bridge()
        if self._supersedes_port_info(p, bpdu):
            self.record_config_information(p, bpdu)
            self.configuration_update()
            self.port_state_selection()
            if not self.is_root_bridge() and was_root:
                self._cancel(self.hello_timer)
                self.hello_timer = None
                if self.topology_change_detected:
                    self._cancel(self.topology_change_timer)
                    self.transmit_tcn()
                    self._cancel(self.tcn_timer)
                    self.tcn_timer = self._later(self.bridge_hello_time(), "tcn_timer_expired")
            if self.port_no(p) == self.root_port:
                self.record_config_timeout_values(bpdu)
                self.config_bpdu_generation()
                if bpdu.topology_change_ack:
                    self.topology_change_acknowledged()
        elif self.is_designated_port(p):
            self.transmit_config(p)            # br_reply()

    def received_tcn_bpdu(self, p: PortStp) -> None:
        if self.is_designated_port(p):
            self.topology_change_detection()
            p.topology_change_ack = True       # br_topology_change_acknowledge()
            self.transmit_config(p)

    # -- br_stp_timer.c --------------------------------------------------------
    def hello_timer_expired(self) -> None:
        self.hello_timer = None
        if not self.br.admin_up:
            return
        self.config_bpdu_generation()
        if self.on():
            clock = self._clock()
            self.hello_timer = clock.call_at(round_jiffies(clock.now + self.hello_time), self,
                                             "hello_timer_expired")

    def message_age_timer_expired(self, p: PortStp) -> None:
        if p.state == DISABLED or p.message_age_timer is None or p.message_age_timer.cancelled:
            return
        was_root = self.is_root_bridge()
        self.become_designated_port(p)
        self.configuration_update()
        self.port_state_selection()
        if self.is_root_bridge() and not was_root:
            self.become_root_bridge()

    def forward_delay_timer_expired(self, p: PortStp) -> None:
        if p.state == LISTENING:
            p.state = LEARNING
            p.forward_delay_timer = self._later(self.forward_delay,
                                                "forward_delay_timer_expired", p)
        elif p.state == LEARNING:
            p.state = FORWARDING
            if any(self.is_designated_port(q) for q in self._port_list()
                   if q.state != DISABLED):
                self.topology_change_detection()
            self._set_carrier()

    def tcn_timer_expired(self) -> None:
        self.tcn_timer = None
        if not self.is_root_bridge() and self.topology_change_detected:
            self.transmit_tcn()
            self.tcn_timer = self._later(self.bridge_hello_time(), "tcn_timer_expired")

    def topology_change_timer_expired(self) -> None:
        self.topology_change_detected = False
        self.topology_change = False

    def hold_timer_expired(self, p: PortStp) -> None:
        p.hold_timer = None
        if p.config_pending:
            self.transmit_config(p)

    # -- br_stp_if.c -----------------------------------------------------------
    def init_port(self, p: PortStp) -> None:
        prio = getattr(p.port.brport, "priority", 32)
        p.port_id = ((prio << BR_PORT_BITS) | (self.port_no(p) & 0x3FF)) & 0xFFFF
        self.become_designated_port(p)
        p.state = BLOCKING
        p.topology_change_ack = False
        p.config_pending = False

    def enable_port(self, p: PortStp) -> None:
        self.init_port(p)
        self.port_state_selection(carrier=False)

    def disable_port(self, p: PortStp) -> None:
        was_root = self.is_root_bridge()
        self.become_designated_port(p)
        p.state = DISABLED
        p.topology_change_ack = False
        p.config_pending = False
        for t in (p.message_age_timer, p.forward_delay_timer, p.hold_timer):
            self._cancel(t)
        p.message_age_timer = p.forward_delay_timer = p.hold_timer = None
        self.configuration_update()
        self.port_state_selection(carrier=False)
        if self.is_root_bridge() and not was_root:
            self.become_root_bridge()

    def set_path_cost(self, p: PortStp) -> None:
        """br_stp_set_path_cost() after the cost is stored: br_configuration_update()
        and br_port_state_selection() at once (recorded: tutorials44_stp_root_election,
        the root port moves to the other link within a second of `cost 50`)."""
        was_root = self.is_root_bridge()
        self.configuration_update()
        self.port_state_selection()
        if self.is_root_bridge() and not was_root:
            self.become_root_bridge()

    def set_port_priority(self, p: PortStp, prio: int) -> None:
        """br_stp_set_port_priority(): the port id anew (the designated port too when
        the port is designated), and a port that now beats its designated port
        becomes designated."""
        new_id = ((prio << BR_PORT_BITS) | (self.port_no(p) & 0x3FF)) & 0xFFFF
        if self.is_designated_port(p):
            p.designated_port = new_id
        p.port_id = new_id
        if self.bridge_id == p.designated_bridge and p.port_id < p.designated_port:
            self.become_designated_port(p)
            self.port_state_selection()

    def change_bridge_id(self, new: bytes) -> None:
        """br_stp_change_bridge_id() / br_stp_set_bridge_priority()."""
        was_root = self.is_root_bridge()
        old = self.bridge_id
        self.bridge_id = new
        for p in self.ports.values():
            if p.designated_bridge == old:
                p.designated_bridge = new
            if p.designated_root == old:
                p.designated_root = new
        if self.designated_root == old:
            self.designated_root = new
        self.configuration_update()
        self.port_state_selection(carrier=False)
        if self.is_root_bridge() and not was_root:
            self.become_root_bridge()

    def sync(self) -> None:
        """What changed since the last look: the bridge's id, ports enabled or disabled
        (br_stp_enable_port(), br_stp_disable_port(), br_stp_enable_bridge(),
        br_stp_disable_bridge()), the hello timer."""
        br = self.br
        own = self._own_id()
        if own != self.bridge_id:
            self.change_bridge_id(own)
        for ifindex in [i for i, p in self.ports.items() if p.port not in br.ports]:
            p = self.ports.pop(ifindex)
            if p.state != DISABLED:
                self.disable_port(p)
        if not br.admin_up:
            if self.up:                         # br_stp_disable_bridge()
                self.up = False
                for p in self._port_list():
                    if p.state != DISABLED:
                        self.disable_port(p)
                self.topology_change = self.topology_change_detected = False
                for name in ("hello_timer", "topology_change_timer", "tcn_timer"):
                    self._cancel(getattr(self, name))
                    setattr(self, name, None)
            return
        if not self.up:                         # br_stp_enable_bridge()
            self.up = True
            if self.on():
                self._cancel(self.hello_timer)
                self.hello_timer = self._later(self.hello_time, "hello_timer_expired")
            self.config_bpdu_generation()
        for dev in reversed(br.ports):
            p = self.ports.get(dev.ifindex)
            if p is None:
                p = self.ports[dev.ifindex] = PortStp(dev)
            # netif_running() && netif_oper_up(): the operstate linkwatch left, so a
            # port whose carrier event is still held stays disabled (br_port_carrier_check())
            live = dev.admin_up and dev.carrier and dev.operstate in ("UP", "UNKNOWN")
            if live and p.state == DISABLED and not p.manual:
                self.enable_port(p)
            elif not live:
                p.manual = False
                if p.state != DISABLED:
                    self.disable_port(p)

    # -- br_stp_bpdu.c ---------------------------------------------------------
    def send_config_bpdu(self, p: PortStp, bpdu: Bpdu) -> None:
        """br_send_config_bpdu(): 35 bytes, times in 1/256 s."""
        if not self.on():
            return
        flags = (0x01 if bpdu.topology_change else 0) | (0x80 if bpdu.topology_change_ack else 0)
        times = b"".join(int(STP_HZ * t).to_bytes(2, "big") for t in (
            bpdu.message_age, bpdu.max_age, bpdu.hello_time, bpdu.forward_delay))
        self.send_bpdu(p, bytes([0, 0, 0, 0, flags]) + bpdu.root +
                       bpdu.root_path_cost.to_bytes(4, "big") + bpdu.bridge_id +
                       bpdu.port_id.to_bytes(2, "big") + times)

    def send_bpdu(self, p: PortStp, data: bytes) -> None:
        """br_send_bpdu(): LLC UI to the group address from the port's own address."""
        from ipemu.kernel import packet as P
        if not self.on():
            return
        frame = P.Frame(STP_GROUP, p.port.address, len(LLC_STP_UI) + len(data),
                        LLC_STP_UI + data)
        self.br.netns.stack.dev_xmit(p.port, frame)

    def rcv(self, port: NetDevice, payload: bytes) -> None:
        """br_stp_rcv(): a config or TCN BPDU on an enabled port of a KERNEL_STP bridge."""
        p = self.ports.get(port.ifindex)
        if p is None or p.state == DISABLED or not self.on() or payload[:3] != LLC_STP_UI:
            return
        buf = payload[3:]
        if len(buf) < 4 or buf[:3] != bytes(3):
            return
        if getattr(port.brport, "guard", False):
            # BR_BPDU_GUARD ("BPDU received on blocked port"): br_stp_disable_port();
            # it stays disabled (guard off or not) until the port's next netdev event
            # enables it again (br_port_carrier_check(), recorded: captures39b_stp_tcn_guard)
            self.disable_port(p)
            p.manual = True
            return
        if buf[3] == 0 and len(buf) >= 35:
            ticks = [int.from_bytes(buf[i:i + 2], "big") for i in (27, 29, 31, 33)]
            # br_get_ticks(): DIV_ROUND_UP(ticks * HZ, STP_HZ) jiffies
            age, max_age, hello, fwd = (-(-t * 250 // STP_HZ) * JIFFY for t in ticks)
            if age > max_age:
                return
            self.received_config_bpdu(p, Bpdu(
                bool(buf[4] & 0x01), bool(buf[4] & 0x80), buf[5:13],
                int.from_bytes(buf[13:17], "big"), buf[17:25],
                int.from_bytes(buf[25:27], "big"), age, max_age, hello, fwd))
        elif buf[3] == 0x80:
            self.received_tcn_bpdu(p)

    def state_of(self, port: NetDevice) -> int | None:
        p = self.ports.get(port.ifindex)
        return None if p is None else p.state


def round_jiffies(when: float) -> float:
    """round_jiffies(): to the whole second, down only when less than a quarter past
    it (the jiffies' seconds are taken as the clock's)."""
    whole = int(when)
    return float(whole) if when - whole < 0.25 else float(whole + 1)


def br_stp_changed(br: NetDevice) -> None:
    """br_stp_set_enabled(): turned on, br_stp_start() makes the bridge's STP state
    (ports forwarding already stay so: br_make_forwarding() only moves blocking ones),
    starts the hello timer when the bridge is up and runs br_port_state_selection();
    turned off (br_stp_stop()), the BPDUs stop, the port states and timers stay."""
    stp = br.br_stp
    if stp is None:
        if br.br_conf.get("stp_state", 0) != 1:
            return
        stp = br.br_stp = BrStp(br)
        stp.max_age, stp.hello_time = stp.bridge_max_age(), stp.bridge_hello_time()
        stp.forward_delay = stp.bridge_forward_delay()
        stp.bridge_id = stp.designated_root = stp._own_id()
        for dev in reversed(br.ports):
            p = stp.ports[dev.ifindex] = PortStp(dev)
            if br.admin_up and dev.admin_up and dev.carrier:
                stp.init_port(p)
                # they forwarded without STP (or kept a state set by hand)
                manual = getattr(dev.brport, "manual_state", None)
                p.state = FORWARDING if manual is None else manual
                p.manual = p.state == DISABLED
                # ... with the forward_delay_timer br_make_forwarding() armed then
                when = br.br_fd_timers.get(dev.ifindex)
                if when is not None and when > stp._clock().now:
                    p.forward_delay_timer = stp._clock().call_at(
                        when, stp, "forward_delay_timer_expired", p)
        stp.up = br.admin_up
        if br.admin_up:                         # br_stp_start(): jiffies + hello_time
            stp.hello_timer = stp._later(stp.hello_time, "hello_timer_expired")
    else:
        if stp.is_root_bridge():
            # br_set_hello_time(), br_set_max_age(), __br_set_forward_delay(): the root
            # uses its own values at once (others keep the root's, from its BPDUs)
            stp.max_age, stp.hello_time = stp.bridge_max_age(), stp.bridge_hello_time()
            stp.forward_delay = stp.bridge_forward_delay()
        if stp.on() and br.admin_up and stp.hello_timer is None and stp.is_root_bridge():
            stp.hello_timer = stp._later(stp.hello_time, "hello_timer_expired")
    stp.sync()
    if stp.on() and br.admin_up:
        stp.port_state_selection(carrier=False)
