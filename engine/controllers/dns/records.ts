/**
 * CoreDNS's kubernetes plugin, answering from Services, EndpointSlices, Pods and
 * Namespaces as coredns/coredns plugin/kubernetes does:
 *  - parse.go: `[_port._proto.|endpoint.]service.namespace.svc.<zone>` and `…pod.<zone>`;
 *    more labels than that → NXDOMAIN; the apex, `svc.<zone>`, `pod.<zone>` → NODATA.
 *  - kubernetes.go findServices: ClusterIP Services answer their ClusterIP(s); headless
 *    Services (and endpoint queries) answer each ready endpoint address; ExternalName answers
 *    a CNAME (only for queries without an endpoint label); a namespace that does not exist
 *    → NXDOMAIN; `<ns>.svc.<zone>` of an existing namespace → NODATA.
 *  - endpointHostname: the endpoint's hostname, else (endpoint_pod_names) the pod name,
 *    else the address with dashes.
 *  - findPods (pods insecure): `a-b-c-d.<ns>.pod.<zone>` answers a.b.c.d if the namespace exists
 *    (three dashes and no `--`; any other dashed label is an IPv6 address, dashes for colons).
 *  - Dual-stack: EndpointSlices of both address types feed the same endpoint list and a
 *    Service's ClusterIPs are all kept; backend_lookup answers A with the IPv4 hosts and
 *    AAAA with the IPv6 ones (a name with none of the family is NODATA), and an IPv6
 *    endpoint's dashed name replaces its colons.
 *  - reverse.go: PTR for a Service ClusterIP → `svc.ns.svc.<zone>.`; for an endpoint address →
 *    `<endpointHostname>.svc.ns.svc.<zone>.`; otherwise fall through (to forward, if configured).
 *  - plugin/backend_lookup.go: A answers deduplicated by address; SRV weight = 100/n per priority
 *    (floored, at least 1), priority 0; SRV additional section carries the targets' A records;
 *    SOA `ns.dns.<zone> hostmaster.<zone> <serial> 7200 1800 86400 <ttl>` in the authority
 *    section of NXDOMAIN and NODATA answers.
 */
import type { ClusterRuntime } from '../runtime';
import type { KubeObject } from '../../cluster/types';
import type { DnsRecord } from '../../dataplane/packet';
import type { KubernetesPlugin } from './corefile';
import { isDottedQuad, isIP } from '../../cluster/ipv4';
import { canonicalIPv6, isIPv6, formatIPv6 } from '../../cluster/ipv6';

/** endpointHostname's fallback: the address with dots (IPv4) or colons (IPv6) as dashes. */
function dashed(ip: string): string {
  return ip.includes(':') ? ip.replace(/:/g, '-') : ip.replace(/\./g, '-');
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface DnsMessage {
  rcode: Rcode;
  /** Authoritative answer (CoreDNS's own zones) vs forwarded (upstream). */
  aa: boolean;
  answer: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /** Time CoreDNS spent on upstreams that did not answer before one did (forward's read timeouts). Not on the wire. */
  delayMs?: number;
  /** Recursion available, when it is not simply "not authoritative" (CoreDNS's own SERVFAIL: no RA). */
  ra?: boolean;
  /**
   * CoreDNS's forward plugin found no upstream answering (forward.go ServeDNS: SERVFAIL with
   * the last upstream error): how long it tried before giving up, and the error the errors
   * plugin logs. Not on the wire.
   */
  upstreamError?: { ms: number; target: string; kind: 'timeout' | 'refused' };
}

export interface Endpoint {
  ip: string;
  hostname?: string;
  podName?: string;
  ready: boolean;
  ports: { name: string; port: number; protocol: string }[];
}

/**
 * What CoreDNS's watch cache holds, kept up to date change by change (a Service or
 * EndpointSlice change re-derives only that Service's endpoints): ready endpoints per
 * Service.
 */
interface Index {
  /** ns/svc → ready endpoints; absent = to be derived on next use */
  endpoints: Map<string, Endpoint[]>;
  /** ns/svc → EndpointSlice keys (ns/name) labelled for it */
  slices: Map<string, Set<string>>;
}

const indexes = new WeakMap<ClusterRuntime, Index>();

function sliceService(o: KubeObject | undefined): string | undefined {
  const svc = o?.metadata.labels?.['kubernetes.io/service-name'];
  return svc ? `${o!.metadata.namespace}/${svc}` : undefined;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function namespaceExists(cluster: ClusterRuntime, ns: string): boolean {
  return SYSTEM_NAMESPACES.includes(ns) || !!cluster.store.get('Namespace', undefined, ns);
}

function endpointsFromSlices(slices: KubeObject[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const sl of slices) {
    if (sl.addressType && sl.addressType !== 'IPv4' && sl.addressType !== 'IPv6') continue;
    const ports = ((sl.ports ?? []) as { name?: string; port?: number; protocol?: string }[]).map((p) => ({
      name: p.name ?? '',
      port: p.port ?? -1,
      protocol: p.protocol ?? 'TCP',
    }));
    for (const ep of (sl.endpoints ?? []) as { addresses?: string[]; hostname?: string; conditions?: { ready?: boolean }; targetRef?: { name?: string; kind?: string } }[]) {
      // CoreDNS (plugin/kubernetes/object/endpoint.go) skips endpoints whose Ready is explicitly false.
      const ready = ep.conditions?.ready !== false;
      for (const ip of ep.addresses ?? []) {
        out.push({ ip, hostname: ep.hostname, podName: ep.targetRef?.kind === 'Pod' ? ep.targetRef.name : undefined, ready, ports: ports.length ? ports : [{ name: '', port: -1, protocol: 'TCP' }] });
      }
    }
  }
  return out;
}

/** Until an EndpointSlice controller runs, the same selection it would make. */
function endpointsFromPods(cluster: ClusterRuntime, svc: KubeObject): Endpoint[] {
  const sel = svc.spec?.selector as Record<string, string> | undefined;
  if (!sel || Object.keys(sel).length === 0) return [];
  const out: Endpoint[] = [];
  for (const p of cluster.store.list('Pod', svc.metadata.namespace)) {
    const labels = p.metadata.labels ?? {};
    if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
    if (!p.status?.podIP || p.metadata.deletionTimestamp) continue;
    const ready = (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ||
      (p.status?.phase === 'Running' && !(p.status?.conditions ?? []).some((c: { type: string }) => c.type === 'Ready'));
    const hostname = p.spec?.hostname && p.spec?.subdomain === svc.metadata.name ? (p.spec.hostname as string) : undefined;
    const ports = ((svc.spec?.ports ?? []) as { name?: string; port: number; targetPort?: number | string; protocol?: string }[]).map((sp) => {
      let port = typeof sp.targetPort === 'number' ? sp.targetPort : sp.port;
      if (typeof sp.targetPort === 'string') {
        for (const c of p.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === sp.targetPort) port = cp.containerPort;
      }
      return { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    });
    out.push({ ip: p.status.podIP, hostname, podName: p.metadata.name, ready: ready || !!svc.spec?.publishNotReadyAddresses, ports: ports.length ? ports : [{ name: '', port: -1, protocol: 'TCP' }] });
  }
  return out;
}

function index(cluster: ClusterRuntime): Index {
  let idx = indexes.get(cluster);
  if (idx) return idx;
  const made: Index = { endpoints: new Map(), slices: new Map() };
  const link = (svcKey: string, sliceKey: string, on: boolean) => {
    let set = made.slices.get(svcKey);
    if (!set) made.slices.set(svcKey, (set = new Set()));
    if (on) set.add(sliceKey);
    else set.delete(sliceKey);
  };
  for (const sl of cluster.store.iterate('EndpointSlice')) {
    const k = sliceService(sl);
    if (k) link(k, `${sl.metadata.namespace}/${sl.metadata.name}`, true);
  }
  cluster.store.subscribe((c) => {
    const o = c.object;
    if (o.kind === 'Service') {
      made.endpoints.delete(`${o.metadata.namespace}/${o.metadata.name}`);
    } else if (o.kind === 'EndpointSlice') {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const before = sliceService(c.old);
      const after = c.type === 'DELETED' ? undefined : sliceService(o);
      if (before) {
        link(before, key, false);
        made.endpoints.delete(before);
      }
      if (after) {
        link(after, key, true);
        made.endpoints.delete(after);
      }
    } else if (o.kind === 'Pod' && cluster.store.count('EndpointSlice') === 0) {
      // only the stand-in (no EndpointSlice controller) reads Pods directly
      made.endpoints.clear();
    }
  });
  indexes.set(cluster, made);
  idx = made;
  return idx;
}

/**
 * reverse.go serviceRecordForIP: Services whose ClusterIP is `ip` first, then every
 * Service with a ready endpoint at `ip` (named by the endpoint's hostname or dashed IP).
 * A direct scan — PTR questions are rare, so nothing is kept for them.
 */
function reverseLookup(cluster: ClusterRuntime, ip: string): string[] {
  const out: string[] = [];
  const svcs: KubeObject[] = [];
  for (const svc of cluster.store.iterate('Service')) if (clusterIPs(svc).includes(ip)) svcs.push(svc);
  svcs.sort(compareKeys);
  for (const svc of svcs) out.push(`${svc.metadata.name}.${svc.metadata.namespace}.svc`);
  const withEndpoint: KubeObject[] = [];
  if (cluster.store.count('EndpointSlice') > 0) {
    const seen = new Set<string>();
    for (const sl of cluster.store.iterate('EndpointSlice')) {
      const key = sliceService(sl);
      if (!key || seen.has(key)) continue;
      if (!((sl.endpoints ?? []) as { addresses?: string[] }[]).some((e) => e.addresses?.includes(ip))) continue;
      seen.add(key);
      const [ns, name] = key.split('/');
      const svc = cluster.store.get('Service', ns, name);
      if (svc) withEndpoint.push(svc);
    }
  } else {
    for (const svc of cluster.store.iterate('Service')) withEndpoint.push(svc);
  }
  withEndpoint.sort(compareKeys);
  for (const svc of withEndpoint) {
    for (const e of readyEndpoints(cluster, svc)) {
      if (e.ip !== ip) continue;
      const name = `${e.hostname ?? dashed(e.ip)}.${svc.metadata.name}.${svc.metadata.namespace}.svc`;
      if (!out.includes(name)) out.push(name);
    }
  }
  return out;
}

function compareKeys(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function clusterIPs(svc: KubeObject): string[] {
  const ips = (svc.spec?.clusterIPs as string[] | undefined) ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return ips.filter((ip) => ip && ip !== 'None');
}

export function isHeadless(svc: KubeObject): boolean {
  return svc.spec?.clusterIP === 'None';
}

export function readyEndpoints(cluster: ClusterRuntime, svc: KubeObject): Endpoint[] {
  const idx = index(cluster);
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
  let eps = idx.endpoints.get(key);
  if (!eps) {
    if (cluster.store.count('EndpointSlice') > 0) {
      const slices: KubeObject[] = [];
      for (const sk of idx.slices.get(key) ?? []) {
        const [ns, name] = sk.split('/');
        const sl = cluster.store.get('EndpointSlice', ns, name);
        if (sl) slices.push(sl);
      }
      slices.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
      eps = endpointsFromSlices(slices).filter((e) => e.ready);
    } else {
      eps = endpointsFromPods(cluster, svc).filter((e) => e.ready);
    }
    idx.endpoints.set(key, eps);
  }
  return eps;
}

/** A msg.Service of backend_lookup: a host (IP or name) with the port and the key it was found under. */
interface Found {
  host: string;
  port: number;
  /** The owner name of SRV targets: `svc.ns.svc` or `endpoint.svc.ns.svc` (without zone). */
  target: string;
}

type Lookup = { found: Found[] } | { nxdomain: true } | { nodata: true };

function stripUnderscore(s: string): string {
  return s.startsWith('_') ? s.slice(1) : s;
}

/** plugin/kubernetes/parse.go parseRequest + kubernetes.go Records. */
function records(cluster: ClusterRuntime, k: KubernetesPlugin, base: string): Lookup {
  // base: the query name without the zone, no trailing dot ('' for the apex)
  if (base === '' || base === 'svc' || base === 'pod') return { nodata: true };
  const segs = base.split('.');
  let last = segs.length - 1;
  const podOrSvc = segs[last];
  if (podOrSvc !== 'svc' && podOrSvc !== 'pod') return { nxdomain: true };
  last--;
  const namespace = segs[last];
  last--;
  const service = last >= 0 ? segs[last] : '';
  last--;
  let endpoint = '';
  let port = '*';
  let protocol = '*';
  if (last === 0) endpoint = segs[0];
  else if (last === 1) {
    protocol = stripUnderscore(segs[1]);
    port = stripUnderscore(segs[0]);
  } else if (last > 1) return { nxdomain: true };
  if (!namespaceExists(cluster, namespace)) return { nxdomain: true };
  if (podOrSvc === 'pod') {
    if (service === '') return { nodata: true };
    if (k.pods !== 'insecure' && k.pods !== 'verified') return { nxdomain: true };
    const v4 = service.split('-').length === 4 && !service.includes('--');
    const ip = v4 ? service.replace(/-/g, '.') : canonicalIPv6(service.replace(/-/g, ':'));
    if (v4 ? !isDottedQuad(ip) : !isIPv6(ip)) return { nxdomain: true };
    if (k.pods === 'verified') {
      const exists = cluster.store.list('Pod', namespace).some((p) => p.status?.podIP === ip || (p.status?.podIPs ?? []).some((x: { ip?: string }) => x.ip === ip));
      if (!exists) return { nxdomain: true };
    }
    return { found: [{ host: ip, port: 0, target: `${service}.${namespace}.pod` }] };
  }
  if (service === '') return { nodata: true };
  const svc = cluster.store.get('Service', namespace, service);
  if (!svc) return { nxdomain: true };
  const matchPort = (name: string, proto: string) => (port === '*' || port === name.toLowerCase()) && (protocol === '*' || protocol === proto.toLowerCase());
  const found: Found[] = [];
  if (svc.spec?.type === 'ExternalName') {
    if (endpoint !== '') return { nxdomain: true };
    const target = String(svc.spec.externalName ?? '').replace(/\.$/, '');
    if (!target || isDottedQuad(target)) return { nxdomain: true };
    return { found: [{ host: target, port: 0, target: `${service}.${namespace}.svc` }] };
  }
  if (isHeadless(svc) || endpoint !== '') {
    for (const e of readyEndpoints(cluster, svc)) {
      const hn = e.hostname ?? (k.endpointPodNames && e.podName ? e.podName : dashed(e.ip));
      if (endpoint !== '' && endpoint !== hn) continue;
      for (const p of e.ports) {
        if (!matchPort(p.name, p.protocol)) continue;
        found.push({ host: e.ip, port: p.port, target: `${hn}.${service}.${namespace}.svc` });
      }
    }
  } else {
    for (const p of (svc.spec?.ports ?? []) as { name?: string; port: number; protocol?: string }[]) {
      if (!matchPort(p.name ?? '', p.protocol ?? 'TCP')) continue;
      for (const ip of clusterIPs(svc)) if (isIP(ip)) found.push({ host: ip, port: p.port, target: `${service}.${namespace}.svc` });
    }
  }
  return found.length ? { found } : { nxdomain: true };
}

export interface ZoneAnswer {
  /** The kubernetes plugin had nothing and the zone falls through (to forward). */
  fallthrough?: boolean;
  message?: DnsMessage;
  /** An ExternalName target the server must resolve (CNAME chasing through the plugin chain). */
  chase?: { cname: DnsRecord; target: string };
}

function soa(zone: string, ttl: number, serial: number): DnsRecord {
  return { name: zone, type: 'SOA', ttl, data: `ns.dns.${zone} hostmaster.${zone} ${serial} 7200 1800 86400 ${ttl}` };
}

/** Answers `qname` (FQDN with trailing dot) of `qtype` in kubernetes zone `zone`. */
export function kubernetesAnswer(cluster: ClusterRuntime, k: KubernetesPlugin, zone: string, qname: string, qtype: string, serial: number): ZoneAnswer {
  const ttl = k.ttl;
  const q = qname.toLowerCase();
  const empty = (rcode: Rcode): ZoneAnswer => ({ message: { rcode, aa: true, answer: [], authority: [soa(zone, ttl, serial)], additional: [] } });
  const falls = () => k.fallthrough !== undefined && (k.fallthrough.length === 0 || k.fallthrough.some((z) => q === z || q.endsWith('.' + z)));

  if (zone.endsWith('in-addr.arpa.') || zone.endsWith('ip6.arpa.')) {
    // reverse.go: only PTR, only addresses we know; else fall through
    const m = q.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.$/);
    const m6 = q.match(/^((?:[0-9a-f]\.){32})ip6\.arpa\.$/);
    const ip = m ? `${m[4]}.${m[3]}.${m[2]}.${m[1]}` : m6 ? formatIPv6(BigInt('0x' + m6[1].split('.').reverse().join(''))) : undefined;
    if (qtype === 'PTR' && ip) {
      const names = reverseLookup(cluster, ip);
      if (names?.length) {
        const primary = currentPrimaryZone(cluster, k);
        return { message: { rcode: 'NOERROR', aa: true, answer: names.map((n) => ({ name: q, type: 'PTR', ttl, data: `${n}.${primary}` })), authority: [], additional: [] } };
      }
    }
    if (falls()) return { fallthrough: true };
    return q === zone ? empty('NOERROR') : empty('NXDOMAIN');
  }

  const base = q === zone ? '' : q.slice(0, q.length - zone.length - 1);
  if (base === '' && (qtype === 'SOA' || qtype === 'NS')) {
    if (qtype === 'SOA') return { message: { rcode: 'NOERROR', aa: true, answer: [soa(zone, ttl, serial)], authority: [], additional: [] } };
    // kubernetes.go nsAddrs: the name server is the kube-dns Service, ns.dns.<zone>
    const dnsSvc = cluster.store.get('Service', 'kube-system', 'kube-dns');
    const glue = dnsSvc ? clusterIPs(dnsSvc).map((ip) => ({ name: `ns.dns.${zone}`, type: 'A' as const, ttl, data: ip })) : [];
    return { message: { rcode: 'NOERROR', aa: true, answer: [{ name: zone, type: 'NS', ttl, data: `ns.dns.${zone}` }], authority: [], additional: glue } };
  }
  if (base === 'dns-version') {
    // the Kubernetes DNS-Based Service Discovery spec, section 2.2: dns-version.<zone> TXT
    if (qtype === 'TXT') return { message: { rcode: 'NOERROR', aa: true, answer: [{ name: q, type: 'TXT', ttl: 28800, data: '1.1.0' }], authority: [], additional: [] } };
    return empty('NOERROR');
  }
  const r = records(cluster, k, base);
  if ('nxdomain' in r) return falls() ? { fallthrough: true } : empty('NXDOMAIN');
  if ('nodata' in r) return empty('NOERROR');
  const found = r.found;
  const answer: DnsRecord[] = [];
  const additional: DnsRecord[] = [];
  const cname = found.find((f) => !isIP(f.host));
  if (cname) {
    // ExternalName: a CNAME; for A/AAAA the target is then looked up through the server
    const rr: DnsRecord = { name: q, type: 'CNAME', ttl, data: cname.host + '.' };
    if (qtype === 'A' || qtype === 'AAAA' || qtype === 'CNAME' || qtype === 'ANY') {
      if (qtype === 'CNAME') return { message: { rcode: 'NOERROR', aa: true, answer: [rr], authority: [], additional: [] } };
      return { chase: { cname: rr, target: cname.host + '.' } };
    }
    return empty('NOERROR');
  }
  switch (qtype) {
    case 'A':
    case 'ANY':
    case 'AAAA': {
      // backend_lookup.go A/AAAA: only the hosts of the question's family
      const family = qtype === 'AAAA' ? 'AAAA' : 'A';
      const seen = new Set<string>();
      for (const f of found) {
        if (seen.has(f.host) || (family === 'AAAA') !== f.host.includes(':')) continue;
        seen.add(f.host);
        answer.push({ name: q, type: family, ttl, data: f.host });
      }
      break;
    }
    case 'SRV': {
      const withPorts = found.filter((f) => f.port > 0);
      // backend_lookup.go: every record has priority 0 and weight 0 → 100/n each
      const weight = Math.max(1, Math.floor((100 / (100 * withPorts.length)) * 100));
      const seen = new Set<string>();
      for (const f of withPorts) {
        const target = `${f.target}.${zone}`;
        const key = `${f.port} ${target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        answer.push({ name: q, type: 'SRV', ttl, data: `0 ${weight} ${f.port} ${target}` });
        if (!additional.some((a) => a.name === target && a.data === f.host)) additional.push({ name: target, type: f.host.includes(':') ? 'AAAA' : 'A', ttl, data: f.host });
      }
      break;
    }
    default:
      break;
  }
  if (answer.length === 0) return empty('NOERROR');
  return { message: { rcode: 'NOERROR', aa: true, answer, authority: [], additional } };
}

function currentPrimaryZone(_sim: ClusterRuntime, k: KubernetesPlugin): string {
  // the first non-reverse zone of the plugin: reverse answers are named in it
  return k.zones.find((z) => !z.endsWith('arpa.')) ?? 'cluster.local.';
}
