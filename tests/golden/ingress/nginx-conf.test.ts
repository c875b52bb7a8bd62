/**
 * The ingress-nginx controller's /etc/nginx/nginx.conf, pinned whole, and its nginx -t/-T.
 *
 * Sources (kubernetes/ingress-nginx at controller-v1.12.0, the chart 4.12.0 appVersion):
 * rootfs/etc/nginx/template/nginx.tmpl (the `## start server` loop, the SERVER template and
 * its location block); internal/ingress/controller/template/template.go (cleanConf,
 * buildHTTPListener/buildHTTPSListener/commonListenOptions, buildServerName, buildLocation,
 * locationConfigForLua, getIngressInformation, buildProxyPass, buildForwardedFor);
 * internal/ingress/controller/controller.go createServers (the `_` server on
 * upstream-default-backend, location and server sorting); location.go
 * updateServerLocations (Prefix /v1 → `location /v1/` and `location = /v1`);
 * internal/ingress/controller/config/config.go NewDefault (the directive values); nginx.tmpl's
 * main context (lines 10-60), http globals (62-596), the servers (597-628 and the SERVER template,
 * 867-1449: a root location on upstream-default-backend for a host without a / rule), the 8181
 * and 10246 servers (630-685) and the stream block (687-792).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';
import { transcriptOf, goldenIn } from '../kubectl/golden';
import { cleanConf } from '../../../engine/controllers/ingress/nginxconf';

const SCENARIO = readFileSync('lessons/71-tls-at-the-edge/scenario.yaml', 'utf8');

const golden = goldenIn(__dirname);

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

  it("nginx -t/-T/-v/-h in the controller: ingress-nginx's 1.25.5 build over the rendered file", () => {
    // nginx src/core/nginx.c at release-1.25.5: ngx_show_version_info (-p's default is the build's
    // --prefix=/usr/local/nginx/ from images/nginx/rootfs/build.sh), "the configuration file %s syntax is
    // ok" / "configuration file %s test is successful" on stderr, -T's "# configuration file %s:" dumps
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const x = (args: string) => `kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- nginx ${args}`;
    golden('nginx-t', transcriptOf(sim, [x('-t'), x('-q -t'), x('-v'), x('-h'), x('-X'), x('-s'), 'kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- id']));
    // -T: nginx.conf, then the files it includes in the order the parse meets them
    const cat = (f: string) => sim.run(`kubectl -n ingress-nginx exec deploy/ingress-nginx-controller -- cat ${f}`).stdout;
    const dump = (files: string[]) => files.map((f) => `# configuration file ${f}:\n${cat(f)}\n`).join('');
    expect(sim.run(x('-T')).stdout).toBe(dump(['/etc/nginx/nginx.conf', '/etc/nginx/mime.types']));
    sim.run('kubectl annotate ingress shop nginx.ingress.kubernetes.io/backend-protocol=FCGI');
    expect(cat('/etc/nginx/nginx.conf')).toContain('\t\t\tinclude /etc/nginx/fastcgi_params;\n');
    expect(sim.run(x('-T')).stdout).toBe(dump(['/etc/nginx/nginx.conf', '/etc/nginx/mime.types', '/etc/nginx/fastcgi_params']));
  });

  it('cleanConf walks lines the way template.go walks bytes', () => {
    // template.go cleanConf's state machine, byte by byte, as the reference
    const reference = (input: string): string => {
      let out = '';
      let depth = 0;
      let lineStarted = false;
      let emptyLineWritten = false;
      let comment = false;
      for (const c of input) {
        let needOutput = false;
        let nextDepth = depth;
        let nextLineStarted: boolean = lineStarted;
        if (comment) {
          needOutput = true;
          if (c === '\n') {
            nextLineStarted = false;
            comment = false;
          }
        } else if (c === '{') {
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
        } else {
          if (c === '#') comment = true;
          needOutput = true;
          nextLineStarted = true;
        }
        if (needOutput) {
          if (!lineStarted && c !== '\n') out += '\t'.repeat(Math.max(0, depth));
          emptyLineWritten = !lineStarted;
          out += c;
        }
        depth = nextDepth;
        lineStarted = nextLineStarted;
      }
      return out;
    };
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const alphabet = ['{', '}', ' ', '\t', '\n', '\n', '#', 'a', ';', 'b'];
    for (let n = 0; n < 500; n++) {
      const len = next() % 60;
      let text = '';
      for (let i = 0; i < len; i++) text += alphabet[next() % alphabet.length];
      expect(cleanConf(text)).toBe(reference(text));
    }
  });

  it('cleanConf: tabs by brace depth, one blank line per run, comments kept verbatim', () => {
    expect(cleanConf('a {\n   b;\n\n   \n  # x  {\n  c { d; }\n}\n')).toBe('a {\n\tb;\n\n\t# x  {\n\tc { d; }\n}\n');
  });
});
