/**
 * What the CNI derives from: the Nodes (name, InternalIP, spec.podCIDR) and the Pods
 * that have a sandbox on them (scheduled, given an IP, not host-network, not finished).
 * Node objects are the source of truth; before the node controller has written them the
 * scenario's `cluster.nodes` stand in, with podCIDRs carved the way kube-controller-manager's
 * range allocator does (the i-th node gets the i-th /24 of cluster.podCIDR).
 */
import type { Cluster } from '../../cluster/cluster';
import type { KubeObject } from '../../cluster/types';
import { type Cidr, cidrText, formatIPv4, parseCidr } from '../../cluster/ipv4';

export interface NodeInfo {
  name: string;
  ip: string;
  podCIDR: string;
  /** The node's L2 subnet (/24 around its IP) and its gateway (.1), as on a minikube/kind docker network. */
  subnet: Cidr;
  gateway: string;
  index: number;
  /** Dual-stack: the node's IPv6 InternalIP and the IPv6 /64 of its spec.podCIDRs. */
  ipv6?: string;
  podCIDR6?: string;
}

const nodesMemo = new WeakMap<Cluster, { revision: number; settings: readonly unknown[]; length: number; nodes: NodeInfo[] }>();

/**
 * The nodes as the CNI wires them. Read once per store revision (the CNI asks for them for
 * every Pod's namespace: 20,000 Pods on 100 nodes); callers only read the list.
 */
export function clusterNodes(cluster: Cluster): NodeInfo[] {
  const hit = nodesMemo.get(cluster);
  const settings = cluster.settings.nodes;
  if (hit && hit.revision === cluster.store.revision && hit.settings === settings && hit.length === settings.length) return hit.nodes;
  const nodes = readClusterNodes(cluster);
  nodesMemo.set(cluster, { revision: cluster.store.revision, settings, length: settings.length, nodes });
  return nodes;
}

function readClusterNodes(cluster: Cluster): NodeInfo[] {
  const objs = cluster.store.list('Node');
  const settings = cluster.settings.nodes;
  const out: NodeInfo[] = [];
  const names = objs.length ? objs.map((n) => n.metadata.name) : settings.map((n) => n.name);
  const objByName = new Map(objs.map((o) => [o.metadata.name, o]));
  const setByName = new Map<string, (typeof settings)[number]>();
  for (const s of settings) if (!setByName.has(s.name)) setByName.set(s.name, s);
  names.forEach((name, i) => {
    const obj = objByName.get(name);
    const set = setByName.get(name);
    const addr = (obj?.status?.addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;
    const ip = addr ?? set?.ip ?? `192.168.49.${i + 2}`;
    const settingsIndex = set ? settings.indexOf(set) : i;
    const podCIDR = (obj?.spec?.podCIDR as string | undefined) ?? set?.podCIDR ?? defaultPodCIDR(cluster.settings.podCIDR, settingsIndex);
    const subnet = parseCidr(`${ip}/24`)!;
    const info: NodeInfo = { name, ip, podCIDR, subnet, gateway: formatIPv4(subnet.network + 1), index: i };
    const ipv6 = (obj?.status?.addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP' && a.address.includes(':'))?.address ?? set?.ipv6;
    const podCIDR6 = ((obj?.spec?.podCIDRs ?? []) as string[]).find((c) => c.includes(':'));
    if (ipv6 && podCIDR6) {
      info.ipv6 = ipv6;
      info.podCIDR6 = podCIDR6;
    }
    out.push(info);
  });
  return out;
}

export function defaultPodCIDR(clusterCIDR: string, index: number): string {
  const c = parseCidr(clusterCIDR) ?? parseCidr('10.244.0.0/16')!;
  return cidrText({ network: (c.network + index * 256) >>> 0, prefix: 24 });
}

export function findNode(cluster: Cluster, name: string): NodeInfo | undefined {
  return clusterNodes(cluster).find((n) => n.name === name);
}

/** True if the pod has its own network namespace wired by the CNI right now. */
export function hasSandbox(pod: KubeObject): boolean {
  if (!pod.spec?.nodeName || pod.spec?.hostNetwork) return false;
  if (!pod.status?.podIP) return false;
  if (pod.metadata.deletionTimestamp && !pod.status?.containerStatuses) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** Pods with a sandbox on `node`, in ns/name order. */
export function podsOnNode(cluster: Cluster, node: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const p of cluster.store.iterate('Pod')) if (p.spec?.nodeName === node && hasSandbox(p)) out.push(p);
  return out.sort((a, b) => (a.metadata.namespace! + '/' + a.metadata.name < b.metadata.namespace! + '/' + b.metadata.name ? -1 : 1));
}
