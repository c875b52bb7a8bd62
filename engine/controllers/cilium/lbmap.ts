/**
 * cilium-agent's service load-balancing maps on one node, as its kube-proxy replacement
 * derives them from Services and EndpointSlices (pkg/loadbalancer, pkg/maps/lbmap): one
 * frontend per address a Service answers on — the ClusterIP, the NodePort on 0.0.0.0 and
 * on each node address, every LoadBalancer ingress IP and externalIP — each with the
 * backends it may pick from, and the flags the eBPF datapath reads (the service type,
 * Local / InternalLocal, two-scopes, sessionAffinity, non-routable).
 *
 * With externalTrafficPolicy: Local and internalTrafficPolicy: Cluster a NodePort or
 * LoadBalancer frontend has two scopes: the external one (`/i` absent) with only this
 * node's backends, for traffic from outside, and an internal one (`/i`) with all of them,
 * for traffic from inside the cluster.
 *
 * IDs: service (revNAT) IDs and backend IDs are allocated per agent, the next free number
 * in the order frontends and backends first appear; they stay with their address for as
 * long as it exists, as the agent's ID allocators keep them.
 */
import type { ServicePortInfo } from '../kube-proxy/serviceport';
import type { EndpointInfo } from '../kube-proxy/endpoint';
import type { ServiceViews } from '../kube-proxy/changetracker';
import { frontendAddr, backendAddr } from '../../printers/cilium';

export { frontendAddr, backendAddr };

export type SvcType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIPs';
export type BackendState = 'active' | 'terminating';

export interface LbBackend {
  id: number;
  ip: string;
  port: number;
  proto: string;
  state: BackendState;
  nodeName?: string;
}

export interface LbFrontend {
  /** The service (and revNAT) ID. */
  id: number;
  ip: string;
  port: number;
  /** TCP, UDP, SCTP. */
  proto: string;
  /** The internal scope of a two-scope frontend (`/i`). */
  internal: boolean;
  type: SvcType;
  /** ServiceFlags.String(): `NodePort, Local, two-scopes`, `ClusterIP, non-routable`. */
  flags: string;
  svcKey: string;
  sp: ServicePortInfo;
  /** Every backend the agent knows for it (active and terminating), in endpoint order. */
  backends: LbBackend[];
  /** The backend slots the datapath picks from (1…n): the active backends, else the terminating ones still serving. */
  slots: LbBackend[];
}


/** ServiceFlags.String() (pkg/loadbalancer/loadbalancer.go): type first, then the set flags in their fixed order. */
function flagsString(type: SvcType, o: { extLocal: boolean; intLocal: boolean; twoScopes: boolean; affinity: boolean; routable: boolean; sourceRange: boolean }): string {
  const s: string[] = [type];
  if (o.extLocal) s.push('Local');
  if (o.intLocal) s.push('InternalLocal');
  if (o.twoScopes) s.push('two-scopes');
  if (o.affinity) s.push('sessionAffinity');
  if (!o.routable) s.push('non-routable');
  if (o.sourceRange) s.push('check source-range');
  return s.join(', ');
}

/** Per-agent ID allocators: next free number, an address keeps its ID while it exists. */
export class IdAllocator {
  private ids = new Map<string, number>();
  private next = 1;

  idFor(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      const used = new Set(this.ids.values());
      while (used.has(this.next)) this.next++;
      id = this.next++;
      this.ids.set(key, id);
    }
    return id;
  }

  /** Frees the IDs of keys no longer present. */
  retain(live: Set<string>): void {
    for (const k of [...this.ids.keys()]) if (!live.has(k)) this.ids.delete(k);
  }

  save(): [string, number][] {
    return [...this.ids];
  }

  load(entries: [string, number][], next: number): void {
    this.ids = new Map(entries);
    this.next = next;
  }

  get nextId(): number {
    return this.next;
  }
}

export interface NodeLbMap {
  node: string;
  frontends: LbFrontend[];
  /** Every backend by ID. */
  backends: Map<number, LbBackend>;
}

/** Builds one node's maps from the Services as last synced; `ids` are that agent's allocators. */
export function buildNodeLbMap(node: string, nodeIP: string, services: ServiceViews, ids: { svc: IdAllocator; backend: IdAllocator }): NodeLbMap {
  const frontends: LbFrontend[] = [];
  const backends = new Map<number, LbBackend>();
  const liveFe = new Set<string>();
  const liveBe = new Set<string>();
  for (const key of services.serviceKeys()) {
    const view = services.view(key);
    if (!view) continue;
    view.ports.forEach((sp, i) => {
      const proto = sp.protocol.toUpperCase();
      const all = toBackends(view.endpoints[i] ?? [], proto, ids.backend, liveBe, backends);
      const local = all.filter((b) => b.nodeName === node);
      const pick = (list: LbBackend[]) => {
        const active = list.filter((b) => b.state === 'active');
        return active.length ? active : list.filter((b) => b.state === 'terminating');
      };
      const add = (ip: string, port: number, type: SvcType, internal: boolean, list: LbBackend[], flags: string) => {
        const fe = { ip, port, proto, internal };
        const addr = frontendAddr(fe);
        liveFe.add(addr);
        frontends.push({ id: ids.svc.idFor(addr), ...fe, type, flags, svcKey: key, sp, backends: list, slots: pick(list) });
      };
      const clusterList = sp.internalLocal ? local : all;
      add(sp.clusterIP, sp.port, 'ClusterIP', false, clusterList, flagsString('ClusterIP', { extLocal: false, intLocal: sp.internalLocal, twoScopes: false, affinity: sp.affinity, routable: false, sourceRange: false }));
      const external = (ip: string, port: number, type: SvcType, sourceRange: boolean) => {
        const twoScopes = sp.externalLocal && !sp.internalLocal;
        const flags = flagsString(type, { extLocal: sp.externalLocal, intLocal: sp.internalLocal, twoScopes, affinity: sp.affinity, routable: true, sourceRange });
        add(ip, port, type, false, sp.externalLocal ? local : clusterList, flags);
        if (twoScopes) add(ip, port, type, true, all, flags);
      };
      if (sp.nodePort) {
        external('0.0.0.0', sp.nodePort, 'NodePort', false);
        external(nodeIP, sp.nodePort, 'NodePort', false);
      }
      for (const ip of sp.lbIPs) external(ip, sp.port, 'LoadBalancer', sp.lbSourceRanges.length > 0);
      for (const ip of sp.externalIPs) external(ip, sp.port, 'ExternalIPs', false);
    });
  }
  ids.svc.retain(liveFe);
  ids.backend.retain(liveBe);
  return { node, frontends, backends };
}

function toBackends(eps: EndpointInfo[], proto: string, alloc: IdAllocator, live: Set<string>, all: Map<number, LbBackend>): LbBackend[] {
  const out: LbBackend[] = [];
  for (const ep of eps) {
    const state: BackendState | undefined = ep.ready && !ep.terminating ? 'active' : ep.serving ? 'terminating' : undefined;
    if (!state) continue;
    const addr = backendAddr({ ip: ep.ip, port: ep.port, proto });
    live.add(addr);
    const be: LbBackend = { id: alloc.idFor(addr), ip: ep.ip, port: ep.port, proto, state, nodeName: ep.nodeName };
    all.set(be.id, be);
    out.push(be);
  }
  return out;
}
