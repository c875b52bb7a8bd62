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

/** rtnetlink's scopes, narrowest last (include/uapi/linux/rtnetlink.h: RT_SCOPE_UNIVERSE 0, LINK 253, HOST 254). */
const SCOPE_RANK: Record<NetAddr['scope'], number> = { global: 0, link: 253, host: 254 };

/** An address is used only where its scope is at most the one asked for (in_dev_select_addr: ifa_scope <= scope); secondaries never. */
function usable(a: NetAddr, scope: NetAddr['scope'], family: NetAddr['family']): boolean {
  return a.family === family && SCOPE_RANK[a.scope] <= SCOPE_RANK[scope] && !a.flags?.includes('secondary');
}

/**
 * The kernel's choice of a source address on a device (net/ipv4/devinet.c `inet_select_addr(dev,
 * dst, scope)`): among the device's primary addresses of the family (IPv4, or IPv6 for an IPv6 `dst`) of at most `scope`, the first whose
 * subnet holds `dst` (the route's next hop), else the first; a device with none falls back to
 * the first such address of the namespace's devices in their order (for_each_netdev: lo's
 * 127.0.0.1 is host-scoped, so in practice eth0's). The one rule behind MASQUERADE, ICMP
 * errors and `ip route get`'s `src`.
 */
export function selectAddress(ns: NetNamespace, dev: string | undefined, dst: string | undefined, scope: NetAddr['scope'], family: NetAddr['family'] = dst?.includes(':') ? 'inet6' : 'inet'): string | undefined {
  const out = dev === undefined ? undefined : ns.links.find((l) => l.name === dev);
  const holds = family === 'inet6' ? cidr6Contains : cidrContains;
  let addr: string | undefined;
  for (const a of out?.addrs ?? []) {
    if (!usable(a, scope, family)) continue;
    if (dst !== undefined && holds(`${a.local}/${a.prefix}`, dst)) return a.local;
    addr ??= a.local;
  }
  if (addr) return addr;
  for (const l of ns.links) {
    const a = l.addrs.find((x) => usable(x, scope, family));
    if (a) return a.local;
  }
  return undefined;
}

/** The next hop of a route toward `dst` (rt_nexthop): its gateway, or `dst` itself on a link route. */
function nexthop(r: NetRoute, dst: string): string {
  return r.via ?? dst;
}

/**
 * The source address MASQUERADE gives a packet to `dst` (net/netfilter/nf_nat_masquerade.c
 * nf_nat_masquerade_ipv4: `inet_select_addr(out, rt_nexthop(rt, daddr), RT_SCOPE_UNIVERSE)`
 * on the device the route sends it out of): that device's primary global address — tunl0's on
 * Calico IPIP, flannel.1's on Flannel VXLAN, cni0's to a Pod on the bridge, eth0's toward the
 * world; for a device without one (a cali… veth) eth0's. The route's `src` is not used: it only
 * chooses the address of packets the host itself sends (routeSource).
 */
export function masqueradeSource(ns: NetNamespace, dst: string): string | undefined {
  const r = lookupRoute(ns, dst);
  const family = dst.includes(':') ? 'inet6' : 'inet';
  if (!r || r.type === 'blackhole' || !r.dev) return selectAddress(ns, undefined, undefined, 'global', family);
  return selectAddress(ns, r.dev, nexthop(r, dst), 'global', family);
}

/**
 * The source address of a packet the host itself sends by `route` to `dst` — what `ip route get`
 * prints as `src` and what an ICMP error (traceroute's "time exceeded", ping's "host
 * unreachable") leaves with (net/ipv4/route.c ip_route_output_key_hash_rcu → fib_result_prefsrc;
 * net/ipv4/icmp.c icmp_send routes its reply with saddr 0 for a forwarded packet): the route's
 * `src` if it has one, else `inet_select_addr(dev, gateway, scope)` with the route's scope (link
 * for a route without a gateway, global with one; fib_info_update_nhc_saddr).
 */
export function routeSource(ns: NetNamespace, route: NetRoute, dst: string): string | undefined {
  if (route.src) return route.src;
  const scope: NetAddr['scope'] = route.scope === 'host' ? 'host' : route.scope === 'link' || !route.via ? 'link' : 'global';
  return selectAddress(ns, route.dev, route.via ?? dst, scope);
}

/**
 * The source of a packet the host itself sends to `dst` (routeSource over the main table's
 * route): on Calico IPIP a node answers a Pod on another node from its tunl0 address, on
 * Flannel from flannel.1's — the `src` its own `ip route get <dst>` prints.
 */
export function localSource(ns: NetNamespace, dst: string): string | undefined {
  const r = lookupRoute(ns, dst);
  if (!r || r.type === 'blackhole') return masqueradeSource(ns, dst);
  return routeSource(ns, r, dst);
}
