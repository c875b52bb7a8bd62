/**
 * A response proxied by ingress-nginx carries nginx's header order, not the upstream's:
 * nginx/nginx src/http/ngx_http_upstream.c copies Content-Type and Content-Length into
 * headers_out's own fields (ngx_http_upstream_copy_content_type,
 * ngx_http_upstream_ignore_header_line + content_length_n), ngx_http_proxy_module.c hides the
 * upstream's Date and Server, and src/http/ngx_http_header_filter_module.c writes Date,
 * Content-Type, Content-Length, Connection in that fixed order before the rest of the
 * upstream's headers (here http-echo's X-App-Name and X-App-Version).
 */
import { describe, expect, it } from 'vitest';
import { pod, sim, svc } from '../../unit/dataplane/fixtures';
import { run } from '../traffic/harness';

const ws = { kind: 'workstation' as const };

describe('ingress-nginx response headers', () => {
  it("Date, Content-Type, Content-Length, Connection, then the upstream's own", () => {
    const s = sim({ cni: 'calico' }, [
      pod('default', 'app', 'node-2', '10.244.1.60', 'hashicorp/http-echo:1.0', { app: 'app' }, {
        containers: [{ name: 'echo', image: 'hashicorp/http-echo:1.0', args: ['-text=shop'] }],
      }),
      ...svc('default', 'app', '10.96.12.5', [['10.244.1.60', 'node-2', 'app']], [{ port: 80, targetPort: 5678 }]),
    ]);
    for (const l of [
      'helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx',
      'helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --create-namespace',
    ]) expect(run(s, ws, l).exitCode).toBe(0);
    s.advance(60_000);
    const lb: string = s.get('Service', 'ingress-nginx', 'ingress-nginx-controller')!.status.loadBalancer.ingress[0].ip;
    s.api.create({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop', namespace: 'default' }, spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } }] } });
    s.advance(5_000);
    expect(run(s, ws, `curl -si -H 'Host: shop.example.com' http://${lb}/`)).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "HTTP/1.1 200 OK
      Date: Wed, 15 Jan 2025 09:01:05 GMT
      Content-Type: text/plain; charset=utf-8
      Content-Length: 5
      Connection: keep-alive
      X-App-Name: http-echo
      X-App-Version: 1.0.0

      shop
      ",
      }
    `);
  });
});
