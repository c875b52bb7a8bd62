/**
 * The bytes of a captured packet, built from the packet model the printers read (wire.ts),
 * so that what -X/-A dump and what a savefile holds is what the text lines say:
 *
 *   - the link header by where the capture taps: Ethernet (dst, src, ethertype), Linux
 *     cooked v2 on `any` (libpcap's pcap/sll.h: protocol, reserved, ifindex, ARPHRD type,
 *     packet type, address length, 8 address bytes), none on a raw IP device (tunl0);
 *   - IPv4 (RFC 791: version/IHL 0x45, TOS 0, total length, id, DF as -v prints it, TTL,
 *     protocol, header checksum) or IPv6 (RFC 8200: version 6, flow label, payload length,
 *     next header, hop limit);
 *   - TCP (RFC 793/9293: ports, seq, ack, data offset, flags, window, checksum over the
 *     pseudo-header, urgent 0) with Linux's options in its order: a SYN's `mss`, `sackOK`,
 *     `TS val ecr`, `nop`, `wscale 7` (20 bytes), later segments `nop,nop,TS` (12 bytes);
 *   - UDP (RFC 768, checksum over the pseudo-header; 0 is sent as 0xffff), a DNS message in
 *     RFC 1035 wire form (names compressed as CoreDNS's miekg/dns compresses them: owner
 *     names and the names inside CNAME, NS, PTR, MX and SOA data, never an SRV target);
 *   - ICMP (RFC 792) / ICMPv6 (RFC 4443): an echo's id, sequence and data; an error's
 *     unused word and the offending packet, quoted whole;
 *   - the overlay's outer headers: IPIP (protocol 4, the inner TTL, DF) and VXLAN (outer
 *     UDP without a checksum over IPv4, as the kernel's vxlan device sends it by default;
 *     the 8-byte VXLAN header with the I flag and the VNI; the inner Ethernet header).
 *
 * Every checksum is computed (RFC 1071 one's complement sum); none is left for offload.
 */
import type { DnsWire, Encap, IcmpMsg, IpPacket, TcpSeg, UdpDgram, WireEvent } from './wire';
import { parseIPv6 } from '../../../cluster/ipv6';
import { fnv32a } from '../../../cluster/hash';

/** libpcap's LINKTYPE_ values (pcap/dlt.h, pcap-common.c): what a savefile's header names. */
export const LINKTYPE = { EN10MB: 1, RAW: 101, LINUX_SLL2: 276 } as const;
export type LinkName = keyof typeof LINKTYPE;

/** A growing byte buffer, big-endian (network order). */
class Buf {
  readonly b: number[] = [];
  u8(v: number): this {
    this.b.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(a: ArrayLike<number>): this {
    for (let i = 0; i < a.length; i++) this.b.push(a[i] & 0xff);
    return this;
  }
  /** A latin1 string: one character a byte. */
  str(s: string): this {
    for (let i = 0; i < s.length; i++) this.b.push(s.charCodeAt(i) & 0xff);
    return this;
  }
  set16(at: number, v: number): void {
    this.b[at] = (v >>> 8) & 0xff;
    this.b[at + 1] = v & 0xff;
  }
  get length(): number {
    return this.b.length;
  }
}

/** RFC 1071: the 16-bit one's complement of the one's complement sum (odd length padded with a zero byte). */
export function inetChecksum(bytes: ArrayLike<number>, initial = 0): number {
  return ~onesSum(bytes, initial) & 0xffff;
}

/** The one's complement sum of 16-bit words, folded (RFC 1071); a packet whose checksum is right sums to 0xffff. */
export function onesSum(bytes: ArrayLike<number>, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i] & 0xff) << 8) | (i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** An address's bytes: 4 for IPv4, 16 for IPv6. */
export function addrBytes(ip: string): number[] {
  if (ip.includes(':')) {
    const n = parseIPv6(ip) ?? 0n;
    const out: number[] = [];
    for (let i = 15; i >= 0; i--) out.push(Number((n >> BigInt(i * 8)) & 0xffn));
    return out;
  }
  return ip.split('.').map((x) => Number(x) & 0xff);
}

export function macBytes(mac: string): number[] {
  const parts = mac ? mac.split(':').map((x) => parseInt(x, 16)) : [];
  return parts.length === 6 && parts.every((x) => x >= 0) ? parts : [0, 0, 0, 0, 0, 0];
}

const PROTO = { tcp: 6, udp: 17, icmp: 1, icmp6: 58, ipip: 4 } as const;

/** The pseudo-header's sum (RFC 793 §3.1 for IPv4, RFC 8200 §8.1 for IPv6). */
function pseudoSum(src: string, dst: string, proto: number, len: number): number {
  const six = dst.includes(':');
  const p = new Buf().raw(addrBytes(src)).raw(addrBytes(dst));
  if (six) p.u32(len).u8(0).u8(0).u8(0).u8(proto);
  else p.u8(0).u8(proto).u16(len);
  return onesSum(p.b);
}

function ipv4Header(src: string, dst: string, proto: number, ttl: number, id: number, df: boolean, total: number): number[] {
  const h = new Buf().u8(0x45).u8(0).u16(total).u16(id & 0xffff).u16(df ? 0x4000 : 0).u8(ttl).u8(proto).u16(0).raw(addrBytes(src)).raw(addrBytes(dst));
  h.set16(10, inetChecksum(h.b));
  return h.b;
}

/** IPv6's flow label: Linux hashes the flow into one (net.ipv6.auto_flowlabels=1); an ICMPv6 error carries none. */
function flowLabel(p: IpPacket): number {
  const l4 = p.l4;
  if (l4.kind === 'icmp' && l4.type < 128) return 0;
  const ports = l4.kind === 'icmp' ? `${l4.id ?? 0}` : `${l4.sport}:${l4.dport}`;
  return fnv32a(`flowlabel/${p.src}>${p.dst}/${l4.kind}/${ports}`) & 0xfffff;
}

function ipv6Header(src: string, dst: string, next: number, hops: number, payload: number, flow: number): number[] {
  return new Buf().u32((6 << 28) | flow).u16(payload).u8(next).u8(hops).raw(addrBytes(src)).raw(addrBytes(dst)).b;
}

/** The TCP options as Linux writes them (what `options [...]` prints). */
function tcpOptions(t: TcpSeg): number[] {
  if (t.optLen === 0 || !t.ts) return [];
  const o = new Buf();
  if (t.mss !== undefined) {
    o.u8(2).u8(4).u16(t.mss).u8(4).u8(2).u8(8).u8(10).u32(t.ts[0]).u32(t.ts[1]).u8(1).u8(3).u8(3).u8(t.wscale ?? 7);
  } else {
    o.u8(1).u8(1).u8(8).u8(10).u32(t.ts[0]).u32(t.ts[1]);
  }
  return o.b;
}

/** The payload bytes, or undefined when the model does not hold them (the printers then show no dump). */
function tcpBytes(p: IpPacket, t: TcpSeg): number[] | undefined {
  if (t.len > 0 && (t.payload === undefined || t.payload.length !== t.len)) return undefined;
  const opts = tcpOptions(t);
  const hl = 20 + opts.length;
  const s = new Buf().u16(t.sport).u16(t.dport).u32(t.seq).u32(t.ack).u16(((hl / 4) << 12) | t.flags).u16(t.win).u16(0).u16(0).raw(opts).str(t.payload ?? '');
  s.set16(16, inetChecksum(s.b, pseudoSum(p.src, p.dst, PROTO.tcp, s.length)));
  return s.b;
}

function udpChecksum(src: string, dst: string, seg: number[]): number {
  const c = inetChecksum(seg, pseudoSum(src, dst, PROTO.udp, seg.length));
  return c === 0 ? 0xffff : c;
}

function udpBytes(p: IpPacket, u: UdpDgram): number[] | undefined {
  const payload = u.dns ? dnsBytes(u.dns) : new Array<number>(u.len).fill(0);
  if (payload.length !== u.len) return undefined;
  const s = new Buf().u16(u.sport).u16(u.dport).u16(8 + u.len).u16(0).raw(payload);
  s.set16(6, udpChecksum(p.src, p.dst, s.b));
  return s.b;
}

function icmpBytes(p: IpPacket, c: IcmpMsg): number[] | undefined {
  const six = p.dst.includes(':');
  const m = new Buf().u8(c.type).u8(c.code).u16(0);
  if (c.quotedPacket) {
    const q = ipBytes(c.quotedPacket);
    if (!q) return undefined;
    m.u32(0).raw(q.slice(0, c.len - 8));
  } else if (c.id !== undefined) {
    if (c.data === undefined || c.data.length !== c.len - 8) return undefined;
    m.u16(c.id).u16(c.seq ?? 0).str(c.data);
  } else return undefined;
  if (m.length !== c.len) return undefined;
  m.set16(2, inetChecksum(m.b, six ? pseudoSum(p.src, p.dst, PROTO.icmp6, m.length) : 0));
  return m.b;
}

/** An IP packet's bytes (header and all), or undefined when a payload the model does not hold would be needed. */
export function ipBytes(p: IpPacket): number[] | undefined {
  const l4 = p.l4;
  const six = p.dst.includes(':');
  const body = l4.kind === 'tcp' ? tcpBytes(p, l4) : l4.kind === 'udp' ? udpBytes(p, l4) : icmpBytes(p, l4);
  if (!body) return undefined;
  const proto = l4.kind === 'icmp' ? (six ? PROTO.icmp6 : PROTO.icmp) : PROTO[l4.kind];
  const head = six ? ipv6Header(p.src, p.dst, proto, p.ttl, body.length, flowLabel(p)) : ipv4Header(p.src, p.dst, proto, p.ttl, p.id, dontFragment(l4), 20 + body.length);
  const out = head.concat(body);
  return out;
}

/** The frame's network-layer bytes: the inner packet, wrapped in the overlay's outer headers. */
export function networkBytes(e: WireEvent): number[] | undefined {
  const inner = ipBytes(e.ip);
  if (!inner) return undefined;
  const x = e.encap;
  if (!x) return inner;
  if (x.kind === 'ipip') return ipv4Header(x.src, x.dst, PROTO.ipip, e.ip.ttl, fnvId(x, e.ip), true, 20 + inner.length).concat(inner);
  return vxlanBytes(x, e.ip, inner);
}

function vxlanBytes(x: Encap, ip: IpPacket, inner: number[]): number[] {
  const six = x.dst.includes(':');
  const frame = new Buf()
    .u8(0x08).u8(0).u8(0).u8(0).u32(((x.vni ?? 0) << 8) >>> 0)
    .raw(macBytes(x.innerDstMac ?? '')).raw(macBytes(x.innerSrcMac ?? '')).u16(ip.dst.includes(':') ? 0x86dd : 0x0800)
    .raw(inner);
  const udp = new Buf().u16(x.sport ?? 0).u16(x.dport ?? 0).u16(8 + frame.length).u16(0).raw(frame.b);
  // the vxlan device leaves the IPv4 checksum at 0 (udp_csum off); over IPv6 it computes it (udp6zerocsumtx off)
  if (six) udp.set16(6, udpChecksum(x.src, x.dst, udp.b));
  const head = six ? ipv6Header(x.src, x.dst, PROTO.udp, 64, udp.length, 0) : ipv4Header(x.src, x.dst, PROTO.udp, 64, fnvId(x, ip), false, 20 + udp.length);
  return head.concat(udp.b);
}

/** ARPHRD_ETHER, ARPHRD_TUNNEL (tunl0, include/uapi/linux/if_arp.h). */
const ARPHRD = { ether: 1, raw: 768 } as const;

/** The link header a capture on `link` adds: Ethernet, Linux cooked v2 (`any`), or none (a raw IP device). */
export function linkHeader(e: WireEvent, link: LinkName, ethertype: number): number[] {
  if (link === 'RAW') return [];
  if (link === 'EN10MB') return new Buf().raw(macBytes(e.dstMac)).raw(macBytes(e.srcMac)).u16(ethertype).b;
  // pcap/sll.h sll2_header; the packet type PACKET_HOST (0, printed In) or PACKET_OUTGOING (4, Out)
  const raw = e.link === 'raw';
  const addr = raw ? [0, 0, 0, 0, 0, 0, 0, 0] : [...macBytes(e.srcMac), 0, 0];
  return new Buf().u16(ethertype).u16(0).u32(e.ifindex).u16(raw ? ARPHRD.raw : ARPHRD.ether).u8(e.dir === 'Out' ? 4 : 0).u8(raw ? 0 : 6).raw(addr).b;
}

/** One captured frame: its link header's length and all its bytes; undefined when the model lacks a payload. */
export function frameBytes(e: WireEvent, link: LinkName): { hdrlen: number; bytes: number[] } | undefined {
  const net = networkBytes(e);
  if (!net) return undefined;
  const six = (e.encap?.dst ?? e.ip.dst).includes(':');
  const head = linkHeader(e, link, six ? 0x86dd : 0x0800);
  return { hdrlen: head.length, bytes: head.concat(net) };
}

// ---- DNS (RFC 1035 §4.1) --------------------------------------------------------------------

const QTYPES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 };
const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, TIMEOUT: 0 };

/** The EDNS payload size dig (BIND 9.18) offers, and CoreDNS echoes. */
export const EDNS_UDP_SIZE = 1232;

function fqdn(n: string): string {
  return n.endsWith('.') ? n : n + '.';
}

/** Writes a domain name, compressing against the names already in the message (offsets below 0x4000). */
function putName(m: Buf, name: string, table: Map<string, number> | undefined): void {
  const labels = fqdn(name) === '.' ? [] : fqdn(name).slice(0, -1).split('.');
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.').toLowerCase() + '.';
    const at = table?.get(suffix);
    if (at !== undefined) {
      m.u16(0xc000 | at);
      return;
    }
    if (table && m.length < 0x4000) table.set(suffix, m.length);
    m.u8(labels[i].length).str(labels[i]);
  }
  m.u8(0);
}

function rdata(m: Buf, type: string, data: string, table: Map<string, number>): void {
  const start = m.length;
  m.u16(0);
  if (type === 'A') m.raw(addrBytes(data));
  else if (type === 'AAAA') m.raw(addrBytes(data));
  else if (type === 'CNAME' || type === 'PTR' || type === 'NS') putName(m, data, table);
  else if (type === 'SOA') {
    const [mname, rname, ...nums] = data.trim().split(/\s+/);
    putName(m, mname, table);
    putName(m, rname, table);
    for (const n of nums.slice(0, 5)) m.u32(Number(n) >>> 0);
  } else if (type === 'MX') {
    // RFC 1035 §3.3.9: PREFERENCE, then EXCHANGE (compressible)
    const [pref, exchange] = data.trim().split(/\s+/);
    m.u16(Number(pref) & 0xffff);
    putName(m, exchange ?? '.', table);
  } else if (type === 'SRV') {
    const [prio, weight, port, target] = data.trim().split(/\s+/);
    m.u16(Number(prio)).u16(Number(weight)).u16(Number(port));
    putName(m, target ?? '.', undefined);
  } else {
    // TXT and anything else: character-strings of at most 255 bytes
    const t = data.replace(/^"|"$/g, '');
    for (let i = 0; i === 0 || i < t.length; i += 255) m.u8(Math.min(255, t.length - i)).str(t.slice(i, i + 255));
  }
  m.set16(start, m.length - start - 2);
}

/** dig's client cookie (RFC 7873, 8 bytes): a hash of the query, as the real one is a keyed hash. */
export function cookie(m: DnsWire): number[] {
  const a = fnv32a(`cookie/a/${m.qname}/${m.id}`);
  const b = fnv32a(`cookie/b/${m.qname}/${m.id}`);
  return new Buf().u32(a).u32(b).b;
}

/** A DNS message in wire form: header, question, answers, authority, an EDNS OPT when the query carried one. */
export function dnsBytes(d: DnsWire): number[] {
  const m = new Buf();
  const table = new Map<string, number>();
  const rcode = RCODES[d.rcode] ?? 0;
  let flags = 0x0100; // RD
  if (d.response) flags |= 0x8000 | (d.aa ? 0x0400 : 0) | (d.ra ? 0x0080 : 0) | rcode;
  else if (d.ad) flags |= 0x0020;
  const authority = d.response ? (d.authority ?? []).slice(0, d.nscount) : [];
  m.u16(d.id).u16(flags).u16(1).u16(d.answers.length).u16(authority.length).u16(d.arcount);
  putName(m, d.qname, table);
  m.u16(QTYPES[d.qtype] ?? 0).u16(1);
  let owner = fqdn(d.qname);
  for (const a of d.answers) {
    const name = a.name ? fqdn(a.name) : owner;
    putName(m, name, table);
    m.u16(QTYPES[a.type] ?? 0).u16(1).u32((a.ttl ?? 0) >>> 0);
    rdata(m, a.type, a.data, table);
    if (a.type === 'CNAME') owner = fqdn(a.data);
  }
  for (const r of authority) {
    putName(m, r.name, table);
    m.u16(QTYPES[r.type] ?? 0).u16(1).u32(r.ttl >>> 0);
    rdata(m, r.type, r.data, table);
  }
  if (d.arcount) m.u8(0).u16(41).u16(EDNS_UDP_SIZE).u32(0).u16(12).u16(10).u16(8).raw(cookie(d));
  return m.b;
}

// ---- fields the printers share ----------------------------------------------------------

/**
 * Linux sets DF on what its sockets send (IP_PMTUDISC_WANT: TCP, UDP, ping's echo
 * request); its own ICMP replies and errors go out without it (the ICMP control socket is
 * IP_PMTUDISC_DONT).
 */
export function dontFragment(l4: IpPacket['l4']): boolean {
  return l4.kind !== 'icmp' || l4.type === 8;
}

/** The outer header's IP id: drawn by the kernel per packet; here a hash of the tunnel ends and the inner packet. */
export function fnvId(e: Encap, inner: IpPacket): number {
  let h = 0x811c9dc5;
  for (const c of `${e.src}>${e.dst}/${inner.src}>${inner.dst}/${inner.id}/${inner.l4.kind === 'icmp' ? inner.l4.seq : inner.l4.sport}/${inner.l4.kind === 'tcp' ? inner.l4.seq : 0}`) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0xffff;
}

// ---- what tcpdump -v verifies, read back from the bytes ------------------------------------

/** The checksums an IP packet's bytes carry, as tcpdump's printers verify them. */
export interface PacketSums {
  /** print-ip.c: the IPv4 header's checksum field and in_cksum over the header (0: it verifies). */
  ip?: { field: number; sum: number };
  /**
   * The layer-4 checksum (TCP, UDP, ICMP, ICMPv6): its field and in_cksum over what it
   * covers (nextproto4_cksum/nextproto6_cksum: the pseudo-header and the segment; ICMP: the
   * message alone). Undefined for IPIP (the inner packet carries its own).
   */
  l4?: { field: number; sum: number };
  /** IPv6 (print-ip6.c -v): the flow label, hop limit, next header and payload length. */
  six?: { flow: number; hlim: number; next: number; plen: number };
  /** Where the payload begins (after the IPv4 or IPv6 header). */
  hlen: number;
}

/** in_cksum.c in_cksum_shouldbe: the value the field should hold, from the field and in_cksum's result. */
export function cksumShouldBe(field: number, sum: number): number {
  let v = field + sum;
  v = (v & 0xffff) + (v >>> 16);
  v = (v & 0xffff) + (v >>> 16);
  return v & 0xffff;
}

/** Reads the checksums of the IP packet at the start of `b` (as tcpdump does, from the captured bytes). */
export function packetSums(b: number[]): PacketSums {
  const u16 = (o: number) => ((b[o] << 8) | b[o + 1]) & 0xffff;
  const six = b[0] >> 4 === 6;
  const hlen = six ? 40 : (b[0] & 0x0f) * 4;
  const proto = six ? b[6] : b[9];
  const end = six ? 40 + u16(4) : u16(2);
  const seg = b.slice(hlen, end);
  const out: PacketSums = { hlen };
  if (six) out.six = { flow: (((b[1] & 0x0f) << 16) | u16(2)) >>> 0, hlim: b[7], next: proto, plen: u16(4) };
  else out.ip = { field: u16(10), sum: inetChecksum(b.slice(0, hlen)) };
  const pseudo = () => {
    const p = new Buf().raw(b.slice(six ? 8 : 12, six ? 40 : 20));
    if (six) p.u32(seg.length).u8(0).u8(0).u8(0).u8(proto);
    else p.u8(0).u8(proto).u16(seg.length);
    return onesSum(p.b);
  };
  const at = proto === PROTO.tcp ? 16 : proto === PROTO.udp ? 6 : proto === PROTO.icmp || proto === PROTO.icmp6 ? 2 : -1;
  if (at >= 0 && seg.length >= at + 2) {
    const field = ((seg[at] << 8) | seg[at + 1]) & 0xffff;
    out.l4 = { field, sum: inetChecksum(seg, proto === PROTO.icmp ? 0 : pseudo()) };
  }
  return out;
}
