/**
 * ingress-nginx v1.12.0's access annotations, in the controller's nginx.conf and on the wire:
 * basic auth, external auth (auth-url, auth-signin, auth-response-headers), CORS, the
 * allowlist, and the snippet annotations v1.12 refuses by default.
 *
 * Sources (kubernetes/ingress-nginx at controller-v1.12.0):
 * - rootfs/etc/nginx/template/nginx.tmpl: the CORS template (lines 833-864), the auth_request
 *   location `location = /_external-auth-…` (967-1084), the auth-signin named location
 *   (1086-1105), allow/deny (1162-1171), the CORS `if`s in the location (1173-1175),
 *   auth_request/auth_request_set/add_header and the auth-response-headers (1177-1214),
 *   set_escape_uri/error_page 401 (1216-1219), auth_basic/auth_basic_user_file and
 *   `proxy_set_header Authorization ""` (1221-1230), a denied location's
 *   `# Location denied. Reason: …` / `return 503;` (1385-1387);
 * - internal/ingress/controller/template/template.go: buildAuthLocation
 *   (/_external-auth-BASE64URL(path)-PATHTYPE), buildAuthResponseHeaders, buildAuthSignURL
 *   (`?rd=$pass_access_scheme://$http_host$escaped_request_uri`), buildAuthSignURLLocation
 *   (@sha1(path + signin)), buildCorsOriginRegex/buildOriginRegex, isLocationAllowed;
 * - internal/ingress/annotations/auth/main.go (the LocationDenied reasons, the passwd file
 *   /etc/ingress-controller/auth/NS-INGUID-SECRETUID.passwd), authreq/main.go, cors/main.go
 *   (the defaults: methods "GET, PUT, POST, DELETE, PATCH, OPTIONS", max age 1728000,
 *   credentials true), ipallowlist/main.go (whitelist-source-range is an alias);
 * - internal/ingress/annotations/annotations.go Extract and parser/validators.go
 *   CheckAnnotationRisk: the *-snippet annotations are Critical, annotations-risk-level is
 *   High by default (config.go NewDefault), so store.go:938 logs "annotation group … contains
 *   risky annotation based on ingress configuration" and keeps the Ingress's last accepted
 *   version; allow-snippet-annotations=true with annotations-risk-level=Critical renders the
 *   snippet (nginx.tmpl 1327, and 937-940 for server-snippet);
 * - internal/ingress/controller/controller.go CheckIngress (lines 315-439): the admission
 *   webhook of a controller started with --validating-webhook (the helm chart's) refuses a
 *   `*-snippet` annotation while allow-snippet-annotations is off, then what Extract refuses.
 * The responses are nginx 1.25's: ngx_http_auth_basic_module (401 with
 * `WWW-Authenticate: Basic realm="…"`), ngx_http_access_module (403), ngx_http_auth_request_module
 * (2xx passes, 401/403 returned, anything else 500), headers-more's more_set_headers (the CORS
 * headers after the upstream's, a 204's Content-Type dropped by the header filter).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';
import { transcriptOf, goldenIn } from '../kubectl/golden';

const SCENARIO = readFileSync('lessons/71-tls-at-the-edge/scenario.yaml', 'utf8');
const A = 'nginx.ingress.kubernetes.io';
const CAT = 'kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- cat /etc/nginx/nginx.conf';

const golden = goldenIn(__dirname);

/** One server block of the rendered file, `## start server HOST` to `## end server HOST`. */
function serverBlock(conf: string, host: string): string {
  const start = conf.indexOf(`## start server ${host}\n`);
  const end = conf.indexOf(`## end server ${host}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  return conf.slice(conf.lastIndexOf('\n', start) + 1, end + `## end server ${host}\n`.length);
}

// `htpasswd -nbm foo bar` with the salt fixed: openssl passwd -apr1 -salt abcdefgh bar
const HTPASSWD = 'foo:$apr1$abcdefgh$bGLO42WqKpmLoPH9uGWTg1\nsha:{SHA}Ys23Ag/5IOWqZCw9QGaVDdHwH00=\n';

describe('ingress-nginx access annotations: nginx.conf', () => {
  it('renders the auth_request and signin locations, allow/deny, the CORS template and auth_basic; a missing Secret denies the location', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const setup = transcriptOf(sim, [
      `kubectl create secret generic basic-auth --from-literal=auth='${HTPASSWD}'`,
      `kubectl annotate ingress shop ${A}/auth-type=basic ${A}/auth-secret=basic-auth ${A}/auth-realm='Authentication Required - foo'`,
      `kubectl annotate ingress shop ${A}/enable-cors=true ${A}/cors-allow-origin='https://app.example.com, https://*.example.org' ${A}/cors-allow-credentials=false ${A}/cors-expose-headers=X-Total-Count ${A}/cors-max-age=600`,
      `kubectl annotate ingress shop ${A}/whitelist-source-range='10.0.0.0/8, 192.168.49.1, 172.16.5.4/12'`,
      `kubectl annotate ingress shop ${A}/auth-url=http://auth.default.svc.cluster.local/verify ${A}/auth-signin=https://login.example.com/start ${A}/auth-response-headers='X-User, X-Email'`,
      `kubectl annotate ingress blog ${A}/auth-type=basic ${A}/auth-secret=no-such-secret`,
    ]);
    const conf = sim.run(CAT).stdout;
    golden(
      'access-annotations-conf',
      '# upstream: kubernetes/ingress-nginx controller-v1.12.0 rootfs/etc/nginx/template/nginx.tmpl lines 833-864, 967-1105, 1162-1231, 1385-1387; template.go buildAuthLocation, buildAuthSignURL(Location), buildCorsOriginRegex\n' +
        setup +
        `$ ${CAT} | sed -n '/## start server blog.example.com/,/## end server blog.example.com/p;/## start server shop.example.com/,/## end server shop.example.com/p'\n` +
        serverBlock(conf, 'blog.example.com') +
        serverBlock(conf, 'shop.example.com'),
    );
    // the passwd file's name follows the Ingress's and the Secret's uids (auth/main.go)
    const shop = JSON.parse(sim.run('kubectl get ingress shop -o json').stdout);
    const secret = JSON.parse(sim.run('kubectl get secret basic-auth -o json').stdout);
    expect(conf).toContain(`auth_basic_user_file /etc/ingress-controller/auth/default-${shop.metadata.uid}-${secret.metadata.uid}.passwd;\n`);
  });

  it('the default backend and other servers are untouched; removing the annotations removes every block', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const before = sim.run(CAT).stdout;
    sim.run(`kubectl annotate ingress shop ${A}/enable-cors=true ${A}/whitelist-source-range=10.0.0.0/8`);
    const during = sim.run(CAT).stdout;
    expect(serverBlock(during, '_')).toBe(serverBlock(before, '_'));
    expect(serverBlock(during, 'blog.example.com')).toBe(serverBlock(before, 'blog.example.com'));
    expect(serverBlock(during, 'shop.example.com')).toContain("\t\t\tallow 10.0.0.0/8;\n\t\t\tdeny all;\n\n\t\t\t# Cors Preflight methods needs additional options and different Return Code\n\n\t\t\tset $http_origin *;\n\t\t\tset $cors 'true';\n");
    sim.run(`kubectl annotate ingress shop ${A}/enable-cors- ${A}/whitelist-source-range-`);
    const after = sim.run(CAT).stdout;
    expect(after.replace(/^# Configuration checksum: \d+$/m, '')).toBe(before.replace(/^# Configuration checksum: \d+$/m, ''));
  });
});

describe('ingress-nginx access annotations: traffic', () => {
  it('basic auth: 401 with the realm, the right password passes (apr1 and {SHA}), Authorization is not forwarded', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'access-annotations-basic',
      '# upstream: nginx.tmpl 1221-1230 (auth_basic, auth_basic_user_file, proxy_set_header Authorization ""); nginx 1.25 ngx_http_auth_basic_module, ngx_crypt (apr1, {SHA})\n' +
        transcriptOf(sim, [
          `kubectl create secret generic basic-auth --from-literal=auth='${HTPASSWD}'`,
          `kubectl annotate ingress shop ${A}/auth-type=basic ${A}/auth-secret=basic-auth ${A}/auth-realm='Authentication Required - foo'`,
          "curl -si -H 'Host: shop.example.com' http://203.0.113.1/",
          "curl -si -u foo:bar -H 'Host: shop.example.com' http://203.0.113.1/",
          "curl -s -o /dev/null -w '%{http_code}\\n' -u foo:wrong -H 'Host: shop.example.com' http://203.0.113.1/",
          "curl -s -o /dev/null -w '%{http_code}\\n' -u nobody:bar -H 'Host: shop.example.com' http://203.0.113.1/",
          "curl -s -o /dev/null -w '%{http_code}\\n' -u sha:bar -H 'Host: shop.example.com' http://203.0.113.1/",
          `kubectl annotate ingress shop --overwrite ${A}/auth-secret=gone`,
          "curl -si -u foo:bar -H 'Host: shop.example.com' http://203.0.113.1/",
          'kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --tail=6',
        ]),
    );
  });

  it('CORS: the preflight gets 204 before any auth, the headers follow the upstream response, an origin outside the list gets none', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'access-annotations-cors',
      '# upstream: nginx.tmpl 833-864 (the CORS template), 1173-1175; template.go buildCorsOriginRegex; cors/main.go defaults\n' +
        transcriptOf(sim, [
          `kubectl annotate ingress shop ${A}/enable-cors=true`,
          "curl -si -X OPTIONS -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT' -H 'Host: shop.example.com' http://203.0.113.1/",
          "curl -si -H 'Origin: https://app.example.com' -H 'Host: shop.example.com' http://203.0.113.1/",
          `kubectl annotate ingress shop ${A}/cors-allow-origin='https://app.example.com, https://*.example.org' ${A}/cors-allow-methods='GET, POST' ${A}/cors-allow-credentials=false ${A}/cors-max-age=600 ${A}/auth-type=basic ${A}/auth-secret=basic-auth`,
          `kubectl create secret generic basic-auth --from-literal=auth='${HTPASSWD}'`,
          "curl -si -X OPTIONS -H 'Origin: https://shop.example.org' -H 'Host: shop.example.com' http://203.0.113.1/",
          "curl -si -X OPTIONS -H 'Origin: https://evil.example.net' -H 'Host: shop.example.com' http://203.0.113.1/",
          "curl -si -H 'Origin: https://APP.example.com' -u foo:bar -H 'Host: shop.example.com' http://203.0.113.1/",
        ]),
    );
  });

  it('allowlist: 403 for others; the client address the controller sees depends on the Service externalTrafficPolicy', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'access-annotations-allowlist',
      '# upstream: nginx.tmpl 1167-1171 (allow …; deny all;), ipallowlist/main.go (whitelist-source-range alias); ngx_http_access_module 403\n' +
        transcriptOf(sim, [
          `kubectl annotate ingress shop ${A}/whitelist-source-range=192.168.49.1/32`,
          "curl -si -H 'Host: shop.example.com' http://203.0.113.1/",
          'kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --tail=1',
          `kubectl patch svc -n ingress-nginx ingress-nginx-controller -p '{"spec":{"externalTrafficPolicy":"Local"}}'`,
          "curl -s -H 'Host: shop.example.com' http://203.0.113.1/",
          'kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --tail=1',
          `kubectl annotate ingress shop --overwrite ${A}/whitelist-source-range=10.0.0.0/33`,
          "curl -si -H 'Host: shop.example.com' http://203.0.113.1/",
          `${CAT.replace(' cat ', ' grep -e "Location denied" ')}`,
        ]),
    );
  });

  it('external auth: the subrequest resolves the FQDN, 2xx passes with the auth response headers, others are 500', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'access-annotations-external',
      '# upstream: nginx.tmpl 967-1084 (the auth_request location), 1177-1214, 1216-1219; template.go buildAuthLocation, buildAuthResponseHeaders, buildAuthSignURL; ngx_http_auth_request_module\n' +
        transcriptOf(sim, [
          'kubectl create deployment echo --image=kicbase/echo-server:1.0',
          'kubectl expose deployment echo --port=80 --target-port=8080',
          'kubectl create deployment auth --image=hashicorp/http-echo:1.0 -- /http-echo -text=ok -listen=:5678',
          'kubectl expose deployment auth --port=80 --target-port=5678',
          `kubectl create ingress echo --class=nginx --rule="echo.example.com/*=echo:80" --annotation=${A}/auth-url=http://auth.default.svc.cluster.local/check --annotation=${A}/auth-response-headers=X-App-Name,X-Missing`,
          "curl -s -H 'Host: echo.example.com' 'http://203.0.113.1/hello?x=1'",
          `kubectl annotate ingress echo --overwrite ${A}/auth-url=http://auth/check`,
          "curl -si -H 'Host: echo.example.com' http://203.0.113.1/",
          'kubectl create deployment web --image=nginx:1.27',
          'kubectl expose deployment web --port=80',
          `kubectl annotate ingress echo --overwrite ${A}/auth-url=http://web.default.svc.cluster.local/verify`,
          "curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: echo.example.com' http://203.0.113.1/",
          'kubectl logs deploy/web --tail=1',
        ]),
    );
  });

  it('snippets: the store refuses the Ingress version (risk level High), the last accepted one stays; allowed by the ConfigMap, the snippet is rendered', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'access-annotations-snippets',
      '# upstream: annotations.go Extract, parser CheckAnnotationRisk, store.go:938; config.go NewDefault (allow-snippet-annotations false, annotations-risk-level High); nginx.tmpl 937-940, 1327\n' +
        transcriptOf(sim, [
          `kubectl annotate ingress shop ${A}/configuration-snippet='more_set_headers "X-Debug: 1";'`,
          "curl -si -H 'Host: shop.example.com' http://203.0.113.1/",
          `kubectl create ingress snip --class=nginx --rule="snip.example.com/*=shop:80" --annotation=${A}/server-snippet='return 418;'`,
          "curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: snip.example.com' http://203.0.113.1/",
          'kubectl get ingress',
          'kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --tail=4',
          'kubectl -n ingress-nginx create configmap ingress-nginx-controller --from-literal=allow-snippet-annotations=true --from-literal=annotations-risk-level=Critical',
          `${CAT.replace(' cat ', ' grep -n -e X-Debug -e "return 418" -e "configured for host" ')}`,
          "curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: shop.example.com' http://203.0.113.1/",
        ]),
    );
  });

  it('the admission webhook of a helm install refuses snippets, invalid values and risky annotations (controller.go CheckIngress)', () => {
    // controller.go:380-381 (the *-snippet check), annotations.go Extract (ValidationError, RiskyAnnotationError);
    // the apiserver's "admission webhook %q denied the request: %s"
    const sim = createSimulation(readFileSync('lessons/70-ingress/scenario.yaml', 'utf8'), { seed: 1 });
    sim.run('helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx');
    sim.run('helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --create-namespace');
    sim.run('kubectl wait --namespace ingress-nginx --for=condition=ready pod --selector=app.kubernetes.io/component=controller --timeout=120s');
    golden(
      'access-annotations-webhook',
      '# upstream: internal/ingress/controller/controller.go CheckIngress (lines 365-398), annotations.go Extract, parser CheckAnnotationRisk\n' +
        transcriptOf(sim, [
          'kubectl -n ingress-nginx get pods',
          `kubectl create ingress app --class=nginx --rule="app.example.com/*=app:80" --annotation=${A}/configuration-snippet='more_set_headers "X: 1";'`,
          `kubectl create ingress app --class=nginx --rule="app.example.com/*=app:80" --annotation=${A}/auth-type=magic`,
          'kubectl create ingress app --class=nginx --rule="app.example.com/*=app:80"',
          `kubectl annotate ingress app ${A}/server-snippet='return 418;'`,
          `kubectl -n ingress-nginx patch configmap ingress-nginx-controller -p '{"data":{"allow-snippet-annotations":"true"}}'`,
          `kubectl annotate ingress app ${A}/configuration-snippet='more_set_headers "X: 1";'`,
          `kubectl -n ingress-nginx patch configmap ingress-nginx-controller -p '{"data":{"annotations-risk-level":"Critical"}}'`,
          `kubectl annotate ingress app ${A}/configuration-snippet='more_set_headers "X: 1";'`,
          `kubectl annotate ingress app ${A}/enable-cors=true`,
        ]),
    );
  });
});
