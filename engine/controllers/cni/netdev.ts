/**
 * Building blocks every plugin wires with: links and addresses in `ip`'s shapes, the MACs
 * and names the kernel and the runtime draw at random (derived here from stable seeds),
 * and the kernel's route dump order.
 */
import type { KubeObject } from '../../cluster/types';
import { sha1 } from '../../cluster/hash';
import { broadcast, formatIPv4, parseCidr } from '../../cluster/ipv4';
import { cidr6Contains, parseCidr6, type Cidr6 } from '../../cluster/ipv6';
import { ETHER_BRD, UP_FLAGS, type NetAddr, type NetLink, type NetRoute } from './model';

/** A locally administered unicast MAC derived from a seed (the kernel picks random ones). */
export function macFor(seed: string): string {
  const h = sha1(seed);
  const b = [0, 1, 2, 3, 4, 5].map((i) => parseInt(h.slice(i * 2, i * 2 + 2), 16));
  b[0] = (b[0] & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Docker's MAC for a container on a bridge network: 02:42 + the IPv4 address (minikube/kind node eth0). */
export function dockerMac(ip: string): string {
  return ['02', '42', ...ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

/** The EUI-64 IPv6 link-local address the kernel derives from a MAC (addrgenmode eui64). */
export function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const groups = [((b[0] ^ 2) << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]];
  while (groups.length && groups[0] === 0) groups.shift();
  return 'fe80::' + groups.map((g) => g.toString(16)).join(':');
}

/**
 * A stable stand-in for the randomness plugins draw per sandbox (veth names, MACs, netns
 * names): the pod's identity and creation time, so a recreated pod gets new ones while
 * outputs do not shift when unrelated objects draw from the simulation's RNG.
 */
export function sandboxSeed(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}/${pod.metadata.creationTimestamp ?? ''}`;
}

/** The MAC of a pod's eth0 (the container end of its veth pair). */
export function podEth0Mac(pod: KubeObject): string {
  return macFor(`${sandboxSeed(pod)}/eth0`);
}

/** containerd's netns name for a sandbox: `cni-` + a UUID. */
export function netnsName(pod: KubeObject): string {
  const h = sha1(`netns/${sandboxSeed(pod)}`);
  return `cni-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function lo(): NetLink {
  return {
    ifindex: 1, name: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, qdisc: 'noqueue', state: 'UNKNOWN', qlen: 1000,
    linkType: 'loopback', mac: '00:00:00:00:00:00', brd: '00:00:00:00:00:00', kind: 'loopback',
    addrs: [
      { family: 'inet', local: '127.0.0.1', prefix: 8, scope: 'host' },
      { family: 'inet6', local: '::1', prefix: 128, scope: 'host' },
    ],
  };
}

/** An Ethernet-type link that is up (veth, bridge, vxlan, …). */
export function ether(ifindex: number, name: string, mac: string, mtu: number, kind: NetLink['kind'], extra: Partial<NetLink> = {}): NetLink {
  return {
    ifindex, name, flags: [...UP_FLAGS], mtu, qdisc: 'noqueue', state: 'UP', qlen: 0, linkType: 'ether', mac, brd: ETHER_BRD, kind,
    addrs: [], ...extra,
  };
}

/** An IPv4 address with its broadcast (below /31), as `ip addr add` sets it. */
export function v4(ip: string, prefix: number, withBrd = true): NetAddr {
  const c = parseCidr(`${ip}/${prefix}`)!;
  return { family: 'inet', local: ip, prefix, scope: 'global', ...(withBrd && prefix < 31 ? { brd: formatIPv4(broadcast(c)) } : {}) };
}

/** A global IPv6 address (no broadcast in IPv6), as `ip -6 addr add` or the CNI's IPAM sets it. */
export function v6(ip: string, prefix: number): NetAddr {
  return { family: 'inet6', local: ip, prefix, scope: 'global' };
}

/**
 * The IPv6 main table in the kernel's dump order: fib6's tree walk visits a node's
 * children (lower addresses first) before the node's own routes, so a covering prefix
 * comes after the routes inside it and the default route (the root) comes last.
 */
export function sortRoutes6(routes: NetRoute[]): NetRoute[] {
  const key = (r: NetRoute): Cidr6 => (r.dst === 'default' ? { network: 0n, prefix: 0 } : parseCidr6(r.dst)!);
  return [...routes].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka.prefix !== kb.prefix) {
      if (ka.prefix < kb.prefix && cidr6Contains(ka, kb.network)) return 1;
      if (kb.prefix < ka.prefix && cidr6Contains(kb, ka.network)) return -1;
    }
    return ka.network < kb.network ? -1 : ka.network > kb.network ? 1 : kb.prefix - ka.prefix;
  });
}

/** The link's IPv6 link-local address. */
export function ll(mac: string): NetAddr {
  return { family: 'inet6', local: linkLocal(mac), prefix: 64, scope: 'link' };
}

/** A tunnel device's /32 (flannel.1, tunl0, vxlan.calico hold the .0 of the node's pod CIDR). */
export function host32(ip: string): NetAddr {
  return { family: 'inet', local: ip, prefix: 32, scope: 'global' };
}

/** A routed pod's table: a /32 on eth0, the gateway reached on the link, the default through it. */
export function pointToPointRoutes(gateway: string, defaultMtu?: number): { prefix: number; routes: NetRoute[] } {
  return {
    prefix: 32,
    routes: [
      { dst: 'default', via: gateway, dev: 'eth0', ...(defaultMtu ? { mtu: defaultMtu } : {}) },
      { dst: gateway, dev: 'eth0', scope: 'link' },
    ],
  };
}

/** The kernel's main-table dump order: default first, then by destination address, longer prefixes first on a tie. */
export function sortRoutes(routes: NetRoute[]): NetRoute[] {
  const key = (r: NetRoute): [number, number] => {
    if (r.dst === 'default') return [-1, 0];
    const c = parseCidr(r.dst)!;
    return [c.network, c.prefix];
  };
  return [...routes].sort((a, b) => {
    const [na, pa] = key(a);
    const [nb, pb] = key(b);
    return na !== nb ? na - nb : pb - pa;
  });
}
