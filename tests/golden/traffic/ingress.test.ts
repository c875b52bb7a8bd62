/**
 * Ingress through ingress-nginx, installed the way a learner does it (helm), then curl from
 * the workstation to the controller's load-balancer address. Routing rules from the Ingress
 * API (networking.k8s.io/v1: host, Exact and element-wise Prefix matching, longest path
 * wins, defaultBackend) and ingress-nginx's documented annotations (rewrite-target with
 * capture groups, canary / canary-by-header / canary-weight, ssl-redirect). The 404 page is
 * nginx's built-in one with server_tokens off (src/http/ngx_http_special_response.c: CRLF
 * line ends, "<hr><center>nginx</center>").
 */
import { describe, expect, it } from 'vitest';
import { pod, sim, svc } from '../../unit/dataplane/fixtures';
import { run } from './harness';
import type { Simulation } from '../../../engine/index';

const ws = { kind: 'workstation' as const };

function ingress(name: string, spec: object, annotations: Record<string, string> = {}) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default', annotations }, spec: { ingressClassName: 'nginx', ...spec } };
}

const backend = (name: string, port = 80) => ({ service: { name, port: { number: port } } });

function setup(): { s: Simulation; lb: string } {
  const s = sim({ cni: 'calico' }, [
    pod('default', 'web', 'node-1', '10.244.0.55', 'nginx:1.27.3', { app: 'web' }),
    pod('default', 'echo', 'node-2', '10.244.1.59', 'kicbase/echo-server:1.0', { app: 'echo' }),
    pod('default', 'canary', 'node-2', '10.244.1.60', 'hashicorp/http-echo:1.0', { app: 'canary' }, {
      containers: [{ name: 'echo', image: 'hashicorp/http-echo:1.0', args: ['-text=canary'] }],
    }),
    ...svc('default', 'web', '10.96.12.3', [['10.244.0.55', 'node-1', 'web']], [{ port: 80, targetPort: 80 }]),
    ...svc('default', 'echo', '10.96.12.4', [['10.244.1.59', 'node-2', 'echo']], [{ port: 80, targetPort: 8080 }]),
    ...svc('default', 'canary', '10.96.12.5', [['10.244.1.60', 'node-2', 'canary']], [{ port: 80, targetPort: 5678 }]),
    ...svc('default', 'nobody', '10.96.12.6', [], [{ port: 80, targetPort: 80 }]),
  ]);
  for (const l of [
    'helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx',
    'helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --create-namespace',
  ]) expect(run(s, ws, l).exitCode).toBe(0);
  s.advance(60_000);
  const lb: string = s.get('Service', 'ingress-nginx', 'ingress-nginx-controller')!.status.loadBalancer.ingress[0].ip;
  s.api.create(ingress('shop', {
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: backend('web') },
            { path: '/echo', pathType: 'Prefix', backend: backend('echo') },
            { path: '/echo/deep', pathType: 'Exact', backend: backend('canary') },
            { path: '/down', pathType: 'Prefix', backend: backend('nobody') },
          ],
        },
      },
      { host: '*.wild.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('echo') }] } },
    ],
  }));
  s.api.create(ingress('api', {
    rules: [{ host: 'api.example.com', http: { paths: [{ path: '/api(/|$)(.*)', pathType: 'ImplementationSpecific', backend: backend('echo') }] } }],
  }, { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }));
  s.api.create(ingress('shop-canary', {
    rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/echo', pathType: 'Prefix', backend: backend('canary') }] } }],
  }, { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-by-header': 'X-Canary' }));
  return { s, lb };
}

const body = (s: Simulation, lb: string, host: string, path: string, extra = '') => run(s, ws, `curl -s ${extra} -H 'Host: ${host}' http://${lb}${path}`).stdout;

describe('Ingress routing through ingress-nginx', () => {
  const { s, lb } = setup();

  it('publishes the controller Service address in the Ingress status (the ADDRESS column)', () => {
    expect(s.get('Ingress', 'default', 'shop')!.status).toEqual({ loadBalancer: { ingress: [{ ip: lb }] } });
  });

  it('routes by host and by Prefix, element-wise: /echo matches /echo and /echo/x, not /echoes', () => {
    expect(body(s, lb, 'shop.example.com', '/')).toContain('<title>Welcome to nginx!</title>');
    expect(body(s, lb, 'shop.example.com', '/echo')).toMatch(/^Request served by echo\n\nHTTP\/1.1 GET \/echo\n/);
    expect(body(s, lb, 'shop.example.com', '/echo/x')).toMatch(/^Request served by echo\n\nHTTP\/1.1 GET \/echo\/x\n/);
    // /echoes is not under /echo: it falls to the "/" prefix, and nginx itself answers 404.
    expect(body(s, lb, 'shop.example.com', '/echoes')).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n');
  });

  it('the longest match wins, and Exact matches only the exact path', () => {
    expect(body(s, lb, 'shop.example.com', '/echo/deep')).toBe('canary\n');
    expect(body(s, lb, 'shop.example.com', '/echo/deep/er')).toMatch(/^Request served by echo\n/);
  });

  it('client address: masqueraded to a node with the chart default (Cluster), kept with externalTrafficPolicy=Local', () => {
    const before = body(s, lb, 'shop.example.com', '/echo');
    const seen = before.match(/\nX-Real-IP: (.*)\n/)![1];
    // MASQUERADE takes the outgoing interface's address: eth0's when the controller Pod is on
    // the node the load balancer picked, that node's tunl0 (Calico IPIP) when it is on the other.
    expect(['192.168.49.2', '192.168.49.3', '10.244.0.0', '10.244.1.0']).toContain(seen);
    expect(before).toContain(`\nX-Forwarded-For: ${seen}\n`);
    expect(before).toContain('\nHost: shop.example.com\n');
    const up = run(s, ws, 'helm upgrade ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --set controller.service.externalTrafficPolicy=Local');
    expect(up.stdout.split('\n').slice(0, 2)).toEqual(['Release "ingress-nginx" has been upgraded. Happy Helming!', 'NAME: ingress-nginx']);
    expect(s.get('Service', 'ingress-nginx', 'ingress-nginx-controller')!.spec.externalTrafficPolicy).toBe('Local');
    const after = body(s, lb, 'shop.example.com', '/echo');
    expect(after).toContain('\nX-Real-IP: 192.168.49.1\n');
    expect(after).toContain('\nX-Forwarded-For: 192.168.49.1\n');
  });

  it('a wildcard host matches exactly one label', () => {
    expect(body(s, lb, 'a.wild.example.com', '/')).toMatch(/^Request served by echo\n/);
    expect(run(s, ws, `curl -s -o /dev/null -w '%{http_code}' -H 'Host: a.b.wild.example.com' http://${lb}/`).stdout).toBe('404');
  });

  it('an unknown host gets the default backend: the controller\'s 404', () => {
    const r = run(s, ws, `curl -si -H 'Host: nope.example.com' http://${lb}/`);
    expect(r.stdout).toBe(`HTTP/1.1 404 Not Found\r\nDate: Wed, 15 Jan 2025 09:01:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 146\r\nConnection: keep-alive\r\n\r\n<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
  });

  it('a backend Service without endpoints answers 503', () => {
    expect(run(s, ws, `curl -s -o /dev/null -w '%{http_code}' -H 'Host: shop.example.com' http://${lb}/down`).stdout).toBe('503');
  });

  it('rewrite-target replaces the path with the regex capture group', () => {
    expect(body(s, lb, 'api.example.com', '/api/users?id=7')).toMatch(/^Request served by echo\n\nHTTP\/1.1 GET \/users\?id=7\n/);
    expect(body(s, lb, 'api.example.com', '/api')).toMatch(/^Request served by echo\n\nHTTP\/1.1 GET \/\n/);
  });

  it('a regex path that would backtrack exponentially (use-regex) is matched in linear time: 404, not a frozen tab', () => {
    // A JavaScript RegExp needs ~2^40 steps for this subject; engine/patterns runs it on re2js.
    s.api.create(ingress('evil', {
      rules: [{ host: 'evil.example.com', http: { paths: [{ path: '/(a+)+$', pathType: 'ImplementationSpecific', backend: backend('echo') }] } }],
    }, { 'nginx.ingress.kubernetes.io/use-regex': 'true' }));
    expect(run(s, ws, `curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example.com' http://${lb}/${'a'.repeat(40)}b`).stdout).toBe('404');
    expect(body(s, lb, 'evil.example.com', '/aaa')).toMatch(/^Request served by echo\n\nHTTP\/1.1 GET \/aaa\n/);
    s.api.delete('Ingress', 'default', 'evil');
  });

  it('canary-by-header: "always" goes to the canary, "never" and no header to the main backend', () => {
    expect(body(s, lb, 'shop.example.com', '/echo', "-H 'X-Canary: always'")).toBe('canary\n');
    expect(body(s, lb, 'shop.example.com', '/echo', "-H 'X-Canary: never'")).toMatch(/^Request served by echo/);
    expect(body(s, lb, 'shop.example.com', '/echo')).toMatch(/^Request served by echo/);
  });

  it('canary-weight splits with the seeded stream: 0 never, 100 always, 30 somewhere between', () => {
    const canary = s.get('Ingress', 'default', 'shop-canary')!;
    const setWeight = (w: string) => {
      const next = structuredClone(canary);
      next.metadata.annotations = { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': w };
      s.api.update({ ...next, metadata: { ...next.metadata, resourceVersion: s.get('Ingress', 'default', 'shop-canary')!.metadata.resourceVersion } });
    };
    const count = () => {
      let n = 0;
      for (let i = 0; i < 40; i++) if (body(s, lb, 'shop.example.com', '/echo') === 'canary\n') n++;
      return n;
    };
    setWeight('0');
    expect(count()).toBe(0);
    setWeight('100');
    expect(count()).toBe(40);
    setWeight('30');
    const n = count();
    expect(n).toBeGreaterThan(4);
    expect(n).toBeLessThan(24);
  });

  it('writes ingress-nginx access-log lines (upstreaminfo format) to the controller pod', () => {
    const p = s.list('Pod', 'ingress-nginx')[0];
    const logs = s.cluster.logs;
    const lines = logs.read('ingress-nginx', p.metadata.name, 'controller');
    const last = lines[lines.length - 1];
    expect(last).toMatch(/^192\.168\.49\.1 - - \[15\/Jan\/2025:09:01:00 \+0000\] "GET \/echo HTTP\/1\.1" 200 \d+ "-" "curl\/8\.5\.0" \d+ 0\.001 \[default-(echo|canary)-80\] \[\] 10\.244\.1\.(59:8080|60:5678) \d+ 0\.001 200 [0-9a-f]{32}$/);
  });
});

describe('TLS at the Ingress', () => {
  const { s, lb } = setup();
  s.api.create({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'shop-tls', namespace: 'default' }, data: { 'tls.crt': 'LS0tLS1CRUdJTg==', 'tls.key': 'LS0tLS1CRUdJTg==' } });
  s.api.create(ingress('secure', {
    tls: [{ hosts: ['secure.example.com'], secretName: 'shop-tls' }, { hosts: ['nosecret.example.com'], secretName: 'missing' }],
    rules: [
      { host: 'secure.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } },
      { host: 'nosecret.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } },
    ],
  }));

  it('curl -k over https reaches the backend over HTTP/2 (ALPN h2); HSTS is added', () => {
    const r = run(s, ws, `curl -ksI -H 'Host: secure.example.com' https://${lb}/`);
    // curl prints an HTTP/2 status without a reason phrase, and header names in lower case.
    expect(r.stdout.split('\r\n')[0]).toBe('HTTP/2 200 ');
    expect(r.stdout).toContain('\r\nstrict-transport-security: max-age=31536000; includeSubDomains\r\n');
    expect(r.stdout).not.toContain('connection: keep-alive');
    const v = run(s, ws, `curl -kv -o /dev/null -H 'Host: secure.example.com' https://${lb}/`).stderr;
    expect(v).toContain('* ALPN: server accepted h2\n');
    expect(v).toContain('* [HTTP/2] [1] [:authority: secure.example.com]\n');
    expect(v).toContain('> GET / HTTP/2\r\n');
  });

  it('without -k curl refuses the self-signed certificate (exit 60)', () => {
    const r = run(s, ws, `curl -sS -H 'Host: secure.example.com' https://${lb}/`);
    expect(r.exitCode).toBe(60);
    expect(r.stderr).toBe('curl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.\n');
  });

  it('plain http to a TLS host is redirected with 308', () => {
    const r = run(s, ws, `curl -sI -H 'Host: secure.example.com' http://${lb}/path`);
    expect(r.stdout.split('\r\n').filter((l) => /^(HTTP|Location)/.test(l))).toEqual(['HTTP/1.1 308 Permanent Redirect', 'Location: https://secure.example.com/path']);
  });

  it('the certificate comes from the Secret; a missing Secret leaves the Fake Certificate', () => {
    const good = run(s, ws, `curl -kv -o /dev/null -H 'Host: secure.example.com' https://${lb}/`).stderr;
    expect(good).toContain('*  subject: CN=secure.example.com\n');
    const fake = run(s, ws, `curl -kv -o /dev/null -H 'Host: nosecret.example.com' https://${lb}/`).stderr;
    expect(fake).toContain('*  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate\n');
  });
});

describe('ingress-nginx installed with a NodePort Service', () => {
  const s = sim({ cni: 'flannel' }, [
    pod('default', 'web', 'node-1', '10.244.0.55', 'nginx:1.27.3', { app: 'web' }),
    ...svc('default', 'web', '10.96.12.3', [['10.244.0.55', 'node-1', 'web']], [{ port: 80, targetPort: 80 }]),
  ]);
  run(s, ws, 'helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx');
  run(s, ws, 'helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --create-namespace --set controller.service.type=NodePort --set controller.service.nodePorts.http=30080');
  s.advance(60_000);
  s.api.create(ingress('web', { rules: [{ host: 'web.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }] }));

  it('publishes the addresses of the nodes running the controller (no load balancer to publish)', () => {
    const ctrl = s.list('Pod', 'ingress-nginx').filter((p) => p.status?.phase === 'Running');
    const ips = [...new Set(ctrl.map((p) => s.settings.nodes.find((n) => n.name === p.spec.nodeName)!.ip))].sort();
    expect(s.get('Ingress', 'default', 'web')!.status).toEqual({ loadBalancer: { ingress: ips.map((ip) => ({ ip })) } });
  });

  it('every node answers on the pinned http nodePort and routes by Host', () => {
    for (const n of s.settings.nodes) {
      const r = run(s, ws, `curl -s -o /dev/null -w '%{http_code}' -H 'Host: web.local' http://${n.ip}:30080/`);
      expect(r.stdout).toBe('200');
    }
    expect(run(s, ws, `curl -s -o /dev/null -w '%{http_code}' http://${s.settings.nodes[0].ip}:30080/`).stdout).toBe('404');
  });
});

describe('a hostNetwork DaemonSet controller and the default IngressClass', () => {
  const s = sim({ cni: 'calico' }, [
    pod('default', 'web', 'node-1', '10.244.0.55', 'nginx:1.27.3', { app: 'web' }),
    ...svc('default', 'web', '10.96.12.3', [['10.244.0.55', 'node-1', 'web']], [{ port: 80, targetPort: 80 }]),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ingress-nginx' } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
      spec: { selector: { matchLabels: { app: 'ingress' } }, template: { metadata: { labels: { app: 'ingress' } }, spec: { hostNetwork: true, containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0' }] } } },
    },
    // No ingressClassName: the default class picks it up. No host: nginx's catch-all server.
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }] } },
  ]);

  it('listens on port 80 of every node and publishes the node addresses', () => {
    expect(s.get('Ingress', 'default', 'web')!.status).toEqual({ loadBalancer: { ingress: [{ ip: '192.168.49.2' }, { ip: '192.168.49.3' }] } });
    for (const ip of ['192.168.49.2', '192.168.49.3']) {
      expect(run(s, ws, `curl -s http://${ip}/`).stdout).toContain('<title>Welcome to nginx!</title>');
    }
  });
});

describe('rate limiting (limit-rps)', () => {
  const { s, lb } = setup();
  // Keyed by the client address: keep it (Local) so every request counts against one bucket —
  // with Cluster each node's masquerade address would get a bucket of its own.
  run(s, ws, 'helm upgrade ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --set controller.service.externalTrafficPolicy=Local');
  s.api.create(ingress('limited', {
    rules: [{ host: 'limited.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }],
  }, { 'nginx.ingress.kubernetes.io/limit-rps': '2' }));
  const code = () => run(s, ws, `curl -s -o /dev/null -w '%{http_code}' -H 'Host: limited.example.com' http://${lb}/`).stdout;

  it('allows the rate plus its burst (2 r/s × 5), then answers 503 until the bucket drains', () => {
    const burst = Array.from({ length: 12 }, code);
    expect(burst.slice(0, 11)).toEqual(Array(11).fill('200'));
    expect(burst[11]).toBe('503');
    s.advance(1000); // two requests' worth drains each second
    expect([code(), code(), code()]).toEqual(['200', '200', '503']);
  });

  it('the buckets survive a snapshot', async () => {
    const { Simulation } = await import('../../../engine/index');
    const r = Simulation.restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(run(r, ws, `curl -s -o /dev/null -w '%{http_code}' -H 'Host: limited.example.com' http://${lb}/`).stdout).toBe('503');
  });
});

describe('the controller\'s events', () => {
  it('records "Scheduled for sync" for a new Ingress and again when it publishes the address', () => {
    const { s } = setup();
    const evs = s.list('Event', 'default').filter((e) => e.involvedObject.kind === 'Ingress' && e.involvedObject.name === 'shop');
    expect(evs.map((e) => [e.type, e.reason, e.message, e.source.component, e.count])).toEqual([['Normal', 'Sync', 'Scheduled for sync', 'nginx-ingress-controller', 2]]);
  });
});
