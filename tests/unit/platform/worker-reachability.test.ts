/**
 * The map's side of the worker protocol (lib/engine-worker/host.ts): the `reachability`
 * question answers the engine's matrix for lesson 40's cluster, follows an applied policy,
 * and leaves the cluster's snapshot as it was; the view carries the NetworkPolicies and the
 * last walk's path for the map.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EngineHost } from '../../../lib/engine-worker/host';
import type { FromEngine } from '../../../lib/engine-worker/protocol';
import type { ReachabilityMatrix } from '../../../engine/index';

const L = 'lessons/40-network-policies/';

function host() {
  const sent: FromEngine[] = [];
  const h = new EngineHost((m) => sent.push(m), () => 0);
  h.handle({ t: 'build', gen: 1, spec: { scenario: readFileSync(`${L}scenario.yaml`, 'utf8'), files: { 'default-deny.yaml': readFileSync(`${L}files/default-deny.yaml`, 'utf8') }, tasks: [] } });
  let id = 0;
  const ask = (port?: number) => {
    h.handle({ t: 'ask', id: ++id, q: { kind: 'reachability', ...(port ? { port } : {}) } });
    const r = sent.filter((m) => m.t === 'reply').at(-1) as Extract<FromEngine, { t: 'reply' }>;
    return r.value as ReachabilityMatrix;
  };
  const run = (line: string) => {
    h.handle({ t: 'run', id: ++id, line, advanceMs: 1000 });
    return sent.filter((m) => m.t === 'view').at(-1) as Extract<FromEngine, { t: 'view' }>;
  };
  return { h, sent, ask, run };
}

describe('the worker answers the map', () => {
  it('reachability before and after default-deny, as a dry run', () => {
    const { h, ask, run } = host();
    run('kubectl get pods -n shop');
    const before = ask();
    expect([before.cni, before.enforced, before.port, before.proto, before.ports]).toEqual(['Calico', true, 80, 'tcp', ['80/tcp', '8080/tcp']]);
    expect(before.pods.map((p) => p.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''))).toEqual(['backend', 'backend', 'debug', 'frontend']);
    expect(before.cells[2][3]).toEqual({ outcome: 'delivered', allowed: true, reason: `delivered to ${before.pods[3].ip}:80` });
    const snap = JSON.stringify(h.sim!.snapshot());
    ask(8080);
    expect(JSON.stringify(h.sim!.snapshot())).toBe(snap);

    const view = run('kubectl apply -f default-deny.yaml').view;
    expect(view.objects.NetworkPolicy.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['shop/default-deny-ingress']);
    const after = ask();
    expect(after.cells[2][3]).toMatchObject({ outcome: 'timeout', allowed: false, deniedBy: { name: 'default-deny-ingress', direction: 'ingress' } });
    expect(after.policies.map((p) => `${p.name} ${p.isolates.join(',')} ${p.selects.length}`)).toEqual(['default-deny-ingress Ingress 4']);
  });

  it("a kubectl exec curl's walk reaches the view with its path", () => {
    const { run } = host();
    run('kubectl apply -f default-deny.yaml');
    const t = run('kubectl -n shop exec deploy/frontend -- curl -s --max-time 3 http://backend:8080/').view.trace!;
    expect([t.outcome, t.path?.src.kind, t.path?.service, t.path?.dst?.kind]).toEqual(['timeout', 'pod', { namespace: 'shop', name: 'backend' }, 'pod']);
    expect(t.hops[t.decidedAt!].policy?.name).toBe('default-deny-ingress');
  });
});
