/**
 * `ip proto 4`, `proto ipip`: Calico's IPIP capture on a node's eth0.
 *
 * libpcap 1.10 grammar.y (`pqual PROTO id`: `[ip|ip6] proto NUM|NAME`), gencode.c gen_proto (the
 * IPv4 protocol byte at offset 9 of the outer header; `'tcp proto' is bogus`), lookup_proto
 * (pcap_nametoproto → /etc/protocols: ipip 4; `unknown ip proto '%s'`), scanner.l (`tcp` is a
 * keyword token, so `ip proto tcp` is a syntax error and needs `\tcp`). On eth0 the kernel hands
 * libpcap the encapsulated packet, so the filter sees the outer IPv4 header (protocol 4) and
 * `port 80` does not look inside it; tcpdump's print-ip.c prints the outer then the inner header.
 */
import { expect, it } from 'vitest';
import { cluster, type } from './scenario';

function transcript(lines: string[]): string {
  const sim = cluster('calico');
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

it('ip proto 4 on eth0 captures the IPIP packets between the nodes; proto ipip and not port 80 still matches them (the filter reads the outer header)', () => {
  expect(transcript(["ssh node-1 tcpdump -nn -i eth0 -c 2 ip proto 4 &", "kubectl exec client -- curl -s -o /dev/null web"])).toBe(`$ ssh node-1 tcpdump -nn -i eth0 -c 2 ip proto 4 &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null web
09:00:02.001187 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [S], seq 132241513, win 64400, options [mss 1400,sackOK,TS val 2125962715 ecr 0,nop,wscale 7], length 0
09:00:02.001903 IP 192.168.49.3 > 192.168.49.2: IP 10.244.0.67.80 > 10.244.0.3.55281: Flags [S.], seq 1566472345, ack 132241514, win 64400, options [mss 1400,sackOK,TS val 63103051 ecr 2125962715,nop,wscale 7], length 0
2 packets captured
10 packets received by filter
0 packets dropped by kernel
[1]+  Done                    ssh node-1 tcpdump -nn -i eth0 -c 2 ip proto 4
`);
  expect(transcript(["ssh node-1 tcpdump -nn -i eth0 -c 1 proto ipip and not port 80 &", "kubectl exec client -- curl -s -o /dev/null web"])).toBe(`$ ssh node-1 tcpdump -nn -i eth0 -c 1 proto ipip and not port 80 &
[1] 4301
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes
$ kubectl exec client -- curl -s -o /dev/null web
09:00:02.001187 IP 192.168.49.2 > 192.168.49.3: IP 10.244.0.3.55281 > 10.244.0.67.80: Flags [S], seq 132241513, win 64400, options [mss 1400,sackOK,TS val 2125962715 ecr 0,nop,wscale 7], length 0
1 packet captured
10 packets received by filter
0 packets dropped by kernel
[1]+  Done                    ssh node-1 tcpdump -nn -i eth0 -c 1 proto ipip and not port 80
`);
});

it('proto errors are libpcap\'s', () => {
  expect(transcript(["ssh node-1", "tcpdump -nn ip proto tcp", "tcpdump -nn ip proto nosuch", "tcpdump -nn tcp proto 6", "tcpdump -nn src proto 4", "tcpdump -nn proto"])).toBe(`$ ssh node-1
$ tcpdump -nn ip proto tcp
tcpdump: can't parse filter expression: syntax error
$ tcpdump -nn ip proto nosuch
tcpdump: unknown ip proto 'nosuch'
$ tcpdump -nn tcp proto 6
tcpdump: 'tcp proto' is bogus
$ tcpdump -nn src proto 4
tcpdump: can't parse filter expression: syntax error
$ tcpdump -nn proto
tcpdump: can't parse filter expression: syntax error
`);
});
