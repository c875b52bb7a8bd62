/**
 * Cilium's kube-proxy replacement as the kube-proxy module's Proxier: no KUBE-* rules and
 * no kube-proxy canary chains on the nodes (kubelet's own chains stay); each node's
 * cilium-agent keeps its service maps (./lbmap.ts), and translate() is the eBPF datapath's
 * service lookup for one packet — at connect() for a pod or the host (socket LB, in the
 * internal scope), at the node's device for traffic from outside (bpf_host, the external
 * scope) — then a backend slot picked at random (the default --bpf-lb-algorithm random),
 * or the one the client's affinity entry remembers (sessionAffinity: ClientIP).
 *
 * Traffic from outside to a backend on another node is SNATed to the node's address
 * (the default --bpf-lb-mode snat); with externalTrafficPolicy: Local the external scope
 * holds only local backends, so the client's address is kept. A frontend with no backend
 * answers with ICMP port unreachable (--service-no-backend-response reject, the default).
 */
import type { Cluster } from '../../cluster/cluster';
import type { ProxyMode } from '../../cluster/types';
import type { NatDecision, Packet, PacketOrigin } from '../../dataplane/packet';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import type { TraceHop } from '../../types';
import type { ServiceViews } from '../kube-proxy/changetracker';
import type { Proxier, ProxierDeps, ProxierHost } from '../kube-proxy/proxier';
import { buildNodeLbMap, backendAddr, frontendAddr, IdAllocator, type LbBackend, type LbFrontend, type NodeLbMap } from './lbmap';

interface Affinity {
  backend: number;
  lastUsed: number;
}

interface AgentIds {
  svc: IdAllocator;
  backend: IdAllocator;
}

interface CiliumLbSnapshot {
  ids: Record<string, { svc: [string, number][]; svcNext: number; backend: [string, number][]; backendNext: number }>;
  affinity: [string, Affinity][];
}

export class CiliumServiceLb implements Proxier {
  readonly mode: ProxyMode;
  readonly iptablesCanary = false;
  private readonly cluster: Cluster;
  private readonly services: ServiceViews;
  private readonly host: ProxierHost;
  private ids = new Map<string, AgentIds>();
  private maps = new Map<string, NodeLbMap>();
  /** LB_AFFINITY: (node, revNAT ID, client address) → backend, last used. */
  private affinity = new Map<string, Affinity>();

  constructor(deps: ProxierDeps) {
    this.cluster = deps.cluster;
    this.services = deps.services;
    this.host = deps.host;
    this.mode = deps.cluster.settings.proxyMode;
  }

  syncProxyRules(): void {
    // The agents re-derive their maps from the synced views when next looked at.
    this.maps.clear();
  }

  materializeNode(): void {
    // No kube-proxy: nothing of it in the node's iptables.
  }

  private agentIds(node: string): AgentIds {
    let ids = this.ids.get(node);
    if (!ids) {
      ids = { svc: new IdAllocator(), backend: new IdAllocator() };
      this.ids.set(node, ids);
    }
    return ids;
  }

  /** The service maps of the agent on `node`, as of the last sync. */
  lbMap(node: string): NodeLbMap | undefined {
    let m = this.maps.get(node);
    if (m) return m;
    const info = this.host.nodeInfo.find((n) => n.name === node);
    if (!info) return undefined;
    m = buildNodeLbMap(node, info.ip, this.services, this.agentIds(node));
    this.maps.set(node, m);
    return m;
  }

  /** The frontend a packet's destination hits, in the scope it is looked up in. */
  private lookup(node: string, pkt: Packet, origin: PacketOrigin): LbFrontend | undefined {
    const map = this.lbMap(node);
    if (!map) return undefined;
    const proto = pkt.proto.toUpperCase();
    const internal = origin !== 'external';
    const nodeIPs = new Set(this.host.nodeInfo.map((n) => n.ip));
    const matches = (fe: LbFrontend, ip: string) => fe.ip === ip && fe.port === pkt.dport && fe.proto === proto;
    const scoped = (cands: LbFrontend[]) => (internal ? cands.find((f) => f.internal) ?? cands[0] : cands.find((f) => !f.internal));
    let cands = map.frontends.filter((f) => matches(f, pkt.dst));
    // A NodePort on any node's address (or the host's loopback): the wildcard 0.0.0.0 frontend.
    if (cands.length === 0 && (nodeIPs.has(pkt.dst) || (origin === 'host' && pkt.dst.startsWith('127.')))) {
      cands = map.frontends.filter((f) => f.type === 'NodePort' && matches(f, '0.0.0.0'));
    }
    return cands.length ? scoped(cands) : undefined;
  }

  translate(node: string, nf: NodeNetfilter, pkt: Packet, origin: PacketOrigin): NatDecision {
    void nf; // the agent's service lookup is eBPF: the node's netfilter tables are not walked for Services
    const pass: NatDecision = { packet: { ...pkt }, masquerade: false, verdict: 'ACCEPT', via: this.mode, hops: [] };
    if (pkt.proto === 'icmp') return pass;
    const fe = this.lookup(node, pkt, origin);
    if (!fe) return pass;
    const where = `Cilium on ${node}`;
    const how = origin === 'external' ? 'eBPF on the node\'s device (bpf_host)' : 'eBPF socket LB at connect()';
    const svcText = `service ${fe.svcKey}, ${fe.type}, ID ${fe.id}`;
    if (fe.slots.length === 0) {
      const hop: TraceHop = { where, what: `${how}: ${frontendAddr(fe)} has no backends: ICMP port unreachable`, detail: svcText, verdict: 'reject' };
      return { ...pass, verdict: 'REJECT', rejectWith: 'icmp-port-unreachable', hops: [hop] };
    }
    const be = this.pick(node, fe, pkt.src);
    const hops: TraceHop[] = [{
      where,
      what: `${how}: ${frontendAddr(fe)} → backend ${backendAddr(be)}`,
      detail: `${svcText}, backend ${be.id} of ${fe.slots.length}${fe.sp.affinity ? ', sessionAffinity' : ''}`,
      verdict: 'dnat',
    }];
    const decision: NatDecision = { ...pass, dnatTo: { ip: be.ip, port: be.port }, hops };
    if (origin === 'external' && be.nodeName !== node) {
      const to = this.host.nodeIP(node);
      decision.masquerade = true;
      decision.masqueradeTo = to;
    }
    return decision;
  }

  private pick(node: string, fe: LbFrontend, client: string): LbBackend {
    const now = this.cluster.clock.now();
    const key = `${node}|${fe.id}|${client}`;
    if (fe.sp.affinity) {
      const a = this.affinity.get(key);
      const live = a && now - a.lastUsed < fe.sp.stickySeconds * 1000 ? fe.slots.find((b) => b.id === a.backend) : undefined;
      if (live) {
        a!.lastUsed = now;
        return live;
      }
    }
    const be = fe.slots[this.cluster.rng.int(fe.slots.length)];
    if (fe.sp.affinity) this.affinity.set(key, { backend: be.id, lastUsed: now });
    return be;
  }

  tick(now: number): void {
    for (const [k, a] of this.affinity) if (now - a.lastUsed > 86_400_000) this.affinity.delete(k);
  }

  saveTraffic(): unknown {
    return new Map([...this.affinity].map(([k, a]) => [k, { ...a }]));
  }

  restoreTraffic(saved: unknown): void {
    this.affinity = saved as Map<string, Affinity>;
  }

  snapshot(): CiliumLbSnapshot {
    const ids: CiliumLbSnapshot['ids'] = {};
    for (const [node, a] of this.ids) ids[node] = { svc: a.svc.save(), svcNext: a.svc.nextId, backend: a.backend.save(), backendNext: a.backend.nextId };
    return { ids, affinity: [...this.affinity] };
  }

  restore(data: unknown): void {
    const s = data as CiliumLbSnapshot;
    for (const [node, v] of Object.entries(s.ids ?? {})) {
      const a = this.agentIds(node);
      a.svc.load(v.svc, v.svcNext);
      a.backend.load(v.backend, v.backendNext);
    }
    this.affinity = new Map(s.affinity ?? []);
    this.maps.clear();
  }
}
