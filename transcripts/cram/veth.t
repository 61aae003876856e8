A veth pair on a fresh network namespace, recorded with prysk 0.20.0 under
`unshare -n` on Debian 12 (iproute2 6.1): the MACs are random, compared as
transcripts compare them.

  $ ip link add veth0 type veth peer name veth1
  $ ip -br link
  lo               DOWN           00:00:00:00:00:00 <LOOPBACK> 
  veth1@veth0      DOWN           82:2b:b4:d3:e6:3f <BROADCAST,MULTICAST,M-DOWN> 
  veth0@veth1      DOWN           9a:5f:9d:d6:69:62 <BROADCAST,MULTICAST,M-DOWN> 
  $ ip addr add 192.168.2.11/24 dev veth0
  $ ip link set veth0 up
  $ ip route get 192.168.2.12
  192.168.2.12 dev veth0 src 192.168.2.11 uid 0 
      cache 
  $ ip link show nope
  Device "nope" does not exist.
  [1]
  $ ip addr add 192.168.2.300/24 dev veth0
  Error: any valid prefix is expected rather than "192.168.2.300/24".
  [1]
  $ ip route
  192.168.2.0/24 dev veth0 proto kernel scope link src 192.168.2.11 linkdown 
