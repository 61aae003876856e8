"""ISAKMP payloads under -v as tcpdump 4.99.3 prints them (print-isakmp.c): IKEv1's
ikev1_sub_print() over the npfunc[] printers (SA, proposal, transform with the Oakley
and IPsec attribute maps, KE, ID, CERT, CR, hash, signature, nonce, notify, delete,
vendor ID) and IKEv2's ikev2_sub_print() (SA/proposal/transform, KE, IDi/IDr, auth,
nonce, notify, vendor ID, the generic ones, the encrypted payload). Offsets are into
the frame; ep is tcpdump's end pointer (the snapshot end); a printer returns the next
payload's offset or None (C's NULL)."""
from __future__ import annotations

from ipemu.tcpdump import names
from ipemu.tcpdump.isakmp import _npstr
from ipemu.tcpdump.util import fn_print_char

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

PROTOIDSTR = [None, "isakmp", "ipsec-ah", "ipsec-esp", "ipcomp"]
NP_T, NP_P, NP_V2E = 3, 2, 46
_GROUPS = [None, "modp768", "modp1024", "EC2N 2^155", "EC2N 2^185", "modp1536",
           "iana-grp06", "iana-grp07", "iana-grp08", "iana-grp09", "iana-grp10",
           "iana-grp11", "iana-grp12", "iana-grp13", "modp2048", "modp3072", "modp4096",
           "modp6144", "modp8192"]
IKEV1_P_MAP = [None, "ike"]
IKEV2_T_TYPE_MAP = [None, "encr", "prf", "integ", "dh", "esn"]
AH_P_MAP = [None, "(reserved)", "md5", "sha", "1des", "sha2-256", "sha2-384", "sha2-512"]
PRF_P_MAP = [None, "hmac-md5", "hmac-sha", "hmac-tiger", "aes128_xcbc"]
INTEG_P_MAP = [None, "hmac-md5", "hmac-sha", "dec-mac", "kpdk-md5", "aes-xcbc"]
ESN_P_MAP = ["no-esn", "esn"]
DH_P_MAP = _GROUPS
ESP_P_MAP = [None, "1des-iv64", "1des", "3des", "rc5", "idea", "cast", "blowfish", "3idea",
             "1des-iv32", "rc4", "null", "aes"]
IPCOMP_P_MAP = [None, "oui", "deflate", "lzs"]
# struct attrmap: (type, nvalue, values)
IPSEC_T_MAP = [(None, 0, []), ("lifetype", 3, [None, "sec", "kb"]), ("life", 0, []),
               ("group desc", 18, _GROUPS), ("enc mode", 3, [None, "tunnel", "transport"]),
               ("auth", 5, [None, "hmac-md5", "hmac-sha1", "1des-mac", "keyed"]),
               ("keylen", 0, []), ("rounds", 0, []), ("dictsize", 0, []),
               ("privalg", 0, [])]
ENCR_T_MAP = [(None, 0, [])] * 14 + [("keylen", 14, [])]
OAKLEY_T_MAP = [(None, 0, []),
                ("enc", 8, [None, "1des", "idea", "blowfish", "rc5", "3des", "cast", "aes"]),
                ("hash", 7, [None, "md5", "sha1", "tiger", "sha2-256", "sha2-384",
                             "sha2-512"]),
                ("auth", 6, [None, "preshared", "dss", "rsa sig", "rsa enc",
                             "rsa enc revised"]),
                ("group desc", 18, _GROUPS), ("group type", 4, [None, "MODP", "ECP", "EC2N"]),
                ("group prime", 0, []), ("group gen1", 0, []), ("group gen2", 0, []),
                ("group curve A", 0, []), ("group curve B", 0, []),
                ("lifetype", 3, [None, "sec", "kb"]), ("lifeduration", 0, []),
                ("prf", 0, []), ("keylen", 0, []), ("field", 0, []), ("order", 0, [])]
CERTSTR = ["none", "pkcs7", "pgp", "dns", "x509sign", "x509ke", "kerberos", "crl", "arl",
           "spki", "x509attr"]
IDTYPESTR = ["IPv4", "IPv4net", "IPv6", "IPv6net"]
IPSECIDTYPESTR = [None, "IPv4", "FQDN", "user FQDN", "IPv4net", "IPv6", "IPv6net",
                  "IPv4range", "IPv6range", "ASN1 DN", "ASN1 GN", "keyid"]
NOTIFY_ERROR_STR = [None, "INVALID-PAYLOAD-TYPE", "DOI-NOT-SUPPORTED",
                    "SITUATION-NOT-SUPPORTED", "INVALID-COOKIE", "INVALID-MAJOR-VERSION",
                    "INVALID-MINOR-VERSION", "INVALID-EXCHANGE-TYPE", "INVALID-FLAGS",
                    "INVALID-MESSAGE-ID", "INVALID-PROTOCOL-ID", "INVALID-SPI",
                    "INVALID-TRANSFORM-ID", "ATTRIBUTES-NOT-SUPPORTED", "NO-PROPOSAL-CHOSEN",
                    "BAD-PROPOSAL-SYNTAX", "PAYLOAD-MALFORMED", "INVALID-KEY-INFORMATION",
                    "INVALID-ID-INFORMATION", "INVALID-CERT-ENCODING", "INVALID-CERTIFICATE",
                    "CERT-TYPE-UNSUPPORTED", "INVALID-CERT-AUTHORITY",
                    "INVALID-HASH-INFORMATION", "AUTHENTICATION-FAILED", "INVALID-SIGNATURE",
                    "ADDRESS-NOTIFICATION", "NOTIFY-SA-LIFETIME", "CERTIFICATE-UNAVAILABLE",
                    "UNSUPPORTED-EXCHANGE-TYPE", "UNEQUAL-PAYLOAD-LENGTHS"]
IPSEC_NOTIFY_ERROR_STR = ["RESERVED"]
NOTIFY_STATUS_STR = ["CONNECTED"]
IPSEC_NOTIFY_STATUS_STR = ["RESPONDER-LIFETIME", "REPLAY-STATUS", "INITIAL-CONTACT"]
# ikev2_n_print(): (name, showspi, showsomedata) by notify type
V2_NOTIFY = {1: ("unsupported_critical_payload", 0, 0), 4: ("invalid_ike_spi", 1, 0),
             5: ("invalid_major_version", 0, 0), 7: ("invalid_syntax", 1, 0),
             9: ("invalid_message_id", 1, 0), 11: ("invalid_spi", 1, 0),
             14: ("no_protocol_chosen", 1, 0), 17: ("invalid_ke_payload", 1, 0),
             24: ("authentication_failed", 1, 0), 34: ("single_pair_required", 1, 0),
             35: ("no_additional_sas", 0, 0), 36: ("internal_address_failure", 0, 0),
             37: ("failed:cp_required", 0, 0), 39: ("invalid_selectors", 0, 0),
             16384: ("initial_contact", 0, 0), 16385: ("set_window_size", 0, 0),
             16386: ("additional_ts_possible", 0, 0), 16387: ("ipcomp_supported", 0, 0),
             16388: ("nat_detection_source_ip", 1, 0),
             16389: ("nat_detection_destination_ip", 1, 0), 16390: ("cookie", 1, 1),
             16391: ("use_transport_mode", 0, 0),
             16392: ("http_cert_lookup_supported", 0, 0), 16393: ("rekey_sa", 1, 0),
             16394: ("tfc_padding_not_supported", 0, 0),
             16395: ("non_first_fragment_also", 0, 0)}
V2_AUTH = ["invalid", "rsasig", "shared-secret", "dsssig"]


def str_or_id(x: int, tab: list) -> str:
    """STR_OR_ID(): the table's name, or numstr()'s #N."""
    return tab[x] if 0 <= x < len(tab) and tab[x] else f"#{x}"


def rawprint(d: Dissector, loc: int, n: int) -> bool:
    """rawprint(): hex of n bytes, False if they were not captured."""
    if n < 0 or not d.ttest(loc, n):
        return False
    d.p(d.data[loc:loc + n].hex())
    return True


def ike_show_somedata(d: Dissector, cp: int, ep: int) -> bool:
    """ike_show_somedata(): the first 10 and the last 20 bytes."""
    end, elen = ep - 20, 20
    n = min(ep - cp, 10)
    if end < cp + n:
        end = cp + n
        elen = ep - end
    d.p(" data=(")
    if not rawprint(d, cp, n):
        return False
    d.p("...")
    if elen and not rawprint(d, end, elen):
        return False
    d.p(")")
    return True


def _ascii(d: Dissector, off: int, n: int) -> None:
    """ND_ASCII_ISPRINT() characters, '.' for the rest."""
    d.need(off, n)
    d.p("".join(chr(c) if 0x20 <= c <= 0x7E else "." for c in d.data[off:off + n]))


def ikev1_attrmap_print(d: Dissector, p: int, ep2: int, amap: list | None) -> int | None:
    """ikev1_attrmap_print() (ikev1_attr_print() when amap is None): one attribute."""
    totlen = 4 if d.u8(p) & 0x80 else 4 + d.u16(p + 2)
    if ep2 < p + totlen:
        d.p("[|attr]")
        return ep2 + 1
    d.p("(")
    t = d.u16(p) & 0x7FFF
    entry = amap[t] if amap and t < len(amap) else None
    d.p(f"type={entry[0]} " if entry and entry[0] else f"type=#{t} ")
    if d.u8(p) & 0x80:
        d.p("value=")
        v = d.u16(p + 2)
        if entry and v < entry[1] and v < len(entry[2]) and entry[2][v]:
            d.p(entry[2][v])
        elif not rawprint(d, p + 2, 2):
            d.p(")")
            return None
    else:
        d.p(f"len={totlen - 4} value=")
        if not rawprint(d, p + 4, totlen - 4):
            d.p(")")
            return None
    d.p(")")
    return p + totlen


def _trunc(d: Dissector, np: int) -> None:
    d.p(f" [|{_npstr(np)}]")


def ikev1_sa_print(d, tpay, ext, item_len, ep, phase, doi0, proto0, depth):
    d.p("sa:")
    if not d.ttest(ext, 12):
        return _trunc(d, 1)
    doi, sit = d.u32(ext + 4), d.u32(ext + 8)
    if doi != 1:
        d.p(f" doi={doi} situation={sit}")
        return ext + 12
    d.p(" doi=ipsec situation=")
    t = 0
    if sit & 0x01:
        d.p("identity")
        t += 1
    if sit & 0x02:
        d.p(f"{'+' if t else ''}secrecy")
        t += 1
    if sit & 0x04:
        d.p(f"{'+' if t else ''}integrity")
    np = ext + 12
    if sit != 0x01:
        d.p(f" ident={d.u32(ext + 4)}")      # GET_BE_U_4(ext + 1): the DOI, as the C reads
        np += 4
    if not d.ttest(np, 4):
        return _trunc(d, 1)
    return ikev1_sub_print(d, NP_P, np, ep, phase, doi, proto0, depth)


def ikev1_p_print(d, tpay, ext, item_len, ep, phase, doi0, proto0, depth):
    d.p("p:")
    if not d.ttest(ext, 8):
        return _trunc(d, 2)
    d.p(f" #{d.u8(ext + 4)} protoid={str_or_id(d.u8(ext + 5), PROTOIDSTR)} "
        f"transform={d.u8(ext + 7)}")
    spi_size = d.u8(ext + 6)
    if spi_size:
        d.p(" spi=")
        if not rawprint(d, ext + 8, spi_size):
            return _trunc(d, 2)
    nxt = ext + 8 + spi_size
    if not d.ttest(nxt, 4):
        return _trunc(d, 2)
    return ikev1_sub_print(d, NP_T, nxt, ep, phase, doi0, d.u8(ext + 5), depth)


def ikev1_t_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    d.p("t:")
    if not d.ttest(ext, 8):
        return _trunc(d, 3)
    t_id = d.u8(ext + 5)
    tabs = {1: (IKEV1_P_MAP, OAKLEY_T_MAP), 2: (AH_P_MAP, IPSEC_T_MAP),
            3: (ESP_P_MAP, IPSEC_T_MAP), 4: (IPCOMP_P_MAP, IPSEC_T_MAP)}
    idtab, amap = tabs.get(proto, (None, None))
    idstr = str_or_id(t_id, idtab) if idtab else str(t_id)
    d.p(f" #{d.u8(ext + 4)} id={idstr} ")
    cp, ep2 = ext + 8, ext + item_len
    while cp < ep and cp < ep2:
        cp = ikev1_attrmap_print(d, cp, ep2, amap)
        if cp is None:
            return _trunc(d, 3)
    if ep < ep2:
        d.p("...")
    return cp


def _v1_len_hex(d, ext, item_len, np, head=""):
    """The printers of KE, hash, signature, vendor ID: the length, -vvv's hex."""
    d.p(f"{_npstr(np)}:")
    if not d.ttest(ext, 4):
        return _trunc(d, np)
    d.p(f"{head} len={item_len - 4}")
    if d.opts.vflag > 2 and item_len > 4:
        d.p(" ")
        if not rawprint(d, ext + 4, item_len - 4):
            return _trunc(d, np)
    return ext + item_len


def ikev1_ke_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    return _v1_len_hex(d, ext, item_len, 4, " key")


def ikev1_hash_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    return _v1_len_hex(d, ext, item_len, 8)


def ikev1_sig_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    return _v1_len_hex(d, ext, item_len, 9)


def ikev1_vid_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    return _v1_len_hex(d, ext, item_len, 13)


def ikev1_cert_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    """ikev1_cert_print() and ikev1_cr_print() (tpay 6 or 7)."""
    d.p(f"{_npstr(tpay)}:")
    if not d.ttest(ext, 6):
        return _trunc(d, tpay)
    d.p(f" len={item_len - 4} type={str_or_id(d.u8(ext + 4), CERTSTR)}")
    if d.opts.vflag > 2 and item_len > 4:
        d.p(" ")
        if not rawprint(d, ext + 4, item_len - 4):
            return _trunc(d, tpay)
    return ext + item_len


def ikev1_id_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    d.p("id:")
    if not d.ttest(ext, 8):
        return _trunc(d, 5)
    data, n = (ext + 8, item_len - 8) if item_len > 8 else (None, 0)
    if phase not in (1, 2):
        d.p(f" idtype={str_or_id(d.u8(ext + 4), IDTYPESTR)}")
        d.p(f" doi_data={d.u32(ext + 4) & 0xFFFFFF}")
    else:
        kind, proto_id = d.u8(ext + 4), d.u8(ext + 5)
        d.p(f" idtype={str_or_id(kind, IPSECIDTYPESTR)}")
        pname = None if d.opts.nflag or not proto_id else names.NETDB_PROTONAMES.get(proto_id)
        d.p(f" protoid={pname}" if pname else f" protoid={proto_id}")
        d.p(f" port={d.u16(ext + 6)}")
        if n:
            if data is None or not d.ttest(data, n):
                return _trunc(d, 5)
            n = _ipsec_id_data(d, kind, data, n)
    if data is not None and n:
        d.p(f" len={n}")
        if d.opts.vflag > 2:
            d.p(" ")
            if not rawprint(d, data, n):
                return _trunc(d, 5)
    return ext + item_len


def _ipsec_id_data(d, kind: int, data: int, n: int) -> int:
    """ikev1_id_print()'s IPsec DOI identification data; the length left to print."""
    if kind == 1:
        d.p(f" len={n} [bad: < 4]" if n < 4 else f" len={n} {d.ipaddr_string(data)}")
    elif kind in (2, 3):
        d.p(f" len={n} " + "".join(fn_print_char(d.u8(data + i)) for i in range(n)))
    elif kind == 4:
        if n < 8:
            d.p(f" len={n} [bad: < 8]")
        else:
            mask = ".".join(str(d.u8(data + 4 + i)) for i in range(4))
            d.p(f" len={n} {d.ipaddr_string(data)}/{mask}")
    elif kind == 5:
        d.p(f" len={n} [bad: < 16]" if n < 16 else f" len={n} {d.ip6addr_string(data)}")
    elif kind == 6:
        if n < 32:
            d.p(f" len={n} [bad: < 32]")
        else:
            d.p(f" len={n} {d.ip6addr_string(data)}/0x{d.bytes_(data + 16, 16).hex()}")
    elif kind == 7:
        d.p(f" len={n} [bad: < 8]" if n < 8 else
            f" len={n} {d.ipaddr_string(data)}-{d.ipaddr_string(data + 4)}")
    elif kind == 8:
        d.p(f" len={n} [bad: < 32]" if n < 32 else
            f" len={n} {d.ip6addr_string(data)}-{d.ip6addr_string(data + 16)}")
    else:
        return n
    return 0


def ikev1_nonce_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    d.p("nonce:")
    if not d.ttest(ext, 4):
        return _trunc(d, 10)
    d.p(f" n len={item_len - 4}")
    if item_len > 4:
        if d.opts.vflag > 2:
            d.p(" ")
            if not rawprint(d, ext + 4, item_len - 4):
                return _trunc(d, 10)
        elif d.opts.vflag > 1:
            d.p(" ")
            if not ike_show_somedata(d, ext + 4, ep):
                return _trunc(d, 10)
    return ext + item_len


def _v1_notify_type(kind: int, ipsec: bool) -> str:
    if kind < 8192:
        return str_or_id(kind, NOTIFY_ERROR_STR)
    if kind < 16384:
        return str_or_id(kind - 8192, IPSEC_NOTIFY_ERROR_STR) if ipsec else f"#{kind}"
    if kind < 24576:
        return str_or_id(kind - 16384, NOTIFY_STATUS_STR)
    if ipsec and kind < 32768:
        return str_or_id(kind - 24576, IPSEC_NOTIFY_STATUS_STR)
    return f"#{kind}"


def ikev1_n_print(d, tpay, ext, item_len, ep, phase, doi0, proto0, depth):
    d.p("n:")
    if not d.ttest(ext, 12):
        return _trunc(d, 11)
    doi, proto, kind, spi_size = d.u32(ext + 4), d.u8(ext + 8), d.u16(ext + 10), d.u8(ext + 9)
    if doi != 1:
        d.p(f" doi={doi} proto={proto} type={_v1_notify_type(kind, False)}")
        if spi_size:
            d.p(" spi=")
            if not rawprint(d, ext + 12, spi_size):
                return _trunc(d, 11)
        return ext + 12 + spi_size
    d.p(f" doi=ipsec proto={str_or_id(proto, PROTOIDSTR)} type={_v1_notify_type(kind, True)}")
    if spi_size:
        d.p(" spi=")
        if not rawprint(d, ext + 12, spi_size):
            return _trunc(d, 11)
    cp, ep2 = ext + 12 + spi_size, ext + item_len
    if cp < ep:
        if kind == 24576:           # IPSECDOI_NTYPE_RESPONDER_LIFETIME
            d.p(" attrs=(")
            while cp < ep and cp < ep2:
                cp = ikev1_attrmap_print(d, cp, ep2, OAKLEY_T_MAP)
                if cp is None:
                    d.p(")")
                    return _trunc(d, 11)
            d.p(")")
        elif kind == 24577:         # IPSECDOI_NTYPE_REPLAY_STATUS
            d.p(" status=(")
            d.p(f"replay detection {'en' if d.u32(cp) else 'dis'}abled)")
        elif d.opts.vflag > 3:
            d.p(" data=(")
            if not rawprint(d, cp, ep - cp):
                return _trunc(d, 11)
            d.p(")")
        elif not ike_show_somedata(d, cp, ep):
            return _trunc(d, 11)
    return ext + item_len


def ikev1_d_print(d, tpay, ext, item_len, ep, phase, doi0, proto0, depth):
    d.p("d:")
    if not d.ttest(ext, 12):
        return _trunc(d, 12)
    doi, proto = d.u32(ext + 4), d.u8(ext + 8)
    if doi != 1:
        d.p(f" doi={doi} proto={proto}")
    else:
        d.p(f" doi=ipsec proto={str_or_id(proto, PROTOIDSTR)}")
    spi_size, num_spi = d.u8(ext + 9), d.u16(ext + 10)
    d.p(f" spilen={spi_size} nspi={num_spi} spi=")
    q = ext + 12
    for i in range(num_spi):
        if i:
            d.p(",")
        if not rawprint(d, q, spi_size):
            return _trunc(d, 12)
        q += spi_size
    return q


# -- IKEv2 --------------------------------------------------------------------------
def ikev2_pay_print(d: Dissector, payname: str, critical: int) -> None:
    d.p(f"{payname}{'[C]' if critical & 0x80 else ''}:")


def ikev2_gen_print(d, tpay, ext, item_len, *rest):
    """ikev2_gen_print(): cert, cr, d, TSi/TSr, cp, eap: the length, -vvv's hex."""
    if not d.ttest(ext, 4):
        return _trunc(d, tpay)
    ikev2_pay_print(d, _npstr(tpay), d.u8(ext + 1))
    d.p(f" len={item_len - 4}")
    if d.opts.vflag > 2 and item_len > 4:
        d.p(" ")
        if not rawprint(d, ext + 4, item_len - 4):
            return _trunc(d, tpay)
    return ext + item_len


def ikev2_t_print(d, tcount: int, ext: int, item_len: int, ep: int):
    if not d.ttest(ext, 8):
        return _trunc(d, NP_T)
    ikev2_pay_print(d, "t", d.u8(ext + 1))
    t_id, t_type = d.u16(ext + 6), d.u8(ext + 4)
    amap = None
    tab = {1: ESP_P_MAP, 2: PRF_P_MAP, 3: INTEG_P_MAP, 4: DH_P_MAP, 5: ESN_P_MAP}.get(t_type)
    if t_type == 1:
        amap = ENCR_T_MAP
    idstr = str_or_id(t_id, tab) if tab else str(t_id)
    d.p(f" #{tcount} type={str_or_id(t_type, IKEV2_T_TYPE_MAP)} id={idstr} ")
    cp, ep2 = ext + 8, ext + item_len
    while cp < ep and cp < ep2:
        cp = ikev1_attrmap_print(d, cp, ep2, amap)
        if cp is None:
            return _trunc(d, NP_T)
    if ep < ep2:
        d.p("...")
    return cp


def _v2_items(d, first_np: int, cp: int, length: int, ep: int, depth: int, inner, tpay: int):
    """ikev2_sa_print()/ikev2_p_print()'s loop over proposals or transforms; returns
    (offset or None, whether the outer printer is done)."""
    count, np, ext = 0, first_np, cp
    while np != 0:
        count += 1
        ext = cp
        if length < 4:
            d.p(f" [|{_npstr(tpay)}]")
            return cp + length
        if not d.ttest(ext, 4):
            return _trunc(d, tpay)
        item_len = d.u16(ext + 2)
        if item_len <= 4:
            return _trunc(d, tpay)
        if length < item_len:
            d.p(f" [|{_npstr(tpay)}]")
            return cp + length
        if not d.ttest(cp, item_len):
            return _trunc(d, tpay)
        depth += 1
        d.p("\n" + "    " * depth + "(")
        if np == first_np:
            cp = inner(count, ext, item_len, depth)
            if cp is None:
                return None
        else:
            d.p(_npstr(np))
            cp += item_len
        d.p(")")
        depth -= 1
        length -= item_len
        np = d.u8(ext)
    return cp


def ikev2_p_print(d, pcount: int, ext: int, oprop_length: int, ep: int, depth: int):
    if not d.ttest(ext, 8):
        return _trunc(d, NP_P)
    ikev2_pay_print(d, "p", d.u8(ext + 1))
    prop_length = oprop_length - 4
    d.p(f" #{d.u8(ext + 4)} protoid={str_or_id(d.u8(ext + 5), PROTOIDSTR)} "
        f"transform={d.u8(ext + 7)} len={oprop_length}")
    cp = ext + 8
    spi_size = d.u8(ext + 6)
    if spi_size:
        if prop_length < spi_size:
            d.p(" [|p]")
            return cp + prop_length
        d.p(" spi=")
        if not rawprint(d, cp, spi_size):
            return _trunc(d, NP_P)
        cp += spi_size
        prop_length -= spi_size
    return _v2_items(d, NP_T, cp, prop_length, ep, depth,
                     lambda n, e, ln, dp: ikev2_t_print(d, n, e, ln, ep), NP_P)


def ikev2_sa_print(d, tpay, ext1, osa_length, ep, phase, doi, proto, depth):
    if not d.ttest(ext1, 4):
        return _trunc(d, tpay)
    ikev2_pay_print(d, "sa", d.u8(ext1 + 1))
    sa_length = d.u16(ext1 + 2) - 4
    d.p(f" len={sa_length}")
    return _v2_items(d, NP_P, ext1 + 4, sa_length, ep, depth,
                     lambda n, e, ln, dp: ikev2_p_print(d, n, e, ln, ep, dp), tpay)


def ikev2_ke_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    if not d.ttest(ext, 8):
        return _trunc(d, tpay)
    ikev2_pay_print(d, _npstr(tpay), d.u8(ext + 1))
    if item_len < 8:
        d.p(f" len={item_len} < 8")
        return ext + item_len
    d.p(f" len={item_len - 8} group={str_or_id(d.u16(ext + 4), DH_P_MAP)}")
    if d.opts.vflag > 2 and item_len > 8:
        d.p(" ")
        if not rawprint(d, ext + 8, item_len - 8):
            return _trunc(d, tpay)
    return ext + item_len


V2_ID_TYPES = {1: (" ipv4:", 0), 2: (" fqdn:", 1), 3: (" rfc822:", 1), 5: (" ipv6:", 0),
               9: (" dn:", 0), 10: (" gn:", 0), 11: (" keyid:", 0)}


def ikev2_ID_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    if not d.ttest(ext, 8):
        return _trunc(d, tpay)
    ikev2_pay_print(d, _npstr(tpay), d.u8(ext + 1))
    d.p(f" len={item_len - 4}")
    if d.opts.vflag > 2 and item_len > 4:
        d.p(" ")
        if not rawprint(d, ext + 4, item_len - 4):
            return _trunc(d, tpay)
    n = (item_len - 8) & 0xFFFFFFFF
    kind = V2_ID_TYPES.get(d.u8(ext + 4))
    if kind:
        d.p(kind[0])
        if kind[1]:
            if not d.ttest(ext + 8, n):
                return _trunc(d, tpay)
            _ascii(d, ext + 8, n)
        elif not rawprint(d, ext + 8, n):
            return _trunc(d, tpay)
    return ext + item_len


def ikev2_auth_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    if not d.ttest(ext, 8):
        return _trunc(d, tpay)
    ikev2_pay_print(d, _npstr(tpay), d.u8(ext + 1))
    d.p(f" len={item_len - 4} method={str_or_id(d.u8(ext + 4), V2_AUTH)}")
    if item_len > 4:
        if d.opts.vflag > 1:
            d.p(" authdata=(")
            if not rawprint(d, ext + 8, item_len - 8):
                return _trunc(d, tpay)
            d.p(") ")
        elif d.opts.vflag and not ike_show_somedata(d, ext + 8, ep):
            return _trunc(d, tpay)
    return ext + item_len


def ikev2_nonce_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    if not d.ttest(ext, 4):
        return _trunc(d, tpay)
    ikev2_pay_print(d, "nonce", d.u8(ext + 1))
    d.p(f" len={item_len - 4}")
    if d.opts.vflag > 1 and item_len > 4:
        d.p(" nonce=(")
        if not rawprint(d, ext + 4, item_len - 4):
            return _trunc(d, tpay)
        d.p(") ")
    elif d.opts.vflag and item_len > 4:
        if not ike_show_somedata(d, ext + 4, ep):
            return _trunc(d, tpay)
    return ext + item_len


def ikev2_n_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    if not d.ttest(ext, 8):
        return _trunc(d, 11)
    ikev2_pay_print(d, "n", d.u8(ext + 1))
    d.p(f" prot_id={str_or_id(d.u8(ext + 4), PROTOIDSTR)}")
    kind = d.u16(ext + 6)
    name, showspi, somedata = V2_NOTIFY.get(kind, (None, 1, 0))
    if name is None:
        name = ("error" if kind < 8192 else "private-error" if kind < 16384 else
                "status" if kind < 40960 else "private-status")
    d.p(f" type={kind}({name})")
    spi_size = d.u8(ext + 5)
    if showspi and spi_size:
        d.p(" spi=")
        if not rawprint(d, ext + 8, spi_size):
            return _trunc(d, 11)
    cp = ext + 8 + spi_size
    if cp < ep:
        if d.opts.vflag > 3 or (somedata and ep - cp < 30):
            d.p(" data=(")
            if not rawprint(d, cp, ep - cp):
                return _trunc(d, 11)
            d.p(")")
        elif somedata and not ike_show_somedata(d, cp, ep):
            return _trunc(d, 11)
    return ext + item_len


def ikev2_vid_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    if not d.ttest(ext, 4):
        return _trunc(d, tpay)
    ikev2_pay_print(d, _npstr(tpay), d.u8(ext + 1))
    n = item_len - 4
    d.p(f" len={n} vid=")
    if not d.ttest(ext + 4, n):
        return _trunc(d, tpay)
    _ascii(d, ext + 4, n)
    if d.opts.vflag > 2 and n > 4:
        d.p(" ")
        if not rawprint(d, ext + 4, n):
            return _trunc(d, tpay)
    return ext + item_len


def ikev2_e_print(d, tpay, ext, item_len, ep, phase, doi, proto, depth):
    """ikev2_e_print() without libcrypto: the length (and -vvv's hex); always None,
    the encrypted payload being the last."""
    if not d.ttest(ext, 4):
        return _trunc(d, tpay)
    ikev2_pay_print(d, _npstr(tpay), d.u8(ext + 1))
    dlen = item_len - 4
    d.p(f" len={dlen}")
    if d.opts.vflag > 2 and dlen > 4:
        d.p(" ")
        if not rawprint(d, ext + 4, dlen):
            return _trunc(d, tpay)
    if not d.ttest(ext + 4, dlen):
        return _trunc(d, tpay)
    return None


NPFUNC = {1: ikev1_sa_print, 2: ikev1_p_print, 3: ikev1_t_print, 4: ikev1_ke_print,
          5: ikev1_id_print, 6: ikev1_cert_print, 7: ikev1_cert_print, 8: ikev1_hash_print,
          9: ikev1_sig_print, 10: ikev1_nonce_print, 11: ikev1_n_print, 12: ikev1_d_print,
          13: ikev1_vid_print, 33: ikev2_sa_print, 34: ikev2_ke_print, 35: ikev2_ID_print,
          36: ikev2_ID_print, 37: ikev2_gen_print, 38: ikev2_gen_print,
          39: ikev2_auth_print, 40: ikev2_nonce_print, 41: ikev2_n_print,
          42: ikev2_gen_print, 43: ikev2_vid_print, 44: ikev2_gen_print,
          45: ikev2_gen_print, 47: ikev2_gen_print, 48: ikev2_gen_print}


def _sub0(d, np, ext, ep, phase, doi, proto, depth, v2: bool):
    """ike_sub0_print()/ikev2_sub0_print(): one payload by its type."""
    if not d.ttest(ext, 4):
        d.nd_print_trunc()
        return None
    item_len = d.u16(ext + 2)
    if item_len <= 4:
        return None
    if v2 and np == NP_V2E:
        return ikev2_e_print(d, np, ext, item_len, ep, phase, doi, proto, depth)
    func = NPFUNC.get(np)
    if func is not None:
        return func(d, np, ext, item_len, ep, phase, doi, proto, depth)
    d.p(_npstr(np))
    return ext + item_len


def _sub_print(d, np, ext, ep, phase, doi, proto, depth, v2: bool):
    """ikev1_sub_print()/ikev2_sub_print(): the chain of payloads, each on its line."""
    cp = ext
    while np:
        if not d.ttest(ext, 4) or not d.ttest(ext, d.u16(ext + 2)):
            return _trunc(d, np)
        depth += 1
        d.p("\n" + "    " * depth + "(")
        cp = _sub0(d, np, ext, ep, phase, doi, proto, depth, v2)
        d.p(")")
        depth -= 1
        if cp is None:
            return None
        np = d.u8(ext)
        ext = cp
    return cp


def ikev1_sub_print(d, np, ext, ep, phase, doi, proto, depth):
    return _sub_print(d, np, ext, ep, phase, doi, proto, depth, False)


def ikev2_sub_print(d, np, ext, ep, phase, doi, proto, depth):
    return _sub_print(d, np, ext, ep, phase, doi, proto, depth, True)
