/**
 * Who may reach whom: a matrix of Pods × Pods on one port, each cell a real walk (walk.ts
 * sendPacket, pod to pod by address: the source node's rules, routing or the overlay, egress
 * and ingress NetworkPolicy as the current CNI enforces it, the listening socket), run as a
 * dry run — no trace, no conntrack entry, no rule counter, no Hubble flow, the random stream
 * put back, the clock still.
 *
 * Beside it, each NetworkPolicy as the map draws it: which Pods it selects and which
 * directions it isolates (policyTypes as the API server defaults them).
 *
 * Bounded: at most `maxPods` Pods (30 by default; the rest are counted, not walked), so a
 * matrix is at most 900 walks.
 */
import type { NetCluster } from './ports';
import type { Protocol, WalkResult } from './packet';
import type { TracePolicy } from '../types';
import { dryRun, sendPacket } from './walk';
import { podListeners } from './apps';
import { policyTypes, selectorMatches } from './policy';
import { topology, type PodInfo } from './topology';

export const DEFAULT_MAX_PODS = 30;

export interface ReachabilityOptions {
  /** The destination port; by default the first TCP port any of the Pods listens on or declares. */
  port?: number;
  proto?: Protocol;
  /** Namespaces to include; by default every namespace but kube-system. */
  namespaces?: string[];
  maxPods?: number;
}

export interface ReachabilityPod {
  namespace: string;
  name: string;
  ip: string;
  node: string;
  /** The ports it listens on (its running containers' sockets) or declares (containerPort), as `8080/tcp`. */
  ports: string[];
}

export interface ReachabilityCell {
  outcome: WalkResult['outcome'];
  /** The SYN (or datagram) was accepted. */
  allowed: boolean;
  /** The NetworkPolicy that dropped it (the first that isolates the Pod for that direction). */
  deniedBy?: TracePolicy;
  /** On a CNI that does not enforce NetworkPolicy: the policy that would have dropped it. */
  unenforced?: TracePolicy;
  /** The walk's reason, in learner terms. */
  reason: string;
}

export interface PolicyView {
  namespace: string;
  name: string;
  /** policyTypes as the API server defaults them. */
  isolates: ('Ingress' | 'Egress')[];
  /** The Pods it selects, `namespace/name`, sorted. */
  selects: string[];
  /** How many ingress and egress rules it has (none: that direction is denied outright). */
  ingressRules: number;
  egressRules: number;
}

export interface ReachabilityMatrix {
  /** The CNI plugin as traces name it, and whether it enforces NetworkPolicy. */
  cni: string;
  enforced: boolean;
  /** Why everything is open when the plugin does not enforce NetworkPolicy. */
  note?: string;
  /** Every port the Pods listen on or declare (`8080/tcp`), sorted by protocol and number. */
  ports: string[];
  /** The port this matrix was walked on. */
  port: number;
  proto: Protocol;
  /** Rows and columns, sorted by namespace and name. */
  pods: ReachabilityPod[];
  /** How many Pods qualified; more than `pods.length` when capped. */
  total: number;
  maxPods: number;
  /** cells[i][j]: pods[i] → pods[j] on port/proto. */
  cells: ReachabilityCell[][];
  policies: PolicyView[];
  /** How many walks the matrix took. */
  walks: number;
}

function key(p: { namespace: string; name: string }): string {
  return `${p.namespace}/${p.name}`;
}

/** The Pods the matrix is about: with an address of their own (not hostNetwork), sorted. */
function matrixPods(cluster: NetCluster, namespaces?: string[]): PodInfo[] {
  const out: PodInfo[] = [];
  for (const p of topology(cluster).podsByKey.values()) {
    if (!p.ip || p.hostNetwork || p.phase === 'Succeeded' || p.phase === 'Failed') continue;
    if (namespaces ? !namespaces.includes(p.namespace) : p.namespace === 'kube-system') continue;
    out.push(p);
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

function podPorts(p: PodInfo): string[] {
  const set = new Set<string>();
  for (const l of podListeners(p)) set.add(`${l.port}/${l.proto}`);
  for (const c of p.obj.spec?.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.containerPort) set.add(`${cp.containerPort}/${String(cp.protocol ?? 'TCP').toLowerCase()}`);
  }
  return sortPorts([...set]);
}

function sortPorts(ports: string[]): string[] {
  const parse = (s: string) => s.split('/') as [string, string];
  return ports.sort((a, b) => parse(a)[1].localeCompare(parse(b)[1]) || Number(parse(a)[0]) - Number(parse(b)[0]));
}

/** Each NetworkPolicy in the given namespaces (default: all but kube-system), with the Pods it selects. */
export function policyViews(cluster: NetCluster, namespaces?: string[]): PolicyView[] {
  const pods = [...topology(cluster).podsByKey.values()].filter((p) => !p.hostNetwork);
  const out: PolicyView[] = [];
  for (const np of cluster.store.list('NetworkPolicy')) {
    const ns = np.metadata.namespace ?? 'default';
    if (namespaces ? !namespaces.includes(ns) : ns === 'kube-system') continue;
    const selects = pods.filter((p) => p.namespace === ns && selectorMatches(np.spec?.podSelector ?? {}, p.labels)).map(key).sort();
    out.push({
      namespace: ns,
      name: np.metadata.name,
      isolates: policyTypes(np),
      selects,
      ingressRules: (np.spec?.ingress ?? []).length,
      egressRules: (np.spec?.egress ?? []).length,
    });
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export function reachabilityMatrix(cluster: NetCluster, opts: ReachabilityOptions = {}): ReachabilityMatrix {
  const maxPods = Math.max(1, Math.floor(opts.maxPods ?? DEFAULT_MAX_PODS));
  const all = matrixPods(cluster, opts.namespaces);
  const pods = all.slice(0, maxPods);
  const listed = pods.map((p) => ({ namespace: p.namespace, name: p.name, ip: p.ip, node: p.node, ports: podPorts(p) }));
  const ports = sortPorts([...new Set(listed.flatMap((p) => p.ports))]);
  const first = ports.find((p) => p.endsWith('/tcp')) ?? ports[0] ?? '80/tcp';
  const port = opts.port ?? Number(first.split('/')[0]);
  const proto: Protocol = opts.proto ?? (opts.port === undefined ? (first.split('/')[1] as Protocol) : 'tcp');
  const enforced = cluster.podNetwork.enforcesPolicy();
  let walks = 0;
  const cells = dryRun(cluster, () =>
    pods.map((src) =>
      pods.map((dst): ReachabilityCell => {
        walks++;
        const from = { kind: 'pod' as const, namespace: src.namespace, pod: src.name, container: src.obj.spec?.containers?.[0]?.name ?? '' };
        const r = sendPacket(cluster, from, { ip: dst.ip, port, proto }, { record: false, sport: 40000 });
        const policyHops = r.hops.filter((h) => h.stage === 'policy' && h.policy);
        const denied = policyHops.find((h) => h.verdict === 'drop')?.policy;
        const wouldDeny = enforced ? undefined : policyHops.find((h) => h.policy && !h.policy.allowed)?.policy;
        const reason = r.reason ?? (r.outcome === 'delivered' ? `delivered to ${dst.ip}:${port}` : r.outcome);
        return { outcome: r.outcome, allowed: r.outcome === 'delivered', ...(denied ? { deniedBy: denied } : {}), ...(wouldDeny ? { unenforced: wouldDeny } : {}), reason };
      }),
    ),
  );
  const cni = cluster.podNetwork.displayName;
  return {
    cni,
    enforced,
    ...(enforced ? {} : { note: `${cni} does not implement NetworkPolicy: the API server stores the policies, but nothing on the nodes enforces them, so every Pod reaches every other` }),
    ports,
    port,
    proto,
    pods: listed,
    total: all.length,
    maxPods,
    cells,
    policies: policyViews(cluster, opts.namespaces),
    walks,
  };
}
