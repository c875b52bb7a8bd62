/**
 * The kubelet's probe timers cannot loop, whatever a stored Pod says. The API server never
 * stores `periodSeconds: 0`, a negative period or `initialDelaySeconds: "5s"` (defaulting,
 * validation and decoding see to it: tests/unit/cluster/probes.test.ts), but a snapshot
 * saved by an older build may hold them, and the lab restores its autosave on every load.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import type { KubeObject } from '../../../engine/cluster/types';

const HOUR = 3_600_000;

interface KubeletSnap {
  timers: { due: number; step: string }[];
}

function kubeletTimers(sim: Simulation): KubeletSnap['timers'] {
  return (sim.snapshot().modules.kubelet as KubeletSnap).timers;
}

function pod(name: string, probe: Record<string, unknown>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', readinessProbe: probe }] } };
}

/** The stored readiness probe of `name` in a snapshot, to poison as an older build could have saved it. */
function storedProbe(objects: KubeObject[], name: string): Record<string, unknown> {
  const p = objects.find((o) => o.kind === 'Pod' && o.metadata.name === name)!;
  return p.spec.containers[0].readinessProbe;
}

describe('kubelet probe timers from a poisoned snapshot', () => {
  it('restoring Pods with periodSeconds 0 / negative / a string delay and advancing an hour terminates with a bounded number of timers and probe events', () => {
    const sim = createSimulation(null, { seed: 1 });
    // `failing` runs and has a probe timer pending; `late` is bound but not started yet
    sim.api.create(pod('failing', { exec: { command: ['false'] }, periodSeconds: 5 }));
    sim.api.create(pod('negative', { exec: { command: ['false'] }, periodSeconds: 5 }));
    sim.advance(10_000);
    sim.api.create(pod('late', { exec: { command: ['true'] }, periodSeconds: 5 }));
    const snap = JSON.parse(JSON.stringify(sim.snapshot())) as ReturnType<Simulation['snapshot']>;
    storedProbe(snap.objects, 'failing').periodSeconds = 0;
    storedProbe(snap.objects, 'negative').periodSeconds = -3;
    Object.assign(storedProbe(snap.objects, 'late'), { initialDelaySeconds: '5s', periodSeconds: 0, successThreshold: 0 });

    const back = Simulation.restore(snap);
    const before = back.list('Event', 'default').filter((e) => e.reason === 'Unhealthy');
    back.advance(HOUR);

    // at most one pending timer per pod: the next probe of each failing pod
    const timers = kubeletTimers(back);
    expect(timers.map((t) => t.step)).toEqual(['probe', 'probe']);
    for (const t of timers) expect(Number.isFinite(t.due)).toBe(true);

    // a period of 0 or -3 is read as the default 10 s: one probe every 10 s for the hour
    const unhealthy = (name: string) => back.list('Event', 'default').find((e) => e.reason === 'Unhealthy' && e.involvedObject.name === name)!.count;
    const countBefore = (name: string) => before.find((e) => e.involvedObject.name === name)!.count;
    expect(unhealthy('failing') - countBefore('failing')).toBe(360);
    expect(unhealthy('negative') - countBefore('negative')).toBe(360);

    // the pod that had not started starts, and a delay of "5s" is read as none
    const late = back.get('Pod', 'default', 'late')!;
    expect(late.status.phase).toBe('Running');
    expect(late.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');

    // and the clock got there
    expect(back.clock.now() - snap.clock).toBe(HOUR);
  });

  it('a timer saved with a due time that is not a number fires once instead of stalling the queue', () => {
    const sim = createSimulation(null, { seed: 1 });
    sim.api.create(pod('a', { exec: { command: ['true'] } }));
    const snap = JSON.parse(JSON.stringify(sim.snapshot())) as ReturnType<Simulation['snapshot']>;
    const timers = (snap.modules.kubelet as KubeletSnap).timers;
    expect(timers.map((t) => t.step)).toEqual(['start']);
    // what JSON.stringify makes of NaN
    (timers[0] as { due: unknown }).due = null;
    const back = Simulation.restore(snap);
    back.advance(60_000);
    expect(back.get('Pod', 'default', 'a')!.status.phase).toBe('Running');
    expect(kubeletTimers(back)).toEqual([]);
  });
});
