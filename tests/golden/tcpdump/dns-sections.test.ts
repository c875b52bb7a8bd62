/**
 * tcpdump 4.99.5's DNS printer at each verbosity (print-domain.c at tag tcpdump-4.99.5,
 * domain_print and ns_rprint; compare tests/dns_udp.out, dns_udp-v.out and dns_udp-vv.out):
 * without -v the answers' types and data; -v puts each record's owner name first and prints a
 * SOA's seven fields; -vv adds a response's question (` q: A? NAME.`), its authority section
 * (` ns: …`: CoreDNS's negative answers carry the zone's SOA there) and additional section
 * (` ar: . OPT UDPsize=1232 [COOKIE …]`: dig's EDNS OPT, eopt_print's hex cookie), and a
 * query's additional section. ns_rprint's other types, for the Internet names CoreDNS forwards:
 * T_MX prints the exchange then the preference (` MX smtp.google.com. 10`; RFC 7505's null MX
 * as ` MX . 0`), T_TXT each character-string in quotes (ns_cprint), T_NS and T_CNAME the name.
 */
import { describe, it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { cluster, type } from './scenario';

describe('tcpdump DNS sections', () => {
  it('answers, authority and additional records at -v and -vv (dig, nslookup NXDOMAIN)', () => {
    const sim = cluster('calico');
    let s = '';
    for (const l of [
      'ssh node-1 tcpdump -nn -vv -i calia7a3e029a7b port 53 &',
      'kubectl exec client -- dig +short web.default.svc.cluster.local',
      'kubectl exec client -- dig +short nope.default.svc.cluster.local',
      'kill %1',
      'ssh node-1 tcpdump -nn -v -i calia7a3e029a7b port 53 &',
      'kubectl exec client -- nslookup nope.default.svc.cluster.local',
      'kill %1',
      'ssh node-1 tcpdump -nn -i calia7a3e029a7b port 53 &',
      'kubectl exec client -- nslookup nope.default.svc.cluster.local',
      'kill %1',
    ]) s += `$ ${l}\n` + type(sim, l);
    golden('tcpdump/dns-sections.txt', s);
  });

  it('MX, TXT, NS and CNAME answers for Internet names', () => {
    const sim = cluster('calico');
    let s = '';
    for (const l of [
      'ssh node-1 tcpdump -nn -i calia7a3e029a7b port 53 &',
      'kubectl exec client -- dig +short MX google.com',
      'kubectl exec client -- dig +short MX example.com',
      'kubectl exec client -- dig +short TXT example.com',
      'kubectl exec client -- dig +short NS google.com',
      'kubectl exec client -- dig +short www.github.com',
      'kill %1',
      'ssh node-1 tcpdump -nn -v -i calia7a3e029a7b port 53 &',
      'kubectl exec client -- dig +short MX google.com',
      'kubectl exec client -- dig +short TXT example.com',
      'kill %1',
    ]) s += `$ ${l}\n` + type(sim, l);
    golden('tcpdump/dns-internet.txt', s);
  });
});
