/**
 * The simulated internet beyond the cluster: a few well-known hosts with the addresses
 * they had at the simulation's epoch (January 2025), and what they answer. Anything else
 * does not answer (a connection times out). The DNS room may resolve external names with
 * `internetHostByName` so that resolution and reachability agree.
 */
export interface InternetHost {
  names: string[];
  ips: string[];
  /** TCP ports with a server. */
  tcp: number[];
  /** UDP ports with a server. */
  udp: number[];
  /** How its web server answers (see apps.ts). */
  web?: 'example' | 'client-ip' | 'redirect-www' | 'plain';
}

export const INTERNET: InternetHost[] = [
  { names: ['example.com', 'www.example.com'], ips: ['93.184.215.14'], tcp: [80, 443], udp: [], web: 'example' },
  { names: ['example.org', 'www.example.org'], ips: ['93.184.215.14'], tcp: [80, 443], udp: [], web: 'example' },
  // Echo the caller's public address: the way to see egress SNAT from inside a pod.
  { names: ['ifconfig.me'], ips: ['34.160.111.145'], tcp: [80, 443], udp: [], web: 'client-ip' },
  { names: ['api.ipify.org'], ips: ['104.26.12.205'], tcp: [80, 443], udp: [], web: 'client-ip' },
  { names: ['google.com'], ips: ['142.250.185.78'], tcp: [80, 443], udp: [], web: 'redirect-www' },
  { names: ['www.google.com'], ips: ['142.250.185.100'], tcp: [80, 443], udp: [], web: 'plain' },
  { names: ['github.com'], ips: ['140.82.121.4'], tcp: [22, 80, 443], udp: [], web: 'plain' },
  { names: ['kubernetes.io'], ips: ['147.75.40.148'], tcp: [80, 443], udp: [], web: 'plain' },
  { names: ['dns.google'], ips: ['8.8.8.8', '8.8.4.4'], tcp: [53, 443], udp: [53] },
  { names: ['one.one.one.one'], ips: ['1.1.1.1', '1.0.0.1'], tcp: [53, 80, 443], udp: [53], web: 'plain' },
];

const byIp = new Map<string, InternetHost>();
const byName = new Map<string, InternetHost>();
for (const h of INTERNET) {
  for (const ip of h.ips) if (!byIp.has(ip)) byIp.set(ip, h);
  for (const n of h.names) byName.set(n, h);
}

export function internetHostByIp(ip: string): InternetHost | undefined {
  return byIp.get(ip);
}

export function internetHostByName(name: string | undefined): InternetHost | undefined {
  if (!name) return undefined;
  return byName.get(name.toLowerCase().replace(/\.$/, ''));
}
