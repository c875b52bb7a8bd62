/**
 * The simulated internet beyond the cluster: a few well-known hosts with the addresses
 * they had at the simulation's epoch (January 2025), and what they answer. Anything else
 * does not answer (a connection times out). The DNS room may resolve external names with
 * `internetHostByName` so that resolution and reachability agree.
 */
import { canonicalIPv6 } from '../cluster/ipv6';

export interface InternetHost {
  names: string[];
  /** Its A records, in the order the authoritative servers give them. */
  ips: string[];
  /**
   * Its AAAA records. Absent where the real name publishes none (github.com, api.ipify.org,
   * kubernetes.io's Netlify address): an AAAA query then gets NOERROR with no answer.
   */
  ips6?: string[];
  /** TCP ports with a server. */
  tcp: number[];
  /** UDP ports with a server. */
  udp: number[];
  /** How its web server answers (see apps.ts). */
  web?: 'example' | 'client-ip' | 'redirect-www' | 'plain';
}

// Edgecast's address pair for the IANA example domains (RFC 2606) until their 2025 move to Akamai.
const EXAMPLE6 = ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'];

export const INTERNET: InternetHost[] = [
  { names: ['example.com', 'www.example.com'], ips: ['93.184.215.14'], ips6: EXAMPLE6, tcp: [80, 443], udp: [], web: 'example' },
  { names: ['example.org', 'www.example.org'], ips: ['93.184.215.14'], ips6: EXAMPLE6, tcp: [80, 443], udp: [], web: 'example' },
  // Echo the caller's public address: the way to see egress SNAT from inside a pod.
  { names: ['ifconfig.me'], ips: ['34.160.111.145'], ips6: ['2600:1901:0:b2bd::'], tcp: [80, 443], udp: [], web: 'client-ip' },
  // IPv4 only (its dual-stack twin is api64.ipify.org)
  { names: ['api.ipify.org'], ips: ['104.26.12.205'], tcp: [80, 443], udp: [], web: 'client-ip' },
  { names: ['google.com'], ips: ['142.250.185.78'], ips6: ['2a00:1450:4001:82f::200e'], tcp: [80, 443], udp: [], web: 'redirect-www' },
  { names: ['www.google.com'], ips: ['142.250.185.100'], ips6: ['2a00:1450:4001:82b::2004'], tcp: [80, 443], udp: [], web: 'plain' },
  // GitHub publishes no AAAA for github.com
  { names: ['github.com'], ips: ['140.82.121.4'], tcp: [22, 80, 443], udp: [], web: 'plain' },
  { names: ['kubernetes.io'], ips: ['147.75.40.148'], tcp: [80, 443], udp: [], web: 'plain' },
  { names: ['dns.google'], ips: ['8.8.8.8', '8.8.4.4'], ips6: ['2001:4860:4860::8888', '2001:4860:4860::8844'], tcp: [53, 443], udp: [53] },
  { names: ['one.one.one.one'], ips: ['1.1.1.1', '1.0.0.1'], ips6: ['2606:4700:4700::1111', '2606:4700:4700::1001'], tcp: [53, 80, 443], udp: [53], web: 'plain' },
];

const byIp = new Map<string, InternetHost>();
const byName = new Map<string, InternetHost>();
for (const h of INTERNET) {
  for (const ip of [...h.ips, ...(h.ips6 ?? [])]) if (!byIp.has(ip)) byIp.set(ip, h);
  for (const n of h.names) byName.set(n, h);
}

export function internetHostByIp(ip: string): InternetHost | undefined {
  return byIp.get(ip.includes(':') ? canonicalIPv6(ip.replace(/^\[|\]$/g, '')) : ip);
}

export function internetHostByName(name: string | undefined): InternetHost | undefined {
  if (!name) return undefined;
  return byName.get(name.toLowerCase().replace(/\.$/, ''));
}
