/** Small IPv4 helpers for the CNI and DNS rooms (dotted quad ⇄ 32-bit integer, CIDRs). */
export function ipToInt(ip: string): number {
  const p = ip.split('.');
  if (p.length !== 4) return NaN;
  let n = 0;
  for (const s of p) {
    if (!/^\d{1,3}$/.test(s)) return NaN;
    const v = Number(s);
    if (v > 255) return NaN;
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(s: string): boolean {
  return !Number.isNaN(ipToInt(s));
}

export interface Cidr {
  network: number;
  prefix: number;
}

export function parseCidr(cidr: string): Cidr | undefined {
  const [ip, len] = cidr.split('/');
  const n = ipToInt(ip);
  const prefix = len === undefined ? 32 : Number(len);
  if (Number.isNaN(n) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (n & mask) >>> 0, prefix };
}

export function cidrString(c: Cidr): string {
  return `${intToIp(c.network)}/${c.prefix}`;
}

export function broadcast(c: Cidr): number {
  const host = c.prefix === 32 ? 0 : 0xffffffff >>> c.prefix;
  return (c.network | host) >>> 0;
}

export function contains(c: Cidr, ip: string | number): boolean {
  const n = typeof ip === 'number' ? ip : ipToInt(ip);
  if (Number.isNaN(n)) return false;
  const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
  return ((n & mask) >>> 0) === c.network;
}

/** The /24 (or any prefix) `ip` sits in. */
export function subnetOf(ip: string, prefix: number): Cidr {
  return parseCidr(`${ip}/${prefix}`)!;
}

/** `10.244.1.5` → `5.1.244.10.in-addr.arpa` */
export function reverseName(ip: string): string {
  return ip.split('.').reverse().join('.') + '.in-addr.arpa';
}
