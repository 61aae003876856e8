"""Bridge port states (net/bridge/br_private.h BR_STATE_*): the kernel decides them,
printers only map the number to its name (iproute2's port_states[])."""
from __future__ import annotations

from enum import IntEnum

from ipemu.kernel.netdev import NetDevice


class BrState(IntEnum):
    DISABLED = 0
    LISTENING = 1
    LEARNING = 2
    FORWARDING = 3
    BLOCKING = 4


def port_state(port: NetDevice) -> BrState:
    """A bridge port without STP forwards as soon as it and its bridge are up with
    carrier (br_make_forwarding()); otherwise it is disabled."""
    forwarding = port.admin_up and port.carrier and port.master.admin_up
    return BrState.FORWARDING if forwarding else BrState.DISABLED
