/**
 * The ingress-nginx controller's /etc/nginx/nginx.conf at the values its ConfigMap and the
 * Ingresses' annotations give, pinned whole, and the properties that tie the file to them:
 * a ConfigMap key or an annotation changes exactly the lines the template prints from it.
 *
 * Sources (kubernetes/ingress-nginx at controller-v1.12.0):
 * - rootfs/etc/nginx/template/nginx.tmpl: real_ip (lines 79-90), the rate-limit geo/map blocks
 *   and limit_req_zone lines (503-522), the server loop (597-628), the location's
 *   `limit_req` (1233-1236), client_max_body_size (1238-1240), grpc_set_header and the Grpc
 *   settings (1319-1324), buildProxyPass (1379), the `_` server's root location;
 * - internal/ingress/controller/template/template.go: buildLocation (`~* "^PATH"` once any
 *   location of the server rewrites or uses a regex), buildProxyPass (`rewrite "(?i)PATH"
 *   TARGET break;`, grpc_pass grpc://), buildRateLimitZones, buildRateLimit,
 *   locationConfigForLua ($ssl_redirect, $force_ssl_redirect), proxySetHeader;
 * - internal/ingress/annotations/ratelimit/main.go (zone NAMESPACE_NAME_UID, its base64url
 *   id, burst = limit × limit-burst-multiplier), rewrite/main.go, proxy/main.go,
 *   backendprotocol/main.go;
 * - internal/ingress/controller/template/configmap.go ReadConfig, config/config.go NewDefault;
 * - internal/ingress/controller/controller.go createServers (an Ingress with only a
 *   spec.defaultBackend takes the `_` server's root location, without its rewrite; canary
 *   Ingresses make no server).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';
import { transcriptOf, goldenIn } from '../kubectl/golden';

const SCENARIO = readFileSync('lessons/71-tls-at-the-edge/scenario.yaml', 'utf8');
const CAT = 'kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- cat /etc/nginx/nginx.conf';

const golden = goldenIn(__dirname);

const INGRESSES = `cat <<'EOF' | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: rewrite
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
    nginx.ingress.kubernetes.io/rewrite-target: /\$2
    nginx.ingress.kubernetes.io/limit-rps: "5"
    nginx.ingress.kubernetes.io/limit-rpm: "100"
    nginx.ingress.kubernetes.io/limit-burst-multiplier: "3"
    nginx.ingress.kubernetes.io/limit-allowlist: 192.168.1.7, 10.1.2.3/8
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/force-ssl-redirect: "true"
spec:
  ingressClassName: nginx
  rules:
  - host: rewrite.example.com
    http:
      paths:
      - path: /something(/|$)(.*)
        pathType: ImplementationSpecific
        backend:
          service:
            name: shop
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: grpc
  annotations:
    nginx.ingress.kubernetes.io/backend-protocol: GRPC
    nginx.ingress.kubernetes.io/ssl-redirect: "false"
spec:
  ingressClassName: nginx
  rules:
  - host: grpc.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: blog
            port:
              number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: fallback
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: blog
      port:
        number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop-canary
  annotations:
    nginx.ingress.kubernetes.io/canary: "true"
    nginx.ingress.kubernetes.io/canary-weight: "20"
spec:
  ingressClassName: nginx
  rules:
  - host: canary.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: canary
            port:
              number: 80
EOF`;

/** The lines of `b` not in `a` and of `a` not in `b`, as an LCS diff finds them (with their line numbers in each). */
function diff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) added.push(y[j++]);
    else removed.push(x[i++]);
  }
  return { removed, added };
}

const checksum = (s: string) => /# Configuration checksum: \d+/.exec(s)![0];

describe('ingress-nginx nginx.conf at the ConfigMap and the annotations', () => {
  it('rewrite-target with capture groups, rate limits, gRPC, a catch-all defaultBackend, a canary without a server, ConfigMap values', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'nginx-conf-config',
      '# upstream: kubernetes/ingress-nginx controller-v1.12.0 rootfs/etc/nginx/template/nginx.tmpl, internal/ingress/controller/template/template.go, configmap.go, annotations/{rewrite,ratelimit,proxy,backendprotocol}\n' +
        transcriptOf(sim, [
          'kubectl -n ingress-nginx create configmap ingress-nginx-controller --from-literal=use-forwarded-headers=true --from-literal=compute-full-forwarded-for=true --from-literal=keep-alive=30 --from-literal=worker-processes=4 --from-literal=use-gzip=true',
          INGRESSES,
          CAT,
        ]),
    );
  });

  it('a ConfigMap key changes exactly the lines the template prints from it, and removing it restores the file', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const before = sim.run(CAT).stdout;
    const ingressLocations = before.match(/set \$ingress_name {3}"[a-z]+";/g)!.length;
    expect(ingressLocations).toBe(2); // blog's / and shop's /; the `_` root names no Ingress

    sim.run('kubectl -n ingress-nginx create configmap ingress-nginx-controller --from-literal=proxy-body-size=20m');
    const body = sim.run(CAT).stdout;
    // every location proxying with the ConfigMap's default (the `_` root too), nothing else but the checksum
    expect(diff(before, body)).toEqual({
      removed: [checksum(before), ...Array(3).fill('\t\t\tclient_max_body_size                    1m;')],
      added: [checksum(body), ...Array(3).fill('\t\t\tclient_max_body_size                    20m;')],
    });

    sim.run(`kubectl -n ingress-nginx patch configmap ingress-nginx-controller -p '{"data":{"ssl-redirect":"false"}}'`);
    const redirect = sim.run(CAT).stdout;
    // the Ingresses' locations only: the `_` root's Rewrite is empty (false) whatever the ConfigMap says
    expect(diff(body, redirect)).toEqual({
      removed: [checksum(body), ...Array(2).fill('\t\t\tset $ssl_redirect "true";')],
      added: [checksum(redirect), ...Array(2).fill('\t\t\tset $ssl_redirect "false";')],
    });

    sim.run(`kubectl -n ingress-nginx patch configmap ingress-nginx-controller -p '{"data":{"use-forwarded-headers":"true"}}'`);
    const fwd = sim.run(CAT).stdout;
    expect(diff(redirect, fwd)).toEqual({
      removed: [checksum(redirect)],
      added: [checksum(fwd), '\treal_ip_header      X-Forwarded-For;', '', '\treal_ip_recursive   on;', '', '\tset_real_ip_from    0.0.0.0/0;', ''],
    });

    // a value that does not parse keeps the default (mapstructure's decode error): nothing changes
    sim.run(`kubectl -n ingress-nginx patch configmap ingress-nginx-controller -p '{"data":{"keep-alive":"soon"}}'`);
    expect(sim.run(CAT).stdout).toBe(fwd);

    sim.run('kubectl -n ingress-nginx delete configmap ingress-nginx-controller');
    expect(sim.run(CAT).stdout).toBe(before);
  });

  it('ReadConfig: lua-shared-dicts sizes (and the /configuration body limit from them), worker-processes auto, weakly typed values', () => {
    // configmap.go: dictStrToKb ("30" is MiB), the 200M cap, dictKbToStr; luaConfigurationRequestBodySize = max(configuration_data,
    // certificate_data) + 1024K; "auto" is runtime.NumCPU(); mapstructure's WeaklyTypedInput takes "1"/"0" for booleans, 0x for ints
    const sim = createSimulation(SCENARIO, { seed: 1 });
    sim.run(`kubectl -n ingress-nginx create configmap ingress-nginx-controller --from-literal='lua-shared-dicts=configuration_data: 30, certificate_data: 50M, my_dict: 512k, huge: 300M' --from-literal=worker-processes=auto --from-literal=server-tokens=1 --from-literal=keep-alive-requests=0x10 --from-literal=http-redirect-code=303`);
    const conf = sim.run(CAT).stdout;
    const lines = (re: RegExp) => conf.split('\n').filter((l) => re.test(l));
    expect(lines(/lua_shared_dict /)).toEqual([
      '\tlua_shared_dict balancer_ewma 10M;',
      '\tlua_shared_dict balancer_ewma_last_touched_at 10M;',
      '\tlua_shared_dict balancer_ewma_locks 1M;',
      '\tlua_shared_dict certificate_data 50M;',
      '\tlua_shared_dict certificate_servers 5M;',
      '\tlua_shared_dict configuration_data 30M;',
      '\tlua_shared_dict my_dict 512K;',
      '\tlua_shared_dict ocsp_response_cache 5M;',
      '\tlua_shared_dict luaconfig 5m;',
      '\tlua_shared_dict tcp_udp_configuration_data 5M;',
    ]);
    expect(lines(/_body_(size|buffer_size) {10,}\d+M;/)).toEqual(['\t\t\tclient_max_body_size                    51M;', '\t\t\tclient_body_buffer_size                 51M;']);
    // the nodes have 2 CPUs (their status.capacity)
    expect(lines(/^worker_processes/)).toEqual(['worker_processes 2;']);
    expect(lines(/server_tokens|more_clear_headers|keepalive_requests 16;/)).toEqual(['\tkeepalive_requests 16;', '\tserver_tokens on;']);
  });

  it('the request path follows the same values: ssl-redirect, force-ssl-redirect, http-redirect-code, proxy-body-size', () => {
    // lua_ingress.lua redirect_to_https (no-tls-redirect-locations, force_ssl_redirect, ssl_redirect with a TLS
    // host), nginx's 413 from client_max_body_size (ngx_http_core_module) and its error page's title
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const curl = (args: string) => `curl -s -o /dev/null -w '%{http_code}\\n' ${args} http://203.0.113.1/a`;
    golden(
      'ingress-config-traffic',
      transcriptOf(sim, [
        curl("-H 'Host: blog.example.com'"),
        curl("-H 'Host: shop.example.com'"),
        'kubectl annotate ingress shop nginx.ingress.kubernetes.io/force-ssl-redirect=true',
        curl("-H 'Host: shop.example.com'"),
        'kubectl -n ingress-nginx create configmap ingress-nginx-controller --from-literal=ssl-redirect=false --from-literal=http-redirect-code=301 --from-literal=proxy-body-size=10',
        "curl -sI -H 'Host: shop.example.com' http://203.0.113.1/a",
        curl("-H 'Host: blog.example.com'"),
        "curl -s -H 'Host: blog.example.com' -d 'hello world' http://203.0.113.1/",
        "curl -s -H 'Host: blog.example.com' -d 'hello' http://203.0.113.1/",
        'kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --tail=2',
      ]),
    );
  });

  it('an annotation changes only the locations of its Ingress', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const before = sim.run(CAT).stdout;
    sim.run('kubectl annotate ingress shop nginx.ingress.kubernetes.io/proxy-read-timeout=300');
    const after = sim.run(CAT).stdout;
    expect(diff(before, after)).toEqual({
      removed: [checksum(before), '\t\t\tproxy_read_timeout                      60s;'],
      added: [checksum(after), '\t\t\tproxy_read_timeout                      300s;'],
    });
    const shop = after.slice(after.indexOf('## start server shop.example.com'), after.indexOf('## end server shop.example.com'));
    expect(shop).toContain('proxy_read_timeout                      300s;');

    // limit-rps: the zone, the allowlist geo/map in http {}, the limit_req in the location
    sim.run('kubectl annotate ingress shop nginx.ingress.kubernetes.io/limit-rps=10');
    const limited = sim.run(CAT).stdout;
    const uid = sim.run("kubectl get ingress shop -o jsonpath='{.metadata.uid}'").stdout;
    const zone = `default_shop_${uid}`;
    const id = Buffer.from(zone).toString('base64url');
    const d = diff(after, limited);
    expect(d.removed).toEqual([checksum(after)]);
    expect(d.added.filter((l) => l !== '')).toEqual([
      checksum(limited),
      `\t# Ratelimit ${zone}`,
      `\tgeo $remote_addr $allowlist_${id} {`,
      '\t\tdefault 0;',
      '\t}',
      `\t# Ratelimit ${zone}`,
      `\tmap $allowlist_${id} $limit_${id} {`,
      '\t\t0 $binary_remote_addr;',
      '\t\t1 "";',
      '\t}',
      `\tlimit_req_zone $limit_${id} zone=${zone}_rps:5m rate=10r/s;`,
      `\t\t\tlimit_req zone=${zone}_rps burst=50 nodelay;`,
    ]);

    // an invalid value is the parser's validation error: the default stays
    sim.run('kubectl annotate ingress shop --overwrite nginx.ingress.kubernetes.io/limit-rps=ten nginx.ingress.kubernetes.io/proxy-read-timeout=300');
    expect(sim.run(CAT).stdout).toBe(after);
  });
});
