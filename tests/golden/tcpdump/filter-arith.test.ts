/**
 * pcap-filter byte offsets and arithmetic, and compound expressions across the protocol forms.
 *
 * libpcap 1.10.5: grammar.y.in `rel` / `arth` / `narth` (a relation between two arithmetic
 * expressions; `pname '[' arth [':' NUM] ']'`; the operators' precedence `%left '|'`, `'&'`,
 * `LSH RSH`, `'+' '-'`, `'*' '/'`); scanner.l (`tcpflags` is NUM 13, `tcp-syn` 0x02, `tcp-ack`
 * 0x10, `icmptype` 0, `icmp-echo` 8, `!=` NEQ, `==` '='); gencode.c gen_load_internal (`tcp[]`,
 * `udp[]`, `icmp[]` from the IPv4 header's length, only for that protocol and the first
 * fragment; "data size must be 1, 2, or 4", "unsupported index operation"), gen_arth
 * ("division by zero", "modulus by zero", "shift by more than 31 bits"). pcap-filter(7)'s own
 * example `tcp[tcpflags] & (tcp-syn|tcp-fin) != 0` picks each connection's first and last packets.
 */
import { expect, it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { cluster, type } from './scenario';

function transcript(lines: string[]): string {
  const sim = cluster('calico');
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

it('tcp[tcpflags], icmp[icmptype], ip[] and compound expressions pick the packets they name', () => {
  // on the node's own shell: the expression is one quoted word, as a learner types it there
  golden('tcpdump/filter-arith.txt', transcript([
    'ssh node-1',
    "tcpdump -nn -i tunl0 'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0' &",
    'curl -s -o /dev/null 10.244.0.67',
    'kill %1',
    "tcpdump -nn -i tunl0 'tcp[13] == 0x12 or icmp[icmptype] = icmp-echo' &",
    'curl -s -o /dev/null 10.244.0.67',
    'ping -c 1 10.244.0.67',
    'kill %1',
    "tcpdump -nn -i eth0 -c 3 'ip[9] = 4 and ip[2:2] > 80 and not (ip proto 4 and ip6 proto 41)' &",
    'curl -s -o /dev/null 10.244.0.67',
    'kill %1',
    // after nat OUTPUT: the query leaves with CoreDNS's Pod address, so `dst net 10.96.0.0/12` would see nothing
    "tcpdump -nn -i any '(src net 192.168.49.0/24 and dst portrange 50-100) and (udp[8:2] - udp[8:2] = 0 or udp[2:2] = 53) and not tcp' &",
    'dig +short web.default.svc.cluster.local @10.96.0.10',
    'kill %1',
  ]));
});

it('arithmetic errors are gencode.c\'s and grammar.y\'s', () => {
  expect(transcript([
    'ssh node-1',
    "tcpdump -nn 'tcp[13:3] != 0'",
    "tcpdump -nn 'tcp[13] / 0 = 1'",
    "tcpdump -nn 'tcp[13] % 0 = 1'",
    "tcpdump -nn 'tcp[13] << 32 = 1'",
    "tcpdump -nn 'esp[0] = 1'",
    "tcpdump -nn 'tcp[13] & = 2'",
    "tcpdump -nn 'tcp[13 = 2'",
    "tcpdump -nn 'tcp[tcpflags] & tcp-syn'",
  ])).toBe(`$ ssh node-1
$ tcpdump -nn 'tcp[13:3] != 0'
tcpdump: data size must be 1, 2, or 4
$ tcpdump -nn 'tcp[13] / 0 = 1'
tcpdump: division by zero
$ tcpdump -nn 'tcp[13] % 0 = 1'
tcpdump: modulus by zero
$ tcpdump -nn 'tcp[13] << 32 = 1'
tcpdump: shift by more than 31 bits
$ tcpdump -nn 'esp[0] = 1'
tcpdump: unsupported index operation
$ tcpdump -nn 'tcp[13] & = 2'
tcpdump: can't parse filter expression: syntax error
$ tcpdump -nn 'tcp[13 = 2'
tcpdump: can't parse filter expression: syntax error
$ tcpdump -nn 'tcp[tcpflags] & tcp-syn'
tcpdump: can't parse filter expression: syntax error
`);
});
