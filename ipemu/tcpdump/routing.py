"""Routing and signalling protocols tcpdump 4.99.3 prints in one line without -v:
EIGRP (print-eigrp.c), OSPFv3 (print-ospf6.c), PIMv2 (print-pim.c), RSVP
(print-rsvp.c), LDP (print-ldp.c), LSP ping (print-lspping.c), EAPOL (print-eap.c), and
HSRP (print-hsrp.c, whole). Their -v decoders are not ported: under -v the callers
print what they printed before (the bare IP protocol or UDP line), HSRP's excepted."""
from __future__ import annotations

from ipemu.tcpdump.dissect import Dissector, tok2str
from ipemu.tcpdump.util import nd_printjnp, unsigned_relts

EIGRP_OPCODES = {1: "Update", 3: "Query", 4: "Reply", 5: "Hello", 6: "IPX SAP", 10: "Probe"}
OSPF6_TYPES = {1: "Hello", 2: "Database Description", 3: "LS-Request", 4: "LS-Update",
               5: "LS-Ack"}
PIMV2_TYPES = {0: "Hello", 1: "Register", 2: "Register Stop", 3: "Join / Prune",
               4: "Bootstrap", 5: "Assert", 6: "Graft", 7: "Graft Acknowledgement",
               8: "Candidate RP Advertisement", 9: "Prune Refresh", 10: "DF Election",
               11: "ECMP Redirect"}
RSVP_MSG_TYPES = {1: "Path", 2: "Resv", 3: "PathErr", 4: "ResvErr", 5: "PathTear",
                  6: "ResvTear", 7: "ResvConf", 12: "Bundle", 13: "Acknowledgement",
                  14: "Hello (Old)", 15: "Refresh", 20: "Hello"}
LSPPING_MSG_TYPES = {1: "MPLS Echo Request", 2: "MPLS Echo Reply"}
EAP_FRAME_TYPES = {0: "EAP packet", 1: "EAPOL start", 2: "EAPOL logoff", 3: "EAPOL key",
                   4: "Encapsulated ASF alert"}
HSRP_OPCODES = ("hello", "coup", "resign")
HSRP_STATES = {0: "initial", 1: "learn", 2: "listen", 4: "speak", 8: "standby", 16: "active"}


def eigrp_print(d: Dissector, bp: int, length: int) -> None:
    """eigrp_print() without -v."""
    d.protocol = "eigrp"
    if not d.ttest(bp, 20):    # ND_TCHECK_SIZE(eigrp_com_header)
        d.nd_print_trunc()
        return
    version = d.u8(bp)
    if version != 2:
        d.p(f"EIGRP version {version} packet not supported")
        return
    d.p(f"EIGRP {tok2str(EIGRP_OPCODES, 'unknown (%u)', d.u8(bp + 1))}, length: {length}")


def ospf6_print(d: Dissector, bp: int, length: int) -> None:
    """ospf6_print() without -v."""
    d.protocol = "ospf3"
    kind = tok2str(OSPF6_TYPES, "unknown packet type (%u)", d.u8(bp + 1))
    d.p(f"OSPFv{d.u8(bp)}, {kind}, length {length}")


def pim_print(d: Dissector, bp: int, length: int) -> None:
    """pim_print() without -v."""
    d.protocol = "pim"
    typever = d.u8(bp)
    if typever >> 4 == 2:
        d.p(f"PIMv2, {PIMV2_TYPES.get(typever & 0x0F, 'Unknown Type')}, length {length}")
    else:
        d.p(f"PIMv{typever >> 4}, length {length}")


def rsvp_print(d: Dissector, bp: int, length: int) -> None:
    """rsvp_print() without -v."""
    d.protocol = "rsvp"
    if not d.ttest(bp, 8):
        d.nd_print_trunc()
        return
    version = d.u8(bp) >> 4
    if version != 1:
        d.p(f"ERROR: RSVP version {version} packet not supported")
        return
    d.p(f"RSVPv{version} {tok2str(RSVP_MSG_TYPES, 'unknown (%u)', d.u8(bp + 1))} Message, "
        f"length: {length}")


def ldp_print(d: Dissector, bp: int, length: int) -> None:
    """ldp_print() without -v: each PDU's header stops the loop (ldp_pdu_print()
    returns 0 without -v), so one line."""
    d.protocol = "ldp"
    if length <= 10 + 8:
        return
    if not d.ttest(bp, 10):
        d.nd_print_trunc()
        return
    version = d.u16(bp)
    if version != 1:
        d.p(f"LDP version {version} packet not supported")
        return
    pdu_len = d.u16(bp + 2)
    if pdu_len < 6:
        d.p(f"LDP, pdu-length: {pdu_len} (too short, < 6)")
        return
    d.p(f"LDP, Label-Space-ID: {d.ipaddr_string(bp + 4)}:{d.u16(bp + 8)}, "
        f"pdu-length: {pdu_len}")


def lspping_print(d: Dissector, bp: int, length: int) -> None:
    """lspping_print() without -v."""
    d.protocol = "lspping"
    if length < 32:
        d.p("\n\t\t packet is too short")
        return
    if not d.ttest(bp, 32):
        d.nd_print_trunc()
        return
    version = d.u16(bp)
    if version != 1:
        d.p(f"LSP-PING version {version} packet not supported")
        return
    d.p(f"LSP-PINGv{version}, {tok2str(LSPPING_MSG_TYPES, 'unknown (%u)', d.u8(bp + 4))}, "
        f"seq {d.u32(bp + 12)}, length: {length}")


def eapol_print(d: Dissector, bp: int) -> None:
    """eapol_print() without -v."""
    d.protocol = "eap"
    if not d.ttest(bp, 4):
        d.nd_print_trunc()
        return
    kind = d.u8(bp)
    d.p(f"{EAP_FRAME_TYPES.get(kind, 'unknown')} ({kind}) v{d.u8(bp + 1)}, "
        f"len {d.u16(bp + 2)}")


def hsrp_print(d: Dissector, bp: int, length: int) -> None:
    """hsrp_print(): version 0's opcode, state, group and virtual address; under -v
    its timers, priority and authentication data."""
    d.protocol = "hsrp"
    version = d.u8(bp)
    d.p(f"HSRPv{version}")
    if version != 0:
        return
    op = d.u8(bp + 1)
    d.p(f"-{HSRP_OPCODES[op] if op < len(HSRP_OPCODES) else f'unknown ({op})'} ")
    d.p(f"{length}: state={tok2str(HSRP_STATES, 'Unknown (%u)', d.u8(bp + 2))} ")
    d.p(f"group={d.u8(bp + 6)} ")
    if d.u8(bp + 7):
        d.p(f"[reserved={d.u8(bp + 7)}!] ")
    d.p(f"addr={d.ipaddr_string(bp + 16)}")
    if d.opts.vflag:
        d.p(f" hellotime={unsigned_relts(d.u8(bp + 3))}")
        d.p(f" holdtime={unsigned_relts(d.u8(bp + 4))}")
        d.p(f" priority={d.u8(bp + 5)}")
        d.p(' auth="')
        nd_printjnp(d, bp + 8, 8)
        d.p('"')
