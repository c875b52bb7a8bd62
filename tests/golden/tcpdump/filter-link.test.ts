/**
 * pcap-filter's link-layer primitives, by the capture's link type.
 *
 * libpcap 1.10 (Ubuntu 22.04's tcpdump 4.99 links it): grammar.y `LESS NUM` / `GREATER NUM`
 * (gencode.c gen_less: `len <= N`, gen_greater: `len >= N`), `LEN` in `arth` (gen_loadlen:
 * BPF_LD|BPF_LEN, the whole frame's length, its link header included: 14 bytes on Ethernet,
 * Linux cooked v2's 20 on `any`, none on tunl0's raw IP), `pname '[' … ']'` with `ether`/`link`
 * (gen_load Q_LINK: from the link header's start, so `ether[12:2]` is the ethertype and, on
 * `any`, `ether[10]` sll2_pkttype: 4 for PACKET_OUTGOING), gen_ecode's `ether host|src|dst`
 * over the Ethernet addresses (gen_ehostop) and its errors ("ethernet addresses supported only
 * on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel" off Ethernet, "ethernet address
 * used in non-ether expression" without `ether`), gen_scode's "unknown ether host '%s'"
 * (pcap_ether_hostton: no /etc/ethers), gen_vlan's "no VLAN support for %s" (on Ethernet
 * `vlan` matches only 802.1Q frames, and nothing here is tagged). -e prints the Ethernet header
 * (print-ether.c: `SRC > DST, ethertype IPv4 (0x0800), length N: `).
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

it('len, greater, less, ether[…], ether host/src/dst and vlan pick the frames they name', () => {
  golden('tcpdump/filter-link.txt', transcript([
    'ssh node-1',
    'ip -br link show eth0',
    "tcpdump -nn -e -i eth0 'greater 100' &",
    'curl -s -o /dev/null 10.244.0.67',
    'kill %1',
    "tcpdump -nn -i tunl0 'less 60' &",
    'curl -s -o /dev/null 10.244.0.67',
    'kill %1',
    "tcpdump -nn -e -i eth0 'ether src 02:42:c0:a8:31:03 and len >= 66 and len <= 100' &",
    'curl -s -o /dev/null 10.244.0.67',
    'kill %1',
    "tcpdump -nn -i eth0 'ether[12:2] = 0x0800 and ether[0:4] = 0x0242c0a8 and ether[5] = 2 and length > 500' &",
    'curl -s -o /dev/null 10.244.0.67',
    'kill %1',
    "tcpdump -nn -i any 'ether[10] = 4 and udp port 53' &",
    'dig +short web.default.svc.cluster.local @10.96.0.10',
    'kill %1',
    "tcpdump -nn -i eth0 'vlan or ether dst host 02-42-C0-A8-31-02 and greater 900' &",
    'curl -s -o /dev/null 10.244.0.67',
    'kill %1',
  ]));
});

it('link-layer errors are gencode.c\'s', () => {
  expect(transcript([
    'ssh node-1',
    'tcpdump -nn -i any ether host 02:42:c0:a8:31:02',
    'tcpdump -nn -i eth0 host 02:42:c0:a8:31:02',
    'tcpdump -nn -i eth0 ether host node-2',
    'tcpdump -nn -i tunl0 ether host node-2',
    'tcpdump -nn -i tunl0 vlan',
    'tcpdump -nn -i any vlan 10',
    'tcpdump -nn -i eth0 greater',
    'tcpdump -nn -i eth0 len',
  ])).toBe(`$ ssh node-1
$ tcpdump -nn -i any ether host 02:42:c0:a8:31:02
tcpdump: ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel
$ tcpdump -nn -i eth0 host 02:42:c0:a8:31:02
tcpdump: ethernet address used in non-ether expression
$ tcpdump -nn -i eth0 ether host node-2
tcpdump: unknown ether host 'node-2'
$ tcpdump -nn -i tunl0 ether host node-2
tcpdump: only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name
$ tcpdump -nn -i tunl0 vlan
tcpdump: no VLAN support for Raw IP
$ tcpdump -nn -i any vlan 10
tcpdump: no VLAN support for Linux cooked v2
$ tcpdump -nn -i eth0 greater
tcpdump: can't parse filter expression: syntax error
$ tcpdump -nn -i eth0 len
tcpdump: can't parse filter expression: syntax error
`);
});
