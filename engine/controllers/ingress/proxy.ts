/**
 * The ingress-nginx controller's data path: what its nginx does with a request that
 * reached the controller pod on 80/443. Routing follows the Ingress spec and
 * ingress-nginx's documented behaviour:
 *
 * - Ingresses of the controller's class (spec.ingressClassName naming an IngressClass with
 *   controller k8s.io/ingress-nginx, the legacy kubernetes.io/ingress.class annotation, or
 *   no class when the nginx IngressClass is the default).
 * - Host: an exact host rule, or a wildcard `*.example.com` (one label), wins over rules
 *   without a host (nginx's catch-all server `_`); no match → the default backend.
 * - Paths: Exact (equal), Prefix (element-wise on '/'-separated elements: /foo matches
 *   /foo and /foo/bar but not /foobar), ImplementationSpecific (nginx's prefix `location`,
 *   or a regex when use-regex / rewrite-target is set). The longest path wins; Exact beats
 *   Prefix of the same length.
 * - rewrite-target with capture groups ($1, $2) rewrites the upstream path.
 * - Canary ingresses (canary: "true") for the same host and path: canary-by-header
 *   ("always"/"never", or canary-by-header-value), then canary-weight drawn from cluster.rng.
 * - TLS (ingressCertificate): the handshake presents the certificate of the Secret named
 *   in spec.tls for the SNI host, else the controller's "Kubernetes Ingress Controller Fake
 *   Certificate"; plain HTTP for a host listed under spec.tls is redirected while the location's
 *   ssl-redirect holds (annotation, else the ConfigMap's, true by default), any plain HTTP with
 *   force-ssl-redirect — with the ConfigMap's http-redirect-code (308).
 * - proxy-body-size (annotation, else the ConfigMap's 1m): a larger body gets nginx's 413.
 * - Upstreams are the Service's endpoints (ingress-nginx proxies to pod IPs directly, not
 *   the ClusterIP); no endpoints → 503; refused → 502; timeout → 504.
 * - limit-rps / limit-rpm (ratelimit.ts): over the limit → 503 (limit-req-status-code).
 * - The access annotations, in nginx's phase order: a denied location's 503 and the CORS
 *   preflight's 204 (rewrite phase), then the redirect, the rate limit, and the access phase:
 *   allowlist-source-range (403, against the address the controller's socket saw: a node's
 *   after SNAT with externalTrafficPolicy Cluster), auth_basic (401 with WWW-Authenticate;
 *   htpasswd.ts checks the password), auth-url (a subrequest to the auth service: 2xx passes
 *   and hands auth-response-headers to the upstream, 401/403 are returned — a 401 becomes a
 *   302 to auth-signin —, anything else is 500). CORS headers go on every later response.
 * - Ingresses whose annotations the store refuses (snippets over annotations-risk-level)
 *   are served as their last accepted version, or not at all (controllerIngresses).
 * - Access log in ingress-nginx's `upstreaminfo` format, on the controller container.
 */
import type { ClusterRuntime } from '../runtime';
import type { Cluster } from '../../cluster/cluster';
import type { KubeObject } from '../../cluster/types';
import type { TraceHop } from '../../types';
import { connect, sendPacket } from '../../dataplane/walk';
import {
  appendLog,
  byteLength,
  header,
  httpDate,
  listenerOn,
  nginxErrorPage,
  nginxTimeLocal,
  reasonPhrase,
  serveHttp,
  serverRefFor,
  type Conn,
  type HttpRequest,
  type HttpResponse,
  type Listener,
  type ServerRef,
} from '../../dataplane/apps';
import { serviceEndpoints, type PodInfo } from '../../dataplane/topology';
import { admit } from './ratelimit';
import { controllerConfig, storeConfig } from './config';
import { parseAnnotations, storeRejection, type IngressAnnotations } from './annotations';
import { basicCredentials, checkUserFile } from './htpasswd';
import { cidrContains } from '../../cluster/ipv4';
import { matchPrefixPattern } from '../../patterns';
import { ingressNginxFakeCertificate, secretKeyPair, type KeyPair } from '../../tls/serve';
import { commonName, hostMatchesPattern, subjectAltNames, verifyHostname, type Certificate } from '../../tls/x509';

export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';
const A = 'nginx.ingress.kubernetes.io/';

/**
 * Does this controller (class `nginx`) serve this Ingress? Not when its store dropped it:
 * an annotation riskier than annotations-risk-level (the *-snippet ones by default) or a
 * ValidationError (annotations.ts storeRejection).
 */
export function servedByNginx(cluster: Cluster, ing: KubeObject): boolean {
  if (!ofNginxClass(cluster, ing)) return false;
  return !rejectedByStore(cluster, ing) || !!(cluster as Partial<ClusterRuntime>).ingress?.accepted[ing.metadata.uid];
}

/** Does the store refuse this version of the Ingress (annotations.ts storeRejection)? */
export function rejectedByStore(cluster: Cluster, ing: KubeObject): boolean {
  const an = ing.metadata.annotations;
  // only the snippet, auth-url/auth-signin and auth-type annotations can make the store drop an Ingress
  if (!an || !Object.keys(an).some((k) => k.startsWith(A) && /-snippet$|^auth-(url|signin|type|realm)$/.test(k.slice(A.length)))) return false;
  return storeRejection(ing, storeConfig(cluster), { secret: (ns, name) => cluster.store.get('Secret', ns, name) }) !== undefined;
}

/**
 * The Ingresses the controller's store holds: each of its class as the API has it, but a
 * version Extract refuses is never stored (store.go updateIngress returns before
 * IngressWithAnnotation.Update): the store keeps the last version it accepted (the module's
 * `accepted`), and an Ingress it never accepted is not there at all.
 */
export function controllerIngresses(cluster: ClusterRuntime): KubeObject[] {
  const out: KubeObject[] = [];
  for (const ing of cluster.store.iterate('Ingress')) {
    if (!ofNginxClass(cluster, ing)) continue;
    if (!rejectedByStore(cluster, ing)) out.push(ing);
    else {
      const prev = cluster.ingress?.accepted[ing.metadata.uid];
      if (prev) out.push(prev);
    }
  }
  return out;
}

/** The class check alone (store.go: the Ingresses the controller watches, before parsing). */
export function ofNginxClass(cluster: Cluster, ing: KubeObject): boolean {
  const cls: string | undefined = ing.spec?.ingressClassName;
  const legacy = ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  const classes = cluster.store.list('IngressClass');
  if (cls) {
    const ic = classes.find((c) => c.metadata.name === cls);
    return !!ic && ic.spec?.controller === CONTROLLER_CLASS;
  }
  if (legacy) return legacy === 'nginx';
  return classes.some((c) => c.spec?.controller === CONTROLLER_CLASS && c.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
}

interface Candidate {
  ing: KubeObject;
  host: string;
  path: string;
  pathType: string;
  backend: { service?: { name: string; port?: { number?: number; name?: string } } };
  regex: boolean;
}

function hostMatches(ruleHost: string, host: string): boolean {
  if (ruleHost === host) return true;
  if (ruleHost.startsWith('*.')) {
    const suffix = ruleHost.slice(1);
    return host.endsWith(suffix) && !host.slice(0, host.length - suffix.length).includes('.') && host.length > suffix.length;
  }
  return false;
}

function prefixMatch(rulePath: string, path: string): boolean {
  const r = rulePath.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  if (r.length > p.length) return false;
  return r.every((e, i) => e === p[i]);
}

function pathOf(p: string): string {
  const q = p.indexOf('?');
  return q >= 0 ? p.slice(0, q) : p;
}

function usesRegex(ing: KubeObject): boolean {
  const an = ing.metadata.annotations ?? {};
  return an[A + 'use-regex'] === 'true' || an[A + 'rewrite-target'] !== undefined;
}

function candidates(cluster: ClusterRuntime, host: string, canary: boolean): { list: Candidate[]; hostMatched: boolean } {
  const exact: Candidate[] = [];
  const catchAll: Candidate[] = [];
  for (const ing of controllerIngresses(cluster)) {
    if ((ing.metadata.annotations?.[A + 'canary'] === 'true') !== canary) continue;
    for (const rule of ing.spec?.rules ?? []) {
      const target = rule.host ? (hostMatches(rule.host, host) ? exact : null) : catchAll;
      if (!target) continue;
      for (const p of rule.http?.paths ?? []) {
        target.push({ ing, host: rule.host ?? '', path: p.path ?? '/', pathType: p.pathType ?? 'ImplementationSpecific', backend: p.backend ?? {}, regex: usesRegex(ing) });
      }
    }
  }
  return exact.length ? { list: exact, hostMatched: true } : { list: catchAll, hostMatched: false };
}

function matchPath(c: Candidate, path: string): string[] | null | boolean {
  if (c.pathType === 'Exact') return path === c.path;
  if (c.regex && c.pathType !== 'Prefix') {
    return matchPrefixPattern(c.path, path);
  }
  if (c.pathType === 'Prefix') return prefixMatch(c.path, path);
  return path.startsWith(c.path);
}

function pick(list: Candidate[], path: string): { c: Candidate; groups: string[] } | undefined {
  let best: { c: Candidate; groups: string[] } | undefined;
  let bestLen = -1;
  for (const c of list) {
    const m = matchPath(c, path);
    if (!m) continue;
    const len = c.path.length + (c.pathType === 'Exact' ? 0.5 : 0);
    if (len > bestLen) {
      bestLen = len;
      best = { c, groups: Array.isArray(m) ? [...m] : [] };
    }
  }
  return best;
}

export interface IngressResult {
  response: HttpResponse;
}

/** What the controller's nginx presents in the TLS handshake for one SNI name. */
export interface IngressCertificate {
  pair: KeyPair;
  /** The Secret it came from; undefined for the controller's Fake Certificate. */
  secret?: string;
}

/**
 * The certificate for SNI `sni` (ingress-nginx's certificate.lua picks by server name):
 * a served Ingress with a rule for that host (exact or one-label wildcard) and a
 * spec.tls entry listing the rule's host serves its Secret's tls.crt — if the Secret
 * exists, is a kubernetes.io/tls Secret whose pair loads (Go's tls.X509KeyPair), and the
 * certificate covers the host (the controller checks VerifyHostname and otherwise logs
 * "Using default certificate"). Everything else — no SNI (an IP in the URL), an unknown
 * name, a missing or broken Secret, a certificate for other names — gets the controller's
 * "Kubernetes Ingress Controller Fake Certificate" (internal/net/ssl GetFakeSSLCert),
 * generated when the controller pod started — unless the controller runs with
 * --default-ssl-certificate=NAMESPACE/SECRET, whose pair is then the default.
 */
/**
 * Why the controller will not use `cert` for server `host`, or undefined when it will: Go's
 * VerifyHostname (SANs) and then ingress-nginx's own verifyHostname, which still accepts a
 * matching Common Name. The text is Go's x509.HostnameError for the SAN check.
 */
export function certificateHostError(cert: Certificate, host: string): string | undefined {
  if (verifyHostname(cert, host)) return undefined;
  const cn = commonName(cert.subject);
  if (cn && hostMatchesPattern(cn, host)) return undefined;
  const dns = subjectAltNames(cert).filter((g) => g.type === 'DNS').map((g) => g.value);
  return dns.length ? `x509: certificate is valid for ${dns.join(', ')}, not ${host}` : `x509: certificate is not valid for any names, but wanted to match ${host}`;
}

/**
 * The warnings ingress-nginx's createServers logs on a sync for the TLS hosts it cannot
 * serve with their Secret (internal/ingress/controller/controller.go, v1.12), klog
 * messages without their headers: [file:line, message].
 */
export function tlsWarnings(cluster: ClusterRuntime): [string, string][] {
  const out: [string, string][] = [];
  for (const ing of controllerIngresses(cluster)) {
    const ns = ing.metadata.namespace ?? 'default';
    for (const rule of ing.spec?.rules ?? []) {
      const t = (ing.spec?.tls ?? []).find((x: { hosts?: string[] }) => rule.host && (x.hosts ?? []).includes(rule.host));
      if (!t?.secretName) continue;
      const key = `${ns}/${t.secretName}`;
      const pair = secretKeyPair(cluster, ns, t.secretName);
      if ('error' in pair) {
        out.push(['controller.go:1471', `Error getting SSL certificate "${key}": local SSL certificate ${key} was not found. Using default certificate`]);
        continue;
      }
      const err = certificateHostError(pair.chain[0], rule.host);
      if (!err) continue;
      out.push(
        ['controller.go:1482', `Unexpected error validating SSL certificate "${key}" for server "${rule.host}": ${err}`],
        ['controller.go:1483', 'Validating certificate against DNS names. This will be deprecated in a future version'],
        ['controller.go:1488', `SSL certificate "${key}" does not contain a Common Name or Subject Alternative Name for server "${rule.host}": ${err}`],
        ['controller.go:1489', 'Using default certificate'],
      );
    }
  }
  return out;
}

export function ingressCertificate(cluster: ClusterRuntime, controllerPod: { namespace: string; name: string } | undefined, sni: string | undefined): IngressCertificate {
  if (sni) {
    for (const ing of controllerIngresses(cluster)) {
      for (const rule of ing.spec?.rules ?? []) {
        if (!rule.host || !hostMatches(rule.host, sni)) continue;
        const t = (ing.spec?.tls ?? []).find((x: { hosts?: string[] }) => (x.hosts ?? []).includes(rule.host));
        if (!t?.secretName) continue;
        const pair = secretKeyPair(cluster, ing.metadata.namespace ?? 'default', t.secretName);
        if ('error' in pair || certificateHostError(pair.chain[0], rule.host)) continue;
        return { pair, secret: `${ing.metadata.namespace ?? 'default'}/${t.secretName}` };
      }
    }
  }
  const pod = controllerPod ? cluster.store.get('Pod', controllerPod.namespace, controllerPod.name) : undefined;
  // --default-ssl-certificate=NAMESPACE/SECRET replaces the Fake Certificate as the default.
  const args: string[] = (pod?.spec?.containers ?? []).flatMap((c: { args?: string[] }) => c.args ?? []);
  const flag = args.find((a) => a.startsWith('--default-ssl-certificate='))?.split('=')[1];
  if (flag && flag.includes('/')) {
    const [ns, name] = flag.split('/');
    const pair = secretKeyPair(cluster, ns, name);
    if (!('error' in pair)) return { pair, secret: flag };
  }
  const started = Date.parse(pod?.metadata.creationTimestamp ?? '') || 0;
  return { pair: ingressNginxFakeCertificate(controllerPod ? `${controllerPod.namespace}/${controllerPod.name}` : 'ingress-nginx', started) };
}

function tlsFor(cluster: ClusterRuntime, host: string): { ing: KubeObject; secret?: KubeObject; secretName: string } | undefined {
  for (const ing of controllerIngresses(cluster)) {
    for (const t of ing.spec?.tls ?? []) {
      if ((t.hosts ?? []).some((h: string) => hostMatches(h, host))) {
        const secret = t.secretName ? cluster.store.get('Secret', ing.metadata.namespace, t.secretName) : undefined;
        return { ing, secret: secret?.type === 'kubernetes.io/tls' ? secret : undefined, secretName: t.secretName ?? '' };
      }
    }
  }
  return undefined;
}

/** nginx's ngx_parse_offset of a client_max_body_size the template printed (isValidByteSize), else nginx's own 1m. */
function maxBodyBytes(size: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(size.trim());
  if (!m) return 1024 * 1024;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

function reqId(cluster: ClusterRuntime): string {
  return cluster.rng.hex(32);
}

/** The controller's nginx handling one request. */
export function ingressServe(cluster: ClusterRuntime, server: ServerRef, listener: Listener, req: HttpRequest, conn: Conn, tls: boolean): IngressResult {
  const hops: TraceHop[] = [];
  const controllerPod: PodInfo | undefined = server.kind === 'pod' ? server.pod : undefined;
  const where = controllerPod ? `ingress-nginx ${controllerPod.namespace}/${controllerPod.name}` : 'ingress-nginx';
  const host = (header(req, 'host') ?? conn.localIp).replace(/:\d+$/, '').toLowerCase();
  const path = pathOf(req.path);
  const date: [string, string] = ['Date', httpDate(cluster.clock.now())];
  const t = tlsFor(cluster, host);
  const id = reqId(cluster);
  // $cors of the location's CORS template (nginx.tmpl 833-864): its more_set_headers go on every response after the rewrite phase
  let corsHeaders: [string, string][] = [];
  // $remote_user: the user of an Authorization: Basic header
  const remoteUser = basicCredentials(header(req, 'authorization'))?.user;
  const page = (status: number, upstream: string, extra: { addr?: string; ustatus?: string } = {}, headers: [string, string][] = []): IngressResult => {
    const body = nginxErrorPage(status, null);
    const response: HttpResponse = { status, reason: reasonPhrase(status), headers: [date, ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'keep-alive'], ...headers, ...corsHeaders], body, hops };
    log(cluster, server, listener, conn, req, response, upstream, extra.addr ?? '-', extra.ustatus ?? '-', id, remoteUser);
    return { response };
  };

  // The controller's configuration (its ConfigMap over the defaults) and the matched location's annotations.
  const cfg = controllerConfig(cluster, controllerPod ? cluster.store.get('Pod', controllerPod.namespace, controllerPod.name) : undefined);

  // Pick the main route, then let a canary take it.
  const main = candidates(cluster, host, false);
  let chosen = pick(main.list, path);
  // the nginx location that matched: a canary only swaps its upstream (Lua's alternative backend)
  const location = chosen;
  let canaryUsed = false;
  const can = pick(candidates(cluster, host, true).list, path);
  if (can && chosen && can.c.path === chosen.c.path) {
    const an = can.c.ing.metadata.annotations ?? {};
    const hname = an[A + 'canary-by-header'];
    const hval = hname ? header(req, hname) : undefined;
    const wantValue = an[A + 'canary-by-header-value'];
    let decided: boolean | undefined;
    if (hname && hval !== undefined) {
      if (wantValue !== undefined) decided = hval === wantValue ? true : undefined;
      else if (hval === 'always') decided = true;
      else if (hval === 'never') decided = false;
    }
    if (decided === undefined && an[A + 'canary-weight'] !== undefined) {
      const w = Number(an[A + 'canary-weight']);
      const total = Number(an[A + 'canary-weight-total'] ?? 100);
      decided = cluster.rng.next() * total < w;
    }
    if (decided) {
      chosen = can;
      canaryUsed = true;
    }
  }

  // The location's rewrite settings: its Ingress's annotations over the ConfigMap (nginxconf.ts renders the same
  // $ssl_redirect/$force_ssl_redirect); a host's own root location carries its TLS Ingress's, the `_` server's none.
  const rewriteOf = (ing: KubeObject | undefined) => parseAnnotations(ing, cfg).rewrite;
  const rw = location ? rewriteOf(location.c.ing) : t ? rewriteOf(t.ing) : undefined;

  // client_max_body_size (proxy-body-size): nginx answers 413 before the location's handlers run.
  if (location) {
    const max = maxBodyBytes(parseAnnotations(location.c.ing, cfg).proxy.bodySize);
    const length = Number(header(req, 'content-length') ?? byteLength(req.body));
    if (max > 0 && length > max) {
      hops.push({ where, what: `request body of ${length} bytes is over client_max_body_size (${max} bytes): 413`, verdict: 'reject' });
      // before the location's `set $proxy_upstream_name`: the log shows the server's "-"
      return page(413, '-');
    }
  }

  // The matched location's annotations (the root location of a host carries its Ingress's).
  const resolver = { secret: (ns: string, name: string) => cluster.store.get('Secret', ns, name) };
  const la = location ? parseAnnotations(location.c.ing, cfg, resolver) : undefined;
  const locUpstream = location ? upstreamOf(location.c) : '-';

  // Rewrite phase, the rewrite module's directives in order: a denied location's `return 503`
  // (nginx.tmpl 1385-1387), then the CORS template's `if`s — a preflight gets its 204 before
  // any redirect, limit or auth (rewrite_by_lua runs at the end of the phase, access later).
  if (la?.denied !== undefined) {
    hops.push({ where, what: `location of Ingress ${location!.c.ing.metadata.namespace ?? 'default'}/${location!.c.ing.metadata.name} is denied (${la.denied}): return 503`, verdict: 'reject' });
    return page(503, locUpstream);
  }
  if (la?.cors.enabled) {
    const c = la.cors;
    const origin = header(req, 'origin');
    const star = c.allowOrigin.length === 1 && c.allowOrigin[0] === '*';
    // buildCorsOriginRegex: `$http_origin ~* ((O1)|(O2))$`, each origin regexp.QuoteMeta'd, its first `*` → [A-Za-z0-9\-]+
    const re = c.allowOrigin.length && !star ? new RegExp(`(${c.allowOrigin.map((o) => `(${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\*', '[A-Za-z0-9\\-]+')})`).join('|')})$`, 'i') : undefined;
    const allowed = star || (origin !== undefined && !!re?.test(origin));
    if (allowed) {
      const allowOrigin = star ? '*' : origin!;
      corsHeaders = [
        ['Access-Control-Allow-Origin', allowOrigin],
        ...(c.allowCredentials ? ([['Access-Control-Allow-Credentials', 'true']] as [string, string][]) : []),
        ['Access-Control-Allow-Methods', c.allowMethods],
        ['Access-Control-Allow-Headers', c.allowHeaders],
        ...(c.exposeHeaders ? ([['Access-Control-Expose-Headers', c.exposeHeaders]] as [string, string][]) : []),
        ['Access-Control-Max-Age', String(c.maxAge)],
      ];
    }
    if (allowed && req.method === 'OPTIONS') {
      // `$cors = "trueoptions"`: return 204. nginx's header filter drops a 204's Content-Type; the
      // Content-Length more_set_headers added stays in the header list (ngx_http_header_filter_module.c)
      hops.push({ where, what: `CORS preflight from origin ${origin ?? '(none)'}: 204`, verdict: 'pass' });
      const response: HttpResponse = { status: 204, reason: reasonPhrase(204), headers: [date, ['Connection', 'keep-alive'], ...corsHeaders, ['Content-Length', '0']], body: '', hops };
      log(cluster, server, listener, conn, req, response, locUpstream, '-', '-', id, remoteUser);
      return { response };
    }
    if (!allowed) hops.push({ where, what: `CORS: origin ${origin ?? '(none)'} does not match cors-allow-origin: no Access-Control-* headers`, verdict: 'pass' });
  }

  // Plain HTTP: lua_ingress.lua redirect_to_https — never for no-tls-redirect-locations, always with
  // force-ssl-redirect, with ssl-redirect (the ConfigMap's default: on) when the host has TLS; http-redirect-code.
  if (!tls && rw && !cfg.noTLSRedirectLocations.split(',').some((x) => x.trim() !== '' && path.startsWith(x.trim())) && (rw.forceSSLRedirect || (rw.sslRedirect && t))) {
    const code = cfg.httpRedirectCode;
    hops.push({ where, what: rw.forceSSLRedirect ? `force-ssl-redirect: ${code} redirect to https` : `${host} has TLS configured: ${code} redirect to https`, verdict: 'reject' });
    return page(code, '-', {}, [['Location', `https://${host}${req.path}`]]);
  }

  if (!chosen) {
    // The Ingress-level defaultBackend of a served Ingress, else the controller's own 404.
    const withDefault = controllerIngresses(cluster).find((i) => i.spec?.defaultBackend?.service);
    if (withDefault) {
      chosen = { c: { ing: withDefault, host: '', path: '/', pathType: 'Prefix', backend: withDefault.spec.defaultBackend, regex: false }, groups: [] };
    } else {
      hops.push({ where, what: `no Ingress rule matches host "${host}" path "${path}": default backend answers 404`, verdict: 'reject' });
      return page(404, 'upstream-default-backend', { addr: '127.0.0.1:8181', ustatus: '404' });
    }
  }

  const c = chosen.c;
  const ns = c.ing.metadata.namespace ?? 'default';
  // limit-rps / limit-rpm: nginx limit_req, one zone per Ingress (NAMESPACE_NAME_UID_rps|rpm) keyed by the client address.
  // annotations/ratelimit: the zones and bursts nginxconf.ts renders as limit_req_zone / limit_req; limit_req_status is the ConfigMap's
  const rl = parseAnnotations((location ?? chosen).c.ing, cfg).rateLimit;
  const rps = rl.rps.limit;
  const rpm = rl.rpm.limit;
  // limit-allowlist: the geo block maps an allowlisted client to $limit_ID "", which limit_req does not count
  const allowlisted = rl.allowlist.some((c) => (c.includes('/') ? cidrContains(c, conn.clientIp) : c === conn.clientIp));
  if ((rps > 0 || rpm > 0) && !allowlisted) {
    const limited = [rps > 0 ? { rate: rps, burst: rl.rps.burst, zone: 'rps' } : undefined, rpm > 0 ? { rate: rpm / 60, burst: rl.rpm.burst, zone: 'rpm' } : undefined].filter(Boolean) as { rate: number; burst: number; zone: string }[];
    for (const l of limited) {
      if (!admit(cluster, `${l.zone === 'rps' ? rl.rps.name : rl.rpm.name}/${conn.clientIp}`, l.rate, l.burst)) {
        const status = cfg.limitReqStatusCode;
        hops.push({ where, what: `limit_req: ${conn.clientIp} is over ${l.zone === 'rps' ? `${rps} requests/s` : `${rpm} requests/min`} (burst ${l.burst}) for Ingress ${ns}/${c.ing.metadata.name}: ${status}`, verdict: 'reject' });
        return page(status, `${ns}-${c.backend.service?.name ?? ''}-${c.backend.service?.port?.number ?? c.backend.service?.port?.name ?? ''}`);
      }
    }
  }
  // Access phase (ngx_http_access_module, then auth_basic, then auth_request: nginx runs a phase's
  // handlers in reverse module order; `satisfy all`).
  const authHeaders: [string, string][] = [];
  if (la && location) {
    const access = accessPhase(cluster, la, location.c, req, conn, tls, host, id, controllerPod && { ...controllerPod, container: listener.container }, hops, where, cfg.noAuthLocations);
    if (access.deny) return page(access.deny.status, locUpstream, {}, access.deny.headers);
    authHeaders.push(...access.upstreamHeaders);
  }

  const svcName = c.backend.service?.name ?? '';
  const svc = cluster.store.get('Service', ns, svcName);
  const portSpec = c.backend.service?.port ?? {};
  const upstreamName = `${ns}-${svcName}-${portSpec.number ?? portSpec.name ?? ''}`;
  hops.push({ where, what: `Ingress ${ns}/${c.ing.metadata.name}${canaryUsed ? ' (canary)' : ''}: host "${c.host || '*'}" ${c.pathType} ${c.path} → service ${svcName}:${portSpec.number ?? portSpec.name}`, verdict: 'pass' });
  const sp = svc ? (svc.spec?.ports ?? []).find((p: { port: number; name?: string }) => (portSpec.number !== undefined ? p.port === portSpec.number : p.name === portSpec.name)) : undefined;
  const eps = svc && sp ? serviceEndpoints(cluster, svc, sp).filter((e) => e.ready) : [];
  if (eps.length === 0) {
    hops.push({ where, what: `service ${ns}/${svcName} has no ready endpoints: 503`, verdict: 'reject' });
    return page(503, upstreamName);
  }
  const ep = eps.length === 1 ? eps[0] : eps[cluster.rng.int(eps.length)];

  // rewrite-target with the regex's capture groups.
  let upstreamPath = req.path;
  const rewrite = c.ing.metadata.annotations?.[A + 'rewrite-target'];
  if (rewrite !== undefined) {
    const q = req.path.indexOf('?');
    const query = q >= 0 ? req.path.slice(q) : '';
    upstreamPath = rewrite.replace(/\$(\d)/g, (_: string, d: string) => chosen!.groups[Number(d)] ?? '') || '/';
    if (!upstreamPath.startsWith('/')) upstreamPath = '/' + upstreamPath;
    upstreamPath += query;
    hops.push({ where, what: `rewrite-target ${rewrite}: ${req.path} → ${upstreamPath}`, verdict: 'pass' });
  }

  if (!controllerPod) return page(502, upstreamName);
  const from = { kind: 'pod' as const, namespace: controllerPod.namespace, pod: controllerPod.name, container: listener.container };
  const w = sendPacket(cluster, from, { ip: ep.ip, port: ep.port, proto: 'tcp' }, { record: false });
  hops.push(...w.hops.map((h) => ({ ...h, where: `upstream: ${h.where}` })));
  const addr = `${ep.ip}:${ep.port}`;
  if (w.outcome === 'timeout') {
    cluster.advance(5000); // proxy-connect-timeout
    return page(504, upstreamName, { addr, ustatus: '504' });
  }
  if (w.outcome !== 'delivered' || !w.server) return page(502, upstreamName, { addr, ustatus: '502' });
  const upstreamServer: ServerRef | undefined = ep.pod ? { kind: 'pod', pod: ep.pod } : undefined;
  const ul = upstreamServer ? listenerOn(cluster, upstreamServer, ep.port, 'tcp') : undefined;
  if (!upstreamServer || !ul) return page(502, upstreamName, { addr, ustatus: '502' });
  const fwd: [string, string][] = [
    ['Host', header(req, 'host') ?? host],
    ['X-Request-ID', id],
    ['X-Real-IP', conn.clientIp],
    ['X-Forwarded-For', conn.clientIp],
    ['X-Forwarded-Host', header(req, 'host') ?? host],
    ['X-Forwarded-Port', String(conn.localPort)],
    ['X-Forwarded-Proto', tls ? 'https' : 'http'],
    ['X-Forwarded-Scheme', tls ? 'https' : 'http'],
    ['X-Scheme', tls ? 'https' : 'http'],
    ...authHeaders,
    // `proxy_set_header Authorization "";` with basic auth (nginx.tmpl 1229)
    ...req.headers.filter(([k]) => k.toLowerCase() !== 'host' && !(la?.basicAuth.secured && k.toLowerCase() === 'authorization') && !authHeaders.some(([h]) => h.toLowerCase() === k.toLowerCase())),
  ];
  const up = serveHttp({ cluster: cluster, server: upstreamServer, listener: ul, conn: { clientIp: w.seenSource ?? controllerPod.ip, clientPort: 40000 + cluster.rng.int(20000), localIp: ep.ip, localPort: ep.port } }, { ...req, path: upstreamPath, headers: fwd });
  if (up.empty) return page(502, upstreamName, { addr, ustatus: '502' });
  // ingress-nginx clears the Server header (more_clear_headers Server; server-tokens is off).
  // nginx re-emits what it parsed out of the upstream's header (ngx_http_upstream.c: Date and
  // Server hidden by ngx_http_proxy_hide_headers, Content-Type/Length, Last-Modified and
  // Location copied into headers_out's own fields) in the header filter's fixed order
  // (ngx_http_header_filter_module.c: Date, Content-Type, Content-Length, Last-Modified,
  // Location, Connection), then the upstream's other headers as they came.
  const fixed = ['content-type', 'content-length', 'last-modified', 'location'];
  const upHeader = (name: string) => up.headers.filter(([k]) => k.toLowerCase() === name);
  const headers: [string, string][] = [
    date,
    ...fixed.flatMap(upHeader),
    ['Connection', 'keep-alive'],
    ...up.headers.filter(([k]) => ![...fixed, 'date', 'server', 'connection', 'keep-alive', 'transfer-encoding'].includes(k.toLowerCase())),
  ];
  headers.push(...corsHeaders);
  if (tls) headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  const response: HttpResponse = { status: up.status, reason: up.reason, headers, body: up.body, hops };
  log(cluster, server, listener, conn, req, response, upstreamName, addr, String(up.status), id, remoteUser);
  return { response };
}

/**
 * ingress-nginx's `upstreaminfo` log_format (internal/ingress/controller/config):
 * $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
 * "$http_user_agent" $request_length $request_time [$proxy_upstream_name]
 * [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length
 * $upstream_response_time $upstream_status $req_id
 */
function log(cluster: ClusterRuntime, server: ServerRef, l: Listener, conn: Conn, req: HttpRequest, r: HttpResponse, upstream: string, addr: string, ustatus: string, id: string, remoteUser?: string): void {
  const size = byteLength(r.body);
  const reqLen = byteLength(`${req.method} ${req.path} HTTP/1.1\r\n`) + req.headers.reduce((n, [k, v]) => n + k.length + v.length + 4, 0) + 2;
  const ulen = addr === '-' ? '-' : String(size);
  const utime = addr === '-' ? '-' : '0.001';
  const line = `${conn.clientIp} - ${remoteUser || '-'} [${nginxTimeLocal(cluster.clock.now())}] "${req.method} ${req.path} HTTP/1.1" ${r.status} ${size} "${header(req, 'referer') ?? '-'}" "${header(req, 'user-agent') ?? '-'}" ${reqLen} 0.001 [${upstream}] [] ${addr} ${ulen} ${utime} ${ustatus} ${id}`;
  appendLog(cluster, server, l.container, line);
}

/** NAMESPACE-SERVICE-PORT of a rule's backend (controller.go upstreamName). */
function upstreamOf(c: Candidate): string {
  const p = c.backend.service?.port ?? {};
  return `${c.ing.metadata.namespace ?? 'default'}-${c.backend.service?.name ?? ''}-${p.number ?? p.name ?? ''}`;
}

/** Go's url.QueryEscape-like escaping set_escape_uri applies to $request_uri (set-misc-nginx-module: ngx_escape_uri, component mode). */
function escapeUri(s: string): string {
  return [...new TextEncoder().encode(s)].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

interface AccessOutcome {
  deny?: { status: number; headers: [string, string][] };
  /** auth-response-headers copied from the auth service's answer (proxy_set_header '$h' $authHeaderN) */
  upstreamHeaders: [string, string][];
}

/** nginx's access phase for the location: allow/deny (allowlist-source-range), auth_basic, auth_request (auth-url). */
function accessPhase(
  cluster: ClusterRuntime,
  la: IngressAnnotations,
  c: Candidate,
  req: HttpRequest,
  conn: Conn,
  tls: boolean,
  host: string,
  id: string,
  controllerPod: (PodInfo & { container: string }) | undefined,
  hops: TraceHop[],
  where: string,
  noAuthLocations: string,
): AccessOutcome {
  const out: AccessOutcome = { upstreamHeaders: [] };
  // allow CIDR…; deny all; — $remote_addr is the address the controller's socket saw (after any SNAT on the way)
  if (la.allowlist.length) {
    const ok = la.allowlist.some((x) => (x.includes('/') ? cidrContains(x, conn.clientIp) : x === conn.clientIp));
    if (!ok) {
      hops.push({ where, what: `allowlist-source-range ${la.allowlist.join(',')}: client ${conn.clientIp} is not allowed ("access forbidden by rule"): 403`, verdict: 'reject' });
      out.deny = { status: 403, headers: [] };
      return out;
    }
    hops.push({ where, what: `allowlist-source-range: client ${conn.clientIp} is allowed`, verdict: 'pass' });
  }
  // no-auth-locations: the location's path under one of them skips both auths
  if (noAuthLocations.split(',').some((x) => x.trim() !== '' && c.path.startsWith(x.trim()))) return out;
  if (la.basicAuth.secured && la.basicAuth.type === 'basic') {
    const realm = la.basicAuth.realm;
    const deny401 = (why: string): AccessOutcome => {
      hops.push({ where, what: `auth_basic: ${why}: 401`, verdict: 'reject' });
      return { deny: { status: 401, headers: [['WWW-Authenticate', `Basic realm="${realm}"`]] }, upstreamHeaders: [] };
    };
    const cred = basicCredentials(header(req, 'authorization'));
    if (!cred) return deny401('no user/password was provided for basic authentication');
    const check = checkUserFile(la.basicAuth.content, cred.user, cred.password);
    if (check.result === 'no-user') return deny401(`user "${cred.user}" was not found in "${la.basicAuth.file}"`);
    if (check.result === 'mismatch') return deny401(`user "${cred.user}": password mismatch`);
    if (check.result === 'unsupported') return deny401(`user "${cred.user}": the ${check.scheme} hash in ${la.basicAuth.secret} is not simulated here (use htpasswd's default $apr1$, {SHA} or {PLAIN})`);
    hops.push({ where, what: `auth_basic: user "${cred.user}" authenticated against ${la.basicAuth.secret}`, verdict: 'pass' });
  } else if (la.basicAuth.secured) {
    hops.push({ where, what: `auth-type ${la.basicAuth.type}: digest authentication is not simulated here: 401`, verdict: 'reject' });
    return { deny: { status: 401, headers: [] }, upstreamHeaders: [] };
  }
  const e = la.externalAuth;
  if (e.url) {
    const sub = authSubrequest(cluster, e, req, conn, tls, host, id, controllerPod);
    hops.push(...sub.hops.map((h) => ({ ...h, where: `auth-url: ${h.where}` })));
    if (sub.status >= 200 && sub.status < 300) {
      hops.push({ where, what: `auth_request ${e.url}: ${sub.status}, access allowed`, verdict: 'pass' });
      for (const h of e.responseHeaders) {
        const v = sub.headers.find(([k]) => k.toLowerCase() === h.toLowerCase())?.[1];
        // proxy_set_header with an empty value sends no header
        if (v) out.upstreamHeaders.push([h, v]);
      }
      return out;
    }
    if (sub.status === 401 && e.signinURL) {
      // error_page 401 = @signin: return 302 to auth-signin with rd=$pass_access_scheme://$http_host$escaped_request_uri
      const param = e.signinURLRedirectParam || 'rd';
      const q = e.signinURL.includes('?') ? e.signinURL.slice(e.signinURL.indexOf('?') + 1) : '';
      const rd = `${tls ? 'https' : 'http'}://${header(req, 'host') ?? host}${escapeUri(req.path)}`;
      const loc = !q ? `${e.signinURL}?${param}=${rd}` : q.split('&').some((x) => x.split('=')[0] === param && (x.split('=')[1] ?? '') !== '') ? e.signinURL : `${e.signinURL}&${param}=${rd}`;
      hops.push({ where, what: `auth_request ${e.url}: 401, auth-signin: 302 to ${loc}`, verdict: 'reject' });
      return { deny: { status: 302, headers: [['Location', loc]] }, upstreamHeaders: [] };
    }
    const status = sub.status === 401 || sub.status === 403 ? sub.status : 500;
    hops.push({ where, what: `auth_request ${e.url}: ${sub.status ? `the auth service answered ${sub.status}` : sub.error ?? 'no answer'}: ${status}`, verdict: 'reject' });
    return { deny: { status, headers: [] }, upstreamHeaders: [] };
  }
  return out;
}

/**
 * The auth_request subrequest to auth-url (the `location = /_external-auth-…` block): nginx's
 * `proxy_pass $target` resolves the host with its `resolver` (the cluster DNS, no search list:
 * the name must be fully qualified), then sends the original request's headers without its
 * body, with Host, X-Original-URL, X-Original-Method, X-Sent-From, X-Real-IP, X-Forwarded-For
 * and X-Auth-Request-Redirect.
 */
function authSubrequest(cluster: ClusterRuntime, e: IngressAnnotations['externalAuth'], req: HttpRequest, conn: Conn, tls: boolean, host: string, id: string, controllerPod: (PodInfo & { container: string }) | undefined): { status: number; headers: [string, string][]; hops: TraceHop[]; error?: string } {
  const hops: TraceHop[] = [];
  if (!controllerPod) return { status: 0, headers: [], hops, error: 'no controller pod' };
  const m = /^(https?):\/\/([^/:?#]+)(?::(\d+))?([^#]*)$/.exec(e.url);
  if (!m || e.url.includes('$')) return { status: 0, headers: [], hops, error: `${e.url} is not simulated here (nginx variables or an unsupported scheme in auth-url)` };
  const [, scheme, authHost, portStr, rest] = m;
  const port = Number(portStr ?? (scheme === 'https' ? 443 : 80));
  const from = { kind: 'pod' as const, namespace: controllerPod.namespace, pod: controllerPod.name, container: controllerPod.container };
  const name = /^[\d.]+$/.test(authHost) || authHost.endsWith('.') ? authHost : `${authHost}.`;
  const w = connect(cluster, from, name, port, 'tcp', { record: false });
  hops.push(...w.hops);
  if (w.outcome === 'nxdomain' || (!w.address && w.outcome !== 'delivered')) return { status: 0, headers: [], hops, error: `${authHost} could not be resolved (3: Host not found)` };
  if (w.outcome !== 'delivered' || !w.server) return { status: 0, headers: [], hops, error: `connect() to ${w.address}:${port} failed (${w.outcome})` };
  const ref = serverRefFor(cluster, w.server.host as { kind: string; namespace?: string; pod?: string; node?: string; ip?: string });
  const l = ref ? listenerOn(cluster, ref, w.server.port, 'tcp', w.server.ip) : undefined;
  if (!ref || !l) return { status: 0, headers: [], hops, error: `no listener at ${w.address}:${port}` };
  if (scheme === 'https' || l.tls) return { status: 0, headers: [], hops, error: `an HTTPS auth-url is not simulated here` };
  const srv: ServerRef = l.pod ? { kind: 'pod', pod: l.pod, container: l.container } : ref;
  const hdrs: [string, string][] = [
    ['Host', authHost],
    ['X-Request-ID', id],
    ...(e.method ? ([['X-Original-URI', req.path], ['X-Scheme', tls ? 'https' : 'http']] as [string, string][]) : []),
    ['X-Original-URL', `${tls ? 'https' : 'http'}://${header(req, 'host') ?? host}${req.path}`],
    ['X-Original-Method', req.method],
    ['X-Sent-From', 'nginx-ingress-controller'],
    ['X-Real-IP', conn.clientIp],
    ['X-Forwarded-For', conn.clientIp],
    ['X-Auth-Request-Redirect', e.requestRedirect || req.path],
    ...req.headers.filter(([k]) => !['host', 'content-length', 'x-forwarded-proto', 'x-request-id', 'x-real-ip', 'x-forwarded-for'].includes(k.toLowerCase())),
  ];
  const up = serveHttp({ cluster, server: srv, listener: l, conn: { clientIp: w.seenSource ?? controllerPod.ip, clientPort: 40000 + cluster.rng.int(20000), localIp: w.server.ip, localPort: w.server.port } }, { method: e.method || req.method, path: rest || '/', headers: hdrs, body: '', scheme: 'http' });
  if (up.empty) return { status: 0, headers: [], hops, error: 'upstream prematurely closed connection' };
  return { status: up.status, headers: up.headers, hops };
}
