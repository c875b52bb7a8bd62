/**
 * kubectl proxy as a background job; curl on the workstation reads the API through it.
 *
 * Upstream texts:
 * - kubectl v0.34 pkg/cmd/proxy/proxy.go: defaults 127.0.0.1:8001, --port/-p, --address,
 *   "Starting to serve on %s" (l.Addr().String()); net.Listen's "listen tcp %s: bind: address
 *   already in use".
 * - kubectl v0.34 pkg/proxy/proxy_server.go: DefaultHostAcceptRE (localhost, 127.0.0.1, [::1])
 *   and DefaultPathRejectRE (exec, attach): http.Error(rw, "Forbidden", 403).
 * - apiserver: responsewriters (Status objects: NotFound with details.name/kind),
 *   negotiation isPrettyPrint (curl's User-Agent gets json.MarshalIndent, two spaces, no
 *   newline); routes/version.go; healthz's "ok".
 */
import { describe, it } from 'vitest';
import { cluster, type } from '../tcpdump/scenario';
import { golden } from './golden';

describe('kubectl proxy', () => {
  it('serves the API on the workstation until stopped', () => {
    const sim = cluster();
    let s = '# upstream: kubectl pkg/cmd/proxy/proxy.go, pkg/proxy/proxy_server.go; apiserver responsewriters\n';
    for (const l of [
      'kubectl proxy &',
      'curl -s localhost:8001/healthz; echo',
      'curl -s localhost:8001/version | head -4',
      'curl -s localhost:8001/api/v1/namespaces/default/services/web',
      'curl -s localhost:8001/api/v1/namespaces/default/pods/nope',
      `curl -s localhost:8001/api/v1/namespaces/default/pods | grep -E '"(kind|name|podIP)"'`,
      'curl -si localhost:8001/apis/apps/v1/namespaces/kube-system/deployments/coredns | head -8',
      'curl -s localhost:8001/api/v1/nosuch',
      'curl -s -H "Host: example.com" localhost:8001/api',
      'curl -s localhost:8001/api/v1/namespaces/default/pods/web/exec',
      'kubectl proxy',
      'kubectl proxy --port=8002 --address=0.0.0.0 &',
      'curl -s 127.0.0.1:8002/api',
      'kubectl get --raw /api/v1/namespaces/default/services/web | head -c 80; echo',
      'kubectl get --raw /api/v1/namespaces/default/services/nope',
      'jobs',
      'kill %1 %2',
      'curl -sS localhost:8001/healthz',
    ]) {
      s += `$ ${l}\n` + type(sim, l);
    }
    golden('proxy', s);
  });
});
