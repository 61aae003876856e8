"""The recent rounds' oracle cases replayed whole, every run (the suite's slice of the
corpus, tests/test_bash_c_lines.py, holds only some of them; IPEMU_LONG=1 replays
all). Each case names its source on its first line; every expected text was recorded
on the project's Debian 12 machine with the oracle's recorder (record.py, `bash -c
LINE` on a pty), twice, the two recordings alike under diff.py's masks.

- tutorials36_, tutorials37_: public iproute2 tutorials and course labs, as a learner
  types them; tutorials36b_: more tutorials, man-page examples and course labs;
  tutorials36c_, tutorials37c_: tutorials in languages other than English;
  tutorials36d_: the host tools around iproute2 (ping, tracepath, tcpdump, sysctl,
  netstat);
- tutorials37b_: Q&A answers and cheat sheets (Stack Exchange and mirrors, net-tools to
  iproute2 sheets, address one-liners, sysfs and /proc views, -br -o -j -s -h -d);
- captures37_: tcpdump as tutorials use it, on traffic each case makes between
  namespaces (traceroute -U/-I/-T through routers, fragments, ND, TCP options and
  ECN, VXLAN, VLAN tags, announcements, the wait for an unreachable nameserver);
- tutorials38_: tutorials on link kinds beyond veth (macvlan/macvtap modes, vxlan with
  bridges and fdb entries, tun/tap, STP, txqueuelen, alias, group, link flags);
- captures38_: tcpdump's filters as tutorials and man pages write them, on traffic each
  case makes (host names from /etc/hosts, inbound/outbound beside -Q, named and mixed
  port ranges, short nets, protocol words, -d of them);
- tutorials38b_: man-page EXAMPLES (ip, ip-link, ip-address, ip-route, ip-neighbour,
  ip-netns, ip-ntable, ip-ioam, bridge, ss, tcpdump, tracepath, route, arp, netstat) run as
  written where a namespace allows, with the listings and the typos readers add;
- fuzz37_: what the differential fuzzer's round-37 families found (ip route and rule
  depth, IPv6, arp/netstat/ss, sysctls, bridge mdb, ip vrf, ip -batch -), each a
  generated sequence cut down;
- tutorials38c_: round 38's tutorials in languages other than English and the learner's
  mistakes (misspelt words, missing arguments, Ctrl-C and Ctrl-\\ as timeout's signals).
- fuzz38_: what the differential fuzzer's round-38 families found (link kinds and their
  options, ip link set combinations, bridge vlan/fdb, ip monitor beside changes), each
  a generated sequence cut down.
- fuzz38b_: what the round-38b families found (neighbour states walked by add/replace/
  change and their -s ages, references and flags; ip rule beside routes in tables);
- captures38b_: tcpdump on routing and neighbour traffic (reject routes and rules of
  both families through a router, ICMP errors written with -c -w and read back, ARP and
  ND through routers and proxies, errors quoting IP options, STALE entries probing,
  error rate limits, IPv6 redirects ignored and taken);
- tutorials38d_: tutorials on routing and neighbours (policy routing with rules and
  fwmark, ECMP, route types, static routes through a router namespace, route
  save/restore, neighbour states, static and gratuitous ARP, proxy NDP).
- tutorials39b_: traffic control tutorials on veths between namespaces (tbf shaping
  pings with its drops and overlimits, pfifo/bfifo limits, htb classes and u32 filters,
  ingress policing on a kernel without act_police, netem on one without netem, tc -p/-j/-g).
- tutorials39c_: Q&A answers and issue threads on errors and troubleshooting (File
  exists of default routes, Nexthop has invalid gateway, Network is unreachable,
  Cannot assign requested address, SIOC* errors of ifconfig and route, Destination
  Host Unreachable, IPv6 disabled or still tentative), the asker's failing sequence,
  the answer's fix, the checks.
- captures39_: tcpdump on application traffic (curl, wget, ssh, bash /dev/tcp against
  python3 -m http.server or nothing): handshakes, resets and stalls, credentials and
  headers read with -A and -v, ssh's IPQoS in the TOS byte and its banner, redirects,
  URL globs, POST data forms, proxies, link-local zones, MSS from the route.
- tutorials39_: IPv6 tutorials whole (link-local zones in ping/tracepath/traceroute,
  link-local next hops, route expires and pref, deprecated sources, privacy addresses,
  addrgenmode and DAD sysctls, NDP states, subnet-router anycast, hop limits, all-nodes
  pings, passthru macvlan with iif rules).
- fuzz39_: what the round-39 families found (tc qdiscs, classes and filters with their
  listings, sysctls beside the listings, netns moves, addresses and routes at link
  down/up/delete), each a generated sequence cut down.
- lead40_: what the lead's own fuzzing of the existing families found in round 40
  (fib_add_ifaddr()'s zeronet prefix, the order of NETDEV_DOWN's notifiers, vxlan's
  receive flags in vxlan_vni_in_use(), a host-scope onlink route without a device).
- lead41_: what the lead's own fuzzing found in round 41 (`bridge fdb add ... use` and
  `extern_learn`: br_fdb_update() and br_fdb_external_learn_add(); a port's dynamic
  entries go when it goes down whether or not anyone listens; IPv6 multipath reject
  routes and duplicate nexthops in one request: ip6_route_info_append(); a carrier lost
  while linkwatch holds the event leaves the routes without linkdown until it runs).
- lead42_: the lead's own cases of round 42 (a deleted fdb entry takes its sticky mark
  and times along: fdb_delete(); `bridge fdb flush` with sticky and nosticky; an IPv6
  address deleted announces its peer, local and prefix routes going: ip6_del_rt();
  `ip -6 route get` with a source and a device keeps the device for destinations
  rt6_need_strict() is: ip6_route_output_flags(); `ip link set group N up` changes
  its devices in one request: rtnl_group_changelink(); a background list's own `wait`
  at the prompt waits for the jobs it started, with `wait ID`'s status).
- lead43_: the lead's own cases of round 43 (a vxlan whose `local` is no address of
  the host fails every transmit's route lookup: TX and carrier errors; `ip -6 route get
  ... iif DEV` shows the route's preference: rt6_fill_node(); traceroute reads -s when
  it comes, with the family set so far, and names long options as typed; devlink and
  rdma on a kernel without their netlink families; a group request's linkwatch runs wait
  for its end; an address without DAD completes in the dad work, after the request).
- lead44_: the lead's own cases of round 44 (kill run as a program by xargs, env,
  sudo, a path, timeout, nohup, exec and ip netns exec is procps-ng's /usr/bin/kill:
  its parser, signal names and messages; an open vxlan device's kernel UDP socket
  in ss and netstat).
- lead45_: the lead's own cases of round 45 (`ip link set` with the flags and a later
  attribute: the queue length's, alias's, group's and master's messages come before
  the linkwatch run the carrier change queued; a port joining a bridge before that
  run is not live yet; ps in a pipeline sees the stages after it, a shell started as a
  command is a process of its own, or the shell it was exec'd in place of).
- tutorials39d_: net-tools, ss and netstat tutorials whole (ss state filters and their
  abbreviations, netstat's resolved names, -W and -e columns, ifconfig aliases, arp and
  hostname -I beside a peer namespace).
- captures39b_: tcpdump on layer 2 (bridges): BPDUs of stp_state 1 with llc/stp
  primitives and -XX/-vvv, BPDUs flooded by a bridge without STP, flooding before
  learning and with ageing_time 0, ether broadcast/multicast/proto filters, -Q on
  ports and the flood flags, a promiscuous bridge against `tcpdump -p -i br0`,
  topology change flags and TCNs, BPDU guard and root_block, `-i any` of a bridge
  (cooked: no ether filters), static and sticky fdb entries steering a capture, a
  host taking the bridge's own address (never learnt, frames to it kept local).
- tutorials40c_: routing Q&A answers and tutorials whole (two uplinks with tables and
  `from`/`to` rules, rp_filter beside them, null routes with route and ip, route
  get with from/iif/mark, ECMP and metrics, route flush/save/restore, route -n).
- fuzz39b_: what round 39b's outputs39b family found (listings under option matrices:
  `ip -0` dumps, changes and prefixes, tc filter/chain show with no device, -N in
  neighbours and nexthops).
- captures40_: tcpdump's options and filter expressions from tutorials and cheat
  sheets (-V lists, pppoes, protocol numbers, traceroute -U's fixed port, ...).
- tutorials40_: link-type tutorials on a kernel without bonding, 8021q, dummy or ipvlan
  (bonding through sysfs: bonding_masters and the EACCES/EPERM of sysfs, RPS/RFS and
  AF_XDP queues of multi-queue veths, the sysfs-class-net ABI on each kind, ip-link(8)
  flags on macvlan/macvtap/ifb ports of a bridge, a device's sysfs walked by find and
  grep -r in kernfs order).
- fuzz40_: what round 40's links40 and neigh40 families found (a macvlan's max_mtu,
  ip6gre/bareudp words, the ff02::16 entries MLD reports build on links not ready).
- tutorials40b_: tunnel tutorials whole on a kernel whose only tunnel is vxlan (VXLAN
  MTU and fragmentation, path MTU taught by the VTEP, df set/inherit, bridged VTEPs'
  own need-to-frag, IPv6 underlays, fdb entries of the other family, ip -6 tunnel).
- fuzz41_: what round 41's send41 and routeget41 families found (ip route get with
  each selector: cacheinfo users, 0.0.0.0, input fibmatch, groups and the limited
  broadcast, ipproto rules; traceroute with local EMSGSIZE, fragments, --back, -s).
- tutorials40d_: network namespace tutorials whole (ip netns add/list/set/list-id/
  attach/identify/-all exec, nsenter --net, cleanup loops, umount of /run/netns names).
- tutorials41b_: statistics and monitoring tutorials (ip -s/-s -s/-h/-j on veths and
  bridges after pings of known sizes, drops and nohandler frames, mcast counts, nstat
  history, /proc/net/snmp6 and dev_snmp6, sysfs statistics, ss -s, netstat -i/-s,
  ip/bridge monitor with -t/-ts beside changes, neighbour flushes announced).
- tutorials41c_: sysctl tutorials (arp_announce and the arp_ignore levels,
  proxy_arp_pvlan on isolated bridge ports, icmp_errors_use_inbound_ifaddr,
  bc_forwarding, secure_redirects/shared_media, echo_ignore on IPv4 and IPv6,
  disable_ipv6 through all/default, /proc/sys writes and their errors).
- captures41_: public capture files read with `tcpdump -r` as switch-port tutorials read
  them (CDP/LLDP filters, LLDP-MED, DCBX and MUD TLVs, Rapid PVST+ and DTP of a trunk,
  UDLD and VTP under -v, -T rtp/rtcp/vat/domain/tftp, PTP, BFD and PAUSE frames,
  OpenFlow, MACsec and SRv6-carried Ethernet, PIMv1, DVMRP, auto-RP and sFlow),
  each file written by `base64 -d` on the case's first lines.
- tutorials41_: bridge tutorials whole (vlan_filtering access and trunk ports, self VLANs,
  ranges, per-VLAN states and counters, fdb kinds and ageing, port flags, isolated,
  hairpin with VEPA macvlans, backup ports, STP timers and loops, sysfs bridge/ and
  brport/ writes, the IGMP querier and the v2 reports and leaves of hosts that hear it).
- tutorials41d_: networking course labs and assignments as students type them (the
  handouts' slips and their errors, peer addresses, traceroute and its --back, -e,
  -M over an asymmetric path, tcpdump's name lookups, arp, ip -br and -c).
- tutorials41e_: container networking from scratch, whole (docker0/cni0 bridges made by
  hand, Calico-style /32 pods with proxy_arp, two nodes with pod routes, moves into and
  between namespaces, nsenter and /run/netns links, MTU choices, the host's docker CLI
  without a daemon, what cleanup leaves, the Kubernetes prerequisites: sysctl --system).
- fuzz41b_: round 41's send41/routeget41 and the older families again, seeds 495000 up.
- tutorials42b_: policy routing and multi-homing tutorials whole (tables named in a home
  copy of rt_tables bind-mounted over /etc's, from/to/fwmark/goto/nop rules, reject routes
  in tables with pings, metric failover and ignore_routes_with_linkdown, multipath
  hashing with a fixed seed, the dead legs of both families).
- scripts42_: what round 42's public-script transcripts (transcripts/scripts/scripts42_*)
  brought, cut down: UTS namespaces (unshare -u, nsenter -u), mawk's time functions.
- tutorials42_: MTU, path MTU and fragmentation tutorials whole (a bridge whose ports
  differ in MTU under br_netfilter, the IP fragmentation lab's traceroute sizes, cached
  routes with -d and table all, mtu lock, ip_no_pmtu_disc modes, IPv6's 1280 floor,
  ping -6's -M strategies and payload limit, tracepath -6 through a 1280 link).
- tutorials42d_: a third pass over tutorials in other languages (Chinese netns guide, German
  ip route chapter, Spanish ip abbreviations and ip neigh, Korean and Portuguese tcpdump
  option lists, Russian bridge/bond wiki, Japanese bridge, IPIP ttl inherit, router TTL
  and traceroute labs), whole, with the reader's slips; and a Japanese page's rule that
  commands are typed half-width, broken with the IME in full-width mode (names through
  getaddrinfo()'s IDN and /etc/hosts, numbers through C's strtol()/strtod()).
- fuzz42_: round 42's traffic families (vlanbr42, macvlan42, vxlan42), seeds 500000 up.
- tutorials42c_: ARP and neighbour tutorials whole (the neighbour tunables of a
  namespace without neigh/default, /proc/net/arp's flags, a gateway gone INCOMPLETE and
  FAILED and set by hand, IPv6 neighbours and their timers, arping's modes and a down
  interface, locktime and announcements, ucast/mcast/mcast_resolicit probes on the wire).
- captures42_: tcpdump's own test captures and crafted ones read back as routing,
  tunnel and OAM labs read them (IS-IS, CLNP/ES-IS, Cisco HDLC and PPP serial links,
  MPLS filters, PPTP, VXLAN-GPE/NSH, Mobile IPv6, Babel/AHCP, DCCP, CFM, RPKI-RTR).
- tutorials42f_: macvlan, macvtap and VXLAN tutorials whole (macvlan modes and source
  lists between namespaces, macvtap's sysfs, VXLAN multicast, bridged and fdb-only).
- tutorials42e_: the lesser-used ip objects from their man pages (ip -6 rule selectors,
  mroute/mrule, sr, netconf, addrlabel/token/ntable, l2tp/fou, link xstats/afstats) and
  the tcp_metrics cache that connections to python3 -m http.server fill.
- fuzz42b_: round 42's families again (and round 39-41's), seeds 540000 up.
- captures43_: tcpdump's test captures and crafted ones of the link types labs capture
  (Linux DSA/Broadcom switch tags, NFLOG, vsockmon, IPoIB, Frame Relay with LMI and
  FRF.16, SLIP/CSLIP, serial PPP) and OSPF-TE/grace LSAs and AODV, read back.
- tutorials43_: IPv6 addresses over time (lifetimes counting down to deprecated and
  gone, with ip -6 monitor; DAD and accept_dad/dad_transmits/optimistic_dad, dadfailed
  between namespaces, a dynamic address deleted when DAD fails; temporary addresses
  regenerated and clamped; addrgenmode random/none and stable_secret; flag filters).
- fuzz43_: round 43's families (policy routing and traffic sysctls over two ways out,
  IPv6 addresses against a peer that answers DAD), seeds 550000 up.
- tutorials43b_: ping, traceroute and tracepath options whole (traceroute's methods
  -M raw/udplite/tcpconn/dccp, -P, -UL, -O per module and -O help, -A, --fwmark,
  packetlen errors, -w 0; Debian's tcptraceroute wrapper).
- scripts43_: what round 43's public-script transcripts (transcripts/scripts/scripts43_*)
  brought, cut down: mkfifo and named pipes, /proc/sys/kernel/random.
- scripts47_: what round 47's public-script transcripts (transcripts/scripts/scripts47_*)
  brought, cut down: `wait PID` of a job that ended meanwhile, the job table in subshells,
  exported functions in the environment and `_` unexported by bind_lastarg().
- scripts48_: what round 48's public-script transcripts (transcripts/scripts/scripts48_*)
  brought, cut down: printf's and awk's integer conversions as glibc's (`%#x` of 0, a
  precision with the 0 flag, `%.0d` of 0), printf %q of UTF-8 text and invalid bytes,
  xargs' read_line() quotes and -t's quotearg quoting.
- scripts49_: what round 49's public-script transcripts (transcripts/scripts/scripts49_*)
  brought, cut down: the RETURN trap at the end of . and source, `${#NAME[@]}` under
  set -u (and report_error()s ending a script under set -e), timeout's options and -v.
- scripts44_: what round 44's public-script transcripts (transcripts/scripts/scripts44_*)
  brought, cut down: net.core.rps_default_mask per namespace, vxlan fdb entries' ndm
  flags and flushes by them, `ip -s route flush cache`'s statistics.
- tutorials43d_: jq 1.6 as tutorials, its manual and its issues use it over ip's JSON
  (def, slices, $ARGS, --args/--seq/--stream/-f/--slurpfile, error and parse texts,
  IEEE754 numbers as jvp_dtoa_fmt() prints them).
- tutorials43c_: traffic control tutorials, second pass (size tables with stab,
  pfifo_head_drop, the cBPF classifier with tcpdump -ddd bytecode, estimators).
- captures44_: capture files of ATM, Juniper, RSVP-TE, LMP, GeoNetworking, TIPC and
  AppleTalk ARP labs (tcpdump's tests and crafted ones) read back, and `file` on them.
- captures45_: capture files of Wi-Fi (radiotap WPA handshake, a beacon), DECnet Phone,
  AppleTalk (EtherTalk, LocalTalk, KIP), ARCNET, Zephyr and lwres read back.
- captures46_: tcpdump on application protocols sent with python3 sockets between
  namespaces (DNS answers, NTP, SNMP, TFTP, DHCP; SO_BROADCAST/SO_BINDTODEVICE).
- captures47_: tcpdump's printing options on saved and live captures (-# -e -q -x -xx
  -X -XX -A -K -N --count --number --nano, -s truncation, -w - | -r -), -d/-dd/-ddd,
  and libpcap 1.10's `ifindex` on the any device, a veth and savefiles.
- captures48_: live captures started with `&` and ended by signals (kill $!/%1/%NAME,
  INT, TERM, HUP, nohup, PIPE, USR1's one-line counts, USR2's flush), -w files while
  they run (stdio's 4096-byte blocks, -U), -C/-W size rings, -D/-L/-J/-j/-B/-p/-y
  errors, -U -w - pipes, IPv6 on any.
- tutorials44_: bridge tutorials, second pass (VLAN trunks with self, vid ranges, fdb
  filters/get/replace/flush, mdb, port options, STP over time, bridge monitor, sysfs
  reads, port numbers reused after a port leaves, priority changed with ports down).
- tutorials44c_: Q&A answers on errors and troubleshooting, second pass (gateways off
  the link and onlink, devices down, rules and tables, bridge timers out of range,
  broadcast pings, and name lookups that wait for the nameserver behind a silent
  gateway: hostname, getent, arping, ssh).
- fuzz44_: round 44's families (pings through a bridge with fdb entries, link
  properties, neighbour entries through their states with pings), seeds 560000 up.
- tutorials44d_: net-tools, ss and netstat tutorials, second pass (ss -m's skmem and the
  Process column's width, ifconfig aliases and inet6 del without inet6_dev, route,
  arp with proxy entries on a device, netstat's options, hostname).
- tutorials44b_: a fourth pass over tutorials in other languages (Turkish, Chinese, German,
  French, Portuguese, Japanese, Russian: route tables and types, route(8)'s examples, ip
  neigh's man page, tcpdump flag tables, vxlan, netem, ip's option list, ip monitor while
  a veth end moves to a namespace that is then deleted).
- fuzz45_: round 45's family router45 (a router namespace with traffic crossing it,
  traceroute/tracepath and the counters the traffic leaves), seeds 570000 up.
- fuzz46_: round 46's family linkmon46 (several attributes in one `ip link set` under `ip
  monitor`: do_setlink()'s notifications before a failure, a port's AF_BRIDGE IFLA_LINK,
  lo's first 127.0.0.1, a port's broadcast and MAC changes, a bridge going down with
  ports, a rename's RTM_NEWADDRs), seeds 580000 up.
- fuzz47_: round 47's families samepfx47 (routes of one prefix by add/replace/change/
  append/prepend/del) and addrset47 (IPv4 primaries, secondaries, labels, peers,
  broadcasts, promotion), seeds 590000 up.
- fuzz48_: round 48's families aux48 (ip addrlabel/token/tuntap: tokens on a device
  without an inet6_dev, `ip -4 addrlabel` as AF_INET requests) and ruledel48 (rules
  deleted by parts of their selectors), seeds 600000 up.
- fuzz49_: round 49's family rtlife49 (routes under their devices' and addresses'
  changes: multipath nexthops dead after the last address or disable_ipv6, `show dev`
  of multipath routes, IPv6 routes on a device without inet6_dev), seeds 610000 up.
- tutorials45e_: IPv6 tutorials, third pass (multicast groups and /proc/net/igmp6 and
  anycast6, local routes in table main, AnyIP, routers of three namespaces with
  traceroute6, PMTU, reject types and proxy NDP, router solicitations, MTU below 1280,
  the HOWTO's address and route mistakes, addr_gen_mode across link down and up).
- tutorials45b_: policy routing and nexthop objects, second pass (IPv6 nexthops and groups,
  the pcpu route a nexthop shares between its routes, fwmark rules by table name, ip -6
  rule selectors, ip monitor nexthop with flushes, ECMP across router namespaces).
- tutorials45_: network namespace tutorials, second pass (ll /var/run/netns as ls -alF,
  ip -all netns exec of a missing program, /proc/self/ns and cmp of inode numbers,
  nsid set/list-id, three namespaces as a router, loopback down in a new namespace).
- tutorials45d_: tcpdump on live traffic, second pass (bridge ports and -i any while
  namespaces ping, the statistics lines after SIGTERM and -c, -Q/--direction, -w with
  --print then -r with filters, ICMP errors from UDP and traceroute, TCP handshakes).
- tutorials45c_: traffic control tutorials, third pass (u32 filters with a flowid and
  actions, mirred to a device down or deleted, a tbf changed while it holds a packet,
  netem/matchall/gact and the other qdiscs this kernel lacks).
- tutorials46e_: Q&A errors, third pass, and tutorials in other languages, fifth pass
  (misspelt objects and options of ip/ss/tc/bridge/arp/route/ifconfig/ping/tcpdump,
  wrong families, duplicates, gateways off the link, route(8)'s error appendix, ss
  filters mistyped, -F files; Korean, Russian, Ukrainian, Chinese, Japanese, Italian,
  German and Portuguese pages as written).
- tutorials46c_: VRF, VXLAN and tunnels, second visit (vxlan changelink of the default
  remote after a `dev` change, port 8472 and OTV, groups moved, no underlay route,
  bridge vni, lightweight-tunnel encap ip through an external vxlan, ip vrf without vrf).
- tutorials46b_: ARP and neighbour tutorials, second visit (drop_gratuitous_arp and
  arp_accept, locktime and gratuitous overrides, arp_ignore/arp_filter on all versus the
  device, ip neigh protocol and proxy entries, arp -f files, ip -s neigh ages and
  flush -s -s, arp_notify seen by tcpdump -e, arping from macvlan and ipvlan, ip ntable
  change per device, arp(8) long options, filters and its dontpub/auto/trail words,
  which link events take neighbour and proxy entries).
- tutorials46_: bridge tutorials, third pass (bridge link set flags one by one and
  bridge_slave options read back from brif/ sysfs, timers and their ranges, a locked
  802.1X port opened by a static fdb entry, backup_port failover, neigh_suppress and
  proxy_arp answering ARP, the flood flags on the bridge's own frames, hub mode, mdb
  with snooping off, group_fwd_mask, monitor of port changes, port option errors).
- tutorials46d_: MTU and path MTU, second visit (ip link set mtu limits per link kind,
  ifconfig and sysfs; a path MTU learnt in two steps; IPv6 Packet Too Big and the
  sender's fragments; a router's fragments under tcpdump -v; ping and tracepath size
  limits; tracepath's `send failed` when a veth peer's MTU is smaller).
- lead46_: the lead's own round-46 case (tcpdump's stdout through stdio when it is a
  pipe or a file: held until the loop ends, flushed before the statistics; a running
  capture's file empty until then).
- tutorials47_: course labs and JSON output (a bridge LAN, a gateway, a router and two routers
  between subnets typed as lab sheets give them, traceroute/tracepath across; ip/bridge/
  tc -j and -p through python3 -m json.tool, python3 -c and jq idioms; python3's
  subprocess (run, Popen, getoutput)/os.popen/os.system/shlex/pprint reading ip's
  output, with subprocess.py's tracebacks; jq's halt_error with a non-number code and
  @base64d of bytes that are not UTF-8).
- tutorials47b_: network namespaces, a further visit (devices moved by pid and by path,
  the paths -n and netns_get_fd() open: `..`, '', a trailing '/', /run/netns itself;
  which device kinds move, attributes applied with the move, a deleted name whose
  namespace a process keeps, -n spellings, odd names, ss -N and bridge/tc -n switching).
- tutorials47d_: traffic control, fourth pass (tbf's tldr/man forms with show/-s/-d/
  change/replace and its missing-parameter errors, u32 selectors and hash tables from
  the man page and the Habr article, u32/unknown-kind filter errors, ingress vs clsact,
  htb class errors, pfifo_fast/pfifo_head_drop, netem/prio/fq_codel absent here, a
  three-namespace router lab with tbf counters, an htb+u32 lab's leaf counters, tbf
  rates up to 100gbit, `tc qdisc show invisible`, tc -j through json.tool and jq).
- tutorials47e_: IPv6 tutorials, a further visit (link-local pings with -I and %zone,
  link-local default gateways, hop_limit sysctls, NS/NA captures, addr flush selectors,
  -j/-br listings, ping -6 options and ICMPv6 errors through a router, tracepath -6,
  neighbour errors, a prefix route left expired by `ip -6 addr change` of a lifetime,
  v4-mapped destinations of ping6).
- tutorials47c_: policy routing and multipath, third pass (rule actions, goto chains,
  default priorities and [detached] devices, tos/dsfield routes and rules, port/uid
  rules, route get JSON, weighted multipath v4/v6, nexthop groups, fdb and resilient
  buckets in JSON, tables at their limits, source routing labs with rp_filter, -c colours
  of rules and route get).
- lead48_: the lead's own round-48 cases (an IPv4 multipath route's own onlink, fi->
  fib_flags, beside its nexthops' own; IPv6's given to each nexthop; a bridge loop
  without STP: the storm bounded, DAD passing on the looped probes' own nonce;
  tcpdump -d of link/wlan/fddi/tr/ppp/slip, libpcap's one LINK token; -d of inbound/
  outbound/ifindex on a dead pcap_t: the kernel's loads, refused only for a savefile).
- qa48_: Q&A askers' sequences and non-English tutorials (route's SIOC* errors and
  usage, Nexthop has invalid gateway, tc qdisc exclusivity and handles, ip addr/link/
  rule/neigh/netns mistakes, ss filters and wrong states, ping option ranges, tcpdump
  filter syntax errors, bridge enslaving errors, get-my-IP one-liners, sysctl spellings,
  ifconfig aliases and tuntap, route save/restore and -batch, IPv6 gateways, arping -D,
  manual ip xfrm, capture-file errors, namespaces in loops).
- tutorials49_: namespace tutorials not yet visited (Chinese, Japanese notes, CNI-style
  bridges, macvlan bridge mode on a veth with its lower end in a third namespace,
  `ip ns` and `ip netns exec ip ...` typos, the name `br` read as `broadcast`,
  macvlan lower refusing a bridge master, ifconfig over namespaces, an unanswered
  who-has under tcpdump -e; a veth MTU mismatch: the refused first piece of a
  fragmented reply ends ip_do_fragment() and ip6_fragment(), FragFails, OutDiscards).
- qa49_: Q&A askers' sequences and non-English tutorials, round 49 (RTNETLINK route
  errors, bridge master/nomaster, arp -s and ip neigh add, ping/tcpdump/ss/tc error
  texts, ip abbreviations, sysfs reads, route get corners, netns ids, ping -R/-T/-f,
  tcpdump print flags, macvlan host shim: a bridge-mode sibling's ARP reply first).
- tunnels48_: virtual devices on a kernel with only macvlan/macvtap, vxlan, ifb, veth,
  bridge and tun (vxlan options, changelink, fdb entries, IPv6 scopes and a lower
  device without IPv6, learning across namespaces and over link-local underlays,
  shared group memberships; macvlan/macvtap modes, source lists and tap character
  devices; tuntap sysfs; ip tunnel, vrf, ipvlan, gre and the other kinds missing).
- bridges48_: bridges and VLANs, a further visit (bridge options and their ranges, ports'
  flags and bridge_slave options, fdb add/replace/del, mdb entries and IGMP snooping, STP
  BPDUs and root election, flooding, isolation and ageing seen from namespaces, master
  errors, STP failover, 802.1Q and 802.1ad frames read back with -e and vlan filters, VLAN
  commands on a kernel without bridge VLAN filtering).
- neigh48_: ARP and neighbours (ip neigh get/show selectors/syntax slips, master and vrf,
  -s ages, arp -i/-e/-f/-H/-D and its errors, arping's options and slips, ip ntable
  change of times kept in jiffies and read back by /proc/sys, locktime against a
  changed MAC, short timers through STALE/DELAY/PROBE, FAILED probes, proxy ARP and
  proxy NDP, the NA router flag, devices with arp off).
- nettools48_: net-tools and tracing (ifconfig aliases and -v warnings, route -ee/reject/
  metrics, netstat -i/-ie/-g/-s, failed name lookups counted in OutNoRoutes, ss on a
  listener, tracepath/traceroute -F/--mtu (UDP and -I) across a smaller-MTU router,
  `* * *`, !N/!X rows).
- sockets49_: ss -K (SOCK_DESTROY: tcp_abort() on listeners, established ends and
  their peers' resets, the owners' ECONNABORTED, ECONNRESET then SIGPIPE writes),
  /proc/net/tcp's TIME_WAIT and LISTEN lines, ss -i on listeners and the congestion
  control each keeps, tcp_congestion_control refusing algorithms not allowed
  outside init_net, /proc/net/sockstat(6) counting the namespace's sockets.
- tc49_: traffic control, further corners (netem/tbf/prio/hfsc/drr/qfq option parsing and
  usages before a kernel without those qdiscs refuses them, htb default/-s/-d class show,
  u32 hash tables, clsact + flower, standalone actions, basic's ematch trees).
- bpf49_: tcpdump -d/-dd/-ddd of gencode.c's generators not ported before (mpls nested,
  llc i/s/u and subtypes, the OSI words, ipx/atalk/aarp, decnet hosts, protochain,
  geneve) on Ethernet and the any device (cooked v1/v2), and -r of DECnet/MPLS/LLC frames.
- ipv6n49_: IPv6 beyond addresses (link-local pings with and without a zone, ND states,
  proxy NDP, addrgenmode and stable_secret, route pref/metric/mtu/expires, route get with
  from/oif/iif, ip -6 rule, a forwarding router's ICMPv6 errors, tracepath/traceroute -6).

The fixes each round made have their own tests beside (test_tutorials36c.py,
test_tutorials37.py, test_tutorials37c.py, test_scripts37.py, test_tutorials38.py,
test_tutorials38b.py, test_tutorials38c.py, test_captures38b.py, test_tutorials38d.py,
test_tutorials39b.py, test_tutorials39c.py, test_captures39.py, test_tutorials39.py,
test_tutorials39d.py, test_captures39b.py, test_fuzz39b.py, test_captures40.py,
test_tutorials40.py, test_tutorials40c.py, test_fuzz40.py, test_tutorials40b.py,
test_tutorials40d.py, test_tutorials41b.py, test_tutorials41c.py, test_fuzz41.py,
test_captures41.py, test_tutorials41.py, test_tutorials41d.py, test_tutorials41e.py,
test_fuzz41b.py, test_tutorials42b.py, test_scripts42.py, test_tutorials42.py, test_tutorials42d.py, test_fuzz42.py, test_tutorials42c.py, test_captures42.py,
test_tutorials42f.py, test_tutorials42e.py, test_fuzz42b.py, test_captures43.py, test_tutorials43.py, test_tutorials43b.py, test_tutorials43d.py, test_tutorials43c.py, test_captures44.py, test_tutorials44.py, test_tutorials44c.py, test_fuzz44.py, test_tutorials44d.py, test_tutorials44b.py, test_scripts44.py, test_fuzz45.py, test_tutorials45e.py, test_captures45.py, test_tutorials45b.py, test_tutorials45.py, test_tutorials45d.py, test_tutorials45c.py, test_tutorials46e.py, test_tutorials46b.py, test_fuzz46.py, test_scripts46.py, test_tutorials47d.py, test_scripts47.py, test_tutorials47b.py, test_tutorials47e.py, test_qa48.py, test_tunnels48.py, test_scripts48.py, test_neigh48.py, test_scripts49.py, test_ipv6n49.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import test_bash_c_lines  # noqa: E402

# each prefix and how many cases its round recorded at least
PREFIXES = {"tutorials36_": 12, "tutorials36b_": 12, "tutorials36c_": 12, "tutorials36d_": 10,
            "tutorials37_": 12, "tutorials37b_": 12, "tutorials37c_": 12, "captures37_": 20,
            "fuzz37_": 20, "tutorials38_": 12, "captures38_": 8, "tutorials38b_": 17,
            "tutorials38c_": 10, "fuzz38_": 18, "captures38b_": 10,
            "tutorials38d_": 19, "fuzz38b_": 5, "tutorials39b_": 23,
            "tutorials39c_": 27, "captures39_": 16, "tutorials39_": 27, "fuzz39_": 11,
            "tutorials39d_": 9, "captures39b_": 14, "fuzz39b_": 5,
            "lead40_": 4, "captures40_": 10, "tutorials40_": 11, "tutorials40c_": 11, "fuzz40_": 9, "tutorials40b_": 11,
            "tutorials40e_": 11, "tutorials40d_": 14, "lead41_": 7, "tutorials41b_": 20, "tutorials41c_": 20, "captures41_": 9, "fuzz41_": 8, "tutorials41_": 20, "tutorials41d_": 9, "tutorials41e_": 17, "tutorials41f_": 7, "fuzz41b_": 4, "lead42_": 6, "tutorials42b_": 25, "scripts42_": 2, "tutorials42_": 12, "tutorials42d_": 13, "fuzz42_": 13, "tutorials42c_": 17, "captures42_": 5, "tutorials42f_": 11, "tutorials42e_": 10, "fuzz42b_": 4, "lead43_": 6, "captures43_": 5, "tutorials43_": 32, "fuzz43_": 6, "tutorials43b_": 7, "scripts43_": 2, "tutorials43d_": 9, "tutorials43c_": 11, "lead44_": 4, "captures44_": 5, "tutorials44_": 24, "scripts44b_": 1, "tutorials44c_": 8, "fuzz44_": 12, "tutorials44d_": 15, "tutorials44b_": 14, "scripts44_": 3, "lead45_": 2, "fuzz45_": 2, "tutorials45e_": 19, "captures45_": 5, "tutorials45b_": 8, "tutorials45_": 21, "tutorials45d_": 15, "tutorials45c_": 13, "tutorials46e_": 19, "tutorials46c_": 13, "tutorials46b_": 18, "fuzz46_": 8, "captures46_": 10, "tutorials46_": 14, "tutorials46d_": 6, "lead46_": 1, "tutorials47_": 14, "tutorials47b_": 14, "tutorials47d_": 14, "tutorials47e_": 23, "captures47_": 13, "scripts47_": 2, "fuzz47_": 7, "tutorials47c_": 25, "lead48_": 4, "fuzz48_": 6, "qa48_": 28, "tunnels48_": 35, "captures48_": 8, "bridges48_": 24, "scripts48_": 3, "scripts49_": 3, "neigh48_": 19, "nettools48_": 10, "sockets49_": 9, "tutorials49_": 14, "fuzz49_": 9, "qa49_": 27, "tc49_": 16, "bpf49_": 10, "ipv6n49_": 23}
CASES = [p for p in corpus.oracle_cases() if p.stem.startswith(tuple(PREFIXES))]


def test_each_round_has_its_cases():
    for prefix, least in PREFIXES.items():
        assert sum(p.stem.startswith(prefix) for p in CASES) >= least, prefix


@pytest.mark.parametrize("cmds", CASES, ids=lambda p: p.stem)
def test_the_rounds_cases_replay_whole(cmds):
    test_bash_c_lines.test_lines_print_what_the_oracles_recorder_recorded(cmds)
