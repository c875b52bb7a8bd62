/**
 * A recorded walk as the map draws it: where the packet started, the Service it was sent to,
 * where it ended (or was stopped), the nodes it crossed, and which hop decided the outcome.
 * Derived from the walk's facts and hops (walk.ts), the topology's address index, and nothing else.
 */
import type { NetCluster } from './ports';
import type { PacketTrace, TraceEnd, TraceHop } from '../types';
import type { WalkResult } from './packet';
import type { Source } from './walk';
import { findPod, nodeByIp, nodeByName, podByIp, topology } from './topology';

function endOf(cluster: NetCluster, host: Source): TraceEnd {
  switch (host.kind) {
    case 'workstation':
      return { kind: 'workstation' };
    case 'external':
      return addressEnd(cluster, host.ip) ?? { kind: 'external', ip: host.ip };
    case 'node': {
      const ip = nodeByName(cluster, host.node)?.ip;
      return { kind: 'node', name: host.node, ...(ip ? { ip } : {}) };
    }
    case 'pod': {
      const p = findPod(cluster, host.namespace, host.pod);
      return { kind: 'pod', namespace: host.namespace, name: host.pod, ...(p?.node ? { node: p.node } : {}), ...(p?.ip ? { ip: p.ip } : {}) };
    }
  }
}

function addressEnd(cluster: NetCluster, ip: string): TraceEnd | undefined {
  const pod = podByIp(cluster, ip);
  if (pod) return { kind: 'pod', namespace: pod.namespace, name: pod.name, ...(pod.node ? { node: pod.node } : {}), ip };
  const node = nodeByIp(cluster, ip);
  if (node) return { kind: 'node', name: node.name, ip };
  return undefined;
}

/** The hop that decided the outcome: the delivery, or the last drop or reject. */
export function decidingHop(hops: TraceHop[], outcome: PacketTrace['outcome']): number | undefined {
  const wanted = outcome === 'delivered' ? ['deliver'] : ['drop', 'reject'];
  for (let i = hops.length - 1; i >= 0; i--) if (wanted.includes(hops[i].verdict ?? '')) return i;
  return hops.length ? hops.length - 1 : undefined;
}

export function tracePath(cluster: NetCluster, from: Source, res: WalkResult, hops: TraceHop[]): Pick<PacketTrace, 'path' | 'decidedAt'> {
  const src = endOf(cluster, from);
  const facts = res.facts;
  let service: { namespace: string; name: string } | undefined;
  let dst: TraceEnd | undefined;
  if (facts) {
    const idx = topology(cluster);
    const { dst: ip, dport, proto } = facts.packet;
    const svc = idx.servicesByClusterIp.get(ip) ?? idx.servicesByLbIp.get(ip) ?? idx.servicesByExternalIp.get(ip) ?? (facts.translated && nodeByIp(cluster, ip) ? idx.servicesByNodePort.get(`${proto}/${dport}`) : undefined);
    if (svc) service = { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name };
    const server = res.server?.host;
    dst = server ? endOf(cluster, server) : addressEnd(cluster, facts.translated?.ip ?? ip);
    if (!dst && !server && !service && !facts.translated) dst = { kind: 'external', ip };
  } else if (res.server) {
    dst = endOf(cluster, res.server.host);
  }
  const nodes: string[] = [];
  for (const h of hops) if (h.node && !nodes.includes(h.node)) nodes.push(h.node);
  const decidedAt = decidingHop(hops, res.outcome);
  return { path: { src, ...(service ? { service } : {}), ...(dst ? { dst } : {}), nodes }, ...(decidedAt !== undefined ? { decidedAt } : {}) };
}
