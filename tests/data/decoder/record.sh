#!/bin/bash
# Records the decoder's fixtures in this folder with the real tcpdump 4.99.3:
#   crafted*.pcap, gaps.pcap   packets made by craft.py (scapy: pip install -e '.[craft]')
#   crafted2.pcap, crafted_null.pcap, crafted_cut.pcap   made by craft2.py (second pass)
#   crafted3.pcap              made by craft3.py (IGMP, STP/LLC/SNAP, tunnels, VLANs, HTTP)
#   real_*.pcap                real traffic on lo in a fresh network namespace (ping, UDP
#                              to the ports tcpdump decodes, a DNS and an NTP exchange),
#                              whole, cut by `-s 80`, and as Linux cooked v1 (`-i any`)
#   out/PCAP_FLAGS.txt         what `tcpdump -r PCAP FLAGS` prints on stdout (TZ=UTC)
# Run as root:  PYTHON=.venv/bin/python bash tests/data/decoder/record.sh
# All traffic stays inside `unshare -n`: the host's network is never touched.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PYTHON=${PYTHON:-python3}
FLAGS=("-n" "-nv" "-nvv" "-ne" "-nx" "-nq" "-nX")

if [ "${1:-}" != inner ]; then
    "$PYTHON" "$HERE/craft.py" "$HERE"
    "$PYTHON" "$HERE/craft2.py" "$HERE"
    "$PYTHON" "$HERE/craft3.py" "$HERE"
    exec unshare -n bash "$0" inner
fi
[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] || { echo "not in a new netns" >&2; exit 1; }
export TZ=UTC LC_ALL=C.UTF-8
cd "$HERE"
ip link set lo up
sleep 1

# a DNS server and an NTP server on lo that answer one datagram each
python3 - <<'EOF' &
import socket, struct
dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); dns.bind(("127.0.0.1", 53))
ntp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); ntp.bind(("127.0.0.1", 123))
q, peer = dns.recvfrom(512)
answer = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\x7f\x00\x00\x01"
dns.sendto(q[:2] + b"\x85\x80\x00\x01\x00\x01\x00\x00\x00\x00" + q[12:] + answer, peer)
q, peer = ntp.recvfrom(512)
reply = bytes([0x24, 2, 6, 0xE9]) + struct.pack("!II", 0x10, 0x20) + socket.inet_aton("127.0.0.1")
reply += struct.pack("!II", 0xE8D8A000, 0x80000000) + q[40:48] + struct.pack("!IIII", 0xE8D8A001, 0, 0xE8D8A001, 0x40000000)
ntp.sendto(reply, peer)
EOF
SERVER=$!
sleep 1

tcpdump -i lo -w real_lo.pcap -U >/dev/null 2>&1 & T1=$!
tcpdump -i lo -s 80 -w real_lo_s80.pcap -U >/dev/null 2>&1 & T2=$!
tcpdump -i any -y LINUX_SLL -w real_any_sll.pcap -U >/dev/null 2>&1 & T3=$!
sleep 2
ping -c 2 -i 0.2 127.0.0.1 >/dev/null
ping -c 1 -s 300 127.0.0.1 >/dev/null
ping -6 -c 1 ::1 >/dev/null
python3 - <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07example\x03com\x00\x00\x01\x00\x01", ("127.0.0.1", 53))
s.recvfrom(512)
s.sendto(b"\x23" + bytes(39) + b"\xe8\xd8\xa0\x00\x00\x00\x00\x00", ("127.0.0.1", 123))
s.recvfrom(512)
EOF
for port in 53 67 514 520 123; do
    echo "hello port $port" > /dev/udp/127.0.0.1/$port || true
done
echo "<30>ipemu: a real syslog line" > /dev/udp/127.0.0.1/514 || true
sleep 1
kill -INT $T1 $T2 $T3
wait $T1 $T2 $T3 2>/dev/null || true
kill $SERVER 2>/dev/null || true

mkdir -p out
rm -f out/*.txt
for pcap in crafted.pcap crafted_sll.pcap crafted_raw.pcap gaps.pcap real_lo.pcap real_lo_s80.pcap \
        real_any_sll.pcap crafted2.pcap crafted_null.pcap crafted_cut.pcap crafted3.pcap; do
    for flags in "${FLAGS[@]}"; do
        tcpdump -r "$pcap" $flags > "out/${pcap%.pcap}_${flags#-}.txt" 2>/dev/null || [ "$pcap" = crafted_cut.pcap ]
    done
done
# names without -n (services, SNMP OIDs from mib.h); lookups fail at once in this netns
tcpdump -r crafted2.pcap -v > out/crafted2_v.txt 2>/dev/null
# the cut file's standard error: the banner, then pcap_loop's error (tcpdump exits 1)
tcpdump -r crafted_cut.pcap -n 2> out/crafted_cut_n.stderr.txt >/dev/null || true
echo "recorded $(ls out | wc -l) outputs"
