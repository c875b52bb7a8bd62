/**
 * The map's reading of a packet walk (components/map/trace-view.ts) on real traces of lesson
 * 40's cluster: the verdict and the policy that decided it, the path as steps, which rows fold.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, loadScenario } from '../../../engine/index';
import { involved, isPassRow, pathSteps, verdictOf } from '../../../components/map/trace-view';

function lesson40() {
  const sim = createSimulation(loadScenario(readFileSync('lessons/40-network-policies/scenario.yaml', 'utf8')), { seed: 1 });
  sim.advance(60_000);
  sim.fs.write({ kind: 'workstation' }, '/home/learner/default-deny.yaml', readFileSync('lessons/40-network-policies/files/default-deny.yaml', 'utf8'));
  return sim;
}

const CURL = 'kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/';

describe('a curl blocked by default-deny (Calico, iptables)', () => {
  const sim = lesson40();
  sim.run('kubectl apply -f default-deny.yaml');
  sim.run(CURL);
  const t = sim.traces.at(-1)!;

  it('leads with the verdict and the policy that decided it', () => {
    const v = verdictOf(t);
    expect([v.title, v.tone, v.index]).toEqual(['Blocked', 'bad', t.hops.length - 1]);
    expect(v.decidedBy).toBe('Ingress denied by NetworkPolicy shop/default-deny-ingress');
    expect(v.policy).toEqual({ kind: 'NetworkPolicy', namespace: 'shop', name: 'default-deny-ingress', direction: 'ingress', allowed: false, enforced: true });
  });

  it('draws the path as steps; the chains that only passed it are not steps', () => {
    expect(pathSteps(t).map((s) => `${s.label}${s.node ? `@${s.node}` : ''}: ${s.detail}${s.decisive ? ' !' : ''}`)).toEqual([
      'DNS: backend → 10.96.18.198 (backend.shop.svc.cluster.local)',
      'source@node-2: shop/frontend-6db5cd7b87-zntnn',
      'Service@node-2: shop/backend 10.96.18.198:8080 → 10.244.0.67:8080',
      'route@node-2: route 10.244.0.64/26 via 192.168.49.3 dev tunl0 proto bird onlink',
      'between nodes@node-2: IPIP 192.168.49.4 → 192.168.49.3 (IP protocol 4)',
      'between nodes@node-1: tunl0 decapsulates, /32 route to the pod cali* veth',
      'NetworkPolicy@node-1: default-deny-ingress (ingress) !',
    ]);
  });

  it('folds the pass rows of the rule chains, keeps every decision', () => {
    // 22 pass rows: the rules executed on the way, Felix's cali-to-wl-dispatch and cali-tw- jump into the cali-pi- chain included
    expect(t.hops.length).toBe(29);
    expect(t.hops.filter(isPassRow).length).toBe(22);
    expect(t.hops.filter((h) => !isPassRow(h)).map((h) => h.stage)).toEqual(['dns', 'source', 'service', 'route', 'overlay', 'overlay', 'policy']);
  });

  it('names the Pods, the Service and the nodes it touched', () => {
    const i = involved(t);
    expect([...i.pods]).toEqual([
      ['shop/backend-5db7465498-bqjlq', 'destination'],
      ['shop/frontend-6db5cd7b87-zntnn', 'source'],
    ]);
    expect([i.service, [...i.nodes]]).toEqual(['shop/backend', ['node-2', 'node-1']]);
  });
});

describe('a delivered curl across nodes, and one from the workstation', () => {
  it('crosses the IPIP overlay and ends at the backend', () => {
    const sim = lesson40();
    // kube-proxy picks a backend at random (the statistic rule): for this seed the third request goes to node-1's replica
    for (let i = 0; i < 3; i++) sim.run(CURL);
    const t = sim.traces.at(-1)!;
    expect(verdictOf(t)).toMatchObject({ title: 'Delivered', tone: 'ok', decidedBy: 'http-echo accepts on TCP 8080' });
    expect(pathSteps(t).map((s) => `${s.label}${s.node ? `@${s.node}` : ''}`)).toEqual(['DNS', 'source@node-2', 'Service@node-2', 'route@node-2', 'between nodes@node-2', 'between nodes@node-1', 'destination@node-1']);
    expect(t.path?.nodes).toEqual(['node-2', 'node-1']);
  });
  it('a node address from the workstation: no Service, the kubelet answers', () => {
    const sim = lesson40();
    sim.run('curl -s -m 2 http://192.168.49.3:10250/');
    const t = sim.traces.at(-1)!;
    expect(t.path).toEqual({ src: { kind: 'workstation' }, dst: { kind: 'node', name: 'node-1', ip: '192.168.49.3' }, nodes: ['node-1'] });
    expect(pathSteps(t).map((s) => `${s.label}: ${s.detail}`)).toEqual(['source: workstation', 'destination: node node-1']);
  });
});
