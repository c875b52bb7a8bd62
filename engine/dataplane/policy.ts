/**
 * NetworkPolicy semantics, as the API documents them (networking.k8s.io/v1) and as the
 * enforcing CNIs implement them:
 *
 * - A policy selects pods in its own namespace (`podSelector`, `{}` = all of them) and
 *   isolates them for the directions in `policyTypes`. When `policyTypes` is absent the API
 *   server defaults it: always Ingress, plus Egress when the policy has egress rules
 *   (pkg/apis/networking/v1/defaults.go, SetDefaults_NetworkPolicySpec).
 * - A pod that no policy selects for a direction is not isolated: everything is allowed.
 * - An isolated pod accepts a connection if ANY rule of ANY policy selecting it allows it
 *   (policies add up; there are no deny rules).
 * - A rule matches when one of its peers matches (no `from`/`to` = every peer) and one of
 *   its ports matches (no `ports` = every port and protocol, ICMP included).
 * - A peer with podSelector selects pods in the policy's namespace; with namespaceSelector,
 *   all pods in matching namespaces; with both in ONE peer, pods matching podSelector in
 *   namespaces matching namespaceSelector (AND). ipBlock matches a CIDR minus `except`.
 * - ipBlock and pod IPs: the API leaves it to the implementation. Calico and Weave match
 *   ipBlock against any address, pod IPs included; Cilium matches ipBlock only against
 *   addresses outside the cluster's pods (its "world" identity).
 * - Ports: protocol defaults to TCP; a port may be a number, a name (resolved against the
 *   destination pod's containerPorts) or a range with `endPort`.
 * - Traffic between a pod and its own node is always allowed (the kubelet's probes).
 */
import type { NetCluster } from './ports';
import { matchesSelector, type LabelSelector } from '../cluster/labels';
import type { KubeObject } from '../cluster/types';
import type { PolicyMatch, Protocol } from './packet';
import type { TraceHop } from '../types';
import { cidrContains } from '../cluster/ipv4';
import { cidr6Contains } from '../cluster/ipv6';
import { findPod, nodeByName, podByIp, nodeByIp, type PodInfo } from './topology';
import { withCiliumPolicies, type L7Policy } from './cilium/verdict';

export type Peer = PodInfo | string;

export interface PolicyVerdict {
  allowed: boolean;
  direction: 'ingress' | 'egress';
  /** The policy that allowed it, or (when denied) the first policy that isolates the pod. */
  policy?: string;
  /** Every policy that selects the pod for this direction. */
  policies?: string[];
  reason: string;
  /** Which part of the allowing rule matched (Cilium's policy-verdict match type: peers only, peers and ports, ports only, or an empty rule). */
  match?: PolicyMatch;
  /** Cilium: the connection is allowed only through the L7 proxy, subject to these HTTP rules. */
  l7?: L7Policy;
}

function matchOf(peers: unknown[] | undefined, ports: unknown[] | undefined): PolicyMatch {
  const l3 = !!peers?.length;
  const l4 = !!ports?.length;
  return l3 && l4 ? 'L3-L4' : l3 ? 'L3-Only' : l4 ? 'L4-Only' : 'all';
}

export type { LabelSelector };

/** A peer's selector: absent means no constraint; `{}` matches everything (metav1.LabelSelector). */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  return !sel || matchesSelector(sel, labels);
}

/** policyTypes as the API server defaults them. */
export function policyTypes(np: KubeObject): ('Ingress' | 'Egress')[] {
  const spec = np.spec ?? {};
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return spec.policyTypes;
  const t: ('Ingress' | 'Egress')[] = ['Ingress'];
  if (Array.isArray(spec.egress) && spec.egress.length > 0) t.push('Egress');
  return t;
}

function namespaceLabels(cluster: NetCluster, ns: string): Record<string, string> {
  const obj = cluster.store.get('Namespace', undefined, ns);
  // The API server labels every namespace with its own name (since v1.21).
  return { ...(obj?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
}

function toPod(cluster: NetCluster, p: Peer): PodInfo | undefined {
  if (typeof p !== 'string') return p;
  return podByIp(cluster, p);
}

function ipOf(p: Peer): string {
  return typeof p === 'string' ? p : p.ip;
}

/** How a peer reads in a message: `frontend/web-abc`, `node node-1 (192.168.49.3)`, `203.0.113.7`. */
export function describePeer(cluster: NetCluster, p: Peer): string {
  const pod = toPod(cluster, p);
  if (pod) return `${pod.namespace}/${pod.name}`;
  const ip = ipOf(p);
  const node = nodeByIp(cluster, ip);
  if (node) return `node ${node.name} (${ip})`;
  return ip;
}

/** The policies in the pod's namespace that select it for `type`. */
export function selectingPolicies(cluster: NetCluster, pod: PodInfo, type: 'Ingress' | 'Egress'): KubeObject[] {
  if (pod.hostNetwork) return [];
  const out: KubeObject[] = [];
  for (const np of cluster.store.list('NetworkPolicy', pod.namespace)) {
    if (!policyTypes(np).includes(type)) continue;
    if (selectorMatches(np.spec?.podSelector ?? {}, pod.labels)) out.push(np);
  }
  return out;
}

interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

function peerMatches(cluster: NetCluster, np: KubeObject, peer: NetworkPolicyPeer, other: Peer): boolean {
  const pod = toPod(cluster, other);
  const ip = ipOf(other);
  if (peer.ipBlock) {
    // Cilium gives cluster pods their own identities; its CIDR rules match only the world.
    if (pod && !cluster.podNetwork.ipBlockMatchesPods) return false;
    // an ipBlock is of one family: an IPv6 CIDR matches only IPv6 addresses (a dual-stack pod's second address)
    const within = ip.includes(':') ? cidr6Contains : cidrContains;
    if (!within(peer.ipBlock.cidr, ip)) return false;
    return !(peer.ipBlock.except ?? []).some((c) => within(c, ip));
  }
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  if (!pod) return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, namespaceLabels(cluster, pod.namespace))) return false;
  } else if (pod.namespace !== np.metadata.namespace) {
    return false;
  }
  return peer.podSelector ? selectorMatches(peer.podSelector, pod.labels) : true;
}

function portMatches(rulePort: NetworkPolicyPort, port: number, proto: Protocol, dstPod: PodInfo | undefined): boolean {
  if (proto === 'icmp') return false;
  if ((rulePort.protocol ?? 'TCP').toLowerCase() !== proto) return false;
  if (rulePort.port === undefined || rulePort.port === null) return true;
  let start: number | undefined;
  if (typeof rulePort.port === 'number' || /^\d+$/.test(String(rulePort.port))) start = Number(rulePort.port);
  else {
    // A named port means whatever the destination pod calls that name.
    if (!dstPod) return false;
    for (const c of dstPod.obj.spec?.containers ?? []) {
      for (const p of c.ports ?? []) {
        if (p.name === rulePort.port && (p.protocol ?? 'TCP').toLowerCase() === proto) start = p.containerPort;
      }
    }
    if (start === undefined) return false;
    return port === start;
  }
  const end = rulePort.endPort ?? start;
  return port >= start && port <= end;
}

function ruleMatches(cluster: NetCluster, np: KubeObject, rule: { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }, peers: NetworkPolicyPeer[] | undefined, other: Peer, port: number, proto: Protocol, dstPod: PodInfo | undefined): boolean {
  const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(cluster, np, p, other));
  if (!peerOk) return false;
  const ports = rule.ports;
  return !ports || ports.length === 0 || ports.some((p) => portMatches(p, port, proto, dstPod));
}

function protoLabel(proto: Protocol, port: number): string {
  return proto === 'icmp' ? 'ICMP' : `${proto.toUpperCase()} ${port}`;
}

function policyList(names: string[]): string {
  return names.length === 1 ? `NetworkPolicy ${names[0]}` : `NetworkPolicies ${names.join(', ')}`;
}

/** May `dstPod` accept this connection from `src`? (The destination pod's ingress side; with Cilium, its CiliumNetworkPolicies too.) */
export function evaluateIngress(cluster: NetCluster, src: Peer, dstPod: PodInfo, port: number, proto: Protocol): PolicyVerdict {
  return withCiliumPolicies(cluster, 'ingress', dstPod, src, port, proto, networkPolicyIngress(cluster, src, dstPod, port, proto));
}

function networkPolicyIngress(cluster: NetCluster, src: Peer, dstPod: PodInfo, port: number, proto: Protocol): PolicyVerdict {
  const srcName = describePeer(cluster, src);
  const dstName = `${dstPod.namespace}/${dstPod.name}`;
  const pols = selectingPolicies(cluster, dstPod, 'Ingress');
  const names = pols.map((p) => p.metadata.name);
  if (pols.length === 0) {
    return { allowed: true, direction: 'ingress', reason: `allowed: no NetworkPolicy selects ${dstName} for ingress` };
  }
  const nodeIp = nodeByName(cluster, dstPod.node)?.ip;
  if (nodeIp && ipOf(src) === nodeIp) {
    return { allowed: true, direction: 'ingress', policies: names, match: 'L3-Only', reason: `allowed: traffic from a pod's own node (${srcName}) is always allowed` };
  }
  for (const np of pols) {
    for (const rule of np.spec?.ingress ?? []) {
      if (ruleMatches(cluster, np, rule, rule.from, src, port, proto, dstPod)) {
        return { allowed: true, direction: 'ingress', policy: np.metadata.name, policies: names, match: matchOf(rule.from, rule.ports), reason: `allowed: NetworkPolicy ${np.metadata.name} allows ingress to ${dstName} from ${srcName} on ${protoLabel(proto, port)}` };
      }
    }
  }
  return {
    allowed: false,
    direction: 'ingress',
    policy: names[0],
    policies: names,
    reason: `denied: pod ${dstName} is selected by ${policyList(names)}, and no ingress rule allows ${srcName} on ${protoLabel(proto, port)}`,
  };
}

/** May `srcPod` open this connection to `dst`? (The source pod's egress side; with Cilium, its CiliumNetworkPolicies too.) */
export function evaluateEgress(cluster: NetCluster, srcPod: PodInfo, dst: Peer, port: number, proto: Protocol): PolicyVerdict {
  return withCiliumPolicies(cluster, 'egress', srcPod, dst, port, proto, networkPolicyEgress(cluster, srcPod, dst, port, proto));
}

function networkPolicyEgress(cluster: NetCluster, srcPod: PodInfo, dst: Peer, port: number, proto: Protocol): PolicyVerdict {
  const srcName = `${srcPod.namespace}/${srcPod.name}`;
  const dstName = describePeer(cluster, dst);
  const pols = selectingPolicies(cluster, srcPod, 'Egress');
  const names = pols.map((p) => p.metadata.name);
  if (pols.length === 0) {
    return { allowed: true, direction: 'egress', reason: `allowed: no NetworkPolicy selects ${srcName} for egress` };
  }
  const nodeIp = nodeByName(cluster, srcPod.node)?.ip;
  if (nodeIp && ipOf(dst) === nodeIp) {
    return { allowed: true, direction: 'egress', policies: names, match: 'L3-Only', reason: `allowed: traffic to a pod's own node (${dstName}) is always allowed` };
  }
  const dstPod = toPod(cluster, dst);
  for (const np of pols) {
    for (const rule of np.spec?.egress ?? []) {
      if (ruleMatches(cluster, np, rule, rule.to, dst, port, proto, dstPod)) {
        return { allowed: true, direction: 'egress', policy: np.metadata.name, policies: names, match: matchOf(rule.to, rule.ports), reason: `allowed: NetworkPolicy ${np.metadata.name} allows egress from ${srcName} to ${dstName} on ${protoLabel(proto, port)}` };
      }
    }
  }
  return {
    allowed: false,
    direction: 'egress',
    policy: names[0],
    policies: names,
    reason: `denied: pod ${srcName} is selected by ${policyList(names)} for egress, and no egress rule allows ${dstName} on ${protoLabel(proto, port)}`,
  };
}

/**
 * Both sides of one connection: the source pod's egress, then the destination pod's
 * ingress (each only if that end is a pod). `src`/`dst` are pods, pod refs or IPs. This is
 * the policy verdict alone — whether the CNI enforces it is the walk's question.
 */
export function evaluatePolicy(
  cluster: NetCluster,
  src: Peer | { namespace: string; pod: string },
  dst: Peer | { namespace: string; pod: string },
  port: number,
  proto: Protocol = 'tcp',
): PolicyVerdict {
  const s = asPeer(cluster, src);
  const d = asPeer(cluster, dst);
  const sPod = toPod(cluster, s);
  const dPod = toPod(cluster, d);
  let egress: PolicyVerdict | undefined;
  if (sPod) {
    egress = evaluateEgress(cluster, sPod, d, port, proto);
    if (!egress.allowed) return egress;
  }
  if (dPod) {
    const ingress = evaluateIngress(cluster, s, dPod, port, proto);
    if (!ingress.allowed || !egress || ingress.policy) return ingress;
  }
  return egress ?? { allowed: true, direction: 'ingress', reason: `allowed: neither end is a pod selected by a NetworkPolicy` };
}

/** The policy a verdict names, as a trace hop carries it (a CiliumNetworkPolicy when no NetworkPolicy has the name). */
export function policyRef(cluster: NetCluster, pod: PodInfo, v: PolicyVerdict, enforced: boolean): Pick<TraceHop, 'policy'> {
  if (!v.policy) return {};
  // Policies only allow; a denial is every selecting policy's silence. The one a learner
  // recognises as the cause is a policy with no rule for that direction (a default deny).
  const rules = v.direction === 'ingress' ? 'ingress' : 'egress';
  const silent = v.allowed
    ? undefined
    : (v.policies ?? []).find((n) => {
        const np = cluster.store.get('NetworkPolicy', pod.namespace, n);
        return !!np && (np.spec?.[rules] ?? []).length === 0;
      });
  const name = silent ?? v.policy;
  const kind = cluster.store.get('NetworkPolicy', pod.namespace, name) ? 'NetworkPolicy' : 'CiliumNetworkPolicy';
  return { policy: { kind, namespace: pod.namespace, name, direction: v.direction, allowed: v.allowed, enforced, ...(v.policies && v.policies.length > 1 ? { all: v.policies } : {}) } };
}

function asPeer(cluster: NetCluster, p: Peer | { namespace: string; pod: string }): Peer {
  if (typeof p === 'string') return p;
  if ('pod' in p && typeof p.pod === 'string') return findPod(cluster, p.namespace, p.pod) ?? '';
  return p as PodInfo;
}
