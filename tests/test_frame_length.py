"""The stack counts bytes without building them: the length it computes for a frame
must be the length of the frame's real bytes, for every kind of packet it sends."""
from __future__ import annotations

from ipemu.session import Session


def test_computed_lengths_match_the_bytes():
    session = Session.create(scenario="bare")
    frames = []
    ns = session.host.init_ns
    ns.stack.open_tap(None, lambda ts, raw, dev, out: frames.append(raw))
    original = type(ns.stack).dev_xmit
    checked = []

    def xmit(stack, dev, frame):
        checked.append((len(frame), len(frame.to_bytes())))
        return original(stack, dev, frame)

    type(ns.stack).dev_xmit = xmit
    try:
        for line in ("ip link set lo up", "ip link add veth0 type veth peer name veth1",
                     "ip addr add 10.0.0.1/24 dev veth0", "ip link set veth0 up",
                     "ip link set veth1 up", "sleep 6", "ping -c 2 -s 100 10.0.0.1",
                     "ping -c 1 10.0.0.2", "ping -6 -c 1 ::1"):
            session.run_line(line)
    finally:
        type(ns.stack).dev_xmit = original
    assert len(checked) > 10
    assert all(computed == real for computed, real in checked), checked
