/**
 * The controller's generated /etc/nginx/nginx.conf, as ingress-nginx v1.12.0 renders
 * rootfs/etc/nginx/template/nginx.tmpl for the Ingresses it serves: the per-host `server`
 * blocks (`## start server HOST` … `## end server HOST`), the catch-all `_` server first.
 *
 * Upstream (kubernetes/ingress-nginx, tag controller-v1.12.0):
 * - internal/ingress/controller/controller.go createServers (the `_` server and its root
 *   location on upstream-default-backend; hosts from the rules, a host-less rule goes to `_`;
 *   locations sorted by path descending, then by length descending; servers by hostname),
 *   location.go updateServerLocations (a Prefix path other than / becomes `PATH/` plus an
 *   Exact `= PATH`);
 * - template/template.go: buildHTTPListener/buildHTTPSListener (`listen 80  ;`, the
 *   `_` server's `default_server reuseport backlog=4096`, [::] when the pod has IPv6),
 *   buildServerName, buildLocation, locationConfigForLua, getIngressInformation,
 *   buildProxyPass, buildNextUpstream, buildForwardedFor, and cleanConf (what strips the
 *   template's indentation, re-indents by brace depth with tabs and keeps one blank line of
 *   each run);
 * - config/config.go NewDefault: the ConfigMap defaults the location directives print
 *   (proxy-body-size 1m, timeouts 5/60/60, proxy-buffer-size 4k, …, use-http2).
 *
 * The template's global part (main context, the http block before the servers, the stream
 * block) is not rendered: the file holds the http block's servers — the Ingress hosts, the
 * 8181 backend and the 10246 status server — at the depth they have inside `http {`. Annotations are not
 * read: every location has the ConfigMap's defaults.
 */
import type { Cluster } from '../../cluster/cluster';
import type { KubeObject } from '../../cluster/types';
import { servedByNginx } from './proxy';

interface Location {
  path: string;
  exact: boolean;
  ing?: KubeObject;
  /** the path as the Ingress rule gives it (getIngressInformation looks the rule up by it) */
  ingressPath: string;
  backend: string;
  service: string;
  servicePort: string;
}

interface Server {
  hostname: string;
  locations: Location[];
}

/** template.go cleanConf: tabs by brace depth, leading blanks dropped, blank-line runs kept as one. */
export function cleanConf(input: string, startDepth = 0): string {
  let out = '';
  let depth = startDepth;
  let lineStarted = false;
  let emptyLineWritten = false;
  let comment = false;
  for (const c of input) {
    let needOutput = false;
    let nextDepth = depth;
    let nextLineStarted: boolean = lineStarted;
    if (!comment) {
      if (c === '{') {
        needOutput = true;
        nextDepth = depth + 1;
        nextLineStarted = true;
      } else if (c === '}') {
        needOutput = true;
        depth--;
        nextDepth = depth;
        nextLineStarted = true;
      } else if (c === ' ' || c === '\t') needOutput = lineStarted;
      else if (c === '\n') {
        needOutput = !(!lineStarted && emptyLineWritten);
        nextLineStarted = false;
      } else if (c === '#') {
        needOutput = true;
        nextLineStarted = true;
        comment = true;
      } else {
        needOutput = true;
        nextLineStarted = true;
      }
    } else if (c === '\n') {
      needOutput = true;
      nextLineStarted = false;
      comment = false;
    } else needOutput = true;
    if (needOutput) {
      if (!lineStarted && c !== '\n') out += '\t'.repeat(Math.max(0, depth));
      emptyLineWritten = !lineStarted;
      out += c;
    }
    depth = nextDepth;
    lineStarted = nextLineStarted;
  }
  return out;
}

const quote = (s: string) => JSON.stringify(s);

/** The servers the controller builds from the Ingresses of its class (createServers, updateServerLocations, the sort). */
export function nginxServers(cluster: Cluster): Server[] {
  const servers = new Map<string, Server>();
  servers.set('_', { hostname: '_', locations: [{ path: '/', exact: false, ingressPath: '', backend: 'upstream-default-backend', service: '', servicePort: '' }] });
  const ings = cluster.store.list('Ingress')
    .filter((i) => servedByNginx(cluster, i) && i.metadata.annotations?.['nginx.ingress.kubernetes.io/canary'] !== 'true')
    .sort((a, b) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')));
  for (const ing of ings) {
    const ns = ing.metadata.namespace ?? 'default';
    for (const rule of (ing.spec?.rules ?? []) as { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: { service?: { name: string; port?: { number?: number; name?: string } } } }[] } }[]) {
      if (!rule.http) continue;
      const host = rule.host || '_';
      const server = servers.get(host) ?? { hostname: host, locations: [] };
      servers.set(host, server);
      for (const p of rule.http.paths ?? []) {
        const svc = p.backend?.service;
        if (!svc) continue;
        const path = p.path || '/';
        const port = svc.port?.number ? String(svc.port.number) : (svc.port?.name ?? '');
        const loc: Location = { path, exact: p.pathType === 'Exact', ing, ingressPath: path, backend: `${ns}-${svc.name}-${port}`, service: svc.name, servicePort: port };
        const i = server.locations.findIndex((l) => l.path === path && l.exact === loc.exact);
        if (i < 0) server.locations.push(loc);
        else if (server.locations[i].backend === 'upstream-default-backend') server.locations[i] = loc; // a rule for / replaces the default backend's
      }
    }
  }
  const out: Server[] = [];
  for (const s of servers.values()) {
    // updateServerLocations: Prefix PATH (not /) → `PATH/` and, unless an Exact one exists, `= PATH`
    const exact = new Set(s.locations.filter((l) => l.exact).map((l) => l.path));
    const locs: Location[] = [];
    for (const l of s.locations) {
      if (l.path === '/' || l.exact) {
        locs.push(l);
        continue;
      }
      const normalized = l.path.endsWith('/') ? l.path : `${l.path}/`;
      locs.push({ ...l, path: normalized });
      if (!exact.has(l.path)) locs.push({ ...l, exact: true });
    }
    locs.sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0));
    locs.sort((a, b) => b.path.length - a.path.length);
    out.push({ hostname: s.hostname, locations: locs });
  }
  return out.sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

/** buildServerName: a wildcard host becomes a regex server_name. */
function serverName(host: string): string {
  if (!host.startsWith('*')) return host;
  return `~^(?<subdomain>[\\w-]+)\\.${host.replace('*.', '').split('.').join('\\.')}$`;
}

/** The LOCATION part of the SERVER template for a location with no annotations; '' lines are the template's control lines. */
function locationLines(l: Location): string[] {
  const def = !l.ing;
  const ns = l.ing?.metadata.namespace ?? '';
  return [
    `location ${l.exact ? `= ${l.path}` : l.path} {`, '',
    `set $namespace      ${quote(def ? '' : ns)};`,
    `set $ingress_name   ${quote(l.ing?.metadata.name ?? '')};`,
    `set $service_name   ${quote(l.service)};`,
    `set $service_port   ${quote(l.servicePort)};`,
    `set $location_path  ${quote(def ? '' : l.ingressPath.replace(/\$/g, '${literal_dollar}'))};`, '', '', '',
    // locationConfigForLua; the Rewrite annotation's ssl-redirect default (true) is only on Ingress locations
    `set $force_ssl_redirect "false";`,
    `set $ssl_redirect "${def ? 'false' : 'true'}";`,
    `set $force_no_ssl_redirect "false";`,
    `set $preserve_trailing_slash "false";`,
    `set $use_port_in_redirects "false";`, '',
    'rewrite_by_lua_file /etc/nginx/lua/nginx/ngx_rewrite.lua;', '',
    'header_filter_by_lua_file /etc/nginx/lua/nginx/ngx_conf_srv_hdr_filter.lua;', '',
    'log_by_lua_file /etc/nginx/lua/nginx/ngx_conf_log_block.lua;', '',
    // enable-access-log-for-default-backend is false
    ...(def ? ['access_log off;'] : []), '',
    'port_in_redirect off;', '',
    'set $balancer_ewma_score -1;',
    `set $proxy_upstream_name ${quote(l.backend)};`,
    'set $proxy_host          $proxy_upstream_name;',
    'set $pass_access_scheme  $scheme;', '',
    'set $pass_server_port    $server_port;', '',
    'set $best_http_host      $http_host;',
    'set $pass_port           $pass_server_port;', '',
    'set $proxy_alternative_upstream_name "";', '',
    'client_max_body_size                    1m;', '',
    'proxy_set_header Host                   $best_http_host;', '',
    '# Pass the extracted client certificate to the backend', '',
    '# Allow websocket connections',
    'proxy_set_header                        Upgrade           $http_upgrade;', '',
    'proxy_set_header                        Connection        $connection_upgrade;', '',
    'proxy_set_header X-Request-ID           $req_id;',
    'proxy_set_header X-Real-IP              $remote_addr;', '',
    'proxy_set_header X-Forwarded-For        $remote_addr;', '',
    'proxy_set_header X-Forwarded-Host       $best_http_host;',
    'proxy_set_header X-Forwarded-Port       $pass_port;',
    'proxy_set_header X-Forwarded-Proto      $pass_access_scheme;',
    'proxy_set_header X-Forwarded-Scheme     $pass_access_scheme;', '',
    'proxy_set_header X-Scheme               $pass_access_scheme;', '',
    '# Pass the original X-Forwarded-For',
    'proxy_set_header X-Original-Forwarded-For $http_x_forwarded_for;', '',
    '# mitigate HTTPoxy Vulnerability',
    '# https://www.nginx.com/blog/mitigating-the-httpoxy-vulnerability-with-nginx/',
    'proxy_set_header Proxy                  "";', '',
    '# Custom headers to proxied server', '',
    'proxy_connect_timeout                   5s;',
    'proxy_send_timeout                      60s;',
    'proxy_read_timeout                      60s;', '',
    'proxy_buffering                         off;',
    'proxy_buffer_size                       4k;',
    'proxy_buffers                           4 4k;', '',
    'proxy_max_temp_file_size                1024m;', '',
    'proxy_request_buffering                 on;',
    'proxy_http_version                      1.1;', '',
    'proxy_cookie_domain                     off;',
    'proxy_cookie_path                       off;', '',
    '# In case of errors try the next upstream server before returning an error',
    'proxy_next_upstream                     error timeout;',
    'proxy_next_upstream_timeout             0;',
    'proxy_next_upstream_tries               3;', '',
    'proxy_pass http://upstream_balancer;', '',
    'proxy_redirect                          off;', '',
    '}', '',
  ];
}

/** One server block: the outer loop of nginx.tmpl and its SERVER template. */
function serverLines(s: Server, ipv6: boolean): string[] {
  const co = s.hostname === '_' ? 'default_server reuseport backlog=4096' : '';
  const listen = (port: string, tail: string) => [`listen ${port} ${co} ${tail}`, ...(ipv6 ? [`listen [::]:${port} ${co} ${tail}`] : [])];
  return [
    `## start server ${s.hostname}`,
    'server {',
    `server_name ${serverName(s.hostname)} ;`, '',
    'http2 on;', '', '',
    ...listen('80', ';'),
    ...listen('443', 'ssl;'), '',
    'set $proxy_upstream_name "-";', '',
    ...(s.hostname === '_' ? ['ssl_reject_handshake off;'] : []), '',
    'ssl_certificate_by_lua_file /etc/nginx/lua/nginx/ngx_conf_certificate.lua;', '',
    ...s.locations.flatMap((l) => locationLines(l)),
    ...(s.hostname === '_'
      ? [
          '# health checks in cloud providers require the use of port 80',
          'location /healthz {', '',
          'access_log off;',
          'return 200;',
          '}', '',
          '# this is required to avoid error if nginx is being monitored',
          '# with an external software (like sysdig)',
          'location /nginx_status {', '',
          'allow 127.0.0.1;', '',
          ...(ipv6 ? ['allow ::1;', ''] : []),
          'deny all;',
          'access_log off;',
          'stub_status on;',
          '}', '',
        ]
      : []),
    '}',
    `## end server ${s.hostname}`, '',
  ];
}

/**
 * The two servers nginx.tmpl writes after the Ingress hosts: the 404 backend on
 * ListenPorts.Default (8181) and the status server on 127.0.0.1:StatusPort (10246) the
 * controller itself calls (/healthz, /nginx_status, /configuration: its body limit is
 * luaConfigurationRequestBodySize, the larger of the configuration_data and
 * certificate_data dicts (20480K) + 1024K, dictKbToStr → 21M).
 */
function internalServers(ipv6: boolean): string[] {
  return [
    '# backend for when default-backend-service is not configured or it does not have endpoints',
    'server {',
    'listen 8181 default_server reuseport backlog=4096;',
    ipv6 ? 'listen [::]:8181 default_server reuseport backlog=4096;' : '',
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
    'client_max_body_size                    21M;',
    'client_body_buffer_size                 21M;',
    'proxy_buffering                         off;', '',
    'content_by_lua_file /etc/nginx/lua/nginx/ngx_conf_configuration.lua;',
    '}', '',
    'location / {',
    'return 404;',
    '}',
    '}',
  ];
}

/**
 * The servers section of the controller's nginx.conf. `ipv6`: the controller's Pod has an
 * IPv6 address (internal/net IsIPv6Enabled: /proc/net/if_inet6 and any interface address,
 * ::1 on lo included), so every listen has its [::] twin.
 */
export function renderNginxConf(cluster: Cluster, ipv6 = true): string {
  const raw = [...nginxServers(cluster).flatMap((s) => serverLines(s, ipv6)), ...internalServers(ipv6)].join('\n') + '\n';
  return cleanConf(raw, 1);
}
