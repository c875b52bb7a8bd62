/**
 * DNS answers as the tools print them.
 *  - dig (bind 9.18 bin/dig/dig.c + lib/dns/masterdump.c): records in master-file style with
 *    the columns dig configures (dns_master_stylecreate: TTL at 24, class at 32, type at 40,
 *    rdata at 48, tab width 8; a field past its column gets one space); the question line
 *    `;name.<tabs>IN<tab>TYPE`; header, flags, OPT pseudosection, Query time, SERVER, WHEN,
 *    and `MSG SIZE  rcvd:` as the wire length of the reply (names compressed as miekg/dns
 *    packs them: owner names and CNAME/PTR/NS/SOA rdata, not SRV targets).
 *  - nslookup: busybox 1.36 networking/nslookup.c (parse_reply, send_queries) and bind 9.18
 *    bin/dig/nslookup.c (printsection, printmessage).
 *  - host: bind 9.18 bin/dig/host.c (printsection's "has address", "is an alias for",
 *    "domain name pointer", "has SRV record").
 */
import type { DnsRecord } from '../../dataplane/packet';

/** masterdump.c indent(): tabs up to the column, at least one character of separation. */
function indentTo(cur: number, to: number, tab = 8): { text: string; col: number } {
  if (to < cur + 1) to = cur + 1;
  let text = '';
  const ntabs = Math.floor(to / tab) - Math.floor(cur / tab);
  let from = cur;
  if (ntabs > 0) {
    text += '\t'.repeat(ntabs);
    from = Math.floor(to / tab) * tab;
  }
  text += ' '.repeat(Math.max(0, to - from));
  return { text, col: to };
}

function fqdn(n: string): string {
  return n.endsWith('.') ? n : n + '.';
}

/** One record as dig prints it: `web.default.svc.cluster.local. 30 IN\tA\t10.96.12.3`. */
export function digRecord(r: DnsRecord): string {
  let s = fqdn(r.name);
  let col = s.length;
  for (const [field, to] of [[String(r.ttl), 24], ['IN', 32], [r.type, 40]] as [string, number][]) {
    const ind = indentTo(col, to);
    s += ind.text + field;
    col = ind.col + field.length;
  }
  const ind = indentTo(col, 48);
  return s + ind.text + (r.type === 'TXT' ? `"${r.data}"` : r.data);
}

/** The question line: `;web.default.svc.cluster.local.\tIN\tA`. */
export function digQuestion(name: string, type: string): string {
  let s = ';' + fqdn(name);
  let col = s.length;
  for (const [field, to] of [['IN', 32], [type, 40]] as [string, number][]) {
    const ind = indentTo(col, to);
    s += ind.text + field;
    col = ind.col + field.length;
  }
  return s;
}

function labels(name: string): string[] {
  const n = name.replace(/\.$/, '');
  return n ? n.split('.') : [];
}

/** Wire length of a name, compressing against suffixes already written. */
function nameLen(name: string, seen: Set<string>, compress: boolean): number {
  const ls = labels(name.toLowerCase());
  let len = 0;
  for (let i = 0; i < ls.length; i++) {
    const suffix = ls.slice(i).join('.');
    if (compress && seen.has(suffix)) return len + 2;
    len += 1 + ls[i].length;
  }
  for (let i = 0; i < ls.length; i++) seen.add(ls.slice(i).join('.'));
  return len + 1;
}

function rdataLen(r: DnsRecord, seen: Set<string>): number {
  switch (r.type) {
    case 'A':
      return 4;
    case 'AAAA':
      return 16;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return nameLen(r.data, seen, true);
    case 'SRV':
      return 6 + nameLen(r.data.split(' ')[3], seen, false);
    case 'SOA': {
      const [m, rn] = r.data.split(' ');
      return nameLen(m, seen, true) + nameLen(rn, seen, true) + 20;
    }
    case 'TXT':
      return r.data.length + 1;
    case 'MX':
      // RFC 1035 3.3.9: a 16-bit preference, then the exchange (compressible)
      return 2 + nameLen(r.data.split(' ')[1] ?? '.', seen, true);
  }
}

export interface DigReply {
  id: number;
  rcode: string;
  aa: boolean;
  /** recursion available (forwarders and resolvers say yes; CoreDNS's own zones say no) */
  ra: boolean;
  qname: string;
  qtype: string;
  answer: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  cookie: string;
}

/** The reply's size on the wire (header, question, records, and unless `edns` is false the OPT with the echoed 8-byte client cookie). */
export function messageSize(m: Pick<DigReply, 'qname' | 'answer' | 'authority' | 'additional'>, edns = true): number {
  const seen = new Set<string>();
  let size = 12 + nameLen(m.qname, seen, true) + 4;
  for (const r of [...m.answer, ...m.authority, ...m.additional]) {
    size += nameLen(r.name, seen, true) + 10 + rdataLen(r, seen);
  }
  if (edns) size += 1 + 10 + 4 + 8;
  return size;
}

export interface DigPrintOptions {
  cmdline: string;
  /** dig.c printgreeting: `; (N server(s) found)` under the banner when `@server` named one */
  serversFound?: number;
  /** dig.c received(): the SERVER line's transport, `TCP` under +tcp/+vc (9.18.28 bin/dig/dig.c received()) */
  tcp?: boolean;
  server: string;
  queryMs: number;
  when: string;
  /** +cmd: the "; <<>> DiG" banner and global options */
  banner: boolean;
  comments: boolean;
  question: boolean;
  answer: boolean;
  authority: boolean;
  additional: boolean;
  stats: boolean;
}

/** dig.c printgreeting (9.18.28): the command line, `; (N server found)` after an `@server`, the global options. */
export function digBanner(cmdline: string, serversFound?: number): string {
  const found = serversFound ? `; (${serversFound} server${serversFound > 1 ? 's' : ''} found)\n` : '';
  return `\n; <<>> DiG 9.18.28 <<>> ${cmdline}\n${found};; global options: +cmd\n`;
}

/** A whole dig reply. */
export function digOutput(m: DigReply, o: DigPrintOptions): string {
  let s = '';
  if (o.banner) s += digBanner(o.cmdline, o.serversFound);
  if (o.comments) {
    const flags = ['qr', ...(m.aa ? ['aa'] : []), 'rd', ...(m.ra ? ['ra'] : [])].join(' ');
    s += ';; Got answer:\n';
    s += `;; ->>HEADER<<- opcode: QUERY, status: ${m.rcode}, id: ${m.id}\n`;
    s += `;; flags: ${flags}; QUERY: 1, ANSWER: ${m.answer.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length + 1}\n`;
    if (!m.ra) s += ';; WARNING: recursion requested but not available\n';
    s += '\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n';
    s += `; COOKIE: ${m.cookie} (echoed)\n`;
  }
  if (o.question) {
    if (o.comments) s += ';; QUESTION SECTION:\n';
    s += digQuestion(m.qname, m.qtype) + '\n';
  }
  const section = (title: string, rs: DnsRecord[], show: boolean) => {
    if (!show || rs.length === 0) return;
    if (o.comments || o.question) s += '\n';
    if (o.comments) s += `;; ${title} SECTION:\n`;
    for (const r of rs) s += digRecord(r) + '\n';
  };
  section('ANSWER', m.answer, o.answer);
  section('AUTHORITY', m.authority, o.authority);
  section('ADDITIONAL', m.additional, o.additional);
  if (o.stats) {
    // the blank line closes the last section, and lib/dns/message.c (9.18.28
    // dns_message_sectiontotext) writes it only without DNS_MESSAGETEXTFLAG_NOCOMMENTS, which
    // dig.c sets for +nocomments; so `+noall +stats` starts at received()'s `;; Query time`
    s += `${o.comments ? '\n' : ''};; Query time: ${o.queryMs} msec\n`;
    s += `;; SERVER: ${o.server}#53(${o.server}) (${o.tcp ? 'TCP' : 'UDP'})\n`;
    s += `;; WHEN: ${o.when}\n`;
    s += `;; MSG SIZE  rcvd: ${messageSize(m)}\n\n`;
  } else if (o.comments || o.question) {
    s += '\n';
  }
  return s;
}

/** dig +short: the rdata of the answer section. */
export function digShort(answer: DnsRecord[]): string {
  return answer.map((r) => (r.type === 'TXT' ? `"${r.data}"` : r.data) + '\n').join('');
}

/** `Wed Jan 15 09:00:00 UTC 2025`, as dig's WHEN line prints the local time (the nodes run in UTC). */
export function digWhen(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** nslookup's and host's rendering of one answer record (bind's nslookup printsection). */
export function nslookupBindRecord(r: DnsRecord): string {
  const name = r.name.replace(/\.$/, '');
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${name}\nAddress: ${r.data}\n`;
    case 'CNAME':
      return `${name}\tcanonical name = ${r.data}\n`;
    case 'PTR':
      return `${name}\tname = ${r.data}\n`;
    case 'NS':
      return `${name}\tnameserver = ${r.data}\n`;
    case 'SRV':
      return `${name}\tservice = ${r.data}\n`;
    case 'TXT':
      return `${name}\ttext = "${r.data}"\n`;
    case 'MX':
      // nslookup.c rtypetext[15] "mail exchanger = ", then the rdata as text (exchange keeps its dot)
      return `${name}\tmail exchanger = ${r.data}\n`;
    case 'SOA': {
      const [m, rn, serial, refresh, retry, expire, min] = r.data.split(' ');
      return `${name}\n\torigin = ${m.replace(/\.$/, '')}\n\tmail addr = ${rn.replace(/\.$/, '')}\n\tserial = ${serial}\n\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${min}\n`;
    }
  }
}

/**
 * bind nslookup's `-debug` block (bin/dig/nslookup.c printmessage with short_form off):
 * `------------`, then detailsection() for QUESTIONS (`\tname, type = T, class = IN`), ANSWERS,
 * AUTHORITY RECORDS and ADDITIONAL RECORDS — each record `    ->  owner`, then printsoa()'s lines
 * for an SOA or `\t` + printrdata() (rtypetext[type] + the rdata as text) for the rest, then
 * `\tttl = N` — and `------------`. Names go through dns_name_format (no final dot).
 */
export function nslookupDebugBlock(qname: string, qtype: string, m: { answer: DnsRecord[]; authority: DnsRecord[]; additional: DnsRecord[] }): string {
  const bare = (n: string) => (n === '.' ? '.' : n.replace(/\.$/, ''));
  const rtypetext: Record<DnsRecord['type'], string> = {
    A: 'internet address = ', NS: 'nameserver = ', CNAME: 'canonical name = ', SOA: 'soa = ', PTR: 'name = ',
    MX: 'mail exchanger = ', TXT: 'text = ', AAAA: 'has AAAA address ', SRV: 'service = ',
  };
  const rec = (r: DnsRecord): string => {
    let s = `    ->  ${bare(r.name)}\n`;
    if (r.type === 'SOA') s += nslookupBindRecord(r).split('\n').slice(1).join('\n');
    else s += `\t${rtypetext[r.type]}${r.type === 'TXT' ? `"${r.data}"` : r.data}\n`;
    return s + `\tttl = ${r.ttl}\n`;
  };
  let s = '------------\n    QUESTIONS:\n';
  s += `\t${bare(qname)}, type = ${qtype}, class = IN\n`;
  s += '    ANSWERS:\n' + m.answer.map(rec).join('');
  s += '    AUTHORITY RECORDS:\n' + m.authority.map(rec).join('');
  s += '    ADDITIONAL RECORDS:\n' + m.additional.map(rec).join('');
  return s + '------------\n';
}

/** busybox's parse_reply: names without the trailing dot, `canonical name = x` without it too. */
export function nslookupBusyboxRecord(r: DnsRecord): string {
  const name = r.name.replace(/\.$/, '');
  const strip = (s: string) => s.replace(/\.$/, '');
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${name}\nAddress: ${r.data}\n`;
    case 'CNAME':
      return `${name}\tcanonical name = ${strip(r.data)}\n`;
    case 'PTR':
      return `${name}\tname = ${strip(r.data)}\n`;
    case 'NS':
      return `${name}\tnameserver = ${strip(r.data)}\n`;
    case 'SRV': {
      const [p, w, port, t] = r.data.split(' ');
      return `${name}\tservice = ${p} ${w} ${port} ${strip(t)}\n`;
    }
    case 'TXT':
      return `${name}\ttext = "${r.data}"\n`;
    case 'MX': {
      // parse_reply ns_t_mx: "%s\tmail exchanger = %d %s" with the dn_expand'ed exchange (no dot; the root is ".")
      const [pref, ex] = r.data.split(' ');
      return `${name}\tmail exchanger = ${pref} ${ex === '.' ? '.' : strip(ex)}\n`;
    }
    case 'SOA': {
      const [m, rn, serial, refresh, retry, expire, min] = r.data.split(' ');
      return `${name}\n\torigin = ${strip(m)}\n\tmail addr = ${strip(rn)}\n\tserial = ${serial}\n\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${min}\n`;
    }
  }
}

/** host(1)'s line for one record. */
export function hostRecord(r: DnsRecord): string {
  const name = r.name.replace(/\.$/, '');
  switch (r.type) {
    case 'A':
      return `${name} has address ${r.data}\n`;
    case 'AAAA':
      return `${name} has IPv6 address ${r.data}\n`;
    case 'CNAME':
      return `${name} is an alias for ${r.data}\n`;
    case 'PTR':
      return `${name} domain name pointer ${r.data}\n`;
    case 'SRV':
      return `${name} has SRV record ${r.data}\n`;
    case 'NS':
      return `${name} name server ${r.data}\n`;
    case 'TXT':
      return `${name} descriptive text "${r.data}"\n`;
    case 'SOA':
      return `${name} has SOA record ${r.data}\n`;
    case 'MX':
      // host.c rtype_totext / say_message: "mail is handled by"
      return `${name} mail is handled by ${r.data}\n`;
  }
}

/**
 * drill (ldns 1.8.3 host2str.c): ldns_rr2buffer_str_fmt's tab-separated record (owner, TTL
 * unless a question, class, type, rdata) and ldns_pkt2buffer_str_fmt's whole packet, every
 * section header printed even when empty, `;; SERVER:` without a port, WHEN in ctime(3) form.
 */
export function drillRecord(r: DnsRecord): string {
  return `${fqdn(r.name)}\t${r.ttl}\tIN\t${r.type}\t${r.type === 'TXT' ? `"${r.data}"` : r.data}`;
}

/** The same reply as dig's, less the EDNS cookie drill does not send, plus what drill's footer prints. */
export interface DrillReply extends Omit<DigReply, 'cookie'> {
  server: string;
  queryMs: number;
  /** virtual-clock milliseconds */
  when: number;
}

/** ctime(3): `Wed Jan  5 09:00:00 2025` (the nodes run in UTC). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** ldns_pkt2buffer_str_fmt for a reply to a query sent without EDNS (drill's default). */
export function drillOutput(m: DrillReply): string {
  const flags = ['qr', ...(m.aa ? ['aa'] : []), 'rd', ...(m.ra ? ['ra'] : [])].map((f) => f + ' ').join('');
  let s = `;; ->>HEADER<<- opcode: QUERY, rcode: ${m.rcode}, id: ${m.id}\n`;
  s += `;; flags: ${flags}; QUERY: 1, ANSWER: ${m.answer.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length} \n`;
  s += `;; QUESTION SECTION:\n;; ${fqdn(m.qname)}\tIN\t${m.qtype}\n\n`;
  const section = (title: string, rs: DnsRecord[]) => `;; ${title} SECTION:\n` + rs.map((r) => drillRecord(r) + '\n').join('') + '\n';
  s += section('ANSWER', m.answer) + section('AUTHORITY', m.authority) + section('ADDITIONAL', m.additional);
  s += `;; Query time: ${m.queryMs} msec\n;; SERVER: ${m.server}\n;; WHEN: ${ctime(m.when)}\n`;
  s += `;; MSG SIZE  rcvd: ${messageSize(m, false)}\n`;
  return s;
}
