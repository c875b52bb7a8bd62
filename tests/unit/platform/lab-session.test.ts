/**
 * The lab session behind the workspace (components/workspace/lab-session.ts), without a
 * browser: an in-memory Storage, the real engine and grader, and the real terminal line
 * editor on a fake screen. Pins what a learner relies on: a command is graded and saved,
 * a reload brings back the same cluster and terminal, a reset starts over, and two tabs
 * never overwrite each other silently.
 */
import { describe, expect, it } from 'vitest';
import { LabSession, type LabOptions, type LabState } from '../../../components/workspace/lab-session';
import type { EngineModule } from '../../../components/workspace/engine';
import type { LabTask } from '../../../components/workspace/types';
import { TerminalController } from '../../../components/terminal/controller';
import { PROGRESS_KEY, loadSave, readProgress, recordKey, type KeyValueStore } from '../../../lib/persistence';
import { MemoryStore } from './memory-store';
import { SNAPSHOT_VERSION, Simulation, createSimulation, loadScenario, type SimSnapshot } from '../../../engine';
import { checkTasks, createLessonSimulation, exportScenario, recordSolution, type Task } from '../../../engine/grading';

class FakeScreen {
  out = '';
  cols = 80;
  write(d: string) {
    this.out += d;
  }
  clear() {}
}

// What components/workspace/engine-bundle.ts exports, imported without the '@/' alias.
const engine: EngineModule = { Simulation, SNAPSHOT_VERSION, createSimulation, loadScenario, checkTasks, createLessonSimulation, recordSolution, exportScenario };

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
  create: (e, o) => e.createSimulation(null, o),
  tasks: TASKS,
  // As the lesson page grades (components/lesson/LessonView.tsx gradeTasks).
  grade: (e, sim, tasks) => e.checkTasks(sim, tasks as unknown as Task[]),
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
  const { sim } = await until(session, (s) => s.sim !== null);
  term.start();
  return { term, sim: sim! };
}

/** A tab opening the lab: a session on `store`, started, with its terminal on screen. */
async function openLab(store: KeyValueStore | null, tabId: string) {
  const session = new LabSession(OPTIONS, { openStore: () => store, loadEngine: async () => engine, frame: (fn) => fn(), newTabId: () => tabId });
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
    a.session.storageChanged(recordKey('lesson-a'), store.getItem(recordKey('lesson-a')));
    expect(a.session.getSnapshot().conflict).toBe(false);
    b.session.storageChanged(recordKey('lesson-a'), store.getItem(recordKey('lesson-a')));
    b.session.storageChanged(PROGRESS_KEY, '{}');
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
    b.session.storageChanged(recordKey('lesson-a'), null);
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
