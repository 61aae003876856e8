"""BFD as tcpdump 4.99.3 prints it (print-bfd.c bfd_print()), picked by udp_print() on
the destination port: control packets (3784 single hop, 4784 multihop, 6784 LAG) of
versions 0 and 1 with their timers and authentication, echo packets (3785)."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, bittok2str
from ipemu.tcpdump.util import nd_printn

CONTROL_PORT, ECHO_PORT, MULTIHOP_PORT, LAG_PORT = 3784, 3785, 4784, 6784
DIAGS = {0: "No Diagnostic", 1: "Control Detection Time Expired", 2: "Echo Function Failed",
         3: "Neighbor Signaled Session Down", 4: "Forwarding Plane Reset", 5: "Path Down",
         6: "Concatenated Path Down", 7: "Administratively Down",
         8: "Reverse Concatenated Path Down"}
PORTS = {CONTROL_PORT: "Control", MULTIHOP_PORT: "Multihop", LAG_PORT: "Lag"}
V0_FLAGS = [(0x80, "I Hear You"), (0x40, "Demand"), (0x20, "Poll"), (0x10, "Final"),
            (0x08, "Control Plane Independent"), (0x04, "Authentication Present"),
            (0x02, "Reserved"), (0x01, "Reserved")]
V1_FLAGS = [(0x20, "Poll"), (0x10, "Final"), (0x08, "Control Plane Independent"),
            (0x04, "Authentication Present"), (0x02, "Demand"), (0x01, "Multipoint")]
V1_STATES = {0: "AdminDown", 1: "Down", 2: "Init", 3: "Up"}
AUTH_TYPES = {1: "Simple Password", 2: "Keyed MD5", 3: "Meticulous Keyed MD5",
              4: "Keyed SHA1", 5: "Meticulous Keyed SHA1"}
HEADER_LEN = 24


def bfd_print(d: Dissector, pptr: int, length: int, port: int) -> None:
    """bfd_print()."""
    d.protocol = "bfd"
    v = d.opts.vflag
    if port in PORTS:
        d.need(pptr, HEADER_LEN)
        version_diag, flags = d.u8(pptr), d.u8(pptr + 1)
        version, diag = (version_diag & 0xE0) >> 5, version_diag & 0x1F
        if version in (0, 1):
            if version == 0:
                if v < 1:
                    d.p(f"BFDv0, Control, Flags: [{bittok2str(V0_FLAGS, 'none', flags)}], "
                        f"length: {length}")
                    return
                d.p(f"BFDv0, length: {length}\n\tControl, Flags: "
                    f"[{bittok2str(V0_FLAGS, 'none', flags)}]")
            else:
                state = V1_STATES.get((flags & 0xC0) >> 6, f"unknown ({(flags & 0xC0) >> 6})")
                kind = PORTS[port]
                if v < 1:
                    d.p(f"BFDv1, {kind}, State {state}, Flags: "
                        f"[{bittok2str(V1_FLAGS, 'none', flags & 0x3F)}], length: {length}")
                    return
                d.p(f"BFDv1, length: {length}\n\t{kind}, State {state}, Flags: "
                    f"[{bittok2str(V1_FLAGS, 'none', flags & 0x3F)}]")
            _control(d, pptr, diag, flags)
        else:
            d.p(f"BFDv{version}, Control, length: {length}")
            if v >= 1:
                d.print_unknown_data(pptr, "\n\t", length)
        return
    d.p("BFD, Echo, length: " if port == ECHO_PORT else f"BFD, unknown ({port}), length: ")
    d.p(str(length))
    if v >= 1:
        d.print_unknown_data(pptr, "\n\t", length)


def _control(d: Dissector, pptr: int, diag: int, flags: int) -> None:
    """The verbose control packet after its first line, the same in both versions."""
    mult, tx = d.u8(pptr + 2), d.u32(pptr + 12)
    d.p(f", Diagnostic: {DIAGS.get(diag, 'unknown')} (0x{diag:02x})")
    # u_int arithmetic: the product wraps at 32 bits before the division
    d.p(f"\n\tDetection Timer Multiplier: {mult} ({((mult * tx) & 0xFFFFFFFF) // 1000} ms "
        f"Detection time), BFD Length: {d.u8(pptr + 3)}")
    d.p(f"\n\tMy Discriminator: 0x{d.u32(pptr + 4):08x}, Your Discriminator: "
        f"0x{d.u32(pptr + 8):08x}")
    d.p(f"\n\t  Desired min Tx Interval:    {tx // 1000:4d} ms")
    d.p(f"\n\t  Required min Rx Interval:   {d.u32(pptr + 16) // 1000:4d} ms")
    d.p(f"\n\t  Required min Echo Interval: {d.u32(pptr + 20) // 1000:4d} ms")
    if flags & 0x04:
        _auth(d, pptr + HEADER_LEN)


def _auth(d: Dissector, pptr: int) -> None:
    """auth_print()."""
    d.need(pptr, 4)
    auth_type, auth_len = d.u8(pptr), d.u8(pptr + 1)
    d.p(f"\n\tAuthentication: {AUTH_TYPES.get(auth_type, 'Unknown')} ({auth_type}), "
        f"length: {auth_len}")
    pptr += 2
    d.p(f"\n\t  Auth Key ID: {d.u8(pptr)}")
    if auth_type == 1:
        if not 4 <= auth_len <= 19:
            d.p(f"[invalid length {auth_len}]")
            return
        d.p(", Password: ")
        nd_printn(d, pptr + 1, auth_len - 3)
    elif auth_type in (2, 3, 4, 5):
        want, hash_len, label = (24, 16, "Digest") if auth_type in (2, 3) else (28, 20, "Hash")
        if auth_len != want:
            d.p(f"[invalid length {auth_len}]")
            return
        pptr += 2
        d.p(f", Sequence Number: 0x{d.u32(pptr):08x}")
        pptr += 4
        d.need(pptr, hash_len)
        d.p(f"\n\t  {label}: " + d.bytes_(pptr, hash_len).hex())
