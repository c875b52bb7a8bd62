/**
 * NetworkPolicies and CiliumNetworkPolicies together, as cilium-agent computes one endpoint's
 * policy from both: the endpoint is isolated if either kind selects it for the direction,
 * and a connection passes if either allows it. A NetworkPolicy rule has no L7 part, so when
 * it allows the connection no HTTP rule applies; otherwise the CiliumNetworkPolicy's verdict
 * stands, with the HTTP rules the L7 proxy enforces (./policy.ts).
 */
import type { NetCluster } from '../ports';
import type { Protocol } from '../packet';
import type { PolicyVerdict } from '../policy';
import { nodeByIp, nodeByName, podByIp, type PodInfo } from '../topology';
import { ciliumVerdict, type Peer } from './policy';

export type { L7Policy } from './policy';

function describe(cluster: NetCluster, p: Peer): string {
  const pod = typeof p === 'string' ? podByIp(cluster, p) : p;
  if (pod) return `${pod.namespace}/${pod.name}`;
  const node = nodeByIp(cluster, p as string);
  return node ? `node ${node.name} (${p})` : (p as string);
}

function label(proto: Protocol, port: number): string {
  return proto === 'icmp' ? 'ICMP' : `${proto.toUpperCase()} ${port}`;
}

function list(cnps: string[], nps: string[]): string {
  const parts: string[] = [];
  if (cnps.length) parts.push(`${cnps.length === 1 ? 'CiliumNetworkPolicy' : 'CiliumNetworkPolicies'} ${cnps.join(', ')}`);
  if (nps.length) parts.push(`${nps.length === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} ${nps.join(', ')}`);
  return parts.join(' and ');
}

/** `np` is the NetworkPolicies' verdict for the same connection; the result is the endpoint's. */
export function withCiliumPolicies(cluster: NetCluster, direction: 'ingress' | 'egress', pod: PodInfo, peer: Peer, port: number, proto: Protocol, np: PolicyVerdict): PolicyVerdict {
  if (cluster.settings.cni !== 'cilium') return np;
  const c = ciliumVerdict(cluster, direction, pod, peer, port, proto);
  if (!c) return np;
  const nps = np.policies ?? [];
  const policies = [...nps, ...c.selecting];
  const me = `${pod.namespace}/${pod.name}`;
  const other = describe(cluster, peer);
  const nodeIp = nodeByName(cluster, pod.node)?.ip;
  if (nodeIp && (typeof peer === 'string' ? peer : peer.ip) === nodeIp) {
    return { allowed: true, direction, policies, reason: `allowed: traffic ${direction === 'ingress' ? 'from' : 'to'} a pod's own node (${other}) is always allowed` };
  }
  if (nps.length && np.allowed && np.policy) return { ...np, policies };
  if (c.allowed) {
    const what = direction === 'ingress' ? `ingress to ${me} from ${other}` : `egress from ${me} to ${other}`;
    const via = c.l7 ? ', through the L7 proxy (HTTP rules)' : '';
    return { allowed: true, direction, policy: c.policy, policies, reason: `allowed: CiliumNetworkPolicy ${c.policy} allows ${what} on ${label(proto, port)}${via}`, l7: c.l7 };
  }
  const rule = direction === 'ingress' ? `no ingress rule allows ${other}` : `no egress rule allows ${other}`;
  return {
    allowed: false,
    direction,
    policy: c.selecting[0],
    policies,
    reason: `denied: pod ${me} is selected by ${list(c.selecting, nps)}${direction === 'egress' ? ' for egress' : ''}, and ${rule} on ${label(proto, port)}`,
  };
}
