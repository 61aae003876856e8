"""f_flower.c flower_parse_opt() and f_fw.c fw_parse_opt() as tc 6.1 reads them: the words
a learner types and the values they take, refused with tc's own messages. The recording
kernel has neither classifier, so a filter they accept meets "TC classifier not found"
(tc.py); only what tc refuses first shows here. Words of theirs that no tutorial checks
(MPLS, tunnel keys, conntrack) are taken with their value unchecked."""
from __future__ import annotations

import ipaddress
import re

from ipemu.tools.ipargs import matches
from ipemu.tools.tc_parse import TcExit, _get_u32, get_tc_classid, next_arg


FLOWER_USAGE = 'Usage: ... flower\t[ MATCH-LIST ] [ verbose ]\n\t\t\t[ skip_sw | skip_hw ]\n\t\t\t[ action ACTION-SPEC ] [ classid CLASSID ]\n\nWhere: MATCH-LIST := [ MATCH-LIST ] MATCH\n       MATCH      := {\tindev DEV-NAME |\n\t\t\tnum_of_vlans VLANS_COUNT |\n\t\t\tvlan_id VID |\n\t\t\tvlan_prio PRIORITY |\n\t\t\tvlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |\n\t\t\tcvlan_id VID |\n\t\t\tcvlan_prio PRIORITY |\n\t\t\tcvlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |\n\t\t\tpppoe_sid PSID |\n\t\t\tppp_proto [ ipv4 | ipv6 | mpls_uc | mpls_mc | PPP_PROTO ]\t\t\tdst_mac MASKED-LLADDR |\n\t\t\tsrc_mac MASKED-LLADDR |\n\t\t\tip_proto [tcp | udp | sctp | icmp | icmpv6 | IP-PROTO ] |\n\t\t\tip_tos MASKED-IP_TOS |\n\t\t\tip_ttl MASKED-IP_TTL |\n\t\t\tmpls LSE-LIST |\n\t\t\tmpls_label LABEL |\n\t\t\tmpls_tc TC |\n\t\t\tmpls_bos BOS |\n\t\t\tmpls_ttl TTL |\n\t\t\tdst_ip PREFIX |\n\t\t\tsrc_ip PREFIX |\n\t\t\tdst_port PORT-NUMBER |\n\t\t\tsrc_port PORT-NUMBER |\n\t\t\ttcp_flags MASKED-TCP_FLAGS |\n\t\t\ttype MASKED-ICMP-TYPE |\n\t\t\tcode MASKED-ICMP-CODE |\n\t\t\tarp_tip IPV4-PREFIX |\n\t\t\tarp_sip IPV4-PREFIX |\n\t\t\tarp_op [ request | reply | OP ] |\n\t\t\tarp_tha MASKED-LLADDR |\n\t\t\tarp_sha MASKED-LLADDR |\n\t\t\tenc_dst_ip [ IPV4-ADDR | IPV6-ADDR ] |\n\t\t\tenc_src_ip [ IPV4-ADDR | IPV6-ADDR ] |\n\t\t\tenc_key_id [ KEY-ID ] |\n\t\t\tenc_tos MASKED-IP_TOS |\n\t\t\tenc_ttl MASKED-IP_TTL |\n\t\t\tgeneve_opts MASKED-OPTIONS |\n\t\t\tvxlan_opts MASKED-OPTIONS |\n                       erspan_opts MASKED-OPTIONS |\n\t\t\tgtp_opts MASKED-OPTIONS |\n\t\t\tip_flags IP-FLAGS |\n\t\t\tenc_dst_port [ port_number ] |\n\t\t\tct_state MASKED_CT_STATE |\n\t\t\tct_label MASKED_CT_LABEL |\n\t\t\tct_mark MASKED_CT_MARK |\n\t\t\tct_zone MASKED_CT_ZONE }\n\tLSE-LIST := [ LSE-LIST ] LSE\n\tLSE := lse depth DEPTH { label LABEL | tc TC | bos BOS | ttl TTL }\n\tFILTERID := X:Y:Z\n\tMASKED_LLADDR := { LLADDR | LLADDR/MASK | LLADDR/BITS }\n\tMASKED_CT_STATE := combination of {+|-} and flags trk,est,new,rel,rpl,inv\n\tACTION-SPEC := ... look at individual actions\n\nNOTE:\tCLASSID, IP-PROTO are parsed as hexadecimal input.\nNOTE:\tThere can be only used one mask per one prio. If user needs\n\tto specify different mask, he has to use different prio.\n'
FW_USAGE = 'Usage: ... fw [ classid CLASSID ] [ indev DEV ] [ action ACTION_SPEC ]\n\tCLASSID := Push matching packets to the class identified by CLASSID with format X:Y\n\t\tCLASSID is parsed as hexadecimal input.\n\tDEV := specify device for incoming device classification.\n\tACTION_SPEC := Apply an action on matching packets.\n\tNOTE: handle is represented as HANDLE[/FWMASK].\n\t\tFWMASK is 0xffffffff by default.\n'

ETH_P_IP, ETH_P_IPV6, ETH_P_ARP, ETH_P_RARP = 0x0800, 0x86DD, 0x0806, 0x8035
ETH_P_8021Q, ETH_P_8021AD = 0x8100, 0x88A8
# words whose value flower_parse_opt() hands to a parser ipemu does not check
_UNCHECKED = ("hw_tc", "ip_flags", "ct_state", "ct_zone", "ct_mark", "ct_label",
              "num_of_vlans", "vlan_ethtype", "cvlan_id", "cvlan_prio", "cvlan_ethtype",
              "mpls_label", "mpls_tc", "mpls_bos", "mpls_ttl", "tcp_flags", "pppoe_sid",
              "ppp_proto", "enc_dst_ip", "enc_src_ip", "enc_key_id", "enc_dst_port",
              "enc_tos", "enc_ttl", "geneve_opts", "vxlan_opts", "erspan_opts", "gtp_opts")


def _fail(word: str, before: str = "") -> TcExit:
    return TcExit(f'{before}Illegal "{word}"\n', 1)


def ll_addr_a2n(text: str) -> str | None:
    """ll_addr_a2n(): the message for a bad link-layer address, None when it is good."""
    if "." in text:
        try:
            ipaddress.IPv4Address(text)
        except ValueError:
            return f'"{text}" is invalid lladdr.\n'
        return None
    rest = text
    for _ in range(6):
        part, sep, tail = rest.partition(":")
        m = re.match(r"\s*[+-]?(0[xX])?([0-9a-fA-F]+)", part)
        if m is None or int(m.group(2), 16) > 255:
            return f'"{part}" is invalid lladdr.\n'
        if not sep:
            return None
        rest = tail
    return None


def _get_prefix(text: str, family: int) -> None:
    """get_prefix(): a bad address ends tc at once (exit 1)."""
    name = {4: "inet", 6: "inet6"}.get(family, "any valid")
    addr, _, bits = text.partition("/")
    try:
        ip = ipaddress.ip_address(addr)
        if family and ip.version != family:
            raise ValueError
        if bits and not (bits.isdigit() and int(bits) <= ip.max_prefixlen):
            raise ValueError
    except ValueError:
        raise TcExit(f'Error: {name} prefix is expected rather than "{text}".\n', 1) from None


def _get_be16(text: str) -> bool:
    return re.fullmatch(r"\s*[+-]?[0-9]+", text) is not None and int(text) <= 0xFFFF


def parse_flower(args: list[str], protocol: int) -> None:
    """flower_parse_opt(): eth_type is the filter's protocol (ETH_P_ALL unless given)."""
    ip_proto = None
    while args:
        word = args.pop(0)
        if matches(word, "classid") or matches(word, "flowid"):
            try:
                get_tc_classid(next_arg(args), "")
            except TcExit as err:
                if err.status == 255 and "Command line" in err.message:
                    raise
                raise _fail("classid") from None
        elif matches(word, "verbose") or matches(word, "skip_hw") or matches(word, "skip_sw"):
            continue
        elif matches(word, "indev"):
            next_arg(args)
        elif matches(word, "vlan_id") or matches(word, "vlan_prio"):
            key = "vlan_id" if matches(word, "vlan_id") else "vlan_prio"
            value = next_arg(args)
            if protocol not in (ETH_P_8021Q, ETH_P_8021AD):
                raise TcExit(f'Can\'t set "{key}" if ethertype isn\'t 802.1Q or 802.1AD and '
                             "num_of_vlans is 0\n", 1)
            limit = 0xFFF if key == "vlan_id" else 7
            if not _get_be16(value) or int(value) > limit:
                raise _fail(key)
        elif word in ("dst_mac", "src_mac", "arp_tha", "arp_sha") or \
                matches(word, "dst_mac") or matches(word, "src_mac"):
            key = word if word in ("arp_tha", "arp_sha") else \
                "dst_mac" if matches(word, "dst_mac") else "src_mac"
            value = next_arg(args)
            addr, _, mask = value.partition("/")
            error = ll_addr_a2n(addr)
            if error is None and mask and not mask.isdigit():
                error = ll_addr_a2n(mask)
            if error is not None:
                raise _fail(key, error)
        elif matches(word, "ip_proto"):
            value = next_arg(args)
            if protocol not in (ETH_P_IP, ETH_P_IPV6):
                raise _fail("ip_proto", 'Illegal "eth_type" for ip proto\n')
            names = {"tcp": 6, "udp": 17, "sctp": 132}
            named = next((n for n in ("tcp", "udp", "sctp", "icmp", "icmpv6")
                          if matches(value, n)), None)
            if named == "icmp":
                if protocol != ETH_P_IP:
                    raise _fail("ip_proto", 'Illegal "eth_type" for ip proto\n')
                ip_proto = 1
            elif named == "icmpv6":
                if protocol != ETH_P_IPV6:
                    raise _fail("ip_proto", 'Illegal "eth_type" for ip proto\n')
                ip_proto = 58
            elif named:
                ip_proto = names[named]
            else:
                number = _get_u32(value, 16)
                if number is None or number > 0xFF:
                    raise _fail("ip_proto")
                ip_proto = number
        elif matches(word, "ip_tos") or matches(word, "ip_ttl"):
            key = "ip_tos" if matches(word, "ip_tos") else "ip_ttl"
            value, _, mask = next_arg(args).partition("/")
            if _get_u32(value, 0) is None or _get_u32(value, 0) > 0xFF:
                raise _fail(key)
        elif matches(word, "dst_ip") or matches(word, "src_ip"):
            key = "dst_ip" if matches(word, "dst_ip") else "src_ip"
            value = next_arg(args)
            family = {ETH_P_IP: 4, ETH_P_IPV6: 6, 0: 0}.get(protocol)
            if family is None:
                raise _fail(key)
            _get_prefix(value, family)
        elif matches(word, "dst_port") or matches(word, "src_port"):
            key = "dst_port" if matches(word, "dst_port") else "src_port"
            value = next_arg(args)
            low, sep, high = value.partition("-")
            good = _get_be16(low) and (not sep or _get_be16(high))
            if not good and "/" not in value:
                raise _fail(key)
            if good and sep and int(high) <= int(low):
                raise _fail(key, "max value should be greater than min value\n")
            if ip_proto not in (6, 17, 132):
                raise _fail(key)
        elif matches(word, "type") or matches(word, "code"):
            key = "icmp type" if matches(word, "type") else "icmp code"
            value = next_arg(args)
            if not (protocol == ETH_P_IP and ip_proto == 1 or
                    protocol == ETH_P_IPV6 and ip_proto == 58):
                raise _fail(key)
            number = _get_u32(value.partition("/")[0], 0)
            if number is None or number > 0xFF:
                raise _fail(key)
        elif matches(word, "arp_tip") or matches(word, "arp_sip") or matches(word, "arp_op"):
            key = "arp_tip" if matches(word, "arp_tip") else \
                "arp_sip" if matches(word, "arp_sip") else "arp_op"
            value = next_arg(args)
            if protocol not in (ETH_P_ARP, ETH_P_RARP):
                raise _fail(key)
            if key != "arp_op":
                _get_prefix(value, 4)
            elif value not in ("request", "reply") and (
                    _get_u32(value.partition("/")[0], 0) is None):
                raise _fail(key)
        elif word == "mpls" or any(matches(word, u) for u in _UNCHECKED
                                   if u not in ("ppp_proto", "pppoe_sid", "gtp_opts",
                                                "num_of_vlans")) or \
                word in ("ppp_proto", "pppoe_sid", "gtp_opts", "num_of_vlans"):
            next_arg(args)
        elif matches(word, "action") or word == "police":
            args.clear()                        # parse_action(): the rest is the action's
        elif matches(word, "help"):
            raise TcExit(FLOWER_USAGE, 1)
        else:
            raise TcExit(f'What is "{word}"?\n' + FLOWER_USAGE, 1)


def parse_fw(args: list[str]) -> None:
    """fw_parse_opt(): classid/flowid, indev, action, police; help and anything else
    its explain()."""
    while args:
        word = args.pop(0)
        if matches(word, "classid") or matches(word, "flowid"):
            try:
                get_tc_classid(next_arg(args), "")
            except TcExit as err:
                if "Command line" in err.message:
                    raise
                raise TcExit('Illegal "classid"\n', 1) from None
        elif matches(word, "indev"):
            next_arg(args)
        elif matches(word, "action") or matches(word, "police"):
            args.clear()
        elif matches(word, "help"):
            raise TcExit(FW_USAGE, 1)
        else:
            raise TcExit(f'What is "{word}"?\n' + FW_USAGE, 1)
