/**
 * The playground's switch through the lab session (components/workspace/lab-session.ts), with
 * the real engine in this thread: the plan from the worker, the lab rebuilt from the new
 * spec with the same objects, saved at once, and Undo putting back the exact cluster
 * (the same snapshot) and terminal it replaced.
 */
import { describe, expect, it } from 'vitest';
import { LabSession, type LabState } from '../../../components/workspace/lab-session';
import { inProcessEngine } from '../../../lib/engine-worker/in-process';
import type { EngineHost } from '../../../lib/engine-worker/host';
import { EngineClient } from '../../../lib/engine-worker/client';
import type { LabSpec } from '../../../lib/engine-worker/protocol';
import { TerminalController } from '../../../components/terminal/controller';
import { loadSave } from '../../../lib/persistence';
import { MemoryStore } from './memory-store';
import type { SimSnapshot } from '../../../engine';

function until(session: LabSession, pred: (s: LabState) => boolean): Promise<LabState> {
  return new Promise((resolve) => {
    if (pred(session.getSnapshot())) return resolve(session.getSnapshot());
    const off = session.subscribe(() => {
      if (!pred(session.getSnapshot())) return;
      off();
      resolve(session.getSnapshot());
    });
  });
}

const screen = () => ({ out: '', cols: 80, write(d: string) { this.out += d; }, clear() {} });

describe('the playground on a lab session', () => {
  it('rebuilds the same objects on another CNI and proxy mode, saves it, and Undo restores the exact cluster', async () => {
    const ref = { host: null as EngineHost | null };
    let spec: Omit<LabSpec, 'tasks'> = { scenario: '', cluster: { cni: 'cilium', proxyMode: 'iptables' } };
    const store = new MemoryStore();
    const session = new LabSession(
      { id: 'playground', spec: () => spec, tasks: [] },
      { openStore: () => store, frame: (fn) => fn(), newTabId: () => 'tab', loadEngine: async () => ({ EngineClient, spawn: () => inProcessEngine((h) => (ref.host = h)) }) },
    );
    const mount = async () => {
      const term = new TerminalController(screen(), session.backend, session.terminalHooks, session.getSnapshot().terminalInit);
      session.attachTerminal(term);
      session.terminalOpened();
      await until(session, (s) => s.sim !== null);
      term.start();
      return term;
    };
    session.start();
    const term = await mount();
    term.handleData('kubectl create deployment web --image=nginx:1.27 --replicas=2\r');
    term.handleData('kubectl expose deployment web --port=80\r');
    term.handleData(`echo '{"apiVersion":"cilium.io/v2","kind":"CiliumNetworkPolicy","metadata":{"name":"l7"},"spec":{"endpointSelector":{},"ingress":[{}]}}' | kubectl apply -f -\r`);
    const before = ref.host!.sim!;
    const ip = before.get('Service', 'default', 'web')!.spec.clusterIP;
    const point = session.undoPoint()!;
    expect(point.snapshot).toEqual(before.snapshot());
    expect(point.transcript).toContain('service/web exposed');

    const plan = await session.rebuildPlan({ cni: 'calico', proxyMode: 'ipvs' });
    if (!plan?.ok) throw new Error('no plan');
    expect(plan.kept.map((r) => `${r.kind} ${r.name}`)).toEqual(['Deployment web', 'Service web']);
    expect(plan.dropped.map((r) => `${r.kind} ${r.name}`)).toEqual(['CiliumNetworkPolicy l7']);

    spec = { scenario: plan.scenario, cluster: { cni: 'calico', proxyMode: 'ipvs' } };
    session.replace();
    expect(session.getSnapshot().sim).toBeNull();
    const t2 = await mount();
    await new Promise((r) => setTimeout(r, 10));
    const after = ref.host!.sim!;
    expect(after).not.toBe(before);
    expect(after.settings).toMatchObject({ cni: 'calico', proxyMode: 'ipvs' });
    expect(after.get('Service', 'default', 'web')!.spec.clusterIP).toBe(ip);
    expect(after.get('Deployment', 'default', 'web')).toBeDefined();
    expect(t2.getHistory()).toContain('kubectl expose deployment web --port=80');
    const rec = loadSave<SimSnapshot>(store, 'playground');
    expect(rec.status === 'ok' && rec.save.snapshot.revision).toBe(after.store.revision);

    // Undo: the cluster it replaced, exactly, and its terminal
    session.replace(point);
    expect(session.getSnapshot().terminalInit.transcript).toBe(point.transcript);
    await mount();
    const back = ref.host!.sim!;
    expect(back.snapshot()).toEqual(point.snapshot);
    expect(back.get('CiliumNetworkPolicy', 'default', 'l7')).toBeDefined();
    session.stop();
  });
});
