/**
 * IPv4 helpers for the dataplane: parsing, CIDR membership. Kept allocation-free for the
 * hot path (a walk on a 20,000-pod cluster looks addresses up many times).
 */

/** Dotted quad → unsigned 32-bit integer, or -1 if it is not an IPv4 address. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) return -1;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return -1;
    const v = Number(p);
    if (v > 255) return -1;
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(s: string): boolean {
  return ipToInt(s) >= 0;
}

export interface Cidr {
  base: number;
  bits: number;
}

export function parseCidr(cidr: string): Cidr | null {
  const [addr, len] = cidr.split('/');
  const base = ipToInt(addr);
  const bits = len === undefined ? 32 : Number(len);
  if (base < 0 || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  return { base: bits === 0 ? 0 : (base & maskOf(bits)) >>> 0, bits };
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export function cidrContains(cidr: string | Cidr | null, ip: string | number): boolean {
  const c = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  if (!c) return false;
  const n = typeof ip === 'number' ? ip : ipToInt(ip);
  if (n < 0) return false;
  return ((n & maskOf(c.bits)) >>> 0) === c.base;
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === 'localhost';
}
