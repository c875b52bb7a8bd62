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
  // The learner's certificate, made as the lesson makes it, loaded as kubectl loads it.
  const { s, lb } = setup();
  const sh = (line: string) => {
    const r = s.run(line);
    expect(r.exitCode, `${line}\n${r.stderr}`).toBe(0);
    return r;
  };
  sh('openssl req -x509 -newkey rsa:2048 -nodes -keyout secure.key -out secure.crt -days 365 -subj "/CN=secure.example.com" -addext "subjectAltName=DNS:secure.example.com"');
  sh('kubectl create secret tls shop-tls --cert=secure.crt --key=secure.key');
  s.api.create(ingress('secure', {
    tls: [{ hosts: ['secure.example.com'], secretName: 'shop-tls' }, { hosts: ['nosecret.example.com'], secretName: 'missing' }],
    rules: [
      { host: 'secure.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } },
      { host: 'nosecret.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } },
    ],
  }));
  const resolve = (h: string) => `--resolve ${h}:443:${lb} https://${h}/`;

  it('curl -k over https reaches the backend over HTTP/2 (ALPN h2); HSTS is added', () => {
    const r = run(s, ws, `curl -ksI ${resolve('secure.example.com')}`);
    // curl prints an HTTP/2 status without a reason phrase, and header names in lower case.
    expect(r.stdout.split('\r\n')[0]).toBe('HTTP/2 200 ');
    expect(r.stdout).toContain('\r\nstrict-transport-security: max-age=31536000; includeSubDomains\r\n');
    expect(r.stdout).not.toContain('connection: keep-alive');
    const v = run(s, ws, `curl -kv -o /dev/null ${resolve('secure.example.com')}`).stderr;
    expect(v).toContain('* ALPN: server accepted h2\n');
    expect(v).toContain('* [HTTP/2] [1] [:authority: secure.example.com]\n');
    expect(v).toContain('> GET / HTTP/2\r\n');
  });

  it('without -k curl refuses the self-signed certificate (exit 60)', () => {
    const r = run(s, ws, `curl -sS ${resolve('secure.example.com')}`);
    expect(r.exitCode).toBe(60);
    expect(r.stderr).toBe('curl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.\n');
  });

  it('plain http to a TLS host is redirected with 308', () => {
    const r = run(s, ws, `curl -sI -H 'Host: secure.example.com' http://${lb}/path`);
    expect(r.stdout.split('\r\n').filter((l) => /^(HTTP|Location)/.test(l))).toEqual(['HTTP/1.1 308 Permanent Redirect', 'Location: https://secure.example.com/path']);
  });

  it('the certificate is picked by SNI: the Secret for its host; no SNI, a missing Secret or another name get the Fake Certificate', () => {
    const subject = (cmd: string) => run(s, ws, cmd).stderr.split('\n').find((l) => l.startsWith('*  subject: '));
    expect(subject(`curl -kv -o /dev/null ${resolve('secure.example.com')}`)).toBe('*  subject: CN=secure.example.com');
    const fake = '*  subject: O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate';
    // An IP in the URL sends no SNI: the Host header does not choose the certificate.
    expect(subject(`curl -kv -o /dev/null -H 'Host: secure.example.com' https://${lb}/`)).toBe(fake);
    expect(subject(`curl -kv -o /dev/null ${resolve('nosecret.example.com')}`)).toBe(fake);
    expect(subject(`curl -kv -o /dev/null ${resolve('other.example.com')}`)).toBe(fake);
  });

  it('the controller logs why a TLS host gets the default certificate (controller.go createServers, v1.12)', () => {
    const p = s.list('Pod', 'ingress-nginx')[0];
    const lines = s.cluster.logs.read('ingress-nginx', p.metadata.name, 'controller').filter((l) => l.startsWith('W'));
    expect(lines.map((l) => l.replace(/^W\d{4} [\d:.]+ +/, ''))).toEqual(['7 controller.go:1471] Error getting SSL certificate "default/missing": local SSL certificate default/missing was not found. Using default certificate']);
    s.run('openssl req -x509 -newkey rsa:2048 -nodes -keyout o.key -out o.crt -subj "/CN=www.example.com" -addext "subjectAltName=DNS:www.example.com"');
    s.run('kubectl create secret tls missing --cert=o.crt --key=o.key');
    const after = s.cluster.logs.read('ingress-nginx', p.metadata.name, 'controller').filter((l) => l.startsWith('W')).slice(1);
    expect(after.map((l) => l.replace(/^W\d{4} [\d:.]+ +/, ''))).toEqual([
      '7 controller.go:1482] Unexpected error validating SSL certificate "default/missing" for server "nosecret.example.com": x509: certificate is valid for www.example.com, not nosecret.example.com',
      '7 controller.go:1483] Validating certificate against DNS names. This will be deprecated in a future version',
      '7 controller.go:1488] SSL certificate "default/missing" does not contain a Common Name or Subject Alternative Name for server "nosecret.example.com": x509: certificate is valid for www.example.com, not nosecret.example.com',
      '7 controller.go:1489] Using default certificate',
    ]);
    s.run('kubectl delete secret missing');
  });

  it('--cacert trusts the learner\'s certificate: the handshake as curl 8.5 with OpenSSL prints it', () => {
    // lib/vtls/openssl.c (curl-8_5_0): ossl_connect_step2's "SSL connection using", servercert()'s
    // subject/start date/expire date, Curl_ossl_verifyhost's "subjectAltName: host … matched cert's …",
    // issuer, "SSL certificate verify ok." and infof_certstack's "Certificate level" lines.
    const r = s.run(`curl -sv -o /dev/null --cacert secure.crt ${resolve('secure.example.com')}`);
    expect(r.exitCode).toBe(0);
    const start = r.stderr.indexOf('* ALPN: curl offers');
    const end = r.stderr.indexOf('* using HTTP/2');
    const nb = s.run('openssl x509 -in secure.crt -noout -startdate').stdout.trim().slice('notBefore='.length);
    const na = s.run('openssl x509 -in secure.crt -noout -enddate').stdout.trim().slice('notAfter='.length);
    expect(r.stderr.slice(start, end)).toBe(
      '* ALPN: curl offers h2,http/1.1\n' +
      '* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n' +
      '*  CAfile: secure.crt\n' +
      '*  CApath: /etc/ssl/certs\n' +
      '* TLSv1.3 (IN), TLS handshake, Server hello (2):\n' +
      '* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):\n' +
      '* TLSv1.3 (IN), TLS handshake, Certificate (11):\n' +
      '* TLSv1.3 (IN), TLS handshake, CERT verify (15):\n' +
      '* TLSv1.3 (IN), TLS handshake, Finished (20):\n' +
      '* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):\n' +
      '* TLSv1.3 (OUT), TLS handshake, Finished (20):\n' +
      '* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / X25519 / RSASSA-PSS\n' +
      '* ALPN: server accepted h2\n' +
      '* Server certificate:\n' +
      '*  subject: CN=secure.example.com\n' +
      `*  start date: ${nb}\n` +
      `*  expire date: ${na}\n` +
      '*  subjectAltName: host "secure.example.com" matched cert\'s "secure.example.com"\n' +
      '*  issuer: CN=secure.example.com\n' +
      '*  SSL certificate verify ok.\n' +
      '*   Certificate level 0: Public key type RSA (2048/112 Bits/secBits), signed using sha256WithRSAEncryption\n',
    );
  });

  it('a wrong host gets the Fake Certificate, which --cacert does not vouch for', () => {
    const r = s.run(`curl -v --cacert secure.crt ${resolve('other.example.com')}`);
    expect(r.exitCode).toBe(60);
    expect(r.stderr).toContain('* TLSv1.3 (IN), TLS handshake, Certificate (11):\n* TLSv1.3 (OUT), TLS alert, unknown CA (560):\n* SSL certificate problem: self-signed certificate\n* Closing connection\ncurl: (60) SSL certificate problem: self-signed certificate\n');
  });

  it('an expired certificate fails verification with "certificate has expired"', () => {
    const t = setup();
    t.s.run('openssl req -x509 -newkey rsa:2048 -nodes -keyout e.key -out e.crt -days 1 -subj "/CN=secure.example.com" -addext "subjectAltName=DNS:secure.example.com"');
    t.s.run('kubectl create secret tls e-tls --cert=e.crt --key=e.key');
    t.s.api.create(ingress('e', { tls: [{ hosts: ['secure.example.com'], secretName: 'e-tls' }], rules: [{ host: 'secure.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('web') }] } }] }));
    t.s.advance(2 * 86_400_000);
    const r = t.s.run(`curl -sSv --cacert e.crt --resolve secure.example.com:443:${t.lb} https://secure.example.com/`);
    expect(r.exitCode).toBe(60);
    expect(r.stderr).toContain('* TLSv1.3 (OUT), TLS alert, certificate expired (557):\n* SSL certificate problem: certificate has expired\n');
  });
});

describe('TLS with a CA and --default-ssl-certificate', () => {
  // A tiny CA signs a wildcard certificate; the controller serves it as its default, so a
  // name it does not cover reaches curl's host check (lib/vtls/openssl.c Curl_ossl_verifyhost).
  const s = sim({ cni: 'calico' }, [
    pod('default', 'web', 'node-1', '10.244.0.55', 'nginx:1.27.3', { app: 'web' }),
    pod('default', 'curl', 'node-2', '10.244.1.58', 'curlimages/curl:8.11.1'),
    ...svc('default', 'web', '10.96.12.3', [['10.244.0.55', 'node-1', 'web']], [{ port: 80, targetPort: 80 }]),
  ]);
  for (const l of [
    'openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=Lab CA"',
    'openssl req -new -newkey rsa:2048 -nodes -keyout wild.key -out wild.csr -subj "/CN=*.apps.example.com" -addext "subjectAltName=DNS:*.apps.example.com"',
    'openssl x509 -req -in wild.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out wild.crt -days 90 -copy_extensions copy',
    'kubectl create namespace ingress-nginx',
    'kubectl -n ingress-nginx create secret tls wild-tls --cert=wild.crt --key=wild.key',
    'helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx',
    'helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --set controller.extraArgs.default-ssl-certificate=ingress-nginx/wild-tls',
  ]) expect(s.run(l).exitCode, l).toBe(0);
  s.advance(60_000);
  const lb: string = s.get('Service', 'ingress-nginx', 'ingress-nginx-controller')!.status.loadBalancer.ingress[0].ip;

  it('a name under the wildcard verifies through the CA', () => {
    const r = s.run(`curl -sv -o /dev/null --cacert ca.crt --resolve shop.apps.example.com:443:${lb} https://shop.apps.example.com/`);
    expect(r.stderr).toContain('*  subject: CN=*.apps.example.com\n');
    expect(r.stderr).toContain('*  subjectAltName: host "shop.apps.example.com" matched cert\'s "*.apps.example.com"\n*  issuer: CN=Lab CA\n*  SSL certificate verify ok.\n');
    expect(r.stderr).toContain('*   Certificate level 0: Public key type RSA (2048/112 Bits/secBits), signed using sha256WithRSAEncryption\n*   Certificate level 1: Public key type RSA (2048/112 Bits/secBits), signed using sha256WithRSAEncryption\n');
  });

  it('a name the certificate does not cover: "no alternative certificate subject name matches" (exit 60)', () => {
    const r = s.run(`curl -v --cacert ca.crt --resolve shop.example.com:443:${lb} https://shop.example.com/`);
    expect(r.exitCode).toBe(60);
    expect(r.stderr).toContain('*  subjectAltName does not match shop.example.com\n* SSL: no alternative certificate subject name matches target host name \'shop.example.com\'\n');
    expect(r.stderr).toContain("curl: (60) SSL: no alternative certificate subject name matches target host name 'shop.example.com'\n");
    const k = s.run(`curl -kv -o /dev/null --resolve shop.example.com:443:${lb} https://shop.example.com/`);
    expect(k.stderr).toContain('*  issuer: CN=Lab CA\n*  SSL certificate verify result: unable to verify the first certificate (21), continuing anyway.\n');
  });

  it('curl 8.11 (curlimages/curl) names the kind of target: "hostname"', () => {
    const pod = { kind: 'pod' as const, namespace: 'default', pod: 'curl', container: 'main' };
    s.cluster.fs.write(pod, '/tmp/ca.crt', s.cluster.fs.read(ws, '/home/learner/ca.crt')!);
    const r = run(s, pod, `curl -v --cacert /tmp/ca.crt --resolve shop.example.com:443:${lb} https://shop.example.com/`);
    expect(r.exitCode).toBe(60);
    expect(r.stderr).toContain("*  subjectAltName does not match hostname shop.example.com\n* SSL: no alternative certificate subject name matches target hostname 'shop.example.com'\n* closing connection #0\n* TLSv1.3 (OUT), TLS alert, close notify (256):\n");
  });

  it('without the CA the chain stops at the leaf: "unable to get local issuer certificate"', () => {
    const r = s.run(`curl -sS --resolve shop.apps.example.com:443:${lb} https://shop.apps.example.com/`);
    expect(r.stderr.split('\n')[0]).toBe('curl: (60) SSL certificate problem: unable to get local issuer certificate');
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
