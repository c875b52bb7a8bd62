/**
 * helm upgrade --install with a values file: the release is created on the first run
 * ("Release \"%s\" does not exist. Installing it now." — pkg/cmd/upgrade.go), values files
 * apply first and --set on top, and the chart renders what the values say.
 */
import { describe, expect, it } from 'vitest';
import { cluster, ws } from './scenario';
import { run } from './harness';

describe('helm upgrade --install -f values.yaml', () => {
  const s = cluster();
  s.fs.write(ws, '/home/learner/values.yaml', 'controller:\n  replicaCount: 2\n  service:\n    type: NodePort\n    nodePorts:\n      http: 30080\n');
  const h = (line: string) => run(s, ws, line, { cwd: '/home/learner' });
  h('helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx');

  it('an upgrade of a release that does not exist fails without --install', () => {
    expect(h('helm upgrade ingress-nginx ingress-nginx/ingress-nginx -n ingress-nginx')).toEqual({ stdout: '', stderr: 'Error: UPGRADE FAILED: "ingress-nginx" has no deployed releases\n', exitCode: 1 });
  });

  it('--install creates it, rendering the values file with --set on top', () => {
    const r = h('helm upgrade --install ingress-nginx ingress-nginx/ingress-nginx -n ingress-nginx --create-namespace -f values.yaml --set controller.replicaCount=3');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').slice(0, 6)).toEqual(['Release "ingress-nginx" does not exist. Installing it now.', 'NAME: ingress-nginx', 'LAST DEPLOYED: Wed Jan 15 09:00:00 2025', 'NAMESPACE: ingress-nginx', 'STATUS: deployed', 'REVISION: 1']);
    const svc = s.get('Service', 'ingress-nginx', 'ingress-nginx-controller')!;
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports.map((p: { name: string; nodePort?: number }) => p.name === 'http' ? p.nodePort : 'x')).toEqual([30080, 'x']);
    expect(s.get('Deployment', 'ingress-nginx', 'ingress-nginx-controller')!.spec.replicas).toBe(3);
  });

  it('a second upgrade bumps the revision', () => {
    const r = h('helm upgrade --install ingress-nginx ingress-nginx/ingress-nginx -n ingress-nginx -f values.yaml');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['Release "ingress-nginx" has been upgraded. Happy Helming!', 'NAME: ingress-nginx']);
    expect(r.stdout).toContain('\nREVISION: 2\n');
    expect(s.get('Deployment', 'ingress-nginx', 'ingress-nginx-controller')!.spec.replicas).toBe(2);
    expect(h('helm list -n ingress-nginx').stdout.split('\n')[1].split('\t').map((c) => c.trim())).toEqual(['ingress-nginx', 'ingress-nginx', '2', '2025-01-15 09:00:00.000000000 +0000 UTC', 'deployed', 'ingress-nginx-4.12.0', '1.12.0']);
  });

  it('a missing values file is an error', () => {
    expect(h('helm upgrade --install x ingress-nginx/ingress-nginx -f nope.yaml')).toEqual({ stdout: '', stderr: 'Error: open nope.yaml: no such file or directory\n', exitCode: 1 });
  });
});

// The ingress-nginx docs' quick start installs without `helm repo add`: --repo names the
// repository (helm action.ChartPathOptions.RepoURL → repo.FindChartInRepoURL, whose errors
// are "looks like … is not a valid chart repository …" and "chart %q not found in %s repository").
describe('helm upgrade --install … --repo URL', () => {
  const s = cluster();
  const h = (line: string) => run(s, ws, line, { cwd: '/home/learner' });

  it('installs the chart from the repository without adding it', () => {
    const r = h('helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx --namespace ingress-nginx --create-namespace');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['Release "ingress-nginx" does not exist. Installing it now.', 'NAME: ingress-nginx']);
    expect(s.get('Deployment', 'ingress-nginx', 'ingress-nginx-controller')).toBeDefined();
    expect(h('helm repo list')).toEqual({ stdout: '', stderr: 'Error: no repositories to show\n', exitCode: 1 });
  });

  it('an unknown repository or chart is an error', () => {
    expect(h('helm install x ingress-nginx --repo https://example.com/charts')).toEqual({ stdout: '', stderr: 'Error: INSTALLATION FAILED: looks like "https://example.com/charts" is not a valid chart repository or cannot be reached: failed to fetch https://example.com/charts/index.yaml : 404 Not Found\n', exitCode: 1 });
    expect(h('helm install y nope --repo https://kubernetes.github.io/ingress-nginx')).toEqual({ stdout: '', stderr: 'Error: INSTALLATION FAILED: chart "nope" not found in https://kubernetes.github.io/ingress-nginx repository\n', exitCode: 1 });
  });
});
