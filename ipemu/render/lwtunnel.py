"""A route's RTA_ENCAP as iproute2 prints it (ip/iproute_lwtunnel.c lwt_print_encap()),
as printer ops (ipemu/render/printer.py) for print_route()."""
from __future__ import annotations

from ipemu.kernel.lwtunnel import (SEG6_FLAVORS, SEG6_MODES, TUNNEL_CSUM, TUNNEL_KEY,
                                   TUNNEL_SEQ, LwtEncap)
from ipemu.render.names import table_name
from ipemu.render.printer import ANY, ARR, END_ARR, END_OBJ, FP, JS, OBJ

_ENCAP = (ANY, "encap", " encap %s ")
_SEG = (ANY, None, "%s ")


def _colored(attr: str, text: str) -> str:
    """print_color_string() under -c: the text and its blank between the attribute's
    escape and the reset."""
    from ipemu.render.printer import COLOR_CODES
    return f"{COLOR_CODES[attr]}{text}\x1b[0m"


def encap_ops(ops: list, vals: list, encap: LwtEncap, cache, stats: bool,
              color: bool = False) -> None:
    """lwt_print_encap(): " encap TYPE " then the type's own fields (the addresses
    print_color_string()s: colored under -c)."""
    op, val = ops.append, vals.append
    op(_ENCAP)
    val(encap.type)
    if encap.type == "seg6":
        op((ANY, "mode", "mode %s "))
        val(SEG6_MODES[encap.mode] if 0 <= encap.mode < len(SEG6_MODES) else "<unknown>")
        _srh_ops(ops, vals, encap, color)
    elif encap.type == "seg6local":
        _seg6local_ops(ops, vals, encap, cache, stats, color)
    elif encap.type in ("ip", "ip6"):
        v6 = encap.type == "ip6"
        for key, fmt, value in (("id", "id %s ", encap.id), ("src", "src %s ", str(encap.src)),
                                ("dst", "dst %s ", str(encap.dst)),
                                ("hoplimit" if v6 else "ttl",
                                 "hoplimit %s " if v6 else "ttl %s ", encap.ttl),
                                ("tc" if v6 else "tos", "tc %s " if v6 else "tos %s ",
                                 encap.tos)):
            if color and key in ("src", "dst"):
                op((ANY, key, "%s"))
                val(_colored("inet6" if v6 else "inet", fmt % value))
                continue
            op((ANY, key, fmt))
            val(value)
        for flag, key in ((TUNNEL_KEY, "key"), (TUNNEL_CSUM, "csum"), (TUNNEL_SEQ, "seq")):
            if encap.flags & flag:           # print_bool(): "key " / "key":true
                op((ANY, key, f"{key} "))
                val(True)


def _srh_ops(ops: list, vals: list, encap: LwtEncap, color: bool = False) -> None:
    """print_srh(): the segments from segments[first_segment] down, then an HMAC's
    key id (print_0xhex(): "%llX" in text, "%#llx" in JSON)."""
    op, val = ops.append, vals.append
    op((FP, "segs %d [ ", 1))
    val(len(encap.segs))
    op((ARR, "segs"))
    for seg in reversed(encap.segs):
        if color:
            op((ANY, None, "%s"))
            val(_colored("inet6", f"{seg} "))
            continue
        op(_SEG)
        val(str(seg))
    op((END_ARR,))
    op((FP, "] ", 0))
    if encap.hmac:
        op((FP, "hmac %X ", 1))
        val(encap.hmac)
        op((JS, "hmac"))
        val(f"{encap.hmac:#x}")


def _seg6local_ops(ops: list, vals: list, encap: LwtEncap, cache, stats: bool,
                   color: bool = False) -> None:
    """print_encap_seg6local(): action, srh, table, vrftable, nh4, nh6, iif, oif,
    counters (with -s), flavors."""
    op, val = ops.append, vals.append
    op((ANY, "action", "action %s "))
    val(encap.action)
    if encap.srh:
        op((OBJ, "srh"))
        _srh_ops(ops, vals, encap, color)
        op((END_OBJ,))
    for key, value in (("table", encap.table), ("vrftable", encap.vrftable)):
        if value is not None:
            op((ANY, key, f"{key} %s "))
            val(table_name(value))
    for key, value in (("nh4", encap.nh4), ("nh6", encap.nh6)):
        if value is not None:
            op((ANY, key, f"{key} %s "))
            val(str(value))
    for key, value in (("iif", encap.iif), ("oif", encap.oif)):
        if value is not None:
            op((ANY, key, f"{key} %s "))
            val(cache.name(value))
    if encap.count and stats:
        # print_seg6_local_counters(): nothing goes through here, all zero
        op((FP, "packets %s bytes %s errors %s ", 3))
        vals.extend(("0", "0", "0"))
        op((OBJ, "stats64"))
        for key in ("packets", "bytes", "errors"):
            op((JS, key))
            val(0)
        op((END_OBJ,))
    if encap.flavors:
        names = [f for i, f in enumerate(SEG6_FLAVORS) if f and encap.flavors & (1 << i)]
        op((FP, "flavors %s ", 1))
        val(",".join(names))
        op((ARR, "flavors"))
        for name in names:
            op((JS, None))
            val(name)
        op((END_ARR,))
    for key, value in (("lblen", encap.lblen), ("nflen", encap.nflen)):
        if value is not None:
            # print_flavors_attr(): the key, then print_num() (under 1000 as is)
            op((FP, f"{key} %s ", 1))
            val(str(value))
            op((JS, key))
            val(value)
