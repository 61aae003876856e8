# Builds gre.pcap (GRE v0 plain/key/csum+key+seq/TEB, IPIP, GREv1 without payload, a GRE header cut short);
# tcpdump*.txt beside it are what the real tcpdump 4.99.3 printed for it (TZ=UTC tcpdump FLAGS -r gre.pcap, Debian 12).
import struct, ipaddress
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2), b)); 
    while s>>16: s=(s&0xffff)+(s>>16)
    return (~s)&0xffff
def ip(src,dst,proto,payload,ttl=64,ident=1,df=True):
    h=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(payload),ident,0x4000 if df else 0,ttl,proto,0,ipaddress.IPv4Address(src).packed,ipaddress.IPv4Address(dst).packed)
    h=h[:10]+struct.pack('!H',csum(h))+h[12:]
    return h+payload
def icmp_echo(ident,seq,data=bytes(range(48))+b'\0'*8):
    m=struct.pack('!BBHHH',8,0,0,ident,seq)+data
    return m[:2]+struct.pack('!H',csum(m))+m[4:]
def eth(dst,src,typ,payload):
    return bytes.fromhex(dst)+bytes.fromhex(src)+struct.pack('!H',typ)+payload
inner=ip('192.168.100.1','192.168.100.2',1,icmp_echo(7,1))
def gre(flags,proto,extra,payload):
    return struct.pack('!HH',flags,proto)+extra+payload
pkts=[]
A='020000000002'; B='020000000001'
pkts.append(eth(A,B,0x0800,ip('10.0.0.1','10.0.0.2',47,gre(0,0x0800,b'',inner))))
pkts.append(eth(A,B,0x0800,ip('10.0.0.1','10.0.0.2',47,gre(0x2000,0x0800,struct.pack('!I',7),inner))))
pkts.append(eth(A,B,0x0800,ip('10.0.0.1','10.0.0.2',47,gre(0xB000,0x0800,struct.pack('!HHII',0x1234,0,7,3),inner))))
pkts.append(eth(A,B,0x0800,ip('10.0.0.1','10.0.0.2',47,gre(0x2000,0x6558,struct.pack('!I',5),eth('0200000000bb','0200000000aa',0x0800,inner)))))
pkts.append(eth(A,B,0x0800,ip('10.0.0.1','10.0.0.2',4,inner)))
pkts.append(eth(A,B,0x0800,ip('10.0.0.1','10.0.0.2',47,gre(0x0001,0x0800,b'',inner))))
pkts.append(eth(A,B,0x0800,ip('10.0.0.1','10.0.0.2',47,gre(0x2000,0x0800,b'\0\0',b''))))
out=struct.pack('<IHHiIII',0xA1B2C3D4,2,4,0,0,262144,1)
for i,p in enumerate(pkts):
    out+=struct.pack('<IIII',1700000000+i,0,len(p),len(p))+p
open('gre.pcap','wb').write(out)
print(out.hex())
