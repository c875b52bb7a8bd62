/**
 * IPv4 addresses and CIDR blocks — the one set of helpers every room uses (the API
 * server's validation and allocators, the CNI, CoreDNS, the packet walk, the printers).
 *
 * Two readings of an address, as the real programs have them:
 *  - `isIPv4`/`isIP`/`isCIDR` validate the way the API server does (Go's netip.ParseAddr:
 *    dotted decimal, no leading zeros), and IPv6 goes through ipaddr.js;
 *  - `parseIPv4` reads what the tools accept on a command line (four decimal parts ≤ 255)
 *    into a 32-bit number, allocation-free, because the walk on a 20,000-pod cluster
 *    looks addresses up many times per packet.
 */
import ipaddr from 'ipaddr.js';

const IPV4_STRICT = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** A dotted-quad IPv4 address (no leading zeros, each part ≤ 255), as netip.ParseAddr accepts. */
export function isIPv4(s: string): boolean {
  const m = IPV4_STRICT.exec(s);
  return !!m && +m[1] <= 255 && +m[2] <= 255 && +m[3] <= 255 && +m[4] <= 255;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || (s.includes(':') && ipaddr.IPv6.isValid(s));
}

export function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !isIP(ip)) return false;
  return Number(bits) <= (isIPv4(ip) ? 32 : 128);
}

/** Four decimal parts ≤ 255 → the unsigned 32-bit number; undefined if it is not one. */
export function parseIPv4(s: string): number | undefined {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      part = part * 10 + (c - 48);
      if (part > 255) return undefined;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return n * 256 + part;
}

/** Four decimal parts ≤ 255 (what `parseIPv4` reads). */
export function isDottedQuad(s: string): boolean {
  return parseIPv4(s) !== undefined;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The netmask of a prefix length as a number: 24 → 0xffffff00. */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A block of addresses: its network number and prefix length. */
export interface Cidr {
  network: number;
  prefix: number;
}

/** `10.244.1.7/24` → `{ network: 10.244.1.0, prefix: 24 }` (host bits cleared); a bare address is a /32. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const n = parseIPv4(slash < 0 ? text : text.slice(0, slash));
  const prefix = slash < 0 ? 32 : Number(text.slice(slash + 1));
  if (n === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  return { network: (n & prefixMask(prefix)) >>> 0, prefix };
}

export function cidrText(c: Cidr): string {
  return `${formatIPv4(c.network)}/${c.prefix}`;
}

/** How many addresses the block holds. */
export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function broadcast(c: Cidr): number {
  const host = c.prefix === 32 ? 0 : 0xffffffff >>> c.prefix;
  return (c.network | host) >>> 0;
}

/** Is `ip` (text or number) inside the block (text or parsed)? Anything unparsable is not. */
export function cidrContains(cidr: string | Cidr | null | undefined, ip: string | number): boolean {
  const c = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  if (!c) return false;
  const n = typeof ip === 'number' ? ip : parseIPv4(ip);
  if (n === undefined) return false;
  return ((n & prefixMask(c.prefix)) >>> 0) === c.network;
}

/** `10.244.1.5` → `5.1.244.10.in-addr.arpa` */
export function reverseName(ip: string): string {
  return ip.split('.').reverse().join('.') + '.in-addr.arpa';
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === 'localhost';
}
