/**
 * The applications inside the simulated containers, chosen by image — what listens on
 * which port and what it answers. The convention, explicitly:
 *
 * - Images we know run their real server on its real port, WHATEVER containerPort says
 *   (nginx listens on 80 even if the manifest declares 8080 — the classic mistake):
 *   nginx (80; nginx-unprivileged 8080), httpd (80), hashicorp/http-echo (-listen, 5678),
 *   ealen/echo-server (PORT, 80), jmalloc/echo-server and kicbase/echo-server (PORT, 8080),
 *   gateway-api echo-basic ($HTTP_PORT 3000, h2c on $H2C_PORT 3001),
 *   registry.k8s.io/echoserver (8080), agnhost netexec (--http-port 8080, --udp-port 8081)
 *   and serve-hostname (9376), coredns (53 UDP/TCP, 8080 /health, 8181 /ready, 9153),
 *   the ingress-nginx controller (80, 443, 10254 /healthz, 8443 webhook), and the common
 *   non-HTTP servers (redis 6379, postgres 5432, mysql/mariadb 3306, mongo 27017, memcached 11211).
 * - Client-only images (busybox, alpine, curlimages/curl, netshoot, debian, ubuntu) listen
 *   on nothing, unless their command starts a server (`nc -l -p N`, `httpd -p N`, netshoot's
 *   `iperf3 -s [-p N]` and `socat TCP-LISTEN:N,…`).
 * - Images named like *api* or *backend*, or any container with env NETLAB_APP=json, run a
 *   small JSON service on their declared TCP containerPorts (8080 if none): GET /health →
 *   {"status":"ok"}; other paths → a JSON description of the request.
 * - Any other image listens on its declared containerPorts; over HTTP it answers
 *   200 text/plain "Hello from <hostname>\n" (a stand-in for an app we cannot know).
 *
 * HTTP servers append an access-log line to the pod's container log through the logs
 * module, in the server's own format (nginx: the docker image's `main` format), with the
 * client address the server saw.
 */
import type { NetCluster } from './ports';
import { apiServerRequest } from './apiserver';
import type { KubeObject } from '../cluster/types';
import type { HostRef, TraceHop } from '../types';
import type { Protocol } from './packet';
import { bindFailures, imageName, imageTag, nginxVersion, runningAttempts, servedPorts, type AppKind, type ContainerSpec } from '../hosts/images';
import { findPod, hostNetworkPods, nodeByName, type PodInfo } from './topology';
import { internetHostByIp } from './internet';
import { byteLength } from '../hosts/vfs';
import { NGINX_MIME_TYPES } from '../hosts/nginx';
import { corednsBuild, versionInfo } from '../cluster/release';
import { startedListeners, startedNodeListeners, startedOwner, startedProcesses, type StartedProcess } from './started';

export type ServerRef =
  | { kind: 'pod'; pod: PodInfo; container?: string }
  | { kind: 'node'; node: string; container?: string }
  | { kind: 'external'; ip: string; container?: string };

export type { AppKind };

export interface Listener {
  port: number;
  proto: Protocol;
  container: string;
  app: AppKind;
  /** Speaks TLS on this port. */
  tls?: boolean;
  /** For the trace: "nginx 1.27.3", "coredns", … */
  description: string;
  /** App parameters: the http-echo text, the image version, … */
  params?: Record<string, string>;
  /** On a node address: the hostNetwork pod whose container opened the socket. */
  pod?: PodInfo;
}

export interface HttpRequest {
  method: string;
  /** Path with query, as sent on the request line. */
  path: string;
  headers: [string, string][];
  body: string;
  scheme: 'http' | 'https';
}

export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
  /** Hops an app added (an ingress controller's upstream connection). */
  hops?: TraceHop[];
  /** The connection closed without an HTTP response (a non-HTTP server). */
  empty?: boolean;
  /** The status line's protocol when the server wrote HTTP/1.0 (Go's raw 400 to plain HTTP on a TLS port); HTTP/1.1 otherwise. */
  httpVersion?: '1.0';
  /** With `empty`: the bytes a non-HTTP server wrote before it closed (iperf3's state byte), which an HTTP client reads as its status line. */
  raw?: string;
}

export interface Conn {
  clientIp: string;
  clientPort: number;
  localIp: string;
  localPort: number;
}

// ---- images -----------------------------------------------------------------------------

export { imageName, imageTag, nginxVersion };

/** The sockets one container opens: what its image serves (hosts/images.ts). */
export function containerListeners(c: ContainerSpec): Listener[] {
  return servedPorts(c).map((p) => ({ port: p.port, proto: p.proto, container: c.name, app: p.app, description: p.description, params: p.params, tls: p.tls }));
}

/**
 * The sockets open in a pod's network namespace: those of its containers whose process is
 * running. A crashed or waiting container (CrashLoopBackOff, ImagePullBackOff) holds no
 * socket, so the kernel answers its port with RST — the pod's sandbox is still there. The
 * containers share one port space: a process whose port another container already holds
 * failed to bind and holds nothing (hosts/images.ts bindFailures), even in the moment
 * before its exit is noticed.
 */
export function podListeners(pod: PodInfo): Listener[] {
  if (!pod.running) return [];
  const statuses: { name: string; state?: Record<string, unknown> }[] = pod.obj.status?.containerStatuses ?? [];
  const containers = (pod.obj.spec?.containers ?? []) as ContainerSpec[];
  const failed = bindFailures(runningAttempts(containers, statuses));
  const out: Listener[] = [];
  for (const c of containers) {
    const st = statuses.find((x) => x.name === c.name);
    if (st?.state && !('running' in st.state)) continue;
    if (failed.has(c.name)) continue;
    out.push(...containerListeners(c));
  }
  return out;
}

/** A node's own daemons, plus whatever its hostNetwork pods listen on. */
export function nodeListeners(cluster: NetCluster, node: string, opts: { loopback?: boolean } = {}): Listener[] {
  const info = nodeByName(cluster, node);
  const L = (port: number, app: AppKind, description: string, tls?: boolean): Listener => ({ port, proto: 'tcp', container: '', app, description, tls });
  // a stopped kubelet (systemctl stop kubelet) holds neither its API port nor its healthz: both are refused
  const kubelet = cluster.kubelet?.running(node) ?? true;
  const out: Listener[] = [L(22, 'ssh', 'sshd'), ...(kubelet ? [L(10250, 'kubelet', 'kubelet', true)] : []), L(10256, 'kube-proxy-health', 'kube-proxy healthz')];
  // Bound to 127.0.0.1 only: reachable from the node itself, not from its address.
  if (opts.loopback) out.push(...(kubelet ? [L(10248, 'kubelet-healthz', 'kubelet healthz')] : []), L(10249, 'kube-proxy-metrics', 'kube-proxy metrics'));
  if (info?.controlPlane) out.push(L(6443, 'apiserver', 'kube-apiserver', true), L(2379, 'tcp', 'etcd', true), L(2380, 'tcp', 'etcd peer', true), L(10257, 'tcp', 'kube-controller-manager', true), L(10259, 'tcp', 'kube-scheduler', true));
  for (const pi of hostNetworkPods(cluster, node)) {
    if (!pi.running) continue;
    // Felix's health endpoint binds 127.0.0.1 only
    out.push(...podListeners(pi).filter((l) => opts.loopback || l.description !== 'calico-node felix health').map((l) => ({ ...l, pod: pi })));
  }
  // servers started by hand in the node's shell or a hostNetwork Pod (started.ts)
  const alive = (p: StartedProcess) => {
    const pi = findPod(cluster, p.namespace, p.pod);
    return !!pi && pi.running && startedProcesses(cluster).inPod(pi, p.container).includes(p);
  };
  out.push(...startedNodeListeners(cluster, node, alive));
  // NodePort Services are not sockets: kube-proxy's rules catch them before any listener.
  // Its service health servers are: one per healthCheckNodePort, on every node address.
  for (const hs of cluster.serviceProxy.healthServers?.(node) ?? []) {
    out.push({ ...L(hs.port, 'kube-proxy-health', `kube-proxy service health ${hs.namespace}/${hs.name}`), params: { namespace: hs.namespace, name: hs.name, localEndpoints: String(hs.localEndpoints) } });
  }
  return out;
}

export function externalListeners(ip: string): Listener[] {
  const h = internetHostByIp(ip);
  if (!h) return [];
  return [
    ...h.tcp.map((port): Listener => ({ port, proto: 'tcp', container: '', app: port === 80 || port === 443 ? 'internet' : 'tcp', description: h.names[0], tls: port === 443, params: { host: h.names[0], web: h.web ?? 'plain' } })),
    ...h.udp.map((port): Listener => ({ port, proto: 'udp', container: '', app: 'udp', description: h.names[0] })),
  ];
}

export function listenerOn(cluster: NetCluster, server: ServerRef, port: number, proto: Protocol, localIp?: string): Listener | undefined {
  const loopback = !!localIp && localIp.startsWith('127.');
  const ls = server.kind === 'pod' ? (server.pod.hostNetwork ? nodeListeners(cluster, server.pod.node, { loopback }) : [...podListeners(server.pod), ...(cluster.proxyListeners?.listeners(server.pod) ?? []), ...startedListeners(cluster, server.pod)]) : server.kind === 'node' ? nodeListeners(cluster, server.node, { loopback }) : externalListeners(server.ip);
  return ls.find((l) => l.port === port && l.proto === proto);
}

// ---- HTTP -------------------------------------------------------------------------------

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function httpDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
}

/** nginx's $time_local: `15/Jan/2025:09:00:00 +0000`. */
export function nginxTimeLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function header(req: { headers: [string, string][] }, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

export { byteLength };

/**
 * nginx's docs/html/index.html from 604f4e6cd ("Improved welcome page", 2012) until the
 * dark-mode restyle (e455bcedf and b381cbc08, first in release-1.21.2): 612 bytes.
 */
export const NGINX_INDEX_HTML_OLD = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The welcome page shipped in nginx's html/index.html (docs/html/index.html in nginx's source) from 1.21.2: 615 bytes. */
export const NGINX_INDEX_HTML = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const REASONS: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

/**
 * nginx's built-in error page (src/http/ngx_http_special_response.c): CRLF line ends,
 * the version in the tail unless server_tokens is off (ingress-nginx turns it off).
 */
export function nginxErrorPage(status: number, serverTokens: string | null): string {
  // ngx_http_error_401_page says "Authorization Required" where the status line says "Unauthorized"
  const title = status === 401 ? '401 Authorization Required' : `${status} ${reasonPhrase(status)}`;
  const tail = serverTokens ? `<hr><center>nginx/${serverTokens}</center>\r\n` : '<hr><center>nginx</center>\r\n';
  // before 1.15.4 the pages' body carried bgcolor="white" (nginx 8117b3f5a "Removed bgcolor
  // attribute on body in error pages and autoindex", first in release-1.15.4)
  const body = serverTokens && olderNginx(serverTokens, '1.15.4') ? '<body bgcolor="white">' : '<body>';
  return `<html>\r\n<head><title>${title}</title></head>\r\n${body}\r\n<center><h1>${title}</h1></center>\r\n${tail}</body>\r\n</html>\r\n`;
}

/** Whether nginx `version` (`1.13.5`) is older than `than`. */
function olderNginx(version: string, than: string): boolean {
  const a = version.split('.').map(Number);
  const b = than.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** The welcome page a given nginx release installs: NGINX_INDEX_HTML from 1.21.2, NGINX_INDEX_HTML_OLD before. */
export function nginxIndexHtml(version: string): string {
  return olderNginx(version, '1.21.2') ? NGINX_INDEX_HTML_OLD : NGINX_INDEX_HTML;
}

function resp(status: number, headers: [string, string][], body: string): HttpResponse {
  return { status, reason: reasonPhrase(status), headers, body };
}

export interface ServeContext {
  cluster: NetCluster;
  server: ServerRef;
  listener: Listener;
  conn: Conn;
}

// ---- gateway-api echo-basic ---------------------------------------------------------------

/** Go's net/http StatusText (net/http/status.go). */
const GO_STATUS: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large', 414: 'Request URI Too Long', 415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

/**
 * A Go net/http response: the handler's header map sorted by key, then Date and Content-Length
 * (server.go extraHeader). A HEAD request gets the Content-Length of the body the handler wrote, without it.
 */
function goResp(status: number, mapHeaders: [string, string][], date: [string, string], body: string, sniffed?: string, head = false): HttpResponse {
  // Header.writeSubset: sorted keys, values trimmed (textproto.TrimString)
  const sorted = [...mapHeaders].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]): [string, string] => [k, v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')]);
  const bodyAllowed = !(status >= 100 && status < 200) && status !== 204 && status !== 304;
  const len = byteLength(body);
  // a handler that writes more than bufferBeforeChunkingSize (2048) bytes gets a chunked response
  const extra: [string, string][] = [['Date', date[1]]];
  if (bodyAllowed && len <= 2048) extra.push(['Content-Length', String(len)]);
  if (sniffed) extra.push(['Content-Type', sniffed]);
  if (bodyAllowed && len > 2048) extra.push(['Transfer-Encoding', 'chunked']);
  return { status, reason: GO_STATUS[status] ?? `status code ${status}`, headers: [...sorted, ...extra], body: head ? '' : body };
}

/** textproto.CanonicalMIMEHeaderKey: `x-request-id` → `X-Request-Id`; keys with invalid bytes stay as they are. */
function canonicalHeaderKey(k: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k)) return k;
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** encoding/json's string escaping beyond JSON.stringify's: <, >, & and U+2028/U+2029 (HTML-safe). */
function goJsonEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** time.ParseDuration's verdict on a ?delay= value: undefined when it parses, else Go's error text. */
function goDurationError(s: string): string | undefined {
  const q = JSON.stringify(s);
  if (s === '0' || /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/.test(s)) return undefined;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return `time: missing unit in duration ${q}`;
  const unit = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))*(?:\d+(?:\.\d*)?|\.\d+)([^\d.]+)/.exec(s);
  if (unit) return `time: unknown unit ${JSON.stringify(unit[1].replace(/\d.*$/, ''))} in duration ${q}`;
  return `time: invalid duration ${q}`;
}

/** An env var the app read: its literal value or the pod field the downward API filled it from. */
function envParamValue(l: Listener, server: ServerRef, key: string): string {
  const path = l.params?.[`${key}.fieldRef`];
  if (path === undefined) return l.params?.[key] ?? '';
  if (server.kind !== 'pod') return '';
  const pod = server.pod.obj;
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return String((label[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[label[2]] ?? '');
  let v: unknown = pod;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v === undefined || v === null ? '' : String(v);
}

/**
 * gateway-api conformance/echo-basic/echo-basic.go (v1.5.1): /health answers OK, /status/NNN
 * that status, /ws wants a WebSocket handshake, anything else the request echoed as indented
 * JSON (RequestAssertions: path, host, method, proto, headers by canonical key, httpPort and
 * the context from the env). The h2c port refuses HTTP/1.1 without an h2c upgrade.
 */
function serveEchoBasic(ctx: ServeContext, req: HttpRequest): HttpResponse {
  const { cluster, listener: l, server, conn } = ctx;
  const date: [string, string] = ['Date', httpDate(cluster.clock.now())];
  if (l.params?.h2c === 'true' && (header(req, 'upgrade') ?? '').toLowerCase() !== 'h2c') {
    return goResp(400, [], date, 'Expected h2c request', 'text/plain; charset=utf-8', req.method === 'HEAD');
  }
  // preserveSlashes: the mux routes on the path with // collapsed; RequestURI stays as sent
  const route = pathOnly(req.path).replace(/\/\//g, '/');
  const head = req.method === 'HEAD';
  if (route === '/health') return goResp(200, [], date, 'OK', 'text/plain; charset=utf-8', head);
  if (route.startsWith('/status/')) {
    const m = /^\/status\/(\d\d\d)$/.exec(req.path);
    return goResp(m ? Number(m[1]) : 400, [], date, '');
  }
  // golang.org/x/net/websocket: a failed handshake writes a bare status line on the hijacked connection
  if (route === '/ws' && (header(req, 'upgrade') ?? '').toLowerCase() !== 'websocket') return { status: 400, reason: 'Bad Request', headers: [], body: '' };
  appendLog(cluster, server, l.container, `Echoing back request made to ${req.path} to client (${conn.clientIp}:${conn.clientPort})`);
  const delay = queryParam(req.path, 'delay');
  const err = delay ? goDurationError(delay) : undefined;
  if (err !== undefined) return goResp(500, [['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff']], date, goJsonEscape(JSON.stringify({ message: err })), undefined, head);
  // r.Header: canonical keys, values in arrival order; Host moves to r.Host
  const headers: Record<string, string[]> = {};
  for (const [k, v] of req.headers) {
    if (k.toLowerCase() === 'host') continue;
    (headers[canonicalHeaderKey(k)] ??= []).push(v);
  }
  const sortedHeaders: Record<string, string[]> = {};
  for (const k of Object.keys(headers).sort()) sortedHeaders[k] = headers[k];
  const assertions = {
    path: req.path,
    host: header(req, 'host') ?? '',
    method: req.method,
    proto: 'HTTP/1.1',
    headers: sortedHeaders,
    httpPort: l.params?.httpPort ?? '3000',
    namespace: envParamValue(l, server, 'namespace'),
    ingress: envParamValue(l, server, 'ingress'),
    service: envParamValue(l, server, 'service'),
    pod: envParamValue(l, server, 'pod'),
  };
  const body = goJsonEscape(JSON.stringify(assertions, null, 1));
  // writeEchoResponseHeaders: X-Echo-Set-Header "Name: value, Other: value" sets response headers as written
  const map = new Map<string, string>();
  for (const [k, v] of req.headers) {
    if (canonicalHeaderKey(k) !== 'X-Echo-Set-Header') continue;
    for (const kv of v.split(',')) {
      const t = kv.trim();
      const i = t.indexOf(':');
      const name = i >= 0 ? t.slice(0, i) : t;
      const value = i >= 0 ? t.slice(i + 1) : '';
      map.set(name, map.has(name) ? `${map.get(name)},${value.trim()}` : value);
    }
  }
  map.set('Content-Type', 'application/json');
  map.set('X-Content-Type-Options', 'nosniff');
  return goResp(200, [...map], date, body, undefined, head);
}

function hostnameOf(server: ServerRef): string {
  if (server.kind === 'pod') return (server.pod.obj.spec?.hostname as string | undefined) ?? server.pod.name;
  if (server.kind === 'node') return server.node;
  return server.ip;
}

function pathOnly(p: string): string {
  const q = p.indexOf('?');
  return q >= 0 ? p.slice(0, q) : p;
}

function queryParam(p: string, name: string): string | undefined {
  const q = p.indexOf('?');
  if (q < 0) return undefined;
  for (const kv of p.slice(q + 1).split('&')) {
    const [k, v = ''] = kv.split('=');
    if (k === name) return decodeURIComponent(v.replace(/\+/g, ' '));
  }
  return undefined;
}

/** Appends a line to the container's log (what `kubectl logs` shows). */
export function appendLog(cluster: NetCluster, server: ServerRef, container: string, line: string): void {
  if (server.kind !== 'pod') return;
  cluster.logs.append(server.pod.namespace, server.pod.name, container, line);
}

function nginxAccessLog(ctx: ServeContext, req: HttpRequest, r: HttpResponse): string {
  const ua = header(req, 'user-agent') ?? '-';
  const ref = header(req, 'referer') ?? '-';
  const xff = header(req, 'x-forwarded-for') ?? '-';
  const size = req.method === 'HEAD' ? 0 : byteLength(r.body);
  return `${ctx.conn.clientIp} - - [${nginxTimeLocal(ctx.cluster.clock.now())}] "${req.method} ${req.path} HTTP/1.1" ${r.status} ${size} "${ref}" "${ua}" "${xff}"`;
}

// ---- nginx's static files ---------------------------------------------------------------

/**
 * The official image's conf.d/default.conf (pkg-oss nginx.default.conf): `location / { root
 * /usr/share/nginx/html; index index.html index.htm; }`, autoindex off; nginx.conf's
 * `default_type application/octet-stream` and `include /etc/nginx/mime.types`. nginx reads its
 * configuration when it starts, so a learner's edit of these files (without a restart, which
 * `nginx -s reload` is not simulated to be) changes nothing here.
 */
const NGINX_DOCROOT = '/usr/share/nginx/html';
const NGINX_INDEX = ['index.html', 'index.htm'];

let nginxTypes: Map<string, string> | undefined;

/** ngx_http_set_content_type: the extension after the URI's last dot (ngx_http_set_exten), lowercased, looked up in mime.types; else default_type. */
function nginxContentType(uri: string): string {
  if (!nginxTypes) {
    nginxTypes = new Map();
    const body = NGINX_MIME_TYPES.slice(NGINX_MIME_TYPES.indexOf('{') + 1, NGINX_MIME_TYPES.lastIndexOf('}'));
    for (const stmt of body.split(';')) {
      const [type, ...exts] = stmt.trim().split(/\s+/);
      // the first mention of an extension wins (ngx_http_types_block warns about duplicates and keeps it)
      if (type) for (const e of exts) if (!nginxTypes.has(e)) nginxTypes.set(e, type);
    }
  }
  for (let i = uri.length - 1; i >= 0 && uri[i] !== '/'; i--) {
    if (uri[i] === '.') return nginxTypes.get(uri.slice(i + 1).toLowerCase()) ?? 'application/octet-stream';
  }
  return 'application/octet-stream';
}

/**
 * ngx_http_parse_complex_uri (merge_slashes on): %XX decoded, `//` merged, `.` and `..`
 * segments resolved; a `..` above the root or a bad escape is a 400. The trailing slash is kept.
 */
function nginxUri(path: string): string | undefined {
  let decoded: string;
  if (/%(?![0-9a-fA-F]{2})/.test(path)) return undefined;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // bytes that are not UTF-8 name a file nobody wrote
    decoded = path.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  const out: string[] = [];
  const parts = decoded.split('/');
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  const last = parts[parts.length - 1];
  const slash = last === '' || last === '.' || last === '..';
  return '/' + out.join('/') + (slash && out.length ? '/' : '');
}

/** ngx_escape_uri(NGX_ESCAPE_URI): what a redirect's Location escapes. */
function nginxEscapeUri(uri: string): string {
  return Array.from(new TextEncoder().encode(uri), (b) => (b <= 0x20 || b >= 0x7f || b === 0x22 || b === 0x23 || b === 0x25 || b === 0x3f ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b))).join('');
}

/** The container whose filesystem a server's files are read from. */
function serverHost(server: ServerRef, l: Listener): HostRef | undefined {
  const pod = server.kind === 'pod' ? server.pod : l.pod;
  return pod ? { kind: 'pod', namespace: pod.namespace, pod: pod.name, container: l.container } : undefined;
}

/**
 * The official nginx image's one server as its default.conf configures it, over the files the
 * container's filesystem holds now (the image's index.html and 50x.html, whatever a learner or
 * the container's own command wrote or removed; hostPath mounts included):
 * - ngx_http_index_module: a URI ending in `/` is internally redirected to the first index
 *   file (index.html, index.htm) that exists; the directory missing is a 404;
 * - ngx_http_static_module: a regular file is 200 with Content-Type from mime.types (default
 *   application/octet-stream), Content-Length, Last-Modified and ETag (ngx_http_set_etag:
 *   `"%xT-%xO"` of the mtime in seconds and the size), Accept-Ranges; a missing file 404; a
 *   directory without the slash a 301 to it (absolute_redirect and port_in_redirect on: the
 *   Host header's name, the port unless 80); methods other than GET, HEAD and POST 405, POST to
 *   a file 405;
 * - ngx_http_core_content_phase: a directory URI no index file answers is 403 (autoindex off);
 * - error pages: ngx_http_special_response.c's, `Connection: close` after a 400.
 * (nginx release-1.27.3 src/http/modules/ngx_http_static_module.c, ngx_http_index_module.c,
 * src/http/ngx_http_core_module.c, ngx_http_header_filter_module.c.)
 */
function nginxStatic(ctx: ServeContext, req: HttpRequest, version: string): HttpResponse {
  const { cluster, listener: l, server, conn } = ctx;
  const fs = cluster.fs;
  const date: [string, string] = ['Date', httpDate(cluster.clock.now())];
  const serverHdr: [string, string] = ['Server', `nginx/${version}`];
  const error = (status: number, extra: [string, string][] = []): HttpResponse => {
    const body = nginxErrorPage(status, version);
    return resp(status, [serverHdr, date, ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ...extra, ['Connection', status === 400 ? 'close' : 'keep-alive']], body);
  };
  const q = req.path.indexOf('?');
  const args = q >= 0 ? req.path.slice(q + 1) : '';
  const parsed = nginxUri(q >= 0 ? req.path.slice(0, q) : req.path);
  if (parsed === undefined) return error(400);
  let uri = parsed;
  const host = serverHost(server, l);
  // the static module's first test, which a directory URI meets too once the index module declined
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return error(405);
  const at = (u: string) => NGINX_DOCROOT + (u === '/' ? '' : u.replace(/\/$/, ''));
  const isDir = (p: string) => (host ? fs.isDir(host, p) : p === NGINX_DOCROOT);
  const isFile = (p: string) => (host ? fs.isFile(host, p) : p === `${NGINX_DOCROOT}/index.html`);
  if (uri.endsWith('/')) {
    if (!isDir(at(uri))) return error(404);
    const index = NGINX_INDEX.find((name) => isFile(`${at(uri)}/${name}`));
    if (!index) return error(403);
    uri = `${uri}${index}`;
  }
  const file = at(uri);
  if (isDir(file)) {
    const name = (header(req, 'host') ?? conn.localIp).replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '[$1]');
    const port = conn.localPort === 80 ? '' : `:${conn.localPort}`;
    const location = `${req.scheme}://${name}${port}${nginxEscapeUri(uri)}/${args ? `?${args}` : ''}`;
    return error(301, [['Location', location]]);
  }
  if (!isFile(file)) return error(404);
  if (req.method === 'POST') return error(405);
  const st = host ? fs.stat(host, file) : undefined;
  const body = (host ? fs.read(host, file) : NGINX_INDEX_HTML) ?? '';
  const len = st?.size ?? byteLength(body);
  // the image's own files carry the release's build time; a written one its write's
  const mtime = st && !st.derived ? st.mtime : Number(l.params?.mtime ?? 0);
  return resp(200, [
    serverHdr,
    date,
    ['Content-Type', nginxContentType(uri)],
    ['Content-Length', String(len)],
    ['Last-Modified', httpDate(mtime)],
    ['Connection', 'keep-alive'],
    ['ETag', `"${Math.floor(mtime / 1000).toString(16)}-${len.toString(16)}"`],
    ['Accept-Ranges', 'bytes'],
  ], body);
}

/** Handles one HTTP request at a listener. The ingress controller is served by controllers/ingress. */
/** strconv.FormatFloat(f, 'g', -1, 64), as the Prometheus text format writes a sample: shortest digits, two-digit exponent. */
function goFloat(f: number): string {
  const exp = Math.floor(Math.log10(Math.abs(f)));
  if (f === 0 || (exp >= -4 && exp < 6)) return String(f);
  const [m, e] = f.toExponential().split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** When a Pod's container started (its status' running.startedAt), in ms. */
function containerStartedAt(pod: PodInfo, container: string): number | undefined {
  const statuses: { name: string; state?: { running?: { startedAt?: string } } }[] = pod.obj.status?.containerStatuses ?? [];
  const at = statuses.find((s) => s.name === container)?.state?.running?.startedAt;
  return at ? Date.parse(at) : undefined;
}

/** Go's time.Duration.String of a span in ms: `950ms`, `12.5s`, `1m3s`. */
function goDurationMs(ms: number): string {
  if (ms < 1000) return ms === 0 ? '0s' : `${ms}ms`;
  const m = Math.floor(ms / 60000);
  const s = (ms - m * 60000) / 1000;
  return `${m ? `${m}m` : ''}${s}s`;
}

export function serveHttp(ctx: ServeContext, req: HttpRequest): HttpResponse {
  const { cluster: cluster, listener: l, server, conn } = ctx;
  const now = cluster.clock.now();
  const date: [string, string] = ['Date', httpDate(now)];
  const path = pathOnly(req.path);
  switch (l.app) {
    case 'nginx': {
      const version = l.params?.version ?? '1.27.3';
      const r = nginxStatic(ctx, req, version);
      // a client's `Connection: close` (busybox wget sends it) turns keepalive off: ngx_http_header_filter says close
      if (/^close$/i.test(header(req, 'connection') ?? '')) r.headers = r.headers.map(([k, v]) => [k, k === 'Connection' ? 'close' : v]);
      appendLog(cluster, server, l.container, nginxAccessLog(ctx, req, r));
      return r;
    }
    case 'httpd': {
      const body = '<html><body><h1>It works!</h1></body></html>\n';
      const r = path === '/' || path === '/index.html'
        ? resp(200, [date, ['Server', 'Apache/2.4.62 (Unix)'], ['Last-Modified', 'Mon, 11 Jun 2007 18:53:14 GMT'], ['ETag', '"2d-432a5e4a73a80"'], ['Accept-Ranges', 'bytes'], ['Content-Length', '45'], ['Content-Type', 'text/html']], body)
        : resp(404, [date, ['Server', 'Apache/2.4.62 (Unix)'], ['Content-Length', '196'], ['Content-Type', 'text/html; charset=iso-8859-1']], `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n`);
      const ua = header(req, 'user-agent') ?? '-';
      appendLog(cluster, server, l.container, `${conn.clientIp} - - [${nginxTimeLocal(now)}] "${req.method} ${req.path} HTTP/1.1" ${r.status} ${req.method === 'HEAD' ? '-' : byteLength(r.body)}${ua ? '' : ''}`);
      return r;
    }
    case 'http-echo': {
      const body = `${l.params?.text ?? ''}\n`;
      appendLog(cluster, server, l.container, `${new Date(now).toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '/')} ${header(req, 'host') ?? ''} ${conn.clientIp}:${conn.clientPort} "${req.method} ${req.path} HTTP/1.1" 200 ${byteLength(body)} "${header(req, 'user-agent') ?? ''}" 12.5µs`);
      return resp(200, [['X-App-Name', 'http-echo'], ['X-App-Version', '1.0.0'], date, ['Content-Length', String(byteLength(body))], ['Content-Type', 'text/plain; charset=utf-8']], body);
    }
    case 'ealen-echo': {
      const headers: Record<string, string> = {};
      for (const [k, v] of req.headers) headers[k.toLowerCase()] = v;
      const body = JSON.stringify({
        host: { hostname: header(req, 'host')?.split(':')[0] ?? '', ip: `::ffff:${conn.clientIp}`, ips: [] },
        http: { method: req.method, baseUrl: '', originalUrl: req.path, protocol: req.scheme },
        request: { params: { '0': path }, query: {}, cookies: {}, body: {}, headers },
        environment: { HOSTNAME: hostnameOf(server), PORT: String(l.port) },
      });
      return resp(200, [['Content-Type', 'application/json; charset=utf-8'], ['Content-Length', String(byteLength(body))], ['ETag', `W/"${byteLength(body).toString(16)}-echo"`], date, ['Connection', 'keep-alive'], ['Keep-Alive', 'timeout=5']], body);
    }
    case 'jmalloc-echo': {
      let body = `Request served by ${hostnameOf(server)}\n\nHTTP/1.1 ${req.method} ${req.path}\n\n`;
      for (const [k, v] of req.headers) body += `${k}: ${v}\n`;
      if (req.body) body += `\n${req.body}`;
      return resp(200, [['Content-Type', 'text/plain'], date, ['Content-Length', String(byteLength(body))]], body);
    }
    case 'echo-basic':
      return serveEchoBasic(ctx, req);
    case 'echoserver': {
      const hdrs = [...req.headers].map(([k, v]) => [k.toLowerCase(), v]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const host = header(req, 'host') ?? conn.localIp;
      const q = req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '';
      let body = `\n\nHostname: ${hostnameOf(server)}\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\nRequest Information:\n\tclient_address=${conn.clientIp}\n\tmethod=${req.method}\n\treal path=${path}\n\tquery=${q}\n\trequest_version=1.1\n\trequest_scheme=${req.scheme}\n\trequest_uri=${req.scheme}://${host}:8080${req.path}\n\nRequest Headers:\n`;
      for (const [k, v] of hdrs) body += `\t${k}=${v}\n`;
      body += `\nRequest Body:\n${req.body ? req.body + '\n' : '\t-no body in request-\n'}`;
      return resp(200, [['Server', 'nginx/1.10.0'], date, ['Content-Type', 'text/plain'], ['Transfer-Encoding', 'chunked'], ['Connection', 'keep-alive']], body);
    }
    case 'netexec': {
      let body: string;
      if (path === '/hostname') body = hostnameOf(server);
      else if (path === '/clientip') body = `${conn.clientIp}:${conn.clientPort}`;
      else if (path === '/echo') body = queryParam(req.path, 'msg') ?? '';
      else if (path === '/healthz' || path === '/healthz/') body = '';
      else if (path === '/') body = `NOW: ${new Date(now).toISOString().replace('T', ' ').replace('Z', '')}000000 +0000 UTC`;
      else return resp(404, [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', '19']], '404 page not found\n');
      return resp(200, [date, ['Content-Length', String(byteLength(body))], ['Content-Type', 'text/plain; charset=utf-8']], body);
    }
    case 'agnhost-liveness': {
      // test/images/agnhost/liveness/server.go: /healthz answers 200 "ok" while time.Since(started)
      // is at most 10 s, then 500 "error: %v" of the seconds (a float64); /started the
      // Duration; the other handlers (/redirect, /sleep-*…) are not modelled; any other path
      // is the default mux's NotFound
      const st = server.kind === 'pod' ? containerStartedAt(server.pod, l.container) : undefined;
      const since = st === undefined ? 0 : Math.max(0, now - st);
      const plain: [string, string] = ['Content-Type', 'text/plain; charset=utf-8'];
      let status = 200;
      let body: string;
      if (path === '/healthz') {
        if (since > 10_000) {
          status = 500;
          body = `error: ${goFloat(since / 1000)}`;
        } else body = 'ok';
      } else if (path === '/started') body = goDurationMs(since);
      else return resp(404, [plain, ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', '19']], '404 page not found\n');
      return resp(status, [date, ['Content-Length', String(byteLength(body))], plain], body);
    }
    case 'serve-hostname': {
      const body = hostnameOf(server);
      return resp(200, [date, ['Content-Length', String(byteLength(body))], ['Content-Type', 'text/plain; charset=utf-8']], body);
    }
    case 'hello-app': {
      // kubernetes-engine-samples quickstarts/hello-app/main.go hello(): three Fprintf lines, os.Hostname() the Pod's
      const body = `Hello, world!\nVersion: ${l.params?.version ?? '1.0.0'}\nHostname: ${hostnameOf(server)}\n`;
      appendLog(cluster, server, l.container, `${new Date(now).toISOString().replace('T', ' ').slice(0, 19).replace(/-/g, '/')} Serving request: ${pathOnly(req.path)}`);
      return resp(200, [date, ['Content-Length', String(byteLength(body))], ['Content-Type', 'text/plain; charset=utf-8']], body);
    }
    case 'node-hello': {
      // Node's http server: response.writeHead(200) then end(text) — _storeHeader writes Date,
      // Connection and the Content-Length end() computed; the handler logs each URL
      const body = 'Hello Kubernetes!';
      appendLog(cluster, server, l.container, `Received request for URL: ${req.path}`);
      return resp(200, [date, ['Connection', 'keep-alive'], ['Content-Length', String(byteLength(body))]], req.method === 'HEAD' ? '' : body);
    }
    case 'hello-go': {
      // kelseyhightower/app hello (gcr.io/google-samples/hello-go-gke:1.0). Its health server on 81
      // (health/health.go): /healthz and /readiness answer WriteHeader(200) with no body; the
      // /healthz/status and /readiness/status toggles are not modelled. The HTTP server on 80:
      // HelloHandler (every path but /version and /secure) json.NewEncoder(w).Encode — the JSON and
      // a newline, Content-Type sniffed by net/http; VersionHandler the const version 1.0.0;
      // /secure's JWTAuthHandler fails without a token (http.Error 401); validating a token is not modelled.
      // Not modelled: handlers.LoggingHandler's line per request (it prints time.Now() with %s, whose
      // text depends on the Go release the image was built with, not in its sources) and
      // HelloHandler's time.Sleep(2 * time.Second) before it answers (the reply is immediate).
      const plain: [string, string] = ['Content-Type', 'text/plain; charset=utf-8'];
      if (l.params?.health === 'true') {
        if (path === '/healthz' || path === '/readiness') return resp(200, [date, ['Content-Length', '0']], '');
        return resp(404, [plain, ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', '19']], '404 page not found\n');
      }
      if (path === '/secure') return resp(401, [plain, ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', '21']], 'authorization failed\n');
      const body = path === '/version' ? '{"version":"1.0.0"}\n' : '{"message":"Hello"}\n';
      return resp(200, [date, ['Content-Length', String(byteLength(body))], plain], req.method === 'HEAD' ? '' : body);
    }
    case 'goproxy': {
      // elazarl/goproxy ProxyHttpServer.ServeHTTP: a request that is not in proxy form (a relative
      // URL: r.URL.IsAbs() false) goes to NonproxyHandler, http.Error(w, "This is a proxy server.
      // Does not respond to non-proxy requests.", 500). Proxying an absolute-form request is not modelled.
      const body = 'This is a proxy server. Does not respond to non-proxy requests.\n';
      return resp(500, [['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', String(byteLength(body))]], req.method === 'HEAD' ? '' : body);
    }
    case 'json-api': {
      const health = path === '/health' || path === '/healthz' || path === '/ready' || path === '/readyz';
      const json = health ? '{"status":"ok"}' : JSON.stringify({ service: l.container, hostname: hostnameOf(server), method: req.method, path: req.path, client: conn.clientIp });
      const body = `${json}\n`;
      appendLog(cluster, server, l.container, `${new Date(now).toISOString()} ${conn.clientIp} "${req.method} ${req.path}" 200`);
      // HEAD answers the GET's headers (Content-Length included) without the body.
      return resp(200, [['Content-Type', 'application/json'], date, ['Content-Length', String(byteLength(body))]], req.method === 'HEAD' ? '' : body);
    }
    case 'kubelet-healthz': {
      return resp(200, [['Content-Type', 'text/plain; charset=utf-8'], date, ['Content-Length', '2']], 'ok');
    }
    case 'coredns-health':
    case 'ingress-nginx-health':
    case 'kube-proxy-metrics': {
      // cmd/kube-proxy/app/server.go serveMetrics: a PathRecorderMux with healthz.InstallHandler
      // (/healthz: "ok"), /proxyMode (fmt.Fprintf "%s" of the mode, no newline), /metrics
      // (legacyregistry); any other path is Go's NotFound
      const plain: [string, string] = ['Content-Type', 'text/plain; charset=utf-8'];
      const nosniff: [string, string] = ['X-Content-Type-Options', 'nosniff'];
      if (path === '/proxyMode') {
        const mode = cluster.settings.proxyMode;
        return resp(200, [plain, nosniff, date, ['Content-Length', String(mode.length)]], mode);
      }
      if (path === '/healthz') return resp(200, [plain, nosniff, date, ['Content-Length', '2']], 'ok');
      if (path === '/metrics') {
        // pkg/proxy/metrics/metrics.go SyncProxyRulesLastTimestamp (component-base prefixes ALPHA help
        // with "[ALPHA] "); the proxier syncs on every change, so the last sync is now. Only the
        // families the simulation keeps figures for are served.
        const body = [
          '# HELP kubeproxy_sync_proxy_rules_last_timestamp_seconds [ALPHA] The last time proxy rules were successfully synced',
          '# TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge',
          `kubeproxy_sync_proxy_rules_last_timestamp_seconds ${goFloat(now / 1000)}`,
          '',
        ].join('\n');
        return resp(200, [['Content-Type', 'text/plain; version=0.0.4; charset=utf-8'], date, ['Content-Length', String(body.length)]], body);
      }
      const body = '404 page not found\n';
      const r = resp(404, [plain, nosniff, date, ['Content-Length', String(body.length)]], body);
      r.reason = 'Not Found';
      return r;
    }
    case 'kube-proxy-health': {
      if (l.app === 'kube-proxy-health' && l.params?.name !== undefined) {
        // pkg/proxy/healthcheck/service_health.go hcHandler.ServeHTTP: 200 with a local ready
        // endpoint, else 503; the dedented template trimmed of newlines (tabs kept, no final newline)
        const count = Number(l.params.localEndpoints);
        const body = `{\n\t"service": {\n\t\t"namespace": ${JSON.stringify(l.params.namespace)},\n\t\t"name": ${JSON.stringify(l.params.name)}\n\t},\n\t"localEndpoints": ${count},\n\t"serviceProxyHealthy": true\n}`;
        const r = resp(count !== 0 ? 200 : 503, [['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff'], ['X-Load-Balancing-Endpoint-Weight', String(count)], date, ['Content-Length', String(byteLength(body))]], body);
        // Go's net/http status text, not nginx's
        if (r.status === 503) r.reason = 'Service Unavailable';
        return r;
      }
      if (l.app === 'kube-proxy-health') {
        // pkg/proxy/healthcheck/proxier_health.go writes Go time.Time values with %q.
        const t = `${new Date(now).toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC`;
        const body = `{"lastUpdated": "${t}","currentTime": "${t}", "nodeEligible": true}`;
        return resp(200, [['Content-Type', 'application/json'], ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', String(body.length)]], body);
      }
      const build = corednsBuild(l.params?.tag ?? '');
      const body = l.app === 'ingress-nginx-health' ? 'ok' : l.port === 9153 ? `# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion="${build.goVersion}",revision="${build.revision}",version="${build.version}"} 1\n` : 'OK';
      return resp(200, [date, ['Content-Length', String(byteLength(body))], ['Content-Type', 'text/plain; charset=utf-8']], body);
    }
    case 'kubelet':
    case 'apiserver': {
      if (l.app === 'kubelet') return resp(401, [['Content-Type', 'text/plain; charset=utf-8'], date, ['Content-Length', '12']], 'Unauthorized');
      const filters: [string, string][] = [['Audit-Id', '00000000-0000-0000-0000-000000000000'], ['Cache-Control', 'no-cache, private']];
      // kubeadm's system:public-info-viewer lets anyone (system:unauthenticated) get these
      if (path === '/healthz' || path === '/livez' || path === '/readyz') {
        // k8s.io/apiserver pkg/server/healthz handleRootHealth: "ok", text/plain, nosniff
        return resp(200, [...filters, ['Content-Type', 'text/plain; charset=utf-8'], ['X-Content-Type-Options', 'nosniff'], date, ['Content-Length', '2']], 'ok');
      }
      if (path === '/version' || path === '/version/') {
        // pkg/server/routes/version.go: responsewriters.WriteRawJSON (json.MarshalIndent, two spaces)
        const v = JSON.stringify(versionInfo(ctx.cluster.settings.kubernetesVersion, true), null, 2);
        return resp(200, [...filters, ['Content-Type', 'application/json'], date, ['Content-Length', String(v.length)]], v);
      }
      // authentication (a ServiceAccount token, or anonymous), RBAC, then the REST handler (apiserver.ts)
      const a = apiServerRequest(ctx.cluster, req.path, req.headers);
      const extra: [string, string][] = a.status >= 400 || a.contentType.startsWith('text/plain') ? [['X-Content-Type-Options', 'nosniff']] : [];
      return resp(a.status, [...filters, ['Content-Type', a.contentType], ...extra, date, ['Content-Length', String(byteLength(a.body))]], a.body);
    }
    case 'internet':
      return serveInternet(ctx, req);
    case 'generic-http': {
      const body = `Hello from ${hostnameOf(server)}\n`;
      return resp(200, [['Content-Type', 'text/plain'], date, ['Content-Length', String(byteLength(body))]], body);
    }
    case 'iperf3':
      // iperf 3.17.1 iperf_server_api.c iperf_accept: the first 37 bytes are read as the test's
      // cookie, then iperf_set_send_state writes PARAM_EXCHANGE (9, one byte); the next four
      // bytes, read as the parameters' JSON length, are nonsense, so the test ends and the
      // socket closes with the rest of the request unread.
      return { status: 0, reason: '', headers: [], body: '', empty: true, raw: '\t' };
    case 'tcp':
    case 'udp': {
      // A hand-started relay (nc -l, socat TCP-LISTEN): the request's bytes as they came off the socket
      const wire = `${req.method} ${req.path} HTTP/1.1\r\n${req.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${req.body}`;
      // a process a learner started in a shell (started.ts): what it prints reaches its terminal
      // (or nowhere); nc and socat without -k/fork exit once their one connection is done
      const owner = server.kind === 'pod' && !server.pod.hostNetwork ? startedOwner(cluster, server.pod, l) : startedProcesses(cluster).owner(l);
      if (owner) {
        const procs = startedProcesses(cluster);
        if (l.params?.announce === 'openbsd') procs.write(owner, `Connection received on ${conn.clientIp} ${conn.clientPort}\n`);
        if (l.params?.relay === 'print') procs.write(owner, wire);
        if (l.params?.once === '1') procs.stop(owner, 0);
        if (l.params?.relay === 'echo') return { status: 0, reason: '', headers: [], body: '', empty: true, raw: wire };
        return { status: 0, reason: '', headers: [], body: '', empty: true };
      }
      // printed to its stdout, the container's log, line by line as the runtime splits it
      if (l.params?.relay === 'print') for (const line of wire.replace(/\n$/, '').split('\n')) appendLog(cluster, server, l.container, line);
      // handed to cat, which writes them back: not an HTTP reply
      if (l.params?.relay === 'echo') return { status: 0, reason: '', headers: [], body: '', empty: true, raw: wire };
      return { status: 0, reason: '', headers: [], body: '', empty: true };
    }
    default:
      // A server that does not speak HTTP reads the request and closes the connection.
      return { status: 0, reason: '', headers: [], body: '', empty: true };
  }
}

/** The example.com page as IANA serves it (1256 bytes). */
export const EXAMPLE_DOMAIN_HTML = `<!doctype html>
<html>
<head>
    <title>Example Domain</title>

    <meta charset="utf-8" />
    <meta http-equiv="Content-type" content="text/html; charset=utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <style type="text/css">
    body {
        background-color: #f0f0f2;
        margin: 0;
        padding: 0;
        font-family: -apple-system, system-ui, BlinkMacSystemFont, "Segoe UI", "Open Sans", "Helvetica Neue", Helvetica, Arial, sans-serif;
        
    }
    div {
        width: 600px;
        margin: 5em auto;
        padding: 2em;
        background-color: #fdfdff;
        border-radius: 0.5em;
        box-shadow: 2px 3px 7px 2px rgba(0,0,0,0.02);
    }
    a:link, a:visited {
        color: #38488f;
        text-decoration: none;
    }
    @media (max-width: 700px) {
        div {
            margin: 0 auto;
            width: auto;
        }
    }
    </style>    
</head>

<body>
<div>
    <h1>Example Domain</h1>
    <p>This domain is for use in illustrative examples in documents. You may use this
    domain in literature without prior coordination or asking for permission.</p>
    <p><a href="https://www.iana.org/domains/example">More information...</a></p>
</div>
</body>
</html>
`;

function serveInternet(ctx: ServeContext, req: HttpRequest): HttpResponse {
  const date: [string, string] = ['Date', httpDate(ctx.cluster.clock.now())];
  const web = ctx.listener.params?.web;
  if (web === 'example') {
    return resp(200, [['Accept-Ranges', 'bytes'], ['Content-Type', 'text/html'], ['ETag', '"84238dfc8092e5d9c0dac8ef93371a07:1736799080.121134"'], ['Last-Modified', 'Mon, 13 Jan 2025 20:11:20 GMT'], ['Vary', 'Accept-Encoding'], ['Cache-Control', 'max-age=3080'], date, ['Content-Length', String(byteLength(EXAMPLE_DOMAIN_HTML))], ['Connection', 'keep-alive']], EXAMPLE_DOMAIN_HTML);
  }
  if (web === 'client-ip') {
    const body = ctx.conn.clientIp;
    return resp(200, [['access-control-allow-origin', '*'], ['content-type', 'text/plain; charset=utf-8'], ['content-length', String(body.length)], date], body);
  }
  if (web === 'redirect-www') {
    const host = ctx.listener.params?.host ?? '';
    const body = `<HTML><HEAD><meta http-equiv="content-type" content="text/html;charset=utf-8">\n<TITLE>301 Moved</TITLE></HEAD><BODY>\n<H1>301 Moved</H1>\nThe document has moved\n<A HREF="${req.scheme}://www.${host}/">here</A>.\r\n</BODY></HTML>\r\n`;
    return resp(301, [['Location', `${req.scheme}://www.${host}/`], ['Content-Type', 'text/html; charset=UTF-8'], date, ['Content-Length', String(byteLength(body))], ['Server', 'gws']], body);
  }
  const body = `<!doctype html><html><head><title>${ctx.listener.params?.host ?? ''}</title></head><body></body></html>\n`;
  return resp(200, [['Content-Type', 'text/html; charset=utf-8'], date, ['Content-Length', String(byteLength(body))]], body);
}

/** Is there a pod object for this server (for the HostRef → ServerRef mapping)? */
export function serverRefFor(cluster: NetCluster, host: { kind: string; namespace?: string; pod?: string; node?: string; ip?: string }): ServerRef | undefined {
  if (host.kind === 'pod') {
    const p = findPod(cluster, host.namespace!, host.pod!);
    return p ? { kind: 'pod', pod: p } : undefined;
  }
  if (host.kind === 'node') return { kind: 'node', node: host.node! };
  if (host.kind === 'external') return { kind: 'external', ip: host.ip! };
  return undefined;
}

export type { KubeObject };
