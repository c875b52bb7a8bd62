/**
 * tcpdump -v and -vv (tcpdump 4.99.5, github.com/the-tcpdump-group/tcpdump tag tcpdump-4.99.5):
 * tcpdump.c (with -v no "verbose output suppressed" hint: `tcpdump: listening on …`);
 * print-ip.c ip_print (`(tos 0x%x, ttl %u, id %u, offset %u, flags [%s], proto %s (%u),
 * length %u)` then `\n    `; an IPIP packet's outer header, then the inner one); print-tcp.c
 * (-vv prints `seq` on every segment); print-domain.c (-vv: a response's question `q: A? NAME.`);
 * print-otv.c (the inner frame after the OTV line, its own -v header).
 * Checksums, verified over the packet's bytes: print-tcp.c (tcpdump-4.99.5) prints
 * `, cksum 0x%04x (correct)` (or ` (incorrect -> 0x%04x)`) right after `Flags [..]`, before
 * seq/ack/win/options, with -v unless -K; print-udp.c prints `[udp sum ok] ` (or `[bad udp
 * cksum 0x%04x -> 0x%04x!] `, `[no cksum] ` for a zero field) between the ports and the
 * payload's printer — over IPv4 only with -vv, over IPv6 already with -v; print-ip.c adds
 * `, bad cksum %x (->%x)!` to the IPv4 header only when it is wrong; print-icmp.c likewise
 * ` (wrong icmp cksum …)` only when wrong, and print-icmp6.c `[icmp6 sum ok] ` before
 * `ICMP6, ` (both check even with -K). Offload is not modelled: every checksum is right.
 * TTLs: 64 from the sender, one less per routing node (a bridge only switches); a reply from
 * the internet arrives with the TTL ping reports plus the routers left inside the cluster.
 * DF: Linux's sockets (IP_PMTUDISC_WANT) set it, its ICMP replies do not; the VXLAN device
 * sends without it, tunl0 keeps it and inherits the inner TTL.
 */
import { expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { DUAL_STACK } from '../dualstack/scenario';
import { cluster, type } from './scenario';

function transcript(cni: string, lines: string[]): string {
  const sim = cluster(cni);
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

it('Calico: -v on eth0 (IPIP: outer and inner headers), -vv on any (seq on every segment, the DNS question)', () => {
  expect(transcript('calico', ["ssh node-1 tcpdump -nv -c 2 -i eth0 &", "ssh node-2 tcpdump -nnvv -c 4 -i any port 80 &", "ssh node-1 tcpdump -nvv -c 4 -i any udp port 53 &", "kubectl exec client -- curl -s -o /dev/null web"])).toBe(`$ ssh node-1 tcpdump -nv -c 2 -i eth0 &
[1] 4301
tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nnvv -c 4 -i any port 80 &
[2] 4302
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-1 tcpdump -nvv -c 4 -i any udp port 53 &
[3] 4303
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null web
09:00:04.001187 IP (tos 0x0, ttl 63, id 586, offset 0, flags [DF], proto IPIP (4), length 80)
    192.168.49.2 > 192.168.49.3: IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.244.0.67.80: Flags [S], cksum 0x7b42 (correct), seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001903 IP (tos 0x0, ttl 63, id 60766, offset 0, flags [DF], proto IPIP (4), length 80)
    192.168.49.3 > 192.168.49.2: IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], cksum 0x5a4d (correct), seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.001519 tunl0 In  IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.244.0.67.80: Flags [S], cksum 0x7b42 (correct), seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001523 cali68caf03a5f4 Out IP (tos 0x0, ttl 62, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.244.0.67.80: Flags [S], cksum 0x7b42 (correct), seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001567 cali68caf03a5f4 In  IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], cksum 0x5a4d (correct), seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.001571 tunl0 Out IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], cksum 0x5a4d (correct), seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.000007 calia7a3e029a7b In  IP (tos 0x0, ttl 64, id 50715, offset 0, flags [DF], proto UDP (17), length 75)
    10.244.0.3.34557 > 10.96.0.10.53: [udp sum ok] 59705+ A? web.default.svc.cluster.local. (47)
09:00:04.000011 cali782cecfb048 Out IP (tos 0x0, ttl 63, id 50715, offset 0, flags [DF], proto UDP (17), length 75)
    10.244.0.3.34557 > 10.244.0.1.53: [udp sum ok] 59705+ A? web.default.svc.cluster.local. (47)
09:00:04.000065 cali782cecfb048 In  IP (tos 0x0, ttl 64, id 50312, offset 0, flags [DF], proto UDP (17), length 91)
    10.244.0.1.53 > 10.244.0.3.34557: [udp sum ok] 59705*- q: A? web.default.svc.cluster.local. 1/0/0 web.default.svc.cluster.local. A 10.110.1.210 (63)
09:00:04.000069 calia7a3e029a7b Out IP (tos 0x0, ttl 63, id 50312, offset 0, flags [DF], proto UDP (17), length 91)
    10.96.0.10.53 > 10.244.0.3.34557: [udp sum ok] 59705*- q: A? web.default.svc.cluster.local. 1/0/0 web.default.svc.cluster.local. A 10.110.1.210 (63)
2 packets captured
10 packets received by filter
0 packets dropped by kernel
4 packets captured
20 packets received by filter
0 packets dropped by kernel
4 packets captured
8 packets received by filter
0 packets dropped by kernel
[1]   Done                    ssh node-1 tcpdump -nv -c 2 -i eth0
[2]-  Done                    ssh node-2 tcpdump -nnvv -c 4 -i any port 80
[3]+  Done                    ssh node-1 tcpdump -nvv -c 4 -i any udp port 53
`);
});

it('Flannel: -v on the VXLAN (OTV) packet and its inner frame; -vK: ping to the internet, the reply without DF', () => {
  expect(transcript('flannel', ["ssh node-1 tcpdump -nv -c 1 -i eth0 udp port 8472 &", "ssh node-1 tcpdump -nvK -c 2 -i eth0 icmp &", "kubectl exec bb -- ping -c 1 8.8.8.8", "kubectl exec client -- curl -s -o /dev/null web"])).toBe(`$ ssh node-1 tcpdump -nv -c 1 -i eth0 udp port 8472 &
[1] 4301
tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ ssh node-1 tcpdump -nvK -c 2 -i eth0 icmp &
[2] 4302
tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ kubectl exec bb -- ping -c 1 8.8.8.8
PING 8.8.8.8 (8.8.8.8): 56 data bytes
64 bytes from 8.8.8.8: seq=0 ttl=55 time=24.272 ms

--- 8.8.8.8 ping statistics ---
1 packets transmitted, 1 packets received, 0% packet loss
round-trip min/avg/max = 24.272/24.272/24.272 ms
09:00:03.000015 IP (tos 0x0, ttl 63, id 12019, offset 0, flags [DF], proto ICMP (1), length 84)
    192.168.49.2 > 8.8.8.8: ICMP echo request, id 36817, seq 0, length 64
09:00:03.000035 IP (tos 0x0, ttl 56, id 11616, offset 0, flags [none], proto ICMP (1), length 84)
    8.8.8.8 > 192.168.49.2: ICMP echo reply, id 36817, seq 0, length 64
2 packets captured
2 packets received by filter
0 packets dropped by kernel
[2]+  Done                    ssh node-1 tcpdump -nvK -c 2 -i eth0 icmp
$ kubectl exec client -- curl -s -o /dev/null web
09:00:04.001223 IP (tos 0x0, ttl 64, id 62112, offset 0, flags [none], proto UDP (17), length 110)
    192.168.49.2.47445 > 192.168.49.3.8472: OTV, flags [I] (0x08), overlay 0, instance 1
IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.4.54393 > 10.244.1.3.80: Flags [S], cksum 0x1d37 (correct), seq 2781512617, win 64860, options [mss 1410,sackOK,TS val 613610463 ecr 0,nop,wscale 7], length 0
1 packet captured
10 packets received by filter
0 packets dropped by kernel
[1]+  Done                    ssh node-1 tcpdump -nv -c 1 -i eth0 udp port 8472
`);
});

it('Flannel -vv: the outer VXLAN UDP over IPv4 carries no checksum ([no cksum]), the inner DNS datagram [udp sum ok]; -vvK checks nothing', () => {
  expect(transcript('flannel', ['ssh node-1 tcpdump -nvv -c 2 -i eth0 udp port 8472 &', 'ssh node-2 tcpdump -nvvK -c 2 -i any port 80 &', 'kubectl exec client -- curl -s -o /dev/null web'])).toBe(`$ ssh node-1 tcpdump -nvv -c 2 -i eth0 udp port 8472 &
[1] 4301
tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nvvK -c 2 -i any port 80 &
[2] 4302
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null web
09:00:03.000019 IP (tos 0x0, ttl 64, id 41236, offset 0, flags [none], proto UDP (17), length 125)
    192.168.49.2.60860 > 192.168.49.3.8472: [no cksum] OTV, flags [I] (0x08), overlay 0, instance 1
IP (tos 0x0, ttl 63, id 34134, offset 0, flags [DF], proto UDP (17), length 75)
    10.244.0.4.40419 > 10.244.1.2.53: [udp sum ok] 58092+ A? web.default.svc.cluster.local. (47)
09:00:03.000737 IP (tos 0x0, ttl 64, id 38775, offset 0, flags [none], proto UDP (17), length 141)
    192.168.49.3.35536 > 192.168.49.2.8472: [no cksum] OTV, flags [I] (0x08), overlay 0, instance 1
IP (tos 0x0, ttl 63, id 34537, offset 0, flags [DF], proto UDP (17), length 91)
    10.244.1.2.53 > 10.244.0.4.40419: [udp sum ok] 58092*- q: A? web.default.svc.cluster.local. 1/0/0 web.default.svc.cluster.local. A 10.105.180.126 (63)
09:00:03.002894 flannel.1 In  IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.4.53585 > 10.244.1.3.80: Flags [S], seq 4241180409, win 64860, options [mss 1410,sackOK,TS val 2610692964 ecr 0,nop,wscale 7], length 0
09:00:03.002898 cni0  Out IP (tos 0x0, ttl 62, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.4.53585 > 10.244.1.3.80: Flags [S], seq 4241180409, win 64860, options [mss 1410,sackOK,TS val 2610692964 ecr 0,nop,wscale 7], length 0
2 packets captured
14 packets received by filter
0 packets dropped by kernel
2 packets captured
30 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-1 tcpdump -nvv -c 2 -i eth0 udp port 8472
[2]+  Done                    ssh node-2 tcpdump -nvvK -c 2 -i any port 80
`);
});

it('Calico -v: kube-proxy\'s REJECT; the ICMP error quotes the SYN, printed on a tab-indented line with its own header and TCP checksum', () => {
  expect(transcript('calico', ['ssh node-1 tcpdump -nv -c 1 -i any icmp &', 'kubectl exec client -- curl -s -m 1 -o /dev/null empty'])).toBe(`$ ssh node-1 tcpdump -nv -c 1 -i any icmp &
[1] 4301
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -m 1 -o /dev/null empty
command terminated with exit code 7
09:00:02.001204 calia7a3e029a7b Out IP (tos 0x0, ttl 64, id 10470, offset 0, flags [none], proto ICMP (1), length 88)
    192.168.49.2 > 10.244.0.3: ICMP 10.96.59.35 tcp port 80 unreachable, length 68
	IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.96.59.35.80: Flags [S], cksum 0xfe7d (correct), seq 3473979716, win 64400, options [mss 1400,sackOK,TS val 988963370 ecr 0,nop,wscale 7], length 0
1 packet captured
1 packet received by filter
0 packets dropped by kernel
[1]+  Done                    ssh node-1 tcpdump -nv -c 1 -i any icmp
`);
});

it('-v on a savefile read back (-r): the checksums come from the records\' bytes (the DNAT changes the SYN\'s: the pseudo-header holds the address); -K drops them', () => {
  expect(transcript('calico', ['ssh node-1 tcpdump -nn -c 3 -i any -w /tmp/c.pcap tcp port 80 &', 'kubectl exec client -- curl -s -o /dev/null web', 'ssh node-1 tcpdump -nv -r /tmp/c.pcap', 'ssh node-1 tcpdump -nK -vv -r /tmp/c.pcap'])).toBe(`$ ssh node-1 tcpdump -nn -c 3 -i any -w /tmp/c.pcap tcp port 80 &
[1] 4301
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null web
3 packets captured
20 packets received by filter
0 packets dropped by kernel
[1]+  Done                    ssh node-1 tcpdump -nn -c 3 -i any -w /tmp/c.pcap tcp port 80
$ ssh node-1 tcpdump -nv -r /tmp/c.pcap
reading from file /tmp/c.pcap, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144
Warning: interface names might be incorrect
09:00:02.001179 calia7a3e029a7b In  IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.110.1.210.80: Flags [S], cksum 0x6055 (correct), seq 132241513, win 64400, options [mss 1400,sackOK,TS val 2125962715 ecr 0,nop,wscale 7], length 0
09:00:02.001183 tunl0 Out IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.244.0.67.80: Flags [S], cksum 0x615e (correct), seq 132241513, win 64400, options [mss 1400,sackOK,TS val 2125962715 ecr 0,nop,wscale 7], length 0
09:00:02.001907 tunl0 In  IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], cksum 0xa747 (correct), seq 1566472345, ack 132241514, win 64400, options [mss 1400,sackOK,TS val 63103051 ecr 2125962715,nop,wscale 7], length 0
$ ssh node-1 tcpdump -nK -vv -r /tmp/c.pcap
reading from file /tmp/c.pcap, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144
Warning: interface names might be incorrect
09:00:02.001179 calia7a3e029a7b In  IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.110.1.210.80: Flags [S], seq 132241513, win 64400, options [mss 1400,sackOK,TS val 2125962715 ecr 0,nop,wscale 7], length 0
09:00:02.001183 tunl0 Out IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.55281 > 10.244.0.67.80: Flags [S], seq 132241513, win 64400, options [mss 1400,sackOK,TS val 2125962715 ecr 0,nop,wscale 7], length 0
09:00:02.001907 tunl0 In  IP (tos 0x0, ttl 63, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], seq 1566472345, ack 132241514, win 64400, options [mss 1400,sackOK,TS val 63103051 ecr 2125962715,nop,wscale 7], length 0
`);
});

it('dual stack -v: IPv6 header fields, TCP over IPv6, the outer VXLAN UDP over IPv6 ([udp sum ok] already with -v), ICMPv6 ([icmp6 sum ok], even with -K)', () => {
  const sim = createSimulation(DUAL_STACK, { seed: 1, interactive: true });
  let s = '';
  for (const l of ['ssh node-1 tcpdump -nv -c 2 -i any ip6 and tcp &', 'ssh node-1 tcpdump -nv -c 1 -i eth0 &', 'kubectl exec client -- curl -s -o /dev/null http://[fd00:10:244:2::3]/', 'ssh node-2 tcpdump -nvK -c 2 -i any icmp6 &', 'kubectl exec client -- ping -c 1 fd00:10:244:2::3']) s += `$ ${l}\n` + type(sim, l);
  expect(s).toBe(`$ ssh node-1 tcpdump -nv -c 2 -i any ip6 and tcp &
[1] 4301
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-1 tcpdump -nv -c 1 -i eth0 &
[2] 4302
tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null http://[fd00:10:244:2::3]/
09:00:03.000007 veth7ef05333 In  IP6 (flowlabel 0x55d6e, hlim 64, next-header TCP (6) payload length: 40) fd00:10:244:1::3.50025 > fd00:10:244:2::3.80: Flags [S], cksum 0x1e76 (correct), seq 1912800478, win 65330, options [mss 1390,sackOK,TS val 4122344345 ecr 0,nop,wscale 7], length 0
09:00:03.000011 cni0  In  IP6 (flowlabel 0x55d6e, hlim 64, next-header TCP (6) payload length: 40) fd00:10:244:1::3.50025 > fd00:10:244:2::3.80: Flags [S], cksum 0x1e76 (correct), seq 1912800478, win 65330, options [mss 1390,sackOK,TS val 4122344345 ecr 0,nop,wscale 7], length 0
09:00:03.000019 IP6 (hlim 64, next-header UDP (17) payload length: 110) fc00:f853:ccd:e793::3.39006 > fc00:f853:ccd:e793::4.8472: [udp sum ok] OTV, flags [I] (0x08), overlay 0, instance 1
IP6 (flowlabel 0x55d6e, hlim 63, next-header TCP (6) payload length: 40) fd00:10:244:1::3.50025 > fd00:10:244:2::3.80: Flags [S], cksum 0x1e76 (correct), seq 1912800478, win 65330, options [mss 1390,sackOK,TS val 4122344345 ecr 0,nop,wscale 7], length 0
2 packets captured
30 packets received by filter
0 packets dropped by kernel
1 packet captured
10 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-1 tcpdump -nv -c 2 -i any ip6 and tcp
[2]+  Done                    ssh node-1 tcpdump -nv -c 1 -i eth0
$ ssh node-2 tcpdump -nvK -c 2 -i any icmp6 &
[1] 4304
tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ kubectl exec client -- ping -c 1 fd00:10:244:2::3
PING fd00:10:244:2::3 (fd00:10:244:2::3) 56 data bytes
64 bytes from fd00:10:244:2::3: icmp_seq=1 ttl=62 time=0.655 ms

--- fd00:10:244:2::3 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.655/0.655/0.655/0.000 ms
09:00:05.001307 flannel-v6.1 In  IP6 (flowlabel 0xac5a9, hlim 63, next-header ICMPv6 (58) payload length: 64) fd00:10:244:1::3 > fd00:10:244:2::3: [icmp6 sum ok] ICMP6, echo request, id 11034, seq 1, length 64
09:00:05.001311 cni0  Out IP6 (flowlabel 0xac5a9, hlim 62, next-header ICMPv6 (58) payload length: 64) fd00:10:244:1::3 > fd00:10:244:2::3: [icmp6 sum ok] ICMP6, echo request, id 11034, seq 1, length 64
2 packets captured
6 packets received by filter
0 packets dropped by kernel
[1]+  Done                    ssh node-2 tcpdump -nvK -c 2 -i any icmp6
`);
});

it('-vv -X in a Pod: the checksum printed is the one the dump holds (UDP at 0x001a, TCP at 0x0024)', () => {
  expect(transcript('calico', ['kubectl exec -it client -- bash', 'tcpdump -i eth0 -nvv -c 1 -X udp &', 'curl -s -o /dev/null web', 'tcpdump -i eth0 -nvv -c 1 -X tcp &', 'curl -s -o /dev/null web'])).toBe(`$ kubectl exec -it client -- bash
$ tcpdump -i eth0 -nvv -c 1 -X udp &
[1] 4302
tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null web
09:00:03.000000 IP (tos 0x0, ttl 64, id 50715, offset 0, flags [DF], proto UDP (17), length 75)
    10.244.0.3.34557 > 10.96.0.10.53: [udp sum ok] 59705+ A? web.default.svc.cluster.local. (47)
	0x0000:  4500 004b c61b 4000 4011 5f26 0af4 0003  E..K..@.@._&....
	0x0010:  0a60 000a 86fd 0035 0037 3653 e939 0100  .\`.....5.76S.9..
	0x0020:  0001 0000 0000 0000 0377 6562 0764 6566  .........web.def
	0x0030:  6175 6c74 0373 7663 0763 6c75 7374 6572  ault.svc.cluster
	0x0040:  056c 6f63 616c 0000 0100 01              .local.....
1 packet captured
4 packets received by filter
0 packets dropped by kernel
[1]+  Done                    tcpdump -i eth0 -nvv -c 1 -X udp
$ tcpdump -i eth0 -nvv -c 1 -X tcp &
[1] 4304
tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null web
09:00:05.003228 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)
    10.244.0.3.40259 > 10.110.1.210.80: Flags [S], cksum 0x9adf (correct), seq 1006632951, win 64400, options [mss 1400,sackOK,TS val 3303472163 ecr 0,nop,wscale 7], length 0
	0x0000:  4500 003c 0000 4000 4006 2386 0af4 0003  E..<..@.@.#.....
	0x0010:  0a6e 01d2 9d43 0050 3bff fff7 0000 0000  .n...C.P;.......
	0x0020:  a002 fb90 9adf 0000 0204 0578 0402 080a  ...........x....
	0x0030:  c4e6 fc23 0000 0000 0103 0307            ...#........
1 packet captured
10 packets received by filter
0 packets dropped by kernel
[1]+  Done                    tcpdump -i eth0 -nvv -c 1 -X tcp
`);
});
