set -x
mount -t tmpfs none /run
ip link set lo up
ip netns add r1; ip netns add r2; ip netns add t
ip link add eth0 type veth peer name r1a netns r1
ip -n r1 link add r1b type veth peer name r2a netns r2
ip -n r2 link add r2b type veth peer name t0 netns t
ip addr add 10.0.2.15/24 dev eth0; ip link set eth0 up
ip route add default via 10.0.2.2
ip -n r1 addr add 10.0.2.2/24 dev r1a; ip -n r1 link set r1a up; ip -n r1 link set lo up
ip -n r1 addr add 100.64.0.1/30 dev r1b; ip -n r1 link set r1b up
ip -n r1 route add default via 100.64.0.2
ip -n r2 addr add 100.64.0.2/30 dev r2a; ip -n r2 link set r2a up
ip -n r2 addr add 93.184.215.1/24 dev r2b; ip -n r2 link set r2b up
ip -n r2 route add 10.0.2.0/24 via 100.64.0.1
ip -n t addr add 93.184.215.14/24 dev t0; ip -n t link set t0 up; ip -n t link set lo up
ip -n t route add default via 93.184.215.1
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
sleep 1
set +x
echo '## ping'; ping -c 2 93.184.215.14; echo "rc=$?"
echo '## tr'; traceroute 93.184.215.14; echo "rc=$?"
echo '## tr -n'; traceroute -n 93.184.215.14; echo "rc=$?"
echo '## tr gw'; traceroute 10.0.2.2; echo "rc=$?"
echo '## tr unanswered'; timeout 20 traceroute -n -m 5 -w 1 93.184.216.99; echo "rc=$?"
echo '## tr name'; traceroute foo.invalid; echo "rc=$?"
echo '## tr noarg'; traceroute; echo "rc=$?"
echo '## ping name'; ping -c 1 foo.invalid; echo "rc=$?"
echo '## tr unreach net'; ip route del default; traceroute 8.8.8.8; echo "rc=$?"
