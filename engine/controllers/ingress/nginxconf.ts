/**
 * The controller's generated /etc/nginx/nginx.conf: ingress-nginx v1.12.0's
 * rootfs/etc/nginx/template/nginx.tmpl rendered for the Ingresses it serves and the
 * configuration it holds (config.ts: NewDefault merged with its --configmap ConfigMap), then
 * passed through template.go cleanConf — the whole file: the main context, the http block
 * (its globals, the rate-limit zones, every server, the 8181 backend and the 10246 status
 * server) and the stream block.
 *
 * Upstream (kubernetes/ingress-nginx, tag controller-v1.12.0):
 * - internal/ingress/controller/controller.go getBackendServers/createServers (the `_`
 *   server and its root location on upstream-default-backend, a root location per host —
 *   on the Ingress's spec.defaultBackend when it names one —, rule paths replacing a
 *   default location of the same path and type or added beside it, canary Ingresses left
 *   out, locations sorted by path descending then by length descending, servers by name),
 *   locationApplyAnnotations; store.go sortIngressSlice (by creationTimestamp, then
 *   namespace/name descending);
 * - location.go updateServerLocations (a Prefix PATH other than / becomes `PATH/` and an
 *   Exact `= PATH`, unless it rewrites or uses a regex);
 * - nginx.go generateTemplate (server_names_hash sizes from the host names,
 *   MaxWorkerOpenFiles = RLIMIT_NOFILE − 1024, the backlog from net.core.somaxconn, the
 *   default certificate) and internal/nginx/main.go (PID, StatusPort 10246, StreamPort 10247);
 * - template/template.go: buildLuaSharedDictionaries, buildResolvers, buildLocation,
 *   locationConfigForLua, getIngressInformation, buildProxyPass, buildRateLimitZones,
 *   buildRateLimit, filterRateLimits, buildNextUpstream, buildForwardedFor, isValidByteSize,
 *   proxySetHeader, buildHTTPListener/buildHTTPSListener, buildServerName, cleanConf.
 *
 * Where the real file holds what the cluster's state cannot give, we choose:
 * - `# Configuration checksum:` is hashstructure's FNV-64a over the Go structs; we print
 *   the FNV-64a (decimal, as %v prints a uint64) of the same configuration as we hold it, so
 *   it changes exactly when the configuration does;
 * - buildRateLimitZones returns a Go set's UnsortedList (map order, random per render);
 *   we print the zones sorted;
 * - worker_rlimit_nofile is RLIMIT_NOFILE's hard limit − 1024: containerd 1.7's
 *   LimitNOFILE=infinity gives the container 1048576;
 * - backlog= is the Pod netns's net.core.somaxconn, 4096 on the nodes' 5.15 kernel.
 * The access annotations (annotations.ts): the auth_request location of auth-url and the
 * named location of auth-signin (nginx.tmpl 967-1105), allow/deny, the CORS template,
 * auth_request/auth_basic (1162-1231), a denied location's `return 503` (1385-1387); the
 * configuration-snippet and server-snippet only when allow-snippet-annotations is on and
 * annotations-risk-level lets them through (an Ingress carrying them is otherwise not in
 * the store at all: proxy.ts controllerIngresses).
 * Not rendered (their annotations and keys are not simulated): digest auth's module
 * options beyond the two directives, auth-keepalive's auth upstreams (auth-keepalive > 0
 * with use-http2 off), auth-cache-key, auth-proxy-set-headers, global-auth-url, the
 * denylist, ModSecurity, OpenTelemetry, GeoIP2 databases, custom error pages, mirrors,
 * TCP/UDP services, SSL passthrough, from-to-www redirects.
 */
import type { ClusterRuntime } from '../runtime';
import type { KubeObject } from '../../cluster/types';
import { controllerIngresses } from './proxy';
import { controllerConfig, controllerFlag, dictKbToStr, type NginxConfiguration } from './config';
import { parseAnnotations, type IngressAnnotations } from './annotations';
import { resolvConf } from '../dns/resolvconf';
import { ingressNginxFakeCertificate, secretKeyPair } from '../../tls/serve';
import { pemEncode, toBase64 } from '../../tls/pem';
import { pkcs1 } from '../../tls/keys';
import { sha1, sha1Bytes } from '../../cluster/hash';

type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface Location {
  path: string;
  pathType: PathType;
  isDefBackend: boolean;
  ing?: KubeObject;
  /** the rule's path (updateServerLocations); '' for a root location */
  ingressPath: string;
  backend: string;
  anns: IngressAnnotations;
}

export interface Server {
  hostname: string;
  locations: Location[];
  /** createServers: the first Ingress's server-snippet for the host (allow-snippet-annotations on) */
  serverSnippet?: string;
}

/**
 * template.go cleanConf: tabs by brace depth, leading blanks dropped, blank-line runs kept as
 * one, a `#` comment copied verbatim to its line's end. Upstream walks the bytes with a state
 * machine; this walks lines with the same states (a line's indentation is the depth after a
 * leading `}`, braces after a `#` do not count).
 */
export function cleanConf(input: string, startDepth = 0): string {
  const out: string[] = [];
  let depth = startDepth;
  let emptyLineWritten = false;
  const lines = input.split('\n');
  lines.forEach((raw, i) => {
    const last = i === lines.length - 1;
    let k = 0;
    while (k < raw.length && (raw[k] === ' ' || raw[k] === '\t')) k++;
    const line = raw.slice(k);
    if (line === '') {
      if (!last && !emptyLineWritten) {
        out.push('\n');
        emptyLineWritten = true;
      }
      return;
    }
    let j = 0;
    if (line[0] === '}') {
      depth--;
      j = 1;
    }
    out.push('\t'.repeat(Math.max(0, depth)));
    for (; j < line.length; j++) {
      const c = line[j];
      if (c === '#') break;
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    out.push(line);
    if (!last) out.push('\n');
    emptyLineWritten = false;
  });
  return out.join('');
}

/** Go's %q for the ASCII the template quotes. */
const quote = (s: string) => JSON.stringify(s);

interface Backend {
  service?: { name: string; port?: { number?: number; name?: string } };
}

/** controller.go upstreamName: NAMESPACE-SERVICE-PORT (the port's number, else its name). */
function upstreamName(ns: string, svc: NonNullable<Backend['service']>): string {
  return `${ns}-${svc.name}-${svc.port?.number && svc.port.number > 0 ? svc.port.number : (svc.port?.name ?? '')}`;
}

/** store.go sortIngressSlice: by creationTimestamp, equal ones by namespace/name descending. */
function sortIngresses(ings: KubeObject[]): KubeObject[] {
  const key = (i: KubeObject) => `${i.metadata.namespace ?? ''}/${i.metadata.name}`;
  return [...ings].sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    if (ta !== tb) return ta - tb;
    return key(a) > key(b) ? -1 : key(a) < key(b) ? 1 : 0;
  });
}

/** The root location of the `_` server before any Ingress: defaults, no annotations (createServers). */
function defaultRootAnnotations(cfg: NginxConfiguration): IngressAnnotations {
  const a = parseAnnotations(undefined, cfg);
  return {
    ...a,
    rewrite: { target: '', sslRedirect: false, forceSSLRedirect: false, preserveTrailingSlash: false, useRegex: false, appRoot: '' },
    rateLimit: { ...a.rateLimit, limitRate: 0, limitRateAfter: 0 },
    logs: { access: cfg.enableAccessLogForDefaultBackend, rewrite: false },
    usePortInRedirects: false,
    backendProtocol: '',
    allowlist: [],
  };
}

/** location.go updateServerLocations. */
function updateServerLocations(locations: Location[]): Location[] {
  const exact = new Set(locations.filter((l) => l.pathType === 'Exact').map((l) => l.path));
  const out: Location[] = [];
  for (const l of locations) {
    if (l.path === '/') {
      out.push(l);
      continue;
    }
    l.ingressPath = l.path;
    if (l.pathType !== 'Prefix' || needsRewrite(l) || l.anns.rewrite.useRegex) {
      out.push(l);
      continue;
    }
    const normalized = l.path.endsWith('/') ? l.path : `${l.path}/`;
    if (exact.has(l.path)) {
      out.push({ ...l, path: normalized });
      continue;
    }
    out.push({ ...l, path: normalized }, { ...l, pathType: 'Exact' });
  }
  return out;
}

function needsRewrite(l: Location): boolean {
  return l.anns.rewrite.target !== '' && l.anns.rewrite.target !== l.path;
}

/** The servers the controller builds from the Ingresses of its class (getBackendServers, getConfiguration). */
export function nginxServers(cluster: ClusterRuntime, cfg: NginxConfiguration): Server[] {
  const ings = sortIngresses(controllerIngresses(cluster));
  const resolver = { secret: (ns: string, name: string) => cluster.store.get('Secret', ns, name) };
  const anns = new Map(ings.map((i) => [i.metadata.uid, parseAnnotations(i, cfg, resolver)] as const));
  const annsOf = (i: KubeObject) => anns.get(i.metadata.uid)!;
  // createUpstreams: a canary Ingress's backends are NoServer (they live in Lua's alternative backends)
  const noServer = new Set<string>();
  const withServer = new Set<string>();
  for (const ing of ings) {
    const ns = ing.metadata.namespace ?? 'default';
    const names = [...(ing.spec?.defaultBackend?.service ? [upstreamName(ns, ing.spec.defaultBackend.service)] : []), ...((ing.spec?.rules ?? []) as { http?: { paths?: { backend?: Backend }[] } }[]).flatMap((r) => (r.http?.paths ?? []).flatMap((p) => (p.backend?.service ? [upstreamName(ns, p.backend.service)] : [])))];
    for (const n of names) {
      if (noServer.has(n) || withServer.has(n)) continue;
      (annsOf(ing).canary ? noServer : withServer).add(n);
    }
  }

  // createServers
  const servers = new Map<string, Server>();
  servers.set('_', { hostname: '_', locations: [{ path: '/', pathType: 'Prefix', isDefBackend: true, ingressPath: '', backend: 'upstream-default-backend', anns: defaultRootAnnotations(cfg) }] });
  for (const ing of ings) {
    const a = annsOf(ing);
    if (a.canary) continue;
    let un = 'upstream-default-backend';
    const db = ing.spec?.defaultBackend?.service;
    if (db) {
      un = upstreamName(ing.metadata.namespace ?? 'default', db);
      const defLoc = servers.get('_')!.locations[0];
      if (defLoc.isDefBackend && !(ing.spec?.rules ?? []).length) {
        // an Ingress with a backend and no rule configures the catch-all server; its redirect and rewrite are not applied
        Object.assign(defLoc, { isDefBackend: false, backend: un, ing, anns: { ...a, rewrite: defLoc.anns.rewrite } });
      }
    }
    for (const rule of (ing.spec?.rules ?? []) as { host?: string }[]) {
      const host = rule.host || '_';
      const known = servers.get(host);
      if (known && cfg.allowSnippetAnnotations && a.serverSnippet && !known.serverSnippet) known.serverSnippet = a.serverSnippet;
      if (known) continue;
      servers.set(host, { hostname: host, locations: [{ path: '/', pathType: 'Prefix', isDefBackend: true, ingressPath: '', backend: un, ing, anns: a }], ...(cfg.allowSnippetAnnotations && a.serverSnippet ? { serverSnippet: a.serverSnippet } : {}) });
    }
  }

  // getBackendServers: the rules' paths
  for (const ing of ings) {
    const a = annsOf(ing);
    const ns = ing.metadata.namespace ?? 'default';
    for (const rule of (ing.spec?.rules ?? []) as { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: Backend }[] } }[]) {
      const server = servers.get(rule.host || '_') ?? servers.get('_')!;
      if (!rule.http) continue;
      for (const p of rule.http.paths ?? []) {
        const svc = p.backend?.service;
        if (!svc) continue;
        const ups = upstreamName(ns, svc);
        if (noServer.has(ups)) continue;
        const path = p.path || '/';
        const pathType = (p.pathType ?? 'ImplementationSpecific') as PathType;
        let addLoc = true;
        for (const loc of server.locations) {
          if (loc.path !== path) continue;
          if (loc.pathType !== pathType) break;
          addLoc = false;
          if (!loc.isDefBackend) break;
          Object.assign(loc, { backend: ups, isDefBackend: false, ing, anns: a });
          break;
        }
        if (addLoc) server.locations.push({ path, pathType, isDefBackend: false, ing, ingressPath: '', backend: ups, anns: a });
      }
    }
  }

  const out: Server[] = [];
  for (const s of servers.values()) {
    const locs = [...s.locations];
    locs.sort((x, y) => (x.path > y.path ? -1 : x.path < y.path ? 1 : 0));
    locs.sort((x, y) => y.path.length - x.path.length);
    out.push({ hostname: s.hostname, locations: locs, ...(s.serverSnippet ? { serverSnippet: s.serverSnippet } : {}) });
  }
  out.sort((x, y) => (x.hostname < y.hostname ? -1 : x.hostname > y.hostname ? 1 : 0));
  // getConfiguration: each server's locations normalized after the sort
  return out.map((s) => ({ ...s, locations: updateServerLocations(s.locations) }));
}

/** buildServerName: a wildcard host becomes a regex server_name. */
function serverName(host: string): string {
  if (!host.startsWith('*')) return host;
  return `~^(?<subdomain>[\\w-]+)\\.${host.replace('*.', '').split('.').join('\\.')}$`;
}

/** template.go getIngressInformation: what the location's `set $…` lines name. */
function ingressInformation(ing: KubeObject | undefined, hostname: string, ingressPath: string): { namespace: string; rule: string; service: string; servicePort: string; path: string } {
  const info = { namespace: '', rule: '', service: '', servicePort: '', path: '' };
  if (!ing) return info;
  info.namespace = ing.metadata.namespace ?? '';
  info.rule = ing.metadata.name;
  info.path = ingressPath || '/';
  const port = (s: NonNullable<Backend['service']>) => (s.port?.number && s.port.number > 0 ? String(s.port.number) : (s.port?.name ?? ''));
  const db = ing.spec?.defaultBackend?.service;
  if (db) {
    info.service = db.name;
    info.servicePort = port(db);
  }
  for (const rule of (ing.spec?.rules ?? []) as { host?: string; http?: { paths?: { path?: string; backend?: Backend }[] } }[]) {
    if (!rule.http) continue;
    if (hostname !== '_' && !rule.host) continue;
    if (hostname !== (rule.host || '_')) continue;
    for (const p of rule.http.paths ?? []) {
      if (info.path !== (p.path ?? '')) continue;
      if (!p.backend?.service) continue;
      if (info.service !== '' && p.backend.service.name === '') return info;
      info.service = p.backend.service.name;
      info.servicePort = port(p.backend.service);
      return info;
    }
  }
  return info;
}

/** isValidByteSize (nginx's size and offset syntaxes). */
const validSize = (s: string, offset: boolean) => (offset ? /^\d+[kKmMgG]?$/ : /^\d+[kKmM]?$/).test(s.trim());

/** buildNextUpstream: `non_idempotent` moved last, added when retry-non-idempotent is on. */
function buildNextUpstream(next: string, retryNonIdempotent: boolean): string {
  const codes: string[] = [];
  let retry = retryNonIdempotent;
  for (const v of next.split(' ')) {
    if (v !== '' && v !== 'non_idempotent') codes.push(v);
    if (v === 'non_idempotent') retry = true;
  }
  if (retry) codes.push('non_idempotent');
  return codes.join(' ');
}

/** buildProxyPass: the upstream_balancer pass for the backend protocol, after the rewrite-target's rewrite. */
function buildProxyPass(l: Location, psh: string): string[] {
  let proto = 'http://';
  let pass = 'proxy_pass';
  switch (l.anns.backendProtocol.toUpperCase()) {
    case 'AUTO_HTTP':
      proto = '$scheme://';
      break;
    case 'HTTPS':
      proto = 'https://';
      break;
    case 'GRPC':
      proto = 'grpc://';
      pass = 'grpc_pass';
      break;
    case 'GRPCS':
      proto = 'grpcs://';
      pass = 'grpc_pass';
      break;
    case 'FCGI':
      proto = '';
      pass = 'fastcgi_pass';
      break;
  }
  if (l.backend === 'upstream-default-backend') {
    proto = 'http://';
    pass = 'proxy_pass';
  }
  const def = `${pass} ${proto}upstream_balancer;`;
  const target = l.anns.rewrite.target;
  if (l.path === target || target === '') return [def];
  const xfp = l.anns.xForwardedPrefix ? [`${psh} X-Forwarded-Prefix ${quote(l.anns.xForwardedPrefix)};`] : [];
  return ['', `rewrite "(?i)${l.path}" ${target} break;`, ...xfp, def];
}

/** buildRateLimit: limit_conn, then RPS, then RPM, then the rate limits. */
function buildRateLimit(l: Location): string[] {
  const r = l.anns.rateLimit;
  return [
    ...(r.connections.limit > 0 ? [`limit_conn ${r.connections.name} ${r.connections.limit};`] : []),
    ...(r.rps.limit > 0 ? [`limit_req zone=${r.rps.name} burst=${r.rps.burst} nodelay;`] : []),
    ...(r.rpm.limit > 0 ? [`limit_req zone=${r.rpm.name} burst=${r.rpm.burst} nodelay;`] : []),
    ...(r.limitRateAfter > 0 ? [`limit_rate_after ${r.limitRateAfter}k;`] : []),
    ...(r.limitRate > 0 ? [`limit_rate ${r.limitRate}k;`] : []),
  ];
}

/** isLocationInLocationList (no-tls-redirect-locations: a prefix of the location's path). */
function inLocationList(path: string, list: string): boolean {
  return list.split(',').map((x) => x.trim()).some((x) => x !== '' && path.startsWith(x));
}

/** What the template needs beyond the configuration (TemplateConfig). */
interface TemplateContext {
  cfg: NginxConfiguration;
  ipv6: boolean;
  backlog: number;
  ports: { http: number; https: number; default: number };
  servers: Server[];
  resolvers: string[];
  defaultCert: { pemFileName: string; pemSHA: string };
  checksum: string;
}

/** `{{ range }}` whose item is on a line of its own: a blank line around each item. */
const rangeLines = (items: string[]): string[] => (items.length ? items.flatMap((x) => ['', x]).concat('') : ['']);
/** `{{ range }}\n ITEM{{ end }}`: the items one a line after a blank. */
const rangeInline = (items: string[]): string[] => ['', ...items];

/** One location block (nginx.tmpl SERVER template, lines 961-1410). */
function locationLines(t: TemplateContext, s: Server, l: Location, enforceRegex: boolean): string[] {
  const { cfg } = t;
  const a = l.anns;
  const psh = a.backendProtocol === 'GRPC' || a.backendProtocol === 'GRPCS' ? 'grpc_set_header' : 'proxy_set_header';
  const info = ingressInformation(l.ing, s.hostname, l.ingressPath);
  const path = enforceRegex ? `~* "^${l.path}"` : l.pathType === 'Exact' ? `= ${l.path}` : l.path;
  const p = a.proxy;
  const fullXff = cfg.useForwardedHeaders && cfg.computeFullForwardedFor;
  const grpc = a.backendProtocol === 'GRPC' || a.backendProtocol === 'GRPCS';
  const authPath = buildAuthLocation(l);
  const allowed = a.denied === undefined;
  const head = [
    '',
    ...(a.rewrite.appRoot ? ['if ($uri = /) {', `return 302 $scheme://$http_host${a.rewrite.appRoot};`, '}'] : []),
    '',
    ...(authPath ? authLocationLines(t, s, l, authPath) : []), '',
    ...(allowed && a.externalAuth.signinURL ? signinLocationLines(l) : []), '',
    `location ${path} {`, '',
    `set $namespace      ${quote(info.namespace)};`,
    `set $ingress_name   ${quote(info.rule)};`,
    `set $service_name   ${quote(info.service)};`,
    `set $service_port   ${quote(info.servicePort)};`,
    `set $location_path  ${quote(info.path.replace(/\$/g, '${literal_dollar}'))};`,
    '', '', '',
    // locationConfigForLua
    `set $force_ssl_redirect "${a.rewrite.forceSSLRedirect}";`,
    `set $ssl_redirect "${a.rewrite.sslRedirect}";`,
    `set $force_no_ssl_redirect "${inLocationList(l.path, cfg.noTLSRedirectLocations)}";`,
    `set $preserve_trailing_slash "${a.rewrite.preserveTrailingSlash}";`,
    `set $use_port_in_redirects "${a.usePortInRedirects}";`,
    '',
    'rewrite_by_lua_file /etc/nginx/lua/nginx/ngx_rewrite.lua;', '',
    'header_filter_by_lua_file /etc/nginx/lua/nginx/ngx_conf_srv_hdr_filter.lua;', '',
    'log_by_lua_file /etc/nginx/lua/nginx/ngx_conf_log_block.lua;', '',
    ...(a.logs.access ? [] : ['access_log off;']), '',
    ...(a.logs.rewrite ? ['rewrite_log on;'] : []), '', '',
    `port_in_redirect ${a.usePortInRedirects ? 'on' : 'off'};`, '',
    'set $balancer_ewma_score -1;',
    `set $proxy_upstream_name ${quote(l.backend)};`,
    'set $proxy_host          $proxy_upstream_name;',
    'set $pass_access_scheme  $scheme;', '',
    cfg.useProxyProtocol ? 'set $pass_server_port    $proxy_protocol_server_port;' : 'set $pass_server_port    $server_port;', '',
    'set $best_http_host      $http_host;',
    'set $pass_port           $pass_server_port;', '',
    'set $proxy_alternative_upstream_name "";', '',
  ];
  const body = [
    ...accessLines(t, l, psh, authPath), '',
    ...rangeInline(buildRateLimit(l)), '',
    ...(validSize(p.bodySize, true) ? [`client_max_body_size                    ${p.bodySize};`] : []), '',
    ...(validSize(a.clientBodyBufferSize, false) ? [`client_body_buffer_size                 ${a.clientBodyBufferSize};`] : []), '',
    a.upstreamVhost ? `${psh} Host                   ${quote(a.upstreamVhost)};` : `${psh} Host                   $best_http_host;`, '',
    '# Pass the extracted client certificate to the backend', '',
    '# Allow websocket connections',
    `${psh}                        Upgrade           $http_upgrade;`, '',
    `${psh}                        Connection        ${a.connection.enabled ? a.connection.header : '$connection_upgrade'};`, '',
    `${psh} X-Request-ID           $req_id;`,
    `${psh} X-Real-IP              $remote_addr;`, '',
    `${psh} X-Forwarded-For        ${fullXff ? '$full_x_forwarded_for' : '$remote_addr'};`, '',
    `${psh} X-Forwarded-Host       $best_http_host;`,
    `${psh} X-Forwarded-Port       $pass_port;`,
    `${psh} X-Forwarded-Proto      $pass_access_scheme;`,
    `${psh} X-Forwarded-Scheme     $pass_access_scheme;`, '',
    ...(cfg.proxyAddOriginalURIHeader ? [`${psh} X-Original-URI         $request_uri;`] : []), '',
    `${psh} X-Scheme               $pass_access_scheme;`, '',
    '# Pass the original X-Forwarded-For',
    `${psh} X-Original-Forwarded-For $http_${cfg.forwardedForHeader.replace(/-/g, '_').toLowerCase()};`, '',
    '# mitigate HTTPoxy Vulnerability',
    '# https://www.nginx.com/blog/mitigating-the-httpoxy-vulnerability-with-nginx/',
    `${psh} Proxy                  "";`, '',
    '# Custom headers to proxied server', '',
    `proxy_connect_timeout                   ${p.connectTimeout}s;`,
    `proxy_send_timeout                      ${p.sendTimeout}s;`,
    `proxy_read_timeout                      ${p.readTimeout}s;`, '',
    `proxy_buffering                         ${p.proxyBuffering};`,
    `proxy_buffer_size                       ${p.bufferSize};`,
    `proxy_buffers                           ${p.buffersNumber} ${p.bufferSize};`, '',
    ...(validSize(p.proxyMaxTempFileSize, true) ? [`proxy_max_temp_file_size                ${p.proxyMaxTempFileSize};`] : []), '',
    `proxy_request_buffering                 ${p.requestBuffering};`,
    `proxy_http_version                      ${p.proxyHTTPVersion};`, '',
    `proxy_cookie_domain                     ${p.cookieDomain};`,
    `proxy_cookie_path                       ${p.cookiePath};`, '',
    '# In case of errors try the next upstream server before returning an error',
    `proxy_next_upstream                     ${buildNextUpstream(p.nextUpstream, cfg.retryNonIdempotent)};`,
    `proxy_next_upstream_timeout             ${p.nextUpstreamTimeout};`,
    `proxy_next_upstream_tries               ${p.nextUpstreamTries};`, '',
    ...(grpc ? ['# Grpc settings', `grpc_connect_timeout                    ${p.connectTimeout}s;`, `grpc_send_timeout                       ${p.sendTimeout}s;`, `grpc_read_timeout                       ${p.readTimeout}s;`] : []), '',
    '', '',
    // nginx.tmpl 1327: the configuration-snippet, when allow-snippet-annotations kept it (dropSnippetDirectives)
    ...(cfg.allowSnippetAnnotations && a.configurationSnippet ? [a.configurationSnippet] : []), '',
    ...(cfg.locationSnippet ? ['# Custom code snippet configured in the configuration configmap', cfg.locationSnippet] : []), '',
    '', '', '', '', '',
    ...(a.backendProtocol === 'FCGI' ? ['include /etc/nginx/fastcgi_params;'] : []), '',
    '',
    ...buildProxyPass(l, psh),
    '',
    ...(p.proxyRedirectFrom === 'default' || p.proxyRedirectFrom === 'off'
      ? [`proxy_redirect                          ${p.proxyRedirectFrom};`]
      : p.proxyRedirectTo !== 'off'
        ? [`proxy_redirect                          ${p.proxyRedirectFrom} ${p.proxyRedirectTo};`]
        : []),
  ];
  // nginx.tmpl 1385-1387: a denied location (annotations.go Extract's LocationDenied)
  const denied = ['', `# Location denied. Reason: ${quote(a.denied ?? '')}`, 'return 503;'];
  return [...head, ...(allowed ? body : denied), '', '', '', '}', ''];
}

/** template.go buildAuthLocation: /_external-auth-BASE64URL(PATH)-PATHTYPE, '' without auth-url. */
function buildAuthLocation(l: Location): string {
  if (!l.anns.externalAuth.url) return '';
  return `/_external-auth-${base64UrlNoPad(l.path)}-${l.pathType}`;
}

/** Go's base64.URLEncoding with the "=" removed. */
function base64UrlNoPad(s: string): string {
  return toBase64(new TextEncoder().encode(s)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
}

/** template.go buildAuthSignURLLocation: "@" + sha1(path + signin URL). */
const signinLocation = (l: Location) => `@${sha1(l.path + l.anns.externalAuth.signinURL)}`;

/** template.go buildAuthSignURL (auth-signin-redirect-param, else "rd"). */
function buildAuthSignURL(url: string, param: string): string {
  const p = param || 'rd';
  const q = url.indexOf('?') >= 0 ? url.slice(url.indexOf('?') + 1).split('#')[0] : '';
  const pairs = q.split('&').filter((x) => x !== '');
  if (!pairs.length) return `${url}?${p}=$pass_access_scheme://$http_host$escaped_request_uri`;
  if (pairs.some((x) => x.split('=')[0] === p && (x.split('=')[1] ?? '') !== '')) return url;
  return `${url}&${p}=$pass_access_scheme://$http_host$escaped_request_uri`;
}

/** nginx.tmpl 833-864: the CORS template. */
function corsLines(l: Location): string[] {
  const c = l.anns.cors;
  const originRegex =
    c.allowOrigin.length === 1 && c.allowOrigin[0] === '*'
      ? ['set $http_origin *;', "set $cors 'true';"]
      : [`if ($http_origin ~* (${c.allowOrigin.map((o) => `(${o.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\*', '[A-Za-z0-9\\-]+')})`).join('|')})$ ) { set $cors 'true'; }`];
  const common = [
    "more_set_headers 'Access-Control-Allow-Origin: $http_origin';",
    c.allowCredentials ? ` more_set_headers 'Access-Control-Allow-Credentials: ${c.allowCredentials}'; ` : '',
    `more_set_headers 'Access-Control-Allow-Methods: ${c.allowMethods}';`,
    `more_set_headers 'Access-Control-Allow-Headers: ${c.allowHeaders}';`,
    c.exposeHeaders ? ` more_set_headers 'Access-Control-Expose-Headers: ${c.exposeHeaders}'; ` : '',
    `more_set_headers 'Access-Control-Max-Age: ${c.maxAge}';`,
  ];
  return [
    '',
    '# Cors Preflight methods needs additional options and different Return Code',
    ...(c.allowOrigin.length ? ['', ...originRegex, ''] : ['']),
    "if ($request_method = 'OPTIONS') {",
    'set $cors ${cors}options;',
    '}', '',
    'if ($cors = "true") {',
    ...common,
    '}', '',
    'if ($cors = "trueoptions") {',
    ...common,
    "more_set_headers 'Content-Type: text/plain charset=UTF-8';",
    "more_set_headers 'Content-Length: 0';",
    'return 204;',
    '}',
  ];
}

/** nginx.tmpl 967-1084: the internal location auth_request calls (auth-keepalive 0: no auth upstream). */
function authLocationLines(t: TemplateContext, s: Server, l: Location, authPath: string): string[] {
  const { cfg } = t;
  const e = l.anns.externalAuth;
  const p = l.anns.proxy;
  return [
    `location = ${authPath} {`,
    'internal;', '',
    ...(cfg.enableAuthAccessLog ? [] : ['access_log off;']), '',
    '# Ensure that modsecurity will not run on an internal location as this is not accessible from outside', '',
    '# ngx_auth_request module overrides variables in the parent request,',
    '# therefore we have to explicitly set this variable again so that when the parent request',
    '# resumes it has the correct value set for this variable so that Lua can pick backend correctly',
    `set $proxy_upstream_name ${quote(l.backend)};`, '',
    'proxy_pass_request_body     off;',
    'proxy_set_header            Content-Length          "";',
    'proxy_set_header            X-Forwarded-Proto       "";',
    'proxy_set_header            X-Request-ID            $req_id;', '',
    ...(e.method ? [`proxy_method                ${e.method};`, 'proxy_set_header            X-Original-URI          $request_uri;', 'proxy_set_header            X-Scheme                $pass_access_scheme;'] : []), '',
    `proxy_set_header            Host                    ${e.host};`,
    'proxy_set_header            X-Original-URL          $scheme://$http_host$request_uri;',
    'proxy_set_header            X-Original-Method       $request_method;',
    'proxy_set_header            X-Sent-From             "nginx-ingress-controller";',
    'proxy_set_header            X-Real-IP               $remote_addr;', '',
    cfg.useForwardedHeaders && cfg.computeFullForwardedFor ? 'proxy_set_header            X-Forwarded-For        $full_x_forwarded_for;' : 'proxy_set_header            X-Forwarded-For        $remote_addr;', '',
    e.requestRedirect ? `proxy_set_header            X-Auth-Request-Redirect ${e.requestRedirect};` : 'proxy_set_header            X-Auth-Request-Redirect $request_uri;', '',
    `proxy_buffering                         ${p.proxyBuffering};`, '',
    `proxy_buffer_size                       ${p.bufferSize};`,
    `proxy_buffers                           ${p.buffersNumber} ${p.bufferSize};`,
    `proxy_request_buffering                 ${p.requestBuffering};`, '',
    'proxy_ssl_server_name       on;',
    'proxy_pass_request_headers  on;', '',
    ...(validSize(p.bodySize, true) ? [`client_max_body_size        ${p.bodySize};`] : []), '',
    ...(validSize(l.anns.clientBodyBufferSize, false) ? [`client_body_buffer_size     ${l.anns.clientBodyBufferSize};`] : []), '',
    '# Pass the extracted client certificate to the auth provider', '',
    `proxy_http_version ${p.proxyHTTPVersion};`,
    `set $target ${e.url};`, '',
    'proxy_pass $target;',
    '}',
  ];
}

/** nginx.tmpl 1086-1105: the named location auth-signin's 401 goes to. */
function signinLocationLines(l: Location): string[] {
  const e = l.anns.externalAuth;
  return [
    `location ${signinLocation(l)} {`,
    'internal;', '',
    'add_header Set-Cookie $auth_cookie;', '',
    ...(l.anns.cors.enabled ? corsLines(l) : []), '',
    '# Ensure that modsecurity will not run on an internal location as this is not accessible from outside', '',
    `return 302 ${buildAuthSignURL(e.signinURL, e.signinURLRedirectParam)};`,
    '}',
  ];
}

/** nginx.tmpl 1162-1231: allow/deny, CORS, external and basic auth of an allowed location. */
function accessLines(t: TemplateContext, l: Location, psh: string, authPath: string): string[] {
  const a = l.anns;
  const e = a.externalAuth;
  const out: string[] = ['', ''];
  if (a.allowlist.length) out.push(...rangeInline(a.allowlist.map((ip) => `allow ${ip};`)), 'deny all;', '');
  out.push('');
  if (a.cors.enabled) out.push(...corsLines(l), '');
  out.push('');
  if (!inLocationList(l.path, t.cfg.noAuthLocations)) {
    if (authPath) {
      out.push(
        '# this location requires authentication',
        `auth_request        ${authPath};`,
        'auth_request_set    $auth_cookie $upstream_http_set_cookie;', '',
        e.alwaysSetCookie ? 'add_header          Set-Cookie $auth_cookie always;' : 'add_header          Set-Cookie $auth_cookie;', '',
        ...e.responseHeaders.flatMap((h, i) => [`auth_request_set $authHeader${i} $upstream_http_${h.toLowerCase().replace(/-/g, '_')};`, `${psh} '${h}' $authHeader${i};`]), '',
      );
    }
    out.push('');
    if (e.signinURL) out.push('set_escape_uri $escaped_request_uri $request_uri;', `error_page 401 = ${signinLocation(l)};`, '');
    out.push('');
    if (a.basicAuth.secured) {
      out.push('');
      if (a.basicAuth.type === 'basic') out.push(`auth_basic ${quote(a.basicAuth.realm)};`, `auth_basic_user_file ${a.basicAuth.file};`, '');
      else out.push(`auth_digest ${quote(a.basicAuth.realm)};`, `auth_digest_user_file ${a.basicAuth.file};`, '');
      out.push(`${psh} Authorization "";`, '');
    }
  }
  return out;
}

/** buildHTTPListener / buildHTTPSListener with commonListenOptions. */
function listeners(t: TemplateContext, hostname: string): string[] {
  const co = [...(t.cfg.useProxyProtocol ? ['proxy_protocol'] : []), ...(hostname === '_' ? ['default_server', ...(t.cfg.reusePort ? ['reuseport'] : []), `backlog=${t.backlog}`] : [])].join(' ');
  const addrs = t.ipv6 ? ['', '[::]:'] : [''];
  return [...addrs.map((a) => `listen ${a}${t.ports.http} ${co} ;`), ...addrs.map((a) => `listen ${a}${t.ports.https} ${co} ssl;`)];
}

/** One server block: nginx.tmpl lines 597-628 and its SERVER template (867-1449). */
function serverLines(t: TemplateContext, s: Server): string[] {
  const { cfg } = t;
  const enforceRegex = s.locations.some((l) => needsRewrite(l) || l.anns.rewrite.useRegex);
  return [
    `## start server ${s.hostname}`,
    'server {',
    `server_name ${serverName(s.hostname)} ;`, '',
    ...(cfg.useHTTP2 ? ['', 'http2 on;'] : []), '',
    ...(cfg.blockUserAgents.length ? ['if ($block_ua) {', 'return 403;', '}'] : []), '',
    ...(cfg.blockReferers.length ? ['if ($block_ref) {', 'return 403;', '}'] : []), '',
    '', '',
    ...listeners(t, s.hostname), '',
    'set $proxy_upstream_name "-";', '',
    ...(s.hostname === '_' ? [`ssl_reject_handshake ${cfg.sslRejectHandshake ? 'on' : 'off'};`] : []), '',
    'ssl_certificate_by_lua_file /etc/nginx/lua/nginx/ngx_conf_certificate.lua;', '',
    ...(s.serverSnippet ? [`# Custom code snippet configured for host ${s.hostname}`, s.serverSnippet] : []), '',
    ...s.locations.flatMap((l) => locationLines(t, s, l, enforceRegex)),
    ...(s.hostname === '_'
      ? [
          `# health checks in cloud providers require the use of port ${t.ports.http}`,
          'location /healthz {', '',
          'access_log off;',
          'return 200;',
          '}', '',
          '# this is required to avoid error if nginx is being monitored',
          '# with an external software (like sysdig)',
          'location /nginx_status {', '',
          ...rangeLines(cfg.nginxStatusIpv4Whitelist.map((v) => `allow ${v};`)),
          ...(t.ipv6 ? rangeLines(cfg.nginxStatusIpv6Whitelist.map((v) => `allow ${v};`)) : []),
          'deny all;', '',
          'access_log off;',
          'stub_status on;',
          '}', '',
        ]
      : []),
    '',
    ...(cfg.serverSnippet ? ['# Custom code snippet configured in the configuration configmap', cfg.serverSnippet] : []), '',
    '}',
    `## end server ${s.hostname}`, '',
  ];
}

/** nginx.tmpl lines 10-60: the main context and events {}. */
function mainLines(t: TemplateContext): string[] {
  const { cfg } = t;
  return [
    '',
    `# Configuration checksum: ${t.checksum}`, '',
    '# setup custom paths that do not require root access',
    'pid /tmp/nginx/nginx.pid;', '',
    ...(cfg.useGeoIP2 ? ['load_module /etc/nginx/modules/ngx_http_geoip2_module.so;'] : []), '',
    ...(cfg.enableBrotli ? ['load_module /etc/nginx/modules/ngx_http_brotli_filter_module.so;', 'load_module /etc/nginx/modules/ngx_http_brotli_static_module.so;'] : []), '',
    'daemon off;', '',
    `worker_processes ${cfg.workerProcesses};`,
    ...(cfg.workerCPUAffinity ? [`worker_cpu_affinity ${cfg.workerCPUAffinity};`] : []), '',
    `worker_rlimit_nofile ${cfg.maxWorkerOpenFiles};`, '',
    `worker_shutdown_timeout ${cfg.workerShutdownTimeout} ;`, '',
    ...(cfg.mainSnippet ? [cfg.mainSnippet] : []), '',
    'events {',
    `multi_accept        ${cfg.enableMultiAccept ? 'on' : 'off'};`,
    `worker_connections  ${cfg.maxWorkerConnections};`,
    'use                 epoll;',
    ...rangeLines(cfg.debugConnections.map((v) => `debug_connection    ${v};`)),
    '}', '',
  ];
}

/** buildRateLimitZones over every location (sorted here: upstream returns a set's map order). */
function rateLimitZones(servers: Server[]): string[] {
  const zones = new Set<string>();
  for (const s of servers) {
    for (const l of s.locations) {
      const r = l.anns.rateLimit;
      if (r.connections.limit > 0) zones.add(`limit_conn_zone $limit_${r.id} zone=${r.connections.name}:${r.connections.sharedSize}m;`);
      if (r.rpm.limit > 0) zones.add(`limit_req_zone $limit_${r.id} zone=${r.rpm.name}:${r.rpm.sharedSize}m rate=${r.rpm.limit}r/m;`);
      if (r.rps.limit > 0) zones.add(`limit_req_zone $limit_${r.id} zone=${r.rps.name}:${r.rps.sharedSize}m rate=${r.rps.limit}r/s;`);
    }
  }
  return [...zones].sort();
}

/** nginx.tmpl lines 62-596: the http block up to the servers. */
function httpGlobalLines(t: TemplateContext): string[] {
  const { cfg, servers } = t;
  const dicts = Object.entries(cfg.luaSharedDicts).map(([n, size]) => `lua_shared_dict ${n} ${dictKbToStr(size)}`).sort();
  const resolver = t.resolvers.length ? [['resolver', ...t.resolvers.map((r) => (r.includes(':') ? `[${r}]` : r)), 'valid=30s', ...(cfg.disableIpv6DNS ? ['ipv6=off'] : [])].join(' ') + ';'] : [];
  const seen = new Set<string>();
  const limits = servers.flatMap((s) => s.locations.map((l) => l.anns.rateLimit)).filter((r) => r.id !== '' && !seen.has(r.id) && (seen.add(r.id), true));
  const realIp = cfg.useForwardedHeaders || cfg.useProxyProtocol || cfg.enableRealIP;
  const escape = cfg.logFormatEscapeNone ? 'escape=none ' : cfg.logFormatEscapeJSON ? 'escape=json ' : '';
  return [
    'http {', '',
    'lua_package_path "/etc/nginx/lua/?.lua;;";', '',
    dicts.join(';\n') + ';', '',
    'lua_shared_dict luaconfig 5m;', '',
    'init_by_lua_file /etc/nginx/lua/ngx_conf_init.lua;', '',
    'init_worker_by_lua_file /etc/nginx/lua/ngx_conf_init_worker.lua;', '',
    ...(realIp
      ? ['', cfg.useProxyProtocol ? 'real_ip_header      proxy_protocol;' : `real_ip_header      ${cfg.forwardedForHeader};`, '', 'real_ip_recursive   on;', ...rangeLines(cfg.proxyRealIPCIDR.map((ip) => `set_real_ip_from    ${ip};`))]
      : []),
    '',
    'aio                 threads;', '',
    ...(cfg.enableAioWrite ? ['aio_write           on;'] : []), '',
    'tcp_nopush          on;',
    'tcp_nodelay         on;', '',
    'log_subrequest      on;', '',
    'reset_timedout_connection on;', '',
    `keepalive_timeout  ${cfg.keepAlive}s;`,
    `keepalive_requests ${cfg.keepAliveRequests};`, '',
    'client_body_temp_path           /tmp/nginx/client-body;',
    'fastcgi_temp_path               /tmp/nginx/fastcgi-temp;',
    'proxy_temp_path                 /tmp/nginx/proxy-temp;', '',
    `client_header_buffer_size       ${cfg.clientHeaderBufferSize};`,
    `client_header_timeout           ${cfg.clientHeaderTimeout}s;`,
    `large_client_header_buffers     ${cfg.largeClientHeaderBuffers};`,
    `client_body_buffer_size         ${cfg.clientBodyBufferSize};`,
    `client_body_timeout             ${cfg.clientBodyTimeout}s;`, '',
    ...(cfg.grpcBufferSizeKb > 0 ? [`grpc_buffer_size ${cfg.grpcBufferSizeKb}k;`] : []), '',
    ...(cfg.http2MaxHeaderSize !== '' && cfg.http2MaxFieldSize !== '' ? [`http2_max_field_size            ${cfg.http2MaxFieldSize};`, `http2_max_header_size           ${cfg.http2MaxHeaderSize};`] : []), '',
    ...(cfg.http2MaxRequests > 0 ? [`http2_max_requests              ${cfg.http2MaxRequests};`] : []), '',
    `http2_max_concurrent_streams    ${cfg.http2MaxConcurrentStreams};`, '',
    'types_hash_max_size             2048;',
    `server_names_hash_max_size      ${cfg.serverNameHashMaxSize};`,
    `server_names_hash_bucket_size   ${cfg.serverNameHashBucketSize};`,
    `map_hash_bucket_size            ${cfg.mapHashBucketSize};`, '',
    `proxy_headers_hash_max_size     ${cfg.proxyHeadersHashMaxSize};`,
    `proxy_headers_hash_bucket_size  ${cfg.proxyHeadersHashBucketSize};`, '',
    `variables_hash_bucket_size      ${cfg.variablesHashBucketSize};`,
    `variables_hash_max_size         ${cfg.variablesHashMaxSize};`, '',
    `underscores_in_headers          ${cfg.enableUnderscoresInHeaders ? 'on' : 'off'};`,
    `ignore_invalid_headers          ${cfg.ignoreInvalidHeaders ? 'on' : 'off'};`, '',
    `limit_req_status                ${cfg.limitReqStatusCode};`,
    `limit_conn_status               ${cfg.limitConnStatusCode};`, '',
    '',
    'include /etc/nginx/mime.types;',
    `default_type ${cfg.defaultType};`, '',
    ...(cfg.enableBrotli ? ['brotli on;', `brotli_comp_level ${cfg.brotliLevel};`, `brotli_min_length ${cfg.brotliMinLength};`, `brotli_types ${cfg.brotliTypes};`] : []), '',
    ...(cfg.useGzip
      ? ['gzip on;', `gzip_comp_level ${cfg.gzipLevel};`, ...(cfg.gzipDisable ? [`gzip_disable "${cfg.gzipDisable}";`] : []), 'gzip_http_version 1.1;', `gzip_min_length ${cfg.gzipMinLength};`, `gzip_types ${cfg.gzipTypes};`, 'gzip_proxied any;', 'gzip_vary on;']
      : []),
    '',
    '# Custom headers for response', '',
    `server_tokens ${cfg.showServerTokens ? 'on' : 'off'};`,
    ...(cfg.showServerTokens ? [] : ['more_clear_headers Server;']), '',
    '# disable warnings',
    'uninitialized_variable_warn off;', '',
    '# Additional available variables:',
    '# $namespace',
    '# $ingress_name',
    '# $service_name',
    '# $service_port',
    `log_format upstreaminfo ${escape}'${cfg.logFormatUpstream}';`, '',
    '', '',
    'map $request_uri $loggable {',
    ...rangeInline(cfg.skipAccessLogURLs.map((u) => `${u} 0;`)),
    'default 1;',
    '}', '',
    ...(cfg.disableAccessLog || cfg.disableHTTPAccessLog
      ? ['access_log off;']
      : cfg.enableSyslog
        ? [`access_log syslog:server=${cfg.syslogHost}:${cfg.syslogPort} upstreaminfo if=$loggable;`]
        : [`access_log ${cfg.httpAccessLogPath || cfg.accessLogPath} upstreaminfo ${cfg.accessLogParams} if=$loggable;`]),
    '',
    cfg.enableSyslog ? `error_log syslog:server=${cfg.syslogHost}:${cfg.syslogPort} ${cfg.errorLogLevel};` : `error_log  ${cfg.errorLogPath} ${cfg.errorLogLevel};`, '',
    ...resolver, '',
    '# See https://www.nginx.com/blog/websocket-nginx',
    'map $http_upgrade $connection_upgrade {',
    'default          upgrade;',
    ...(cfg.upstreamKeepaliveConnections > 0 ? ['# See http://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive', "''               '';"] : ["''               close;"]), '',
    '}', '',
    '# Reverse proxies can detect if a client provides a X-Request-ID header, and pass it on to the backend server.',
    '# If no such header is provided, it can provide a random value.',
    'map $http_x_request_id $req_id {',
    'default   $http_x_request_id;', '',
    ...(cfg.generateRequestID ? ['""        $request_id;'] : []), '',
    '}', '',
    ...(cfg.useForwardedHeaders && cfg.computeFullForwardedFor
      ? [
          '# We can\'t use $proxy_add_x_forwarded_for because the realip module',
          '# replaces the remote_addr too soon',
          'map $http_x_forwarded_for $full_x_forwarded_for {', '',
          ...(cfg.useProxyProtocol ? ['default          "$http_x_forwarded_for, $proxy_protocol_addr";', "''               \"$proxy_protocol_addr\";"] : ['default          "$http_x_forwarded_for, $realip_remote_addr";', "''               \"$realip_remote_addr\";"]),
          '', '}', '',
        ]
      : []),
    '',
    '# Create a variable that contains the literal $ character.',
    '# This works because the geo module will not resolve variables.',
    'geo $literal_dollar {',
    'default "$";',
    '}', '',
    'server_name_in_redirect off;',
    'port_in_redirect        off;', '',
    `ssl_protocols ${cfg.sslProtocols};`, '',
    `ssl_early_data ${cfg.sslEarlyData ? 'on' : 'off'};`, '',
    '# turn on session caching to drastically improve performance',
    ...(cfg.sslSessionCache ? ['', `ssl_session_cache shared:SSL:${cfg.sslSessionCacheSize};`, `ssl_session_timeout ${cfg.sslSessionTimeout};`] : []), '',
    '# allow configuring ssl session tickets',
    `ssl_session_tickets ${cfg.sslSessionTickets ? 'on' : 'off'};`, '',
    '# slightly reduce the time-to-first-byte',
    `ssl_buffer_size ${cfg.sslBufferSize};`, '',
    ...(cfg.sslCiphers ? ['# allow configuring custom ssl ciphers', `ssl_ciphers '${cfg.sslCiphers}';`, 'ssl_prefer_server_ciphers on;'] : []), '',
    `ssl_ecdh_curve ${cfg.sslECDHCurve};`, '',
    `# PEM sha: ${t.defaultCert.pemSHA}`,
    `ssl_certificate     ${t.defaultCert.pemFileName};`,
    `ssl_certificate_key ${t.defaultCert.pemFileName};`, '',
    '',
    'proxy_ssl_session_reuse on;', '',
    ...(cfg.allowBackendServerHeader ? ['proxy_pass_header Server;'] : []), '',
    ...cfg.hideHeaders.map((h) => `proxy_hide_header ${h};`), '',
    ...(cfg.httpSnippet ? ['# Custom code snippet configured in the configuration configmap', cfg.httpSnippet] : []), '',
    'upstream upstream_balancer {',
    '### Attention!!!',
    '#',
    '# We no longer create "upstream" section for every backend.',
    '# Backends are handled dynamically using Lua. If you would like to debug',
    '# and see what backends ingress-nginx has in its memory you can',
    '# install our kubectl plugin https://kubernetes.github.io/ingress-nginx/kubectl-plugin.',
    '# Once you have the plugin you can use "kubectl ingress-nginx backends" command to',
    '# inspect current backends.',
    '#',
    '###', '',
    'server 0.0.0.1; # placeholder', '',
    'balancer_by_lua_file /etc/nginx/lua/nginx/ngx_conf_balancer.lua;', '',
    ...(cfg.upstreamKeepaliveConnections > 0
      ? [`keepalive ${cfg.upstreamKeepaliveConnections};`, `keepalive_time ${cfg.upstreamKeepaliveTime};`, `keepalive_timeout  ${cfg.upstreamKeepaliveTimeout}s;`, `keepalive_requests ${cfg.upstreamKeepaliveRequests};`]
      : []),
    '', '}', '',
    ...limits.flatMap((rl) => [
      '',
      `# Ratelimit ${rl.name}`,
      `geo $remote_addr $allowlist_${rl.id} {`,
      'default 0;',
      ...rangeInline(rl.allowlist.map((ip) => `${ip} 1;`)),
      '}', '',
      `# Ratelimit ${rl.name}`,
      `map $allowlist_${rl.id} $limit_${rl.id} {`,
      `0 ${cfg.limitConnZoneVariable};`,
      '1 "";',
      '}',
    ]),
    '', '', '',
    ...rangeLines(rateLimitZones(servers)), '',
    '# Cache for internal auth checks',
    'proxy_cache_path /tmp/nginx/nginx-cache-auth levels=1:2 keys_zone=auth_cache:10m max_size=128m inactive=30m use_temp_path=off;', '',
    '# Global filters',
    ...cfg.blockCIDRs.map((ip) => `deny ${ip.trim()};`), '',
    ...(cfg.blockUserAgents.length ? ['map $http_user_agent $block_ua {', 'default 0;', '', ...cfg.blockUserAgents.map((u) => `${u.trim()} 1;`), '', '}'] : []), '',
    ...(cfg.blockReferers.length ? ['map $http_referer $block_ref {', 'default 0;', '', ...cfg.blockReferers.map((r) => `${r.trim()} 1;`), '', '}'] : []), '',
    '', '', '', '',
  ];
}

/** nginx.tmpl lines 630-685: the backend for a missing default backend, the status server, the end of http. */
function internalServers(t: TemplateContext): string[] {
  const reuse = t.cfg.reusePort ? 'reuseport' : '';
  return [
    '# backend for when default-backend-service is not configured or it does not have endpoints',
    'server {',
    `listen ${t.ports.default} default_server ${reuse} backlog=${t.backlog};`,
    t.ipv6 ? `listen [::]:${t.ports.default} default_server ${reuse} backlog=${t.backlog};` : '',
    'set $proxy_upstream_name "internal";', '',
    'access_log off;', '',
    'location / {',
    'return 404;',
    '}',
    '}', '',
    '# default server, used for NGINX healthcheck and access to nginx stats',
    'server {',
    '# Ensure that modsecurity will not run on an internal location as this is not accessible from outside',
    '', '', '',
    'listen 127.0.0.1:10246;',
    'set $proxy_upstream_name "internal";', '',
    'keepalive_timeout 0;',
    'gzip off;', '',
    'access_log off;', '', '', '',
    'location /healthz {',
    'return 200;',
    '}', '',
    'location /is-dynamic-lb-initialized {',
    'content_by_lua_file /etc/nginx/lua/nginx/ngx_conf_is_dynamic_lb_initialized.lua;',
    '}', '',
    'location /nginx_status {',
    'stub_status on;',
    '}', '',
    'location /configuration {',
    // luaConfigurationRequestBodySize: the larger of configuration_data and certificate_data, + 1024K
    ...((size) => [`client_max_body_size                    ${size};`, `client_body_buffer_size                 ${size};`])(
      dictKbToStr(Math.max(t.cfg.luaSharedDicts.configuration_data ?? 0, t.cfg.luaSharedDicts.certificate_data ?? 0) + 1024),
    ),
    'proxy_buffering                         off;', '',
    'content_by_lua_file /etc/nginx/lua/nginx/ngx_conf_configuration.lua;',
    '}', '',
    'location / {',
    'return 404;',
    '}',
    '}',
    '}', '',
  ];
}

/** nginx.tmpl lines 687-792: the stream block (no TCP/UDP services: --tcp-services-configmap is not simulated). */
function streamLines(t: TemplateContext): string[] {
  const { cfg } = t;
  const resolver = t.resolvers.length ? [['resolver', ...t.resolvers.map((r) => (r.includes(':') ? `[${r}]` : r)), 'valid=30s', ...(cfg.disableIpv6DNS ? ['ipv6=off'] : [])].join(' ') + ';'] : [];
  return [
    'stream {',
    'lua_package_path "/etc/nginx/lua/?.lua;/etc/nginx/lua/vendor/?.lua;;";', '',
    'lua_shared_dict tcp_udp_configuration_data 5M;', '',
    ...resolver, '',
    'init_by_lua_file /etc/nginx/lua/ngx_conf_init_stream.lua;', '',
    'init_worker_by_lua_file /etc/nginx/lua/nginx/ngx_conf_init_tcp_udp.lua;', '',
    'lua_add_variable $proxy_upstream_name;', '',
    `log_format log_stream '${cfg.logFormatStream}';`, '',
    cfg.disableAccessLog || cfg.disableStreamAccessLog ? 'access_log off;' : `access_log ${cfg.streamAccessLogPath || cfg.accessLogPath} log_stream ${cfg.accessLogParams};`, '',
    `error_log  ${cfg.errorLogPath} ${cfg.errorLogLevel};`,
    ...(cfg.enableRealIP ? rangeLines(cfg.proxyRealIPCIDR.map((ip) => `set_real_ip_from    ${ip};`)) : ['']), '',
    'upstream upstream_balancer {',
    'server 0.0.0.1:1234; # placeholder',
    'balancer_by_lua_file /etc/nginx/lua/nginx/ngx_conf_balancer_tcp_udp.lua;',
    '}', '',
    'server {',
    'listen 127.0.0.1:10247;', '',
    'access_log off;', '',
    'content_by_lua_file /etc/nginx/lua/nginx/ngx_conf_content_tcp_udp.lua;',
    '}', '',
    '# TCP services', '', '',
    '# UDP services', '', '',
    '# Stream Snippets', '',
    ...(cfg.streamSnippet ? [cfg.streamSnippet] : []), '',
    '}', '', '',
  ];
}

/** nginx.go nginxHashBucketSize / nextPowerOf2. */
function nextPowerOf2(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}
function hashBucketSize(longest: number): number {
  const aligned = (longest + 2 + 7) & ~7;
  return nextPowerOf2(16 + aligned);
}

/** FNV-64a, decimal (hashstructure's hash printed with %v), in 16-bit limbs. */
function fnv64a(text: string): string {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const b of new TextEncoder().encode(text)) {
    h0 ^= b;
    // × 0x100000001b3: limbs 0x01b3 (bits 0-15) and 0x0100 (bits 32-47)
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return ((BigInt(h3) << 48n) | (BigInt(h2) << 32n) | (BigInt(h1) << 16n) | BigInt(h0)).toString();
}

/** The default certificate's PEM file and sha (nginx.go getDefaultSSLCertificate, ssl.go GetFakeSSLCert/CreateSSLCert). */
function defaultCertificate(cluster: ClusterRuntime, pod: KubeObject | undefined): { pemFileName: string; pemSHA: string } {
  const flag = controllerFlag(pod, 'default-ssl-certificate');
  if (flag && flag.includes('/')) {
    const [ns, name] = flag.split('/');
    const pair = secretKeyPair(cluster, ns, name);
    // a Secret's PemSHA is the sha1 of its leaf certificate's DER (CreateSSLCert)
    if (!('error' in pair)) return { pemFileName: `/etc/ingress-controller/ssl/${ns}-${name}.pem`, pemSHA: hex(sha1Bytes(pair.chain[0].der)) };
  }
  const started = Date.parse(pod?.metadata.creationTimestamp ?? '') || 0;
  const pair = ingressNginxFakeCertificate(pod ? `${pod.metadata.namespace}/${pod.metadata.name}` : 'ingress-nginx', started);
  // the fake certificate's file: its PEM, a newline, its PKCS#1 key (GetFakeSSLCert → StoreSSLCertOnDisk), sha1 of the file
  const file = `${pemEncode('CERTIFICATE', pair.chain[0].der)}\n${pemEncode('RSA PRIVATE KEY', pkcs1(pair.key))}`;
  return { pemFileName: '/etc/ingress-controller/ssl/default-fake-certificate.pem', pemSHA: sha1(file) };
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** The controller Pod's nameservers (net.GetSystemNameServers reads its /etc/resolv.conf). */
function nameservers(cluster: ClusterRuntime, pod: KubeObject | undefined): string[] {
  if (!pod) return [];
  return resolvConf(cluster, pod)
    .split('\n')
    .map((l) => /^nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((x): x is string => !!x);
}

/** The rendering's inputs, from the cluster as the controller in `pod` sees it. */
export function templateContext(cluster: ClusterRuntime, pod: KubeObject | undefined, ipv6 = true): TemplateContext {
  const cfg = controllerConfig(cluster, pod, ipv6);
  const servers = nginxServers(cluster, cfg);
  // generateTemplate: the hash sizes grown to fit the host names, the open-files limit
  const longest = Math.max(...servers.map((s) => s.hostname.length));
  const bucket = hashBucketSize(longest);
  if (cfg.serverNameHashBucketSize < bucket) cfg.serverNameHashBucketSize = bucket;
  const maxSize = nextPowerOf2(servers.reduce((n, s) => n + s.hostname.length, 0));
  if (cfg.serverNameHashMaxSize < maxSize) cfg.serverNameHashMaxSize = maxSize;
  if (cfg.maxWorkerOpenFiles === 0) cfg.maxWorkerOpenFiles = Math.max(1024, 1048576 - 1024);
  if (cfg.maxWorkerConnections === 0) cfg.maxWorkerConnections = Math.floor((cfg.maxWorkerOpenFiles * 3) / 4);
  const port = (name: string, def: number) => {
    const v = Number(controllerFlag(pod, name));
    return Number.isInteger(v) && v > 0 ? v : def;
  };
  const ctx: TemplateContext = {
    cfg,
    ipv6,
    backlog: 4096,
    ports: { http: port('http-port', 80), https: port('https-port', 443), default: port('default-server-port', 8181) },
    servers,
    resolvers: nameservers(cluster, pod),
    defaultCert: defaultCertificate(cluster, pod),
    checksum: '',
  };
  ctx.checksum = fnv64a(JSON.stringify({ cfg, servers: servers.map((s) => ({ h: s.hostname, l: s.locations.map((l) => ({ p: l.path, t: l.pathType, b: l.backend, a: l.anns, i: l.ing?.metadata.uid })) })) }));
  return ctx;
}

/**
 * The controller's /etc/nginx/nginx.conf. `ipv6`: the controller's Pod has an IPv6 address
 * (internal/net IsIPv6Enabled: /proc/net/if_inet6 and any interface address, ::1 on lo
 * included), so every listen has its [::] twin and the resolver keeps IPv6.
 */
export function renderNginxConf(cluster: ClusterRuntime, pod?: KubeObject, ipv6 = true): string {
  // the file is a function of the store: render once per revision (a read's stat and open, `nginx -T`, …)
  const key = `${cluster.store.revision}/${pod?.metadata.uid ?? ''}/${ipv6}`;
  const hit = rendered.get(cluster);
  if (hit?.key === key) return hit.text;
  const text = render(cluster, pod, ipv6);
  rendered.set(cluster, { key, text });
  return text;
}

const rendered = new WeakMap<ClusterRuntime, { key: string; text: string }>();

function render(cluster: ClusterRuntime, pod: KubeObject | undefined, ipv6: boolean): string {
  const t = templateContext(cluster, pod, ipv6);
  const raw = [...mainLines(t), ...httpGlobalLines(t), ...t.servers.flatMap((s) => serverLines(t, s)), ...internalServers(t), ...streamLines(t)].join('\n') + '\n';
  return cleanConf(raw);
}
