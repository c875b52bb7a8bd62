/**
 * kube-proxy's view of Services and EndpointSlices (pkg/proxy/servicechangetracker.go,
 * endpointslicecache.go, topology.go): one ServicePortInfo per Service port, the
 * endpoints of each port from all of the Service's slices (sorted by "IP:port" as
 * endpointslicecache does), and CategorizeEndpoints for traffic policies.
 */
import type { KubeObject } from '../../cluster/types';
import { portProtoHash, servicePortEndpointChainName } from './hash';

export type L4Proto = 'tcp' | 'udp' | 'sctp';

export interface ServicePortInfo {
  /** `namespace/name` of the Service. */
  svcKey: string;
  /** ServicePortName.String(): `ns/name` or `ns/name:port-name`. */
  name: string;
  portName: string;
  protocol: L4Proto;
  clusterIP: string;
  port: number;
  nodePort: number;
  externalIPs: string[];
  lbIPs: string[];
  lbSourceRanges: string[];
  affinity: boolean;
  stickySeconds: number;
  internalLocal: boolean;
  externalLocal: boolean;
  healthCheckNodePort: number;
  clusterChain: string;
  localChain: string;
  fwChain: string;
  extChain: string;
}

export interface EndpointInfo {
  ip: string;
  port: number;
  /** `IP:port` (net.JoinHostPort). */
  str: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  chain: string;
}

export function externallyAccessible(sp: ServicePortInfo): boolean {
  return sp.nodePort !== 0 || sp.lbIPs.length > 0 || sp.externalIPs.length > 0;
}

export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalLocal || externallyAccessible(sp);
}

export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalLocal || (sp.externalLocal && externallyAccessible(sp));
}

/** Service → its proxied ports (none for headless, ExternalName or an unset clusterIP). */
export function servicePorts(svc: KubeObject): ServicePortInfo[] {
  const spec = svc.spec ?? {};
  const ip = spec.clusterIP;
  if (!ip || ip === 'None' || spec.type === 'ExternalName') return [];
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return [];
  const ns = svc.metadata.namespace ?? 'default';
  const svcKey = `${ns}/${svc.metadata.name}`;
  const type = spec.type ?? 'ClusterIP';
  const lbIPs: string[] = type === 'LoadBalancer'
    ? ((svc.status?.loadBalancer?.ingress ?? []) as { ip?: string }[]).map((i) => i.ip).filter((x): x is string => !!x && /^\d+\.\d+\.\d+\.\d+$/.test(x))
    : [];
  const externalIPs: string[] = ((spec.externalIPs ?? []) as string[]).filter((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x));
  const out: ServicePortInfo[] = [];
  for (const p of (spec.ports ?? []) as { name?: string; protocol?: string; port: number; nodePort?: number }[]) {
    const protocol = (p.protocol ?? 'TCP').toLowerCase() as L4Proto;
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) continue;
    const portName = p.name ?? '';
    const name = svcKey + (portName ? ':' + portName : '');
    const nodePort = type === 'NodePort' || type === 'LoadBalancer' ? p.nodePort ?? 0 : 0;
    // KUBE-SVC/SVL/FW/EXT share one portProtoHash (servicePortPolicyClusterChain & co.).
    const hash = portProtoHash(name, protocol);
    const sp: ServicePortInfo = {
      svcKey,
      name,
      portName,
      protocol,
      clusterIP: ip,
      port: p.port,
      nodePort,
      externalIPs,
      lbIPs,
      lbSourceRanges: lbIPs.length ? ((spec.loadBalancerSourceRanges ?? []) as string[]).map((s) => s.trim()).filter(Boolean) : [],
      affinity: spec.sessionAffinity === 'ClientIP',
      stickySeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
      internalLocal: spec.internalTrafficPolicy === 'Local',
      externalLocal: false,
      healthCheckNodePort: 0,
      clusterChain: 'KUBE-SVC-' + hash,
      localChain: 'KUBE-SVL-' + hash,
      fwChain: 'KUBE-FW-' + hash,
      extChain: 'KUBE-EXT-' + hash,
    };
    sp.externalLocal = spec.externalTrafficPolicy === 'Local' && externallyAccessible(sp);
    if (sp.externalLocal && type === 'LoadBalancer') sp.healthCheckNodePort = spec.healthCheckNodePort ?? 0;
    out.push(sp);
  }
  return out;
}

const epChainCache = new Map<string, string>();

function epChain(spn: string, proto: string, ep: string): string {
  const key = spn + '\u0000' + proto + '\u0000' + ep;
  let c = epChainCache.get(key);
  if (!c) {
    c = servicePortEndpointChainName(spn, proto, ep);
    if (epChainCache.size > 200000) epChainCache.clear();
    epChainCache.set(key, c);
  }
  return c;
}

/** The endpoints of one Service port, from the Service's EndpointSlices. */
export function endpointsFor(sp: ServicePortInfo, slices: KubeObject[]): EndpointInfo[] {
  const seen = new Map<string, EndpointInfo>();
  for (const slice of slices) {
    if (slice.addressType && slice.addressType !== 'IPv4') continue;
    const port = ((slice.ports ?? []) as { name?: string; port?: number; protocol?: string }[]).find(
      (p) => (p.name ?? '') === sp.portName && (p.protocol ?? 'TCP').toLowerCase() === sp.protocol,
    );
    if (!port || !port.port) continue;
    for (const ep of (slice.endpoints ?? []) as { addresses?: string[]; conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean }; nodeName?: string }[]) {
      const ip = ep.addresses?.[0];
      if (!ip) continue;
      const str = `${ip}:${port.port}`;
      if (seen.has(str)) continue;
      const c = ep.conditions ?? {};
      const ready = c.ready ?? true;
      seen.set(str, {
        ip,
        port: port.port,
        str,
        ready,
        serving: c.serving ?? ready,
        terminating: c.terminating ?? false,
        nodeName: ep.nodeName,
        chain: epChain(sp.name, sp.protocol, str),
      });
    }
  }
  return [...seen.values()].sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
}

export interface Categorized {
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  allReachable: EndpointInfo[];
  hasAnyEndpoints: boolean;
}

/** proxy.CategorizeEndpoints (topology hints left out: no zone labels in the simulator). */
export function categorizeEndpoints(eps: EndpointInfo[], sp: ServicePortInfo, node: string): Categorized {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(sp)) {
    clusterEndpoints = eps.filter((e) => e.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = eps.filter((e) => e.serving && e.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(sp)) return { clusterEndpoints, localEndpoints, allReachable: clusterEndpoints, hasAnyEndpoints };
  let localReady = false;
  let localServingTerminating = false;
  for (const e of eps) {
    if (e.ready) {
      hasAnyEndpoints = true;
      if (e.nodeName === node) localReady = true;
    } else if (e.serving && e.terminating) {
      hasAnyEndpoints = true;
      if (e.nodeName === node) localServingTerminating = true;
    }
  }
  if (localReady) localEndpoints = eps.filter((e) => e.nodeName === node && e.ready);
  else if (localServingTerminating) localEndpoints = eps.filter((e) => e.nodeName === node && e.serving && e.terminating);
  if (!usesClusterEndpoints(sp)) return { clusterEndpoints, localEndpoints, allReachable: localEndpoints, hasAnyEndpoints };
  const set = new Set([...clusterEndpoints, ...localEndpoints]);
  return { clusterEndpoints, localEndpoints, allReachable: eps.filter((e) => set.has(e)), hasAnyEndpoints };
}
