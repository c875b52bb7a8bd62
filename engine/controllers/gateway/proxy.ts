/**
 * What an Envoy managed by Envoy Gateway does with a request that reached its listener
 * (container port 10080 for a Gateway listener on 80). The configuration is the
 * translation (translate.ts); Envoy's behaviour follows its HTTP connection manager and router:
 *
 * - Virtual host by the Host header (port ignored): an exact domain, then the longest
 *   `*.suffix`, then `*`. None → 404 with an empty body (route_not_found, flag NR).
 * - The first route of the virtual host whose path, method, headers and query parameters
 *   all match (Exact: equal; PathPrefix: whole path segments; RegularExpression: the whole
 *   path, RE2). None → 404 NR.
 * - Filters: RequestRedirect answers at once (302 unless statusCode says otherwise,
 *   `location` built as the Gateway API specifies), URLRewrite (hostname, full path or prefix),
 *   RequestHeaderModifier and ResponseHeaderModifier (set, add, remove).
 * - A backend is drawn by weight (cluster.rng); an invalid backendRef keeps its share and
 *   answers 500 (Envoy Gateway's direct response), a rule without backends answers 500;
 *   a Service without ready endpoints → 503 "no healthy upstream" (UH); a refused
 *   connection → 503 upstream connect error (UF).
 * - Envoy talks to the endpoints (pod IPs) itself, adds x-forwarded-for, x-forwarded-proto,
 *   x-envoy-external-address and x-request-id upstream, and answers with the upstream's
 *   headers (lower case), `x-envoy-upstream-service-time` and `server: envoy`.
 * - Every request writes Envoy Gateway's default JSON access log line
 *   (internal/xds/translator/accesslog.go EnvoyJSONLogFields, keys sorted as Envoy's JSON
 *   formatter writes them) to the envoy container's log.
 */
import type { ClusterRuntime } from '../runtime';
import type { KubeObject } from '../../cluster/types';
import type { TraceHop } from '../../types';
import { sendPacket } from '../../dataplane/walk';
import { appendLog, byteLength, header, httpDate, listenerOn, reasonPhrase, serveHttp, type Conn, type HttpRequest, type HttpResponse, type Listener, type ServerRef } from '../../dataplane/apps';
import { serviceEndpoints } from '../../dataplane/topology';
import { compileJsPattern } from '../../patterns';
import { certificateForSni } from '../../tls/serve';
import type { Certificate } from '../../tls/x509';
import type { Backend, EnvoyListener, Filter, HeaderModifier, PathModifier, VirtualHost, XdsRoute } from './translate';

export interface GatewayResult {
  response: HttpResponse;
  /** The chain an HTTPS listener presented, leaf first (from its TLS Secret). */
  cert?: { chain: Certificate[] };
}

/**
 * The certificate an HTTPS listener presents: the Secret of the filter chain whose hostname
 * matches the SNI (else the listener's first), loaded as Go's tls.X509KeyPair would. A
 * Secret that does not load presents nothing (Envoy Gateway reports ResolvedRefs=False).
 */
export function certificateFromSecret(cluster: ClusterRuntime, secret: KubeObject, sni: string | undefined): GatewayResult['cert'] {
  const served = certificateForSni(cluster, [{ namespace: secret.metadata.namespace ?? 'default', name: secret.metadata.name }], sni);
  return 'pair' in served ? { chain: served.pair.chain } : undefined;
}

/** The chain an Envoy listener presents for `sni` (the Host header's name when there is no SNI). */
function listenerCertificate(cluster: ClusterRuntime, el: EnvoyListener, sni: string | undefined, host: string): GatewayResult['cert'] {
  const name = sni ?? host;
  const c = el.certificates.find((x) => !x.hostname || x.hostname === name || (x.hostname.startsWith('*.') && name.endsWith(x.hostname.slice(1)))) ?? el.certificates[0];
  return c ? certificateFromSecret(cluster, c.secret, sni) : undefined;
}

/** The chain a Gateway's HTTPS listener presents to a bare handshake (openssl s_client). */
export function gatewayCertificate(cluster: ClusterRuntime, listener: Listener, sni: string | undefined): GatewayResult['cert'] {
  const t = cluster.gateway.current().gateways.get(listener.params?.gateway ?? '');
  const el = t?.envoy.find((e) => String(e.port) === listener.params?.port);
  return el ? listenerCertificate(cluster, el, sni, sni ?? '') : undefined;
}

/** Envoy's domain matching: exact, then the longest wildcard suffix, then `*`. */
export function selectVirtualHost(hosts: VirtualHost[], host: string): VirtualHost | undefined {
  const exact = hosts.find((v) => v.domain === host);
  if (exact) return exact;
  const wild = hosts.filter((v) => v.domain.startsWith('*.') && host.endsWith(v.domain.slice(1)) && host.length > v.domain.length - 1).sort((a, b) => b.domain.length - a.domain.length);
  return wild[0] ?? hosts.find((v) => v.domain === '*');
}

function splitPath(p: string): { path: string; query: string } {
  const q = p.indexOf('?');
  return q >= 0 ? { path: p.slice(0, q), query: p.slice(q + 1) } : { path: p, query: '' };
}

function queryValue(query: string, name: string): string | undefined {
  for (const kv of query.split('&')) {
    if (!kv) continue;
    const eq = kv.indexOf('=');
    const k = eq >= 0 ? kv.slice(0, eq) : kv;
    if (k === name) return decodeURIComponent((eq >= 0 ? kv.slice(eq + 1) : '').replace(/\+/g, ' '));
  }
  return undefined;
}

/** A whole-string RE2 match (Envoy's safe_regex matches the full value). */
function fullMatch(pattern: string, value: string): boolean {
  try {
    return compileJsPattern(`^(?:${pattern})$`).test(value);
  } catch {
    return false; // Envoy Gateway rejects a pattern RE2 cannot compile: the route never matches
  }
}

function pathMatches(r: XdsRoute, path: string): boolean {
  const v = r.path.value;
  if (r.path.type === 'Exact') return path === v;
  if (r.path.type === 'RegularExpression') return fullMatch(v, path);
  // path_separated_prefix: the prefix is whole segments of the path
  const prefix = v.length > 1 ? v.replace(/\/+$/, '') : v;
  if (prefix === '/') return path.startsWith('/');
  return path === prefix || path.startsWith(prefix + '/');
}

export function routeMatches(r: XdsRoute, req: HttpRequest): boolean {
  const { path, query } = splitPath(req.path);
  if (!pathMatches(r, path)) return false;
  if (r.method && r.method !== req.method) return false;
  for (const h of r.headers) {
    const v = header(req, h.name);
    if (v === undefined || (h.type === 'RegularExpression' ? !fullMatch(h.value, v) : v !== h.value)) return false;
  }
  for (const q of r.queryParams) {
    const v = queryValue(query, q.name);
    if (v === undefined || (q.type === 'RegularExpression' ? !fullMatch(q.value, v) : v !== q.value)) return false;
  }
  return true;
}

function modifyHeaders(headers: [string, string][], m: HeaderModifier | undefined): [string, string][] {
  if (!m) return headers;
  let out = headers.filter(([k]) => !(m.remove ?? []).some((r) => r.toLowerCase() === k.toLowerCase()));
  for (const s of m.set ?? []) {
    out = out.filter(([k]) => k.toLowerCase() !== s.name.toLowerCase());
    out.push([s.name.toLowerCase(), s.value]);
  }
  for (const a of m.add ?? []) out.push([a.name.toLowerCase(), a.value]);
  return out;
}

/** The path after a ReplaceFullPath or ReplacePrefixMatch modifier (Gateway API semantics). */
function rewritePath(r: XdsRoute, path: string, mod: PathModifier | undefined): string {
  if (!mod) return path;
  if (mod.type === 'ReplaceFullPath') return mod.replaceFullPath ?? '/';
  const prefix = r.path.value.replace(/\/+$/, '');
  const rest = path.slice(prefix.length);
  const repl = (mod.replacePrefixMatch ?? '/').replace(/\/+$/, '');
  const out = repl + rest;
  return out === '' ? '/' : out.startsWith('/') ? out : `/${out}`;
}

function pickBackend(cluster: ClusterRuntime, backends: Backend[]): Backend | undefined {
  const total = backends.reduce((n, b) => n + b.weight, 0);
  if (total <= 0) return undefined;
  let x = cluster.rng.int(total);
  for (const b of backends) {
    if (x < b.weight) return b;
    x -= b.weight;
  }
  return undefined;
}

interface LogFields {
  details: string;
  flags: string;
  route?: string;
  upstreamCluster?: string;
  upstreamHost?: string;
  upstreamLocal?: string;
  serviceTime?: string;
  originalPath: string;
  sni?: string;
}

/** Envoy Gateway's default access log: EnvoyJSONLogFields as Envoy's JSON formatter writes them (sorted keys, numbers bare, `-` as null). */
function accessLog(cluster: ClusterRuntime, server: ServerRef, conn: Conn, req: HttpRequest, r: HttpResponse, xff: string, requestId: string, f: LogFields & { tls: boolean }): void {
  const tlsConn = f.tls;
  const fields: Record<string, string | number | null> = {
    ':authority': header(req, 'host') ?? null,
    bytes_received: byteLength(req.body),
    bytes_sent: byteLength(r.body),
    connection_termination_details: null,
    downstream_local_address: `${conn.localIp}:${conn.localPort}`,
    downstream_remote_address: `${conn.clientIp}:${conn.clientPort}`,
    duration: f.upstreamHost ? 1 : 0,
    method: req.method,
    // curl and Envoy agree on h2 through ALPN over TLS
    protocol: tlsConn ? 'HTTP/2' : 'HTTP/1.1',
    requested_server_name: f.sni ?? null,
    response_code: r.status,
    response_code_details: f.details,
    response_flags: f.flags,
    route_name: f.route ?? null,
    start_time: new Date(cluster.clock.now()).toISOString(),
    upstream_cluster: f.upstreamCluster ?? null,
    upstream_host: f.upstreamHost ?? null,
    upstream_local_address: f.upstreamLocal ?? null,
    upstream_transport_failure_reason: null,
    'user-agent': header(req, 'user-agent') ?? null,
    'x-envoy-origin-path': f.originalPath,
    'x-envoy-upstream-service-time': f.serviceTime ?? null,
    'x-forwarded-for': xff,
    'x-request-id': requestId,
  };
  const sorted = Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  appendLog(cluster, server, 'envoy', JSON.stringify(sorted));
}

function uuid(cluster: ClusterRuntime): string {
  const r = cluster.rng;
  return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(4)]}${r.hex(3)}-${r.hex(12)}`;
}

/** One request at an Envoy listener of a Gateway. */
export function gatewayServe(cluster: ClusterRuntime, server: ServerRef, listener: Listener, req: HttpRequest, conn: Conn, tls: boolean, sni?: string): GatewayResult {
  const hops: TraceHop[] = [];
  const gwKey = listener.params?.gateway ?? '';
  const where = server.kind === 'pod' ? `envoy ${server.pod.namespace}/${server.pod.name}` : 'envoy';
  const t = cluster.gateway.current().gateways.get(gwKey);
  const el: EnvoyListener | undefined = t?.envoy.find((e) => String(e.port) === listener.params?.port);
  const hostHeader = header(req, 'host') ?? conn.localIp;
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  const date: [string, string] = ['date', httpDate(cluster.clock.now())];
  const requestId = uuid(cluster);
  const xff = [header(req, 'x-forwarded-for'), conn.clientIp].filter(Boolean).join(',');
  const originalPath = req.path;
  const cert = tls && el ? listenerCertificate(cluster, el, sni, host) : undefined;
  const local = (status: number, details: string, flags: string, extra: Partial<LogFields> = {}, body = '', headers: [string, string][] = []): GatewayResult => {
    const hs: [string, string][] = [...headers];
    if (body) hs.push(['content-length', String(byteLength(body))], ['content-type', 'text/plain']);
    hs.push(date, ['server', 'envoy']);
    if (!body) hs.push(['content-length', '0']);
    const response: HttpResponse = { status, reason: statusText(status), headers: hs, body, hops };
    accessLog(cluster, server, conn, req, response, xff, requestId, { details, flags, originalPath, sni, tls, ...extra });
    return { response, cert };
  };
  const vh = el ? selectVirtualHost(el.virtualHosts, host) : undefined;
  if (!vh) {
    hops.push({ where, what: `no virtual host for "${host}" on the listener ${listener.params?.port ?? ''}: 404 (route_not_found)`, verdict: 'reject' });
    return local(404, 'route_not_found', 'NR');
  }
  const route = vh.routes.find((r) => routeMatches(r, req));
  if (!route) {
    hops.push({ where, what: `virtual host ${vh.domain}: no route matches ${req.method} ${splitPath(req.path).path}: 404 (route_not_found)`, verdict: 'reject' });
    return local(404, 'route_not_found', 'NR');
  }
  const routeRef = `${route.route.kind} ${route.route.metadata.namespace}/${route.route.metadata.name} rule ${route.rule}`;
  const filters: Filter[] = route.filters;
  const redirect = filters.find((f) => f.type === 'RequestRedirect')?.requestRedirect;
  if (redirect) {
    const { path, query } = splitPath(req.path);
    const scheme = redirect.scheme ?? (tls ? 'https' : 'http');
    const hostname = redirect.hostname ?? host;
    const port = redirect.port ?? (redirect.scheme ? undefined : Number(listener.params?.port));
    const wellKnown = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
    const newPath = rewritePath(route, path, redirect.path);
    const location = `${scheme}://${hostname}${port && !wellKnown ? `:${port}` : ''}${newPath}${query ? `?${query}` : ''}`;
    const status = redirect.statusCode ?? 302;
    hops.push({ where, what: `${routeRef}: RequestRedirect ${status} → ${location}`, verdict: 'pass' });
    return local(status, 'direct_response', '-', { route: route.name }, '', [['location', location]]);
  }
  const rewrite = filters.find((f) => f.type === 'URLRewrite')?.urlRewrite;
  const reqMod = filters.find((f) => f.type === 'RequestHeaderModifier')?.requestHeaderModifier;
  const respMod = filters.find((f) => f.type === 'ResponseHeaderModifier')?.responseHeaderModifier;
  const backend = pickBackend(cluster, route.backends);
  if (!backend || backend.error) {
    hops.push({ where, what: `${routeRef}: ${backend?.error ? `backend ${backend.namespace}/${backend.name} is invalid (${backend.error.reason})` : 'no backend'}: 500 (direct response)`, verdict: 'reject' });
    return local(500, 'direct_response', '-', { route: route.name });
  }
  const svc = cluster.store.get('Service', backend.namespace, backend.name);
  const sp = ((svc?.spec?.ports ?? []) as { port: number; name?: string; protocol?: string }[]).find((p) => p.port === backend.port);
  const eps = svc && sp ? serviceEndpoints(cluster, svc, sp).filter((e) => e.ready) : [];
  if (eps.length === 0) {
    hops.push({ where, what: `${routeRef} → service ${backend.namespace}/${backend.name}:${backend.port} has no ready endpoints: 503 (no healthy upstream)`, verdict: 'reject' });
    return local(503, 'no_healthy_upstream', 'UH', { route: route.name, upstreamCluster: route.cluster }, 'no healthy upstream');
  }
  const ep = eps.length === 1 ? eps[0] : eps[cluster.rng.int(eps.length)];
  hops.push({ where, what: `${routeRef} (virtual host ${vh.domain}, ${route.path.type} ${route.path.value}) → ${backend.namespace}/${backend.name}:${backend.port} endpoint ${ep.ip}:${ep.port}`, verdict: 'pass' });
  if (server.kind !== 'pod') return local(503, 'no_healthy_upstream', 'UH', { route: route.name, upstreamCluster: route.cluster }, 'no healthy upstream');
  const from = { kind: 'pod' as const, namespace: server.pod.namespace, pod: server.pod.name, container: 'envoy' };
  const w = sendPacket(cluster, from, { ip: ep.ip, port: ep.port, proto: 'tcp' }, { record: false });
  hops.push(...w.hops.map((h) => ({ ...h, where: `upstream: ${h.where}` })));
  const upstreamHost = `${ep.ip}:${ep.port}`;
  const upstreamLocal = `${server.pod.ip}:${40000 + cluster.rng.int(20000)}`;
  const failBody = (reason: string) => `upstream connect error or disconnect/reset before headers. reset reason: ${reason}`;
  const upstreamServer: ServerRef | undefined = ep.pod ? { kind: 'pod', pod: ep.pod } : undefined;
  const ul = w.outcome === 'delivered' && upstreamServer ? listenerOn(cluster, upstreamServer, ep.port, 'tcp') : undefined;
  if (w.outcome === 'timeout') {
    cluster.advance(10000); // Envoy Gateway's default connect timeout
    return local(503, 'upstream_reset_before_response_started{connection_timeout}', 'UF', { route: route.name, upstreamCluster: route.cluster, upstreamHost }, failBody('connection timeout'));
  }
  if (!ul || !upstreamServer) {
    return local(503, 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}', 'UF', { route: route.name, upstreamCluster: route.cluster, upstreamHost }, failBody('remote connection failure, transport failure reason: delayed connect error: Connection refused'));
  }
  // the request Envoy sends upstream
  const { path } = splitPath(req.path);
  const query = splitPath(req.path).query;
  const newPath = rewrite?.path ? rewritePath(route, path, rewrite.path) + (query ? `?${query}` : '') : req.path;
  let upHeaders: [string, string][] = req.headers.map(([k, v]) => [k.toLowerCase(), v]);
  upHeaders = upHeaders.filter(([k]) => !['x-forwarded-for', 'x-forwarded-proto', 'x-request-id', 'x-envoy-external-address'].includes(k));
  if (rewrite?.hostname) upHeaders = upHeaders.map(([k, v]) => (k === 'host' ? ['host', rewrite.hostname!] : [k, v]));
  upHeaders.push(['x-forwarded-for', xff], ['x-forwarded-proto', tls ? 'https' : 'http'], ['x-envoy-external-address', conn.clientIp], ['x-request-id', requestId]);
  if (newPath !== req.path) upHeaders.push(['x-envoy-original-path', req.path]);
  upHeaders = modifyHeaders(upHeaders, reqMod);
  for (const bf of backend.filters) if (bf.type === 'RequestHeaderModifier') upHeaders = modifyHeaders(upHeaders, bf.requestHeaderModifier);
  if (newPath !== req.path) hops.push({ where, what: `URLRewrite: ${req.path} → ${newPath}`, verdict: 'pass' });
  const up = serveHttp({ cluster, server: upstreamServer, listener: ul, conn: { clientIp: w.seenSource ?? server.pod.ip, clientPort: Number(upstreamLocal.split(':')[1]), localIp: ep.ip, localPort: ep.port } }, { ...req, path: newPath, headers: upHeaders });
  if (up.empty) {
    return local(503, 'upstream_reset_before_response_started{connection_termination}', 'UC', { route: route.name, upstreamCluster: route.cluster, upstreamHost, upstreamLocal }, failBody('connection termination'));
  }
  let headers: [string, string][] = up.headers.filter(([k]) => !['server', 'connection', 'keep-alive', 'transfer-encoding'].includes(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), v]);
  if (!headers.some(([k]) => k === 'content-length') && !headers.some(([k]) => k === 'transfer-encoding')) headers.push(['transfer-encoding', 'chunked']);
  headers.push(['x-envoy-upstream-service-time', '1']);
  headers = modifyHeaders(headers, respMod);
  for (const bf of backend.filters) if (bf.type === 'ResponseHeaderModifier') headers = modifyHeaders(headers, bf.responseHeaderModifier);
  headers.push(['server', 'envoy']);
  const response: HttpResponse = { status: up.status, reason: up.reason, headers, body: up.body, hops };
  accessLog(cluster, server, conn, req, response, xff, requestId, { details: 'via_upstream', flags: '-', route: route.name, upstreamCluster: route.cluster, upstreamHost, upstreamLocal, serviceTime: '1', originalPath, sni, tls });
  return { response, cert };
}

/** Envoy's reason phrases (Http::CodeUtility::toString). */
function statusText(status: number): string {
  const t: Record<number, string> = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
  return t[status] ?? reasonPhrase(status);
}
