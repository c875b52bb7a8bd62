/**
 * nginx serves the files its docroot holds in the container's filesystem — the image's
 * index.html and 50x.html, and whatever `kubectl exec` wrote or removed there — as the official
 * image's conf.d/default.conf configures it (`root /usr/share/nginx/html; index index.html
 * index.htm;`, autoindex off, nginx.conf's `default_type application/octet-stream`):
 * nginx release-1.27.3 src/http/modules/ngx_http_index_module.c (a URI ending in `/` goes to its
 * first index file; a missing directory is 404), ngx_http_static_module.c (a file: 200 with
 * mime.types' Content-Type, Last-Modified and ETag `"%xT-%xO"` of its mtime and size; a
 * directory without the slash: 301 to it, absolute with the Host's name; other methods 405),
 * ngx_http_core_module.c ngx_http_core_content_phase (a directory nobody indexes: 403),
 * ngx_http_special_response.c (the error pages).
 *
 * The probe sees the same files: a readinessProbe `httpGet /ready` fails with 404 until the
 * file is written, the Pod turns Ready and its EndpointSlice endpoint ready and serving; the
 * file removed, the probe fails again (pkg/probe/http/http.go "HTTP probe failed with
 * statuscode: 404") and after failureThreshold the endpoint is not ready.
 */
import { describe, it, expect } from 'vitest';
import { createSimulation } from '../../../engine';
import { serveHttp, listenerOn, serverRefFor } from '../../../engine/dataplane/apps';
import { golden } from '../../unit/dns/golden';

function transcript(lines: string[]): string {
  const sim = createSimulation('cluster: {}\n', { seed: 7 });
  let out = '';
  for (const line of lines) {
    const r = sim.runDetailed(line);
    out += `$ ${line}\n${r.chunks.map((c) => (c.stream === 'stderr' ? c.text.replace(/^(?=.)/gm, '[stderr] ') : c.text)).join('')}[exit ${r.exitCode}]\n`;
  }
  return out;
}

const DEPLOYMENT = `cat > web.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: { path: /ready, port: 80 }
          periodSeconds: 5
YAML`;

const CONDITIONS = `kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[0].endpoints[0].conditions}{"\\n"}'`;

describe('nginx docroot', () => {
  it('serves what exec wrote: the file, 404 for a missing one, 301 and 403 for a directory, the welcome page for /', () => {
    golden('traffic/nginx-docroot/files.txt', transcript([
      'kubectl run ng --image=nginx:1.27',
      'sleep 5',
      "kubectl exec ng -- sh -c 'echo ok > /usr/share/nginx/html/ready'",
      'kubectl exec ng -- ls /usr/share/nginx/html',
      'kubectl exec ng -- curl -s localhost/ready',
      'kubectl exec ng -- curl -si localhost/ready',
      'kubectl exec ng -- curl -si localhost/missing',
      "kubectl exec ng -- sh -c 'mkdir /usr/share/nginx/html/docs && echo \"{}\" > /usr/share/nginx/html/docs/a.json'",
      'kubectl exec ng -- curl -si localhost/docs',
      'kubectl exec ng -- curl -si localhost/docs/',
      'kubectl exec ng -- curl -sI localhost/docs/a.json',
      "kubectl exec ng -- sh -c 'echo \"<h1>docs</h1>\" > /usr/share/nginx/html/docs/index.htm'",
      'kubectl exec ng -- curl -si localhost/docs/',
      'kubectl exec ng -- curl -sI localhost/',
      'kubectl exec ng -- curl -si -X DELETE localhost/ready',
      'kubectl exec ng -- rm /usr/share/nginx/html/ready',
      "kubectl exec ng -- curl -s -o /dev/null -w '%{http_code}\\n' localhost/ready",
      'kubectl logs ng --tail=12',
    ]));
  });

  it('a readinessProbe httpGet /ready follows the file: Ready and a ready endpoint once it is written, not ready once it is gone', () => {
    golden('traffic/nginx-docroot/readiness.txt', transcript([
      DEPLOYMENT,
      'kubectl apply -f web.yaml',
      'kubectl expose deployment web --port 80',
      'sleep 20',
      'kubectl get deploy web',
      CONDITIONS,
      "kubectl exec deploy/web -- sh -c 'echo ok > /usr/share/nginx/html/ready'",
      'sleep 6',
      'kubectl get deploy web',
      CONDITIONS,
      'kubectl exec deploy/web -- rm /usr/share/nginx/html/ready',
      'sleep 16',
      'kubectl get deploy web',
      CONDITIONS,
      'kubectl get events --field-selector reason=Unhealthy',
    ]));
  });

  it('a URI above the root is 400 with Connection: close (ngx_http_parse_complex_uri); %-escapes are decoded', () => {
    const sim = createSimulation('cluster: {}\n', { seed: 7 });
    sim.run('kubectl run ng --image=nginx:1.27');
    sim.run('sleep 5');
    sim.run("kubectl exec ng -- sh -c 'echo hi > \"/usr/share/nginx/html/a b\"'");
    const pod = sim.cluster.store.get('Pod', 'default', 'ng')!;
    const server = serverRefFor(sim.cluster, { kind: 'pod', namespace: 'default', pod: 'ng' })!;
    const listener = listenerOn(sim.cluster, server, 80, 'tcp')!;
    const conn = { clientIp: '127.0.0.1', clientPort: 40000, localIp: pod.status!.podIP as string, localPort: 80 };
    const get = (path: string) => serveHttp({ cluster: sim.cluster, server, listener, conn }, { method: 'GET', path, headers: [['Host', 'localhost']], body: '', scheme: 'http' });
    const up = get('/../etc/passwd');
    expect([up.status, up.headers.find(([k]) => k === 'Connection')?.[1]]).toEqual([400, 'close']);
    expect([get('/a%20b').status, get('/a%20b').body]).toEqual([200, 'hi\n']);
    expect(get('/%zz').status).toBe(400);
    expect(get('/./index.html?x=1').status).toBe(200);
  });
});
