/**
 * The ingress-nginx controller's /etc/nginx/nginx.conf (the servers section), pinned whole.
 *
 * Sources (kubernetes/ingress-nginx at controller-v1.12.0, the chart 4.12.0 appVersion):
 * rootfs/etc/nginx/template/nginx.tmpl (the `## start server` loop, the SERVER template and
 * its location block); internal/ingress/controller/template/template.go (cleanConf,
 * buildHTTPListener/buildHTTPSListener/commonListenOptions, buildServerName, buildLocation,
 * locationConfigForLua, getIngressInformation, buildProxyPass, buildForwardedFor);
 * internal/ingress/controller/controller.go createServers (the `_` server on
 * upstream-default-backend, location and server sorting); location.go
 * updateServerLocations (Prefix /v1 → `location /v1/` and `location = /v1`);
 * internal/ingress/controller/config/config.go NewDefault (the directive values).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulation } from '../../../engine';
import { transcriptOf } from '../kubectl/golden';
import { cleanConf } from '../../../engine/controllers/ingress/nginxconf';

const SCENARIO = readFileSync('lessons/71-tls-at-the-edge/scenario.yaml', 'utf8');

function golden(name: string, actual: string): void {
  const path = join(__dirname, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  else expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('ingress-nginx nginx.conf', () => {
  it('servers sorted by hostname, the catch-all first, Prefix paths split, from the Ingresses', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    golden(
      'nginx-conf',
      '# upstream: kubernetes/ingress-nginx controller-v1.12.0 rootfs/etc/nginx/template/nginx.tmpl, internal/ingress/controller/template/template.go, controller.go, location.go\n' +
        transcriptOf(sim, [
          'kubectl create ingress api --class=nginx --rule="api.example.com/v1*=api:8080" --rule="api.example.com/healthz=api:http" --rule="/docs*=docs:80"',
          'kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- cat /etc/nginx/nginx.conf',
        ]),
    );
  });

  it('follows the Ingresses: a deleted Ingress leaves no server block', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const servers = () => sim.run('kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- cat /etc/nginx/nginx.conf').stdout.match(/## start server \S+/g);
    expect(servers()).toEqual(['## start server _', '## start server blog.example.com', '## start server shop.example.com']);
    sim.run('kubectl delete ingress shop');
    expect(servers()).toEqual(['## start server _', '## start server blog.example.com']);
  });

  it('cleanConf: tabs by brace depth, one blank line per run, comments kept verbatim', () => {
    expect(cleanConf('a {\n   b;\n\n   \n  # x  {\n  c { d; }\n}\n')).toBe('a {\n\tb;\n\n\t# x  {\n\tc { d; }\n}\n');
  });
});
