/**
 * What the dataplane needs to know about the cluster, read from the object store:
 * which pod owns an address, which node, which Service has a ClusterIP / nodePort /
 * load-balancer address, and a Service's ready endpoints. The index is built once (linear
 * in pods, nodes and Services) and then follows the store's change stream, so a walk costs
 * O(1) lookups and one changed object costs O(1) to re-index.
 */
import type { Cluster } from '../cluster/cluster';
import type { KubeObject } from '../cluster/types';
import type { HostRef } from '../types';
import { cidrContains, formatIPv4, parseCidr, parseIPv4 } from '../cluster/ipv4';
import { cidr6Contains, formatIPv6, parseCidr6 } from '../cluster/ipv6';

export interface PodInfo {
  obj: KubeObject;
  namespace: string;
  name: string;
  ip: string;
  node: string;
  phase: string;
  /** Phase Running: its containers run (a terminating pod keeps serving through its grace period). */
  running: boolean;
  /** Deleted, in its grace period: still answering, already out of the Service's endpoints. */
  terminating: boolean;
  ready: boolean;
  hostNetwork: boolean;
  labels: Record<string, string>;
}

export interface NodeInfo {
  name: string;
  ip: string;
  podCIDR?: string;
  controlPlane: boolean;
}

interface Index {
  revision: number;
  podsByIp: Map<string, PodInfo>;
  podsByKey: Map<string, PodInfo>;
  /** Non-host-network pods by their IPv4 address, in podsByKey's order: who takes an address over when its owner goes. */
  keysByIp: Map<string, Set<string>>;
  nodes: NodeInfo[];
  nodesByIp: Map<string, NodeInfo>;
  nodesByName: Map<string, NodeInfo>;
  servicesByClusterIp: Map<string, KubeObject>;
  servicesByLbIp: Map<string, KubeObject>;
  servicesByExternalIp: Map<string, KubeObject>;
  servicesByNodePort: Map<string, KubeObject>;
  /** hostNetwork pods by node: they listen on the node's addresses. */
  hostNetPods: Map<string, Map<string, PodInfo>>;
}

const cache = new WeakMap<Cluster, Index>();

export function podInfo(obj: KubeObject): PodInfo {
  const status = obj.status ?? {};
  const conds: { type: string; status: string }[] = status.conditions ?? [];
  const phase: string = status.phase ?? 'Pending';
  const readyCond = conds.find((c) => c.type === 'Ready');
  const terminating = !!obj.metadata.deletionTimestamp;
  const running = phase === 'Running';
  return {
    obj,
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name,
    ip: status.podIP ?? '',
    node: obj.spec?.nodeName ?? '',
    phase,
    running,
    terminating,
    ready: running && !terminating && (readyCond ? readyCond.status === 'True' : true),
    hostNetwork: !!obj.spec?.hostNetwork,
    labels: obj.metadata.labels ?? {},
  };
}

function emptyIndex(cluster: Cluster): Index {
  return {
    revision: cluster.store.revision,
    podsByIp: new Map(),
    podsByKey: new Map(),
    keysByIp: new Map(),
    nodes: [],
    nodesByIp: new Map(),
    nodesByName: new Map(),
    servicesByClusterIp: new Map(),
    servicesByLbIp: new Map(),
    servicesByExternalIp: new Map(),
    servicesByNodePort: new Map(),
    hostNetPods: new Map(),
  };
}

function buildNodes(cluster: Cluster, idx: Index): void {
  idx.nodes = [];
  idx.nodesByIp = new Map();
  idx.nodesByName = new Map();
  // Nodes: the Node objects when the cluster has them, else the scenario's list.
  const nodeObjs = cluster.store.list('Node');
  const podCidr = parseCidr(cluster.settings.podCIDR);
  if (nodeObjs.length > 0) {
    for (const n of nodeObjs) {
      const addrs: { type: string; address: string }[] = n.status?.addresses ?? [];
      const setting = cluster.settings.nodes.find((x) => x.name === n.metadata.name);
      const ip = addrs.find((a) => a.type === 'InternalIP')?.address ?? setting?.ip ?? '';
      const labels = n.metadata.labels ?? {};
      idx.nodes.push({
        name: n.metadata.name,
        ip,
        podCIDR: n.spec?.podCIDR ?? setting?.podCIDR,
        controlPlane: 'node-role.kubernetes.io/control-plane' in labels || setting?.role === 'control-plane',
      });
    }
  } else {
    cluster.settings.nodes.forEach((x, i) => {
      idx.nodes.push({
        name: x.name,
        ip: x.ip,
        podCIDR: x.podCIDR ?? (podCidr ? `${formatIPv4(podCidr.network + i * 256)}/24` : undefined),
        controlPlane: x.role === 'control-plane',
      });
    });
  }
  for (const n of idx.nodes) {
    idx.nodesByIp.set(n.ip, n);
    idx.nodesByName.set(n.name, n);
  }
  // dual-stack: a node's IPv6 InternalIP finds the node as seen on that address
  if (cluster.settings.podCIDRv6) {
    for (const n of nodeObjs) {
      const ip6 = ((n.status?.addresses ?? []) as { type: string; address: string }[]).find((a) => a.type === 'InternalIP' && a.address.includes(':'))?.address;
      const info = idx.nodesByName.get(n.metadata.name);
      if (ip6 && info) idx.nodesByIp.set(ip6, { ...info, ip: ip6, podCIDR: ((n.spec?.podCIDRs ?? []) as string[]).find((c) => c.includes(':')) });
    }
  }
}

function addPod(idx: Index, p: KubeObject): void {
  const info = podInfo(p);
  const key = `${info.namespace}/${info.name}`;
  idx.podsByKey.set(key, info);
  if (info.hostNetwork && info.node) {
    let m = idx.hostNetPods.get(info.node);
    if (!m) idx.hostNetPods.set(info.node, (m = new Map()));
    m.set(key, info);
  }
  if (info.ip && !info.hostNetwork) {
    let keys = idx.keysByIp.get(info.ip);
    if (!keys) idx.keysByIp.set(info.ip, (keys = new Set()));
    keys.add(key);
    // Two pods can briefly share an IP (one terminating): the running one owns it.
    const prev = idx.podsByIp.get(info.ip);
    const live = (x: PodInfo) => x.running && !x.terminating;
    if (!prev || (prev.name === info.name && prev.namespace === info.namespace) || (!live(prev) && live(info))) idx.podsByIp.set(info.ip, info);
    // dual-stack: the pod's IPv6 address (status.podIPs[1]) finds the same pod, seen at that address
    const ip6 = podIPv6(p);
    if (ip6) idx.podsByIp.set(ip6, { ...info, ip: ip6 });
  }
}

/** A dual-stack pod's IPv6 address (its podIPs entry of that family); undefined on a single-stack pod. */
export function podIPv6(p: KubeObject): string | undefined {
  const ips = p.status?.podIPs as { ip: string }[] | undefined;
  if (!ips || ips.length < 2) return undefined;
  return ips.find((x) => x.ip.includes(':'))?.ip;
}

function removePod(idx: Index, p: KubeObject): void {
  const key = `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
  const info = idx.podsByKey.get(key);
  idx.podsByKey.delete(key);
  const keys = info?.ip ? idx.keysByIp.get(info.ip) : undefined;
  if (keys) {
    keys.delete(key);
    if (!keys.size) idx.keysByIp.delete(info!.ip!);
  }
  if (info?.hostNetwork && info.node) idx.hostNetPods.get(info.node)?.delete(key);
  const ip6 = podIPv6(p);
  if (ip6 && idx.podsByIp.get(ip6)?.name === p.metadata.name && idx.podsByIp.get(ip6)?.namespace === (p.metadata.namespace ?? 'default')) idx.podsByIp.delete(ip6);
  if (info?.ip && idx.podsByIp.get(info.ip) === info) {
    idx.podsByIp.delete(info.ip);
    // Another pod holding the same address (the replacement) takes it over.
    for (const k of keys ?? []) {
      const other = idx.podsByKey.get(k);
      if (other && other.ip === info.ip && !other.hostNetwork) {
        idx.podsByIp.set(other.ip, other);
        break;
      }
    }
  }
}

function serviceKeys(s: KubeObject): { cluster: string[]; lb: string[]; ext: string[]; nodePorts: string[] } {
  const spec = s.spec ?? {};
  const cluster = [spec.clusterIP, ...(spec.clusterIPs ?? [])].filter((ip: string | undefined) => ip && ip !== 'None');
  const lb = (s.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip).filter(Boolean);
  const nodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? (spec.ports ?? []).filter((p: { nodePort?: number }) => p.nodePort).map((p: { nodePort: number; protocol?: string }) => `${(p.protocol ?? 'TCP').toLowerCase()}/${p.nodePort}`) : [];
  return { cluster, lb, ext: spec.externalIPs ?? [], nodePorts };
}

function addService(idx: Index, s: KubeObject): void {
  const k = serviceKeys(s);
  for (const ip of k.cluster) idx.servicesByClusterIp.set(ip, s);
  for (const ip of k.ext) idx.servicesByExternalIp.set(ip, s);
  for (const ip of k.lb) idx.servicesByLbIp.set(ip, s);
  for (const np of k.nodePorts) idx.servicesByNodePort.set(np, s);
}

function removeService(idx: Index, s: KubeObject): void {
  const k = serviceKeys(s);
  const same = (o: KubeObject | undefined) => o && o.metadata.namespace === s.metadata.namespace && o.metadata.name === s.metadata.name;
  for (const ip of k.cluster) if (same(idx.servicesByClusterIp.get(ip))) idx.servicesByClusterIp.delete(ip);
  for (const ip of k.ext) if (same(idx.servicesByExternalIp.get(ip))) idx.servicesByExternalIp.delete(ip);
  for (const ip of k.lb) if (same(idx.servicesByLbIp.get(ip))) idx.servicesByLbIp.delete(ip);
  for (const np of k.nodePorts) if (same(idx.servicesByNodePort.get(np))) idx.servicesByNodePort.delete(np);
}

function build(cluster: Cluster): Index {
  const idx = emptyIndex(cluster);
  buildNodes(cluster, idx);
  for (const p of cluster.store.iterate('Pod')) addPod(idx, p);
  for (const s of cluster.store.iterate('Service')) addService(idx, s);
  return idx;
}

/**
 * The index, built once per simulation and then kept current from the store's change
 * stream: a pod or Service change costs O(1), not a rebuild.
 */
export function topology(cluster: Cluster): Index {
  let idx = cache.get(cluster);
  if (!idx) {
    const built = build(cluster);
    idx = built;
    cache.set(cluster, built);
    cluster.store.subscribe((c) => {
      switch (c.object.kind) {
        case 'Pod':
          if (c.old) removePod(built, c.old);
          if (c.type !== 'DELETED') addPod(built, c.object);
          break;
        case 'Service':
          if (c.old) removeService(built, c.old);
          if (c.type !== 'DELETED') addService(built, c.object);
          break;
        case 'Node':
          buildNodes(cluster, built);
          break;
      }
      built.revision = cluster.store.revision;
    });
  }
  return idx;
}

export function podByIp(cluster: Cluster, ip: string): PodInfo | undefined {
  return topology(cluster).podsByIp.get(ip);
}

export function findPod(cluster: Cluster, namespace: string, name: string): PodInfo | undefined {
  return topology(cluster).podsByKey.get(`${namespace}/${name}`);
}

export function nodeByIp(cluster: Cluster, ip: string): NodeInfo | undefined {
  return topology(cluster).nodesByIp.get(ip);
}

export function nodeByName(cluster: Cluster, name: string): NodeInfo | undefined {
  return topology(cluster).nodesByName.get(name);
}

export function hostNetworkPods(cluster: Cluster, node: string): PodInfo[] {
  return [...(topology(cluster).hostNetPods.get(node)?.values() ?? [])];
}

export function nodes(cluster: Cluster): NodeInfo[] {
  return topology(cluster).nodes;
}

/** The node whose pod CIDR holds `ip` (where a packet for an unassigned pod IP is routed). */
export function nodeForPodCidr(cluster: Cluster, ip: string): NodeInfo | undefined {
  if (ip.includes(':')) {
    for (const n of cluster.store.list('Node')) {
      const c6 = ((n.spec?.podCIDRs ?? []) as string[]).find((c) => c.includes(':'));
      if (c6 && cidr6Contains(c6, ip)) return topology(cluster).nodesByName.get(n.metadata.name);
    }
    return undefined;
  }
  // calico-ipam: the node a block is affine to (IPAMBlock spec.affinity `host:<node>`), not spec.podCIDR
  const owner = blockOwner(cluster, ip);
  if (owner !== undefined) return owner ? topology(cluster).nodesByName.get(owner) : undefined;
  return topology(cluster).nodes.find((n) => n.podCIDR && cidrContains(n.podCIDR, ip));
}

/** With IPAMBlocks in the store: the affine node of the block holding `ip` ('' if no block does); undefined without any. */
function blockOwner(cluster: Cluster, ip: string): string | undefined {
  if (!cluster.store.count('IPAMBlock')) return undefined;
  for (const b of cluster.store.iterate('IPAMBlock')) {
    const spec = b.spec as { cidr?: string; affinity?: string } | undefined;
    if (spec?.cidr && cidrContains(spec.cidr, ip)) return spec.affinity?.startsWith('host:') ? spec.affinity.slice(5) : '';
  }
  return '';
}

export function inPodNetwork(cluster: Cluster, ip: string): boolean {
  return cidrContains(cluster.settings.podCIDR, ip) || (!!cluster.settings.podCIDRv6 && cidr6Contains(cluster.settings.podCIDRv6, ip));
}

export function inServiceNetwork(cluster: Cluster, ip: string): boolean {
  return cidrContains(cluster.settings.serviceCIDR, ip) || (!!cluster.settings.serviceCIDRv6 && cidr6Contains(cluster.settings.serviceCIDRv6, ip));
}

/**
 * The workstation (the learner's laptop) sits on the nodes' network as its first host
 * address — where minikube/kind put the host (192.168.49.1 beside 192.168.49.2…) — unless
 * a node already holds that address, then the next free one.
 */
export function workstationIp(cluster: Cluster): string {
  const first = cluster.settings.nodes[0]?.ip ?? '192.168.49.2';
  const n = parseIPv4(first);
  if (n === undefined) return '192.168.49.1';
  const net = n - (n % 256);
  const taken = new Set(cluster.settings.nodes.map((x) => x.ip));
  for (let h = 1; h < 255; h++) {
    const ip = formatIPv4(net + h);
    if (!taken.has(ip)) return ip;
  }
  return formatIPv4(net + 254);
}

/** The address a host sends from: the pod IP (the node IP for hostNetwork pods), the node IP, the workstation's. */
export function hostIp(cluster: Cluster, host: HostRef | { kind: 'external'; ip: string }): string {
  switch (host.kind) {
    case 'workstation':
      return workstationIp(cluster);
    case 'external':
      return host.ip;
    case 'node':
      return nodeByName(cluster, host.node)?.ip ?? '';
    case 'pod': {
      const p = findPod(cluster, host.namespace, host.pod);
      if (!p) return '';
      return p.hostNetwork ? nodeByName(cluster, p.node)?.ip ?? p.ip : p.ip;
    }
  }
}

/**
 * The IPv6 address a host sends from in a dual-stack cluster: the pod's IPv6 address (its
 * node's for a hostNetwork pod), the node's IPv6 InternalIP, the workstation's address on the
 * nodes' IPv6 network (the first free host address of the nodes' /64, as kind's docker
 * network gives its gateway ::1). '' when the host has none.
 */
export function hostIp6(cluster: Cluster, host: HostRef | { kind: 'external'; ip: string }): string {
  const nodeIp6 = (name: string) => ((cluster.store.get('Node', undefined, name)?.status?.addresses ?? []) as { type: string; address: string }[]).find((a) => a.type === 'InternalIP' && a.address.includes(':'))?.address ?? '';
  switch (host.kind) {
    case 'workstation': {
      const first = cluster.settings.nodes.find((n) => n.ipv6)?.ipv6;
      const c = first ? parseCidr6(`${first}/64`) : undefined;
      if (!c) return '';
      const taken = new Set(cluster.settings.nodes.map((n) => n.ipv6 ? parseCidr6(n.ipv6)?.network : undefined));
      let h = 1n;
      while (taken.has(c.network + h)) h++;
      return formatIPv6(c.network + h);
    }
    case 'external':
      return host.ip.includes(':') ? host.ip : '';
    case 'node':
      return nodeIp6(host.node);
    case 'pod': {
      const p = findPod(cluster, host.namespace, host.pod);
      if (!p) return '';
      return p.hostNetwork ? nodeIp6(p.node) : podIPv6(p.obj) ?? '';
    }
  }
}

export interface ReadyEndpoint {
  ip: string;
  port: number;
  node?: string;
  pod?: PodInfo;
  ready: boolean;
}

/**
 * A Service's endpoints for a given service port: from the EndpointSlices the endpoint
 * controller wrote (the truth kube-proxy and ingress-nginx read), or — if no slice exists
 * for the Service yet — derived from its selector the way the controller would.
 */
export function serviceEndpoints(cluster: Cluster, svc: KubeObject, servicePort: { port: number; name?: string; targetPort?: number | string; protocol?: string }): ReadyEndpoint[] {
  const ns = svc.metadata.namespace ?? 'default';
  const slices = cluster.store.list('EndpointSlice', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
  const out: ReadyEndpoint[] = [];
  if (slices.length > 0) {
    for (const sl of slices) {
      const port = (sl.ports ?? []).find((p: { name?: string; protocol?: string }) => (p.name ?? '') === (servicePort.name ?? '') && (p.protocol ?? 'TCP') === (servicePort.protocol ?? 'TCP'));
      if (!port) continue;
      for (const ep of sl.endpoints ?? []) {
        const ready = ep.conditions?.ready !== false;
        for (const ip of ep.addresses ?? []) {
          const pod = ep.targetRef?.kind === 'Pod' ? findPod(cluster, ep.targetRef.namespace ?? ns, ep.targetRef.name) : podByIp(cluster, ip);
          out.push({ ip, port: port.port, node: ep.nodeName ?? pod?.node, pod, ready });
        }
      }
    }
    return out;
  }
  const selector: Record<string, string> | undefined = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return out;
  for (const p of topology(cluster).podsByKey.values()) {
    if (p.namespace !== ns || !p.ip || !p.running || p.terminating) continue;
    if (!Object.entries(selector).every(([k, v]) => p.labels[k] === v)) continue;
    const port = resolveTargetPort(p, servicePort.targetPort ?? servicePort.port, servicePort.protocol ?? 'TCP');
    if (port === undefined) continue;
    out.push({ ip: p.ip, port, node: p.node, pod: p, ready: p.ready });
  }
  return out.sort((a, b) => (parseIPv4(a.ip) ?? -1) - (parseIPv4(b.ip) ?? -1));
}

/** A targetPort number, or a named port looked up in the pod's containers' ports. */
export function resolveTargetPort(pod: PodInfo, target: number | string, protocol = 'TCP'): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.obj.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

export function hostLabel(cluster: Cluster, host: HostRef | { kind: 'external'; ip: string }): string {
  switch (host.kind) {
    case 'workstation':
      return 'workstation';
    case 'external':
      return host.ip;
    case 'node':
      return `node/${host.node}`;
    case 'pod':
      return `pod/${host.namespace}/${host.pod}`;
  }
}
