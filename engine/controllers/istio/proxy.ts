/**
 * An HTTP request through Istio's sidecars, the way the Envoy configuration istiod pushes
 * (pilot/pkg/networking/core at 1.24.2) handles it:
 *
 * Outbound (the client Pod is injected): istio-init's OUTPUT rule redirects the app's
 * connection to Envoy on 127.0.0.1:15001; Envoy matches the Host against the Service's
 * virtual host, applies the VirtualService (fault injection first — the fault filter sits
 * before the router — then a weighted pick among the route's destinations and DestinationRule
 * subsets), and the router opens its own connection, as uid 1337 so it is not captured
 * again, straight to an endpoint's Pod IP: kube-proxy's ClusterIP DNAT never sees it. The
 * router retries (Istio's default: 2 retries on connect-failure, refused-stream,
 * unavailable, cancelled and 503; a VirtualService's retries replace it) on another host
 * (previous_hosts), and a route timeout answers 504 `upstream request timeout`. The
 * response's `server` header becomes `envoy` (outbound leaves Envoy's default; httproute.go)
 * and the router adds `x-envoy-upstream-service-time`.
 *
 * Inbound (the server Pod is injected): PREROUTING redirects to 15006; the listener's
 * filter chains decide by the PeerAuthentication in force: STRICT has only a TLS chain, so
 * a plaintext connection matches nothing and Envoy closes it (the client reads a reset);
 * PERMISSIVE accepts both. Envoy forwards to the app from 127.0.0.6 (the inbound
 * passthrough bind address, which the nat table lets through), sets `server: istio-envoy`.
 *
 * Each Envoy writes its access log line (meshConfig.accessLogFile /dev/stdout in the demo
 * profile) to the istio-proxy container's log in Istio's text format (telemetry_logging.go).
 */
import type { ClusterRuntime } from '../runtime';
import type { KubeObject } from '../../cluster/types';
import type { HostRef, TraceHop } from '../../types';
import type { ConnectResult } from '../../dataplane/walk';
import { resolveName, sendPacket } from '../../dataplane/walk';
import { header, httpDate, listenerOn, serveHttp, byteLength, type HttpRequest, type HttpResponse, type ServerRef } from '../../dataplane/apps';
import { findPod, podByIp, serviceEndpoints, topology, type PodInfo } from '../../dataplane/topology';
import { isDottedQuad } from '../../cluster/ipv4';
import { selectorMatches } from '../../dataplane/policy';
import { hasSidecar } from './inject';
import { authorize } from './authz';
import { inboundCaptured, outboundCaptured } from './iptables';
import { ISTIO_NAMESPACE, proxyRunning, spiffeId } from './index';

export interface MeshResult {
  /** The client's connection as it saw it (to its own Envoy, for an injected client). */
  conn: ConnectResult;
  response?: HttpResponse;
  /** The connection was reset after it was accepted (STRICT mTLS refusing plaintext). */
  reset?: boolean;
  hops: TraceHop[];
  /** Time the proxies spent beyond the network (an injected delay, a timeout, retries). */
  elapsedMs: number;
}

interface Url {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
}

// ---- configuration lookups -------------------------------------------------------------

/** The PeerAuthentication mode in force for a workload: workload selector, namespace, then mesh-wide (root namespace). */
export function peerAuthentication(rt: ClusterRuntime, pod: KubeObject): { mode: string; applied: KubeObject[] } {
  const labels = pod.metadata.labels ?? {};
  const ns = pod.metadata.namespace ?? 'default';
  const pick = (list: KubeObject[]) => list.sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))[0];
  const inNs = rt.store.list('PeerAuthentication', ns);
  const workload = pick(inNs.filter((p) => p.spec?.selector?.matchLabels && Object.keys(p.spec.selector.matchLabels).length && selectorMatches({ matchLabels: p.spec.selector.matchLabels }, labels)));
  const nsWide = pick(inNs.filter((p) => !p.spec?.selector?.matchLabels || !Object.keys(p.spec.selector.matchLabels).length));
  const mesh = pick(rt.store.list('PeerAuthentication', ISTIO_NAMESPACE).filter((p) => !p.spec?.selector?.matchLabels || !Object.keys(p.spec.selector.matchLabels).length));
  let mode = 'PERMISSIVE';
  for (const pa of [mesh, nsWide, workload]) {
    const m = pa?.spec?.mtls?.mode;
    if (m && m !== 'UNSET') mode = m;
  }
  return { mode, applied: [mesh, nsWide, workload].filter((x): x is KubeObject => !!x) };
}

/** `reviews` in namespace default → reviews.default.svc.cluster.local (model.ResolveShortnameToFQDN). */
export function fqdn(host: string, ns: string, domain = 'cluster.local'): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${ns}.svc.${domain}`;
  if (parts.length === 2) return `${host}.svc.${domain}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.${domain}`;
  return host;
}

function serviceHost(svc: KubeObject, domain: string): string {
  return `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}`;
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** The VirtualService that owns this host for sidecars (gateways unset or listing `mesh`), oldest first. */
export function virtualServiceFor(rt: ClusterRuntime, host: string): KubeObject | undefined {
  const domain = rt.settings.clusterDomain ?? 'cluster.local';
  return rt.store.list('VirtualService')
    .filter((vs) => {
      const gws: string[] = vs.spec?.gateways ?? [];
      if (gws.length && !gws.includes('mesh')) return false;
      return ((vs.spec?.hosts ?? []) as string[]).some((h) => hostMatches(fqdn(h, vs.metadata.namespace ?? 'default', domain), host));
    })
    .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))[0];
}

export function destinationRuleFor(rt: ClusterRuntime, host: string, clientNs: string): KubeObject | undefined {
  const domain = rt.settings.clusterDomain ?? 'cluster.local';
  const all = rt.store.list('DestinationRule').filter((dr) => hostMatches(fqdn(dr.spec?.host ?? '', dr.metadata.namespace ?? 'default', domain), host));
  // the client's namespace first, then the service's, then the root namespace (sidecar scope)
  const order = (dr: KubeObject) => (dr.metadata.namespace === clientNs ? 0 : dr.metadata.namespace === ISTIO_NAMESPACE ? 2 : 1);
  return all.sort((a, b) => order(a) - order(b) || String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))[0];
}

interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

function stringMatches(m: StringMatch | undefined, v: string | undefined): boolean {
  if (!m) return true;
  if (v === undefined) return false;
  if (m.exact !== undefined) return v === m.exact;
  if (m.prefix !== undefined) return v.startsWith(m.prefix);
  return true;
}

function routeMatches(match: { uri?: StringMatch; headers?: Record<string, StringMatch>; method?: StringMatch }[] | undefined, req: HttpRequest): boolean {
  if (!match || match.length === 0) return true;
  const path = req.path.split('?')[0];
  return match.some((m) => stringMatches(m.uri, path) && stringMatches(m.method, req.method) && Object.entries(m.headers ?? {}).every(([k, sm]) => stringMatches(sm, header(req, k))));
}

/** Go's time.ParseDuration for the forms Istio takes (`1.5s`, `100ms`, `2m`). */
export function durationMs(d: unknown): number | undefined {
  if (typeof d !== 'string') return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let seen = false;
  let m: RegExpExecArray | null;
  while ((m = re.exec(d))) {
    seen = true;
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  return seen ? total : undefined;
}

function percentHit(rt: ClusterRuntime, pct: { value?: number } | undefined): boolean {
  const v = pct?.value ?? 100;
  if (v >= 100) return true;
  if (v <= 0) return false;
  return rt.rng.next() * 100 < v;
}

// ---- Envoy's replies ---------------------------------------------------------------------

/** Envoy writes its own status line (source/common/http/codes.cc CodeUtility::toString), whatever the app's said. */
const ENVOY_REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

function reasonPhrase(status: number): string {
  return ENVOY_REASONS[status] ?? 'Unknown';
}

function localReply(rt: ClusterRuntime, status: number, body: string, server: string): HttpResponse {
  const headers: [string, string][] = [];
  if (body) headers.push(['content-length', String(byteLength(body))], ['content-type', 'text/plain']);
  else headers.push(['content-length', '0']);
  headers.push(['date', httpDate(rt.clock.now())], ['server', server]);
  return { status, reason: reasonPhrase(status), headers, body };
}

/** Envoy's HTTP/1 codec writes header names in lower case; the HCM overwrites `server`. */
function proxied(r: HttpResponse, server: string, upstreamMs: number): HttpResponse {
  const headers: [string, string][] = [];
  for (const [k, v] of r.headers) {
    const lk = k.toLowerCase();
    if (lk === 'server' || lk === 'x-envoy-upstream-service-time' || lk === 'connection' || lk === 'keep-alive') continue;
    headers.push([lk, v]);
  }
  headers.push(['x-envoy-upstream-service-time', String(Math.max(0, Math.round(upstreamMs)))], ['server', server]);
  return { ...r, reason: reasonPhrase(r.status), headers };
}

function uuid(rt: ClusterRuntime): string {
  const r = rt.rng;
  return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(4)]}${r.hex(3)}-${r.hex(12)}`;
}

/** What one Envoy costs a request, in ms (a filter chain, an L7 parse, a new upstream connection). */
function envoyCost(rt: ClusterRuntime): number {
  return 0.25 + rt.rng.next() * 0.35;
}

function accessLog(rt: ClusterRuntime, pod: PodInfo, f: {
  req: HttpRequest; status: number; flags: string; details: string; failure?: string; sent: number; duration: number; upstreamTime?: number;
  requestId: string; authority: string; upstreamHost?: string; cluster: string; upstreamLocal?: string; downstreamLocal: string; downstreamRemote: string; sni?: string; route: string;
}): void {
  const start = new Date(rt.clock.now()).toISOString();
  const line = `[${start}] "${f.req.method} ${f.req.path} HTTP/1.1" ${f.status} ${f.flags} ${f.details} - "${f.failure ?? '-'}" ${byteLength(f.req.body)} ${f.sent} ${Math.round(f.duration)} ${f.upstreamTime === undefined ? '-' : Math.round(f.upstreamTime)} "${header(f.req, 'x-forwarded-for') ?? '-'}" "${header(f.req, 'user-agent') ?? '-'}" "${f.requestId}" "${f.authority}" "${f.upstreamHost ?? '-'}" ${f.cluster} ${f.upstreamLocal ?? '-'} ${f.downstreamLocal} ${f.downstreamRemote} ${f.sni ?? '-'} ${f.route}`;
  rt.logs.append(pod.namespace, pod.name, 'istio-proxy', line);
}

// ---- inbound -------------------------------------------------------------------------------

export interface InboundResult {
  response?: HttpResponse;
  reset?: boolean;
  hops: TraceHop[];
  ms: number;
}

/**
 * A connection that reached an injected Pod on `port`: the inbound capture, the mTLS check,
 * and the app behind Envoy. Undefined when the sidecar does not take this port (not captured,
 * not injected, or its Envoy is not running).
 */
/** The walk's port: does istio-init's PREROUTING rule hand this connection to a running Envoy? */
export function sidecarCapture(pod: PodInfo, port: number): { container: string; what: string } | undefined {
  if (!hasSidecar(pod.obj) || !proxyRunning(pod.obj) || !inboundCaptured(pod.obj, port)) return undefined;
  return { container: 'istio-proxy', what: `nat PREROUTING → ISTIO_INBOUND → ISTIO_IN_REDIRECT: REDIRECT ${pod.ip}:${port} to :15006, where istio-proxy (Envoy) accepts` };
}

export function meshInbound(rt: ClusterRuntime, pod: PodInfo, port: number, req: HttpRequest, client: { ip: string; port: number; mtls: boolean; identity?: string }, sni?: string): InboundResult | undefined {
  if (!hasSidecar(pod.obj) || !proxyRunning(pod.obj) || !inboundCaptured(pod.obj, port)) return undefined;
  const hops: TraceHop[] = [];
  const where = `pod ${pod.namespace}/${pod.name}`;
  let ms = envoyCost(rt);
  const { mode } = peerAuthentication(rt, pod.obj);
  if (!client.mtls && mode === 'STRICT') {
    hops.push({ where: `istio-proxy ${where}`, what: 'PeerAuthentication STRICT: no filter chain accepts plaintext; Envoy closes the connection (RST)', detail: `client ${client.ip} has no sidecar, so it sent plaintext`, verdict: 'reject' });
    return { reset: true, hops, ms };
  }
  if (client.mtls && mode === 'DISABLE') {
    hops.push({ where: `istio-proxy ${where}`, what: 'PeerAuthentication DISABLE: no filter chain accepts the client sidecar\'s mTLS; Envoy closes the connection', verdict: 'reject' });
    return { reset: true, hops, ms };
  }
  hops.push({
    where: `istio-proxy ${where}`,
    what: client.mtls ? `inbound :15006 terminates mTLS from ${client.identity ?? 'the client sidecar'} (PeerAuthentication ${mode})` : `inbound :15006 accepts plaintext (PeerAuthentication ${mode})`,
    detail: `Envoy +${ms.toFixed(2)} ms`,
    verdict: 'pass',
  });
  const requestId = header(req, 'x-request-id') ?? uuid(rt);
  // the RBAC filters (AuthorizationPolicy) run before the router: a refusal never reaches the app
  const authz = authorize(rt, pod.obj, { method: req.method, path: req.path, host: header(req, 'host') ?? '', port, headers: req.headers, sourceIp: client.ip, principal: client.mtls ? client.identity?.replace(/^spiffe:\/\//, '') : undefined });
  if (!authz.allowed) {
    const body = 'RBAC: access denied';
    hops.push({ where: `istio-proxy ${where}`, what: `RBAC filter: ${authz.why}: 403 RBAC: access denied`, verdict: 'reject' });
    accessLog(rt, pod, { req, status: 403, flags: 'RBAC', details: authz.details ?? 'rbac_access_denied_matched_policy[none]', sent: byteLength(body), duration: ms, requestId, authority: header(req, 'host') ?? '', cluster: `inbound|${port}||`, downstreamLocal: `${pod.ip}:${port}`, downstreamRemote: `${client.ip}:${client.port}`, sni, route: '-' });
    return { response: localReply(rt, 403, body, 'istio-envoy'), hops, ms };
  }
  if (rt.store.count('AuthorizationPolicy') > 0) hops.push({ where: `istio-proxy ${where}`, what: `RBAC filter: ${authz.why}: allowed`, verdict: 'pass' });
  const upReq: HttpRequest = { ...req, headers: [...req.headers.filter(([k]) => !/^x-forwarded-client-cert$|^x-request-id$|^x-forwarded-proto$/i.test(k))] };
  upReq.headers.push(['x-forwarded-proto', 'http'], ['x-request-id', requestId]);
  if (client.mtls) upReq.headers.push(['x-forwarded-client-cert', `By=${spiffeId(pod.obj)};Hash=${rt.rng.hex(64)};Subject="";URI=${client.identity ?? ''}`]);
  const localPort = 32768 + rt.rng.int(28232);
  const server: ServerRef = { kind: 'pod', pod };
  const l = listenerOn(rt, server, port, 'tcp', '127.0.0.6');
  const clusterName = `inbound|${port}||`;
  const base = { req: upReq, requestId, authority: header(req, 'host') ?? '', cluster: clusterName, downstreamLocal: `${pod.ip}:${port}`, downstreamRemote: `${client.ip}:${client.port}`, sni, route: 'default' };
  if (!l) {
    const body = 'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused';
    hops.push({ where: `istio-proxy ${where}`, what: `nothing listens on 127.0.0.1:${port} behind the sidecar: connection refused, Envoy answers 503`, verdict: 'reject' });
    const r = localReply(rt, 503, body, 'istio-envoy');
    accessLog(rt, pod, { ...base, status: 503, flags: 'UF', details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}', failure: 'delayed_connect_error:_Connection_refused', sent: byteLength(body), duration: ms, upstreamHost: `${pod.ip}:${port}` });
    return { response: r, hops, ms };
  }
  hops.push({ where: `istio-proxy ${where}`, what: `→ ${l.description} on ${pod.ip}:${port}, from 127.0.0.6 (inbound passthrough; ISTIO_OUTPUT returns it)`, verdict: 'deliver' });
  const appMs = 0.1 + rt.rng.next() * 0.4;
  const r = serveHttp({ cluster: rt, server: { kind: 'pod', pod, container: l.container }, listener: l, conn: { clientIp: '127.0.0.6', clientPort: localPort, localIp: pod.ip, localPort: port } }, upReq);
  if (r.empty) {
    hops.push({ where: `istio-proxy ${where}`, what: `${l.description} closed the connection without an HTTP response: Envoy answers 503`, verdict: 'reject' });
    const body = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
    accessLog(rt, pod, { ...base, status: 503, flags: 'UC', details: 'upstream_reset_before_response_started{connection_termination}', sent: byteLength(body), duration: ms + appMs, upstreamHost: `${pod.ip}:${port}`, upstreamLocal: `127.0.0.6:${localPort}` });
    return { response: localReply(rt, 503, body, 'istio-envoy'), hops, ms: ms + appMs };
  }
  ms += appMs;
  const out = proxied(r, 'istio-envoy', appMs);
  accessLog(rt, pod, { ...base, status: r.status, flags: '-', details: 'via_upstream', sent: byteLength(r.body), duration: ms, upstreamTime: appMs, upstreamHost: `${pod.ip}:${port}`, upstreamLocal: `127.0.0.6:${localPort}` });
  return { response: out, hops, ms };
}

// ---- outbound ------------------------------------------------------------------------------

interface Destination {
  svc: KubeObject;
  port: number;
  subset?: string;
}

function serviceByHost(rt: ClusterRuntime, host: string): KubeObject | undefined {
  const m = host.match(/^([^.]+)\.([^.]+)\.svc\./);
  return m ? rt.store.get('Service', m[2], m[1]) : undefined;
}

/** Default retry policy (retry.go defaultPolicy) or the route's. */
function retryPolicy(retries: { attempts?: number; perTryTimeout?: string; retryOn?: string } | undefined): { num: number; on: string[]; codes: number[]; perTryMs?: number } {
  if (!retries) return { num: 2, on: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'], codes: [503] };
  if (!retries.attempts || retries.attempts <= 0) return { num: 0, on: [], codes: [] };
  const on = retries.retryOn ? retries.retryOn.split(',').map((s) => s.trim()).filter(Boolean) : ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'];
  const codes = retries.retryOn ? on.filter((s) => /^\d{3}$/.test(s)).map(Number) : [503];
  return { num: retries.attempts, on: on.filter((s) => !/^\d{3}$/.test(s)), codes, perTryMs: durationMs(retries.perTryTimeout) };
}

function retriable(policy: ReturnType<typeof retryPolicy>, outcome: { status?: number; connectFailure?: boolean; reset?: boolean; timeout?: boolean }): boolean {
  const on = new Set(policy.on);
  if (outcome.connectFailure) return on.has('connect-failure') || on.has('5xx') || on.has('gateway-error');
  if (outcome.reset) return on.has('reset') || on.has('5xx');
  if (outcome.timeout) return on.has('5xx') || on.has('gateway-error');
  const s = outcome.status ?? 0;
  if (on.has('5xx') && s >= 500) return true;
  if (on.has('gateway-error') && (s === 502 || s === 503 || s === 504)) return true;
  if (on.has('retriable-status-codes') && policy.codes.includes(s)) return true;
  return false;
}

/**
 * An HTTP request from an injected Pod, through its Envoy. Undefined when the sidecar does
 * not take it (the client is not injected, its Envoy is not running, the port is excluded,
 * or the name does not resolve — the app then fails as it would without a mesh).
 */
export function meshOutbound(rt: ClusterRuntime, from: HostRef, url: Url, req: HttpRequest, opts: { resolveOverride?: string }): MeshResult | undefined {
  if (from.kind !== 'pod' || url.scheme !== 'http') return undefined;
  const src = findPod(rt, from.namespace, from.pod);
  if (!src || !src.running || !hasSidecar(src.obj) || !proxyRunning(src.obj) || !outboundCaptured(src.obj, url.port)) return undefined;
  let address = opts.resolveOverride ?? url.host;
  let resolution: ConnectResult['resolution'];
  const hops: TraceHop[] = [];
  const where = `pod ${src.namespace}/${src.name}`;
  if (!isDottedQuad(address)) {
    const r = resolveName(rt, from, address);
    if (!r.resolution.addresses.length) return undefined;
    resolution = r.resolution;
    address = r.resolution.addresses[0];
    hops.push({ where, what: `DNS: ${url.host} → ${address}`, detail: `${r.resolution.queries.length} quer${r.resolution.queries.length === 1 ? 'y' : 'ies'}`, verdict: 'pass' });
  }
  const sport = 32768 + rt.rng.int(28232);
  hops.push({ where, what: `nat OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT: REDIRECT ${address}:${url.port} to Envoy's outbound listener 127.0.0.1:15001`, detail: 'the connection never leaves the Pod: its own sidecar accepts it', verdict: 'dnat' });
  const conn: ConnectResult = {
    outcome: 'delivered', hopCount: 0, routers: 0, mtu: 65536, hops: [], latencyMs: 0.02, sourcePort: sport, address, resolution,
    server: { host: from, ip: address, port: url.port }, seenSource: src.ip,
  };
  const res: MeshResult = { conn, hops, elapsedMs: 0 };
  const domain = rt.settings.clusterDomain ?? 'cluster.local';
  const svc = topology(rt).servicesByClusterIp.get(address);
  const sp = svc ? (svc.spec?.ports ?? []).find((p: { port: number; protocol?: string }) => p.port === url.port && (p.protocol ?? 'TCP') === 'TCP') : undefined;
  const envoyWhere = `istio-proxy ${where}`;
  const requestId = uuid(rt);
  let ms = envoyCost(rt);
  if (!svc || !sp) {
    // PassthroughCluster (outboundTrafficPolicy ALLOW_ANY): Envoy connects to the original destination
    hops.push({ where: envoyWhere, what: `${address}:${url.port} is no Service port in the mesh: PassthroughCluster to the original destination`, detail: `Envoy +${ms.toFixed(2)} ms`, verdict: 'pass' });
    const w = sendPacket(rt, from, { ip: address, port: url.port, proto: 'tcp' }, { record: false });
    hops.push(...w.hops);
    if (w.outcome !== 'delivered' || !w.server) {
      const body = `upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: ${w.outcome === 'refused' ? 'Connection refused' : 'Connection timed out'}`;
      res.response = localReply(rt, 503, body, 'envoy');
      res.elapsedMs = w.outcome === 'refused' ? ms : 10_000;
      return res;
    }
    const ref = w.server.host.kind === 'pod' ? findPod(rt, (w.server.host as { namespace: string }).namespace, (w.server.host as { pod: string }).pod) : undefined;
    const sref: ServerRef = ref ? { kind: 'pod', pod: ref } : w.server.host.kind === 'node' ? { kind: 'node', node: (w.server.host as { node: string }).node } : { kind: 'external', ip: w.server.ip };
    const l = listenerOn(rt, sref, w.server.port, 'tcp', w.server.ip);
    if (!l) return undefined;
    const r = serveHttp({ cluster: rt, server: sref, listener: l, conn: { clientIp: w.seenSource ?? src.ip, clientPort: sport, localIp: w.server.ip, localPort: w.server.port } }, req);
    res.response = proxied(r, 'envoy', (w.latencyMs ?? 0) * 2);
    return res;
  }
  const host = serviceHost(svc, domain);
  const authority = header(req, 'host') ?? url.host;
  const vs = virtualServiceFor(rt, host);
  const route = vs ? ((vs.spec?.http ?? []) as Record<string, unknown>[]).find((h) => routeMatches(h.match as never, req)) : undefined;
  const routeName = vs ? (route?.name as string | undefined) ?? '-' : 'default';
  hops.push({ where: envoyWhere, what: vs ? `virtual host ${host}:${url.port}: VirtualService ${vs.metadata.namespace}/${vs.metadata.name}${route ? '' : ' (no route matches)'}` : `virtual host ${host}:${url.port}: default route to outbound|${url.port}||${host}`, detail: `Envoy +${ms.toFixed(2)} ms`, verdict: 'pass' });
  const logBase = (status: number, flags: string, details: string, body: string, upstream?: string, clusterName = `outbound|${url.port}||${host}`, upstreamTime?: number) => accessLog(rt, src, {
    req, status, flags, details, sent: byteLength(body), duration: ms, upstreamTime, requestId, authority, upstreamHost: upstream, cluster: clusterName, upstreamLocal: upstream ? `${src.ip}:${32768 + rt.rng.int(28232)}` : undefined, downstreamLocal: `${address}:${url.port}`, downstreamRemote: `${src.ip}:${sport}`, route: routeName,
  });
  if (vs && !route) {
    res.response = localReply(rt, 404, '', 'envoy');
    logBase(404, 'NR', 'route_not_found', '');
    return res;
  }
  // destinations: the route's weighted list, or the Service itself
  const dests: { d: Destination; weight: number }[] = [];
  for (const r of ((route?.route ?? []) as { destination?: { host?: string; subset?: string; port?: { number?: number } }; weight?: number }[])) {
    const dh = fqdn(r.destination?.host ?? '', vs!.metadata.namespace ?? 'default', domain);
    const dsvc = serviceByHost(rt, dh);
    if (!dsvc) continue;
    dests.push({ d: { svc: dsvc, port: r.destination?.port?.number ?? url.port, subset: r.destination?.subset }, weight: r.weight ?? ((route!.route as unknown[]).length === 1 ? 100 : 0) });
  }
  if (!dests.length) dests.push({ d: { svc, port: url.port }, weight: 100 });
  const total = dests.reduce((n, x) => n + x.weight, 0) || 1;
  let draw = rt.rng.next() * total;
  let chosen = dests[dests.length - 1].d;
  for (const x of dests) {
    if (draw < x.weight) {
      chosen = x.d;
      break;
    }
    draw -= x.weight;
  }
  const chost = serviceHost(chosen.svc, domain);
  const clusterName = `outbound|${chosen.port}|${chosen.subset ?? ''}|${chost}`;
  // the fault filter runs before the router: delays first, then aborts
  const fault = route?.fault as { delay?: { fixedDelay?: string; percentage?: { value?: number } }; abort?: { httpStatus?: number; percentage?: { value?: number } } } | undefined;
  if (fault?.delay && percentHit(rt, fault.delay.percentage)) {
    const d = durationMs(fault.delay.fixedDelay) ?? 0;
    ms += d;
    hops.push({ where: envoyWhere, what: `fault filter: delay ${fault.delay.fixedDelay} (VirtualService ${vs!.metadata.name})`, verdict: 'pass' });
  }
  if (fault?.abort?.httpStatus && percentHit(rt, fault.abort.percentage)) {
    const body = 'fault filter abort';
    hops.push({ where: envoyWhere, what: `fault filter: abort with HTTP ${fault.abort.httpStatus}; the request never leaves the Pod`, verdict: 'reject' });
    res.response = localReply(rt, fault.abort.httpStatus, body, 'envoy');
    logBase(fault.abort.httpStatus, 'FI', 'fault_filter_abort', body, undefined, clusterName);
    res.elapsedMs = ms;
    return res;
  }
  if (dests.length > 1) hops.push({ where: envoyWhere, what: `weighted route: ${dests.map((x) => `${x.d.subset ?? x.d.svc.metadata.name} ${x.weight}%`).join(', ')} → ${clusterName}`, verdict: 'pass' });
  const csp = (chosen.svc.spec?.ports ?? []).find((p: { port: number }) => p.port === chosen.port);
  if (!csp) {
    res.response = localReply(rt, 503, '', 'envoy');
    logBase(503, 'NC', 'cluster_not_found', '', undefined, clusterName);
    return res;
  }
  let eps = serviceEndpoints(rt, chosen.svc, csp).filter((e) => e.ready && e.pod);
  if (chosen.subset) {
    const dr = destinationRuleFor(rt, chost, src.namespace);
    const subset = ((dr?.spec?.subsets ?? []) as { name: string; labels?: Record<string, string> }[]).find((s) => s.name === chosen.subset);
    if (!subset) {
      hops.push({ where: envoyWhere, what: `no DestinationRule defines subset ${chosen.subset} of ${chost}: cluster ${clusterName} does not exist`, verdict: 'reject' });
      res.response = localReply(rt, 503, '', 'envoy');
      logBase(503, 'NC', 'cluster_not_found', '', undefined, clusterName);
      res.elapsedMs = ms;
      return res;
    }
    eps = eps.filter((e) => selectorMatches({ matchLabels: subset.labels ?? {} }, e.pod!.labels));
  }
  if (!eps.length) {
    const body = 'no healthy upstream';
    hops.push({ where: envoyWhere, what: `${clusterName} has no ready endpoint: 503 no healthy upstream`, verdict: 'reject' });
    res.response = localReply(rt, 503, body, 'envoy');
    logBase(503, 'UH', 'no_healthy_upstream', body, undefined, clusterName);
    res.elapsedMs = ms;
    return res;
  }
  const policy = retryPolicy(route?.retries as never);
  const timeoutMs = durationMs(route?.timeout);
  const tried = new Set<string>();
  let upstreamMs = 0;
  let last: { response?: HttpResponse; flags: string; details: string; failure?: string; upstream?: string; connectFailure?: boolean; reset?: boolean; timeout?: boolean } | undefined;
  for (let attempt = 1; attempt <= policy.num + 1; attempt++) {
    // least-request over equal loads is a random pick; previous_hosts skips hosts already tried
    const fresh = eps.filter((e) => !tried.has(`${e.ip}:${e.port}`));
    const pool = fresh.length ? fresh : eps;
    const ep = pool[rt.rng.int(pool.length)];
    tried.add(`${ep.ip}:${ep.port}`);
    const upstream = `${ep.ip}:${ep.port}`;
    const dst = ep.pod!;
    const mtls = hasSidecar(dst.obj) && dst.obj.metadata.labels?.['security.istio.io/tlsMode'] === 'istio';
    hops.push({ where: envoyWhere, what: `router: attempt ${attempt} → ${upstream} (${dst.namespace}/${dst.name})${mtls ? ' over mTLS (auto mTLS: the endpoint has a sidecar)' : ' in plaintext (the endpoint has no sidecar)'}`, detail: `as uid 1337: ISTIO_OUTPUT returns it, no second capture; kube-proxy's ClusterIP rules are not involved`, verdict: 'pass' });
    const w = sendPacket(rt, from, { ip: ep.ip, port: ep.port, proto: 'tcp' }, { record: false });
    hops.push(...w.hops);
    const net = (w.latencyMs ?? 0.1) * 2;
    let perTry: typeof last;
    let attemptMs = net;
    if (w.outcome === 'delivered' || (w.outcome === 'refused' && hasSidecar(dst.obj) && proxyRunning(dst.obj) && inboundCaptured(dst.obj, ep.port))) {
      const upReq: HttpRequest = { ...req, headers: [...req.headers, ['x-envoy-attempt-count', String(attempt)], ['x-request-id', requestId]] };
      const inb = meshInbound(rt, dst, ep.port, upReq, { ip: src.ip, port: sport, mtls, identity: spiffeId(src.obj) }, mtls ? `outbound_.${chosen.port}_.${chosen.subset ?? ''}_.${chost}` : undefined);
      if (inb) {
        hops.push(...inb.hops);
        attemptMs += inb.ms;
        if (inb.reset) perTry = { flags: 'UC', details: 'upstream_reset_before_response_started{connection_termination}', upstream, reset: true };
        else perTry = { response: inb.response, flags: '-', details: 'via_upstream', upstream };
      } else if (w.outcome === 'delivered' && w.server) {
        const l = listenerOn(rt, { kind: 'pod', pod: dst }, ep.port, 'tcp', ep.ip);
        if (l) {
          const r = serveHttp({ cluster: rt, server: { kind: 'pod', pod: dst, container: l.container }, listener: l, conn: { clientIp: w.seenSource ?? src.ip, clientPort: sport, localIp: ep.ip, localPort: ep.port } }, upReq);
          attemptMs += 0.1 + rt.rng.next() * 0.4;
          perTry = r.empty ? { flags: 'UC', details: 'upstream_reset_before_response_started{connection_termination}', upstream, reset: true } : { response: r, flags: '-', details: 'via_upstream', upstream };
        } else perTry = { flags: 'UF', details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}', failure: 'delayed_connect_error:_Connection_refused', upstream, connectFailure: true };
      } else perTry = { flags: 'UF', details: 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}', failure: 'delayed_connect_error:_Connection_refused', upstream, connectFailure: true };
    } else if (w.outcome === 'refused' || w.outcome === 'unreachable') {
      perTry = { flags: 'UF', details: `upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_${w.outcome === 'refused' ? 'Connection_refused' : 'No_route_to_host'}}`, failure: `delayed_connect_error:_${w.outcome === 'refused' ? 'Connection_refused' : 'No_route_to_host'}`, upstream, connectFailure: true };
    } else {
      // dropped: the cluster's connect timeout (10s) unless a per-try or route timeout fires first
      attemptMs = 10_000;
      perTry = { flags: 'UF', details: 'upstream_reset_before_response_started{connection_timeout}', failure: 'connection_timeout', upstream, connectFailure: true };
    }
    if (policy.perTryMs !== undefined && attemptMs > policy.perTryMs) {
      attemptMs = policy.perTryMs;
      perTry = { flags: 'UT', details: 'upstream_per_try_timeout', upstream, timeout: true };
      hops.push({ where: envoyWhere, what: `perTryTimeout ${route?.retries && (route.retries as { perTryTimeout?: string }).perTryTimeout} fired on attempt ${attempt}`, verdict: 'drop' });
    }
    upstreamMs += attemptMs;
    last = perTry;
    if (timeoutMs !== undefined && upstreamMs >= timeoutMs) {
      upstreamMs = timeoutMs;
      last = { flags: 'UT', details: 'response_timeout', upstream, timeout: true };
      hops.push({ where: envoyWhere, what: `route timeout ${route?.timeout as string} reached: 504 upstream request timeout`, verdict: 'drop' });
      break;
    }
    const retry = attempt <= policy.num && retriable(policy, { status: perTry?.response?.status, connectFailure: perTry?.connectFailure, reset: perTry?.reset, timeout: perTry?.timeout });
    if (!retry) break;
    hops.push({ where: envoyWhere, what: `retry policy (${[...policy.on, ...policy.codes.map(String)].join(',')}) retries: ${perTry?.response ? `HTTP ${perTry.response.status}` : perTry?.details ?? 'failure'} from ${upstream}`, verdict: 'pass' });
    // Envoy's retry back-off: 25 ms base, jittered
    upstreamMs += 25 * (1 + rt.rng.int(2));
  }
  ms += upstreamMs;
  res.elapsedMs = ms;
  const attempts = tried.size;
  if (last?.response) {
    res.response = proxied(last.response, 'envoy', upstreamMs);
    logBase(last.response.status, attempts > 1 && last.response.status >= 500 ? 'URX' : '-', 'via_upstream', last.response.body, last.upstream, clusterName, upstreamMs);
    return res;
  }
  let body: string;
  let status = 503;
  let flags = last?.flags ?? 'UF';
  if (last?.timeout && last.details === 'response_timeout') {
    status = 504;
    body = 'upstream request timeout';
  } else if (last?.timeout) {
    status = 504;
    body = 'upstream request timeout';
  } else if (last?.reset) {
    body = `upstream connect error or disconnect/reset before headers. ${attempts > 1 ? 'retried and the latest ' : ''}reset reason: connection termination`;
  } else {
    const reason = (last?.failure ?? 'delayed_connect_error:_Connection_refused').replace(/_/g, ' ');
    body = `upstream connect error or disconnect/reset before headers. ${attempts > 1 ? 'retried and the latest ' : ''}reset reason: ${last?.failure === 'connection_timeout' ? 'connection timeout' : `remote connection failure, transport failure reason: ${reason}`}`;
  }
  if (attempts > 1 && status === 503) flags = `${flags},URX`;
  res.response = localReply(rt, status, body, 'envoy');
  logBase(status, flags, last?.details ?? 'upstream_reset_before_response_started', body, last?.upstream, clusterName);
  return res;
}

/** The status line of a reply, for the trace. */
export function statusText(r: HttpResponse | undefined): string {
  return r ? `HTTP ${r.status} ${r.reason}` : 'no response';
}

export { podByIp };
