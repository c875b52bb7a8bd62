/**
 * The shapes of a network namespace as `ip` sees it: links (with addresses), routes,
 * neighbours. The CNI plugin derives one per node and one per pod sandbox
 * (controllers/cni); the `ip`, `bridge` and `ss` printers render them; the walk reads them.
 */
import { cidrContains, parseCidr } from '../cluster/ipv4';
import { cidr6Contains, parseCidr6 } from '../cluster/ipv6';

export type LinkKind = 'loopback' | 'device' | 'veth' | 'vxlan' | 'bridge' | 'ipip' | 'dummy' | 'openvswitch';

export interface NetAddr {
  family: 'inet' | 'inet6';
  local: string;
  prefix: number;
  brd?: string;
  scope: 'global' | 'host' | 'link';
  /** Extra flags iproute2 prints after the scope (`noprefixroute`). */
  flags?: string[];
}

export interface NetLink {
  ifindex: number;
  name: string;
  /** What follows `@`: `ifN` (peer in another netns), `NONE` (tunnel without lower device), or a peer's name. */
  peer?: string;
  /** IFF_* flags in iproute2's order, e.g. BROADCAST,MULTICAST,UP,LOWER_UP. */
  flags: string[];
  mtu: number;
  qdisc: string;
  master?: string;
  state: 'UP' | 'DOWN' | 'UNKNOWN';
  /** txqueuelen; iproute2 prints `qlen N` only when non-zero. */
  qlen: number;
  linkType: 'loopback' | 'ether' | 'ipip';
  mac: string;
  brd: string;
  /** For a veth whose peer lives in another netns: that netns' id as seen from here. */
  linkNetnsid?: number;
  kind: LinkKind;
  vxlan?: { id: number; local: string; dev: string; dstport: number; learning: boolean };
  addrs: NetAddr[];
}

export interface NetRoute {
  type?: 'blackhole';
  /** `default`, a CIDR, or a host address. */
  dst: string;
  via?: string;
  dev?: string;
  proto?: string;
  scope?: string;
  src?: string;
  metric?: number;
  onlink?: boolean;
  mtu?: number;
}

export interface NetNeighbor {
  ip: string;
  dev: string;
  lladdr?: string;
  router?: boolean;
  state: 'REACHABLE' | 'STALE' | 'PERMANENT' | 'DELAY' | 'FAILED';
}

/** A MAC a Linux bridge learned on one of its ports (the source address of frames that came in there). */
export interface LearnedMac {
  mac: string;
  /** The bridge port the frames came in on (a pod's host veth). */
  dev: string;
}

export interface NetNamespace {
  /** `node/node-1` or `pod/default/web-0` */
  id: string;
  links: NetLink[];
  routes: NetRoute[];
  neighbors: NetNeighbor[];
  /**
   * The IPv6 main table of a dual-stack namespace as the CNI and the node's network set it
   * (the kernel's own ::1 and fe80::/64 routes are added where it is read); absent on IPv4-only.
   */
  routes6?: NetRoute[];
  /** What the namespace's bridges learned: each pod's eth0 MAC on its host veth. */
  learned?: LearnedMac[];
}

export const ETHER_BRD = 'ff:ff:ff:ff:ff:ff';
export const UP_FLAGS = ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'];

/** The main table's route for `dst`: the longest prefix that contains it, as `ip route get` asks the kernel. */
export function lookupRoute(ns: NetNamespace, dst: string): NetRoute | undefined {
  if (dst.includes(':')) return lookupRoute6(ns, dst);
  let best: NetRoute | undefined;
  let bestLen = -1;
  for (const r of ns.routes) {
    const c = r.dst === 'default' ? { network: 0, prefix: 0 } : parseCidr(r.dst);
    if (!c || !cidrContains(c, dst)) continue;
    if (c.prefix > bestLen) {
      best = r;
      bestLen = c.prefix;
    }
  }
  return best;
}

/** The IPv6 main table's route for `dst` (`ip -6 route get`): the longest prefix of routes6 that contains it. */
export function lookupRoute6(ns: NetNamespace, dst: string): NetRoute | undefined {
  let best: NetRoute | undefined;
  let bestLen = -1;
  // the kernel's prefix route of each global address (addrconf_prefix_route), then what the CNI added
  for (const l of ns.links) {
    if (l.name === 'lo') continue;
    for (const a of l.addrs) {
      if (a.family !== 'inet6' || a.scope !== 'global' || a.prefix <= bestLen) continue;
      if (cidr6Contains(`${a.local}/${a.prefix}`, dst)) {
        best = { dst: `${a.local}/${a.prefix}`, dev: l.name, proto: 'kernel', metric: 256 };
        bestLen = a.prefix;
      }
    }
  }
  for (const r of ns.routes6 ?? []) {
    const c = r.dst === 'default' ? { network: 0n, prefix: 0 } : parseCidr6(r.dst);
    if (!c || !cidr6Contains(c, dst)) continue;
    if (c.prefix > bestLen) {
      best = r;
      bestLen = c.prefix;
    }
  }
  return best;
}

function primaryGlobal(link: NetLink | undefined, family: 'inet' | 'inet6' = 'inet'): string | undefined {
  return link?.addrs.find((a) => a.family === family && a.scope === 'global')?.local;
}

/**
 * The source address MASQUERADE gives a packet to `dst` (net/netfilter/nf_nat_masquerade.c:
 * `inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE)` on the device the route sends it out
 * of): that device's primary global address — tunl0's on Calico IPIP, flannel.1's on
 * Flannel VXLAN, cni0's to a Pod on the bridge, eth0's toward the world. A device without
 * one (a cali… veth) falls back to the first global address of the namespace's devices in
 * their order (inet_select_addr's for_each_netdev walk: lo has none, then eth0). The route's
 * `src` hint is not used: it only chooses the address of locally generated packets.
 */
export function masqueradeSource(ns: NetNamespace, dst: string): string | undefined {
  const r = lookupRoute(ns, dst);
  const family = dst.includes(':') ? 'inet6' : 'inet';
  const out = r && r.type !== 'blackhole' && r.dev ? ns.links.find((l) => l.name === r.dev) : undefined;
  const own = primaryGlobal(out, family);
  if (own) return own;
  for (const l of ns.links) {
    const a = primaryGlobal(l, family);
    if (a) return a;
  }
  return undefined;
}

/**
 * The source address of a packet the host itself sends to `dst` — an ICMP error such as
 * traceroute's "time exceeded" (net/ipv4/icmp.c icmp_send with saddr 0, then the route
 * lookup's fib_result_prefsrc): the route's `src` if it has one, else the out device's
 * address as MASQUERADE picks it (masqueradeSource). On Calico IPIP a node answers a Pod on
 * another node from its tunl0 address, on Flannel from flannel.1's.
 */
export function localSource(ns: NetNamespace, dst: string): string | undefined {
  const r = lookupRoute(ns, dst);
  if (r?.src && r.type !== 'blackhole') return r.src;
  return masqueradeSource(ns, dst);
}
