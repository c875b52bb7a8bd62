/**
 * The lab session behind the workspace (components/workspace/lab-session.ts), without a
 * browser: an in-memory Storage, the real engine and grader, and the real terminal line
 * editor on a fake screen. Pins what a learner relies on: a command is graded and saved,
 * a reload brings back the same cluster and terminal, a reset starts over, and two tabs
 * never overwrite each other silently.
 */
import { describe, expect, it } from 'vitest';
import { BOOT_SETTLE_MS, LabSession, type LabEnv, type LabOptions, type LabState } from '../../../components/workspace/lab-session';
import { inProcessEngine } from '../../../lib/engine-worker/in-process';
import type { EngineHost } from '../../../lib/engine-worker/host';
import { EngineClient } from '../../../lib/engine-worker/client';
import type { EngineKit } from '../../../lib/engine-worker/protocol';
import type { LabTask } from '../../../components/workspace/types';
import { TerminalController } from '../../../components/terminal/controller';
import {
  BOOT_STALE_MS,
  HISTORY_SAVE_CHARS,
  PROGRESS_KEY,
  RESTORE_BUDGET_MS,
  SAVE_CAP_CHARS,
  bootKey,
  draftsKey,
  headKey,
  keptKey,
  loadSave,
  markBoot,
  readKept,
  readProgress,
  recordKey,
  type KeyValueStore,
} from '../../../lib/persistence';
import { MemoryStore } from './memory-store';
import { SNAPSHOT_VERSION, createSimulation, type SimSnapshot, type Simulation } from '../../../engine';

class FakeScreen {
  out = '';
  cols = 80;
  write(d: string) {
    this.out += d;
  }
  clear() {}
}

/**
 * The engine the lab's Web Worker would run, here in this thread (lib/engine-worker/in-process.ts):
 * the same protocol, answered at once. `hostOf` finds a session's engine, to look at its Simulation.
 */
const hosts = new WeakMap<object, { host: EngineHost | null }>();
function engineFor(now?: () => number): { loadEngine: () => Promise<EngineKit>; ref: { host: EngineHost | null } } {
  const ref = { host: null as EngineHost | null };
  return { ref, loadEngine: async () => ({ EngineClient, spawn: () => inProcessEngine((h) => (ref.host = h), now) }) };
}
function simOf(session: LabSession): Simulation {
  return hosts.get(session)!.host!.sim!;
}
function newSession(options: LabOptions, env: Omit<LabEnv, 'loadEngine'>, engineClock?: () => number): LabSession {
  const eng = engineFor(engineClock);
  const session = new LabSession(options, { ...env, loadEngine: eng.loadEngine });
  hosts.set(session, eng.ref);
  return session;
}

const TASKS: LabTask[] = [
  {
    id: 'web',
    title: 'Create the Deployment web',
    kind: 'do',
    hints: ['kubectl create deployment', 'kubectl create deployment web --image=nginx'],
    solution: { commands: ['kubectl create deployment web --image=nginx'] },
    check: { exists: { kind: 'Deployment', name: 'web' } },
  },
];

const OPTIONS: LabOptions = {
  id: 'lesson-a',
  spec: () => ({ scenario: null }),
  tasks: TASKS,
};

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

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** What the Terminal component does for each generation: a controller on the state's init, attached, opened. */
async function mountTerminal(session: LabSession): Promise<{ term: TerminalController; sim: Simulation }> {
  const term = new TerminalController(new FakeScreen(), session.backend, session.terminalHooks, session.getSnapshot().terminalInit);
  session.attachTerminal(term);
  session.terminalOpened();
  await until(session, (s) => s.sim !== null);
  term.start();
  return { term, sim: simOf(session) };
}

/** A tab opening the lab: a session on `store`, started, with its terminal on screen. */
async function openLab(store: KeyValueStore | null, tabId: string, env: Partial<LabEnv> = {}, engineClock?: () => number) {
  const session = newSession(OPTIONS, { openStore: () => store, frame: (fn) => fn(), newTabId: () => tabId, ...env }, engineClock);
  session.start();
  return { session, ...(await mountTerminal(session)) };
}

function saved(store: KeyValueStore) {
  const r = loadSave<SimSnapshot>(store, 'lesson-a');
  if (r.status !== 'ok') throw new Error(`no usable record: ${r.status}`);
  return r.save;
}

describe('LabSession', () => {
  it('grades and saves a command; a reload restores the same cluster, terminal and task state', async () => {
    const store = new MemoryStore();
    const a = await openLab(store, 'tab-a');
    expect(a.session.getSnapshot()).toMatchObject({ generation: 1, results: [{ id: 'web', done: false }], completedNow: false });

    a.term.handleData('kubectl create deployment web --image=nginx\r');
    expect(a.session.getSnapshot()).toMatchObject({ results: [{ id: 'web', done: true }], completedNow: true });
    a.session.revealHint('web');
    a.session.setOpenFile('/home/learner/web.yaml');
    a.session.stop(); // the page goes away: the debounced save is written now

    const rec = saved(store);
    expect(rec).toMatchObject({ writer: 'tab-a', history: ['kubectl create deployment web --image=nginx'], tasks: { web: true }, hints: { web: 1 }, openFile: '/home/learner/web.yaml' });
    expect(rec.snapshot.revision).toBe(a.sim.store.revision);
    expect(rec.transcript).toContain('deployment.apps/web created');
    expect(readProgress(store).lessons['lesson-a']).toMatchObject({ done: 1, total: 1, completed: true });

    const b = await openLab(store, 'tab-b');
    const s = b.session.getSnapshot();
    expect(s.sim).not.toBe(a.sim);
    expect(b.sim.store.revision).toBe(a.sim.store.revision);
    expect(b.sim.snapshot()).toEqual(a.sim.snapshot());
    expect(b.sim.store.get('Deployment', 'default', 'web')).toBeDefined();
    expect(s.terminalInit).toEqual({ history: rec.history, transcript: rec.transcript });
    expect(b.term.getHistory()).toEqual(['kubectl create deployment web --image=nginx']);
    // Restored progress is graded silently: done, but no "complete" moment again.
    expect(s).toMatchObject({ results: [{ id: 'web', done: true }], completedNow: false, hints: { web: 1 }, openFile: '/home/learner/web.yaml', conflict: false });
    b.session.stop();
  });

  it('a second terminal: its own shell on the same cluster, running beside a watch, saved and restored', async () => {
    const store = new MemoryStore();
    const a = await openLab(store, 'tab-a');
    expect(a.session.openTerminal()).toBe(1);
    expect(a.session.getSnapshot()).toMatchObject({ terminals: [0, 1], activeTerminal: 1, tab: 'terminal' });
    const link = a.session.terminalFor(1);
    expect(a.session.terminalFor(1)).toBe(link);
    const screen2 = new FakeScreen();
    const t2 = new TerminalController(screen2, link.backend, link.hooks, a.session.getSnapshot().terminalInits[1]);
    link.attach(t2);
    t2.start();
    const plain = () => screen2.out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(link.backend.prompt()).toBe('learner@workstation:~$ ');

    // a watch in the first terminal goes on while the second works on the cluster
    a.term.handleData('kubectl get deployments -w\r');
    expect(a.term.busy).toBe(true);
    t2.handleData('cd /tmp\r');
    await tick(5);
    t2.handleData('kubectl create deployment web --image=nginx\r');
    await tick(5);
    expect(t2.busy).toBe(false);
    expect(link.backend.prompt()).toBe('learner@workstation:/tmp$ ');
    expect(plain()).toContain('learner@workstation:/tmp$ kubectl create deployment web --image=nginx');
    expect(plain()).toContain('deployment.apps/web created');
    expect(a.session.terminalFor(0).backend.prompt()).toBe('learner@workstation:~$ ');
    expect(a.session.getSnapshot().results).toEqual([{ id: 'web', done: true }]);
    // the watch sees it (its next step)
    await tick(1100);
    expect(a.term.getTranscript()).toMatch(/web\s+0\/1/);
    // Ctrl+C in the second terminal does not stop the first one's watch
    t2.handleData('\x03');
    expect(a.term.busy).toBe(true);
    // saved while the watch still runs: both terminals' histories, the second one's screen
    a.session.flush();
    let rec = saved(store);
    expect(rec.snapshot.sessions).toHaveLength(1);
    expect(rec.terminals).toEqual([{ session: 1, history: ['cd /tmp', 'kubectl create deployment web --image=nginx'], transcript: t2.getTranscript() }]);
    expect(rec.tasks).toEqual({ web: true });
    a.term.handleData('\x03');
    await tick(5);
    expect(a.term.busy).toBe(false);
    a.session.stop();
    rec = saved(store);

    // a reload brings both terminals back, each in its own place
    const b = await openLab(store, 'tab-b');
    const s = b.session.getSnapshot();
    expect(s.terminals).toEqual([0, 1]);
    expect(s.terminalInits[1]).toEqual({ history: ['cd /tmp', 'kubectl create deployment web --image=nginx'], transcript: rec.terminals![0].transcript });
    expect(b.session.terminalFor(1).backend.prompt()).toBe('learner@workstation:/tmp$ ');
    expect(b.session.terminalFor(0).backend.prompt()).toBe('learner@workstation:~$ ');
    // closing it takes it out of the save
    b.session.closeTerminal(1);
    expect(b.session.getSnapshot()).toMatchObject({ terminals: [0], activeTerminal: 0 });
    b.session.stop();
    expect(saved(store).terminals).toBeUndefined();
  });

  it('reset starts the cluster over, keeps the command history, and saves the fresh state at once', async () => {
    const store = new MemoryStore();
    const a = await openLab(store, 'tab-a');
    a.term.handleData('kubectl create deployment web --image=nginx\r');
    const rev = a.sim.store.revision;

    a.session.reset();
    expect(a.session.getSnapshot()).toMatchObject({ sim: null, generation: 2, terminalInit: { history: ['kubectl create deployment web --image=nginx'], transcript: '' } });
    expect(store.getItem(recordKey('lesson-a'))).toBeNull();
    expect(readProgress(store).lessons['lesson-a']).toBeUndefined();

    const { sim } = await mountTerminal(a.session);
    await tick(10);
    expect(sim.store.get('Deployment', 'default', 'web')).toBeUndefined();
    expect(sim.store.revision).toBeLessThan(rev);
    expect(a.session.getSnapshot()).toMatchObject({ results: [{ id: 'web', done: false }], hints: {}, completedNow: false });
    const rec = saved(store);
    expect(rec).toMatchObject({ tasks: { web: false }, transcript: '', history: ['kubectl create deployment web --image=nginx'] });
    expect(rec.snapshot.revision).toBe(sim.store.revision);
    expect(readProgress(store).lessons['lesson-a']).toMatchObject({ done: 0, total: 1, completed: false });
    a.session.stop();
  });

  it('stops saving when another tab wrote, until the learner keeps this tab’s state or loads the other', async () => {
    const store = new MemoryStore();
    const a = await openLab(store, 'tab-a');
    const b = await openLab(store, 'tab-b');

    a.term.handleData('kubectl create deployment web --image=nginx\r');
    expect(saved(store).writer).toBe('tab-a');
    // The browser tells tab b (and never tab a) that the record changed.
    a.session.storageChanged(recordKey('lesson-a'));
    expect(a.session.getSnapshot().conflict).toBe(false);
    b.session.storageChanged(recordKey('lesson-a'));
    b.session.storageChanged(PROGRESS_KEY);
    expect(b.session.getSnapshot().conflict).toBe(true);

    b.term.handleData('kubectl create namespace shop\r');
    expect(saved(store).writer).toBe('tab-a'); // b did not overwrite

    b.session.loadLatest();
    const { sim } = await mountTerminal(b.session);
    expect(b.session.getSnapshot().conflict).toBe(false);
    expect(sim.store.get('Deployment', 'default', 'web')).toBeDefined();
    expect(sim.store.get('Namespace', undefined, 'shop')).toBeUndefined();

    // A write b did not see is a conflict for a in turn; keepMine overwrites.
    b.term.handleData('kubectl create namespace shop\r');
    expect(saved(store).writer).toBe('tab-b');
    a.term.handleData('kubectl get pods\r');
    expect(a.session.getSnapshot().conflict).toBe(true);
    expect(saved(store).writer).toBe('tab-b');
    a.session.keepMine();
    expect(a.session.getSnapshot().conflict).toBe(false);
    expect(saved(store)).toMatchObject({ writer: 'tab-a', history: ['kubectl create deployment web --image=nginx', 'kubectl get pods'] });

    // Another tab removed the record (its reset): nothing to compare sequences with, and b still does not write.
    store.removeItem(recordKey('lesson-a'));
    b.session.storageChanged(recordKey('lesson-a'));
    b.term.handleData('kubectl get pods\r');
    expect(b.session.getSnapshot().conflict).toBe(true);
    expect(store.getItem(recordKey('lesson-a'))).toBeNull();
    a.session.stop();
    b.session.stop();
  });

  it('says so when nothing can be saved, and still runs the lab', async () => {
    const a = await openLab(null, 'tab-a');
    expect(a.session.getSnapshot().notices.map((n) => n.text)).toEqual(['This browser is not letting Netlab save anything, so progress will not survive a reload.']);
    a.term.handleData('kubectl create deployment web --image=nginx\r');
    expect(a.session.getSnapshot().results).toEqual([{ id: 'web', done: true }]);
    a.session.stop();
  });
});

/** A store holding one good save of lesson-a (a Deployment `web`), and that record's text. */
async function storeWithSave(): Promise<{ store: MemoryStore; raw: string }> {
  const store = new MemoryStore();
  const a = await openLab(store, 'tab-a');
  a.term.handleData('kubectl create deployment web --image=nginx\r');
  a.session.stop();
  return { store, raw: store.getItem(recordKey('lesson-a'))! };
}

function withSnapshot(raw: string, change: (snapshot: Record<string, unknown>) => void): string {
  const rec = JSON.parse(raw) as { snapshot: Record<string, unknown> };
  change(rec.snapshot);
  return JSON.stringify(rec);
}

const web = (sim: Simulation) => sim.store.get('Deployment', 'default', 'web');

describe('opening a lab whose save is unusable', () => {
  it('keeps a damaged save aside for download, opens the scenario, and deletes the copy only when asked', async () => {
    const store = new MemoryStore();
    store.setItem(recordKey('lesson-a'), '{"v":1,"id":"lesson-a",');
    const a = await openLab(store, 'tab-a', { now: () => 1_000 });
    expect(a.session.getSnapshot().heldSave).toEqual({
      kind: 'kept',
      chars: 23,
      text: 'Your saved progress for this lab could not be restored: the saved data was damaged (not valid JSON). The lab starts from the beginning; the old save is kept — download it, or delete it to free its space.',
    });
    expect(a.session.heldSaveFile()).toEqual({ filename: 'netlab-lesson-a-save.json', text: '{"v":1,"id":"lesson-a",' });
    a.term.handleData('kubectl create deployment web --image=nginx\r');
    expect(a.session.getSnapshot().results).toEqual([{ id: 'web', done: true }]);
    expect(saved(store).tasks).toEqual({ web: true });
    // The next visit still offers it.
    a.session.stop();
    const b = await openLab(store, 'tab-b');
    expect(b.session.getSnapshot().heldSave?.text).toBe('An earlier save of this lab could not be restored: the saved data was damaged (not valid JSON). It is kept for you — download it, or delete it to free its space.');
    expect(web(b.sim)).toBeDefined();
    b.session.releaseHeldSave();
    expect(b.session.getSnapshot().heldSave).toBeNull();
    expect(store.getItem(keptKey('lesson-a'))).toBeNull();
    b.session.stop();
  });

  it('keeps aside a save whose restore throws, and one whose restore runs over the budget', async () => {
    const { store, raw } = await storeWithSave();
    const broken = withSnapshot(raw, (snap) => {
      snap.scenario = null;
    });
    store.setItem(recordKey('lesson-a'), broken);
    const a = await openLab(store, 'tab-a');
    expect(a.session.getSnapshot().heldSave?.text).toMatch(/^Your saved progress for this lab could not be restored: restoring its cluster failed: .+\. The lab starts from the beginning; the old save is kept/);
    expect(readKept(store, 'lesson-a')?.raw).toBe(broken);
    expect(web(a.sim)).toBeUndefined();
    expect(a.session.getSnapshot().terminalInit.transcript).toBe('');
    expect(store.getItem(bootKey('lesson-a'))).toBeNull();
    a.session.stop();

    // A restore that takes 5 s of (fake) monotonic time in the engine's worker.
    store.setItem(recordKey('lesson-a'), raw);
    let clock = 0;
    const b = await openLab(store, 'tab-b', {}, () => (clock += 5_000));
    expect(RESTORE_BUDGET_MS).toBeLessThan(5_000);
    expect(b.session.getSnapshot().heldSave?.text).toContain('could not be restored: restoring its cluster took 5.0 s, more than the 4 s a lab may take to open. The lab starts');
    expect(readKept(store, 'lesson-a')?.raw).toBe(raw);
    expect(web(b.sim)).toBeUndefined();
    b.session.stop();
  });

  it('keeps aside the save whose restore never finished last time (a stale boot marker)', async () => {
    const { store, raw } = await storeWithSave();
    markBoot(store, 'lesson-a', 50_000);
    // Marked just now: another tab is restoring it; this one restores too.
    const a = await openLab(store, 'tab-a', { now: () => 50_000 + 1_000 });
    expect(web(a.sim)).toBeDefined();
    expect(a.session.getSnapshot().heldSave).toBeNull();
    a.session.stop();
    markBoot(store, 'lesson-a', 50_000);
    const b = await openLab(store, 'tab-b', { now: () => 50_000 + BOOT_STALE_MS + 1 });
    expect(b.session.getSnapshot().heldSave?.text).toContain('could not be restored: the lab stopped responding, or the tab crashed, while it was being restored. The lab starts');
    expect(readKept(store, 'lesson-a')?.raw).toBe(raw);
    expect(store.getItem(bootKey('lesson-a'))).toBeNull();
    expect(web(b.sim)).toBeUndefined();
    b.session.stop();
  });

  it('marks a restore until the lab has run, so a hang is found at the next load', async () => {
    expect(BOOT_STALE_MS).toBeGreaterThan(RESTORE_BUDGET_MS + BOOT_SETTLE_MS);
    const { store } = await storeWithSave();
    const a = await openLab(store, 'tab-a');
    expect(web(a.sim)).toBeDefined();
    expect(store.getItem(bootKey('lesson-a'))).not.toBeNull();
    a.term.handleData('kubectl get pods\r');
    expect(store.getItem(bootKey('lesson-a'))).toBeNull();
    a.session.stop();
    // Hidden or closed before any command: cleared too.
    const b = await openLab(store, 'tab-b');
    expect(store.getItem(bootKey('lesson-a'))).not.toBeNull();
    b.session.flush();
    expect(store.getItem(bootKey('lesson-a'))).toBeNull();
    b.session.stop();
  });
});

describe('a save from a newer build', () => {
  it('is left untouched and not overwritten, until the learner lets this lab save over it', async () => {
    const { store, raw } = await storeWithSave();
    for (const newer of [withSnapshot(raw, (snap) => void (snap.version = SNAPSHOT_VERSION + 1)), JSON.stringify({ ...JSON.parse(raw), v: 2 })]) {
      store.setItem(recordKey('lesson-a'), newer);
      const a = await openLab(store, 'tab-a');
      expect(a.session.getSnapshot().heldSave).toMatchObject({ kind: 'newer', chars: newer.length });
      expect(a.session.getSnapshot().heldSave?.text).toMatch(/^Your progress in this lab can’t be opened here: (its cluster was saved by a newer simulator \(v2\)|it was saved by a newer version of Netlab \(storage v2\))\. This version leaves it untouched/);
      expect(web(a.sim)).toBeUndefined();
      a.term.handleData('kubectl create namespace here\r');
      a.session.reset();
      await mountTerminal(a.session);
      await tick(10);
      a.session.flush();
      expect(store.getItem(recordKey('lesson-a'))).toBe(newer);
      expect(a.session.heldSaveFile()?.text).toBe(newer);
      a.session.releaseHeldSave();
      expect(saved(store).writer).toBe('tab-a');
      a.session.stop();
    }
  });

  it('leaves a newer storage version’s keys alone and says so', async () => {
    const store = new MemoryStore();
    store.setItem('netlab:v2:lesson:lesson-a', '{"from":"the future"}');
    store.setItem('netlab:v0:lesson:lesson-a', '{}');
    const a = await openLab(store, 'tab-a');
    expect(a.session.getSnapshot().notices.map((n) => n.text)).toEqual([
      'Progress saved by an older version of Netlab was cleared; labs start fresh.',
      'A newer version of Netlab has also saved progress for this lab. This version leaves it alone; open the lab in the newer version to get it back.',
    ]);
    a.term.handleData('kubectl get pods\r');
    expect(store.getItem('netlab:v2:lesson:lesson-a')).toBe('{"from":"the future"}');
    expect(store.getItem('netlab:v0:lesson:lesson-a')).toBeNull();
    a.session.stop();
  });
});

describe('the size cap in a lab', () => {
  it('skips a save over the cap with a notice, keeps the last one that fit, and resumes when the lab is small again', async () => {
    const store = new MemoryStore();
    const a = await openLab(store, 'tab-a');
    a.term.handleData('kubectl create deployment web --image=nginx\r');
    const before = store.getItem(recordKey('lesson-a'));
    a.session.saveFile('/home/learner/big.txt', 'x'.repeat(SAVE_CAP_CHARS));
    const notice = a.session.getSnapshot().notices.find((n) => n.id === 'save-size');
    expect(notice?.text).toMatch(/^Not saved: this lab is now 1\.\d MB, more than the 1 MB one lab may keep in this browser, so your last save that fit is kept\./);
    expect(store.getItem(recordKey('lesson-a'))).toBe(before);
    a.term.handleData('kubectl get pods\r');
    expect(store.getItem(recordKey('lesson-a'))).toBe(before);
    expect(a.session.getSnapshot().notices.filter((n) => n.id === 'save-size')).toHaveLength(1);
    a.term.handleData('rm big.txt\r');
    expect(a.session.getSnapshot().notices.find((n) => n.id === 'save-size')).toBeUndefined();
    expect(saved(store).history).toEqual(['kubectl create deployment web --image=nginx', 'kubectl get pods', 'rm big.txt']);
    a.session.stop();
  });

  it('restores a save already over the cap, says so, and saves again once it fits', async () => {
    const { store, raw } = await storeWithSave();
    const rec = JSON.parse(raw) as { history: string[] };
    rec.history = [...rec.history, 'echo ' + 'x'.repeat(SAVE_CAP_CHARS)];
    store.setItem(recordKey('lesson-a'), JSON.stringify(rec));
    const a = await openLab(store, 'tab-a');
    expect(web(a.sim)).toBeDefined();
    expect(a.session.getSnapshot().notices.find((n) => n.id === 'save-size')?.text).toMatch(/^Your saved lab is 1\.\d MB, more than the 1 MB one lab may keep in this browser\. It is restored/);
    // The history kept in a save is bounded, so the next save fits.
    a.term.handleData('kubectl get pods\r');
    expect(a.session.getSnapshot().notices.find((n) => n.id === 'save-size')).toBeUndefined();
    expect(store.getItem(recordKey('lesson-a'))!.length).toBeLessThan(SAVE_CAP_CHARS);
    a.session.stop();
  });
});

describe('Reset lab', () => {
  it('clears the record, its header, a kept copy and a big history from the save', async () => {
    const { store } = await storeWithSave();
    store.setItem(keptKey('lesson-a'), '{"reason":"x","at":1}\nold');
    const a = await openLab(store, 'tab-a');
    for (let i = 0; i < 40; i++) a.term.handleData(`echo ${i} ${'z'.repeat(4_000)}\r`);
    a.session.reset();
    expect(store.getItem(recordKey('lesson-a'))).toBeNull();
    expect(store.getItem(headKey('lesson-a'))).toBeNull();
    expect(store.getItem(keptKey('lesson-a'))).toBeNull();
    expect(store.getItem(bootKey('lesson-a'))).toBeNull();
    expect(a.session.getSnapshot().heldSave).toBeNull();
    await mountTerminal(a.session);
    await tick(10);
    const rec = saved(store);
    expect(rec.snapshot.objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'web')).toBe(false);
    expect(rec.history.join('').length).toBeLessThanOrEqual(HISTORY_SAVE_CHARS);
    expect(rec.history.at(-1)).toMatch(/^echo 39 z+$/);
    a.session.stop();
  });
});

describe('LabSession: the editor’s unsaved buffers', () => {
  const POLICY = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';
  const file = '/home/learner/deny.yaml';

  it('a command sees an unsaved buffer: it is saved first, and the lab says for which command', async () => {
    const store = new MemoryStore();
    const a = await openLab(store, 'tab-a');
    a.session.openInEditor('deny.yaml', '');
    expect(a.sim.fs.read({ kind: 'workstation' }, file)).toBe('');
    a.session.setDraft(file, POLICY);
    expect(a.session.getSnapshot().drafts).toEqual({ [file]: POLICY });
    // Kept for a reload, beside the record.
    expect(JSON.parse(store.getItem(draftsKey('lesson-a'))!)).toEqual({ [file]: POLICY });

    a.term.handleData('kubectl apply -f deny.yaml\r');
    expect(a.sim.fs.read({ kind: 'workstation' }, file)).toBe(POLICY);
    expect(a.sim.store.get('NetworkPolicy', 'default', 'deny')).toBeDefined();
    expect(a.session.getSnapshot()).toMatchObject({ drafts: {}, autoSaved: { files: [file], command: 'kubectl apply -f deny.yaml' } });
    expect(store.getItem(draftsKey('lesson-a'))).toBeNull();

    // A buffer equal to the file is no buffer; a manual save clears the notice.
    a.session.setDraft(file, POLICY);
    expect(a.session.getSnapshot().drafts).toEqual({});
    a.session.saveFile(file, POLICY + '# saved\n');
    expect(a.session.getSnapshot().autoSaved).toBeNull();
    a.session.stop();
  });

  it('unsaved buffers survive a reload and go with a reset', async () => {
    const store = new MemoryStore();
    const a = await openLab(store, 'tab-a');
    a.session.setDraft(file, POLICY);
    a.session.stop();
    const b = await openLab(store, 'tab-b');
    expect(b.session.getSnapshot().drafts).toEqual({ [file]: POLICY });
    b.session.reset();
    expect(b.session.getSnapshot().drafts).toEqual({});
    expect(store.getItem(draftsKey('lesson-a'))).toBeNull();
    b.session.stop();
  });

  it('"Open in editor" creates a new file, and puts other text over an existing one as an unsaved buffer', async () => {
    const a = await openLab(new MemoryStore(), 'tab-a');
    a.session.openInEditor('deny.yaml', POLICY);
    expect(a.sim.fs.read({ kind: 'workstation' }, file)).toBe(POLICY);
    expect(a.session.getSnapshot()).toMatchObject({ openFile: file, tab: 'editor', drafts: {} });

    // The same manifest with comments is the same file: opened as it is.
    a.session.saveFile(file, '# a note\n' + POLICY + '\n');
    a.session.openInEditor('deny.yaml', POLICY);
    expect(a.session.getSnapshot().drafts).toEqual({});
    a.session.saveFile(file, 'mine: 1\n');
    a.session.openInEditor('deny.yaml', POLICY);
    expect(a.sim.fs.read({ kind: 'workstation' }, file)).toBe('mine: 1\n');
    expect(a.session.getSnapshot().drafts).toEqual({ [file]: POLICY });
    // Names that would leave ~ are refused.
    a.session.openInEditor('../etc/passwd', 'x');
    expect(a.sim.fs.read({ kind: 'workstation' }, '/home/etc/passwd')).toBeUndefined();
    a.session.stop();
  });

  it('a solution brings the files its command names, keeping a different copy of the learner’s as NAME.bak', async () => {
    const a = await openLab(new MemoryStore(), 'tab-a');
    const files = { 'deny.yaml': POLICY, 'other.yaml': 'x: 1\n' };
    expect(a.session.bringFiles(files, 'kubectl apply -f deny.yaml')).toEqual([{ name: 'deny.yaml', outcome: 'created' }]);
    expect(a.sim.fs.read({ kind: 'workstation' }, file)).toBe(POLICY);
    expect(a.sim.fs.read({ kind: 'workstation' }, '/home/learner/other.yaml')).toBeUndefined();
    expect(a.session.bringFiles(files, 'kubectl apply -f ~/deny.yaml')).toEqual([{ name: 'deny.yaml', outcome: 'same' }]);

    a.session.setDraft(file, 'broken: [\n');
    expect(a.session.bringFiles(files, 'kubectl apply -f deny.yaml')).toEqual([{ name: 'deny.yaml', outcome: 'replaced', backup: 'deny.yaml.bak' }]);
    expect(a.sim.fs.read({ kind: 'workstation' }, file)).toBe(POLICY);
    expect(a.sim.fs.read({ kind: 'workstation' }, file + '.bak')).toBe('broken: [\n');
    expect(a.session.getSnapshot().drafts).toEqual({});
    expect(a.session.bringFiles(files, 'kubectl get pods')).toEqual([]);
    a.session.stop();
  });

  it("the terminal's answer says right or not yet in one line, as the task panel does", async () => {
    const tasks: LabTask[] = [
      ...TASKS,
      {
        id: 'k8s-ip',
        title: 'The ClusterIP of the kubernetes Service',
        kind: 'question',
        question: 'What is the ClusterIP of the kubernetes Service?',
        hints: ['kubectl get svc', 'the CLUSTER-IP column'],
        solution: { commands: [] },
        check: { answer: { field: { kind: 'Service', name: 'kubernetes', path: 'spec.clusterIP' } } },
      },
    ];
    const session = newSession({ ...OPTIONS, id: 'lesson-q', tasks }, { openStore: () => new MemoryStore(), frame: (fn) => fn(), newTabId: () => 't' });
    session.start();
    const { sim, term } = await mountTerminal(session);
    term.handleData('answer k8s-ip 10.96.0.9\r');
    expect(term.getTranscript()).toContain('k8s-ip: not quite — "10.96.0.9" is not right yet\r\n');
    term.handleData('answer k8s-ip 10.96.0.1\r');
    expect(term.getTranscript()).toContain('k8s-ip: correct — "10.96.0.1" matches what the live cluster shows\r\n');
    // the worker grades after the line: the panel agrees
    expect(session.getSnapshot().results.find((r) => r.id === 'k8s-ip')).toMatchObject({ done: true });
    expect(sim.run('answer web yes').stdout).toBe('answer recorded for web: yes (this task is not a question: it is checked from the cluster)\n');
    expect(sim.run('answer nope 1')).toMatchObject({ stdout: '', exitCode: 2, stderr: 'answer: this lesson has no task "nope" (type `answer` to list your answers; the task panel shows the ids)\n' });
    // outside a lab (sim, the checker) the command only records
    expect(createSimulation(null).run('answer k8s-ip 10.96.0.1').stdout).toBe('answer recorded for k8s-ip: 10.96.0.1\n');
    session.stop();
  });
});
