/**
 * The API server answering anonymous HTTPS from inside the cluster. kubeadm binds the
 * ClusterRole system:public-info-viewer (plugin/pkg/auth/authorizer/rbac/bootstrappolicy
 * policy.go: nonResourceURLs /healthz, /livez, /readyz, /version, /version/) to
 * system:unauthenticated, so those answer; every other path is Forbidden for
 * system:anonymous. Bodies: k8s.io/apiserver pkg/server/healthz (handleRootHealth writes
 * "ok", text/plain, nosniff) and pkg/server/routes/version.go (WriteRawJSON: MarshalIndent
 * with two spaces, no trailing newline) of the release kubectl version reports.
 */
import { describe, expect, it } from 'vitest';
import { cluster, curlPod } from './scenario';
import { run } from './harness';

describe('the API server to an anonymous caller', () => {
  const s = cluster('calico', 'iptables');
  it('/healthz, /livez and /readyz answer ok', () => {
    for (const p of ['/healthz', '/livez', '/readyz']) expect(run(s, curlPod, `curl -sk https://10.96.0.1${p}`)).toEqual({ stdout: 'ok', stderr: '', exitCode: 0 });
  });
  it('/version is the server half of kubectl version -o json', () => {
    const body = run(s, curlPod, 'curl -sk https://kubernetes.default/version').stdout;
    const server = JSON.parse(s.run('kubectl version -o json').stdout).serverVersion;
    expect(body).toBe(JSON.stringify(server, null, 2));
    expect(server.gitVersion).toBe('v1.34.2');
  });
  it('any other path is Forbidden for system:anonymous', () => {
    const r = run(s, curlPod, "curl -sk -o /dev/null -w '%{http_code}' https://10.96.0.1/api");
    expect(r.stdout).toBe('403');
    expect(run(s, curlPod, 'curl -sk https://10.96.0.1/api').stdout).toContain('"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/api\\""');
  });
});
