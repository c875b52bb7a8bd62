/**
 * An nginx whose only location proxies to one upstream host (AppKind 'nginx-proxy'): the
 * frontend of kubernetes.io's *Connect a Frontend to a Backend Using Services*,
 * gcr.io/google-samples/hello-frontend:1.0 (kubernetes/website
 * content/en/examples/service/access/Dockerfile: FROM nginx:1.9.14 with frontend.conf —
 * `upstream Backend { server hello; }`, `listen 80`, `location / { proxy_pass http://Backend; }`).
 *
 * What nginx does with a request (ngx_http_proxy_module defaults): it connects to the
 * upstream's address (port 80) and sends the request as HTTP/1.0 with `Host: Backend`
 * ($proxy_host, the upstream's name) and `Connection: close` in place of the client's, the
 * client's other headers after them. The reply carries nginx's own Server and Date (the
 * upstream's are hidden: proxy_hide_header's defaults), the upstream's Content-Type,
 * Content-Length, Last-Modified and Location in the header filter's order, `Connection:
 * keep-alive`, then the upstream's other headers. A refused or reset connection is nginx's
 * 502 page, a connect timeout (proxy_connect_timeout 60s) its 504.
 *
 * nginx resolves `hello` once, at start-up, through the system resolver (the Pod's
 * resolv.conf search list); here the name is resolved per request. A frontend started before
 * the Service exists really exits with `[emerg] host not found in upstream "hello"`: that
 * start-up failure is not modelled (the request gets the 502 instead).
 */
import type { NetCluster } from './ports';
import type { TraceHop } from '../types';
import { connect } from './walk';
import { httpDate, listenerOn, nginxErrorPage, reasonPhrase, serveHttp, serverRefFor, type HttpRequest, type HttpResponse, type Listener, type ServerRef } from './apps';

function page(status: number, version: string, date: string, hops: TraceHop[]): HttpResponse {
  const body = nginxErrorPage(status, version);
  return { status, reason: reasonPhrase(status), headers: [['Server', `nginx/${version}`], ['Date', date], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'keep-alive']], body, hops };
}

/** The frontend's answer to one request that reached it on `listener` (an 'nginx-proxy' socket). */
export function nginxProxyServe(cluster: NetCluster, server: ServerRef, listener: Listener, req: HttpRequest): HttpResponse {
  const version = listener.params?.version ?? '1.9.14';
  const upstream = listener.params?.upstream ?? 'hello';
  const port = Number(listener.params?.upstreamPort ?? 80);
  const date = httpDate(cluster.clock.now());
  const hops: TraceHop[] = [];
  if (server.kind !== 'pod') return page(502, version, date, hops);
  const from = { kind: 'pod' as const, namespace: server.pod.namespace, pod: server.pod.name, container: listener.container };
  const w = connect(cluster, from, upstream, port, 'tcp', { record: false });
  hops.push(...w.hops.map((h) => ({ ...h, where: `upstream: ${h.where}` })));
  if (w.outcome === 'timeout') {
    cluster.advance(60_000); // proxy_connect_timeout's default
    return page(504, version, httpDate(cluster.clock.now()), hops);
  }
  if (w.outcome !== 'delivered' || !w.server) return page(502, version, date, hops);
  const ref = serverRefFor(cluster, w.server.host as { kind: string; namespace?: string; pod?: string; node?: string; ip?: string });
  const l = ref ? listenerOn(cluster, ref, w.server.port, 'tcp', w.server.ip) : undefined;
  if (!ref || !l) return page(502, version, date, hops);
  const srv: ServerRef = l.pod ? { kind: 'pod', pod: l.pod, container: l.container } : ref;
  const headers: [string, string][] = [['Host', 'Backend'], ['Connection', 'close'], ...req.headers.filter(([k]) => !['host', 'connection'].includes(k.toLowerCase()))];
  const up = serveHttp({ cluster, server: srv, listener: l, conn: { clientIp: w.seenSource ?? server.pod.ip, clientPort: 40000 + cluster.rng.int(20000), localIp: w.server.ip, localPort: w.server.port } }, { ...req, headers });
  if (up.empty) return page(502, version, date, hops);
  // ngx_http_header_filter_module: Server, Date, Content-Type, Content-Length, Last-Modified,
  // Location, Connection; then the upstream's remaining headers as they came
  const fixed = ['content-type', 'content-length', 'last-modified', 'location'];
  const upHeader = (name: string) => up.headers.filter(([k]) => k.toLowerCase() === name);
  const out: [string, string][] = [
    ['Server', `nginx/${version}`],
    ['Date', date],
    ...fixed.flatMap(upHeader),
    ['Connection', 'keep-alive'],
    ...up.headers.filter(([k]) => ![...fixed, 'date', 'server', 'connection', 'keep-alive', 'transfer-encoding'].includes(k.toLowerCase())),
  ];
  return { status: up.status, reason: up.reason, headers: out, body: up.body, hops: [...hops, ...(up.hops ?? [])] };
}
