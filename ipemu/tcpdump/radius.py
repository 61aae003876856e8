"""RADIUS under -v as tcpdump 4.99.3 prints it (print-radius.c radius_print(),
radius_attrs_print()): the length, code, id and authenticator, then each attribute by
attr_type[]'s name and printer (strings, numbers with their standard values, addresses,
IPv6 prefixes, times, vendor-specific attributes, EAP messages through eap_print(), the
ARAP and Error-Cause ones), with -vv's hex of every attribute."""
from __future__ import annotations

import time

from ipemu.tcpdump.dissect import bittok2str, tok2str, ip6addr_string_raw
from ipemu.tcpdump.util import fn_print_char

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ipemu.tcpdump.dissect import Dissector

# oui.c smi_values[] (tcpdump 4.99.3): SMI network management private enterprise codes
SMI_VALUES = {
    0: 'IETF (reserved)', 5: 'ACC', 9: 'Cisco', 11: 'Hewlett Packard',
    42: 'Sun Microsystems', 61: 'Merit', 74: 'AT&T', 161: 'Motorola', 166: 'Shiva',
    193: 'Ericsson AB', 255: 'Cisco VPN 5000', 307: 'Livingston', 311: 'Microsoft',
    429: '3Com', 529: 'Ascend', 1584: 'Bay Networks', 1991: 'Foundry', 2180: 'Versanet',
    2352: 'Redback', 2636: 'Juniper Networks', 2637: 'Aptis', 2937: 'Deutsche Telekom AG',
    3054: 'Ixia Communications', 3076: 'Cisco VPN 3000', 3085: 'CoSine Communications',
    3224: 'Netscreen', 3199: 'Shasta', 3309: 'Nomadix', 3414: 'T-Mobile',
    3561: 'The Broadband Forum', 3902: 'ZTE', 4329: 'Siemens', 4491: 'CableLabs',
    4874: 'Unisphere Networks', 5263: 'Cisco BBSM',
    5535: '3rd Generation Partnership Project 2 (3GPP2)', 5806: 'SK Telecom',
    5925: 'ipUnplugged', 5948: 'Issanni Communications', 5951: 'Netscaler',
    6490: 'T-Mobile', 6618: 'Quintum', 6728: 'Interlink', 7951: 'CNCTC',
    8164: 'Starent Networks', 8744: 'Colubris', 10415: '3GPP', 10529: 'Gemtek-Systems',
    10704: 'Barracuda Networks', 10923: 'Ericsson AB - Packet Core Networks',
    11665: 'dacom', 11862: 'Columbia University', 12356: 'Fortinet',
    12951: 'Verizon Wireless', 13745: 'Plixer', 14122: 'Wi-Fi Alliance',
    16787: 'T-Systems Nova', 20942: 'China Telecom - Guangzhou Research Institute',
    26866: 'Gigamon Systems', 32622: 'CACE Technologies', 35632: 'ntop',
    46098: 'Ericsson Canada',
}
SERV_TYPE_VALUES = [None, 'Login', 'Framed', 'Callback Login', 'Callback Framed',
                   'Outbound', 'Administrative', 'NAS Prompt', 'Authenticate Only',
                   'Callback NAS Prompt', 'Call Check', 'Callback Administrative', 'Voice',
                   'Fax', 'Modem Relay', 'IAPP-Register', 'IAPP-AP-Check',
                   'Authorize Only', 'Framed-Management', 'Additional-Authorization']
FRM_PROTO_VALUES = [None, 'PPP', 'SLIP', 'ARAP', 'Gandalf proprietary', 'Xylogics IPX/SLIP',
                   'X.75 Synchronous', 'GPRS PDP Context']
FRM_ROUTING_VALUES = ['None', 'Send', 'Listen', 'Send&Listen']
FRM_COMP_VALUES = ['None', 'VJ TCP/IP', 'IPX', 'Stac-LZS']
LOGIN_SERV_VALUES = ['Telnet', 'Rlogin', 'TCP Clear', 'PortMaster(proprietary)', 'LAT',
                    'X.25-PAD', 'X.25-T3POS', 'Unassigned', 'TCP Clear Quiet']
TERM_ACTION_VALUES = ['Default', 'RADIUS-Request']
INGRESS_FILTERS_VALUES = [None, 'Enabled', 'Disabled']
NAS_PORT_TYPE_VALUES = ['Async', 'Sync', 'ISDN Sync', 'ISDN Async V.120',
                       'ISDN Async V.110', 'Virtual', 'PIAFS', 'HDLC Clear Channel',
                       'X.25', 'X.75', 'G.3 Fax', 'SDSL', 'ADSL-CAP', 'ADSL-DMT',
                       'ISDN-DSL', 'Ethernet', 'xDSL', 'Cable', 'Wireless - Other',
                       'Wireless - IEEE 802.11', 'Token-Ring', 'FDDI',
                       'Wireless - CDMA200', 'Wireless - UMTS', 'Wireless - 1X-EV', 'IAPP',
                       'FTTP', 'Wireless - IEEE 802.16', 'Wireless - IEEE 802.20',
                       'Wireless - IEEE 802.22', 'PPPoA', 'PPPoEoA', 'PPPoEoE',
                       'PPPoEoVLAN', 'PPPoEoQinQ', 'xPON', 'Wireless - XGP',
                       'WiMAX Pre-Release 8 IWK Function', 'WIMAX-WIFI-IWK', 'WIMAX-SFF',
                       'WIMAX-HA-LMA', 'WIMAX-DHCP', 'WIMAX-LBS', 'WIMAX-WVS']
ACCT_STATUS_VALUES = [None, 'Start', 'Stop', 'Interim-Update', 'Unassigned', 'Unassigned',
                     'Unassigned', 'Accounting-On', 'Accounting-Off', 'Tunnel-Start',
                     'Tunnel-Stop', 'Tunnel-Reject', 'Tunnel-Link-Start',
                     'Tunnel-Link-Stop', 'Tunnel-Link-Reject', 'Failed']
ACCT_AUTH_VALUES = [None, 'RADIUS', 'Local', 'Remote', 'Diameter']
ACCT_TERM_VALUES = [None, 'User Request', 'Lost Carrier', 'Lost Service', 'Idle Timeout',
                   'Session Timeout', 'Admin Reset', 'Admin Reboot', 'Port Error',
                   'NAS Error', 'NAS Request', 'NAS Reboot', 'Port Unneeded',
                   'Port Preempted', 'Port Suspended', 'Service Unavailable', 'Callback',
                   'User Error', 'Host Request', 'Supplicant Restart',
                   'Reauthentication Failure', 'Port Reinitialized',
                   'Port Administratively Disabled', 'Lost Power']
TUNNEL_TYPE_VALUES = [None, 'PPTP', 'L2F', 'L2TP', 'ATMP', 'VTP', 'AH', 'IP-IP',
                     'MIN-IP-IP', 'ESP', 'GRE', 'DVS', 'IP-in-IP Tunneling', 'VLAN']
TUNNEL_MEDIUM_VALUES = [None, 'IPv4', 'IPv6', 'NSAP', 'HDLC', 'BBN 1822', '802', 'E.163',
                       'E.164', 'F.69', 'X.121', 'IPX', 'Appletalk', 'Decnet IV',
                       'Banyan Vines', 'E.164 with NSAP subaddress']
ARAP_ZONE_VALUES = [None, 'Only access to dfl zone', 'Use zone filter inc.', 'Not used',
                   'Use zone filter exc.']
PROMPT_VALUES = ['No Echo', 'Echo']
ERRORCAUSETYPE = {201: "Residual Session Context Removed", 202: "Invalid EAP Packet (Ignored)",
                  401: "Unsupported Attribute", 402: "Missing Attribute",
                  403: "NAS Identification Mismatch", 404: "Invalid Request",
                  405: "Unsupported Service", 406: "Unsupported Extension",
                  407: "Invalid Attribute Value", 501: "Administratively Prohibited",
                  502: "Request Not Routable (Proxy)", 503: "Session Context Not Found",
                  504: "Session Context Not Removable", 505: "Other Proxy Processing Error",
                  506: "Resources Unavailable", 507: "Request Initiated",
                  508: "Multiple Session Selection Unsupported",
                  509: "Location Info Required"}
MIP6_FEATURE_VECTOR = [(0x1, "MIP6_INTEGRATED"), (0x2, "LOCAL_HOME_AGENT_ASSIGNMENT"),
                       (0x10000000000, "PMIP6_SUPPORTED"), (0x20000000000, "IP4_HOA_SUPPORTED"),
                       (0x40000000000, "LOCAL_MAG_ROUTING_SUPPORTED"),
                       (0x80000000000, "ASSIGN_LOCAL_IP"), (0x100000000000, "MIP4_SUPPORTED"),
                       (0x200000000000, "OPTIMIZED_IDLE_MODE_MOBILITY"),
                       (0x400000000000, "GTPv2_SUPPORTED"),
                       (0x800000000000, "IP4_TRANSPORT_SUPPORTED"),
                       (0x1000000000000, "IP4_HOA_ONLY_SUPPORTED"),
                       (0x2000000000000, "INTER_MAG_ROUTING_SUPPORTED")]
OPERATOR_NAME_VECTOR = {0x30: "TADIG", 0x31: "REALM", 0x32: "E212", 0x33: "ICC"}
LOCATION_CODE = {0: "Civic", 1: "Geospatial"}
LOCATION_ENTITY = {0: "User", 1: "RADIUS"}
BLPR_BM = ([(0x0001 << i, f"MBZ-{15 - i}") for i in range(15)]
           + [(0x8000, "Retransmission Allowed")])
RFC4675_TAGGED = {0x31: "Tagged", 0x32: "Untagged"}
RADIUS_COMMANDS = {1: "Access-Request", 2: "Access-Accept", 3: "Access-Reject",
                   4: "Accounting-Request", 5: "Accounting-Response", 11: "Access-Challenge",
                   12: "Status-Server", 13: "Status-Client", 40: "Disconnect-Request",
                   41: "Disconnect-ACK", 42: "Disconnect-NAK", 43: "CoA-Request",
                   44: "CoA-ACK", 45: "CoA-NAK", 255: "Reserved"}   # radius_command_values
# attribute codes print_attr_*() treat specially
FRM_IPADDR, LOG_IPHOST, FRM_IPX = 8, 14, 23
SESSION_TIMEOUT, IDLE_TIMEOUT, FRM_ATALK_LINK, FRM_ATALK_NETWORK = 27, 28, 37, 38
ACCT_DELAY, ACCT_SESSION_TIME, EGRESS_VLAN_ID, EGRESS_VLAN_NAME = 41, 46, 56, 58
TUNNEL_TYPE, TUNNEL_MEDIUM, TUNNEL_CLIENT_END, TUNNEL_SERVER_END = 64, 65, 66, 67
TUNNEL_PASS, ARAP_PASS, ARAP_FEATURES, EAP_MESSAGE = 69, 70, 71, 79
TUNNEL_PRIV_GROUP, TUNNEL_ASSIGN_ID, TUNNEL_PREFERENCE = 81, 82, 83
ARAP_CHALLENGE_RESP, ACCT_INT_INTERVAL = 84, 85
TUNNEL_CLIENT_AUTH, TUNNEL_SERVER_AUTH, ERROR_CAUSE = 90, 91, 101


def _printable(c: int) -> str:
    return chr(c) if 0x20 <= c <= 0x7E else "."


def print_attr_string(d: Dissector, data: int, length: int, code: int) -> None:
    d.need(data, length)
    if code == TUNNEL_PASS:
        if length < 3:
            return d.nd_print_trunc()
        tag = d.u8(data)
        d.p(f"Tag[{tag}] " if tag and tag <= 0x1F else "Tag[Unused] ")
        d.p(f"Salt {d.u16(data + 1)} ")
        data, length = data + 3, length - 3
    elif code in (TUNNEL_CLIENT_END, TUNNEL_SERVER_END, TUNNEL_PRIV_GROUP, TUNNEL_ASSIGN_ID,
                  TUNNEL_CLIENT_AUTH, TUNNEL_SERVER_AUTH):
        if d.u8(data) <= 0x1F:
            if length < 1:
                return d.nd_print_trunc()
            d.p(f"Tag[{d.u8(data)}] " if d.u8(data) else "Tag[Unused] ")
            data, length = data + 1, length - 1
    elif code == EGRESS_VLAN_NAME:
        if length < 1:
            return d.nd_print_trunc()
        d.p(f"{tok2str(RFC4675_TAGGED, 'Unknown tag', d.u8(data))} (0x{d.u8(data):02x}) ")
        data, length = data + 1, length - 1
    elif code == EAP_MESSAGE:
        if length < 1:
            return d.nd_print_trunc()
        from ipemu.tcpdump.routing import eap_print
        eap_print(d, data, length)
        return None
    i = 0
    while i < length and d.u8(data):
        d.p(_printable(d.u8(data)))
        i, data = i + 1, data + 1
    return None


def print_vendor_attr(d: Dissector, data: int, length: int, code: int) -> None:
    if length < 4:
        return d.nd_print_trunc()
    vendor_id = d.u32(data)
    data, length = data + 4, length - 4
    d.p(f"Vendor: {tok2str(SMI_VALUES, 'Unknown', vendor_id)} ({vendor_id})")
    while length >= 2:
        vtype, vlen = d.u8(data), d.u8(data + 1)
        if vlen < 2:
            d.p(f"\n\t    Vendor Attribute: {vtype}, Length: {vlen} (bogus, must be >= 2)")
            return None
        if vlen > length:
            d.p(f"\n\t    Vendor Attribute: {vtype}, Length: {vlen} (bogus, goes past end "
                "of vendor-specific attribute)")
            return None
        data, vlen, length = data + 2, vlen - 2, length - 2
        if not d.ttest(data, vlen):
            return d.nd_print_trunc()
        d.p(f"\n\t    Vendor Attribute: {vtype}, Length: {vlen}, Value: ")
        d.p("".join(_printable(c) for c in d.data[data:data + vlen]))
        data, length = data + vlen, length - vlen
    return None


def _hms(timeout: int) -> str:
    if timeout < 60:
        return f"{timeout:02d} secs"
    if timeout < 3600:
        return f"{timeout // 60:02d}:{timeout % 60:02d} min"
    return f"{timeout // 3600:02d}:{timeout % 3600 // 60:02d}:{timeout % 60:02d} hours"


def print_attr_num(d: Dissector, data: int, length: int, code: int) -> None:
    if length != 4:
        d.p(f"ERROR: length {length} != 4")
        return
    _name, table, siz, first, _f = ATTR_TYPE[code]
    if siz:
        if code in (TUNNEL_TYPE, TUNNEL_MEDIUM):
            d.p(f"Tag[{d.u8(data)}] " if d.u8(data) else "Tag[Unused] ")
            value = d.u32(data) & 0xFFFFFF
        else:
            value = d.u32(data)
        d.p(table[value] if first <= value <= siz - 1 + first else f"#{value}")
        return
    value = d.u32(data)
    if code == FRM_IPX:
        d.p("NAS Select" if value == 0xFFFFFFFE else str(value))
    elif code in (SESSION_TIMEOUT, IDLE_TIMEOUT, ACCT_DELAY, ACCT_SESSION_TIME,
                  ACCT_INT_INTERVAL):
        d.p(_hms(value))
    elif code == FRM_ATALK_LINK:
        d.p(str(value) if value else "Unnumbered")
    elif code == FRM_ATALK_NETWORK:
        d.p(str(value) if value else "NAS assigned")
    elif code == TUNNEL_PREFERENCE:
        d.p(f"Tag[{d.u8(data)}] " if d.u8(data) else "Tag[Unused] ")
        d.p(str(value & 0xFFFFFF))
    elif code == EGRESS_VLAN_ID:
        d.p(f"{tok2str(RFC4675_TAGGED, 'Unknown tag', d.u8(data))} (0x{d.u8(data):02x}) ")
        d.p(str(value & 0xFFFFFF))
    else:
        d.p(str(value))


def print_attr_address(d: Dissector, data: int, length: int, code: int) -> None:
    if length != 4:
        d.p(f"ERROR: length {length} != 4")
        return
    value = d.u32(data)
    if code in (FRM_IPADDR, LOG_IPHOST) and value == 0xFFFFFFFF:
        d.p("User Selected")
    elif code in (FRM_IPADDR, LOG_IPHOST) and value == 0xFFFFFFFE:
        d.p("NAS Select")
    else:
        d.p(d.ipaddr_string(data))


def print_attr_address6(d: Dissector, data: int, length: int, code: int) -> None:
    if length != 16:
        d.p(f"ERROR: length {length} != 16")
        return
    d.p(d.ip6addr_string(data))


def print_attr_netmask6(d: Dissector, data: int, length: int, code: int) -> None:
    if length < 2 or length > 18:
        d.p(f"ERROR: length {length} not in range (2..18)")
        return
    if not d.ttest(data, length):
        return d.nd_print_trunc()
    plen = d.u8(data + 1)
    if plen > 128:
        d.p(f"ERROR: netmask {plen} not in range (0..128)")
        return
    prefix = d.data[data + 2:data + length].ljust(16, b"\0")
    d.p(f"{ip6addr_string_raw(prefix)}/{plen}")      # a local buffer: no name lookup
    if plen > 8 * (length - 2):
        d.p(" (inconsistent prefix length)")


def print_attr_mip6_home_link_prefix(d: Dissector, data: int, length: int, code: int) -> None:
    if length != 17:
        d.p(f"ERROR: length {length} != 17")
        return
    if not d.ttest(data, length):
        return d.nd_print_trunc()
    if d.u8(data) > 128:
        d.p(f"ERROR: netmask {d.u8(data)} not in range (0..128)")
        return
    d.p(f"{d.ip6addr_string(data + 1)}/{d.u8(data)}")


def print_attr_operator_name(d: Dissector, data: int, length: int, code: int) -> None:
    if not d.ttest(data, length):
        return d.nd_print_trunc()
    if length < 2:
        d.p(f"ERROR: length {length} < 2")
        return
    d.p(f"[{tok2str(OPERATOR_NAME_VECTOR, 'unknown namespace %u', d.u8(data))}] ")
    d.p("".join(fn_print_char(c) for c in d.data[data + 1:data + length]))


def print_attr_location_information(d: Dissector, data: int, length: int, code: int) -> None:
    from ipemu.tcpdump.ntp import p_ntp_time
    if not d.ttest(data, length):
        return d.nd_print_trunc()
    if length < 21:
        d.p(f"ERROR: length {length} < 21")
        return
    d.p(f"index {d.u16(data)}, code {tok2str(LOCATION_CODE, 'Unknown (%u)', d.u8(data + 2))}, "
        f"entity {tok2str(LOCATION_ENTITY, 'Unknown (%u)', d.u8(data + 3))}, ")
    d.p(f"sighting time {p_ntp_time(d, data + 4)}, ")
    d.p(f"time to live {p_ntp_time(d, data + 12)}, ")
    d.p('method "' + "".join(fn_print_char(c) for c in d.data[data + 20:data + length]) + '"')


def print_attr_location_data(d: Dissector, data: int, length: int, code: int) -> None:
    from ipemu.tcpdump.hexdump import hex_and_ascii_print
    if not d.ttest(data, length):
        return d.nd_print_trunc()
    if length < 3:
        d.p(f"ERROR: length {length} < 3")
        return
    d.p(f"index {d.u16(data)}, location")
    d.p(hex_and_ascii_print(d.data[data + 2:data + length], "\n\t    "))


def print_basic_location_policy_rules(d: Dissector, data: int, length: int, code: int) -> None:
    from ipemu.tcpdump.ntp import p_ntp_time
    if not d.ttest(data, length):
        return d.nd_print_trunc()
    if length < 10:
        d.p(f"ERROR: length {length} < 10")
        return
    d.p(f"flags [{bittok2str(BLPR_BM, 'none', d.u16(data))}], ")
    d.p(f"retention expires {p_ntp_time(d, data + 2)}")
    if length > 10:
        d.p(', note well "' + "".join(fn_print_char(c) for c in d.data[data + 10:data + length])
            + '"')


def print_attr_time(d: Dissector, data: int, length: int, code: int) -> None:
    if length != 4:
        d.p(f"ERROR: length {length} != 4")
        return
    d.p(time.ctime(d.u32(data))[:24])        # ctime(), local time, without its newline


def print_attr_vector64(d: Dissector, data: int, length: int, code: int) -> None:
    if length != 8:
        d.p(f"ERROR: length {length} != 8")
        return
    d.p("[")
    value = (d.u32(data) << 32) | d.u32(data + 4)
    d.p(", ".join(s for v, s in MIP6_FEATURE_VECTOR if value & v))
    d.p("]")


def print_attr_strange(d: Dissector, data: int, length: int, code: int) -> None:
    if code == ARAP_PASS:
        if length != 16:
            d.p(f"ERROR: length {length} != 16")
            return
        d.p(f"User_challenge ({d.bytes_(data, 8).hex().upper()}) "
            f"User_resp({d.bytes_(data + 8, 8).hex().upper()})")
    elif code == ARAP_FEATURES:
        if length != 14:
            d.p(f"ERROR: length {length} != 14")
            return
        d.p("User can change password" if d.u8(data) else "User cannot change password")
        d.p(f", Min password length: {d.u8(data + 1)}")
        d.p(f", created at: {d.bytes_(data + 2, 4).hex().upper()}")
        d.p(f", expires in: {d.bytes_(data + 6, 4).hex().upper()}")
        d.p(f", Current Time: {d.bytes_(data + 10, 4).hex().upper()}")
    elif code == ARAP_CHALLENGE_RESP:
        if length < 8:
            d.p(f"ERROR: length {length} != 8")
            return
        d.p(d.bytes_(data, 8).hex().upper())
    elif code == ERROR_CAUSE:
        if length != 4:
            d.p(f"Error: length {length} != 4")
            return
        value = d.u32(data)
        d.p(f"Error cause {value}: "
            f"{tok2str(ERRORCAUSETYPE, 'Error-Cause %u not known', value)}")


# attr_type[]: (name, subtypes, siz_subtypes, first_subtype, printer)
ATTR_TYPE = [
    (None, None, 0, 0, None),
    ('User-Name', None, 0, 0, print_attr_string),
    ('User-Password', None, 0, 0, None),
    ('CHAP-Password', None, 0, 0, None),
    ('NAS-IP-Address', None, 0, 0, print_attr_address),
    ('NAS-Port', None, 0, 0, print_attr_num),
    ('Service-Type', SERV_TYPE_VALUES, len(SERV_TYPE_VALUES) - 1, 1, print_attr_num),
    ('Framed-Protocol', FRM_PROTO_VALUES, len(FRM_PROTO_VALUES) - 1, 1, print_attr_num),
    ('Framed-IP-Address', None, 0, 0, print_attr_address),
    ('Framed-IP-Netmask', None, 0, 0, print_attr_address),
    ('Framed-Routing', FRM_ROUTING_VALUES, len(FRM_ROUTING_VALUES), 0, print_attr_num),
    ('Filter-Id', None, 0, 0, print_attr_string),
    ('Framed-MTU', None, 0, 0, print_attr_num),
    ('Framed-Compression', FRM_COMP_VALUES, len(FRM_COMP_VALUES), 0, print_attr_num),
    ('Login-IP-Host', None, 0, 0, print_attr_address),
    ('Login-Service', LOGIN_SERV_VALUES, len(LOGIN_SERV_VALUES), 0, print_attr_num),
    ('Login-TCP-Port', None, 0, 0, print_attr_num),
    ('Unassigned', None, 0, 0, None),
    ('Reply-Message', None, 0, 0, print_attr_string),
    ('Callback-Number', None, 0, 0, print_attr_string),
    ('Callback-Id', None, 0, 0, print_attr_string),
    ('Unassigned', None, 0, 0, None),
    ('Framed-Route', None, 0, 0, print_attr_string),
    ('Framed-IPX-Network', None, 0, 0, print_attr_num),
    ('State', None, 0, 0, print_attr_string),
    ('Class', None, 0, 0, print_attr_string),
    ('Vendor-Specific', None, 0, 0, print_vendor_attr),
    ('Session-Timeout', None, 0, 0, print_attr_num),
    ('Idle-Timeout', None, 0, 0, print_attr_num),
    ('Termination-Action', TERM_ACTION_VALUES, len(TERM_ACTION_VALUES), 0, print_attr_num),
    ('Called-Station-Id', None, 0, 0, print_attr_string),
    ('Calling-Station-Id', None, 0, 0, print_attr_string),
    ('NAS-Identifier', None, 0, 0, print_attr_string),
    ('Proxy-State', None, 0, 0, print_attr_string),
    ('Login-LAT-Service', None, 0, 0, print_attr_string),
    ('Login-LAT-Node', None, 0, 0, print_attr_string),
    ('Login-LAT-Group', None, 0, 0, print_attr_string),
    ('Framed-AppleTalk-Link', None, 0, 0, print_attr_num),
    ('Framed-AppleTalk-Network', None, 0, 0, print_attr_num),
    ('Framed-AppleTalk-Zone', None, 0, 0, print_attr_string),
    ('Acct-Status-Type', ACCT_STATUS_VALUES, len(ACCT_STATUS_VALUES) - 1, 1, print_attr_num),
    ('Acct-Delay-Time', None, 0, 0, print_attr_num),
    ('Acct-Input-Octets', None, 0, 0, print_attr_num),
    ('Acct-Output-Octets', None, 0, 0, print_attr_num),
    ('Acct-Session-Id', None, 0, 0, print_attr_string),
    ('Acct-Authentic', ACCT_AUTH_VALUES, len(ACCT_AUTH_VALUES) - 1, 1, print_attr_num),
    ('Acct-Session-Time', None, 0, 0, print_attr_num),
    ('Acct-Input-Packets', None, 0, 0, print_attr_num),
    ('Acct-Output-Packets', None, 0, 0, print_attr_num),
    ('Acct-Terminate-Cause', ACCT_TERM_VALUES, len(ACCT_TERM_VALUES) - 1, 1, print_attr_num),
    ('Acct-Multi-Session-Id', None, 0, 0, print_attr_string),
    ('Acct-Link-Count', None, 0, 0, print_attr_num),
    ('Acct-Input-Gigawords', None, 0, 0, print_attr_num),
    ('Acct-Output-Gigawords', None, 0, 0, print_attr_num),
    ('Unassigned', None, 0, 0, None),
    ('Event-Timestamp', None, 0, 0, print_attr_time),
    ('Egress-VLANID', None, 0, 0, print_attr_num),
    ('Ingress-Filters', INGRESS_FILTERS_VALUES, len(INGRESS_FILTERS_VALUES) - 1, 1,
     print_attr_num),
    ('Egress-VLAN-Name', None, 0, 0, print_attr_string),
    ('User-Priority-Table', None, 0, 0, None),
    ('CHAP-Challenge', None, 0, 0, print_attr_string),
    ('NAS-Port-Type', NAS_PORT_TYPE_VALUES, len(NAS_PORT_TYPE_VALUES), 0, print_attr_num),
    ('Port-Limit', None, 0, 0, print_attr_num),
    ('Login-LAT-Port', None, 0, 0, print_attr_string),
    ('Tunnel-Type', TUNNEL_TYPE_VALUES, len(TUNNEL_TYPE_VALUES) - 1, 1, print_attr_num),
    ('Tunnel-Medium-Type', TUNNEL_MEDIUM_VALUES, len(TUNNEL_MEDIUM_VALUES) - 1, 1, print_attr_num),
    ('Tunnel-Client-Endpoint', None, 0, 0, print_attr_string),
    ('Tunnel-Server-Endpoint', None, 0, 0, print_attr_string),
    ('Acct-Tunnel-Connection', None, 0, 0, print_attr_string),
    ('Tunnel-Password', None, 0, 0, print_attr_string),
    ('ARAP-Password', None, 0, 0, print_attr_strange),
    ('ARAP-Features', None, 0, 0, print_attr_strange),
    ('ARAP-Zone-Access', ARAP_ZONE_VALUES, len(ARAP_ZONE_VALUES) - 1, 1, print_attr_num),
    ('ARAP-Security', None, 0, 0, print_attr_string),
    ('ARAP-Security-Data', None, 0, 0, print_attr_string),
    ('Password-Retry', None, 0, 0, print_attr_num),
    ('Prompt', PROMPT_VALUES, len(PROMPT_VALUES), 0, print_attr_num),
    ('Connect-Info', None, 0, 0, print_attr_string),
    ('Configuration-Token', None, 0, 0, print_attr_string),
    ('EAP-Message', None, 0, 0, print_attr_string),
    ('Message-Authenticator', None, 0, 0, print_attr_string),
    ('Tunnel-Private-Group-ID', None, 0, 0, print_attr_string),
    ('Tunnel-Assignment-ID', None, 0, 0, print_attr_string),
    ('Tunnel-Preference', None, 0, 0, print_attr_num),
    ('ARAP-Challenge-Response', None, 0, 0, print_attr_strange),
    ('Acct-Interim-Interval', None, 0, 0, print_attr_num),
    ('Acct-Tunnel-Packets-Lost', None, 0, 0, print_attr_num),
    ('NAS-Port-Id', None, 0, 0, print_attr_string),
    ('Framed-Pool', None, 0, 0, print_attr_string),
    ('CUI', None, 0, 0, print_attr_string),
    ('Tunnel-Client-Auth-ID', None, 0, 0, print_attr_string),
    ('Tunnel-Server-Auth-ID', None, 0, 0, print_attr_string),
    ('NAS-Filter-Rule', None, 0, 0, print_attr_string),
    ('Unassigned', None, 0, 0, None),
    ('Originating-Line-Info', None, 0, 0, None),
    ('NAS-IPv6-Address', None, 0, 0, print_attr_address6),
    ('Framed-Interface-ID', None, 0, 0, None),
    ('Framed-IPv6-Prefix', None, 0, 0, print_attr_netmask6),
    ('Login-IPv6-Host', None, 0, 0, print_attr_address6),
    ('Framed-IPv6-Route', None, 0, 0, print_attr_string),
    ('Framed-IPv6-Pool', None, 0, 0, print_attr_string),
    ('Error-Cause', None, 0, 0, print_attr_strange),
    ('EAP-Key-Name', None, 0, 0, None),
    ('Digest-Response', None, 0, 0, print_attr_string),
    ('Digest-Realm', None, 0, 0, print_attr_string),
    ('Digest-Nonce', None, 0, 0, print_attr_string),
    ('Digest-Response-Auth', None, 0, 0, print_attr_string),
    ('Digest-Nextnonce', None, 0, 0, print_attr_string),
    ('Digest-Method', None, 0, 0, print_attr_string),
    ('Digest-URI', None, 0, 0, print_attr_string),
    ('Digest-Qop', None, 0, 0, print_attr_string),
    ('Digest-Algorithm', None, 0, 0, print_attr_string),
    ('Digest-Entity-Body-Hash', None, 0, 0, print_attr_string),
    ('Digest-CNonce', None, 0, 0, print_attr_string),
    ('Digest-Nonce-Count', None, 0, 0, print_attr_string),
    ('Digest-Username', None, 0, 0, print_attr_string),
    ('Digest-Opaque', None, 0, 0, print_attr_string),
    ('Digest-Auth-Param', None, 0, 0, print_attr_string),
    ('Digest-AKA-Auts', None, 0, 0, print_attr_string),
    ('Digest-Domain', None, 0, 0, print_attr_string),
    ('Digest-Stale', None, 0, 0, print_attr_string),
    ('Digest-HA1', None, 0, 0, print_attr_string),
    ('SIP-AOR', None, 0, 0, print_attr_string),
    ('Delegated-IPv6-Prefix', None, 0, 0, print_attr_netmask6),
    ('MIP6-Feature-Vector', None, 0, 0, print_attr_vector64),
    ('MIP6-Home-Link-Prefix', None, 0, 0, print_attr_mip6_home_link_prefix),
    ('Operator-Name', None, 0, 0, print_attr_operator_name),
    ('Location-Information', None, 0, 0, print_attr_location_information),
    ('Location-Data', None, 0, 0, print_attr_location_data),
    ('Basic-Location-Policy-Rules', None, 0, 0, print_basic_location_policy_rules),
]


def radius_attrs_print(d: Dissector, attr: int, length: int) -> None:
    """radius_attrs_print(): each attribute's name, code and length, then its value."""
    while length > 0:
        if length < 2 or not d.ttest(attr, 2):
            d.nd_print_trunc()
            return
        kind, alen = d.u8(attr), d.u8(attr + 1)
        name = ATTR_TYPE[kind][0] if 0 < kind < len(ATTR_TYPE) else "Unknown"
        d.p(f"\n\t  {name} Attribute ({kind}), length: {alen}")
        if alen < 2:
            d.p(" (bogus, must be >= 2)")
            return
        if alen > length:
            d.p(" (bogus, goes past end of packet)")
            return
        d.p(", Value: ")
        if kind < len(ATTR_TYPE) and alen > 2 and ATTR_TYPE[kind][4] is not None:
            ATTR_TYPE[kind][4](d, attr + 2, alen - 2, kind)
        if d.opts.vflag > 1:
            d.print_unknown_data(attr + 2, "\n\t    ", alen - 2)
        length -= alen
        attr += alen


def radius_print(d: Dissector, dat: int, length: int) -> None:
    """radius_print(): without -v one line; with it the header, then the attributes."""
    d.protocol = "radius"
    if not d.ttest(dat, 20):            # ND_TCHECK_LEN(): its own trunc label
        d.nd_print_trunc()
        return
    rlen = d.u16(dat + 2)
    if rlen < 20:
        d.nd_print_trunc()
        return
    rlen = min(rlen, length)
    code = d.u8(dat)
    command = tok2str(RADIUS_COMMANDS, "Unknown Command", code)
    if not d.opts.vflag:
        d.p(f"RADIUS, {command} ({code}), id: 0x{d.u8(dat + 1):02x} length: {rlen}")
        return
    d.p(f"RADIUS, length: {rlen}\n\t{command} ({code}), id: 0x{d.u8(dat + 1):02x}, "
        f"Authenticator: {d.data[dat + 4:dat + 20].hex()}")
    if rlen > 20:
        radius_attrs_print(d, dat + 20, rlen - 20)
