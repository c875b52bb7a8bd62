/**
 * Lesson 80's cluster through a simulated week, with a learner's commands every six hours:
 * nothing the engine keeps may grow with time. Checked on what the cluster holds (objects
 * by kind), what each module keeps beside the store (SimModule.sizes: queues, caches,
 * indexes, timers) and the nodes' conntrack tables: after the first day none exceeds what
 * the first day reached. What grows with commands rather than time (the shell's history,
 * the packet traces, 50 kept by the simulation) has caps of its own. (Costs per simulated hour are in
 * `npm run bench memory`.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';

const HOUR = 3_600_000;
const SCENARIO = readFileSync(join(__dirname, '../../../lessons/80-troubleshooting/scenario.yaml'), 'utf8');

const COMMANDS = [
  'kubectl get pods -o wide',
  'kubectl exec client -- curl -s -m 2 http://orders',
  'kubectl describe pod -l app=orders',
  'kubectl get events',
  'kubectl logs deploy/orders',
];

function footprint(sim: Simulation): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of sim.store.kinds()) out[`objects/${kind}`] = sim.store.count(kind);
  for (const m of sim.modules) for (const [k, v] of Object.entries(m.sizes?.() ?? {})) out[`${m.name}/${k}`] = v;
  let conntrack = 0;
  for (const t of sim.cluster.kubeProxy.conntrack.values()) conntrack += t.entries.length;
  out['kube-proxy/conntrack'] = conntrack;
  return out;
}

describe('a simulated week of lesson 80', () => {
  it('keeps every count at or under what the first day reached', { timeout: 120_000 }, () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const bound: Record<string, number> = {};
    const over: string[] = [];
    for (let h = 6; h <= 7 * 24; h += 6) {
      sim.advance(6 * HOUR);
      for (const c of COMMANDS) sim.run(c);
      const f = footprint(sim);
      for (const [k, v] of Object.entries(f)) {
        if (h <= 24) bound[k] = Math.max(bound[k] ?? 0, v);
        else if (v > (bound[k] ?? 0)) over.push(`${k}: ${v} at hour ${h}, at most ${bound[k] ?? 0} on day one`);
      }
    }
    expect(over).toEqual([]);
    // the recorder keeps one lease per stored event, not one per repeat
    const events = sim.modules.find((m) => m.name === 'events')!.sizes!();
    expect(events.expiryQueue).toBe(events.leases);
    expect(events.leases).toBe(sim.store.count('Event'));
    // the failing readiness probe's event is one object whose count the spam filter holds down
    const unhealthy = sim.list('Event', 'default').filter((e) => e.reason === 'Unhealthy');
    expect(unhealthy.length).toBe(2);
  });
});

describe('what grows with commands', () => {
  it('the history keeps at most 5000 commands and 1 MiB of their text', { timeout: 120_000 }, () => {
    const sim = createSimulation(null, { seed: 1 });
    for (let i = 0; i < 5100; i++) sim.run(':');
    expect(sim.history.length).toBe(5000);
    const pasted = `: ${'x'.repeat(300 * 1024)}`;
    for (let i = 0; i < 5; i++) sim.run(pasted);
    const bytes = sim.history.reduce((n, h) => n + h.command.length, 0);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(sim.history.at(-1)?.command).toBe(pasted);
  });
});
