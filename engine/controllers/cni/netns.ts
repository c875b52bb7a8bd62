/**
 * A node's and a pod's network namespace as the configured plugin wired them, from Nodes,
 * Pods and the interface indexes in module.ts. What every plugin shares is here: lo, the
 * node's eth0 on its docker network and its default route, kube-ipvs0 in IPVS mode, each
 * pod's veth pair; the plugin (plugins/<name>) adds its own devices, routes and neighbours
 * and decides names, MTUs, the gateway and the pod's routes.
 */
import type { Cluster } from '../../cluster/cluster';
import type { ClusterSettings, KubeObject } from '../../cluster/types';
import { formatIPv4, parseCidr } from '../../cluster/ipv4';
import { ETHER_BRD, type LearnedMac, type NetAddr, type NetLink, type NetNamespace, type NetNeighbor, type NetRoute } from './model';
import type { CniModule } from './module';
import { dockerMac, ether, ll, lo, macFor, podEth0Mac, sortRoutes, v4, v6 } from './netdev';
import { formatIPv6, parseCidr6 } from '../../cluster/ipv6';
import { cniPlugin } from './registry';
import type { NodeInfo } from './topology';

/** The gateway pods use. */
export function podGateway(settings: ClusterSettings, node: NodeInfo): string {
  if (cniPlugin(settings).podGateway === 'link-local') return '169.254.1.1';
  return formatIPv4(parseCidr(node.podCIDR)!.network + 1); // cni0 / cilium_host / weave bridge
}

/** The IPv6 gateway pods use on a dual-stack node: the first address of its IPv6 /64, which the bridge holds. */
export function podGateway6(node: NodeInfo): string {
  return formatIPv6(parseCidr6(node.podCIDR6!)!.network + 1n);
}

/** Everything a node's host network namespace holds. */
export function buildNodeNamespace(cluster: Cluster, mod: CniModule, node: NodeInfo, nodes: NodeInfo[]): NetNamespace {
  const s = cluster.settings;
  const plugin = cniPlugin(s);
  const alloc = mod.node(node.name);
  const idx = (dev: string): number | undefined => alloc.devices[dev];
  const links: NetLink[] = [lo()];
  const eth0Mac = dockerMac(node.ip);
  links.push({
    ...ether(idx('eth0')!, 'eth0', eth0Mac, plugin.nodeMtu, 'device', { qdisc: 'mq', qlen: 1000 }),
    addrs: [v4(node.ip, 24), ...(node.ipv6 ? [v6(node.ipv6, 64)] : []), ll(eth0Mac)],
  });
  // a dual-stack node's IPv6 on its docker network: the /64 around its address, the network's ::1 as gateway
  const routes6: NetRoute[] = node.ipv6 ? [{ dst: 'default', via: formatIPv6(parseCidr6(`${node.ipv6}/64`)!.network + 1n), dev: 'eth0', metric: 1024 }] : [];
  const routes: NetRoute[] = [
    { dst: 'default', via: node.gateway, dev: 'eth0' },
    { dst: `${formatIPv4(node.subnet.network)}/24`, dev: 'eth0', proto: 'kernel', scope: 'link', src: node.ip },
  ];
  const neighbors: NetNeighbor[] = [{ ip: node.gateway, dev: 'eth0', lladdr: dockerMac(node.gateway), state: 'REACHABLE' }];
  for (const other of nodes) {
    if (other.name !== node.name) neighbors.push({ ip: other.ip, dev: 'eth0', lladdr: dockerMac(other.ip), state: 'REACHABLE' });
  }

  if (s.proxyMode === 'ipvs') {
    const mac = macFor(`${node.name}/kube-ipvs0`);
    links.push({
      ifindex: idx('kube-ipvs0')!, name: 'kube-ipvs0', flags: ['BROADCAST', 'NOARP'], mtu: 1500, qdisc: 'noop', state: 'DOWN', qlen: 0,
      linkType: 'ether', mac, brd: ETHER_BRD, kind: 'dummy',
      addrs: serviceAddresses(cluster).map((ip) => ({ family: 'inet', local: ip, prefix: 32, scope: 'global' }) as NetAddr),
    });
  }

  const mtu = plugin.podMtu(cluster);
  const peer = `if${plugin.podEth0Index(cluster)}`;
  const podLinks: NetLink[] = [];
  const podRoutes: NetRoute[] = [];
  // a bridge learns each pod's MAC from the frames the pod sends (the CNI bridge plugin's
  // gratuitous ARP at setup, then its traffic): the steady state of a working node
  const learned: LearnedMac[] = [];
  // the pods wired on this node, from the CNI's own allocations (no scan of every pod)
  for (const a of mod.podAllocs(node.name)) {
    const p = cluster.store.get('Pod', a.namespace, a.name);
    if (!p || p.metadata.uid !== a.uid || !p.status?.podIP) continue;
    const name = plugin.hostVethName(p);
    const mac = plugin.hostVethMac ?? macFor(`${node.name}/${name}`);
    const link = ether(a.ifindex, name, mac, mtu, 'veth', { peer, linkNetnsid: a.netnsid, addrs: [ll(mac)] });
    if (plugin.bridge) {
      link.master = plugin.bridge;
      learned.push({ mac: podEth0Mac(p), dev: name });
    }
    podLinks.push(link);
    if (plugin.hostRoutePerPod) podRoutes.push({ dst: p.status.podIP, dev: name, scope: 'link' });
  }

  const own = plugin.nodeNetwork({ cluster, node, nodes, device: idx, podMtu: mtu, hasPods: podLinks.length > 0 });
  links.push(...own.links, ...podLinks);
  routes.push(...own.routes, ...podRoutes);
  routes6.push(...(own.routes6 ?? []));
  neighbors.push(...own.neighbors);
  links.sort((a, b) => a.ifindex - b.ifindex);
  const ns: NetNamespace = { id: `node/${node.name}`, links, routes: sortRoutes(routes), neighbors };
  if (node.ipv6) ns.routes6 = routes6;
  if (learned.length) ns.learned = learned;
  return ns;
}

/** Every ClusterIP, externalIP and LoadBalancer ingress IP kube-proxy binds to kube-ipvs0 in IPVS mode. */
export function serviceAddresses(cluster: Cluster): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (ip: unknown) => {
    if (typeof ip === 'string' && ip && ip !== 'None' && !ip.includes(':') && !seen.has(ip)) {
      seen.add(ip);
      out.push(ip);
    }
  };
  for (const svc of cluster.store.list('Service')) {
    if (svc.spec?.type === 'ExternalName') continue;
    add(svc.spec?.clusterIP);
    for (const ip of svc.spec?.externalIPs ?? []) add(ip);
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) add(ing.ip);
  }
  return out;
}

/** A pod sandbox's namespace: lo, the plugin's extra links (tunl0), eth0@ifN and its routes. */
export function buildPodNamespace(cluster: Cluster, mod: CniModule, pod: KubeObject, node: NodeInfo): NetNamespace | undefined {
  const s = cluster.settings;
  const plugin = cniPlugin(s);
  const a = mod.podAlloc(node.name, pod.metadata.uid);
  if (!a) return undefined;
  const ip = pod.status.podIP as string;
  const mtu = plugin.podMtu(cluster);
  const mac = podEth0Mac(pod);
  const links: NetLink[] = [lo(), ...(plugin.sandboxLinks?.(cluster) ?? [])];
  const gw = podGateway(s, node);
  const { prefix, routes } = plugin.podRoutes(cluster, node, ip, gw);
  // dual-stack: the address host-local's second range gave the pod, and the plugin's IPv6 routes
  const ip6 = ((pod.status?.podIPs ?? []) as { ip?: string }[]).find((p) => p.ip?.includes(':'))?.ip;
  const six = ip6 && node.podCIDR6 && plugin.podRoutes6 ? plugin.podRoutes6(cluster, node, ip6, podGateway6(node)) : undefined;
  links.push(ether(plugin.podEth0Index(cluster), 'eth0', mac, mtu, 'veth', { peer: `if${a.ifindex}`, linkNetnsid: 0, addrs: [v4(ip, prefix, prefix < 32), ...(six ? [v6(ip6!, six.prefix)] : []), ll(mac)] }));
  // whatever answers for the gateway on the host side: the bridge, or the pod's own host veth
  const gwMac = plugin.hostVethMac ?? macFor(`${node.name}/${plugin.bridge ?? plugin.hostVethName(pod)}`);
  const neighbors: NetNeighbor[] = [{ ip: gw, dev: 'eth0', lladdr: gwMac, state: 'REACHABLE' }];
  const ns: NetNamespace = { id: `pod/${pod.metadata.namespace}/${pod.metadata.name}`, links, routes: sortRoutes(routes), neighbors };
  if (six) ns.routes6 = six.routes;
  return ns;
}
