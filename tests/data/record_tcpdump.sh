#!/bin/bash
# Records the tcpdump fixtures in this folder from real traffic (tcpdump 4.99.3,
# libpcap 1.10.3): captures in fresh network namespaces, then what `tcpdump -r` prints
# for each option set and filter. Run as root:  bash tests/data/record_tcpdump.sh
# Everything happens inside `unshare -n`: the host's network is never touched.
# `record_tcpdump.sh outputs` keeps the captures and records only what tcpdump prints.
#
# Outputs (all in this folder):
#   *.pcap                      captures
#   print_cases.txt             one line per case: PCAP<TAB>OPTIONS<TAB>EXPECTED-FILE
#   print/*.txt                 stdout of `tcpdump -r PCAP OPTIONS`
#   filter_cases.txt            PCAP<TAB>FILTER<TAB>STATUS<TAB>EXPECTED-FILE (stdout+stderr)
#   filter/*.txt
set -u
DATA=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" != inner ]; then
    exec unshare -n --mount --propagation private bash "$0" inner "${1:-all}"
fi
WHAT=$2
[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] || { echo "not in a new netns" >&2; exit 1; }
mount -t tmpfs tmpfs /run
export TZ=UTC LC_ALL=C.UTF-8
WORK=$(mktemp -d)
cd "$WORK"
ip link set lo up
if [ "$WHAT" = outputs ]; then
    # any.pcap (LINUX_SLL2) names interfaces by ifindex: give them back their indexes.
    ip link add veth0 type veth peer name veth1
    ip link add veth2 type veth peer name veth3
    cd "$DATA"
fi

capture() {  # capture SECONDS FILE TCPDUMP-ARGS...  (background)
    local secs=$1 file=$2; shift 2
    timeout -s INT "$secs" tcpdump -w "$file" "$@" >/dev/null 2>&1 &
}

if [ "$WHAT" != outputs ]; then
# 1. veth pair between the main namespace and ns1, fixed MACs: ARP, ICMP echo,
#    IPv6 background traffic after link-up (MLDv2, DAD NS, RS), ND, ping -6, UDP to a
#    closed port (port unreachable), TCP to a closed port (SYN, RST), fragments.
ip netns add ns1
ip link add veth0 type veth peer name veth1
ip link set veth1 netns ns1
ip link set dev veth0 address 02:00:00:00:00:0b
ip -n ns1 link set dev veth1 address 02:00:00:00:00:0c
ip addr add 192.168.2.11/24 dev veth0
ip -n ns1 addr add 192.168.2.12/24 dev veth1
ip -n ns1 link set lo up
ip link set veth0 up
capture 16 veth.pcap -i veth0
sleep 1
ip -n ns1 link set veth1 up
sleep 3
ping -c 2 -i 0.2 192.168.2.12 >/dev/null
ping -6 -c 2 -i 0.2 fe80::ff:fe00:c%veth0 >/dev/null
echo hello > /dev/udp/192.168.2.12/9999
timeout 2 bash -c 'echo > /dev/tcp/192.168.2.12/80' 2>/dev/null
ip -n ns1 addr add 2001:db8::c/64 dev veth1 nodad
ip addr add 2001:db8::b/64 dev veth0 nodad
sleep 0.2
echo hello6 > /dev/udp/2001:db8::c/9999
ping -c 1 -s 2000 192.168.2.12 >/dev/null
ping -c 1 -s 1000 -p 41424344 192.168.2.12 >/dev/null
ip netns exec ns1 ping -c 1 -b 192.168.2.255 >/dev/null 2>&1
wait

# 2. ping to an unassigned on-link address: ARP requests on veth2, ICMP host
#    unreachable over lo; ping to the host's own address over lo; `-i any` captures.
ip link add veth2 type veth peer name veth3
ip link set dev veth2 address 02:00:00:00:00:02
ip link set dev veth3 address 02:00:00:00:00:03
ip addr add 10.9.0.1/24 dev veth2
sysctl -qw net.ipv6.conf.veth2.disable_ipv6=1 net.ipv6.conf.veth3.disable_ipv6=1
ip link set veth2 up
ip link set veth3 up
sleep 1
capture 8 unreach_veth.pcap -i veth2
capture 8 unreach_lo.pcap -i lo
capture 8 any.pcap -i any
capture 8 any_sll.pcap -i any -y LINUX_SLL
sleep 1
ping -c 3 10.9.0.2 >/dev/null
ping -c 2 -i 0.2 10.9.0.1 >/dev/null
wait

# 3. two hosts and a router: ttl 63, time exceeded, net/host/port unreachable, IPv4
#    and IPv6 (IPv6 on with nodad global addresses).
for n in h1 r h2; do ip netns add $n; ip -n $n link set lo up; done
ip link add a0 type veth peer name a1
ip link add b0 type veth peer name b1
ip link set a0 netns h1; ip link set a1 netns r
ip link set b0 netns r; ip link set b1 netns h2
ip -n h1 link set a0 address 02:00:00:00:01:01
ip -n r link set a1 address 02:00:00:00:01:02
ip -n r link set b0 address 02:00:00:00:02:01
ip -n h2 link set b1 address 02:00:00:00:02:02
ip -n h1 addr add 10.0.1.2/24 dev a0
ip -n r addr add 10.0.1.1/24 dev a1
ip -n r addr add 10.0.2.1/24 dev b0
ip -n h2 addr add 10.0.2.2/24 dev b1
ip -n h1 addr add 2001:db8:1::2/64 dev a0 nodad
ip -n r addr add 2001:db8:1::1/64 dev a1 nodad
ip -n r addr add 2001:db8:2::1/64 dev b0 nodad
ip -n h2 addr add 2001:db8:2::2/64 dev b1 nodad
for x in "h1 a0" "r a1" "r b0" "h2 b1"; do set -- $x; ip -n $1 link set $2 up; done
ip -n h1 route add default via 10.0.1.1
ip -n h2 route add default via 10.0.2.1
ip -n h1 -6 route add default via 2001:db8:1::1
ip -n h2 -6 route add default via 2001:db8:2::1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sleep 3
ip netns exec h1 timeout -s INT 14 tcpdump -i a0 -w router.pcap >/dev/null 2>&1 &
sleep 1
ip netns exec h1 ping -c 1 10.0.2.2 >/dev/null
ip netns exec h1 ping -c 1 -t 1 10.0.2.2 >/dev/null
ip netns exec h1 ping -c 1 -W 1 10.0.9.9 >/dev/null
ip netns exec h1 bash -c 'echo x > /dev/udp/10.0.2.2/33434'
ip netns exec h1 ping -6 -c 1 2001:db8:2::2 >/dev/null
ip netns exec h1 ping -6 -c 1 -t 1 2001:db8:2::2 >/dev/null
ip netns exec h1 ping -6 -c 1 -W 1 2001:db8:9::9 >/dev/null
ip netns exec h1 bash -c 'echo x > /dev/udp/2001:db8:2::2/33434'
ip netns exec h1 ping -c 1 -W 5 10.0.2.99 >/dev/null
ip netns exec h1 ping -6 -c 1 -W 5 2001:db8:2::99 >/dev/null
wait
cp veth.pcap unreach_veth.pcap unreach_lo.pcap any.pcap any_sll.pcap router.pcap "$DATA/"
fi

# What tcpdump prints for them.
cd "$DATA"
rm -rf print filter
mkdir -p print filter
: > print_cases.txt
PRINT_OPTS=("-n" "-nn" "" "-n -e" "-e" "-n -v" "-n -vv" "-v" "-n -q" "-n -q -e" "-n -t"
    "-n -tt" "-n -ttt" "-n -tttt" "-n -ttttt" "-n -x" "-n -xx" "-n -X" "-n -XX" "-n -e -v"
    "-nn -vv -e" "-n -vv -X" "-q" "-n -v -q" "-n -e -x")
for pcap in veth.pcap unreach_veth.pcap unreach_lo.pcap any.pcap any_sll.pcap router.pcap; do
    for opts in "${PRINT_OPTS[@]}"; do
        name="${pcap%.pcap}$(echo " $opts" | tr -d ' ' | tr '-' '_').txt"
        # shellcheck disable=SC2086
        tcpdump -r "$pcap" $opts > "print/$name" 2>/dev/null
        printf '%s\t%s\t%s\n' "$pcap" "$opts" "print/$name" >> print_cases.txt
    done
done

: > filter_cases.txt
i=0
while IFS= read -r filt; do
    [ -z "$filt" ] && continue
    case "$filt" in \#*) continue;; esac
    for pcap in veth.pcap router.pcap any.pcap; do
        i=$((i + 1))
        name=$(printf 'f%03d.txt' "$i")
        tcpdump -r "$pcap" -n "$filt" > "filter/$name" 2>"filter/err"
        status=$?
        grep -v '^reading from file' "filter/err" >> "filter/$name"
        printf '%s\t%s\t%s\t%s\n' "$pcap" "$filt" "$status" "filter/$name" >> filter_cases.txt
        # a syntax error does not depend on the file
        [ $status -ne 0 ] && break
    done
done < filter_exprs.txt
rm -f filter/err
