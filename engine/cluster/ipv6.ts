/**
 * IPv6 addresses and CIDR blocks for dual-stack clusters: the companion of ipv4.ts.
 *
 * Parsing and text go through ipaddr.js (RFC 4291 forms in, RFC 5952 compressed text out,
 * as Go's netip.Addr.String() and every tool print them: `fd00:10:96::a`, never
 * `fd00:10:96:0:0:0:0:a`); arithmetic is on 128-bit BigInts.
 */
import ipaddr from 'ipaddr.js';

/** A textual IPv6 address (no zone), as netip.ParseAddr accepts it (no embedded IPv4 forms beyond ipaddr.js's). */
export function isIPv6(s: string): boolean {
  return s.includes(':') && !s.includes('%') && ipaddr.IPv6.isValid(s);
}

/** The address as a 128-bit number; undefined if it is not an IPv6 address. */
export function parseIPv6(s: string): bigint | undefined {
  if (!isIPv6(s)) return undefined;
  let n = 0n;
  for (const part of ipaddr.IPv6.parse(s).parts) n = (n << 16n) | BigInt(part);
  return n;
}

/** RFC 5952 text of a 128-bit number (`fd00:10:244:1::5`). */
export function formatIPv6(n: bigint): string {
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** The canonical (RFC 5952) text of an address, or the input unchanged if it is not IPv6. */
export function canonicalIPv6(s: string): string {
  const n = parseIPv6(s);
  return n === undefined ? s : formatIPv6(n);
}

export interface Cidr6 {
  network: bigint;
  prefix: number;
}

const ALL = (1n << 128n) - 1n;

export function prefixMask6(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

/** `fd00:10:244:1::7/64` → its network and prefix (host bits cleared); a bare address is a /128. */
export function parseCidr6(text: string): Cidr6 | undefined {
  const slash = text.indexOf('/');
  const n = parseIPv6(slash < 0 ? text : text.slice(0, slash));
  const bits = slash < 0 ? '128' : text.slice(slash + 1);
  if (n === undefined || !/^\d{1,3}$/.test(bits) || Number(bits) > 128) return undefined;
  const prefix = Number(bits);
  return { network: n & prefixMask6(prefix), prefix };
}

export function cidr6Text(c: Cidr6): string {
  return `${formatIPv6(c.network)}/${c.prefix}`;
}

/** The last address of the block. */
export function lastAddress6(c: Cidr6): bigint {
  return c.network | (~prefixMask6(c.prefix) & ALL);
}

export function cidr6Contains(cidr: string | Cidr6 | undefined, ip: string | bigint): boolean {
  const c = typeof cidr === 'string' ? parseCidr6(cidr) : cidr;
  if (!c) return false;
  const n = typeof ip === 'bigint' ? ip : parseIPv6(ip);
  if (n === undefined) return false;
  return (n & prefixMask6(c.prefix)) === c.network;
}

export function overlaps6(a: Cidr6, b: Cidr6): boolean {
  return a.network <= lastAddress6(b) && b.network <= lastAddress6(a);
}

/** `fd00::5` → the nibble name under ip6.arpa (RFC 3596 §2.5), as CoreDNS and dig -x write it. */
export function reverseName6(ip: string): string {
  const n = parseIPv6(ip);
  if (n === undefined) return ip;
  return n.toString(16).padStart(32, '0').split('').reverse().join('.') + '.ip6.arpa';
}

/** The IP family of an address as the Kubernetes API names it. */
export function ipFamilyOf(ip: string): 'IPv4' | 'IPv6' {
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}
