/**
 * The simulated Internet's records beyond A/AAAA (which come from dataplane/internet.ts), as
 * the names publish them in public DNS (2025–2026). Only values we could verify are here; a
 * type a name does not list answers NODATA.
 *  - example.com MX `0 .`: the null MX of RFC 7505 §3 ("this domain accepts no mail"), which
 *    IANA publishes for its reserved example domains; TXT `v=spf1 -all` (RFC 7208: no host
 *    may send mail as the domain), its partner.
 *  - google.com MX `10 smtp.google.com.` (Google's own domain since 2023) and NS
 *    ns1–ns4.google.com.
 *  - www.github.com is a CNAME to github.com.
 * TTLs are the 300 s the simulated Internet uses for every record.
 */
import type { DnsRecord } from '../../dataplane/packet';

type Rdata = Partial<Record<'MX' | 'TXT' | 'NS', string[]>>;

const ZONES: Record<string, Rdata> = {
  'example.com': { MX: ['0 .'], TXT: ['v=spf1 -all'] },
  'google.com': { MX: ['10 smtp.google.com.'], NS: ['ns1.google.com.', 'ns2.google.com.', 'ns3.google.com.', 'ns4.google.com.'] },
};

const CNAMES: Record<string, string> = {
  'www.github.com': 'github.com.',
};

/** The records of `qtype` a name publishes (MX, TXT, NS), or none. */
export function zoneRecords(qname: string, qtype: string): DnsRecord[] {
  const name = qname.replace(/\.$/, '').toLowerCase();
  const data = ZONES[name]?.[qtype as keyof Rdata] ?? [];
  return data.map((d) => ({ name: qname, type: qtype as DnsRecord['type'], ttl: 300, data: d }));
}

/** The target of a name that is an alias (CNAME) on the simulated Internet. */
export function internetCname(qname: string): string | undefined {
  return CNAMES[qname.replace(/\.$/, '').toLowerCase()];
}
