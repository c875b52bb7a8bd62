/**
 * kube-proxy's endpoints of a Service port (pkg/proxy/endpoint.go, endpointslicecache.go):
 * the endpoints of each port from all of the Service's EndpointSlices, deduplicated and
 * sorted by "IP:port" as endpointslicecache does, each with its KUBE-SEP chain name and
 * its topology hints (hints.forZones; hints.forNodes with PreferSameTrafficDistribution,
 * on by default in v1.34).
 */
import type { KubeObject, SliceEndpoint } from '../../cluster/types';
import { servicePortEndpointChainName } from './hash';
import type { ServicePortInfo } from './serviceport';

export interface EndpointInfo {
  ip: string;
  port: number;
  /** `IP:port` (net.JoinHostPort). */
  str: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  nodeName?: string;
  /** Endpoint.ZoneHints(): the zones hints.forZones names (empty: no zone hint). */
  zoneHints: readonly string[];
  /** Endpoint.NodeHints(): the nodes hints.forNodes names (empty: no node hint). */
  nodeHints: readonly string[];
  chain: string;
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
export function endpointsFor(sp: ServicePortInfo, slices: KubeObject[], family: 'IPv4' | 'IPv6' = 'IPv4'): EndpointInfo[] {
  const seen = new Map<string, EndpointInfo>();
  for (const slice of slices) {
    if ((slice.addressType ?? 'IPv4') !== family) continue;
    const port = ((slice.ports ?? []) as { name?: string; port?: number; protocol?: string }[]).find(
      (p) => (p.name ?? '') === sp.portName && (p.protocol ?? 'TCP').toLowerCase() === sp.protocol,
    );
    if (!port || !port.port) continue;
    for (const ep of (slice.endpoints ?? []) as SliceEndpoint[]) {
      const ip = ep.addresses?.[0];
      if (!ip) continue;
      // BaseEndpointInfo.String(): net.JoinHostPort, which brackets an IPv6 address
      const str = family === 'IPv6' ? `[${ip}]:${port.port}` : `${ip}:${port.port}`;
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
        zoneHints: names(ep.hints?.forZones),
        nodeHints: names(ep.hints?.forNodes),
        chain: epChain(sp.name, sp.protocol, str),
      });
    }
  }
  return [...seen.values()].sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
}

const NONE: readonly string[] = [];

function names(list: { name?: string }[] | undefined): readonly string[] {
  if (!list || list.length === 0) return NONE;
  return list.map((h) => h.name ?? '');
}
