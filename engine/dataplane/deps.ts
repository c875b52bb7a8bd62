/**
 * The walk's calls into the other network rooms: the resolver (controllers/dns), the
 * node's netfilter/IPVS (controllers/kube-proxy) and the CNI (controllers/cni). They are
 * looked up on the module namespace at call time (the rooms import the walk back, so this
 * keeps the import cycle harmless); `null` means that room is not in this build.
 */
import type { Simulation } from '../simulation';
import type { ClusterSettings } from '../cluster/types';
import type { HostRef, TraceHop } from '../types';
import type { NatDecision, Packet, PacketOrigin, Resolution } from './packet';
import type { CniPlugin } from '../controllers/cni/plugin';
import * as dns from '../controllers/dns';
import * as kubeProxy from '../controllers/kube-proxy';
import * as cni from '../controllers/cni';

type Fn = (...args: unknown[]) => unknown;

function exported(mod: object, name: string): Fn | null {
  const f = (mod as Record<string, unknown>)[name];
  return typeof f === 'function' ? (f as Fn) : null;
}

export interface ResolveOptions {
  /** Query type; A by default. */
  type?: string;
  /** A literal resolv.conf search list / ndots override (curl --resolve bypasses all of it). */
  [k: string]: unknown;
}

export function dnsResolve(sim: Simulation, host: HostRef, name: string, opts: ResolveOptions = {}): Resolution | null {
  const f = exported(dns, 'resolve');
  if (!f) return null;
  return f(sim, host, name, opts) as Resolution;
}

export function kubeProxyTranslate(sim: Simulation, node: string, packet: Packet, origin: PacketOrigin): NatDecision | null {
  const f = exported(kubeProxy, 'translate');
  if (!f) return null;
  return f(sim, node, packet, origin) as NatDecision;
}

export interface CrossNodePath {
  hops: TraceHop[];
  mtu: number;
  /** Routers that decrement the TTL on the way (the two nodes' routing, any underlay hop). */
  routers: number;
}

export function cniCrossNodePath(sim: Simulation, fromNode: string, toNode: string): CrossNodePath | null {
  const f = exported(cni, 'crossNodePath');
  if (!f) return null;
  const r = f(sim, fromNode, toNode) as Partial<CrossNodePath> & { hopCount?: number; ttlDecrement?: number };
  if (!r) return null;
  const hops = Array.isArray(r.hops) ? r.hops : [];
  return {
    hops,
    mtu: typeof r.mtu === 'number' ? r.mtu : 1450,
    routers: typeof r.routers === 'number' ? r.routers : typeof r.ttlDecrement === 'number' ? r.ttlDecrement : typeof r.hopCount === 'number' ? r.hopCount : 2,
  };
}

/** Does the cluster's CNI enforce NetworkPolicy? Flannel alone does not; Calico, Cilium and Weave do. */
export function enforcesPolicy(settings: ClusterSettings, sim?: Simulation): boolean {
  const f = exported(cni, 'cniEnforcesPolicy');
  return f ? !!f(settings, sim) : false; // without the CNI room nothing enforces it
}

/** The cluster's CNI plugin (its bridge, its name in traces), or null when that room is not in this build. */
export function cniPlugin(settings: ClusterSettings): CniPlugin | null {
  const f = exported(cni, 'cniPlugin');
  return f ? (f(settings) as CniPlugin) : null;
}

/** Does the node's routing table drop this address on a blackhole route (Calico's per-block route)? */
export function blackholed(sim: Simulation, node: string, ip: string, contains: (cidr: string, ip: string) => boolean): boolean {
  const f = exported(cni, 'nodeRoutes');
  if (!f) return false;
  const routes = (f(sim, node) ?? []) as { type?: string; dst?: string }[];
  return routes.some((r) => r.type === 'blackhole' && !!r.dst && contains(r.dst, ip));
}
