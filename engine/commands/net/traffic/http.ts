/**
 * One HTTP exchange as a client tool performs it: parse the URL, resolve and connect
 * through the packet's walk, then hand the request to whatever listens at the far end
 * (dataplane/apps.ts, or the ingress controller). Shared by curl and wget.
 */
import { apiServerServingChain } from '../../../controllers/serviceaccounts';
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef, TraceHop } from '../../../types';
import { connect, recordWalk, type ConnectResult } from '../../../dataplane/walk';
import { listenerOn, serveHttp, serverRefFor, type HttpRequest, type HttpResponse, type Listener, type ServerRef } from '../../../dataplane/apps';
import { ingressServe } from '../../../controllers/ingress/proxy';
import { nginxProxyServe } from '../../../dataplane/nginx-proxy';
import { gatewayCertificate, gatewayServe } from '../../../controllers/gateway/proxy';
import { meshInbound, meshOutbound } from '../../../controllers/istio/proxy';
import { isDottedQuad } from '../../../cluster/ipv4';
import { ingressCertificate } from '../../../controllers/ingress/proxy';
import { seededSelfSigned } from '../../../tls/serve';
import type { Certificate } from '../../../tls/x509';
import { enforceHttp, throughEnvoy } from '../../../dataplane/cilium/l7';
import type { L7Decision } from '../../../dataplane/cilium/policy';
import { HubbleFlows } from '../../../dataplane/flows';
import { noteHttp } from '../tcpdump/capture';
import { forwardOn } from '../../../dataplane/port-forward';

export interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path with query, always starting with '/'. */
  path: string;
  /** Whether the port was written in the URL. */
  explicitPort: boolean;
}

export function parseUrl(raw: string, ipv6Literals = false): ParsedUrl | { error: 'scheme'; scheme: string } | { error: 'malformed' } | { error: 'port' } {
  // curl's URL parser rejects unencoded spaces and control characters.
  if (/[\s\x00-\x1f]/.test(raw)) return { error: 'malformed' };
  let s = raw;
  let scheme = 'http';
  const m = s.match(/^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//);
  if (m) {
    scheme = m[1].toLowerCase();
    s = s.slice(m[0].length);
  }
  if (scheme !== 'http' && scheme !== 'https') return { error: 'scheme', scheme: m![1] };
  const slash = s.search(/[/?#]/);
  const authority = slash >= 0 ? s.slice(0, slash) : s;
  let path = slash >= 0 ? s.slice(slash) : '/';
  if (path.startsWith('?')) path = '/' + path;
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  const hostport = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  // an IPv6 literal in brackets (RFC 3986 IP-literal): `[fd00::1]:8080`, kept with its brackets
  // (taken only in a dual-stack cluster; an IPv4-only one keeps rejecting it as before)
  const pm = (ipv6Literals ? hostport.match(/^(\[[0-9a-fA-F:.]+\])(?::([^:]*))?$/) : null) ?? hostport.match(/^([^:]*)(?::([^:]*))?$/);
  if (!pm || !pm[1]) return { error: 'malformed' };
  if (pm[2] !== undefined && pm[2] !== '' && !/^\d+$/.test(pm[2])) return { error: 'port' };
  const explicit = pm[2] !== undefined && pm[2] !== '';
  const port = explicit ? Number(pm[2]) : scheme === 'https' ? 443 : 80;
  if (port > 65535) return { error: 'port' };
  return { scheme: scheme as 'http' | 'https', host: pm[1].toLowerCase(), port, path: path || '/', explicitPort: explicit };
}

export interface Exchange {
  conn: ConnectResult;
  listener?: Listener;
  server?: ServerRef;
  response?: HttpResponse;
  /** TLS handshake failure (plain server on an https URL). */
  tlsError?: 'wrong-version';
  /** The certificate chain the server presented (https), leaf first. */
  cert?: { chain: Certificate[] };
  hops: TraceHop[];
  /** Cilium's L7 proxy judged the request: allowed or denied, method, path, the policy whose HTTP rules decided. */
  l7?: L7Decision;
  /** The server accepted the connection, then reset it (an Istio sidecar under STRICT mTLS refusing plaintext). */
  reset?: boolean;
  /** Time spent in proxies beyond the network: an injected delay, retries, a timeout (ms). */
  extraMs?: number;
}

export interface ExchangeOptions {
  command: string;
  /** curl --resolve host:port:addr */
  resolveOverride?: Map<string, string>;
  /** curl -4/-6, or curl's happy eyeballs (`prefer6`: the AAAA record first). */
  family?: 4 | 6 | 'prefer6';
}

/** Sends `req` to `url` from `from`. Records one trace covering the whole exchange. */
export function httpExchange(cluster: ClusterRuntime, from: HostRef, url: ParsedUrl, req: HttpRequest, opts: ExchangeOptions): Exchange {
  const override = opts.resolveOverride?.get(`${url.host}:${url.port}`);
  const target = override ?? url.host;
  // An Istio sidecar in the client Pod takes the connection (controllers/istio)
  const mesh = meshOutbound(cluster, from, url, req, { resolveOverride: override });
  if (mesh) {
    recordWalk(cluster, opts.command, from, `${url.scheme}://${url.host}:${url.port}${url.path}`, mesh.conn, mesh.hops);
    return { conn: mesh.conn, response: mesh.response, reset: mesh.reset, hops: mesh.hops, extraMs: mesh.elapsedMs };
  }
  const conn = connect(cluster, from, target, url.port, 'tcp', { record: false, command: opts.command, ...(opts.family ? { family: opts.family } : {}) });
  if (override && isDottedQuad(override)) conn.address = override;
  const ex: Exchange = { conn, hops: [] };
  // `kubectl proxy` on the workstation answers from the API server (dataplane/port-forward.ts)
  const apiProxy = conn.outcome === 'delivered' && !conn.server && from.kind === 'workstation' && conn.address ? forwardOn(cluster, conn.address, url.port)?.api : undefined;
  if (apiProxy) ex.response = url.scheme === 'https' ? undefined : apiProxy(req);
  if (apiProxy && url.scheme === 'https') ex.tlsError = 'wrong-version';
  if (conn.outcome === 'delivered' && conn.server) {
    const ref = serverRefFor(cluster, conn.server.host as { kind: string; namespace?: string; pod?: string; node?: string; ip?: string });
    if (ref) {
      const l = listenerOn(cluster, ref, conn.server.port, 'tcp', conn.server.ip);
      // A hostNetwork pod's socket on a node address: the pod's container is the server.
      const server: ServerRef = l?.pod ? { kind: 'pod', pod: l.pod, container: l.container } : ref;
      ex.server = server;
      ex.listener = l;
      // An Istio sidecar in the server Pod takes the connection (inbound capture, PeerAuthentication)
      const inbound = server.kind === 'pod' && url.scheme === 'http' ? meshInbound(cluster, server.pod, conn.server.port, req, { ip: conn.seenSource ?? '', port: conn.sourcePort ?? 0, mtls: false }) : undefined;
      if (inbound) {
        ex.response = inbound.response;
        ex.reset = inbound.reset;
        ex.extraMs = inbound.ms;
        ex.hops.push(...inbound.hops);
      } else if (l) {
        const wantsTls = url.scheme === 'https';
        if (wantsTls && !l.tls) {
          ex.tlsError = 'wrong-version';
        } else {
          const c = { clientIp: conn.seenSource ?? '', clientPort: conn.facts?.masqueradedPort ?? conn.sourcePort ?? 0, localIp: conn.server.ip, localPort: conn.server.port };
          // Cilium: a connection under L7 (HTTP) rules goes through the node's Envoy, which judges each request.
          const proxied = wantsTls ? undefined : enforceHttp(conn.l7, req, cluster.clock.now());
          if (proxied) {
            ex.l7 = proxied.decision;
            ex.hops.push(proxied.hop);
          }
          if (proxied?.denied) {
            ex.response = proxied.denied;
          } else if (l.app === 'ingress-nginx') {
            if (wantsTls) ex.cert = serverCertificate(cluster, server, l, sniOf(url.host), url.host);
            const r = ingressServe(cluster, server, l, req, c, wantsTls);
            ex.response = r.response;
          } else if (l.app === 'nginx-proxy' && !wantsTls) {
            ex.response = nginxProxyServe(cluster, server, l, req);
          } else if (l.app === 'envoy-gateway' && l.tls && !wantsTls) {
            // Envoy's TLS listener reads plain HTTP as a failed handshake and closes the connection
            ex.response = { status: 0, reason: '', headers: [], body: '', empty: true };
          } else if (l.app === 'envoy-gateway') {
            const r = gatewayServe(cluster, server, l, req, c, wantsTls, wantsTls ? sniOf(url.host) : undefined);
            ex.response = r.response;
            if (wantsTls) ex.cert = r.cert;
          } else if (!l.tls || wantsTls) {
            if (wantsTls) ex.cert = serverCertificate(cluster, server, l, sniOf(url.host), url.host);
            ex.response = serveHttp({ cluster: cluster, server, listener: l, conn: c }, req);
          }
          if (!wantsTls && l.tls && ex.response === undefined) ex.response = plainHttpOnTlsPort(l);
          if (proxied && !proxied.denied && ex.response) ex.response = throughEnvoy(ex.response);
          // Hubble: the proxies' access-log records of this request (dataplane/flows.ts httpFlowsOf)
          if (proxied && cluster.flows instanceof HubbleFlows) cluster.flows.http(from, conn, conn.l7 ?? [], { request: req, response: ex.response?.empty ? undefined : ex.response });
          if (ex.response?.hops) ex.hops.push(...ex.response.hops);
        }
      }
    }
  }
  // a running tcpdump sees what the connection carried (plain HTTP: its request and response lines)
  if (conn.outcome === 'delivered' && url.scheme === 'http') noteHttp(cluster, conn, httpWire(`${req.method} ${req.path} HTTP/1.1`, req.headers, req.body), ex.response && !ex.response.empty ? httpWire(`HTTP/1.1 ${ex.response.status} ${ex.response.reason}`, ex.response.headers, ex.response.body) : undefined);
  recordWalk(cluster, opts.command, from, `${url.scheme}://${url.host}:${url.port}${url.path}`, conn, ex.hops);
  return ex;
}

/**
 * A plain HTTP request on a port that speaks TLS, answered as the server there answers it:
 * - Go's net/http TLS servers (kube-apiserver, the kubelet, etcd, kube-controller-manager,
 *   kube-scheduler, istiod, the admission webhooks): (*conn).serve sees a first record that
 *   tlsRecordHeaderLooksLikeHTTP and writes a bare `HTTP/1.0 400 Bad Request` with no
 *   headers and "Client sent an HTTP request to an HTTPS server.\n", then closes
 *   (golang/go src/net/http/server.go);
 * - Envoy (an Istio gateway's 8443): the TLS transport socket fails the handshake and closes
 *   the connection without a byte;
 * - nginx (and the Internet's web servers here): its 497 page, "The plain HTTP request was
 *   sent to HTTPS port" with status 400 (src/http/ngx_http_special_response.c).
 */
export function plainHttpOnTlsPort(l: Listener): HttpResponse {
  if (/envoy/i.test(l.description)) return { status: 0, reason: '', headers: [], body: '', empty: true };
  if (l.app === 'apiserver' || l.app === 'kubelet' || /^(etcd|kube-controller-manager|kube-scheduler|istiod|.*admission webhook)/.test(l.description)) {
    return { status: 400, reason: 'Bad Request', headers: [], body: 'Client sent an HTTP request to an HTTPS server.\n', httpVersion: '1.0' };
  }
  const body = '<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
  return { status: 400, reason: 'Bad Request', headers: [['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'close']], body };
}

/** An HTTP/1.1 message's size on the wire, its first line, and the message itself (one character a byte, for tcpdump -A/-X). */
export function httpWire(firstLine: string, headers: [string, string][], body: string): { bytes: number; firstLine: string; text: string } {
  let text = firstLine + '\r\n';
  for (const [k, v] of headers) text += `${k}: ${v}\r\n`;
  text += '\r\n' + body;
  const utf8 = new TextEncoder().encode(text);
  let bytes = '';
  for (let i = 0; i < utf8.length; i++) bytes += String.fromCharCode(utf8[i]);
  return { bytes: bytes.length, firstLine, text: bytes };
}

/** The SNI a client sends for a URL host: none for an IP literal (RFC 6066 §3). */
export function sniOf(host: string): string | undefined {
  return isDottedQuad(host) ? undefined : host;
}

/**
 * The chain a TLS listener presents for `sni`: ingress-nginx picks by SNI from its
 * Ingresses' Secrets (ingressCertificate); any other TLS server has its own self-signed
 * certificate for the name it was reached by, valid from the start of the current day.
 */
export function serverCertificate(cluster: ClusterRuntime, server: ServerRef, l: Listener, sni: string | undefined, host: string): { chain: Certificate[] } {
  if (l.app === 'ingress-nginx') {
    const pod = server.kind === 'pod' ? { namespace: server.pod.namespace, name: server.pod.name } : undefined;
    return { chain: ingressCertificate(cluster, pod, sni).pair.chain };
  }
  if (l.app === 'envoy-gateway') {
    const served = gatewayCertificate(cluster, l, sni);
    if (served) return served;
  }
  if (l.app === 'apiserver') {
    const chain = apiServerServingChain(cluster);
    if (chain.length) return { chain };
  }
  const day = cluster.clock.now() - (cluster.clock.now() % 86_400_000);
  return { chain: seededSelfSigned(`server:${host}`, [['CN', host]], [host], day - 30 * 86_400_000, 365).chain };
}

export interface TlsConnection {
  conn: ConnectResult;
  listener?: Listener;
  /** The server answered the ClientHello with something that is not TLS. */
  notTls?: boolean;
  cert?: { chain: Certificate[] };
}

/** A TLS handshake without a request (openssl s_client): connect, then the presented chain. */
export function tlsConnect(cluster: ClusterRuntime, from: HostRef, host: string, port: number, sni: string | undefined, command: string): TlsConnection {
  const conn = connect(cluster, from, host, port, 'tcp', { record: false, command });
  const out: TlsConnection = { conn };
  if (conn.outcome === 'delivered' && conn.server) {
    const ref = serverRefFor(cluster, conn.server.host as { kind: string; namespace?: string; pod?: string; node?: string; ip?: string });
    const l = ref ? listenerOn(cluster, ref, conn.server.port, 'tcp', conn.server.ip) : undefined;
    if (ref && l) {
      const server: ServerRef = l.pod ? { kind: 'pod', pod: l.pod, container: l.container } : ref;
      out.listener = l;
      if (!l.tls) out.notTls = true;
      else out.cert = serverCertificate(cluster, server, l, sni, sni ?? host);
    }
  }
  recordWalk(cluster, command, from, `tls://${host}:${port}`, conn, []);
  return out;
}

/** The /etc/services name of a TCP/UDP port, as netcat prints it. */
export function serviceName(port: number, proto: 'tcp' | 'udp' = 'tcp'): string {
  const t: Record<number, string> = { 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 80: 'http', 110: 'pop3', 123: 'ntp', 143: 'imap2', 443: 'https', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt', 2379: 'etcd-client', 2380: 'etcd-server', 6443: 'sun-sr-https', 11211: 'memcache', 27017: 'mongodb', 5672: 'amqp' };
  if (proto === 'udp' && port === 53) return 'domain';
  return t[port] ?? '*';
}
