/**
 * The CNI room: each node's and each pod's network namespace (links, addresses,
 * routes, neighbours) as the configured plugin (settings.cni, see registry.ts) would have
 * wired them, derived from Nodes and Pods. The traffic room walks these; `ip`/`bridge`/`ss`
 * print them; /etc/cni/net.d comes from the plugin (files.ts).
 */
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import type { Cluster } from '../../cluster/cluster';
import type { ClusterSettings, KubeObject } from '../../cluster/types';
import type { HostRef } from '../../types';
import { CniModule, cniModule } from './module';
import { buildNodeNamespace, buildPodNamespace, podGateway } from './netns';
import { cniPlugin } from './registry';
import { clusterNodes, findNode, type NodeInfo } from './topology';
import type { NetLink, NetNamespace, NetRoute } from './model';
import type { CniOptions, CrossNodePath, WorkloadEndpoint } from './plugin';
import { cniConfigFiles, registerCniFiles } from './files';

export type { NetAddr, NetLink, NetNamespace, NetNeighbor, NetRoute, LinkKind } from './model';
export type { NodeInfo } from './topology';
export { clusterNodes, findNode, podsOnNode, hasSandbox } from './topology';
export { macFor, dockerMac, linkLocal, netnsName } from './netdev';
export { serviceAddresses } from './netns';
export type { CniPlugin, CniOptions, CrossNodeMode, CrossNodePath, WorkloadEndpoint } from './plugin';
export { CNI_PLUGINS, cniPlugin } from './registry';
export { cniConfigFiles } from './files';
export { CniModule } from './module';

export function createCniModules(cluster: ClusterRuntime): SimModule[] {
  const mod = new CniModule(cluster);
  registerCniFiles(cluster);
  return [mod];
}

const cache = new WeakMap<Cluster, { revision: number; spaces: Map<string, NetNamespace | undefined> }>();

function cached(cluster: Cluster, key: string, build: () => NetNamespace | undefined): NetNamespace | undefined {
  let c = cache.get(cluster);
  if (!c || c.revision !== cluster.store.revision) {
    c = { revision: cluster.store.revision, spaces: new Map() };
    cache.set(cluster, c);
  }
  if (!c.spaces.has(key)) c.spaces.set(key, build());
  return c.spaces.get(key);
}

/** A node's host network namespace (undefined if there is no such node). */
export function nodeNamespace(cluster: ClusterRuntime, node: string): NetNamespace | undefined {
  return cached(cluster, `node/${node}`, () => {
    const nodes = clusterNodes(cluster);
    const info = nodes.find((n) => n.name === node);
    if (!info) return undefined;
    return buildNodeNamespace(cluster, cniModule(cluster), info, nodes);
  });
}

/** A pod's network namespace; host-network pods share their node's. */
export function podNamespace(cluster: ClusterRuntime, pod: KubeObject): NetNamespace | undefined {
  if (pod.spec?.hostNetwork && pod.spec?.nodeName) return nodeNamespace(cluster, pod.spec.nodeName);
  return cached(cluster, `pod/${pod.metadata.namespace}/${pod.metadata.name}`, () => {
    const info = pod.spec?.nodeName ? findNode(cluster, pod.spec.nodeName) : undefined;
    if (!info) return undefined;
    return buildPodNamespace(cluster, cniModule(cluster), pod, info);
  });
}

/** The namespace a shell host sits in (the workstation has none in the cluster). */
export function hostNamespace(cluster: ClusterRuntime, host: HostRef): NetNamespace | undefined {
  if (host.kind === 'node') return nodeNamespace(cluster, host.node);
  if (host.kind === 'pod') {
    const pod = cluster.store.get('Pod', host.namespace, host.pod);
    return pod ? podNamespace(cluster, pod) : undefined;
  }
  return undefined;
}

export interface PodInterface {
  namespace: string;
  pod: string;
  node: string;
  ip: string;
  /** eth0 inside the pod */
  ifname: 'eth0';
  ifindex: number;
  mac: string;
  mtu: number;
  /** The host side of the veth pair and its ifindex on the node. */
  hostVeth: string;
  hostIfindex: number;
  /** The bridge the host veth is enslaved to (flannel cni0, weave), if any. */
  bridge?: string;
  gateway: string;
}

/** The pod's eth0 and where it plugs into its node; undefined for host-network or unscheduled pods. */
export function podInterface(cluster: ClusterRuntime, pod: KubeObject): PodInterface | undefined {
  const ns = podNamespace(cluster, pod);
  if (!ns || pod.spec?.hostNetwork) return undefined;
  const eth0 = ns.links.find((l) => l.name === 'eth0')!;
  const node = findNode(cluster, pod.spec.nodeName)!;
  const a = cniModule(cluster).podAlloc(node.name, pod.metadata.uid)!;
  const plugin = cniPlugin(cluster.settings);
  return {
    namespace: pod.metadata.namespace!,
    pod: pod.metadata.name,
    node: node.name,
    ip: pod.status.podIP,
    ifname: 'eth0',
    ifindex: plugin.podEth0Index(cluster),
    mac: eth0.mac,
    mtu: eth0.mtu,
    hostVeth: plugin.hostVethName(pod),
    hostIfindex: a.ifindex,
    bridge: plugin.bridge,
    gateway: podGateway(cluster.settings, node),
  };
}

/** The pods on a node the plugin's agent programs, with their host veths (Felix's workload endpoints). */
export function workloadEndpoints(cluster: ClusterRuntime, node: string): WorkloadEndpoint[] {
  const out: WorkloadEndpoint[] = [];
  for (const pod of cluster.store.iterate('Pod')) {
    if (pod.spec?.nodeName !== node || pod.spec?.hostNetwork || !pod.status?.podIP) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    let iface: PodInterface | undefined;
    try {
      iface = podInterface(cluster, pod);
    } catch {
      iface = undefined;
    }
    const sa = pod.spec?.serviceAccountName;
    if (iface?.hostVeth) out.push({ namespace: pod.metadata.namespace ?? 'default', hostVeth: iface.hostVeth, labels: pod.metadata.labels ?? {}, ...(sa ? { serviceAccount: String(sa) } : {}) });
  }
  return out;
}

export function nodeInterfaces(cluster: ClusterRuntime, node: string): NetLink[] {
  return nodeNamespace(cluster, node)?.links ?? [];
}

export function nodeRoutes(cluster: ClusterRuntime, node: string): NetRoute[] {
  return nodeNamespace(cluster, node)?.routes ?? [];
}

/** How a pod packet gets from one node to another under the configured plugin. */
export function crossNodePath(cluster: Cluster, fromNode: string, toNode: string, family: 4 | 6 = 4, dst?: string): CrossNodePath {
  const plugin = cniPlugin(cluster.settings);
  const nodes = clusterNodes(cluster);
  const from = nodes.find((n) => n.name === fromNode);
  const to = nodes.find((n) => n.name === toNode);
  const mtu = plugin.podMtu(cluster);
  if (!from || !to || from.name === to.name) {
    const dev = plugin.bridge ?? 'veth';
    return {
      mode: 'local', device: dev, mtu, overhead: 0, routers: 1,
      hops: [{ where: fromNode, what: plugin.bridge ? `bridge ${dev} forwards between the two veths` : 'routed between the two veths on the host', verdict: 'pass' }],
    };
  }
  return family === 6 && plugin.crossNode6 ? plugin.crossNode6(cluster, from, to, mtu) : plugin.crossNode(cluster, from, to, mtu, dst);
}

/**
 * Whether the plugin enforces NetworkPolicy: flannel never does; calico, cilium and weave
 * do; the AWS VPC CNI only with its network policy agent turned on (the `amazon-vpc-cni`
 * ConfigMap in kube-system, key `enable-network-policy-controller: "true"`).
 */
export function cniEnforcesPolicy(settings: ClusterSettings, cluster?: Cluster): boolean {
  return cniPlugin(settings).enforcesNetworkPolicy(cluster);
}

/** How the plugin is configured beyond its name (see CniOptions). */
export function cniOptions(cluster: Cluster): CniOptions {
  return { flannelBackend: 'vxlan', calicoEncap: 'ipip', ...cniPlugin(cluster.settings).options?.(cluster) };
}

/** The host-side interface name the plugin gives a pod's veth. */
export function hostVethName(settings: ClusterSettings, pod: KubeObject): string {
  return cniPlugin(settings).hostVethName(pod);
}

/** The node's eth0 MTU under the plugin. */
export function nodeMtu(settings: ClusterSettings): number {
  return cniPlugin(settings).nodeMtu;
}

/** The MTU pods get by default: the wire MTU minus the plugin's encapsulation overhead. */
export function podMtu(settings: ClusterSettings): number {
  return cniPlugin(settings).defaultPodMtu;
}

/** The MTU pods get under the plugin's actual configuration. */
export function podMtuFor(cluster: Cluster): number {
  return cniPlugin(cluster.settings).podMtu(cluster);
}

/** Files the CNI leaves on a node, by path. */
export function nodeCniFiles(cluster: Cluster, node: string): Record<string, string> {
  const info = findNode(cluster, node);
  return info ? cniConfigFiles(cluster, info) : {};
}

export { nodeMtu as wireMtu, podGateway };
export type { NodeInfo as CniNode };
