"""Light-weight tunnel state of routes (net/core/lwtunnel.c): what RTA_ENCAP and
RTA_ENCAP_TYPE ask for, checked and kept as lwtunnel_build_state() does, reported back
as lwtunnel_fill_encap() fills it. The encapsulations themselves (seg6_iptunnel.c's
SRH push, seg6_local.c's behaviours, ip_tunnel_core.c's metadata) are not simulated:
a route keeps its state and `ip route` shows it."""
from __future__ import annotations

import ipaddress
from ipemu.plainclass import dataclass, replace

from ipemu.kernel.errors import Errno, KernelError

# include/uapi/linux/seg6_iptunnel.h SEG6_IPTUN_MODE_*, in their numbering
SEG6_MODES = ("inline", "encap", "l2encap", "encap.red", "l2encap.red")
# include/uapi/linux/seg6_local.h SEG6_LOCAL_ACTION_* (1..15), by number
SEG6_LOCAL_ACTIONS = (None, "End", "End.X", "End.T", "End.DX2", "End.DX6", "End.DX4",
                      "End.DT6", "End.DT4", "End.B6", "End.B6.Encaps", "End.BM", "End.S",
                      "End.AS", "End.AM", "End.BPF", "End.DT46")
# seg6_local.c seg6_action_table[]: the attributes each behaviour requires and the
# optional ones it keeps (every behaviour may count; the others are dropped)
_SEG6_LOCAL_ATTRS = {
    "End": ((), ("flavors",)), "End.X": (("nh6",), ("oif", "flavors")),
    "End.T": (("table",), ()), "End.DX2": (("oif",), ()),
    "End.DX6": (("nh6",), ("oif",)), "End.DX4": (("nh4",), ("oif",)),
    "End.DT6": ((), ("table", "vrftable")), "End.DT4": (("vrftable",), ()),
    "End.DT46": (("vrftable",), ()), "End.B6": (("srh",), ()),
    "End.B6.Encaps": (("srh",), ()),
}
# include/uapi/linux/seg6_local.h SEG6_LOCAL_FLV_OP_* bits
SEG6_FLAVORS = (None, "psp", "usp", "usd", "next-csid")
# the flavor operations each behaviour supports (seg6_local.c SEG6_LOCAL_END_FLV_SUPP_OPS,
# SEG6_LOCAL_END_X_FLV_SUPP_OPS: End takes PSP and NEXT-C-SID, End.X NEXT-C-SID only)
_PSP, _NEXT_CSID = 1 << 1, 1 << 4
_FLV_SUPP_OPS = {"End": _PSP | _NEXT_CSID, "End.X": _NEXT_CSID}
# SEG6_LOCAL_LCBLOCK_DBITS, SEG6_LOCAL_LCNODE_FN_DBITS: NEXT-C-SID's default lengths
_LCBLOCK_DBITS, _LCNODE_FN_DBITS = 32, 16
# the encap types with a builder here (lwtunnel_encap_ops[]); mpls's is the
# mpls_iptunnel module's, which a kernel without MPLS (missing_drivers) lacks
BUILT = ("ip", "ip6", "seg6", "seg6local")


@dataclass(frozen=True)
class LwtEncap:
    """RTA_ENCAP_TYPE and RTA_ENCAP's attributes (None: not sent). seg6: `mode` (an
    index of SEG6_MODES, -1 when ip sent none), `segs` the SRH's segments[0..first]
    and `hmac` its HMAC key id (0: no HMAC TLV); seg6local: the action's name, its
    table, vrftable, nh4, nh6, iif, oif, srh (segs, hmac), `count`, flavor bits and
    NEXT-C-SID's locator-block and locator-node function lengths (lblen, nflen);
    ip and ip6: id, src, dst, ttl (hoplimit), tos (tc), TUNNEL_* flags."""

    type: str
    mode: int | None = None
    segs: tuple = ()
    hmac: int = 0
    action: str | None = None
    table: int | None = None
    vrftable: int | None = None
    nh4: ipaddress.IPv4Address | None = None
    nh6: ipaddress.IPv6Address | None = None
    iif: int | None = None
    oif: int | None = None
    srh: bool = False
    count: bool = False
    flavors: int = 0
    lblen: int | None = None
    nflen: int | None = None
    id: int | None = None
    src: object = None
    dst: object = None
    ttl: int | None = None
    tos: int | None = None
    flags: int = 0


TUNNEL_CSUM, TUNNEL_KEY, TUNNEL_SEQ = 0x01, 0x04, 0x08      # include/net/ip_tunnels.h


def valid_encap_type(ns, encap: LwtEncap) -> None:
    """lwtunnel_valid_encap_type(): ops registered for the type (no module to load);
    bpf's are (net/core/lwt_bpf.c)."""
    if encap.type == "mpls" and "mpls" not in ns.kernel.get("missing_drivers", []):
        raise KernelError(Errno.EOPNOTSUPP, "ipemu: MPLS encapsulation is not simulated yet")
    if encap.type not in BUILT and encap.type != "bpf":
        raise KernelError(Errno.EOPNOTSUPP, "lwt encapsulation type not supported")


def build_state(ns, family: int, encap: LwtEncap) -> LwtEncap:
    """lwtunnel_build_state(): the type's builder checks the request and makes the
    state the route keeps (what lwtunnel_fill_encap() will send back)."""
    valid_encap_type(ns, encap)
    if encap.type == "bpf":
        # bpf_build_state() (net/core/lwt_bpf.c): at least one of in, out and xmit
        # must hold a program, and none can be loaded here
        raise KernelError(Errno.EINVAL)
    if encap.type == "seg6":
        # seg6_build_state(): a known mode (inline only for IPv6 routes)
        if encap.mode is None or not 0 <= encap.mode < len(SEG6_MODES) or \
                (encap.mode == 0 and family != 6):
            raise KernelError(Errno.EINVAL)
        return encap
    if encap.type == "seg6local":
        return _seg6_local_build_state(ns, family, encap)
    # ip_tun_build_state(), ip6_tun_build_state(): every field filled, zero when
    # not given (ip_tun_fill_encap_info() sends them all)
    zero = ipaddress.IPv4Address(0) if encap.type == "ip" else ipaddress.IPv6Address(0)
    return replace(encap, id=encap.id or 0, src=encap.src or zero, dst=encap.dst or zero,
                   ttl=encap.ttl or 0, tos=encap.tos or 0)


def _seg6_local_build_state(ns, family: int, encap: LwtEncap) -> LwtEncap:
    """seg6_local_build_state(): IPv6 routes only; the behaviour's required
    attributes (parse_nla_action()), an End.DT4/DT46 table must be a VRF's; what the
    behaviour does not take is dropped."""
    if family != 6:
        raise KernelError(Errno.EINVAL)
    attrs = _SEG6_LOCAL_ATTRS.get(encap.action)
    if attrs is None:
        # parse_nla_action(): a behaviour seg6_action_table[] lacks (End.BM, End.S,
        # End.AS, End.AM) is EINVAL, as is End.BPF without its program (recorded)
        raise KernelError(Errno.EINVAL)
    required, optional = attrs
    given = {name for name in ("table", "vrftable", "nh4", "nh6", "iif", "oif")
             if getattr(encap, name) is not None}
    if encap.srh:
        given.add("srh")
    if encap.flavors:
        given.add("flavors")
    if any(name not in given for name in required):
        raise KernelError(Errno.EINVAL)
    if encap.action == "End.DT6" and "table" not in given and "vrftable" not in given:
        raise KernelError(Errno.EINVAL)
    if encap.vrftable is not None and "vrftable" in required + optional and \
            not any(d.vrf_table == encap.vrftable
                    for d in ns.devices.values()):
        raise KernelError(Errno.EINVAL)     # seg6_end_dt_mode: no VRF with that table
    kept = set(required + optional)
    lblen = nflen = None
    if encap.flavors and "flavors" in kept:
        lblen, nflen = _parse_nla_flavors(encap)
    return LwtEncap("seg6local", action=encap.action,
                    table=encap.table if "table" in kept else None,
                    vrftable=encap.vrftable if "vrftable" in kept else None,
                    nh4=encap.nh4 if "nh4" in kept else None,
                    nh6=encap.nh6 if "nh6" in kept else None,
                    iif=encap.iif if "iif" in kept else None,
                    oif=encap.oif if "oif" in kept else None,
                    srh="srh" in kept and encap.srh,
                    segs=encap.segs if "srh" in kept else (),
                    hmac=encap.hmac if "srh" in kept else 0,
                    count=encap.count,
                    flavors=encap.flavors if "flavors" in kept else 0,
                    lblen=lblen, nflen=nflen)


def _parse_nla_flavors(encap: LwtEncap) -> tuple[int | None, int | None]:
    """parse_nla_flavors(): the behaviour's supported operations only; NEXT-C-SID
    takes the lengths given or the defaults (seg6_parse_nla_next_csid_cfg()), each a
    non-zero multiple of 8 and together within a 128-bit C-SID container
    (seg6_chk_next_csid_cfg()); they are sent back only then."""
    if encap.flavors & ~_FLV_SUPP_OPS.get(encap.action, 0):
        raise KernelError(Errno.EOPNOTSUPP, "Unsupported Flavor operation(s)")
    if not encap.flavors & _NEXT_CSID:
        return None, None
    lblen = _LCBLOCK_DBITS if encap.lblen is None else encap.lblen
    nflen = _LCNODE_FN_DBITS if encap.nflen is None else encap.nflen
    if not lblen or lblen % 8 or not nflen or nflen % 8 or lblen + nflen > 128:
        raise KernelError(Errno.EINVAL, "Invalid Locator Block/Node Function lengths")
    return lblen, nflen
