/**
 * tcpdump from the walk: what the packet walk puts on each interface, captured as jobs of
 * one terminal and printed as tcpdump 4.99.5 prints it.
 *
 * Formats (github.com/the-tcpdump-group/tcpdump, tag tcpdump-4.99.5): tcpdump.c (the
 * "verbose output suppressed" and "listening on %s, link-type %s (%s), snapshot length %d
 * bytes" banner, info(1)'s three statistics lines after cleanup()'s newline); print-sll.c
 * sll2_if_print (`%-5s ` interface and `%-3s ` direction on `any`); print-ether.c
 * (`SRC > DST, ethertype IPv4 (0x0800), length N: ` with -e); print-ip.c (IPIP: the outer
 * `SRC > DST: ` then the inner `IP …`); print-tcp.c (`Flags [S.]`, relative sequence numbers
 * from tcp_seq_hash, `win`, `options [mss …,sackOK,TS val … ecr …,nop,wscale 7]`, `length`,
 * the HTTP printer on port 80); print-udp.c / print-otv.c (UDP 8472 is OTV: `OTV, flags [I]
 * (0x08), overlay 0, instance 1` and the inner frame on the next line); print-domain.c
 * (`ID+ A? NAME. (LEN)`, `ID*- 1/0/0 A ADDR (LEN)`, `[1au]`); print-icmp.c (`ICMP echo
 * request, id N, seq N, length 64`, `ICMP A tcp port P unreachable, length N`).
 * Job notices after bash's jobs.c (`[1]+  Terminated              CMD`).
 */
import { describe, expect, it } from 'vitest';
import { cluster, nodePortCluster, type } from './scenario';

function transcript(cni: string, lines: string[]): string {
  const sim = cluster(cni);
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

describe('tcpdump shows what the walk put on the wire', () => {
  it("a curl's packets on the source node (its cali veth before DNAT, tunl0 after), on the overlay (eth0: IPIP between the nodes) and on the target node", () => {
    expect(transcript("calico", ["ssh node-1 tcpdump -nn -i any port 80 &", "ssh node-1 tcpdump -nn -i eth0 &", "ssh node-2 tcpdump -nn -i any port 80 &", "kubectl exec client -- curl -s -o /dev/null web", "kill %1 %2 %3"])).toBe(`$ ssh node-1 tcpdump -nn -i any port 80 &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-1 tcpdump -nn -i eth0 &
[2] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nn -i any port 80 &
[3] 4303
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null web
09:00:04.001179 calia7a3e029a7b In  IP 10.244.0.3.55281 > 10.110.1.210.80: Flags [S], seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001183 tunl0 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [S], seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001907 tunl0 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.001911 calia7a3e029a7b Out IP 10.110.1.210.80 > 10.244.0.3.55281: Flags [S.], seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.001940 calia7a3e029a7b In  IP 10.244.0.3.55281 > 10.110.1.210.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 0
09:00:04.001944 tunl0 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 0
09:00:04.001980 calia7a3e029a7b In  IP 10.244.0.3.55281 > 10.110.1.210.80: Flags [P.], seq 1:67, ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 66: HTTP: GET / HTTP/1.1
09:00:04.001984 tunl0 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [P.], seq 1:67, ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 66: HTTP: GET / HTTP/1.1
09:00:04.002713 tunl0 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [.], ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 0
09:00:04.002717 calia7a3e029a7b Out IP 10.110.1.210.80 > 10.244.0.3.55281: Flags [.], ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 0
09:00:04.002893 tunl0 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [P.], seq 1:854, ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 853: HTTP: HTTP/1.1 200 OK
09:00:04.002897 calia7a3e029a7b Out IP 10.110.1.210.80 > 10.244.0.3.55281: Flags [P.], seq 1:854, ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 853: HTTP: HTTP/1.1 200 OK
09:00:04.002943 calia7a3e029a7b In  IP 10.244.0.3.55281 > 10.110.1.210.80: Flags [.], ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.002947 tunl0 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.002998 calia7a3e029a7b In  IP 10.244.0.3.55281 > 10.110.1.210.80: Flags [F.], seq 67, ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003002 tunl0 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [F.], seq 67, ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003726 tunl0 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [F.], seq 854, ack 68, win 509, options [nop,nop,TS val 3156812539 ecr 1157773579], length 0
09:00:04.003730 calia7a3e029a7b Out IP 10.110.1.210.80 > 10.244.0.3.55281: Flags [F.], seq 854, ack 68, win 509, options [nop,nop,TS val 3156812539 ecr 1157773579], length 0
09:00:04.003759 calia7a3e029a7b In  IP 10.244.0.3.55281 > 10.110.1.210.80: Flags [.], ack 855, win 501, options [nop,nop,TS val 1157773580 ecr 3156812539], length 0
09:00:04.003763 tunl0 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 855, win 501, options [nop,nop,TS val 1157773580 ecr 3156812539], length 0
09:00:04.001187 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [S], seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001903 IP 192.168.49.3 > 192.168.49.2: IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.001948 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 0
09:00:04.001988 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [P.], seq 1:67, ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 66: HTTP: GET / HTTP/1.1
09:00:04.002709 IP 192.168.49.3 > 192.168.49.2: IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [.], ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 0
09:00:04.002889 IP 192.168.49.3 > 192.168.49.2: IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [P.], seq 1:854, ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 853: HTTP: HTTP/1.1 200 OK
09:00:04.002951 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003006 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [F.], seq 67, ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003722 IP 192.168.49.3 > 192.168.49.2: IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [F.], seq 854, ack 68, win 509, options [nop,nop,TS val 3156812539 ecr 1157773579], length 0
09:00:04.003767 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 855, win 501, options [nop,nop,TS val 1157773580 ecr 3156812539], length 0
09:00:04.001519 tunl0 In  IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [S], seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001523 cali68caf03a5f4 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [S], seq 2108352323, win 64400, options [mss 1400,sackOK,TS val 1157773577 ecr 0,nop,wscale 7], length 0
09:00:04.001567 cali68caf03a5f4 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.001571 tunl0 Out IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], seq 1607328243, ack 2108352324, win 64400, options [mss 1400,sackOK,TS val 3156812537 ecr 1157773577,nop,wscale 7], length 0
09:00:04.002280 tunl0 In  IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 0
09:00:04.002284 cali68caf03a5f4 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 0
09:00:04.002320 tunl0 In  IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [P.], seq 1:67, ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 66: HTTP: GET / HTTP/1.1
09:00:04.002324 cali68caf03a5f4 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [P.], seq 1:67, ack 1, win 502, options [nop,nop,TS val 1157773578 ecr 3156812537], length 66: HTTP: GET / HTTP/1.1
09:00:04.002373 cali68caf03a5f4 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [.], ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 0
09:00:04.002377 tunl0 Out IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [.], ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 0
09:00:04.002553 cali68caf03a5f4 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [P.], seq 1:854, ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 853: HTTP: HTTP/1.1 200 OK
09:00:04.002557 tunl0 Out IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [P.], seq 1:854, ack 67, win 509, options [nop,nop,TS val 3156812538 ecr 1157773578], length 853: HTTP: HTTP/1.1 200 OK
09:00:04.003283 tunl0 In  IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003287 cali68caf03a5f4 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003338 tunl0 In  IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [F.], seq 67, ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003342 cali68caf03a5f4 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [F.], seq 67, ack 854, win 501, options [nop,nop,TS val 1157773579 ecr 3156812538], length 0
09:00:04.003386 cali68caf03a5f4 In  IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [F.], seq 854, ack 68, win 509, options [nop,nop,TS val 3156812539 ecr 1157773579], length 0
09:00:04.003390 tunl0 Out IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [F.], seq 854, ack 68, win 509, options [nop,nop,TS val 3156812539 ecr 1157773579], length 0
09:00:04.004099 tunl0 In  IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 855, win 501, options [nop,nop,TS val 1157773580 ecr 3156812539], length 0
09:00:04.004103 cali68caf03a5f4 Out IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [.], ack 855, win 501, options [nop,nop,TS val 1157773580 ecr 3156812539], length 0
$ kill %1 %2 %3



20 packets captured
20 packets received by filter
0 packets dropped by kernel
10 packets captured
10 packets received by filter
0 packets dropped by kernel
20 packets captured
20 packets received by filter
0 packets dropped by kernel
[1]   Terminated              ssh node-1 tcpdump -nn -i any port 80
[2]-  Terminated              ssh node-1 tcpdump -nn -i eth0
[3]+  Terminated              ssh node-2 tcpdump -nn -i any port 80
`);
  });
  it("Flannel: VXLAN on UDP 8472 printed as OTV with the inner frame (-e: both link headers), then flannel.1, cni0 and the veth on the target node; -c ends both jobs", () => {
    expect(transcript("flannel", ["ssh node-1 tcpdump -nn -e -i eth0 -c 6 port 8472 &", "ssh node-2 tcpdump -nn -i any -c 6 tcp &", "kubectl exec client -- curl -s -o /dev/null web"])).toBe(`$ ssh node-1 tcpdump -nn -e -i eth0 -c 6 port 8472 &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nn -i any -c 6 tcp &
[2] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null web
09:00:03.000019 02:42:c0:a8:31:02 > 02:42:c0:a8:31:03, ethertype IPv4 (0x0800), length 139: 192.168.49.2.60860 > 192.168.49.3.8472: OTV, flags [I] (0x08), overlay 0, instance 1
1e:0f:00:51:be:fc > aa:26:16:72:af:f9, ethertype IPv4 (0x0800), length 89: 10.244.0.4.40419 > 10.244.1.2.53: 58092+ A? web.default.svc.cluster.local. (47)
09:00:03.000737 02:42:c0:a8:31:03 > 02:42:c0:a8:31:02, ethertype IPv4 (0x0800), length 155: 192.168.49.3.35536 > 192.168.49.2.8472: OTV, flags [I] (0x08), overlay 0, instance 1
aa:26:16:72:af:f9 > 1e:0f:00:51:be:fc, ethertype IPv4 (0x0800), length 105: 10.244.1.2.53 > 10.244.0.4.40419: 58092*- 1/0/0 A 10.105.180.126 (63)
09:00:03.000795 02:42:c0:a8:31:02 > 02:42:c0:a8:31:03, ethertype IPv4 (0x0800), length 139: 192.168.49.2.60860 > 192.168.49.3.8472: OTV, flags [I] (0x08), overlay 0, instance 1
1e:0f:00:51:be:fc > aa:26:16:72:af:f9, ethertype IPv4 (0x0800), length 89: 10.244.0.4.40419 > 10.244.1.2.53: 475+ AAAA? web.default.svc.cluster.local. (47)
09:00:03.001513 02:42:c0:a8:31:03 > 02:42:c0:a8:31:02, ethertype IPv4 (0x0800), length 193: 192.168.49.3.35536 > 192.168.49.2.8472: OTV, flags [I] (0x08), overlay 0, instance 1
aa:26:16:72:af:f9 > 1e:0f:00:51:be:fc, ethertype IPv4 (0x0800), length 143: 10.244.1.2.53 > 10.244.0.4.40419: 475*- 0/1/0 (101)
09:00:03.002551 02:42:c0:a8:31:02 > 02:42:c0:a8:31:03, ethertype IPv4 (0x0800), length 124: 192.168.49.2.52847 > 192.168.49.3.8472: OTV, flags [I] (0x08), overlay 0, instance 1
1e:0f:00:51:be:fc > aa:26:16:72:af:f9, ethertype IPv4 (0x0800), length 74: 10.244.0.4.53585 > 10.244.1.3.80: Flags [S], seq 4241180409, win 64860, options [mss 1410,sackOK,TS val 2610692964 ecr 0,nop,wscale 7], length 0
09:00:03.003297 02:42:c0:a8:31:03 > 02:42:c0:a8:31:02, ethertype IPv4 (0x0800), length 124: 192.168.49.3.32917 > 192.168.49.2.8472: OTV, flags [I] (0x08), overlay 0, instance 1
aa:26:16:72:af:f9 > 1e:0f:00:51:be:fc, ethertype IPv4 (0x0800), length 74: 10.244.1.3.80 > 10.244.0.4.53585: Flags [S.], seq 1105565033, ack 4241180410, win 64860, options [mss 1410,sackOK,TS val 3897752916 ecr 2610692964,nop,wscale 7], length 0
09:00:03.002894 flannel.1 In  IP 10.244.0.4.53585 > 10.244.1.3.80: Flags [S], seq 4241180409, win 64860, options [mss 1410,sackOK,TS val 2610692964 ecr 0,nop,wscale 7], length 0
09:00:03.002898 cni0  Out IP 10.244.0.4.53585 > 10.244.1.3.80: Flags [S], seq 4241180409, win 64860, options [mss 1410,sackOK,TS val 2610692964 ecr 0,nop,wscale 7], length 0
09:00:03.002902 vethcf7b54e6 Out IP 10.244.0.4.53585 > 10.244.1.3.80: Flags [S], seq 4241180409, win 64860, options [mss 1410,sackOK,TS val 2610692964 ecr 0,nop,wscale 7], length 0
09:00:03.002946 vethcf7b54e6 In  IP 10.244.1.3.80 > 10.244.0.4.53585: Flags [S.], seq 1105565033, ack 4241180410, win 64860, options [mss 1410,sackOK,TS val 3897752916 ecr 2610692964,nop,wscale 7], length 0
09:00:03.002950 cni0  In  IP 10.244.1.3.80 > 10.244.0.4.53585: Flags [S.], seq 1105565033, ack 4241180410, win 64860, options [mss 1410,sackOK,TS val 3897752916 ecr 2610692964,nop,wscale 7], length 0
09:00:03.002954 flannel.1 Out IP 10.244.1.3.80 > 10.244.0.4.53585: Flags [S.], seq 1105565033, ack 4241180410, win 64860, options [mss 1410,sackOK,TS val 3897752916 ecr 2610692964,nop,wscale 7], length 0
6 packets captured
14 packets received by filter
0 packets dropped by kernel
6 packets captured
30 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-1 tcpdump -nn -e -i eth0 -c 6 port 8472
[2]+  Done                    ssh node-2 tcpdump -nn -i any -c 6 tcp
`);
  });
  it("inside a netshoot Pod without -n: the Service's name from CoreDNS's PTR, port names from /etc/services, the DNS questions curl's resolver asked", () => {
    expect(transcript("calico", ["kubectl exec -it client -- bash", "tcpdump -i eth0 &", "curl -s -o /dev/null web", "kill %1"])).toBe(`$ kubectl exec -it client -- bash
$ tcpdump -i eth0 &
[1] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null web
09:00:03.000000 IP 10.244.0.3.34557 > kube-dns.kube-system.svc.cluster.local.domain: 59705+ A? web.default.svc.cluster.local. (47)
09:00:03.000076 IP kube-dns.kube-system.svc.cluster.local.domain > 10.244.0.3.34557: 59705*- 1/0/0 A 10.110.1.210 (63)
09:00:03.000096 IP 10.244.0.3.34557 > kube-dns.kube-system.svc.cluster.local.domain: 2088+ AAAA? web.default.svc.cluster.local. (47)
09:00:03.000172 IP kube-dns.kube-system.svc.cluster.local.domain > 10.244.0.3.34557: 2088*- 0/1/0 (101)
09:00:03.001172 IP 10.244.0.3.55281 > web.default.svc.cluster.local.http: Flags [S], seq 747746612, win 64400, options [mss 1400,sackOK,TS val 1515681496 ecr 0,nop,wscale 7], length 0
09:00:03.001918 IP web.default.svc.cluster.local.http > 10.244.0.3.55281: Flags [S.], seq 2394154596, ack 747746613, win 64400, options [mss 1400,sackOK,TS val 1367288392 ecr 1515681496,nop,wscale 7], length 0
09:00:03.001933 IP 10.244.0.3.55281 > web.default.svc.cluster.local.http: Flags [.], ack 1, win 502, options [nop,nop,TS val 1515681497 ecr 1367288392], length 0
09:00:03.001973 IP 10.244.0.3.55281 > web.default.svc.cluster.local.http: Flags [P.], seq 1:67, ack 1, win 502, options [nop,nop,TS val 1515681497 ecr 1367288392], length 66: HTTP: GET / HTTP/1.1
09:00:03.002724 IP web.default.svc.cluster.local.http > 10.244.0.3.55281: Flags [.], ack 67, win 509, options [nop,nop,TS val 1367288393 ecr 1515681497], length 0
09:00:03.002904 IP web.default.svc.cluster.local.http > 10.244.0.3.55281: Flags [P.], seq 1:854, ack 67, win 509, options [nop,nop,TS val 1367288393 ecr 1515681497], length 853: HTTP: HTTP/1.1 200 OK
09:00:03.002936 IP 10.244.0.3.55281 > web.default.svc.cluster.local.http: Flags [.], ack 854, win 501, options [nop,nop,TS val 1515681498 ecr 1367288393], length 0
09:00:03.002991 IP 10.244.0.3.55281 > web.default.svc.cluster.local.http: Flags [F.], seq 67, ack 854, win 501, options [nop,nop,TS val 1515681498 ecr 1367288393], length 0
09:00:03.003737 IP web.default.svc.cluster.local.http > 10.244.0.3.55281: Flags [F.], seq 854, ack 68, win 509, options [nop,nop,TS val 1367288394 ecr 1515681498], length 0
09:00:03.003752 IP 10.244.0.3.55281 > web.default.svc.cluster.local.http: Flags [.], ack 855, win 501, options [nop,nop,TS val 1515681499 ecr 1367288394], length 0
$ kill %1

14 packets captured
14 packets received by filter
0 packets dropped by kernel
[1]+  Terminated              tcpdump -i eth0
`);
  });
  it("nslookup's and dig's questions (dig's EDNS OPT record: [1au] and 1/0/1)", () => {
    expect(transcript("calico", ["kubectl exec -it client -- bash", "tcpdump -n -i eth0 port 53 &", "nslookup web", "dig +short web.default.svc.cluster.local", "kill %1"])).toBe(`$ kubectl exec -it client -- bash
$ tcpdump -n -i eth0 port 53 &
[1] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ nslookup web
Server:		10.96.0.10
Address:	10.96.0.10#53

Name:	web.default.svc.cluster.local
Address: 10.110.1.210

09:00:03.000000 IP 10.244.0.3.34557 > 10.96.0.10.53: 59705+ A? web.default.svc.cluster.local. (47)
09:00:03.000076 IP 10.96.0.10.53 > 10.244.0.3.34557: 59705*- 1/0/0 A 10.110.1.210 (63)
09:00:03.000096 IP 10.244.0.3.34557 > 10.96.0.10.53: 2088+ AAAA? web.default.svc.cluster.local. (47)
09:00:03.000172 IP 10.96.0.10.53 > 10.244.0.3.34557: 2088*- 0/1/0 (101)
$ dig +short web.default.svc.cluster.local
10.110.1.210
09:00:04.000000 IP 10.244.0.3.55281 > 10.96.0.10.53: 43320+ [1au] A? web.default.svc.cluster.local. (70)
09:00:04.000076 IP 10.96.0.10.53 > 10.244.0.3.55281: 43320*- 1/0/1 A 10.110.1.210 (86)
$ kill %1

6 packets captured
6 packets received by filter
0 packets dropped by kernel
[1]+  Terminated              tcpdump -n -i eth0 port 53
`);
  });
  it("kube-proxy's REJECT for a Service without endpoints (ICMP port unreachable from the node), ping's echoes with their id and sequence, an unanswered echo to a ClusterIP", () => {
    expect(transcript("calico", ["kubectl exec -it client -- bash", "tcpdump -nn -i eth0 not port 53 &", "curl -s -m 2 empty", "ping -c 2 10.244.0.67", "ping -c 1 -W 1 10.96.0.1", "kill %1"])).toBe(`$ kubectl exec -it client -- bash
$ tcpdump -nn -i eth0 not port 53 &
[1] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -m 2 empty
09:00:03.001172 IP 10.244.0.3.55281 > 10.96.59.35.80: Flags [S], seq 498762233, win 64400, options [mss 1400,sackOK,TS val 1816646621 ecr 0,nop,wscale 7], length 0
09:00:03.001211 IP 192.168.49.2 > 10.244.0.3: ICMP 10.96.59.35 tcp port 80 unreachable, length 68
$ ping -c 2 10.244.0.67
PING 10.244.0.67 (10.244.0.67) 56(84) bytes of data.
64 bytes from 10.244.0.67: icmp_seq=1 ttl=62 time=0.852 ms
64 bytes from 10.244.0.67: icmp_seq=2 ttl=62 time=0.705 ms

--- 10.244.0.67 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1002ms
rtt min/avg/max/mdev = 0.705/0.779/0.852/0.074 ms
09:00:04.000000 IP 10.244.0.3 > 10.244.0.67: ICMP echo request, id 25130, seq 1, length 64
09:00:04.000452 IP 10.244.0.67 > 10.244.0.3: ICMP echo reply, id 25130, seq 1, length 64
09:00:05.000000 IP 10.244.0.3 > 10.244.0.67: ICMP echo request, id 25130, seq 2, length 64
09:00:05.000552 IP 10.244.0.67 > 10.244.0.3: ICMP echo reply, id 25130, seq 2, length 64
$ ping -c 1 -W 1 10.96.0.1
PING 10.96.0.1 (10.96.0.1) 56(84) bytes of data.

--- 10.96.0.1 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms
09:00:06.000000 IP 10.244.0.3 > 10.96.0.1: ICMP echo request, id 11272, seq 1, length 64
$ kill %1

7 packets captured
7 packets received by filter
0 packets dropped by kernel
[1]+  Terminated              tcpdump -nn -i eth0 not port 53
`);
  });
});

/**
 * A NodePort from the workstation, captured on the node it enters, on every CNI: eth0 before
 * kube-proxy's DNAT, the CNI's way to the other node after DNAT and MASQUERADE (to the
 * tunnel device's address: tunl0's, flannel.1's, cilium_host's; to eth0's on AWS's routed
 * VPC), and on eth0 the outer header tcpdump sees there — IPIP, OTV on UDP 8472 (Flannel,
 * Cilium, whose VNI is the sender's security identity: 1, the host, after MASQUERADE), Weave
 * fastdp's UDP 6784 (no tcpdump printer: `UDP, length N`), nothing on AWS.
 */
describe('a NodePort from the workstation on each CNI', () => {
  const lines = ['ssh node-2 tcpdump -nn -i any -c 2 tcp &', 'ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080 &', 'curl -s -o /dev/null 192.168.49.3:30080'];
  const run = (cni: string) => {
    const sim = nodePortCluster(cni);
    return lines.map((l) => `$ ${l}\n` + type(sim, l)).join('');
  };
  it("calico", () => {
    expect(run("calico")).toBe(`$ ssh node-2 tcpdump -nn -i any -c 2 tcp &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080 &
[2] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null 192.168.49.3:30080
09:00:03.000000 eth0  In  IP 192.168.49.1.50770 > 192.168.49.3.30080: Flags [S], seq 194497961, win 64240, options [mss 1460,sackOK,TS val 4012508552 ecr 0,nop,wscale 7], length 0
09:00:03.000004 tunl0 Out IP 10.244.0.64.64154 > 10.244.0.2.80: Flags [S], seq 194497961, win 64240, options [mss 1460,sackOK,TS val 4012508552 ecr 0,nop,wscale 7], length 0
09:00:03.000008 IP 192.168.49.3 > 192.168.49.2: IP 10.244.0.64.64154 > 10.244.0.2.80: Flags [S], seq 194497961, win 64240, options [mss 1460,sackOK,TS val 4012508552 ecr 0,nop,wscale 7], length 0
09:00:03.000576 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.2.80 > 10.244.0.64.64154: Flags [S.], seq 202935513, ack 194497962, win 64240, options [mss 1460,sackOK,TS val 557581496 ecr 4012508552,nop,wscale 7], length 0
2 packets captured
20 packets received by filter
0 packets dropped by kernel
2 packets captured
10 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-2 tcpdump -nn -i any -c 2 tcp
[2]+  Done                    ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080
`);
  });
  it("flannel", () => {
    expect(run("flannel")).toBe(`$ ssh node-2 tcpdump -nn -i any -c 2 tcp &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080 &
[2] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null 192.168.49.3:30080
09:00:03.000000 eth0  In  IP 192.168.49.1.51516 > 192.168.49.3.30080: Flags [S], seq 2800475364, win 64240, options [mss 1460,sackOK,TS val 2009218685 ecr 0,nop,wscale 7], length 0
09:00:03.000004 flannel.1 Out IP 10.244.1.0.60463 > 10.244.0.3.80: Flags [S], seq 2800475364, win 64240, options [mss 1460,sackOK,TS val 2009218685 ecr 0,nop,wscale 7], length 0
09:00:03.000008 IP 192.168.49.3.37224 > 192.168.49.2.8472: OTV, flags [I] (0x08), overlay 0, instance 1
IP 10.244.1.0.60463 > 10.244.0.3.80: Flags [S], seq 2800475364, win 64240, options [mss 1460,sackOK,TS val 2009218685 ecr 0,nop,wscale 7], length 0
09:00:03.000724 IP 192.168.49.2.35780 > 192.168.49.3.8472: OTV, flags [I] (0x08), overlay 0, instance 1
IP 10.244.0.3.80 > 10.244.1.0.60463: Flags [S.], seq 3706624084, ack 2800475365, win 64240, options [mss 1460,sackOK,TS val 1508883501 ecr 2009218685,nop,wscale 7], length 0
2 packets captured
20 packets received by filter
0 packets dropped by kernel
2 packets captured
10 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-2 tcpdump -nn -i any -c 2 tcp
[2]+  Done                    ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080
`);
  });
  it("cilium", () => {
    expect(run("cilium")).toBe(`$ ssh node-2 tcpdump -nn -i any -c 2 tcp &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080 &
[2] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null 192.168.49.3:30080
09:00:03.000000 eth0  In  IP 192.168.49.1.50770 > 192.168.49.3.30080: Flags [S], seq 194497961, win 64240, options [mss 1460,sackOK,TS val 4012508552 ecr 0,nop,wscale 7], length 0
09:00:03.000004 cilium_vxlan Out IP 10.244.1.1.64154 > 10.244.0.3.80: Flags [S], seq 194497961, win 64240, options [mss 1460,sackOK,TS val 4012508552 ecr 0,nop,wscale 7], length 0
09:00:03.000008 IP 192.168.49.3.43791 > 192.168.49.2.8472: OTV, flags [I] (0x08), overlay 0, instance 1
IP 10.244.1.1.64154 > 10.244.0.3.80: Flags [S], seq 194497961, win 64240, options [mss 1460,sackOK,TS val 4012508552 ecr 0,nop,wscale 7], length 0
09:00:03.000650 IP 192.168.49.2.58299 > 192.168.49.3.8472: OTV, flags [I] (0x08), overlay 0, instance 46281
IP 10.244.0.3.80 > 10.244.1.1.64154: Flags [S.], seq 202935513, ack 194497962, win 64240, options [mss 1460,sackOK,TS val 557581496 ecr 4012508552,nop,wscale 7], length 0
2 packets captured
20 packets received by filter
0 packets dropped by kernel
2 packets captured
10 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-2 tcpdump -nn -i any -c 2 tcp
[2]+  Done                    ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080
`);
  });
  it("weave", () => {
    expect(run("weave")).toBe(`$ ssh node-2 tcpdump -nn -i any -c 2 tcp &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080 &
[2] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null 192.168.49.3:30080
09:00:03.000000 eth0  In  IP 192.168.49.1.44041 > 192.168.49.3.30080: Flags [S], seq 3537179183, win 64240, options [mss 1460,sackOK,TS val 2765308006 ecr 0,nop,wscale 7], length 0
09:00:03.000004 vxlan-6784 Out IP 10.244.1.1.59290 > 10.244.0.3.80: Flags [S], seq 3537179183, win 64240, options [mss 1460,sackOK,TS val 2765308006 ecr 0,nop,wscale 7], length 0
09:00:03.000008 IP 192.168.49.3.46505 > 192.168.49.2.6784: UDP, length 82
09:00:03.000614 IP 192.168.49.2.55529 > 192.168.49.3.6784: UDP, length 82
2 packets captured
20 packets received by filter
0 packets dropped by kernel
2 packets captured
10 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-2 tcpdump -nn -i any -c 2 tcp
[2]+  Done                    ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080
`);
  });
  it("aws-vpc-cni", () => {
    expect(run("aws-vpc-cni")).toBe(`$ ssh node-2 tcpdump -nn -i any -c 2 tcp &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
$ ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080 &
[2] 4302
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ curl -s -o /dev/null 192.168.49.3:30080
09:00:03.000000 eth0  In  IP 192.168.49.1.44041 > 192.168.49.3.30080: Flags [S], seq 3537179183, win 64240, options [mss 1460,sackOK,TS val 2765308006 ecr 0,nop,wscale 7], length 0
09:00:03.000004 eth0  Out IP 192.168.49.3.59290 > 10.244.0.3.80: Flags [S], seq 3537179183, win 64240, options [mss 1460,sackOK,TS val 2765308006 ecr 0,nop,wscale 7], length 0
09:00:03.000004 IP 192.168.49.3.59290 > 10.244.0.3.80: Flags [S], seq 3537179183, win 64240, options [mss 1460,sackOK,TS val 2765308006 ecr 0,nop,wscale 7], length 0
09:00:03.000594 IP 10.244.0.3.80 > 192.168.49.3.59290: Flags [S.], seq 2878609823, ack 3537179184, win 64240, options [mss 1460,sackOK,TS val 3483544022 ecr 2765308006,nop,wscale 7], length 0
2 packets captured
20 packets received by filter
0 packets dropped by kernel
2 packets captured
10 packets received by filter
0 packets dropped by kernel
[1]-  Done                    ssh node-2 tcpdump -nn -i any -c 2 tcp
[2]+  Done                    ssh node-2 tcpdump -nn -i eth0 -c 2 not port 30080
`);
  });
});
