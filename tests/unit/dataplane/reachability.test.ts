/**
 * The reachability matrix (engine/dataplane/reachability.ts, public as `reachability(sim)`):
 * Pods × Pods on one port, each cell the real walk under the current CNI, with the policy
 * that denies it; a dry run that leaves the cluster exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { netpol, ns, pod, sim } from './fixtures';
import { reachability, type ReachabilityMatrix } from '../../../engine/index';

const echo = (name: string, node: string, ip: string) =>
  pod('shop', name, node, ip, 'hashicorp/http-echo:1.0', { app: 'backend' }, {
    containers: [{ name: 'backend', image: 'hashicorp/http-echo:1.0', args: ['-listen=:8080', '-text=backend ok'], ports: [{ name: 'http', containerPort: 8080 }] }],
  });

const objects = [
  ns('shop'),
  pod('shop', 'frontend', 'node-1', '10.244.0.60', 'nginx:1.27', { app: 'frontend' }, { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] }),
  echo('backend-a', 'node-1', '10.244.0.61'),
  echo('backend-b', 'node-2', '10.244.1.60'),
  pod('shop', 'debug', 'node-2', '10.244.1.61', 'busybox:1.36', { app: 'debug' }, { containers: [{ name: 'debug', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] }),
];
const defaultDeny = netpol('shop', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const allowFrontend = netpol('shop', 'allow-frontend-to-backend', {
  podSelector: { matchLabels: { app: 'backend' } },
  policyTypes: ['Ingress'],
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
});

/** The matrix as a grid: ✓ delivered, ✗policy denied by a policy, or the walk's outcome. */
function grid(m: ReachabilityMatrix): string[] {
  const short = (k: string) => k.split('/')[1];
  return m.pods.map((src, i) =>
    `${short(`${src.namespace}/${src.name}`).padEnd(10)} ` +
    m.cells[i]
      .map((c) => (c.allowed ? 'ok' : c.deniedBy ? `x:${c.deniedBy.name}` : c.outcome) + (c.unenforced ? `(~${c.unenforced.name})` : ''))
      .join(' | '),
  );
}

describe('reachability on Calico (enforces NetworkPolicy)', () => {
  it('with no policy every Pod reaches the backends on 8080; the rest refuse', () => {
    const m = reachability(sim({ cni: 'calico' }, objects));
    expect(m.enforced).toBe(true);
    expect(m.note).toBeUndefined();
    expect(m.ports).toEqual(['80/tcp', '8080/tcp']);
    expect([m.port, m.proto]).toEqual([80, 'tcp']);
    expect(m.pods.map((p) => `${p.name} ${p.ip} ${p.node} ${p.ports.join(',')}`)).toEqual([
      'backend-a 10.244.0.61 node-1 8080/tcp',
      'backend-b 10.244.1.60 node-2 8080/tcp',
      'debug 10.244.1.61 node-2 ',
      'frontend 10.244.0.60 node-1 80/tcp',
    ]);
    expect(m.walks).toBe(16);
  });

  it('default-deny, then allow-frontend: each denied cell names the policy', () => {
    const s = sim({ cni: 'calico' }, [...objects, defaultDeny, allowFrontend]);
    const m = reachability(s, { port: 8080 });
    // A Pod talking to its own address stays in its network namespace: no policy applies,
    // and debug (busybox sleeping) and frontend (nginx on 80 only) refuse 8080 themselves.
    expect(grid(m)).toEqual([
      'backend-a  ok | x:default-deny-ingress | x:default-deny-ingress | x:default-deny-ingress',
      'backend-b  x:default-deny-ingress | ok | x:default-deny-ingress | x:default-deny-ingress',
      'debug      x:default-deny-ingress | x:default-deny-ingress | refused | x:default-deny-ingress',
      'frontend   ok | ok | x:default-deny-ingress | refused',
    ]);
    expect(m.cells[2][0].reason).toBe('denied: pod shop/backend-a is selected by NetworkPolicies allow-frontend-to-backend, default-deny-ingress, and no ingress rule allows shop/debug on TCP 8080');
    expect(m.cells[2][0].deniedBy).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny-ingress', direction: 'ingress', allowed: false, enforced: true, all: ['allow-frontend-to-backend', 'default-deny-ingress'] });
    expect(m.cells[3][2].deniedBy).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny-ingress', direction: 'ingress', allowed: false, enforced: true });
    expect(m.policies).toEqual([
      { namespace: 'shop', name: 'allow-frontend-to-backend', isolates: ['Ingress'], selects: ['shop/backend-a', 'shop/backend-b'], ingressRules: 1, egressRules: 0 },
      { namespace: 'shop', name: 'default-deny-ingress', isolates: ['Ingress'], selects: ['shop/backend-a', 'shop/backend-b', 'shop/debug', 'shop/frontend'], ingressRules: 0, egressRules: 0 },
    ]);
  });
});

describe('reachability on Flannel (does not enforce NetworkPolicy)', () => {
  it('everything is open, says why, and names the policy that would have denied', () => {
    const m = reachability(sim({ cni: 'flannel' }, [...objects, defaultDeny, allowFrontend]), { port: 8080 });
    expect(m.enforced).toBe(false);
    expect(m.note).toBe('Flannel does not implement NetworkPolicy: the API server stores the policies, but nothing on the nodes enforces them, so every Pod reaches every other');
    expect(grid(m)).toEqual([
      'backend-a  ok | ok(~default-deny-ingress) | refused(~default-deny-ingress) | refused(~default-deny-ingress)',
      'backend-b  ok(~default-deny-ingress) | ok | refused(~default-deny-ingress) | refused(~default-deny-ingress)',
      'debug      ok(~default-deny-ingress) | ok(~default-deny-ingress) | refused | refused(~default-deny-ingress)',
      'frontend   ok | ok | refused(~default-deny-ingress) | refused',
    ]);
  });
});

describe('reachability on Cilium', () => {
  it('egress isolation decided at the source names the egress policy', () => {
    const egress = netpol('shop', 'debug-egress-deny', { podSelector: { matchLabels: { app: 'debug' } }, policyTypes: ['Egress'] });
    const m = reachability(sim({ cni: 'cilium' }, [...objects, egress]), { port: 8080 });
    expect(grid(m)).toEqual([
      'backend-a  ok | ok | refused | refused',
      'backend-b  ok | ok | refused | refused',
      'debug      x:debug-egress-deny | x:debug-egress-deny | refused | x:debug-egress-deny',
      'frontend   ok | ok | refused | refused',
    ]);
    expect(m.cells[2][0].deniedBy).toMatchObject({ kind: 'NetworkPolicy', name: 'debug-egress-deny', direction: 'egress' });
    expect(m.policies).toEqual([{ namespace: 'shop', name: 'debug-egress-deny', isolates: ['Egress'], selects: ['shop/debug'], ingressRules: 0, egressRules: 0 }]);
  });
});

describe('the matrix is a dry run', () => {
  for (const proxyMode of ['iptables', 'ipvs', 'nftables'] as const) {
    it(`leaves no trace, conntrack entry, counter, flow or clock step behind (Calico, ${proxyMode})`, () => {
      const s = sim({ cni: 'calico', proxyMode }, [...objects, defaultDeny, allowFrontend]);
      // kube-proxy writes a node's rules when a packet first meets them (a sync, not traffic):
      // one matrix first, so what is compared below is what a walk alone would leave.
      reachability(s, { port: 80 });
      const before = JSON.stringify(s.snapshot());
      const traces = s.traceCounter;
      const m = reachability(s, { port: 8080 });
      expect(m.cells[3][0].allowed).toBe(true);
      expect(JSON.stringify(s.snapshot())).toBe(before);
      expect(s.traceCounter).toBe(traces);
    });
  }
  it('leaves Hubble empty (Cilium)', () => {
    const s = sim({ cni: 'cilium' }, [...objects, defaultDeny]);
    reachability(s, { port: 80 });
    const before = JSON.stringify(s.snapshot());
    reachability(s, { port: 8080 });
    expect(JSON.stringify(s.snapshot())).toBe(before);
  });
});

describe('bounds and live updates', () => {
  it('caps the Pods and says how many there were', () => {
    const m = reachability(sim({ cni: 'calico' }, objects), { maxPods: 2 });
    expect(m.pods.map((p) => p.name)).toEqual(['backend-a', 'backend-b']);
    expect([m.total, m.maxPods, m.walks]).toEqual([4, 2, 4]);
  });
  it('follows the policies as they change', () => {
    const s = sim({ cni: 'calico' }, [...objects, defaultDeny]);
    expect(reachability(s, { port: 8080 }).cells[3][0].deniedBy?.name).toBe('default-deny-ingress');
    s.fs.write({ kind: 'workstation' }, '/home/learner/allow.yaml', JSON.stringify(allowFrontend));
    expect(s.run('kubectl apply -f allow.yaml').stdout).toBe('networkpolicy.networking.k8s.io/allow-frontend-to-backend created\n');
    expect(reachability(s, { port: 8080 }).cells[3][0]).toEqual({ outcome: 'delivered', allowed: true, reason: 'delivered to 10.244.0.61:8080' });
    s.run('kubectl delete networkpolicy -n shop default-deny-ingress allow-frontend-to-backend');
    expect(grid(reachability(s, { port: 8080 }))[2]).toBe('debug      ok | ok | refused | refused');
  });
});
