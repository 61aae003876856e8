"""Link-layer protocol names as iproute2 spells them (lib/ll_proto.c llproto_names[],
with lib/utils.c proto_a2n()/proto_n2a()): `tc filter ... protocol NAME` and the
`protocol` a filter dump prints."""
from __future__ import annotations

import re

# llproto_names[] in its order (the first entry of an id names it; "ipv4" only parses)
LLPROTO_NAMES = (
    (0x0060, "loop"), (0x0200, "pup"), (0x0201, "pupat"), (0x0800, "ip"), (0x0805, "x25"),
    (0x0806, "arp"), (0x08FF, "bpq"), (0x0A00, "ieeepup"), (0x0A01, "ieeepupat"),
    (0x6000, "dec"), (0x6001, "dna_dl"), (0x6002, "dna_rc"), (0x6003, "dna_rt"),
    (0x6004, "lat"), (0x6005, "diag"), (0x6006, "cust"), (0x6007, "sca"),
    (0x8035, "rarp"), (0x809B, "atalk"), (0x80F3, "aarp"), (0x8137, "ipx"),
    (0x86DD, "ipv6"), (0x8863, "ppp_disc"), (0x8864, "ppp_ses"), (0x884C, "atmmpoa"),
    (0x8884, "atmfate"), (0x0001, "802_3"), (0x0002, "ax25"), (0x0003, "all"),
    (0x0004, "802_2"), (0x0005, "snap"), (0x0006, "ddcmp"), (0x0007, "wan_ppp"),
    (0x0008, "ppp_mp"), (0x0009, "localtalk"), (0x000C, "can"), (0x0010, "ppptalk"),
    (0x0011, "tr_802_2"), (0x0015, "mobitex"), (0x0016, "control"), (0x0017, "irda"),
    (0x0018, "econet"), (0x88CA, "tipc"), (0x8892, "profinet"), (0x88A2, "aoe"),
    (0x88A4, "ethercat"), (0x8100, "802.1Q"), (0x88A8, "802.1ad"), (0x8847, "mpls_uc"),
    (0x8848, "mpls_mc"), (0x6558, "teb"), (0x8100, "802.1Q"), (0x88CC, "LLDP"),
    (0x0800, "ipv4"),
)

# lib/utils.c `numeric` (-N): names are not looked up, ids print as [N]
NUMERIC = [False]


def ll_proto_a2n(text: str) -> int | None:
    """proto_a2n(): a name of the table (any case), else get_be16() of a number
    (strtoul() base 0: 0x.. hex, 0.. octal), at most 0xffff; None when neither."""
    for ident, name in LLPROTO_NAMES:
        if name.lower() == text.lower():
            return ident
    m = re.fullmatch(r"(?a)\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)", text)
    if m is None:
        return None
    digits = m.group(1)
    value = int(digits, 16 if digits[:2].lower() == "0x" else 8 if digits[0] == "0" else 10)
    return value if value <= 0xFFFF else None


def ll_proto_n2a(ident: int) -> str:
    """proto_n2a(): the table's first name for the id, or [id] (always with -N)."""
    if not NUMERIC[0]:
        for known, name in LLPROTO_NAMES:
            if known == ident:
                return name
    return f"[{ident}]"
