/**
 * A reachability matrix under one set of NetworkPolicies, on Calico (which enforces them),
 * Cilium (enforces; ipBlock does not match pod IPs) and Flannel (accepts the objects,
 * enforces nothing). Each cell is a real walk (reach(): DNS, kube-proxy, routing, policy,
 * listening port).
 */
import { describe, expect, it } from 'vitest';
import { dnsLayer, netpol, ns, pod, sim, svc } from './fixtures';
import type { HostRef } from '../../../engine/types';
import { reach } from '../../../engine/dataplane/walk';
import { evaluatePolicy, policyTypes, selectorMatches } from '../../../engine/dataplane/policy';
import { findPod } from '../../../engine/dataplane/topology';

const objects = [
  ...dnsLayer(),
  ns('frontend', { team: 'frontend' }),
  ns('backend', { team: 'backend' }),
  ns('other'),
  pod('frontend', 'web-5d8f7c9b4-abcde', 'node-1', '10.244.0.60', 'curlimages/curl:8.11.1', { app: 'web' }),
  pod('backend', 'api-6c9d8b7f5-fghij', 'node-2', '10.244.1.60', 'example/api:1.0', { app: 'api' }, {
    containers: [{ name: 'api', image: 'example/api:1.0', ports: [{ name: 'http', containerPort: 8080 }] }],
  }),
  pod('backend', 'db-0', 'node-1', '10.244.0.61', 'redis:7.4', { app: 'db' }),
  // Same labels as the frontend pod, in a namespace the policies do not trust.
  pod('other', 'intruder', 'node-2', '10.244.1.61', 'curlimages/curl:8.11.1', { app: 'web' }),
  ...svc('backend', 'api', '10.96.20.1', [['10.244.1.60', 'node-2', 'api-6c9d8b7f5-fghij']], [{ name: 'http', port: 8080, targetPort: 8080 }]),
  ...svc('backend', 'db', '10.96.20.2', [['10.244.0.61', 'node-1', 'db-0']], [{ port: 6379, targetPort: 6379 }]),
  netpol('backend', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
  // namespaceSelector AND podSelector in ONE peer; a named port resolved on the api pod.
  netpol('backend', 'allow-frontend-to-api', {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'frontend' } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }],
  }),
  // ipBlock with except: the node-2 pod range minus the intruder.
  netpol('backend', 'allow-node2-to-db', {
    podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] },
    ingress: [{ from: [{ ipBlock: { cidr: '10.244.1.0/24', except: ['10.244.1.61/32'] } }], ports: [{ protocol: 'TCP', port: 6379 }] }],
  }),
  // Egress: DNS to kube-dns, and TCP 8000-8100 to the backend namespace; nothing else.
  netpol('frontend', 'web-egress', {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
      { to: [{ namespaceSelector: { matchLabels: { team: 'backend' } } }], ports: [{ protocol: 'TCP', port: 8000, endPort: 8100 }] },
    ],
  }),
];

const web: HostRef = { kind: 'pod', namespace: 'frontend', pod: 'web-5d8f7c9b4-abcde', container: 'main' };
const api: HostRef = { kind: 'pod', namespace: 'backend', pod: 'api-6c9d8b7f5-fghij', container: 'api' };
const intruder: HostRef = { kind: 'pod', namespace: 'other', pod: 'intruder', container: 'main' };

const cells: [string, HostRef, string, number, { calico: boolean; cilium: boolean; flannel: boolean }][] = [
  ['frontend web → api by name', web, 'api.backend', 8080, { calico: true, cilium: true, flannel: true }],
  ['frontend web → db Service (egress port range excludes 6379)', web, '10.96.20.2', 6379, { calico: false, cilium: false, flannel: true }],
  ['other/intruder (same labels, wrong namespace) → api', intruder, 'api.backend.svc.cluster.local', 8080, { calico: false, cilium: false, flannel: true }],
  ['api → db by pod IP (ipBlock 10.244.1.0/24)', api, '10.244.0.61', 6379, { calico: true, cilium: false, flannel: true }],
  ['intruder → db by pod IP (ipBlock except)', intruder, '10.244.0.61', 6379, { calico: false, cilium: false, flannel: true }],
  ['frontend web → example.com (egress allows only backend + DNS)', web, 'example.com', 80, { calico: false, cilium: false, flannel: true }],
  ['api → example.com (api has no egress policy)', api, 'example.com', 80, { calico: true, cilium: true, flannel: true }],
  ['intruder → api on a port nothing listens on', intruder, '10.244.1.60', 9090, { calico: false, cilium: false, flannel: false }],
];

for (const cni of ['calico', 'cilium', 'flannel'] as const) {
  describe(`reachability matrix on ${cni}`, () => {
    const s = sim({ cni }, objects);
    for (const [label, from, to, port, want] of cells) {
      it(`${label}: ${want[cni] ? 'allowed' : 'blocked'}`, () => {
        const r = reach(s.cluster, from, to, port);
        expect(r.allowed, r.reason).toBe(want[cni]);
      });
    }
  });
}

describe('how a blocked connection fails', () => {
  const s = sim({ cni: 'calico' }, objects);
  it('a policy drop is a timeout, a closed port is refused', () => {
    expect(reach(s.cluster, intruder, '10.96.20.1', 8080).outcome).toBe('timeout');
    // frontend has no ingress policy: the SYN reaches the curl pod, where nothing listens.
    expect(reach(s.cluster, api, '10.244.0.60', 80).outcome).toBe('refused');
  });
  it('the reason names the policy and both ends, in learner terms', () => {
    const r = reach(s.cluster, intruder, '10.96.20.1', 8080);
    expect(r.reason).toBe('denied: pod backend/api-6c9d8b7f5-fghij is selected by NetworkPolicies allow-frontend-to-api, default-deny-ingress, and no ingress rule allows other/intruder on TCP 8080');
    const e = reach(s.cluster, web, '10.96.20.2', 6379);
    expect(e.reason).toBe('denied: pod frontend/web-5d8f7c9b4-abcde is selected by NetworkPolicy web-egress for egress, and no egress rule allows backend/db-0 on TCP 6379');
  });
  it('reach leaves no trace and does not move the random stream', () => {
    const before = s.rng.state();
    const traces = s.traces.length;
    reach(s.cluster, web, 'api.backend', 8080);
    expect(s.rng.state()).toEqual(before);
    expect(s.traces.length).toBe(traces);
  });
});

describe('egress needs DNS', () => {
  const deny = netpol('frontend', 'default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
  const base = objects.filter((o) => (o as { metadata: { name: string } }).metadata.name !== 'web-egress');
  it('default-deny egress breaks name resolution on Calico, not on Flannel', () => {
    const c = sim({ cni: 'calico' }, [...base, deny]);
    const r = reach(c.cluster, web, 'api.backend', 8080);
    expect(r.outcome).toBe('nxdomain');
    // The address itself is just as blocked.
    expect(reach(c.cluster, web, '10.96.20.1', 8080).outcome).toBe('timeout');
    const f = sim({ cni: 'flannel' }, [...base, deny]);
    expect(reach(f.cluster, web, 'api.backend', 8080).allowed).toBe(true);
  });
});

describe('policy semantics', () => {
  const s = sim({ cni: 'calico' }, objects);
  it('policyTypes default: Ingress always, Egress only with egress rules', () => {
    const mk = (spec: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'x', uid: '', resourceVersion: '', creationTimestamp: '' }, spec });
    expect(policyTypes(mk({ podSelector: {} }))).toEqual(['Ingress']);
    expect(policyTypes(mk({ podSelector: {}, egress: [] }))).toEqual(['Ingress']);
    expect(policyTypes(mk({ podSelector: {}, egress: [{}] }))).toEqual(['Ingress', 'Egress']);
  });
  it('matchExpressions operators', () => {
    const l = { app: 'api', tier: 'back' };
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }, l)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, l)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, l)).toBe(true);
    expect(selectorMatches({ matchLabels: { tier: 'back' }, matchExpressions: [{ key: 'app', operator: 'Exists' }] }, l)).toBe(true);
  });
  it('evaluatePolicy: allowed by a named port, denied on another port, ICMP never matches a port rule', () => {
    const webPod = findPod(s, 'frontend', 'web-5d8f7c9b4-abcde')!;
    const apiPod = findPod(s, 'backend', 'api-6c9d8b7f5-fghij')!;
    expect(evaluatePolicy(s.cluster, webPod, apiPod, 8080, 'tcp')).toMatchObject({ allowed: true, direction: 'ingress', policy: 'allow-frontend-to-api' });
    expect(evaluatePolicy(s.cluster, { namespace: 'frontend', pod: 'web-5d8f7c9b4-abcde' }, '10.244.1.60', 9000, 'tcp')).toMatchObject({ allowed: false, direction: 'egress' });
    expect(evaluatePolicy(s.cluster, '203.0.113.7', apiPod, 8080, 'icmp').allowed).toBe(false);
  });
});
