/**
 * tcpdump 4.99's text for one packet, after its printers (github.com/the-tcpdump-group/
 * tcpdump, tag tcpdump-4.99.5):
 *
 *   - the timestamp `HH:MM:SS.uuuuuu ` (util-print.c ts_format, the host's zone: UTC);
 *   - the link layer: nothing without -e; with -e on Ethernet `SRC > DST, ethertype IPv4
 *     (0x0800), length N: ` (print-ether.c), on a raw IP device (tunl0) `ip: ` (print-raw.c);
 *     on `any` (DLT_LINUX_SLL2) the interface `%-5s ` and direction `%-3s ` always, with -e
 *     `ifindex N MAC ethertype IPv4 (0x0800), length N: ` (print-sll.c sll2_if_print);
 *   - `IP ` (not with -e) and, for TCP and UDP, `SRC.PORT > DST.PORT: `, else `SRC > DST: ` (print-ip.c);
 *   - TCP: `Flags [S.], seq N, ack N, win N, options [...], length N` with sequence numbers
 *     relative to the conversation's first ACK-bearing packet unless -S (print-tcp.c's
 *     tcp_seq_hash), and `: HTTP: <first line>` on port 80/8080 (print-http.c, txtproto_print);
 *   - UDP: DNS on port 53 (print-domain.c: `ID+ A? NAME. (LEN)`, `ID*- 1/0/0 A ADDR (LEN)`),
 *     OTV on 8472 and VXLAN on 4789 followed by the inner frame on the next line
 *     (print-otv.c, print-vxlan.c), else `UDP, length N` (print-udp.c);
 *   - ICMP: `ICMP echo request, id N, seq N, length 64`, `ICMP A tcp port P unreachable,
 *     length N` (print-icmp.c);
 *   - IPIP: the outer `SRC > DST: ` then the inner packet's `IP …` (ip_demux_print).
 *
 * -v verifies checksums from the packet's bytes (bytes.ts packetSums) as tcpdump 4.99.5 does:
 * print-ip.c `, bad cksum %x (->%x)!` in the IPv4 header only when wrong; print-tcp.c
 * `, cksum 0x%04x (correct)` after the flags; print-udp.c `[udp sum ok] ` after the ports
 * (IPv4: -vv only, `[no cksum] ` for a zero field such as VXLAN's outer UDP; IPv6: -v);
 * print-icmp.c ` (wrong icmp cksum …)` only when wrong; print-icmp6.c `[icmp6 sum ok] `.
 *
 * Checksum offload is not modelled: every checksum is as if computed in software, so a
 * capture shows `(correct)` everywhere, the sender's own interface included. On a real node
 * a locally generated TCP/UDP packet leaving through a device with tx checksum offload
 * (veth: drivers/net/veth.c VETH_FEATURES has NETIF_F_HW_CSUM; a Pod's eth0 and, on a
 * minikube/kind docker network, a node's eth0 are veths) is CHECKSUM_PARTIAL: its field
 * holds only the pseudo-header sum (__tcp_v4_send_check, udp4_hwcsum), and af_packet copies
 * it before anything completes it, so tcpdump there prints `cksum 0x… (incorrect -> 0x…)`,
 * and the state travels over veth pairs and bridges to the receiver. Where it is completed
 * depends on per-device offload settings the simulation does not hold (ethtool -K; Calico's
 * Felix turns tx checksumming off on its tunnel device when its feature detection finds the
 * kernel's offload broken, FeatureDetectOverride ChecksumOffloadBroken, projectcalico/calico
 * felix KeepVXLANDeviceInSync; a cloud NIC completes it on the wire), so rather than guess
 * it the bytes carry the finished checksum.
 *
 * -n (4.99: one -n already stops port names too, init_addrtoname returns early) prints
 * numbers; without it ports take their /etc/services names and addresses a reverse lookup.
 */
import type { DnsWire, Encap, IcmpMsg, IpPacket, TcpSeg, UdpDgram, WireEvent } from './wire';
import { frameIpLength, ipLength, TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN } from './wire';
import { SERVICES } from './filter';
import { cksumShouldBe, cookie, dontFragment, EDNS_UDP_SIZE, fnvId, ipBytes, networkBytes, packetSums, type PacketSums } from './bytes';

export interface PrintOptions {
  /** -n: numbers, not names. */
  numeric: boolean;
  /** -e: the link-level header. */
  link: boolean;
  /** -S: absolute sequence numbers. */
  absolute: boolean;
  /** The capture is on `any` (Linux cooked v2). */
  any: boolean;
  /** An address's name for a capture without -n (a reverse lookup), or undefined. */
  hostName?: (ip: string) => string | undefined;
  /** -v, -vv: the IP header's fields; -vv also every TCP segment's seq and a DNS response's question. */
  verbose?: number;
  /** Not -K (--dont-verify-checksums): -v verifies the IPv4, TCP and UDP checksums (ICMP's are verified even with -K). */
  checksums?: boolean;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** The checksums of the packet whose bytes are `b`, when -v asks for them and the model holds the bytes. */
function sumsOf(b: number[] | undefined, o: PrintOptions): PacketSums | undefined {
  return o.verbose && b ? packetSums(b) : undefined;
}

/** print-tcp.c (with -v, not -K): `, cksum 0x%04x (correct)` or ` (incorrect -> 0x%04x)`, right after the flags. */
export function tcpSum(s: PacketSums | undefined, o: PrintOptions): string {
  if (!s?.l4 || o.checksums === false) return '';
  const { field, sum } = s.l4;
  return `, cksum 0x${hex4(field)}${sum !== 0 ? ` (incorrect -> 0x${hex4(cksumShouldBe(field, sum))})` : ' (correct)'}`;
}

/**
 * print-udp.c (with -v, not -K), between the ports and the payload's printer: over IPv4 only
 * with -vv (`[no cksum] ` for a zero field), over IPv6 with -v (the checksum is mandatory);
 * `[udp sum ok] ` or `[bad udp cksum 0x%04x -> 0x%04x!] `.
 */
export function udpSum(s: PacketSums | undefined, o: PrintOptions): string {
  if (!s?.l4 || o.checksums === false) return '';
  const { field, sum } = s.l4;
  if (!s.six) {
    if ((o.verbose ?? 0) < 2) return '';
    if (field === 0) return '[no cksum] ';
  }
  return sum !== 0 ? `[bad udp cksum 0x${hex4(field)} -> 0x${hex4(cksumShouldBe(field, sum))}!] ` : '[udp sum ok] ';
}

/** tcpdump's per-conversation initial sequence numbers (print-tcp.c tcp_seq_hash). */
export type SeqState = Map<string, { seq: number; ack: number }>;

const PORT_NAMES = new Map<number, string>();
for (const [name, port] of Object.entries(SERVICES)) if (!PORT_NAMES.has(port) && name !== 'www' && name !== 'webcache') PORT_NAMES.set(port, name);

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `HH:MM:SS.uuuuuu` of a virtual-clock time in microseconds (UTC). */
export function timestamp(us: number): string {
  const ms = Math.floor(us / 1000);
  const d = new Date(ms);
  const micro = Math.floor(us) % 1_000_000;
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(micro).padStart(6, '0')}`;
}

function addr(ip: string, o: PrintOptions): string {
  if (o.numeric) return ip;
  return o.hostName?.(ip) ?? ip;
}

function port(p: number, o: PrintOptions): string {
  if (o.numeric) return String(p);
  return PORT_NAMES.get(p) ?? String(p);
}

const FLAG_CHARS: [number, string][] = [
  [TH_FIN, 'F'],
  [TH_SYN, 'S'],
  [TH_RST, 'R'],
  [TH_PUSH, 'P'],
  [TH_ACK, '.'],
];

function tcpText(ip: IpPacket, t: TcpSeg, o: PrintOptions, seqs: SeqState, sums?: PacketSums): string {
  const flags = FLAG_CHARS.filter(([b]) => t.flags & b).map(([, c]) => c).join('') || 'none';
  let seq = t.seq;
  let ack = t.ack;
  if (!o.absolute && t.flags & TH_ACK) {
    // one entry per conversation, keyed in a fixed collating order (the lower port first)
    const rev = t.sport > t.dport || (t.sport === t.dport && ip.src > ip.dst);
    const key = rev ? `${ip.dst}>${ip.src}/${t.dport}:${t.sport}` : `${ip.src}>${ip.dst}/${t.sport}:${t.dport}`;
    const th = seqs.get(key);
    if (!th || t.flags & TH_SYN) {
      seqs.set(key, rev ? { ack: t.seq, seq: (t.ack - 1) >>> 0 } : { seq: t.seq, ack: (t.ack - 1) >>> 0 });
    } else if (rev) {
      seq = (seq - th.ack) >>> 0;
      ack = (ack - th.seq) >>> 0;
    } else {
      seq = (seq - th.seq) >>> 0;
      ack = (ack - th.ack) >>> 0;
    }
  }
  let s = `${addr(ip.src, o)}.${port(t.sport, o)} > ${addr(ip.dst, o)}.${port(t.dport, o)}: Flags [${flags}]${tcpSum(sums, o)}`;
  if ((o.verbose ?? 0) > 1 || t.len > 0 || t.flags & (TH_SYN | TH_FIN | TH_RST)) {
    s += `, seq ${seq}`;
    if (t.len > 0) s += `:${(seq + t.len) >>> 0}`;
  }
  if (t.flags & TH_ACK) s += `, ack ${ack}`;
  s += `, win ${t.win}`;
  if (t.options) s += `, options [${t.options}]`;
  s += `, length ${t.len}`;
  // print-tcp.c: port 53 goes to domain_print(…, over_tcp), which skips the two-byte length and prints a space first
  if (t.len > 2 && t.dns && (t.sport === 53 || t.dport === 53)) s += ' ' + dnsText(t.dns, t.len - 2, o.verbose);
  if (t.len > 0 && (t.sport === 80 || t.dport === 80 || t.sport === 8080 || t.dport === 8080)) {
    s += ': HTTP';
    if (t.firstLine) s += `: ${t.firstLine}`;
  }
  return s;
}

const RCODES: Record<string, string> = { NOERROR: '', SERVFAIL: ' ServFail', NXDOMAIN: ' NXDomain', REFUSED: ' Refused' };

const fqdn = (n: string) => (n.endsWith('.') ? n : n + '.');

/**
 * print-domain.c ns_rprint: with -v the owner name first; the class only when not IN; the
 * type; then its data — an address, a name (NS, CNAME, PTR), SOA's seven fields (only with
 * -v), MX's `exchange. pref`, TXT's quoted character-strings, SRV's `target:port prio weight`, an OPT's `UDPsize=N` and its options (eopt_print: COOKIE as hex).
 */
function rrText(r: { name: string; type: string; data: string }, verbose: number): string {
  let s = verbose ? ` ${fqdn(r.name)}` : '';
  s += ` ${r.type}`;
  if (r.type === 'A' || r.type === 'AAAA') s += ` ${r.data}`;
  else if (r.type === 'CNAME' || r.type === 'PTR' || r.type === 'NS') s += ` ${fqdn(r.data)}`;
  else if (r.type === 'SOA') {
    if (verbose) {
      const [mname, rname, ...nums] = r.data.trim().split(/\s+/);
      s += ` ${fqdn(mname)} ${fqdn(rname)} ${nums.slice(0, 5).map((n) => String(Number(n) >>> 0)).join(' ')}`;
    }
  } else if (r.type === 'SRV') {
    const [prio, weight, port, target] = r.data.trim().split(/\s+/);
    s += ` ${fqdn(target ?? '.')}:${port} ${prio} ${weight}`;
  } else if (r.type === 'MX') {
    // T_MX: the exchange, then the preference (`fqdn_print(cp + 2)`, `" %u"`)
    const [pref, exchange] = r.data.trim().split(/\s+/);
    s += ` ${fqdn(exchange ?? '.')} ${Number(pref) & 0xffff}`;
  } else if (r.type === 'TXT') {
    // T_TXT: each character-string quoted (ns_cprint), as dnsBytes cuts the text into 255-byte strings
    const t = r.data.replace(/^"|"$/g, '');
    for (let i = 0; i === 0 || i < t.length; i += 255) s += ` "${t.slice(i, i + 255)}"`;
  }
  return s;
}

/** The EDNS OPT record the message carries (bytes.ts dnsBytes: UDP size 1232, dig's client cookie). */
function optText(d: DnsWire, verbose: number): string {
  const hex = cookie(d).map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${verbose ? ' .' : ''} OPT UDPsize=${EDNS_UDP_SIZE} [COOKIE ${hex}]`;
}

/**
 * print-domain.c domain_print. A query: `ID+`, `[Nau]`, the question, and with -vv the
 * additional section (` ar: . OPT …`). A response: `ID` and its flags, with -vv the question
 * (` q: A? NAME.`), the counts, the answers (owner names with -v), and with -vv the authority
 * (` ns: …`: CoreDNS's SOA in a negative answer) and additional (` ar: …`) sections.
 */
function dnsText(d: DnsWire, len: number, verbose = 0): string {
  if (!d.response) return `${d.id}+${d.arcount ? ` [${d.arcount}au]` : ''} ${d.qtype}? ${fqdn(d.qname)}${verbose > 1 && d.arcount ? ` ar:${optText(d, verbose)}` : ''} (${len})`;
  const flags = `${RCODES[d.rcode] ?? ''}${d.aa ? '*' : ''}${d.ra ? '' : '-'}${verbose > 1 ? ` q: ${d.qtype}? ${fqdn(d.qname)}` : ''}`;
  // an answer without its own name is the question's, or the CNAME's target before it (as dnsBytes writes them)
  let owner = d.qname;
  const ans = d.answers.map((a) => {
    const r = { name: a.name ?? owner, type: a.type, data: a.data };
    if (a.type === 'CNAME') owner = a.data;
    return rrText(r, verbose);
  }).join(',');
  const authority = (d.authority ?? []).slice(0, d.nscount);
  let more = '';
  if (verbose > 1) {
    if (authority.length) more += ` ns:${authority.map((r) => rrText(r, verbose)).join(',')}`;
    if (d.arcount) more += ` ar:${optText(d, verbose)}`;
  }
  return `${d.id}${flags} ${d.answers.length}/${authority.length}/${d.arcount}${ans}${more} (${len})`;
}

function udpText(ip: IpPacket, u: UdpDgram, o: PrintOptions, sums?: PacketSums): string {
  const head = `${addr(ip.src, o)}.${port(u.sport, o)} > ${addr(ip.dst, o)}.${port(u.dport, o)}: ${udpSum(sums, o)}`;
  if (u.dns) return head + dnsText(u.dns, u.len, o.verbose);
  return head + `UDP, length ${u.len}`;
}

/**
 * print-icmp6.c: `ICMP6, echo request, id N, seq N, length N` (the type's name, then its
 * fields, then the length); with -v first `[icmp6 sum ok] ` or `[bad icmp6 cksum 0x%04x ->
 * 0x%04x!] ` (4.99.5 checks it even with -K: the test is `ndo_vflag && !fragmented`).
 */
function icmp6Text(ip: IpPacket, c: IcmpMsg, o: PrintOptions, sums?: PacketSums): string {
  const l4 = sums?.l4;
  const sum = l4 ? (l4.sum !== 0 ? `[bad icmp6 cksum 0x${hex4(l4.field)} -> 0x${hex4(cksumShouldBe(l4.field, l4.sum))}!] ` : '[icmp6 sum ok] ') : '';
  const head = `${addr(ip.src, o)} > ${addr(ip.dst, o)}: ${sum}`;
  let what: string;
  if (c.type === 128 || c.type === 129) what = `echo ${c.type === 128 ? 'request' : 'reply'}, id ${c.id ?? 0}, seq ${c.seq ?? 0}`;
  else if (c.type === 1 && c.code === 4 && c.quoted) what = `destination unreachable, unreachable port, ${addr(c.quoted.dst, o)} ${c.quoted.proto} port ${port(c.quoted.dport, o)}`;
  else if (c.type === 1 && c.code === 3 && c.quoted) what = `destination unreachable, unreachable address ${addr(c.quoted.dst, o)}`;
  else what = `unknown icmp6 type (${c.type})`;
  return head + `ICMP6, ${what}, length ${c.len}`;
}

/**
 * print-icmp.c: `ICMP <what>, length N`; with -v ` (wrong icmp cksum %x (->%x)!)` only when
 * the checksum is wrong (checked even with -K), and an error's quoted packet on the next
 * line after a tab (ICMP_ERRTYPE: ip_print of the bytes it quotes).
 */
function icmpText(ip: IpPacket, c: IcmpMsg, o: PrintOptions, seqs: SeqState, sums?: PacketSums): string {
  const head = `${addr(ip.src, o)} > ${addr(ip.dst, o)}: `;
  let what: string;
  if (c.type === 8 || c.type === 0) what = `echo ${c.type === 8 ? 'request' : 'reply'}, id ${c.id ?? 0}, seq ${c.seq ?? 0}`;
  else if (c.type === 3 && c.code === 3 && c.quoted) what = `${addr(c.quoted.dst, o)} ${c.quoted.proto} port ${port(c.quoted.dport, o)} unreachable`;
  else if (c.type === 3 && c.code === 1 && c.quoted) what = `host ${addr(c.quoted.dst, o)} unreachable`;
  else what = `type-#${c.type}`;
  let s = head + `ICMP ${what}, length ${c.len}`;
  const l4 = sums?.l4;
  if (l4 && l4.sum !== 0) s += ` (wrong icmp cksum ${l4.field.toString(16)} (->${cksumShouldBe(l4.field, l4.sum).toString(16)})!)`;
  if (o.verbose && (c.type === 3 || c.type === 4 || c.type === 5 || c.type === 11 || c.type === 12) && c.quotedPacket) {
    // the checksums only when the message quotes the packet whole (print-tcp.c/print-udp.c's ND_TTEST_LEN)
    const q = ipBytes(c.quotedPacket);
    s += '\n\t' + ipText(c.quotedPacket, o, seqs, q && q.length <= c.len - 8 ? q : undefined);
  }
  return s;
}

/**
 * print-ip.c ip_print / print-ip6.c ip6_print: `IP ` (`IP6 `) names the protocol only without
 * -e (`if (!ndo->ndo_eflag) nd_print_protocol_caps(ndo)`); with -e the link header's
 * `ethertype IPv4 (0x0800), length N: ` has said it, the inner packet of a tunnel included.
 */
function caps(name: 'IP' | 'IP6', o: PrintOptions): string {
  return o.link ? '' : `${name} `;
}

/** One IP packet's text; `bytes` are its bytes (header on), from which -v reads the checksums. */
function ipText(ip: IpPacket, o: PrintOptions, seqs: SeqState, bytes?: number[]): string {
  const l4 = ip.l4;
  // print-ip6.c: an IPv6 datagram is `IP6 ` and the same TCP/UDP printers; ICMPv6 its own (print-icmp6.c)
  const six = ip.dst.includes(':');
  const sums = sumsOf(bytes, o);
  const head = six ? `${caps('IP6', o)}${o.verbose && sums?.six ? ip6Header(sums.six) : ''}` : `${caps('IP', o)}${o.verbose ? ipHeader(l4.kind, ip.ttl, ip.id, dontFragment(l4), ipLength(ip), badIpSum(sums, o)) : ''}`;
  if (l4.kind === 'tcp') return head + tcpText(ip, l4, o, seqs, sums);
  if (l4.kind === 'udp') return head + udpText(ip, l4, o, sums);
  return head + (six ? icmp6Text(ip, l4, o, sums) : icmpText(ip, l4, o, seqs, sums));
}

/** print-ip.c (with -v, not -K): `, bad cksum %x (->%x)!` inside the header's parentheses, only when it does not verify. */
export function badIpSum(s: PacketSums | undefined, o: PrintOptions): string {
  if (!s?.ip || o.checksums === false || s.ip.sum === 0) return '';
  return `, bad cksum ${s.ip.field.toString(16)} (->${cksumShouldBe(s.ip.field, s.ip.sum).toString(16)})!`;
}

const NEXT_HEADERS: Record<number, string> = { 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 4: 'IPIP' };

/**
 * print-ip6.c with -v: `(` then `class 0x%02x, ` and `flowlabel 0x%05x, ` when not zero,
 * `hlim %u, next-header %s (%u) payload length: %u) ` (no newline, unlike IPv4).
 */
function ip6Header(h: NonNullable<PacketSums['six']>): string {
  return `(${h.flow ? `flowlabel 0x${h.flow.toString(16).padStart(5, '0')}, ` : ''}hlim ${h.hlim}, next-header ${NEXT_HEADERS[h.next] ?? 'unknown'} (${h.next}) payload length: ${h.plen}) `;
}

const PROTOS = { tcp: 'TCP (6)', udp: 'UDP (17)', icmp: 'ICMP (1)', ipip: 'IPIP (4)' } as const;

/**
 * -v: print-ip.c ip_print's `(tos 0x%x, ttl %u, id %u, offset %u, flags [%s], proto %s (%u),
 * length %u` and, when the header checksum does not verify, `, bad cksum …!`; then `)` and a
 * newline indented four spaces.
 */
function ipHeader(proto: keyof typeof PROTOS, ttl: number, id: number, df: boolean, length: number, bad = ''): string {
  return `(tos 0x0, ttl ${ttl}, id ${id}, offset 0, flags [${df ? 'DF' : 'none'}], proto ${PROTOS[proto]}, length ${length}${bad})\n    `;
}

function etherHead(src: string, dst: string, len: number, six = false): string {
  return `${src} > ${dst}, ethertype ${six ? 'IPv6 (0x86dd)' : 'IPv4 (0x0800)'}, length ${len}: `;
}

/** `net`: the frame's network-layer bytes (outer header on), when -v reads checksums from them. */
function encapText(e: Encap, inner: IpPacket, o: PrintOptions, seqs: SeqState, net?: number[]): string {
  // the outer header (-v): tunl0 inherits the inner TTL and keeps DF (pmtudisc); the VXLAN
  // device sends its UDP with ttl 64 and no DF (vxlan's df unset); the id the kernel picked
  const sums = sumsOf(net, o);
  const outer = (proto: 'ipip' | 'udp', ttl: number, df: boolean, len: number) => (o.verbose ? ipHeader(proto, ttl, fnvId(e, inner), df, len, badIpSum(sums, o)) : '');
  if (e.kind === 'ipip') return `${caps('IP', o)}${outer('ipip', inner.ttl, true, ipLength(inner) + 20)}${addr(e.src, o)} > ${addr(e.dst, o)}: ${ipText(inner, o, seqs, net?.slice(20))}`;
  const six = e.dst.includes(':');
  const head = `${caps(six ? 'IP6' : 'IP', o)}${six ? (o.verbose && sums?.six ? ip6Header(sums.six) : '') : outer('udp', 64, false, ipLength(inner) + 14 + 8 + 8 + 20)}${addr(e.src, o)}.${port(e.sport!, o)} > ${addr(e.dst, o)}.${port(e.dport!, o)}: ${udpSum(sums, o)}`;
  // the inner frame after the outer IP header, UDP (8), VXLAN (8) and Ethernet (14) headers
  const innerBytes = net && sums ? net.slice(sums.hlen + 8 + 8 + 14) : undefined;
  const innerLink = o.link ? etherHead(e.innerSrcMac ?? '', e.innerDstMac ?? '', ipLength(inner) + 14, inner.dst.includes(':')) : '';
  const proto = e.dport === 8472 || e.sport === 8472 ? `OTV, flags [I] (0x08), overlay 0, instance ${e.vni}\n` : e.dport === 4789 || e.sport === 4789 ? `VXLAN, flags [I] (0x08), vni ${e.vni}\n` : null;
  if (!proto) return head + `UDP, length ${ipLength(inner) + 14 + 8}`;
  return head + proto + innerLink + ipText(inner, o, seqs, innerBytes);
}

/** One packet's line(s), without the trailing newline. */
export function formatEvent(e: WireEvent, o: PrintOptions, seqs: SeqState): string {
  let s = timestamp(e.us) + ' ';
  const len = frameIpLength(e);
  if (o.any) {
    s += `${e.iface.padEnd(5)} ${e.dir.padEnd(3)} `;
    const six = (e.encap?.dst ?? e.ip.dst).includes(':');
    if (o.link) s += `ifindex ${e.ifindex} ${e.link === 'raw' ? '' : e.srcMac + ' '}ethertype ${six ? 'IPv6 (0x86dd)' : 'IPv4 (0x0800)'}, length ${len + 20}: `;
  } else if (o.link) {
    s += e.link === 'raw' ? 'ip: ' : etherHead(e.srcMac, e.dstMac, len + 14, (e.encap?.dst ?? e.ip.dst).includes(':'));
  }
  // -v verifies checksums over the packet's bytes (bytes.ts), as print-ip.c, print-tcp.c and print-udp.c do
  const net = o.verbose ? networkBytes(e) : undefined;
  s += e.encap ? encapText(e.encap, e.ip, o, seqs, net) : ipText(e.ip, o, seqs, net);
  return s;
}
